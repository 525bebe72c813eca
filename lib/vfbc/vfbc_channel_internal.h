/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_INTERNAL_H_
#define _VFBC_CHANNEL_INTERNAL_H_

/*
 * Between the library's own source files: not installed, not exported.
 */

#include <stdint.h>

#include "vfbc_channel.h"

/* Claim word: epoch in the high 32 bits, holder pid in the low 32. */
#define CH_CLAIM_PID_MASK UINT64_C(0xffffffff)
#define CH_CLAIM_EPOCH_SHIFT 32

/*
 * vfbc_channel_claim_ask.c: list a channel this process created, where its
 * claims find it (the first one starts the multi-process claim service);
 * unlist it, once no claim in progress uses it (the last one stops it).
 */
void __vfbc_channel_creator_add(struct vfbc_channel *ch);
void __vfbc_channel_creator_remove(struct vfbc_channel *ch);

/* vfbc_channel_claim.c: the PF forgets a VF's holder (its pidfd). */
void __vfbc_channel_holder_forget(struct vfbc_channel *ch, uint16_t vf);
/* vfbc_channel_claim.c: take the claim back; the caller holds the slot lock. */
void __vfbc_channel_claim_revoke_locked(struct vfbc_channel *ch, uint16_t vf);

/* vfbc_channel_block.c: slot of block_id in VF area v, NULL if none. */
struct vfbc_channel_shm_block *__vfbc_channel_block_slot(struct vfbc_channel_shm_vf *v,
		uint32_t block_id);
/*
 * vfbc_channel_block.c: does block_id have a slot for VF vf? The creating
 * handle answers from its own copy, another handle from the VF's area.
 */
int __vfbc_channel_block_exists(const struct vfbc_channel *ch, uint16_t vf, uint32_t block_id);

/* vfbc_channel_request.c */
#define CH_RING_REQ 0
#define CH_RING_RESP 1
void __vfbc_channel_ring_corrupt(struct vfbc_channel *ch, uint16_t vf, unsigned int ring);

/* Does this handle hold the VF's claim (VF-side calls)? */
static inline int
__vfbc_channel_holds(const struct vfbc_channel *ch, uint16_t vf)
{
	uint64_t held = ch->vf[vf].held;

	return held != 0 && held == __vfbc_channel_load64_relaxed(&__vfbc_channel_vf(ch,
			vf)->consumer.claim);
}

#endif /* _VFBC_CHANNEL_INTERNAL_H_ */
