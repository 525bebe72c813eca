/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF ports' fast-path tables, by port id (rte_eth_fp_ops' way):
 * vfbc_vf_fp_procs, this process's state of each port, for the driver's
 * own calls that skip ethdev's checks; vfbc_vf_fp_ports, exported, the
 * claim's channel for the inline vfbc_vf_poll() (vfbc_pmd_vf.h).
 *
 * An entry of vfbc_vf_fp_ports follows the port's state: the channel while
 * this process holds the claim and the PF's side lives, NULL otherwise.
 * Claims, releases, a lost claim, a dead primary or connection and the
 * close each publish it again, under the port's fp_lock: whichever
 * publishes last read every change made before it. After the close the
 * state writes neither entry again (closed): no handle is read once
 * freed, and a state the close left allocated cannot write over the entry
 * of the next port that takes its id.
 */

#include <rte_common.h>
#include <rte_spinlock.h>

#include "vfbc_vf.h"

struct vfbc_vf_proc *vfbc_vf_fp_procs[RTE_MAX_ETHPORTS];

struct vfbc_vf_fp_port vfbc_vf_fp_ports[RTE_MAX_ETHPORTS] __vfbc_experimental_data;

void
vfbc_vf_fp_set(uint16_t port_id, struct vfbc_vf_proc *proc)
{
	/* R12: pairs with A12 in vfbc_vf_fp_proc(): proc initialised before. */
	__atomic_store_n(&vfbc_vf_fp_procs[port_id], proc, __ATOMIC_RELEASE);
}

/* Store the port's entry; the caller holds proc's fp_lock. */
static void
vf_fp_store(struct vfbc_vf_proc *proc, const struct vfbc_channel *ch, uint16_t vf_id)
{
	struct vfbc_vf_fp_port *fp = &vfbc_vf_fp_ports[proc->port_id];

	if (__atomic_load_n(&fp->ch, __ATOMIC_RELAXED) == ch &&
			__atomic_load_n(&fp->vf_id, __ATOMIC_RELAXED) == vf_id)
		return;
	/* A poll that reads the new vf_id with the old handle asks the old channel: harmless. */
	__atomic_store_n(&fp->ch, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&fp->vf_id, vf_id, __ATOMIC_RELAXED);
	/* FP1: pairs with FP2 in vfbc_vf_poll(): vf_id and the handle's contents. */
	__atomic_store_n(&fp->ch, ch, __ATOMIC_RELEASE);
}

void
vfbc_vf_fp_publish(struct vfbc_vf_proc *proc)
{
	const struct vfbc_channel *ch = NULL;

	rte_spinlock_lock(&proc->fp_lock);
	/*
	 * Closed: the entry is no longer this state's to write. A state the
	 * close left allocated (for the life watch to free, or for good after
	 * a close from its invalidation callback) still releases its claim
	 * later, when its port id may already be another port's.
	 */
	if (proc->closed) {
		rte_spinlock_unlock(&proc->fp_lock);
		return;
	}
	if (__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) != 0 &&
			__atomic_load_n(&proc->dead, __ATOMIC_RELAXED) == 0)
		ch = __atomic_load_n(&proc->ch, __ATOMIC_RELAXED);
	vf_fp_store(proc, ch, ch == NULL ? 0 : __atomic_load_n(&proc->vf_id, __ATOMIC_RELAXED));
	rte_spinlock_unlock(&proc->fp_lock);
}

/*
 * At the close, while the port id is still this port's: empty both entries,
 * once (a state freed later by the life watch passes here again, when the
 * id may be another port's).
 */
void
vfbc_vf_fp_close(struct vfbc_vf_proc *proc)
{
	rte_spinlock_lock(&proc->fp_lock);
	if (proc->closed) {
		rte_spinlock_unlock(&proc->fp_lock);
		return;
	}
	/* Atomic: the life watch reads it without the lock (vf_life_raise()). */
	__atomic_store_n(&proc->closed, 1, __ATOMIC_RELAXED);
	vf_fp_store(proc, NULL, 0);
	rte_spinlock_unlock(&proc->fp_lock);
	vfbc_vf_fp_set(proc->port_id, NULL);
}
