/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Soak with faults: the PF primary (this process) and four VF processes run
 * for VFBC_SOAK_SECONDS (default 60) with random faults, and everything they
 * did is accounted for exactly.
 *
 * World: 8 VFs. VF processes (mp_acct_vf in soak mode, test_mp_agents*.c):
 * agents 0..2 consume VFs 0-1, 2-3, 4-5 through net_vfbc_vf ports; agent 3
 * consumes VFs 6-7 through the channel library alone. Each polls its VFs,
 * logs every delivery with clock stamps, reads the data blocks (0..7) of
 * every delivery and logs their generation, and makes requests at random
 * (block writes read back, config reads of the virtualized IDs, config
 * writes the policy allows read back, a write it denies), each logged with
 * its outcome.
 *
 * PF: two worker lcores invalidate random masks of random VFs, all VFs at
 * once (VFBC_PF_VF_ALL) now and then, and write data blocks (a generation
 * under a per-block lock, self-describing data) before invalidating them;
 * a thread serves the mailbox (mp_pf_server_start); the main lcore injects
 * faults at random moments: SIGKILL of a VF process and its restart (the
 * new one takes the claims over: "all blocks" once, counted as resyncs),
 * FLR of a VF (vfbc_pf_reset_vf()), virtualization off and on again
 * (VF processes keep running; meanwhile invalidations return -ENXIO and are
 * not counted, requests end -ENXIO or time out), sometimes with a kill
 * while the VFs are off.
 *
 * The run is cut in epochs of a few seconds: at the end of each the PF
 * stops, every agent drains (deliveries, the answers of its requests, a
 * final empty poll), and the logs are checked (test_mp_account*.c: no bit
 * lost, no phantom bit, no torn or stale block read, every request
 * answered once as documented) and held against the channel's counters
 * and the PF's RTE_ETH_EVENT_VF_MBOX events, exactly for a VF whose process
 * was not killed in the epoch, within the kill's bound otherwise. The
 * logs then restart empty: the soak can run for hours in fixed memory.
 *
 * At the end: nothing leaked in the primary (descriptors, memzones, heap,
 * runtime files; what killed processes left is removed as it must be and
 * counted), then the PF port is closed (no vfbc memzone left), a PF primary
 * of its own is started with three VF processes, killed, and each VF
 * process must see -ENOTCONN within SOAK_DEATH_BOUND_MS and exit cleanly;
 * what the killed primary left is removed.
 *
 * VFBC_SOAK_SEED replays the random choices of a run (printed at start);
 * the interleavings of course differ.
 *
 * mp_soak_selftest_autotest runs short epochs with a fault injected in the
 * VF processes (a dropped bit, a phantom bit, a torn block, a double
 * answer) and requires the checks to catch each, and a clean one to pass.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_memzone.h>
#include <rte_random.h>
#include <rte_spinlock.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "test_mp_soak.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define SOAK_WORLD_OPTS		"--total-vfs 8"
#define SOAK_VFS		8
#define SOAK_AGENTS		4
#define SOAK_VFS_PER_AGENT	2
#define SOAK_LIB_AGENT		3	/* consumes through the library alone */
/* How long a VF process has to claim its VFs again after a disable (ms). */
#define SOAK_RECLAIM_MS		5000
#define SOAK_DEFAULT_S		60
#define SOAK_EPOCH_MIN_MS	2000
#define SOAK_EPOCH_MAX_MS	6000
#define SOAK_CALLS_CAP		(UINT64_C(1) << 20)
#define SOAK_DELIVS_CAP		(UINT64_C(1) << 20)
#define SOAK_READS_CAP		(UINT64_C(1) << 20)
#define SOAK_REQS_CAP		(UINT64_C(1) << 18)
/* PF lcores: a burst of calls, then a pause, so the VF processes run too. */
#define SOAK_BURST		64
#define SOAK_PAUSE_US		1000
#define SOAK_SELF_EPOCH_MS	1500
/* Between two faults of the main lcore. */
#define SOAK_FAULT_GAP_MIN_MS	100
#define SOAK_FAULT_GAP_MAX_MS	1200
#define SOAK_DEATH_BOUND_MS	1000
#define SOAK_DEATH_AGENTS	3
#define START_MS		60000
#define CMD_MS			30000

/* Faults of the main lcore, and their steps timed apart. */
#define SOAK_FAULT_KILL		0	/* SIGKILL of a VF process, and its restart */
#define SOAK_FAULT_FLR		1
#define SOAK_FAULT_DISABLE	2	/* virtualization off and on */
#define SOAK_FAULT_KINDS	3
#define SOAK_STEP_DEAD		3	/* SIGKILL until the process has exited */
#define SOAK_STEP_START		4	/* a VF process from exec to "ready" */
#define SOAK_STEP_KINDS		5
/* A fault slower than this is reported as it happens. */
#define SOAK_FAULT_SLOW_MS	3000
/* A step of the main lcore this slow: show where it and its process are. */
#define SOAK_SLOW_STEP_MS	5000
/* A step of the main lcore that has not returned after this is a hang. */
#define SOAK_STUCK_MS		60000

/* Processes that have exited, waiting for the reaper thread. */
#define SOAK_ZOMBIES		256
/* How long the end of a case waits for the kernel to reap them all. */
#define SOAK_REAP_ALL_MS	180000

struct soak_agent {
	struct mp_child c;
	int pid;
	uint32_t gen;
};

struct soak_lcore {
	uint64_t blk_writes;	/* block writes then invalidated */
	uint64_t enxio;		/* -ENXIO in a disable window */
	uint64_t bad;		/* anything else but 0 */
	int full;		/* a log filled up */
};

struct soak_counts {
	struct vfbc_channel_stats st[SOAK_VFS];
	uint64_t ev[SOAK_VFS][MPA_ST_MAX];
};

/* Totals of a whole run. */
struct soak_sum {
	struct mpa_result r;
	uint64_t epochs, blk_writes, enxio, bad_calls;
	uint64_t kills, restarts, flrs, disables, reaped, fail_actions;
	uint64_t mismatches, takeovers;
	uint64_t fresh;		/* restarts after a disable window: no takeover */
	uint64_t life_flr, life_disabled, life_enabled;	/* life events raised, checked */
	uint64_t life_past;		/* ... posted before a claim: history */
	uint64_t again, again_ns;	/* block reads that returned -EAGAIN, the longest */
	uint64_t fault_ms[SOAK_STEP_KINDS];	/* the slowest fault, or step, of each kind */
	uint64_t ev[MPA_ST_MAX];	/* the PF's answers, by class */
	uint64_t ms;
};

static struct {
	struct mpa_world w;
	struct mpa_shm *m;
	char channel_mz[RTE_MEMZONE_NAMESIZE];
	struct soak_agent ag[SOAK_AGENTS];
	unsigned int workers[2];
	struct soak_lcore lc[2];
	rte_spinlock_t blk_lock[SOAK_VFS][MPA_DATA_BLKS];
	uint32_t blk_gen[SOAK_VFS][MPA_DATA_BLKS];
	/* RTE_ETH_EVENT_VF_MBOX, phase DONE, per VF: what the PF says it answered. */
	uint64_t ev[SOAK_VFS][MPA_ST_MAX];
	unsigned int epoch_kills[SOAK_AGENTS];
	unsigned int epoch_restarts[SOAK_AGENTS];
	/* Restarts after a disable window revoked the claims: fresh claims, not takeovers. */
	unsigned int epoch_fresh[SOAK_AGENTS];
	/* FLRs and disables of each VF since its agent's incarnation: its life events due. */
	uint32_t life_flr[SOAK_VFS];
	uint32_t life_disabled[SOAK_VFS];
	struct soak_res base;		/* before any VF process ran */
	uint64_t vf_heap_allocs;	/* what one VF process allocates in our heap */
	uint64_t vf_heap_bytes;
	struct soak_counts counts;	/* at the end of the last epoch: its start */
	uint64_t seed;
	/* What the main lcore is doing, since when (soak_ms(), 0: nothing watched). */
	const char *step;
	uint64_t step_since;
	int step_pid;			/* the process the step is about, 0: none */
	int main_tid;			/* the main lcore's thread */
	pthread_t watchdog;
	int watching;
} soak;

static unsigned int
soak_agent_of(uint16_t vf)
{
	return vf / SOAK_VFS_PER_AGENT;
}

static uint64_t
soak_ms(void)
{
	return rte_get_timer_cycles() * 1000 / rte_get_timer_hz();
}

