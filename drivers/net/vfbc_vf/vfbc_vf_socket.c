/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * An isolated port's connection to its PF (vfbc_sock_msg.h): connect to the
 * PF's control socket, send one open message with the VF's secret, take one
 * answer and, when the PF grants the VF, the region fd with it (and the
 * claim's wake socket, for the sleep mode); map the region and adopt the
 * claim word granted. The connection then stays open
 * for the claim's life and is watched on EAL's interrupt thread: the PF
 * closing it (it died, its port closed, the VF was disabled or taken back)
 * marks the port dead, as the primary's death does in a secondary.
 *
 * The PF is not trusted more than it must be: every answer is checked
 * (size, magic, type, version, VF, fd count) before anything of it is
 * used, a descriptor it sends is never left open when the answer is
 * refused, and no step waits without a deadline.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_string_fns.h>

#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

/* The whole exchange, connect to answer: a live PF answers in microseconds. */
#define VF_SOCK_DEADLINE_MS	2000
/* Descriptors one answer may carry before it is truncated: more than 2 are refused. */
#define VF_SOCK_MAX_FDS		4

_Static_assert(VFBC_VF_SOCK_PATH_SIZE == sizeof(((struct sockaddr_un *)0)->sun_path),
	       "socket path size");
_Static_assert(VFBC_VF_PF_NAME_SIZE ==
	       sizeof(((struct vfbc_sock_open_reply *)0)->pf_name), "PF name size");

static int64_t
vf_sock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline, 0 when past it. */
static int
vf_sock_left_ms(int64_t deadline)
{
	int64_t left = deadline - vf_sock_now_ms();

	return left > 0 ? (int)left : 0;
}

/* Wait for events on fd until the deadline: 0, or -ETIMEDOUT / -errno. */
static int
vf_sock_wait(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int left, n;

	for (;;) {
		left = vf_sock_left_ms(deadline);
		if (left == 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/*
 * A non-blocking connection to path. A Unix listener with a full backlog
 * answers EAGAIN at once instead of making connect() wait: retried until
 * the deadline.
 */
static int
vf_sock_connect(struct vfbc_vf_proc *proc, int64_t deadline)
{
	struct sockaddr_un sa;
	int fd, ret;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlcpy(sa.sun_path, proc->sock_path, sizeof(sa.sun_path)) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		ret = -errno;
		if (ret == -EINTR)
			continue;
		if (ret != -EAGAIN || vf_sock_left_ms(deadline) == 0)
			break;
		usleep(1000);
	}
	close(fd);
	if (ret == -EAGAIN)
		ret = -ETIMEDOUT;
	return ret;
}

static int
vf_sock_send_open(struct vfbc_vf_proc *proc, int fd, int64_t deadline)
{
	struct vfbc_sock_open msg;
	ssize_t n;
	int ret;

	memset(&msg, 0, sizeof(msg));
	vfbc_sock_msg_hdr_init(&msg.hdr, VFBC_SOCK_MSG_OPEN, sizeof(msg));
	msg.vf_id = proc->vf_id;
	msg.secret_len = proc->secret_len;
	memcpy(msg.secret, proc->secret, proc->secret_len);
	for (;;) {
		n = send(fd, &msg, sizeof(msg), MSG_NOSIGNAL);
		if (n == (ssize_t)sizeof(msg)) {
			ret = 0;
			break;
		}
		if (n >= 0) {
			/* A SEQPACKET message is sent whole or not at all. */
			ret = -EIO;
			break;
		}
		ret = -errno;
		if (ret == -EINTR)
			continue;
		if (ret != -EAGAIN)
			break;
		ret = vf_sock_wait(fd, POLLOUT, deadline);
		if (ret < 0)
			break;
	}
	explicit_bzero(&msg, sizeof(msg));
	return ret;
}

/*
 * Receive the PF's one answer: its bytes (n), the descriptors it carried
 * (fds[], *nb_fds, all of them this process's to close) and the message
 * flags. 0, or -errno; -ECONNRESET if the PF closed without answering.
 */
static int
vf_sock_recv_reply(int fd, int64_t deadline, struct vfbc_sock_open_reply *reply,
		   size_t *n_out, int *fds, unsigned int *nb_fds, int *msg_flags)
{
	/* One byte more than a reply: a longer message shows as too long, not as a reply. */
	union {
		struct vfbc_sock_open_reply reply;
		uint8_t bytes[sizeof(struct vfbc_sock_open_reply) + 1];
	} buf;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * VF_SOCK_MAX_FDS)];
	} ctl;
	struct cmsghdr *cmsg;
	struct msghdr mh;
	struct iovec iov;
	unsigned int i, nb;
	ssize_t n;
	int ret;

	*nb_fds = 0;
	for (;;) {
		memset(&mh, 0, sizeof(mh));
		memset(&ctl, 0, sizeof(ctl));
		iov.iov_base = &buf;
		iov.iov_len = sizeof(buf);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		/* Every descriptor received is close-on-exec from the start. */
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (n >= 0)
			break;
		ret = -errno;
		if (ret == -EINTR)
			continue;
		if (ret != -EAGAIN)
			return ret;
		ret = vf_sock_wait(fd, POLLIN, deadline);
		if (ret < 0)
			return ret;
	}
	/* Collect every descriptor first, so that none leaks whatever the answer. */
	for (cmsg = CMSG_FIRSTHDR(&mh); cmsg != NULL; cmsg = CMSG_NXTHDR(&mh, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
				cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		nb = (unsigned int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < nb && *nb_fds < VF_SOCK_MAX_FDS; i++)
			memcpy(&fds[(*nb_fds)++], CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
	}
	if (n == 0 && *nb_fds == 0)
		return -ECONNRESET;
	memcpy(reply, &buf.reply, sizeof(*reply));
	*n_out = (size_t)n;
	*msg_flags = mh.msg_flags;
	return 0;
}

static void
vf_sock_close_fds(int *fds, unsigned int nb_fds)
{
	unsigned int i;

	for (i = 0; i < nb_fds; i++)
		close(fds[i]);
}

static const char *
vf_sock_errname(int err)
{
	const char *s = strerrorname_np(-err);

	return s != NULL ? s : "?";
}

/* The PF's refusal, for the operator: what it means, and its errno name. */
static void
vf_sock_refused_log(const struct vfbc_vf_proc *proc, const struct vfbc_sock_open_reply *r)
{
	const char *why;

	switch (r->status) {
	case -EACCES:
		why = "the PF refused the secret (or this user)";
		break;
	case -ENODEV:
		why = "the PF has no such VF, or it is not enabled";
		break;
	case -EBUSY:
		why = "the VF is held by another live consumer";
		break;
	case -EAGAIN:
		why = "the PF is not serving now (its port is closing, or this VF had too "
		      "many wrong secrets this second)";
		break;
	case -EBADMSG:
		why = "the PF found the open message malformed";
		break;
	case -EPROTONOSUPPORT:
		VF_LOG(ERR, "port %u: VF %u: the PF at %s speaks protocol %u.%u, this consumer "
		       "%u.%u (EPROTONOSUPPORT)", proc->port_id, proc->vf_id, proc->sock_path,
		       r->hdr.version_major, r->hdr.version_minor, VFBC_SOCK_VERSION_MAJOR,
		       VFBC_SOCK_VERSION_MINOR);
		return;
	default:
		why = strerror(-r->status);
		break;
	}
	VF_LOG(ERR, "port %u: VF %u: %s (%s), PF socket %s", proc->port_id, proc->vf_id, why,
	       vf_sock_errname(r->status), proc->sock_path);
}

/* NUL-terminated, printable ASCII: the name goes into logs and displays as it is. */
static int
vf_sock_name_ok(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size && name[i] != '\0'; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return 0;
	return i < size;
}

/* A wake socket as the PF makes them: an AF_UNIX datagram socket. */
static int
vf_sock_is_dgram(int fd)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	int type = 0;
	socklen_t tlen = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 || type != SOCK_DGRAM)
		return 0;
	return getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sun_family == AF_UNIX;
}

