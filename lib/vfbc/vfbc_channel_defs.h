/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef VFBC_CHANNEL_DEFS_H_
#define VFBC_CHANNEL_DEFS_H_

/**
 * @file
 * What the drivers' APIs share with the channel library: the sizes of a
 * VF's config blocks, the request types and the counters of one VF (vfbc_channel_stats_get(),
 * vfbc_pf_mbox_stats()). A header of its own so that a PF or VF
 * application has them without the channel's inline fast path and the
 * private headers it needs.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most VFs a channel serves (the doorbell bitmap is sized for it). */
#define VFBC_CHANNEL_MAX_VFS 256
/** Invalidatable blocks per VF: ids 0..63, one mask bit each. */
#define VFBC_CHANNEL_NB_BLOCKS 64
/** Slots for block ids >= 64: stored and readable, never invalidated. */
#define VFBC_CHANNEL_NB_EXTRA_BLOCKS 8
/** Largest block and largest request/response payload (Hyper-V VPCI limit). */
#define VFBC_CHANNEL_BLOCK_SIZE 128
/** Bytes of VF configuration space a request may address (PCIe extended). */
#define VFBC_CHANNEL_CFG_SPACE_SIZE 4096

/**
 * Requests of one VF the PF may hold dequeued and unanswered; while it holds
 * as many, vfbc_channel_request_dequeue() takes no more of that VF's.
 */
#define VFBC_CHANNEL_INFLIGHT_MAX 32

/* The types of a VF's requests, as the request ring carries them. */
/** Request: write a configuration block (target = block id). */
#define VFBC_CHANNEL_REQ_BLOCK_WRITE 1
/** Request: read the VF's own config space (target = offset). */
#define VFBC_CHANNEL_REQ_CFG_READ 2
/** Request: write the VF's own config space (target = offset). */
#define VFBC_CHANNEL_REQ_CFG_WRITE 3

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
	 * out of bounds (a corrupt or hostile VF).
	 */
	uint64_t ring_corrupt;
	/** Requests the PF dropped: their slot had no claim it granted. */
	uint64_t requests_unclaimed;
	/** Claims the PF refused (no proof, held by a live consumer, ...). */
	uint64_t claims_refused;
	/** Requests a grant emptied from the ring, never dequeued (a dead holder's). */
	uint64_t requests_dropped;
	/**
	 * Answers a grant emptied from the ring, never read (a dead holder's),
	 * and answers to an earlier holder's requests refused (-ESTALE).
	 */
	uint64_t responses_dropped;
	/** Sleep mode: wakes sent to the VF's sleeping consumer. */
	uint64_t wakeups;
};

#ifdef __cplusplus
}
#endif

#endif /* VFBC_CHANNEL_DEFS_H_ */
