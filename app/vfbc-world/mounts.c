/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The world's private mount namespace. DPDK hard-codes /dev/uioN,
 * /sys/class/uio/uioN/device/config, /dev/hugepages (through /proc/mounts)
 * and /var/run/dpdk, so in the namespace:
 *  - /dev is a tmpfs mirroring the host's /dev (device nodes recreated,
 *    directories such as pts and shm bind-mounted), which holds the tree
 *    and the uio nodes, and a hugetlbfs of the world's own at /dev/hugepages
 *    (the host's hugetlbfs mounts are detached in the namespace);
 *  - /sys/class is a tmpfs with bind mounts of the host's classes plus a
 *    uio class of the world's own (sysfs itself cannot be written to);
 *  - /var/run (that is, /run) is covered likewise, and /var/run/dpdk is a
 *    tmpfs in it.
 * Nothing of this reaches the host: every mount is private to the namespace
 * and goes away with it, even when the world is killed.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>

#include "world.h"

#define VFBC_WORLD_RUN		"/var/run"
#define VFBC_WORLD_RUN_DPDK	VFBC_WORLD_RUN "/dpdk"
#define VFBC_WORLD_HUGE_SYSFS	"/sys/kernel/mm/hugepages"
#define VFBC_WORLD_MAX_MOUNTS	16

/*
 * Mounts the world made, detached in reverse order when it ends. Only those
 * holding nothing but the world's own files are emptied first: the covers
 * of /dev and /sys/class hold bind mounts of the host's directories.
 */
struct vfbc_world_mnt {
	char path[PATH_MAX];
	int empty_first;
};
static struct vfbc_world_mnt vfbc_world_mounts[VFBC_WORLD_MAX_MOUNTS];
static unsigned int vfbc_world_nb_mounts;

/* A new filesystem for the world; empty_first: only world files in it. */
static int
vfbc_world_mount(const char *target, const char *fstype, const char *data, int empty_first)
{
	struct vfbc_world_mnt *m;

	if (vfbc_world_nb_mounts == VFBC_WORLD_MAX_MOUNTS)
		return -ENOSPC;
	if (mount("vfbc-world", target, fstype, MS_NOSUID | MS_NODEV, data) < 0) {
		vfbc_world_log("cannot mount %s on %s: %s", fstype, target, strerror(errno));
		return -errno;
	}
	m = &vfbc_world_mounts[vfbc_world_nb_mounts++];
	snprintf(m->path, sizeof(m->path), "%s", target);
	m->empty_first = empty_first;
	return 0;
}

/* Unescape a mountinfo path (spaces and the like are octal escapes). */
static void
vfbc_world_unescape(char *s)
{
	char *out;

	for (out = s; *s != '\0'; out++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] != '\0' && s[3] != '\0') {
			*out = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 4;
		} else {
			*out = *s++;
		}
	}
	*out = '\0';
}

/* The host's hugetlbfs mounts must not be where DPDK finds hugepages. */
static int
vfbc_world_detach_hugetlbfs(void)
{
	char line[4096];
	char *fields[5];
	char *dash;
	char *save;
	FILE *f;
	int i;

	for (;;) {
		f = fopen("/proc/self/mountinfo", "re");
		if (f == NULL)
			return -errno;
		fields[4] = NULL;
		while (fgets(line, sizeof(line), f) != NULL) {
			dash = strstr(line, " - ");
			if (dash == NULL || strncmp(dash + 3, "hugetlbfs ", 10) != 0)
				continue;
			fields[0] = strtok_r(line, " ", &save);
			for (i = 1; i < 5 && fields[i - 1] != NULL; i++)
				fields[i] = strtok_r(NULL, " ", &save);
			break;
		}
		fclose(f);
		if (fields[4] == NULL)
			return 0;
		vfbc_world_unescape(fields[4]);
		if (umount2(fields[4], MNT_DETACH) < 0) {
			vfbc_world_log("cannot detach hugetlbfs %s: %s", fields[4],
				strerror(errno));
			return -errno;
		}
	}
}

/*
 * A bind mount whose source vanished since it was looked at (another
 * program's temporary file or directory): its placeholder goes, and the
 * entry is skipped, as one that vanished before the look.
 */
static int
vfbc_world_mirror_bind_failed(const char *dst, int err)
{
	if (err != ENOENT)
		return -err;
	return remove(dst) < 0 ? -errno : 0;
}

