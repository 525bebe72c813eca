/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_CTL_H_
#define _VFBC_PF_CTL_H_

/*
 * The PF's control thread (vfbc_pf_ctl.c): work that sleeps (a VF's FLR,
 * power-state changes) runs here, in submission order, so that the
 * mailbox service loop never blocks on it.
 */

#include <stdint.h>

#include "vfbc_pf.h"

typedef void (*vfbc_pf_ctl_fn_t)(void *arg);

/* Start the thread of pf (at probe), with room for capacity queued items. */
int vfbc_pf_ctl_start(struct vfbc_pf_proc *pf, uint32_t capacity);
/*
 * Stop (at close): the items still queued run, with vfbc_pf_ctl_stopping()
 * true so that they cancel rather than act; then join.
 */
void vfbc_pf_ctl_stop(struct vfbc_pf_proc *pf);
/* 1 once the thread of pf is stopping: an item then cancels its work. */
int vfbc_pf_ctl_stopping(struct vfbc_pf_proc *pf);
/* Queue fn(arg): 0, -ENOSPC (queue full), -ENOTSUP (no thread). Never blocks. */
int vfbc_pf_ctl_submit(struct vfbc_pf_proc *pf, vfbc_pf_ctl_fn_t fn, void *arg);

#endif /* _VFBC_PF_CTL_H_ */
