/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The control socket of an isolated PF (socket=PATH), after DPDK's
 * drivers/net/memif/memif_socket.c: a listening SOCK_SEQPACKET socket and
 * one socket per connection, each an interrupt source of the EAL interrupt
 * thread, which runs every callback and alarm of this file. A connection
 * sends one struct vfbc_sock_open; the PF answers once, with the VF's
 * region fd (and its wake socket) when it grants the claim. A granted connection stays open as
 * the VF's holder connection: its hang-up (or anything more it sends)
 * revokes the claim.
 *
 * Threads and locks. The interrupt thread accepts, reads, answers and
 * closes. Other threads call vfbc_pf_socket_set_secret(), _sync() (from
 * vfbc_pf_mbox_refresh(), under pf->ctrl) and _stop() (dev_close).
 * srv->lock protects the connection list, the holders, the secrets and
 * closing. A grant holds pf->ctrl from the "VF enabled" check to the
 * holder's record, so that enabling or disabling VFs (which hold pf->ctrl,
 * and revoke claims in the refresh that follows) never interleaves with
 * it; lock order pf->ctrl, pf->lock, srv->lock. A connection is closed by
 * whoever takes it off the list (under srv->lock, setting gone): the
 * interrupt thread, or _stop(), which then waits for its callbacks to
 * return (rte_intr_callback_unregister_sync(), rte_eal_alarm_cancel())
 * before freeing it. Nothing of srv is touched by a callback once it has
 * seen its connection gone, and nothing that waits for the interrupt
 * thread runs under either lock.
 *
 * Secrets live in an anonymous mapping of this process (never hugepages,
 * which secondaries map), excluded from core dumps, wiped when replaced
 * and at close.
 */

#include <errno.h>
#include <inttypes.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_interrupts.h>

#include <vfbc_channel.h>
#include <vfbc_sock_msg.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_socket.h"

/* Connections accepted per run of the listener's callback, at most. */
#define PF_SOCK_ACCEPT_BURST	32
#define PF_SOCK_BACKLOG		64

enum pf_sock_conn_state {
	PF_SOCK_PENDING,	/* accepted, its open not read yet */
	PF_SOCK_HOLDER,		/* granted: the holder connection of vf */
};

struct pf_sock_conn {
	TAILQ_ENTRY(pf_sock_conn) next;
	struct vfbc_pf_sock *srv;	/* outlives every callback of the connection */
	struct rte_intr_handle *intr;
	int fd;
	uint8_t state;		/* enum pf_sock_conn_state */
	uint8_t gone;		/* off the list: its taker closes it (srv->lock) */
	uint16_t vf;		/* PF_SOCK_HOLDER */
	uint16_t minor;		/* the protocol minor of its open */
	uint64_t word;		/* the claim word granted (PF_SOCK_HOLDER) */
	pid_t pid;		/* SO_PEERCRED */
	uid_t uid;
	gid_t gid;
};

TAILQ_HEAD(pf_sock_conn_list, pf_sock_conn);

struct pf_sock_secret {
	uint32_t len;		/* 0: none */
	uint8_t bytes[VFBC_SOCK_SECRET_MAX]; /* zero past len */
};

/* Peers whose wrong secrets of a VF are counted apart (the most recent ones). */
#define PF_SOCK_GUESSERS	4

/* Wrong secrets of a VF by one peer uid in the current second. */
struct pf_sock_guesser {
	uint64_t second;	/* TSC when the second began; 0: free */
	uint32_t uid;
	uint32_t fails;
};

/* A VF's budgets: wrong secrets per peer, grants in the current second. */
struct pf_sock_guesses {
	struct pf_sock_guesser by[PF_SOCK_GUESSERS];
	uint64_t grant_second;
	uint32_t grants;
};

struct vfbc_pf_sock {
	struct vfbc_pf_proc *pf;
	struct vfbc_channel *ch;
	uint16_t port_id;
	uint16_t nb_vfs;	/* VFs of the channel */
	uint32_t uid;		/* VFBC_PF_SOCKET_ID_ANY: any */
	uint32_t gid;
	int listen_fd;
	struct rte_intr_handle *listen_intr;
	dev_t sock_dev;		/* the socket file bound, to unlink only ours */
	ino_t sock_ino;
	char path[VFBC_PF_SOCKET_PATH_MAX];
	pthread_mutex_t lock;
	struct pf_sock_conn_list conns;	/* in accept order */
	unsigned int nb_pending;
	uint8_t closing;
	struct pf_sock_conn **holders;	/* nb_vfs entries */
	struct pf_sock_guesses *guesses; /* nb_vfs entries */
	struct pf_sock_secret *secrets;	/* nb_vfs entries, mapped apart */
	size_t secrets_size;
	/* Log limit of refused opens: lines this second and those not printed. */
	uint64_t log_second;
	uint32_t log_lines;
	uint32_t log_dropped;
};

static void pf_sock_conn_cb(void *arg);
static void pf_sock_timeout_cb(void *arg);

/*
 * May a line about a refused open be logged now? One budget for all
 * connections: the per-VF limiter of the mailbox (vfbc_pf_mbox_log_ok())
 * cannot bound a client that names a different VF, or none, each time.
 * Caller holds srv->lock.
 */
