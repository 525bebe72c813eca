/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

/* The suites meson knows; --suite accepts these even when empty. */
static const char * const vfbc_test_known_suites[] = {
	"fast", "world", "mp", "perf", "docs",
};

static void
vfbc_test_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [--all] [--suite SUITE]... [NAME]...\n"
		"       %s --list\n"
		"Run vfbc unit test commands, each in its own process (world commands\n"
		"inside a fresh emulated world), and print the case counts.\n"
		"  NAME          run this command (see --list)\n"
		"  --all         run every listed command\n"
		"  --suite SUITE run the commands of SUITE (fast, world, mp, perf, docs)\n"
		"  --list        list the commands with their suite and world options\n"
		"  --run-one NAME  internal: run NAME in this process\n"
		"  -h, --help    this help\n"
		"Exit status: 0 passed (skips allowed), 77 all skipped, 1 a failure.\n"
		"Environment: VFBC_TEST_TIMEOUT (seconds per command), VFBC_TEST_VERBOSE\n"
		"(EAL logs), VFBC_WORLD_BIN (the vfbc-world to use).\n",
		prog, prog);
}

static void
vfbc_test_list(void)
{
	struct vfbc_test_command *cmd;
	const char *world;

	printf("%-40s %-6s %s\n", "NAME", "SUITE", "WORLD OPTIONS");
	TAILQ_FOREACH(cmd, vfbc_test_commands(), next) {
		if (cmd->hidden)
			continue;
		if (cmd->world_opts == NULL)
			world = "-";
		else if (cmd->world_opts[0] == '\0')
			world = "(defaults)";
		else
			world = cmd->world_opts;
		printf("%-40s %-6s %s\n", cmd->name, cmd->suite, world);
	}
}

static int
vfbc_test_suite_known(const char *suite)
{
	struct vfbc_test_command *cmd;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_test_known_suites); i++)
		if (strcmp(suite, vfbc_test_known_suites[i]) == 0)
			return 1;
	TAILQ_FOREACH(cmd, vfbc_test_commands(), next)
		if (strcmp(suite, cmd->suite) == 0)
			return 1;
	return 0;
}

static int
vfbc_test_parse_timeout(unsigned int *timeout_s)
{
	const char *env;
	unsigned long v;
	char *end;

	*timeout_s = 0;
	env = getenv("VFBC_TEST_TIMEOUT");
	if (env == NULL || env[0] == '\0')
		return 0;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (errno != 0 || *end != '\0' || env[0] == '-' || v > 86400) {
		fprintf(stderr, "vfbc-test: VFBC_TEST_TIMEOUT=%s is not a number of seconds"
				" (0..86400)\n", env);
		return -EINVAL;
	}
	*timeout_s = v;
	return 0;
}

