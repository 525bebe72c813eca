/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team findings on the VF life events (each case fails on the code it
 * was written against). The agents are the VF agent (test_mp_vf_agent.c)
 * with extra commands that make the application's life-event callbacks do
 * what applications do in them:
 *
 *   cbreset MS   the next INTR_RESET callback calls rte_eth_dev_reset(),
 *                then stays busy MS ms: "cbreset ok"
 *   cbret        "cbret CALLED RET" of that reset
 *   cbstall MS   the next INTR_RESET callback stays busy MS ms (no reset):
 *                "cbstall ok"
 *
 * - mp_life_red_absorb: a port reset from its INTR_RESET callback (the
 *   usual answer) claims again; the PF then disables and enables the VF
 *   before the watch's next look. That look reads DISABLED and ENABLED,
 *   and drops the ENABLED as "came before the claim" (life_absorb): the
 *   application gets INTR_RMV and never the INTR_RESET that tells it the
 *   VF is back, so the port says -ENXIO for an enabled VF for good.
 * - mp_life_red_iso_pf_restart (test_mp_life_red_iso.c).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define RED_CMD_MS	10000
#define RED_STALL_MS	3000

/* ---- the agents' side ---- */

static unsigned int red_stall_ms;
static int red_reset_called;
static int red_reset_ret;

static int
red_reset_cb(uint16_t port_id, enum rte_eth_event_type type __rte_unused, void *arg __rte_unused,
	     void *ret_param __rte_unused)
{
	if (__atomic_exchange_n(&red_reset_called, 1, __ATOMIC_ACQ_REL) != 0)
		return 0;
	__atomic_store_n(&red_reset_ret, rte_eth_dev_reset(port_id), __ATOMIC_RELEASE);
	usleep(red_stall_ms * 1000);
	return 0;
}

static int
red_stall_cb(uint16_t port_id __rte_unused, enum rte_eth_event_type type __rte_unused,
	     void *arg __rte_unused, void *ret_param __rte_unused)
{
	if (__atomic_exchange_n(&red_reset_called, 1, __ATOMIC_ACQ_REL) == 0)
		usleep(red_stall_ms * 1000);
	return 0;
}

static int
red_agent_extra(uint16_t port, const char *line)
{
	unsigned int ms;

	if (sscanf(line, "cbreset %u", &ms) == 1) {
		red_stall_ms = ms;
		mp_agent_send("cbreset %s", rte_eth_dev_callback_register(port,
			      RTE_ETH_EVENT_INTR_RESET, red_reset_cb, NULL) == 0 ? "ok" : "fail");
	} else if (sscanf(line, "cbstall %u", &ms) == 1) {
		red_stall_ms = ms;
		mp_agent_send("cbstall %s", rte_eth_dev_callback_register(port,
			      RTE_ETH_EVENT_INTR_RESET, red_stall_cb, NULL) == 0 ? "ok" : "fail");
	} else if (strcmp(line, "cbret") == 0) {
		mp_agent_send("cbret %d %d", __atomic_load_n(&red_reset_called, __ATOMIC_ACQUIRE),
			      __atomic_load_n(&red_reset_ret, __ATOMIC_ACQUIRE));
	} else {
		return -1;
	}
	return 0;
}

static int
red_vf_agent(void)
{
	int ret = mp_agent_eal_init();

	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	return mp_vf_agent_run(red_agent_extra);
}

REGISTER_HIDDEN_TEST_COMMAND(red_vf_agent, red_vf_agent);

static int
red_iso_agent(void)
{
	const char *args = getenv(MP_ISO_ENV_EAL);
	int ret;

	if (args == NULL) {
		mp_agent_send("error no %s", MP_ISO_ENV_EAL);
		return TEST_FAILED;
	}
	ret = vfbc_test_eal_init("%s", args);
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	return mp_vf_agent_run(red_agent_extra);
}

REGISTER_HIDDEN_TEST_COMMAND(red_iso_agent, red_iso_agent);