/*
 * The reaper: the kernel may take over a minute to reap a process
 * (mp_child_wait_exit()), so the soak takes exit statuses without reaping
 * and this thread reaps, in the background, timing it.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pid_t pid[SOAK_ZOMBIES];
	uint64_t since[SOAK_ZOMBIES];	/* soak_ms() when it was handed over */
	unsigned int head;		/* the next to reap */
	unsigned int tail;		/* the next free slot */
	uint64_t slowest_ms;
	int run;
	pthread_t th;
} soak_reaper = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void *
soak_reaper_main(void *arg __rte_unused)
{
	uint64_t since;
	pid_t pid;
	int st;

	pthread_mutex_lock(&soak_reaper.lock);
	for (;;) {
		while (soak_reaper.head == soak_reaper.tail && soak_reaper.run)
			pthread_cond_wait(&soak_reaper.cond, &soak_reaper.lock);
		if (soak_reaper.head == soak_reaper.tail)
			break;
		pid = soak_reaper.pid[soak_reaper.head % SOAK_ZOMBIES];
		since = soak_reaper.since[soak_reaper.head % SOAK_ZOMBIES];
		pthread_mutex_unlock(&soak_reaper.lock);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		pthread_mutex_lock(&soak_reaper.lock);
		soak_reaper.slowest_ms = RTE_MAX(soak_reaper.slowest_ms, soak_ms() - since);
		soak_reaper.head++;
		pthread_cond_broadcast(&soak_reaper.cond);
	}
	pthread_mutex_unlock(&soak_reaper.lock);
	return NULL;
}

/* Hand a child that has exited (its status taken) to the reaper; close its pipes. */
static void
soak_reap_later(struct mp_child *c)
{
	pthread_mutex_lock(&soak_reaper.lock);
	while (soak_reaper.tail - soak_reaper.head == SOAK_ZOMBIES)
		pthread_cond_wait(&soak_reaper.cond, &soak_reaper.lock);
	soak_reaper.pid[soak_reaper.tail % SOAK_ZOMBIES] = c->pid;
	soak_reaper.since[soak_reaper.tail % SOAK_ZOMBIES] = soak_ms();
	soak_reaper.tail++;
	pthread_cond_broadcast(&soak_reaper.cond);
	pthread_mutex_unlock(&soak_reaper.lock);
	c->pid = -1;
	mp_child_close(c);
}

/* Wait until the kernel reaped every process handed over; 0 or -ETIMEDOUT. */
static int
soak_reaped_all(void)
{
	unsigned int left;
	uint64_t deadline;

	deadline = soak_ms() + SOAK_REAP_ALL_MS;
	for (;;) {
		pthread_mutex_lock(&soak_reaper.lock);
		left = soak_reaper.tail - soak_reaper.head;
		pthread_mutex_unlock(&soak_reaper.lock);
		if (left == 0)
			return 0;
		if (soak_ms() > deadline)
			break;
		usleep(10000);
	}
	printf("the kernel has not reaped %u exited processes in %u s\n", left,
	       SOAK_REAP_ALL_MS / 1000);
	return -ETIMEDOUT;
}

/* Print the lines of a /proc file, prefixed. */
static void
soak_proc_print(const char *path, const char *prefix)
{
	char line[256];
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		printf("  %s%s%s", prefix, line, strchr(line, '\n') != NULL ? "" : "\n");
	fclose(f);
}

/* Where a thread is in the kernel: its state, wait channel and kernel stack. */
static void
soak_thread_where(int pid, const char *tid)
{
	char path[128];

	printf("  thread %s of %d:\n", tid, pid);
	snprintf(path, sizeof(path), "/proc/%d/task/%.16s/stat", pid, tid);
	soak_proc_print(path, "stat ");
	snprintf(path, sizeof(path), "/proc/%d/task/%.16s/wchan", pid, tid);
	soak_proc_print(path, "wchan ");
	snprintf(path, sizeof(path), "/proc/%d/task/%.16s/stack", pid, tid);
	soak_proc_print(path, "");
}

/* The same for every thread of a process. */
static void
soak_proc_where(int pid)
{
	struct dirent *e;
	char dir[64];
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			soak_thread_where(pid, e->d_name);
	closedir(d);
}

/*
 * The main lcore begins a step the watchdog watches (NULL: it ended one),
 * about process pid (0: none).
 */
static void
soak_step(const char *step, int pid)
{
	soak.step = step;
	soak.step_pid = pid;
	__atomic_store_n(&soak.step_since, step != NULL ? soak_ms() : 0, __ATOMIC_RELEASE);
}

/*
 * A step that does not return (a PF call that waits for ever, a VF process
 * that never answers) would leave the soak to the runner's timeout, saying
 * nothing. A slow step: show, once, where the main lcore and the process
 * of the step are in the kernel (the main lcore cannot say it itself, it is
 * the one held up). A stuck one: show every thread where it waits, and
 * abort.
 */
static void *
soak_watchdog(void *arg __rte_unused)
{
	uint64_t since, shown = 0;
	char cmd[128], tid[16];

	while (__atomic_load_n(&soak.watching, __ATOMIC_ACQUIRE)) {
		sleep(1);
		since = __atomic_load_n(&soak.step_since, __ATOMIC_ACQUIRE);
		if (since == 0)
			continue;
		if (soak_ms() - since >= SOAK_SLOW_STEP_MS && shown != since) {
			shown = since;
			printf("soak: %s takes more than %u s:\n", soak.step,
			       SOAK_SLOW_STEP_MS / 1000);
			snprintf(tid, sizeof(tid), "%d", soak.main_tid);
			soak_thread_where(getpid(), tid);
			if (soak.step_pid > 0)
				soak_proc_where(soak.step_pid);
			fflush(stdout);
		}
		if (soak_ms() - since < SOAK_STUCK_MS)
			continue;
		printf("soak: %s has not returned for %" PRIu64 " s (seed %" PRIu64 "); the "
		       "threads of the PF process:\n", soak.step, (soak_ms() - since) / 1000,
		       soak.seed);
		fflush(stdout);
		snprintf(cmd, sizeof(cmd), "command -v gdb >/dev/null && gdb -p %d -batch "
			 "-ex 'thread apply all bt' 2>&1", (int)getpid());
		if (system(cmd) != 0)
			printf("(no gdb to show them)\n");
		fflush(stdout);
		abort();
	}
	return NULL;
}

static int
soak_mbox_event(uint16_t port_id __rte_unused, enum rte_eth_event_type type, void *arg,
		void *ret_param)
{
	const struct vfbc_pf_mbox_event *ev = ret_param;
	unsigned int st;

	RTE_SET_USED(arg);
	if (type != RTE_ETH_EVENT_VF_MBOX || ev == NULL || ev->phase != VFBC_PF_MBOX_PHASE_DONE ||
			ev->vf_id >= SOAK_VFS)
		return 0;
	st = mpa_status_class(ev->status);
	/* The service thread, or the control thread for trapped writes. */
	__atomic_fetch_add(&soak.ev[ev->vf_id][st], 1, __ATOMIC_RELAXED);
	return 0;
}

/* ---- the PF lcores ---- */

static int
soak_in_window(uint32_t w0)
{
	return w0 != __atomic_load_n(&soak.m->disrupt, __ATOMIC_ACQUIRE) || (w0 & 1);
}

/* A new generation of a data block, then its invalidation (one logged call). */
static int
soak_pf_block(uint16_t vf)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t gen, len;
	uint8_t blk;
	int ret;

	blk = (uint8_t)rte_rand_max(MPA_DATA_BLKS);
	len = MPA_BLK_MIN + (uint32_t)rte_rand_max(VFBC_CHANNEL_BLOCK_SIZE - MPA_BLK_MIN + 1);
	/* One writer per block at a time: generations land in order. */
	rte_spinlock_lock(&soak.blk_lock[vf][blk]);
	gen = ++soak.blk_gen[vf][blk];
	mpa_blk_fill(buf, len, vf, blk, 0, gen);
	ret = vfbc_pf_write_config_block(soak.w.pf_port, vf, blk, buf, len);
	if (ret == 0)
		ret = mpa_invalidate_blk(soak.m, soak.w.pf_port, vf, blk, gen);
	rte_spinlock_unlock(&soak.blk_lock[vf][blk]);
	return ret;
}

