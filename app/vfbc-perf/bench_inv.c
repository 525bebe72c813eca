/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc invalidations between the PF primary and VF consumers in secondary
 * processes, at two levels (struct vfbc_perf_target):
 *
 * - driver: vfbc_pf_invalidate_config_blocks() on the PF lcore,
 *   vfbc_vf_poll() on the VF PMD's port in the VF process (the figures
 *   users get);
 * - channel: vfbc_channel_invalidate() and
 *   vfbc_channel_poll_invalidations() on the benchmark's own channels,
 *   which shows what the drivers add.
 *
 * The runs:
 * - latency: one invalidate at a time, the VF acknowledges each delivery;
 *   run in chunks alternating with the cache-line baseline (main.c);
 * - keep-up throughput: single-bit masks, a different bit for each of up to
 *   VFBC_PERF_KEEPUP_WINDOW masks in flight, so that no mask is merged into
 *   another: every invalidation reaches the VF as its own bit;
 * - overload: the PF invalidates flat out, the VF takes what it can (the
 *   bits coalesce);
 * - solo: the PF invalidates while the VF does not poll (the coalescing
 *   path), then the VF takes the lot;
 * - many VFs: the PF invalidates VFs round robin, consumer processes poll
 *   their share of the VFs;
 * - fan-out: one bulk call over 256 VFs against 256 single calls, the
 *   consumers polling.
 *
 * Accounting (every run): the PF splits a streaming run into rounds. At the
 * end of a round it stops, publishes per VF the OR of the bits it sent in
 * the round, then the round number (release). A consumer that sees the
 * round (acquire) polls its VFs until they are empty: by the mailbox
 * contract every bit sent in the round must now have been delivered in the
 * round (else it is lost) and every bit delivered in the round must have
 * been sent in it (else it is a phantom). The latency run checks each
 * delivery against the one mask sent. An "all blocks" delivery (the resync
 * after a takeover of a dead consumer's claim) cannot happen in a clean
 * run: the channels count them (and takeovers), and any fails the run.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "perf.h"

#define VFBC_PERF_INV_WARMUP(n) RTE_MAX((n) / 10, 100u)
/* Distinct single-bit masks in flight in the "VF keeps up" throughput. */
#define VFBC_PERF_KEEPUP_WINDOW 32
/* Length of an accounting round of the streaming runs. */
#define VFBC_PERF_ROUND_MS 20
/* Masks precomputed for the streaming runs (power of two). */
#define VFBC_PERF_NB_MASKS 1024
/* Calls of the solo run. */
#define VFBC_PERF_SOLO_CALLS (1u << 20)

/* Bits the PF sent since the last vfbc_perf_account(). */
static uint64_t vfbc_perf_bits_sent;

static void
vfbc_perf_account(struct vfbc_perf_results *r, enum vfbc_perf_level level)
{
	struct vfbc_perf_acct *a = &r->lv[level].acct;
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int i;

	a->bits_sent += vfbc_perf_bits_sent;
	vfbc_perf_bits_sent = 0;
	for (i = 0; i < c->nb_procs; i++) {
		a->bits_delivered += c->proc[i].bits_delivered;
		a->bits_lost += c->proc[i].bits_lost;
		a->phantom_bits += c->proc[i].phantom_bits;
		c->proc[i].bits_delivered = 0;
		c->proc[i].bits_lost = 0;
		c->proc[i].phantom_bits = 0;
		c->proc[i].deliveries = 0;
	}
}

/* Bits a benchmark of another file sent, then the accounting of its run. */
void
vfbc_perf_account_sent(struct vfbc_perf_results *r, enum vfbc_perf_level level, uint64_t bits)
{
	vfbc_perf_bits_sent += bits;
	vfbc_perf_account(r, level);
}

static inline void
vfbc_perf_delivered(struct vfbc_perf_proc *me, uint64_t d)
{
	me->bits_delivered += __builtin_popcountll(d);
	me->deliveries++;
}

static const char *
vfbc_perf_level_channel(enum vfbc_perf_level level, const char *ch_name)
{
	return level == VFBC_PERF_DRIVER ? NULL : ch_name;
}

static void
vfbc_perf_command_target(enum vfbc_perf_level level, const char *name, unsigned int nb_vfs)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;

	c->level = level;
	snprintf(c->ch_name, sizeof(c->ch_name), "%s", name != NULL ? name : "");
	c->nb_vfs = nb_vfs;
	c->seed = rte_rdtsc();
}

