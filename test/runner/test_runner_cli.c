/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vfbc_launch.h>

#include "runner.h"

/*
 * vfbc-test checks its own command line, exit statuses and process
 * handling by running itself on hidden commands with known outcomes.
 */

#define CLI_OUT_MAX 65536

static char cli_out[CLI_OUT_MAX];
static char cli_dir[64];
static char cli_world_ok[128];
static char cli_world_cannot[128];

static const char cli_world_ok_script[] =
	"#!/bin/sh\n"
	"# Stands in for vfbc-world: prints its options, runs the command.\n"
	"[ \"$1\" = --check ] && exit 0\n"
	"while [ $# -gt 0 ] && [ \"$1\" != -- ]; do echo \"world option: $1\"; shift; done\n"
	"shift\n"
	"VFBC_WORLD=/fake-world exec \"$@\"\n";

static const char cli_world_cannot_script[] =
	"#!/bin/sh\n"
	"echo 'some diagnostics' >&2\n"
	"echo 'fake world cannot run here' >&2\n"
	"exit 77\n";

static int
hidden_pass(void)
{
	return TEST_SUCCESS;
}

static int
hidden_return_fail(void)
{
	return TEST_FAILED;
}

static int
hidden_skip(void)
{
	TEST_SKIP("hidden skip reason");
}

static int
hidden_crash(void)
{
	struct rlimit no_core = { 0, 0 };

	/* A core dump of an intended crash is only noise (and time). */
	setrlimit(RLIMIT_CORE, &no_core);
	abort();
}

static int
hidden_hang(void)
{
	sleep(60);
	return TEST_SUCCESS;
}

static int
hidden_suite_pass(void)
{
	return TEST_SUCCESS;
}

static int
hidden_suite_fail(void)
{
	TEST_ASSERT_EQUAL(1, 2, "intended failure");
	return TEST_SUCCESS;
}

static int
hidden_suite_skip(void)
{
	TEST_SKIP("intended skip");
}

static struct unit_test_suite hidden_mixed_suite = {
	.suite_name = "hidden mixed",
	.unit_test_cases = {
		TEST_CASE(hidden_suite_pass),
		TEST_CASE(hidden_suite_pass),
		TEST_CASE(hidden_suite_fail),
		TEST_CASE(hidden_suite_skip),
		TEST_CASES_END()
	}
};

static int
hidden_mixed(void)
{
	return unit_test_suite_runner(&hidden_mixed_suite);
}

