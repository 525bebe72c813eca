/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_PVT_H_
#define _VFBC_CHANNEL_PVT_H_

/**
 * @file
 * @internal
 * Process-local channel handle and inline helpers of the fast path.
 * Not for direct inclusion: include vfbc_channel.h.
 *
 * Every atomic access of the library goes through the helpers below, so a
 * later move to rte_stdatomic.h touches this file only.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_memzone.h>
#include <rte_pci.h>
#include <rte_spinlock.h>

#include "vfbc_channel_layout.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal
 * The PF's own copy of one block slot of a VF (creating handle only): what
 * the PF reads back and what decides the extra slots' ids. The shared slot
 * is the VF's copy, which a VF may scribble on.
 */
struct vfbc_channel_pf_block {
	uint32_t block_id;  /**< Block id (extra slots: the id bound to it). */
	uint32_t len;       /**< Bytes of data. */
	uint32_t valid;     /**< 1: written (extra slots: bound). */
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE]; /**< Contents. */
};

/**
 * @internal
 * Process-local state of the PF side of one VF, in the creating handle.
 * The locks and the ring indexes the PF owns live here, not in the shared
 * area: a VF can write any word of its own area, and a lock word it holds
 * would stop the PF, an index it rewrites would steer the PF's copies.
 */
struct vfbc_channel_pf_vf {
	/**
	 * The slot: its request-ring consumer index, its response-ring
	 * producer index and its claim grants. Held for a bounded number of
	 * steps, never across a call out of the library.
	 */
	rte_spinlock_t slot_lock;
	rte_spinlock_t block_lock; /**< Block writers and readers, extra-slot binders. */
	/** The PF's copy of every block slot; NULL until the first write. */
	struct vfbc_channel_pf_block *blocks;
	uint32_t notify_prod;      /**< Notify ring: the arm holder's index. */
	uint32_t req_cons;         /**< Request ring: the service's index. */
	uint32_t resp_prod;        /**< Response ring: the responders' index. */
	uint32_t corrupt_logged;   /**< Bit per ring: corruption already logged. */
	uint64_t verified;         /**< Claim word granted and served; 0: none. */
	int holder_pidfd;          /**< pidfd of the granted holder, -1: none. */
	uint64_t takeover_log_tsc; /**< When a takeover was last logged (TSC). */
	uint32_t takeovers_unlogged; /**< Takeovers since, over the log limit. */
	uint32_t addr_valid;       /**< 1: addr is the VF of this slot. */
	struct rte_pci_addr addr;  /**< The VF's address, as the PF published it. */
	/** Bumped when the slot's VF goes away or changes: a claim checked before is void. */
	uint32_t addr_gen;
	/**
	 * Bumped at every grant and revoke: an answer to a request dequeued
	 * under an earlier grant is not the current holder's.
	 */
	uint32_t grant_seq;
	/** The next grant publishes a resync (a revoke took the claim away). */
	uint32_t resync_due;
	/**
	 * Requests dequeued and not answered yet (an entry is never evicted:
	 * the slot is not served while all are taken), ids unique among them.
	 */
	struct {
		uint32_t req_id;
		uint32_t grant_seq;  /**< grant_seq when it was dequeued. */
	} inflight[VFBC_CHANNEL_INFLIGHT_MAX];
	uint32_t inflight_live;      /**< Bit i: inflight[i] is dequeued, not answered. */
	/** Isolated channel: a grant handed the region out (a holder may map it). */
	uint32_t region_granted;
	/** Isolated channel: renewed since the last grant (no holder maps it). */
	uint32_t region_fresh;
	/**
	 * The VF's life as the PF posted it (slot lock): the life lines are
	 * written, and a renewed region's rebuilt, from this copy only.
	 */
	uint64_t grants;          /**< Claims granted (slot lock). */
	uint64_t dead_takeovers;  /**< ... of them taken over from a holder (slot lock). */
	uint32_t life_sn;         /**< Sequence of the lines' last write (even). */
	uint32_t life_seq;
	uint32_t life_state;
	uint32_t life_count[VFBC_CHANNEL_LIFE_NB_CAUSES];
	uint32_t life_log[VFBC_CHANNEL_LIFE_LOG_SIZE];
};

