/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The config-space permission policy of VF requests (vfbc_pf_policy.c),
 * against a synthetic VF config space that has every capability the table
 * knows: one test case per table row, each stating the row's expected
 * action and write mask (so a changed row fails its test), then checking
 * what writes to the region do. Plus the rules around the rows: straddling,
 * range, default deny, reads, virtualized IDs; malformed capability lists;
 * the region map and the bytes a decision reads.
 *
 * Every write goes through the driver's path: a map built from the image,
 * the span to read, the decision from the span's bytes; and again with
 * every byte outside the span poisoned, which must not change the verdict.
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
static uint32_t pol_cfg_size;
static struct vfbc_pf_policy_map pol_map;
/* pol_cfg with the bytes outside a span poisoned. */
static uint8_t pol_poisoned[RTE_PCI_CFG_SPACE_EXP_SIZE];

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

/* A vendor-specific capability of len bytes. */
static void
pol_vndr(unsigned int pos, unsigned int next, uint8_t len)
{
	pol_cap(VFBC_PCI_CAP_ID_VNDR, pos, next);
	pol_cfg[pos + VFBC_PCI_VNDR_LEN] = len;
}

/* A vendor-specific extended capability (VSEC ID 1) of len bytes. */
static void
pol_vsec(unsigned int pos, unsigned int next, uint32_t len)
{
	pol_ext_cap(VFBC_PCI_EXT_CAP_ID_VNDR, pos, next);
	pol_put32(pol_cfg + pos + VFBC_PCI_VSEC_HDR, 0x0001 | len << 20);
}

/* A VF as hardware shows it: IDs read 0xffff, BARs 0, INTx pin 0. */
static int
pol_setup(void)
{
	memset(pol_cfg, 0, sizeof(pol_cfg));
	pol_cfg_size = sizeof(pol_cfg);
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
	pol_vndr(POL_VNDR, POL_AF, POL_VNDR_LEN);
	pol_cap(VFBC_PCI_CAP_ID_AF, POL_AF, 0);
	pol_cfg[POL_AF + 2] = VFBC_PCI_AF_SIZEOF;
	pol_cfg[POL_AF + 3] = 0x03;

	pol_ext_cap(RTE_PCI_EXT_CAP_ID_ERR, POL_AER, POL_VSEC);
	pol_vsec(POL_VSEC, POL_SRIOV, POL_VSEC_LEN);
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

static const char *
pol_name(const struct vfbc_pf_policy_result *res)
{
	return res->rule != NULL ? res->rule->name : "(none)";
}

/* Map of pol_cfg as the test left it, and the region of off in it. */
static int
pol_lookup(uint32_t off, struct vfbc_pf_policy_result *res)
{
	int ret;

	ret = vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &pol_map);
	if (ret < 0)
		return ret;
	return vfbc_pf_policy_lookup(&pol_map, off, res);
}

/*
 * Decide a write of data as the driver does: map, span, decision from the
 * span's bytes. -EFAULT (which the policy never answers) when poisoning
 * every byte outside the span changes the verdict.
 */
static int
pol_write(uint32_t off, uint32_t len, const uint8_t *data, struct vfbc_pf_policy_result *res)
{
	struct vfbc_pf_policy_result pres;
	uint32_t span_off, span_len, i;
	int ret, pret;

	vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &pol_map);
	span_len = vfbc_pf_policy_write_span(&pol_map, off, len, &span_off);
	ret = vfbc_pf_policy_write_decide(&pol_map, off, len, data, pol_cfg + span_off, span_len,
					  res);
	for (i = 0; i < sizeof(pol_poisoned); i++)
		pol_poisoned[i] = i >= span_off && i < span_off + span_len ? pol_cfg[i] :
			(uint8_t)~pol_cfg[i];
	pret = vfbc_pf_policy_write_decide(&pol_map, off, len, data, pol_poisoned + span_off,
					   span_len, &pres);
	if (pret != ret || pres.action != res->action || pres.value != res->value ||
	    pres.rule != res->rule) {
		printf("write of %u bytes at 0x%x: %d (%s) with the device's bytes, %d (%s) "
		       "with those outside [0x%x, +%u) poisoned\n", len, off, ret, res->reason,
		       pret, pres.reason, span_off, span_len);
		return -EFAULT;
	}
	return ret;
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
	return pol_write(off, len, data, res);
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
	TEST_ASSERT_SUCCESS(pol_lookup(off, &res), "lookup 0x%x", off);
	TEST_ASSERT(res.rule == r, "0x%x maps to row %s, expected %s", off,
		    res.rule != NULL ? res.rule->name : "(none)", name);
	TEST_ASSERT_EQUAL(res.region_off, off, "row %s starts at 0x%x, expected 0x%x", name,
			  res.region_off, off);
	TEST_ASSERT_EQUAL(res.region_len, region_len, "row %s: %u bytes, expected %u", name,
			  res.region_len, region_len);
	/* The last byte belongs to the row too. */
	TEST_ASSERT_SUCCESS(pol_lookup(off + region_len - 1, &res), "lookup");
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
		/* Longer regions are all or nothing, untrapped: the engine relies on it. */
		if (vfbc_pf_policy_table[i].len > 4 ||
		    vfbc_pf_policy_table[i].len == VFBC_PF_POLICY_TO_END)
			TEST_ASSERT((vfbc_pf_policy_table[i].wmask == 0 ||
				     vfbc_pf_policy_table[i].wmask == UINT32_MAX) &&
				    vfbc_pf_policy_table[i].trap == 0,
				    "row %s: partial mask or trap on a long region",
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
		TEST_ASSERT_SUCCESS(pol_lookup(off, &res), "lookup 0x%x", off);
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
	return TEST_SUCCESS;
}

