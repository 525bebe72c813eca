/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Configuration-space helpers of the PF driver: the capability finder and
 * what sysfs says about a function.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_pci.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf_caps.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_pci.h"

int
vfbc_pf_find_cap(struct rte_pci_device *dev, int ext, uint16_t cap_id)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	const struct vfbc_pf_cap *cap;
	struct vfbc_pf_caps caps;
	uint32_t size;

	/* Read once, walk the image with the policy's own walker. */
	size = vfbc_pf_cfg_size(dev);
	if (rte_pci_read_config(dev, cfg, size, 0) != (int)size)
		return -EIO;
	if (vfbc_pf_caps_walk(cfg, size, &caps) < 0)
		return -EIO;
	if (caps.flags & VFBC_PF_CAPS_F_LOOP)
		PF_INIT_LOG(ERR, "%s: its capability list loops", dev->name);
	if (caps.flags & VFBC_PF_CAPS_F_BAD_PTR)
		PF_INIT_LOG(ERR, "%s: a capability pointer points into the header (or an "
			    "extended one below 0x%x)", dev->name, VFBC_PCI_EXT_CAP_START);
	cap = vfbc_pf_caps_find(&caps, ext ? VFBC_PF_CAP_EXT : VFBC_PF_CAP_STD, cap_id);
	return cap != NULL ? cap->pos : 0;
}

uint32_t
vfbc_pf_cfg_size(const struct rte_pci_device *dev)
{
	uint32_t v;

	/* A config file without extended space ends at 256: the read is short. */
	if (rte_pci_read_config(dev, &v, sizeof(v), RTE_PCI_CFG_SPACE_SIZE) == (int)sizeof(v))
		return RTE_PCI_CFG_SPACE_EXP_SIZE;
	return RTE_PCI_CFG_SPACE_SIZE;
}

int
vfbc_pf_sysfs_path(char *path, size_t size, const struct rte_pci_addr *addr, const char *file)
{
	int n;

	n = snprintf(path, size, "%s/" PCI_PRI_FMT "/%s", rte_pci_get_sysfs_path(),
		     addr->domain, addr->bus, addr->devid, addr->function, file);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int
vfbc_pf_is_vf(const struct rte_pci_device *dev)
{
	char path[PATH_MAX];

	if (vfbc_pf_sysfs_path(path, sizeof(path), &dev->addr, "physfn") < 0)
		return 0;
	return access(path, F_OK) == 0;
}

enum rte_pci_kernel_driver
vfbc_pf_sysfs_kdrv(const struct rte_pci_addr *addr)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *name;
	ssize_t n;

	if (vfbc_pf_sysfs_path(path, sizeof(path), addr, "driver") < 0)
		return RTE_PCI_KDRV_UNKNOWN;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return RTE_PCI_KDRV_NONE;
	target[n] = '\0';
	name = strrchr(target, '/');
	name = name != NULL ? name + 1 : target;
	if (strcmp(name, "vfio-pci") == 0)
		return RTE_PCI_KDRV_VFIO;
	if (strcmp(name, "uio_pci_generic") == 0)
		return RTE_PCI_KDRV_UIO_GENERIC;
	if (strcmp(name, "igb_uio") == 0)
		return RTE_PCI_KDRV_IGB_UIO;
	return RTE_PCI_KDRV_UNKNOWN;
}