static int
soak_pf_loop(void *arg)
{
	struct soak_lcore *l = arg;
	unsigned int i, kind;
	uint32_t w0;
	uint16_t vf;
	int ret;

	while (!__atomic_load_n(&soak.m->stop, __ATOMIC_RELAXED) && !l->full) {
		for (i = 0; i < SOAK_BURST; i++) {
			w0 = __atomic_load_n(&soak.m->disrupt, __ATOMIC_ACQUIRE);
			vf = (uint16_t)rte_rand_max(SOAK_VFS);
			kind = (unsigned int)rte_rand_max(100);
			if (kind < 4) {
				ret = mpa_invalidate_all(soak.m, soak.w.pf_port, mpa_random_mask());
			} else if (kind < 14) {
				ret = soak_pf_block(vf);
				l->blk_writes += ret == 0;
			} else {
				ret = mpa_invalidate(soak.m, soak.w.pf_port, vf, mpa_random_mask());
			}
			if (ret == -ENOSPC) {
				l->full = 1;
				break;
			}
			if (ret == -ENXIO && soak_in_window(w0))
				l->enxio++;
			else if (ret != 0)
				l->bad++;
		}
		rte_delay_us_sleep(SOAK_PAUSE_US);
	}
	return 0;
}

/* ---- VF processes ---- */

static int
soak_spawn(unsigned int i, const char *prefix, int death)
{
	char eal[512], env_agent[32], env_gen[32], env_seed[48], env_lib[64], rest[MP_LINE_MAX];
	const char *env[] = { env_agent, env_gen, env_seed, death ? "MPA_DEATH=1" : "MPA_SOAK=1",
		env_lib, NULL };
	struct soak_agent *a = &soak.ag[i];
	unsigned int first = i * SOAK_VFS_PER_AGENT, n, cpu = i % 2;
	int len;

	snprintf(env_agent, sizeof(env_agent), "MPA_AGENT=%u", i);
	snprintf(env_gen, sizeof(env_gen), "MPA_GEN=%u", a->gen);
	snprintf(env_seed, sizeof(env_seed), "MPA_SEED=%" PRIu64, soak.seed + 1000 * i + a->gen);
	env_lib[0] = '\0';
	if (i == SOAK_LIB_AGENT) {
		/* The library alone: no VF device probed, the claims' proofs opened by hand. */
		snprintf(eal, sizeof(eal), "--lcores %u@%u --no-pci", 3 + i, cpu);
		snprintf(env_lib, sizeof(env_lib), "MPA_LIB_VFS=%u-%u", first,
			 first + SOAK_VFS_PER_AGENT - 1);
	} else {
		len = snprintf(eal, sizeof(eal), "--lcores %u@%u", 3 + i, cpu);
		for (n = first; n < first + SOAK_VFS_PER_AGENT; n++)
			len += snprintf(eal + len, sizeof(eal) - (size_t)len, " -a%s",
					soak.w.vf_name[n]);
	}
	if (env_lib[0] == '\0')
		env[4] = NULL;
	if (!death)
		__atomic_store_n(&soak.m->gen_cur[i], a->gen, __ATOMIC_RELEASE);
	if ((prefix != NULL ? mp_child_spawn_prefix(&a->c, "mp_acct_vf", eal, prefix, env) :
			mp_child_spawn(&a->c, "mp_acct_vf", eal, env)) < 0 ||
			mp_child_expect(&a->c, "ready", rest, sizeof(rest), START_MS) < 0 ||
			sscanf(rest, "n=%u vfs=%*u..%*u pid=%d", &n, &a->pid) != 2 ||
			n != SOAK_VFS_PER_AGENT) {
		printf("VF process %u (incarnation %u) did not start with %u VFs\n", i, a->gen,
		       SOAK_VFS_PER_AGENT);
		return -1;
	}
	return 0;
}

/* The claims of agent i's VFs are its process's (after a start or a disable). */
static int
soak_claims_held(unsigned int i)
{
	unsigned int vf;
	int32_t pid;

	for (vf = i * SOAK_VFS_PER_AGENT; vf < (i + 1) * SOAK_VFS_PER_AGENT; vf++)
		if (vfbc_pf_vf_consumer(soak.w.pf_port, vf, &pid) != 0 ||
				pid != soak.ag[i].pid) {
			printf("VF %u: consumer %d, want VF process %u (pid %d)\n", vf, pid, i,
			       soak.ag[i].pid);
			return -1;
		}
	return 0;
}

/* As soak_claims_held(), once agent i claimed again (within SOAK_RECLAIM_MS). */
static int
soak_claims_back(unsigned int i)
{
	uint64_t deadline = mp_now_ns() + (uint64_t)SOAK_RECLAIM_MS * 1000000;
	unsigned int vf;
	int32_t pid;

	for (vf = i * SOAK_VFS_PER_AGENT; vf < (i + 1) * SOAK_VFS_PER_AGENT; vf++)
		while (vfbc_pf_vf_consumer(soak.w.pf_port, vf, &pid) != 0 ||
				pid != soak.ag[i].pid) {
			if (mp_now_ns() >= deadline)
				return soak_claims_held(i);
			rte_delay_us_sleep(1000);
		}
	return 0;
}

static int
soak_kill(unsigned int i, struct soak_sum *sum)
{
	struct soak_agent *a = &soak.ag[i];
	char names[512];
	uint64_t t0;
	int n;

	t0 = soak_ms();
	soak_step("SIGKILL of a VF process", a->pid);
	if (mp_child_kill(&a->c, SIGKILL) < 0 ||
			mp_child_wait_exit(&a->c, CMD_MS) != 128 + SIGKILL) {
		printf("VF process %u (pid %d) did not die of SIGKILL\n", i, a->pid);
		return -1;
	}
	sum->fault_ms[SOAK_STEP_DEAD] = RTE_MAX(sum->fault_ms[SOAK_STEP_DEAD], soak_ms() - t0);
	soak_reap_later(&a->c);
	n = soak_reap_pid(rte_eal_get_runtime_dir(), a->pid, names, sizeof(names));
	if (sum->kills == 0)
		printf("a killed VF process (pid %d) left %d files in the runtime directory: %s; "
		       "removed (every kill's are)\n", a->pid, n, names);
	sum->reaped += n > 0 ? (uint64_t)n : 0;
	sum->kills++;
	soak.epoch_kills[i]++;
	return 0;
}

static int
soak_restart(unsigned int i, struct soak_sum *sum)
{
	uint64_t t0;

	t0 = soak_ms();
	soak_step("the restart of a VF process", 0);
	soak.ag[i].gen++;
	/* The new process counts its own events, from its claim on. */
	memset(&soak.life_flr[i * SOAK_VFS_PER_AGENT], 0,
	       SOAK_VFS_PER_AGENT * sizeof(soak.life_flr[0]));
	memset(&soak.life_disabled[i * SOAK_VFS_PER_AGENT], 0,
	       SOAK_VFS_PER_AGENT * sizeof(soak.life_disabled[0]));
	if (soak_spawn(i, NULL, 0) < 0 || soak_claims_held(i) < 0)
		return -1;
	sum->fault_ms[SOAK_STEP_START] = RTE_MAX(sum->fault_ms[SOAK_STEP_START], soak_ms() - t0);
	sum->restarts++;
	soak.epoch_restarts[i]++;
	return 0;
}

/* ---- the faults of the main lcore ---- */

/* Position of the VF's PCI Express capability, 0 if none. */
static uint16_t
soak_exp_pos(uint16_t vf)
{
	uint8_t pos = 0, hdr[2];
	unsigned int hops;

	if (vfbc_pf_read_vf_config(soak.w.pf_port, vf, &pos, VFBC_PCI_CAPABILITY_LIST, 1) != 1)
		return 0;
	for (hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (vfbc_pf_read_vf_config(soak.w.pf_port, vf, hdr, pos, 2) != 2)
			return 0;
		if (hdr[0] == VFBC_PCI_CAP_ID_EXP)
			return pos;
		pos = hdr[1];
	}
	return 0;
}

/*
 * The world resets the VF's config space when it sees Initiate FLR, on its
 * own time: wait until it did (the bit reads 0 again), so that the FLR
 * window the agents see covers the reset.
 */
static int
soak_flr_done(uint16_t vf)
{
	uint16_t pos, devctl;
	unsigned int i;

	pos = soak_exp_pos(vf);
	for (i = 0; i < 2000 && pos != 0; i++) {
		if (vfbc_pf_read_vf_config(soak.w.pf_port, vf, &devctl,
					   pos + VFBC_PCI_EXP_DEVCTL, 2) != 2)
			return -1;
		if (!(devctl & VFBC_PCI_EXP_DEVCTL_BCR_FLR))
			return 0;
		rte_delay_us_sleep(1000);
	}
	return pos != 0 ? -1 : 0;
}

