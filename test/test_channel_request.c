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
#include <rte_ring_elem.h>

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
	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
request_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static void
req_make(struct vfbc_ch_req *req, uint16_t type, uint16_t vf, uint32_t target, uint32_t len)
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
	return (int)rte_ring_count(__vfbc_ch_ring(ch, vf, ch->req_ring_off));
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
		{ VFBC_CH_REQ_CFG_READ, 1, 0, 4, 0 },
		{ VFBC_CH_REQ_CFG_READ, 1, 0, VFBC_CHANNEL_BLOCK_SIZE, 0 },
		{ VFBC_CH_REQ_CFG_WRITE, 1, VFBC_CHANNEL_CFG_SPACE_SIZE - 2, 2, 0 },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, 0, 1, 0 },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, 63, VFBC_CHANNEL_BLOCK_SIZE, 0 },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, 100, 8, 0 }, /* bound below */
		{ 0, 1, 0, 4, -ENOTSUP },
		{ 4, 1, 0, 4, -ENOTSUP },
		{ UINT16_MAX, 1, 0, 4, -ENOTSUP },
		{ VFBC_CH_REQ_CFG_READ, 0, 0, 4, -EPERM },
		{ VFBC_CH_REQ_CFG_READ, 2, 0, 4, -EPERM },
		{ VFBC_CH_REQ_CFG_READ, UINT16_MAX, 0, 4, -EPERM },
		{ VFBC_CH_REQ_CFG_READ, 1, 0, 0, -EMSGSIZE },
		{ VFBC_CH_REQ_CFG_WRITE, 1, 0, VFBC_CHANNEL_BLOCK_SIZE + 1, -EMSGSIZE },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, 0, UINT32_MAX, -EMSGSIZE },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, 0, 0, -EMSGSIZE },
		{ VFBC_CH_REQ_CFG_READ, 1, VFBC_CHANNEL_CFG_SPACE_SIZE, 1, -ERANGE },
		{ VFBC_CH_REQ_CFG_WRITE, 1, VFBC_CHANNEL_CFG_SPACE_SIZE - 1, 2, -ERANGE },
		{ VFBC_CH_REQ_CFG_READ, 1, UINT32_MAX, 1, -ERANGE },
		{ VFBC_CH_REQ_CFG_READ, 1, UINT32_MAX - 2, 4, -ERANGE },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, 64, 8, -ENOENT },
		{ VFBC_CH_REQ_BLOCK_WRITE, 1, UINT32_MAX, 8, -ENOENT },
	};
	struct vfbc_ch_req req;
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
	req_make(&req, VFBC_CH_REQ_BLOCK_WRITE, 0, 100, 8);
	TEST_ASSERT_EQUAL(vfbc_channel_request_validate(ch, 0, &req), -ENOENT,
			"VF 0 reached VF 1's extra block");

	req_make(&req, VFBC_CH_REQ_CFG_READ, 1, 0, 4);
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
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req got;
	struct vfbc_ch_req req;
	uint16_t vfs[CH_VFS];

	req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
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
	req_make(&req, VFBC_CH_REQ_CFG_WRITE, 0, 0x10, 2);
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
	struct vfbc_ch_req req;
	uint16_t vfs[CH_VFS];

	req_make(&req, 9, 0, 0, 4);
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 1, &req), -ENOTSUP, "unknown type");
	req_make(&req, VFBC_CH_REQ_CFG_WRITE, 0, 0, 0);
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 1, &req), -EMSGSIZE, "len 0");
	req_make(&req, VFBC_CH_REQ_CFG_WRITE, 0, 4095, 4);
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
		{ VFBC_CH_REQ_CFG_WRITE, 0, 0, 4, -EPERM },   /* speaks for VF 0 */
		{ VFBC_CH_REQ_CFG_WRITE, 3, 0, 4096, -EMSGSIZE },
		{ VFBC_CH_REQ_CFG_READ, 3, 0xfffffff0, 0x20, -ERANGE },
		{ VFBC_CH_REQ_BLOCK_WRITE, 3, 1000, 4, -ENOENT },
	};
	struct vfbc_channel_stats st;
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;
	struct rte_ring *r;
	uint16_t vfs[CH_VFS];
	unsigned int i;

	/* A VF that bypasses request_post and writes its ring directly. */
	r = __vfbc_ch_ring(ch, 3, ch->req_ring_off);
	for (i = 0; i < RTE_DIM(junk); i++) {
		req_make(&req, junk[i].type, junk[i].vf_id, junk[i].target, junk[i].len);
		req.req_id = 100 + i;
		TEST_ASSERT_SUCCESS(rte_ring_mp_enqueue_elem(r, &req, sizeof(req)), "enqueue");
	}
	req_make(&req, VFBC_CH_REQ_BLOCK_WRITE, 3, 5, 8);
	req.req_id = 200;
	memset(req.data, 0xab, 8);
	TEST_ASSERT_SUCCESS(rte_ring_mp_enqueue_elem(r, &req, sizeof(req)), "enqueue");
	__vfbc_ch_hdr(ch)->doorbell[0] |= UINT64_C(1) << 3;

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
	struct vfbc_ch_req req;
	uint16_t vfs[VFBC_CHANNEL_MAX_VFS];
	unsigned int i;
	int n;

	big = vfbc_channel_create("t_req_big", VFBC_CHANNEL_MAX_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(big, "create failed: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs)), 0, "idle scan");
	for (i = 0; i < RTE_DIM(busy); i++) {
		req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
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
		req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
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
	struct vfbc_ch_req req;
	uint16_t vfs[CH_VFS];

	req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
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
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;
	unsigned int cap;
	unsigned int i;

	cap = VFBC_CHANNEL_REQ_RING_SIZE - 1;
	for (i = 0; i < cap; i++) {
		req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 0, &req), "post %u failed", i);
	}
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(ch, 0, &req), -ENOBUFS, "full ring took it");

	/* The PF answers until the VF's response ring is full. */
	for (i = 0; i < VFBC_CHANNEL_RESP_RING_SIZE - 1; i++) {
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &req), 1, "dequeue %u", i);
		TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 0, &req, 0, NULL, 0), "respond %u", i);
	}
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 0, &req, 0, NULL, 0), -ENOBUFS,
			"full response ring took it");
	req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
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

