/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* The human table and the JSON file. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perf.h"

/* Targets of the issue, reported, never asserted. */
#define VFBC_PERF_T_LAT_CACHELINE 1.5
#define VFBC_PERF_T_LAT_MP (1.0 / 50)
#define VFBC_PERF_T_THROUGHPUT 0.7
#define VFBC_PERF_T_CONFIG 1.2
#define VFBC_PERF_T_SERVICE 2.0
#define VFBC_PERF_T_INSTR 60

struct vfbc_perf_ratios {
	double lat_cacheline;
	double lat_mp;
	double throughput;
	double config;
	double service;
};

static double
vfbc_perf_div(double a, double b, int ok)
{
	return ok && b > 0 ? a / b : NAN;
}

static void
vfbc_perf_ratios(const struct vfbc_perf_results *r, struct vfbc_perf_ratios *q)
{
	q->lat_cacheline = vfbc_perf_div(r->inv.p50, r->cacheline.p50,
			r->inv.valid && r->cacheline.valid);
	q->lat_mp = vfbc_perf_div(r->inv.p50, r->mp.p50, r->inv.valid && r->mp.valid);
	q->throughput = vfbc_perf_div(r->deliveries_per_s, r->raw_ring_elems_per_s, 1);
	/* A cost ratio: time per PF API write over time per raw pwrite. */
	q->config = vfbc_perf_div(r->raw_pwrite_per_s, r->config_writes_per_s, r->config_valid);
	q->service = vfbc_perf_div(r->service_ns_256, r->service_ns_1, r->service_valid);
}

static void
vfbc_perf_row(FILE *f, const char *name, const struct vfbc_perf_dist *d)
{
	if (!d->valid) {
		fprintf(f, "  %-34s not measured: %s\n", name, d->why);
		return;
	}
	fprintf(f, "  %-34s %8.0f %8.0f %8.0f %8.0f %9.0f %8" PRIu64 "\n", name, d->p50, d->p90,
			d->p99, d->p999, d->max, d->samples);
}

static const char *
vfbc_perf_verdict(double v, double limit, int below)
{
	if (isnan(v))
		return "not measured";
	return (below ? v <= limit : v >= limit) ? "met" : "MISSED";
}

