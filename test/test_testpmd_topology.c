/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-testpmd on a world that is not the default one: a PF at another
 * address, First VF Offset 4 and VF Stride 2 (VFs cross a device number),
 * fewer VFs enabled than TotalVFs, a smaller VF BAR and 256-byte VF config
 * spaces. What the program prints must follow the world's capability.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_testpmd_session.h"

#define TP_PF			"0000:03:00.0"
#define TP_VF_BAR0_SIZE		0x4000u
#define TP_VF_CFG_SIZE		256
#define TP_WORLD_OPTS		"--pf " TP_PF " --total-vfs 6 --num-vfs 5 --vf-offset 4" \
	" --vf-stride 2 --vf-bar0-size 0x4000 --vf-cfg-size 256"

static struct tp_topo tp_topo;

static int
tp_topology_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not in an emulated world (run it through vfbc-test)");
	TEST_ASSERT_SUCCESS(tp_topo_read(TP_PF, &tp_topo), "cannot read the world's PF");
	TEST_ASSERT(tp_topo.num_vfs == 5 && tp_topo.total_vfs == 6 && tp_topo.vf_offset == 4 &&
			tp_topo.vf_stride == 2, "the world is not the one asked for");
	return TEST_SUCCESS;
}

static int
test_testpmd_follows_the_capability(void)
{
	static const uint8_t bytes[] = { 1, 2, 3, 4 };
	struct tp_snap *expected, *after;
	static struct tp_script warmup;
	static struct tp_script sc;
	char line[TP_LINE_MAX];
	unsigned int i;
	uint32_t bar0;
	int ret;

	memset(&sc, 0, sizeof(sc));
	snprintf(line, sizeof(line), "Port 0 (PF %s): 5 of 6 VFs enabled", TP_PF);
	tp_add(&sc, line, "show vf list 0");
	for (i = 0; i < tp_topo.total_vfs; i++) {
		tp_vf_list_line(&tp_topo, i, i < tp_topo.num_vfs ? "ready" : "disabled", line,
				sizeof(line));
		tp_add(&sc, line, "show vf list 0");
	}
	for (i = 0; i < tp_topo.num_vfs; i++) {
		tp_vf_location_line(&tp_topo, i, line, sizeof(line));
		tp_add(&sc, line, "show vf location 0 %u", i);
	}
	tp_add(&sc, "Error: VF 5 out of range (port 0 has 5 VFs)", "show vf location 0 5");

	bar0 = (~(TP_VF_BAR0_SIZE - 1) & VFBC_PCI_BAR_MEM_MASK) |
		(tp_topo.vf_bar[0] & ~VFBC_PCI_BAR_MEM_MASK);
	snprintf(line, sizeof(line), "  BAR0: 0x%08x", bar0);
	tp_add(&sc, line, "show vf probed-bars 0 4");

	/* The last bytes of a 256-byte config space, and one past them. */
	tp_add(&sc, "VF 4: wrote 4 bytes at 0xfc", "set vf bus-data 0 4 0xfc 1 2 3 4");
	tp_add(&sc, "  0x0fc: 01 02 03 04", "show vf bus-data 0 4 0xfc 4");
	tp_add(&sc, "Error: 0xff + 2 bytes goes beyond VF 4's config space (256 bytes)",
			"set vf bus-data 0 4 0xff 1 2");
	tp_add(&sc, "Error: offset 0x100 beyond VF 4's config space (256 bytes)",
			"show vf bus-data 0 4 0x100 1");

	/*
	 * The reference is the world as a primary leaves it: probing enables
	 * bus mastering in the PF's Command register, for one.
	 */
	memset(&warmup, 0, sizeof(warmup));
	tp_add(&warmup, "Driver name: net_vfbc_pf", "show port info 0");
	TEST_ASSERT_SUCCESS(tp_run(&warmup), "a first session failed");
	expected = tp_snap_take(&tp_topo);
	TEST_ASSERT_NOT_NULL(expected, "no snapshot of the world");
	if (expected->len[1 + 4] != TP_VF_CFG_SIZE) {
		printf("VF 4's config file is %d bytes, not %d\n", expected->len[1 + 4],
				TP_VF_CFG_SIZE);
		free(expected);
		return TEST_FAILED;
	}
	ret = tp_run(&sc);
	after = tp_snap_take(&tp_topo);
	if (ret == TEST_SUCCESS) {
		memcpy(&expected->cfg[1 + 4][0xfc], bytes, sizeof(bytes));
		if (after == NULL || tp_snap_compare(expected, after) != 0)
			ret = TEST_FAILED;
	}
	free(expected);
	free(after);
	return ret;
}

static struct unit_test_suite testpmd_topology_suite = {
	.suite_name = "vfbc-testpmd on a non-default topology",
	.setup = tp_topology_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE(test_testpmd_follows_the_capability),
		TEST_CASES_END(),
	},
};

static int
test_testpmd_topology(void)
{
	return unit_test_suite_runner(&testpmd_topology_suite);
}

REGISTER_WORLD_TEST_COMMAND(testpmd_topology_autotest, test_testpmd_topology, TP_WORLD_OPTS);
