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
#define VFBC_PERF_T_ISOLATED 1.1
#define VFBC_PERF_T_ISO_SERVICE 2.0
#define VFBC_PERF_T_BULK 0.5

struct vfbc_perf_ratios {
	double lat_cacheline;
	double lat_mp;
	double throughput;
	double config;
	double service;
	double isolated;   /**< Isolated consumer p50 over the secondary driver p50. */
	double iso_cacheline; /**< ... over the cache line p50 of its own chunks. */
	/** An isolated channel's idle service, 256 claimed VFs over 1 (channel level). */
	double iso_service;
	/** One bulk call over 256 VFs over 256 single calls, p50s. */
	double bulk;
};

/*
 * What vfbc-perf no longer measures, a DPDK primitive that no target
 * divides by (rte_ring ping-pong): its row and JSON key stay, not
 * measured.
 */
static const struct vfbc_perf_dist vfbc_perf_dropped = {
	.why = "no target divides by it (see the guide)",
};

static const char *const vfbc_perf_level_names[VFBC_PERF_NB_LEVELS] = {
	[VFBC_PERF_CHANNEL] = "channel",
	[VFBC_PERF_DRIVER] = "driver",
};

static double
vfbc_perf_div(double a, double b, int ok)
{
	return ok && b > 0 ? a / b : NAN;
}

static void
vfbc_perf_ratios(const struct vfbc_perf_results *r, enum vfbc_perf_level level,
		struct vfbc_perf_ratios *q)
{
	const struct vfbc_perf_level_res *l = &r->lv[level];

	q->lat_cacheline = vfbc_perf_div(l->inv.p50, r->cacheline.p50,
			l->inv.valid && r->cacheline.valid);
	q->lat_mp = vfbc_perf_div(l->inv.p50, r->mp.p50, l->inv.valid && r->mp.valid);
	q->throughput = vfbc_perf_div(l->deliveries_per_s, r->raw_ring_elems_per_s, 1);
	/* A cost ratio: time per PF API write over time per raw pwrite. */
	q->config = vfbc_perf_div(r->raw_pwrite_per_s, r->config_writes_per_s, r->config_valid);
	q->service = vfbc_perf_div(l->service_ns_256, l->service_ns_1, l->service_valid);
	/* Both through the drivers: the channel level has no isolated figure. */
	q->isolated = vfbc_perf_div(r->iso_inv.p50, r->lv[VFBC_PERF_DRIVER].inv.p50,
			level == VFBC_PERF_DRIVER && r->iso_inv.valid &&
			r->lv[VFBC_PERF_DRIVER].inv.valid);
	q->iso_cacheline = vfbc_perf_div(r->iso_inv.p50, r->iso_cacheline.p50,
			level == VFBC_PERF_DRIVER && r->iso_inv.valid && r->iso_cacheline.valid);
	q->bulk = vfbc_perf_div(l->bulk.p50, l->singles.p50, l->bulk.valid && l->singles.valid);
	q->iso_service = vfbc_perf_div(r->lv[VFBC_PERF_CHANNEL].iso_service_idle_ns_256,
			r->lv[VFBC_PERF_CHANNEL].iso_service_idle_ns_1,
			r->lv[VFBC_PERF_CHANNEL].iso_service_idle_ns_256 > 0);
}

static void
vfbc_perf_row(FILE *f, const char *name, const struct vfbc_perf_dist *d)
{
	if (!d->valid) {
		fprintf(f, "  %-36s not measured: %s\n", name, d->why);
		return;
	}
	fprintf(f, "  %-36s %8.0f %8.0f %8.0f %8.0f %9.0f %8" PRIu64 "\n", name, d->p50, d->p90,
			d->p99, d->p999, d->max, d->samples);
}

static const char *
vfbc_perf_verdict(double v, double limit, int below)
{
	if (isnan(v))
		return "not measured";
	return (below ? v <= limit : v >= limit) ? "met" : "MISSED";
}

/* A rate or cost in both columns of the throughput table. */
static void
vfbc_perf_pair(FILE *f, const char *name, double drv, double ch, const char *unit)
{
	fprintf(f, "  %-40s %10.3g %10.3g  %s\n", name, drv, ch, unit);
}

static void
vfbc_perf_instr(char *buf, size_t len, double v)
{
	if (v >= 0)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "-");
}

