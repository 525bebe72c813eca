/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_LIFE_H_
#define _VFBC_PF_LIFE_H_

/* A VF's life: told to its consumer, and its consumers' told to the PF (vfbc_pf_life.c). */

#include <stdint.h>

#include "vfbc_pf.h"
#include "vfbc_pmd_pf.h"

struct vfbc_pf_mbox;

/*
 * Post what the PF did to VF vf_id (cause VFBC_CHANNEL_LIFE_*, or _NONE for
 * a state change alone: (state & ~clear) | set) in the channel's life
 * lines, and hint the VF's socket holder. No-op without a mailbox, or for
 * a VF beyond the channel. Caller may hold pf->ctrl and pf->lock.
 */
void vfbc_pf_life_post(struct vfbc_pf_proc *pf, uint16_t vf_id, int cause, uint32_t clear,
		       uint32_t set);

/* Start the consumer watch of a new mailbox (mb->life): 0 or a negative errno. */
int vfbc_pf_life_start(struct vfbc_pf_mbox *mb);
/* Stop it (mailbox stop); from one of its callbacks, it ends when that returns. */
void vfbc_pf_life_stop(struct vfbc_pf_mbox *mb);
/* vfbc_pf_consumer_callback_(un)register(), on the port's mailbox. */
int vfbc_pf_life_cb_register(struct vfbc_pf_mbox *mb, vfbc_pf_consumer_cb_t cb, void *arg);
int vfbc_pf_life_cb_unregister(struct vfbc_pf_mbox *mb, vfbc_pf_consumer_cb_t cb, void *arg);

#endif /* _VFBC_PF_LIFE_H_ */
