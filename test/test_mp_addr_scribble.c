/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding: a VF process kept its claim across a VF disable and
 * enable by zeroing one word of its own VF's area (this test failed before
 * the fix).
 *
 * vfbc_pf_mbox_refresh() decided which claims to revoke from the slot's
 * address as read from the VF's shared area (pf.vf_addr), which the VF's
 * process can write: a holder that zeroed it was "a slot without an
 * address", its claim survived the disable, and after the next enable the
 * PF served it on the new function and refused the new VF's own process
 * (-EBUSY). The channel now revokes from the PF's own copy, when
 * vfbc_channel_vf_addr_set() withdraws or changes the address.
 *
 * Expected: disabling the VFs revokes the claim whatever the VF wrote in its
 * area (test_mp_stale_claim.c is the same without the scribble).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define AS_VF		1
#define AS_VFS		4
#define START_MS	60000
#define CMD_MS		20000

static struct mp_world asw;

static int
as_start(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	return mp_child_spawn(c, "mp_hostile_vf", "--no-pci", NULL) == 0 &&
		mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) == 0 ? 0 : -1;
}

static void
as_quit(struct mp_child *c)
{
	if (c->pid > 0 && mp_child_send(c, "quit") == 0 &&
	    mp_child_expect(c, "bye", NULL, 0, CMD_MS) == 0)
		mp_child_wait(c, CMD_MS);
	mp_child_close(c);
}

static int
test_claim_survives_disable_with_address_word_zeroed(void)
{
	struct mp_child old = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	struct mp_child neu = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	int32_t pid = 0;
	int r, st, ret = TEST_FAILED;
	int kept = 0, served = 0;

	if (as_start(&old) < 0 || mp_child_ret(&old, NULL, 0, CMD_MS, "claim %u", AS_VF) != 0) {
		printf("the first VF process did not claim VF %u\n", AS_VF);
		goto out;
	}
	/* A word of its own VF's area. */
	if (mp_child_ret(&old, NULL, 0, CMD_MS, "addrzero %u", AS_VF) != 0) {
		printf("addrzero failed\n");
		goto out;
	}
	if (vfbc_pf_enable_virtualization(asw.pf_port, 0) != 0 ||
	    vfbc_pf_enable_virtualization(asw.pf_port, AS_VFS) != 0) {
		printf("cannot disable and enable the VFs again\n");
		goto out;
	}
	if (vfbc_pf_vf_consumer(asw.pf_port, AS_VF, &pid) == 0 && pid == old.pid) {
		kept = 1;
		printf("after disable+enable, the PF still names %d (the old VF's process) the "
		       "consumer of VF %u\n", (int)pid, AS_VF);
	}
	if (mp_child_ret(&old, NULL, 0, CMD_MS, "post %u %u 0 -", AS_VF,
			 VFBC_CHANNEL_REQ_CFG_READ) == 0 &&
	    mp_child_cmd(&old, "wait", rest, sizeof(rest), CMD_MS, "wait %u 2000", AS_VF) == 0 &&
	    sscanf(rest, "ret=%d status=%d", &r, &st) == 2 && r == 1 && st == 0) {
		served = 1;
		printf("the old process's config read of the new VF %u was served\n", AS_VF);
	}
	if (as_start(&neu) < 0)
		goto out;
	r = mp_child_ret(&neu, NULL, 0, CMD_MS, "claim %u", AS_VF);
	if (r != 0) {
		printf("the new VF %u's process cannot claim it: %d%s\n", AS_VF, r,
		       r == -EBUSY ? " (-EBUSY: held by the old VF's process)" : "");
		goto out;
	}
	if (!kept && !served)
		ret = TEST_SUCCESS;
out:
	mp_pf_server_stop();
	as_quit(&neu);
	as_quit(&old);
	return ret;
}

static int
as_setup(void)
{
	int ret;

	ret = mp_world_start(&asw, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(mp_pf_server_start(asw.pf_port), "PF service");
	return TEST_SUCCESS;
}

static struct unit_test_suite addr_scribble_suite = {
	.suite_name = "a claim kept across a VF disable by its own address word (red team)",
	.setup = as_setup,
	.unit_test_cases = {
		TEST_CASE(test_claim_survives_disable_with_address_word_zeroed),
		TEST_CASES_END()
	}
};

static int
test_mp_addr_scribble(void)
{
	return unit_test_suite_runner(&addr_scribble_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_addr_scribble_autotest, test_mp_addr_scribble,
				  "--total-vfs 4", "mp");
