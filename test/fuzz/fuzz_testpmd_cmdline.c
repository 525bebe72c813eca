/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * libFuzzer target: lines of the vfbc-testpmd command line, run through
 * the real command table (librte_cmdline's parser, our tokens and the
 * actions) as a script runs them. EAL starts once without hugepages, PCI
 * or shared config: there are no ports, so every action that would reach
 * a device fails, and must say so.
 *
 * Besides memory safety, each line must keep these invariants:
 * - it is run (exactly one action called) or refused or rejected (none),
 *   never both; a refused or rejected line reports exactly one error, a
 *   run one at most one, a blank or comment line none;
 * - no line matches two commands, and a line with bad arguments is
 *   explained by a word of the line, not as an unknown command;
 * - every word the number scanner takes is "0", decimal without a leading
 *   zero or 0x hex, at most the field's maximum (an independent scanner
 *   says so), and prints back to the same value in decimal and hex;
 *   every other word is refused, and so are its signed, blank-prefixed
 *   and zero-prefixed forms;
 * - a byte list the bytes scanner takes prints back to the same bytes;
 * - nothing reached a device: no ethdev port appeared.
 *
 * VFBC_FUZZ_VERBOSE=1 keeps the console's output (for a crash's input).
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

#include "vfbc_testpmd.h"

#define FUZZ_LINE_MAX		8192	/* Longer lines are cut: cmdline reads 4 KiB words. */
#define FUZZ_NUM_TEXT		32	/* A 64-bit value printed, and a prefix. */

#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_testpmd_cmdline: invariant broken: " __VA_ARGS__); \
		fprintf(stderr, "\n"); \
		abort(); \
	} \
} while (0)

static cmdline_parse_ctx_t *fuzz_ctx;
static unsigned int fuzz_calls;

/* Every instance of the table calls through here: the calls are counted. */
static void
fuzz_trampoline(void *parsed_result, struct cmdline *cl, void *data)
{
	const cmdline_parse_inst_t *inst = data;

	fuzz_calls++;
	inst->f(parsed_result, cl, inst->data);
}

