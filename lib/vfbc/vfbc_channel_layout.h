/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_LAYOUT_H_
#define _VFBC_CHANNEL_LAYOUT_H_

/**
 * @file
 * Shared-memory layout of a vfbc channel: the ONE description of the bytes
 * the PF (primary process) and the VF consumers (secondary processes) share.
 *
 * Not for direct inclusion: include vfbc_channel.h.
 *
 * Rules: fixed-width integers only (no pointers, bool or enum); every place
 * is given by an offset from the memzone start; fields written by different
 * parties sit on different cache lines; every size and offset the protocol
 * depends on is checked at compile time below. Bump
 * VFBC_CHANNEL_VERSION_MAJOR on any incompatible change.
 *
 * Memzone:
 *
 *   offset 0                 struct vfbc_channel_shm_hdr (header + doorbell bitmap)
 *   hdr.vf_area_off          VF 0 area (hdr.vf_size bytes)
 *   + vf * hdr.vf_size       VF vf area
 *
 * Beside every channel of the primary: the service summary, a memzone of
 * its own (struct vfbc_channel_shm_summary), one bit per channel.
 *
 * Isolated channel (hdr.flags has VFBC_CHANNEL_F_ISOLATED): the memzone
 * holds the header only (hdr.size is its size, hdr.vf_area_off 0), and each
 * VF's area is in a region of its own, a memory file sealed at its size:
 *
 *   offset 0                 struct vfbc_channel_shm_region_hdr
 *   region.area_off          the VF's area, as below
 *
 * VF area:
 *
 *   0                        struct vfbc_channel_shm_vf: notify line, PF lines
 *                            (with the VF's PCI address), life lines,
 *                            consumer lines, block slots
 *   hdr.notify_ring_off      vfbc ring (vfbc_ring.h), struct vfbc_channel_notify_elem
 *   hdr.req_ring_off         vfbc ring, struct vfbc_channel_req
 *   hdr.resp_ring_off        vfbc ring, struct vfbc_channel_resp
 *
 * Who writes what (a VF process can write any byte of its own area; the PF
 * trusts none of it, see vfbc_channel.h "Trust"):
 *
 *   notify line       PF lcores (pending OR, arm exchange), consumer (pending
 *                     exchange, re-arm)
 *   PF lines          PF only (counters, the VF address, the verified claim)
 *   life lines        PF only (seqlock writer): what the PF did to the VF
 *   consumer lines    consumer (counters, request ids, release of its claim);
 *                     the PF writes the claim word when it grants a claim
 *   blocks            PF only (seqlock writer); the consumer reads
 *   rings             the producer its prod line and the slots, the
 *                     consumer its cons line (vfbc_ring.h)
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
/*
 * DPDK 22.11's rte_seqlock.h (rte_seqlock_t is in the shared layout) has
 * inline functions calling the experimental rte_seqcount_*: they would warn
 * in every application that merely includes vfbc_channel.h.
 */
#ifndef ALLOW_EXPERIMENTAL_API
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
#include <rte_seqlock.h>
#ifndef ALLOW_EXPERIMENTAL_API
#pragma GCC diagnostic pop
#endif
#include <rte_spinlock.h>

#include "vfbc_channel_defs.h"
#include "vfbc_compat.h"
#include "vfbc_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "VFBC" in little-endian byte order: first word of a channel memzone. */
#define VFBC_CHANNEL_MAGIC 0x43424656u
/**
 * Incompatible layout change: attach refuses a different major.
 * 2: vfbc rings (vfbc_ring.h) instead of rte_ring headers; claims granted by
 * the PF (the verified claim in the PF line).
 * 2.1: the header's incarnation and the PF line's drop counters (were
 * reserved, zero).
 * 2.2: the header's flags; isolated channels (each VF area in its own
 * region, see struct vfbc_channel_shm_region_hdr).
 * 3: the life lines (struct vfbc_channel_shm_life) in every VF area.
 * 3.1: the notify line's sleeping word (was reserved, zero).
 * 3.2: the header's life generation (was reserved, zero).
 * 3.3: the service's sleep words, in the header's doorbell line and in the
 * notify line (were padding, zero).
 * 4: the service summary (struct vfbc_channel_shm_summary, the header's
 * summary_slot): a post that makes a doorbell word non-zero sets its
 * channel's summary bit, which a consumer of 3 would not.
 */
