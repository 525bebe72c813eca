/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_isolated against a PF written here: the test process creates an
 * isolated channel and serves its control socket from a thread, answering
 * each open as the case says (a grant with the region fd, a refusal, or
 * garbage); the consumer port lives in the same process. Proves that the
 * whole VF API works on the port (poll, callbacks, block reads, requests,
 * info, release and claim again), that the PF's hang-up turns every call
 * into -ENOTCONN within a bounded time (a request waiting for its answer
 * included), that the PF's refusal is the probe's error, that garbage is
 * refused with -EPROTO without leaking a descriptor, and that bad devargs
 * are refused.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_testpmd_session.h"
#include "vfbc_pmd_vf.h"
#include "vfbc_sock_msg.h"

#define ISO_CH_NAME	"t_vfiso"
#define ISO_NB_VFS	4
#define ISO_VF		1
#define ISO_SECRET	"s3cret"
#define ISO_DEV		"net_vfbc_isolated0"
/* What a call may take, at most, to see that the PF hung up. */
#define ISO_HANGUP_MS	1000

/* How the test's PF answers the next open. */
enum iso_mode {
	ISO_GRANT,		/* the region fd, if the secret and VF are right */
	ISO_GRANT_WAKE,		/* ... and the claim's wake socket, as the PF of minor 2 */
	ISO_WAKE_STREAM,	/* status 0, the region and a stream socket for a wake one */
	ISO_WAKE_MINOR1,	/* status 0, the region and a wake socket, said by minor 1 */
	ISO_STATUS,		/* iso_srv.status, no fd */
	ISO_SHORT,		/* a reply cut short */
	ISO_LONG,		/* a reply with a byte too many */
	ISO_NO_FD,		/* status 0 without the fd */
	ISO_TWO_FDS,		/* status 0 with two fds */
	ISO_MANY_FDS,		/* status 0 with more fds than the consumer takes */
	ISO_BAD_MAGIC,
	ISO_BAD_TYPE,
	ISO_OTHER_VF,		/* a grant of another VF's region */
	ISO_STATUS_FD,		/* a refusal that carries an fd */
	ISO_HANG_UP,		/* close without answering */
	ISO_SILENT,		/* never answer */
};

static struct {
	struct vfbc_channel *ch;
	int listen_fd;
	char path[108];
	pthread_t thread;
	int stop;
	pthread_mutex_t lock;
	enum iso_mode mode;
	int32_t status;
	int conn_fd;		/* the granted connection */
	int silent_fd;		/* the connection left unanswered */
	unsigned int nb_opens;
	struct vfbc_sock_open last;
} iso_srv = { .listen_fd = -1, .conn_fd = -1, .silent_fd = -1,
	      .lock = PTHREAD_MUTEX_INITIALIZER };

/* The PF's request service: answers while answering is on. */
static struct {
	pthread_t thread;
	int stop;
	int mute;
	unsigned int nb_reqs;
	struct vfbc_channel_req last;
} iso_pf;

static uint64_t iso_cb_or;
static unsigned int iso_cb_calls;

static int64_t
iso_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
iso_count_fds(void)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* What each descriptor is, for the report of a leak. */
static void
iso_dump_fds(void)
{
	char link[300], target[256];
	struct dirent *e;
	ssize_t n;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("  fd %s -> %s\n", e->d_name, target);
	}
	closedir(d);
}

/*
 * The count of descriptors once it settles at want: EAL's interrupt thread
 * recreates its epoll fd whenever a source comes or goes.
 */
static int
iso_fds_settle(int want)
{
	/* The interrupt thread closes its side late on a loaded machine (CI). */
	int64_t end = iso_now_ms() + 10000;
	int n;

	do {
		n = iso_count_fds();
		if (n == want)
			break;
		usleep(10000);
	} while (iso_now_ms() < end);
	if (n != want)
		iso_dump_fds();
	return n;
}

static int
iso_send(int fd, const void *buf, size_t len, const int *fds, unsigned int nb_fds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 8)];
	} ctl;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct msghdr mh;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
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
	return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static void
iso_reply_init(struct vfbc_sock_open_reply *r, int32_t status, uint16_t vf)
{
	memset(r, 0, sizeof(*r));
	vfbc_sock_msg_hdr_init(&r->hdr, VFBC_SOCK_MSG_OPEN_REPLY, sizeof(*r));
	r->status = status;
	r->vf_id = vf;
	r->nb_vfs = ISO_NB_VFS;
	r->region_size = vfbc_channel_region_size();
	r->pf_pid = (uint32_t)getpid();
	snprintf(r->pf_name, sizeof(r->pf_name), "%s", ISO_CH_NAME);
}

/* The granted connection becomes the one iso_srv_hang_up() closes. */
static void
iso_srv_publish(int conn)
{
	pthread_mutex_lock(&iso_srv.lock);
	if (iso_srv.conn_fd >= 0)
		close(iso_srv.conn_fd);
	iso_srv.conn_fd = conn;
	pthread_mutex_unlock(&iso_srv.lock);
}

/* A grant that could not be sent: closed, unless a hang-up already closed it. */
static void
iso_srv_unpublish(int conn)
{
	pthread_mutex_lock(&iso_srv.lock);
	if (iso_srv.conn_fd == conn) {
		close(conn);
		iso_srv.conn_fd = -1;
	}
	pthread_mutex_unlock(&iso_srv.lock);
}

