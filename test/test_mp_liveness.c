/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A VF process and its primary: never declared dead on a false answer,
 * never hung by what a dead consumer left in its rings.
 *
 * - EAL's primary liveness check (rte_eal_primary_proc_alive(), which is
 *   not thread-safe) gives one false "dead" answer, injected by a
 *   preloaded shim: the VF process still claims, polls and is answered,
 *   and in fact never asks EAL (the VF PMD watches the primary's pidfd).
 * - A consumer killed with its request ring indexes torn (the producer
 *   index moved past records it never wrote): the next VF process takes
 *   the claim over and its first request is answered, within its timeout.
 *
 * (On fb8986c: the first false answer latched -ENOTCONN for good, here at
 * the claim made at probe; and a request ring left with prod.head !=
 * prod.tail hung the next process's first request forever.)
 */

#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_fault_shims.h"
#include "test_mp_common.h"

#define LIVE_WORLD_OPTS		"--total-vfs 4"
#define START_MS		60000
#define CMD_MS			10000

static struct mp_world w;

static int
live_setup(void)
{
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs >= 2, "the world has %u VFs, want 2", w.nb_vfs);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	return TEST_SUCCESS;
}

static void
live_teardown(void)
{
	mp_pf_server_stop();
}

/* A VF process through its PMD on VF vf (env: extra variables, or NULL). */
static int
vf_process_start(struct mp_child *c, unsigned int vf, const char * const *env)
{
	char eal[64], rest[MP_LINE_MAX];
	unsigned int port, id;
	int claimed, pid;

	snprintf(eal, sizeof(eal), "-a %s", w.vf_name[vf]);
	if (mp_child_spawn(c, "mp_vf_agent", eal, env) < 0 ||
			mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) < 0 ||
			sscanf(rest, "port=%u vf=%u claimed=%d pid=%d", &port, &id, &claimed,
			       &pid) != 4 || id != vf || !claimed) {
		printf("the VF process of VF %u did not start holding its claim: \"%s\"\n", vf,
		       rest);
		return -1;
	}
	return 0;
}

static int
test_mp_liveness_one_false_answer_changes_nothing(void)
{
	char preload[PATH_MAX + 64];
	const char *env[] = { preload, "VFBC_FAULT_ALIVE_FALSE_AT=1", NULL };
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t cb, pm;
	unsigned int calls, n;
	int r, calls_seen, ret = TEST_FAILED;

	if (vfbc_test_ld_preload(preload, sizeof(preload), VFBC_TEST_FAULT_ALIVE) < 0)
		TEST_SKIP("the liveness shim cannot be preloaded into this build's secondaries"
			  " (the ASan runtime is linked in)");
	if (vf_process_start(&c, 1, env) < 0)
		goto out;
	for (n = 0; n < 20; n++) {
		if (vfbc_pf_invalidate_config_blocks(w.pf_port, 1, UINT64_C(1) << n) != 0 ||
				mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS,
					     "poll 2000 %" PRIx64, UINT64_C(1) << n) < 0 ||
				sscanf(rest, "%" SCNx64 " %" SCNx64 " %u %d", &cb, &pm, &calls,
				       &r) != 4 || cb != UINT64_C(1) << n || r < 0) {
			printf("delivery %u: \"%s\"\n", n, rest);
			goto out;
		}
		r = mp_child_ret(&c, NULL, 0, CMD_MS, "rbus 0 4 2000");
		if (r != 4) {
			printf("request %u: %d\n", n, r);
			goto out;
		}
	}
	if (mp_child_cmd(&c, "faultcalls", rest, sizeof(rest), CMD_MS, "faultcalls") < 0 ||
			sscanf(rest, "%d", &calls_seen) != 1 || calls_seen < 0) {
		printf("the fault shim was not loaded: \"%s\"\n", rest);
		goto out;
	}
	printf("EAL's liveness check called %d times by the VF process\n", calls_seen);
	if (calls_seen != 0) {
		printf("the VF PMD still asks EAL whether the primary lives\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int
test_mp_liveness_takeover_repairs_a_torn_ring(void)
{
	struct mp_child c[2]; /* the consumer killed, its successor */
	struct vfbc_channel *ch = NULL;
	struct vfbc_ring_shm *r;
	char rest[MP_LINE_MAX];
	uint64_t t0, ms;
	uint32_t cons;
	int v, ret = TEST_FAILED;

	memset(c, 0, sizeof(c));
	c[0].pid = c[1].pid = -1;
	if (mp_child_spawn(&c[0], "mp_lib_vf", "--no-pci", NULL) < 0 ||
			mp_child_expect(&c[0], "ready", rest, sizeof(rest), START_MS) < 0 ||
			mp_child_ret(&c[0], NULL, 0, CMD_MS, "claim 1") < 0) {
		printf("the first consumer did not start\n");
		goto out;
	}
	/* What it leaves when killed mid-post: an index past records never written. */
	ch = vfbc_channel_attach(MP_PF_NAME);
	TEST_ASSERT_NOT_NULL(ch, "attach: %s", rte_strerror(rte_errno));
	r = __vfbc_channel_ring(ch, 1, ch->req_ring_off);
	cons = __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
	memset(r + 1, 0xa5, VFBC_CHANNEL_REQ_RING_SIZE * sizeof(struct vfbc_channel_req));
	__atomic_store_n(&r->prod, cons + 0x7777, __ATOMIC_RELEASE);
	mp_child_kill(&c[0], SIGKILL);
	mp_child_close(&c[0]);

	if (vf_process_start(&c[1], 1, NULL) < 0)
		goto out;
	t0 = rte_get_timer_cycles();
	if (mp_child_send(&c[1], "rbus 0 4 1000") < 0 ||
			mp_child_expect(&c[1], "ret", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d", &v) != 1) {
		printf("the successor's first request did not return\n");
		goto out;
	}
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	printf("the successor's first request: %d in %" PRIu64 " ms\n", v, ms);
	if (v != 4) {
		printf("the successor's first request was not answered\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	vfbc_channel_free(ch);
	mp_life_agent_quit(&c[1]);
	mp_child_close(&c[0]);
	return ret;
}

static struct unit_test_suite mp_liveness_suite = {
	.suite_name = "mp: VF processes are not declared dead, nor hung, by mistake",
	.setup = live_setup,
	.teardown = live_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mp_liveness_one_false_answer_changes_nothing),
		TEST_CASE(test_mp_liveness_takeover_repairs_a_torn_ring),
		TEST_CASES_END()
	}
};

static int
test_mp_liveness(void)
{
	return unit_test_suite_runner(&mp_liveness_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_liveness_autotest, test_mp_liveness, LIVE_WORLD_OPTS,
				  "mp");
