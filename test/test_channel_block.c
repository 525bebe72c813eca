/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, config blocks: write/read round trips, lengths, ids
 * >= 64 in extra slots, bad arguments, and a reader that never returns a
 * snapshot taken while a writer was inside.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_seqlock.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_block"
#define CH_VFS 2

static struct vfbc_channel *ch;

static int
block_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
block_case_setup(void)
{
	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
block_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

static void
block_fill(uint8_t *buf, uint32_t len, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

static int
test_channel_block_should_read_back_what_was_written(void)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t id;
	uint32_t len;

	for (id = 0; id < VFBC_CHANNEL_NB_BLOCKS; id++) {
		len = (id * 13) % (VFBC_CHANNEL_BLOCK_SIZE + 1);
		block_fill(data, len, (uint8_t)id);
		TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, id, data, len),
				"write of block %u failed", id);
	}
	for (id = 0; id < VFBC_CHANNEL_NB_BLOCKS; id++) {
		len = (id * 13) % (VFBC_CHANNEL_BLOCK_SIZE + 1);
		block_fill(data, len, (uint8_t)id);
		memset(buf, 0, sizeof(buf));
		TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, id, buf, sizeof(buf)), (int)len,
				"block %u: wrong length", id);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, len, "block %u: wrong data", id);
		/* The other VF's blocks are separate. */
		TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, id, buf, sizeof(buf)), -ENOENT,
				"VF 0 sees VF 1's block %u", id);
	}

	/* Shorter rewrite: the length is the new one, the buffer exact-fit works. */
	block_fill(data, 4, 0x40);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 63, data, 4), "rewrite failed");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 63, buf, 4), 4, "exact-fit read");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 4, "rewritten data");

	/* Zero-length block: valid, reads as 0 bytes, not as missing. */
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, 7, NULL, 0), "empty write failed");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 7, buf, sizeof(buf)), 0, "empty read");
	return TEST_SUCCESS;
}

static int
test_channel_block_read_into_small_buffer_should_copy_nothing(void)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];

	block_fill(data, sizeof(data), 1);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, 3, data, 100), "write failed");
	memset(buf, 0xee, sizeof(buf));
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 3, buf, 99), -ENOBUFS, "short buffer");
	TEST_ASSERT_EQUAL(buf[0], 0xee, "a refused read wrote the buffer");
	return TEST_SUCCESS;
}

static int
test_channel_block_ids_from_64_should_use_extra_slots_until_full(void)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t ids[VFBC_CHANNEL_NB_EXTRA_BLOCKS];
	unsigned int i;

	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 64, buf, sizeof(buf)), -ENOENT,
			"unbound id 64 readable");
	for (i = 0; i < RTE_DIM(ids); i++) {
		ids[i] = i == 0 ? UINT32_MAX : 64 + i * 1000;
		block_fill(data, 16, (uint8_t)i);
		TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, ids[i], data, 16),
				"write of block %u failed", ids[i]);
	}
	/* Rewriting a bound id reuses its slot even when all are taken. */
	block_fill(data, 32, 0x99);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, ids[3], data, 32),
			"rewrite of bound block %u failed", ids[3]);
	TEST_ASSERT_EQUAL(vfbc_channel_block_write(ch, 0, 65, data, 8), -ENOSPC,
			"a ninth extra id was stored");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 65, buf, sizeof(buf)), -ENOENT,
			"refused id readable");

	for (i = 0; i < RTE_DIM(ids); i++) {
		if (i == 3)
			continue;
		block_fill(data, 16, (uint8_t)i);
		TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, ids[i], buf, sizeof(buf)), 16,
				"block %u: wrong length", ids[i]);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 16, "block %u: wrong data", ids[i]);
	}
	block_fill(data, 32, 0x99);
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, ids[3], buf, sizeof(buf)), 32,
			"rewritten extra block: wrong length");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 32, "rewritten extra block: wrong data");
	/* Extra slots are per VF. */
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 65, data, 8), "VF 1 slots are full");
	return TEST_SUCCESS;
}

static int
test_channel_block_bad_arguments_should_change_nothing(void)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE + 1];
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];

	memset(data, 0x5a, sizeof(data));
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 0, 9, data, 10), "write failed");

	TEST_ASSERT_EQUAL(vfbc_channel_block_write(NULL, 0, 9, data, 1), -EINVAL, "NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_block_write(ch, CH_VFS, 9, data, 1), -EINVAL, "bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_block_write(ch, 0, 9, NULL, 1), -EINVAL, "NULL data");
	TEST_ASSERT_EQUAL(vfbc_channel_block_write(ch, 0, 9, data, VFBC_CHANNEL_BLOCK_SIZE + 1),
			-EINVAL, "len 129");
	TEST_ASSERT_EQUAL(vfbc_channel_block_write(ch, 0, 9, data, UINT32_MAX), -EINVAL,
			"len 2^32 - 1");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(NULL, 0, 9, buf, sizeof(buf)), -EINVAL,
			"read NULL ch");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, CH_VFS, 9, buf, sizeof(buf)), -EINVAL,
			"read bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 9, NULL, sizeof(buf)), -EINVAL,
			"read NULL buf");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 10, buf, sizeof(buf)), -ENOENT,
			"never-written block readable");

	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 0, 9, buf, sizeof(buf)), 10,
			"a refused write changed the block");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 10, "a refused write changed the data");
	return TEST_SUCCESS;
}

