/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * SR-IOV capability of the PF and its VFs on the EAL PCI bus: capability
 * parsing, routing IDs, VF discovery and mapping, VF BAR sizing, and
 * enabling/disabling virtualization.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_bus_pci.h>
#include <rte_cycles.h>
#include <rte_devargs.h>
#include <rte_interrupts.h>
#include <rte_malloc.h>
#include <bus_driver.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"

/* Linux waits this long after setting / clearing VF Enable (drivers/pci/iov.c). */
#define PF_VF_ENABLE_DELAY_US	(100 * 1000)
#define PF_VF_DISABLE_DELAY_US	(1000 * 1000)
/* Then how long the VFs may take to show up (or go) before we give up. */
#define PF_VF_SETTLE_TIMEOUT_US	(5 * 1000 * 1000)
#define PF_VF_SETTLE_POLL_US	(10 * 1000)

/* Extended capabilities are at least 8 bytes apart: bound the walk. */
#define PF_EXT_CAP_TTL \
	((RTE_PCI_CFG_SPACE_EXP_SIZE - RTE_PCI_CFG_SPACE_SIZE) / 8)
/* Standard capabilities are at least 4 bytes apart after the header. */
#define PF_CAP_TTL \
	((RTE_PCI_CFG_SPACE_SIZE - VFBC_PCI_STD_HEADER_SIZEOF) / 4)

static int
pf_find_ext_cap(const struct rte_pci_device *dev, uint16_t cap_id)
{
	uint8_t seen[RTE_PCI_CFG_SPACE_EXP_SIZE / 4 / 8];
	uint32_t pos = VFBC_PCI_EXT_CAP_START;
	uint32_t header;
	int ttl;

	memset(seen, 0, sizeof(seen));
	for (ttl = PF_EXT_CAP_TTL; ttl > 0; ttl--) {
		if (seen[pos / 32] & (1u << ((pos / 4) % 8))) {
			PF_INIT_LOG(ERR, "%s: extended capability list loops at 0x%x",
				    dev->name, pos);
			return 0;
		}
		seen[pos / 32] |= 1u << ((pos / 4) % 8);
		if (vfbc_pf_cfg_read32(dev, pos, &header) < 0) {
			/* No extended config space at all: no extended caps. */
			if (pos == VFBC_PCI_EXT_CAP_START)
				return 0;
			return -EIO;
		}
		if (header == 0 || header == UINT32_MAX)
			return 0;
		if (RTE_PCI_EXT_CAP_ID(header) == cap_id)
			return pos;
		/* RTE_PCI_EXT_CAP_NEXT() keeps the pointer dword aligned. */
		pos = RTE_PCI_EXT_CAP_NEXT(header);
		if (pos == 0)
			return 0;
		if (pos < VFBC_PCI_EXT_CAP_START) {
			PF_INIT_LOG(ERR, "%s: extended capability pointer 0x%x below 0x%x",
				    dev->name, pos, VFBC_PCI_EXT_CAP_START);
			return 0;
		}
	}
	PF_INIT_LOG(ERR, "%s: extended capability list too long", dev->name);
	return 0;
}

int
vfbc_pf_find_cap(const struct rte_pci_device *dev, uint8_t cap_id)
{
	uint8_t seen[RTE_PCI_CFG_SPACE_SIZE / 4 / 8];
	uint16_t status, header;
	uint8_t pos;
	int ttl;

	if (vfbc_pf_cfg_read16(dev, VFBC_PCI_STATUS, &status) < 0)
		return -EIO;
	if (!(status & VFBC_PCI_STATUS_CAP_LIST))
		return 0;
	if (rte_pci_read_config(dev, &pos, 1, VFBC_PCI_CAPABILITY_LIST) != 1)
		return -EIO;
	memset(seen, 0, sizeof(seen));
	for (ttl = PF_CAP_TTL; ttl > 0; ttl--) {
		pos &= ~3;
		if (pos < VFBC_PCI_STD_HEADER_SIZEOF)
			return 0;
		if (seen[pos / 32] & (1u << ((pos / 4) % 8)))
			return 0;
		seen[pos / 32] |= 1u << ((pos / 4) % 8);
		if (vfbc_pf_cfg_read16(dev, pos, &header) < 0)
			return -EIO;
		if ((header & 0xff) == 0xff)
			return 0;
		if ((header & 0xff) == cap_id)
			return pos;
		pos = header >> 8;
	}
	return 0;
}

int
vfbc_pf_sriov_read(const struct rte_pci_device *pf, struct vfbc_pf_sriov *s)
{
	int pos;

	memset(s, 0, sizeof(*s));
	pos = pf_find_ext_cap(pf, RTE_PCI_EXT_CAP_ID_SRIOV);
	if (pos <= 0)
		return pos;
	if (pos + VFBC_PCI_SRIOV_SIZEOF > RTE_PCI_CFG_SPACE_EXP_SIZE) {
		PF_INIT_LOG(ERR, "%s: SR-IOV capability at 0x%x overflows config space",
			    pf->name, pos);
		return 0;
	}
	if (vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_TOTAL_VF, &s->total_vfs) < 0 ||
	    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_NUM_VF, &s->num_vfs) < 0 ||
	    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_CTRL, &s->ctrl) < 0 ||
	    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_VF_OFFSET, &s->vf_offset) < 0 ||
	    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_VF_STRIDE, &s->vf_stride) < 0 ||
	    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_VF_DID, &s->vf_device_id) < 0)
		return -EIO;
	s->pos = (uint16_t)pos;
	return pos;
}

