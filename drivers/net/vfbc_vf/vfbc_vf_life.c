/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * What the PF does to the VF, told to the application as ethdev events:
 * the process's watch on EAL's interrupt thread (one alarm every
 * VFBC_VF_LIFE_PERIOD_MS for all the ports it watches, each listed by its
 * first claim) reads each VF's life lines past its cursor, notices a lost
 * claim, a closed PF port and a dead PF, and raises one event per cause,
 * then LSC when the link changed. An isolated port is also told by the
 * PF's socket (a LIFE message carries the PF's own copy of the lines),
 * which makes the watch look at once, and is all a holder whose region
 * the PF renewed (a disable) can still read.
 *
 * An idle look is cheap: the PF adds to its channel's life generation
 * (the header's life_gen) after whatever it publishes there, and a look
 * reads a port's lines and claim only when that word changed since the
 * port's last whole look, or when something else asks (a claim, a kick, a
 * look cut short). What needs no shared line is checked at every look
 * (the primary's death, the socket's news, the link). Any process of the
 * channel can write the word: a VF that bumps it only makes the others
 * look, and one that freezes it hides nothing for longer than the full
 * look every VF_LIFE_FULL_EVERY periods, which reads every port's lines
 * whatever the word says.
 *
 * A look takes ctrl_lock with a try: a claim, release or reset in
 * progress makes it look again at the next period, never wait. It raises
 * events without any lock: a callback may reset or close the port, or
 * another one (the watch walks on from where it was, under its lock).
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <ethdev_driver.h>
#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_interrupts.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "vfbc_port.h"
#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

/* Causes one look raises at most; the rest wait for the next look. */
#define VF_LIFE_BATCH 32
/* How long a reset waits for the PF's reset of the VF to end. */
#define VF_LIFE_RESET_WAIT_MS 2000
/*
 * Every this many periods a look reads every port's lines whatever its
 * channel's life generation says: the backstop against a process that
 * froze the word (100 ms at most, with a 10 ms period).
 */
#define VF_LIFE_FULL_EVERY 10

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

/*
 * What happened since the last look (ctrl_lock taken here, with a try).
 * full: read the lines whatever the channel's life generation says.
 */
