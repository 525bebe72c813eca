/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The config-space permission policy of VF requests: the table and the
 * decision functions (see vfbc_pf_policy.h). No device access, no state.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf_policy.h"

#define HDR(n, o, l, act, wm) \
	{ .name = n, .space = VFBC_PF_POLICY_HDR, .action = VFBC_PF_POLICY_ ## act, \
	  .cap_id = 0, .off = o, .len = l, .wmask = wm, .trap = 0 }
#define CAP(n, id, o, l, act, wm, tr) \
	{ .name = n, .space = VFBC_PF_POLICY_CAP, .action = VFBC_PF_POLICY_ ## act, \
	  .cap_id = id, .off = o, .len = l, .wmask = wm, .trap = tr }
#define EXT(n, id, o, l, act, wm) \
	{ .name = n, .space = VFBC_PF_POLICY_EXT_CAP, .action = VFBC_PF_POLICY_ ## act, \
	  .cap_id = id, .off = o, .len = l, .wmask = wm, .trap = 0 }
#define ANY VFBC_PF_POLICY_ANY_CAP
#define END VFBC_PF_POLICY_TO_END

/*
 * THE table. Every row is documented in doc/guides/nics/vfbc_pf.rst and has
 * its own test case in test/test_pf_policy.c. Keep the three in step.
 */
