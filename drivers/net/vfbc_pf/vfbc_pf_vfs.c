/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF table: where each VF is (routing IDs from the SR-IOV capability),
 * what state it is in, and the PF's own handle on its configuration space.
 *
 * The PF does not borrow the EAL bus's device of a VF: a VF driver in this
 * process may remove it (rte_dev_remove()), after which the bus frees it.
 * The PF keeps a device handle of its own (struct vfbc_pf_vf.dev: the VF's
 * address, kernel driver and interrupt handle) holding a descriptor it
 * opened itself: the VF's config file for uio, a vfio device descriptor for
 * vfio-pci. rte_pci_read_config()/rte_pci_write_config() on that handle are
 * EAL's own uio and vfio config accessors; only the descriptor is the PF's.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_bus_pci.h>
#include <rte_devargs.h>
#include <rte_interrupts.h>
#include <rte_vfio.h>
#include <bus_driver.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_caps.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_pci.h"
#include "vfbc_pf_vfs.h"

static const char * const pf_vf_state_names[] = {
	[VFBC_PF_VF_READY] = "ready",
	[VFBC_PF_VF_MISSING] = "missing",
	[VFBC_PF_VF_UNMAPPED] = "unmapped",
	[VFBC_PF_VF_DISABLED] = "disabled",
	[VFBC_PF_VF_BLOCKED] = "blocked",
	[VFBC_PF_VF_UNROUTABLE] = "unroutable",
};

const char *
vfbc_pf_vf_state_str(uint32_t state)
{
	if (state >= RTE_DIM(pf_vf_state_names))
		return "unknown";
	return pf_vf_state_names[state];
}

int
vfbc_pf_vf_lookup(struct vfbc_pf_proc *pf, uint16_t vf_id, struct vfbc_pf_vf **vf)
{
	if (pf->nb_vfs == 0)
		return -ENXIO;
	if (vf_id >= pf->nb_vfs)
		return -EINVAL;
	*vf = &pf->vfs[vf_id];
	return 0;
}

int
vfbc_pf_vf_ready(struct vfbc_pf_proc *pf, uint16_t vf_id, struct vfbc_pf_vf **vf)
{
	int ret;

	ret = vfbc_pf_vf_lookup(pf, vf_id, vf);
	if (ret < 0)
		return ret;
	return (*vf)->state == VFBC_PF_VF_READY ? 0 : -ENXIO;
}

int32_t
vfbc_pf_vf_rid(const struct rte_pci_device *pf_dev, const struct vfbc_pf_sriov *s, uint16_t i)
{
	uint32_t pf_rid, rid;

	if (s->vf_offset == 0 || (i > 0 && s->vf_stride == 0))
		return -1;
	pf_rid = ((uint32_t)pf_dev->addr.bus << 8) | ((uint32_t)pf_dev->addr.devid << 3) |
		 pf_dev->addr.function;
	rid = pf_rid + s->vf_offset + (uint32_t)s->vf_stride * i;
	/* PCIe: a routing ID is 16 bits; one beyond cannot exist. */
	if (rid > UINT16_MAX)
		return -1;
	return (int32_t)rid;
}

/*
 * Did the user's -a/-b keep the EAL from scanning this address? With
 * map_vfs=all only -b counts: the allow list then picks what EAL probes,
 * and the PF reaches every other VF with handles of its own ("-a PF"
 * alone drives 4 PFs of 256 VFs, which RTE_MAX_ETHPORTS ports would not
 * hold). Not the default: opening a VF bound to vfio-pci takes its IOMMU
 * group, which no VM or other process can open afterwards.
 */
static int
pf_addr_blocked(const struct rte_pci_addr *addr, int map_all)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	struct rte_devargs *da;
	struct rte_pci_addr a;
	int allowed = 0;

	RTE_EAL_DEVARGS_FOREACH("pci", da) {
		if (rte_pci_addr_parse(da->name, &a) != 0 || rte_pci_addr_cmp(&a, addr) != 0)
			continue;
		if (da->policy == RTE_DEV_BLOCKED)
			return 1;
		allowed = 1;
	}
	return !map_all && bus != NULL && bus->conf.scan_mode == RTE_BUS_SCAN_ALLOWLIST &&
		!allowed;
}

