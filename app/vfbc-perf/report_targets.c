/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The targets of issue 14: each a ratio of two figures of the same run,
 * printed in a table of its own and written under "ratios" in the JSON.
 * A target this run cannot measure is null, and its reason goes in
 * "ratios_not_measured"; a missed target stays missed, with the figures
 * on both sides of its ratio beside it. Reported, never asserted.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perf.h"

enum vfbc_perf_t14 {
	VFBC_PERF_T14_LAT_CACHELINE,
	VFBC_PERF_T14_LAT_CHANNEL,
	VFBC_PERF_T14_EMPTY_POLL,
	VFBC_PERF_T14_REQ_RTT,
	VFBC_PERF_T14_SERVICE_REQ,
	VFBC_PERF_T14_INV_RING,
	VFBC_PERF_T14_COALESCING_RING,
	VFBC_PERF_T14_BULK,
	VFBC_PERF_T14_SLEEP_WAKE,
	VFBC_PERF_T14_SLEEP_IDLE,
	VFBC_PERF_T14_SERVICE_1024,
	VFBC_PERF_NB_T14,
};

struct vfbc_perf_t14_def {
	const char *key;
	double limit;
	int below;           /**< Met when measured <= limit; else >= limit. */
};

static const struct vfbc_perf_t14_def vfbc_perf_t14_defs[VFBC_PERF_NB_T14] = {
	[VFBC_PERF_T14_LAT_CACHELINE] = { "driver_latency_p50_vs_cacheline", 1.25, 1 },
	[VFBC_PERF_T14_LAT_CHANNEL] = { "driver_vs_channel_latency_p50", 1.1, 1 },
	[VFBC_PERF_T14_EMPTY_POLL] = { "driver_vs_channel_empty_poll", 1.5, 1 },
	[VFBC_PERF_T14_REQ_RTT] = { "driver_vs_channel_request_rtt", 1.2, 1 },
	[VFBC_PERF_T14_SERVICE_REQ] = { "driver_vs_channel_service_per_request", 1.2, 1 },
	[VFBC_PERF_T14_INV_RING] = { "invalidations_vs_ring_single", 1.0, 0 },
	[VFBC_PERF_T14_COALESCING_RING] = { "coalescing_vs_ring_single", 3.0, 0 },
	[VFBC_PERF_T14_BULK] = { "bulk256_vs_singles", 0.5, 1 },
	[VFBC_PERF_T14_SLEEP_WAKE] = { "sleep_wake_vs_pipe", 1.2, 1 },
	[VFBC_PERF_T14_SLEEP_IDLE] = { "sleep_idle_cpu_fraction", 0.01, 1 },
	[VFBC_PERF_T14_SERVICE_1024] = { "service_1024_vs_1", 2.0, 1 },
};

/* What one run measured for a target. */
struct vfbc_perf_t14_val {
	double v;            /**< NaN: not measured. */
	char why[256];       /**< Not measured: why. */
	char sides[256];     /**< Measured: the figures on both sides. */
};

/* Why a distribution has no figure, or NULL. */
static const char *
vfbc_perf_dist_why(const struct vfbc_perf_dist *d)
{
	if (d->valid)
		return NULL;
	return d->why[0] != '\0' ? d->why : "not run";
}

/* a / b, or not measured: why (NULL: both measured), or a figure missing. */
static void
vfbc_perf_t14_div(struct vfbc_perf_t14_val *t, double a, double b, const char *why)
{
	t->v = NAN;
	if (why != NULL)
		snprintf(t->why, sizeof(t->why), "%s", why);
	else if (!(a >= 0) || !(b > 0))
		snprintf(t->why, sizeof(t->why), "a side was not measured (%g / %g)", a, b);
	else
		t->v = a / b;
}

/* a's p50 over b's, or why either was not measured. */
static void
vfbc_perf_t14_p50s(struct vfbc_perf_t14_val *t, const struct vfbc_perf_dist *a,
		const struct vfbc_perf_dist *b)
{
	const char *why = vfbc_perf_dist_why(a);

	vfbc_perf_t14_div(t, a->p50, b->p50, why != NULL ? why : vfbc_perf_dist_why(b));
}

