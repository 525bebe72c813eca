/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * a VF's queued FLR survives the VF's disable and resets its
 * successor.
 *
 * A VF's FLR request becomes a job on the PF's control thread, holding only
 * the VF's index (struct vfbc_pf_mbox_job). Turning virtualization off and
 * on again does not cancel the jobs of the VFs it removed: when the queued
 * job runs, pf_vf_ctrl() finds "VF 1" ready again -- a new function, with a
 * new consumer to come -- and resets it, on the word of a request posted to
 * the VF that was removed.
 *
 * Deterministic here: VF 0's and VF 1's FLRs are queued; the application's
 * RTE_ETH_EVENT_VF_MBOX callback for VF 0's outcome (on the control thread)
 * takes a while, during which the application's main thread disables and
 * re-enables the VFs and marks the new VF 1 (cache line size 0x10). Then
 * VF 1's old job runs.
 *
 * Expected: the old VF 1's FLR is answered -ENXIO (its VF is gone) and the
 * new VF 1 keeps its mark. Observed: the new VF 1 is reset (the mark is
 * wiped, mbox_vf_resets counts it) and the request is answered 0.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define FD_VFS		4
#define FD_WAIT_US	(10 * 1000 * 1000)

static uint16_t fd_port;
static struct vfbc_channel *fd_ch;
static volatile int fd_job0_done, fd_reenabled, fd_job1_done;
static volatile int32_t fd_job1_status = 1;

static int
fd_event(uint16_t port_id __rte_unused, enum rte_eth_event_type type __rte_unused,
	 void *cb_arg __rte_unused, void *ret_param)
{
	struct vfbc_pf_mbox_event *ev = ret_param;
	uint64_t waited;

	if (ev == NULL || ev->phase != VFBC_PF_MBOX_PHASE_DONE ||
	    ev->type != VFBC_PF_MBOX_CFG_WRITE)
		return 0;
	if (ev->vf_id == 0 && !fd_job0_done) {
		/* A slow application callback: VF 1's job waits behind it. */
		fd_job0_done = 1;
		for (waited = 0; !fd_reenabled && waited < FD_WAIT_US; waited += 1000)
			rte_delay_us_sleep(1000);
	} else if (ev->vf_id == 1) {
		fd_job1_status = ev->status;
		fd_job1_done = 1;
	}
	return 0;
}

static int
fd_post_flr(uint16_t vf)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	struct vfbc_channel_req req;
	unsigned int exp;

	if (test_mbox_vf_cfg(vf, 0, cfg, sizeof(cfg)) < 0)
		return -EIO;
	exp = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_EXP);
	if (exp == 0)
		return -ENOTSUP;
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_WRITE;
	req.target = exp + VFBC_PCI_EXP_DEVCTL;
	req.len = 2;
	req.data[0] = cfg[exp + VFBC_PCI_EXP_DEVCTL];
	req.data[1] = cfg[exp + VFBC_PCI_EXP_DEVCTL + 1] | (VFBC_PCI_EXP_DEVCTL_BCR_FLR >> 8);
	return vfbc_channel_request_post(fd_ch, vf, &req);
}

static int
test_queued_flr_resets_the_next_vf(void)
{
	uint8_t mark = 0x10, after = 0xff;
	uint64_t waited, resets;

	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(fd_port, RTE_ETH_EVENT_VF_MBOX,
							  fd_event, NULL), "callback");
	TEST_ASSERT_SUCCESS(fd_post_flr(0), "VF 0's FLR");
	TEST_ASSERT_SUCCESS(fd_post_flr(1), "VF 1's FLR");
	resets = test_pf_xstat(fd_port, "mbox_vf_resets");
	TEST_ASSERT(vfbc_pf_mbox_poll(fd_port, 32) >= 2, "the FLRs were not taken");
	for (waited = 0; !fd_job0_done && waited < FD_WAIT_US; waited += 1000)
		rte_delay_us_sleep(1000);
	TEST_ASSERT(fd_job0_done, "VF 0's FLR did not end");
	/* VF 1's job is still queued: the VFs go, and come back. */
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(fd_port, 0), "disable");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(fd_port, FD_VFS), "enable");
	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(fd_port, 1, &mark, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1, "marking the new VF 1");
	fd_reenabled = 1;
	for (waited = 0; !fd_job1_done && waited < FD_WAIT_US; waited += 1000)
		rte_delay_us_sleep(1000);
	TEST_ASSERT(fd_job1_done, "the old VF 1's FLR was never answered");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(fd_port, 1, &after, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1, "reading the new VF 1");
	printf("the old VF 1's FLR request: answered %d; the new VF 1's mark 0x%02x -> 0x%02x; "
	       "mbox_vf_resets +%" PRIu64 "\n", fd_job1_status, mark, after,
	       test_pf_xstat(fd_port, "mbox_vf_resets") - resets);
	rte_eth_dev_callback_unregister(fd_port, RTE_ETH_EVENT_VF_MBOX, fd_event, NULL);
	if (after != mark) {
		printf("a request posted to the removed VF 1 reset the new VF 1\n");
		return TEST_FAILED;
	}
	TEST_ASSERT(fd_job1_status < 0, "the removed VF's request was answered %d",
		    fd_job1_status);
	return TEST_SUCCESS;
}

static int
fd_setup(void)
{
	int ret;

	ret = test_pf_world_start(&fd_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	fd_ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(fd_ch, "no channel");
	return TEST_SUCCESS;
}

static void
fd_teardown(void)
{
	vfbc_channel_free(fd_ch);
	fd_ch = NULL;
}

static struct unit_test_suite flr_disable_suite = {
	.suite_name = "a queued FLR across a VF disable (a red-team finding)",
	.setup = fd_setup,
	.teardown = fd_teardown,
	.unit_test_cases = {
		TEST_CASE(test_queued_flr_resets_the_next_vf),
		TEST_CASES_END()
	}
};

static int
test_pf_flr_disable(void)
{
	return unit_test_suite_runner(&flr_disable_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_flr_disable_autotest, test_pf_flr_disable,
			    "--total-vfs 4");
