/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Why a line does not parse. cmdline only says "bad arguments"; a user
 * who typed "010" or a VF number above 32 bits must learn which word is
 * wrong and why. Every command is matched again, token by token, with the
 * tokens' own parsers, exactly as cmdline does; the commands that got
 * furthest tell what they expected at the word where they stopped.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

#include "vfbc_testpmd.h"

#define VFBC_TP_EXPLAIN_MAX	32	/* Commands that stop at the same word. */

/* Where one command stopped matching. */
struct vfbc_tp_stop {
	unsigned int depth;		/* tokens matched */
	const char *at;			/* the word it stopped at */
	cmdline_parse_token_hdr_t *tk;	/* what it wanted there; NULL: nothing more */
};

/* cmdline's match_inst(), recording where it stops. */
static void
vfbc_tp_walk(cmdline_parse_inst_t *inst, const char *line, struct vfbc_tp_stop *stop)
{
	union {
		char buf[CMDLINE_PARSE_RESULT_BUFSIZE];
		long double align;
	} res;
	cmdline_parse_token_hdr_t *tk;
	const char *p;
	unsigned int i;
	int n;

	p = line;
	for (i = 0; ; i++) {
		tk = inst->tokens[i];
		while (*p == ' ' || *p == '\t')
			p++;
		if (tk == NULL || vfbc_tp_end_of_command(*p) || tk->offset > sizeof(res.buf))
			break;
		n = tk->ops->parse(tk, p, res.buf + tk->offset, sizeof(res.buf) - tk->offset);
		if (n < 0)
			break;
		p += n;
	}
	stop->depth = i;
	stop->at = p;
	stop->tk = tk;
}

/* The length of the word at @p s as quoted in a message. */
static size_t
vfbc_tp_word(const char *s)
{
	return RTE_MIN(vfbc_tp_word_len(s), (size_t)VFBC_TP_WORD_SHOWN);
}

/* Append to the message; it stays NUL terminated when it is cut short. */
static void __rte_format_printf(3, 4)
vfbc_tp_cat(char *buf, size_t size, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	used = strnlen(buf, size);
	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* The words a token takes, "list", "<port>", "<byte>...", for a list of them. */
static unsigned int
vfbc_tp_token_names(cmdline_parse_token_hdr_t *tk, const char **names, size_t *lens,
		unsigned int room)
{
	struct cmdline_token_string *st;
	const char *s;
	unsigned int n;

	if (tk->ops == &vfbc_tp_token_num_ops) {
		if (room == 0)
			return 0;
		names[0] = ((struct vfbc_tp_token_num *)tk)->name;
		lens[0] = strlen(names[0]);
		return 1;
	}
	if (tk->ops == &vfbc_tp_token_bytes_ops || tk->ops == &vfbc_tp_token_pairs_ops) {
		if (room == 0)
			return 0;
		names[0] = tk->ops == &vfbc_tp_token_bytes_ops ? "byte" :
			"vf>:<mask>[,<vf>:<mask>...]";
		lens[0] = strlen(names[0]);
		return 1;
	}
	if (tk->ops != &cmdline_token_string_ops)
		return 0;
	st = (struct cmdline_token_string *)tk;
	n = 0;
	for (s = st->string_data.str; s != NULL && *s != '\0' && n < room; n++) {
		names[n] = s;
		lens[n] = strcspn(s, "#");
		s += lens[n];
		if (*s == '#')
			s++;
	}
	return n;
}

/* "<port>", "<byte>..." or "list": how a name reads in a message. */
static void
vfbc_tp_cat_name(char *buf, size_t size, cmdline_parse_token_hdr_t *tk, const char *name,
		size_t len)
{
	if (tk->ops == &vfbc_tp_token_num_ops || tk->ops == &vfbc_tp_token_pairs_ops)
		vfbc_tp_cat(buf, size, "<%.*s>", (int)len, name);
	else if (tk->ops == &vfbc_tp_token_bytes_ops)
		vfbc_tp_cat(buf, size, "<%.*s>...", (int)len, name);
	else
		vfbc_tp_cat(buf, size, "%.*s", (int)len, name);
}

/* "<vf> or all", each name once, in the order of the commands. */
static void
vfbc_tp_cat_expected(char *buf, size_t size, struct vfbc_tp_stop *stops, unsigned int n)
{
	const char *names[VFBC_TP_EXPLAIN_MAX];
	cmdline_parse_token_hdr_t *tks[VFBC_TP_EXPLAIN_MAX];
	size_t lens[VFBC_TP_EXPLAIN_MAX];
	unsigned int count, got, i, j, k;

	count = 0;
	for (i = 0; i < n; i++) {
		got = vfbc_tp_token_names(stops[i].tk, names + count, lens + count,
				RTE_DIM(names) - count);
		for (j = count; j < count + got; j++)
			tks[j] = stops[i].tk;
		/* Drop the names seen already. */
		for (j = count; j < count + got; ) {
			for (k = 0; k < count; k++)
				if (lens[k] == lens[j] && memcmp(names[k], names[j], lens[j]) == 0)
					break;
			if (k < count) {
				memmove(&names[j], &names[j + 1], (count + got - j - 1) *
						sizeof(names[0]));
				memmove(&lens[j], &lens[j + 1], (count + got - j - 1) *
						sizeof(lens[0]));
				memmove(&tks[j], &tks[j + 1], (count + got - j - 1) *
						sizeof(tks[0]));
				got--;
			} else {
				j++;
			}
		}
		count += got;
	}
	for (i = 0; i < count; i++) {
		if (i > 0)
			vfbc_tp_cat(buf, size, i == count - 1 ? " or " : ", ");
		vfbc_tp_cat_name(buf, size, tks[i], names[i], lens[i]);
	}
}

/*
 * A word that starts like a number is meant as one: say what is wrong with
 * it. @return 0 if the word is not taken for a number, 1 if it is, 2 for a
 * bad byte of a list (a message that stands alone).
 */
static int
vfbc_tp_cat_number(char *buf, size_t size, struct vfbc_tp_stop *stops, unsigned int n)
{
	const struct vfbc_tp_token_num *num;
	struct vfbc_tp_pairs_problem pp;
	struct vfbc_tp_bytes_problem bp;
	const struct vfbc_tp_token_bytes *tb;
	const char *at = stops[0].at;
	char why[160];
	uint64_t v;
	size_t len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (stops[i].tk->ops == &vfbc_tp_token_pairs_ops) {
			if (vfbc_tp_pairs_scan(at, NULL, &pp) >= 0)
				continue;
			vfbc_tp_pairs_why(&pp, why, sizeof(why));
			vfbc_tp_cat(buf, size, "%s", why);
			return 2;
		}
		if (stops[i].tk->ops == &vfbc_tp_token_bytes_ops) {
			tb = (const struct vfbc_tp_token_bytes *)stops[i].tk;
			if (vfbc_tp_bytes_scan(at, tb->max, NULL, &bp) >= 0)
				continue;
			vfbc_tp_bytes_why(&bp, tb->max, why, sizeof(why));
			vfbc_tp_cat(buf, size, "%s", why);
			return 2;
		}
	}
	if (*at != '+' && *at != '-' && (*at < '0' || *at > '9'))
		return 0;
	for (i = 0; i < n; i++) {
		if (stops[i].tk->ops != &vfbc_tp_token_num_ops)
			continue;
		num = (const struct vfbc_tp_token_num *)stops[i].tk;
		len = vfbc_tp_word_len(at);
		vfbc_tp_num_why(vfbc_tp_num_scan(at, len, vfbc_tp_token_num_max(num), &v),
				vfbc_tp_token_num_max(num), why, sizeof(why));
		vfbc_tp_cat(buf, size, "<%s> '%.*s' %s", num->name, (int)vfbc_tp_word(at), at,
				why);
		return 1;
	}
	return 0;
}

