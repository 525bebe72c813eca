/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_INTERNAL_H_
#define _VFBC_CHANNEL_INTERNAL_H_

/*
 * Between the library's own source files: not installed, not exported.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_memzone.h>
#include <rte_seqlock.h>

#include "vfbc_channel.h"

/* Claim word: epoch in the high 32 bits, holder pid in the low 32. */
#define CH_CLAIM_PID_MASK UINT64_C(0xffffffff)
#define CH_CLAIM_EPOCH_SHIFT 32

/* Where everything is, for a given number of VFs. */
struct vfbc_channel_geometry {
	uint64_t size;          /* Memzone bytes (header and every VF area). */
	uint64_t vf_area_off;   /* VF 0's area, from the memzone start. */
	uint32_t vf_size;       /* Bytes of one VF area (the stride). */
	uint32_t notify_ring_off;
	uint32_t req_ring_off;
	uint32_t resp_ring_off;
};

/* vfbc_channel.c: the geometry for nb_vfs VFs; 0, or -EINVAL. */
int __vfbc_channel_geometry(uint16_t nb_vfs, struct vfbc_channel_geometry *g);
/* vfbc_channel.c: memzone name of channel name; sets rte_errno and returns -1 when invalid. */
int __vfbc_channel_mz_name(const char *name, char *mz_name, size_t size);
/*
 * vfbc_channel.c: the checks of a creation (name, nb_vfs, a primary): 0
 * with mz_name (RTE_MEMZONE_NAMESIZE bytes) and *g set, or -1 with rte_errno.
 */
int __vfbc_channel_create_check(const char *name, uint16_t nb_vfs, char *mz_name,
		struct vfbc_channel_geometry *g);
/*
 * vfbc_channel.c: a handle (creator: with the PF's state). With base, every
 * VF's area is where the geometry puts it from base; without, the caller
 * fills ch->areas.
 */
struct vfbc_channel *__vfbc_channel_handle(uint8_t *base, const struct rte_memzone *mz,
		const char *mz_name, uint16_t nb_vfs, const struct vfbc_channel_geometry *g,
		int creator);
void __vfbc_channel_handle_free(struct vfbc_channel *ch);
/*
 * vfbc_channel.c: lay a new channel out (VFBC_CHANNEL_F_* flags), its VF
 * areas reachable through ch->areas; stores the header's magic last.
 */
void __vfbc_channel_init(struct vfbc_channel *ch, const struct vfbc_channel_geometry *g,
		uint32_t flags);
/* vfbc_channel.c: a VF's area as a new channel has it (over zeroed memory). */
void __vfbc_channel_init_vf(struct vfbc_channel *ch, uint16_t vf);
void __vfbc_channel_init_area(struct vfbc_channel_shm_vf *v);

/*
 * vfbc_channel_unmap.c: guard a handle of another process's memzone (len
 * bytes from ch->base) against EAL unmapping it: 0 (nothing to guard
 * against in legacy memory) or a negative errno; and take a handle out.
 */
int __vfbc_channel_guard(struct vfbc_channel *ch, size_t len);
void __vfbc_channel_unguard(struct vfbc_channel *ch);
/*
 * vfbc_channel_unmap.c: the creator frees its channel: this process's
 * attached handles of it are gone from now on, their reads waited for.
 */
void __vfbc_channel_unmap(const struct vfbc_channel *ch);

/* vfbc_channel_region.c: a handle's regions unmapped and their files closed. */
void __vfbc_channel_regions_free(struct vfbc_channel *ch);
/*
 * vfbc_channel_region.c: a new region file for VF vf, mapped at *map, made
 * outside any lock (its descriptor, or -errno); thrown away unused.
 */
int __vfbc_channel_region_prepare(const struct vfbc_channel *ch, uint16_t vf, uint8_t **map);
void __vfbc_channel_region_discard(const struct vfbc_channel *ch, int fd, uint8_t *map);
/*
 * vfbc_channel_region.c: give VF vf of an isolated channel the prepared
 * file (fd, map), built from the PF's own state, in place of the one its
 * former holders may still map (slot lock held). 0, or a negative errno
 * with the old region still in place; fd and map are consumed either way.
 */
int __vfbc_channel_region_renew(struct vfbc_channel *ch, uint16_t vf, int fd, uint8_t *map);

/*
 * vfbc_channel_block.c: write every block the PF stored for VF vf into
 * area v (block lock held): the VF's copies, rebuilt from the PF's.
 */
void __vfbc_channel_blocks_publish(struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_shm_vf *v);

/*
 * vfbc_channel_life.c: post a life event (cause, or VFBC_CHANNEL_LIFE_NONE
 * for a state change alone) with the slot lock held; write the PF's copy
 * of VF vf's life into area v (a renewed region's, slot lock held).
 */
void __vfbc_channel_life_post_locked(struct vfbc_channel *ch, uint16_t vf, int cause,
		uint32_t clear, uint32_t set);
void __vfbc_channel_life_publish(struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_shm_vf *v);

/*
 * vfbc_channel_claim_ask.c: list a channel this process created, where its
 * claims find it (the first one starts the multi-process claim service);
 * unlist it, once no claim in progress uses it (the last one stops it).
 */
void __vfbc_channel_creator_add(struct vfbc_channel *ch);
void __vfbc_channel_creator_remove(struct vfbc_channel *ch);

