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
#include <sys/mman.h>
#include <sys/stat.h>
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
/* This process in messages; NULL: by its EAL process type (PF primary, VF process). */
const char *vfbc_perf_who;

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
vfbc_perf_samples_map(void *base, uint64_t cap)
{
	unsigned int i;

	for (i = 0; i < VFBC_PERF_NB_ARRAYS; i++)
		vfbc_perf_samples[i] = (uint64_t *)base + i * cap;
}

/* A new control block at ctl; the magic is published once samples is set. */
static void
vfbc_perf_ctl_init(struct vfbc_perf_ctl *ctl, unsigned int nb_procs, uint64_t sample_cap)
{
	vfbc_perf_ctl = ctl;
	memset(ctl, 0, sizeof(*ctl));
	ctl->nb_procs = nb_procs;
	ctl->tsc_hz = rte_get_tsc_hz();
	ctl->sample_cap = sample_cap;
}

int
vfbc_perf_ctl_create(unsigned int nb_procs, uint64_t sample_cap)
{
	const struct rte_memzone *mz;

	mz = rte_memzone_reserve_aligned(VFBC_PERF_MZ_CTL, sizeof(*vfbc_perf_ctl),
			SOCKET_ID_ANY, 0, RTE_CACHE_LINE_SIZE);
	if (mz == NULL)
		return -rte_errno;
	vfbc_perf_ctl_init(mz->addr, nb_procs, sample_cap);

	mz = rte_memzone_reserve_aligned(VFBC_PERF_MZ_SAMPLES,
			VFBC_PERF_NB_ARRAYS * sample_cap * sizeof(uint64_t), SOCKET_ID_ANY, 0,
			RTE_CACHE_LINE_SIZE);
	if (mz == NULL)
		return -rte_errno;
	vfbc_perf_samples_map(mz->addr, sample_cap);
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
	vfbc_perf_samples_map(mz->addr, vfbc_perf_ctl->sample_cap);
	return 0;
}

/* Bytes of a control file: the block, then its sample arrays. */
static size_t
vfbc_perf_ctl_file_len(uint64_t sample_cap)
{
	return RTE_ALIGN_CEIL(sizeof(struct vfbc_perf_ctl), RTE_CACHE_LINE_SIZE) +
		VFBC_PERF_NB_ARRAYS * sample_cap * sizeof(uint64_t);
}

static void *
vfbc_perf_ctl_file_samples(struct vfbc_perf_ctl *ctl)
{
	return RTE_PTR_ADD(ctl, RTE_ALIGN_CEIL(sizeof(*ctl), RTE_CACHE_LINE_SIZE));
}

/*
 * The control block of an isolated consumer, which cannot map the PF
 * primary's memzones (hugepages of another DPDK primary): a memory file,
 * inherited by the consumer (no close-on-exec). Becomes the control block in
 * use; the caller saves the previous one first (vfbc_perf_ctl_save()).
 */
int
vfbc_perf_ctl_create_file(unsigned int nb_procs, uint64_t sample_cap, int *fd)
{
	size_t len = vfbc_perf_ctl_file_len(sample_cap);
	struct vfbc_perf_ctl *ctl;
	int ret;

	*fd = memfd_create("vfbc_perf_iso_ctl", 0);
	if (*fd < 0)
		return -errno;
	if (ftruncate(*fd, (off_t)len) != 0)
		goto fail;
	/*
	 * Populated: the memzone's arrays are hugepages, faulted in once; a
	 * sample that faults in a 4 KiB page (one in 512) would time the fault.
	 */
	ctl = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, *fd, 0);
	if (ctl == MAP_FAILED)
		goto fail;
	vfbc_perf_ctl_init(ctl, nb_procs, sample_cap);
	vfbc_perf_samples_map(vfbc_perf_ctl_file_samples(ctl), sample_cap);
	__atomic_store_n(&ctl->magic, VFBC_PERF_MAGIC, __ATOMIC_RELEASE);
	return 0;
fail:
	ret = -errno;
	close(*fd);
	*fd = -1;
	return ret;
}

/* In the isolated consumer: the control file the primary gave it. */
int
vfbc_perf_ctl_attach_file(int fd)
{
	struct vfbc_perf_ctl *ctl;
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if ((size_t)st.st_size < vfbc_perf_ctl_file_len(0))
		return -EPROTO;
	ctl = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			fd, 0);
	if (ctl == MAP_FAILED)
		return -errno;
	if (__atomic_load_n(&ctl->magic, __ATOMIC_ACQUIRE) != VFBC_PERF_MAGIC ||
			(size_t)st.st_size < vfbc_perf_ctl_file_len(ctl->sample_cap)) {
		munmap(ctl, (size_t)st.st_size);
		return -EPROTO;
	}
	vfbc_perf_ctl = ctl;
	vfbc_perf_samples_map(vfbc_perf_ctl_file_samples(ctl), ctl->sample_cap);
	return 0;
}

/* Unmaps a control file's block (not the one in use). */
void
vfbc_perf_ctl_unmap_file(struct vfbc_perf_ctl *ctl)
{
	if (ctl != NULL && ctl != vfbc_perf_ctl)
		munmap(ctl, vfbc_perf_ctl_file_len(ctl->sample_cap));
}

/* The control block in use, and its sample arrays. */
void
vfbc_perf_ctl_save(struct vfbc_perf_ctl_saved *s)
{
	s->ctl = vfbc_perf_ctl;
	memcpy(s->samples, vfbc_perf_samples, sizeof(s->samples));
}

/* Back to a saved control block. */
void
vfbc_perf_ctl_restore(const struct vfbc_perf_ctl_saved *s)
{
	vfbc_perf_ctl = s->ctl;
	memcpy(vfbc_perf_samples, s->samples, sizeof(vfbc_perf_samples));
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
	const char *who = vfbc_perf_who;

	if (who == NULL)
		who = rte_eal_process_type() == RTE_PROC_PRIMARY ? "PF primary" : "VF process";
	vfbc_perf_progress_done();
	fprintf(stderr, "vfbc-perf: %s (pid %d) waited %d s for %s: the peer process is "
			"dead or stuck; giving up\n", who, (int)getpid(),
			VFBC_PERF_PEER_TIMEOUT_S, what);
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
