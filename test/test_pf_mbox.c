/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf mailbox API in a world with 4 of 8 VFs enabled: the channel
 * the driver creates (name, size, VF address table and its refresh), the
 * invalidate API (every errno, one VF, all VFs, a list of VFs in one
 * call), config blocks, consumer and counters, and the RTE_ETH_EVENT_VF_MBOX
 * callback and its verdict. The test process plays the VF side with the
 * channel library.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define MBOX_TOTAL_VFS 8
#define MBOX_NUM_VFS 4

static uint16_t mbox_port;
static struct test_pf_topo mbox_topo;
static struct vfbc_channel *mbox_vf;	/* the VF side's handle */

/*
 * What the event callback saw, and what it answers: the REQUEST phase in
 * mbox_ev (counted in mbox_ev_count), the DONE phase in mbox_done.
 */
static struct vfbc_pf_mbox_event mbox_ev;
static struct vfbc_pf_mbox_event mbox_done;
static uint8_t mbox_ev_data[VFBC_CHANNEL_BLOCK_SIZE];
static uint8_t mbox_done_data[VFBC_CHANNEL_BLOCK_SIZE];
static unsigned int mbox_ev_count;
static unsigned int mbox_done_count;
static int32_t mbox_ev_override = -1;	/* -1: leave the verdict alone */

static int
mbox_event_cb(uint16_t port_id, enum rte_eth_event_type type, void *cb_arg __rte_unused,
	      void *ret_param)
{
	struct vfbc_pf_mbox_event *ev = ret_param;

	if (port_id != mbox_port || type != RTE_ETH_EVENT_VF_MBOX || ev == NULL)
		return 0;
	if (ev->phase == VFBC_PF_MBOX_PHASE_DONE) {
		mbox_done = *ev;
		if (ev->data != NULL)
			memcpy(mbox_done_data, ev->data,
			       RTE_MIN(ev->length, sizeof(mbox_done_data)));
		mbox_done_count++;
		return 0;
	}
	mbox_ev = *ev;
	if (ev->data != NULL)
		memcpy(mbox_ev_data, ev->data, RTE_MIN(ev->length, sizeof(mbox_ev_data)));
	mbox_ev_count++;
	if (mbox_ev_override >= 0)
		ev->verdict = mbox_ev_override;
	return 0;
}

static int
mbox_setup(void)
{
	int ret;

	ret = test_pf_world_start(&mbox_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&mbox_topo), "cannot read the PF's config file");
	TEST_ASSERT(mbox_topo.total_vfs == MBOX_TOTAL_VFS && mbox_topo.num_vfs == MBOX_NUM_VFS,
		    "world has %u of %u VFs", mbox_topo.num_vfs, mbox_topo.total_vfs);
	mbox_vf = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(mbox_vf, "no channel");
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(mbox_port, RTE_ETH_EVENT_VF_MBOX,
							  mbox_event_cb, NULL), "callback");
	return TEST_SUCCESS;
}

static void
mbox_teardown(void)
{
	rte_eth_dev_callback_unregister(mbox_port, RTE_ETH_EVENT_VF_MBOX, mbox_event_cb, NULL);
	vfbc_channel_free(mbox_vf);
	mbox_vf = NULL;
}

/* Every slot: nothing pending except want[vf]. */
static int
mbox_expect_pending(const uint64_t want[MBOX_TOTAL_VFS])
{
	uint64_t mask;
	uint16_t vf;
	int ret;

	for (vf = 0; vf < MBOX_TOTAL_VFS; vf++) {
		mask = 0;
		if (vf >= MBOX_NUM_VFS) {
			/* Nobody may claim a slot without a VF: look at its pending word. */
			mask = __atomic_load_n(&__vfbc_channel_vf(mbox_vf, vf)->notify.pending,
					       __ATOMIC_ACQUIRE);
			TEST_ASSERT_EQUAL(mask, want[vf], "VF %u: pending 0x%" PRIx64, vf, mask);
			continue;
		}
		ret = vfbc_channel_poll_invalidations(mbox_vf, vf, &mask);
		TEST_ASSERT(ret == (want[vf] != 0), "VF %u: poll %d, expected %d", vf, ret,
			    want[vf] != 0);
		TEST_ASSERT_EQUAL(mask, want[vf], "VF %u: mask 0x%" PRIx64 ", expected 0x%" PRIx64,
				  vf, mask, want[vf]);
	}
	return TEST_SUCCESS;
}

