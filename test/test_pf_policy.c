/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The config-space permission policy of VF requests (vfbc_pf_policy.c),
 * against a synthetic VF config space that has every capability the table
 * knows: one test case per table row, each stating the row's expected
 * action and write mask (so a changed row fails its test), then checking
 * what writes to the region do. Plus the rules around the rows: straddling,
 * range, default deny, reads, virtualized IDs.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "vfbc_pf_policy.h"

/* Synthetic VF: where its capabilities are. */
#define POL_PM		0x40
#define POL_MSI		0x50	/* 64-bit, per-vector masking: 24 bytes */
#define POL_EXP		0x70	/* v2: 0x3c bytes */
#define POL_MSIX	0xb0
#define POL_VNDR	0xc0	/* 16 bytes */
#define POL_VNDR_LEN	0x10
#define POL_AF		0xd0
#define POL_GAP		0xf0	/* no capability */
#define POL_AER		0x100
#define POL_VSEC	0x140	/* 32 bytes */
#define POL_VSEC_LEN	0x20
#define POL_SRIOV	0x180
#define POL_EXT_GAP	0x300

#define POL_D3HOT	3	/* PMCSR PowerState D3hot */

static uint8_t pol_cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];

static void
pol_put16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void
pol_put32(uint8_t *p, uint32_t v)
{
	pol_put16(p, v & 0xffff);
	pol_put16(p + 2, v >> 16);
}

static void
pol_cap(uint8_t id, unsigned int pos, unsigned int next)
{
	pol_cfg[pos] = id;
	pol_cfg[pos + 1] = (uint8_t)next;
}

static void
pol_ext_cap(uint16_t id, unsigned int pos, unsigned int next)
{
	pol_put32(pol_cfg + pos, id | 1u << 16 | (uint32_t)next << 20);
}

/* A VF as hardware shows it: IDs read 0xffff, BARs 0, INTx pin 0. */
static int
pol_setup(void)
{
	memset(pol_cfg, 0, sizeof(pol_cfg));
	pol_put16(pol_cfg + RTE_PCI_VENDOR_ID, 0xffff);
	pol_put16(pol_cfg + RTE_PCI_DEVICE_ID, 0xffff);
	pol_put16(pol_cfg + RTE_PCI_COMMAND, RTE_PCI_COMMAND_MASTER);
	pol_put16(pol_cfg + VFBC_PCI_STATUS, VFBC_PCI_STATUS_CAP_LIST | 0x8000);
	pol_put32(pol_cfg + VFBC_PCI_CLASS_REVISION, 0x02000001);
	pol_put16(pol_cfg + VFBC_PCI_SUBSYSTEM_VENDOR_ID, 0x1b36);
	pol_cfg[VFBC_PCI_CAPABILITY_LIST] = POL_PM;

	pol_cap(VFBC_PCI_CAP_ID_PM, POL_PM, POL_MSI);
	pol_put16(pol_cfg + POL_PM + VFBC_PCI_PM_PMC, 0x0003);
	pol_cap(VFBC_PCI_CAP_ID_MSI, POL_MSI, POL_EXP);
	pol_put16(pol_cfg + POL_MSI + VFBC_PCI_MSI_FLAGS,
		  VFBC_PCI_MSI_FLAGS_64BIT | VFBC_PCI_MSI_FLAGS_MASKBIT);
	pol_cap(VFBC_PCI_CAP_ID_EXP, POL_EXP, POL_MSIX);
	pol_put16(pol_cfg + POL_EXP + VFBC_PCI_EXP_FLAGS, 2);
	pol_put32(pol_cfg + POL_EXP + VFBC_PCI_EXP_DEVCAP, VFBC_PCI_EXP_DEVCAP_FLR);
	pol_put16(pol_cfg + POL_EXP + VFBC_PCI_EXP_DEVCTL, 0x2810);
	pol_cap(VFBC_PCI_CAP_ID_MSIX, POL_MSIX, POL_VNDR);
	pol_cap(VFBC_PCI_CAP_ID_VNDR, POL_VNDR, POL_AF);
	pol_cfg[POL_VNDR + VFBC_PCI_VNDR_LEN] = POL_VNDR_LEN;
	pol_cap(VFBC_PCI_CAP_ID_AF, POL_AF, 0);
	pol_cfg[POL_AF + 2] = VFBC_PCI_AF_SIZEOF;
	pol_cfg[POL_AF + 3] = 0x03;

	pol_ext_cap(RTE_PCI_EXT_CAP_ID_ERR, POL_AER, POL_VSEC);
	pol_ext_cap(VFBC_PCI_EXT_CAP_ID_VNDR, POL_VSEC, POL_SRIOV);
	pol_put32(pol_cfg + POL_VSEC + VFBC_PCI_VSEC_HDR, 0x0001 | (uint32_t)POL_VSEC_LEN << 20);
	pol_ext_cap(RTE_PCI_EXT_CAP_ID_SRIOV, POL_SRIOV, 0);
	return TEST_SUCCESS;
}

