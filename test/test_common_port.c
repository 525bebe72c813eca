/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The ethdev port both drivers share (drivers/common/vfbc/vfbc_port.c),
 * compiled into this test and driven through the ethdev API on a port of
 * the test's own: device limits, queue setup and release, link and queue
 * states, and a tx path that frees every packet and counts it as an output
 * error, per queue, until the statistics are reset.
 */

#include <errno.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "test.h"
#include "vfbc_port.h"

#define CP_MIN_MTU	RTE_ETHER_MIN_MTU
#define CP_MAX_MTU	9000
#define CP_QUEUES	2
#define CP_NB_MBUFS	511

static struct rte_driver cp_driver = { .name = "net_test_common_port" };
static struct rte_device cp_device = { .name = "test_common_port", .driver = &cp_driver };
static struct rte_mempool *cp_pool;
static uint16_t cp_port;
static int cp_started;

static uint16_t
cp_rx_burst(void *queue __rte_unused, struct rte_mbuf **bufs __rte_unused,
	    uint16_t nb_bufs __rte_unused)
{
	return 0;
}

static int
cp_dev_start(struct rte_eth_dev *dev)
{
	cp_started = 1;
	vfbc_port_set_started(dev, 1);
	return 0;
}

static int
cp_dev_stop(struct rte_eth_dev *dev)
{
	cp_started = 0;
	vfbc_port_set_started(dev, 0);
	return 0;
}

static int
cp_infos_get(struct rte_eth_dev *dev __rte_unused, struct rte_eth_dev_info *info)
{
	vfbc_port_infos(info, CP_MIN_MTU, CP_MAX_MTU, CP_QUEUES);
	return 0;
}

static int
cp_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	return vfbc_port_link_update(dev, cp_started);
}

static int
cp_dev_close(struct rte_eth_dev *dev)
{
	vfbc_port_queues_release(dev);
	return 0;
}

/* As both drivers fill it in, minus what is theirs alone. */
static const struct eth_dev_ops cp_ops = {
	.dev_configure = vfbc_port_noop,
	.dev_start = cp_dev_start,
	.dev_stop = cp_dev_stop,
	.dev_close = cp_dev_close,
	.dev_infos_get = cp_infos_get,
	.promiscuous_enable = vfbc_port_noop,
	.promiscuous_disable = vfbc_port_noop,
	.allmulticast_enable = vfbc_port_noop,
	.allmulticast_disable = vfbc_port_noop,
	.mtu_set = vfbc_port_mtu_set,
	.link_update = cp_link_update,
	.rx_queue_setup = vfbc_port_rx_queue_setup,
	.rx_queue_release = vfbc_port_rx_queue_release,
	.tx_queue_setup = vfbc_port_tx_queue_setup,
	.tx_queue_release = vfbc_port_tx_queue_release,
	.stats_get = vfbc_port_stats_get,
	.stats_reset = vfbc_port_stats_reset,
};

static uint64_t
cp_heap_allocs(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(rte_socket_id(), &st) != 0)
		return UINT64_MAX;
	return st.alloc_count;
}

static int
cp_port_create(void)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocate("test_common_port");
	if (dev == NULL)
		return -ENOMEM;
	dev->device = &cp_device;
	dev->dev_ops = &cp_ops;
	dev->rx_pkt_burst = cp_rx_burst;
	dev->tx_pkt_burst = vfbc_port_tx_burst;
	dev->data->mac_addrs = rte_zmalloc("test_common_port_mac", RTE_ETHER_ADDR_LEN, 0);
	if (dev->data->mac_addrs == NULL) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	rte_eth_dev_probing_finish(dev);
	cp_port = dev->data->port_id;
	cp_started = 0;
	return 0;
}

/* Configure @p nb queues each way and start the port. */
static int
cp_port_start(uint16_t nb)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(cp_port, nb, nb, &conf);
	for (q = 0; ret == 0 && q < nb; q++) {
		ret = rte_eth_rx_queue_setup(cp_port, q, 64, rte_socket_id(), NULL, cp_pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(cp_port, q, 64, rte_socket_id(), NULL);
	}
	return ret == 0 ? rte_eth_dev_start(cp_port) : ret;
}

