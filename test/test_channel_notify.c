/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, invalidation path in one process: coalescing, no
 * phantom bits, a full notify ring that loses nothing, a notify ring whose
 * indexes the VF wrecked (the PF's own index kept, the VF's bounded, no bit
 * lost), data-before-bit ordering, bits kept for a consumer that comes
 * back, the idle question, bad arguments. The creating handle plays the consumer too: it
 * claims every VF.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_notify"
#define CH_VFS 4

static struct vfbc_channel *ch;

static int
notify_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
notify_case_setup(void)
{
	uint16_t vf;

	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	for (vf = 0; vf < CH_VFS; vf++)
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(ch, vf, -1), "claim of VF %u", vf);
	return TEST_SUCCESS;
}

static void
notify_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static int
notify_ring_count(uint16_t vf)
{
	const struct vfbc_ring_shm *r = __vfbc_channel_ring(ch, vf, ch->notify_ring_off);

	return __vfbc_ring_count(r, __atomic_load_n(&r->cons, __ATOMIC_RELAXED),
				 VFBC_CHANNEL_NOTIFY_RING_SIZE);
}

/* Nothing pending on any VF: poll returns 0 and leaves the mask alone. */
static int
notify_assert_all_idle(void)
{
	uint64_t mask;
	uint16_t vf;

	for (vf = 0; vf < CH_VFS; vf++) {
		mask = 0xabcd;
		TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, vf, &mask), 0,
				"VF %u has something pending", vf);
		TEST_ASSERT_EQUAL(mask, 0xabcd, "poll wrote the mask with nothing pending");
	}
	return TEST_SUCCESS;
}

static int
test_channel_invalidates_before_poll_should_coalesce_into_one_delivery(void)
{
	struct vfbc_channel_stats st;
	uint64_t mask;

	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x1), "invalidate failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x4), "invalidate failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, UINT64_C(1) << 63),
			"invalidate failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x4), "invalidate failed");
	TEST_ASSERT_EQUAL(notify_ring_count(1), 1, "expected one doorbell for the burst");

	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, (UINT64_C(1) << 63) | 0x5, "delivered 0x%" PRIx64, mask);
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 0,
			"second delivery of the same bits");

	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 1, &st), "stats_get failed");
	TEST_ASSERT_EQUAL(st.invalidations, 4, "invalidations %" PRIu64, st.invalidations);
	TEST_ASSERT_EQUAL(st.doorbells, 1, "doorbells %" PRIu64, st.doorbells);
	TEST_ASSERT_EQUAL(st.coalesced, 3, "coalesced %" PRIu64, st.coalesced);
	TEST_ASSERT_EQUAL(st.deliveries, 1, "deliveries %" PRIu64, st.deliveries);
	return notify_assert_all_idle();
}

static int
test_channel_delivery_should_hold_only_bits_set_since_the_previous_one(void)
{
	uint64_t mask;

	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, 0x3), "invalidate failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, 0x3, "delivered 0x%" PRIx64, mask);

	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, 0x4), "invalidate failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, 0x4, "phantom bits: delivered 0x%" PRIx64, mask);

	/* Other VFs saw none of it. */
	return notify_assert_all_idle();
}

