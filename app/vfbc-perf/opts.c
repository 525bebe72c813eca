/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* The options of vfbc-perf: their help text, parsing and defaults. */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "perf.h"

/* Largest --samples: the sample arrays live in the -m memory. */
#define VFBC_PERF_MAX_SAMPLES 1000000

void
vfbc_perf_usage(FILE *f)
{
	fprintf(f,
		"Usage: vfbc-perf [EAL options --] [options]\n"
		"Measure the vfbc backchannel, through its drivers and through its channel\n"
		"library, against the cache-line limit, rte_ring, rte_mp and a pipe, side by\n"
		"side. Outside a world and without EAL -a options it runs itself in an\n"
		"emulated world (vfbc-world next to it, or VFBC_WORLD_BIN).\n"
		"\n"
		"  --duration S        seconds per throughput figure (default 2, --quick 0.25)\n"
		"  --samples N         latency samples of the shared-memory mechanisms,\n"
		"                      1000..%u (default 100000); pipe and rte_mp take\n"
		"                      N/5 (N/20 with --quick)\n"
		"  --vfs N             largest VF count of the scaling run, 1..%u (default %u)\n"
		"  --procs N           VF consumer processes, 1..%u (default 1)\n"
		"  --lcores L          CPUs, PF first then VF processes, e.g. 0,1\n"
		"                      (default: the first two CPUs this process may use)\n"
		"  --quick             short run for CI (under 30 s)\n"
		"  --json FILE         write the figures as JSON\n"
		"  --plot FILE.png     draw the latency distributions (needs gnuplot)\n"
		"  --instructions      count instructions per invalidate with callgrind\n"
		"                      (default: on, except with --quick)\n"
		"  --no-instructions   do not\n"
		"  --single-process-invalidate N [--invalidate-path P]\n"
		"                      only call an invalidate path N times in one process\n"
		"                      (for valgrind --tool=callgrind); P is channel (both\n"
		"                      paths of the inline call, default), doorbell or\n"
		"                      coalesce (the PF driver's call; needs a world)\n"
		"  -h, --help          this help\n"
		"Exit status: 0 measured and the accounting is exact; 1 error or a lost\n"
		"or phantom bit; 2 bad option; 77 no world can be built here.\n",
		VFBC_PERF_MAX_SAMPLES, VFBC_PERF_MAX_VFS, VFBC_PERF_MAX_VFS,
		VFBC_PERF_MAX_PROCS);
}

static int
vfbc_perf_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *v < lo || *v > hi || s[0] == '-')
		return -EINVAL;
	return 0;
}

static int
vfbc_perf_parse_lcores(const char *s, struct vfbc_perf_opts *o)
{
	char buf[256];
	char *tok, *save;
	unsigned long v;

	snprintf(buf, sizeof(buf), "%s", s);
	o->nb_lcores = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (o->nb_lcores == RTE_DIM(o->lcores) ||
				vfbc_perf_parse_uint(tok, 0, RTE_MAX_LCORE - 1, &v) != 0)
			return -EINVAL;
		o->lcores[o->nb_lcores++] = (int)v;
	}
	return o->nb_lcores >= 2 ? 0 : -EINVAL;
}

/* Default CPUs: the first two of the affinity (one if there is only one). */
static void
vfbc_perf_default_lcores(struct vfbc_perf_opts *o)
{
	cpu_set_t set;
	int cpu;

	o->nb_lcores = 0;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		CPU_ZERO(&set);
	for (cpu = 0; cpu < CPU_SETSIZE && o->nb_lcores < 2; cpu++)
		if (CPU_ISSET(cpu, &set))
			o->lcores[o->nb_lcores++] = cpu;
	if (o->nb_lcores == 0)
		o->lcores[o->nb_lcores++] = 0;
	if (o->nb_lcores == 1)
		o->lcores[o->nb_lcores++] = o->lcores[0];
}

enum {
	VFBC_PERF_OPT_DURATION = 256,
	VFBC_PERF_OPT_SAMPLES,
	VFBC_PERF_OPT_VFS,
	VFBC_PERF_OPT_PROCS,
	VFBC_PERF_OPT_LCORES,
	VFBC_PERF_OPT_QUICK,
	VFBC_PERF_OPT_JSON,
	VFBC_PERF_OPT_PLOT,
	VFBC_PERF_OPT_INSTR,
	VFBC_PERF_OPT_NO_INSTR,
	VFBC_PERF_OPT_SINGLE,
	VFBC_PERF_OPT_PATH,
	VFBC_PERF_OPT_ROLE,
	VFBC_PERF_OPT_PART,
	VFBC_PERF_OPT_ISO,
};

