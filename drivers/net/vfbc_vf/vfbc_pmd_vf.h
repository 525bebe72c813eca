/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PMD_VF_H_
#define _VFBC_PMD_VF_H_

/**
 * @file
 * net_vfbc_vf: the SR-IOV virtual function side of the vfbc backchannel.
 *
 * The VF poll mode driver gives a process, usually a DPDK secondary process
 * started with `-a <VF PCI address>`, the VF half of the Windows NDIS 6.30
 * backchannel, over the mailbox channel the PF driver (net_vfbc_pf) creates
 * in the primary process:
 *
 * | NDIS (VF miniport)                   | vfbc                                     |
 * |--------------------------------------|------------------------------------------|
 * | OID_SRIOV_VF_INVALIDATE_CONFIG_BLOCK | vfbc_vf_invalidate_callback_register()   |
 * |                                      | (driven by vfbc_vf_poll())               |
 * | NdisMReadConfigBlock                 | vfbc_vf_read_config_block()              |
 * | NdisMWriteConfigBlock                | vfbc_vf_write_config_block()             |
 * | NdisMGetBusData (trapped by the PF)  | vfbc_vf_read_bus_data()                  |
 * | NdisMSetBusData (trapped by the PF)  | vfbc_vf_write_bus_data()                 |
 *
 * The port id is the ethdev port of the VF, named after its PCI address.
 *
 * Consumer claim: a VF has at most one consumer process at a time, the
 * process holding its claim, which the PF grants. A secondary process
 * claims every VF it probes (devarg claim=1, the default); the primary
 * claims nothing unless it calls vfbc_vf_claim(). The PMD opens the VF's
 * config-space file at probe and presents it with the claim: the PF grants
 * a VF only to a process that holds that VF's device. Invalidations are
 * delivered, blocks read and requests sent only by the process holding the
 * claim. A claim left by a process that died (or one the PF never granted)
 * is taken over, and the new consumer's first delivery is then the mask of
 * every block (UINT64_MAX): bits invalidated while no consumer ran are kept
 * in shared memory and never lost.
 *
 * Primary death: in a secondary, the PMD watches the primary through a
 * pidfd registered with EAL's interrupt thread; from the moment the primary
 * exits, every call returns -ENOTCONN (logged once). No call makes a system
 * call to find out, and no call waits without a bound: a request waits at
 * most its timeout, a claim at most 2 s for the PF's answer.
 *
 * Isolated ports (vdev net_vfbc_isolated, socket=PATH,vf=N,secret=S or
 * secret_file=PATH): a consumer that is its own DPDK primary reaches one VF
 * through the PF's control socket; the API is the same. A claim connects
 * and maps the VF's region the PF sends (the PF's refusal is the claim's
 * error: -EACCES wrong secret, -ENODEV, -EBUSY, -EAGAIN; -EPROTO a
 * malformed answer; -ETIMEDOUT no answer in 2 s), a release closes the
 * connection. The PF closing the connection (it died, closed its port,
 * disabled the VF) makes every call return -ENOTCONN, as a primary's death
 * does, until vfbc_vf_claim() connects again.
 *
 * Life events: what the PF does to the VF reaches the consumer as ethdev
 * events on the VF port (rte_eth_dev_callback_register()), raised on EAL's
 * interrupt thread of the process that holds (or held) the claim, at most
 * VFBC_VF_LIFE_PERIOD_MS after the PF acted (at once for an isolated
 * port, which the PF tells through its socket). Each cause is raised once,
 * in the order the PF acted, with a struct vfbc_vf_event as ret_param:
 *
 * | Cause (vfbc_vf_event.cause) | ethdev event              | Then           |
 * |-----------------------------|---------------------------|----------------|
 * | VFBC_VF_EVENT_FLR           | RTE_ETH_EVENT_INTR_RESET  | link down      |
 * | VFBC_VF_EVENT_FLR_ASKED     | RTE_ETH_EVENT_INTR_RESET  | link down      |
 * | VFBC_VF_EVENT_POWER         | RTE_ETH_EVENT_INTR_LSC    | up only in D0  |
 * | VFBC_VF_EVENT_DISABLED      | RTE_ETH_EVENT_INTR_RMV    | -ENXIO         |
 * | VFBC_VF_EVENT_ENABLED       | RTE_ETH_EVENT_INTR_RESET  | reset to use   |
 * | VFBC_VF_EVENT_REVOKED       | RTE_ETH_EVENT_INTR_RMV    | -EPERM         |
 * | VFBC_VF_EVENT_PF_CLOSED     | RTE_ETH_EVENT_INTR_RMV    | no channel     |
 * | VFBC_VF_EVENT_PF_GONE       | RTE_ETH_EVENT_INTR_RMV    | -ENOTCONN      |
 *
 * and RTE_ETH_EVENT_INTR_LSC (ret_param NULL) whenever the port's link
 * changes (the process's first claim, usually at probe, sets it silently).
 * The link is up while this process holds the claim of an enabled VF in
 * D0, no reset is in progress or awaited, and the PF lives.
 * After RTE_ETH_EVENT_INTR_RESET, rte_eth_dev_reset() brings the port back
 * (it waits for the PF's reset to end, then claims again; invalidations
 * made meanwhile are delivered, at most once as VFBC_VF_ALL_BLOCKS). A
 * claim takes the VF as it is: events posted before it and not raised yet
 * are history, counted in vfbc_vf_info.past_count and not raised. The last
 * cause and the counts per cause are in vfbc_vf_get_info().
 *
 * Error vocabulary common to every function:
 * - -ENODEV: the port id is invalid or not a net_vfbc_vf or net_vfbc_isolated
 *   port (of this process);
 * - -EINVAL: a bad argument (NULL pointer, length 0 or above 128, ...);
 * - -EPERM: this process does not hold the VF's claim (every function but
 *   vfbc_vf_get_info(), vfbc_vf_claim() and the callback registration), or
 *   the PF refused the request;
 * - -ENOENT: the VF's channel cannot be found (no PF port, the PF driver has
 *   no mailbox, or the VF is not one of the PF's VFs);
 * - -ENOTCONN: the primary process is gone (isolated port: the PF's
 *   connection is closed);
 * - -ENXIO: the VF is disabled (VFBC_VF_EVENT_DISABLED), until a reset.
 */

