/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * libFuzzer target for the config-space permission policy and its
 * capability walker (drivers/net/vfbc_pf/vfbc_pf_{policy,caps}.c): an
 * arbitrary config space, a write a VF asks for, and a read.
 *
 * Input (short inputs are zero-padded):
 *   [0]        bit 0: a 4096-byte config space (else 256); bit 1: a read too
 *   [1..2]     write offset, little endian, modulo cfg_size + 16 (some beyond)
 *   [3]        write length - 1, modulo 128 (1..128: a mailbox request)
 *   [4..5]     read offset, modulo cfg_size + 16
 *   [6]        read length - 1, modulo 128
 *   [7]        poison byte for the bytes a decision must not read
 *   [8..135]   the bytes to write
 *   [136..]    the config space image
 *
 * The invariants (abort on violation):
 * - the map never reads outside the image (it is built from an exact-size
 *   heap copy: ASan), is sorted, disjoint, inside the config space, names
 *   rows of the table, and describes the whole type 0 header;
 * - every capability header, by an independent walk of the lists (also
 *   the positions that end them), lies in a denied region or in none, and
 *   the walker lists only such positions, sorted, with extents over no
 *   other, and finds the unflagged one of each ID;
 * - the decision is the same from the span's bytes alone (exact-size heap
 *   copy), from the image with every other byte poisoned, and from the
 *   whole-image entry point: it reads nothing but the span;
 * - an accepted write lies inside one region of an allow or trap row,
 *   touches no capability header, changes only write-mask bits (or trap
 *   bits, and then is trapped), and reports the region's value after it;
 * - a refusal is -ERANGE exactly when the write leaves the config space,
 *   else -EPERM;
 * - a read is allowed exactly inside the config space, and virtualizing it
 *   changes only the Vendor and Device ID bytes.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf_caps.h"
#include "vfbc_pf_policy.h"

#define FZ_HDR		8
#define FZ_DATA		128
#define FZ_IMAGE	(FZ_HDR + FZ_DATA)
#define FZ_VENDOR	0x1b36
#define FZ_DEVICE	0x10b1

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

#define FZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_pf_policy: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

static uint32_t
fz_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

/*
 * Mark the header bytes of every position the lists point to, walked here
 * without the walker: the positions that end a list too (ID 0xff, an empty
 * extended header), since the walker must not let a capability reach over
 * them. pos_of[b] is the header position of header byte b (0: none).
 */
static void
fz_headers(const uint8_t *cfg, uint32_t cfg_size, uint16_t *pos_of)
{
	uint8_t seen[RTE_PCI_CFG_SPACE_EXP_SIZE / 4];
	uint32_t p, h, b;

	memset(seen, 0, sizeof(seen));
	memset(pos_of, 0, cfg_size * sizeof(pos_of[0]));
	if ((cfg[VFBC_PCI_STATUS] | cfg[VFBC_PCI_STATUS + 1] << 8) & VFBC_PCI_STATUS_CAP_LIST) {
		p = cfg[VFBC_PCI_CAPABILITY_LIST] & 0xfc;
		while (p >= VFBC_PCI_STD_HEADER_SIZEOF && !seen[p / 4]) {
			seen[p / 4] = 1;
			pos_of[p] = pos_of[p + 1] = (uint16_t)p;
			if (cfg[p] == 0xff)
				break;
			p = cfg[p + 1] & 0xfc;
		}
	}
	if (cfg_size < RTE_PCI_CFG_SPACE_EXP_SIZE)
		return;
	p = VFBC_PCI_EXT_CAP_START;
	while (p >= VFBC_PCI_EXT_CAP_START && !seen[p / 4]) {
		seen[p / 4] = 1;
		for (b = p; b < p + 4; b++)
			pos_of[b] = (uint16_t)p;
		h = fz_get32(cfg + p);
		if (h == 0 || h == UINT32_MAX)
			break;
		p = (h >> 20) & 0xffc;
	}
}

