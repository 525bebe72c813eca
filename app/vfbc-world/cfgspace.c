/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Power-on config space of the PF and of a VF, laid out as the PCI Local
 * Bus 3.0, PCI Express Base and SR-IOV 1.1 specifications describe them.
 * Multi-byte registers are little endian whatever the host is.
 */

#include <string.h>

#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "world.h"

#define VFBC_WORLD_CLASS_ETHERNET	0x020000	/* Network, Ethernet, no prog-if. */
#define VFBC_WORLD_REVISION		0x01
#define VFBC_WORLD_PM_PMC		0x0003	/* PM spec version 1.2. */
#define VFBC_WORLD_PM_CTRL		0x0008	/* D0, No_Soft_Reset. */
#define VFBC_WORLD_EXP_FLAGS		(0x0002 | VFBC_PCI_EXP_FLAGS_TYPE_ENDPOINT)
/* Max payload 256 bytes, role-based error reporting, FLR. */
#define VFBC_WORLD_EXP_DEVCAP		(0x00000001 | 0x00008000 | VFBC_PCI_EXP_DEVCAP_FLR)
/* Relaxed ordering, no snoop, max read request 512 bytes. */
#define VFBC_WORLD_EXP_DEVCTL		0x2810
#define VFBC_WORLD_EXP_LNKCAP		0x0c	/* Link capabilities (32 bits). */
#define VFBC_WORLD_EXP_LNKSTA		0x12	/* Link status (16 bits). */
#define VFBC_WORLD_EXP_LINK_X1_GEN1	0x0011	/* 2.5 GT/s, x1. */
#define VFBC_WORLD_SRIOV_VERSION	1
#define VFBC_WORLD_SRIOV_PGSIZES	0x553	/* 4K, 8K, 64K, 256K, 1M, 4M. */
#define VFBC_WORLD_SRIOV_PGSIZE_4K	0x1
#define VFBC_WORLD_CMD_MEMORY		0x0002	/* Memory Space Enable. */

static void
vfbc_world_put16(uint8_t *cfg, unsigned int off, uint16_t v)
{
	cfg[off] = v & 0xff;
	cfg[off + 1] = v >> 8;
}

static void
vfbc_world_put32(uint8_t *cfg, unsigned int off, uint32_t v)
{
	vfbc_world_put16(cfg, off, v & 0xffff);
	vfbc_world_put16(cfg, off + 2, v >> 16);
}

/* Type 0 header, PM and PCIe capabilities: what a PF and a VF share. */
static void
vfbc_world_common_config(uint8_t *cfg, uint16_t vendor, uint16_t device,
		uint16_t subsys_device)
{
	memset(cfg, 0, RTE_PCI_CFG_SPACE_EXP_SIZE);
	vfbc_world_put16(cfg, RTE_PCI_VENDOR_ID, vendor);
	vfbc_world_put16(cfg, RTE_PCI_DEVICE_ID, device);
	vfbc_world_put16(cfg, VFBC_PCI_STATUS, VFBC_PCI_STATUS_CAP_LIST);
	cfg[VFBC_PCI_REVISION_ID] = VFBC_WORLD_REVISION;
	cfg[VFBC_PCI_CLASS_PROG] = VFBC_WORLD_CLASS_ETHERNET & 0xff;
	cfg[VFBC_PCI_CLASS_PROG + 1] = (VFBC_WORLD_CLASS_ETHERNET >> 8) & 0xff;
	cfg[VFBC_PCI_CLASS_PROG + 2] = VFBC_WORLD_CLASS_ETHERNET >> 16;
	cfg[VFBC_PCI_HEADER_TYPE] = 0;
	cfg[VFBC_PCI_CAPABILITY_LIST] = VFBC_WORLD_CAP_PM;
	vfbc_world_put16(cfg, VFBC_PCI_SUBSYSTEM_ID, subsys_device);

	cfg[VFBC_WORLD_CAP_PM] = VFBC_PCI_CAP_ID_PM;
	cfg[VFBC_WORLD_CAP_PM + 1] = VFBC_WORLD_CAP_EXP;
	vfbc_world_put16(cfg, VFBC_WORLD_CAP_PM + VFBC_PCI_PM_PMC, VFBC_WORLD_PM_PMC);
	vfbc_world_put16(cfg, VFBC_WORLD_CAP_PM + VFBC_PCI_PM_CTRL, VFBC_WORLD_PM_CTRL);

	cfg[VFBC_WORLD_CAP_EXP] = VFBC_PCI_CAP_ID_EXP;
	cfg[VFBC_WORLD_CAP_EXP + 1] = 0;
	vfbc_world_put16(cfg, VFBC_WORLD_CAP_EXP + VFBC_PCI_EXP_FLAGS, VFBC_WORLD_EXP_FLAGS);
	vfbc_world_put32(cfg, VFBC_WORLD_CAP_EXP + VFBC_PCI_EXP_DEVCAP, VFBC_WORLD_EXP_DEVCAP);
	vfbc_world_put16(cfg, VFBC_WORLD_CAP_EXP + VFBC_PCI_EXP_DEVCTL, VFBC_WORLD_EXP_DEVCTL);
	vfbc_world_put32(cfg, VFBC_WORLD_CAP_EXP + VFBC_WORLD_EXP_LNKCAP,
		VFBC_WORLD_EXP_LINK_X1_GEN1);
	vfbc_world_put16(cfg, VFBC_WORLD_CAP_EXP + VFBC_WORLD_EXP_LNKSTA,
		VFBC_WORLD_EXP_LINK_X1_GEN1);
}

