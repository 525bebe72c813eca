/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the VF life events, second round (fails on the code
 * it was written against): a disable that came before the port's last
 * claim still takes the port down.
 *
 * The application answers INTR_RESET on its main thread (the callback only
 * sets a flag; here it is still busy when the PF goes on). Meanwhile the
 * PF disables and enables the VF, and the main thread's rte_eth_dev_reset()
 * claims the enabled VF again: 0, the port works. The watch's next look
 * then reads the DISABLED and the ENABLED the PF posted before that claim:
 * the ENABLED is dropped (posted before the claim: the claim took the new
 * function), but the DISABLED is not: it is raised as INTR_RMV after the
 * port was brought back, and it sets the port gone, so the link of the
 * claimed, enabled VF is down for good and no event ever tells the
 * application to reset again.
 * The agent is red_vf_agent (test_mp_life_red.c).
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define RED_CMD_MS	10000
#define RED_STALL_MS	3000

static int
test_mp_life_red2_stale(void)
{
	char rest[MP_LINE_MAX];
	unsigned int calls;
	uint64_t t0, took_ms, cb, pl;
	struct mp_world w;
	struct mp_child c;
	int ret, r, pret = 0, up;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start_served(&w, 4);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	if (mp_life_spawn_vf(&c, "red_vf_agent", w.vf_name[0]) < 0 ||
	    mp_life_agent_arm(&c, "cbstall", RED_STALL_MS) < 0)
		goto out;
	/* The FLR: its INTR_RESET callback is busy a while (it only noted the reset). */
	if (vfbc_pf_reset_vf(w.pf_port, 0) != 0) {
		printf("PF reset of VF 0 failed\n");
		goto out;
	}
	usleep(300 * 1000);
	t0 = mp_now_ns();
	if (vfbc_pf_enable_virtualization(w.pf_port, 0) != 0 ||
	    vfbc_pf_enable_virtualization(w.pf_port, 4) != 0) {
		printf("disable/enable failed\n");
		goto out;
	}
	/* The main thread's reset: the VF is enabled, the claim takes the new function. */
	r = mp_child_ret(&c, NULL, 0, RED_CMD_MS, "reset");
	took_ms = (mp_now_ns() - t0) / 1000000;
	printf("disable, enable and the port's reset: %d, in %" PRIu64 " ms\n", r, took_ms);
	if (r != 0) {
		printf("the reset of the enabled VF: %d, want 0\n", r);
		goto out;
	}
	if (took_ms + 300 + 500 >= RED_STALL_MS) {
		printf("inconclusive: the disable, enable and reset took %" PRIu64 " ms\n",
		       took_ms);
		goto out;
	}
	/* The callback returns; the watch looks again. */
	usleep((RED_STALL_MS - took_ms + 1000) * 1000);
	mp_child_cmd(&c, "lev", rest, sizeof(rest), RED_CMD_MS, "lev %u 0", MP_LIFE_MAX_EV);
	printf("events (TYPE:CAUSE:NS): %s\n", rest);
	mp_child_cmd(&c, "linfo", rest, sizeof(rest), RED_CMD_MS, "linfo");
	printf("after the callback: linfo %s\n", rest);
	up = mp_life_link(&c);
	if (mp_child_cmd(&c, "mask", rest, sizeof(rest), RED_CMD_MS, "poll 50 0") < 0 ||
	    sscanf(rest, "%" SCNx64 " %" SCNx64 " %u %d", &cb, &pl, &calls, &pret) != 4) {
		printf("poll: %s\n", rest);
		goto out;
	}
	printf("a poll: %d; the link: %d\n", pret, up);
	if (pret < 0 || up != 1) {
		printf("the port of the enabled VF it claimed after the disable: poll %d, link %d: "
		       "the disable posted before the claim was raised after it (RMV) and took "
		       "the link down for good\n", pret, up);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	if (c.pid > 0 && mp_child_send(&c, "quit") == 0)
		mp_child_expect(&c, "bye", NULL, 0, RED_CMD_MS);
	mp_child_close(&c);
	mp_pf_server_stop();
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red2_stale_autotest, test_mp_life_red2_stale,
				  "--total-vfs 4", "mp");
