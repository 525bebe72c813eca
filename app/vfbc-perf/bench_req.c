/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * VF -> PF requests, at two levels:
 *
 * - driver: the VF process calls vfbc_vf_write_config_block() (one request
 *   in flight per port and process, as the VF PMD serializes them; its
 *   ports are probed with req_wait=spin, so it waits for the verdict with
 *   rte_pause() between polls, as the channel level does) and the PF primary
 *   calls vfbc_pf_mbox_poll() in a loop on its measuring lcore: the
 *   explicit poll, not the driver's rte_service (a service lcore would need
 *   a third CPU on a 2-CPU machine);
 * - channel: the loop a PF driver's mailbox service runs, written with the
 *   channel library (doorbell scan, validated dequeue, block write,
 *   respond), and a VF posting with vfbc_channel_request_post(), up to
 *   VFBC_PERF_REQ_INFLIGHT requests in flight.
 *
 * The runs:
 * - round trip: one request at a time, timed by the VF;
 * - service cost: a busy VF sends requests back to back while the PF loop
 *   runs for a fixed time; the loop's cost per iteration and per request,
 *   on a PF of 1 VF and on one of many VFs (all but one idle), and with no
 *   request anywhere ("idle"). At the driver level the PF's channel has as
 *   many slots as the PF has VFs (TotalVFs), so the 1-VF figure comes from
 *   a second emulated world with a single VF, and the 1,024-VF one from a
 *   world of 4 PFs (nested vfbc-perf runs, bench_worlds.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>
#include <vfbc_launch.h>

#include "perf.h"

#define VFBC_PERF_REQ_WARMUP(n) RTE_MAX((n) / 10, 100u)
/* Bytes of the block written by each request. */
#define VFBC_PERF_REQ_LEN 64
/* Timeout of a driver request (vfbc_vf_write_config_block()). */
#define VFBC_PERF_REQ_TIMEOUT_MS 1000

/* One pass of the channel-level service loop; returns the requests answered. */
static unsigned int
vfbc_perf_service_once(struct vfbc_channel *ch)
{
	uint16_t vfs[VFBC_PERF_MAX_VFS];
	struct vfbc_channel_req req;
	unsigned int served = 0;
	int32_t status;
	int n, i;

	n = vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs));
	for (i = 0; i < n; i++) {
		while (vfbc_channel_request_dequeue(ch, vfs[i], &req) == 1) {
			if (req.type == VFBC_CHANNEL_REQ_BLOCK_WRITE)
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

/*
 * One pass of the PF service at the given level; requests answered or
 * -errno. A primary's loop serves all its PFs in one call: the scale
 * run's world has 4.
 */
static int
vfbc_perf_serve(const struct vfbc_perf_target *t)
{
	if (t->level == VFBC_PERF_DRIVER)
		return vfbc_pf_mbox_poll_all(VFBC_PERF_MBOX_BUDGET);
	return (int)vfbc_perf_service_once(t->ch);
}

/*
 * Serve until secondary 0 finished the current command; sleeping: the
 * driver's sleeping service, no spin, each wait short enough to see the end.
 */
static int
vfbc_perf_serve_until_done(const struct vfbc_perf_target *t, int sleeping)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t seq = c->cmd_seq.v;
	uint64_t deadline = rte_get_tsc_cycles() + 60 * rte_get_tsc_hz();
	int ret;

	while (__atomic_load_n(&c->proc[0].done_seq, __ATOMIC_ACQUIRE) != seq) {
		ret = sleeping ? vfbc_pf_mbox_poll_wait(t->pf_port, VFBC_PERF_MBOX_BUDGET, 0, 5) :
			vfbc_perf_serve(t);
		if (ret < 0) {
			fprintf(stderr, "vfbc-perf: vfbc_pf_mbox_poll: %s\n", strerror(-ret));
			return ret;
		}
		if (rte_get_tsc_cycles() > deadline)
			return vfbc_perf_peer_dead("a VF process to finish its requests");
	}
	return 0;
}

/* The data of request i: its number, then a pattern. */
static void
vfbc_perf_req_data(uint8_t *data, uint64_t i)
{
	unsigned int k;

	for (k = 0; k < VFBC_PERF_REQ_LEN; k++)
		data[k] = (uint8_t)(i + k);
	memcpy(data, &i, sizeof(i));
}

static int
vfbc_perf_pf_req_rtt_run(struct vfbc_perf_dist *d, enum vfbc_perf_level level, unsigned int n,
		int sleeping)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint8_t want[VFBC_PERF_REQ_LEN], got[VFBC_CHANNEL_BLOCK_SIZE];
	uint64_t last = VFBC_PERF_REQ_WARMUP(n) + n - 1;
	struct vfbc_perf_target t;
	int ret;

	ret = vfbc_perf_target_get(&t, level, level == VFBC_PERF_DRIVER ? NULL :
			VFBC_PERF_CH_ONE);
	if (ret != 0)
		return ret;
	c->level = level;
	snprintf(c->ch_name, sizeof(c->ch_name), "%s", VFBC_PERF_CH_ONE);
	c->nb_vfs = 1;
	c->nb_samples = n;
	c->sample_off = 0;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_REQ_RTT, 1);
	ret = vfbc_perf_serve_until_done(&t, sleeping);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	if (ret != 0)
		return ret;
	/* The PF's block store holds what the last accepted request wrote. */
	if (level == VFBC_PERF_DRIVER) {
		vfbc_perf_req_data(want, last);
		ret = vfbc_pf_read_config_block(t.pf_port, 0, last % VFBC_CHANNEL_NB_BLOCKS, got,
				sizeof(got));
		if (ret != VFBC_PERF_REQ_LEN || memcmp(got, want, sizeof(want)) != 0) {
			fprintf(stderr, "vfbc-perf: block %" PRIu64 " of VF 0 does not hold the "
					"last request's data (%d)\n",
					last % VFBC_CHANNEL_NB_BLOCKS, ret);
			return -EPROTO;
		}
	}
	vfbc_perf_dist_from_cycles(d, vfbc_perf_samples[VFBC_PERF_A_CL_T0], n, c->tsc_hz, 1);
	return 0;
}