#include <errno.h>
#include <stdint.h>

#include <rte_pci.h>

#include "vfbc_compat.h"
#include "vfbc_channel.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest config block and largest request payload (Hyper-V VPCI limit). */
#define VFBC_VF_BLOCK_SIZE 128
/** Blocks 0 .. VFBC_VF_NB_BLOCKS - 1 can be invalidated (one mask bit each). */
#define VFBC_VF_NB_BLOCKS 64
/** Mask delivered once to a consumer that took over a dead one's claim. */
#define VFBC_VF_ALL_BLOCKS UINT64_MAX
/** Most invalidation callbacks registered on one port in one process. */
#define VFBC_VF_MAX_CALLBACKS 8

/**
 * Invalidation callback (the OID_SRIOV_VF_INVALIDATE_CONFIG_BLOCK analog).
 *
 * Called in the process that polls, from the thread that polls, with the
 * coalesced mask of blocks invalidated since the previous delivery: bit i
 * set means "re-read block i" (vfbc_vf_read_config_block()). It may call
 * any function of this API on its port but these, which its poll in
 * progress forbids: vfbc_vf_poll() (returns 0: nothing to deliver),
 * vfbc_vf_poll_wait() and vfbc_vf_release() (-EDEADLK), unregistering
 * itself (-EAGAIN), and rte_eth_dev_close() (-EDEADLK: ethdev releases the
 * port, but the VF state is left allocated).
 *
 * @param port_id
 *   The VF port.
 * @param block_mask
 *   Blocks to re-read; never 0.
 * @param arg
 *   The argument given at registration.
 */
typedef void (*vfbc_vf_invalidate_cb_t)(uint16_t port_id, uint64_t block_mask, void *arg);

