/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PMD_PF_H_
#define _VFBC_PMD_PF_H_

/**
 * @file
 * net_vfbc_pf: the SR-IOV physical function API of vfbc.
 *
 * The PF poll mode driver drives an SR-IOV physical function through the EAL
 * PCI layer. It finds the PF's virtual functions from the PF's SR-IOV extended
 * capability (First VF Offset, VF Stride), makes sure this process can reach
 * their configuration space (maps them with rte_pci_map_device() when nobody
 * did), and offers the Windows NDIS 6.30 PF services on top of that:
 *
 * | NDIS (PF miniport)                       | vfbc                                 |
 * |------------------------------------------|--------------------------------------|
 * | NdisMSetVirtualFunctionBusData           | vfbc_pf_set_vf_bus_data()            |
 * |                                          | (errno flavour: vfbc_pf_write_vf_config()) |
 * | NdisMGetVirtualFunctionBusData           | vfbc_pf_get_vf_bus_data()            |
 * |                                          | (errno flavour: vfbc_pf_read_vf_config()) |
 * | NdisMEnableVirtualization                | vfbc_pf_enable_virtualization()      |
 * | NdisMGetVirtualFunctionLocation          | vfbc_pf_get_vf_location()            |
 * | NdisMQueryProbedBars / OID_SRIOV_PROBED_BARS | vfbc_pf_query_probed_bars()      |
 * | OID_SRIOV_VF_VENDOR_DEVICE_ID            | vfbc_pf_get_vf_ids()                 |
 * | OID_SRIOV_RESET_VF                       | vfbc_pf_reset_vf()                   |
 * | OID_SRIOV_SET_VF_POWER_STATE             | vfbc_pf_set_vf_power_state()         |
 * | NdisMInvalidateConfigBlock               | vfbc_pf_invalidate_config_blocks()   |
 * | OID_SRIOV_READ_VF_CONFIG_BLOCK (PF store) | vfbc_pf_read_config_block()         |
 * | (PF publishes block data)                | vfbc_pf_write_config_block()         |
 * | OID_SRIOV_WRITE_VF_CONFIG_BLOCK          | RTE_ETH_EVENT_VF_MBOX + mailbox poll |
 * | OID_SRIOV_READ/WRITE_VF_CONFIG_SPACE     | RTE_ETH_EVENT_VF_MBOX + mailbox poll |
 *
 * plus introspection: vfbc_pf_get_sriov_info(), vfbc_pf_get_vf_info(),
 * vfbc_pf_vf_count() and vfbc_pf_vf_state_str().
 *
 * The port id is the ethdev port of the PF (its name is the PF's PCI name).
 * A VF is named by its index vf_id, 0 .. NumVFs - 1, as NDIS's VFId.
 *
 * Rules common to every function:
 * - They act only in the primary process, which owns every PCI device; from a
 *   secondary process they return -E_RTE_SECONDARY and touch nothing.
 * - Bad input changes nothing: every argument is checked before any access.
 * - They may be called from several lcores at once. Configuration-space
 *   accesses run concurrently; vfbc_pf_enable_virtualization() excludes them
 *   while it changes the set of VFs. They may block (they use system calls),
 *   so they are control-path functions, not datapath ones.
 * - On Linux a successful write only says the kernel accepted the bytes:
 *   vfio-pci silently drops writes to the fields it virtualizes and still
 *   reports success (see the driver guide, "Limitations").
 *
 * Error vocabulary:
 * - -ENODEV: the port id is invalid or not a net_vfbc_pf port.
 * - -E_RTE_SECONDARY: called from a secondary process.
 * - -EINVAL: bad argument (VF id out of range, NULL buffer, length 0, range
 *   beyond the VF's configuration space, bad power state, ...).
 * - -ENXIO: virtualization is off, or the VF is missing from the EAL PCI bus
 *   or its configuration space cannot be reached by this process.
 * - -EIO: the EAL configuration-space access failed.
 * - -ERANGE, -EBUSY: vfbc_pf_enable_virtualization() rule violations.
 * - -ENOTSUP: the device lacks the needed capability (e.g. no FLR).
 */

#include <errno.h>
#include <stdint.h>

#include <rte_pci.h>
#include <rte_errno.h>

#include <vfbc_compat.h>
#include <vfbc_channel.h>
#include <vfbc_channel_defs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of BARs of a type 0 function, and of VF BARs in the SR-IOV capability. */
#define VFBC_PF_NUM_BARS 6

/** PCI power state D0 (PMCSR PowerState encoding). */
#define VFBC_PF_D0 0
/** PCI power state D1. */
#define VFBC_PF_D1 1
/** PCI power state D2. */
#define VFBC_PF_D2 2
/** PCI power state D3hot. */
#define VFBC_PF_D3HOT 3

/**
 * The PF's SR-IOV extended capability, as read from its configuration space
 * when vfbc_pf_get_sriov_info() is called.
 */
struct vfbc_pf_sriov_info {
	uint16_t cap_offset;	/**< Offset of the SR-IOV capability in the PF. */
	uint16_t total_vfs;	/**< TotalVFs. */
	uint16_t initial_vfs;	/**< InitialVFs. */
	uint16_t num_vfs;	/**< NumVFs register. */
	uint16_t vf_offset;	/**< First VF Offset. */
	uint16_t vf_stride;	/**< VF Stride. */
	uint16_t vf_device_id;	/**< VF Device ID. */
	uint16_t ctrl;		/**< SR-IOV Control (VF Enable, VF MSE, ...). */
	uint32_t supported_page_sizes; /**< Supported Page Sizes. */
	uint32_t system_page_size; /**< System Page Size. */
	uint32_t cap;		/**< SR-IOV Capabilities register. */
	uint16_t status;	/**< SR-IOV Status. */
	uint16_t func_link;	/**< Function Dependency Link (8 bits). */
	uint32_t vf_bar[VFBC_PF_NUM_BARS]; /**< The VF BAR registers (VF BAR0..5). */
	struct rte_pci_addr pf_addr; /**< PCI address of the PF. */
	uint16_t pf_vendor_id;	/**< Vendor ID of the PF (the VFs' virtualized vendor). */
	uint16_t max_vfs;	/**< VFs the driver manages at most (devarg max_vfs). */
};

