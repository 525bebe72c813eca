/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * a VF port cannot recover its claim after its PF is hot-removed
 * and probed again (the PF driver restarted inside a running primary).
 *
 * The VF PMD attaches the PF's channel once (vf_attach(): "if (proc->ch !=
 * NULL) return 0") and keeps that handle, whose base address is the old
 * memzone's, for the port's life. When the PF port is removed its channel
 * memzone is freed (the memory goes back to the heap, zeroed, and is reused
 * by the next allocation); the PF probed again creates a new memzone with
 * the same name, elsewhere. Then:
 *
 * - every call on the VF port fails with -EPERM ("the claim ... is no longer
 *   this process's: calls return -EPERM until it claims again"), but
 *   vfbc_vf_claim() answers -EALREADY ("this process already holds the
 *   claim"), a claim it lost;
 * - after vfbc_vf_release(), vfbc_vf_claim() asks the NEW creator (found by
 *   name) for a grant -- which the new PF makes, naming this process the
 *   VF's consumer -- then checks the word in the OLD memory and fails
 *   (-EBUSY): the port can never consume the VF again, and the slot is now
 *   held, for the PF, by a process that cannot use it;
 * - the handle's reads (vfbc_vf_get_info()'s claim word) go to the freed,
 *   reused memory.
 *
 * Expected: after the PF's restart the VF port can claim again (the PMD
 * re-attaches when the memzone it holds is gone). Observed: -EALREADY, then
 * -EBUSY, and invalidations of the new PF never reach the port.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define RS_VF 1

static struct mp_world rsw;

static int
test_vf_port_after_pf_restart(void)
{
	uint16_t p = rsw.vf_port[RS_VF], pf;
	struct rte_eth_dev_info info;
	void *reuse;
	int32_t pid = 0;
	uint64_t m = 0;
	int r1, r2, r3, ret = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim");
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(rsw.pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "removing the PF");
	/* The freed channel memory is taken back by the next allocation. */
	reuse = rte_malloc("break_reuse", vfbc_channel_memsize(4), RTE_CACHE_LINE_SIZE);
	TEST_ASSERT_NOT_NULL(reuse, "allocation");
	memset(reuse, 0xa5, vfbc_channel_memsize(4));
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "probing the PF again");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &pf), "new PF port");

	r1 = vfbc_vf_poll(p, &m);
	r2 = vfbc_vf_claim(p);
	printf("after the PF's restart: poll %d, claim %d%s\n", r1, r2,
	       r2 == -EALREADY ? " (-EALREADY: \"already holds the claim\")" : "");
	if (r2 == -EALREADY) {
		ret = TEST_FAILED;
		vfbc_vf_release(p);
		r2 = vfbc_vf_claim(p);
		vfbc_pf_vf_consumer(pf, RS_VF, &pid);
		printf("released, claimed again: %d; the new PF names pid %d (this process: %d) "
		       "VF %u's consumer\n", r2, (int)pid, (int)getpid(), RS_VF);
	}
	if (r2 != 0) {
		ret = TEST_FAILED;
	} else {
		TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, RS_VF, 0x4), "invalidate");
		r3 = vfbc_vf_poll(p, &m);
		if (r3 != 1 || m != 0x4) {
			printf("the new PF's invalidation did not reach the port: %d 0x%" PRIx64
			       "\n", r3, m);
			ret = TEST_FAILED;
		}
	}
	rte_free(reuse);
	return ret;
}

static int
rs_setup(void)
{
	return mp_world_start(&rsw, "");
}

static void
rs_teardown(void)
{
	unsigned int i;

	for (i = 0; i < rsw.nb_vfs; i++)
		rte_eth_dev_close(rsw.vf_port[i]);
}

static struct unit_test_suite pf_restart_suite = {
	.suite_name = "a VF port across its PF's restart (a red-team finding)",
	.setup = rs_setup,
	.teardown = rs_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_port_after_pf_restart),
		TEST_CASES_END()
	}
};

static int
test_vf_pf_restart(void)
{
	return unit_test_suite_runner(&pf_restart_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_pf_restart_autotest, test_vf_pf_restart, "--total-vfs 4");