void
vfbc_perf_print_table(FILE *f, const struct vfbc_perf_results *r, const struct vfbc_perf_opts *o)
{
	struct vfbc_perf_ratios q;
	unsigned int i;

	vfbc_perf_ratios(r, &q);
	fprintf(f, "\nvfbc-perf, %s, %s, TSC %.3f GHz, %.1f s%s\n", r->date, r->cpu,
			r->tsc_hz / 1e9, r->run_seconds, o->quick ? " (--quick)" : "");
	fprintf(f, "placement: %s\n", r->placement);

	fprintf(f, "\nOne-way latency, ns                      p50      p90      p99    p99.9"
			"       max  samples\n");
	vfbc_perf_row(f, "vfbc invalidate PF->VF", &r->inv);
	vfbc_perf_row(f, "cache line PF->VF (physical limit)", &r->cacheline);
	vfbc_perf_row(f, "cache line VF->PF", &r->cacheline_back);
	vfbc_perf_row(f, "rte_ring SP/SC ping-pong", &r->ring);
	vfbc_perf_row(f, "rte_mp_request_sync RTT/2", &r->mp);
	vfbc_perf_row(f, "pipe wake-up", &r->pipe);
	fprintf(f, "Round trip, ns\n");
	vfbc_perf_row(f, "vfbc request VF->PF->VF", &r->req);
	if (r->cacheline.valid)
		fprintf(f, "  (TSC offset VF - PF, from the two cache-line legs: %.0f ns)\n",
				r->tsc_offset_ns);

	fprintf(f, "\nThroughput\n");
	fprintf(f, "  vfbc masks delivered, VF keeps up   %12.3g /s  (%.3g polls with "
			"bits /s)\n", r->deliveries_per_s, r->keepup_deliver_events_per_s);
	fprintf(f, "  vfbc invalidations, overload        %12.3g /s  (%.3g deliveries /s, "
			"%.1f calls per delivery)\n", r->invalidations_per_s,
			r->overload_deliveries_per_s,
			r->overload_deliveries_per_s > 0 ?
			r->invalidations_per_s / r->overload_deliveries_per_s : 0);
	fprintf(f, "  rte_ring SP/SC burst %-3u            %12.3g elem/s\n", VFBC_PERF_BURST,
			r->raw_ring_elems_per_s);
	fprintf(f, "  rte_ring SP/SC single enqueue       %12.3g elem/s\n",
			r->raw_ring_single_per_s);
	fprintf(f, "  PF invalidate call: %.1f ns under overload, %.1f ns with no consumer;",
			r->inv_call_ns, r->inv_call_ns_solo);
	if (r->inv_instr_doorbell >= 0)
		fprintf(f, " %.1f instructions (doorbell path), %.1f (coalescing path)\n",
				r->inv_instr_doorbell, r->inv_instr_coalesce);
	else
		fprintf(f, " instructions not counted: %s\n", r->instr_why);

	fprintf(f, "\nMany VFs: 1 PF lcore invalidating round robin, %u VF process%s\n",
			o->procs, o->procs > 1 ? "es" : "");
	fprintf(f, "  %5s %16s %16s %12s %10s\n", "VFs", "invalidations/s", "deliveries/s",
			"Jain index", "min/max");
	for (i = 0; i < r->nb_many; i++)
		fprintf(f, "  %5u %16.3g %16.3g %12.3f %10.2f\n", r->many_vfs[i],
				r->many_inv_per_s[i], r->many_deliv_per_s[i], r->many_jain[i],
				r->many_min_max[i]);

	fprintf(f, "\nPF request service loop (doorbell scan, dequeue, block write, respond)\n");
	if (r->service_valid) {
		fprintf(f, "  1 VF, busy           %7.1f ns/iteration %7.1f ns/request, idle %5.1f "
				"ns/iteration\n", r->service_ns_1, r->service_req_ns_1,
				r->service_idle_ns_1);
		fprintf(f, "  1 busy + %3u idle    %7.1f ns/iteration %7.1f ns/request, idle %5.1f "
				"ns/iteration\n", r->service_big_vfs - 1, r->service_ns_256,
				r->service_req_ns_256, r->service_idle_ns_256);
	} else {
		fprintf(f, "  not measured\n");
	}

	fprintf(f, "\nVF config-space writes (1 byte, VF 0)\n");
	if (r->config_valid)
		fprintf(f, "  PF API %10.3g /s (%.0f ns)   raw pwrite %10.3g /s (%.0f ns) on %s\n",
				r->config_writes_per_s, 1e9 / r->config_writes_per_s,
				r->raw_pwrite_per_s, 1e9 / r->raw_pwrite_per_s, r->config_fd_src);
	else
		fprintf(f, "  not measured: %s\n", r->config_why);

	fprintf(f, "\nAccounting: %" PRIu64 " bits sent, %" PRIu64 " delivered, %" PRIu64
			" lost, %" PRIu64 " phantom: %s\n", r->bits_sent, r->bits_delivered,
			r->bits_lost, r->phantom_bits,
			r->bits_lost == 0 && r->phantom_bits == 0 && r->bits_sent != 0 ?
			"exact" : "FAILED");

	fprintf(f, "\nTargets                                   measured  verdict\n");
	fprintf(f, "  latency p50 <= 1.5x cache line         %8.2fx  %s\n", q.lat_cacheline,
			vfbc_perf_verdict(q.lat_cacheline, VFBC_PERF_T_LAT_CACHELINE, 1));
	fprintf(f, "  latency p50 <= 1/50 of rte_mp          %8.4fx  %s\n", q.lat_mp,
			vfbc_perf_verdict(q.lat_mp, VFBC_PERF_T_LAT_MP, 1));
	fprintf(f, "  throughput >= 0.7x raw ring (burst)    %8.2fx  %s\n", q.throughput,
			vfbc_perf_verdict(q.throughput, VFBC_PERF_T_THROUGHPUT, 0));
	fprintf(f, "  config write <= 1.2x raw pwrite cost   %8.2fx  %s\n", q.config,
			vfbc_perf_verdict(q.config, VFBC_PERF_T_CONFIG, 1));
	fprintf(f, "  service %u VFs <= 2x 1 VF              %8.2fx  %s\n", r->service_big_vfs,
			q.service, vfbc_perf_verdict(q.service, VFBC_PERF_T_SERVICE, 1));
	fprintf(f, "  invalidate <= 60 instructions          %8.1f   %s\n",
			r->inv_instr_doorbell,
			vfbc_perf_verdict(r->inv_instr_doorbell >= 0 ? r->inv_instr_doorbell : NAN,
			VFBC_PERF_T_INSTR, 1));
	fflush(f);
}

