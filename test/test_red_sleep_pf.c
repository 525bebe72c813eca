/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red team of net_vfbc_pf's sleeping service (vfbc_pf_mbox_poll_wait()) on
 * an isolated port (socket=PATH): the test process plays a hostile
 * consumer through the raw socket client and the channel library.
 *
 * - full_response_ring: the consumer posts requests and never takes its
 *   answers, then posts once more. Its ring holds a request no pass can
 *   take (its response ring is full): the waiter, idle, must still sleep
 *   (xstat mbox_sleeps, each ended by the sweep) instead of spinning a
 *   core for as long as the consumer likes, at no cost of its own.
 * - flr_busy: the consumer asks for an FLR (a job of >= 100 ms on the
 *   control thread) and posts once more: its ring is not read while its
 *   job runs, and the idle waiter must sleep meanwhile, not spin.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_pci.h>

#include <vfbc_channel.h>
#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>
#include <vfbc_sock_msg.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"
#include "test_sock_client.h"

#define RSP_SECRET "red-sleep-secret"
#define RSP_WAIT_MS 5000
/* The idle wait measured, and the CPU it may use (a quarter). */
#define RSP_IDLE_MS 300

static uint16_t rsp_port;
static char rsp_path[64];

static int
rsp_setup(void)
{
	char devstr[256];
	int ret;

	ret = test_pf_socket_world_start(&rsp_port, rsp_path, sizeof(rsp_path), "red-sleep");
	if (ret != TEST_SUCCESS)
		return ret;
	if (test_pf_world_detach() != 0)
		return TEST_FAILED;
	snprintf(devstr, sizeof(devstr), "%s,socket=%s", TEST_PF_WORLD_PF, rsp_path);
	TEST_ASSERT_SUCCESS(rte_dev_probe(devstr), "probe %s", devstr);
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &rsp_port), "port");
	return TEST_SUCCESS;
}

static void
rsp_teardown(void)
{
	test_pf_world_detach();
	unlink(rsp_path);
}

/* Open vf on a connection that stays (minor 2: the region and the wake socket). */
static int
rsp_hold(uint16_t vf, int *conn, struct test_sock_answer *a)
{
	struct vfbc_sock_open o;

	memset(a, 0, sizeof(*a));
	a->fd = a->wake_fd = -1;
	*conn = test_sock_connect(rsp_path, RSP_WAIT_MS);
	if (*conn < 0)
		return -1;
	test_sock_open_init(&o, vf, RSP_SECRET);
	if (test_sock_send(*conn, &o, sizeof(o)) < 0 || test_sock_recv(*conn, a) < 0 ||
	    a->len != (ssize_t)sizeof(a->r) || a->r.status != 0) {
		printf("open of VF %u: len %zd status %d\n", vf, a->len,
		       a->len > 0 ? a->r.status : 0);
		close(*conn);
		test_sock_answer_close(a);
		return -1;
	}
	return 0;
}

static uint64_t
rsp_thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
test_red_sleep_pf_full_response_ring(void)
{
	uint8_t data[4] = { 1, 2, 3, 4 };
	struct vfbc_channel_req req;
	struct test_sock_answer a;
	struct vfbc_channel *h;
	uint64_t end, sleeps, cpu0, cpu, t0, ms;
	unsigned int i, served = 0;
	int conn, ret;

	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(rsp_port, 0, RSP_SECRET), "secret");
	TEST_ASSERT_SUCCESS(rsp_hold(0, &conn, &a), "open VF 0");
	TEST_ASSERT_EQUAL(a.nb_fds, 2, "%d descriptors: no wake socket", a.nb_fds);
	h = vfbc_channel_attach_region(a.fd, 0);
	TEST_ASSERT_NOT_NULL(h, "attach_region");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(h, 0, a.r.claim), "adopt");
	TEST_ASSERT_SUCCESS(vfbc_channel_service_wake_adopt(h, 0, a.wake_fd), "wake adopt");

	/* The response ring fills: the answers are never taken. */
	for (i = 0; i < VFBC_CHANNEL_RESP_RING_SIZE; i++) {
		test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, data, sizeof(data));
		TEST_ASSERT_SUCCESS(vfbc_channel_request_post(h, 0, &req), "post %u", i);
	}
	end = rte_get_timer_cycles() + rte_get_timer_hz() * RSP_WAIT_MS / 1000;
	while (served < VFBC_CHANNEL_RESP_RING_SIZE && rte_get_timer_cycles() < end) {
		ret = vfbc_pf_mbox_poll_wait(rsp_port, 64, 0, 20);
		TEST_ASSERT(ret >= 0, "wait: %d", ret);
		served += ret;
	}
	TEST_ASSERT_EQUAL(served, VFBC_CHANNEL_RESP_RING_SIZE, "served %u", served);
	/* One more: it waits in the ring, and no pass can take it. */
	test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, data, sizeof(data));
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(h, 0, &req), "post past the full ring");

	sleeps = test_pf_xstat(rsp_port, "mbox_sleeps");
	cpu0 = rsp_thread_cpu_us();
	t0 = rte_get_timer_cycles();
	ret = vfbc_pf_mbox_poll_wait(rsp_port, 32, 0, RSP_IDLE_MS);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	cpu = rsp_thread_cpu_us() - cpu0;
	sleeps = test_pf_xstat(rsp_port, "mbox_sleeps") - sleeps;
	printf("an idle wait of %d ms beside a full response ring: returned %d after %" PRIu64
	       " ms, %" PRIu64 " sleeps, %" PRIu64 " us of CPU\n", RSP_IDLE_MS, ret, ms,
	       sleeps, cpu);
	vfbc_channel_free(h);
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_EQUAL(ret, 0, "wait: %d", ret);
	TEST_ASSERT(sleeps > 0, "the waiter never slept in %" PRIu64 " ms", ms);
	TEST_ASSERT(cpu < RSP_IDLE_MS * 1000 / 4,
		    "the idle waiter spun: %" PRIu64 " us of CPU in %" PRIu64 " ms", cpu, ms);
	return TEST_SUCCESS;
}

