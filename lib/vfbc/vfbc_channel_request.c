/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Requests, VF to PF, and their answers: posting with the doorbell, the
 * PF's doorbell scan and periodic sweep, the dequeue that copies and
 * validates every record, the answers.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

static int
ch_request_validate_in(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_channel_req *req)
{
	if (ch == NULL || req == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	switch (req->type) {
	case VFBC_CHANNEL_REQ_BLOCK_WRITE:
	case VFBC_CHANNEL_REQ_CFG_READ:
	case VFBC_CHANNEL_REQ_CFG_WRITE:
		break;
	default:
		return -ENOTSUP;
	}
	/* A VF speaks only for itself: the ring it used says who it is. */
	if (req->vf_id != vf)
		return -EPERM;
	if (req->len == 0 || req->len > VFBC_CHANNEL_BLOCK_SIZE)
		return -EMSGSIZE;
	if (req->type == VFBC_CHANNEL_REQ_BLOCK_WRITE) {
		if (!__vfbc_channel_block_exists(ch, vf, req->target))
			return -ENOENT;
		return 0;
	}
	/* Written so that target + len cannot wrap. */
	if (req->target >= VFBC_CHANNEL_CFG_SPACE_SIZE ||
			req->len > VFBC_CHANNEL_CFG_SPACE_SIZE - req->target)
		return -ERANGE;
	return 0;
}

int
vfbc_channel_request_validate(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_channel_req *req)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_request_validate_in(ch, vf, req);
	__vfbc_channel_leave(ch);
	return ret;
}

static void
ch_doorbell_ring(struct vfbc_channel *ch, uint16_t vf)
{
	uint64_t old;

	/*
	 * An isolated channel has no bitmap a VF could write for others: the
	 * PF reads each region's request ring instead (ch_isolated_scan()).
	 */
	if (ch->isolated)
		return;
	/*
	 * R4: pairs with A4 in vfbc_channel_doorbell_scan(): whoever takes the
	 * bit sees the records enqueued before it was set. Sequentially
	 * consistent (the same instruction): P1 of the service's sleep.
	 */
	old = __atomic_fetch_or(&__vfbc_channel_hdr(ch)->doorbell[vf / 64],
			UINT64_C(1) << (vf % 64), __ATOMIC_SEQ_CST);
	__vfbc_channel_summary_ring(ch, old);
}

static int
ch_request_post_in(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_req *req)
{
	struct vfbc_channel_shm_vf *v;
	struct vfbc_channel_vf_vf *cv;
	int ret;

	if (ch == NULL || req == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	v = __vfbc_channel_vf(ch, vf);
	cv = &ch->vf[vf];
	req->vf_id = vf;
	ret = vfbc_channel_request_validate(ch, vf, req);
	if (ret < 0)
		return ret;
	/* This handle's threads are the ring's one producer, one at a time. */
	rte_spinlock_lock(&cv->lock);
	req->req_id = __atomic_add_fetch(&v->consumer.req_seq, 1, __ATOMIC_RELAXED);
	ret = __vfbc_ring_enqueue(__vfbc_channel_ring(ch, vf, ch->req_ring_off), &cv->req_prod,
			__VFBC_CHANNEL_REQ_SIZE, req, sizeof(*req));
	rte_spinlock_unlock(&cv->lock);
	if (ret == -ENOBUFS)
		__vfbc_channel_count(&v->consumer.stats.request_ring_full);
	if (ret < 0)
		return ret;
	__vfbc_channel_count(&v->consumer.stats.requests_posted);
	ch_doorbell_ring(ch, vf);
	return __vfbc_channel_service_wake(ch, vf);
}

int
vfbc_channel_request_post(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_req *req)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_request_post_in(ch, vf, req);
	__vfbc_channel_leave(ch);
	if (unlikely(ret == 1)) {
		__vfbc_channel_service_wake_creator(ch);
		ret = 0;
	}
	return ret;
}

/* A request the PF has not dequeued is waiting in VF vf's ring (or its indexes are corrupt). */
static inline int
ch_requests_waiting(struct vfbc_channel *ch, uint16_t vf)
{
	/* Corrupt indexes count as work: the dequeue counts and refuses them. */
	return __vfbc_ring_count(__vfbc_channel_ring(ch, vf, ch->req_ring_off),
			__atomic_load_n(&ch->pf[vf].req_cons, __ATOMIC_RELAXED),
			__VFBC_CHANNEL_REQ_SIZE) != 0;
}

/*
 * The doorbell of an isolated channel: the request rings themselves, of at
 * most VFBC_CHANNEL_ISOLATED_SCAN granted VFs per call, round robin over
 * the PF's own map of grants, so that one call costs the same with 1 or
 * 256 consumers; a request waits at most (granted VFs) /
 * VFBC_CHANNEL_ISOLATED_SCAN calls to be seen.
 */
