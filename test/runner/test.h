/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_TEST_H_
#define _VFBC_TEST_H_

/**
 * @file
 * vfbc unit test runner: assertions, test suites and command registration.
 *
 * Modelled on DPDK's app/test. A test command is an `int fn(void)` returning
 * TEST_SUCCESS, TEST_FAILED or TEST_SKIPPED; vfbc-test runs every command in
 * its own process, and world commands inside a fresh emulated world.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>

/* Defined in an AddressSanitizer build (gcc's or clang's). */
#if defined(__SANITIZE_ADDRESS__)
#define VFBC_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VFBC_TEST_ASAN 1
#endif
#endif

#define TEST_SUCCESS EXIT_SUCCESS
#define TEST_FAILED  (-1)
#define TEST_SKIPPED 77

/**
 * Print a failed assertion as "file:line: function(): message".
 * Used by the TEST_ASSERT* macros; not meant to be called directly.
 */
void vfbc_test_fail_report(const char *file, int line, const char *func,
		const char *fmt, ...) __rte_format_printf(4, 5);

/**
 * Print "skipped: <reason>" and remember the reason for the case summary.
 * Used by TEST_SKIP; not meant to be called directly.
 */
void vfbc_test_skip_report(const char *fmt, ...) __rte_format_printf(1, 2);

#define TEST_ASSERT(cond, fmt, ...) do { \
	if (!(cond)) { \
		vfbc_test_fail_report(__FILE__, __LINE__, __func__, \
				fmt, ##__VA_ARGS__); \
		return TEST_FAILED; \
	} \
} while (0)

