/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf on QEMU's SR-IOV NVMe PF under a real kernel, PF and VFs bound
 * to uio_pci_generic: what the PF API reports (VF count, location, IDs,
 * probed BARs) is what the kernel reports, its configuration writes reach
 * the emulated device (seen with setpci and sysfs config), a function-level
 * reset through the API resets only that VF, and the kernel's SR-IOV rules
 * hold.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_pci.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_qemu_common.h"

#define QEMU_SRIOV_VFS 2

static uint16_t pf_port;

static int
test_qemu_sriov_setup(void)
{
	int ret;

	ret = test_qemu_guest_check("uio_pci_generic", "uio_pci_generic", QEMU_SRIOV_VFS);
	if (ret != TEST_SUCCESS)
		return ret;
	return test_qemu_eal_start(&pf_port, "");
}

static int
vf_name(uint16_t vf, char *name, size_t size)
{
	struct rte_pci_addr addr;

	if (vfbc_pf_get_vf_location(pf_port, vf, &addr) != 0)
		return -1;
	rte_pci_device_name(&addr, name, size);
	return 0;
}

static int
test_qemu_vf_count_is_kernel_numvfs(void)
{
	struct vfbc_pf_sriov_info info;
	unsigned long numvfs, totalvfs;

	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(test_qemu_pf_name(), "sriov_numvfs", &numvfs),
			    "sriov_numvfs");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(test_qemu_pf_name(), "sriov_totalvfs",
						 &totalvfs), "sriov_totalvfs");
	TEST_ASSERT_EQUAL(numvfs, QEMU_SRIOV_VFS, "kernel: %lu VFs", numvfs);
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), (int)numvfs, "VF count %d, kernel %lu",
			  vfbc_pf_vf_count(pf_port), numvfs);
	TEST_ASSERT_SUCCESS(vfbc_pf_get_sriov_info(pf_port, &info), "sriov info");
	TEST_ASSERT_EQUAL(info.total_vfs, totalvfs, "TotalVFs %u, kernel %lu",
			  info.total_vfs, totalvfs);
	TEST_ASSERT(info.ctrl & VFBC_PCI_SRIOV_CTRL_VFE, "VF Enable clear");
	return TEST_SUCCESS;
}

static int
test_qemu_vf_location_is_kernel_virtfn(void)
{
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr kaddr, addr;
	char name[PCI_PRI_STR_SIZE], drv[64];
	uint16_t vf;

	for (vf = 0; vf < QEMU_SRIOV_VFS; vf++) {
		TEST_ASSERT_SUCCESS(test_qemu_kernel_vf(vf, &kaddr), "virtfn%u", vf);
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, vf, &addr), "location");
		rte_pci_device_name(&addr, name, sizeof(name));
		TEST_ASSERT_SUCCESS(rte_pci_addr_cmp(&addr, &kaddr),
				    "VF %u at %s, the kernel's virtfn%u is " PCI_PRI_FMT, vf, name,
				    vf, kaddr.domain, kaddr.bus, kaddr.devid, kaddr.function);
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "info");
		TEST_ASSERT_EQUAL(info.state, VFBC_PF_VF_READY, "VF %u %s", vf,
				  vfbc_pf_vf_state_str(info.state));
		TEST_ASSERT_SUCCESS(test_qemu_driver(name, drv, sizeof(drv)), "driver");
		TEST_ASSERT(strcmp(drv, "uio_pci_generic") == 0, "VF %s bound to '%s'", name, drv);
	}
	return TEST_SUCCESS;
}

static int
test_qemu_vf_ids_are_kernel_ids(void)
{
	unsigned long kven, kdev;
	char name[PCI_PRI_STR_SIZE];
	uint32_t raw, sysraw;
	uint16_t vf, ven, dev;

	for (vf = 0; vf < QEMU_SRIOV_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vf_name(vf, name, sizeof(name)), "location");
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_ids(pf_port, vf, &ven, &dev), "ids");
		TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(name, "vendor", &kven), "vendor");
		TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(name, "device", &kdev), "device");
		TEST_ASSERT(ven == kven && dev == kdev, "VF %u: %04x:%04x, kernel %04lx:%04lx",
			    vf, ven, dev, kven, kdev);
		/* The VF's own ID registers read all ones (SR-IOV 3.4.1.1). */
		TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, vf, &raw, 0, 4), 4u, "read");
		TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(name, 0, &sysraw, 4), "sysfs");
		TEST_ASSERT(raw == sysraw && raw == 0xffffffff,
			    "VF %u IDs register 0x%08x, sysfs 0x%08x", vf, raw, sysraw);
	}
	return TEST_SUCCESS;
}

