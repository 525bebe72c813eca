/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The isolated row: the one-way invalidate latency to an isolated consumer
 * (net_vfbc_isolated in a process that is its own DPDK primary), measured as
 * the driver latency of the secondary-mode run is, to compare the two.
 *
 * One PF serves one mode. After the secondary-mode runs, their VF processes
 * stopped and their accounting collected, the primary removes the PF's
 * device and probes it again with socket=PATH (an isolated channel: each
 * VF's area is a sealed memory file of its own), gives VF 0 a secret, and
 * starts one consumer: this program again with a hidden option, --no-pci
 * --no-huge, a file prefix of its own and the vdev
 * net_vfbc_isolated0,socket=PATH,vf=0,secret_file=PATH, on the CPU of VF
 * process 0. The consumer cannot map the primary's memzones (hugepages of
 * another DPDK primary): its control block is a memory file the primary
 * creates and the consumer inherits (ctl.c), with the command protocol of
 * the secondaries, whose loop it runs (secondary.c). The measurement is
 * the driver latency's own (run.c, bench_inv.c): the same chunks, samples,
 * warm-up, lcores and accounting, each chunk after one of the cache line,
 * which tells whether the vCPUs moved between the two runs.
 *
 * Only in an emulated world: re-probing real devices given with -a would
 * take the PF from whatever else uses it.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <vfbc_launch.h>

#include "perf.h"

/* The VF the consumer opens. */
#define VFBC_PERF_ISO_VF 0
/* Bytes of randomness in the secret (twice as many hex digits). */
#define VFBC_PERF_ISO_SECRET_BYTES 16

/* The isolated path of one run. */
struct vfbc_perf_iso {
	char pf_name[RTE_MEMZONE_NAMESIZE]; /**< Its PCI name, as the driver's channel's. */
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char secret_file[PATH_MAX];
	uint16_t port;         /**< The PF's port, probed with socket=. */
	int ctl_fd;            /**< The consumer's control file. */
};

/* The row's reason for not being measured. */
static void __rte_format_printf(2, 3)
vfbc_perf_iso_why(struct vfbc_perf_results *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->iso_inv.why, sizeof(r->iso_inv.why), fmt, ap);
	va_end(ap);
}

/*
 * The socket and the secret file in the primary's runtime directory. The
 * secret goes to the consumer in a file only its owner reads, as the guide
 * tells users to: on the command line every user would see it.
 */
