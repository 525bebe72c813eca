/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, fan-out invalidation in one process
 * (vfbc_channel_invalidate_bulk() and the all-VFs form sharing its loop):
 * every VF gets exactly its mask, one doorbell per VF, duplicates OR
 * together, the largest list (65535 entries), a full notify ring, and bad
 * input that changes nothing anywhere (every VF's pending word and counters
 * compared before and after). The creating handle plays the consumer too:
 * it claims every VF.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_bulk"
/* Largest channel: the prefetch distance and the list wrap around it. */
#define CH_VFS VFBC_CHANNEL_MAX_VFS

static struct vfbc_channel *ch;

static int
bulk_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
bulk_case_setup(void)
{
	uint16_t vf;

	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	for (vf = 0; vf < CH_VFS; vf++)
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(ch, vf, -1), "claim of VF %u", vf);
	return TEST_SUCCESS;
}

static void
bulk_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

/* A mask of its own for each VF: no two VFs get the same one. */
static uint64_t
bulk_mask(uint16_t vf)
{
	return (UINT64_C(0x9e3779b97f4a7c15) * (vf + 1)) | (UINT64_C(1) << (vf % 64));
}

static int
bulk_ring_count(uint16_t vf)
{
	const struct vfbc_ring_shm *r = __vfbc_channel_ring(ch, vf, ch->notify_ring_off);

	return __vfbc_ring_count(r, __atomic_load_n(&r->cons, __ATOMIC_RELAXED),
				 VFBC_CHANNEL_NOTIFY_RING_SIZE);
}

/* Each VF delivers exactly want[vf] (0: nothing), then nothing more. */
static int
bulk_assert_delivered(const uint64_t *want)
{
	uint64_t mask;
	uint16_t vf;

	for (vf = 0; vf < CH_VFS; vf++) {
		mask = 0;
		TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, vf, &mask),
				want[vf] != 0 ? 1 : 0, "VF %u: delivery of 0x%" PRIx64, vf,
				want[vf]);
		TEST_ASSERT_EQUAL(mask, want[vf], "VF %u: delivered 0x%" PRIx64 ", sent 0x%"
				PRIx64, vf, mask, want[vf]);
		TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, vf, &mask), 0,
				"VF %u: delivered twice", vf);
	}
	return TEST_SUCCESS;
}

static int
test_channel_bulk_should_give_every_vf_exactly_its_mask(void)
{
	static uint64_t want[CH_VFS], masks[CH_VFS];
	static uint16_t ids[CH_VFS];
	struct vfbc_channel_stats st;
	uint16_t i, vf;

	/* Every other VF, in reverse: the list's order is not the VFs'. */
	for (i = 0; i < CH_VFS / 2; i++) {
		ids[i] = CH_VFS - 1 - 2 * i;
		masks[i] = bulk_mask(ids[i]);
		want[ids[i]] = masks[i];
	}
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_bulk(ch, ids, masks, CH_VFS / 2), "bulk");
	for (vf = 0; vf < CH_VFS; vf++) {
		TEST_ASSERT_EQUAL(bulk_ring_count(vf), want[vf] != 0 ? 1 : 0,
				"VF %u: %d doorbells", vf, bulk_ring_count(vf));
		TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, vf, &st), "stats");
		TEST_ASSERT(st.invalidations == (want[vf] != 0) && st.doorbells ==
				(want[vf] != 0) && st.coalesced == 0, "VF %u: invalidations %"
				PRIu64 " doorbells %" PRIu64 " coalesced %" PRIu64, vf,
				st.invalidations, st.doorbells, st.coalesced);
	}
	TEST_ASSERT_SUCCESS(bulk_assert_delivered(want), "first delivery");

	/* Again, every VF, after the consumers re-armed: a doorbell each again. */
	for (i = 0; i < CH_VFS; i++) {
		ids[i] = i;
		masks[i] = ~bulk_mask(i) | 1;
		want[i] = masks[i];
	}
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_bulk(ch, ids, masks, CH_VFS), "bulk");
	for (vf = 0; vf < CH_VFS; vf++)
		TEST_ASSERT_EQUAL(bulk_ring_count(vf), 1, "VF %u: %d doorbells", vf,
				bulk_ring_count(vf));
	return bulk_assert_delivered(want);
}

