/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_MBOX_H_
#define _VFBC_PF_MBOX_H_

/*
 * PF side of the mailbox: the PF's channel (lib/vfbc), its VF address
 * table, the rte_service, and the request service loop.
 *
 * struct vfbc_pf_mbox is process-local (primary only): it holds the
 * channel handle, whose pointers mean something in this process only. A
 * per-port table of pointers to it (vfbc_pf_mboxes) lets the wait-free
 * invalidate path find the channel with one load, without the VF table's
 * rwlock.
 */

#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_spinlock.h>

#include <vfbc_channel.h>

#include "vfbc_pf.h"

/* Budget of one run of the rte_service. */
#define VFBC_PF_MBOX_SERVICE_BUDGET 32

struct vfbc_pf_mbox {
	struct vfbc_channel *ch;
	uint16_t port_id;
	uint16_t nb_slots;	/* VFs of the channel */
	/*
	 * Enabled VFs that have a slot: min(NumVFs, nb_slots). Written by
	 * refresh, read (relaxed) by the wait-free paths: they only need a
	 * bound below nb_slots, which every value written is.
	 */
	uint16_t nb_vfs;
	uint16_t vendor_id;	/* virtualized IDs presented to config reads */
	uint16_t device_id;
	uint8_t service_ok;	/* service_id is registered */
	uint32_t service_id;
	rte_spinlock_t poll_lock; /* one poller per port */
	uint16_t scan[VFBC_CHANNEL_MAX_VFS]; /* doorbell scan output */
};

/* Per port, this process; NULL: no channel (or not a primary PF port). */
extern struct vfbc_pf_mbox *vfbc_pf_mboxes[RTE_MAX_ETHPORTS];

/* vfbc_pf_mbox.c */
int vfbc_pf_mbox_init(struct rte_eth_dev *dev);
void vfbc_pf_mbox_uninit(struct rte_eth_dev *dev);
void vfbc_pf_mbox_refresh(struct rte_eth_dev *dev);
int vfbc_pf_mbox_get(uint16_t port_id, struct vfbc_pf_mbox **mb);
unsigned int vfbc_pf_mbox_xstats_names(struct rte_eth_xstat_name *names, unsigned int n);
void vfbc_pf_mbox_xstats_values(struct rte_eth_dev *dev, uint64_t *values);
void vfbc_pf_mbox_xstats_reset(struct rte_eth_dev *dev);

/* vfbc_pf_mbox_serve.c */
int32_t vfbc_pf_mbox_service_run(void *arg);

#endif /* _VFBC_PF_MBOX_H_ */
