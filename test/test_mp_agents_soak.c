/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * What mp_acct_vf does in the soak (MPA_SOAK=1) besides delivering: read
 * the data blocks of each delivery, and make VF->PF requests, each logged
 * with how it ended (test_mp_account_data.c has the predicates).
 *
 * A request goes through net_vfbc_vf (vfbc_vf_write_config_block(),
 * vfbc_vf_read_bus_data(), vfbc_vf_write_bus_data()), or for a library
 * agent through vfbc_channel_request_post() and response_poll(), where the
 * agent sees every answer: one while the request waits, a late one for a
 * request that timed out, one of a killed predecessor's requests after a
 * takeover, or a stray one no request explains.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_random.h>

#include "test_mp_account.h"
#include "test_pf_mbox_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_vf.h"

/* The time-out of a request (MPA_SOAK_REQ_MS); short ones only in disable windows. */
#define SOAK_REQ_MS		MPA_SOAK_REQ_MS
#define SOAK_REQ_SHORT_MS	20

/*
 * A block read may return -EAGAIN (documented: it met writes at each of its
 * attempts); an application retries it, and so does the agent, counting.
 */
#define SOAK_AGAIN_MAX		1000
#define SOAK_AGAIN_US		10

/* Config-space registers a VF may write (policy rows cache_line_size, interrupt_line). */
#define SOAK_CFG_CLS		0x0c
#define SOAK_CFG_INTLINE	0x3c

/* The disable window word; odd while the PF's VFs may be gone. */
static uint32_t
soak_disrupt(const struct mpa_shm *m)
{
	return __atomic_load_n(&m->disrupt, __ATOMIC_ACQUIRE);
}

static void
soak_read_rec(struct mpa_shm *m, uint16_t vf, uint8_t blk, uint64_t s, uint32_t gen,
	      uint8_t flags)
{
	struct mpa_read *r;

	r = mpa_read_slot(m);
	if (r == NULL)
		return;	/* the checker sees the overflow */
	*r = (struct mpa_read){ .ds = s, .gen = gen, .vf = vf, .blk = blk };
	/* Complete only now: a record a killed agent left is not read as one. */
	__atomic_store_n(&r->flags, (uint8_t)(flags | MPA_R_DONE), __ATOMIC_RELEASE);
}

static int
soak_block_read(struct mpa_port *p, uint32_t blk, uint8_t *buf)
{
	if (p->lib)
		return vfbc_channel_block_read(p->ch, p->vf, blk, buf, VFBC_VF_BLOCK_SIZE);
	return vfbc_vf_read_config_block(p->port, blk, buf, VFBC_VF_BLOCK_SIZE);
}

/* Read a block, retrying -EAGAIN as an application does; the flags of the record. */
static int
soak_block_read_retry(struct mpa_agent *a, struct mpa_port *p, uint8_t blk, uint8_t *buf,
		      uint8_t *flags)
{
	uint64_t hz, t0, ns;
	unsigned int k;
	int n;

	hz = rte_get_timer_hz();
	for (k = 0; k < SOAK_AGAIN_MAX; k++) {
		t0 = rte_get_timer_cycles();
		n = soak_block_read(p, blk, buf);
		if (n != -EAGAIN)
			break;
		ns = (rte_get_timer_cycles() - t0) * 1000000000 / hz;
		a->again++;
		a->again_ns = RTE_MAX(a->again_ns, ns);
		*flags |= MPA_R_AGAIN;
		rte_delay_us_sleep(SOAK_AGAIN_US);
	}
	return n;
}

void
mpa_agent_read_blocks(struct mpa_agent *a, struct mpa_port *p, uint64_t mask, uint64_t s)
{
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	uint32_t gen, w0, w1;
	uint8_t b, flags;
	int n;

	for (b = 0; b < MPA_DATA_BLKS; b++) {
		if (!(mask >> b & 1))
			continue;
		flags = 0;
		w0 = soak_disrupt(a->m);
		n = soak_block_read_retry(a, p, b, buf, &flags);
		w1 = soak_disrupt(a->m);
		if ((n == -EPERM || n == -ENXIO) && (w0 != w1 || (w0 & 1))) {
			soak_read_rec(a->m, p->vf, b, s, (uint32_t)n, flags | MPA_R_REVOKED);
			continue;
		}
		if (n < 0) {
			soak_read_rec(a->m, p->vf, b, s, (uint32_t)n, flags | MPA_R_FAILED);
			continue;
		}
		if (a->fault == MPA_FAULT_TORN && !a->fault_done && n > 0) {
			buf[n / 2] ^= 0x40;
			a->fault_done = 1;
		}
		if (mpa_blk_verify(buf, n, p->vf, b, &gen) < 0)
			soak_read_rec(a->m, p->vf, b, s, 0, flags | MPA_R_TORN);
		else
			soak_read_rec(a->m, p->vf, b, s, gen, flags);
	}
}

