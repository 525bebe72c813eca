/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * How a consumer's claim reaches the channel's creator, which alone grants
 * it (vfbc_channel_claim.c): directly when the creator is in this process
 * (the registry of the channels it created), else over EAL's
 * multi-process channel, the proof going along as a descriptor
 * (SCM_RIGHTS). The holder's request for a wake socket (sleep mode,
 * vfbc_channel_wake.c) takes the same way, the socket coming back; and so
 * does a post's wake of the creator's sleeping service
 * (vfbc_channel_service.c), a message without reply.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
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
#define CH_CLAIM_MSG_VERSION 2
/* Not a claim: the holder asks for a wake socket, sent back with the reply. */
#define CH_CLAIM_F_WAKE 0x1

/* A claim request, secondary to primary (fixed width: it crosses processes). */
struct ch_claim_msg {
	uint32_t version;   /* CH_CLAIM_MSG_VERSION */
	uint16_t vf;
	uint16_t flags;     /* CH_CLAIM_F_*; zero: a claim */
	int32_t pid;        /* the claimer */
	int32_t proof_fdnum; /* the proof's number in the claimer, -1: none */
	char mz_name[RTE_MEMZONE_NAMESIZE];
	/* The claimer's channel's: another channel of the name is not the one it attached. */
	uint64_t incarnation;
};

struct ch_claim_reply {
	uint32_t version;
	int32_t status;     /* vfbc_channel_claim_grant()'s (a wake socket: 0, or -errno) */
	uint64_t word;      /* the claim word granted */
};

/*
 * The multi-process action through which a consumer of another process
 * wakes the creator's sleeping service (vfbc_channel_service.c): a
 * message, no reply.
 */
#define CH_MP_SERVICE "vfbc_channel_service"
#define CH_SERVICE_MSG_VERSION 1

struct ch_service_msg {
	uint32_t version;   /* CH_SERVICE_MSG_VERSION */
	uint32_t rsvd;      /* zero */
	uint64_t incarnation;
	char mz_name[RTE_MEMZONE_NAMESIZE];
};

_Static_assert(sizeof(struct ch_service_msg) <= RTE_MP_MAX_PARAM_LEN, "service message size");
_Static_assert(sizeof(struct ch_claim_msg) <= RTE_MP_MAX_PARAM_LEN, "claim message size");
_Static_assert(sizeof(struct ch_claim_reply) <= RTE_MP_MAX_PARAM_LEN, "claim reply size");

/* The channels this process created, for claims made in this process. */
static pthread_mutex_t ch_creators_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vfbc_channel *ch_creators;

static struct vfbc_channel *
ch_creator_get(const char *mz_name)
{
	struct vfbc_channel *ch;

	pthread_mutex_lock(&ch_creators_lock);
	for (ch = ch_creators; ch != NULL; ch = ch->next)
		if (strcmp(ch->name, mz_name) == 0)
			break;
	if (ch != NULL)
		ch->users++;
	pthread_mutex_unlock(&ch_creators_lock);
	return ch;
}

