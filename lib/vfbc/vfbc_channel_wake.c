/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Sleep mode: a consumer with nothing to do sleeps until the PF invalidates
 * its VF, as a Hyper-V VF driver waits on a pending request and DPDK
 * applications wait on Rx interrupts.
 *
 * The handshake is the doorbell's, on the notify line: the consumer sets
 * its sleeping word, then looks at pending once more (SL1, SL2); an
 * invalidate ORs its bits into pending, then reads the word (R1, W1). All
 * four are sequentially consistent: either the consumer sees the bits and
 * does not sleep, or the invalidate sees the word and wakes it. The first
 * invalidate that sees it takes it back (W2): one wake per sleep.
 *
 * A wake is one datagram on a socket pair the PF made for the holder: not
 * an eventfd, because a descriptor the consumer shares with the PF could
 * be made to block the PF's write (an eventfd's counter filled, O_NONBLOCK
 * cleared on the shared file description), and the PF's invalidate path
 * must never block. send() with MSG_DONTWAIT never does, whatever the
 * consumer does to its end; and a pair the PF made is connected to the
 * consumer's end only, which the consumer cannot point elsewhere.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>

#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

/* Linux 6.16: a socket that refuses descriptors (SCM_RIGHTS); not in older headers. */
#ifndef SO_PASSRIGHTS
#define SO_PASSRIGHTS 83
#endif

/*
 * A wake socket pair: sv[0] the PF's end, sv[1] the holder's. The PF's end
 * refuses descriptors: a file whose last reference a read (or the close)
 * drops is closed in the PF's thread, and a holder could pass one whose
 * close blocks (a TCP socket with unsent data and SO_LINGER holds it for
 * its linger time). A kernel without the option leaves that to trust.
 */
void
__vfbc_channel_refuse_rights(int fd, const char *what)
{
	int off = 0;

	if (setsockopt(fd, SOL_SOCKET, SO_PASSRIGHTS, &off, sizeof(off)) < 0)
		VFBC_CHANNEL_LOG(DEBUG, "%s: descriptors cannot be refused: %s", what,
				strerror(errno));
}

static int
ch_wake_socketpair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
		return -errno;
	__vfbc_channel_refuse_rights(sv[0], "wake socket");
	return 0;
}

int
vfbc_channel_wake(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_pf_vf *pv;
	static const uint8_t byte = 1;
	ssize_t n;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	/*
	 * W2: pairs with SL1 in vfbc_channel_sleep_arm(): the exchange elects
	 * one waker per arm; the others (and a word a consumer set without a
	 * socket) cost nothing more.
	 */
	if (__vfbc_channel_xchg32_sc(&__vfbc_channel_vf(ch, vf)->notify.sleeping, 0) == 0)
		return 0;
	pv = &ch->pf[vf];
	rte_spinlock_lock(&pv->wake_lock);
	if (pv->wake_fd < 0) {
		rte_spinlock_unlock(&pv->wake_lock);
		return 0;
	}
	n = send(pv->wake_fd, &byte, sizeof(byte), MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n == (ssize_t)sizeof(byte))
		__atomic_store_n(&pv->wakeups, pv->wakeups + 1, __ATOMIC_RELAXED);
	else
		pv->wakeups_refused++;
	rte_spinlock_unlock(&pv->wake_lock);
	/* 0 either way: vfbc_channel_invalidate() returns what this returns. */
	return 0;
}

/* The PF's end of VF vf's wake socket, taken out (slot lock held): to close. */
int
__vfbc_channel_wake_take(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	int fd;

	rte_spinlock_lock(&pv->wake_lock);
	fd = pv->wake_fd;
	pv->wake_fd = -1;
	rte_spinlock_unlock(&pv->wake_lock);
	/*
	 * A word the last holder left set is not cleared here (the PF writes
	 * no consumer word at a grant or revoke): the next invalidate takes it
	 * back, with no socket to send on.
	 */
	return fd;
}

/*
 * The new pair sv is VF vf's (slot lock held, let go here): the holder's
 * end. Isolated, the PF's end wakes the service too: a region's holder
 * has no other way to the PF.
 */
static int
ch_wake_keep(struct vfbc_channel *ch, uint16_t vf, const int sv[2])
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	int old;

	rte_spinlock_lock(&pv->wake_lock);
	old = pv->wake_fd;
	pv->wake_fd = sv[0];
	__vfbc_channel_service_add(ch, vf, sv[0]);
	rte_spinlock_unlock(&pv->wake_lock);
	rte_spinlock_unlock(&pv->slot_lock);
	if (old >= 0)
		close(old);
	return sv[1];
}