static int
pf_sock_log_ok(struct vfbc_pf_sock *srv)
{
	uint64_t now = rte_get_timer_cycles();

	if (now - srv->log_second >= rte_get_timer_hz()) {
		if (srv->log_dropped != 0)
			PF_MBOX_LOG(NOTICE, "port %u: %u log lines about refused socket opens "
				    "suppressed", srv->port_id, srv->log_dropped);
		srv->log_second = now;
		srv->log_lines = 0;
		srv->log_dropped = 0;
	}
	if (srv->log_lines < VFBC_PF_SOCK_LOG_BURST) {
		srv->log_lines++;
		return 1;
	}
	srv->log_dropped++;
	vfbc_pf_count(srv->pf->ad, VFBC_PF_XS_MBOX_LOG_SUPPRESSED, 1);
	return 0;
}

/*
 * The wrong-secret budget of VF vf for peer uid in this second: per peer,
 * so that one peer spending it does not lock the VF's own consumer out
 * (peers of one uid share it). srv->lock held.
 */
static struct pf_sock_guesser *
pf_sock_guesser(struct vfbc_pf_sock *srv, uint16_t vf, uint32_t uid)
{
	struct pf_sock_guesser *by = srv->guesses[vf].by, *g = NULL;
	uint64_t now = rte_get_timer_cycles();
	unsigned int i;

	for (i = 0; i < PF_SOCK_GUESSERS; i++) {
		if (by[i].second != 0 && by[i].uid == uid) {
			g = &by[i];
			break;
		}
		/* Else the least recent (a free one first). */
		if (g == NULL || by[i].second < g->second)
			g = &by[i];
	}
	if (g->uid != uid || g->second == 0 || now - g->second >= rte_get_timer_hz()) {
		g->uid = uid;
		g->second = now;
		g->fails = 0;
	}
	return g;
}

/*
 * Grants of VF vf this second, this one counted: each may make a new
 * region file (a former holder keeps the old one). srv->lock held.
 */
static int
pf_sock_grants_spent(struct vfbc_pf_sock *srv, uint16_t vf)
{
	struct pf_sock_guesses *g = &srv->guesses[vf];
	uint64_t now = rte_get_timer_cycles();

	if (now - g->grant_second >= rte_get_timer_hz()) {
		g->grant_second = now;
		g->grants = 0;
	}
	return g->grants >= VFBC_PF_SOCK_GRANTS;
}

/* Log a refused open or a dropped connection, within the budget; srv->lock held. */
#define PF_SOCK_REFUSED(srv, conn, vf, why, status) do { \
	if (pf_sock_log_ok(srv)) \
		PF_MBOX_LOG(WARNING, "port %u: socket open of VF %d by pid %d uid %u refused: " \
			    "%s (%s)", (srv)->port_id, (vf), (int)(conn)->pid, \
			    (unsigned int)(conn)->uid, (why), strerror(-(status))); \
} while (0)

static void
pf_sock_conn_free(struct pf_sock_conn *conn)
{
	rte_intr_instance_free(conn->intr);
	if (conn->fd >= 0)
		close(conn->fd);
	free(conn);
}

/* rte_intr_callback_unregister_pending(): the callback has returned. */
static void
pf_sock_conn_free_cb(struct rte_intr_handle *intr __rte_unused, void *arg)
{
	pf_sock_conn_free(arg);
}

/* Is the claim of vf still word? */
static int
pf_sock_claim_is(struct vfbc_channel *ch, uint16_t vf, uint64_t word)
{
	uint32_t epoch;
	pid_t pid;

	if (vfbc_channel_claim_get(ch, vf, &pid, &epoch) < 0)
		return 0;
	return ((uint64_t)epoch << 32 | (uint32_t)pid) == word;
}

/*
 * Take conn off the list (srv->lock held): from now on its taker alone
 * closes it. A holder's claim is revoked if it is still the one granted
 * to this connection, and never when the PF granted the VF since to a
 * live process. The claim word is in the consumer's region, which it can
 * write: a consumer that wrote another word there does not keep its claim
 * past its connection by that (the PF's own record then shows no live
 * grant). Nobody is granted the VF between a holder's grant and its
 * detach (a new grant first detaches the old holder), so this never
 * takes back a newer claim.
 */
static void
pf_sock_conn_detach(struct vfbc_pf_sock *srv, struct pf_sock_conn *conn)
{
	TAILQ_REMOVE(&srv->conns, conn, next);
	conn->gone = 1;
	if (conn->state == PF_SOCK_PENDING) {
		srv->nb_pending--;
		return;
	}
	if (srv->holders[conn->vf] == conn)
		srv->holders[conn->vf] = NULL;
	if (pf_sock_claim_is(srv->ch, conn->vf, conn->word) ||
	    vfbc_channel_claim_granted(srv->ch, conn->vf, NULL) != 1)
		vfbc_channel_claim_revoke(srv->ch, conn->vf);
}

/*
 * Close a connection the interrupt thread took off the list, from any
 * callback of this file, its own included (then the EAL frees it once the
 * callback returns).
 */