#define VFBC_CHANNEL_VERSION_MAJOR 4
/** Compatible addition: attach accepts a creator minor >= its own. */
#define VFBC_CHANNEL_VERSION_MINOR 0

/**
 * Header flag: the channel is isolated, its memzone holds the header only
 * and every VF's area is a region of its own (a memory file the PF hands to
 * that VF's consumer alone).
 */
#define VFBC_CHANNEL_F_ISOLATED 0x1u

/** "VFBR" in little-endian byte order: first word of a VF region. */
#define VFBC_CHANNEL_REGION_MAGIC 0x52424656u

/**
 * Name of the service summary's memzone: one per multi-process group,
 * reserved by the first channel the primary creates, kept for its life.
 */
#define VFBC_CHANNEL_SUMMARY_MZ "vfbc_summary"
/** "VFBS" in little-endian byte order: first word of the service summary. */
#define VFBC_CHANNEL_SUMMARY_MAGIC 0x53424656u
/** Channels one service summary has a bit for. */
#define VFBC_CHANNEL_SUMMARY_SLOTS 256
/** Words of the service summary's bitmap. */
#define VFBC_CHANNEL_SUMMARY_WORDS (VFBC_CHANNEL_SUMMARY_SLOTS / 64)

/** Words of the doorbell bitmap. */
#define VFBC_CHANNEL_DOORBELL_WORDS (VFBC_CHANNEL_MAX_VFS / 64)
/** Notify ring slots (power of two; all usable). */
#define VFBC_CHANNEL_NOTIFY_RING_SIZE 64
/** Request ring slots (power of two; all usable). */
#define VFBC_CHANNEL_REQ_RING_SIZE 32
/** Response ring slots (power of two; all usable). */
#define VFBC_CHANNEL_RESP_RING_SIZE 32

/** Life event: the PF reset the VF (function-level reset), on its own. */
#define VFBC_CHANNEL_LIFE_FLR 0
/** Life event: the PF reset the VF because its consumer asked (a config write). */
#define VFBC_CHANNEL_LIFE_FLR_ASKED 1
/** Life event: the PF changed the VF's power state (the state's D bits). */
#define VFBC_CHANNEL_LIFE_POWER 2
/** Life event: the VF was disabled (its claim is revoked with it). */
#define VFBC_CHANNEL_LIFE_DISABLED 3
/** Life event: the VF was enabled (again): a new function in the slot. */
#define VFBC_CHANNEL_LIFE_ENABLED 4
/** Causes a life line counts (0 .. VFBC_CHANNEL_LIFE_NB_CAUSES - 1). */
#define VFBC_CHANNEL_LIFE_NB_CAUSES 8
/** Latest life events whose order a life line keeps (a power of two). */
#define VFBC_CHANNEL_LIFE_LOG_SIZE 16

/** Life state bit: the VF is enabled (its address is published). */
#define VFBC_CHANNEL_LIFE_S_ENABLED 0x1u
/** Life state bit: a function-level reset of the VF is in progress. */
#define VFBC_CHANNEL_LIFE_S_RESETTING 0x2u
/** Life state: first bit of the VF's power state (0 = D0 .. 3 = D3hot). */
#define VFBC_CHANNEL_LIFE_S_D_SHIFT 2
/** Life state: the power state's bits. */
#define VFBC_CHANNEL_LIFE_S_D_MASK (0x3u << VFBC_CHANNEL_LIFE_S_D_SHIFT)

/** Block slot state: never written. */
#define VFBC_CHANNEL_BLOCK_EMPTY 0
/** Block slot state: holds data of length len. */
#define VFBC_CHANNEL_BLOCK_VALID 1

