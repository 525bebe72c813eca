/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF service's sleep: a service with nothing to do sleeps until a VF
 * posts a request, instead of polling a core. The VF side's sleep mode
 * (vfbc_channel_wake.c) the other way round.
 *
 * The handshake is the doorbell's: the service stores its sleep word (S1:
 * the header's, or, isolated, each granted VF's in its notify line), then
 * looks for requests once more (S2: the doorbell bits, or the request
 * rings); a post publishes its request (the doorbell OR, or the ring's
 * producer index and a fence), then loads the word (P1, P2). Either the
 * service sees the request and does not sleep, or the post sees the word;
 * the post that takes it back (P3, an exchange) wakes the service, one
 * wake per sleep.
 *
 * A wake: the creator's eventfd when the post is in its process; from
 * another process of a shared channel, a datagram to the creator's service
 * socket in EAL's runtime directory (which the primary's secondaries
 * share), or, where that fails, the claim service's rte_mp message
 * (vfbc_channel_claim_ask.c), which kicks the eventfd one thread hop
 * later; a datagram on the holder's wake socket, whose PF end the
 * service's epoll holds, from an isolated region (no rte_mp reaches its
 * PF). A consumer that
 * clears the word without waking (a buggy or hostile one) delays others'
 * requests until the service wakes on its own: its caller bounds every
 * sleep (the PF driver by its sweep period).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <rte_atomic.h>
#include <rte_eal.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

/*
 * Datagrams read from one wake socket per disarm: a holder that floods its
 * socket stays readable, and costs the service a read per datagram it sent.
 */
#define CH_SVC_DRAIN_MAX 64

/* The epoll tag of the service socket; a holder's wake socket is its VF + 1, the eventfd 0. */
#define CH_SVC_TAG_SOCK UINT32_MAX

/*
 * The creator's service socket of a shared channel: in EAL's runtime
 * directory, by incarnation (unique to this channel's life, whatever its
 * name's length). -ENAMETOOLONG: no such socket, wakes take the rte_mp way.
 */
static int
ch_svc_path(uint64_t incarnation, struct sockaddr_un *sa)
{
	int n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/vfbc_svc_%016" PRIx64,
			rte_eal_get_runtime_dir(), incarnation);
	return n > 0 && (size_t)n < sizeof(sa->sun_path) ? 0 : -ENAMETOOLONG;
}

/* The service socket joins the epoll; a failure leaves the rte_mp way. */
static void
ch_svc_sock_open(struct vfbc_channel *ch, int epfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = CH_SVC_TAG_SOCK };
	struct sockaddr_un sa;
	int s;

	if (ch->isolated || ch->mz == NULL || ch_svc_path(ch->incarnation, &sa) < 0)
		return;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	__vfbc_channel_refuse_rights(s, "service socket");
	/* A socket of a channel of a crashed primary with the same incarnation: none. */
	unlink(sa.sun_path);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
			epoll_ctl(epfd, EPOLL_CTL_ADD, s, &ev) < 0) {
		VFBC_CHANNEL_LOG(DEBUG, "%s: no service socket (%s): wakes go by rte_mp",
				ch->name, strerror(errno));
		close(s);
		unlink(sa.sun_path);
		return;
	}
	ch->svc_sock = s;
}

void
__vfbc_channel_service_close(struct vfbc_channel *ch)
{
	struct sockaddr_un sa;

	if (ch->svc_sock < 0)
		return;
	close(ch->svc_sock);
	ch->svc_sock = -1;
	if (ch_svc_path(ch->incarnation, &sa) == 0)
		unlink(sa.sun_path);
}

/* This process's socket to send service wakes from, made at the first wake. */
static int ch_svc_tx = -1;

