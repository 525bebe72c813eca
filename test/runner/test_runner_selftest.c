/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/*
 * The runner checks itself on synthetic suites whose outcomes are known,
 * with its output captured so that the case lines and summaries can be read
 * back.
 */

static char *selftest_buf;
static size_t selftest_len;
static FILE *selftest_out;
static FILE *selftest_prev;

static unsigned int synth_bodies;
static unsigned int synth_teardowns;
static unsigned int synth_suite_teardowns;

static int
selftest_capture_start(void)
{
	selftest_out = open_memstream(&selftest_buf, &selftest_len);
	TEST_ASSERT_NOT_NULL(selftest_out, "open_memstream failed");
	selftest_prev = vfbc_test_set_output(selftest_out);
	return TEST_SUCCESS;
}

/* Restores the output; the captured text stays in selftest_buf. */
static void
selftest_capture_stop(void)
{
	if (selftest_out == NULL)
		return;
	vfbc_test_set_output(selftest_prev);
	fclose(selftest_out);
	selftest_out = NULL;
}

static void
selftest_capture_free(void)
{
	selftest_capture_stop();
	free(selftest_buf);
	selftest_buf = NULL;
	selftest_len = 0;
}

static int
assert_true_if(int cond)
{
	TEST_ASSERT(cond, "assert msg %d", 7);
	return TEST_SUCCESS;
}

static int
assert_equal_if(int a, int b)
{
	TEST_ASSERT_EQUAL(a, b, "equal msg");
	return TEST_SUCCESS;
}

static int
assert_not_equal_if(int a, int b)
{
	TEST_ASSERT_NOT_EQUAL(a, b, "not equal msg");
	return TEST_SUCCESS;
}

static int
assert_success_if(int val)
{
	TEST_ASSERT_SUCCESS(val, "success msg");
	return TEST_SUCCESS;
}

static int
assert_fail_if(int val)
{
	TEST_ASSERT_FAIL(val, "fail msg");
	return TEST_SUCCESS;
}

static int
assert_null_if(const void *p)
{
	TEST_ASSERT_NULL(p, "null msg");
	return TEST_SUCCESS;
}

static int
assert_not_null_if(const void *p)
{
	TEST_ASSERT_NOT_NULL(p, "not null msg");
	return TEST_SUCCESS;
}

static int
assert_buffers_if(const void *a, const void *b, size_t len)
{
	TEST_ASSERT_BUFFERS_ARE_EQUAL(a, b, len, "buffers msg");
	return TEST_SUCCESS;
}

static int
skip_with_reason(void)
{
	TEST_SKIP("no %s here", "widget");
}

static int
test_asserts_pass_on_true_conditions(void)
{
	static const char a[] = "abcd";
	static const char b[] = "abcd";

	TEST_ASSERT_EQUAL(assert_true_if(1), TEST_SUCCESS, "TEST_ASSERT");
	TEST_ASSERT_EQUAL(assert_equal_if(3, 3), TEST_SUCCESS, "TEST_ASSERT_EQUAL");
	TEST_ASSERT_EQUAL(assert_not_equal_if(3, 4), TEST_SUCCESS, "TEST_ASSERT_NOT_EQUAL");
	TEST_ASSERT_EQUAL(assert_success_if(0), TEST_SUCCESS, "TEST_ASSERT_SUCCESS");
	TEST_ASSERT_EQUAL(assert_fail_if(-22), TEST_SUCCESS, "TEST_ASSERT_FAIL");
	TEST_ASSERT_EQUAL(assert_null_if(NULL), TEST_SUCCESS, "TEST_ASSERT_NULL");
	TEST_ASSERT_EQUAL(assert_not_null_if(a), TEST_SUCCESS, "TEST_ASSERT_NOT_NULL");
	TEST_ASSERT_EQUAL(assert_buffers_if(a, b, sizeof(a)), TEST_SUCCESS,
			"TEST_ASSERT_BUFFERS_ARE_EQUAL");
	return TEST_SUCCESS;
}

