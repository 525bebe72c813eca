/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team findings on bd22b5f ("vfbc_vf_poll() inline through a per-port
 * fast-path table"). Each case fails on bd22b5f.
 *
 * vf_fp_red2_stale_close_autotest: a port closed from one of its life-event
 * callbacks keeps its state (proc) until the life watch frees it after the
 * callback returns (vf_life_free() -> vfbc_vf_mbox_uninit() ->
 * vfbc_vf_mbox_release() -> vfbc_vf_fp_publish()). That publish is of a
 * closed proc (fp_closed), so it stores an empty entry, but it stores it at
 * vfbc_vf_fp_ports[proc->port_id]: an id ethdev released at the close and
 * may have handed to the next port probed. Meanwhile the application
 * probed another VF, which got the same id, and claimed it: its entry
 * holds its channel. The closed port's late publish empties the new port's
 * entry (vfbc_vf_fp.c vf_fp_store(): no check that the entry is still this
 * proc's; fp_lock is per proc, so it does not even order the two stores:
 * a (new channel, VF 0) pair can come out too). The new port then holds its
 * claim with an empty entry: every empty poll goes into the driver
 * (vfbc_vf_poll_deliver()), the thing the table exists to avoid, until its
 * next claim or release; vf_fp_autotest's invariant ("the entry holds the
 * claim's channel exactly while this process holds the claim") is broken.
 *
 * Expected: a port's entry is written only by the port's own (live) state;
 * the new port's entry keeps its channel. Observed on bd22b5f: emptied.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define R2_VF_OLD	1	/* closed from its life callback */
#define R2_VF_NEW	2	/* probed again meanwhile: takes the old one's id */

static struct mp_world r2w;

static volatile int r2_closed;		/* the callback closed its port */
static volatile int r2_close_ret = INT32_MIN;
static volatile int r2_go;		/* the test thread is done: the callback returns */

static int
r2_life_cb(uint16_t port_id, enum rte_eth_event_type type __rte_unused, void *arg __rte_unused,
	   void *ret_param __rte_unused)
{
	int i;

	if (r2_closed)
		return 0;
	/* The application's "this VF is done": close the port from its life callback. */
	r2_close_ret = rte_eth_dev_close(port_id);
	__atomic_store_n(&r2_closed, 1, __ATOMIC_RELEASE);
	/* Stay in the callback while the application probes and claims another VF. */
	for (i = 0; i < 10000 && !__atomic_load_n(&r2_go, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	return 0;
}

static const struct vfbc_channel *
r2_entry(uint16_t port, uint16_t *vf_id)
{
	*vf_id = __atomic_load_n(&vfbc_vf_fp_ports[port].vf_id, __ATOMIC_RELAXED);
	return __atomic_load_n(&vfbc_vf_fp_ports[port].ch, __ATOMIC_ACQUIRE);
}

static int
test_vf_fp_stale_close_empties_new_port(void)
{
	uint16_t p = r2w.vf_port[R2_VF_OLD], q = r2w.vf_port[R2_VF_NEW], n, vf_id;
	const struct vfbc_channel *ch_before, *ch_after;
	struct rte_eth_dev_info info;
	struct vfbc_vf_info vi;
	uint64_t m;
	int i, r;

	TEST_ASSERT(p < q, "ports %u %u: the new port must take the old one's id", p, q);
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim the old VF");
	while (vfbc_vf_poll(p, &m) == 1)
		;
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(p, RTE_ETH_EVENT_INTR_LSC, r2_life_cb,
							  NULL), "LSC callback");
	TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(p, RTE_ETH_EVENT_INTR_RESET,
							  r2_life_cb, NULL), "RESET callback");
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(q, &info), "info of the VF to probe again");

	/* A life event of the old port: D3hot (LSC, the claim stays). */
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(r2w.pf_port, R2_VF_OLD, 3, 0), "D3hot");
	for (i = 0; i < 5000 && !__atomic_load_n(&r2_closed, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	TEST_ASSERT(r2_closed, "no life callback on port %u", p);
	printf("old port %u closed from its life callback: %d\n", p, r2_close_ret);

	/* Meanwhile: another VF probed again (it gets the free id) and claimed. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(q), "close port %u", q);
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "remove %s", r2w.vf_name[R2_VF_NEW]);
	TEST_ASSERT_SUCCESS(rte_dev_probe(r2w.vf_name[R2_VF_NEW]), "probe %s",
			    r2w.vf_name[R2_VF_NEW]);
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(r2w.vf_name[R2_VF_NEW], &n), "new port");
	printf("%s probed again as port %u (the closed port's id: %s)\n", r2w.vf_name[R2_VF_NEW],
	       n, n == p ? "yes" : "no");
	TEST_ASSERT_EQUAL(n, p, "the id was not reused");
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(n), "claim the new port");
	ch_before = r2_entry(n, &vf_id);
	printf("new port %u claimed: entry %p VF %u\n", n, (const void *)ch_before, vf_id);
	TEST_ASSERT(ch_before != NULL && vf_id == R2_VF_NEW, "entry after the claim");

	/* The callback returns: the life watch frees the closed port's state. */
	__atomic_store_n(&r2_go, 1, __ATOMIC_RELEASE);
	usleep(300 * 1000);

	TEST_ASSERT_SUCCESS(vfbc_vf_get_info(n, &vi), "info of the new port");
	ch_after = r2_entry(n, &vf_id);
	r = vfbc_vf_poll(n, &m);
	printf("after the closed port's state went: new port claimed %u, entry %p VF %u, "
	       "poll %d\n", vi.claimed, (const void *)ch_after, vf_id, r);
	TEST_ASSERT(vi.claimed, "the new port lost its claim");
	TEST_ASSERT(ch_after == ch_before && vf_id == R2_VF_NEW,
		    "FAIL: the closed port's late publish rewrote port %u's entry (%p VF %u, "
		    "want %p VF %u): the new port holds its claim with every empty poll in "
		    "the driver", n, (const void *)ch_after, vf_id, (const void *)ch_before,
		    R2_VF_NEW);
	return TEST_SUCCESS;
}

static int
r2_setup(void)
{
	return mp_world_start(&r2w, "");
}

static void
r2_teardown(void)
{
	uint16_t p;

	mp_world_close_vfs(&r2w);
	/* The VF probed again, under the id of the closed one. */
	if (rte_eth_dev_get_port_by_name(r2w.vf_name[R2_VF_NEW], &p) == 0)
		rte_eth_dev_close(p);
}

static struct unit_test_suite r2_suite = {
	.suite_name = "fast-path table: a closed port's late publish",
	.setup = r2_setup,
	.teardown = r2_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_fp_stale_close_empties_new_port),
		TEST_CASES_END()
	}
};

static int
test_vf_fp_red2_stale_close(void)
{
	return unit_test_suite_runner(&r2_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_fp_red2_stale_close_autotest, test_vf_fp_red2_stale_close,
			    "--total-vfs 4");
