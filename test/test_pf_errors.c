/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf PF API on bad input: the documented errno, and not one byte
 * of any function's config space changed. Includes calls from a secondary
 * process, which the PF API refuses.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

static uint16_t pf_port;
static struct test_pf_topo pf_topo;
static struct test_pf_snap pf_snap;

static int
test_pf_errors_setup(void)
{
	int ret;

	ret = test_pf_world_start(&pf_port, "--vdev net_null0");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "cannot read the PF's config file");
	TEST_ASSERT(pf_topo.num_vfs > 0, "the world has no VF enabled");
	return TEST_SUCCESS;
}

/* Each case: snapshot first, and every file must be the same at the end. */
static int
pf_case_setup(void)
{
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&pf_snap), "snapshot failed");
	return TEST_SUCCESS;
}

static void
pf_case_teardown(void)
{
	test_pf_snap_free(&pf_snap);
}

#define PF_ASSERT_UNCHANGED() \
	TEST_ASSERT_SUCCESS(test_pf_snap_check(&pf_snap), "a config file changed")

/* All the VF-addressed calls must fail with err, writing nothing. */
static int
pf_all_vf_calls_fail(uint16_t port, uint16_t vf, int err)
{
	uint8_t buf[8] = { 0x5a, 0xa5, 0x5a, 0xa5, 0x11, 0x22, 0x33, 0x44 };
	uint32_t bars[VFBC_PF_NUM_BARS];
	struct rte_pci_addr addr;
	uint16_t ven, dev;

	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(port, vf, buf, 0x40, 4), err,
			  "write VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(port, vf, buf, 0x40, 4), err,
			  "read VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(port, vf, buf, 0x40, 4), 0u,
			  "set bus data VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(port, vf, buf, 0x40, 4), 0u,
			  "get bus data VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_location(port, vf, &addr), err, "location VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_ids(port, vf, &ven, &dev), err, "ids VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_query_probed_bars(port, vf, bars), err, "bars VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_reset_vf(port, vf), err, "reset VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_power_state(port, vf, VFBC_PF_D3HOT, 0), err,
			  "power VF %u", vf);
	return TEST_SUCCESS;
}

static int
test_pf_vf_id_beyond_numvfs_is_einval(void)
{
	struct vfbc_pf_vf_info info;

	TEST_ASSERT_SUCCESS(pf_all_vf_calls_fail(pf_port, pf_topo.num_vfs, -EINVAL),
			    "VF id NumVFs");
	TEST_ASSERT_SUCCESS(pf_all_vf_calls_fail(pf_port, UINT16_MAX, -EINVAL),
			    "VF id 0xffff");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_info(pf_port, pf_topo.total_vfs, &info), -EINVAL,
			  "info beyond TotalVFs");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
test_pf_range_beyond_config_is_einval(void)
{
	static const uint32_t bad[][2] = {
		{ 4093, 4 }, { 0, 4097 }, { 4096, 1 }, { 4095, 2 },
		{ UINT32_MAX, 2 }, { 4, UINT32_MAX }, { UINT32_MAX - 1, 4 },
	};
	uint8_t *buf;
	unsigned int i;

	buf = calloc(1, 8192);
	TEST_ASSERT_NOT_NULL(buf, "no memory");
	memset(buf, 0xee, 8192);
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (vfbc_pf_write_vf_config(pf_port, 0, buf, bad[i][0], bad[i][1]) != -EINVAL ||
		    vfbc_pf_set_vf_bus_data(pf_port, 0, buf, bad[i][0], bad[i][1]) != 0 ||
		    vfbc_pf_read_vf_config(pf_port, 0, buf, bad[i][0], bad[i][1]) != -EINVAL) {
			free(buf);
			TEST_ASSERT(0, "offset 0x%x length %u accepted", bad[i][0], bad[i][1]);
		}
	}
	free(buf);
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
test_pf_length_zero_is_einval(void)
{
	uint8_t buf[4] = { 1, 2, 3, 4 };

	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(pf_port, 0, buf, 0x40, 0), -EINVAL, "write");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 0, buf, 0x40, 0), -EINVAL, "read");
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, buf, 0x40, 0), 0u, "set");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, 0, buf, 0x40, 0), 0u, "get");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
test_pf_null_pointer_is_einval(void)
{
	uint16_t id;

	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(pf_port, 0, NULL, 0x40, 4), -EINVAL, "write");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 0, NULL, 0x40, 4), -EINVAL, "read");
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, 0, NULL, 0x40, 4), 0u, "set");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, 0, NULL, 0x40, 4), 0u, "get");
	TEST_ASSERT_EQUAL(vfbc_pf_get_sriov_info(pf_port, NULL), -EINVAL, "sriov info");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_info(pf_port, 0, NULL), -EINVAL, "vf info");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_location(pf_port, 0, NULL), -EINVAL, "location");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_ids(pf_port, 0, NULL, &id), -EINVAL, "vendor");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_ids(pf_port, 0, &id, NULL), -EINVAL, "device");
	TEST_ASSERT_EQUAL(vfbc_pf_query_probed_bars(pf_port, 0, NULL), -EINVAL, "bars");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
test_pf_bad_power_request_is_einval(void)
{
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_power_state(pf_port, 0, 4, 0), -EINVAL, "D4");
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_power_state(pf_port, 0, UINT8_MAX, 0), -EINVAL,
			  "D255");
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_power_state(pf_port, 0, VFBC_PF_D0, 1), -EINVAL,
			  "wake in D0");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
