/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * a VF process floods the PF's log with claims.
 *
 * "A VF cannot flood the PF's log" (vfbc_reliability.rst) holds for
 * requests (vfbc_pf_mbox_log_ok()), not for claims. vfbc_channel_claim_grant()
 * lets a claimer take the slot from a holder with its own pid ("holder !=
 * pid" skips the -EBUSY of a live holder), counts that as a takeover, and
 * logs it at NOTICE, unconditionally (vfbc_channel_claim.c, "claim of %d
 * taken over by %d"). A VF process with its own VF's device (a proof the PF
 * accepts) and two handles of the channel claims with each in turn: every
 * claim is a takeover from itself and one NOTICE line in the primary's log,
 * as fast as EAL's multi-process channel carries claims. Each also resets
 * the VF's rings and sets its resync.
 *
 * Expected: a handful of lines a second at most (the requests' limit is 5
 * a second). Observed: hundreds or thousands of lines a second.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "test.h"
#include "test_mp_common.h"

#define CL_VF		1
#define CL_MS		2000
#define START_MS	60000
#define CMD_MS		20000

static struct mp_world clw;

static unsigned int
cl_count(const char *text, const char *what)
{
	unsigned int n = 0;

	while (text != NULL && (text = strstr(text, what)) != NULL) {
		n++;
		text++;
	}
	return n;
}

static int
test_claims_flood_the_log(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	unsigned int n = 0, ok = 0, lines;
	char *text = NULL;
	FILE *log = NULL;
	size_t len;
	int ret = TEST_FAILED;

	if (mp_child_spawn(&c, "mp_hostile_vf", "--no-pci", NULL) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), START_MS) < 0 ||
	    mp_child_ret(&c, NULL, 0, CMD_MS, "claim %u", CL_VF) < 0) {
		printf("the VF process did not start holding VF %u's claim\n", CL_VF);
		goto out;
	}
	log = open_memstream(&text, &len);
	if (log == NULL || rte_openlog_stream(log) != 0)
		goto out;
	if (mp_child_cmd(&c, "claimloop", rest, sizeof(rest), CMD_MS + CL_MS,
			 "claimloop %u %u", CL_VF, CL_MS) < 0 ||
	    sscanf(rest, "n=%u ok=%u", &n, &ok) != 2) {
		printf("claimloop: \"%s\"\n", rest);
		goto out;
	}
	rte_openlog_stream(NULL);
	fflush(log);
	lines = cl_count(text, "taken over by");
	printf("%u claims (%u granted) in %u ms: %u \"taken over\" lines in the PF's log\n",
	       n, ok, CL_MS, lines);
	if (lines > (CL_MS / 1000 + 2) * 6) {
		printf("a VF process flooded the PF's log; its start:\n%.600s\n", text);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	rte_openlog_stream(NULL);
	if (log != NULL)
		fclose(log);
	free(text);
	if (c.pid > 0 && mp_child_send(&c, "quit") == 0)
		mp_child_expect(&c, "bye", NULL, 0, CMD_MS);
	/* Let it finish its EAL cleanup: killed in there, it may hold the heap lock. */
	if (c.pid > 0)
		mp_child_wait(&c, CMD_MS);
	mp_child_close(&c);
	return ret;
}

static int
cl_setup(void)
{
	return mp_world_start(&clw, "");
}

static struct unit_test_suite claim_log_suite = {
	.suite_name = "claims against the PF's log (a red-team finding)",
	.setup = cl_setup,
	.unit_test_cases = {
		TEST_CASE(test_claims_flood_the_log),
		TEST_CASES_END()
	}
};

static int
test_mp_claim_log(void)
{
	return unit_test_suite_runner(&claim_log_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_claim_log_autotest, test_mp_claim_log,
				  "--total-vfs 4", "mp");
