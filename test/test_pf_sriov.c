/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf SR-IOV services against the world's topology: capability,
 * VF location, virtualized IDs, probed BARs, function-level reset (only the
 * target VF changes) and power state round trips.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_pci.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

static uint16_t pf_port;
static struct test_pf_topo pf_topo;
/* VF BAR0 size the command's world options ask for. */
static uint64_t pf_expect_vf_bar0;

static int
test_pf_sriov_setup(void)
{
	int ret;

	ret = test_pf_world_start(&pf_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "cannot read the PF's config file");
	TEST_ASSERT(pf_topo.num_vfs >= 2, "the world needs 2 VFs");
	return TEST_SUCCESS;
}

static int
test_pf_sriov_info_matches_capability(void)
{
	struct vfbc_pf_sriov_info info;

	TEST_ASSERT_SUCCESS(vfbc_pf_get_sriov_info(pf_port, &info), "sriov info");
	TEST_ASSERT_EQUAL(info.cap_offset, pf_topo.sriov_pos, "cap offset");
	TEST_ASSERT_EQUAL(info.total_vfs, pf_topo.total_vfs, "TotalVFs");
	TEST_ASSERT_EQUAL(info.num_vfs, pf_topo.num_vfs, "NumVFs");
	TEST_ASSERT_EQUAL(info.vf_offset, pf_topo.vf_offset, "First VF Offset");
	TEST_ASSERT_EQUAL(info.vf_stride, pf_topo.vf_stride, "VF Stride");
	TEST_ASSERT_EQUAL(info.vf_device_id, pf_topo.vf_device, "VF Device ID");
	TEST_ASSERT_EQUAL(info.ctrl, pf_topo.ctrl, "SR-IOV Control");
	TEST_ASSERT_EQUAL(info.pf_vendor_id, pf_topo.pf_vendor, "PF vendor");
	TEST_ASSERT_SUCCESS(rte_pci_addr_cmp(&info.pf_addr, &pf_topo.pf), "PF address");
	TEST_ASSERT(info.system_page_size != 0 &&
		    (info.supported_page_sizes & info.system_page_size) != 0,
		    "page sizes 0x%x / 0x%x", info.supported_page_sizes, info.system_page_size);
	return TEST_SUCCESS;
}

static int
test_pf_vf_location_and_ids_match_topology(void)
{
	struct rte_pci_addr want, got;
	struct test_pf_snap snap;
	uint16_t vf, ven, dev;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	for (vf = 0; vf < pf_topo.num_vfs; vf++) {
		if (test_pf_vf_addr(&pf_topo, vf, &want) != 0 ||
		    vfbc_pf_get_vf_location(pf_port, vf, &got) != 0 ||
		    rte_pci_addr_cmp(&want, &got) != 0 ||
		    test_pf_snap_find(&snap, &got) == NULL) {
			printf("VF %u: location " PCI_PRI_FMT ", expected " PCI_PRI_FMT
			       " (a function of the world)\n", vf, got.domain, got.bus,
			       got.devid, got.function, want.domain, want.bus, want.devid,
			       want.function);
			ret = TEST_FAILED;
			break;
		}
		if (vfbc_pf_get_vf_ids(pf_port, vf, &ven, &dev) != 0 ||
		    ven != pf_topo.pf_vendor || dev != pf_topo.vf_device) {
			printf("VF %u: IDs %04x:%04x, expected %04x:%04x\n", vf, ven, dev,
			       pf_topo.pf_vendor, pf_topo.vf_device);
			ret = TEST_FAILED;
			break;
		}
	}
	test_pf_snap_free(&snap);
	return ret;
}

