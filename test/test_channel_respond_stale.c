/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Answers to an earlier holder's requests (red-team findings against
 * "claims that a revoke cannot be raced past").
 *
 * vfbc_channel_respond() refuses (-ESTALE) an answer to a request dequeued
 * under an earlier grant, but it decides from a table of a ring's worth of
 * entries indexed by req_id modulo 32, and answers whatever the table does
 * not know ("fail open"). Two ordinary ways the table forgets the request
 * of a revoked holder, after which its answer reaches the next holder:
 *
 * 1. The next holder posts a ring's worth of requests (ids are a counter
 *    shared by the slot's holders): its request id + 32 takes the revoked
 *    holder's entry, and the stale answer is "unknown", so it goes out.
 *
 * 2. An answer attempt that fails (-ENOBUFS: the response ring is full)
 *    consumes the entry before the ring is tried; the retry, after the
 *    revoke and the next grant, is "unknown", so it goes out.
 *
 * Both failed before the fix: the table now never forgets a request in
 * flight (no eviction; kept when an answer fails) and refuses a duplicate id.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define RS_NAME "t_respond_stale"
#define RS_VFS 1
#define RS_RING 32

static struct vfbc_channel *rs_pf;
static struct vfbc_channel *rs_h[2];

static int
rs_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
rs_case_setup(void)
{
	rs_pf = vfbc_channel_create(RS_NAME, RS_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(rs_pf, "create failed: %s", rte_strerror(rte_errno));
	rs_h[0] = vfbc_channel_attach(RS_NAME);
	rs_h[1] = vfbc_channel_attach(RS_NAME);
	TEST_ASSERT(rs_h[0] != NULL && rs_h[1] != NULL, "attach failed");
	return TEST_SUCCESS;
}

static void
rs_case_teardown(void)
{
	vfbc_channel_free(rs_h[0]);
	vfbc_channel_free(rs_h[1]);
	vfbc_channel_free(rs_pf);
	rs_h[0] = rs_h[1] = NULL;
	rs_pf = NULL;
}

static int
rs_post(struct vfbc_channel *h, uint32_t *id)
{
	struct vfbc_channel_req req;
	int ret;

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	ret = vfbc_channel_request_post(h, 0, &req);
	if (ret == 0 && id != NULL)
		*id = req.req_id;
	return ret;
}

/* Everything B receives; fails if one of them answers a request of A's. */
static int
rs_b_got_only_its_own(uint32_t a_id, const char *how)
{
	struct vfbc_channel_resp resp;
	unsigned int stale = 0, n = 0;

	while (vfbc_channel_response_poll(rs_h[1], 0, &resp) == 1) {
		n++;
		if (resp.req_id == a_id && resp.status == -ESTALE) {
			stale++;
			printf("B received the answer to A's request %u (status %d)\n",
			       resp.req_id, resp.status);
		}
	}
	printf("B received %u answer(s), %u of them A's\n", n, stale);
	TEST_ASSERT_EQUAL(stale, 0, "the answer to the revoked holder's request reached the "
			  "next holder (%s)", how);
	return TEST_SUCCESS;
}

static int
test_stale_answer_after_the_next_holder_posted_a_ring_should_be_refused(void)
{
	struct vfbc_channel_req a_req, got;
	uint32_t id;
	int i, ret;

	/* A asks; the PF takes the request and starts a long job for it. */
	TEST_ASSERT_EQUAL(vfbc_channel_claim(rs_h[0], 0, -1), 0, "claim A");
	TEST_ASSERT_SUCCESS(rs_post(rs_h[0], NULL), "post A");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(rs_pf, 0, &a_req), 1, "dequeue A");
	/* A's VF is disabled; B is the slot's next consumer. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(rs_pf, 0), "revoke");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(rs_h[1], 0, -1), 0, "claim B");
	/* B works: a ring's worth of requests, each answered at once, each read. */
	for (i = 0; i < RS_RING; i++) {
		TEST_ASSERT_SUCCESS(rs_post(rs_h[1], &id), "post B %d", i);
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(rs_pf, 0, &got), 1,
				  "dequeue B %d", i);
		TEST_ASSERT_SUCCESS(vfbc_channel_respond(rs_pf, 0, &got, 0, "abcd", 4),
				    "respond B %d", i);
	}
	TEST_ASSERT_SUCCESS(rs_b_got_only_its_own(UINT32_MAX, "setup"), "B's own answers");
	printf("B's last request id %u, A's %u\n", id, a_req.req_id);
	/* A's job ends: its answer, under B's grant. */
	ret = vfbc_channel_respond(rs_pf, 0, &a_req, -ESTALE, NULL, 0);
	printf("answer to A's request %u after B's grant and %d of B's requests: %d\n",
	       a_req.req_id, RS_RING, ret);
	TEST_ASSERT_SUCCESS(rs_b_got_only_its_own(a_req.req_id,
			"its entry in the in-flight table was taken by B's request id + 32"),
			"delivered");
	TEST_ASSERT_EQUAL(ret, -ESTALE, "an answer to a revoked holder's request was sent: %d",
			  ret);
	return TEST_SUCCESS;
}