static int
test_qemu_probed_bars_match_kernel_sizes(void)
{
	uint32_t bars[VFBC_PF_NUM_BARS], want;
	char name[PCI_PRI_STR_SIZE];
	uint64_t size, flags;
	unsigned int b;

	TEST_ASSERT_SUCCESS(vf_name(0, name, sizeof(name)), "location");
	TEST_ASSERT_SUCCESS(vfbc_pf_query_probed_bars(pf_port, 0, bars), "probed bars");
	for (b = 0; b < VFBC_PF_NUM_BARS; b++) {
		TEST_ASSERT_SUCCESS(test_qemu_resource(name, b, &size, &flags), "resource %u", b);
		if (b > 0 && (bars[b - 1] & 0x7) == 0x4) {
			/* Upper half of a 64-bit BAR: kernel shows it in the lower one. */
			continue;
		}
		if (size == 0) {
			TEST_ASSERT_EQUAL(bars[b], 0u, "BAR%u: 0x%08x for an absent BAR", b,
					  bars[b]);
			continue;
		}
		want = (uint32_t)~(size - 1);
		TEST_ASSERT_EQUAL(bars[b] & ~0xfu, want & ~0xfu,
				  "BAR%u probed 0x%08x, kernel size 0x%" PRIx64, b, bars[b], size);
		if ((bars[b] & 0x7) == 0x4 && b + 1 < VFBC_PF_NUM_BARS)
			TEST_ASSERT_EQUAL(bars[b + 1], (uint32_t)(~(size - 1) >> 32),
					  "BAR%u upper 0x%08x", b + 1, bars[b + 1]);
	}
	return TEST_SUCCESS;
}

static int
test_qemu_reads_match_kernel_config(void)
{
	uint8_t api[64], sys[64];
	char name[PCI_PRI_STR_SIZE];
	uint32_t val;
	uint16_t vf;

	for (vf = 0; vf < QEMU_SRIOV_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vf_name(vf, name, sizeof(name)), "location");
		TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, vf, api, 0, sizeof(api)),
				  sizeof(api), "read");
		TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(name, 0, sys, sizeof(sys)), "sysfs");
		TEST_ASSERT_BUFFERS_ARE_EQUAL(api, sys, sizeof(api), "VF %u header differs", vf);
		TEST_ASSERT_SUCCESS(test_qemu_setpci(name, VFBC_PCI_CLASS_REVISION, 4, &val),
				    "setpci");
		TEST_ASSERT(memcmp(&val, api + VFBC_PCI_CLASS_REVISION, 4) == 0,
			    "VF %u class/revision: setpci 0x%08x", vf, val);
	}
	return TEST_SUCCESS;
}

/* Write through the API, check the device with setpci and sysfs config. */
static int
write_byte_checked(uint16_t vf, uint32_t off, uint8_t v)
{
	char name[PCI_PRI_STR_SIZE];
	uint32_t sp;
	uint8_t sys, api;

	TEST_ASSERT_SUCCESS(vf_name(vf, name, sizeof(name)), "location");
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, vf, &v, off, 1), 1u,
			  "VF %u: writing 0x%02x at 0x%02x", vf, v, off);
	TEST_ASSERT_SUCCESS(test_qemu_setpci(name, off, 1, &sp), "setpci");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(name, off, &sys, 1), "sysfs config");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, vf, &api, off, 1), 1u, "read");
	TEST_ASSERT(sp == v && sys == v && api == v,
		    "VF %u 0x%02x: wrote 0x%02x, setpci 0x%02x, sysfs 0x%02x, API 0x%02x",
		    vf, off, v, sp, sys, api);
	return TEST_SUCCESS;
}

static int
test_qemu_set_bus_data_reaches_device(void)
{
	uint16_t vf;

	for (vf = 0; vf < QEMU_SRIOV_VFS; vf++) {
		TEST_ASSERT_SUCCESS(write_byte_checked(vf, VFBC_PCI_CACHE_LINE_SIZE, 0x10 + vf),
				    "cache line size");
		TEST_ASSERT_SUCCESS(write_byte_checked(vf, VFBC_PCI_INTERRUPT_LINE, 0x0a + vf),
				    "interrupt line");
	}
	for (vf = 0; vf < QEMU_SRIOV_VFS; vf++) {
		TEST_ASSERT_SUCCESS(write_byte_checked(vf, VFBC_PCI_CACHE_LINE_SIZE, 0), "restore");
		TEST_ASSERT_SUCCESS(write_byte_checked(vf, VFBC_PCI_INTERRUPT_LINE, 0), "restore");
	}
	return TEST_SUCCESS;
}