/**
 * @internal
 * Process-local state of the VF side of one VF, in any handle that claimed
 * it (usually an attached one, in the consumer's process).
 */
struct vfbc_channel_vf_vf {
	uint64_t held;            /**< Claim word this handle holds; 0: none. */
	rte_spinlock_t lock;      /**< Producers of the request ring, here. */
	uint32_t req_prod;        /**< Request ring: this consumer's index. */
	uint32_t resp_cons;       /**< Response ring: this consumer's index. */
	uint32_t notify_cons;     /**< Notify ring: this consumer's index. */
};

/**
 * @internal
 * Process-local handle of a channel. Every offset here was computed by this
 * process from nb_vfs and checked against the header at attach: the fast
 * path never follows an offset read from shared memory, which a peer could
 * have changed.
 */
struct vfbc_channel {
	/**
	 * Fixed part of each VF's area in this process (nb_vfs entries); NULL
	 * for a VF this handle does not reach (a region handle reaches one).
	 */
	uint8_t **areas;
	/** Channel header in this process; NULL: a region's handle. */
	uint8_t *base;
	const struct rte_memzone *mz;  /**< The channel memzone; NULL: caller's memory. */
	uint64_t vf_area_off;          /**< Offset of VF 0's area. */
	uint32_t vf_size;              /**< Bytes per VF area. */
	uint32_t notify_ring_off;      /**< Notify ring, from the VF area. */
	uint32_t req_ring_off;         /**< Request ring, from the VF area. */
	uint32_t resp_ring_off;        /**< Response ring, from the VF area. */
	uint16_t nb_vfs;               /**< VFs served. */
	uint16_t creator;              /**< 1: this handle created the channel (the PF). */
	/** Creator: 1 if the CPU has PREFETCHW (see __vfbc_channel_prefetchw()). */
	uint16_t prefetchw;
	/** Creator: checks claim proofs (NULL: no proof needed). */
	int (*claim_verify)(const struct vfbc_channel *ch, uint16_t vf,
			const struct rte_pci_addr *addr, int proof_fd, void *arg);
	void *claim_verify_arg;        /**< Its argument. */
	char name[RTE_MEMZONE_NAMESIZE]; /**< Memzone name. */
	struct vfbc_channel_pf_vf *pf;      /**< Creator: nb_vfs entries; NULL otherwise. */
	struct vfbc_channel_vf_vf *vf;      /**< nb_vfs entries (consumer side). */
	struct vfbc_channel *next;     /**< Creator: this process's list of channels. */
	uint32_t users;                /**< Creator: claims in progress through the list. */
	uint64_t incarnation;          /**< The header's, at attach. */
	uint32_t creator_pid;          /**< The header's, at attach or create. */
	uint16_t isolated;             /**< 1: each VF's area is its own memory file. */
	uint16_t scan_next;            /**< Isolated creator: next VF the doorbell scan reads. */
	/**
	 * Isolated creator: bit vf set while VF vf has a granted claim (the
	 * VFs the doorbell scan reads), PF-private.
	 */
	uint64_t granted_map[VFBC_CHANNEL_DOORBELL_WORDS];
	/**
	 * Isolated channel: the memory file of each VF's area (nb_vfs entries,
	 * -1 where this handle has none), and each mapping's length.
	 */
	int *region_fds;
	size_t region_len;
};

/** @internal Channel header. */
static inline struct vfbc_channel_shm_hdr *
__vfbc_channel_hdr(const struct vfbc_channel *ch)
{
	return (struct vfbc_channel_shm_hdr *)ch->base;
}

/** @internal Fixed part of VF vf's area; vf must pass __vfbc_channel_vf_bad(). */
static inline struct vfbc_channel_shm_vf *
__vfbc_channel_vf(const struct vfbc_channel *ch, uint16_t vf)
{
	return (struct vfbc_channel_shm_vf *)ch->areas[vf];
}

/**
 * @internal
 * 1 if this handle does not reach VF vf: out of range, or another VF's
 * region (the bound every call checks before __vfbc_channel_vf()).
 */