static const char *
pf_kdrv_name(enum rte_pci_kernel_driver kdrv)
{
	switch (kdrv) {
	case RTE_PCI_KDRV_VFIO:
		return "vfio-pci";
	case RTE_PCI_KDRV_UIO_GENERIC:
		return "uio_pci_generic";
	case RTE_PCI_KDRV_IGB_UIO:
		return "igb_uio";
	case RTE_PCI_KDRV_NONE:
		return "none";
	default:
		return "unsupported";
	}
}

/* Give the PF's handle of the VF the descriptor config I/O goes through. */
static int
pf_vf_open_fd(struct vfbc_pf_vf *vf)
{
	struct rte_pci_device *dev = &vf->dev;
	struct vfio_device_info info;
	char path[PATH_MAX];
	int fd;

	switch (dev->kdrv) {
	case RTE_PCI_KDRV_UIO_GENERIC:
	case RTE_PCI_KDRV_IGB_UIO:
		/* EAL's uio config accessor preads the device's sysfs config file. */
		if (vfbc_pf_sysfs_path(path, sizeof(path), &vf->addr, "config") < 0)
			return -ENAMETOOLONG;
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		vf->cfg_fd = fd;
		rte_intr_type_set(dev->intr_handle, dev->kdrv == RTE_PCI_KDRV_IGB_UIO ?
				  RTE_INTR_HANDLE_UIO : RTE_INTR_HANDLE_UIO_INTX);
		break;
	case RTE_PCI_KDRV_VFIO:
		/* EAL's vfio config accessor uses the device's region 7 through this fd. */
		memset(&info, 0, sizeof(info));
		/* VFIO_DEVICE_GET_INFO refuses a structure without its size. */
		info.argsz = sizeof(info);
		if (rte_vfio_setup_device(rte_pci_get_sysfs_path(), dev->name, &fd, &info) != 0)
			return -ENXIO;
		vf->vfio_fd = fd;
		rte_intr_type_set(dev->intr_handle, RTE_INTR_HANDLE_VFIO_MSIX);
		break;
	default:
		return -ENOTSUP;
	}
	return rte_intr_dev_fd_set(dev->intr_handle, fd) == 0 ? 0 : -ENXIO;
}

static void
pf_vf_close(struct vfbc_pf_vf *vf)
{
	if (vf->cfg_fd >= 0)
		close(vf->cfg_fd);
	if (vf->vfio_fd >= 0)
		rte_vfio_release_device(rte_pci_get_sysfs_path(), vf->dev.name, vf->vfio_fd);
	rte_intr_instance_free(vf->dev.intr_handle);
	vf->dev.intr_handle = NULL;
	vf->cfg_fd = -1;
	vf->vfio_fd = -1;
}

static uint16_t
pf_vf_cap_pos(const struct vfbc_pf_caps *caps, uint8_t id)
{
	const struct vfbc_pf_cap *c = vfbc_pf_caps_find(caps, VFBC_PF_CAP_STD, id);

	return c != NULL ? c->pos : 0;
}

void
vfbc_pf_vf_scan(struct vfbc_pf_vf *vf)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	struct vfbc_pf_policy_map map;
	struct vfbc_pf_caps caps;
	uint32_t size;

	size = vfbc_pf_cfg_size(&vf->dev);
	memset(&map, 0, sizeof(map));
	memset(&caps, 0, sizeof(caps));
	/* Unreadable: no capability, and a map that refuses every write. */
	if (rte_pci_read_config(&vf->dev, cfg, size, 0) == (int)size &&
	    vfbc_pf_caps_walk(cfg, size, &caps) == 0 &&
	    vfbc_pf_policy_map_build(cfg, size, &map) == 0 && (caps.flags != 0 || map.dropped))
		PF_LOG(NOTICE, "VF %s: malformed capability list (flags 0x%x): the bytes in "
		       "question are refused to the VF", vf->dev.name, caps.flags);
	rte_spinlock_lock(&vf->map_lock);
	vf->cfg_size = size;
	vf->pm_pos = pf_vf_cap_pos(&caps, VFBC_PCI_CAP_ID_PM);
	vf->exp_pos = pf_vf_cap_pos(&caps, VFBC_PCI_CAP_ID_EXP);
	vf->af_pos = pf_vf_cap_pos(&caps, VFBC_PCI_CAP_ID_AF);
	vf->map = map;
	rte_spinlock_unlock(&vf->map_lock);
}

