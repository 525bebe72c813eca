/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF's devargs: parsing only (no device touched), so that a fuzzer can
 * link it alone, as it does the PF's (vfbc_pf_devargs.c). claim is 0 or 1,
 * req_wait yield or spin, each at most once, one '=' per pair
 * (vfbc_kvargs.h).
 *
 * net_vfbc_isolated's: socket=PATH, vf=N, secret=S or secret_file=PATH,
 * claim=0|1, req_wait=yield|spin. A secret on the command line is visible to every user of the
 * host (/proc/PID/cmdline), and cannot hold ',' or '=': secret_file is the
 * way for both.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_kvargs.h>

#include "vfbc_kvargs.h"
#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

static const char * const vfbc_vf_valid_args[] = {
	VFBC_VF_CLAIM_ARG,
	VFBC_VF_REQ_WAIT_ARG,
	NULL
};

static int
vfbc_vf_parse_bool(const char *key, const char *value, void *opaque)
{
	uint32_t v;

	if (value == NULL || vfbc_kvargs_uint(value, value + strlen(value), 1, &v) < 0) {
		VF_LOG(ERR, "invalid devarg %s=%s (0 or 1)", key, value != NULL ? value : "");
		return -EINVAL;
	}
	*(int *)opaque = (int)v;
	return 0;
}

/* req_wait=yield|spin: *opaque is 1 for spin. */
static int
vfbc_vf_parse_req_wait(const char *key, const char *value, void *opaque)
{
	if (value != NULL && strcmp(value, "spin") == 0)
		*(int *)opaque = 1;
	else if (value != NULL && strcmp(value, "yield") == 0)
		*(int *)opaque = 0;
	else {
		VF_LOG(ERR, "invalid devarg %s=%s (yield or spin)", key,
		       value != NULL ? value : "");
		return -EINVAL;
	}
	return 0;
}

int
vfbc_vf_devargs_parse(const char *str, struct vfbc_vf_args *args)
{
	struct rte_kvargs *kvlist;
	char why[64];
	int ret;

	if (str == NULL || str[0] == '\0')
		return 0;
	kvlist = vfbc_kvargs_parse(str, vfbc_vf_valid_args, why, sizeof(why));
	if (kvlist == NULL) {
		VF_LOG(ERR, "invalid devargs \"%s\": %s (known: %s, %s)", str, why,
		       VFBC_VF_CLAIM_ARG, VFBC_VF_REQ_WAIT_ARG);
		return -EINVAL;
	}
	ret = rte_kvargs_process(kvlist, VFBC_VF_CLAIM_ARG, vfbc_vf_parse_bool, &args->claim);
	if (ret == 0)
		ret = rte_kvargs_process(kvlist, VFBC_VF_REQ_WAIT_ARG, vfbc_vf_parse_req_wait,
					 &args->req_spin);
	rte_kvargs_free(kvlist);
	return ret < 0 ? -EINVAL : 0;
}

static const char * const vfbc_vf_iso_valid_args[] = {
	VFBC_VF_SOCKET_ARG,
	VFBC_VF_VF_ARG,
	VFBC_VF_SECRET_ARG,
	VFBC_VF_SECRET_FILE_ARG,
	VFBC_VF_CLAIM_ARG,
	VFBC_VF_REQ_WAIT_ARG,
	NULL
};

#define VFBC_VF_ISO_KNOWN VFBC_VF_SOCKET_ARG ", " VFBC_VF_VF_ARG ", " VFBC_VF_SECRET_ARG ", " \
	VFBC_VF_SECRET_FILE_ARG ", " VFBC_VF_CLAIM_ARG ", " VFBC_VF_REQ_WAIT_ARG