static int
cp_setup(void)
{
	int ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	if (ret != TEST_SUCCESS)
		return ret;
	cp_pool = rte_pktmbuf_pool_create("test_common_port", CP_NB_MBUFS, 0, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	TEST_ASSERT_NOT_NULL(cp_pool, "mbuf pool: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
cp_teardown(void)
{
	rte_mempool_free(cp_pool);
	cp_pool = NULL;
}

static int
cp_case_setup(void)
{
	TEST_ASSERT_SUCCESS(cp_port_create(), "cannot allocate the port");
	return TEST_SUCCESS;
}

static void
cp_case_teardown(void)
{
	if (rte_eth_devices[cp_port].data->dev_started)
		rte_eth_dev_stop(cp_port);
	rte_eth_dev_close(cp_port);
}

static int
test_port_infos(void)
{
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(cp_port, &info), "info");
	TEST_ASSERT_EQUAL(info.min_mtu, CP_MIN_MTU, "min_mtu %u", info.min_mtu);
	TEST_ASSERT_EQUAL(info.max_mtu, CP_MAX_MTU, "max_mtu %u", info.max_mtu);
	TEST_ASSERT_EQUAL(info.max_rx_pktlen, CP_MAX_MTU + RTE_ETHER_HDR_LEN +
			  RTE_ETHER_CRC_LEN, "max_rx_pktlen %u", info.max_rx_pktlen);
	TEST_ASSERT_EQUAL(info.max_rx_queues, CP_QUEUES, "max_rx_queues");
	TEST_ASSERT_EQUAL(info.max_tx_queues, CP_QUEUES, "max_tx_queues");
	TEST_ASSERT_EQUAL(info.max_mac_addrs, 1, "max_mac_addrs");
	TEST_ASSERT_EQUAL(info.speed_capa, RTE_ETH_LINK_SPEED_FIXED, "speed_capa");
	TEST_ASSERT_EQUAL(info.default_rxportconf.ring_size, 256, "default rx ring");
	TEST_ASSERT_EQUAL(info.default_txportconf.nb_queues, 1, "default tx queues");
	TEST_ASSERT_EQUAL(info.rx_desc_lim.nb_max, UINT16_MAX, "rx_desc_lim");
	/* More queues than the limits: ethdev refuses before the driver. */
	TEST_ASSERT_FAIL(cp_port_start(CP_QUEUES + 1), "%u queues accepted", CP_QUEUES + 1);
	return TEST_SUCCESS;
}

static int
test_port_link_and_queue_states(void)
{
	struct rte_eth_dev_data *data = rte_eth_devices[cp_port].data;
	struct rte_eth_link link;
	uint16_t q;

	TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(cp_port, &link), "link");
	TEST_ASSERT_EQUAL(link.link_status, RTE_ETH_LINK_DOWN, "link up before start");
	TEST_ASSERT_SUCCESS(cp_port_start(CP_QUEUES), "start");
	TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(cp_port, &link), "link");
	TEST_ASSERT_EQUAL(link.link_status, RTE_ETH_LINK_UP, "link down after start");
	TEST_ASSERT_EQUAL(link.link_speed, RTE_ETH_SPEED_NUM_NONE, "speed %u", link.link_speed);
	TEST_ASSERT_EQUAL(link.link_duplex, RTE_ETH_LINK_FULL_DUPLEX, "duplex");
	TEST_ASSERT_EQUAL(link.link_autoneg, RTE_ETH_LINK_FIXED, "autoneg");
	for (q = 0; q < CP_QUEUES; q++) {
		TEST_ASSERT_EQUAL(data->rx_queue_state[q], RTE_ETH_QUEUE_STATE_STARTED, "rx %u", q);
		TEST_ASSERT_EQUAL(data->tx_queue_state[q], RTE_ETH_QUEUE_STATE_STARTED, "tx %u", q);
	}
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(cp_port), "stop");
	TEST_ASSERT_SUCCESS(rte_eth_link_get_nowait(cp_port, &link), "link");
	TEST_ASSERT_EQUAL(link.link_status, RTE_ETH_LINK_DOWN, "link up after stop");
	for (q = 0; q < CP_QUEUES; q++) {
		TEST_ASSERT_EQUAL(data->rx_queue_state[q], RTE_ETH_QUEUE_STATE_STOPPED, "rx %u", q);
		TEST_ASSERT_EQUAL(data->tx_queue_state[q], RTE_ETH_QUEUE_STATE_STOPPED, "tx %u", q);
	}
	return TEST_SUCCESS;
}

/* Send @p nb packets on queue @p q: they must all be taken. */
static int
cp_send(uint16_t q, unsigned int nb)
{
	struct rte_mbuf *bufs[64];
	uint16_t sent;

	if (nb > RTE_DIM(bufs) || (nb > 0 && rte_pktmbuf_alloc_bulk(cp_pool, bufs, nb) != 0))
		return -ENOMEM;
	sent = rte_eth_tx_burst(cp_port, q, bufs, nb);
	if (sent != nb) {
		rte_pktmbuf_free_bulk(bufs + sent, nb - sent);
		return -EIO;
	}
	return 0;
}

