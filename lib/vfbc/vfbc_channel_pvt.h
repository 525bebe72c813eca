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
#include <rte_ring_elem.h>
#include <rte_spinlock.h>

#include "vfbc_channel_layout.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal
 * Process-local state of the PF side of one VF. The locks live here, not
 * in the memzone: a VF can write any word of its own area, and a lock word
 * it holds would stop the PF.
 */
struct vfbc_ch_local_vf {
	rte_spinlock_t resp_lock;  /**< Producers of the response ring. */
	rte_spinlock_t block_lock; /**< Block writers and extra-slot binders. */
	uint32_t corrupt_logged;   /**< Bit per ring: corruption already logged. */
};

/** @internal Ring masks: compile-time, never read from the ring headers. */
#define __VFBC_CH_NOTIFY_MASK (VFBC_CHANNEL_NOTIFY_RING_SIZE - 1)
#define __VFBC_CH_REQ_MASK (VFBC_CHANNEL_REQ_RING_SIZE - 1)
#define __VFBC_CH_RESP_MASK (VFBC_CHANNEL_RESP_RING_SIZE - 1)

/**
 * @internal
 * Process-local handle of a channel. Every offset here was computed by this
 * process from nb_vfs and checked against the header at attach: the fast
 * path never follows an offset read from shared memory, which a peer could
 * have changed.
 */
struct vfbc_channel {
	uint8_t *base;                 /**< Memzone start in this process. */
	const struct rte_memzone *mz;  /**< The channel memzone. */
	uint64_t vf_area_off;          /**< Offset of VF 0's area. */
	uint32_t vf_size;              /**< Bytes per VF area. */
	uint32_t notify_ring_off;      /**< Notify ring, from the VF area. */
	uint32_t req_ring_off;         /**< Request ring, from the VF area. */
	uint32_t resp_ring_off;        /**< Response ring, from the VF area. */
	uint16_t nb_vfs;               /**< VFs served. */
	uint16_t creator;              /**< 1: this handle created the memzone. */
	char name[RTE_MEMZONE_NAMESIZE]; /**< Memzone name. */
	struct vfbc_ch_local_vf *local; /**< nb_vfs entries, this process only. */
};

/** @internal Channel header. */
static inline struct vfbc_ch_shm_hdr *
__vfbc_ch_hdr(const struct vfbc_channel *ch)
{
	return (struct vfbc_ch_shm_hdr *)ch->base;
}

/** @internal Fixed part of VF vf's area; vf must be < nb_vfs. */
static inline struct vfbc_ch_shm_vf *
__vfbc_ch_vf(const struct vfbc_channel *ch, uint16_t vf)
{
	return (struct vfbc_ch_shm_vf *)(ch->base + ch->vf_area_off +
			(uint64_t)vf * ch->vf_size);
}

/** @internal A ring of VF vf's area, at offset off from the area start. */
static inline struct rte_ring *
__vfbc_ch_ring(const struct vfbc_channel *ch, uint16_t vf, uint32_t off)
{
	return (struct rte_ring *)((uint8_t *)__vfbc_ch_vf(ch, vf) + off);
}

