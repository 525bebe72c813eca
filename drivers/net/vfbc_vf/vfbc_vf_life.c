/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * What the PF does to the VF, told to the application as ethdev events:
 * a watch on EAL's interrupt thread (an alarm every VFBC_VF_LIFE_PERIOD_MS,
 * started by the port's first claim) reads the VF's life lines past its
 * cursor, notices a lost claim, a closed PF port and a dead PF, and raises
 * one event per cause, then LSC when the link changed. An isolated port
 * is also told by the PF's socket (a LIFE message carries the PF's own
 * copy of the lines), which makes the watch look at once, and is all a
 * holder whose region the PF renewed (a disable) can still read.
 *
 * The watch takes ctrl_lock with a try: a claim, release or reset in
 * progress makes it look again at the next period, never wait. It raises
 * events without any lock: a callback may reset or close the port.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_interrupts.h>

#include "vfbc_port.h"
#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

/* Causes one look raises at most; the rest wait for the next look. */
#define VF_LIFE_BATCH 32
/* How long a reset waits for the PF's reset of the VF to end. */
#define VF_LIFE_RESET_WAIT_MS 2000

/* The channel's causes are the PMD's first ones, one for one. */
_Static_assert(VFBC_VF_EVENT_FLR == VFBC_CHANNEL_LIFE_FLR &&
	       VFBC_VF_EVENT_FLR_ASKED == VFBC_CHANNEL_LIFE_FLR_ASKED &&
	       VFBC_VF_EVENT_POWER == VFBC_CHANNEL_LIFE_POWER &&
	       VFBC_VF_EVENT_DISABLED == VFBC_CHANNEL_LIFE_DISABLED &&
	       VFBC_VF_EVENT_ENABLED == VFBC_CHANNEL_LIFE_ENABLED, "life causes");
_Static_assert(VFBC_VF_EVENT_NB <= VFBC_CHANNEL_LIFE_NB_CAUSES, "life cause counts");

struct vf_life_batch {
	unsigned int n;
	uint8_t cause[VF_LIFE_BATCH];
};

static const char * const vf_life_names[VFBC_VF_EVENT_NB] = {
	[VFBC_VF_EVENT_FLR] = "the PF reset the VF",
	[VFBC_VF_EVENT_FLR_ASKED] = "the PF reset the VF, as asked",
	[VFBC_VF_EVENT_POWER] = "the PF changed the VF's power state",
	[VFBC_VF_EVENT_DISABLED] = "the PF disabled the VF",
	[VFBC_VF_EVENT_ENABLED] = "the PF enabled the VF",
	[VFBC_VF_EVENT_REVOKED] = "the PF took the claim back",
	[VFBC_VF_EVENT_PF_CLOSED] = "the PF closed its port",
	[VFBC_VF_EVENT_PF_GONE] = "the PF is gone",
};

static enum rte_eth_event_type
vf_life_ethdev_event(uint32_t cause)
{
	switch (cause) {
	case VFBC_VF_EVENT_FLR:
	case VFBC_VF_EVENT_FLR_ASKED:
	case VFBC_VF_EVENT_ENABLED:
		return RTE_ETH_EVENT_INTR_RESET;
	case VFBC_VF_EVENT_POWER:
		return RTE_ETH_EVENT_INTR_LSC;
	default:
		return RTE_ETH_EVENT_INTR_RMV;
	}
}

static int
vf_life_dead(const struct vfbc_vf_proc *proc)
{
	return __atomic_load_n(&proc->dead, __ATOMIC_RELAXED) != 0;
}

/* Record a cause and what it does to the port (ctrl_lock held). */
static void
vf_life_push(struct vfbc_vf_proc *proc, struct vf_life_batch *b, uint32_t cause)
{
	b->cause[b->n++] = (uint8_t)cause;
	switch (cause) {
	case VFBC_VF_EVENT_FLR:
	case VFBC_VF_EVENT_FLR_ASKED:
	case VFBC_VF_EVENT_ENABLED:
		__atomic_store_n(&proc->reset_needed, 1, __ATOMIC_RELAXED);
		break;
	case VFBC_VF_EVENT_POWER:
		break;
	default:
		if (proc->gone == 0)
			__atomic_store_n(&proc->gone, cause + 1, __ATOMIC_RELAXED);
		break;
	}
}