static void
ch_creator_put(struct vfbc_channel *ch)
{
	pthread_mutex_lock(&ch_creators_lock);
	ch->users--;
	pthread_mutex_unlock(&ch_creators_lock);
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
	int wake_fd = -1;
	int i, nb_fds;
	int ret;

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
			ch = ch_creator_get(req.mz_name);
			if (ch == NULL) {
				rep.status = -ENOENT;
			} else if (req.incarnation != ch->incarnation) {
				/* Freed and created again since the claimer attached. */
				ch_creator_put(ch);
				rep.status = -ENODEV;
			} else if (req.flags == CH_CLAIM_F_WAKE) {
				ret = __vfbc_channel_wake_open(ch, req.vf, req.pid, proof_fd,
						req.proof_fdnum);
				ch_creator_put(ch);
				wake_fd = ret >= 0 ? ret : -1;
				rep.status = ret >= 0 ? 0 : ret;
			} else if (req.flags != 0) {
				ch_creator_put(ch);
				rep.status = -EPROTO;
			} else {
				rep.status = vfbc_channel_claim_grant(ch, req.vf, req.pid,
						proof_fd, req.proof_fdnum, &rep.word);
				ch_creator_put(ch);
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
	if (wake_fd >= 0) {
		out.num_fds = 1;
		out.fds[0] = wake_fd;
	}
	ret = rte_mp_reply(&out, peer);
	/* Sent (a copy is the asker's now), or lost with the reply: not kept here. */
	if (wake_fd >= 0)
		close(wake_fd);
	return ret;
}

/*
 * The creator's side of CH_MP_SERVICE, on EAL's multi-process thread: a
 * kick, whoever sends it (a process of the group that is no consumer
 * wakes a service that finds nothing, and sleeps again).
 */
static int
ch_service_mp_handle(const struct rte_mp_msg *msg, const void *peer __rte_unused)
{
	struct ch_service_msg m;
	struct vfbc_channel *ch;
	int i;

	for (i = 0; i < RTE_MIN(msg->num_fds, RTE_MP_MAX_FD_NUM); i++)
		close(msg->fds[i]);
	if (msg->len_param != (int)sizeof(m))
		return 0;
	memcpy(&m, msg->param, sizeof(m));
	m.mz_name[sizeof(m.mz_name) - 1] = '\0';
	if (m.version != CH_SERVICE_MSG_VERSION)
		return 0;
	ch = ch_creator_get(m.mz_name);
	if (ch == NULL)
		return 0;
	if (m.incarnation == ch->incarnation)
		(void)vfbc_channel_service_kick(ch);
	ch_creator_put(ch);
	return 0;
}

void
__vfbc_channel_service_wake_creator(const struct vfbc_channel *ch)
{
	struct ch_service_msg m;
	struct vfbc_channel *creator;
	struct rte_mp_msg msg;

	creator = ch_creator_get(ch->name);
	if (creator != NULL) {
		if (creator->incarnation == ch->incarnation)
			(void)vfbc_channel_service_kick(creator);
		ch_creator_put(creator);
		return;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		return;
	/* The direct way: one thread hop less than EAL's multi-process thread. */
	if (__vfbc_channel_service_wake_send(ch) == 0)
		return;
	memset(&m, 0, sizeof(m));
	m.version = CH_SERVICE_MSG_VERSION;
	m.incarnation = ch->incarnation;
	strlcpy(m.mz_name, ch->name, sizeof(m.mz_name));
	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, CH_MP_SERVICE, sizeof(msg.name));
	msg.len_param = sizeof(m);
	memcpy(msg.param, &m, sizeof(m));
	/* Lost (the primary gone, no multi-process channel): the service's own timeout. */
	if (rte_mp_sendmsg(&msg) < 0)
		VFBC_CHANNEL_LOG(DEBUG, "%s: cannot wake the PF's service: %s", ch->name,
				rte_strerror(rte_errno));
}

static void
ch_claim_service_start(void)
{
	/* Without a multi-process channel (--in-memory) claims stay in-process. */
	if (rte_mp_action_register(CH_MP_CLAIM, ch_claim_mp_handle) < 0 && rte_errno != EEXIST)
		VFBC_CHANNEL_LOG(DEBUG, "no multi-process claim service: %s",
				rte_strerror(rte_errno));
	if (rte_mp_action_register(CH_MP_SERVICE, ch_service_mp_handle) < 0 &&
			rte_errno != EEXIST)
		VFBC_CHANNEL_LOG(DEBUG, "no multi-process service wake: %s",
				rte_strerror(rte_errno));
}

static void
ch_claim_service_stop(void)
{
	rte_mp_action_unregister(CH_MP_CLAIM);
	rte_mp_action_unregister(CH_MP_SERVICE);
}

void
__vfbc_channel_creator_add(struct vfbc_channel *ch)
{
	int first;

	pthread_mutex_lock(&ch_creators_lock);
	first = ch_creators == NULL;
	ch->next = ch_creators;
	ch_creators = ch;
	pthread_mutex_unlock(&ch_creators_lock);
	if (first && ch->mz != NULL)
		ch_claim_service_start();
}

/* Unlist ch; wait until no claim of another thread uses it any more. */
void
__vfbc_channel_creator_remove(struct vfbc_channel *ch)
{
	struct vfbc_channel **p;
	int last, busy;

	pthread_mutex_lock(&ch_creators_lock);
	for (p = &ch_creators; *p != NULL; p = &(*p)->next) {
		if (*p == ch) {
			*p = ch->next;
			break;
		}
	}
	last = ch_creators == NULL;
	pthread_mutex_unlock(&ch_creators_lock);
	do {
		pthread_mutex_lock(&ch_creators_lock);
		busy = ch->users != 0;
		pthread_mutex_unlock(&ch_creators_lock);
		if (busy)
			usleep(1000);
	} while (busy);
	if (last && ch->mz != NULL)
		ch_claim_service_stop();
}

/* This process's claim requests to the creator, one at a time (ch_claim_remote()). */
static pthread_mutex_t ch_claim_mp_lock = PTHREAD_MUTEX_INITIALIZER;

/* Ask the creator, in the primary, over EAL's multi-process channel. */
static int
ch_claim_remote(const struct vfbc_channel *ch, uint16_t vf, int32_t pid, int proof_fd,
		uint16_t flags, uint64_t *word, int *wake_fd)
{
	struct timespec ts = { .tv_sec = VFBC_CHANNEL_CLAIM_TIMEOUT_S, .tv_nsec = 0 };
	struct ch_claim_reply rep;
	struct rte_mp_reply reply;
	struct ch_claim_msg req;
	struct rte_mp_msg msg;
	int ret, i;

	memset(&req, 0, sizeof(req));
	req.version = CH_CLAIM_MSG_VERSION;
	req.vf = vf;
	req.flags = flags;
	req.pid = pid;
	req.proof_fdnum = proof_fd;
	strlcpy(req.mz_name, ch->name, sizeof(req.mz_name));
	req.incarnation = ch->incarnation;
	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, CH_MP_CLAIM, sizeof(msg.name));
	msg.len_param = sizeof(req);
	memcpy(msg.param, &req, sizeof(req));
	if (proof_fd >= 0) {
		msg.num_fds = 1;
		msg.fds[0] = proof_fd;
	}
	memset(&reply, 0, sizeof(reply));
	/*
	 * EAL refuses a request whose name is pending in this process
	 * (EEXIST): the claims and wake sockets of every handle of this
	 * process (other ports, other threads) ask one at a time.
	 */
	pthread_mutex_lock(&ch_claim_mp_lock);
	ret = rte_mp_request_sync(&msg, &reply, &ts);
	pthread_mutex_unlock(&ch_claim_mp_lock);
	if (ret < 0 || reply.nb_received != 1 ||
			reply.msgs[0].len_param != (int)sizeof(rep)) {
		VFBC_CHANNEL_LOG(ERR, "%s: VF %u: no answer from the channel's creator (%s)",
				ch->name, vf, ret < 0 ? rte_strerror(rte_errno) : "no reply");
		for (i = 0; ret >= 0 && reply.nb_received == 1 &&
				i < RTE_MIN(reply.msgs[0].num_fds, RTE_MP_MAX_FD_NUM); i++)
			close(reply.msgs[0].fds[i]);
		free(reply.msgs);
		return -ENOTCONN;
	}
	memcpy(&rep, reply.msgs[0].param, sizeof(rep));
	/* Descriptors the reply brought: the wake socket asked for, nothing else. */
	for (i = 0; i < RTE_MIN(reply.msgs[0].num_fds, RTE_MP_MAX_FD_NUM); i++) {
		if (wake_fd != NULL && *wake_fd < 0 && rep.status == 0)
			*wake_fd = reply.msgs[0].fds[i];
		else
			close(reply.msgs[0].fds[i]);
	}
	free(reply.msgs);
	if (rep.version != CH_CLAIM_MSG_VERSION) {
		if (wake_fd != NULL && *wake_fd >= 0) {
			close(*wake_fd);
			*wake_fd = -1;
		}
		return -EPROTO;
	}
	*word = rep.word;
	if (wake_fd != NULL && rep.status == 0 && *wake_fd < 0)
		return -EPROTO;
	return rep.status;
}