/* Post an FLR request (Initiate FLR in Device Control) on VF vf's ring. */
static int
rsp_post_flr(struct vfbc_channel *ch, uint16_t vf)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	struct vfbc_channel_req req;
	unsigned int exp;

	if (test_mbox_vf_cfg(vf, 0, cfg, sizeof(cfg)) < 0)
		return -EIO;
	exp = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_EXP);
	if (exp == 0)
		return -ENOTSUP;
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_WRITE;
	req.target = exp + VFBC_PCI_EXP_DEVCTL;
	req.len = 2;
	req.data[0] = cfg[exp + VFBC_PCI_EXP_DEVCTL];
	req.data[1] = cfg[exp + VFBC_PCI_EXP_DEVCTL + 1] | (VFBC_PCI_EXP_DEVCTL_BCR_FLR >> 8);
	return vfbc_channel_request_post(ch, vf, &req);
}

/* Waits of 10 ms on the port for ms: CPU used (us), sleeps and requests served. */
static void
rsp_wait_for(unsigned int ms, uint64_t *cpu, uint64_t *sleeps, unsigned int *served)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	uint64_t cpu0 = rsp_thread_cpu_us(), s0 = test_pf_xstat(rsp_port, "mbox_sleeps");
	int ret;

	*served = 0;
	while (rte_get_timer_cycles() < end) {
		ret = vfbc_pf_mbox_poll_wait(rsp_port, 32, 0, 10);
		if (ret > 0)
			*served += ret;
	}
	*cpu = rsp_thread_cpu_us() - cpu0;
	*sleeps = test_pf_xstat(rsp_port, "mbox_sleeps") - s0;
}

#define RSP_FLR_VF 1
/* Shorter than the FLR's own 100 ms: the job runs all along. */
#define RSP_FLR_IDLE_MS 80

static int
test_red_sleep_pf_flr_busy(void)
{
	uint8_t data[4] = { 1, 2, 3, 4 };
	struct vfbc_channel_req req;
	struct vfbc_channel_resp resp;
	struct test_sock_answer a;
	struct vfbc_channel *h;
	uint64_t cpu, sleeps, end;
	unsigned int served, answers = 0;
	int conn;

	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(rsp_port, RSP_FLR_VF, RSP_SECRET), "secret");
	TEST_ASSERT_SUCCESS(rsp_hold(RSP_FLR_VF, &conn, &a), "open VF %u", RSP_FLR_VF);
	TEST_ASSERT_EQUAL(a.nb_fds, 2, "%d descriptors: no wake socket", a.nb_fds);
	h = vfbc_channel_attach_region(a.fd, RSP_FLR_VF);
	TEST_ASSERT_NOT_NULL(h, "attach_region");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(h, RSP_FLR_VF, a.r.claim), "adopt");
	TEST_ASSERT_SUCCESS(vfbc_channel_service_wake_adopt(h, RSP_FLR_VF, a.wake_fd),
			    "wake adopt");
	TEST_ASSERT_SUCCESS(rsp_post_flr(h, RSP_FLR_VF), "post the FLR");
	test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, data, sizeof(data));
	TEST_ASSERT_SUCCESS(vfbc_channel_request_post(h, RSP_FLR_VF, &req), "post after it");
	/* The first pass hands the FLR to the control thread; then the waiter is idle. */
	(void)vfbc_pf_mbox_poll_wait(rsp_port, 32, 0, 0);
	rsp_wait_for(RSP_FLR_IDLE_MS, &cpu, &sleeps, &served);
	printf("%d ms of waits while VF %u's FLR runs: %" PRIu64 " sleeps, %" PRIu64
	       " us of CPU, %u served\n", RSP_FLR_IDLE_MS, RSP_FLR_VF, sleeps, cpu, served);
	/* Both answers come, in the end. */
	end = rte_get_timer_cycles() + rte_get_timer_hz() * RSP_WAIT_MS / 1000;
	while (answers < 2 && rte_get_timer_cycles() < end) {
		(void)vfbc_pf_mbox_poll_wait(rsp_port, 32, 0, 10);
		while (vfbc_channel_response_poll(h, RSP_FLR_VF, &resp) == 1)
			answers++;
	}
	vfbc_channel_free(h);
	close(conn);
	test_sock_answer_close(&a);
	TEST_ASSERT_EQUAL(answers, 2, "%u answers", answers);
	TEST_ASSERT(sleeps > 0, "the waiter never slept while the FLR ran");
	TEST_ASSERT(cpu < RSP_FLR_IDLE_MS * 1000 / 4,
		    "the idle waiter spun: %" PRIu64 " us of CPU in %d ms", cpu, RSP_FLR_IDLE_MS);
	return TEST_SUCCESS;
}

static struct unit_test_suite red_sleep_pf_suite = {
	.suite_name = "red team: net_vfbc_pf's sleeping service, isolated",
	.setup = rsp_setup,
	.teardown = rsp_teardown,
	.unit_test_cases = {
		TEST_CASE(test_red_sleep_pf_full_response_ring),
		TEST_CASE(test_red_sleep_pf_flr_busy),
		TEST_CASES_END()
	}
};

static int
test_red_sleep_pf(void)
{
	return unit_test_suite_runner(&red_sleep_pf_suite);
}

REGISTER_WORLD_TEST_COMMAND(red_sleep_pf_isolated_autotest, test_red_sleep_pf,
			    "--total-vfs 4 --num-vfs 2");