/* VF side: the target of the current command; claims a channel-level VF. */
static int
vfbc_perf_vf_target(struct vfbc_perf_target *t, unsigned int first, unsigned int step)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int v;
	int ret;

	ret = vfbc_perf_target_get(t, c->level, c->ch_name);
	if (ret != 0 || t->level == VFBC_PERF_DRIVER)
		return ret;
	for (v = first; v < c->nb_vfs; v += step) {
		ret = vfbc_channel_claim(t->ch, v, -1);
		if (ret != 0) {
			while (v > first) {
				v -= step;
				vfbc_channel_release(t->ch, v);
			}
			return ret == 1 ? -EPROTO : ret;
		}
	}
	return 0;
}

/* Leave nothing pending for the next command; release channel-level VFs. */
static void
vfbc_perf_vf_untarget(const struct vfbc_perf_target *t, unsigned int first, unsigned int step)
{
	unsigned int v;
	uint64_t d;

	for (v = first; v < vfbc_perf_ctl->nb_vfs; v += step) {
		while (vfbc_perf_poll(t, v, &d) == 1)
			;
		if (t->level == VFBC_PERF_CHANNEL)
			vfbc_channel_release(t->ch, v);
	}
}

/* Wait until nb consumers are ready (each adds 1 to pong). */
static int
vfbc_perf_wait_ready(unsigned int nb)
{
	uint64_t deadline = vfbc_perf_peer_deadline();

	while (__atomic_load_n(&vfbc_perf_ctl->pong.v, __ATOMIC_ACQUIRE) < nb) {
		if (rte_get_tsc_cycles() > deadline)
			return vfbc_perf_peer_dead("VF consumers to get ready");
		rte_pause();
	}
	return 0;
}

/*
 * One chunk of n latency samples, stored at off in the level's arrays;
 * vfbc_perf_inv_latency_result() turns the pooled chunks into a figure.
 */
int
vfbc_perf_pf_inv_latency(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int n, unsigned int off)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int warm = VFBC_PERF_INV_WARMUP(n);
	uint64_t *t0 = vfbc_perf_samples[level == VFBC_PERF_DRIVER ? VFBC_PERF_A_DRV_T0 :
			VFBC_PERF_A_CH_T0] + off;
	struct vfbc_perf_target t;
	uint64_t start, m;
	unsigned int i;
	int ret;

	ret = vfbc_perf_target_get(&t, level, vfbc_perf_level_channel(level, VFBC_PERF_CH_ONE));
	if (ret != 0)
		return ret;
	vfbc_perf_command_target(level, vfbc_perf_level_channel(level, VFBC_PERF_CH_ONE), 1);
	c->nb_samples = n;
	c->sample_off = off;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_INV_LATENCY, 1);
	ret = vfbc_perf_wait_ready(1);
	for (i = 0; ret == 0 && i < warm + n; i++) {
		m = vfbc_perf_mask(c->seed, i);
		start = rte_rdtsc();
		ret = vfbc_perf_invalidate(&t, 0, m);
		if (ret != 0)
			break;
		/* Acknowledgements are i + 2: 1 said "ready". */
		ret = vfbc_perf_spin_eq(&c->pong.v, i + 2);
		if (ret != 0) {
			ret = vfbc_perf_peer_dead("the VF to take an invalidation");
			break;
		}
		vfbc_perf_bits_sent += __builtin_popcountll(m);
		if (i >= warm)
			t0[i - warm] = start;
	}
	if (ret != 0)
		__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	vfbc_perf_account(r, level);
	return ret;
}

