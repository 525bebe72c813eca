/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Exact accounting of invalidations (see test_mp_account.h for the logs).
 *
 * The predicate, per VF. Calls c (mask, s, e) are the PF's invalidate calls
 * that returned 0; deliveries d (mask, s, e) are the VF's non-empty polls,
 * in poll order (they never overlap: one thread polls a VF), followed by
 * F, the empty poll that ended the final drain, started after every call
 * returned. A resync is a delivery of "all blocks" that a process of a
 * later generation made first after taking a dead consumer's claim over;
 * it counts as delivering every bit.
 *
 * P1 (delivered covers sent; nothing missing at the end). For every call c
 * and bit b of c.mask, let N(c) be the first delivery (or F) with
 * N(c).s > c.e. Some delivery d no later than N(c) with d.e > c.s contains
 * b. Read per delivery N, this is the "OR of bits sent since the
 * previous delivery is contained in the delivered": the bits of every call
 * completed before N began were delivered by N, or by an earlier delivery
 * that ended after the call began. Applied with N(c) = F, whose mask is 0,
 * it is "nothing missing at the end": every bit of every call was delivered
 * after the call began.
 *
 * P2 (no phantom bits). For every bit b, the non-resync deliveries of b,
 * d_1, d_2, ..., can be matched to distinct calls carrying b such that the
 * call matched to d_k has c.s < d_k.e and c.e > p_k.s, where p_k is the
 * delivery of b before d_k (resyncs included; none for d_1). A delivery of
 * b that no distinct call explains is a phantom bit.
 *
 * Why these are exact for the protocol (vfbc_lib.rst, "Invalidation
 * Protocol"), and why the stamps decide them: the clock, the OR into
 * pending and the poll's exchange are sequentially consistent, so they sit
 * in one total order that agrees with program order. A call's OR happens
 * between its stamps s and e, a poll's exchange between its stamps s and e.
 * P1: if c.e < N.s, c's OR precedes N's exchange, so b was taken by N's
 * exchange or by an earlier one that followed the OR (that delivery ended
 * after c.s). P2: the bit b of d_k was ORed after p_k's exchange and
 * before d_k's, each OR lands in exactly one such window, so each delivery
 * of b owns a distinct call in its window; a call lies in the windows of a
 * contiguous run of deliveries, so the greedy matching (earliest-ending
 * eligible call first) finds a matching whenever one exists. Neither
 * predicate can fail on a correct channel, and each catches what it
 * names: P1 a bit dropped by the VF or never delivered, P2 a bit delivered
 * with no invalidate behind it, or delivered twice for one invalidate.
 * mp_stress_autotest's self-check cases inject both faults and require
 * the checker to fail.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_memzone.h>
#include <rte_random.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define MPA_ALL		UINT64_MAX
#define MPA_SHOW_MAX	5

/* The logs sit at offsets from the header: every process maps it elsewhere. */
static void *
mpa_log(const struct mpa_shm *m, uint64_t off)
{
	return (void *)(uintptr_t)((const uint8_t *)m + off);
}

/* Take n records of a log at off of cap records of size bytes (*nb taken); NULL: full. */
static void *
mpa_log_take(struct mpa_shm *m, uint64_t *nb, uint64_t cap, uint64_t off, size_t size,
	     uint64_t n)
{
	uint64_t idx;

	idx = __atomic_fetch_add(nb, n, __ATOMIC_RELAXED);
	if (idx + n > cap)
		return NULL;
	return (uint8_t *)mpa_log(m, off) + idx * size;
}

struct mpa_deliv *
mpa_deliv_slot(struct mpa_shm *m)
{
	return mpa_log_take(m, &m->nb_delivs, m->delivs_cap, m->delivs_off,
			    sizeof(struct mpa_deliv), 1);
}

struct mpa_read *
mpa_read_slot(struct mpa_shm *m)
{
	return mpa_log_take(m, &m->nb_reads, m->reads_cap, m->reads_off,
			    sizeof(struct mpa_read), 1);
}

struct mpa_req *
mpa_req_slot(struct mpa_shm *m)
{
	return mpa_log_take(m, &m->nb_reqs, m->reqs_cap, m->reqs_off, sizeof(struct mpa_req), 1);
}

int
mpa_log_overflowed(const char *what, uint64_t nb, uint64_t cap, struct mpa_result *r)
{
	if (nb <= cap)
		return 0;
	printf("the %s log overflowed (%" PRIu64 "/%" PRIu64 ")\n", what, nb, cap);
	r->bad_records++;
	return 1;
}

struct mpa_call *
mpa_calls(const struct mpa_shm *m)
{
	return mpa_log(m, m->calls_off);
}

struct mpa_deliv *
mpa_delivs(const struct mpa_shm *m)
{
	return mpa_log(m, m->delivs_off);
}

struct mpa_read *
mpa_reads(const struct mpa_shm *m)
{
	return mpa_log(m, m->reads_off);
}

struct mpa_req *
mpa_reqs(const struct mpa_shm *m)
{
	return mpa_log(m, m->reqs_off);
}

int
mpa_fault_parse(const char *name)
{
	static const char * const names[] = {
		[MPA_FAULT_NONE] = "none", [MPA_FAULT_DROP] = "drop",
		[MPA_FAULT_PHANTOM] = "phantom", [MPA_FAULT_TORN] = "torn",
		[MPA_FAULT_DOUBLE] = "double",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

void
mpa_reset_logs(struct mpa_shm *m)
{
	memset(m->agent_delivs, 0, sizeof(m->agent_delivs));
	memset(m->vf, 0, sizeof(m->vf));
	memset(mpa_calls(m), 0, m->calls_cap * sizeof(struct mpa_call));
	memset(mpa_delivs(m), 0, m->delivs_cap * sizeof(struct mpa_deliv));
	memset(mpa_reads(m), 0, m->reads_cap * sizeof(struct mpa_read));
	memset(mpa_reqs(m), 0, m->reqs_cap * sizeof(struct mpa_req));
	m->nb_calls = 0;
	m->nb_delivs = 0;
	m->nb_reads = 0;
	m->nb_reqs = 0;
	m->stop = 0;
	/* Clocks restart at 0 and stamps at 1: a stamp of 0 was never taken. */
}

void
mpa_reset(struct mpa_shm *m)
{
	memset(m->mode, 0, sizeof(m->mode));
	memset(m->mode_seq, 0, sizeof(m->mode_seq));
	memset(m->mode_ack, 0, sizeof(m->mode_ack));
	mpa_reset_logs(m);
}

struct mpa_shm *
mpa_create(uint32_t nb_vfs, uint64_t calls_cap, uint64_t delivs_cap, uint64_t reads_cap,
	   uint64_t reqs_cap)
{
	const struct rte_memzone *mz;
	struct mpa_shm *m;
	uint64_t calls_off, delivs_off, reads_off, reqs_off, size;

	if (nb_vfs == 0 || nb_vfs > MPA_MAX_VFS)
		return NULL;
	calls_off = RTE_ALIGN_CEIL(sizeof(struct mpa_shm), RTE_CACHE_LINE_SIZE);
	delivs_off = RTE_ALIGN_CEIL(calls_off + calls_cap * sizeof(struct mpa_call),
				    RTE_CACHE_LINE_SIZE);
	reads_off = RTE_ALIGN_CEIL(delivs_off + delivs_cap * sizeof(struct mpa_deliv),
				   RTE_CACHE_LINE_SIZE);
	reqs_off = RTE_ALIGN_CEIL(reads_off + reads_cap * sizeof(struct mpa_read),
				  RTE_CACHE_LINE_SIZE);
	size = reqs_off + reqs_cap * sizeof(struct mpa_req);
	mz = rte_memzone_lookup(MPA_MZ_NAME);
	if (mz != NULL && mz->len < size) {
		printf("%s exists with %zu bytes, %" PRIu64 " wanted\n", MPA_MZ_NAME, mz->len,
		       size);
		return NULL;
	}
	if (mz == NULL)
		mz = rte_memzone_reserve(MPA_MZ_NAME, size, SOCKET_ID_ANY, 0);
	if (mz == NULL) {
		printf("cannot reserve %" PRIu64 " bytes for %s\n", size, MPA_MZ_NAME);
		return NULL;
	}
	m = mz->addr;
	memset(m, 0, sizeof(*m));
	m->nb_vfs = nb_vfs;
	m->calls_cap = calls_cap;
	m->delivs_cap = delivs_cap;
	m->calls_off = calls_off;
	m->delivs_off = delivs_off;
	m->reads_cap = reads_cap;
	m->reqs_cap = reqs_cap;
	m->reads_off = reads_off;
	m->reqs_off = reqs_off;
	mpa_reset(m);
	return m;
}

static struct mpa_call *
mpa_call_slot(struct mpa_shm *m, uint64_t n)
{
	return mpa_log_take(m, &m->nb_calls, m->calls_cap, m->calls_off, sizeof(struct mpa_call),
			    n);
}

static int
mpa_invalidate_rec(struct mpa_shm *m, uint16_t pf_port, uint16_t vf, uint64_t mask,
		   uint8_t blk, uint32_t gen)
{
	struct mpa_call *c;
	int ret;

	c = mpa_call_slot(m, 1);
	if (c == NULL)
		return -ENOSPC;
	c->vf = vf;
	c->mask = mask;
	c->blk = blk;
	c->gen = gen;
	c->s = __atomic_add_fetch(&m->vf[vf].clock, 1, __ATOMIC_SEQ_CST);
	ret = vfbc_pf_invalidate_config_blocks(pf_port, vf, mask);
	c->e = __atomic_add_fetch(&m->vf[vf].clock, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->done, ret == 0 ? 1 : 2, __ATOMIC_RELEASE);
	return ret;
}

int
mpa_invalidate(struct mpa_shm *m, uint16_t pf_port, uint16_t vf, uint64_t mask)
{
	return mpa_invalidate_rec(m, pf_port, vf, mask, MPA_BLK_NONE, 0);
}

int
mpa_invalidate_blk(struct mpa_shm *m, uint16_t pf_port, uint16_t vf, uint8_t blk,
		   uint32_t gen)
{
	return mpa_invalidate_rec(m, pf_port, vf, UINT64_C(1) << blk, blk, gen);
}

/*
 * One call that invalidates n VFs: VF vf_ids[i] with masks[i], or, with
 * vf_ids NULL, the all-VFs form (VFs 0..n-1, mask). Each VF's record is
 * stamped as for a single call: the call ORs into each VF between that
 * VF's two stamps (a VF listed twice has two records around the same call).
 */
static int
mpa_invalidate_many(struct mpa_shm *m, uint16_t pf_port, const uint16_t *vf_ids,
		    const uint64_t *masks, uint64_t mask, uint32_t n)
{
	struct mpa_call *c;
	uint32_t i;
	int ret;

	c = mpa_call_slot(m, n);
	if (c == NULL)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		c[i].vf = vf_ids != NULL ? vf_ids[i] : (uint16_t)i;
		c[i].mask = vf_ids != NULL ? masks[i] : mask;
		c[i].blk = MPA_BLK_NONE;
		c[i].s = __atomic_add_fetch(&m->vf[c[i].vf].clock, 1, __ATOMIC_SEQ_CST);
	}
	if (vf_ids != NULL)
		ret = vfbc_pf_invalidate_config_blocks_bulk(pf_port, vf_ids, masks, (uint16_t)n);
	else
		ret = vfbc_pf_invalidate_config_blocks(pf_port, VFBC_PF_VF_ALL, mask);
	for (i = 0; i < n; i++) {
		c[i].e = __atomic_add_fetch(&m->vf[c[i].vf].clock, 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&c[i].done, ret == 0 ? 1 : 2, __ATOMIC_RELEASE);
	}
	return ret;
}

int
mpa_invalidate_all(struct mpa_shm *m, uint16_t pf_port, uint64_t mask)
{
	return mpa_invalidate_many(m, pf_port, NULL, NULL, mask, m->nb_vfs);
}

int
mpa_invalidate_bulk(struct mpa_shm *m, uint16_t pf_port, const uint16_t *vf_ids,
		    const uint64_t *masks, uint16_t n)
{
	if (n == 0 || vf_ids == NULL || masks == NULL)
		return -EINVAL;
	return mpa_invalidate_many(m, pf_port, vf_ids, masks, 0, n);
}

int
mpa_invalidate_bulk_random(struct mpa_shm *m, uint16_t pf_port, uint16_t nb_vfs, uint16_t most)
{
	uint16_t ids[MPA_BULK_MAX];
	uint64_t masks[MPA_BULK_MAX];
	uint16_t i, n;
	int ret;

	if (most == 0 || most > MPA_BULK_MAX || nb_vfs == 0)
		return -EINVAL;
	n = (uint16_t)(1 + rte_rand_max(most));
	for (i = 0; i < n; i++) {
		ids[i] = (uint16_t)rte_rand_max(nb_vfs);
		masks[i] = mpa_random_mask();
	}
	ret = mpa_invalidate_bulk(m, pf_port, ids, masks, n);
	return ret < 0 ? ret : n;
}

uint64_t
mpa_random_mask(void)
{
	uint64_t m;

	switch (rte_rand() & 7) {
	case 0:
	case 1:
		m = UINT64_C(1) << (rte_rand() & 63);
		break;
	case 2:
		m = MPA_ALL;
		break;
	case 3:
	case 4:
		m = rte_rand();
		break;
	case 5:
	case 6:
		m = rte_rand() & rte_rand() & rte_rand();
		break;
	default:
		m = (UINT64_C(1) << (rte_rand() & 63)) | (UINT64_C(1) << (rte_rand() & 63));
		break;
	}
	return m != 0 ? m : 1;
}

uint32_t
mpa_mode_store(struct mpa_shm *m, unsigned int agent, uint32_t mode)
{
	uint32_t seq;

	__atomic_store_n(&m->mode[agent], mode, __ATOMIC_RELAXED);
	seq = m->mode_seq[agent] + 1;
	__atomic_store_n(&m->mode_seq[agent], seq, __ATOMIC_RELEASE);
	return seq;
}

int
mpa_mode_wait(struct mpa_shm *m, unsigned int agent, uint32_t seq, unsigned int timeout_ms)
{
	uint64_t deadline;

	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;
	while (__atomic_load_n(&m->mode_ack[agent], __ATOMIC_ACQUIRE) != seq) {
		if (rte_get_timer_cycles() > deadline)
			return -ETIMEDOUT;
		usleep(500);
	}
	return 0;
}

int
mpa_set_mode(struct mpa_shm *m, unsigned int agent, uint32_t mode, unsigned int timeout_ms)
{
	if (agent >= MPA_MAX_AGENTS)
		return -EINVAL;
	return mpa_mode_wait(m, agent, mpa_mode_store(m, agent, mode), timeout_ms);
}

/* ---- the checker ---- */

static int
mpa_cmp_deliv(const void *a, const void *b)
{
	const struct mpa_deliv *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

static int
mpa_cmp_call(const void *a, const void *b)
{
	const struct mpa_call *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

/* A min-heap of call end stamps: the eligible calls of one bit. */
struct mpa_heap {
	uint64_t *v;
	size_t n;
};

static void
mpa_heap_push(struct mpa_heap *h, uint64_t x)
{
	size_t i = h->n++;
	uint64_t t;

	h->v[i] = x;
	while (i > 0 && h->v[(i - 1) / 2] > h->v[i]) {
		t = h->v[i];
		h->v[i] = h->v[(i - 1) / 2];
		h->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void
mpa_heap_pop(struct mpa_heap *h)
{
	size_t i = 0, l, s;
	uint64_t t;

	h->v[0] = h->v[--h->n];
	for (;;) {
		l = 2 * i + 1;
		s = i;
		if (l < h->n && h->v[l] < h->v[s])
			s = l;
		if (l + 1 < h->n && h->v[l + 1] < h->v[s])
			s = l + 1;
		if (s == i)
			break;
		t = h->v[i];
		h->v[i] = h->v[s];
		h->v[s] = t;
		i = s;
	}
}

/*
 * Is delivery d the resync of a takeover, or of a claim the PF revoked and
 * the agent took again (when resyncs are expected)?
 */
static int
mpa_is_resync(const struct mpa_deliv *d, int resync_ok)
{
	return resync_ok && (((d->flags & MPA_D_FIRST) && d->gen > 0) ||
			     (d->flags & MPA_D_RESYNC));
}

static int
mpa_has(const struct mpa_deliv *d, unsigned int b, int resync_ok)
{
	return mpa_is_resync(d, resync_ok) || (d->mask >> b & 1);
}

/* P1 and P2 for one VF; calls sorted by s, delivs by s. */
static void
mpa_check_vf(uint32_t vf, struct mpa_call *calls, size_t nc, struct mpa_deliv *ds, size_t nd,
	     int resync_ok, struct mpa_result *r, unsigned int *shown, uint64_t *heapbuf,
	     size_t *next, long *lastb)
{
	struct mpa_heap h = { .v = heapbuf, .n = 0 };
	size_t i, k, lo, hi, ci;
	uint64_t prev_s;
	unsigned int b;
	long last;
	int has_prev;

	/* N(c): the first delivery (or F) that began after c returned. */
	for (i = 0; i < nc; i++) {
		lo = 0;
		hi = nd;
		while (lo < hi) {
			k = (lo + hi) / 2;
			if (ds[k].s > calls[i].e)
				hi = k;
			else
				lo = k + 1;
		}
		next[i] = lo;	/* nd: no delivery after it, not even F */
	}

	for (b = 0; b < 64; b++) {
		/* P1: lastb[k], the last delivery of b up to k, decides each call. */
		last = -1;
		for (k = 0; k < nd; k++) {
			if (mpa_has(&ds[k], b, resync_ok))
				last = (long)k;
			lastb[k] = last;
		}
		for (i = 0; i < nc; i++) {
			if (!(calls[i].mask >> b & 1))
				continue;
			if (next[i] == nd) {
				r->lost++;
				if ((*shown)++ < MPA_SHOW_MAX)
					printf("VF %u bit %u: call s=%" PRIu64 " e=%" PRIu64
					       " has no delivery nor final poll after it\n",
					       vf, b, calls[i].s, calls[i].e);
				continue;
			}
			last = lastb[next[i]];
			if (last < 0 || ds[last].e <= calls[i].s) {
				r->lost++;
				if ((*shown)++ < MPA_SHOW_MAX)
					printf("VF %u bit %u: lost: call s=%" PRIu64 " e=%" PRIu64
					       " 0x%" PRIx64 ", delivery #%zu (s=%" PRIu64
					       ") began after it without the bit\n", vf, b,
					       calls[i].s, calls[i].e, calls[i].mask, next[i],
					       ds[next[i]].s);
			}
		}

		/* P2: greedy matching of deliveries of b to calls of b. */
		h.n = 0;
		ci = 0;
		has_prev = 0;
		prev_s = 0;
		for (k = 0; k < nd; k++) {
			if (!mpa_has(&ds[k], b, resync_ok))
				continue;
			while (ci < nc && calls[ci].s < ds[k].e) {
				if (calls[ci].mask >> b & 1)
					mpa_heap_push(&h, calls[ci].e);
				ci++;
			}
			if (!mpa_is_resync(&ds[k], resync_ok)) {
				while (has_prev && h.n > 0 && h.v[0] <= prev_s)
					mpa_heap_pop(&h);
				if (h.n == 0) {
					r->phantom++;
					if ((*shown)++ < MPA_SHOW_MAX)
						printf("VF %u bit %u: phantom: delivery #%zu s=%"
						       PRIu64 " e=%" PRIu64 " 0x%" PRIx64
						       " has no invalidate behind it\n", vf, b,
						       k, ds[k].s, ds[k].e, ds[k].mask);
				} else {
					mpa_heap_pop(&h);
				}
			}
			has_prev = 1;
			prev_s = ds[k].s;
		}
	}
}

int
mpa_check(const struct mpa_shm *m, int resync_ok, struct mpa_result *r)
{
	uint64_t nc_all = RTE_MIN(m->nb_calls, m->calls_cap);
	uint64_t nd_all = RTE_MIN(m->nb_delivs, m->delivs_cap);
	const struct mpa_call *ca;
	const struct mpa_deliv *da;
	size_t cnt_c[MPA_MAX_VFS] = { 0 }, cnt_d[MPA_MAX_VFS] = { 0 };
	size_t off_c[MPA_MAX_VFS], off_d[MPA_MAX_VFS], fill_c[MPA_MAX_VFS], fill_d[MPA_MAX_VFS];
	struct mpa_call *calls = NULL;
	struct mpa_deliv *ds = NULL;
	uint64_t *heap = NULL;
	size_t *next = NULL;
	long *lastb = NULL;
	unsigned int shown = 0;
	size_t i, k, max_c = 0, max_d = 0, tc = 0, td = 0;
	uint32_t vf;
	int finals, ret = -1;

	memset(r, 0, sizeof(*r));
	ca = mpa_calls(m);
	da = mpa_delivs(m);
	/* A full call log refuses the call (-ENOSPC): only deliveries can go unlogged. */
	mpa_log_overflowed("delivery", m->nb_delivs, m->delivs_cap, r);
	for (i = 0; i < nc_all; i++)
		if (ca[i].done == 1 && ca[i].vf < m->nb_vfs)
			cnt_c[ca[i].vf]++;
	for (i = 0; i < nd_all; i++)
		if (da[i].valid == 1 && da[i].vf < m->nb_vfs)
			cnt_d[da[i].vf]++;
	for (vf = 0; vf < m->nb_vfs; vf++) {
		off_c[vf] = fill_c[vf] = tc;
		off_d[vf] = fill_d[vf] = td;
		tc += cnt_c[vf];
		td += cnt_d[vf];
		max_c = RTE_MAX(max_c, cnt_c[vf]);
		max_d = RTE_MAX(max_d, cnt_d[vf]);
	}
	calls = malloc((tc + 1) * sizeof(*calls));
	ds = malloc((td + 1) * sizeof(*ds));
	heap = malloc((max_c + 1) * sizeof(*heap));
	next = malloc((max_c + 1) * sizeof(*next));
	lastb = malloc((max_d + 1) * sizeof(*lastb));
	if (calls == NULL || ds == NULL || heap == NULL || next == NULL || lastb == NULL) {
		printf("checker: out of memory\n");
		goto out;
	}
	for (i = 0; i < nc_all; i++)
		if (ca[i].done == 1 && ca[i].vf < m->nb_vfs)
			calls[fill_c[ca[i].vf]++] = ca[i];
	for (i = 0; i < nd_all; i++)
		if (da[i].valid == 1 && da[i].vf < m->nb_vfs)
			ds[fill_d[da[i].vf]++] = da[i];

	for (vf = 0; vf < m->nb_vfs; vf++) {
		struct mpa_call *vc = calls + off_c[vf];
		struct mpa_deliv *vd = ds + off_d[vf];
		size_t nc = cnt_c[vf], nd = cnt_d[vf];

		/* A VF nobody invalidated nor consumed is not part of the run. */
		if (nc == 0 && nd == 0)
			continue;
		qsort(vc, nc, sizeof(*vc), mpa_cmp_call);
		qsort(vd, nd, sizeof(*vd), mpa_cmp_deliv);
		finals = 0;
		for (i = 0; i < nc; i++) {
			if (vc[i].s == 0 || vc[i].e <= vc[i].s)
				r->bad_records++;
			r->calls++;
			r->bits_sent += (uint64_t)__builtin_popcountll(vc[i].mask);
		}
		for (k = 0; k < nd; k++) {
			if (vd[k].s == 0 || vd[k].e <= vd[k].s ||
					(k > 0 && vd[k].s <= vd[k - 1].e)) {
				r->bad_records++;
				if (shown++ < MPA_SHOW_MAX)
					printf("VF %u: delivery #%zu stamps %" PRIu64 "..%" PRIu64
					       " overlap or are out of order\n", vf, k, vd[k].s,
					       vd[k].e);
			}
			if (vd[k].flags & MPA_D_FINAL) {
				finals++;
				if (k + 1 != nd)
					r->bad_records++;
				continue;
			}
			if (mpa_is_resync(&vd[k], resync_ok)) {
				r->resyncs++;
				if (vd[k].mask != MPA_ALL) {
					r->lost++;
					if (shown++ < MPA_SHOW_MAX)
						printf("VF %u: takeover, then 0x%" PRIx64
						       ", not every block\n", vf, vd[k].mask);
				}
			}
			r->delivs++;
			r->bits_delivered += (uint64_t)__builtin_popcountll(vd[k].mask);
		}
		if (finals != 1) {
			r->bad_records++;
			if (shown++ < MPA_SHOW_MAX)
				printf("VF %u: %d final polls recorded, want 1\n", vf, finals);
		}
		mpa_check_vf(vf, vc, nc, vd, nd, resync_ok, r, &shown, heap, next, lastb);
	}
	ret = (r->lost == 0 && r->phantom == 0 && r->bad_records == 0) ? 0 : -1;
	if (mpa_check_data(m, r) < 0)
		ret = -1;
out:
	free(calls);
	free(ds);
	free(heap);
	free(next);
	free(lastb);
	return ret;
}

void
mpa_print(const char *what, const struct mpa_result *r)
{
	printf("%s: calls %" PRIu64 " (bits %" PRIu64 "), deliveries %" PRIu64 " (bits %"
	       PRIu64 "), coalescing %.2f calls/delivery, resyncs %" PRIu64 ", lost %" PRIu64
	       ", phantom %" PRIu64 ", bad records %" PRIu64 "\n", what, r->calls, r->bits_sent,
	       r->delivs, r->bits_delivered,
	       r->delivs != 0 ? (double)r->calls / (double)r->delivs : 0.0, r->resyncs,
	       r->lost, r->phantom, r->bad_records);
	if (r->reads == 0 && r->reqs[MPA_OP_CFG_READ] == 0)
		return;
	printf("%s: block reads %" PRIu64 " (torn %" PRIu64 ", stale %" PRIu64 ", failed %"
	       PRIu64 ", retried after -EAGAIN %" PRIu64 ", -EPERM in disable windows %" PRIu64
	       "); requests: block writes %" PRIu64
	       ", config reads %" PRIu64
	       ", config writes %" PRIu64 " allowed + %" PRIu64 " denied; answered as "
	       "expected %" PRIu64 ", -ENXIO or -EPERM (claim revoked) %" PRIu64
	       ", -ETIMEDOUT %" PRIu64
	       " (in disable windows), cut by kills %" PRIu64 ", bad outcome %" PRIu64
	       ", answered twice %" PRIu64 ", wrong data %" PRIu64 "\n", what, r->reads,
	       r->torn, r->stale, r->read_errors, r->read_again, r->read_revoked,
	       r->reqs[MPA_OP_BLOCK_WRITE],
	       r->reqs[MPA_OP_CFG_READ], r->reqs[MPA_OP_CFG_WRITE], r->reqs[MPA_OP_CFG_DENIED],
	       r->req_ok, r->req_enxio, r->req_timeout, r->req_killed, r->req_bad,
	       r->req_double, r->req_mismatch);
}

void
mpa_result_add(struct mpa_result *sum, const struct mpa_result *r)
{
	const uint64_t *a = (const uint64_t *)r;
	uint64_t *b = (uint64_t *)sum;
	size_t i;

	/* Every member is a uint64_t count. */
	RTE_BUILD_BUG_ON(sizeof(*r) % sizeof(uint64_t) != 0);
	for (i = 0; i < sizeof(*r) / sizeof(uint64_t); i++)
		b[i] += a[i];
}

void
mpa_totals(const struct mpa_shm *m, int resync_ok, struct mpa_vf_totals *t)
{
	uint64_t nc = RTE_MIN(m->nb_calls, m->calls_cap);
	uint64_t nd = RTE_MIN(m->nb_delivs, m->delivs_cap);
	const struct mpa_call *c;
	const struct mpa_deliv *d;
	uint64_t i;

	c = mpa_calls(m);
	d = mpa_delivs(m);
	memset(t, 0, m->nb_vfs * sizeof(*t));
	for (i = 0; i < nc; i++)
		if (c[i].done == 1 && c[i].vf < m->nb_vfs)
			t[c[i].vf].calls++;
	for (i = 0; i < nd; i++) {
		if (d[i].vf >= m->nb_vfs || d[i].valid != 1 || (d[i].flags & MPA_D_FINAL))
			continue;
		t[d[i].vf].delivs++;
		t[d[i].vf].resyncs += mpa_is_resync(&d[i], resync_ok);
	}
	mpa_totals_data(m, t);
}

/* ---- the world ---- */

int
mpa_world_start(struct mpa_world *w, unsigned int mem_mb, const char *extra_eal)
{
	struct rte_pci_addr addr;
	uint16_t port;
	int n, i, ret;

	memset(w, 0, sizeof(*w));
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	ret = vfbc_test_eal_init("-m %u %s", mem_mb, extra_eal != NULL ? extra_eal : "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &w->pf_port),
			    "PF %s has no port", MP_PF_NAME);
	n = vfbc_pf_vf_count(w->pf_port);
	TEST_ASSERT(n > 0 && n <= MPA_MAX_VFS, "PF has %d VFs (want 1..%d)", n, MPA_MAX_VFS);
	w->nb_vfs = (uint16_t)n;
	for (i = 0; i < n; i++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(w->pf_port, i, &addr),
				    "no location for VF %d", i);
		rte_pci_device_name(&addr, w->vf_name[i], sizeof(w->vf_name[i]));
		w->has_port[i] = rte_eth_dev_get_port_by_name(w->vf_name[i], &port) == 0;
		w->nb_ports += w->has_port[i];
	}
	printf("world: %u VFs, %u of them with a net_vfbc_vf port (RTE_MAX_ETHPORTS %u)\n",
	       w->nb_vfs, w->nb_ports, RTE_MAX_ETHPORTS);
	return TEST_SUCCESS;
}

int
mpa_agent_eal_args(const struct mpa_world *w, unsigned int first, unsigned int n,
		   unsigned int lcore, unsigned int cpu, char *buf, size_t size, char *lib_env,
		   size_t lib_size)
{
	unsigned int i, nb_pmd = 0;
	size_t len;
	int l;

	if (first + n > w->nb_vfs || n == 0)
		return -EINVAL;
	l = snprintf(buf, size, "--lcores %u@%u", lcore, cpu);
	if (l < 0 || (size_t)l >= size)
		return -ENOSPC;
	len = (size_t)l;
	for (i = first; i < first + n && w->has_port[i]; i++, nb_pmd++) {
		l = snprintf(buf + len, size - len, " -a%s", w->vf_name[i]);
		if (l < 0 || (size_t)l >= size - len)
			return -ENOSPC;
		len += (size_t)l;
	}
	/* Without -a a secondary would probe, and claim, every VF. */
	if (nb_pmd == 0 && snprintf(buf + len, size - len, " --no-pci") >= (int)(size - len))
		return -ENOSPC;
	lib_env[0] = '\0';
	if (nb_pmd < n)
		snprintf(lib_env, lib_size, "MPA_LIB_VFS=%u-%u", first + nb_pmd, first + n - 1);
	for (; i < first + n; i++)
		if (w->has_port[i])
			return -ENOTSUP;	/* ports are expected for a prefix of the VFs */
	return 0;
}
