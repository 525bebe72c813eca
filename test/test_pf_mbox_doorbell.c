/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The mailbox service visits busy VFs only: with 256 VFs (crossing from bus
 * 1 to bus 2), a poll looks at exactly the request rings whose doorbell
 * rang (xstat mbox_vf_visits), an idle poll at none; the budget bounds a
 * poll and every busy VF gets a turn before any gets a second one.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define DB_NB_VFS 256

static uint16_t db_port;
static struct test_pf_topo db_topo;
static struct vfbc_channel *db_ch;

static int
db_setup(void)
{
	int ret;

	ret = test_pf_world_start(&db_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&db_topo), "topology");
	TEST_ASSERT_EQUAL(db_topo.num_vfs, DB_NB_VFS, "%u VFs", db_topo.num_vfs);
	db_ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(db_ch, "no channel");
	return TEST_SUCCESS;
}

static void
db_teardown(void)
{
	vfbc_channel_free(db_ch);
	db_ch = NULL;
}

static int
db_post(uint16_t vf, uint32_t block)
{
	struct vfbc_channel_req req;
	int ret;

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req.target = block;
	req.len = 4;
	memcpy(req.data, &vf, sizeof(vf));
	ret = vfbc_channel_request_post(db_ch, vf, &req);
	if (ret < 0)
		printf("VF %u: post: %s\n", vf, strerror(-ret));
	return ret;
}

/* Take the answers waiting on VF vf's response ring; returns how many. */
static int
db_answers(uint16_t vf)
{
	struct vfbc_channel_resp resp;
	int n = 0;

	while (vfbc_channel_response_poll(db_ch, vf, &resp) == 1) {
		if (resp.status != 0)
			return -1;
		n++;
	}
	return n;
}

static int
test_doorbell_last_vf_across_buses_published(void)
{
	struct rte_pci_addr want, got;

	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(db_ch), DB_NB_VFS, "channel size");
	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&db_topo, DB_NB_VFS - 1, &want), "address");
	TEST_ASSERT(want.bus != db_topo.pf.bus, "the topology does not cross a bus");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_get(db_ch, DB_NB_VFS - 1, &got), "get");
	TEST_ASSERT_EQUAL(rte_pci_addr_cmp(&want, &got), 0, "last VF address");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(db_ch, &want), DB_NB_VFS - 1, "find");
	return TEST_SUCCESS;
}

static int
test_doorbell_poll_visits_only_busy_vfs(void)
{
	static const uint16_t busy[] = { 3, 130, 255 };
	uint64_t visits;
	unsigned int i;
	int n;

	/* Drain anything left, then count from here. */
	while (vfbc_pf_mbox_poll(db_port, 64) > 0)
		;
	visits = test_pf_xstat(db_port, "mbox_vf_visits");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(db_port, 64), 0, "idle poll serviced something");
	TEST_ASSERT_EQUAL(test_pf_xstat(db_port, "mbox_vf_visits"), visits,
			  "an idle poll visited VFs");
	for (i = 0; i < RTE_DIM(busy); i++)
		TEST_ASSERT_SUCCESS(db_post(busy[i], 1), "post");
	n = vfbc_pf_mbox_poll(db_port, 64);
	TEST_ASSERT_EQUAL(n, (int)RTE_DIM(busy), "serviced %d", n);
	TEST_ASSERT_EQUAL(test_pf_xstat(db_port, "mbox_vf_visits") - visits, RTE_DIM(busy),
			  "visited %" PRIu64 " VFs for %zu busy ones out of %u",
			  test_pf_xstat(db_port, "mbox_vf_visits") - visits, RTE_DIM(busy),
			  DB_NB_VFS);
	for (i = 0; i < RTE_DIM(busy); i++)
		TEST_ASSERT_EQUAL(db_answers(busy[i]), 1, "VF %u answers", busy[i]);
	return TEST_SUCCESS;
}

static int
test_doorbell_budget_and_round_robin(void)
{
	unsigned int i;
	int n;

	for (i = 0; i < 5; i++)
		TEST_ASSERT_SUCCESS(db_post(10, 2), "post VF 10");
	TEST_ASSERT_SUCCESS(db_post(200, 2), "post VF 200");
	n = vfbc_pf_mbox_poll(db_port, 2);
	TEST_ASSERT_EQUAL(n, 2, "budget 2 serviced %d", n);
	/* One request of each busy VF before a second of any. */
	TEST_ASSERT_EQUAL(db_answers(10), 1, "VF 10 answers after the first poll");
	TEST_ASSERT_EQUAL(db_answers(200), 1, "VF 200 answers after the first poll");
	n = vfbc_pf_mbox_poll(db_port, 64);
	TEST_ASSERT_EQUAL(n, 4, "second poll serviced %d", n);
	TEST_ASSERT_EQUAL(db_answers(10), 4, "VF 10 answers after the second poll");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(db_port, 64), 0, "leftovers");
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_mbox_doorbell_suite = {
	.suite_name = "net_vfbc_pf mailbox doorbells, 256 VFs",
	.setup = db_setup,
	.teardown = db_teardown,
	.unit_test_cases = {
		TEST_CASE(test_doorbell_last_vf_across_buses_published),
		TEST_CASE(test_doorbell_poll_visits_only_busy_vfs),
		TEST_CASE(test_doorbell_budget_and_round_robin),
		TEST_CASES_END()
	}
};

static int
test_pf_mbox_doorbell(void)
{
	return unit_test_suite_runner(&test_pf_mbox_doorbell_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_mbox_doorbell_256_autotest, test_pf_mbox_doorbell,
			    "--total-vfs 256 --vf-offset 1 --vf-stride 1");
