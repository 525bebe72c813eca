/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_RESET_H_
#define _VFBC_PF_RESET_H_

/*
 * Function-level reset and power state of a VF (vfbc_pf_reset.c). Both
 * sleep (an FLR up to ~1.8 s, a D3hot transition 10 ms): control path only,
 * never the mailbox service loop. They hold pf->ctrl and the VF table
 * shared while they run, and log nothing on failure: *why says what went
 * wrong, for the caller to log as it sees fit (an API caller once, a VF's
 * request through the VF's log limit).
 */

#include <stdint.h>

#include "vfbc_pf.h"

/*
 * gen: the VF table generation (pf->vfs_gen) the caller decided for;
 * -ENXIO if VFs were disabled since. VFBC_PF_VFS_GEN_ANY: the current one.
 */
#define VFBC_PF_VFS_GEN_ANY UINT32_MAX

int vfbc_pf_vf_flr(struct vfbc_pf_proc *pf, uint16_t vf_id, uint32_t gen, int asked,
		   const char **why);
int vfbc_pf_vf_set_power(struct vfbc_pf_proc *pf, uint16_t vf_id, uint32_t gen,
			 uint8_t d_state, int wake, const char **why);

#endif /* _VFBC_PF_RESET_H_ */
