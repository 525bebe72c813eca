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

#include <stdint.h>

#include <rte_common.h>
#include <rte_memzone.h>
#include <rte_ring_elem.h>

#include "vfbc_channel_layout.h"

#ifdef __cplusplus
extern "C" {
#endif

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
	return __atomic_compare_exchange_n(p, expected, desired, 0,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_PVT_H_ */