/**
 * Channel header, at offset 0. Written once by the creator; the magic is
 * stored last (release) so that an attacher that sees it sees the rest.
 */
struct vfbc_channel_shm_hdr {
	uint32_t magic;            /**< VFBC_CHANNEL_MAGIC once initialised. */
	uint16_t version_major;    /**< VFBC_CHANNEL_VERSION_MAJOR. */
	uint16_t version_minor;    /**< VFBC_CHANNEL_VERSION_MINOR. */
	uint64_t size;             /**< Bytes used, vfbc_channel_memsize(nb_vfs). */
	uint64_t vf_area_off;      /**< Offset of VF 0's area. */
	uint16_t nb_vfs;           /**< VFs served, 1..VFBC_CHANNEL_MAX_VFS. */
	uint16_t nb_blocks;        /**< VFBC_CHANNEL_NB_BLOCKS. */
	uint16_t nb_extra_blocks;  /**< VFBC_CHANNEL_NB_EXTRA_BLOCKS. */
	uint16_t block_size;       /**< VFBC_CHANNEL_BLOCK_SIZE. */
	uint32_t hdr_size;         /**< sizeof(struct vfbc_channel_shm_hdr). */
	uint32_t vf_size;          /**< Bytes per VF area (stride). */
	uint32_t notify_ring_off;  /**< Notify ring, from the VF area start. */
	uint32_t notify_ring_size; /**< VFBC_CHANNEL_NOTIFY_RING_SIZE. */
	uint32_t notify_elem_size; /**< sizeof(struct vfbc_channel_notify_elem). */
	uint32_t req_ring_off;     /**< Request ring, from the VF area start. */
	uint32_t req_ring_size;    /**< VFBC_CHANNEL_REQ_RING_SIZE. */
	uint32_t req_elem_size;    /**< sizeof(struct vfbc_channel_req). */
	uint32_t resp_ring_off;    /**< Response ring, from the VF area start. */
	uint32_t resp_ring_size;   /**< VFBC_CHANNEL_RESP_RING_SIZE. */
	uint32_t resp_elem_size;   /**< sizeof(struct vfbc_channel_resp). */
	uint32_t creator_pid;      /**< Process that created the channel. */
	/**
	 * Unique per creation (the creator's TSC then; 0 before 2.1): a handle
	 * kept across the PF's close and probe tells its channel is gone even
	 * when the new one has its name and address.
	 */
	uint64_t incarnation;
	uint32_t flags;            /**< VFBC_CHANNEL_F_* (layout 2.2; zero before). */
	/**
	 * Life generation (layout 3.2; reserved, zero before): the creator
	 * adds 1 (release) after every life post, claim grant and revoke of
	 * any VF and when it frees the channel, so that a consumer watching
	 * many VFs reads their lines only when it changed. A hint: any
	 * process of the channel can write it, the creator decides nothing
	 * from it, and a reader keeps a slow full look of its own.
	 */
	uint32_t life_gen;
	/**
	 * Layout 4: the channel's bit in the service summary, plus one; 0:
	 * none (an isolated channel, or no slot was left). Written by the
	 * creator before the magic.
	 */
	uint16_t summary_slot;

	/**
	 * Doorbell bitmap, bit vf set by VF vf after posting a request and
	 * exchanged to zero by the PF service: VF-written, PF-cleared, so on
	 * its own cache line.
	 */
	uint64_t doorbell[VFBC_CHANNEL_DOORBELL_WORDS] __rte_cache_aligned;
	/**
	 * Layout 3.3: not 0 while the PF's service sleeps
	 * (vfbc_channel_service_sleep_arm()); a VF that posts a request and
	 * reads it takes it back to 0 and wakes the service. On the doorbell
	 * line: the post that reads it already owns the line, for its bit.
	 */
	uint32_t service_asleep;
} __rte_cache_aligned;

