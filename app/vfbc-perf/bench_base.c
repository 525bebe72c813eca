/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Baselines, run by the PF primary and VF process 0 on the same lcores as
 * the vfbc figures: a cache line bounced between the two processes (the
 * physical limit of any shared-memory mailbox), rte_ring SP/SC streaming
 * (bursts of VFBC_PERF_BURST, and single elements) and DPDK's
 * rte_mp_request_sync() round trip, the figures the targets divide by,
 * and a pipe wake-up (the kernel's way, for scale).
 *
 * One-way figures take the TSC on the sending side just before the send
 * and on the receiving side just after it saw the message; the receiver
 * then answers and the sender waits for the answer before the next sample,
 * so every sample starts with an idle receiver. The measured spin loops
 * have no pause instruction: it would add up to a hundred cycles to the
 * wake-up on recent x86 cores.
 *
 * Every wait for the other process is bounded (VFBC_PERF_PEER_TIMEOUT_S):
 * a dead or stuck peer fails the run with a message instead of hanging it.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_string_fns.h>

#include "perf.h"

/** Ring of the rte_ring baseline. */
#define VFBC_PERF_RING_BULK "vfbc_perf_bulk"
/** Size of the streaming ring (as DPDK's ring_perf_autotest). */
#define VFBC_PERF_BULK_RING_SIZE 4096
/** rte_mp action of the rte_mp baseline. */
#define VFBC_PERF_MP_ACTION "vfbc_perf_mp"

/* Samples of a warm-up thrown away before the measured ones. */
#define VFBC_PERF_WARMUP(n) RTE_MAX((n) / 10, 100u)

/* Element of the ring baseline: as large as a vfbc doorbell. */
struct vfbc_perf_elem {
	uint64_t seq;
	uint64_t tsc;
};

static struct rte_ring *vfbc_perf_bulk;

/* One-way (t1 - t0) and back (t3 - t1) from three timestamp arrays. */
static void
vfbc_perf_oneway(struct vfbc_perf_dist *fwd, struct vfbc_perf_dist *back, unsigned int n,
		uint64_t hz, uint64_t *t0, const uint64_t *t1, uint64_t *t3)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t a = t1[i] - t0[i];
		uint64_t b = t3[i] - t1[i];

		/* A TSC offset between the cores can make a leg "negative". */
		t0[i] = (int64_t)a < 0 ? 0 : a;
		t3[i] = (int64_t)b < 0 ? 0 : b;
	}
	vfbc_perf_dist_from_cycles(fwd, t0, n, hz, 1);
	if (back != NULL)
		vfbc_perf_dist_from_cycles(back, t3, n, hz, 1);
}

/* One chunk of n cache-line samples, stored at off in the arrays. */
int
vfbc_perf_pf_cacheline(unsigned int n, unsigned int off)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int warm = VFBC_PERF_WARMUP(n);
	uint64_t *a0 = vfbc_perf_samples[VFBC_PERF_A_CL_T0] + off;
	uint64_t *a3 = vfbc_perf_samples[VFBC_PERF_A_CL_T3] + off;
	uint64_t t0, t3;
	unsigned int i;
	int ret;

	c->nb_samples = n;
	c->sample_off = off;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_CACHELINE, 1);
	for (i = 0; i < warm + n; i++) {
		t0 = rte_rdtsc();
		__atomic_store_n(&c->ping.v, i + 1, __ATOMIC_RELEASE);
		ret = vfbc_perf_spin_eq(&c->pong.v, i + 1);
		if (ret != 0) {
			vfbc_perf_cmd_wait(10);
			return vfbc_perf_peer_dead("the VF's cache-line answer");
		}
		t3 = rte_rdtsc();
		if (i >= warm) {
			a0[i - warm] = t0;
			a3[i - warm] = t3;
		}
	}
	return vfbc_perf_cmd_wait(10);
}

/* The pooled chunks of the cache-line baseline. */
void
vfbc_perf_cacheline_result(struct vfbc_perf_results *r, unsigned int n)
{
	vfbc_perf_oneway(&r->cacheline, &r->cacheline_back, n, vfbc_perf_ctl->tsc_hz,
			vfbc_perf_samples[VFBC_PERF_A_CL_T0], vfbc_perf_samples[VFBC_PERF_A_CL_T1],
			vfbc_perf_samples[VFBC_PERF_A_CL_T3]);
	/* A leg's median includes +offset, the other's -offset. */
	r->tsc_offset_ns = (r->cacheline.p50 - r->cacheline_back.p50) / 2;
}

int
vfbc_perf_vf_cacheline(struct vfbc_perf_proc *me __rte_unused)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int n = c->nb_samples;
	unsigned int warm = VFBC_PERF_WARMUP(n);
	uint64_t *a1 = vfbc_perf_samples[VFBC_PERF_A_CL_T1] + c->sample_off;
	uint64_t t1;
	unsigned int i;

	for (i = 0; i < warm + n; i++) {
		if (vfbc_perf_spin_eq(&c->ping.v, i + 1) != 0)
			return vfbc_perf_peer_dead("the PF's cache-line store");
		t1 = rte_rdtsc();
		__atomic_store_n(&c->pong.v, i + 1, __ATOMIC_RELEASE);
		if (i >= warm)
			a1[i - warm] = t1;
	}
	return 0;
}