int
vfbc_tp_explain(cmdline_parse_ctx_t *ctx, const char *line, char *buf, size_t size)
{
	struct vfbc_tp_stop stops[VFBC_TP_EXPLAIN_MAX];
	struct vfbc_tp_stop stop;
	unsigned int best;
	unsigned int n;
	unsigned int i;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	best = 0;
	n = 0;
	for (i = 0; ctx[i] != NULL; i++) {
		vfbc_tp_walk(ctx[i], line, &stop);
		if (stop.depth < best || stop.depth == 0)
			continue;
		if (stop.depth > best) {
			best = stop.depth;
			n = 0;
		}
		if (n < RTE_DIM(stops))
			stops[n++] = stop;
	}
	if (n == 0) {
		vfbc_tp_cat(buf, size, "no command starts with '%.*s'", (int)vfbc_tp_word(line),
				line);
		return 0;
	}
	/* At the end of the line: what is missing, whatever the commands. */
	if (vfbc_tp_end_of_command(*stops[0].at)) {
		for (i = 0; i < n && stops[i].tk == NULL; i++)
			;
		if (i == n) {
			vfbc_tp_cat(buf, size, "matches more than one command");
			return 0;
		}
		/* Commands complete here are not what the user missed. */
		for (i = 0; i < n; ) {
			if (stops[i].tk == NULL)
				stops[i] = stops[--n];
			else
				i++;
		}
		vfbc_tp_cat(buf, size, "missing ");
		vfbc_tp_cat_expected(buf, size, stops, n);
		return 0;
	}
	/* A word where a token was wanted; complete commands only saw extra words. */
	for (i = 0; i < n; ) {
		if (stops[i].tk == NULL && n > 1)
			stops[i] = stops[--n];
		else
			i++;
	}
	if (stops[0].tk == NULL) {
		vfbc_tp_cat(buf, size, "unexpected '%.*s' after the command",
				(int)vfbc_tp_word(stops[0].at), stops[0].at);
		return 0;
	}
	i = vfbc_tp_cat_number(buf, size, stops, n);
	if (i > 0)
		return i == 2;
	vfbc_tp_cat(buf, size, "'%.*s' is not ", (int)vfbc_tp_word(stops[0].at), stops[0].at);
	vfbc_tp_cat_expected(buf, size, stops, n);
	return 0;
}