/* A path value: not empty, and fitting in size bytes with its NUL. */
static int
vfbc_vf_parse_path(const char *key, const char *value, char *out, size_t size)
{
	size_t len = value != NULL ? strlen(value) : 0;

	if (len == 0) {
		VF_LOG(ERR, "invalid devarg %s=: an empty path", key);
		return -EINVAL;
	}
	if (len >= size) {
		VF_LOG(ERR, "invalid devarg %s: a path of %zu bytes (at most %zu)", key, len,
		       size - 1);
		return -EINVAL;
	}
	/* kvargs reads "[...]" as a list, commas and all: not a path. */
	if (strpbrk(value, "[]") != NULL) {
		VF_LOG(ERR, "invalid devarg %s=%s: a path with '[' or ']'", key, value);
		return -EINVAL;
	}
	memcpy(out, value, len + 1);
	return 0;
}

static int
vfbc_vf_parse_socket(const char *key, const char *value, void *opaque)
{
	struct vfbc_vf_iso_args *a = opaque;

	return vfbc_vf_parse_path(key, value, a->socket, sizeof(a->socket));
}

static int
vfbc_vf_parse_secret_file(const char *key, const char *value, void *opaque)
{
	struct vfbc_vf_iso_args *a = opaque;

	return vfbc_vf_parse_path(key, value, a->secret_file, sizeof(a->secret_file));
}

static int
vfbc_vf_parse_vf(const char *key, const char *value, void *opaque)
{
	struct vfbc_vf_iso_args *a = opaque;
	uint32_t v;

	if (value == NULL ||
			vfbc_kvargs_uint(value, value + strlen(value), VFBC_CHANNEL_MAX_VFS - 1,
					 &v) < 0) {
		VF_LOG(ERR, "invalid devarg %s=%s (a VF index, 0..%u)", key,
		       value != NULL ? value : "", VFBC_CHANNEL_MAX_VFS - 1);
		return -EINVAL;
	}
	a->vf = (uint16_t)v;
	return 0;
}

/* The secret itself is never logged, only its length. */
static int
vfbc_vf_parse_secret(const char *key, const char *value, void *opaque)
{
	struct vfbc_vf_iso_args *a = opaque;
	size_t len = value != NULL ? strlen(value) : 0;

	if (len == 0 || len > VFBC_SOCK_SECRET_MAX) {
		VF_LOG(ERR, "invalid devarg %s: %zu bytes (1..%u)", key, len,
		       VFBC_SOCK_SECRET_MAX);
		return -EINVAL;
	}
	/* A '[' would make kvargs swallow the devargs after it into the secret. */
	if (strpbrk(value, "[]") != NULL) {
		VF_LOG(ERR, "invalid devarg %s: '[' or ']' in it (use %s)", key,
		       VFBC_VF_SECRET_FILE_ARG);
		return -EINVAL;
	}
	memcpy(a->secret, value, len);
	a->secret_len = (uint32_t)len;
	return 0;
}

