/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The config-space policy end to end: config requests posted through the
 * channel from this process (as a VF would), serviced by
 * vfbc_pf_mbox_poll(), checked against every config file of the world
 * (exactly the expected bytes of exactly the requesting VF change) and
 * against the answers.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define POLW_VF 2	/* the requesting VF */

static uint16_t polw_port;
static struct test_pf_topo polw_topo;
static struct vfbc_channel *polw_ch;
static unsigned int polw_pm, polw_exp;	/* the VFs' capabilities */

static int
polw_setup(void)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	int ret;

	ret = test_pf_world_start(&polw_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&polw_topo), "topology");
	TEST_ASSERT(polw_topo.num_vfs > POLW_VF, "world has %u VFs", polw_topo.num_vfs);
	polw_ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(polw_ch, "no channel");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, 0, cfg, sizeof(cfg)), "VF config");
	polw_pm = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_PM);
	polw_exp = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_EXP);
	TEST_ASSERT(polw_pm != 0 && polw_exp != 0, "world VFs lack PM or PCIe capabilities");
	return TEST_SUCCESS;
}

static void
polw_teardown(void)
{
	vfbc_channel_free(polw_ch);
	polw_ch = NULL;
}

/*
 * Write len bytes at off as VF POLW_VF, expect the answer status, and
 * expect the world's files to be the snapshot taken before, with
 * expect_len bytes of expect at off in the VF's file (0: nothing changes).
 */
static int
polw_write(uint32_t off, const uint8_t *data, uint32_t len, int32_t status,
	   const uint8_t *expect, uint32_t expect_len)
{
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	struct vfbc_channel_resp resp;
	int rc = TEST_FAILED;

	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&polw_topo, POLW_VF, &addr), "address");
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot");
	f = test_pf_snap_find(&snap, &addr);
	if (f == NULL) {
		printf("VF %u has no config file\n", POLW_VF);
		goto out;
	}
	if (test_mbox_call(polw_port, polw_ch, POLW_VF, VFBC_CHANNEL_REQ_CFG_WRITE, off, data, len,
			   &resp, 1) < 0)
		goto out;
	if (resp.status != status) {
		printf("write of %u bytes at 0x%x answered %d, expected %d\n", len, off,
		       resp.status, status);
		goto out;
	}
	if (expect_len != 0)
		memcpy(f->data + off, expect, expect_len);
	if (test_pf_snap_check(&snap) != 0) {
		printf("after the write of %u bytes at 0x%x\n", len, off);
		goto out;
	}
	rc = TEST_SUCCESS;
out:
	test_pf_snap_free(&snap);
	return rc;
}

static int
test_polw_read_presents_virtualized_ids(void)
{
	uint8_t file[64];
	struct vfbc_channel_resp resp;
	uint16_t ven, dev;

	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, 0, file, sizeof(file)), "file");
	TEST_ASSERT(file[0] == 0xff && file[1] == 0xff, "the VF's own vendor ID is not 0xffff");
	TEST_ASSERT_SUCCESS(test_mbox_call(polw_port, polw_ch, POLW_VF, VFBC_CHANNEL_REQ_CFG_READ,
					   0, NULL, sizeof(file), &resp, 1), "read");
	TEST_ASSERT_EQUAL(resp.status, 0, "answered %d", resp.status);
	TEST_ASSERT_EQUAL(resp.len, sizeof(file), "%u bytes", resp.len);
	ven = (uint16_t)(resp.data[0] | resp.data[1] << 8);
	dev = (uint16_t)(resp.data[2] | resp.data[3] << 8);
	TEST_ASSERT_EQUAL(ven, polw_topo.pf_vendor, "vendor 0x%04x", ven);
	TEST_ASSERT_EQUAL(dev, polw_topo.vf_device, "device 0x%04x", dev);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(resp.data + 4, file + 4, sizeof(file) - 4,
				      "bytes after the IDs differ from the file");
	return TEST_SUCCESS;
}