/* Answer one open as the mode says; the connection is kept only when granted. */
static void
iso_serve(int conn)
{
	struct vfbc_sock_open_reply r;
	struct vfbc_sock_open m;
	uint8_t big[sizeof(r) + 1];
	struct ucred cred;
	socklen_t cred_len = sizeof(cred);
	int fds[6], pair[2];
	enum iso_mode mode;
	int32_t status;
	uint64_t word;
	ssize_t n;
	unsigned int i;

	n = recv(conn, &m, sizeof(m), 0);
	pthread_mutex_lock(&iso_srv.lock);
	mode = iso_srv.mode;
	status = iso_srv.status;
	iso_srv.nb_opens++;
	if (n == (ssize_t)sizeof(m))
		iso_srv.last = m;
	pthread_mutex_unlock(&iso_srv.lock);
	/* The claim goes to the peer, this process or a vfbc-testpmd it started. */
	if (n != (ssize_t)sizeof(m) ||
			getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) != 0) {
		close(conn);
		return;
	}
	fds[0] = vfbc_channel_region_fd(iso_srv.ch, ISO_VF);
	for (i = 1; i < RTE_DIM(fds); i++)
		fds[i] = fds[0];
	iso_reply_init(&r, 0, ISO_VF);
	switch (mode) {
	case ISO_GRANT:
	case ISO_GRANT_WAKE:
		if (m.vf_id >= ISO_NB_VFS) {
			iso_reply_init(&r, -ENODEV, m.vf_id);
		} else if (m.secret_len != strlen(ISO_SECRET) ||
				memcmp(m.secret, ISO_SECRET, m.secret_len) != 0) {
			iso_reply_init(&r, -EACCES, m.vf_id);
		} else if (vfbc_channel_claim_grant(iso_srv.ch, m.vf_id, cred.pid, -1, -1,
						    &word) < 0) {
			iso_reply_init(&r, -EBUSY, m.vf_id);
		} else {
			r.vf_id = m.vf_id;
			r.claim = word;
			fds[0] = vfbc_channel_region_fd(iso_srv.ch, m.vf_id);
			/*
			 * Published before the grant is sent: the consumer's claim returns
			 * once it reads the grant, and the test may hang up at once.
			 */
			iso_srv_publish(conn);
			fds[1] = mode == ISO_GRANT_WAKE ?
				vfbc_channel_wake_pair(iso_srv.ch, m.vf_id, word) : -1;
			if (iso_send(conn, &r, sizeof(r), fds, fds[1] >= 0 ? 2 : 1) != 0)
				iso_srv_unpublish(conn);
			if (fds[1] >= 0)
				close(fds[1]);
			return;
		}
		iso_send(conn, &r, sizeof(r), NULL, 0);
		break;
	case ISO_STATUS:
		iso_reply_init(&r, status, ISO_VF);
		iso_send(conn, &r, sizeof(r), NULL, 0);
		break;
	case ISO_SHORT:
		r.claim = 1;
		iso_send(conn, &r, sizeof(r) - 8, fds, 1);
		break;
	case ISO_LONG:
		r.claim = 1;
		memset(big, 0, sizeof(big));
		memcpy(big, &r, sizeof(r));
		iso_send(conn, big, sizeof(big), fds, 1);
		break;
	case ISO_NO_FD:
		r.claim = 1;
		iso_send(conn, &r, sizeof(r), NULL, 0);
		break;
	case ISO_TWO_FDS:
		r.claim = 1;
		iso_send(conn, &r, sizeof(r), fds, 2);
		break;
	case ISO_MANY_FDS:
		r.claim = 1;
		iso_send(conn, &r, sizeof(r), fds, RTE_DIM(fds));
		break;
	case ISO_WAKE_STREAM:
	case ISO_WAKE_MINOR1:
		r.claim = 1;
		if (mode == ISO_WAKE_MINOR1)
			r.hdr.version_minor = 1;
		if (socketpair(AF_UNIX, (mode == ISO_WAKE_STREAM ? SOCK_STREAM : SOCK_DGRAM) |
			       SOCK_CLOEXEC, 0, pair) == 0) {
			fds[1] = pair[1];
			iso_send(conn, &r, sizeof(r), fds, 2);
			close(pair[0]);
			close(pair[1]);
		}
		break;
	case ISO_BAD_MAGIC:
		r.claim = 1;
		r.hdr.magic ^= 1;
		iso_send(conn, &r, sizeof(r), fds, 1);
		break;
	case ISO_BAD_TYPE:
		r.claim = 1;
		r.hdr.type = VFBC_SOCK_MSG_OPEN;
		iso_send(conn, &r, sizeof(r), fds, 1);
		break;
	case ISO_OTHER_VF:
		r.claim = 1;
		r.vf_id = ISO_VF + 1;
		fds[0] = vfbc_channel_region_fd(iso_srv.ch, ISO_VF + 1);
		iso_send(conn, &r, sizeof(r), fds, 1);
		break;
	case ISO_STATUS_FD:
		iso_reply_init(&r, -EACCES, ISO_VF);
		iso_send(conn, &r, sizeof(r), fds, 1);
		break;
	case ISO_HANG_UP:
		break;
	case ISO_SILENT:
		pthread_mutex_lock(&iso_srv.lock);
		if (iso_srv.silent_fd >= 0)
			close(iso_srv.silent_fd);
		iso_srv.silent_fd = conn;
		pthread_mutex_unlock(&iso_srv.lock);
		return;
	}
	close(conn);
}

static void *
iso_srv_main(void *arg __rte_unused)
{
	struct pollfd p = { .fd = iso_srv.listen_fd, .events = POLLIN };
	int conn;

	while (!__atomic_load_n(&iso_srv.stop, __ATOMIC_RELAXED)) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		conn = accept4(iso_srv.listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn >= 0)
			iso_serve(conn);
	}
	return NULL;
}

