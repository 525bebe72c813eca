/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding on 52ac107 ("an empty vfbc_vf_poll() takes no lock"):
 * vfbc_vf_poll() of a port that ethdev released still polls.
 *
 * vfbc_vf_poll() no longer asks ethdev about the port (vfbc_vf_port_get():
 * the port's state, its ops, the adapter's magic): it takes the port's
 * state from a per-process table, vfbc_vf_fp_procs[port_id], which only
 * vfbc_vf_proc_new(), vfbc_vf_proc_free() and a close from a life callback
 * write. A port closed from its own invalidation callback is the documented
 * case the table misses (vfbc_pmd_vf.h: "rte_eth_dev_close() (-EDEADLK:
 * ethdev releases the port, but the VF state is left allocated)"):
 * vfbc_vf_dev_close() returns -EDEADLK before it frees anything, ethdev
 * releases the port all the same, and the table keeps pointing at the
 * state left allocated. Then:
 *
 * - vfbc_vf_poll() of the released port returns 0, and 1 with the mask of
 *   the next invalidation, calling the closed port's callbacks again; every
 *   other call of the API on the port says -ENODEV (vfbc_vf_get_info()),
 *   and so did vfbc_vf_poll() before 52ac107 (1a593ec);
 * - the port id, free again, goes to the next port probed: a port of
 *   another driver (net_null here), whose vfbc_vf_poll() then delivers the
 *   closed VF's invalidations, to its callbacks, with the id of the new
 *   port, instead of -ENODEV.
 *
 * Expected: -ENODEV from vfbc_vf_poll() on the released port and on the
 * other driver's port, no callback called after the close. Observed on
 * 52ac107: 0, then 1, the closed port's callback called again.
 *
 * Second command, vf_fp_red_tsan_autotest (fails under build-tsan only):
 * the lock-free poll reads proc->ch and proc->vf_id with no lock, after an
 * acquire of proc->claimed. vfbc_vf_mbox_release() "drains a poll in
 * flight" by taking poll_lock, which that poll never takes: a poll that
 * read the claim before the release may read proc->ch after it, while a
 * claim that follows a PF restart sets proc->ch to NULL
 * (vf_retire_channel()) and then to the new channel (vf_attach_channel()):
 * a NULL dereference in __vfbc_channel_poll_due(), or the wrong channel.
 * The lock-free path was taken back out (a poll takes the lock again); the
 * test stays, for any later fast path.
 * Before 52ac107 every read of proc->ch past the claim check was under
 * poll_lock, which release takes after it clears the claim. A thread that
 * polled (nothing pending) hands over to the main thread with no lock;
 * the main thread releases, restarts the PF, claims again: ThreadSanitizer
 * reports the race between the poll's read and vf_retire_channel()'s write.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define FP_VF		1
#define FP_BLOCK_BIT	UINT64_C(0x8)

static struct mp_world fpw;
static volatile int fp_cb_calls;
static volatile int fp_close_ret = INT32_MIN;

/* The application's "this VF is done": close the port from its callback. */
static void
fp_cb_close(uint16_t port_id, uint64_t mask __rte_unused, void *arg __rte_unused)
{
	fp_cb_calls++;
	if (fp_cb_calls == 1)
		fp_close_ret = rte_eth_dev_close(port_id);
}

static int
test_vf_poll_port_closed_from_its_callback(void)
{
	uint16_t p = fpw.vf_port[FP_VF], other;
	struct vfbc_vf_info info;
	uint64_t m = 0;
	int r_poll, r_poll2, r_info, r_other, calls;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim");
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(p, fp_cb_close, NULL),
			    "register");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(fpw.pf_port, FP_VF, FP_BLOCK_BIT),
			    "invalidate");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 1, "first poll");
	TEST_ASSERT_EQUAL(fp_cb_calls, 1, "callback calls %d", fp_cb_calls);
	printf("close from the port's own callback: %d (documented: -EDEADLK, the port "
	       "released)\n", fp_close_ret);
	TEST_ASSERT(!rte_eth_dev_is_valid_port(p), "ethdev did not release port %u", p);

	/* The released port: every call of the API says -ENODEV. */
	r_info = vfbc_vf_get_info(p, &info);
	r_poll = vfbc_vf_poll(p, &m);
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(fpw.pf_port, FP_VF, FP_BLOCK_BIT),
			    "invalidate again");
	m = 0;
	r_poll2 = vfbc_vf_poll(p, &m);
	calls = fp_cb_calls;
	printf("released port %u: vfbc_vf_get_info %d, vfbc_vf_poll %d, after an "
	       "invalidation %d (mask 0x%" PRIx64 "), callback calls %d\n",
	       p, r_info, r_poll, r_poll2, m, calls);
	if (r_poll != -ENODEV || r_poll2 != -ENODEV || calls != 1) {
		printf("FAIL: vfbc_vf_poll() of a released port polls (want -ENODEV, as "
		       "vfbc_vf_get_info() and 1a593ec)\n");
		ret = TEST_FAILED;
	}

	/* The id again, another driver's port. */
	TEST_ASSERT_SUCCESS(rte_vdev_init("net_null_fp0", NULL), "net_null");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_null_fp0", &other), "null port");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(fpw.pf_port, FP_VF, FP_BLOCK_BIT),
			    "invalidate a third time");
	m = 0;
	r_other = vfbc_vf_poll(other, &m);
	printf("net_null port %u (port %u's id %s): vfbc_vf_poll %d (mask 0x%" PRIx64 "), "
	       "callback calls %d\n", other, p, other == p ? "reused" : "not reused", r_other,
	       m, fp_cb_calls);
	if (r_other != -ENODEV || fp_cb_calls != calls) {
		printf("FAIL: vfbc_vf_poll() of a net_null port delivers the closed VF's "
		       "invalidations\n");
		ret = TEST_FAILED;
	}
	rte_eth_dev_close(other);
	rte_vdev_uninit("net_null_fp0");
	return ret;
}

