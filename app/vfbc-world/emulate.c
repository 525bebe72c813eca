/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * What the kernel and the devices would do, driven by inotify on the tree:
 *  - a write to a PF's sriov_numvfs (Linux's sriov_numvfs_store() rules)
 *    enables or disables that PF's VFs: SR-IOV NumVFs, VF Enable and VF
 *    MSE in its config space, VF directories, uio nodes, virtfn/physfn
 *    links; each PF on its own, as each has its own SR-IOV capability;
 *  - Initiate FLR in a VF's PCIe Device Control resets that VF's config
 *    space to its power-on contents.
 * Handlers read the current file contents, so they are idempotent: the
 * events the world's own writes raise find nothing left to do.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "world.h"

#define VFBC_WORLD_PF_EVENTS	IN_CLOSE_WRITE
#define VFBC_WORLD_VF_EVENTS	IN_MODIFY
#define VFBC_WORLD_DEVCTL	(VFBC_WORLD_CAP_EXP + VFBC_PCI_EXP_DEVCTL)

static struct vfbc_world_topo vfbc_world_emul_topo;
static uint8_t vfbc_world_vf_poweron[RTE_PCI_CFG_SPACE_EXP_SIZE];
static int vfbc_world_inotify = -1;
/* Per PF: VFs enabled now, and the watches on its directory and its VFs'. */
static unsigned int vfbc_world_cur_vfs[VFBC_WORLD_MAX_PFS];
static int vfbc_world_pf_wd[VFBC_WORLD_MAX_PFS];
static int vfbc_world_vf_wd[VFBC_WORLD_MAX_PFS][VFBC_WORLD_MAX_VFS];

static void
vfbc_world_dev_path(uint32_t rid, const char *file, char *buf, size_t len)
{
	char bdf[16];

	vfbc_world_bdf(&vfbc_world_emul_topo, rid, bdf, sizeof(bdf));
	snprintf(buf, len, "%s/%s%s%s", VFBC_WORLD_DEVICES, bdf, file != NULL ? "/" : "",
		file != NULL ? file : "");
}