static int
ch_isolated_scan(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max)
{
	const unsigned int words = (ch->nb_vfs + 63) / 64;
	const uint64_t from = ~UINT64_C(0) << (ch->scan_next % 64);
	unsigned int w = ch->scan_next / 64, looked = 0, i, vf;
	uint16_t next = ch->scan_next;
	uint64_t bits;
	int n = 0;

	/* words + 1 passes: the first word again, for the VFs before scan_next. */
	for (i = 0; i <= words && looked < VFBC_CHANNEL_ISOLATED_SCAN && n < max; i++) {
		bits = __atomic_load_n(&ch->granted_map[w], __ATOMIC_RELAXED);
		bits &= i == 0 ? from : i == words ? ~from : ~UINT64_C(0);
		while (bits != 0 && looked < VFBC_CHANNEL_ISOLATED_SCAN && n < max) {
			vf = w * 64 + rte_bsf64(bits);
			bits &= bits - 1;
			looked++;
			next = (uint16_t)(vf + 1 < ch->nb_vfs ? vf + 1 : 0);
			if (ch_requests_waiting(ch, (uint16_t)vf))
				vfs[n++] = (uint16_t)vf;
		}
		if (++w == words)
			w = 0;
	}
	ch->scan_next = next;
	return n;
}

int
vfbc_channel_doorbell_scan(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max)
{
	struct vfbc_channel_shm_hdr *hdr;
	unsigned int words;
	unsigned int w;
	unsigned int vf;
	uint64_t bits;
	int n;

	if (ch == NULL || vfs == NULL || max == 0)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	if (ch->isolated)
		return ch_isolated_scan(ch, vfs, max);
	__vfbc_channel_summary_scan(ch);
	hdr = __vfbc_channel_hdr(ch);
	words = (ch->nb_vfs + 63) / 64;
	n = 0;
	for (w = 0; w < words; w++) {
		/* Read first: an idle word costs a shared load, no ownership. */
		if (__vfbc_channel_load64_relaxed(&hdr->doorbell[w]) == 0)
			continue;
		/* A4: pairs with R4 in ch_doorbell_ring(). */
		bits = __vfbc_channel_xchg64_acquire(&hdr->doorbell[w], 0);
		while (bits != 0) {
			if (n == max) {
				/*
				 * No room: the rest waits for the next scan.
				 * R4 again: pairs with A4 of that scan; and the
				 * mark, as a post that sets the word from 0.
				 */
				__vfbc_channel_summary_ring(ch,
						__atomic_fetch_or(&hdr->doorbell[w], bits,
							__ATOMIC_RELEASE));
				return n;
			}
			vf = w * 64 + rte_bsf64(bits);
			bits &= bits - 1;
			/* Bits past nb_vfs can only come from a corrupt peer. */
			if (vf < ch->nb_vfs)
				vfs[n++] = vf;
		}
	}
	return n;
}

int
vfbc_channel_doorbell_pending(const struct vfbc_channel *ch)
{
	const uint64_t *doorbell;
	unsigned int w;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	doorbell = __vfbc_channel_doorbell(ch);
	if (doorbell == NULL)
		return 1;
	for (w = 0; w < (ch->nb_vfs + 63u) / 64; w++)
		/* No acquire: the scan that follows takes the bits with A4. */
		if (__vfbc_channel_load64_relaxed(&doorbell[w]) != 0)
			return 1;
	return 0;
}

int
vfbc_channel_request_sweep(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max)
{
	uint16_t vf;
	int n = 0;

	if (ch == NULL || vfs == NULL || max == 0)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	for (vf = 0; vf < ch->nb_vfs && n < max; vf++) {
		if (__atomic_load_n(&ch->pf[vf].verified, __ATOMIC_RELAXED) != 0 &&
				ch_requests_waiting(ch, vf))
			vfs[n++] = vf;
	}
	return n;
}

/*
 * The VF's indexes of one of its rings are out of bounds: count it (every
 * time) and say so (once per VF and ring, so that a VF cannot flood the
 * log).
 */
void
__vfbc_channel_ring_corrupt(struct vfbc_channel *ch, uint16_t vf, unsigned int ring)
{
	static const char * const names[] = { "request", "response" };
	uint32_t bit = UINT32_C(1) << ring;

	__vfbc_channel_count(&__vfbc_channel_vf(ch, vf)->pf.ring_corrupt);
	if ((__atomic_fetch_or(&ch->pf[vf].corrupt_logged, bit, __ATOMIC_RELAXED) & bit) == 0)
		VFBC_CHANNEL_LOG(WARNING,
				"%s: VF %u: %s ring indexes out of bounds: refusing the ring"
				" (logged once)", ch->name, vf, names[ring]);
}

