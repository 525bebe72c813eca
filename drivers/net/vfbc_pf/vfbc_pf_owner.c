/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * One primary per PF: two primaries (with different --file-prefix) driving
 * one PF would each believe its own view of the VFs. The PF driver takes an
 * exclusive lock on the PF's config-space file in sysfs, which both would
 * see whatever their runtime directories; the kernel drops the lock when the
 * holder exits, however it exits.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_pci.h"

/* The pid holding a flock on the file of st (from /proc/locks), or 0. */
static int
pf_owner_holder(const struct stat *st)
{
	unsigned int maj, mnt_min;
	uint64_t ino;
	char line[256], type[16];
	int pid, found = 0;
	FILE *f;

	f = fopen("/proc/locks", "re");
	if (f == NULL)
		return 0;
	/* "1: FLOCK  ADVISORY  WRITE 1234 00:05:678 0 EOF" */
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%" SCNu64, type, &pid, &maj, &mnt_min,
			   &ino) != 5 || strcmp(type, "FLOCK") != 0)
			continue;
		found = ino == (uint64_t)st->st_ino &&
			makedev(maj, mnt_min) == st->st_dev;
	}
	fclose(f);
	return found ? pid : 0;
}

int
vfbc_pf_owner_take(struct vfbc_pf_proc *pf)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, holder;

	pf->owner_fd = -1;
	if (vfbc_pf_sysfs_path(path, sizeof(path), &pf->pf_dev->addr, "config") < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		PF_INIT_LOG(ERR, "%s: cannot open %s: %s", pf->pf_dev->name, path,
			    strerror(errno));
		return -errno;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		holder = errno == EWOULDBLOCK && fstat(fd, &st) == 0 ? pf_owner_holder(&st) : 0;
		if (holder > 0)
			PF_INIT_LOG(ERR, "%s: driven by another primary process (pid %d): one "
				    "primary per PF, whatever its --file-prefix",
				    pf->pf_dev->name, holder);
		else
			PF_INIT_LOG(ERR, "%s: driven by another primary process: one primary "
				    "per PF, whatever its --file-prefix", pf->pf_dev->name);
		close(fd);
		return -EBUSY;
	}
	pf->owner_fd = fd;
	return 0;
}

void
vfbc_pf_owner_drop(struct vfbc_pf_proc *pf)
{
	if (pf->owner_fd < 0)
		return;
	/* Closing the only descriptor of the open file releases the lock. */
	close(pf->owner_fd);
	pf->owner_fd = -1;
}
