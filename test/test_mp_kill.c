/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * SIGKILL of a VF process mid-stream. Two PF lcores invalidate random masks
 * of 16 VFs without pause, now and then a list of them in one bulk call
 * that spans both processes' VFs; VF process A (VFs 0..7) is killed at a
 * random point several times and restarted, each new incarnation taking
 * the dead one's claims over at probe; VF process B (VFs 8..15) runs
 * throughout.
 *
 * Checked: the PF lcores never see an error; while A is dead, B keeps
 * receiving; each restarted A holds every claim of its VFs; the accounting
 * of test_mp_account.c holds over the whole run with the documented resync
 * rule (the first delivery of each VF after a takeover is "all blocks",
 * exempt from the no-phantom rule since the dead consumer may have taken
 * bits it never acted on), and there is exactly one resync per VF per
 * restart. Bits invalidated while A was dead are covered by P1: nothing is
 * lost across a kill.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_random.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"

#define KILL_WORLD_OPTS		"--total-vfs 16"
#define KILL_VFS		16
#define KILL_A_VFS		8	/* VFs 0..7: the process that gets killed */
#define KILL_ROUNDS		5
#define KILL_CALLS_CAP		4000000
#define KILL_PACE_US		2	/* between two calls of one PF lcore */
#define KILL_BULK_EVERY		64	/* one call in this many is a bulk call */
#define KILL_BULK_MAX		4	/* its most entries: the log's cap holds */
#define START_MS		60000
#define CMD_MS			30000

static struct mpa_world w;
static struct mpa_shm *log_shm;

struct kill_lcore {
	uint64_t done;
	int err;
};

static int
kill_invalidate_loop(void *arg)
{
	struct kill_lcore *l = arg;
	int ret;

	while (!__atomic_load_n(&log_shm->stop, __ATOMIC_RELAXED)) {
		/* Now and then a bulk call, across the VFs of both processes. */
		if (rte_rand_max(KILL_BULK_EVERY) == 0) {
			ret = mpa_invalidate_bulk_random(log_shm, w.pf_port, w.nb_vfs,
							 KILL_BULK_MAX);
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
		rte_delay_us_block(KILL_PACE_US);
	}
	return 0;
}

/* Start VF process `agent` (0: A, 1: B) of generation gen. */
static int
kill_spawn(struct mp_child *c, unsigned int agent, unsigned int gen, int *pid)
{
	char eal[512], env_agent[32], env_gen[32], env_lib[64], rest[MP_LINE_MAX];
	const char *env[] = { env_agent, env_gen, "MPA_FAULT=none", NULL };
	unsigned int first = agent == 0 ? 0 : KILL_A_VFS;
	unsigned int n = agent == 0 ? KILL_A_VFS : KILL_VFS - KILL_A_VFS;
	unsigned int got;

	snprintf(env_agent, sizeof(env_agent), "MPA_AGENT=%u", agent);
	snprintf(env_gen, sizeof(env_gen), "MPA_GEN=%u", gen);
	if (mpa_agent_eal_args(&w, first, n, 3 + agent, agent, eal, sizeof(eal), env_lib,
			       sizeof(env_lib)) < 0 || env_lib[0] != '\0') {
		printf("the VFs of process %u do not all have ports\n", agent);
		return -EINVAL;
	}
	if (mp_child_spawn(c, "mp_acct_vf", eal, env) < 0 ||
			mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) < 0 ||
			sscanf(rest, "n=%u vfs=%*u..%*u pid=%d", &got, pid) != 2 || got != n) {
		printf("VF process %u (generation %u) did not start with %u VFs\n", agent, gen,
		       n);
		return -EPROTO;
	}
	return 0;
}

static int
kill_finish(struct mp_child *c, unsigned int agent)
{
	char rest[MP_LINE_MAX];
	unsigned int mism;

	if (mpa_set_mode(log_shm, agent, MPA_MODE_DRAIN, CMD_MS) < 0 ||
			mp_child_expect(c, "done", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "delivs=%*u polls=%*u cb_mismatch=%u", &mism) != 1 ||
			mism != 0 || mp_child_send(c, "quit") < 0 ||
			mp_child_expect(c, "bye", NULL, 0, CMD_MS) < 0 ||
			mp_child_wait(c, CMD_MS) != 0) {
		printf("VF process %u did not drain and exit cleanly\n", agent);
		return -1;
	}
	return 0;
}

static uint64_t
kill_takeovers(void)
{
	struct vfbc_channel_stats st;
	uint64_t n = 0;
	uint16_t vf;

	for (vf = 0; vf < w.nb_vfs; vf++)
		if (vfbc_pf_mbox_stats(w.pf_port, vf, &st) == 0)
			n += st.takeovers;
	return n;
}