void
vfbc_perf_inv_latency_result(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int n)
{
	int drv = level == VFBC_PERF_DRIVER;
	uint64_t *t0 = vfbc_perf_samples[drv ? VFBC_PERF_A_DRV_T0 : VFBC_PERF_A_CH_T0];
	uint64_t *t1 = vfbc_perf_samples[drv ? VFBC_PERF_A_DRV_T1 : VFBC_PERF_A_CH_T1];
	unsigned int i;

	for (i = 0; i < n; i++)
		t0[i] = (int64_t)(t1[i] - t0[i]) < 0 ? 0 : t1[i] - t0[i];
	vfbc_perf_dist_from_cycles(&r->lv[level].inv, t0, n, vfbc_perf_ctl->tsc_hz, 1);
}

int
vfbc_perf_vf_inv_latency(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int n = c->nb_samples;
	unsigned int warm = VFBC_PERF_INV_WARMUP(n);
	uint64_t *t1 = vfbc_perf_samples[c->level == VFBC_PERF_DRIVER ? VFBC_PERF_A_DRV_T1 :
			VFBC_PERF_A_CH_T1] + c->sample_off;
	struct vfbc_perf_target t;
	uint64_t d, m, ts;
	unsigned int i, k;
	uint64_t dl;
	int ret;

	ret = vfbc_perf_vf_target(&t, 0, 1);
	if (ret != 0)
		return ret;
	__atomic_store_n(&c->pong.v, 1, __ATOMIC_RELEASE);
	for (i = 0; i < warm + n; i++) {
		k = 0;
		dl = 0;
		while ((ret = vfbc_perf_poll(&t, 0, &d)) == 0) {
			if (vfbc_perf_spin_expired(&k, &dl)) {
				ret = vfbc_perf_peer_dead("the PF to invalidate");
				break;
			}
		}
		ts = rte_rdtsc();
		if (ret < 0)
			break;
		m = vfbc_perf_mask(c->seed, i);
		vfbc_perf_delivered(me, d);
		me->bits_lost += __builtin_popcountll(m & ~d);
		me->phantom_bits += __builtin_popcountll(d & ~m);
		__atomic_store_n(&c->pong.v, i + 2, __ATOMIC_RELEASE);
		if (i >= warm)
			t1[i - warm] = ts;
	}
	/* Nothing may arrive after the last mask. */
	if (ret >= 0 && vfbc_perf_poll(&t, 0, &d) == 1) {
		me->phantom_bits += __builtin_popcountll(d);
		vfbc_perf_delivered(me, d);
	}
	vfbc_perf_vf_untarget(&t, 0, 1);
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
	uint64_t deadline = vfbc_perf_peer_deadline();
	unsigned int i;

	memcpy(c->sent_or, sent_or, nb_vfs * sizeof(sent_or[0]));
	memset(sent_or, 0, nb_vfs * sizeof(sent_or[0]));
	__atomic_store_n(&c->round.v, round, __ATOMIC_RELEASE);
	for (i = 0; i < nb_active; i++) {
		while (__atomic_load_n(&c->proc[i].round_ack, __ATOMIC_ACQUIRE) != round) {
			if (rte_get_tsc_cycles() > deadline)
				return vfbc_perf_peer_dead("a VF process to check a round");
			rte_pause();
		}
	}
	return 0;
}