int
__vfbc_channel_service_wake_send(const struct vfbc_channel *ch)
{
	static const uint8_t byte = 1;
	struct sockaddr_un sa;
	int tx, s, expect = -1;

	if (ch_svc_path(ch->incarnation, &sa) < 0)
		return -ENAMETOOLONG;
	tx = __atomic_load_n(&ch_svc_tx, __ATOMIC_ACQUIRE);
	if (tx < 0) {
		s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (s < 0)
			return -errno;
		/* One per process, kept: a thread that lost the race closes its own. */
		if (__atomic_compare_exchange_n(&ch_svc_tx, &expect, s, 0, __ATOMIC_ACQ_REL,
				__ATOMIC_ACQUIRE)) {
			tx = s;
		} else {
			close(s);
			tx = expect;
		}
	}
	if (sendto(tx, &byte, sizeof(byte), MSG_DONTWAIT | MSG_NOSIGNAL,
			(const struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)sizeof(byte))
		return 0;
	/* A full queue is a readable one: the service is awake, or waking. */
	return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
}

/* VF vf's wake socket (PF end) joins the service's epoll (the VF's wake lock held). */
void
__vfbc_channel_service_add(struct vfbc_channel *ch, uint16_t vf, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)vf + 1 };
	int epfd;

	/* SV1: pairs with SV2 in vfbc_channel_service_fd(), both under this wake lock. */
	epfd = __atomic_load_n(&ch->svc_epfd, __ATOMIC_ACQUIRE);
	if (!ch->isolated || epfd < 0)
		return;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 && errno != EEXIST)
		VFBC_CHANNEL_LOG(WARNING, "%s: VF %u: its requests cannot wake the service: %s",
				ch->name, vf, strerror(errno));
}

int
vfbc_channel_service_fd(struct vfbc_channel *ch)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 0 };
	struct vfbc_channel_pf_vf *pv;
	int epfd, kick, ret;
	uint16_t vf;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	rte_spinlock_lock(&ch->svc_lock);
	if (ch->svc_epfd >= 0) {
		rte_spinlock_unlock(&ch->svc_lock);
		return ch->svc_epfd;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (epfd < 0 || kick < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, kick, &ev) < 0) {
		ret = -errno;
		rte_spinlock_unlock(&ch->svc_lock);
		if (epfd >= 0)
			close(epfd);
		if (kick >= 0)
			close(kick);
		return ret;
	}
	ch_svc_sock_open(ch, epfd);
	/* Kicks read svc_kick without the lock: published with the epoll. */
	__atomic_store_n(&ch->svc_kick, kick, __ATOMIC_RELEASE);
	/* SV2: pairs with SV1: a socket made from now on joins by itself. */
	__atomic_store_n(&ch->svc_epfd, epfd, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&ch->svc_lock);
	/* The sockets made before: each under its wake lock, as SV1. */
	for (vf = 0; ch->isolated && vf < ch->nb_vfs; vf++) {
		pv = &ch->pf[vf];
		rte_spinlock_lock(&pv->wake_lock);
		if (pv->wake_fd >= 0)
			__vfbc_channel_service_add(ch, vf, pv->wake_fd);
		rte_spinlock_unlock(&pv->wake_lock);
	}
	return epfd;
}

int
vfbc_channel_service_hold(struct vfbc_channel *ch, uint16_t vf, int hold)
{
	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	/* Let go before the kick that follows: the arm it wakes reads the ring. */
	__atomic_store_n(&ch->pf[vf].svc_hold, hold != 0, __ATOMIC_RELEASE);
	return 0;
}

int
vfbc_channel_service_kick(struct vfbc_channel *ch)
{
	int kick;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	/* Nothing sleeps on a service without its descriptor. */
	kick = __atomic_load_n(&ch->svc_kick, __ATOMIC_ACQUIRE);
	if (kick >= 0)
		(void)eventfd_write(kick, 1);
	return 0;
}

/* The sleep word VF vf's posts read: the header's, or its region's. */
static uint32_t *
ch_svc_word(const struct vfbc_channel *ch, uint16_t vf)
{
	if (ch->isolated)
		return &__vfbc_channel_vf(ch, vf)->notify.service_asleep;
	return &__vfbc_channel_hdr(ch)->service_asleep;
}

/* The granted VFs of an isolated channel: the words to set, the rings to read. */
static uint64_t
ch_svc_granted(const struct vfbc_channel *ch, unsigned int w)
{
	/* G2: pairs with G1 in vfbc_channel_claim_grant(). */
	return __atomic_load_n(&ch->granted_map[w], __ATOMIC_SEQ_CST);
}