/**
 * State of a VF as seen by the PF driver.
 */
enum vfbc_pf_vf_state {
	/** Present on the EAL PCI bus and its configuration space is reachable. */
	VFBC_PF_VF_READY = 0,
	/** Not on the EAL PCI bus (not found by the scan). */
	VFBC_PF_VF_MISSING,
	/** On the bus but this process cannot reach its configuration space. */
	VFBC_PF_VF_UNMAPPED,
	/** Beyond NumVFs, or VF Enable is clear: the function does not exist. */
	VFBC_PF_VF_DISABLED,
	/** Excluded by the user (EAL block list, or not in the allow list without map_vfs=all). */
	VFBC_PF_VF_BLOCKED,
	/** Its routing ID cannot exist (beyond bus 255): inconsistent capability. */
	VFBC_PF_VF_UNROUTABLE,
};

/**
 * What the PF driver knows about one VF.
 */
struct vfbc_pf_vf_info {
	uint16_t vf_id;		/**< VF index (0 .. TotalVFs - 1). */
	uint16_t vendor_id;	/**< Virtualized vendor ID (the PF's). */
	uint16_t device_id;	/**< Virtualized device ID (SR-IOV VF Device ID). */
	uint16_t rid;		/**< Routing ID: bus << 8 | devfn (0 if unroutable). */
	uint32_t state;		/**< enum vfbc_pf_vf_state. */
	struct rte_pci_addr addr; /**< PCI address (routing ID in the PF's domain). */
	uint32_t cfg_size;	/**< 4096, or 256 without extended config space; 0 if unknown. */
	uint32_t mapped_by_pf;	/**< 1 if the PF driver opened the VF's config space itself. */
};

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read the PF's SR-IOV capability.
 *
 * @param port_id
 *   Port of the PF.
 * @param info
 *   Filled with the capability's registers.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if info is NULL.
 *   - (-EIO) if reading the PF's configuration space failed.
 */