static int
test_polw_read_of_last_bytes(void)
{
	struct vfbc_channel_resp resp;
	uint8_t file[8];

	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, RTE_PCI_CFG_SPACE_EXP_SIZE - 8, file, 8),
			    "file");
	TEST_ASSERT_SUCCESS(test_mbox_call(polw_port, polw_ch, POLW_VF, VFBC_CHANNEL_REQ_CFG_READ,
					   RTE_PCI_CFG_SPACE_EXP_SIZE - 8, NULL, 8, &resp, 1),
			    "read");
	TEST_ASSERT_EQUAL(resp.status, 0, "answered %d", resp.status);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(resp.data, file, 8, "last bytes");
	return TEST_SUCCESS;
}

static int
test_polw_command_bus_master_only(void)
{
	uint8_t cur[2], v[2];

	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, RTE_PCI_COMMAND, cur, 2), "file");
	v[0] = cur[0] ^ RTE_PCI_COMMAND_MASTER;
	v[1] = cur[1];
	if (polw_write(RTE_PCI_COMMAND, v, 2, 0, v, 2) != TEST_SUCCESS)
		return TEST_FAILED;
	/* Memory Space Enable is the PF's (SR-IOV VF MSE). */
	v[0] ^= VFBC_PCI_COMMAND_MEMORY;
	return polw_write(RTE_PCI_COMMAND, v, 2, -EPERM, NULL, 0);
}

static int
test_polw_denied_fields_untouched(void)
{
	uint8_t bar[4] = { 0x00, 0x00, 0x00, 0xd0 }, ptr = 0x80, cls[4] = { 1, 2, 3, 4 };
	uint8_t ids[4] = { 0x36, 0x1b, 0xb1, 0x10 }, straddle[4];

	if (polw_write(VFBC_PCI_BASE_ADDRESS_0, bar, 4, -EPERM, NULL, 0) != TEST_SUCCESS ||
	    polw_write(VFBC_PCI_ROM_ADDRESS, bar, 4, -EPERM, NULL, 0) != TEST_SUCCESS ||
	    polw_write(VFBC_PCI_CAPABILITY_LIST, &ptr, 1, -EPERM, NULL, 0) != TEST_SUCCESS ||
	    polw_write(polw_exp + 1, &ptr, 1, -EPERM, NULL, 0) != TEST_SUCCESS ||
	    polw_write(VFBC_PCI_CLASS_REVISION, cls, 4, -EPERM, NULL, 0) != TEST_SUCCESS ||
	    polw_write(RTE_PCI_VENDOR_ID, ids, 4, -EPERM, NULL, 0) != TEST_SUCCESS)
		return TEST_FAILED;
	/* Command + Status in one dword: straddles, refused whole. */
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, RTE_PCI_COMMAND, straddle, 4), "file");
	straddle[0] ^= RTE_PCI_COMMAND_MASTER;
	return polw_write(RTE_PCI_COMMAND, straddle, 4, -EPERM, NULL, 0);
}

static int
test_polw_devctl_owned_bits_and_payload(void)
{
	uint8_t cur[2], v[2];

	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_exp + VFBC_PCI_EXP_DEVCTL, cur, 2),
			    "file");
	/* Correctable error reporting enable: the VF's. */
	v[0] = cur[0] ^ 0x01;
	v[1] = cur[1];
	if (polw_write(polw_exp + VFBC_PCI_EXP_DEVCTL, v, 2, 0, v, 2) != TEST_SUCCESS)
		return TEST_FAILED;
	/* Max Payload Size: the link's, refused. */
	v[0] ^= 0x20;
	return polw_write(polw_exp + VFBC_PCI_EXP_DEVCTL, v, 2, -EPERM, NULL, 0);
}