int
vfbc_pf_vf_policy_map(struct vfbc_pf_proc *pf, uint16_t vf_id, struct vfbc_pf_policy_map *map)
{
	struct vfbc_pf_vf *vf;
	int ret;

	pthread_rwlock_rdlock(&pf->lock);
	ret = vfbc_pf_vf_ready(pf, vf_id, &vf);
	if (ret == 0) {
		rte_spinlock_lock(&vf->map_lock);
		*map = vf->map;
		rte_spinlock_unlock(&vf->map_lock);
	}
	pthread_rwlock_unlock(&pf->lock);
	return ret;
}

/* Set up the PF's handle on an enabled, routable VF; sets vf->state. */
static void
pf_vf_open(struct vfbc_pf_proc *pf, uint16_t i, struct vfbc_pf_vf *vf)
{
	struct rte_pci_device *dev = &vf->dev;
	char path[PATH_MAX];
	int ret;

	dev->addr = vf->addr;
	rte_pci_device_name(&vf->addr, dev->name, sizeof(dev->name));
	dev->device.name = dev->name;
	if (vfbc_pf_sysfs_path(path, sizeof(path), &vf->addr, "config") < 0 ||
	    access(path, F_OK) != 0) {
		PF_INIT_LOG(WARNING, "VF %u (%s): not present in %s", i, dev->name,
			    rte_pci_get_sysfs_path());
		vf->state = VFBC_PF_VF_MISSING;
		return;
	}
	if (pf_addr_blocked(&vf->addr, pf->ad->map_vfs == VFBC_PF_MAP_VFS_ALL)) {
		/* The user's choice, counted in the summary line. */
		PF_INIT_LOG(DEBUG, "VF %u (%s): excluded by the EAL allow/block list",
			    i, dev->name);
		vf->state = VFBC_PF_VF_BLOCKED;
		return;
	}
	if (!pf->ad->map_vfs) {
		PF_INIT_LOG(NOTICE, "VF %u (%s): not opened (map_vfs=0)", i, dev->name);
		vf->state = VFBC_PF_VF_UNMAPPED;
		return;
	}
	dev->kdrv = vfbc_pf_sysfs_kdrv(&vf->addr);
	dev->intr_handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (dev->intr_handle == NULL) {
		vf->state = VFBC_PF_VF_UNMAPPED;
		return;
	}
	ret = pf_vf_open_fd(vf);
	if (ret < 0) {
		PF_INIT_LOG(WARNING, "VF %u (%s): cannot open its config space (kernel driver "
			    "%s): %s", i, dev->name, pf_kdrv_name(dev->kdrv), strerror(-ret));
		pf_vf_close(vf);
		vf->state = VFBC_PF_VF_UNMAPPED;
		return;
	}
	vfbc_pf_vf_scan(vf);
	vf->state = VFBC_PF_VF_READY;
}

void
vfbc_pf_vfs_release(struct vfbc_pf_proc *pf)
{
	uint16_t i;

	for (i = 0; i < pf->sriov.total_vfs; i++) {
		pf_vf_close(&pf->vfs[i]);
		memset(&pf->vfs[i], 0, sizeof(pf->vfs[i]));
		pf->vfs[i].cfg_fd = -1;
		pf->vfs[i].vfio_fd = -1;
		pf->vfs[i].state = VFBC_PF_VF_DISABLED;
	}
	pf->nb_vfs = 0;
	pf->ad->num_vfs = 0;
	pf->vfs_gen++;
}

