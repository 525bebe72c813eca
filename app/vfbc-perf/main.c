/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-perf: the high-rate backchannel benchmark.
 *
 *   vfbc-perf [EAL options --] [options]
 *
 * Without EAL -a options and outside a world it re-executes itself in an
 * emulated world (vfbc-world). The primary is the PF (net_vfbc_pf); it
 * starts --procs VF secondaries itself, each probing its VFs with the VF PMD
 * (net_vfbc_vf), runs every benchmark, checks the accounting and prints the
 * table (and the JSON and plot files asked for).
 */

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <vfbc_channel.h>
#include <vfbc_launch.h>

#include "perf.h"

/* EAL arguments: the user's, ours, and "-a <VF>" for every VF with a port. */
#define VFBC_PERF_MAX_ARGS (128 + 2 * VFBC_PERF_MAX_VFS)
/* Largest --samples: the sample arrays live in the -m memory. */
#define VFBC_PERF_MAX_SAMPLES 1000000

static void
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
};

static int
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int duration_set = 0, samples_set = 0;
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
			samples_set = 1;
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
	RTE_SET_USED(samples_set);
	if (o->nb_lcores == 0)
		vfbc_perf_default_lcores(o);
	return 0;
bad:
	fprintf(stderr, "vfbc-perf: bad value for %s: %s\n", argv[optind - 2 >= 0 ?
			optind - 1 : 0], optarg);
	return -EINVAL;
}

static int
vfbc_perf_has_opt(char **argv, int argc, const char *const *names)
{
	int i, k;

	for (i = 0; i < argc; i++)
		for (k = 0; names[k] != NULL; k++)
			if (strncmp(argv[i], names[k], strlen(names[k])) == 0)
				return 1;
	return 0;
}

/* Arguments for rte_eal_init() and for the secondaries. */
struct vfbc_perf_eal {
	char *argv[VFBC_PERF_MAX_ARGS];
	int argc;
	char *sec[VFBC_PERF_MAX_ARGS];  /**< Extra EAL arguments of the secondaries. */
	int nb_sec;
	char prefix[64];
	char lcore[16];
};

static int
vfbc_perf_eal_args(struct vfbc_perf_eal *e, char **user, int nb_user,
		const struct vfbc_perf_opts *o, const char *self)
{
	static const char *const lcore_opts[] = { "-l", "-c", "--lcores", NULL };
	static const char *const prefix_opts[] = { "--file-prefix", NULL };
	static const char *const mem_opts[] = { "-m", "--socket-mem", "--no-huge", NULL };
	/*
	 * The secondaries get the driver options, not the device lists: each
	 * is given an allow list of its own VFs (vfbc_perf_drv_allow_list()).
	 */
	static const char *const sec_opts[] = { "-d", "--vdev", "--log-level", "--iova-mode",
		"--base-virtaddr", NULL };
	static const char *const dev_opts[] = { "-a", "-b", "--allow", "--block", "--no-pci",
		NULL };
	int i;

	if (nb_user + 16 > VFBC_PERF_MAX_ARGS)
		return -E2BIG;
	e->argc = 0;
	e->nb_sec = 0;
	e->argv[e->argc++] = (char *)(uintptr_t)self;
	/* Quiet EAL; the user's own --log-level options come later and win. */
	e->argv[e->argc++] = (char *)(uintptr_t)"--log-level=warning";
	e->sec[e->nb_sec++] = (char *)(uintptr_t)"--log-level=warning";
	if (!vfbc_perf_has_opt(user, nb_user, lcore_opts)) {
		snprintf(e->lcore, sizeof(e->lcore), "%d", o->lcores[0]);
		e->argv[e->argc++] = (char *)(uintptr_t)"-l";
		e->argv[e->argc++] = e->lcore;
	}
	if (!vfbc_perf_has_opt(user, nb_user, prefix_opts)) {
		snprintf(e->prefix, sizeof(e->prefix), "--file-prefix=vfbc-perf-%d", (int)getpid());
		e->argv[e->argc++] = e->prefix;
		e->sec[e->nb_sec++] = e->prefix;
	}
	if (!vfbc_perf_has_opt(user, nb_user, mem_opts)) {
		e->argv[e->argc++] = (char *)(uintptr_t)"-m";
		e->argv[e->argc++] = (char *)(uintptr_t)"256";
	}
	/* In a world without user device lists: the devices that can have ports. */
	if (!vfbc_perf_has_opt(user, nb_user, dev_opts)) {
		char **allow;
		int nb_allow;

		if (vfbc_perf_world_allow_list(&allow, &nb_allow) != 0)
			return -ENOENT;
		if (e->argc + nb_allow + nb_user + 1 > VFBC_PERF_MAX_ARGS) {
			free(allow);
			return -E2BIG;
		}
		memcpy(e->argv + e->argc, allow, nb_allow * sizeof(*allow));
		e->argc += nb_allow;
		free(allow);
		/* The PF driver warns once per VF left out: here it is deliberate. */
		if (nb_allow != 0)
			e->argv[e->argc++] = (char *)(uintptr_t)
				"--log-level=pmd.net.vfbc_pf.init:error";
	}
	for (i = 0; i < nb_user; i++) {
		e->argv[e->argc++] = user[i];
		/* The secondaries need the same prefix and the same drivers. */
		if (strncmp(user[i], "--file-prefix", 13) == 0 ||
				vfbc_perf_has_opt(&user[i], 1, sec_opts)) {
			e->sec[e->nb_sec++] = user[i];
			/* "-a X", "--allow X": the value is the next argument. */
			if (strchr(user[i], '=') == NULL && i + 1 < nb_user &&
					(strlen(user[i]) == 2 || user[i][1] == '-') &&
					user[i + 1][0] != '-') {
				i++;
				e->argv[e->argc++] = user[i];
				e->sec[e->nb_sec++] = user[i];
			}
		}
	}
	e->argv[e->argc] = NULL;
	return 0;
}

