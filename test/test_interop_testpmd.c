/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * DPDK's own dpdk-testpmd, from the DPDK vfbc builds against, with vfbc's
 * drivers loaded as plugins (-d): as the primary of the emulated world it
 * probes the PF and the VFs, configures, stops, starts and forwards on
 * their ports (a first burst on each: the ports take every packet and
 * count it as an output error) and shows their statistics; a dpdk-testpmd
 * secondary then shows the PF's and a VF's ports and the same values.
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

#include "test.h"
#include "test_testpmd_bin.h"
#include "test_testpmd_session.h"

#define IO_PF		"0000:01:00.0"
#define IO_VF1		"0000:01:00.2"
#define IO_NB_VFS	2
#define IO_WORLD_OPTS	"--pf " IO_PF " --total-vfs 2"
#define IO_OUT_MAX	(256 * 1024)
/* Ports of the primary: the PF and its VFs. */
#define IO_NB_PORTS	(1 + IO_NB_VFS)
/* testpmd's default burst: what "start tx_first" sends on every port. */
#define IO_BURST	"32"

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
 * the channel library goes beside them, found through LD_LIBRARY_PATH.
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
		 "install -m 0755 %s %s/%s", dir, VFBC_TEST_PF_PLUGIN, VFBC_TEST_VF_PLUGIN, dir,
		 VFBC_TEST_LIB_VFBC, dir, VFBC_TEST_LIB_VFBC_SONAME);
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

/* Wait until its output holds @p text. */
static int
io_wait_text(const struct io_proc *p, const char *text, int timeout_s)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 100000000 };
	char *out;
	int i;

	for (i = 0; i < timeout_s * 10; i++) {
		out = io_output(p);
		if (out != NULL && strstr(out, text) != NULL) {
			free(out);
			return 0;
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
	if (io_wait_text(&pri, "testpmd> ", 60) < 0) {
		out = io_output(&pri);
		printf("the primary did not start:\n%s\n", out != NULL ? out : "");
		goto out;
	}
	if (io_send(&pri, "show port info all\nport stop all\nport start all\n"
			"start tx_first\nshow port stats all\n") < 0)
		goto out;
	/* start returns once the first bursts are sent; the statistics follow. */
	if (io_wait_text(&pri, "NIC statistics for port 2 ", 30) < 0)
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