/**
 * The service summary (layout 4), memzone VFBC_CHANNEL_SUMMARY_MZ: a bit
 * per channel the primary created, set by the post that makes one of the
 * channel's doorbell words non-zero, taken by a service that loops over
 * many channels (vfbc_channel_summary_take()) or by the channel's own
 * doorbell scan. A loop over every PF then reads one line when all are
 * idle. Any process of the group can write it (a hint, as the doorbells
 * are): a bit cleared by a hostile consumer delays requests to the next
 * full look, never loses them. Slots are handed out by the process that
 * reserved it, from its own memory.
 */
struct vfbc_channel_shm_summary {
	uint32_t magic;            /**< VFBC_CHANNEL_SUMMARY_MAGIC once initialised. */
	uint16_t version_major;    /**< VFBC_CHANNEL_VERSION_MAJOR. */
	uint16_t version_minor;    /**< VFBC_CHANNEL_VERSION_MINOR. */
	uint32_t creator_pid;      /**< The process that hands out the slots. */
	uint32_t nb_slots;         /**< VFBC_CHANNEL_SUMMARY_SLOTS. */
	/** Bit slot: the channel of that slot rang a doorbell. */
	uint64_t rung[VFBC_CHANNEL_SUMMARY_WORDS] __rte_cache_aligned;
} __rte_cache_aligned;

/**
 * Header of one VF's region in an isolated channel, at the region's offset
 * 0; the VF's area (struct vfbc_channel_shm_vf and its rings) follows at
 * area_off. Written once by the PF before it hands the region out, read by
 * the consumer when it maps the region; the PF never reads it back (the
 * consumer can write it, as any byte of its region).
 */
struct vfbc_channel_shm_region_hdr {
	uint32_t magic;            /**< VFBC_CHANNEL_REGION_MAGIC. */
	uint16_t version_major;    /**< VFBC_CHANNEL_VERSION_MAJOR. */
	uint16_t version_minor;    /**< VFBC_CHANNEL_VERSION_MINOR. */
	uint64_t size;             /**< Bytes of the region (a multiple of the page size). */
	uint64_t incarnation;      /**< The channel header's. */
	uint32_t area_off;         /**< The VF's area, from the region start. */
	uint32_t vf_size;          /**< Bytes of the area. */
	uint32_t notify_ring_off;  /**< Notify ring, from the area start. */
	uint32_t req_ring_off;     /**< Request ring, from the area start. */
	uint32_t resp_ring_off;    /**< Response ring, from the area start. */
	uint32_t creator_pid;      /**< The PF process, as it sees itself. */
	uint16_t vf_id;            /**< The VF this region is of. */
	uint16_t nb_vfs;           /**< VFs of the channel. */
	uint16_t nb_blocks;        /**< VFBC_CHANNEL_NB_BLOCKS. */
	uint16_t block_size;       /**< VFBC_CHANNEL_BLOCK_SIZE. */
} __rte_cache_aligned;

/**
 * Notify line of a VF: the coalescing cache. PF lcores OR into pending and
 * take armed; the consumer exchanges pending and re-arms. Written by both
 * sides by nature, so it holds nothing else.
 */
struct vfbc_channel_shm_notify {
	uint64_t pending; /**< Blocks invalidated and not yet delivered. */
	uint32_t armed;   /**< 1: the next invalidate enqueues a doorbell. */
	/**
	 * Not 0: the consumer sleeps until the next invalidation wakes it
	 * through its wake socket (vfbc_channel_sleep_arm(), which stores its
	 * claim's tag); the waking invalidate takes it back to 0. On this
	 * line: the invalidate that reads it already owns it, for the OR of
	 * pending.
	 */
	uint32_t sleeping;
	/**
	 * Layout 3.3, isolated channels: the header's service_asleep, for the
	 * VF of this region (which cannot reach the header).
	 */
	uint32_t service_asleep;
} __rte_cache_aligned;

