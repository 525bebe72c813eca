/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The capability walker over a config image (see vfbc_pf_caps.h). No
 * device access, no state: unit-tested and fuzzed on synthetic images.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf_caps.h"

/* One bit per dword of config space: the positions the lists point to. */
#define CAPS_SEEN_WORDS	(RTE_PCI_CFG_SPACE_EXP_SIZE / 4 / 64)

/* Fixed part of an MSI capability, and what its two options add. */
#define CAPS_MSI_SIZEOF		10	/* header, control, 32-bit address, data */
#define CAPS_MSI_64BIT_SIZEOF	4	/* upper address */
#define CAPS_MSI_MASK_SIZEOF	10	/* reserved, mask bits, pending bits */
/* A vendor-specific capability is at least its header and length byte. */
#define CAPS_VNDR_MIN		(VFBC_PCI_VNDR_LEN + 1)
/* A VSEC is at least its header and its VSEC header. */
#define CAPS_VSEC_MIN		(VFBC_PCI_VSEC_HDR + 4)

static uint16_t
caps_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
caps_get32(const uint8_t *p)
{
	return (uint32_t)caps_get16(p) | (uint32_t)caps_get16(p + 2) << 16;
}

/* Mark pos; returns 1 if a list had been there already. */
static int
caps_mark(uint64_t *seen, uint32_t pos)
{
	uint64_t bit = UINT64_C(1) << (pos / 4 % 64);

	if (seen[pos / 4 / 64] & bit)
		return 1;
	seen[pos / 4 / 64] |= bit;
	return 0;
}

/* First marked position in [from, end), or end. */
static uint32_t
caps_next_mark(const uint64_t *seen, uint32_t from, uint32_t end)
{
	uint32_t i = from / 4;
	uint64_t w;

	while (i < end / 4) {
		w = seen[i / 64] >> (i % 64);
		if (w != 0)
			return RTE_MIN((i + rte_bsf64(w)) * 4, end);
		i = (i / 64 + 1) * 64;
	}
	return end;
}

static void
caps_add(struct vfbc_pf_caps *caps, uint8_t space, uint16_t id, uint32_t pos)
{
	struct vfbc_pf_cap *c;
	uint16_t i;

	if (caps->nb_caps == VFBC_PF_CAPS_MAX) {
		caps->flags |= VFBC_PF_CAPS_F_FULL;
		return;
	}
	c = &caps->caps[caps->nb_caps++];
	c->pos = (uint16_t)pos;
	c->id = id;
	c->space = space;
	c->flags = 0;
	c->extent = 0;
	/* Recorded in list order: any earlier one with the ID is here. */
	for (i = 0; i + 1 < caps->nb_caps; i++) {
		if (caps->caps[i].space == space && caps->caps[i].id == id) {
			c->flags |= VFBC_PF_CAP_F_DUP;
			caps->flags |= VFBC_PF_CAPS_F_DUP;
			break;
		}
	}
}

/* Whether a list goes on to pos: not below its space, not a second time. */
static int
caps_visit(struct vfbc_pf_caps *caps, uint64_t *seen, uint32_t pos, uint32_t min)
{
	if (pos < min) {
		caps->flags |= VFBC_PF_CAPS_F_BAD_PTR;
		return 0;
	}
	if (caps_mark(seen, pos)) {
		caps->flags |= VFBC_PF_CAPS_F_LOOP;
		return 0;
	}
	return 1;
}

static void
caps_walk_std(const uint8_t *cfg, struct vfbc_pf_caps *caps, uint64_t *seen)
{
	uint32_t pos;

	if (!(caps_get16(cfg + VFBC_PCI_STATUS) & VFBC_PCI_STATUS_CAP_LIST))
		return;
	/* The two low bits of every pointer are reserved (PCI 3.0, 6.7). */
	pos = cfg[VFBC_PCI_CAPABILITY_LIST] & ~3u;
	while (pos != 0 && caps_visit(caps, seen, pos, VFBC_PCI_STD_HEADER_SIZEOF)) {
		/* An absent function reads all ones. */
		if (cfg[pos + VFBC_PCI_CAP_LIST_ID] == 0xff)
			return;
		caps_add(caps, VFBC_PF_CAP_STD, cfg[pos + VFBC_PCI_CAP_LIST_ID], pos);
		pos = cfg[pos + VFBC_PCI_CAP_LIST_NEXT] & ~3u;
	}
}

static void
caps_walk_ext(const uint8_t *cfg, struct vfbc_pf_caps *caps, uint64_t *seen)
{
	uint32_t pos = VFBC_PCI_EXT_CAP_START;
	uint32_t hdr;

	/* RTE_PCI_EXT_CAP_NEXT() is dword aligned and below 4096: in the image. */
	while (pos != 0 && caps_visit(caps, seen, pos, VFBC_PCI_EXT_CAP_START)) {
		hdr = caps_get32(cfg + pos);
		if (hdr == 0 || hdr == UINT32_MAX)
			return;
		caps_add(caps, VFBC_PF_CAP_EXT, RTE_PCI_EXT_CAP_ID(hdr), pos);
		pos = RTE_PCI_EXT_CAP_NEXT(hdr);
	}
}

