/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the VF life events, second round (fails on the code
 * it was written against): after the PF disabled a VF, not every call of
 * its port says so.
 *
 * "-ENXIO: the VF is disabled (VFBC_VF_EVENT_DISABLED), until a reset",
 * an error "common to every function"; the commit that made it so: "-ENXIO
 * for a disabled VF from every call". rte_eth_dev_reset() turns the claim's
 * refusal into -ENXIO (vf_life_disabled()), but vfbc_vf_claim(), which
 * makes the same claim of the same disabled VF, returns the PF's -EACCES
 * ("this process does not hold the VF's device"): an application that
 * claims (a secondary probed with claim=0, or after a release) is told to
 * fix its permissions instead of waiting for the enable.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define RED_CMD_MS	10000

static int
test_mp_life_red2_errno(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	int ret, pr = 0, rd, wr, cl, rl, rs, cl2;
	struct mp_world w;
	struct mp_child c;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "the PF's request server");
	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[1]) < 0)
		goto out;
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 0), "disable");
	if (mp_life_expect(&c, "disable", "M3 L", ev) < 0)
		goto out;
	if (mp_child_cmd(&c, "mask", rest, sizeof(rest), RED_CMD_MS, "poll 50 0") < 0 ||
	    sscanf(rest, "%*x %*x %*u %d", &pr) != 1)
		goto out;
	mp_child_cmd(&c, "block", rest, sizeof(rest), RED_CMD_MS, "read 0");
	rd = 0;
	sscanf(rest, "%d", &rd);
	wr = mp_child_ret(&c, NULL, 0, RED_CMD_MS, "wblock 1 00 100");
	cl = mp_child_ret(&c, NULL, 0, RED_CMD_MS, "claim");
	rl = mp_child_ret(&c, NULL, 0, RED_CMD_MS, "release");
	rs = mp_child_ret(&c, NULL, 0, RED_CMD_MS, "reset");
	cl2 = mp_child_ret(&c, NULL, 0, RED_CMD_MS, "claim");
	printf("the disabled VF's port: poll %d, block read %d, block write %d, claim %d, "
	       "release %d, reset %d, claim after the reset %d (ENXIO %d, EACCES %d, "
	       "EPERM %d)\n", pr, rd, wr, cl, rl, rs, cl2, -ENXIO, -EACCES, -EPERM);
	if (pr != -ENXIO || rd != -ENXIO || wr != -ENXIO || rs != -ENXIO) {
		printf("poll, block read, block write or reset not -ENXIO\n");
		goto out;
	}
	if (cl != -ENXIO || cl2 != -ENXIO) {
		printf("vfbc_vf_claim() of the disabled VF: %d then %d, want -ENXIO (as "
		       "rte_eth_dev_reset() says for the same claim)\n", cl, cl2);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	if (c.pid > 0 && mp_child_send(&c, "quit") == 0)
		mp_child_expect(&c, "bye", NULL, 0, RED_CMD_MS);
	mp_child_close(&c);
	mp_pf_server_stop();
	vfbc_pf_enable_virtualization(w.pf_port, 4);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red2_errno_autotest, test_mp_life_red2_errno,
				  "--total-vfs 4", "mp");
