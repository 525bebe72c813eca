/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF's devargs: parsing only (no device touched), so that every input
 * can be checked by a fuzzer. Values are decimal: no sign, no white space,
 * no leading zero (so "010" is neither octal 8 nor a typo taken for 10),
 * nothing after the number, nothing beyond the key's range. Each key at
 * most once, one '=' per pair (vfbc_kvargs.h).
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/un.h>

#include <rte_kvargs.h>

#include "vfbc_kvargs.h"
#include "vfbc_pf.h"
#include "vfbc_pf_log.h"

static const char * const pf_devargs_keys[] = {
	VFBC_PF_MAP_VFS_ARG,
	VFBC_PF_MAX_VFS_ARG,
	VFBC_PF_NUM_VFS_ARG,
	VFBC_PF_VF_MSG_CFG_ARG,
	VFBC_PF_SOCKET_ARG,
	VFBC_PF_SOCKET_UID_ARG,
	VFBC_PF_SOCKET_GID_ARG,
	NULL
};

_Static_assert(VFBC_PF_SOCKET_PATH_MAX == sizeof(((struct sockaddr_un *)0)->sun_path),
	       "socket= paths are bounded by sun_path");

struct pf_devargs_uint {
	uint32_t max;
	uint32_t *out;
};

static int
pf_devargs_uint(const char *key, const char *value, void *opaque)
{
	const struct pf_devargs_uint *u = opaque;

	if (value == NULL || vfbc_kvargs_uint(value, value + strlen(value), u->max, u->out) < 0) {
		PF_INIT_LOG(ERR, "devarg %s=%s: expected a decimal number 0..%u", key,
			    value != NULL ? value : "", u->max);
		return -EINVAL;
	}
	return 0;
}

/* vf_msg_cfg=max@period:ignore, e.g. 80@120:180 (as i40e's). */
static int
pf_devargs_msg_cfg(const char *key, const char *value, void *opaque)
{
	struct vfbc_pf_args *a = opaque;
	const char *at, *colon;

	if (value == NULL)
		goto bad;
	at = strchr(value, '@');
	colon = at != NULL ? strchr(at, ':') : NULL;
	if (at == NULL || colon == NULL ||
	    vfbc_kvargs_uint(value, at, VFBC_PF_MSG_MAX_LIMIT, &a->msg_max) < 0 ||
	    vfbc_kvargs_uint(at + 1, colon, UINT16_MAX, &a->msg_period_s) < 0 ||
	    vfbc_kvargs_uint(colon + 1, colon + 1 + strlen(colon + 1), UINT16_MAX,
			     &a->msg_ignore_s) < 0 ||
	    a->msg_max == 0 || a->msg_period_s == 0 || a->msg_ignore_s == 0)
		goto bad;
	return 0;
bad:
	PF_INIT_LOG(ERR, "devarg %s=%s: expected max@period:ignore, three decimal numbers "
		    "(max 1..%u requests, period and ignore 1..%u seconds), e.g. 80@120:180",
		    key, value != NULL ? value : "", VFBC_PF_MSG_MAX_LIMIT, UINT16_MAX);
	a->msg_max = 0;
	return -EINVAL;
}

/* map_vfs=0|1|all. */
static int
pf_devargs_map_vfs(const char *key, const char *value, void *opaque)
{
	uint32_t *map = opaque;

	if (value != NULL && strcmp(value, "all") == 0) {
		*map = VFBC_PF_MAP_VFS_ALL;
		return 0;
	}
	if (value != NULL && (strcmp(value, "0") == 0 || strcmp(value, "1") == 0)) {
		*map = (uint32_t)(value[0] - '0');
		return 0;
	}
	PF_INIT_LOG(ERR, "devarg %s=%s: expected 0, 1 or all", key, value != NULL ? value : "");
	return -EINVAL;
}

/*
 * socket=PATH: absolute (a relative one would depend on the working directory),
 * and short enough for sun_path with its NUL, checked here rather than
 * found out at bind().
 */
