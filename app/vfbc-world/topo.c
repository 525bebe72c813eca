/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Options and spec file: both feed the same setter, so a key means the same
 * thing in either place, and the topology is validated once at the end.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <vfbc_pci_ids.h>

#include "world.h"

#define VFBC_WORLD_MAX_CMDLINE_KEYS 64

enum {
	OPT_PF = 256,
	OPT_TOTAL_VFS,
	OPT_NUM_VFS,
	OPT_VF_OFFSET,
	OPT_VF_STRIDE,
	OPT_VENDOR,
	OPT_PF_DEVICE,
	OPT_VF_DEVICE,
	OPT_BAR0_SIZE,
	OPT_VF_BAR0_SIZE,
	OPT_VF_CFG_SIZE,
	OPT_SPEC,
	OPT_CHECK,
	OPT_JOIN,
	OPT_HELP,
};

static const struct option vfbc_world_options[] = {
	{ "pf", required_argument, NULL, OPT_PF },
	{ "total-vfs", required_argument, NULL, OPT_TOTAL_VFS },
	{ "num-vfs", required_argument, NULL, OPT_NUM_VFS },
	{ "vf-offset", required_argument, NULL, OPT_VF_OFFSET },
	{ "vf-stride", required_argument, NULL, OPT_VF_STRIDE },
	{ "vendor", required_argument, NULL, OPT_VENDOR },
	{ "pf-device", required_argument, NULL, OPT_PF_DEVICE },
	{ "vf-device", required_argument, NULL, OPT_VF_DEVICE },
	{ "bar0-size", required_argument, NULL, OPT_BAR0_SIZE },
	{ "vf-bar0-size", required_argument, NULL, OPT_VF_BAR0_SIZE },
	{ "vf-cfg-size", required_argument, NULL, OPT_VF_CFG_SIZE },
	{ "spec", required_argument, NULL, OPT_SPEC },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Which topology keys were given: NumVFs defaults to TotalVFs only if unset. */
struct vfbc_world_seen {
	int num_vfs;
};

void
vfbc_world_usage(FILE *f)
{
	fprintf(f,
		"usage: vfbc-world [options] -- CMD [ARGS...]\n"
		"       vfbc-world --join PID -- CMD [ARGS...]\n"
		"       vfbc-world --check\n"
		"Topology (numbers are decimal or 0x hex):\n"
		"  --pf BDF              PF address DDDD:BB:DD.F (0000:01:00.0)\n"
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
		"  --spec FILE           read 'key = value' lines with the keys above;\n"
		"                        command-line options override the file\n",
		VFBC_WORLD_MAX_VFS, VFBC_PCI_VENDOR_ID, VFBC_PCI_PF_DEVICE_ID,
		VFBC_PCI_VF_DEVICE_ID);
}

static void
vfbc_world_topo_defaults(struct vfbc_world_topo *topo)
{
	memset(topo, 0, sizeof(*topo));
	topo->domain = 0;
	topo->pf_rid = 0x0100;
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

/* Decimal, or hex with 0x: a leading 0 is not octal, to avoid surprises. */
static int
vfbc_world_parse_u64(const char *s, uint64_t max, uint64_t *val)
{
	unsigned long long v;
	char *end;
	int base;

	base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	if (v > max)
		return -ERANGE;
	*val = v;
	return 0;
}

static int
vfbc_world_parse_bdf(const char *s, struct vfbc_world_topo *topo)
{
	unsigned int domain, bus, dev, fn;
	int n;

	n = 0;
	if (sscanf(s, "%4x:%2x:%2x.%1u%n", &domain, &bus, &dev, &fn, &n) != 4 ||
			s[n] != '\0' || strlen(s) != 12 || !isxdigit((unsigned char)s[0]))
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -ERANGE;
	topo->domain = domain;
	topo->pf_rid = bus << 8 | dev << 3 | fn;
	return 0;
}

/* Apply one key; `where` names the option or spec line in messages. */
static int
vfbc_world_topo_set(struct vfbc_world_topo *topo, struct vfbc_world_seen *seen,
		const char *key, const char *value, const char *where)
{
	uint64_t v;
	int ret;

	if (strcmp(key, "pf") == 0) {
		ret = vfbc_world_parse_bdf(value, topo);
		if (ret < 0) {
			fprintf(stderr, "vfbc-world: %s: bad PCI address '%s' "
				"(expected DDDD:BB:DD.F, device <= 1f, function <= 7)\n",
				where, value);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "total-vfs") == 0 || strcmp(key, "num-vfs") == 0 ||
			strcmp(key, "vf-offset") == 0 || strcmp(key, "vf-stride") == 0 ||
			strcmp(key, "vendor") == 0 || strcmp(key, "pf-device") == 0 ||
			strcmp(key, "vf-device") == 0) {
		ret = vfbc_world_parse_u64(value, UINT16_MAX, &v);
		if (ret < 0) {
			fprintf(stderr, "vfbc-world: %s: '%s' is not a number in 0..0xffff\n",
				where, value);
			return ret;
		}
		if (strcmp(key, "total-vfs") == 0) {
			topo->total_vfs = v;
		} else if (strcmp(key, "num-vfs") == 0) {
			topo->num_vfs = v;
			seen->num_vfs = 1;
		} else if (strcmp(key, "vf-offset") == 0) {
			topo->vf_offset = v;
		} else if (strcmp(key, "vf-stride") == 0) {
			topo->vf_stride = v;
		} else if (strcmp(key, "vendor") == 0) {
			topo->vendor_id = v;
		} else if (strcmp(key, "pf-device") == 0) {
			topo->pf_device_id = v;
		} else {
			topo->vf_device_id = v;
		}
		return 0;
	}
	if (strcmp(key, "bar0-size") == 0 || strcmp(key, "vf-bar0-size") == 0) {
		ret = vfbc_world_parse_u64(value, UINT64_MAX, &v);
		if (ret < 0) {
			fprintf(stderr, "vfbc-world: %s: '%s' is not a number\n", where, value);
			return ret;
		}
		if (v == 0 || (v & (v - 1)) != 0 || v < VFBC_WORLD_PAGE_SIZE ||
				v > VFBC_WORLD_MAX_BAR_SIZE) {
			fprintf(stderr, "vfbc-world: %s: BAR size %s is not a power of two "
				"from %u to %" PRIu64 " bytes\n", where, value,
				VFBC_WORLD_PAGE_SIZE, (uint64_t)VFBC_WORLD_MAX_BAR_SIZE);
			return -EINVAL;
		}
		if (strcmp(key, "bar0-size") == 0)
			topo->bar0_size = v;
		else
			topo->vf_bar0_size = v;
		return 0;
	}
	if (strcmp(key, "vf-cfg-size") == 0) {
		ret = vfbc_world_parse_u64(value, UINT32_MAX, &v);
		if (ret < 0 || (v != 256 && v != 4096)) {
			fprintf(stderr, "vfbc-world: %s: VF config space size '%s' "
				"must be 256 or 4096\n", where, value);
			return -EINVAL;
		}
		topo->vf_cfg_size = v;
		return 0;
	}
	fprintf(stderr, "vfbc-world: %s: unknown key '%s'\n", where, key);
	return -EINVAL;
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

static int
vfbc_world_load_spec(const char *path, struct vfbc_world_topo *topo,
		struct vfbc_world_seen *seen)
{
	char where[PATH_MAX + 32];
	char line[512];
	char *key;
	char *val;
	char *p;
	FILE *f;
	int lineno;
	int ret;

	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "vfbc-world: --spec: cannot open spec file %s: %s\n",
			path, strerror(errno));
		return -errno;
	}
	ret = 0;
	lineno = 0;
	while (ret == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fprintf(stderr, "vfbc-world: %s: line too long\n", where);
			ret = -EINVAL;
			break;
		}
		p = strchr(line, '#');
		if (p != NULL)
			*p = '\0';
		key = vfbc_world_trim(line);
		if (*key == '\0')
			continue;
		p = strchr(key, '=');
		if (p == NULL) {
			fprintf(stderr, "vfbc-world: %s: expected 'key = value'\n", where);
			ret = -EINVAL;
			break;
		}
		*p = '\0';
		key = vfbc_world_trim(key);
		val = vfbc_world_trim(p + 1);
		ret = vfbc_world_topo_set(topo, seen, key, val, where);
	}
	fclose(f);
	return ret;
}

