/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red team, the service summary (48efa5f). What a consumer writes to shared
 * memory must at worst delay a request to the next full look, and must
 * never decide a slot ("nothing a consumer writes decides a slot",
 * vfbc_lib.rst, Service Summary):
 *
 *  - header_redirect: a consumer writes its channel header's summary_slot
 *    (the header is consumer-writable: the doorbells live in it). On
 *    48efa5f every later attacher of that channel rang ANOTHER channel's
 *    bit, for good. Now an attacher reads the slot at each mark: the first
 *    post after the write is misled (found by the service's full look),
 *    whose scan of the channel writes the slot back; the next post rings
 *    the channel's own bit.
 *  - magic_dos: any process of the group can write the summary memzone
 *    ("the summary is a hint"). One write of its magic (or version) made
 *    vfbc_channel_attach() of every channel of the primary fail (fixed by
 *    5cd4840: the attacher then marks nothing, and is served by the full
 *    look).
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>

#include "test.h"

#define SR_VFS 8

static struct vfbc_channel *sr_a, *sr_b;

static int
sr_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
sr_case_setup(void)
{
	sr_a = vfbc_channel_create("t_sred_a", SR_VFS, SOCKET_ID_ANY);
	sr_b = vfbc_channel_create("t_sred_b", SR_VFS, SOCKET_ID_ANY);
	TEST_ASSERT(sr_a != NULL && sr_b != NULL, "create: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
sr_case_teardown(void)
{
	vfbc_channel_free(sr_a);
	vfbc_channel_free(sr_b);
	sr_a = sr_b = NULL;
}

static int
sr_post(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_req req;

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req.target = 1;
	req.len = 4;
	return vfbc_channel_request_post(ch, vf, &req);
}

static int
test_summary_red_header_redirect(void)
{
	int a = vfbc_channel_summary_slot(sr_a), b = vfbc_channel_summary_slot(sr_b);
	struct vfbc_channel_shm_hdr *hdr = __vfbc_channel_hdr(sr_a);
	uint64_t bits[VFBC_CHANNEL_SUMMARY_WORDS];
	struct vfbc_channel_req req;
	struct vfbc_channel *att;
	uint16_t vfs[SR_VFS];
	int ret, bit_a, bit_b, healed;

	TEST_ASSERT(a >= 0 && b >= 0 && a != b, "slots %d %d", a, b);
	(void)vfbc_channel_summary_take(bits, RTE_DIM(bits));
	/* The hostile consumer of A: one store into A's header. */
	hdr->summary_slot = (uint16_t)(b + 1);
	/* A victim VF of A attaches later and posts. */
	att = vfbc_channel_attach("t_sred_a");
	TEST_ASSERT_NOT_NULL(att, "attach: %s", rte_strerror(rte_errno));
	ret = vfbc_channel_claim(att, 1, -1);
	if (ret == 0)
		ret = sr_post(att, 1);
	/*
	 * That first post rings B's bit (the header says so); A's scan (the
	 * service's full look) finds the request and writes the slot back.
	 */
	if (ret == 0)
		ret = vfbc_channel_summary_take(bits, RTE_DIM(bits));
	if (ret >= 0)
		ret = vfbc_channel_doorbell_scan(sr_a, vfs, RTE_DIM(vfs)) == 1 ? 0 : -EIO;
	if (ret == 0)
		ret = vfbc_channel_request_dequeue(sr_a, 1, &req) == 1 ? 0 : -EIO;
	printf("first post after the write: A's bit %d, B's bit %d; header slot %u after A's "
	       "scan\n", (int)((bits[a / 64] >> (a % 64)) & 1),
	       (int)((bits[b / 64] >> (b % 64)) & 1), hdr->summary_slot);
	healed = hdr->summary_slot == a + 1;
	if (ret == 0)
		ret = sr_post(att, 1);
	if (ret == 0)
		ret = vfbc_channel_summary_take(bits, RTE_DIM(bits));
	vfbc_channel_free(att);
	hdr->summary_slot = (uint16_t)(a + 1);
	TEST_ASSERT(ret >= 0, "claim/post/take: %d", ret);
	TEST_ASSERT(healed, "A's scan did not write its slot back into the header");
	bit_a = (int)((bits[a / 64] >> (a % 64)) & 1);
	bit_b = (int)((bits[b / 64] >> (b % 64)) & 1);
	printf("post on A (slot %d) after A's scan wrote back what a consumer wrote (slot %d): "
	       "A's bit %d, B's bit %d\n", a, b, bit_a, bit_b);
	TEST_ASSERT(bit_a == 1 && bit_b == 0,
		    "a consumer's header write decides the slot later attachers ring: "
		    "A's post set B's bit (%d) and not A's (%d)", bit_b, bit_a);
	return TEST_SUCCESS;
}

static int
test_summary_red_magic_dos(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(VFBC_CHANNEL_SUMMARY_MZ);
	struct vfbc_channel_shm_summary *su;
	struct vfbc_channel *att_a, *att_b;
	uint32_t saved;
	int err_a, err_b;

	TEST_ASSERT_NOT_NULL(mz, "no summary memzone");
	su = mz->addr;
	saved = su->magic;
	/* Any process of the group: one store into the summary's first line. */
	su->magic = 0;
	att_a = vfbc_channel_attach("t_sred_a");
	err_a = rte_errno;
	att_b = vfbc_channel_attach("t_sred_b");
	err_b = rte_errno;
	su->magic = saved;
	vfbc_channel_free(att_a);
	vfbc_channel_free(att_b);
	printf("summary magic cleared: attach A %s (%d), attach B %s (%d)\n",
	       att_a != NULL ? "ok" : "refused", att_a != NULL ? 0 : err_a,
	       att_b != NULL ? "ok" : "refused", att_b != NULL ? 0 : err_b);
	TEST_ASSERT(att_a != NULL && att_b != NULL,
		    "one write to the summary (a hint) refuses every attach of every channel");
	return TEST_SUCCESS;
}

static struct unit_test_suite summary_red_suite = {
	.suite_name = "service summary, red team",
	.setup = sr_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(sr_case_setup, sr_case_teardown, test_summary_red_header_redirect),
		TEST_CASE_ST(sr_case_setup, sr_case_teardown, test_summary_red_magic_dos),
		TEST_CASES_END(),
	},
};

static int
test_summary_red(void)
{
	return unit_test_suite_runner(&summary_red_suite);
}

REGISTER_TEST_COMMAND(summary_red_autotest, test_summary_red);
