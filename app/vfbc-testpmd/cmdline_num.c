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
vfbc_tp_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *val)
{
	unsigned int base;
	int too_big;
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
	too_big = 0;
	for (; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			digit = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return -EINVAL;
		/* Keep going to tell "not a number" from "too big". */
		if (v > (UINT64_MAX - digit) / base)
			too_big = 1;
		else
			v = v * base + digit;
	}
	if (too_big || v > max)
		return -ERANGE;
	*val = v;
	return 0;
}

int
vfbc_tp_parse_u32(const char *s, size_t len, uint32_t max, uint32_t *val)
{
	uint64_t v;
	int ret;

	ret = vfbc_tp_parse_u64(s, len, max, &v);
	if (ret == 0)
		*val = (uint32_t)v;
	return ret;
}

/*
 * The rest of the line as bytes. cmdline has no repeated token, so the
 * multi-string token hands it over whole and every word is checked here:
 * one bad byte rejects the command before anything is written.
 */
int
vfbc_tp_parse_bytes(const char *s, uint8_t *bytes, uint32_t max, uint32_t *count)
{
	uint32_t n;
	uint32_t v;
	size_t len;
	int ret;

	n = 0;
	v = 0;
	for (;;) {
		s += strspn(s, " \t");
		if (*s == '\0')
			break;
		len = strcspn(s, " \t");
		ret = vfbc_tp_parse_u32(s, len, UINT8_MAX, &v);
		if (ret == -ERANGE) {
			vfbc_tp_error("byte %u (%.*s) out of range (0..0xff)", n + 1,
					(int)len, s);
			return ret;
		}
		if (ret < 0) {
			vfbc_tp_error("byte %u ('%.*s') is not a number (decimal or 0x hex)",
					n + 1, (int)len, s);
			return ret;
		}
		if (n == max) {
			vfbc_tp_error("more than %u bytes", max);
			return -E2BIG;
		}
		bytes[n++] = (uint8_t)v;
		s += len;
	}
	*count = n;
	return 0;
}

static int
vfbc_tp_token_num_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
		unsigned int ressize)
{
	const struct vfbc_tp_token_num *num = (const struct vfbc_tp_token_num *)tk;
	uint64_t val;
	uint32_t val32;
	size_t len;

	if (tk == NULL || buf == NULL)
		return -1;
	if (res != NULL && ressize < (num->wide ? sizeof(val) : sizeof(val32)))
		return -1;
	len = 0;
	while (!cmdline_isendoftoken(buf[len]))
		len++;
	if (vfbc_tp_parse_u64(buf, len, num->wide ? UINT64_MAX : UINT32_MAX, &val) < 0)
		return -1;
	if (res != NULL && num->wide) {
		memcpy(res, &val, sizeof(val));
	} else if (res != NULL) {
		val32 = (uint32_t)val;
		memcpy(res, &val32, sizeof(val32));
	}
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