static int
soak_flr(struct soak_sum *sum)
{
	uint16_t vf;
	int ret;

	vf = (uint16_t)rte_rand_max(SOAK_VFS);
	__atomic_fetch_add(&soak.m->flr_seq[vf], 1, __ATOMIC_RELEASE);
	soak_step("vfbc_pf_reset_vf()", 0);
	ret = vfbc_pf_reset_vf(soak.w.pf_port, vf);
	if (ret == 0) {
		soak.life_flr[vf]++;
		ret = soak_flr_done(vf);
	}
	__atomic_fetch_add(&soak.m->flr_seq[vf], 1, __ATOMIC_RELEASE);
	sum->flrs++;
	if (ret != 0)
		printf("FLR of VF %u: %d\n", vf, ret);
	return ret;
}

/* Virtualization off, a moment, on again; sometimes a VF process killed meanwhile. */
static int
soak_disable(struct soak_sum *sum)
{
	int victim, ret, n, inv;
	unsigned int i;

	victim = (rte_rand() % 3) == 0 ? (int)rte_rand_max(SOAK_AGENTS) : -1;
	/*
	 * Odd before the PF's state changes, even only once it is whole
	 * again: an answer a VF got from a changed state was given after the
	 * odd bump and reached the VF through the response ring (release on
	 * the PF's side, acquire on the VF's), so the VF's load of the word
	 * after it cannot read the value from before the window.
	 */
	__atomic_fetch_add(&soak.m->disrupt, 1, __ATOMIC_RELEASE);
	soak_step("vfbc_pf_enable_virtualization(0)", 0);
	ret = vfbc_pf_enable_virtualization(soak.w.pf_port, 0);
	n = vfbc_pf_vf_count(soak.w.pf_port);
	inv = mpa_invalidate(soak.m, soak.w.pf_port, 0, 1);
	if (ret != 0 || n != 0 || inv != -ENXIO) {
		printf("disable: %d, then %d VFs, an invalidate %d (want 0, 0, %d)\n", ret, n, inv,
		       -ENXIO);
		ret = -1;
	}
	for (i = 0; i < SOAK_VFS; i++)
		soak.life_disabled[i] += ret == 0;
	if (victim >= 0 && soak_kill((unsigned int)victim, sum) < 0)
		ret = -1;
	rte_delay_us_sleep(50000 + rte_rand_max(250000));
	soak_step("vfbc_pf_enable_virtualization(8)", 0);
	n = vfbc_pf_enable_virtualization(soak.w.pf_port, SOAK_VFS);
	if (n != 0 || vfbc_pf_vf_count(soak.w.pf_port) != SOAK_VFS) {
		printf("enable %u VFs again: %d\n", SOAK_VFS, n);
		ret = -1;
	}
	__atomic_fetch_add(&soak.m->disrupt, 1, __ATOMIC_RELEASE);
	sum->disables++;
	if (victim >= 0 && soak_restart((unsigned int)victim, sum) < 0)
		ret = -1;
	if (victim >= 0) {
		soak.epoch_fresh[victim]++;
		sum->fresh++;
	}
	/*
	 * The VF processes kept running; the PF revoked their claims (the
	 * functions are new), and each claims its new VFs on its next poll.
	 */
	for (i = 0; i < SOAK_AGENTS; i++)
		if ((int)i != victim && soak_claims_back(i) < 0)
			ret = -1;
	return ret;
}

static int
soak_fault(struct soak_sum *sum)
{
	static const char * const names[SOAK_FAULT_KINDS] = {
		"kill and restart", "FLR", "disable and enable",
	};
	unsigned int what, i, kind;
	uint64_t t0, ms;
	int ret;

	what = (unsigned int)rte_rand_max(100);
	t0 = soak_ms();
	if (what < 35) {
		kind = SOAK_FAULT_KILL;
		i = (unsigned int)rte_rand_max(SOAK_AGENTS);
		/* A random moment of its work: it runs freely until now. */
		ret = soak_kill(i, sum) < 0 ? -1 : soak_restart(i, sum);
	} else if (what < 70) {
		kind = SOAK_FAULT_FLR;
		ret = soak_flr(sum);
	} else if (what < 90) {
		kind = SOAK_FAULT_DISABLE;
		ret = soak_disable(sum);
	} else {
		return 0;
	}
	soak_step(NULL, 0);
	ms = soak_ms() - t0;
	sum->fault_ms[kind] = RTE_MAX(sum->fault_ms[kind], ms);
	if (ms > SOAK_FAULT_SLOW_MS)
		printf("fault %s took %" PRIu64 " ms\n", names[kind], ms);
	return ret;
}

/* ---- epochs ---- */

static void
soak_counts_take(struct soak_counts *c)
{
	uint16_t vf;

	for (vf = 0; vf < SOAK_VFS; vf++) {
		if (vfbc_pf_mbox_stats(soak.w.pf_port, vf, &c->st[vf]) != 0)
			memset(&c->st[vf], 0, sizeof(c->st[vf]));
		memcpy(c->ev[vf], soak.ev[vf], sizeof(c->ev[vf]));
	}
}

struct soak_cmp {
	uint16_t vf;
	unsigned int shown;
	uint64_t bad;
};

/* want == got exactly, or (slack) got - want in 0..slack. */
static void
soak_expect(struct soak_cmp *c, const char *what, uint64_t want, uint64_t got, uint64_t slack)
{
	if (got >= want && got - want <= slack)
		return;
	c->bad++;
	if (c->shown++ < 8)
		printf("VF %u: %s: the channel counted %" PRIu64 ", the logs say %" PRIu64
		       " (kills allow %" PRIu64 " more)\n", c->vf, what, got, want, slack);
}

#define SOAK_D(f) (c1->st[vf].f - c0->st[vf].f)

/*
 * The channel's counters and the PF's events of the epoch against the logs,
 * VF by VF: exact, or within what a kill of its process in the epoch can
 * take (what the killed process did but did not log).
 */
static uint64_t
soak_cmp_counts(const struct soak_counts *c0, const struct soak_counts *c1,
		const struct mpa_vf_totals *t)
{
	struct soak_cmp c = { 0 };
	uint64_t kills, ev, ev_ans, accepted, lost;
	unsigned int a, s;
	uint16_t vf;

	for (vf = 0; vf < SOAK_VFS; vf++) {
		c.vf = vf;
		a = soak_agent_of(vf);
		kills = soak.epoch_kills[a];
		accepted = SOAK_D(requests_accepted);
		for (ev = 0, s = 0; s < MPA_ST_MAX; s++)
			ev += c1->ev[vf][s] - c0->ev[vf][s];
		soak_expect(&c, "invalidations", t[vf].calls, SOAK_D(invalidations), 0);
		soak_expect(&c, "deliveries", t[vf].delivs, SOAK_D(deliveries), kills);
		soak_expect(&c, "resyncs", t[vf].resyncs, SOAK_D(resyncs), kills);
		soak_expect(&c, "takeovers", soak.epoch_restarts[a] - soak.epoch_fresh[a],
			    SOAK_D(takeovers), 0);
		/*
		 * A killed process may have posted the requests it did not
		 * finish, one whose claim the PF revoked may have posted it.
		 */
		soak_expect(&c, "requests posted", t[vf].posted, SOAK_D(requests_posted),
			    t[vf].unfinished + t[vf].revoked);
		/*
		 * Whatever was posted reached the PF or was emptied from the
		 * ring by the next grant (a killed holder's, a revoked one's);
		 * every one the PF took was answered once.
		 */
		soak_expect(&c, "requests taken", accepted + SOAK_D(requests_unclaimed) +
			    SOAK_D(requests_dropped), SOAK_D(requests_posted), t[vf].unfinished);
		soak_expect(&c, "malformed requests", 0, SOAK_D(requests_rejected), 0);
		/*
		 * Every request the PF took was answered, or its answer refused
		 * as an earlier holder's (-ESTALE, counted with the answers a
		 * grant emptied): what a kill, a revoke or a time-out allows.
		 */
		soak_expect(&c, "responses (sent, or dropped as stale)", accepted,
			    SOAK_D(responses) + SOAK_D(responses_dropped),
			    t[vf].unfinished + t[vf].revoked + t[vf].timeouts);
		soak_expect(&c, "mailbox events (DONE)", accepted, ev, 0);
		if (kills != 0)
			continue;
		/*
		 * With no process killed, requests are dropped only in disable
		 * windows: one the claim's revoke ended, or one that timed out
		 * (they only may in a window) and the PF then dropped.
		 */
		lost = t[vf].revoked + t[vf].timeouts;
		soak_expect(&c, "requests dropped (unclaimed, or emptied by a grant)", 0,
			    SOAK_D(requests_unclaimed) + SOAK_D(requests_dropped), lost);
		/*
		 * What the VF took, or the next grant emptied: every answer the
		 * logs show, and perhaps those of requests that timed out (the
		 * PMD takes them while it waits for its next one) or whose
		 * claim was revoked.
		 */
		soak_expect(&c, "responses received or dropped", t[vf].answers,
			    SOAK_D(responses_received) + SOAK_D(responses_dropped), lost);
		/*
		 * The PF's outcomes are the VF's, but for those the VF stopped
		 * waiting for, and those a revoked claim ended.
		 */
		ev_ans = 0;
		for (s = 0; s < MPA_ST_MAX; s++) {
			soak_expect(&c, "an outcome (answered at most as often as the PF says)",
				    t[vf].status[s], c1->ev[vf][s] - c0->ev[vf][s], lost);
			ev_ans += c1->ev[vf][s] - c0->ev[vf][s] - t[vf].status[s];
		}
		/* A request that timed out was answered to nobody, or dropped. */
		soak_expect(&c, "requests that timed out, answered or dropped", t[vf].timeouts,
			    ev_ans + SOAK_D(requests_unclaimed) + SOAK_D(requests_dropped),
			    t[vf].revoked);
	}
	return c.bad;
}

