/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Options and spec file: both feed the same setter, so a key means the same
 * thing in either place, and the topology is validated once at the end.
 *
 * Parsing is apart from acting: it only reads the spec file and writes its
 * messages to the stream it is given; it creates nothing, keeps no state
 * between calls, and leaves the caller's structure alone when it refuses.
 * The fuzz targets of test/fuzz call it in-process.
 *
 * It is strict: a number is decimal without a leading zero, or 0x and hex
 * digits, nothing around it; a PCI address has exactly its digits; an
 * option or key is spelt out and given once per source; anything else is
 * refused with a message naming the option or key (and the spec line).
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vfbc_pci_ids.h>

#include "world.h"

/* Larger spec files are refused: a topology takes a few hundred bytes. */
#define VFBC_WORLD_SPEC_MAX	(64 * 1024)
/* Room for "<option or file:line>: <key>" in messages. */
#define VFBC_WORLD_WHERE_LEN	(PATH_MAX + 64)

/* Topology keys first: they index vfbc_world_parser.set_at. */
enum vfbc_world_key {
	KEY_PF,
	KEY_TOTAL_VFS,
	KEY_NUM_VFS,
	KEY_VF_OFFSET,
	KEY_VF_STRIDE,
	KEY_VENDOR,
	KEY_PF_DEVICE,
	KEY_VF_DEVICE,
	KEY_BAR0_SIZE,
	KEY_VF_BAR0_SIZE,
	KEY_VF_CFG_SIZE,
	KEY_NB_TOPO,
	OPT_SPEC = KEY_NB_TOPO,
	OPT_PFS,
	OPT_CHECK,
	OPT_JOIN,
	OPT_HELP,
	OPT_NB,
};

/* Option names (spec keys are the topology ones), whether they take a value. */
static const struct {
	const char *name;
	int has_value;
} vfbc_world_opts[OPT_NB] = {
	[KEY_PF] = { "pf", 1 },
	[KEY_TOTAL_VFS] = { "total-vfs", 1 },
	[KEY_NUM_VFS] = { "num-vfs", 1 },
	[KEY_VF_OFFSET] = { "vf-offset", 1 },
	[KEY_VF_STRIDE] = { "vf-stride", 1 },
	[KEY_VENDOR] = { "vendor", 1 },
	[KEY_PF_DEVICE] = { "pf-device", 1 },
	[KEY_VF_DEVICE] = { "vf-device", 1 },
	[KEY_BAR0_SIZE] = { "bar0-size", 1 },
	[KEY_VF_BAR0_SIZE] = { "vf-bar0-size", 1 },
	[KEY_VF_CFG_SIZE] = { "vf-cfg-size", 1 },
	[OPT_SPEC] = { "spec", 1 },
	[OPT_PFS] = { "pfs", 1 },
	[OPT_CHECK] = { "check", 0 },
	[OPT_JOIN] = { "join", 1 },
	[OPT_HELP] = { "help", 0 },
};

/* One parse: what it builds, where it reports. */
struct vfbc_world_parser {
	FILE *err;
	struct vfbc_world_topo topo;
	unsigned int pfs;		/* --pfs: PFs to place after the first; 0 if not given. */
	int num_vfs_given;		/* NumVFs defaults to TotalVFs only if unset. */
	int set_at[KEY_NB_TOPO];	/* Spec line that set a key: 0 if none yet. */
};

