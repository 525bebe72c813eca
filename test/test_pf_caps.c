/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The capability walker (vfbc_pf_caps.c) on synthetic config images: the
 * lists it returns for well-formed ones, then for each way a list can be
 * malformed (loops, pointers into the header or below 0x100, overlapping
 * and truncated capabilities, repeated IDs, too many capabilities). Every
 * image ends where a guard page begins: a read past it faults.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "vfbc_pf_caps.h"

#define CAPS_STD	VFBC_PF_CAP_STD
#define CAPS_EXT	VFBC_PF_CAP_EXT
#define CAPS_UNKNOWN	0x0d	/* a standard ID the walker has no length for */
#define CAPS_EXT_UNKNOWN 0x0e	/* an extended one */

static uint8_t caps_cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
static struct vfbc_pf_caps caps;
/* A page, then an inaccessible one: an image ending at the boundary faults if read past. */
static uint8_t *caps_guard;
static long caps_page;

static void
caps_put16(uint32_t off, uint16_t v)
{
	caps_cfg[off] = v & 0xff;
	caps_cfg[off + 1] = v >> 8;
}

static void
caps_put32(uint32_t off, uint32_t v)
{
	caps_put16(off, v & 0xffff);
	caps_put16(off + 2, v >> 16);
}

static void
caps_std(uint8_t id, uint32_t pos, uint32_t next)
{
	caps_cfg[pos] = id;
	caps_cfg[pos + 1] = (uint8_t)next;
}

static void
caps_ext(uint16_t id, uint32_t pos, uint32_t next)
{
	caps_put32(pos, id | 1u << 16 | next << 20);
}

static void
caps_vsec(uint32_t pos, uint32_t next, uint32_t len)
{
	caps_ext(VFBC_PCI_EXT_CAP_ID_VNDR, pos, next);
	caps_put32(pos + VFBC_PCI_VSEC_HDR, 0x0001 | len << 20);
}

static int
caps_suite_setup(void)
{
	caps_page = sysconf(_SC_PAGESIZE);
	TEST_ASSERT(caps_page >= RTE_PCI_CFG_SPACE_EXP_SIZE, "page size %ld", caps_page);
	caps_guard = mmap(NULL, 2 * caps_page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(caps_guard != MAP_FAILED, "mmap: %s", strerror(errno));
	TEST_ASSERT_SUCCESS(mprotect(caps_guard + caps_page, caps_page, PROT_NONE),
			    "mprotect: %s", strerror(errno));
	return TEST_SUCCESS;
}

static void
caps_suite_teardown(void)
{
	munmap(caps_guard, 2 * caps_page);
}

/* A function with an empty standard list at 0x40 and no extended list. */
static int
caps_setup(void)
{
	memset(caps_cfg, 0, sizeof(caps_cfg));
	caps_put16(VFBC_PCI_STATUS, VFBC_PCI_STATUS_CAP_LIST);
	caps_cfg[VFBC_PCI_CAPABILITY_LIST] = 0x40;
	return TEST_SUCCESS;
}

/* Walk the first cfg_size bytes of caps_cfg, from where reading past them faults. */
static int
caps_walk(uint32_t cfg_size)
{
	uint8_t *img = caps_guard + caps_page - RTE_MIN(cfg_size, sizeof(caps_cfg));

	memcpy(img, caps_cfg, RTE_MIN(cfg_size, sizeof(caps_cfg)));
	return vfbc_pf_caps_walk(img, cfg_size, &caps);
}

/* Capability i of the list is this one. */
static int
caps_expect(uint16_t i, uint8_t space, uint16_t id, uint16_t pos, uint16_t extent,
	    uint8_t flags)
{
	const struct vfbc_pf_cap *c = &caps.caps[i];

	TEST_ASSERT(i < caps.nb_caps, "capability %u of %u", i, caps.nb_caps);
	TEST_ASSERT(c->space == space && c->id == id && c->pos == pos && c->extent == extent &&
		    c->flags == flags,
		    "capability %u: space %u ID 0x%x at 0x%x, %u bytes, flags 0x%x; expected "
		    "space %u ID 0x%x at 0x%x, %u bytes, flags 0x%x", i, c->space, c->id, c->pos,
		    c->extent, c->flags, space, id, pos, extent, flags);
	return TEST_SUCCESS;
}

#define CAPS_EXPECT(i, space, id, pos, extent, flags) do { \
	if (caps_expect(i, space, id, pos, extent, flags) != TEST_SUCCESS) \
		return TEST_FAILED; \
} while (0)