static const struct vfbc_pf_policy_rule *
pol_row(const char *name)
{
	unsigned int i;

	for (i = 0; i < vfbc_pf_policy_nb_rules; i++)
		if (strcmp(vfbc_pf_policy_table[i].name, name) == 0)
			return &vfbc_pf_policy_table[i];
	return NULL;
}

/* Write len bytes at off: the current bytes with xor applied (little endian). */
static int
pol_try(uint32_t off, uint32_t len, uint32_t xor, struct vfbc_pf_policy_result *res)
{
	uint8_t data[128];
	uint32_t i;

	memcpy(data, pol_cfg + off, len);
	for (i = 0; i < len && i < 4; i++)
		data[i] ^= (xor >> (8 * i)) & 0xff;
	return vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg), off, len, data, res);
}

/* Little-endian value of a region of at most 4 bytes. */
static uint32_t
pol_region_value(uint32_t off, uint32_t len)
{
	uint32_t v = 0, i;

	for (i = 0; i < len && i < 4; i++)
		v |= (uint32_t)pol_cfg[off + i] << (8 * i);
	return v;
}

/*
 * The check of one row: the row says what we expect (action, masks), the
 * region at off is that row's and has region_len bytes, and writes behave:
 * - DENY / PF_ONLY: even rewriting the current value is refused;
 * - ALLOW: changing write-mask bits is accepted as ALLOW, changing any other
 *   bit is refused;
 * - TRAP_*: changing write-mask bits is ALLOW, changing a trap bit gives the
 *   trap action (with the region's new value), any other bit is refused.
 */
