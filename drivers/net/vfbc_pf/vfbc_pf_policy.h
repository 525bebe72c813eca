/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_POLICY_H_
#define _VFBC_PF_POLICY_H_

/*
 * Permission policy for the config-space requests a VF sends its PF
 * (OID_SRIOV_READ/WRITE_VF_CONFIG_SPACE), modelled on vfio-pci's config
 * virtualization: ONE table of regions (standard header fields by offset,
 * fields of capabilities found by walking the VF's own capability lists),
 * each with the bits a VF may change and an action.
 *
 * The policy is pure: it decides from an image of the VF's config space and
 * the request, touches no device and no global state, so it is unit-tested
 * against synthetic config spaces. The mailbox service applies the verdict.
 *
 * Rules (documented in the driver guide, "Config-space permission policy"):
 * - A request reaches only the config space of the VF whose ring carried
 *   it: the VF id comes from the ring, never from the record.
 * - Reads of the VF's own config space are allowed; Vendor and Device ID
 *   read as the virtualized IDs (the PF's vendor, the SR-IOV VF Device ID),
 *   as vfio-pci presents them.
 * - A write must lie inside one region; one that straddles two is refused.
 * - A write to a DENY or PF_ONLY region is refused whatever its value.
 * - A write to an ALLOW region may change only the row's write-mask bits;
 *   every other bit must be written with its current value, else the whole
 *   write is refused (nothing is written: no partial or masked writes).
 * - A TRAP row is an ALLOW row whose trap bits, when the write changes
 *   them, turn the write into an action: the VF's FLR (reset path) or a
 *   power-state change (power path), which the PF performs itself.
 * - Bytes no row covers (gaps, unknown capabilities) are denied.
 */

#include <stdint.h>

/* What the PF does with a write to a region. */
enum vfbc_pf_policy_action {
	VFBC_PF_POLICY_DENY = 0,	/* refuse every write */
	VFBC_PF_POLICY_ALLOW,		/* write it, if only write-mask bits change */
	VFBC_PF_POLICY_TRAP_RESET,	/* ALLOW, but trap bits -> vfbc_pf_reset_vf() */
	VFBC_PF_POLICY_TRAP_POWER,	/* ALLOW, but trap bits -> vfbc_pf_set_vf_power_state() */
	VFBC_PF_POLICY_PF_ONLY,		/* programmed by the PF only (MSI, MSI-X) */
};

/* Where a row's offset counts from. */
enum vfbc_pf_policy_space {
	VFBC_PF_POLICY_HDR = 0,		/* type 0 header: offset is absolute */
	VFBC_PF_POLICY_CAP,		/* standard capability cap_id */
	VFBC_PF_POLICY_EXT_CAP,		/* extended capability cap_id */
};

/* cap_id of a row that applies to every capability of its space. */
#define VFBC_PF_POLICY_ANY_CAP	0xffff
/* len of a row that runs to the end of its capability. */
#define VFBC_PF_POLICY_TO_END	0

/* One row of the table. */
struct vfbc_pf_policy_rule {
	const char *name;	/* short name, also the name of its test */
	uint8_t space;		/* enum vfbc_pf_policy_space */
	uint8_t action;		/* enum vfbc_pf_policy_action */
	uint16_t cap_id;	/* capability ID, or VFBC_PF_POLICY_ANY_CAP */
	uint16_t off;		/* from the header or the capability start */
	uint16_t len;		/* bytes, or VFBC_PF_POLICY_TO_END */
	/*
	 * Bits the VF may change (little endian over the region). Regions
	 * longer than 4 bytes use 0 (none) or UINT32_MAX (all).
	 */
	uint32_t wmask;
	uint32_t trap;		/* bits whose change triggers a TRAP action */
};

/* The table, in lookup order (first match wins). */
extern const struct vfbc_pf_policy_rule vfbc_pf_policy_table[];
extern const unsigned int vfbc_pf_policy_nb_rules;

/* Verdict on one write. */
struct vfbc_pf_policy_result {
	const struct vfbc_pf_policy_rule *rule; /* row of the first byte; NULL: none */
	uint32_t region_off;	/* absolute offset of that region */
	uint32_t region_len;	/* its length */
	uint8_t action;		/* ALLOW, TRAP_* when accepted; DENY, PF_ONLY when refused */
	int32_t status;		/* 0, or the negative errno answered to the VF */
	uint32_t value;		/* regions <= 4 bytes: the region's value after the write */
	const char *reason;	/* why, for logs */
};

/*
 * Region containing offset off of a config image (cfg_size bytes):
 * fills res->rule (NULL when no row covers the byte), region_off and
 * region_len. Returns 0, or -ERANGE if off is beyond cfg_size.
 */
int vfbc_pf_policy_lookup(const uint8_t *cfg, uint32_t cfg_size, uint32_t off,
			  struct vfbc_pf_policy_result *res);

/*
 * Decide a write of len bytes of data at off, against cfg, the VF's config
 * space as it is now (cfg_size bytes: 256 or 4096). Returns 0 if accepted
 * (res->action says how to carry it out), or the negative errno the VF
 * gets: -EPERM (denied region, PF-only region, read-only bits changed,
 * straddles regions), -ERANGE (beyond the config space), -EINVAL (bad
 * arguments: NULL, len 0).
 */
int vfbc_pf_policy_write(const uint8_t *cfg, uint32_t cfg_size, uint32_t off, uint32_t len,
			 const uint8_t *data, struct vfbc_pf_policy_result *res);

/*
 * Decide a read: 0 if [off, off + len) lies in the VF's config space,
 * -ERANGE if not, -EINVAL for len 0.
 */
int vfbc_pf_policy_read(uint32_t cfg_size, uint32_t off, uint32_t len);

/*
 * Present the virtualized Vendor and Device ID in bytes read from off
 * (a VF's own ID registers read 0xFFFF).
 */
void vfbc_pf_policy_virtualize_read(uint8_t *buf, uint32_t off, uint32_t len,
				    uint16_t vendor_id, uint16_t device_id);

/* Name of an action ("deny", "allow", ...). */
const char *vfbc_pf_policy_action_str(uint8_t action);

#endif /* _VFBC_PF_POLICY_H_ */
