/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, VF -> PF requests: record validation field by field,
 * post/dequeue/respond round trips, malformed records written straight into
 * the ring by a misbehaving VF, ring headers a VF wrecked (geometry words
 * the PF must ignore, indexes it must bound), the doorbell bitmap, full
 * rings.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_request"
#define CH_VFS 4

static struct vfbc_channel *ch;

static int
request_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
request_case_setup(void)
{
	uint16_t vf;

	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	/* The creating handle plays every VF's consumer too. */
	for (vf = 0; vf < CH_VFS; vf++)
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(ch, vf, -1), "claim of VF %u", vf);
	return TEST_SUCCESS;
}

static void
request_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static void
req_make(struct vfbc_channel_req *req, uint16_t type, uint16_t vf, uint32_t target, uint32_t len)
{
	memset(req, 0, sizeof(*req));
	req->type = type;
	req->vf_id = vf;
	req->target = target;
	req->len = len;
}

static int
req_ring_count(uint16_t vf)
{
	const struct vfbc_ring_shm *r = __vfbc_channel_ring(ch, vf, ch->req_ring_off);

	return __vfbc_ring_count(r, __atomic_load_n(&r->cons, __ATOMIC_RELAXED),
				 VFBC_CHANNEL_REQ_RING_SIZE);
}

/* Each mutation of a valid record, and the errno the validator must give. */
static int
test_channel_request_validate_should_reject_every_malformed_field(void)
{
	static const struct {
		uint16_t type;
		uint16_t vf_id;
		uint32_t target;
		uint32_t len;
		int err;
	} cases[] = {
		{ VFBC_CHANNEL_REQ_CFG_READ, 1, 0, 4, 0 },
		{ VFBC_CHANNEL_REQ_CFG_READ, 1, 0, VFBC_CHANNEL_BLOCK_SIZE, 0 },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 1, VFBC_CHANNEL_CFG_SPACE_SIZE - 2, 2, 0 },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, 0, 1, 0 },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, 63, VFBC_CHANNEL_BLOCK_SIZE, 0 },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, 100, 8, 0 }, /* bound below */
		{ 0, 1, 0, 4, -ENOTSUP },
		{ 4, 1, 0, 4, -ENOTSUP },
		{ UINT16_MAX, 1, 0, 4, -ENOTSUP },
		{ VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_READ, 2, 0, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_READ, UINT16_MAX, 0, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_READ, 1, 0, 0, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 1, 0, VFBC_CHANNEL_BLOCK_SIZE + 1, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, 0, UINT32_MAX, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, 0, 0, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_CFG_READ, 1, VFBC_CHANNEL_CFG_SPACE_SIZE, 1, -ERANGE },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 1, VFBC_CHANNEL_CFG_SPACE_SIZE - 1, 2, -ERANGE },
		{ VFBC_CHANNEL_REQ_CFG_READ, 1, UINT32_MAX, 1, -ERANGE },
		{ VFBC_CHANNEL_REQ_CFG_READ, 1, UINT32_MAX - 2, 4, -ERANGE },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, 64, 8, -ENOENT },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 1, UINT32_MAX, 8, -ENOENT },
	};
	struct vfbc_channel_req req;
	unsigned int i;
	int ret;

	/* Block 100 addressable on VF 1 only once the PF stored it. */
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 100, NULL, 0), "bind failed");
	for (i = 0; i < RTE_DIM(cases); i++) {
		req_make(&req, cases[i].type, cases[i].vf_id, cases[i].target, cases[i].len);
		ret = vfbc_channel_request_validate(ch, 1, &req);
		TEST_ASSERT_EQUAL(ret, cases[i].err,
				"case %u (type %u vf %u target %u len %u): %d, expected %d", i,
				cases[i].type, cases[i].vf_id, cases[i].target, cases[i].len, ret,
				cases[i].err);
	}
	req_make(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 0, 100, 8);
	TEST_ASSERT_EQUAL(vfbc_channel_request_validate(ch, 0, &req), -ENOENT,
			"VF 0 reached VF 1's extra block");

	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 1, 0, 4);
	TEST_ASSERT_EQUAL(vfbc_channel_request_validate(NULL, 1, &req), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_request_validate(ch, 1, NULL), -EINVAL, "NULL req");
	TEST_ASSERT_EQUAL(vfbc_channel_request_validate(ch, CH_VFS, &req), -EINVAL, "bad vf");
	return TEST_SUCCESS;
}