/* Enqueue an answer; the caller holds the slot lock (one producer). */
static int
ch_respond_locked(struct vfbc_channel *ch, uint16_t vf, const struct vfbc_channel_req *req,
		int32_t status, const void *data, uint32_t len)
{
	struct vfbc_channel_shm_vf *v;
	struct vfbc_channel_resp resp;
	int ret;

	v = __vfbc_channel_vf(ch, vf);
	/* Whole record initialised: no byte of PF memory reaches the VF. */
	memset(&resp, 0, sizeof(resp));
	resp.type = req->type;
	resp.vf_id = vf;
	resp.req_id = req->req_id;
	resp.status = status;
	resp.len = len;
	if (len != 0)
		memcpy(resp.data, data, len);
	ret = __vfbc_ring_enqueue(__vfbc_channel_ring(ch, vf, ch->resp_ring_off),
			&ch->pf[vf].resp_prod, __VFBC_CHANNEL_RESP_SIZE, &resp, sizeof(resp));
	if (ret == -EPROTO) {
		__vfbc_channel_ring_corrupt(ch, vf, CH_RING_RESP);
		return -EPROTO;
	}
	if (ret != 0) {
		__vfbc_channel_count(&v->pf.stats.response_ring_full);
		return -ENOBUFS;
	}
	__vfbc_channel_count(&v->pf.stats.responses);
	return 0;
}

/* Room to answer: 1, 0 when the response ring is full, -1 when corrupt. */
static int
ch_can_respond(struct vfbc_channel *ch, uint16_t vf)
{
	const struct vfbc_ring_shm *r = __vfbc_channel_ring(ch, vf, ch->resp_ring_off);
	uint32_t used;

	/* RA2: pairs with RR2 of the VF's dequeue: slots it freed are free. */
	used = ch->pf[vf].resp_prod - __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
	if (used > __VFBC_CHANNEL_RESP_SIZE) {
		__vfbc_channel_ring_corrupt(ch, vf, CH_RING_RESP);
		return -1;
	}
	return used < __VFBC_CHANNEL_RESP_SIZE;
}

/* Is the slot's claim the one the PF granted? Slot lock held. */
static int
ch_slot_granted(struct vfbc_channel *ch, uint16_t vf)
{
	uint64_t verified = ch->pf[vf].verified;

	return verified != 0 &&
		verified == __vfbc_channel_load64_relaxed(&__vfbc_channel_vf(ch,
				vf)->consumer.claim);
}

/* Records on a slot nobody was granted: dropped, counted, never served. */
static void
ch_drop_unclaimed(struct vfbc_channel *ch, uint16_t vf)
{
	int n;

	n = __vfbc_ring_drain(__vfbc_channel_ring(ch, vf, ch->req_ring_off), &ch->pf[vf].req_cons,
			__VFBC_CHANNEL_REQ_SIZE);
	if (n > 0)
		__atomic_fetch_add(&__vfbc_channel_vf(ch, vf)->pf.requests_unclaimed, (uint64_t)n,
				__ATOMIC_RELAXED);
	else if (n < 0)
		__vfbc_channel_ring_corrupt(ch, vf, CH_RING_REQ);
}

/*
 * The PF's record of the requests it dequeued and has not answered, with
 * the grant each came under (slot lock held). Entries are never evicted,
 * so an answer is checked against the grant of its own request.
 */

_Static_assert(VFBC_CHANNEL_INFLIGHT_MAX == 32, "one bit of inflight_live per entry");

/* The entry of a request in flight with this id, or -1: only live entries are read. */
static int
ch_inflight_find(const struct vfbc_channel_pf_vf *pv, uint32_t req_id)
{
	uint32_t live = pv->inflight_live;
	unsigned int i;

	while (live != 0) {
		i = rte_bsf32(live);
		if (pv->inflight[i].req_id == req_id)
			return (int)i;
		live &= live - 1;
	}
	return -1;
}