static int
pol_check_row(const char *name, uint32_t off, uint32_t region_len, uint8_t action,
	      uint32_t wmask, uint32_t trap)
{
	const struct vfbc_pf_policy_rule *r = pol_row(name);
	struct vfbc_pf_policy_result res;
	uint32_t len, full, bad, bit;
	int ret;

	TEST_ASSERT_NOT_NULL(r, "row %s is not in the table", name);
	TEST_ASSERT_EQUAL(r->action, action, "row %s: action %s, expected %s", name,
			  vfbc_pf_policy_action_str(r->action), vfbc_pf_policy_action_str(action));
	TEST_ASSERT_EQUAL(r->wmask, wmask, "row %s: write mask 0x%x, expected 0x%x", name,
			  r->wmask, wmask);
	TEST_ASSERT_EQUAL(r->trap, trap, "row %s: trap 0x%x, expected 0x%x", name, r->trap, trap);
	TEST_ASSERT_SUCCESS(vfbc_pf_policy_lookup(pol_cfg, sizeof(pol_cfg), off, &res),
			    "lookup 0x%x", off);
	TEST_ASSERT(res.rule == r, "0x%x maps to row %s, expected %s", off,
		    res.rule != NULL ? res.rule->name : "(none)", name);
	TEST_ASSERT_EQUAL(res.region_off, off, "row %s starts at 0x%x, expected 0x%x", name,
			  res.region_off, off);
	TEST_ASSERT_EQUAL(res.region_len, region_len, "row %s: %u bytes, expected %u", name,
			  res.region_len, region_len);
	/* The last byte belongs to the row too. */
	TEST_ASSERT_SUCCESS(vfbc_pf_policy_lookup(pol_cfg, sizeof(pol_cfg),
						  off + region_len - 1, &res), "lookup");
	TEST_ASSERT(res.rule == r, "last byte of row %s maps elsewhere", name);

	len = RTE_MIN(region_len, 128u);
	full = region_len >= 4 ? UINT32_MAX : (1u << (8 * region_len)) - 1;
	if (action == VFBC_PF_POLICY_DENY || action == VFBC_PF_POLICY_PF_ONLY) {
		ret = pol_try(off, len, 0, &res);
		TEST_ASSERT_EQUAL(ret, -EPERM, "row %s: unchanged write gave %d", name, ret);
		TEST_ASSERT_EQUAL(res.action, action, "row %s: refused as %s", name,
				  vfbc_pf_policy_action_str(res.action));
		ret = pol_try(off, 1, 0x01, &res);
		TEST_ASSERT_EQUAL(ret, -EPERM, "row %s: one-bit write gave %d", name, ret);
		return TEST_SUCCESS;
	}

	if (region_len > 4)
		wmask = wmask != 0 ? UINT32_MAX : 0;
	if (wmask != 0) {
		ret = pol_try(off, len, wmask & full, &res);
		TEST_ASSERT_SUCCESS(ret, "row %s: write-mask bits refused (%s)", name,
				    res.reason);
		TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_ALLOW, "row %s: action %s", name,
				  vfbc_pf_policy_action_str(res.action));
	}
	ret = pol_try(off, len, 0, &res);
	TEST_ASSERT_SUCCESS(ret, "row %s: unchanged write refused (%s)", name, res.reason);
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_ALLOW, "row %s: unchanged write %s", name,
			  vfbc_pf_policy_action_str(res.action));
	if (trap != 0) {
		ret = pol_try(off, len, trap, &res);
		TEST_ASSERT_SUCCESS(ret, "row %s: trap bits refused (%s)", name, res.reason);
		TEST_ASSERT_EQUAL(res.action, action, "row %s: trap gave %s", name,
				  vfbc_pf_policy_action_str(res.action));
		TEST_ASSERT_EQUAL(res.value, pol_region_value(off, region_len) ^ trap,
				  "row %s: value 0x%x after the write", name, res.value);
	}
	bad = ~(wmask | trap) & full;
	if (bad != 0) {
		bit = bad & -bad;
		ret = pol_try(off, len, bit, &res);
		TEST_ASSERT_EQUAL(ret, -EPERM, "row %s: bit 0x%x (not the VF's) gave %d", name,
				  bit, ret);
	}
	return TEST_SUCCESS;
}