/*
 * The end of a claim: this handle holds word, the grant's. ret is what to
 * return on success (the grant's 0 or 1).
 */
static int
ch_claim_take(struct vfbc_channel *ch, uint16_t vf, uint64_t word, int ret)
{
	struct vfbc_channel_vf_vf *cv = &ch->vf[vf];
	struct vfbc_channel_shm_vf *v = __vfbc_channel_vf(ch, vf);
	int gone;

	/* Granted, and the channel freed since: nothing to hold. */
	gone = __vfbc_channel_enter(ch);
	if (gone < 0)
		return gone;
	/*
	 * CA1: pairs with CR1 in vfbc_channel_claim_grant(): the rings the
	 * grant reset are seen reset. A word other than the one granted means
	 * the PF granted the slot again since: this claim is already lost.
	 */
	if (__vfbc_channel_load64_acquire(&v->consumer.claim) != word) {
		__vfbc_channel_leave(ch);
		return -EBUSY;
	}
	rte_spinlock_lock(&cv->lock);
	cv->req_prod = __atomic_load_n(&__vfbc_channel_ring(ch, vf, ch->req_ring_off)->prod,
			__ATOMIC_RELAXED);
	cv->resp_cons = __atomic_load_n(&__vfbc_channel_ring(ch, vf, ch->resp_ring_off)->cons,
			__ATOMIC_RELAXED);
	/* Atomic: vfbc_channel_poll_idle() of another thread loads it without the lock. */
	__atomic_store_n(&cv->notify_cons,
			__atomic_load_n(&__vfbc_channel_ring(ch, vf, ch->notify_ring_off)->cons,
				__ATOMIC_RELAXED), __ATOMIC_RELAXED);
	__atomic_store_n(&cv->held, word, __ATOMIC_RELAXED);
	rte_spinlock_unlock(&cv->lock);
	__vfbc_channel_leave(ch);
	return ret;
}

