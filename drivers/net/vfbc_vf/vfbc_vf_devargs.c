/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF's devargs: parsing only (no device touched), so that a fuzzer can
 * link it alone, as it does the PF's (vfbc_pf_devargs.c). claim is 0 or 1,
 * at most once, one '=' per pair (vfbc_kvargs.h).
 */

#include <errno.h>
#include <string.h>

#include <rte_kvargs.h>

#include "vfbc_kvargs.h"
#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

static const char * const vfbc_vf_valid_args[] = {
	VFBC_VF_CLAIM_ARG,
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

int
vfbc_vf_devargs_parse(const char *str, int *claim)
{
	struct rte_kvargs *kvlist;
	char why[64];
	int ret;

	if (str == NULL || str[0] == '\0')
		return 0;
	kvlist = vfbc_kvargs_parse(str, vfbc_vf_valid_args, why, sizeof(why));
	if (kvlist == NULL) {
		VF_LOG(ERR, "invalid devargs \"%s\": %s (known: %s)", str, why, VFBC_VF_CLAIM_ARG);
		return -EINVAL;
	}
	ret = rte_kvargs_process(kvlist, VFBC_VF_CLAIM_ARG, vfbc_vf_parse_bool, claim);
	rte_kvargs_free(kvlist);
	return ret < 0 ? -EINVAL : 0;
}
