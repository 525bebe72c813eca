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
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_memzone.h>
#include <rte_lcore.h>
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
	uint32_t verified_seq;     /**< The verifier's verify_seq at that grant. */
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
	/** The service does not read the ring now (vfbc_channel_service_hold()): no work. */
	uint32_t svc_hold;
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
	/**
	 * Sleep mode: the PF's end of the holder's wake socket, -1: none
	 * (set and cleared under the slot lock, then this lock); the wakes
	 * sent on it, and those the socket refused (the holder reads none).
	 */
	rte_spinlock_t wake_lock;
	int wake_fd;
	uint64_t wakeups;
	uint64_t wakeups_refused;
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
	/**
	 * Isolated holder: its wake socket (a duplicate, this handle's), on
	 * which a post wakes the PF's sleeping service; -1: none. Under lock.
	 */
	int svc_wake_fd;
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
	/** Creator: the verifier and its argument are set and read under it. */
	rte_spinlock_t verify_lock;
	/** Creator: bumped when the verifier changes: a proof checked before is void. */
	uint32_t verify_seq;
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
	 * The service summary's bits; NULL: this handle marks nothing (an
	 * isolated channel, caller's memory, no summary).
	 */
	uint64_t *summary_rung;
	/**
	 * Creator: the channel's slot, from the creator's own memory; -1:
	 * none. An attacher reads the header's at each mark (the creator
	 * writes it back there if a consumer changed it).
	 */
	int16_t summary_slot;
	uint8_t summary_healed;        /**< Creator: said once that it rewrote the header's. */
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
	/**
	 * 1: the memory is another process's memzone, which EAL may unmap
	 * here (vfbc_channel_unmap.c): calls reach it in read sections.
	 */
	uint32_t guarded;
	/** Guarded: 1 once EAL said the memory goes; set by the memory event callback. */
	uint32_t unmapped;
	/** Guarded: 1 if this process has no membarrier: each section fences. */
	uint32_t reader_fence;
	/**
	 * Guarded: the read sections in progress, one slot per lcore, then
	 * one for every thread without an lcore id (RTE_MAX_LCORE + 1).
	 */
	struct vfbc_channel_reader *readers;
	size_t guard_len;                  /**< Guarded: bytes mapped from base. */
	struct vfbc_channel *guard_next;   /**< Guarded: the process's list. */
	/**
	 * Creator: the service's sleep (vfbc_channel_service.c). An epoll
	 * descriptor holding svc_kick (an eventfd: a consumer of another
	 * process kicks it through the claim service's rte_mp, one of this
	 * process directly, the PF's own threads with
	 * vfbc_channel_service_kick()), svc_sock (another process's posts)
	 * and, isolated, the PF's end of every
	 * holder's wake socket (made under svc_lock; -1 until the first
	 * vfbc_channel_service_fd()). svc_armed: the service armed.
	 */
	rte_spinlock_t svc_lock;
	int svc_epfd;
	int svc_kick;
	/** Creator, shared channel: its service socket (runtime dir), -1: none. */
	int svc_sock;
	uint32_t svc_armed;
};

/**
 * @internal
 * The read sections of one lcore, or of all threads without an lcore id,
 * in one guarded handle (vfbc_channel_unmap.c): an lcore's depth is written
 * by its thread only; the shared slot's with atomic adds. Read by the
 * memory event callback, which waits for the sections to end.
 */
struct vfbc_channel_reader {
	uint32_t depth;  /**< Sections in progress. */
} __rte_cache_aligned;

/** @internal Leave the read section __vfbc_channel_enter() opened on ch. */
static inline void
__vfbc_channel_leave(const struct vfbc_channel *ch)
{
	struct vfbc_channel_reader *r;
	unsigned int lcore;

	if (likely(ch->guarded == 0))
		return;
	lcore = rte_lcore_id();
	/* U3: pairs with U4 in the callback: the section's accesses come first. */
	if (likely(lcore < RTE_MAX_LCORE)) {
		r = &ch->readers[lcore];
		__atomic_store_n(&r->depth, r->depth - 1, __ATOMIC_RELEASE);
	} else {
		__atomic_fetch_sub(&ch->readers[RTE_MAX_LCORE].depth, 1, __ATOMIC_RELEASE);
	}
}

/**
 * @internal
 * Enter a read section of ch: its shared memory stays mapped until
 * __vfbc_channel_leave(). A section is a bounded run of loads and stores:
 * no lock EAL's memory callbacks may hold (no memzone lookup), no wait on
 * another process's reply.
 *
 * @return
 *   - 0: inside, leave with __vfbc_channel_leave();
 *   - (-ENODEV): the memory was freed (its creator freed the channel);
 *     not inside.
 */