static void
vf_life_collect(struct vfbc_vf_proc *proc, struct vf_life_batch *b, int full)
{
	struct vfbc_channel_life now;
	int lost = 0, whole = 0, gen_ok, ret;
	uint32_t gen = 0;
	uint8_t due;

	if (!rte_spinlock_trylock(&proc->ctrl_lock)) {
		/* Looked at again next time, lines included. */
		__atomic_store_n(&proc->life_due, 1, __ATOMIC_RELAXED);
		return;
	}
	due = __atomic_exchange_n(&proc->life_due, 0, __ATOMIC_RELAXED);
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
		whole = 1;
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
	    proc->gone == VFBC_VF_EVENT_PF_CLOSED + 1) {
		/* Nothing to read: nor a word of a channel maybe gone. */
		proc->life_gen_ok = 0;
		whole = 1;
		goto out;
	}
	/*
	 * Nothing published on the channel since the last whole look: its
	 * lines and claim word are as they were (a region's handle has no
	 * word: its lines are read every time). Read before them: LG2 in
	 * vfbc_channel_life_gen() pairs with LG1, so a word that changed
	 * comes with what changed it.
	 */
	ret = vfbc_channel_life_gen(proc->ch, &gen);
	if (ret == -ENODEV) {
		/* Its memory went (the library's guard): the PF closed its port. */
		proc->life_gen_ok = 0;
		if (proc->gone == 0)
			vf_life_push(proc, b, VFBC_VF_EVENT_PF_CLOSED);
		goto out;
	}
	gen_ok = ret == 0;
	whole = 1;
	if (gen_ok && !full && !due && proc->life_gen_ok && gen == proc->life_gen)
		goto out;
	if (!vfbc_vf_mbox_channel_alive(proc)) {
		proc->life_gen_ok = 0;
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
	else
		whole = 0;
	if (lost) {
		vfbc_vf_mbox_claim_lost(proc);
		if (proc->gone == 0 && b->n < VF_LIFE_BATCH)
			vf_life_push(proc, b, VFBC_VF_EVENT_REVOKED);
	}
	if (whole && b->n < VF_LIFE_BATCH) {
		proc->life_gen = gen;
		proc->life_gen_ok = (uint8_t)gen_ok;
		proc->life_gen_ch = proc->ch;
	}
out:
	/* Cut short (lines mid-write, a full batch): the next look reads them. */
	if (!whole || b->n == VF_LIFE_BATCH)
		__atomic_store_n(&proc->life_due, 1, __ATOMIC_RELAXED);
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
	uint32_t seq[VF_LIFE_BATCH];
	struct vfbc_vf_event ev;
	int power = 0, changed;
	unsigned int i;
	int up;

	/*
	 * Closed, its state kept (a close from its invalidation callback,
	 * -EDEADLK, keeps it for good): the port id is ethdev's again, maybe
	 * another port's, whose link and callbacks are not this VF's.
	 */
	if (__atomic_load_n(&proc->closed, __ATOMIC_RELAXED) != 0)
		return;
	/* The link first: a callback of the batch sees where its event left it. */
	up = vfbc_vf_life_link(proc);
	changed = !proc->link_known || up != proc->link_up;
	/*
	 * Counted before the sleeper wakes: a waiter that returns for these
	 * events reads them in vfbc_vf_get_info() (the counts after its kick
	 * made a woken vfbc-testpmd wait say "timeout" now and then).
	 */
	for (i = 0; i < b->n; i++) {
		seq[i] = (uint32_t)__atomic_add_fetch(&proc->events, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&proc->event_count[b->cause[i]], 1, __ATOMIC_RELAXED);
		__atomic_store_n(&proc->last_event, b->cause[i], __ATOMIC_RELAXED);
	}
	/*
	 * A sleeper (sleep mode) wakes to see what happened to its VF. LW1:
	 * pairs with LW2 in vfbc_vf_sleep_poll_wait(): the count (and the
	 * event counts above) before the kick, so a waiter whose arm drained
	 * the kick still sees them.
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
		ev.seq = seq[i];
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

/*
 * The process's watch: the ports it looks at, in the order they were
 * listed, and its one alarm. vf_life_lock guards the list, each port's
 * life_next and life_on, and what follows; it is never held while a look
 * takes a port's ctrl_lock, reads its lines or raises its events (only
 * the idle check of vf_life_idle() runs under it), nor while EAL waits for
 * the alarm's callback (rte_eal_alarm_cancel()).
 */
static pthread_mutex_t vf_life_lock = PTHREAD_MUTEX_INITIALIZER;
/* Signalled when the watch leaves a port: a close waits for it there. */
static pthread_cond_t vf_life_left = PTHREAD_COND_INITIALIZER;
static TAILQ_HEAD(vf_life_list, vfbc_vf_proc) vf_life_ports =
	TAILQ_HEAD_INITIALIZER(vf_life_ports);
/* The port a look is at; NULL between ports and looks. */
static struct vfbc_vf_proc *vf_life_at;
/* The alarm is set, or its callback runs (and sets it again if ports are left). */
static uint8_t vf_life_armed;
/* Its callback runs (EAL's interrupt thread). */
static uint8_t vf_life_running;
/* A kick during a look: the next one at once. */
static uint8_t vf_life_soon;
/* Looks so far: every VF_LIFE_FULL_EVERY-th reads every port's lines. */
static unsigned int vf_life_looks;

static void vf_life_tick(void *arg);

/* Set the alarm unless it is (vf_life_lock held). */
static void
vf_life_arm_locked(uint64_t us)
{
	if (vf_life_armed)
		return;
	if (rte_eal_alarm_set(us, vf_life_tick, NULL) == 0)
		vf_life_armed = 1;
	else
		VF_LOG(ERR, "life events stopped: cannot set the watch's alarm");
}

/*
 * Nothing to look at (the list lock held, ctrl_lock not): no full look,
 * nothing asked for, the channel's life generation as at the port's last
 * whole look, and the link as reported. What it reads is the watch's own
 * or atomic, but the link as reported, which a claim also sets (read as
 * vf_life_raise() reads it; the claim sets life_due too, so a stale read
 * costs one period at most): a claim that changes proc->ch sets life_due,
 * and the handle of the last look stays mapped until the port closes
 * (unlisted first).
 */
static int
vf_life_idle(struct vfbc_vf_proc *proc, int full)
{
	uint32_t gen;

	if (full || __atomic_load_n(&proc->life_due, __ATOMIC_RELAXED) ||
	    proc->iso_life_new || vf_life_dead(proc) || !proc->life_gen_ok ||
	    !proc->link_known)
		return 0;
	/* LG2 in vfbc_channel_life_gen(): pairs with LG1 (the PF's bump). */
	if (vfbc_channel_life_gen(proc->life_gen_ch, &gen) != 0 || gen != proc->life_gen)
		return 0;
	return vfbc_vf_life_link(proc) == proc->link_up;
}

/* One port's look; 1 if its batch was full (the rest at once). */
static int
vf_life_look(struct vfbc_vf_proc *proc, int full)
{
	struct vf_life_batch b;

	b.n = 0;
	vf_life_collect(proc, &b, full);
	vf_life_raise(proc, &b);
	return b.n == VF_LIFE_BATCH;
}

/* A port closed from one of its life callbacks: its state goes now that nothing uses it. */
static void
vf_life_free(struct vfbc_vf_proc *proc)
{
	vfbc_vf_mbox_uninit(proc);
	pthread_mutex_destroy(&proc->req_lock);
	pthread_mutex_destroy(&proc->sleep_cb_lock);
	free(proc);
}

/*
 * The alarm: a look at every listed port. The list lock is let go at each
 * port, since its callbacks may close or reset any port: the port the
 * look is at stays listed until the look leaves it (a close elsewhere
 * waits, one from its own callback leaves it to the watch), so its
 * successor is read only then.
 */
static void
vf_life_tick(void *arg __rte_unused)
{
	struct vf_life_list freed = TAILQ_HEAD_INITIALIZER(freed);
	struct vfbc_vf_proc *proc, *next;
	int full, soon = 0;

	pthread_mutex_lock(&vf_life_lock);
	vf_life_running = 1;
	vf_life_soon = 0;
	full = ++vf_life_looks % VF_LIFE_FULL_EVERY == 0;
	for (proc = TAILQ_FIRST(&vf_life_ports); proc != NULL; proc = next) {
		/* An idle port costs a load of its channel's header line, no lock. */
		next = TAILQ_NEXT(proc, life_next);
		if (vf_life_idle(proc, full))
			continue;
		vf_life_at = proc;
		proc->life_watching = 1;
		pthread_mutex_unlock(&vf_life_lock);
		soon |= vf_life_look(proc, full);
		pthread_mutex_lock(&vf_life_lock);
		proc->life_watching = 0;
		vf_life_at = NULL;
		next = TAILQ_NEXT(proc, life_next);
		if (proc->life_free || __atomic_load_n(&proc->life_stopping, __ATOMIC_RELAXED)) {
			TAILQ_REMOVE(&vf_life_ports, proc, life_next);
			__atomic_store_n(&proc->life_on, 0, __ATOMIC_RELAXED);
			if (proc->life_free)
				TAILQ_INSERT_TAIL(&freed, proc, life_next);
		}
		pthread_cond_broadcast(&vf_life_left);
	}
	vf_life_running = 0;
	vf_life_armed = 0;
	/* A full batch left events, or a kick came: the rest at once. */
	if (!TAILQ_EMPTY(&vf_life_ports))
		vf_life_arm_locked(soon || vf_life_soon ? 1 : VFBC_VF_LIFE_PERIOD_MS * 1000);
	pthread_mutex_unlock(&vf_life_lock);
	/* Unlisted: a close from elsewhere cannot reach them. */
	while ((proc = TAILQ_FIRST(&freed)) != NULL) {
		TAILQ_REMOVE(&freed, proc, life_next);
		vf_life_free(proc);
	}
}

void
vfbc_vf_life_start(struct vfbc_vf_proc *proc)
{
	pthread_mutex_lock(&vf_life_lock);
	if (!proc->life_on && !__atomic_load_n(&proc->life_stopping, __ATOMIC_RELAXED)) {
		TAILQ_INSERT_TAIL(&vf_life_ports, proc, life_next);
		__atomic_store_n(&proc->life_on, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&proc->life_due, 1, __ATOMIC_RELAXED);
		vf_life_arm_locked(VFBC_VF_LIFE_PERIOD_MS * 1000);
	}
	pthread_mutex_unlock(&vf_life_lock);
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
	/* A new claim, maybe a new channel: the next look reads the lines. */
	__atomic_store_n(&proc->life_due, 1, __ATOMIC_RELAXED);
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
	int last = 0;

	__atomic_store_n(&proc->life_stopping, 1, __ATOMIC_RELAXED);
	/* The watch itself (a close from the port's callback): it unlists the port. */
	if (vfbc_vf_life_watching(proc))
		return;
	pthread_mutex_lock(&vf_life_lock);
	/* A look at this port from another thread ends first. */
	while (vf_life_at == proc)
		pthread_cond_wait(&vf_life_left, &vf_life_lock);
	if (proc->life_on) {
		TAILQ_REMOVE(&vf_life_ports, proc, life_next);
		__atomic_store_n(&proc->life_on, 0, __ATOMIC_RELAXED);
		last = TAILQ_EMPTY(&vf_life_ports) && vf_life_armed && !vf_life_running;
	}
	pthread_mutex_unlock(&vf_life_lock);
	/*
	 * The last port: no alarm left behind. Unlocked (EAL waits for a
	 * callback that runs, which takes the lock); a port listed meanwhile
	 * gets the alarm back.
	 */
	if (last && rte_eal_alarm_cancel(vf_life_tick, NULL) > 0) {
		pthread_mutex_lock(&vf_life_lock);
		vf_life_armed = 0;
		if (!TAILQ_EMPTY(&vf_life_ports))
			vf_life_arm_locked(VFBC_VF_LIFE_PERIOD_MS * 1000);
		pthread_mutex_unlock(&vf_life_lock);
	}
}

void
vfbc_vf_life_kick(struct vfbc_vf_proc *proc)
{
	pthread_mutex_lock(&vf_life_lock);
	if (!proc->life_on || __atomic_load_n(&proc->life_stopping, __ATOMIC_RELAXED)) {
		pthread_mutex_unlock(&vf_life_lock);
		return;
	}
	__atomic_store_n(&proc->life_due, 1, __ATOMIC_RELAXED);
	if (vf_life_running) {
		/* From the look itself: the next one comes at once. */
		vf_life_soon = 1;
	} else if (rte_thread_is_intr()) {
		/*
		 * On the interrupt thread no callback of the alarm runs, so
		 * EAL does not wait here: the alarm set for a period, now.
		 */
		if (vf_life_armed && rte_eal_alarm_cancel(vf_life_tick, NULL) > 0)
			vf_life_armed = 0;
		vf_life_arm_locked(1);
	}
	/* Elsewhere: the next period's look reads the port (life_due). */
	pthread_mutex_unlock(&vf_life_lock);
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
