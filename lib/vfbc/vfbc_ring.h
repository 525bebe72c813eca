/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_RING_H_
#define _VFBC_RING_H_

/**
 * @file
 * @internal
 * The one ring protocol of a channel: single producer, single consumer,
 * fixed-size records, in shared memory. Not for direct inclusion: include
 * vfbc_channel.h.
 *
 * Every ring of a VF area (notify, request, response) is this ring, used
 * the same way on both sides, which is what lets one side be untrusted:
 *
 * - The shared part is two free-running 32-bit indexes on their own cache
 *   lines (prod, written by the producer only; cons, written by the
 *   consumer only), then the slots. The size is a compile-time constant of
 *   each ring kind, never read from shared memory.
 * - Each side keeps its own index in its own process memory and only
 *   publishes it: what a peer writes into the shared copy of an index that
 *   is not its own is never read back.
 * - The peer's index is read once per operation and bounded: a ring that
 *   claims more entries than its size is corrupt, and the operation is
 *   refused (-EPROTO) with nothing read or written. Any index that passes
 *   the bound addresses a slot inside the ring (through the mask), so the
 *   worst a peer can make the other side do is read garbage records from,
 *   or write records into, the peer's own ring.
 * - Nothing waits: an operation is a bounded number of loads, one copy and
 *   one store. There is no head/tail pair that a producer killed half-way
 *   could leave apart (the hang of a multi-producer rte_ring); a producer
 *   killed before its release store leaves an unpublished record, which is
 *   no record at all.
 *
 * Ordering pairs (the labels used wherever the ring is mentioned):
 *
 * - RR1 / RA1: the producer's release store of prod after the record copy
 *   (RR1) pairs with the consumer's acquire load of prod (RA1): a consumer
 *   that sees an index sees the records below it.
 * - RR2 / RA2: the consumer's release store of cons after copying a record
 *   out (RR2) pairs with the producer's acquire load of cons (RA2): a
 *   producer that sees a slot freed does not overwrite it before the copy.
 *
 * Single producer and single consumer are the callers' duty (a lock or an
 * owner of their own process); the bound makes a violation by a peer
 * harmless to the other side.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "vfbc_compat.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal
 * Shared header of a ring; the slots follow it. Each index is on its own
 * cache line: the producer's line is read by the consumer and the other way
 * round, never written by both.
 */
struct vfbc_ring_shm {
	uint32_t prod;   /**< Records ever published (producer's, free-running). */
	uint32_t rsvd0;  /**< Zero. */
	uint32_t cons __rte_cache_aligned; /**< Records ever consumed (consumer's). */
	uint32_t rsvd1;  /**< Zero. */
} __rte_cache_aligned;

VFBC_STATIC_ASSERT(sizeof(struct vfbc_ring_shm) == 2 * RTE_CACHE_LINE_SIZE, "ring header");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_ring_shm, cons) == RTE_CACHE_LINE_SIZE, "cons line");

/** @internal Bytes of a ring of size slots of esize bytes. */
#define __VFBC_RING_BYTES(size, esize) \
	(sizeof(struct vfbc_ring_shm) + (size_t)(size) * (esize))

/** @internal Slot of free-running index idx; size is a power of two. */
static __rte_always_inline void *
__vfbc_ring_slot(struct vfbc_ring_shm *r, uint32_t idx, uint32_t size, uint32_t esize)
{
	return (uint8_t *)(r + 1) + (size_t)(idx & (size - 1)) * esize;
}

/**
 * @internal
 * Publish one record. *prod is the producer's own index, in its process
 * memory. Returns 0, -ENOBUFS when the ring is full, -EPROTO when the
 * consumer's index is out of bounds (nothing written).
 */
static __rte_always_inline int
__vfbc_ring_enqueue(struct vfbc_ring_shm *r, uint32_t *prod, uint32_t size,
		const void *elem, uint32_t esize)
{
	uint32_t p = __atomic_load_n(prod, __ATOMIC_RELAXED);
	uint32_t used;

	/* RA2: pairs with RR2 in __vfbc_ring_dequeue()/__vfbc_ring_drain(). */
	used = p - __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
	if (unlikely(used >= size))
		return used == size ? -ENOBUFS : -EPROTO;
	memcpy(__vfbc_ring_slot(r, p, size, esize), elem, esize);
	__atomic_store_n(prod, p + 1, __ATOMIC_RELAXED);
	/* RR1: pairs with RA1 in __vfbc_ring_dequeue()/__vfbc_ring_count(). */
	__atomic_store_n(&r->prod, p + 1, __ATOMIC_RELEASE);
	return 0;
}

