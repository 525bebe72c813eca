/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * PF mailbox actions: publish a VF's config blocks, read them back, and
 * invalidate them (NdisMInvalidateConfigBlock). Checks name what is wrong
 * before the net_vfbc_pf call; its errors are explained in the command's
 * terms.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_errno.h>

#include <vfbc_pmd_pf.h>

#include "vfbc_testpmd.h"

/* Block sizes and ids of the channel, as NDIS and Hyper-V define them. */
#define VFBC_TP_BLOCK_SIZE	VFBC_CHANNEL_BLOCK_SIZE
#define VFBC_TP_NB_BLOCKS	VFBC_CHANNEL_NB_BLOCKS

static int
vfbc_tp_block_fail(const char *what, uint32_t port_id, uint32_t vf_id, uint32_t block_id,
		int ret)
{
	switch (-ret) {
	case ENOENT:
		vfbc_tp_error("%s: block %u of VF %u was never written", what, block_id, vf_id);
		return ret;
	case ENOSPC:
		vfbc_tp_error("%s: no slot left for block %u of VF %u (ids from %u share %u"
				" extra slots)", what, block_id, vf_id, VFBC_TP_NB_BLOCKS,
				VFBC_CHANNEL_NB_EXTRA_BLOCKS);
		return ret;
	case ENXIO:
		if (vfbc_pf_vf_count(port_id) > 0) {
			vfbc_tp_error("%s: port %u has no mailbox (no SR-IOV channel)", what,
					port_id);
			return ret;
		}
		break;
	default:
		break;
	}
	return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
}

int
vfbc_tp_pf_block_set(uint32_t port_id, uint32_t vf_id, uint32_t block_id,
		const uint8_t *bytes, uint32_t length)
{
	static const char what[] = "set vf config-block";
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	if (length > VFBC_TP_BLOCK_SIZE) {
		vfbc_tp_error("%u bytes: a config block holds at most %u", length,
				VFBC_TP_BLOCK_SIZE);
		return -EINVAL;
	}
	ret = vfbc_pf_write_config_block(port_id, vf_id, block_id, bytes, length);
	if (ret < 0)
		return vfbc_tp_block_fail(what, port_id, vf_id, block_id, ret);
	printf("VF %u: block %u stored (%u byte%s)%s\n", vf_id, block_id, length,
	       vfbc_tp_plural(length),
	       block_id < VFBC_TP_NB_BLOCKS ? "" : ", it cannot be invalidated (id >= 64)");
	return 0;
}

int
vfbc_tp_pf_block_display(uint32_t port_id, uint32_t vf_id, uint32_t block_id)
{
	static const char what[] = "show vf config-block";
	uint8_t buf[VFBC_TP_BLOCK_SIZE];
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_read_config_block(port_id, vf_id, block_id, buf, sizeof(buf));
	if (ret < 0)
		return vfbc_tp_block_fail(what, port_id, vf_id, block_id, ret);
	printf("VF %u: block %u, %d byte%s\n", vf_id, block_id, ret, vfbc_tp_plural(ret));
	vfbc_tp_hex_dump(0, buf, ret);
	return 0;
}

static int
vfbc_tp_mask_check(const char *what, uint64_t mask)
{
	if (mask == 0) {
		vfbc_tp_error("%s: mask 0 invalidates nothing (bit i is block i)", what);
		return -EINVAL;
	}
	return 0;
}

int
vfbc_tp_pf_invalidate(uint32_t port_id, uint32_t vf_id, uint64_t mask)
{
	static const char what[] = "invalidate vf config-block";
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_tp_mask_check(what, mask);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_invalidate_config_blocks(port_id, (uint16_t)vf_id, mask);
	if (ret < 0)
		return vfbc_tp_block_fail(what, port_id, vf_id, 0, ret);
	printf("VF %u: config blocks invalidated, mask 0x%016" PRIx64 "\n", vf_id, mask);
	return 0;
}

int
vfbc_tp_pf_invalidate_all(uint32_t port_id, uint64_t mask)
{
	static const char what[] = "invalidate vf config-block";
	int ret;

	ret = vfbc_tp_pf_check(what, port_id);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		vfbc_tp_error("%s: port %u has no VFs enabled (set vf num %u <n>)", what, port_id,
				port_id);
		return -ENXIO;
	}
	ret = vfbc_tp_mask_check(what, mask);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_invalidate_config_blocks(port_id, VFBC_PF_VF_ALL, mask);
	if (ret < 0)
		return vfbc_tp_block_fail(what, port_id, VFBC_TP_NO_VF, 0, ret);
	printf("All VFs of port %u: config blocks invalidated, mask 0x%016" PRIx64 "\n",
	       port_id, mask);
	return 0;
}

/*
 * Every pair is checked first, as the driver does: a list with one bad
 * pair invalidates nothing, and says which pair.
 */
int
vfbc_tp_pf_invalidate_bulk(uint32_t port_id, const struct vfbc_tp_pairs *pairs)
{
	static const char what[] = "invalidate vf config-block bulk";
	static uint16_t ids[VFBC_TP_PAIRS_MAX];
	uint32_t i;
	int ret;

	for (i = 0; i < pairs->count; i++) {
		ret = vfbc_tp_vf_check(what, port_id, pairs->vf[i]);
		if (ret == 0)
			ret = vfbc_tp_mask_check(what, pairs->mask[i]);
		if (ret < 0)
			return ret;
		ids[i] = (uint16_t)pairs->vf[i];
	}
	ret = vfbc_pf_invalidate_config_blocks_bulk(port_id, ids, pairs->mask,
			(uint16_t)pairs->count);
	if (ret < 0)
		return vfbc_tp_block_fail(what, port_id, VFBC_TP_NO_VF, 0, ret);
	for (i = 0; i < pairs->count; i++)
		printf("VF %u: config blocks invalidated, mask 0x%016" PRIx64 "\n", pairs->vf[i],
		       pairs->mask[i]);
	printf("Port %u: %u pair%s invalidated in one call\n", port_id, pairs->count,
	       vfbc_tp_plural(pairs->count));
	return 0;
}