static void
vfbc_world_perr(struct vfbc_world_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
vfbc_world_perr(struct vfbc_world_parser *p, const char *fmt, ...)
{
	va_list ap;

	fputs("vfbc-world: ", p->err);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
}

void
vfbc_world_usage(FILE *f)
{
	fprintf(f,
		"usage: vfbc-world [options] -- CMD [ARGS...]\n"
		"       vfbc-world --join PID -- CMD [ARGS...]\n"
		"       vfbc-world --check\n"
		"Topology (numbers are decimal without leading zeros, or 0x and hex digits):\n"
		"  --pf BDF              PF address DDDD:BB:DD.F (0000:01:00.0); repeat it\n"
		"                        for up to %u PFs, all in one domain\n"
		"  --pfs N               N PFs (1..%u), the first at --pf, each next on the\n"
		"                        first bus after the previous PF's last VF\n"
		"  --total-vfs N         TotalVFs, 1..%u (8)\n"
		"  --num-vfs N           NumVFs enabled at start (TotalVFs)\n"
		"  --vf-offset N         First VF Offset (1)\n"
		"  --vf-stride N         VF Stride (1)\n"
		"  --vendor ID           vendor ID (0x%04x)\n"
		"  --pf-device ID        PF device ID (0x%04x)\n"
		"  --vf-device ID        SR-IOV VF Device ID (0x%04x)\n"
		"  --bar0-size BYTES     PF BAR0 size, a power of two (0x100000)\n"
		"  --vf-bar0-size BYTES  VF BAR0 size, a power of two (0x10000)\n"
		"  --vf-cfg-size 256|4096  VF config space size (4096)\n"
		"  --spec FILE           read 'key = value' lines with the keys above but\n"
		"                        pfs ('pf = BDF, BDF' lists PFs); command-line\n"
		"                        options override the file (--pf its whole list)\n"
		"Options are spelt out in full, each given at most once but --pf.\n",
		VFBC_WORLD_MAX_PFS, VFBC_WORLD_MAX_PFS, VFBC_WORLD_MAX_VFS, VFBC_PCI_VENDOR_ID,
		VFBC_PCI_PF_DEVICE_ID, VFBC_PCI_VF_DEVICE_ID);
}

static void
vfbc_world_topo_defaults(struct vfbc_world_topo *topo)
{
	memset(topo, 0, sizeof(*topo));
	topo->domain = 0;
	topo->pf_rid[0] = 0x0100;
	topo->nb_pfs = 1;
	topo->total_vfs = 8;
	topo->vf_offset = 1;
	topo->vf_stride = 1;
	topo->vendor_id = VFBC_PCI_VENDOR_ID;
	topo->pf_device_id = VFBC_PCI_PF_DEVICE_ID;
	topo->vf_device_id = VFBC_PCI_VF_DEVICE_ID;
	topo->bar0_size = 0x100000;
	topo->vf_bar0_size = 0x10000;
	topo->vf_cfg_size = 4096;
}

static int
vfbc_world_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A number in 0..max: decimal without a leading zero (strtoul would take
 * "010" as octal, or as ten: neither is what everyone means), or 0x and
 * hex digits. No sign, no blank, nothing after it. Prints what is wrong,
 * naming `where`, unless `where` is NULL.
 */
static int
vfbc_world_number(struct vfbc_world_parser *p, const char *where, const char *s,
		uint64_t max, uint64_t *val)
{
	const char *d;
	uint64_t v;
	int base;
	int n;

	if (*s == '\0') {
		if (where != NULL)
			vfbc_world_perr(p, "%s: empty value", where);
		return -EINVAL;
	}
	base = 10;
	d = s;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d = s + 2;
	} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		if (where != NULL)
			vfbc_world_perr(p, "%s: '%s' has a leading zero: write it in decimal "
				"without one, or in hex with 0x (octal is not accepted)", where, s);
		return -EINVAL;
	}
	v = 0;
	for (; *d != '\0'; d++) {
		n = vfbc_world_hex_digit(*d);
		if (n < 0 || n >= base)
			break;
		if (v > (max - n) / base) {
			if (where != NULL)
				vfbc_world_perr(p, "%s: '%s' is out of range 0..0x%" PRIx64, where,
					s, max);
			return -ERANGE;
		}
		v = v * base + n;
	}
	if (*d != '\0' || (base == 16 && d == s + 2)) {
		if (where != NULL)
			vfbc_world_perr(p, "%s: '%s' is not a number (decimal, or hex with 0x)",
				where, s);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

static char *
vfbc_world_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Exactly `digits` hex digits at s. */
static int
vfbc_world_hex_field(const char *s, unsigned int digits, unsigned int *val)
{
	unsigned int i;
	int n;

	*val = 0;
	for (i = 0; i < digits; i++) {
		n = vfbc_world_hex_digit(s[i]);
		if (n < 0)
			return -EINVAL;
		*val = *val << 4 | n;
	}
	return 0;
}

static void
vfbc_world_domain_bdf(unsigned int domain, uint32_t rid, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%u", domain, (rid >> 8) & 0xff, (rid >> 3) & 0x1f,
		rid & 0x7);
}

