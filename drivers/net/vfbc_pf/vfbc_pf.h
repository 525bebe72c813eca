/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_H_
#define _VFBC_PF_H_

/*
 * Private state of net_vfbc_pf.
 *
 * struct vfbc_pf_adapter is the ethdev's dev_private: it lives in shared
 * memory and secondaries read it (xstats), so it holds fixed-width values
 * only, never a pointer. struct vfbc_pf_proc is the primary's
 * process_private: the VF table with its rte_pci_device pointers, which only
 * mean something in the primary.
 */

#include <stdint.h>
#include <errno.h>
#include <pthread.h>

#include <bus_pci_driver.h>
#include <ethdev_driver.h>
#include <rte_byteorder.h>
#include <rte_spinlock.h>

#include "vfbc_pmd_pf.h"


/* "vfbf": dev_private belongs to a net_vfbc_pf port. */
#define VFBC_PF_ADAPTER_MAGIC	0x76666266u

#define VFBC_PF_MAX_QUEUES	1
#define VFBC_PF_MAX_MTU		9000
#define VFBC_PF_MIN_MTU		RTE_ETHER_MIN_MTU

/* Devargs. */
#define VFBC_PF_MAP_VFS_ARG	"map_vfs"
#define VFBC_PF_MAX_VFS_ARG	"max_vfs"
#define VFBC_PF_NUM_VFS_ARG	"num_vfs"

/* Backchannel counters, in the order of their xstats names. */
enum vfbc_pf_xstat {
	VFBC_PF_XS_CFG_READS,		/* successful config reads */
	VFBC_PF_XS_CFG_READ_BYTES,
	VFBC_PF_XS_CFG_WRITES,		/* successful config writes */
	VFBC_PF_XS_CFG_WRITE_BYTES,
	VFBC_PF_XS_CFG_SHORT,		/* transfers shorter than asked */
	VFBC_PF_XS_FAIL_EINVAL,		/* bad arguments */
	VFBC_PF_XS_FAIL_ENXIO,		/* virtualization off, VF missing/unmapped */
	VFBC_PF_XS_FAIL_EIO,		/* EAL access failed */
	VFBC_PF_XS_FAIL_SECONDARY,	/* called from a secondary process */
	VFBC_PF_XS_VF_RESETS,
	VFBC_PF_XS_VF_POWER_CHANGES,
	VFBC_PF_XS_VIRT_CHANGES,	/* enable/disable virtualization */
	/* Mailbox service (vfbc_pf_mbox_serve.c). */
	VFBC_PF_XS_MBOX_REQ_BLOCK_WRITE, /* valid requests, by type */
	VFBC_PF_XS_MBOX_REQ_CFG_READ,
	VFBC_PF_XS_MBOX_REQ_CFG_WRITE,
	VFBC_PF_XS_MBOX_ACCEPTED,	/* carried out, answered 0 */
	VFBC_PF_XS_MBOX_REJ_POLICY,	/* refused by the config-space policy */
	VFBC_PF_XS_MBOX_REJ_APP,	/* refused by the application's callback */
	VFBC_PF_XS_MBOX_REJ_VF_STATE,	/* VF not enabled or not ready */
	VFBC_PF_XS_MBOX_FAILED,		/* accepted, but carrying it out failed */
	VFBC_PF_XS_MBOX_MALFORMED_PF,	/* caught by the PF after the library */
	VFBC_PF_XS_MBOX_RESETS,		/* FLRs trapped from DEVCTL / AF */
	VFBC_PF_XS_MBOX_POWER,		/* power changes trapped from PMCSR */
	VFBC_PF_XS_MBOX_VF_VISITS,	/* VF request rings the service looked at */
	VFBC_PF_XS_MAX
};

/* Mailbox xstats summed from the channel's per-VF counters. */
enum vfbc_pf_mbox_ch_xstat {
	VFBC_PF_MBOX_CH_XS_INVALIDATIONS,
	VFBC_PF_MBOX_CH_XS_COALESCED,
	VFBC_PF_MBOX_CH_XS_DOORBELLS,
	VFBC_PF_MBOX_CH_XS_NOTIFY_RING_FULL,
	VFBC_PF_MBOX_CH_XS_DELIVERIES,
	VFBC_PF_MBOX_CH_XS_RESYNCS,
	VFBC_PF_MBOX_CH_XS_MALFORMED,
	VFBC_PF_MBOX_CH_XS_RESPONSES,
	VFBC_PF_MBOX_CH_XS_RESPONSE_RING_FULL,
	VFBC_PF_MBOX_CH_XS_MAX
};

/* Shared (dev_private). */
struct vfbc_pf_adapter {
	uint32_t magic;
	uint16_t total_vfs;	/* 0: no SR-IOV capability */
	uint16_t max_vfs;	/* devarg max_vfs, <= total_vfs */
	uint16_t num_vfs;	/* VFs enabled, as last seen by the primary */
	uint8_t map_vfs;	/* devarg map_vfs */
	uint8_t started;
	uint64_t xstats[VFBC_PF_XS_MAX] __rte_cache_aligned;
	/* Channel counter sums at the last xstats reset (vfbc_pf_mbox.c). */
	uint64_t mbox_base[VFBC_PF_MBOX_CH_XS_MAX];
};

