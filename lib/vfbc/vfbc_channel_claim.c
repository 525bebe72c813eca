/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Claims: who is a VF's consumer. The PF grants; a consumer asks, from
 * another process over EAL's multi-process channel, with a proof that it
 * holds the VF's device; a holder releases; the PF revokes.
 *
 * The claim word in the VF's consumer line says who holds the slot (epoch
 * << 32 | pid), but the PF does not take the word's word for it: it serves
 * a slot only while the word equals the claim it granted, a copy of which
 * it keeps in its own memory (struct vfbc_ch_pf_vf.verified). The holder's
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

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

/* The multi-process action through which secondaries claim. */
#define CH_MP_CLAIM "vfbc_channel_claim"
#define CH_CLAIM_MSG_VERSION 1

/* A claim request, secondary to primary (fixed width: it crosses processes). */
struct ch_claim_msg {
	uint32_t version;   /* CH_CLAIM_MSG_VERSION */
	uint16_t vf;
	uint16_t rsvd;
	int32_t pid;        /* the claimer */
	int32_t proof_fdnum; /* the proof's number in the claimer, -1: none */
	char mz_name[RTE_MEMZONE_NAMESIZE];
};

struct ch_claim_reply {
	uint32_t version;
	int32_t status;     /* vfbc_channel_claim_grant()'s */
	uint64_t word;      /* the claim word granted */
};

_Static_assert(sizeof(struct ch_claim_msg) <= RTE_MP_MAX_PARAM_LEN, "claim message size");
_Static_assert(sizeof(struct ch_claim_reply) <= RTE_MP_MAX_PARAM_LEN, "claim reply size");

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

