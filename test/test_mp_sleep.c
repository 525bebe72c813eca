/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Sleep mode across processes: a VF process (the agent, a secondary) that
 * sleeps in rte_epoll_wait() on its port's Rx interrupt is woken by the
 * PF's invalidation of its VF, and gets the bits; in a hundred rounds at
 * random moments none is slept through; asleep and idle it costs almost no
 * CPU; with the callback mode EAL's interrupt thread delivers to its
 * callbacks, no thread of the application polling; a reset of the VF wakes
 * a sleeper; the two modes exclude each other.
 *
 * Wake-up times (PF call to the agent's rte_epoll_wait() return, on the
 * shared TSC) and the idle CPU fraction are printed; their targets belong
 * to vfbc-perf, not here.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define SLEEP_WORLD_OPTS	"--total-vfs 4"
#define CMD_MS		15000
#define SLEEP_VF	1
#define SLEEP_ROUNDS	100
#define SLEEP_IDLE_MS	2000

static struct mp_world w;

static int
sleep_setup(void)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t port;
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs > SLEEP_VF, "the world has %u VFs", w.nb_vfs);
	port = w.vf_port[SLEEP_VF];
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	mp = rte_pktmbuf_pool_create("mp_sleep_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(mp, "no mbuf pool");
	/*
	 * The primary owns the port's configuration, as usual in DPDK: Rx
	 * interrupts are a configured queue's (ethdev checks queue 0 exists).
	 */
	TEST_ASSERT(rte_eth_dev_configure(port, 1, 1, &conf) == 0 &&
		    rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp) == 0 &&
		    rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL) == 0 &&
		    rte_eth_dev_start(port) == 0, "cannot start VF port %u in the primary", port);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "the PF's request server");
	return TEST_SUCCESS;
}

static void
sleep_teardown(void)
{
	mp_pf_server_stop();
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "sleep T WANT" while the PF invalidates bit after delay_us: 0, or -1 printed. */
static int
sleep_round(struct mp_child *c, unsigned int bit, unsigned int delay_us, uint64_t *wake_ns)
{
	char rest[MP_LINE_MAX];
	uint64_t got, want = UINT64_C(1) << bit, t0, wake_tsc;
	unsigned int wakes, arms;
	int err;

	if (mp_child_send(c, "sleep 5000 %" PRIx64, want) < 0)
		return -1;
	rte_delay_us_sleep(delay_us);
	t0 = rte_get_timer_cycles();
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, SLEEP_VF, want) != 0)
		return -1;
	if (mp_child_expect(c, "slept", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%" SCNx64 " %u %u %d %" SCNu64, &got, &wakes, &arms, &err,
			       &wake_tsc) != 5 || err != 0 || (got & want) != want) {
		printf("bit %u after %u us: \"%s\"\n", bit, delay_us, rest);
		return -1;
	}
	if (wake_ns != NULL)
		*wake_ns = wakes > 0 && wake_tsc > t0 ?
			(wake_tsc - t0) * 1000000000 / rte_get_timer_hz() : 0;
	return 0;
}

static int
test_mp_sleep_woken_by_invalidations(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t ns[SLEEP_ROUNDS];
	unsigned int r, n = 0;
	int ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0)
		goto out;
	for (r = 0; r < SLEEP_ROUNDS; r++) {
		/* Most rounds: after the agent is asleep; some: while it arms. */
		if (sleep_round(&c, (unsigned int)rte_rand_max(64),
				(r & 3) == 0 ? (unsigned int)rte_rand_max(300) :
				2000 + (unsigned int)rte_rand_max(3000), &ns[n]) < 0)
			goto out;
		if (ns[n] != 0)
			n++;
	}
	if (n == 0) {
		printf("the agent was never asleep when the PF invalidated\n");
		goto out;
	}
	qsort(ns, n, sizeof(ns[0]), u64_cmp);
	printf("%u rounds, every bit delivered; %u wake-ups from rte_epoll_wait(): p50 %.1f us,"
	       " p90 %.1f us (PF call to the wait's return)\n", SLEEP_ROUNDS, n,
	       (double)ns[n / 2] / 1e3, (double)ns[n * 9 / 10] / 1e3);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int