/* The new pair sv is refused (slot lock held, let go here). */
static void
ch_wake_drop(struct vfbc_channel_pf_vf *pv, const int sv[2])
{
	rte_spinlock_unlock(&pv->slot_lock);
	close(sv[0]);
	close(sv[1]);
}

int
__vfbc_channel_wake_open(struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		int proof_fdnum)
{
	struct vfbc_channel_proof proof;
	struct vfbc_channel_pf_vf *pv;
	int sv[2];
	int ret;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf) || pid <= 0)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	if (ch->isolated)
		return -ENOTSUP;
	pv = &ch->pf[vf];
	ret = __vfbc_channel_proof_check(ch, vf, pid, proof_fd, proof_fdnum, &proof);
	if (ret < 0)
		return ret;
	ret = ch_wake_socketpair(sv);
	if (ret < 0)
		return ret;
	rte_spinlock_lock(&pv->slot_lock);
	/* Only the holder the PF granted, of the VF its proof was checked for. */
	if (pv->verified == 0 || (int32_t)(pv->verified & CH_CLAIM_PID_MASK) != pid ||
			!__vfbc_channel_proof_current(ch, vf, &proof)) {
		ch_wake_drop(pv, sv);
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: wake socket for %d refused: not the holder",
				ch->name, vf, (int)pid);
		return -EPERM;
	}
	return ch_wake_keep(ch, vf, sv);
}

int
vfbc_channel_wake_pair(struct vfbc_channel *ch, uint16_t vf, uint64_t word)
{
	struct vfbc_channel_pf_vf *pv;
	int sv[2];
	int ret;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf) || word == 0)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	pv = &ch->pf[vf];
	ret = ch_wake_socketpair(sv);
	if (ret < 0)
		return ret;
	rte_spinlock_lock(&pv->slot_lock);
	/*
	 * The grant the caller made, still: a revoke or another grant since
	 * took its socket (__vfbc_channel_wake_take()), and a pair made now
	 * would wake whoever holds the VF next.
	 */
	if (__atomic_load_n(&pv->verified, __ATOMIC_RELAXED) != word) {
		ch_wake_drop(pv, sv);
		return -ENOENT;
	}
	return ch_wake_keep(ch, vf, sv);
}

static int
ch_sleep_arm_in(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_shm_vf *v;
	uint32_t tag;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	v = __vfbc_channel_vf(ch, vf);
	/*
	 * SL1: pairs with W1 in vfbc_channel_invalidate() and W2 above. The
	 * word is this claim's tag (never 0): a former holder's late disarm
	 * (a compare-and-swap of its own tag) cannot take a new holder's arm.
	 */
	tag = __vfbc_channel_resync_tag(__atomic_load_n(&ch->vf[vf].held, __ATOMIC_RELAXED));
	__vfbc_channel_store32_sc(&v->notify.sleeping, tag);
	/*
	 * SL2: pairs with R1 in vfbc_channel_invalidate(): bits ORed before
	 * this load are seen here; any later, their invalidate sees SL1. A
	 * resync flag a grant published is due too (the grant cleared the
	 * word before: an arm after it is this holder's own).
	 */
	if (__vfbc_channel_load64_sc(&v->notify.pending) == 0 &&
			__vfbc_channel_load32_relaxed(&v->consumer.resync) == 0)
		return 0;
	__atomic_compare_exchange_n(&v->notify.sleeping, &tag, 0, 0, __ATOMIC_RELAXED,
			__ATOMIC_RELAXED);
	return 1;
}

int
vfbc_channel_sleep_arm(struct vfbc_channel *ch, uint16_t vf)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_sleep_arm_in(ch, vf);
	__vfbc_channel_leave(ch);
	return ret;
}

static int
ch_sleep_disarm_in(struct vfbc_channel *ch, uint16_t vf)
{
	uint32_t tag;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	/* Its own arm only: the claim may have passed to another holder since the check. */
	tag = __vfbc_channel_resync_tag(__atomic_load_n(&ch->vf[vf].held, __ATOMIC_RELAXED));
	__atomic_compare_exchange_n(&__vfbc_channel_vf(ch, vf)->notify.sleeping, &tag, 0, 0,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return 0;
}

int
vfbc_channel_sleep_disarm(struct vfbc_channel *ch, uint16_t vf)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_sleep_disarm_in(ch, vf);
	__vfbc_channel_leave(ch);
	return ret;
}
