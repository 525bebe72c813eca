/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The secondary side of the VF multi-process tests: hidden commands that a
 * test starts with mp_child_spawn().
 *
 * mp_vf_agent: a VF process. Starts EAL as a secondary with the arguments
 * it was given (normally "-a <VF>"), registers an invalidation callback on
 * its net_vfbc_vf port and says "ready port=P vf=V claimed=C pid=N". Then it
 * answers commands, one line each:
 *
 *   poll|rx|svc T WANT  deliver through vfbc_vf_poll / rte_eth_rx_burst /
 *                       the port's service until the callbacks saw every
 *                       bit of WANT (hex; 0: just T ms) or T ms passed:
 *                       "mask CB POLL CALLS RET" (callback OR, poll OR,
 *                       callback calls, last return value); resets them
 *   read B              "block RET HEX"
 *   wblock B HEX T      "ret RET"   (vfbc_vf_write_config_block)
 *   rbus OFF LEN T      "ret RET HEX"
 *   wbus OFF HEX T      "ret RET"
 *   claim | release     "ret RET"
 *   info                "info vf=V claimed=C pid=N"
 *   dead T              poll until -ENOTCONN (at most T ms), then try a
 *                       block write: "dead poll=RET req=RET ms=ELAPSED"
 *   faultcalls          calls the preloaded liveness fault shim saw:
 *                       "faultcalls N" (-1: no shim loaded)
 *   quit                close the port: "bye"; exit status 0
 *   lev, reset, link, linfo   life events (test_mp_life_agent.c)
 *   sleep, sleep1, idle, cbmode, cbwait   sleep mode (test_mp_sleep_agent.c)
 *
 * Commands it does not know go to the caller's handler (mp_vf_agent_run()),
 * which answers them or returns non-zero: "error unknown command".
 *
 * If it has no VF port (net_vfbc_vf or net_vfbc_isolated: its probe failed)
 * it says "no-port" and
 * exits 0 when the test expects that (env MP_VF_EXPECT_NO_PORT=1), else 1.
 *
 * mp_vf_primary: a PF primary of its own: starts EAL ("-m 64"), services
 * VF requests, says "ready prefix=P" and runs until killed or told "quit".
 */

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_service.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_vf.h"

#define AGENT_CMD_WAIT_MS	120000

static uint64_t agent_cb_or;
static unsigned int agent_cb_calls;

static void
agent_cb(uint16_t port_id __rte_unused, uint64_t mask, void *arg __rte_unused)
{
	agent_cb_or |= mask;
	agent_cb_calls++;
}

static int
agent_find_port(uint16_t *port)
{
	static const char * const drivers[] = { "net_vfbc_isolated", "net_vfbc_vf" };
	struct rte_eth_dev_info info;
	unsigned int d;
	uint16_t p;

	/* The backchannel's port first: an isolated one may sit beside the VF's own PMD. */
	for (d = 0; d < RTE_DIM(drivers); d++) {
		RTE_ETH_FOREACH_DEV(p) {
			if (rte_eth_dev_info_get(p, &info) == 0 &&
					strcmp(info.driver_name, drivers[d]) == 0) {
				*port = p;
				return 0;
			}
		}
	}
	return -ENODEV;
}

