/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Checks shared by the vfbc-world fuzz targets. They restate the promises
 * of doc/guides/tools/vfbc_world.rst independently of app/vfbc-world's
 * code, so that a parser that drifts from them is caught.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_world.h"

void
fuzz_world_err_open(struct fuzz_world_err *e)
{
	e->buf = NULL;
	e->len = 0;
	e->f = open_memstream(&e->buf, &e->len);
	FUZZ_ASSERT(e->f != NULL, "open_memstream failed");
}

void
fuzz_world_err_close(struct fuzz_world_err *e)
{
	FUZZ_ASSERT(fclose(e->f) == 0, "closing the message stream failed");
	e->f = NULL;
}

void
fuzz_world_check_messages(const struct fuzz_world_err *e, int refused, const char *where)
{
	static const char prefix[] = "vfbc-world: ";

	if (!refused) {
		FUZZ_ASSERT(e->len == 0, "%s: accepted, yet it printed: %s", where, e->buf);
		return;
	}
	FUZZ_ASSERT(e->len > sizeof(prefix) && strncmp(e->buf, prefix, strlen(prefix)) == 0 &&
		e->buf[e->len - 1] == '\n', "%s: refused without a vfbc-world message: '%s'",
		where, e->buf);
}

/* Whether rid was taken already; takes it. */
static int
fuzz_world_rid_taken(uint8_t *taken, uint32_t rid)
{
	int was = (taken[rid / 8] >> (rid % 8)) & 1;

	taken[rid / 8] |= 1u << (rid % 8);
	return was;
}

static int
fuzz_world_rids_ok(const struct vfbc_world_topo *t)
{
	uint8_t taken[0x10000 / 8];
	unsigned int pf;
	uint32_t prev;
	uint32_t rid;
	unsigned int i;

	if (t->nb_pfs < 1 || t->nb_pfs > VFBC_WORLD_MAX_PFS)
		return 0;
	memset(taken, 0, sizeof(taken));
	for (pf = 0; pf < t->nb_pfs; pf++)
		if (fuzz_world_rid_taken(taken, t->pf_rid[pf]))
			return 0;
	for (pf = 0; pf < t->nb_pfs; pf++) {
		prev = t->pf_rid[pf];
		for (i = 0; i < t->total_vfs; i++) {
			rid = (uint32_t)t->pf_rid[pf] + t->vf_offset + (uint32_t)t->vf_stride * i;
			if (rid != vfbc_world_vf_rid(t, pf, i) || rid > 0xffff)
				return 0;
			/* Increasing from the PF: apart from it and from each other. */
			if (rid <= prev)
				return 0;
			prev = rid;
			/* Nor on any function of another PF. */
			if (fuzz_world_rid_taken(taken, rid))
				return 0;
		}
	}
	return 1;
}

static int
fuzz_world_bar_ok(uint64_t size)
{
	return size >= VFBC_WORLD_PAGE_SIZE && size <= VFBC_WORLD_MAX_BAR_SIZE &&
		(size & (size - 1)) == 0;
}

/* The PFs in use; a canary's bytes past VFBC_WORLD_MAX_PFS are not read. */
static int
fuzz_world_pfs_equal(const struct vfbc_world_topo *a, const struct vfbc_world_topo *b)
{
	unsigned int nb;

	nb = a->nb_pfs < VFBC_WORLD_MAX_PFS ? a->nb_pfs : VFBC_WORLD_MAX_PFS;
	return memcmp(a->pf_rid, b->pf_rid, nb * sizeof(a->pf_rid[0])) == 0;
}

int
fuzz_world_topo_equal(const struct vfbc_world_topo *a, const struct vfbc_world_topo *b)
{
	return a->bar0_size == b->bar0_size && a->vf_bar0_size == b->vf_bar0_size &&
		a->domain == b->domain && a->vf_cfg_size == b->vf_cfg_size &&
		a->nb_pfs == b->nb_pfs && fuzz_world_pfs_equal(a, b) &&
		a->total_vfs == b->total_vfs &&
		a->num_vfs == b->num_vfs && a->vf_offset == b->vf_offset &&
		a->vf_stride == b->vf_stride && a->vendor_id == b->vendor_id &&
		a->pf_device_id == b->pf_device_id && a->vf_device_id == b->vf_device_id;
}

