/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on "the EAL allow list picks what EAL probes, not the
 * VFs the PF reaches" (fails on the code it was written against), under a
 * real kernel: QEMU's NVMe VFs on vfio-pci behind the emulated IOMMU, the
 * PF on uio_pci_generic, and this process the PF primary with the PF alone
 * in its allow list (-a PF), as a host whose VFs are for VMs runs it.
 *
 * The PF now opens every VF itself: for a VF on vfio-pci that is
 * rte_vfio_setup_device(), which opens the VF's IOMMU group and keeps it
 * for the life of the port. A VFIO group has one opener: the VM (QEMU's
 * vfio-pci device) or any other process given that VF afterwards finds it
 * busy (EBUSY) and cannot start. Before, "-a PF" left the VFs alone; now
 * only naming each VF with -b does.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_pci.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_qemu_common.h"

#define RED_VFS 2

/* /dev/vfio/<group> of a device, from its iommu_group link; 0 or -errno. */
static int
red_group_path(const char *dev, char *out, size_t size)
{
	char path[PATH_MAX], link[256];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(out, size, "/dev/vfio/%s", base != NULL ? base + 1 : link);
	return 0;
}

/* Can a VM's QEMU (any other opener) take the group now? 0 or -errno. */
static int
red_group_try(const char *group)
{
	int fd = open(group, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int
test_qemu_red8a_allow_list(void)
{
	char vf[RED_VFS][PCI_PRI_STR_SIZE], group[RED_VFS][PATH_MAX], args[64];
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr addr;
	int before[RED_VFS], after[RED_VFS], ret, bad = 0;
	unsigned int i;
	uint16_t port;

	ret = test_qemu_guest_check("uio_pci_generic", "vfio-pci", RED_VFS);
	if (ret != TEST_SUCCESS)
		return ret;
	for (i = 0; i < RED_VFS; i++) {
		TEST_ASSERT_SUCCESS(test_qemu_kernel_vf(i, &addr), "VF %u", i);
		rte_pci_device_name(&addr, vf[i], sizeof(vf[i]));
		TEST_ASSERT_SUCCESS(red_group_path(vf[i], group[i], sizeof(group[i])),
				    "VF %s: no IOMMU group", vf[i]);
		before[i] = red_group_try(group[i]);
		printf("VF %s: group %s, before the PF: %s\n", vf[i], group[i],
		       before[i] == 0 ? "free" : strerror(-before[i]));
		TEST_ASSERT_SUCCESS(before[i], "the group of VF %s is taken before the PF", vf[i]);
	}
	snprintf(args, sizeof(args), "-a %s", test_qemu_pf_name());
	ret = test_qemu_eal_start(&port, args);
	if (ret != TEST_SUCCESS)
		return ret;
	for (i = 0; i < RED_VFS; i++) {
		after[i] = red_group_try(group[i]);
		if (vfbc_pf_get_vf_info(port, i, &info) == 0)
			printf("VF %s (not in -a): PF state %s; its group %s: %s\n", vf[i],
			       vfbc_pf_vf_state_str(info.state), group[i],
			       after[i] == 0 ? "free" : strerror(-after[i]));
		if (after[i] != 0)
			bad++;
	}
	TEST_ASSERT_EQUAL(bad, 0, "%d VF(s) left out of -a have their VFIO group held by the "
			  "PF process: a VM given such a VF cannot open it", bad);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND_SUITE(qemu_red8a_allow_list_autotest, test_qemu_red8a_allow_list, "qemu");
