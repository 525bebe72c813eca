/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf with virtualization off, then enabled and disabled through
 * the kernel's sriov_numvfs (which the world emulates): VF calls fail with
 * -ENXIO while off, VFs appear, get mapped and take writes once enabled,
 * and the SR-IOV rules (-EBUSY, -ERANGE) hold.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

#define PF_ENABLE_VFS 4

static uint16_t pf_port;
static struct test_pf_topo pf_topo;

static int
test_pf_enable_setup(void)
{
	int ret;

	ret = test_pf_world_start(&pf_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "cannot read the PF's config file");
	TEST_ASSERT_EQUAL(pf_topo.num_vfs, 0, "the world must start with no VF");
	TEST_ASSERT(pf_topo.total_vfs > PF_ENABLE_VFS, "the world needs > %d VFs",
		    PF_ENABLE_VFS);
	return TEST_SUCCESS;
}

static int
test_pf_vf_calls_while_off_are_enxio(void)
{
	uint8_t buf[4] = { 1, 2, 3, 4 };
	uint32_t bars[VFBC_PF_NUM_BARS];
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	uint16_t ven, dev;
	int ret = TEST_FAILED;

	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	if (vfbc_pf_vf_count(pf_port) != 0 ||
	    vfbc_pf_write_vf_config(pf_port, 0, buf, 0x40, 4) != -ENXIO ||
	    vfbc_pf_set_vf_bus_data(pf_port, 0, buf, 0x40, 4) != 0 ||
	    vfbc_pf_read_vf_config(pf_port, 0, buf, 0x40, 4) != -ENXIO ||
	    vfbc_pf_get_vf_location(pf_port, 0, &addr) != -ENXIO ||
	    vfbc_pf_get_vf_ids(pf_port, 0, &ven, &dev) != -ENXIO ||
	    vfbc_pf_query_probed_bars(pf_port, 0, bars) != -ENXIO ||
	    vfbc_pf_reset_vf(pf_port, 0) != -ENXIO ||
	    vfbc_pf_set_vf_power_state(pf_port, 0, VFBC_PF_D3HOT, 0) != -ENXIO) {
		printf("a VF call did not fail with -ENXIO\n");
		goto out;
	}
	if (vfbc_pf_get_vf_info(pf_port, 0, &info) != 0 || info.state != VFBC_PF_VF_DISABLED) {
		printf("VF 0 not reported disabled\n");
		goto out;
	}
	if (test_pf_snap_check(&snap) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	test_pf_snap_free(&snap);
	return ret;
}

static int
test_pf_enable_beyond_total_is_erange(void)
{
	struct test_pf_snap snap;
	int ret;

	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	ret = vfbc_pf_enable_virtualization(pf_port, pf_topo.total_vfs + 1);
	if (ret == -ERANGE)
		ret = vfbc_pf_enable_virtualization(pf_port, UINT16_MAX);
	if (ret == -ERANGE && test_pf_snap_check(&snap) == 0 && vfbc_pf_vf_count(pf_port) == 0)
		ret = TEST_SUCCESS;
	else
		ret = TEST_FAILED;
	test_pf_snap_free(&snap);
	TEST_ASSERT_SUCCESS(ret, "TotalVFs + 1 VFs accepted or something changed");
	return TEST_SUCCESS;
}

static int
test_pf_enable_creates_mapped_writable_vfs(void)
{
	uint8_t data[8] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe };
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	uint16_t vf;
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf_port, PF_ENABLE_VFS), "enable");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), PF_ENABLE_VFS, "VF count");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "PF config file");
	TEST_ASSERT_EQUAL(pf_topo.num_vfs, PF_ENABLE_VFS, "NumVFs in the capability");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "virt_changes"), 1u, "virt_changes");
	for (vf = 0; vf < PF_ENABLE_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "info");
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "address");
		TEST_ASSERT(info.state == VFBC_PF_VF_READY && info.mapped_by_pf &&
			    rte_pci_addr_cmp(&info.addr, &addr) == 0,
			    "VF %u %s, not ready and mapped at the routed address", vf,
			    vfbc_pf_vf_state_str(info.state));
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, PF_ENABLE_VFS, &info), "info");
	TEST_ASSERT_EQUAL(info.state, VFBC_PF_VF_DISABLED, "VF beyond NumVFs");

	for (vf = 0; vf < PF_ENABLE_VFS; vf++) {
		TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "address");
		f = test_pf_snap_find(&snap, &addr);
		ret = f == NULL ? -ENOENT :
		      vfbc_pf_write_vf_config(pf_port, vf, data, 0xb0 + vf, sizeof(data));
		if (f != NULL)
			memcpy(f->data + 0xb0 + vf, data, sizeof(data));
		if (ret != (int)sizeof(data) || test_pf_snap_check(&snap) != 0) {
			test_pf_snap_free(&snap);
			TEST_ASSERT(0, "write to new VF %u: %d", vf, ret);
		}
		test_pf_snap_free(&snap);
	}
	return TEST_SUCCESS;
}

static int
test_pf_enable_again_is_ebusy(void)
{
	struct test_pf_snap snap;
	int r1, r2, ok;

	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	r1 = vfbc_pf_enable_virtualization(pf_port, PF_ENABLE_VFS + 1);
	r2 = vfbc_pf_enable_virtualization(pf_port, PF_ENABLE_VFS);
	ok = test_pf_snap_check(&snap) == 0;
	test_pf_snap_free(&snap);
	TEST_ASSERT_EQUAL(r1, -EBUSY, "changing NumVFs from non-zero");
	TEST_ASSERT_EQUAL(r2, -EBUSY, "enabling again");
	TEST_ASSERT(ok, "a config file changed");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), PF_ENABLE_VFS, "VF count");
	return TEST_SUCCESS;
}

static int
test_pf_disable_removes_vfs(void)
{
	struct vfbc_pf_vf_info info;
	uint8_t buf[4];

	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf_port, 0), "disable");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VF count");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "PF config file");
	TEST_ASSERT_EQUAL(pf_topo.num_vfs, 0, "VF Enable still set");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 0, buf, 0, 4), -ENXIO, "read");
	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, 0, &info), "info");
	TEST_ASSERT_EQUAL(info.state, VFBC_PF_VF_DISABLED, "VF 0 state");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf_port, 0), "disable when off");
	/* And back: a second enable after a disable works the same. */
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf_port, 2), "re-enable");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 1, buf, 0, 4), 4, "read VF 1");
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_enable_suite = {
	.suite_name = "net_vfbc_pf enable virtualization",
	.setup = test_pf_enable_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_vf_calls_while_off_are_enxio),
		TEST_CASE(test_pf_enable_beyond_total_is_erange),
		TEST_CASE(test_pf_enable_creates_mapped_writable_vfs),
		TEST_CASE(test_pf_enable_again_is_ebusy),
		TEST_CASE(test_pf_disable_removes_vfs),
		TEST_CASES_END()
	}
};

static int
test_pf_enable(void)
{
	return unit_test_suite_runner(&test_pf_enable_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_enable_autotest, test_pf_enable, "--num-vfs 0");