int
vfbc_vf_iso_devargs_parse(const char *str, struct vfbc_vf_iso_args *args)
{
	struct rte_kvargs *kvlist;
	unsigned int i;
	char why[64];
	int ret;

	memset(args, 0, sizeof(*args));
	args->claim = 1;
	if (str == NULL || str[0] == '\0') {
		VF_LOG(ERR, "no devargs: %s and %s are required, and %s or %s",
		       VFBC_VF_SOCKET_ARG, VFBC_VF_VF_ARG, VFBC_VF_SECRET_ARG,
		       VFBC_VF_SECRET_FILE_ARG);
		return -EINVAL;
	}
	/* The string may hold the secret: its refusal does not quote it. */
	kvlist = vfbc_kvargs_parse(str, vfbc_vf_iso_valid_args, why, sizeof(why));
	if (kvlist == NULL) {
		VF_LOG(ERR, "invalid devargs: %s (known: %s)", why, VFBC_VF_ISO_KNOWN);
		return -EINVAL;
	}
	ret = -EINVAL;
	if (rte_kvargs_count(kvlist, VFBC_VF_SOCKET_ARG) == 0) {
		VF_LOG(ERR, "devarg %s=PATH is required (the PF's control socket)",
		       VFBC_VF_SOCKET_ARG);
		goto out;
	}
	if (rte_kvargs_count(kvlist, VFBC_VF_VF_ARG) == 0) {
		VF_LOG(ERR, "devarg %s=N is required (the VF's index at its PF)", VFBC_VF_VF_ARG);
		goto out;
	}
	if (rte_kvargs_count(kvlist, VFBC_VF_SECRET_ARG) +
			rte_kvargs_count(kvlist, VFBC_VF_SECRET_FILE_ARG) != 1) {
		VF_LOG(ERR, "exactly one of devargs %s and %s is required", VFBC_VF_SECRET_ARG,
		       VFBC_VF_SECRET_FILE_ARG);
		goto out;
	}
	if (rte_kvargs_process(kvlist, VFBC_VF_SOCKET_ARG, vfbc_vf_parse_socket, args) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_VF_VF_ARG, vfbc_vf_parse_vf, args) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_VF_SECRET_ARG, vfbc_vf_parse_secret, args) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_VF_SECRET_FILE_ARG, vfbc_vf_parse_secret_file,
			       args) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_VF_CLAIM_ARG, vfbc_vf_parse_bool, &args->claim) < 0 ||
	    rte_kvargs_process(kvlist, VFBC_VF_REQ_WAIT_ARG, vfbc_vf_parse_req_wait,
			       &args->req_spin) < 0)
		goto out;
	ret = 0;
out:
	/* rte_kvargs keeps its own copy of the string, secret included. */
	for (i = 0; i < kvlist->count; i++)
		if (strcmp(kvlist->pairs[i].key, VFBC_VF_SECRET_ARG) == 0 &&
				kvlist->pairs[i].value != NULL)
			explicit_bzero((char *)(uintptr_t)kvlist->pairs[i].value,
				       strlen(kvlist->pairs[i].value));
	rte_kvargs_free(kvlist);
	if (ret < 0)
		explicit_bzero(args, sizeof(*args));
	return ret;
}

int
vfbc_vf_secret_file_read(const char *path, uint8_t *secret, uint32_t *len)
{
	/* A byte more than a secret and its "\r\n": a longer file shows as too long. */
	uint8_t buf[VFBC_SOCK_SECRET_MAX + 3];
	struct stat st;
	size_t n = 0;
	ssize_t r;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		VF_LOG(ERR, "%s %s: cannot open it: %s", VFBC_VF_SECRET_FILE_ARG, path,
		       strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		VF_LOG(ERR, "%s %s: not a regular file", VFBC_VF_SECRET_FILE_ARG, path);
		close(fd);
		return -EINVAL;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		VF_LOG(WARNING, "%s %s: readable or writable by others (mode %03o)",
		       VFBC_VF_SECRET_FILE_ARG, path, (unsigned int)(st.st_mode & 0777));
	while (n < sizeof(buf)) {
		r = read(fd, buf + n, sizeof(buf) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			VF_LOG(ERR, "%s %s: cannot read it: %s", VFBC_VF_SECRET_FILE_ARG, path,
			       strerror(-ret));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	/* "echo secret > file" adds a newline that is not part of the secret. */
	if (n > 0 && buf[n - 1] == '\n') {
		n--;
		if (n > 0 && buf[n - 1] == '\r')
			n--;
	}
	ret = -EINVAL;
	if (n == 0 || n > VFBC_SOCK_SECRET_MAX)
		VF_LOG(ERR, "%s %s: a secret of %s bytes (1..%u)", VFBC_VF_SECRET_FILE_ARG, path,
		       n == 0 ? "0" : "too many", VFBC_SOCK_SECRET_MAX);
	else if (memchr(buf, '\0', n) != NULL)
		VF_LOG(ERR, "%s %s: the secret holds a NUL byte", VFBC_VF_SECRET_FILE_ARG, path);
	else
		ret = 0;
	if (ret == 0) {
		memcpy(secret, buf, n);
		*len = (uint32_t)n;
	}
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return ret;
}
