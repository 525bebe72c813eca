/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Claims: who is a VF's consumer. The PF grants, to a live process with a
 * proof that it holds the VF's device; a holder releases; the PF revokes.
 * How a consumer's request reaches the PF is vfbc_channel_claim_ask.c.
 *
 * The claim word in the VF's consumer line says who holds the slot (epoch
 * << 32 | pid), but the PF does not take the word's word for it: it serves
 * a slot only while the word equals the claim it granted, a copy of which
 * it keeps in its own memory (struct vfbc_channel_pf_vf.verified). The holder's
 * liveness is read from a pidfd taken at the grant, which, unlike a pid,
 * cannot come to name another process.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

static int
ch_pidfd_open(int32_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
#else
	RTE_SET_USED(pid);
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Is the process alive? From its pidfd when there is one (exact), else its
 * pid. Only a readable pidfd says "exited": a signal interrupts poll()
 * (EINTR) even with a zero timeout, and is asked again; any other failure
 * of the pidfd falls back to the pid.
 */
static int
ch_pid_alive(int pidfd, int32_t pid)
{
	struct pollfd p;
	int n;

	if (pidfd >= 0) {
		do {
			p.fd = pidfd;
			p.events = POLLIN;
			p.revents = 0;
			n = poll(&p, 1, 0);
		} while (n < 0 && errno == EINTR);
		if (n == 0)
			return 1;
		if (n == 1 && (p.revents & POLLIN) != 0)
			return 0;
	}
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* Does process pid hold, as its descriptor fdnum, the file proof_fd is open on? */
static int
ch_proof_held(int32_t pid, int proof_fd, int proof_fdnum)
{
	char path[64];
	struct stat ours, theirs;

	if (proof_fd < 0 || proof_fdnum < 0)
		return 0;
	if (fstat(proof_fd, &ours) != 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, proof_fdnum);
	/* The magic link leads to the open file itself: same inode, or not the same file. */
	if (stat(path, &theirs) != 0)
		return 0;
	return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
}

void
__vfbc_channel_holder_forget(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	int wake_fd;

	if (pv->holder_pidfd >= 0)
		close(pv->holder_pidfd);
	pv->holder_pidfd = -1;
	__atomic_store_n(&pv->verified, 0, __ATOMIC_RELAXED);
	/* The wake socket was the holder's: a next one asks for its own. */
	wake_fd = __vfbc_channel_wake_take(ch, vf);
	if (wake_fd >= 0)
		close(wake_fd);
	__atomic_fetch_and(&ch->granted_map[vf / 64], ~(UINT64_C(1) << (vf % 64)),
			__ATOMIC_RELAXED);
	__atomic_store_n(&__vfbc_channel_vf(ch, vf)->pf.claim_verified, 0, __ATOMIC_RELAXED);
}

static int
ch_pf_vf_check(const struct vfbc_channel *ch, uint16_t vf)
{
	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	return ch->pf == NULL ? -EPERM : 0;
}

/*
 * The proof, when the creator asks for one: 0, or -EACCES. Slot lock not
 * held (the verifier is the application's); *gen is the address
 * generation it was checked against, which the grant checks again.
 */
int
__vfbc_channel_proof_check(struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		int proof_fdnum, struct vfbc_channel_proof *proof)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	vfbc_channel_claim_verify_t verify;
	struct rte_pci_addr addr;
	void *arg;
	int valid;
	int ret;

	rte_spinlock_lock(&ch->verify_lock);
	verify = ch->claim_verify;
	arg = ch->claim_verify_arg;
	proof->seq = ch->verify_seq;
	rte_spinlock_unlock(&ch->verify_lock);
	proof->verified = verify != NULL;
	rte_spinlock_lock(&pv->slot_lock);
	valid = pv->addr_valid;
	addr = pv->addr;
	proof->gen = pv->addr_gen;
	rte_spinlock_unlock(&pv->slot_lock);
	if (verify == NULL)
		return 0;
	if (!valid) {
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: claim by %d refused: no VF at this slot",
				ch->name, vf, (int)pid);
		return -EACCES;
	}
	if (!ch_proof_held(pid, proof_fd, proof_fdnum)) {
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: claim by %d refused: it does not hold the "
				"file it presented", ch->name, vf, (int)pid);
		return -EACCES;
	}
	ret = verify(ch, vf, &addr, proof_fd, arg);
	if (ret < 0) {
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: claim by %d refused: not this VF's device",
				ch->name, vf, (int)pid);
		return -EACCES;
	}
	return 0;
}

