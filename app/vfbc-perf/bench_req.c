/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * VF -> PF requests through the channel library: a VF posts a block write,
 * the PF service loop (doorbell scan, validated dequeue, block write,
 * respond: the loop a PF driver's mailbox service runs) answers, the VF
 * takes the verdict.
 *
 * - round trip: one request at a time, timed by the VF;
 * - service cost: a busy VF keeps VFBC_PERF_REQ_INFLIGHT requests in flight
 *   while the PF loop runs for a fixed time on a channel of 1 VF, then on
 *   one of many VFs (all but one idle); the loop's cost per iteration and
 *   per request are compared. The idle cost (no request anywhere) is
 *   measured too.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "perf.h"

#define VFBC_PERF_REQ_WARMUP(n) RTE_MAX((n) / 10, 100u)
/* Bytes of the block written by each request. */
#define VFBC_PERF_REQ_LEN 64

/* One pass of the PF service loop; returns the requests answered. */
static unsigned int
vfbc_perf_service_once(struct vfbc_channel *ch)
{
	uint16_t vfs[VFBC_PERF_MAX_VFS];
	struct vfbc_ch_req req;
	unsigned int served = 0;
	int32_t status;
	int n, i;

	n = vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs));
	for (i = 0; i < n; i++) {
		while (vfbc_channel_request_dequeue(ch, vfs[i], &req) == 1) {
			if (req.type == VFBC_CH_REQ_BLOCK_WRITE)
				status = vfbc_channel_block_write(ch, vfs[i], req.target,
						req.data, req.len);
			else
				status = -ENOTSUP;
			if (vfbc_channel_respond(ch, vfs[i], &req, status, NULL, 0) == 0)
				served++;
		}
	}
	return served;
}

/* Serve until secondary 0 finished the current command. */
static int
vfbc_perf_serve_until_done(struct vfbc_channel *ch)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t seq = c->cmd_seq.v;
	uint64_t deadline = rte_get_tsc_cycles() + 60 * rte_get_tsc_hz();

	while (__atomic_load_n(&c->proc[0].done_seq, __ATOMIC_ACQUIRE) != seq) {
		vfbc_perf_service_once(ch);
		if (rte_get_tsc_cycles() > deadline)
			return -ETIMEDOUT;
	}
	return 0;
}

int
vfbc_perf_pf_req_rtt(struct vfbc_perf_results *r, unsigned int n)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_channel *ch;
	int ret;

	ch = vfbc_perf_channel(VFBC_PERF_CH_ONE);
	if (ch == NULL)
		return -rte_errno;
	snprintf(c->ch_name, sizeof(c->ch_name), "%s", VFBC_PERF_CH_ONE);
	c->nb_vfs = 1;
	c->nb_samples = n;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_REQ_RTT, 1);
	ret = vfbc_perf_serve_until_done(ch);
	if (ret == 0)
		ret = vfbc_perf_cmd_wait(10);
	if (ret != 0)
		return ret;
	vfbc_perf_dist_from_cycles(&r->req, vfbc_perf_samples[0], n, c->tsc_hz, 1);
	return 0;
}

static void
vfbc_perf_req_fill(struct vfbc_ch_req *req, uint64_t i)
{
	memset(req, 0, sizeof(*req));
	req->type = VFBC_CH_REQ_BLOCK_WRITE;
	req->target = i & (VFBC_CHANNEL_NB_BLOCKS - 1);
	req->len = VFBC_PERF_REQ_LEN;
	memcpy(req->data, &i, sizeof(i));
}

int
vfbc_perf_vf_req_rtt(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int n = c->nb_samples;
	unsigned int warm = VFBC_PERF_REQ_WARMUP(n);
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;
	struct vfbc_channel *ch;
	uint64_t t0, t1;
	unsigned int i;
	int ret;

	RTE_SET_USED(me);
	ch = vfbc_perf_channel(c->ch_name);
	if (ch == NULL)
		return -rte_errno;
	ret = vfbc_channel_claim(ch, 0);
	if (ret < 0)
		return ret;
	for (i = 0; i < warm + n; i++) {
		vfbc_perf_req_fill(&req, i);
		t0 = rte_rdtsc();
		ret = vfbc_channel_request_post(ch, 0, &req);
		if (ret != 0)
			break;
		while ((ret = vfbc_channel_response_poll(ch, 0, &resp)) == 0)
			;
		t1 = rte_rdtsc();
		if (ret < 0)
			break;
		ret = 0;
		if (resp.req_id != req.req_id || resp.status != 0) {
			ret = resp.status != 0 ? resp.status : -EPROTO;
			break;
		}
		if (i >= warm)
			vfbc_perf_samples[0][i - warm] = t1 - t0;
	}
	vfbc_channel_release(ch, 0);
	return ret;
}