static int
fp_setup(void)
{
	return mp_world_start(&fpw, "");
}

static void
fp_teardown(void)
{
	mp_world_close_vfs(&fpw);
}

static struct unit_test_suite fp_suite = {
	.suite_name = "vfbc_vf_poll() of a released port (a red-team finding on 52ac107)",
	.setup = fp_setup,
	.teardown = fp_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_poll_port_closed_from_its_callback),
		TEST_CASES_END()
	}
};

static int
test_vf_fp_red(void)
{
	return unit_test_suite_runner(&fp_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_fp_red_closed_port_autotest, test_vf_fp_red, "--total-vfs 4");

/* ---- vf_fp_red_tsan_autotest ---- */

#define FPT_VF		2
#define FPT_POLLS	20000

static struct mp_world fptw;
static uint16_t fpt_port;
static int fpt_done;		/* relaxed on purpose: nothing orders the threads but the driver */
static int fpt_bad;

/* A data-path thread: empty polls, then it stops polling. */
static void *
fpt_poller(void *arg __rte_unused)
{
	uint64_t m;
	int i, r;

	for (i = 0; i < FPT_POLLS; i++) {
		r = vfbc_vf_poll(fpt_port, &m);
		if (r != 0)
			__atomic_store_n(&fpt_bad, r < 0 ? r : 1000, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&fpt_done, 1, __ATOMIC_RELAXED);
	return NULL;
}

static int
test_vf_poll_vs_release_and_pf_restart(void)
{
	struct rte_eth_dev_info info;
	uint16_t pf;
	pthread_t t;
	uint64_t m = 0;
	int r;

	fpt_port = fptw.vf_port[FPT_VF];
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(fpt_port), "claim");
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, fpt_poller, NULL), "thread");
	while (!__atomic_load_n(&fpt_done, __ATOMIC_RELAXED))
		usleep(1000);
	printf("poller: %d empty polls (bad %d)\n", FPT_POLLS, fpt_bad);
	/* The control thread: give the VF up, restart the PF, claim again. */
	r = vfbc_vf_release(fpt_port);
	printf("release %d\n", r);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(fptw.pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "removing the PF");
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "probing the PF again");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &pf), "new PF port");
	r = vfbc_vf_claim(fpt_port);
	printf("claim after the PF's restart %d (ThreadSanitizer: a race on proc->ch here "
	       "is this finding)\n", r);
	TEST_ASSERT_SUCCESS(r, "claim after the restart");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, FPT_VF, 0x2), "invalidate");
	r = vfbc_vf_poll(fpt_port, &m);
	TEST_ASSERT(r == 1 && m == 0x2, "poll after the restart %d 0x%" PRIx64, r, m);
	pthread_join(t, NULL);
	TEST_ASSERT_EQUAL(fpt_bad, 0, "an empty poll returned %d", fpt_bad);
	return TEST_SUCCESS;
}

static int
fpt_setup(void)
{
	return mp_world_start(&fptw, "");
}

static void
fpt_teardown(void)
{
	mp_world_close_vfs(&fptw);
}

static struct unit_test_suite fpt_suite = {
	.suite_name = "lock-free poll vs release and PF restart (a red-team finding on 52ac107)",
	.setup = fpt_setup,
	.teardown = fpt_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_poll_vs_release_and_pf_restart),
		TEST_CASES_END()
	}
};

static int
test_vf_fp_red_tsan(void)
{
	return unit_test_suite_runner(&fpt_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_fp_red_tsan_autotest, test_vf_fp_red_tsan, "--total-vfs 4");