static int
test_caps_well_formed(void)
{
	caps_std(VFBC_PCI_CAP_ID_PM, 0x40, 0x50);
	caps_std(VFBC_PCI_CAP_ID_EXP, 0x50, 0x90);
	caps_put16(0x50 + VFBC_PCI_EXP_FLAGS, 2);
	caps_std(VFBC_PCI_CAP_ID_MSIX, 0x90, 0xa0);
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0xa0, 0xc0);
	caps_cfg[0xa0 + VFBC_PCI_VNDR_LEN] = 0x14;
	caps_std(CAPS_UNKNOWN, 0xc0, 0);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x100, 0x140);
	caps_ext(RTE_PCI_EXT_CAP_ID_SRIOV, 0x140, 0x200);
	caps_vsec(0x200, 0x300, 0x30);
	caps_ext(CAPS_EXT_UNKNOWN, 0x300, 0);

	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, 9, "%u capabilities", caps.nb_caps);
	TEST_ASSERT_EQUAL(caps.flags, 0, "flags 0x%x", caps.flags);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_PM, 0x40, VFBC_PCI_PM_SIZEOF, 0);
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_EXP, 0x50, VFBC_PCI_EXP_CAP_SIZEOF, 0);
	CAPS_EXPECT(2, CAPS_STD, VFBC_PCI_CAP_ID_MSIX, 0x90, VFBC_PCI_MSIX_SIZEOF, 0);
	CAPS_EXPECT(3, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0xa0, 0x14, 0);
	/* Unknown length: up to the end of the standard space. */
	CAPS_EXPECT(4, CAPS_STD, CAPS_UNKNOWN, 0xc0, 0x40, 0);
	CAPS_EXPECT(5, CAPS_EXT, RTE_PCI_EXT_CAP_ID_ERR, 0x100, VFBC_PCI_ERR_SIZEOF, 0);
	CAPS_EXPECT(6, CAPS_EXT, RTE_PCI_EXT_CAP_ID_SRIOV, 0x140, VFBC_PCI_SRIOV_SIZEOF, 0);
	CAPS_EXPECT(7, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0x200, 0x30, 0);
	CAPS_EXPECT(8, CAPS_EXT, CAPS_EXT_UNKNOWN, 0x300, RTE_PCI_CFG_SPACE_EXP_SIZE - 0x300, 0);

	/* AER's extended ID is PM's standard one: the list matters. */
	TEST_ASSERT(vfbc_pf_caps_find(&caps, CAPS_STD, VFBC_PCI_CAP_ID_PM) == &caps.caps[0],
		    "PM");
	TEST_ASSERT(vfbc_pf_caps_find(&caps, CAPS_EXT, RTE_PCI_EXT_CAP_ID_ERR) == &caps.caps[5],
		    "AER");
	TEST_ASSERT(vfbc_pf_caps_find(&caps, CAPS_EXT, RTE_PCI_EXT_CAP_ID_SRIOV) ==
		    &caps.caps[6], "SR-IOV");
	TEST_ASSERT_NULL(vfbc_pf_caps_find(&caps, CAPS_STD, VFBC_PCI_CAP_ID_MSI), "MSI");
	return TEST_SUCCESS;
}