static int
test_port_tx_counts_output_errors(void)
{
	struct rte_mbuf *rx[8];
	struct rte_eth_stats st;

	TEST_ASSERT_SUCCESS(cp_port_start(CP_QUEUES), "start");
	TEST_ASSERT_SUCCESS(cp_send(0, 10), "tx on queue 0");
	TEST_ASSERT_SUCCESS(cp_send(1, 5), "tx on queue 1");
	TEST_ASSERT_SUCCESS(cp_send(1, 0), "an empty burst");
	/* Every packet went back to the pool. */
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(cp_pool), CP_NB_MBUFS,
			  "%u mbufs in the pool", rte_mempool_avail_count(cp_pool));
	TEST_ASSERT_EQUAL(rte_eth_rx_burst(cp_port, 0, rx, RTE_DIM(rx)), 0, "rx gave packets");

	TEST_ASSERT_SUCCESS(rte_eth_stats_get(cp_port, &st), "stats");
	TEST_ASSERT_EQUAL(st.oerrors, 15, "oerrors %" PRIu64, st.oerrors);
	TEST_ASSERT_EQUAL(st.q_errors[0], 10, "q_errors[0] %" PRIu64, st.q_errors[0]);
	TEST_ASSERT_EQUAL(st.q_errors[1], 5, "q_errors[1] %" PRIu64, st.q_errors[1]);
	TEST_ASSERT(st.opackets == 0 && st.obytes == 0, "%" PRIu64 " packets, %" PRIu64
		    " bytes claimed sent", st.opackets, st.obytes);
	TEST_ASSERT(st.ipackets == 0 && st.ibytes == 0 && st.ierrors == 0, "rx counted");

	TEST_ASSERT_SUCCESS(rte_eth_stats_reset(cp_port), "reset");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(cp_port, &st), "stats");
	TEST_ASSERT(st.oerrors == 0 && st.q_errors[0] == 0 && st.q_errors[1] == 0,
		    "not reset: oerrors %" PRIu64, st.oerrors);
	TEST_ASSERT_SUCCESS(cp_send(1, 3), "tx after reset");
	TEST_ASSERT_SUCCESS(rte_eth_stats_get(cp_port, &st), "stats");
	TEST_ASSERT(st.oerrors == 3 && st.q_errors[1] == 3, "after reset: oerrors %" PRIu64,
		    st.oerrors);
	/* The driver guards its tx against a burst without a queue or array. */
	TEST_ASSERT_EQUAL(vfbc_port_tx_burst(NULL, NULL, 4), 0, "NULL queue took packets");
	return TEST_SUCCESS;
}

static int
test_port_mtu_and_modes(void)
{
	uint16_t mtu;

	TEST_ASSERT_SUCCESS(cp_port_start(1), "start");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(cp_port, CP_MAX_MTU), "max MTU");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_mtu(cp_port, &mtu), "get MTU");
	TEST_ASSERT_EQUAL(mtu, CP_MAX_MTU, "MTU %u", mtu);
	TEST_ASSERT_EQUAL(rte_eth_dev_set_mtu(cp_port, CP_MAX_MTU + 1), -EINVAL, "MTU over max");
	TEST_ASSERT_EQUAL(rte_eth_dev_set_mtu(cp_port, CP_MIN_MTU - 1), -EINVAL, "MTU under min");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_mtu(cp_port, &mtu), "get MTU");
	TEST_ASSERT_EQUAL(mtu, CP_MAX_MTU, "a refused MTU changed it to %u", mtu);
	TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(cp_port), "promiscuous");
	TEST_ASSERT_EQUAL(rte_eth_promiscuous_get(cp_port), 1, "promiscuous off");
	TEST_ASSERT_SUCCESS(rte_eth_allmulticast_enable(cp_port), "all-multicast");
	TEST_ASSERT_EQUAL(rte_eth_allmulticast_get(cp_port), 1, "all-multicast off");
	return TEST_SUCCESS;
}

/* Queues set up twice, a reconfiguration and a close give back every allocation. */
static int
test_port_queues_released(void)
{
	uint64_t before;

	rte_eth_dev_close(cp_port);
	before = cp_heap_allocs();
	TEST_ASSERT_SUCCESS(cp_port_create(), "port");
	TEST_ASSERT_SUCCESS(cp_port_start(CP_QUEUES), "start");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(cp_port), "stop");
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(cp_port, 0, 64, rte_socket_id(), NULL),
			    "tx queue set up again");
	TEST_ASSERT_SUCCESS(cp_port_start(1), "reconfigured with one queue");
	TEST_ASSERT_SUCCESS(cp_send(0, 4), "tx");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(cp_port), "stop");
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(cp_port), "close");
	TEST_ASSERT_EQUAL(cp_heap_allocs(), before, "%" PRIu64 " allocations left over",
			  cp_heap_allocs() - before);
	/* The case teardown closes a port: give it one. */
	TEST_ASSERT_SUCCESS(cp_port_create(), "port");
	return TEST_SUCCESS;
}

static struct unit_test_suite common_port_suite = {
	.suite_name = "the ethdev port of both drivers (drivers/common/vfbc)",
	.setup = cp_setup,
	.teardown = cp_teardown,
	.unit_test_cases = {
		TEST_CASE_ST(cp_case_setup, cp_case_teardown, test_port_infos),
		TEST_CASE_ST(cp_case_setup, cp_case_teardown, test_port_link_and_queue_states),
		TEST_CASE_ST(cp_case_setup, cp_case_teardown, test_port_tx_counts_output_errors),
		TEST_CASE_ST(cp_case_setup, cp_case_teardown, test_port_mtu_and_modes),
		TEST_CASE_ST(cp_case_setup, cp_case_teardown, test_port_queues_released),
		TEST_CASES_END(),
	},
};

static int
test_common_port(void)
{
	return unit_test_suite_runner(&common_port_suite);
}

REGISTER_TEST_COMMAND(common_port_autotest, test_common_port);
