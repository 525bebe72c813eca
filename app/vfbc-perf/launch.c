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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vfbc_launch.h>

#include "perf.h"

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
	self = vfbc_launch_self();
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
	char *argv[] = { (char *)(uintptr_t)bin, (char *)(uintptr_t)"--check", NULL };
	struct vfbc_launch l = { .argv = argv };

	return vfbc_launch_run(&l, VFBC_LAUNCH_FOREVER);
}

/*
 * Replaces this process with vfbc-world running this program with the same
 * arguments. Returns only on failure, with the exit status to use (77 when
 * this machine cannot build worlds).
 */
int
vfbc_perf_enter_world(int argc, char **argv, const struct vfbc_perf_opts *o)
{
	struct vfbc_launch l = { 0 };
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
	nargv[k++] = (char *)(uintptr_t)vfbc_launch_self();
	for (i = 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	l.argv = nargv;
	ret = vfbc_launch_exec(&l);
	fprintf(stderr, "vfbc-perf: cannot run %s: %s\n", bin, strerror(-ret));
	free(nargv);
	return 1;
}

/*
 * Runs argv (argv[0] a path, or a program on PATH) to its end; its exit
 * status, or -errno when it could not run. quiet sends its output to
 * /dev/null.
 */
int
vfbc_perf_run_nested(char **argv, int quiet)
{
	struct vfbc_launch l = {
		.argv = argv,
		.out_fd = quiet ? VFBC_LAUNCH_NULL : 0,
		.err_fd = quiet ? VFBC_LAUNCH_NULL : 0,
		.flags = VFBC_LAUNCH_F_PATH,
	};

	return vfbc_launch_run(&l, VFBC_LAUNCH_FOREVER);
}

/* Starts VF process index on cpu: this program as an EAL secondary. */
int
vfbc_perf_spawn(char **eal_argv, int eal_argc, unsigned int index, int cpu, pid_t *pid)
{
	struct vfbc_launch l = { 0 };
	char lcore[16], role[16];
	char **argv;
	int i, k, ret;

	snprintf(lcore, sizeof(lcore), "%d", cpu);
	snprintf(role, sizeof(role), "%u", index);
	argv = calloc(eal_argc + 10, sizeof(*argv));
	if (argv == NULL)
		return -ENOMEM;
	k = 0;
	argv[k++] = (char *)(uintptr_t)vfbc_launch_self();
	argv[k++] = (char *)(uintptr_t)"-l";
	argv[k++] = lcore;
	argv[k++] = (char *)(uintptr_t)"--proc-type=secondary";
	for (i = 0; i < eal_argc; i++)
		argv[k++] = eal_argv[i];
	argv[k++] = (char *)(uintptr_t)"--";
	argv[k++] = (char *)(uintptr_t)"--vfbc-perf-role";
	argv[k++] = role;
	argv[k] = NULL;
	l.argv = argv;
	ret = vfbc_launch_spawn(&l, pid);
	free(argv);
	return ret;
}