/* The events of snapshot now past the cursor, as many as the batch holds. */
static void
vf_life_take(struct vfbc_vf_proc *proc, const struct vfbc_channel_life *now,
	     struct vf_life_batch *b)
{
	uint8_t causes[VF_LIFE_BATCH];
	int i, n = 0;
	uint32_t seq;

	while (b->n < VF_LIFE_BATCH) {
		seq = proc->life_cur.seq;
		n = vfbc_channel_life_next(now, &proc->life_cur, causes, VF_LIFE_BATCH - b->n);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (causes[i] >= VFBC_VF_EVENT_NB)
				continue;
			/*
			 * Event seq + 1 + i, posted before the last claim (a
			 * reset) and not raised yet: history, which that claim
			 * took as it was. Counted, never raised: a removal
			 * raised after the port came back would undo it.
			 */
			if ((int32_t)(seq + 1 + i - proc->life_claim_seq) <= 0) {
				__atomic_fetch_add(&proc->past_count[causes[i]], 1,
						   __ATOMIC_RELAXED);
				continue;
			}
			vf_life_push(proc, b, causes[i]);
		}
	}
	if (n == -ESTALE || n == -EBADMSG) {
		/*
		 * Not what the PF writes: an isolated region the PF emptied
		 * (its socket says why), or lines a process rewrote.
		 */
		if (!proc->life_bad_logged)
			VF_LOG(WARNING, "port %u: VF %u: its life lines are unreadable (%s)",
			       proc->port_id, proc->vf_id, strerror(-n));
		proc->life_bad_logged = 1;
		return;
	}
	__atomic_store_n(&proc->life_state, now->state, __ATOMIC_RELAXED);
}

/* What happened since the last look (ctrl_lock taken here, with a try). */
static void
vf_life_collect(struct vfbc_vf_proc *proc, struct vf_life_batch *b)
{
	struct vfbc_channel_life now;
	int lost = 0;

	if (!rte_spinlock_trylock(&proc->ctrl_lock))
		return;
	/*
	 * Isolated: the PF's own copy, which a holder of a renewed region gets
	 * alone; read to its end before anything the hang-up implies.
	 */
	if (proc->iso_life_new) {
		vf_life_take(proc, &proc->iso_life, b);
		if (b->n < VF_LIFE_BATCH)
			proc->iso_life_new = 0;
	}
	if (b->n == VF_LIFE_BATCH)
		goto out;
	/*
	 * A PF that hung up, closed its port or died says nothing more. A
	 * disabled VF's lines still do: its enable comes there.
	 */
	if (vf_life_dead(proc)) {
		if (proc->gone != 0)
			goto out;
		if (proc->iso_bye == VFBC_SOCK_LIFE_REVOKED + 1)
			vf_life_push(proc, b, VFBC_VF_EVENT_REVOKED);
		else if (proc->iso_bye == VFBC_SOCK_LIFE_PF_CLOSED + 1)
			vf_life_push(proc, b, VFBC_VF_EVENT_PF_CLOSED);
		else
			vf_life_push(proc, b, VFBC_VF_EVENT_PF_GONE);
		goto out;
	}
	if (proc->ch == NULL || proc->life_ch != proc->ch ||
	    proc->gone == VFBC_VF_EVENT_PF_CLOSED + 1)
		goto out;
	if (!vfbc_vf_mbox_channel_alive(proc)) {
		if (proc->gone == 0)
			vf_life_push(proc, b, VFBC_VF_EVENT_PF_CLOSED);
		goto out;
	}
	/*
	 * The claim before the lines: a disable posts its event before it
	 * revokes, so a lost claim seen here comes with its event below.
	 * Isolated holders are told by the socket instead (a renewed region
	 * reads zeros, the claim word included).
	 */
	/* A11: pairs with R11 in vfbc_vf_mbox_claim(): the claim's channel and slot. */
	if (!proc->isolated && __atomic_load_n(&proc->claimed, __ATOMIC_ACQUIRE) != 0 &&
	    vfbc_channel_holds(proc->ch, proc->vf_id) == 0)
		lost = 1;
	if (vfbc_channel_life_get(proc->ch, proc->vf_id, &now) == 0)
		vf_life_take(proc, &now, b);
	if (lost) {
		vfbc_vf_mbox_claim_lost(proc);
		if (proc->gone == 0 && b->n < VF_LIFE_BATCH)
			vf_life_push(proc, b, VFBC_VF_EVENT_REVOKED);
	}
out:
	rte_spinlock_unlock(&proc->ctrl_lock);
}

