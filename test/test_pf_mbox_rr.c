/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf mailbox service over more VFs than a bitmap word holds (200):
 * one vfbc_pf_mbox_poll() answers a request of each of the VFs at both
 * ends of every 64-VF word, whichever VF its round robin starts at, each
 * VF once. The service gathers the VFs to visit from the set bits of its
 * bitmap a word at a time; an off-by-a-word there leaves VFs unanswered.
 * The test process plays the VF side with the channel library.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define RR_TOTAL_VFS 200

static const uint16_t rr_vfs[] = { 0, 1, 62, 63, 64, 65, 127, 128, 191, 192, 198, 199 };

/* One request of each VF of rr_vfs, then one poll: every VF answered once. */
static int
rr_round(uint16_t port, struct vfbc_channel *ch, unsigned int round)
{
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	uint8_t data[4];
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(rr_vfs); i++) {
		memset(data, (int)(round * 16 + i), sizeof(data));
		test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, data, sizeof(data));
		ret = vfbc_channel_request_post(ch, rr_vfs[i], &req);
		TEST_ASSERT_SUCCESS(ret, "round %u: VF %u: post: %s", round, rr_vfs[i],
				    strerror(-ret));
	}
	ret = vfbc_pf_mbox_poll(port, 32);
	TEST_ASSERT_EQUAL(ret, (int)RTE_DIM(rr_vfs), "round %u: one poll answered %d of %u",
			  round, ret, (unsigned int)RTE_DIM(rr_vfs));
	for (i = 0; i < RTE_DIM(rr_vfs); i++) {
		ret = vfbc_channel_response_poll(ch, rr_vfs[i], &resp);
		TEST_ASSERT_EQUAL(ret, 1, "round %u: VF %u: no answer", round, rr_vfs[i]);
		TEST_ASSERT_EQUAL(resp.status, 0, "round %u: VF %u: status %d", round,
				  rr_vfs[i], resp.status);
		TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, rr_vfs[i], &resp), 0,
				  "round %u: VF %u answered twice", round, rr_vfs[i]);
	}
	return TEST_SUCCESS;
}

/* One request of VF 2, one poll that serves it, its answer taken. */
static int
rr_step(uint16_t port, struct vfbc_channel *ch)
{
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	uint8_t data[4] = { 0 };
	int ret;

	test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 2, data, sizeof(data));
	ret = vfbc_channel_request_post(ch, 2, &req);
	TEST_ASSERT_SUCCESS(ret, "VF 2: post: %s", strerror(-ret));
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(port, 32), 1, "VF 2's request not served");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 2, &resp), 1, "VF 2: no answer");
	return TEST_SUCCESS;
}

static int
test_pf_mbox_rr(void)
{
	struct vfbc_channel *ch;
	unsigned int round, k;
	uint16_t port;
	int ret;

	ret = test_pf_world_start(&port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(ch, "no channel");
	ret = TEST_SUCCESS;
	/*
	 * Each poll that serves moves the round robin's start by one VF (an
	 * idle one returns before): start it everywhere, with VF 2's requests.
	 */
	for (round = 0; round < 40 && ret == TEST_SUCCESS; round++) {
		for (k = 0; k < 1 + round * 7 % 61 && ret == TEST_SUCCESS; k++)
			ret = rr_step(port, ch);
		if (ret == TEST_SUCCESS)
			ret = rr_round(port, ch, round);
	}
	vfbc_channel_free(ch);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(pf_mbox_rr_autotest, test_pf_mbox_rr, "--total-vfs 200");
