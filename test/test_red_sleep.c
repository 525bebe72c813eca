/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red team of the PF service's sleep (vfbc_channel_service.c): an isolated
 * VF that posts requests and never takes its answers leaves requests in
 * its ring that no pass can dequeue (its response ring is full). The
 * service's arm must not call them work: a service that never sleeps
 * spins a core while its VFs are idle, by one VF's doing.
 *
 * red_sleep_empty_datagram: the holder's wake socket is the VF's to write.
 * Datagrams it sends there cost the service a read each, 64 to a wake
 * (CH_SVC_DRAIN_MAX); empty ones must not cost a whole wake each.
 *
 * red_sleep_passed_fd: nor may what it sends block the service. A datagram
 * may carry descriptors (SCM_RIGHTS); the service's read drops them, and
 * the last reference of a file closes in the reader's thread: a TCP
 * socket with unsent data and SO_LINGER holds that close (the disarm) for
 * its linger time, the PF's whole service with it.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define RS_ISO_NAME "red_sleep_iso"
#define RS_NB_VFS 2
/* The service's loop runs this long; each sleep bounded as the PF driver's sweep. */
#define RS_RUN_MS 200
#define RS_SLEEP_MS 10

static struct vfbc_channel *rs_pf, *rs_vf;
/* The holder's end of the wake socket, kept by the hostile VF. */
static int rs_vf_wake = -1;

static int
rs_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

