/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PCI_REGS_H_
#define _VFBC_PCI_REGS_H_

/**
 * @file
 * PCI and PCIe configuration-space registers used by vfbc that DPDK's
 * rte_pci.h does not define (offsets and fields from the PCI Local Bus 3.0,
 * PCI Express Base and SR-IOV 1.1 specifications).
 *
 * Both the emulated world and the drivers use these, so the two sides of the
 * emulation agree on one description of the hardware.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* Type 0 header. */
#define VFBC_PCI_STATUS			0x06	/**< Status (16 bits). */
#define VFBC_PCI_STATUS_CAP_LIST	0x0010	/**< Capability list present. */
#define VFBC_PCI_REVISION_ID		0x08	/**< Revision ID (8 bits). */
#define VFBC_PCI_CLASS_PROG		0x09	/**< Class code, 3 bytes at 0x09. */
#define VFBC_PCI_HEADER_TYPE		0x0e	/**< Header type (8 bits). */
#define VFBC_PCI_BASE_ADDRESS_0		0x10	/**< BAR0; BAR n at 0x10 + 4 * n. */
#define VFBC_PCI_NUM_BARS		6	/**< BARs in a type 0 header. */
#define VFBC_PCI_SUBSYSTEM_VENDOR_ID	0x2c	/**< Subsystem vendor ID. */
#define VFBC_PCI_SUBSYSTEM_ID		0x2e	/**< Subsystem ID. */
#define VFBC_PCI_ROM_ADDRESS		0x30	/**< Expansion ROM base address. */
#define VFBC_PCI_CAPABILITY_LIST	0x34	/**< First capability pointer (8 bits). */
#define VFBC_PCI_INTERRUPT_LINE		0x3c	/**< Interrupt line (8 bits). */
#define VFBC_PCI_INTERRUPT_PIN		0x3d	/**< Interrupt pin (8 bits). */

#define VFBC_PCI_BAR_SPACE_IO		0x01	/**< BAR bit 0: I/O space. */
#define VFBC_PCI_BAR_MEM_TYPE_64	0x04	/**< BAR bits 2:1 = 10b: 64-bit memory. */
#define VFBC_PCI_BAR_MEM_PREFETCH	0x08	/**< BAR bit 3: prefetchable. */
#define VFBC_PCI_BAR_MEM_MASK		(~0x0fu) /**< Address bits of a memory BAR. */

/* Standard capabilities: [id:8][next:8] at the capability's offset. */
#define VFBC_PCI_CAP_ID_PM		0x01	/**< Power management. */
#define VFBC_PCI_CAP_ID_MSI		0x05	/**< MSI. */
#define VFBC_PCI_CAP_ID_VNDR		0x09	/**< Vendor specific. */
#define VFBC_PCI_CAP_ID_EXP		0x10	/**< PCI Express. */
#define VFBC_PCI_CAP_ID_MSIX		0x11	/**< MSI-X. */

/* Power management capability. */
#define VFBC_PCI_PM_PMC			0x02	/**< PM capabilities (16 bits). */
#define VFBC_PCI_PM_CTRL		0x04	/**< PM control/status (16 bits). */
#define VFBC_PCI_PM_CTRL_STATE_MASK	0x0003	/**< Power state D0..D3hot. */
#define VFBC_PCI_PM_CTRL_PME_ENABLE	0x0100	/**< PME enable. */

/* PCI Express capability. */
#define VFBC_PCI_EXP_FLAGS		0x02	/**< Capability version, type (16 bits). */
#define VFBC_PCI_EXP_FLAGS_TYPE_ENDPOINT 0x0000	/**< Device/port type: endpoint. */
#define VFBC_PCI_EXP_DEVCAP		0x04	/**< Device capabilities (32 bits). */
#define VFBC_PCI_EXP_DEVCAP_FLR		0x10000000 /**< Function-level reset capable. */
#define VFBC_PCI_EXP_DEVCTL		0x08	/**< Device control (16 bits). */
#define VFBC_PCI_EXP_DEVCTL_BCR_FLR	0x8000	/**< Initiate function-level reset. */
#define VFBC_PCI_EXP_DEVSTA		0x0a	/**< Device status (16 bits). */
#define VFBC_PCI_EXP_DEVSTA_TRPND	0x0020	/**< Transactions pending. */
#define VFBC_PCI_EXP_CAP_SIZEOF		0x3c	/**< Size of a v2 PCIe capability. */

/* Extended capabilities start at 0x100: [id:16][version:4][next:12]. */
#define VFBC_PCI_EXT_CAP_START		0x100	/**< First extended capability. */
#define VFBC_PCI_EXT_CAP_VER(header)	(((header) >> 16) & 0xf) /**< Version. */

/* SR-IOV extended capability (offsets from rte_pci.h, plus these). */
#define VFBC_PCI_SRIOV_CTRL_VFE		0x0001	/**< VF Enable. */
#define VFBC_PCI_SRIOV_CTRL_MSE		0x0008	/**< VF Memory Space Enable. */
#define VFBC_PCI_SRIOV_CTRL_ARI		0x0010	/**< ARI Capable Hierarchy. */
#define VFBC_PCI_SRIOV_STATUS		0x0a	/**< SR-IOV status (16 bits). */
#define VFBC_PCI_SRIOV_SYS_PGSIZE	0x20	/**< System page size (32 bits). */
#define VFBC_PCI_SRIOV_BAR		0x24	/**< VF BAR0; VF BAR n at 0x24 + 4 * n. */
#define VFBC_PCI_SRIOV_VF_MIGRATION	0x3c	/**< VF migration state array offset. */
#define VFBC_PCI_SRIOV_SIZEOF		0x40	/**< Size of the SR-IOV capability. */