uint32_t
vfbc_world_vf_rid(const struct vfbc_world_topo *topo, unsigned int i)
{
	return (uint32_t)topo->pf_rid + topo->vf_offset + (uint32_t)topo->vf_stride * i;
}

void
vfbc_world_bdf(const struct vfbc_world_topo *topo, uint32_t rid, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%u", topo->domain, (rid >> 8) & 0xff,
		(rid >> 3) & 0x1f, rid & 0x7);
}

static int
vfbc_world_topo_validate(const struct vfbc_world_topo *topo)
{
	char pf[16];
	uint32_t last;
	unsigned int i;

	vfbc_world_bdf(topo, topo->pf_rid, pf, sizeof(pf));
	if (topo->total_vfs == 0 || topo->total_vfs > VFBC_WORLD_MAX_VFS) {
		fprintf(stderr, "vfbc-world: TotalVFs %u out of range: 1..%u supported\n",
			topo->total_vfs, VFBC_WORLD_MAX_VFS);
		return -EINVAL;
	}
	if (topo->num_vfs > topo->total_vfs) {
		fprintf(stderr, "vfbc-world: NumVFs %u exceeds TotalVFs %u\n",
			topo->num_vfs, topo->total_vfs);
		return -EINVAL;
	}
	/* Checked against TotalVFs: sriov_numvfs may enable all of them later. */
	if (topo->vf_offset == 0) {
		fprintf(stderr, "vfbc-world: First VF Offset 0 puts VF 0 on the PF's "
			"routing ID (%s)\n", pf);
		return -EINVAL;
	}
	if (topo->vf_stride == 0 && topo->total_vfs > 1) {
		fprintf(stderr, "vfbc-world: VF Stride 0 with TotalVFs %u puts every VF "
			"at the same routing ID\n", topo->total_vfs);
		return -EINVAL;
	}
	last = vfbc_world_vf_rid(topo, topo->total_vfs - 1);
	if (last > 0xffff) {
		fprintf(stderr, "vfbc-world: VF %u would be at bus 0x%x, beyond bus 255 "
			"(PF %s, First VF Offset %u, VF Stride %u, TotalVFs %u)\n",
			topo->total_vfs - 1, last >> 8, pf, topo->vf_offset,
			topo->vf_stride, topo->total_vfs);
		return -EINVAL;
	}
	for (i = 0; i < topo->total_vfs; i++) {
		if (vfbc_world_vf_rid(topo, i) == topo->pf_rid) {
			fprintf(stderr, "vfbc-world: VF %u routing ID collides with the PF %s\n",
				i, pf);
			return -EINVAL;
		}
	}
	if (topo->vendor_id == 0xffff || topo->vendor_id == 0) {
		fprintf(stderr, "vfbc-world: vendor ID 0x%04x is not a valid vendor\n",
			topo->vendor_id);
		return -EINVAL;
	}
	return 0;
}

