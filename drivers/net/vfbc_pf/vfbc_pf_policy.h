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
 * The policy is pure: it touches no device and no global state, so it is
 * unit-tested and fuzzed against synthetic config spaces. The mailbox
 * service applies the verdict.
 *
 * Where fields are depends on the VF's capability lists, which do not
 * change while the VF runs (their headers and length fields are denied to
 * the VF), so the PF walks them once, when the VF becomes ready and after
 * each FLR, into a region map it keeps per VF. A write is then decided
 * from the map and the few bytes its verdict depends on, read from the
 * device for that request only: not from the whole config space.
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
 * - Malformed lists get the most restrictive reading: every capability
 *   header is denied; a capability ends where the next one in address
 *   order begins (vfbc_pf_caps.h), and a field it cannot hold whole is not
 *   described; a capability repeating the ID of an earlier one of its list
 *   (only vendor-specific ones may repeat) is described by its header only.
 */

#include <stdint.h>

#include "vfbc_pf_caps.h"

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

/* Bytes of one VF's config space that one row describes. */
struct vfbc_pf_policy_region {
	uint16_t off;		/* absolute offset */
	uint16_t len;
	uint16_t rule;		/* index of the row in vfbc_pf_policy_table */
};

/*
 * A real VF needs about 50 regions (18 of them the type 0 header). Regions
 * beyond this are dropped, and so denied: a malformed device loses
 * writes, it never gains any.
 */
#define VFBC_PF_POLICY_MAP_MAX	128

/*
 * Where the rows of the table fall in one VF's config space. Fixed-width
 * and pointer-free, so it can sit in the driver's per-VF state, in any
 * process. Bytes between regions (gaps, undescribed fields, unknown
 * capabilities) have no row, and are denied.
 */
struct vfbc_pf_policy_map {
	uint16_t cfg_size;	/* 256 or 4096; 0: no map, every write refused */
	uint16_t nb_regions;
	uint16_t walk_flags;	/* VFBC_PF_CAPS_F_*: the lists are malformed, log it */
	uint16_t dropped;	/* regions beyond VFBC_PF_POLICY_MAP_MAX */
	struct vfbc_pf_policy_region regions[VFBC_PF_POLICY_MAP_MAX]; /* address order */
};

/*
 * Build map from cfg, an image of the VF's whole config space (cfg_size
 * bytes: 256 or 4096). Build it again whenever the VF's capabilities may
 * have changed: when the VF becomes ready, after an FLR. Returns 0, or
 * -EINVAL (NULL, other sizes) with a map that refuses every write.
 */
int vfbc_pf_policy_map_build(const uint8_t *cfg, uint32_t cfg_size,
			     struct vfbc_pf_policy_map *map);

/*
 * Region containing offset off: fills res->rule (NULL when no row covers
 * the byte: then a one-byte region), region_off and region_len. Returns 0,
 * or -ERANGE if off is beyond the config space, -EINVAL for NULL or a map
 * that failed to build.
 */
int vfbc_pf_policy_lookup(const struct vfbc_pf_policy_map *map, uint32_t off,
			  struct vfbc_pf_policy_result *res);

/*
 * The bytes the device must be read for, before deciding a write of len
 * bytes at off: *span_off and the returned length. A write is checked
 * against the current value of the bits the VF does not own, and a region
 * of up to 4 bytes is a register whose whole value after the write is
 * reported (res->value, for the power trap): so the span is the whole
 * region when it is at most 4 bytes, else the written bytes; and nothing
 * (0) when the write is refused whatever the device holds (out of range,
 * denied, PF-only, straddling regions), so a refused request costs no
 * device access.
 */
uint32_t vfbc_pf_policy_write_span(const struct vfbc_pf_policy_map *map, uint32_t off,
				   uint32_t len, uint32_t *span_off);

/*
 * Decide a write of len bytes of data at off, from map and cur: the
 * cur_len bytes the device holds now at the span vfbc_pf_policy_write_span()
 * gave for this write (cur may be NULL when cur_len is 0). Nothing else of
 * config space is read. Returns 0 if accepted (res->action says how to
 * carry it out), or the negative errno the VF gets: -EPERM (denied region,
 * PF-only region, read-only bits changed, straddles regions), -ERANGE
 * (beyond the config space), -EINVAL (bad arguments: NULL, len 0, a map
 * that failed to build, cur_len other than the span's).
 */
int vfbc_pf_policy_write_decide(const struct vfbc_pf_policy_map *map, uint32_t off,
				uint32_t len, const uint8_t *data, const uint8_t *cur,
				uint32_t cur_len, struct vfbc_pf_policy_result *res);

/*
 * Decide a write against cfg, an image of the VF's whole config space
 * (cfg_size bytes), by building a map from it on the spot: for a caller
 * that holds a whole image (the tests, the fuzzer's oracle). The driver
 * keeps a map per VF and reads only the span of each write.
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
