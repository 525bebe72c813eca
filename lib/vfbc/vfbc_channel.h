/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_H_
#define _VFBC_CHANNEL_H_

/**
 * @file
 * vfbc mailbox channel: the PF<->VF backchannel of one PF, in one memzone.
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
 * - a consumer claim (one live consumer per VF, dead ones taken over);
 * - counters.
 *
 * Invalidation protocol (memory-ordering labels refer to the code):
 *
 * - vfbc_channel_invalidate() ORs the mask into pending (R1), then, if the
 *   consumer is armed, takes the arm (A3) and enqueues one doorbell into the
 *   notify ring. It never waits and makes no system call: one locked OR, at
 *   most one exchange and one single-producer enqueue that cannot be
 *   contended (only the lcore that took the arm enqueues). A full ring only
 *   loses the doorbell, never a bit: the bits stay in pending.
 * - vfbc_channel_poll_invalidations() drains the notify ring, re-arms if it
 *   consumed a doorbell (S1), then reads pending (A1) and exchanges it with
 *   zero (A2). pending is the only source of delivered bits: ring elements
 *   are wake-up hints, so a stale element can never produce a phantom bit,
 *   and a skipped doorbell can never strand one. S1 before A1 against R1
 *   before A3 (all sequentially consistent) guarantees that an invalidate
 *   the poll does not see finds the consumer armed and rings.
 *
 * Threading: invalidate, block_write, request_dequeue and respond may be
 * called from any number of PF lcores, through the creating handle (the
 * PF's locks are in it, not in shared memory), except that request_dequeue
 * for one VF must not run on two lcores at once. poll_invalidations,
 * response_poll and block_read belong to the single consumer of the VF (the
 * holder of the claim); request_post may be called by its threads.
 *
 * Trust: VF processes share the hugepage memory with the PF, so nothing
 * stops a hostile process from writing anywhere; what the library
 * guarantees, against anything a VF writes in its own area, is that every
 * value the PF consumes from it (request records, lengths, offsets, block
 * ids, VF ids, ring indexes) is copied and validated, or bounded, before
 * use; that the PF never uses an offset or a ring size, mask or capacity
 * stored in shared memory; and that the PF never waits on a shared word
 * (its locks are process-local, its ring operations single-producer or
 * single-consumer). A ring whose indexes are out of bounds is refused and
 * counted (ring_corrupt in struct vfbc_channel_stats).
 */

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_pci.h>
#include <rte_ring_elem.h>

#include "vfbc_compat.h"
#include "vfbc_channel_layout.h"
#include "vfbc_channel_pvt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Prefix of channel memzone names; the channel name follows it. */
#define VFBC_CHANNEL_MZ_PREFIX "vfbc_ch_"
/** Longest channel name (memzone names are at most 31 characters). */
#define VFBC_CHANNEL_NAME_MAX (RTE_MEMZONE_NAMESIZE - 1 - (sizeof(VFBC_CHANNEL_MZ_PREFIX) - 1))
/** Snapshot attempts of vfbc_channel_block_read before -EAGAIN. */
#define VFBC_CHANNEL_READ_RETRIES 64
/** Mask delivered once after a takeover: every block. */
#define VFBC_CHANNEL_ALL_BLOCKS UINT64_MAX

