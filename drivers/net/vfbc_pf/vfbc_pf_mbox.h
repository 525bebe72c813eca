/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_MBOX_H_
#define _VFBC_PF_MBOX_H_

/*
 * PF side of the mailbox: the PF's channel (lib/vfbc), its VF address
 * table and claim verifier, the rte_service, and the request service loop.
 *
 * struct vfbc_pf_mbox is process-local (primary only): it holds the
 * channel handle, whose pointers mean something in this process only. A
 * per-port table of pointers to it (vfbc_pf_mboxes) lets the wait-free
 * invalidate path find the channel with one load, without the VF table's
 * rwlock.
 */

#include <stdint.h>

#include <ethdev_driver.h>
#include <rte_spinlock.h>

#include <vfbc_channel.h>

#include "vfbc_pf.h"

/* Requests one run of the rte_service serves at most. */
#define VFBC_PF_MBOX_SERVICE_BUDGET 32
/* Log lines about one VF's requests per second, at most. */
#define VFBC_PF_MBOX_LOG_BURST 5

/* A request carried out on the control thread (FLR, power state). */
struct vfbc_pf_mbox_job {
	struct vfbc_pf_mbox *mb;
	struct vfbc_channel_req req;	/* the request, as dequeued (validated) */
	uint16_t vf;
	uint8_t action;		/* VFBC_PF_POLICY_TRAP_RESET or _TRAP_POWER */
	uint32_t value;		/* the register's value after the write */
	uint32_t vfs_gen;	/* the VF table it was decided for (pf->vfs_gen) */
};

/* One VF's mailbox state in the PF. */
struct vfbc_pf_mbox_vf {
	/* 1 while a job of this VF is on the control thread: its ring waits. */
	uint32_t busy;
	struct vfbc_pf_mbox_job job;
	/* vf_msg_cfg: the last msg_max request times, a ring (TSC). */
	uint64_t *stamps;
	uint32_t stamp_next;
	uint32_t stamp_count;
	uint64_t ignore_until;	/* TSC; 0: not ignored */
	/* Log limit: lines this second, and those not printed. */
	uint64_t log_second;	/* TSC of the current one-second window */
	uint32_t log_lines;
	uint32_t log_dropped;
};

struct vfbc_pf_life;

struct vfbc_pf_mbox {
	struct vfbc_channel *ch;
	/*
	 * The channel's doorbell bitmap, read by the idle check of every
	 * loop over the ports; NULL: the channel is isolated (always looked
	 * at). Set with ch, freed with it.
	 */
	const uint64_t *doorbell;
	/* The channel's slot in the service summary; -1: none (looked at on every loop). */
	int16_t summary_slot;
	struct vfbc_pf_proc *pf;
	uint16_t port_id;
	uint16_t nb_slots;	/* VFs of the channel */
	/*
	 * Enabled VFs that have a slot: min(NumVFs, nb_slots). Written by
	 * refresh, read (relaxed) by the wait-free paths: they only need a
	 * bound below nb_slots, which every value written is.
	 */
	uint16_t nb_vfs;
	uint16_t vendor_id;	/* virtualized IDs presented to config reads */
	uint16_t device_id;
	uint8_t service_ok;	/* service_id is registered */
	uint8_t service_stuck;	/* still in a pass at close: never freed */
	uint8_t stopped;	/* vfbc_pf_mbox_stop() ran */
	uint32_t service_id;
	rte_spinlock_t poll_lock; /* one poller per port */
	uint16_t rr;		/* the service's round-robin start */
	uint64_t next_sweep;	/* TSC */
	uint64_t sweep_cycles;
	/* VFs to look at again: their job ended (set by the control thread). */
	uint64_t revisit[VFBC_CHANNEL_DOORBELL_WORDS];
	uint64_t *stamp_mem;	/* vf_msg_cfg stamps of every VF, or NULL */
	rte_spinlock_t limit_lock; /* the limits of every VF (service and control thread) */
	uint16_t scan[VFBC_CHANNEL_MAX_VFS];
	struct vfbc_pf_life *life; /* the consumer watch (vfbc_pf_life.c); NULL: none */
	/*
	 * The sleeping service (vfbc_pf_mbox_sleep.c), under its port's wait
	 * lock: a thread waits (one at a time), the close began (it wakes the
	 * waiter and waits for it to leave).
	 */
	uint8_t waiting;
	uint8_t wait_closing;
	struct vfbc_pf_mbox_vf vfs[]; /* nb_slots entries */
};

/*
 * vfbc_pf_mbox_serve.c: per port, this process; NULL: no channel (or not a
 * primary PF port).
 */
extern struct vfbc_pf_mbox *vfbc_pf_mboxes[RTE_MAX_ETHPORTS];

/*
 * The rte_service of a port id, registered with the port's mailbox and
 * kept after close: a close never calls the service library, which
 * rte_eal_cleanup() finalises (frees) before it removes the devices. The
 * service parks itself (runstate 0) at its first pass without a mailbox;
 * the next mailbox of the same port id starts it again, and the next
 * mailbox of any port unregisters those of ports closed meanwhile.
 */