/* Is the process alive? From its pidfd when there is one (exact), else its pid. */
static int
ch_pid_alive(int pidfd, int32_t pid)
{
	struct pollfd p;

	if (pidfd >= 0) {
		p.fd = pidfd;
		p.events = POLLIN;
		p.revents = 0;
		/* A pidfd becomes readable when its process has exited. */
		return poll(&p, 1, 0) == 0;
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
__vfbc_ch_holder_forget(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_ch_pf_vf *pv = &ch->pf[vf];

	if (pv->holder_pidfd >= 0)
		close(pv->holder_pidfd);
	pv->holder_pidfd = -1;
	pv->verified = 0;
	__atomic_store_n(&__vfbc_ch_vf(ch, vf)->pf.claim_verified, 0, __ATOMIC_RELAXED);
}

static int
ch_pf_vf_check(const struct vfbc_channel *ch, uint16_t vf)
{
	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	return ch->pf == NULL ? -EPERM : 0;
}

/* The proof, when the creator asks for one: 0, or -EACCES. Slot lock not held. */
static int
ch_proof_check(struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		int proof_fdnum)
{
	struct vfbc_ch_pf_vf *pv = &ch->pf[vf];
	struct rte_pci_addr addr;
	int valid;
	int ret;

	if (ch->claim_verify == NULL)
		return 0;
	rte_spinlock_lock(&pv->slot_lock);
	valid = pv->addr_valid;
	addr = pv->addr;
	rte_spinlock_unlock(&pv->slot_lock);
	if (!valid) {
		VFBC_CH_LOG(DEBUG, "%s: VF %u: claim by %d refused: no VF at this slot",
				ch->name, vf, (int)pid);
		return -EACCES;
	}
	if (!ch_proof_held(pid, proof_fd, proof_fdnum)) {
		VFBC_CH_LOG(DEBUG, "%s: VF %u: claim by %d refused: it does not hold the "
				"file it presented", ch->name, vf, (int)pid);
		return -EACCES;
	}
	ret = ch->claim_verify(ch, vf, &addr, proof_fd, ch->claim_verify_arg);
	if (ret < 0) {
		VFBC_CH_LOG(DEBUG, "%s: VF %u: claim by %d refused: not this VF's device",
				ch->name, vf, (int)pid);
		return -EACCES;
	}
	return 0;
}

int
vfbc_channel_claim_grant(struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		int proof_fdnum, uint64_t *word)
{
	struct vfbc_ch_shm_vf *v;
	struct vfbc_ch_pf_vf *pv;
	uint64_t cur, next;
	int32_t holder;
	int takeover;
	int pidfd;
	int ret;

	ret = ch_pf_vf_check(ch, vf);
	if (ret < 0)
		return ret;
	if (pid <= 0)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	pv = &ch->pf[vf];
	if (!ch_pid_alive(-1, pid))
		return -ESRCH;
	ret = ch_proof_check(ch, vf, pid, proof_fd, proof_fdnum);
	if (ret < 0) {
		__vfbc_ch_count(&v->pf.claims_refused);
		return ret;
	}
	/* Before the grant: a pidfd taken later might name a successor of pid. */
	pidfd = ch_pidfd_open(pid);

	rte_spinlock_lock(&pv->slot_lock);
	/* CA1: pairs with CR1, the last store or CAS of the word. */
	cur = __vfbc_ch_load64_acquire(&v->consumer.claim);
	holder = (int32_t)(cur & CH_CLAIM_PID_MASK);
	if (pv->verified != 0 && cur == pv->verified && holder != pid &&
			ch_pid_alive(pv->holder_pidfd, holder)) {
		rte_spinlock_unlock(&pv->slot_lock);
		if (pidfd >= 0)
			close(pidfd);
		__vfbc_ch_count(&v->pf.claims_refused);
		VFBC_CH_LOG(DEBUG, "%s: VF %u: claim by %d refused: held by live process %d",
				ch->name, vf, (int)pid, (int)holder);
		return -EBUSY;
	}
	/*
	 * Whoever held the word before (dead, never granted, or this process
	 * through another handle) may have taken bits it never acted on.
	 */
	takeover = holder != 0;
	next = ((uint64_t)((uint32_t)(cur >> CH_CLAIM_EPOCH_SHIFT) + 1) << CH_CLAIM_EPOCH_SHIFT) |
			(uint32_t)pid;
	/*
	 * The new holder starts with empty request and response rings, at the
	 * PF's own indexes: nothing the previous holder left (or wrecked) in
	 * them is read. The service and the responders hold the slot lock.
	 */
	__vfbc_ring_reset(__vfbc_ch_ring(ch, vf, ch->req_ring_off), pv->req_cons);
	__vfbc_ring_reset(__vfbc_ch_ring(ch, vf, ch->resp_ring_off), pv->resp_prod);
	if (takeover) {
		/* R6: pairs with A6 in vfbc_channel_poll_invalidations(). */
		__vfbc_ch_store32_release(&v->consumer.resync, 1);
		__vfbc_ch_count(&v->consumer.stats.takeovers);
	}
	__vfbc_ch_count(&v->consumer.stats.claims);
	if (pv->holder_pidfd >= 0)
		close(pv->holder_pidfd);
	pv->holder_pidfd = pidfd;
	pv->verified = next;
	__atomic_store_n(&v->pf.claim_verified, next, __ATOMIC_RELAXED);
	/*
	 * CR1: pairs with CA1 in vfbc_channel_claim(): the holder that reads
	 * this word sees the rings reset and the resync flag above.
	 */
	__vfbc_ch_store64_release(&v->consumer.claim, next);
	rte_spinlock_unlock(&pv->slot_lock);

	if (takeover)
		VFBC_CH_LOG(NOTICE, "%s: VF %u: claim of %d taken over by %d", ch->name, vf,
				(int)holder, (int)pid);
	if (word != NULL)
		*word = next;
	return takeover;
}

int
vfbc_channel_claim_revoke(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_ch_shm_vf *v;
	struct vfbc_ch_pf_vf *pv;
	uint64_t cur;
	int ret;

	ret = ch_pf_vf_check(ch, vf);
	if (ret < 0)
		return ret;
	v = __vfbc_ch_vf(ch, vf);
	pv = &ch->pf[vf];
	rte_spinlock_lock(&pv->slot_lock);
	/* CA1: pairs with CR1. */
	cur = __vfbc_ch_load64_acquire(&v->consumer.claim);
	if ((cur & CH_CLAIM_PID_MASK) != 0) {
		/* The next consumer gets every block: this one may not have acted on some. */
		__vfbc_ch_store32_release(&v->consumer.resync, 1);
		/* CR1: a new epoch, no holder: the old holder's word is gone. */
		__vfbc_ch_store64_release(&v->consumer.claim,
				((cur >> CH_CLAIM_EPOCH_SHIFT) + 1) << CH_CLAIM_EPOCH_SHIFT);
	}
	__vfbc_ch_holder_forget(ch, vf);
	rte_spinlock_unlock(&pv->slot_lock);
	return 0;
}

int
vfbc_channel_claim_verify_set(struct vfbc_channel *ch, vfbc_channel_claim_verify_t verify,
		void *arg)
{
	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	ch->claim_verify_arg = arg;
	ch->claim_verify = verify;
	return 0;
}

int
vfbc_channel_claim_granted(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid)
{
	const struct vfbc_ch_shm_vf *v;
	uint64_t granted, cur;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	granted = ch->pf != NULL ? __atomic_load_n(&ch->pf[vf].verified, __ATOMIC_RELAXED) :
			__atomic_load_n(&v->pf.claim_verified, __ATOMIC_RELAXED);
	/* CA1: pairs with CR1. */
	cur = __vfbc_ch_load64_acquire(&v->consumer.claim);
	if (granted == 0 || cur != granted || (cur & CH_CLAIM_PID_MASK) == 0) {
		if (pid != NULL)
			*pid = 0;
		return 0;
	}
	if (pid != NULL)
		*pid = (pid_t)(cur & CH_CLAIM_PID_MASK);
	return 1;
}

/* Ask the creator, in the primary, over EAL's multi-process channel. */
static int
ch_claim_remote(const struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		uint64_t *word)
{
	struct timespec ts = { .tv_sec = VFBC_CHANNEL_CLAIM_TIMEOUT_S, .tv_nsec = 0 };
	struct ch_claim_reply rep;
	struct rte_mp_reply reply;
	struct ch_claim_msg req;
	struct rte_mp_msg msg;
	int ret;

	memset(&req, 0, sizeof(req));
	req.version = CH_CLAIM_MSG_VERSION;
	req.vf = vf;
	req.pid = pid;
	req.proof_fdnum = proof_fd;
	strlcpy(req.mz_name, ch->name, sizeof(req.mz_name));
	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, CH_MP_CLAIM, sizeof(msg.name));
	msg.len_param = sizeof(req);
	memcpy(msg.param, &req, sizeof(req));
	if (proof_fd >= 0) {
		msg.num_fds = 1;
		msg.fds[0] = proof_fd;
	}
	memset(&reply, 0, sizeof(reply));
	ret = rte_mp_request_sync(&msg, &reply, &ts);
	if (ret < 0 || reply.nb_received != 1 ||
			reply.msgs[0].len_param != (int)sizeof(rep)) {
		VFBC_CH_LOG(ERR, "%s: VF %u: no answer from the channel's creator (%s)",
				ch->name, vf, ret < 0 ? rte_strerror(rte_errno) : "no reply");
		free(reply.msgs);
		return -ENOTCONN;
	}
	memcpy(&rep, reply.msgs[0].param, sizeof(rep));
	free(reply.msgs);
	if (rep.version != CH_CLAIM_MSG_VERSION)
		return -EPROTO;
	*word = rep.word;
	return rep.status;
}

int
vfbc_channel_claim(struct vfbc_channel *ch, uint16_t vf, int proof_fd)
{
	struct vfbc_channel *creator;
	struct vfbc_ch_vf_vf *cv;
	struct vfbc_ch_shm_vf *v;
	uint64_t word = 0;
	int32_t self;
	int ret;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	cv = &ch->vf[vf];
	if (__vfbc_ch_holds(ch, vf))
		return -EALREADY;
	self = (int32_t)getpid();
	creator = __vfbc_ch_creator_get(ch->name);
	if (creator != NULL) {
		ret = vfbc_channel_claim_grant(creator, vf, self, proof_fd, proof_fd, &word);
		__vfbc_ch_creator_put(creator);
	} else if (rte_eal_process_type() == RTE_PROC_SECONDARY) {
		ret = ch_claim_remote(ch, vf, self, proof_fd, &word);
	} else {
		/* A primary that did not create the channel has nobody to ask. */
		ret = -ENOTCONN;
	}
	if (ret < 0)
		return ret;
	/*
	 * CA1: pairs with CR1 in vfbc_channel_claim_grant(): the rings the
	 * grant reset are seen reset. A word other than the one granted means
	 * the PF granted the slot again since: this claim is already lost.
	 */
	if (__vfbc_ch_load64_acquire(&v->consumer.claim) != word)
		return -EBUSY;
	rte_spinlock_lock(&cv->lock);
	cv->req_prod = __atomic_load_n(&__vfbc_ch_ring(ch, vf, ch->req_ring_off)->prod,
			__ATOMIC_RELAXED);
	cv->resp_cons = __atomic_load_n(&__vfbc_ch_ring(ch, vf, ch->resp_ring_off)->cons,
			__ATOMIC_RELAXED);
	cv->notify_cons = __atomic_load_n(&__vfbc_ch_ring(ch, vf, ch->notify_ring_off)->cons,
			__ATOMIC_RELAXED);
	cv->held = word;
	rte_spinlock_unlock(&cv->lock);
	return ret;
}

int
vfbc_channel_release(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_ch_vf_vf *cv;
	uint64_t held, cur;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	cv = &ch->vf[vf];
	rte_spinlock_lock(&cv->lock);
	held = cv->held;
	cv->held = 0;
	rte_spinlock_unlock(&cv->lock);
	if (held == 0)
		return -EPERM;
	cur = held;
	/*
	 * CR1: pairs with CA1 of the next grant. The epoch stays: a grant made
	 * since (a new epoch) makes the exchange fail, and this handle had
	 * already lost the claim.
	 */
	if (!__vfbc_ch_cas64(&__vfbc_ch_vf(ch, vf)->consumer.claim, &cur,
			held & ~CH_CLAIM_PID_MASK))
		return -EPERM;
	return 0;
}

int
vfbc_channel_claim_get(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid,
		uint32_t *epoch)
{
	uint64_t cur;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	/* CA1: pairs with CR1: the pid and epoch as the last writer stored them. */
	cur = __vfbc_ch_load64_acquire(&__vfbc_ch_vf(ch, vf)->consumer.claim);
	if (pid != NULL)
		*pid = (pid_t)(cur & CH_CLAIM_PID_MASK);
	if (epoch != NULL)
		*epoch = cur >> CH_CLAIM_EPOCH_SHIFT;
	return 0;
}

/* The creator's side of CH_MP_CLAIM, on EAL's multi-process thread. */
static int
ch_claim_mp_handle(const struct rte_mp_msg *msg, const void *peer)
{
	struct ch_claim_reply rep;
	struct vfbc_channel *ch;
	struct ch_claim_msg req;
	struct rte_mp_msg out;
	int proof_fd = -1;
	int i, nb_fds;

	memset(&rep, 0, sizeof(rep));
	rep.version = CH_CLAIM_MSG_VERSION;
	rep.status = -EINVAL;
	nb_fds = msg->num_fds < 0 ? 0 : RTE_MIN(msg->num_fds, RTE_MP_MAX_FD_NUM);
	/* The message comes from any process of the group: every field is checked. */
	if (msg->len_param == (int)sizeof(req) && nb_fds <= 1) {
		memcpy(&req, msg->param, sizeof(req));
		req.mz_name[sizeof(req.mz_name) - 1] = '\0';
		if (nb_fds == 1)
			proof_fd = msg->fds[0];
		if (req.version != CH_CLAIM_MSG_VERSION) {
			rep.status = -EPROTO;
		} else {
			ch = __vfbc_ch_creator_get(req.mz_name);
			if (ch == NULL) {
				rep.status = -ENOENT;
			} else {
				rep.status = vfbc_channel_claim_grant(ch, req.vf, req.pid,
						proof_fd, req.proof_fdnum, &rep.word);
				__vfbc_ch_creator_put(ch);
			}
		}
	}
	/* The descriptors received are this process's now: none is kept. */
	for (i = 0; i < nb_fds; i++)
		close(msg->fds[i]);

	memset(&out, 0, sizeof(out));
	strlcpy(out.name, CH_MP_CLAIM, sizeof(out.name));
	out.len_param = sizeof(rep);
	memcpy(out.param, &rep, sizeof(rep));
	return rte_mp_reply(&out, peer);
}

void
__vfbc_ch_claim_service_start(void)
{
	/* Without a multi-process channel (--in-memory) claims stay in-process. */
	if (rte_mp_action_register(CH_MP_CLAIM, ch_claim_mp_handle) < 0 && rte_errno != EEXIST)
		VFBC_CH_LOG(DEBUG, "no multi-process claim service: %s",
				rte_strerror(rte_errno));
}

void
__vfbc_ch_claim_service_stop(void)
{
	rte_mp_action_unregister(CH_MP_CLAIM);
}