static int
test_mbox_channel_named_after_pf_and_sized_for_total_vfs(void)
{
	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(mbox_vf), MBOX_TOTAL_VFS, "channel has %u VFs",
			  vfbc_channel_nb_vfs(mbox_vf));
	return TEST_SUCCESS;
}

static int
test_mbox_addresses_published_for_enabled_vfs(void)
{
	struct rte_pci_addr want, got;
	uint16_t vf;

	for (vf = 0; vf < MBOX_TOTAL_VFS; vf++) {
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&mbox_topo, vf, &want), "VF %u address", vf);
		if (vf >= MBOX_NUM_VFS) {
			TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(mbox_vf, vf, &got), -ENOENT,
					  "disabled VF %u has an address", vf);
			TEST_ASSERT_EQUAL(vfbc_channel_vf_find(mbox_vf, &want), -ENOENT,
					  "disabled VF %u found", vf);
			continue;
		}
		TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_get(mbox_vf, vf, &got), "VF %u", vf);
		TEST_ASSERT_EQUAL(rte_pci_addr_cmp(&want, &got), 0, "VF %u: " PCI_PRI_FMT
				  " published, expected " PCI_PRI_FMT, vf, got.domain, got.bus,
				  got.devid, got.function, want.domain, want.bus, want.devid,
				  want.function);
		TEST_ASSERT_EQUAL(vfbc_channel_vf_find(mbox_vf, &want), vf, "find VF %u", vf);
	}
	return TEST_SUCCESS;
}

static int
test_mbox_invalidate_bad_arguments(void)
{
	static const uint64_t none[MBOX_TOTAL_VFS];
	int ret;

	ret = vfbc_pf_invalidate_config_blocks(RTE_MAX_ETHPORTS, 0, 1);
	TEST_ASSERT_EQUAL(ret, -ENODEV, "port RTE_MAX_ETHPORTS: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(RTE_MAX_ETHPORTS - 1, 0, 1);
	TEST_ASSERT_EQUAL(ret, -ENODEV, "unused port: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(mbox_port, 0, 0);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "mask 0: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(mbox_port, VFBC_PF_VF_ALL, 0);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "all VFs, mask 0: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(mbox_port, MBOX_NUM_VFS, 1);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "VF NumVFs (a disabled slot): %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(mbox_port, MBOX_TOTAL_VFS, 1);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "VF TotalVFs: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(mbox_port, VFBC_PF_VF_ALL - 1, 1);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "VF 0xfffe: %d", ret);
	/* Refused calls changed nothing. */
	return mbox_expect_pending(none);
}

static int
test_mbox_invalidate_reaches_only_that_vf_and_coalesces(void)
{
	uint64_t want[MBOX_TOTAL_VFS] = { 0 };
	struct vfbc_channel_stats before, after;

	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, 2, &before), "stats");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(mbox_port, 1, 0x5), "VF 1");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(mbox_port, 2, 0x1), "VF 2");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(mbox_port, 2, UINT64_C(1) << 63),
			    "VF 2 bit 63");
	want[1] = 0x5;
	want[2] = 0x1 | UINT64_C(1) << 63;
	if (mbox_expect_pending(want) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, 2, &after), "stats");
	TEST_ASSERT_EQUAL(after.invalidations - before.invalidations, 2, "invalidations");
	TEST_ASSERT_EQUAL(after.deliveries - before.deliveries, 1, "deliveries (coalesced)");
	return TEST_SUCCESS;
}

static int
test_mbox_invalidate_all_vfs(void)
{
	uint64_t want[MBOX_TOTAL_VFS] = { 0 };
	uint16_t vf;

	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(mbox_port, VFBC_PF_VF_ALL, 0x80),
			    "all VFs");
	/* Every enabled VF, no disabled slot. */
	for (vf = 0; vf < MBOX_NUM_VFS; vf++)
		want[vf] = 0x80;
	return mbox_expect_pending(want);
}

