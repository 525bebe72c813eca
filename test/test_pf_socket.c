/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf's control socket (socket=PATH) against a raw client written
 * here with plain socket calls, in a world with 2 of 4 VFs enabled: every
 * refusal and its status (and that it changes nothing), the grant and its
 * region fd (mapped, claimed, and reached by an invalidation), holder
 * connections (busy, hang-up, sending more, VF disable), bounds on idle
 * connections, the peer uid filter, the secret API, close, and the
 * devargs and socket files refused at probe.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>
#include <vfbc_sock_msg.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_sock_client.h"

#define SOCK_TOTAL_VFS 4
#define SOCK_NUM_VFS 2
#define SOCK_SECRET0 "vf0-secret"
#define SOCK_SECRET1 "a-different-one"
/* Connections without an open the PF keeps (VFBC_PF_SOCK_MAX_PENDING). */
#define SOCK_MAX_PENDING 16
/* Open/hang-up cycles timed. */
#define SOCK_CYCLES 200
/* How long the client waits for an answer or a hang-up. */
#define SOCK_WAIT_MS 5000

static uint16_t sock_port;
static char sock_path[64];

/* Probe the PF again with devargs args; the log in *text (free it). */
static int
sock_probe_log(const char *args, char **text)
{
	char devstr[512];
	size_t len;
	FILE *log;
	int ret;

	if (test_pf_world_detach() != 0)
		return -EIO;
	snprintf(devstr, sizeof(devstr), "%s,%s", TEST_PF_WORLD_PF, args);
	*text = NULL;
	log = open_memstream(text, &len);
	if (log == NULL)
		return -ENOMEM;
	rte_openlog_stream(log);
	ret = rte_dev_probe(devstr);
	rte_openlog_stream(NULL);
	fclose(log);
	if (ret == 0 && rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &sock_port) != 0)
		ret = -ENODEV;
	return ret;
}

/* Probe with socket=sock_path and extra devargs (may be ""). */
static int
sock_probe(const char *extra)
{
	char args[256], *text;
	int ret;

	snprintf(args, sizeof(args), "socket=%s%s%s", sock_path, extra[0] != '\0' ? "," : "",
		 extra);
	ret = sock_probe_log(args, &text);
	if (ret != 0)
		printf("probe \"%s\": %d, log:\n%s\n", args, ret, text);
	free(text);
	return ret;
}

/* Send len bytes of msg on fd, receive the answer. 0, or -1 (printed why). */
static int
sock_xfer(int fd, const void *msg, size_t len, struct test_sock_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->fd = a->wake_fd = -1;
	if (test_sock_send(fd, msg, len) < 0)
		return -1;
	return test_sock_recv(fd, a);
}

/*
 * One connection, one message: the answer's status (the connection then
 * closed), or INT32_MIN if something else went wrong (printed).
 */
static int32_t
sock_try(const void *msg, size_t len, struct test_sock_answer *a)
{
	int fd, ret;

	fd = test_sock_connect(sock_path, SOCK_WAIT_MS);
	if (fd < 0)
		return INT32_MIN;
	ret = sock_xfer(fd, msg, len, a);
	close(fd);
	if (ret < 0)
		return INT32_MIN;
	if (a->len != (ssize_t)sizeof(a->r) || a->r.hdr.magic != VFBC_SOCK_MAGIC ||
	    a->r.hdr.type != VFBC_SOCK_MSG_OPEN_REPLY || a->r.hdr.len != sizeof(a->r) ||
	    a->r.hdr.version_major != VFBC_SOCK_VERSION_MAJOR) {
		printf("bad answer: %zd bytes, magic 0x%x type %u len %u major %u\n", a->len,
		       a->r.hdr.magic, a->r.hdr.type, a->r.hdr.len, a->r.hdr.version_major);
		return INT32_MIN;
	}
	return a->r.status;
}

