/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc invalidations between the PF primary and VF consumers in secondary
 * processes, through the channel library (vfbc_channel_invalidate() on the
 * PF lcore, vfbc_channel_poll_invalidations() in the VF busy loop):
 *
 * - latency: one invalidate at a time, the VF acknowledges each delivery;
 * - keep-up throughput: single-bit masks, a different bit for each of up to
 *   VFBC_PERF_KEEPUP_WINDOW masks in flight, so that no mask is merged into
 *   another: every invalidation reaches the VF as its own bit;
 * - overload: the PF invalidates flat out, the VF takes what it can (the
 *   bits coalesce);
 * - many VFs: the PF invalidates VFs round robin, consumer processes poll
 *   their share of the VFs.
 *
 * Accounting (every run): the PF splits a streaming run into rounds. At the
 * end of a round it stops, publishes per VF the OR of the bits it sent in
 * the round, then the round number (release). A consumer that sees the
 * round (acquire) polls its VFs until they are empty: by the mailbox
 * contract every bit sent in the round must now have been delivered in the
 * round (else it is lost) and every bit delivered in the round must have
 * been sent in it (else it is a phantom). The latency run checks each
 * delivery against the one mask sent.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "perf.h"

#define VFBC_PERF_INV_WARMUP(n) RTE_MAX((n) / 10, 100u)
/* Length of an accounting round of the streaming runs. */
#define VFBC_PERF_ROUND_MS 20
/* Masks precomputed for the streaming runs (power of two). */
#define VFBC_PERF_NB_MASKS 1024

struct vfbc_perf_ch_entry {
	char name[32];
	struct vfbc_channel *ch;
};

static struct vfbc_perf_ch_entry vfbc_perf_ch_cache[4];

/* Attach once per process to a channel of the benchmark. */
struct vfbc_channel *
vfbc_perf_channel(const char *name)
{
	struct vfbc_perf_ch_entry *e;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_perf_ch_cache); i++) {
		e = &vfbc_perf_ch_cache[i];
		if (e->ch != NULL && strcmp(e->name, name) == 0)
			return e->ch;
	}
	for (i = 0; i < RTE_DIM(vfbc_perf_ch_cache); i++) {
		e = &vfbc_perf_ch_cache[i];
		if (e->ch != NULL)
			continue;
		e->ch = vfbc_channel_attach(name);
		if (e->ch != NULL)
			snprintf(e->name, sizeof(e->name), "%s", name);
		return e->ch;
	}
	rte_errno = ENOSPC;
	return NULL;
}

/* Counted by the accounting. */
static uint64_t vfbc_perf_bits_sent;

static void
vfbc_perf_account(struct vfbc_perf_results *r)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int i;

	r->bits_sent += vfbc_perf_bits_sent;
	vfbc_perf_bits_sent = 0;
	for (i = 0; i < c->nb_procs; i++) {
		r->bits_delivered += c->proc[i].bits_delivered;
		r->bits_lost += c->proc[i].bits_lost;
		r->phantom_bits += c->proc[i].phantom_bits;
		c->proc[i].bits_delivered = 0;
		c->proc[i].bits_lost = 0;
		c->proc[i].phantom_bits = 0;
		c->proc[i].deliveries = 0;
	}
}

static void
vfbc_perf_command_channel(const char *name, unsigned int nb_vfs)
{
	snprintf(vfbc_perf_ctl->ch_name, sizeof(vfbc_perf_ctl->ch_name), "%s", name);
	vfbc_perf_ctl->nb_vfs = nb_vfs;
	vfbc_perf_ctl->seed = rte_rdtsc();
}

/* Wait until nb consumers are ready (each adds 1 to pong). */
static int
vfbc_perf_wait_ready(unsigned int nb)
{
	uint64_t deadline = rte_get_tsc_cycles() + 10 * rte_get_tsc_hz();

	while (__atomic_load_n(&vfbc_perf_ctl->pong.v, __ATOMIC_ACQUIRE) < nb) {
		if (rte_get_tsc_cycles() > deadline)
			return -ETIMEDOUT;
		rte_pause();
	}
	return 0;
}