static int
test_mbox_invalidate_bulk_gives_each_vf_its_mask(void)
{
	static const uint16_t ids[] = { 3, 0, 2, 0 };
	static const uint64_t masks[] = { 0x8, 0x1, UINT64_C(1) << 63, 0x100 };
	uint64_t want[MBOX_TOTAL_VFS] = { 0 };
	struct vfbc_channel_stats before[MBOX_NUM_VFS], after;
	uint16_t vf;

	for (vf = 0; vf < MBOX_NUM_VFS; vf++)
		TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, vf, &before[vf]), "stats");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, masks,
								  RTE_DIM(ids)), "bulk");
	/* VF 0 listed twice: the OR of its masks; VF 1 not listed: nothing. */
	want[0] = 0x101;
	want[2] = UINT64_C(1) << 63;
	want[3] = 0x8;
	if (mbox_expect_pending(want) != TEST_SUCCESS)
		return TEST_FAILED;
	for (vf = 0; vf < MBOX_NUM_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, vf, &after), "stats");
		TEST_ASSERT_EQUAL(after.invalidations - before[vf].invalidations,
				  vf == 0 ? 2 : vf == 1 ? 0 : 1, "VF %u: invalidations", vf);
	}
	/* n == 0: nothing, lists or not. */
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks_bulk(mbox_port, NULL, NULL, 0),
			    "n 0");
	memset(want, 0, sizeof(want));
	return mbox_expect_pending(want);
}

static int
test_mbox_invalidate_bulk_bad_arguments_change_nothing(void)
{
	static const uint64_t none[MBOX_TOTAL_VFS];
	static const uint64_t masks[] = { 1, 2, 4, 8 };
	struct vfbc_channel_stats before[MBOX_TOTAL_VFS], after;
	uint16_t ids[] = { 0, 1, 2, 3 };
	uint16_t vf;
	int ret;

	for (vf = 0; vf < MBOX_TOTAL_VFS; vf++)
		TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, vf, &before[vf]), "stats");
	ret = vfbc_pf_invalidate_config_blocks_bulk(RTE_MAX_ETHPORTS, ids, masks, 4);
	TEST_ASSERT_EQUAL(ret, -ENODEV, "port RTE_MAX_ETHPORTS: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks_bulk(RTE_MAX_ETHPORTS - 1, ids, masks, 4);
	TEST_ASSERT_EQUAL(ret, -ENODEV, "unused port: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, NULL, masks, 4);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "NULL ids: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, NULL, 4);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "NULL masks: %d", ret);
	/* The bad entry last: the good ones before it must stay untouched. */
	ids[3] = MBOX_NUM_VFS;
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, masks, 4);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "a disabled VF in the list: %d", ret);
	ids[3] = MBOX_TOTAL_VFS;
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, masks, 4);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "VF TotalVFs: %d", ret);
	ids[3] = VFBC_PF_VF_ALL;
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, masks, 4);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "VFBC_PF_VF_ALL is no VF id here: %d", ret);
	ids[3] = 3;
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, none, 4);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "masks 0: %d", ret);
	if (mbox_expect_pending(none) != TEST_SUCCESS)
		return TEST_FAILED;
	for (vf = 0; vf < MBOX_TOTAL_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, vf, &after), "stats");
		TEST_ASSERT_EQUAL(after.invalidations, before[vf].invalidations,
				  "VF %u: a refused call was counted", vf);
	}
	return TEST_SUCCESS;
}

/* Virtualization off: -ENXIO, before n is looked at; then the VFs come back. */
static int
test_mbox_invalidate_bulk_without_vfs_enxio(void)
{
	static const uint16_t ids[] = { 0 };
	static const uint64_t masks[] = { 1 };
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(mbox_port, 0), "disable");
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, ids, masks, 1);
	TEST_ASSERT_EQUAL(ret, -ENXIO, "virtualization off: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks_bulk(mbox_port, NULL, NULL, 0);
	TEST_ASSERT_EQUAL(ret, -ENXIO, "virtualization off, n 0: %d", ret);
	ret = vfbc_pf_invalidate_config_blocks(mbox_port, VFBC_PF_VF_ALL, 1);
	TEST_ASSERT_EQUAL(ret, -ENXIO, "virtualization off, all VFs: %d", ret);
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(mbox_port, MBOX_NUM_VFS), "enable");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&mbox_topo), "topology");
	return TEST_SUCCESS;
}