int
__vfbc_channel_proof_current(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_channel_proof *proof)
{
	const struct vfbc_channel_pf_vf *pv = &ch->pf[vf];

	/*
	 * V2: pairs with V1 in vfbc_channel_claim_verify_set(): a proof
	 * checked under another verifier (none, before the PF set its own)
	 * proves nothing now.
	 */
	if (__atomic_load_n(&ch->verify_seq, __ATOMIC_ACQUIRE) != proof->seq)
		return 0;
	/* The VF went away or changed since: the proof was of another function. */
	return !proof->verified || (pv->addr_valid && pv->addr_gen == proof->gen);
}

/*
 * What the grant is about to empty from the rings, counted (slot lock
 * held): requests never dequeued, answers never read. Indexes the VF moved
 * out of bounds count nothing (they are garbage, not work).
 */
static void
ch_count_dropped(struct vfbc_channel *ch, uint16_t vf, uint64_t *requests, uint64_t *answers)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	uint32_t unread;
	int n;

	n = __vfbc_ring_count(__vfbc_channel_ring(ch, vf, ch->req_ring_off), pv->req_cons,
			__VFBC_CHANNEL_REQ_SIZE);
	*requests = n > 0 ? (uint64_t)n : 0;
	/* RA2: pairs with RR2 of the VF's dequeue: the answers it took. */
	unread = pv->resp_prod -
		__atomic_load_n(&__vfbc_channel_ring(ch, vf, ch->resp_ring_off)->cons,
				__ATOMIC_ACQUIRE);
	*answers = unread <= __VFBC_CHANNEL_RESP_SIZE ? unread : 0;
}

/*
 * Isolated channel, slot lock held: if a holder may map VF vf's region,
 * give the VF a new one (the prepared one, *fd and *map, when there is
 * one; consumed). 0 when done or not needed, or a negative errno.
 */
static int
ch_region_renew_if_held(struct vfbc_channel *ch, uint16_t vf, int *fd, uint8_t **map)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	int ret;

	if (!ch->isolated || !pv->region_granted || pv->region_fresh)
		return 0;
	if (*fd < 0) {
		*fd = __vfbc_channel_region_prepare(ch, vf, map);
		if (*fd < 0)
			return *fd;
	}
	ret = __vfbc_channel_region_renew(ch, vf, *fd, *map);
	*fd = -1;
	return ret;
}

/*
 * A new grant, or a revoke (slot lock held): requests dequeued under the
 * earlier grant are nobody's any more. Their entries go (counted as answers
 * dropped), so that a holder that made its answers fail cannot leave the
 * table full for the next one.
 */
static void
ch_inflight_drop(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];

	pv->grant_seq++;
	if (pv->inflight_live != 0)
		__atomic_fetch_add(&__vfbc_channel_vf(ch, vf)->pf.responses_dropped,
				(uint64_t)__builtin_popcount(pv->inflight_live), __ATOMIC_RELAXED);
	pv->inflight_live = 0;
}

/*
 * A takeover is logged once a second per VF at most: a VF can write any
 * pid into its claim word and claim again, as fast as it likes.
 */
static void
ch_takeover_log(struct vfbc_channel *ch, uint16_t vf, int32_t holder, int32_t pid)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	uint64_t now = rte_get_timer_cycles();

	if (pv->takeover_log_tsc != 0 && now - pv->takeover_log_tsc < rte_get_timer_hz()) {
		pv->takeovers_unlogged++;
		return;
	}
	pv->takeover_log_tsc = now;
	VFBC_CHANNEL_LOG(NOTICE, "%s: VF %u: claim of %d taken over by %d (%u more not logged)",
			ch->name, vf, (int)holder, (int)pid, pv->takeovers_unlogged);
	pv->takeovers_unlogged = 0;
}