pf_all_port_calls_fail(uint16_t port, int err)
{
	struct vfbc_pf_sriov_info sinfo;
	struct vfbc_pf_vf_info info;

	TEST_ASSERT_SUCCESS(pf_all_vf_calls_fail(port, 0, err), "VF calls");
	TEST_ASSERT_EQUAL(vfbc_pf_get_sriov_info(port, &sinfo), err, "sriov info");
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_info(port, 0, &info), err, "vf info");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(port), err, "vf count");
	TEST_ASSERT_EQUAL(vfbc_pf_enable_virtualization(port, 0), err, "enable 0");
	TEST_ASSERT_EQUAL(vfbc_pf_enable_virtualization(port, 1), err, "enable 1");
	return TEST_SUCCESS;
}

static int
test_pf_bad_port_is_enodev(void)
{
	uint16_t null_port;

	TEST_ASSERT_SUCCESS(pf_all_port_calls_fail(RTE_MAX_ETHPORTS, -ENODEV),
			    "port RTE_MAX_ETHPORTS");
	TEST_ASSERT_SUCCESS(pf_all_port_calls_fail(UINT16_MAX, -ENODEV), "port 0xffff");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_null0", &null_port),
			    "no net_null0 port");
	TEST_ASSERT_SUCCESS(pf_all_port_calls_fail(null_port, -ENODEV), "net_null port");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
test_pf_failures_are_counted(void)
{
	uint64_t einval0, enodev_free;
	uint8_t buf[4] = { 0 };

	einval0 = test_pf_xstat(pf_port, "vf_cfg_fail_einval");
	TEST_ASSERT(einval0 != UINT64_MAX, "no vf_cfg_fail_einval xstat");
	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(pf_port, 0, buf, 0, 0), -EINVAL, "len 0");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, pf_topo.num_vfs, buf, 0, 4),
			  -EINVAL, "vf id");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_fail_einval"), einval0 + 2,
			  "vf_cfg_fail_einval");
	enodev_free = test_pf_xstat(pf_port, "vf_cfg_writes");
	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(RTE_MAX_ETHPORTS, 0, buf, 0, 4), -ENODEV,
			  "bad port");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_writes"), enodev_free,
			  "a failed call counted as a write");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static int
test_pf_secondary_gets_e_rte_secondary(void)
{
	uint64_t before;
	int status;

	before = test_pf_xstat(pf_port, "vf_cfg_fail_secondary");
	TEST_ASSERT(before != UINT64_MAX, "no vf_cfg_fail_secondary xstat");
	status = test_pf_run_secondary("pf_secondary_helper");
	TEST_ASSERT_EQUAL(status, 0, "secondary process reported failure (%d)", status);
	/* The helper made 4 config calls; the counters are shared with it. */
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_fail_secondary"), before + 4,
			  "vf_cfg_fail_secondary");
	PF_ASSERT_UNCHANGED();
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_errors_suite = {
	.suite_name = "net_vfbc_pf PF API on bad input",
	.setup = test_pf_errors_setup,
	.unit_test_cases = {
		TEST_CASE_ST(pf_case_setup, pf_case_teardown,
			     test_pf_vf_id_beyond_numvfs_is_einval),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown,
			     test_pf_range_beyond_config_is_einval),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown, test_pf_length_zero_is_einval),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown, test_pf_null_pointer_is_einval),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown,
			     test_pf_bad_power_request_is_einval),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown, test_pf_bad_port_is_enodev),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown, test_pf_failures_are_counted),
		TEST_CASE_ST(pf_case_setup, pf_case_teardown,
			     test_pf_secondary_gets_e_rte_secondary),
		TEST_CASES_END()
	}
};

static int
test_pf_errors(void)
{
	return unit_test_suite_runner(&test_pf_errors_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_errors_autotest, test_pf_errors, "");

/*
 * Run by test_pf_secondary_gets_e_rte_secondary as a secondary process of
 * the primary whose file prefix it is given: every PF API call must return
 * -E_RTE_SECONDARY (0 for the NDIS flavour). Exit status 0 when they all do.
 */
static int
test_pf_secondary_helper(void)
{
	char prefix[160];
	char *argv[] = {
		(char *)(uintptr_t)"vfbc-test", (char *)(uintptr_t)"--proc-type=secondary",
		prefix, (char *)(uintptr_t)"--log-level=lib.eal:warning", NULL
	};
	struct vfbc_pf_sriov_info sinfo;
	struct vfbc_pf_vf_info info;
	const char *env;
	uint16_t port;
	int ret;

	env = getenv("VFBC_PF_TEST_FILE_PREFIX");
	if (env == NULL)
		TEST_SKIP("only run by pf_errors_autotest");
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", env);
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		printf("secondary rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	ret = TEST_FAILED;
	if (rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port) != 0) {
		printf("secondary: PF port not attached\n");
		goto out;
	}
	/* 4 config calls, counted as vf_cfg_fail_secondary by the primary's test. */
	if (pf_all_vf_calls_fail(port, 0, -E_RTE_SECONDARY) != TEST_SUCCESS ||
	    vfbc_pf_get_sriov_info(port, &sinfo) != -E_RTE_SECONDARY ||
	    vfbc_pf_get_vf_info(port, 0, &info) != -E_RTE_SECONDARY ||
	    vfbc_pf_vf_count(port) != -E_RTE_SECONDARY ||
	    vfbc_pf_enable_virtualization(port, 0) != -E_RTE_SECONDARY ||
	    test_pf_xstat(port, "vf_cfg_fail_secondary") == UINT64_MAX) {
		printf("secondary: a PF API call did not return -E_RTE_SECONDARY\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	rte_eal_cleanup();
	return ret;
}

REGISTER_HIDDEN_TEST_COMMAND(pf_secondary_helper, test_pf_secondary_helper);