static void
vfbc_perf_t14_compute(const struct vfbc_perf_results *r, struct vfbc_perf_t14_val *t)
{
	const struct vfbc_perf_level_res *d = &r->lv[VFBC_PERF_DRIVER];
	const struct vfbc_perf_level_res *c = &r->lv[VFBC_PERF_CHANNEL];
	struct vfbc_perf_t14_val *x;
	const char *why;

	memset(t, 0, VFBC_PERF_NB_T14 * sizeof(*t));

	x = &t[VFBC_PERF_T14_LAT_CACHELINE];
	vfbc_perf_t14_p50s(x, &d->inv, &r->cacheline);
	snprintf(x->sides, sizeof(x->sides), "invalidate p50 %.0f ns (driver), cache line "
			"PF->VF p50 %.0f ns", d->inv.p50, r->cacheline.p50);

	x = &t[VFBC_PERF_T14_LAT_CHANNEL];
	vfbc_perf_t14_p50s(x, &d->inv, &c->inv);
	snprintf(x->sides, sizeof(x->sides), "invalidate p50 %.0f ns driver, %.0f ns channel",
			d->inv.p50, c->inv.p50);

	x = &t[VFBC_PERF_T14_EMPTY_POLL];
	vfbc_perf_t14_div(x, d->poll_idle_ns, c->poll_idle_ns, NULL);
	snprintf(x->sides, sizeof(x->sides), "empty poll %.1f ns driver (vfbc_vf_poll), "
			"%.1f ns channel", d->poll_idle_ns, c->poll_idle_ns);

	x = &t[VFBC_PERF_T14_REQ_RTT];
	vfbc_perf_t14_p50s(x, &d->req, &c->req);
	snprintf(x->sides, sizeof(x->sides), "request round trip p50 %.0f ns driver, %.0f ns "
			"channel", d->req.p50, c->req.p50);

	/*
	 * One busy VF at both levels, one request in flight each: the time
	 * the service's calls that served spent, per request. The wall time
	 * per request (the driver's VF 1 in flight, the channel's 16) is
	 * printed beside it.
	 */
	x = &t[VFBC_PERF_T14_SERVICE_REQ];
	why = d->service_work_ns_1 > 0 ? NULL : d->service_why[0] != '\0' ? d->service_why :
		"the driver's 1-VF service run did not measure";
	vfbc_perf_t14_div(x, d->service_work_ns_1, c->service_work_ns_1, why);
	snprintf(x->sides, sizeof(x->sides), "service work %.0f ns a request driver "
			"(vfbc_pf_mbox_poll_all), %.0f ns channel, 1 busy VF with 1 request in "
			"flight; wall time a request %.0f ns driver (1 in flight), %.0f ns "
			"channel (%u)", d->service_work_ns_1, c->service_work_ns_1,
			d->service_req_ns_1, c->service_req_ns_1, VFBC_PERF_REQ_INFLIGHT);

	x = &t[VFBC_PERF_T14_INV_RING];
	vfbc_perf_t14_div(x, d->invalidations_per_s, r->raw_ring_single_elems_per_s, NULL);
	snprintf(x->sides, sizeof(x->sides), "%.3g invalidations/s accepted (driver, VF "
			"polling), rte_ring single enqueue %.3g elem/s", d->invalidations_per_s,
			r->raw_ring_single_elems_per_s);

	x = &t[VFBC_PERF_T14_COALESCING_RING];
	vfbc_perf_t14_div(x, d->coalescing_per_s, r->raw_ring_single_elems_per_s, NULL);
	snprintf(x->sides, sizeof(x->sides), "%.3g invalidations/s accepted (driver, VF not "
			"polling), rte_ring single enqueue %.3g elem/s", d->coalescing_per_s,
			r->raw_ring_single_elems_per_s);

	x = &t[VFBC_PERF_T14_BULK];
	vfbc_perf_t14_p50s(x, &d->bulk, &d->singles);
	snprintf(x->sides, sizeof(x->sides), "one bulk call %.0f ns, %u single calls %.0f ns "
			"(p50s, driver); cache line PF->VF p50 %.0f ns", d->bulk.p50, d->bulk_vfs,
			d->singles.p50, r->cacheline.p50);

	x = &t[VFBC_PERF_T14_SLEEP_WAKE];
	vfbc_perf_t14_p50s(x, &r->sleep_wake, &r->pipe_wake);
	snprintf(x->sides, sizeof(x->sides), "wake-up p50 %.1f us vfbc sleep mode, %.1f us "
			"pipe", r->sleep_wake.p50 / 1e3, r->pipe_wake.p50 / 1e3);

	/*
	 * The whole process, every thread: with every VF port of the run it
	 * holds, all watched by the VF PMD's one EAL alarm.
	 */
	x = &t[VFBC_PERF_T14_SLEEP_IDLE];
	vfbc_perf_t14_div(x, r->sleep_idle_cpu_s, r->sleep_idle_wall_s,
			r->sleep_idle_valid ? NULL : r->sleep_idle_why[0] != '\0' ?
			r->sleep_idle_why : "not run");
	snprintf(x->sides, sizeof(x->sides), "%.2f ms CPU over %.2f s; the process holds %u "
			"VF ports, the VF PMD watches them with one EAL alarm every %u ms",
			r->sleep_idle_cpu_s * 1e3, r->sleep_idle_wall_s, r->sleep_idle_ports,
			VFBC_VF_LIFE_PERIOD_MS);

	/* One primary, one loop over 4 PFs (nested run), over the 1-VF world's loop. */
	x = &t[VFBC_PERF_T14_SERVICE_1024];
	vfbc_perf_t14_div(x, r->scale_service_ns, d->service_ns_1,
			!r->scale_valid ? (r->scale_why[0] != '\0' ? r->scale_why : "not run") :
			d->service_ns_1 > 0 ? NULL : d->service_why);
	snprintf(x->sides, sizeof(x->sides), "%.1f ns per loop over %u PFs (%u VFs, 1 busy) vs "
			"%.1f ns over 1 PF of %u VF", r->scale_service_ns, r->scale_pfs,
			r->scale_vfs, d->service_ns_1, d->service_small_vfs);
}