/* A JSON number, or null for NaN, infinities and unmeasured values. */
static void
vfbc_perf_jnum(FILE *f, double v, int ok)
{
	if (!ok || isnan(v) || isinf(v))
		fprintf(f, "null");
	else
		fprintf(f, "%.6g", v);
}

static void
vfbc_perf_jdist(FILE *f, const char *key, const struct vfbc_perf_dist *d, int full,
		const char *tail)
{
	fprintf(f, "    \"%s\": {\"p50\": ", key);
	vfbc_perf_jnum(f, d->p50, d->valid);
	fprintf(f, ", \"p99\": ");
	vfbc_perf_jnum(f, d->p99, d->valid);
	if (full) {
		fprintf(f, ", \"p90\": ");
		vfbc_perf_jnum(f, d->p90, d->valid);
		fprintf(f, ", \"p999\": ");
		vfbc_perf_jnum(f, d->p999, d->valid);
		fprintf(f, ", \"max\": ");
		vfbc_perf_jnum(f, d->max, d->valid);
		fprintf(f, ", \"mean\": ");
		vfbc_perf_jnum(f, d->mean, d->valid);
	}
	fprintf(f, ", \"samples\": %" PRIu64, d->samples);
	if (!d->valid)
		fprintf(f, ", \"not_measured\": \"%s\"", d->why);
	fprintf(f, "}%s\n", tail);
}

