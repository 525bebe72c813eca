/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The adaptive wait, vfbc_vf_poll_wait(), across processes: a VF process
 * (the agent, a secondary) spins, then arms and sleeps. An invalidation
 * during the spin is delivered with the VF never armed; one after the arm
 * wakes it; PF bursts racing the spin's end, round after round, are all
 * delivered with no wait timing out over pending bits (a lost wake-up);
 * a timeout returns 0 after about its time; a disable, a revoked claim,
 * the PF's death and a close from another thread wake a waiter that
 * waits forever, with their errno; the other sleep modes and a second
 * waiter are refused (-EBUSY).
 *
 * Wake-up times (PF call to the wait's return, on the shared TSC) with no
 * spin and with a spin covering the PF's delay, and the CPU of an idle
 * waiter, are printed for the guide.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define PW_WORLD_OPTS	"--total-vfs 4"
#define CMD_MS		15000
#define START_MS	30000
#define PW_VF		1
#define PW_ROUNDS	200
/* A wait of the race rounds: a timeout there slept through pending bits. */
#define PW_ROUND_MS	3000

static struct mp_world w;
static struct vfbc_channel *pw_ch;

static int
pw_setup(void)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t port;
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs > PW_VF, "the world has %u VFs", w.nb_vfs);
	port = w.vf_port[PW_VF];
	memset(&conf, 0, sizeof(conf));
	mp = rte_pktmbuf_pool_create("mp_pw_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(mp, "no mbuf pool");
	/* Queue 0 configured, for the agent's Rx interrupt calls (-EBUSY). */
	TEST_ASSERT(rte_eth_dev_configure(port, 1, 1, &conf) == 0 &&
		    rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp) == 0 &&
		    rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL) == 0 &&
		    rte_eth_dev_start(port) == 0, "cannot start VF port %u in the primary", port);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "the PF's request server");
	pw_ch = vfbc_channel_attach(MP_PF_NAME);
	TEST_ASSERT_NOT_NULL(pw_ch, "cannot attach the PF's channel");
	return TEST_SUCCESS;
}

static void
pw_teardown(void)
{
	vfbc_channel_free(pw_ch);
	pw_ch = NULL;
	/* Stopped already if the PF port was closed. */
	mp_pf_server_stop();
}

/* The VF's sleeping word: not 0 while its consumer is armed. */
static uint32_t
pw_armed(void)
{
	return __atomic_load_n(&__vfbc_channel_vf(pw_ch, PW_VF)->notify.sleeping,
			       __ATOMIC_SEQ_CST);
}