static int
vfbc_perf_pf_stream(enum vfbc_perf_level level, const char *name,
		enum vfbc_perf_stream_mode mode, unsigned int nb_vfs, unsigned int nb_active,
		double seconds, struct vfbc_perf_stream_out *out)
{
	static uint64_t sent_or[VFBC_PERF_MAX_VFS];
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t masks[VFBC_PERF_NB_MASKS];
	uint64_t *seen_bits = &c->vf[0].bits;
	uint64_t round_cycles, budget, t, now;
	struct vfbc_perf_target tg;
	uint64_t seen = 0;
	uint64_t i = 0;
	uint64_t round = 0;
	unsigned int vf = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	name = vfbc_perf_level_channel(level, name);
	ret = vfbc_perf_target_get(&tg, level, name);
	if (ret != 0)
		return ret;
	vfbc_perf_command_target(level, name, nb_vfs);
	for (i = 0; i < VFBC_PERF_NB_MASKS; i++)
		masks[i] = vfbc_perf_mask(c->seed, i);
	memset(sent_or, 0, sizeof(sent_or));
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
						if (ret != 0) {
							ret = vfbc_perf_peer_dead("the VF "
									"to take bits");
							goto stop;
						}
					}
					m = UINT64_C(1) << (i & 63);
				} else {
					m = masks[i & (VFBC_PERF_NB_MASKS - 1)];
				}
				if (unlikely(vfbc_perf_invalidate(&tg, vf, m) != 0)) {
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
vfbc_perf_pf_inv_keepup(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		double seconds)
{
	struct vfbc_perf_level_res *l = &r->lv[level];
	struct vfbc_perf_stream_out out;
	uint64_t delivered;
	double s;
	int ret;

	ret = vfbc_perf_pf_stream(level, VFBC_PERF_CH_ONE, VFBC_PERF_STREAM_KEEPUP, 1, 1,
			seconds, &out);
	delivered = vfbc_perf_ctl->proc[0].bits_delivered;
	vfbc_perf_account(r, level);
	if (ret != 0)
		return ret;
	s = (double)out.busy_cycles / rte_get_tsc_hz();
	/* Distinct bits: each delivered bit is one invalidation, none merged. */
	if (delivered != out.calls)
		fprintf(stderr, "vfbc-perf: keep-up run delivered %" PRIu64 " of %" PRIu64
				" masks\n", delivered, out.calls);
	l->deliveries_per_s = (double)delivered / s;
	l->keepup_deliver_events_per_s = (double)vfbc_perf_ctl->vf[0].deliveries / s;
	return 0;
}

int
vfbc_perf_pf_inv_overload(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		double seconds)
{
	struct vfbc_perf_level_res *l = &r->lv[level];
	struct vfbc_perf_stream_out out;
	double s;
	int ret;

	ret = vfbc_perf_pf_stream(level, VFBC_PERF_CH_ONE, VFBC_PERF_STREAM_OVERLOAD, 1, 1,
			seconds, &out);
	vfbc_perf_account(r, level);
	if (ret != 0)
		return ret;
	s = (double)out.busy_cycles / rte_get_tsc_hz();
	l->invalidations_per_s = (double)out.calls / s;
	l->overload_deliveries_per_s = (double)vfbc_perf_ctl->vf[0].deliveries / s;
	l->inv_call_ns = s * 1e9 / (double)out.calls;
	return 0;
}

int
vfbc_perf_pf_inv_many(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int nb_vfs, unsigned int nb_procs, double seconds, unsigned int slot)
{
	struct vfbc_perf_level_res *l = &r->lv[level];
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_stream_out out;
	double sum = 0, sum2 = 0, lo = 0, hi = 0, x, s;
	uint64_t deliveries = 0;
	unsigned int v, pmd = 0;
	int ret;

	ret = vfbc_perf_pf_stream(level, VFBC_PERF_CH_MANY, VFBC_PERF_STREAM_MANY, nb_vfs,
			RTE_MIN(nb_procs, nb_vfs), seconds, &out);
	if (ret == 0) {
		for (v = 0; v < nb_vfs; v++) {
			x = (double)c->vf[v].deliveries;
			deliveries += c->vf[v].deliveries;
			sum += x;
			sum2 += x * x;
			lo = v == 0 || x < lo ? x : lo;
			hi = v == 0 || x > hi ? x : hi;
			pmd += level == VFBC_PERF_DRIVER && c->vf_port[v] != VFBC_PERF_NO_PORT;
		}
	}
	vfbc_perf_account(r, level);
	if (ret != 0)
		return ret;
	s = (double)out.busy_cycles / rte_get_tsc_hz();
	l->many_vfs[slot] = nb_vfs;
	l->many_pmd_vfs[slot] = pmd;
	l->many_inv_per_s[slot] = (double)out.calls / s;
	l->many_deliv_per_s[slot] = (double)deliveries / s;
	/* Jain's index: 1 when every VF got the same number of deliveries. */
	l->many_jain[slot] = sum2 > 0 ? sum * sum / (nb_vfs * sum2) : 0;
	l->many_min_max[slot] = hi > 0 ? lo / hi : 0;
	return 0;
}

/*
 * A VF's delivery in a stream: count it, and for VF 0 publish the bits
 * taken, the flow control of the keep-up run (like a ring's consumer tail).
 * Every delivery counts, those of the round checks too: a bit taken there
 * and not counted would hold the PF back for good.
 */
static inline void
vfbc_perf_vf_took(struct vfbc_perf_proc *me, unsigned int v, uint64_t d)
{
	struct vfbc_perf_vf *vf = &vfbc_perf_ctl->vf[v];

	vfbc_perf_delivered(me, d);
	vf->deliveries++;
	if (v == 0)
		__atomic_store_n(&vf->bits, vf->bits + __builtin_popcountll(d),
				__ATOMIC_RELEASE);
}

/* Check the VFs of a finished round and acknowledge it. */
static void
vfbc_perf_vf_round(struct vfbc_perf_proc *me, const struct vfbc_perf_target *t,
		unsigned int index, unsigned int step, unsigned int nb_vfs, uint64_t *got,
		uint64_t round)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t d, sent;
	unsigned int v;

	for (v = index; v < nb_vfs; v += step) {
		while (vfbc_perf_poll(t, v, &d) == 1) {
			got[v] |= d;
			vfbc_perf_vf_took(me, v, d);
		}
		sent = c->sent_or[v];
		me->bits_lost += __builtin_popcountll(sent & ~got[v]);
		me->phantom_bits += __builtin_popcountll(got[v] & ~sent);
		got[v] = 0;
	}
	__atomic_store_n(&me->round_ack, round, __ATOMIC_RELEASE);
}