static int
test_asserts_fail_on_false_conditions_with_location(void)
{
	static const char a[] = "abcd";
	static const char b[] = "abce";
	int r[8];

	if (selftest_capture_start() != TEST_SUCCESS)
		return TEST_FAILED;
	r[0] = assert_true_if(0);
	r[1] = assert_equal_if(3, 4);
	r[2] = assert_not_equal_if(3, 3);
	r[3] = assert_success_if(-1);
	r[4] = assert_fail_if(0);
	r[5] = assert_null_if(a);
	r[6] = assert_not_null_if(NULL);
	r[7] = assert_buffers_if(a, b, sizeof(a));
	selftest_capture_stop();

	TEST_ASSERT_EQUAL(r[0], TEST_FAILED, "TEST_ASSERT returned %d", r[0]);
	TEST_ASSERT_EQUAL(r[1], TEST_FAILED, "TEST_ASSERT_EQUAL returned %d", r[1]);
	TEST_ASSERT_EQUAL(r[2], TEST_FAILED, "TEST_ASSERT_NOT_EQUAL returned %d", r[2]);
	TEST_ASSERT_EQUAL(r[3], TEST_FAILED, "TEST_ASSERT_SUCCESS returned %d", r[3]);
	TEST_ASSERT_EQUAL(r[4], TEST_FAILED, "TEST_ASSERT_FAIL returned %d", r[4]);
	TEST_ASSERT_EQUAL(r[5], TEST_FAILED, "TEST_ASSERT_NULL returned %d", r[5]);
	TEST_ASSERT_EQUAL(r[6], TEST_FAILED, "TEST_ASSERT_NOT_NULL returned %d", r[6]);
	TEST_ASSERT_EQUAL(r[7], TEST_FAILED, "TEST_ASSERT_BUFFERS_ARE_EQUAL returned %d", r[7]);

	/* file:line: function(): message, one line per failure. */
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, "test_runner_selftest.c:"),
			"no file name in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, ": assert_true_if(): assert msg 7\n"),
			"no function and formatted message in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, "assert_buffers_if(): buffers msg\n"),
			"no buffer message in: %s", selftest_buf);
	return TEST_SUCCESS;
}

static int
test_skip_returns_skipped_and_keeps_reason(void)
{
	int ret;

	if (selftest_capture_start() != TEST_SUCCESS)
		return TEST_FAILED;
	vfbc_test_skip_reason_reset();
	ret = skip_with_reason();
	selftest_capture_stop();

	TEST_ASSERT_EQUAL(ret, TEST_SKIPPED, "TEST_SKIP returned %d", ret);
	TEST_ASSERT(strcmp(selftest_buf, "skipped: no widget here\n") == 0,
			"printed '%s'", selftest_buf);
	TEST_ASSERT(strcmp(vfbc_test_skip_reason(), "no widget here") == 0,
			"kept reason '%s'", vfbc_test_skip_reason());
	return TEST_SUCCESS;
}

static int
synth_pass(void)
{
	synth_bodies++;
	return TEST_SUCCESS;
}

static int
synth_fail(void)
{
	synth_bodies++;
	TEST_ASSERT(synth_bodies == 0, "synthetic failure");
	return TEST_SUCCESS;
}

static int
synth_skip(void)
{
	synth_bodies++;
	TEST_SKIP("synthetic skip");
}

static int
synth_odd_status(void)
{
	synth_bodies++;
	return -5;
}

static int
synth_setup_ok(void)
{
	return TEST_SUCCESS;
}

static int
synth_setup_fail(void)
{
	return TEST_FAILED;
}

static int
synth_setup_skip(void)
{
	TEST_SKIP("synthetic setup skip");
}

static void
synth_teardown(void)
{
	synth_teardowns++;
}

static void
synth_suite_teardown(void)
{
	synth_suite_teardowns++;
}

static struct unit_test_suite synth_mixed = {
	.suite_name = "synthetic mixed outcomes",
	.setup = synth_setup_ok,
	.teardown = synth_suite_teardown,
	.unit_test_cases = {
		TEST_CASE_ST(synth_setup_ok, synth_teardown, synth_pass),
		TEST_CASE(synth_pass),
		TEST_CASE_ST(synth_setup_ok, synth_teardown, synth_fail),
		TEST_CASE_ST(synth_setup_ok, synth_teardown, synth_skip),
		TEST_CASE_ST(synth_setup_fail, synth_teardown, synth_pass),
		TEST_CASE_ST(synth_setup_skip, synth_teardown, synth_pass),
		TEST_CASE(synth_odd_status),
		TEST_CASES_END()
	}
};

