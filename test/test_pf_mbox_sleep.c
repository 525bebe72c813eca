/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf's sleeping service (vfbc_pf_mbox_poll_wait()): a thread that
 * waits on the port sleeps (xstat mbox_sleeps) and is woken by a VF's
 * request (mbox_sleep_wakes), which it serves, and by a datagram to the
 * channel's service socket (another process's wake); a wait times out
 * when nothing comes; one waiter per port; bad input is refused; and
 * closing the port wakes a waiter, which returns -ENODEV, and removes the
 * socket. The test process plays the VF side with the channel library.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define SL_VF 1
#define SL_REQS 200

static uint16_t sl_port;
static struct vfbc_channel *sl_ch;

struct sl_waiter {
	pthread_t th;
	int stop;
	int ret;		/* the last wait's */
	uint64_t served;
};

static void *
sl_waiter_main(void *arg)
{
	struct sl_waiter *w = arg;
	int ret;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		/* A timeout, so that the flag is seen: -1 returns only with work. */
		ret = vfbc_pf_mbox_poll_wait(sl_port, 32, 0, 100);
		__atomic_store_n(&w->ret, ret, __ATOMIC_RELEASE);
		if (ret < 0)
			break;
		__atomic_fetch_add(&w->served, ret, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
sl_setup(void)
{
	int ret;

	ret = test_pf_world_start(&sl_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	sl_ch = test_mbox_attach();
	TEST_ASSERT_NOT_NULL(sl_ch, "no channel");
	return TEST_SUCCESS;
}

static void
sl_teardown(void)
{
	vfbc_channel_free(sl_ch);
	sl_ch = NULL;
}

static int
test_pf_sleep_bad_input(void)
{
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll_wait(sl_port, 0, 0, 0), -EINVAL, "budget 0");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll_wait(sl_port, 32, 0, -2), -EINVAL, "timeout -2");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll_wait(RTE_MAX_ETHPORTS, 32, 0, 0), -ENODEV,
			  "port out of range");
	return TEST_SUCCESS;
}

/* Nothing comes: a wait of 50 ms returns 0 after at least that, having slept. */
static int
test_pf_sleep_times_out(void)
{
	uint64_t t0, ms, sleeps;
	int ret;

	while (vfbc_pf_mbox_poll(sl_port, 64) > 0)
		;
	sleeps = test_pf_xstat(sl_port, "mbox_sleeps");
	t0 = rte_get_timer_cycles();
	ret = vfbc_pf_mbox_poll_wait(sl_port, 32, 100, 50);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	TEST_ASSERT_EQUAL(ret, 0, "wait: %d", ret);
	TEST_ASSERT(ms >= 50, "returned after %" PRIu64 " ms", ms);
	/* Each sleep ends by the next sweep (10 ms) at the latest. */
	TEST_ASSERT(test_pf_xstat(sl_port, "mbox_sleeps") > sleeps, "it did not sleep");
	/* timeout 0: a bounded busy poll, no sleep. */
	sleeps = test_pf_xstat(sl_port, "mbox_sleeps");
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll_wait(sl_port, 32, 100, 0), 0, "timeout 0");
	TEST_ASSERT_EQUAL(test_pf_xstat(sl_port, "mbox_sleeps"), sleeps, "timeout 0 slept");
	return TEST_SUCCESS;
}

/*
 * A waiter serves every request; the requests woke it (a wake per sleep
 * ended early), and a second waiter is refused.
 */
static int
test_pf_sleep_woken_by_requests(void)
{
	struct sl_waiter w = { .ret = 0 };
	struct vfbc_channel_resp resp;
	uint64_t wakes, t0, us, worst = 0;
	uint8_t data[4] = { 1, 2, 3, 4 };
	unsigned int i;
	int ret;

	wakes = test_pf_xstat(sl_port, "mbox_sleep_wakes");
	TEST_ASSERT_SUCCESS(pthread_create(&w.th, NULL, sl_waiter_main, &w), "waiter");
	rte_delay_us_sleep(20 * 1000);
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll_wait(sl_port, 32, 0, 10), -EBUSY, "second waiter");
	for (i = 0; i < SL_REQS; i++) {
		/* The waiter is asleep again by now, most of the time. */
		rte_delay_us_sleep(500);
		t0 = rte_get_timer_cycles();
		ret = test_mbox_call(sl_port, sl_ch, SL_VF, VFBC_CHANNEL_REQ_BLOCK_WRITE, 3, data,
				     sizeof(data), &resp, 0);
		us = (rte_get_timer_cycles() - t0) * 1000000 / rte_get_timer_hz();
		worst = RTE_MAX(worst, us);
		if (ret != 0 || resp.status != 0)
			break;
	}
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_join(w.th, NULL);
	printf("%u requests to a sleeping service: worst round trip %" PRIu64 " us, %" PRIu64
	       " wakes\n", i, worst, test_pf_xstat(sl_port, "mbox_sleep_wakes") - wakes);
	TEST_ASSERT_EQUAL(i, SL_REQS, "request %u: %d, status %d", i, ret, resp.status);
	TEST_ASSERT(__atomic_load_n(&w.ret, __ATOMIC_ACQUIRE) >= 0, "the waiter: %d", w.ret);
	TEST_ASSERT_EQUAL(w.served, SL_REQS, "the waiter served %" PRIu64, w.served);
	/*
	 * Woken by the posts, not by the sweep: most requests find it asleep
	 * (500 us apart) and each wakes it; a lost wake would leave only the
	 * sweep's time ends, which are no wakes.
	 */
	TEST_ASSERT(test_pf_xstat(sl_port, "mbox_sleep_wakes") - wakes >= SL_REQS / 2,
		    "%" PRIu64 " wakes for %u requests",
		    test_pf_xstat(sl_port, "mbox_sleep_wakes") - wakes, SL_REQS);
	return TEST_SUCCESS;
}