/** Counters of one VF of a channel (a snapshot, process-local). */
struct vfbc_channel_stats {
	uint64_t invalidations;      /**< Invalidate calls. */
	uint64_t coalesced;          /**< ... merged without a new doorbell. */
	uint64_t doorbells;          /**< Notify ring elements enqueued. */
	uint64_t notify_ring_full;   /**< Doorbells lost to a full ring (bits kept). */
	uint64_t deliveries;         /**< Non-empty masks delivered to the VF. */
	uint64_t resyncs;            /**< "All blocks" deliveries after a takeover. */
	uint64_t requests_posted;    /**< Requests enqueued by the VF. */
	uint64_t request_ring_full;  /**< Requests refused: ring full. */
	uint64_t requests_accepted;  /**< Valid requests handed to the PF. */
	uint64_t requests_rejected;  /**< Malformed requests, answered with an error. */
	uint64_t responses;          /**< Responses enqueued by the PF. */
	uint64_t response_ring_full; /**< Responses refused: ring full. */
	uint64_t responses_received; /**< Responses dequeued by the VF. */
	uint64_t claims;             /**< Successful claims, takeovers included. */
	uint64_t takeovers;          /**< Claims taken from a dead consumer. */
	/**
	 * Ring operations the PF refused because the VF's ring indexes were
	 * out of bounds (a corrupt or hostile VF; layout minor 2).
	 */
	uint64_t ring_corrupt;
};

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
 * armed, no claim, empty blocks and rings.
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
 *   - (-EINVAL) if vf is out of range or mask is 0.
 */
static inline int
vfbc_channel_invalidate(struct vfbc_channel *ch, uint16_t vf, uint64_t mask)
{
	struct vfbc_ch_notify_elem el;
	struct vfbc_ch_shm_vf *v;
	struct rte_ring *r;
	int ret;

	if (unlikely(ch == NULL || vf >= ch->nb_vfs || mask == 0))
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);

	/*
	 * R1: pairs with A1/A2 in vfbc_channel_poll_invalidations(): the
	 * release half publishes the block data written before this call,
	 * so the VF that takes the bit reads that data (or newer). Its
	 * sequentially consistent order before A3 is the producer half of the
	 * S1/A1 - R1/A3 handshake: if the poll's A1 misses these bits, A3
	 * sees the consumer's re-arm S1 and a doorbell follows.
	 */
	__vfbc_ch_or64_sc(&v->notify.pending, mask);
	__vfbc_ch_count(&v->pf.stats.invalidations);

	/*
	 * A3: pairs with S1 in vfbc_channel_poll_invalidations() (and the
	 * initial arm at create). The load keeps the coalescing path
	 * read-only on the arm; the exchange elects exactly one lcore per
	 * arm, which makes the enqueue single-producer without a lock.
	 */
	if (__vfbc_ch_load32_sc(&v->notify.armed) == 0 ||
			__vfbc_ch_xchg32_sc(&v->notify.armed, 0) == 0) {
		__vfbc_ch_count(&v->pf.stats.coalesced);
		return 0;
	}

	el.mask = mask;
	el.seq = __vfbc_ch_load32_relaxed(&v->pf.notify_seq) + 1;
	el.rsvd = 0;
	/* Only the arm holder writes notify_seq: no other store races it. */
	__vfbc_ch_store32_relaxed(&v->pf.notify_seq, el.seq);
	/*
	 * Single producer (the arm holder), private mask, bounded indexes: no
	 * wait on, and no geometry from, the VF's area (vfbc_channel_pvt.h).
	 */
	r = __vfbc_ch_ring(ch, vf, ch->notify_ring_off);
	ret = __vfbc_ch_ring_sp_enqueue(r, __VFBC_CH_NOTIFY_MASK, &el, sizeof(el));
	if (unlikely(ret != 0)) {
		/*
		 * Full: the ring holds doorbells the consumer has not drained;
		 * draining them re-arms it, and the bits wait in pending.
		 * Corrupt indexes: the VF wrecked its own ring; the bits wait in
		 * pending as well, for a consumer that polls.
		 */
		__vfbc_ch_count(ret == -ENOBUFS ? &v->pf.stats.notify_ring_full :
				&v->pf.ring_corrupt);
		return 0;
	}
	__vfbc_ch_count(&v->pf.stats.doorbells);
	return 0;
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Invalidate the same blocks of every VF (SRIOV_INVALIDATE_BLOCK_ALL_VFS).
 *
 * @param ch
 *   Handle.
 * @param mask
 *   Blocks to invalidate; not 0.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) if ch is NULL or mask is 0.
 */
