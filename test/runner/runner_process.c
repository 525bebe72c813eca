/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_string_fns.h>

#include <vfbc_launch.h>

#include "runner.h"

#ifdef VFBC_TEST_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#define VFBC_TEST_REPORT_TAG "vfbc-test-report"
#define VFBC_TEST_MAX_WORLD_ARGS 64
/* After SIGTERM, how long a timed out command gets before SIGKILL. */
#define VFBC_TEST_KILL_GRACE_MS 2000

/* Process group of the running child, for the termination signal handler. */
static volatile sig_atomic_t vfbc_test_child_pgid;

static int vfbc_test_world_checked;
static int vfbc_test_world_status;
static char vfbc_test_world_reason[512];

int
vfbc_test_report_write(int fd, const struct vfbc_test_counts *c)
{
	char buf[128];
	ssize_t n;
	int len;

	len = snprintf(buf, sizeof(buf), VFBC_TEST_REPORT_TAG " %u %u %u\n",
			c->passed, c->failed, c->skipped);
	/* Shorter than PIPE_BUF: one atomic write. */
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n == len ? 0 : -EIO;
}

static int
vfbc_test_report_read(int fd, struct vfbc_test_counts *c)
{
	char buf[1024];
	char *line;
	char *save;
	size_t used;
	ssize_t n;
	int found;

	/* The child has exited: whatever it reported is already in the pipe. */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		return 0;
	used = 0;
	for (;;) {
		n = read(fd, buf + used, sizeof(buf) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += n;
		if (used == sizeof(buf) - 1)
			break;
	}
	buf[used] = '\0';

	found = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, VFBC_TEST_REPORT_TAG " %u %u %u",
				&c->passed, &c->failed, &c->skipped) == 3)
			found = 1;
	return found;
}

int
vfbc_test_counts_status(const struct vfbc_test_counts *c)
{
	if (c->failed > 0)
		return 1;
	if (c->passed == 0 && c->skipped > 0)
		return TEST_SKIPPED;
	return 0;
}

static void
vfbc_test_forward_signal(int sig)
{
	pid_t pgid = vfbc_test_child_pgid;

	if (pgid > 0)
		killpg(pgid, SIGTERM);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A runner killed by meson or ^C takes its command's processes with it. */
void
vfbc_test_process_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vfbc_test_forward_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Keep the last non-empty line of s, trimmed, in out. */
static void
vfbc_test_last_line(const char *s, char *out, size_t len)
{
	const char *end;
	const char *start;

	end = s + strlen(s);
	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	if ((size_t)(end - start) >= len)
		end = start + len - 1;
	memcpy(out, start, end - start);
	out[end - start] = '\0';
}

/* Runs "<vfbc-world> --check" once: can this machine build worlds at all? */
static int
vfbc_test_world_check(const char **reason)
{
	char *argv[3];
	struct vfbc_launch l = { .argv = argv };
	char err[4096];
	char last[256];
	const char *bin;
	size_t used;
	ssize_t n;
	int fds[2];
	int status;
	pid_t pid;
	int ret;

	if (vfbc_test_world_checked) {
		*reason = vfbc_test_world_reason;
		return vfbc_test_world_status;
	}
	vfbc_test_world_checked = 1;
	*reason = vfbc_test_world_reason;

	bin = vfbc_test_world_bin();
	if (access(bin, X_OK) != 0) {
		snprintf(vfbc_test_world_reason, sizeof(vfbc_test_world_reason),
				"vfbc-world not built (%s: %s)", bin, strerror(errno));
		vfbc_test_world_status = TEST_SKIPPED;
		return vfbc_test_world_status;
	}

	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(vfbc_test_world_reason, sizeof(vfbc_test_world_reason),
				"pipe: %s", strerror(errno));
		vfbc_test_world_status = TEST_FAILED;
		return vfbc_test_world_status;
	}
	argv[0] = (char *)(uintptr_t)bin;
	argv[1] = (char *)(uintptr_t)"--check";
	argv[2] = NULL;
	l.err_fd = fds[1];
	ret = vfbc_launch_spawn(&l, &pid);
	close(fds[1]);
	if (ret < 0) {
		snprintf(vfbc_test_world_reason, sizeof(vfbc_test_world_reason),
				"fork: %s", strerror(-ret));
		close(fds[0]);
		vfbc_test_world_status = TEST_FAILED;
		return vfbc_test_world_status;
	}
	used = 0;
	for (;;) {
		n = read(fds[0], err + used, sizeof(err) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += n;
		/* Keep draining a talkative --check, keeping its last output. */
		if (used == sizeof(err) - 1)
			used = 0;
	}
	err[used] = '\0';
	close(fds[0]);
	vfbc_launch_wait(pid, VFBC_LAUNCH_FOREVER, &status);

	vfbc_test_last_line(err, last, sizeof(last));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		vfbc_test_world_status = TEST_SUCCESS;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == TEST_SKIPPED) {
		snprintf(vfbc_test_world_reason, sizeof(vfbc_test_world_reason), "%s",
				last[0] != '\0' ? last : "vfbc-world --check gave no reason");
		vfbc_test_world_status = TEST_SKIPPED;
	} else {
		snprintf(vfbc_test_world_reason, sizeof(vfbc_test_world_reason),
				"%s --check failed (%s %d)%s%s", bin,
				WIFEXITED(status) ? "exit status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
				last[0] != '\0' ? ": " : "", last);
		vfbc_test_world_status = TEST_FAILED;
	}
	return vfbc_test_world_status;
}

