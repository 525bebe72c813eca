/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, the service summary: a slot per channel the primary
 * creates, the bit a post sets when it rings a doorbell word from 0, taken
 * once by vfbc_channel_summary_take() or by the channel's own scan; what a
 * scan leaves for later and vfbc_channel_summary_mark() set it again, an
 * invalidation does not. A freed channel gives its slot back; when the
 * slots run out a channel has none and its requests are found all the
 * same. A slot a consumer wrote into the header misleads the marks until
 * the creator's next scan writes it back.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>

#include "test.h"

#define SU_VFS 128

static struct vfbc_channel *su_a, *su_b;

static int
summary_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
summary_case_setup(void)
{
	uint16_t vf;

	su_a = vfbc_channel_create("t_sum_a", SU_VFS, SOCKET_ID_ANY);
	su_b = vfbc_channel_create("t_sum_b", SU_VFS, SOCKET_ID_ANY);
	TEST_ASSERT(su_a != NULL && su_b != NULL, "create: %s", rte_strerror(rte_errno));
	/* The creating handles play the consumers too. */
	for (vf = 0; vf < SU_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(su_a, vf, -1), "claim A %u", vf);
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(su_b, vf, -1), "claim B %u", vf);
	}
	return TEST_SUCCESS;
}

static void
summary_case_teardown(void)
{
	vfbc_channel_free(su_a);
	vfbc_channel_free(su_b);
	su_a = su_b = NULL;
}

static int
su_post(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_req req;

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req.target = 1;
	req.len = 4;
	return vfbc_channel_request_post(ch, vf, &req);
}

static int
su_bit(const uint64_t *bits, int slot)
{
	return (bits[slot / 64] >> (slot % 64)) & 1;
}

/* The bits set: only slot's (or none for slot -1). */
static int
su_take_expect(int slot, const char *what)
{
	uint64_t bits[VFBC_CHANNEL_SUMMARY_WORDS];
	unsigned int w, nb = 0;
	int ret;

	ret = vfbc_channel_summary_take(bits, RTE_DIM(bits));
	for (w = 0; w < RTE_DIM(bits); w++)
		nb += __builtin_popcountll(bits[w]);
	if (slot < 0) {
		TEST_ASSERT_EQUAL(ret, 0, "%s: take %d, %u bits", what, ret, nb);
		TEST_ASSERT_EQUAL(nb, 0u, "%s: %u bits", what, nb);
		return TEST_SUCCESS;
	}
	TEST_ASSERT_EQUAL(ret, 1, "%s: take %d", what, ret);
	TEST_ASSERT(su_bit(bits, slot) && nb == 1, "%s: %u bits, slot %d's %s", what, nb, slot,
		    su_bit(bits, slot) ? "set" : "clear");
	return TEST_SUCCESS;
}

