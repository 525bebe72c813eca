/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Found by a red-team round: the region renewal of isolated channels (6e1c283) and
 * the isolated scan (80fcbfa). Library level, as
 * test_channel_isolated_holders.c: "old" is the mapping a former holder
 * keeps; its hang-up is vfbc_channel_claim_revoke() (pf_sock_conn_detach()).
 *
 * Run: build/test/vfbc-test channel_isolated_renew_autotest
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_channel_isolated_common.h"

#define R3_NAME "t_iso_renew"
#define R3_VFS 4

static struct vfbc_channel *ch;

static int
r3_case_setup(void)
{
	ch = vfbc_channel_create_isolated(R3_NAME, R3_VFS);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
r3_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static struct vfbc_channel_shm_vf *
r3_area(uint8_t *region)
{
	return (struct vfbc_channel_shm_vf *)(region +
			sizeof(struct vfbc_channel_shm_region_hdr));
}

/*
 * Defect 1 (confidentiality, incomplete fix of round 2's critical): the
 * renewal happens at the NEXT grant, not when a holder's claim ends. From
 * its revoke (hang-up) to the next grant, the former holder still maps the
 * file the PF writes: every block the PF writes for the VF (typically the
 * next tenant's configuration, provisioned before that tenant connects),
 * its address, its invalidations. And the file it keeps afterwards holds
 * all of it for good.
 */
static int
test_renew_revoked_holder_reads_next_blocks(void)
{
	static const char cfg_b[] = "tenant-B: mac 02:bb:bb:bb:bb:bb vlan 42 key=hunter2";
	struct vfbc_channel_shm_vf *o;
	struct vfbc_channel *a, *b;
	size_t len = vfbc_channel_region_size();
	uint8_t *old;
	int leaked;

	a = iso_test_consumer(ch, 1);
	TEST_ASSERT_NOT_NULL(a, "A");
	old = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			vfbc_channel_region_fd(ch, 1), 0);
	TEST_ASSERT(old != MAP_FAILED, "A keeps a mapping");
	vfbc_channel_free(a);
	/* A's tenancy ends (hang-up): the PF revokes. */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(ch, 1), "revoke");
	/* The operator provisions VF 1 for tenant B, then hands B the secret. */
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 9, cfg_b, sizeof(cfg_b)), "write");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 1, UINT64_C(1) << 9), "inv");
	b = iso_test_consumer(ch, 1);
	TEST_ASSERT_NOT_NULL(b, "B");

	o = r3_area(old);
	leaked = memcmp(o->blocks[9].data, cfg_b, sizeof(cfg_b)) == 0;
	printf("former holder A, after its revoke and B's grant, reads block 9 of its old "
	       "mapping: \"%.*s\" (pending 0x%" PRIx64 ")\n", (int)sizeof(cfg_b),
	       (const char *)o->blocks[9].data, o->notify.pending);
	munmap(old, len);
	vfbc_channel_free(b);
	TEST_ASSERT(!leaked, "a former holder, after its claim was revoked, reads the config "
		    "block the PF wrote for the next tenant (the region is renewed only at "
		    "the next grant)");
	return TEST_SUCCESS;
}

/*
 * Defect 2 (resource exhaustion): every grant after the first makes a new
 * memory file that the PF populates (its pages are faulted, and charged,
 * by the PF process); a holder that keeps each file it was sent keeps it
 * alive. No budget: a consumer that knows its own secret makes the PF
 * allocate region_size bytes per open/hang-up, without bound.
 */