/** @internal Relaxed counter increment: statistics only, orders nothing. */
static inline void
__vfbc_ch_count(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/** @internal Relaxed 64-bit load (statistics, hints). */
static inline uint64_t
__vfbc_ch_load64_relaxed(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/** @internal Relaxed 32-bit load. */
static inline uint32_t
__vfbc_ch_load32_relaxed(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/** @internal Relaxed 32-bit store. */
static inline void
__vfbc_ch_store32_relaxed(uint32_t *p, uint32_t v)
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
__vfbc_ch_or64_sc(uint64_t *p, uint64_t v)
{
	(void)__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 64-bit load. */
static inline uint64_t
__vfbc_ch_load64_sc(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 64-bit exchange (xchg: wait-free). */
static inline uint64_t
__vfbc_ch_xchg64_sc(uint64_t *p, uint64_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 32-bit load. */
static inline uint32_t
__vfbc_ch_load32_sc(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 32-bit store. */
static inline void
__vfbc_ch_store32_sc(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Sequentially consistent 32-bit exchange. */
static inline uint32_t
__vfbc_ch_xchg32_sc(uint32_t *p, uint32_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/** @internal Release OR (doorbell bits: publishes an enqueued request). */
static inline void
__vfbc_ch_or64_release(uint64_t *p, uint64_t v)
{
	(void)__atomic_fetch_or(p, v, __ATOMIC_RELEASE);
}

/** @internal Acquire exchange (doorbell words: takes the published requests). */
static inline uint64_t
__vfbc_ch_xchg64_acquire(uint64_t *p, uint64_t v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_ACQUIRE);
}

/** @internal Acquire 32-bit load. */
static inline uint32_t
__vfbc_ch_load32_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/** @internal Release 32-bit store. */
static inline void
__vfbc_ch_store32_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/** @internal Acquire 64-bit load. */
static inline uint64_t
__vfbc_ch_load64_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/** @internal Release 64-bit store. */
static inline void
__vfbc_ch_store64_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/** @internal Strong acquire-release compare-and-swap; 1 on success. */
static inline int
__vfbc_ch_cas64(uint64_t *p, uint64_t *expected, uint64_t desired)
{
	/* R7 (claim word): the release half pairs with A7 in the next holder. */
	return __atomic_compare_exchange_n(p, expected, desired, 0,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/*
 * PF-side ring operations.
 *
 * The rings keep rte_ring's memory layout (struct rte_ring, then the slots;
 * 32-bit free-running prod.head/tail and cons.head/tail; slot i at
 * (i & mask) * esize bytes after the header) so that the VF side uses
 * rte_ring's own SC dequeue and SP/MP enqueue on them. The PF side must not:
 * rte_ring reads the size, mask and capacity from the ring header, which is
 * in the VF's area, and its multi-producer tail update waits for prod.tail,
 * a word the VF can write. So the PF side:
 *
 * - uses the compile-time masks above (capacity = mask: rings are created
 *   without RING_F_EXACT_SZ, checked at attach);
 * - is single-producer or single-consumer on each ring (the notify ring's
 *   producer is the arm holder, the response ring's is serialised by
 *   resp_lock, the request ring has one dequeuer per VF at a time), so it
 *   never waits for another party's index;
 * - bounds every index it reads: a ring that claims more entries than its
 *   capacity is corrupt, and the operation is refused (-EPROTO) with
 *   nothing read or written. Any index the bound admits addresses a slot
 *   inside the ring through the mask, so the worst a VF obtains is garbage
 *   in its own rings.
 */

/** @internal Slot of index idx of a ring of esize-byte elements. */
static inline void *
__vfbc_ch_ring_slot(struct rte_ring *r, uint32_t idx, uint32_t mask, uint32_t esize)
{
	return (uint8_t *)(r + 1) + (size_t)(idx & mask) * esize;
}

/**
 * @internal
 * Single-producer enqueue of one element, on the PF side. The caller is
 * the ring's only producer. 0, -ENOBUFS when full, -EPROTO when the
 * indexes are out of bounds (nothing written).
 */
static __rte_always_inline int
__vfbc_ch_ring_sp_enqueue(struct rte_ring *r, uint32_t mask, const void *elem,
		uint32_t esize)
{
	uint32_t head;
	uint32_t used;

	/* Only this producer writes prod.head; the VF may, hence the bound. */
	head = __atomic_load_n(&r->prod.head, __ATOMIC_RELAXED);
	/*
	 * A8: pairs with the consumer's release store of cons.tail (rte_ring's
	 * __rte_ring_update_tail, its R0): the slots it freed were copied out
	 * before this producer overwrites them.
	 */
	used = head - __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
	if (unlikely(used >= mask))
		return used == mask ? -ENOBUFS : -EPROTO;
	memcpy(__vfbc_ch_ring_slot(r, head, mask, esize), elem, esize);
	__atomic_store_n(&r->prod.head, head + 1, __ATOMIC_RELAXED);
	/*
	 * R8: pairs with the consumer's acquire load of prod.tail (rte_ring's
	 * __rte_ring_move_cons_head, its A4): the element is in the slot
	 * before the index that shows it.
	 */
	__atomic_store_n(&r->prod.tail, head + 1, __ATOMIC_RELEASE);
	return 0;
}

/**
 * @internal
 * Single-consumer dequeue of one element, on the PF side. The caller is
 * the ring's only consumer. 0, -ENOENT when empty, -EPROTO when the
 * indexes are out of bounds (nothing read or consumed).
 */
static inline int
__vfbc_ch_ring_sc_dequeue(struct rte_ring *r, uint32_t mask, void *elem, uint32_t esize)
{
	uint32_t head;
	uint32_t n;

	head = __atomic_load_n(&r->cons.head, __ATOMIC_RELAXED);
	/*
	 * A9: pairs with the producer's release store of prod.tail (rte_ring's
	 * __rte_ring_update_tail, its R0): the elements up to it are written.
	 */
	n = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE) - head;
	if (n == 0)
		return -ENOENT;
	if (unlikely(n > mask))
		return -EPROTO;
	/* Copied out: whatever the VF writes into the slot later is not used. */
	memcpy(elem, __vfbc_ch_ring_slot(r, head, mask, esize), esize);
	__atomic_store_n(&r->cons.head, head + 1, __ATOMIC_RELAXED);
	/*
	 * R9: pairs with the producer's acquire load of cons.tail (rte_ring's
	 * __rte_ring_move_prod_head, its A1): the copy is done before the
	 * producer may reuse the slot.
	 */
	__atomic_store_n(&r->cons.tail, head + 1, __ATOMIC_RELEASE);
	return 0;
}

/**
 * @internal
 * Entries the consumer side of the PF sees (request ring): 0..mask, or
 * -EPROTO when the indexes are out of bounds. A hint: the producer may add
 * more at any time.
 */
static inline int
__vfbc_ch_ring_entries(struct rte_ring *r, uint32_t mask)
{
	uint32_t n;

	/* A9 (as in the dequeue): a count, but cheap to make an acquire. */
	n = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE) -
			__atomic_load_n(&r->cons.head, __ATOMIC_RELAXED);
	return n > mask ? -EPROTO : (int)n;
}

/**
 * @internal
 * Free slots the producer side of the PF sees (response ring): 0..mask, or
 * -EPROTO when the indexes are out of bounds. A hint: the consumer may free
 * more at any time.
 */
static inline int
__vfbc_ch_ring_free(struct rte_ring *r, uint32_t mask)
{
	uint32_t used;

	/* A8 (as in the enqueue). */
	used = __atomic_load_n(&r->prod.head, __ATOMIC_RELAXED) -
			__atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
	return used > mask ? -EPROTO : (int)(mask - used);
}

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_PVT_H_ */