/** Life event cause: the PF reset the VF (function-level reset). */
#define VFBC_VF_EVENT_FLR 0
/** Cause: the PF reset the VF because its consumer asked (a config write). */
#define VFBC_VF_EVENT_FLR_ASKED 1
/** Cause: the PF changed the VF's power state (vfbc_vf_info.power_state). */
#define VFBC_VF_EVENT_POWER 2
/** Cause: the PF disabled the VF; its claim is gone. */
#define VFBC_VF_EVENT_DISABLED 3
/** Cause: the PF enabled the VF again: rte_eth_dev_reset() attaches the new function. */
#define VFBC_VF_EVENT_ENABLED 4
/** Cause: the PF took the claim back, or granted it to another process. */
#define VFBC_VF_EVENT_REVOKED 5
/** Cause: the PF closed its port (the channel is gone). */
#define VFBC_VF_EVENT_PF_CLOSED 6
/** Cause: the PF's process is gone (isolated: it hung up without a word). */
#define VFBC_VF_EVENT_PF_GONE 7
/** Number of causes. */
#define VFBC_VF_EVENT_NB 8
/** vfbc_vf_info.last_event before any event. */
#define VFBC_VF_EVENT_NONE UINT32_MAX
/** At most this many milliseconds pass between a PF action and its event. */
#define VFBC_VF_LIFE_PERIOD_MS 10

/**
 * The ret_param of a life event (RTE_ETH_EVENT_INTR_RESET, _RMV, and
 * _LSC raised for VFBC_VF_EVENT_POWER); valid during the callback only.
 */
struct vfbc_vf_event {
	uint32_t cause; /**< VFBC_VF_EVENT_*. */
	uint32_t seq;   /**< 1 for the port's first life event in this process, then +1. */
};

/** Bytes of vfbc_vf_info.pf_name, NUL included. */
#define VFBC_VF_PF_NAME_SIZE 64

/** What the driver knows about a VF port, in the calling process. */
struct vfbc_vf_info {
	struct rte_pci_addr vf_addr; /**< The VF's PCI address (0 if isolated). */
	struct rte_pci_addr pf_addr; /**< Its PF's (valid if vf_id_valid and
	                                  the PF's name is a PCI address). */
	uint16_t vf_id;              /**< Its index among the PF's VFs. */
	uint8_t vf_id_valid;         /**< 1 if the PF and vf_id were found. */
	uint8_t claimed;             /**< 1 if this process holds the claim. */
	int32_t consumer_pid;        /**< Claim holder's pid, 0 if none or unknown. */
	uint8_t isolated;            /**< 1 for a net_vfbc_isolated port. */
	uint8_t connected;           /**< isolated: 1 while the PF's socket
	                                  connection is open and alive. */
	/** The PF's channel name ("" if unknown): for an isolated port, the
	 *  name its PF's last answer gave (vf_id_valid then 1). */
	char pf_name[VFBC_VF_PF_NAME_SIZE];
	uint8_t link_up;             /**< The port's link, as this process reports it. */
	uint8_t reset_needed;        /**< 1 after INTR_RESET until rte_eth_dev_reset(). */
	uint8_t power_state;         /**< The VF's D state as the PF last said (0: D0). */
	uint8_t enabled;             /**< 1 while the PF says the VF is enabled. */
	uint32_t last_event;         /**< Cause of the latest event, or VFBC_VF_EVENT_NONE. */
	uint64_t events;             /**< Life events raised in this process. */
	uint32_t event_count[VFBC_VF_EVENT_NB]; /**< ... per cause. */
	/**
	 * Per cause: events the PF posted before this process's last claim
	 * (or reset) that had not been raised yet: that claim took the VF as
	 * it was then, so they are history, counted here and never raised.
	 */
	uint32_t past_count[VFBC_VF_EVENT_NB];
};

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Describe a VF port.
 *
 * @param port_id
 *   The VF port.
 * @param[out] info
 *   The description.
 * @return
 *   - 0 on success;
 *   - (-ENODEV) bad port; (-EINVAL) info is NULL.
 */
