/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The soak's logs beside the invalidation logs (see test_mp_account.h):
 * self-describing block data, block reads and VF requests, and their
 * predicates.
 *
 * Reads. The PF writes each data block under a lock of its own, with a
 * generation that only grows, then invalidates it (a call logged with that
 * block and generation). An agent reads a block after each delivery of its
 * bit and logs the generation with the s stamp of that delivery. A read is
 * torn if the data does not describe itself (magic, VF, block, length,
 * payload and checksum). It is stale if it returns an older generation
 * than a call of that block that ended before the delivery began (c.e <
 * d.s: the call's OR came before the delivery's exchange, so the bit was
 * taken by that delivery or an earlier one, each followed by this very
 * program order: the write must be visible), or than an earlier read of the
 * same block (one consumer at a time, generations only grow).
 *
 * Requests. An agent logs each request before it makes it and completes
 * the record when the call returns: the operation, the status, how many
 * answers it took (1 for an answer, 0 for a time-out; through the
 * library, an answer to a request that had timed out is counted late on
 * that request), and whether a disable window of the PF overlapped it
 * (mpa_shm.disrupt changed or was odd). Every operation has one expected
 * answer (0, or -EPERM for the write the policy denies); -ENXIO,
 * -ETIMEDOUT and a -EPERM that posted nothing (the PF revoked the claim of
 * the disabled VF) are allowed in a disable window only; an unfinished record
 * only of a process that was killed; two answers never.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_mp_account.h"

#define MPA_SHOW_MAX	5

/* FNV-1a: any torn mix of two versions changes it. */
static uint32_t
mpa_blk_sum(const uint8_t *b, uint32_t n)
{
	uint32_t h = 2166136261u;
	uint32_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static uint8_t
mpa_blk_byte(uint32_t gen, uint32_t i)
{
	return (uint8_t)(gen * 131 + i * 7 + (gen >> 8));
}

void
mpa_blk_fill(uint8_t *buf, uint32_t len, uint16_t vf, uint8_t blk, uint8_t writer,
	     uint32_t gen)
{
	struct mpa_blk_hdr h;
	uint32_t i, sum;

	memset(&h, 0, sizeof(h));
	h.magic = MPA_BLK_MAGIC;
	h.gen = gen;
	h.vf = vf;
	h.blk = blk;
	h.writer = writer;
	h.len = (uint8_t)len;
	memcpy(buf, &h, sizeof(h));
	for (i = sizeof(h); i < len - 4; i++)
		buf[i] = mpa_blk_byte(gen, i);
	sum = mpa_blk_sum(buf, len - 4);
	memcpy(buf + len - 4, &sum, 4);
}

int
mpa_blk_verify(const uint8_t *buf, int n, uint16_t vf, uint8_t blk, uint32_t *gen)
{
	struct mpa_blk_hdr h;
	uint32_t i, sum;

	if (n < MPA_BLK_MIN || n > 128)
		return -1;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != MPA_BLK_MAGIC || h.len != n || h.vf != vf || h.blk != blk)
		return -1;
	memcpy(&sum, buf + n - 4, 4);
	if (sum != mpa_blk_sum(buf, (uint32_t)n - 4))
		return -1;
	for (i = sizeof(h); i < (uint32_t)n - 4; i++)
		if (buf[i] != mpa_blk_byte(h.gen, i))
			return -1;
	*gen = h.gen;
	return 0;
}

/* ---- reads ---- */

/* One time-ordered event of a (VF, block): a block call's end, or a read. */
struct mpa_blk_ev {
	uint64_t t;		/* c.e, or the read's delivery d.s */
	uint32_t gen;
	uint16_t vf;
	uint8_t blk;
	uint8_t is_read;
};

static int
mpa_cmp_blk_ev(const void *a, const void *b)
{
	const struct mpa_blk_ev *x = a, *y = b;

	if (x->vf != y->vf)
		return x->vf < y->vf ? -1 : 1;
	if (x->blk != y->blk)
		return x->blk < y->blk ? -1 : 1;
	/* Stamps are unique per VF: a call's e never equals a delivery's s. */
	return x->t < y->t ? -1 : x->t > y->t;
}