__vfbc_experimental
int
vfbc_channel_invalidate_all(struct vfbc_channel *ch, uint64_t mask);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take the blocks invalidated since the previous delivery (VF side; only the
 * claim holder may call it). Every bit of every returned invalidate is
 * delivered by a later call; a delivered bit was invalidated since the
 * previous delivery, except once after a takeover from a dead consumer,
 * when VFBC_CHANNEL_ALL_BLOCKS is delivered (the dead consumer may have
 * taken bits it never acted on). Idle cost: one empty ring check, one load.
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
 *   - (-EINVAL) if ch or mask is NULL or vf is out of range.
 */
static inline int
vfbc_channel_poll_invalidations(struct vfbc_channel *ch, uint16_t vf, uint64_t *mask)
{
	struct vfbc_ch_notify_elem el[8];
	struct vfbc_ch_shm_vf *v;
	struct rte_ring *r;
	unsigned int drained;
	unsigned int n;
	uint64_t m;

	if (unlikely(ch == NULL || mask == NULL || vf >= ch->nb_vfs))
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	r = __vfbc_ch_ring(ch, vf, ch->notify_ring_off);

	/* Bounded by the ring size: doorbells are hints, their masks unused. */
	drained = 0;
	do {
		n = rte_ring_sc_dequeue_burst_elem(r, el, sizeof(el[0]), RTE_DIM(el), NULL);
		drained += n;
	} while (n == RTE_DIM(el) && drained < VFBC_CHANNEL_NOTIFY_RING_SIZE);

	if (drained != 0)
		/*
		 * S1: pairs with A3 in vfbc_channel_invalidate(). Re-arm only
		 * after consuming a doorbell: the lcore that enqueued it has
		 * finished its enqueue, so the next arm holder is the only
		 * producer of the ring.
		 */
		__vfbc_ch_store32_sc(&v->notify.armed, 1);

	/*
	 * A1: pairs with R1 in vfbc_channel_invalidate(). Sequentially
	 * consistent after S1: bits this load misses were ORed after it, and
	 * their producer's A3 then sees the arm.
	 */
	m = __vfbc_ch_load64_sc(&v->notify.pending);
	if (m != 0)
		/*
		 * A2: pairs with R1 (acquire half): takes the bits, and with
		 * them the visibility of the block data written before them.
		 */
		m = __vfbc_ch_xchg64_sc(&v->notify.pending, 0);

	if (unlikely(__vfbc_ch_load32_acquire(&v->consumer.resync) != 0)) {
		/* A6: pairs with R6 in vfbc_channel_claim(). */
		__vfbc_ch_store32_relaxed(&v->consumer.resync, 0);
		__vfbc_ch_count(&v->consumer.stats.resyncs);
		m = VFBC_CHANNEL_ALL_BLOCKS;
	}
	if (m == 0)
		return 0;
	__vfbc_ch_count(&v->consumer.stats.deliveries);
	*mask = m;
	return 1;
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
 * Read a consistent snapshot of a config block (VF side; also usable by
 * the PF).
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
 *   - (-ENOENT) if the block was never written;
 *   - (-ENOBUFS) if buf_len is smaller than the block (nothing copied);
 *   - (-EAGAIN) if every one of VFBC_CHANNEL_READ_RETRIES attempts
 *     overlapped a write.
 */
__vfbc_experimental
int
vfbc_channel_block_read(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		void *buf, uint32_t buf_len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Claim the consumer role of a VF for the calling process. A claim held by
 * a process that no longer exists (kill(pid, 0) fails with ESRCH) is taken
 * over, and the next poll then delivers VFBC_CHANNEL_ALL_BLOCKS once.
 * Caveat: a reused pid makes a dead claim look alive (-EBUSY) until that
 * process exits; all processes must share a pid namespace.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @return
 *   - 0 if the VF was free and is now claimed;
 *   - 1 if it was taken over from a dead consumer;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EALREADY) if this process already holds the claim;
 *   - (-EBUSY) if a live process holds it.
 */
__vfbc_experimental
int
vfbc_channel_claim(struct vfbc_channel *ch, uint16_t vf);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Release the consumer role. Bits still pending stay for the next consumer.
 *
 * @param ch
 *   Handle.
 * @param vf
 *   VF index.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) for a NULL ch or vf out of range;
 *   - (-EPERM) if the calling process does not hold the claim.
 */
