/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A number token for the console: decimal or 0x hex only. cmdline's own
 * number tokens also take 0b binary and read a leading 0 as octal, so
 * "010" would silently be 8; offsets in config space must not surprise.
 * Ranges are checked by the actions, which can say what is out of range.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse.h>

#include "vfbc_testpmd.h"

int
vfbc_tp_parse_u32(const char *s, size_t len, uint32_t max, uint32_t *val)
{
	unsigned int base;
	uint64_t v;
	size_t i;
	int digit;

	base = 10;
	i = 0;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -EINVAL;
	v = 0;
	for (; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			digit = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return -EINVAL;
		v = v * base + digit;
		/* Keep going to tell "not a number" from "too big". */
		if (v > UINT32_MAX)
			v = (uint64_t)UINT32_MAX + 1;
	}
	if (v > max)
		return -ERANGE;
	*val = (uint32_t)v;
	return 0;
}

static int
vfbc_tp_token_num_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
		unsigned int ressize)
{
	uint32_t val;
	size_t len;

	if (tk == NULL || buf == NULL)
		return -1;
	if (res != NULL && ressize < sizeof(val))
		return -1;
	len = 0;
	while (!cmdline_isendoftoken(buf[len]))
		len++;
	if (vfbc_tp_parse_u32(buf, len, UINT32_MAX, &val) < 0)
		return -1;
	if (res != NULL)
		memcpy(res, &val, sizeof(val));
	return (int)len;
}

static int
vfbc_tp_token_num_help(cmdline_parse_token_hdr_t *tk, char *dstbuf, unsigned int size)
{
	const struct vfbc_tp_token_num *num = (const struct vfbc_tp_token_num *)tk;

	snprintf(dstbuf, size, "%s (decimal or 0x hex)", num->name);
	return 0;
}

struct cmdline_token_ops vfbc_tp_token_num_ops = {
	.parse = vfbc_tp_token_num_parse,
	.complete_get_nb = NULL,
	.complete_get_elt = NULL,
	.get_help = vfbc_tp_token_num_help,
};