static int32_t
sock_open_status(uint16_t vf, const char *secret)
{
	struct vfbc_sock_open o;
	struct test_sock_answer a;
	int32_t st;

	test_sock_open_init(&o, vf, secret);
	st = sock_try(&o, sizeof(o), &a);
	if (st == -EAGAIN) {
		/* The VF's wrong secrets of this second are spent (see sock_hold()). */
		test_sock_answer_close(&a);
		usleep(1100 * 1000);
		st = sock_try(&o, sizeof(o), &a);
	}
	if (st != INT32_MIN && a.nb_fds != 0 && st != 0) {
		printf("a refusal came with %d fds\n", a.nb_fds);
		st = INT32_MIN;
	}
	test_sock_answer_close(&a);
	return st;
}

/* Open vf on a connection that stays: the connection, the answer (its fd). */
static int
sock_hold(uint16_t vf, const char *secret, int *conn, struct test_sock_answer *a)
{
	struct vfbc_sock_open o;
	int tries;

	/*
	 * The refusal cases spend the VF's wrong secrets of the second
	 * (VFBC_PF_SOCK_SECRET_FAILS): -EAGAIN then, once; the next second
	 * serves it.
	 */
	for (tries = 0; tries < 2; tries++) {
		*conn = test_sock_connect(sock_path, SOCK_WAIT_MS);
		if (*conn < 0)
			return -1;
		test_sock_open_init(&o, vf, secret);
		if (sock_xfer(*conn, &o, sizeof(o), a) < 0 || a->len != (ssize_t)sizeof(a->r) ||
		    a->r.status != -EAGAIN)
			break;
		close(*conn);
		test_sock_answer_close(a);
		usleep(1100 * 1000);
	}
	if (a->len != (ssize_t)sizeof(a->r) || a->r.status != 0) {
		printf("open of VF %u: status %d\n", vf, a->len > 0 ? a->r.status : 0);
		close(*conn);
		test_sock_answer_close(a);
		return -1;
	}
	return 0;
}

/* Does the PF hang up fd within SOCK_WAIT_MS? */
static int
sock_hung_up_why(int fd, uint32_t *why)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
	union {
		struct vfbc_sock_life m;
		uint8_t raw[sizeof(struct vfbc_sock_life) + 1];
	} u;
	unsigned int i;
	ssize_t n;

	*why = UINT32_MAX;
	if (poll(&p, 1, SOCK_WAIT_MS) != 1 || !(p.revents & POLLHUP))
		return 0;
	/* What the PF did, told before the hang-up (LIFE), then the end. */
	for (i = 0; i < 4; i++) {
		n = recv(fd, u.raw, sizeof(u.raw), MSG_DONTWAIT);
		if (n == 0)
			return 1;
		if (n != (ssize_t)sizeof(u.m) || u.m.hdr.magic != VFBC_SOCK_MAGIC ||
		    u.m.hdr.type != VFBC_SOCK_MSG_LIFE)
			return 0;
		*why = u.m.cause;
	}
	return 0;
}

static int
sock_hung_up(int fd)
{
	uint32_t why;

	return sock_hung_up_why(fd, &why);
}

static int32_t
sock_consumer_wait(uint16_t vf, int32_t want)
{
	return test_pf_consumer_wait(sock_port, vf, want, SOCK_WAIT_MS);
}

static int
sock_setup(void)
{
	return test_pf_socket_world_start(&sock_port, sock_path, sizeof(sock_path), "test-pf");
}

static void
sock_teardown(void)
{
	test_pf_world_detach();
	unlink(sock_path);
}

static int
test_sock_secret_api_without_socket(void)
{
	TEST_ASSERT_SUCCESS(test_pf_world_detach(), "detach");
	TEST_ASSERT_SUCCESS(rte_dev_probe(TEST_PF_WORLD_PF), "probe without socket=");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &sock_port), "port");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_set_secret(sock_port, 0, "x"), -ENOTSUP, "no socket=");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_set_secret(RTE_MAX_ETHPORTS, 0, "x"), -ENODEV, "port");
	return TEST_SUCCESS;
}