#undef SOAK_D

/*
 * Every FLR, disable and enable of a VF since its agent's incarnation is
 * accounted in that process once: raised, or history a claim took (posted
 * before the agent claimed the VF again). The library agent's VFs have no
 * port.
 */
static int
soak_life_check(struct soak_sum *sum)
{
	uint32_t n[VFBC_VF_EVENT_NB];
	unsigned int a, k;
	uint16_t vf;
	int bad = 0;

	sum->life_flr = sum->life_disabled = sum->life_enabled = sum->life_past = 0;
	for (vf = 0; vf < SOAK_VFS; vf++) {
		a = vf / SOAK_VFS_PER_AGENT;
		if (a == SOAK_LIB_AGENT)
			continue;
		/* A: pairs with the agent's release of gen, after the counts. */
		if (__atomic_load_n(&soak.m->life[vf].gen, __ATOMIC_ACQUIRE) !=
		    soak.ag[a].gen + 1) {
			printf("VF %u: its process reported no life events\n", vf);
			bad++;
			continue;
		}
		for (k = 0; k < VFBC_VF_EVENT_NB; k++)
			n[k] = soak.m->life[vf].count[k] + soak.m->life[vf].past[k];
		if (n[VFBC_VF_EVENT_FLR] != soak.life_flr[vf] ||
		    n[VFBC_VF_EVENT_DISABLED] != soak.life_disabled[vf] ||
		    n[VFBC_VF_EVENT_ENABLED] != soak.life_disabled[vf]) {
			printf("VF %u: life events (raised and history) FLR %u, disabled %u, "
			       "enabled %u; the PF did %u FLRs and %u disables and enables\n", vf,
			       n[VFBC_VF_EVENT_FLR],
			       n[VFBC_VF_EVENT_DISABLED], n[VFBC_VF_EVENT_ENABLED],
			       soak.life_flr[vf], soak.life_disabled[vf]);
			bad++;
		}
		sum->life_flr += soak.m->life[vf].count[VFBC_VF_EVENT_FLR];
		sum->life_disabled += soak.m->life[vf].count[VFBC_VF_EVENT_DISABLED];
		sum->life_enabled += soak.m->life[vf].count[VFBC_VF_EVENT_ENABLED];
		sum->life_past += soak.m->life[vf].past[VFBC_VF_EVENT_FLR] +
			soak.m->life[vf].past[VFBC_VF_EVENT_DISABLED] +
			soak.m->life[vf].past[VFBC_VF_EVENT_ENABLED];
	}
	return bad;
}

/* Drain every agent, wait for its "done"; -1 if one did not. */
static int
soak_drain(struct soak_sum *sum)
{
	uint64_t again, again_ns;
	char rest[MP_LINE_MAX];
	unsigned int i, mism;

	for (i = 0; i < SOAK_AGENTS; i++)
		if (mpa_set_mode(soak.m, i, MPA_MODE_DRAIN, CMD_MS) < 0) {
			printf("VF process %u did not take the drain order\n", i);
			return -1;
		}
	for (i = 0; i < SOAK_AGENTS; i++) {
		if (mp_child_expect(&soak.ag[i].c, "done", rest, sizeof(rest), CMD_MS) < 0 ||
				sscanf(rest, "delivs=%*u polls=%*u cb_mismatch=%u again=%" SCNu64
				       " again_ns=%" SCNu64, &mism, &again, &again_ns) != 3) {
			printf("VF process %u did not finish its drain\n", i);
			return -1;
		}
		sum->again += again;
		sum->again_ns = RTE_MAX(sum->again_ns, again_ns);
		if (mism != 0) {
			printf("VF process %u: %u polls whose callback mask differed\n", i, mism);
			return -1;
		}
	}
	return 0;
}

/* The agents, idle after their drain, run again with fault. */
static int
soak_resume(const char *fault)
{
	uint32_t seq[SOAK_AGENTS];
	unsigned int i;

	mpa_reset_logs(soak.m);
	for (i = 0; i < SOAK_AGENTS; i++) {
		seq[i] = mpa_mode_store(soak.m, i, MPA_MODE_RUN);
		if (mp_child_send(&soak.ag[i].c, "run %s", fault) < 0)
			return -1;
	}
	for (i = 0; i < SOAK_AGENTS; i++)
		if (mpa_mode_wait(soak.m, i, seq[i], CMD_MS) < 0) {
			printf("VF process %u did not run again\n", i);
			return -1;
		}
	return 0;
}

/* A log is three quarters full: end the epoch before one overflows. */
static int
soak_logs_full(void)
{
	const struct mpa_shm *m = soak.m;

	return m->nb_calls > m->calls_cap / 4 * 3 || m->nb_delivs > m->delivs_cap / 4 * 3 ||
		m->nb_reads > m->reads_cap / 4 * 3 || m->nb_reqs > m->reqs_cap / 4 * 3 ||
		soak.lc[0].full || soak.lc[1].full;
}

/*
 * One epoch of ms milliseconds (faults: inject them), agents running with
 * fault; its results added to sum. 0 if the epoch ran (whatever the checks
 * say: *check is their verdict), -1 if it could not.
 */
static int
soak_epoch(unsigned int ms, int faults, const char *fault, struct soak_sum *sum, int *check)
{
	struct soak_counts c1;
	struct mpa_vf_totals t[SOAK_VFS];
	struct mpa_result r;
	uint64_t t0, end, mism, next_fault, t_check;
	unsigned int i, k;
	int ret = -1, fails = 0;

	memset(soak.epoch_kills, 0, sizeof(soak.epoch_kills));
	memset(soak.epoch_restarts, 0, sizeof(soak.epoch_restarts));
	memset(soak.epoch_fresh, 0, sizeof(soak.epoch_fresh));
	memset(soak.lc, 0, sizeof(soak.lc));
	/* Since the last epoch's end nothing ran: its counts are this one's start. */
	if (sum->epochs > 0 && soak_resume(fault) < 0)
		return -1;
	t0 = soak_ms();
	end = t0 + ms;
	for (i = 0; i < 2; i++)
		if (rte_eal_remote_launch(soak_pf_loop, &soak.lc[i], soak.workers[i]) != 0)
			return -1;
	next_fault = t0 + SOAK_FAULT_GAP_MIN_MS +
		rte_rand_max(SOAK_FAULT_GAP_MAX_MS - SOAK_FAULT_GAP_MIN_MS);
	while (soak_ms() < end && !soak_logs_full()) {
		rte_delay_us_sleep(10000);
		if (!faults || soak_ms() < next_fault)
			continue;
		if (soak_fault(sum) < 0)
			fails++;
		next_fault = soak_ms() + SOAK_FAULT_GAP_MIN_MS +
			rte_rand_max(SOAK_FAULT_GAP_MAX_MS - SOAK_FAULT_GAP_MIN_MS);
	}
	__atomic_store_n(&soak.m->stop, 1, __ATOMIC_RELAXED);
	soak_step("the end of an epoch", 0);
	for (i = 0; i < 2; i++)
		rte_eal_wait_lcore(soak.workers[i]);
	ret = soak_drain(sum);
	soak_step(NULL, 0);
	if (ret < 0)
		goto out;
	ret = -1;
	soak_counts_take(&c1);

	t_check = soak_ms();
	*check = mpa_check(soak.m, 1, &r);
	mpa_totals(soak.m, 1, t);
	mism = soak_cmp_counts(&soak.counts, &c1, t);
	if (mism != 0 || fails != 0 || soak.lc[0].bad + soak.lc[1].bad != 0 ||
	    soak_life_check(sum) != 0)
		*check = -1;
	sum->epochs++;
	sum->ms += soak_ms() - t0;
	mpa_result_add(&sum->r, &r);
	sum->mismatches += mism;
	sum->fail_actions += (uint64_t)fails;
	for (i = 0; i < 2; i++) {
		sum->blk_writes += soak.lc[i].blk_writes;
		sum->enxio += soak.lc[i].enxio;
		sum->bad_calls += soak.lc[i].bad;
	}
	for (i = 0; i < SOAK_VFS; i++) {
		sum->takeovers += c1.st[i].takeovers - soak.counts.st[i].takeovers;
		for (k = 0; k < MPA_ST_MAX; k++)
			sum->ev[k] += c1.ev[i][k] - soak.counts.ev[i][k];
	}
	soak.counts = c1;
	printf("epoch %" PRIu64 ": %" PRIu64 " ms (checks %" PRIu64 " ms), calls %" PRIu64
	       ", deliveries %" PRIu64
	       ", resyncs %" PRIu64 ", reads %" PRIu64 ", requests %" PRIu64 ", lost %" PRIu64
	       ", phantom %" PRIu64 ", torn %" PRIu64 ", stale %" PRIu64 ", bad requests %"
	       PRIu64 ", counter mismatches %" PRIu64 "%s\n", sum->epochs, soak_ms() - t0,
	       soak_ms() - t_check, r.calls, r.delivs, r.resyncs, r.reads,
	       r.reqs[0] + r.reqs[1] + r.reqs[2] + r.reqs[3], r.lost, r.phantom, r.torn,
	       r.stale, r.req_bad + r.req_double + r.req_mismatch, mism,
	       *check == 0 ? "" : ": FAILED");
	if (*check != 0)
		mpa_print("failed epoch", &r);
	ret = 0;
out:
	__atomic_store_n(&soak.m->stop, 1, __ATOMIC_RELAXED);
	return ret;
}

