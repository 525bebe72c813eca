/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-testpmd as a secondary process beside a vfbc-testpmd primary: the
 * port commands work on the primary's ports, every PF command says it is
 * for the primary only and changes nothing in the world, and the primary
 * carries on afterwards.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "test_testpmd_session.h"

#define TP_PF		"0000:01:00.0"
#define TP_WORLD_OPTS	"--pf " TP_PF " --total-vfs 8"

static struct tp_topo tp_topo;

static int
tp_secondary_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not in an emulated world (run it through vfbc-test)");
	TEST_ASSERT_SUCCESS(tp_topo_read(TP_PF, &tp_topo), "cannot read the world's PF");
	TEST_ASSERT(tp_topo.num_vfs >= 2, "the world has fewer than 2 VFs");
	return TEST_SUCCESS;
}

static void
tp_add_primary_only(struct tp_script *sc, const char *what, const char *cmd)
{
	char line[TP_LINE_MAX];

	snprintf(line, sizeof(line), "Error: %s: only in the primary process", what);
	tp_add(sc, line, "%s", cmd);
}

static int
test_testpmd_secondary_refuses_pf_commands(void)
{
	struct tp_snap *before, *after;
	struct tp_session primary;
	struct tp_session secondary;
	static struct tp_script sc;
	char line[TP_LINE_MAX];
	char *block;
	int ret;

	memset(&sc, 0, sizeof(sc));
	tp_add(&sc, "Driver name: net_vfbc_pf", "show port info 0");
	tp_add(&sc, "Device name: " TP_PF, "show port info all");
	tp_add(&sc, "  RX-errors: 0", "show port stats 0");
	tp_add(&sc, "rx_good_packets: 0", "show port xstats 0");
	tp_add_primary_only(&sc, "show vf list", "show vf list 0");
	tp_add_primary_only(&sc, "show vf sriov", "show vf sriov 0");
	tp_add_primary_only(&sc, "show vf location", "show vf location 0 1");
	tp_add_primary_only(&sc, "show vf probed-bars", "show vf probed-bars 0 1");
	tp_add_primary_only(&sc, "show vf bus-data", "show vf bus-data 0 1 0 4");
	tp_add_primary_only(&sc, "set vf bus-data", "set vf bus-data 0 1 0xa0 1 2");
	tp_add_primary_only(&sc, "set vf num", "set vf num 0 0");
	tp_add_primary_only(&sc, "set vf power", "set vf power 0 1 d3hot");
	tp_add_primary_only(&sc, "reset vf", "reset vf 0 1");
	tp_add_primary_only(&sc, "set vf config-block", "set vf config-block 0 1 3 1 2");
	tp_add_primary_only(&sc, "show vf config-block", "show vf config-block 0 1 3");
	tp_add_primary_only(&sc, "invalidate vf config-block", "invalidate vf config-block 0 1 1");
	tp_add_primary_only(&sc, "invalidate vf config-block",
			"invalidate vf config-block 0 all 1");
	tp_add_primary_only(&sc, "set vf request-verdict", "set vf request-verdict 0 reject");

	before = NULL;
	after = NULL;
	ret = TEST_FAILED;
	memset(&secondary, 0, sizeof(secondary));
	secondary.pid = secondary.in_fd = secondary.out_fd = -1;
	/* The primary is up once it answered a first command. */
	if (tp_session_start(&primary, tp_eal_args(0), "") < 0 ||
			tp_session_send(&primary, "show port info 0") < 0 ||
			tp_session_wait_line(&primary, "Driver name: net_vfbc_pf", 60) < 0) {
		printf("primary did not start:\n%s", primary.out != NULL ? primary.out : "");
		goto out;
	}
	before = tp_snap_take(&tp_topo);
	if (before == NULL)
		goto out;
	if (tp_script_run(&secondary, &sc, tp_eal_args(1), "") != TEST_SUCCESS)
		goto out;
	after = tp_snap_take(&tp_topo);
	if (after == NULL || tp_snap_compare(before, after) != 0) {
		printf("the secondary changed the world\n");
		goto out;
	}

	/* The primary still serves the PF. */
	if (tp_session_send(&primary, "show vf list 0") < 0 ||
			tp_session_send(&primary, "quit") < 0 ||
			tp_session_finish(&primary, 60) != 0) {
		printf("primary failed after the secondary:\n%s", primary.out);
		goto out;
	}
	snprintf(line, sizeof(line), "Port 0 (PF %s): %u of %u VFs enabled", TP_PF,
			tp_topo.num_vfs, tp_topo.total_vfs);
	block = tp_session_block(&primary, 1);
	if (block == NULL || !tp_has_line(block, line) || tp_error_lines(block) != 0) {
		printf("primary: expected \"%s\" in:\n%s", line, primary.out);
		free(block);
		goto out;
	}
	free(block);
	ret = TEST_SUCCESS;
out:
	free(before);
	free(after);
	tp_session_free(&secondary);
	tp_session_free(&primary);
	return ret;
}

static struct unit_test_suite testpmd_secondary_suite = {
	.suite_name = "vfbc-testpmd secondary beside a primary",
	.setup = tp_secondary_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE(test_testpmd_secondary_refuses_pf_commands),
		TEST_CASES_END(),
	},
};

static int
test_testpmd_secondary(void)
{
	return unit_test_suite_runner(&testpmd_secondary_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(testpmd_secondary_autotest, test_testpmd_secondary,
		TP_WORLD_OPTS, "mp");