int
vfbc_perf_pf_req_rtt(struct vfbc_perf_results *r, enum vfbc_perf_level level, unsigned int n)
{
	return vfbc_perf_pf_req_rtt_run(&r->lv[level].req, level, n, 0);
}

/* The driver's round trip again, its PF asleep between requests (the VF's post wakes it). */
int
vfbc_perf_pf_req_rtt_sleeping(struct vfbc_perf_results *r, unsigned int n)
{
	return vfbc_perf_pf_req_rtt_run(&r->req_pf_sleep, VFBC_PERF_DRIVER, n, 1);
}

/* The channel-level request i (the library sets the VF id and request id). */
static void
vfbc_perf_req_fill(struct vfbc_channel_req *req, uint64_t i)
{
	memset(req, 0, sizeof(*req));
	req->type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req->target = i & (VFBC_CHANNEL_NB_BLOCKS - 1);
	req->len = VFBC_PERF_REQ_LEN;
	vfbc_perf_req_data(req->data, i);
}

/* One request and its verdict: 0, or the error. */
static int
vfbc_perf_req_one(const struct vfbc_perf_target *t, struct vfbc_channel *ch, uint64_t i)
{
	uint8_t data[VFBC_PERF_REQ_LEN];
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	unsigned int k = 0;
	uint64_t dl = 0;
	int ret;

	if (t->level == VFBC_PERF_DRIVER) {
		vfbc_perf_req_data(data, i);
		return vfbc_vf_write_config_block(t->vf_port[0], i % VFBC_CHANNEL_NB_BLOCKS, data,
				sizeof(data), VFBC_PERF_REQ_TIMEOUT_MS);
	}
	vfbc_perf_req_fill(&req, i);
	ret = vfbc_channel_request_post(ch, 0, &req);
	if (ret != 0)
		return ret;
	while ((ret = vfbc_channel_response_poll(ch, 0, &resp)) == 0)
		if (vfbc_perf_spin_expired(&k, &dl))
			return vfbc_perf_peer_dead("the PF's answer");
	if (ret < 0)
		return ret;
	if (resp.req_id != req.req_id)
		return -EPROTO;
	return resp.status;
}