/* Wakes the PF sent the VF's consumers. */
static uint64_t
pw_wakeups(void)
{
	struct vfbc_channel_stats st;

	if (vfbc_pf_mbox_stats(w.pf_port, PW_VF, &st) != 0)
		return UINT64_MAX;
	return st.wakeups;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* An agent on VF PW_VF that took what was due (a takeover's "all blocks"). */
static int
pw_spawn(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	if (mp_life_spawn_vf(c, "mp_vf_agent", w.vf_name[PW_VF]) < 0 ||
			mp_child_cmd(c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0)
		return -1;
	return 0;
}

/* "pwait1" answered: its fields (ns: mp_now_ns() after, may be NULL). 0, or -1 printed. */
static int
pw_result_ns(struct mp_child *c, const char *what, int *ret, uint64_t *mask, uint64_t *us,
	     uint64_t *tsc, uint64_t *ns)
{
	char rest[MP_LINE_MAX];
	uint64_t t;

	if (mp_child_expect(c, "pwait1", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d %" SCNx64 " %" SCNu64 " %" SCNu64 " %" SCNu64, ret, mask,
			       us, tsc, ns != NULL ? ns : &t) != 5) {
		printf("%s: no answer\n", what);
		return -1;
	}
	return 0;
}

static int
pw_result(struct mp_child *c, const char *what, int *ret, uint64_t *mask, uint64_t *us,
	  uint64_t *tsc)
{
	return pw_result_ns(c, what, ret, mask, us, tsc, NULL);
}

/* What the PF does to a waiter: 0, or -1 printed. */
typedef int (*pw_act_t)(void);

/*
 * A waiter in "pwait1 SPIN -1" (300 ms into it) when act() runs: its
 * return, printed with how long after act() began it came, and how long
 * the wait took (us). 0, or -1.
 */
static int
pw_woken_by(struct mp_child *c, const char *what, uint32_t spin_us, pw_act_t act, int *r,
	    uint64_t *mask, uint64_t *us)
{
	uint64_t t0, t1, tsc, ns;

	if (mp_child_send(c, "pwait1 %u -1", spin_us) < 0)
		return -1;
	rte_delay_us_sleep(300000);
	t0 = mp_now_ns();
	if (act() != 0)
		return -1;
	t1 = mp_now_ns();
	if (pw_result_ns(c, what, r, mask, us, &tsc, &ns) < 0)
		return -1;
	/* The PF's call may take long (a disable): after its start, and its end. */
	printf("%s under a waiter (spin %u us, no timeout): %d, %.2f ms after the call began, "
	       "%.2f ms after it returned\n", what, spin_us, *r, ((double)ns - (double)t0) / 1e6,
	       ((double)ns - (double)t1) / 1e6);
	return 0;
}

static int
pw_act_disable(void)
{
	return vfbc_pf_enable_virtualization(w.pf_port, 0) == 0 ? 0 : -1;
}

static int
pw_act_flr(void)
{
	return vfbc_pf_reset_vf(w.pf_port, PW_VF) == 0 ? 0 : -1;
}

/* The claim word names another holder (this process), as a grant to it writes it. */
static int
pw_act_takeover(void)
{
	__atomic_store_n(&__vfbc_channel_vf(pw_ch, PW_VF)->consumer.claim,
			 (UINT64_C(0x77) << 32) | (uint32_t)getpid(), __ATOMIC_SEQ_CST);
	return 0;
}

/* The PF closes its port: no channel any more. */
static int
pw_act_pf_close(void)
{
	mp_pf_server_stop();
	return rte_eth_dev_close(w.pf_port) == 0 ? 0 : -1;
}

/* The PF's process of mp_poll_wait_pf_death_autotest. */
static struct mp_child *pw_pf_child;

static int
pw_act_kill(void)
{
	return mp_child_kill(pw_pf_child, SIGKILL) == 0 ? 0 : -1;
}

/*
 * A bit during the spin: delivered, the VF never armed. A bit after the
 * spin: the wait armed and slept, the PF's wake took the word back.
 */
static int
test_pw_spin_then_sleep(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t mask, us, tsc, wakes;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	/* Spin 400 ms; the bit comes at about 100 ms. */
	wakes = pw_wakeups();
	if (mp_child_send(&c, "pwait1 400000 5000") < 0)
		goto out;
	rte_delay_us_sleep(100000);
	if (pw_armed() != 0) {
		printf("armed while it should spin\n");
		goto out;
	}
	vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, UINT64_C(1) << 3);
	if (pw_result(&c, "spin", &r, &mask, &us, &tsc) < 0)
		goto out;
	if (r != 1 || mask != UINT64_C(1) << 3 || us >= 400000 + 5000000) {
		printf("a bit during the spin: %d %#" PRIx64 " after %" PRIu64 " us\n", r, mask,
		       us);
		goto out;
	}
	if (pw_wakeups() != wakes) {
		printf("a wake sent to a consumer that spins\n");
		goto out;
	}
	printf("a bit during the spin: delivered after %" PRIu64 " us, never armed\n", us);
	/* Spin 1 ms, then asleep when the bit comes. */
	if (mp_child_send(&c, "pwait1 1000 8000") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	if (pw_armed() == 0) {
		printf("not armed 300 ms into a wait with a 1 ms spin\n");
		goto out;
	}
	vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, UINT64_C(1) << 60);
	if (pw_result(&c, "sleep", &r, &mask, &us, &tsc) < 0)
		goto out;
	if (r != 1 || mask != UINT64_C(1) << 60 || us < 250000 || us >= 8000000) {
		printf("a bit during the sleep: %d %#" PRIx64 " after %" PRIu64 " us\n", r, mask,
		       us);
		goto out;
	}
	if (pw_armed() != 0 || pw_wakeups() != wakes + 1) {
		printf("still armed after the wake, or not one wake sent (%" PRIu64 ")\n",
		       pw_wakeups() - wakes);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * Rounds of PF bursts (1 to 8 bits, microseconds apart) starting at random
 * around the end of the agent's spin: every bit is delivered and no wait
 * times out with bits pending. Then the wake-up time: spin 0 (each
 * delivery a sleep and a wake) against a spin longer than the PF's delay.
 */
struct pw_round_cfg {
	unsigned int rounds;
	uint32_t spin_us;
	unsigned int delay_us;	/* the PF's first call after the command, at least */
	unsigned int jitter_us;	/* ... and at most this much later */
	unsigned int max_bits;	/* a burst of 1 to max_bits calls */
};

/* Rounds: every bit delivered, no timeout; *slept counts rounds the PF sent a wake in. */
static int
pw_rounds(struct mp_child *c, const struct pw_round_cfg *cfg, uint64_t *ns,
	  unsigned int *n_ns, unsigned int *slept)
{
	char rest[MP_LINE_MAX];
	uint64_t want, got, t0, tsc, bit, wakes;
	unsigned int r, i, n, calls, zeros;
	uint32_t spin_us = cfg->spin_us;
	int err;

	*n_ns = 0;
	*slept = 0;
	for (r = 0; r < cfg->rounds; r++) {
		wakes = pw_wakeups();
		n = 1 + (unsigned int)rte_rand_max(cfg->max_bits);
		want = 0;
		for (i = 0; i < n; i++)
			want |= UINT64_C(1) << rte_rand_max(64);
		if (mp_child_send(c, "pwait %u %d %" PRIx64, spin_us, PW_ROUND_MS, want) < 0)
			return -1;
		rte_delay_us_sleep(cfg->delay_us + (unsigned int)rte_rand_max(cfg->jitter_us + 1));
		t0 = rte_get_timer_cycles();
		for (i = 0; i < 64; i++) {
			bit = UINT64_C(1) << i;
			if ((want & bit) == 0)
				continue;
			vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, bit);
			rte_delay_us_block((unsigned int)rte_rand_max(20));
		}
		if (mp_child_expect(c, "pwaited", rest, sizeof(rest), CMD_MS) < 0 ||
				sscanf(rest, "%" SCNx64 " %u %u %d %" SCNu64, &got, &calls, &zeros,
				       &err, &tsc) < 5) {
			printf("round %u: no answer\n", r);
			return -1;
		}
		if (err != 0 || (got & want) != want || zeros != 0) {
			printf("round %u (spin %u us): got %#" PRIx64 " of %#" PRIx64 ", %u calls, "
			       "%u timed out with bits pending, error %d\n", r, spin_us, got, want,
			       calls, zeros, err);
			return -1;
		}
		if (ns != NULL && tsc > t0)
			ns[(*n_ns)++] = (tsc - t0) * 1000000000 / rte_get_timer_hz();
		*slept += pw_wakeups() != wakes;
	}
	return 0;
}

/* p50 and p90 of n times (ns), sorted here. */
static void
pw_print_times(const char *what, uint64_t *ns, unsigned int n, unsigned int slept)
{
	qsort(ns, n, sizeof(ns[0]), u64_cmp);
	printf("%s: PF call to the wait's return p50 %.1f us, p90 %.1f us (%u of %u rounds "
	       "woken by the PF)\n", what, (double)ns[n / 2] / 1e3, (double)ns[n * 9 / 10] / 1e3,
	       slept, n);
}

static int
test_pw_race_rounds(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	const struct pw_round_cfg race = {
		.rounds = PW_ROUNDS, .spin_us = 500, .delay_us = 0, .jitter_us = 1500,
		.max_bits = 8,
	};
	/* One bit 2 to 3 ms after the command: asleep without a spin, spinning with 20 ms. */
	struct pw_round_cfg lat = {
		.rounds = 50, .spin_us = 0, .delay_us = 2000, .jitter_us = 1000, .max_bits = 1,
	};
	uint64_t ns[PW_ROUNDS];
	unsigned int n, slept;
	int ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	/* The command takes a while to arrive: bursts land on both sides of the spin's end. */
	if (pw_rounds(&c, &race, NULL, &n, &slept) < 0)
		goto out;
	printf("%u rounds of bursts racing a 500 us spin's end: every bit delivered, no wait "
	       "timed out over pending bits; %u rounds woken by the PF, %u delivered by the "
	       "spin\n", PW_ROUNDS, slept, PW_ROUNDS - slept);
	if (slept == 0 || slept == PW_ROUNDS) {
		printf("the bursts did not land on both sides of the spin's end\n");
		goto out;
	}
	if (pw_rounds(&c, &lat, ns, &n, &slept) < 0 || n == 0)
		goto out;
	pw_print_times("spin 0", ns, n, slept);
	lat.spin_us = 20000;
	if (pw_rounds(&c, &lat, ns, &n, &slept) < 0 || n == 0)
		goto out;
	pw_print_times("spin 20 ms", ns, n, slept);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * A stream: the agent waits again after each delivery (spin 200 us), the
 * PF calls every 100 to 400 us, so its calls fall before, across and
 * after the agent's spin->arm transition, thousands of times in a row.
 * The PF never pauses as long as the wait's timeout: a wait that times out
 * slept through a call (bit 63 ends the stream).
 */
#define PW_STREAM_CALLS 20000
/* The stream's waits: one that lasts this long slept through calls. */
#define PW_STREAM_WAIT_MS 1000

static int
test_pw_stream(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t sent = 0, got, tsc, bit, wakes, max_us, cpu_us, wall_us;
	char rest[MP_LINE_MAX];
	unsigned int i, calls, zeros;
	int err, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	wakes = pw_wakeups();
	if (mp_child_send(&c, "pwait 200 %d %" PRIx64, PW_STREAM_WAIT_MS, UINT64_C(1) << 63) < 0)
		goto out;
	rte_delay_us_sleep(20000);
	for (i = 0; i < PW_STREAM_CALLS; i++) {
		bit = UINT64_C(1) << rte_rand_max(63);
		vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, bit);
		sent |= bit;
		rte_delay_us_block(100 + (unsigned int)rte_rand_max(300));
	}
	vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, UINT64_C(1) << 63);
	sent |= UINT64_C(1) << 63;
	if (mp_child_expect(&c, "pwaited", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%" SCNx64 " %u %u %d %" SCNu64 " %" SCNu64 " %" SCNu64 " %"
			       SCNu64, &got, &calls, &zeros, &err, &tsc, &max_us, &cpu_us,
			       &wall_us) != 8 || wall_us == 0) {
		printf("the stream's waiter: no answer\n");
		goto out;
	}
	wakes = pw_wakeups() - wakes;
	printf("%u PF calls 100-400 us apart against a 200 us spin: %u waits, %" PRIu64
	       " woken by the PF, the longest %" PRIu64 " us, %u lasted their timeout; the "
	       "waiter used %.0f%% of a CPU\n", PW_STREAM_CALLS, calls, wakes, max_us, zeros,
	       100.0 * (double)cpu_us / (double)wall_us);
	/*
	 * The PF calls at least every 400 us: a wait that lasts its timeout
	 * slept through calls (a bit that came before the arm, not seen).
	 * The longest wait is printed only: a loaded machine stalls either
	 * process for long.
	 */
	if (err != 0 || zeros != 0 || got != sent) {
		printf("got %#" PRIx64 " of %#" PRIx64 ", error %d\n", got, sent, err);
		goto out;
	}
	if (wakes == 0 || wakes >= calls) {
		printf("the calls did not land on both sides of the spin's end\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* A timeout returns 0 after about its time; 0 ms is a bounded busy poll. */
static int
test_pw_timeout(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t mask, us, tsc;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	if (mp_child_send(&c, "pwait1 1000 300") < 0 ||
			pw_result(&c, "timeout", &r, &mask, &us, &tsc) < 0)
		goto out;
	printf("spin 1 ms, timeout 300 ms: %d after %" PRIu64 " us\n", r, us);
	/* Generous above: a loaded machine. */
	if (r != 0 || us < 300000 || us > 300000 + 5000000) {
		printf("not a timeout\n");
		goto out;
	}
	if (mp_child_send(&c, "pwait1 2000 0") < 0 ||
			pw_result(&c, "no sleep", &r, &mask, &us, &tsc) < 0)
		goto out;
	printf("spin 2 ms, timeout 0: %d after %" PRIu64 " us\n", r, us);
	if (r != 0 || us < 2000 || us > 2000000 || pw_armed() != 0) {
		printf("not a bounded busy poll\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* The CPU of a waiter asleep (timeout), against its wall time. */
static int
test_pw_idle(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t cpu_us, wall_us;
	int n, err, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	/* Its "idle" measures a wait of the Rx interrupt; pwaitidle this one. */
	if (mp_child_cmd(&c, "idle", rest, sizeof(rest), CMD_MS, "pwaitidle 100 2000") < 0 ||
			sscanf(rest, "%" SCNu64 " %" SCNu64 " %d %d", &cpu_us, &wall_us, &n,
			       &err) != 4 || n != 0 || err != 0 || wall_us == 0) {
		printf("pwaitidle: \"%s\"\n", rest);
		goto out;
	}
	printf("a waiter (spin 100 us, then asleep) idle %.1f s: CPU %.2f ms, %.4f of the time "
	       "(the life watch's alarm included)\n", (double)wall_us / 1e6,
	       (double)cpu_us / 1e3, (double)cpu_us / (double)wall_us);
	if (cpu_us * 10 > wall_us) {
		printf("it did not sleep\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * The other sleep modes and a second waiter are refused while a thread
 * waits; callback mode on refuses the wait; without the claim, -EPERM.
 */
static int
test_pw_busy_and_errnos(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t mask, us, tsc;
	int r, e, d, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	if (mp_child_cmd(&c, "pwaitbg", rest, sizeof(rest), CMD_MS, "pwaitbg 0 -1") < 0 ||
			atoi(rest) != 0)
		goto out;
	rte_delay_us_sleep(200000);
	if (mp_child_send(&c, "pwait1 0 100") < 0 ||
			pw_result(&c, "second waiter", &r, &mask, &us, &tsc) < 0 || r != -EBUSY) {
		printf("a second waiter: not -EBUSY\n");
		goto out;
	}
	if (mp_child_cmd(&c, "ret", rest, sizeof(rest), CMD_MS, "rxintr") < 0 ||
			sscanf(rest, "%d %d", &e, &d) != 2 || e != -EBUSY || d != -EBUSY) {
		printf("Rx interrupts while a thread waits: \"%s\"\n", rest);
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode on") != -EBUSY) {
		printf("callback mode while a thread waits: not -EBUSY\n");
		goto out;
	}
	/* The forever waiter still gets its bit. */
	vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, UINT64_C(1) << 7);
	if (mp_child_cmd(&c, "pwaitjoin", rest, sizeof(rest), CMD_MS, "pwaitjoin") < 0 ||
			sscanf(rest, "%d %" SCNx64, &r, &mask) != 2 || r != 1 || mask != 0x80) {
		printf("the forever waiter: \"%s\"\n", rest);
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode on") != 0)
		goto out;
	if (mp_child_send(&c, "pwait1 0 100") < 0 ||
			pw_result(&c, "callback mode", &r, &mask, &us, &tsc) < 0 || r != -EBUSY) {
		printf("a wait in callback mode: not -EBUSY\n");
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "cbmode off") != 0 ||
			mp_child_ret(&c, NULL, 0, CMD_MS, "release") != 0)
		goto out;
	if (mp_child_send(&c, "pwait1 100 100") < 0 ||
			pw_result(&c, "released", &r, &mask, &us, &tsc) < 0 || r != -EPERM) {
		printf("a wait without the claim: not -EPERM\n");
		goto out;
	}
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "claim") != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* Enable the VFs again, and reset the agent's port: 0, or -1 printed. */
static int
pw_enable_reset(struct mp_child *c)
{
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 4), "enable");
	rte_delay_us_sleep(200000);
	if (mp_child_ret(c, NULL, 0, CMD_MS, "reset") != 0) {
		printf("reset after the enable\n");
		return -1;
	}
	return 0;
}

/* After a disable and a reset, the first delivery is every block. 0, or -1 printed. */
static int
pw_all_blocks(struct mp_child *c)
{
	uint64_t mask, us, tsc;
	int r;

	if (mp_child_send(c, "pwait1 0 5000") < 0 ||
			pw_result(c, "after reset", &r, &mask, &us, &tsc) < 0 || r != 1 ||
			mask != VFBC_VF_ALL_BLOCKS) {
		printf("after the re-enable: not the \"all blocks\" delivery\n");
		return -1;
	}
	return 0;
}

/*
 * The PF disables its VFs under a waiter that waits forever: -ENXIO, at
 * once; then under one spinning (a 5 s spin): -ENXIO, not at the spin's
 * end. Enabled again and reset, the wait works on the new claim.
 */
static int
test_pw_disable(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t mask, us, tsc;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0 || pw_woken_by(&c, "disable", 0, pw_act_disable, &r, &mask, &us) < 0)
		goto out;
	if (r != -ENXIO || pw_enable_reset(&c) < 0 || pw_all_blocks(&c) < 0)
		goto out;
	if (pw_woken_by(&c, "disable", 5000000, pw_act_disable, &r, &mask, &us) < 0)
		goto out;
	if (r != -ENXIO || us >= 5000000) {
		printf("a disable under the spin: not -ENXIO before the spin's end\n");
		goto out;
	}
	if (pw_enable_reset(&c) < 0 || pw_all_blocks(&c) < 0)
		goto out;
	if (mp_child_send(&c, "pwait1 0 8000") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	vfbc_pf_invalidate_config_blocks(w.pf_port, PW_VF, 0x5);
	if (pw_result(&c, "new claim", &r, &mask, &us, &tsc) < 0 || r != 1 || mask != 0x5) {
		printf("a wait on the new claim: %d %#" PRIx64 "\n", r, mask);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * An FLR under a forever waiter: woken, 0 (the port still delivers). Not
 * reset (its link stays down: no link change to wake anyone), the port is
 * released by another thread under a new forever waiter: woken, -EPERM.
 */
static int
test_pw_reset_wakes(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t mask, us;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0 || pw_woken_by(&c, "FLR", 0, pw_act_flr, &r, &mask, &us) < 0 ||
			r != 0)
		goto out;
	if (mp_child_cmd(&c, "pwaitbg", rest, sizeof(rest), CMD_MS, "pwaitbg 0 -1") < 0 ||
			atoi(rest) != 0)
		goto out;
	rte_delay_us_sleep(300000);
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "release") != 0 ||
			mp_child_cmd(&c, "pwaitjoin", rest, sizeof(rest), CMD_MS,
				     "pwaitjoin") < 0 ||
			sscanf(rest, "%d %" SCNx64 " %" SCNu64, &r, &mask, &us) != 3 ||
			r != -EPERM) {
		printf("released under a forever waiter: \"%s\"\n", rest);
		goto out;
	}
	printf("released by another thread under a forever waiter, link down: %d after %"
	       PRIu64 " us\n", r, us);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * The claim taken over under a forever waiter: -EPERM. Last: the word is
 * cleared after, for nobody.
 */
static int
test_pw_takeover(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t mask, us;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) == 0 && pw_woken_by(&c, "claim taken over", 0, pw_act_takeover, &r,
					      &mask, &us) == 0 && r == -EPERM)
		ret = TEST_SUCCESS;
	mp_life_agent_quit(&c);
	__atomic_store_n(&__vfbc_channel_vf(pw_ch, PW_VF)->consumer.claim, 0, __ATOMIC_SEQ_CST);
	return ret;
}

/*
 * The port closed from another thread of the VF process while its
 * waiter waits forever: the close wakes it, waits for it, and it returns
 * -ENODEV, its state not freed under it.
 */
static int
test_pw_close_under_waiter(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t mask, us;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0)
		goto out;
	if (mp_child_cmd(&c, "pwaitbg", rest, sizeof(rest), CMD_MS, "pwaitbg 0 -1") < 0 ||
			atoi(rest) != 0)
		goto out;
	rte_delay_us_sleep(300000);
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "close") != 0) {
		printf("close under a waiter failed\n");
		goto out;
	}
	if (mp_child_cmd(&c, "pwaitjoin", rest, sizeof(rest), CMD_MS, "pwaitjoin") < 0 ||
			sscanf(rest, "%d %" SCNx64 " %" SCNu64, &r, &mask, &us) != 3) {
		printf("pwaitjoin: \"%s\"\n", rest);
		goto out;
	}
	printf("the port closed under a forever waiter: %d after %" PRIu64 " us\n", r, us);
	if (r != -ENODEV)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/*
 * The PF closes its port under a forever waiter: woken, and told (the
 * channel is gone: nothing would ever wake it again); a new wait too,
 * at once. Last: the PF port stays closed.
 */
static int
test_pw_pf_closed(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint64_t mask, us, tsc;
	int r, ret = TEST_FAILED;

	if (pw_spawn(&c) < 0 || pw_woken_by(&c, "PF port close", 0, pw_act_pf_close, &r, &mask,
					     &us) < 0)
		goto out;
	if (mp_child_send(&c, "pwait1 100 -1") < 0 ||
			pw_result(&c, "after the close", &r, &mask, &us, &tsc) < 0)
		goto out;
	printf("a wait after the PF's close: %d after %" PRIu64 " us\n", r, us);
	if (r >= 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static struct unit_test_suite mp_pw_suite = {
	.suite_name = "mp: vfbc_vf_poll_wait(), spin then sleep",
	.setup = pw_setup,
	.teardown = pw_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pw_spin_then_sleep),
		TEST_CASE(test_pw_race_rounds),
		TEST_CASE(test_pw_stream),
		TEST_CASE(test_pw_timeout),
		TEST_CASE(test_pw_idle),
		TEST_CASE(test_pw_busy_and_errnos),
		TEST_CASE(test_pw_reset_wakes),
		TEST_CASE(test_pw_close_under_waiter),
		TEST_CASE(test_pw_disable),
		TEST_CASE(test_pw_takeover),
		TEST_CASE(test_pw_pf_closed),
		TEST_CASES_END()
	}
};

static int
test_mp_poll_wait(void)
{
	return unit_test_suite_runner(&mp_pw_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_poll_wait_autotest, test_mp_poll_wait, PW_WORLD_OPTS,
				  "mp");

/* The PF's process dies under a forever waiter: -ENOTCONN. */
static int
test_mp_poll_wait_pf_death(void)
{
	uint64_t mask, us;
	char rest[MP_LINE_MAX];
	struct mp_child p, c;
	int r, ret = TEST_FAILED;

	c.pid = p.pid = -1;
	c.to_fd = c.from_fd = p.to_fd = p.from_fd = -1;
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	if (mp_child_spawn_primary(&p, "mp_vf_primary", NULL) < 0 ||
	    mp_child_expect(&p, "ready", rest, sizeof(rest), START_MS) < 0 ||
	    strncmp(rest, "prefix=", 7) != 0) {
		printf("the PF primary did not start\n");
		goto out;
	}
	if (mp_child_spawn_prefix(&c, "mp_vf_agent", "-a 0000:01:00.1", rest + 7, NULL) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), START_MS) < 0 ||
	    mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 200 0") < 0) {
		printf("the VF process did not start or claim\n");
		goto out;
	}
	pw_pf_child = &p;
	if (pw_woken_by(&c, "PF death", 0, pw_act_kill, &r, &mask, &us) == 0 && r == -ENOTCONN)
		ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	mp_child_close(&p);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_poll_wait_pf_death_autotest, test_mp_poll_wait_pf_death,
				  PW_WORLD_OPTS, "mp");