/* Added for net_vfbc_pf. */
#define VFBC_PCI_CAP_LIST_ID		0x00	/**< Capability ID (8 bits). */
#define VFBC_PCI_CAP_LIST_NEXT		0x01	/**< Next capability pointer (8 bits). */
#define VFBC_PCI_STD_HEADER_SIZEOF	0x40	/**< Capabilities start after the header. */
#define VFBC_PCI_PM_PMC_D1		0x0200	/**< PMC: D1 supported. */
#define VFBC_PCI_PM_PMC_D2		0x0400	/**< PMC: D2 supported. */
#define VFBC_PCI_PM_PMC_PME_SHIFT	11	/**< PMC: PME support bit of D0; Dn at + n. */
#define VFBC_PCI_PM_CTRL_PME_STATUS	0x8000	/**< PMCSR: PME status (write 1 clears). */
#define VFBC_PCI_SRIOV_BAR_SIZEOF	4	/**< Size of one VF BAR register. */

/* Added for the QEMU world tests. */
#define VFBC_PCI_CLASS_REVISION		0x08	/**< Revision ID and class code (32 bits). */
#define VFBC_PCI_CACHE_LINE_SIZE	0x0c	/**< Cache line size (8 bits, read-write). */

/* Added for the PF mailbox's config-space permission policy. */
#define VFBC_PCI_COMMAND_IO		0x0001	/**< Command: I/O space enable. */
#define VFBC_PCI_COMMAND_MEMORY		0x0002	/**< Command: memory space enable. */
#define VFBC_PCI_COMMAND_PARITY		0x0040	/**< Command: parity error response. */
#define VFBC_PCI_COMMAND_SERR		0x0100	/**< Command: SERR# enable. */
#define VFBC_PCI_COMMAND_INTX_DISABLE	0x0400	/**< Command: INTx emulation disable. */
#define VFBC_PCI_LATENCY_TIMER		0x0d	/**< Latency timer (8 bits). */
#define VFBC_PCI_BIST			0x0f	/**< Built-in self test (8 bits). */
#define VFBC_PCI_CARDBUS_CIS		0x28	/**< CardBus CIS pointer (32 bits). */
#define VFBC_PCI_MIN_GNT		0x3e	/**< Min_Gnt and Max_Lat (8 bits each). */
#define VFBC_PCI_CAP_ID_AF		0x13	/**< Advanced features (AF FLR). */
#define VFBC_PCI_PM_PMCSR_BSE		0x06	/**< PMCSR bridge extensions (8 bits). */
#define VFBC_PCI_PM_SIZEOF		0x08	/**< Size of the PM capability. */
#define VFBC_PCI_MSI_FLAGS		0x02	/**< MSI message control (16 bits). */
#define VFBC_PCI_MSI_FLAGS_64BIT	0x0080	/**< MSI: 64-bit addresses. */
#define VFBC_PCI_MSI_FLAGS_MASKBIT	0x0100	/**< MSI: per-vector masking. */
#define VFBC_PCI_MSIX_SIZEOF		0x0c	/**< Size of the MSI-X capability. */
#define VFBC_PCI_VNDR_LEN		0x02	/**< Vendor capability: length (8 bits). */
#define VFBC_PCI_AF_CTRL		0x04	/**< AF control (8 bits). */
#define VFBC_PCI_AF_CTRL_FLR		0x01	/**< AF: initiate function-level reset. */
#define VFBC_PCI_AF_SIZEOF		0x06	/**< Size of the AF capability. */
#define VFBC_PCI_EXP_FLAGS_VERS		0x000f	/**< PCIe capability version. */
#define VFBC_PCI_EXP_DEVCTL_PAYLOAD	0x00e0	/**< DEVCTL: max payload size. */
#define VFBC_PCI_EXP_DEVCTL_PHANTOM	0x0200	/**< DEVCTL: phantom functions enable. */
#define VFBC_PCI_EXP_LNKCAP		0x0c	/**< Link capabilities (32 bits). */
#define VFBC_PCI_EXP_DEVCAP2		0x24	/**< Device capabilities 2 (32 bits). */
#define VFBC_PCI_EXP_DEVCTL2		0x28	/**< Device control 2 (16 bits). */
#define VFBC_PCI_EXP_DEVCTL2_COMP_TIMEOUT 0x001f /**< DEVCTL2: completion timeout. */
#define VFBC_PCI_EXP_CAP_V1_SIZEOF	0x24	/**< Size of a v1 PCIe capability (endpoint). */
#define VFBC_PCI_EXT_CAP_ID_VNDR	0x0b	/**< Vendor-specific extended capability. */
#define VFBC_PCI_EXT_CAP_HDR_SIZEOF	4	/**< Extended capability header. */
#define VFBC_PCI_VSEC_HDR		0x04	/**< VSEC header: id, rev, length (32 bits). */
#define VFBC_PCI_VSEC_LEN(hdr)		(((hdr) >> 20) & 0xfff) /**< VSEC length. */
#define VFBC_PCI_ERR_UNCOR_MASK		0x08	/**< AER: uncorrectable error mask. */
#define VFBC_PCI_ERR_COR_MASK		0x14	/**< AER: correctable error mask. */
#define VFBC_PCI_ERR_SIZEOF		0x38	/**< Size of the AER capability (v1). */

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_PCI_REGS_H_ */