static int
test_pf_probed_bars_match_vf_bar_sizes(void)
{
	uint32_t bars[VFBC_PF_NUM_BARS], want[VFBC_PF_NUM_BARS];
	struct vfbc_pf_sriov_info info;
	uint16_t vfs[2];
	int i;

	TEST_ASSERT_SUCCESS(vfbc_pf_get_sriov_info(pf_port, &info), "sriov info");
	/* The world's VF BAR0 is 64-bit memory; the other VF BARs are unused. */
	TEST_ASSERT_EQUAL(info.vf_bar[0] & 0x7, (uint32_t)VFBC_PCI_BAR_MEM_TYPE_64,
			  "VF BAR0 type 0x%x", info.vf_bar[0]);
	memset(want, 0, sizeof(want));
	want[0] = ((uint32_t)~(pf_expect_vf_bar0 - 1) & VFBC_PCI_BAR_MEM_MASK) |
		  (info.vf_bar[0] & ~VFBC_PCI_BAR_MEM_MASK);
	want[1] = (uint32_t)(~(pf_expect_vf_bar0 - 1) >> 32);
	/* Every VF shares the layout: check the first and the last. */
	vfs[0] = 0;
	vfs[1] = pf_topo.num_vfs - 1;
	for (i = 0; i < 2; i++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_query_probed_bars(pf_port, vfs[i], bars),
				    "VF %u", vfs[i]);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(bars, want, sizeof(bars),
					      "VF %u probed BAR0 0x%08x:%08x, expected 0x%08x:%08x",
					      vfs[i], bars[1], bars[0], want[1], want[0]);
	}
	return TEST_SUCCESS;
}

/* Poll the world until fn(cfg) holds for the VF's file, up to 2 s. */
static int
pf_wait_file(const struct rte_pci_addr *addr, struct test_pf_file *out,
	     int (*done)(const struct test_pf_file *f))
{
	struct test_pf_snap snap;
	struct test_pf_file *f;
	int i;

	for (i = 0; i < 200; i++) {
		if (test_pf_snap_take(&snap) != 0)
			return -1;
		f = test_pf_snap_find(&snap, addr);
		if (f != NULL && done(f)) {
			*out = *f;
			test_pf_snap_free(&snap);
			return 0;
		}
		test_pf_snap_free(&snap);
		usleep(10000);
	}
	return -1;
}

static const uint8_t pf_marker[4] = { 0xde, 0xad, 0xbe, 0xef };
#define PF_MARKER_OFF 0xa0

static int
pf_marker_gone(const struct test_pf_file *f)
{
	return memcmp(f->data + PF_MARKER_OFF, pf_marker, sizeof(pf_marker)) != 0;
}

static int
test_pf_reset_vf_resets_only_that_vf(void)
{
	uint16_t target = pf_topo.num_vfs - 1, other = 0;
	struct rte_pci_addr taddr, oaddr;
	struct test_pf_file *t, *o, after;
	struct test_pf_snap snap;
	uint64_t resets;
	uint16_t cmd;
	int ret = TEST_FAILED;

	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, target, &taddr), "address");
	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, other, &oaddr), "address");
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	t = test_pf_snap_find(&snap, &taddr);
	o = test_pf_snap_find(&snap, &oaddr);
	if (t == NULL || o == NULL)
		goto out;
	/* Power-on contents: as now, but without the Bus Master bit EAL's uio mapping set. */
	after = *t;
	cmd = (uint16_t)(after.data[RTE_PCI_COMMAND] | after.data[RTE_PCI_COMMAND + 1] << 8);
	cmd &= ~RTE_PCI_COMMAND_MASTER;
	after.data[RTE_PCI_COMMAND] = cmd & 0xff;
	after.data[RTE_PCI_COMMAND + 1] = cmd >> 8;

	/* Mark both VFs; the reset must clear the target's mark only. */
	if (vfbc_pf_write_vf_config(pf_port, target, pf_marker, PF_MARKER_OFF, 4) != 4 ||
	    vfbc_pf_write_vf_config(pf_port, other, pf_marker, PF_MARKER_OFF, 4) != 4)
		goto out;
	memcpy(o->data + PF_MARKER_OFF, pf_marker, 4);
	resets = test_pf_xstat(pf_port, "vf_resets");
	ret = vfbc_pf_reset_vf(pf_port, target);
	if (ret != 0) {
		printf("reset VF %u: %d\n", target, ret);
		ret = TEST_FAILED;
		goto out;
	}
	ret = TEST_FAILED;
	if (pf_wait_file(&taddr, t, pf_marker_gone) != 0) {
		printf("VF %u kept its marker: not reset\n", target);
		goto out;
	}
	if (memcmp(t->data, after.data, t->len) != 0) {
		printf("VF %u is not in its power-on state after FLR\n", target);
		goto out;
	}
	/* Every other function: exactly as before (the other VF with its marker). */
	if (test_pf_snap_check(&snap) != 0)
		goto out;
	if (test_pf_xstat(pf_port, "vf_resets") != resets + 1) {
		printf("vf_resets not counted\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	test_pf_snap_free(&snap);
	return ret;
}

static int
pf_pmcsr_state(uint16_t vf, uint16_t *state)
{
	uint8_t cfg[256];
	unsigned int pm;
	uint16_t pmcsr;

	if (vfbc_pf_read_vf_config(pf_port, vf, cfg, 0, sizeof(cfg)) != (int)sizeof(cfg))
		return -1;
	pm = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_PM);
	if (pm == 0)
		return -1;
	pmcsr = (uint16_t)(cfg[pm + VFBC_PCI_PM_CTRL] | cfg[pm + VFBC_PCI_PM_CTRL + 1] << 8);
	*state = pmcsr & VFBC_PCI_PM_CTRL_STATE_MASK;
	return (int)pm;
}

