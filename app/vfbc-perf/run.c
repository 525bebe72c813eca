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
/* Progress steps: the run's, then the isolated consumer's (isolated.c). */
#define VFBC_PERF_STEPS 12
/* VFs of the fan-out figure (a channel's most), and repetitions of each form. */
#define VFBC_PERF_BULK_VFS VFBC_CHANNEL_MAX_VFS
#define VFBC_PERF_BULK_REPS 2000
/* Wake-ups of each sleep-mode mechanism; seconds of the idle figure (issue 14: 10 s). */
#define VFBC_PERF_SLEEP_SAMPLES 4000
#define VFBC_PERF_SLEEP_IDLE_S 10.0

static unsigned int vfbc_perf_step_nb;
static uint64_t vfbc_perf_step_t0;

/* The progress line of the next step of the run. */
void
vfbc_perf_step(const char *what)
{
	vfbc_perf_progress("[%2u/%u %5.1f s] %s", ++vfbc_perf_step_nb, VFBC_PERF_STEPS,
			(double)(rte_get_tsc_cycles() - vfbc_perf_step_t0) / rte_get_tsc_hz(),
			what);
}

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
 * chunks. Without channel, the cache line and the drivers only: the
 * isolated consumer's run (isolated.c), which has no channel-level figure.
 */
int
vfbc_perf_latencies(struct vfbc_perf_results *r, unsigned int samples, int channel)
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
		ret = channel ? vfbc_perf_pf_inv_latency(r, VFBC_PERF_CHANNEL, chunk, k * chunk) :
			0;
		if (ret != 0)
			return vfbc_perf_failed("invalidate latency (channel)", ret);
	}
	r->lat_chunks = VFBC_PERF_LAT_CHUNKS;
	vfbc_perf_cacheline_result(r, n);
	vfbc_perf_inv_latency_result(r, VFBC_PERF_DRIVER, n);
	if (channel)
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

/*
 * Fan-out: the bulk call against single calls over VFBC_PERF_BULK_VFS VFs,
 * which a smaller world (--vfs) does not have.
 */
static int
vfbc_perf_fanout(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		const struct vfbc_perf_opts *o)
{
	struct vfbc_perf_level_res *l = &r->lv[level];

	if (o->max_vfs < VFBC_PERF_BULK_VFS) {
		snprintf(l->bulk.why, sizeof(l->bulk.why), "the world has %u VFs (--vfs), the "
				"fan-out needs %u", o->max_vfs, VFBC_PERF_BULK_VFS);
		memcpy(l->singles.why, l->bulk.why, sizeof(l->singles.why));
		return 0;
	}
	return vfbc_perf_pf_inv_bulk(r, level, VFBC_PERF_BULK_VFS, o->procs,
			o->quick ? VFBC_PERF_BULK_REPS / 10 : VFBC_PERF_BULK_REPS);
}