static int
vfbc_perf_t14_met(const struct vfbc_perf_t14_def *def, double v)
{
	return def->below ? v <= def->limit : v >= def->limit;
}

void
vfbc_perf_print_targets(FILE *f, const struct vfbc_perf_results *r)
{
	struct vfbc_perf_t14_val t[VFBC_PERF_NB_T14];
	const struct vfbc_perf_t14_def *def;
	unsigned int i, met = 0, missed = 0;
	char target[16];

	vfbc_perf_t14_compute(r, t);
	fprintf(f, "\nTargets of issue 14 (driver level, this run)  target   measured  verdict\n");
	for (i = 0; i < VFBC_PERF_NB_T14; i++) {
		def = &vfbc_perf_t14_defs[i];
		snprintf(target, sizeof(target), "%s %g", def->below ? "<=" : ">=", def->limit);
		if (isnan(t[i].v)) {
			fprintf(f, "  %-40s %7s %10s  not measured\n    (%s)\n", def->key, target,
					"-", t[i].why);
			continue;
		}
		if (vfbc_perf_t14_met(def, t[i].v)) {
			met++;
			fprintf(f, "  %-40s %7s %10.4g  met\n", def->key, target, t[i].v);
			continue;
		}
		missed++;
		fprintf(f, "  %-40s %7s %10.4g  MISSED\n    (%s)\n", def->key, target, t[i].v,
				t[i].sides);
	}
	fprintf(f, "  %u met, %u missed, %u not measured\n", met, missed,
			VFBC_PERF_NB_T14 - met - missed);
}

/* The targets' keys in "ratios" (after the others: each with a leading ", "). */
void
vfbc_perf_json_target_ratios(FILE *f, const struct vfbc_perf_results *r)
{
	struct vfbc_perf_t14_val t[VFBC_PERF_NB_T14];
	unsigned int i;

	vfbc_perf_t14_compute(r, t);
	for (i = 0; i < VFBC_PERF_NB_T14; i++) {
		if (isnan(t[i].v))
			fprintf(f, ", \"%s\": null", vfbc_perf_t14_defs[i].key);
		else
			fprintf(f, ", \"%s\": %.6g", vfbc_perf_t14_defs[i].key, t[i].v);
	}
}

/*
 * Top-level members after "ratios": why each null target was not measured,
 * and every target's limit and verdict.
 */
void
vfbc_perf_json_target_notes(FILE *f, const struct vfbc_perf_results *r)
{
	struct vfbc_perf_t14_val t[VFBC_PERF_NB_T14];
	const struct vfbc_perf_t14_def *def;
	unsigned int i, k = 0;

	vfbc_perf_t14_compute(r, t);
	fprintf(f, "  \"ratios_not_measured\": {");
	for (i = 0; i < VFBC_PERF_NB_T14; i++)
		if (isnan(t[i].v))
			fprintf(f, "%s\"%s\": \"%s\"", k++ ? ", " : "", vfbc_perf_t14_defs[i].key,
					t[i].why);
	fprintf(f, "},\n  \"targets\": {");
	for (i = 0; i < VFBC_PERF_NB_T14; i++) {
		def = &vfbc_perf_t14_defs[i];
		fprintf(f, "%s\n    \"%s\": {\"limit\": %g, \"met_when\": \"%s\", \"verdict\": "
				"\"%s\"}", i ? "," : "", def->key, def->limit,
				def->below ? "<=" : ">=", isnan(t[i].v) ? "not measured" :
				vfbc_perf_t14_met(def, t[i].v) ? "met" : "missed");
	}
	fprintf(f, "}");
}
