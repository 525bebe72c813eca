/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Claims racing revokes: three defects a red team found (each case failed
 * before its fix).
 *
 * 1. vfbc_channel_claim_grant() checked the slot's address and the proof
 *    with the slot lock dropped, then granted without looking again: a
 *    disable (revoke, address withdrawn) in between was undone, and the
 *    claim survived into the next function. The verifier below plays the
 *    disable at the exact point of the window; the grant must refuse.
 *
 * 2. vfbc_channel_poll_invalidations() checked the claim once, on entry: a
 *    holder whose claim was revoked while it polled took the resync meant
 *    for the next holder. A thread polls the holder's handle while the main
 *    thread revokes; the next holder must see VFBC_CHANNEL_ALL_BLOCKS.
 *
 * 3. vfbc_channel_respond() did not know which grant a request was
 *    dequeued under: the answer to a revoked holder's request (an FLR job
 *    still running at the disable) reached the next holder. It must be
 *    refused.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define CR_NAME "t_claim_revoke"
#define CR_VFS 2

static struct vfbc_channel *cr_pf;
static struct vfbc_channel *cr_h[2];

static int
cr_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
cr_case_setup(void)
{
	cr_pf = vfbc_channel_create(CR_NAME, CR_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(cr_pf, "create failed: %s", rte_strerror(rte_errno));
	cr_h[0] = vfbc_channel_attach(CR_NAME);
	cr_h[1] = vfbc_channel_attach(CR_NAME);
	TEST_ASSERT(cr_h[0] != NULL && cr_h[1] != NULL, "attach failed");
	return TEST_SUCCESS;
}

static void
cr_case_teardown(void)
{
	vfbc_channel_free(cr_h[0]);
	vfbc_channel_free(cr_h[1]);
	vfbc_channel_free(cr_pf);
	cr_h[0] = cr_h[1] = NULL;
	cr_pf = NULL;
}

/* Accepts any proof; once armed, the VF is disabled while it verifies. */
static int cr_disable_in_window;

static int
cr_verify(const struct vfbc_channel *c __rte_unused, uint16_t vf,
	  const struct rte_pci_addr *addr __rte_unused, int proof_fd __rte_unused,
	  void *arg __rte_unused)
{
	if (cr_disable_in_window) {
		cr_disable_in_window = 0;
		/* What vfbc_pf_mbox_refresh() does for a VF that goes away. */
		vfbc_channel_claim_revoke(cr_pf, vf);
		vfbc_channel_vf_addr_set(cr_pf, vf, NULL);
	}
	return 0;
}

static int
test_claim_racing_a_disable_should_not_be_granted(void)
{
	struct rte_pci_addr addr = { .domain = 0, .bus = 2, .devid = 0, .function = 1 };
	struct vfbc_channel_req req;
	int proof, ret;
	pid_t pid = 0;

	proof = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	TEST_ASSERT(proof >= 0, "open failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_verify_set(cr_pf, cr_verify, NULL), "verify set");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(cr_pf, 0, &addr), "addr set");

	/* The claim is checked while the VF is there, granted after it left. */
	cr_disable_in_window = 1;
	ret = vfbc_channel_claim(cr_h[0], 0, proof);
	printf("claim racing the disable: %d; slot address %s\n", ret,
	       vfbc_channel_vf_addr_get(cr_pf, 0, &addr) == 0 ? "published" : "withdrawn");
	/* VFs enabled again: a new function at the same address (the refresh of an enable). */
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(cr_pf, 0, &addr), "addr set again");
	close(proof);

	if (vfbc_channel_claim_granted(cr_pf, 0, &pid) == 1)
		printf("the PF names %d the consumer of the new function: its proof was for "
		       "the old one\n", (int)pid);
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	ret = vfbc_channel_request_post(cr_h[0], 0, &req);
	if (ret == 0)
		printf("and its request on the new function was accepted\n");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_granted(cr_pf, 0, NULL), 0,
			  "a claim checked before a disable was granted after it, and "
			  "survives the next enable");
	TEST_ASSERT_EQUAL(ret, -EPERM, "post on the new function: %d", ret);
	return TEST_SUCCESS;
}

/* The revoked holder's poller; flags between the two threads are atomics. */
static struct vfbc_channel *cr_poll_h;
static int cr_poll_run;
static int cr_poll_quit;
static unsigned long cr_poll_iters;
static int cr_poll_idle;