/*
 * Check an answer of n bytes with nb_fds descriptors: 0 for a grant, the
 * PF's status for a refusal, -EPROTO (logged) for anything else.
 */
static int
vf_sock_reply_check(const struct vfbc_vf_proc *proc, const struct vfbc_sock_open_reply *r,
		    size_t n, const int *fds, unsigned int nb_fds, int msg_flags)
{
	const char *bad = NULL;

	if ((msg_flags & MSG_CTRUNC) != 0)
		bad = "more descriptors than fit";
	else if (n != sizeof(*r) || (msg_flags & MSG_TRUNC) != 0)
		bad = "an answer of the wrong size";
	else if (r->hdr.magic != VFBC_SOCK_MAGIC)
		bad = "a bad magic";
	else if (r->hdr.type != VFBC_SOCK_MSG_OPEN_REPLY)
		bad = "a message that is not an open reply";
	else if (r->hdr.len != sizeof(*r))
		bad = "a bad length field";
	else if (r->hdr.version_major != VFBC_SOCK_VERSION_MAJOR &&
			r->status != -EPROTONOSUPPORT)
		bad = "another major version";
	else if (r->status > 0 || r->status < -4095)
		bad = "a status that is no errno";
	else if (r->status != 0 && nb_fds != 0)
		bad = "a refusal that carries a descriptor";
	if (bad == NULL && r->status != 0)
		return r->status;
	if (bad == NULL) {
		if (nb_fds != 1 && (nb_fds != 2 || r->hdr.version_minor < 2))
			bad = nb_fds == 2 ? "a wake socket from a PF of minor 0 or 1" :
				"a grant without one descriptor, or two";
		else if (nb_fds == 2 && !vf_sock_is_dgram(fds[1]))
			bad = "a wake socket that is no datagram socket";
		else if (r->vf_id != proc->vf_id)
			bad = "a grant of another VF";
		else if (r->nb_vfs <= proc->vf_id)
			bad = "a grant of a VF beyond the PF's VFs";
		else if (r->claim == 0)
			bad = "a grant without a claim word";
		else if (r->region_size != vfbc_channel_region_size())
			bad = "a region of another size";
		else if (!vf_sock_name_ok(r->pf_name, sizeof(r->pf_name)))
			bad = "a PF name that is not printable text";
	}
	if (bad == NULL)
		return 0;
	VF_LOG(ERR, "port %u: VF %u: the PF at %s answered %s (%zu bytes, %u descriptor%s): "
	       "refused (EPROTO)", proc->port_id, proc->vf_id, proc->sock_path, bad, n, nb_fds,
	       nb_fds == 1 ? "" : "s");
	return -EPROTO;
}