/* Service loop cost on one channel while VF 0 is busy (or idle). */
static int
vfbc_perf_service_run(const char *name, unsigned int nb_vfs, double seconds, int busy,
		double *ns_iter, double *ns_req)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t iters = 0, served = 0;
	uint64_t t, start, budget;
	struct vfbc_channel *ch;
	int ret = 0;

	ch = vfbc_perf_channel(name);
	if (ch == NULL)
		return -rte_errno;
	if (busy) {
		snprintf(c->ch_name, sizeof(c->ch_name), "%s", name);
		c->nb_vfs = nb_vfs;
		vfbc_perf_cmd_start(VFBC_PERF_CMD_REQ_BUSY, 1);
		ret = vfbc_perf_spin_eq(&c->pong.v, 1);
		if (ret != 0)
			return ret;
	}
	budget = (uint64_t)(seconds * rte_get_tsc_hz());
	start = rte_rdtsc();
	do {
		unsigned int k;

		for (k = 0; k < 64; k++)
			served += vfbc_perf_service_once(ch);
		iters += 64;
		t = rte_rdtsc();
	} while (t - start < budget);
	*ns_iter = (double)(t - start) * 1e9 / rte_get_tsc_hz() / (double)iters;
	*ns_req = served != 0 ?
		(double)(t - start) * 1e9 / rte_get_tsc_hz() / (double)served : 0;
	if (busy) {
		__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
		ret = vfbc_perf_serve_until_done(ch);
		if (ret == 0)
			ret = vfbc_perf_cmd_wait(10);
		if (ret == 0 && c->proc[0].count < served)
			ret = -EPROTO;
	}
	return ret;
}

int
vfbc_perf_pf_service(struct vfbc_perf_results *r, double seconds)
{
	const struct vfbc_channel *many;
	int ret;

	many = vfbc_perf_channel(VFBC_PERF_CH_MANY);
	if (many == NULL)
		return -rte_errno;
	r->service_big_vfs = vfbc_channel_nb_vfs(many);
	ret = vfbc_perf_service_run(VFBC_PERF_CH_ONE, 1, seconds / 4, 0,
			&r->service_idle_ns_1, &r->service_req_ns_1);
	if (ret == 0)
		ret = vfbc_perf_service_run(VFBC_PERF_CH_MANY, r->service_big_vfs, seconds / 4, 0,
				&r->service_idle_ns_256, &r->service_req_ns_256);
	if (ret == 0)
		ret = vfbc_perf_service_run(VFBC_PERF_CH_ONE, 1, seconds, 1,
				&r->service_ns_1, &r->service_req_ns_1);
	if (ret == 0)
		ret = vfbc_perf_service_run(VFBC_PERF_CH_MANY, r->service_big_vfs, seconds, 1,
				&r->service_ns_256, &r->service_req_ns_256);
	r->service_valid = ret == 0;
	return ret;
}

/* Keep VFBC_PERF_REQ_INFLIGHT requests in flight until told to stop. */
int
vfbc_perf_vf_req_busy(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;
	struct vfbc_channel *ch;
	unsigned int inflight = 0;
	uint64_t i = 0, done = 0;
	int ret;

	ch = vfbc_perf_channel(c->ch_name);
	if (ch == NULL)
		return -rte_errno;
	ret = vfbc_channel_claim(ch, 0);
	if (ret < 0)
		return ret;
	ret = 0;
	__atomic_store_n(&c->pong.v, 1, __ATOMIC_RELEASE);
	for (;;) {
		int stop = __atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) != 0;

		while (!stop && inflight < VFBC_PERF_REQ_INFLIGHT) {
			vfbc_perf_req_fill(&req, i);
			if (vfbc_channel_request_post(ch, 0, &req) != 0)
				break;
			i++;
			inflight++;
		}
		while (vfbc_channel_response_poll(ch, 0, &resp) == 1) {
			inflight--;
			done++;
			if (resp.status != 0 && ret == 0)
				ret = resp.status;
		}
		if (stop && inflight == 0)
			break;
	}
	me->count = done;
	vfbc_channel_release(ch, 0);
	return ret;
}