static int
test_channel_bulk_duplicates_should_or_together(void)
{
	static const uint16_t ids[] = { 7, 3, 7, 7, 200, 3 };
	static const uint64_t masks[] = { 0x1, 0x10, 0x2, 0x1, UINT64_C(1) << 63, 0x20 };
	static uint64_t want[CH_VFS];
	struct vfbc_channel_stats st;

	want[7] = 0x3;
	want[3] = 0x30;
	want[200] = UINT64_C(1) << 63;
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_bulk(ch, ids, masks, RTE_DIM(ids)), "bulk");
	/* One doorbell per VF: the first entry takes the arm, the others coalesce. */
	TEST_ASSERT_EQUAL(bulk_ring_count(7), 1, "VF 7: %d doorbells", bulk_ring_count(7));
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 7, &st), "stats");
	TEST_ASSERT(st.invalidations == 3 && st.doorbells == 1 && st.coalesced == 2,
			"VF 7: invalidations %" PRIu64 " doorbells %" PRIu64 " coalesced %"
			PRIu64, st.invalidations, st.doorbells, st.coalesced);
	return bulk_assert_delivered(want);
}

/* The largest list: 65535 entries over every VF, each VF's masks ORed. */
static int
test_channel_bulk_of_65535_entries_should_or_each_vfs_masks(void)
{
	static uint64_t want[CH_VFS];
	uint64_t *masks;
	uint16_t *ids;
	unsigned int i;
	int ret;

	ids = calloc(UINT16_MAX, sizeof(*ids));
	masks = calloc(UINT16_MAX, sizeof(*masks));
	if (ids == NULL || masks == NULL) {
		free(ids);
		free(masks);
		TEST_ASSERT(0, "no memory");
	}
	memset(want, 0, sizeof(want));
	for (i = 0; i < UINT16_MAX; i++) {
		ids[i] = (uint16_t)((i * 37) % CH_VFS);
		masks[i] = UINT64_C(1) << (i % 61);
		want[ids[i]] |= masks[i];
	}
	ret = vfbc_channel_invalidate_bulk(ch, ids, masks, UINT16_MAX);
	free(ids);
	free(masks);
	TEST_ASSERT_SUCCESS(ret, "bulk of 65535");
	return bulk_assert_delivered(want);
}

/* A full notify ring: the doorbell is lost, never the bits. */
static int
test_channel_bulk_with_a_full_ring_should_lose_no_bit(void)
{
	static uint64_t want[CH_VFS];
	static const uint16_t ids[] = { 4, 5 };
	static const uint64_t masks[] = { 0xf0, 0x0f };
	struct vfbc_channel_notify_elem junk;
	struct vfbc_channel_stats st;
	struct vfbc_ring_shm *r;

	r = __vfbc_channel_ring(ch, 4, ch->notify_ring_off);
	memset(&junk, 0, sizeof(junk));
	while (__vfbc_ring_enqueue(r, &ch->pf[4].notify_prod, VFBC_CHANNEL_NOTIFY_RING_SIZE,
				   &junk, sizeof(junk)) == 0)
		;
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_bulk(ch, ids, masks, RTE_DIM(ids)), "bulk");
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 4, &st), "stats");
	TEST_ASSERT_EQUAL(st.notify_ring_full, 1, "full ring counted %" PRIu64 " times",
			st.notify_ring_full);
	want[4] = 0xf0;
	want[5] = 0x0f;
	return bulk_assert_delivered(want);
}

/* Snapshot of what a call could change: every VF's pending word and counters. */
struct bulk_snap {
	uint64_t pending[CH_VFS];
	struct vfbc_channel_stats st[CH_VFS];
	int doorbells[CH_VFS];
};

static int
bulk_snap_take(struct bulk_snap *s)
{
	uint16_t vf;

	for (vf = 0; vf < CH_VFS; vf++) {
		s->pending[vf] = __atomic_load_n(&__vfbc_channel_vf(ch, vf)->notify.pending,
				__ATOMIC_SEQ_CST);
		TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, vf, &s->st[vf]), "stats");
		s->doorbells[vf] = bulk_ring_count(vf);
	}
	return TEST_SUCCESS;
}

static int
bulk_snap_same(const struct bulk_snap *a, const char *what)
{
	static struct bulk_snap b;
	uint16_t vf;

	TEST_ASSERT_SUCCESS(bulk_snap_take(&b), "snapshot");
	for (vf = 0; vf < CH_VFS; vf++) {
		TEST_ASSERT_EQUAL(a->pending[vf], b.pending[vf], "%s: VF %u pending 0x%" PRIx64
				" became 0x%" PRIx64, what, vf, a->pending[vf], b.pending[vf]);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(&a->st[vf], &b.st[vf], sizeof(b.st[vf]),
				"%s: VF %u counters changed", what, vf);
		TEST_ASSERT_EQUAL(a->doorbells[vf], b.doorbells[vf], "%s: VF %u doorbell",
				what, vf);
	}
	return TEST_SUCCESS;
}

