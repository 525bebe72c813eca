/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, life cycle and layout: create/attach/free, names,
 * geometry and memory footprint, and attach refusing a memzone whose magic,
 * version or geometry is not this library's.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_layout"

static struct vfbc_channel *ch;

static int
layout_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
layout_case_setup(void)
{
	ch = vfbc_channel_create(CH_NAME, 3, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
layout_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static int
test_channel_memsize_should_grow_by_one_vf_area_per_vf(void)
{
	static const uint16_t counts[] = { 1, 8, 64, 256 };
	ssize_t one;
	ssize_t two;
	ssize_t sz;
	unsigned int i;

	TEST_ASSERT_EQUAL(vfbc_channel_memsize(0), -EINVAL, "0 VFs accepted");
	TEST_ASSERT_EQUAL(vfbc_channel_memsize(VFBC_CHANNEL_MAX_VFS + 1), -EINVAL,
			"%u VFs accepted", VFBC_CHANNEL_MAX_VFS + 1);
	one = vfbc_channel_memsize(1);
	two = vfbc_channel_memsize(2);
	TEST_ASSERT(one > 0 && two > one, "memsize(1) %zd, memsize(2) %zd", one, two);
	/* Per VF at least the fixed part and the three rings' slots. */
	TEST_ASSERT((size_t)(two - one) >= sizeof(struct vfbc_channel_shm_vf) +
			VFBC_CHANNEL_NOTIFY_RING_SIZE * sizeof(struct vfbc_channel_notify_elem) +
			VFBC_CHANNEL_REQ_RING_SIZE * sizeof(struct vfbc_channel_req) +
			VFBC_CHANNEL_RESP_RING_SIZE * sizeof(struct vfbc_channel_resp),
			"VF area of %zd bytes cannot hold its parts", two - one);
	TEST_ASSERT_EQUAL((two - one) % RTE_CACHE_LINE_SIZE, 0, "VF area not line-aligned");

	printf("channel memory footprint (vfbc_channel_memsize):\n");
	for (i = 0; i < RTE_DIM(counts); i++) {
		sz = vfbc_channel_memsize(counts[i]);
		TEST_ASSERT_EQUAL(sz, one + (ssize_t)(counts[i] - 1) * (two - one),
				"memsize(%u) = %zd is not linear", counts[i], sz);
		printf("  %3u VFs: %9zd bytes (%.1f KiB)\n", counts[i], sz, sz / 1024.0);
	}
	printf("  per VF: %zd bytes; header: %zd bytes\n", two - one, one - (two - one));
	return TEST_SUCCESS;
}

static int
test_channel_memzone_should_match_memsize_and_header(void)
{
	const struct rte_memzone *mz;
	const struct vfbc_channel_shm_hdr *hdr;

	mz = rte_memzone_lookup(VFBC_CHANNEL_MZ_PREFIX CH_NAME);
	TEST_ASSERT_NOT_NULL(mz, "memzone %s not found", VFBC_CHANNEL_MZ_PREFIX CH_NAME);
	TEST_ASSERT((ssize_t)mz->len >= vfbc_channel_memsize(3), "memzone too small");
	hdr = mz->addr;
	TEST_ASSERT_EQUAL(hdr->magic, VFBC_CHANNEL_MAGIC, "magic 0x%x", hdr->magic);
	TEST_ASSERT_EQUAL(hdr->version_major, VFBC_CHANNEL_VERSION_MAJOR, "major");
	TEST_ASSERT_EQUAL(hdr->version_minor, VFBC_CHANNEL_VERSION_MINOR, "minor");
	TEST_ASSERT_EQUAL((ssize_t)hdr->size, vfbc_channel_memsize(3), "header size");
	TEST_ASSERT_EQUAL(hdr->nb_vfs, 3, "header nb_vfs");
	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(ch), 3, "handle nb_vfs");
	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(NULL), 0, "nb_vfs of NULL");
	TEST_ASSERT_EQUAL(hdr->vf_area_off % RTE_CACHE_LINE_SIZE, 0, "VF area misaligned");
	TEST_ASSERT_EQUAL(hdr->notify_ring_off % RTE_CACHE_LINE_SIZE, 0, "ring misaligned");
	TEST_ASSERT(hdr->notify_ring_off >= sizeof(struct vfbc_channel_shm_vf) &&
			hdr->req_ring_off > hdr->notify_ring_off &&
			hdr->resp_ring_off > hdr->req_ring_off &&
			hdr->resp_ring_off < hdr->vf_size, "rings overlap");
	return TEST_SUCCESS;
}