static int
test_channel_block_read_during_write_should_fail_with_eagain(void)
{
	struct vfbc_channel_shm_block *b;
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel *vf_h;
	int ret = TEST_FAILED;

	block_fill(data, 40, 3);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 12, data, 40), "write failed");
	/* The consumer's handle reads the VF's slot. */
	vf_h = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT_NOT_NULL(vf_h, "attach: %s", rte_strerror(rte_errno));
	if (vfbc_channel_claim(vf_h, 1, -1) != 0) {
		printf("claim of VF 1 refused\n");
		goto out;
	}

	/* A writer stopped halfway: odd sequence, half-new data, wild length. */
	b = &__vfbc_channel_vf(ch, 1)->blocks[12];
	rte_seqlock_write_lock(&b->lock);
	memset(b->data, 0xff, 20);
	b->len = UINT32_MAX;
	memset(buf, 0xcc, sizeof(buf));
	if (vfbc_channel_block_read(vf_h, 1, 12, buf, sizeof(buf)) != -EAGAIN ||
			buf[0] != 0xcc) {
		printf("a snapshot was returned (or the buffer written) during a write\n");
		goto out_unlock;
	}
	/* The PF reads its own copy: whatever the VF's slot holds. */
	if (vfbc_channel_block_read(ch, 1, 12, buf, sizeof(buf)) != 40 ||
			memcmp(buf, data, 40) != 0) {
		printf("the PF's read went through the VF's slot\n");
		goto out_unlock;
	}

	/* The writer completes: the same read now succeeds. */
	b->len = 40;
	memcpy(b->data, data, 40);
	rte_seqlock_write_unlock(&b->lock);
	memset(buf, 0, sizeof(buf));
	if (vfbc_channel_block_read(vf_h, 1, 12, buf, sizeof(buf)) != 40 ||
			memcmp(buf, data, 40) != 0) {
		printf("read after the write completed: wrong\n");
		goto out;
	}
	ret = TEST_SUCCESS;
	goto out;
out_unlock:
	rte_seqlock_write_unlock(&b->lock);
out:
	vfbc_channel_free(vf_h);
	return ret;
}

/* What the VF writes in its own slots never reaches the PF's store. */
static int
test_channel_block_vf_scribbles_should_not_reach_the_pf(void)
{
	uint8_t data[16], buf[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel_shm_vf *v = __vfbc_channel_vf(ch, 1);
	unsigned int i;

	block_fill(data, sizeof(data), 5);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 5, data, sizeof(data)), "write");
	/* The VF rewrites block 5, fakes block 6, and binds every extra slot. */
	memset(v->blocks[5].data, 0xde, sizeof(v->blocks[5].data));
	v->blocks[5].len = 128;
	v->blocks[6].state = VFBC_CHANNEL_BLOCK_VALID;
	v->blocks[6].len = 4;
	v->blocks[6].lock.count.sn = 1;
	for (i = VFBC_CHANNEL_NB_BLOCKS; i < RTE_DIM(v->blocks); i++) {
		v->blocks[i].block_id = 2000 + i;
		v->blocks[i].bound = 1;
	}
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 5, buf, sizeof(buf)), 16, "block 5");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, sizeof(data), "block 5 is the VF's now");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 6, buf, sizeof(buf)), -ENOENT,
			"the VF's fake block 6");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 2000 + VFBC_CHANNEL_NB_BLOCKS, buf,
			sizeof(buf)), -ENOENT, "an id the VF bound");
	/* The PF still has all its extra slots. */
	for (i = 0; i < VFBC_CHANNEL_NB_EXTRA_BLOCKS; i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 100 + i, data, 4),
				"extra block %u", 100 + i);
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 103, buf, sizeof(buf)), 4, "block 103");
	return TEST_SUCCESS;
}

/*
 * The VF holds the lock word of its area: the seqlock's spinlock of block
 * 5. The PF must write and bind without touching it (a wait here hangs the
 * test, which the runner's timeout fails).
 */
static int
test_channel_block_write_should_not_wait_on_lock_words_the_vf_holds(void)
{
	uint8_t data[16], buf[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel_shm_vf *v;

	v = __vfbc_channel_vf(ch, 1);
	rte_spinlock_lock(&v->blocks[5].lock.lock);
	block_fill(data, sizeof(data), 9);
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 5, data, sizeof(data)),
			"write of a block whose spinlock the VF holds");
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch, 1, 1000, data, sizeof(data)),
			"write binding a new extra slot");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 5, buf, sizeof(buf)), 16, "read 5");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, sizeof(data), "block 5");
	TEST_ASSERT_EQUAL(vfbc_channel_block_read(ch, 1, 1000, buf, sizeof(buf)), 16,
			"read 1000");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, sizeof(data), "block 1000");
	rte_spinlock_unlock(&v->blocks[5].lock.lock);
	return TEST_SUCCESS;
}

static struct unit_test_suite channel_block_suite = {
	.suite_name = "channel blocks (lib/vfbc)",
	.setup = block_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_should_read_back_what_was_written),
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_read_into_small_buffer_should_copy_nothing),
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_ids_from_64_should_use_extra_slots_until_full),
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_bad_arguments_should_change_nothing),
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_read_during_write_should_fail_with_eagain),
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_write_should_not_wait_on_lock_words_the_vf_holds),
		TEST_CASE_ST(block_case_setup, block_case_teardown,
			test_channel_block_vf_scribbles_should_not_reach_the_pf),
		TEST_CASES_END(),
	},
};

static int
test_channel_block(void)
{
	return unit_test_suite_runner(&channel_block_suite);
}

REGISTER_TEST_COMMAND(channel_block_autotest, test_channel_block);