#define POL_ROW_TEST(fn, name, off, rlen, act, wm, tr) \
	static int fn(void) \
	{ \
		return pol_check_row(name, off, rlen, VFBC_PF_POLICY_ ## act, wm, tr); \
	}

/* Expected rows: what the driver guide documents. */
POL_ROW_TEST(test_policy_row_vendor_id, "vendor_id", 0x00, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_device_id, "device_id", 0x02, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_command, "command", 0x04, 2, ALLOW, 0x0544, 0)
POL_ROW_TEST(test_policy_row_status, "status", 0x06, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_revision_class, "revision_class", 0x08, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_cache_line_size, "cache_line_size", 0x0c, 1, ALLOW, 0xff, 0)
POL_ROW_TEST(test_policy_row_latency_timer, "latency_timer", 0x0d, 1, ALLOW, 0xff, 0)
POL_ROW_TEST(test_policy_row_header_type, "header_type", 0x0e, 1, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_bist, "bist", 0x0f, 1, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_bars, "bars", 0x10, 24, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_cardbus_cis, "cardbus_cis", 0x28, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_subsystem_ids, "subsystem_ids", 0x2c, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_rom, "rom", 0x30, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_cap_pointer, "cap_pointer", 0x34, 1, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_hdr_reserved, "hdr_reserved", 0x35, 7, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_interrupt_line, "interrupt_line", 0x3c, 1, ALLOW, 0xff, 0)
POL_ROW_TEST(test_policy_row_interrupt_pin, "interrupt_pin", 0x3d, 1, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_min_gnt_max_lat, "min_gnt_max_lat", 0x3e, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_cap_header, "cap_header", POL_EXP, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_pm_pmc, "pm_pmc", POL_PM + 2, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_pm_pmcsr, "pm_pmcsr", POL_PM + 4, 2, TRAP_POWER, 0x8000, 0x0103)
POL_ROW_TEST(test_policy_row_pm_bse_data, "pm_bse_data", POL_PM + 6, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_exp_flags, "exp_flags", POL_EXP + 2, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_exp_devcap, "exp_devcap", POL_EXP + 4, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_exp_devctl, "exp_devctl", POL_EXP + 8, 2, TRAP_RESET, 0x7d1f,
	     0x8000)
POL_ROW_TEST(test_policy_row_exp_devsta, "exp_devsta", POL_EXP + 0xa, 2, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_exp_link_slot_root, "exp_link_slot_root", POL_EXP + 0xc, 0x18,
	     DENY, 0, 0)
POL_ROW_TEST(test_policy_row_exp_devcap2, "exp_devcap2", POL_EXP + 0x24, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_exp_devctl2, "exp_devctl2", POL_EXP + 0x28, 2, ALLOW, 0x001f, 0)
POL_ROW_TEST(test_policy_row_exp_rest, "exp_rest", POL_EXP + 0x2a, 0x12, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_msi, "msi", POL_MSI + 2, 22, PF_ONLY, 0, 0)
POL_ROW_TEST(test_policy_row_msix, "msix", POL_MSIX + 2, 10, PF_ONLY, 0, 0)
POL_ROW_TEST(test_policy_row_vndr_len, "vndr_len", POL_VNDR + 2, 1, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_vndr_data, "vndr_data", POL_VNDR + 3, POL_VNDR_LEN - 3, ALLOW,
	     UINT32_MAX, 0)
POL_ROW_TEST(test_policy_row_af_ctrl, "af_ctrl", POL_AF + 4, 1, TRAP_RESET, 0, 0x01)
POL_ROW_TEST(test_policy_row_ext_cap_header, "ext_cap_header", POL_VSEC, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_aer_uncor_mask, "aer_uncor_mask", POL_AER + 8, 4, ALLOW,
	     UINT32_MAX, 0)
POL_ROW_TEST(test_policy_row_aer_cor_mask, "aer_cor_mask", POL_AER + 0x14, 4, ALLOW,
	     UINT32_MAX, 0)
POL_ROW_TEST(test_policy_row_sriov, "sriov", POL_SRIOV + 4, 0x3c, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_vsec_header, "vsec_header", POL_VSEC + 4, 4, DENY, 0, 0)
POL_ROW_TEST(test_policy_row_vsec_data, "vsec_data", POL_VSEC + 8, POL_VSEC_LEN - 8, ALLOW,
	     UINT32_MAX, 0)

/* Names of the rows tested above: a table row without a test fails. */
static const char * const pol_tested_rows[] = {
	"vendor_id", "device_id", "command", "status", "revision_class",
	"cache_line_size", "latency_timer", "header_type", "bist", "bars",
	"cardbus_cis", "subsystem_ids", "rom", "cap_pointer", "hdr_reserved",
	"interrupt_line", "interrupt_pin", "min_gnt_max_lat", "cap_header", "pm_pmc",
	"pm_pmcsr", "pm_bse_data", "exp_flags", "exp_devcap", "exp_devctl",
	"exp_devsta", "exp_link_slot_root", "exp_devcap2", "exp_devctl2", "exp_rest",
	"msi", "msix", "vndr_len", "vndr_data", "af_ctrl", "ext_cap_header",
	"aer_uncor_mask", "aer_cor_mask", "sriov", "vsec_header", "vsec_data",
};

static int
test_policy_every_row_has_a_test(void)
{
	unsigned int i, j;

	TEST_ASSERT_EQUAL(vfbc_pf_policy_nb_rules, RTE_DIM(pol_tested_rows),
			  "%u rows in the table, %zu tested", vfbc_pf_policy_nb_rules,
			  RTE_DIM(pol_tested_rows));
	for (i = 0; i < vfbc_pf_policy_nb_rules; i++) {
		for (j = 0; j < RTE_DIM(pol_tested_rows); j++)
			if (strcmp(vfbc_pf_policy_table[i].name, pol_tested_rows[j]) == 0)
				break;
		TEST_ASSERT(j < RTE_DIM(pol_tested_rows), "row %s has no test",
			    vfbc_pf_policy_table[i].name);
		/* Longer regions must be all or nothing: the engine relies on it. */
		if (vfbc_pf_policy_table[i].len > 4 ||
		    vfbc_pf_policy_table[i].len == VFBC_PF_POLICY_TO_END)
			TEST_ASSERT(vfbc_pf_policy_table[i].wmask == 0 ||
				    vfbc_pf_policy_table[i].wmask == UINT32_MAX,
				    "row %s: partial mask on a long region",
				    vfbc_pf_policy_table[i].name);
	}
	return TEST_SUCCESS;
}

/* Every byte of the type 0 header has a row. */
static int
test_policy_header_fully_covered(void)
{
	struct vfbc_pf_policy_result res;
	uint32_t off;

	for (off = 0; off < VFBC_PCI_STD_HEADER_SIZEOF; off++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_policy_lookup(pol_cfg, sizeof(pol_cfg), off, &res),
				    "lookup 0x%x", off);
		TEST_ASSERT_NOT_NULL(res.rule, "header byte 0x%x has no row", off);
	}
	return TEST_SUCCESS;
}

