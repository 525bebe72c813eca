/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <stdio.h>

#include <rte_common.h>

#include "vfbc_kvargs.h"

/* rte_kvargs ends a key at every '=': none of our values holds one. */
static int
kvargs_one_eq_per_pair(const char *str)
{
	unsigned int eq = 0;

	for (; *str != '\0'; str++) {
		if (*str == ',')
			eq = 0;
		else if (*str == '=' && ++eq > 1)
			return -EINVAL;
	}
	return 0;
}

struct rte_kvargs *
vfbc_kvargs_parse(const char *str, const char * const keys[], char *why, size_t why_size)
{
	struct rte_kvargs *kvlist;
	unsigned int i;

	if (kvargs_one_eq_per_pair(str) < 0) {
		snprintf(why, why_size, "a pair with more than one '='");
		return NULL;
	}
	kvlist = rte_kvargs_parse(str, keys);
	if (kvlist == NULL) {
		snprintf(why, why_size, "an unknown key or a pair that is not key=value");
		return NULL;
	}
	for (i = 0; keys[i] != NULL; i++) {
		if (rte_kvargs_count(kvlist, keys[i]) > 1) {
			snprintf(why, why_size, "%s given more than once", keys[i]);
			rte_kvargs_free(kvlist);
			return NULL;
		}
	}
	return kvlist;
}

int
vfbc_kvargs_uint(const char *s, const char *end, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	const char *p;

	if (s == end || (s[0] == '0' && end - s > 1))
		return -EINVAL;
	for (p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}