__vfbc_experimental
int
vfbc_vf_get_info(uint16_t port_id, struct vfbc_vf_info *info);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Become the VF's consumer: attach its channel and ask the PF for its
 * claim, presenting the VF's config-space file the PMD holds open.
 * Secondary processes do it at probe (unless the devarg claim=0 was given);
 * the primary, or a secondary probed with claim=0, calls this. A claim left
 * by a dead process, or never granted by the PF, is taken over, and the
 * next delivery is then VFBC_VF_ALL_BLOCKS. After the PF's port was closed
 * and probed again (a new channel), a claim attaches the new channel.
 *
 * @param port_id
 *   The VF port.
 * @return
 *   - 0 on success (1 is never returned: a takeover is logged);
 *   - (-EALREADY) this process already holds the claim;
 *   - (-EAGAIN) a release of this port is in progress;
 *   - (-EBUSY) a live process holds the claim (its pid is logged);
 *   - (-EACCES) the PF refused: this process does not hold the VF's device
 *     (its config-space file could not be opened at probe);
 *   - (-ENXIO) the VF is disabled (claim again once it is enabled);
 *   - (-ENOENT) no channel; (-ENODEV); (-ENOTCONN); other negative errno
 *     values from attaching the channel (-EPROTO: incompatible layout).
 *   - isolated port: the PF's refusal (-EACCES, -ENODEV, -EBUSY, -EAGAIN,
 *     -EPROTONOSUPPORT), -EPROTO for a malformed answer, -ETIMEDOUT, or
 *     the error of connect(); after a hang-up it connects again.
 */