__vfbc_experimental
int
vfbc_pf_get_sriov_info(uint16_t port_id, struct vfbc_pf_sriov_info *info);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Number of enabled VFs.
 *
 * @param port_id
 *   Port of the PF.
 * @return
 *   - NumVFs (>= 0) on success: 0 when virtualization is off (VF Enable clear).
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 */
__vfbc_experimental
int
vfbc_pf_vf_count(uint16_t port_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Describe one VF: location, virtualized IDs, state, configuration size.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below TotalVFs (VFs beyond NumVFs are reported
 *   VFBC_PF_VF_DISABLED).
 * @param info
 *   Filled with the VF's description.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if info is NULL or vf_id >= TotalVFs.
 */
__vfbc_experimental
int
vfbc_pf_get_vf_info(uint16_t port_id, uint16_t vf_id, struct vfbc_pf_vf_info *info);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Name of a VF state.
 *
 * @param state
 *   A value of enum vfbc_pf_vf_state.
 * @return
 *   - A static string such as "ready", "missing", "unmapped", "disabled".
 *   - "unknown" for a value outside the enumeration.
 */
__vfbc_experimental
const char *
vfbc_pf_vf_state_str(uint32_t state);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Write bytes of a VF's PCI configuration space through the EAL PCI layer
 * (rte_pci_write_config() on the VF's device), in one access.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param buf
 *   The bytes to write.
 * @param offset
 *   Offset in the VF's configuration space.
 * @param length
 *   Number of bytes; offset + length must not exceed the VF's configuration
 *   space size (4096, or 256 without extended configuration space).
 * @return
 *   - The number of bytes written (> 0) on success; a short write returns
 *     the short count.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if buf is NULL, length is 0, vf_id >= NumVFs or the range
 *     exceeds the VF's configuration space.
 *   - (-ENXIO) if virtualization is off, or the VF is missing or unmapped.
 *   - (-EIO) if the EAL access failed or wrote nothing.
 */
__vfbc_experimental
int
vfbc_pf_write_vf_config(uint16_t port_id, uint16_t vf_id, const void *buf,
			uint32_t offset, uint32_t length);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read bytes of a VF's PCI configuration space through the EAL PCI layer
 * (rte_pci_read_config() on the VF's device), in one access.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param buf
 *   Receives the bytes; at least length bytes long.
 * @param offset
 *   Offset in the VF's configuration space.
 * @param length
 *   Number of bytes; offset + length must not exceed the VF's configuration
 *   space size.
 * @return
 *   - The number of bytes read (> 0) on success; a short read returns the
 *     short count.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if buf is NULL, length is 0, vf_id >= NumVFs or the range
 *     exceeds the VF's configuration space.
 *   - (-ENXIO) if virtualization is off, or the VF is missing or unmapped.
 *   - (-EIO) if the EAL access failed or read nothing.
 */
__vfbc_experimental
int
vfbc_pf_read_vf_config(uint16_t port_id, uint16_t vf_id, void *buf,
		       uint32_t offset, uint32_t length);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * NdisMSetVirtualFunctionBusData: vfbc_pf_write_vf_config() with the NDIS
 * return convention.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param buf
 *   The bytes to write.
 * @param offset
 *   Offset in the VF's configuration space.
 * @param length
 *   Number of bytes.
 * @return
 *   - The number of bytes written on success (a short write returns the
 *     short count).
 *   - 0 on any failure (the causes listed for vfbc_pf_write_vf_config());
 *     nothing is written when the arguments are bad.
 */
__vfbc_experimental
uint32_t
vfbc_pf_set_vf_bus_data(uint16_t port_id, uint16_t vf_id, const void *buf,
			uint32_t offset, uint32_t length);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * NdisMGetVirtualFunctionBusData: vfbc_pf_read_vf_config() with the NDIS
 * return convention.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param buf
 *   Receives the bytes.
 * @param offset
 *   Offset in the VF's configuration space.
 * @param length
 *   Number of bytes.
 * @return
 *   - The number of bytes read on success (a short read returns the short
 *     count).
 *   - 0 on any failure (the causes listed for vfbc_pf_read_vf_config()).
 */
__vfbc_experimental
uint32_t
vfbc_pf_get_vf_bus_data(uint16_t port_id, uint16_t vf_id, void *buf,
			uint32_t offset, uint32_t length);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * NdisMGetVirtualFunctionLocation: the PCI address of a VF, computed from the
 * PF's address and its SR-IOV First VF Offset and VF Stride (a VF may sit on
 * a bus after the PF's).
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param addr
 *   Receives the VF's address.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if addr is NULL or vf_id >= NumVFs.
 *   - (-ENXIO) if virtualization is off, or the VF's routing ID is beyond
 *     bus 255 (inconsistent capability).
 */
__vfbc_experimental
int
vfbc_pf_get_vf_location(uint16_t port_id, uint16_t vf_id, struct rte_pci_addr *addr);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * OID_SRIOV_VF_VENDOR_DEVICE_ID: the IDs a VF presents to its driver. A VF's
 * own Vendor and Device ID registers read 0xFFFF; its virtualized IDs are the
 * PF's Vendor ID and the SR-IOV capability's VF Device ID.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param vendor_id
 *   Receives the vendor ID.
 * @param device_id
 *   Receives the device ID.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if a pointer is NULL or vf_id >= NumVFs.
 *   - (-ENXIO) if virtualization is off.
 *   - (-EIO) if reading the PF's configuration space failed.
 */
__vfbc_experimental
int
vfbc_pf_get_vf_ids(uint16_t port_id, uint16_t vf_id, uint16_t *vendor_id,
		   uint16_t *device_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * NdisMQueryProbedBars: what each of a VF's BARs reads after the all-ones
 * sizing probe: the address bits above the BAR's size plus its type bits
 * (the upper half of a 64-bit BAR reads the upper address mask), 0 for an
 * unimplemented BAR. All VFs share the VF BAR layout of the PF's SR-IOV
 * capability. The driver sizes the VF BARs in the PF (all-ones, read back,
 * restore) while VF Memory Space Enable is clear, at probe and before it
 * enables VFs; if VF MSE was already set by someone else, it takes the sizes
 * the operating system found from the VF devices on the EAL bus instead.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param bars
 *   Receives VFBC_PF_NUM_BARS values.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if bars is NULL or vf_id >= NumVFs.
 *   - (-ENXIO) if virtualization is off, or the sizes are unknown (VF MSE was
 *     set before probe and no VF is on the EAL bus).
 */
__vfbc_experimental
int
vfbc_pf_query_probed_bars(uint16_t port_id, uint16_t vf_id,
			  uint32_t bars[VFBC_PF_NUM_BARS]);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * NdisMEnableVirtualization: enable num_vfs VFs, or disable them with 0.
 *
 * Where a kernel owns SR-IOV (the PF has a sysfs sriov_numvfs file) the driver
 * writes that file; elsewhere it programs NumVFs and VF Enable + VF MSE in the
 * SR-IOV capability. It waits as Linux does (100 ms after enabling, 1 s after
 * disabling) and until the VFs appear, rescans the EAL PCI bus and maps the
 * new VFs (devarg map_vfs). Before disabling it unmaps the VFs it mapped.
 * Virtualization can only change from 0 VFs or to 0 VFs.
 *
 * @param port_id
 *   Port of the PF.
 * @param num_vfs
 *   Number of VFs; 0 disables virtualization.
 * @return
 *   - 0 on success (also when num_vfs is 0 and virtualization is off).
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-ENOTSUP) if the PF has no SR-IOV capability.
 *   - (-ERANGE) if num_vfs > TotalVFs, or > the devarg max_vfs.
 *   - (-EBUSY) if VFs are already enabled and num_vfs is not 0.
 *   - (-EIO) if the configuration access or the sysfs write failed.
 *   - (-ETIMEDOUT) if the VFs did not appear (or go) in time.
 */
__vfbc_experimental
int
vfbc_pf_enable_virtualization(uint16_t port_id, uint16_t num_vfs);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * OID_SRIOV_RESET_VF: function-level reset of one VF through its PCI Express
 * capability; no other function is touched. The driver waits (bounded) for
 * Transactions Pending to clear, sets Initiate FLR, waits 100 ms and checks
 * that the VF answers again. The VF's configuration space is left in its
 * post-reset state (its driver re-initializes it).
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if vf_id >= NumVFs.
 *   - (-ENXIO) if virtualization is off, or the VF is missing or unmapped.
 *   - (-ENOTSUP) if the VF has no PCI Express capability or is not FLR capable.
 *   - (-EIO) if a configuration access failed.
 *   - (-ETIMEDOUT) if the VF did not answer after the reset.
 */
__vfbc_experimental
int
vfbc_pf_reset_vf(uint16_t port_id, uint16_t vf_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * OID_SRIOV_SET_VF_POWER_STATE: set a VF's power state through its power
 * management capability (PMCSR PowerState and PME Enable).
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param d_state
 *   VFBC_PF_D0, VFBC_PF_D1, VFBC_PF_D2 or VFBC_PF_D3HOT.
 * @param wake_enable
 *   Non-zero to enable PME (wake) in the new state; must be 0 for D0.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if vf_id >= NumVFs, d_state > VFBC_PF_D3HOT, or wake_enable
 *     is set with D0.
 *   - (-ENXIO) if virtualization is off, or the VF is missing or unmapped.
 *   - (-ENOTSUP) if the VF has no power management capability, does not
 *     support D1/D2 when asked, or cannot wake from the state when asked.
 *   - (-EIO) if a configuration access failed.
 */
__vfbc_experimental
int
vfbc_pf_set_vf_power_state(uint16_t port_id, uint16_t vf_id, uint8_t d_state,
			   int wake_enable);

/**
 * @name Mailbox (PF side of the backchannel)
 *
 * At probe, in the primary, the driver creates the PF's channel (lib/vfbc,
 * memzone "vfbc_ch_<PF PCI name>") sized for TotalVFs (at most
 * VFBC_CHANNEL_MAX_VFS and the devarg max_vfs), publishes in it the PCI
 * address of every enabled VF (refreshed by vfbc_pf_enable_virtualization()),
 * and registers the rte_service "vfbc_pf_mbox_<port>" that services VF
 * requests. Close frees both. A PF without SR-IOV has no channel: the
 * functions below return -ENXIO for it.
 *
 * VF ids are checked against NumVFs as for the rest of the API: -ENXIO when
 * virtualization is off, -EINVAL for vf_id >= NumVFs (and for VFs beyond
 * the channel's size).
 * @{
 */

/** vf_id of vfbc_pf_invalidate_config_blocks() for every enabled VF
 * (Hyper-V's SRIOV_INVALIDATE_BLOCK_ALL_VFS). */
#define VFBC_PF_VF_ALL 0xFFFF

/** Request type of a vfbc_pf_mbox_event: the VF writes a config block. */
#define VFBC_PF_MBOX_BLOCK_WRITE VFBC_CHANNEL_REQ_BLOCK_WRITE
/** Request type: the VF reads its own config space. */
#define VFBC_PF_MBOX_CFG_READ VFBC_CHANNEL_REQ_CFG_READ
/** Request type: the VF writes its own config space. */
#define VFBC_PF_MBOX_CFG_WRITE VFBC_CHANNEL_REQ_CFG_WRITE

/** Verdict of a vfbc_pf_mbox_event: carry the request out. */
#define VFBC_PF_MBOX_VERDICT_ACCEPT 1
/** Verdict: refuse it; the VF is answered -EPERM. Any value but ACCEPT refuses. */
#define VFBC_PF_MBOX_VERDICT_REJECT 0

/**
 * Every this many milliseconds, the mailbox service also looks at every
 * claimed VF's request ring, doorbell or not: a request whose doorbell bit
 * was lost or cleared waits at most this long, plus the time to the next
 * service pass.
 */
#define VFBC_PF_MBOX_SWEEP_MS 10
/** Requests of one VF that one service pass serves at most. */
#define VFBC_PF_MBOX_VF_BUDGET 4

/** Phase of a vfbc_pf_mbox_event: the request, before the driver acts. */
#define VFBC_PF_MBOX_PHASE_REQUEST 0
/** Phase: the outcome, as the VF is about to be answered. */
#define VFBC_PF_MBOX_PHASE_DONE 1

/** Refusal of a vfbc_pf_mbox_event in phase DONE: none (verdict ACCEPT). */
#define VFBC_PF_MBOX_REFUSAL_NONE 0
/** Refused by the config-space policy (or a read beyond the VF's config space). */
#define VFBC_PF_MBOX_REFUSAL_POLICY 1
/** Refused by the application's callback in phase REQUEST. */
#define VFBC_PF_MBOX_REFUSAL_APP 2
/** Refused: the VF is not enabled or not ready (no phase REQUEST). */
#define VFBC_PF_MBOX_REFUSAL_VF_STATE 3
/** Refused: the record failed the PF's own checks (no phase REQUEST). */
#define VFBC_PF_MBOX_REFUSAL_MALFORMED 4

/**
 * Parameter of the ethdev event RTE_ETH_EVENT_VF_MBOX (the ret_param of the
 * callback), raised on the PF port twice per request of a VF that reaches
 * the driver: phase REQUEST before the driver acts on it (the analog of
 * ixgbe's rte_pmd_ixgbe_mb_event_param), phase DONE with the outcome.
 *
 * REQUEST: the driver pre-sets verdict to what it would do without a
 * callback: ACCEPT for block writes and config reads inside the VF's config
 * space, the permission policy's verdict for config writes. The callback
 * may change it to REJECT. It may not overrule a refusal of the config-space
 * policy: a config request the policy refused stays refused (the callback
 * still sees it, with verdict REJECT, e.g. to log a misbehaving VF). A
 * request refused before the application is asked (VF not ready, not its
 * own VF id) has no REQUEST phase.
 *
 * DONE: verdict says whether the request was carried out (ACCEPT) or
 * refused (REJECT), refusal by whom; status is what the VF is answered: 0,
 * or the negative errno of the refusal or of the failed action (an accepted
 * request whose action failed has verdict ACCEPT and a negative status). A
 * config read carried out has data pointing to the bytes the VF is
 * answered and length their count. Changing the event has no effect.
 * request_id pairs the two phases of a request. A request over the rate
 * limit of devarg vf_msg_cfg raises no event (it is counted in xstat
 * mbox_rate_limited).
 *
 * REQUEST runs on the lcore that polls the mailbox (the service lcore, or
 * the caller of vfbc_pf_mbox_poll()); DONE runs there too, except for a
 * config write trapped to an FLR or a power-state change, whose DONE runs
 * on the PF's control thread once that completes. Both are in the primary.
 * A callback must not call vfbc_pf_mbox_poll() nor close the port.
 */
struct vfbc_pf_mbox_event {
	uint16_t vf_id;       /**< VF that sent the request (from its ring). */
	uint16_t type;        /**< VFBC_PF_MBOX_BLOCK_WRITE, _CFG_READ or _CFG_WRITE. */
	uint32_t block_id;    /**< Block id (block writes), else 0. */
	uint32_t offset;      /**< Config-space offset (config requests), else 0. */
	uint32_t length;      /**< Bytes to write or to read, 1..128. */
	/**
	 * Bytes to write (writes); for reads NULL, except in phase DONE of a
	 * read carried out: the bytes read. Valid during the callback only.
	 */
	const uint8_t *data;
	int32_t verdict;      /**< VFBC_PF_MBOX_VERDICT_ACCEPT or _REJECT, in and out. */
	uint32_t phase;       /**< VFBC_PF_MBOX_PHASE_REQUEST or _DONE. */
	int32_t status;       /**< DONE: the VF's answer, 0 or a negative errno. */
	uint32_t request_id;  /**< The VF's id of the request, the same in both phases. */
	uint32_t refusal;     /**< DONE: VFBC_PF_MBOX_REFUSAL_*, NONE when accepted. */
};

/** vfbc_pf_consumer_event type: a process became the VF's consumer (a claim granted). */
#define VFBC_PF_CONSUMER_ATTACHED 1
/** Type: the consumer let go (released its claim, closed its port or its
 *  connection), or the PF took the claim back (VF disabled). */
#define VFBC_PF_CONSUMER_DETACHED 2
/** Type: the consumer process exited still holding the claim. */
#define VFBC_PF_CONSUMER_DIED 3
/** Most consumer callbacks registered on one PF port. */
#define VFBC_PF_MAX_CONSUMER_CALLBACKS 4
/** Period of the consumer watch, in milliseconds: an event is raised at most this late. */
#define VFBC_PF_CONSUMER_WATCH_MS 50

/** A change of a VF's consumer, seen by the PF (vfbc_pf_consumer_callback_register()). */
struct vfbc_pf_consumer_event {
	uint16_t vf_id; /**< The VF. */
	uint16_t type;  /**< VFBC_PF_CONSUMER_ATTACHED, _DETACHED or _DIED. */
	int32_t pid;    /**< The consumer's process id (as the PF sees it). */
};

/**
 * Consumer callback: a VF's consumer attached, detached or died. A new
 * consumer's first delivery is every block it must read (or all blocks
 * after a takeover): the usual answer to ATTACHED is to (re)publish the
 * VF's blocks with vfbc_pf_write_config_block(). Called on EAL's interrupt
 * thread, in the order the changes were seen (per VF: DETACHED or DIED of
 * a consumer before ATTACHED of the next). It may call any function of
 * this API, (un)register callbacks, and close the port.
 *
 * @param port_id
 *   The PF port.
 * @param ev
 *   The change; valid during the call only.
 * @param arg
 *   The argument given at registration.
 */
typedef void (*vfbc_pf_consumer_cb_t)(uint16_t port_id, const struct vfbc_pf_consumer_event *ev,
		void *arg);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Be told when a VF's consumer attaches, detaches or dies (the mirror of
 * the VF side's ethdev events). The PF looks every
 * VFBC_PF_CONSUMER_WATCH_MS: a consumer that came and went in between is
 * not seen. Thread-safe; not concurrently with closing the port.
 *
 * @param port_id
 *   The PF port.
 * @param cb
 *   The callback.
 * @param arg
 *   Its argument.
 * @return
 *   - 0 on success;
 *   - (-EINVAL) cb is NULL; (-EEXIST) already registered; (-ENOSPC) table
 *     full; (-ENODEV) not a net_vfbc_pf port; (-E_RTE_SECONDARY) called
 *     from a secondary process; (-ENXIO) no mailbox (no SR-IOV);
 *     (-ENOTSUP) the watch could not start at probe (logged then).
 */
__vfbc_experimental
int
vfbc_pf_consumer_callback_register(uint16_t port_id, vfbc_pf_consumer_cb_t cb, void *arg);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Unregister a consumer callback. Once it returns 0 the callback is not
 * running (unless it is the caller) and is not called again.
 *
 * @param port_id
 *   The PF port.
 * @param cb
 *   The callback.
 * @param arg
 *   Its argument.
 * @return
 *   - 0 on success;
 *   - (-ENOENT) not registered; (-EINVAL) cb is NULL; (-ENODEV);
 *     (-E_RTE_SECONDARY); (-ENXIO).
 */
__vfbc_experimental
int
vfbc_pf_consumer_callback_unregister(uint16_t port_id, vfbc_pf_consumer_cb_t cb, void *arg);

/**
 * Internal: a PF port's entry in this process's fast-path table, which the inline
 * vfbc_pf_invalidate_config_blocks() reads instead of asking the driver
 * (rte_eth_fp_ops' way). The driver keeps it: ch is the port's channel
 * from the mailbox's start to its stop (NULL otherwise, and in secondary
 * processes), stored last with release (FP3); nb_vfs is NumVFs as the
 * channel publishes it.
 */
struct vfbc_pf_fp_port {
	struct vfbc_channel *ch;	/**< The port's channel; NULL: call the driver. */
	uint16_t nb_vfs;		/**< Enabled VFs the channel serves. */
};

/**
 * Internal: the fast-path table, by port id. For
 * vfbc_pf_invalidate_config_blocks() only.
 */
extern struct vfbc_pf_fp_port vfbc_pf_fp_ports[RTE_MAX_ETHPORTS] __vfbc_experimental_data;

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Internal: vfbc_pf_invalidate_config_blocks() past its inline path:
 * VFBC_PF_VF_ALL, and every error told apart. Call
 * vfbc_pf_invalidate_config_blocks() instead.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   As vfbc_pf_invalidate_config_blocks()'s.
 * @param block_mask
 *   As vfbc_pf_invalidate_config_blocks()'s.
 * @return
 *   As vfbc_pf_invalidate_config_blocks().
 */
__vfbc_experimental
int
vfbc_pf_invalidate_config_blocks_other(uint16_t port_id, uint16_t vf_id, uint64_t block_mask);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * NdisMInvalidateConfigBlock: tell a VF that blocks changed. The mask is
 * ORed into the VF's pending cache (bits invalidated before the VF takes
 * them are merged, none is lost) and the VF's consumer is notified.
 *
 * Wait-free and MT-safe: callable from any number of PF lcores at once;
 * no lock, no system call. Not concurrently with closing the port.
 *
 * Inline, as rte_eth_tx_burst(): the port's entry in a per-process table
 * (vfbc_pf_fp_ports) gives its channel and NumVFs, and one VF's
 * invalidation is the channel's invalidate body, inline. VFBC_PF_VF_ALL
 * and every error go to the driver (vfbc_pf_invalidate_config_blocks_other()).
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index below NumVFs, or VFBC_PF_VF_ALL for every enabled VF (the
 *   loop of vfbc_pf_invalidate_config_blocks_bulk(): each VF touched once,
 *   their cache misses overlapped).
 * @param block_mask
 *   Bit i invalidates block i (only blocks 0..63 can be invalidated); not 0.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-ENXIO) if the PF has no channel (no SR-IOV) or virtualization is off.
 *   - (-EINVAL) if block_mask is 0, or vf_id is neither below NumVFs nor
 *     VFBC_PF_VF_ALL.
 */
__vfbc_experimental
static inline int
vfbc_pf_invalidate_config_blocks(uint16_t port_id, uint16_t vf_id, uint64_t block_mask)
{
	const struct vfbc_pf_fp_port *fp;
	struct vfbc_channel *ch;

	if (likely(port_id < RTE_MAX_ETHPORTS)) {
		fp = &vfbc_pf_fp_ports[port_id];
		/* FP4: pairs with FP3 in the driver (vfbc_pf_mbox.c): the channel set up. */
		ch = __atomic_load_n(&fp->ch, __ATOMIC_ACQUIRE);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		/*
		 * What vfbc_channel_invalidate() checks again is known here: ch
		 * is the creating handle, NumVFs <= its slots (the driver's), so
		 * its body alone; the wake last, as there (W1).
		 */
		if (likely(ch != NULL && vf_id < __atomic_load_n(&fp->nb_vfs, __ATOMIC_RELAXED) &&
			   block_mask != 0)) {
			if (likely(__vfbc_channel_invalidate_one(ch, vf_id, block_mask) == 0))
				return 0;
			return vfbc_channel_wake(ch, vf_id);
		}
		return vfbc_pf_invalidate_config_blocks_other(port_id, vf_id, block_mask);
#pragma GCC diagnostic pop
	}
	return -ENODEV;
}

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * vfbc_pf_invalidate_config_blocks() for many VFs in one call, each VF with
 * its own mask: the fan-out of a change many VFs share. Entry i does
 * exactly what vfbc_pf_invalidate_config_blocks(port_id, vf_ids[i],
 * masks[i]) does (the mask ORed into the VF's pending cache, its consumer
 * notified), in list order; the call overlaps the cache misses of the VFs'
 * channel areas, which single calls take one after the other, and checks
 * the port once, so it costs less than n single calls (by how much: the
 * guide).
 *
 * Every argument is checked before any VF is touched: a call that fails
 * has invalidated nothing. A VF may be listed more than once: it gets the
 * OR of its masks (each entry counts as one invalidation in its
 * statistics). VFBC_PF_VF_ALL is not a VF id here: the all-VFs form is
 * vfbc_pf_invalidate_config_blocks(port_id, VFBC_PF_VF_ALL, mask), which
 * runs the same loop.
 *
 * Wait-free (bounded by n) and MT-safe, with single calls too; no lock, no
 * system call. Not concurrently with closing the port.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_ids
 *   n VF indexes, each below NumVFs; may be NULL when n is 0.
 * @param masks
 *   n masks, masks[i] for vf_ids[i]; bit b invalidates block b (blocks
 *   0..63 only); none 0. May be NULL when n is 0.
 * @param n
 *   Entries.
 * @return
 *   - 0 on success, and when n is 0 (nothing done).
 *   - (-ENODEV) if port_id is invalid or not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-ENXIO) if the PF has no channel (no SR-IOV) or virtualization is
 *     off (checked before n).
 *   - (-EINVAL) if vf_ids or masks is NULL with n > 0, a VF index is not
 *     below NumVFs, or a mask is 0.
 */
__vfbc_experimental
int
vfbc_pf_invalidate_config_blocks_bulk(uint16_t port_id, const uint16_t *vf_ids,
				      const uint64_t *masks, uint16_t n);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Store the data of a VF's config block in the channel, where the VF reads
 * it (NdisMReadConfigBlock). Blocks 0..63 have their own slot; a block id of
 * 64 or more takes one of VFBC_CHANNEL_NB_EXTRA_BLOCKS extra slots on its
 * first write: it is stored and readable but cannot be invalidated. Call
 * vfbc_pf_invalidate_config_blocks() afterwards so that the VF re-reads it:
 * a VF that sees the bit reads this data or newer. MT-safe.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param block_id
 *   Block id.
 * @param data
 *   Contents; may be NULL only when len is 0.
 * @param len
 *   Bytes, 0..VFBC_CHANNEL_BLOCK_SIZE (128).
 * @return
 *   - 0 on success.
 *   - (-ENODEV), (-E_RTE_SECONDARY), (-ENXIO): as vfbc_pf_invalidate_config_blocks().
 *   - (-EINVAL) if vf_id >= NumVFs, len > 128, or data is NULL with len > 0.
 *   - (-ENOSPC) if block_id >= 64 and every extra slot holds another id.
 */
__vfbc_experimental
int
vfbc_pf_write_config_block(uint16_t port_id, uint16_t vf_id, uint32_t block_id,
			   const void *data, uint32_t len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read a VF's config block back from the channel (a consistent snapshot:
 * what the PF or an accepted VF write stored last).
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param block_id
 *   Block id.
 * @param buf
 *   Destination.
 * @param len
 *   Size of buf.
 * @return
 *   - The number of bytes read (the block's length, possibly 0).
 *   - (-ENODEV), (-E_RTE_SECONDARY), (-ENXIO): as vfbc_pf_invalidate_config_blocks().
 *   - (-EINVAL) if vf_id >= NumVFs or buf is NULL.
 *   - (-ENOENT) if the block was never written.
 *   - (-ENOBUFS) if len is smaller than the block (nothing copied).
 *   - (-EAGAIN) if every snapshot attempt overlapped a write.
 */
__vfbc_experimental
int
vfbc_pf_read_config_block(uint16_t port_id, uint16_t vf_id, uint32_t block_id,
			  void *buf, uint32_t len);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Service VF requests (for applications without service cores; the
 * driver's rte_service calls the same function). Never blocks: it visits
 * the VFs whose doorbell is set, those whose control-thread job has just
 * ended, and, every VFBC_PF_MBOX_SWEEP_MS (10 ms), every claimed VF whose
 * request ring holds records (so a lost or cleared doorbell delays a
 * request by at most that, plus the time to the next call); round robin
 * from where the previous call stopped, one request per VF per round, at
 * most VFBC_PF_MBOX_VF_BUDGET (4) per VF per call.
 *
 * Only requests on a claim the PF granted are served (others are dropped
 * by the channel library and counted: xstat mbox_requests_unclaimed). For
 * each valid request: the VF's rate limit (devarg vf_msg_cfg; over it, the
 * VF is answered -EBUSY), the VF must be enabled and ready (else -ENXIO),
 * then the default verdict (permission policy for config writes),
 * RTE_ETH_EVENT_VF_MBOX (phase REQUEST), the action (block write into the
 * channel slot; config read or write of the VF's own config space; a
 * trapped FLR or power-state change is handed to the PF's control thread
 * and answered from there, while that VF's further requests wait), the
 * event's phase DONE and the answer. Malformed records are answered by the
 * channel library and counted (xstat mbox_malformed).
 *
 * One poller per port at a time: a call made while another lcore polls the
 * same port returns -EBUSY at once, servicing nothing. A call that finds
 * nothing to do (no doorbell, no ended job, no sweep due) returns 0 without
 * taking the port's poll lock.
 *
 * @param port_id
 *   Port of the PF.
 * @param budget
 *   Most requests to service in this call; not 0.
 * @return
 *   - The number of requests serviced (>= 0).
 *   - (-ENODEV), (-E_RTE_SECONDARY), (-ENXIO): as vfbc_pf_invalidate_config_blocks().
 *   - (-EINVAL) if budget is 0.
 *   - (-EBUSY) if another lcore is polling this port (and there is work).
 */
__vfbc_experimental
int
vfbc_pf_mbox_poll(uint16_t port_id, unsigned int budget);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * vfbc_pf_mbox_poll() of every net_vfbc_pf port of this process that has a
 * mailbox, in one call: the loop of a primary driving several PFs. The
 * clock is read once; an idle port costs a load per 64 VFs of its doorbell
 * bitmap and of its ended jobs, no lock. Each call starts one port further
 * than the previous one, so a busy port cannot starve the others; a port
 * another lcore is polling is skipped (its requests wait for the next
 * call). Not concurrently with closing a port (as vfbc_pf_mbox_poll()); a
 * port probed or closed meanwhile may be missed by that one call.
 *
 * @param budget
 *   Most requests to service in this call, over all ports; not 0.
 * @return
 *   - The number of requests serviced (>= 0).
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-EINVAL) if budget is 0.
 */
__vfbc_experimental
int
vfbc_pf_mbox_poll_all(unsigned int budget);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The sleeping service, for a PF that is no data path: vfbc_pf_mbox_poll()
 * back to back for at most spin_us, then, with nothing served, sleep until
 * a VF posts a request (or a trapped config write's job ends on the
 * control thread), then serve. A VF's post wakes the sleeping service
 * with one system call (a datagram to the channel's service socket in
 * EAL's runtime directory from a secondary; on the wake socket from an
 * isolated consumer); a service that
 * does not sleep costs posts nothing. Each sleep ends by the next sweep
 * (VFBC_PF_MBOX_SWEEP_MS) at the latest, which looks at every claimed
 * ring, so a consumer that keeps the service from being woken (it can
 * clear the sleep word of a shared channel) delays requests by that, as a
 * cleared doorbell does.
 *
 * One thread waits on a port at a time; vfbc_pf_mbox_poll() and the
 * port's rte_service still run meanwhile (a call with the poll lock
 * taken by another poller serves nothing and sleeps on). Closing the port
 * wakes the waiter and waits for it to return (-ENODEV).
 *
 * @param port_id
 *   Port of the PF.
 * @param budget
 *   Most requests to service in this call; not 0.
 * @param spin_us
 *   Microseconds of busy polling before the first sleep.
 * @param timeout_ms
 *   Most milliseconds to wait for work: 0, no sleep (a bounded busy poll);
 *   -1, no timeout.
 * @return
 *   - The number of requests serviced (> 0), or 0 at the timeout.
 *   - (-ENODEV), (-E_RTE_SECONDARY), (-ENXIO): as vfbc_pf_invalidate_config_blocks();
 *     (-ENODEV) too when the port closed during the wait.
 *   - (-EINVAL) if budget is 0 or timeout_ms below -1.
 *   - (-EBUSY) if another thread waits on this port.
 *   - (-EMFILE), (-ENFILE), (-ENOMEM): no descriptor to sleep on could be
 *     made (vfbc_channel_service_fd()).
 */
__vfbc_experimental
int
vfbc_pf_mbox_poll_wait(uint16_t port_id, unsigned int budget, uint32_t spin_us,
		       int timeout_ms);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The rte_service the driver registered at probe for this port, named
 * "vfbc_pf_mbox_<port>", which calls vfbc_pf_mbox_poll() (budget 32). The
 * driver sets its component runstate to running; the application maps it
 * to a service lcore (rte_service_map_lcore_set()) and sets its runstate
 * (rte_service_runstate_set()) like any DPDK service. It is registered
 * without RTE_SERVICE_CAP_MT_SAFE: the service framework runs it on one
 * lcore at a time.
 *
 * @param port_id
 *   Port of the PF.
 * @param[out] service_id
 *   The service id.
 * @return
 *   - 0 on success.
 *   - (-ENODEV), (-E_RTE_SECONDARY): as vfbc_pf_invalidate_config_blocks().
 *   - (-ENXIO) if the PF has no channel (no SR-IOV).
 *   - (-EINVAL) if service_id is NULL.
 *   - (-ENOTSUP) if the service could not be registered at probe (see the
 *     log); vfbc_pf_mbox_poll() still works.
 */
__vfbc_experimental
int
vfbc_pf_mbox_service_id(uint16_t port_id, uint32_t *service_id);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The process consuming a VF's side of the channel (its VF PMD instance).
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below NumVFs.
 * @param[out] pid
 *   The pid of the live consumer, or 0 if there is none (never claimed,
 *   released, or its process is gone).
 * @return
 *   - 0 on success.
 *   - (-ENODEV), (-E_RTE_SECONDARY), (-ENXIO): as vfbc_pf_invalidate_config_blocks().
 *   - (-EINVAL) if vf_id >= NumVFs or pid is NULL.
 */
__vfbc_experimental
int
vfbc_pf_vf_consumer(uint16_t port_id, uint16_t vf_id, int32_t *pid);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Set or remove the secret that opens a VF through the PF's control socket
 * (devarg socket=PATH): a consumer that presents it receives the VF's
 * region of the isolated channel and its claim. A VF without a secret
 * cannot be opened through the socket. Replacing or removing a secret
 * does not affect a consumer already connected: it keeps its claim until
 * it hangs up or the VF is disabled. A secret survives disabling and
 * enabling VFs; it lives in this process's private memory only (never in
 * shared memory or hugepages), wiped when replaced and when the port is
 * closed.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below the channel's size (TotalVFs, or max_vfs): the secret
 *   of a VF not enabled yet may be set.
 * @param secret
 *   The secret, a NUL-terminated string of 1..64 bytes; NULL or "" removes
 *   it.
 * @return
 *   - 0 on success.
 *   - (-ENODEV) if port_id is not a net_vfbc_pf port.
 *   - (-E_RTE_SECONDARY) if called from a secondary process.
 *   - (-ENOTSUP) if the port was probed without socket=.
 *   - (-EINVAL) if vf_id is beyond the channel, or secret is longer than
 *     64 bytes.
 */
__vfbc_experimental
int
vfbc_pf_vf_set_secret(uint16_t port_id, uint16_t vf_id, const char *secret);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * The channel counters of one VF (invalidations, doorbells, deliveries,
 * requests, responses, claims; see struct vfbc_channel_stats). The port's
 * xstats "mbox_*" hold their sums over all VFs.
 *
 * @param port_id
 *   Port of the PF.
 * @param vf_id
 *   VF index, below the channel's size (TotalVFs): counters of a VF that
 *   is not enabled now are still readable.
 * @param[out] stats
 *   The counters.
 * @return
 *   - 0 on success.
 *   - (-ENODEV), (-E_RTE_SECONDARY): as vfbc_pf_invalidate_config_blocks().
 *   - (-ENXIO) if the PF has no channel.
 *   - (-EINVAL) if vf_id is beyond the channel or stats is NULL.
 */
__vfbc_experimental
int
vfbc_pf_mbox_stats(uint16_t port_id, uint16_t vf_id, struct vfbc_channel_stats *stats);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_PMD_PF_H_ */