/* A dword write over read-only bytes: the read back says what stuck. */
static int
test_qemu_read_only_bytes_read_back_unchanged(void)
{
	char name[PCI_PRI_STR_SIZE];
	uint32_t before, v, after, sp;

	TEST_ASSERT_SUCCESS(vf_name(0, name, sizeof(name)), "location");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(name, VFBC_PCI_CACHE_LINE_SIZE, &before, 4),
			    "sysfs");
	/* Cache Line Size is writable; Latency Timer, Header Type, BIST are not. */
	v = (before & ~0xffu) ^ 0xffffff00u;
	v |= 0x08;
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, &v, VFBC_PCI_CACHE_LINE_SIZE, 4),
			  4u, "write");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, 0, &after, VFBC_PCI_CACHE_LINE_SIZE,
						  4), 4u, "read");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(name, VFBC_PCI_CACHE_LINE_SIZE, 4, &sp), "setpci");
	TEST_ASSERT_EQUAL(after, sp, "API read 0x%08x, setpci 0x%08x", after, sp);
	TEST_ASSERT_EQUAL(after, (before & ~0xffu) | 0x08,
			  "before 0x%08x, wrote 0x%08x, device holds 0x%08x", before, v, after);
	v = before;
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, &v, VFBC_PCI_CACHE_LINE_SIZE, 4),
			  4u, "restore");
	return TEST_SUCCESS;
}

static int
test_qemu_reset_vf_resets_only_that_vf(void)
{
	char name0[PCI_PRI_STR_SIZE], name1[PCI_PRI_STR_SIZE];
	unsigned long numvfs;
	uint32_t v0, v1;
	int ret;

	TEST_ASSERT_SUCCESS(vf_name(0, name0, sizeof(name0)), "location");
	TEST_ASSERT_SUCCESS(vf_name(1, name1, sizeof(name1)), "location");
	TEST_ASSERT_SUCCESS(write_byte_checked(0, VFBC_PCI_CACHE_LINE_SIZE, 0x20), "VF 0");
	TEST_ASSERT_SUCCESS(write_byte_checked(1, VFBC_PCI_CACHE_LINE_SIZE, 0x30), "VF 1");
	ret = vfbc_pf_reset_vf(pf_port, 0);
	TEST_ASSERT_SUCCESS(ret, "reset VF 0: %s", strerror(-ret));
	TEST_ASSERT_SUCCESS(test_qemu_setpci(name0, VFBC_PCI_CACHE_LINE_SIZE, 1, &v0), "setpci");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(name1, VFBC_PCI_CACHE_LINE_SIZE, 1, &v1), "setpci");
	TEST_ASSERT_EQUAL(v0, 0u, "VF 0 Cache Line Size 0x%02x after its FLR", v0);
	TEST_ASSERT_EQUAL(v1, 0x30u, "VF 1 Cache Line Size 0x%02x after VF 0's FLR", v1);
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(test_qemu_pf_name(), "sriov_numvfs", &numvfs),
			    "sriov_numvfs");
	TEST_ASSERT_EQUAL(numvfs, QEMU_SRIOV_VFS, "VFs after the FLR: %lu", numvfs);
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), QEMU_SRIOV_VFS, "VF count");
	TEST_ASSERT_SUCCESS(write_byte_checked(1, VFBC_PCI_CACHE_LINE_SIZE, 0), "restore");
	return TEST_SUCCESS;
}

static int
test_qemu_enable_while_enabled_is_ebusy(void)
{
	unsigned long numvfs;

	TEST_ASSERT_EQUAL(vfbc_pf_enable_virtualization(pf_port, 1), -EBUSY, "not -EBUSY");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(test_qemu_pf_name(), "sriov_numvfs", &numvfs),
			    "sriov_numvfs");
	TEST_ASSERT_EQUAL(numvfs, QEMU_SRIOV_VFS, "kernel VFs changed to %lu", numvfs);
	return TEST_SUCCESS;
}

static struct unit_test_suite qemu_sriov_suite = {
	.suite_name = "net_vfbc_pf on QEMU's NVMe PF, uio_pci_generic",
	.setup = test_qemu_sriov_setup,
	.unit_test_cases = {
		TEST_CASE(test_qemu_vf_count_is_kernel_numvfs),
		TEST_CASE(test_qemu_vf_location_is_kernel_virtfn),
		TEST_CASE(test_qemu_vf_ids_are_kernel_ids),
		TEST_CASE(test_qemu_probed_bars_match_kernel_sizes),
		TEST_CASE(test_qemu_reads_match_kernel_config),
		TEST_CASE(test_qemu_set_bus_data_reaches_device),
		TEST_CASE(test_qemu_read_only_bytes_read_back_unchanged),
		TEST_CASE(test_qemu_reset_vf_resets_only_that_vf),
		TEST_CASE(test_qemu_enable_while_enabled_is_ebusy),
		TEST_CASES_END()
	}
};

static int
test_qemu_sriov(void)
{
	return unit_test_suite_runner(&qemu_sriov_suite);
}

REGISTER_TEST_COMMAND_SUITE(qemu_sriov_autotest, test_qemu_sriov, "qemu");