int
vfbc_channel_claim_grant(struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		int proof_fdnum, uint64_t *word)
{
	struct vfbc_channel_shm_vf *v;
	struct vfbc_channel_pf_vf *pv;
	uint64_t cur, next;
	int32_t holder;
	uint64_t dropped_req, dropped_resp;
	struct vfbc_channel_proof proof;
	uint8_t *new_map = NULL;
	int old_wake_fd;
	int svc_kick;
	int new_fd = -1;
	int takeover;
	int pidfd;
	int ret;

	ret = ch_pf_vf_check(ch, vf);
	if (ret < 0)
		return ret;
	if (pid <= 0)
		return -EINVAL;
	v = __vfbc_channel_vf(ch, vf);
	pv = &ch->pf[vf];
	if (!ch_pid_alive(-1, pid))
		return -ESRCH;
	ret = __vfbc_channel_proof_check(ch, vf, pid, proof_fd, proof_fdnum, &proof);
	if (ret < 0) {
		__vfbc_channel_count(&v->pf.claims_refused);
		return ret;
	}
	/* Before the grant: a pidfd taken later might name a successor of pid. */
	pidfd = ch_pidfd_open(pid);
	/* A new region, made outside the lock when one will likely be needed. */
	if (ch->isolated && __atomic_load_n(&pv->region_granted, __ATOMIC_RELAXED) &&
			!__atomic_load_n(&pv->region_fresh, __ATOMIC_RELAXED))
		new_fd = __vfbc_channel_region_prepare(ch, vf, &new_map);

	rte_spinlock_lock(&pv->slot_lock);
	/* The VF, or the rule, changed since its proof was checked: the proof is void. */
	if (!__vfbc_channel_proof_current(ch, vf, &proof)) {
		rte_spinlock_unlock(&pv->slot_lock);
		if (pidfd >= 0)
			close(pidfd);
		if (new_fd >= 0)
			__vfbc_channel_region_discard(ch, new_fd, new_map);
		__vfbc_channel_count(&v->pf.claims_refused);
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: claim by %d refused: the VF or the "
				"creator's verifier changed while its proof was checked", ch->name,
				vf, (int)pid);
		return -EACCES;
	}
	/* CA1: pairs with CR1, the last store or CAS of the word. */
	cur = __vfbc_channel_load64_acquire(&v->consumer.claim);
	holder = (int32_t)(cur & CH_CLAIM_PID_MASK);
	if (pv->verified != 0 && cur == pv->verified &&
			ch_pid_alive(pv->holder_pidfd, holder)) {
		rte_spinlock_unlock(&pv->slot_lock);
		if (pidfd >= 0)
			close(pidfd);
		if (new_fd >= 0)
			__vfbc_channel_region_discard(ch, new_fd, new_map);
		__vfbc_channel_count(&v->pf.claims_refused);
		VFBC_CHANNEL_LOG(DEBUG, "%s: VF %u: claim by %d refused: held by live process %d",
				ch->name, vf, (int)pid, (int)holder);
		/* The holder itself, through another handle: one grant is enough. */
		return holder == pid ? -EALREADY : -EBUSY;
	}
	/*
	 * Whoever held the word before (dead, or never granted) may have taken
	 * bits it never acted on.
	 */
	takeover = holder != 0;
	next = ((uint64_t)((uint32_t)(cur >> CH_CLAIM_EPOCH_SHIFT) + 1) << CH_CLAIM_EPOCH_SHIFT) |
			(uint32_t)pid;
	/*
	 * The new holder starts with empty request and response rings, at the
	 * PF's own indexes: nothing the previous holder left (or wrecked) in
	 * them is read. The service and the responders hold the slot lock.
	 */
	ch_count_dropped(ch, vf, &dropped_req, &dropped_resp);
	/* Isolated: a holder (dead) may still map the region: a new file for the new one. */
	ret = ch_region_renew_if_held(ch, vf, &new_fd, &new_map);
	if (ret < 0) {
		rte_spinlock_unlock(&pv->slot_lock);
		if (pidfd >= 0)
			close(pidfd);
		__vfbc_channel_count(&v->pf.claims_refused);
		VFBC_CHANNEL_LOG(ERR, "%s: VF %u: claim by %d refused: no new region: %s",
				ch->name, vf, (int)pid, strerror(-ret));
		return ret;
	}
	/* The area now (a renewed one): where the counts go. */
	v = __vfbc_channel_vf(ch, vf);
	__atomic_fetch_add(&v->pf.requests_dropped, dropped_req, __ATOMIC_RELAXED);
	__atomic_fetch_add(&v->pf.responses_dropped, dropped_resp, __ATOMIC_RELAXED);
	__atomic_store_n(&pv->region_granted, ch->isolated, __ATOMIC_RELAXED);
	__atomic_store_n(&pv->region_fresh, 0, __ATOMIC_RELAXED);
	__vfbc_ring_reset(__vfbc_channel_ring(ch, vf, ch->req_ring_off), pv->req_cons);
	__vfbc_ring_reset(__vfbc_channel_ring(ch, vf, ch->resp_ring_off), pv->resp_prod);
	/* Answers to what earlier holders asked are no longer anybody's. */
	ch_inflight_drop(ch, vf);
	if (takeover) {
		__vfbc_channel_count(&v->consumer.stats.takeovers);
		pv->dead_takeovers++;
	}
	pv->grants++;
	/*
	 * Armed: the next invalidation rings the new holder. A holder killed
	 * between taking a doorbell and re-arming left it down, and nothing
	 * would ring again (the new holder polls once when it starts).
	 */
	__vfbc_channel_store32_sc(&v->notify.armed, 1);
	__vfbc_channel_count(&v->consumer.stats.claims);
	if (pv->holder_pidfd >= 0)
		close(pv->holder_pidfd);
	pv->holder_pidfd = pidfd;
	/* Atomic: the sweep reads it without the slot lock. */
	__atomic_store_n(&pv->verified, next, __ATOMIC_RELAXED);
	pv->verified_seq = proof.seq;
	/* The former holder's wake socket is not the new one's. */
	old_wake_fd = __vfbc_channel_wake_take(ch, vf);
	/*
	 * G1: pairs with G1' and G2 in vfbc_channel_service_sleep_arm(): the
	 * service's arm sets this VF's sleep word, or the kick below wakes it.
	 */
	__atomic_fetch_or(&ch->granted_map[vf / 64], UINT64_C(1) << (vf % 64), __ATOMIC_SEQ_CST);
	svc_kick = ch->isolated && __atomic_load_n(&ch->svc_armed, __ATOMIC_SEQ_CST) != 0;
	__atomic_store_n(&v->pf.claim_verified, next, __ATOMIC_RELAXED);
	/*
	 * CR1: pairs with CA1 in vfbc_channel_claim(): the holder that reads
	 * this word sees the rings reset above. Sequentially consistent: a
	 * former holder whose poll took bits after this store sees it when
	 * it checks its claim again (A8 in vfbc_channel_poll_invalidations()).
	 */
	__vfbc_channel_store64_sc(&v->consumer.claim, next);
	/*
	 * Whoever held the slot before (dead, or revoked) may have taken
	 * bits it never acted on: the new holder gets every block. After
	 * the claim word: a former holder's poll that takes the flag sees
	 * the new word (A6 then A8) and puts the flag back.
	 */
	if (takeover || pv->resync_due) {
		/* R6: pairs with A6 in vfbc_channel_poll_invalidations(). */
		__vfbc_channel_store32_release(&v->consumer.resync,
				__vfbc_channel_resync_tag(next));
		pv->resync_due = 0;
	}
	/* Every consumer's watch looks: a former holder finds its claim gone. */
	__vfbc_channel_life_gen_bump(ch);
	rte_spinlock_unlock(&pv->slot_lock);

	if (old_wake_fd >= 0)
		close(old_wake_fd);
	/* A sleeping service arms again, with this VF's word. */
	if (svc_kick)
		(void)vfbc_channel_service_kick(ch);
	if (new_fd >= 0)
		__vfbc_channel_region_discard(ch, new_fd, new_map);
	if (takeover)
		ch_takeover_log(ch, vf, holder, pid);
	if (word != NULL)
		*word = next;
	return takeover;
}