static int
test_mbox_block_round_trip_and_limits(void)
{
	static const uint64_t none[MBOX_TOTAL_VFS];
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE + 1], back[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t id;
	int ret;

	test_pf_fill(data, sizeof(data), 42);
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(mbox_port, 3, 7, data,
						       VFBC_CHANNEL_BLOCK_SIZE), "write 128");
	ret = vfbc_pf_read_config_block(mbox_port, 3, 7, back, sizeof(back));
	TEST_ASSERT_EQUAL(ret, VFBC_CHANNEL_BLOCK_SIZE, "PF read: %d", ret);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(back, data, VFBC_CHANNEL_BLOCK_SIZE, "PF read back");
	memset(back, 0, sizeof(back));
	ret = vfbc_channel_block_read(mbox_vf, 3, 7, back, sizeof(back));
	TEST_ASSERT_EQUAL(ret, VFBC_CHANNEL_BLOCK_SIZE, "VF read: %d", ret);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(back, data, VFBC_CHANNEL_BLOCK_SIZE, "VF read back");
	/* Refused: too long, NULL data, disabled VF; the block keeps its data. */
	TEST_ASSERT_EQUAL(vfbc_pf_write_config_block(mbox_port, 3, 7, data + 1,
						     VFBC_CHANNEL_BLOCK_SIZE + 1), -EINVAL, "129");
	TEST_ASSERT_EQUAL(vfbc_pf_write_config_block(mbox_port, 3, 7, NULL, 4), -EINVAL, "NULL");
	TEST_ASSERT_EQUAL(vfbc_pf_write_config_block(mbox_port, MBOX_NUM_VFS, 7, data, 4),
			  -EINVAL, "disabled VF");
	TEST_ASSERT_EQUAL(vfbc_pf_write_config_block(RTE_MAX_ETHPORTS - 1, 0, 7, data, 4),
			  -ENODEV, "bad port");
	ret = vfbc_pf_read_config_block(mbox_port, 3, 7, back, sizeof(back));
	TEST_ASSERT_EQUAL(ret, VFBC_CHANNEL_BLOCK_SIZE, "read after refusals: %d", ret);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(back, data, VFBC_CHANNEL_BLOCK_SIZE, "changed by refusals");
	/* Read errors. */
	TEST_ASSERT_EQUAL(vfbc_pf_read_config_block(mbox_port, 3, 7, back, 16), -ENOBUFS,
			  "short buffer");
	TEST_ASSERT_EQUAL(vfbc_pf_read_config_block(mbox_port, 3, 8, back, sizeof(back)),
			  -ENOENT, "never written");
	TEST_ASSERT_EQUAL(vfbc_pf_read_config_block(mbox_port, 3, 7, NULL, 16), -EINVAL, "NULL");
	/* Ids >= 64: stored and readable, each takes one of the extra slots. */
	for (id = 0; id < VFBC_CHANNEL_NB_EXTRA_BLOCKS; id++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(mbox_port, 3, 1000 + id, data + id,
							       16), "extra block %u", 1000 + id);
		ret = vfbc_channel_block_read(mbox_vf, 3, 1000 + id, back, sizeof(back));
		TEST_ASSERT_EQUAL(ret, 16, "VF read of block %u: %d", 1000 + id, ret);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(back, data + id, 16, "block %u", 1000 + id);
	}
	TEST_ASSERT_EQUAL(vfbc_pf_write_config_block(mbox_port, 3, 2000, data, 16), -ENOSPC,
			  "a ninth extra id");
	/* Writing blocks invalidates nothing by itself (ids >= 64 never can be). */
	return mbox_expect_pending(none);
}

static int
test_mbox_consumer_pid(void)
{
	int32_t pid = -1;

	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(mbox_port, 0, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, (int32_t)getpid(), "consumer %d, expected %d", pid, getpid());
	TEST_ASSERT_SUCCESS(vfbc_channel_release(mbox_vf, 0), "release");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(mbox_port, 0, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, 0, "consumer %d after release", pid);
	TEST_ASSERT_SUCCESS(test_mbox_claim(mbox_vf, 0), "claim again");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_consumer(mbox_port, MBOX_NUM_VFS, &pid), -EINVAL,
			  "disabled VF");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_consumer(mbox_port, 0, NULL), -EINVAL, "NULL");
	return TEST_SUCCESS;
}

static int
test_mbox_stats_bad_arguments(void)
{
	struct vfbc_channel_stats st;
	uint32_t id;

	/* Counters of a disabled slot are readable; beyond the channel they are not. */
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(mbox_port, MBOX_TOTAL_VFS - 1, &st), "last slot");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_stats(mbox_port, MBOX_TOTAL_VFS, &st), -EINVAL,
			  "beyond the channel");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_stats(mbox_port, 0, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_stats(RTE_MAX_ETHPORTS - 1, 0, &st), -ENODEV, "port");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_service_id(mbox_port, NULL), -EINVAL, "service NULL");
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_service_id(mbox_port, &id), "service id");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(mbox_port, 0), -EINVAL, "budget 0");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(RTE_MAX_ETHPORTS, 1), -ENODEV, "poll bad port");
	return TEST_SUCCESS;
}