static int
test_channel_full_notify_ring_should_lose_no_bit(void)
{
	struct vfbc_channel_notify_elem junk;
	struct vfbc_channel_stats st;
	struct vfbc_ring_shm *r;
	uint64_t expected;
	uint64_t mask;
	unsigned int filled;
	unsigned int i;

	/* Fill the ring with doorbells carrying bits nobody invalidated (as the PF). */
	r = __vfbc_channel_ring(ch, 2, ch->notify_ring_off);
	memset(&junk, 0, sizeof(junk));
	junk.mask = UINT64_C(0xdead0000beef0000);
	filled = 0;
	while (__vfbc_ring_enqueue(r, &ch->pf[2].notify_prod, VFBC_CHANNEL_NOTIFY_RING_SIZE,
				   &junk, sizeof(junk)) == 0)
		filled++;
	TEST_ASSERT_EQUAL(filled, VFBC_CHANNEL_NOTIFY_RING_SIZE, "ring took %u of %u", filled,
			VFBC_CHANNEL_NOTIFY_RING_SIZE);

	expected = 0;
	for (i = 0; i < 64; i += 3) {
		TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 2, UINT64_C(1) << i),
				"invalidate failed with a full ring");
		expected |= UINT64_C(1) << i;
	}
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 2, &st), "stats_get failed");
	TEST_ASSERT(st.notify_ring_full >= 1, "the full ring was not counted");

	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 2, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, expected, "delivered 0x%" PRIx64 ", invalidated 0x%" PRIx64,
			mask, expected);
	TEST_ASSERT_EQUAL(notify_ring_count(2), 0, "poll left doorbells in the ring");

	/* Drained and re-armed: the next invalidate rings again. */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 2, 0x2), "invalidate failed");
	TEST_ASSERT_EQUAL(notify_ring_count(2), 1, "no doorbell after the ring drained");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 2, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, 0x2, "delivered 0x%" PRIx64, mask);
	return notify_assert_all_idle();
}

static int
test_channel_wrecked_notify_ring_should_be_bounded_and_lose_no_bit(void)
{
	struct vfbc_channel_notify_elem *slots;
	struct vfbc_channel_stats st;
	struct vfbc_channel_shm_vf *v;
	uint8_t after[64], after0[64];
	struct vfbc_ring_shm *r;
	uint64_t mask;

	r = __vfbc_channel_ring(ch, 1, ch->notify_ring_off);
	v = __vfbc_channel_vf(ch, 1);
	slots = (struct vfbc_channel_notify_elem *)(void *)(r + 1);
	/* What follows the ring (the request ring's header) must stay as it is. */
	memcpy(after0, (uint8_t *)__vfbc_channel_ring(ch, 1, ch->req_ring_off), sizeof(after0));

	/*
	 * The PF's index in shared memory rewritten far away: the PF enqueues
	 * at its own index (0), into slot 0, and publishes it again.
	 */
	__atomic_store_n(&r->prod, 0x00100000u, __ATOMIC_RELEASE);
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x10), "invalidate");
	TEST_ASSERT_EQUAL(slots[0].mask, 0x10, "doorbell not in slot 0");
	TEST_ASSERT_EQUAL(r->prod, 1, "producer index %#x", r->prod);

	/* A consumer index claiming more room than the ring has: refused, counted, bits kept. */
	__atomic_store_n(&v->notify.armed, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&r->cons, 0x00100000u, __ATOMIC_RELEASE);
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x20), "invalidate");
	TEST_ASSERT_EQUAL(r->prod, 1, "producer index moved to %#x", r->prod);
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 1, &st), "stats_get failed");
	TEST_ASSERT(st.ring_corrupt == 1 && st.notify_ring_full == 0 && st.doorbells == 1,
			"ring_corrupt %" PRIu64 " notify_ring_full %" PRIu64 " doorbells %"
			PRIu64, st.ring_corrupt, st.notify_ring_full, st.doorbells);
	memcpy(after, (uint8_t *)__vfbc_channel_ring(ch, 1, ch->req_ring_off), sizeof(after));
	TEST_ASSERT_BUFFERS_ARE_EQUAL(after, after0, sizeof(after),
			"the PF wrote past the notify ring");

	/* The consumer polls on: every bit is still there for it. */
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, 0x30, "delivered 0x%" PRIx64, mask);
	return notify_assert_all_idle();
}

