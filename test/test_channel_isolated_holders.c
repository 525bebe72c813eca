/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Former and hostile holders: the shared-memory side of isolated channels.
 * Each case failed on d502fd2 (found by a red-team round); its comment
 * names the defect.
 *
 * A hostile consumer of an isolated channel holds its region fd read/write
 * and may keep it (or a mapping of it) after its claim is revoked or after
 * it hangs up. In these tests "old" is such a mapping kept by a former
 * holder of the VF; "h" handles are consumers built as the PF driver's
 * socket builds them (attach_region + claim_grant + claim_adopt), and the
 * former holder's hang-up is vfbc_channel_claim_revoke(), which is what
 * pf_sock_conn_detach() calls.
 *
 * Run: build/test/vfbc-test channel_isolated_holders_autotest
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_channel_isolated_common.h"

#define HOLD_NAME "t_iso_holders"
#define HOLD_VFS 4

static struct vfbc_channel *ch;

static int
hold_case_setup(void)
{
	ch = vfbc_channel_create_isolated(HOLD_NAME, HOLD_VFS);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
hold_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

/* What a consumer keeps: its own mapping of the fd it was sent. */
static uint8_t *
hold_keep_mapping(uint16_t vf)
{
	uint8_t *p;

	p = mmap(NULL, vfbc_channel_region_size(), PROT_READ | PROT_WRITE, MAP_SHARED,
			vfbc_channel_region_fd(ch, vf), 0);
	return p == MAP_FAILED ? NULL : p;
}

static struct vfbc_channel_shm_vf *
hold_area(uint8_t *region)
{
	return (struct vfbc_channel_shm_vf *)(region +
			sizeof(struct vfbc_channel_shm_region_hdr));
}

static struct vfbc_ring_shm *
hold_ring(uint8_t *region, uint32_t off)
{
	return (struct vfbc_ring_shm *)((uint8_t *)hold_area(region) + off);
}

/*
 * Former holder A keeps its mapping; its claim is revoked (its hang-up);
 * the VF goes to consumer B. Returns B, *old is A's mapping.
 */
static struct vfbc_channel *
hold_takeover_by_next(uint16_t vf, uint8_t **old, struct stat *st_a)
{
	struct vfbc_channel *a, *b;

	a = iso_test_consumer(ch, vf);
	if (a == NULL)
		return NULL;
	*old = hold_keep_mapping(vf);
	if (st_a != NULL)
		(void)fstat(vfbc_channel_region_fd(ch, vf), st_a);
	vfbc_channel_free(a);
	/* A hangs up: pf_sock_conn_detach() revokes its claim. */
	vfbc_channel_claim_revoke(ch, vf);
	b = iso_test_consumer(ch, vf);
	return b;
}

/*
 * Defect 1a (confidentiality): the next consumer of a VF gets the very same
 * memory file as the former one, so a former holder that kept its fd or
 * mapping reads everything the PF writes for the next tenant (its blocks,
 * its answers). Code at fault: the region is made once per VF at create
 * (ch_region_make() from vfbc_channel_create_isolated(),
 * lib/vfbc/vfbc_channel_region.c) and pf_sock_grant()
 * (drivers/net/vfbc_pf/vfbc_pf_socket.c, vfbc_channel_region_fd() then
 * pf_sock_send()) hands that same fd to every consumer of the VF.
 */
static int
test_channel_isolated_former_holder_should_not_read_next_holders_blocks(void)
{
	static const char secret[] = "B's secret block";
	struct vfbc_channel_shm_vf *ov;
	struct vfbc_channel *b;
	struct stat st_a, st_b;
	uint8_t *old = NULL;
	int leaked;

	b = hold_takeover_by_next(1, &old, &st_a);
	TEST_ASSERT_NOT_NULL(b, "B's consumer");
	TEST_ASSERT_NOT_NULL(old, "A's mapping");
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 7, secret, sizeof(secret)),
			"block write for B");
	ov = hold_area(old);
	leaked = memcmp(ov->blocks[7].data, secret, sizeof(secret)) == 0;
	TEST_ASSERT_SUCCESS(fstat(vfbc_channel_region_fd(ch, 1), &st_b), "fstat");
	munmap(old, vfbc_channel_region_size());
	vfbc_channel_free(b);
	TEST_ASSERT(!leaked, "the former holder's mapping reads the block the PF wrote for the "
			"next holder: \"%s\"", secret);
	TEST_ASSERT(st_a.st_ino != st_b.st_ino, "the next holder got the same region file "
			"(inode %ju) as the former one", (uintmax_t)st_b.st_ino);
	return TEST_SUCCESS;
}

