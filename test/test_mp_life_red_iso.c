/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the VF life events (fails on the code it was written
 * against): an isolated consumer whose PF port closes and is probed again
 * (a PF restart in its primary, same device, same socket) keeps its life
 * cursor. The claim maps the new PF's region into the same channel handle
 * (vfbc_channel_region_remap()), so vfbc_vf_life_claimed() sees
 * life_ch == ch and keeps the old PF's cursor, while the new PF's life
 * lines start again from 1: the lines read -ESTALE (logged, then ignored)
 * until the new PF's count passes the old one, and every event of the new
 * PF up to there is swallowed. Here: one FLR before the restart, and the
 * new PF's first FLR never reaches the application (only the link flaps).
 * The agent is red_iso_agent (test_mp_life_red.c).
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define RED_CMD_MS	10000

static char red_sock[108];

static const char *
red_secret(void)
{
	return "s3cret-of-red0";
}

static int
red_pf_restart(uint16_t *pf_port)
{
	struct rte_eth_dev_info info;
	char devstr[256];

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(*pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	unlink(red_sock);
	snprintf(devstr, sizeof(devstr), "%s,socket=%s", MP_PF_NAME, red_sock);
	TEST_ASSERT_SUCCESS(rte_dev_probe(devstr), "PF probe with socket=%s", red_sock);
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, pf_port), "PF port");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(*pf_port, 0, red_secret()), "secret");
	return TEST_SUCCESS;
}

static int
test_mp_life_red_iso_pf_restart(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	struct mp_world w;
	struct mp_child c;
	int ret;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	snprintf(red_sock, sizeof(red_sock), "/tmp/vfbc-red-life-%d.sock", (int)getpid());
	ret = mp_world_start_isolated(&w, red_sock);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(w.pf_port, 0, red_secret()), "secret");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	if (mp_life_spawn_iso(&c, "red_iso_agent", red_sock, 0, red_secret()) < 0)
		goto out;
	/* One event with the first PF, and the port back. */
	if (vfbc_pf_reset_vf(w.pf_port, 0) != 0 || mp_life_expect(&c, "FLR", "R0 L", ev) < 0 ||
	    mp_child_ret(&c, NULL, 0, RED_CMD_MS, "reset") != 0 ||
	    mp_life_expect(&c, "reset", "L", ev) < 0)
		goto out;
	/* The PF restarts: same device, same socket, a new channel. */
	mp_pf_server_stop();
	if (red_pf_restart(&w.pf_port) != TEST_SUCCESS)
		goto out;
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	if (mp_life_expect(&c, "PF restart", "M6 L", ev) < 0)
		goto out;
	if (mp_child_ret(&c, NULL, 0, RED_CMD_MS, "reset") != 0 ||
	    mp_life_expect(&c, "reset onto the new PF", "L", ev) < 0)
		goto out;
	/* The new PF resets the VF: its consumer must be told. */
	if (vfbc_pf_reset_vf(w.pf_port, 0) != 0) {
		printf("the new PF's reset of VF 0 failed\n");
		goto out;
	}
	if (mp_life_expect(&c, "the new PF's FLR", "R0 L", ev) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	mp_pf_server_stop();
	unlink(red_sock);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red_iso_pf_restart_autotest,
				  test_mp_life_red_iso_pf_restart, "--total-vfs 4", "mp");