const struct vfbc_pf_policy_rule vfbc_pf_policy_table[] = {
	/* Type 0 header: every byte of 0x00..0x3f has exactly one row. */
	HDR("vendor_id", RTE_PCI_VENDOR_ID, 2, DENY, 0),
	HDR("device_id", RTE_PCI_DEVICE_ID, 2, DENY, 0),
	/*
	 * The VF owns its DMA kill switch and error enables; Memory/IO
	 * Space are the PF's (SR-IOV VF MSE), not the VF's.
	 */
	HDR("command", RTE_PCI_COMMAND, 2, ALLOW,
	    RTE_PCI_COMMAND_MASTER | VFBC_PCI_COMMAND_PARITY | VFBC_PCI_COMMAND_SERR |
	    VFBC_PCI_COMMAND_INTX_DISABLE),
	/* Write-one-to-clear error bits: a "same value" write would clear them. */
	HDR("status", VFBC_PCI_STATUS, 2, DENY, 0),
	HDR("revision_class", VFBC_PCI_CLASS_REVISION, 4, DENY, 0),
	HDR("cache_line_size", VFBC_PCI_CACHE_LINE_SIZE, 1, ALLOW, 0xff),
	HDR("latency_timer", VFBC_PCI_LATENCY_TIMER, 1, ALLOW, 0xff),
	HDR("header_type", VFBC_PCI_HEADER_TYPE, 1, DENY, 0),
	/* A self test disturbs the function under its other users. */
	HDR("bist", VFBC_PCI_BIST, 1, DENY, 0),
	HDR("bars", VFBC_PCI_BASE_ADDRESS_0, VFBC_PCI_NUM_BARS * 4, DENY, 0),
	HDR("cardbus_cis", VFBC_PCI_CARDBUS_CIS, 4, DENY, 0),
	HDR("subsystem_ids", VFBC_PCI_SUBSYSTEM_VENDOR_ID, 4, DENY, 0),
	HDR("rom", VFBC_PCI_ROM_ADDRESS, 4, DENY, 0),
	HDR("cap_pointer", VFBC_PCI_CAPABILITY_LIST, 1, DENY, 0),
	HDR("hdr_reserved", VFBC_PCI_CAPABILITY_LIST + 1,
	    VFBC_PCI_INTERRUPT_LINE - VFBC_PCI_CAPABILITY_LIST - 1, DENY, 0),
	/* A scratch register for the OS: nothing decodes it. */
	HDR("interrupt_line", VFBC_PCI_INTERRUPT_LINE, 1, ALLOW, 0xff),
	HDR("interrupt_pin", VFBC_PCI_INTERRUPT_PIN, 1, DENY, 0),
	HDR("min_gnt_max_lat", VFBC_PCI_MIN_GNT, 2, DENY, 0),

	/* Standard capabilities, found by walking the VF's list. */
	CAP("cap_header", ANY, VFBC_PCI_CAP_LIST_ID, 2, DENY, 0, 0),
	CAP("pm_pmc", VFBC_PCI_CAP_ID_PM, VFBC_PCI_PM_PMC, 2, DENY, 0, 0),
	/* PME Status is the VF's to clear; state and PME Enable go to the PF. */
	CAP("pm_pmcsr", VFBC_PCI_CAP_ID_PM, VFBC_PCI_PM_CTRL, 2, TRAP_POWER,
	    VFBC_PCI_PM_CTRL_PME_STATUS,
	    VFBC_PCI_PM_CTRL_STATE_MASK | VFBC_PCI_PM_CTRL_PME_ENABLE),
	CAP("pm_bse_data", VFBC_PCI_CAP_ID_PM, VFBC_PCI_PM_PMCSR_BSE, 2, DENY, 0, 0),
	CAP("exp_flags", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_FLAGS, 2, DENY, 0, 0),
	CAP("exp_devcap", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_DEVCAP, 4, DENY, 0, 0),
	/*
	 * Everything but Max Payload Size (must match the link: the PF's)
	 * and Phantom Functions (would let the VF use other functions' RIDs);
	 * Initiate FLR goes to the reset path.
	 */
	CAP("exp_devctl", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_DEVCTL, 2, TRAP_RESET,
	    0xffff & ~(VFBC_PCI_EXP_DEVCTL_PAYLOAD | VFBC_PCI_EXP_DEVCTL_PHANTOM |
		       VFBC_PCI_EXP_DEVCTL_BCR_FLR),
	    VFBC_PCI_EXP_DEVCTL_BCR_FLR),
	CAP("exp_devsta", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_DEVSTA, 2, DENY, 0, 0),
	/* Link, slot and root registers: the link is shared with the PF. */
	CAP("exp_link_slot_root", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_LNKCAP,
	    VFBC_PCI_EXP_DEVCAP2 - VFBC_PCI_EXP_LNKCAP, DENY, 0, 0),
	CAP("exp_devcap2", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_DEVCAP2, 4, DENY, 0, 0),
	/* Completion timeout only: ARI forwarding, IDO, LTR are not the VF's. */
	CAP("exp_devctl2", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_DEVCTL2, 2, ALLOW,
	    VFBC_PCI_EXP_DEVCTL2_COMP_TIMEOUT, 0),
	CAP("exp_rest", VFBC_PCI_CAP_ID_EXP, VFBC_PCI_EXP_DEVCTL2 + 2, END, DENY, 0, 0),
	/* Interrupt messages are programmed by the PF, never by the VF. */
	CAP("msi", VFBC_PCI_CAP_ID_MSI, VFBC_PCI_MSI_FLAGS, END, PF_ONLY, 0, 0),
	CAP("msix", VFBC_PCI_CAP_ID_MSIX, VFBC_PCI_MSI_FLAGS, END, PF_ONLY, 0, 0),
	CAP("vndr_len", VFBC_PCI_CAP_ID_VNDR, VFBC_PCI_VNDR_LEN, 1, DENY, 0, 0),
	/* The IHV's own registers: the VF driver owns them. */
	CAP("vndr_data", VFBC_PCI_CAP_ID_VNDR, VFBC_PCI_VNDR_LEN + 1, END, ALLOW, UINT32_MAX, 0),
	CAP("af_ctrl", VFBC_PCI_CAP_ID_AF, VFBC_PCI_AF_CTRL, 1, TRAP_RESET, 0,
	    VFBC_PCI_AF_CTRL_FLR),

	/* Extended capabilities (VFs with a 4096-byte config space). */
	EXT("ext_cap_header", ANY, 0, VFBC_PCI_EXT_CAP_HDR_SIZEOF, DENY, 0),
	EXT("aer_uncor_mask", RTE_PCI_EXT_CAP_ID_ERR, VFBC_PCI_ERR_UNCOR_MASK, 4, ALLOW,
	    UINT32_MAX),
	EXT("aer_cor_mask", RTE_PCI_EXT_CAP_ID_ERR, VFBC_PCI_ERR_COR_MASK, 4, ALLOW, UINT32_MAX),
	/* A VF has none; the PF's own is out of reach (VF space only). */
	EXT("sriov", RTE_PCI_EXT_CAP_ID_SRIOV, VFBC_PCI_EXT_CAP_HDR_SIZEOF, END, DENY, 0),
	EXT("vsec_header", VFBC_PCI_EXT_CAP_ID_VNDR, VFBC_PCI_VSEC_HDR, 4, DENY, 0),
	EXT("vsec_data", VFBC_PCI_EXT_CAP_ID_VNDR, VFBC_PCI_VSEC_HDR + 4, END, ALLOW, UINT32_MAX),
};