/* Lengths from the capabilities' own fields, and a list out of address order. */
static int
test_caps_lengths_and_order(void)
{
	caps_cfg[VFBC_PCI_CAPABILITY_LIST] = 0xc0;
	caps_std(VFBC_PCI_CAP_ID_AF, 0xc0, 0x40);
	caps_std(VFBC_PCI_CAP_ID_MSI, 0x40, 0x60);
	caps_put16(0x40 + VFBC_PCI_MSI_FLAGS,
		   VFBC_PCI_MSI_FLAGS_64BIT | VFBC_PCI_MSI_FLAGS_MASKBIT);
	caps_std(VFBC_PCI_CAP_ID_MSI, 0x60, 0x80);
	caps_std(VFBC_PCI_CAP_ID_EXP, 0x80, 0xe0);
	caps_put16(0x80 + VFBC_PCI_EXP_FLAGS, 1);
	/* A vendor capability shorter than its own header and length byte. */
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0xe0, 0);
	caps_cfg[0xe0 + VFBC_PCI_VNDR_LEN] = 1;
	caps_vsec(0x100, 0, 2);

	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, 6, "%u capabilities", caps.nb_caps);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_MSI, 0x40, 24, 0);
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_MSI, 0x60, 10, VFBC_PF_CAP_F_DUP);
	CAPS_EXPECT(2, CAPS_STD, VFBC_PCI_CAP_ID_EXP, 0x80, VFBC_PCI_EXP_CAP_V1_SIZEOF, 0);
	CAPS_EXPECT(3, CAPS_STD, VFBC_PCI_CAP_ID_AF, 0xc0, VFBC_PCI_AF_SIZEOF, 0);
	CAPS_EXPECT(4, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0xe0, VFBC_PCI_VNDR_LEN + 1, 0);
	CAPS_EXPECT(5, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0x100, VFBC_PCI_VSEC_HDR + 4, 0);
	return TEST_SUCCESS;
}

/* Without the Capabilities List bit there is no standard list. */
static int
test_caps_no_cap_list(void)
{
	caps_std(VFBC_PCI_CAP_ID_PM, 0x40, 0);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x100, 0);
	caps_put16(VFBC_PCI_STATUS, 0);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, 1, "%u capabilities", caps.nb_caps);
	CAPS_EXPECT(0, CAPS_EXT, RTE_PCI_EXT_CAP_ID_ERR, 0x100, VFBC_PCI_ERR_SIZEOF, 0);
	return TEST_SUCCESS;
}

/* A 256-byte function: no extended list (its image ends at a guard page). */
static int
test_caps_256_bytes(void)
{
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0x40, 0xf8);
	caps_cfg[0x40 + VFBC_PCI_VNDR_LEN] = 0x10;
	caps_std(VFBC_PCI_CAP_ID_EXP, 0xf8, 0);
	caps_put16(0xf8 + VFBC_PCI_EXP_FLAGS, 2);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x100, 0);
	TEST_ASSERT_SUCCESS(caps_walk(RTE_PCI_CFG_SPACE_SIZE), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, 2, "%u capabilities", caps.nb_caps);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0x40, 0x10, 0);
	/* PCIe at 0xf8 is cut at 0x100, where the standard space ends. */
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_EXP, 0xf8, 8, VFBC_PF_CAP_F_CLIPPED);
	TEST_ASSERT_EQUAL(caps.flags, VFBC_PF_CAPS_F_CLIPPED, "flags 0x%x", caps.flags);
	return TEST_SUCCESS;
}