static int
vfbc_perf_iso_secret(struct vfbc_perf_iso *s, char *secret, size_t len)
{
	uint8_t rnd[VFBC_PERF_ISO_SECRET_BYTES];
	const char *dir = rte_eal_get_runtime_dir();
	unsigned int i;
	ssize_t n;
	int fd, ret = 0;

	if ((size_t)snprintf(s->sock, sizeof(s->sock), "%s/vfbc-perf-iso.sock", dir) >=
			sizeof(s->sock) ||
			(size_t)snprintf(s->secret_file, sizeof(s->secret_file),
			"%s/vfbc-perf-iso.secret", dir) >= sizeof(s->secret_file))
		return -ENAMETOOLONG;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return errno != 0 ? -errno : -EIO;
	for (i = 0; i < sizeof(rnd) && 2 * i + 2 < len; i++)
		snprintf(secret + 2 * i, 3, "%02x", rnd[i]);
	unlink(s->secret_file);
	fd = open(s->secret_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = write(fd, secret, strlen(secret));
	if (n != (ssize_t)strlen(secret))
		ret = n < 0 ? -errno : -EIO;
	close(fd);
	return ret;
}

/*
 * The PF again, serving its VFs through a socket; VF 0 opened by the
 * secret. On failure the row says why: 0 measured nothing, not an error.
 */
static int
vfbc_perf_iso_reprobe(struct vfbc_perf_iso *s, struct vfbc_perf_results *r, uint16_t old)
{
	char secret[2 * VFBC_PERF_ISO_SECRET_BYTES + 1] = "";
	char dev[sizeof(s->pf_name) + sizeof(s->sock) + 16];
	struct rte_eth_dev_info info;
	int ret;

	ret = vfbc_perf_iso_secret(s, secret, sizeof(secret));
	if (ret != 0) {
		vfbc_perf_iso_why(r, "no socket and secret file in %s: %s",
				rte_eal_get_runtime_dir(), strerror(-ret));
		return -1;
	}
	unlink(s->sock);
	ret = rte_eth_dev_info_get(old, &info);
	if (ret == 0)
		ret = rte_dev_remove(info.device);
	if (ret != 0) {
		vfbc_perf_iso_why(r, "cannot remove the PF's device %s: %s", s->pf_name,
				strerror(ret < 0 ? -ret : ret));
		return -1;
	}
	snprintf(dev, sizeof(dev), "%s,socket=%s", s->pf_name, s->sock);
	ret = rte_dev_probe(dev);
	if (ret == 0)
		ret = rte_eth_dev_get_port_by_name(s->pf_name, &s->port);
	if (ret != 0) {
		vfbc_perf_iso_why(r, "cannot probe the PF again as \"%s\": %s", dev,
				strerror(ret < 0 ? -ret : ret));
		return -1;
	}
	ret = vfbc_pf_vf_set_secret(s->port, VFBC_PERF_ISO_VF, secret);
	explicit_bzero(secret, sizeof(secret));
	if (ret != 0) {
		vfbc_perf_iso_why(r, "vfbc_pf_vf_set_secret: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

/*
 * Starts the consumer on cpu: its own DPDK primary, with the secondaries'
 * driver (-d) and log options only; it inherits the control file.
 */
static int
vfbc_perf_iso_spawn(const struct vfbc_perf_iso *s, const struct vfbc_perf_eal *e, int cpu,
		pid_t *pid)
{
	char lcore[16], fd[16], prefix[64], vdev[sizeof(s->sock) + PATH_MAX + 64];
	struct vfbc_launch l = { .flags = VFBC_LAUNCH_F_PDEATHSIG };
	const char **argv;
	int i, k = 0, keep, ret;

	snprintf(lcore, sizeof(lcore), "%d", cpu);
	snprintf(fd, sizeof(fd), "%d", s->ctl_fd);
	snprintf(prefix, sizeof(prefix), "--file-prefix=vfbc-perf-iso-%d", (int)getpid());
	snprintf(vdev, sizeof(vdev), "net_vfbc_isolated0,socket=%s,vf=%u,secret_file=%s",
			s->sock, VFBC_PERF_ISO_VF, s->secret_file);
	argv = calloc(e->nb_sec + 16, sizeof(*argv));
	if (argv == NULL)
		return -ENOMEM;
	argv[k++] = vfbc_launch_self();
	argv[k++] = "-l";
	argv[k++] = lcore;
	argv[k++] = "--no-pci";
	argv[k++] = "--no-huge";
	argv[k++] = "-m";
	argv[k++] = "64";
	argv[k++] = prefix;
	/* Nothing to serve: no thread of its own, no line on stderr. */
	argv[k++] = "--no-telemetry";
	for (i = 0; i < e->nb_sec; i++) {
		const char *a = e->sec[i];

		keep = strncmp(a, "-d", 2) == 0 || strncmp(a, "--log-level", 11) == 0;
		if (keep)
			argv[k++] = a;
		/* "-d X", "--vdev X": the value is the next argument (eal.c). */
		if (strchr(a, '=') == NULL && i + 1 < e->nb_sec && e->sec[i + 1][0] != '-' &&
				(strlen(a) == 2 || a[1] == '-')) {
			i++;
			if (keep)
				argv[k++] = e->sec[i];
		}
	}
	argv[k++] = "--vdev";
	argv[k++] = vdev;
	argv[k++] = "--";
	argv[k++] = "--vfbc-perf-isolated";
	argv[k++] = fd;
	l.argv = (char *const *)(uintptr_t)argv;
	ret = vfbc_launch_spawn(&l, pid);
	free(argv);
	return ret;
}

/*
 * Tells the consumer to exit; kills it if it has not within 10 s (its own
 * DPDK primary: nothing of the PF's is left locked).
 */
static void
vfbc_perf_iso_stop(void)
{
	int status;

	vfbc_perf_cmd_start(VFBC_PERF_CMD_EXIT, 0);
	if (vfbc_perf_pids[0] > 0)
		vfbc_launch_wait_kill(vfbc_perf_pids[0], 10000, 1000, 0, &status);
	vfbc_perf_pids[0] = 0;
}

/* The consumer started on the isolated PF, measured, stopped. */
static int
vfbc_perf_iso_measure(struct vfbc_perf_iso *s, const struct vfbc_perf_opts *o,
		const struct vfbc_perf_eal *e, struct vfbc_perf_results *r)
{
	static struct vfbc_perf_results part;
	struct vfbc_perf_ctl *c;
	size_t len;
	int ret;

	ret = vfbc_perf_ctl_create_file(1, o->samples, &s->ctl_fd);
	if (ret != 0) {
		vfbc_perf_iso_why(r, "no control file: %s", strerror(-ret));
		return ret;
	}
	c = vfbc_perf_ctl;
	c->pf_port = s->port;
	c->drv_nb_vfs = 1;
	c->vf_port[VFBC_PERF_ISO_VF] = VFBC_PERF_NO_PORT;
	snprintf(c->drv_ch, sizeof(c->drv_ch), "%s", s->pf_name);
	ret = vfbc_perf_iso_spawn(s, e, o->lcores[1], &vfbc_perf_pids[0]);
	if (ret == 0)
		ret = vfbc_perf_procs_ready();
	/* The consumer read its secret at probe, or never will. */
	unlink(s->secret_file);
	if (ret != 0) {
		vfbc_perf_iso_why(r, "the isolated consumer did not start: %s", strerror(-ret));
		goto out;
	}
	memset(&part, 0, sizeof(part));
	ret = vfbc_perf_latencies(&part, o->samples, 0);
	if (ret == 0)
		ret = vfbc_perf_acct_add(&part.lv[VFBC_PERF_DRIVER].acct, NULL, s->port, 1);
	if (ret != 0) {
		vfbc_perf_iso_why(r, "failed: %s", strerror(ret < 0 ? -ret : ret));
		goto out;
	}
	r->iso_inv = part.lv[VFBC_PERF_DRIVER].inv;
	r->iso_cacheline = part.cacheline;
	free(part.cacheline_back.cdf_x);
	r->iso_acct = part.lv[VFBC_PERF_DRIVER].acct;
	snprintf(r->isolated, sizeof(r->isolated), "PF port %u (%s,socket=%s), VF %u through "
			"net_vfbc_isolated (vfbc_vf_poll) in its own DPDK primary (--no-huge)",
			s->port, s->pf_name, s->sock, VFBC_PERF_ISO_VF);
	len = strlen(r->placement);
	snprintf(r->placement + len, sizeof(r->placement) - len,
			"; isolated consumer pid %d on lcore %u (cpu %d)", c->proc[0].pid,
			c->proc[0].lcore, c->proc[0].cpu);
out:
	vfbc_perf_iso_stop();
	return ret;
}

int
vfbc_perf_isolated_run(const struct vfbc_perf_opts *o, const struct vfbc_perf_eal *e,
		struct vfbc_perf_results *r, int failed)
{
	struct vfbc_perf_ctl_saved main_ctl;
	struct vfbc_perf_iso s;
	int ret;

	snprintf(r->isolated, sizeof(r->isolated), "not set up");
	memset(&s, 0, sizeof(s));
	s.ctl_fd = -1;
	ret = 0;
	if (failed) {
		vfbc_perf_iso_why(r, "the run failed before it");
		goto out;
	}
	if (getenv("VFBC_WORLD") == NULL) {
		vfbc_perf_step("isolated consumer: not measured, in no emulated world");
		vfbc_perf_progress_done();
		vfbc_perf_iso_why(r, "needs the emulated world: the PF is probed again with "
				"socket=, which vfbc-perf does not do to devices given with -a");
		goto out;
	}
	vfbc_perf_step("isolated consumer: the PF again with socket=, net_vfbc_isolated");
	snprintf(s.pf_name, sizeof(s.pf_name), "%s", vfbc_perf_ctl->drv_ch);
	if (vfbc_perf_iso_reprobe(&s, r, vfbc_perf_ctl->pf_port) != 0) {
		unlink(s.secret_file);
		vfbc_perf_progress_done();
		goto out;
	}
	vfbc_perf_ctl_save(&main_ctl);
	ret = vfbc_perf_iso_measure(&s, o, e, r);
	if (s.ctl_fd >= 0) {
		struct vfbc_perf_ctl *iso = vfbc_perf_ctl;

		vfbc_perf_ctl_restore(&main_ctl);
		vfbc_perf_ctl_unmap_file(iso);
		close(s.ctl_fd);
	}
	vfbc_perf_progress_done();
	if (ret != 0)
		fprintf(stderr, "vfbc-perf: isolated consumer: %s\n", r->iso_inv.why);
out:
	if (!r->iso_cacheline.valid)
		snprintf(r->iso_cacheline.why, sizeof(r->iso_cacheline.why),
				"no isolated run (see its row)");
	return ret;
}

/* ---- the consumer ---- */

static pid_t vfbc_perf_iso_parent;

/* Its PF primary is its parent: re-parented, the consumer is an orphan. */
static int
vfbc_perf_iso_parent_alive(void)
{
	return getppid() == vfbc_perf_iso_parent;
}

/* The isolated consumer role (--vfbc-perf-isolated FD); its exit status. */
int
vfbc_perf_isolated_consumer(int argc, char **argv, int fd)
{
	struct vfbc_vf_info info;
	int found = 0, ret;
	uint16_t port;

	vfbc_perf_iso_parent = getppid();
	vfbc_perf_who = "isolated consumer";
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "vfbc-perf[isolated]: cannot init EAL: %s\n",
				rte_strerror(rte_errno));
		return 1;
	}
	ret = vfbc_perf_ctl_attach_file(fd);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf[isolated]: no control file on fd %d: %s\n", fd,
				strerror(-ret));
		rte_eal_cleanup();
		return 1;
	}
	RTE_ETH_FOREACH_DEV(port) {
		if (vfbc_vf_get_info(port, &info) == 0 && info.isolated) {
			found = 1;
			break;
		}
	}
	if (!found) {
		fprintf(stderr, "vfbc-perf[isolated]: no net_vfbc_isolated port\n");
		rte_eal_cleanup();
		return 1;
	}
	vfbc_perf_ctl->vf_port[VFBC_PERF_ISO_VF] = port;
	ret = vfbc_perf_vf_serve(0, vfbc_perf_iso_parent_alive);
	rte_eal_cleanup();
	return ret;
}