static int
test_renew_regrant_memory_bounded(void)
{
	const int n = 256;
	struct stat st;
	uint64_t bytes = 0, t0, tmax = 0, tsum = 0, t;
	int fds[256], i, ret;
	uint64_t word;

	for (i = 0; i < n; i++) {
		t0 = rte_rdtsc();
		ret = vfbc_channel_claim_grant(ch, 2, getpid(), -1, -1, &word);
		t = rte_rdtsc() - t0;
		TEST_ASSERT(ret >= 0, "grant %d: %d", i, ret);
		tsum += t;
		tmax = RTE_MAX(tmax, t);
		/* What a former holder keeps: the fd it was sent (or a mapping of it). */
		fds[i] = dup(vfbc_channel_region_fd(ch, 2));
		TEST_ASSERT(fds[i] >= 0, "dup");
		TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(ch, 2), "revoke");
	}
	for (i = 0; i < n; i++) {
		if (fstat(fds[i], &st) == 0)
			bytes += (uint64_t)st.st_blocks * 512;
		close(fds[i]);
	}
	printf("%d open/hang-up cycles: %" PRIu64 " KiB of memory files populated by the PF "
	       "and kept by the former holder (%zu-byte region); grant mean %" PRIu64
	       " us, max %" PRIu64 " us (slot lock held)\n", n, bytes / 1024,
	       vfbc_channel_region_size(), tsum / n * 1000000 / rte_get_tsc_hz(),
	       tmax * 1000000 / rte_get_tsc_hz());
	TEST_ASSERT(bytes <= 4 * vfbc_channel_region_size(),
		    "one consumer made the PF populate %" PRIu64 " KiB of memory (%d regions) "
		    "that the PF no longer accounts for", bytes / 1024, n);
	return TEST_SUCCESS;
}

/*
 * Defect 3 (a failed grant is not side-effect free): a renewal that fails
 * (here EMFILE) refuses the claim, but ch_count_dropped() already counted
 * the old rings' records as dropped; every retry counts them again.
 */
static int
test_renew_failed_renewal_counts_once(void)
{
	struct vfbc_channel_stats s0, s1;
	struct vfbc_channel_req req;
	struct vfbc_channel *a, *b;
	struct rlimit old_lim, lim;
	int free_fd, ret, i;
	uint64_t word;

	a = iso_test_consumer(ch, 3);
	TEST_ASSERT_NOT_NULL(a, "A");
	for (i = 0; i < 3; i++) {
		memset(&req, 0, sizeof(req));
		req.type = VFBC_CHANNEL_REQ_CFG_READ;
		req.target = 0;
		req.len = 4;
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(a, 3, &req), "post %d", i);
	}
	vfbc_channel_free(a);
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 3, &s0), "stats");

	/*
	 * The PF process runs out of descriptors for a moment: the revoke
	 * cannot renew the region (it says so), so the grants must, and fail.
	 */
	free_fd = dup(0);
	TEST_ASSERT(free_fd >= 0, "dup");
	close(free_fd);
	TEST_ASSERT_SUCCESS(getrlimit(RLIMIT_NOFILE, &old_lim), "getrlimit");
	lim = old_lim;
	/* Not free_fd: the revoke closes the holder's pidfd, a lower one. */
	lim.rlim_cur = 3;
	TEST_ASSERT_SUCCESS(setrlimit(RLIMIT_NOFILE, &lim), "setrlimit");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(ch, 3), "revoke");
	ret = vfbc_channel_claim_grant(ch, 3, getpid(), -1, -1, &word);
	i = vfbc_channel_claim_grant(ch, 3, getpid(), -1, -1, &word);
	setrlimit(RLIMIT_NOFILE, &old_lim);
	TEST_ASSERT_EQUAL(ret, -EMFILE, "grant with no descriptor left: %d", ret);
	TEST_ASSERT_EQUAL(i, -EMFILE, "second grant with no descriptor left: %d", i);
	b = iso_test_consumer(ch, 3);
	(void)b;
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 3, &s1), "stats");
	printf("3 requests left by A; requests_dropped before %" PRIu64 ", after 2 failed "
	       "grants and a good one %" PRIu64 "; claims_refused %" PRIu64 "\n",
	       s0.requests_dropped, s1.requests_dropped, s1.claims_refused);
	if (b != NULL)
		vfbc_channel_free(b);
	TEST_ASSERT(s1.requests_dropped - s0.requests_dropped <= 3,
		    "3 dropped requests counted %" PRIu64 " times over: a failed grant "
		    "changed state", s1.requests_dropped - s0.requests_dropped);
	return TEST_SUCCESS;
}

/*
 * The isolated scan (80fcbfa): each granted VF with a request waiting is
 * reported within ceil(granted / VFBC_CHANNEL_ISOLATED_SCAN) calls, for
 * channel sizes around the word boundaries.
 */