static const struct {
	const char *args;
	const char *log;
} sock_bad_devargs[] = {
	{ "socket=relative/path", "devarg socket=relative/path: expected an absolute path" },
	{ "socket=", "devarg socket=: expected an absolute path" },
	{ "socket=/tmp/x,socket_uid=abc", "devarg socket_uid=abc" },
	{ "socket=/tmp/x,socket_gid=-1", "devarg socket_gid=-1" },
	{ "socket=/tmp/x,socket_uid=4294967295", "devarg socket_uid=4294967295" },
	{ "socket_uid=0", "socket_uid and socket_gid need socket=PATH" },
	{ "socket=/tmp/x,socket=/tmp/y", "socket given more than once" },
};

static int
test_sock_bad_devargs_refused(void)
{
	char args[256], longpath[160], *text;
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(sock_bad_devargs); i++) {
		ret = sock_probe_log(sock_bad_devargs[i].args, &text);
		if (ret == 0 || strstr(text, sock_bad_devargs[i].log) == NULL) {
			printf("\"%s\": probe %d, log:\n%s\n", sock_bad_devargs[i].args, ret, text);
			free(text);
			return TEST_FAILED;
		}
		free(text);
	}
	/* 108 bytes do not fit sun_path with the NUL; 107 do. */
	memset(longpath, 'p', sizeof(longpath));
	longpath[0] = '/';
	longpath[108] = '\0';
	snprintf(args, sizeof(args), "socket=%s", longpath);
	ret = sock_probe_log(args, &text);
	if (ret == 0 || strstr(text, "path too long (108 bytes, at most 107") == NULL) {
		printf("108-byte path: probe %d, log:\n%s\n", ret, text);
		free(text);
		return TEST_FAILED;
	}
	free(text);
	return TEST_SUCCESS;
}

