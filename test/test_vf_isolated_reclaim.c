/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Found by a red-team round: since 6e1c283 every grant after the first hands the
 * consumer a new region file. net_vfbc_isolated's vf_sock_attach() keeps
 * the handle of every earlier region ("retired") until the port closes:
 * its mapping and its descriptor. An honest consumer that releases and
 * claims again (link flaps, application restarts of the mailbox, a PF that
 * revokes on every VF reset) leaks one fd and one region per claim.
 *
 * The PF here is the test's own (as test_vf_isolated.c): an isolated
 * channel and a socket served from a thread, granting with the library.
 *
 * Run: build/test/vfbc-test vf_isolated_reclaim_autotest
 */

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <vfbc_channel.h>

#include "test.h"
#include "vfbc_pmd_vf.h"
#include "vfbc_sock_msg.h"

#define LK_CH_NAME	"t_iso_leak"
#define LK_NB_VFS	2
#define LK_VF		1
#define LK_SECRET	"s3cret"
#define LK_DEV		"net_vfbc_isolated7"

static struct {
	struct vfbc_channel *ch;
	int listen_fd;
	char path[108];
	pthread_t thread;
	int stop;
	int conn_fd;
} lk = { .listen_fd = -1, .conn_fd = -1 };

static int
lk_count_fds(void)
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

static int
lk_count_memfd_maps(void)
{
	char line[512];
	FILE *f;
	int n = 0;

	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, LK_CH_NAME "_vf") != NULL;
	fclose(f);
	return n;
}

static void
lk_serve(int conn)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct vfbc_sock_open_reply r;
	struct vfbc_sock_open m;
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct iovec iov = { .iov_base = &r, .iov_len = sizeof(r) };
	struct msghdr mh;
	struct cmsghdr *c;
	uint64_t word;
	int fd;

	memset(&r, 0, sizeof(r));
	vfbc_sock_msg_hdr_init(&r.hdr, VFBC_SOCK_MSG_OPEN_REPLY, sizeof(r));
	r.vf_id = LK_VF;
	r.nb_vfs = LK_NB_VFS;
	r.region_size = vfbc_channel_region_size();
	r.pf_pid = (uint32_t)getpid();
	snprintf(r.pf_name, sizeof(r.pf_name), "%s", LK_CH_NAME);
	if (recv(conn, &m, sizeof(m), 0) != (ssize_t)sizeof(m) ||
	    getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0 ||
	    vfbc_channel_claim_grant(lk.ch, LK_VF, cred.pid, -1, -1, &word) < 0) {
		close(conn);
		return;
	}
	r.claim = word;
	fd = vfbc_channel_region_fd(lk.ch, LK_VF);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(conn, &mh, MSG_NOSIGNAL) < 0) {
		close(conn);
		return;
	}
	if (lk.conn_fd >= 0)
		close(lk.conn_fd);
	lk.conn_fd = conn;
}

static void *
lk_srv_main(void *arg __rte_unused)
{
	struct pollfd p = { .fd = lk.listen_fd, .events = POLLIN };
	int conn;

	while (!__atomic_load_n(&lk.stop, __ATOMIC_RELAXED)) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		conn = accept4(lk.listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn >= 0)
			lk_serve(conn);
	}
	return NULL;
}

static int
lk_setup(void)
{
	struct sockaddr_un sa;
	int ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	if (ret != TEST_SUCCESS)
		return ret;
	lk.ch = vfbc_channel_create_isolated(LK_CH_NAME, LK_NB_VFS);
	TEST_ASSERT_NOT_NULL(lk.ch, "channel: %s", rte_strerror(rte_errno));
	snprintf(lk.path, sizeof(lk.path), "/tmp/vfbc-iso-leak-%d.sock", (int)getpid());
	unlink(lk.path);
	lk.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	TEST_ASSERT(lk.listen_fd >= 0, "socket");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", lk.path);
	TEST_ASSERT_SUCCESS(bind(lk.listen_fd, (struct sockaddr *)&sa, sizeof(sa)), "bind");
	TEST_ASSERT_SUCCESS(listen(lk.listen_fd, 8), "listen");
	TEST_ASSERT_SUCCESS(pthread_create(&lk.thread, NULL, lk_srv_main, NULL), "thread");
	return TEST_SUCCESS;
}

static void
lk_teardown(void)
{
	__atomic_store_n(&lk.stop, 1, __ATOMIC_RELAXED);
	pthread_join(lk.thread, NULL);
	if (lk.conn_fd >= 0)
		close(lk.conn_fd);
	close(lk.listen_fd);
	unlink(lk.path);
	vfbc_channel_free(lk.ch);
}

static int
test_vf_isolated_reclaim_reclaim_leaks_regions(void)
{
	char args[256];
	uint16_t port;
	int i, ret, fds0, maps0, fds1, maps1, n = 64;

	snprintf(args, sizeof(args), "socket=%s,vf=%u,secret=%s", lk.path, LK_VF, LK_SECRET);
	TEST_ASSERT_SUCCESS(rte_vdev_init(LK_DEV, args), "probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(LK_DEV, &port), "port");
	/* One cycle first: settle the interrupt thread's descriptors. */
	TEST_ASSERT_SUCCESS(vfbc_vf_release(port), "release");
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(port), "claim");
	usleep(100000);
	fds0 = lk_count_fds();
	maps0 = lk_count_memfd_maps();
	for (i = 0; i < n; i++) {
		TEST_ASSERT_SUCCESS(vfbc_vf_release(port), "release %d", i);
		ret = vfbc_vf_claim(port);
		TEST_ASSERT_SUCCESS(ret, "claim %d: %s", i, strerror(-ret));
	}
	usleep(100000);
	fds1 = lk_count_fds();
	maps1 = lk_count_memfd_maps();
	rte_vdev_uninit(LK_DEV);
	printf("%d release/claim cycles of one honest consumer: descriptors %d -> %d, "
	       "region mappings %d -> %d\n", n, fds0, fds1, maps0, maps1);
	TEST_ASSERT(fds1 - fds0 < n / 2 && maps1 - maps0 < n / 2,
		    "each claim of an isolated port leaks a region (fd +%d, mappings +%d in "
		    "%d claims): vf_sock_attach() retires, never frees, the old handle",
		    fds1 - fds0, maps1 - maps0, n);
	return TEST_SUCCESS;
}

static struct unit_test_suite lk_suite = {
	.suite_name = "isolated consumer re-claims",
	.setup = lk_setup,
	.teardown = lk_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_isolated_reclaim_reclaim_leaks_regions),
		TEST_CASES_END()
	}
};

static int
test_vf_isolated_reclaim_vf_regrant_leak(void)
{
	return unit_test_suite_runner(&lk_suite);
}

REGISTER_TEST_COMMAND(vf_isolated_reclaim_autotest, test_vf_isolated_reclaim_vf_regrant_leak);