const unsigned int vfbc_pf_policy_nb_rules = RTE_DIM(vfbc_pf_policy_table);

static const char * const pol_action_names[] = {
	[VFBC_PF_POLICY_DENY] = "deny",
	[VFBC_PF_POLICY_ALLOW] = "allow",
	[VFBC_PF_POLICY_TRAP_RESET] = "trap-to-reset",
	[VFBC_PF_POLICY_TRAP_POWER] = "trap-to-power",
	[VFBC_PF_POLICY_PF_ONLY] = "pf-only",
};

const char *
vfbc_pf_policy_action_str(uint8_t action)
{
	if (action >= RTE_DIM(pol_action_names))
		return "unknown";
	return pol_action_names[action];
}

static uint16_t
pol_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
pol_get32(const uint8_t *p)
{
	return (uint32_t)pol_get16(p) | (uint32_t)pol_get16(p + 2) << 16;
}

/* Bytes a standard capability spans; the fields of unknown ones are not described. */
static uint32_t
pol_cap_len(const uint8_t *cfg, uint32_t pos, uint8_t id)
{
	uint16_t flags;
	uint32_t len;

	flags = pol_get16(cfg + pos + 2);
	switch (id) {
	case VFBC_PCI_CAP_ID_PM:
		len = VFBC_PCI_PM_SIZEOF;
		break;
	case VFBC_PCI_CAP_ID_MSI:
		/* Control, 32-bit address, data; upper address; mask + pending. */
		len = 10;
		if (flags & VFBC_PCI_MSI_FLAGS_64BIT)
			len += 4;
		if (flags & VFBC_PCI_MSI_FLAGS_MASKBIT)
			len += 10;
		break;
	case VFBC_PCI_CAP_ID_MSIX:
		len = VFBC_PCI_MSIX_SIZEOF;
		break;
	case VFBC_PCI_CAP_ID_EXP:
		len = (flags & VFBC_PCI_EXP_FLAGS_VERS) >= 2 ? VFBC_PCI_EXP_CAP_SIZEOF :
			VFBC_PCI_EXP_CAP_V1_SIZEOF;
		break;
	case VFBC_PCI_CAP_ID_VNDR:
		len = RTE_MAX(cfg[pos + VFBC_PCI_VNDR_LEN], VFBC_PCI_VNDR_LEN + 1);
		break;
	case VFBC_PCI_CAP_ID_AF:
		len = VFBC_PCI_AF_SIZEOF;
		break;
	default:
		len = 2;
		break;
	}
	return RTE_MIN(len, RTE_PCI_CFG_SPACE_SIZE - pos);
}

static uint32_t
pol_ext_cap_len(const uint8_t *cfg, uint32_t cfg_size, uint32_t pos, uint16_t id)
{
	uint32_t len;

	switch (id) {
	case RTE_PCI_EXT_CAP_ID_ERR:
		len = VFBC_PCI_ERR_SIZEOF;
		break;
	case RTE_PCI_EXT_CAP_ID_SRIOV:
		len = VFBC_PCI_SRIOV_SIZEOF;
		break;
	case VFBC_PCI_EXT_CAP_ID_VNDR:
		len = pos + VFBC_PCI_VSEC_HDR + 4 <= cfg_size ?
			VFBC_PCI_VSEC_LEN(pol_get32(cfg + pos + VFBC_PCI_VSEC_HDR)) : 0;
		len = RTE_MAX(len, (uint32_t)VFBC_PCI_VSEC_HDR + 4);
		break;
	default:
		len = VFBC_PCI_EXT_CAP_HDR_SIZEOF;
		break;
	}
	return RTE_MIN(len, cfg_size - pos);
}