/*
 * The VF side of the rounds: with poll set, the stream's consumer, which
 * polls its VFs between rounds too; without, the fan-out's, which takes its
 * VFs dry at each round and touches nothing in between.
 */
static int
vfbc_perf_vf_rounds(struct vfbc_perf_proc *me, int poll)
{
	static uint64_t got[VFBC_PERF_MAX_VFS];
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int index = me - c->proc;
	unsigned int step = c->nb_active;
	unsigned int nb_vfs = c->nb_vfs;
	struct vfbc_perf_target t;
	uint64_t round = 0;
	uint64_t seen, d;
	unsigned int v;
	int ret;

	ret = vfbc_perf_vf_target(&t, index, step);
	if (ret != 0)
		return ret;
	for (v = index; v < nb_vfs; v += step)
		got[v] = 0;
	me->round_ack = 0;
	__atomic_fetch_add(&c->pong.v, 1, __ATOMIC_RELEASE);
	for (;;) {
		for (v = index; poll && v < nb_vfs; v += step) {
			if (vfbc_perf_poll(&t, v, &d) != 1)
				continue;
			got[v] |= d;
			vfbc_perf_vf_took(me, v, d);
		}
		seen = __atomic_load_n(&c->round.v, __ATOMIC_ACQUIRE);
		if (seen != round) {
			round = seen;
			vfbc_perf_vf_round(me, &t, index, step, nb_vfs, got, round);
			continue;
		}
		if (__atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) != 0)
			break;
		if (!poll)
			rte_pause();
	}
	/* Bits sent after the last round (an aborted run only) are not judged. */
	vfbc_perf_vf_untarget(&t, index, step);
	return 0;
}

int
vfbc_perf_vf_inv_stream(struct vfbc_perf_proc *me)
{
	return vfbc_perf_vf_rounds(me, 1);
}

int
vfbc_perf_vf_inv_fanout(struct vfbc_perf_proc *me)
{
	return vfbc_perf_vf_rounds(me, 0);
}