int
vfbc_vf_life_link(struct vfbc_vf_proc *proc)
{
	uint32_t state = __atomic_load_n(&proc->life_state, __ATOMIC_RELAXED);

	if (__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) == 0 || vf_life_dead(proc) ||
	    __atomic_load_n(&proc->gone, __ATOMIC_RELAXED) != 0 ||
	    __atomic_load_n(&proc->reset_needed, __ATOMIC_RELAXED) != 0)
		return 0;
	return (state & VFBC_CHANNEL_LIFE_S_ENABLED) != 0 &&
		(state & (VFBC_CHANNEL_LIFE_S_RESETTING | VFBC_CHANNEL_LIFE_S_D_MASK)) == 0;
}

/* Raise the batch, then LSC if the link changed; stops if a callback closed the port. */
static void
vf_life_raise(struct vfbc_vf_proc *proc, const struct vf_life_batch *b)
{
	struct rte_eth_dev *dev = &rte_eth_devices[proc->port_id];
	struct vfbc_vf_event ev;
	int power = 0, changed;
	unsigned int i;
	int up;

	/* The link first: a callback of the batch sees where its event left it. */
	up = vfbc_vf_life_link(proc);
	changed = !proc->link_known || up != proc->link_up;
	/*
	 * A sleeper (sleep mode) wakes to see what happened to its VF. LW1:
	 * pairs with LW2 in vfbc_vf_sleep_poll_wait(): the count before the
	 * kick, so a waiter whose arm drained the kick still sees the count.
	 */
	if (b->n != 0)
		__atomic_add_fetch(&proc->life_wakes, 1, __ATOMIC_RELEASE);
	if (b->n != 0 || changed)
		vfbc_vf_sleep_kick(proc);
	if (changed) {
		proc->link_known = 1;
		proc->link_up = (uint8_t)up;
		vfbc_port_link_update(dev, up);
		VF_LOG(INFO, "port %u: link %s", proc->port_id, up ? "up" : "down");
	}
	for (i = 0; i < b->n; i++) {
		ev.cause = b->cause[i];
		ev.seq = (uint32_t)__atomic_add_fetch(&proc->events, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&proc->event_count[ev.cause], 1, __ATOMIC_RELAXED);
		__atomic_store_n(&proc->last_event, ev.cause, __ATOMIC_RELAXED);
		VF_LOG(NOTICE, "port %u: VF %u: %s", proc->port_id, proc->vf_id,
		       vf_life_names[ev.cause]);
		rte_eth_dev_callback_process(dev, vf_life_ethdev_event(ev.cause), &ev);
		if (proc->life_free)
			return;
		power |= ev.cause == VFBC_VF_EVENT_POWER;
	}
	/* A power change raised its LSC already: one per change of the link. */
	if (changed && !power)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

static void
vf_life_watch(void *arg)
{
	struct vfbc_vf_proc *proc = arg;
	struct vf_life_batch b;

	b.n = 0;
	proc->life_watching = 1;
	vf_life_collect(proc, &b);
	vf_life_raise(proc, &b);
	proc->life_watching = 0;
	if (proc->life_free) {
		/* A callback closed the port: its state goes now that nothing uses it. */
		proc->life_on = 0;
		vfbc_vf_mbox_uninit(proc);
		pthread_mutex_destroy(&proc->req_lock);
		free(proc);
		return;
	}
	if (__atomic_load_n(&proc->life_stopping, __ATOMIC_RELAXED))
		return;
	/* A full batch may have left events: the rest at once. */
	if (rte_eal_alarm_set(b.n == VF_LIFE_BATCH ? 1 : VFBC_VF_LIFE_PERIOD_MS * 1000,
			      vf_life_watch, proc) != 0) {
		proc->life_on = 0;
		VF_LOG(ERR, "port %u: life events stopped: cannot set the watch's alarm",
		       proc->port_id);
	}
}

void
vfbc_vf_life_start(struct vfbc_vf_proc *proc)
{
	if (proc->life_on || __atomic_load_n(&proc->life_stopping, __ATOMIC_RELAXED))
		return;
	if (rte_eal_alarm_set(VFBC_VF_LIFE_PERIOD_MS * 1000, vf_life_watch, proc) == 0)
		proc->life_on = 1;
	else
		VF_LOG(WARNING, "port %u: no life events: cannot set the watch's alarm",
		       proc->port_id);
}

void
vfbc_vf_life_claimed(struct vfbc_vf_proc *proc)
{
	struct vfbc_channel_life now;

	if (vfbc_channel_life_get(proc->ch, proc->vf_id, &now) == 0) {
		/*
		 * A new channel, or (isolated) a region of a new PF: its past
		 * is not this consumer's, events start here. The same one:
		 * the cursor goes on, and what happened since is told.
		 */
		if (proc->life_ch != proc->ch || proc->life_inc != proc->ch->incarnation) {
			vfbc_channel_life_cursor_init(&proc->life_cur, &now);
			__atomic_store_n(&proc->life_state, now.state, __ATOMIC_RELAXED);
			proc->life_ch = proc->ch;
			proc->life_inc = proc->ch->incarnation;
		}
		/* What was posted until now: this claim takes the VF as it is. */
		proc->life_claim_seq = now.seq;
	}
	__atomic_store_n(&proc->gone, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&proc->reset_needed, 0, __ATOMIC_RELAXED);
	proc->life_bad_logged = 0;
	/*
	 * The process's first claim (usually at probe, before the application
	 * could register a callback) sets the link without an event, as a
	 * PMD's probe does; from then on every change raises LSC.
	 */
	if (!proc->link_known) {
		proc->link_up = (uint8_t)vfbc_vf_life_link(proc);
		proc->link_known = 1;
		vfbc_port_link_update(&rte_eth_devices[proc->port_id], proc->link_up);
	}
	vfbc_vf_life_start(proc);
}

int
vfbc_vf_life_watching(const struct vfbc_vf_proc *proc)
{
	/* The interrupt thread alone runs the watch and reads its flag. */
	return rte_thread_is_intr() && proc->life_watching;
}

void
vfbc_vf_life_stop(struct vfbc_vf_proc *proc)
{
	__atomic_store_n(&proc->life_stopping, 1, __ATOMIC_RELAXED);
	/* The watch itself (freeing a port closed from its callback): it is ending. */
	if (vfbc_vf_life_watching(proc) || !proc->life_on)
		return;
	/* Waits for a look in progress; one it re-armed is cancelled too. */
	rte_eal_alarm_cancel(vf_life_watch, proc);
	proc->life_on = 0;
}

void
vfbc_vf_life_kick(struct vfbc_vf_proc *proc)
{
	if (!proc->life_on || __atomic_load_n(&proc->life_stopping, __ATOMIC_RELAXED))
		return;
	/* On the interrupt thread: no look is running; one alarm stays set. */
	rte_eal_alarm_cancel(vf_life_watch, proc);
	if (rte_eal_alarm_set(1, vf_life_watch, proc) != 0) {
		proc->life_on = 0;
		VF_LOG(ERR, "port %u: life events stopped: cannot set the watch's alarm",
		       proc->port_id);
	}
}

void
vfbc_vf_life_sock_msg(struct vfbc_vf_proc *proc, const struct vfbc_sock_life *m)
{
	proc->iso_life.seq = m->seq;
	proc->iso_life.state = m->state;
	memcpy(proc->iso_life.count, m->count, sizeof(proc->iso_life.count));
	memcpy(proc->iso_life.log, m->log, sizeof(proc->iso_life.log));
	proc->iso_life_new = 1;
	if (m->cause == VFBC_SOCK_LIFE_REVOKED || m->cause == VFBC_SOCK_LIFE_PF_CLOSED)
		proc->iso_bye = m->cause + 1;
	vfbc_vf_life_kick(proc);
}

void
vfbc_vf_life_info(struct vfbc_vf_proc *proc, struct vfbc_vf_info *info)
{
	uint32_t state = __atomic_load_n(&proc->life_state, __ATOMIC_RELAXED);
	unsigned int i;

	info->link_up = proc->link_known && proc->link_up;
	info->reset_needed = __atomic_load_n(&proc->reset_needed, __ATOMIC_RELAXED);
	info->power_state = (state & VFBC_CHANNEL_LIFE_S_D_MASK) >> VFBC_CHANNEL_LIFE_S_D_SHIFT;
	info->enabled = (state & VFBC_CHANNEL_LIFE_S_ENABLED) != 0;
	info->last_event = __atomic_load_n(&proc->last_event, __ATOMIC_RELAXED);
	info->events = __atomic_load_n(&proc->events, __ATOMIC_RELAXED);
	for (i = 0; i < VFBC_VF_EVENT_NB; i++) {
		info->event_count[i] = __atomic_load_n(&proc->event_count[i], __ATOMIC_RELAXED);
		info->past_count[i] = __atomic_load_n(&proc->past_count[i], __ATOMIC_RELAXED);
	}
}

/* The PF's reset of the VF, if one is in progress, ends first (bounded). */
static int
vf_life_reset_wait(struct vfbc_vf_proc *proc)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * VF_LIFE_RESET_WAIT_MS / 1000;
	struct vfbc_channel_life now;
	struct vfbc_channel *ch;
	uint16_t vf;

	rte_spinlock_lock(&proc->ctrl_lock);
	ch = proc->ch;
	vf = proc->vf_id;
	rte_spinlock_unlock(&proc->ctrl_lock);
	/* A handle is freed only when the port closes: ch stays usable here. */
	while (ch != NULL && !vf_life_dead(proc) && vfbc_vf_mbox_channel_alive(proc) &&
	       vfbc_channel_life_get(ch, vf, &now) == 0 &&
	       (now.state & VFBC_CHANNEL_LIFE_S_RESETTING) != 0) {
		if (rte_get_timer_cycles() > deadline)
			return -ETIMEDOUT;
		rte_delay_us_sleep(1000);
	}
	return 0;
}

int
vfbc_vf_dev_reset(struct rte_eth_dev *dev)
{
	struct vfbc_vf_proc *proc = dev->process_private;
	int ret;

	if (proc == NULL)
		return -ENODEV;
	if (vfbc_vf_mbox_delivering(proc))
		return -EDEADLK;
	ret = vf_life_reset_wait(proc);
	if (ret < 0) {
		VF_LOG(ERR, "port %u: reset: the PF's reset of VF %u did not end in %u ms",
		       proc->port_id, proc->vf_id, VF_LIFE_RESET_WAIT_MS);
		return ret;
	}
	/* Let go and claim again: the claim attaches a new channel or connection. */
	if (__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) != 0)
		(void)vfbc_vf_mbox_release(proc);
	ret = vfbc_vf_mbox_claim(proc);
	if (ret == -EALREADY)
		ret = 0;
	if (ret == 0)
		VF_LOG(INFO, "port %u: reset: VF %u claimed again", proc->port_id, proc->vf_id);
	return ret;
}
