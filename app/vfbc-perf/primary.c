/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF primary role: EAL as the primary, the shared state the VF
 * processes attach to (control memzone, driver path, channels, baseline
 * rings and pipes), the VF processes, the run, the isolated consumer's row
 * (isolated.c), then the verdict: the table, the accounting check, the JSON
 * and plot files.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "perf.h"

static void
vfbc_perf_machine(struct vfbc_perf_results *r)
{
	char line[256];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	snprintf(r->cpu, sizeof(r->cpu), "unknown CPU");
	f = fopen("/proc/cpuinfo", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			char *colon = strchr(line, ':');

			if (strncmp(line, "model name", 10) != 0 || colon == NULL)
				continue;
			colon += 2;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(r->cpu, sizeof(r->cpu), "%s", colon);
			break;
		}
		fclose(f);
	}
	gmtime_r(&now, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%d %H:%M UTC", &tm);
}

/* Everything the VF processes attach to; 0, or the exit status. */
static int
vfbc_perf_setup(const struct vfbc_perf_opts *o, struct vfbc_perf_results *r)
{
	int fwd[2], bwd[2];
	int ret;

	ret = vfbc_perf_ctl_create(o->procs, o->samples);
	if (ret == 0)
		ret = vfbc_perf_drv_setup(r, o->max_vfs);
	if (ret == 0)
		ret = vfbc_perf_baselines_setup();
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: setup failed: %s\n", strerror(-ret));
		return 1;
	}
	ret = vfbc_perf_channels_create(o->max_vfs);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: cannot create the channels: %s\n", strerror(-ret));
		return 1;
	}
	/* Inherited by the secondaries (no close-on-exec). */
	if (pipe(fwd) != 0 || pipe(bwd) != 0) {
		fprintf(stderr, "vfbc-perf: pipe: %s\n", strerror(errno));
		return 1;
	}
	vfbc_perf_ctl->pipe_fd[0] = fwd[1];
	vfbc_perf_ctl->pipe_fd[1] = bwd[0];
	vfbc_perf_ctl->pipe_fd[2] = fwd[0];
	vfbc_perf_ctl->pipe_fd[3] = bwd[1];
	return 0;
}

/* Set up, start the VF processes, run, stop them, judge: the exit status. */
static int
vfbc_perf_measure(const struct vfbc_perf_opts *o, struct vfbc_perf_eal *e)
{
	struct vfbc_perf_results r;
	unsigned int p;
	uint64_t t0;
	int ret, status;

	memset(&r, 0, sizeof(r));
	for (p = 0; p < 2; p++) {
		r.instr[VFBC_PERF_CHANNEL][p] = -1;
		r.instr[VFBC_PERF_DRIVER][p] = -1;
	}
	vfbc_perf_machine(&r);
	r.tsc_hz = rte_get_tsc_hz();
	t0 = rte_get_tsc_cycles();
	status = vfbc_perf_setup(o, &r);
	if (status != 0)
		return status;
	ret = vfbc_perf_start_procs(o, e, &r);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: cannot start the VF processes: %s\n", strerror(-ret));
		vfbc_perf_stop_procs();
		return 1;
	}
	if (o->part_out != NULL) {
		/* The nested 1-VF run of vfbc_perf_pf_service_small(). */
		ret = vfbc_perf_part_service(o, o->duration);
		vfbc_perf_stop_procs();
		if (ret != 0)
			fprintf(stderr, "vfbc-perf: 1-VF service run failed: %s\n",
					strerror(-ret));
		return ret == 0 ? 0 : 1;
	}
	printf("vfbc-perf: %s; TSC %.3f GHz\n", r.cpu, r.tsc_hz / 1e9);
	printf("placement: %s\n", r.placement);
	printf("driver path: %s\n", r.driver);
	if (o->lcores[0] == o->lcores[1])
		printf("warning: the PF and the VF share a CPU: the latencies mean nothing\n");
	if (o->procs > o->nb_lcores - 1)
		printf("warning: %u VF processes on %u CPUs: they time-share\n", o->procs,
				o->nb_lcores - 1);
	fflush(stdout);

	ret = vfbc_perf_run(o, &r);
	vfbc_perf_stop_procs();
	if (vfbc_perf_acct_collect(&r) != 0 && ret == 0)
		ret = -EIO;
	/* Last: it takes the PF from the secondary mode the runs above need. */
	if (vfbc_perf_isolated_run(o, e, &r, ret != 0) != 0 && ret == 0)
		ret = -EIO;
	r.run_seconds = (double)(rte_get_tsc_cycles() - t0) / rte_get_tsc_hz();
	vfbc_perf_print_table(stdout, &r, o);
	status = ret != 0;
	if (vfbc_perf_acct_check(&r) != 0)
		status = 1;
	if (o->json != NULL && vfbc_perf_write_json(o->json, &r, o) != 0)
		status = 1;
	if (o->plot != NULL)
		vfbc_perf_plot(o->plot, &r);
	vfbc_perf_channels_free();
	return status;
}

int
vfbc_perf_primary(const struct vfbc_perf_opts *o, char **user, int nb_user, const char *argv0)
{
	static struct vfbc_perf_eal e;
	int ret;

	ret = vfbc_perf_eal_args(&e, user, nb_user, o, argv0);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: cannot build the EAL arguments: %s\n", strerror(-ret));
		return 2;
	}
	if (rte_eal_init(e.argc, e.argv) < 0) {
		fprintf(stderr, "vfbc-perf: cannot init EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		fprintf(stderr, "vfbc-perf: must run as the primary process\n");
		rte_eal_cleanup();
		return 2;
	}
	ret = vfbc_perf_measure(o, &e);
	rte_eal_cleanup();
	return ret;
}