/* Loops, also through the reserved low bits: each position once. */
static int
test_caps_loops(void)
{
	caps_std(VFBC_PCI_CAP_ID_PM, 0x40, 0x50);
	caps_std(VFBC_PCI_CAP_ID_MSIX, 0x50, 0x60);
	caps_std(CAPS_UNKNOWN, 0x60, 0x40 | 3);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x100, 0x140);
	caps_ext(RTE_PCI_EXT_CAP_ID_SRIOV, 0x140, 0x140);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.flags, VFBC_PF_CAPS_F_LOOP, "flags 0x%x", caps.flags);
	TEST_ASSERT_EQUAL(caps.nb_caps, 5, "%u capabilities", caps.nb_caps);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_PM, 0x40, VFBC_PCI_PM_SIZEOF, 0);
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_MSIX, 0x50, VFBC_PCI_MSIX_SIZEOF, 0);
	CAPS_EXPECT(2, CAPS_STD, CAPS_UNKNOWN, 0x60, 0xa0, 0);
	CAPS_EXPECT(3, CAPS_EXT, RTE_PCI_EXT_CAP_ID_ERR, 0x100, VFBC_PCI_ERR_SIZEOF, 0);
	CAPS_EXPECT(4, CAPS_EXT, RTE_PCI_EXT_CAP_ID_SRIOV, 0x140, VFBC_PCI_SRIOV_SIZEOF, 0);
	return TEST_SUCCESS;
}

/* Pointers into the type 0 header, or below 0x100, end their list. */
static int
test_caps_bad_pointers(void)
{
	caps_std(VFBC_PCI_CAP_ID_PM, 0x40, VFBC_PCI_INTERRUPT_LINE);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x100, 0x40);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.flags, VFBC_PF_CAPS_F_BAD_PTR, "flags 0x%x", caps.flags);
	TEST_ASSERT_EQUAL(caps.nb_caps, 2, "%u capabilities", caps.nb_caps);
	/* The targets are no headers: they bound nothing. */
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_PM, 0x40, VFBC_PCI_PM_SIZEOF, 0);
	CAPS_EXPECT(1, CAPS_EXT, RTE_PCI_EXT_CAP_ID_ERR, 0x100, VFBC_PCI_ERR_SIZEOF, 0);

	caps_cfg[VFBC_PCI_CAPABILITY_LIST] = VFBC_PCI_BASE_ADDRESS_0;
	caps_put32(0x100, 0);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT(caps.nb_caps == 0 && caps.flags == VFBC_PF_CAPS_F_BAD_PTR,
		    "first pointer into the header: %u capabilities, flags 0x%x", caps.nb_caps,
		    caps.flags);
	/* Reserved bits alone: a null pointer, an empty list. */
	caps_cfg[VFBC_PCI_CAPABILITY_LIST] = 3;
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT(caps.nb_caps == 0 && caps.flags == 0, "%u capabilities, flags 0x%x",
		    caps.nb_caps, caps.flags);
	return TEST_SUCCESS;
}

/* A capability ends where the next one in address order begins. */
static int
test_caps_overlaps_clipped(void)
{
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0x40, 0x60);
	caps_cfg[0x40 + VFBC_PCI_VNDR_LEN] = 0x20;
	/* Next in address order, but last in the list. */
	caps_std(VFBC_PCI_CAP_ID_PM, 0x50, 0);
	caps_std(VFBC_PCI_CAP_ID_EXP, 0x60, 0x80);
	caps_put16(0x60 + VFBC_PCI_EXP_FLAGS, 2);
	caps_std(VFBC_PCI_CAP_ID_MSIX, 0x80, 0x50);
	caps_vsec(0x100, 0x110, 0x40);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x110, 0);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.flags, VFBC_PF_CAPS_F_CLIPPED, "flags 0x%x", caps.flags);
	TEST_ASSERT_EQUAL(caps.nb_caps, 6, "%u capabilities", caps.nb_caps);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0x40, 0x10, VFBC_PF_CAP_F_CLIPPED);
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_PM, 0x50, VFBC_PCI_PM_SIZEOF, 0);
	CAPS_EXPECT(2, CAPS_STD, VFBC_PCI_CAP_ID_EXP, 0x60, 0x20, VFBC_PF_CAP_F_CLIPPED);
	CAPS_EXPECT(3, CAPS_STD, VFBC_PCI_CAP_ID_MSIX, 0x80, VFBC_PCI_MSIX_SIZEOF, 0);
	CAPS_EXPECT(4, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0x100, 0x10, VFBC_PF_CAP_F_CLIPPED);
	CAPS_EXPECT(5, CAPS_EXT, RTE_PCI_EXT_CAP_ID_ERR, 0x110, VFBC_PCI_ERR_SIZEOF, 0);
	return TEST_SUCCESS;
}