static int
test_mbox_event_sees_block_write_and_accept_stores_it(void)
{
	uint8_t data[10], back[16];
	struct vfbc_channel_resp resp;
	unsigned int count = mbox_ev_count;
	int ret;

	test_pf_fill(data, sizeof(data), 7);
	mbox_ev_override = -1;
	TEST_ASSERT_SUCCESS(test_mbox_call(mbox_port, mbox_vf, 2, VFBC_CHANNEL_REQ_BLOCK_WRITE, 5,
					   data, sizeof(data), &resp, 1), "request");
	TEST_ASSERT_EQUAL(resp.status, 0, "answered %d", resp.status);
	TEST_ASSERT_EQUAL(mbox_ev_count, count + 1, "callback calls %u", mbox_ev_count - count);
	TEST_ASSERT_EQUAL(mbox_ev.vf_id, 2, "vf_id %u", mbox_ev.vf_id);
	TEST_ASSERT_EQUAL(mbox_ev.type, VFBC_PF_MBOX_BLOCK_WRITE, "type %u", mbox_ev.type);
	TEST_ASSERT_EQUAL(mbox_ev.block_id, 5, "block_id %u", mbox_ev.block_id);
	TEST_ASSERT_EQUAL(mbox_ev.length, sizeof(data), "length %u", mbox_ev.length);
	TEST_ASSERT_EQUAL(mbox_ev.verdict, VFBC_PF_MBOX_VERDICT_ACCEPT, "pre-verdict");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(mbox_ev_data, data, sizeof(data), "event data");
	/* The outcome, as the VF was answered. */
	TEST_ASSERT(mbox_done.vf_id == 2 && mbox_done.type == VFBC_PF_MBOX_BLOCK_WRITE &&
		    mbox_done.status == 0 && mbox_done.verdict == VFBC_PF_MBOX_VERDICT_ACCEPT,
		    "outcome: VF %u type %u status %d verdict %d", mbox_done.vf_id,
		    mbox_done.type, mbox_done.status, mbox_done.verdict);
	TEST_ASSERT(mbox_done.refusal == VFBC_PF_MBOX_REFUSAL_NONE &&
		    mbox_done.request_id == mbox_ev.request_id && mbox_done.request_id != 0,
		    "outcome: refusal %u, request ids %u and %u", mbox_done.refusal,
		    mbox_ev.request_id, mbox_done.request_id);
	ret = vfbc_pf_read_config_block(mbox_port, 2, 5, back, sizeof(back));
	TEST_ASSERT_EQUAL(ret, (int)sizeof(data), "block length %d", ret);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(back, data, sizeof(data), "block contents");
	return TEST_SUCCESS;
}