/* Garbage in the geometry words a VF can rewrite; the PF must not read them. */
static void
ring_wreck_geometry(struct rte_ring *r)
{
	r->size = UINT32_MAX;
	r->mask = UINT32_MAX;
	r->capacity = UINT32_MAX;
}

static void
ring_repair(struct rte_ring *r, uint32_t size)
{
	r->size = size;
	r->mask = size - 1;
	r->capacity = size - 1;
	rte_ring_reset(r);
}

static uint64_t
ring_corrupt_count(uint16_t vf)
{
	struct vfbc_channel_stats st;

	if (vfbc_channel_stats_get(ch, vf, &st) != 0)
		return UINT64_MAX;
	return st.ring_corrupt;
}

static int
test_channel_dequeue_should_use_private_mask_not_ring_geometry(void)
{
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;
	struct rte_ring *r, *rr;
	uint16_t vfs[CH_VFS];

	/*
	 * Indexes far from 0 that the ring's real mask (31) folds onto slot 0;
	 * a mask read from the wrecked header would go 144 MiB away.
	 */
	r = __vfbc_ch_ring(ch, 2, ch->req_ring_off);
	rr = __vfbc_ch_ring(ch, 2, ch->resp_ring_off);
	req_make(&req, VFBC_CH_REQ_CFG_READ, 2, 0, 4);
	req.req_id = 77;
	memcpy(&r[1], &req, sizeof(req));
	ring_wreck_geometry(r);
	ring_wreck_geometry(rr);
	r->cons.head = r->cons.tail = 0x00100000u;
	r->prod.head = r->prod.tail = 0x00100001u;
	rr->prod.head = rr->prod.tail = rr->cons.head = rr->cons.tail = 0x00100000u;
	__vfbc_ch_hdr(ch)->doorbell[0] |= UINT64_C(1) << 2;

	TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1, "scan");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 2, &req), 1, "record not found");
	TEST_ASSERT_EQUAL(req.req_id, 77, "returned request %u", req.req_id);
	TEST_ASSERT_EQUAL(r->cons.tail, 0x00100001u, "consumer tail %#x", r->cons.tail);
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 2, &req, 0, NULL, 0), "respond");
	TEST_ASSERT_EQUAL(rr->prod.tail, 0x00100001u, "producer tail %#x", rr->prod.tail);
	TEST_ASSERT_EQUAL(((struct vfbc_ch_resp *)(void *)&rr[1])->req_id, 77,
			"the response is not in slot 0");
	TEST_ASSERT_EQUAL(ring_corrupt_count(2), 0, "sane indexes counted as corrupt");

	/* The VF side, with its geometry back, reads the answer. */
	ring_repair(r, VFBC_CHANNEL_REQ_RING_SIZE);
	rr->size = VFBC_CHANNEL_RESP_RING_SIZE;
	rr->mask = rr->capacity = VFBC_CHANNEL_RESP_RING_SIZE - 1;
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 2, &resp), 1, "no response");
	TEST_ASSERT_EQUAL(resp.req_id, 77, "response to %u", resp.req_id);
	return TEST_SUCCESS;
}