int
vfbc_world_parse_args(int argc, char **argv, struct vfbc_world_args *args)
{
	const char *keys[VFBC_WORLD_MAX_CMDLINE_KEYS];
	const char *vals[VFBC_WORLD_MAX_CMDLINE_KEYS];
	struct vfbc_world_seen seen;
	const char *spec;
	char where[64];
	uint64_t pid;
	int nkeys;
	int topo_opts;
	int opt;
	int i;

	memset(args, 0, sizeof(*args));
	memset(&seen, 0, sizeof(seen));
	vfbc_world_topo_defaults(&args->topo);
	args->mode = VFBC_WORLD_MODE_RUN;
	spec = NULL;
	nkeys = 0;
	topo_opts = 0;

	opterr = 0;
	optind = 1;
	/* '+': the command's own options are not ours. */
	while ((opt = getopt_long(argc, argv, "+:h", vfbc_world_options, NULL)) != -1) {
		switch (opt) {
		case OPT_SPEC:
			spec = optarg;
			topo_opts++;
			break;
		case OPT_CHECK:
			args->mode = VFBC_WORLD_MODE_CHECK;
			break;
		case OPT_JOIN:
			if (vfbc_world_parse_u64(optarg, INT32_MAX, &pid) < 0 || pid == 0) {
				fprintf(stderr, "vfbc-world: --join: '%s' is not a process ID\n",
					optarg);
				return VFBC_WORLD_EXIT_USAGE;
			}
			args->mode = VFBC_WORLD_MODE_JOIN;
			args->join_pid = pid;
			break;
		case 'h':
		case OPT_HELP:
			args->mode = VFBC_WORLD_MODE_HELP;
			return 0;
		case '?':
			if (optopt != 0)
				fprintf(stderr, "vfbc-world: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "vfbc-world: unknown option '%s'\n",
					argv[optind - 1]);
			fprintf(stderr, "Try 'vfbc-world --help'.\n");
			return VFBC_WORLD_EXIT_USAGE;
		case ':':
			fprintf(stderr, "vfbc-world: option '%s' needs a value\n",
				argv[optind - 1]);
			return VFBC_WORLD_EXIT_USAGE;
		default:
			if (nkeys == VFBC_WORLD_MAX_CMDLINE_KEYS) {
				fprintf(stderr, "vfbc-world: too many options\n");
				return VFBC_WORLD_EXIT_USAGE;
			}
			for (i = 0; vfbc_world_options[i].name != NULL; i++)
				if (vfbc_world_options[i].val == opt)
					break;
			keys[nkeys] = vfbc_world_options[i].name;
			vals[nkeys] = optarg;
			nkeys++;
			topo_opts++;
			break;
		}
	}

	if (args->mode == VFBC_WORLD_MODE_CHECK) {
		if (optind != argc || topo_opts != 0) {
			fprintf(stderr, "vfbc-world: --check takes no other option nor command\n");
			return VFBC_WORLD_EXIT_USAGE;
		}
		return 0;
	}
	if (args->mode == VFBC_WORLD_MODE_JOIN && topo_opts != 0) {
		fprintf(stderr, "vfbc-world: --join takes the running world's topology; "
			"no topology option nor --spec allowed\n");
		return VFBC_WORLD_EXIT_USAGE;
	}
	if (optind == 1 || optind > argc || strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "vfbc-world: missing '--' before the command to run\n");
		fprintf(stderr, "Try 'vfbc-world --help'.\n");
		return VFBC_WORLD_EXIT_USAGE;
	}
	if (optind == argc) {
		fprintf(stderr, "vfbc-world: missing the command to run after '--'\n");
		return VFBC_WORLD_EXIT_USAGE;
	}
	args->cmd_index = optind;
	if (args->mode == VFBC_WORLD_MODE_JOIN)
		return 0;

	if (spec != NULL && vfbc_world_load_spec(spec, &args->topo, &seen) < 0)
		return VFBC_WORLD_EXIT_USAGE;
	for (i = 0; i < nkeys; i++) {
		snprintf(where, sizeof(where), "--%s", keys[i]);
		if (vfbc_world_topo_set(&args->topo, &seen, keys[i], vals[i], where) < 0)
			return VFBC_WORLD_EXIT_USAGE;
	}
	if (!seen.num_vfs)
		args->topo.num_vfs = args->topo.total_vfs;
	if (vfbc_world_topo_validate(&args->topo) < 0)
		return VFBC_WORLD_EXIT_USAGE;
	return 0;
}
