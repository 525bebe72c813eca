/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_H_
#define _VFBC_CHANNEL_H_

/**
 * @file
 * vfbc channel: the PF<->VF backchannel of one PF, in one memzone.
 *
 * The primary process (PF driver) creates the channel; VF consumers, usually
 * in secondary processes, attach to it by name. Per VF it holds:
 *
 * - a pending-mask cache and a notify ring (PF -> VF block invalidations,
 *   the analog of NdisMInvalidateConfigBlock);
 * - 64 config-block slots (+ VFBC_CHANNEL_NB_EXTRA_BLOCKS for ids >= 64),
 *   up to 128 bytes each, written by the PF, read by the VF as consistent
 *   snapshots;
 * - a request ring (VF -> PF) and a response ring (PF -> VF), plus a
 *   per-channel doorbell bitmap so the PF service visits only busy VFs;
 * - a consumer claim, granted by the PF to one process at a time;
 * - counters.
 *
 * All three rings are the one ring of vfbc_ring.h: single producer, single
 * consumer, each side's index private to its process.
 *
 * Invalidation protocol (memory-ordering labels refer to the code):
 *
 * - vfbc_channel_invalidate() (and each entry of the bulk and all-VFs
 *   forms: __vfbc_channel_invalidate_one() in vfbc_channel_pvt.h) ORs the
 *   mask into pending (R1), then, if the consumer is armed, takes the arm
 *   (A3) and enqueues one doorbell into the notify ring. It never waits
 *   and makes no system call: one locked OR, at most one exchange and one
 *   single-producer enqueue that cannot be contended (only the lcore that
 *   took the arm enqueues). A full ring only loses the doorbell, never a
 *   bit: the bits stay in pending.
 * - vfbc_channel_poll_invalidations() drains the notify ring, re-arms if it
 *   consumed a doorbell (S1), then reads pending (A1) and exchanges it with
 *   zero (A2). pending is the only source of delivered bits: ring elements
 *   are wake-up hints, so a stale element can never produce a phantom bit,
 *   and a skipped doorbell can never strand one. S1 before A1 against R1
 *   before A3 (all sequentially consistent) guarantees that an invalidate
 *   the poll does not see finds the consumer armed and rings.
 *
 * Claims: a VF's consumer role belongs to one process at a time, and the
 * PF (the creating handle) is the only one who grants it. A consumer asks
 * with vfbc_channel_claim(), presenting an open file descriptor on the VF's
 * device; the creator's verifier (vfbc_channel_claim_verify_set()) checks
 * that the claiming process holds that very file, then the library writes
 * the new claim word. Requests are served only on the slot's granted claim,
 * and the VF-side calls of a handle (poll, request, response, block read)
 * refuse a slot that handle does not hold (-EPERM).
 *
 * Threading: invalidate and block_write may be called from any number of
 * PF lcores, request_dequeue and respond from any PF thread, through the
 * creating handle (the PF's locks and ring indexes are in it, not in shared
 * memory). PF-side calls on a handle that did not create the channel fail
 * with -EPERM. poll_invalidations, response_poll and block_read belong to
 * the single consumer of the VF (the holder of the claim; one thread at a
 * time for poll and response_poll); request_post may be called by its
 * threads.
 *
 * Trust: VF processes share the hugepage memory with the PF, so nothing
 * stops a hostile process from writing anywhere; what the library
 * guarantees, against anything a VF writes in its own area, is that every
 * value the PF consumes from it (request records, lengths, offsets, block
 * ids, VF ids, ring indexes, the claim word) is copied and validated, or
 * bounded, before use; that the PF never uses an offset or a ring size
 * stored in shared memory, nor an index of its own read back from it; and
 * that the PF never waits on a shared word (its locks are process-local,
 * its ring operations single-producer or single-consumer). A ring whose
 * indexes are out of bounds is refused and counted (ring_corrupt in
 * struct vfbc_channel_stats).
 */

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_pci.h>

#include "vfbc_compat.h"
#include "vfbc_channel_layout.h"
#include "vfbc_channel_defs.h"

/**
 * Granted VFs of an isolated channel one vfbc_channel_doorbell_scan() looks
 * at (round robin over the PF's own map of grants): the scan costs about
 * the same with 1 or 256 consumers, and a request is seen within (granted
 * VFs) / VFBC_CHANNEL_ISOLATED_SCAN scans (64 with 256 consumers).
 */
#define VFBC_CHANNEL_ISOLATED_SCAN 4

#include "vfbc_channel_pvt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Prefix of channel memzone names; the channel name follows it. */
#define VFBC_CHANNEL_MZ_PREFIX "vfbc_ch_"
/** Longest channel name (memzone names are at most 31 characters). */
#define VFBC_CHANNEL_NAME_MAX (RTE_MEMZONE_NAMESIZE - 1 - (sizeof(VFBC_CHANNEL_MZ_PREFIX) - 1))
/** Snapshots of vfbc_channel_block_read that a write overlapped, before -EAGAIN. */
#define VFBC_CHANNEL_READ_RETRIES 64
/** Longest wait of vfbc_channel_block_read for a write in progress (us). */
#define VFBC_CHANNEL_READ_WAIT_US 1000
/** Mask delivered once after a takeover: every block. */
#define VFBC_CHANNEL_ALL_BLOCKS UINT64_MAX

/** Seconds vfbc_channel_claim() waits for the PF's answer. */
#define VFBC_CHANNEL_CLAIM_TIMEOUT_S 2

/**
 * Verifier of claim proofs (PF side), called by vfbc_channel_claim_grant()
 * in the creator's process for a slot that has a published VF address.
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   The slot claimed.
 * @param addr
 *   The VF's PCI address, as the PF published it.
 * @param proof_fd
 *   A descriptor, in the creator's process, of the file the claimer holds
 *   open (the library has checked that the claimer holds this very file).
 * @param arg
 *   The argument given to vfbc_channel_claim_verify_set().
 * @return
 *   0 if the file is one of the VF's device files; a negative errno
 *   (usually -EACCES) otherwise.
 */
typedef int (*vfbc_channel_claim_verify_t)(const struct vfbc_channel *ch, uint16_t vf,
		const struct rte_pci_addr *addr, int proof_fd, void *arg);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Memory a channel for nb_vfs VFs takes (the memzone size).
 *
 * @param nb_vfs
 *   Number of VFs, 1..VFBC_CHANNEL_MAX_VFS.
 * @return
 *   - the size in bytes;
 *   - (-EINVAL) if nb_vfs is out of range.
 */
__vfbc_experimental
ssize_t
vfbc_channel_memsize(uint16_t nb_vfs);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Create a channel (primary process): reserve memzone
 * "vfbc_ch_<name>" and initialise it. Every VF starts with nothing pending,
 * armed, no claim, empty blocks and rings. The returned handle is the PF's:
 * the only one through which invalidations, block writes, the request
 * service and claim grants work. Secondary processes reach this process's
 * claim service over EAL's multi-process channel (rte_mp).
 *
 * @param name
 *   Channel name, e.g. the PF's PCI address; at most VFBC_CHANNEL_NAME_MAX
 *   characters.
 * @param nb_vfs
 *   Number of VFs, 1..VFBC_CHANNEL_MAX_VFS.
 * @param socket_id
 *   NUMA socket of the memory, or SOCKET_ID_ANY.
 * @return
 *   The handle, or NULL with rte_errno set:
 *   - EINVAL: NULL or empty name, nb_vfs out of range;
 *   - ENAMETOOLONG: name too long;
 *   - E_RTE_SECONDARY: called from a secondary process;
 *   - EEXIST: a memzone of that name exists;
 *   - ENOMEM: no memory.
 */
