/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The rte_service net_vfbc_pf registers for its mailbox: its name and
 * capabilities, and a service lcore (lcore 1, -s 0x2) servicing VF requests
 * while the test only posts them and waits for the answers.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_service.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define SVC_LCORE 1

static uint16_t svc_port;
static uint32_t svc_id;
static struct vfbc_channel *svc_ch;

static int
svc_setup(void)
{
	int ret;

	ret = test_pf_world_start(&svc_port, "-l 0,1 -s 0x2");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(rte_service_lcore_count(), 1, "%d service lcores",
			  rte_service_lcore_count());
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_service_id(svc_port, &svc_id), "no service");
	svc_ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(svc_ch, "no channel");
	return TEST_SUCCESS;
}

static void
svc_teardown(void)
{
	rte_service_runstate_set(svc_id, 0);
	rte_service_lcore_stop(SVC_LCORE);
	rte_service_map_lcore_set(svc_id, SVC_LCORE, 0);
	vfbc_channel_free(svc_ch);
	svc_ch = NULL;
}

static int
test_service_named_per_port_and_not_mt_safe(void)
{
	char want[RTE_SERVICE_NAME_MAX];
	uint32_t id;

	snprintf(want, sizeof(want), "vfbc_pf_mbox_%u", svc_port);
	TEST_ASSERT(strcmp(rte_service_get_name(svc_id), want) == 0, "name %s, expected %s",
		    rte_service_get_name(svc_id), want);
	TEST_ASSERT_SUCCESS(rte_service_get_by_name(want, &id), "by name");
	TEST_ASSERT_EQUAL(id, svc_id, "id %u, expected %u", id, svc_id);
	TEST_ASSERT_EQUAL(rte_service_probe_capability(svc_id, RTE_SERVICE_CAP_MT_SAFE), 0,
			  "registered MT-safe");
	return TEST_SUCCESS;
}

static int
test_service_lcore_answers_requests(void)
{
	uint64_t accepted;
	uint8_t data[8] = { 9, 8, 7, 6, 5, 4, 3, 2 }, back[8];
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	unsigned int i;
	int ret;

	accepted = test_pf_xstat(svc_port, "mbox_accepted");
	TEST_ASSERT_SUCCESS(rte_service_map_lcore_set(svc_id, SVC_LCORE, 1), "map");
	TEST_ASSERT_SUCCESS(rte_service_runstate_set(svc_id, 1), "runstate");
	ret = rte_service_lcore_start(SVC_LCORE);
	TEST_ASSERT(ret == 0 || ret == -EALREADY, "lcore start: %d", ret);
	TEST_ASSERT_EQUAL(rte_service_runstate_get(svc_id), 1, "service not running");

	/* poll = 0: only the service lcore can answer. */
	TEST_ASSERT_SUCCESS(test_mbox_call(svc_port, svc_ch, 1, VFBC_CHANNEL_REQ_BLOCK_WRITE, 9,
					   data, sizeof(data), &resp, 0), "block write");
	TEST_ASSERT_EQUAL(resp.status, 0, "answered %d", resp.status);
	ret = vfbc_pf_read_config_block(svc_port, 1, 9, back, sizeof(back));
	TEST_ASSERT_EQUAL(ret, (int)sizeof(data), "block length %d", ret);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(back, data, sizeof(data), "block contents");
	TEST_ASSERT_SUCCESS(test_mbox_call(svc_port, svc_ch, 0, VFBC_CHANNEL_REQ_CFG_READ, 0, NULL,
					   4, &resp, 0), "config read");
	TEST_ASSERT_EQUAL(resp.status, 0, "config read answered %d", resp.status);
	TEST_ASSERT_EQUAL(test_pf_xstat(svc_port, "mbox_accepted"), accepted + 2,
			  "mbox_accepted");

	/*
	 * Stopped (and out of its last pass), the service answers nothing
	 * more: a request waits in the ring until the explicit poll serves it.
	 */
	TEST_ASSERT_SUCCESS(rte_service_runstate_set(svc_id, 0), "stop");
	for (i = 0; i < 1000 && rte_service_may_be_active(svc_id) == 1; i++)
		rte_delay_us_sleep(1000);
	TEST_ASSERT(rte_service_may_be_active(svc_id) != 1, "the service is still running");
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(svc_ch, 1, &req), "post");
	rte_delay_us_sleep(200 * 1000);
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(svc_ch, 1, &resp), 0,
			  "a stopped service answered");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll(svc_port, 8), 1, "the explicit poll served %d",
			  vfbc_pf_mbox_poll(svc_port, 8));
	TEST_ASSERT_EQUAL(vfbc_channel_response_poll(svc_ch, 1, &resp), 1, "no answer");
	TEST_ASSERT(resp.req_id == req.req_id && resp.status == 0, "answer %u status %d",
		    resp.req_id, resp.status);
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_mbox_service_suite = {
	.suite_name = "net_vfbc_pf mailbox service",
	.setup = svc_setup,
	.teardown = svc_teardown,
	.unit_test_cases = {
		TEST_CASE(test_service_named_per_port_and_not_mt_safe),
		TEST_CASE(test_service_lcore_answers_requests),
		TEST_CASES_END()
	}
};

static int
test_pf_mbox_service(void)
{
	return unit_test_suite_runner(&test_pf_mbox_service_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_mbox_service_autotest, test_pf_mbox_service, "");