static void
soak_sum_print(const struct soak_sum *s)
{
	double secs = (double)s->ms / 1000.0;
	double rate = secs > 0 ? (double)s->r.calls / secs : 0;
	uint64_t slowest;
	unsigned int a;

	mpa_print("soak", &s->r);
	printf("soak: %" PRIu64 " epochs in %.1f s; invalidations %" PRIu64 " calls (bits %"
	       PRIu64 "), %.0f/s: 10^8 take %.1f h at this rate; PF block writes %" PRIu64
	       ", -ENXIO in disable windows %" PRIu64 ", other failures %" PRIu64 "\n",
	       s->epochs, secs, s->r.calls, s->r.bits_sent, rate,
	       rate > 0 ? 1e8 / rate / 3600 : 0.0, s->blk_writes, s->enxio, s->bad_calls);
	printf("soak: block reads that returned -EAGAIN %" PRIu64 " (the longest such call %"
	       PRIu64 " us), each retried\n", s->again, s->again_ns / 1000);
	printf("soak: faults: kills %" PRIu64 ", restarts %" PRIu64 " (%" PRIu64 " after a "
	       "disable; takeovers %" PRIu64
	       "), FLRs %" PRIu64 ", disables %" PRIu64 ", failed %" PRIu64 "; files of "
	       "killed processes removed %" PRIu64 "; counter mismatches %" PRIu64 "\n",
	       s->kills, s->restarts, s->fresh, s->takeovers, s->flrs, s->disables,
	       s->fail_actions,
	       s->reaped, s->mismatches);
	printf("soak: life events raised in the VF processes alive at the end: FLR %" PRIu64
	       ", disabled %" PRIu64 ", enabled %" PRIu64 "; history a claim took %" PRIu64
	       " (one per FLR, disable and enable of their VFs, checked each epoch)\n",
	       s->life_flr, s->life_disabled, s->life_enabled, s->life_past);
	printf("soak: the slowest kill and restart %" PRIu64 " ms (SIGKILL to exit %" PRIu64
	       " ms, start to ready %" PRIu64 " ms), FLR %" PRIu64 " ms, disable and enable %"
	       PRIu64 " ms\n", s->fault_ms[SOAK_FAULT_KILL], s->fault_ms[SOAK_STEP_DEAD],
	       s->fault_ms[SOAK_STEP_START], s->fault_ms[SOAK_FAULT_FLR],
	       s->fault_ms[SOAK_FAULT_DISABLE]);
	for (slowest = 0, a = 0; a < SOAK_AGENTS; a++)
		slowest = RTE_MAX(slowest, __atomic_load_n(&soak.m->req_slowest_ns[a],
							  __ATOMIC_RELAXED));
	printf("soak: the slowest request outside disable windows %" PRIu64 " ms (bound %u ms)\n",
	       slowest / 1000000, MPA_SOAK_REQ_MS);
	printf("soak: the PF answered (RTE_ETH_EVENT_VF_MBOX, DONE) 0 %" PRIu64 ", -EPERM %"
	       PRIu64 ", -ENXIO %" PRIu64 ", other %" PRIu64 "\n", s->ev[MPA_ST_OK],
	       s->ev[MPA_ST_EPERM], s->ev[MPA_ST_ENXIO], s->ev[MPA_ST_OTHER]);
}

/* ---- setup, the soak, the primary's death ---- */

static int
soak_quit_agents(void)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < SOAK_AGENTS; i++) {
		if (soak.ag[i].c.pid < 0)
			continue;
		if (mp_child_send(&soak.ag[i].c, "quit") < 0 ||
				mp_child_expect(&soak.ag[i].c, "bye", NULL, 0, CMD_MS) < 0 ||
				mp_child_wait_exit(&soak.ag[i].c, CMD_MS) != 0) {
			printf("VF process %u did not exit cleanly\n", i);
			ret = -1;
		}
		soak_reap_later(&soak.ag[i].c);
	}
	return ret;
}

static uint64_t
soak_env_u64(const char *name, uint64_t def)
{
	const char *v;

	v = getenv(name);
	return v != NULL && v[0] != '\0' ? strtoull(v, NULL, 0) : def;
}

static int
soak_setup(void)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	struct soak_res res;
	unsigned int i, lcore, n = 0;
	uint16_t vf, b;
	int ret;

	memset(&soak, 0, sizeof(soak));
	for (i = 0; i < SOAK_AGENTS; i++) {
		soak.ag[i].c.pid = -1;
		soak.ag[i].c.to_fd = soak.ag[i].c.from_fd = -1;
	}
	soak.seed = soak_env_u64("VFBC_SOAK_SEED", (uint64_t)time(NULL) ^ (uint64_t)getpid());
	printf("soak seed %" PRIu64 " (replay its choices: VFBC_SOAK_SEED=%" PRIu64 ")\n",
	       soak.seed, soak.seed);
	/* Main lcore 0 injects faults; workers 1 and 2 invalidate, on CPUs 1 and 0. */
	ret = mpa_world_start(&soak.w, 256, "--lcores 0@0,1@1,2@0");
	if (ret != TEST_SUCCESS)
		return ret;
	/* In a world of its own, nothing but this primary: a clean start. */
	TEST_ASSERT_EQUAL(soak_foreign_files(rte_eal_get_runtime_dir(), mp_file_prefix()), 0,
			  "files of other DPDK processes: not a clean start");
	rte_srand(soak.seed);
	/*
	 * Every refused request is logged (within a per-VF limit): the soak
	 * refuses some on purpose and counts every outcome itself.
	 */
	rte_log_set_level_pattern("pmd.net.vfbc_pf.mbox", RTE_LOG_WARNING);
	TEST_ASSERT_EQUAL(soak.w.nb_vfs, SOAK_VFS, "the world has %u VFs, want %u",
			  soak.w.nb_vfs, SOAK_VFS);
	RTE_LCORE_FOREACH_WORKER(lcore)
		if (n < 2)
			soak.workers[n++] = lcore;
	TEST_ASSERT_EQUAL(n, 2, "the primary has %u worker lcores, want 2", n);
	soak.m = mpa_create(SOAK_VFS, SOAK_CALLS_CAP, SOAK_DELIVS_CAP, SOAK_READS_CAP,
			    SOAK_REQS_CAP);
	TEST_ASSERT_NOT_NULL(soak.m, "no accounting log");
	snprintf(soak.channel_mz, sizeof(soak.channel_mz), "%s%s", VFBC_CHANNEL_MZ_PREFIX,
		 MP_PF_NAME);
	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_ids(soak.w.pf_port, 0, &soak.m->vendor_id,
					       &soak.m->device_id), "VF IDs");
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(soak.w.pf_port, RTE_ETH_EVENT_VF_MBOX,
							  soak_mbox_event, NULL), "event");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(soak.w.pf_port), "mailbox server");
	soak.main_tid = (int)syscall(SYS_gettid);
	soak_reaper.run = 1;
	TEST_ASSERT_SUCCESS(pthread_create(&soak_reaper.th, NULL, soak_reaper_main, NULL),
			    "reaper");
	soak.watching = 1;
	TEST_ASSERT_SUCCESS(pthread_create(&soak.watchdog, NULL, soak_watchdog, NULL),
			    "watchdog");
	/* Every data block exists before any VF reads it. */
	for (vf = 0; vf < SOAK_VFS; vf++)
		for (b = 0; b < MPA_DATA_BLKS; b++) {
			rte_spinlock_init(&soak.blk_lock[vf][b]);
			soak.blk_gen[vf][b] = 1;
			mpa_blk_fill(buf, MPA_BLK_MIN, vf, (uint8_t)b, 0, 1);
			TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(soak.w.pf_port, vf, b, buf,
								       MPA_BLK_MIN), "block");
		}
	soak_res_take(&soak.base, soak.channel_mz);
	soak_counts_take(&soak.counts);
	for (i = 0; i < SOAK_AGENTS; i++) {
		mpa_mode_store(soak.m, i, MPA_MODE_RUN);
		TEST_ASSERT_SUCCESS(soak_spawn(i, NULL, 0), "VF process %u", i);
		TEST_ASSERT_SUCCESS(soak_claims_held(i), "claims of VF process %u", i);
	}
	/* Each has its share of the heap (DPDK's services): a killed one leaves it. */
	soak_res_take(&res, soak.channel_mz);
	soak.vf_heap_allocs = (res.heap_allocs - soak.base.heap_allocs) / SOAK_AGENTS;
	soak.vf_heap_bytes = (res.heap_bytes - soak.base.heap_bytes) / SOAK_AGENTS;
	printf("a VF process holds %" PRIu64 " allocations (%" PRIu64 " bytes) of the primary's "
	       "heap while it runs\n", soak.vf_heap_allocs, soak.vf_heap_bytes);
	return TEST_SUCCESS;
}

