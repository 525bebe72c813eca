/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The give-back of vfbc_channel_poll_invalidations() (A8), red-team
 * finding against "claims that a revoke cannot be raced past".
 *
 * A holder's poll that took the resync flag and then finds its claim gone
 * stores the flag back "for the next holder's next poll". But the next
 * holder may already have been granted, have taken the flag its grant
 * published and acted on "all blocks": the flag given back is a second
 * "all blocks" for one grant (the API says once). Deterministic: the poll
 * is single-stepped (x86 trap flag); right after its exchange on the flag
 * the PF revokes, the next consumer claims and polls; then the poll goes
 * on.
 *
 * It failed before the fix: the flag carries its grant's epoch, and a poll
 * that lost its claim gives it back only when a later grant published it.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define GB_NAME "t_poll_giveback"

static struct vfbc_channel *gb_pf;
static struct vfbc_channel *gb_h[2];

static int
gb_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
gb_case_setup(void)
{
	gb_pf = vfbc_channel_create(GB_NAME, 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(gb_pf, "create failed: %s", rte_strerror(rte_errno));
	gb_h[0] = vfbc_channel_attach(GB_NAME);
	gb_h[1] = vfbc_channel_attach(GB_NAME);
	TEST_ASSERT(gb_h[0] != NULL && gb_h[1] != NULL, "attach failed");
	return TEST_SUCCESS;
}

static void
gb_case_teardown(void)
{
	vfbc_channel_free(gb_h[0]);
	vfbc_channel_free(gb_h[1]);
	vfbc_channel_free(gb_pf);
	gb_h[0] = gb_h[1] = NULL;
	gb_pf = NULL;
}

/*
 * ThreadSanitizer delivers signals at its own safe points, not after the
 * instruction that trapped: single-stepping under it is not single steps.
 */
#if defined(__SANITIZE_THREAD__)
#define GB_STEPPABLE 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GB_STEPPABLE 0
#endif
#endif
#ifndef GB_STEPPABLE
#define GB_STEPPABLE 1
#endif

#if defined(RTE_ARCH_X86_64) && GB_STEPPABLE

#define GB_TF 0x100
#define GB_MAX_STEPS 200000

static uint32_t *gb_resync;
static volatile sig_atomic_t gb_armed, gb_done;
static volatile unsigned long gb_steps;
static int gb_b_claim = -1, gb_b_poll = -1;
static uint64_t gb_b_mask;

static void
gb_usr1(int sig __rte_unused, siginfo_t *si __rte_unused, void *ucv)
{
	ucontext_t *uc = ucv;

	if (gb_armed)
		uc->uc_mcontext.gregs[REG_EFL] |= GB_TF;
}

static void
gb_trap(int sig __rte_unused, siginfo_t *si __rte_unused, void *ucv)
{
	ucontext_t *uc = ucv;

	gb_steps++;
	/* The only writer of 0: the holder's poll has just exchanged the flag. */
	if (!gb_done && __atomic_load_n(gb_resync, __ATOMIC_SEQ_CST) == 0) {
		gb_done = 1;
		/* The PF disables the VF; the next consumer claims and polls. */
		vfbc_channel_claim_revoke(gb_pf, 0);
		gb_b_claim = vfbc_channel_claim(gb_h[1], 0, -1);
		gb_b_poll = vfbc_channel_poll_invalidations(gb_h[1], 0, &gb_b_mask);
	}
	if (gb_done || gb_steps > GB_MAX_STEPS)
		uc->uc_mcontext.gregs[REG_EFL] &= ~GB_TF;
}

static int
test_give_back_should_not_be_a_second_all_blocks(void)
{
	struct sigaction sa, old_usr1, old_trap;
	uint64_t mask = 0;
	int a_ret, ret, extra = 0;

	gb_resync = &__vfbc_channel_vf(gb_h[0], 0)->consumer.resync;
	/* A's grant publishes a resync: a claim revoked before it. */
	TEST_ASSERT_EQUAL(vfbc_channel_claim(gb_h[1], 0, -1), 0, "first claim");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(gb_pf, 0), "revoke");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(gb_h[0], 0, -1), 0, "claim A");
	TEST_ASSERT(__atomic_load_n(gb_resync, __ATOMIC_SEQ_CST) != 0, "A's resync");

	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = gb_usr1;
	sigaction(SIGUSR1, &sa, &old_usr1);
	sa.sa_sigaction = gb_trap;
	sigaction(SIGTRAP, &sa, &old_trap);

	/* A polls, single-stepped until it has taken the flag. */
	gb_done = 0;
	gb_steps = 0;
	gb_armed = 1;
	raise(SIGUSR1);
	a_ret = vfbc_channel_poll_invalidations(gb_h[0], 0, &mask);
	gb_armed = 0;
	sigaction(SIGUSR1, &old_usr1, NULL);
	sigaction(SIGTRAP, &old_trap, NULL);

	printf("A's poll: %d after %lu steps; in it, B claimed %d and polled %d (mask %#"
	       PRIx64 ")\n", a_ret, gb_steps, gb_b_claim, gb_b_poll, gb_b_mask);
	TEST_ASSERT(gb_done, "the window was not reached");
	TEST_ASSERT_EQUAL(gb_b_claim, 0, "claim B");
	TEST_ASSERT(gb_b_poll == 1 && gb_b_mask == VFBC_CHANNEL_ALL_BLOCKS,
		    "B did not get its \"all blocks\"");
	/* B has acted on every block; nothing was invalidated since. */
	ret = vfbc_channel_poll_invalidations(gb_h[1], 0, &mask);
	if (ret == 1 && mask == VFBC_CHANNEL_ALL_BLOCKS) {
		extra = 1;
		printf("B's next poll: \"all blocks\" again (the flag A's poll gave back)\n");
	}
	TEST_ASSERT_EQUAL(extra, 0, "one grant, two \"all blocks\": a revoked holder's poll "
			  "gave back a resync the next holder had already taken");
	TEST_ASSERT_EQUAL(ret, 0, "B's second poll: %d", ret);
	return TEST_SUCCESS;
}

#else

static int
test_give_back_should_not_be_a_second_all_blocks(void)
{
	printf("skipped: needs x86-64 trap-flag single-stepping, which ThreadSanitizer's "
	       "deferred signals break\n");
	return TEST_SKIPPED;
}

#endif

static struct unit_test_suite gb_suite = {
	.suite_name = "poll give-back (red-team finding)",
	.setup = gb_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(gb_case_setup, gb_case_teardown,
			test_give_back_should_not_be_a_second_all_blocks),
		TEST_CASES_END(),
	},
};

static int
test_channel_poll_giveback(void)
{
	return unit_test_suite_runner(&gb_suite);
}

REGISTER_TEST_COMMAND(channel_poll_giveback_autotest, test_channel_poll_giveback);
