/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The notify ring forced full, with a real VF secondary (mp_acct_vf) and
 * the accounting of test_mp_account.c.
 *
 * A consumer that pauses cannot fill the ring by itself: the PF enqueues a
 * doorbell only while the VF is armed, and the consumer re-arms only after
 * draining, so a paused consumer leaves at most one doorbell queued however
 * many invalidations pile up (the first phase checks exactly that). The
 * ring fills when the consumer re-arms without draining, as one that lags
 * behind its doorbells would; the second phase makes the VF process do
 * that (MPA_MODE_REARM) while the PF invalidates far more than the ring
 * holds, until the ring-full counter has gone up many times. Then the
 * consumer resumes: it must get every bit, with no phantom, and the ring
 * must be empty again and ring normally.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"

#define RF_WORLD_OPTS		"--total-vfs 4"
#define RF_VF			0
#define RF_PAUSED_CALLS		20000	/* far more than the ring's 63 slots */
#define RF_FULL_WANTED		1000	/* ring-full events to see in phase 2 */
#define RF_MAX_CALLS		2000000
#define RF_MAX_S		20
#define START_MS		60000
#define CMD_MS			30000

/* Doorbells queued, as the shared indexes say (read-only: the primary only looks). */
static unsigned int
rf_queued(const struct vfbc_ring_shm *r)
{
	int n;

	n = __vfbc_ring_count(r, __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE),
			      VFBC_CHANNEL_NOTIFY_RING_SIZE);
	return n < 0 ? UINT32_MAX : (unsigned int)n;
}

static int
rf_stats(uint16_t pf, struct vfbc_channel_stats *st)
{
	return vfbc_pf_mbox_stats(pf, RF_VF, st);
}