static int
test_channel_corrupt_request_indexes_should_be_refused_and_counted(void)
{
	static const uint32_t claims[] = { VFBC_CHANNEL_REQ_RING_SIZE, 0x7ffffff0u, UINT32_MAX };
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;
	struct rte_ring *r;
	uint16_t vfs[CH_VFS];
	uint32_t head;
	unsigned int i;

	r = __vfbc_ch_ring(ch, 1, ch->req_ring_off);
	for (i = 0; i < RTE_DIM(claims); i++) {
		/* More entries than the ring can hold: producer tail, or consumer head. */
		head = 0x1234 + i;
		r->cons.head = r->cons.tail = head;
		r->prod.head = r->prod.tail = head + claims[i];
		ring_wreck_geometry(r);
		__vfbc_ch_hdr(ch)->doorbell[0] |= UINT64_C(1) << 1;
		TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 1, "scan");
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &req), 0,
				"dequeued from a ring claiming %#x entries", claims[i]);
		TEST_ASSERT(r->cons.head == head && r->cons.tail == head,
				"consumer indexes moved: %#x %#x", r->cons.head, r->cons.tail);
		TEST_ASSERT_EQUAL(ring_corrupt_count(1), i + 1, "not counted");
		TEST_ASSERT_EQUAL(vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs)), 0,
				"doorbell set again for a corrupt ring");
		TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 1, &resp), 0,
				"a corrupt ring was answered");
	}
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &req), 0, "VF 0 has a request");

	/* Repaired by its VF, the ring serves again. */
	ring_repair(r, VFBC_CHANNEL_REQ_RING_SIZE);
	req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 1, &req), "post after repair");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 1, &req), 1, "dequeue after repair");
	return TEST_SUCCESS;
}

static int
test_channel_corrupt_response_indexes_should_refuse_answers(void)
{
	struct vfbc_ch_resp resp, slot0;
	struct vfbc_ch_req req;
	struct rte_ring *rr;

	rr = __vfbc_ch_ring(ch, 3, ch->resp_ring_off);
	req_make(&req, VFBC_CH_REQ_CFG_READ, 3, 0, 4);
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(ch, 3, &req), "post");

	/* A consumer tail ahead of the producer: more free slots than exist. */
	ring_wreck_geometry(rr);
	rr->cons.head = rr->cons.tail = 1000;
	memcpy(&slot0, &rr[1], sizeof(slot0));
	TEST_ASSERT_EQUAL(vfbc_channel_respond(ch, 3, &req, 0, NULL, 0), -EPROTO,
			"answered into a corrupt ring");
	TEST_ASSERT(rr->prod.head == 0 && rr->prod.tail == 0, "producer indexes moved");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&rr[1], &slot0, sizeof(slot0), "slot 0 written");
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &req), 0,
			"dequeued a request it cannot answer");
	TEST_ASSERT_EQUAL(ring_corrupt_count(3), 2, "respond and dequeue not both counted");

	/* A producer tail the PF did not write: counted, and rewritten from the head. */
	ring_repair(rr, VFBC_CHANNEL_RESP_RING_SIZE);
	rr->prod.tail = 7;
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 3, &req), 1, "held-back request");
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 3, &req, 0, NULL, 0), "respond");
	TEST_ASSERT(rr->prod.head == 1 && rr->prod.tail == 1, "indexes %u %u", rr->prod.head,
			rr->prod.tail);
	TEST_ASSERT_EQUAL(ring_corrupt_count(3), 3, "moved producer tail not counted");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(ch, 3, &resp), 1, "no response");
	TEST_ASSERT_EQUAL(resp.req_id, req.req_id, "response to %u", resp.req_id);
	return TEST_SUCCESS;
}

static int
test_channel_request_bad_arguments_should_fail_with_einval(void)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE + 1];
	struct vfbc_ch_resp resp;
	struct vfbc_ch_req req;

	memset(data, 0, sizeof(data));
	req_make(&req, VFBC_CH_REQ_CFG_READ, 0, 0, 4);
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
			test_channel_dequeue_should_use_private_mask_not_ring_geometry),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_corrupt_request_indexes_should_be_refused_and_counted),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_corrupt_response_indexes_should_refuse_answers),
		TEST_CASE_ST(request_case_setup, request_case_teardown,
			test_channel_request_bad_arguments_should_fail_with_einval),
		TEST_CASES_END(),
	},
};

static int
test_channel_request(void)
{
	return unit_test_suite_runner(&channel_request_suite);
}

REGISTER_TEST_COMMAND(channel_request_autotest, test_channel_request);