__vfbc_experimental
int
vfbc_channel_release(struct vfbc_channel *ch, uint16_t vf);

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
 *   - (-EINVAL) for a NULL ch or vf out of range.
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
 *   - (-ENOENT) if a block id cannot be addressed.
 */
__vfbc_experimental
int
vfbc_channel_request_validate(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_ch_req *req);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Post a request (VF side) and ring the VF's doorbell bit. The library sets
 * req->vf_id and a fresh req->req_id, validates the record, then enqueues a
 * copy.
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
 *   - (-ENOBUFS) if the request ring is full.
 */
__vfbc_experimental
int
vfbc_channel_request_post(struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_req *req);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Collect the VFs whose doorbell bit is set and clear those bits (PF
 * service). Cost: one load per bitmap word plus one exchange per non-zero
 * word; idle VFs cost nothing. Bits beyond max are left set.
 *
 * @param ch
 *   Handle.
 * @param[out] vfs
 *   VF indexes, ascending.
 * @param max
 *   Size of vfs.
 * @return
 *   - the number of VFs written to vfs;
 *   - (-EINVAL) for a NULL ch or vfs, or max 0.
 */
__vfbc_experimental
int
vfbc_channel_doorbell_scan(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Dequeue the next valid request of a VF (PF side; one lcore per VF at a
 * time). The record is copied out of shared memory, then validated; each
 * malformed record met on the way is answered with its validation error
 * and counted, never returned. Returns nothing while the response ring is
 * full (the doorbell stays set), so that every accepted request can be
 * answered. If requests remain, the VF's doorbell bit is set again.
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
 *   - (-EINVAL) for a NULL argument or vf out of range.
 */
__vfbc_experimental
int
vfbc_channel_request_dequeue(struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_req *req);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Answer a request (PF side).
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
 *   - (-ENOBUFS) if the response ring is full;
 *   - (-EPROTO) if the response ring indexes are out of bounds (the VF
 *     wrecked them; counted, logged once, nothing written).
 */
__vfbc_experimental
int
vfbc_channel_respond(struct vfbc_channel *ch, uint16_t vf, const struct vfbc_ch_req *req,
		int32_t status, const void *data, uint32_t len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Take the next response (VF side).
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
 *   - (-EINVAL) for a NULL argument or vf out of range.
 */
__vfbc_experimental
int
vfbc_channel_response_poll(struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_resp *resp);

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
 *   - (-EINVAL) for a NULL argument or vf out of range.
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
 * side; layout minor 1). The PF driver publishes the routing-ID address of
 * every enabled VF and withdraws the others whenever virtualization changes,
 * so that a VF consumer finds its slot by its own address. One 8-byte atomic
 * store: readers never see half an address.
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
 *     (> 31) or function (> 7) cannot exist.
 */
__vfbc_experimental
int
vfbc_channel_vf_addr_set(struct vfbc_channel *ch, uint16_t vf, const struct rte_pci_addr *addr);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read the PCI address published for slot vf (any process).
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
 *   - (-ENOENT) if no address is published for the slot (VF not enabled,
 *     or a creator of layout minor 0).
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
 *   - (-ENOENT) if no slot publishes this address.
 */
__vfbc_experimental
int
vfbc_channel_vf_find(const struct vfbc_channel *ch, const struct rte_pci_addr *addr);

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_H_ */
