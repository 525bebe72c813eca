/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * a takeover does not repair the doorbell arm.
 *
 * The consumer's poll drains the notify ring, then re-arms (S1: armed = 1).
 * A consumer killed between the two (or a buggy one that stores armed = 0
 * in its own notify line) leaves armed at 0. vfbc_channel_claim_grant()
 * repairs the request and response rings and sets resync, but not the arm;
 * and the next consumer's poll re-arms only after consuming a doorbell,
 * which no producer will ever enqueue again (every invalidate sees armed ==
 * 0 and counts itself "coalesced"). From then on:
 *
 * - no doorbell ever reaches the VF: a consumer that sleeps until a doorbell
 *   (what vfbc_lib.rst says "also loses nothing", and what
 *   channel_stress_autotest's waiter does) never wakes for new bits;
 * - the counters say every invalidation was coalesced.
 *
 * vfbc_reliability.rst: "A takeover repairs whatever the previous holder
 * left in the rings". Expected: after the takeover, the next invalidate
 * enqueues a doorbell. Observed: none, for good.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define RA_NAME "brk_rearm"

static struct vfbc_channel *ra_pf, *ra_vf;

static int
ra_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
ra_case_setup(void)
{
	ra_pf = vfbc_channel_create(RA_NAME, 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ra_pf, "create: %s", rte_strerror(rte_errno));
	ra_vf = vfbc_channel_attach(RA_NAME);
	TEST_ASSERT_NOT_NULL(ra_vf, "attach: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
ra_case_teardown(void)
{
	vfbc_channel_free(ra_vf);
	vfbc_channel_free(ra_pf);
}

/* Doorbells waiting for ra_vf's consumer. */
static int
ra_doorbells(void)
{
	return __vfbc_ring_count(__vfbc_channel_ring(ra_vf, 0, ra_vf->notify_ring_off),
				 ra_vf->vf[0].notify_cons, VFBC_CHANNEL_NOTIFY_RING_SIZE);
}

static int
test_takeover_leaves_the_arm_down(void)
{
	struct vfbc_channel_shm_vf *v = __vfbc_channel_vf(ra_pf, 0);
	struct vfbc_ring_shm *r = __vfbc_channel_ring(ra_pf, 0, ra_pf->notify_ring_off);
	struct vfbc_channel_stats st;
	uint64_t m = 0;
	pid_t dead;
	int i, n;

	/* Consumer A, another process: granted, it takes the doorbell of one invalidate... */
	dead = fork();
	if (dead == 0) {
		pause();
		_exit(0);
	}
	TEST_ASSERT(dead > 0, "fork");
	TEST_ASSERT(vfbc_channel_claim_grant(ra_pf, 0, dead, -1, -1, NULL) >= 0, "grant to A");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ra_pf, 0, 0x1), "invalidate");
	TEST_ASSERT_EQUAL(__atomic_load_n(&v->notify.armed, __ATOMIC_RELAXED), 0, "arm taken");
	/* ...drains the ring and dies before its re-arm (S1). */
	__atomic_store_n(&r->cons, __atomic_load_n(&r->prod, __ATOMIC_RELAXED), __ATOMIC_RELEASE);
	kill(dead, SIGKILL);
	waitpid(dead, NULL, 0);

	/* Consumer B takes over: its first poll is the documented "all blocks". */
	TEST_ASSERT_EQUAL(vfbc_channel_claim(ra_vf, 0, -1), 1, "takeover");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ra_vf, 0, &m), 1, "resync poll");
	TEST_ASSERT_EQUAL(m, VFBC_CHANNEL_ALL_BLOCKS, "resync mask 0x%" PRIx64, m);

	/* New invalidations: B, sleeping until a doorbell, must be woken. */
	for (i = 0; i < 10; i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ra_pf, 0, UINT64_C(1) << (i + 1)),
				    "invalidate");
	n = ra_doorbells();
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ra_pf, 0, &st), "stats");
	printf("after the takeover: 10 invalidations, %d doorbells queued, armed=%u; "
	       "doorbells %" PRIu64 ", coalesced %" PRIu64 "\n", n,
	       __atomic_load_n(&v->notify.armed, __ATOMIC_RELAXED), st.doorbells, st.coalesced);
	if (n == 0) {
		printf("bits 0x%" PRIx64 " are pending and no doorbell will ever announce them\n",
		       __atomic_load_n(&v->notify.pending, __ATOMIC_RELAXED));
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite rearm_suite = {
	.suite_name = "the doorbell arm across a takeover (a red-team finding)",
	.setup = ra_setup,
	.unit_test_cases = {
		TEST_CASE_ST(ra_case_setup, ra_case_teardown,
			     test_takeover_leaves_the_arm_down),
		TEST_CASES_END()
	}
};

static int
test_channel_rearm(void)
{
	return unit_test_suite_runner(&rearm_suite);
}

REGISTER_TEST_COMMAND(channel_rearm_autotest, test_channel_rearm);