/*
 * Requests in VF vf's ring that a pass can take. Out-of-bounds indexes are
 * no work here: a pass refuses them (counted, logged once), and a region a
 * VF scribbled over would keep the service from ever sleeping. Nor is a
 * request a pass leaves where it is (vfbc_channel_request_dequeue()): no
 * room for its answer (a VF that does not take its answers, or a corrupt
 * response ring), or as many in flight as the PF may hold. The VF's next
 * post, the answer of one in flight, or the sweep brings it back.
 */
static int
ch_svc_ring_waiting(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	const struct vfbc_ring_shm *r;
	uint32_t used;
	int ret;

	/* Held (a job of the VF runs): its end kicks the service. */
	if (__atomic_load_n(&pv->svc_hold, __ATOMIC_ACQUIRE) != 0)
		return 0;
	if (__vfbc_ring_count(__vfbc_channel_ring(ch, vf, ch->req_ring_off),
			__atomic_load_n(&pv->req_cons, __ATOMIC_RELAXED),
			__VFBC_CHANNEL_REQ_SIZE) <= 0)
		return 0;
	/* The responders' index and the in-flight table: under the slot lock. */
	rte_spinlock_lock(&pv->slot_lock);
	r = __vfbc_channel_ring(ch, vf, ch->resp_ring_off);
	used = pv->resp_prod - __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
	ret = pv->inflight_live != UINT32_MAX && used < __VFBC_CHANNEL_RESP_SIZE;
	rte_spinlock_unlock(&pv->slot_lock);
	return ret;
}

/* Anything a pass would serve: S2, after the sleep words (S1). */
static int
ch_svc_work(struct vfbc_channel *ch)
{
	const unsigned int words = (ch->nb_vfs + 63u) / 64;
	unsigned int w;
	uint64_t bits;

	for (w = 0; w < words; w++) {
		if (!ch->isolated) {
			if (__atomic_load_n(&__vfbc_channel_hdr(ch)->doorbell[w],
					__ATOMIC_SEQ_CST) != 0)
				return 1;
			continue;
		}
		for (bits = ch_svc_granted(ch, w); bits != 0; bits &= bits - 1)
			if (ch_svc_ring_waiting(ch, w * 64 + rte_bsf64(bits)))
				return 1;
	}
	return 0;
}

static void
ch_svc_words_clear(struct vfbc_channel *ch)
{
	uint32_t *word;
	uint16_t vf;

	if (!ch->isolated) {
		__atomic_store_n(&__vfbc_channel_hdr(ch)->service_asleep, 0, __ATOMIC_RELAXED);
		return;
	}
	/* Every region's: a VF revoked while the service slept keeps no stale word. */
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		if (__vfbc_channel_vf_bad(ch, vf))
			continue;
		word = ch_svc_word(ch, vf);
		if (__atomic_load_n(word, __ATOMIC_RELAXED) != 0)
			__atomic_store_n(word, 0, __ATOMIC_RELAXED);
	}
}

int
vfbc_channel_service_sleep_arm(struct vfbc_channel *ch)
{
	const unsigned int words = (ch != NULL ? ch->nb_vfs + 63u : 0) / 64;
	unsigned int w;
	uint64_t bits;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	if (__atomic_load_n(&ch->svc_epfd, __ATOMIC_ACQUIRE) < 0)
		return -ENOTSUP;
	/* G1': pairs with G1 in vfbc_channel_claim_grant(): a later grant kicks. */
	__atomic_store_n(&ch->svc_armed, 1, __ATOMIC_SEQ_CST);
	/* S1: pairs with P2 in __vfbc_channel_service_wake(). */
	if (!ch->isolated) {
		__atomic_store_n(&__vfbc_channel_hdr(ch)->service_asleep, 1, __ATOMIC_SEQ_CST);
	} else {
		for (w = 0; w < words; w++)
			for (bits = ch_svc_granted(ch, w); bits != 0; bits &= bits - 1)
				__atomic_store_n(ch_svc_word(ch, w * 64 + rte_bsf64(bits)), 1,
						__ATOMIC_SEQ_CST);
	}
	/* S1 before S2: pairs with the post's fence (P1 before P2). */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!ch_svc_work(ch))
		return 0;
	vfbc_channel_service_sleep_disarm(ch);
	return 1;
}

