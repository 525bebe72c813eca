/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Percentiles of TSC samples, converted to nanoseconds. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf.h"

static int
vfbc_perf_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted values. */
static uint64_t
vfbc_perf_rank(const uint64_t *sorted, uint64_t n, double q)
{
	uint64_t k = (uint64_t)ceil(q * (double)n);

	if (k == 0)
		k = 1;
	if (k > n)
		k = n;
	return sorted[k - 1];
}

/*
 * Sorts cycles in place. scale divides every value (2 turns a round trip
 * into a one-way figure).
 */
void
vfbc_perf_dist_from_cycles(struct vfbc_perf_dist *d, uint64_t *cycles, uint64_t n,
		uint64_t tsc_hz, double scale)
{
	double ns = 1e9 / (double)tsc_hz / scale;
	double sum = 0;
	uint64_t i;

	memset(d, 0, sizeof(*d));
	if (n == 0) {
		snprintf(d->why, sizeof(d->why), "no samples");
		return;
	}
	qsort(cycles, n, sizeof(cycles[0]), vfbc_perf_cmp_u64);
	for (i = 0; i < n; i++)
		sum += (double)cycles[i];
	d->valid = 1;
	d->samples = n;
	d->p50 = vfbc_perf_rank(cycles, n, 0.50) * ns;
	d->p90 = vfbc_perf_rank(cycles, n, 0.90) * ns;
	d->p99 = vfbc_perf_rank(cycles, n, 0.99) * ns;
	d->p999 = vfbc_perf_rank(cycles, n, 0.999) * ns;
	d->max = cycles[n - 1] * ns;
	d->mean = sum / (double)n * ns;
	/* Keep at most 4000 points of the CDF for the plot. */
	d->cdf_n = RTE_MIN(n, (uint64_t)4000);
	d->cdf_x = malloc(d->cdf_n * sizeof(double));
	if (d->cdf_x == NULL) {
		d->cdf_n = 0;
		return;
	}
	for (i = 0; i < d->cdf_n; i++)
		d->cdf_x[i] = cycles[i * n / d->cdf_n] * ns;
}