int
vfbc_channel_request_dequeue(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_req *req)
{
	struct vfbc_channel_shm_vf *v;
	struct vfbc_ring_shm *r;
	struct vfbc_channel_req rec;
	rte_spinlock_t *lock;
	unsigned int i;
	int ret, slot;

	if (ch == NULL || req == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	v = __vfbc_channel_vf(ch, vf);
	r = __vfbc_channel_ring(ch, vf, ch->req_ring_off);
	lock = &ch->pf[vf].slot_lock;
	rte_spinlock_lock(lock);
	if (!ch_slot_granted(ch, vf)) {
		ch_drop_unclaimed(ch, vf);
		rte_spinlock_unlock(lock);
		return 0;
	}
	/* Bounded: at most one ring's worth of malformed records per call. */
	for (i = 0; i < VFBC_CHANNEL_REQ_RING_SIZE; i++) {
		/* As many in flight as the PF may hold: answers first. */
		if (ch->pf[vf].inflight_live == UINT32_MAX)
			break;
		slot = rte_bsf32(~ch->pf[vf].inflight_live);
		ret = ch_can_respond(ch, vf);
		if (ret <= 0)
			/*
			 * Full: the VF drains, then rings again. Corrupt: no
			 * doorbell either; the VF rings again once it is sane.
			 */
			break;
		/* The record is copied out: checks and use see the same bytes. */
		ret = __vfbc_ring_dequeue(r, &ch->pf[vf].req_cons, __VFBC_CHANNEL_REQ_SIZE, &rec,
				sizeof(rec));
		if (ret == -EPROTO) {
			__vfbc_channel_ring_corrupt(ch, vf, CH_RING_REQ);
			break;
		}
		if (ret != 0)
			break;
		ret = vfbc_channel_request_validate(ch, vf, &rec);
		/* Its id must tell its answer from the others' (one per request in flight). */
		if (ret == 0 && ch_inflight_find(&ch->pf[vf], rec.req_id) >= 0)
			ret = -EEXIST;
		if (ret == 0) {
			__vfbc_channel_count(&v->pf.stats.requests_accepted);
			ch->pf[vf].inflight[slot].req_id = rec.req_id;
			ch->pf[vf].inflight[slot].grant_seq = ch->pf[vf].grant_seq;
			ch->pf[vf].inflight_live |= UINT32_C(1) << slot;
			*req = rec;
			if (__vfbc_ring_count(r, ch->pf[vf].req_cons, __VFBC_CHANNEL_REQ_SIZE) > 0)
				ch_doorbell_ring(ch, vf);
			rte_spinlock_unlock(lock);
			return 1;
		}
		__vfbc_channel_count(&v->pf.stats.requests_rejected);
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: request %u rejected: %s", ch->name, vf,
				rec.req_id, strerror(-ret));
		(void)ch_respond_locked(ch, vf, &rec, ret, NULL, 0);
	}
	rte_spinlock_unlock(lock);
	return 0;
}

int
vfbc_channel_respond(struct vfbc_channel *ch, uint16_t vf, const struct vfbc_channel_req *req,
		int32_t status, const void *data, uint32_t len)
{
	struct vfbc_channel_pf_vf *pv;
	rte_spinlock_t *lock;
	int ret, i;

	if (ch == NULL || req == NULL || __vfbc_channel_vf_bad(ch, vf) || status > 0 ||
			len > VFBC_CHANNEL_BLOCK_SIZE || (data == NULL && len != 0))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	pv = &ch->pf[vf];
	lock = &pv->slot_lock;
	rte_spinlock_lock(lock);
	i = ch_inflight_find(pv, req->req_id);
	if (i < 0 || pv->inflight[i].grant_seq != pv->grant_seq) {
		/*
		 * Its holder released the slot, died or lost it (a grant or a
		 * revoke dropped its entry), or it was never dequeued: not the
		 * ring's holder's request now.
		 */
		/*
		 * Counted in responses_dropped when the grant or the revoke
		 * dropped it (an entry of an earlier grant cannot be left),
		 * not again here.
		 */
		if (i >= 0)
			pv->inflight_live &= ~(UINT32_C(1) << i);
		ret = -ESTALE;
	} else {
		ret = ch_respond_locked(ch, vf, req, status, data, len);
		/* Kept on failure: the answer may be given again. */
		if (ret == 0)
			pv->inflight_live &= ~(UINT32_C(1) << i);
	}
	rte_spinlock_unlock(lock);
	return ret;
}

static int
ch_response_poll_in(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_resp *resp)
{
	struct vfbc_channel_shm_vf *v;
	int ret;

	if (ch == NULL || resp == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	v = __vfbc_channel_vf(ch, vf);
	ret = __vfbc_ring_dequeue(__vfbc_channel_ring(ch, vf, ch->resp_ring_off),
			&ch->vf[vf].resp_cons,
			__VFBC_CHANNEL_RESP_SIZE, resp, sizeof(*resp));
	if (ret == -EPROTO) {
		/* The PF is trusted: indexes out of bounds are this process's doing. */
		__vfbc_ring_skip(__vfbc_channel_ring(ch, vf, ch->resp_ring_off),
				&ch->vf[vf].resp_cons);
		return 0;
	}
	if (ret != 0)
		return 0;
	if (resp->len > VFBC_CHANNEL_BLOCK_SIZE)
		resp->len = VFBC_CHANNEL_BLOCK_SIZE;
	__vfbc_channel_count(&v->consumer.stats.responses_received);
	return 1;
}

int
vfbc_channel_response_poll(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_resp *resp)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_response_poll_in(ch, vf, resp);
	__vfbc_channel_leave(ch);
	return ret;
}
