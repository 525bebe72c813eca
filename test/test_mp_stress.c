/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Stress with exact accounting: two PF lcores invalidate random masks
 * (single bits, all ones, dense, sparse) of 64 VFs, one VF a call, or a
 * list of VFs (duplicates included) in one bulk call now and then, while
 * two secondaries, 32 VFs each, poll them all. Every call (each entry of a
 * bulk call) and every delivery is logged with clock stamps, and the logs
 * are checked against the predicate at the top of test_mp_account.c: per
 * VF, the bits sent since each delivery are in it (or in an earlier
 * delivery that overlapped them), nothing is missing at the end, no bit is
 * delivered without an invalidate behind it.
 *
 * The two self-check cases run the same machinery with a fault injected in
 * the VF processes (MPA_FAULT: drop a bit; deliver a bit twice after the
 * PF stopped) and require the checker to report it.
 *
 * A VF process consumes through net_vfbc_vf (vfbc_vf_poll, callbacks
 * checked against the polled mask) every VF that has an ethdev port in the
 * primary, and the rest through the channel library's claim and poll, the
 * calls net_vfbc_vf makes underneath: DPDK builds cap a process's ports at
 * RTE_MAX_ETHPORTS (32 by default), and the PF port takes one.
 *
 * VF process 0 sleeps in its idle rounds (MPA_SLEEP=1, sleep mode: its
 * ports' Rx interrupts, the library's wake sockets), process 1 polls
 * without pause: the accounting holds for a consumer that sleeps, and
 * process 0 must have been woken.
 *
 * Processes and lcores: the primary runs "-l 0,1" and invalidates from both
 * lcores (the main one and a worker); the secondaries run lcores 2 and 3,
 * pinned to CPUs 0 and 1: on a 2-core machine four busy threads share two
 * cores, which varies the interleavings.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_mbuf.h>
#include <rte_lcore.h>
#include <rte_random.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"

#define STRESS_WORLD_OPTS	"--total-vfs 64"
#define STRESS_VFS		64
#define STRESS_AGENTS		2
#define STRESS_CALLS		1000000	/* per PF lcore */
#define STRESS_SELF_CALLS	5000
#define STRESS_MAX_S		20	/* bound of the invalidation phase */
#define STRESS_BULK_EVERY	32	/* one call in this many is a bulk call */
#define STRESS_BULK_MAX		16	/* its most entries */
#define START_MS		60000
#define CMD_MS			30000

static struct mpa_world w;
static struct mpa_shm *log_shm;

struct stress_lcore {
	uint64_t calls;		/* to make */
	uint64_t deadline;	/* timer cycles */
	uint64_t done;
	int err;
};

static int
stress_invalidate_loop(void *arg)
{
	struct stress_lcore *l = arg;
	uint64_t i, k;
	uint16_t most;
	int ret;

	for (i = 0, k = 0; i < l->calls; i += ret, k++) {
		if ((k & 255) == 0 && rte_get_timer_cycles() > l->deadline)
			break;
		/*
		 * The VF processes share the two CPUs with us: let them in now
		 * and then, so that deliveries interleave with the calls rather
		 * than follow a time slice's worth of them.
		 */
		if ((k & 1023) == 1023)
			rte_delay_us_sleep(20);
		/* Now and then a bulk call; its entries count as calls (and log records). */
		if (rte_rand_max(STRESS_BULK_EVERY) == 0) {
			most = RTE_MIN((uint64_t)STRESS_BULK_MAX, l->calls - i);
			ret = mpa_invalidate_bulk_random(log_shm, w.pf_port, w.nb_vfs, most);
		} else {
			ret = mpa_invalidate(log_shm, w.pf_port,
					     (uint16_t)rte_rand_max(w.nb_vfs), mpa_random_mask());
			ret = ret == 0 ? 1 : ret;
		}
		if (ret < 0) {
			l->err = ret;
			break;
		}
		l->done += ret;
	}
	return 0;
}

