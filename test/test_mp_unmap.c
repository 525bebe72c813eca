/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A channel freed under its consumers (the library's unmap guard,
 * vfbc_channel_unmap.c). When the PF closes its port, its channel's memzone
 * is freed; if the memzone sat in hugepages the heap grew for it, EAL gives
 * them back and has every secondary map PROT_NONE over them. A consumer
 * that attached the channel by name then calls the library through a
 * handle whose memory is gone: every call must say -ENODEV (or, for the
 * questions, "not current", "not held"), none may fault, and freeing the
 * handle (which gives its claims back) must not write into the gone pages.
 *
 * The consumer is the channel library alone (mp_lib_vf), as an
 * application built on it is: the VF PMD's own checks are not in the way.
 * Two cases: an idle consumer that calls after the close, and one that
 * polls on, without a pause, across it (the guard's race: a read section
 * against EAL's memory event).
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_mp_unmap_common.h"
#include "vfbc_channel.h"

#define UNMAP_SPIN_MS	4000

static int
test_mp_unmap_idle(void)
{
	unsigned int filled, post;
	struct mp_world w;
	struct mp_child c;
	const void *hdr;
	uint16_t pf_port;
	int ret;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = mp_unmap_pf_in_own_pages(&w, &pf_port, &hdr, &filled, &post);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	if (mp_unmap_consumer_start(&c) < 0 || mp_unmap_call(&c, "pollinv 0", 0) < 0)
		goto out;
	if (mp_unmap_pf_close(pf_port, hdr, post) != TEST_SUCCESS)
		goto out;
	if (mp_unmap_call(&c, "current", 0) < 0 ||
	    mp_unmap_call(&c, "holds 0", 0) < 0 ||
	    mp_unmap_call(&c, "pollinv 0", -ENODEV) < 0 ||
	    mp_unmap_call(&c, "life 0", -ENODEV) < 0 ||
	    mp_unmap_call(&c, "post 0 1 0 -", -ENODEV) < 0 ||
	    mp_unmap_call(&c, "rpoll 0", -ENODEV) < 0 ||
	    mp_unmap_call(&c, "release 0", -ENODEV) < 0 ||
	    mp_unmap_call(&c, "release 0", -EPERM) < 0)
		goto out;
	/* The handle freed: it holds no claim to give back now, nothing is written. */
	if (mp_child_send(&c, "quit") < 0 ||
	    mp_child_expect(&c, "bye", NULL, 0, MP_UNMAP_CMD_MS) < 0)
		goto out;
	ret = mp_child_wait(&c, MP_UNMAP_CMD_MS) == 0 ? TEST_SUCCESS : TEST_FAILED;
	if (ret != TEST_SUCCESS)
		printf("the consumer did not end cleanly\n");
out:
	mp_unmap_consumer_quit(&c);
	mp_unmap_unfill("unmap_fill_", filled);
	return ret;
}

static int
test_mp_unmap_spinning(void)
{
	unsigned int filled, post;
	char rest[MP_LINE_MAX];
	struct mp_world w;
	struct mp_child c;
	unsigned long polls, eperm;
	const void *hdr;
	uint16_t pf_port;
	int ret, r;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = mp_unmap_pf_in_own_pages(&w, &pf_port, &hdr, &filled, &post);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	if (mp_unmap_consumer_start(&c) < 0 || mp_child_send(&c, "spin 0 %u", UNMAP_SPIN_MS) < 0)
		goto out;
	/* Let it spin, then free the channel under it. */
	usleep(200 * 1000);
	if (mp_unmap_pf_close(pf_port, hdr, post) != TEST_SUCCESS)
		goto out;
	if (mp_child_expect(&c, "spin", rest, sizeof(rest), UNMAP_SPIN_MS + MP_UNMAP_CMD_MS) < 0 ||
	    sscanf(rest, "ret=%d polls=%lu eperm=%lu", &r, &polls, &eperm) != 3) {
		printf("the spinning consumer did not answer%s\n",
		       mp_child_wait(&c, 2000) == 128 + SIGSEGV ? " (it faulted)" : "");
		goto out;
	}
	printf("the spinning consumer: %lu polls, %lu of them -EPERM, "
	       "then %d\n", polls, eperm, r);
	if (r != -ENODEV) {
		printf("its last poll returned %d, want -ENODEV\n", r);
		goto out;
	}
	if (mp_child_send(&c, "quit") < 0 ||
	    mp_child_expect(&c, "bye", NULL, 0, MP_UNMAP_CMD_MS) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_unmap_consumer_quit(&c);
	mp_unmap_unfill("unmap_fill_", filled);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_idle_autotest, test_mp_unmap_idle, "--total-vfs 4",
				  "mp");
REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_spinning_autotest, test_mp_unmap_spinning,
				  "--total-vfs 4", "mp");
