/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the PF consumer callbacks (fails on the code it was
 * written against): "It may call any function of this API, (un)register
 * callbacks, and close the port." A callback that closes the PF port
 * frees the mailbox (vfbc_pf_mbox_uninit(): rte_free(mb)) under
 * pf_life_raise(), which goes on calling the next registered callback
 * with life->mb->port_id: read from the freed (zeroed) mailbox. Here the
 * PF is probed again behind a placeholder port 0, so the second callback
 * is handed port 0, a port that is not the PF's (and not a vfbc port), for
 * an event of a port that is closed.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ethdev_driver.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define RED_START_MS	60000
#define RED_CMD_MS	10000

static uint16_t red_pf_port;
static volatile int red_closed;
static volatile int red_second_calls;
static volatile int red_second_port = -1;

static void
red_close_cb(uint16_t port_id, const struct vfbc_pf_consumer_event *ev __rte_unused,
	     void *arg __rte_unused)
{
	if (red_closed)
		return;
	red_closed = 1;
	printf("first callback: closing PF port %u: %d\n", port_id, rte_eth_dev_close(port_id));
}

static void
red_second_cb(uint16_t port_id, const struct vfbc_pf_consumer_event *ev __rte_unused,
	      void *arg __rte_unused)
{
	red_second_calls++;
	red_second_port = port_id;
}

static int
test_pf_life_red_close(void)
{
	struct rte_eth_dev_info info;
	struct rte_eth_dev *dummy;
	char rest[MP_LINE_MAX], eal[128];
	struct mp_world w;
	struct mp_child c;
	unsigned int waited;
	int ret;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	/* The PF probed again, behind a placeholder that takes the lowest port id. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(w.pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	dummy = rte_eth_dev_allocate("red_placeholder");
	TEST_ASSERT_NOT_NULL(dummy, "placeholder port");
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "PF probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &red_pf_port), "PF port");
	printf("placeholder port %u, PF port %u\n", dummy->data->port_id, red_pf_port);
	TEST_ASSERT(red_pf_port != dummy->data->port_id, "the same port");
	TEST_ASSERT_SUCCESS(vfbc_pf_consumer_callback_register(red_pf_port, red_close_cb, NULL),
			    "first callback");
	TEST_ASSERT_SUCCESS(vfbc_pf_consumer_callback_register(red_pf_port, red_second_cb, NULL),
			    "second callback");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(red_pf_port), "PF service");
	ret = TEST_FAILED;
	snprintf(eal, sizeof(eal), "-a %s", w.vf_name[0]);
	if (mp_child_spawn(&c, "mp_vf_agent", eal, NULL) < 0) {
		printf("the VF process did not start\n");
		goto out;
	}
	/*
	 * Its claim raises ATTACHED, whose first callback closes the port: a
	 * close that lands before the agent's probe has taken up the claim
	 * fails that probe (the claim is gone with the channel), which is the
	 * close's right. What is tested is the callbacks after it.
	 */
	if (mp_child_expect(&c, "ready", rest, sizeof(rest), RED_START_MS) < 0 && !red_closed) {
		printf("the VF process did not start, and its claim raised nothing\n");
		goto out;
	}
	/* Its claim: ATTACHED, and the first callback closes the port. */
	for (waited = 0; waited < 3000 && !red_closed; waited += 10)
		usleep(10000);
	mp_pf_server_stop();
	usleep(500 * 1000);
	printf("closed %d; the second callback: %d call(s), last with port %d\n", red_closed,
	       red_second_calls, red_second_port);
	if (!red_closed) {
		printf("no consumer event\n");
		goto out;
	}
	if (red_second_calls != 0 && red_second_port != red_pf_port) {
		printf("the second callback was handed port %d, not the PF's %u: read from the "
		       "freed mailbox\n", red_second_port, red_pf_port);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	if (c.pid > 0 && mp_child_send(&c, "quit") == 0)
		mp_child_expect(&c, "bye", NULL, 0, RED_CMD_MS);
	mp_child_close(&c);
	rte_eth_dev_release_port(dummy);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(pf_life_red_close_autotest, test_pf_life_red_close,
				  "--total-vfs 4", "mp");