static void
soak_teardown(void)
{
	unsigned int i;

	for (i = 0; i < SOAK_AGENTS; i++)
		mp_child_close(&soak.ag[i].c);
	mp_pf_server_stop();
	__atomic_store_n(&soak.watching, 0, __ATOMIC_RELEASE);
	pthread_join(soak.watchdog, NULL);
	/* It reaps what is left, then stops. */
	pthread_mutex_lock(&soak_reaper.lock);
	soak_reaper.run = 0;
	pthread_cond_broadcast(&soak_reaper.cond);
	pthread_mutex_unlock(&soak_reaper.lock);
	pthread_join(soak_reaper.th, NULL);
}

static int
test_mp_soak_with_faults(void)
{
	struct soak_res before, after;
	struct soak_res_more more;
	uint64_t secs, end, left;
	struct soak_sum sum;
	unsigned int ms;
	int check, failed = 0;

	secs = soak_env_u64("VFBC_SOAK_SECONDS", SOAK_DEFAULT_S);
	memset(&sum, 0, sizeof(sum));
	printf("soak: %" PRIu64 " s (VFBC_SOAK_SECONDS), %u VFs, %u VF processes (%u of them "
	       "through the library alone), 2 PF lcores\n", secs, SOAK_VFS, SOAK_AGENTS, 1);
	/* A first epoch without faults: everything warmed up, what the primary holds. */
	TEST_ASSERT_SUCCESS(soak_epoch(SOAK_EPOCH_MIN_MS, 0, "none", &sum, &check), "epoch");
	failed |= check != 0;
	soak_res_take(&before, soak.channel_mz);
	end = soak_ms() + secs * 1000;
	while (!failed && soak_ms() < end) {
		left = end - soak_ms();
		ms = SOAK_EPOCH_MIN_MS + (unsigned int)rte_rand_max(SOAK_EPOCH_MAX_MS -
								  SOAK_EPOCH_MIN_MS);
		TEST_ASSERT_SUCCESS(soak_epoch((unsigned int)RTE_MIN((uint64_t)ms, left), 1, "none",
					       &sum, &check), "epoch %" PRIu64, sum.epochs + 1);
		failed |= check != 0;
	}
	/* The same state as at the start: every VF process running and idle. */
	soak_res_take(&after, soak.channel_mz);
	soak_sum_print(&sum);
	TEST_ASSERT(!failed, "the soak failed (seed %" PRIu64 "): see the epoch above",
		    soak.seed);
	TEST_ASSERT(sum.r.calls > 0 && sum.r.delivs > 0 && sum.r.reads > 0 &&
		    sum.r.req_ok > 0, "nothing happened");
	TEST_ASSERT_EQUAL(sum.r.torn, 0, "torn reads");
	TEST_ASSERT_EQUAL(sum.takeovers, (sum.restarts - sum.fresh) * SOAK_VFS_PER_AGENT,
			  "%" PRIu64 " takeovers for %" PRIu64 " restarts (%" PRIu64 " of them "
			  "after a disable)", sum.takeovers, sum.restarts, sum.fresh);
	/* What every killed VF process leaves: DPDK's service arrays (test_mp_soak.h). */
	more.heap_allocs = sum.kills * soak.vf_heap_allocs;
	more.heap_bytes = sum.kills * soak.vf_heap_bytes;
	more.fds = 0;
	TEST_ASSERT_SUCCESS(soak_res_cmp("the primary after the soak", &before, &after, &more),
			    "a leak in the primary (seed %" PRIu64 ")", soak.seed);
	TEST_ASSERT_SUCCESS(soak_quit_agents(), "the VF processes did not exit cleanly");
	TEST_ASSERT_SUCCESS(soak_reaped_all(), "exited VF processes not reaped");
	printf("soak: the kernel took up to %" PRIu64 " ms to reap an exited VF process\n",
	       soak_reaper.slowest_ms);
	/*
	 * Clean exits leave nothing, but the pidfd the PF holds of the last
	 * consumer of each VF until it grants the VF again (the VF guide,
	 * "Claim semantics").
	 */
	soak_res_take(&after, soak.channel_mz);
	more.fds = SOAK_VFS;
	TEST_ASSERT_SUCCESS(soak_res_cmp("the primary once its VF processes exited", &soak.base,
					 &after, &more),
			    "the VF processes left something behind (seed %" PRIu64 ")", soak.seed);
	return TEST_SUCCESS;
}

/* ---- the primary's death ---- */

static volatile int soak_pf_run;

static void *
soak_pf_invalidator(void *arg)
{
	uint16_t port = *(uint16_t *)arg;

	while (soak_pf_run) {
		vfbc_pf_invalidate_config_blocks(port, (uint16_t)rte_rand_max(SOAK_VFS),
						 mpa_random_mask());
		usleep(100);
	}
	return NULL;
}

/*
 * mp_soak_pf: a PF primary of its own, for the death check: serves the
 * mailbox, invalidates now and then, says "ready prefix=P" and runs until
 * killed (or "quit").
 */
static int
mp_soak_pf(void)
{
	char line[MP_LINE_MAX];
	struct mpa_world w;
	pthread_t th;
	int ret;

	ret = mpa_world_start(&w, 64, "-l 0");
	if (ret != TEST_SUCCESS || mp_pf_server_start(w.pf_port) < 0) {
		mp_agent_send("error primary start %d", ret);
		return TEST_FAILED;
	}
	soak_pf_run = 1;
	if (pthread_create(&th, NULL, soak_pf_invalidator, &w.pf_port) != 0) {
		mp_agent_send("error thread");
		return TEST_FAILED;
	}
	mp_agent_send("ready prefix=%s", mp_file_prefix());
	while (mp_agent_recv(line, sizeof(line), 120000) >= 0)
		if (strcmp(line, "quit") == 0)
			break;
	soak_pf_run = 0;
	pthread_join(th, NULL);
	mp_pf_server_stop();
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_soak_pf, mp_soak_pf);

