/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, isolated mode: every VF's area is a sealed memory file
 * of its own. A region's handle reaches its VF and nothing else; whatever
 * the consumer writes in its region (garbage included) changes no other
 * VF; the consumer cannot resize the file under the PF's mapping; the PF
 * finds requests without a shared doorbell, within a bounded number of
 * scans; secondaries cannot attach.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_channel_isolated_common.h"

#define CH_NAME "t_iso"
#define CH_VFS 4

static struct vfbc_channel *ch;

static int
iso_case_setup(void)
{
	ch = vfbc_channel_create_isolated(CH_NAME, CH_VFS);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
iso_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static int
test_channel_isolated_regions_should_be_sealed_and_separate(void)
{
	size_t len = vfbc_channel_region_size();
	struct stat st[CH_VFS];
	int seals;
	int fd;
	uint16_t vf, w;

	TEST_ASSERT(len > 0 && len % (size_t)sysconf(_SC_PAGESIZE) == 0,
			"region size %zu is not whole pages", len);
	TEST_ASSERT_EQUAL(vfbc_channel_is_isolated(ch), 1, "not isolated");
	for (vf = 0; vf < CH_VFS; vf++) {
		fd = vfbc_channel_region_fd(ch, vf);
		TEST_ASSERT(fd >= 0, "VF %u: no region fd (%d)", vf, fd);
		TEST_ASSERT_SUCCESS(fstat(fd, &st[vf]), "fstat");
		TEST_ASSERT_EQUAL((size_t)st[vf].st_size, len, "VF %u: %jd bytes", vf,
				(intmax_t)st[vf].st_size);
		seals = fcntl(fd, F_GET_SEALS);
		TEST_ASSERT(seals >= 0 && (seals & F_SEAL_SHRINK) && (seals & F_SEAL_GROW) &&
				(seals & F_SEAL_SEAL), "VF %u: seals 0x%x", vf, seals);
		/* What a hostile consumer would try with the fd it was given. */
		TEST_ASSERT(ftruncate(fd, 0) < 0 && errno == EPERM, "VF %u: shrunk", vf);
		TEST_ASSERT(ftruncate(fd, (off_t)len * 2) < 0 && errno == EPERM,
				"VF %u: grown", vf);
		for (w = 0; w < vf; w++)
			TEST_ASSERT(st[w].st_ino != st[vf].st_ino, "VF %u and %u share a file",
					w, vf);
	}
	TEST_ASSERT_EQUAL(vfbc_channel_region_fd(ch, CH_VFS), -EINVAL, "VF out of range");
	TEST_ASSERT_EQUAL(vfbc_channel_region_fd(NULL, 0), -EINVAL, "NULL ch");
	return TEST_SUCCESS;
}

static int
test_channel_isolated_should_refuse_attach_by_name(void)
{
	struct vfbc_channel *h;

	h = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NULL(h, "attached an isolated channel by name");
	TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "rte_errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
test_channel_isolated_region_handle_should_reach_its_vf_only(void)
{
	struct vfbc_channel_req req;
	struct vfbc_channel *h;
	uint8_t buf[8];
	uint64_t mask;

	h = iso_test_consumer(ch, 1);
	TEST_ASSERT_NOT_NULL(h, "VF 1's consumer");
	TEST_ASSERT_EQUAL(vfbc_channel_is_isolated(h), 1, "region handle not isolated");
	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(h), CH_VFS, "nb_vfs %u", vfbc_channel_nb_vfs(h));
	TEST_ASSERT_EQUAL(vfbc_channel_creator_pid(h), getpid(), "creator pid");
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, 3, "vf0", 3), "block write");
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(h, 0, &mask), -EINVAL, "poll VF 0");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(h, 0, 3, buf, sizeof(buf)), -EINVAL,
			"read VF 0's block");
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(h, 0, &req), -EINVAL, "post on VF 0");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_adopt(h, 0, UINT64_C(1) << 32 | 1), -EINVAL,
			"adopt VF 0");
	TEST_ASSERT_EQUAL(vfbc_channel_region_fd(h, 1), -EPERM, "region fd from a consumer");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_adopt(h, 1, UINT64_C(7) << 32 | 1), -EALREADY,
			"adopted twice");
	vfbc_channel_free(h);
	return TEST_SUCCESS;
}