static int
test_policy_range_and_arguments(void)
{
	struct vfbc_pf_policy_result res;
	struct vfbc_pf_policy_map zero;
	uint32_t span_off;
	uint8_t d[4] = { 0 };

	TEST_ASSERT_SUCCESS(vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &pol_map), "map");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4095, 2, d, NULL, 0, &res),
			  -ERANGE, "beyond 4096");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, UINT32_MAX, 2, d, NULL, 0, &res),
			  -ERANGE, "offset wrapping around");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4, 0, d, NULL, 0, &res),
			  -EINVAL, "len 0");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(NULL, 4, 2, d, NULL, 0, &res), -EINVAL,
			  "NULL map");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4, 2, d, NULL, 0, NULL),
			  -EINVAL, "NULL result");
	/* Command: the span is the register. */
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_span(&pol_map, 4, 2, &span_off), 2, "span");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_span(&pol_map, 4, 2, NULL), 2, "span length only");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4, 2, NULL, pol_cfg + 4, 2, &res),
			  -EINVAL, "NULL data");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4, 2, d, NULL, 2, &res),
			  -EINVAL, "NULL current bytes");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4, 2, d, pol_cfg + 4, 1, &res),
			  -EINVAL, "fewer current bytes than the span");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&pol_map, 4, 2, d, pol_cfg, 4, &res),
			  -EINVAL, "more current bytes than the span");
	/* A map that failed to build, or was never built, refuses everything. */
	TEST_ASSERT_EQUAL(vfbc_pf_policy_map_build(NULL, sizeof(pol_cfg), &zero), -EINVAL,
			  "NULL config");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_decide(&zero, 4, 2, d, NULL, 0, &res), -EINVAL,
			  "write through a map built from NULL");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_map_build(pol_cfg, 512, &zero), -EINVAL,
			  "config size 512");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_lookup(&zero, 4, &res), -EINVAL, "lookup");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write_span(&zero, 4, 2, &span_off), 0, "span");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_map_build(pol_cfg, sizeof(pol_cfg), NULL), -EINVAL,
			  "NULL map");
	/* The extended space of a 256-byte VF does not exist. */
	pol_cfg_size = RTE_PCI_CFG_SPACE_SIZE;
	TEST_ASSERT_EQUAL(pol_try(POL_AER + 8, 4, 0, &res), -ERANGE, "AER of a 256-byte VF");
	TEST_ASSERT_EQUAL(pol_lookup(RTE_PCI_CFG_SPACE_SIZE, &res), -ERANGE, "lookup 0x100");

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
	TEST_ASSERT_SUCCESS(pol_write(POL_PM + VFBC_PCI_PM_CTRL, 2, d, &res), "D3hot");
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_TRAP_POWER, "action %s",
			  vfbc_pf_policy_action_str(res.action));
	TEST_ASSERT_EQUAL(res.value & VFBC_PCI_PM_CTRL_STATE_MASK, POL_D3HOT, "value 0x%x",
			  res.value);
	/* Only the high byte of DEVCTL, with Initiate FLR: the reset trap. */
	d[0] = pol_cfg[POL_EXP + VFBC_PCI_EXP_DEVCTL + 1] | 0x80;
	TEST_ASSERT_SUCCESS(pol_write(POL_EXP + VFBC_PCI_EXP_DEVCTL + 1, 1, d, &res),
			    "FLR byte");
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_TRAP_RESET, "action %s",
			  vfbc_pf_policy_action_str(res.action));
	return TEST_SUCCESS;
}

/*
 * What every map must be, whatever the image: regions sorted, disjoint,
 * inside the config space, naming rows of the table; and every header of
 * a capability the walker found in a denied region of its own, or in none
 * (dropped: denied too).
 */