static int
test_channel_each_delivery_cycle_should_ring_exactly_one_doorbell(void)
{
	uint64_t mask;
	unsigned int cycle;

	for (cycle = 0; cycle < 3 * VFBC_CHANNEL_NOTIFY_RING_SIZE; cycle++) {
		TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 3, UINT64_C(1) << (cycle % 64)),
				"invalidate failed");
		TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 3, 0x1), "invalidate failed");
		TEST_ASSERT_EQUAL(notify_ring_count(3), 1, "cycle %u: %d doorbells", cycle,
				notify_ring_count(3));
		TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 3, &mask), 1,
				"cycle %u: nothing delivered", cycle);
		TEST_ASSERT_EQUAL(mask, (UINT64_C(1) << (cycle % 64)) | 0x1,
				"cycle %u: delivered 0x%" PRIx64, cycle, mask);
	}
	return TEST_SUCCESS;
}

static int
test_channel_block_written_before_invalidate_should_be_read_after_the_bit(void)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	uint64_t mask;

	memset(data, 0x11, sizeof(data));
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 5, data, 100), "write failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, UINT64_C(1) << 5), "invalidate failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, UINT64_C(1) << 5, "delivered 0x%" PRIx64, mask);
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 5, buf, sizeof(buf)), 100,
			"wrong block length");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 100, "block data is not what was written");

	/* Rewritten after the invalidate: the reader gets the newer data. */
	memset(data, 0x22, sizeof(data));
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 5, data, 50), "write failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, UINT64_C(1) << 5), "invalidate failed");
	memset(data, 0x33, sizeof(data));
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 5, data, 60), "write failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 5, buf, sizeof(buf)), 60,
			"wrong block length");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 60, "block data is not the newest");
	return TEST_SUCCESS;
}

static int
test_channel_invalidate_all_should_reach_every_vf_once(void)
{
	uint64_t mask;
	uint16_t vf;

	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 2, 0x10), "invalidate failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate_all(ch, 0x9), "invalidate_all failed");
	for (vf = 0; vf < CH_VFS; vf++) {
		TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, vf, &mask), 1,
				"VF %u: nothing delivered", vf);
		TEST_ASSERT_EQUAL(mask, vf == 2 ? 0x19 : 0x9, "VF %u: delivered 0x%" PRIx64,
				vf, mask);
	}
	return notify_assert_all_idle();
}

static int
test_channel_consumer_coming_back_should_get_bits_set_while_away(void)
{
	struct vfbc_channel *vf_side;
	uint64_t mask;
	unsigned int i;

	/* The VF consumer takes a first delivery, then goes away (its handle releases). */
	TEST_ASSERT_SUCCESS(vfbc_channel_release(ch, 0), "release");
	vf_side = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(vf_side, "attach failed: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(vf_side, 0, -1), "claim");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, 0x1), "invalidate failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(vf_side, 0, &mask), 1, "no delivery");
	vfbc_channel_free(vf_side);

	for (i = 0; i < 1000; i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, UINT64_C(1) << (i % 40)),
				"invalidate failed");

	vf_side = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(vf_side, "re-attach failed: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(vf_side, 0, -1), "claim again");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(vf_side, 0, &mask), 1, "no delivery");
	TEST_ASSERT_EQUAL(mask, (UINT64_C(1) << 40) - 1, "delivered 0x%" PRIx64, mask);
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(vf_side, 0, &mask), 0, "redelivered");
	vfbc_channel_free(vf_side);
	return TEST_SUCCESS;
}

/*
 * vfbc_channel_poll_idle(): 1 exactly when a poll would return 0, and it
 * takes nothing (a doorbell, bits, a resync: each alone makes it 0).
 */
