/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_KVARGS_H_
#define _VFBC_KVARGS_H_

/*
 * Devargs of both drivers, read strictly: rte_kvargs splits them, these
 * refuse what it lets through. In librte_common_vfbc:
 * exported to the drivers only (__vfbc_internal), not API.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_kvargs.h>

#include <vfbc_compat.h>

/*
 * rte_kvargs_parse() of str against keys, refusing besides what it refuses
 * a pair with more than one '=' (rte_kvargs would drop all but the text
 * between the last two) and a key given more than once. NULL when refused,
 * with why[] saying why in a few words.
 */
__vfbc_internal
struct rte_kvargs *
vfbc_kvargs_parse(const char *str, const char * const keys[], char *why, size_t why_size);

/*
 * The decimal number from s up to end (exclusive): digits only, no sign,
 * no white space, no leading zero (so "010" is neither octal 8 nor a typo
 * taken for 10), at most max. 0 and *out set, or -EINVAL.
 */
__vfbc_internal
int
vfbc_kvargs_uint(const char *s, const char *end, uint32_t max, uint32_t *out);

#endif /* _VFBC_KVARGS_H_ */