static int
test_mbox_event_reject_writes_nothing(void)
{
	uint8_t data[4] = { 1, 2, 3, 4 }, before[4], after[4], v = 0x10;
	uint64_t rej;
	struct vfbc_channel_resp resp;

	rej = test_pf_xstat(mbox_port, "mbox_rejected_app");
	mbox_ev_override = VFBC_PF_MBOX_VERDICT_REJECT;
	TEST_ASSERT_SUCCESS(test_mbox_call(mbox_port, mbox_vf, 2, VFBC_CHANNEL_REQ_BLOCK_WRITE, 6,
					   data, sizeof(data), &resp, 1), "block request");
	TEST_ASSERT_EQUAL(resp.status, -EPERM, "block write answered %d", resp.status);
	TEST_ASSERT_EQUAL(vfbc_pf_read_config_block(mbox_port, 2, 6, after, sizeof(after)),
			  -ENOENT, "rejected block was stored");

	/* An allowed config write (cache line size), vetoed by the application. */
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, VFBC_PCI_CACHE_LINE_SIZE, before, 1), "file");
	if (before[0] == v)
		v = 0x20;
	TEST_ASSERT_SUCCESS(test_mbox_call(mbox_port, mbox_vf, 1, VFBC_CHANNEL_REQ_CFG_WRITE,
					   VFBC_PCI_CACHE_LINE_SIZE, &v, 1, &resp, 1), "cfg");
	mbox_ev_override = -1;
	TEST_ASSERT_EQUAL(resp.status, -EPERM, "config write answered %d", resp.status);
	TEST_ASSERT(mbox_done.status == -EPERM &&
		    mbox_done.verdict == VFBC_PF_MBOX_VERDICT_REJECT &&
		    mbox_done.refusal == VFBC_PF_MBOX_REFUSAL_APP,
		    "outcome of a veto: status %d verdict %d refusal %u", mbox_done.status,
		    mbox_done.verdict, mbox_done.refusal);
	TEST_ASSERT_EQUAL(mbox_ev.type, VFBC_PF_MBOX_CFG_WRITE, "type %u", mbox_ev.type);
	TEST_ASSERT_EQUAL(mbox_ev.offset, VFBC_PCI_CACHE_LINE_SIZE, "offset 0x%x", mbox_ev.offset);
	TEST_ASSERT_EQUAL(mbox_ev.verdict, VFBC_PF_MBOX_VERDICT_ACCEPT, "pre-verdict");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, VFBC_PCI_CACHE_LINE_SIZE, after, 1), "file");
	TEST_ASSERT_EQUAL(after[0], before[0], "vetoed write reached the VF: 0x%02x", after[0]);
	TEST_ASSERT_EQUAL(test_pf_xstat(mbox_port, "mbox_rejected_app"), rej + 2,
			  "mbox_rejected_app");
	/* Without a veto the same write lands. */
	TEST_ASSERT_SUCCESS(test_mbox_call(mbox_port, mbox_vf, 1, VFBC_CHANNEL_REQ_CFG_WRITE,
					   VFBC_PCI_CACHE_LINE_SIZE, &v, 1, &resp, 1), "cfg");
	TEST_ASSERT_EQUAL(resp.status, 0, "config write answered %d", resp.status);
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, VFBC_PCI_CACHE_LINE_SIZE, after, 1), "file");
	TEST_ASSERT_EQUAL(after[0], v, "cache line size 0x%02x", after[0]);
	return TEST_SUCCESS;
}

static int
test_mbox_event_cannot_overrule_policy(void)
{
	uint8_t bar[4] = { 0, 0, 0, 0xe0 }, before[4], after[4];
	uint64_t rej;
	struct vfbc_channel_resp resp;

	rej = test_pf_xstat(mbox_port, "mbox_rejected_policy");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, VFBC_PCI_BASE_ADDRESS_0, before, 4), "file");
	mbox_ev_override = VFBC_PF_MBOX_VERDICT_ACCEPT;
	TEST_ASSERT_SUCCESS(test_mbox_call(mbox_port, mbox_vf, 1, VFBC_CHANNEL_REQ_CFG_WRITE,
					   VFBC_PCI_BASE_ADDRESS_0, bar, 4, &resp, 1), "BAR0");
	mbox_ev_override = -1;
	TEST_ASSERT_EQUAL(resp.status, -EPERM, "BAR0 write answered %d", resp.status);
	TEST_ASSERT_EQUAL(mbox_ev.verdict, VFBC_PF_MBOX_VERDICT_REJECT,
			  "the callback did not see the policy's refusal");
	TEST_ASSERT(mbox_done.verdict == VFBC_PF_MBOX_VERDICT_REJECT &&
		    mbox_done.refusal == VFBC_PF_MBOX_REFUSAL_POLICY,
		    "outcome: verdict %d refusal %u", mbox_done.verdict, mbox_done.refusal);
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, VFBC_PCI_BASE_ADDRESS_0, after, 4), "file");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(after, before, 4, "BAR0 changed");
	TEST_ASSERT_EQUAL(test_pf_xstat(mbox_port, "mbox_rejected_policy"), rej + 1,
			  "mbox_rejected_policy");
	return TEST_SUCCESS;
}

static int
test_mbox_event_sees_config_read(void)
{
	struct vfbc_channel_resp resp;

	TEST_ASSERT_SUCCESS(test_mbox_call(mbox_port, mbox_vf, 3, VFBC_CHANNEL_REQ_CFG_READ, 0x40,
					   NULL, 8, &resp, 1), "read");
	TEST_ASSERT_EQUAL(resp.status, 0, "answered %d", resp.status);
	TEST_ASSERT_EQUAL(resp.len, 8, "%u bytes", resp.len);
	TEST_ASSERT_EQUAL(mbox_ev.vf_id, 3, "vf_id");
	TEST_ASSERT_EQUAL(mbox_ev.type, VFBC_PF_MBOX_CFG_READ, "type");
	TEST_ASSERT_EQUAL(mbox_ev.offset, 0x40, "offset");
	TEST_ASSERT_EQUAL(mbox_ev.length, 8, "length");
	TEST_ASSERT_NULL(mbox_ev.data, "data of a read");
	TEST_ASSERT_EQUAL(mbox_ev.verdict, VFBC_PF_MBOX_VERDICT_ACCEPT, "pre-verdict");
	/* The outcome carries what the VF was answered. */
	TEST_ASSERT(mbox_done.status == 0 && mbox_done.length == resp.len &&
		    mbox_done.data != NULL, "outcome: status %d, %u bytes", mbox_done.status,
		    mbox_done.length);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(mbox_done_data, resp.data, resp.len, "bytes read");
	return TEST_SUCCESS;
}