static int
test_channel_poll_idle_should_say_what_a_poll_would_find_and_take_nothing(void)
{
	struct vfbc_channel_shm_vf *v = __vfbc_channel_vf(ch, 1);
	uint64_t mask;
	unsigned int i;

	for (i = 0; i < CH_VFS; i++)
		TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, i), 1, "VF %u not idle", i);
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x5), "invalidate");
	for (i = 0; i < 1000; i++)
		TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 1), 0, "bits pending, said idle");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 0), 1, "another VF's bits");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 1, "no delivery");
	TEST_ASSERT_EQUAL(mask, 0x5, "delivered 0x%" PRIx64 " after the questions", mask);
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 1), 1, "idle after the delivery");

	/* A doorbell alone (its bits taken behind the poll's back). */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, 0x8), "invalidate");
	__atomic_exchange_n(&v->notify.pending, 0, __ATOMIC_SEQ_CST);
	TEST_ASSERT_EQUAL(notify_ring_count(1), 1, "no doorbell queued");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 1), 0, "a doorbell pending, said idle");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 1, &mask), 0, "nothing to deliver");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 1), 1, "idle once drained");

	/* A resync alone. */
	__atomic_store_n(&v->consumer.resync, 1, __ATOMIC_RELEASE);
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 1), 0, "a resync pending, said idle");
	__atomic_store_n(&v->consumer.resync, 0, __ATOMIC_RELEASE);

	/* The claim gone: a poll would say -EPERM. */
	TEST_ASSERT_SUCCESS(vfbc_channel_release(ch, 2), "release");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, 2), 0, "released, said idle");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 2, &mask), -EPERM, "poll");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(NULL, 0), -EINVAL, "NULL channel");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_idle(ch, CH_VFS), -EINVAL, "vf == nb_vfs");
	return TEST_SUCCESS;
}

static int
test_channel_invalidate_bad_arguments_should_change_nothing(void)
{
	struct vfbc_channel_stats st;
	uint64_t mask;

	TEST_ASSERT_EQUAL(vfbc_channel_invalidate(NULL, 0, 1), -EINVAL, "NULL channel");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate(ch, CH_VFS, 1), -EINVAL, "vf == nb_vfs");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate(ch, UINT16_MAX, 1), -EINVAL, "vf 65535");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate(ch, 0, 0), -EINVAL, "mask 0");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_all(NULL, 1), -EINVAL, "all: NULL channel");
	TEST_ASSERT_EQUAL(vfbc_channel_invalidate_all(ch, 0), -EINVAL, "all: mask 0");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(NULL, 0, &mask), -EINVAL, "poll NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, NULL), -EINVAL, "poll no mask");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, CH_VFS, &mask), -EINVAL,
			"poll vf == nb_vfs");
	TEST_ASSERT_EQUAL(vfbc_channel_stats_get(NULL, 0, &st), -EINVAL, "stats NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_stats_get(ch, 0, NULL), -EINVAL, "stats no out");
	TEST_ASSERT_EQUAL(vfbc_channel_stats_get(ch, CH_VFS, &st), -EINVAL, "stats bad vf");
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &st), "stats_get failed");
	TEST_ASSERT_EQUAL(st.invalidations, 0, "a refused call was counted");
	return notify_assert_all_idle();
}

static struct unit_test_suite channel_notify_suite = {
	.suite_name = "channel notify (lib/vfbc)",
	.setup = notify_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_invalidates_before_poll_should_coalesce_into_one_delivery),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_delivery_should_hold_only_bits_set_since_the_previous_one),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_full_notify_ring_should_lose_no_bit),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_wrecked_notify_ring_should_be_bounded_and_lose_no_bit),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_each_delivery_cycle_should_ring_exactly_one_doorbell),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_block_written_before_invalidate_should_be_read_after_the_bit),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_invalidate_all_should_reach_every_vf_once),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_consumer_coming_back_should_get_bits_set_while_away),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_poll_idle_should_say_what_a_poll_would_find_and_take_nothing),
		TEST_CASE_ST(notify_case_setup, notify_case_teardown,
			test_channel_invalidate_bad_arguments_should_change_nothing),
		TEST_CASES_END(),
	},
};

static int
test_channel_notify(void)
{
	return unit_test_suite_runner(&channel_notify_suite);
}

REGISTER_TEST_COMMAND(channel_notify_autotest, test_channel_notify);
