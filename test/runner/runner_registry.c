/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_string_fns.h>

#include "runner.h"

/* Where meson built vfbc-world, if it did when vfbc-test was built. */
#ifdef VFBC_TEST_WORLD_BIN
static const char vfbc_test_world_built[] = VFBC_TEST_WORLD_BIN;
#else
static const char vfbc_test_world_built[] = "";
#endif

static struct vfbc_test_command_list vfbc_test_command_list =
	TAILQ_HEAD_INITIALIZER(vfbc_test_command_list);
static const struct vfbc_test_command *vfbc_test_running;
static struct vfbc_test_counts vfbc_test_running_counts;
static char vfbc_test_self[PATH_MAX];
static char vfbc_test_world[PATH_MAX];

/* Kept sorted by name so that --list and --all are stable across links. */
void
vfbc_test_register(struct vfbc_test_command *cmd)
{
	struct vfbc_test_command *it;

	TAILQ_FOREACH(it, &vfbc_test_command_list, next) {
		if (strcmp(cmd->name, it->name) < 0) {
			TAILQ_INSERT_BEFORE(it, cmd, next);
			return;
		}
	}
	TAILQ_INSERT_TAIL(&vfbc_test_command_list, cmd, next);
}

struct vfbc_test_command_list *
vfbc_test_commands(void)
{
	return &vfbc_test_command_list;
}

struct vfbc_test_command *
vfbc_test_command_find(const char *name)
{
	struct vfbc_test_command *it;

	TAILQ_FOREACH(it, &vfbc_test_command_list, next)
		if (strcmp(it->name, name) == 0)
			return it;
	return NULL;
}

const char *
vfbc_test_command_name(void)
{
	return vfbc_test_running != NULL ? vfbc_test_running->name : NULL;
}

struct vfbc_test_counts *
vfbc_test_command_counts(void)
{
	return &vfbc_test_running_counts;
}

/*
 * A command may run suites (their cases are counted as they run) or just
 * return a status; a status that the counted cases do not account for is
 * counted as one case of its own, so a failure is never lost.
 */
void
vfbc_test_command_run_here(const struct vfbc_test_command *cmd, struct vfbc_test_counts *counts)
{
	struct vfbc_test_counts *c = &vfbc_test_running_counts;
	int ret;

	memset(c, 0, sizeof(*c));
	vfbc_test_running = cmd;
	vfbc_test_skip_reason_reset();

	ret = cmd->fn();
	fflush(stdout);

	if (ret == TEST_SUCCESS) {
		if (c->passed + c->failed + c->skipped == 0)
			c->passed++;
	} else if (ret == TEST_SKIPPED) {
		if (c->passed + c->failed + c->skipped == 0)
			c->skipped++;
	} else if (c->failed == 0) {
		printf("%s returned %d\n", cmd->name, ret);
		c->failed++;
	}

	vfbc_test_eal_release();
	fflush(stdout);
	vfbc_test_running = NULL;
	*counts = *c;
}

int
vfbc_test_self_path_init(const char *argv0)
{
	ssize_t n;

	n = readlink("/proc/self/exe", vfbc_test_self, sizeof(vfbc_test_self) - 1);
	if (n > 0) {
		vfbc_test_self[n] = '\0';
		return 0;
	}
	if (realpath(argv0, vfbc_test_self) != NULL)
		return 0;
	return -errno;
}

const char *
vfbc_test_self_path(void)
{
	return vfbc_test_self;
}

const char *
vfbc_test_world_bin(void)
{
	const char *env;
	char *slash;

	env = getenv("VFBC_WORLD_BIN");
	if (env != NULL && env[0] != '\0')
		return env;
	if (vfbc_test_world_built[0] != '\0')
		return vfbc_test_world_built;
	/* Build tree layout: build/test/vfbc-test and build/app/vfbc-world. */
	if (vfbc_test_world[0] == '\0') {
		strlcpy(vfbc_test_world, vfbc_test_self, sizeof(vfbc_test_world));
		slash = strrchr(vfbc_test_world, '/');
		if (slash == NULL)
			return "vfbc-world";
		*slash = '\0';
		strlcat(vfbc_test_world, "/../app/vfbc-world", sizeof(vfbc_test_world));
	}
	return vfbc_test_world;
}

const char *
vfbc_test_world_dir(void)
{
	const char *dir;

	dir = getenv("VFBC_WORLD");
	return dir != NULL && dir[0] != '\0' ? dir : NULL;
}