#define TEST_ASSERT_EQUAL(a, b, fmt, ...) \
	TEST_ASSERT((a) == (b), fmt, ##__VA_ARGS__)

#define TEST_ASSERT_NOT_EQUAL(a, b, fmt, ...) \
	TEST_ASSERT((a) != (b), fmt, ##__VA_ARGS__)

#define TEST_ASSERT_SUCCESS(val, fmt, ...) \
	TEST_ASSERT((val) == 0, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_FAIL(val, fmt, ...) \
	TEST_ASSERT((val) != 0, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_NULL(p, fmt, ...) \
	TEST_ASSERT((p) == NULL, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_NOT_NULL(p, fmt, ...) \
	TEST_ASSERT((p) != NULL, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_BUFFERS_ARE_EQUAL(a, b, len, fmt, ...) \
	TEST_ASSERT(memcmp((a), (b), (len)) == 0, fmt, ##__VA_ARGS__)

#define TEST_SKIP(fmt, ...) do { \
	vfbc_test_skip_report(fmt, ##__VA_ARGS__); \
	return TEST_SKIPPED; \
} while (0)

/** One test case of a suite. */
struct unit_test_case {
	int (*setup)(void);     /**< Optional; non-zero return skips/fails the case. */
	void (*teardown)(void); /**< Optional; runs only after a successful setup. */
	int (*testcase)(void);  /**< The case itself. */
	const char *name;       /**< Shown in the case line. */
};

#define TEST_CASE(fn) { NULL, NULL, fn, #fn }
#define TEST_CASE_ST(setup, teardown, fn) { setup, teardown, fn, #fn }
#define TEST_CASES_END() { NULL, NULL, NULL, NULL }

/** A suite: setup, cases run in order, teardown. */
struct unit_test_suite {
	const char *suite_name;  /**< Shown in the suite banner and summary. */
	int (*setup)(void);      /**< Optional; TEST_SKIPPED skips, failure fails every case. */
	void (*teardown)(void);  /**< Optional; runs only after a successful setup. */
	struct unit_test_case unit_test_cases[]; /**< Ended by TEST_CASES_END(). */
};

/**
 * Run a suite, print a line per case and a summary, add its case counts to
 * the running command's totals.
 *
 * @return
 *   TEST_FAILED if a case failed, TEST_SKIPPED if every case was skipped,
 *   TEST_SUCCESS otherwise.
 */
int unit_test_suite_runner(struct unit_test_suite *suite);

/**
 * Initialise EAL for the running command.
 *
 * Builds argv from the program name, a --file-prefix unique to the command
 * and process, quiet EAL log levels (unless VFBC_TEST_VERBOSE is set) and
 * the formatted, space separated arguments. The runner calls
 * rte_eal_cleanup() when the command ends.
 *
 * @return
 *   TEST_SUCCESS; TEST_SKIPPED after printing why, when the environment
 *   cannot run EAL (no hugepages, no permission); TEST_FAILED otherwise.
 */
int vfbc_test_eal_init(const char *fmt, ...) __rte_format_printf(1, 2);

/**
 * EAL arguments that a primary process of a sanitizer build needs, to add to
 * the command line of every primary a test starts (vfbc_test_eal_init() adds
 * them by itself).
 *
 * @return
 *   "--base-virtaddr=..." in an AddressSanitizer build, "" otherwise.
 */
const char *vfbc_test_eal_sanitizer_args(void);

/**
 * The LD_PRELOAD setting for a child that preloads lib (may be NULL): in an
 * AddressSanitizer build the ASan runtime must come first, before lib and
 * before any instrumented library of a program not built with ASan.
 *
 * @return
 *   0 with "LD_PRELOAD=..." in buf ("" when there is nothing to preload);
 *   -ENOTSUP if the ASan runtime is linked into vfbc-test (clang), so that
 *   it cannot be preloaded; -ENAMETOOLONG if buf is too small.
 */
int vfbc_test_ld_preload(char *buf, size_t size, const char *lib);

/** @return the world directory ($VFBC_WORLD) inside a world, NULL outside. */
const char *vfbc_test_world_dir(void);

/** @return the absolute path of the running vfbc-test binary. */
const char *vfbc_test_self_path(void);

/** @return the absolute path of the built vfbc-world (it may not exist). */
const char *vfbc_test_world_bin(void);

/** @return the name of the running command, NULL outside one. */
const char *vfbc_test_command_name(void);

/** A registered test command; filled in by the REGISTER_* macros. */
struct vfbc_test_command {
	TAILQ_ENTRY(vfbc_test_command) next;
	const char *name;       /**< Command name, as given on the command line. */
	int (*fn)(void);        /**< The command. */
	const char *world_opts; /**< vfbc-world options; NULL for a plain command. */
	const char *suite;      /**< Suite tag: "fast", "world", "mp", "perf"... */
	int hidden;             /**< Not listed nor run by --all/--suite. */
};

/** Add a command to the runner's list; called from constructors. */
void vfbc_test_register(struct vfbc_test_command *cmd);

#define VFBC_TEST_REGISTER_(cmd, func, opts, suite_tag, is_hidden) \
	static struct vfbc_test_command vfbc_test_cmd_##cmd = { \
		.name = RTE_STR(cmd), \
		.fn = func, \
		.world_opts = opts, \
		.suite = suite_tag, \
		.hidden = is_hidden, \
	}; \
	RTE_INIT(vfbc_test_register_##cmd) \
	{ \
		vfbc_test_register(&vfbc_test_cmd_##cmd); \
	}

/** Register `int func(void)` as command `cmd` (an identifier), suite "fast". */
#define REGISTER_TEST_COMMAND(cmd, func) \
	VFBC_TEST_REGISTER_(cmd, func, NULL, "fast", 0)

/** Same, with an explicit suite tag. */
#define REGISTER_TEST_COMMAND_SUITE(cmd, func, suite_tag) \
	VFBC_TEST_REGISTER_(cmd, func, NULL, suite_tag, 0)

/** Register a command run inside a fresh world built with `opts`, suite "world". */
#define REGISTER_WORLD_TEST_COMMAND(cmd, func, opts) \
	VFBC_TEST_REGISTER_(cmd, func, opts, "world", 0)

/** Same, with an explicit suite tag (e.g. "mp"). */
#define REGISTER_WORLD_TEST_COMMAND_SUITE(cmd, func, opts, suite_tag) \
	VFBC_TEST_REGISTER_(cmd, func, opts, suite_tag, 0)

/** A command run only when named: neither listed nor run by --all/--suite. */
#define REGISTER_HIDDEN_TEST_COMMAND(cmd, func) \
	VFBC_TEST_REGISTER_(cmd, func, NULL, "fast", 1)

/** A hidden world command. */
#define REGISTER_HIDDEN_WORLD_TEST_COMMAND(cmd, func, opts) \
	VFBC_TEST_REGISTER_(cmd, func, opts, "world", 1)

#endif /* _VFBC_TEST_H_ */
