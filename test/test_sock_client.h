/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_SOCK_CLIENT_H_
#define _TEST_SOCK_CLIENT_H_

/*
 * A raw client of net_vfbc_pf's control socket (no consumer driver), for
 * the tests that speak the protocol themselves: connect, open, read the
 * answer and the descriptors it carried.
 */

#include <stdint.h>
#include <sys/types.h>

#include <vfbc_sock_msg.h>

/* An answer as the client received it. */
struct test_sock_answer {
	struct vfbc_sock_open_reply r;
	ssize_t len;	/* bytes received; 0: hang-up */
	int nb_fds;	/* descriptors received */
	int fd;		/* the first one, -1: none */
	int wake_fd;	/* the second one (the wake socket), -1: none; more are closed */
};

/* Connect to path, answers awaited at most timeout_ms: the fd, or -1 (printed why). */
int test_sock_connect(const char *path, unsigned int timeout_ms);

/* An open of vf with secret, well formed. */
void test_sock_open_init(struct vfbc_sock_open *o, uint16_t vf, const char *secret);

/* Send len bytes of msg on fd: 0, or -1 (printed why). */
int test_sock_send(int fd, const void *msg, size_t len);

/* Receive the answer on fd: 0 (a->len 0: hang-up), or -1 (printed why). */
int test_sock_recv(int fd, struct test_sock_answer *a);

/* Close the descriptors an answer carried. */
void test_sock_answer_close(struct test_sock_answer *a);

#endif /* _TEST_SOCK_CLIENT_H_ */