/* Recreate one entry of the covered directory (open as dirfd) in dst. */
static int
vfbc_world_mirror_entry(int dirfd, const char *name, const char *dst)
{
	char target[PATH_MAX];
	char src[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0; /* vanished meanwhile */
	snprintf(src, sizeof(src), "/proc/self/fd/%d/%s", dirfd, name);
	switch (st.st_mode & S_IFMT) {
	case S_IFLNK:
		n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n < 0)
			return 0;
		target[n] = '\0';
		if (symlink(target, dst) < 0)
			return -errno;
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (mknod(dst, st.st_mode, st.st_rdev) < 0)
			return -errno;
		break;
	case S_IFIFO:
		if (mkfifo(dst, st.st_mode & 07777) < 0)
			return -errno;
		break;
	case S_IFDIR:
		/* With its submounts (e.g. /dev/pts, or stacked mounts). */
		if (mkdir(dst, st.st_mode & 07777) < 0)
			return -errno;
		if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
			return vfbc_world_mirror_bind_failed(dst, errno);
		return 0;
	default:
		/* Sockets and regular files keep their identity: bind them. */
		fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777);
		if (fd < 0)
			return -errno;
		close(fd);
		if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
			return vfbc_world_mirror_bind_failed(dst, errno);
		return 0;
	}
	if (lchown(dst, st.st_uid, st.st_gid) < 0)
		return -errno;
	if (!S_ISLNK(st.st_mode) && chmod(dst, st.st_mode & 07777) < 0)
		return -errno;
	return 0;
}

/*
 * What the world provides itself: hugetlbfs, the uio class and nodes, and
 * its tree (a world started inside another one must not share those).
 */
static int
vfbc_world_cover_skip(const char *name)
{
	return strcmp(name, "hugepages") == 0 || strcmp(name, "vfbc-world") == 0 ||
		strcmp(name, "uio") == 0 || strcmp(name, "dpdk") == 0 ||
		(strncmp(name, "uio", 3) == 0 && name[3] >= '0' && name[3] <= '9');
}

/*
 * Cover dir with a tmpfs holding the same entries (less those the world
 * provides), so that the world can add its own entries there and nowhere else.
 */
static int
vfbc_world_cover(const char *dir)
{
	char dst[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int dirfd;
	int ret;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) < 0) {
		vfbc_world_log("cannot open %s: %s", dir, strerror(errno));
		return -errno;
	}
	snprintf(dst, sizeof(dst), "mode=%o", st.st_mode & 07777);
	/* Device nodes are recreated in the cover: no MS_NODEV here. */
	if (vfbc_world_nb_mounts == VFBC_WORLD_MAX_MOUNTS)
		ret = -ENOSPC;
	else if (mount("vfbc-world", dir, "tmpfs", MS_NOSUID, dst) < 0)
		ret = -errno;
	else
		ret = 0;
	if (ret == 0) {
		snprintf(vfbc_world_mounts[vfbc_world_nb_mounts].path, PATH_MAX, "%s", dir);
		vfbc_world_mounts[vfbc_world_nb_mounts++].empty_first = 0;
	} else {
		vfbc_world_log("cannot mount tmpfs on %s: %s", dir, strerror(-ret));
	}
	if (ret < 0) {
		close(dirfd);
		return ret;
	}
	d = fdopendir(dup(dirfd));
	if (d == NULL) {
		ret = -errno;
		close(dirfd);
		return ret;
	}
	ret = 0;
	while (ret == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
				vfbc_world_cover_skip(e->d_name))
			continue;
		snprintf(dst, sizeof(dst), "%s/%s", dir, e->d_name);
		ret = vfbc_world_mirror_entry(dirfd, e->d_name, dst);
		if (ret < 0)
			vfbc_world_log("cannot mirror %s: %s", dst, strerror(-ret));
	}
	closedir(d);
	close(dirfd);
	return ret;
}