static int
test_sock_path_files(void)
{
	struct sockaddr_un sa;
	char args[128], *text;
	int fd, ret;

	/* A regular file is not ours to replace. */
	fd = open(sock_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	TEST_ASSERT(fd >= 0, "create %s", sock_path);
	close(fd);
	snprintf(args, sizeof(args), "socket=%s", sock_path);
	ret = sock_probe_log(args, &text);
	if (ret == 0 || strstr(text, "exists and is not a socket") == NULL) {
		printf("regular file: probe %d, log:\n%s\n", ret, text);
		free(text);
		return TEST_FAILED;
	}
	free(text);
	unlink(sock_path);

	/* A socket somebody listens on is live: refused, left alone. */
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strlcpy(sa.sun_path, sock_path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	TEST_ASSERT(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		    listen(fd, 1) == 0, "listen on %s", sock_path);
	TEST_ASSERT(sock_probe("") != 0, "probe on a live socket");
	TEST_ASSERT_SUCCESS(access(sock_path, F_OK), "the live socket was removed");
	/* The same file, nobody listening any more: stale, replaced. */
	close(fd);
	TEST_ASSERT_SUCCESS(sock_probe(""), "probe on a stale socket");
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -EACCES, "served");
	return TEST_SUCCESS;
}

/* The claim of vf as the PF's API and a region handle (may be NULL) see it. */
struct sock_claim {
	int32_t consumer;
	pid_t pid;
	uint32_t epoch;
};

static int
sock_claim_read(uint16_t vf, struct vfbc_channel *h, struct sock_claim *c)
{
	memset(c, 0, sizeof(*c));
	if (vfbc_pf_vf_consumer(sock_port, vf, &c->consumer) != 0)
		return -1;
	if (h != NULL && vfbc_channel_claim_get(h, vf, &c->pid, &c->epoch) != 0)
		return -1;
	return 0;
}

/* Every malformed or refused open, each changing nothing; h: a region of vf, or NULL. */
static int
sock_refusals(uint16_t vf, struct vfbc_channel *h)
{
	struct sock_claim before, after;
	struct vfbc_sock_open o;
	struct test_sock_answer a;
	uint8_t big[sizeof(o) + 8];

	TEST_ASSERT_SUCCESS(sock_claim_read(vf, h, &before), "claim");
	TEST_ASSERT_EQUAL(sock_open_status(vf, "wrong"), -EACCES, "wrong secret");
	TEST_ASSERT_EQUAL(sock_open_status(vf, SOCK_SECRET0 "x"), -EACCES, "longer secret");
	TEST_ASSERT_EQUAL(sock_open_status(vf, "vf0-secreT"), -EACCES, "last byte");
	TEST_ASSERT_EQUAL(sock_open_status(vf, SOCK_SECRET1), -EACCES, "VF 1's secret");
	TEST_ASSERT_EQUAL(sock_open_status(SOCK_NUM_VFS, SOCK_SECRET0), -ENODEV, "VF 2 is off");
	TEST_ASSERT_EQUAL(sock_open_status(SOCK_TOTAL_VFS, SOCK_SECRET0), -ENODEV, "VF 4");
	TEST_ASSERT_EQUAL(sock_open_status(UINT16_MAX, SOCK_SECRET0), -ENODEV, "VF 0xffff");

	test_sock_open_init(&o, vf, SOCK_SECRET0);
	o.hdr.magic ^= 1;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "bad magic");
	test_sock_open_init(&o, vf, SOCK_SECRET0);
	TEST_ASSERT_EQUAL(sock_try(&o, 10, &a), -EBADMSG, "10 bytes");
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o) - 1, &a), -EBADMSG, "one byte short");
	memset(big, 0, sizeof(big));
	memcpy(big, &o, sizeof(o));
	TEST_ASSERT_EQUAL(sock_try(big, sizeof(big), &a), -EBADMSG, "8 bytes too many");
	o.secret_len = 0;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "secret_len 0");
	o.secret_len = VFBC_SOCK_SECRET_MAX + 1;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "secret_len 65");
	o.secret_len = 3;	/* "vf0" then "-secret": bytes after the secret */
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "bytes after the secret");
	test_sock_open_init(&o, vf, SOCK_SECRET0);
	o.hdr.type = VFBC_SOCK_MSG_OPEN_REPLY;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "type");
	test_sock_open_init(&o, vf, SOCK_SECRET0);
	o.hdr.rsvd = 1;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "hdr.rsvd");
	test_sock_open_init(&o, vf, SOCK_SECRET0);
	o.rsvd = 1;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "rsvd");
	test_sock_open_init(&o, vf, SOCK_SECRET0);
	o.hdr.len = sizeof(o) + 1;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EBADMSG, "hdr.len");
	test_sock_open_init(&o, vf, SOCK_SECRET0);
	o.hdr.version_major = VFBC_SOCK_VERSION_MAJOR + 1;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EPROTONOSUPPORT, "major + 1");
	TEST_ASSERT_EQUAL(a.r.hdr.version_major, VFBC_SOCK_VERSION_MAJOR, "PF's version");
	o.hdr.version_major = 0;
	TEST_ASSERT_EQUAL(sock_try(&o, sizeof(o), &a), -EPROTONOSUPPORT, "major 0");

	TEST_ASSERT_SUCCESS(sock_claim_read(vf, h, &after), "claim");
	TEST_ASSERT(memcmp(&before, &after, sizeof(before)) == 0,
		    "a refused open changed the claim: consumer %d -> %d, pid %d -> %d, "
		    "epoch %u -> %u", before.consumer, after.consumer, (int)before.pid,
		    (int)after.pid, before.epoch, after.epoch);
	return TEST_SUCCESS;
}

static int
test_sock_open_refused(void)
{
	TEST_ASSERT_SUCCESS(sock_probe(""), "probe");
	/* No secret yet: nobody opens VF 0. */
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -EACCES, "no secret set");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, SOCK_SECRET0), "secret 0");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 1, SOCK_SECRET1), "secret 1");
	TEST_ASSERT_EQUAL(sock_consumer_wait(0, 0), 0, "VF 0 has a consumer");
	return sock_refusals(0, NULL);
}

/* A wake socket that is readable (within SOCK_WAIT_MS): one datagram read. */
static int
sock_woken(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t byte;

	if (fd < 0 || poll(&p, 1, SOCK_WAIT_MS) != 1)
		return 0;
	return recv(fd, &byte, sizeof(byte), MSG_DONTWAIT) == 1;
}

