/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Where vfbc-perf runs: it re-executes itself under vfbc-world (found next
 * to it, or at $VFBC_WORLD_BIN) when it is in no world and has no EAL
 * allow list; in a world, or on real devices, it starts its VF secondaries
 * by re-executing itself with a hidden role option.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perf.h"

static char vfbc_perf_self_path[PATH_MAX];

const char *
vfbc_perf_self(void)
{
	ssize_t n;

	if (vfbc_perf_self_path[0] != '\0')
		return vfbc_perf_self_path;
	n = readlink("/proc/self/exe", vfbc_perf_self_path, sizeof(vfbc_perf_self_path) - 1);
	if (n <= 0)
		return "vfbc-perf";
	vfbc_perf_self_path[n] = '\0';
	return vfbc_perf_self_path;
}

int
vfbc_perf_world_bin(char *buf, size_t len)
{
	const char *env = getenv("VFBC_WORLD_BIN");
	const char *slash;
	const char *self;

	if (env != NULL && env[0] != '\0') {
		snprintf(buf, len, "%s", env);
		return access(buf, X_OK) == 0 ? 0 : -errno;
	}
	self = vfbc_perf_self();
	slash = strrchr(self, '/');
	if (slash == NULL) {
		snprintf(buf, len, "vfbc-world");
		return -ENOENT;
	}
	snprintf(buf, len, "%.*s/vfbc-world", (int)(slash - self), self);
	return access(buf, X_OK) == 0 ? 0 : -errno;
}

/* "vfbc-world --check": 0 if worlds can be built here, else its status. */
static int
vfbc_perf_world_check(const char *bin)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execl(bin, bin, "--check", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

/*
 * Replaces this process with vfbc-world running this program with the same
 * arguments. Returns only on failure, with the exit status to use (77 when
 * this machine cannot build worlds).
 */
int
vfbc_perf_enter_world(int argc, char **argv, const struct vfbc_perf_opts *o)
{
	char bin[PATH_MAX];
	char total[16];
	char **nargv;
	int i, k, ret;

	ret = vfbc_perf_world_bin(bin, sizeof(bin));
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: skipped: no vfbc-world at %s (build it, set "
				"VFBC_WORLD_BIN, or give EAL -a options for real devices)\n", bin);
		return 77;
	}
	ret = vfbc_perf_world_check(bin);
	if (ret == 77) {
		fprintf(stderr, "vfbc-perf: skipped: this machine cannot build an emulated "
				"world (see vfbc-world --check above)\n");
		return 77;
	}
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: vfbc-world --check failed (status %d)\n", ret);
		return 1;
	}
	/* The world has as many VFs as the scaling run uses. */
	snprintf(total, sizeof(total), "%u", o->max_vfs);
	nargv = calloc(argc + 10, sizeof(*nargv));
	if (nargv == NULL)
		return 1;
	k = 0;
	nargv[k++] = bin;
	nargv[k++] = (char *)(uintptr_t)"--total-vfs";
	nargv[k++] = total;
	nargv[k++] = (char *)(uintptr_t)"--vf-offset";
	nargv[k++] = (char *)(uintptr_t)"1";
	nargv[k++] = (char *)(uintptr_t)"--vf-stride";
	nargv[k++] = (char *)(uintptr_t)"1";
	nargv[k++] = (char *)(uintptr_t)"--";
	nargv[k++] = (char *)(uintptr_t)vfbc_perf_self();
	for (i = 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	fflush(NULL);
	execv(bin, nargv);
	fprintf(stderr, "vfbc-perf: cannot run %s: %s\n", bin, strerror(errno));
	free(nargv);
	return 1;
}

/*
 * Runs argv (argv[0] a path) to its end; its exit status, or -errno when it
 * could not run. quiet sends its output to /dev/null.
 */
int
vfbc_perf_run_nested(char **argv, int quiet)
{
	int status, null;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (quiet) {
			null = open("/dev/null", O_WRONLY);
			if (null >= 0) {
				dup2(null, STDOUT_FILENO);
				dup2(null, STDERR_FILENO);
			}
		}
		execvp(argv[0], argv);
		fprintf(stderr, "vfbc-perf: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Starts VF process index on cpu: this program as an EAL secondary. */
int
vfbc_perf_spawn(const char *self, char **eal_argv, int eal_argc, unsigned int index,
		int cpu, pid_t *pid)
{
	char lcore[16], role[16];
	char **argv;
	int i, k;

	snprintf(lcore, sizeof(lcore), "%d", cpu);
	snprintf(role, sizeof(role), "%u", index);
	argv = calloc(eal_argc + 10, sizeof(*argv));
	if (argv == NULL)
		return -ENOMEM;
	k = 0;
	argv[k++] = (char *)(uintptr_t)self;
	argv[k++] = (char *)(uintptr_t)"-l";
	argv[k++] = lcore;
	argv[k++] = (char *)(uintptr_t)"--proc-type=secondary";
	for (i = 0; i < eal_argc; i++)
		argv[k++] = eal_argv[i];
	argv[k++] = (char *)(uintptr_t)"--";
	argv[k++] = (char *)(uintptr_t)"--vfbc-perf-role";
	argv[k++] = role;
	argv[k] = NULL;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0) {
		free(argv);
		return -errno;
	}
	if (*pid == 0) {
		execv(self, argv);
		fprintf(stderr, "vfbc-perf: cannot run %s: %s\n", self, strerror(errno));
		_exit(127);
	}
	free(argv);
	return 0;
}