/* ---- secondary ---- */

static int
vfbc_perf_secondary(unsigned int index)
{
	struct vfbc_perf_proc *me;
	struct vfbc_perf_ctl *c;
	uint64_t last = 0, cur;
	unsigned int idle = 0;
	int ret;

	ret = vfbc_perf_ctl_attach();
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf[%u]: no control memzone: %s\n", index, strerror(-ret));
		return 1;
	}
	c = vfbc_perf_ctl;
	if (index >= c->nb_procs)
		return 1;
	me = &c->proc[index];
	me->pid = getpid();
	me->cpu = sched_getcpu();
	me->lcore = rte_lcore_id();
	if (c->drv_nb_vfs != 0) {
		ret = vfbc_perf_drv_attach(me, index, c->nb_procs);
		if (ret != 0) {
			fprintf(stderr, "vfbc-perf[%u]: cannot take its VFs: %s\n", index,
					strerror(-ret));
			vfbc_perf_drv_detach(index, c->nb_procs);
			return 1;
		}
	}
	__atomic_store_n(&me->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		cur = __atomic_load_n(&c->cmd_seq.v, __ATOMIC_ACQUIRE);
		if (cur == last) {
			rte_delay_us_sleep(50);
			if (++idle % 20000 == 0 && !rte_eal_primary_proc_alive(NULL)) {
				fprintf(stderr, "vfbc-perf[%u]: the primary is gone\n", index);
				vfbc_perf_drv_detach(index, c->nb_procs);
				return 1;
			}
			continue;
		}
		last = cur;
		ret = 0;
		if (c->cmd == VFBC_PERF_CMD_EXIT)
			break;
		if (index < c->nb_active) {
			switch (c->cmd) {
			case VFBC_PERF_CMD_CACHELINE:
				ret = vfbc_perf_vf_cacheline();
				break;
			case VFBC_PERF_CMD_RING_PINGPONG:
				ret = vfbc_perf_vf_ring_pingpong();
				break;
			case VFBC_PERF_CMD_RING_STREAM:
				ret = vfbc_perf_vf_ring_stream(me);
				break;
			case VFBC_PERF_CMD_PIPE:
				ret = vfbc_perf_vf_pipe();
				break;
			case VFBC_PERF_CMD_MP:
				ret = vfbc_perf_vf_mp();
				break;
			case VFBC_PERF_CMD_INV_LATENCY:
				ret = vfbc_perf_vf_inv_latency(me);
				break;
			case VFBC_PERF_CMD_INV_STREAM:
				ret = vfbc_perf_vf_inv_stream(me, index);
				break;
			case VFBC_PERF_CMD_INV_SOLO:
				ret = vfbc_perf_vf_inv_solo(me);
				break;
			case VFBC_PERF_CMD_POLL_IDLE:
				ret = vfbc_perf_vf_poll_idle(me);
				break;
			case VFBC_PERF_CMD_REQ_RTT:
				ret = vfbc_perf_vf_req_rtt(me);
				break;
			case VFBC_PERF_CMD_REQ_BUSY:
				ret = vfbc_perf_vf_req_busy(me);
				break;
			default:
				ret = -ENOTSUP;
				break;
			}
		}
		me->status = ret;
		__atomic_store_n(&me->done_seq, cur, __ATOMIC_RELEASE);
	}
	vfbc_perf_drv_detach(index, c->nb_procs);
	__atomic_store_n(&me->done_seq, cur, __ATOMIC_RELEASE);
	return 0;
}

/* ---- primary ---- */

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