static int
test_sock_open_grants_region(void)
{
	struct vfbc_sock_open o;
	struct test_sock_answer a, b;
	struct vfbc_channel *h, *h2;
	uint64_t mask = 0, t0;
	struct stat st;
	int conn, conn2, ret, i;

	TEST_ASSERT_SUCCESS(sock_hold(0, SOCK_SECRET0, &conn, &a), "open VF 0");
	/* The region and, to an open of minor 2, the claim's wake socket. */
	TEST_ASSERT_EQUAL(a.nb_fds, 2, "%d fds", a.nb_fds);
	TEST_ASSERT_EQUAL(a.r.vf_id, 0, "VF %u", a.r.vf_id);
	TEST_ASSERT_EQUAL(a.r.nb_vfs, SOCK_TOTAL_VFS, "nb_vfs %u", a.r.nb_vfs);
	TEST_ASSERT_EQUAL(a.r.region_size, vfbc_channel_region_size(), "region_size");
	TEST_ASSERT_EQUAL(a.r.pf_pid, (uint32_t)getpid(), "pf_pid");
	TEST_ASSERT(strcmp(a.r.pf_name, TEST_PF_WORLD_PF) == 0, "pf_name %.64s", a.r.pf_name);
	TEST_ASSERT_EQUAL((uint32_t)a.r.claim, (uint32_t)getpid(), "claim 0x%" PRIx64,
			  a.r.claim);
	TEST_ASSERT_SUCCESS(fstat(a.fd, &st), "fstat");
	TEST_ASSERT_EQUAL((uint64_t)st.st_size, a.r.region_size, "fd of %jd bytes",
			  (intmax_t)st.st_size);
	TEST_ASSERT_EQUAL(sock_consumer_wait(0, getpid()), getpid(), "consumer");

	h = vfbc_channel_attach_region(a.fd, 0);
	TEST_ASSERT_NOT_NULL(h, "attach_region: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(h, 0, a.r.claim), "adopt");
	vfbc_channel_poll_invalidations(h, 0, &mask);
	/* Asleep on the wake socket: the PF's invalidation wakes it. */
	TEST_ASSERT_EQUAL(vfbc_channel_sleep_arm(h, 0), 0, "arm");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(sock_port, 0, 0x10), "invalidate");
	TEST_ASSERT(sock_woken(a.wake_fd), "the wake socket was not woken");
	mask = 0;
	ret = vfbc_channel_poll_invalidations(h, 0, &mask);
	TEST_ASSERT(ret == 1 && mask == 0x10, "poll %d, mask 0x%" PRIx64, ret, mask);

	/* Held: refusals still change nothing, and a second open is busy. */
	if (sock_refusals(0, h) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -EBUSY, "second open");

	/* Its hang-up ends the claim: the next open, at once, succeeds. */
	close(conn);
	TEST_ASSERT_SUCCESS(sock_hold(0, SOCK_SECRET0, &conn2, &b), "open after the hang-up");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(h, 0, &mask), -EPERM,
			  "the old region handle still holds the VF");
	h2 = vfbc_channel_attach_region(b.fd, 0);
	TEST_ASSERT_NOT_NULL(h2, "attach_region");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(h2, 0, b.r.claim), "adopt");
	TEST_ASSERT_NOT_EQUAL(a.r.claim, b.r.claim, "same claim word twice");
	vfbc_channel_free(h);

	/* Sending anything more ends it too. */
	TEST_ASSERT_EQUAL(send(conn2, "x", 1, MSG_NOSIGNAL), 1, "send");
	TEST_ASSERT(sock_hung_up(conn2), "the PF kept a holder that sent more");
	TEST_ASSERT_EQUAL(sock_consumer_wait(0, 0), 0, "claim not revoked");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(h2, 0, &mask), -EPERM, "revoked");
	vfbc_channel_free(h2);
	close(conn2);
	test_sock_answer_close(&a);
	test_sock_answer_close(&b);

	/* An open of minor 1 (before the sleep mode) gets the region alone. */
	conn = test_sock_connect(sock_path, SOCK_WAIT_MS);
	TEST_ASSERT(conn >= 0, "connect");
	test_sock_open_init(&o, 0, SOCK_SECRET0);
	o.hdr.version_minor = 1;
	TEST_ASSERT_SUCCESS(sock_xfer(conn, &o, sizeof(o), &a), "open of minor 1");
	TEST_ASSERT(a.r.status == 0 && a.nb_fds == 1, "minor 1: status %d, %d fds", a.r.status,
		    a.nb_fds);
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_EQUAL(sock_consumer_wait(0, 0), 0, "VF 0 still held after the hang-up");

	/* Open, hang up, open again at once: each open finds the last one ended. */
	t0 = rte_get_timer_cycles();
	for (i = 0; i < SOCK_CYCLES; i++) {
		TEST_ASSERT_SUCCESS(sock_hold(0, SOCK_SECRET0, &conn, &a), "cycle %d", i);
		close(conn);
		test_sock_answer_close(&a);
	}
	printf("%d open/hang-up cycles: %" PRIu64 " us each\n", SOCK_CYCLES,
	       (rte_get_timer_cycles() - t0) * 1000000 / rte_get_timer_hz() / SOCK_CYCLES);
	TEST_ASSERT_EQUAL(sock_consumer_wait(0, 0), 0, "VF 0 still held after the cycles");
	return TEST_SUCCESS;
}