/*
 * vfbc_channel_summary.c: the creator gives its channel a slot of the
 * service summary (none: ch->summary_slot -1) before the header is
 * written, and gives it back at the free; an attacher maps the summary
 * (none: ch->summary_rung NULL). A post that rang a doorbell word from 0
 * marks the channel (old_word: the word before); the creator's scan takes
 * its mark, and writes the header's slot back if a consumer changed it.
 */
void __vfbc_channel_summary_join(struct vfbc_channel *ch);
void __vfbc_channel_summary_leave(struct vfbc_channel *ch);
void __vfbc_channel_summary_attach(struct vfbc_channel *ch);
void __vfbc_channel_summary_ring(struct vfbc_channel *ch, uint64_t old_word);
void __vfbc_channel_summary_scan(struct vfbc_channel *ch);

/* vfbc_channel_claim.c: the PF forgets a VF's holder (its pidfd). */
void __vfbc_channel_holder_forget(struct vfbc_channel *ch, uint16_t vf);
/* vfbc_channel_claim.c: take the claim back; the caller holds the slot lock. */
void __vfbc_channel_claim_revoke_locked(struct vfbc_channel *ch, uint16_t vf);
/*
 * What a proof was checked against: the slot's address generation, the
 * verifier's sequence, and whether there was a verifier. The grant (slot
 * lock held) refuses a proof any of them outdated.
 */
struct vfbc_channel_proof {
	uint32_t gen;
	uint32_t seq;
	int verified;
};
/* The proof of a claim (or of a wake socket's request): 0 or -EACCES. */
int __vfbc_channel_proof_check(struct vfbc_channel *ch, uint16_t vf, int32_t pid,
		int proof_fd, int proof_fdnum, struct vfbc_channel_proof *proof);
/* Is a proof checked before still good? Slot lock held. */
int __vfbc_channel_proof_current(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_channel_proof *proof);

/*
 * vfbc_channel_wake.c: a socket the PF reads refuses descriptors (Linux
 * 6.16, SO_PASSRIGHTS; older kernels: logged, left to trust): a file whose
 * last reference a read drops is closed in the reading thread, and a
 * sender could pass one whose close blocks.
 */
void __vfbc_channel_refuse_rights(int fd, const char *what);
/* vfbc_channel_wake.c: sleep mode, the PF's side. */
int __vfbc_channel_wake_open(struct vfbc_channel *ch, uint16_t vf, int32_t pid,
		int proof_fd, int proof_fdnum);
int __vfbc_channel_wake_take(struct vfbc_channel *ch, uint16_t vf);

/* vfbc_channel_service.c: the service's sleep. */
void __vfbc_channel_service_add(struct vfbc_channel *ch, uint16_t vf, int fd);
/*
 * A post of VF vf was published (P1): wake a sleeping service (P2, P3). 1:
 * the creator is to be woken (__vfbc_channel_service_wake_creator(), out of
 * the read section: it may ask by name).
 */
int __vfbc_channel_service_wake(struct vfbc_channel *ch, uint16_t vf);
int __vfbc_channel_service_wake_take(struct vfbc_channel_vf_vf *cv);
/* Another process's wake of a shared channel's service, by its socket: 0 or -errno. */
int __vfbc_channel_service_wake_send(const struct vfbc_channel *ch);
/* The creator's service socket, closed and unlinked (its handle's free). */
void __vfbc_channel_service_close(struct vfbc_channel *ch);
/* vfbc_channel_claim_ask.c: wake the creator's sleeping service, here or over rte_mp. */
void __vfbc_channel_service_wake_creator(const struct vfbc_channel *ch);

/*
 * vfbc_channel_block.c: the even sequence (*sn) of a seqlock a reader copies
 * under, waiting for a writer inside at most VFBC_CHANNEL_READ_WAIT_US from
 * the first wait (*deadline, 0 before it): 0, or -EAGAIN.
 */
int __vfbc_channel_seq_begin(const rte_seqlock_t *lock, uint64_t *deadline, uint32_t *sn);

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

/*
 * The creator tells the consumers' watches to look: after a life post, a
 * grant, a revoke, and before it frees the channel (callers: after what
 * they publish). An add on a word any process can write: its value
 * decides nothing here, and a reader that misses a change because a VF
 * froze the word finds it at its own slow full look.
 */
static inline void
__vfbc_channel_life_gen_bump(struct vfbc_channel *ch)
{
	if (ch->base == NULL)
		return;
	/*
	 * LG1: pairs with LG2 in vfbc_channel_life_gen(): a reader that sees
	 * this add (or a later one: a release sequence) sees what the caller
	 * published before it.
	 */
	__atomic_fetch_add(&((struct vfbc_channel_shm_hdr *)ch->base)->life_gen, 1,
			__ATOMIC_RELEASE);
}

/* Does this handle hold the VF's claim (VF-side calls)? Not once its memory is gone. */
static inline int
__vfbc_channel_holds(const struct vfbc_channel *ch, uint16_t vf)
{
	/* Atomic: the claim and release of another thread store it (relaxed). */
	uint64_t held = __atomic_load_n(&ch->vf[vf].held, __ATOMIC_RELAXED);
	int ret;

	if (held == 0 || __vfbc_channel_enter(ch) < 0)
		return 0;
	ret = held == __vfbc_channel_load64_relaxed(&__vfbc_channel_vf(ch, vf)->consumer.claim);
	__vfbc_channel_leave(ch);
	return ret;
}

#endif /* _VFBC_CHANNEL_INTERNAL_H_ */