static int
test_policy_straddling_write_refused(void)
{
	struct vfbc_pf_policy_result res;

	/* Command (the VF's bits) + Status (denied) in one dword. */
	TEST_ASSERT_EQUAL(pol_try(RTE_PCI_COMMAND, 4, 0, &res), -EPERM, "command+status");
	/* Latency timer (allowed) + header type (denied). */
	TEST_ASSERT_EQUAL(pol_try(VFBC_PCI_LATENCY_TIMER, 2, 0, &res), -EPERM, "two bytes");
	TEST_ASSERT(strstr(res.reason, "straddle") != NULL, "reason: %s", res.reason);
	/* DEVCTL + DEVSTA. */
	TEST_ASSERT_EQUAL(pol_try(POL_EXP + VFBC_PCI_EXP_DEVCTL, 4, 0, &res), -EPERM,
			  "devctl+devsta");
	/* Vendor data running into the next capability. */
	TEST_ASSERT_EQUAL(pol_try(POL_VNDR + POL_VNDR_LEN - 2, 4, 0, &res), -EPERM,
			  "vendor data into the AF capability");
	return TEST_SUCCESS;
}

static int
test_policy_default_deny(void)
{
	struct vfbc_pf_policy_result res;

	/* A byte no capability covers, standard and extended. */
	TEST_ASSERT_EQUAL(pol_try(POL_GAP, 1, 0, &res), -EPERM, "gap");
	TEST_ASSERT_NULL(res.rule, "gap has row %s", res.rule != NULL ? res.rule->name : "");
	TEST_ASSERT_EQUAL(pol_try(POL_EXT_GAP, 4, 0, &res), -EPERM, "extended gap");
	/* AER fields other than the masks. */
	TEST_ASSERT_EQUAL(pol_try(POL_AER + 4, 4, 0, &res), -EPERM, "AER status");
	/* An unknown capability: only its header is described. */
	pol_cap(0x0d, POL_AF, 0);
	TEST_ASSERT_EQUAL(pol_try(POL_AF + 4, 1, 0, &res), -EPERM, "unknown capability");
	return pol_setup();
}

