/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * a claim outlives the VF it was granted for.
 *
 * The PF grants a slot's claim to a process that shows it holds the VF's
 * device. When virtualization is turned off, the VF and its device file are
 * gone, and vfbc_pf_mbox_refresh() withdraws the slot's address; but nothing
 * revokes the claim (vfbc_channel_claim_revoke() has no caller in the
 * drivers). Once VFs are enabled again:
 *
 * - the old process is still "the consumer" of the slot, and the PF serves
 *   its requests on the new VF (config reads, writes, FLRs), though it never
 *   showed it holds the new VF's device;
 * - the new VF's own process, which holds the new device, is refused
 *   (-EBUSY, "held by live process") for as long as the old one lives.
 *
 * Expected: disabling the VFs revokes their claims (the PF knows the proof
 * is void), the new VF's process claims it. Observed: -EBUSY, and the old
 * process is served.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define SC_VF		1
#define SC_VFS		4
#define START_MS	60000
#define CMD_MS		20000

static struct mp_world scw;

static int
sc_start(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	return mp_child_spawn(c, "mp_hostile_vf", "--no-pci", NULL) == 0 &&
		mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) == 0 ? 0 : -1;
}

static void
sc_quit(struct mp_child *c)
{
	if (c->pid > 0 && mp_child_send(c, "quit") == 0 &&
	    mp_child_expect(c, "bye", NULL, 0, CMD_MS) == 0)
		mp_child_wait(c, CMD_MS);
	mp_child_close(c);
}

static int
test_claim_survives_vf_disable(void)
{
	struct mp_child old = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	struct mp_child neu = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	int32_t pid = 0;
	int r, st, ret = TEST_FAILED;

	if (sc_start(&old) < 0 || mp_child_ret(&old, NULL, 0, CMD_MS, "claim %u", SC_VF) != 0) {
		printf("the first VF process did not claim VF %u\n", SC_VF);
		goto out;
	}
	/* The VF goes away, and a new VF comes in its place. */
	if (vfbc_pf_enable_virtualization(scw.pf_port, 0) != 0 ||
	    vfbc_pf_enable_virtualization(scw.pf_port, SC_VFS) != 0) {
		printf("cannot disable and enable the VFs again\n");
		goto out;
	}
	if (vfbc_pf_vf_consumer(scw.pf_port, SC_VF, &pid) == 0 && pid == old.pid)
		printf("after disable+enable, the PF still names %d (the old VF's process) the "
		       "consumer of VF %u\n", (int)pid, SC_VF);
	/* The old process's request on the new VF. */
	if (mp_child_ret(&old, NULL, 0, CMD_MS, "post %u %u 0 -", SC_VF,
			 VFBC_CHANNEL_REQ_CFG_READ) == 0 &&
	    mp_child_cmd(&old, "wait", rest, sizeof(rest), CMD_MS, "wait %u 2000", SC_VF) == 0 &&
	    sscanf(rest, "ret=%d status=%d", &r, &st) == 2 && r == 1 && st == 0)
		printf("the old process's config read of the new VF %u was served\n", SC_VF);
	/* The new VF's own process, holding the new device. */
	if (sc_start(&neu) < 0)
		goto out;
	r = mp_child_ret(&neu, NULL, 0, CMD_MS, "claim %u", SC_VF);
	if (r != 0) {
		printf("the new VF %u's process cannot claim it: %d%s\n", SC_VF, r,
		       r == -EBUSY ? " (-EBUSY: held by the old VF's process)" : "");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_pf_server_stop();
	sc_quit(&neu);
	sc_quit(&old);
	return ret;
}

static int
sc_setup(void)
{
	int ret;

	ret = mp_world_start(&scw, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(mp_pf_server_start(scw.pf_port), "PF service");
	return TEST_SUCCESS;
}

static struct unit_test_suite stale_claim_suite = {
	.suite_name = "claims across a VF disable (a red-team finding)",
	.setup = sc_setup,
	.unit_test_cases = {
		TEST_CASE(test_claim_survives_vf_disable),
		TEST_CASES_END()
	}
};

static int
test_mp_stale_claim(void)
{
	return unit_test_suite_runner(&stale_claim_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_stale_claim_autotest, test_mp_stale_claim,
				  "--total-vfs 4", "mp");