static void
stress_sum_stats(struct vfbc_channel_stats *sum)
{
	struct vfbc_channel_stats st;
	uint16_t vf;

	memset(sum, 0, sizeof(*sum));
	for (vf = 0; vf < w.nb_vfs; vf++) {
		if (vfbc_pf_mbox_stats(w.pf_port, vf, &st) != 0)
			continue;
		sum->invalidations += st.invalidations;
		sum->coalesced += st.coalesced;
		sum->doorbells += st.doorbells;
		sum->notify_ring_full += st.notify_ring_full;
		sum->deliveries += st.deliveries;
		sum->resyncs += st.resyncs;
	}
}

/*
 * One run: start the VF processes, invalidate from both lcores, drain,
 * check. Returns 0 when the run itself worked (whatever the check says),
 * the check's verdict in *check.
 */
static int
stress_run(uint64_t calls_per_lcore, const char *fault, struct mpa_result *r, int *check)
{
	char eal[1024], env_agent[32], env_fault[32], env_lib[64], rest[MP_LINE_MAX];
	const char *env[] = { env_agent, "MPA_GEN=0", env_fault, NULL, NULL, NULL };
	uint64_t sleeps, wakes, timeouts, due;
	struct stress_lcore lc[2];
	struct vfbc_channel_stats before, after;
	struct mp_child a[STRESS_AGENTS];
	unsigned int i, k, n, mism, worker, events, reported = 0;
	uint64_t t0, t1, hz;
	int ret = -1;

	for (i = 0; i < STRESS_AGENTS; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].pid = -1;
		a[i].to_fd = a[i].from_fd = -1;
	}
	hz = rte_get_timer_hz();
	mpa_reset(log_shm);
	snprintf(env_fault, sizeof(env_fault), "MPA_FAULT=%s", fault);
	for (i = 0; i < STRESS_AGENTS; i++) {
		snprintf(env_agent, sizeof(env_agent), "MPA_AGENT=%u", i);
		if (mpa_agent_eal_args(&w, i * (STRESS_VFS / STRESS_AGENTS),
				       STRESS_VFS / STRESS_AGENTS, 2 + i, i, eal, sizeof(eal),
				       env_lib, sizeof(env_lib)) < 0) {
			printf("cannot split the VFs\n");
			goto out;
		}
		env[3] = env_lib[0] != '\0' ? env_lib : NULL;
		env[env[3] != NULL ? 4 : 3] = i == 0 ? "MPA_SLEEP=1" : NULL;
		if (mp_child_spawn(&a[i], "mp_acct_vf", eal, env) < 0 ||
				mp_child_expect(&a[i], "ready", rest, sizeof(rest), START_MS) < 0 ||
				sscanf(rest, "n=%u", &n) != 1 || n != STRESS_VFS / STRESS_AGENTS) {
			printf("VF process %u did not start with %u VFs\n", i,
			       STRESS_VFS / STRESS_AGENTS);
			goto out;
		}
	}
	stress_sum_stats(&before);

	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("no worker lcore: the primary needs -l 0,1\n");
		goto out;
	}
	t0 = rte_get_timer_cycles();
	for (i = 0; i < 2; i++) {
		memset(&lc[i], 0, sizeof(lc[i]));
		lc[i].calls = calls_per_lcore;
		lc[i].deadline = t0 + hz * STRESS_MAX_S;
	}
	if (rte_eal_remote_launch(stress_invalidate_loop, &lc[1], worker) != 0) {
		printf("cannot launch lcore %u\n", worker);
		goto out;
	}
	stress_invalidate_loop(&lc[0]);
	rte_eal_wait_lcore(worker);
	t1 = rte_get_timer_cycles();
	if (lc[0].err != 0 || lc[1].err != 0) {
		printf("invalidate failed: %d / %d\n", lc[0].err, lc[1].err);
		goto out;
	}

	for (i = 0; i < STRESS_AGENTS; i++)
		if (mpa_set_mode(log_shm, i, MPA_MODE_DRAIN, CMD_MS) < 0) {
			printf("VF process %u did not take the drain order\n", i);
			goto out;
		}
	for (i = 0; i < STRESS_AGENTS; i++) {
		if (mp_child_expect(&a[i], "done", rest, sizeof(rest), CMD_MS) < 0 ||
				sscanf(rest, "delivs=%*u polls=%*u cb_mismatch=%u again=%*u "
				       "again_ns=%*u sleeps=%" SCNu64 " wakes=%" SCNu64
				       " timeouts=%" SCNu64 " due=%" SCNu64, &mism, &sleeps, &wakes,
				       &timeouts, &due) != 5) {
			printf("VF process %u did not finish its drain\n", i);
			goto out;
		}
		if (i == 0) {
			printf("VF process 0 (sleep mode): %" PRIu64 " sleeps, %" PRIu64 " woken, %"
			       PRIu64 " timed out, %" PRIu64 " arms found something due\n",
			       sleeps, wakes, timeouts, due);
			if (wakes == 0 && strcmp(fault, "none") == 0) {
				printf("VF process 0 was never woken from a sleep\n");
				goto out;
			}
		}
		if (mism != 0) {
			printf("VF process %u: %u polls whose callback mask differed\n", i, mism);
			goto out;
		}
		if (mp_child_send(&a[i], "quit") < 0 ||
				mp_child_expect(&a[i], "bye", NULL, 0, CMD_MS) < 0 ||
				mp_child_wait(&a[i], CMD_MS) != 0) {
			printf("VF process %u did not exit cleanly\n", i);
			goto out;
		}
	}
	stress_sum_stats(&after);

	*check = mpa_check(log_shm, 0, r);
	printf("invalidation phase: %" PRIu64 " + %" PRIu64 " calls in %.2f s\n", lc[0].done,
	       lc[1].done, (double)(t1 - t0) / (double)hz);
	printf("PF counters: invalidations %" PRIu64 ", coalesced %" PRIu64 ", doorbells %"
	       PRIu64 ", notify ring full %" PRIu64 ", VF deliveries %" PRIu64 "\n",
	       after.invalidations - before.invalidations, after.coalesced - before.coalesced,
	       after.doorbells - before.doorbells,
	       after.notify_ring_full - before.notify_ring_full,
	       after.deliveries - before.deliveries);
	mpa_print(fault, r);
	if (after.invalidations - before.invalidations != r->calls) {
		printf("the PF counted %" PRIu64 " invalidations, the log %" PRIu64 "\n",
		       after.invalidations - before.invalidations, r->calls);
		goto out;
	}
	/* Nothing happened to the VFs: not one life event, however busy the channel. */
	for (i = 0; i < MPA_MAX_VFS; i++) {
		events = 0;
		for (k = 0; k < RTE_DIM(log_shm->life[i].count); k++)
			events += log_shm->life[i].count[k] + log_shm->life[i].past[k];
		if (events != 0) {
			printf("VF %u raised %u life events; the PF did nothing to it\n", i,
			       events);
			goto out;
		}
		reported += log_shm->life[i].gen != 0;
	}
	if (reported == 0) {
		printf("no VF process reported its life events\n");
		goto out;
	}
	/* The final drain's non-empty polls are deliveries too; the log has them all. */
	if (strcmp(fault, "none") == 0 && after.deliveries - before.deliveries != r->delivs) {
		printf("the channel counted %" PRIu64 " deliveries, the log %" PRIu64 "\n",
		       after.deliveries - before.deliveries, r->delivs);
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < STRESS_AGENTS; i++)
		mp_child_close(&a[i]);
	return ret;
}