static int
test_channel_attach_should_share_state_with_the_creator(void)
{
	struct vfbc_channel *peer;
	uint64_t mask;

	peer = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(peer, "attach failed: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(peer), 3, "attached nb_vfs");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(peer, 2, -1), "claim through the attached handle");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 2, 0x80), "invalidate failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(peer, 2, &mask), 1, "no delivery");
	TEST_ASSERT_EQUAL(mask, 0x80, "delivered 0x%" PRIx64, mask);
	/* Freeing an attached handle leaves the channel in place. */
	vfbc_channel_free(peer);
	TEST_ASSERT_NOT_NULL(rte_memzone_lookup(VFBC_CHANNEL_MZ_PREFIX CH_NAME),
			"an attached handle freed the memzone");
	return TEST_SUCCESS;
}

static int
test_channel_create_bad_arguments_should_fail_with_errno(void)
{
	char longname[64];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	rte_errno = 0;
	TEST_ASSERT_NULL(vfbc_channel_create(NULL, 1, SOCKET_ID_ANY), "NULL name");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "NULL name: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_create("", 1, SOCKET_ID_ANY), "empty name");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "empty name: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_create(longname, 1, SOCKET_ID_ANY), "long name");
	TEST_ASSERT_EQUAL(rte_errno, ENAMETOOLONG, "long name: errno %d", rte_errno);
	/* Exactly one character too many for a 31-character memzone name. */
	longname[VFBC_CHANNEL_NAME_MAX + 1] = '\0';
	TEST_ASSERT_NULL(vfbc_channel_create(longname, 1, SOCKET_ID_ANY), "name max + 1");
	TEST_ASSERT_EQUAL(rte_errno, ENAMETOOLONG, "name max + 1: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_create("t_zero", 0, SOCKET_ID_ANY), "0 VFs");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "0 VFs: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_create("t_many", VFBC_CHANNEL_MAX_VFS + 1, SOCKET_ID_ANY),
			"too many VFs");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "too many VFs: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_create(CH_NAME, 1, SOCKET_ID_ANY), "duplicate name");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "duplicate: errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_lookup(VFBC_CHANNEL_MZ_PREFIX "t_zero"),
			"a refused create left a memzone");

	TEST_ASSERT_NULL(vfbc_channel_attach(NULL), "attach NULL");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "attach NULL: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_attach(longname), "attach long name");
	TEST_ASSERT_EQUAL(rte_errno, ENAMETOOLONG, "attach long: errno %d", rte_errno);
	TEST_ASSERT_NULL(vfbc_channel_attach("t_nosuch"), "attach missing");
	TEST_ASSERT_EQUAL(rte_errno, ENOENT, "attach missing: errno %d", rte_errno);

	TEST_ASSERT_NOT_NULL(rte_memzone_lookup(VFBC_CHANNEL_MZ_PREFIX CH_NAME),
			"a refused create freed the existing channel");
	vfbc_channel_free(NULL);
	return TEST_SUCCESS;
}

static int
test_channel_largest_name_and_vf_count_should_work(void)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	char name[VFBC_CHANNEL_NAME_MAX + 1];
	struct vfbc_channel *big;
	uint64_t mask;

	memset(name, 'n', VFBC_CHANNEL_NAME_MAX);
	name[VFBC_CHANNEL_NAME_MAX] = '\0';
	big = vfbc_channel_create(name, VFBC_CHANNEL_MAX_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(big, "create(%s, %u) failed: %s", name, VFBC_CHANNEL_MAX_VFS,
			rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(big, VFBC_CHANNEL_MAX_VFS - 1, -1),
			"claim of the last VF failed");
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(big, VFBC_CHANNEL_MAX_VFS - 1, 0x1),
			"invalidate of the last VF failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(big, VFBC_CHANNEL_MAX_VFS - 1, &mask),
			1, "no delivery to the last VF");
	snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, name);
	TEST_ASSERT_EQUAL(strlen(mz_name), RTE_MEMZONE_NAMESIZE - 1, "name %s", mz_name);
	TEST_ASSERT_NOT_NULL(rte_memzone_lookup(mz_name), "memzone %s not found", mz_name);
	vfbc_channel_free(big);
	TEST_ASSERT_NULL(rte_memzone_lookup(mz_name), "free left memzone %s", mz_name);
	return TEST_SUCCESS;
}

