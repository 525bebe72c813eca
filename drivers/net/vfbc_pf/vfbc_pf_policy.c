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

static int
pol_cfg_size_ok(uint32_t cfg_size)
{
	return cfg_size == RTE_PCI_CFG_SPACE_SIZE || cfg_size == RTE_PCI_CFG_SPACE_EXP_SIZE;
}

static void
pol_map_push(struct vfbc_pf_policy_map *map, uint32_t off, uint32_t len, unsigned int rule)
{
	struct vfbc_pf_policy_region *r;

	if (map->nb_regions == VFBC_PF_POLICY_MAP_MAX) {
		map->dropped++;
		return;
	}
	r = &map->regions[map->nb_regions++];
	r->off = (uint16_t)off;
	r->len = (uint16_t)len;
	r->rule = (uint16_t)rule;
}

/*
 * The rows of one structure (the header, or a capability of cap_id owning
 * extent bytes at pos), in table order, which is offset order within a
 * structure; VFBC_PF_POLICY_ANY_CAP as cap_id takes the rows every
 * capability has (its header) and no others.
 */
static void
pol_map_struct(struct vfbc_pf_policy_map *map, uint8_t space, uint16_t cap_id, uint32_t pos,
	       uint32_t extent)
{
	const struct vfbc_pf_policy_rule *r;
	uint32_t start, end, done = 0;
	unsigned int i;

	for (i = 0; i < vfbc_pf_policy_nb_rules; i++) {
		r = &vfbc_pf_policy_table[i];
		if (r->space != space ||
		    (r->cap_id != cap_id && r->cap_id != VFBC_PF_POLICY_ANY_CAP))
			continue;
		start = r->off;
		end = r->len == VFBC_PF_POLICY_TO_END ? extent : start + r->len;
		/*
		 * A register cut short by the next capability means nothing we
		 * can check: its bytes stay undescribed (denied). A row over an
		 * earlier one's bytes would give a byte two regions.
		 */
		if (start < done || end > extent || start >= end)
			continue;
		pol_map_push(map, pos + start, end - start, i);
		done = end;
	}
}

/* Capabilities whose fields the table describes even when they repeat. */
static int
pol_may_repeat(const struct vfbc_pf_cap *c)
{
	return c->space == VFBC_PF_CAP_STD ? c->id == VFBC_PCI_CAP_ID_VNDR :
		c->id == VFBC_PCI_EXT_CAP_ID_VNDR;
}

int
vfbc_pf_policy_map_build(const uint8_t *cfg, uint32_t cfg_size, struct vfbc_pf_policy_map *map)
{
	struct vfbc_pf_caps caps;
	const struct vfbc_pf_cap *c;
	uint16_t i, id;
	int ret;

	if (map == NULL)
		return -EINVAL;
	memset(map, 0, sizeof(*map));
	ret = vfbc_pf_caps_walk(cfg, cfg_size, &caps);
	if (ret < 0)
		return ret;
	map->cfg_size = (uint16_t)cfg_size;
	map->walk_flags = caps.flags;
	pol_map_struct(map, VFBC_PF_POLICY_HDR, 0, 0, VFBC_PCI_STD_HEADER_SIZEOF);
	/* Capabilities come in address order, after the header: regions too. */
	for (i = 0; i < caps.nb_caps; i++) {
		c = &caps.caps[i];
		id = (c->flags & VFBC_PF_CAP_F_DUP) && !pol_may_repeat(c) ?
			VFBC_PF_POLICY_ANY_CAP : c->id;
		pol_map_struct(map, c->space == VFBC_PF_CAP_STD ? VFBC_PF_POLICY_CAP :
			       VFBC_PF_POLICY_EXT_CAP, id, c->pos, c->extent);
	}
	return 0;
}

/* The region of off, a byte of the map's config space. */
static void
pol_map_find(const struct vfbc_pf_policy_map *map, uint32_t off,
	     struct vfbc_pf_policy_result *res)
{
	const struct vfbc_pf_policy_region *r;
	uint32_t lo = 0, hi = map->nb_regions, mid;

	/* Bytes no row covers form one-byte denied regions. */
	res->rule = NULL;
	res->region_off = off;
	res->region_len = 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = &map->regions[mid];
		if (off < r->off) {
			hi = mid;
		} else if (off >= (uint32_t)r->off + r->len) {
			lo = mid + 1;
		} else {
			res->rule = &vfbc_pf_policy_table[r->rule];
			res->region_off = r->off;
			res->region_len = r->len;
			return;
		}
	}
}

