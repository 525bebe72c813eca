/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vf_life_stale_close_autotest: a port closed from its own invalidation
 * callback (rte_eth_dev_close() -> -EDEADLK: ethdev releases the port, the
 * VF state is left allocated, as vfbc_pmd_vf.h says) raises no life event
 * on the port that takes its id. Its state stays listed in the process's
 * life watch and still holds the claim; before the fix, a PF action on that
 * VF (here an FLR) made the watch raise RTE_ETH_EVENT_INTR_RESET on
 * rte_eth_devices[old id] (a net_null port by then) and write that port's
 * link. Expected: the other driver's port sees no event, its link is its
 * own.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define LS_VF	1

static struct mp_world lsw;
static volatile int ls_close_ret = INT32_MIN;
static int ls_events;

static void
ls_inv_cb(uint16_t port_id, uint64_t mask __rte_unused, void *arg __rte_unused)
{
	if (ls_close_ret == INT32_MIN)
		ls_close_ret = rte_eth_dev_close(port_id);
}

static int
ls_event_cb(uint16_t port_id, enum rte_eth_event_type type, void *arg __rte_unused,
	    void *ret_param __rte_unused)
{
	__atomic_fetch_add(&ls_events, 1, __ATOMIC_RELAXED);
	printf("event %d on port %u\n", (int)type, port_id);
	return 0;
}

static int
test_vf_life_stale_close_raises_nothing_on_new_port(void)
{
	static const enum rte_eth_event_type evs[] = {
		RTE_ETH_EVENT_INTR_RESET, RTE_ETH_EVENT_INTR_LSC, RTE_ETH_EVENT_INTR_RMV,
	};
	uint16_t p = lsw.vf_port[LS_VF], other;
	struct rte_eth_link link;
	unsigned int i;
	uint64_t m = 0;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim");
	while (vfbc_vf_poll(p, &m) == 1)
		;
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(p, ls_inv_cb, NULL), "register");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(lsw.pf_port, LS_VF, 1), "invalidate");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 1, "the poll that runs the closing callback");
	TEST_ASSERT_EQUAL(ls_close_ret, -EDEADLK, "close from the callback");
	TEST_ASSERT(!rte_eth_dev_is_valid_port(p), "ethdev kept port %u", p);

	/* Another driver's port takes the id. */
	TEST_ASSERT_SUCCESS(rte_vdev_init("net_null_ls0", NULL), "net_null");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_null_ls0", &other), "null port");
	if (other != p) {
		rte_vdev_uninit("net_null_ls0");
		TEST_SKIP("net_null took port %u, not the closed port's %u", other, p);
	}
	for (i = 0; i < RTE_DIM(evs); i++)
		TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(other, evs[i], ls_event_cb,
								  NULL), "callback %u", i);
	TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(other, &link), "link before");
	printf("net_null port %u, link %s before the FLR of the closed port's VF\n", other,
	       link.link_status ? "up" : "down");

	/* The PF resets the closed port's VF: its life watch sees it. */
	TEST_ASSERT_SUCCESS(vfbc_pf_reset_vf(lsw.pf_port, LS_VF), "FLR");
	usleep(500 * 1000);
	printf("events on the net_null port after the FLR: %d\n", ls_events);
	if (ls_events != 0) {
		printf("FAIL: the closed port's life watch raised its VF's events on port %u, "
		       "another driver's\n", other);
		ret = TEST_FAILED;
	}
	for (i = 0; i < RTE_DIM(evs); i++)
		rte_eth_dev_callback_unregister(other, evs[i], ls_event_cb, NULL);
	rte_eth_dev_close(other);
	rte_vdev_uninit("net_null_ls0");
	return ret;
}

static int
ls_setup(void)
{
	return mp_world_start(&lsw, "");
}

static void
ls_teardown(void)
{
	mp_world_close_vfs(&lsw);
}

static struct unit_test_suite ls_suite = {
	.suite_name = "a port closed from its invalidation callback raises nothing on its id",
	.setup = ls_setup,
	.teardown = ls_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_life_stale_close_raises_nothing_on_new_port),
		TEST_CASES_END()
	}
};

static int
test_vf_life_stale(void)
{
	return unit_test_suite_runner(&ls_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_life_stale_close_autotest, test_vf_life_stale, "--total-vfs 4");