static int
vfbc_perf_start_procs(const struct vfbc_perf_opts *o, struct vfbc_perf_eal *e,
		struct vfbc_perf_results *r)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t deadline;
	unsigned int i;
	size_t len;
	int cpu, ret;

	for (i = 0; i < o->procs; i++) {
		char **allow, **argv;
		int nb_allow, k;

		cpu = o->lcores[1 + i % (o->nb_lcores - 1)];
		ret = vfbc_perf_drv_allow_list(i, o->procs, &allow, &nb_allow);
		if (ret != 0)
			return ret;
		argv = calloc(e->nb_sec + nb_allow + 1, sizeof(*argv));
		if (argv != NULL) {
			memcpy(argv, e->sec, e->nb_sec * sizeof(*argv));
			memcpy(argv + e->nb_sec, allow, nb_allow * sizeof(*argv));
			ret = vfbc_perf_spawn(argv, e->nb_sec + nb_allow, i, cpu,
					&vfbc_perf_pids[i]);
		} else {
			ret = -ENOMEM;
		}
		free(argv);
		for (k = 0; k < nb_allow; k++)
			free(allow[k]);
		free(allow);
		if (ret != 0)
			return ret;
	}
	deadline = rte_get_tsc_cycles() + 60 * rte_get_tsc_hz();
	for (i = 0; i < o->procs; i++) {
		while (__atomic_load_n(&c->proc[i].ready, __ATOMIC_ACQUIRE) == 0) {
			int status;

			if (vfbc_launch_wait(vfbc_perf_pids[i], 0, &status) == 0) {
				fprintf(stderr, "vfbc-perf: VF process %u exited during start\n",
						i);
				vfbc_perf_pids[i] = 0;
				return -ECHILD;
			}
			if (rte_get_tsc_cycles() > deadline)
				return -ETIMEDOUT;
			rte_delay_us_sleep(1000);
		}
	}
	/* The PF driver must see each VF's consumer where it was put. */
	for (i = 0; i < c->drv_nb_vfs; i++) {
		int32_t pid = 0;

		ret = vfbc_pf_vf_consumer(c->pf_port, i, &pid);
		if (ret != 0 || pid != c->proc[i % o->procs].pid) {
			fprintf(stderr, "vfbc-perf: VF %u: consumer pid %d, expected VF process "
					"%u (pid %d)\n", i, (int)pid, i % o->procs,
					(int)c->proc[i % o->procs].pid);
			return ret != 0 ? ret : -EPROTO;
		}
	}
	len = snprintf(r->placement, sizeof(r->placement),
			"PF primary pid %d on lcore %u (cpu %d)", (int)getpid(),
			rte_lcore_id(), sched_getcpu());
	for (i = 0; i < o->procs && len < sizeof(r->placement); i++)
		len += snprintf(r->placement + len, sizeof(r->placement) - len,
				"; VF process %u pid %d on lcore %u (cpu %d, %u VFs by the VF "
				"PMD, %u on the channel)", i, c->proc[i].pid, c->proc[i].lcore,
				c->proc[i].cpu, c->proc[i].pmd_vfs, c->proc[i].ch_vfs);
	return 0;
}

static void
vfbc_perf_stop_procs(const struct vfbc_perf_opts *o)
{
	unsigned int i;
	int status;

	vfbc_perf_cmd_start(VFBC_PERF_CMD_EXIT, 0);
	for (i = 0; i < o->procs; i++) {
		if (vfbc_perf_pids[i] <= 0)
			continue;
		vfbc_launch_wait(vfbc_perf_pids[i], VFBC_LAUNCH_FOREVER, &status);
	}
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

static int
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
	VFBC_PERF_STEP("rte_ring ping-pong and streaming");
	ret = vfbc_perf_pf_ring_pingpong(r, o->samples);
	if (ret == 0)
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
		vfbc_perf_instructions(r, 100000, o);
	} else {
		snprintf(r->instr_why[0], sizeof(r->instr_why[0]), "not run (--quick or "
				"--no-instructions; see the guide for the command)");
		snprintf(r->instr_why[1], sizeof(r->instr_why[1]), "%s", r->instr_why[0]);
	}
	vfbc_perf_progress_done();
#undef VFBC_PERF_STEP
	return 0;
}

/* Accounting of a level: exact, no resync anywhere. */
static int
vfbc_perf_acct_ok(const struct vfbc_perf_acct *a)
{
	return a->bits_sent != 0 && a->bits_lost == 0 && a->phantom_bits == 0 &&
		a->ch_resyncs == 0 && a->ch_takeovers == 0;
}

