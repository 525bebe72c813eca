/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A VF's life, both ways. To the VF's consumer: what the PF did to the VF
 * (an FLR, a power-state change), posted in the channel's life lines and,
 * for a holder on the control socket, sent as a hint (disable and enable
 * are posted by the channel itself when the VF's address changes). To the
 * PF application: its VFs' consumers attaching, detaching and dying, seen
 * by a watch on EAL's interrupt thread (an alarm) and handed to the
 * callbacks vfbc_pf_consumer_callback_register() took.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_interrupts.h>
#include <rte_spinlock.h>

#include "vfbc_pf.h"
#include "vfbc_pf_life.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_socket.h"

struct pf_life_cb {
	vfbc_pf_consumer_cb_t fn;	/* NULL: free */
	void *arg;
};

struct vfbc_pf_life {
	struct vfbc_pf_mbox *mb;
	/* Callbacks; held while they run, so an unregister waits them out. */
	rte_spinlock_recursive_t cb_lock;
	struct pf_life_cb cbs[VFBC_PF_MAX_CONSUMER_CALLBACKS];
	uint32_t stopping;		/* no re-arm of the watch */
	/*
	 * Its watch runs (on the interrupt thread, which alone reads it). A
	 * flag, not a per-thread variable: thread-local storage of a plugin
	 * loaded with -d, touched on EAL's interrupt thread, crashes gcc 12's
	 * LeakSanitizer at exit.
	 */
	uint32_t watching;
	uint32_t orphan;		/* stopped from its own callback: the watch frees it */
	/*
	 * Per VF slot, as the watch saw them last: the consumer (0: none), and
	 * the slot's grants and takeovers (a holder replaced, or the same one
	 * again, within a period).
	 */
	struct {
		int32_t pid;
		uint64_t claims;
		uint64_t takeovers;
	} seen[];
};

void
vfbc_pf_life_post(struct vfbc_pf_proc *pf, uint16_t vf_id, int cause, uint32_t clear,
		  uint32_t set)
{
	struct vfbc_pf_mbox *mb = pf->mb;

	if (mb == NULL || vf_id >= mb->nb_slots)
		return;
	if (vfbc_channel_life_post(mb->ch, vf_id, cause, clear, set) < 0)
		return;
	/* A state change alone wakes nobody: the consumer reads it at its next look. */
	if (cause != VFBC_CHANNEL_LIFE_NONE)
		vfbc_pf_socket_life(pf, vf_id, (uint32_t)cause);
}

static void
pf_life_raise(struct vfbc_pf_life *life, uint16_t vf, uint16_t type, int32_t pid)
{
	uint16_t port = life->mb->port_id;
	struct vfbc_pf_consumer_event ev;
	unsigned int i;

	memset(&ev, 0, sizeof(ev));
	ev.vf_id = vf;
	ev.type = type;
	ev.pid = pid;
	PF_MBOX_LOG(INFO, "port %u VF %u: consumer pid %d %s", port, vf, (int)pid,
		    type == VFBC_PF_CONSUMER_ATTACHED ? "attached" :
		    type == VFBC_PF_CONSUMER_DETACHED ? "detached" : "died");
	rte_spinlock_recursive_lock(&life->cb_lock);
	for (i = 0; i < VFBC_PF_MAX_CONSUMER_CALLBACKS; i++) {
		if (life->cbs[i].fn != NULL)
			life->cbs[i].fn(port, &ev, life->cbs[i].arg);
		/* A callback closed the port: the mailbox is gone, the others are not told. */
		if (life->orphan)
			break;
	}
	rte_spinlock_recursive_unlock(&life->cb_lock);
}

/*
 * One look at every slot: the live holder the PF granted (its own record
 * and the holder's pidfd, not the VF-written word alone) against the one
 * seen last time. A holder that is gone died if the claim word still names
 * it (it never let go), else it detached (released, or the PF revoked it).
 */
static void
pf_life_watch(void *arg)
{
	struct vfbc_pf_life *life = arg;
	struct vfbc_channel *ch = life->mb->ch;
	uint64_t grants, takeovers;
	pid_t now, word_pid;
	int32_t was;
	uint16_t vf;
	int died;

	life->watching = 1;
	for (vf = 0; vf < life->mb->nb_slots; vf++) {
		now = 0;
		(void)vfbc_channel_claim_granted(ch, vf, &now);
		/* The PF's own counts: a VF's counters are its own to falsify. */
		if (vfbc_channel_claim_counts(ch, vf, &grants, &takeovers) < 0)
			grants = takeovers = 0;
		was = life->seen[vf].pid;
		if (was == (int32_t)now && grants == life->seen[vf].claims)
			continue;
		life->seen[vf].pid = (int32_t)now;
		life->seen[vf].claims = grants;
		if (was != 0) {
			/*
			 * Another holder, or none: it exited holding the claim
			 * if the word still names it (the grant's pidfd says it
			 * is gone), or the next grant took it over (only a dead
			 * holder's claim is taken over). The same process
			 * granted again let go in between.
			 */
			word_pid = 0;
			(void)vfbc_channel_claim_get(ch, vf, &word_pid, NULL);
			died = was != (int32_t)now && (word_pid == (pid_t)was ||
					takeovers != life->seen[vf].takeovers);
			life->seen[vf].takeovers = takeovers;
			pf_life_raise(life, vf, died ? VFBC_PF_CONSUMER_DIED :
				      VFBC_PF_CONSUMER_DETACHED, was);
			if (life->orphan)
				break;
		}
		life->seen[vf].takeovers = takeovers;
		if (now != 0)
			pf_life_raise(life, vf, VFBC_PF_CONSUMER_ATTACHED, (int32_t)now);
		/* A callback closed the port: its mailbox and channel are gone. */
		if (life->orphan)
			break;
	}
	life->watching = 0;
	if (life->orphan) {
		free(life);
		return;
	}
	if (!__atomic_load_n(&life->stopping, __ATOMIC_RELAXED) &&
	    rte_eal_alarm_set(VFBC_PF_CONSUMER_WATCH_MS * 1000, pf_life_watch, life) != 0)
		PF_MBOX_LOG(ERR, "port %u: consumer watch stopped: cannot set its alarm",
			    life->mb->port_id);
}

int
vfbc_pf_life_start(struct vfbc_pf_mbox *mb)
{
	struct vfbc_pf_life *life;
	int ret;

	life = calloc(1, sizeof(*life) + sizeof(life->seen[0]) * mb->nb_slots);
	if (life == NULL)
		return -ENOMEM;
	life->mb = mb;
	rte_spinlock_recursive_init(&life->cb_lock);
	ret = rte_eal_alarm_set(VFBC_PF_CONSUMER_WATCH_MS * 1000, pf_life_watch, life);
	if (ret < 0) {
		free(life);
		return ret;
	}
	mb->life = life;
	return 0;
}

void
vfbc_pf_life_stop(struct vfbc_pf_mbox *mb)
{
	struct vfbc_pf_life *life = mb->life;

	if (life == NULL)
		return;
	__atomic_store_n(&life->stopping, 1, __ATOMIC_RELAXED);
	mb->life = NULL;
	/*
	 * From a consumer callback, the watch is in progress on this thread:
	 * it stops at once when the callback returns, and frees itself.
	 */
	if (rte_thread_is_intr() && life->watching) {
		life->orphan = 1;
		return;
	}
	/* Waits for a watch in progress on the interrupt thread, then none is left. */
	rte_eal_alarm_cancel(pf_life_watch, life);
	free(life);
}

int
vfbc_pf_life_cb_register(struct vfbc_pf_mbox *mb, vfbc_pf_consumer_cb_t cb, void *arg)
{
	struct vfbc_pf_life *life = mb->life;
	int free_slot = -1;
	unsigned int i;
	int ret = 0;

	if (life == NULL)
		return -ENOTSUP;
	rte_spinlock_recursive_lock(&life->cb_lock);
	for (i = 0; i < VFBC_PF_MAX_CONSUMER_CALLBACKS; i++) {
		if (life->cbs[i].fn == cb && life->cbs[i].arg == arg) {
			ret = -EEXIST;
			break;
		}
		if (free_slot < 0 && life->cbs[i].fn == NULL)
			free_slot = (int)i;
	}
	if (ret == 0 && free_slot < 0)
		ret = -ENOSPC;
	if (ret == 0) {
		life->cbs[free_slot].fn = cb;
		life->cbs[free_slot].arg = arg;
	}
	rte_spinlock_recursive_unlock(&life->cb_lock);
	return ret;
}

int
vfbc_pf_life_cb_unregister(struct vfbc_pf_mbox *mb, vfbc_pf_consumer_cb_t cb, void *arg)
{
	struct vfbc_pf_life *life = mb->life;
	unsigned int i;
	int ret = -ENOENT;

	if (life == NULL)
		return -ENOENT;
	/* Recursive: a callback may unregister itself; others wait until it returns. */
	rte_spinlock_recursive_lock(&life->cb_lock);
	for (i = 0; i < VFBC_PF_MAX_CONSUMER_CALLBACKS; i++) {
		if (life->cbs[i].fn == cb && life->cbs[i].arg == arg) {
			life->cbs[i].fn = NULL;
			life->cbs[i].arg = NULL;
			ret = 0;
			break;
		}
	}
	rte_spinlock_recursive_unlock(&life->cb_lock);
	return ret;
}