/* The default hugepage size in kB, as /proc/meminfo reports it. */
static unsigned long
vfbc_world_default_huge_kb(void)
{
	char line[128];
	unsigned long kb;
	FILE *f;

	kb = 0;
	f = fopen("/proc/meminfo", "re");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Default size at /dev/hugepages, any other reserved size beside it. */
static int
vfbc_world_mount_hugetlbfs(void)
{
	char path[PATH_MAX];
	char opts[64];
	struct dirent *e;
	unsigned long kb;
	unsigned long nr;
	DIR *d;
	FILE *f;
	int ret;

	if (mkdir("/dev/hugepages", 0755) < 0)
		return -errno;
	if (vfbc_world_mount("/dev/hugepages", "hugetlbfs", NULL, 1) < 0) {
		/* Worlds still serve --no-huge programs. */
		vfbc_world_log("note: the world has no hugepages");
		return 0;
	}

	d = opendir(VFBC_WORLD_HUGE_SYSFS);
	if (d == NULL)
		return 0;
	ret = 0;
	while (ret == 0 && (e = readdir(d)) != NULL) {
		if (sscanf(e->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/nr_hugepages", VFBC_WORLD_HUGE_SYSFS,
			e->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		if (fscanf(f, "%lu", &nr) != 1)
			nr = 0;
		fclose(f);
		snprintf(path, sizeof(path), "/dev/hugepages-%lukB", kb);
		if (nr == 0 || kb == vfbc_world_default_huge_kb())
			continue;
		snprintf(opts, sizeof(opts), "pagesize=%luK", kb);
		if (mkdir(path, 0755) < 0)
			ret = -errno;
		else
			ret = vfbc_world_mount(path, "hugetlbfs", opts, 1);
	}
	closedir(d);
	return ret;
}

int
vfbc_world_enter(void)
{
	char run[PATH_MAX];
	int ret;

	if (realpath(VFBC_WORLD_RUN, run) == NULL) {
		vfbc_world_log("cannot resolve %s: %s", VFBC_WORLD_RUN, strerror(errno));
		return -errno;
	}
	if (unshare(CLONE_NEWNS) < 0) {
		vfbc_world_log("cannot create a mount namespace: %s", strerror(errno));
		return -EOPNOTSUPP;
	}
	/* Keep every mount below from propagating back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		ret = -errno;
		vfbc_world_log("cannot make mounts private: %s", strerror(errno));
		return ret;
	}
	umask(0);
	ret = vfbc_world_detach_hugetlbfs();
	ret = ret < 0 ? ret : vfbc_world_cover("/dev");
	ret = ret < 0 ? ret : vfbc_world_mount_hugetlbfs();
	ret = ret < 0 ? ret : vfbc_world_cover("/sys/class");
	if (ret == 0 && mkdir(VFBC_WORLD_CLASS_UIO, 0755) < 0)
		ret = -errno;
	/* Covered too: no mount point for /var/run/dpdk on the host. */
	ret = ret < 0 ? ret : vfbc_world_cover(run);
	if (ret == 0 && mkdir(VFBC_WORLD_RUN_DPDK, 0700) < 0)
		ret = -errno;
	ret = ret < 0 ? ret : vfbc_world_mount(VFBC_WORLD_RUN_DPDK, "tmpfs", "mode=0700", 1);
	umask(022);
	return ret;
}

static int
vfbc_world_rm_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	RTE_SET_USED(st);
	if (ftw->level == 0)
		return 0;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void
vfbc_world_leave(void)
{
	unsigned int i;

	/*
	 * Hugepage files first: a process still holding the namespace (e.g. a
	 * joined one) must not keep the world's hugepages reserved.
	 */
	for (i = vfbc_world_nb_mounts; i-- > 0;) {
		if (vfbc_world_mounts[i].empty_first)
			nftw(vfbc_world_mounts[i].path, vfbc_world_rm_file, 16,
				FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		if (umount2(vfbc_world_mounts[i].path, MNT_DETACH) < 0)
			vfbc_world_log("cannot detach %s: %s", vfbc_world_mounts[i].path,
				strerror(errno));
	}
	vfbc_world_nb_mounts = 0;
}

int
vfbc_world_check(const char **why)
{
	int status;
	pid_t pid;

	if (geteuid() != 0) {
		*why = "vfbc-world needs root (mounts in a private mount namespace)";
		return -EPERM;
	}
	/* Try it in a child: the caller's namespace stays as it was. */
	pid = fork();
	if (pid < 0) {
		*why = "fork failed";
		return -errno;
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0)
			_exit(1);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(2);
		if (mount("vfbc-world", "/sys/class", "tmpfs", MS_NOSUID, NULL) < 0)
			_exit(3);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		*why = "mount namespaces unavailable (unshare(CLONE_NEWNS) failed)";
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		*why = "cannot make mounts private in a new mount namespace";
	else
		*why = "cannot mount a tmpfs in a new mount namespace";
	return -EPERM;
}

int
vfbc_world_join(int pid)
{
	char cwd[PATH_MAX];
	char path[64];
	int have_cwd;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		vfbc_world_log("--join: no process %d to join (%s)", pid, strerror(errno));
		return -errno;
	}
	have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	if (setns(fd, CLONE_NEWNS) < 0) {
		vfbc_world_log("--join: cannot enter the mount namespace of %d: %s", pid,
			strerror(errno));
		close(fd);
		return -errno;
	}
	close(fd);
	if (access(VFBC_WORLD_ROOT "/pid", F_OK) < 0) {
		vfbc_world_log("--join: process %d is not in a vfbc world", pid);
		return -ENOENT;
	}
	/* setns() moved us to the namespace's root: go back where we were. */
	if (!have_cwd || chdir(cwd) < 0)
		vfbc_world_log("--join: note: running in / (%s not in the world)",
			have_cwd ? cwd : "working directory");
	return 0;
}