int
vfbc_perf_vf_req_rtt(struct vfbc_perf_proc *me __rte_unused)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int n = c->nb_samples;
	unsigned int warm = VFBC_PERF_REQ_WARMUP(n);
	struct vfbc_perf_target t;
	uint64_t t0, t1;
	unsigned int i;
	int ret;

	ret = vfbc_perf_target_get(&t, c->level, c->ch_name);
	if (ret != 0)
		return ret;
	if (t.level == VFBC_PERF_CHANNEL) {
		ret = vfbc_channel_claim(t.ch, 0, -1);
		if (ret != 0)
			return ret == 1 ? -EPROTO : ret;
	}
	for (i = 0; i < warm + n; i++) {
		t0 = rte_rdtsc();
		ret = vfbc_perf_req_one(&t, t.ch, i);
		t1 = rte_rdtsc();
		if (ret != 0) {
			fprintf(stderr, "vfbc-perf: request %u: %s\n", i, strerror(-ret));
			break;
		}
		if (i >= warm)
			vfbc_perf_samples[VFBC_PERF_A_CL_T0][i - warm] = t1 - t0;
	}
	if (t.level == VFBC_PERF_CHANNEL)
		vfbc_channel_release(t.ch, 0);
	return ret;
}

/* What a service run measures. */
enum vfbc_perf_svc_mode {
	VFBC_PERF_SVC_IDLE,	/**< Nobody sends: the loop's idle cost. */
	VFBC_PERF_SVC_BUSY,	/**< VF 0 sends back to back: per iteration, wall per request. */
	VFBC_PERF_SVC_WORK,	/**< VF 0 keeps one request in flight: each call timed. */
};

/*
 * Service loop cost while VF 0 is busy (or nobody is). The work mode times
 * every call and keeps the calls that served something: the service's own
 * time per request, without the idle calls a request's round trip leaves
 * between them (which the busy mode's wall time per request counts). Both
 * levels then have one request in flight (the VF PMD's rule), so neither
 * spreads a pass over more requests than the other. Its own run: the
 * clock reads would add to the busy mode's cost per iteration.
 */
static int
vfbc_perf_service_run(const struct vfbc_perf_target *t, const char *name, unsigned int nb_vfs,
		double seconds, enum vfbc_perf_svc_mode mode, double *ns_iter, double *ns_req)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t iters = 0, served = 0, work = 0;
	uint64_t now, start, budget, t0;
	int busy = mode != VFBC_PERF_SVC_IDLE;
	int ret = 0, n;
	unsigned int k;

	if (busy) {
		c->level = t->level;
		snprintf(c->ch_name, sizeof(c->ch_name), "%s", name != NULL ? name : "");
		c->nb_vfs = nb_vfs;
		c->inflight = mode == VFBC_PERF_SVC_WORK ? 1 : 0;
		vfbc_perf_cmd_start(VFBC_PERF_CMD_REQ_BUSY, 1);
		ret = vfbc_perf_spin_eq(&c->pong.v, 1);
		if (ret != 0) {
			ret = vfbc_perf_peer_dead("the busy VF to start");
			goto stop;
		}
	}
	budget = (uint64_t)(seconds * rte_get_tsc_hz());
	start = rte_rdtsc();
	now = start;
	do {
		for (k = 0; k < 64; k++) {
			if (mode == VFBC_PERF_SVC_WORK)
				t0 = rte_rdtsc();
			n = vfbc_perf_serve(t);
			if (unlikely(n < 0)) {
				ret = n;
				goto stop;
			}
			if (mode == VFBC_PERF_SVC_WORK && n > 0)
				work += rte_rdtsc() - t0;
			served += n;
		}
		iters += 64;
		now = rte_rdtsc();
	} while (now - start < budget);
	*ns_iter = (double)(now - start) * 1e9 / rte_get_tsc_hz() / (double)iters;
	if (mode == VFBC_PERF_SVC_WORK)
		*ns_req = served != 0 ? (double)work * 1e9 / rte_get_tsc_hz() / (double)served : 0;
	else
		*ns_req = served != 0 ?
			(double)(now - start) * 1e9 / rte_get_tsc_hz() / (double)served : 0;