/* How many VFs the capability enables, within TotalVFs and max_vfs; logged. */
static uint16_t
pf_vfs_enabled(const struct vfbc_pf_proc *pf)
{
	const struct vfbc_pf_sriov *s = &pf->sriov;
	uint16_t n;

	n = (s->ctrl & VFBC_PCI_SRIOV_CTRL_VFE) ? s->num_vfs : 0;
	if (n > s->total_vfs) {
		PF_INIT_LOG(ERR, "%s: NumVFs %u > TotalVFs %u: inconsistent SR-IOV "
			    "capability, using %u VFs", pf->pf_dev->name, n,
			    s->total_vfs, s->total_vfs);
		n = s->total_vfs;
	}
	if (n > pf->ad->max_vfs) {
		PF_INIT_LOG(NOTICE, "%s: %u VFs enabled, managing the first %u (max_vfs)",
			    pf->pf_dev->name, n, pf->ad->max_vfs);
		n = pf->ad->max_vfs;
	}
	if (n > 0 && s->vf_offset == 0)
		PF_INIT_LOG(ERR, "%s: First VF Offset is 0: inconsistent SR-IOV capability, "
			    "no VF is routable", pf->pf_dev->name);
	else if (n > 1 && s->vf_stride == 0)
		PF_INIT_LOG(ERR, "%s: VF Stride is 0 with %u VFs: inconsistent SR-IOV "
			    "capability, only VF 0 is routable", pf->pf_dev->name, n);
	return n;
}

void
vfbc_pf_vfs_discover(struct vfbc_pf_proc *pf)
{
	const struct vfbc_pf_sriov *s = &pf->sriov;
	unsigned int cnt[VFBC_PF_VF_UNROUTABLE + 1];
	struct vfbc_pf_vf *vf;
	int beyond = 0;
	uint16_t i, n;
	int32_t rid;

	memset(cnt, 0, sizeof(cnt));
	n = pf_vfs_enabled(pf);
	for (i = 0; i < s->total_vfs; i++) {
		vf = &pf->vfs[i];
		memset(vf, 0, sizeof(*vf));
		rte_spinlock_init(&vf->map_lock);
		vf->cfg_fd = -1;
		vf->vfio_fd = -1;
		rid = vfbc_pf_vf_rid(pf->pf_dev, s, i);
		if (rid >= 0) {
			vf->rid = (uint16_t)rid;
			vf->addr.domain = pf->pf_dev->addr.domain;
			vf->addr.bus = (uint8_t)(rid >> 8);
			vf->addr.devid = (uint8_t)((rid >> 3) & 0x1f);
			vf->addr.function = (uint8_t)(rid & 0x7);
		}
		if (i >= n) {
			vf->state = VFBC_PF_VF_DISABLED;
			continue;
		}
		if (rid < 0) {
			/* Offset 0 and stride 0 were reported above; RIDs only grow. */
			if (!beyond && s->vf_offset != 0 && (i == 0 || s->vf_stride != 0)) {
				PF_INIT_LOG(ERR, "%s: VF %u and above: routing ID beyond bus 255 "
					    "(First VF Offset %u, VF Stride %u): inconsistent "
					    "SR-IOV capability, unroutable", pf->pf_dev->name,
					    i, s->vf_offset, s->vf_stride);
				beyond = 1;
			}
			vf->state = VFBC_PF_VF_UNROUTABLE;
		} else {
			pf_vf_open(pf, i, vf);
		}
		cnt[vf->state]++;
	}
	pf->nb_vfs = n;
	pf->ad->num_vfs = n;
	if (s->pos != 0)
		PF_INIT_LOG(INFO, "%s: SR-IOV at 0x%x, TotalVFs %u, %u VFs enabled "
			    "(offset %u, stride %u): %u ready, %u missing, %u unmapped, "
			    "%u blocked, %u unroutable", pf->pf_dev->name, s->pos,
			    s->total_vfs, n, s->vf_offset, s->vf_stride,
			    cnt[VFBC_PF_VF_READY], cnt[VFBC_PF_VF_MISSING],
			    cnt[VFBC_PF_VF_UNMAPPED], cnt[VFBC_PF_VF_BLOCKED],
			    cnt[VFBC_PF_VF_UNROUTABLE]);
}