/* The real table, each instance copied with the trampoline in front. */
static int
fuzz_ctx_build(void)
{
	cmdline_parse_ctx_t *ctx = vfbc_tp_cmdline_ctx();
	cmdline_parse_inst_t *copy;
	unsigned int n, i, t;

	for (n = 0; ctx[n] != NULL; n++)
		;
	fuzz_ctx = calloc(n + 1, sizeof(*fuzz_ctx));
	if (fuzz_ctx == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		for (t = 0; ctx[i]->tokens[t] != NULL; t++)
			;
		copy = calloc(1, sizeof(*copy) + (t + 1) * sizeof(copy->tokens[0]));
		if (copy == NULL)
			return -1;
		copy->f = fuzz_trampoline;
		copy->data = ctx[i];
		copy->help_str = ctx[i]->help_str;
		memcpy(copy->tokens, ctx[i]->tokens, (t + 1) * sizeof(copy->tokens[0]));
		fuzz_ctx[i] = copy;
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char *eal_argv[] = {
		(char *)(uintptr_t)"fuzz_testpmd_cmdline",
		(char *)(uintptr_t)"-l", (char *)(uintptr_t)"0",
		(char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"--no-shconf",
		(char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level=*:error",
		NULL,
	};
	char *app_argv[] = { eal_argv[0], NULL };

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (getenv("VFBC_FUZZ_VERBOSE") == NULL && freopen("/dev/null", "w", stdout) == NULL)
		abort();
	if (rte_eal_init(RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "fuzz_testpmd_cmdline: cannot start EAL\n");
		abort();
	}
	/* As main() does, with no option: defaults, no echo. */
	if (vfbc_tp_parse_args(1, app_argv) != 0 || vfbc_tp_cmdline_init() < 0 ||
			vfbc_tp_mbox_start() < 0 || vfbc_tp_vf_events_start() < 0 ||
			fuzz_ctx_build() < 0) {
		fprintf(stderr, "fuzz_testpmd_cmdline: cannot set up the command line\n");
		abort();
	}
	FUZZ_CHECK(rte_eth_dev_count_total() == 0, "a port exists without any device");
	return 0;
}

/*
 * The grammar, written apart from vfbc_tp_num_scan(): "0", [1-9][0-9]* or
 * 0[xX][0-9a-fA-F]+, at most max. @return 1 and the value, or 0.
 */
static int
fuzz_ref_number(const char *s, size_t len, uint64_t max, uint64_t *val)
{
	unsigned __int128 v = 0;
	size_t i, start;
	int hex;

	if (len == 0)
		return 0;
	hex = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	start = hex ? 2 : 0;
	if (!hex && s[0] == '0' && len > 1)
		return 0;
	for (i = start; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			v = v * (hex ? 16 : 10) + (unsigned int)(s[i] - '0');
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			v = v * 16 + (unsigned int)(s[i] - 'a' + 10);
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			v = v * 16 + (unsigned int)(s[i] - 'A' + 10);
		else
			return 0;
		if (v > max)
			return 0;
	}
	*val = (uint64_t)v;
	return 1;
}

static void
fuzz_refused(const char *what, const char *text, uint64_t max)
{
	uint64_t v;

	FUZZ_CHECK(vfbc_tp_num_scan(text, strlen(text), max, &v) != VFBC_TP_NUM_OK,
			"%s '%s' taken as %" PRIu64, what, text, v);
}

/* The scanner against the grammar for one word and one field width. */
static void
fuzz_number_word(const char *w, size_t len, uint64_t max)
{
	char text[FUZZ_NUM_TEXT];
	char why[256];
	uint64_t v, rv, back;
	int status;
	int ref;

	v = 0;
	status = vfbc_tp_num_scan(w, len, max, &v);
	ref = fuzz_ref_number(w, len, max, &rv);
	FUZZ_CHECK((status == VFBC_TP_NUM_OK) == ref, "'%.*s' (max %" PRIu64 "): scanner %d,"
			" grammar %d", (int)len, w, max, status, ref);
	why[0] = '\0';
	vfbc_tp_num_why(status, max, why, sizeof(why));
	FUZZ_CHECK(why[0] != '\0', "no reason for status %d", status);
	if (status != VFBC_TP_NUM_OK)
		return;
	FUZZ_CHECK(v == rv && v <= max, "'%.*s': %" PRIu64 ", grammar %" PRIu64,
			(int)len, w, v, rv);
	/* Printed back, in both bases, it is the same number. */
	snprintf(text, sizeof(text), "%" PRIu64, v);
	FUZZ_CHECK(vfbc_tp_num_scan(text, strlen(text), max, &back) == VFBC_TP_NUM_OK &&
			back == v, "%s does not read back", text);
	snprintf(text, sizeof(text), "0x%" PRIx64, v);
	FUZZ_CHECK(vfbc_tp_num_scan(text, strlen(text), max, &back) == VFBC_TP_NUM_OK &&
			back == v, "%s does not read back", text);
	/* What the audit refuses: signs, a blank in front, an octal-looking zero. */
	snprintf(text, sizeof(text), "-%" PRIu64, v);
	fuzz_refused("signed", text, max);
	snprintf(text, sizeof(text), "+%" PRIu64, v);
	fuzz_refused("signed", text, max);
	snprintf(text, sizeof(text), " %" PRIu64, v);
	fuzz_refused("blank-prefixed", text, max);
	snprintf(text, sizeof(text), "0%" PRIu64, v);
	fuzz_refused("zero-prefixed", text, max);
	if (max < UINT64_MAX) {
		snprintf(text, sizeof(text), "%" PRIu64, max + 1);
		fuzz_refused("too big", text, max);
	}
}

static void
fuzz_number_words(const char *line, size_t n)
{
	static const uint64_t maxes[] = { UINT8_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX };
	size_t i, len;
	unsigned int m;

	for (i = 0; i < n; i += len) {
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		for (len = 0; i + len < n && line[i + len] != ' ' && line[i + len] != '\t'; len++)
			;
		for (m = 0; len > 0 && m < RTE_DIM(maxes); m++)
			fuzz_number_word(line + i, len, maxes[m]);
	}
}

/* A byte list the scanner takes prints back, in hex, to the same bytes. */
static void
fuzz_bytes(const char *line)
{
	static struct vfbc_tp_bytes got, back;
	static char text[VFBC_TP_BYTES_MAX * 5 + 2];
	struct vfbc_tp_bytes_problem why;
	uint32_t i;
	size_t pos;
	int ret;

	ret = vfbc_tp_bytes_scan(line, VFBC_TP_BYTES_MAX, &got, &why);
	if (ret < 0) {
		FUZZ_CHECK(why.status != VFBC_TP_NUM_OK && why.index <= VFBC_TP_BYTES_MAX,
				"a byte list refused without a reason");
		return;
	}
	FUZZ_CHECK(got.count >= 1 && got.count <= VFBC_TP_BYTES_MAX, "%u bytes", got.count);
	pos = 0;
	for (i = 0; i < got.count; i++)
		pos += snprintf(text + pos, sizeof(text) - pos, "0x%x ", got.bytes[i]);
	FUZZ_CHECK(vfbc_tp_bytes_scan(text, VFBC_TP_BYTES_MAX, &back, NULL) >= 0 &&
			back.count == got.count &&
			memcmp(back.bytes, got.bytes, got.count) == 0,
			"%u bytes do not read back", got.count);
}

/* One line, as a script runs it, and what must hold after it. */
static void
fuzz_line(struct cmdline *cl, char *buf, size_t n, unsigned int lineno)
{
	char why[512];
	unsigned int calls, errors;
	int outcome;
	int ret;

	/* What vfbc_tp_run_script() hands over: the line, '\n', NUL. */
	buf[n++] = '\n';
	buf[n] = '\0';
	calls = fuzz_calls;
	errors = vfbc_tp_error_count();
	outcome = vfbc_tp_line_run(cl, buf, n, lineno);
	calls = fuzz_calls - calls;
	errors = vfbc_tp_error_count() - errors;
	switch (outcome) {
	case VFBC_TP_LINE_EMPTY:
		FUZZ_CHECK(calls == 0 && errors == 0, "blank line: %u calls, %u errors",
				calls, errors);
		break;
	case VFBC_TP_LINE_RUN:
		FUZZ_CHECK(calls == 1 && errors <= 1, "run line: %u calls, %u errors",
				calls, errors);
		break;
	case VFBC_TP_LINE_REFUSED:
		FUZZ_CHECK(calls == 0 && errors == 1, "refused line: %u calls, %u errors",
				calls, errors);
		break;
	case VFBC_TP_LINE_REJECTED:
		FUZZ_CHECK(calls == 0 && errors == 1, "rejected line: %u calls, %u errors",
				calls, errors);
		ret = cmdline_parse_check(cl, buf);
		FUZZ_CHECK(ret == CMDLINE_PARSE_NOMATCH || ret == CMDLINE_PARSE_BAD_ARGS,
				"cmdline says %d", ret);
		if (ret == CMDLINE_PARSE_BAD_ARGS) {
			vfbc_tp_explain(vfbc_tp_cmdline_ctx(), buf, why, sizeof(why));
			FUZZ_CHECK(why[0] != '\0' &&
					strncmp(why, "no command starts", 17) != 0 &&
					strcmp(why, "matches more than one command") != 0,
					"bad arguments explained as: %s", why);
		}
		break;
	default:
		FUZZ_CHECK(0, "outcome %d", outcome);
	}
	FUZZ_CHECK(rte_eth_dev_count_total() == 0, "a port appeared");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[FUZZ_LINE_MAX + 2];
	unsigned int lineno;
	struct cmdline *cl;
	size_t start, end, n;

	cl = cmdline_new(fuzz_ctx, VFBC_TP_PROMPT, -1, -1);
	FUZZ_CHECK(cl != NULL, "no command line context");
	lineno = 0;
	for (start = 0; start < size; start = end + 1) {
		for (end = start; end < size && data[end] != '\n'; end++)
			;
		n = RTE_MIN(end - start, (size_t)FUZZ_LINE_MAX);
		memcpy(buf, data + start, n);
		buf[n] = '\0';
		fuzz_number_words(buf, n);
		if (memchr(buf, '\0', n) == NULL)
			fuzz_bytes(buf);
		fuzz_line(cl, buf, n, ++lineno);
	}
	cmdline_free(cl);
	return 0;
}