/* A slot with no VF: nobody can claim it, so nobody can ask anything on it. */
static int
test_mbox_request_of_disabled_slot_refused(void)
{
	unsigned int count = mbox_ev_count;
	struct vfbc_channel_req req;
	uint64_t refused;

	refused = test_pf_xstat(mbox_port, "mbox_claims_refused");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(mbox_vf, MBOX_NUM_VFS + 1, -1), -EACCES,
			  "claim of a slot without a VF");
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req.target = 1;
	req.len = 1;
	TEST_ASSERT_EQUAL(vfbc_channel_request_post(mbox_vf, MBOX_NUM_VFS + 1, &req), -EPERM,
			  "post on an unclaimed slot");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(mbox_port, 8), 0, "served something");
	TEST_ASSERT_EQUAL(mbox_ev_count, count, "the application was asked");
	TEST_ASSERT_EQUAL(test_pf_xstat(mbox_port, "mbox_claims_refused"), refused + 1,
			  "mbox_claims_refused");
	return TEST_SUCCESS;
}

/* A record in VF 1's ring naming VF 2: refused, no config space touched. */
static int
test_mbox_record_naming_another_vf_refused(void)
{
	uint8_t c1[RTE_PCI_CFG_SPACE_SIZE], c2[RTE_PCI_CFG_SPACE_SIZE];
	uint8_t a1[RTE_PCI_CFG_SPACE_SIZE], a2[RTE_PCI_CFG_SPACE_SIZE];
	struct vfbc_ring_shm *ring;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	uint64_t waited;
	uint64_t bad;
	int ret = 0;

	bad = test_pf_xstat(mbox_port, "mbox_malformed");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, 0, c1, sizeof(c1)), "VF 1 file");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(2, 0, c2, sizeof(c2)), "VF 2 file");
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_WRITE;
	req.vf_id = 2;
	req.req_id = 0xbad;
	req.target = VFBC_PCI_CACHE_LINE_SIZE;
	req.len = 1;
	req.data[0] = c2[VFBC_PCI_CACHE_LINE_SIZE] ^ 0x40;
	/* What a hostile VF process can do: write its ring and doorbell directly. */
	ring = __vfbc_channel_ring(mbox_vf, 1, mbox_vf->req_ring_off);
	TEST_ASSERT_SUCCESS(__vfbc_ring_enqueue(ring, &mbox_vf->vf[1].req_prod,
						VFBC_CHANNEL_REQ_RING_SIZE, &req, sizeof(req)),
			    "enqueue");
	__atomic_fetch_or(&__vfbc_channel_hdr(mbox_vf)->doorbell[0], UINT64_C(1) << 1,
			  __ATOMIC_RELEASE);
	for (waited = 0; waited < TEST_MBOX_TIMEOUT_US; waited += 100) {
		TEST_ASSERT(vfbc_pf_mbox_poll(mbox_port, 8) >= 0, "poll");
		ret = vfbc_channel_response_poll(mbox_vf, 1, &resp);
		if (ret == 1)
			break;
		rte_delay_us_sleep(100);
	}
	TEST_ASSERT_EQUAL(ret, 1, "no answer");
	TEST_ASSERT_EQUAL(resp.req_id, 0xbad, "answer to %u", resp.req_id);
	TEST_ASSERT_EQUAL(resp.status, -EPERM, "answered %d", resp.status);
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, 0, a1, sizeof(a1)), "VF 1 file");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(2, 0, a2, sizeof(a2)), "VF 2 file");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(a1, c1, sizeof(c1), "VF 1 config changed");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(a2, c2, sizeof(c2), "VF 2 config changed");
	TEST_ASSERT_EQUAL(test_pf_xstat(mbox_port, "mbox_malformed"), bad + 1, "mbox_malformed");
	return TEST_SUCCESS;
}