static struct unit_test_suite synth_all_pass = {
	.suite_name = "synthetic all pass",
	.teardown = synth_suite_teardown,
	.unit_test_cases = {
		TEST_CASE(synth_pass),
		TEST_CASE_ST(NULL, synth_teardown, synth_pass),
		TEST_CASES_END()
	}
};

static struct unit_test_suite synth_setup_skips = {
	.suite_name = "synthetic suite setup skips",
	.setup = synth_setup_skip,
	.teardown = synth_suite_teardown,
	.unit_test_cases = {
		TEST_CASE(synth_pass),
		TEST_CASE_ST(synth_setup_ok, synth_teardown, synth_fail),
		TEST_CASE(synth_pass),
		TEST_CASES_END()
	}
};

static struct unit_test_suite synth_setup_fails = {
	.suite_name = "synthetic suite setup fails",
	.setup = synth_setup_fail,
	.teardown = synth_suite_teardown,
	.unit_test_cases = {
		TEST_CASE(synth_pass),
		TEST_CASE(synth_skip),
		TEST_CASES_END()
	}
};

/* Runs suite with counts starting at {1, 1, 1}: the runner must add to them. */
static int
synth_run(struct unit_test_suite *suite, struct vfbc_test_counts *c, int *ret)
{
	synth_bodies = 0;
	synth_teardowns = 0;
	synth_suite_teardowns = 0;
	c->passed = 1;
	c->failed = 1;
	c->skipped = 1;
	if (selftest_capture_start() != TEST_SUCCESS)
		return TEST_FAILED;
	*ret = vfbc_test_suite_run(suite, c);
	selftest_capture_stop();
	return TEST_SUCCESS;
}

static int
test_suite_counts_mixed_outcomes(void)
{
	struct vfbc_test_counts c;
	int ret;

	TEST_ASSERT_SUCCESS(synth_run(&synth_mixed, &c, &ret), "cannot run the suite");
	TEST_ASSERT_EQUAL(ret, TEST_FAILED, "suite returned %d", ret);
	TEST_ASSERT_EQUAL(c.passed, 1 + 2u, "passed %u", c.passed);
	TEST_ASSERT_EQUAL(c.failed, 1 + 3u, "failed %u", c.failed);
	TEST_ASSERT_EQUAL(c.skipped, 1 + 2u, "skipped %u", c.skipped);
	/* Cases whose setup did not succeed neither run nor tear down. */
	TEST_ASSERT_EQUAL(synth_bodies, 5u, "%u case bodies ran", synth_bodies);
	TEST_ASSERT_EQUAL(synth_teardowns, 3u, "%u case teardowns ran", synth_teardowns);
	TEST_ASSERT_EQUAL(synth_suite_teardowns, 1u, "%u suite teardowns", synth_suite_teardowns);

	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + Test Suite : synthetic mixed outcomes\n"),
			"no suite banner in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + TestCase [ 1] : synth_pass OK\n"),
			"no OK case line in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + TestCase [ 3] : synth_fail FAILED\n"),
			"no FAILED case line in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf,
			" + TestCase [ 4] : synth_skip SKIPPED (synthetic skip)\n"),
			"no SKIPPED case line with its reason in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf,
			" + TestCase [ 5] : synth_pass FAILED (case setup failed)\n"),
			"no setup failure line in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf,
			" + TestCase [ 6] : synth_pass SKIPPED (synthetic setup skip)\n"),
			"no setup skip line in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + Tests Total :        7\n"),
			"wrong total in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + Tests Skipped :      2\n"),
			"wrong skipped in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + Tests Passed :       2\n"),
			"wrong passed in: %s", selftest_buf);
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf, " + Tests Failed :       3\n"),
			"wrong failed in: %s", selftest_buf);
	return TEST_SUCCESS;
}