static void *
iso_pf_main(void *arg __rte_unused)
{
	struct vfbc_channel_req req;
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	unsigned int i;

	while (!__atomic_load_n(&iso_pf.stop, __ATOMIC_RELAXED)) {
		if (__atomic_load_n(&iso_pf.mute, __ATOMIC_RELAXED) ||
				vfbc_channel_request_dequeue(iso_srv.ch, ISO_VF, &req) != 1) {
			usleep(200);
			continue;
		}
		/* Muted since the check above: this PF is gone, it answers nothing. */
		if (__atomic_load_n(&iso_pf.mute, __ATOMIC_RELAXED))
			continue;
		/* Under the lock: a vfbc-testpmd's requests have no ordering with this process. */
		pthread_mutex_lock(&iso_srv.lock);
		iso_pf.last = req;
		pthread_mutex_unlock(&iso_srv.lock);
		__atomic_fetch_add(&iso_pf.nb_reqs, 1, __ATOMIC_RELEASE);
		for (i = 0; i < req.len && i < sizeof(data); i++)
			data[i] = (uint8_t)(0xa0 + i);
		vfbc_channel_respond(iso_srv.ch, ISO_VF, &req, 0, data,
				     req.type == VFBC_CHANNEL_REQ_CFG_READ ? req.len : 0);
	}
	return NULL;
}

/* Close the granted connection, as a PF that dies does. */
static void
iso_srv_hang_up(void)
{
	pthread_mutex_lock(&iso_srv.lock);
	if (iso_srv.conn_fd >= 0)
		close(iso_srv.conn_fd);
	iso_srv.conn_fd = -1;
	if (iso_srv.silent_fd >= 0)
		close(iso_srv.silent_fd);
	iso_srv.silent_fd = -1;
	pthread_mutex_unlock(&iso_srv.lock);
}

static void
iso_srv_mode(enum iso_mode mode, int32_t status)
{
	pthread_mutex_lock(&iso_srv.lock);
	iso_srv.mode = mode;
	iso_srv.status = status;
	pthread_mutex_unlock(&iso_srv.lock);
}

/* 1 once the PF's side of the granted connection sees the consumer hang up. */
static int
iso_srv_peer_closed(void)
{
	struct pollfd p;
	int ret = 1;

	pthread_mutex_lock(&iso_srv.lock);
	if (iso_srv.conn_fd >= 0) {
		p.fd = iso_srv.conn_fd;
		p.events = POLLIN;
		ret = poll(&p, 1, 1000) == 1 && (p.revents & (POLLIN | POLLHUP)) != 0;
	}
	pthread_mutex_unlock(&iso_srv.lock);
	return ret;
}