/* The row of space/cap_id covering byte rel of a structure of cap_len bytes. */
static const struct vfbc_pf_policy_rule *
pol_find_row(uint8_t space, uint16_t cap_id, uint32_t rel, uint32_t cap_len,
	     uint32_t *row_off, uint32_t *row_len)
{
	const struct vfbc_pf_policy_rule *r;
	uint32_t start, end;
	unsigned int i;

	for (i = 0; i < vfbc_pf_policy_nb_rules; i++) {
		r = &vfbc_pf_policy_table[i];
		if (r->space != space)
			continue;
		if (space != VFBC_PF_POLICY_HDR && r->cap_id != cap_id &&
		    r->cap_id != VFBC_PF_POLICY_ANY_CAP)
			continue;
		start = r->off;
		end = r->len == VFBC_PF_POLICY_TO_END ? cap_len : start + r->len;
		end = RTE_MIN(end, cap_len);
		if (rel >= start && rel < end) {
			*row_off = start;
			*row_len = end - start;
			return r;
		}
	}
	return NULL;
}

/* Standard capability holding byte off: 0 and its id/pos/len, or -ENOENT. */
static int
pol_find_cap(const uint8_t *cfg, uint32_t off, uint8_t *id, uint32_t *pos, uint32_t *len)
{
	uint32_t p, l;
	int ttl;

	if (!(pol_get16(cfg + VFBC_PCI_STATUS) & VFBC_PCI_STATUS_CAP_LIST))
		return -ENOENT;
	p = cfg[VFBC_PCI_CAPABILITY_LIST] & ~3u;
	/* Capabilities are at least 4 bytes apart: a longer walk loops. */
	for (ttl = (RTE_PCI_CFG_SPACE_SIZE - VFBC_PCI_STD_HEADER_SIZEOF) / 4;
	     ttl > 0 && p >= VFBC_PCI_STD_HEADER_SIZEOF; ttl--) {
		if (cfg[p] == 0xff)
			break;
		l = pol_cap_len(cfg, p, cfg[p]);
		if (off >= p && off < p + l) {
			*id = cfg[p];
			*pos = p;
			*len = l;
			return 0;
		}
		p = cfg[p + VFBC_PCI_CAP_LIST_NEXT] & ~3u;
	}
	return -ENOENT;
}

static int
pol_find_ext_cap(const uint8_t *cfg, uint32_t cfg_size, uint32_t off, uint16_t *id,
		 uint32_t *pos, uint32_t *len)
{
	uint32_t p = VFBC_PCI_EXT_CAP_START;
	uint32_t hdr, l;
	int ttl;

	for (ttl = (RTE_PCI_CFG_SPACE_EXP_SIZE - RTE_PCI_CFG_SPACE_SIZE) / 8;
	     ttl > 0 && p >= VFBC_PCI_EXT_CAP_START && p + 4 <= cfg_size; ttl--) {
		hdr = pol_get32(cfg + p);
		if (hdr == 0 || hdr == UINT32_MAX)
			break;
		l = pol_ext_cap_len(cfg, cfg_size, p, RTE_PCI_EXT_CAP_ID(hdr));
		if (off >= p && off < p + l) {
			*id = RTE_PCI_EXT_CAP_ID(hdr);
			*pos = p;
			*len = l;
			return 0;
		}
		p = RTE_PCI_EXT_CAP_NEXT(hdr);
	}
	return -ENOENT;
}

static int
pol_cfg_size_ok(uint32_t cfg_size)
{
	return cfg_size == RTE_PCI_CFG_SPACE_SIZE || cfg_size == RTE_PCI_CFG_SPACE_EXP_SIZE;
}

int
vfbc_pf_policy_lookup(const uint8_t *cfg, uint32_t cfg_size, uint32_t off,
		      struct vfbc_pf_policy_result *res)
{
	uint32_t pos, cap_len, row_off, row_len;
	uint16_t ext_id;
	uint8_t id;