/*
 * Map the region fd, or keep the handle of the same region mapped by an
 * earlier claim. The PF gives a new holder a new file (a former holder
 * keeps the old one): that one is mapped in place of the old one, at the
 * same addresses (vfbc_channel_region_remap()), so that a thread still in
 * a call that read proc->ch never touches unmapped memory, and nothing
 * piles up claim after claim.
 */
static int
vf_sock_attach(struct vfbc_vf_proc *proc, int fd)
{
	struct vfbc_channel *ch;
	struct stat st;
	int ret;

	if (fstat(fd, &st) != 0)
		return -errno;
	if (proc->ch != NULL && st.st_dev == proc->region_dev && st.st_ino == proc->region_ino)
		return 0;
	if (proc->ch != NULL && vfbc_channel_is_isolated(proc->ch)) {
		ret = vfbc_channel_region_remap(proc->ch, fd);
		if (ret < 0) {
			VF_LOG(ERR, "port %u: VF %u: cannot map the region the PF sent: %s",
			       proc->port_id, proc->vf_id, strerror(-ret));
			return ret;
		}
	} else {
		ch = vfbc_channel_attach_region(fd, proc->vf_id);
		if (ch == NULL) {
			VF_LOG(ERR, "port %u: VF %u: cannot map the region the PF sent: %s",
			       proc->port_id, proc->vf_id, rte_strerror(rte_errno));
			return rte_errno == EPROTO ? -EPROTO : -rte_errno;
		}
		/* Atomic: an idle poll reads it without a lock (vfbc_vf_mbox_poll_idle()). */
		__atomic_store_n(&proc->ch, ch, __ATOMIC_RELAXED);
	}
	proc->region_dev = st.st_dev;
	proc->region_ino = st.st_ino;
	return 0;
}

