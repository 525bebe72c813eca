/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Latency distributions (CDFs, log scale) drawn by gnuplot when installed. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf.h"

struct vfbc_perf_curve {
	const char *title;
	const struct vfbc_perf_dist *d;
};

int
vfbc_perf_plot(const char *path, const struct vfbc_perf_results *r)
{
	const struct vfbc_perf_curve curves[] = {
		{ "vfbc invalidate (driver)", &r->lv[VFBC_PERF_DRIVER].inv },
		{ "vfbc invalidate (channel)", &r->lv[VFBC_PERF_CHANNEL].inv },
		{ "vfbc invalidate (isolated consumer)", &r->iso_inv },
		{ "cache line", &r->cacheline },
		{ "rte_mp RTT/2", &r->mp },
		{ "pipe wake-up", &r->pipe },
	};
	char dir[] = "/tmp/vfbc-perf-plot-XXXXXX";
	char file[600], cmd[700];
	unsigned int i, first = 1;
	uint64_t k;
	FILE *f, *g;
	int ret;

	if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
		printf("plot: skipped, gnuplot is not installed\n");
		return 0;
	}
	if (mkdtemp(dir) == NULL)
		return -errno;
	snprintf(file, sizeof(file), "%s/plot.gp", dir);
	g = fopen(file, "w");
	if (g == NULL)
		return -errno;
	fprintf(g, "set terminal pngcairo noenhanced size 1000,600\nset output '%s'\n"
			"set title 'PF to VF one-way latency: vfbc and its baselines (%s)'\n"
			"set logscale x\nset xlabel 'ns'\nset ylabel 'fraction of samples'\n"
			"set key bottom right\nset grid\nplot ", path, r->date);
	for (i = 0; i < RTE_DIM(curves); i++) {
		const struct vfbc_perf_dist *d = curves[i].d;

		if (!d->valid || d->cdf_n == 0)
			continue;
		snprintf(file, sizeof(file), "%s/%u.dat", dir, i);
		f = fopen(file, "w");
		if (f == NULL)
			continue;
		for (k = 0; k < d->cdf_n; k++)
			fprintf(f, "%.1f %.6f\n", d->cdf_x[k] > 1 ? d->cdf_x[k] : 1,
					(double)(k + 1) / d->cdf_n);
		fclose(f);
		fprintf(g, "%s'%s' using 1:2 with lines lw 2 title '%s'", first ? "" : ", ",
				file, curves[i].title);
		first = 0;
	}
	fprintf(g, "\n");
	fclose(g);
	snprintf(cmd, sizeof(cmd), "gnuplot %s/plot.gp", dir);
	ret = first ? -ENODATA : system(cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "vfbc-perf: could not remove %s\n", dir);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: gnuplot failed to draw %s\n", path);
		return -EIO;
	}
	printf("plot: %s\n", path);
	return 0;
}
