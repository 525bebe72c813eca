/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The command protocol between the primary and its secondaries, through the
 * control memzone: the primary fills the command fields, then bumps
 * cmd_seq (release); each secondary runs its side and publishes done_seq
 * (release). Waiting secondaries sleep between checks so that, on a machine
 * with few cores, idle ones leave the CPU to the busy ones. A side whose
 * peer stops answering says so (vfbc_perf_peer_dead()), after clearing the
 * primary's progress line, which lives here for that reason.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include <vfbc_launch.h>

#include "ctl.h"

/** Control memzone, created by the primary. */
#define VFBC_PERF_MZ_CTL "vfbc_perf_ctl"
/** Timestamp arrays of the latency benchmarks. */
#define VFBC_PERF_MZ_SAMPLES "vfbc_perf_samples"
#define VFBC_PERF_MAGIC 0x46524550u /* "PERF" */

struct vfbc_perf_ctl *vfbc_perf_ctl;
uint64_t *vfbc_perf_samples[VFBC_PERF_NB_ARRAYS];
pid_t vfbc_perf_pids[VFBC_PERF_MAX_PROCS];

static int vfbc_perf_progress_shown;

/* Deterministic non-zero masks (splitmix64): both sides compute mask i. */
uint64_t
vfbc_perf_mask(uint64_t seed, uint64_t i)
{
	uint64_t z = seed + (i + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z != 0 ? z : 1;
}

static void
vfbc_perf_samples_map(const struct rte_memzone *mz, uint64_t cap)
{
	unsigned int i;

	for (i = 0; i < VFBC_PERF_NB_ARRAYS; i++)
		vfbc_perf_samples[i] = (uint64_t *)mz->addr + i * cap;
}

int
vfbc_perf_ctl_create(unsigned int nb_procs, uint64_t sample_cap)
{
	const struct rte_memzone *mz;

	mz = rte_memzone_reserve_aligned(VFBC_PERF_MZ_CTL, sizeof(*vfbc_perf_ctl),
			SOCKET_ID_ANY, 0, RTE_CACHE_LINE_SIZE);
	if (mz == NULL)
		return -rte_errno;
	vfbc_perf_ctl = mz->addr;
	memset(vfbc_perf_ctl, 0, sizeof(*vfbc_perf_ctl));
	vfbc_perf_ctl->nb_procs = nb_procs;
	vfbc_perf_ctl->tsc_hz = rte_get_tsc_hz();
	vfbc_perf_ctl->sample_cap = sample_cap;

	mz = rte_memzone_reserve_aligned(VFBC_PERF_MZ_SAMPLES,
			VFBC_PERF_NB_ARRAYS * sample_cap * sizeof(uint64_t), SOCKET_ID_ANY, 0,
			RTE_CACHE_LINE_SIZE);
	if (mz == NULL)
		return -rte_errno;
	vfbc_perf_samples_map(mz, sample_cap);
	__atomic_store_n(&vfbc_perf_ctl->magic, VFBC_PERF_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

int
vfbc_perf_ctl_attach(void)
{
	const struct rte_memzone *mz;

	mz = rte_memzone_lookup(VFBC_PERF_MZ_CTL);
	if (mz == NULL)
		return -ENOENT;
	vfbc_perf_ctl = mz->addr;
	if (__atomic_load_n(&vfbc_perf_ctl->magic, __ATOMIC_ACQUIRE) != VFBC_PERF_MAGIC)
		return -EPROTO;
	mz = rte_memzone_lookup(VFBC_PERF_MZ_SAMPLES);
	if (mz == NULL)
		return -ENOENT;
	vfbc_perf_samples_map(mz, vfbc_perf_ctl->sample_cap);
	return 0;
}

void
vfbc_perf_cmd_start(enum vfbc_perf_cmd cmd, unsigned int nb_active)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;

	c->cmd = cmd;
	c->nb_active = nb_active;
	c->stop.v = 0;
	c->round.v = 0;
	c->ping.v = 0;
	c->pong.v = 0;
	memset(c->sent_or, 0, sizeof(c->sent_or));
	memset(c->vf, 0, sizeof(c->vf));
	__atomic_store_n(&c->cmd_seq.v, c->cmd_seq.v + 1, __ATOMIC_RELEASE);
}

/* Waits until every secondary finished the current command. */
int
vfbc_perf_cmd_wait(double timeout_s)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t seq = c->cmd_seq.v;
	uint64_t deadline;
	unsigned int i;
	int status;
	int ret = 0;

	deadline = rte_get_tsc_cycles() + (uint64_t)(timeout_s * rte_get_tsc_hz());
	for (i = 0; i < c->nb_procs; i++) {
		while (__atomic_load_n(&c->proc[i].done_seq, __ATOMIC_ACQUIRE) != seq) {
			if (vfbc_launch_wait(vfbc_perf_pids[i], 0, &status) == 0) {
				fprintf(stderr, "vfbc-perf: VF process %u (pid %d) died\n", i,
						(int)vfbc_perf_pids[i]);
				return -ECHILD;
			}
			if (rte_get_tsc_cycles() > deadline) {
				fprintf(stderr, "vfbc-perf: VF process %u timed out\n", i);
				return -ETIMEDOUT;
			}
			rte_delay_us_sleep(100);
		}
		if (c->proc[i].status != 0 && ret == 0)
			ret = c->proc[i].status;
	}
	return ret;
}

/*
 * A bounded wait for the other side ran out: say so plainly, in whichever
 * process noticed it; the command then fails instead of hanging.
 */
int
vfbc_perf_peer_dead(const char *what)
{
	vfbc_perf_progress_done();
	fprintf(stderr, "vfbc-perf: %s (pid %d) waited %d s for %s: the peer process is "
			"dead or stuck; giving up\n",
			rte_eal_process_type() == RTE_PROC_PRIMARY ? "PF primary" : "VF process",
			(int)getpid(), VFBC_PERF_PEER_TIMEOUT_S, what);
	return -ETIMEDOUT;
}

void
vfbc_perf_progress(const char *fmt, ...)
{
	va_list ap;
	int tty = isatty(STDERR_FILENO);

	/* On a terminal one line is rewritten; elsewhere (logs) one per step. */
	if (tty)
		fprintf(stderr, "\r\033[K");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (!tty)
		fprintf(stderr, "\n");
	fflush(stderr);
	vfbc_perf_progress_shown = tty;
}

void
vfbc_perf_progress_done(void)
{
	if (vfbc_perf_progress_shown)
		fprintf(stderr, "\r\033[K");
	vfbc_perf_progress_shown = 0;
}