static int
test_channel_request_should_round_trip_to_its_response(void)
{
	static const uint8_t answer[4] = { 0x36, 0x1b, 0xb1, 0x10 };
	struct vfbc_channel_stats st;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req got;
	struct vfbc_channel_req req;
	uint16_t vfs[CH_VFS];

	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 2, &req), "post failed");
	TEST_ASSERT_EQUAL(req.vf_id, 2, "post did not set vf_id");
	TEST_ASSERT_EQUAL(req.req_id, 1, "first request id %u", req.req_id);

	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1, "scan");
	TEST_ASSERT_EQUAL(vfs[0], 2, "scan found VF %u", vfs[0]);
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 2, &got), 1, "nothing dequeued");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&got, &req, sizeof(req), "dequeued a different record");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 2, &got), 0, "dequeued twice");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 0,
			"doorbell still set");

	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 2, &got, 0, answer, sizeof(answer)),
			"respond failed");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 2, &resp), 1, "no response");
	TEST_ASSERT(resp.req_id == req.req_id && resp.type == req.type && resp.vf_id == 2 &&
			resp.status == 0 && resp.len == sizeof(answer),
			"response id %u type %u vf %u status %d len %u", resp.req_id, resp.type,
			resp.vf_id, resp.status, resp.len);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(resp.data, answer, sizeof(answer), "response data");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 2, &resp), 0, "second response");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 1, &resp), 0, "response on VF 1");

	/* Ids advance per VF. */
	req_make(&req, VFBC_CHANNEL_REQ_CFG_WRITE, 0, 0x10, 2);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 2, &req), "post failed");
	TEST_ASSERT_EQUAL(req.req_id, 2, "second request id %u", req.req_id);

	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 2, &st), "stats_get failed");
	TEST_ASSERT(st.requests_posted == 2 && st.requests_accepted == 1 &&
			st.responses == 1 && st.responses_received == 1 &&
			st.requests_rejected == 0,
			"posted %" PRIu64 " accepted %" PRIu64 " responses %" PRIu64
			" received %" PRIu64, st.requests_posted, st.requests_accepted,
			st.responses, st.responses_received);
	return TEST_SUCCESS;
}

static int
test_channel_post_of_invalid_request_should_enqueue_nothing(void)
{
	struct vfbc_channel_req req;
	uint16_t vfs[CH_VFS];

	req_make(&req, 9, 0, 0, 4);
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 1, &req), -ENOTSUP, "unknown type");
	req_make(&req, VFBC_CHANNEL_REQ_CFG_WRITE, 0, 0, 0);
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 1, &req), -EMSGSIZE, "len 0");
	req_make(&req, VFBC_CHANNEL_REQ_CFG_WRITE, 0, 4095, 4);
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 1, &req), -ERANGE, "past config space");
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(NULL, 1, &req), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 1, NULL), -EINVAL, "NULL req");
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, CH_VFS, &req), -EINVAL, "bad vf");
	TEST_ASSERT_EQUAL(req_ring_count(1), 0, "a refused request was enqueued");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 0,
			"a refused request rang the doorbell");
	return TEST_SUCCESS;
}

