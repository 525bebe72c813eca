/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_pf_enable_virtualization() against a real kernel's sriov_numvfs, with
 * QEMU's NVMe PF and SR-IOV off at the start:
 * - PF bound to uio_pci_generic, which has no sriov_configure: the kernel
 *   refuses and the API says so (-ENOTSUP), with nothing changed;
 * - PF bound to vfio-pci (enable_sriov=1), which can: the API creates the
 *   VFs, which vfio-pci captures, maps them (VF token shared by PF and VFs),
 *   writes reach them, and disabling removes them.
 */

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_qemu_common.h"

#define QEMU_ENABLE_VFS 2
/* Any UUID: vfio-pci only asks that the PF's and the VFs' users share it. */
#define QEMU_VF_TOKEN "5ec1a3e4-7d0b-4c1e-9a7e-0f1bc0ffee01"

static uint16_t pf_port;

static int
kernel_numvfs(unsigned long *n)
{
	return test_qemu_sysfs_uint(test_qemu_pf_name(), "sriov_numvfs", n);
}

static int
test_qemu_refused_setup(void)
{
	int ret;

	ret = test_qemu_guest_check("uio_pci_generic", NULL, 0);
	if (ret != TEST_SUCCESS)
		return ret;
	return test_qemu_eal_start(&pf_port, "");
}

static int
test_qemu_enable_without_sriov_configure_is_enotsup(void)
{
	unsigned long n;
	int ret;

	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VFs at start");
	ret = vfbc_pf_enable_virtualization(pf_port, QEMU_ENABLE_VFS);
	TEST_ASSERT_EQUAL(ret, -ENOTSUP, "enable through uio_pci_generic: %d (%s), "
			  "expected -ENOTSUP", ret, strerror(-ret));
	TEST_ASSERT_SUCCESS(kernel_numvfs(&n), "sriov_numvfs");
	TEST_ASSERT_EQUAL(n, 0ul, "kernel has %lu VFs", n);
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VF count after the refusal");
	return TEST_SUCCESS;
}

static int
test_qemu_disable_when_off_is_noop(void)
{
	unsigned long n;

	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf_port, 0), "disable when off");
	TEST_ASSERT_SUCCESS(kernel_numvfs(&n), "sriov_numvfs");
	TEST_ASSERT_EQUAL(n, 0ul, "kernel has %lu VFs", n);
	return TEST_SUCCESS;
}

static struct unit_test_suite qemu_refused_suite = {
	.suite_name = "enable virtualization, PF on uio_pci_generic (QEMU)",
	.setup = test_qemu_refused_setup,
	.unit_test_cases = {
		TEST_CASE(test_qemu_enable_without_sriov_configure_is_enotsup),
		TEST_CASE(test_qemu_disable_when_off_is_noop),
		TEST_CASES_END()
	}
};

static int
test_qemu_enable_refused(void)
{
	return unit_test_suite_runner(&qemu_refused_suite);
}

static int
test_qemu_vfio_setup(void)
{
	int ret;

	ret = test_qemu_guest_check("vfio-pci", "vfio-pci", 0);
	if (ret != TEST_SUCCESS)
		return ret;
	return test_qemu_eal_start(&pf_port, "--vfio-vf-token=" QEMU_VF_TOKEN);
}

static int
test_qemu_enable_creates_kernel_vfs(void)
{
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr kaddr;
	char name[PCI_PRI_STR_SIZE], drv[64];
	unsigned long n;
	uint16_t vf;
	int ret;

	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VFs at start");
	ret = vfbc_pf_enable_virtualization(pf_port, QEMU_ENABLE_VFS);
	TEST_ASSERT_SUCCESS(ret, "enable: %s", strerror(-ret));
	TEST_ASSERT_SUCCESS(kernel_numvfs(&n), "sriov_numvfs");
	TEST_ASSERT_EQUAL(n, (unsigned long)QEMU_ENABLE_VFS, "kernel has %lu VFs", n);
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), QEMU_ENABLE_VFS, "VF count");
	for (vf = 0; vf < QEMU_ENABLE_VFS; vf++) {
		TEST_ASSERT_SUCCESS(test_qemu_kernel_vf(vf, &kaddr), "virtfn%u", vf);
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "info");
		TEST_ASSERT_SUCCESS(rte_pci_addr_cmp(&info.addr, &kaddr), "VF %u location", vf);
		rte_pci_device_name(&kaddr, name, sizeof(name));
		TEST_ASSERT_SUCCESS(test_qemu_driver(name, drv, sizeof(drv)), "driver");
		TEST_ASSERT(strcmp(drv, "vfio-pci") == 0, "VF %s bound to '%s'", name, drv);
		TEST_ASSERT(info.state == VFBC_PF_VF_READY && info.mapped_by_pf,
			    "VF %u %s, mapped by the PF driver: %u", vf,
			    vfbc_pf_vf_state_str(info.state), info.mapped_by_pf);
	}
	return TEST_SUCCESS;
}