static void
fz_check_caps(const uint8_t *cfg, uint32_t cfg_size, const uint16_t *pos_of)
{
	struct vfbc_pf_caps caps;
	const struct vfbc_pf_cap *c, *f;
	uint32_t i, b, end;

	FZ_CHECK(vfbc_pf_caps_walk(cfg, cfg_size, &caps) == 0, "walk");
	FZ_CHECK(caps.nb_caps <= VFBC_PF_CAPS_MAX, "%u capabilities", caps.nb_caps);
	for (i = 0; i < caps.nb_caps; i++) {
		c = &caps.caps[i];
		end = c->space == VFBC_PF_CAP_STD ? RTE_PCI_CFG_SPACE_SIZE : cfg_size;
		FZ_CHECK(pos_of[c->pos] == c->pos, "capability at 0x%x is no list position",
			 c->pos);
		FZ_CHECK(i == 0 || caps.caps[i - 1].pos < c->pos, "capabilities out of order");
		FZ_CHECK(c->extent >= 2 && c->pos + c->extent <= end,
			 "capability at 0x%x: %u bytes", c->pos, c->extent);
		for (b = c->pos + 2; b < (uint32_t)c->pos + c->extent; b++)
			FZ_CHECK(pos_of[b] == 0 || pos_of[b] == c->pos,
				 "capability at 0x%x runs over the header at 0x%x", c->pos,
				 pos_of[b]);
		/* The first of an ID in list order, which is the one not flagged. */
		f = vfbc_pf_caps_find(&caps, c->space, c->id);
		FZ_CHECK(f != NULL && f->space == c->space && f->id == c->id &&
			 !(f->flags & VFBC_PF_CAP_F_DUP) &&
			 (f == c || (c->flags & VFBC_PF_CAP_F_DUP)),
			 "find of ID 0x%x gave the capability at 0x%x", c->id,
			 f != NULL ? f->pos : 0);
	}
}

static void
fz_check_map(const struct vfbc_pf_policy_map *map, uint32_t cfg_size, const uint16_t *pos_of)
{
	const struct vfbc_pf_policy_region *r;
	struct vfbc_pf_policy_result res;
	uint32_t i, b;

	FZ_CHECK(map->cfg_size == cfg_size, "map of %u bytes", map->cfg_size);
	FZ_CHECK(map->nb_regions <= VFBC_PF_POLICY_MAP_MAX, "%u regions", map->nb_regions);
	for (i = 0; i < map->nb_regions; i++) {
		r = &map->regions[i];
		FZ_CHECK(r->len > 0 && r->off + r->len <= cfg_size, "region [0x%x, +%u)", r->off,
			 r->len);
		FZ_CHECK(r->rule < vfbc_pf_policy_nb_rules, "row %u", r->rule);
		FZ_CHECK(i == 0 || map->regions[i - 1].off + map->regions[i - 1].len <= r->off,
			 "region at 0x%x overlaps or precedes the previous", r->off);
	}
	for (b = 0; b < cfg_size; b++) {
		if (b >= VFBC_PCI_STD_HEADER_SIZEOF && pos_of[b] == 0)
			continue;
		FZ_CHECK(vfbc_pf_policy_lookup(map, b, &res) == 0, "lookup 0x%x", b);
		if (b < VFBC_PCI_STD_HEADER_SIZEOF)
			FZ_CHECK(res.rule != NULL && res.rule->space == VFBC_PF_POLICY_HDR,
				 "header byte 0x%x has no header row", b);
		else
			FZ_CHECK(res.rule == NULL || res.rule->action == VFBC_PF_POLICY_DENY,
				 "byte 0x%x of the header at 0x%x in row %s", b, pos_of[b],
				 res.rule->name);
	}
}

static int
fz_same(const struct vfbc_pf_policy_result *a, int ra, const struct vfbc_pf_policy_result *b,
	int rb)
{
	return ra == rb && a->action == b->action && a->rule == b->rule &&
		a->region_off == b->region_off && a->region_len == b->region_len &&
		a->value == b->value;
}

