/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The benchmark run of the PF primary: every figure, in order, with a
 * progress line naming each step. Each benchmark has its PF side here and
 * its VF side in the VF processes (bench_*.c, instr.c).
 */

#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "perf.h"

/* Chunks the latency samples are split into, the mechanisms alternating. */
#define VFBC_PERF_LAT_CHUNKS 10

static int
vfbc_perf_failed(const char *what, int ret)
{
	vfbc_perf_progress_done();
	fprintf(stderr, "vfbc-perf: %s failed: %s\n", what, strerror(ret < 0 ? -ret : ret));
	return ret;
}

/*
 * The latencies: VFBC_PERF_LAT_CHUNKS rounds of one chunk each of the cache
 * line, vfbc through the drivers and vfbc through the channel, so that all
 * three see the same vCPU placement over the run; each figure pools its
 * chunks.
 */
static int
vfbc_perf_latencies(struct vfbc_perf_results *r, unsigned int samples)
{
	unsigned int chunk = samples / VFBC_PERF_LAT_CHUNKS;
	unsigned int n = chunk * VFBC_PERF_LAT_CHUNKS;
	unsigned int k;
	int ret;

	for (k = 0; k < VFBC_PERF_LAT_CHUNKS; k++) {
		ret = vfbc_perf_pf_cacheline(chunk, k * chunk);
		if (ret != 0)
			return vfbc_perf_failed("cache-line baseline", ret);
		ret = vfbc_perf_pf_inv_latency(r, VFBC_PERF_DRIVER, chunk, k * chunk);
		if (ret != 0)
			return vfbc_perf_failed("invalidate latency (driver)", ret);
		ret = vfbc_perf_pf_inv_latency(r, VFBC_PERF_CHANNEL, chunk, k * chunk);
		if (ret != 0)
			return vfbc_perf_failed("invalidate latency (channel)", ret);
	}
	r->lat_chunks = VFBC_PERF_LAT_CHUNKS;
	vfbc_perf_cacheline_result(r, n);
	vfbc_perf_inv_latency_result(r, VFBC_PERF_DRIVER, n);
	vfbc_perf_inv_latency_result(r, VFBC_PERF_CHANNEL, n);
	return 0;
}

static int
vfbc_perf_throughput(struct vfbc_perf_results *r, enum vfbc_perf_level level, double seconds)
{
	int ret;

	ret = vfbc_perf_pf_inv_keepup(r, level, seconds);
	if (ret == 0)
		ret = vfbc_perf_pf_inv_overload(r, level, seconds);
	if (ret == 0)
		ret = vfbc_perf_pf_inv_solo(r, level);
	if (ret == 0)
		ret = vfbc_perf_pf_poll_idle(r, level);
	return ret;
}

static int
vfbc_perf_many(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		const struct vfbc_perf_opts *o)
{
	static const unsigned int counts[] = { 1, 8, 64, 256 };
	struct vfbc_perf_level_res *l = &r->lv[level];
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(counts) && counts[i] <= o->max_vfs; i++) {
		ret = vfbc_perf_pf_inv_many(r, level, counts[i], o->procs, o->duration, i);
		if (ret != 0)
			return ret;
		l->nb_many = i + 1;
	}
	if (l->nb_many == 0 || counts[l->nb_many - 1] != o->max_vfs) {
		ret = vfbc_perf_pf_inv_many(r, level, o->max_vfs, o->procs, o->duration,
				l->nb_many);
		if (ret != 0)
			return ret;
		l->nb_many++;
	}
	return 0;
}

int
vfbc_perf_run(const struct vfbc_perf_opts *o, struct vfbc_perf_results *r)
{
	unsigned int n_kernel;
	unsigned int step = 0;
	const unsigned int steps = 10;
	uint64_t t0 = rte_get_tsc_cycles();
	enum vfbc_perf_level lv;
	int ret;

#define VFBC_PERF_STEP(what) \
	vfbc_perf_progress("[%2u/%u %5.1f s] %s", ++step, steps, \
			(double)(rte_get_tsc_cycles() - t0) / rte_get_tsc_hz(), what)

	n_kernel = o->quick ? o->samples / 20 : o->samples / 5;
	VFBC_PERF_STEP("latency: cache line, vfbc driver, vfbc channel, interleaved");
	ret = vfbc_perf_latencies(r, o->samples);
	if (ret != 0)
		return ret;
	VFBC_PERF_STEP("rte_ring streaming");
	ret = vfbc_perf_pf_ring_stream(r, o->duration);
	if (ret != 0)
		return vfbc_perf_failed("rte_ring baseline", ret);
	VFBC_PERF_STEP("pipe wake-up");
	ret = vfbc_perf_pf_pipe(r, n_kernel);
	if (ret != 0)
		return vfbc_perf_failed("pipe baseline", ret);
	VFBC_PERF_STEP("rte_mp_request_sync");
	ret = vfbc_perf_pf_mp(r, n_kernel);
	if (ret != 0)
		return vfbc_perf_failed("rte_mp baseline", ret);
	VFBC_PERF_STEP("vfbc throughput (driver, channel)");
	for (lv = VFBC_PERF_DRIVER; ; lv = VFBC_PERF_CHANNEL) {
		ret = vfbc_perf_throughput(r, lv, o->duration);
		if (ret != 0)
			return vfbc_perf_failed("invalidate throughput", ret);
		if (lv == VFBC_PERF_CHANNEL)
			break;
	}
	VFBC_PERF_STEP("vfbc many VFs (driver, channel)");
	for (lv = VFBC_PERF_DRIVER; ; lv = VFBC_PERF_CHANNEL) {
		ret = vfbc_perf_many(r, lv, o);
		if (ret != 0)
			return vfbc_perf_failed("many-VF run", ret);
		if (lv == VFBC_PERF_CHANNEL)
			break;
	}
	VFBC_PERF_STEP("request round trip (driver, channel)");
	ret = vfbc_perf_pf_req_rtt(r, VFBC_PERF_DRIVER, o->samples / 2);
	if (ret == 0)
		ret = vfbc_perf_pf_req_rtt(r, VFBC_PERF_CHANNEL, o->samples / 2);
	if (ret != 0)
		return vfbc_perf_failed("request round trip", ret);
	VFBC_PERF_STEP("service loop (driver: 1-VF world, then this one; channel)");
	ret = vfbc_perf_pf_service_small(r, o);
	if (ret == 0)
		ret = vfbc_perf_pf_service(r, VFBC_PERF_DRIVER, o->duration);
	if (ret == 0)
		ret = vfbc_perf_pf_service(r, VFBC_PERF_CHANNEL, o->duration);
	if (ret != 0)
		return vfbc_perf_failed("service loop", ret);
	VFBC_PERF_STEP("config-space writes");
	ret = vfbc_perf_pf_config(r, o->duration);
	if (ret != 0)
		return vfbc_perf_failed("config-space writes", ret);
	VFBC_PERF_STEP(o->instructions ? "instructions (callgrind)" : "done");
	if (o->instructions) {
		vfbc_perf_instructions(r, 100000);
	} else {
		snprintf(r->instr_why[0], sizeof(r->instr_why[0]), "not run (--quick or "
				"--no-instructions; see the guide for the command)");
		snprintf(r->instr_why[1], sizeof(r->instr_why[1]), "%s", r->instr_why[0]);
	}
	vfbc_perf_progress_done();
#undef VFBC_PERF_STEP
	return 0;
}