static int
pol_check_map(void)
{
	const struct vfbc_pf_policy_region *r, *prev = NULL;
	struct vfbc_pf_policy_result res;
	struct vfbc_pf_caps caps;
	uint32_t i, b, hdr;

	TEST_ASSERT_SUCCESS(vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &pol_map), "map");
	TEST_ASSERT(pol_map.nb_regions <= VFBC_PF_POLICY_MAP_MAX, "%u regions",
		    pol_map.nb_regions);
	for (i = 0; i < pol_map.nb_regions; i++) {
		r = &pol_map.regions[i];
		TEST_ASSERT(r->len > 0 && r->off + r->len <= pol_cfg_size,
			    "region [0x%x, +%u) in %u bytes", r->off, r->len, pol_cfg_size);
		TEST_ASSERT(r->rule < vfbc_pf_policy_nb_rules, "region at 0x%x: row %u", r->off,
			    r->rule);
		TEST_ASSERT(prev == NULL || prev->off + prev->len <= r->off,
			    "region at 0x%x overlaps or precedes the one at 0x%x", r->off,
			    prev->off);
		prev = r;
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_caps_walk(pol_cfg, pol_cfg_size, &caps), "walk");
	for (i = 0; i < caps.nb_caps; i++) {
		hdr = caps.caps[i].space == VFBC_PF_CAP_STD ? 2 : VFBC_PCI_EXT_CAP_HDR_SIZEOF;
		for (b = caps.caps[i].pos; b < caps.caps[i].pos + hdr; b++) {
			TEST_ASSERT_SUCCESS(vfbc_pf_policy_lookup(&pol_map, b, &res), "lookup");
			TEST_ASSERT(res.rule == NULL ||
				    (res.rule->action == VFBC_PF_POLICY_DENY &&
				     res.region_off == caps.caps[i].pos && res.region_len == hdr),
				    "header byte 0x%x in row %s [0x%x, +%u)", b, pol_name(&res),
				    res.region_off, res.region_len);
		}
	}
	return TEST_SUCCESS;
}

/*
 * The defect: a vendor-specific capability whose length runs over the next
 * capability made that capability's header vendor data, which the VF may
 * write: a permitted write changed the next capability's ID.
 */
static int
test_policy_malformed_vndr_overlaps_next(void)
{
	struct vfbc_pf_policy_result res;

	pol_cfg[POL_VNDR + VFBC_PCI_VNDR_LEN] = POL_VNDR_LEN + 4;
	TEST_ASSERT_EQUAL(pol_try(POL_AF, 1, 0x01, &res), -EPERM,
			  "vendor data changed the AF capability's ID (%s)", pol_name(&res));
	TEST_ASSERT(res.rule == pol_row("cap_header"), "AF ID in row %s", pol_name(&res));
	TEST_ASSERT_EQUAL(pol_try(POL_AF + VFBC_PCI_CAP_LIST_NEXT, 1, 0x04, &res), -EPERM,
			  "vendor data changed AF's next pointer");
	TEST_ASSERT_SUCCESS(pol_try(POL_AF + VFBC_PCI_AF_CTRL, 1, VFBC_PCI_AF_CTRL_FLR, &res),
			    "AF FLR (%s)", res.reason);
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_TRAP_RESET, "AF FLR: %s",
			  vfbc_pf_policy_action_str(res.action));
	/* The vendor capability keeps its own bytes, up to the AF header. */
	TEST_ASSERT_SUCCESS(pol_try(POL_AF - 4, 4, UINT32_MAX, &res), "last vendor dword (%s)",
			    res.reason);
	TEST_ASSERT_EQUAL(res.region_off + res.region_len, POL_AF, "vendor data ends at 0x%x",
			  res.region_off + res.region_len);
	TEST_ASSERT_EQUAL(pol_try(POL_AF - 2, 4, 0, &res), -EPERM, "across the AF header");
	return pol_check_map();
}

/* The class, with a capability the table describes: PCIe over MSI-X. */
static int
test_policy_malformed_pcie_overlaps_next(void)
{
	const uint32_t msix = POL_EXP + VFBC_PCI_EXP_DEVCTL2;
	struct vfbc_pf_policy_result res;

	/* MSI-X's ID lands on DEVCTL2, whose completion timeout is the VF's. */
	memset(pol_cfg + POL_MSIX, 0, 2);
	pol_cap(VFBC_PCI_CAP_ID_EXP, POL_EXP, msix);
	pol_cap(VFBC_PCI_CAP_ID_MSIX, msix, POL_VNDR);
	TEST_ASSERT_EQUAL(pol_try(msix, 1, 0x01, &res), -EPERM,
			  "DEVCTL2 changed the MSI-X ID (%s)", pol_name(&res));
	TEST_ASSERT(res.rule == pol_row("cap_header"), "MSI-X ID in row %s", pol_name(&res));
	TEST_ASSERT_EQUAL(pol_try(msix + VFBC_PCI_MSI_FLAGS, 2, 0, &res), -EPERM,
			  "MSI-X control");
	TEST_ASSERT(res.rule == pol_row("msix"), "MSI-X control in row %s", pol_name(&res));
	/* PCIe keeps what it holds whole. */
	TEST_ASSERT_SUCCESS(pol_try(POL_EXP + VFBC_PCI_EXP_DEVCTL, 2, 0x0001, &res),
			    "DEVCTL (%s)", res.reason);
	TEST_ASSERT_SUCCESS(pol_lookup(POL_EXP + VFBC_PCI_EXP_DEVCAP2, &res), "lookup");
	TEST_ASSERT(res.rule == pol_row("exp_devcap2"), "DEVCAP2 in row %s", pol_name(&res));
	return pol_check_map();
}