/* SR-IOV capability registers the driver works from. */
struct vfbc_pf_sriov {
	uint16_t pos;		/* 0: absent */
	uint16_t total_vfs;
	uint16_t num_vfs;	/* NumVFs register */
	uint16_t ctrl;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device_id;
};

/* One VF, in the primary. */
struct vfbc_pf_vf {
	struct rte_pci_device *pci_dev;	/* NULL when missing */
	struct rte_pci_addr addr;
	uint16_t rid;
	uint32_t state;			/* enum vfbc_pf_vf_state */
	uint32_t cfg_size;
	uint8_t mapped_by_pf;		/* we mapped it: unmap on release */
	uint8_t intr_by_pf;		/* we allocated its interrupt handles */
	/*
	 * The handles we mapped it with (NULL: someone else mapped it). The
	 * EAL replaces the device's handles whenever a driver probes it: ours
	 * keep the config fd (vfbc_pf_vf_cfg_reach()).
	 */
	struct rte_intr_handle *own_intr;
	struct rte_intr_handle *own_req_intr;
};

/* Primary-only (process_private). */
struct vfbc_pf_proc {
	struct rte_pci_device *pf_dev;
	/*
	 * Config accesses hold it shared; enabling/disabling VFs and closing
	 * hold it exclusive, so no access ever runs on a VF being unmapped.
	 */
	pthread_rwlock_t lock;
	/* Serializes control operations (enable, reset, power) on this PF. */
	pthread_mutex_t ctrl;
	/* Serializes lending a config fd (vfbc_pf_vf_cfg_reach()). */
	rte_spinlock_t reach_lock;
	struct vfbc_pf_sriov sriov;
	uint16_t nb_vfs;		/* enabled VFs (entries of vfs[] in use) */
	uint8_t bars_valid;
	uint32_t probed_bars[VFBC_PF_NUM_BARS];
	struct vfbc_pf_vf vfs[];	/* total_vfs entries */
};

static inline void
vfbc_pf_count(struct vfbc_pf_adapter *ad, enum vfbc_pf_xstat id, uint64_t n)
{
	/* Counters only: no ordering with anything else is needed. */
	__atomic_fetch_add(&ad->xstats[id], n, __ATOMIC_RELAXED);
}

/* Little-endian register accessors: 0, or -EIO if the access was not whole. */
static inline int
vfbc_pf_cfg_read16(const struct rte_pci_device *dev, uint32_t off, uint16_t *val)
{
	uint16_t v;

	if (rte_pci_read_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	*val = rte_le_to_cpu_16(v);
	return 0;
}

static inline int
vfbc_pf_cfg_read32(const struct rte_pci_device *dev, uint32_t off, uint32_t *val)
{
	uint32_t v;

	if (rte_pci_read_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	*val = rte_le_to_cpu_32(v);
	return 0;
}

static inline int
vfbc_pf_cfg_write16(const struct rte_pci_device *dev, uint32_t off, uint16_t val)
{
	uint16_t v = rte_cpu_to_le_16(val);

	if (rte_pci_write_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	return 0;
}

static inline int
vfbc_pf_cfg_write32(const struct rte_pci_device *dev, uint32_t off, uint32_t val)
{
	uint32_t v = rte_cpu_to_le_32(val);

	if (rte_pci_write_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	return 0;
}

/* vfbc_pf_ethdev.c */
int vfbc_pf_port_get(uint16_t port_id, struct rte_eth_dev **dev,
		     struct vfbc_pf_adapter **ad);

/* vfbc_pf_sriov.c */
int vfbc_pf_sriov_init(struct rte_eth_dev *dev, uint16_t num_vfs_arg);
void vfbc_pf_sriov_release(struct rte_eth_dev *dev);
int vfbc_pf_sriov_read(const struct rte_pci_device *pf, struct vfbc_pf_sriov *s);
int vfbc_pf_find_cap(const struct rte_pci_device *dev, uint8_t cap_id);
int vfbc_pf_enable(struct rte_eth_dev *dev, uint16_t num_vfs);
int vfbc_pf_probed_bars(struct vfbc_pf_proc *proc, uint32_t out[VFBC_PF_NUM_BARS]);
int vfbc_pf_vf_cfg_reach(struct vfbc_pf_proc *proc, struct vfbc_pf_vf *vf);
int vfbc_pf_is_vf(const struct rte_pci_device *dev);

/* vfbc_pf_config.c; both expect proc->lock held (shared at least). */
int vfbc_pf_vf_lookup(struct vfbc_pf_proc *proc, uint16_t vf_id, struct vfbc_pf_vf **vf);
int vfbc_pf_vf_ready(struct vfbc_pf_proc *proc, uint16_t vf_id, struct vfbc_pf_vf **vf);

#endif /* _VFBC_PF_H_ */