/* Routing ID of VF i, or -1 if it cannot exist (PCIe: RID is 16 bits). */
static int32_t
pf_vf_rid(const struct rte_pci_device *pf, const struct vfbc_pf_sriov *s, uint16_t i)
{
	uint32_t pf_rid, rid;

	if (s->vf_offset == 0 || (i > 0 && s->vf_stride == 0))
		return -1;
	pf_rid = ((uint32_t)pf->addr.bus << 8) | ((uint32_t)pf->addr.devid << 3) |
		 pf->addr.function;
	rid = pf_rid + s->vf_offset + (uint32_t)s->vf_stride * i;
	if (rid > UINT16_MAX)
		return -1;
	return (int32_t)rid;
}

static int
pf_dev_cmp_addr(const struct rte_device *dev, const void *data)
{
	const struct rte_pci_device *pdev = RTE_DEV_TO_PCI_CONST(dev);

	return rte_pci_addr_cmp(&pdev->addr, data);
}

static struct rte_pci_device *
pf_bus_find(const struct rte_pci_addr *addr)
{
	struct rte_bus *bus = rte_bus_find_by_name("pci");
	struct rte_device *dev;

	if (bus == NULL || bus->find_device == NULL)
		return NULL;
	dev = bus->find_device(NULL, pf_dev_cmp_addr, addr);
	return dev == NULL ? NULL : RTE_DEV_TO_PCI(dev);
}

/* Did the user's -a/-b keep the EAL from scanning this address? */
static int
pf_addr_blocked(const struct rte_pci_addr *addr)
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
	return bus != NULL && bus->conf.scan_mode == RTE_BUS_SCAN_ALLOWLIST && !allowed;
}

/*
 * Config accesses go through the device's interrupt handle, where the EAL
 * keeps the uio config fd or the vfio device fd. A fresh handle is
 * zero-filled (its fds read 0, which is stdin, not -1): only a type set by a
 * mapping says that the fd is real.
 */
static int
pf_dev_reachable(const struct rte_pci_device *dev)
{
	return dev->intr_handle != NULL &&
		rte_intr_type_get(dev->intr_handle) != RTE_INTR_HANDLE_UNKNOWN &&
		rte_intr_dev_fd_get(dev->intr_handle) >= 0;
}