/* ---- requests ---- */

/* A refused claim is tried again after this, or when the disable window moves. */
#define SOAK_RECLAIM_RETRY_MS	5

int
mpa_agent_reclaim(struct mpa_agent *a, struct mpa_port *p)
{
	uint32_t w = soak_disrupt(a->m);
	uint64_t now = rte_get_timer_cycles();
	int ret;

	if (p->claim_retry_tsc != 0 && now < p->claim_retry_tsc && w == p->claim_retry_disrupt)
		return -EAGAIN;
	ret = p->lib ? test_mbox_claim(p->ch, p->vf) : vfbc_vf_claim(p->port);
	if (ret == -EALREADY)
		return 0;
	if (ret < 0) {
		p->claim_retry_tsc = now + rte_get_timer_hz() * SOAK_RECLAIM_RETRY_MS / 1000;
		p->claim_retry_disrupt = w;
	} else {
		p->claim_retry_tsc = 0;
		/* The PF's revoke asked for a resync: the next poll is "all blocks". */
		p->resync_due = 1;
	}
	return ret;
}

/* An answer that is not the one awaited: late, a predecessor's, or stray. */
static void
soak_other_answer(struct mpa_agent *a, struct mpa_port *p, const struct vfbc_channel_resp *resp)
{
	struct mpa_req *q;
	unsigned int i;

	for (i = 0; i < p->nb_late; i++) {
		if (p->late_id[i] != resp->req_id)
			continue;
		p->late[i]->late++;
		p->late[i] = p->late[--p->nb_late];
		p->late_id[i] = p->late_id[p->nb_late];
		return;
	}
	/* Requests of the killed process this one took the VF over from. */
	if (a->gen > 0 && (p->first_id == 0 || resp->req_id < p->first_id))
		return;
	q = mpa_req_slot(a->m);
	if (q == NULL)
		return;
	q->req_id = resp->req_id;
	q->status = resp->status;
	q->gen = a->gen;
	q->vf = p->vf;
	q->op = MPA_OP_CFG_READ;
	q->agent = (uint8_t)a->agent;
	q->answers = 2;	/* an answer to no request of ours: as bad as a second one */
	__atomic_store_n(&q->flags, MPA_Q_DONE | MPA_Q_LIB, __ATOMIC_RELEASE);
}

/* Through the library: post, then take answers until ours or the time-out. */
static int
soak_lib_call(struct mpa_agent *a, struct mpa_port *p, struct mpa_req *q,
	      struct vfbc_channel_req *req, struct vfbc_channel_resp *resp, uint32_t timeout_ms)
{
	uint64_t deadline;
	int ret;

	ret = vfbc_channel_request_post(p->ch, p->vf, req);
	/* The PF revoked the claim: claim again first, as the PMD's user would. */
	if (ret == -EPERM && mpa_agent_reclaim(a, p) == 0)
		ret = vfbc_channel_request_post(p->ch, p->vf, req);
	if (ret < 0)
		return ret;
	q->req_id = req->req_id;
	q->flags |= MPA_Q_POSTED;
	if (p->first_id == 0)
		p->first_id = req->req_id;
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;
	for (;;) {
		ret = vfbc_channel_response_poll(p->ch, p->vf, resp);
		if (ret == -EPERM)
			q->flags |= MPA_Q_REVOKED;
		if (ret < 0)
			return ret;
		if (ret == 1 && resp->req_id == req->req_id) {
			q->answers++;
			return resp->status;
		}
		if (ret == 1) {
			soak_other_answer(a, p, resp);
			continue;
		}
		if (rte_get_timer_cycles() > deadline)
			break;
		rte_delay_us_sleep(20);
	}
	if (p->nb_late < MPA_LATE_MAX) {
		p->late_id[p->nb_late] = req->req_id;
		p->late[p->nb_late++] = q;
	}
	return -ETIMEDOUT;
}