test_mp_sleep_idle_costs_nothing(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t cpu_us, wall_us;
	char rest[MP_LINE_MAX];
	int n, err, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0)
		goto out;
	if (mp_child_cmd(&c, "idle", rest, sizeof(rest), CMD_MS, "idle %u", SLEEP_IDLE_MS) < 0 ||
			sscanf(rest, "%" SCNu64 " %" SCNu64 " %d %d", &cpu_us, &wall_us, &n,
			       &err) != 4 || err != 0 || n != 0 || wall_us == 0) {
		printf("idle: \"%s\"\n", rest);
		goto out;
	}
	printf("an armed VF process, idle %.1f s: CPU %.2f ms, %.4f of the time (the life "
	       "watch's alarm included)\n", (double)wall_us / 1e6, (double)cpu_us / 1e3,
	       (double)cpu_us / (double)wall_us);
	/* A poller would be near 1: a tenth proves it slept (vfbc-perf has the target). */
	if (cpu_us * 10 > wall_us) {
		printf("it did not sleep\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int
test_mp_sleep_callback_mode(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX] = "";
	unsigned int calls, i;
	uint64_t got, want = 0;
	int err, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0)
		goto out;
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode on") != 0) {
		printf("callback mode not on\n");
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode on") != -EALREADY) {
		printf("callback mode on twice\n");
		goto out;
	}
	/* sleep1's last field is the enable's return: -EBUSY in callback mode. */
	if (mp_child_cmd(&c, "sleep1", rest, sizeof(rest), CMD_MS, "sleep1 100") < 0 ||
			sscanf(rest, "%*d %*u %d", &err) != 1 || err != -EBUSY) {
		printf("Rx interrupts while in callback mode: \"%s\"\n", rest);
		goto out;
	}
	for (i = 0; i < 8; i++) {
		want |= UINT64_C(1) << (i * 7);
		vfbc_pf_invalidate_config_blocks(w.pf_port, SLEEP_VF, UINT64_C(1) << (i * 7));
		rte_delay_us_sleep(20000);
	}
	if (mp_child_cmd(&c, "cb", rest, sizeof(rest), CMD_MS, "cbwait 5000 %" PRIx64, want) < 0 ||
			sscanf(rest, "%" SCNx64 " %u", &got, &calls) != 2 || got != want ||
			calls == 0) {
		printf("callbacks from EAL's interrupt thread: \"%s\", want %#" PRIx64 "\n", rest,
		       want);
		goto out;
	}
	printf("callback mode: %u callbacks delivered %#" PRIx64 ", no thread polling\n", calls,
	       got);
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode off") != 0 ||
			mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode off") != -ENOENT) {
		printf("callback mode off, then off again: not 0 then -ENOENT\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int
test_mp_sleep_woken_by_reset(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t ms;
	int n, err, ret = TEST_FAILED;

	/* What is due first (the "all blocks" of a takeover) would wake it at once. */
	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	if (mp_child_send(&c, "sleep1 8000") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	if (vfbc_pf_reset_vf(w.pf_port, SLEEP_VF) != 0) {
		printf("FLR of VF %d failed\n", SLEEP_VF);
		goto out;
	}
	if (mp_child_expect(&c, "sleep1", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d %" SCNu64 " %d", &n, &ms, &err) != 3 || err != 0 ||
			n != 1 || ms < 200 || ms >= 8000) {
		printf("asleep across an FLR: \"%s\"\n", rest);
		goto out;
	}
	printf("the FLR woke the sleeper after %" PRIu64 " ms asleep\n", ms);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * The callback mode is turned off while its callback runs on EAL's
 * interrupt thread, a slow one (as one that sends a request to a PF that
 * does not answer): the disable waits for it, and once it returned 0 no
 * invalidation is delivered from the interrupt thread any more (the
 * driver's state may be freed next: a close follows a disable).
 */
static int
test_mp_sleep_callback_off_while_running(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t got, t0, ms;
	unsigned int calls;
	int r, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode on") != 0 ||
			mp_child_ret(&c, NULL, 0, CMD_MS, "cbslow 2500") != 0)
		goto out;
	rte_delay_us_sleep(100000);
	vfbc_pf_invalidate_config_blocks(w.pf_port, SLEEP_VF, UINT64_C(1) << 1);
	/* The callback is running (2.5 s) when the disable comes. */
	rte_delay_us_sleep(200000);
	t0 = rte_get_timer_cycles();
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode off");
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	printf("callback mode off while its callback ran: %d after %" PRIu64 " ms\n", r, ms);
	if (r != 0 || mp_child_ret(&c, NULL, 0, CMD_MS, "cbslow 0") != 0)
		goto out;
	/* Whatever ran is over now. */
	rte_delay_us_sleep(2600000);
	(void)mp_child_cmd(&c, "cb", rest, sizeof(rest), CMD_MS, "cbwait 0 0");
	vfbc_pf_invalidate_config_blocks(w.pf_port, SLEEP_VF, UINT64_C(1) << 2);
	if (mp_child_cmd(&c, "cb", rest, sizeof(rest), CMD_MS, "cbwait 500 4") < 0 ||
			sscanf(rest, "%" SCNx64 " %u", &got, &calls) != 2) {
		printf("cbwait: \"%s\"\n", rest);
		goto out;
	}
	if ((got & 4) != 0) {
		printf("callback mode off (returned %d), yet EAL's interrupt thread still "
		       "delivered %#" PRIx64 "\n", r, got);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * The PF disables its VFs while one sleeps: the disable wakes it; enabled
 * again and reset (a new claim, the PF's wake socket of the old one
 * closed), the port sleeps again and the PF's invalidation wakes it, in
 * both modes.
 */
static int
test_mp_sleep_disable_enable(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	unsigned int calls;
	uint64_t ms, got;
	int n, err, r, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	if (mp_child_send(&c, "sleep1 8000") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 0), "disable");
	if (mp_child_expect(&c, "sleep1", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d %" SCNu64 " %d", &n, &ms, &err) != 3 || err != 0 ||
			n != 1 || ms >= 8000) {
		printf("asleep across a disable: \"%s\"\n", rest);
		goto out;
	}
	/* Disabled: the arm refuses (and the descriptor is readable). */
	if (mp_child_cmd(&c, "sleep1", rest, sizeof(rest), CMD_MS, "sleep1 2000") < 0 ||
			sscanf(rest, "%d %" SCNu64 " %d", &n, &ms, &err) != 3 || err == 0) {
		printf("an arm of the disabled VF: \"%s\"\n", rest);
		goto out;
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 4), "enable");
	rte_delay_us_sleep(200000);
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "reset");
	if (r != 0) {
		printf("a reset of the enabled VF: %d\n", r);
		goto out;
	}
	if (mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	/* Asleep again on the new claim: an invalidation wakes it. */
	if (sleep_round(&c, 5, 3000, NULL) < 0) {
		printf("Rx interrupts after the re-enable and reset: not woken\n");
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode on") != 0)
		goto out;
	rte_delay_us_sleep(100000);
	(void)mp_child_cmd(&c, "cb", rest, sizeof(rest), CMD_MS, "cbwait 0 0");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 0), "disable");
	rte_delay_us_sleep(200000);
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 4), "enable");
	rte_delay_us_sleep(200000);
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "reset");
	if (r != 0) {
		printf("a reset of the enabled VF (callback mode): %d\n", r);
		goto out;
	}
	/* The first delivery (all blocks) and the next: from the interrupt thread. */
	rte_delay_us_sleep(200000);
	(void)mp_child_cmd(&c, "cb", rest, sizeof(rest), CMD_MS, "cbwait 0 0");
	vfbc_pf_invalidate_config_blocks(w.pf_port, SLEEP_VF, UINT64_C(1) << 9);
	if (mp_child_cmd(&c, "cb", rest, sizeof(rest), CMD_MS, "cbwait 3000 200") < 0 ||
			sscanf(rest, "%" SCNx64 " %u", &got, &calls) != 2 ||
			(got & 0x200) == 0) {
		printf("callback mode after the re-enable and reset: \"%s\"\n", rest);
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode off") != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * The PF closes its port while the VF sleeps: the life event (PF_CLOSED)
 * wakes the sleeper, and the next arm must not let it sleep again on a
 * channel nobody will ever invalidate: rte_eth_dev_rx_intr_enable()
 * returns an error and leaves the descriptor readable. Last: the PF port
 * stays closed.
 */
static int
test_mp_sleep_pf_closed(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	uint64_t ms;
	int n, err, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[SLEEP_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	if (mp_child_send(&c, "sleep1 8000") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	mp_pf_server_stop();
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(w.pf_port), "close the PF port");
	if (mp_child_expect(&c, "sleep1", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d %" SCNu64 " %d", &n, &ms, &err) != 3 || err != 0 ||
			n != 1 || ms >= 8000) {
		printf("asleep across the PF's close: \"%s\"\n", rest);
		goto out;
	}
	if (mp_life_expect(&c, "PF close", "M6 L", ev) < 0)
		goto out;
	/* Armed again: the PF is gone, nothing would wake it. */
	if (mp_child_cmd(&c, "sleep1", rest, sizeof(rest), CMD_MS, "sleep1 3000") < 0 ||
			sscanf(rest, "%d %" SCNu64 " %d", &n, &ms, &err) != 3) {
		printf("sleep after the PF's close: \"%s\"\n", rest);
		goto out;
	}
	if (err == 0) {
		printf("rx_intr_enable after the PF closed its port: 0, slept %d %" PRIu64
		       " ms (a wait without a timeout would never return)\n", n, ms);
		goto out;
	}
	printf("after the PF's close, the arm says %d\n", err);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static struct unit_test_suite mp_sleep_suite = {
	.suite_name = "mp: a VF process sleeps until the PF invalidates its VF",
	.setup = sleep_setup,
	.teardown = sleep_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mp_sleep_woken_by_invalidations),
		TEST_CASE(test_mp_sleep_idle_costs_nothing),
		TEST_CASE(test_mp_sleep_callback_mode),
		TEST_CASE(test_mp_sleep_woken_by_reset),
		TEST_CASE(test_mp_sleep_callback_off_while_running),
		TEST_CASE(test_mp_sleep_disable_enable),
		TEST_CASE(test_mp_sleep_pf_closed),
		TEST_CASES_END()
	}
};

static int
test_mp_sleep(void)
{
	return unit_test_suite_runner(&mp_sleep_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_sleep_autotest, test_mp_sleep, SLEEP_WORLD_OPTS, "mp");
