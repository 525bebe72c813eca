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
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_string_fns.h>

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

static double
vfbc_test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
vfbc_test_sleep_ms(unsigned int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

/*
 * Wait for pid; with a timeout, kill its process group when it expires.
 * Returns 1 if it timed out.
 */
static int
vfbc_test_wait(pid_t pid, unsigned int timeout_s, int *status)
{
	double deadline;
	double grace;
	pid_t r;

	if (timeout_s == 0) {
		do {
			r = waitpid(pid, status, 0);
		} while (r < 0 && errno == EINTR);
		return 0;
	}

	deadline = vfbc_test_now() + timeout_s;
	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return 0;
		if (vfbc_test_now() >= deadline)
			break;
		vfbc_test_sleep_ms(10);
	}

	killpg(pid, SIGTERM);
	grace = vfbc_test_now() + VFBC_TEST_KILL_GRACE_MS / 1000.0;
	while (vfbc_test_now() < grace) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		vfbc_test_sleep_ms(10);
	}
	killpg(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return 1;
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
	char err[4096];
	char last[256];
	const char *bin;
	size_t used;
	ssize_t n;
	int fds[2];
	int status;
	pid_t pid;

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
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(vfbc_test_world_reason, sizeof(vfbc_test_world_reason),
				"fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		vfbc_test_world_status = TEST_FAILED;
		return vfbc_test_world_status;
	}
	if (pid == 0) {
		argv[0] = (char *)(uintptr_t)bin;
		argv[1] = (char *)(uintptr_t)"--check";
		argv[2] = NULL;
		dup2(fds[1], STDERR_FILENO);
		execv(bin, argv);
		fprintf(stderr, "cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
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
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

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
	char fdstr[16];
	const char *bin;
	char *opts;
	char *save;
	char *tok;
	int argc;

	bin = vfbc_test_world_bin();
	snprintf(fdstr, sizeof(fdstr), "%d", report_fd);
	if (fcntl(report_fd, F_SETFD, 0) < 0 || setenv(VFBC_TEST_REPORT_ENV, fdstr, 1) < 0) {
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
	fflush(stdout);
	execv(bin, argv);
	printf("cannot run %s: %s\n", bin, strerror(errno));
}

static void
vfbc_test_child(const struct vfbc_test_command *cmd, int report_fd, pid_t parent)
{
	struct vfbc_test_counts c;

	/* Own process group: a timeout kills the whole tree of the command. */
	setpgid(0, 0);
	/* And a runner that dies without a chance to clean up takes it along. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
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
	struct vfbc_test_counts rep = { 0, 0, 0 };
	const char *reason;
	int have_report;
	int timed_out;
	int status;
	int fds[2];
	pid_t parent;
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
	fflush(NULL);
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		printf("%s: fork: %s\n", cmd->name, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		counts->failed = 1;
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		vfbc_test_child(cmd, fds[1], parent);
	}
	/* Both sides set the group: whichever runs first wins the race. */
	setpgid(pid, pid);
	vfbc_test_child_pgid = pid;
	close(fds[1]);

	timed_out = vfbc_test_wait(pid, timeout_s, &status);
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