static int
test_policy_range_and_arguments(void)
{
	struct vfbc_pf_policy_result res;
	uint8_t d[4] = { 0 };

	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg), 4095, 2, d, &res),
			  -ERANGE, "beyond 4096");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, 256, POL_AER + 8, 4, d, &res),
			  -ERANGE, "extended space of a 256-byte VF");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg), 4, 0, d, &res),
			  -EINVAL, "len 0");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(NULL, sizeof(pol_cfg), 4, 2, d, &res), -EINVAL,
			  "NULL config");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg), 4, 2, NULL, &res),
			  -EINVAL, "NULL data");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, 512, 4, 2, d, &res), -EINVAL,
			  "config size 512");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg), 4, 2, d, NULL),
			  -EINVAL, "NULL result");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_read(256, 0, 256), 0, "whole 256-byte space");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_read(256, 0x100, 4), -ERANGE, "read beyond 256");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_read(4096, 4094, 4), -ERANGE, "read beyond 4096");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_read(4096, 0, 0), -EINVAL, "read len 0");
	return TEST_SUCCESS;
}

static int
test_policy_reads_see_virtualized_ids(void)
{
	uint8_t buf[8];

	memcpy(buf, pol_cfg, sizeof(buf));
	vfbc_pf_policy_virtualize_read(buf, 0, sizeof(buf), 0x1b36, 0x10b1);
	TEST_ASSERT(buf[0] == 0x36 && buf[1] == 0x1b && buf[2] == 0xb1 && buf[3] == 0x10,
		    "IDs %02x%02x:%02x%02x", buf[1], buf[0], buf[3], buf[2]);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf + 4, pol_cfg + 4, 4, "bytes after the IDs changed");
	/* A read of the device ID's high byte only. */
	buf[0] = 0xff;
	vfbc_pf_policy_virtualize_read(buf, 3, 1, 0x1b36, 0x10b1);
	TEST_ASSERT_EQUAL(buf[0], 0x10, "device ID high byte 0x%02x", buf[0]);
	/* Nothing to do beyond the IDs. */
	buf[0] = 0xab;
	vfbc_pf_policy_virtualize_read(buf, 4, 1, 0x1b36, 0x10b1);
	TEST_ASSERT_EQUAL(buf[0], 0xab, "command byte rewritten");
	return TEST_SUCCESS;
}

/* The power trap reports the PMCSR the VF asked for. */
static int
test_policy_power_trap_value(void)
{
	struct vfbc_pf_policy_result res;
	uint8_t d[2];

	d[0] = POL_D3HOT;
	d[1] = pol_cfg[POL_PM + VFBC_PCI_PM_CTRL + 1];
	TEST_ASSERT_SUCCESS(vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg),
						 POL_PM + VFBC_PCI_PM_CTRL, 2, d, &res), "D3hot");
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_TRAP_POWER, "action %s",
			  vfbc_pf_policy_action_str(res.action));
	TEST_ASSERT_EQUAL(res.value & VFBC_PCI_PM_CTRL_STATE_MASK, POL_D3HOT, "value 0x%x",
			  res.value);
	/* Only the high byte of DEVCTL, with Initiate FLR: the reset trap. */
	d[0] = pol_cfg[POL_EXP + VFBC_PCI_EXP_DEVCTL + 1] | 0x80;
	TEST_ASSERT_SUCCESS(vfbc_pf_policy_write(pol_cfg, sizeof(pol_cfg),
						 POL_EXP + VFBC_PCI_EXP_DEVCTL + 1, 1, d, &res),
			    "FLR byte");
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_TRAP_RESET, "action %s",
			  vfbc_pf_policy_action_str(res.action));
	return TEST_SUCCESS;
}