static int
vfbc_world_watch_vfs(unsigned int pf, unsigned int num_vfs)
{
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < num_vfs; i++) {
		vfbc_world_dev_path(vfbc_world_vf_rid(&vfbc_world_emul_topo, pf, i), NULL,
			path, sizeof(path));
		vfbc_world_vf_wd[pf][i] = inotify_add_watch(vfbc_world_inotify, path,
			VFBC_WORLD_VF_EVENTS);
		if (vfbc_world_vf_wd[pf][i] < 0) {
			vfbc_world_log("cannot watch %s: %s", path, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static void
vfbc_world_unwatch_vfs(unsigned int pf)
{
	unsigned int i;

	for (i = 0; i < VFBC_WORLD_MAX_VFS; i++) {
		if (vfbc_world_vf_wd[pf][i] >= 0)
			inotify_rm_watch(vfbc_world_inotify, vfbc_world_vf_wd[pf][i]);
		vfbc_world_vf_wd[pf][i] = -1;
	}
}

/* Resets VF i of PF pf if its driver asked for a function-level reset. */
static void
vfbc_world_vf_flr(unsigned int pf, unsigned int i)
{
	char path[PATH_MAX];
	uint8_t devctl[2];
	ssize_t n;
	int fd;

	vfbc_world_dev_path(vfbc_world_vf_rid(&vfbc_world_emul_topo, pf, i), "config", path,
		sizeof(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	if (pread(fd, devctl, sizeof(devctl), VFBC_WORLD_DEVCTL) == sizeof(devctl) &&
			((devctl[0] | devctl[1] << 8) & VFBC_PCI_EXP_DEVCTL_BCR_FLR) != 0) {
		n = pwrite(fd, vfbc_world_vf_poweron, vfbc_world_emul_topo.vf_cfg_size, 0);
		if (n != (ssize_t)vfbc_world_emul_topo.vf_cfg_size)
			vfbc_world_log("PF %u VF %u: FLR: cannot reset %s", pf, i, path);
		else
			vfbc_world_log("PF %u VF %u: function-level reset", pf, i);
	}
	close(fd);
}

/* SR-IOV NumVFs, VF Enable and VF MSE of the PF, nothing else. */
static int
vfbc_world_pf_set_num_vfs(unsigned int pf, unsigned int num_vfs)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	char path[PATH_MAX];
	unsigned int ctrl;
	unsigned int nvf;
	int ret;
	int fd;

	vfbc_world_dev_path(vfbc_world_emul_topo.pf_rid[pf], "config", path, sizeof(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = -EIO;
	if (pread(fd, cfg, sizeof(cfg), 0) == sizeof(cfg)) {
		vfbc_world_sriov_set_num_vfs(cfg, num_vfs);
		ctrl = VFBC_WORLD_CAP_SRIOV + RTE_PCI_SRIOV_CTRL;
		nvf = VFBC_WORLD_CAP_SRIOV + RTE_PCI_SRIOV_NUM_VF;
		if (pwrite(fd, cfg + ctrl, 2, ctrl) == 2 && pwrite(fd, cfg + nvf, 2, nvf) == 2)
			ret = 0;
	}
	close(fd);
	return ret;
}

static void
vfbc_world_numvfs_write_back(const char *path, unsigned int num_vfs)
{
	char buf[16];
	int len;

	len = snprintf(buf, sizeof(buf), "%u\n", num_vfs);
	vfbc_world_write_file(path, buf, len, 0664);
}

/* Linux's sriov_numvfs_store(): the value, then the state change rules. */
static void
vfbc_world_numvfs(unsigned int pf)
{
	const struct vfbc_world_topo *topo = &vfbc_world_emul_topo;
	char canon[16];
	char bdf[16];
	char path[PATH_MAX];
	char buf[32];
	unsigned long req;
	char *end;
	ssize_t n;
	int ret;
	int fd;

	vfbc_world_bdf(topo, topo->pf_rid[pf], bdf, sizeof(bdf));
	vfbc_world_dev_path(topo->pf_rid[pf], "sriov_numvfs", path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return;
	buf[n] = '\0';
	snprintf(canon, sizeof(canon), "%u\n", vfbc_world_cur_vfs[pf]);
	if (strcmp(buf, canon) == 0)
		return;
	if (n == 0)
		return; /* truncated by a writer that has not written yet */

	errno = 0;
	req = strtoul(buf, &end, 0);
	if (*end == '\n')
		end++;
	if (errno != 0 || end == buf || *end != '\0' || buf[0] == '-') {
		vfbc_world_log("%s: sriov_numvfs: '%.*s' is not a number (EINVAL): reverted",
			bdf, (int)strcspn(buf, "\n"), buf);
		vfbc_world_numvfs_write_back(path, vfbc_world_cur_vfs[pf]);
		return;
	}
	if (req > topo->total_vfs) {
		vfbc_world_log("%s: sriov_numvfs: %lu exceeds TotalVFs %u (ERANGE): reverted",
			bdf, req, topo->total_vfs);
		vfbc_world_numvfs_write_back(path, vfbc_world_cur_vfs[pf]);
		return;
	}
	if (req == vfbc_world_cur_vfs[pf]) {
		vfbc_world_numvfs_write_back(path, vfbc_world_cur_vfs[pf]);
		return;
	}
	if (req != 0 && vfbc_world_cur_vfs[pf] != 0) {
		vfbc_world_log("%s: sriov_numvfs: %u VFs already enabled, write 0 first "
			"(EBUSY): reverted", bdf, vfbc_world_cur_vfs[pf]);
		vfbc_world_numvfs_write_back(path, vfbc_world_cur_vfs[pf]);
		return;
	}

	/* Functions first, then the PF's registers: those say it is done. */
	if (req == 0) {
		vfbc_world_unwatch_vfs(pf);
		vfbc_world_vfs_remove(topo, pf, vfbc_world_cur_vfs[pf]);
		vfbc_world_cur_vfs[pf] = 0;
	} else {
		ret = vfbc_world_vfs_create(topo, pf, req);
		if (ret == 0)
			ret = vfbc_world_watch_vfs(pf, req);
		if (ret < 0) {
			vfbc_world_log("%s: sriov_numvfs: cannot enable %lu VFs: %s", bdf, req,
				strerror(-ret));
			vfbc_world_unwatch_vfs(pf);
			vfbc_world_vfs_remove(topo, pf, req);
			req = 0;
		}
		vfbc_world_cur_vfs[pf] = req;
	}
	if (vfbc_world_pf_set_num_vfs(pf, vfbc_world_cur_vfs[pf]) < 0)
		vfbc_world_log("%s: sriov_numvfs: cannot update the PF's SR-IOV capability",
			bdf);
	vfbc_world_log("%s: sriov_numvfs: %u VFs enabled", bdf, vfbc_world_cur_vfs[pf]);
	vfbc_world_numvfs_write_back(path, vfbc_world_cur_vfs[pf]);
}

/* After a lost event: look at everything. */
static void
vfbc_world_rescan(void)
{
	unsigned int pf;
	unsigned int i;

	for (pf = 0; pf < vfbc_world_emul_topo.nb_pfs; pf++) {
		vfbc_world_numvfs(pf);
		for (i = 0; i < vfbc_world_cur_vfs[pf]; i++)
			vfbc_world_vf_flr(pf, i);
	}
}

int
vfbc_world_emulate_init(const struct vfbc_world_topo *topo)
{
	char path[PATH_MAX];
	unsigned int pf;
	unsigned int i;
	int ret;

	vfbc_world_emul_topo = *topo;
	vfbc_world_vf_config(topo, vfbc_world_vf_poweron);
	for (pf = 0; pf < VFBC_WORLD_MAX_PFS; pf++) {
		vfbc_world_cur_vfs[pf] = pf < topo->nb_pfs ? topo->num_vfs : 0;
		vfbc_world_pf_wd[pf] = -1;
		for (i = 0; i < VFBC_WORLD_MAX_VFS; i++)
			vfbc_world_vf_wd[pf][i] = -1;
	}

	vfbc_world_inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (vfbc_world_inotify < 0) {
		vfbc_world_log("inotify: %s", strerror(errno));
		return -errno;
	}
	for (pf = 0; pf < topo->nb_pfs; pf++) {
		vfbc_world_dev_path(topo->pf_rid[pf], NULL, path, sizeof(path));
		vfbc_world_pf_wd[pf] = inotify_add_watch(vfbc_world_inotify, path,
			VFBC_WORLD_PF_EVENTS);
		if (vfbc_world_pf_wd[pf] < 0) {
			vfbc_world_log("cannot watch %s: %s", path, strerror(errno));
			return -errno;
		}
		ret = vfbc_world_watch_vfs(pf, topo->num_vfs);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The VF whose directory watch `wd` is, if any, checked for an FLR. */
static void
vfbc_world_vf_event(int wd)
{
	unsigned int pf;
	unsigned int i;

	for (pf = 0; pf < vfbc_world_emul_topo.nb_pfs; pf++) {
		for (i = 0; i < vfbc_world_cur_vfs[pf]; i++) {
			if (vfbc_world_vf_wd[pf][i] == wd) {
				vfbc_world_vf_flr(pf, i);
				return;
			}
		}
	}
}

int
vfbc_world_emulate_fd(void)
{
	return vfbc_world_inotify;
}

void
vfbc_world_emulate_events(void)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	unsigned int pf;
	ssize_t n;
	char *p;

	for (;;) {
		n = read(vfbc_world_inotify, buf, sizeof(buf));
		if (n <= 0)
			return;
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(uintptr_t)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				vfbc_world_rescan();
				continue;
			}
			if (ev->len == 0)
				continue;
			for (pf = 0; pf < vfbc_world_emul_topo.nb_pfs; pf++)
				if (ev->wd == vfbc_world_pf_wd[pf])
					break;
			if (pf < vfbc_world_emul_topo.nb_pfs) {
				if ((ev->mask & IN_CLOSE_WRITE) &&
						strcmp(ev->name, "sriov_numvfs") == 0)
					vfbc_world_numvfs(pf);
				continue;
			}
			if (strcmp(ev->name, "config") == 0)
				vfbc_world_vf_event(ev->wd);
		}
	}
}

void
vfbc_world_emulate_fini(void)
{
	if (vfbc_world_inotify >= 0)
		close(vfbc_world_inotify);
	vfbc_world_inotify = -1;
}
