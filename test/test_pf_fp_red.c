/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * pf_fp_red_autotest: red team on 0c0cb2e (vfbc_pf_invalidate_config_blocks()
 * inline), 03b5dfb and 15781ca.
 *
 * Finding 1: vfbc-perf's driver instruction count (--instructions, the
 * "invalidate <= 60 instructions" target, the driver's "PF invalidate,
 * doorbell/coalescing path" rows) can no longer measure anything.
 * app/vfbc-perf/instr.c:339-343 runs vfbc-perf --single-process-invalidate
 * under callgrind with --toggle-collect=vfbc_pf_invalidate_config_blocks,
 * "a real function of the PF driver's library" (instr.c:10-19). Since
 * 0c0cb2e that function is static inline in vfbc_pmd_pf.h
 * (drivers/net/vfbc_pf/vfbc_pmd_pf.h:786): it is inlined into vfbc-perf's
 * loop (app/vfbc-perf/instr.c:133), no function of that name exists in the
 * process (the library exports vfbc_pf_invalidate_config_blocks_other()
 * instead), callgrind collects nothing (totals: 0) and the driver figures
 * become "no count of vfbc_pf_invalidate_config_blocks in callgrind's
 * output": not measured. Expected: the exact command vfbc-perf runs counts
 * the invalidate calls' instructions (> 0, as before 0c0cb2e); the tool
 * needs a noinline wrapper, as its channel level has
 * (vfbc_perf_inv_doorbell/vfbc_perf_inv_coalesce).
 *
 * Fixed: vfbc-perf calls the driver's invalidate through
 * vfbc_perf_inv_driver (noinline) and collects there; this test runs that
 * command. In the perf suite: valgrind cannot run a sanitized program.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#define RED_CALLS 200

/* "totals: N" of a callgrind output file; -1 when absent. */
static int64_t
red_callgrind_totals(const char *file)
{
	char line[512];
	int64_t v = -1;
	FILE *f;

	f = fopen(file, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "totals:", 7) == 0)
			v = strtoll(line + 7, NULL, 10);
	fclose(f);
	return v;
}

static int
test_perf_driver_instruction_count_measures(void)
{
	static const char *const paths[2] = { "doorbell", "coalesce" };
	char perf[PATH_MAX], out[] = "/tmp/red-pf-fp-callgrind-XXXXXX", cmd[3 * PATH_MAX];
	const char *world = vfbc_test_world_bin();
	const char *slash = strrchr(world, '/');
	int64_t ir;
	unsigned int p;
	int fd, rc;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	TEST_SKIP("valgrind cannot run a sanitized vfbc-perf");
#endif
	if (system("command -v valgrind >/dev/null 2>&1") != 0)
		TEST_SKIP("valgrind not installed");
	TEST_ASSERT(slash != NULL, "world binary path %s", world);
	snprintf(perf, sizeof(perf), "%.*s/vfbc-perf", (int)(slash - world), world);
	if (access(perf, X_OK) != 0)
		TEST_SKIP("vfbc-perf not built (%s)", perf);
	fd = mkstemp(out);
	TEST_ASSERT(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	for (p = 0; p < 2; p++) {
		/* What vfbc_perf_callgrind() runs for the driver level (app/vfbc-perf/instr.c). */
		snprintf(cmd, sizeof(cmd), "%s --total-vfs 1 -- valgrind --tool=callgrind -q "
			 "--callgrind-out-file=%s --toggle-collect=vfbc_perf_inv_driver "
			 "%s --single-process-invalidate %u --invalidate-path %s "
			 ">/dev/null 2>&1", world, out, perf, RED_CALLS + p, paths[p]);
		rc = system(cmd);
		ir = red_callgrind_totals(out);
		printf("driver %s path: run status %d, callgrind totals %" PRId64 " instructions "
		       "over %u calls\n", paths[p], rc, ir, RED_CALLS + p);
		if (rc != 0 || ir <= 0) {
			unlink(out);
			TEST_ASSERT(rc == 0, "the callgrind run failed: %d", rc);
			TEST_ASSERT(ir > 0, "FAIL: %s path: callgrind collected %" PRId64
				    " instructions in vfbc_perf_inv_driver: vfbc-perf's driver "
				    "instruction count is never measured", paths[p], ir);
		}
	}
	unlink(out);
	return TEST_SUCCESS;
}

static struct unit_test_suite red_suite = {
	.suite_name = "red team: the PF's inline invalidate (0c0cb2e)",
	.unit_test_cases = {
		TEST_CASE(test_perf_driver_instruction_count_measures),
		TEST_CASES_END()
	}
};

static int
test_pf_fp_red(void)
{
	return unit_test_suite_runner(&red_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_fp_red_autotest, test_pf_fp_red, "--total-vfs 1");