int
vfbc_perf_pf_inv_latency(struct vfbc_perf_results *r, unsigned int n)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int warm = VFBC_PERF_INV_WARMUP(n);
	struct vfbc_channel *ch;
	uint64_t *t0 = vfbc_perf_samples[0];
	uint64_t *t1 = vfbc_perf_samples[1];
	uint64_t start, m;
	unsigned int i;
	int ret;

	ch = vfbc_perf_channel(VFBC_PERF_CH_ONE);
	if (ch == NULL)
		return -rte_errno;
	vfbc_perf_command_channel(VFBC_PERF_CH_ONE, 1);
	c->nb_samples = n;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_INV_LATENCY, 1);
	ret = vfbc_perf_wait_ready(1);
	if (ret != 0)
		return ret;
	for (i = 0; i < warm + n; i++) {
		m = vfbc_perf_mask(c->seed, i);
		start = rte_rdtsc();
		ret = vfbc_channel_invalidate(ch, 0, m);
		if (ret != 0)
			return ret;
		/* Acknowledgements are i + 2: 1 said "ready". */
		ret = vfbc_perf_spin_eq(&c->pong.v, i + 2);
		if (ret != 0)
			break;
		vfbc_perf_bits_sent += __builtin_popcountll(m);
		if (i >= warm)
			t0[i - warm] = start;
	}
	if (ret == 0)
		ret = vfbc_perf_cmd_wait(10);
	vfbc_perf_account(r);
	if (ret != 0)
		return ret;
	for (i = 0; i < n; i++)
		t0[i] = (int64_t)(t1[i] - t0[i]) < 0 ? 0 : t1[i] - t0[i];
	vfbc_perf_dist_from_cycles(&r->inv, t0, n, c->tsc_hz, 1);
	return 0;
}

int
vfbc_perf_vf_inv_latency(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int n = c->nb_samples;
	unsigned int warm = VFBC_PERF_INV_WARMUP(n);
	struct vfbc_channel *ch;
	uint64_t d, m, t;
	unsigned int i;
	int ret;

	ch = vfbc_perf_channel(c->ch_name);
	if (ch == NULL)
		return -rte_errno;
	ret = vfbc_channel_claim(ch, 0);
	if (ret < 0)
		return ret;
	__atomic_store_n(&c->pong.v, 1, __ATOMIC_RELEASE);
	for (i = 0; i < warm + n; i++) {
		while ((ret = vfbc_channel_poll_invalidations(ch, 0, &d)) == 0)
			;
		t = rte_rdtsc();
		if (ret < 0)
			break;
		m = vfbc_perf_mask(c->seed, i);
		me->bits_delivered += __builtin_popcountll(d);
		me->bits_lost += __builtin_popcountll(m & ~d);
		me->phantom_bits += __builtin_popcountll(d & ~m);
		me->deliveries++;
		__atomic_store_n(&c->pong.v, i + 2, __ATOMIC_RELEASE);
		if (i >= warm)
			vfbc_perf_samples[1][i - warm] = t;
	}
	/* Nothing may arrive after the last mask. */
	if (ret >= 0 && vfbc_channel_poll_invalidations(ch, 0, &d) == 1)
		me->phantom_bits += __builtin_popcountll(d);
	vfbc_channel_release(ch, 0);
	return ret < 0 ? ret : 0;
}

enum vfbc_perf_stream_mode {
	VFBC_PERF_STREAM_KEEPUP,
	VFBC_PERF_STREAM_OVERLOAD,
	VFBC_PERF_STREAM_MANY,
};

struct vfbc_perf_stream_out {
	uint64_t calls;
	uint64_t busy_cycles;
};

/* End of a round: publish what was sent, wait for every consumer to check. */
static int
vfbc_perf_round_end(uint64_t *sent_or, unsigned int nb_vfs, unsigned int nb_active,
		uint64_t round)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t deadline = rte_get_tsc_cycles() + 10 * rte_get_tsc_hz();
	unsigned int i;

	memcpy(c->sent_or, sent_or, nb_vfs * sizeof(sent_or[0]));
	memset(sent_or, 0, nb_vfs * sizeof(sent_or[0]));
	__atomic_store_n(&c->round.v, round, __ATOMIC_RELEASE);
	for (i = 0; i < nb_active; i++) {
		while (__atomic_load_n(&c->proc[i].round_ack, __ATOMIC_ACQUIRE) != round) {
			if (rte_get_tsc_cycles() > deadline)
				return -ETIMEDOUT;
			rte_pause();
		}
	}
	return 0;
}