/*
 * The PF call while the VF does not poll: after the first call the VF is
 * no longer armed and every call takes the coalescing path (locked OR,
 * counter, armed load). Then the VF takes the lot, which must be exactly
 * the OR of what was sent.
 */
int
vfbc_perf_pf_inv_solo(struct vfbc_perf_results *r, enum vfbc_perf_level level)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	const char *name = vfbc_perf_level_channel(level, VFBC_PERF_CH_ONE);
	struct vfbc_perf_target t;
	uint64_t cyc, sent = 0;
	unsigned int i;
	int ret;

	ret = vfbc_perf_target_get(&t, level, name);
	if (ret != 0)
		return ret;
	vfbc_perf_command_target(level, name, 1);
	vfbc_perf_cmd_start(VFBC_PERF_CMD_INV_SOLO, 1);
	ret = vfbc_perf_wait_ready(1);
	cyc = rte_rdtsc();
	for (i = 0; ret == 0 && i < VFBC_PERF_SOLO_CALLS; i++)
		ret = vfbc_perf_invalidate(&t, 0, UINT64_C(1) << (i & 63));
	cyc = rte_rdtsc() - cyc;
	for (i = 0; i < RTE_MIN(VFBC_PERF_SOLO_CALLS, 64u); i++)
		sent |= UINT64_C(1) << i;
	vfbc_perf_bits_sent += VFBC_PERF_SOLO_CALLS;
	c->sent_or[0] = sent;
	__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	vfbc_perf_account(r, level);
	if (ret != 0)
		return ret;
	r->lv[level].inv_call_ns_solo = (double)cyc * 1e9 / rte_get_tsc_hz() /
		VFBC_PERF_SOLO_CALLS;
	/*
	 * The coalescing rate: calls accepted per second with nobody taking
	 * them, every call one more OR into the pending word (one delivery
	 * for the lot).
	 */
	r->lv[level].coalescing_per_s = (double)VFBC_PERF_SOLO_CALLS * rte_get_tsc_hz() /
		(double)cyc;
	return 0;
}

int
vfbc_perf_vf_inv_solo(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_target t;
	uint64_t got = 0, d;
	uint64_t deadline;
	int ret;

	ret = vfbc_perf_vf_target(&t, 0, 1);
	if (ret != 0)
		return ret;
	__atomic_store_n(&c->pong.v, 1, __ATOMIC_RELEASE);
	/* Idle: sleep, do not poll, until the PF is done. */
	deadline = vfbc_perf_peer_deadline() + 10 * rte_get_tsc_hz();
	while (__atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) == 0) {
		if (rte_get_tsc_cycles() > deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		rte_delay_us_sleep(100);
	}
	while (vfbc_perf_poll(&t, 0, &d) == 1) {
		got |= d;
		vfbc_perf_delivered(me, d);
	}
	me->bits_lost += __builtin_popcountll(c->sent_or[0] & ~got);
	me->phantom_bits += __builtin_popcountll(got & ~c->sent_or[0]);
	vfbc_perf_vf_untarget(&t, 0, 1);
	return ret;
}

/* The VF's poll when nothing is pending, the cost a busy VF loop pays. */
int
vfbc_perf_pf_poll_idle(struct vfbc_perf_results *r, enum vfbc_perf_level level)
{
	const char *name = vfbc_perf_level_channel(level, VFBC_PERF_CH_ONE);
	int ret;

	vfbc_perf_command_target(level, name, 1);
	vfbc_perf_cmd_start(VFBC_PERF_CMD_POLL_IDLE, 1);
	ret = vfbc_perf_cmd_wait(30);
	if (ret == 0)
		r->lv[level].poll_idle_ns = vfbc_perf_ctl->proc[0].poll_ns;
	return ret;
}

