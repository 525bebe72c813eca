/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * DPDK's own dpdk-testpmd, from the DPDK vfbc builds against, with vfbc's
 * drivers loaded as plugins (-d): as the primary of the emulated world it
 * probes the PF and the VFs, configures, stops, starts and forwards on
 * their ports (a first burst on each: the ports take every packet and
 * count it as an output error) and shows their statistics; a dpdk-testpmd
 * secondary then shows the PF's and a VF's ports and the same values
 * (interop_testpmd_autotest). A dpdk-testpmd secondary that is a VF's
 * consumer prints the port's life events and shows its link as for any
 * PMD (interop_testpmd_life_autotest).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_testpmd_bin.h"
#include "test_testpmd_session.h"
#include "vfbc_pmd_pf.h"

#define IO_PF		"0000:01:00.0"
#define IO_VF1		"0000:01:00.2"
#define IO_NB_VFS	2
#define IO_WORLD_OPTS	"--pf " IO_PF " --total-vfs 2"
#define IO_OUT_MAX	(256 * 1024)
/* Ports of the primary: the PF and its VFs. */
#define IO_NB_PORTS	(1 + IO_NB_VFS)
/* testpmd's default burst: what "start tx_first" sends on every port. */
#define IO_BURST	"32"
/* A life event is due within VFBC_VF_LIFE_PERIOD_MS: slack for a busy CI. */
#define IO_EVENT_S	10
/* After its events, none more within this. */
#define IO_QUIET_US	300000
/* The mbuf pool a testpmd secondary looks up: it forwards nothing here. */
#define IO_LIFE_MBUFS	256

/* A dpdk-testpmd, commands on a pipe, output into a file (line buffered). */
struct io_proc {
	pid_t pid;
	int in_fd;
	char out_path[64];
};

/* Where the plugins (and the library they need) are loaded from. */
static char io_plugin_dir[256];
static char io_pf_plugin[512];
static char io_vf_plugin[512];
/* What dpdk-testpmd's environment needs for sanitized plugins, or "". */
static char io_sanitizer_env[512];

/*
 * dpdk-testpmd is not built with AddressSanitizer, but the plugins of an ASan
 * build of vfbc are, and need the ASan runtime loaded before anything else:
 * dpdk-testpmd then runs with the sanitizer options of the test (leak check
 * and suppressions included).
 */
static int
io_sanitizer_setup(void)
{
	int ret = vfbc_test_ld_preload(io_sanitizer_env, sizeof(io_sanitizer_env), NULL);

	if (ret == -ENOTSUP)
		TEST_SKIP("the ASan runtime is linked into vfbc-test statically (clang): "
			"a non-ASan dpdk-testpmd cannot load ASan plugins");
	if (ret < 0)
		TEST_SKIP("the ASan runtime's path is too long");
	return TEST_SUCCESS;
}

/*
 * EAL refuses a plugin below a world-writable directory, wherever the build
 * tree is (a clone in /tmp, say): load copies from a root-owned directory of
 * the world instead. A copy loses the run path relative to the build tree, so
 * the libraries they need (the channel library, the drivers' common one) go
 * beside them, found through LD_LIBRARY_PATH.
 */
static int
io_copy_plugins(void)
{
	char cmd[4 * PATH_MAX];
	char *dir = io_plugin_dir;

	snprintf(io_plugin_dir, sizeof(io_plugin_dir), "%s/plugins", vfbc_test_world_dir());
	snprintf(io_pf_plugin, sizeof(io_pf_plugin), "%s/%s", dir,
		 strrchr(VFBC_TEST_PF_PLUGIN, '/') + 1);
	snprintf(io_vf_plugin, sizeof(io_vf_plugin), "%s/%s", dir,
		 strrchr(VFBC_TEST_VF_PLUGIN, '/') + 1);
	snprintf(cmd, sizeof(cmd), "mkdir -p -m 0755 %s && install -m 0755 %s %s %s && "
		 "install -m 0755 %s %s/%s && install -m 0755 %s %s/%s", dir,
		 VFBC_TEST_PF_PLUGIN, VFBC_TEST_VF_PLUGIN, dir, VFBC_TEST_LIB_VFBC, dir,
		 VFBC_TEST_LIB_VFBC_SONAME, VFBC_TEST_LIB_COMMON, dir,
		 VFBC_TEST_LIB_COMMON_SONAME);
	return system(cmd) == 0 ? 0 : -1;
}