int
vfbc_perf_run(const struct vfbc_perf_opts *o, struct vfbc_perf_results *r)
{
	unsigned int n_kernel;
	enum vfbc_perf_level lv;
	int ret;

	vfbc_perf_step_nb = 0;
	vfbc_perf_step_t0 = rte_get_tsc_cycles();
	n_kernel = o->quick ? o->samples / 20 : o->samples / 5;
	vfbc_perf_step("latency: cache line, vfbc driver, vfbc channel, interleaved");
	ret = vfbc_perf_latencies(r, o->samples, 1);
	if (ret != 0)
		return ret;
	vfbc_perf_step("rte_ring streaming: bursts, single elements");
	ret = vfbc_perf_pf_ring_stream(r, o->duration, VFBC_PERF_BURST);
	if (ret == 0)
		ret = vfbc_perf_pf_ring_stream(r, o->duration, 1);
	if (ret != 0)
		return vfbc_perf_failed("rte_ring baseline", ret);
	vfbc_perf_step("pipe wake-up");
	ret = vfbc_perf_pf_pipe(r, n_kernel);
	if (ret != 0)
		return vfbc_perf_failed("pipe baseline", ret);
	vfbc_perf_step("rte_mp_request_sync");
	ret = vfbc_perf_pf_mp(r, n_kernel);
	if (ret != 0)
		return vfbc_perf_failed("rte_mp baseline", ret);
	vfbc_perf_step("sleep mode: wake-up against a pipe's, idle CPU");
	ret = vfbc_perf_sleep_setup(r);
	if (ret == 0)
		ret = vfbc_perf_pf_sleep_wake(r, o->quick ? VFBC_PERF_SLEEP_SAMPLES / 10 :
				VFBC_PERF_SLEEP_SAMPLES);
	if (ret == 0)
		ret = vfbc_perf_pf_sleep_idle(r, o->quick ? VFBC_PERF_SLEEP_IDLE_S / 10 :
				VFBC_PERF_SLEEP_IDLE_S);
	if (ret != 0)
		return vfbc_perf_failed("sleep mode", ret);
	vfbc_perf_step("vfbc throughput (driver, channel)");
	for (lv = VFBC_PERF_DRIVER; ; lv = VFBC_PERF_CHANNEL) {
		ret = vfbc_perf_throughput(r, lv, o->duration);
		if (ret != 0)
			return vfbc_perf_failed("invalidate throughput", ret);
		if (lv == VFBC_PERF_CHANNEL)
			break;
	}
	vfbc_perf_step("vfbc many VFs, fan-out (driver, channel)");
	for (lv = VFBC_PERF_DRIVER; ; lv = VFBC_PERF_CHANNEL) {
		ret = vfbc_perf_many(r, lv, o);
		if (ret != 0)
			return vfbc_perf_failed("many-VF run", ret);
		ret = vfbc_perf_fanout(r, lv, o);
		if (ret != 0)
			return vfbc_perf_failed("fan-out run", ret);
		if (lv == VFBC_PERF_CHANNEL)
			break;
	}
	vfbc_perf_step("request round trip (driver, channel, driver with a sleeping PF)");
	ret = vfbc_perf_pf_req_rtt(r, VFBC_PERF_DRIVER, o->samples / 2);
	if (ret == 0)
		ret = vfbc_perf_pf_req_rtt(r, VFBC_PERF_CHANNEL, o->samples / 2);
	if (ret == 0)
		ret = vfbc_perf_pf_req_rtt_sleeping(r, o->samples / 2);
	if (ret != 0)
		return vfbc_perf_failed("request round trip", ret);
	vfbc_perf_step("service loop (driver: 1-VF world, 4-PF world, then this one; channel)");
	ret = vfbc_perf_pf_service_small(r, o);
	if (ret == 0)
		ret = vfbc_perf_pf_service_scale(r, o);
	if (ret == 0)
		ret = vfbc_perf_pf_service(r, VFBC_PERF_DRIVER, o->duration);
	if (ret == 0)
		ret = vfbc_perf_pf_service(r, VFBC_PERF_CHANNEL, o->duration);
	if (ret != 0)
		return vfbc_perf_failed("service loop", ret);
	vfbc_perf_step("config-space writes");
	ret = vfbc_perf_pf_config(r, o->duration);
	if (ret != 0)
		return vfbc_perf_failed("config-space writes", ret);
	vfbc_perf_step(o->instructions ? "instructions (callgrind)" : "no instruction count");
	if (o->instructions) {
		vfbc_perf_instructions(r, 100000);
	} else {
		snprintf(r->instr_why[0], sizeof(r->instr_why[0]), "not run (--quick or "
				"--no-instructions; see the guide for the command)");
		snprintf(r->instr_why[1], sizeof(r->instr_why[1]), "%s", r->instr_why[0]);
	}
	vfbc_perf_progress_done();
	return 0;
}
