/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red team on vfbc_vf_poll_wait() (the adaptive wait), across processes.
 *
 * Held: descriptors across many waits on new claims, FLRs and resets
 * (test_pwr_fd_leak); bad input in the primary (test_pwr_bad_input).
 *
 * Wake-socket race (test_pwr_wake_socket_race, _enotconn): see there.
 *
 * Rx-interrupt sleeper vs. an adaptive wait on another thread: a thread of
 * the VF process sleeps in DPDK's Rx-interrupt way (rx_intr_ctl_q, then
 * rte_eth_dev_rx_intr_enable(), then rte_epoll_wait()). Another thread
 * calls vfbc_vf_poll_wait() with a short timeout. The wait is not refused
 * (-EBUSY is only for the callback mode and a second poll_wait, while the
 * Rx-interrupt calls are refused during a poll_wait: one mode at a time,
 * one way only); it arms the same sleeping word, times out, and its
 * disarm takes the word back with the Rx-interrupt sleeper's tag (the same
 * claim's). The Rx-interrupt sleeper is asleep with no word set: the PF's
 * next invalidation sends it no wake, and it sleeps through pending bits
 * until its own timeout. Expected: either the wait is refused (-EBUSY)
 * or the Rx-interrupt sleeper is still woken by the next invalidation.
 *
 * A wait on EAL's interrupt thread (an ethdev event callback, an alarm):
 * the life events are an alarm on that same thread, so while the wait
 * sleeps nothing sees a disable (nor a revocation, the PF's death), and a
 * closed PF end of the wake socket is silent. The waiter sleeps through
 * the disable until its own timeout (forever with -1). Expected: woken
 * with -ENXIO well before its timeout, or refused at once (-EDEADLK, as
 * vfbc_vf_wake_callbacks_disable() refuses on that thread).
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define PWR_WORLD_OPTS	"--total-vfs 4"
#define CMD_MS		15000
#define PWR_VF		1
/* The Rx-interrupt sleeper's timeout: a wake that never came ends it. */
#define PWR_SLEEP_MS	6000

static struct mp_world w;
static struct vfbc_channel *pwr_ch;

static int
pwr_setup(void)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t port;
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs > PWR_VF, "the world has %u VFs", w.nb_vfs);
	port = w.vf_port[PWR_VF];
	memset(&conf, 0, sizeof(conf));
	mp = rte_pktmbuf_pool_create("mp_pwr_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(mp, "no mbuf pool");
	/* Queue 0 configured, for the agent's Rx interrupt calls. */
	TEST_ASSERT(rte_eth_dev_configure(port, 1, 1, &conf) == 0 &&
		    rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp) == 0 &&
		    rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL) == 0 &&
		    rte_eth_dev_start(port) == 0, "cannot start VF port %u in the primary", port);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "the PF's request server");
	pwr_ch = vfbc_channel_attach(MP_PF_NAME);
	TEST_ASSERT_NOT_NULL(pwr_ch, "cannot attach the PF's channel");
	return TEST_SUCCESS;
}

static void
pwr_teardown(void)
{
	vfbc_channel_free(pwr_ch);
	pwr_ch = NULL;
	mp_pf_server_stop();
}

/* The VF's sleeping word: not 0 while its consumer is armed. */
static uint32_t
pwr_armed(void)
{
	return __atomic_load_n(&__vfbc_channel_vf(pwr_ch, PWR_VF)->notify.sleeping,
			       __ATOMIC_SEQ_CST);
}