void
vfbc_world_sriov_set_num_vfs(uint8_t *cfg, uint16_t num_vfs)
{
	uint16_t ctrl;
	unsigned int off;

	off = VFBC_WORLD_CAP_SRIOV + RTE_PCI_SRIOV_CTRL;
	ctrl = cfg[off] | cfg[off + 1] << 8;
	if (num_vfs > 0)
		ctrl |= VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE;
	else
		ctrl &= ~(VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE);
	vfbc_world_put16(cfg, off, ctrl);
	vfbc_world_put16(cfg, VFBC_WORLD_CAP_SRIOV + RTE_PCI_SRIOV_NUM_VF, num_vfs);
}

void
vfbc_world_pf_config(const struct vfbc_world_topo *topo, unsigned int pf, uint16_t num_vfs,
		uint8_t cfg[4096])
{
	uint64_t vf_bar = vfbc_world_vf_bar(topo, pf, 0);
	uint64_t bar = vfbc_world_pf_bar(topo, pf);
	unsigned int sriov;

	vfbc_world_common_config(cfg, topo->vendor_id, topo->pf_device_id,
		topo->pf_device_id);
	/* uio_pci_generic's probe enables the device: memory decoding is on. */
	vfbc_world_put16(cfg, RTE_PCI_COMMAND, VFBC_WORLD_CMD_MEMORY);
	vfbc_world_put32(cfg, VFBC_PCI_BASE_ADDRESS_0,
		(bar & VFBC_PCI_BAR_MEM_MASK) | VFBC_PCI_BAR_MEM_TYPE_64);
	vfbc_world_put32(cfg, VFBC_PCI_BASE_ADDRESS_0 + 4, bar >> 32);
	vfbc_world_put16(cfg, VFBC_PCI_SUBSYSTEM_VENDOR_ID, topo->vendor_id);
	cfg[VFBC_PCI_INTERRUPT_LINE] = 0xff;
	cfg[VFBC_PCI_INTERRUPT_PIN] = 1;

	sriov = VFBC_WORLD_CAP_SRIOV;
	vfbc_world_put32(cfg, sriov, RTE_PCI_EXT_CAP_ID_SRIOV |
		VFBC_WORLD_SRIOV_VERSION << 16 | 0 << 20);
	vfbc_world_put16(cfg, sriov + RTE_PCI_SRIOV_INITIAL_VF, topo->total_vfs);
	vfbc_world_put16(cfg, sriov + RTE_PCI_SRIOV_TOTAL_VF, topo->total_vfs);
	/* No dependency on another PF: the link names the PF's own function. */
	cfg[sriov + RTE_PCI_SRIOV_FUNC_LINK] = topo->pf_rid[pf] & 0xff;
	vfbc_world_put16(cfg, sriov + RTE_PCI_SRIOV_VF_OFFSET, topo->vf_offset);
	vfbc_world_put16(cfg, sriov + RTE_PCI_SRIOV_VF_STRIDE, topo->vf_stride);
	vfbc_world_put16(cfg, sriov + RTE_PCI_SRIOV_VF_DID, topo->vf_device_id);
	vfbc_world_put32(cfg, sriov + RTE_PCI_SRIOV_SUP_PGSIZE, VFBC_WORLD_SRIOV_PGSIZES);
	vfbc_world_put32(cfg, sriov + VFBC_PCI_SRIOV_SYS_PGSIZE, VFBC_WORLD_SRIOV_PGSIZE_4K);
	vfbc_world_put32(cfg, sriov + VFBC_PCI_SRIOV_BAR,
		(vf_bar & VFBC_PCI_BAR_MEM_MASK) | VFBC_PCI_BAR_MEM_TYPE_64 |
		VFBC_PCI_BAR_MEM_PREFETCH);
	vfbc_world_put32(cfg, sriov + VFBC_PCI_SRIOV_BAR + 4, vf_bar >> 32);
	/* Routing IDs beyond one device's eight functions need ARI. */
	vfbc_world_put16(cfg, sriov + RTE_PCI_SRIOV_CTRL, VFBC_PCI_SRIOV_CTRL_ARI);
	vfbc_world_sriov_set_num_vfs(cfg, num_vfs);
}

void
vfbc_world_vf_config(const struct vfbc_world_topo *topo, uint8_t cfg[4096])
{
	/*
	 * A VF's Vendor and Device ID read all ones (SR-IOV 1.1, 3.4.1.1-2);
	 * its BARs read zero (they live in the PF's SR-IOV capability) and it
	 * has no INTx. The Subsystem IDs are real.
	 */
	vfbc_world_common_config(cfg, 0xffff, 0xffff, topo->vf_device_id);
	vfbc_world_put16(cfg, VFBC_PCI_SUBSYSTEM_VENDOR_ID, topo->vendor_id);
}