stop:
	if (busy) {
		__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
		if (ret == 0)
			ret = vfbc_perf_serve_until_done(t, 0);
		if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
			ret = -EIO;
		if (ret == 0 && c->proc[0].count < served)
			ret = -EPROTO;
		c->inflight = 0;
	}
	return ret;
}

/*
 * The busy/idle pair on one PF (driver: every PF of the run) or channel,
 * and the service's work per request (work_req; NULL: not measured).
 */
int
vfbc_perf_service_pair(const struct vfbc_perf_target *t, const char *name, unsigned int nb_vfs,
		double seconds, double *busy_iter, double *busy_req, double *idle_iter,
		double *work_req)
{
	double unused;
	int ret;

	ret = vfbc_perf_service_run(t, name, nb_vfs, seconds / 4, VFBC_PERF_SVC_IDLE, idle_iter,
			&unused);
	if (ret == 0)
		ret = vfbc_perf_service_run(t, name, nb_vfs, seconds, VFBC_PERF_SVC_BUSY, busy_iter,
				busy_req);
	if (ret == 0 && work_req != NULL)
		ret = vfbc_perf_service_run(t, name, nb_vfs, seconds / 2, VFBC_PERF_SVC_WORK,
				&unused, work_req);
	return ret;
}

/*
 * The idle service of an isolated channel of nb_vfs VFs, all claimed (by
 * this process): its doorbell is each claimed VF's request ring, of which
 * one scan reads VFBC_CHANNEL_ISOLATED_SCAN at most.
 */
static int
vfbc_perf_iso_service_idle(unsigned int nb_vfs, double seconds, double *ns_iter)
{
	uint64_t iters = 0, start, now, budget;
	struct vfbc_channel *ch;
	char name[32];
	unsigned int k;
	uint16_t vf;
	int ret = 0;

	snprintf(name, sizeof(name), "perf_iso_%u", nb_vfs);
	ch = vfbc_channel_create_isolated(name, (uint16_t)nb_vfs);
	if (ch == NULL)
		return -rte_errno;
	for (vf = 0; vf < nb_vfs && ret >= 0; vf++)
		ret = vfbc_channel_claim_grant(ch, vf, getpid(), -1, -1, NULL);
	if (ret >= 0) {
		ret = 0;
		budget = (uint64_t)(seconds * rte_get_tsc_hz());
		start = rte_rdtsc();
		do {
			for (k = 0; k < 64; k++)
				(void)vfbc_perf_service_once(ch);
			iters += 64;
			now = rte_rdtsc();
		} while (now - start < budget);
		*ns_iter = (double)(now - start) * 1e9 / rte_get_tsc_hz() / (double)iters;
	}
	vfbc_channel_free(ch);
	return ret;
}

/*
 * Channel level: perf_1 and perf_many, then isolated channels of 1 and 256
 * VFs, idle. Driver level: this world's PF (its channel has TotalVFs slots,
 * VF 0 busy, the others idle).
 */