/* An isolated channel, VF 0 granted to a region handle with the grant's wake socket. */
static int
rs_isolated_setup(void)
{
	uint64_t word;
	int wake, ret;

	rs_pf = vfbc_channel_create_isolated(RS_ISO_NAME, RS_NB_VFS);
	TEST_ASSERT_NOT_NULL(rs_pf, "create: %s", rte_strerror(rte_errno));
	TEST_ASSERT(vfbc_channel_claim_grant(rs_pf, 0, getpid(), -1, -1, &word) >= 0, "grant");
	rs_vf = vfbc_channel_attach_region(vfbc_channel_region_fd(rs_pf, 0), 0);
	TEST_ASSERT_NOT_NULL(rs_vf, "attach_region: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(rs_vf, 0, word), "adopt");
	wake = vfbc_channel_wake_pair(rs_pf, 0, word);
	TEST_ASSERT(wake >= 0, "wake pair: %d", wake);
	ret = vfbc_channel_service_wake_adopt(rs_vf, 0, wake);
	rs_vf_wake = wake;
	TEST_ASSERT_SUCCESS(ret, "wake adopt: %d", ret);
	return TEST_SUCCESS;
}

static void
rs_teardown(void)
{
	vfbc_channel_free(rs_vf);
	vfbc_channel_free(rs_pf);
	rs_vf = rs_pf = NULL;
	if (rs_vf_wake >= 0)
		close(rs_vf_wake);
	rs_vf_wake = -1;
}

static int
rs_post(uint32_t target)
{
	struct vfbc_channel_req req;

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req.target = target;
	req.len = 4;
	return vfbc_channel_request_post(rs_vf, 0, &req);
}

/* A service's pass over VF 0: dequeue and answer what it can; how many. */
static int
rs_serve(void)
{
	uint16_t vfs[RS_NB_VFS];
	struct vfbc_channel_req req;
	int n = 0;

	if (vfbc_channel_doorbell_scan(rs_pf, vfs, RTE_DIM(vfs)) < 0)
		return -1;
	while (vfbc_channel_request_dequeue(rs_pf, 0, &req) == 1) {
		if (vfbc_channel_respond(rs_pf, 0, &req, 0, NULL, 0) != 0)
			return -1;
		n++;
	}
	return n;
}

static uint64_t
rs_thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * The VF fills its response ring (posts, never polls an answer), then
 * posts once more: the request waits in its ring, and no pass can take
 * it. The service loop (serve, arm, sleep bounded by the sweep, disarm)
 * must sleep, not spin: over RS_RUN_MS it may not pass more often than
 * its sleeps' bound allows, nor spend most of the time on the CPU.
 */
static int
test_red_sleep_full_response_ring(void)
{
	struct pollfd p;
	uint64_t t0, end, cpu0, cpu, passes = 0, busy_arms = 0;
	unsigned int i;
	int fd, n, ret;

	fd = vfbc_channel_service_fd(rs_pf);
	TEST_ASSERT(fd >= 0, "service fd: %d", fd);
	for (i = 0; i < VFBC_CHANNEL_RESP_RING_SIZE; i++)
		TEST_ASSERT_SUCCESS(rs_post(i % 64), "post %u", i);
	TEST_ASSERT_EQUAL(rs_serve(), VFBC_CHANNEL_RESP_RING_SIZE, "served");
	/* Its answers are never taken: this one no pass can dequeue. */
	TEST_ASSERT_SUCCESS(rs_post(1), "post past the full response ring");
	TEST_ASSERT_EQUAL(rs_serve(), 0, "a pass dequeued with the response ring full");
	t0 = rte_get_timer_cycles();
	end = t0 + rte_get_timer_hz() * RS_RUN_MS / 1000;
	cpu0 = rs_thread_cpu_us();
	while (rte_get_timer_cycles() < end) {
		n = rs_serve();
		TEST_ASSERT(n >= 0, "serve");
		passes++;
		ret = vfbc_channel_service_sleep_arm(rs_pf);
		TEST_ASSERT(ret >= 0, "arm: %d", ret);
		if (ret == 1) {
			busy_arms++;
			continue;
		}
		p.fd = fd;
		p.events = POLLIN;
		(void)poll(&p, 1, RS_SLEEP_MS);
		vfbc_channel_service_sleep_disarm(rs_pf);
	}
	cpu = rs_thread_cpu_us() - cpu0;
	printf("idle %d ms with a full response ring: %" PRIu64 " passes, %" PRIu64
	       " arms said 'work', %" PRIu64 " us of CPU\n", RS_RUN_MS, passes, busy_arms, cpu);
	/* Sleeps of RS_SLEEP_MS: some 20 passes; allow 5x. */
	TEST_ASSERT(passes <= 5 * RS_RUN_MS / RS_SLEEP_MS,
		    "the service spun: %" PRIu64 " passes in %d ms (%" PRIu64 " busy arms)",
		    passes, RS_RUN_MS, busy_arms);
	TEST_ASSERT(cpu < RS_RUN_MS * 1000 / 4, "the idle service used %" PRIu64 " us of CPU",
		    cpu);
	return TEST_SUCCESS;
}

/* fd readable now? */
static int
rs_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

#define RS_DGRAMS 128

/*
 * The VF sends RS_DGRAMS empty datagrams on its wake socket, then nothing.
 * The service wakes, drains, arms again: as for datagrams of a byte, it is
 * quiet after RS_DGRAMS / 64 wakes (allow twice that), not after one wake
 * per datagram.
 */
static int
test_red_sleep_empty_datagrams(void)
{
	unsigned int i, sent = 0, wakes = 0;
	int fd;

	fd = vfbc_channel_service_fd(rs_pf);
	TEST_ASSERT(fd >= 0, "service fd: %d", fd);
	for (i = 0; i < RS_DGRAMS; i++)
		if (send(rs_vf_wake, "", 0, MSG_DONTWAIT | MSG_NOSIGNAL) == 0)
			sent++;
	TEST_ASSERT_EQUAL(sent, RS_DGRAMS, "sent %u", sent);
	for (i = 0; i < 2 * RS_DGRAMS; i++) {
		TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(rs_pf), 0, "arm");
		if (!rs_readable(fd))
			break;
		wakes++;
		vfbc_channel_service_sleep_disarm(rs_pf);
	}
	vfbc_channel_service_sleep_disarm(rs_pf);
	printf("%u empty datagrams on the wake socket: %u wakes of the service\n", sent, wakes);
	TEST_ASSERT(wakes <= 2 * (RS_DGRAMS / 64),
		    "%u empty datagrams woke the service %u times", sent, wakes);
	return TEST_SUCCESS;
}

#define RS_LINGER_S 2