__vfbc_experimental
struct vfbc_channel *
vfbc_channel_create(const char *name, uint16_t nb_vfs, int socket_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Attach to an existing channel by name (any process), checking its magic,
 * layout version and geometry.
 *
 * @param name
 *   Channel name given to vfbc_channel_create().
 * @return
 *   The handle, or NULL with rte_errno set:
 *   - EINVAL: NULL or empty name;
 *   - ENAMETOOLONG: name too long;
 *   - ENOENT: no such channel;
 *   - EAGAIN: the creator has not finished initialising it;
 *   - EPROTO: bad magic, other major version or older minor, or a
 *     geometry (size, offsets, ring sizes) this library does not compute;
 *   - ENOMEM: no memory for the handle.
 */
__vfbc_experimental
struct vfbc_channel *
vfbc_channel_attach(const char *name);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Release a handle. The handle that created the channel also frees the
 * memzone: do it only once every consumer has detached.
 *
 * @param ch
 *   Handle; NULL is ignored.
 */
__vfbc_experimental
void
vfbc_channel_free(struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * @param ch
 *   Handle.
 * @return
 *   Number of VFs of the channel, 0 if ch is NULL.
 */
__vfbc_experimental
uint16_t
vfbc_channel_nb_vfs(const struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Whether an attached handle's channel is still the channel of its name:
 * after the PF's port is closed (the channel freed) and probed again, a
 * handle kept from before is stale, even when the new channel has the same
 * name and address. A stale handle must be freed and the channel attached
 * again; its memory is still mapped, so using it is not a crash, but what
 * it reads means nothing.
 *
 * @param ch
 *   Handle.
 * @return
 *   - 1 if current (always, for the creating handle and for a channel in
 *     the caller's memory);
 *   - 0 if stale, or its memory gone (the creator freed it);
 *   - (-EINVAL) for a NULL ch.
 */
__vfbc_experimental
int
vfbc_channel_current(const struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The process that created the channel (the PF's primary), as it wrote
 * itself into the header: what a consumer watches to learn of its death.
 *
 * @param ch
 *   Handle.
 * @return
 *   The creator's pid, 0 if ch is NULL.
 */
__vfbc_experimental
pid_t
vfbc_channel_creator_pid(const struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Wake the consumer of a VF if it sleeps (PF side): vfbc_channel_invalidate()
 * calls it when it finds the VF's sleeping word set. The first caller after
 * the consumer armed takes the word back and sends one datagram on the PF's
 * end of the consumer's wake socket, without blocking whatever the consumer
 * does to its end (a full socket refuses it: the consumer has a wake
 * pending already). Safe from any number of lcores.
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @return
 *   - 0 on success: a wake sent, or none due (the consumer did not sleep,
 *     another caller woke it, it has no wake socket, or its socket refused
 *     the wake), as the stats' wakeups count tells;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_wake(struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Invalidate blocks of a VF (PF side; NdisMInvalidateConfigBlock). Wait-free
 * and safe from any number of lcores at once; no system call. Bits set
 * before the VF consumes them are merged; none is ever dropped.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index, < number of VFs.
 * @param mask
 *   Blocks to invalidate, bit i = block i; not 0.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) if ch is NULL, vf is out of range or mask is 0;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
static inline int
vfbc_channel_invalidate(struct vfbc_channel *ch, uint16_t vf, uint64_t mask)
{
	if (unlikely(ch == NULL || __vfbc_channel_vf_bad(ch, vf) || mask == 0))
		return -EINVAL;
	if (unlikely(ch->pf == NULL))
		return -EPERM;
	/*
	 * Last, when the body says a consumer sleeps (W1 in
	 * __vfbc_channel_invalidate_one()): a tail call, no register saved for
	 * it on the way of every other invalidate. Experimental as this
	 * function is: an application that includes the header without
	 * calling it is not warned of it.
	 */
	if (likely(__vfbc_channel_invalidate_one(ch, vf, mask) == 0))
		return 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	return vfbc_channel_wake(ch, vf);
#pragma GCC diagnostic pop
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Invalidate blocks of many VFs in one call, each VF with its own mask
 * (PF side): the fan-out of a change many VFs share. Each entry gets
 * exactly what vfbc_channel_invalidate(ch, vf_ids[i], masks[i]) does, in
 * list order; the call overlaps the cache misses of the VFs' areas, which
 * single calls take one after the other, so it costs less than n single
 * calls. Wait-free (bounded by n) and safe from any number of lcores at
 * once, with single calls too; no system call.
 *
 * Every argument is checked before any VF is touched: a call that fails
 * has set no bit anywhere and counted nothing.
 *
 * A VF may be listed more than once: it gets the OR of its masks, and each
 * entry counts as one invalidation in its statistics, as single calls in a
 * row would (the first takes the arm, the next ones coalesce).
 *
 * @param ch
 *   Handle.
 * @param vf_ids
 *   n VF indexes, each < number of VFs; may be NULL when n is 0.
 * @param masks
 *   n masks, masks[i] for vf_ids[i], bit b = block b; none 0; may be NULL
 *   when n is 0.
 * @param n
 *   Entries; 0 is a successful call that does nothing.
 * @return
 *   - 0 on success (n == 0 included);
 *   - (-EINVAL) if ch is NULL, vf_ids or masks is NULL with n > 0, a VF
 *     index is out of range or a mask is 0: nothing was invalidated;
 *   - (-EPERM) if ch is not the handle that created the channel: nothing
 *     was invalidated.
 */
__vfbc_experimental
int
vfbc_channel_invalidate_bulk(struct vfbc_channel *ch, const uint16_t *vf_ids,
		const uint64_t *masks, uint16_t n);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Invalidate the same blocks of every VF (SRIOV_INVALIDATE_BLOCK_ALL_VFS):
 * the loop of vfbc_channel_invalidate_bulk(), each VF touched once.
 *
 * @param ch
 *   Handle.
 * @param mask
 *   Blocks to invalidate; not 0.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) if ch is NULL or mask is 0;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_invalidate_all(struct vfbc_channel *ch, uint64_t mask);

/**
 * The body of vfbc_channel_poll_invalidations(), its arguments checked,
 * inside a read section of ch: not for applications, which call that.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index, checked.
 * @param[out] mask
 *   As vfbc_channel_poll_invalidations().
 * @return
 *   As vfbc_channel_poll_invalidations(), but for -EINVAL and -ENODEV.
 */
static inline int
__vfbc_channel_poll_in(struct vfbc_channel *ch, uint16_t vf, uint64_t *mask)
{
	struct vfbc_channel_shm_vf *v;
	struct vfbc_channel_vf_vf *cv;
	struct vfbc_ring_shm *r;
	uint32_t resync;
	uint64_t m, held;
	int n;

	v = __vfbc_channel_vf(ch, vf);
	cv = &ch->vf[vf];
	/* Atomic: the claim and release of another thread store it (relaxed). */
	held = __atomic_load_n(&cv->held, __ATOMIC_RELAXED);
	/*
	 * Relaxed: the word only tells whether the claim is still this
	 * handle's; what the grant published was acquired when it was taken
	 * (CA1 in vfbc_channel_claim()).
	 */
	if (unlikely(held == 0 ||
			held != __vfbc_channel_load64_relaxed(&v->consumer.claim)))
		return -EPERM;

	/* Doorbells are hints: consume them without reading them. */
	r = __vfbc_channel_ring(ch, vf, ch->notify_ring_off);
	n = __vfbc_ring_drain(r, &cv->notify_cons, __VFBC_CHANNEL_NOTIFY_SIZE);
	if (unlikely(n < 0))
		/* Indexes out of bounds: start over from the producer's. */
		n = __vfbc_ring_skip(r, &cv->notify_cons);
	if (n != 0)
		/*
		 * S1: pairs with A3 in __vfbc_channel_invalidate_one(), the body
		 * of vfbc_channel_invalidate() and of the bulk loop. Re-arm only
		 * after consuming a doorbell: the lcore that enqueued it has
		 * finished its enqueue, so the next arm holder is the only
		 * producer of the ring.
		 */
		__vfbc_channel_store32_sc(&v->notify.armed, 1);

	/*
	 * A1: pairs with R1 in __vfbc_channel_invalidate_one(). Sequentially
	 * consistent after S1: bits this load misses were ORed after it, and
	 * their producer's A3 then sees the arm.
	 */
	m = __vfbc_channel_load64_sc(&v->notify.pending);
	if (m != 0)
		/*
		 * A2: pairs with R1 (acquire half): takes the bits, and with
		 * them the visibility of the block data written before them.
		 */
		m = __vfbc_channel_xchg64_sc(&v->notify.pending, 0);

	resync = 0;
	if (unlikely(__vfbc_channel_load32_relaxed(&v->consumer.resync) != 0))
		/*
		 * A6: pairs with R6 in the PF's grant (vfbc_channel_claim_grant()).
		 * An exchange: one poll takes the flag.
		 */
		resync = __vfbc_channel_xchg32_sc(&v->consumer.resync, 0);
	if (m == 0 && resync == 0)
		return 0;
	/*
	 * A8: pairs with CR1 (sequentially consistent) in the PF's grant and
	 * revoke. The claim may have been taken away while this poll ran:
	 * the bits it took are the next holder's, given back for its next
	 * poll; so is a resync flag a later grant published (its tag is not
	 * this handle's epoch). Its own flag is owed to nobody: the grant
	 * that follows a revoke or takeover publishes one.
	 */
	if (unlikely(held != __vfbc_channel_load64_sc(&v->consumer.claim))) {
		if (resync != 0 && resync != __vfbc_channel_resync_tag(held))
			__vfbc_channel_store32_release(&v->consumer.resync, resync);
		if (m != 0)
			__vfbc_channel_or64_sc(&v->notify.pending, m);
		return -EPERM;
	}
	if (resync != 0) {
		__vfbc_channel_count(&v->consumer.stats.resyncs);
		m = VFBC_CHANNEL_ALL_BLOCKS;
	}
	__vfbc_channel_count(&v->consumer.stats.deliveries);
	*mask = m;
	return 1;
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take the blocks invalidated since the previous delivery (VF side; only a
 * handle holding the VF's claim, one thread at a time). Every bit of every
 * returned invalidate is delivered by a later call; a delivered bit was
 * invalidated since the previous delivery, except once after a claim taken
 * over from a consumer that died (or lost its claim), when
 * VFBC_CHANNEL_ALL_BLOCKS is delivered (it may have taken bits it never
 * acted on). Idle cost: the claim word, one empty ring check, one load.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index, < number of VFs.
 * @param[out] mask
 *   The blocks to re-read, written only when 1 is returned.
 * @return
 *   - 1 if a non-zero mask was delivered;
 *   - 0 if nothing is pending;
 *   - (-EINVAL) if ch or mask is NULL or vf is out of range;
 *   - (-EPERM) if this handle does not hold the VF's claim (never did,
 *     released it, or the PF granted it to another consumer since);
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
static inline int
vfbc_channel_poll_invalidations(struct vfbc_channel *ch, uint16_t vf, uint64_t *mask)
{
	int ret;

	if (unlikely(ch == NULL || mask == NULL || __vfbc_channel_vf_bad(ch, vf)))
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (unlikely(ret < 0))
		return ret;
	ret = __vfbc_channel_poll_in(ch, vf, mask);
	__vfbc_channel_leave(ch);
	return ret;
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Would vfbc_channel_poll_invalidations() find nothing now? The poll's own
 * loads, none of its stores: any thread may ask while another polls, so a
 * caller that serialises its polls with a lock can skip the lock when
 * nothing is due. A snapshot: bits invalidated after it are seen by the
 * next question or poll; none is lost, since only a poll takes them.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index, < number of VFs.
 * @return
 *   - 1 if a poll would return 0: the claim is this handle's, and no
 *     doorbell, bit or resync is pending;
 *   - 0 if a poll has something to say: a delivery, or an error (the
 *     claim not held, the channel's memory gone);
 *   - (-EINVAL) if ch is NULL or vf is out of range.
 */
__vfbc_experimental
static inline int
vfbc_channel_poll_idle(const struct vfbc_channel *ch, uint16_t vf)
{
	const struct vfbc_channel_shm_vf *v;
	const struct vfbc_channel_vf_vf *cv;
	uint64_t held;
	int idle;

	if (unlikely(ch == NULL || __vfbc_channel_vf_bad(ch, vf)))
		return -EINVAL;
	cv = &ch->vf[vf];
	/* Atomic: the claim and release of another thread store it (relaxed). */
	held = __atomic_load_n(&cv->held, __ATOMIC_RELAXED);
	if (unlikely(held == 0 || __vfbc_channel_enter(ch) < 0))
		return 0;
	v = __vfbc_channel_vf(ch, vf);
	/* Relaxed, as the poll's idle loads (A1 is a plain load where it is seq_cst). */
	idle = held == __vfbc_channel_load64_relaxed(&v->consumer.claim) &&
		__vfbc_ring_count(__vfbc_channel_ring(ch, vf, ch->notify_ring_off),
			__atomic_load_n(&cv->notify_cons, __ATOMIC_RELAXED),
			__VFBC_CHANNEL_NOTIFY_SIZE) == 0 &&
		__vfbc_channel_load64_relaxed(&v->notify.pending) == 0 &&
		__vfbc_channel_load32_relaxed(&v->consumer.resync) == 0;
	__vfbc_channel_leave(ch);
	return idle;
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Write a config block (PF side, through the creating handle: writers are
 * serialised by a lock of the handle, never by a word of shared memory).
 * Block ids < 64 have their own slot; an
 * id >= 64 takes one of VFBC_CHANNEL_NB_EXTRA_BLOCKS extra slots on its
 * first write and keeps it; such blocks cannot be invalidated. Invalidate
 * the block afterwards so the VF re-reads it.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param block_id
 *   Block id.
 * @param data
 *   Contents; may be NULL only when len is 0.
 * @param len
 *   Bytes, 0..VFBC_CHANNEL_BLOCK_SIZE.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch or data, vf out of range, len too large;
 *   - (-EPERM) if ch is not the handle that created the channel;
 *   - (-ENOSPC) if block_id >= 64 and every extra slot holds another id.
 */
__vfbc_experimental
int
vfbc_channel_block_write(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		const void *data, uint32_t len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read a consistent snapshot of a config block (VF side, through a handle
 * holding the VF's claim; also the PF, through the creating handle, which
 * reads the PF's own copy: what the VF writes in its area never reaches it).
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param block_id
 *   Block id.
 * @param buf
 *   Destination.
 * @param buf_len
 *   Size of buf.
 * @return
 *   - the number of bytes copied (the block length, possibly 0);
 *   - (-EINVAL) for a NULL ch or buf, vf out of range;
 *   - (-EPERM) if ch neither created the channel nor holds the VF's claim;
 *   - (-ENOENT) if the block was never written;
 *   - (-ENOBUFS) if buf_len is smaller than the block (nothing copied);
 *   - (-EAGAIN) if VFBC_CHANNEL_READ_RETRIES snapshots overlapped a write,
 *     or a write stayed in progress for VFBC_CHANNEL_READ_WAIT_US;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_block_read(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		void *buf, uint32_t buf_len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Claim the consumer role of a VF for this handle (VF side). The request
 * goes to the creator of the channel: in this process directly, from a
 * secondary process over EAL's multi-process channel, waiting at most
 * VFBC_CHANNEL_CLAIM_TIMEOUT_S for the answer. The PF grants the claim when
 * nobody holds it, when its holder has died, or when the holder was not
 * granted it by the PF; the next poll then delivers
 * VFBC_CHANNEL_ALL_BLOCKS once if the slot had a holder (it may have taken
 * bits it never acted on).
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param proof_fd
 *   An open descriptor on the VF's device, the one EAL's PCI layer opened
 *   for it in this process (uio: the device's config file or /dev/uioN;
 *   vfio: the VF's group), kept open by the caller while it holds the
 *   claim; -1 when the creator asks for no proof (a channel without PCI
 *   devices). The creator checks that this process holds that very file,
 *   and that it is the VF's.
 * @return
 *   - 0 if the VF was free and is now claimed;
 *   - 1 if it was taken over from another consumer (dead, or never
 *     granted the claim);
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EALREADY) if this handle, or this process through another handle,
 *     already holds the claim;
 *   - (-EBUSY) if a live consumer the PF granted it to holds it;
 *   - (-EACCES) if the creator asks for proof and the slot has no VF, or
 *     the proof is missing or not the VF's device;
 *   - (-ENOTCONN) if the creator did not answer (gone, or no
 *     multi-process channel, e.g. --in-memory);
 *   - (-ENOMEM) on allocation failure;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (and
 *     maybe created another of the name, which this handle does not reach).
 */
__vfbc_experimental
int
vfbc_channel_claim(struct vfbc_channel *ch, uint16_t vf, int proof_fd);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Release the consumer role held by this handle. Bits still pending stay
 * for the next consumer, who gets no "all blocks" delivery.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if this handle does not hold the claim (any more);
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle); the claim went with it, and the handle holds
 *     nothing any more; nothing was written.
 */
__vfbc_experimental
int
vfbc_channel_release(struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Sleep mode (VF side, the claim's holder): a socket the PF signals when it
 * invalidates this VF while the consumer sleeps (vfbc_channel_sleep_arm()),
 * so that the consumer waits in epoll/poll instead of polling. The PF
 * makes the pair (a datagram socket pair: no end the consumer holds can
 * make the PF block, and the PF's end is connected to this one only) and
 * keeps its end until the claim is granted again or revoked; asking again
 * replaces the pair. A wake is one datagram: read them all before arming
 * again. The creator checks the proof as a claim's.
 *
 * @param ch
 *   Handle holding the VF's claim.
 * @param vf
 *   VF index.
 * @param proof_fd
 *   The claim's proof (see vfbc_channel_claim()), or -1.
 * @return
 *   - the socket, a descriptor of this process (close it when done);
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if this handle does not hold the VF's claim, or the PF
 *     granted it to another consumer since;
 *   - (-EACCES) if the proof is refused, as for a claim;
 *   - (-ENOTSUP) for an isolated channel's region (its socket to the PF
 *     is the way, not this one);
 *   - (-ENOTCONN) if the creator did not answer;
 *   - (-ENODEV) if the creator freed the channel this handle attached
 *     (and maybe created another of the name);
 *   - (-EMFILE), (-ENFILE), (-ENOMEM): no socket could be made.
 */
__vfbc_experimental
int
vfbc_channel_wake_fd(struct vfbc_channel *ch, uint16_t vf, int proof_fd);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Sleep mode (PF side, the creator): make VF vf's wake socket pair for the
 * holder of the grant word, keep the PF's end for vfbc_channel_wake() and
 * return the holder's, for the caller to hand over the way its consumers
 * reach it (an isolated channel's control socket, which proves the
 * consumer itself: no proof is checked here). The PF's end goes when the
 * VF is granted again or revoked, as one vfbc_channel_wake_fd() made;
 * making a pair again replaces it.
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @param word
 *   The claim word of the grant (vfbc_channel_claim_grant()).
 * @return
 *   - the holder's end, a descriptor of this process (send it, then close
 *     it);
 *   - (-EINVAL) for a NULL ch, vf out of range or word 0;
 *   - (-EPERM) if ch is not the handle that created the channel;
 *   - (-ENOENT) if the VF is not granted under word (revoked, or granted
 *     again since): nothing was kept;
 *   - (-EMFILE), (-ENFILE), (-ENOMEM): no socket could be made.
 */
__vfbc_experimental
int
vfbc_channel_wake_pair(struct vfbc_channel *ch, uint16_t vf, uint64_t word);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Sleep mode (VF side, the claim's holder): tell the PF to wake this
 * consumer at the next invalidation, then look once more whether anything
 * is pending. Returns 0 when the consumer may sleep (wait on its wake
 * socket): an invalidation made after this call is certain to wake it.
 * Returns 1 when something is due (bits, or an "all blocks" resync): the
 * word is taken back, poll instead of sleeping. After a wake, or when it
 * stops sleeping, the consumer polls (vfbc_channel_poll_invalidations());
 * arming again before each sleep. The PF pays for a sleeping consumer one
 * datagram per sleep; for one that does not, nothing but the load of a
 * word on a line it writes anyway.
 *
 * @param ch
 *   Handle holding the VF's claim.
 * @param vf
 *   VF index.
 * @return
 *   - 0: armed, nothing pending: sleep;
 *   - 1: not armed, something is due: poll;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if this handle does not hold the VF's claim;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_sleep_arm(struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Sleep mode: take back an arm (VF side), e.g. when the consumer woke for
 * another reason. A wake already sent stays readable on the socket.
 *
 * @param ch
 *   Handle holding the VF's claim.
 * @param vf
 *   VF index.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if this handle does not hold the VF's claim;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_sleep_disarm(struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Grant the consumer role of a VF to process pid (PF side, creating handle
 * only). This is what vfbc_channel_claim() reaches; a PF driver that
 * receives claims another way (its own socket) calls it directly.
 *
 * When the creator has a verifier, the slot must have a published VF
 * address, and proof_fd must be a descriptor (in this process) of a file
 * that process pid holds open as its descriptor proof_fdnum, which the
 * verifier accepts. Refusals are counted (claims_refused), except a pid
 * that does not exist. The slot's request and response rings are then emptied
 * for the new holder (what a dead holder left in them is dropped); the
 * notify ring and pending bits are kept, and the doorbell is armed. A
 * takeover is logged at most once a second per VF.
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @param pid
 *   The claiming process (> 0).
 * @param proof_fd
 *   Descriptor of the proof in this process, or -1.
 * @param proof_fdnum
 *   The proof's descriptor number in process pid, or -1.
 * @param[out] word
 *   The claim word granted (epoch << 32 | pid); may be NULL.
 * @return
 *   - 0 if granted on a free slot;
 *   - 1 if taken over from another consumer (dead, or never granted);
 *   - (-EINVAL) for a NULL ch, vf out of range, pid <= 0;
 *   - (-EPERM) if ch is not the creating handle;
 *   - (-EALREADY) if process pid itself holds the granted claim (through
 *     another handle);
 *   - (-EBUSY) if another live process holds the granted claim;
 *   - (-EACCES) if the creator has a verifier and the slot has no VF, or
 *     the proof is missing or refused;
 *   - (-ESRCH) if process pid does not exist.
 */
__vfbc_experimental
int
vfbc_channel_claim_grant(struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		int proof_fdnum, uint64_t *word);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take the consumer role of a VF back from its holder (PF side, creating
 * handle only), e.g. when the VF is disabled. The holder's VF-side calls
 * then fail with -EPERM; the next claim is a takeover ("all blocks" once).
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @return
 *   - 0 on success (also when nobody held it);
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if ch is not the creating handle.
 */
__vfbc_experimental
int
vfbc_channel_claim_revoke(struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Require proof for claims, and set the function that checks it (PF side,
 * creating handle only): with a verifier, a slot can be claimed only when
 * it has a published VF address (a VF to hold) and with a proof the
 * verifier accepts; the proof is checked before whether the slot is free,
 * so a claim without one is refused (-EACCES) even of a held slot. Without
 * a verifier (the default), claims need no proof.
 *
 * Each call is a new rule, whatever the function: a claim granted before
 * it (e.g. one that raced the PF's probe, between the channel's creation
 * and this call) was not proven under it and is taken back, as by
 * vfbc_channel_claim_revoke(); a claim whose proof was being checked while
 * the rule changed is refused (-EACCES), and its consumer asks again.
 * Set it once, right after creating the channel.
 *
 * @param ch
 *   The creating handle.
 * @param verify
 *   The verifier, or NULL for none.
 * @param arg
 *   Its argument.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the creating handle.
 */
__vfbc_experimental
int
vfbc_channel_claim_verify_set(struct vfbc_channel *ch, vfbc_channel_claim_verify_t verify,
		void *arg);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Whether the claim of a VF is one the PF granted and serves, and to whom
 * (any handle; a hint for displays, the PF decides from its own copy). On
 * the creating handle, a holder that has exited (its pidfd says so, even
 * when its pid was reused) holds nothing.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[out] pid
 *   The holder the PF granted the current claim to, 0 if none; may be NULL.
 * @return
 *   - 1 if the slot holds a claim the PF granted;
 *   - 0 if not, or the channel's memory is gone (its creator freed it);
 *   - (-EINVAL) for a NULL ch or vf out of range.
 */
__vfbc_experimental
int
vfbc_channel_claim_granted(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read the claim of a VF.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[out] pid
 *   Holder's pid, 0 if free; may be NULL.
 * @param[out] epoch
 *   Number of claims so far; may be NULL.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_claim_get(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid,
		uint32_t *epoch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Check a request record against the channel and the VF whose ring it came
 * from. The PF applies it to its own copy of every record; the VF applies it
 * before posting.
 *
 * Block writes: 1 <= len <= 128, target is a block id < 64 or one that
 * holds an extra slot. Config reads and writes: 1 <= len <= 128 and
 * target + len <= VFBC_CHANNEL_CFG_SPACE_SIZE (which registers a VF may
 * touch is the PF driver's policy, applied after this check).
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index of the ring the record came from.
 * @param req
 *   The record.
 * @return
 *   - 0 if valid;
 *   - (-EINVAL) for a NULL ch or req, vf out of range;
 *   - (-ENOTSUP) for an unknown type;
 *   - (-EPERM) if req->vf_id is not vf;
 *   - (-EMSGSIZE) if len is 0 or larger than VFBC_CHANNEL_BLOCK_SIZE;
 *   - (-ERANGE) if a config access leaves the config space;
 *   - (-ENOENT) if a block id cannot be addressed;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_request_validate(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_channel_req *req);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Post a request (VF side, through a handle holding the VF's claim) and
 * ring the VF's doorbell bit. The library sets req->vf_id and a fresh
 * req->req_id, validates the record, then enqueues a copy. Never waits.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[in,out] req
 *   Type, target, len and data in; vf_id and req_id out.
 * @return
 *   - 0 on success;
 *   - a negative errno of vfbc_channel_request_validate() (nothing posted);
 *   - (-EPERM) if this handle does not hold the VF's claim;
 *   - (-ENOBUFS) if the request ring is full;
 *   - (-EPROTO) if the request ring's indexes are out of bounds (this
 *     process wrote them: nothing posted);
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_request_post(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_req *req);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Collect the VFs whose doorbell bit is set and clear those bits (PF
 * service). Cost: one load per bitmap word plus one exchange per non-zero
 * word; idle VFs cost nothing. Bits beyond max are left set.
 *
 * On an isolated channel there is no bitmap: the scan reads the request
 * rings of at most VFBC_CHANNEL_ISOLATED_SCAN granted VFs, round robin
 * from where the last scan stopped. That cursor is the creating handle's:
 * one thread at a time scans an isolated channel.
 *
 * @param ch
 *   Handle.
 * @param[out] vfs
 *   VF indexes (ascending; on an isolated channel, in round-robin order).
 * @param max
 *   Size of vfs.
 * @return
 *   - the number of VFs written to vfs;
 *   - (-EINVAL) for a NULL ch or vfs, or max 0;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_doorbell_scan(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Would vfbc_channel_doorbell_scan() find a VF now? A PF service's idle
 * check, taking nothing: one relaxed load per bitmap word. A doorbell rung
 * after the check is found by the next one. An isolated channel has no
 * bitmap: always 1 (its scan reads the granted VFs' rings).
 *
 * @param ch
 *   Handle of the channel's creator.
 * @return
 *   - 1 if a doorbell bit is set (or the channel is isolated);
 *   - 0 if none is;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_doorbell_pending(const struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Collect the VFs whose request ring holds records, whatever their doorbell
 * bit says (PF service): the periodic sweep that bounds how long a lost or
 * cleared doorbell delays a request. Only slots with a granted claim are
 * looked at; cost: one load per such slot.
 *
 * @param ch
 *   The creating handle.
 * @param[out] vfs
 *   VF indexes, ascending.
 * @param max
 *   Size of vfs.
 * @return
 *   - the number of VFs written to vfs;
 *   - (-EINVAL) for a NULL ch or vfs, or max 0;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_request_sweep(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The channel's slot in the service summary (PF side): the bit
 * vfbc_channel_summary_take() reports for it. Every channel the primary
 * creates with vfbc_channel_create() has one, while slots last
 * (VFBC_CHANNEL_SUMMARY_SLOTS); an isolated channel, a channel of the
 * caller's memory and one created after the slots ran out have none, and
 * a service loop must look at those on every turn.
 *
 * @param ch
 *   Handle of the channel's creator.
 * @return
 *   - the slot, 0 .. VFBC_CHANNEL_SUMMARY_SLOTS - 1;
 *   - (-ENOENT) if the channel has none;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_summary_slot(const struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take the service summary of this process's channels (PF side): bit s of
 * bits is set if the channel of slot s (vfbc_channel_summary_slot()) rang
 * a doorbell since its bit was last taken, here or by its own
 * vfbc_channel_doorbell_scan(). A loop over many channels then reads one
 * cache line while they are all idle. The bits taken are cleared: a
 * channel the caller does not serve now is marked again with
 * vfbc_channel_summary_mark(). A hint, as the doorbells: a bit may be set
 * with nothing to do, and a consumer process can clear bits (requests
 * then wait for the caller's next full look, vfbc_channel_request_sweep()
 * and the doorbells read directly); it never loses a request. One taker per
 * process: the PF driver's vfbc_pf_mbox_poll_all() is one, and a second
 * would take the bits of the first's channels.
 *
 * @param[out] bits
 *   VFBC_CHANNEL_SUMMARY_WORDS words, bit s of word s / 64 for slot s;
 *   all written.
 * @param words
 *   Size of bits, at least VFBC_CHANNEL_SUMMARY_WORDS.
 * @return
 *   - 1 if a bit was taken;
 *   - 0 if none was set;
 *   - (-EINVAL) for a NULL bits or too few words;
 *   - (-ENOENT) if this process has no service summary (it created no
 *     channel with vfbc_channel_create(), or another process reserved it).
 */
__vfbc_experimental
int
vfbc_channel_summary_take(uint64_t *bits, unsigned int words);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Set the channel's bit in the service summary (PF side): the next
 * vfbc_channel_summary_take() reports it. For work a service found and
 * left for its next turn (its budget ran out, a job ended on another
 * thread); what the caller stored before the call is seen by the taker.
 *
 * @param ch
 *   Handle of the channel's creator.
 * @return
 *   - 0 on success;
 *   - (-ENOENT) if the channel has no slot;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_summary_mark(struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The service's sleep (PF side, the creator): a descriptor that becomes
 * readable when a VF posts a request while the service sleeps
 * (vfbc_channel_service_sleep_arm()), or when vfbc_channel_service_kick()
 * is called. An epoll descriptor: wait on it with poll(), epoll or
 * rte_epoll, or add it to an epoll of the caller's. Made at the first
 * call, the same one afterwards, closed with the channel (the caller never
 * closes it). A consumer of another process wakes it with a datagram to
 * the channel's service socket in EAL's runtime directory (or, when it
 * cannot, through EAL's multi-process channel), one of this process
 * directly, an isolated channel's holder through its wake socket
 * (vfbc_channel_wake_pair()).
 *
 * @param ch
 *   The creating handle.
 * @return
 *   - the descriptor;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel;
 *   - (-EMFILE), (-ENFILE), (-ENOMEM): no descriptor could be made.
 */
__vfbc_experimental
int
vfbc_channel_service_fd(struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The service's sleep (PF side): tell the consumers that the service
 * sleeps, then look once more for requests. Returns 0 when the service may
 * sleep on vfbc_channel_service_fd(): a request posted after this call is
 * certain to make it readable. Returns 1 when requests are waiting (not
 * armed: serve them). After the sleep, call vfbc_channel_service_sleep_disarm()
 * before serving. One thread arms a channel at a time. A consumer costs
 * nothing more for a service that does not sleep than the load of a word
 * on a line its post writes anyway; a wake costs the first post of a sleep
 * one system call (a datagram, or EAL's multi-process message). A
 * consumer that clears the word without waking (a buggy one, or a hostile
 * one: any process of a shared channel can write its header) delays the
 * requests of others until the sleep's timeout, which the caller bounds.
 *
 * @param ch
 *   The creating handle, whose vfbc_channel_service_fd() was made.
 * @return
 *   - 0: armed, no request waiting: sleep;
 *   - 1: not armed, requests are waiting;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel;
 *   - (-ENOTSUP) if vfbc_channel_service_fd() was not called.
 */
__vfbc_experimental
int
vfbc_channel_service_sleep_arm(struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The service's sleep (PF side): the service is awake: consumers stop
 * waking it, and what made vfbc_channel_service_fd() readable is read, so
 * that it is readable again only for a new wake.
 *
 * @param ch
 *   The creating handle.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_service_sleep_disarm(struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Wake the service from the PF's side: vfbc_channel_service_fd() becomes
 * readable (work of the PF's own, a close). Nothing when it was not made.
 *
 * @param ch
 *   The creating handle.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_service_kick(struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The service's sleep (VF side, an isolated region's holder): the wake
 * socket the PF sent with the region (vfbc_channel_wake_pair()), through
 * which this handle's posts wake a sleeping service. The handle keeps a
 * duplicate, closed when it releases the claim, adopts another socket or
 * is freed. Without one, a post cannot wake the service, which then sees
 * the request when its sleep times out.
 *
 * @param ch
 *   A region's handle (vfbc_channel_attach_region()) holding the claim.
 * @param vf
 *   Its VF.
 * @param fd
 *   The socket (the caller keeps its own descriptor).
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch, vf out of range or fd < 0;
 *   - (-ENOTSUP) if ch is not a region's handle;
 *   - (-EPERM) if ch does not hold the VF's claim;
 *   - (-EBADF), (-EMFILE): fd could not be duplicated.
 */
__vfbc_experimental
int
vfbc_channel_service_wake_adopt(struct vfbc_channel *ch, uint16_t vf, int fd);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Dequeue the next valid request of a VF (PF side, creating handle; any
 * thread: the slot's lock serialises). The record is copied out of shared
 * memory, then validated; each malformed record met on the way is answered
 * with its validation error and counted, never returned. Records of a slot
 * whose claim is not the one the PF granted are dropped and counted
 * (requests_unclaimed), never served. Returns nothing while the response
 * ring is full, so that every accepted request can be answered. If
 * requests remain, the VF's doorbell bit is set again.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[out] req
 *   The validated request.
 * @return
 *   - 1 if a request was returned;
 *   - 0 if there is none (or no room to answer, or the request or
 *     response ring indexes are out of bounds: counted, logged once);
 *   - (-EINVAL) for a NULL argument or vf out of range;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_request_dequeue(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_req *req);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Answer a request (PF side, creating handle; any thread, also after the
 * dequeueing thread moved on: answers may be given asynchronously).
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param req
 *   The request answered (its type and id are echoed).
 * @param status
 *   0 or a negative errno.
 * @param data
 *   Payload (reads); may be NULL only when len is 0.
 * @param len
 *   Bytes of payload, 0..VFBC_CHANNEL_BLOCK_SIZE.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for NULL arguments, vf out of range, len too large or a
 *     positive status;
 *   - (-EPERM) if ch is not the handle that created the channel;
 *   - (-ESTALE) if the request is not in flight: dequeued under an
 *     earlier claim of the slot (its holder released it, died, or the PF
 *     revoked it: a grant or a revoke drops what was in flight), already
 *     answered, or never dequeued; the answer is not the current holder's:
 *     dropped, nothing written (an answer a grant or revoke dropped was
 *     counted in responses_dropped then);
 *   - (-ENOBUFS) if the response ring is full;
 *   - (-EPROTO) if the response ring indexes are out of bounds (the VF
 *     wrecked them; counted, logged once, nothing written).
 */
__vfbc_experimental
int
vfbc_channel_respond(struct vfbc_channel *ch, uint16_t vf, const struct vfbc_channel_req *req,
		int32_t status, const void *data, uint32_t len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take the next response (VF side, through a handle holding the VF's
 * claim; one thread at a time).
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[out] resp
 *   The response; len is clamped to VFBC_CHANNEL_BLOCK_SIZE.
 * @return
 *   - 1 if a response was returned;
 *   - 0 if there is none;
 *   - (-EINVAL) for a NULL argument or vf out of range;
 *   - (-EPERM) if this handle does not hold the VF's claim;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_response_poll(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_resp *resp);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Does this handle still hold VF vf's claim (the one it was granted)?
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @return
 *   - 1 if it does, 0 if not (never claimed, released, revoked or taken
 *     over, or the channel's memory is gone: its creator freed it);
 *   - (-EINVAL) ch is NULL or vf out of range.
 */
__vfbc_experimental
int
vfbc_channel_holds(const struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The PF's own counts of a VF's claims (creating handle only): grants, and
 * the grants that took the claim over from a holder (dead, or never
 * granted). Unlike the VF's counters in shared memory, no VF can change
 * them: a PF may decide from them.
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @param[out] grants
 *   Claims granted.
 * @param[out] takeovers
 *   ... of them taken over.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) a NULL argument or vf out of range (nothing written);
 *   - (-EPERM) the handle did not create the channel.
 */
__vfbc_experimental
int
vfbc_channel_claim_counts(const struct vfbc_channel *ch, uint16_t vf, uint64_t *grants,
		uint64_t *takeovers);

/** vfbc_channel_life_post() cause: no event, a change of state alone. */
#define VFBC_CHANNEL_LIFE_NONE (-1)

/** A consistent snapshot of a VF's life lines (vfbc_channel_life_get()). */
struct vfbc_channel_life {
	uint32_t seq;   /**< Events posted so far. */
	uint32_t state; /**< VFBC_CHANNEL_LIFE_S_* bits. */
	uint32_t count[VFBC_CHANNEL_LIFE_NB_CAUSES]; /**< Events per cause. */
	uint32_t log[VFBC_CHANNEL_LIFE_LOG_SIZE];    /**< Latest events, (n << 8) | cause. */
};

/** Where a reader of a VF's life events is (vfbc_channel_life_next()). */
struct vfbc_channel_life_cursor {
	uint32_t seq;   /**< Events taken. */
	uint32_t count[VFBC_CHANNEL_LIFE_NB_CAUSES]; /**< ... per cause. */
};

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Tell a VF's consumer what the PF did to the VF (PF side, creating handle
 * only): count and log the event, and set the VF's life state to
 * (state & ~clear) | set, in one update its readers see whole. Disable and
 * enable are posted by vfbc_channel_vf_addr_set() itself (a VF whose
 * address goes away is disabled, one whose address appears is enabled).
 * Takes the VF's slot lock; no system call.
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @param cause
 *   VFBC_CHANNEL_LIFE_FLR, _FLR_ASKED, _POWER, _DISABLED or _ENABLED, or
 *   VFBC_CHANNEL_LIFE_NONE to change the state without an event.
 * @param clear
 *   State bits to clear (VFBC_CHANNEL_LIFE_S_*).
 * @param set
 *   State bits to set, after clearing.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) ch is NULL, vf out of range, cause unknown, or a bit of
 *     clear or set is not a VFBC_CHANNEL_LIFE_S_* bit (nothing changed);
 *   - (-EPERM) the handle did not create the channel.
 */
__vfbc_experimental
int
vfbc_channel_life_post(struct vfbc_channel *ch, uint16_t vf, int cause, uint32_t clear,
		uint32_t set);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read a VF's life lines: a consistent snapshot of the PF's latest write.
 * Any handle that reaches the VF; no claim is needed (a consumer whose VF
 * was disabled reads why). The creating handle reads its own copy.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[out] life
 *   The snapshot.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL argument or vf out of range;
 *   - (-EAGAIN) the lines kept changing (a writer stalled mid-write, or a
 *     VF that rewrites its own area): nothing written to life;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_life_get(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_life *life);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The channel's life generation (layout 3.2): a word of the channel header
 * the PF adds 1 to after every life post, claim grant and claim revoke of
 * any of its VFs, and when it frees the channel. A consumer that watches
 * many VFs reads it first, and their life lines and claim words only when
 * it changed since its last look. A hint, not a guarantee: any process of
 * the channel can write it, so such a consumer still looks at everything
 * now and then. One load, acquire: a reader that sees a value sees what
 * the PF published before it.
 *
 * @param ch
 *   Handle of a shared channel (not a region's: an isolated channel's
 *   consumer reaches no header, its PF's socket tells it instead).
 * @param[out] gen
 *   The word.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL argument;
 *   - (-ENOTSUP) a region's handle;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_life_gen(const struct vfbc_channel *ch, uint32_t *gen);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Start reading life events from a snapshot: events after it are new.
 *
 * @param cur
 *   The cursor.
 * @param now
 *   A snapshot (vfbc_channel_life_get()).
 * @return
 *   - 0 on success; (-EINVAL) for a NULL argument.
 */
__vfbc_experimental
int
vfbc_channel_life_cursor_init(struct vfbc_channel_life_cursor *cur,
		const struct vfbc_channel_life *now);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The causes of the events posted between cur and now, oldest first, and
 * cur moved past them: every event exactly once. Events still in the log
 * come in the order the PF posted them; a reader more than
 * VFBC_CHANNEL_LIFE_LOG_SIZE events behind gets the older ones first, from
 * the counters, in cause order. At most max are taken: call again until 0.
 * A pure function of its arguments.
 *
 * @param now
 *   A snapshot (vfbc_channel_life_get()).
 * @param cur
 *   The reader's cursor, moved past what is returned.
 * @param[out] causes
 *   The causes (VFBC_CHANNEL_LIFE_*), max entries.
 * @param max
 *   Size of causes, at least 1.
 * @return
 *   - the number of causes written (0: none new);
 *   - (-EINVAL) for a NULL argument or max 0;
 *   - (-ESTALE) now is older than cur (another channel, or a new region
 *     with a life of its own): initialise the cursor again;
 *   - (-EBADMSG) now is not what a PF writes (counts that do not add up, a
 *     log entry of another event): cur is left as it was.
 */
__vfbc_experimental
int
vfbc_channel_life_next(const struct vfbc_channel_life *now, struct vfbc_channel_life_cursor *cur,
		uint8_t *causes, unsigned int max);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read the counters of a VF.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @param[out] stats
 *   The counters.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL argument or vf out of range;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_stats_get(const struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_stats *stats);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Publish, or withdraw, the PCI address of the VF that owns slot vf (PF
 * side, creating handle). The PF driver publishes the routing-ID address of
 * every enabled VF and withdraws the others whenever virtualization changes,
 * so that a VF consumer finds its slot by its own address. One 8-byte atomic
 * store: readers never see half an address. A claim is the right to one
 * function: withdrawing the address, or publishing another one, revokes
 * the slot's claim (as vfbc_channel_claim_revoke() does) and refuses any
 * claim whose proof was checked against the old function.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index, < number of VFs.
 * @param addr
 *   The VF's address; NULL withdraws it (the slot then has no VF).
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch, vf out of range, or an address whose device
 *     (> 31) or function (> 7) cannot exist;
 *   - (-EPERM) if ch is not the handle that created the channel.
 */
__vfbc_experimental
int
vfbc_channel_vf_addr_set(struct vfbc_channel *ch, uint16_t vf, const struct rte_pci_addr *addr);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read the PCI address published for slot vf (any process). The creating
 * handle reads its own copy, which no VF can write; another handle reads
 * the shared one.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index, < number of VFs.
 * @param[out] addr
 *   The address, written only when 0 is returned.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL argument or vf out of range;
 *   - (-ENOENT) if no address is published for the slot (VF not enabled);
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_vf_addr_get(const struct vfbc_channel *ch, uint16_t vf, struct rte_pci_addr *addr);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Find the slot whose published address is addr (VF side: a VF PMD looks
 * up its own slot). Linear in the number of VFs: a setup-time call.
 *
 * @param ch
 *   Handle.
 * @param addr
 *   The VF's PCI address.
 * @return
 *   - the VF index (>= 0);
 *   - (-EINVAL) for a NULL argument;
 *   - (-ENOENT) if no slot publishes this address;
 *   - (-EEXIST) if more than one slot does (a VF wrote another's address
 *     into its own area, or the PF is renumbering its VFs): the slot
 *     cannot be told from the channel; the caller uses another source
 *     (sysfs) or tries again;
 *   - (-ENODEV) if the channel's memory is gone: its creator freed it (an
 *     attached handle; nothing was done).
 */
__vfbc_experimental
int
vfbc_channel_vf_find(const struct vfbc_channel *ch, const struct rte_pci_addr *addr);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Create an isolated channel (primary process): each VF's area lives in its
 * own memory file (a memfd of vfbc_channel_region_size() bytes, sealed
 * against resizing), which the PF maps and may hand to that VF's consumer
 * alone, e.g. over a Unix socket (SCM_RIGHTS). A memzone
 * "vfbc_ch_<name>" holds the header only, so that the name is taken and a
 * secondary's vfbc_channel_attach() is refused (ENOTSUP): secondaries and
 * the rte_mp claim service do not serve an isolated channel. Claims are
 * granted by the PF application (vfbc_channel_claim_grant(), no verifier
 * needed) and adopted by the consumer (vfbc_channel_claim_adopt()).
 *
 * A consumer can write only its own region: nothing the PF reads as being
 * about a VF comes from another VF's region, and the PF finds requests by
 * reading each region's own request ring (vfbc_channel_doorbell_scan()
 * looks at a bounded window of VFs per call, round robin).
 *
 * @param name
 *   Channel name; at most VFBC_CHANNEL_NAME_MAX characters.
 * @param nb_vfs
 *   Number of VFs, 1..VFBC_CHANNEL_MAX_VFS.
 * @return
 *   The creating handle, or NULL with rte_errno set as vfbc_channel_create()
 *   does, or with the errno of memfd_create(), ftruncate() or mmap().
 */
__vfbc_experimental
struct vfbc_channel *
vfbc_channel_create_isolated(const char *name, uint16_t nb_vfs);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * @param ch
 *   Handle.
 * @return
 *   1 if ch is a handle of an isolated channel (the creator's or a
 *   region's), 0 otherwise or if ch is NULL.
 */
__vfbc_experimental
int
vfbc_channel_is_isolated(const struct vfbc_channel *ch);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * @return
 *   Bytes of one VF's region of an isolated channel (a multiple of the
 *   page size).
 */
__vfbc_experimental
size_t
vfbc_channel_region_size(void);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The memory file of one VF's region (PF side). The descriptor stays the
 * channel's: duplicate it to keep it, send it as it is (SCM_RIGHTS copies
 * it), never close it.
 *
 * @param ch
 *   The creating handle of an isolated channel.
 * @param vf
 *   VF index.
 * @return
 *   - the descriptor (>= 0);
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if ch is not the creating handle;
 *   - (-ENOTSUP) if the channel is not isolated.
 */
__vfbc_experimental
int
vfbc_channel_region_fd(const struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Map one VF's region from its memory file (consumer side, any process,
 * no EAL memory needed): the handle reaches VF vf only; every call on
 * another VF of it fails with -EINVAL. The region's header (magic, version,
 * VF index, geometry) is checked, and nothing the mapping holds is
 * followed as a pointer. The handle keeps its own duplicate of fd.
 *
 * @param fd
 *   The region's memory file, e.g. received from the PF.
 * @param vf
 *   The VF index the region must be of.
 * @return
 *   The handle, or NULL with rte_errno set:
 *   - EINVAL: fd < 0 or vf out of range;
 *   - EPROTO: not a region of this layout (magic, version, size, geometry)
 *     or a region of another VF;
 *   - ENOMEM: no memory for the handle;
 *   - or the errno of fstat(), dup() or mmap().
 */
__vfbc_experimental
struct vfbc_channel *
vfbc_channel_attach_region(int fd, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Map another region file of the same VF in place of a region handle's
 * (consumer side): after a new grant the PF hands out a new file, and the
 * handle keeps its addresses, so that a thread still in a call on it never
 * touches unmapped memory. The new file is checked as
 * vfbc_channel_attach_region() checks one before it replaces anything. The
 * handle holds no claim afterwards: adopt the new grant's word
 * (vfbc_channel_claim_adopt()).
 *
 * @param ch
 *   A handle from vfbc_channel_attach_region().
 * @param fd
 *   The VF's new region file; the handle keeps its own duplicate.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch, fd < 0, or ch not a region's handle;
 *   - (-EPROTO) if fd is not a region of this layout and VF (the handle
 *     unchanged);
 *   - or the negative errno of fcntl(), fstat() or mmap().
 */
__vfbc_experimental
int
vfbc_channel_region_remap(struct vfbc_channel *ch, int fd);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take up, as the VF's consumer, a claim the creator granted to this
 * process out of band (vfbc_channel_claim_grant() called by the PF
 * application, the word received e.g. over its socket): the same as the
 * end of a successful vfbc_channel_claim().
 *
 * @param ch
 *   Handle reaching VF vf (e.g. from vfbc_channel_attach_region()).
 * @param vf
 *   VF index.
 * @param word
 *   The claim word granted.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch, vf out of range, a word of no holder;
 *   - (-EALREADY) if this handle already holds the VF;
 *   - (-EBUSY) if the VF's claim word is no longer word (granted again, or
 *     revoked, since).
 */
__vfbc_experimental
int
vfbc_channel_claim_adopt(struct vfbc_channel *ch, uint16_t vf, uint64_t word);

/**
 * Internal: create a channel in memory the caller provides (no memzone, no EAL
 * needed): for tests, fuzzers and sanitizer runs that must not depend on
 * EAL's memory. The memory must be cache-line aligned, at least
 * vfbc_channel_memsize(nb_vfs) bytes, and outlive the handle.
 *
 * @param base
 *   The memory.
 * @param len
 *   Its size in bytes.
 * @param nb_vfs
 *   Number of VFs, 1..VFBC_CHANNEL_MAX_VFS.
 * @return
 *   The creating handle, or NULL with rte_errno set (EINVAL: NULL base,
 *   misaligned, too small, nb_vfs out of range; ENOMEM).
 */
__vfbc_internal
struct vfbc_channel *
vfbc_channel_create_mem(void *base, size_t len, uint16_t nb_vfs);

/**
 * Internal: attach to a channel in caller-provided memory, checking it exactly as
 * vfbc_channel_attach() checks a memzone (magic, version, geometry).
 *
 * @param base
 *   The memory.
 * @param len
 *   Its size in bytes.
 * @return
 *   The handle, or NULL with rte_errno set as vfbc_channel_attach() does.
 */
__vfbc_internal
struct vfbc_channel *
vfbc_channel_attach_mem(void *base, size_t len);

/**
 * Internal: the service does not read VF vf's request ring for now (the PF
 * driver, while the VF's job runs on its control thread), or reads it
 * again. Requests waiting in a held ring are no work for
 * vfbc_channel_service_sleep_arm() (an isolated channel's, which reads the
 * rings): whoever lets go wakes the service (vfbc_channel_service_kick()).
 *
 * @param ch
 *   The creating handle.
 * @param vf
 *   VF index.
 * @param hold
 *   Non-zero: held; 0: let go.
 * @return
 *   0; (-EINVAL) for a NULL ch or a VF out of range; (-EPERM) if ch is not
 *   the handle that created the channel.
 */
__vfbc_internal
int
vfbc_channel_service_hold(struct vfbc_channel *ch, uint16_t vf, int hold);

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_H_ */