static inline int
__vfbc_channel_enter(const struct vfbc_channel *ch)
{
	struct vfbc_channel_reader *r;
	unsigned int lcore;

	if (likely(ch->guarded == 0))
		return 0;
	lcore = rte_lcore_id();
	/*
	 * U2: pairs with U1 in the memory event callback: either the load
	 * below sees its mark, or the callback sees this depth and waits.
	 */
	if (likely(lcore < RTE_MAX_LCORE)) {
		/* This lcore's own slot: the callback's membarrier is the fence. */
		r = &ch->readers[lcore];
		__atomic_store_n(&r->depth, r->depth + 1, __ATOMIC_RELAXED);
		if (unlikely(ch->reader_fence))
			rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
		else
			rte_compiler_barrier();
	} else {
		__atomic_fetch_add(&ch->readers[RTE_MAX_LCORE].depth, 1, __ATOMIC_SEQ_CST);
	}
	if (unlikely(__atomic_load_n(&ch->unmapped, __ATOMIC_ACQUIRE) != 0)) {
		__vfbc_channel_leave(ch);
		return -ENODEV;
	}
	return 0;
}

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

/*
 * Sleep mode's wake (vfbc_channel.h documents it), for the invalidate body
 * and the bulk loop below: declared here, where it is not deprecated, so
 * that the library's own inlines do not warn applications that include it.
 */
int
vfbc_channel_wake(struct vfbc_channel *ch, uint16_t vf);

/**
 * @internal
 * The work of one invalidate, its arguments already checked: ch is the
 * creating handle, vf reaches an area, mask is not 0. The one body of the
 * protocol: vfbc_channel_invalidate() and the bulk loop
 * (__vfbc_channel_invalidate_loop()) both run it. Returns 1 when the VF's
 * consumer sleeps (sleep mode): the caller then calls vfbc_channel_wake().
 */
static __rte_always_inline int
__vfbc_channel_invalidate_one(struct vfbc_channel *ch, uint16_t vf, uint64_t mask)
{
	struct vfbc_channel_notify_elem el;
	struct vfbc_channel_shm_vf *v;
	struct vfbc_channel_pf_vf *pv;
	int ret;

	v = __vfbc_channel_vf(ch, vf);

	/*
	 * R1: pairs with A1/A2 in vfbc_channel_poll_invalidations(): the
	 * release half publishes the block data written before this call,
	 * so the VF that takes the bit reads that data (or newer). Its
	 * sequentially consistent order before A3 is the producer half of the
	 * S1/A1 - R1/A3 handshake: if the poll's A1 misses these bits, A3
	 * sees the consumer's re-arm S1 and a doorbell follows.
	 */
	__vfbc_channel_or64_sc(&v->notify.pending, mask);
	__vfbc_channel_count(&v->pf.stats.invalidations);

	/*
	 * A3: pairs with S1 in vfbc_channel_poll_invalidations() (and the
	 * initial arm at create). The load keeps the coalescing path
	 * read-only on the arm; the exchange elects exactly one lcore per
	 * arm, which makes the enqueue single-producer without a lock. The
	 * elected lcore sees the notify index of the previous arm holder:
	 * that holder published it (RR1) before the consumer drained the
	 * doorbell and re-armed (S1), which this exchange reads.
	 */
	if (__vfbc_channel_load32_sc(&v->notify.armed) == 0 ||
			__vfbc_channel_xchg32_sc(&v->notify.armed, 0) == 0) {
		__vfbc_channel_count(&v->pf.stats.coalesced);
		goto sleeper;
	}

	pv = &ch->pf[vf];
	el.mask = mask;
	el.seq = __vfbc_channel_load32_relaxed(&v->pf.notify_seq) + 1;
	el.rsvd = 0;
	/* Only the arm holder writes notify_seq: no other store races it. */
	__vfbc_channel_store32_relaxed(&v->pf.notify_seq, el.seq);
	ret = __vfbc_ring_enqueue(__vfbc_channel_ring(ch, vf, ch->notify_ring_off),
			&pv->notify_prod, __VFBC_CHANNEL_NOTIFY_SIZE, &el, sizeof(el));
	if (unlikely(ret != 0)) {
		/*
		 * Full: the ring holds doorbells the consumer has not drained;
		 * draining them re-arms it, and the bits wait in pending.
		 * Corrupt indexes: the VF wrecked its own ring; the bits wait in
		 * pending as well, for a consumer that polls.
		 */
		__vfbc_channel_count(ret == -ENOBUFS ? &v->pf.stats.notify_ring_full :
				&v->pf.ring_corrupt);
		goto sleeper;
	}
	__vfbc_channel_count(&v->pf.stats.doorbells);
sleeper:
	/*
	 * W1: pairs with SL1 in vfbc_channel_sleep_arm(). Sequentially
	 * consistent after R1: a consumer whose re-check of pending (SL2)
	 * missed these bits set its sleeping word before it, and this load
	 * sees it. The same line as pending: no extra miss when none sleeps.
	 * The caller wakes it (vfbc_channel_wake()), last.
	 */
	return unlikely(__vfbc_channel_load32_sc(&v->notify.sleeping) != 0);
}

/**
 * @internal
 * VFs ahead of the current one whose lines the bulk loop prefetches: enough
 * to keep the misses of several VF areas in flight while the current VF's
 * locked operations run, few enough that the prefetches (four lines a VF)
 * fit in the core's miss buffers. Measured on a 2-vCPU AMD EPYC: 8 beats
 * 4 and 16 (vfbc-perf's fan-out figure).
 */