/* The class in the extended list: a VSEC over the SR-IOV header. */
static int
test_policy_malformed_vsec_overlaps_next(void)
{
	struct vfbc_pf_policy_result res;

	pol_vsec(POL_VSEC, POL_SRIOV, POL_SRIOV - POL_VSEC + 0x10);
	TEST_ASSERT_EQUAL(pol_try(POL_SRIOV, 1, 0x01, &res), -EPERM,
			  "VSEC data changed the SR-IOV ID (%s)", pol_name(&res));
	TEST_ASSERT(res.rule == pol_row("ext_cap_header"), "SR-IOV header in row %s",
		    pol_name(&res));
	TEST_ASSERT_EQUAL(pol_try(POL_SRIOV + 2, 2, 0x1000, &res), -EPERM,
			  "VSEC data changed SR-IOV's next pointer");
	TEST_ASSERT_SUCCESS(pol_try(POL_SRIOV - 4, 4, UINT32_MAX, &res), "last VSEC dword (%s)",
			    res.reason);
	TEST_ASSERT_EQUAL(pol_try(POL_SRIOV + 4, 4, 0, &res), -EPERM, "SR-IOV body");
	TEST_ASSERT(res.rule == pol_row("sriov"), "SR-IOV body in row %s", pol_name(&res));
	return pol_check_map();
}

/*
 * A next pointer into the middle of a capability: a header inside vendor
 * data, whose ID and pointer the VF could otherwise write.
 */
static int
test_policy_malformed_pointer_into_capability(void)
{
	const uint32_t inner = POL_VNDR + 8;
	struct vfbc_pf_policy_result res;

	pol_cfg[POL_AF + VFBC_PCI_CAP_LIST_NEXT] = inner;
	TEST_ASSERT_EQUAL(pol_try(inner, 1, VFBC_PCI_CAP_ID_EXP, &res), -EPERM,
			  "ID of the capability inside vendor data (%s)", pol_name(&res));
	TEST_ASSERT_EQUAL(pol_try(inner + VFBC_PCI_CAP_LIST_NEXT, 1, 0x04, &res), -EPERM,
			  "its next pointer");
	/* ID 0 is no capability the table knows: its body is denied. */
	TEST_ASSERT_EQUAL(pol_try(inner + 4, 4, UINT32_MAX, &res), -EPERM, "its body (%s)",
			  pol_name(&res));
	TEST_ASSERT_SUCCESS(pol_try(POL_VNDR + 4, 4, UINT32_MAX, &res),
			    "vendor data before it (%s)", res.reason);
	TEST_ASSERT_EQUAL(res.region_off + res.region_len, inner, "vendor data ends at 0x%x",
			  res.region_off + res.region_len);
	return pol_check_map();
}

/*
 * Capabilities that repeat an ID: vendor-specific ones may (each is
 * described), others may not (only the first is, the rest are headers).
 */
static int
test_policy_malformed_duplicate_capability(void)
{
	const uint32_t vndr2 = 0xe0, exp2 = POL_GAP, vsec2 = POL_EXT_GAP, aer2 = POL_EXT_GAP + 0x40;
	struct vfbc_pf_policy_result res;

	pol_cfg[POL_AF + VFBC_PCI_CAP_LIST_NEXT] = vndr2;
	pol_vndr(vndr2, exp2, 8);
	pol_cap(VFBC_PCI_CAP_ID_EXP, exp2, 0);
	pol_put16(pol_cfg + exp2 + VFBC_PCI_EXP_FLAGS, 2);
	pol_ext_cap(RTE_PCI_EXT_CAP_ID_SRIOV, POL_SRIOV, vsec2);
	pol_vsec(vsec2, aer2, 0x10);
	pol_ext_cap(RTE_PCI_EXT_CAP_ID_ERR, aer2, 0);

	TEST_ASSERT_EQUAL(pol_try(exp2 + VFBC_PCI_EXP_DEVCTL, 2, 0x0001, &res), -EPERM,
			  "DEVCTL of a second PCIe capability (%s)", pol_name(&res));
	TEST_ASSERT_SUCCESS(pol_try(POL_EXP + VFBC_PCI_EXP_DEVCTL, 2, 0x0001, &res),
			    "DEVCTL of the first (%s)", res.reason);
	TEST_ASSERT_EQUAL(pol_try(aer2 + VFBC_PCI_ERR_UNCOR_MASK, 4, 1, &res), -EPERM,
			  "mask of a second AER (%s)", pol_name(&res));
	TEST_ASSERT_SUCCESS(pol_try(POL_AER + VFBC_PCI_ERR_UNCOR_MASK, 4, 1, &res),
			    "mask of the first AER (%s)", res.reason);
	TEST_ASSERT_SUCCESS(pol_try(vndr2 + 4, 4, UINT32_MAX, &res),
			    "data of a second vendor capability (%s)", res.reason);
	TEST_ASSERT_SUCCESS(pol_try(vsec2 + 8, 4, UINT32_MAX, &res), "data of a second VSEC (%s)",
			    res.reason);
	return pol_check_map();
}

