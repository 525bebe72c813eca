/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_PCI_H_
#define _VFBC_PF_PCI_H_

/*
 * Configuration-space access of the PF driver: little-endian register
 * accessors through the EAL PCI layer, the one capability finder, and the
 * sysfs facts the driver reads about a function.
 */

#include <stdint.h>

#include <bus_pci_driver.h>
#include <rte_byteorder.h>

/* Little-endian register accessors: 0, or -EIO if the access was not whole. */
static inline int
vfbc_pf_cfg_read16(const struct rte_pci_device *dev, uint32_t off, uint16_t *val)
{
	uint16_t v;

	if (rte_pci_read_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	*val = rte_le_to_cpu_16(v);
	return 0;
}

static inline int
vfbc_pf_cfg_read32(const struct rte_pci_device *dev, uint32_t off, uint32_t *val)
{
	uint32_t v;

	if (rte_pci_read_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	*val = rte_le_to_cpu_32(v);
	return 0;
}

static inline int
vfbc_pf_cfg_write16(const struct rte_pci_device *dev, uint32_t off, uint16_t val)
{
	uint16_t v = rte_cpu_to_le_16(val);

	if (rte_pci_write_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	return 0;
}

static inline int
vfbc_pf_cfg_write32(const struct rte_pci_device *dev, uint32_t off, uint32_t val)
{
	uint32_t v = rte_cpu_to_le_32(val);

	if (rte_pci_write_config(dev, &v, sizeof(v), off) != (int)sizeof(v))
		return -EIO;
	return 0;
}

/*
 * Offset of capability cap_id in a function's configuration space: a
 * standard one (ext 0) or an extended one (ext 1). 0 when absent (or the
 * list is malformed: logged), -EIO when config space cannot be read.
 */
int vfbc_pf_find_cap(struct rte_pci_device *dev, int ext, uint16_t cap_id);

/* Bytes of config space the function has: 4096, or 256 (no extended space). */
uint32_t vfbc_pf_cfg_size(const struct rte_pci_device *dev);

/* Linux gives a VF, and only a VF, a physfn link to its PF. */
int vfbc_pf_is_vf(const struct rte_pci_device *dev);

/* "<sysfs>/<addr>/<file>" into path; 0 or -ENAMETOOLONG. */
int vfbc_pf_sysfs_path(char *path, size_t size, const struct rte_pci_addr *addr,
		       const char *file);

/* The kernel driver the function is bound to, as EAL names them. */
enum rte_pci_kernel_driver vfbc_pf_sysfs_kdrv(const struct rte_pci_addr *addr);

#endif /* _VFBC_PF_PCI_H_ */