static int
test_channel_bulk_bad_input_should_change_nothing(void)
{
	static struct bulk_snap before;
	static uint64_t want[CH_VFS];
	uint16_t ids[CH_VFS];
	uint64_t masks[CH_VFS];
	struct vfbc_channel *vf_side;
	uint16_t i;

	/* Something pending on VF 1 already: a refused call must not touch it either. */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x100), "invalidate");
	for (i = 0; i < CH_VFS; i++) {
		ids[i] = i;
		masks[i] = bulk_mask(i);
	}
	TEST_ASSERT_SUCCESS(bulk_snap_take(&before), "snapshot");

	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(NULL, ids, masks, 1), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(ch, NULL, masks, 1), -EINVAL, "NULL ids");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(ch, ids, NULL, 1), -EINVAL,
			"NULL masks");
	/* The bad entry last: every good one before it must stay untouched. */
	ids[CH_VFS - 1] = CH_VFS;
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(ch, ids, masks, CH_VFS), -EINVAL,
			"last VF out of range");
	ids[CH_VFS - 1] = UINT16_MAX;
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(ch, ids, masks, CH_VFS), -EINVAL,
			"last VF 65535");
	ids[CH_VFS - 1] = CH_VFS - 1;
	masks[CH_VFS - 1] = 0;
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(ch, ids, masks, CH_VFS), -EINVAL,
			"last mask 0");
	masks[CH_VFS - 1] = 1;
	masks[0] = 0;
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(ch, ids, masks, CH_VFS), -EINVAL,
			"first mask 0");
	masks[0] = 1;
	/* n == 0: nothing to do, arrays or not. */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_bulk(ch, NULL, NULL, 0), "n 0, NULL arrays");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_bulk(ch, ids, masks, 0), "n 0");
	/* A handle that did not create the channel. */
	vf_side = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(vf_side, "attach failed: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_bulk(vf_side, ids, masks, CH_VFS), -EPERM,
			"attached handle");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_all(vf_side, 1), -EPERM, "all: attached");
	vfbc_channel_free(vf_side);
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_all(ch, 0), -EINVAL, "all: mask 0");
	TEST_ASSERT_SUCCESS(bulk_snap_same(&before, "refused calls"), "changed");

	want[1] = 0x100;
	return bulk_assert_delivered(want);
}

static int
test_channel_invalidate_all_should_ring_each_vf_once(void)
{
	static uint64_t want[CH_VFS];
	uint16_t vf;

	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 9, 0x4), "invalidate");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_all(ch, 0x3), "all");
	for (vf = 0; vf < CH_VFS; vf++) {
		TEST_ASSERT_EQUAL(bulk_ring_count(vf), 1, "VF %u: %d doorbells", vf,
				bulk_ring_count(vf));
		want[vf] = vf == 9 ? 0x7 : 0x3;
	}
	return bulk_assert_delivered(want);
}

static struct unit_test_suite channel_bulk_suite = {
	.suite_name = "channel bulk invalidation (lib/vfbc)",
	.setup = bulk_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(bulk_case_setup, bulk_case_teardown,
			test_channel_bulk_should_give_every_vf_exactly_its_mask),
		TEST_CASE_ST(bulk_case_setup, bulk_case_teardown,
			test_channel_bulk_duplicates_should_or_together),
		TEST_CASE_ST(bulk_case_setup, bulk_case_teardown,
			test_channel_bulk_of_65535_entries_should_or_each_vfs_masks),
		TEST_CASE_ST(bulk_case_setup, bulk_case_teardown,
			test_channel_bulk_with_a_full_ring_should_lose_no_bit),
		TEST_CASE_ST(bulk_case_setup, bulk_case_teardown,
			test_channel_bulk_bad_input_should_change_nothing),
		TEST_CASE_ST(bulk_case_setup, bulk_case_teardown,
			test_channel_invalidate_all_should_ring_each_vf_once),
		TEST_CASES_END(),
	},
};

static int
test_channel_bulk(void)
{
	return unit_test_suite_runner(&channel_bulk_suite);
}

REGISTER_TEST_COMMAND(channel_bulk_autotest, test_channel_bulk);