void
__vfbc_channel_claim_revoke_locked(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_shm_vf *v = __vfbc_channel_vf(ch, vf);
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	uint8_t *map = NULL;
	uint64_t cur;
	int fd = -1;
	int ret;

	/* CA1: pairs with CR1. */
	cur = __vfbc_channel_load64_acquire(&v->consumer.claim);
	if ((cur & CH_CLAIM_PID_MASK) != 0) {
		/*
		 * The next consumer gets every block: this one may not have
		 * acted on some. Kept here, published by the next grant: a
		 * poll of this holder still in flight must not take it.
		 */
		pv->resync_due = 1;
		/* CR1: a new epoch, no holder: the old holder's word is gone. */
		__vfbc_channel_store64_sc(&v->consumer.claim,
				((cur >> CH_CLAIM_EPOCH_SHIFT) + 1) << CH_CLAIM_EPOCH_SHIFT);
	}
	ch_inflight_drop(ch, vf);
	__vfbc_channel_holder_forget(ch, vf);
	/* The holder's watch looks: it finds its claim gone. */
	__vfbc_channel_life_gen_bump(ch);
	/*
	 * Isolated: the former holder keeps its mapping; from now on the PF
	 * writes (blocks, invalidations) into a file it does not map.
	 */
	ret = ch_region_renew_if_held(ch, vf, &fd, &map);
	if (ret < 0)
		VFBC_CHANNEL_LOG(WARNING, "%s: VF %u: no new region at the revoke (%s): the "
				"next grant makes one", ch->name, vf, strerror(-ret));
}