/* A LIFE message of this protocol, whole? */
static int
vf_sock_life_ok(const struct vfbc_sock_life *m, ssize_t n, int flags)
{
	return n == (ssize_t)sizeof(*m) && (flags & (MSG_TRUNC | MSG_CTRUNC)) == 0 &&
		m->hdr.magic == VFBC_SOCK_MAGIC &&
		m->hdr.version_major == VFBC_SOCK_VERSION_MAJOR &&
		m->hdr.type == VFBC_SOCK_MSG_LIFE && m->hdr.len == sizeof(*m) &&
		m->cause <= VFBC_SOCK_LIFE_MAX;
}

/*
 * The connection is readable: what the PF did to the VF (LIFE messages,
 * handed to the life watch), or the PF closed the connection (or sent what
 * it never sends, which ends it as well). Closed: once, for good, the fd
 * stays readable.
 */
static void
vf_sock_hangup(void *arg)
{
	struct vfbc_vf_proc *proc = arg;
	union {
		struct vfbc_sock_life m;
		uint8_t raw[sizeof(struct vfbc_sock_life) + 1];
	} u;
	struct iovec iov = { .iov_base = u.raw, .iov_len = sizeof(u.raw) };
	struct msghdr mh;
	ssize_t n;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		/* No control buffer: a descriptor the peer sends is never installed. */
		n = recvmsg(proc->sock_fd, &mh, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0 || !vf_sock_life_ok(&u.m, n, mh.msg_flags))
			break;
		vfbc_vf_life_sock_msg(proc, &u.m);
	}
	if (__atomic_exchange_n(&proc->dead, 1, __ATOMIC_RELAXED) == 0) {
		vfbc_vf_fp_publish(proc);
		VF_LOG(ERR, "port %u: VF %u: the PF at %s %s: backchannel down, calls return "
		       "-ENOTCONN until the port claims again", proc->port_id, proc->vf_id,
		       proc->sock_path, n > 0 ? "sent an unexpected message" :
		       "closed the connection");
	}
	rte_intr_callback_unregister_pending(proc->sock_intr, vf_sock_hangup, proc, NULL);
	/* The application learns it now, with the reason the PF gave, if any. */
	vfbc_vf_life_kick(proc);
}

static int
vf_sock_watch(struct vfbc_vf_proc *proc, int fd)
{
	struct rte_intr_handle *h;
	int ret = -ENOMEM;

	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h != NULL) {
		ret = rte_intr_type_set(h, RTE_INTR_HANDLE_EXT);
		if (ret == 0)
			ret = rte_intr_fd_set(h, fd);
	}
	if (ret < 0) {
		rte_intr_instance_free(h);
		return ret;
	}
	/* Registered with sock_fd set: the callback may run at once. */
	proc->sock_fd = fd;
	proc->sock_intr = h;
	ret = rte_intr_callback_register(h, vf_sock_hangup, proc);
	if (ret < 0) {
		proc->sock_intr = NULL;
		proc->sock_fd = -1;
		rte_intr_instance_free(h);
	}
	return ret;
}

void
vfbc_vf_sock_close(struct vfbc_vf_proc *proc)
{
	int i, ret;

	if (proc->sock_intr != NULL) {
		/* -EAGAIN: the callback is running right now; it is short. */
		for (i = 0; i < 1000; i++) {
			ret = rte_intr_callback_unregister(proc->sock_intr, vf_sock_hangup, proc);
			if (ret != -EAGAIN)
				break;
			usleep(1000);
		}
		rte_intr_instance_free(proc->sock_intr);
		proc->sock_intr = NULL;
	}
	if (proc->sock_fd >= 0)
		close(proc->sock_fd);
	proc->sock_fd = -1;
	if (proc->sock_wake >= 0)
		close(proc->sock_wake);
	proc->sock_wake = -1;
}