static int
io_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not in an emulated world (run it through vfbc-test)");
	if (access(VFBC_TEST_DPDK_TESTPMD, X_OK) != 0)
		TEST_SKIP("DPDK's %s is missing: %s", VFBC_TEST_DPDK_TESTPMD, strerror(errno));
	if (system("command -v stdbuf >/dev/null 2>&1") != 0)
		TEST_SKIP("no stdbuf (coreutils) to line-buffer dpdk-testpmd's output");
	TEST_ASSERT_SUCCESS(io_copy_plugins(), "cannot copy the plugins into the world");
	return io_sanitizer_setup();
}

/*
 * Start "stdbuf -oL dpdk-testpmd <eal> -d <plugins> -- -i": testpmd has no
 * run path, DPDK's library directory comes in LD_LIBRARY_PATH.
 */
static int
io_start(struct io_proc *p, const char *name, const char *eal)
{
	char cmd[4096];
	int in[2];
	int fd;

	snprintf(p->out_path, sizeof(p->out_path), "/tmp/vfbc-io-%s-XXXXXX", name);
	fd = mkstemp(p->out_path);
	if (fd < 0 || pipe2(in, O_CLOEXEC) < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "LD_LIBRARY_PATH=%s:%s %s exec stdbuf -oL %s %s"
			" --log-level=lib.eal:warning -d %s -d %s -- -i --total-num-mbufs=2048",
			VFBC_TEST_DPDK_LIBDIR, io_plugin_dir, io_sanitizer_env,
			VFBC_TEST_DPDK_TESTPMD, eal, io_pf_plugin, io_vf_plugin);
	printf("running: %s\n", cmd);
	fflush(stdout);
	p->pid = fork();
	if (p->pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(fd);
	p->in_fd = in[1];
	signal(SIGPIPE, SIG_IGN);
	return p->pid < 0 ? -1 : 0;
}

static int
io_send(struct io_proc *p, const char *cmds)
{
	size_t len = strlen(cmds);

	return write(p->in_fd, cmds, len) == (ssize_t)len ? 0 : -1;
}

/* All it printed so far, to free(). */
static char *
io_output(const struct io_proc *p)
{
	char *buf;
	ssize_t n;
	int fd;

	buf = calloc(1, IO_OUT_MAX);
	fd = open(p->out_path, O_RDONLY);
	if (buf == NULL || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	n = read(fd, buf, IO_OUT_MAX - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Wait until its output past offset @p from holds @p text: the offset past it, or -1. */
static long
io_wait_text(const struct io_proc *p, size_t from, const char *text, int timeout_s)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 100000000 };
	const char *at;
	char *out;
	long end;
	int i;

	for (i = 0; i < timeout_s * 10; i++) {
		out = io_output(p);
		at = out != NULL && strlen(out) >= from ? strstr(out + from, text) : NULL;
		if (at != NULL) {
			end = (long)(at - out + strlen(text));
			free(out);
			return end;
		}
		free(out);
		/* A dead dpdk-testpmd prints nothing more: no use waiting. */
		if (kill(p->pid, 0) < 0 || waitpid(p->pid, NULL, WNOHANG) == p->pid)
			return -1;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Close its stdin, wait for it (killed after @p timeout_s): its exit status. */
static int
io_finish(struct io_proc *p, int timeout_s)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 100000000 };
	int status;
	int i;

	if (p->in_fd >= 0)
		close(p->in_fd);
	p->in_fd = -1;
	for (i = 0; i < timeout_s * 10; i++) {
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		nanosleep(&ts, NULL);
	}
	printf("dpdk-testpmd still running after %d s: killed\n", timeout_s);
	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	p->pid = -1;
	return -1;
}

static void
io_free(struct io_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	if (p->in_fd >= 0)
		close(p->in_fd);
	if (p->out_path[0] != '\0')
		unlink(p->out_path);
	p->pid = -1;
	p->in_fd = -1;
}

static unsigned int
io_count(const char *text, const char *needle)
{
	unsigned int n = 0;

	for (text = strstr(text, needle); text != NULL; text = strstr(text + 1, needle))
		n++;
	return n;
}

/* Every needle is in @p out; prints the output otherwise. */
static int
io_expect(const char *who, const char *out, const char * const *needles, unsigned int nb)
{
	unsigned int i;

	for (i = 0; i < nb; i++) {
		if (strstr(out, needles[i]) != NULL)
			continue;
		printf("%s: no \"%s\" in:\n%s\n", who, needles[i], out);
		return -1;
	}
	return 0;
}

/* @p needle is in @p out exactly @p nb times; prints the output otherwise. */
static int
io_expect_count(const char *who, const char *out, const char *needle, unsigned int nb)
{
	unsigned int n = io_count(out, needle);

	if (n == nb)
		return 0;
	printf("%s: \"%s\" %u times, expected %u, in:\n%s\n", who, needle, n, nb, out);
	return -1;
}

/*
 * The values every port shows after one burst of tx_first: the burst taken
 * and counted as output errors, nothing received, no backchannel traffic.
 */
static int
io_expect_values(const char *who, const char *out, unsigned int nb_ports)
{
	static const char * const per_port[] = {
		"tx_errors: " IO_BURST "\n",
		"rx_good_packets: 0\n",
		"tx_good_packets: 0\n",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(per_port); i++)
		if (io_expect_count(who, out, per_port[i], nb_ports) < 0)
			return -1;
	/* The PF's counters (port 0 only): no VF config access, no invalidation. */
	if (io_expect_count(who, out, "vf_cfg_reads: 0\n", 1) < 0 ||
			io_expect_count(who, out, "mbox_invalidations: 0\n", 1) < 0)
		return -1;
	return 0;
}

static int
test_interop_dpdk_testpmd(void)
{
	static const char * const primary_lines[] = {
		"Device name: " IO_PF "\n",
		"Driver name: net_vfbc_pf\n",
		"Maximum number of VFs: 2\n",
		"Device name: " IO_VF1 "\n",
		"io packet forwarding - ports=3",
		"Telling cores to stop...",
		"TX-errors: " IO_BURST " ",
		"###### NIC extended statistics for port 0",
		"vf_cfg_reads: ",
		"mbox_deliveries: ",
		"###### NIC extended statistics for port 2",
		"Bye...",
	};
	static const char * const secondary_lines[] = {
		"Device name: " IO_PF "\n",
		"Driver name: net_vfbc_pf\n",
		"Device name: " IO_VF1 "\n",
		"Driver name: net_vfbc_vf\n",
		"###### NIC extended statistics for port 0",
		"mbox_invalidations: ",
		/* Same port ids as the primary's. */
		"###### NIC extended statistics for port 2",
		"Bye...",
	};
	struct io_proc pri = { .pid = -1, .in_fd = -1 };
	struct io_proc sec = { .pid = -1, .in_fd = -1 };
	char eal[256];
	char *out;
	int status;
	int ret;

	ret = TEST_FAILED;
	out = NULL;
	snprintf(eal, sizeof(eal), "-l 0-1 -m 128 --file-prefix=vfbc-io-%d %s", (int)getpid(),
			vfbc_test_eal_sanitizer_args());
	if (io_start(&pri, "primary", eal) < 0)
		goto out;
	/* The prompt comes once the ports are configured and started. */
	if (io_wait_text(&pri, 0, "testpmd> ", 60) < 0) {
		out = io_output(&pri);
		printf("the primary did not start:\n%s\n", out != NULL ? out : "");
		goto out;
	}
	if (io_send(&pri, "show port info all\nport stop all\nport start all\n"
			"start tx_first\nshow port stats all\n") < 0)
		goto out;
	/* start returns once the first bursts are sent; the statistics follow. */
	if (io_wait_text(&pri, 0, "NIC statistics for port 2 ", 30) < 0)
		goto out;

	/* A secondary on the PF and VF 1, while the primary forwards. */
	snprintf(eal, sizeof(eal), "-l 0-1 --proc-type=secondary --file-prefix=vfbc-io-%d"
			" -a %s -a %s", (int)getpid(), IO_PF, IO_VF1);
	if (io_start(&sec, "secondary", eal) < 0 ||
			io_send(&sec, "show port info all\nshow port xstats all\nquit\n") < 0)
		goto out;
	status = io_finish(&sec, 60);
	out = io_output(&sec);
	if (out == NULL || status != 0 ||
			io_expect("secondary", out, secondary_lines,
				RTE_DIM(secondary_lines)) < 0 ||
			io_expect_values("secondary", out, 2) < 0) {
		printf("secondary: exit status %d\n", status);
		goto out;
	}
	free(out);

	if (io_send(&pri, "stop\nshow port stats all\nshow port xstats all\nquit\n") < 0)
		goto out;
	status = io_finish(&pri, 60);
	out = io_output(&pri);
	if (out == NULL || status != 0 ||
			io_expect("primary", out, primary_lines, RTE_DIM(primary_lines)) < 0 ||
			io_expect_values("primary", out, IO_NB_PORTS) < 0 ||
			io_expect_count("primary", out, "TX-errors: " IO_BURST " ",
					2 * IO_NB_PORTS) < 0) {
		printf("primary: exit status %d\n", status);
		goto out;
	}
	/* Every VF has its net_vfbc_vf port in the primary. */
	if (io_count(out, "Driver name: net_vfbc_vf\n") != IO_NB_VFS) {
		printf("primary: %u net_vfbc_vf ports, expected %u\n%s\n",
				io_count(out, "Driver name: net_vfbc_vf\n"), IO_NB_VFS, out);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	free(out);
	io_free(&sec);
	io_free(&pri);
	return ret;
}

static struct unit_test_suite interop_suite = {
	.suite_name = "dpdk-testpmd with the vfbc drivers as plugins",
	.setup = io_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE(test_interop_dpdk_testpmd),
		TEST_CASES_END(),
	},
};

static int
test_interop_testpmd(void)
{
	return unit_test_suite_runner(&interop_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(interop_testpmd_autotest, test_interop_testpmd,
		IO_WORLD_OPTS, "mp");

/*
 * Life events in a stock dpdk-testpmd: this command is the PF's primary
 * (dpdk-testpmd has no command to reset a VF: the PF API does it) and a
 * dpdk-testpmd secondary with -a <VF 0> is the VF's consumer (a secondary
 * claims its VFs at probe). testpmd prints every ethdev event of its ports
 * ("Port N: <what> event", its eth_event_callback()) and `show port info`
 * the link rte_eth_link_get_nowait() gives.
 */
static struct mp_world io_w;

/*
 * A testpmd secondary looks its mbuf pools up (mbuf_pool_create():
 * "mb_pool_<socket>") instead of creating them: the ones a testpmd primary
 * would have made.
 */
static int
io_life_pools(void)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int i;
	int socket;

	for (i = 0; i < rte_socket_count(); i++) {
		socket = rte_socket_id_by_idx(i);
		snprintf(name, sizeof(name), "mb_pool_%d", socket);
		if (rte_pktmbuf_pool_create(name, IO_LIFE_MBUFS, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				socket) == NULL)
			return -1;
	}
	return 0;
}

static int
io_life_setup(void)
{
	int ret = io_setup();

	if (ret != TEST_SUCCESS)
		return ret;
	ret = mp_world_start(&io_w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(io_life_pools(), "testpmd's mbuf pools: %s",
			rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* How much it printed so far. */
static size_t
io_mark(const struct io_proc *p)
{
	char *out = io_output(p);
	size_t len = out != NULL ? strlen(out) : 0;

	free(out);
	return len;
}

/* What it printed past offset @p from, to free(), or NULL. */
static char *
io_output_from(const struct io_proc *p, size_t from)
{
	char *out = io_output(p);
	char *tail;

	if (out == NULL || strlen(out) < from) {
		free(out);
		return NULL;
	}
	tail = strdup(out + from);
	free(out);
	return tail;
}

/* Send @p cmds, wait for @p text after them: what it printed since, to free(), or NULL. */
static char *
io_cmd(struct io_proc *p, const char *cmds, const char *text)
{
	size_t from = io_mark(p);
	char *out;

	if (io_send(p, cmds) == 0 && io_wait_text(p, from, text, 30) >= 0)
		return io_output_from(p, from);
	out = io_output_from(p, from);
	printf("dpdk-testpmd: no \"%s\" after:\n%s--- in:\n%s\n", text, cmds,
			out != NULL ? out : "");
	free(out);
	return NULL;
}

/* io_cmd(), what it printed unneeded: 0, or -1 (printed). */
static int
io_run(struct io_proc *p, const char *cmds, const char *text)
{
	char *out = io_cmd(p, cmds, text);
	int ret = out != NULL ? 0 : -1;

	free(out);
	return ret;
}

/*
 * `show port info` of @p port: its link 1 up, 0 down, or -1 (printed). The
 * link is the port's shared data, which the claim's holder keeps: this
 * process's rte_eth_link_get_nowait() must read the same.
 */
static int
io_show_link(struct io_proc *p, uint16_t port, const char *name)
{
	struct rte_eth_link link;
	char cmd[64], dev[128];
	char *out;
	int up = -1;

	snprintf(cmd, sizeof(cmd), "show port info %u\n", port);
	snprintf(dev, sizeof(dev), "Device name: %s\n", name);
	/* The line after the link status. */
	out = io_cmd(p, cmd, "\nLink speed: ");
	if (out == NULL)
		return -1;
	/* Apart: an event's line may come between two of testpmd's printf()s. */
	if (strstr(out, dev) == NULL || strstr(out, "Driver name: net_vfbc_vf\n") == NULL)
		printf("show port info %u: not %s's net_vfbc_vf port, in:\n%s\n", port, name,
				out);
	else if (strstr(out, "\nLink status: up\n") != NULL)
		up = 1;
	else if (strstr(out, "\nLink status: down\n") != NULL)
		up = 0;
	else
		printf("show port info %u: no link status in:\n%s\n", port, out);
	free(out);
	memset(&link, 0, sizeof(link));
	if (up >= 0 && (rte_eth_link_get_nowait(port, &link) != 0 || link.link_status != up)) {
		printf("port %u: link %s in dpdk-testpmd, %s in the primary\n", port,
				up ? "up" : "down", link.link_status ? "up" : "down");
		up = -1;
	}
	return up;
}

/*
 * What it printed past @p from, once it printed @p last and then nothing
 * for IO_QUIET_US: port @p port's events are exactly @p want (in order).
 */
static int
io_expect_events(const struct io_proc *p, size_t from, uint16_t port,
		 const char * const *want, unsigned int nb)
{
	char needle[96], prefix[32];
	const char *at;
	unsigned int i;
	char *out;
	int ret = -1;

	snprintf(needle, sizeof(needle), "Port %u: %s event\n", port, want[nb - 1]);
	if (io_wait_text(p, from, needle, IO_EVENT_S) < 0) {
		out = io_output_from(p, from);
		printf("dpdk-testpmd: no \"%s\" in:\n%s\n", needle, out != NULL ? out : "");
		free(out);
		return -1;
	}
	usleep(IO_QUIET_US);
	out = io_output_from(p, from);
	if (out == NULL)
		return -1;
	/* Each event once, in order, and no other event of the port. */
	snprintf(prefix, sizeof(prefix), "Port %u: ", port);
	at = out;
	for (i = 0; i < nb; i++) {
		snprintf(needle, sizeof(needle), "Port %u: %s event\n", port, want[i]);
		at = strstr(at, needle);
		if (at == NULL || io_count(out, needle) != 1)
			goto out;
		at += strlen(needle);
	}
	if (io_count(out, " event\n") != nb)
		goto out;
	ret = 0;
out:
	if (ret < 0) {
		printf("dpdk-testpmd: port %u's events are not, in order and once each:", port);
		for (i = 0; i < nb; i++)
			printf(" \"%s\"", want[i]);
		printf("\nin:\n%s\n", out);
	}
	free(out);
	return ret;
}

/*
 * The PF resets VF 0 (an FLR): dpdk-testpmd prints the port's reset event
 * and then its link state change, and shows its link down. Stock testpmd
 * resets a port in its primary only (reset_port(): rte_eth_dev_reset()
 * when is_proc_primary()): in a secondary, `port reset` says Done and
 * leaves the port as it was, link down. What brings a secondary's port
 * back is probing it again: `port detach` and `port attach` (hotplug
 * through the primary) claim the VF anew, and the link is up again (the
 * probe sets it: no event, as any PMD's probe).
 */
static int
test_interop_life_reset(void)
{
	static const char * const reset_events[] = { "reset", "link state change" };
	struct io_proc sec = { .pid = -1, .in_fd = -1 };
	const char *vf = io_w.vf_name[0];
	uint16_t port = io_w.vf_port[0];
	char eal[256], cmd[256];
	uint16_t again;
	char *out = NULL;
	size_t from;
	int status;
	int ret = TEST_FAILED;
	int r;

	snprintf(eal, sizeof(eal), "-l 0-1 --proc-type=secondary --file-prefix=%s -a %s",
			mp_file_prefix(), vf);
	if (io_start(&sec, "life", eal) < 0)
		goto out;
	if (io_wait_text(&sec, 0, "testpmd> ", 60) < 0) {
		out = io_output(&sec);
		printf("the secondary did not start:\n%s\n", out != NULL ? out : "");
		goto out;
	}
	/* Its claim is the backchannel: the link is up. */
	r = io_show_link(&sec, port, vf);
	if (r != 1) {
		printf("port %u (%s): link %d after the claim, want up\n", port, vf, r);
		goto out;
	}

	from = io_mark(&sec);
	r = vfbc_pf_reset_vf(io_w.pf_port, 0);
	if (r != 0) {
		printf("the PF's reset of VF 0: %d\n", r);
		goto out;
	}
	if (io_expect_events(&sec, from, port, reset_events, RTE_DIM(reset_events)) < 0)
		goto out;
	r = io_show_link(&sec, port, vf);
	if (r != 0) {
		printf("port %u: link %d after the reset event, want down\n", port, r);
		goto out;
	}

	/* Stock testpmd's reset, in a secondary: nothing reaches the port. */
	snprintf(cmd, sizeof(cmd), "port stop %u\nport reset %u\nport start %u\n", port, port,
			port);
	if (io_run(&sec, cmd, "Resetting ports...\nDone\n") < 0)
		goto out;
	r = io_show_link(&sec, port, vf);
	if (r != 0) {
		printf("port %u: link %d after a secondary's `port reset`, a no-op in "
				"dpdk-testpmd 22.11: want down\n", port, r);
		goto out;
	}

	/* Probed again, it claims again: link up, set by the probe (no event, as any PMD's). */
	snprintf(cmd, sizeof(cmd), "port stop %u\nport detach %u\n", port, port);
	if (io_run(&sec, cmd, "Device is detached\n") < 0)
		goto out;
	snprintf(cmd, sizeof(cmd), "port attach %s\n", vf);
	if (io_run(&sec, cmd, " is attached. Now total ports is ") < 0)
		goto out;
	if (rte_eth_dev_get_port_by_name(vf, &again) != 0) {
		printf("%s has no port in the primary after its attach\n", vf);
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "port start %u\n", again);
	if (io_run(&sec, cmd, "Done\n") < 0)
		goto out;
	r = io_show_link(&sec, again, vf);
	if (r != 1) {
		printf("port %u: link %d after the VF's attach, want up\n", again, r);
		goto out;
	}

	if (io_send(&sec, "quit\n") < 0)
		goto out;
	status = io_finish(&sec, 60);
	out = io_output(&sec);
	if (status != 0 || out == NULL || strstr(out, "Bye...") == NULL) {
		printf("the secondary: exit status %d, in:\n%s\n", status, out != NULL ? out : "");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	free(out);
	io_free(&sec);
	return ret;
}

static struct unit_test_suite interop_life_suite = {
	.suite_name = "dpdk-testpmd shows a VF port's life events and link",
	.setup = io_life_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE(test_interop_life_reset),
		TEST_CASES_END(),
	},
};

static int
test_interop_testpmd_life(void)
{
	return unit_test_suite_runner(&interop_life_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(interop_testpmd_life_autotest, test_interop_testpmd_life,
		IO_WORLD_OPTS, "mp");