static int
test_sock_idle_connections_bounded(void)
{
	int idle[SOCK_MAX_PENDING + 1], i, conn, late;
	struct test_sock_answer a;
	uint64_t t0;

	for (i = 0; i < (int)RTE_DIM(idle); i++) {
		idle[i] = test_sock_connect(sock_path, SOCK_WAIT_MS);
		TEST_ASSERT(idle[i] >= 0, "connection %d", i);
	}
	TEST_ASSERT_SUCCESS(sock_hold(1, SOCK_SECRET1, &conn, &a), "open with 17 idle");
	/* The oldest went to make room. */
	TEST_ASSERT(sock_hung_up(idle[0]), "the oldest idle connection is still open");
	/* The others do not outlive the open timeout. */
	t0 = rte_get_timer_cycles();
	late = idle[RTE_DIM(idle) - 1];
	TEST_ASSERT(sock_hung_up(late), "an idle connection outlived the timeout");
	printf("idle connection closed after %" PRIu64 " ms\n",
	       (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz());
	for (i = 0; i < (int)RTE_DIM(idle); i++)
		close(idle[i]);
	/* The holder is not subject to the timeout. */
	TEST_ASSERT_EQUAL(sock_consumer_wait(1, getpid()), getpid(), "VF 1 lost its consumer");
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_EQUAL(sock_consumer_wait(1, 0), 0, "VF 1 still held");
	return TEST_SUCCESS;
}

static int
test_sock_secret_api(void)
{
	char longer[VFBC_SOCK_SECRET_MAX + 2];
	struct test_sock_answer a;
	int conn;

	memset(longer, 's', sizeof(longer));
	longer[VFBC_SOCK_SECRET_MAX + 1] = '\0';
	TEST_ASSERT_EQUAL(vfbc_pf_vf_set_secret(sock_port, 0, longer), -EINVAL, "65 bytes");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_set_secret(sock_port, SOCK_TOTAL_VFS, "x"), -EINVAL,
			  "VF 4");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_set_secret(RTE_MAX_ETHPORTS - 1, 0, "x"), -ENODEV, "port");
	/* 64 bytes are a secret; a VF not enabled may get one. */
	longer[VFBC_SOCK_SECRET_MAX] = '\0';
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, longer), "64 bytes");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, SOCK_NUM_VFS, "x"), "VF 2");
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -EACCES, "replaced secret");
	TEST_ASSERT_SUCCESS(sock_hold(0, longer, &conn, &a), "64-byte secret");
	/* Removing the secret keeps the consumer, refuses the next. */
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, NULL), "remove");
	TEST_ASSERT_EQUAL(sock_open_status(0, longer), -EACCES, "removed secret");
	TEST_ASSERT_EQUAL(sock_consumer_wait(0, getpid()), getpid(), "consumer kept");
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, SOCK_SECRET0), "again");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 1, ""), "remove with \"\"");
	TEST_ASSERT_EQUAL(sock_open_status(1, SOCK_SECRET1), -EACCES, "removed with \"\"");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 1, SOCK_SECRET1), "again");
	return TEST_SUCCESS;
}