static int
test_channel_malformed_records_in_ring_should_be_answered_never_returned(void)
{
	static const struct {
		uint16_t type;
		uint16_t vf_id;
		uint32_t target;
		uint32_t len;
		int err;
	} junk[] = {
		{ 77, 3, 0, 4, -ENOTSUP },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 0, 0, 4, -EPERM },   /* speaks for VF 0 */
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 3, 0, 4096, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_CFG_READ, 3, 0xfffffff0, 0x20, -ERANGE },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, 1000, 4, -ENOENT },
	};
	struct vfbc_channel_stats st;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	struct vfbc_ring_shm *r;
	uint16_t vfs[CH_VFS];
	unsigned int i;

	/* A VF that bypasses request_post and writes its ring directly. */
	r = __vfbc_channel_ring(ch, 3, ch->req_ring_off);
	for (i = 0; i < RTE_DIM(junk); i++) {
		req_make(&req, junk[i].type, junk[i].vf_id, junk[i].target, junk[i].len);
		req.req_id = 100 + i;
		TEST_ASSERT_SUCCESS(__vfbc_ring_enqueue(r, &ch->vf[3].req_prod,
				VFBC_CHANNEL_REQ_RING_SIZE, &req, sizeof(req)), "enqueue");
	}
	req_make(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, 5, 8);
	req.req_id = 200;
	memset(req.data, 0xab, 8);
	TEST_ASSERT_SUCCESS(__vfbc_ring_enqueue(r, &ch->vf[3].req_prod,
			VFBC_CHANNEL_REQ_RING_SIZE, &req, sizeof(req)), "enqueue");
	__vfbc_channel_hdr(ch)->doorbell[0] |= UINT64_C(1) << 3;

	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1, "scan");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &req), 1, "valid record lost");
	TEST_ASSERT_EQUAL(req.req_id, 200, "returned request %u", req.req_id);
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &req), 0, "more records");

	for (i = 0; i < RTE_DIM(junk); i++) {
		TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 3, &resp), 1, "no answer %u", i);
		TEST_ASSERT(resp.req_id == 100 + i && resp.status == junk[i].err &&
				resp.len == 0 && resp.vf_id == 3,
				"answer %u: id %u status %d len %u vf %u", i, resp.req_id,
				resp.status, resp.len, resp.vf_id);
	}
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 3, &resp), 0, "the valid one answered");
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 3, &st), "stats_get failed");
	TEST_ASSERT(st.requests_rejected == RTE_DIM(junk) && st.requests_accepted == 1,
			"rejected %" PRIu64 " accepted %" PRIu64, st.requests_rejected,
			st.requests_accepted);
	return TEST_SUCCESS;
}

static int
test_channel_doorbell_scan_should_return_only_busy_vfs(void)
{
	static const uint16_t busy[] = { 0, 3, 63, 64, 130, 200, 255 };
	struct vfbc_channel *big;
	struct vfbc_channel_req req;
	uint16_t vfs[VFBC_CHANNEL_MAX_VFS];
	unsigned int i;
	int n;

	big = vfbc_channel_create("t_req_big", VFBC_CHANNEL_MAX_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(big, "create failed: %s", rte_strerror(rte_errno));
	for (i = 0; i < RTE_DIM(busy); i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(big, busy[i], -1), "claim of %u", busy[i]);
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs)), 0, "idle scan");
	for (i = 0; i < RTE_DIM(busy); i++) {
		req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(big, busy[i], &req), "post failed");
	}
	n = vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs));
	TEST_ASSERT_EQUAL(n, (int)RTE_DIM(busy), "scan found %d VFs", n);
	for (i = 0; i < RTE_DIM(busy); i++)
		TEST_ASSERT_EQUAL(vfs[i], busy[i], "scan[%u] = %u, expected %u", i, vfs[i],
				busy[i]);
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs)), 0,
			"bits not cleared");

	/* A short output array leaves the rest for the next scan. */
	for (i = 0; i < RTE_DIM(busy); i++) {
		req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(big, busy[i], &req), "post failed");
	}
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(big, vfs, 2), 2, "short scan");
	TEST_ASSERT(vfs[0] == busy[0] && vfs[1] == busy[1], "short scan: %u %u", vfs[0], vfs[1]);
	n = vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs));
	TEST_ASSERT_EQUAL(n, (int)RTE_DIM(busy) - 2, "rest: %d VFs", n);
	for (i = 2; i < RTE_DIM(busy); i++)
		TEST_ASSERT_EQUAL(vfs[i - 2], busy[i], "rest[%u] = %u", i - 2, vfs[i - 2]);

	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(NULL, vfs, 1), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(big, NULL, 1), -EINVAL, "NULL out");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(big, vfs, 0), -EINVAL, "max 0");
	vfbc_channel_free(big);
	return TEST_SUCCESS;
}