/* One request of type/target/data; status 0 or -errno, read data in out. */
static int
soak_call(struct mpa_agent *a, struct mpa_port *p, struct mpa_req *q, uint16_t type,
	  uint32_t target, const void *data, uint32_t len, void *out, uint32_t timeout_ms)
{
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	struct vfbc_vf_info info;
	int ret;

	if (p->lib) {
		test_mbox_req_init(&req, type, target, data, len);
		ret = soak_lib_call(a, p, q, &req, &resp, timeout_ms);
		if (ret == 0 && out != NULL)
			memcpy(out, resp.data, RTE_MIN(resp.len, len));
		if (ret == 0 && out != NULL && resp.len != len)
			q->flags |= MPA_Q_MISMATCH;
		return ret;
	}
	/* The PF revoked the claim: claim again first, as an application would. */
	if (vfbc_vf_get_info(p->port, &info) == 0 && !info.claimed &&
			mpa_agent_reclaim(a, p) < 0)
		return -EPERM;
	switch (type) {
	case VFBC_CHANNEL_REQ_BLOCK_WRITE:
		ret = vfbc_vf_write_config_block(p->port, target, data, len, timeout_ms);
		break;
	case VFBC_CHANNEL_REQ_CFG_READ:
		ret = vfbc_vf_read_bus_data(p->port, target, out, len, timeout_ms);
		break;
	default:
		ret = vfbc_vf_write_bus_data(p->port, target, data, len, timeout_ms);
		break;
	}
	/* Errors of the call itself: nothing was posted. */
	if (ret == -ENOBUFS || ret == -ENOTCONN || ret == -EINVAL || ret == -ENODEV)
		return ret;
	/*
	 * The PF revoked the claim (the VF was disabled), before the post or
	 * while the call waited: the PMD does not say which.
	 */
	if ((ret == -EPERM || ret == -ENXIO) && vfbc_vf_get_info(p->port, &info) == 0 &&
	    !info.claimed) {
		q->flags |= MPA_Q_REVOKED;
		return ret;
	}
	q->flags |= MPA_Q_POSTED;
	if (ret != -ETIMEDOUT)
		q->answers++;
	if (ret > 0 && (uint32_t)ret != len)
		q->flags |= MPA_Q_MISMATCH;
	return ret > 0 ? 0 : ret;
}

/* A new record of op on p, not yet done. */
static struct mpa_req *
soak_req_begin(struct mpa_agent *a, struct mpa_port *p, unsigned int op)
{
	struct mpa_req *q;

	q = mpa_req_slot(a->m);
	if (q == NULL)
		return NULL;
	q->gen = a->gen;
	q->vf = p->vf;
	q->op = (uint8_t)op;
	q->agent = (uint8_t)a->agent;
	q->flags = p->lib ? MPA_Q_LIB : 0;
	return q;
}

static void
soak_req_end(struct mpa_agent *a, struct mpa_req *q, int status, uint32_t w0)
{
	uint32_t w1;

	w1 = soak_disrupt(a->m);
	if (w0 != w1 || (w0 & 1))
		q->flags |= MPA_Q_WINDOW;
	if (a->fault == MPA_FAULT_DOUBLE && !a->fault_done && q->answers == 1) {
		q->answers = 2;
		a->fault_done = 1;
	}
	q->status = status;
	__atomic_store_n(&q->flags, (uint8_t)(q->flags | MPA_Q_DONE), __ATOMIC_RELEASE);
}

/* Block write, then the block read back: exactly what was written. */
static int
soak_block_write(struct mpa_agent *a, struct mpa_port *p, struct mpa_req *q,
		 uint32_t timeout_ms)
{
	uint8_t data[VFBC_VF_BLOCK_SIZE], back[VFBC_VF_BLOCK_SIZE];
	uint32_t len, gen, got;
	uint8_t blk;
	int ret, n;

	blk = (uint8_t)(MPA_VF_BLK_FIRST + rte_rand_max(64 - MPA_VF_BLK_FIRST));
	len = MPA_BLK_MIN + (uint32_t)rte_rand_max(VFBC_VF_BLOCK_SIZE - MPA_BLK_MIN + 1);
	gen = ++p->blk_gen;
	mpa_blk_fill(data, len, p->vf, blk, (uint8_t)(1 + a->agent), gen);
	ret = soak_call(a, p, q, VFBC_CHANNEL_REQ_BLOCK_WRITE, blk, data, len, NULL, timeout_ms);
	if (ret != 0)
		return ret;
	n = soak_block_read(p, blk, back);
	if (mpa_blk_verify(back, n, p->vf, blk, &got) < 0 || got != gen || n != (int)len)
		q->flags |= MPA_Q_MISMATCH;
	return 0;
}

/* Vendor and Device ID: the virtualized IDs, whatever the VF's registers say. */
static int
soak_cfg_read(struct mpa_agent *a, struct mpa_port *p, struct mpa_req *q, uint32_t timeout_ms)
{
	uint16_t ids[2] = { 0, 0 };
	int ret;

	ret = soak_call(a, p, q, VFBC_CHANNEL_REQ_CFG_READ, 0, NULL, sizeof(ids), ids, timeout_ms);
	if (ret == 0 && (ids[0] != a->m->vendor_id || ids[1] != a->m->device_id))
		q->flags |= MPA_Q_MISMATCH;
	return ret;
}