static void
pf_sock_conn_release(struct pf_sock_conn *conn)
{
	int ret;

	/* In its own timeout, the alarm is ending anyway (EINPROGRESS). */
	rte_eal_alarm_cancel(pf_sock_timeout_cb, conn);
	ret = rte_intr_callback_unregister(conn->intr, pf_sock_conn_cb, conn);
	if (ret == -EAGAIN &&
	    rte_intr_callback_unregister_pending(conn->intr, pf_sock_conn_cb, conn,
						 pf_sock_conn_free_cb) > 0)
		return;
	pf_sock_conn_free(conn);
}

/* Has the peer of a holder connection hung up (or sent more, which ends it too)? */
static int
pf_sock_conn_ended(const struct pf_sock_conn *conn)
{
	struct pollfd p = { .fd = conn->fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) > 0 && p.revents != 0;
}

static void
pf_sock_reply_init(struct vfbc_sock_open_reply *r, int status, uint16_t vf)
{
	memset(r, 0, sizeof(*r));
	vfbc_sock_msg_hdr_init(&r->hdr, VFBC_SOCK_MSG_OPEN_REPLY, sizeof(*r));
	r->status = status;
	r->vf_id = vf;
}

/* Send a reply, with the nb_fds descriptors of fds (SCM_RIGHTS, at most 2). 0 or -errno. */
static int
pf_sock_send(int sock, const struct vfbc_sock_open_reply *r, const int *fds,
	     unsigned int nb_fds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 2)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)r, .iov_len = sizeof(*r) };
	struct msghdr mh;
	struct cmsghdr *c;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nb_fds > 2)
		return -EINVAL;
	if (nb_fds > 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nb_fds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nb_fds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nb_fds);
	}
	/* A fresh socket's buffer is empty: one message never blocks. */
	n = sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*r) ? 0 : -EIO;
}

/*
 * The open as received (n bytes, recvmsg() flags): -EBADMSG or
 * -EPROTONOSUPPORT with *why, or 0. The magic first (is it ours at all?),
 * then the version (a later major may have another layout), then the rest.
 */
static int
pf_sock_open_check(const struct vfbc_sock_open *o, ssize_t n, int flags, const char **why)
{
	uint32_t i;

	if (flags & (MSG_TRUNC | MSG_CTRUNC)) {
		*why = flags & MSG_CTRUNC ? "ancillary data sent" : "message too long";
		return -EBADMSG;
	}
	if (n < (ssize_t)sizeof(o->hdr) || o->hdr.magic != VFBC_SOCK_MAGIC) {
		*why = n < (ssize_t)sizeof(o->hdr) ? "message too short" : "bad magic";
		return -EBADMSG;
	}
	if (o->hdr.version_major != VFBC_SOCK_VERSION_MAJOR) {
		*why = "other major version";
		return -EPROTONOSUPPORT;
	}
	*why = "malformed open";
	if (n != (ssize_t)sizeof(*o) || o->hdr.len != sizeof(*o) ||
	    o->hdr.type != VFBC_SOCK_MSG_OPEN || o->hdr.rsvd != 0 || o->rsvd != 0)
		return -EBADMSG;
	if (o->secret_len == 0 || o->secret_len > VFBC_SOCK_SECRET_MAX) {
		*why = "secret length out of range";
		return -EBADMSG;
	}
	for (i = o->secret_len; i < VFBC_SOCK_SECRET_MAX; i++)
		if (o->secret[i] != 0) {
			*why = "bytes after the secret";
			return -EBADMSG;
		}
	return 0;
}

/*
 * The same time whatever the secrets hold: every byte compared, the
 * differences OR-ed, no early exit. Both are zero past their length.
 */
static int
pf_sock_secret_equal(const struct pf_sock_secret *s, const struct vfbc_sock_open *o)
{
	uint32_t diff = s->len ^ o->secret_len;
	unsigned int i;

	for (i = 0; i < VFBC_SOCK_SECRET_MAX; i++)
		diff |= s->bytes[i] ^ o->secret[i];
	return diff == 0;
}

/*
 * Decide a valid open of conn and, when granted, answer it (region fd and
 * wake socket included) and make conn the VF's holder. Returns 0 (answered) or the
 * status to answer, *why set. *ended: a holder found gone, for the caller
 * to release after the locks.
 */