int
vfbc_channel_service_sleep_disarm(struct vfbc_channel *ch)
{
	struct vfbc_channel_pf_vf *pv;
	struct epoll_event evs[32];
	uint8_t b[8];
	eventfd_t v;
	int i, k, n, epfd;
	uint32_t vf;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	__atomic_store_n(&ch->svc_armed, 0, __ATOMIC_RELAXED);
	ch_svc_words_clear(ch);
	epfd = __atomic_load_n(&ch->svc_epfd, __ATOMIC_ACQUIRE);
	if (epfd < 0)
		return 0;
	/* What woke the service, and wakes of earlier sleeps: the next epoll is quiet. */
	n = epoll_wait(epfd, evs, RTE_DIM(evs), 0);
	for (i = 0; i < n; i++) {
		if (evs[i].data.u32 == 0) {
			(void)eventfd_read(ch->svc_kick, &v);
			continue;
		}
		if (evs[i].data.u32 == CH_SVC_TAG_SOCK) {
			/* An empty datagram is one read too (0): only an error ends it. */
			for (k = 0; k < CH_SVC_DRAIN_MAX; k++)
				if (recv(ch->svc_sock, b, sizeof(b), MSG_DONTWAIT) < 0)
					break;
			continue;
		}
		vf = evs[i].data.u32 - 1;
		if (vf >= ch->nb_vfs)
			continue;
		pv = &ch->pf[vf];
		/* Under its wake lock: a revoke may close the socket meanwhile. */
		rte_spinlock_lock(&pv->wake_lock);
		/* An empty datagram is one read too (0): only an error ends the drain. */
		for (k = 0; pv->wake_fd >= 0 && k < CH_SVC_DRAIN_MAX; k++)
			if (recv(pv->wake_fd, b, sizeof(b), MSG_DONTWAIT) < 0)
				break;
		rte_spinlock_unlock(&pv->wake_lock);
	}
	return 0;
}

int
vfbc_channel_service_wake_adopt(struct vfbc_channel *ch, uint16_t vf, int fd)
{
	struct vfbc_channel_vf_vf *cv;
	int own, old;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf) || fd < 0)
		return -EINVAL;
	if (!ch->isolated || ch->pf != NULL)
		return -ENOTSUP;
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0)
		return -errno;
	cv = &ch->vf[vf];
	rte_spinlock_lock(&cv->lock);
	old = cv->svc_wake_fd;
	cv->svc_wake_fd = own;
	rte_spinlock_unlock(&cv->lock);
	if (old >= 0)
		close(old);
	return 0;
}

/* This handle's wake socket of VF vf, taken out (its lock held): to close. */
int
__vfbc_channel_service_wake_take(struct vfbc_channel_vf_vf *cv)
{
	int fd = cv->svc_wake_fd;

	cv->svc_wake_fd = -1;
	return fd;
}

int
__vfbc_channel_service_wake(struct vfbc_channel *ch, uint16_t vf)
{
	static const uint8_t byte = 1;
	struct vfbc_channel_vf_vf *cv;
	uint32_t *word = ch_svc_word(ch, vf);

	/*
	 * P1: the request is published (the doorbell's sequentially
	 * consistent OR; an isolated ring's release of its producer index,
	 * ordered by this fence). Pairs with S1/S2 in
	 * vfbc_channel_service_sleep_arm().
	 */
	if (ch->isolated)
		rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* P2: a service that does not sleep costs a load of a line the post owns. */
	if (likely(__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0))
		return 0;
	/* P3: one waker per sleep. */
	if (__atomic_exchange_n(word, 0, __ATOMIC_SEQ_CST) == 0)
		return 0;
	/* The creator is woken by name, out of the read section. */
	if (!ch->isolated)
		return 1;
	cv = &ch->vf[vf];
	rte_spinlock_lock(&cv->lock);
	if (cv->svc_wake_fd >= 0)
		(void)send(cv->svc_wake_fd, &byte, sizeof(byte), MSG_DONTWAIT | MSG_NOSIGNAL);
	rte_spinlock_unlock(&cv->lock);
	return 0;
}