static int
pf_devargs_socket(const char *key, const char *value, void *opaque)
{
	struct vfbc_pf_args *a = opaque;
	size_t len;

	if (value == NULL || value[0] != '/') {
		PF_INIT_LOG(ERR, "devarg %s=%s: expected an absolute path", key,
			    value != NULL ? value : "");
		return -EINVAL;
	}
	/* kvargs reads "[...]" as a list, commas and all: not a path. */
	if (strpbrk(value, "[]") != NULL) {
		PF_INIT_LOG(ERR, "devarg %s=%s: a path with '[' or ']'", key, value);
		return -EINVAL;
	}
	len = strlen(value);
	if (len >= sizeof(a->socket_path)) {
		PF_INIT_LOG(ERR, "devarg %s=%s: path too long (%zu bytes, at most %zu for a "
			    "Unix socket)", key, value, len, sizeof(a->socket_path) - 1);
		return -EINVAL;
	}
	memcpy(a->socket_path, value, len + 1);
	return 0;
}

int
vfbc_pf_devargs_parse(const char *str, struct vfbc_pf_args *args)
{
	struct pf_devargs_uint max = { UINT16_MAX, &args->max_vfs };
	struct pf_devargs_uint num = { UINT16_MAX, &args->num_vfs };
	/* (uid_t)-1 and (gid_t)-1 mean "no change" to the kernel: never an owner. */
	struct pf_devargs_uint uid = { UINT32_MAX - 1, &args->socket_uid };
	struct pf_devargs_uint gid = { UINT32_MAX - 1, &args->socket_gid };
	struct rte_kvargs *kvlist;
	char why[64];
	int ret = 0;

	memset(args, 0, sizeof(*args));
	args->map_vfs = 1;
	args->max_vfs = UINT32_MAX;
	args->socket_uid = VFBC_PF_SOCKET_ID_ANY;
	args->socket_gid = VFBC_PF_SOCKET_ID_ANY;
	if (str == NULL || str[0] == '\0')
		return 0;
	kvlist = vfbc_kvargs_parse(str, pf_devargs_keys, why, sizeof(why));
	if (kvlist == NULL) {
		PF_INIT_LOG(ERR, "invalid devargs \"%s\": %s (known: %s, %s, %s, %s, %s, %s, %s)",
			    str, why, VFBC_PF_MAP_VFS_ARG, VFBC_PF_MAX_VFS_ARG,
			    VFBC_PF_NUM_VFS_ARG, VFBC_PF_VF_MSG_CFG_ARG, VFBC_PF_SOCKET_ARG,
			    VFBC_PF_SOCKET_UID_ARG, VFBC_PF_SOCKET_GID_ARG);
		return -EINVAL;
	}
	if (rte_kvargs_process(kvlist, VFBC_PF_MAP_VFS_ARG, pf_devargs_map_vfs,
			       &args->map_vfs) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_PF_MAX_VFS_ARG, pf_devargs_uint, &max) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_PF_NUM_VFS_ARG, pf_devargs_uint, &num) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_PF_VF_MSG_CFG_ARG, pf_devargs_msg_cfg, args) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_PF_SOCKET_ARG, pf_devargs_socket, args) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_PF_SOCKET_UID_ARG, pf_devargs_uint, &uid) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_PF_SOCKET_GID_ARG, pf_devargs_uint, &gid) < 0)
		ret = -EINVAL;
	/* A peer filter without a socket would silently filter nothing. */
	if (ret == 0 && args->socket_path[0] == '\0' &&
	    (args->socket_uid != VFBC_PF_SOCKET_ID_ANY ||
	     args->socket_gid != VFBC_PF_SOCKET_ID_ANY)) {
		PF_INIT_LOG(ERR, "invalid devargs \"%s\": %s and %s need %s=PATH", str,
			    VFBC_PF_SOCKET_UID_ARG, VFBC_PF_SOCKET_GID_ARG, VFBC_PF_SOCKET_ARG);
		ret = -EINVAL;
	}
	rte_kvargs_free(kvlist);
	return ret;
}