static int
test_summary_slots(void)
{
	int a = vfbc_channel_summary_slot(su_a), b = vfbc_channel_summary_slot(su_b);
	struct vfbc_channel *iso, *att;

	TEST_ASSERT(a >= 0 && b >= 0 && a != b, "slots %d and %d", a, b);
	TEST_ASSERT(a < VFBC_CHANNEL_SUMMARY_SLOTS && b < VFBC_CHANNEL_SUMMARY_SLOTS, "range");
	TEST_ASSERT_EQUAL(__vfbc_channel_hdr(su_a)->summary_slot, a + 1, "header's slot");
	iso = vfbc_channel_create_isolated("t_sum_iso", 4);
	TEST_ASSERT_NOT_NULL(iso, "isolated: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_summary_slot(iso), -ENOENT, "isolated has a slot");
	TEST_ASSERT_EQUAL(vfbc_channel_summary_mark(iso), -ENOENT, "isolated marked");
	vfbc_channel_free(iso);
	att = vfbc_channel_attach("t_sum_a");
	TEST_ASSERT_NOT_NULL(att, "attach: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_summary_slot(att), -EPERM, "consumer's slot");
	TEST_ASSERT_EQUAL(vfbc_channel_summary_mark(att), -EPERM, "consumer's mark");
	vfbc_channel_free(att);
	TEST_ASSERT_EQUAL(vfbc_channel_summary_slot(NULL), -EINVAL, "NULL slot");
	TEST_ASSERT_EQUAL(vfbc_channel_summary_mark(NULL), -EINVAL, "NULL mark");
	TEST_ASSERT_EQUAL(vfbc_channel_summary_take(NULL, VFBC_CHANNEL_SUMMARY_WORDS), -EINVAL,
			  "NULL bits");
	/* A freed channel's slot is the next one's. */
	vfbc_channel_free(su_b);
	su_b = vfbc_channel_create("t_sum_b", SU_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(su_b, "create again: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_summary_slot(su_b), b, "slot %d, was %d",
			  vfbc_channel_summary_slot(su_b), b);
	return TEST_SUCCESS;
}

static int
test_summary_post_take(void)
{
	int a = vfbc_channel_summary_slot(su_a), b = vfbc_channel_summary_slot(su_b);
	struct vfbc_channel_req req;
	struct vfbc_channel *att;
	uint64_t small[1];
	uint16_t vfs[SU_VFS];
	int ret;

	TEST_ASSERT_SUCCESS(su_take_expect(-1, "nothing posted"), "%s", "");
	TEST_ASSERT_EQUAL(vfbc_channel_summary_take(small, 1), -EINVAL, "one word");
	/* A post marks its channel, once; an invalidation does not. */
	TEST_ASSERT_SUCCESS(su_post(su_b, 3), "post");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(su_a, 5, 1), "invalidate");
	TEST_ASSERT_SUCCESS(su_take_expect(b, "one post on B"), "%s", "");
	TEST_ASSERT_SUCCESS(su_take_expect(-1, "taken"), "%s", "");
	/* Its doorbell is still there: the summary is a hint, the scan the truth. */
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_pending(su_b), 1, "B's doorbell");
	/* A word already rung does not mark again; another word does. */
	TEST_ASSERT_SUCCESS(su_post(su_b, 4), "post");
	TEST_ASSERT_SUCCESS(su_take_expect(-1, "word 0 was rung already"), "%s", "");
	TEST_ASSERT_SUCCESS(su_post(su_b, 70), "post");
	TEST_ASSERT_SUCCESS(su_take_expect(b, "word 1 rung"), "%s", "");
	ret = vfbc_channel_doorbell_scan(su_b, vfs, RTE_DIM(vfs));
	TEST_ASSERT_EQUAL(ret, 3, "scan found %d", ret);
	while (vfbc_channel_request_dequeue(su_b, 3, &req) == 1 ||
	       vfbc_channel_request_dequeue(su_b, 4, &req) == 1 ||
	       vfbc_channel_request_dequeue(su_b, 70, &req) == 1)
		;
	/* The channel's own scan takes its mark, before it reads the doorbells. */
	TEST_ASSERT_SUCCESS(su_post(su_a, 0), "post");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(su_a, vfs, RTE_DIM(vfs)), 1, "scan A");
	TEST_ASSERT_SUCCESS(su_take_expect(-1, "A's scan took its mark"), "%s", "");
	(void)vfbc_channel_request_dequeue(su_a, 0, &req);
	/* What a scan had no room for is marked again. */
	TEST_ASSERT_SUCCESS(su_post(su_a, 1), "post");
	TEST_ASSERT_SUCCESS(su_post(su_a, 2), "post");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(su_a, vfs, 1), 1, "scan of 1");
	TEST_ASSERT_SUCCESS(su_take_expect(a, "the scan's leftover"), "%s", "");
	/* A mark; and an attached consumer's post marks as the creator's. */
	TEST_ASSERT_SUCCESS(vfbc_channel_summary_mark(su_b), "mark");
	TEST_ASSERT_SUCCESS(su_take_expect(b, "marked"), "%s", "");
	TEST_ASSERT_SUCCESS(vfbc_channel_release(su_b, 9), "release");
	att = vfbc_channel_attach("t_sum_b");
	TEST_ASSERT_NOT_NULL(att, "attach: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(att, 9, -1), "claim through the attacher");
	TEST_ASSERT_SUCCESS(su_post(att, 9), "post");
	TEST_ASSERT_SUCCESS(su_take_expect(b, "attacher's post"), "%s", "");
	vfbc_channel_free(att);
	return TEST_SUCCESS;
}

/*
 * A header a consumer wrote: a slot that cannot be, none (0), or another
 * channel's. The attacher's posts mark what the header says (nothing, or
 * the other channel) until the creator's next scan, which finds the
 * requests all the same (the service's full look), writes the slot back;
 * the next post marks its own channel again.
 */
