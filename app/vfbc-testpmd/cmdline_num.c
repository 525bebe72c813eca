/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Number and byte-list tokens for the console: decimal or 0x hex only.
 * cmdline's own number tokens also take 0b binary and read a leading 0 as
 * octal; here "010" is refused instead of being 8 to some and 10 to
 * others, and so are signs, blanks, junk and values above the field.
 * Ranges that depend on the device are checked by the actions, which can
 * say what is out of range.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse.h>

#include "vfbc_testpmd.h"

int
vfbc_tp_num_scan(const char *s, size_t len, uint64_t max, uint64_t *val)
{
	unsigned int base;
	int too_big;
	uint64_t v;
	size_t i;
	int digit;

	if (len == 0)
		return VFBC_TP_NUM_EMPTY;
	if (s[0] == '+' || s[0] == '-')
		return VFBC_TP_NUM_SIGN;
	base = 10;
	i = 0;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
		if (len == 2)
			return VFBC_TP_NUM_NO_HEX_DIGIT;
	} else if (len >= 2 && s[0] == '0' && isdigit((unsigned char)s[1])) {
		return VFBC_TP_NUM_LEADING_ZERO;
	}
	v = 0;
	too_big = 0;
	for (; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			digit = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			digit = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return VFBC_TP_NUM_NOT_A_NUMBER;
		/* Keep going to tell "not a number" from "too big". */
		if (v > (UINT64_MAX - digit) / base)
			too_big = 1;
		else
			v = v * base + digit;
	}
	if (too_big || v > max)
		return VFBC_TP_NUM_TOO_BIG;
	*val = v;
	return VFBC_TP_NUM_OK;
}

void
vfbc_tp_num_why(int status, uint64_t max, char *buf, size_t size)
{
	switch (status) {
	case VFBC_TP_NUM_OK:
		snprintf(buf, size, "is a number");
		break;
	case VFBC_TP_NUM_EMPTY:
		snprintf(buf, size, "is empty");
		break;
	case VFBC_TP_NUM_SIGN:
		snprintf(buf, size, "has a sign: numbers here are unsigned");
		break;
	case VFBC_TP_NUM_LEADING_ZERO:
		snprintf(buf, size, "has a leading zero, which C reads as octal:"
				" write it without, or in 0x hex");
		break;
	case VFBC_TP_NUM_NO_HEX_DIGIT:
		snprintf(buf, size, "has no hex digit after 0x");
		break;
	case VFBC_TP_NUM_TOO_BIG:
		snprintf(buf, size, "is above %" PRIu64 " (0x%" PRIx64 ")", max, max);
		break;
	default:
		snprintf(buf, size, "is not a number (decimal or 0x hex)");
		break;
	}
}

