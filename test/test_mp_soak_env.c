/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* What the soak checks was not leaked, and cleans up: see test_mp_soak.h. */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>

#include "test_mp_soak.h"

/* Does a directory entry's name match (arg: what the test needs)? */
typedef int (*soak_name_fn)(const char *name, const void *arg);

static int
soak_any(const char *name __rte_unused, const void *arg __rte_unused)
{
	return 1;
}

static int
soak_has_prefix(const char *name, const void *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static int
soak_not_prefix(const char *name, const void *prefix)
{
	return !soak_has_prefix(name, prefix);
}

static int
soak_not_named(const char *name, const void *keep)
{
	return strcmp(name, keep) != 0;
}

/* A file of process *pid: "<...>_<pid>" or "mp_socket_<pid>_<...>". */
static int
soak_of_pid(const char *name, const void *pid)
{
	char tail[32], head[48];
	size_t nl, tl;

	nl = strlen(name);
	snprintf(tail, sizeof(tail), "_%d", *(const int *)pid);
	snprintf(head, sizeof(head), "mp_socket_%d_", *(const int *)pid);
	tl = strlen(tail);
	return (nl > tl && strcmp(name + nl - tl, tail) == 0) ||
		strncmp(name, head, strlen(head)) == 0;
}

/*
 * The entries of dir (not . and ..) that match: how many (0 if dir does
 * not exist, a negative errno if it cannot be read); removed if remove;
 * printed as foreign if foreign; their names appended to names (if size).
 */
static int
soak_dir_match(const char *dir, soak_name_fn match, const void *arg, int remove, int foreign,
	       char *names, size_t size)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t len = 0;
	DIR *d;
	int n = 0;

	if (size > 0)
		names[0] = '\0';
	d = opendir(dir);
	if (d == NULL)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
				!match(e->d_name, arg))
			continue;
		n++;
		if (foreign)
			printf("%s/%s: not this primary's\n", dir, e->d_name);
		if (remove && (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) <
				sizeof(path))
			unlink(path);
		if (len < size)
			len += (size_t)snprintf(names + len, size - len, "%s%s",
						len > 0 ? " " : "", e->d_name);
	}
	closedir(d);
	return n;
}

/* soak_dir_match() on every hugetlbfs mount: the total. */
static int
soak_huge_match(soak_name_fn match, const void *arg, int remove, int foreign)
{
	struct mntent *mnt;
	int n = 0, ret;
	FILE *f;

	f = setmntent("/proc/mounts", "r");
	if (f == NULL)
		return -errno;
	while ((mnt = getmntent(f)) != NULL) {
		if (strcmp(mnt->mnt_type, "hugetlbfs") != 0)
			continue;
		ret = soak_dir_match(mnt->mnt_dir, match, arg, remove, foreign, NULL, 0);
		if (ret > 0)
			n += ret;
	}
	endmntent(f);
	return n;
}

struct soak_mz_walk {
	const char *channel;
	struct soak_res *r;
};

static void
soak_mz_count(const struct rte_memzone *mz, void *arg)
{
	struct soak_mz_walk *w = arg;

	w->r->memzones++;
	/* The service summary is the primary's for its life, one line for every channel. */
	if (strncmp(mz->name, "vfbc", 4) == 0 && strcmp(mz->name, w->channel) != 0 &&
			strcmp(mz->name, VFBC_CHANNEL_SUMMARY_MZ) != 0) {
		w->r->vfbc_memzones++;
		printf("memzone %s: a vfbc memzone beside the PF's channel\n", mz->name);
	}
}