int
vfbc_perf_pf_service(struct vfbc_perf_results *r, enum vfbc_perf_level level, double seconds)
{
	struct vfbc_perf_level_res *l = &r->lv[level];
	const struct vfbc_channel *many;
	struct vfbc_perf_target t;
	struct vfbc_pf_sriov_info si;
	int ret;

	if (level == VFBC_PERF_DRIVER) {
		ret = vfbc_perf_target_get(&t, level, NULL);
		if (ret == 0)
			ret = vfbc_pf_get_sriov_info(t.pf_port, &si);
		if (ret != 0)
			return ret;
		/* The driver's channel is sized for TotalVFs (and its max_vfs). */
		l->service_big_vfs = RTE_MIN(si.total_vfs, si.max_vfs);
		if (l->service_big_vfs > VFBC_CHANNEL_MAX_VFS)
			l->service_big_vfs = VFBC_CHANNEL_MAX_VFS;
		ret = vfbc_perf_service_pair(&t, NULL, vfbc_perf_ctl->drv_nb_vfs, seconds,
				&l->service_ns_256, &l->service_req_ns_256,
				&l->service_idle_ns_256, NULL);
		if (ret != 0)
			snprintf(l->service_why, sizeof(l->service_why), "failed: %s",
					strerror(-ret));
		/* The 1-VF half came from vfbc_perf_pf_service_small(). */
		l->service_valid = ret == 0 && l->service_ns_1 > 0;
		return ret;
	}
	many = vfbc_perf_channel(VFBC_PERF_CH_MANY);
	if (many == NULL)
		return -rte_errno;
	l->service_small_vfs = 1;
	l->service_big_vfs = vfbc_channel_nb_vfs(many);
	ret = vfbc_perf_target_get(&t, level, VFBC_PERF_CH_ONE);
	if (ret == 0)
		ret = vfbc_perf_service_pair(&t, VFBC_PERF_CH_ONE, 1, seconds, &l->service_ns_1,
				&l->service_req_ns_1, &l->service_idle_ns_1,
				&l->service_work_ns_1);
	if (ret == 0)
		ret = vfbc_perf_target_get(&t, level, VFBC_PERF_CH_MANY);
	if (ret == 0)
		ret = vfbc_perf_service_pair(&t, VFBC_PERF_CH_MANY, l->service_big_vfs, seconds,
				&l->service_ns_256, &l->service_req_ns_256,
				&l->service_idle_ns_256, NULL);
	l->service_valid = ret == 0;
	if (ret == 0)
		ret = vfbc_perf_iso_service_idle(1, seconds / 4, &l->iso_service_idle_ns_1);
	if (ret == 0)
		ret = vfbc_perf_iso_service_idle(VFBC_CHANNEL_MAX_VFS, seconds / 4,
				&l->iso_service_idle_ns_256);
	if (ret != 0)
		l->iso_service_idle_ns_1 = l->iso_service_idle_ns_256 = 0;
	return ret;
}

/* Keep requests in flight until told to stop. */
int
vfbc_perf_vf_req_busy(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_target t;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	unsigned int inflight = 0, max_inflight;
	uint64_t i = 0, done = 0;
	unsigned int k = 0;
	uint64_t dl = 0;
	int ret, r;

	max_inflight = c->inflight != 0 ? c->inflight : VFBC_PERF_REQ_INFLIGHT;
	ret = vfbc_perf_target_get(&t, c->level, c->ch_name);
	if (ret != 0)
		return ret;
	if (t.level == VFBC_PERF_CHANNEL) {
		ret = vfbc_channel_claim(t.ch, 0, -1);
		if (ret != 0)
			return ret == 1 ? -EPROTO : ret;
	}
	__atomic_store_n(&c->pong.v, 1, __ATOMIC_RELEASE);
	if (t.level == VFBC_PERF_DRIVER) {
		/* The VF PMD has one request in flight per port: back to back. */
		while (__atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) == 0) {
			r = vfbc_perf_req_one(&t, NULL, i++);
			if (r != 0) {
				fprintf(stderr, "vfbc-perf: busy request: %s\n", strerror(-r));
				ret = r;
				break;
			}
			done++;
		}
		me->count = done;
		return ret;
	}
	for (;;) {
		int stop = __atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) != 0;

		while (!stop && inflight < max_inflight) {
			vfbc_perf_req_fill(&req, i);
			if (vfbc_channel_request_post(t.ch, 0, &req) != 0)
				break;
			i++;
			inflight++;
		}
		r = 0;
		while (vfbc_channel_response_poll(t.ch, 0, &resp) == 1) {
			inflight--;
			done++;
			r = 1;
			if (resp.status != 0 && ret == 0)
				ret = resp.status;
		}
		if (stop && inflight == 0)
			break;
		if (r != 0) {
			k = 0;
			dl = 0;
		} else if (vfbc_perf_spin_expired(&k, &dl)) {
			ret = vfbc_perf_peer_dead("the PF's answers");
			break;
		}
	}
	me->count = done;
	vfbc_channel_release(t.ch, 0);
	return ret;
}