/*
 * Streaming: the PF enqueues bursts of burst elements for the given time,
 * the VF dequeues bursts of up to burst and checks the sequence; the rate
 * is the VF's count over the PF's time. A burst of 1 is the single-element
 * calls (rte_ring_sp_enqueue_elem(), rte_ring_sc_dequeue_elem()) that
 * vfbc's one invalidation per call is judged against: a burst amortizes
 * the index updates and their cache-line transfers over its elements,
 * which an invalidate, one event at a time, cannot.
 */
int
vfbc_perf_pf_ring_stream(struct vfbc_perf_results *r, double seconds, unsigned int burst)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_elem el[VFBC_PERF_BURST];
	uint64_t seq = 0, seen = 0;
	uint64_t start, end, now, stall;
	unsigned int i, k, n;
	int ret;

	if (burst < 1 || burst > VFBC_PERF_BURST)
		return -EINVAL;
	c->arg = burst;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_RING_STREAM, 1);
	ret = vfbc_perf_spin_eq(&c->pong.v, 1);
	if (ret != 0) {
		__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
		vfbc_perf_cmd_wait(10);
		return vfbc_perf_peer_dead("the VF's streaming consumer to start");
	}
	start = rte_rdtsc();
	end = start + (uint64_t)(seconds * rte_get_tsc_hz());
	/*
	 * A consumer that stops taking elements leaves the ring full: no
	 * progress since the last look. Not the look's own call: single
	 * elements into a full ring mostly fail while the consumer keeps up.
	 */
	stall = start;
	for (k = 0; ; k++) {
		for (i = 0; i < burst; i++)
			el[i].seq = seq + i;
		if (burst == 1)
			n = rte_ring_sp_enqueue_elem(vfbc_perf_bulk, el, sizeof(el[0])) == 0;
		else
			n = rte_ring_sp_enqueue_burst_elem(vfbc_perf_bulk, el, sizeof(el[0]),
					burst, NULL);
		seq += n;
		if ((k & 63) != 0)
			continue;
		now = rte_rdtsc();
		if (seq != seen) {
			seen = seq;
			stall = now;
		} else if (now - stall > VFBC_PERF_PEER_TIMEOUT_S * rte_get_tsc_hz())
			ret = vfbc_perf_peer_dead("the VF to take streamed elements");
		if (now > end || ret != 0)
			break;
	}
	end = rte_rdtsc();
	__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	if (ret != 0)
		return ret;
	if (c->proc[0].count != seq)
		return -EPROTO;
	if (burst == 1)
		r->raw_ring_single_elems_per_s = (double)seq /
			((double)(end - start) / rte_get_tsc_hz());
	else
		r->raw_ring_elems_per_s = (double)seq / ((double)(end - start) / rte_get_tsc_hz());
	return 0;
}

int
vfbc_perf_vf_ring_stream(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_elem el[VFBC_PERF_BURST];
	unsigned int burst = c->arg;
	uint64_t seq = 0;
	unsigned int i, n, k = 0;
	uint64_t t = 0;
	int bad = 0;

	if (vfbc_perf_bulk == NULL)
		vfbc_perf_bulk = rte_ring_lookup(VFBC_PERF_RING_BULK);
	if (vfbc_perf_bulk == NULL)
		return -ENOENT;
	if (burst < 1 || burst > VFBC_PERF_BURST)
		return -EINVAL;
	__atomic_store_n(&c->pong.v, 1, __ATOMIC_RELEASE);
	for (;;) {
		if (burst == 1)
			n = rte_ring_sc_dequeue_elem(vfbc_perf_bulk, el, sizeof(el[0])) == 0;
		else
			n = rte_ring_sc_dequeue_burst_elem(vfbc_perf_bulk, el, sizeof(el[0]),
					burst, NULL);
		for (i = 0; i < n; i++)
			bad |= el[i].seq != seq + i;
		seq += n;
		if (n != 0) {
			k = 0;
			t = 0;
			continue;
		}
		if (__atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) != 0 &&
				rte_ring_empty(vfbc_perf_bulk))
			break;
		/* Nothing came for a long time and no stop: the PF is gone. */
		if (vfbc_perf_spin_expired(&k, &t)) {
			me->count = seq;
			return vfbc_perf_peer_dead("the PF's stream or its stop");
		}
	}
	me->count = seq;
	return bad ? -EPROTO : 0;
}

/*
 * Read 8 bytes, waiting at most VFBC_PERF_PEER_TIMEOUT_S: both processes
 * hold both ends of the pipes, so a dead writer never gives end-of-file.
 * The wait is poll(), as in an event loop, then read().
 */