__vfbc_experimental
int
vfbc_vf_claim(uint16_t port_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Stop being the VF's consumer. Bits still pending stay in shared memory for
 * the next consumer. Closing the port releases the claim too.
 *
 * @param port_id
 *   The VF port.
 * @return
 *   - 0 on success;
 *   - (-EDEADLK) called from one of the port's invalidation callbacks;
 *   - (-EPERM) this process does not hold the claim (-ENXIO: because the VF
 *     is disabled; -ENOTCONN: an isolated port's PF hung up); (-ENODEV).
 */
__vfbc_experimental
int
vfbc_vf_release(uint16_t port_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Register an invalidation callback in this process. Callbacks never cross
 * processes: only polls of this process call them. At most
 * VFBC_VF_MAX_CALLBACKS per port; the same (cb, arg) pair only once.
 * Thread-safe.
 *
 * @param port_id
 *   The VF port.
 * @param cb
 *   The callback.
 * @param arg
 *   Its argument.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) cb is NULL; (-EEXIST) already registered; (-ENOSPC) table
 *     full; (-ENODEV).
 */
__vfbc_experimental
int
vfbc_vf_invalidate_callback_register(uint16_t port_id, vfbc_vf_invalidate_cb_t cb, void *arg);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Unregister an invalidation callback. Once it returns 0 the callback is
 * not running and will not be called again. Thread-safe.
 *
 * @param port_id
 *   The VF port.
 * @param cb
 *   The callback.
 * @param arg
 *   Its argument.
 * @return
 *   - 0 on success;
 *   - (-ENOENT) not registered; (-EAGAIN) it is running right now (e.g. it
 *     tried to unregister itself): try again; (-EINVAL); (-ENODEV).
 */
__vfbc_experimental
int
vfbc_vf_invalidate_callback_unregister(uint16_t port_id, vfbc_vf_invalidate_cb_t cb,
		void *arg);

/**
 * Internal: a VF port's entry in this process's fast-path table, which the inline
 * vfbc_vf_poll() reads instead of asking ethdev (rte_eth_fp_ops' way). The
 * driver keeps it: ch is the claim's channel handle while an empty poll
 * may be answered here (this process holds the claim and the PF's side
 * lives), NULL otherwise, which sends every poll into the driver. The
 * driver stores ch last, with release (FP1), after vf_id; a handle stays
 * valid until the port closes, so a poll that read ch before it changed
 * makes at worst one wrong "nothing due", which the next poll corrects.
 */
struct vfbc_vf_fp_port {
	const struct vfbc_channel *ch;	/**< The claim's channel; NULL: poll in the driver. */
	uint16_t vf_id;			/**< The VF's index in ch. */
};

/**
 * Internal: the fast-path table, by port id, zero for every port that is
 * not a claimed VF port of this process. For vfbc_vf_poll() only.
 */
extern struct vfbc_vf_fp_port vfbc_vf_fp_ports[RTE_MAX_ETHPORTS] __vfbc_experimental_data;

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Internal: vfbc_vf_poll() past its inline empty check: the port as the
 * driver knows it, then a delivery under the port's poll lock. Call
 * vfbc_vf_poll() instead.
 *
 * @param port_id
 *   The VF port.
 * @param[out] block_mask
 *   As vfbc_vf_poll()'s.
 * @return
 *   As vfbc_vf_poll().
 */
__vfbc_experimental
int
vfbc_vf_poll_deliver(uint16_t port_id, uint64_t *block_mask);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Deliver pending invalidations: take the blocks invalidated since the
 * previous delivery, call the registered callbacks with them, re-arm the
 * doorbell. The port's rx_burst and its service (vfbc_vf_service_id()) call
 * it too. Any thread of the claiming process may call it; concurrent polls
 * of one port are serialized (a poll that finds another in progress returns
 * 0, the other one delivers).
 *
 * Inline, as rte_eth_rx_burst(): an empty poll reads the port's entry in a
 * per-process table (vfbc_vf_fp_ports), the channel's claim word, an empty
 * ring check and two loads; no call, no lock, no system call, no clock,
 * no liveness check (the driver learns of a dead PF off the fast path and
 * empties the port's entry). Anything due, and every error, is answered by
 * the driver (vfbc_vf_poll_deliver()).
 *
 * @param port_id
 *   The VF port.
 * @param[out] block_mask
 *   The delivered mask, written when 1 is returned; may be NULL.
 * @return
 *   - 1 if a mask was delivered;
 *   - 0 if nothing was pending;
 *   - (-EPERM) this process does not hold the claim;
 *   - (-ENOTCONN) the primary is gone; (-ENODEV).
 */
__vfbc_experimental
static inline int
vfbc_vf_poll(uint16_t port_id, uint64_t *block_mask)
{
	const struct vfbc_vf_fp_port *fp;
	const struct vfbc_channel *ch;

	if (likely(port_id < RTE_MAX_ETHPORTS)) {
		fp = &vfbc_vf_fp_ports[port_id];
		/* FP2: pairs with FP1 in the driver (vfbc_vf_fp.c): the handle, vf_id. */
		ch = __atomic_load_n(&fp->ch, __ATOMIC_ACQUIRE);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		if (likely(ch != NULL) && vfbc_channel_poll_idle(ch,
				__atomic_load_n(&fp->vf_id, __ATOMIC_RELAXED)) == 1)
			return 0;
		return vfbc_vf_poll_deliver(port_id, block_mask);
#pragma GCC diagnostic pop
	}
	return -ENODEV;
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Adaptive wait, l3fwd-power's loop for this channel: deliver as
 * vfbc_vf_poll() does, polling back to back for at most spin_us; nothing
 * came, arm the port's wake-up (the sleep mode's, as
 * rte_eth_dev_rx_intr_enable() arms it) and sleep until the PF invalidates
 * the VF or timeout_ms passes, then deliver. The spin buys latency with
 * CPU: an invalidation during it is delivered without a sleep or a wake
 * (the PF sends one only to a consumer that armed); one after it costs the
 * wake-up's latency. No wake-up is lost across the spin's end: the arm
 * looks at the pending bits once more after it told the PF, and polls
 * instead of sleeping when something is due. The registered invalidation
 * callbacks run on the calling thread, as for vfbc_vf_poll().
 *
 * A life event (vfbc_pmd_vf.h's table) wakes the wait at once: the
 * disable (-ENXIO), the claim's revocation or the PF's port close (-EPERM)
 * and the PF's death (-ENOTCONN) return their errno; a reset or a power
 * change, after which the port still delivers, return 0 (the ethdev event
 * and vfbc_vf_get_info() say which). So does a release of the claim by
 * another thread (-EPERM).
 *
 * Thread safety: as vfbc_vf_poll(), one polling thread per port; a second
 * thread's wait on the port returns -EBUSY, and the other sleep modes'
 * calls (rte_eth_dev_rx_intr_enable() and _disable(),
 * vfbc_vf_wake_callbacks_enable()) return -EBUSY while a thread waits
 * here; vfbc_vf_wake_callbacks_enable() returns -EBUSY while the Rx
 * interrupt is enabled too. Another thread may poll, release or close the port meanwhile: a
 * close wakes the wait (-ENODEV) and waits for it to return before it
 * frees the port's state; a call that starts once the close began must
 * not be made, as for any port.
 *
 * @param port_id
 *   The VF port.
 * @param[out] block_mask
 *   The delivered mask, written when 1 is returned.
 * @param spin_us
 *   How long to poll before sleeping, in microseconds (0: poll once).
 * @param timeout_ms
 *   How long to sleep after the spin, in milliseconds: 0, not at all
 *   (a bounded busy poll); -1, until an invalidation or a life event.
 * @return
 *   - 1 if a mask was delivered;
 *   - 0 if nothing was, once timeout_ms passed, or early after a life
 *     event that leaves the port usable (a reset, a power change);
 *   - (-EPERM) this process does not hold the claim (or lost it meanwhile);
 *   - (-ENXIO) the VF is disabled; (-ENOTCONN) the primary is gone;
 *   - (-EBUSY) the callback mode (vfbc_vf_wake_callbacks_enable()) is on,
 *     the port's Rx interrupt is enabled (rte_eth_dev_rx_intr_enable(),
 *     until rte_eth_dev_rx_intr_disable()), or another thread waits on the
 *     port;
 *   - (-EDEADLK) called from one of the port's invalidation callbacks, or
 *     on EAL's interrupt thread (an ethdev event callback, an alarm), where
 *     the port's life watch runs and could not while this slept;
 *   - (-ENOTSUP) an isolated port (no sleep mode yet), or the sleep mode's
 *     descriptors could not be made at the claim;
 *   - (-EINVAL) block_mask is NULL or timeout_ms is below -1;
 *   - (-ENODEV) bad port, or the port was closed while this waited;
 *   - another negative errno: no wake socket (the PF's answer, e.g.
 *     -ETIMEDOUT), or epoll's error.
 */
__vfbc_experimental
int
vfbc_vf_poll_wait(uint16_t port_id, uint64_t *block_mask, uint32_t spin_us, int timeout_ms);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read a config block (NdisMReadConfigBlock): a consistent snapshot of what
 * the PF last wrote, read directly from shared memory. Data the PF wrote
 * before invalidating a block is what a read after the delivery of that bit
 * returns (or newer). Needs the claim: a VF's blocks are its consumer's.
 *
 * @param port_id
 *   The VF port.
 * @param block_id
 *   Block id (ids >= 64 exist when the PF stored them).
 * @param buf
 *   Destination.
 * @param len
 *   Size of buf.
 * @return
 *   - the number of bytes copied (the block's length, 0..128);
 *   - (-ENOENT) the block was never written, or no channel;
 *   - (-EPERM) this process does not hold the claim;
 *   - (-ENOBUFS) buf is smaller than the block (nothing copied);
 *   - (-EAGAIN) the PF kept rewriting it; (-EINVAL); (-ENODEV); (-ENOTCONN).
 */
__vfbc_experimental
int
vfbc_vf_read_config_block(uint16_t port_id, uint32_t block_id, void *buf, uint32_t len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Ask the PF to write a config block (NdisMWriteConfigBlock) and wait for
 * its verdict. Requests of one process are serialized.
 *
 * @param port_id
 *   The VF port.
 * @param block_id
 *   Block id.
 * @param data
 *   Contents.
 * @param len
 *   Bytes, 1..VFBC_VF_BLOCK_SIZE.
 * @param timeout_ms
 *   How long to wait for the answer.
 * @return
 *   - 0 if the PF accepted and stored it;
 *   - (-EPERM) the PF or its application rejected it, or this process does
 *     not hold the claim;
 *   - (-ETIMEDOUT) no answer in time (a late answer is discarded later);
 *   - (-ENOBUFS) the request ring is full;
 *   - (-ENOTCONN) the primary is gone;
 *   - (-EINVAL) data is NULL, or len is 0 or above VFBC_VF_BLOCK_SIZE
 *     (nothing sent);
 *   - another negative errno the PF answered, or a validation error
 *     (-ENOENT: block id not addressable) with nothing sent.
 */
__vfbc_experimental
int
vfbc_vf_write_config_block(uint16_t port_id, uint32_t block_id, const void *data,
		uint32_t len, uint32_t timeout_ms);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Ask the PF to read the VF's own PCI configuration space (a trapped
 * NdisMGetBusData) and wait for the answer. The PF applies its policy.
 *
 * @param port_id
 *   The VF port.
 * @param offset
 *   Offset in the VF's configuration space.
 * @param buf
 *   Destination.
 * @param len
 *   Bytes, 1..VFBC_VF_BLOCK_SIZE; offset + len <= 4096.
 * @param timeout_ms
 *   How long to wait for the answer.
 * @return
 *   - the number of bytes read;
 *   - the errors of vfbc_vf_write_config_block() (-ERANGE: beyond the
 *     configuration space).
 */
__vfbc_experimental
int
vfbc_vf_read_bus_data(uint16_t port_id, uint32_t offset, void *buf, uint32_t len,
		uint32_t timeout_ms);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Ask the PF to write the VF's own PCI configuration space (a trapped
 * NdisMSetBusData) and wait for the answer. The PF applies its permission
 * policy: a write to a field the VF may not own is refused with -EPERM.
 *
 * @param port_id
 *   The VF port.
 * @param offset
 *   Offset in the VF's configuration space.
 * @param buf
 *   Bytes to write.
 * @param len
 *   Bytes, 1..VFBC_VF_BLOCK_SIZE; offset + len <= 4096.
 * @param timeout_ms
 *   How long to wait for the answer.
 * @return
 *   - the number of bytes written;
 *   - the errors of vfbc_vf_read_bus_data().
 */
__vfbc_experimental
int
vfbc_vf_write_bus_data(uint16_t port_id, uint32_t offset, const void *buf, uint32_t len,
		uint32_t timeout_ms);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The rte_service component the driver registered for the port in this
 * process, named "vfbc_vf_<port_id>": it calls vfbc_vf_poll() while this
 * process holds the claim. Map it to a service lcore and start it like any
 * DPDK service (rte_service_map_lcore_set(), rte_service_runstate_set()).
 *
 * @param port_id
 *   The VF port.
 * @param[out] service_id
 *   The service id.
 * @return
 *   - 0 on success;
 *   - (-ENOTSUP) no service (registration failed at probe); (-EINVAL);
 *     (-ENODEV).
 */
__vfbc_experimental
int
vfbc_vf_service_id(uint16_t port_id, uint32_t *service_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Sleep mode with callbacks: EAL's interrupt thread waits until the PF
 * invalidates the VF and runs the port's invalidation callbacks
 * (vfbc_vf_invalidate_callback_register()) there, with no thread of the
 * application polling. The other sleep mode is DPDK's Rx interrupts on
 * queue 0: rte_eth_dev_rx_intr_ctl_q() adds the port to an epoll,
 * rte_eth_dev_rx_intr_enable() arms (and makes the descriptor readable at
 * once when something is already due, or when the port cannot sleep: no
 * claim, the PF gone), rte_epoll_wait() sleeps, then vfbc_vf_poll()
 * delivers. Either needs the claim in this process and a secondary's port
 * (an isolated port has no sleep mode yet); a life event (reset, disable,
 * the PF's death) wakes a sleeper too. The two modes exclude each other
 * (rte_eth_dev_rx_intr_enable() returns -EBUSY while this one is on), and
 * both exclude vfbc_vf_poll_wait(), which sleeps the same way on the
 * calling thread.
 *
 * @param port_id
 *   The VF port.
 * @return
 *   - 0 on success;
 *   - (-EALREADY) if it is on already;
 *   - (-EBUSY) while a thread waits in vfbc_vf_poll_wait(), or while the
 *     port's Rx interrupt is enabled (until rte_eth_dev_rx_intr_disable());
 *   - (-EPERM) if this process never held the VF's claim;
 *   - (-ENOTSUP) for an isolated port;
 *   - (-ENOTCONN) if the PF did not answer; (-EINVAL); (-ENODEV);
 *   - (-ENOMEM) or another negative errno: no descriptor or handle.
 */
__vfbc_experimental
int
vfbc_vf_wake_callbacks_enable(uint16_t port_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Stop the sleep mode with callbacks (vfbc_vf_wake_callbacks_enable()).
 * A round in progress on EAL's interrupt thread (its invalidation
 * callbacks included) is waited for: once this returned 0, nothing is
 * delivered from there. Not from the port's own callback on that thread
 * (it would wait for itself: -EDEADLK).
 *
 * @param port_id
 *   The VF port.
 * @return
 *   - 0 on success;
 *   - (-ENOENT) if it was not on; (-EINVAL); (-ENODEV);
 *   - (-EDEADLK) from a callback the callback mode called.
 */
__vfbc_experimental
int
vfbc_vf_wake_callbacks_disable(uint16_t port_id);

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_PMD_VF_H_ */