static int
soak_death(struct mp_child *p, const char *prefix)
{
	uint64_t t_kill, t, t_last, worst_ms = 0, worst_us;
	char rest[MP_LINE_MAX], via[16];
	unsigned int i, all;
	int ret = 0, st;

	for (i = 0; i < SOAK_DEATH_AGENTS; i++) {
		soak.ag[i].gen = 0;
		if (soak_spawn(i, prefix, 1) < 0)
			return -1;
	}
	/* Let them poll and ask a moment: the death comes in the middle of it. */
	rte_delay_us_sleep(200000 + rte_rand_max(300000));
	t_kill = mp_now_ns();
	if (mp_child_kill(p, SIGKILL) < 0 || mp_child_wait_exit(p, CMD_MS) != 128 + SIGKILL) {
		printf("the PF primary did not die of SIGKILL\n");
		return -1;
	}
	soak_reap_later(p);
	for (i = 0; i < SOAK_DEATH_AGENTS; i++) {
		if (mp_child_expect(&soak.ag[i].c, "dead", rest, sizeof(rest), CMD_MS) < 0 ||
				sscanf(rest, "first_ns=%" SCNu64 " last_ns=%" SCNu64 " via=%15s "
				       "all=%u worst_us=%" SCNu64, &t, &t_last, via, &all,
				       &worst_us) != 5) {
			printf("VF process %u did not see the primary's death\n", i);
			ret = -1;
			continue;
		}
		t = t > t_kill ? (t - t_kill) / 1000000 : 0;
		t_last = t_last > t_kill ? (t_last - t_kill) / 1000000 : 0;
		worst_ms = RTE_MAX(worst_ms, t_last);
		printf("VF process %u: -ENOTCONN %" PRIu64 " ms after the SIGKILL (first seen by "
		       "a %s), on its last port %" PRIu64 " ms after; then every call of every "
		       "port -ENOTCONN (slowest %" PRIu64 " us): %s\n", i, t, via, t_last,
		       worst_us, all ? "yes" : "NO");
		st = mp_child_wait_exit(&soak.ag[i].c, CMD_MS);
		if (!all || t_last > SOAK_DEATH_BOUND_MS || st != 0) {
			printf("VF process %u: not within %u ms, or not a clean exit (status %d)\n",
			       i, SOAK_DEATH_BOUND_MS, st);
			ret = -1;
		}
		soak_reap_later(&soak.ag[i].c);
	}
	printf("primary death: every VF process saw -ENOTCONN within %" PRIu64 " ms (bound %u ms)"
	       "\n", worst_ms, SOAK_DEATH_BOUND_MS);
	return ret;
}

static int
test_mp_soak_primary_death(void)
{
	char rest[MP_LINE_MAX], prefix[128];
	unsigned int dir_files, huge_files;
	struct soak_res res;
	struct mp_child p;
	int ret;

	/* The PF is this process's: let it go, and its channel with it. */
	mp_pf_server_stop();
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(soak.w.pf_port), "close the PF port");
	soak_res_take(&res, soak.channel_mz);
	TEST_ASSERT_NULL(rte_memzone_lookup(soak.channel_mz), "the channel outlived its PF port");
	TEST_ASSERT_EQUAL(res.vfbc_memzones, 0, "vfbc memzones after the PF port closed");

	memset(&p, 0, sizeof(p));
	TEST_ASSERT(mp_child_spawn_primary(&p, "mp_soak_pf", NULL) == 0 &&
		    mp_child_expect(&p, "ready", rest, sizeof(rest), START_MS) == 0 &&
		    sscanf(rest, "prefix=%127s", prefix) == 1, "the PF primary did not start");
	ret = soak_death(&p, prefix);
	mp_child_close(&p);
	TEST_ASSERT_SUCCESS(ret, "the VF processes did not see their primary die");
	/* Nothing left running or unreaped when the case ends. */
	TEST_ASSERT_SUCCESS(soak_reaped_all(), "exited processes not reaped");

	/* What a killed primary leaves, once its secondaries are gone: removed. */
	ret = soak_prefix_files(rte_eal_get_runtime_dir(), prefix, 1, &dir_files, &huge_files);
	printf("the killed primary (%s) left its runtime directory with %u files and %u "
	       "hugepage files: removed\n", prefix, dir_files, huge_files);
	TEST_ASSERT(ret >= 0, "cannot look for its files: %d", ret);
	TEST_ASSERT_EQUAL(soak_prefix_files(rte_eal_get_runtime_dir(), prefix, 0, &dir_files,
					    &huge_files), 0, "files of %s remain", prefix);
	/* Nothing of the killed processes is left: the next run starts clean. */
	TEST_ASSERT_EQUAL(soak_foreign_files(rte_eal_get_runtime_dir(), mp_file_prefix()), 0,
			  "files of other DPDK processes remain");
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_soak_suite = {
	.suite_name = "mp soak: faults, exact accounting, primary death",
	.setup = soak_setup,
	.teardown = soak_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mp_soak_with_faults),
		TEST_CASE(test_mp_soak_primary_death),
		TEST_CASES_END()
	}
};

static int
test_mp_soak(void)
{
	return unit_test_suite_runner(&mp_soak_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_soak_autotest, test_mp_soak, SOAK_WORLD_OPTS, "mp");

/* ---- the checks can fail ---- */

/* The counters a fault of the self-test must raise: each fault raises its own only. */
static const struct {
	const char *fault;
	size_t off;		/* its counter in struct mpa_result */
	const char *what;
} soak_self_faults[] = {
	{ "drop", offsetof(struct mpa_result, lost), "a dropped bit" },
	{ "phantom", offsetof(struct mpa_result, phantom), "a phantom bit" },
	{ "torn", offsetof(struct mpa_result, torn), "a torn block" },
	{ "double", offsetof(struct mpa_result, req_double), "a double answer" },
};

static uint64_t
soak_self_counter(const struct mpa_result *r, size_t off)
{
	return *(const uint64_t *)(const void *)((const uint8_t *)r + off);
}

/* One epoch with fault (or "none"); the checks must catch it, and only it. */
static int
soak_self(const char *fault)
{
	struct soak_sum sum;
	unsigned int i;
	uint64_t n;
	int check = 0, caught = 0;

	memset(&sum, 0, sizeof(sum));
	/* Past the first epoch: the agents take the fault with "run". */
	sum.epochs = 1;
	TEST_ASSERT_SUCCESS(soak_epoch(SOAK_SELF_EPOCH_MS, 0, fault, &sum, &check),
			    "the epoch did not run");
	TEST_ASSERT(sum.r.calls > 0 && sum.r.delivs > 0 && sum.r.reads > 0 && sum.r.req_ok > 0,
		    "nothing happened");
	for (i = 0; i < RTE_DIM(soak_self_faults); i++) {
		n = soak_self_counter(&sum.r, soak_self_faults[i].off);
		printf("fault %s: %" PRIu64 " seen as %s\n", fault, n, soak_self_faults[i].what);
		if (strcmp(fault, soak_self_faults[i].fault) == 0)
			caught = n > 0;
		else
			TEST_ASSERT_EQUAL(n, 0, "fault %s seen as %s", fault,
					  soak_self_faults[i].what);
	}
	if (strcmp(fault, "none") == 0)
		TEST_ASSERT_SUCCESS(check, "a clean epoch failed its checks");
	else
		TEST_ASSERT(check != 0 && caught, "fault %s injected, the checks did not see it",
			    fault);
	return TEST_SUCCESS;
}

static int
soak_self_setup(void)
{
	struct soak_sum sum;
	int ret, check;

	ret = soak_setup();
	if (ret != TEST_SUCCESS)
		return ret;
	/* The agents started running: end that first epoch. */
	memset(&sum, 0, sizeof(sum));
	TEST_ASSERT_SUCCESS(soak_epoch(500, 0, "none", &sum, &check), "first epoch");
	TEST_ASSERT_SUCCESS(check, "a clean epoch failed its checks");
	return TEST_SUCCESS;
}

static int
test_mp_soak_checks_catch_a_dropped_bit(void)
{
	return soak_self("drop");
}

static int
test_mp_soak_checks_catch_a_phantom_bit(void)
{
	return soak_self("phantom");
}

static int
test_mp_soak_checks_catch_a_torn_block(void)
{
	return soak_self("torn");
}

static int
test_mp_soak_checks_catch_a_double_answer(void)
{
	return soak_self("double");
}

static int
test_mp_soak_checks_pass_a_clean_epoch(void)
{
	return soak_self("none");
}

static void
soak_self_teardown(void)
{
	soak_quit_agents();
	soak_teardown();
}

static struct unit_test_suite mp_soak_self_suite = {
	.suite_name = "mp soak: its checks catch injected faults",
	.setup = soak_self_setup,
	.teardown = soak_self_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mp_soak_checks_catch_a_dropped_bit),
		TEST_CASE(test_mp_soak_checks_catch_a_phantom_bit),
		TEST_CASE(test_mp_soak_checks_catch_a_torn_block),
		TEST_CASE(test_mp_soak_checks_catch_a_double_answer),
		TEST_CASE(test_mp_soak_checks_pass_a_clean_epoch),
		TEST_CASES_END()
	}
};

static int
test_mp_soak_selftest(void)
{
	return unit_test_suite_runner(&mp_soak_self_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_soak_selftest_autotest, test_mp_soak_selftest,
				  SOAK_WORLD_OPTS, "mp");