void
fuzz_world_check_topo(const struct vfbc_world_topo *topo)
{
	struct vfbc_world_topo again;
	struct fuzz_world_err e;
	char spec[1024];
	int len;
	int ret;

	FUZZ_ASSERT(topo->total_vfs >= 1 && topo->total_vfs <= VFBC_WORLD_MAX_VFS,
		"TotalVFs %u", topo->total_vfs);
	FUZZ_ASSERT(topo->num_vfs <= topo->total_vfs, "NumVFs %u > TotalVFs %u",
		topo->num_vfs, topo->total_vfs);
	FUZZ_ASSERT(topo->domain <= 0xffff, "domain 0x%x", topo->domain);
	FUZZ_ASSERT(topo->vf_offset >= 1, "First VF Offset 0");
	FUZZ_ASSERT(topo->vf_stride >= 1 || topo->total_vfs == 1, "VF Stride 0, %u VFs",
		topo->total_vfs);
	FUZZ_ASSERT(fuzz_world_rids_ok(topo), "routing IDs beyond bus 255 or not apart "
		"(%u PFs, the first 0x%04x, offset %u, stride %u, TotalVFs %u)", topo->nb_pfs,
		topo->pf_rid[0], topo->vf_offset, topo->vf_stride, topo->total_vfs);
	FUZZ_ASSERT(topo->vendor_id != 0 && topo->vendor_id != 0xffff, "vendor 0x%04x",
		topo->vendor_id);
	FUZZ_ASSERT(fuzz_world_bar_ok(topo->bar0_size), "BAR0 size 0x%" PRIx64,
		topo->bar0_size);
	FUZZ_ASSERT(fuzz_world_bar_ok(topo->vf_bar0_size), "VF BAR0 size 0x%" PRIx64,
		topo->vf_bar0_size);
	FUZZ_ASSERT(topo->vf_cfg_size == 256 || topo->vf_cfg_size == 4096,
		"VF config size %u", topo->vf_cfg_size);

	/* What the world writes to $VFBC_WORLD/spec rebuilds the same world. */
	len = vfbc_world_spec_format(topo, spec, sizeof(spec));
	FUZZ_ASSERT(len > 0 && (size_t)len < sizeof(spec), "spec of %d bytes", len);
	memset(&again, 0x5a, sizeof(again));
	fuzz_world_err_open(&e);
	ret = vfbc_world_parse_spec("printed", spec, len, &again, e.f);
	fuzz_world_err_close(&e);
	FUZZ_ASSERT(ret == 0, "the printed topology is refused: %s--- spec:\n%s", e.buf, spec);
	free(e.buf);
	FUZZ_ASSERT(fuzz_world_topo_equal(&again, topo),
		"printed and parsed again, the topology differs:\n%s", spec);
}

/* Decimal without a leading zero, or 0x and hex digits; into v (no overflow). */
static int
fuzz_world_strict_number(const char *s, uint64_t *v)
{
	const char *d;
	unsigned int n;
	int base;

	base = 10;
	d = s;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d = s + 2;
	} else if (s[0] == '0' && s[1] != '\0') {
		return 0;
	}
	if (*d == '\0')
		return 0;
	*v = 0;
	for (; *d != '\0'; d++) {
		if (*d >= '0' && *d <= '9')
			n = *d - '0';
		else if (base == 16 && *d >= 'a' && *d <= 'f')
			n = *d - 'a' + 10;
		else if (base == 16 && *d >= 'A' && *d <= 'F')
			n = *d - 'A' + 10;
		else
			return 0;
		if (*v > (UINT64_MAX - n) / base)
			return 0;
		*v = *v * base + n;
	}
	return 1;
}