static int
r3_scan_one(uint16_t nb_vfs, unsigned int seed)
{
	static const uint8_t one = 1;
	struct vfbc_channel *c;
	struct vfbc_channel_shm_region_hdr *rh;
	uint8_t *maps[VFBC_CHANNEL_MAX_VFS];
	uint16_t vfs[VFBC_CHANNEL_MAX_VFS];
	uint32_t seen_at[VFBC_CHANNEL_MAX_VFS];
	unsigned int granted = 0, calls, bound, i, k;
	size_t len = vfbc_channel_region_size();
	char name[32];
	uint64_t word;
	int n, ok = 1;
	uint16_t vf;

	snprintf(name, sizeof(name), "t_iso_scan%u", nb_vfs);
	c = vfbc_channel_create_isolated(name, nb_vfs);
	if (c == NULL)
		return -1;
	srand(seed);
	memset(maps, 0, sizeof(maps));
	for (vf = 0; vf < nb_vfs; vf++) {
		if (nb_vfs > 2 && (rand() % 3) == 0)
			continue;
		if (vfbc_channel_claim_grant(c, vf, getpid(), -1, -1, &word) < 0)
			goto fail;
		maps[vf] = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
				vfbc_channel_region_fd(c, vf), 0);
		if (maps[vf] == MAP_FAILED)
			goto fail;
		rh = (void *)maps[vf];
		/* One record waiting: the producer index one past the PF's. */
		__atomic_fetch_add((uint32_t *)((uint8_t *)r3_area(maps[vf]) +
				rh->req_ring_off), one, __ATOMIC_RELEASE);
		granted++;
	}
	bound = (granted + VFBC_CHANNEL_ISOLATED_SCAN - 1) / VFBC_CHANNEL_ISOLATED_SCAN;
	/* Start anywhere: a few calls first. */
	for (i = 0; i < (seed % 7); i++)
		(void)vfbc_channel_doorbell_scan(c, vfs, nb_vfs);
	for (k = 0; k < 3; k++) {
		memset(seen_at, 0, sizeof(seen_at));
		for (calls = 1; calls <= bound; calls++) {
			n = vfbc_channel_doorbell_scan(c, vfs, nb_vfs);
			for (i = 0; i < (unsigned int)n; i++)
				if (seen_at[vfs[i]] == 0)
					seen_at[vfs[i]] = calls;
		}
		for (vf = 0; vf < nb_vfs; vf++)
			if (maps[vf] != NULL && seen_at[vf] == 0) {
				printf("nb_vfs %u seed %u: granted VF %u (of %u granted) not seen "
				       "in %u calls\n", nb_vfs, seed, vf, granted, bound);
				ok = 0;
			}
	}
	for (vf = 0; vf < nb_vfs; vf++)
		if (maps[vf] != NULL)
			munmap(maps[vf], len);
	vfbc_channel_free(c);
	return ok ? 0 : 1;
fail:
	vfbc_channel_free(c);
	return -1;
}

static int
test_renew_scan_visits_every_granted_vf(void)
{
	static const uint16_t sizes[] = { 1, 2, 5, 63, 64, 65, 127, 128, 129, 255, 256 };
	unsigned int i, seed;
	int ret, bad = 0;

	for (i = 0; i < RTE_DIM(sizes); i++)
		for (seed = 1; seed <= 4; seed++) {
			ret = r3_scan_one(sizes[i], seed * 7919 + i);
			TEST_ASSERT(ret >= 0, "setup of %u VFs", sizes[i]);
			bad += ret;
		}
	TEST_ASSERT_EQUAL(bad, 0, "%d configurations left a granted VF unseen", bad);
	return TEST_SUCCESS;
}

static struct unit_test_suite r3_suite = {
	.suite_name = "isolated region renewal",
	.setup = iso_test_eal,
	.unit_test_cases = {
		TEST_CASE_ST(r3_case_setup, r3_case_teardown,
			     test_renew_revoked_holder_reads_next_blocks),
		TEST_CASE_ST(r3_case_setup, r3_case_teardown, test_renew_regrant_memory_bounded),
		TEST_CASE_ST(r3_case_setup, r3_case_teardown,
			     test_renew_failed_renewal_counts_once),
		TEST_CASE(test_renew_scan_visits_every_granted_vf),
		TEST_CASES_END()
	}
};

static int
test_channel_isolated_renew_iso_renew(void)
{
	return unit_test_suite_runner(&r3_suite);
}

REGISTER_TEST_COMMAND(channel_isolated_renew_autotest, test_channel_isolated_renew_iso_renew);