/* Length the capability's own fields give it; 0 when the walker does not know it. */
static uint32_t
caps_std_len(const uint8_t *cfg, uint32_t pos, uint16_t id)
{
	uint16_t flags = caps_get16(cfg + pos + 2);
	uint32_t len;

	switch (id) {
	case VFBC_PCI_CAP_ID_PM:
		return VFBC_PCI_PM_SIZEOF;
	case VFBC_PCI_CAP_ID_MSI:
		len = CAPS_MSI_SIZEOF;
		if (flags & VFBC_PCI_MSI_FLAGS_64BIT)
			len += CAPS_MSI_64BIT_SIZEOF;
		if (flags & VFBC_PCI_MSI_FLAGS_MASKBIT)
			len += CAPS_MSI_MASK_SIZEOF;
		return len;
	case VFBC_PCI_CAP_ID_MSIX:
		return VFBC_PCI_MSIX_SIZEOF;
	case VFBC_PCI_CAP_ID_EXP:
		return (flags & VFBC_PCI_EXP_FLAGS_VERS) >= 2 ? VFBC_PCI_EXP_CAP_SIZEOF :
			VFBC_PCI_EXP_CAP_V1_SIZEOF;
	case VFBC_PCI_CAP_ID_VNDR:
		return RTE_MAX((uint32_t)cfg[pos + VFBC_PCI_VNDR_LEN], (uint32_t)CAPS_VNDR_MIN);
	case VFBC_PCI_CAP_ID_AF:
		return VFBC_PCI_AF_SIZEOF;
	default:
		return 0;
	}
}

static uint32_t
caps_ext_len(const uint8_t *cfg, uint32_t cfg_size, uint32_t pos, uint16_t id)
{
	switch (id) {
	case RTE_PCI_EXT_CAP_ID_ERR:
		return VFBC_PCI_ERR_SIZEOF;
	case RTE_PCI_EXT_CAP_ID_SRIOV:
		return VFBC_PCI_SRIOV_SIZEOF;
	case VFBC_PCI_EXT_CAP_ID_VNDR:
		/* A VSEC header past the end: the VSEC is cut short anyway. */
		if (pos + CAPS_VSEC_MIN > cfg_size)
			return CAPS_VSEC_MIN;
		return RTE_MAX(VFBC_PCI_VSEC_LEN(caps_get32(cfg + pos + VFBC_PCI_VSEC_HDR)),
			       (uint32_t)CAPS_VSEC_MIN);
	default:
		return 0;
	}
}

/* Address order, so that extents and the policy's regions come out sorted. */
static void
caps_sort(struct vfbc_pf_caps *caps)
{
	struct vfbc_pf_cap c;
	uint16_t i, j;

	for (i = 1; i < caps->nb_caps; i++) {
		c = caps->caps[i];
		for (j = i; j > 0 && caps->caps[j - 1].pos > c.pos; j--)
			caps->caps[j] = caps->caps[j - 1];
		caps->caps[j] = c;
	}
}

int
vfbc_pf_caps_walk(const uint8_t *cfg, uint32_t cfg_size, struct vfbc_pf_caps *caps)
{
	uint64_t seen[CAPS_SEEN_WORDS];
	struct vfbc_pf_cap *c;
	uint32_t end, avail, len;
	uint16_t i;

	if (caps == NULL)
		return -EINVAL;
	memset(caps, 0, sizeof(*caps));
	if (cfg == NULL ||
	    (cfg_size != RTE_PCI_CFG_SPACE_SIZE && cfg_size != RTE_PCI_CFG_SPACE_EXP_SIZE))
		return -EINVAL;
	memset(seen, 0, sizeof(seen));
	caps_walk_std(cfg, caps, seen);
	if (cfg_size > RTE_PCI_CFG_SPACE_SIZE)
		caps_walk_ext(cfg, caps, seen);
	caps_sort(caps);

	for (i = 0; i < caps->nb_caps; i++) {
		c = &caps->caps[i];
		if (c->space == VFBC_PF_CAP_STD) {
			end = RTE_PCI_CFG_SPACE_SIZE;
			len = caps_std_len(cfg, c->pos, c->id);
		} else {
			end = cfg_size;
			len = caps_ext_len(cfg, cfg_size, c->pos, c->id);
		}
		/* Headers are 4-byte aligned and at most 4 bytes: avail >= header. */
		avail = caps_next_mark(seen, c->pos + 4, end) - c->pos;
		if (len > avail) {
			c->flags |= VFBC_PF_CAP_F_CLIPPED;
			caps->flags |= VFBC_PF_CAPS_F_CLIPPED;
		}
		c->extent = (uint16_t)(len != 0 ? RTE_MIN(len, avail) : avail);
	}
	return 0;
}

const struct vfbc_pf_cap *
vfbc_pf_caps_find(const struct vfbc_pf_caps *caps, uint8_t space, uint16_t id)
{
	uint16_t i;

	for (i = 0; i < caps->nb_caps; i++)
		if (caps->caps[i].space == space && caps->caps[i].id == id &&
		    !(caps->caps[i].flags & VFBC_PF_CAP_F_DUP))
			return &caps->caps[i];
	return NULL;
}