/** PF-side counters of a VF, written by PF lcores only (relaxed adds). */
struct vfbc_channel_shm_pf_stats {
	uint64_t invalidations;      /**< Invalidate calls. */
	uint64_t coalesced;          /**< ... merged without a new doorbell. */
	uint64_t doorbells;          /**< Notify ring elements enqueued. */
	uint64_t notify_ring_full;   /**< Doorbells not enqueued: ring full. */
	uint64_t requests_accepted;  /**< Valid requests handed to the PF. */
	uint64_t requests_rejected;  /**< Malformed requests answered by the lib. */
	uint64_t responses;          /**< Responses enqueued. */
	uint64_t response_ring_full; /**< Response not enqueued: ring full. */
};

/**
 * PCI address of the function that owns a VF slot, published by the PF
 * (layout minor 1) so that a VF consumer finds its slot from its own
 * address. Read and written as one 8-byte atomic access, so a reader never
 * sees half of an update.
 */
struct vfbc_channel_shm_vf_addr {
	uint32_t domain;  /**< PCI domain. */
	uint8_t bus;      /**< Bus. */
	uint8_t devid;    /**< Device, 0..31. */
	uint8_t function; /**< Function, 0..7. */
	uint8_t valid;    /**< 1: a VF exists at this address; 0: none (all zero). */
} __rte_aligned(8);

/** PF-owned lines of a VF: counters, then PF-only control words. */
struct vfbc_channel_shm_pf {
	struct vfbc_channel_shm_pf_stats stats; /**< PF-side counters. */
	uint32_t notify_seq;      /**< Sequence of the last doorbell enqueued. */
	uint32_t rsvd0;           /**< Zero. */
	/** Address of the VF of this slot (zero: no VF published). */
	struct vfbc_channel_shm_vf_addr vf_addr;
	/**
	 * Ring indexes the PF found out of bounds, each time refusing the ring
	 * operation (relaxed adds by PF lcores).
	 */
	uint64_t ring_corrupt;
	/**
	 * The claim word the PF granted and serves (0: none). A copy for
	 * readers: the PF decides from its own process-local copy.
	 */
	uint64_t claim_verified;
	/** Requests dropped because their slot had no claim the PF granted. */
	uint64_t requests_unclaimed;
	/** Claims the PF refused (no proof, held by a live consumer, ...). */
	uint64_t claims_refused;
	/**
	 * Layout 2.1 (zero before): requests a new holder's grant emptied from
	 * the request ring, never dequeued (a holder killed with work in flight).
	 */
	uint64_t requests_dropped;
	/** Layout 2.1: answers a grant emptied from the response ring, never read. */
	uint64_t responses_dropped;
} __rte_cache_aligned;

/**
 * Life lines of a VF: what the PF did to it (resets, power, disable and
 * enable), for its consumer to tell the application. Written by the PF
 * only, under the sequence of lock (the PF's writers serialise on a lock
 * of their own process, never on this word); read as a consistent
 * snapshot. Event n (1-based) is counted in count[cause] and logged at
 * log[(n - 1) % VFBC_CHANNEL_LIFE_LOG_SIZE] as (n << 8) | cause (n's low
 * 24 bits): a reader that fell more than the log behind still counts every
 * event of every cause, and only the order of the oldest is lost.
 */
struct vfbc_channel_shm_life {
	rte_seqlock_t lock;   /**< Sequence only (rte_seqlock_t for rte_seqlock_read_*). */
	uint32_t seq;         /**< Events posted so far (n of the latest). */
	uint32_t state;       /**< VFBC_CHANNEL_LIFE_S_* after the latest change. */
	/** Events posted per cause (VFBC_CHANNEL_LIFE_*). */
	uint32_t count[VFBC_CHANNEL_LIFE_NB_CAUSES];
	uint8_t rsvd[16];     /**< Zero. */
	/** The latest events, (n << 8) | cause. */
	uint32_t log[VFBC_CHANNEL_LIFE_LOG_SIZE];
} __rte_cache_aligned;