/* What an accepted write may do, recomputed from its row. */
static void
fz_check_accepted(const uint8_t *cfg, const uint16_t *pos_of, uint32_t off, uint32_t len,
		  const uint8_t *data, const struct vfbc_pf_policy_result *res)
{
	const struct vfbc_pf_policy_rule *r = res->rule;
	uint32_t i, b, wm, tr, diff, value = 0;
	int trapped = 0;

	FZ_CHECK(r != NULL, "accepted without a row");
	FZ_CHECK(r->action == VFBC_PF_POLICY_ALLOW || r->action == VFBC_PF_POLICY_TRAP_RESET ||
		 r->action == VFBC_PF_POLICY_TRAP_POWER, "accepted in %s row %s",
		 vfbc_pf_policy_action_str(r->action), r->name);
	FZ_CHECK(off >= res->region_off && off + len <= res->region_off + res->region_len,
		 "[0x%x, +%u) outside its region [0x%x, +%u)", off, len, res->region_off,
		 res->region_len);
	for (i = off; i < off + len; i++) {
		FZ_CHECK(pos_of[i] == 0, "accepted write to header byte 0x%x", i);
		b = i - res->region_off;
		wm = res->region_len <= 4 ? (r->wmask >> (8 * b)) & 0xff :
			(r->wmask != 0 ? 0xff : 0);
		tr = res->region_len <= 4 ? (r->trap >> (8 * b)) & 0xff : 0;
		diff = data[i - off] ^ cfg[i];
		FZ_CHECK(!(diff & ~(wm | tr)), "byte 0x%x: bits 0x%x not the VF's (row %s)", i,
			 diff & ~(wm | tr), r->name);
		trapped |= (diff & tr) != 0;
	}
	FZ_CHECK(res->action == (trapped ? r->action : VFBC_PF_POLICY_ALLOW),
		 "action %s, trap bits %schanged", vfbc_pf_policy_action_str(res->action),
		 trapped ? "" : "not ");
	if (res->region_len <= 4) {
		for (i = 0; i < res->region_len; i++) {
			b = res->region_off + i;
			value |= (uint32_t)(b >= off && b < off + len ? data[b - off] : cfg[b])
				<< (8 * i);
		}
		FZ_CHECK(res->value == value, "value 0x%x, expected 0x%x", res->value, value);
	}
}

static void
fz_check_write(const uint8_t *cfg, uint32_t cfg_size, const struct vfbc_pf_policy_map *map,
	       const uint16_t *pos_of, uint32_t off, uint32_t len, const uint8_t *data,
	       uint8_t poison)
{
	struct vfbc_pf_policy_result res, pres, ires;
	uint32_t span_off = 0, span_len, i;
	uint8_t *cur, *poisoned;
	int ret, pret, iret;

	span_len = vfbc_pf_policy_write_span(map, off, len, &span_off);
	FZ_CHECK(span_len <= RTE_MAX(len, 4u) && span_off + span_len <= cfg_size,
		 "span [0x%x, +%u) for [0x%x, +%u)", span_off, span_len, off, len);
	FZ_CHECK(span_len == 0 || (span_off <= off && off + len <= span_off + span_len),
		 "span [0x%x, +%u) misses the write [0x%x, +%u)", span_off, span_len, off, len);

	cur = malloc(span_len + 1);
	poisoned = malloc(cfg_size);
	FZ_CHECK(cur != NULL && poisoned != NULL, "no memory");
	memcpy(cur, cfg + span_off, span_len);
	ret = vfbc_pf_policy_write_decide(map, off, len, data, span_len != 0 ? cur : NULL,
					  span_len, &res);
	for (i = 0; i < cfg_size; i++)
		poisoned[i] = i >= span_off && i < span_off + span_len ? cfg[i] :
			(uint8_t)(cfg[i] ^ poison ^ 0xa5);
	pret = vfbc_pf_policy_write_decide(map, off, len, data, poisoned + span_off, span_len,
					   &pres);
	iret = vfbc_pf_policy_write(cfg, cfg_size, off, len, data, &ires);
	free(cur);
	free(poisoned);
	FZ_CHECK(fz_same(&res, ret, &pres, pret),
		 "[0x%x, +%u): %d (%s), %d (%s) with bytes outside [0x%x, +%u) poisoned", off,
		 len, ret, res.reason, pret, pres.reason, span_off, span_len);
	FZ_CHECK(fz_same(&res, ret, &ires, iret), "[0x%x, +%u): %d (%s), %d (%s) from the image",
		 off, len, ret, res.reason, iret, ires.reason);

	if (ret == 0) {
		fz_check_accepted(cfg, pos_of, off, len, data, &res);
		return;
	}
	FZ_CHECK(ret == (off + len > cfg_size ? -ERANGE : -EPERM), "[0x%x, +%u) refused: %d",
		 off, len, ret);
	FZ_CHECK(res.status == ret && res.reason != NULL, "status %d", res.status);
}