static int
pf_sock_grant(struct vfbc_pf_sock *srv, struct pf_sock_conn *conn,
	      const struct vfbc_sock_open *o, const char **why, struct pf_sock_conn **ended)
{
	struct vfbc_pf_proc *pf = srv->pf;
	struct vfbc_sock_open_reply r;
	struct rte_pci_addr addr;
	struct pf_sock_guesser *guesser;
	struct pf_sock_conn *h;
	uint16_t vf = o->vf_id;
	unsigned int nb_fds;
	uint64_t word;
	int enabled, ret;
	int fds[2];

	/*
	 * pf->ctrl: a VF enable/disable (and the refresh of the channel's
	 * addresses after it, which revokes the claims of VFs gone) runs
	 * wholly before or after this grant. May wait for one in progress
	 * (seconds), never for this thread.
	 */
	pthread_mutex_lock(&pf->ctrl);
	pthread_rwlock_rdlock(&pf->lock);
	enabled = vf < srv->nb_vfs && vf < pf->nb_vfs &&
		  vfbc_channel_vf_addr_get(srv->ch, vf, &addr) == 0;
	pthread_rwlock_unlock(&pf->lock);
	pthread_mutex_lock(&srv->lock);
	if (srv->closing || conn->gone) {
		*why = "port closing";
		ret = -EAGAIN;
		goto out;
	}
	if (!enabled) {
		*why = vf < srv->nb_vfs ? "VF not enabled" : "no such VF";
		ret = -ENODEV;
		goto out;
	}
	guesser = pf_sock_guesser(srv, vf, conn->uid);
	if (guesser->fails >= VFBC_PF_SOCK_SECRET_FAILS) {
		*why = "too many wrong secrets for the VF from this uid this second";
		ret = -EAGAIN;
		goto out;
	}
	if (srv->secrets[vf].len == 0 || !pf_sock_secret_equal(&srv->secrets[vf], o)) {
		*why = srv->secrets[vf].len == 0 ? "no secret set for the VF" : "wrong secret";
		guesser->fails++;
		ret = -EACCES;
		goto out;
	}
	if (pf_sock_grants_spent(srv, vf)) {
		*why = "too many opens of the VF this second";
		ret = -EAGAIN;
		goto out;
	}
	h = srv->holders[vf];
	if (h != NULL) {
		/* Its hang-up may be queued behind this open: look now. */
		if (!pf_sock_conn_ended(h)) {
			*why = "VF held by a live consumer";
			ret = -EBUSY;
			goto out;
		}
		pf_sock_conn_detach(srv, h);
		*ended = h;
	}
	ret = vfbc_channel_claim_grant(srv->ch, vf, conn->pid, -1, -1, &word);
	if (ret < 0) {
		if (ret == -EBUSY || ret == -EALREADY) {
			*why = "VF held by a live consumer";
			ret = -EBUSY;
		} else {
			*why = "grant failed";
		}
		goto out;
	}
	pf_sock_reply_init(&r, 0, vf);
	r.nb_vfs = srv->nb_vfs;
	r.claim = word;
	r.region_size = vfbc_channel_region_size();
	r.pf_pid = (uint32_t)getpid();
	strlcpy(r.pf_name, pf->pf_dev->name, sizeof(r.pf_name));
	fds[0] = vfbc_channel_region_fd(srv->ch, vf);
	/*
	 * A consumer of minor 2 or later sleeps on a wake socket of its
	 * claim, sent with the region. Without one (no descriptor left) it
	 * is granted all the same: only its sleep mode is refused.
	 */
	nb_fds = 1;
	if (conn->minor >= 2) {
		fds[1] = vfbc_channel_wake_pair(srv->ch, vf, word);
		if (fds[1] >= 0)
			nb_fds = 2;
		else if (pf_sock_log_ok(srv))
			PF_MBOX_LOG(WARNING, "port %u VF %u: no wake socket for pid %d: %s",
				    srv->port_id, vf, (int)conn->pid, strerror(-fds[1]));
	}
	ret = fds[0] >= 0 ? pf_sock_send(conn->fd, &r, fds, nb_fds) : fds[0];
	/* Sent (the consumer has its copy), or not: the PF keeps its own end only. */
	if (nb_fds == 2)
		close(fds[1]);
	if (ret < 0) {
		/* Nobody got the word: take it back. */
		if (pf_sock_claim_is(srv->ch, vf, word))
			vfbc_channel_claim_revoke(srv->ch, vf);
		*why = "cannot send the region";
		goto out;
	}
	srv->guesses[vf].grants++;
	conn->state = PF_SOCK_HOLDER;
	conn->vf = vf;
	conn->word = word;
	srv->nb_pending--;
	srv->holders[vf] = conn;
	/* Within the budget: a consumer that knows its secret may open in a loop. */
	if (pf_sock_log_ok(srv))
		PF_MBOX_LOG(NOTICE, "port %u VF %u: granted to pid %d uid %u over the socket "
			    "(claim 0x%016" PRIx64 ")", srv->port_id, vf, (int)conn->pid,
			    (unsigned int)conn->uid, word);
out:
	pthread_mutex_unlock(&srv->lock);
	pthread_mutex_unlock(&pf->ctrl);
	return ret;
}

