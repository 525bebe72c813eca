/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * closing a PF port (or hot-removing the PF) while a VF's trapped
 * FLR is on the PF's control thread.
 *
 * A VF's FLR request (a config write setting Initiate FLR) becomes a job on
 * the PF's control thread; the job is struct vfbc_pf_mbox_job, which lives
 * inside the port's struct vfbc_pf_mbox (mb->vfs[vf].job), and the job
 * dereferences mb (mb->pf, mb->ch, mb->vfs[vf].busy, mb->revisit) when it
 * runs and when it finishes.
 *
 * vfbc_pf_proc_free() (the port's close, and the PF's hot remove) calls
 * vfbc_pf_mbox_uninit() -- which rte_free()s mb -- BEFORE
 * vfbc_pf_ctl_stop(), which by design runs every queued job before it joins
 * the thread. So:
 *
 * - the job running during the close finishes on freed mb (answers through
 *   mb->ch, takes mb->limit_lock, stores mb->vfs[vf].busy and mb->revisit);
 * - a job still queued starts on freed mb: c.ad = mb->pf->ad.
 *
 * Expected: the close waits for or cancels the VF jobs before the mailbox
 * goes, and the process survives. Observed on the current code: the PF's
 * process dies (SIGSEGV in pf_mbox_job_run on the vfbc-ctl thread).
 *
 * The scenario runs in a primary of its own (hidden command
 * pf_close_jobs_primary), so that its death is this test's verdict.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define CJ_VFS 3	/* VF 0's FLR runs, VF 1's and VF 2's wait in the queue */

/* Post an FLR request (Initiate FLR in Device Control) on VF vf's ring. */
static int
cj_post_flr(struct vfbc_channel *ch, uint16_t vf)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	struct vfbc_channel_req req;
	unsigned int exp;
	int ret;

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
	ret = vfbc_channel_request_post(ch, vf, &req);
	return ret;
}

/* The hidden primary: FLR jobs on the control thread, then close the port. */
static int
pf_close_jobs_primary(void)
{
	struct vfbc_channel *ch;
	uint64_t async;
	uint16_t port, vf;
	int ret, served;

	ret = test_pf_world_start(&port, "-m 64");
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL %d", ret);
		return ret;
	}
	ch = test_mbox_attach();
	if (ch == NULL) {
		mp_agent_send("error no channel");
		return TEST_FAILED;
	}
	for (vf = 0; vf < CJ_VFS; vf++) {
		ret = cj_post_flr(ch, vf);
		if (ret < 0) {
			mp_agent_send("error VF %u: cannot post its FLR: %d", vf, ret);
			return TEST_FAILED;
		}
	}
	async = test_pf_xstat(port, "mbox_async");
	/* One pass hands the three FLRs to the control thread; nothing waits. */
	served = vfbc_pf_mbox_poll(port, 32);
	async = test_pf_xstat(port, "mbox_async") - async;
	mp_agent_send("queued served=%d async=%" PRIu64, served, async);
	/* VF 0's FLR sleeps >= 100 ms on the control thread; the others wait. */
	rte_delay_us_sleep(20 * 1000);
	ret = rte_eth_dev_close(port);
	mp_agent_send("closed %d", ret);
	vfbc_channel_free(ch);
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(pf_close_jobs_primary, pf_close_jobs_primary);

static int
test_close_with_queued_flr(void)
{
	char rest[MP_LINE_MAX];
	struct mp_child c;
	int status, ret = TEST_FAILED;

	if (vfbc_test_world_dir() == NULL)
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(mp_child_spawn_primary(&c, "pf_close_jobs_primary", NULL),
			    "spawn");
	if (mp_child_expect(&c, "queued", rest, sizeof(rest), 60000) < 0) {
		printf("the primary did not queue the FLRs\n");
		goto out;
	}
	printf("primary: queued %s\n", rest);
	if (mp_child_expect(&c, "closed", rest, sizeof(rest), 30000) < 0) {
		status = mp_child_wait(&c, 10000);
		printf("the PF's process died while closing the port with VF FLR jobs on its "
		       "control thread (status %d%s)\n", status,
		       status == 128 + SIGSEGV ? ": SIGSEGV" : "");
		goto out;
	}
	printf("primary: closed %s\n", rest);
	status = mp_child_wait(&c, 30000);
	if (status != 0) {
		printf("the primary exited with status %d after the close\n", status);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&c);
	return ret;
}

static struct unit_test_suite close_job_suite = {
	.suite_name = "PF close with VF FLR jobs queued (a red-team finding)",
	.unit_test_cases = {
		TEST_CASE(test_close_with_queued_flr),
		TEST_CASES_END()
	}
};

static int
test_pf_close_jobs(void)
{
	return unit_test_suite_runner(&close_job_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(pf_close_jobs_autotest, test_pf_close_jobs,
				  "--total-vfs 4", "mp");