/* DDDD:BB:DD.F, every digit there and nothing else (sscanf's %x took signs and blanks). */
static int
vfbc_world_parse_bdf(struct vfbc_world_parser *p, const char *where, const char *s,
		unsigned int *domain, uint16_t *rid)
{
	unsigned int bus, dev, fn;

	if (strlen(s) != 12 || vfbc_world_hex_field(s, 4, domain) < 0 || s[4] != ':' ||
			vfbc_world_hex_field(s + 5, 2, &bus) < 0 || s[7] != ':' ||
			vfbc_world_hex_field(s + 8, 2, &dev) < 0 || s[10] != '.' ||
			s[11] < '0' || s[11] > '7' || dev > 0x1f) {
		vfbc_world_perr(p, "%s: bad PCI address '%s' (expected DDDD:BB:DD.F: hex "
			"domain, bus and device, device <= 1f, function <= 7)", where, s);
		return -EINVAL;
	}
	fn = s[11] - '0';
	*rid = bus << 8 | dev << 3 | fn;
	return 0;
}

/*
 * The PF list: `n` addresses replace the list as a whole (the command
 * line's --pf replaces the spec's). One domain for all: the world has one
 * sysfs PCI domain and one topo->domain. An address given twice would
 * build one PF on top of another.
 */
static int
vfbc_world_set_pfs(struct vfbc_world_parser *p, const char *where, const char *const *items,
		unsigned int n)
{
	uint16_t rid[VFBC_WORLD_MAX_PFS];
	unsigned int domain[VFBC_WORLD_MAX_PFS] = { 0 };
	char bdf[16];
	unsigned int i;
	unsigned int j;

	for (i = 0; i < n; i++) {
		if (vfbc_world_parse_bdf(p, where, items[i], &domain[i], &rid[i]) < 0)
			return -EINVAL;
		if (domain[i] != domain[0]) {
			vfbc_world_perr(p, "%s: PF %s is in domain %04x, PF %s in domain %04x: "
				"all PFs of a world share one domain", where, items[i], domain[i],
				items[0], domain[0]);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (rid[j] != rid[i])
				continue;
			vfbc_world_domain_bdf(domain[i], rid[i], bdf, sizeof(bdf));
			vfbc_world_perr(p, "%s: PF %s given twice (PFs %u and %u of the list)",
				where, bdf, j, i);
			return -EINVAL;
		}
	}
	p->topo.domain = domain[0];
	memcpy(p->topo.pf_rid, rid, n * sizeof(rid[0]));
	p->topo.nb_pfs = n;
	return 0;
}

/* The spec's `pf = BDF, BDF, ...`: blanks around each address are allowed. */
static int
vfbc_world_pf_list(struct vfbc_world_parser *p, const char *where, const char *value)
{
	const char *items[VFBC_WORLD_MAX_PFS];
	unsigned int n;
	char *copy;
	char *item;
	char *c;
	int ret;

	n = 1;
	for (c = strchr(value, ','); c != NULL; c = strchr(c + 1, ','))
		n++;
	if (n > VFBC_WORLD_MAX_PFS) {
		vfbc_world_perr(p, "%s: %u PFs: a world has at most %u", where, n,
			VFBC_WORLD_MAX_PFS);
		return -EINVAL;
	}
	copy = strdup(value);
	if (copy == NULL) {
		vfbc_world_perr(p, "%s: out of memory", where);
		return -ENOMEM;
	}
	n = 0;
	for (item = copy; item != NULL; item = c) {
		c = strchr(item, ',');
		if (c != NULL)
			*c++ = '\0';
		items[n++] = vfbc_world_trim(item);
	}
	ret = vfbc_world_set_pfs(p, where, items, n);
	free(copy);
	return ret;
}

