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
 * process_private: the PF's state in this process, its VF table, mailbox and
 * control thread; internal functions take it, never a port id (the port-id
 * API is vfbc_pf_api.c, on top of them).
 */

#include <stdint.h>
#include <errno.h>
#include <pthread.h>

#include <bus_pci_driver.h>
#include <ethdev_driver.h>
#include <rte_byteorder.h>
#include <rte_spinlock.h>

#include <vfbc_channel.h>

#include "vfbc_pmd_pf.h"
#include "vfbc_pf_policy.h"

/* "vfbf": dev_private belongs to a net_vfbc_pf port. */
#define VFBC_PF_ADAPTER_MAGIC	0x76666266u

#define VFBC_PF_MAX_QUEUES	1
#define VFBC_PF_MAX_MTU		9000
#define VFBC_PF_MIN_MTU		RTE_ETHER_MIN_MTU

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
	VFBC_PF_XS_MBOX_RATE_LIMITED,	/* refused: the VF exceeded vf_msg_cfg */
	VFBC_PF_XS_MBOX_ASYNC,		/* handed to the control thread */
	VFBC_PF_XS_MBOX_SWEEP_FOUND,	/* rings with requests but no doorbell */
	VFBC_PF_XS_MBOX_LOG_SUPPRESSED,	/* log lines about VFs not printed */
	VFBC_PF_XS_MBOX_SLEEPS,		/* sleeps of vfbc_pf_mbox_poll_wait() */
	VFBC_PF_XS_MBOX_SLEEP_WAKES,	/* ... ended by a wake, not by time */
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
	VFBC_PF_MBOX_CH_XS_RING_CORRUPT,
	VFBC_PF_MBOX_CH_XS_UNCLAIMED,
	VFBC_PF_MBOX_CH_XS_CLAIMS_REFUSED,
	VFBC_PF_MBOX_CH_XS_REQUESTS_DROPPED,
	VFBC_PF_MBOX_CH_XS_RESPONSES_DROPPED,
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

/* Devargs (vfbc_pf_devargs.c). */
#define VFBC_PF_MAP_VFS_ARG	"map_vfs"
/* map_vfs=all: every VF, whether EAL's allow list names it or not. */
#define VFBC_PF_MAP_VFS_ALL	2
#define VFBC_PF_MAX_VFS_ARG	"max_vfs"
#define VFBC_PF_NUM_VFS_ARG	"num_vfs"
#define VFBC_PF_VF_MSG_CFG_ARG	"vf_msg_cfg"
#define VFBC_PF_SOCKET_ARG	"socket"
#define VFBC_PF_SOCKET_UID_ARG	"socket_uid"
#define VFBC_PF_SOCKET_GID_ARG	"socket_gid"

/* Longest socket= path: sun_path holds it with its NUL. */
#define VFBC_PF_SOCKET_PATH_MAX	108
/* socket_uid / socket_gid not given: any peer. */
#define VFBC_PF_SOCKET_ID_ANY	UINT32_MAX

/* Longest message budget of vf_msg_cfg: the limiter keeps one stamp per message. */
#define VFBC_PF_MSG_MAX_LIMIT	4096

struct vfbc_pf_args {
	uint32_t map_vfs;
	uint32_t max_vfs;	/* UINT32_MAX: not given */
	uint32_t num_vfs;
	/* vf_msg_cfg=max@period:ignore; max 0: no limit. */
	uint32_t msg_max;
	uint32_t msg_period_s;
	uint32_t msg_ignore_s;
	/* socket=PATH: isolated consumers (vfbc_pf_socket.c); "": none. */
	char socket_path[VFBC_PF_SOCKET_PATH_MAX];
	uint32_t socket_uid;	/* VFBC_PF_SOCKET_ID_ANY: any */
	uint32_t socket_gid;	/* VFBC_PF_SOCKET_ID_ANY: any */
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

/*
 * One VF, in the primary. The PF reaches the VF's configuration space
 * through a device handle of its own (dev): its address, its kernel driver
 * and a descriptor the PF opened itself, never the EAL bus's device, which
 * a VF driver may remove (rte_dev_remove()) and the bus then frees.
 */
struct vfbc_pf_vf {
	struct rte_pci_device dev;	/* the PF's handle; on no bus list */
	int cfg_fd;			/* uio: the config file; -1: none */
	int vfio_fd;			/* vfio: the device; -1: none */
	struct rte_pci_addr addr;
	uint16_t rid;
	uint32_t state;			/* enum vfbc_pf_vf_state */
	uint32_t cfg_size;
	uint16_t pm_pos;		/* PCI PM capability, 0: none */
	uint16_t exp_pos;		/* PCI Express capability, 0: none */
	uint16_t af_pos;		/* Advanced Features capability, 0: none */
	/*
	 * The config-space policy's regions of this VF, built from one read
	 * of its config space when it becomes ready and after each FLR: a
	 * VF's write request then reads only the bytes it needs.
	 */
	rte_spinlock_t map_lock;
	struct vfbc_pf_policy_map map;
};

struct vfbc_pf_mbox;
struct vfbc_pf_ctl;
struct vfbc_pf_sock;

/* Primary-only (process_private): the PF in this process. */
struct vfbc_pf_proc {
	uint16_t port_id;
	struct vfbc_pf_adapter *ad;
	struct rte_pci_device *pf_dev;
	int owner_fd;			/* holds the PF's ownership lock; -1: none */
	/*
	 * Config accesses hold it shared; enabling/disabling VFs and closing
	 * hold it exclusive, so no access ever runs on a VF being closed.
	 */
	pthread_rwlock_t lock;
	/* Serializes control operations (enable, reset, power) on this PF. */
	pthread_mutex_t ctrl;
	struct vfbc_pf_sriov sriov;
	uint16_t nb_vfs;		/* enabled VFs (entries of vfs[] in use) */
	/*
	 * Bumped (table lock exclusive) each time the VF table is released:
	 * work decided for a VF of an older table must not touch its successor.
	 */
	uint32_t vfs_gen;
	uint8_t bars_valid;
	uint32_t probed_bars[VFBC_PF_NUM_BARS];
	struct vfbc_pf_args args;
	struct vfbc_pf_mbox *mb;	/* NULL: no mailbox */
	struct vfbc_pf_ctl *ctl;	/* the control thread; NULL: none */
	/*
	 * The control socket (socket=); NULL: none. Process-private memory
	 * (it holds the VF secrets), only the pointer is here.
	 */
	struct vfbc_pf_sock *sock;
	struct vfbc_pf_vf vfs[];	/* total_vfs entries */
};

static inline void
vfbc_pf_count(struct vfbc_pf_adapter *ad, enum vfbc_pf_xstat id, uint64_t n)
{
	/* Counters only: no ordering with anything else is needed. */
	__atomic_fetch_add(&ad->xstats[id], n, __ATOMIC_RELAXED);
}

/* vfbc_pf_ethdev.c */
int vfbc_pf_port_get(uint16_t port_id, struct rte_eth_dev **dev,
		     struct vfbc_pf_adapter **ad);
int vfbc_pf_proc_get(uint16_t port_id, struct vfbc_pf_proc **pf);

/* vfbc_pf_devargs.c */
int vfbc_pf_devargs_parse(const char *str, struct vfbc_pf_args *args);

/* vfbc_pf_owner.c */
int vfbc_pf_owner_take(struct vfbc_pf_proc *pf);
void vfbc_pf_owner_drop(struct vfbc_pf_proc *pf);

#endif /* _VFBC_PF_H_ */