static inline int
__vfbc_channel_vf_bad(const struct vfbc_channel *ch, uint16_t vf)
{
	return vf >= ch->nb_vfs || ch->areas[vf] == NULL;
}

/** @internal A ring of VF vf's area, at offset off from the area start. */
static inline struct vfbc_ring_shm *
__vfbc_channel_ring(const struct vfbc_channel *ch, uint16_t vf, uint32_t off)
{
	return (struct vfbc_ring_shm *)((uint8_t *)__vfbc_channel_vf(ch, vf) + off);
}

/** @internal Relaxed counter increment: statistics only, orders nothing. */
static inline void
__vfbc_channel_count(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/** @internal Relaxed 64-bit load (statistics, hints). */
static inline uint64_t
__vfbc_channel_load64_relaxed(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/** @internal Relaxed 32-bit load. */
static inline uint32_t
__vfbc_channel_load32_relaxed(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/** @internal Relaxed 32-bit store. */
static inline void
__vfbc_channel_store32_relaxed(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/**
 * @internal
 * Sequentially consistent OR whose old value is not used: one `lock or` on
 * x86 (wait-free), a single LSE `stset` on Armv8.1. Being a release, it
 * publishes the caller's earlier stores (block data) to whoever acquires
 * the word.
 */
static inline void
__vfbc_channel_or64_sc(uint64_t *p, uint64_t v)
{
	(void)__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 64-bit load. */
static inline uint64_t
__vfbc_channel_load64_sc(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 64-bit exchange (xchg: wait-free). */
static inline uint64_t
__vfbc_channel_xchg64_sc(uint64_t *p, uint64_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/**
 * @internal
 * The value a grant stores in the resync flag: the epoch of its claim word
 * (the word's high half), never 0. A poll that lost its claim gives the
 * flag back only when it was a later grant's, not the one it held.
 */
static inline uint32_t
__vfbc_channel_resync_tag(uint64_t claim_word)
{
	uint32_t epoch = (uint32_t)(claim_word >> 32);

	return epoch != 0 ? epoch : 1;
}

/** @internal Sequentially consistent 64-bit store. */
static inline void
__vfbc_channel_store64_sc(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 32-bit load. */
static inline uint32_t
__vfbc_channel_load32_sc(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 32-bit store. */
static inline void
__vfbc_channel_store32_sc(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 32-bit exchange. */
static inline uint32_t
__vfbc_channel_xchg32_sc(uint32_t *p, uint32_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Release OR (doorbell bits: publishes an enqueued request). */
static inline void
__vfbc_channel_or64_release(uint64_t *p, uint64_t v)
{
	(void)__atomic_fetch_or(p, v, __ATOMIC_RELEASE);
}

/** @internal Acquire exchange (doorbell words: takes the published requests). */
static inline uint64_t
__vfbc_channel_xchg64_acquire(uint64_t *p, uint64_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_ACQUIRE);
}

/** @internal Acquire 32-bit load. */
static inline uint32_t
__vfbc_channel_load32_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/** @internal Release 32-bit store. */
static inline void
__vfbc_channel_store32_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/** @internal Acquire 64-bit load. */
static inline uint64_t
__vfbc_channel_load64_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/** @internal Release 64-bit store. */
static inline void
__vfbc_channel_store64_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/**
 * @internal
 * Strong acquire-release compare-and-swap of the claim word; 1 on success.
 * CR1 / CA1: the release half (CR1) pairs with the acquire loads of the
 * claim word (CA1) by whoever sees the new value next.
 */
static inline int
__vfbc_channel_cas64(uint64_t *p, uint64_t *expected, uint64_t desired)
{
	return __atomic_compare_exchange_n(p, expected, desired, 0,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/** @internal Ring masks: compile-time sizes, never read from the ring. */
#define __VFBC_CHANNEL_NOTIFY_SIZE VFBC_CHANNEL_NOTIFY_RING_SIZE
#define __VFBC_CHANNEL_REQ_SIZE VFBC_CHANNEL_REQ_RING_SIZE
#define __VFBC_CHANNEL_RESP_SIZE VFBC_CHANNEL_RESP_RING_SIZE

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_PVT_H_ */