/* ---- the test's side ---- */

/* Every event the agent records within t_ms, as "R0 L M3 ...". */
static int
red_events(struct mp_child *c, unsigned int t_ms, char *out, size_t size)
{
	char rest[MP_LINE_MAX];
	char type, *p, *save = NULL;
	size_t off = 0;
	int cause, total;

	out[0] = '\0';
	if (mp_child_cmd(c, "lev", rest, sizeof(rest), t_ms + RED_CMD_MS, "lev %u %u",
			 MP_LIFE_MAX_EV, t_ms) < 0 || sscanf(rest, "%d", &total) != 1)
		return -1;
	p = strtok_r(rest, " ", &save);
	while ((p = strtok_r(NULL, " ", &save)) != NULL && off < size) {
		if (sscanf(p, "%c:%d:", &type, &cause) != 2)
			return -1;
		if (cause >= 0)
			off += (size_t)snprintf(out + off, size - off, "%s%c%d", off ? " " : "",
						type, cause);
		else
			off += (size_t)snprintf(out + off, size - off, "%s%c", off ? " " : "",
						type);
	}
	return total;
}

static int
test_mp_life_red_absorb(void)
{
	char rest[MP_LINE_MAX], got[256];
	struct mp_world w;
	struct mp_child c;
	uint64_t t0, took_ms;
	int ret = TEST_FAILED, called = 0, rr = 0;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start_served(&w, 4);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	if (mp_life_spawn_vf(&c, "red_vf_agent", w.vf_name[0]) < 0 ||
	    mp_life_agent_arm(&c, "cbreset", RED_STALL_MS) < 0)
		goto out;
	/* The FLR: the callback resets the port (claims again), then is busy a while. */
	if (vfbc_pf_reset_vf(w.pf_port, 0) != 0) {
		printf("PF reset of VF 0 failed\n");
		goto out;
	}
	usleep(500 * 1000);
	/* While the watch is held by the callback: disable, enable. */
	t0 = mp_now_ns();
	if (vfbc_pf_enable_virtualization(w.pf_port, 0) != 0 ||
	    vfbc_pf_enable_virtualization(w.pf_port, 4) != 0) {
		printf("disable/enable failed\n");
		goto out;
	}
	took_ms = (mp_now_ns() - t0) / 1000000;
	if (mp_child_cmd(&c, "cbret", rest, sizeof(rest), RED_CMD_MS, "cbret") < 0 ||
	    sscanf(rest, "%d %d", &called, &rr) != 2 || !called || rr != 0) {
		printf("the callback's reset: \"%s\" (want called, 0)\n", rest);
		goto out;
	}
	if (took_ms + 500 >= RED_STALL_MS) {
		printf("inconclusive: the disable and enable took %" PRIu64 " ms\n", took_ms);
		goto out;
	}
	if (red_events(&c, RED_STALL_MS + 2000, got, sizeof(got)) < 0) {
		printf("no events readable\n");
		goto out;
	}
	printf("events: \"%s\" (disable + enable took %" PRIu64 " ms)\n", got, took_ms);
	mp_child_cmd(&c, "linfo", rest, sizeof(rest), RED_CMD_MS, "linfo");
	printf("after the enable: linfo %s\n", rest);
	mp_child_cmd(&c, "mask", rest, sizeof(rest), RED_CMD_MS, "poll 50 0");
	printf("after the enable: a poll: mask %s (the last: its return)\n", rest);
	/* The FLR, its reset's link down, the disable, then the enable (a reset to use). */
	if (strstr(got, "M3") == NULL || strstr(got, "R4") == NULL ||
	    strstr(got, "M3") > strstr(got, "R4")) {
		printf("the disable and the enable after a reset from the callback: "
		       "\"%s\", want M3 then R4\n", got);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	mp_pf_server_stop();
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red_absorb_autotest, test_mp_life_red_absorb,
				  "--total-vfs 4", "mp");
