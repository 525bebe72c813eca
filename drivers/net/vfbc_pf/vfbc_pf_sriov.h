/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_SRIOV_H_
#define _VFBC_PF_SRIOV_H_

/* SR-IOV of the PF (vfbc_pf_sriov.c). */

#include <stdint.h>

#include "vfbc_pf.h"

/* Read the PF's SR-IOV capability: its offset, 0 if absent, or -EIO. */
int vfbc_pf_sriov_read(struct rte_pci_device *pf_dev, struct vfbc_pf_sriov *s);
/* At probe: the capability, the VF BAR sizes and the VF table. */
int vfbc_pf_sriov_init(struct vfbc_pf_proc *pf);
/* At probe, after the mailbox exists: devarg num_vfs. */
void vfbc_pf_sriov_enable_at_probe(struct vfbc_pf_proc *pf, uint16_t num_vfs);
/* At close: every VF closed, the table empty. */
void vfbc_pf_sriov_release(struct vfbc_pf_proc *pf);
/* Enable n VFs (0: disable); takes pf->ctrl and the table exclusively. */
int vfbc_pf_enable(struct vfbc_pf_proc *pf, uint16_t num_vfs);
/* The VF BAR values after the sizing probe; proc->lock held. */
int vfbc_pf_probed_bars(struct vfbc_pf_proc *pf, uint32_t out[VFBC_PF_NUM_BARS]);

#endif /* _VFBC_PF_SRIOV_H_ */