static int
test_summary_bad_header(void)
{
	struct vfbc_channel_shm_hdr *hdr = __vfbc_channel_hdr(su_a);
	int a = vfbc_channel_summary_slot(su_a), b = vfbc_channel_summary_slot(su_b);
	const uint16_t bad[] = { VFBC_CHANNEL_SUMMARY_SLOTS + 1, UINT16_MAX, 0,
				 (uint16_t)(b + 1) };
	uint16_t saved = hdr->summary_slot, vfs[SU_VFS];
	struct vfbc_channel_req req;
	struct vfbc_channel *att;
	unsigned int i;

	TEST_ASSERT_SUCCESS(vfbc_channel_release(su_a, 7), "release");
	att = vfbc_channel_attach("t_sum_a");
	TEST_ASSERT_NOT_NULL(att, "attach: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(att, 7, -1), "claim through the attacher");
	for (i = 0; i < RTE_DIM(bad); i++) {
		hdr->summary_slot = bad[i];
		TEST_ASSERT_SUCCESS(su_post(att, 7), "post");
		TEST_ASSERT_SUCCESS(su_take_expect(i + 1 < RTE_DIM(bad) ? -1 : b,
				    "a post while the header names no slot, or B's"),
				    "header slot %u", bad[i]);
		TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(su_a, vfs, RTE_DIM(vfs)), 1,
				  "header slot %u: the scan", bad[i]);
		TEST_ASSERT_EQUAL(hdr->summary_slot, saved, "header slot %u not written back",
				  bad[i]);
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(su_a, 7, &req), 1, "dequeue");
		TEST_ASSERT_SUCCESS(su_post(att, 7), "post");
		TEST_ASSERT_SUCCESS(su_take_expect(a, "a post after the scan wrote it back"),
				    "header slot %u", bad[i]);
		TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(su_a, vfs, RTE_DIM(vfs)), 1, "scan");
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(su_a, 7, &req), 1, "dequeue");
	}
	vfbc_channel_free(att);
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(su_a, 7, -1), "claim again");
	return TEST_SUCCESS;
}

/* When the slots run out, a channel has none and is served all the same. */
static int
test_summary_exhausted(void)
{
	static struct vfbc_channel *chs[VFBC_CHANNEL_SUMMARY_SLOTS];
	struct vfbc_channel *last = NULL;
	unsigned int n = 0, i;
	uint16_t vfs[4];
	char name[32];
	int ret = TEST_SUCCESS;

	for (i = 0; i < RTE_DIM(chs); i++) {
		snprintf(name, sizeof(name), "t_sum_x%u", i);
		chs[n] = vfbc_channel_create(name, 1, SOCKET_ID_ANY);
		if (chs[n] == NULL) {
			printf("channel %u: %s\n", i, rte_strerror(rte_errno));
			ret = TEST_FAILED;
			break;
		}
		if (vfbc_channel_summary_slot(chs[n]) == -ENOENT) {
			last = chs[n++];
			break;
		}
		n++;
	}
	if (ret == TEST_SUCCESS && last == NULL) {
		printf("%u channels and a slot each: the slots never ran out\n", n);
		ret = TEST_FAILED;
	}
	/* Two were made by the case: the slots ran out at the 255th here. */
	if (ret == TEST_SUCCESS && n != VFBC_CHANNEL_SUMMARY_SLOTS - 1) {
		printf("slots ran out after %u channels here\n", n - 1);
		ret = TEST_FAILED;
	}
	if (ret == TEST_SUCCESS && (vfbc_channel_claim(last, 0, -1) != 0 ||
				    su_post(last, 0) != 0 ||
				    su_take_expect(-1, "no slot") != TEST_SUCCESS ||
				    vfbc_channel_doorbell_scan(last, vfs, 4) != 1)) {
		printf("the channel without a slot is not served\n");
		ret = TEST_FAILED;
	}
	for (i = 0; i < n; i++)
		vfbc_channel_free(chs[i]);
	return ret;
}

static struct unit_test_suite channel_summary_suite = {
	.suite_name = "channel service summary",
	.setup = summary_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(summary_case_setup, summary_case_teardown, test_summary_slots),
		TEST_CASE_ST(summary_case_setup, summary_case_teardown, test_summary_post_take),
		TEST_CASE_ST(summary_case_setup, summary_case_teardown, test_summary_bad_header),
		TEST_CASE_ST(summary_case_setup, summary_case_teardown, test_summary_exhausted),
		TEST_CASES_END(),
	},
};

static int
test_channel_summary(void)
{
	return unit_test_suite_runner(&channel_summary_suite);
}

REGISTER_TEST_COMMAND(channel_summary_autotest, test_channel_summary);