int
vfbc_channel_claim_revoke(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_pf_vf *pv;
	int ret;

	ret = ch_pf_vf_check(ch, vf);
	if (ret < 0)
		return ret;
	pv = &ch->pf[vf];
	rte_spinlock_lock(&pv->slot_lock);
	__vfbc_channel_claim_revoke_locked(ch, vf);
	rte_spinlock_unlock(&pv->slot_lock);
	return 0;
}

int
vfbc_channel_claim_verify_set(struct vfbc_channel *ch, vfbc_channel_claim_verify_t verify,
		void *arg)
{
	struct vfbc_channel_pf_vf *pv;
	uint32_t seq;
	uint16_t vf;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	rte_spinlock_lock(&ch->verify_lock);
	ch->claim_verify_arg = arg;
	ch->claim_verify = verify;
	/* V1: pairs with V2 in __vfbc_channel_proof_current(). */
	seq = __atomic_add_fetch(&ch->verify_seq, 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&ch->verify_lock);
	/*
	 * A claim granted under another rule (none, before the PF set its
	 * own: a claim that raced its probe) was not checked by this one:
	 * taken back. Those granted since, checked by it, stay.
	 */
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		pv = &ch->pf[vf];
		rte_spinlock_lock(&pv->slot_lock);
		if (pv->verified != 0 && pv->verified_seq != seq) {
			VFBC_CHANNEL_LOG(NOTICE, "%s: VF %u: claim of %d taken back: granted "
					"before the creator's verifier changed", ch->name, vf,
					(int)(pv->verified & CH_CLAIM_PID_MASK));
			__vfbc_channel_claim_revoke_locked(ch, vf);
		}
		rte_spinlock_unlock(&pv->slot_lock);
	}
	return 0;
}