/*
 * Defect 1b (integrity): the former holder writes a request into the next
 * holder's request ring and the PF serves it as the next holder's (the PF
 * checks only that the shared claim word equals its verified word, which
 * the former holder just leaves alone). Same code at fault as 1a.
 */
static int
test_channel_isolated_former_holder_should_not_post_as_next_holder(void)
{
	struct vfbc_channel_req forged, got;
	struct vfbc_ring_shm *r;
	struct vfbc_channel *b;
	uint8_t *old = NULL;
	uint32_t prod;
	int ret;

	b = hold_takeover_by_next(1, &old, NULL);
	TEST_ASSERT_NOT_NULL(b, "B's consumer");
	TEST_ASSERT_NOT_NULL(old, "A's mapping");
	/* A, as producer of B's request ring. */
	r = hold_ring(old, ch->req_ring_off);
	prod = __atomic_load_n(&r->prod, __ATOMIC_RELAXED);
	memset(&forged, 0, sizeof(forged));
	forged.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	forged.vf_id = 1;
	forged.req_id = 0xf00d;
	forged.target = 5;
	forged.len = 6;
	memcpy(forged.data, "forged", 6);
	memcpy(__vfbc_ring_slot(r, prod, VFBC_CHANNEL_REQ_RING_SIZE, sizeof(forged)), &forged,
			sizeof(forged));
	__atomic_store_n(&r->prod, prod + 1, __ATOMIC_RELEASE);

	memset(&got, 0, sizeof(got));
	ret = vfbc_channel_request_dequeue(ch, 1, &got);
	munmap(old, vfbc_channel_region_size());
	vfbc_channel_free(b);
	TEST_ASSERT(!(ret == 1 && got.req_id == 0xf00d),
			"the PF accepted, as the next holder's, a request the former holder "
			"wrote (id 0x%x, block %u \"%.6s\")", got.req_id, got.target, got.data);
	return TEST_SUCCESS;
}

/*
 * Defect 1c (availability): the former holder rewrites the claim word of
 * the next holder's region; the PF then drains the next holder's requests
 * as "unclaimed" (ch_drop_unclaimed()) and never serves it, while its grant
 * stands. Same root cause as 1a.
 */
static int
test_channel_isolated_former_holder_should_not_stop_next_holders_service(void)
{
	struct vfbc_channel_req req, got;
	struct vfbc_channel *b;
	uint8_t *old = NULL;
	int ret, posted;

	b = hold_takeover_by_next(2, &old, NULL);
	TEST_ASSERT_NOT_NULL(b, "B's consumer");
	TEST_ASSERT_NOT_NULL(old, "A's mapping");
	/* A: one store into the word B's service depends on. */
	__atomic_store_n(&hold_area(old)->consumer.claim, 0, __ATOMIC_RELAXED);
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	posted = vfbc_channel_request_post(b, 2, &req);
	ret = posted == 0 ? vfbc_channel_request_dequeue(ch, 2, &got) : 0;
	munmap(old, vfbc_channel_region_size());
	vfbc_channel_free(b);
	TEST_ASSERT(posted == 0 && ret == 1, "the next holder cannot be served after the "
			"former holder rewrote the claim word of the region it kept: its post %d "
			"(%s), the PF's dequeue %d; the PF's pv->verified still names it", posted,
			posted < 0 ? strerror(-posted) : "ok", ret);
	return TEST_SUCCESS;
}