int
vfbc_vf_sock_open(struct vfbc_vf_proc *proc)
{
	struct vfbc_sock_open_reply reply;
	int fds[VF_SOCK_MAX_FDS];
	unsigned int nb_fds = 0;
	int64_t deadline;
	int msg_flags = 0;
	size_t n = 0;
	int fd, ret;

	if (proc->sock_fd >= 0)
		return -EALREADY;
	deadline = vf_sock_now_ms() + VF_SOCK_DEADLINE_MS;
	fd = vf_sock_connect(proc, deadline);
	if (fd < 0) {
		VF_LOG(ERR, "port %u: VF %u: cannot connect to the PF at %s: %s (%s)",
		       proc->port_id, proc->vf_id, proc->sock_path, strerror(-fd),
		       vf_sock_errname(fd));
		return fd;
	}
	ret = vf_sock_send_open(proc, fd, deadline);
	if (ret == 0)
		ret = vf_sock_recv_reply(fd, deadline, &reply, &n, fds, &nb_fds, &msg_flags);
	if (ret < 0) {
		VF_LOG(ERR, "port %u: VF %u: no answer from the PF at %s: %s (%s)",
		       proc->port_id, proc->vf_id, proc->sock_path,
		       ret == -ECONNRESET ? "it closed the connection" : strerror(-ret),
		       vf_sock_errname(ret));
		goto fail;
	}
	ret = vf_sock_reply_check(proc, &reply, n, fds, nb_fds, msg_flags);
	if (ret < 0) {
		if (ret != -EPROTO)
			vf_sock_refused_log(proc, &reply);
		goto fail;
	}
	ret = vf_sock_attach(proc, fds[0]);
	/* The handle holds its own duplicate; the wake socket is the sleep mode's. */
	close(fds[0]);
	if (proc->sock_wake >= 0)
		close(proc->sock_wake);
	proc->sock_wake = nb_fds == 2 ? fds[1] : -1;
	nb_fds = 0;
	if (ret < 0)
		goto fail;
	ret = vfbc_channel_claim_adopt(proc->ch, proc->vf_id, reply.claim);
	if (ret < 0) {
		VF_LOG(ERR, "port %u: VF %u: cannot take up the claim the PF granted: %s (%s)",
		       proc->port_id, proc->vf_id, strerror(-ret), vf_sock_errname(ret));
		goto fail;
	}
	/*
	 * The wake socket wakes the PF's sleeping service too: without it the
	 * requests still get there, by the service's sweep.
	 */
	if (proc->sock_wake >= 0) {
		ret = vfbc_channel_service_wake_adopt(proc->ch, proc->vf_id, proc->sock_wake);
		if (ret < 0)
			VF_LOG(WARNING, "port %u: VF %u: requests cannot wake a sleeping PF: %s",
			       proc->port_id, proc->vf_id, strerror(-ret));
	}
	ret = vf_sock_watch(proc, fd);
	if (ret < 0) {
		/* Unwatched, a dead PF would go unnoticed: no claim without the watch. */
		VF_LOG(ERR, "port %u: VF %u: cannot watch the PF's connection: %s",
		       proc->port_id, proc->vf_id, strerror(-ret));
		(void)vfbc_channel_release(proc->ch, proc->vf_id);
		goto fail;
	}
	strlcpy(proc->pf_name, reply.pf_name, sizeof(proc->pf_name));
	if (rte_pci_addr_parse(proc->pf_name, &proc->pf_addr) != 0)
		memset(&proc->pf_addr, 0, sizeof(proc->pf_addr));
	proc->pf_pid = reply.pf_pid;
	VF_LOG(INFO, "port %u: VF %u of PF %s (pid %u, %u VFs) opened through %s",
	       proc->port_id, proc->vf_id, proc->pf_name, reply.pf_pid, reply.nb_vfs,
	       proc->sock_path);
	return 0;
fail:
	vf_sock_close_fds(fds, nb_fds);
	if (proc->sock_wake >= 0)
		close(proc->sock_wake);
	proc->sock_wake = -1;
	close(fd);
	return ret;
}