static int
vfbc_perf_pipe_read(int fd, uint64_t *v, const char *what)
{
	struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
	int n;

	do {
		n = poll(&p, 1, VFBC_PERF_PEER_TIMEOUT_S * 1000);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return vfbc_perf_peer_dead(what);
	if (n < 0)
		return -errno;
	return read(fd, v, sizeof(*v)) == sizeof(*v) ? 0 : -EIO;
}

int
vfbc_perf_pf_pipe(struct vfbc_perf_results *r, unsigned int n)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int warm = VFBC_PERF_WARMUP(n);
	uint64_t *a0 = vfbc_perf_samples[VFBC_PERF_A_CL_T0];
	uint64_t *a3 = vfbc_perf_samples[VFBC_PERF_A_CL_T3];
	uint64_t t0, t3;
	uint64_t v;
	unsigned int i;
	int ret = 0;

	c->nb_samples = n;
	c->sample_off = 0;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_PIPE, 1);
	for (i = 0; i < warm + n; i++) {
		v = i;
		t0 = rte_rdtsc();
		if (write(c->pipe_fd[0], &v, sizeof(v)) != sizeof(v)) {
			ret = -errno;
			break;
		}
		ret = vfbc_perf_pipe_read(c->pipe_fd[1], &v, "the VF's answer on the pipe");
		if (ret != 0)
			break;
		t3 = rte_rdtsc();
		if (v != i) {
			ret = -EPROTO;
			break;
		}
		if (i >= warm) {
			a0[i - warm] = t0;
			a3[i - warm] = t3;
		}
	}
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	if (ret != 0)
		return ret;
	vfbc_perf_oneway(&r->pipe, NULL, n, c->tsc_hz, a0, vfbc_perf_samples[VFBC_PERF_A_CL_T1],
			a3);
	return 0;
}

int
vfbc_perf_vf_pipe(struct vfbc_perf_proc *me __rte_unused)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int n = c->nb_samples;
	unsigned int warm = VFBC_PERF_WARMUP(n);
	uint64_t t1;
	uint64_t v;
	unsigned int i;

	for (i = 0; i < warm + n; i++) {
		/* Blocks in the kernel: the figure includes the wake-up. */
		if (vfbc_perf_pipe_read(c->pipe_fd[2], &v, "the PF's write on the pipe") != 0)
			return -EIO;
		t1 = rte_rdtsc();
		if (v != i)
			return -EPROTO;
		if (write(c->pipe_fd[3], &v, sizeof(v)) != sizeof(v))
			return -errno;
		if (i >= warm)
			vfbc_perf_samples[VFBC_PERF_A_CL_T1][i - warm] = t1;
	}
	return 0;
}

/* rte_mp: the primary's IPC thread answers every request at once. */
static int
vfbc_perf_mp_handler(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg reply;

	memset(&reply, 0, sizeof(reply));
	rte_strlcpy(reply.name, msg->name, sizeof(reply.name));
	reply.len_param = msg->len_param;
	memcpy(reply.param, msg->param, msg->len_param);
	return rte_mp_reply(&reply, peer);
}

/* The primary's half of the baselines: the streaming ring, the rte_mp action. */
int
vfbc_perf_baselines_setup(void)
{
	vfbc_perf_bulk = rte_ring_create_elem(VFBC_PERF_RING_BULK,
			sizeof(struct vfbc_perf_elem), VFBC_PERF_BULK_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (vfbc_perf_bulk == NULL ||
			rte_mp_action_register(VFBC_PERF_MP_ACTION, vfbc_perf_mp_handler) != 0)
		return -rte_errno;
	return 0;
}

int
vfbc_perf_pf_mp(struct vfbc_perf_results *r, unsigned int n)
{
	int ret;

	vfbc_perf_ctl->nb_samples = n;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_MP, 1);
	/* Each round trip takes tens of microseconds: allow a slow machine. */
	ret = vfbc_perf_cmd_wait(60 + n / 1000);
	if (ret != 0)
		return ret;
	/* One-way is half the round trip, as the issue defines it. */
	vfbc_perf_dist_from_cycles(&r->mp, vfbc_perf_samples[VFBC_PERF_A_CL_T0], n,
			vfbc_perf_ctl->tsc_hz, 2);
	return 0;
}

int
vfbc_perf_vf_mp(struct vfbc_perf_proc *me __rte_unused)
{
	unsigned int n = vfbc_perf_ctl->nb_samples;
	unsigned int warm = VFBC_PERF_WARMUP(n);
	struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	struct rte_mp_reply reply;
	struct rte_mp_msg req;
	uint64_t t0, t1;
	unsigned int i;
	int ok;

	memset(&req, 0, sizeof(req));
	rte_strlcpy(req.name, VFBC_PERF_MP_ACTION, sizeof(req.name));
	req.len_param = sizeof(uint64_t);
	for (i = 0; i < warm + n; i++) {
		memcpy(req.param, &i, sizeof(i));
		t0 = rte_rdtsc();
		if (rte_mp_request_sync(&req, &reply, &ts) != 0)
			return -rte_errno;
		t1 = rte_rdtsc();
		ok = reply.nb_received == 1 &&
				memcmp(reply.msgs[0].param, &i, sizeof(i)) == 0;
		free(reply.msgs);
		if (!ok)
			return -EPROTO;
		if (i >= warm)
			vfbc_perf_samples[VFBC_PERF_A_CL_T0][i - warm] = t1 - t0;
	}
	return 0;
}