/*
 * Defect 1d (integrity of invalidations): the former holder takes the next
 * holder's pending bits; the next holder never sees its invalidation.
 * Same root cause as 1a.
 */
static int
test_channel_isolated_former_holder_should_not_take_invalidations(void)
{
	struct vfbc_channel *b;
	uint8_t *old = NULL;
	uint64_t mask = 0;
	int ret;

	b = hold_takeover_by_next(3, &old, NULL);
	TEST_ASSERT_NOT_NULL(b, "B's consumer");
	TEST_ASSERT_NOT_NULL(old, "A's mapping");
	/* B's first poll: the resync after the revoke. */
	(void)vfbc_channel_poll_invalidations(b, 3, &mask);
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 3, UINT64_C(1) << 3), "invalidate");
	/* A: takes B's bits from the region it kept. */
	(void)__atomic_exchange_n(&hold_area(old)->notify.pending, 0, __ATOMIC_SEQ_CST);
	mask = 0;
	ret = vfbc_channel_poll_invalidations(b, 3, &mask);
	munmap(old, vfbc_channel_region_size());
	vfbc_channel_free(b);
	TEST_ASSERT(ret == 1 && (mask & (UINT64_C(1) << 3)) != 0,
			"the next holder lost block 3's invalidation to the former holder "
			"(poll %d, mask 0x%" PRIx64 ")", ret, mask);
	return TEST_SUCCESS;
}

/*
 * Defect 2: a holder can leave the PF's in-flight table full, and the table
 * outlives its claim: the next holder of the VF is never served again.
 * The holder posts a ring's worth of requests; between each dequeue and its
 * answer it moves the response ring's cons out of bounds, so every
 * vfbc_channel_respond() fails (-EPROTO) and "keeps" its entry (the PF
 * driver, pf_mbox_answer(), never answers again). Then it hangs up.
 * Code at fault: vfbc_channel_respond() keeps the entry on failure
 * (lib/vfbc/vfbc_channel_request.c, "Kept on failure") and neither
 * vfbc_channel_claim_grant() nor __vfbc_channel_claim_revoke_locked()
 * (vfbc_channel_claim.c) clears pv->inflight_live; request_dequeue() then
 * breaks at "inflight_live == UINT32_MAX" for every later holder.
 */
static int
test_channel_isolated_inflight_table_should_not_outlive_a_holder(void)
{
	struct vfbc_channel_req req, got[VFBC_CHANNEL_REQ_RING_SIZE], next;
	struct vfbc_ring_shm *resp;
	struct vfbc_channel *a, *b;
	uint8_t *old;
	unsigned int i;
	int ret, failed = 0;

	a = iso_test_consumer(ch, 0);
	TEST_ASSERT_NOT_NULL(a, "A's consumer");
	old = hold_keep_mapping(0);
	TEST_ASSERT_NOT_NULL(old, "A's mapping");
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	for (i = 0; i < VFBC_CHANNEL_REQ_RING_SIZE; i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(a, 0, &req), "post %u", i);
	for (i = 0; i < VFBC_CHANNEL_REQ_RING_SIZE; i++)
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 0, &got[i]), 1, "dequeue %u", i);
	/* A: its response ring's consumer index, out of bounds. */
	resp = hold_ring(old, ch->resp_ring_off);
	__atomic_store_n(&resp->cons, __atomic_load_n(&resp->prod, __ATOMIC_RELAXED) + 1000,
			__ATOMIC_RELEASE);
	/* The PF answers each once, as pf_mbox_answer() does. */
	for (i = 0; i < VFBC_CHANNEL_REQ_RING_SIZE; i++)
		failed += vfbc_channel_respond(ch, 0, &got[i], 0, "abcd", 4) < 0;
	TEST_ASSERT_EQUAL(failed, VFBC_CHANNEL_REQ_RING_SIZE, "answers failed: %d", failed);
	munmap(old, vfbc_channel_region_size());
	vfbc_channel_free(a);
	/* A hangs up; B, a well-behaved consumer, gets the VF. */
	vfbc_channel_claim_revoke(ch, 0);
	b = iso_test_consumer(ch, 0);
	TEST_ASSERT_NOT_NULL(b, "B's consumer");
	ret = vfbc_channel_request_post(b, 0, &req);
	if (ret == 0)
		for (i = 0; i < 4; i++) {
			ret = vfbc_channel_request_dequeue(ch, 0, &next);
			if (ret != 0)
				break;
		}
	vfbc_channel_free(b);
	TEST_ASSERT_EQUAL(ret, 1, "the next holder's request is never dequeued (%d): the "
			"former holder's unanswerable requests fill the PF's in-flight table",
			ret);
	return TEST_SUCCESS;
}