/* Apply one topology key; `where` names the option, or the spec line and key. */
static int
vfbc_world_topo_set(struct vfbc_world_parser *p, enum vfbc_world_key key, const char *value,
		const char *where)
{
	struct vfbc_world_topo *topo = &p->topo;
	uint64_t v;

	switch (key) {
	case KEY_PF:
		return vfbc_world_pf_list(p, where, value);
	case KEY_BAR0_SIZE:
	case KEY_VF_BAR0_SIZE:
		if (vfbc_world_number(p, where, value, UINT64_MAX, &v) < 0)
			return -EINVAL;
		if (v == 0 || (v & (v - 1)) != 0 || v < VFBC_WORLD_PAGE_SIZE ||
				v > VFBC_WORLD_MAX_BAR_SIZE) {
			vfbc_world_perr(p, "%s: BAR size %s is not a power of two from %u to %"
				PRIu64 " bytes", where, value, VFBC_WORLD_PAGE_SIZE,
				(uint64_t)VFBC_WORLD_MAX_BAR_SIZE);
			return -EINVAL;
		}
		if (key == KEY_BAR0_SIZE)
			topo->bar0_size = v;
		else
			topo->vf_bar0_size = v;
		return 0;
	case KEY_VF_CFG_SIZE:
		if (vfbc_world_number(p, where, value, UINT32_MAX, &v) < 0)
			return -EINVAL;
		if (v != 256 && v != 4096) {
			vfbc_world_perr(p, "%s: VF config space size '%s' must be 256 or 4096",
				where, value);
			return -EINVAL;
		}
		topo->vf_cfg_size = v;
		return 0;
	default:
		break;
	}

	/* The 16-bit fields. */
	if (vfbc_world_number(p, where, value, UINT16_MAX, &v) < 0)
		return -EINVAL;
	switch (key) {
	case KEY_TOTAL_VFS:
		topo->total_vfs = v;
		break;
	case KEY_NUM_VFS:
		topo->num_vfs = v;
		p->num_vfs_given = 1;
		break;
	case KEY_VF_OFFSET:
		topo->vf_offset = v;
		break;
	case KEY_VF_STRIDE:
		topo->vf_stride = v;
		break;
	case KEY_VENDOR:
		topo->vendor_id = v;
		break;
	case KEY_PF_DEVICE:
		topo->pf_device_id = v;
		break;
	default:
		topo->vf_device_id = v;
		break;
	}
	return 0;
}

/*
 * The option or key of the `len` bytes at name, exactly as spelt (getopt_long()
 * took any unambiguous abbreviation), among the first nb: its index, or -1.
 */
static int
vfbc_world_lookup(const char *name, size_t len, int nb)
{
	int o;

	for (o = 0; o < nb; o++)
		if (strlen(vfbc_world_opts[o].name) == len &&
				strncmp(vfbc_world_opts[o].name, name, len) == 0)
			return o;
	return -1;
}