static int
hidden_world(void)
{
	const char *dir;

	dir = vfbc_test_world_dir();
	TEST_ASSERT_NOT_NULL(dir, "VFBC_WORLD is not set in the world");
	TEST_ASSERT(strcmp(dir, "/fake-world") == 0, "world dir %s", dir);
	TEST_ASSERT(getenv(VFBC_TEST_REPORT_ENV) == NULL,
			"the report fd leaks to the command's own children");
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(runner_hidden_pass, hidden_pass);
REGISTER_HIDDEN_TEST_COMMAND(runner_hidden_return_fail, hidden_return_fail);
REGISTER_HIDDEN_TEST_COMMAND(runner_hidden_skip, hidden_skip);
REGISTER_HIDDEN_TEST_COMMAND(runner_hidden_crash, hidden_crash);
REGISTER_HIDDEN_TEST_COMMAND(runner_hidden_hang, hidden_hang);
REGISTER_HIDDEN_TEST_COMMAND(runner_hidden_mixed, hidden_mixed);
REGISTER_HIDDEN_WORLD_TEST_COMMAND(runner_hidden_world, hidden_world, "--fake-opt 3");

/*
 * Run vfbc-test with one or two arguments (arg2 may be NULL) and optionally one extra
 * environment assignment; stdout and stderr land in cli_out.
 * Returns the exit status, or 128 + signal.
 */
static int
cli_run(const char *env, const char *arg1, const char *arg2)
{
	char *argv[] = {
		(char *)(uintptr_t)vfbc_test_self_path(), (char *)(uintptr_t)arg1,
		(char *)(uintptr_t)arg2, NULL,
	};
	const char *envl[] = { "VFBC_TEST_TIMEOUT", env, NULL };
	struct vfbc_launch l = { .argv = argv, .env = envl };
	size_t used;
	ssize_t n;
	int status;
	int fds[2];
	pid_t pid;
	int ret;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	l.out_fd = fds[1];
	l.err_fd = fds[1];
	ret = vfbc_launch_spawn(&l, &pid);
	close(fds[1]);
	if (ret < 0) {
		close(fds[0]);
		return ret;
	}
	used = 0;
	for (;;) {
		n = read(fds[0], cli_out + used, sizeof(cli_out) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += n;
		if (used == sizeof(cli_out) - 1)
			break;
	}
	cli_out[used] = '\0';
	close(fds[0]);
	ret = vfbc_launch_wait(pid, VFBC_LAUNCH_FOREVER, &status);
	return ret < 0 ? ret : vfbc_launch_status(status);
}

/* The last line of the captured output, without its newline. */
static const char *
cli_last_line(void)
{
	static char line[256];
	const char *start;
	const char *end;
	size_t n;

	end = cli_out + strlen(cli_out);
	while (end > cli_out && end[-1] == '\n')
		end--;
	start = end;
	while (start > cli_out && start[-1] != '\n')
		start--;
	n = RTE_MIN((size_t)(end - start), sizeof(line) - 1);
	memcpy(line, start, n);
	line[n] = '\0';
	return line;
}

static int
cli_write_script(char *path, size_t len, const char *name, const char *text)
{
	int fd;

	snprintf(path, len, "%s/%s", cli_dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -EIO;
	}
	return close(fd) == 0 ? 0 : -errno;
}

static int
cli_setup(void)
{
	const char *tmp;

	tmp = getenv("TMPDIR");
	snprintf(cli_dir, sizeof(cli_dir), "%s/vfbc-test-cli.XXXXXX",
			tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	TEST_ASSERT_NOT_NULL(mkdtemp(cli_dir), "mkdtemp: %s", strerror(errno));
	TEST_ASSERT_SUCCESS(cli_write_script(cli_world_ok, sizeof(cli_world_ok),
			"world-ok", cli_world_ok_script), "cannot write a fake vfbc-world");
	TEST_ASSERT_SUCCESS(cli_write_script(cli_world_cannot, sizeof(cli_world_cannot),
			"world-cannot", cli_world_cannot_script), "cannot write a fake vfbc-world");
	return TEST_SUCCESS;
}

static void
cli_teardown(void)
{
	if (cli_world_ok[0] != '\0')
		unlink(cli_world_ok);
	if (cli_world_cannot[0] != '\0')
		unlink(cli_world_cannot);
	if (cli_dir[0] != '\0')
		rmdir(cli_dir);
}

static int
test_passing_command_exits_0(void)
{
	int st;

	st = cli_run(NULL, "runner_hidden_pass", NULL);
	TEST_ASSERT_EQUAL(st, 0, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "1 passed, 0 failed, 0 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static int
test_failing_command_exits_1(void)
{
	int st;

	st = cli_run(NULL, "runner_hidden_return_fail", NULL);
	TEST_ASSERT_EQUAL(st, 1, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "0 passed, 1 failed, 0 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static int
test_skipping_command_exits_77_with_reason(void)
{
	int st;

	st = cli_run(NULL, "runner_hidden_skip", NULL);
	TEST_ASSERT_EQUAL(st, TEST_SKIPPED, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "skipped: hidden skip reason\n"),
			"no skip reason in:\n%s", cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "0 passed, 0 failed, 1 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static int
test_suite_cases_are_counted_across_commands(void)
{
	int st;

	st = cli_run(NULL, "runner_hidden_mixed", "runner_hidden_skip");
	TEST_ASSERT_EQUAL(st, 1, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "2 passed, 1 failed, 2 skipped") == 0,
			"last line '%s'", cli_last_line());
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "hidden_suite_fail(): intended failure\n"),
			"no assertion message in:\n%s", cli_out);
	return TEST_SUCCESS;
}

static int
test_crashing_command_is_a_failure(void)
{
	int st;

	st = cli_run(NULL, "runner_hidden_crash", "runner_hidden_pass");
	TEST_ASSERT_EQUAL(st, 1, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "runner_hidden_crash: killed by signal 6"),
			"no signal report in:\n%s", cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "1 passed, 1 failed, 0 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static int
test_hung_command_is_killed_after_timeout(void)
{
	int st;

	st = cli_run("VFBC_TEST_TIMEOUT=1", "runner_hidden_hang", NULL);
	TEST_ASSERT_EQUAL(st, 1, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "runner_hidden_hang: timed out after 1 s"),
			"no timeout report in:\n%s", cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "0 passed, 1 failed, 0 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static int
test_bad_timeout_is_refused(void)
{
	int st;

	st = cli_run("VFBC_TEST_TIMEOUT=soon", "runner_hidden_pass", NULL);
	TEST_ASSERT_EQUAL(st, 1, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "VFBC_TEST_TIMEOUT=soon"),
			"no error naming the value in:\n%s", cli_out);
	TEST_ASSERT_NULL(strstr(cli_out, "passed"), "ran commands anyway:\n%s", cli_out);
	return TEST_SUCCESS;
}

static int
test_unknown_command_is_an_error_naming_it(void)
{
	int st;

	st = cli_run(NULL, "runner_hidden_pass", "runner_no_such_command");
	TEST_ASSERT_EQUAL(st, 1, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "unknown test command: runner_no_such_command"),
			"unknown name not reported in:\n%s", cli_out);
	TEST_ASSERT_NULL(strstr(cli_out, "running runner_hidden_pass"),
			"ran the known command anyway:\n%s", cli_out);
	return TEST_SUCCESS;
}

static int
test_list_shows_commands_but_not_hidden_ones(void)
{
	int st;

	st = cli_run(NULL, "--list", NULL);
	TEST_ASSERT_EQUAL(st, 0, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "runner_selftest_autotest"),
			"own command missing from:\n%s", cli_out);
	TEST_ASSERT_NULL(strstr(cli_out, "runner_hidden_"), "hidden command listed:\n%s", cli_out);
	return TEST_SUCCESS;
}

static int
test_world_command_skips_without_world_binary(void)
{
	char env[sizeof(cli_dir) + 64];
	int st;

	snprintf(env, sizeof(env), "VFBC_WORLD_BIN=%s/no-such-world", cli_dir);
	st = cli_run(env, "runner_hidden_world", NULL);
	TEST_ASSERT_EQUAL(st, TEST_SKIPPED, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "skipped: vfbc-world not built"),
			"no skip reason in:\n%s", cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "0 passed, 0 failed, 1 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static int
test_world_command_skips_with_check_reason(void)
{
	char env[sizeof(cli_world_cannot) + 32];
	int st;

	snprintf(env, sizeof(env), "VFBC_WORLD_BIN=%s", cli_world_cannot);
	st = cli_run(env, "runner_hidden_world", NULL);
	TEST_ASSERT_EQUAL(st, TEST_SKIPPED, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "skipped: fake world cannot run here\n"),
			"--check's last stderr line is not the reason in:\n%s", cli_out);
	return TEST_SUCCESS;
}

static int
test_world_command_runs_inside_world_and_reports(void)
{
	char env[sizeof(cli_world_ok) + 32];
	int st;

	snprintf(env, sizeof(env), "VFBC_WORLD_BIN=%s", cli_world_ok);
	st = cli_run(env, "runner_hidden_world", NULL);
	TEST_ASSERT_EQUAL(st, 0, "exit status %d, output:\n%s", st, cli_out);
	TEST_ASSERT_NOT_NULL(strstr(cli_out, "world option: --fake-opt\nworld option: 3\n"),
			"world options not passed in:\n%s", cli_out);
	TEST_ASSERT(strcmp(cli_last_line(), "1 passed, 0 failed, 0 skipped") == 0,
			"last line '%s'", cli_last_line());
	return TEST_SUCCESS;
}

static struct unit_test_suite runner_cli_suite = {
	.suite_name = "runner command line",
	.setup = cli_setup,
	.teardown = cli_teardown,
	.unit_test_cases = {
		TEST_CASE(test_passing_command_exits_0),
		TEST_CASE(test_failing_command_exits_1),
		TEST_CASE(test_skipping_command_exits_77_with_reason),
		TEST_CASE(test_suite_cases_are_counted_across_commands),
		TEST_CASE(test_crashing_command_is_a_failure),
		TEST_CASE(test_hung_command_is_killed_after_timeout),
		TEST_CASE(test_bad_timeout_is_refused),
		TEST_CASE(test_unknown_command_is_an_error_naming_it),
		TEST_CASE(test_list_shows_commands_but_not_hidden_ones),
		TEST_CASE(test_world_command_skips_without_world_binary),
		TEST_CASE(test_world_command_skips_with_check_reason),
		TEST_CASE(test_world_command_runs_inside_world_and_reports),
		TEST_CASES_END()
	}
};

static int
test_runner_cli(void)
{
	return unit_test_suite_runner(&runner_cli_suite);
}

REGISTER_TEST_COMMAND(runner_cli_autotest, test_runner_cli);