int
vfbc_pf_is_vf(const struct rte_pci_device *dev)
{
	char path[PATH_MAX];
	int n;

	n = snprintf(path, sizeof(path), "%s/%s/physfn", rte_pci_get_sysfs_path(), dev->name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	return access(path, F_OK) == 0;
}

static uint32_t
pf_cfg_size(const struct rte_pci_device *dev)
{
	uint32_t v;

	/* A config file without extended space ends at 256: the read is short. */
	if (rte_pci_read_config(dev, &v, sizeof(v), RTE_PCI_CFG_SPACE_SIZE) == (int)sizeof(v))
		return RTE_PCI_CFG_SPACE_EXP_SIZE;
	return RTE_PCI_CFG_SPACE_SIZE;
}

static void
pf_vf_free_intr(struct vfbc_pf_vf *vf)
{
	if (!vf->intr_by_pf)
		return;
	rte_intr_instance_free(vf->own_req_intr);
	rte_intr_instance_free(vf->own_intr);
	vf->own_req_intr = NULL;
	vf->own_intr = NULL;
	vf->intr_by_pf = 0;
}

/* Does the device's current handle carry our config fd? */
static int
pf_vf_holds_own_fd(const struct vfbc_pf_vf *vf)
{
	const struct rte_intr_handle *cur = vf->pci_dev->intr_handle;

	return cur != NULL &&
		rte_intr_dev_fd_get(cur) == rte_intr_dev_fd_get(vf->own_intr);
}

/*
 * Give the device's current handle our config fd again. NULL: no driver
 * holds the device (its probe failed, or it was removed): our handles go
 * back in. A handle without a mapping (a fresh one, given by the EAL to a
 * driver without RTE_PCI_DRV_NEED_MAPPING, such as net_vfbc_vf) gets our
 * config fd lent: rte_pci_{read,write}_config() only use that fd, and the
 * EAL never unmaps or closes the handles of such a driver. A handle with a
 * mapping of its own is someone else's: theirs serves. Caller holds
 * proc->reach_lock.
 */
static int
pf_vf_relend(struct vfbc_pf_vf *vf)
{
	struct rte_pci_device *dev = vf->pci_dev;

	if (dev->intr_handle == NULL) {
		dev->intr_handle = vf->own_intr;
		dev->vfio_req_intr_handle = vf->own_req_intr;
		PF_LOG(DEBUG, "%s: no driver holds it: config access through our handle",
		       dev->name);
		return 0;
	}
	if (pf_dev_reachable(dev))
		return 0;
	if (rte_intr_dev_fd_set(dev->intr_handle, rte_intr_dev_fd_get(vf->own_intr)) != 0)
		return -ENXIO;
	PF_LOG(DEBUG, "%s: its driver's handle has no mapping: config fd lent to it",
	       dev->name);
	return 0;
}

int
vfbc_pf_vf_cfg_reach(struct vfbc_pf_proc *proc, struct vfbc_pf_vf *vf)
{
	int ret;

	if (vf->own_intr == NULL)
		return pf_dev_reachable(vf->pci_dev) ? 0 : -ENXIO;
	if (pf_vf_holds_own_fd(vf))
		return 0;
	rte_spinlock_lock(&proc->reach_lock);
	ret = pf_vf_holds_own_fd(vf) ? 0 : pf_vf_relend(vf);
	rte_spinlock_unlock(&proc->reach_lock);
	return ret;
}

static const char *
pf_kdrv_name(const struct rte_pci_device *dev)
{
	switch (dev->kdrv) {
	case RTE_PCI_KDRV_VFIO:
		return "vfio-pci";
	case RTE_PCI_KDRV_UIO_GENERIC:
		return "uio_pci_generic";
	case RTE_PCI_KDRV_IGB_UIO:
		return "igb_uio";
	default:
		return "none/unsupported";
	}
}

/*
 * Map the VF with handles of our own, whoever holds the device: the EAL
 * performs config I/O through the fds a mapping puts in the device's
 * interrupt handle, and it replaces that handle whenever a driver probes the
 * device (rte_pci_probe_one_driver()), so a mapping made in the device's
 * handle would be lost to the first VF driver probed in this process. Ours
 * stay ours; the device's handle borrows our config fd
 * (vfbc_pf_vf_cfg_reach()). Returns 0 or -ENXIO.
 */
static int
pf_vf_map(struct vfbc_pf_vf *vf, uint16_t i)
{
	struct rte_pci_device *dev = vf->pci_dev;
	struct rte_intr_handle *cur = dev->intr_handle;
	struct rte_intr_handle *cur_req = dev->vfio_req_intr_handle;
	int ret;

	vf->own_intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	vf->own_req_intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	vf->intr_by_pf = 1;
	if (vf->own_intr == NULL || vf->own_req_intr == NULL) {
		PF_INIT_LOG(ERR, "VF %u (%s): no memory for interrupt handles", i, dev->name);
		pf_vf_free_intr(vf);
		return -ENXIO;
	}
	dev->intr_handle = vf->own_intr;
	dev->vfio_req_intr_handle = vf->own_req_intr;
	ret = rte_pci_map_device(dev);
	if (ret != 0 || !pf_dev_reachable(dev)) {
		PF_INIT_LOG(WARNING, "VF %u (%s): cannot map it (kernel driver %s): "
			    "its config space is unreachable", i, dev->name, pf_kdrv_name(dev));
		if (ret == 0)
			rte_pci_unmap_device(dev);
		dev->intr_handle = cur;
		dev->vfio_req_intr_handle = cur_req;
		pf_vf_free_intr(vf);
		return -ENXIO;
	}
	vf->mapped_by_pf = 1;
	if (cur != NULL) {
		dev->intr_handle = cur;
		dev->vfio_req_intr_handle = cur_req;
		pf_vf_relend(vf);
	}
	return 0;
}

/* Give this process config access to the VF, unless someone mapped it. */
static void
pf_vf_attach(const struct vfbc_pf_adapter *ad, uint16_t i, struct vfbc_pf_vf *vf)
{
	struct rte_pci_device *dev = vf->pci_dev;

	if (pf_dev_reachable(dev))
		goto ready;
	if (!ad->map_vfs) {
		PF_INIT_LOG(NOTICE, "VF %u (%s): not mapped by anyone and map_vfs=0",
			    i, dev->name);
		vf->state = VFBC_PF_VF_UNMAPPED;
		return;
	}
	if (dev->intr_handle != NULL &&
	    rte_intr_type_get(dev->intr_handle) != RTE_INTR_HANDLE_UNKNOWN) {
		PF_INIT_LOG(WARNING, "VF %u (%s): mapped by driver %s without config access",
			    i, dev->name,
			    dev->driver != NULL ? dev->driver->driver.name : "?");
		vf->state = VFBC_PF_VF_UNMAPPED;
		return;
	}
	if (pf_vf_map(vf, i) < 0) {
		vf->state = VFBC_PF_VF_UNMAPPED;
		return;
	}
ready:
	vf->cfg_size = pf_cfg_size(dev);
	vf->state = VFBC_PF_VF_READY;
}

/*
 * Unmap with our handles, whichever handle the device has now; take our fd
 * back from a handle we lent it to, and leave the device its current
 * handles (none, if they were ours). Exclusive lock held.
 */
static void
pf_vf_detach(struct vfbc_pf_vf *vf)
{
	struct rte_pci_device *dev = vf->pci_dev;
	struct rte_intr_handle *cur, *cur_req;

	if (dev == NULL)
		return;
	if (vf->mapped_by_pf) {
		cur = dev->intr_handle;
		cur_req = dev->vfio_req_intr_handle;
		if (cur == vf->own_intr) {
			cur = NULL;
			cur_req = NULL;
		} else if (pf_vf_holds_own_fd(vf)) {
			rte_intr_dev_fd_set(cur, -1);
		}
		dev->intr_handle = vf->own_intr;
		dev->vfio_req_intr_handle = vf->own_req_intr;
		rte_pci_unmap_device(dev);
		dev->intr_handle = cur;
		dev->vfio_req_intr_handle = cur_req;
		vf->mapped_by_pf = 0;
	}
	pf_vf_free_intr(vf);
}

static void
pf_vfs_release(struct vfbc_pf_proc *proc, struct vfbc_pf_adapter *ad)
{
	uint16_t i;

	for (i = 0; i < proc->sriov.total_vfs; i++) {
		pf_vf_detach(&proc->vfs[i]);
		memset(&proc->vfs[i], 0, sizeof(proc->vfs[i]));
		proc->vfs[i].state = VFBC_PF_VF_DISABLED;
	}
	proc->nb_vfs = 0;
	ad->num_vfs = 0;
}

/* Build the VF table from proc->sriov; the exclusive lock is held or not needed. */
static void
pf_vfs_discover(struct vfbc_pf_proc *proc, struct vfbc_pf_adapter *ad)
{
	const struct vfbc_pf_sriov *s = &proc->sriov;
	unsigned int cnt[VFBC_PF_VF_UNROUTABLE + 1];
	struct vfbc_pf_vf *vf;
	int beyond = 0;
	uint16_t i, n;
	int32_t rid;

	memset(cnt, 0, sizeof(cnt));
	n = (s->ctrl & VFBC_PCI_SRIOV_CTRL_VFE) ? s->num_vfs : 0;
	if (n > s->total_vfs) {
		PF_INIT_LOG(ERR, "%s: NumVFs %u > TotalVFs %u: inconsistent SR-IOV "
			    "capability, using %u VFs", proc->pf_dev->name, n,
			    s->total_vfs, s->total_vfs);
		n = s->total_vfs;
	}
	if (n > ad->max_vfs) {
		PF_INIT_LOG(NOTICE, "%s: %u VFs enabled, managing the first %u (max_vfs)",
			    proc->pf_dev->name, n, ad->max_vfs);
		n = ad->max_vfs;
	}
	if (n > 0 && s->vf_offset == 0)
		PF_INIT_LOG(ERR, "%s: First VF Offset is 0: inconsistent SR-IOV capability, "
			    "no VF is routable", proc->pf_dev->name);
	else if (n > 1 && s->vf_stride == 0)
		PF_INIT_LOG(ERR, "%s: VF Stride is 0 with %u VFs: inconsistent SR-IOV "
			    "capability, only VF 0 is routable", proc->pf_dev->name, n);

	for (i = 0; i < s->total_vfs; i++) {
		vf = &proc->vfs[i];
		memset(vf, 0, sizeof(*vf));
		rid = pf_vf_rid(proc->pf_dev, s, i);
		if (rid >= 0) {
			vf->rid = (uint16_t)rid;
			vf->addr.domain = proc->pf_dev->addr.domain;
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
					    "SR-IOV capability, unroutable", proc->pf_dev->name,
					    i, s->vf_offset, s->vf_stride);
				beyond = 1;
			}
			vf->state = VFBC_PF_VF_UNROUTABLE;
		} else {
			vf->pci_dev = pf_bus_find(&vf->addr);
			if (vf->pci_dev != NULL) {
				pf_vf_attach(ad, i, vf);
			} else if (pf_addr_blocked(&vf->addr)) {
				PF_INIT_LOG(WARNING, "VF %u (" PCI_PRI_FMT "): excluded by the "
					    "EAL allow/block list (-a/-b)", i, vf->addr.domain,
					    vf->addr.bus, vf->addr.devid, vf->addr.function);
				vf->state = VFBC_PF_VF_BLOCKED;
			} else {
				PF_INIT_LOG(WARNING, "VF %u (" PCI_PRI_FMT "): not on the EAL "
					    "PCI bus", i, vf->addr.domain, vf->addr.bus,
					    vf->addr.devid, vf->addr.function);
				vf->state = VFBC_PF_VF_MISSING;
			}
		}
		cnt[vf->state]++;
	}
	proc->nb_vfs = n;
	ad->num_vfs = n;
	if (s->pos != 0)
		PF_INIT_LOG(INFO, "%s: SR-IOV at 0x%x, TotalVFs %u, %u VFs enabled "
			    "(offset %u, stride %u): %u ready, %u missing, %u unmapped, "
			    "%u blocked, %u unroutable", proc->pf_dev->name, s->pos,
			    s->total_vfs, n, s->vf_offset, s->vf_stride,
			    cnt[VFBC_PF_VF_READY], cnt[VFBC_PF_VF_MISSING],
			    cnt[VFBC_PF_VF_UNMAPPED], cnt[VFBC_PF_VF_BLOCKED],
			    cnt[VFBC_PF_VF_UNROUTABLE]);
}