static int
iso_suite_setup(void)
{
	struct sockaddr_un sa;
	int ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	if (ret != TEST_SUCCESS)
		return ret;
	iso_srv.ch = vfbc_channel_create_isolated(ISO_CH_NAME, ISO_NB_VFS);
	TEST_ASSERT_NOT_NULL(iso_srv.ch, "isolated channel: %s", rte_strerror(rte_errno));
	snprintf(iso_srv.path, sizeof(iso_srv.path), "/tmp/vfbc-iso-test-%d.sock",
		 (int)getpid());
	unlink(iso_srv.path);
	iso_srv.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	TEST_ASSERT(iso_srv.listen_fd >= 0, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", iso_srv.path);
	TEST_ASSERT_SUCCESS(bind(iso_srv.listen_fd, (struct sockaddr *)&sa, sizeof(sa)),
			    "bind %s: %s", iso_srv.path, strerror(errno));
	TEST_ASSERT_SUCCESS(listen(iso_srv.listen_fd, 8), "listen");
	TEST_ASSERT_SUCCESS(pthread_create(&iso_srv.thread, NULL, iso_srv_main, NULL),
			    "server thread");
	TEST_ASSERT_SUCCESS(pthread_create(&iso_pf.thread, NULL, iso_pf_main, NULL),
			    "PF thread");
	return TEST_SUCCESS;
}

static void
iso_suite_teardown(void)
{
	__atomic_store_n(&iso_srv.stop, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&iso_pf.stop, 1, __ATOMIC_RELAXED);
	pthread_join(iso_srv.thread, NULL);
	pthread_join(iso_pf.thread, NULL);
	iso_srv_hang_up();
	close(iso_srv.listen_fd);
	unlink(iso_srv.path);
	vfbc_channel_free(iso_srv.ch);
}

static int
iso_probe(const char *extra, uint16_t *port)
{
	char args[512];
	int ret;

	snprintf(args, sizeof(args), "socket=%s,vf=%u%s%s", iso_srv.path, ISO_VF,
		 extra[0] != '\0' ? "," : "", extra);
	ret = rte_vdev_init(ISO_DEV, args);
	if (ret == 0 && port != NULL && rte_eth_dev_get_port_by_name(ISO_DEV, port) != 0)
		return -ENODEV;
	return ret;
}

static void
iso_cb(uint16_t port_id __rte_unused, uint64_t mask, void *arg __rte_unused)
{
	iso_cb_or |= mask;
	iso_cb_calls++;
}

/* Poll until the mask has every bit of want (or 1 s): the delivered OR. */
static uint64_t
iso_poll_for(uint16_t port, uint64_t want)
{
	int64_t end = iso_now_ms() + 1000;
	uint64_t got = 0, m;

	do {
		if (vfbc_vf_poll(port, &m) == 1)
			got |= m;
	} while ((got & want) != want && iso_now_ms() < end);
	return got;
}

static int
test_vf_isolated_api_should_work_on_the_port(void)
{
	struct vfbc_channel_req last;
	struct rte_eth_dev_info dinfo;
	struct vfbc_vf_info info;
	uint8_t blk[16], buf[VFBC_VF_BLOCK_SIZE];
	unsigned int i, reqs;
	uint64_t mask;
	uint16_t port;
	int fds0, ret;

	fds0 = iso_count_fds();
	iso_srv_mode(ISO_GRANT, 0);
	ret = iso_probe("secret=" ISO_SECRET, &port);
	TEST_ASSERT_SUCCESS(ret, "probe: %s", strerror(-ret));
	TEST_ASSERT_EQUAL(iso_srv.last.vf_id, ISO_VF, "the open named VF %u", iso_srv.last.vf_id);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &dinfo), "dev info");
	TEST_ASSERT(strcmp(dinfo.driver_name, "net_vfbc_isolated") == 0, "driver %s",
		    dinfo.driver_name);
	TEST_ASSERT_SUCCESS(vfbc_vf_get_info(port, &info), "info");
	TEST_ASSERT(info.isolated && info.claimed && info.connected && info.vf_id_valid &&
		    info.vf_id == ISO_VF, "info: isolated %u claimed %u connected %u VF %u",
		    info.isolated, info.claimed, info.connected, info.vf_id);
	TEST_ASSERT(strcmp(info.pf_name, ISO_CH_NAME) == 0, "PF name %s", info.pf_name);
	TEST_ASSERT_EQUAL(info.consumer_pid, (int32_t)getpid(), "consumer %d",
			  info.consumer_pid);

	/* Invalidations reach the poll and the callbacks. */
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(port, iso_cb, NULL), "cb");
	iso_cb_or = 0;
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(iso_srv.ch, ISO_VF, 0x5), "invalidate");
	TEST_ASSERT_EQUAL(iso_poll_for(port, 0x5) & 0x5, 0x5, "invalidation not delivered");
	TEST_ASSERT_EQUAL(iso_cb_or & 0x5, 0x5, "callback got 0x%" PRIx64, iso_cb_or);
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_unregister(port, iso_cb, NULL), "cb");
	/*
	 * A PF that sent no wake socket (minor 1, or none left): no sleep; a
	 * wait without one (timeout 0) is a bounded poll still.
	 */
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(port, &mask, 0, 0), 0, "poll_wait, no sleep");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(port, &mask, 100, -1), -ENOTSUP, "poll_wait forever");
	TEST_ASSERT_EQUAL(vfbc_vf_wake_callbacks_enable(port), -ENOTSUP, "wake callbacks");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(port, NULL, 0, 0), -EINVAL, "poll_wait, mask NULL");

	/* A block the PF wrote. */
	for (i = 0; i < sizeof(blk); i++)
		blk[i] = (uint8_t)(i * 3 + 1);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(iso_srv.ch, ISO_VF, 7, blk, sizeof(blk)),
			    "block write");
	ret = vfbc_vf_read_config_block(port, 7, buf, sizeof(buf));
	TEST_ASSERT_EQUAL(ret, (int)sizeof(blk), "block read: %d", ret);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, blk, sizeof(blk), "block contents");

	/* Requests reach the PF's dequeue, and its answers come back. */
	reqs = __atomic_load_n(&iso_pf.nb_reqs, __ATOMIC_ACQUIRE);
	ret = vfbc_vf_write_config_block(port, 9, blk, 8, 1000);
	TEST_ASSERT_SUCCESS(ret, "block write request: %s", strerror(-ret));
	TEST_ASSERT_EQUAL(__atomic_load_n(&iso_pf.nb_reqs, __ATOMIC_ACQUIRE), reqs + 1,
			  "the PF saw no request");
	pthread_mutex_lock(&iso_srv.lock);
	last = iso_pf.last;
	pthread_mutex_unlock(&iso_srv.lock);
	TEST_ASSERT(last.type == VFBC_CHANNEL_REQ_BLOCK_WRITE && last.target == 9 &&
		    last.len == 8 && memcmp(last.data, blk, 8) == 0,
		    "the PF saw type %u target %u len %u", last.type, last.target, last.len);
	ret = vfbc_vf_read_bus_data(port, 0x40, buf, 4, 1000);
	TEST_ASSERT_EQUAL(ret, 4, "bus read: %d", ret);
	TEST_ASSERT(buf[0] == 0xa0 && buf[3] == 0xa3, "bus read data %02x..%02x", buf[0],
		    buf[3]);
	ret = vfbc_vf_write_bus_data(port, 0x40, blk, 2, 1000);
	TEST_ASSERT_EQUAL(ret, 2, "bus write: %d", ret);

	/* Release closes the connection; a claim opens a new one. */
	TEST_ASSERT_SUCCESS(vfbc_vf_release(port), "release");
	TEST_ASSERT(iso_srv_peer_closed(), "the PF's connection is still open after release");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(port, NULL), -EPERM, "poll after release");
	TEST_ASSERT_SUCCESS(vfbc_vf_get_info(port, &info), "info");
	TEST_ASSERT(!info.claimed && !info.connected, "released, yet claimed %u connected %u",
		    info.claimed, info.connected);
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(port), "claim again");
	TEST_ASSERT_EQUAL(vfbc_vf_claim(port), -EALREADY, "claim twice");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(iso_srv.ch, ISO_VF, 0x8), "invalidate");
	TEST_ASSERT_EQUAL(iso_poll_for(port, 0x8) & 0x8, 0x8, "nothing after the new claim");
	ret = vfbc_vf_write_config_block(port, 9, blk, 8, 1000);
	TEST_ASSERT_SUCCESS(ret, "request after the new claim: %s", strerror(-ret));

	/* Closing the port hangs up, and leaves no descriptor behind. */
	TEST_ASSERT_SUCCESS(rte_vdev_uninit(ISO_DEV), "uninit");
	TEST_ASSERT(iso_srv_peer_closed(), "the PF's connection is still open after close");
	/* As the PF does on the hang-up: drops the holder's pidfd too. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	iso_srv_hang_up();
	TEST_ASSERT_EQUAL(iso_fds_settle(fds0), fds0, "descriptors leaked");
	return TEST_SUCCESS;
}

struct iso_inv_arg {
	unsigned int delay_ms;
	uint64_t mask;
};

/* The PF's invalidate, from another thread once the consumer sleeps. */
static void *
iso_inv_main(void *arg)
{
	const struct iso_inv_arg *a = arg;

	rte_delay_us_sleep(a->delay_ms * 1000);
	(void)vfbc_channel_invalidate(iso_srv.ch, ISO_VF, a->mask);
	return NULL;
}

static uint64_t
iso_wakeups(void)
{
	struct vfbc_channel_stats st;

	if (vfbc_channel_stats_get(iso_srv.ch, ISO_VF, &st) != 0)
		return UINT64_MAX;
	return st.wakeups;
}

