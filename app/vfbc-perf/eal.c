/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The EAL arguments of the PF primary, and the part of them its VF
 * processes share: the user's, completed with a lcore, a file prefix,
 * memory and, in an emulated world, the devices that can have ports.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "perf.h"

/* 1 when an argument starts with one of names. */
int
vfbc_perf_has_opt(char **argv, int argc, const char *const *names)
{
	int i, k;

	for (i = 0; i < argc; i++)
		for (k = 0; names[k] != NULL; k++)
			if (strncmp(argv[i], names[k], strlen(names[k])) == 0)
				return 1;
	return 0;
}

static int
vfbc_perf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The primary's allow list in an emulated world: every PF and the first
 * max_vfs VFs (in PCI order, as EAL probes them), as many as can have an
 * ethdev port (a world of several PFs has more VFs than the run uses). A VF
 * beyond RTE_MAX_ETHPORTS would only fail its probe, with two error lines
 * each; left out, it is reported "blocked" by the PF driver, which still
 * invalidates it (its channel slot exists). The world's sysfs tree
 * ($VFBC_WORLD/devices) gives a VF a physfn link, a PF none.
 */
static int
vfbc_perf_world_allow_list(unsigned int max_vfs, char ***argv, int *argc)
{
	const char *world = getenv("VFBC_WORLD");
	char path[PATH_MAX];
	char **names = NULL, **a = NULL;
	unsigned int nb = 0, cap = 0, i, vfs = 0, pfs = 0;
	struct dirent *de;
	struct stat st;
	int k = 0, ret = -ENOMEM;
	DIR *d;

	*argv = NULL;
	*argc = 0;
	if (world == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/devices", world);
	d = opendir(path);
	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (nb == cap) {
			char **n = realloc(names, (cap + 64) * sizeof(*names));

			if (n == NULL)
				goto out;
			names = n;
			cap += 64;
		}
		names[nb] = strdup(de->d_name);
		if (names[nb] == NULL)
			goto out;
		nb++;
	}
	qsort(names, nb, sizeof(*names), vfbc_perf_cmp_str);
	for (i = 0; i < nb; i++) {
		snprintf(path, sizeof(path), "%s/devices/%s/physfn", world, names[i]);
		pfs += lstat(path, &st) != 0;
	}
	a = calloc(2 * nb + 1, sizeof(*a));
	if (a == NULL)
		goto out;
	for (i = 0; i < nb; i++) {
		snprintf(path, sizeof(path), "%s/devices/%s/physfn", world, names[i]);
		if (lstat(path, &st) == 0 && (++vfs + pfs > RTE_MAX_ETHPORTS || vfs > max_vfs))
			continue;
		a[k++] = (char *)(uintptr_t)"-a";
		a[k++] = names[i];
		names[i] = NULL;
	}
	*argv = a;
	*argc = k;
	a = NULL;
	ret = 0;
out:
	closedir(d);
	for (i = 0; i < nb; i++)
		free(names[i]);
	free(names);
	free(a);
	return ret;
}

int
vfbc_perf_eal_args(struct vfbc_perf_eal *e, char **user, int nb_user,
		const struct vfbc_perf_opts *o, const char *self)
{
	static const char *const lcore_opts[] = { "-l", "-c", "--lcores", NULL };
	static const char *const prefix_opts[] = { "--file-prefix", NULL };
	static const char *const mem_opts[] = { "-m", "--socket-mem", "--no-huge", NULL };
	/*
	 * The secondaries get the driver options, not the device lists: each
	 * is given an allow list of its own VFs (vfbc_perf_drv_allow_list()).
	 */
	static const char *const sec_opts[] = { "-d", "--vdev", "--log-level", "--iova-mode",
		"--base-virtaddr", NULL };
	static const char *const dev_opts[] = { "-a", "-b", "--allow", "--block", "--no-pci",
		NULL };
	int i;

	if (nb_user + 16 > VFBC_PERF_MAX_ARGS)
		return -E2BIG;
	e->argc = 0;
	e->nb_sec = 0;
	e->argv[e->argc++] = (char *)(uintptr_t)self;
	/* Quiet EAL; the user's own --log-level options come later and win. */
	e->argv[e->argc++] = (char *)(uintptr_t)"--log-level=warning";
	e->sec[e->nb_sec++] = (char *)(uintptr_t)"--log-level=warning";
	if (!vfbc_perf_has_opt(user, nb_user, lcore_opts)) {
		snprintf(e->lcore, sizeof(e->lcore), "%d", o->lcores[0]);
		e->argv[e->argc++] = (char *)(uintptr_t)"-l";
		e->argv[e->argc++] = e->lcore;
	}
	if (!vfbc_perf_has_opt(user, nb_user, prefix_opts)) {
		snprintf(e->prefix, sizeof(e->prefix), "--file-prefix=vfbc-perf-%d", (int)getpid());
		e->argv[e->argc++] = e->prefix;
		e->sec[e->nb_sec++] = e->prefix;
	}
	if (!vfbc_perf_has_opt(user, nb_user, mem_opts)) {
		e->argv[e->argc++] = (char *)(uintptr_t)"-m";
		e->argv[e->argc++] = (char *)(uintptr_t)"256";
	}
	/* In a world without user device lists: the devices that can have ports. */
	if (!vfbc_perf_has_opt(user, nb_user, dev_opts)) {
		char **allow;
		int nb_allow;

		if (vfbc_perf_world_allow_list(o->max_vfs, &allow, &nb_allow) != 0)
			return -ENOENT;
		if (e->argc + nb_allow + nb_user + 1 > VFBC_PERF_MAX_ARGS) {
			free(allow);
			return -E2BIG;
		}
		memcpy(e->argv + e->argc, allow, nb_allow * sizeof(*allow));
		e->argc += nb_allow;
		free(allow);
	}
	for (i = 0; i < nb_user; i++) {
		e->argv[e->argc++] = user[i];
		/* The secondaries need the same prefix and the same drivers. */
		if (strncmp(user[i], "--file-prefix", 13) == 0 ||
				vfbc_perf_has_opt(&user[i], 1, sec_opts)) {
			e->sec[e->nb_sec++] = user[i];
			/* "-a X", "--allow X": the value is the next argument. */
			if (strchr(user[i], '=') == NULL && i + 1 < nb_user &&
					(strlen(user[i]) == 2 || user[i][1] == '-') &&
					user[i + 1][0] != '-') {
				i++;
				e->argv[e->argc++] = user[i];
				e->sec[e->nb_sec++] = user[i];
			}
		}
	}
	e->argv[e->argc] = NULL;
	return 0;
}