/* A position that ends its list still bounds the capability before it. */
static int
test_caps_list_ends_bound_extents(void)
{
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0x40, 0x60);
	caps_cfg[0x40 + VFBC_PCI_VNDR_LEN] = 0x40;
	caps_cfg[0x60] = 0xff;		/* an absent function */
	caps_vsec(0x100, 0x120, 0x40);	/* 0x120: an empty header */
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, 2, "%u capabilities", caps.nb_caps);
	TEST_ASSERT_EQUAL(caps.flags, VFBC_PF_CAPS_F_CLIPPED, "flags 0x%x", caps.flags);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0x40, 0x20, VFBC_PF_CAP_F_CLIPPED);
	CAPS_EXPECT(1, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0x100, 0x20, VFBC_PF_CAP_F_CLIPPED);
	/* All ones ends the extended list the same way. */
	caps_put32(0x120, UINT32_MAX);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	CAPS_EXPECT(1, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0x100, 0x20, VFBC_PF_CAP_F_CLIPPED);
	return TEST_SUCCESS;
}

/* Capabilities running past the end of config space. */
static int
test_caps_truncated(void)
{
	caps_std(VFBC_PCI_CAP_ID_PM, 0x40, 0xfc);
	caps_std(VFBC_PCI_CAP_ID_EXP, 0xfc, 0);
	caps_ext(RTE_PCI_EXT_CAP_ID_ERR, 0x100, 0xff4);
	caps_vsec(0xff4, 0xffc, 0x20);
	caps_ext(RTE_PCI_EXT_CAP_ID_SRIOV, 0xffc, 0);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, 5, "%u capabilities", caps.nb_caps);
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_EXP, 0xfc, 4, VFBC_PF_CAP_F_CLIPPED);
	CAPS_EXPECT(3, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0xff4, 8, VFBC_PF_CAP_F_CLIPPED);
	CAPS_EXPECT(4, CAPS_EXT, RTE_PCI_EXT_CAP_ID_SRIOV, 0xffc, 4, VFBC_PF_CAP_F_CLIPPED);
	/* A VSEC whose VSEC header would be past the end: not read. */
	caps_ext(VFBC_PCI_EXT_CAP_ID_VNDR, 0xffc, 0);
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	CAPS_EXPECT(4, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, 0xffc, 4,
		    VFBC_PF_CAP_F_CLIPPED | VFBC_PF_CAP_F_DUP);
	return TEST_SUCCESS;
}

/* Repeated IDs: flagged; find gives the first in list order. */
static int
test_caps_duplicates(void)
{
	caps_cfg[VFBC_PCI_CAPABILITY_LIST] = 0x80;
	caps_std(VFBC_PCI_CAP_ID_PM, 0x80, 0x40);
	caps_std(VFBC_PCI_CAP_ID_PM, 0x40, 0x60);
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0x60, 0x70);
	caps_cfg[0x60 + VFBC_PCI_VNDR_LEN] = 8;
	caps_std(VFBC_PCI_CAP_ID_VNDR, 0x70, 0);
	caps_cfg[0x70 + VFBC_PCI_VNDR_LEN] = 8;
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.flags, VFBC_PF_CAPS_F_DUP, "flags 0x%x", caps.flags);
	CAPS_EXPECT(0, CAPS_STD, VFBC_PCI_CAP_ID_PM, 0x40, VFBC_PCI_PM_SIZEOF, VFBC_PF_CAP_F_DUP);
	CAPS_EXPECT(1, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0x60, 8, 0);
	CAPS_EXPECT(2, CAPS_STD, VFBC_PCI_CAP_ID_VNDR, 0x70, 8, VFBC_PF_CAP_F_DUP);
	CAPS_EXPECT(3, CAPS_STD, VFBC_PCI_CAP_ID_PM, 0x80, VFBC_PCI_PM_SIZEOF, 0);
	TEST_ASSERT(vfbc_pf_caps_find(&caps, CAPS_STD, VFBC_PCI_CAP_ID_PM) == &caps.caps[3],
		    "PM: not the first in list order");
	return TEST_SUCCESS;
}