/* Inside a world (or by hand): run one command here, report to the runner. */
static int
vfbc_test_run_one(const char *name)
{
	struct vfbc_test_command *cmd;
	struct vfbc_test_counts c;
	const char *env;
	char *end;
	long fd;

	cmd = vfbc_test_command_find(name);
	if (cmd == NULL) {
		fprintf(stderr, "vfbc-test: unknown test command: %s\n", name);
		return 1;
	}
	fd = -1;
	env = getenv(VFBC_TEST_REPORT_ENV);
	if (env != NULL) {
		fd = strtol(env, &end, 10);
		if (*end != '\0' || fd < 0 || fcntl(fd, F_GETFD) < 0) {
			fprintf(stderr, "vfbc-test: %s=%s is not an open fd\n",
					VFBC_TEST_REPORT_ENV, env);
			return 1;
		}
		/* Processes the command starts must not report in its name. */
		unsetenv(VFBC_TEST_REPORT_ENV);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (cmd->world_opts != NULL && vfbc_test_world_dir() == NULL)
		printf("warning: %s is a world command running outside a world\n", name);

	vfbc_test_command_run_here(cmd, &c);
	if (fd >= 0) {
		if (vfbc_test_report_write(fd, &c) < 0)
			fprintf(stderr, "vfbc-test: cannot report results: %s\n", strerror(errno));
	} else {
		printf("%u passed, %u failed, %u skipped\n", c.passed, c.failed, c.skipped);
	}
	fflush(stdout);
	return vfbc_test_counts_status(&c);
}

static int
vfbc_test_select(struct vfbc_test_command **sel, unsigned int *nsel, unsigned int max,
		struct vfbc_test_command *cmd)
{
	unsigned int i;

	for (i = 0; i < *nsel; i++)
		if (sel[i] == cmd)
			return 0;
	if (*nsel >= max)
		return -ENOSPC;
	sel[(*nsel)++] = cmd;
	return 0;
}

static double
vfbc_test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *
vfbc_test_verdict(const struct vfbc_test_counts *c)
{
	switch (vfbc_test_counts_status(c)) {
	case 0:
		return "OK";
	case TEST_SKIPPED:
		return "SKIPPED";
	default:
		return "FAILED";
	}
}

static int
vfbc_test_run_selected(struct vfbc_test_command **sel, unsigned int nsel, unsigned int timeout_s)
{
	struct vfbc_test_counts total = { 0, 0, 0 };
	struct vfbc_test_counts c;
	unsigned int nfailed;
	unsigned int i;
	double t0;

	vfbc_test_process_init();
	nfailed = 0;
	for (i = 0; i < nsel; i++) {
		printf("vfbc-test: running %s", sel[i]->name);
		if (sel[i]->world_opts != NULL)
			printf(" in a world (%s)", sel[i]->world_opts[0] != '\0' ?
					sel[i]->world_opts : "default options");
		printf("\n");
		t0 = vfbc_test_now();
		vfbc_test_command_run_child(sel[i], timeout_s, &c);
		printf("vfbc-test: %s %s: %u passed, %u failed, %u skipped in %.2f s\n",
				sel[i]->name, vfbc_test_verdict(&c), c.passed, c.failed,
				c.skipped, vfbc_test_now() - t0);
		/* Failed commands first, for the summary below. */
		if (c.failed > 0)
			sel[nfailed++] = sel[i];
		total.passed += c.passed;
		total.failed += c.failed;
		total.skipped += c.skipped;
	}
	if (nfailed > 0) {
		printf("vfbc-test: failed:");
		for (i = 0; i < nfailed; i++)
			printf(" %s", sel[i]->name);
		printf("\n");
	}
	printf("%u passed, %u failed, %u skipped\n", total.passed, total.failed, total.skipped);
	fflush(stdout);
	if (total.failed > 0)
		return 1;
	return total.passed > 0 ? 0 : TEST_SKIPPED;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "list", no_argument, NULL, 'l' },
		{ "run-one", required_argument, NULL, 'r' },
		{ "suite", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct vfbc_test_command **sel;
	struct vfbc_test_command *cmd;
	const char *suites[16];
	const char *run_one;
	unsigned int nsuites;
	unsigned int timeout_s;
	unsigned int nunknown;
	unsigned int ncmds;
	unsigned int nsel;
	unsigned int i;
	int all;
	int list;
	int opt;
	int ret;

	/* Keep the order of output lines when stdout is a pipe (meson). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (vfbc_test_self_path_init(argv[0]) < 0) {
		fprintf(stderr, "vfbc-test: cannot find my own path\n");
		return 1;
	}

	all = 0;
	list = 0;
	nsuites = 0;
	run_one = NULL;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			all = 1;
			break;
		case 'h':
			vfbc_test_usage(stdout, argv[0]);
			return 0;
		case 'l':
			list = 1;
			break;
		case 'r':
			run_one = optarg;
			break;
		case 's':
			if (!vfbc_test_suite_known(optarg)) {
				fprintf(stderr, "vfbc-test: unknown suite: %s\n", optarg);
				return 1;
			}
			if (nsuites == RTE_DIM(suites)) {
				fprintf(stderr, "vfbc-test: too many --suite options\n");
				return 1;
			}
			suites[nsuites++] = optarg;
			break;
		default:
			vfbc_test_usage(stderr, argv[0]);
			return 1;
		}
	}

	if (run_one != NULL) {
		if (all || list || nsuites > 0 || optind < argc) {
			fprintf(stderr,
				"vfbc-test: --run-one takes one command and nothing else\n");
			return 1;
		}
		return vfbc_test_run_one(run_one);
	}
	if (list) {
		vfbc_test_list();
		return 0;
	}
	if (!all && nsuites == 0 && optind == argc) {
		vfbc_test_usage(stderr, argv[0]);
		return 1;
	}
	if (vfbc_test_parse_timeout(&timeout_s) < 0)
		return 1;

	ncmds = 0;
	TAILQ_FOREACH(cmd, vfbc_test_commands(), next)
		ncmds++;
	sel = calloc(ncmds + 1, sizeof(*sel));
	if (sel == NULL) {
		fprintf(stderr, "vfbc-test: out of memory\n");
		return 1;
	}

	/* Unknown names are an error before anything runs. */
	nsel = 0;
	nunknown = 0;
	for (i = optind; i < (unsigned int)argc; i++) {
		cmd = vfbc_test_command_find(argv[i]);
		if (cmd == NULL) {
			fprintf(stderr, "vfbc-test: unknown test command: %s\n", argv[i]);
			nunknown++;
			continue;
		}
		vfbc_test_select(sel, &nsel, ncmds, cmd);
	}
	if (nunknown > 0) {
		printf("0 passed, %u failed, 0 skipped\n", nunknown);
		free(sel);
		return 1;
	}
	TAILQ_FOREACH(cmd, vfbc_test_commands(), next) {
		if (cmd->hidden)
			continue;
		for (i = 0; i < nsuites; i++)
			if (strcmp(cmd->suite, suites[i]) == 0)
				break;
		if (all || i < nsuites)
			vfbc_test_select(sel, &nsel, ncmds, cmd);
	}
	if (nsel == 0)
		printf("skipped: no test command in the requested suites\n");

	ret = vfbc_test_run_selected(sel, nsel, timeout_s);
	free(sel);
	return ret;
}