static int
test_mp_kill_restart_mid_stream(void)
{
	struct kill_lcore lc[2];
	struct mp_child a, b;
	struct mpa_result r;
	unsigned int round, i, lcore, workers[2], nw = 0;
	uint64_t b_before, b_after, takeovers0;
	int32_t cpid;
	int pid_a, pid_b, st, ret = TEST_FAILED;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(lc, 0, sizeof(lc));
	a.pid = b.pid = -1;
	a.to_fd = a.from_fd = b.to_fd = b.from_fd = -1;
	mpa_reset(log_shm);
	takeovers0 = kill_takeovers();
	if (kill_spawn(&a, 0, 0, &pid_a) < 0 || kill_spawn(&b, 1, 0, &pid_b) < 0)
		goto out;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (nw == 2)
			break;
		if (rte_eal_remote_launch(kill_invalidate_loop, &lc[nw], lcore) != 0)
			goto out;
		workers[nw++] = lcore;
	}
	if (nw != 2) {
		printf("the primary needs two worker lcores\n");
		goto out;
	}

	for (round = 1; round <= KILL_ROUNDS; round++) {
		/* A random point of the stream: 50..350 ms in. */
		rte_delay_us_sleep(50000 + (unsigned int)rte_rand_max(300000));
		if (mp_child_kill(&a, SIGKILL) < 0 || mp_child_wait(&a, CMD_MS) != 128 + SIGKILL) {
			printf("round %u: VF process A did not die of SIGKILL\n", round);
			goto out;
		}
		mp_child_close(&a);
		/*
		 * While A is gone, B is served and the PF lcores go on. B shares
		 * a CPU with a busy PF lcore: give it up to a second to show a
		 * delivery, then leave A dead a little longer for bits to pile up.
		 */
		b_before = __atomic_load_n(&log_shm->agent_delivs[1], __ATOMIC_RELAXED);
		for (i = 0; i < 1000; i++) {
			rte_delay_us_sleep(1000);
			b_after = __atomic_load_n(&log_shm->agent_delivs[1], __ATOMIC_RELAXED);
			if (b_after != b_before)
				break;
		}
		if (b_after == b_before) {
			printf("round %u: VF process B got nothing in 1 s while A was dead (%"
			       PRIu64 " deliveries so far, %" PRIu64 " calls)\n", round, b_after,
			       lc[0].done + lc[1].done);
			goto out;
		}
		rte_delay_us_sleep(20000 + (unsigned int)rte_rand_max(80000));
		b_after = __atomic_load_n(&log_shm->agent_delivs[1], __ATOMIC_RELAXED);
		if (lc[0].err != 0 || lc[1].err != 0) {
			printf("round %u: PF invalidate failed: %d / %d\n", round, lc[0].err,
			       lc[1].err);
			goto out;
		}
		if (kill_spawn(&a, 0, round, &pid_a) < 0)
			goto out;
		for (i = 0; i < KILL_A_VFS; i++)
			if (vfbc_pf_vf_consumer(w.pf_port, i, &cpid) != 0 || cpid != pid_a) {
				printf("round %u: VF %u consumer %d, want the new process %d\n",
				       round, i, cpid, pid_a);
				goto out;
			}
		printf("round %u: A killed and restarted as pid %d; B delivered %" PRIu64
		       " meanwhile; %" PRIu64 " calls so far\n", round, pid_a,
		       b_after - b_before, lc[0].done + lc[1].done);
	}
	rte_delay_us_sleep(200000);
	__atomic_store_n(&log_shm->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nw; i++)
		rte_eal_wait_lcore(workers[i]);
	nw = 0;
	if (lc[0].err != 0 || lc[1].err != 0) {
		printf("PF invalidate failed: %d / %d (log capacity %u calls)\n", lc[0].err,
		       lc[1].err, KILL_CALLS_CAP);
		goto out;
	}
	if (kill_finish(&a, 0) < 0 || kill_finish(&b, 1) < 0)
		goto out;

	st = mpa_check(log_shm, 1, &r);
	mpa_print("kill/restart", &r);
	printf("takeovers %" PRIu64 "\n", kill_takeovers() - takeovers0);
	if (st != 0)
		goto out;
	if (r.resyncs != KILL_ROUNDS * KILL_A_VFS ||
			kill_takeovers() - takeovers0 != KILL_ROUNDS * KILL_A_VFS) {
		printf("%" PRIu64 " resyncs, %" PRIu64 " takeovers; want %u of each\n", r.resyncs,
		       kill_takeovers() - takeovers0, KILL_ROUNDS * KILL_A_VFS);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	__atomic_store_n(&log_shm->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nw; i++)
		rte_eal_wait_lcore(workers[i]);
	mp_child_close(&a);
	mp_child_close(&b);
	return ret;
}

static int
kill_setup(void)
{
	int ret;

	/* Main lcore 0 drives; workers 1 and 2 invalidate, on CPUs 1 and 0. */
	ret = mpa_world_start(&w, 512, "--lcores 0@0,1@1,2@0");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(w.nb_vfs, KILL_VFS, "the world has %u VFs, want %u", w.nb_vfs,
			  KILL_VFS);
	log_shm = mpa_create(KILL_VFS, KILL_CALLS_CAP, KILL_CALLS_CAP + 4096, 0, 0);
	TEST_ASSERT_NOT_NULL(log_shm, "no accounting log");
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_kill_suite = {
	.suite_name = "mp: SIGKILL and restart of a VF process mid-stream",
	.setup = kill_setup,
	.unit_test_cases = {
		TEST_CASE(test_mp_kill_restart_mid_stream),
		TEST_CASES_END()
	}
};

static int
test_mp_kill(void)
{
	return unit_test_suite_runner(&mp_kill_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_kill_autotest, test_mp_kill, KILL_WORLD_OPTS, "mp");