static int
test_pwr_rxintr_sleeper_vs_poll_wait(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t mask, us, tsc, ms;
	int r, n, e, ret = TEST_FAILED;
	uint32_t before, after;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[PWR_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	/* A thread of the VF process asleep, Rx-interrupt way, armed. */
	if (mp_child_cmd(&c, "sleepbg", rest, sizeof(rest), CMD_MS, "sleepbg %u",
			 PWR_SLEEP_MS) < 0 || atoi(rest) != 0) {
		printf("the Rx-interrupt sleeper did not arm: \"%s\"\n", rest);
		goto out;
	}
	before = pwr_armed();
	/* Another thread's adaptive wait, that times out. */
	if (mp_child_send(&c, "pwait1 0 50") < 0 ||
			mp_child_expect(&c, "pwait1", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d %" SCNx64 " %" SCNu64 " %" SCNu64, &r, &mask, &us,
			       &tsc) != 4) {
		printf("pwait1: no answer\n");
		goto out;
	}
	after = pwr_armed();
	printf("sleeping word: %#x with the Rx-interrupt sleeper armed, %#x after the "
	       "other thread's vfbc_vf_poll_wait() returned %d\n", before, after, r);
	/* The PF invalidates: the Rx-interrupt sleeper must wake to it. */
	vfbc_pf_invalidate_config_blocks(w.pf_port, PWR_VF, UINT64_C(1) << 3);
	if (mp_child_cmd(&c, "sleepjoin", rest, sizeof(rest), CMD_MS + PWR_SLEEP_MS,
			 "sleepjoin") < 0 ||
			sscanf(rest, "%d %" SCNu64 " %d", &n, &ms, &e) != 3) {
		printf("sleepjoin: \"%s\"\n", rest);
		goto out;
	}
	printf("the Rx-interrupt sleeper: %d event(s) after %" PRIu64 " ms (timeout %u), "
	       "error %d\n", n, ms, PWR_SLEEP_MS, e);
	if (n < 1) {
		printf("LOST WAKE-UP: the Rx-interrupt sleeper slept through the invalidation "
		       "(the adaptive wait on another thread, not refused, disarmed its word)\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

#define PWR_AL_TIMEOUT_MS	20000

static int
test_pwr_intr_thread_waiter_vs_disable(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t mask, us;
	int r, done, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[PWR_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	if (mp_child_cmd(&c, "pwaital", rest, sizeof(rest), CMD_MS, "pwaital 0 %d",
			 PWR_AL_TIMEOUT_MS) < 0 || atoi(rest) != 0) {
		printf("pwaital: \"%s\"\n", rest);
		goto out;
	}
	rte_delay_us_sleep(300000);
	if (vfbc_pf_enable_virtualization(w.pf_port, 0) != 0) {
		printf("the disable failed\n");
		goto out;
	}
	if (mp_child_cmd(&c, "pwaitaljoin", rest, sizeof(rest), CMD_MS + PWR_AL_TIMEOUT_MS,
			 "pwaitaljoin %d", PWR_AL_TIMEOUT_MS + 5000) < 0 ||
			sscanf(rest, "%d %d %" SCNx64 " %" SCNu64, &done, &r, &mask, &us) != 4) {
		printf("pwaitaljoin: \"%s\"\n", rest);
		goto out;
	}
	printf("a wait on EAL's interrupt thread (timeout %d ms), VFs disabled under it: "
	       "done %d, %d after %" PRIu64 " us\n", PWR_AL_TIMEOUT_MS, done, r, us);
	if (done && r == -EDEADLK) {
		ret = TEST_SUCCESS;
		goto out;
	}
	if (!done || us >= (uint64_t)PWR_AL_TIMEOUT_MS * 1000 * 9 / 10) {
		printf("LOST WAKE-UP: the waiter slept through the disable until its timeout\n");
		goto out;
	}
	if (r != -ENXIO) {
		printf("woken by the disable: %d, not -ENXIO\n", r);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	if (vfbc_pf_enable_virtualization(w.pf_port, 4) != 0)
		printf("could not enable the VFs again\n");
	return ret;
}

/* Wakes the PF sent the VF's consumer. */
static uint64_t
pwr_wakeups(void)
{
	struct vfbc_channel_stats st;

	if (vfbc_pf_mbox_stats(w.pf_port, PWR_VF, &st) != 0)
		return UINT64_MAX;
	return st.wakeups;
}

#define PWR_RACE_ROUNDS	1000
#define PWR_RACE_WAIT_MS 4000

/*
 * The callback mode turned on by one thread while another's adaptive wait
 * makes its first arm on a new claim: both ask the PF for a wake socket
 * with the lock let go. The PF keeps the last pair it made (closing the
 * former's end), the VF keeps the first answer (closing the later one as
 * "another thread's socket came first"): the PF sends its wakes on a pair
 * whose VF end is closed, the VF listens on one whose PF end is closed,
 * silently, and never asks again on this claim (the claim generation did
 * not move). Every later sleep on the claim sleeps through invalidations.
 * Seen here: the VF armed, the PF invalidated, and no wake was sent
 * (the stats' wakeups count did not move).
 */
/* What a round of the race checks. */
enum pwr_race_check {
	PWR_RACE_LOST_WAKE,	/* an armed wait is sent its wake */
	PWR_RACE_ENOTCONN,	/* no -ENOTCONN while the PF lives */
};

static int
pwr_race_rounds(enum pwr_race_check check)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t mask, us, tsc, w0, w1;
	int i, k, cb, pw, r, armed, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[PWR_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	for (i = 0; i < PWR_RACE_ROUNDS; i++) {
		if (mp_child_cmd(&c, "wakerace", rest, sizeof(rest), CMD_MS, "wakerace %d",
				 (i * 37) % 500) < 0 || sscanf(rest, "%d %d", &cb, &pw) != 2) {
			printf("wakerace: \"%s\"\n", rest);
			goto out;
		}
		if (check == PWR_RACE_ENOTCONN && (pw == -ENOTCONN || cb == -ENOTCONN)) {
			printf("round %d: callback mode's enable %d, adaptive wait %d, the PF "
			       "alive: -ENOTCONN says the primary is gone\n", i, cb, pw);
			goto out;
		}
		if (check != PWR_RACE_LOST_WAKE)
			continue;
		if (mp_child_send(&c, "pwait1 0 %d", PWR_RACE_WAIT_MS) < 0)
			goto out;
		armed = 0;
		for (k = 0; k < 2000 && !armed; k++) {
			armed = pwr_armed() != 0;
			if (!armed)
				rte_delay_us_sleep(1000);
		}
		w0 = pwr_wakeups();
		vfbc_pf_invalidate_config_blocks(w.pf_port, PWR_VF, UINT64_C(1) << (i % 64));
		w1 = pwr_wakeups();
		if (mp_child_expect(&c, "pwait1", rest, sizeof(rest),
				    CMD_MS + PWR_RACE_WAIT_MS) < 0 ||
				sscanf(rest, "%d %" SCNx64 " %" SCNu64 " %" SCNu64, &r, &mask, &us,
				       &tsc) != 4) {
			printf("pwait1: no answer\n");
			goto out;
		}
		if (armed && w1 == w0) {
			printf("round %d (callback mode's enable %d, racing wait %d): the VF "
			       "armed, the PF invalidated, no wake sent (wakeups %" PRIu64 "); "
			       "the wait returned %d mask %#" PRIx64 " after %" PRIu64
			       " us (timeout %d ms)\n", i, cb, pw, w0, r, mask, us,
			       PWR_RACE_WAIT_MS);
			printf("LOST WAKE-UP: the VF's wake socket is not the one the PF "
			       "sends on\n");
			goto out;
		}
	}
	printf("%d rounds: nothing seen\n", PWR_RACE_ROUNDS);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int
test_pwr_wake_socket_race(void)
{
	return pwr_race_rounds(PWR_RACE_LOST_WAKE);
}

/*
 * The same race: the two wake-socket requests are one rte_mp request name
 * (the claim's) sent twice at once from one process; EAL refuses the
 * second (EEXIST, a request of that name pending), and the driver turns
 * that into -ENOTCONN, "the primary is gone", with the PF alive. The same
 * happens to a wait whose first arm meets any other claim request of the
 * process (another port's claim or reset, on another thread).
 */
static int
test_pwr_wake_socket_enotconn(void)
{
	return pwr_race_rounds(PWR_RACE_ENOTCONN);
}

/* Descriptors open in this process (the PF's). */
static int
pwr_count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static int
pwr_agent_fds(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	if (mp_child_cmd(c, "fds", rest, sizeof(rest), CMD_MS, "fds") < 0)
		return -1;
	return atoi(rest);
}

#define PWR_FD_ROUNDS	40

/*
 * Descriptors across many waits, each on a new claim (release, claim,
 * then a wait that arms and asks the PF for a wake socket), then across
 * FLRs and resets: neither the VF process nor the PF may keep more.
 */
static int
test_pwr_fd_leak(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	int vf0, vf1, vf2, pf0, pf1, pf2, i, r, ret = TEST_FAILED;

	if (mp_life_spawn_vf(&c, "mp_vf_agent", w.vf_name[PWR_VF]) < 0 ||
			mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		goto out;
	/* One wait first: the sleep mode's descriptors made once. */
	if (mp_child_cmd(&c, "pwait1", rest, sizeof(rest), CMD_MS, "pwait1 0 5") < 0)
		goto out;
	vf0 = pwr_agent_fds(&c);
	pf0 = pwr_count_fds();
	for (i = 0; i < PWR_FD_ROUNDS; i++) {
		if (mp_child_ret(&c, NULL, 0, CMD_MS, "release") != 0 ||
				mp_child_ret(&c, NULL, 0, CMD_MS, "claim") != 0 ||
				mp_child_cmd(&c, "pwait1", rest, sizeof(rest), CMD_MS,
					     "pwait1 0 5") < 0) {
			printf("round %d: release, claim or wait failed\n", i);
			goto out;
		}
		r = atoi(rest);
		if (r < 0) {
			printf("round %d: wait %d\n", i, r);
			goto out;
		}
	}
	vf1 = pwr_agent_fds(&c);
	pf1 = pwr_count_fds();
	for (i = 0; i < PWR_FD_ROUNDS / 4; i++) {
		if (vfbc_pf_reset_vf(w.pf_port, PWR_VF) != 0) {
			printf("FLR %d failed\n", i);
			goto out;
		}
		if (mp_child_cmd(&c, "pwait1", rest, sizeof(rest), CMD_MS, "pwait1 0 200") < 0)
			goto out;
		rte_delay_us_sleep(50000);
		if (mp_child_ret(&c, NULL, 0, CMD_MS, "reset") != 0) {
			printf("reset %d failed\n", i);
			goto out;
		}
		if (mp_child_cmd(&c, "pwait1", rest, sizeof(rest), CMD_MS, "pwait1 0 5") < 0)
			goto out;
	}
	vf2 = pwr_agent_fds(&c);
	pf2 = pwr_count_fds();
	printf("descriptors: VF process %d, %d after %d release/claim/wait rounds, %d after "
	       "%d FLR/reset/wait rounds; PF process %d, %d, %d\n", vf0, vf1, PWR_FD_ROUNDS,
	       vf2, PWR_FD_ROUNDS / 4, pf0, pf1, pf2);
	if (vf1 > vf0 + 2 || vf2 > vf0 + 2 || pf1 > pf0 + 2 || pf2 > pf0 + 2) {
		printf("DESCRIPTOR LEAK\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* Bad input: a negative errno at once, nothing changed (the primary's ports). */
static int
test_pwr_bad_input(void)
{
	uint16_t vf = w.vf_port[PWR_VF];
	uint32_t armed = pwr_armed();
	uint64_t m = 0x1234;

	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(w.pf_port, &m, UINT32_MAX, -1), -ENODEV, "PF port");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(RTE_MAX_ETHPORTS, &m, 0, -1), -ENODEV, "port");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(UINT16_MAX, &m, 0, -1), -ENODEV, "port");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(vf, NULL, UINT32_MAX, -1), -EINVAL, "NULL mask");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(vf, &m, UINT32_MAX, -2), -EINVAL, "-2");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(vf, &m, UINT32_MAX, INT_MIN), -EINVAL, "INT_MIN");
	/* No claim here: refused at once, even with the longest spin and no timeout. */
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(vf, &m, UINT32_MAX, -1), -EPERM, "unclaimed");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(vf, &m, UINT32_MAX, INT_MAX), -EPERM, "unclaimed");
	TEST_ASSERT_EQUAL(m, 0x1234, "the mask was written");
	TEST_ASSERT_EQUAL(pwr_armed(), armed, "the sleeping word changed");
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_pwr_suite = {
	.suite_name = "mp red: vfbc_vf_poll_wait() against the other sleep modes",
	.setup = pwr_setup,
	.teardown = pwr_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pwr_bad_input),
		TEST_CASE(test_pwr_fd_leak),
		TEST_CASE(test_pwr_wake_socket_race),
		TEST_CASE(test_pwr_wake_socket_enotconn),
		TEST_CASE(test_pwr_rxintr_sleeper_vs_poll_wait),
		TEST_CASE(test_pwr_intr_thread_waiter_vs_disable),
		TEST_CASES_END()
	}
};

static int
test_mp_poll_wait_red(void)
{
	return unit_test_suite_runner(&mp_pwr_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_poll_wait_red_autotest, test_mp_poll_wait_red,
				  PWR_WORLD_OPTS, "mp");