int
vfbc_channel_claim(struct vfbc_channel *ch, uint16_t vf, int proof_fd)
{
	struct vfbc_channel *creator;
	uint64_t word = 0;
	int32_t self;
	int ret;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (__vfbc_channel_holds(ch, vf))
		return -EALREADY;
	/*
	 * Memory gone: the creator is asked by name, and the name may be a
	 * new channel's by now, which would grant its VF to this process,
	 * whose handle cannot hold it. Ask nobody.
	 */
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	__vfbc_channel_leave(ch);
	self = (int32_t)getpid();
	creator = ch_creator_get(ch->name);
	if (creator != NULL) {
		/* Another channel of the name than the one this handle attached: not its VF. */
		ret = creator->incarnation != ch->incarnation ? -ENODEV :
			vfbc_channel_claim_grant(creator, vf, self, proof_fd, proof_fd, &word);
		ch_creator_put(creator);
	} else if (rte_eal_process_type() == RTE_PROC_SECONDARY) {
		ret = ch_claim_remote(ch, vf, self, proof_fd, 0, &word, NULL);
	} else {
		/* A primary that did not create the channel has nobody to ask. */
		ret = -ENOTCONN;
	}
	if (ret < 0)
		return ret;
	return ch_claim_take(ch, vf, word, ret);
}

int
vfbc_channel_claim_adopt(struct vfbc_channel *ch, uint16_t vf, uint64_t word)
{
	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf) || (word & CH_CLAIM_PID_MASK) == 0)
		return -EINVAL;
	if (__vfbc_channel_holds(ch, vf))
		return -EALREADY;
	return ch_claim_take(ch, vf, word, 0);
}

int
vfbc_channel_wake_fd(struct vfbc_channel *ch, uint16_t vf, int proof_fd)
{
	struct vfbc_channel *creator;
	uint64_t word = 0;
	int wake_fd = -1;
	int32_t self;
	int ret;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->base == NULL)
		return -ENOTSUP;
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	self = (int32_t)getpid();
	creator = ch_creator_get(ch->name);
	if (creator != NULL) {
		ret = creator->incarnation != ch->incarnation ? -ENODEV :
			__vfbc_channel_wake_open(creator, vf, self, proof_fd, proof_fd);
		ch_creator_put(creator);
		return ret;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		return -ENOTCONN;
	ret = ch_claim_remote(ch, vf, self, proof_fd, CH_CLAIM_F_WAKE, &word, &wake_fd);
	if (ret < 0)
		return ret;
	return wake_fd;
}