static int
test_mbox_xstats_count_and_reset(void)
{
	uint64_t v;

	TEST_ASSERT(test_pf_xstat(mbox_port, "mbox_invalidations") != UINT64_MAX,
		    "no mbox_invalidations xstat");
	TEST_ASSERT(test_pf_xstat(mbox_port, "mbox_accepted") > 0, "mbox_accepted is 0");
	TEST_ASSERT_SUCCESS(rte_eth_xstats_reset(mbox_port), "reset");
	TEST_ASSERT_EQUAL(test_pf_xstat(mbox_port, "mbox_invalidations"), 0, "after reset");
	TEST_ASSERT_EQUAL(test_pf_xstat(mbox_port, "mbox_accepted"), 0, "after reset");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(mbox_port, VFBC_PF_VF_ALL, 1), "all");
	v = test_pf_xstat(mbox_port, "mbox_invalidations");
	TEST_ASSERT_EQUAL(v, MBOX_NUM_VFS, "mbox_invalidations %" PRIu64, v);
	v = test_pf_xstat(mbox_port, "mbox_deliveries");
	TEST_ASSERT_EQUAL(v, 0, "mbox_deliveries %" PRIu64 " before any poll", v);
	return TEST_SUCCESS;
}

/* Last: changes the topology. */
static int
test_mbox_address_table_follows_virtualization(void)
{
	struct rte_pci_addr want, got;
	uint8_t v = 1;
	uint16_t vf;

	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(mbox_port, 0), "disable");
	for (vf = 0; vf < MBOX_TOTAL_VFS; vf++)
		TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(mbox_vf, vf, &got), -ENOENT,
				  "VF %u still published", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(mbox_port, 0, 1), -ENXIO,
			  "invalidate, virtualization off");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(mbox_port, VFBC_PF_VF_ALL, 1),
			  -ENXIO, "invalidate all, virtualization off");
	TEST_ASSERT_EQUAL(vfbc_pf_write_config_block(mbox_port, 0, 1, &v, 1), -ENXIO,
			  "block write, virtualization off");

	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(mbox_port, 2), "enable 2");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&mbox_topo), "topology");
	for (vf = 0; vf < MBOX_TOTAL_VFS; vf++) {
		if (vf >= 2) {
			TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(mbox_vf, vf, &got), -ENOENT,
					  "VF %u published", vf);
			continue;
		}
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&mbox_topo, vf, &want), "address");
		TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_get(mbox_vf, vf, &got), "VF %u", vf);
		TEST_ASSERT_EQUAL(rte_pci_addr_cmp(&want, &got), 0, "VF %u address", vf);
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(mbox_port, 1, 1), "VF 1");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(mbox_port, 2, 1), -EINVAL, "VF 2");
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_mbox_suite = {
	.suite_name = "net_vfbc_pf mailbox API",
	.setup = mbox_setup,
	.teardown = mbox_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mbox_channel_named_after_pf_and_sized_for_total_vfs),
		TEST_CASE(test_mbox_addresses_published_for_enabled_vfs),
		TEST_CASE(test_mbox_invalidate_bad_arguments),
		TEST_CASE(test_mbox_invalidate_reaches_only_that_vf_and_coalesces),
		TEST_CASE(test_mbox_invalidate_all_vfs),
		TEST_CASE(test_mbox_invalidate_bulk_gives_each_vf_its_mask),
		TEST_CASE(test_mbox_invalidate_bulk_bad_arguments_change_nothing),
		TEST_CASE(test_mbox_block_round_trip_and_limits),
		TEST_CASE(test_mbox_consumer_pid),
		TEST_CASE(test_mbox_stats_bad_arguments),
		TEST_CASE(test_mbox_event_sees_block_write_and_accept_stores_it),
		TEST_CASE(test_mbox_event_reject_writes_nothing),
		TEST_CASE(test_mbox_event_cannot_overrule_policy),
		TEST_CASE(test_mbox_event_sees_config_read),
		TEST_CASE(test_mbox_request_of_disabled_slot_refused),
		TEST_CASE(test_mbox_record_naming_another_vf_refused),
		TEST_CASE(test_mbox_xstats_count_and_reset),
		TEST_CASE(test_mbox_address_table_follows_virtualization),
		TEST_CASE(test_mbox_invalidate_bulk_without_vfs_enxio),
		TEST_CASES_END()
	}
};

static int
test_pf_mbox(void)
{
	return unit_test_suite_runner(&test_pf_mbox_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_mbox_autotest, test_pf_mbox, "--total-vfs 8 --num-vfs 4");