/* Sleep in vfbc_vf_poll_wait() until the PF invalidates want: woken, not timed out. */
static int
iso_sleep_once(uint16_t port, uint64_t want)
{
	struct iso_inv_arg a = { .delay_ms = 100, .mask = want };
	uint64_t mask = 0, wakes;
	int64_t t0, ms;
	pthread_t t;
	int ret;

	wakes = iso_wakeups();
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, iso_inv_main, &a), "thread");
	t0 = iso_now_ms();
	ret = vfbc_vf_poll_wait(port, &mask, 0, 10000);
	ms = iso_now_ms() - t0;
	pthread_join(t, NULL);
	TEST_ASSERT_EQUAL(ret, 1, "poll_wait: %d after %" PRId64 " ms", ret, ms);
	TEST_ASSERT((mask & want) == want, "woken with 0x%" PRIx64, mask);
	/* The timeout is 10 s: a wait this short was woken. */
	TEST_ASSERT(ms < 5000, "poll_wait took %" PRId64 " ms", ms);
	TEST_ASSERT(iso_wakeups() > wakes, "the PF sent no wake (%" PRIu64 " before, %" PRIu64
		    " after): the wait spun", wakes, iso_wakeups());
	return TEST_SUCCESS;
}

/*
 * Sleep mode on an isolated port: its wake socket comes with the region, a
 * new one with each claim; the adaptive wait and the callback mode sleep
 * until the PF invalidates; nothing is left open at the close.
 */
static int
test_vf_isolated_sleep_should_wake_on_invalidation(void)
{
	uint64_t mask, end;
	uint16_t port;
	int fds0, ret;

	fds0 = iso_count_fds();
	iso_srv_mode(ISO_GRANT_WAKE, 0);
	ret = iso_probe("secret=" ISO_SECRET, &port);
	TEST_ASSERT_SUCCESS(ret, "probe: %s", strerror(-ret));
	/* What an earlier holder left (the "all blocks" of a takeover): delivered first. */
	while (vfbc_vf_poll(port, &mask) == 1)
		;
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(port, &mask, 0, 0), 0, "nothing due");
	TEST_ASSERT_EQUAL(iso_sleep_once(port, 0x10), TEST_SUCCESS, "first sleep");
	TEST_ASSERT_EQUAL(iso_sleep_once(port, 0x20), TEST_SUCCESS, "second sleep");
	/* Bits invalidated before the wait: delivered at once, no sleep. */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(iso_srv.ch, ISO_VF, 0x40), "invalidate");
	TEST_ASSERT_EQUAL(vfbc_vf_poll_wait(port, &mask, 0, 10000), 1, "due before the wait");
	TEST_ASSERT_EQUAL(mask & 0x40, 0x40, "mask 0x%" PRIx64, mask);

	/* A new claim brings a new socket; the old claim's is not the way any more. */
	TEST_ASSERT_SUCCESS(vfbc_vf_release(port), "release");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(port), "claim again");
	while (vfbc_vf_poll(port, &mask) == 1)
		;
	TEST_ASSERT_EQUAL(iso_sleep_once(port, 0x80), TEST_SUCCESS, "sleep after a new claim");

	/* Callback mode: EAL's interrupt thread sleeps and delivers. */
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(port, iso_cb, NULL), "cb");
	iso_cb_or = 0;
	TEST_ASSERT_SUCCESS(vfbc_vf_wake_callbacks_enable(port), "wake callbacks");
	rte_delay_us_sleep(50 * 1000);
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(iso_srv.ch, ISO_VF, 0x100), "invalidate");
	end = (uint64_t)iso_now_ms() + 5000;
	while ((__atomic_load_n(&iso_cb_or, __ATOMIC_RELAXED) & 0x100) == 0 &&
			(uint64_t)iso_now_ms() < end)
		rte_delay_us_sleep(1000);
	TEST_ASSERT_EQUAL(__atomic_load_n(&iso_cb_or, __ATOMIC_RELAXED) & 0x100, 0x100,
			  "the interrupt thread delivered 0x%" PRIx64, iso_cb_or);
	TEST_ASSERT_SUCCESS(vfbc_vf_wake_callbacks_disable(port), "wake callbacks off");
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_unregister(port, iso_cb, NULL), "cb");

	TEST_ASSERT_SUCCESS(rte_vdev_uninit(ISO_DEV), "uninit");
	TEST_ASSERT(iso_srv_peer_closed(), "the PF's connection is still open after close");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	iso_srv_hang_up();
	TEST_ASSERT_EQUAL(iso_fds_settle(fds0), fds0, "descriptors leaked");
	return TEST_SUCCESS;
}

/* A call returns err within ISO_HANGUP_MS. */
#define ISO_ASSERT_FAST(call, err, what) do { \
	int64_t t0_ = iso_now_ms(); \
	int r_ = (call); \
	int64_t dt_ = iso_now_ms() - t0_; \
	TEST_ASSERT(r_ == (err) && dt_ < ISO_HANGUP_MS, "%s: %d in %" PRId64 " ms", what, r_, \
		    dt_); \
} while (0)

struct iso_req_arg {
	uint16_t port;
	int ret;
	int64_t ms;
};

static void *
iso_req_main(void *arg)
{
	struct iso_req_arg *a = arg;
	uint8_t data[8] = { 1 };
	int64_t t0 = iso_now_ms();

	a->ret = vfbc_vf_write_config_block(a->port, 3, data, sizeof(data), 10000);
	a->ms = iso_now_ms() - t0;
	return NULL;
}