static void
vfbc_perf_print_many(FILE *f, const struct vfbc_perf_level_res *l, enum vfbc_perf_level level)
{
	unsigned int i;

	fprintf(f, "  %s\n", level == VFBC_PERF_DRIVER ?
			"driver (vfbc_pf_invalidate_config_blocks, vfbc_vf_poll)" :
			"channel (vfbc_channel_invalidate, vfbc_channel_poll_invalidations)");
	fprintf(f, "  %5s %9s %16s %16s %12s %10s\n", "VFs", "VF PMD", "invalidations/s",
			"deliveries/s", "Jain index", "min/max");
	for (i = 0; i < l->nb_many; i++)
		fprintf(f, "  %5u %9u %16.3g %16.3g %12.3f %10.2f\n", l->many_vfs[i],
				l->many_pmd_vfs[i], l->many_inv_per_s[i], l->many_deliv_per_s[i],
				l->many_jain[i], l->many_min_max[i]);
}

static void
vfbc_perf_print_service(FILE *f, const struct vfbc_perf_level_res *l, const char *what)
{
	fprintf(f, "  %s\n", what);
	if (!l->service_valid && l->service_ns_256 <= 0) {
		fprintf(f, "    not measured%s%s\n", l->service_why[0] ? ": " : "", l->service_why);
		return;
	}
	if (l->service_ns_1 > 0)
		fprintf(f, "    1 busy VF of %3u       %7.1f ns/iteration %8.1f ns/request, idle "
				"%5.1f ns/iteration\n", l->service_small_vfs, l->service_ns_1,
				l->service_req_ns_1, l->service_idle_ns_1);
	else
		fprintf(f, "    1 VF: not measured: %s\n", l->service_why);
	fprintf(f, "    1 busy + %3u idle VFs  %7.1f ns/iteration %8.1f ns/request, idle "
			"%5.1f ns/iteration\n", l->service_big_vfs - 1, l->service_ns_256,
			l->service_req_ns_256, l->service_idle_ns_256);
	if (l->iso_service_idle_ns_256 > 0)
		fprintf(f, "    isolated channel, every VF claimed, idle: 1 VF %5.1f ns/iteration, "
				"%u VFs %5.1f ns/iteration\n", l->iso_service_idle_ns_1,
				VFBC_CHANNEL_MAX_VFS, l->iso_service_idle_ns_256);
}

static void
vfbc_perf_print_acct(FILE *f, const char *name, const struct vfbc_perf_acct *a)
{
	fprintf(f, "  %-8s %12" PRIu64 " bits sent, %12" PRIu64 " delivered, %" PRIu64
			" lost, %" PRIu64 " phantom, %" PRIu64 " \"all blocks\": %s\n", name,
			a->bits_sent, a->bits_delivered, a->bits_lost, a->phantom_bits,
			a->ch_resyncs, vfbc_perf_acct_ok(a) ? "exact" : "FAILED");
}