/* A pending connection is readable: its open, a hang-up, or nothing (spurious). */
static void
pf_sock_conn_open(struct vfbc_pf_sock *srv, struct pf_sock_conn *conn)
{
	union {
		struct vfbc_sock_open o;
		uint8_t raw[sizeof(struct vfbc_sock_open) + 1];
	} m;
	struct iovec iov = { .iov_base = m.raw, .iov_len = sizeof(m.raw) };
	struct pf_sock_conn *ended = NULL;
	struct vfbc_sock_open_reply r;
	const char *why = NULL;
	struct msghdr mh;
	int status, mine, vf = -1;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	/* No control buffer: descriptors a client sends are never installed here. */
	n = recvmsg(conn->fd, &mh, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		pthread_mutex_lock(&srv->lock);
		if (!conn->gone) {
			pf_sock_conn_detach(srv, conn);
			PF_MBOX_LOG(DEBUG, "port %u: pid %d closed its connection without an "
				    "open", srv->port_id, (int)conn->pid);
		} else {
			conn = NULL;
		}
		pthread_mutex_unlock(&srv->lock);
		if (conn != NULL)
			pf_sock_conn_release(conn);
		return;
	}
	status = pf_sock_open_check(&m.o, n, mh.msg_flags, &why);
	if (status == 0)
		vf = m.o.vf_id;
	if (status == 0 &&
	    ((srv->uid != VFBC_PF_SOCKET_ID_ANY && conn->uid != srv->uid) ||
	     (srv->gid != VFBC_PF_SOCKET_ID_ANY && conn->gid != srv->gid))) {
		why = "peer uid/gid not allowed (socket_uid, socket_gid)";
		status = -EACCES;
	}
	if (status == 0 && conn->pid <= 0) {
		why = "peer pid unknown (another pid namespace?)";
		status = -EACCES;
	}
	if (status == 0) {
		conn->minor = m.o.hdr.version_minor;
		status = pf_sock_grant(srv, conn, &m.o, &why, &ended);
	}
	explicit_bzero(&m, sizeof(m));
	if (ended != NULL)
		pf_sock_conn_release(ended);
	if (status == 0) {
		/* A holder now: its timeout is over. */
		rte_eal_alarm_cancel(pf_sock_timeout_cb, conn);
		return;
	}
	pthread_mutex_lock(&srv->lock);
	PF_SOCK_REFUSED(srv, conn, vf, why, status);
	/* Gone: _stop() has it, and closes its socket once this callback returns. */
	mine = !conn->gone;
	if (mine)
		pf_sock_conn_detach(srv, conn);
	pthread_mutex_unlock(&srv->lock);
	pf_sock_reply_init(&r, status, vf >= 0 ? (uint16_t)vf : 0);
	pf_sock_send(conn->fd, &r, NULL, 0);
	if (mine)
		pf_sock_conn_release(conn);
}