int
vfbc_perf_parse(int argc, char **argv, struct vfbc_perf_opts *o)
{
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, VFBC_PERF_OPT_DURATION },
		{ "samples", required_argument, NULL, VFBC_PERF_OPT_SAMPLES },
		{ "vfs", required_argument, NULL, VFBC_PERF_OPT_VFS },
		{ "procs", required_argument, NULL, VFBC_PERF_OPT_PROCS },
		{ "lcores", required_argument, NULL, VFBC_PERF_OPT_LCORES },
		{ "quick", no_argument, NULL, VFBC_PERF_OPT_QUICK },
		{ "json", required_argument, NULL, VFBC_PERF_OPT_JSON },
		{ "plot", required_argument, NULL, VFBC_PERF_OPT_PLOT },
		{ "instructions", no_argument, NULL, VFBC_PERF_OPT_INSTR },
		{ "no-instructions", no_argument, NULL, VFBC_PERF_OPT_NO_INSTR },
		{ "single-process-invalidate", required_argument, NULL, VFBC_PERF_OPT_SINGLE },
		{ "invalidate-path", required_argument, NULL, VFBC_PERF_OPT_PATH },
		{ "vfbc-perf-role", required_argument, NULL, VFBC_PERF_OPT_ROLE },
		{ "part-out", required_argument, NULL, VFBC_PERF_OPT_PART },
		{ "vfbc-perf-isolated", required_argument, NULL, VFBC_PERF_OPT_ISO },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int duration_set = 0;
	unsigned long v;
	char *end;
	int opt;

	memset(o, 0, sizeof(*o));
	o->duration = 2;
	o->samples = 100000;
	o->max_vfs = VFBC_PERF_MAX_VFS;
	o->procs = 1;
	o->instructions = -1;
	o->role = -1;
	o->iso_fd = -1;
	o->single_path = "channel";
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case VFBC_PERF_OPT_DURATION:
			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(o->duration >= 0.01 &&
					o->duration <= 3600))
				goto bad;
			duration_set = 1;
			break;
		case VFBC_PERF_OPT_SAMPLES:
			if (vfbc_perf_parse_uint(optarg, 1000, VFBC_PERF_MAX_SAMPLES, &v) != 0)
				goto bad;
			o->samples = v;
			break;
		case VFBC_PERF_OPT_VFS:
			if (vfbc_perf_parse_uint(optarg, 1, VFBC_PERF_MAX_VFS, &v) != 0)
				goto bad;
			o->max_vfs = v;
			break;
		case VFBC_PERF_OPT_PROCS:
			if (vfbc_perf_parse_uint(optarg, 1, VFBC_PERF_MAX_PROCS, &v) != 0)
				goto bad;
			o->procs = v;
			break;
		case VFBC_PERF_OPT_LCORES:
			if (vfbc_perf_parse_lcores(optarg, o) != 0)
				goto bad;
			break;
		case VFBC_PERF_OPT_QUICK:
			o->quick = 1;
			break;
		case VFBC_PERF_OPT_JSON:
			o->json = optarg;
			break;
		case VFBC_PERF_OPT_PLOT:
			o->plot = optarg;
			break;
		case VFBC_PERF_OPT_INSTR:
			o->instructions = 1;
			break;
		case VFBC_PERF_OPT_NO_INSTR:
			o->instructions = 0;
			break;
		case VFBC_PERF_OPT_SINGLE:
			if (vfbc_perf_parse_uint(optarg, 1, 1000000000, &v) != 0)
				goto bad;
			o->single_invalidate = v;
			break;
		case VFBC_PERF_OPT_PATH:
			o->single_path = optarg;
			break;
		case VFBC_PERF_OPT_PART:
			o->part_out = optarg;
			break;
		case VFBC_PERF_OPT_ROLE:
			if (vfbc_perf_parse_uint(optarg, 0, VFBC_PERF_MAX_PROCS - 1, &v) != 0)
				goto bad;
			o->role = (int)v;
			break;
		case VFBC_PERF_OPT_ISO:
			/* The isolated consumer's control file, an inherited descriptor. */
			if (vfbc_perf_parse_uint(optarg, 0, INT_MAX, &v) != 0)
				goto bad;
			o->iso_fd = (int)v;
			break;
		case 'h':
			vfbc_perf_usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "vfbc-perf: unknown option or missing value: %s\n",
					argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vfbc-perf: unexpected argument: %s\n", argv[optind]);
		return -EINVAL;
	}
	if (o->quick) {
		if (!duration_set)
			o->duration = 0.25;
		if (o->instructions < 0)
			o->instructions = 0;
	}
	if (o->nb_lcores == 0)
		vfbc_perf_default_lcores(o);
	return 0;
bad:
	fprintf(stderr, "vfbc-perf: bad value for %s: %s\n", argv[optind - 2 >= 0 ?
			optind - 1 : 0], optarg);
	return -EINVAL;
}