static int
test_channel_isolated_region_should_be_checked_at_attach(void)
{
	size_t len = vfbc_channel_region_size();
	struct vfbc_channel *h;
	int fd;

	/* VF 1's region presented as VF 2's. */
	h = vfbc_channel_attach_region(vfbc_channel_region_fd(ch, 1), 2);
	TEST_ASSERT(h == NULL && rte_errno == EPROTO, "another VF's region attached");
	/* Not a memory file of the right size. */
	fd = open("/dev/null", O_RDWR);
	TEST_ASSERT(fd >= 0, "open /dev/null");
	h = vfbc_channel_attach_region(fd, 1);
	close(fd);
	TEST_ASSERT(h == NULL && rte_errno == EPROTO, "/dev/null attached");
	/* The right size, but unsealed: its owner could shrink it under us. */
	fd = memfd_create("t_iso_unsealed", MFD_CLOEXEC);
	TEST_ASSERT(fd >= 0 && ftruncate(fd, (off_t)len) == 0, "memfd");
	h = vfbc_channel_attach_region(fd, 1);
	close(fd);
	TEST_ASSERT(h == NULL && rte_errno == EPROTO, "unsealed file attached");
	h = vfbc_channel_attach_region(-1, 1);
	TEST_ASSERT(h == NULL && rte_errno == EINVAL, "fd -1");
	h = vfbc_channel_attach_region(vfbc_channel_region_fd(ch, 1), VFBC_CHANNEL_MAX_VFS);
	TEST_ASSERT(h == NULL && rte_errno == EINVAL, "vf out of range");
	return TEST_SUCCESS;
}

static int
test_channel_isolated_should_carry_invalidations_blocks_and_requests(void)
{
	static const uint8_t block[5] = { 'h', 'e', 'l', 'l', 'o' };
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req, got;
	struct vfbc_channel *h;
	uint16_t vfs[CH_VFS];
	uint8_t buf[16];
	uint64_t mask;
	int n, scans;

	h = iso_test_consumer(ch, 2);
	TEST_ASSERT_NOT_NULL(h, "VF 2's consumer");
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 2, 9, block, sizeof(block)), "write");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 2, UINT64_C(1) << 9), "invalidate");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 3, UINT64_C(1) << 1), "invalidate 3");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(h, 2, &mask), 1, "nothing delivered");
	TEST_ASSERT_EQUAL(mask, UINT64_C(1) << 9, "mask 0x%" PRIx64, mask);
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(h, 2, 9, buf, sizeof(buf)), sizeof(block),
			"block read");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, block, sizeof(block), "block data");

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.target = 0;
	req.len = 4;
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(h, 2, &req), "post");
	/* No doorbell bitmap: the scan finds it within its round-robin bound. */
	n = 0;
	for (scans = 0; scans <= CH_VFS / VFBC_CHANNEL_ISOLATED_SCAN + 1 && n == 0; scans++)
		n = vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs));
	TEST_ASSERT(n == 1 && vfs[0] == 2, "scan found %d VFs (first %u)", n, vfs[0]);
	TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(ch, 2, &got), 1, "dequeue");
	TEST_ASSERT_SUCCESS(vfbc_channel_respond(ch, 2, &got, 0, block, 4), "respond");
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(h, 2, &resp), 1, "no response");
	TEST_ASSERT(resp.req_id == req.req_id && resp.status == 0 && resp.len == 4,
			"response id %u status %d len %u", resp.req_id, resp.status, resp.len);
	vfbc_channel_free(h);
	return TEST_SUCCESS;
}

/*
 * Everything a consumer can write: all of its region, garbage. Another VF
 * keeps its pending bits, blocks and counters; the PF's calls on the
 * scribbled VF fail or count, never crash, never touch another VF.
 */