/* In the child: become vfbc-world running "vfbc-test --run-one <name>". */
static void
vfbc_test_exec_world(const struct vfbc_test_command *cmd, int report_fd)
{
	char *argv[VFBC_TEST_MAX_WORLD_ARGS + 5];
	char fdstr[32];
	const char *env[] = { fdstr, NULL };
	struct vfbc_launch l = { .argv = argv, .env = env };
	const char *bin;
	char *opts;
	char *save;
	char *tok;
	int argc;

	bin = vfbc_test_world_bin();
	snprintf(fdstr, sizeof(fdstr), VFBC_TEST_REPORT_ENV "=%d", report_fd);
	if (fcntl(report_fd, F_SETFD, 0) < 0) {
		printf("cannot pass the report pipe: %s\n", strerror(errno));
		return;
	}
	opts = strdup(cmd->world_opts);
	if (opts == NULL) {
		printf("out of memory\n");
		return;
	}
	argc = 0;
	argv[argc++] = (char *)(uintptr_t)bin;
	for (tok = strtok_r(opts, " \t\n", &save); tok != NULL;
			tok = strtok_r(NULL, " \t\n", &save)) {
		if (argc > VFBC_TEST_MAX_WORLD_ARGS) {
			printf("%s: more than %d world options\n", cmd->name,
					VFBC_TEST_MAX_WORLD_ARGS);
			return;
		}
		argv[argc++] = tok;
	}
	argv[argc++] = (char *)(uintptr_t)"--";
	argv[argc++] = (char *)(uintptr_t)vfbc_test_self_path();
	argv[argc++] = (char *)(uintptr_t)"--run-one";
	argv[argc++] = (char *)(uintptr_t)cmd->name;
	argv[argc] = NULL;
	printf("cannot run %s: %s\n", bin, strerror(-vfbc_launch_exec(&l)));
}

static void
vfbc_test_child(const struct vfbc_test_command *cmd, int report_fd)
{
	struct vfbc_test_counts c;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);

	if (cmd->world_opts != NULL) {
		vfbc_test_exec_world(cmd, report_fd);
		fflush(NULL);
		_exit(127);
	}
	vfbc_test_command_run_here(cmd, &c);
#ifdef VFBC_TEST_ASAN
	/* _exit() skips LeakSanitizer's check at exit: a leak fails the command. */
	if (__lsan_do_recoverable_leak_check() != 0) {
		printf("%s: memory leaked (LeakSanitizer's report above)\n", cmd->name);
		c.failed++;
	}
#endif
	vfbc_test_report_write(report_fd, &c);
	fflush(NULL);
	_exit(vfbc_test_counts_status(&c));
}

void
vfbc_test_command_run_child(const struct vfbc_test_command *cmd, unsigned int timeout_s,
		struct vfbc_test_counts *counts)
{
	/*
	 * Own process group: a timeout kills the whole tree of the command.
	 * And a runner that dies without a chance to clean up takes it along.
	 */
	struct vfbc_launch l = { .flags = VFBC_LAUNCH_F_GROUP | VFBC_LAUNCH_F_PDEATHSIG };
	struct vfbc_test_counts rep = { 0, 0, 0 };
	const char *reason;
	int have_report;
	int timed_out;
	int status;
	int fds[2];
	int ret;
	pid_t pid;

	memset(counts, 0, sizeof(*counts));
	if (cmd->world_opts != NULL) {
		ret = vfbc_test_world_check(&reason);
		if (ret != TEST_SUCCESS) {
			if (ret == TEST_SKIPPED) {
				printf("skipped: %s\n", reason);
				counts->skipped = 1;
			} else {
				printf("%s\n", reason);
				counts->failed = 1;
			}
			return;
		}
	}

	if (pipe2(fds, O_CLOEXEC) < 0) {
		printf("%s: pipe: %s\n", cmd->name, strerror(errno));
		counts->failed = 1;
		return;
	}
	ret = vfbc_launch_fork(&l, &pid);
	if (ret < 0) {
		printf("%s: fork: %s\n", cmd->name, strerror(-ret));
		close(fds[0]);
		close(fds[1]);
		counts->failed = 1;
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		vfbc_test_child(cmd, fds[1]);
	}
	vfbc_test_child_pgid = pid;
	close(fds[1]);

	timed_out = vfbc_launch_wait_kill(pid, timeout_s != 0 ? timeout_s * INT64_C(1000) :
			VFBC_LAUNCH_FOREVER, VFBC_TEST_KILL_GRACE_MS, l.flags, &status) == 1;
	have_report = vfbc_test_report_read(fds[0], &rep);
	close(fds[0]);
	/* Anything the command left running would disturb the next one. */
	if (killpg(pid, SIGKILL) == 0)
		printf("%s: killed processes it left behind\n", cmd->name);
	vfbc_test_child_pgid = 0;

	if (have_report)
		*counts = rep;
	if (timed_out) {
		printf("%s: timed out after %u s (VFBC_TEST_TIMEOUT), killed\n",
				cmd->name, timeout_s);
		counts->failed++;
	} else if (WIFSIGNALED(status)) {
		printf("%s: killed by signal %d (%s)\n", cmd->name, WTERMSIG(status),
				strsignal(WTERMSIG(status)));
		counts->failed++;
	} else if (!have_report) {
		printf("%s: exited with status %d without reporting results\n",
				cmd->name, WEXITSTATUS(status));
		counts->failed++;
	} else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != TEST_SKIPPED &&
			counts->failed == 0) {
		printf("%s: exited with status %d\n", cmd->name, WEXITSTATUS(status));
		counts->failed++;
	}
}