struct vfbc_pf_mbox_service {
	uint32_t id;
	uint8_t registered;
	/* 1 while the service runs a pass for the port: close waits for 0. */
	uint32_t in_pass;
};

/* vfbc_pf_mbox_serve.c: by port id, this process. */
extern struct vfbc_pf_mbox_service vfbc_pf_mbox_services[RTE_MAX_ETHPORTS];

/*
 * vfbc_pf_mbox_all.c: the loop over every port (vfbc_pf_mbox_poll_all());
 * a port's mailbox joins it once published (after R10), leaves it when
 * withdrawn.
 */
void vfbc_pf_mbox_all_add(struct vfbc_pf_mbox *mb);
void vfbc_pf_mbox_all_del(struct vfbc_pf_mbox *mb);
/* Every port, or the ones the service summary names; the number served (never < 0). */
int vfbc_pf_mbox_poll_all_mb(unsigned int budget);

/* vfbc_pf_mbox.c */
int vfbc_pf_mbox_init(struct vfbc_pf_proc *pf, struct rte_eth_dev *dev);
/*
 * Stop serving (at close): the service is gone, explicit polls refused,
 * nothing queues control-thread jobs any more; the channel stays, for the
 * jobs already queued. _uninit() stops, then frees.
 */
void vfbc_pf_mbox_stop(struct vfbc_pf_proc *pf);
void vfbc_pf_mbox_uninit(struct vfbc_pf_proc *pf);
void vfbc_pf_mbox_refresh(struct vfbc_pf_proc *pf);
unsigned int vfbc_pf_mbox_xstats_names(struct rte_eth_xstat_name *names, unsigned int n);
void vfbc_pf_mbox_xstats_values(struct rte_eth_dev *dev, uint64_t *values);
void vfbc_pf_mbox_xstats_reset(struct rte_eth_dev *dev);

/* vfbc_pf_api.c: the port's mailbox; 0, -ENODEV (not a PF port) or -ENXIO (none). */
int vfbc_pf_mbox_get(uint16_t port_id, struct vfbc_pf_mbox **mb);

/*
 * vfbc_pf_mbox_serve.c: one pass of the service, at most budget requests;
 * the number served, or -EBUSY if another thread is in a pass.
 */
int vfbc_pf_mbox_poll_mb(struct vfbc_pf_mbox *mb, unsigned int budget);
/* One pass at the time now (a TSC), if anything is due; as vfbc_pf_mbox_poll_mb(). */
int vfbc_pf_mbox_poll_at(struct vfbc_pf_mbox *mb, unsigned int budget, uint64_t now);
int32_t vfbc_pf_mbox_service_run(void *arg);
/*
 * Anything a pass would look at besides the doorbells (a job ended, the
 * sweep due)? Checked without the poll lock (its two atomic operations
 * were most of an idle poll's cost, a service loop pays it per PF): what
 * it misses now is there for the next poll. Inline: the loop over every
 * port runs it for each.
 */
static inline int
vfbc_pf_mbox_due(const struct vfbc_pf_mbox *mb, uint64_t now)
{
	uint64_t any = 0;
	unsigned int w;

	for (w = 0; w < (mb->nb_slots + 63u) / 64; w++)
		any |= __atomic_load_n(&mb->revisit[w], __ATOMIC_RELAXED);
	return any != 0 || now >= __atomic_load_n(&mb->next_sweep, __ATOMIC_RELAXED);
}

/*
 * Work left for a later pass (a VF deferred, a job ended): the loop over
 * every port looks at this one again, whatever its doorbells say.
 */
static inline void
vfbc_pf_mbox_mark(struct vfbc_pf_mbox *mb)
{
	if (mb->summary_slot >= 0)
		(void)vfbc_channel_summary_mark(mb->ch);
}

/*
 * vfbc_pf_mbox_sleep.c: vfbc_pf_mbox_poll_wait() (-ENODEV: no mailbox, or
 * closing), and the close's wake of its waiter (after the mailbox left
 * vfbc_pf_mboxes).
 */
int vfbc_pf_mbox_poll_wait_port(uint16_t port_id, unsigned int budget, uint32_t spin_us,
				int timeout_ms);
void vfbc_pf_mbox_wait_close(struct vfbc_pf_mbox *mb);

/* vfbc_pf_mbox_limit.c */
int vfbc_pf_mbox_limit_init(struct vfbc_pf_mbox *mb);
void vfbc_pf_mbox_limit_free(struct vfbc_pf_mbox *mb);
/* 0: serve it; -EBUSY: the VF is over vf_msg_cfg and ignored for now. */
int vfbc_pf_mbox_limit_check(struct vfbc_pf_mbox *mb, uint16_t vf, uint64_t now);
/* May a line about VF vf be logged now? Counts the ones that may not. */
int vfbc_pf_mbox_log_ok(struct vfbc_pf_mbox *mb, uint16_t vf);

#endif /* _VFBC_PF_MBOX_H_ */