int
vfbc_pf_policy_lookup(const struct vfbc_pf_policy_map *map, uint32_t off,
		      struct vfbc_pf_policy_result *res)
{
	if (map == NULL || res == NULL || !pol_cfg_size_ok(map->cfg_size))
		return -EINVAL;
	if (off >= map->cfg_size)
		return -ERANGE;
	pol_map_find(map, off, res);
	return 0;
}

static int
pol_refuse(struct vfbc_pf_policy_result *res, int32_t status, const char *reason)
{
	res->status = status;
	res->reason = reason;
	return status;
}

/*
 * What can be decided without the device: the refusal, or 0 and the span
 * the verdict depends on.
 */
static int
pol_classify(const struct vfbc_pf_policy_map *map, uint32_t off, uint32_t len,
	     struct vfbc_pf_policy_result *res, uint32_t *span_off, uint32_t *span_len)
{
	const struct vfbc_pf_policy_rule *r;

	memset(res, 0, sizeof(*res));
	res->action = VFBC_PF_POLICY_DENY;
	*span_off = 0;
	*span_len = 0;
	if (map == NULL || len == 0 || !pol_cfg_size_ok(map->cfg_size))
		return pol_refuse(res, -EINVAL, "bad arguments");
	if (off >= map->cfg_size || len > map->cfg_size - off)
		return pol_refuse(res, -ERANGE, "beyond the VF's config space");
	pol_map_find(map, off, res);
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

	/* The value of a register (power trap) needs all of it. */
	*span_off = res->region_len <= 4 ? res->region_off : off;
	*span_len = res->region_len <= 4 ? res->region_len : len;
	return 0;
}

uint32_t
vfbc_pf_policy_write_span(const struct vfbc_pf_policy_map *map, uint32_t off, uint32_t len,
			  uint32_t *span_off)
{
	struct vfbc_pf_policy_result res;
	uint32_t so, sl;

	if (pol_classify(map, off, len, &res, &so, &sl) < 0)
		sl = 0;
	if (span_off != NULL)
		*span_off = so;
	return sl;
}

int
vfbc_pf_policy_write_decide(const struct vfbc_pf_policy_map *map, uint32_t off, uint32_t len,
			    const uint8_t *data, const uint8_t *cur, uint32_t cur_len,
			    struct vfbc_pf_policy_result *res)
{
	uint32_t i, b, wm, tr, diff, span_off, span_len;
	uint8_t after[4];
	int trapped = 0;
	int ret;

	if (res == NULL)
		return -EINVAL;
	ret = pol_classify(map, off, len, res, &span_off, &span_len);
	if (data == NULL || (ret == 0 && (cur == NULL || cur_len != span_len))) {
		res->action = VFBC_PF_POLICY_DENY;
		return pol_refuse(res, -EINVAL, "bad arguments");
	}
	if (ret < 0)
		return ret;

	for (i = off; i < off + len; i++) {
		b = i - res->region_off;
		if (res->region_len <= 4) {
			wm = (res->rule->wmask >> (8 * b)) & 0xff;
			tr = (res->rule->trap >> (8 * b)) & 0xff;
		} else {
			wm = res->rule->wmask != 0 ? 0xff : 0;
			tr = 0;
		}
		diff = (uint32_t)(data[i - off] ^ cur[i - span_off]);
		if (diff & ~(wm | tr))
			return pol_refuse(res, -EPERM, "changes bits the VF does not own");
		if (diff & tr)
			trapped = 1;
	}
	if (res->region_len <= 4) {
		memset(after, 0, sizeof(after));
		memcpy(after, cur, res->region_len);
		memcpy(after + (off - res->region_off), data, len);
		res->value = (uint32_t)after[0] | (uint32_t)after[1] << 8 |
			(uint32_t)after[2] << 16 | (uint32_t)after[3] << 24;
	}
	res->action = trapped ? res->rule->action : VFBC_PF_POLICY_ALLOW;
	res->reason = trapped ? "trapped" : "allowed";
	return 0;
}

int
vfbc_pf_policy_write(const uint8_t *cfg, uint32_t cfg_size, uint32_t off, uint32_t len,
		     const uint8_t *data, struct vfbc_pf_policy_result *res)
{
	struct vfbc_pf_policy_map map;
	uint32_t span_off, span_len;

	/* A failed build leaves a map that refuses with -EINVAL. */
	vfbc_pf_policy_map_build(cfg, cfg_size, &map);
	span_len = vfbc_pf_policy_write_span(&map, off, len, &span_off);
	return vfbc_pf_policy_write_decide(&map, off, len, data,
					   span_len != 0 ? cfg + span_off : NULL, span_len, res);
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