int
vfbc_perf_write_json(const char *path, const struct vfbc_perf_results *r,
		const struct vfbc_perf_opts *o)
{
	const struct vfbc_perf_dist *d = &r->inv;
	struct vfbc_perf_ratios q;
	unsigned int i;
	FILE *f;

	vfbc_perf_ratios(r, &q);
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "vfbc-perf: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "{\n  \"machine\": {\"cpu\": \"%s\", \"date\": \"%s\", \"tsc_hz\": %" PRIu64
			", \"quick\": %s, \"procs\": %u, \"placement\": \"%s\"},\n", r->cpu,
			r->date, r->tsc_hz, o->quick ? "true" : "false", o->procs, r->placement);
	fprintf(f, "  \"invalidate_latency_ns\": {\"p50\": ");
	vfbc_perf_jnum(f, d->p50, d->valid);
	fprintf(f, ", \"p90\": ");
	vfbc_perf_jnum(f, d->p90, d->valid);
	fprintf(f, ", \"p99\": ");
	vfbc_perf_jnum(f, d->p99, d->valid);
	fprintf(f, ", \"p999\": ");
	vfbc_perf_jnum(f, d->p999, d->valid);
	fprintf(f, ", \"max\": ");
	vfbc_perf_jnum(f, d->max, d->valid);
	fprintf(f, ", \"samples\": %" PRIu64 "},\n", d->samples);

	fprintf(f, "  \"baselines\": {\n");
	vfbc_perf_jdist(f, "cacheline_oneway_ns", &r->cacheline, 1, ",");
	vfbc_perf_jdist(f, "cacheline_back_oneway_ns", &r->cacheline_back, 1, ",");
	vfbc_perf_jdist(f, "ring_oneway_ns", &r->ring, 1, ",");
	vfbc_perf_jdist(f, "rte_mp_oneway_ns", &r->mp, 1, ",");
	vfbc_perf_jdist(f, "pipe_oneway_ns", &r->pipe, 1, "");
	fprintf(f, "  },\n");

	fprintf(f, "  \"throughput\": {\"deliveries_per_s\": ");
	vfbc_perf_jnum(f, r->deliveries_per_s, r->deliveries_per_s > 0);
	fprintf(f, ", \"invalidations_per_s\": ");
	vfbc_perf_jnum(f, r->invalidations_per_s, r->invalidations_per_s > 0);
	fprintf(f, ", \"raw_ring_elems_per_s\": ");
	vfbc_perf_jnum(f, r->raw_ring_elems_per_s, r->raw_ring_elems_per_s > 0);
	fprintf(f, ", \"raw_ring_single_elems_per_s\": ");
	vfbc_perf_jnum(f, r->raw_ring_single_per_s, r->raw_ring_single_per_s > 0);
	fprintf(f, ", \"overload_deliveries_per_s\": ");
	vfbc_perf_jnum(f, r->overload_deliveries_per_s, r->overload_deliveries_per_s > 0);
	fprintf(f, ", \"invalidate_call_ns\": ");
	vfbc_perf_jnum(f, r->inv_call_ns, r->inv_call_ns > 0);
	fprintf(f, ", \"invalidate_call_ns_no_consumer\": ");
	vfbc_perf_jnum(f, r->inv_call_ns_solo, r->inv_call_ns_solo > 0);
	fprintf(f, ", \"invalidate_instructions\": ");
	vfbc_perf_jnum(f, r->inv_instr_doorbell, r->inv_instr_doorbell >= 0);
	fprintf(f, ", \"invalidate_instructions_coalescing\": ");
	vfbc_perf_jnum(f, r->inv_instr_coalesce, r->inv_instr_coalesce >= 0);
	fprintf(f, "},\n");

	fprintf(f, "  \"request_rtt_ns\": {\"p50\": ");
	vfbc_perf_jnum(f, r->req.p50, r->req.valid);
	fprintf(f, ", \"p99\": ");
	vfbc_perf_jnum(f, r->req.p99, r->req.valid);
	fprintf(f, ", \"samples\": %" PRIu64 ", \"level\": \"channel\"},\n", r->req.samples);

	fprintf(f, "  \"config_write\": {\"writes_per_s\": ");
	vfbc_perf_jnum(f, r->config_writes_per_s, r->config_valid);
	fprintf(f, ", \"raw_pwrite_per_s\": ");
	vfbc_perf_jnum(f, r->raw_pwrite_per_s, r->config_valid);
	if (!r->config_valid)
		fprintf(f, ", \"not_measured\": \"%s\"", r->config_why);
	fprintf(f, "},\n");

	fprintf(f, "  \"scaling\": {\"service_ns_1vf\": ");
	vfbc_perf_jnum(f, r->service_ns_1, r->service_valid);
	fprintf(f, ", \"service_ns_256vf\": ");
	vfbc_perf_jnum(f, r->service_ns_256, r->service_valid);
	fprintf(f, ", \"service_big_vfs\": %u, \"service_idle_ns_1vf\": ", r->service_big_vfs);
	vfbc_perf_jnum(f, r->service_idle_ns_1, r->service_valid);
	fprintf(f, ", \"service_idle_ns_256vf\": ");
	vfbc_perf_jnum(f, r->service_idle_ns_256, r->service_valid);
	fprintf(f, ", \"many\": [");
	for (i = 0; i < r->nb_many; i++)
		fprintf(f, "%s{\"vfs\": %u, \"invalidations_per_s\": %.6g, \"deliveries_per_s\": "
				"%.6g, \"jain\": %.4f, \"min_over_max\": %.4f}", i ? ", " : "",
				r->many_vfs[i], r->many_inv_per_s[i], r->many_deliv_per_s[i],
				r->many_jain[i], r->many_min_max[i]);
	fprintf(f, "]},\n");

	fprintf(f, "  \"accounting\": {\"bits_sent\": %" PRIu64 ", \"bits_lost\": %" PRIu64
			", \"phantom_bits\": %" PRIu64 ", \"bits_delivered\": %" PRIu64 "},\n",
			r->bits_sent, r->bits_lost, r->phantom_bits, r->bits_delivered);

	fprintf(f, "  \"ratios\": {\"latency_p50_vs_cacheline\": ");
	vfbc_perf_jnum(f, q.lat_cacheline, 1);
	fprintf(f, ", \"latency_p50_vs_rte_mp\": ");
	vfbc_perf_jnum(f, q.lat_mp, 1);
	fprintf(f, ", \"throughput_vs_raw_ring\": ");
	vfbc_perf_jnum(f, q.throughput, 1);
	fprintf(f, ", \"config_write_vs_raw_pwrite\": ");
	vfbc_perf_jnum(f, q.config, 1);
	fprintf(f, ", \"service_256_vs_1\": ");
	vfbc_perf_jnum(f, q.service, 1);
	fprintf(f, "}\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "vfbc-perf: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}
