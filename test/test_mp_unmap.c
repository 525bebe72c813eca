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
	struct mp_unmap_world u;
	int ret;

	ret = mp_unmap_start(&u);
	if (ret != TEST_SUCCESS)
		goto out;
	ret = TEST_FAILED;
	if (mp_unmap_call(&u.c, "pollinv 0", 0) < 0 || mp_unmap_close(&u) != TEST_SUCCESS)
		goto out;
	if (mp_unmap_call(&u.c, "current", 0) < 0 ||
	    mp_unmap_call(&u.c, "holds 0", 0) < 0 ||
	    mp_unmap_call(&u.c, "pollinv 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "life 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "post 0 1 0 -", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "rpoll 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "release 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "release 0", -EPERM) < 0)
		goto out;
	/* The handle freed: it holds no claim to give back now, nothing is written. */
	ret = mp_unmap_consumer_bye(&u) == 0 ? TEST_SUCCESS : TEST_FAILED;
out:
	mp_unmap_end(&u);
	return ret;
}

static int
test_mp_unmap_spinning(void)
{
	unsigned long polls, eperm;
	char rest[MP_LINE_MAX];
	struct mp_unmap_world u;
	int ret, r;

	ret = mp_unmap_start(&u);
	if (ret != TEST_SUCCESS)
		goto out;
	ret = TEST_FAILED;
	if (mp_child_send(&u.c, "spin 0 %u", UNMAP_SPIN_MS) < 0)
		goto out;
	/* Let it spin, then free the channel under it. */
	usleep(200 * 1000);
	if (mp_unmap_close(&u) != TEST_SUCCESS)
		goto out;
	if (mp_child_expect(&u.c, "spin", rest, sizeof(rest),
			    UNMAP_SPIN_MS + MP_UNMAP_CMD_MS) < 0 ||
	    sscanf(rest, "ret=%d polls=%lu eperm=%lu", &r, &polls, &eperm) != 3) {
		printf("the spinning consumer did not answer%s\n",
		       mp_child_wait(&u.c, 2000) == 128 + SIGSEGV ? " (it faulted)" : "");
		goto out;
	}
	printf("the spinning consumer: %lu polls, %lu of them -EPERM, then %d\n", polls, eperm,
	       r);
	if (r != -ENODEV) {
		printf("its last poll returned %d, want -ENODEV\n", r);
		goto out;
	}
	ret = mp_unmap_consumer_bye(&u) == 0 ? TEST_SUCCESS : TEST_FAILED;
out:
	mp_unmap_end(&u);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_idle_autotest, test_mp_unmap_idle, "--total-vfs 4",
				  "mp");
REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_spinning_autotest, test_mp_unmap_spinning,
				  "--total-vfs 4", "mp");