void
vfbc_perf_print_table(FILE *f, const struct vfbc_perf_results *r, const struct vfbc_perf_opts *o)
{
	const struct vfbc_perf_level_res *d = &r->lv[VFBC_PERF_DRIVER];
	const struct vfbc_perf_level_res *c = &r->lv[VFBC_PERF_CHANNEL];
	struct vfbc_perf_ratios q, qc;
	char a[32], b[32];

	vfbc_perf_ratios(r, VFBC_PERF_DRIVER, &q);
	vfbc_perf_ratios(r, VFBC_PERF_CHANNEL, &qc);
	fprintf(f, "\nvfbc-perf, %s, %s, TSC %.3f GHz, %.1f s%s\n", r->date, r->cpu,
			r->tsc_hz / 1e9, r->run_seconds, o->quick ? " (--quick)" : "");
	fprintf(f, "placement: %s\n", r->placement);
	fprintf(f, "driver path: %s\n", r->driver);

	fprintf(f, "\nOne-way latency, ns (%u interleaved chunks)  p50      p90      p99    p99.9"
			"       max  samples\n", r->lat_chunks);
	vfbc_perf_row(f, "vfbc invalidate PF->VF, driver", &d->inv);
	vfbc_perf_row(f, "vfbc invalidate PF->VF, channel", &c->inv);
	vfbc_perf_row(f, "isolated driver (net_vfbc_isolated)", &r->iso_inv);
	vfbc_perf_row(f, "cache line PF->VF (physical limit)", &r->cacheline);
	vfbc_perf_row(f, "cache line VF->PF", &r->cacheline_back);
	vfbc_perf_row(f, "cache line PF->VF, isolated run", &r->iso_cacheline);
	vfbc_perf_row(f, "rte_ring SP/SC ping-pong", &vfbc_perf_dropped);
	vfbc_perf_row(f, "rte_mp_request_sync RTT/2", &r->mp);
	vfbc_perf_row(f, "pipe wake-up", &r->pipe);
	fprintf(f, "Wake-up of a sleeping VF process, ns (%u interleaved chunks)\n",
			VFBC_PERF_SLEEP_CHUNKS);
	vfbc_perf_row(f, "vfbc sleep mode (rte_epoll_wait)", &r->sleep_wake);
	vfbc_perf_row(f, "pipe, same wait and timestamps", &r->pipe_wake);
	if (r->sleep_idle_valid)
		fprintf(f, "  armed, idle VF process: %.2f ms CPU over %.2f s\n",
				r->sleep_idle_cpu_s * 1e3, r->sleep_idle_wall_s);
	else
		fprintf(f, "  armed, idle VF process: not measured: %s\n", r->sleep_idle_why);
	fprintf(f, "Round trip, ns\n");
	vfbc_perf_row(f, "vfbc request VF->PF->VF, driver", &d->req);
	vfbc_perf_row(f, "vfbc request VF->PF->VF, channel", &c->req);
	vfbc_perf_row(f, "vfbc request, driver, PF asleep", &r->req_pf_sleep);
	if (r->cacheline.valid)
		fprintf(f, "  (TSC offset VF - PF, from the two cache-line legs: %.0f ns)\n",
				r->tsc_offset_ns);
	if (r->iso_inv.valid)
		fprintf(f, "  (isolated: %u chunks after the runs above, the PF probed again "
				"with socket=; %s)\n", r->lat_chunks, r->isolated);

	fprintf(f, "\nThroughput                                     driver    channel\n");
	vfbc_perf_pair(f, "vfbc masks delivered, VF keeps up", d->deliveries_per_s,
			c->deliveries_per_s, "/s");
	vfbc_perf_pair(f, "  polls that delivered", d->keepup_deliver_events_per_s,
			c->keepup_deliver_events_per_s, "/s");
	vfbc_perf_pair(f, "vfbc invalidations, overload", d->invalidations_per_s,
			c->invalidations_per_s, "/s");
	vfbc_perf_pair(f, "  deliveries", d->overload_deliveries_per_s,
			c->overload_deliveries_per_s, "/s");
	vfbc_perf_pair(f, "PF invalidate call, under overload", d->inv_call_ns, c->inv_call_ns,
			"ns");
	vfbc_perf_pair(f, "PF invalidate call, VF not polling", d->inv_call_ns_solo,
			c->inv_call_ns_solo, "ns");
	vfbc_perf_pair(f, "VF poll, nothing pending", d->poll_idle_ns, c->poll_idle_ns, "ns");
	vfbc_perf_instr(a, sizeof(a), r->instr[VFBC_PERF_DRIVER][0]);
	vfbc_perf_instr(b, sizeof(b), r->instr[VFBC_PERF_CHANNEL][0]);
	fprintf(f, "  %-40s %10s %10s  instructions\n", "PF invalidate, doorbell path", a, b);
	vfbc_perf_instr(a, sizeof(a), r->instr[VFBC_PERF_DRIVER][1]);
	vfbc_perf_instr(b, sizeof(b), r->instr[VFBC_PERF_CHANNEL][1]);
	fprintf(f, "  %-40s %10s %10s  instructions\n", "PF invalidate, coalescing path", a, b);
	if (r->instr_why[VFBC_PERF_DRIVER][0] != '\0')
		fprintf(f, "  (driver instructions: %s)\n", r->instr_why[VFBC_PERF_DRIVER]);
	if (r->instr_why[VFBC_PERF_CHANNEL][0] != '\0' &&
			strcmp(r->instr_why[0], r->instr_why[1]) != 0)
		fprintf(f, "  (channel instructions: %s)\n", r->instr_why[VFBC_PERF_CHANNEL]);
	fprintf(f, "  rte_ring SP/SC burst %-3u                  %10.3g elem/s\n",
			VFBC_PERF_BURST, r->raw_ring_elems_per_s);
	fprintf(f, "  rte_ring SP/SC single enqueue             %10.3g elem/s\n",
			r->raw_ring_single_elems_per_s);
	vfbc_perf_pair(f, "vfbc invalidations, VF not polling", d->coalescing_per_s,
			c->coalescing_per_s, "/s");

	fprintf(f, "\nMany VFs: 1 PF lcore invalidating round robin, %u VF process%s\n",
			o->procs, o->procs > 1 ? "es" : "");
	vfbc_perf_print_many(f, d, VFBC_PERF_DRIVER);
	vfbc_perf_print_many(f, c, VFBC_PERF_CHANNEL);

	fprintf(f, "\nFan-out: one bulk call vs single calls over %u VFs, every VF armed, "
			"ns per fan-out\n", VFBC_CHANNEL_MAX_VFS);
	fprintf(f, "  %-36s %8s %8s %8s %8s %9s %8s\n", "", "p50", "p90", "p99", "p99.9", "max",
			"samples");
	vfbc_perf_row(f, "bulk call, driver", &d->bulk);
	vfbc_perf_row(f, "single calls, driver", &d->singles);
	vfbc_perf_row(f, "bulk call, channel", &c->bulk);
	vfbc_perf_row(f, "single calls, channel", &c->singles);

	fprintf(f, "\nPF request service loop\n");
	vfbc_perf_print_service(f, d, "driver: vfbc_pf_mbox_poll_all(32), explicit, VF "
			"vfbc_vf_write_config_block() back to back");
	vfbc_perf_print_service(f, c, "channel: doorbell scan, dequeue, block write, respond; "
			"16 requests in flight");
	fprintf(f, "  scale: one primary, one loop over %u PFs of %u VFs (a world of its own)\n",
			VFBC_PERF_SCALE_PFS, VFBC_CHANNEL_MAX_VFS);
	if (r->scale_valid) {
		fprintf(f, "    1 busy + %4u idle VFs %7.1f ns/iteration %8.1f ns/request, idle "
				"%5.1f ns/iteration\n", r->scale_vfs - 1, r->scale_service_ns,
				r->scale_service_req_ns, r->scale_service_idle_ns);
		fprintf(f, "    memory per VF: channel %.0f bytes; heap in use %.0f bytes over the "
				"1-VF world's\n", r->scale_chan_bytes_per_vf,
				r->scale_heap_bytes_per_vf);
	} else {
		fprintf(f, "    not measured: %s\n", r->scale_why[0] != '\0' ? r->scale_why :
				"not run");
	}

	fprintf(f, "\nVF config-space writes (1 byte, VF 0)\n");
	if (r->config_valid)
		fprintf(f, "  PF API %10.3g /s (%.0f ns)   raw pwrite %10.3g /s (%.0f ns) on %s\n",
				r->config_writes_per_s, 1e9 / r->config_writes_per_s,
				r->raw_pwrite_per_s, 1e9 / r->raw_pwrite_per_s, r->config_fd_src);
	else
		fprintf(f, "  not measured: %s\n", r->config_why);

	fprintf(f, "\nAccounting\n");
	vfbc_perf_print_acct(f, "driver", &d->acct);
	vfbc_perf_print_acct(f, "channel", &c->acct);
	if (r->iso_inv.valid)
		vfbc_perf_print_acct(f, "isolated", &r->iso_acct);
	else
		fprintf(f, "  %-8s not measured: %s\n", "isolated", r->iso_inv.why);

	fprintf(f, "\nTargets (driver; channel beside)          measured   channel  verdict\n");
	fprintf(f, "  latency p50 <= 1.5x cache line         %8.2fx %8.2fx  %s\n",
			q.lat_cacheline, qc.lat_cacheline,
			vfbc_perf_verdict(q.lat_cacheline, VFBC_PERF_T_LAT_CACHELINE, 1));
	fprintf(f, "  latency p50 <= 1/50 of rte_mp          %8.4fx %8.4fx  %s\n", q.lat_mp,
			qc.lat_mp, vfbc_perf_verdict(q.lat_mp, VFBC_PERF_T_LAT_MP, 1));
	fprintf(f, "  throughput >= 0.7x raw ring (burst)    %8.3fx %8.3fx  %s\n",
			q.throughput, qc.throughput,
			vfbc_perf_verdict(q.throughput, VFBC_PERF_T_THROUGHPUT, 0));
	fprintf(f, "  config write <= 1.2x raw pwrite cost   %8.2fx %9s  %s\n", q.config, "",
			vfbc_perf_verdict(q.config, VFBC_PERF_T_CONFIG, 1));
	fprintf(f, "  service %3u VFs <= 2x 1 VF             %8.2fx %8.2fx  %s\n",
			d->service_big_vfs, q.service, qc.service,
			vfbc_perf_verdict(q.service, VFBC_PERF_T_SERVICE, 1));
	fprintf(f, "  invalidate <= 60 instructions          %8.1f  %8.1f   %s\n",
			r->instr[VFBC_PERF_DRIVER][0], r->instr[VFBC_PERF_CHANNEL][0],
			vfbc_perf_verdict(r->instr[VFBC_PERF_DRIVER][0] >= 0 ?
			r->instr[VFBC_PERF_DRIVER][0] : NAN, VFBC_PERF_T_INSTR, 1));
	if (isnan(q.isolated))
		snprintf(a, sizeof(a), "-");
	else
		snprintf(a, sizeof(a), "%.2fx", q.isolated);
	fprintf(f, "  bulk 256 VFs <= 0.5x 256 single calls  %8.2fx %8.2fx  %s\n", q.bulk,
			qc.bulk, vfbc_perf_verdict(q.bulk, VFBC_PERF_T_BULK, 1));
	if (isnan(q.bulk))
		fprintf(f, "    (fan-out: %s)\n", d->bulk.why);
	else if (q.bulk > VFBC_PERF_T_BULK)
		/*
		 * The bulk call overlaps misses and keeps each VF's locked
		 * operations: single calls that hardly missed (both vCPUs on one
		 * core's caches: the cache line tells) leave it nothing to save.
		 */
		fprintf(f, "    (bulk %.0f ns, singles %.0f ns p50, %.1f ns a VF: single calls "
				"that miss little leave the bulk call only the locked operations "
				"it keeps; cache line PF->VF p50 %.0f ns; see the guide)\n",
				d->bulk.p50, d->singles.p50, d->singles.p50 / d->bulk_vfs,
				r->cacheline.p50);
	fprintf(f, "  isolated p50 <= 1.1x secondary driver  %9s %9s  %s\n", a, "",
			vfbc_perf_verdict(q.isolated, VFBC_PERF_T_ISOLATED, 1));
	if (isnan(q.iso_service))
		snprintf(a, sizeof(a), "-");
	else
		snprintf(a, sizeof(a), "%.2fx", q.iso_service);
	fprintf(f, "  isolated idle service 256 <= 2x 1 VF   %9s %9s  %s\n", "", a,
			vfbc_perf_verdict(q.iso_service, VFBC_PERF_T_ISO_SERVICE, 1));
	if (isnan(q.isolated))
		fprintf(f, "    (isolated: %s)\n", r->iso_inv.why);
	else if (q.isolated > VFBC_PERF_T_ISOLATED)
		/* Not interleaved with the secondary run: its own cache line says more. */
		fprintf(f, "    (isolated run: %.2fx its cache line, %.0f ns; secondary run: "
				"%.2fx its cache line, %.0f ns; the VF's area is 4 KiB pages, "
				"not hugepages: see the guide)\n", q.iso_cacheline,
				r->iso_cacheline.p50, q.lat_cacheline, r->cacheline.p50);
	vfbc_perf_print_targets(f, r);
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

/* "key": number (with a leading ", " unless first). */
static void
vfbc_perf_jkey(FILE *f, const char *key, double v, int ok, int first)
{
	fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
	vfbc_perf_jnum(f, v, ok);
}

/* The members of a distribution, without braces. */
static void
vfbc_perf_jdist_body(FILE *f, const struct vfbc_perf_dist *d)
{
	vfbc_perf_jkey(f, "p50", d->p50, d->valid, 1);
	vfbc_perf_jkey(f, "p90", d->p90, d->valid, 0);
	vfbc_perf_jkey(f, "p99", d->p99, d->valid, 0);
	vfbc_perf_jkey(f, "p999", d->p999, d->valid, 0);
	vfbc_perf_jkey(f, "max", d->max, d->valid, 0);
	vfbc_perf_jkey(f, "mean", d->mean, d->valid, 0);
	fprintf(f, ", \"samples\": %" PRIu64, d->samples);
	if (!d->valid)
		fprintf(f, ", \"not_measured\": \"%s\"", d->why);
}

static void
vfbc_perf_jdist(FILE *f, const char *key, const struct vfbc_perf_dist *d, const char *tail)
{
	fprintf(f, "    \"%s\": {", key);
	vfbc_perf_jdist_body(f, d);
	fprintf(f, "}%s\n", tail);
}

static void
vfbc_perf_jthroughput(FILE *f, const struct vfbc_perf_results *r, enum vfbc_perf_level level)
{
	const struct vfbc_perf_level_res *l = &r->lv[level];

	vfbc_perf_jkey(f, "deliveries_per_s", l->deliveries_per_s, l->deliveries_per_s > 0, 1);
	vfbc_perf_jkey(f, "invalidations_per_s", l->invalidations_per_s,
			l->invalidations_per_s > 0, 0);
	vfbc_perf_jkey(f, "raw_ring_elems_per_s", r->raw_ring_elems_per_s,
			r->raw_ring_elems_per_s > 0, 0);
	vfbc_perf_jkey(f, "keepup_delivering_polls_per_s", l->keepup_deliver_events_per_s,
			l->keepup_deliver_events_per_s > 0, 0);
	vfbc_perf_jkey(f, "overload_deliveries_per_s", l->overload_deliveries_per_s,
			l->overload_deliveries_per_s > 0, 0);
	vfbc_perf_jkey(f, "invalidate_call_ns", l->inv_call_ns, l->inv_call_ns > 0, 0);
	vfbc_perf_jkey(f, "invalidate_call_ns_no_consumer", l->inv_call_ns_solo,
			l->inv_call_ns_solo > 0, 0);
	vfbc_perf_jkey(f, "vf_poll_idle_ns", l->poll_idle_ns, l->poll_idle_ns > 0, 0);
	vfbc_perf_jkey(f, "invalidations_no_consumer_per_s", l->coalescing_per_s,
			l->coalescing_per_s > 0, 0);
	vfbc_perf_jkey(f, "invalidate_instructions", r->instr[level][0], r->instr[level][0] >= 0,
			0);
	vfbc_perf_jkey(f, "invalidate_instructions_coalescing", r->instr[level][1],
			r->instr[level][1] >= 0, 0);
	if (r->instr[level][0] < 0)
		fprintf(f, ", \"instructions_not_measured\": \"%s\"", r->instr_why[level]);
	fprintf(f, ", \"level\": \"%s\"", vfbc_perf_level_names[level]);
}

/* The 4-PF world's service loop and memory per VF (driver level). */
static void
vfbc_perf_jscale(FILE *f, const struct vfbc_perf_results *r)
{
	fprintf(f, ", \"scale_pfs\": %u, \"scale_vfs\": %u", r->scale_pfs, r->scale_vfs);
	vfbc_perf_jkey(f, "service_ns_scale", r->scale_service_ns, r->scale_valid, 0);
	vfbc_perf_jkey(f, "service_request_ns_scale", r->scale_service_req_ns, r->scale_valid,
			0);
	vfbc_perf_jkey(f, "service_idle_ns_scale", r->scale_service_idle_ns, r->scale_valid, 0);
	vfbc_perf_jkey(f, "channel_bytes_per_vf", r->scale_chan_bytes_per_vf, r->scale_valid,
			0);
	vfbc_perf_jkey(f, "heap_bytes_per_vf", r->scale_heap_bytes_per_vf,
			r->scale_valid && r->scale_heap_bytes_per_vf > 0, 0);
	if (!r->scale_valid)
		fprintf(f, ", \"scale_not_measured\": \"%s\"", r->scale_why[0] != '\0' ?
				r->scale_why : "not run");
}

static void
vfbc_perf_jscaling(FILE *f, const struct vfbc_perf_level_res *l, enum vfbc_perf_level level)
{
	unsigned int i;

	vfbc_perf_jkey(f, "service_ns_1vf", l->service_ns_1, l->service_ns_1 > 0, 1);
	vfbc_perf_jkey(f, "service_ns_256vf", l->service_ns_256, l->service_ns_256 > 0, 0);
	vfbc_perf_jkey(f, "service_idle_ns_1vf", l->service_idle_ns_1, l->service_ns_1 > 0, 0);
	vfbc_perf_jkey(f, "service_idle_ns_256vf", l->service_idle_ns_256,
			l->service_ns_256 > 0, 0);
	vfbc_perf_jkey(f, "service_request_ns_1vf", l->service_req_ns_1,
			l->service_req_ns_1 > 0, 0);
	vfbc_perf_jkey(f, "service_request_ns_256vf", l->service_req_ns_256,
			l->service_req_ns_256 > 0, 0);
	vfbc_perf_jkey(f, "service_work_ns_1vf", l->service_work_ns_1,
			l->service_work_ns_1 > 0, 0);
	fprintf(f, ", \"service_small_vfs\": %u, \"service_big_vfs\": %u",
			l->service_small_vfs, l->service_big_vfs);
	if (l->service_why[0] != '\0')
		fprintf(f, ", \"service_not_measured\": \"%s\"", l->service_why);
	if (level == VFBC_PERF_DRIVER)
		fprintf(f, ", \"service_poll\": \"vfbc_pf_mbox_poll_all, explicit, budget %u\"",
				VFBC_PERF_MBOX_BUDGET);
	fprintf(f, ", \"many\": [");
	for (i = 0; i < l->nb_many; i++)
		fprintf(f, "%s{\"vfs\": %u, \"vf_pmd_vfs\": %u, \"invalidations_per_s\": %.6g, "
				"\"deliveries_per_s\": %.6g, \"jain\": %.4f, "
				"\"min_over_max\": %.4f}",
				i ? ", " : "", l->many_vfs[i], l->many_pmd_vfs[i],
				l->many_inv_per_s[i], l->many_deliv_per_s[i], l->many_jain[i],
				l->many_min_max[i]);
	fprintf(f, "], \"level\": \"%s\"", vfbc_perf_level_names[level]);
}

static void
vfbc_perf_jacct(FILE *f, const struct vfbc_perf_acct *a, enum vfbc_perf_level level)
{
	fprintf(f, "\"bits_sent\": %" PRIu64 ", \"bits_lost\": %" PRIu64 ", \"phantom_bits\": %"
			PRIu64 ", \"bits_delivered\": %" PRIu64 ", \"resyncs\": %" PRIu64
			", \"claim_takeovers\": %" PRIu64, a->bits_sent, a->bits_lost,
			a->phantom_bits, a->bits_delivered, a->ch_resyncs, a->ch_takeovers);
	fprintf(f, ", \"level\": \"%s\"", vfbc_perf_level_names[level]);
}

static void
vfbc_perf_jratios(FILE *f, const struct vfbc_perf_ratios *q, enum vfbc_perf_level level)
{
	vfbc_perf_jkey(f, "latency_p50_vs_cacheline", q->lat_cacheline, 1, 1);
	vfbc_perf_jkey(f, "latency_p50_vs_rte_mp", q->lat_mp, 1, 0);
	vfbc_perf_jkey(f, "throughput_vs_raw_ring", q->throughput, 1, 0);
	vfbc_perf_jkey(f, "config_write_vs_raw_pwrite", q->config, 1, 0);
	vfbc_perf_jkey(f, "service_256_vs_1", q->service, 1, 0);
	/* The driver level's is a target of issue 14: with the others. */
	if (level == VFBC_PERF_CHANNEL)
		vfbc_perf_jkey(f, "bulk256_vs_singles", q->bulk, 1, 0);
	fprintf(f, ", \"level\": \"%s\"", vfbc_perf_level_names[level]);
}

static void
vfbc_perf_jfanout(FILE *f, const struct vfbc_perf_level_res *l, enum vfbc_perf_level level)
{
	fprintf(f, "\"vfs\": %u, \"bulk_ns\": {", l->bulk_vfs);
	vfbc_perf_jdist_body(f, &l->bulk);
	fprintf(f, "}, \"singles_ns\": {");
	vfbc_perf_jdist_body(f, &l->singles);
	fprintf(f, "}, \"level\": \"%s\"", vfbc_perf_level_names[level]);
}

/*
 * The keys hold the driver-level figures ("level": "driver"); each
 * section has a "channel" member with the channel-level ones.
 */
int
vfbc_perf_write_json(const char *path, const struct vfbc_perf_results *r,
		const struct vfbc_perf_opts *o)
{
	const struct vfbc_perf_level_res *d = &r->lv[VFBC_PERF_DRIVER];
	const struct vfbc_perf_level_res *c = &r->lv[VFBC_PERF_CHANNEL];
	struct vfbc_perf_ratios q, qc;
	FILE *f;

	vfbc_perf_ratios(r, VFBC_PERF_DRIVER, &q);
	vfbc_perf_ratios(r, VFBC_PERF_CHANNEL, &qc);
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "vfbc-perf: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "{\n  \"machine\": {\"cpu\": \"%s\", \"date\": \"%s\", \"tsc_hz\": %" PRIu64
			", \"quick\": %s, \"procs\": %u, \"placement\": \"%s\", \"driver\": "
			"\"%s\"},\n", r->cpu, r->date, r->tsc_hz, o->quick ? "true" : "false",
			o->procs, r->placement, r->driver);

	fprintf(f, "  \"invalidate_latency_ns\": {");
	vfbc_perf_jdist_body(f, &d->inv);
	fprintf(f, ", \"chunks\": %u, \"level\": \"driver\",\n    \"channel\": {", r->lat_chunks);
	vfbc_perf_jdist_body(f, &c->inv);
	fprintf(f, ", \"level\": \"channel\"},\n    \"isolated\": {");
	vfbc_perf_jdist_body(f, &r->iso_inv);
	fprintf(f, ", \"level\": \"driver\", \"consumer\": \"net_vfbc_isolated\", \"path\": "
			"\"%s\",\n      \"cacheline\": {", r->isolated);
	vfbc_perf_jdist_body(f, &r->iso_cacheline);
	fprintf(f, "}}},\n");

	fprintf(f, "  \"baselines\": {\n");
	vfbc_perf_jdist(f, "cacheline_oneway_ns", &r->cacheline, ",");
	vfbc_perf_jdist(f, "cacheline_back_oneway_ns", &r->cacheline_back, ",");
	vfbc_perf_jdist(f, "ring_oneway_ns", &vfbc_perf_dropped, ",");
	vfbc_perf_jdist(f, "rte_mp_oneway_ns", &r->mp, ",");
	vfbc_perf_jdist(f, "pipe_oneway_ns", &r->pipe, ",");
	fprintf(f, "    \"tsc_offset_ns\": ");
	vfbc_perf_jnum(f, r->tsc_offset_ns, r->cacheline.valid);
	fprintf(f, "\n  },\n");

	fprintf(f, "  \"throughput\": {");
	vfbc_perf_jthroughput(f, r, VFBC_PERF_DRIVER);
	vfbc_perf_jkey(f, "raw_ring_single_elems_per_s", r->raw_ring_single_elems_per_s,
			r->raw_ring_single_elems_per_s > 0, 0);
	fprintf(f, ",\n    \"channel\": {");
	vfbc_perf_jthroughput(f, r, VFBC_PERF_CHANNEL);
	fprintf(f, "}},\n");

	fprintf(f, "  \"request_rtt_ns\": {");
	vfbc_perf_jdist_body(f, &d->req);
	fprintf(f, ", \"level\": \"driver\", \"pf_poll\": \"vfbc_pf_mbox_poll_all, explicit, "
			"on the PF lcore\",\n    \"channel\": {");
	vfbc_perf_jdist_body(f, &c->req);
	fprintf(f, ", \"level\": \"channel\"},\n    \"pf_asleep\": {");
	vfbc_perf_jdist_body(f, &r->req_pf_sleep);
	fprintf(f, ", \"level\": \"driver\", \"pf_poll\": \"vfbc_pf_mbox_poll_wait, no spin: "
			"every request wakes the PF\"}},\n");

	fprintf(f, "  \"sleep\": {\"wake_ns\": {");
	vfbc_perf_jdist_body(f, &r->sleep_wake);
	fprintf(f, "}, \"pipe_wake_ns\": {");
	vfbc_perf_jdist_body(f, &r->pipe_wake);
	fprintf(f, "}, \"idle_cpu_s\": ");
	vfbc_perf_jnum(f, r->sleep_idle_cpu_s, r->sleep_idle_valid);
	fprintf(f, ", \"idle_wall_s\": ");
	vfbc_perf_jnum(f, r->sleep_idle_wall_s, r->sleep_idle_valid);
	if (!r->sleep_idle_valid)
		fprintf(f, ", \"idle_not_measured\": \"%s\"", r->sleep_idle_why);
	fprintf(f, ", \"level\": \"driver\"},\n");

	fprintf(f, "  \"config_write\": {\"writes_per_s\": ");
	vfbc_perf_jnum(f, r->config_writes_per_s, r->config_valid);
	fprintf(f, ", \"raw_pwrite_per_s\": ");
	vfbc_perf_jnum(f, r->raw_pwrite_per_s, r->config_valid);
	if (!r->config_valid)
		fprintf(f, ", \"not_measured\": \"%s\"", r->config_why);
	fprintf(f, "},\n");

	fprintf(f, "  \"scaling\": {");
	vfbc_perf_jscaling(f, d, VFBC_PERF_DRIVER);
	vfbc_perf_jscale(f, r);
	fprintf(f, ",\n    \"channel\": {");
	vfbc_perf_jscaling(f, c, VFBC_PERF_CHANNEL);
	fprintf(f, "}},\n");

	fprintf(f, "  \"fanout\": {");
	vfbc_perf_jfanout(f, d, VFBC_PERF_DRIVER);
	fprintf(f, ",\n    \"channel\": {");
	vfbc_perf_jfanout(f, c, VFBC_PERF_CHANNEL);
	fprintf(f, "}},\n");

	fprintf(f, "  \"accounting\": {");
	vfbc_perf_jacct(f, &d->acct, VFBC_PERF_DRIVER);
	fprintf(f, ",\n    \"channel\": {");
	vfbc_perf_jacct(f, &c->acct, VFBC_PERF_CHANNEL);
	fprintf(f, "},\n    \"isolated\": {");
	vfbc_perf_jacct(f, &r->iso_acct, VFBC_PERF_DRIVER);
	if (!r->iso_inv.valid)
		fprintf(f, ", \"not_measured\": \"%s\"", r->iso_inv.why);
	fprintf(f, "}},\n");

	fprintf(f, "  \"ratios\": {");
	vfbc_perf_jratios(f, &q, VFBC_PERF_DRIVER);
	vfbc_perf_jkey(f, "isolated_vs_secondary_latency_p50", q.isolated, 1, 0);
	vfbc_perf_jkey(f, "isolated_latency_p50_vs_cacheline", q.iso_cacheline, 1, 0);
	vfbc_perf_jkey(f, "isolated_service_idle_256_vs_1", q.iso_service, 1, 0);
	vfbc_perf_json_target_ratios(f, r);
	if (isnan(q.isolated))
		fprintf(f, ", \"isolated_not_measured\": \"%s\"", r->iso_inv.why[0] != '\0' ?
				r->iso_inv.why : "the secondary driver latency was not measured");
	fprintf(f, ",\n    \"channel\": {");
	vfbc_perf_jratios(f, &qc, VFBC_PERF_CHANNEL);
	fprintf(f, "}},\n");
	vfbc_perf_json_target_notes(f, r);
	fprintf(f, "\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "vfbc-perf: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}
