/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The emulated world vfbc-perf runs in: vfbc-world (next to this program,
 * or at $VFBC_WORLD_BIN), which this program re-executes itself under when
 * it is in no world and has no EAL allow list.
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

/*
 * Replaces this process with vfbc-world running this program with the same
 * arguments. Returns only on failure, with the exit status to use (77 when
 * this machine cannot build worlds).
 */
int
vfbc_perf_enter_world(int argc, char **argv, const struct vfbc_perf_opts *o)
{
	char bin[PATH_MAX];
	char *check[] = { bin, (char *)(uintptr_t)"--check", NULL };
	struct vfbc_launch l = { .argv = check };
	char total[16];
	char **nargv;
	int i, k, ret;

	ret = vfbc_perf_world_bin(bin, sizeof(bin));
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: skipped: no vfbc-world at %s (build it, set "
				"VFBC_WORLD_BIN, or give EAL -a options for real devices)\n", bin);
		return 77;
	}
	/* "vfbc-world --check": 0 if worlds can be built here. */
	ret = vfbc_launch_run(&l, VFBC_LAUNCH_FOREVER);
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
