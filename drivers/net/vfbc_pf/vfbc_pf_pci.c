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

#include "vfbc_pf_log.h"
#include "vfbc_pf_pci.h"

/* Standard capabilities are at least 4 bytes apart after the header. */
#define PF_CAP_TTL ((RTE_PCI_CFG_SPACE_SIZE - VFBC_PCI_STD_HEADER_SIZEOF) / 4)

/* Walk the standard list of an image of the first 256 bytes. */
static int
pf_find_std_cap(const uint8_t *cfg, uint8_t cap_id)
{
	uint8_t seen[RTE_PCI_CFG_SPACE_SIZE / 4 / 8];
	uint16_t status;
	uint8_t pos;
	int ttl;

	status = (uint16_t)(cfg[VFBC_PCI_STATUS] | cfg[VFBC_PCI_STATUS + 1] << 8);
	if (!(status & VFBC_PCI_STATUS_CAP_LIST))
		return 0;
	pos = cfg[VFBC_PCI_CAPABILITY_LIST];
	memset(seen, 0, sizeof(seen));
	for (ttl = PF_CAP_TTL; ttl > 0; ttl--) {
		pos &= ~3;
		if (pos < VFBC_PCI_STD_HEADER_SIZEOF)
			return 0;
		if (seen[pos / 32] & (1u << ((pos / 4) % 8)))
			return 0;
		seen[pos / 32] |= 1u << ((pos / 4) % 8);
		if (cfg[pos] == 0xff)
			return 0;
		if (cfg[pos] == cap_id)
			return pos;
		pos = cfg[pos + 1];
	}
	return 0;
}

/* Extended capabilities are at least 8 bytes apart: bound the walk. */
#define PF_EXT_CAP_TTL ((RTE_PCI_CFG_SPACE_EXP_SIZE - RTE_PCI_CFG_SPACE_SIZE) / 8)

/*
 * The extended list, with what a malformed one looks like said in the log.
 * (rte_pci_find_ext_capability() finds as well, but says nothing of a loop
 * or a bad pointer, and does not check its first read.)
 */
static int
pf_find_ext_cap(const struct rte_pci_device *dev, uint16_t cap_id)
{
	uint8_t seen[RTE_PCI_CFG_SPACE_EXP_SIZE / 4 / 8];
	uint32_t pos = VFBC_PCI_EXT_CAP_START;
	uint32_t header;
	int ttl;

	memset(seen, 0, sizeof(seen));
	for (ttl = PF_EXT_CAP_TTL; ttl > 0; ttl--) {
		if (seen[pos / 32] & (1u << ((pos / 4) % 8))) {
			PF_INIT_LOG(ERR, "%s: extended capability list loops at 0x%x",
				    dev->name, pos);
			return 0;
		}
		seen[pos / 32] |= 1u << ((pos / 4) % 8);
		if (vfbc_pf_cfg_read32(dev, pos, &header) < 0)
			/* No extended config space at all: no extended caps. */
			return pos == VFBC_PCI_EXT_CAP_START ? 0 : -EIO;
		if (header == 0 || header == UINT32_MAX)
			return 0;
		if (RTE_PCI_EXT_CAP_ID(header) == cap_id)
			return pos;
		/* RTE_PCI_EXT_CAP_NEXT() keeps the pointer dword aligned. */
		pos = RTE_PCI_EXT_CAP_NEXT(header);
		if (pos == 0)
			return 0;
		if (pos < VFBC_PCI_EXT_CAP_START) {
			PF_INIT_LOG(ERR, "%s: extended capability pointer 0x%x below 0x%x",
				    dev->name, pos, VFBC_PCI_EXT_CAP_START);
			return 0;
		}
	}
	PF_INIT_LOG(ERR, "%s: extended capability list too long", dev->name);
	return 0;
}

int
vfbc_pf_find_cap(struct rte_pci_device *dev, int ext, uint16_t cap_id)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];

	if (ext)
		return pf_find_ext_cap(dev, cap_id);
	/* Standard ones: read the header and the list once, walk the image. */
	if (rte_pci_read_config(dev, cfg, sizeof(cfg), 0) != (int)sizeof(cfg))
		return -EIO;
	return pf_find_std_cap(cfg, (uint8_t)cap_id);
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