int
vfbc_tp_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *val)
{
	switch (vfbc_tp_num_scan(s, len, max, val)) {
	case VFBC_TP_NUM_OK:
		return 0;
	case VFBC_TP_NUM_TOO_BIG:
		return -ERANGE;
	default:
		return -EINVAL;
	}
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

size_t
vfbc_tp_word_len(const char *s)
{
	size_t len;

	len = 0;
	while (!cmdline_isendoftoken(s[len]))
		len++;
	return len;
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
	len = vfbc_tp_word_len(buf);
	if (vfbc_tp_num_scan(buf, len, vfbc_tp_token_num_max(num), &val) != VFBC_TP_NUM_OK)
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

uint64_t
vfbc_tp_token_num_max(const struct vfbc_tp_token_num *num)
{
	return num->wide ? UINT64_MAX : UINT32_MAX;
}

/*
 * The rest of the command as bytes. cmdline has no repeated token, so this
 * one takes every word up to the end of the command (a comment ends it)
 * and checks each: one bad byte and the command does not match, so
 * nothing is written.
 */
int
vfbc_tp_bytes_scan(const char *s, uint32_t max, struct vfbc_tp_bytes *out,
		struct vfbc_tp_bytes_problem *why)
{
	uint32_t n;
	uint64_t v;
	size_t len;
	size_t pos;
	int status;

	n = 0;
	pos = 0;
	for (;;) {
		while (s[pos] == ' ' || s[pos] == '\t')
			pos++;
		if (vfbc_tp_end_of_command(s[pos]))
			break;
		len = vfbc_tp_word_len(s + pos);
		status = vfbc_tp_num_scan(s + pos, len, UINT8_MAX, &v);
		if (status == VFBC_TP_NUM_OK && n == max)
			status = VFBC_TP_BYTES_TOO_MANY;
		if (status != VFBC_TP_NUM_OK) {
			if (why != NULL) {
				why->status = status;
				why->index = n;
				why->word = s + pos;
				why->len = len;
			}
			return -1;
		}
		if (out != NULL)
			out->bytes[n] = (uint8_t)v;
		n++;
		pos += len;
	}
	if (n == 0) {
		if (why != NULL) {
			why->status = VFBC_TP_NUM_EMPTY;
			why->index = 0;
			why->word = s + pos;
			why->len = 0;
		}
		return -1;
	}
	if (out != NULL)
		out->count = n;
	return (int)pos;
}

void
vfbc_tp_bytes_why(const struct vfbc_tp_bytes_problem *p, uint32_t max, char *buf, size_t size)
{
	char why[128];

	switch (p->status) {
	case VFBC_TP_BYTES_TOO_MANY:
		snprintf(buf, size, "more than %u bytes", max);
		break;
	case VFBC_TP_NUM_TOO_BIG:
		snprintf(buf, size, "byte %u (%.*s) out of range (0..0xff)", p->index + 1,
				(int)RTE_MIN(p->len, (size_t)VFBC_TP_WORD_SHOWN), p->word);
		break;
	case VFBC_TP_NUM_EMPTY:
		snprintf(buf, size, "no bytes");
		break;
	default:
		vfbc_tp_num_why(p->status, UINT8_MAX, why, sizeof(why));
		snprintf(buf, size, "byte %u ('%.*s') %s", p->index + 1,
				(int)RTE_MIN(p->len, (size_t)VFBC_TP_WORD_SHOWN), p->word, why);
		break;
	}
}

static int
vfbc_tp_token_bytes_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
		unsigned int ressize)
{
	const struct vfbc_tp_token_bytes *tb = (const struct vfbc_tp_token_bytes *)tk;

	if (tk == NULL || buf == NULL)
		return -1;
	if (res != NULL && ressize < sizeof(struct vfbc_tp_bytes))
		return -1;
	return vfbc_tp_bytes_scan(buf, tb->max, res, NULL);
}

static int
vfbc_tp_token_bytes_help(cmdline_parse_token_hdr_t *tk, char *dstbuf, unsigned int size)
{
	const struct vfbc_tp_token_bytes *tb = (const struct vfbc_tp_token_bytes *)tk;

	snprintf(dstbuf, size, "1 to %u bytes (each decimal or 0x hex, 0..0xff)", tb->max);
	return 0;
}

struct cmdline_token_ops vfbc_tp_token_bytes_ops = {
	.parse = vfbc_tp_token_bytes_parse,
	.complete_get_nb = NULL,
	.complete_get_elt = NULL,
	.get_help = vfbc_tp_token_bytes_help,
};

/* One pair of a list: <vf>:<mask>, both decimal or 0x hex. */
static int
vfbc_tp_pair_scan(const char *s, size_t len, uint32_t index, uint32_t *vf, uint64_t *mask,
		struct vfbc_tp_pairs_problem *why)
{
	const char *colon = memchr(s, ':', len);
	uint64_t v;
	int status;

	why->index = index;
	why->word = s;
	why->len = len;
	why->max = 0;
	if (len == 0) {
		why->status = VFBC_TP_NUM_EMPTY;
		return -1;
	}
	if (colon == NULL) {
		why->status = VFBC_TP_PAIR_NO_COLON;
		return -1;
	}
	status = vfbc_tp_num_scan(s, colon - s, UINT32_MAX, &v);
	if (status == VFBC_TP_NUM_OK) {
		*vf = (uint32_t)v;
		status = vfbc_tp_num_scan(colon + 1, len - (colon + 1 - s), UINT64_MAX, mask);
		if (status == VFBC_TP_NUM_OK)
			return 0;
		why->max = UINT64_MAX;
		why->word = colon + 1;
		why->len = len - (colon + 1 - s);
	} else {
		why->max = UINT32_MAX;
		why->len = colon - s;
	}
	why->status = status;
	return -1;
}

/*
 * One word, so that cmdline hands it over whole; commas split it, and a
 * bad pair makes the command not match: nothing is written.
 */
int
vfbc_tp_pairs_scan(const char *s, struct vfbc_tp_pairs *out, struct vfbc_tp_pairs_problem *why)
{
	struct vfbc_tp_pairs_problem tmp;
	size_t len, pos, item;
	uint32_t n, vf;
	uint64_t mask;

	if (why == NULL)
		why = &tmp;
	len = vfbc_tp_word_len(s);
	n = 0;
	pos = 0;
	do {
		item = 0;
		while (pos + item < len && s[pos + item] != ',')
			item++;
		if (vfbc_tp_pair_scan(s + pos, item, n, &vf, &mask, why) < 0)
			return -1;
		if (n == VFBC_TP_PAIRS_MAX) {
			why->status = VFBC_TP_BYTES_TOO_MANY;
			return -1;
		}
		if (out != NULL) {
			out->vf[n] = vf;
			out->mask[n] = mask;
		}
		n++;
		pos += item + 1;
	} while (pos <= len);
	if (out != NULL)
		out->count = n;
	return (int)len;
}

void
vfbc_tp_pairs_why(const struct vfbc_tp_pairs_problem *p, char *buf, size_t size)
{
	char why[128];
	int shown = (int)RTE_MIN(p->len, (size_t)VFBC_TP_WORD_SHOWN);

	switch (p->status) {
	case VFBC_TP_BYTES_TOO_MANY:
		snprintf(buf, size, "more than %u <vf>:<mask> pairs", VFBC_TP_PAIRS_MAX);
		break;
	case VFBC_TP_NUM_EMPTY:
		snprintf(buf, size, "pair %u is empty: write <vf>:<mask>[,<vf>:<mask>...]",
				p->index + 1);
		break;
	case VFBC_TP_PAIR_NO_COLON:
		snprintf(buf, size, "pair %u ('%.*s') is not <vf>:<mask>", p->index + 1, shown,
				p->word);
		break;
	default:
		vfbc_tp_num_why(p->status, p->max, why, sizeof(why));
		snprintf(buf, size, "pair %u: %s '%.*s' %s", p->index + 1,
				p->max == UINT32_MAX ? "<vf>" : "<mask>", shown, p->word, why);
		break;
	}
}

static int
vfbc_tp_token_pairs_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res,
		unsigned int ressize)
{
	if (tk == NULL || buf == NULL)
		return -1;
	if (res != NULL && ressize < sizeof(struct vfbc_tp_pairs))
		return -1;
	return vfbc_tp_pairs_scan(buf, res, NULL);
}

static int
vfbc_tp_token_pairs_help(__rte_unused cmdline_parse_token_hdr_t *tk, char *dstbuf,
		unsigned int size)
{
	snprintf(dstbuf, size, "<vf>:<mask>[,<vf>:<mask>...], 1 to %u pairs (decimal or 0x "
			"hex)", VFBC_TP_PAIRS_MAX);
	return 0;
}

struct cmdline_token_ops vfbc_tp_token_pairs_ops = {
	.parse = vfbc_tp_token_pairs_parse,
	.complete_get_nb = NULL,
	.complete_get_elt = NULL,
	.get_help = vfbc_tp_token_pairs_help,
};