static int
test_channel_dequeue_should_keep_doorbell_while_requests_remain(void)
{
	struct vfbc_channel_req req;
	uint16_t vfs[CH_VFS];

	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 1, &req), "post failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 1, &req), "post failed");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1, "scan");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &req), 1, "dequeue");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1,
			"doorbell cleared with a request left");
	TEST_ASSERT_EQUAL(vfs[0], 1, "scan found VF %u", vfs[0]);
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &req), 1, "dequeue");
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 0,
			"doorbell set with nothing left");
	return TEST_SUCCESS;
}

static int
test_channel_full_rings_should_refuse_and_hold_back(void)
{
	struct vfbc_channel_stats st;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	struct vfbc_ring_shm *rr;
	unsigned int cap;
	unsigned int i;

	/* Single producer, single consumer: every slot is usable. */
	cap = VFBC_CHANNEL_REQ_RING_SIZE;
	for (i = 0; i < cap; i++) {
		req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 0, &req), "post %u failed", i);
	}
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 0, &req), -ENOBUFS, "full ring took it");

	/*
	 * The PF answers until the VF's response ring is full. The last
	 * answer finds it full because the VF wound its consumer index back
	 * by one (still in bounds): refused, kept in flight, given again once
	 * the VF read one.
	 */
	rr = __vfbc_channel_ring(ch, 0, ch->resp_ring_off);
	for (i = 0; i < VFBC_CHANNEL_RESP_RING_SIZE; i++) {
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &req), 1, "dequeue %u", i);
		if (i == VFBC_CHANNEL_RESP_RING_SIZE - 1)
			break;
		TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 0, &req, 0, NULL, 0), "respond %u", i);
	}
	__atomic_store_n(&rr->cons, rr->prod - VFBC_CHANNEL_RESP_RING_SIZE, __ATOMIC_RELEASE);
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, &req, 0, NULL, 0), -ENOBUFS,
			"full response ring took it");
	__atomic_store_n(&rr->cons, 0, __ATOMIC_RELEASE);
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 0, &req, 0, NULL, 0), "answer kept");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, &req, 0, NULL, 0), -ESTALE,
			"answered twice");
	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 0, &req), "post after drain");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &req), 0,
			"dequeued a request it cannot answer");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 0, &resp), 1, "no response");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &req), 1, "held back for good");

	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &st), "stats_get failed");
	TEST_ASSERT(st.request_ring_full == 1 && st.response_ring_full == 1,
			"request_ring_full %" PRIu64 " response_ring_full %" PRIu64,
			st.request_ring_full, st.response_ring_full);
	return TEST_SUCCESS;
}

static uint64_t
ring_corrupt_count(uint16_t vf)
{
	struct vfbc_channel_stats st;

	if (vfbc_channel_stats_get(ch, vf, &st) != 0)
		return UINT64_MAX;
	return st.ring_corrupt;
}

/*
 * The shared copies of the indexes the PF owns (the request ring's
 * consumer index, the response ring's producer index), rewritten by the
 * VF: the PF works from its own copies and publishes them again.
 */