static int
vfbc_perf_primary(const struct vfbc_perf_opts *o, struct vfbc_perf_eal *e)
{
	struct vfbc_perf_results r;
	int fwd[2], bwd[2];
	enum vfbc_perf_level lv;
	unsigned int p;
	uint64_t t0;
	int ret, status = 0;

	memset(&r, 0, sizeof(r));
	for (p = 0; p < 2; p++) {
		r.instr[VFBC_PERF_CHANNEL][p] = -1;
		r.instr[VFBC_PERF_DRIVER][p] = -1;
	}
	vfbc_perf_machine(&r);
	r.tsc_hz = rte_get_tsc_hz();
	t0 = rte_get_tsc_cycles();

	ret = vfbc_perf_ctl_create(o->procs, o->samples);
	if (ret == 0)
		ret = vfbc_perf_drv_setup(&r, o->max_vfs);
	if (ret == 0)
		ret = vfbc_perf_create_rings();
	if (ret == 0)
		ret = vfbc_perf_pf_mp_register();
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
	ret = vfbc_perf_start_procs(o, e, &r);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: cannot start the VF processes: %s\n", strerror(-ret));
		vfbc_perf_stop_procs(o);
		return 1;
	}
	if (o->part_out != NULL) {
		/* The nested 1-VF run of vfbc_perf_pf_service_small(). */
		ret = vfbc_perf_part_service(o, o->duration);
		vfbc_perf_stop_procs(o);
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
	vfbc_perf_stop_procs(o);
	if ((vfbc_perf_drv_stats(&r.lv[VFBC_PERF_DRIVER].acct) != 0 ||
			vfbc_perf_ch_stats(&r.lv[VFBC_PERF_CHANNEL].acct) != 0) && ret == 0)
		ret = -EIO;
	r.run_seconds = (double)(rte_get_tsc_cycles() - t0) / rte_get_tsc_hz();
	vfbc_perf_print_table(stdout, &r, o);
	if (ret != 0)
		status = 1;
	for (lv = VFBC_PERF_CHANNEL; lv < VFBC_PERF_NB_LEVELS; lv++) {
		const struct vfbc_perf_acct *a = &r.lv[lv].acct;

		if (vfbc_perf_acct_ok(a))
			continue;
		printf("ACCOUNTING FAILED (%s): %" PRIu64 " bits sent, %" PRIu64 " lost, %"
				PRIu64 " phantom, %" PRIu64 " \"all blocks\" resyncs and %" PRIu64
				" claim takeovers counted by the channel\n",
				lv == VFBC_PERF_DRIVER ? "driver" : "channel", a->bits_sent,
				a->bits_lost, a->phantom_bits, a->ch_resyncs, a->ch_takeovers);
		status = 1;
	}
	if (o->json != NULL && vfbc_perf_write_json(o->json, &r, o) != 0)
		status = 1;
	if (o->plot != NULL)
		vfbc_perf_plot(o->plot, &r);
	vfbc_perf_channels_free();
	return status;
}

int
main(int argc, char **argv)
{
	static const char *const allow_opts[] = { "-a", "--allow", NULL };
	struct vfbc_perf_opts o;
	struct vfbc_perf_eal e;
	char **app = argv + 1;
	int nb_app = argc - 1;
	char **app_argv;
	char **user = NULL;
	int nb_user = 0;
	int i, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			user = argv + 1;
			nb_user = i - 1;
			app = argv + i + 1;
			nb_app = argc - i - 1;
			break;
		}
	}
	/* getopt permutes its array and wants a program name in front. */
	app_argv = calloc(nb_app + 2, sizeof(*app_argv));
	if (app_argv == NULL)
		return 1;
	app_argv[0] = argv[0];
	memcpy(app_argv + 1, app, nb_app * sizeof(*app));
	ret = vfbc_perf_parse(nb_app + 1, app_argv, &o);
	if (ret != 0) {
		vfbc_perf_usage(stderr);
		return 2;
	}

	if (o.single_invalidate != 0)
		return vfbc_perf_single_invalidate(o.single_invalidate, o.single_path) == 0 ? 0 : 1;

	if (o.role < 0 && getenv("VFBC_WORLD") == NULL &&
			!vfbc_perf_has_opt(user, nb_user, allow_opts))
		return vfbc_perf_enter_world(argc, argv, &o);

	if (o.role >= 0) {
		/* The primary gave the exact EAL arguments (user[-1] is argv[0]). */
		ret = rte_eal_init(nb_user + 1, argv);
		if (ret < 0) {
			fprintf(stderr, "vfbc-perf[%d]: cannot init EAL: %s\n", o.role,
					rte_strerror(rte_errno));
			return 1;
		}
		ret = vfbc_perf_secondary(o.role);
		rte_eal_cleanup();
		return ret;
	}

	ret = vfbc_perf_eal_args(&e, user, nb_user, &o, argv[0]);
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
	ret = vfbc_perf_primary(&o, &e);
	rte_eal_cleanup();
	return ret;
}