/*
 * Loops, also through a pointer's reserved low bits (a duplicate
 * position): the walk ends, and the map is the well-formed list's.
 */
static int
test_policy_malformed_loop(void)
{
	struct vfbc_pf_policy_map good;
	struct vfbc_pf_policy_result res;

	TEST_ASSERT_SUCCESS(vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &good), "map");
	pol_cfg[POL_AF + VFBC_PCI_CAP_LIST_NEXT] = POL_PM | 3;
	pol_ext_cap(RTE_PCI_EXT_CAP_ID_SRIOV, POL_SRIOV, POL_AER);
	TEST_ASSERT_EQUAL(pol_try(POL_GAP, 1, 0, &res), -EPERM, "gap in a looping list");
	TEST_ASSERT_EQUAL(pol_try(POL_EXT_GAP, 1, 0, &res), -EPERM, "looping extended list");
	TEST_ASSERT(pol_map.walk_flags & VFBC_PF_CAPS_F_LOOP, "walk flags 0x%x",
		    pol_map.walk_flags);
	TEST_ASSERT(pol_map.nb_regions == good.nb_regions &&
		    memcmp(pol_map.regions, good.regions,
			   good.nb_regions * sizeof(good.regions[0])) == 0,
		    "a loop changed the regions");
	TEST_ASSERT_SUCCESS(pol_try(POL_PM + VFBC_PCI_PM_CTRL, 2, POL_D3HOT, &res), "PMCSR (%s)",
			    res.reason);
	TEST_ASSERT_EQUAL(res.action, VFBC_PF_POLICY_TRAP_POWER, "PMCSR: %s",
			  vfbc_pf_policy_action_str(res.action));
	return pol_check_map();
}

/* Pointers into the type 0 header end the list: a header byte stays itself. */
static int
test_policy_malformed_pointer_into_header(void)
{
	struct vfbc_pf_policy_result res;

	/* Interrupt Line, a byte the VF may write, as a capability. */
	pol_cfg[POL_MSIX + VFBC_PCI_CAP_LIST_NEXT] = VFBC_PCI_INTERRUPT_LINE;
	TEST_ASSERT_SUCCESS(pol_try(VFBC_PCI_INTERRUPT_LINE, 1, 0xff, &res),
			    "interrupt line (%s)", res.reason);
	TEST_ASSERT(res.rule == pol_row("interrupt_line") && res.region_len == 1,
		    "interrupt line in row %s, %u bytes", pol_name(&res), res.region_len);
	TEST_ASSERT_EQUAL(pol_try(VFBC_PCI_INTERRUPT_PIN, 1, 0x01, &res), -EPERM,
			  "interrupt pin as a next pointer");
	TEST_ASSERT(pol_map.walk_flags & VFBC_PF_CAPS_F_BAD_PTR, "walk flags 0x%x",
		    pol_map.walk_flags);
	/* What the list reached no longer: undescribed, denied. */
	TEST_ASSERT_EQUAL(pol_try(POL_VNDR + 4, 1, 0xff, &res), -EPERM, "vendor data (%s)",
			  pol_name(&res));
	TEST_ASSERT_EQUAL(pol_try(POL_AF + VFBC_PCI_AF_CTRL, 1, VFBC_PCI_AF_CTRL_FLR, &res),
			  -EPERM, "AF control (%s)", pol_name(&res));
	/* The first pointer into the header: no capability at all. */
	pol_cfg[VFBC_PCI_CAPABILITY_LIST] = VFBC_PCI_BASE_ADDRESS_0;
	TEST_ASSERT_EQUAL(pol_try(POL_PM + VFBC_PCI_PM_CTRL, 2, POL_D3HOT, &res), -EPERM,
			  "PMCSR (%s)", pol_name(&res));
	TEST_ASSERT_SUCCESS(pol_lookup(VFBC_PCI_BASE_ADDRESS_0, &res), "lookup");
	TEST_ASSERT(res.rule == pol_row("bars"), "BAR0 in row %s", pol_name(&res));
	return pol_check_map();
}

/* An extended pointer below 0x100 ends the list, and reads nothing there. */
static int
test_policy_malformed_ext_pointer_below_0x100(void)
{
	struct vfbc_pf_policy_result res;

	pol_ext_cap(RTE_PCI_EXT_CAP_ID_ERR, POL_AER, POL_VNDR);
	TEST_ASSERT_EQUAL(pol_try(POL_VSEC + 8, 4, UINT32_MAX, &res), -EPERM,
			  "VSEC data after the bad pointer (%s)", pol_name(&res));
	TEST_ASSERT_SUCCESS(pol_try(POL_AER + VFBC_PCI_ERR_UNCOR_MASK, 4, 1, &res),
			    "AER mask (%s)", res.reason);
	/* The vendor capability it points to is not an extended header. */
	TEST_ASSERT_SUCCESS(pol_try(POL_VNDR + 4, 4, UINT32_MAX, &res), "vendor data (%s)",
			    res.reason);
	TEST_ASSERT(res.region_off == POL_VNDR + 3 && res.region_len == POL_VNDR_LEN - 3,
		    "vendor data [0x%x, +%u)", res.region_off, res.region_len);
	TEST_ASSERT(pol_map.walk_flags & VFBC_PF_CAPS_F_BAD_PTR, "walk flags 0x%x",
		    pol_map.walk_flags);
	return pol_check_map();
}