static int
test_channel_isolated_scribbled_region_should_not_reach_other_vfs(void)
{
	size_t len = vfbc_channel_region_size();
	struct vfbc_channel_stats before, after;
	struct vfbc_channel_req got;
	struct vfbc_channel *h0, *h1;
	uint16_t vfs[CH_VFS];
	uint8_t buf[8];
	uint64_t mask;
	uint8_t *p;
	size_t i;
	int scans;

	h0 = iso_test_consumer(ch, 0);
	TEST_ASSERT_NOT_NULL(h0, "VF 0's consumer");
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, 4, "keep", 4), "write VF 0");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, 0x30), "invalidate VF 0");
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &before), "stats");
	h1 = iso_test_consumer(ch, 1);
	TEST_ASSERT_NOT_NULL(h1, "VF 1's consumer");

	/* The hostile consumer's own mapping of its file: every byte. */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, vfbc_channel_region_fd(ch, 1), 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap");
	srand(41);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rand();
	munmap(p, len);

	/* The PF on the scribbled VF: no crash, bounded. */
	for (scans = 0; scans < 4; scans++)
		(void)vfbc_channel_doorbell_scan(ch, vfs, RTE_DIM(vfs));
	for (i = 0; i < 64; i++)
		if (vfbc_channel_request_dequeue(ch, 1, &got) != 1)
			break;
	(void)vfbc_channel_invalidate(ch, 1, 1);
	(void)vfbc_channel_block_write(ch, 1, 4, "pf", 2);

	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &after), "stats");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&before, &after, sizeof(before), "VF 0's counters changed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(h0, 0, &mask), 1, "VF 0 lost its bits");
	TEST_ASSERT_EQUAL(mask, 0x30, "VF 0 mask 0x%" PRIx64, mask);
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(h0, 0, 4, buf, sizeof(buf)), 4, "VF 0 block");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, "keep", 4, "VF 0's block changed");
	/* The PF's own copy of VF 1's block is not the scribble. */
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 4, buf, sizeof(buf)), 2, "PF copy");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, "pf", 2, "PF's copy of VF 1's block");
	vfbc_channel_free(h1);
	vfbc_channel_free(h0);
	return TEST_SUCCESS;
}

/* 256 consumers: a request of any VF is seen within nb_vfs / window scans. */
static int
test_channel_isolated_scan_should_find_every_vf_within_its_bound(void)
{
	const unsigned int bound = VFBC_CHANNEL_MAX_VFS / VFBC_CHANNEL_ISOLATED_SCAN;
	static const uint16_t probes[] = { 0, 15, 16, 17, 128, 200, 255 };
	static uint64_t words[VFBC_CHANNEL_MAX_VFS];
	struct vfbc_channel_req req, got;
	struct vfbc_channel *big, *h;
	uint16_t vfs[VFBC_CHANNEL_ISOLATED_SCAN];
	unsigned int i, scans;
	uint16_t vf;
	int n, k, found;

	big = vfbc_channel_create_isolated("t_iso_big", VFBC_CHANNEL_MAX_VFS);
	TEST_ASSERT_NOT_NULL(big, "create 256: %s", rte_strerror(rte_errno));
	for (vf = 0; vf < VFBC_CHANNEL_MAX_VFS; vf++)
		TEST_ASSERT(vfbc_channel_claim_grant(big, vf, getpid(), -1, -1, &words[vf]) >= 0,
				"grant %u", vf);
	for (i = 0; i < RTE_DIM(probes); i++) {
		vf = probes[i];
		h = vfbc_channel_attach_region(vfbc_channel_region_fd(big, vf), vf);
		TEST_ASSERT_NOT_NULL(h, "attach %u", vf);
		TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(h, vf, words[vf]), "adopt %u", vf);
		memset(&req, 0, sizeof(req));
		req.type = VFBC_CHANNEL_REQ_CFG_READ;
		req.len = 4;
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(h, vf, &req), "post %u", vf);
		found = 0;
		for (scans = 0; scans < bound && !found; scans++) {
			n = vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs));
			TEST_ASSERT(n >= 0 && n <= VFBC_CHANNEL_ISOLATED_SCAN, "scan %d", n);
			for (k = 0; k < n; k++)
				found |= vfs[k] == vf;
		}
		TEST_ASSERT(found, "VF %u's request not seen in %u scans", vf, bound);
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(big, vf, &got), 1, "dequeue %u", vf);
		vfbc_channel_free(h);
	}
	/* One consumer left of 256 VFs: the scan reads granted VFs only, it sees it at once. */
	for (vf = 0; vf < VFBC_CHANNEL_MAX_VFS; vf++)
		if (vf != 200)
			TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(big, vf), "revoke %u", vf);
	/* Its handle above released it: a new grant, a new region. */
	TEST_ASSERT(vfbc_channel_claim_grant(big, 200, getpid(), -1, -1, &words[200]) >= 0,
			"grant 200 again");
	h = vfbc_channel_attach_region(vfbc_channel_region_fd(big, 200), 200);
	TEST_ASSERT(h != NULL && vfbc_channel_claim_adopt(h, 200, words[200]) == 0, "VF 200");
	for (i = 0; i < 3; i++) {
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(h, 200, &req), "post %u", i);
		n = vfbc_channel_doorbell_scan(big, vfs, RTE_DIM(vfs));
		TEST_ASSERT(n == 1 && vfs[0] == 200, "scan %u of a lone consumer: %d VFs", i, n);
		TEST_ASSERT_EQUAL(vfbc_channel_request_dequeue(big, 200, &got), 1, "dequeue");
	}
	vfbc_channel_free(h);
	vfbc_channel_free(big);
	return TEST_SUCCESS;
}