static int
test_vf_isolated_pf_hang_up_should_answer_enotconn(void)
{
	struct iso_req_arg ra;
	struct vfbc_vf_info info;
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	pthread_t t;
	uint16_t port;
	int64_t end;
	int fds0, ret;

	fds0 = iso_count_fds();
	iso_srv_mode(ISO_GRANT, 0);
	/* Spinning (req_wait=spin), a waiting request still sees the hang-up. */
	ret = iso_probe("secret=" ISO_SECRET ",req_wait=spin", &port);
	TEST_ASSERT_SUCCESS(ret, "probe: %s", strerror(-ret));

	/* A request waiting for its answer when the PF goes. */
	__atomic_store_n(&iso_pf.mute, 1, __ATOMIC_RELAXED);
	ra.port = port;
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, iso_req_main, &ra), "request thread");
	usleep(100 * 1000);
	iso_srv_hang_up();
	pthread_join(t, NULL);
	__atomic_store_n(&iso_pf.mute, 0, __ATOMIC_RELAXED);
	TEST_ASSERT(ra.ret == -ENOTCONN && ra.ms < 100 + ISO_HANGUP_MS,
		    "request in flight: %d after %" PRId64 " ms", ra.ret, ra.ms);

	/* From then on, every call at once. */
	end = iso_now_ms() + ISO_HANGUP_MS;
	while (vfbc_vf_poll(port, NULL) != -ENOTCONN && iso_now_ms() < end)
		usleep(1000);
	ISO_ASSERT_FAST(vfbc_vf_poll(port, NULL), -ENOTCONN, "poll");
	ISO_ASSERT_FAST(vfbc_vf_read_config_block(port, 7, buf, sizeof(buf)), -ENOTCONN,
			"block read");
	ISO_ASSERT_FAST(vfbc_vf_write_config_block(port, 9, buf, 8, 5000), -ENOTCONN,
			"block write");
	ISO_ASSERT_FAST(vfbc_vf_read_bus_data(port, 0, buf, 4, 5000), -ENOTCONN, "bus read");
	TEST_ASSERT_SUCCESS(vfbc_vf_get_info(port, &info), "info");
	TEST_ASSERT(!info.connected, "still connected");

	/* The PF is back: a claim connects again. */
	ret = vfbc_vf_claim(port);
	TEST_ASSERT_SUCCESS(ret, "claim after the hang-up: %s", strerror(-ret));
	ret = vfbc_vf_write_config_block(port, 9, buf, 8, 1000);
	TEST_ASSERT_SUCCESS(ret, "request after the new claim: %s", strerror(-ret));

	/* A PF that revokes the claim, then hangs up (the VF disabled). */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	iso_srv_hang_up();
	/* -EPERM between the two, then -ENOTCONN: what the caller must learn. */
	end = iso_now_ms() + ISO_HANGUP_MS;
	do {
		ret = vfbc_vf_poll(port, NULL);
	} while (ret != -ENOTCONN && iso_now_ms() < end);
	TEST_ASSERT_EQUAL(ret, -ENOTCONN, "poll after revoke and hang-up: %d", ret);
	ISO_ASSERT_FAST(vfbc_vf_write_config_block(port, 9, buf, 8, 5000), -ENOTCONN,
			"block write after revoke and hang-up");
	ret = vfbc_vf_claim(port);
	TEST_ASSERT_SUCCESS(ret, "claim after the revoke: %s", strerror(-ret));

	TEST_ASSERT_SUCCESS(rte_vdev_uninit(ISO_DEV), "uninit");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	iso_srv_hang_up();
	TEST_ASSERT_EQUAL(iso_fds_settle(fds0), fds0, "descriptors leaked");
	return TEST_SUCCESS;
}

static int
test_vf_isolated_refusal_should_fail_the_probe(void)
{
	static const int32_t statuses[] = { -EACCES, -ENODEV, -EBUSY, -EAGAIN };
	uint16_t port;
	unsigned int i;
	int fds0, ret;

	fds0 = iso_count_fds();
	for (i = 0; i < RTE_DIM(statuses); i++) {
		iso_srv_mode(ISO_STATUS, statuses[i]);
		ret = iso_probe("secret=" ISO_SECRET, NULL);
		TEST_ASSERT_EQUAL(ret, statuses[i], "status %d: probe %d", statuses[i], ret);
		TEST_ASSERT(rte_eth_dev_get_port_by_name(ISO_DEV, &port) != 0,
			    "a port after a refusal");
	}
	/* The test's PF checks the secret itself. */
	iso_srv_mode(ISO_GRANT, 0);
	ret = iso_probe("secret=wrong", NULL);
	TEST_ASSERT_EQUAL(ret, -EACCES, "wrong secret: %d", ret);
	/* claim=0: the probe does not connect; the claim gets the refusal. */
	iso_srv_mode(ISO_STATUS, -EACCES);
	ret = iso_probe("secret=" ISO_SECRET ",claim=0", &port);
	TEST_ASSERT_SUCCESS(ret, "claim=0 probe: %d", ret);
	TEST_ASSERT_EQUAL(vfbc_vf_poll(port, NULL), -EPERM, "poll without a claim");
	TEST_ASSERT_EQUAL(vfbc_vf_claim(port), -EACCES, "claim refused");
	TEST_ASSERT_SUCCESS(rte_vdev_uninit(ISO_DEV), "uninit");
	TEST_ASSERT_EQUAL(iso_fds_settle(fds0), fds0, "descriptors leaked");
	return TEST_SUCCESS;
}