#define CR_LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define CR_STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static void *
cr_poller(void *arg __rte_unused)
{
	uint64_t mask;

	while (!CR_LOAD(cr_poll_quit)) {
		if (!CR_LOAD(cr_poll_run)) {
			CR_STORE(cr_poll_idle, 1);
			continue;
		}
		CR_STORE(cr_poll_idle, 0);
		vfbc_channel_poll_invalidations(CR_LOAD(cr_poll_h), 0, &mask);
		__atomic_fetch_add(&cr_poll_iters, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

#define CR_STRESS_S 10

static int
test_revoked_holder_mid_poll_should_not_take_the_next_consumers_resync(void)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * CR_STRESS_S;
	unsigned long rounds = 0, lost = 0, start;
	uint64_t mask;
	pthread_t t;
	int cur = 0, ret;

	TEST_ASSERT_EQUAL(vfbc_channel_claim(cr_h[cur], 0, -1), 0, "first claim");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(cr_h[cur], 0, &mask), 0, "poll");
	CR_STORE(cr_poll_quit, 0);
	CR_STORE(cr_poll_run, 0);
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, cr_poller, NULL), "thread");
	while (rte_get_timer_cycles() < end && lost == 0) {
		/* The holder polls, as a VF port's poll does... */
		CR_STORE(cr_poll_h, cr_h[cur]);
		start = CR_LOAD(cr_poll_iters);
		CR_STORE(cr_poll_run, 1);
		while (CR_LOAD(cr_poll_iters) - start < 2)
			;
		/* ...when the PF revokes its claim (its VF disabled). */
		vfbc_channel_claim_revoke(cr_pf, 0);
		CR_STORE(cr_poll_run, 0);
		while (!CR_LOAD(cr_poll_idle))
			;
		/* The next consumer. */
		cur ^= 1;
		ret = vfbc_channel_claim(cr_h[cur], 0, -1);
		TEST_ASSERT_EQUAL(ret, 0, "claim after revoke: %d", ret);
		ret = vfbc_channel_poll_invalidations(cr_h[cur], 0, &mask);
		if (ret != 1 || mask != VFBC_CHANNEL_ALL_BLOCKS)
			lost++;
		rounds++;
	}
	CR_STORE(cr_poll_quit, 1);
	pthread_join(t, NULL);
	printf("%lu revokes under a poll; the next consumer missed its \"all blocks\" "
	       "%lu time(s)\n", rounds, lost);
	TEST_ASSERT(rounds > 0, "no round");
	TEST_ASSERT_EQUAL(lost, 0, "a revoked holder's poll took the resync meant for the "
			  "next consumer, which saw no \"all blocks\"");
	return TEST_SUCCESS;
}

static int
test_answer_to_a_revoked_claim_should_not_reach_the_next_holder(void)
{
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req, got;
	int ret;

	TEST_ASSERT_EQUAL(vfbc_channel_claim(cr_h[0], 0, -1), 0, "claim A");
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(cr_h[0], 0, &req), "post A");
	/* The PF takes A's request and starts working on it (a job). */
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(cr_pf, 0, &got), 1, "dequeue");
	/* Meanwhile A's VF is disabled, and the slot's next consumer claims it. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(cr_pf, 0), "revoke");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(cr_h[1], 0, -1), 0, "claim B");
	/* The job ends: its answer. */
	ret = vfbc_channel_respond(cr_pf, 0, &got, -ESTALE, NULL, 0);
	printf("answer to A's request %u after B's grant: %d\n", got.req_id, ret);
	ret = vfbc_channel_response_poll(cr_h[1], 0, &resp);
	if (ret == 1)
		printf("B, which posted nothing, received the answer to request %u (status %d)\n",
		       resp.req_id, resp.status);
	TEST_ASSERT_EQUAL(ret, 0, "the answer to the revoked holder's request was delivered "
			  "to the next holder");
	return TEST_SUCCESS;
}

static struct unit_test_suite cr_suite = {
	.suite_name = "claims racing revokes (red-team findings)",
	.setup = cr_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(cr_case_setup, cr_case_teardown,
			test_claim_racing_a_disable_should_not_be_granted),
		TEST_CASE_ST(cr_case_setup, cr_case_teardown,
			test_revoked_holder_mid_poll_should_not_take_the_next_consumers_resync),
		TEST_CASE_ST(cr_case_setup, cr_case_teardown,
			test_answer_to_a_revoked_claim_should_not_reach_the_next_holder),
		TEST_CASES_END(),
	},
};

static int
test_channel_claim_revoke(void)
{
	return unit_test_suite_runner(&cr_suite);
}

REGISTER_TEST_COMMAND(channel_claim_revoke_autotest, test_channel_claim_revoke);