/**
 * @internal
 * Take one record. *cons is the consumer's own index. The record is copied
 * out before the slot is released: checks and use see the same bytes.
 * Returns 0, -ENOENT when empty, -EPROTO when the producer's index is out
 * of bounds (nothing read or consumed).
 */
static __rte_always_inline int
__vfbc_ring_dequeue(struct vfbc_ring_shm *r, uint32_t *cons, uint32_t size,
		void *elem, uint32_t esize)
{
	uint32_t c = __atomic_load_n(cons, __ATOMIC_RELAXED);
	uint32_t n;

	/* RA1: pairs with RR1 in __vfbc_ring_enqueue(). */
	n = __atomic_load_n(&r->prod, __ATOMIC_ACQUIRE) - c;
	if (n == 0)
		return -ENOENT;
	if (unlikely(n > size))
		return -EPROTO;
	memcpy(elem, __vfbc_ring_slot(r, c, size, esize), esize);
	__atomic_store_n(cons, c + 1, __ATOMIC_RELAXED);
	/* RR2: pairs with RA2 in __vfbc_ring_enqueue(). */
	__atomic_store_n(&r->cons, c + 1, __ATOMIC_RELEASE);
	return 0;
}

/**
 * @internal
 * Consume every record without reading it (for rings whose records are
 * hints). Returns the number of records consumed, or -EPROTO when the
 * producer's index is out of bounds (nothing consumed).
 */
static __rte_always_inline int
__vfbc_ring_drain(struct vfbc_ring_shm *r, uint32_t *cons, uint32_t size)
{
	uint32_t p, n;

	/* RA1: pairs with RR1 in __vfbc_ring_enqueue(). */
	p = __atomic_load_n(&r->prod, __ATOMIC_ACQUIRE);
	n = p - __atomic_load_n(cons, __ATOMIC_RELAXED);
	if (n == 0)
		return 0;
	if (unlikely(n > size))
		return -EPROTO;
	__atomic_store_n(cons, p, __ATOMIC_RELAXED);
	/* RR2: pairs with RA2 in __vfbc_ring_enqueue(). */
	__atomic_store_n(&r->cons, p, __ATOMIC_RELEASE);
	return (int)n;
}

/**
 * @internal
 * Resynchronise a consumer whose producer's index is out of bounds (a
 * consumer that trusts its producer, and finds it corrupt, starts over):
 * everything up to the producer's index counts as consumed. Returns 1.
 */
static inline int
__vfbc_ring_skip(struct vfbc_ring_shm *r, uint32_t *cons)
{
	uint32_t p;

	/* RA1: pairs with RR1 in __vfbc_ring_enqueue(). */
	p = __atomic_load_n(&r->prod, __ATOMIC_ACQUIRE);
	__atomic_store_n(cons, p, __ATOMIC_RELAXED);
	/* RR2: pairs with RA2 in __vfbc_ring_enqueue(). */
	__atomic_store_n(&r->cons, p, __ATOMIC_RELEASE);
	return 1;
}

/**
 * @internal
 * Records waiting, as the consumer sees them: 0..size, or -EPROTO when
 * the producer's index is out of bounds. A hint: the producer may add more
 * at any time.
 */
static __rte_always_inline int
__vfbc_ring_count(const struct vfbc_ring_shm *r, uint32_t cons, uint32_t size)
{
	uint32_t n;

	/* RA1: pairs with RR1 in __vfbc_ring_enqueue(). */
	n = __atomic_load_n(&r->prod, __ATOMIC_ACQUIRE) - cons;
	return n > size ? -EPROTO : (int)n;
}

/**
 * @internal
 * Make the ring empty at index idx, as its owner (one who is at that moment
 * both its only producer and its only consumer: nobody else publishes).
 * Both shared indexes are rewritten; each side then starts from idx.
 */
static inline void
__vfbc_ring_reset(struct vfbc_ring_shm *r, uint32_t idx)
{
	/*
	 * RR1 and RR2 at once: a producer or consumer that starts after the
	 * reset reads an index at least this new.
	 */
	__atomic_store_n(&r->cons, idx, __ATOMIC_RELEASE);
	__atomic_store_n(&r->prod, idx, __ATOMIC_RELEASE);
}

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_RING_H_ */