static int
test_suite_all_passing_succeeds(void)
{
	struct vfbc_test_counts c;
	int ret;

	TEST_ASSERT_SUCCESS(synth_run(&synth_all_pass, &c, &ret), "cannot run the suite");
	TEST_ASSERT_EQUAL(ret, TEST_SUCCESS, "suite returned %d", ret);
	TEST_ASSERT_EQUAL(c.passed, 1 + 2u, "passed %u", c.passed);
	TEST_ASSERT_EQUAL(c.failed, 1u, "failed %u", c.failed);
	TEST_ASSERT_EQUAL(c.skipped, 1u, "skipped %u", c.skipped);
	TEST_ASSERT_EQUAL(synth_teardowns, 1u, "%u case teardowns ran", synth_teardowns);
	TEST_ASSERT_EQUAL(synth_suite_teardowns, 1u, "%u suite teardowns", synth_suite_teardowns);
	return TEST_SUCCESS;
}

static int
test_suite_setup_skip_skips_every_case(void)
{
	struct vfbc_test_counts c;
	int ret;

	TEST_ASSERT_SUCCESS(synth_run(&synth_setup_skips, &c, &ret), "cannot run the suite");
	TEST_ASSERT_EQUAL(ret, TEST_SKIPPED, "suite returned %d", ret);
	TEST_ASSERT_EQUAL(c.passed, 1u, "passed %u", c.passed);
	TEST_ASSERT_EQUAL(c.failed, 1u, "failed %u", c.failed);
	TEST_ASSERT_EQUAL(c.skipped, 1 + 3u, "skipped %u", c.skipped);
	TEST_ASSERT_EQUAL(synth_bodies, 0u, "%u case bodies ran", synth_bodies);
	TEST_ASSERT_EQUAL(synth_teardowns + synth_suite_teardowns, 0u, "teardowns ran");
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf,
			" + TestCase [ 3] : synth_pass SKIPPED (synthetic setup skip)\n"),
			"no skip reason on every case in: %s", selftest_buf);
	return TEST_SUCCESS;
}

static int
test_suite_setup_failure_fails_every_case(void)
{
	struct vfbc_test_counts c;
	int ret;

	TEST_ASSERT_SUCCESS(synth_run(&synth_setup_fails, &c, &ret), "cannot run the suite");
	TEST_ASSERT_EQUAL(ret, TEST_FAILED, "suite returned %d", ret);
	TEST_ASSERT_EQUAL(c.passed, 1u, "passed %u", c.passed);
	TEST_ASSERT_EQUAL(c.failed, 1 + 2u, "failed %u", c.failed);
	TEST_ASSERT_EQUAL(c.skipped, 1u, "skipped %u", c.skipped);
	TEST_ASSERT_EQUAL(synth_bodies, 0u, "%u case bodies ran", synth_bodies);
	TEST_ASSERT_EQUAL(synth_suite_teardowns, 0u, "suite teardown ran after a failed setup");
	TEST_ASSERT_NOT_NULL(strstr(selftest_buf,
			" + TestCase [ 2] : synth_skip FAILED (suite setup failed)\n"),
			"no setup failure on every case in: %s", selftest_buf);
	return TEST_SUCCESS;
}

static struct unit_test_suite runner_selftest_suite = {
	.suite_name = "runner self-test",
	.teardown = selftest_capture_free,
	.unit_test_cases = {
		TEST_CASE_ST(NULL, selftest_capture_free, test_asserts_pass_on_true_conditions),
		TEST_CASE_ST(NULL, selftest_capture_free,
				test_asserts_fail_on_false_conditions_with_location),
		TEST_CASE_ST(NULL, selftest_capture_free,
				test_skip_returns_skipped_and_keeps_reason),
		TEST_CASE_ST(NULL, selftest_capture_free, test_suite_counts_mixed_outcomes),
		TEST_CASE_ST(NULL, selftest_capture_free, test_suite_all_passing_succeeds),
		TEST_CASE_ST(NULL, selftest_capture_free, test_suite_setup_skip_skips_every_case),
		TEST_CASE_ST(NULL, selftest_capture_free,
				test_suite_setup_failure_fails_every_case),
		TEST_CASES_END()
	}
};

static int
test_runner_selftest(void)
{
	return unit_test_suite_runner(&runner_selftest_suite);
}

REGISTER_TEST_COMMAND(runner_selftest_autotest, test_runner_selftest);