static int
test_polw_flr_goes_to_the_reset_path(void)
{
	uint64_t resets;
	uint8_t cls = 0x10, after, v[2];
	struct vfbc_channel_resp resp;

	resets = test_pf_xstat(polw_port, "mbox_vf_resets");
	/* A mark the reset must wipe: the world resets to power-on contents. */
	if (polw_write(VFBC_PCI_CACHE_LINE_SIZE, &cls, 1, 0, &cls, 1) != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_exp + VFBC_PCI_EXP_DEVCTL, v, 2),
			    "file");
	v[1] |= VFBC_PCI_EXP_DEVCTL_BCR_FLR >> 8;
	TEST_ASSERT_SUCCESS(test_mbox_call(polw_port, polw_ch, POLW_VF, VFBC_CHANNEL_REQ_CFG_WRITE,
					   polw_exp + VFBC_PCI_EXP_DEVCTL, v, 2, &resp, 1), "FLR");
	TEST_ASSERT_EQUAL(resp.status, 0, "FLR answered %d", resp.status);
	TEST_ASSERT_EQUAL(test_pf_xstat(polw_port, "mbox_vf_resets"), resets + 1,
			  "mbox_vf_resets");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, VFBC_PCI_CACHE_LINE_SIZE, &after, 1),
			    "file");
	TEST_ASSERT_EQUAL(after, 0, "cache line size 0x%02x survived the FLR", after);
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_exp + VFBC_PCI_EXP_DEVCTL, v, 2),
			    "file");
	TEST_ASSERT(!(v[1] & (VFBC_PCI_EXP_DEVCTL_BCR_FLR >> 8)), "Initiate FLR reads 1");
	return TEST_SUCCESS;
}

static int
test_polw_pmcsr_goes_to_the_power_path(void)
{
	uint64_t power;
	uint8_t cur[2], v[2], after[2];
	struct vfbc_channel_resp resp;

	power = test_pf_xstat(polw_port, "mbox_vf_power_changes");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_pm + VFBC_PCI_PM_CTRL, cur, 2), "file");
	v[0] = (uint8_t)((cur[0] & ~VFBC_PCI_PM_CTRL_STATE_MASK) | 3);
	v[1] = cur[1];
	TEST_ASSERT_SUCCESS(test_mbox_call(polw_port, polw_ch, POLW_VF, VFBC_CHANNEL_REQ_CFG_WRITE,
					   polw_pm + VFBC_PCI_PM_CTRL, v, 2, &resp, 1), "D3hot");
	TEST_ASSERT_EQUAL(resp.status, 0, "D3hot answered %d", resp.status);
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_pm + VFBC_PCI_PM_CTRL, after, 2),
			    "file");
	TEST_ASSERT_EQUAL(after[0] & VFBC_PCI_PM_CTRL_STATE_MASK, 3, "state D%u",
			  after[0] & VFBC_PCI_PM_CTRL_STATE_MASK);
	TEST_ASSERT_EQUAL(test_pf_xstat(polw_port, "mbox_vf_power_changes"), power + 1,
			  "mbox_vf_power_changes");
	TEST_ASSERT_SUCCESS(test_mbox_call(polw_port, polw_ch, POLW_VF, VFBC_CHANNEL_REQ_CFG_WRITE,
					   polw_pm + VFBC_PCI_PM_CTRL, cur, 2, &resp, 1), "D0");
	TEST_ASSERT_EQUAL(resp.status, 0, "D0 answered %d", resp.status);
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_pm + VFBC_PCI_PM_CTRL, after, 2),
			    "file");
	TEST_ASSERT_EQUAL(after[0] & VFBC_PCI_PM_CTRL_STATE_MASK, 0, "back in D%u",
			  after[0] & VFBC_PCI_PM_CTRL_STATE_MASK);
	/* PMC is read-only. */
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(POLW_VF, polw_pm + VFBC_PCI_PM_PMC, v, 2), "file");
	v[1] ^= 0x02;
	return polw_write(polw_pm + VFBC_PCI_PM_PMC, v, 2, -EPERM, NULL, 0);
}

static struct unit_test_suite test_pf_mbox_policy_suite = {
	.suite_name = "net_vfbc_pf config-space policy through the mailbox",
	.setup = polw_setup,
	.teardown = polw_teardown,
	.unit_test_cases = {
		TEST_CASE(test_polw_read_presents_virtualized_ids),
		TEST_CASE(test_polw_read_of_last_bytes),
		TEST_CASE(test_polw_command_bus_master_only),
		TEST_CASE(test_polw_denied_fields_untouched),
		TEST_CASE(test_polw_devctl_owned_bits_and_payload),
		TEST_CASE(test_polw_flr_goes_to_the_reset_path),
		TEST_CASE(test_polw_pmcsr_goes_to_the_power_path),
		TEST_CASES_END()
	}
};

static int
test_pf_mbox_policy(void)
{
	return unit_test_suite_runner(&test_pf_mbox_policy_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_mbox_policy_autotest, test_pf_mbox_policy, "");