static int
test_channel_pf_should_use_its_own_indexes_not_their_shared_copies(void)
{
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	struct vfbc_ring_shm *r, *rr;

	r = __vfbc_channel_ring(ch, 2, ch->req_ring_off);
	rr = __vfbc_channel_ring(ch, 2, ch->resp_ring_off);
	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 2, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 2, &req), "post");
	__atomic_store_n(&r->cons, 0x00100000u, __ATOMIC_RELEASE);
	__atomic_store_n(&rr->prod, 0x00100000u, __ATOMIC_RELEASE);

	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 2, &req), 1, "record not found");
	TEST_ASSERT_EQUAL(r->cons, 1, "consumer index %#x", r->cons);
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 2, &req, 0, NULL, 0), "respond");
	TEST_ASSERT_EQUAL(rr->prod, 1, "producer index %#x", rr->prod);
	TEST_ASSERT_EQUAL(((struct vfbc_channel_resp *)(void *)(rr + 1))->req_id, req.req_id,
			"the response is not in slot 0");
	TEST_ASSERT_EQUAL(ring_corrupt_count(2), 0, "sane indexes counted as corrupt");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 2, &resp), 1, "no response");
	TEST_ASSERT_EQUAL(resp.req_id, req.req_id, "response to %u", resp.req_id);
	return TEST_SUCCESS;
}

static int
test_channel_corrupt_request_indexes_should_be_refused_and_counted(void)
{
	static const uint32_t claims[] = {
		VFBC_CHANNEL_REQ_RING_SIZE + 1, 0x7ffffff0u, UINT32_MAX
	};
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	struct vfbc_ring_shm *r;
	uint16_t vfs[CH_VFS];
	unsigned int i;

	r = __vfbc_channel_ring(ch, 1, ch->req_ring_off);
	for (i = 0; i < RTE_DIM(claims); i++) {
		/* More entries than the ring can hold. */
		__atomic_store_n(&r->prod, claims[i], __ATOMIC_RELEASE);
		__vfbc_channel_hdr(ch)->doorbell[0] |= UINT64_C(1) << 1;
		TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1, "scan");
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &req), 0,
				"dequeued from a ring claiming %#x entries", claims[i]);
		TEST_ASSERT_EQUAL(r->cons, 0, "consumer index moved: %#x", r->cons);
		TEST_ASSERT_EQUAL(ring_corrupt_count(1), i + 1, "not counted");
		TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 0,
				"doorbell set again for a corrupt ring");
		TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 1, &resp), 0,
				"a corrupt ring was answered");
	}
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &req), 0, "VF 0 has a request");

	/* The VF's next post publishes its own index again: the ring serves. */
	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 1, &req), "post after the wreck");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &req), 1, "dequeue after repair");
	return TEST_SUCCESS;
}

static int
test_channel_corrupt_response_indexes_should_refuse_answers(void)
{
	struct vfbc_channel_resp resp, slot0;
	struct vfbc_channel_req req, first;
	struct vfbc_ring_shm *rr;

	rr = __vfbc_channel_ring(ch, 3, ch->resp_ring_off);
	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 3, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 3, &req), "post");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &first), 1, "dequeue");
	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 3, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 3, &req), "post another");

	/* A consumer index ahead of the producer: more free slots than exist. */
	__atomic_store_n(&rr->cons, 1000, __ATOMIC_RELEASE);
	memcpy(&slot0, rr + 1, sizeof(slot0));
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 3, &first, 0, NULL, 0), -EPROTO,
			"answered into a corrupt ring");
	TEST_ASSERT_EQUAL(rr->prod, 0, "producer index moved");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(rr + 1, &slot0, sizeof(slot0), "slot 0 written");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &req), 0,
			"dequeued a request it cannot answer");
	TEST_ASSERT_EQUAL(ring_corrupt_count(3), 2, "respond and dequeue not both counted");

	/*
	 * Repaired by its consumer; the PF's producer index rewritten by the
	 * VF is not read back: the answer goes to the PF's own index.
	 */
	__atomic_store_n(&rr->cons, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&rr->prod, 7, __ATOMIC_RELEASE);
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &req), 1, "held-back request");
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 3, &first, 0, NULL, 0), "respond");
	TEST_ASSERT_EQUAL(rr->prod, 1, "producer index %u", rr->prod);
	TEST_ASSERT_EQUAL(ring_corrupt_count(3), 2, "counted more than the two refusals");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 3, &resp), 1, "no response");
	TEST_ASSERT_EQUAL(resp.req_id, first.req_id, "response to %u", resp.req_id);
	return TEST_SUCCESS;
}