static int
test_stale_answer_retried_after_enobufs_should_be_refused(void)
{
	struct vfbc_channel_req got, r1, r2;
	int i, ret;

	TEST_ASSERT_EQUAL(vfbc_channel_claim(rs_h[0], 0, -1), 0, "claim A");
	/* A does not read its answers: 31 of them fill all but one slot of its ring. */
	for (i = 0; i < RS_RING - 1; i++) {
		TEST_ASSERT_SUCCESS(rs_post(rs_h[0], NULL), "post A %d", i);
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(rs_pf, 0, &got), 1,
				  "dequeue A %d", i);
		TEST_ASSERT_SUCCESS(vfbc_channel_respond(rs_pf, 0, &got, 0, "abcd", 4),
				    "respond A %d", i);
	}
	/* Two more; both dequeued while there is room for one answer. */
	TEST_ASSERT_SUCCESS(rs_post(rs_h[0], NULL), "post A r1");
	TEST_ASSERT_SUCCESS(rs_post(rs_h[0], NULL), "post A r2");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(rs_pf, 0, &r1), 1, "dequeue r1");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(rs_pf, 0, &r2), 1, "dequeue r2");
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(rs_pf, 0, &r1, 0, "abcd", 4), "respond r1");
	ret = vfbc_channel_respond(rs_pf, 0, &r2, -ESTALE, NULL, 0);
	TEST_ASSERT_EQUAL(ret, -ENOBUFS, "respond r2 to a full ring: %d", ret);
	/* A's VF is disabled; B claims; the PF tries r2's answer again. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(rs_pf, 0), "revoke");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(rs_h[1], 0, -1), 0, "claim B");
	ret = vfbc_channel_respond(rs_pf, 0, &r2, -ESTALE, NULL, 0);
	printf("retry of the answer to A's request %u after B's grant: %d\n", r2.req_id, ret);
	TEST_ASSERT_SUCCESS(rs_b_got_only_its_own(r2.req_id,
			"the failed first attempt consumed its in-flight entry"), "delivered");
	TEST_ASSERT_EQUAL(ret, -ESTALE, "an answer to a revoked holder's request was sent on "
			  "retry: %d", ret);
	return TEST_SUCCESS;
}

static struct unit_test_suite rs_suite = {
	.suite_name = "answers to an earlier holder's requests (red-team findings)",
	.setup = rs_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(rs_case_setup, rs_case_teardown,
			test_stale_answer_after_the_next_holder_posted_a_ring_should_be_refused),
		TEST_CASE_ST(rs_case_setup, rs_case_teardown,
			test_stale_answer_retried_after_enobufs_should_be_refused),
		TEST_CASES_END(),
	},
};

static int
test_channel_respond_stale(void)
{
	return unit_test_suite_runner(&rs_suite);
}

REGISTER_TEST_COMMAND(channel_respond_stale_autotest, test_channel_respond_stale);