/* More capabilities than the list holds: the rest still bound extents. */
static int
test_caps_full(void)
{
	const uint32_t nb = VFBC_PF_CAPS_MAX + 20;
	uint32_t i, pos;

	caps_put16(VFBC_PCI_STATUS, 0);
	for (i = 0; i < nb; i++) {
		pos = VFBC_PCI_EXT_CAP_START + 8 * i;
		caps_vsec(pos, i + 1 < nb ? pos + 8 : 0, 0x40);
	}
	TEST_ASSERT_SUCCESS(caps_walk(sizeof(caps_cfg)), "walk");
	TEST_ASSERT_EQUAL(caps.nb_caps, VFBC_PF_CAPS_MAX, "%u capabilities", caps.nb_caps);
	TEST_ASSERT(caps.flags & VFBC_PF_CAPS_F_FULL, "flags 0x%x", caps.flags);
	for (i = 0; i < caps.nb_caps; i++) {
		pos = VFBC_PCI_EXT_CAP_START + 8 * i;
		CAPS_EXPECT(i, CAPS_EXT, VFBC_PCI_EXT_CAP_ID_VNDR, pos, 8,
			    VFBC_PF_CAP_F_CLIPPED | (i > 0 ? VFBC_PF_CAP_F_DUP : 0));
	}
	return TEST_SUCCESS;
}

static int
test_caps_arguments(void)
{
	TEST_ASSERT_EQUAL(vfbc_pf_caps_walk(NULL, sizeof(caps_cfg), &caps), -EINVAL, "NULL");
	TEST_ASSERT_EQUAL(caps.nb_caps, 0, "capabilities listed from NULL");
	TEST_ASSERT_EQUAL(caps_walk(512), -EINVAL, "512 bytes");
	TEST_ASSERT_EQUAL(vfbc_pf_caps_walk(caps_cfg, sizeof(caps_cfg), NULL), -EINVAL,
			  "NULL list");
	return TEST_SUCCESS;
}

#define CAPS_CASE(fn) TEST_CASE_ST(caps_setup, NULL, fn)

static struct unit_test_suite test_pf_caps_suite = {
	.suite_name = "net_vfbc_pf capability walker",
	.setup = caps_suite_setup,
	.teardown = caps_suite_teardown,
	.unit_test_cases = {
		CAPS_CASE(test_caps_well_formed),
		CAPS_CASE(test_caps_lengths_and_order),
		CAPS_CASE(test_caps_no_cap_list),
		CAPS_CASE(test_caps_256_bytes),
		CAPS_CASE(test_caps_loops),
		CAPS_CASE(test_caps_bad_pointers),
		CAPS_CASE(test_caps_overlaps_clipped),
		CAPS_CASE(test_caps_list_ends_bound_extents),
		CAPS_CASE(test_caps_truncated),
		CAPS_CASE(test_caps_duplicates),
		CAPS_CASE(test_caps_full),
		CAPS_CASE(test_caps_arguments),
		TEST_CASES_END()
	}
};

static int
test_pf_caps(void)
{
	return unit_test_suite_runner(&test_pf_caps_suite);
}

REGISTER_TEST_COMMAND(pf_caps_autotest, test_pf_caps);