/* What a BAR reads after the sizing probe, from its size and its type bits. */
static void
pf_bars_from_sizes(const uint32_t reg[VFBC_PF_NUM_BARS],
		   const uint64_t size[VFBC_PF_NUM_BARS], uint32_t out[VFBC_PF_NUM_BARS])
{
	uint64_t mask;
	int i;

	memset(out, 0, sizeof(uint32_t) * VFBC_PF_NUM_BARS);
	for (i = 0; i < VFBC_PF_NUM_BARS; i++) {
		if (size[i] == 0 || (size[i] & (size[i] - 1)) != 0)
			continue;
		mask = ~(size[i] - 1);
		out[i] = ((uint32_t)mask & VFBC_PCI_BAR_MEM_MASK) |
			 (reg[i] & ~VFBC_PCI_BAR_MEM_MASK);
		if ((reg[i] & 0x6) == VFBC_PCI_BAR_MEM_TYPE_64 && i + 1 < VFBC_PF_NUM_BARS) {
			out[i + 1] = (uint32_t)(mask >> 32);
			i++;
		}
	}
}

/* A readback is a BAR mask: contiguous address bits from the top, type bits kept. */
static int
pf_bar_probe_sane(uint32_t orig, uint32_t probe)
{
	uint32_t addr = probe & VFBC_PCI_BAR_MEM_MASK;

	if (probe == 0)
		return 1;
	if ((probe & ~VFBC_PCI_BAR_MEM_MASK) != (orig & ~VFBC_PCI_BAR_MEM_MASK))
		return 0;
	/* A 64-bit BAR of 4 GiB or more has no address bits in its low half. */
	if (addr == 0)
		return (orig & 0x6) == VFBC_PCI_BAR_MEM_TYPE_64;
	return (addr | (addr - 1)) == UINT32_MAX;
}