/* Capabilities running past the end of their space are cut at the end. */
static int
test_policy_malformed_truncated(void)
{
	const uint32_t vndr = RTE_PCI_CFG_SPACE_SIZE - 8, vsec = RTE_PCI_CFG_SPACE_EXP_SIZE - 8;
	struct vfbc_pf_policy_result res;
	uint8_t d[8] = { 0 };

	pol_cfg[POL_AF + VFBC_PCI_CAP_LIST_NEXT] = vndr;
	pol_vndr(vndr, 0, 0x20);
	pol_ext_cap(RTE_PCI_EXT_CAP_ID_SRIOV, POL_SRIOV, vsec);
	pol_vsec(vsec, 0, 0x20);
	/* The standard space ends at 0x100, where AER's header begins. */
	TEST_ASSERT_SUCCESS(pol_try(vndr + 3, 5, 0xff, &res), "vendor data (%s)", res.reason);
	TEST_ASSERT_EQUAL(res.region_off + res.region_len, RTE_PCI_CFG_SPACE_SIZE,
			  "vendor data ends at 0x%x", res.region_off + res.region_len);
	TEST_ASSERT_EQUAL(pol_try(RTE_PCI_CFG_SPACE_SIZE - 2, 4, 0, &res), -EPERM,
			  "vendor data into AER's header");
	/* A VSEC with no room for data: header and VSEC header only. */
	TEST_ASSERT_EQUAL(pol_try(vsec + VFBC_PCI_VSEC_HDR, 4, 0, &res), -EPERM, "VSEC header");
	TEST_ASSERT(res.rule == pol_row("vsec_header"), "VSEC header in row %s", pol_name(&res));
	TEST_ASSERT_EQUAL(pol_write(vsec + VFBC_PCI_VSEC_HDR, 8, d, &res), -ERANGE,
			  "past the end of config space");
	TEST_ASSERT(pol_map.walk_flags & VFBC_PF_CAPS_F_CLIPPED, "walk flags 0x%x",
		    pol_map.walk_flags);
	return pol_check_map();
}

/*
 * A 256-byte VF: nothing at or past 0x100 is read nor described, even with
 * an extended list in the buffer after its image and a vendor capability
 * running into it.
 */
static int
test_policy_malformed_256_byte_vf(void)
{
	const uint32_t vndr = RTE_PCI_CFG_SPACE_SIZE - 8;
	struct vfbc_pf_policy_map before;
	struct vfbc_pf_policy_result res;

	pol_cfg_size = RTE_PCI_CFG_SPACE_SIZE;
	pol_cfg[POL_AF + VFBC_PCI_CAP_LIST_NEXT] = vndr;
	pol_vndr(vndr, 0, 0x20);
	TEST_ASSERT_SUCCESS(vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &before), "map");
	memset(pol_cfg + RTE_PCI_CFG_SPACE_SIZE, 0xff, sizeof(pol_cfg) - RTE_PCI_CFG_SPACE_SIZE);
	TEST_ASSERT_SUCCESS(pol_check_map(), "map");
	TEST_ASSERT(memcmp(&before, &pol_map, sizeof(before)) == 0,
		    "the map depends on bytes past the VF's 256");
	TEST_ASSERT_SUCCESS(pol_try(vndr + 4, 4, UINT32_MAX, &res), "vendor data (%s)",
			    res.reason);
	TEST_ASSERT_EQUAL(res.region_off + res.region_len, RTE_PCI_CFG_SPACE_SIZE,
			  "vendor data ends at 0x%x", res.region_off + res.region_len);
	TEST_ASSERT_EQUAL(pol_try(RTE_PCI_CFG_SPACE_SIZE - 2, 2, 0, &res), 0, "last bytes");
	TEST_ASSERT_EQUAL(pol_lookup(RTE_PCI_CFG_SPACE_SIZE, &res), -ERANGE, "lookup 0x100");
	return TEST_SUCCESS;
}

/* The synthetic VF's map: about what a real VF needs, well within the bound. */
static int
test_policy_map_of_a_well_formed_vf(void)
{
	TEST_ASSERT_SUCCESS(pol_check_map(), "map");
	TEST_ASSERT(pol_map.walk_flags == 0 && pol_map.dropped == 0,
		    "walk flags 0x%x, %u regions dropped", pol_map.walk_flags, pol_map.dropped);
	TEST_ASSERT(pol_map.nb_regions <= VFBC_PF_POLICY_MAP_MAX / 2, "%u regions",
		    pol_map.nb_regions);
	return TEST_SUCCESS;
}