static int
test_vf_isolated_garbage_should_be_eproto(void)
{
	static const struct {
		enum iso_mode mode;
		int err;
		const char *what;
	} cases[] = {
		{ ISO_SHORT, -EPROTO, "short reply" },
		{ ISO_LONG, -EPROTO, "long reply" },
		{ ISO_NO_FD, -EPROTO, "grant without fd" },
		{ ISO_TWO_FDS, -EPROTO, "grant with two fds" },
		{ ISO_MANY_FDS, -EPROTO, "grant with six fds" },
		{ ISO_WAKE_STREAM, -EPROTO, "grant with a stream socket to wake" },
		{ ISO_WAKE_MINOR1, -EPROTO, "grant with a wake socket from minor 1" },
		{ ISO_BAD_MAGIC, -EPROTO, "bad magic" },
		{ ISO_BAD_TYPE, -EPROTO, "bad type" },
		{ ISO_OTHER_VF, -EPROTO, "another VF's grant" },
		{ ISO_STATUS_FD, -EPROTO, "refusal with an fd" },
		{ ISO_HANG_UP, -ECONNRESET, "hang-up without an answer" },
		{ ISO_SILENT, -ETIMEDOUT, "no answer" },
	};
	uint16_t port;
	unsigned int i;
	int fds0, fds, ret;

	fds0 = iso_count_fds();
	for (i = 0; i < RTE_DIM(cases); i++) {
		iso_srv_mode(cases[i].mode, 0);
		ret = iso_probe("secret=" ISO_SECRET, NULL);
		TEST_ASSERT_EQUAL(ret, cases[i].err, "%s: probe %d", cases[i].what, ret);
		TEST_ASSERT(rte_eth_dev_get_port_by_name(ISO_DEV, &port) != 0, "%s: a port",
			    cases[i].what);
		iso_srv_hang_up();
		fds = iso_fds_settle(fds0);
		TEST_ASSERT_EQUAL(fds, fds0, "%s: %d descriptors, %d before", cases[i].what, fds,
				  fds0);
	}
	return TEST_SUCCESS;
}

static int
test_vf_isolated_secret_file_should_be_read(void)
{
	char path[64], args[128];
	uint16_t port;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/tmp/vfbc-iso-secret-%d", (int)getpid());
	f = fopen(path, "w");
	TEST_ASSERT_NOT_NULL(f, "fopen %s", path);
	fprintf(f, "%s\n", ISO_SECRET);
	fclose(f);
	iso_srv_mode(ISO_GRANT, 0);
	snprintf(args, sizeof(args), "secret_file=%s", path);
	ret = iso_probe(args, &port);
	unlink(path);
	TEST_ASSERT_SUCCESS(ret, "probe with secret_file: %s", strerror(-ret));
	TEST_ASSERT(iso_srv.last.secret_len == strlen(ISO_SECRET) &&
		    memcmp(iso_srv.last.secret, ISO_SECRET, strlen(ISO_SECRET)) == 0,
		    "the PF got a secret of %u bytes", iso_srv.last.secret_len);
	TEST_ASSERT_SUCCESS(rte_vdev_uninit(ISO_DEV), "uninit");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	iso_srv_hang_up();
	return TEST_SUCCESS;
}

static int
test_vf_isolated_bad_devargs_should_be_refused(void)
{
	char args[512], big[128], longpath[200], path[64];
	unsigned int i;
	FILE *f;
	int ret;
	const char *bad[] = {
		"vf=1,secret=x",				/* no socket */
		"socket=/tmp/x,secret=x",			/* no vf */
		"socket=/tmp/x,vf=1",				/* no secret */
		"socket=/tmp/x,vf=abc,secret=x",
		"socket=/tmp/x,vf=01,secret=x",
		"socket=/tmp/x,vf=-1,secret=x",
		"socket=/tmp/x,vf=99999,secret=x",
		"socket=/tmp/x,vf=1,secret=x,secret_file=/tmp/y",
		"socket=/tmp/x,vf=1,secret=",
		"socket=,vf=1,secret=x",
		"socket=/tmp/x,vf=1,secret=x,claim=2",
		"socket=/tmp/x,vf=1,secret=x,req_wait=busy",
		"socket=/tmp/x,vf=1,secret=x,req_wait=",
		"socket=/tmp/x,vf=1,secret=x,req_wait=spin,req_wait=yield",
		"socket=/tmp/x,vf=1,secret=x,vf=2",
		"socket=/tmp/x,vf=1,secret=x,bogus=1",
		"socket=/tmp/x,vf=1,secret=a=b",
		"",
		big,
		longpath,
	};

	memset(args, 0, sizeof(args));
	/* A secret of VFBC_SOCK_SECRET_MAX + 1 bytes. */
	snprintf(big, sizeof(big), "socket=/tmp/x,vf=1,secret=%0*d", VFBC_SOCK_SECRET_MAX + 1, 0);
	snprintf(longpath, sizeof(longpath), "socket=/tmp/%0*d,vf=1,secret=x", 120, 0);
	for (i = 0; i < RTE_DIM(bad); i++) {
		ret = rte_vdev_init(ISO_DEV, bad[i]);
		TEST_ASSERT_EQUAL(ret, -EINVAL, "devargs \"%s\": %d", bad[i], ret);
	}
	/* A secret file too long, empty, or missing. */
	snprintf(path, sizeof(path), "/tmp/vfbc-iso-secret-%d", (int)getpid());
	f = fopen(path, "w");
	TEST_ASSERT_NOT_NULL(f, "fopen %s", path);
	fprintf(f, "%0*d\n", VFBC_SOCK_SECRET_MAX + 1, 0);
	fclose(f);
	snprintf(args, sizeof(args), "socket=%s,vf=1,secret_file=%s", iso_srv.path, path);
	ret = rte_vdev_init(ISO_DEV, args);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "secret file of 65 bytes: %d", ret);
	f = fopen(path, "w");
	TEST_ASSERT_NOT_NULL(f, "fopen %s", path);
	fclose(f);
	ret = rte_vdev_init(ISO_DEV, args);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "empty secret file: %d", ret);
	unlink(path);
	ret = rte_vdev_init(ISO_DEV, args);
	TEST_ASSERT_EQUAL(ret, -ENOENT, "missing secret file: %d", ret);
	/* No PF at the path. */
	snprintf(args, sizeof(args), "socket=%s.none,vf=1,secret=x", iso_srv.path);
	ret = rte_vdev_init(ISO_DEV, args);
	TEST_ASSERT_EQUAL(ret, -ENOENT, "no socket file: %d", ret);
	return TEST_SUCCESS;
}