static int
test_mp_ring_full_loses_no_bit(void)
{
	struct vfbc_channel_stats st0, st1, st2, st3;
	char eal[256], env_lib[64], rest[MP_LINE_MAX];
	const char *env[] = { "MPA_AGENT=0", "MPA_GEN=0", "MPA_FAULT=none", NULL };
	struct vfbc_channel *ch = NULL;
	struct mpa_result r;
	struct mpa_world w;
	struct mpa_shm *m;
	struct mp_child a;
	struct vfbc_ring_shm *ring;
	uint64_t i, deadline, calls2 = 0;
	unsigned int cap, queued, mism, q0;
	int ret;

	memset(&a, 0, sizeof(a));
	a.pid = -1;
	a.to_fd = a.from_fd = -1;
	ret = mpa_world_start(&w, 128, "-l 0");
	if (ret != TEST_SUCCESS)
		return ret;
	m = mpa_create(w.nb_vfs, RF_MAX_CALLS + RF_PAUSED_CALLS + 1000,
		       RF_MAX_CALLS + RF_PAUSED_CALLS + 1000, 0, 0);
	TEST_ASSERT_NOT_NULL(m, "no accounting log");
	/* The primary reads the ring itself: its own handle on the channel. */
	ch = vfbc_channel_attach(MP_PF_NAME);
	TEST_ASSERT_NOT_NULL(ch, "cannot attach the channel in the primary");
	ring = __vfbc_channel_ring(ch, RF_VF, ch->notify_ring_off);
	cap = VFBC_CHANNEL_NOTIFY_RING_SIZE;

	ret = TEST_FAILED;
	if (mpa_agent_eal_args(&w, RF_VF, 1, 1, 1, eal, sizeof(eal), env_lib,
			       sizeof(env_lib)) < 0 || env_lib[0] != '\0' ||
			mp_child_spawn(&a, "mp_acct_vf", eal, env) < 0 ||
			mp_child_expect(&a, "ready", rest, sizeof(rest), START_MS) < 0) {
		printf("the VF process did not start\n");
		goto out;
	}

	/* Phase 1: paused consumer. Coalesced into pending, one doorbell at most. */
	if (mpa_set_mode(m, 0, MPA_MODE_HOLD, CMD_MS) < 0 || rf_stats(w.pf_port, &st0) < 0)
		goto out;
	q0 = rf_queued(ring);
	for (i = 0; i < RF_PAUSED_CALLS; i++)
		if (mpa_invalidate(m, w.pf_port, RF_VF, mpa_random_mask()) < 0)
			goto out;
	if (rf_stats(w.pf_port, &st1) < 0)
		goto out;
	printf("paused consumer: %u calls, doorbells +%" PRIu64 ", coalesced +%" PRIu64
	       ", ring full +%" PRIu64 ", queued %u of %u\n", RF_PAUSED_CALLS,
	       st1.doorbells - st0.doorbells, st1.coalesced - st0.coalesced,
	       st1.notify_ring_full - st0.notify_ring_full, rf_queued(ring), cap);
	if (st1.doorbells - st0.doorbells > 1 || st1.notify_ring_full != st0.notify_ring_full ||
			rf_queued(ring) > 1) {
		printf("a paused consumer got more than one doorbell queued\n");
		goto out;
	}

	/* Phase 2: re-armed without draining, the ring fills; keep going past full. */
	if (mpa_set_mode(m, 0, MPA_MODE_REARM, CMD_MS) < 0)
		goto out;
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * RF_MAX_S;
	do {
		for (i = 0; i < 1000; i++, calls2++)
			if (mpa_invalidate(m, w.pf_port, RF_VF, mpa_random_mask()) < 0)
				goto out;
		/* Let the re-arming process run on a busy machine. */
		usleep(50);
		if (rf_stats(w.pf_port, &st2) < 0)
			goto out;
	} while (st2.notify_ring_full - st1.notify_ring_full < RF_FULL_WANTED &&
		 calls2 < RF_MAX_CALLS && rte_get_timer_cycles() < deadline);
	queued = rf_queued(ring);
	printf("re-armed, not draining: %" PRIu64 " calls, doorbells +%" PRIu64
	       ", ring full +%" PRIu64 ", queued %u of %u\n", calls2,
	       st2.doorbells - st1.doorbells, st2.notify_ring_full - st1.notify_ring_full,
	       queued, cap);
	if (st2.notify_ring_full - st1.notify_ring_full < RF_FULL_WANTED || queued != cap) {
		printf("the notify ring was not forced full (%u of %u queued)\n", queued, cap);
		goto out;
	}
	/* Nothing drained since the pause: every doorbell since then is queued. */
	if (st2.doorbells - st0.doorbells != cap - q0) {
		printf("%" PRIu64 " doorbells enqueued since the pause with %u queued then, "
		       "the ring holds %u\n", st2.doorbells - st0.doorbells, q0, cap);
		goto out;
	}

	/* Phase 3: the consumer resumes; the ring drains and rings again. */
	if (mpa_set_mode(m, 0, MPA_MODE_RUN, CMD_MS) < 0)
		goto out;
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 10;
	while (rf_queued(ring) != 0 && rte_get_timer_cycles() < deadline)
		usleep(1000);
	if (rf_queued(ring) != 0) {
		printf("the resumed consumer left %u doorbells\n", rf_queued(ring));
		goto out;
	}
	for (i = 0; i < 1000; i++)
		if (mpa_invalidate(m, w.pf_port, RF_VF, mpa_random_mask()) < 0)
			goto out;
	if (mpa_set_mode(m, 0, MPA_MODE_DRAIN, CMD_MS) < 0 ||
			mp_child_expect(&a, "done", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "delivs=%*u polls=%*u cb_mismatch=%u", &mism) != 1 ||
			mism != 0) {
		printf("the VF process did not drain cleanly\n");
		goto out;
	}
	if (rf_stats(w.pf_port, &st3) < 0)
		goto out;
	if (st3.doorbells == st2.doorbells) {
		printf("no doorbell after the ring drained: the VF was not re-armed\n");
		goto out;
	}
	if (mp_child_send(&a, "quit") < 0 || mp_child_expect(&a, "bye", NULL, 0, CMD_MS) < 0 ||
			mp_child_wait(&a, CMD_MS) != 0) {
		printf("the VF process did not exit cleanly\n");
		goto out;
	}
	if (mpa_check(m, 0, &r) != 0) {
		mpa_print("ring full", &r);
		goto out;
	}
	mpa_print("ring full", &r);
	printf("ring full events %" PRIu64 ", doorbells %" PRIu64 ", coalesced %" PRIu64 "\n",
	       st3.notify_ring_full - st0.notify_ring_full, st3.doorbells - st0.doorbells,
	       st3.coalesced - st0.coalesced);
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a);
	vfbc_channel_free(ch);
	return ret;
}

static struct unit_test_suite mp_ring_full_suite = {
	.suite_name = "mp: notify ring forced full",
	.unit_test_cases = {
		TEST_CASE(test_mp_ring_full_loses_no_bit),
		TEST_CASES_END()
	}
};

static int
test_mp_ring_full(void)
{
	return unit_test_suite_runner(&mp_ring_full_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_ring_full_autotest, test_mp_ring_full, RF_WORLD_OPTS, "mp");