/* A connection's socket is readable or hung up (interrupt thread). */
static void
pf_sock_conn_cb(void *arg)
{
	struct pf_sock_conn *conn = arg;
	struct vfbc_pf_sock *srv = conn->srv;
	uint8_t byte;
	ssize_t n;
	int state;

	pthread_mutex_lock(&srv->lock);
	state = conn->gone ? -1 : conn->state;
	pthread_mutex_unlock(&srv->lock);
	if (state < 0)
		return;
	if (state == PF_SOCK_PENDING) {
		pf_sock_conn_open(srv, conn);
		return;
	}
	/* A holder: a hang-up, or a message the protocol does not have. */
	n = recv(conn->fd, &byte, sizeof(byte), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	pthread_mutex_lock(&srv->lock);
	if (conn->gone) {
		pthread_mutex_unlock(&srv->lock);
		return;
	}
	pf_sock_conn_detach(srv, conn);
	if (pf_sock_log_ok(srv))
		PF_MBOX_LOG(NOTICE, "port %u VF %u: consumer pid %d %s: connection closed, "
			    "claim released", srv->port_id, conn->vf, (int)conn->pid,
			    n > 0 ? "sent more than its open" : "hung up");
	pthread_mutex_unlock(&srv->lock);
	pf_sock_conn_release(conn);
}

/* A connection did not send its open in time (interrupt thread). */
static void
pf_sock_timeout_cb(void *arg)
{
	struct pf_sock_conn *conn = arg;
	struct vfbc_pf_sock *srv = conn->srv;

	pthread_mutex_lock(&srv->lock);
	if (conn->gone || conn->state != PF_SOCK_PENDING) {
		pthread_mutex_unlock(&srv->lock);
		return;
	}
	pf_sock_conn_detach(srv, conn);
	if (pf_sock_log_ok(srv))
		PF_MBOX_LOG(WARNING, "port %u: pid %d uid %u sent no open in %u ms: "
			    "connection closed", srv->port_id, (int)conn->pid,
			    (unsigned int)conn->uid, VFBC_PF_SOCK_OPEN_TIMEOUT_US / 1000);
	pthread_mutex_unlock(&srv->lock);
	pf_sock_conn_release(conn);
}

/* Data (or a hang-up) waits on fd: the peer is not idle. */
static int
pf_sock_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* One accepted socket: a pending connection, or nothing (closed here). */
static void
pf_sock_accept_one(struct vfbc_pf_sock *srv, int fd)
{
	struct pf_sock_conn *conn, *old = NULL, *c;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	memset(&cred, 0, sizeof(cred));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	PF_MBOX_LOG(INFO, "port %u: socket connection from pid %d uid %u gid %u",
		    srv->port_id, (int)cred.pid, (unsigned int)cred.uid, (unsigned int)cred.gid);
	conn = calloc(1, sizeof(*conn));
	if (conn == NULL) {
		close(fd);
		return;
	}
	conn->srv = srv;
	conn->fd = fd;
	conn->pid = cred.pid;
	conn->uid = cred.uid;
	conn->gid = cred.gid;
	conn->state = PF_SOCK_PENDING;
	conn->intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (conn->intr == NULL || rte_intr_fd_set(conn->intr, fd) != 0 ||
	    rte_intr_type_set(conn->intr, RTE_INTR_HANDLE_EXT) != 0 ||
	    rte_intr_callback_register(conn->intr, pf_sock_conn_cb, conn) != 0) {
		PF_MBOX_LOG(ERR, "port %u: cannot watch a socket connection", srv->port_id);
		pf_sock_conn_free(conn);
		return;
	}
	if (rte_eal_alarm_set(VFBC_PF_SOCK_OPEN_TIMEOUT_US, pf_sock_timeout_cb, conn) != 0) {
		PF_MBOX_LOG(ERR, "port %u: cannot time a socket connection", srv->port_id);
		rte_intr_callback_unregister(conn->intr, pf_sock_conn_cb, conn);
		pf_sock_conn_free(conn);
		return;
	}
	pthread_mutex_lock(&srv->lock);
	if (srv->closing) {
		pthread_mutex_unlock(&srv->lock);
		rte_eal_alarm_cancel(pf_sock_timeout_cb, conn);
		rte_intr_callback_unregister(conn->intr, pf_sock_conn_cb, conn);
		pf_sock_conn_free(conn);
		return;
	}
	/*
	 * Idle connections are bounded: the oldest one that is really idle
	 * makes room for the newest. One whose open is queued is not idle
	 * (the interrupt thread has not read it yet): with no idle one left,
	 * the newest goes instead.
	 */
	if (srv->nb_pending >= VFBC_PF_SOCK_MAX_PENDING) {
		TAILQ_FOREACH(c, &srv->conns, next)
			if (c->state == PF_SOCK_PENDING && !pf_sock_readable(c->fd))
				break;
		if (c == NULL) {
			pthread_mutex_unlock(&srv->lock);
			rte_eal_alarm_cancel(pf_sock_timeout_cb, conn);
			rte_intr_callback_unregister(conn->intr, pf_sock_conn_cb, conn);
			pf_sock_conn_free(conn);
			return;
		}
		pf_sock_conn_detach(srv, c);
		old = c;
		if (pf_sock_log_ok(srv))
			PF_MBOX_LOG(WARNING, "port %u: %u connections without an open: "
				    "closing the oldest idle one, pid %d uid %u", srv->port_id,
				    VFBC_PF_SOCK_MAX_PENDING, (int)c->pid,
				    (unsigned int)c->uid);
	}
	TAILQ_INSERT_TAIL(&srv->conns, conn, next);
	srv->nb_pending++;
	pthread_mutex_unlock(&srv->lock);
	if (old != NULL)
		pf_sock_conn_release(old);
}

/* The listening socket is readable (interrupt thread). */
static void
pf_sock_listen_cb(void *arg)
{
	struct vfbc_pf_sock *srv = arg;
	unsigned int i;
	int fd;

	for (i = 0; i < PF_SOCK_ACCEPT_BURST; i++) {
		fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
				pthread_mutex_lock(&srv->lock);
				if (pf_sock_log_ok(srv))
					PF_MBOX_LOG(ERR, "port %u: accept on %s: %s",
						    srv->port_id, srv->path, strerror(errno));
				pthread_mutex_unlock(&srv->lock);
			}
			return;
		}
		pf_sock_accept_one(srv, fd);
	}
}

/*
 * Bind srv->listen_fd to srv->path. A socket file there that nobody
 * accepts on (a PF that died) is stale and replaced; a live socket or any
 * other file is left alone and refused.
 */