/*
 * The primary configures the VF ports (one queue each), as a DPDK primary
 * does: a consumer's Rx interrupt is its port's queue 0's.
 */
static int
stress_configure_vf_ports(void)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t port;
	int ret;

	memset(&conf, 0, sizeof(conf));
	mp = rte_pktmbuf_pool_create("stress_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	if (mp == NULL)
		return -ENOMEM;
	RTE_ETH_FOREACH_DEV(port) {
		/* The world's ports: the PF's and its VFs'. */
		if (port == w.pf_port)
			continue;
		ret = rte_eth_dev_configure(port, 1, 1, &conf);
		if (ret == 0)
			ret = rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
stress_setup(void)
{
	int ret;

	ret = mpa_world_start(&w, 512, "-l 0,1");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(w.nb_vfs, STRESS_VFS, "the world has %u VFs, want %u", w.nb_vfs,
			  STRESS_VFS);
	TEST_ASSERT_EQUAL(rte_lcore_count(), 2, "the primary has %u lcores, want 2",
			  rte_lcore_count());
	log_shm = mpa_create(STRESS_VFS, 2 * STRESS_CALLS, 2 * STRESS_CALLS + 4096, 0, 0);
	TEST_ASSERT_NOT_NULL(log_shm, "no accounting log");
	TEST_ASSERT_SUCCESS(stress_configure_vf_ports(), "the VF ports' queues");
	return TEST_SUCCESS;
}

static int
test_mp_stress_checker_detects_dropped_bits(void)
{
	struct mpa_result r;
	int check = 0;

	TEST_ASSERT_SUCCESS(stress_run(STRESS_SELF_CALLS, "drop", &r, &check),
			    "the run itself failed");
	TEST_ASSERT(check != 0 && r.lost > 0,
		    "VF processes dropped bit %u and the checker saw no loss", MPA_FAULT_BIT);
	TEST_ASSERT_EQUAL(r.phantom, 0, "dropping a bit made %" PRIu64 " phantom bits",
			  r.phantom);
	return TEST_SUCCESS;
}

static int
test_mp_stress_checker_detects_phantom_bits(void)
{
	struct mpa_result r;
	int check = 0;

	TEST_ASSERT_SUCCESS(stress_run(STRESS_SELF_CALLS, "phantom", &r, &check),
			    "the run itself failed");
	TEST_ASSERT(check != 0 && r.phantom > 0,
		    "VF processes delivered bit %u twice with no invalidate and the checker "
		    "saw no phantom", MPA_FAULT_BIT);
	TEST_ASSERT_EQUAL(r.lost, 0, "extra deliveries made %" PRIu64 " lost bits", r.lost);
	return TEST_SUCCESS;
}

static int
test_mp_stress_two_lcores_64_vfs_exact_accounting(void)
{
	struct mpa_result r;
	int check = -1;

	TEST_ASSERT_SUCCESS(stress_run(STRESS_CALLS, "none", &r, &check),
			    "the run itself failed");
	TEST_ASSERT_SUCCESS(check, "accounting failed: %" PRIu64 " lost, %" PRIu64
			    " phantom, %" PRIu64 " bad records", r.lost, r.phantom,
			    r.bad_records);
	TEST_ASSERT(r.calls > 0 && r.delivs > 0, "nothing happened");
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_stress_suite = {
	.suite_name = "mp stress: 2 PF lcores, 64 VFs in 2 secondaries",
	.setup = stress_setup,
	.unit_test_cases = {
		TEST_CASE(test_mp_stress_checker_detects_dropped_bits),
		TEST_CASE(test_mp_stress_checker_detects_phantom_bits),
		TEST_CASE(test_mp_stress_two_lcores_64_vfs_exact_accounting),
		TEST_CASES_END()
	}
};

static int
test_mp_stress(void)
{
	return unit_test_suite_runner(&mp_stress_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_stress_autotest, test_mp_stress, STRESS_WORLD_OPTS, "mp");