void
soak_res_take(struct soak_res *r, const char *channel_mz)
{
	struct soak_mz_walk w = { .channel = channel_mz, .r = r };
	struct rte_malloc_socket_stats st;
	unsigned int i;
	int n;

	memset(r, 0, sizeof(*r));
	/* Less the descriptor opendir() holds while it counts. */
	n = soak_dir_match("/proc/self/fd", soak_any, NULL, 0, 0, NULL, 0);
	r->fds = n > 0 ? (unsigned int)n - 1 : 0;
	rte_memzone_walk(soak_mz_count, &w);
	for (i = 0; i < rte_socket_count(); i++) {
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) != 0)
			continue;
		r->heap_bytes += st.heap_allocsz_bytes;
		r->heap_allocs += st.alloc_count;
	}
	n = soak_dir_match(rte_eal_get_runtime_dir(), soak_any, NULL, 0, 0, NULL, 0);
	r->runtime_files = n > 0 ? (unsigned int)n : 0;
}

int
soak_res_cmp(const char *what, const struct soak_res *before, const struct soak_res *now,
	     const struct soak_res_more *more)
{
	int ret = 0;

	printf("%s: fds %u -> %u (%u expected more), memzones %u -> %u (vfbc beside the "
	       "channel: %u), heap %" PRIu64 " bytes in %" PRIu64 " allocations -> %" PRIu64
	       " in %" PRIu64 " (%" PRIu64 " in %" PRIu64 " expected more), runtime directory %u"
	       " -> %u files\n", what, before->fds, now->fds, more->fds, before->memzones,
	       now->memzones, now->vfbc_memzones, before->heap_bytes, before->heap_allocs,
	       now->heap_bytes, now->heap_allocs, more->heap_bytes, more->heap_allocs,
	       before->runtime_files, now->runtime_files);
	if (now->fds != before->fds + more->fds || now->memzones != before->memzones ||
			now->vfbc_memzones != 0 ||
			now->heap_bytes != before->heap_bytes + more->heap_bytes ||
			now->heap_allocs != before->heap_allocs + more->heap_allocs ||
			now->runtime_files != before->runtime_files) {
		printf("%s: the primary holds more or less than before\n", what);
		ret = -1;
	}
	return ret;
}

int
soak_reap_pid(const char *dir, int pid, char *names, size_t size)
{
	return soak_dir_match(dir, soak_of_pid, &pid, 1, 0, names, size);
}

/* The runtime directory of prefix, a sibling of ours. */
static int
soak_runtime_sibling(const char *our_dir, const char *prefix, char *dir, size_t size)
{
	const char *slash;

	slash = strrchr(our_dir, '/');
	if (slash == NULL || snprintf(dir, size, "%.*s/%s", (int)(slash - our_dir), our_dir,
				      prefix) >= (int)size)
		return -EINVAL;
	return 0;
}

int
soak_prefix_files(const char *our_dir, const char *prefix, int remove,
		  unsigned int *dir_files, unsigned int *huge_files)
{
	char dir[PATH_MAX];
	int n;

	*dir_files = *huge_files = 0;
	if (soak_runtime_sibling(our_dir, prefix, dir, sizeof(dir)) < 0)
		return -EINVAL;
	n = soak_dir_match(dir, soak_any, NULL, remove, 0, NULL, 0);
	if (n < 0)
		return n;
	*dir_files = (unsigned int)n;
	if (remove)
		rmdir(dir);
	else if (access(dir, F_OK) == 0)
		(*dir_files)++;	/* the directory itself */
	n = soak_huge_match(soak_has_prefix, prefix, remove, 0);
	if (n < 0)
		return n;
	*huge_files = (unsigned int)n;
	return (int)(*dir_files + *huge_files);
}

int
soak_foreign_files(const char *our_dir, const char *our_prefix)
{
	char root[PATH_MAX];
	int n, h;

	if (soak_runtime_sibling(our_dir, "", root, sizeof(root)) < 0)
		return -EINVAL;
	n = soak_dir_match(root, soak_not_named, our_prefix, 0, 1, NULL, 0);
	h = soak_huge_match(soak_not_prefix, our_prefix, 0, 1);
	return n < 0 ? n : h < 0 ? h : n + h;
}