/*
 * A consumer's handle follows its VF to a new region (a new grant after its
 * own revoke): mapped in place, checked first; another VF's region leaves
 * the handle as it was.
 */
static int
test_channel_isolated_remap_should_follow_the_vf(void)
{
	struct vfbc_channel *h;
	uint8_t *area_before;
	uint64_t word, mask;

	h = iso_test_consumer(ch, 2);
	TEST_ASSERT_NOT_NULL(h, "VF 2's consumer");
	area_before = h->areas[2];
	TEST_ASSERT_EQUAL(vfbc_channel_region_remap(h, vfbc_channel_region_fd(ch, 1)), -EPROTO,
			"VF 1's region taken for VF 2's");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_adopt(h, 2, UINT64_C(1) << 32 | 1), -EALREADY,
			"the refused remap dropped the claim");
	/* Its claim ends (a hang-up), a new grant: a new file. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(ch, 2), "revoke");
	TEST_ASSERT(vfbc_channel_claim_grant(ch, 2, getpid(), -1, -1, &word) >= 0, "grant");
	TEST_ASSERT_SUCCESS(vfbc_channel_region_remap(h, vfbc_channel_region_fd(ch, 2)),
			"remap");
	TEST_ASSERT(h->areas[2] == area_before, "the handle's area moved");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(h, 2, word), "adopt the new grant");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 2, 0x4), "invalidate");
	/* The new holder gets all blocks first (what landed in the old file). */
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(h, 2, &mask), 1, "poll");
	TEST_ASSERT((mask & 0x4) != 0, "mask 0x%" PRIx64, mask);
	vfbc_channel_free(h);
	return TEST_SUCCESS;
}

static struct unit_test_suite channel_isolated_suite = {
	.suite_name = "channel isolated mode (lib/vfbc)",
	.setup = iso_test_eal,
	.unit_test_cases = {
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_regions_should_be_sealed_and_separate),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_should_refuse_attach_by_name),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_region_handle_should_reach_its_vf_only),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_region_should_be_checked_at_attach),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_should_carry_invalidations_blocks_and_requests),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_scribbled_region_should_not_reach_other_vfs),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_channel_isolated_remap_should_follow_the_vf),
		TEST_CASE(test_channel_isolated_scan_should_find_every_vf_within_its_bound),
		TEST_CASES_END(),
	},
};

static int
test_channel_isolated_suite(void)
{
	return unit_test_suite_runner(&channel_isolated_suite);
}

REGISTER_TEST_COMMAND(channel_isolated_autotest, test_channel_isolated_suite);