static int
pf_size_bar(const struct rte_pci_device *pf, uint32_t off, uint32_t *orig, uint32_t *probe)
{
	int ret;

	if (vfbc_pf_cfg_read32(pf, off, orig) < 0 ||
	    vfbc_pf_cfg_write32(pf, off, UINT32_MAX) < 0)
		return -EIO;
	ret = vfbc_pf_cfg_read32(pf, off, probe);
	if (vfbc_pf_cfg_write32(pf, off, *orig) < 0 || ret < 0)
		return -EIO;
	return 0;
}

/*
 * Size the VF BARs the way the kernel does at enumeration: all-ones into each
 * SR-IOV VF BAR of the PF, read back, restore. Only while VF MSE is clear, so
 * that no VF decodes a half-written address.
 */
static int
pf_size_vf_bars(struct vfbc_pf_proc *proc)
{
	const struct rte_pci_device *pf = proc->pf_dev;
	uint32_t orig[VFBC_PF_NUM_BARS], probe[VFBC_PF_NUM_BARS];
	uint32_t base = proc->sriov.pos + VFBC_PCI_SRIOV_BAR;
	uint16_t ctrl;
	int i;

	if (proc->sriov.pos == 0)
		return -ENOTSUP;
	if (vfbc_pf_cfg_read16(pf, proc->sriov.pos + RTE_PCI_SRIOV_CTRL, &ctrl) < 0)
		return -EIO;
	if (ctrl & VFBC_PCI_SRIOV_CTRL_MSE)
		return -EBUSY;
	for (i = 0; i < VFBC_PF_NUM_BARS; i++) {
		if (pf_size_bar(pf, base + i * VFBC_PCI_SRIOV_BAR_SIZEOF, &orig[i],
				&probe[i]) < 0)
			return -EIO;
		if (!pf_bar_probe_sane(orig[i], probe[i])) {
			PF_INIT_LOG(NOTICE, "%s: VF BAR%d reads 0x%08x after the sizing "
				    "probe (was 0x%08x): not a BAR mask, using the sizes "
				    "the OS found", pf->name, i, probe[i], orig[i]);
			return -EIO;
		}
		if ((orig[i] & 0x6) == VFBC_PCI_BAR_MEM_TYPE_64 && i + 1 < VFBC_PF_NUM_BARS) {
			i++;
			if (pf_size_bar(pf, base + i * VFBC_PCI_SRIOV_BAR_SIZEOF, &orig[i],
					&probe[i]) < 0)
				return -EIO;
		}
	}
	memcpy(proc->probed_bars, probe, sizeof(probe));
	proc->bars_valid = 1;
	return 0;
}

/* Linux lists the VF BAR regions (all VFs together) on lines 7..12 of "resource". */
#define PF_SYSFS_RES_IOV_LINE	7

