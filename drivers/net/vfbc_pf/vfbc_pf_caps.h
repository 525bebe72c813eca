/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_CAPS_H_
#define _VFBC_PF_CAPS_H_

/*
 * The one walker of a function's capability lists (standard from 0x34,
 * extended from 0x100), over an image of its config space read once: the
 * permission policy builds its region map from it, and the driver finds
 * the capabilities it programs (PCIe, PM, SR-IOV) with it, so that both
 * agree on where every capability is.
 *
 * Config space is hardware's (or an emulator's) and may be malformed: a
 * list may loop, point into the type 0 header (standard) or below 0x100
 * (extended), run past the end of config space, or describe capabilities
 * that overlap. The walker reads nothing outside the image, visits each
 * position at most once, and ends each capability's extent where the next
 * position any list points to begins, in address order, so that no byte
 * belongs to two capabilities and no capability reaches over another's
 * header. A position that ends its list (ID 0xff: an absent function; an
 * extended header of 0 or all ones) is not a capability, but still bounds
 * the extent of the one before it: the list said a header is there.
 */

#include <stdint.h>

/* The list a capability is on. */
enum vfbc_pf_cap_space {
	VFBC_PF_CAP_STD = 1,	/* 8-bit IDs, [id][next] headers in 0x40..0xff */
	VFBC_PF_CAP_EXT,	/* 16-bit IDs, 4-byte headers in 0x100..cfg_size */
};

/* Capability flags: what is odd about this one. */
#define VFBC_PF_CAP_F_DUP	0x01	/* an earlier capability of its list has its ID */
#define VFBC_PF_CAP_F_CLIPPED	0x02	/* its length runs into the next one or the end */

/* Walk flags: how the lists are malformed, for the driver's log. */
#define VFBC_PF_CAPS_F_LOOP	0x01	/* a list points back to a position it visited */
#define VFBC_PF_CAPS_F_BAD_PTR	0x02	/* a pointer into the type 0 header, or below 0x100 */
#define VFBC_PF_CAPS_F_FULL	0x04	/* more than VFBC_PF_CAPS_MAX capabilities */
#define VFBC_PF_CAPS_F_DUP	0x08	/* some capability has VFBC_PF_CAP_F_DUP */
#define VFBC_PF_CAPS_F_CLIPPED	0x10	/* some capability has VFBC_PF_CAP_F_CLIPPED */

/*
 * Real functions have a dozen capabilities. Capabilities beyond this are
 * left out of the list (VFBC_PF_CAPS_F_FULL), but their headers still end
 * the extents of the listed ones: a consumer that describes only listed
 * capabilities (the policy) leaves their bytes undescribed, hence denied.
 */
#define VFBC_PF_CAPS_MAX	64

/* One capability. */
struct vfbc_pf_cap {
	uint16_t pos;		/* offset of its header */
	uint16_t extent;	/* bytes it owns from pos (>= its header) */
	uint16_t id;		/* capability ID (8 bits for standard ones) */
	uint8_t space;		/* enum vfbc_pf_cap_space */
	uint8_t flags;		/* VFBC_PF_CAP_F_* */
};

/* The capabilities of one function, in address order. */
struct vfbc_pf_caps {
	uint16_t nb_caps;
	uint16_t flags;		/* VFBC_PF_CAPS_F_* */
	struct vfbc_pf_cap caps[VFBC_PF_CAPS_MAX];
};

/*
 * Walk both lists of cfg, a config image of cfg_size bytes (256 or 4096;
 * the extended list only exists in 4096). A capability's extent is the
 * smallest of its length (from its ID and length fields, where the table
 * of known ones has it), the distance to the next position a list points
 * to, and the distance to the end of its space (0x100 for standard ones).
 * Returns 0, or -EINVAL (NULL, other sizes) with no capability listed.
 */
int vfbc_pf_caps_walk(const uint8_t *cfg, uint32_t cfg_size, struct vfbc_pf_caps *caps);

/*
 * The capability of a list with an ID, as the PCI core finds it: the first
 * in list order, which need not be the lowest in address. NULL if absent.
 */
const struct vfbc_pf_cap *vfbc_pf_caps_find(const struct vfbc_pf_caps *caps, uint8_t space,
					     uint16_t id);

#endif /* _VFBC_PF_CAPS_H_ */