/*
 * Another process's wake: a datagram to the channel's service socket in the
 * runtime directory, as a secondary's post sends it (this test's own posts
 * kick the eventfd: it is the creator's process). The waiter wakes for it
 * at once, not at its 10 ms sweep; the socket goes with the port.
 */
static int
test_pf_sleep_socket_wakes(void)
{
	struct sl_waiter w = { .ret = 0 };
	static const uint8_t byte = 1;
	struct sockaddr_un sa;
	uint64_t wakes;
	int tx, i, sent = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/vfbc_svc_%016" PRIx64,
		 rte_eal_get_runtime_dir(), __vfbc_channel_hdr(sl_ch)->incarnation);
	TEST_ASSERT_SUCCESS(pthread_create(&w.th, NULL, sl_waiter_main, &w), "waiter");
	rte_delay_us_sleep(20 * 1000);
	TEST_ASSERT(access(sa.sun_path, F_OK) == 0, "no service socket %s", sa.sun_path);
	tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	TEST_ASSERT(tx >= 0, "socket");
	wakes = test_pf_xstat(sl_port, "mbox_sleep_wakes");
	for (i = 0; i < 20; i++) {
		/* The waiter sleeps again by now: each datagram is a wake. */
		rte_delay_us_sleep(2000);
		sent += sendto(tx, &byte, 1, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof(sa)) == 1;
	}
	rte_delay_us_sleep(2000);
	close(tx);
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_join(w.th, NULL);
	TEST_ASSERT_EQUAL(sent, 20, "sent %d datagrams", sent);
	/* Each sleep ends at the 10 ms sweep without them: 2 ms apart, they woke it. */
	TEST_ASSERT(test_pf_xstat(sl_port, "mbox_sleep_wakes") - wakes >= 15,
		    "%" PRIu64 " wakes for 20 datagrams",
		    test_pf_xstat(sl_port, "mbox_sleep_wakes") - wakes);
	return TEST_SUCCESS;
}

/* Last: the close wakes a waiter, which returns -ENODEV; the close waits for it. */
static int
test_pf_sleep_close_wakes_the_waiter(void)
{
	struct sl_waiter w = { .ret = 0 };
	struct rte_eth_dev_info info;
	char path[108];

	snprintf(path, sizeof(path), "%s/vfbc_svc_%016" PRIx64, rte_eal_get_runtime_dir(),
		 __vfbc_channel_hdr(sl_ch)->incarnation);
	TEST_ASSERT_SUCCESS(pthread_create(&w.th, NULL, sl_waiter_main, &w), "waiter");
	rte_delay_us_sleep(20 * 1000);
	vfbc_channel_free(sl_ch);
	sl_ch = NULL;
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(sl_port, &info), "info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "close the PF's port");
	pthread_join(w.th, NULL);
	TEST_ASSERT_EQUAL(w.ret, -ENODEV, "the waiter returned %d", w.ret);
	TEST_ASSERT_EQUAL(vfbc_pf_mbox_poll_wait(sl_port, 32, 0, 0), -ENODEV, "closed port");
	TEST_ASSERT(access(path, F_OK) != 0, "the service socket %s outlived the port", path);
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_mbox_sleep_suite = {
	.suite_name = "net_vfbc_pf sleeping service",
	.setup = sl_setup,
	.teardown = sl_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pf_sleep_bad_input),
		TEST_CASE(test_pf_sleep_times_out),
		TEST_CASE(test_pf_sleep_woken_by_requests),
		TEST_CASE(test_pf_sleep_socket_wakes),
		TEST_CASE(test_pf_sleep_close_wakes_the_waiter),
		TEST_CASES_END()
	}
};

static int
test_pf_mbox_sleep(void)
{
	return unit_test_suite_runner(&test_pf_mbox_sleep_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_mbox_sleep_autotest, test_pf_mbox_sleep, "--total-vfs 4");