/* More regions than the map holds: the last are dropped, their bytes denied. */
static int
test_policy_map_overflow(void)
{
	const uint32_t nb = 60, stride = 0x10, hdr = 18;
	struct vfbc_pf_policy_result res;
	uint32_t i, pos, kept;

	/* Only the type 0 header (hdr regions) and 60 VSECs of 3 regions each. */
	pol_put16(pol_cfg + VFBC_PCI_STATUS, 0);
	for (i = 0; i < nb; i++) {
		pos = VFBC_PCI_EXT_CAP_START + i * stride;
		pol_vsec(pos, i + 1 < nb ? pos + stride : 0, 0xc);
	}
	TEST_ASSERT_SUCCESS(pol_check_map(), "map");
	TEST_ASSERT_EQUAL(pol_map.nb_regions, VFBC_PF_POLICY_MAP_MAX, "%u regions",
			  pol_map.nb_regions);
	TEST_ASSERT_EQUAL(pol_map.dropped, hdr + 3 * nb - VFBC_PF_POLICY_MAP_MAX,
			  "%u regions dropped", pol_map.dropped);
	TEST_ASSERT_SUCCESS(pol_try(VFBC_PCI_EXT_CAP_START + 8, 4, UINT32_MAX, &res),
			    "data of the first VSEC (%s)", res.reason);
	/* The VSECs that fit whole; the data of the next one is dropped. */
	kept = (VFBC_PF_POLICY_MAP_MAX - hdr) / 3;
	pos = VFBC_PCI_EXT_CAP_START + (kept - 1) * stride;
	TEST_ASSERT_SUCCESS(pol_try(pos + 8, 4, UINT32_MAX, &res), "data of VSEC %u (%s)",
			    kept - 1, res.reason);
	for (i = kept; i < nb; i++) {
		pos = VFBC_PCI_EXT_CAP_START + i * stride;
		TEST_ASSERT_EQUAL(pol_try(pos + 8, 4, UINT32_MAX, &res), -EPERM,
				  "data of VSEC %u, past the map (%s)", i, pol_name(&res));
		TEST_ASSERT_EQUAL(pol_try(pos, 1, 0x01, &res), -EPERM, "header of VSEC %u", i);
	}
	return TEST_SUCCESS;
}

/* Which bytes a decision needs from the device. */
static int
test_policy_write_span(void)
{
	static const struct {
		uint32_t off, len, span_off, span_len;
		const char *what;
	} c[] = {
		{ VFBC_PCI_LATENCY_TIMER, 1, VFBC_PCI_LATENCY_TIMER, 1, "a byte register" },
		{ RTE_PCI_COMMAND + 1, 1, RTE_PCI_COMMAND, 2, "half of Command: all of it" },
		{ POL_PM + VFBC_PCI_PM_CTRL, 2, POL_PM + VFBC_PCI_PM_CTRL, 2, "PMCSR (trap)" },
		{ POL_AER + VFBC_PCI_ERR_COR_MASK, 4, POL_AER + VFBC_PCI_ERR_COR_MASK, 4,
		  "an all-VF dword: its value is reported" },
		{ POL_VNDR + 4, 8, POL_VNDR + 4, 8, "vendor data: the written bytes" },
		{ POL_VSEC + 9, 2, POL_VSEC + 9, 2, "VSEC data" },
		{ VFBC_PCI_BASE_ADDRESS_0, 4, 0, 0, "denied" },
		{ POL_MSI + 4, 4, 0, 0, "PF-only" },
		{ POL_GAP, 1, 0, 0, "no row" },
		{ RTE_PCI_COMMAND, 4, 0, 0, "straddling" },
		{ 4094, 4, 0, 0, "out of range" },
	};
	uint32_t i, span_off, span_len;

	TEST_ASSERT_SUCCESS(vfbc_pf_policy_map_build(pol_cfg, pol_cfg_size, &pol_map), "map");
	for (i = 0; i < RTE_DIM(c); i++) {
		span_len = vfbc_pf_policy_write_span(&pol_map, c[i].off, c[i].len, &span_off);
		TEST_ASSERT(span_len == c[i].span_len &&
			    (span_len == 0 || span_off == c[i].span_off),
			    "%s: span [0x%x, +%u), expected [0x%x, +%u)", c[i].what, span_off,
			    span_len, c[i].span_off, c[i].span_len);
	}
	return TEST_SUCCESS;
}