static int
test_sock_vf_disable_closes_holder(void)
{
	struct test_sock_answer a;
	uint32_t why;
	int conn;

	TEST_ASSERT_SUCCESS(sock_hold(0, SOCK_SECRET0, &conn, &a), "open VF 0");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(sock_port, 0), "disable");
	TEST_ASSERT(sock_hung_up_why(conn, &why), "the holder of a disabled VF was kept");
	TEST_ASSERT_EQUAL(why, VFBC_CHANNEL_LIFE_DISABLED, "told %u before the hang-up", why);
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -ENODEV, "VF 0 disabled");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(sock_port, SOCK_NUM_VFS), "enable");
	/* The secret survived. */
	TEST_ASSERT_SUCCESS(sock_hold(0, SOCK_SECRET0, &conn, &a), "open after re-enable");
	close(conn);
	test_sock_answer_close(&a);
	return TEST_SUCCESS;
}

static int
test_sock_close_hangs_up(void)
{
	struct rte_eth_dev_info info;
	struct test_sock_answer a;
	uint32_t why;
	int conn;

	TEST_ASSERT_SUCCESS(sock_probe(""), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 1, SOCK_SECRET1), "secret");
	TEST_ASSERT_SUCCESS(sock_hold(1, SOCK_SECRET1, &conn, &a), "open VF 1");
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(sock_port, &info), "info");
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(sock_port), "close");
	TEST_ASSERT(access(sock_path, F_OK) != 0 && errno == ENOENT, "%s still exists",
		    sock_path);
	TEST_ASSERT(sock_hung_up_why(conn, &why), "no hang-up at close");
	TEST_ASSERT_EQUAL(why, VFBC_SOCK_LIFE_PF_CLOSED, "told %u before the hang-up", why);
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "remove");
	return TEST_SUCCESS;
}

static int
test_sock_peer_filter(void)
{
	char extra[64];

	snprintf(extra, sizeof(extra), "socket_uid=%u", (unsigned int)getuid() + 1);
	TEST_ASSERT_SUCCESS(sock_probe(extra), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, SOCK_SECRET0), "secret");
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -EACCES, "other uid");
	snprintf(extra, sizeof(extra), "socket_uid=%u,socket_gid=%u", (unsigned int)getuid(),
		 (unsigned int)getgid() + 1);
	TEST_ASSERT_SUCCESS(sock_probe(extra), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, SOCK_SECRET0), "secret");
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), -EACCES, "other gid");
	snprintf(extra, sizeof(extra), "socket_uid=%u,socket_gid=%u", (unsigned int)getuid(),
		 (unsigned int)getgid());
	TEST_ASSERT_SUCCESS(sock_probe(extra), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(sock_port, 0, SOCK_SECRET0), "secret");
	TEST_ASSERT_EQUAL(sock_open_status(0, SOCK_SECRET0), 0, "our uid and gid");
	return TEST_SUCCESS;
}

static struct unit_test_suite sock_suite = {
	.suite_name = "net_vfbc_pf control socket",
	.setup = sock_setup,
	.teardown = sock_teardown,
	.unit_test_cases = {
		TEST_CASE(test_sock_secret_api_without_socket),
		TEST_CASE(test_sock_bad_devargs_refused),
		TEST_CASE(test_sock_path_files),
		TEST_CASE(test_sock_open_refused),
		TEST_CASE(test_sock_open_grants_region),
		TEST_CASE(test_sock_idle_connections_bounded),
		TEST_CASE(test_sock_secret_api),
		TEST_CASE(test_sock_vf_disable_closes_holder),
		TEST_CASE(test_sock_peer_filter),
		TEST_CASE(test_sock_close_hangs_up),
		TEST_CASES_END()
	}
};

static int
test_pf_socket(void)
{
	return unit_test_suite_runner(&sock_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_socket_autotest, test_pf_socket,
			    "--total-vfs 4 --num-vfs 2");