/** VF-side counters of a VF, written by the consumer side (relaxed adds). */
struct vfbc_channel_shm_vf_stats {
	uint64_t deliveries;         /**< Non-empty masks delivered. */
	uint64_t resyncs;            /**< "All blocks" deliveries after a takeover or revoke. */
	uint64_t requests_posted;    /**< Requests enqueued. */
	uint64_t request_ring_full;  /**< Requests refused: ring full. */
	uint64_t responses_received; /**< Responses dequeued. */
	uint64_t claims;             /**< Successful claims, takeovers included. */
	uint64_t takeovers;          /**< Claims taken from a dead consumer. */
};

/** Consumer-owned lines of a VF. */
struct vfbc_channel_shm_consumer {
	/**
	 * Claim word: epoch in the high 32 bits, owner pid in the low 32
	 * bits (0 = free). Written by the PF when it grants a claim (every
	 * grant increments the epoch), by the holder when it releases.
	 */
	uint64_t claim;
	/**
	 * Non-zero: deliver "all blocks" once. Set by a grant after a takeover
	 * or a revoke, to the grant's epoch (never 0).
	 */
	uint32_t resync;
	uint32_t req_seq; /**< Last request id handed out. */
	struct vfbc_channel_shm_vf_stats stats; /**< VF-side counters. */
} __rte_cache_aligned;

/**
 * One block slot, written by the PF under the seqlock's sequence, read by
 * the VF as a consistent snapshot (retry while the sequence is odd or
 * changed).
 */
struct vfbc_channel_shm_block {
	/**
	 * Sequence (rte_seqlock_t so that readers use rte_seqlock_read_*).
	 * Its spinlock half is unused: PF writers of a VF serialise on a lock
	 * of the PF process, never on a word the VF can write.
	 */
	rte_seqlock_t lock;
	uint32_t block_id;  /**< Block id; fixed for ids < 64. */
	uint32_t len;       /**< Bytes of data, <= VFBC_CHANNEL_BLOCK_SIZE. */
	uint32_t state;     /**< VFBC_CHANNEL_BLOCK_EMPTY or VFBC_CHANNEL_BLOCK_VALID. */
	uint32_t bound;     /**< Extra slots: 1 once block_id is assigned. */
	uint8_t rsvd[40];   /**< Zero. */
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE]; /**< Block contents. */
} __rte_cache_aligned;

/** Fixed part of a VF area; the three rings follow it. */
struct vfbc_channel_shm_vf {
	struct vfbc_channel_shm_notify notify;     /**< Shared by PF and VF. */
	struct vfbc_channel_shm_pf pf;             /**< PF-owned. */
	struct vfbc_channel_shm_life life;         /**< PF-owned (layout 3). */
	struct vfbc_channel_shm_consumer consumer; /**< Consumer-owned. */
	/** Slots 0..63 hold block ids 0..63; the rest are extra slots. */
	struct vfbc_channel_shm_block blocks[VFBC_CHANNEL_NB_BLOCKS +
			VFBC_CHANNEL_NB_EXTRA_BLOCKS];
} __rte_cache_aligned;

/** Notify ring element: a doorbell, with the mask that rang it (a hint). */
struct vfbc_channel_notify_elem {
	uint64_t mask; /**< Bits of the invalidate that enqueued it. */
	uint32_t seq;  /**< Doorbell sequence number, per VF. */
	uint32_t rsvd; /**< Zero. */
};

/**
 * Request record, VF to PF. Untrusted: the PF validates every field of its
 * own copy (vfbc_channel_request_validate) before using it.
 */
struct vfbc_channel_req {
	uint16_t type;   /**< VFBC_CHANNEL_REQ_*. */
	uint16_t vf_id;  /**< Must equal the VF owning the ring. */
	uint32_t req_id; /**< Set by vfbc_channel_request_post; echoed. */
	uint32_t target; /**< Block id, or config-space offset. */
	uint32_t len;    /**< Bytes: of data (writes) or to read (reads). */
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE]; /**< Payload of writes. */
};