/* The whole-image form the service still calls agrees with the map's. */
static int
test_policy_image_form_agrees(void)
{
	static const uint32_t lens[] = { 1, 2, 4, 8 };
	struct vfbc_pf_policy_result a, b;
	uint8_t data[8];
	uint32_t off, i, k;
	int ra, rb;

	for (off = 0; off < pol_cfg_size; off++) {
		for (i = 0; i < RTE_DIM(lens); i++) {
			for (k = 0; k < lens[i]; k++)
				data[k] = off + k < pol_cfg_size ?
					pol_cfg[off + k] ^ (uint8_t)(1u << ((off + k) % 8)) : 0;
			ra = pol_write(off, lens[i], data, &a);
			rb = vfbc_pf_policy_write(pol_cfg, pol_cfg_size, off, lens[i], data, &b);
			TEST_ASSERT(ra == rb && a.action == b.action && a.rule == b.rule &&
				    a.value == b.value && a.region_off == b.region_off,
				    "%u bytes at 0x%x: %d (%s) against the map, %d (%s) "
				    "against the image", lens[i], off, ra, a.reason, rb, b.reason);
		}
	}
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(NULL, pol_cfg_size, 4, 2, data, &a), -EINVAL,
			  "NULL config");
	TEST_ASSERT_EQUAL(vfbc_pf_policy_write(pol_cfg, 512, 4, 2, data, &a), -EINVAL,
			  "config size 512");
	return TEST_SUCCESS;
}

/* Every case starts from the well-formed synthetic VF. */
#define POL_CASE(fn) TEST_CASE_ST(pol_setup, NULL, fn)

static struct unit_test_suite test_pf_policy_suite = {
	.suite_name = "net_vfbc_pf config-space permission policy",
	.unit_test_cases = {
		POL_CASE(test_policy_every_row_has_a_test),
		POL_CASE(test_policy_header_fully_covered),
		POL_CASE(test_policy_row_vendor_id),
		POL_CASE(test_policy_row_device_id),
		POL_CASE(test_policy_row_command),
		POL_CASE(test_policy_row_status),
		POL_CASE(test_policy_row_revision_class),
		POL_CASE(test_policy_row_cache_line_size),
		POL_CASE(test_policy_row_latency_timer),
		POL_CASE(test_policy_row_header_type),
		POL_CASE(test_policy_row_bist),
		POL_CASE(test_policy_row_bars),
		POL_CASE(test_policy_row_cardbus_cis),
		POL_CASE(test_policy_row_subsystem_ids),
		POL_CASE(test_policy_row_rom),
		POL_CASE(test_policy_row_cap_pointer),
		POL_CASE(test_policy_row_hdr_reserved),
		POL_CASE(test_policy_row_interrupt_line),
		POL_CASE(test_policy_row_interrupt_pin),
		POL_CASE(test_policy_row_min_gnt_max_lat),
		POL_CASE(test_policy_row_cap_header),
		POL_CASE(test_policy_row_pm_pmc),
		POL_CASE(test_policy_row_pm_pmcsr),
		POL_CASE(test_policy_row_pm_bse_data),
		POL_CASE(test_policy_row_exp_flags),
		POL_CASE(test_policy_row_exp_devcap),
		POL_CASE(test_policy_row_exp_devctl),
		POL_CASE(test_policy_row_exp_devsta),
		POL_CASE(test_policy_row_exp_link_slot_root),
		POL_CASE(test_policy_row_exp_devcap2),
		POL_CASE(test_policy_row_exp_devctl2),
		POL_CASE(test_policy_row_exp_rest),
		POL_CASE(test_policy_row_msi),
		POL_CASE(test_policy_row_msix),
		POL_CASE(test_policy_row_vndr_len),
		POL_CASE(test_policy_row_vndr_data),
		POL_CASE(test_policy_row_af_ctrl),
		POL_CASE(test_policy_row_ext_cap_header),
		POL_CASE(test_policy_row_aer_uncor_mask),
		POL_CASE(test_policy_row_aer_cor_mask),
		POL_CASE(test_policy_row_sriov),
		POL_CASE(test_policy_row_vsec_header),
		POL_CASE(test_policy_row_vsec_data),
		POL_CASE(test_policy_straddling_write_refused),
		POL_CASE(test_policy_default_deny),
		POL_CASE(test_policy_range_and_arguments),
		POL_CASE(test_policy_reads_see_virtualized_ids),
		POL_CASE(test_policy_power_trap_value),
		POL_CASE(test_policy_malformed_vndr_overlaps_next),
		POL_CASE(test_policy_malformed_pcie_overlaps_next),
		POL_CASE(test_policy_malformed_vsec_overlaps_next),
		POL_CASE(test_policy_malformed_pointer_into_capability),
		POL_CASE(test_policy_malformed_duplicate_capability),
		POL_CASE(test_policy_malformed_loop),
		POL_CASE(test_policy_malformed_pointer_into_header),
		POL_CASE(test_policy_malformed_ext_pointer_below_0x100),
		POL_CASE(test_policy_malformed_truncated),
		POL_CASE(test_policy_malformed_256_byte_vf),
		POL_CASE(test_policy_map_of_a_well_formed_vf),
		POL_CASE(test_policy_map_overflow),
		POL_CASE(test_policy_write_span),
		POL_CASE(test_policy_image_form_agrees),
		TEST_CASES_END()
	}
};

static int
test_pf_policy(void)
{
	return unit_test_suite_runner(&test_pf_policy_suite);
}

REGISTER_TEST_COMMAND(pf_policy_autotest, test_pf_policy);