#define __VFBC_CHANNEL_BULK_AHEAD 8

/**
 * @internal
 * Prefetch a line the caller will write with a locked operation. It must
 * arrive exclusive: a shared copy (what a plain prefetch gets) leaves the
 * locked operation an upgrade to wait for, as long as the miss itself. x86
 * has PREFETCHW for that, which the library's baseline -march does not
 * promise (__builtin_prefetch(p, 1) compiles to PREFETCHT0 there): the
 * creating handle records whether the CPU has it (prefetchw) and the
 * instruction is used only then.
 */
static __rte_always_inline void
__vfbc_channel_prefetchw(const struct vfbc_channel *ch, const void *p)
{
#ifdef RTE_ARCH_X86
	if (likely(ch->prefetchw != 0)) {
		__asm__ __volatile__("prefetchw %0" : : "m" (*(const volatile uint8_t *)p));
		return;
	}
#else
	RTE_SET_USED(ch);
#endif
	__builtin_prefetch(p, 1, 3);
}

/**
 * @internal
 * Prefetch the lines an invalidate of VF vf touches in its area: for
 * writing, the notify line, the PF's counters and the notify ring's
 * producer line; for reading, the ring's consumer line. The consumer wrote
 * or read most of them last (its poll exchanges pending, re-arms, drains
 * the ring), so each is a miss a single call waits for in turn.
 */
static __rte_always_inline void
__vfbc_channel_invalidate_prefetch(const struct vfbc_channel *ch, uint16_t vf)
{
	const uint8_t *a = ch->areas[vf];

	__vfbc_channel_prefetchw(ch, a);
	__vfbc_channel_prefetchw(ch, a + offsetof(struct vfbc_channel_shm_vf, pf));
	__vfbc_channel_prefetchw(ch, a + ch->notify_ring_off);
	__builtin_prefetch(a + ch->notify_ring_off + RTE_CACHE_LINE_SIZE, 0, 3);
}

/**
 * @internal
 * Invalidate n VFs, every argument already checked (see
 * __vfbc_channel_invalidate_one()): VF vf_ids[i], or i when vf_ids is NULL,
 * with masks[i], or mask when masks is NULL. Each VF gets exactly the work
 * of one vfbc_channel_invalidate(), in list order; what the loop adds is
 * the prefetch of the VFs a few places ahead, so that their cache misses
 * overlap instead of following one another. Wait-free: bounded by n.
 */
static __rte_always_inline void
__vfbc_channel_invalidate_loop(struct vfbc_channel *ch, const uint16_t *vf_ids,
		const uint64_t *masks, uint64_t mask, uint32_t n)
{
	uint32_t i, ahead;
	uint16_t vf;

	ahead = RTE_MIN(n, (uint32_t)__VFBC_CHANNEL_BULK_AHEAD);
	for (i = 0; i < ahead; i++)
		__vfbc_channel_invalidate_prefetch(ch, vf_ids != NULL ? vf_ids[i] : (uint16_t)i);
	for (i = 0; i < n; i++) {
		if (i + __VFBC_CHANNEL_BULK_AHEAD < n)
			__vfbc_channel_invalidate_prefetch(ch, vf_ids != NULL ?
					vf_ids[i + __VFBC_CHANNEL_BULK_AHEAD] :
					(uint16_t)(i + __VFBC_CHANNEL_BULK_AHEAD));
		vf = vf_ids != NULL ? vf_ids[i] : (uint16_t)i;
		if (unlikely(__vfbc_channel_invalidate_one(ch, vf,
				masks != NULL ? masks[i] : mask) != 0))
			(void)vfbc_channel_wake(ch, vf);
	}
}

/**
 * @internal
 * The arguments of a bulk invalidate, all checked before any VF is touched
 * (a refused call sets no bit): 0 if n is 0, or if both lists are there
 * and every entry names a VF below nb that ch reaches, with a mask that is
 * not 0; -EINVAL otherwise. nb: the channel's VFs, or fewer (the PF
 * driver's NumVFs).
 */
static inline int
__vfbc_channel_bulk_check(const struct vfbc_channel *ch, const uint16_t *vf_ids,
		const uint64_t *masks, uint16_t n, uint16_t nb)
{
	uint16_t i;

	if (n == 0)
		return 0;
	if (vf_ids == NULL || masks == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (vf_ids[i] >= nb || __vfbc_channel_vf_bad(ch, vf_ids[i]) || masks[i] == 0)
			return -EINVAL;
	return 0;
}

/**
 * @internal
 * The doorbell bitmap of the creating handle's channel, (nb_vfs + 63) / 64
 * words, where a PF service's idle check reads it without a call (the PF
 * driver keeps it beside its mailbox); NULL for an isolated channel, which
 * has none (its scan reads the granted VFs' rings). Valid until the
 * channel is freed. Read only, relaxed: the scan takes the bits (A4).
 */
static inline const uint64_t *
__vfbc_channel_doorbell(const struct vfbc_channel *ch)
{
	return ch->isolated ? NULL : __vfbc_channel_hdr(ch)->doorbell;
}

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_PVT_H_ */