static int
ch_claim_granted_in(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid)
{
	const struct vfbc_channel_shm_vf *v;
	uint64_t granted, cur;

	v = __vfbc_channel_vf(ch, vf);
	granted = ch->pf != NULL ? __atomic_load_n(&ch->pf[vf].verified, __ATOMIC_RELAXED) :
			__atomic_load_n(&v->pf.claim_verified, __ATOMIC_RELAXED);
	/* CA1: pairs with CR1. */
	cur = __vfbc_channel_load64_acquire(&v->consumer.claim);
	/* The creator knows exactly whether its holder lives: the grant's pidfd. */
	if (granted == 0 || cur != granted || (cur & CH_CLAIM_PID_MASK) == 0 ||
			(ch->pf != NULL && !ch_pid_alive(ch->pf[vf].holder_pidfd,
							 (int32_t)(cur & CH_CLAIM_PID_MASK)))) {
		if (pid != NULL)
			*pid = 0;
		return 0;
	}
	if (pid != NULL)
		*pid = (pid_t)(cur & CH_CLAIM_PID_MASK);
	return 1;
}

int
vfbc_channel_claim_granted(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid)
{
	int ret;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	/* Memory gone (an attached handle): nobody holds a claim in it. */
	if (__vfbc_channel_enter(ch) < 0) {
		if (pid != NULL)
			*pid = 0;
		return 0;
	}
	ret = ch_claim_granted_in(ch, vf, pid);
	__vfbc_channel_leave(ch);
	return ret;
}

int
vfbc_channel_release(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_vf_vf *cv;
	uint64_t held, cur;
	int ret, wake_fd;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	cv = &ch->vf[vf];
	rte_spinlock_lock(&cv->lock);
	held = cv->held;
	__atomic_store_n(&cv->held, 0, __ATOMIC_RELAXED);
	wake_fd = __vfbc_channel_service_wake_take(cv);
	rte_spinlock_unlock(&cv->lock);
	if (wake_fd >= 0)
		close(wake_fd);
	if (held == 0)
		return -EPERM;
	/* Memory gone: so is the claim word, and the claim with it. */
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	cur = held;
	/*
	 * CR1: pairs with CA1 of the next grant. The epoch stays: a grant made
	 * since (a new epoch) makes the exchange fail, and this handle had
	 * already lost the claim.
	 */
	if (!__vfbc_channel_cas64(&__vfbc_channel_vf(ch, vf)->consumer.claim, &cur,
			held & ~CH_CLAIM_PID_MASK))
		ret = -EPERM;
	__vfbc_channel_leave(ch);
	return ret;
}

static int
ch_claim_get_in(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid,
		uint32_t *epoch)
{
	uint64_t cur;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	/* CA1: pairs with CR1: the pid and epoch as the last writer stored them. */
	cur = __vfbc_channel_load64_acquire(&__vfbc_channel_vf(ch, vf)->consumer.claim);
	if (pid != NULL)
		*pid = (pid_t)(cur & CH_CLAIM_PID_MASK);
	if (epoch != NULL)
		*epoch = cur >> CH_CLAIM_EPOCH_SHIFT;
	return 0;
}

int
vfbc_channel_claim_get(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid,
		uint32_t *epoch)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_claim_get_in(ch, vf, pid, epoch);
	__vfbc_channel_leave(ch);
	return ret;
}

int
vfbc_channel_holds(const struct vfbc_channel *ch, uint16_t vf)
{
	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	return __vfbc_channel_holds(ch, vf);
}

int
vfbc_channel_claim_counts(const struct vfbc_channel *ch, uint16_t vf, uint64_t *grants,
		uint64_t *takeovers)
{
	struct vfbc_channel_pf_vf *pv;
	int ret;

	ret = ch_pf_vf_check(ch, vf);
	if (ret < 0)
		return ret;
	if (grants == NULL || takeovers == NULL)
		return -EINVAL;
	pv = &ch->pf[vf];
	rte_spinlock_lock(&pv->slot_lock);
	*grants = pv->grants;
	*takeovers = pv->dead_takeovers;
	rte_spinlock_unlock(&pv->slot_lock);
	return 0;
}