/* Flipper of the region header's nb_vfs, for defect 3. */
static int hold_flip_stop;
static unsigned int hold_attaches, hold_attached, hold_bad;
static uint16_t hold_bad_nb;

static void *
hold_flip_nb_vfs(void *arg)
{
	struct vfbc_channel_shm_region_hdr *rh = arg;

	while (!__atomic_load_n(&hold_flip_stop, __ATOMIC_RELAXED)) {
		__atomic_store_n(&rh->nb_vfs, HOLD_VFS, __ATOMIC_RELAXED);
		__atomic_store_n(&rh->nb_vfs, 1, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&rh->nb_vfs, HOLD_VFS, __ATOMIC_RELAXED);
	return NULL;
}

#define HOLD_ATTACH_VF 2

/* A consumer attaching its region, again and again. */
static void *
hold_attacher(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct vfbc_channel *h;
	uint16_t nb;

	while (!__atomic_load_n(&hold_flip_stop, __ATOMIC_RELAXED)) {
		__atomic_fetch_add(&hold_attaches, 1, __ATOMIC_RELAXED);
		h = vfbc_channel_attach_region(fd, HOLD_ATTACH_VF);
		if (h == NULL)
			continue;
		__atomic_fetch_add(&hold_attached, 1, __ATOMIC_RELAXED);
		nb = vfbc_channel_nb_vfs(h);
		if (nb <= HOLD_ATTACH_VF) {
			/* Its arrays were overrun: not freed, not used. */
			hold_bad_nb = nb;
			__atomic_fetch_add(&hold_bad, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&hold_flip_stop, 1, __ATOMIC_RELAXED);
			break;
		}
		vfbc_channel_free(h);
	}
	return NULL;
}

/*
 * Defect 3: vfbc_channel_attach_region() reads the header's nb_vfs twice:
 * ch_region_check() checks vf < rh->nb_vfs, then
 * __vfbc_channel_handle(..., rh->nb_vfs, ...) sizes the handle's arrays
 * from a second read (lib/vfbc/vfbc_channel_region.c, "nb_vfs from the
 * region: checked above"). Anyone who maps the region (the former holder
 * of the VF, who shares the file with the next one) changes it in between:
 * the handle gets nb_vfs <= vf, and "ch->region_fds[vf] = own;
 * ch->areas[vf] = ...;" write past the two calloc'ed arrays (heap
 * overflow in the consumer; with vf 2 and nb_vfs 1 it stays in malloc's
 * slack, with a larger vf it corrupts the heap). The handle it returns
 * then refuses its own VF (-EINVAL). A race: it runs for up to 60 s and
 * stops at the first bad handle (usually within seconds).
 */
static int
test_channel_isolated_attach_region_should_read_nb_vfs_once(void)
{
	struct vfbc_channel_shm_region_hdr *rh;
	pthread_t flip, att[2];
	unsigned int i, s;
	uint8_t *p;
	int fd;

#if defined(__SANITIZE_THREAD__)
	/*
	 * The writer here is a thread standing in for another process: its
	 * race with attach is the point, and ThreadSanitizer would stop at it.
	 */
	TEST_SKIP("a thread plays another process's writes (a race by design), "
		  "not under ThreadSanitizer");
#endif
	p = hold_keep_mapping(HOLD_ATTACH_VF);
	TEST_ASSERT_NOT_NULL(p, "mapping");
	fd = vfbc_channel_region_fd(ch, HOLD_ATTACH_VF);
	rh = (struct vfbc_channel_shm_region_hdr *)p;
	__atomic_store_n(&hold_flip_stop, 0, __ATOMIC_RELAXED);
	hold_attaches = hold_attached = hold_bad = 0;
	/* Most attaches see a flipped header and say so: not 100000 log lines. */
	rte_log_set_level_pattern("lib.vfbc*", RTE_LOG_CRIT);
	TEST_ASSERT_SUCCESS(pthread_create(&flip, NULL, hold_flip_nb_vfs, rh), "thread");
	for (i = 0; i < RTE_DIM(att); i++)
		TEST_ASSERT_SUCCESS(pthread_create(&att[i], NULL, hold_attacher,
				(void *)(intptr_t)fd), "thread");
	for (s = 0; s < 600 && !__atomic_load_n(&hold_flip_stop, __ATOMIC_RELAXED); s++)
		usleep(100 * 1000);
	__atomic_store_n(&hold_flip_stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < RTE_DIM(att); i++)
		pthread_join(att[i], NULL);
	pthread_join(flip, NULL);
	rte_log_set_level_pattern("lib.vfbc*", RTE_LOG_NOTICE);
	munmap(p, vfbc_channel_region_size());
	printf("%u attaches in %.1f s, %u succeeded, %u with nb_vfs <= vf\n", hold_attaches,
			s / 10.0, hold_attached, hold_bad);
	TEST_ASSERT_EQUAL(hold_bad, 0, "attach_region returned a handle of VF %u with nb_vfs %u: "
			"areas[%u] and region_fds[%u] were written past arrays of %u entries",
			HOLD_ATTACH_VF, hold_bad_nb, HOLD_ATTACH_VF, HOLD_ATTACH_VF, hold_bad_nb);
	return TEST_SUCCESS;
}

static struct unit_test_suite holders_isolation_suite = {
	.suite_name = "rt2: isolated channels, shared memory (red team)",
	.setup = iso_test_eal,
	.unit_test_cases = {
		TEST_CASE_ST(hold_case_setup, hold_case_teardown,
			test_channel_isolated_former_holder_should_not_read_next_holders_blocks),
		TEST_CASE_ST(hold_case_setup, hold_case_teardown,
			test_channel_isolated_former_holder_should_not_post_as_next_holder),
		TEST_CASE_ST(hold_case_setup, hold_case_teardown,
			test_channel_isolated_former_holder_should_not_stop_next_holders_service),
		TEST_CASE_ST(hold_case_setup, hold_case_teardown,
			test_channel_isolated_former_holder_should_not_take_invalidations),
		TEST_CASE_ST(hold_case_setup, hold_case_teardown,
			test_channel_isolated_inflight_table_should_not_outlive_a_holder),
		TEST_CASE_ST(hold_case_setup, hold_case_teardown,
			test_channel_isolated_attach_region_should_read_nb_vfs_once),
		TEST_CASES_END(),
	},
};

static int
test_channel_isolated_isolation_suite(void)
{
	return unit_test_suite_runner(&holders_isolation_suite);
}

REGISTER_TEST_COMMAND(channel_isolated_holders_autotest, test_channel_isolated_isolation_suite);
