/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "test.h"

/* vfbc_test_eal_init() boots a single-process EAL that needs no hugepages. */

static int
eal_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
test_eal_is_primary_without_hugepages_or_pci(void)
{
	TEST_ASSERT_EQUAL(rte_eal_process_type(), RTE_PROC_PRIMARY, "not a primary process");
	TEST_ASSERT_EQUAL(rte_eal_has_hugepages(), 0, "--no-huge ignored");
	TEST_ASSERT_EQUAL(rte_eal_has_pci(), 0, "--no-pci ignored");
	TEST_ASSERT(rte_lcore_count() >= 1, "no lcore");
	return TEST_SUCCESS;
}

static int
test_eal_memory_is_usable(void)
{
	const struct rte_memzone *mz;
	char *p;

	p = rte_zmalloc("vfbc_test", 4096, 0);
	TEST_ASSERT_NOT_NULL(p, "rte_zmalloc failed");
	memset(p, 0xa5, 4096);
	rte_free(p);

	mz = rte_memzone_reserve("vfbc_test_mz", 4096, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "rte_memzone_reserve failed");
	TEST_ASSERT(rte_memzone_lookup("vfbc_test_mz") == mz, "memzone lookup mismatch");
	TEST_ASSERT_SUCCESS(rte_memzone_free(mz), "rte_memzone_free failed");
	TEST_ASSERT_NULL(rte_memzone_lookup("vfbc_test_mz"), "freed memzone still found");
	return TEST_SUCCESS;
}

static int
test_eal_runtime_dir_is_unique_to_command(void)
{
	char prefix[128];
	const char *dir;

	dir = rte_eal_get_runtime_dir();
	snprintf(prefix, sizeof(prefix), "/vfbc-%s-%d", vfbc_test_command_name(), (int)getpid());
	TEST_ASSERT_NOT_NULL(strstr(dir, prefix), "runtime dir %s lacks %s", dir, prefix);
	return TEST_SUCCESS;
}

static int
test_eal_logs_are_quiet_unless_verbose(void)
{
	int level;

	if (getenv("VFBC_TEST_VERBOSE") != NULL)
		TEST_SKIP("VFBC_TEST_VERBOSE is set");
	level = rte_log_get_level(RTE_LOGTYPE_EAL);
	TEST_ASSERT_EQUAL(level, (int)RTE_LOG_WARNING, "EAL log level %d", level);
	return TEST_SUCCESS;
}

static int
test_eal_second_init_is_refused(void)
{
	int ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	TEST_ASSERT_EQUAL(ret, TEST_FAILED, "second EAL init returned %d", ret);
	return TEST_SUCCESS;
}

static struct unit_test_suite runner_eal_suite = {
	.suite_name = "runner EAL boot",
	.setup = eal_setup,
	.unit_test_cases = {
		TEST_CASE(test_eal_is_primary_without_hugepages_or_pci),
		TEST_CASE(test_eal_memory_is_usable),
		TEST_CASE(test_eal_runtime_dir_is_unique_to_command),
		TEST_CASE(test_eal_logs_are_quiet_unless_verbose),
		TEST_CASE(test_eal_second_init_is_refused),
		TEST_CASES_END()
	}
};

static int
test_runner_eal(void)
{
	return unit_test_suite_runner(&runner_eal_suite);
}

REGISTER_TEST_COMMAND(runner_eal_autotest, test_runner_eal);
