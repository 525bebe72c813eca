/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* A raw client of net_vfbc_pf's control socket (see test_sock_client.h). */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_string_fns.h>

#include "test_sock_client.h"

int
test_sock_connect(const char *path, unsigned int timeout_ms)
{
	struct timeval tv = {
		.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000,
	};
	struct sockaddr_un sa;
	int fd;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
		printf("connect %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void
test_sock_open_init(struct vfbc_sock_open *o, uint16_t vf, const char *secret)
{
	memset(o, 0, sizeof(*o));
	vfbc_sock_msg_hdr_init(&o->hdr, VFBC_SOCK_MSG_OPEN, sizeof(*o));
	o->vf_id = vf;
	o->secret_len = (uint32_t)strlen(secret);
	memcpy(o->secret, secret, o->secret_len);
}

int
test_sock_send(int fd, const void *msg, size_t len)
{
	if (send(fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len) {
		printf("send: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int
test_sock_recv(int fd, struct test_sock_answer *a)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = &a->r, .iov_len = sizeof(a->r) };
	struct msghdr mh;
	struct cmsghdr *c;
	int fds[4], i, n;

	memset(a, 0, sizeof(*a));
	a->fd = a->wake_fd = -1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	a->len = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	if (a->len < 0) {
		printf("recvmsg: %s\n", strerror(errno));
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(c), n * sizeof(int));
		for (i = 0; i < n; i++) {
			if (a->fd < 0)
				a->fd = fds[i];
			else if (a->wake_fd < 0)
				a->wake_fd = fds[i];
			else
				close(fds[i]);
		}
		a->nb_fds += n;
	}
	return 0;
}

void
test_sock_answer_close(struct test_sock_answer *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->wake_fd >= 0)
		close(a->wake_fd);
	a->fd = a->wake_fd = -1;
}