static int
test_qemu_enabled_vf_takes_writes(void)
{
	struct rte_pci_addr addr;
	char name[PCI_PRI_STR_SIZE];
	uint32_t sp;
	uint8_t v = 0x18;

	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, 1, &addr), "location");
	rte_pci_device_name(&addr, name, sizeof(name));
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 1, &v, VFBC_PCI_CACHE_LINE_SIZE, 1),
			  1u, "write");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(name, VFBC_PCI_CACHE_LINE_SIZE, 1, &sp), "setpci");
	TEST_ASSERT_EQUAL(sp, v, "device holds 0x%02x, wrote 0x%02x", sp, v);
	return TEST_SUCCESS;
}

/* TCG runs everything slowly: EAL start of a secondary takes seconds. */
#define QEMU_LIFE_START_MS	60000
#define QEMU_LIFE_CMD_MS	30000

/*
 * Under a real kernel: a VF secondary holding VF 0 is told that the PF
 * disabled the VFs (the kernel removes the functions: RTE_ETH_EVENT_INTR_RMV,
 * then -ENXIO) and enabled them again (RTE_ETH_EVENT_INTR_RESET); a reset
 * takes the new VF 0.
 */
static int
test_qemu_vf_told_of_disable_and_enable(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char eal[64], rest[MP_LINE_MAX];
	struct rte_pci_addr addr;
	int ret = TEST_FAILED, r;

	TEST_ASSERT_SUCCESS(test_qemu_kernel_vf(0, &addr), "virtfn0");
	strcpy(eal, "-a ");
	rte_pci_device_name(&addr, eal + 3, sizeof(eal) - 3);
	/* Enabled after EAL started: the primary probes it, a secondary attaches to its port. */
	r = rte_dev_probe(eal + 3);
	if (r < 0) {
		printf("probe of %s in the primary: %s\n", eal + 3, strerror(-r));
		goto out;
	}
	if (mp_child_spawn(&c, "mp_vf_agent", eal, NULL) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), QEMU_LIFE_START_MS) < 0 ||
	    strstr(rest, "claimed=1") == NULL || mp_life_link(&c) != 1) {
		printf("the VF secondary on %s did not start, claim, or see its link up\n",
		       eal + 3);
		goto out;
	}
	r = vfbc_pf_enable_virtualization(pf_port, 0);
	if (r != 0 || mp_life_expect(&c, "disable", "M3 L", ev) < 0) {
		printf("disable: %d\n", r);
		goto out;
	}
	r = mp_child_ret(&c, NULL, 0, QEMU_LIFE_CMD_MS, "reset");
	if (r != -ENXIO) {
		printf("a reset of the disabled VF: %d, want %d\n", r, -ENXIO);
		goto out;
	}
	r = vfbc_pf_enable_virtualization(pf_port, QEMU_ENABLE_VFS);
	if (r != 0 || mp_life_expect(&c, "enable", "R4", ev) < 0) {
		printf("enable: %d\n", r);
		goto out;
	}
	r = mp_child_ret(&c, NULL, 0, QEMU_LIFE_CMD_MS, "reset");
	if (r != 0 || mp_life_expect(&c, "reset", "L", ev) < 0) {
		printf("a reset of the enabled VF: %d\n", r);
		goto out;
	}
	if (mp_child_cmd(&c, "bye", NULL, 0, QEMU_LIFE_CMD_MS, "quit") < 0 ||
	    mp_child_wait(&c, QEMU_LIFE_CMD_MS) != 0) {
		printf("the VF secondary did not exit cleanly\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&c);
	return ret;
}

static int
test_qemu_disable_removes_kernel_vfs(void)
{
	struct rte_pci_addr addr;
	unsigned long n;
	int ret;

	ret = vfbc_pf_enable_virtualization(pf_port, 0);
	TEST_ASSERT_SUCCESS(ret, "disable: %s", strerror(-ret));
	TEST_ASSERT_SUCCESS(kernel_numvfs(&n), "sriov_numvfs");
	TEST_ASSERT_EQUAL(n, 0ul, "kernel still has %lu VFs", n);
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VF count");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_location(pf_port, 0, &addr), -ENXIO, "VF 0 still there");
	return TEST_SUCCESS;
}

static struct unit_test_suite qemu_enable_vfio_suite = {
	.suite_name = "enable virtualization, PF on vfio-pci (QEMU)",
	.setup = test_qemu_vfio_setup,
	.unit_test_cases = {
		TEST_CASE(test_qemu_enable_creates_kernel_vfs),
		TEST_CASE(test_qemu_enabled_vf_takes_writes),
		TEST_CASE(test_qemu_vf_told_of_disable_and_enable),
		TEST_CASE(test_qemu_disable_removes_kernel_vfs),
		TEST_CASES_END()
	}
};

static int
test_qemu_enable_vfio(void)
{
	return unit_test_suite_runner(&qemu_enable_vfio_suite);
}

REGISTER_TEST_COMMAND_SUITE(qemu_enable_refused_autotest, test_qemu_enable_refused, "qemu");
REGISTER_TEST_COMMAND_SUITE(qemu_enable_vfio_autotest, test_qemu_enable_vfio, "qemu");