static int
mpa_check_reads(const struct mpa_shm *m, struct mpa_result *r, unsigned int *shown)
{
	uint64_t nc = RTE_MIN(m->nb_calls, m->calls_cap);
	uint64_t nr = RTE_MIN(m->nb_reads, m->reads_cap);
	const struct mpa_call *c;
	const struct mpa_read *rd;
	struct mpa_blk_ev *ev;
	uint32_t floor = 0, last = 0;
	uint64_t i, n = 0;

	c = mpa_calls(m);
	rd = mpa_reads(m);
	mpa_log_overflowed("read", m->nb_reads, m->reads_cap, r);
	ev = malloc((nc + nr + 1) * sizeof(*ev));
	if (ev == NULL) {
		printf("checker: out of memory\n");
		return -1;
	}
	for (i = 0; i < nc; i++)
		if (c[i].done == 1 && c[i].blk != MPA_BLK_NONE && c[i].vf < m->nb_vfs)
			ev[n++] = (struct mpa_blk_ev){ .t = c[i].e, .gen = c[i].gen,
				.vf = c[i].vf, .blk = c[i].blk };
	for (i = 0; i < nr; i++) {
		/* Unfinished: its process was killed in the middle of it. */
		if (!(rd[i].flags & MPA_R_DONE))
			continue;
		if (rd[i].vf >= m->nb_vfs || rd[i].blk >= MPA_DATA_BLKS) {
			r->bad_records++;
			continue;
		}
		r->reads++;
		r->read_again += (rd[i].flags & MPA_R_AGAIN) != 0;
		if (rd[i].flags & MPA_R_REVOKED) {
			r->read_revoked++;
			continue;
		}
		if (rd[i].flags & (MPA_R_TORN | MPA_R_FAILED)) {
			if (rd[i].flags & MPA_R_TORN)
				r->torn++;
			else
				r->read_errors++;
			if ((*shown)++ < MPA_SHOW_MAX)
				printf("VF %u block %u: read after delivery s=%" PRIu64
				       " %s (%d)\n", rd[i].vf, rd[i].blk, rd[i].ds,
				       rd[i].flags & MPA_R_TORN ? "torn" : "failed",
				       (int)rd[i].gen);
			continue;
		}
		ev[n++] = (struct mpa_blk_ev){ .t = rd[i].ds, .gen = rd[i].gen, .vf = rd[i].vf,
			.blk = rd[i].blk, .is_read = 1 };
	}
	qsort(ev, n, sizeof(*ev), mpa_cmp_blk_ev);
	for (i = 0; i < n; i++) {
		if (i == 0 || ev[i].vf != ev[i - 1].vf || ev[i].blk != ev[i - 1].blk)
			floor = last = 0;
		if (!ev[i].is_read) {
			floor = RTE_MAX(floor, ev[i].gen);
			continue;
		}
		if (ev[i].gen < floor || ev[i].gen < last) {
			r->stale++;
			if ((*shown)++ < MPA_SHOW_MAX)
				printf("VF %u block %u: stale read: generation %u after delivery "
				       "s=%" PRIu64 ", an invalidate before it wrote %u, a read "
				       "before it saw %u\n", ev[i].vf, ev[i].blk, ev[i].gen,
				       ev[i].t, floor, last);
		}
		last = RTE_MAX(last, ev[i].gen);
	}
	free(ev);
	return 0;
}

/* ---- requests ---- */

static int32_t
mpa_req_expected(uint8_t op)
{
	return op == MPA_OP_CFG_DENIED ? -EPERM : 0;
}