/*
 * vfbc-testpmd as an isolated consumer: its own primary (own file prefix,
 * no PCI), its VF commands on the port, the claim granted to its pid.
 */
static int
test_vf_isolated_testpmd_should_run_vf_commands(void)
{
	static struct tp_script sc;
	struct tp_session s;
	char eal[512];
	uint8_t blk[16];
	unsigned int i;
	int ret;

	/* The sanitizer builds build vfbc-test alone. */
	if (access(tp_bin(), X_OK) != 0)
		TEST_SKIP("vfbc-testpmd is not built in this build tree");
	memset(&s, 0, sizeof(s));
	memset(&sc, 0, sizeof(sc));
	for (i = 0; i < sizeof(blk); i++)
		blk[i] = (uint8_t)i;
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(iso_srv.ch, ISO_VF, 7, blk, sizeof(blk)),
			    "block write");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(iso_srv.ch, ISO_VF, 0x80), "invalidate");
	iso_srv_mode(ISO_GRANT, 0);
	snprintf(eal, sizeof(eal), "-l 0 --file-prefix=vfbc-iso-tp-%d --no-huge -m 64 "
		 "--no-shconf --no-pci --log-level=lib.eal:warning %s "
		 "--vdev " ISO_DEV ",socket=%s,vf=%u,secret=" ISO_SECRET, (int)getpid(),
		 vfbc_test_eal_sanitizer_args(), iso_srv.path, ISO_VF);
	tp_add(&sc, "Driver name: net_vfbc_isolated", "show port info 0");
	tp_add_prefix(&sc, "Port 0: invalidation #1, mask 0x", "wait vf invalidate 0 3000");
	tp_add(&sc, "Port 0: block 7, 16 bytes", "read vf config-block 0 7");
	tp_add(&sc, "Port 0: block 9 written by the PF (3 bytes)",
	       "write vf config-block 0 9 1 2 3");
	tp_add(&sc, "Port 0: 4 bytes at 0x40 (read by the PF)", "read vf bus-data 0 0x40 4");
	tp_add(&sc, "Port 0: wrote 2 bytes at 0x40 (through the PF)",
	       "write vf bus-data 0 0x40 1 2");
	ret = tp_script_run(&s, &sc, eal, "");
	tp_session_free(&s);
	TEST_ASSERT_EQUAL(ret, TEST_SUCCESS, "vfbc-testpmd session failed");
	/* Its exit hung up: the PF takes the claim back, as a PF does. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(iso_srv.ch, ISO_VF), "revoke");
	iso_srv_hang_up();
	return TEST_SUCCESS;
}

/* Mappings of the test PF's region files in this process. */
static int
iso_count_region_maps(void)
{
	char line[512];
	FILE *f;
	int n = 0;

	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, ISO_CH_NAME "_vf") != NULL;
	fclose(f);
	return n;
}

/*
 * Every claim after the first gets a new region file from the PF: the port
 * maps it in place of the old one, so that claims do not pile up mappings
 * and descriptors (a red-team round found +1 of each per claim).
 */
static int
test_vf_isolated_reclaims_should_not_pile_up_regions(void)
{
	int i, ret, fds0, maps0, fds1, maps1, n = 64;
	uint16_t port;

	iso_srv_mode(ISO_GRANT, 0);
	ret = iso_probe("secret=" ISO_SECRET, &port);
	TEST_ASSERT_SUCCESS(ret, "probe: %s", strerror(-ret));
	/* One cycle first: settle the interrupt thread's descriptors. */
	TEST_ASSERT_SUCCESS(vfbc_vf_release(port), "release");
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(port), "claim");
	usleep(100 * 1000);
	fds0 = iso_count_fds();
	maps0 = iso_count_region_maps();
	for (i = 0; i < n; i++) {
		TEST_ASSERT_SUCCESS(vfbc_vf_release(port), "release %d", i);
		ret = vfbc_vf_claim(port);
		TEST_ASSERT_SUCCESS(ret, "claim %d: %s", i, strerror(-ret));
	}
	usleep(100 * 1000);
	fds1 = iso_count_fds();
	maps1 = iso_count_region_maps();
	TEST_ASSERT_SUCCESS(rte_vdev_uninit(ISO_DEV), "uninit");
	iso_srv_hang_up();
	printf("%d release/claim cycles: descriptors %d -> %d, region mappings %d -> %d\n", n,
	       fds0, fds1, maps0, maps1);
	TEST_ASSERT(fds1 - fds0 < n / 2 && maps1 - maps0 < n / 2,
		    "claims pile up regions (fd +%d, mappings +%d in %d claims)", fds1 - fds0,
		    maps1 - maps0, n);
	return TEST_SUCCESS;
}

static struct unit_test_suite vf_isolated_suite = {
	.suite_name = "net_vfbc_isolated against a test PF",
	.setup = iso_suite_setup,
	.teardown = iso_suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_isolated_bad_devargs_should_be_refused),
		TEST_CASE(test_vf_isolated_api_should_work_on_the_port),
		TEST_CASE(test_vf_isolated_sleep_should_wake_on_invalidation),
		TEST_CASE(test_vf_isolated_pf_hang_up_should_answer_enotconn),
		TEST_CASE(test_vf_isolated_refusal_should_fail_the_probe),
		TEST_CASE(test_vf_isolated_garbage_should_be_eproto),
		TEST_CASE(test_vf_isolated_secret_file_should_be_read),
		TEST_CASE(test_vf_isolated_testpmd_should_run_vf_commands),
		TEST_CASE(test_vf_isolated_reclaims_should_not_pile_up_regions),
		TEST_CASES_END()
	}
};

static int
test_vf_isolated(void)
{
	return unit_test_suite_runner(&vf_isolated_suite);
}

REGISTER_TEST_COMMAND(vf_isolated_autotest, test_vf_isolated);