static int
vfbc_perf_pf_stream(const char *name, enum vfbc_perf_stream_mode mode, unsigned int nb_vfs,
		unsigned int nb_active, double seconds, struct vfbc_perf_stream_out *out)
{
	static uint64_t sent_or[VFBC_PERF_MAX_VFS];
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t masks[VFBC_PERF_NB_MASKS];
	uint64_t *seen_bits = &c->vf[0].bits;
	uint64_t round_cycles, budget, t, now;
	uint64_t seen = 0;
	uint64_t i = 0;
	uint64_t round = 0;
	struct vfbc_channel *ch;
	unsigned int vf = 0;
	int ret;

	ch = vfbc_perf_channel(name);
	if (ch == NULL)
		return -rte_errno;
	vfbc_perf_command_channel(name, nb_vfs);
	for (i = 0; i < VFBC_PERF_NB_MASKS; i++)
		masks[i] = vfbc_perf_mask(c->seed, i);
	memset(sent_or, 0, sizeof(sent_or));
	memset(out, 0, sizeof(*out));
	vfbc_perf_cmd_start(VFBC_PERF_CMD_INV_STREAM, nb_active);
	ret = vfbc_perf_wait_ready(nb_active);
	if (ret != 0)
		goto stop;

	round_cycles = rte_get_tsc_hz() * VFBC_PERF_ROUND_MS / 1000;
	budget = (uint64_t)(seconds * rte_get_tsc_hz());
	i = 0;
	while (out->busy_cycles < budget) {
		t = rte_rdtsc();
		do {
			uint64_t m;
			unsigned int k;

			for (k = 0; k < 256; k++, i++) {
				if (mode == VFBC_PERF_STREAM_KEEPUP) {
					/* A bit is reused only once the VF took it. */
					if (i - seen >= VFBC_PERF_KEEPUP_WINDOW) {
						ret = vfbc_perf_spin_below(seen_bits, i,
								VFBC_PERF_KEEPUP_WINDOW, &seen);
						if (ret != 0)
							goto stop;
					}
					m = UINT64_C(1) << (i & 63);
				} else {
					m = masks[i & (VFBC_PERF_NB_MASKS - 1)];
				}
				if (unlikely(vfbc_channel_invalidate(ch, vf, m) != 0)) {
					ret = -EIO;
					goto stop;
				}
				sent_or[vf] |= m;
				vfbc_perf_bits_sent += __builtin_popcountll(m);
				if (mode == VFBC_PERF_STREAM_MANY && ++vf == nb_vfs)
					vf = 0;
			}
			now = rte_rdtsc();
		} while (now - t < round_cycles);
		out->busy_cycles += now - t;
		ret = vfbc_perf_round_end(sent_or, nb_vfs, nb_active, ++round);
		if (ret != 0)
			goto stop;
	}
	out->calls = i;
stop:
	__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	return ret;
}

int
vfbc_perf_pf_inv_keepup(struct vfbc_perf_results *r, double seconds)
{
	struct vfbc_perf_stream_out out;
	uint64_t delivered;
	double s;
	int ret;

	ret = vfbc_perf_pf_stream(VFBC_PERF_CH_ONE, VFBC_PERF_STREAM_KEEPUP, 1, 1, seconds, &out);
	delivered = vfbc_perf_ctl->proc[0].bits_delivered;
	vfbc_perf_account(r);
	if (ret != 0)
		return ret;
	s = (double)out.busy_cycles / rte_get_tsc_hz();
	/* Distinct bits: each delivered bit is one invalidation, none merged. */
	if (delivered != out.calls)
		fprintf(stderr, "vfbc-perf: keep-up run delivered %" PRIu64 " of %" PRIu64
				" masks\n", delivered, out.calls);
	r->deliveries_per_s = (double)delivered / s;
	r->keepup_deliver_events_per_s = (double)vfbc_perf_ctl->vf[0].deliveries / s;
	return 0;
}

int
vfbc_perf_pf_inv_overload(struct vfbc_perf_results *r, double seconds)
{
	struct vfbc_perf_stream_out out;
	double s;
	int ret;

	ret = vfbc_perf_pf_stream(VFBC_PERF_CH_ONE, VFBC_PERF_STREAM_OVERLOAD, 1, 1, seconds,
			&out);
	vfbc_perf_account(r);
	if (ret != 0)
		return ret;
	s = (double)out.busy_cycles / rte_get_tsc_hz();
	r->invalidations_per_s = (double)out.calls / s;
	r->overload_deliveries_per_s = (double)vfbc_perf_ctl->vf[0].deliveries / s;
	r->inv_call_ns = s * 1e9 / (double)out.calls;
	return 0;
}