static int
pf_sock_bind(struct vfbc_pf_sock *srv, const struct sockaddr_un *sa)
{
	struct stat st;
	int probe, ret, err;

	if (bind(srv->listen_fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		return 0;
	err = errno;
	if (err != EADDRINUSE) {
		PF_INIT_LOG(ERR, "port %u: socket=%s: cannot bind: %s", srv->port_id, srv->path,
			    strerror(err));
		return -err;
	}
	if (lstat(srv->path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		PF_INIT_LOG(ERR, "port %u: socket=%s: the path exists and is not a socket",
			    srv->port_id, srv->path);
		return -EEXIST;
	}
	probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (probe < 0)
		return -errno;
	ret = connect(probe, (const struct sockaddr *)sa, sizeof(*sa));
	err = errno;
	close(probe);
	if (ret == 0 || err != ECONNREFUSED) {
		PF_INIT_LOG(ERR, "port %u: socket=%s: in use by a live process (connect: %s)",
			    srv->port_id, srv->path, ret == 0 ? "accepted" : strerror(err));
		return -EADDRINUSE;
	}
	PF_INIT_LOG(NOTICE, "port %u: socket=%s: replacing a stale socket", srv->port_id,
		    srv->path);
	if (unlink(srv->path) != 0 && errno != ENOENT) {
		err = errno;
		PF_INIT_LOG(ERR, "port %u: socket=%s: cannot remove the stale socket: %s",
			    srv->port_id, srv->path, strerror(err));
		return -err;
	}
	if (bind(srv->listen_fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0) {
		err = errno;
		PF_INIT_LOG(ERR, "port %u: socket=%s: cannot bind: %s", srv->port_id, srv->path,
			    strerror(err));
		return -err;
	}
	return 0;
}

static void
pf_sock_free(struct vfbc_pf_sock *srv)
{
	if (srv->secrets != NULL) {
		explicit_bzero(srv->secrets, srv->secrets_size);
		munmap(srv->secrets, srv->secrets_size);
	}
	free(srv->holders);
	free(srv->guesses);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

/* The secrets' own pages: out of core dumps and swap (best effort), not in a fork. */
static int
pf_sock_secrets_map(struct vfbc_pf_sock *srv)
{
	void *p;

	srv->secrets_size = RTE_ALIGN_CEIL(sizeof(srv->secrets[0]) * srv->nb_vfs,
					   (size_t)sysconf(_SC_PAGESIZE));
	p = mmap(NULL, srv->secrets_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	madvise(p, srv->secrets_size, MADV_DONTDUMP);
	madvise(p, srv->secrets_size, MADV_WIPEONFORK);
	mlock(p, srv->secrets_size);
	srv->secrets = p;
	return 0;
}

int
vfbc_pf_socket_start(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_sock *srv;
	struct sockaddr_un sa;
	struct stat st;
	int ret;

	if (pf->args.socket_path[0] == '\0')
		return 0;
	if (pf->mb == NULL) {
		PF_INIT_LOG(ERR, "port %u: socket=%s: the PF has no VF to serve (no SR-IOV, "
			    "TotalVFs 0 or max_vfs=0)", pf->port_id, pf->args.socket_path);
		return -ENOTSUP;
	}
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return -ENOMEM;
	srv->pf = pf;
	srv->ch = pf->mb->ch;
	srv->port_id = pf->port_id;
	srv->nb_vfs = vfbc_channel_nb_vfs(srv->ch);
	srv->uid = pf->args.socket_uid;
	srv->gid = pf->args.socket_gid;
	srv->listen_fd = -1;
	strlcpy(srv->path, pf->args.socket_path, sizeof(srv->path));
	pthread_mutex_init(&srv->lock, NULL);
	TAILQ_INIT(&srv->conns);
	srv->holders = calloc(srv->nb_vfs, sizeof(srv->holders[0]));
	srv->guesses = calloc(srv->nb_vfs, sizeof(srv->guesses[0]));
	if (srv->holders == NULL || srv->guesses == NULL) {
		pf_sock_free(srv);
		return -ENOMEM;
	}
	ret = pf_sock_secrets_map(srv);
	if (ret < 0) {
		pf_sock_free(srv);
		return ret;
	}

	srv->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (srv->listen_fd < 0) {
		ret = -errno;
		pf_sock_free(srv);
		return ret;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strlcpy(sa.sun_path, srv->path, sizeof(sa.sun_path));
	ret = pf_sock_bind(srv, &sa);
	if (ret < 0)
		goto fail_close;
	if (stat(srv->path, &st) == 0) {
		srv->sock_dev = st.st_dev;
		srv->sock_ino = st.st_ino;
	}
	if (listen(srv->listen_fd, PF_SOCK_BACKLOG) != 0) {
		ret = -errno;
		PF_INIT_LOG(ERR, "port %u: socket=%s: cannot listen: %s", pf->port_id, srv->path,
			    strerror(-ret));
		goto fail_unlink;
	}
	srv->listen_intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (srv->listen_intr == NULL || rte_intr_fd_set(srv->listen_intr, srv->listen_fd) ||
	    rte_intr_type_set(srv->listen_intr, RTE_INTR_HANDLE_EXT)) {
		ret = -ENOMEM;
		goto fail_unlink;
	}
	ret = rte_intr_callback_register(srv->listen_intr, pf_sock_listen_cb, srv);
	if (ret < 0) {
		PF_INIT_LOG(ERR, "port %u: socket=%s: cannot watch it: %s", pf->port_id,
			    srv->path, strerror(-ret));
		goto fail_unlink;
	}
	pf->sock = srv;
	PF_INIT_LOG(INFO, "port %u: serving isolated consumers of %u VFs on %s", pf->port_id,
		    srv->nb_vfs, srv->path);
	return 0;

fail_unlink:
	unlink(srv->path);
fail_close:
	rte_intr_instance_free(srv->listen_intr);
	close(srv->listen_fd);
	pf_sock_free(srv);
	return ret;
}

/*
 * Tell a holder what the PF did to its VF (srv->lock held), with the VF's
 * life as the PF keeps it. Never waits. Each message carries the whole
 * lines, so a hint is sent only once the holder has read the previous one
 * (its region says the same meanwhile): at most one waits unread, and the
 * farewell (bye: a disable, a revoke, the port's close, after which the
 * holder's region is no longer the VF's) always finds room.
 */
static void
pf_sock_life_send(struct vfbc_pf_sock *srv, const struct pf_sock_conn *h, uint32_t cause,
		  int bye)
{
	struct vfbc_channel_life life;
	struct vfbc_sock_life m;
	int unread = 0;

	if (h->minor < 1 || vfbc_channel_life_get(srv->ch, h->vf, &life) < 0)
		return;
	if (!bye && ioctl(h->fd, SIOCOUTQ, &unread) == 0 && unread > 0)
		return;
	memset(&m, 0, sizeof(m));
	vfbc_sock_msg_hdr_init(&m.hdr, VFBC_SOCK_MSG_LIFE, sizeof(m));
	m.cause = cause;
	m.seq = life.seq;
	m.state = life.state;
	RTE_BUILD_BUG_ON(sizeof(m.count) != sizeof(life.count));
	RTE_BUILD_BUG_ON(sizeof(m.log) != sizeof(life.log));
	memcpy(m.count, life.count, sizeof(m.count));
	memcpy(m.log, life.log, sizeof(m.log));
	(void)send(h->fd, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL);
}

void
vfbc_pf_socket_stop(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_sock *srv = pf->sock;
	struct pf_sock_conn *conn;
	struct stat st;

	if (srv == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	srv->closing = 1;
	pthread_mutex_unlock(&srv->lock);
	/* No new connection after this: the listener's callback has returned. */
	rte_intr_callback_unregister_sync(srv->listen_intr, pf_sock_listen_cb, srv);
	rte_intr_instance_free(srv->listen_intr);
	close(srv->listen_fd);
	/* Only the file this PF bound: another may have replaced it since. */
	if (lstat(srv->path, &st) == 0 && st.st_dev == srv->sock_dev &&
	    st.st_ino == srv->sock_ino)
		unlink(srv->path);
	for (;;) {
		pthread_mutex_lock(&srv->lock);
		conn = TAILQ_FIRST(&srv->conns);
		if (conn != NULL && conn->state == PF_SOCK_HOLDER)
			pf_sock_life_send(srv, conn, VFBC_SOCK_LIFE_PF_CLOSED, 1);
		if (conn != NULL)
			pf_sock_conn_detach(srv, conn);
		pthread_mutex_unlock(&srv->lock);
		if (conn == NULL)
			break;
		/* Wait for its callbacks to see it gone, then close: a hang-up. */
		rte_eal_alarm_cancel(pf_sock_timeout_cb, conn);
		rte_intr_callback_unregister_sync(conn->intr, pf_sock_conn_cb, conn);
		pf_sock_conn_free(conn);
	}
	pf->sock = NULL;
	PF_INIT_LOG(INFO, "port %u: socket %s closed", pf->port_id, srv->path);
	pf_sock_free(srv);
}

void
vfbc_pf_socket_life(struct vfbc_pf_proc *pf, uint16_t vf, uint32_t cause)
{
	struct vfbc_pf_sock *srv = pf->sock;

	if (srv == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	if (vf < srv->nb_vfs && srv->holders[vf] != NULL)
		pf_sock_life_send(srv, srv->holders[vf], cause, 0);
	pthread_mutex_unlock(&srv->lock);
}

void
vfbc_pf_socket_sync(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_sock *srv = pf->sock;
	struct rte_pci_addr addr;
	struct pf_sock_conn *h;
	uint16_t vf;
	int gone;

	if (srv == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	for (vf = 0; vf < srv->nb_vfs; vf++) {
		h = srv->holders[vf];
		if (h == NULL)
			continue;
		gone = vfbc_channel_vf_addr_get(srv->ch, vf, &addr) != 0;
		if (pf_sock_claim_is(srv->ch, vf, h->word) && !gone)
			continue;
		/* Why, before the hang-up: its region is already a new one's. */
		pf_sock_life_send(srv, h, gone ? VFBC_CHANNEL_LIFE_DISABLED :
				  VFBC_SOCK_LIFE_REVOKED, 1);
		/*
		 * The consumer sees the hang-up now; the interrupt thread sees
		 * it too and closes the connection (the claim is not its own
		 * any more: nothing to revoke). Until then a new open of the
		 * VF finds this holder ended and takes its place.
		 */
		shutdown(h->fd, SHUT_RDWR);
		PF_MBOX_LOG(NOTICE, "port %u VF %u: claim of pid %d revoked: socket connection "
			    "closed", srv->port_id, vf, (int)h->pid);
	}
	pthread_mutex_unlock(&srv->lock);
}

int
vfbc_pf_socket_set_secret(struct vfbc_pf_proc *pf, uint16_t vf, const char *secret)
{
	struct vfbc_pf_sock *srv = pf->sock;
	struct pf_sock_secret *s;
	size_t len;

	if (srv == NULL)
		return -ENOTSUP;
	if (vf >= srv->nb_vfs)
		return -EINVAL;
	len = secret != NULL ? strnlen(secret, VFBC_SOCK_SECRET_MAX + 1) : 0;
	if (len > VFBC_SOCK_SECRET_MAX)
		return -EINVAL;
	s = &srv->secrets[vf];
	pthread_mutex_lock(&srv->lock);
	explicit_bzero(s, sizeof(*s));
	if (len != 0)
		memcpy(s->bytes, secret, len);
	s->len = (uint32_t)len;
	pthread_mutex_unlock(&srv->lock);
	PF_MBOX_LOG(INFO, "port %u VF %u: socket secret %s", pf->port_id, vf,
		    len != 0 ? "set" : "removed");
	return 0;
}
