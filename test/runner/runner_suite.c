/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

#define VFBC_TEST_RULE " + ------------------------------------------------------- +\n"

static FILE *vfbc_test_out;
static char vfbc_test_skip_msg[256];

FILE *
vfbc_test_set_output(FILE *out)
{
	FILE *old;

	old = vfbc_test_output();
	vfbc_test_out = out;
	return old;
}

FILE *
vfbc_test_output(void)
{
	return vfbc_test_out != NULL ? vfbc_test_out : stdout;
}

const char *
vfbc_test_skip_reason(void)
{
	return vfbc_test_skip_msg;
}

void
vfbc_test_skip_reason_reset(void)
{
	vfbc_test_skip_msg[0] = '\0';
}

void
vfbc_test_fail_report(const char *file, int line, const char *func, const char *fmt, ...)
{
	FILE *out;
	va_list ap;

	out = vfbc_test_output();
	fprintf(out, "%s:%d: %s(): ", file, line, func);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}

void
vfbc_test_skip_report(const char *fmt, ...)
{
	FILE *out;
	va_list ap;

	out = vfbc_test_output();
	va_start(ap, fmt);
	vsnprintf(vfbc_test_skip_msg, sizeof(vfbc_test_skip_msg), fmt, ap);
	va_end(ap);
	fprintf(out, "skipped: %s\n", vfbc_test_skip_msg);
	fflush(out);
}

/* Outcome of a setup/case return value: anything but 0 and 77 is a failure. */
static const char *
vfbc_test_outcome(int ret)
{
	if (ret == TEST_SUCCESS)
		return "OK";
	if (ret == TEST_SKIPPED)
		return "SKIPPED";
	return "FAILED";
}

static void
vfbc_test_count(struct vfbc_test_counts *counts, int ret)
{
	if (ret == TEST_SUCCESS)
		counts->passed++;
	else if (ret == TEST_SKIPPED)
		counts->skipped++;
	else
		counts->failed++;
}

static void
vfbc_test_case_line(FILE *out, unsigned int idx, const char *name, int ret, const char *why)
{
	const char *reason;

	reason = vfbc_test_skip_reason();
	fprintf(out, " + TestCase [%2u] : %s %s", idx, name, vfbc_test_outcome(ret));
	if (ret == TEST_SKIPPED)
		fprintf(out, " (%s)", reason[0] != '\0' ? reason : "no reason given");
	else if (ret != TEST_SUCCESS && why != NULL)
		fprintf(out, " (%s)", why);
	fputc('\n', out);
	fflush(out);
}

int
vfbc_test_suite_run(struct unit_test_suite *suite, struct vfbc_test_counts *counts)
{
	const struct unit_test_case *tc;
	struct vfbc_test_counts local = { 0, 0, 0 };
	const char *name;
	const char *why;
	FILE *out;
	unsigned int idx;
	int suite_ret;
	int ret;

	out = vfbc_test_output();
	name = suite->suite_name != NULL ? suite->suite_name : "(unnamed)";
	fprintf(out, VFBC_TEST_RULE);
	fprintf(out, " + Test Suite : %s\n", name);
	fprintf(out, VFBC_TEST_RULE);
	fflush(out);

	vfbc_test_skip_reason_reset();
	suite_ret = TEST_SUCCESS;
	if (suite->setup != NULL)
		suite_ret = suite->setup();

	idx = 0;
	for (tc = suite->unit_test_cases; tc->testcase != NULL; tc++) {
		idx++;
		if (suite_ret != TEST_SUCCESS) {
			/* The suite setup's skip reason stays for every case. */
			vfbc_test_count(&local, suite_ret);
			vfbc_test_case_line(out, idx, tc->name, suite_ret, "suite setup failed");
			continue;
		}
		vfbc_test_skip_reason_reset();
		why = NULL;
		ret = TEST_SUCCESS;
		if (tc->setup != NULL) {
			ret = tc->setup();
			if (ret != TEST_SUCCESS)
				why = "case setup failed";
		}
		if (ret == TEST_SUCCESS) {
			ret = tc->testcase();
			if (tc->teardown != NULL)
				tc->teardown();
		}
		vfbc_test_count(&local, ret);
		vfbc_test_case_line(out, idx, tc->name, ret, why);
	}

	if (suite_ret == TEST_SUCCESS && suite->teardown != NULL)
		suite->teardown();

	fprintf(out, VFBC_TEST_RULE);
	fprintf(out, " + Test Suite Summary : %s\n", name);
	fprintf(out, VFBC_TEST_RULE);
	fprintf(out, " + Tests Total :       %2u\n", local.passed + local.failed + local.skipped);
	fprintf(out, " + Tests Skipped :     %2u\n", local.skipped);
	fprintf(out, " + Tests Passed :      %2u\n", local.passed);
	fprintf(out, " + Tests Failed :      %2u\n", local.failed);
	fprintf(out, VFBC_TEST_RULE);
	fflush(out);

	counts->passed += local.passed;
	counts->failed += local.failed;
	counts->skipped += local.skipped;

	if (local.failed > 0)
		return TEST_FAILED;
	if (local.passed == 0)
		return TEST_SKIPPED;
	return TEST_SUCCESS;
}

int
unit_test_suite_runner(struct unit_test_suite *suite)
{
	return vfbc_test_suite_run(suite, vfbc_test_command_counts());
}