int
vfbc_perf_pf_inv_many(struct vfbc_perf_results *r, unsigned int nb_vfs, unsigned int nb_procs,
		double seconds, unsigned int slot)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_stream_out out;
	double sum = 0, sum2 = 0, lo = 0, hi = 0, x, s;
	uint64_t deliveries = 0;
	unsigned int v;
	int ret;

	ret = vfbc_perf_pf_stream(VFBC_PERF_CH_MANY, VFBC_PERF_STREAM_MANY, nb_vfs,
			RTE_MIN(nb_procs, nb_vfs), seconds, &out);
	if (ret == 0) {
		for (v = 0; v < nb_vfs; v++) {
			x = (double)c->vf[v].deliveries;
			deliveries += c->vf[v].deliveries;
			sum += x;
			sum2 += x * x;
			lo = v == 0 || x < lo ? x : lo;
			hi = v == 0 || x > hi ? x : hi;
		}
	}
	vfbc_perf_account(r);
	if (ret != 0)
		return ret;
	s = (double)out.busy_cycles / rte_get_tsc_hz();
	r->many_vfs[slot] = nb_vfs;
	r->many_inv_per_s[slot] = (double)out.calls / s;
	r->many_deliv_per_s[slot] = (double)deliveries / s;
	/* Jain's index: 1 when every VF got the same number of deliveries. */
	r->many_jain[slot] = sum2 > 0 ? sum * sum / (nb_vfs * sum2) : 0;
	r->many_min_max[slot] = hi > 0 ? lo / hi : 0;
	return 0;
}

/* Check the VFs of a finished round and acknowledge it. */
static void
vfbc_perf_vf_round(struct vfbc_perf_proc *me, struct vfbc_channel *ch, unsigned int index,
		unsigned int step, unsigned int nb_vfs, uint64_t *got, uint64_t round)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t d, sent;
	unsigned int v;

	for (v = index; v < nb_vfs; v += step) {
		while (vfbc_channel_poll_invalidations(ch, v, &d) == 1) {
			got[v] |= d;
			me->bits_delivered += __builtin_popcountll(d);
			c->vf[v].deliveries++;
		}
		sent = c->sent_or[v];
		me->bits_lost += __builtin_popcountll(sent & ~got[v]);
		me->phantom_bits += __builtin_popcountll(got[v] & ~sent);
		got[v] = 0;
	}
	__atomic_store_n(&me->round_ack, round, __ATOMIC_RELEASE);
}

int
vfbc_perf_vf_inv_stream(struct vfbc_perf_proc *me, unsigned int index)
{
	static uint64_t got[VFBC_PERF_MAX_VFS];
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int step = c->nb_active;
	unsigned int nb_vfs = c->nb_vfs;
	struct vfbc_channel *ch;
	uint64_t round = 0;
	uint64_t bits = 0;
	uint64_t seen, d;
	unsigned int v;
	int ret = 0;

	ch = vfbc_perf_channel(c->ch_name);
	if (ch == NULL)
		return -rte_errno;
	for (v = index; v < nb_vfs; v += step) {
		ret = vfbc_channel_claim(ch, v);
		if (ret < 0)
			goto release;
		got[v] = 0;
	}
	me->round_ack = 0;
	__atomic_fetch_add(&c->pong.v, 1, __ATOMIC_RELEASE);
	for (;;) {
		for (v = index; v < nb_vfs; v += step) {
			if (vfbc_channel_poll_invalidations(ch, v, &d) != 1)
				continue;
			got[v] |= d;
			me->bits_delivered += __builtin_popcountll(d);
			c->vf[v].deliveries++;
			if (v == 0) {
				/* Flow control of the keep-up run: like a ring's tail. */
				bits += __builtin_popcountll(d);
				__atomic_store_n(&c->vf[0].bits, bits, __ATOMIC_RELEASE);
			}
		}
		seen = __atomic_load_n(&c->round.v, __ATOMIC_ACQUIRE);
		if (seen != round) {
			round = seen;
			vfbc_perf_vf_round(me, ch, index, step, nb_vfs, got, round);
			continue;
		}
		if (__atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) != 0)
			break;
	}
release:
	/*
	 * Leave nothing pending for the next command; bits sent after the
	 * last round (an aborted run only) are not judged.
	 */
	for (v = index; v < nb_vfs; v += step) {
		while (vfbc_channel_poll_invalidations(ch, v, &d) == 1)
			;
		vfbc_channel_release(ch, v);
	}
	return ret < 0 ? ret : 0;
}

/*
 * The PF call alone, no consumer: after the first call the VF is no longer
 * armed and every call takes the coalescing path (locked OR, counter,
 * armed load).
 */
int
vfbc_perf_pf_inv_solo(struct vfbc_perf_results *r)
{
	const unsigned int n = 1u << 22;
	struct vfbc_channel *ch;
	uint64_t t;
	unsigned int i;

	ch = vfbc_channel_create("perf_solo", 1, SOCKET_ID_ANY);
	if (ch == NULL)
		return -rte_errno;
	t = rte_rdtsc();
	for (i = 0; i < n; i++)
		vfbc_channel_invalidate(ch, 0, UINT64_C(1) << (i & 63));
	t = rte_rdtsc() - t;
	r->inv_call_ns_solo = (double)t * 1e9 / rte_get_tsc_hz() / n;
	vfbc_channel_free(ch);
	return 0;
}
