/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf's devargs parser (vfbc_pf_devargs_parse) against any string.
 *
 * The parser's contract is checked against a reference written from it
 * (vfbc_pf_devargs.c, doc/guides/nics/vfbc_pf.rst), not from rte_kvargs:
 * the devargs are comma-separated key=value pairs (empty pairs ignored),
 * each known key at most once, every value decimal with no sign, space or
 * leading zero and within its key's range, vf_msg_cfg three such numbers
 * as max@period:ignore. Invariants:
 * - the parser accepts exactly what the reference accepts, with the same
 *   values, and rejects with -EINVAL and nothing else;
 * - accepted values are within range;
 * - accepted values printed back as devargs parse to the same struct.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "vfbc_pf.h"

#include "fuzz_common.h"

/*
 * The driver's log types live in vfbc_pf_ethdev.c and vfbc_pf_mbox.c, which
 * bring the whole driver; the parser needs only the symbols.
 */
int vfbc_pf_logtype = -1;
int vfbc_pf_logtype_init = -1;
int vfbc_pf_logtype_mbox = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Longest input tried: devargs are a command-line word. */
#define DEVARGS_MAX 1024

/* A decimal number of n characters, at most max; -EINVAL otherwise. */
static int
ref_num(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

/* max@period:ignore, each part a number of its range, max and both times >= 1. */
static int
ref_msg_cfg(const char *s, size_t n, struct vfbc_pf_args *a)
{
	const char *at = memchr(s, '@', n);
	const char *colon = at != NULL ? memchr(at, ':', n - (size_t)(at - s)) : NULL;

	if (at == NULL || colon == NULL ||
			ref_num(s, (size_t)(at - s), VFBC_PF_MSG_MAX_LIMIT, &a->msg_max) < 0 ||
			ref_num(at + 1, (size_t)(colon - at - 1), UINT16_MAX,
				&a->msg_period_s) < 0 ||
			ref_num(colon + 1, n - (size_t)(colon + 1 - s), UINT16_MAX,
				&a->msg_ignore_s) < 0 ||
			a->msg_max == 0 || a->msg_period_s == 0 || a->msg_ignore_s == 0)
		return -EINVAL;
	return 0;
}

/* One key=value pair of n characters; seen holds a bit per key already given. */
static int
ref_pair(const char *s, size_t n, struct vfbc_pf_args *a, unsigned int *seen)
{
	static const char * const keys[] = {
		VFBC_PF_MAP_VFS_ARG,
		VFBC_PF_MAX_VFS_ARG,
		VFBC_PF_NUM_VFS_ARG,
		VFBC_PF_VF_MSG_CFG_ARG,
		VFBC_PF_SOCKET_ARG,
		VFBC_PF_SOCKET_UID_ARG,
		VFBC_PF_SOCKET_GID_ARG,
	};
	const char *eq = memchr(s, '=', n);
	const char *v;
	size_t klen, vlen;
	unsigned int k;

	if (eq == NULL)
		return -EINVAL;
	klen = (size_t)(eq - s);
	v = eq + 1;
	vlen = n - klen - 1;
	for (k = 0; k < RTE_DIM(keys); k++)
		if (strlen(keys[k]) == klen && memcmp(keys[k], s, klen) == 0)
			break;
	if (k == RTE_DIM(keys) || (*seen & (1u << k)) != 0)
		return -EINVAL;
	*seen |= 1u << k;
	switch (k) {
	case 0:
		/* 0, 1, or all (the VFs an EAL allow list leaves out too). */
		if (vlen == 3 && memcmp(v, "all", 3) == 0) {
			a->map_vfs = VFBC_PF_MAP_VFS_ALL;
			return 0;
		}
		return ref_num(v, vlen, 1, &a->map_vfs);
	case 1:
		return ref_num(v, vlen, UINT16_MAX, &a->max_vfs);
	case 2:
		return ref_num(v, vlen, UINT16_MAX, &a->num_vfs);
	case 3:
		return ref_msg_cfg(v, vlen, a);
	case 4:
		/* An absolute path that sun_path holds, one '=' in the pair. */
		if (vlen == 0 || v[0] != '/' || vlen >= sizeof(a->socket_path) ||
				memchr(v, '=', vlen) != NULL || memchr(v, '[', vlen) != NULL ||
				memchr(v, ']', vlen) != NULL)
			return -EINVAL;
		memcpy(a->socket_path, v, vlen);
		a->socket_path[vlen] = '\0';
		return 0;
	case 5:
		return ref_num(v, vlen, UINT32_MAX - 1, &a->socket_uid);
	default:
		return ref_num(v, vlen, UINT32_MAX - 1, &a->socket_gid);
	}
}

static int
ref_parse(const char *str, struct vfbc_pf_args *a)
{
	unsigned int seen = 0;
	const char *p, *end;

	memset(a, 0, sizeof(*a));
	a->map_vfs = 1;
	a->max_vfs = UINT32_MAX;
	a->socket_uid = VFBC_PF_SOCKET_ID_ANY;
	a->socket_gid = VFBC_PF_SOCKET_ID_ANY;
	for (p = str; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchrnul(p, ',');
		if (end != p && ref_pair(p, (size_t)(end - p), a, &seen) < 0)
			return -EINVAL;
	}
	/* A peer filter needs a socket. */
	if (a->socket_path[0] == '\0' && (a->socket_uid != VFBC_PF_SOCKET_ID_ANY ||
			a->socket_gid != VFBC_PF_SOCKET_ID_ANY))
		return -EINVAL;
	return 0;
}

static void
check_ranges(const struct vfbc_pf_args *a, const char *str)
{
	FUZZ_CHECK(a->map_vfs <= VFBC_PF_MAP_VFS_ALL, "\"%s\": map_vfs %u", str, a->map_vfs);
	FUZZ_CHECK(a->max_vfs <= UINT16_MAX || a->max_vfs == UINT32_MAX,
		"\"%s\": max_vfs %u", str, a->max_vfs);
	FUZZ_CHECK(a->num_vfs <= UINT16_MAX, "\"%s\": num_vfs %u", str, a->num_vfs);
	if (a->msg_max == 0)
		FUZZ_CHECK(a->msg_period_s == 0 && a->msg_ignore_s == 0,
			"\"%s\": no message limit but period %u, ignore %u", str,
			a->msg_period_s, a->msg_ignore_s);
	else
		FUZZ_CHECK(a->msg_max <= VFBC_PF_MSG_MAX_LIMIT &&
			a->msg_period_s >= 1 && a->msg_period_s <= UINT16_MAX &&
			a->msg_ignore_s >= 1 && a->msg_ignore_s <= UINT16_MAX,
			"\"%s\": vf_msg_cfg %u@%u:%u", str, a->msg_max, a->msg_period_s,
			a->msg_ignore_s);
}

/* The devargs that say what a says, keys in a fixed order, defaults left out. */
static void
print_args(const struct vfbc_pf_args *a, char *buf, size_t size)
{
	int n;

	if (a->map_vfs == VFBC_PF_MAP_VFS_ALL)
		n = snprintf(buf, size, "%s=all", VFBC_PF_MAP_VFS_ARG);
	else
		n = snprintf(buf, size, "%s=%u", VFBC_PF_MAP_VFS_ARG, a->map_vfs);
	if (a->max_vfs != UINT32_MAX)
		n += snprintf(buf + n, size - n, ",%s=%u", VFBC_PF_MAX_VFS_ARG, a->max_vfs);
	if (a->num_vfs != 0)
		n += snprintf(buf + n, size - n, ",%s=%u", VFBC_PF_NUM_VFS_ARG, a->num_vfs);
	if (a->msg_max != 0)
		n += snprintf(buf + n, size - n, ",%s=%u@%u:%u", VFBC_PF_VF_MSG_CFG_ARG,
				a->msg_max, a->msg_period_s, a->msg_ignore_s);
	if (a->socket_path[0] != '\0')
		n += snprintf(buf + n, size - n, ",%s=%s", VFBC_PF_SOCKET_ARG, a->socket_path);
	if (a->socket_uid != VFBC_PF_SOCKET_ID_ANY)
		n += snprintf(buf + n, size - n, ",%s=%u", VFBC_PF_SOCKET_UID_ARG, a->socket_uid);
	if (a->socket_gid != VFBC_PF_SOCKET_ID_ANY)
		snprintf(buf + n, size - n, ",%s=%u", VFBC_PF_SOCKET_GID_ARG, a->socket_gid);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vfbc_pf_args got, want;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_log_quiet();
	/* No devargs at all (a NULL string): the defaults, as for "". */
	ref_parse("", &want);
	FUZZ_CHECK(vfbc_pf_devargs_parse(NULL, &got) == 0 &&
		memcmp(&got, &want, sizeof(got)) == 0, "NULL devargs");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfbc_pf_args got, want, again;
	char str[DEVARGS_MAX + 1];
	char printed[512];
	int ret, ref;

	if (size > DEVARGS_MAX)
		return -1;
	memcpy(str, data, size);
	str[size] = '\0';

	ret = vfbc_pf_devargs_parse(str, &got);
	ref = ref_parse(str, &want);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL, "\"%s\": returned %d", str, ret);
	FUZZ_CHECK(ret == ref, "\"%s\": parser says %d, the contract %d", str, ret, ref);
	if (ret != 0)
		return 0;
	FUZZ_CHECK(memcmp(&got, &want, sizeof(got)) == 0,
		"\"%s\": parsed map_vfs %u max_vfs %u num_vfs %u msg %u@%u:%u, "
		"expected map_vfs %u max_vfs %u num_vfs %u msg %u@%u:%u", str,
		got.map_vfs, got.max_vfs, got.num_vfs, got.msg_max, got.msg_period_s,
		got.msg_ignore_s, want.map_vfs, want.max_vfs, want.num_vfs, want.msg_max,
		want.msg_period_s, want.msg_ignore_s);
	check_ranges(&got, str);

	print_args(&got, printed, sizeof(printed));
	ret = vfbc_pf_devargs_parse(printed, &again);
	FUZZ_CHECK(ret == 0, "\"%s\" printed back as \"%s\": refused (%d)", str, printed, ret);
	FUZZ_CHECK(memcmp(&got, &again, sizeof(got)) == 0,
		"\"%s\" printed back as \"%s\": parses to another struct", str, printed);
	return 0;
}