/* Corrupt one header field, expect attach to fail with err, restore it. */
#define LAYOUT_EXPECT_REFUSED(field, bad, err) do { \
	struct vfbc_channel_shm_hdr *h_ = __vfbc_channel_hdr(ch); \
	__typeof__(h_->field) saved_ = h_->field; \
	h_->field = (bad); \
	rte_errno = 0; \
	TEST_ASSERT_NULL(vfbc_channel_attach(CH_NAME), "attach accepted bad " #field); \
	TEST_ASSERT_EQUAL(rte_errno, (err), #field ": errno %d", rte_errno); \
	h_->field = saved_; \
} while (0)

static int
test_channel_attach_should_refuse_other_layouts(void)
{
	struct vfbc_channel *peer;

	LAYOUT_EXPECT_REFUSED(magic, 0x12345678, EPROTO);
	LAYOUT_EXPECT_REFUSED(magic, 0, EAGAIN);
	LAYOUT_EXPECT_REFUSED(version_major, VFBC_CHANNEL_VERSION_MAJOR + 1, EPROTO);
	LAYOUT_EXPECT_REFUSED(version_major, 0, EPROTO);
	LAYOUT_EXPECT_REFUSED(size, h_->size + 64, EPROTO);
	LAYOUT_EXPECT_REFUSED(nb_vfs, 0, EPROTO);
	LAYOUT_EXPECT_REFUSED(nb_vfs, 4, EPROTO);
	LAYOUT_EXPECT_REFUSED(vf_size, h_->vf_size - 64, EPROTO);
	LAYOUT_EXPECT_REFUSED(vf_area_off, 0, EPROTO);
	LAYOUT_EXPECT_REFUSED(req_ring_off, h_->req_ring_off + 64, EPROTO);
	LAYOUT_EXPECT_REFUSED(block_size, 256, EPROTO);
	LAYOUT_EXPECT_REFUSED(req_elem_size, 64, EPROTO);

	/* A newer compatible minor is accepted. */
	__vfbc_channel_hdr(ch)->version_minor++;
	peer = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(peer, "newer minor refused: %s", rte_strerror(rte_errno));
	vfbc_channel_free(peer);
	__vfbc_channel_hdr(ch)->version_minor--;

	peer = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(peer, "restored header refused: %s", rte_strerror(rte_errno));
	vfbc_channel_free(peer);
	return TEST_SUCCESS;
}

static struct unit_test_suite channel_layout_suite = {
	.suite_name = "channel layout (lib/vfbc)",
	.setup = layout_suite_setup,
	.unit_test_cases = {
		TEST_CASE(test_channel_memsize_should_grow_by_one_vf_area_per_vf),
		TEST_CASE_ST(layout_case_setup, layout_case_teardown,
			test_channel_memzone_should_match_memsize_and_header),
		TEST_CASE_ST(layout_case_setup, layout_case_teardown,
			test_channel_attach_should_share_state_with_the_creator),
		TEST_CASE_ST(layout_case_setup, layout_case_teardown,
			test_channel_create_bad_arguments_should_fail_with_errno),
		TEST_CASE(test_channel_largest_name_and_vf_count_should_work),
		TEST_CASE_ST(layout_case_setup, layout_case_teardown,
			test_channel_attach_should_refuse_other_layouts),
		TEST_CASES_END(),
	},
};

static int
test_channel_layout(void)
{
	return unit_test_suite_runner(&channel_layout_suite);
}

REGISTER_TEST_COMMAND(channel_layout_autotest, test_channel_layout);