static int
pf_vf_bar_sizes_sysfs(const struct vfbc_pf_proc *proc, uint64_t size[VFBC_PF_NUM_BARS])
{
	char path[PATH_MAX], line[256];
	uint64_t start, end, flags;
	int n = 0, found = 0;
	FILE *f;

	if (proc->sriov.total_vfs == 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s/resource", rte_pci_get_sysfs_path(),
		 proc->pf_dev->name);
	f = fopen(path, "re");
	if (f == NULL)
		return -ENOENT;
	while (fgets(line, sizeof(line), f) != NULL &&
	       n < PF_SYSFS_RES_IOV_LINE + VFBC_PF_NUM_BARS) {
		if (n >= PF_SYSFS_RES_IOV_LINE) {
			if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64,
				   &start, &end, &flags) != 3)
				break;
			size[n - PF_SYSFS_RES_IOV_LINE] = end > start ?
				(end - start + 1) / proc->sriov.total_vfs : 0;
			found++;
		}
		n++;
	}
	fclose(f);
	return found == VFBC_PF_NUM_BARS ? 0 : -ENOENT;
}

/* No sizing probe possible: take the VF BAR sizes the OS found. */
static int
pf_bars_from_os(struct vfbc_pf_proc *proc, uint32_t out[VFBC_PF_NUM_BARS])
{
	uint32_t reg[VFBC_PF_NUM_BARS];
	uint64_t size[VFBC_PF_NUM_BARS];
	const struct rte_pci_device *vdev = NULL;
	uint16_t i;
	int b;

	for (b = 0; b < VFBC_PF_NUM_BARS; b++)
		if (vfbc_pf_cfg_read32(proc->pf_dev, proc->sriov.pos + VFBC_PCI_SRIOV_BAR +
				       b * VFBC_PCI_SRIOV_BAR_SIZEOF, &reg[b]) < 0)
			return -EIO;
	if (pf_vf_bar_sizes_sysfs(proc, size) < 0) {
		for (i = 0; i < proc->nb_vfs && vdev == NULL; i++)
			vdev = proc->vfs[i].pci_dev;
		if (vdev == NULL)
			return -ENXIO;
		for (b = 0; b < VFBC_PF_NUM_BARS; b++)
			size[b] = vdev->mem_resource[b].len;
	}
	pf_bars_from_sizes(reg, size, out);
	return 0;
}

int
vfbc_pf_probed_bars(struct vfbc_pf_proc *proc, uint32_t out[VFBC_PF_NUM_BARS])
{
	if (proc->bars_valid) {
		memcpy(out, proc->probed_bars, sizeof(proc->probed_bars));
		return 0;
	}
	return pf_bars_from_os(proc, out);
}

static int
pf_sysfs_numvfs_path(const struct rte_pci_device *pf, char *path, size_t size)
{
	int n;

	n = snprintf(path, size, "%s/%s/sriov_numvfs", rte_pci_get_sysfs_path(), pf->name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return access(path, F_OK) == 0 ? 0 : -ENOENT;
}

static int
pf_sysfs_write_numvfs(const struct rte_pci_device *pf, const char *path, uint16_t n)
{
	char buf[16];
	ssize_t len, ret;
	int fd, err;

	len = snprintf(buf, sizeof(buf), "%u\n", n);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		PF_LOG(ERR, "%s: cannot open %s: %s", pf->name, path, strerror(err));
		return -EIO;
	}
	ret = write(fd, buf, len);
	err = errno;
	close(fd);
	if (ret == len)
		return 0;
	PF_LOG(ERR, "%s: writing %u to %s failed: %s", pf->name, n, path,
	       ret < 0 ? strerror(err) : "short write");
	if (ret < 0 && (err == ENOENT || err == ENOSYS))
		PF_LOG(ERR, "%s: the PF's kernel driver cannot configure SR-IOV "
		       "(no sriov_configure): enable the VFs with a driver that can, "
		       "then rebind", pf->name);
	if (ret < 0 && (err == EBUSY || err == ERANGE))
		return -err;
	return ret < 0 && (err == ENOENT || err == ENOSYS) ? -ENOTSUP : -EIO;
}

/* Are the n VFs the capability now describes present in sysfs? */
static int
pf_sysfs_vfs_present(const struct vfbc_pf_proc *proc, uint16_t n)
{
	char path[PATH_MAX];
	int32_t rid;
	uint16_t i;

	for (i = 0; i < n; i++) {
		rid = pf_vf_rid(proc->pf_dev, &proc->sriov, i);
		if (rid < 0)
			continue;
		snprintf(path, sizeof(path), "%s/" PCI_PRI_FMT "/config",
			 rte_pci_get_sysfs_path(), proc->pf_dev->addr.domain,
			 (uint8_t)(rid >> 8), (uint8_t)((rid >> 3) & 0x1f),
			 (uint8_t)(rid & 7));
		if (access(path, F_OK) != 0)
			return 0;
	}
	return 1;
}

