/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team findings on the mailbox rte_service kept for the process (fail
 * on the code they were written against): vfbc_pf_mbox.c registers the
 * service of a port id once and never unregisters it, with its component
 * runstate left at 1.
 *
 * red8a_service_port_ids: a PF removed and probed again under another
 * port id (a placeholder, as any other device probed meanwhile, took the
 * old one) registers a new service each time, and the old ones stay: the
 * service library has RTE_SERVICE_NUM_MAX (64) slots for the whole
 * process. After enough hot-plug cycles the PF gets no service at all
 * (vfbc_pf_mbox_service_id() -ENOTSUP): a primary that relies on the
 * service lcore leaves every VF of that PF unanswered; any other
 * component's service registration fails too.
 *
 * red8a_service_lcore_stop: once the PF port is closed (hot-removed),
 * nothing of it is left to serve, yet its service stays registered,
 * mapped and running: rte_service_lcore_stop() of the lcore that ran it
 * answers -EBUSY, as if a live service would cease to run. An
 * application that stops its service lcores after closing its ports, in
 * the order the service library asks for, cannot; and it cannot find the
 * service id any more (vfbc_pf_mbox_service_id() of the closed port).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_service.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

/* The service library's slots (RTE_SERVICE_NUM_MAX, private to rte_service.c). */
#define RED_SERVICE_SLOTS 64
#define RED_CYCLES (RED_SERVICE_SLOTS + 4)
#define RED_SVC_LCORE 1

static int
red_pf_remove(uint16_t port)
{
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	return TEST_SUCCESS;
}

static int
test_red8a_service_port_ids(void)
{
	struct rte_eth_dev *dummy[RED_CYCLES];
	unsigned int i, nb_dummy = 0, count0;
	char name[RTE_ETH_NAME_MAX_LEN];
	int ret = TEST_FAILED, r;
	uint32_t id;
	uint16_t port;

	r = test_pf_world_start(&port, "");
	if (r != TEST_SUCCESS)
		return r;
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_service_id(port, &id), "no service at the start");
	count0 = rte_service_get_count();
	printf("PF port %u, service %u, %u services registered\n", port, id, count0);
	for (i = 0; i < RED_CYCLES; i++) {
		if (red_pf_remove(port) != TEST_SUCCESS)
			goto out;
		/* Another device takes the port id the PF had. */
		snprintf(name, sizeof(name), "red8a_placeholder_%u", i);
		dummy[nb_dummy] = rte_eth_dev_allocate(name);
		if (dummy[nb_dummy] == NULL) {
			printf("cycle %u: no placeholder port\n", i);
			goto out;
		}
		nb_dummy++;
		if (rte_dev_probe(TEST_PF_WORLD_PF) != 0 ||
		    rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port) != 0) {
			printf("cycle %u: PF probe failed\n", i);
			goto out;
		}
		r = vfbc_pf_mbox_service_id(port, &id);
		if (r != 0) {
			printf("cycle %u: PF port %u has no mailbox service (%s); %u services "
			       "registered for a process with one PF port\n", i, port,
			       strerror(-r), rte_service_get_count());
			goto out;
		}
	}
	printf("%u cycles: PF port %u, %u services registered (%u at the start)\n", i, port,
	       rte_service_get_count(), count0);
	if (rte_service_get_count() != count0) {
		printf("the services of the closed ports were kept\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	while (nb_dummy > 0)
		rte_eth_dev_release_port(dummy[--nb_dummy]);
	return ret;
}

/* A config read through a new channel: the port's service answers (`when`: for messages). */
static int
red_service_answers(uint16_t port, const char *when, const char *who)
{
	struct vfbc_channel_resp resp;
	struct vfbc_channel *ch;
	int r;

	ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(ch, "no channel%s", when);
	r = test_mbox_call(port, ch, 0, VFBC_CHANNEL_REQ_CFG_READ, 0, NULL, 4, &resp, 0);
	vfbc_channel_free(ch);
	TEST_ASSERT_SUCCESS(r, "%s did not answer", who);
	return TEST_SUCCESS;
}

static int
test_red8a_service_lcore_stop(void)
{
	uint32_t id, id2;
	uint16_t port;
	int r;

	r = test_pf_world_start(&port, "-l 0,1 -s 0x2");
	if (r != TEST_SUCCESS)
		return r;
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_service_id(port, &id), "no service");
	TEST_ASSERT_SUCCESS(rte_service_map_lcore_set(id, RED_SVC_LCORE, 1), "map");
	TEST_ASSERT_SUCCESS(rte_service_runstate_set(id, 1), "runstate");
	r = rte_service_lcore_start(RED_SVC_LCORE);
	TEST_ASSERT(r == 0 || r == -EALREADY, "lcore start: %d", r);
	r = red_service_answers(port, "", "the service lcore");
	if (r != TEST_SUCCESS)
		return r;

	/* Closed and probed again at the same port id: the service is reused (holds). */
	TEST_ASSERT_SUCCESS(red_pf_remove(port), "remove");
	TEST_ASSERT_SUCCESS(rte_dev_probe(TEST_PF_WORLD_PF), "probe again");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port), "port");
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_service_id(port, &id2), "no service after re-probe");
	printf("service %u, after the re-probe %u\n", id, id2);
	r = red_service_answers(port, " after re-probe", "the reused service");
	if (r != TEST_SUCCESS)
		return r;

	/* The PF leaves: nothing is left for the service lcore to run. */
	TEST_ASSERT_SUCCESS(red_pf_remove(port), "remove");
	r = vfbc_pf_mbox_service_id(port, &id2);
	printf("after the close: vfbc_pf_mbox_service_id() %d, service %u registered: %s, "
	       "runstate %d\n", r, id, rte_service_get_name(id) != NULL ? "yes" : "no",
	       rte_service_runstate_get(id));
	r = rte_service_lcore_stop(RED_SVC_LCORE);
	printf("rte_service_lcore_stop(%u) with no PF port left: %d\n", RED_SVC_LCORE, r);
	/* Let the lcore go whatever the answer, for the process's exit. */
	rte_service_runstate_set(id, 0);
	rte_service_map_lcore_set(id, RED_SVC_LCORE, 0);
	rte_service_lcore_stop(RED_SVC_LCORE);
	TEST_ASSERT(r == 0 || r == -EALREADY,
		    "the closed port's service keeps its service lcore from stopping (%d)", r);
	return TEST_SUCCESS;
}

REGISTER_WORLD_TEST_COMMAND(red8a_service_port_ids_autotest, test_red8a_service_port_ids, "");
REGISTER_WORLD_TEST_COMMAND(red8a_service_lcore_stop_autotest, test_red8a_service_lcore_stop,
			    "");