/* A looping capability list ends the walk: the byte is just denied. */
static int
test_policy_capability_loop_terminates(void)
{
	struct vfbc_pf_policy_result res;

	pol_cfg[POL_AF + 1] = POL_PM;
	TEST_ASSERT_EQUAL(pol_try(POL_GAP, 1, 0, &res), -EPERM, "gap in a looping list");
	pol_put32(pol_cfg + POL_SRIOV, RTE_PCI_EXT_CAP_ID_SRIOV | 1u << 16 |
		  (uint32_t)POL_AER << 20);
	TEST_ASSERT_EQUAL(pol_try(POL_EXT_GAP, 1, 0, &res), -EPERM, "looping extended list");
	return pol_setup();
}

static struct unit_test_suite test_pf_policy_suite = {
	.suite_name = "net_vfbc_pf config-space permission policy",
	.setup = pol_setup,
	.unit_test_cases = {
		TEST_CASE(test_policy_every_row_has_a_test),
		TEST_CASE(test_policy_header_fully_covered),
		TEST_CASE(test_policy_row_vendor_id),
		TEST_CASE(test_policy_row_device_id),
		TEST_CASE(test_policy_row_command),
		TEST_CASE(test_policy_row_status),
		TEST_CASE(test_policy_row_revision_class),
		TEST_CASE(test_policy_row_cache_line_size),
		TEST_CASE(test_policy_row_latency_timer),
		TEST_CASE(test_policy_row_header_type),
		TEST_CASE(test_policy_row_bist),
		TEST_CASE(test_policy_row_bars),
		TEST_CASE(test_policy_row_cardbus_cis),
		TEST_CASE(test_policy_row_subsystem_ids),
		TEST_CASE(test_policy_row_rom),
		TEST_CASE(test_policy_row_cap_pointer),
		TEST_CASE(test_policy_row_hdr_reserved),
		TEST_CASE(test_policy_row_interrupt_line),
		TEST_CASE(test_policy_row_interrupt_pin),
		TEST_CASE(test_policy_row_min_gnt_max_lat),
		TEST_CASE(test_policy_row_cap_header),
		TEST_CASE(test_policy_row_pm_pmc),
		TEST_CASE(test_policy_row_pm_pmcsr),
		TEST_CASE(test_policy_row_pm_bse_data),
		TEST_CASE(test_policy_row_exp_flags),
		TEST_CASE(test_policy_row_exp_devcap),
		TEST_CASE(test_policy_row_exp_devctl),
		TEST_CASE(test_policy_row_exp_devsta),
		TEST_CASE(test_policy_row_exp_link_slot_root),
		TEST_CASE(test_policy_row_exp_devcap2),
		TEST_CASE(test_policy_row_exp_devctl2),
		TEST_CASE(test_policy_row_exp_rest),
		TEST_CASE(test_policy_row_msi),
		TEST_CASE(test_policy_row_msix),
		TEST_CASE(test_policy_row_vndr_len),
		TEST_CASE(test_policy_row_vndr_data),
		TEST_CASE(test_policy_row_af_ctrl),
		TEST_CASE(test_policy_row_ext_cap_header),
		TEST_CASE(test_policy_row_aer_uncor_mask),
		TEST_CASE(test_policy_row_aer_cor_mask),
		TEST_CASE(test_policy_row_sriov),
		TEST_CASE(test_policy_row_vsec_header),
		TEST_CASE(test_policy_row_vsec_data),
		TEST_CASE(test_policy_straddling_write_refused),
		TEST_CASE(test_policy_default_deny),
		TEST_CASE(test_policy_range_and_arguments),
		TEST_CASE(test_policy_reads_see_virtualized_ids),
		TEST_CASE(test_policy_power_trap_value),
		TEST_CASE(test_policy_capability_loop_terminates),
		TEST_CASES_END()
	}
};

static int
test_pf_policy(void)
{
	return unit_test_suite_runner(&test_pf_policy_suite);
}

REGISTER_TEST_COMMAND(pf_policy_autotest, test_pf_policy);