/* Poll until the capability (and sysfs) show n VFs; the kernel may lag. */
static int
pf_wait_numvfs(struct vfbc_pf_proc *proc, uint16_t n, int check_sysfs)
{
	uint64_t waited = 0;
	int on, ret;

	for (;;) {
		ret = vfbc_pf_sriov_read(proc->pf_dev, &proc->sriov);
		if (ret < 0)
			return ret;
		on = (proc->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_VFE) != 0;
		if (n == 0 && !on)
			return 0;
		if (n > 0 && on && proc->sriov.num_vfs == n &&
		    (!check_sysfs || pf_sysfs_vfs_present(proc, n)))
			return 0;
		if (waited >= PF_VF_SETTLE_TIMEOUT_US)
			return -ETIMEDOUT;
		rte_delay_us_sleep(PF_VF_SETTLE_POLL_US);
		waited += PF_VF_SETTLE_POLL_US;
	}
}

/* Clear VF Enable and VF MSE, wait as iov.c does, then set NumVFs. */
static int
pf_direct_disable(struct vfbc_pf_proc *proc, uint16_t ctrl, uint16_t num_vfs)
{
	const struct rte_pci_device *pf = proc->pf_dev;
	uint16_t pos = proc->sriov.pos;

	ctrl &= ~(VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE);
	if (vfbc_pf_cfg_write16(pf, pos + RTE_PCI_SRIOV_CTRL, ctrl) < 0)
		return -EIO;
	rte_delay_us_sleep(PF_VF_DISABLE_DELAY_US);
	/* NumVFs may only change while VF Enable is clear. */
	if (vfbc_pf_cfg_write16(pf, pos + RTE_PCI_SRIOV_NUM_VF, num_vfs) < 0)
		return -EIO;
	return 0;
}

/*
 * Where no kernel owns SR-IOV: program the capability as iov.c does. The
 * VFs must then show up in sysfs (something must enumerate them) for the
 * EAL to find them; if they do not, disable them and put NumVFs back, as
 * iov.c does when adding the VFs fails.
 */
static int
pf_direct_set_numvfs(struct vfbc_pf_proc *proc, uint16_t n)
{
	const struct rte_pci_device *pf = proc->pf_dev;
	uint16_t pos = proc->sriov.pos;
	uint16_t ctrl, old_num;
	int32_t rid;
	int ret;

	if (vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_CTRL, &ctrl) < 0 ||
	    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_NUM_VF, &old_num) < 0)
		return -EIO;
	if (n == 0) {
		ret = pf_direct_disable(proc, ctrl, 0);
		return ret < 0 ? ret : pf_wait_numvfs(proc, 0, 0);
	}
	if (vfbc_pf_cfg_write16(pf, pos + RTE_PCI_SRIOV_NUM_VF, n) < 0)
		return -EIO;
	/* First VF Offset and VF Stride may change with NumVFs: read them again. */
	ret = vfbc_pf_sriov_read(pf, &proc->sriov);
	rid = ret < 0 ? -1 : pf_vf_rid(pf, &proc->sriov, n - 1);
	if (rid < 0) {
		if (ret >= 0)
			PF_LOG(ERR, "%s: cannot enable %u VFs: VF %u would be unroutable "
			       "(First VF Offset %u, VF Stride %u): inconsistent SR-IOV "
			       "capability", pf->name, n, n - 1, proc->sriov.vf_offset,
			       proc->sriov.vf_stride);
		if (vfbc_pf_cfg_write16(pf, pos + RTE_PCI_SRIOV_NUM_VF, old_num) < 0)
			return -EIO;
		return ret < 0 ? ret : -ERANGE;
	}
	ctrl |= VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE;
	if (vfbc_pf_cfg_write16(pf, pos + RTE_PCI_SRIOV_CTRL, ctrl) < 0)
		return -EIO;
	rte_delay_us_sleep(PF_VF_ENABLE_DELAY_US);
	ret = pf_wait_numvfs(proc, n, 1);
	if (ret == 0)
		return 0;
	PF_LOG(ERR, "%s: %u VFs enabled through the SR-IOV capability did not appear "
	       "in %s (nothing enumerated them): disabling them again", pf->name, n,
	       rte_pci_get_sysfs_path());
	if (pf_direct_disable(proc, ctrl, old_num) < 0)
		PF_LOG(ERR, "%s: cannot disable the VFs again", pf->name);
	return ret;
}