/* DDDD:BB:DD.F, hex digits where they go. */
static int
fuzz_world_strict_bdf(const char *s)
{
	static const char shape[] = "xxxx:xx:xx.f";
	unsigned int i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'x' && strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			return 0;
		if (shape[i] == 'f' && (s[i] < '0' || s[i] > '7'))
			return 0;
		if (shape[i] != 'x' && shape[i] != 'f' && s[i] != shape[i])
			return 0;
	}
	return 1;
}

/*
 * A pf value: one address (a --pf: somewhere in the list), or the spec's
 * comma-separated list (the whole list, in order), blanks around each.
 */
static void
fuzz_world_check_pfs(const struct vfbc_world_topo *topo, const char *value)
{
	char item[64];
	char bdf[16];
	const char *end;
	const char *s;
	unsigned int n;
	unsigned int k;
	size_t len;
	int list;

	list = strchr(value, ',') != NULL;
	n = 0;
	for (s = value; ; s = end + 1) {
		end = strchr(s, ',');
		len = end != NULL ? (size_t)(end - s) : strlen(s);
		while (len > 0 && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
			s++;
			len--;
		}
		while (len > 0 && (s[len - 1] == ' ' || (s[len - 1] >= '\t' && s[len - 1] <= '\r')))
			len--;
		FUZZ_ASSERT(len < sizeof(item), "accepted PCI address '%s'", value);
		memcpy(item, s, len);
		item[len] = '\0';
		FUZZ_ASSERT(fuzz_world_strict_bdf(item), "accepted PCI address '%s'", item);
		FUZZ_ASSERT(n < topo->nb_pfs, "pf '%s': more than the %u PFs built", value,
			topo->nb_pfs);
		for (k = list ? n : 0; k < topo->nb_pfs; k++) {
			vfbc_world_bdf(topo, topo->pf_rid[k], bdf, sizeof(bdf));
			if (strcasecmp(bdf, item) == 0 || list)
				break;
		}
		FUZZ_ASSERT(k < topo->nb_pfs && strcasecmp(bdf, item) == 0,
			"pf '%s': %s is not PF %u", value, item, list ? n : k);
		n++;
		if (end == NULL)
			break;
	}
	FUZZ_ASSERT(!list || n == topo->nb_pfs, "pf '%s' gave %u PFs", value, topo->nb_pfs);
}

static int
fuzz_world_is(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(key, name, len) == 0;
}

int
fuzz_world_check_value(const struct vfbc_world_topo *topo, const char *key, size_t len,
		const char *value)
{
	uint64_t want;
	uint64_t v;

	if (fuzz_world_is(key, len, "pf")) {
		fuzz_world_check_pfs(topo, value);
		return 0;
	}
	if (fuzz_world_is(key, len, "pfs")) {
		FUZZ_ASSERT(fuzz_world_strict_number(value, &v) && v == topo->nb_pfs,
			"--pfs '%s' gave %u PFs", value, topo->nb_pfs);
		return 0;
	}
	if (fuzz_world_is(key, len, "total-vfs"))
		want = topo->total_vfs;
	else if (fuzz_world_is(key, len, "num-vfs"))
		want = topo->num_vfs;
	else if (fuzz_world_is(key, len, "vf-offset"))
		want = topo->vf_offset;
	else if (fuzz_world_is(key, len, "vf-stride"))
		want = topo->vf_stride;
	else if (fuzz_world_is(key, len, "vendor"))
		want = topo->vendor_id;
	else if (fuzz_world_is(key, len, "pf-device"))
		want = topo->pf_device_id;
	else if (fuzz_world_is(key, len, "vf-device"))
		want = topo->vf_device_id;
	else if (fuzz_world_is(key, len, "bar0-size"))
		want = topo->bar0_size;
	else if (fuzz_world_is(key, len, "vf-bar0-size"))
		want = topo->vf_bar0_size;
	else if (fuzz_world_is(key, len, "vf-cfg-size"))
		want = topo->vf_cfg_size;
	else
		return -1;
	FUZZ_ASSERT(fuzz_world_strict_number(value, &v), "%.*s: accepted number '%s'",
		(int)len, key, value);
	FUZZ_ASSERT(v == want, "%.*s: '%s' became %" PRIu64, (int)len, key, value, want);
	return 0;
}
