/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_VFS_H_
#define _VFBC_PF_VFS_H_

/* The VF table of a PF (vfbc_pf_vfs.c). */

#include <stdint.h>

#include "vfbc_pf.h"

/* Build the table from pf->sriov; proc->lock exclusive, or not yet shared. */
void vfbc_pf_vfs_discover(struct vfbc_pf_proc *pf);
/* Close every VF and empty the table; proc->lock exclusive. */
void vfbc_pf_vfs_release(struct vfbc_pf_proc *pf);
/* An enabled VF: 0, -ENXIO (none enabled), -EINVAL (id). proc->lock held. */
int vfbc_pf_vf_lookup(struct vfbc_pf_proc *pf, uint16_t vf_id, struct vfbc_pf_vf **vf);
/* An enabled VF whose config space is reachable: also -ENXIO if not. */
int vfbc_pf_vf_ready(struct vfbc_pf_proc *pf, uint16_t vf_id, struct vfbc_pf_vf **vf);
/*
 * Read a ready VF's config space once: its size, the positions of the
 * capabilities the PF acts on, the policy's region map. After an FLR too.
 */
void vfbc_pf_vf_scan(struct vfbc_pf_vf *vf);
/* A copy of a ready VF's policy map; 0, -ENXIO, -EINVAL. Takes proc->lock. */
int vfbc_pf_vf_policy_map(struct vfbc_pf_proc *pf, uint16_t vf_id,
			  struct vfbc_pf_policy_map *map);
/* Routing ID of VF i, or -1 if it cannot exist. */
int32_t vfbc_pf_vf_rid(const struct rte_pci_device *pf_dev, const struct vfbc_pf_sriov *s,
		       uint16_t i);

#endif /* _VFBC_PF_VFS_H_ */