/* Apply the `key = value` lines of a spec; `name` is the file, for messages. */
static int
vfbc_world_spec_apply(struct vfbc_world_parser *p, const char *name, const char *text,
		size_t len)
{
	char where[VFBC_WORLD_WHERE_LEN];
	char *copy;
	char *line;
	char *next;
	char *key;
	char *val;
	char *c;
	int lineno;
	int ret;
	int k;

	copy = malloc(len + 1);
	if (copy == NULL) {
		vfbc_world_perr(p, "%s: out of memory", name);
		return -ENOMEM;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	ret = 0;
	lineno = 0;
	for (line = copy; ret == 0 && line < copy + len; line = next) {
		lineno++;
		next = memchr(line, '\n', copy + len - line);
		next = next != NULL ? next : copy + len;
		*next++ = '\0';
		/* A NUL would silently end the line early: the rest is not junk to skip. */
		if (line + strlen(line) + 1 != next) {
			vfbc_world_perr(p, "%s:%d: NUL byte in the spec file", name, lineno);
			ret = -EINVAL;
			break;
		}
		c = strchr(line, '#');
		if (c != NULL)
			*c = '\0';
		key = vfbc_world_trim(line);
		if (*key == '\0')
			continue;
		c = strchr(key, '=');
		if (c == NULL) {
			vfbc_world_perr(p, "%s:%d: expected 'key = value'", name, lineno);
			ret = -EINVAL;
			break;
		}
		*c = '\0';
		key = vfbc_world_trim(key);
		val = vfbc_world_trim(c + 1);
		k = vfbc_world_lookup(key, strlen(key), KEY_NB_TOPO);
		if (k < 0) {
			vfbc_world_perr(p, "%s:%d: unknown key '%s'", name, lineno, key);
			ret = -EINVAL;
			break;
		}
		if (p->set_at[k] != 0) {
			vfbc_world_perr(p, "%s:%d: %s given twice (first on line %d)", name,
				lineno, key, p->set_at[k]);
			ret = -EINVAL;
			break;
		}
		p->set_at[k] = lineno;
		snprintf(where, sizeof(where), "%s:%d: %s", name, lineno, key);
		ret = vfbc_world_topo_set(p, k, val, where);
	}
	free(copy);
	return ret;
}

/* The whole spec file into memory: anything but a directory, up to a limit. */
static int
vfbc_world_spec_read(struct vfbc_world_parser *p, const char *path, char **text, size_t *len)
{
	struct stat st;
	char *grown;
	size_t size;
	size_t used;
	char *buf;
	ssize_t n;
	int ret;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		vfbc_world_perr(p, "--spec: cannot open spec file %s: %s", path, strerror(-ret));
		return ret;
	}
	/* read() of a directory fails with EISDIR, which used to read as empty. */
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		vfbc_world_perr(p, "--spec: %s is a directory, not a spec file", path);
		close(fd);
		return -EISDIR;
	}
	/* Grown as needed: a spec takes a few hundred bytes, a pipe has no size. */
	size = 4096;
	buf = NULL;
	used = 0;
	ret = 0;
	while (used <= VFBC_WORLD_SPEC_MAX) {
		if (buf == NULL || used == size) {
			if (buf != NULL)
				size = 2 * size < VFBC_WORLD_SPEC_MAX + 1 ? 2 * size :
					VFBC_WORLD_SPEC_MAX + 1;
			grown = realloc(buf, size);
			if (grown == NULL) {
				vfbc_world_perr(p, "--spec: out of memory");
				ret = -ENOMEM;
				break;
			}
			buf = grown;
		}
		n = read(fd, buf + used, size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			vfbc_world_perr(p, "--spec: cannot read spec file %s: %s", path,
				strerror(-ret));
			break;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	if (ret == 0 && used > VFBC_WORLD_SPEC_MAX) {
		vfbc_world_perr(p, "--spec: %s is larger than %d bytes: not a spec file", path,
			VFBC_WORLD_SPEC_MAX);
		ret = -EFBIG;
	}
	if (ret < 0) {
		free(buf);
		return ret;
	}
	*text = buf;
	*len = used;
	return 0;
}

uint32_t
vfbc_world_vf_rid(const struct vfbc_world_topo *topo, unsigned int pf, unsigned int i)
{
	return (uint32_t)topo->pf_rid[pf] + topo->vf_offset + (uint32_t)topo->vf_stride * i;
}

uint64_t
vfbc_world_pf_bar(const struct vfbc_world_topo *topo, unsigned int pf)
{
	return VFBC_WORLD_PF_BAR_BASE + pf * topo->bar0_size;
}

uint64_t
vfbc_world_vf_bar(const struct vfbc_world_topo *topo, unsigned int pf, unsigned int i)
{
	return VFBC_WORLD_VF_BAR_BASE +
		((uint64_t)pf * topo->total_vfs + i) * topo->vf_bar0_size;
}

void
vfbc_world_bdf(const struct vfbc_world_topo *topo, uint32_t rid, char *buf, size_t len)
{
	vfbc_world_domain_bdf(topo->domain, rid, buf, len);
}

int
vfbc_world_spec_format(const struct vfbc_world_topo *topo, char *buf, size_t len)
{
	char pfs[VFBC_WORLD_MAX_PFS * 16];
	size_t used;
	unsigned int k;

	/* "pf = a, b": the list that --spec reads back, in order. */
	used = 0;
	pfs[0] = '\0';
	for (k = 0; k < topo->nb_pfs && k < VFBC_WORLD_MAX_PFS; k++) {
		if (k > 0)
			used += snprintf(pfs + used, sizeof(pfs) - used, ", ");
		vfbc_world_bdf(topo, topo->pf_rid[k], pfs + used, sizeof(pfs) - used);
		used += strlen(pfs + used);
	}
	return snprintf(buf, len,
		"pf = %s\ntotal-vfs = %u\nnum-vfs = %u\nvf-offset = %u\nvf-stride = %u\n"
		"vendor = 0x%04x\npf-device = 0x%04x\nvf-device = 0x%04x\n"
		"bar0-size = 0x%" PRIx64 "\nvf-bar0-size = 0x%" PRIx64 "\nvf-cfg-size = %u\n",
		pfs, topo->total_vfs, topo->num_vfs, topo->vf_offset, topo->vf_stride,
		topo->vendor_id, topo->pf_device_id, topo->vf_device_id, topo->bar0_size,
		topo->vf_bar0_size, topo->vf_cfg_size);
}

/* Routing ID of function f: the PFs first, then each PF's VFs at TotalVFs. */
static uint32_t
vfbc_world_fn_rid(const struct vfbc_world_topo *topo, unsigned int f)
{
	if (f < topo->nb_pfs)
		return topo->pf_rid[f];
	f -= topo->nb_pfs;
	return vfbc_world_vf_rid(topo, f / topo->total_vfs, f % topo->total_vfs);
}

/* "PF 0000:01:00.0" or "VF 3 of PF 0000:01:00.0": function f, for messages. */
static void
vfbc_world_fn_name(const struct vfbc_world_topo *topo, unsigned int f, char *buf,
		size_t len)
{
	char pf[16];

	if (f < topo->nb_pfs) {
		vfbc_world_bdf(topo, topo->pf_rid[f], pf, sizeof(pf));
		snprintf(buf, len, "PF %s", pf);
		return;
	}
	f -= topo->nb_pfs;
	vfbc_world_bdf(topo, topo->pf_rid[f / topo->total_vfs], pf, sizeof(pf));
	snprintf(buf, len, "VF %u of PF %s", f % topo->total_vfs, pf);
}

/*
 * Every function of every PF, at TotalVFs (sriov_numvfs may enable all of
 * them later), on its own routing ID, within bus 255.
 */
static int
vfbc_world_rids_validate(struct vfbc_world_parser *p)
{
	const struct vfbc_world_topo *topo = &p->topo;
	uint8_t used[(UINT16_MAX + 1) / 8];
	char first[48];
	char other[48];
	char pf[16];
	unsigned int nb_fns;
	unsigned int f;
	unsigned int g;
	uint32_t last;
	uint32_t rid;

	for (f = 0; f < topo->nb_pfs; f++) {
		last = vfbc_world_vf_rid(topo, f, topo->total_vfs - 1);
		if (last <= 0xffff)
			continue;
		vfbc_world_bdf(topo, topo->pf_rid[f], pf, sizeof(pf));
		vfbc_world_perr(p, "VF %u would be at bus 0x%x, beyond bus 255 (PF %s, First "
			"VF Offset %u, VF Stride %u, TotalVFs %u)", topo->total_vfs - 1,
			last >> 8, pf, topo->vf_offset, topo->vf_stride, topo->total_vfs);
		return -EINVAL;
	}
	memset(used, 0, sizeof(used));
	nb_fns = topo->nb_pfs * (1u + topo->total_vfs);
	for (f = 0; f < nb_fns; f++) {
		rid = vfbc_world_fn_rid(topo, f);
		if ((used[rid / 8] & (1u << (rid % 8))) == 0) {
			used[rid / 8] |= 1u << (rid % 8);
			continue;
		}
		/* Rare: only then look for the function that was there first. */
		for (g = 0; g < f && vfbc_world_fn_rid(topo, g) != rid; g++)
			;
		vfbc_world_fn_name(topo, g, first, sizeof(first));
		vfbc_world_fn_name(topo, f, other, sizeof(other));
		vfbc_world_bdf(topo, rid, pf, sizeof(pf));
		vfbc_world_perr(p, "routing ID collision: %s and %s are both at %s", first,
			other, pf);
		return -EINVAL;
	}
	return 0;
}

static int
vfbc_world_topo_validate(struct vfbc_world_parser *p)
{
	const struct vfbc_world_topo *topo = &p->topo;
	char pf[16];

	vfbc_world_bdf(topo, topo->pf_rid[0], pf, sizeof(pf));
	if (topo->total_vfs == 0 || topo->total_vfs > VFBC_WORLD_MAX_VFS) {
		vfbc_world_perr(p, "TotalVFs %u out of range: 1..%u supported",
			topo->total_vfs, VFBC_WORLD_MAX_VFS);
		return -EINVAL;
	}
	if (topo->num_vfs > topo->total_vfs) {
		vfbc_world_perr(p, "NumVFs %u exceeds TotalVFs %u", topo->num_vfs,
			topo->total_vfs);
		return -EINVAL;
	}
	/* Checked against TotalVFs: sriov_numvfs may enable all of them later. */
	if (topo->vf_offset == 0) {
		vfbc_world_perr(p, "First VF Offset 0 puts VF 0 on the PF's routing ID (%s)",
			pf);
		return -EINVAL;
	}
	if (topo->vf_stride == 0 && topo->total_vfs > 1) {
		vfbc_world_perr(p, "VF Stride 0 with TotalVFs %u puts every VF at the same "
			"routing ID", topo->total_vfs);
		return -EINVAL;
	}
	if (topo->vendor_id == 0xffff || topo->vendor_id == 0) {
		vfbc_world_perr(p, "vendor ID 0x%04x is not a valid vendor", topo->vendor_id);
		return -EINVAL;
	}
	return 0;
}

/*
 * --pfs N: PF k + 1 on the first bus after PF k's last VF at TotalVFs, so
 * that the VFs of all PFs fit whatever sriov_numvfs enables later.
 */
static int
vfbc_world_place_pfs(struct vfbc_world_parser *p)
{
	struct vfbc_world_topo *topo = &p->topo;
	uint32_t last;
	char pf[16];
	uint32_t bus;
	unsigned int k;

	if (topo->nb_pfs != 1) {
		vfbc_world_perr(p, "--pfs places PFs after one first PF, but %u are given "
			"(--pf or the spec's pf): give one", topo->nb_pfs);
		return -EINVAL;
	}
	for (k = 1; k < p->pfs; k++) {
		last = vfbc_world_vf_rid(topo, k - 1, topo->total_vfs - 1);
		if (last > 0xffff) {
			/* The routing ID checks name the PF whose VFs go beyond. */
			p->pfs = k;
			break;
		}
		bus = (last >> 8) + 1;
		if (bus > 0xff) {
			vfbc_world_bdf(topo, topo->pf_rid[k - 1], pf, sizeof(pf));
			vfbc_world_perr(p, "--pfs %u: PF %u would be at bus 0x%x, beyond bus 255 "
				"(after the last VF of PF %s)", p->pfs, k, bus, pf);
			return -EINVAL;
		}
		topo->pf_rid[k] = bus << 8;
	}
	topo->nb_pfs = p->pfs;
	return 0;
}

static void
vfbc_world_parser_init(struct vfbc_world_parser *p, FILE *err)
{
	memset(p, 0, sizeof(*p));
	p->err = err;
	vfbc_world_topo_defaults(&p->topo);
}

/* The defaults NumVFs takes when neither source gave it, then the checks. */
static int
vfbc_world_parser_finish(struct vfbc_world_parser *p)
{
	if (!p->num_vfs_given)
		p->topo.num_vfs = p->topo.total_vfs;
	if (vfbc_world_topo_validate(p) < 0)
		return -EINVAL;
	/* After the checks: placing needs TotalVFs and the VF layout sound. */
	if (p->pfs != 0 && vfbc_world_place_pfs(p) < 0)
		return -EINVAL;
	return vfbc_world_rids_validate(p);
}

int
vfbc_world_parse_spec(const char *name, const char *text, size_t len,
		struct vfbc_world_topo *topo, FILE *err)
{
	struct vfbc_world_parser p;

	vfbc_world_parser_init(&p, err);
	if (vfbc_world_spec_apply(&p, name, text, len) < 0 || vfbc_world_parser_finish(&p) < 0)
		return VFBC_WORLD_EXIT_USAGE;
	*topo = p.topo;
	return 0;
}

int
vfbc_world_parse_args(int argc, char **argv, struct vfbc_world_args *args, FILE *err)
{
	const char *pf_vals[VFBC_WORLD_MAX_PFS];
	const char *vals[OPT_NB];
	struct vfbc_world_parser p;
	struct vfbc_world_args out;
	char where[VFBC_WORLD_WHERE_LEN];
	const char *value;
	const char *arg;
	const char *eq;
	uint64_t pid;
	unsigned int nb_pf_vals;
	uint64_t pfs;
	size_t nlen;
	char *text;
	size_t len;
	int topo_opts;
	int cmd;
	int ret;
	int o;
	int i;

	vfbc_world_parser_init(&p, err);
	memset(&out, 0, sizeof(out));
	memset(vals, 0, sizeof(vals));
	out.mode = VFBC_WORLD_MODE_RUN;
	topo_opts = 0;
	nb_pf_vals = 0;
	cmd = -1;
	text = NULL;
	len = 0;

	/* Options up to "--"; the command's own options are not ours. */
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			cmd = i + 1;
			break;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			memset(args, 0, sizeof(*args));
			args->mode = VFBC_WORLD_MODE_HELP;
			return 0;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			vfbc_world_perr(&p, "missing '--' before the command to run");
			fprintf(err, "Try 'vfbc-world --help'.\n");
			return VFBC_WORLD_EXIT_USAGE;
		}
		eq = strchr(arg, '=');
		nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		o = arg[1] == '-' ? vfbc_world_lookup(arg + 2, nlen - 2, OPT_NB) : -1;
		if (o < 0) {
			vfbc_world_perr(&p, "unknown option '%.*s'", (int)nlen, arg);
			fprintf(err, "Try 'vfbc-world --help'.\n");
			return VFBC_WORLD_EXIT_USAGE;
		}
		if (!vfbc_world_opts[o].has_value) {
			if (eq != NULL) {
				vfbc_world_perr(&p, "--%s takes no value", vfbc_world_opts[o].name);
				return VFBC_WORLD_EXIT_USAGE;
			}
			value = "";
		} else if (eq != NULL) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			vfbc_world_perr(&p, "option '%s' needs a value", arg);
			return VFBC_WORLD_EXIT_USAGE;
		}
		/* Each --pf adds a PF, in order. */
		if (o == KEY_PF) {
			if (nb_pf_vals == VFBC_WORLD_MAX_PFS) {
				vfbc_world_perr(&p, "--pf given more than %u times: a world has "
					"at most %u PFs", VFBC_WORLD_MAX_PFS, VFBC_WORLD_MAX_PFS);
				return VFBC_WORLD_EXIT_USAGE;
			}
			pf_vals[nb_pf_vals++] = value;
			topo_opts++;
			continue;
		}
		/* The last of two would win silently. */
		if (vals[o] != NULL) {
			vfbc_world_perr(&p, "--%s given twice", vfbc_world_opts[o].name);
			return VFBC_WORLD_EXIT_USAGE;
		}
		vals[o] = value;
		if (o < KEY_NB_TOPO || o == OPT_SPEC || o == OPT_PFS)
			topo_opts++;
	}

	if (vals[OPT_CHECK] != NULL) {
		if (cmd >= 0 || topo_opts != 0 || vals[OPT_JOIN] != NULL) {
			vfbc_world_perr(&p, "--check takes no other option nor command");
			return VFBC_WORLD_EXIT_USAGE;
		}
		memset(args, 0, sizeof(*args));
		args->mode = VFBC_WORLD_MODE_CHECK;
		return 0;
	}
	if (vals[OPT_JOIN] != NULL) {
		if (vfbc_world_number(&p, NULL, vals[OPT_JOIN], INT32_MAX, &pid) < 0 ||
				pid == 0) {
			vfbc_world_perr(&p, "--join: '%s' is not a process ID", vals[OPT_JOIN]);
			return VFBC_WORLD_EXIT_USAGE;
		}
		if (topo_opts != 0) {
			vfbc_world_perr(&p, "--join takes the running world's topology; no "
				"topology option nor --spec allowed");
			return VFBC_WORLD_EXIT_USAGE;
		}
		out.mode = VFBC_WORLD_MODE_JOIN;
		out.join_pid = pid;
	}
	if (cmd < 0) {
		vfbc_world_perr(&p, "missing '--' before the command to run");
		fprintf(err, "Try 'vfbc-world --help'.\n");
		return VFBC_WORLD_EXIT_USAGE;
	}
	if (cmd == argc) {
		vfbc_world_perr(&p, "missing the command to run after '--'");
		return VFBC_WORLD_EXIT_USAGE;
	}
	out.cmd_index = cmd;

	if (out.mode == VFBC_WORLD_MODE_RUN) {
		/* The file first: options on the command line override it. */
		if (vals[OPT_SPEC] != NULL) {
			if (vfbc_world_spec_read(&p, vals[OPT_SPEC], &text, &len) < 0)
				return VFBC_WORLD_EXIT_USAGE;
			ret = vfbc_world_spec_apply(&p, vals[OPT_SPEC], text, len);
			free(text);
			if (ret < 0)
				return VFBC_WORLD_EXIT_USAGE;
		}
		if (nb_pf_vals > 0 && vfbc_world_set_pfs(&p, "--pf", pf_vals, nb_pf_vals) < 0)
			return VFBC_WORLD_EXIT_USAGE;
		if (vals[OPT_PFS] != NULL) {
			if (vfbc_world_number(&p, "--pfs", vals[OPT_PFS], UINT16_MAX, &pfs) < 0)
				return VFBC_WORLD_EXIT_USAGE;
			if (pfs == 0 || pfs > VFBC_WORLD_MAX_PFS) {
				vfbc_world_perr(&p, "--pfs: %s PFs out of range: 1..%u supported",
					vals[OPT_PFS], VFBC_WORLD_MAX_PFS);
				return VFBC_WORLD_EXIT_USAGE;
			}
			p.pfs = pfs;
		}
		for (o = 0; o < KEY_NB_TOPO; o++) {
			if (vals[o] == NULL)
				continue;
			snprintf(where, sizeof(where), "--%s", vfbc_world_opts[o].name);
			if (vfbc_world_topo_set(&p, o, vals[o], where) < 0)
				return VFBC_WORLD_EXIT_USAGE;
		}
		if (vfbc_world_parser_finish(&p) < 0)
			return VFBC_WORLD_EXIT_USAGE;
		out.topo = p.topo;
	}
	*args = out;
	return 0;
}