/* A new holder's grant empties the rings: what it drops is counted. */
static int
test_channel_grant_should_count_what_it_drops(void)
{
	struct vfbc_channel_stats st;
	struct vfbc_channel_req req, got;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 1, 0, 4);
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 1, &req), "post %u", i);
	}
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &got), 1, "dequeue");
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 1, &got, 0, NULL, 0), "respond");
	/* The holder goes away without reading; the next one is granted. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(ch, 1), "revoke");
	TEST_ASSERT(vfbc_channel_claim(ch, 1, -1) >= 0, "claim again");
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 1, &st), "stats");
	TEST_ASSERT(st.requests_dropped == 2 && st.responses_dropped == 1,
			"dropped %" PRIu64 " requests, %" PRIu64 " answers", st.requests_dropped,
			st.responses_dropped);
	/* Posted = accepted + rejected + unclaimed + dropped, exactly. */
	TEST_ASSERT_EQUAL(st.requests_posted, st.requests_accepted + st.requests_rejected +
			st.requests_unclaimed + st.requests_dropped, "requests unaccounted");
	TEST_ASSERT_EQUAL(req_ring_count(1), 0, "ring not emptied");
	return TEST_SUCCESS;
}

static int
test_channel_request_bad_arguments_should_fail_with_einval(void)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE + 1];
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;

	memset(data, 0, sizeof(data));
	req_make(&req, VFBC_CHANNEL_REQ_CFG_READ, 0, 0, 4);
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(NULL, 0, &req), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, NULL), -EINVAL, "NULL req");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, CH_VFS, &req), -EINVAL, "bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(NULL, 0, &req, 0, NULL, 0), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, NULL, 0, NULL, 0), -EINVAL, "NULL req");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, CH_VFS, &req, 0, NULL, 0), -EINVAL, "bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, &req, 1, NULL, 0), -EINVAL, "status > 0");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, &req, 0, NULL, 4), -EINVAL, "NULL data");
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, &req, 0, data, sizeof(data)), -EINVAL,
			"len 129");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(NULL, 0, &resp), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 0, NULL), -EINVAL, "NULL resp");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, CH_VFS, &resp), -EINVAL, "bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 0, &resp), 0,
			"a refused respond enqueued");
	return TEST_SUCCESS;
}

static struct unit_test_suite channel_request_suite = {
	.suite_name = "channel requests (lib/vfbc)",
	.setup = request_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_request_validate_should_reject_every_malformed_field),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_request_should_round_trip_to_its_response),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_post_of_invalid_request_should_enqueue_nothing),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_malformed_records_in_ring_should_be_answered_never_returned),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_doorbell_scan_should_return_only_busy_vfs),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_dequeue_should_keep_doorbell_while_requests_remain),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_full_rings_should_refuse_and_hold_back),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_pf_should_use_its_own_indexes_not_their_shared_copies),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_corrupt_request_indexes_should_be_refused_and_counted),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_corrupt_response_indexes_should_refuse_answers),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_request_bad_arguments_should_fail_with_einval),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_grant_should_count_what_it_drops),
		TEST_CASES_END(),
	},
};

static int
test_channel_request(void)
{
	return unit_test_suite_runner(&channel_request_suite);
}

REGISTER_TEST_COMMAND(channel_request_autotest, test_channel_request);