static void
agent_hex(const uint8_t *b, int n, char *out, size_t size)
{
	int i;

	out[0] = '\0';
	for (i = 0; i < n && (size_t)(2 * i + 2) < size; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	if (n <= 0)
		snprintf(out, size, "-");
}

static int
agent_unhex(const char *s, uint8_t *b, int max)
{
	unsigned int v;
	int n = 0;

	while (s[0] != '\0' && s[1] != '\0' && n < max) {
		if (sscanf(s, "%2x", &v) != 1)
			return -EINVAL;
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* Deliver by `how` until the callbacks saw every bit of want, or T ms. */
static void
agent_deliver(uint16_t port, const char *how, unsigned int t_ms, uint64_t want)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * t_ms / 1000;
	struct rte_mbuf *bufs[8];
	uint64_t poll_or = 0;
	uint64_t m;
	uint32_t sid;
	int ret = 0;

	if (strcmp(how, "svc") == 0) {
		ret = vfbc_vf_service_id(port, &sid);
		if (ret == 0)
			ret = rte_service_runstate_set(sid, 1);
		if (ret < 0)
			goto out;
	}
	while (rte_get_timer_cycles() < deadline) {
		if (strcmp(how, "poll") == 0) {
			ret = vfbc_vf_poll(port, &m);
			if (ret == 1)
				poll_or |= m;
			if (ret < 0)
				break;
		} else if (strcmp(how, "rx") == 0) {
			ret = rte_eth_rx_burst(port, 0, bufs, RTE_DIM(bufs));
		} else {
			ret = rte_service_run_iter_on_app_lcore(sid, 1);
			if (ret < 0)
				break;
		}
		if (want != 0 && (agent_cb_or & want) == want)
			break;
		usleep(200);
	}
	if (strcmp(how, "svc") == 0)
		rte_service_runstate_set(sid, 0);
out:
	mp_agent_send("mask %" PRIx64 " %" PRIx64 " %u %d", agent_cb_or, poll_or,
		      agent_cb_calls, ret);
	agent_cb_or = 0;
	agent_cb_calls = 0;
}

static void
agent_dead(uint16_t port, unsigned int t_ms)
{
	uint64_t start = rte_get_timer_cycles();
	uint64_t deadline = start + rte_get_timer_hz() * t_ms / 1000;
	uint8_t b = 0;
	int pret = 0, rret;

	while (rte_get_timer_cycles() < deadline) {
		pret = vfbc_vf_poll(port, NULL);
		if (pret == -ENOTCONN)
			break;
		usleep(1000);
	}
	rret = vfbc_vf_write_config_block(port, 1, &b, 1, 1000);
	mp_agent_send("dead poll=%d req=%d ms=%" PRIu64, pret, rret,
		      (rte_get_timer_cycles() - start) * 1000 / rte_get_timer_hz());
}

int
mp_vf_agent_run(int (*extra)(uint16_t port, const char *line))
{
	char line[MP_LINE_MAX], hex[2 * VFBC_VF_BLOCK_SIZE + 8], arg[MP_LINE_MAX];
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	struct vfbc_vf_info info;
	unsigned int a, b, t;
	uint64_t want;
	unsigned int *calls;
	uint16_t port;
	int ret, n;

	/* A failed probe (the VF claimed elsewhere) leaves EAL up, without the port. */
	if (agent_find_port(&port) < 0) {
		mp_agent_send("no-port");
		return getenv("MP_VF_EXPECT_NO_PORT") != NULL ? TEST_SUCCESS : TEST_FAILED;
	}
	ret = vfbc_vf_invalidate_callback_register(port, agent_cb, NULL);
	if (ret == 0)
		ret = mp_life_agent_init(port);
	if (ret < 0 || vfbc_vf_get_info(port, &info) < 0) {
		mp_agent_send("error callback/info: %d", ret);
		return TEST_FAILED;
	}
	mp_agent_send("ready port=%u vf=%u claimed=%u pid=%d", port, info.vf_id, info.claimed,
		      (int)getpid());

	while ((ret = mp_agent_recv(line, sizeof(line), AGENT_CMD_WAIT_MS)) >= 0) {
		if (sscanf(line, "poll %u %" SCNx64, &t, &want) == 2) {
			agent_deliver(port, "poll", t, want);
		} else if (sscanf(line, "rx %u %" SCNx64, &t, &want) == 2) {
			agent_deliver(port, "rx", t, want);
		} else if (sscanf(line, "svc %u %" SCNx64, &t, &want) == 2) {
			agent_deliver(port, "svc", t, want);
		} else if (sscanf(line, "read %u", &a) == 1) {
			n = vfbc_vf_read_config_block(port, a, buf, sizeof(buf));
			agent_hex(buf, n, hex, sizeof(hex));
			mp_agent_send("block %d %s", n, hex);
		} else if (sscanf(line, "wblock %u %300s %u", &a, arg, &t) == 3) {
			n = agent_unhex(arg, buf, sizeof(buf));
			mp_agent_send("ret %d", vfbc_vf_write_config_block(port, a, buf,
					(uint32_t)RTE_MAX(n, 0), t));
		} else if (sscanf(line, "rbus %i %u %u", (int *)&a, &b, &t) == 3) {
			n = vfbc_vf_read_bus_data(port, a, buf, RTE_MIN(b, sizeof(buf)), t);
			agent_hex(buf, n, hex, sizeof(hex));
			mp_agent_send("ret %d %s", n, hex);
		} else if (sscanf(line, "wbus %i %300s %u", (int *)&a, arg, &t) == 3) {
			n = agent_unhex(arg, buf, sizeof(buf));
			mp_agent_send("ret %d", vfbc_vf_write_bus_data(port, a, buf,
					(uint32_t)RTE_MAX(n, 0), t));
		} else if (strcmp(line, "claim") == 0) {
			mp_agent_send("ret %d", vfbc_vf_claim(port));
		} else if (strcmp(line, "release") == 0) {
			mp_agent_send("ret %d", vfbc_vf_release(port));
		} else if (strcmp(line, "info") == 0) {
			ret = vfbc_vf_get_info(port, &info);
			mp_agent_send("info vf=%u claimed=%u pid=%d ret=%d", info.vf_id,
				      info.claimed, (int)info.consumer_pid, ret);
		} else if (sscanf(line, "dead %u", &t) == 1) {
			agent_dead(port, t);
		} else if (strcmp(line, "faultcalls") == 0) {
			calls = dlsym(RTLD_DEFAULT, "vfbc_fault_alive_calls");
			mp_agent_send("faultcalls %d", calls != NULL ?
				      (int)__atomic_load_n(calls, __ATOMIC_RELAXED) : -1);
		} else if (strcmp(line, "quit") == 0) {
			rte_eth_dev_close(port);
			mp_agent_send("bye");
			return TEST_SUCCESS;
		} else if (mp_life_agent_cmd(port, line) == 0) {
			continue;
		} else if (mp_sleep_agent_cmd(port, line) == 0) {
			continue;
		} else if (extra == NULL || extra(port, line) != 0) {
			mp_agent_send("error unknown command: %s", line);
		}
	}
	/* The test is gone (or never said quit): nothing to report to. */
	printf("mp_vf_agent: command pipe: %s\n", strerror(-ret));
	rte_eth_dev_close(port);
	return TEST_FAILED;
}

static int
mp_vf_agent(void)
{
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	return mp_vf_agent_run(NULL);
}

REGISTER_HIDDEN_TEST_COMMAND(mp_vf_agent, mp_vf_agent);

static int
mp_vf_primary(void)
{
	struct mp_world w;
	char line[MP_LINE_MAX];
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error primary start %d", ret);
		return ret;
	}
	if (mp_pf_server_start(w.pf_port) < 0) {
		mp_agent_send("error server");
		return TEST_FAILED;
	}
	mp_agent_send("ready prefix=%s", mp_file_prefix());
	while (mp_agent_recv(line, sizeof(line), AGENT_CMD_WAIT_MS) >= 0)
		if (strcmp(line, "quit") == 0)
			break;
	mp_pf_server_stop();
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_vf_primary, mp_vf_primary);