/* Caller holds proc->ctrl; takes the VF table exclusively. */
static int
pf_enable_locked(struct rte_eth_dev *dev, struct vfbc_pf_proc *proc, uint16_t n)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	char path[PATH_MAX];
	struct rte_bus *bus;
	uint16_t prev;
	int kernel, ret;

	if (proc->sriov.pos == 0)
		return -ENOTSUP;
	if (n > proc->sriov.total_vfs || n > ad->max_vfs)
		return -ERANGE;
	ret = vfbc_pf_sriov_read(proc->pf_dev, &proc->sriov);
	if (ret < 0)
		return ret;
	if ((proc->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_VFE) && proc->sriov.num_vfs != 0) {
		if (n != 0)
			return -EBUSY;
	} else if (n == 0) {
		return 0;
	}

	prev = proc->nb_vfs;
	kernel = pf_sysfs_numvfs_path(proc->pf_dev, path, sizeof(path)) == 0;
	pthread_rwlock_wrlock(&proc->lock);
	if (n == 0) {
		pf_vfs_release(proc, ad);
	} else if (!(proc->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_MSE)) {
		/* On failure the OS's sizes serve vfbc_pf_query_probed_bars(). */
		pf_size_vf_bars(proc);
	}
	if (kernel) {
		ret = pf_sysfs_write_numvfs(proc->pf_dev, path, n);
		if (ret == 0) {
			rte_delay_us_sleep(n > 0 ? PF_VF_ENABLE_DELAY_US : PF_VF_DISABLE_DELAY_US);
			ret = pf_wait_numvfs(proc, n, 1);
		}
	} else {
		ret = pf_direct_set_numvfs(proc, n);
	}
	if (ret == 0 && n > 0) {
		/* As sysfs now says; the rescan would flag a stale PF entry. */
		proc->pf_dev->max_vfs = n;
		bus = rte_bus_find_by_name("pci");
		if (bus == NULL || bus->scan() != 0)
			PF_LOG(WARNING, "%s: rescanning the PCI bus failed", proc->pf_dev->name);
	}
	/* Whatever happened, the table must describe the device as it now is. */
	if (vfbc_pf_sriov_read(proc->pf_dev, &proc->sriov) >= 0)
		pf_vfs_discover(proc, ad);
	pthread_rwlock_unlock(&proc->lock);

	if (ret == 0) {
		vfbc_pf_count(ad, VFBC_PF_XS_VIRT_CHANGES, 1);
		PF_LOG(NOTICE, "%s: %s %u VFs through %s", proc->pf_dev->name,
		       n > 0 ? "enabled" : "disabled", n > 0 ? n : prev,
		       kernel ? "sysfs sriov_numvfs" : "the SR-IOV capability");
	} else {
		PF_LOG(ERR, "%s: %s VFs failed: %s", proc->pf_dev->name,
		       n > 0 ? "enabling" : "disabling", strerror(-ret));
	}
	return ret;
}

int
vfbc_pf_enable(struct rte_eth_dev *dev, uint16_t num_vfs)
{
	struct vfbc_pf_proc *proc = dev->process_private;
	int ret;

	pthread_mutex_lock(&proc->ctrl);
	ret = pf_enable_locked(dev, proc, num_vfs);
	pthread_mutex_unlock(&proc->ctrl);
	return ret;
}

int
vfbc_pf_sriov_init(struct rte_eth_dev *dev, uint16_t num_vfs_arg)
{
	struct rte_pci_device *pf = RTE_ETH_DEV_TO_PCI(dev);
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	struct vfbc_pf_sriov s;
	struct vfbc_pf_proc *proc;
	int ret;

	ret = vfbc_pf_sriov_read(pf, &s);
	if (ret < 0) {
		PF_INIT_LOG(ERR, "%s: cannot read its configuration space", pf->name);
		return ret;
	}
	if (s.pos == 0)
		PF_INIT_LOG(WARNING, "%s: no SR-IOV capability: the port works, "
			    "the VF API reports virtualization off", pf->name);
	proc = rte_zmalloc_socket("vfbc_pf_proc", sizeof(*proc) +
				  sizeof(proc->vfs[0]) * s.total_vfs, RTE_CACHE_LINE_SIZE,
				  pf->device.numa_node);
	if (proc == NULL)
		return -ENOMEM;
	proc->pf_dev = pf;
	proc->sriov = s;
	pthread_rwlock_init(&proc->lock, NULL);
	pthread_mutex_init(&proc->ctrl, NULL);
	rte_spinlock_init(&proc->reach_lock);
	ad->total_vfs = s.total_vfs;
	if (ad->max_vfs > s.total_vfs)
		ad->max_vfs = s.total_vfs;
	dev->process_private = proc;

	if (s.pos != 0) {
		if (!(s.ctrl & VFBC_PCI_SRIOV_CTRL_MSE))
			pf_size_vf_bars(proc);
		pf_vfs_discover(proc, ad);
	}
	if (num_vfs_arg > 0 && s.pos != 0) {
		if (proc->nb_vfs == 0) {
			ret = vfbc_pf_enable(dev, num_vfs_arg);
			if (ret < 0)
				PF_INIT_LOG(ERR, "%s: num_vfs=%u: cannot enable the VFs (%s)",
					    pf->name, num_vfs_arg, strerror(-ret));
		} else if (proc->nb_vfs != num_vfs_arg) {
			PF_INIT_LOG(NOTICE, "%s: num_vfs=%u ignored: %u VFs already enabled",
				    pf->name, num_vfs_arg, proc->nb_vfs);
		}
	}
	return 0;
}

void
vfbc_pf_sriov_release(struct rte_eth_dev *dev)
{
	struct vfbc_pf_proc *proc = dev->process_private;

	if (proc == NULL)
		return;
	pthread_mutex_lock(&proc->ctrl);
	pthread_rwlock_wrlock(&proc->lock);
	pf_vfs_release(proc, dev->data->dev_private);
	dev->process_private = NULL;
	pthread_rwlock_unlock(&proc->lock);
	pthread_mutex_unlock(&proc->ctrl);
	pthread_rwlock_destroy(&proc->lock);
	pthread_mutex_destroy(&proc->ctrl);
	rte_free(proc);
}