static int
test_pf_power_state_round_trip(void)
{
	uint16_t vf = 1, state;
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	uint64_t changes;
	int pm, ret = TEST_FAILED;

	pm = pf_pmcsr_state(vf, &state);
	TEST_ASSERT(pm > 0, "VF %u has no PM capability", vf);
	TEST_ASSERT_EQUAL(state, VFBC_PF_D0, "VF %u starts in D%u", vf, state);
	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "address");
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	f = test_pf_snap_find(&snap, &addr);
	if (f == NULL)
		goto out;
	changes = test_pf_xstat(pf_port, "vf_power_changes");

	if (vfbc_pf_set_vf_power_state(pf_port, vf, VFBC_PF_D3HOT, 0) != 0 ||
	    pf_pmcsr_state(vf, &state) != pm || state != VFBC_PF_D3HOT) {
		printf("VF %u not in D3hot\n", vf);
		goto out;
	}
	f->data[pm + VFBC_PCI_PM_CTRL] = (f->data[pm + VFBC_PCI_PM_CTRL] & ~3) | VFBC_PF_D3HOT;
	if (test_pf_snap_check(&snap) != 0)
		goto out;
	/* The world's PM capability has neither D1 nor PME support. */
	if (vfbc_pf_set_vf_power_state(pf_port, vf, VFBC_PF_D1, 0) != -ENOTSUP ||
	    vfbc_pf_set_vf_power_state(pf_port, vf, VFBC_PF_D3HOT, 1) != -ENOTSUP) {
		printf("D1 or wake from D3hot accepted without support\n");
		goto out;
	}
	if (vfbc_pf_set_vf_power_state(pf_port, vf, VFBC_PF_D0, 0) != 0 ||
	    pf_pmcsr_state(vf, &state) != pm || state != VFBC_PF_D0) {
		printf("VF %u not back in D0\n", vf);
		goto out;
	}
	f->data[pm + VFBC_PCI_PM_CTRL] &= ~3;
	if (test_pf_snap_check(&snap) != 0)
		goto out;
	if (test_pf_xstat(pf_port, "vf_power_changes") != changes + 2) {
		printf("vf_power_changes not counted\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	test_pf_snap_free(&snap);
	return ret;
}

static struct unit_test_suite test_pf_sriov_suite = {
	.suite_name = "net_vfbc_pf SR-IOV services",
	.setup = test_pf_sriov_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_sriov_info_matches_capability),
		TEST_CASE(test_pf_vf_location_and_ids_match_topology),
		TEST_CASE(test_pf_probed_bars_match_vf_bar_sizes),
		TEST_CASE(test_pf_reset_vf_resets_only_that_vf),
		TEST_CASE(test_pf_power_state_round_trip),
		TEST_CASES_END()
	}
};

static int
test_pf_sriov_default(void)
{
	pf_expect_vf_bar0 = 0x10000;
	return unit_test_suite_runner(&test_pf_sriov_suite);
}

static int
test_pf_sriov_bus_crossing(void)
{
	pf_expect_vf_bar0 = 0x200000;
	return unit_test_suite_runner(&test_pf_sriov_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_sriov_default_autotest, test_pf_sriov_default, "");
REGISTER_WORLD_TEST_COMMAND(pf_sriov_bus_crossing_autotest, test_pf_sriov_bus_crossing,
			    "--vf-offset 0x80 --vf-stride 2 --total-vfs 100 "
			    "--vf-bar0-size 0x200000 --vf-device 0x10b2");