static void
fz_check_read(const uint8_t *cfg, uint32_t cfg_size, uint32_t off, uint32_t len)
{
	uint8_t buf[FZ_DATA];
	uint32_t i;
	int ret;

	ret = vfbc_pf_policy_read(cfg_size, off, len);
	FZ_CHECK(ret == (off + len > cfg_size ? -ERANGE : 0), "read [0x%x, +%u): %d", off, len,
		 ret);
	if (ret != 0)
		return;
	memcpy(buf, cfg + off, len);
	vfbc_pf_policy_virtualize_read(buf, off, len, FZ_VENDOR, FZ_DEVICE);
	for (i = off; i < off + len; i++) {
		if (i >= 4)
			FZ_CHECK(buf[i - off] == cfg[i], "read byte 0x%x virtualized", i);
		else
			FZ_CHECK(buf[i - off] == (uint8_t)((i < 2 ? FZ_VENDOR : FZ_DEVICE) >>
							    (8 * (i % 2))),
				 "ID byte 0x%x not virtualized", i);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static uint16_t pos_of[RTE_PCI_CFG_SPACE_EXP_SIZE];
	struct vfbc_pf_policy_map map;
	uint8_t hdr[FZ_HDR], data[FZ_DATA];
	uint32_t cfg_size, woff, wlen, roff, rlen;
	uint8_t *cfg;
	size_t n;

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, in, RTE_MIN(size, sizeof(hdr)));
	memset(data, 0, sizeof(data));
	if (size > FZ_HDR)
		memcpy(data, in + FZ_HDR, RTE_MIN(size - FZ_HDR, sizeof(data)));
	cfg_size = hdr[0] & 1 ? RTE_PCI_CFG_SPACE_EXP_SIZE : RTE_PCI_CFG_SPACE_SIZE;
	woff = (hdr[1] | hdr[2] << 8) % (cfg_size + 16);
	wlen = hdr[3] % FZ_DATA + 1;
	roff = (hdr[4] | hdr[5] << 8) % (cfg_size + 16);
	rlen = hdr[6] % FZ_DATA + 1;

	/* Exactly the config space: ASan sees any read past it. */
	cfg = calloc(1, cfg_size);
	FZ_CHECK(cfg != NULL, "no memory");
	n = size > FZ_IMAGE ? RTE_MIN(size - FZ_IMAGE, (size_t)cfg_size) : 0;
	memcpy(cfg, in + FZ_IMAGE, n);

	fz_headers(cfg, cfg_size, pos_of);
	fz_check_caps(cfg, cfg_size, pos_of);
	FZ_CHECK(vfbc_pf_policy_map_build(cfg, cfg_size, &map) == 0, "build");
	fz_check_map(&map, cfg_size, pos_of);
	fz_check_write(cfg, cfg_size, &map, pos_of, woff, wlen, data, hdr[7]);
	if (hdr[0] & 2)
		fz_check_read(cfg, cfg_size, roff, rlen);
	free(cfg);
	return 0;
}
