/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_QEMU_COMMON_H_
#define _TEST_QEMU_COMMON_H_

/*
 * Helpers of the QEMU world tests (run by app/vfbc-qemu inside a guest with
 * a real kernel and QEMU's SR-IOV NVMe PF): the kernel's view of the PF and
 * its VFs from sysfs and setpci, to check the PF driver against it.
 */

#include <stdint.h>

#include <rte_pci.h>

/*
 * TEST_SUCCESS inside a vfbc-qemu guest whose PF and VFs match what the
 * test needs (PF driver, VF driver, VF count; NULL or -1 accept any),
 * TEST_SKIPPED with the reason otherwise.
 */
int test_qemu_guest_check(const char *pf_driver, const char *vf_driver, int num_vfs);

/* PCI name of the guest's PF (VFBC_QEMU_PF). */
const char *test_qemu_pf_name(void);

/*
 * Start EAL with extra arguments and find the PF's port. TEST_SUCCESS,
 * TEST_SKIPPED (EAL cannot run) or TEST_FAILED (e.g. the PF not probed).
 */
int test_qemu_eal_start(uint16_t *port_id, const char *extra_eal_args);

/* A sysfs attribute of a PCI device, as a string (newline removed). */
int test_qemu_sysfs_str(const char *dev, const char *attr, char *buf, size_t size);

/* A sysfs attribute of a PCI device, as a number (decimal or 0x hex). */
int test_qemu_sysfs_uint(const char *dev, const char *attr, unsigned long *val);

/* Name of the kernel driver bound to a device ("" when none). */
int test_qemu_driver(const char *dev, char *buf, size_t size);

/* The kernel's VF i of the PF (its virtfn<i> link). */
int test_qemu_kernel_vf(unsigned int i, struct rte_pci_addr *addr);

/* Read config space through the kernel (sysfs config, not DPDK). */
int test_qemu_sysfs_config(const char *dev, uint32_t off, void *buf, uint32_t len);

/* Read a 1, 2 or 4 byte register with setpci. */
int test_qemu_setpci(const char *dev, uint32_t off, uint32_t width, uint32_t *val);

/* Size and flags of a device's resource (BAR) from its sysfs resource file. */
int test_qemu_resource(const char *dev, unsigned int bar, uint64_t *size, uint64_t *flags);

#endif /* _TEST_QEMU_COMMON_H_ */
