/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf with QEMU's NVMe VFs bound to vfio-pci (behind an emulated
 * Intel IOMMU), the PF on uio_pci_generic. vfio-pci passes some VF
 * configuration writes to the device and virtualizes others: the API
 * reports both as written, and these cases pin down what really happened by
 * reading the device through the kernel (sysfs config, setpci), which vfio
 * does not virtualize. A function-level reset through the API becomes
 * vfio-pci's kernel reset, which restores the configuration header.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_pci.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_qemu_common.h"

#define QEMU_VFIO_VFS 2

static uint16_t pf_port;
static char vf0[PCI_PRI_STR_SIZE];

static int
test_qemu_vfio_setup(void)
{
	struct rte_pci_addr addr;
	char drv[64];
	int ret;

	ret = test_qemu_guest_check("uio_pci_generic", "vfio-pci", QEMU_VFIO_VFS);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = test_qemu_eal_start(&pf_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, 0, &addr), "VF 0 location");
	rte_pci_device_name(&addr, vf0, sizeof(vf0));
	TEST_ASSERT_SUCCESS(test_qemu_driver(vf0, drv, sizeof(drv)), "driver");
	TEST_ASSERT(strcmp(drv, "vfio-pci") == 0, "VF %s bound to '%s'", vf0, drv);
	return TEST_SUCCESS;
}

static int
test_qemu_vfio_passed_write_reaches_device(void)
{
	uint32_t sp;
	uint8_t v = 0x10, sys, api;

	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, &v, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1u, "write");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, 0, &api, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1u, "read");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf0, VFBC_PCI_CACHE_LINE_SIZE, 1, &sp), "setpci");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(vf0, VFBC_PCI_CACHE_LINE_SIZE, &sys, 1),
			    "sysfs");
	TEST_ASSERT(api == v && sp == v && sys == v,
		    "wrote 0x%02x: API 0x%02x, setpci 0x%02x, sysfs 0x%02x", v, api, sp, sys);
	return TEST_SUCCESS;
}

/*
 * vfio-pci virtualizes Interrupt Line: the write "succeeds", the API reads
 * vfio's value back, the device never sees it. The test asserts exactly
 * that, so it fails if either vfio or the driver starts lying differently.
 */
static int
test_qemu_vfio_virtualized_write_reads_back_virtual(void)
{
	uint32_t dev_before, dev_after;
	uint8_t v, api;

	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf0, VFBC_PCI_INTERRUPT_LINE, 1, &dev_before),
			    "setpci");
	v = (uint8_t)(dev_before ^ 0x5a);
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, &v, VFBC_PCI_INTERRUPT_LINE, 1),
			  1u, "vfio-pci refused the write");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, 0, &api, VFBC_PCI_INTERRUPT_LINE, 1),
			  1u, "read");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf0, VFBC_PCI_INTERRUPT_LINE, 1, &dev_after),
			    "setpci");
	printf("Interrupt Line: wrote 0x%02x, API reads 0x%02x, device holds 0x%02x\n",
	       v, api, dev_after);
	TEST_ASSERT_EQUAL(api, v, "vfio's virtual value 0x%02x, wrote 0x%02x", api, v);
	TEST_ASSERT_EQUAL(dev_after, dev_before,
			  "the device changed from 0x%02x to 0x%02x: vfio passed it through",
			  dev_before, dev_after);
	return TEST_SUCCESS;
}

/*
 * Through vfio-pci, Initiate FLR is virtualized: vfio-pci resets the VF with
 * the kernel's pci_try_reset_function(), which saves the configuration
 * header before the reset and restores it after. So, unlike with
 * uio_pci_generic, a written header register reads back its pre-reset value:
 * the case checks the call succeeds, the VF survives, and the header is the
 * one the kernel restored, not QEMU's reset value.
 */
static int
test_qemu_vfio_reset_vf_restores_header(void)
{
	uint8_t before[64], after[64];
	unsigned long ven;
	uint32_t sp;
	uint8_t v = 0x28;
	int ret;

	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, &v, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1u, "write");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf0, VFBC_PCI_CACHE_LINE_SIZE, 1, &sp), "setpci");
	TEST_ASSERT_EQUAL(sp, v, "device holds 0x%02x before the reset", sp);
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(vf0, 0, before, sizeof(before)), "sysfs");
	ret = vfbc_pf_reset_vf(pf_port, 0);
	TEST_ASSERT_SUCCESS(ret, "reset VF 0: %s", strerror(-ret));
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(vf0, "vendor", &ven), "VF gone after the FLR");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_config(vf0, 0, after, sizeof(after)), "sysfs");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(before, after, sizeof(before),
				      "the kernel did not restore the VF's header");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), QEMU_VFIO_VFS, "VF count after the FLR");
	v = 0;
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, &v, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1u, "restore");
	return TEST_SUCCESS;
}

static struct unit_test_suite qemu_vfio_suite = {
	.suite_name = "net_vfbc_pf on QEMU's NVMe VFs bound to vfio-pci",
	.setup = test_qemu_vfio_setup,
	.unit_test_cases = {
		TEST_CASE(test_qemu_vfio_passed_write_reaches_device),
		TEST_CASE(test_qemu_vfio_virtualized_write_reads_back_virtual),
		TEST_CASE(test_qemu_vfio_reset_vf_restores_header),
		TEST_CASES_END()
	}
};

static int
test_qemu_vfio(void)
{
	return unit_test_suite_runner(&qemu_vfio_suite);
}

REGISTER_TEST_COMMAND_SUITE(qemu_vfio_autotest, test_qemu_vfio, "qemu");