/* A TCP socket (its peer *peer never reads) with unsent data and SO_LINGER: -1 on failure. */
static int
rs_lingering_socket(int *peer)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct linger l = { .l_onoff = 1, .l_linger = RS_LINGER_S };
	socklen_t alen = sizeof(a);
	int lis, c, small = 4096, one = 1;
	char buf[4096];

	memset(buf, 0x5a, sizeof(buf));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lis = socket(AF_INET, SOCK_STREAM, 0);
	if (lis < 0)
		return -1;
	(void)setsockopt(lis, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (bind(lis, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lis, 1) < 0 ||
	    getsockname(lis, (struct sockaddr *)&a, &alen) < 0) {
		close(lis);
		return -1;
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(lis);
		if (c >= 0)
			close(c);
		return -1;
	}
	*peer = accept(lis, NULL, NULL);
	close(lis);
	(void)setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	(void)fcntl(c, F_SETFL, O_NONBLOCK);
	/* The peer's window and this send buffer full: data that cannot leave. */
	while (send(c, buf, sizeof(buf), MSG_NOSIGNAL) > 0)
		;
	(void)setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	return c;
}

/* Send fd on sock (SCM_RIGHTS) with a byte: 0 or -errno. */
static int
rs_send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)"x", .iov_len = 1 };
	struct msghdr mh;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof(mh));
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

/* Can a unix socket refuse descriptors here (SO_PASSRIGHTS, Linux 6.16)? */
static int
rs_kernel_refuses_rights(void)
{
	int off = 0, s, ok;

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 0;
	/* The option's number, for headers older than the kernel. */
	ok = setsockopt(s, SOL_SOCKET, 83, &off, sizeof(off)) == 0;
	close(s);
	return ok;
}

/*
 * The VF sends a lingering TCP socket on its wake socket and closes its own
 * copy: the service wakes, and its disarm must return at once, not after
 * RS_LINGER_S seconds (a kernel that refuses the descriptor, where the PF
 * asked it to, is as good).
 */
static int
test_red_sleep_passed_fd(void)
{
	uint64_t t0, ms;
	int fd, tcp, peer = -1, ret;

	if (!rs_kernel_refuses_rights()) {
		printf("skipped: this kernel cannot make a socket refuse descriptors "
		       "(SO_PASSRIGHTS, Linux 6.16): the attack stands here (a known limit, "
		       "nics/vfbc_pf.rst)\n");
		return TEST_SKIPPED;
	}
	fd = vfbc_channel_service_fd(rs_pf);
	TEST_ASSERT(fd >= 0, "service fd: %d", fd);
	tcp = rs_lingering_socket(&peer);
	TEST_ASSERT(tcp >= 0 && peer >= 0, "TCP pair: %s", strerror(errno));
	ret = rs_send_fd(rs_vf_wake, tcp);
	close(tcp);
	if (ret < 0) {
		close(peer);
		printf("the wake socket refused a descriptor: %s\n", strerror(-ret));
		return TEST_SUCCESS;
	}
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(rs_pf), 0, "arm");
	TEST_ASSERT(rs_readable(fd), "the datagram did not wake the service");
	t0 = rte_get_timer_cycles();
	vfbc_channel_service_sleep_disarm(rs_pf);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	close(peer);
	printf("a lingering socket passed on the wake socket: the disarm took %" PRIu64
	       " ms\n", ms);
	TEST_ASSERT(ms < 100, "a VF's descriptor held the service's disarm %" PRIu64 " ms", ms);
	return TEST_SUCCESS;
}

static struct unit_test_suite red_sleep_dgram_suite = {
	.suite_name = "red team: the service's wake socket",
	.setup = rs_setup,
	.unit_test_cases = {
		TEST_CASE_ST(rs_isolated_setup, rs_teardown, test_red_sleep_empty_datagrams),
		TEST_CASE_ST(rs_isolated_setup, rs_teardown, test_red_sleep_passed_fd),
		TEST_CASES_END()
	}
};

static int
test_red_sleep_dgram(void)
{
	return unit_test_suite_runner(&red_sleep_dgram_suite);
}

REGISTER_TEST_COMMAND(red_sleep_wake_socket_autotest, test_red_sleep_dgram);

static struct unit_test_suite red_sleep_suite = {
	.suite_name = "red team: the service's sleep",
	.setup = rs_setup,
	.unit_test_cases = {
		TEST_CASE_ST(rs_isolated_setup, rs_teardown, test_red_sleep_full_response_ring),
		TEST_CASES_END()
	}
};

static int
test_red_sleep(void)
{
	return unit_test_suite_runner(&red_sleep_suite);
}

REGISTER_TEST_COMMAND(red_sleep_full_ring_autotest, test_red_sleep);