int
vfbc_perf_vf_poll_idle(struct vfbc_perf_proc *me)
{
	const unsigned int n = 1u << 20;
	struct vfbc_perf_target t;
	uint64_t cyc, d;
	unsigned int i;
	int ret = 0;

	ret = vfbc_perf_vf_target(&t, 0, 1);
	if (ret != 0)
		return ret;
	cyc = rte_rdtsc();
	for (i = 0; i < n && ret == 0; i++)
		ret = vfbc_perf_poll(&t, 0, &d);
	cyc = rte_rdtsc() - cyc;
	me->poll_ns = (double)cyc * 1e9 / rte_get_tsc_hz() / n;
	vfbc_perf_vf_untarget(&t, 0, 1);
	/* Nothing was sent: a delivery would be a phantom. */
	if (ret == 1)
		me->phantom_bits += __builtin_popcountll(d);
	return ret < 0 ? ret : 0;
}

/*
 * Fan-out: one bulk call over nb_vfs VFs against nb_vfs single calls, same
 * VFs, same masks, the two forms alternating (each goes first every other
 * repetition), each fan-out timed as a whole. After each, a round: the VF
 * processes take their VFs dry (re-arming them) and check that every VF
 * got exactly its mask; they touch nothing in between, so every fan-out
 * finds each VF's lines in the consumer's cache, where a consumer that
 * took the previous invalidation left them, and every VF armed.
 */
int
vfbc_perf_pf_inv_bulk(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int nb_vfs, unsigned int nb_procs, unsigned int reps)
{
	static uint64_t sent_or[VFBC_PERF_MAX_VFS], masks[VFBC_PERF_MAX_VFS];
	static uint16_t ids[VFBC_PERF_MAX_VFS];
	struct vfbc_perf_level_res *l = &r->lv[level];
	unsigned int nb_active = RTE_MIN(nb_procs, nb_vfs);
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	const char *name = vfbc_perf_level_channel(level, VFBC_PERF_CH_MANY);
	uint64_t *cyc[2], t, round = 0;
	struct vfbc_perf_target tg;
	unsigned int k, pass, v;
	int bulk, ret;

	ret = vfbc_perf_target_get(&tg, level, name);
	if (ret != 0)
		return ret;
	cyc[0] = calloc(reps, sizeof(uint64_t));
	cyc[1] = calloc(reps, sizeof(uint64_t));
	if (cyc[0] == NULL || cyc[1] == NULL) {
		free(cyc[0]);
		free(cyc[1]);
		return -ENOMEM;
	}
	vfbc_perf_command_target(level, name, nb_vfs);
	for (v = 0; v < nb_vfs; v++) {
		ids[v] = (uint16_t)v;
		masks[v] = vfbc_perf_mask(c->seed, v);
	}
	memset(sent_or, 0, sizeof(sent_or));
	vfbc_perf_cmd_start(VFBC_PERF_CMD_INV_FANOUT, nb_active);
	ret = vfbc_perf_wait_ready(nb_active);
	for (k = 0; ret == 0 && k < reps; k++) {
		for (pass = 0; ret == 0 && pass < 2; pass++) {
			bulk = (k + pass) & 1;
			t = rte_rdtsc_precise();
			if (bulk)
				ret = vfbc_perf_invalidate_bulk(&tg, ids, masks, nb_vfs);
			else
				for (v = 0; ret == 0 && v < nb_vfs; v++)
					ret = vfbc_perf_invalidate(&tg, (uint16_t)v, masks[v]);
			cyc[bulk][k] = rte_rdtsc_precise() - t;
			if (ret != 0) {
				ret = -EIO;
				break;
			}
			for (v = 0; v < nb_vfs; v++) {
				sent_or[v] = masks[v];
				vfbc_perf_bits_sent += __builtin_popcountll(masks[v]);
			}
			ret = vfbc_perf_round_end(sent_or, nb_vfs, nb_active, ++round);
		}
	}
	__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	vfbc_perf_account(r, level);
	if (ret == 0) {
		vfbc_perf_dist_from_cycles(&l->bulk, cyc[1], reps, rte_get_tsc_hz(), 1);
		vfbc_perf_dist_from_cycles(&l->singles, cyc[0], reps, rte_get_tsc_hz(), 1);
		l->bulk_vfs = nb_vfs;
	}
	free(cyc[0]);
	free(cyc[1]);
	return ret;
}