/*
 * A register the policy lets a VF write, then read back (a second request,
 * logged as a config read): the value written, unless an FLR or a disable
 * window (which recreates the VF) came in between.
 */
static int
soak_cfg_write(struct mpa_agent *a, struct mpa_port *p, struct mpa_req *q, uint32_t timeout_ms)
{
	uint32_t off, flr0, w0;
	uint8_t val, back = 0;
	struct mpa_req *rb;
	int ret;

	off = (rte_rand() & 1) ? SOAK_CFG_CLS : SOAK_CFG_INTLINE;
	val = (uint8_t)rte_rand();
	flr0 = __atomic_load_n(&a->m->flr_seq[p->vf], __ATOMIC_ACQUIRE);
	w0 = soak_disrupt(a->m);
	ret = soak_call(a, p, q, VFBC_CHANNEL_REQ_CFG_WRITE, off, &val, 1, NULL, timeout_ms);
	if (ret != 0)
		return ret;
	rb = soak_req_begin(a, p, MPA_OP_CFG_READ);
	if (rb == NULL)
		return 0;
	ret = soak_call(a, p, rb, VFBC_CHANNEL_REQ_CFG_READ, off, NULL, 1, &back, timeout_ms);
	if (ret == 0 && back != val && (flr0 & 1) == 0 && (w0 & 1) == 0 &&
			__atomic_load_n(&a->m->flr_seq[p->vf], __ATOMIC_ACQUIRE) == flr0 &&
			soak_disrupt(a->m) == w0)
		rb->flags |= MPA_Q_MISMATCH;
	soak_req_end(a, rb, ret, w0);
	return 0;
}

int
mpa_agent_request(struct mpa_agent *a, struct mpa_port *p, unsigned int op,
		  uint32_t timeout_ms)
{
	uint16_t vendor = a->m->vendor_id;
	uint64_t t0, ns;
	struct mpa_req *q;
	uint32_t w0;
	int ret;

	q = soak_req_begin(a, p, op);
	if (q == NULL)
		return -ENOSPC;
	w0 = soak_disrupt(a->m);
	t0 = rte_get_timer_cycles();
	switch (op) {
	case MPA_OP_BLOCK_WRITE:
		ret = soak_block_write(a, p, q, timeout_ms);
		break;
	case MPA_OP_CFG_READ:
		ret = soak_cfg_read(a, p, q, timeout_ms);
		break;
	case MPA_OP_CFG_WRITE:
		ret = soak_cfg_write(a, p, q, timeout_ms);
		break;
	default:
		/* Denied whatever the value: even the one it holds. */
		ret = soak_call(a, p, q, VFBC_CHANNEL_REQ_CFG_WRITE, 0, &vendor, sizeof(vendor),
				NULL, timeout_ms);
		break;
	}
	soak_req_end(a, q, ret, w0);
	ns = (rte_get_timer_cycles() - t0) * 1000000000 / rte_get_timer_hz();
	if (!(q->flags & MPA_Q_WINDOW) && ret != -ETIMEDOUT &&
			ns > a->m->req_slowest_ns[a->agent])
		__atomic_store_n(&a->m->req_slowest_ns[a->agent], ns, __ATOMIC_RELAXED);
	return ret;
}

int
mpa_agent_random_request(struct mpa_agent *a, struct mpa_port *p)
{
	/* Mostly what an application does; now and then a write the policy refuses. */
	static const uint8_t mix[16] = {
		MPA_OP_BLOCK_WRITE, MPA_OP_BLOCK_WRITE, MPA_OP_BLOCK_WRITE, MPA_OP_BLOCK_WRITE,
		MPA_OP_BLOCK_WRITE, MPA_OP_CFG_READ, MPA_OP_CFG_READ, MPA_OP_CFG_READ,
		MPA_OP_CFG_READ, MPA_OP_CFG_WRITE, MPA_OP_CFG_WRITE, MPA_OP_CFG_WRITE,
		MPA_OP_CFG_WRITE, MPA_OP_CFG_WRITE, MPA_OP_CFG_DENIED, MPA_OP_CFG_DENIED,
	};
	uint32_t timeout = SOAK_REQ_MS;

	/* In a disable window the PF may not answer in time: let some expire. */
	if ((soak_disrupt(a->m) & 1) && (rte_rand() & 1))
		timeout = SOAK_REQ_SHORT_MS;
	return mpa_agent_request(a, p, mix[rte_rand() & 15], timeout);
}