	if (cfg == NULL || res == NULL || !pol_cfg_size_ok(cfg_size))
		return -EINVAL;
	if (off >= cfg_size)
		return -ERANGE;
	res->rule = NULL;
	/* Bytes no row covers form one-byte denied regions. */
	res->region_off = off;
	res->region_len = 1;
	if (off < VFBC_PCI_STD_HEADER_SIZEOF) {
		pos = 0;
		res->rule = pol_find_row(VFBC_PF_POLICY_HDR, 0, off, VFBC_PCI_STD_HEADER_SIZEOF,
					 &row_off, &row_len);
	} else if (off < RTE_PCI_CFG_SPACE_SIZE) {
		if (pol_find_cap(cfg, off, &id, &pos, &cap_len) < 0)
			return 0;
		res->rule = pol_find_row(VFBC_PF_POLICY_CAP, id, off - pos, cap_len,
					 &row_off, &row_len);
	} else {
		if (pol_find_ext_cap(cfg, cfg_size, off, &ext_id, &pos, &cap_len) < 0)
			return 0;
		res->rule = pol_find_row(VFBC_PF_POLICY_EXT_CAP, ext_id, off - pos, cap_len,
					 &row_off, &row_len);
	}
	if (res->rule != NULL) {
		res->region_off = pos + row_off;
		res->region_len = row_len;
	}
	return 0;
}

static int
pol_refuse(struct vfbc_pf_policy_result *res, int32_t status, const char *reason)
{
	res->status = status;
	res->reason = reason;
	return status;
}

int
vfbc_pf_policy_write(const uint8_t *cfg, uint32_t cfg_size, uint32_t off, uint32_t len,
		     const uint8_t *data, struct vfbc_pf_policy_result *res)
{
	const struct vfbc_pf_policy_rule *r;
	uint32_t i, b, wm, tr, diff;
	uint8_t after[4];
	int trapped = 0;
	int ret;

	if (res == NULL)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->action = VFBC_PF_POLICY_DENY;
	if (cfg == NULL || data == NULL || len == 0 || !pol_cfg_size_ok(cfg_size))
		return pol_refuse(res, -EINVAL, "bad arguments");
	if (off >= cfg_size || len > cfg_size - off)
		return pol_refuse(res, -ERANGE, "beyond the VF's config space");
	ret = vfbc_pf_policy_lookup(cfg, cfg_size, off, res);
	if (ret < 0)
		return pol_refuse(res, ret, "lookup failed");
	r = res->rule;
	if (r == NULL)
		return pol_refuse(res, -EPERM, "no row covers the field (default deny)");
	res->action = r->action;
	if (r->action == VFBC_PF_POLICY_DENY)
		return pol_refuse(res, -EPERM, "denied field");
	if (r->action == VFBC_PF_POLICY_PF_ONLY)
		return pol_refuse(res, -EPERM, "programmed by the PF only");
	if (off + len > res->region_off + res->region_len)
		return pol_refuse(res, -EPERM, "straddles two regions");

	for (i = off; i < off + len; i++) {
		b = i - res->region_off;
		if (res->region_len <= 4) {
			wm = (r->wmask >> (8 * b)) & 0xff;
			tr = (r->trap >> (8 * b)) & 0xff;
		} else {
			wm = r->wmask != 0 ? 0xff : 0;
			tr = 0;
		}
		diff = (uint32_t)(data[i - off] ^ cfg[i]);
		if (diff & ~(wm | tr))
			return pol_refuse(res, -EPERM, "changes bits the VF does not own");
		if (diff & tr)
			trapped = 1;
	}
	if (res->region_len <= 4) {
		memset(after, 0, sizeof(after));
		memcpy(after, cfg + res->region_off, res->region_len);
		memcpy(after + (off - res->region_off), data, len);
		res->value = pol_get32(after);
	}
	res->action = trapped ? r->action : VFBC_PF_POLICY_ALLOW;
	res->reason = trapped ? "trapped" : "allowed";
	return 0;
}

int
vfbc_pf_policy_read(uint32_t cfg_size, uint32_t off, uint32_t len)
{
	if (len == 0)
		return -EINVAL;
	if (off >= cfg_size || len > cfg_size - off)
		return -ERANGE;
	return 0;
}

void
vfbc_pf_policy_virtualize_read(uint8_t *buf, uint32_t off, uint32_t len, uint16_t vendor_id,
			       uint16_t device_id)
{
	uint8_t ids[4];
	uint32_t i;

	ids[0] = vendor_id & 0xff;
	ids[1] = vendor_id >> 8;
	ids[2] = device_id & 0xff;
	ids[3] = device_id >> 8;
	for (i = off; i < off + len && i < sizeof(ids); i++)
		buf[i - off] = ids[i];
}