static void
mpa_check_reqs(const struct mpa_shm *m, struct mpa_result *r, unsigned int *shown)
{
	uint64_t nq = RTE_MIN(m->nb_reqs, m->reqs_cap);
	const struct mpa_req *q;
	const char *why;
	uint64_t i;
	int window;

	q = mpa_reqs(m);
	mpa_log_overflowed("request", m->nb_reqs, m->reqs_cap, r);
	for (i = 0; i < nq; i++) {
		if (q[i].op >= MPA_OP_MAX || q[i].agent >= MPA_MAX_AGENTS) {
			r->bad_records++;
			continue;
		}
		r->reqs[q[i].op]++;
		why = NULL;
		window = (q[i].flags & MPA_Q_WINDOW) != 0;
		if (!(q[i].flags & MPA_Q_DONE)) {
			/* Every incarnation but the current one was killed. */
			if (q[i].gen < m->gen_cur[q[i].agent])
				r->req_killed++;
			else
				why = "unfinished by a live process";
		} else if (q[i].status == mpa_req_expected(q[i].op)) {
			r->req_ok++;
		} else if (window && (q[i].status == -ENXIO ||
				(q[i].status == -EPERM && (!(q[i].flags & MPA_Q_POSTED) ||
							   (q[i].flags & MPA_Q_REVOKED))))) {
			/* The VF was disabled: gone, or its claim revoked. */
			r->req_enxio++;
		} else if (window && q[i].status == -ETIMEDOUT) {
			r->req_timeout++;
		} else {
			why = window ? "an outcome not documented" :
				"an outcome not documented outside a disable window";
		}
		if (why != NULL)
			r->req_bad++;
		if (q[i].answers + q[i].late > 1 ||
				(q[i].status == -ETIMEDOUT && q[i].answers != 0)) {
			r->req_double++;
			why = "answered more than once";
		}
		if (q[i].flags & MPA_Q_MISMATCH) {
			r->req_mismatch++;
			why = "wrong data";
		}
		if (why != NULL && (*shown)++ < MPA_SHOW_MAX)
			printf("VF %u: request op %u of agent %u (incarnation %u, id %u): %s: "
			       "status %d, answers %u + %u late, flags 0x%x\n", q[i].vf, q[i].op,
			       q[i].agent, q[i].gen, q[i].req_id, why, q[i].status, q[i].answers,
			       q[i].late, q[i].flags);
	}
}

int
mpa_check_data(const struct mpa_shm *m, struct mpa_result *r)
{
	unsigned int shown = 0;
	int ret;

	ret = mpa_check_reads(m, r, &shown);
	mpa_check_reqs(m, r, &shown);
	if (ret < 0 || r->torn != 0 || r->stale != 0 || r->read_errors != 0 ||
			r->req_bad != 0 || r->req_double != 0 || r->req_mismatch != 0)
		return -1;
	return 0;
}

unsigned int
mpa_status_class(int32_t status)
{
	switch (status) {
	case 0:
		return MPA_ST_OK;
	case -EPERM:
		return MPA_ST_EPERM;
	case -ENXIO:
		return MPA_ST_ENXIO;
	default:
		return MPA_ST_OTHER;
	}
}

void
mpa_totals_data(const struct mpa_shm *m, struct mpa_vf_totals *t)
{
	uint64_t nq = RTE_MIN(m->nb_reqs, m->reqs_cap);
	const struct mpa_req *q;
	uint64_t i;

	q = mpa_reqs(m);
	for (i = 0; i < nq; i++) {
		if (q[i].vf >= m->nb_vfs)
			continue;
		if (!(q[i].flags & MPA_Q_DONE)) {
			t[q[i].vf].unfinished++;
			continue;
		}
		if (q[i].flags & MPA_Q_REVOKED) {
			t[q[i].vf].revoked++;
			continue;
		}
		if (!(q[i].flags & MPA_Q_POSTED))
			continue;
		t[q[i].vf].posted++;
		t[q[i].vf].answers += q[i].answers + q[i].late;
		if (q[i].status == -ETIMEDOUT)
			t[q[i].vf].timeouts++;
		else
			t[q[i].vf].status[mpa_status_class(q[i].status)]++;
	}
}
