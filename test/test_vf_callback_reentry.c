/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * re-entrancy of the VF PMD's invalidation callbacks.
 *
 * vfbc_pmd_vf.h says an invalidation callback "may call any function of this
 * API except vfbc_vf_poll() on the same port". But vfbc_vf_mbox_poll() calls
 * the callbacks (vf_deliver) with proc->poll_lock held, and
 * vfbc_vf_mbox_release() takes proc->ctrl_lock and then proc->poll_lock
 * ("wait out a poll in progress"):
 *
 * - self: a callback that calls vfbc_vf_release() on its port spins forever
 *   on the poll_lock its own thread holds (a one-thread deadlock);
 * - abba: a callback that re-reads its block (vfbc_vf_read_config_block(),
 *   what the callback is for; it takes ctrl_lock) while another thread of the
 *   process releases the claim or closes the port (ctrl_lock, then
 *   poll_lock): each thread holds the lock the other waits for, forever.
 *
 * Expected: both calls return (vfbc_vf_release() from a callback: 0 or a
 * documented error; the read: the block or -EPERM). Observed on the current
 * code: the polling thread never returns (both cases), and in the abba case
 * the releasing thread neither.
 *
 * Each case runs in a primary of its own (hidden command
 * vf_cb_primary), which this test kills when it hangs.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define CB_VF		1
#define CB_HANG_MS	5000

static struct mp_world cbw;
static volatile int cb_entered;
static volatile int cb_ret = INT32_MIN;

/* The main thread said "entered": the poller may say "polled". */
static int cb_entered_sent;

/* "self": the callback releases the claim of its own port. */
static void
cb_release_self(uint16_t port_id, uint64_t mask __rte_unused, void *arg __rte_unused)
{
	cb_entered = 1;
	cb_ret = vfbc_vf_release(port_id);
}

/*
 * "pwait": the callback waits for the next invalidation on its port, which
 * only its own poll (holding the poll lock) could deliver: -EDEADLK at
 * once, not a wait of forever.
 */
static void
cb_poll_wait(uint16_t port_id, uint64_t mask __rte_unused, void *arg __rte_unused)
{
	uint64_t m;

	cb_entered = 1;
	cb_ret = vfbc_vf_poll_wait(port_id, &m, 1000, -1);
}

/* "abba": the callback re-reads its block once the main thread is releasing. */
static void
cb_reread(uint16_t port_id, uint64_t mask __rte_unused, void *arg __rte_unused)
{
	uint8_t buf[VFBC_VF_BLOCK_SIZE];

	cb_entered = 1;
	/* Let the other thread get into vfbc_vf_release() (ctrl_lock, poll_lock). */
	rte_delay_us_sleep(200 * 1000);
	cb_ret = vfbc_vf_read_config_block(port_id, 3, buf, sizeof(buf));
}

static void *
cb_poller(void *arg __rte_unused)
{
	uint64_t m = 0;
	int ret;

	ret = vfbc_vf_poll(cbw.vf_port[CB_VF], &m);
	/* The test reads "entered" first: a callback that returns at once is no hang. */
	while (!__atomic_load_n(&cb_entered_sent, __ATOMIC_ACQUIRE))
		usleep(1000);
	mp_agent_send("polled %d mask=0x%" PRIx64 " cb=%d", ret, m, cb_ret);
	return NULL;
}

static int
vf_cb_primary(void)
{
	const char *which = mp_agent_env("BREAK_CASE");
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint16_t p;
	pthread_t t;
	int ret;

	ret = mp_world_start(&cbw, "");
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error world %d", ret);
		return ret;
	}
	p = cbw.vf_port[CB_VF];
	if (which == NULL || vfbc_vf_claim(p) != 0 ||
	    vfbc_pf_write_config_block(cbw.pf_port, CB_VF, 3, data, sizeof(data)) != 0 ||
	    vfbc_vf_invalidate_callback_register(p, strcmp(which, "self") == 0 ?
			cb_release_self : strcmp(which, "pwait") == 0 ? cb_poll_wait : cb_reread,
			NULL) != 0 ||
	    vfbc_pf_invalidate_config_blocks(cbw.pf_port, CB_VF, 0x8) != 0) {
		mp_agent_send("error setup");
		return TEST_FAILED;
	}
	if (pthread_create(&t, NULL, cb_poller, NULL) != 0) {
		mp_agent_send("error thread");
		return TEST_FAILED;
	}
	while (!cb_entered)
		usleep(1000);
	mp_agent_send("entered");
	__atomic_store_n(&cb_entered_sent, 1, __ATOMIC_RELEASE);
	if (strcmp(which, "abba") == 0) {
		/* What the application's main thread does: give the VF up, or close it. */
		ret = vfbc_vf_release(p);
		mp_agent_send("released %d", ret);
	}
	pthread_join(t, NULL);
	rte_eth_dev_close(p);
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(vf_cb_primary, vf_cb_primary);

static int
cb_case(const char *which)
{
	char env[64], rest[MP_LINE_MAX];
	const char *envp[2] = { env, NULL };
	struct mp_child c;
	int ret = TEST_FAILED;

	if (vfbc_test_world_dir() == NULL)
		return TEST_SKIPPED;
	snprintf(env, sizeof(env), "BREAK_CASE=%s", which);
	TEST_ASSERT_SUCCESS(mp_child_spawn_primary(&c, "vf_cb_primary", envp), "spawn");
	if (mp_child_expect(&c, "entered", rest, sizeof(rest), 60000) < 0) {
		printf("%s: the callback was not called\n", which);
		goto out;
	}
	if (mp_child_expect(&c, "polled", rest, sizeof(rest), CB_HANG_MS) < 0) {
		printf("%s: vfbc_vf_poll() did not return in %u s: the callback's call "
		       "deadlocked\n", which, CB_HANG_MS / 1000);
		goto out;
	}
	printf("%s: polled %s\n", which, rest);
	snprintf(env, sizeof(env), "cb=%d", -EDEADLK);
	if (strcmp(which, "pwait") == 0 && strstr(rest, env) == NULL) {
		printf("%s: the callback's wait did not return -EDEADLK\n", which);
		goto out;
	}
	if (mp_child_wait(&c, 30000) != 0) {
		printf("%s: the primary did not end cleanly\n", which);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&c);
	return ret;
}

/* The documented "any function of this API": vfbc_vf_release() on its port. */
static int
test_vf_cb_releases_its_claim(void)
{
	return cb_case("self");
}

/* The callback waits on its own port (vfbc_vf_poll_wait(), no timeout). */
static int
test_vf_cb_poll_waits_on_its_port(void)
{
	return cb_case("pwait");
}

/* The callback re-reads its block while another thread releases the claim. */
static int
test_vf_cb_reread_vs_release(void)
{
	return cb_case("abba");
}

static struct unit_test_suite vf_cb_suite = {
	.suite_name = "VF invalidation callbacks calling the API (a red-team finding)",
	.unit_test_cases = {
		TEST_CASE(test_vf_cb_releases_its_claim),
		TEST_CASE(test_vf_cb_poll_waits_on_its_port),
		TEST_CASE(test_vf_cb_reread_vs_release),
		TEST_CASES_END()
	}
};

static int
test_vf_callback_reentry(void)
{
	return unit_test_suite_runner(&vf_cb_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(vf_callback_reentry_autotest, test_vf_callback_reentry,
				  "--total-vfs 4", "mp");
