/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * the PF's block store is the VF's to write.
 *
 * vfbc_pf_read_config_block() promises "what the PF or an accepted VF write
 * stored last" (vfbc_pmd_pf.h), and the application's RTE_ETH_EVENT_VF_MBOX
 * verdict decides which VF block writes are accepted. But the PF reads the
 * block back from the VF's slot in the channel (vfbc_pf_api.c ->
 * vfbc_channel_block_read() on the shared slot), which lies in the VF's own
 * area: any VF process writes it directly (the threat model's "buggy VF
 * process: garbage in its own ... block slots"). So:
 *
 * - veto bypass: the application refuses the VF's write of block 13 (the VF
 *   gets -EPERM), the VF writes the slot itself, and the PF's
 *   vfbc_pf_read_config_block() returns the refused bytes as its own store;
 * - a block the PF wrote reads back as what the VF put there;
 * - a VF that leaves the slot's sequence odd makes every PF read of that
 *   block fail (-EAGAIN), for good.
 *
 * Expected: the PF reads back what it wrote, or what it accepted. Observed:
 * the VF's bytes, and -EAGAIN.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define BS_VF		1
#define START_MS	60000
#define CMD_MS		20000

static struct mp_world bsw;
static struct mp_child bsc = { .pid = -1, .to_fd = -1, .from_fd = -1 };

/* The application refuses block 13. */
static int
bs_veto(uint16_t port_id __rte_unused, enum rte_eth_event_type type __rte_unused,
	void *cb_arg __rte_unused, void *ret_param)
{
	struct vfbc_pf_mbox_event *ev = ret_param;

	if (ev != NULL && ev->phase == VFBC_PF_MBOX_PHASE_REQUEST &&
	    ev->type == VFBC_PF_MBOX_BLOCK_WRITE && ev->block_id == 13)
		ev->verdict = VFBC_PF_MBOX_VERDICT_REJECT;
	return 0;
}

static int
bs_setup(void)
{
	char rest[MP_LINE_MAX];
	int ret;

	ret = mp_world_start(&bsw, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(bsw.pf_port, RTE_ETH_EVENT_VF_MBOX,
							  bs_veto, NULL), "callback");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(bsw.pf_port), "PF service");
	TEST_ASSERT(mp_child_spawn(&bsc, "mp_hostile_vf", "--no-pci", NULL) == 0 &&
		    mp_child_expect(&bsc, "ready", rest, sizeof(rest), START_MS) == 0 &&
		    mp_child_ret(&bsc, NULL, 0, CMD_MS, "claim %u", BS_VF) == 0,
		    "the VF process did not start holding VF %u's claim", BS_VF);
	return TEST_SUCCESS;
}

static void
bs_teardown(void)
{
	mp_pf_server_stop();
	if (bsc.pid > 0 && mp_child_send(&bsc, "quit") == 0)
		mp_child_expect(&bsc, "bye", NULL, 0, CMD_MS);
	/* Let it finish its EAL cleanup: killed in there, it may hold the heap lock. */
	if (bsc.pid > 0)
		mp_child_wait(&bsc, CMD_MS);
	mp_child_close(&bsc);
	rte_eth_dev_callback_unregister(bsw.pf_port, RTE_ETH_EVENT_VF_MBOX, bs_veto, NULL);
}

static int
test_refused_block_write_lands_anyway(void)
{
	uint8_t got[VFBC_CHANNEL_BLOCK_SIZE];
	char rest[MP_LINE_MAX];
	int st, n;

	/* The VF asks: the application says no. */
	TEST_ASSERT_EQUAL(mp_child_ret(&bsc, NULL, 0, CMD_MS, "post %u %u 13 deadbeef", BS_VF,
				       VFBC_CHANNEL_REQ_BLOCK_WRITE), 0, "post");
	TEST_ASSERT_SUCCESS(mp_child_cmd(&bsc, "wait", rest, sizeof(rest), CMD_MS, "wait %u 2000",
					 BS_VF), "wait");
	TEST_ASSERT(sscanf(rest, "ret=1 status=%d", &st) == 1 && st == -EPERM,
		    "the vetoed write was answered \"%s\"", rest);
	TEST_ASSERT_EQUAL(vfbc_pf_read_config_block(bsw.pf_port, BS_VF, 13, got, sizeof(got)),
			  -ENOENT, "block 13 was stored though refused");
	/* The VF writes its slot itself. */
	TEST_ASSERT_EQUAL(mp_child_ret(&bsc, NULL, 0, CMD_MS, "blockput %u 13 deadbeef", BS_VF),
			  0, "blockput");
	n = vfbc_pf_read_config_block(bsw.pf_port, BS_VF, 13, got, sizeof(got));
	if (n == 4 && memcmp(got, "\xde\xad\xbe\xef", 4) == 0) {
		printf("the PF's store holds block 13 = deadbeef, a write its application "
		       "refused\n");
		return TEST_FAILED;
	}
	TEST_ASSERT_EQUAL(n, -ENOENT, "block 13 read %d", n);
	return TEST_SUCCESS;
}

static int
test_pf_block_reads_back_vf_bytes(void)
{
	const uint8_t mine[4] = { 0x11, 0x22, 0x33, 0x44 };
	uint8_t got[VFBC_CHANNEL_BLOCK_SIZE];
	int n;

	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(bsw.pf_port, BS_VF, 5, mine, 4), "write");
	TEST_ASSERT_EQUAL(mp_child_ret(&bsc, NULL, 0, CMD_MS, "blockput %u 5 6666666666666666",
				       BS_VF), 0, "blockput");
	n = vfbc_pf_read_config_block(bsw.pf_port, BS_VF, 5, got, sizeof(got));
	if (n != 4 || memcmp(got, mine, 4) != 0) {
		printf("the PF wrote block 5 = 11223344 and reads back %d bytes: %02x%02x%02x%02x"
		       "...\n", n, got[0], got[1], got[2], got[3]);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static int
test_pf_block_read_denied_by_vf(void)
{
	const uint8_t mine[4] = { 0x55, 0x66, 0x77, 0x88 };
	uint8_t got[VFBC_CHANNEL_BLOCK_SIZE];
	int n;

	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(bsw.pf_port, BS_VF, 6, mine, 4), "write");
	TEST_ASSERT_EQUAL(mp_child_ret(&bsc, NULL, 0, CMD_MS, "blockseq %u 6", BS_VF), 0,
			  "blockseq");
	n = vfbc_pf_read_config_block(bsw.pf_port, BS_VF, 6, got, sizeof(got));
	if (n != 4) {
		printf("the PF cannot read back the block it wrote: %d (%s)\n", n,
		       n == -EAGAIN ? "-EAGAIN" : "?");
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite block_store_suite = {
	.suite_name = "the PF's block store in the VF's area (a red-team finding)",
	.setup = bs_setup,
	.teardown = bs_teardown,
	.unit_test_cases = {
		TEST_CASE(test_refused_block_write_lands_anyway),
		TEST_CASE(test_pf_block_reads_back_vf_bytes),
		TEST_CASE(test_pf_block_read_denied_by_vf),
		TEST_CASES_END()
	}
};

static int
test_mp_block_store(void)
{
	return unit_test_suite_runner(&block_store_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_block_store_autotest, test_mp_block_store,
				  "--total-vfs 4", "mp");
