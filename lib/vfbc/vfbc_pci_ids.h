/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PCI_IDS_H_
#define _VFBC_PCI_IDS_H_

/**
 * @file
 * PCI identifiers of the vfbc device model.
 *
 * The emulated SR-IOV world (vfbc-world) presents a PF and its VFs with these
 * IDs by default, and net_vfbc_pf / net_vfbc_vf match them. They are taken
 * from the range of Red Hat's vendor ID (0x1b36) that QEMU uses for emulated
 * devices, at device IDs QEMU does not assign; a real device is added to the
 * drivers' tables (or with the extra_pf_pci_ids build option) explicitly, so
 * that vfbc never drives a device by surprise.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** Vendor ID of the vfbc device model. */
#define VFBC_PCI_VENDOR_ID		0x1b36
/** Device ID of a vfbc physical function. */
#define VFBC_PCI_PF_DEVICE_ID		0x10b0
/** Device ID of a vfbc virtual function (the PF's SR-IOV VF Device ID). */
#define VFBC_PCI_VF_DEVICE_ID		0x10b1

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_PCI_IDS_H_ */