/** Response record, PF to VF. */
struct vfbc_channel_resp {
	uint16_t type;   /**< Type of the request answered. */
	uint16_t vf_id;  /**< VF answered. */
	uint32_t req_id; /**< Id of the request answered. */
	int32_t status;  /**< 0 or a negative errno. */
	uint32_t len;    /**< Bytes of data (reads). */
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE]; /**< Payload of reads. */
};

/* The layout is ABI: any change here must change the version. */
VFBC_STATIC_ASSERT(sizeof(rte_seqlock_t) == 8, "rte_seqlock_t is not 8 bytes");
VFBC_STATIC_ASSERT(sizeof(rte_spinlock_t) == 4, "rte_spinlock_t is not 4 bytes");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, magic) == 0, "magic not first");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, size) == 8, "hdr size offset");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, creator_pid) == 76, "hdr layout");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, incarnation) == 80, "hdr incarnation");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, flags) == 88, "hdr flags (2.2)");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, life_gen) == 92, "hdr life_gen (3.2)");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, summary_slot) == 96, "hdr summary (4)");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_summary, rung) == RTE_CACHE_LINE_SIZE,
		"summary bits on their own line");
VFBC_STATIC_ASSERT(VFBC_CHANNEL_SUMMARY_SLOTS <= UINT16_MAX &&
		VFBC_CHANNEL_SUMMARY_SLOTS % 64 == 0, "summary slots");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_region_hdr, area_off) == 24, "region hdr");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_region_hdr, vf_id) == 48, "region hdr");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_region_hdr) == RTE_CACHE_LINE_SIZE,
		"region header: one cache line");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_hdr, doorbell) % RTE_CACHE_LINE_SIZE == 0,
		"doorbell bitmap not on its own cache line");
VFBC_STATIC_ASSERT(VFBC_CHANNEL_MAX_VFS % 64 == 0, "doorbell words");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_pf_stats) == 64, "PF stats size");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_vf_stats) == 56, "VF stats size");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_vf_addr) == 8, "VF address: one 8-byte atomic");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_pf, vf_addr) == 72,
		"VF address in the PF line");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_pf, ring_corrupt) == 80, "ring_corrupt");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_pf, claim_verified) == 88, "verified claim");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_pf) == 128, "PF lines size");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_vf, notify) == 0, "notify line");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_vf, pf) % RTE_CACHE_LINE_SIZE == 0, "PF line");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_life) == 128, "life lines size");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_life, log) == 64, "life log on its own line");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_vf, life) % RTE_CACHE_LINE_SIZE == 0,
		"life lines");
VFBC_STATIC_ASSERT(RTE_IS_POWER_OF_2(VFBC_CHANNEL_LIFE_LOG_SIZE), "life log size");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_vf, consumer) % RTE_CACHE_LINE_SIZE == 0,
		"consumer line");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_shm_block, data) == 64, "block data offset");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_shm_block) == 192, "block slot size");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_notify_elem) == 16, "notify element size");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_req, data) == 16, "request header size");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_req) == 16 + VFBC_CHANNEL_BLOCK_SIZE, "request size");
VFBC_STATIC_ASSERT(offsetof(struct vfbc_channel_resp, data) == 16, "response header size");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_resp) == 16 + VFBC_CHANNEL_BLOCK_SIZE,
		"response size");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_req) % 8 == 0, "request record alignment");
VFBC_STATIC_ASSERT(sizeof(struct vfbc_channel_resp) % 8 == 0, "response record alignment");
VFBC_STATIC_ASSERT(RTE_IS_POWER_OF_2(VFBC_CHANNEL_NOTIFY_RING_SIZE) &&
		RTE_IS_POWER_OF_2(VFBC_CHANNEL_REQ_RING_SIZE) &&
		RTE_IS_POWER_OF_2(VFBC_CHANNEL_RESP_RING_SIZE), "ring sizes");
VFBC_STATIC_ASSERT(VFBC_CHANNEL_NB_BLOCKS == 64, "one mask bit per block");

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_CHANNEL_LAYOUT_H_ */
