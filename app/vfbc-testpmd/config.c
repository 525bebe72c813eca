/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Port actions: what testpmd's port commands do, for ports without traffic. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <vfbc_pmd_vf.h>

#include "vfbc_testpmd.h"

#define VFBC_TP_NB_MBUF		1024	/* Rx ring plus slack: nothing is forwarded. */
#define VFBC_TP_MBUF_CACHE	32
#define VFBC_TP_RING_SIZE	256	/* When the driver suggests none. */

/* Ports this process started, to stop them at exit. */
static uint8_t vfbc_tp_started[RTE_MAX_ETHPORTS];

int
vfbc_tp_port_check(uint32_t port_id)
{
	if (port_id > UINT16_MAX || !rte_eth_dev_is_valid_port((uint16_t)port_id)) {
		vfbc_tp_error("invalid port %u (%u port%s)", port_id, rte_eth_dev_count_avail(),
				rte_eth_dev_count_avail() == 1 ? "" : "s");
		return -ENODEV;
	}
	return 0;
}

int
vfbc_tp_port_infos_display(uint32_t port_id)
{
	static const char border[] = "*********************";
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_eth_dev_info dev_info;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	struct rte_ether_addr addr;
	struct rte_eth_link link;
	uint16_t mtu;
	int ret;

	ret = vfbc_tp_port_check(port_id);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_info_get(port_id, &dev_info);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot get device info: %s", port_id, strerror(-ret));
		return ret;
	}
	printf("\n%s Infos for port %-2u %s\n", border, port_id, border);
	if (rte_eth_macaddr_get(port_id, &addr) == 0) {
		rte_ether_format_addr(mac, sizeof(mac), &addr);
		printf("MAC address: %s\n", mac);
	}
	if (rte_eth_dev_get_name_by_port(port_id, name) == 0)
		printf("Device name: %s\n", name);
	printf("Driver name: %s\n", dev_info.driver_name);
	if (rte_dev_devargs(dev_info.device) != NULL &&
			rte_dev_devargs(dev_info.device)->args != NULL &&
			rte_dev_devargs(dev_info.device)->args[0] != '\0')
		printf("Devargs: %s\n", rte_dev_devargs(dev_info.device)->args);
	printf("Connect to socket: %d\n", rte_eth_dev_socket_id(port_id));
	if (rte_eth_link_get_nowait(port_id, &link) == 0) {
		printf("Link status: %s\n", link.link_status ? "up" : "down");
		printf("Link speed: %s\n", rte_eth_link_speed_to_str(link.link_speed));
	}
	if (rte_eth_dev_get_mtu(port_id, &mtu) == 0)
		printf("MTU: %u\n", mtu);
	printf("Maximum number of VFs: %u\n", dev_info.max_vfs);
	printf("Current number of RX queues: %u\n", dev_info.nb_rx_queues);
	printf("Max possible RX queues: %u\n", dev_info.max_rx_queues);
	printf("Current number of TX queues: %u\n", dev_info.nb_tx_queues);
	printf("Max possible TX queues: %u\n", dev_info.max_tx_queues);
	return 0;
}

int
vfbc_tp_port_stats_display(uint32_t port_id)
{
	static const char border[] = "########################";
	struct rte_eth_stats stats;
	int ret;

	ret = vfbc_tp_port_check(port_id);
	if (ret < 0)
		return ret;
	ret = rte_eth_stats_get(port_id, &stats);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot get stats: %s", port_id, strerror(-ret));
		return ret;
	}
	printf("\n  %s NIC statistics for port %-2u %s\n", border, port_id, border);
	printf("  RX-packets: %-10"PRIu64" RX-missed: %-10"PRIu64" RX-bytes:  %-"PRIu64"\n",
	       stats.ipackets, stats.imissed, stats.ibytes);
	printf("  RX-errors: %-"PRIu64"\n", stats.ierrors);
	printf("  RX-nombuf:  %"PRIu64"\n", stats.rx_nombuf);
	printf("  TX-packets: %-10"PRIu64" TX-errors: %-10"PRIu64" TX-bytes:  %-"PRIu64"\n",
	       stats.opackets, stats.oerrors, stats.obytes);
	printf("  %s############################%s\n", border, border);
	return 0;
}

int
vfbc_tp_port_xstats_display(uint32_t port_id)
{
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *xstats;
	int count;
	int ret;
	int i;

	ret = vfbc_tp_port_check(port_id);
	if (ret < 0)
		return ret;
	count = rte_eth_xstats_get_names(port_id, NULL, 0);
	if (count < 0) {
		vfbc_tp_error("port %u: cannot get xstats: %s", port_id, strerror(-count));
		return count;
	}
	names = calloc(count + 1, sizeof(*names));
	xstats = calloc(count + 1, sizeof(*xstats));
	ret = -ENOMEM;
	if (names == NULL || xstats == NULL) {
		vfbc_tp_error("port %u: out of memory for %d xstats", port_id, count);
		goto out;
	}
	ret = rte_eth_xstats_get_names(port_id, names, count);
	if (ret == count)
		ret = rte_eth_xstats_get(port_id, xstats, count);
	if (ret != count) {
		/* A count that changed between the calls is as bad as an error. */
		vfbc_tp_error("port %u: cannot get xstats: %s", port_id,
				ret < 0 ? strerror(-ret) : "their number changed");
		ret = ret < 0 ? ret : -EAGAIN;
		goto out;
	}
	printf("###### NIC extended statistics for port %u\n", port_id);
	for (i = 0; i < count; i++)
		printf("%s: %"PRIu64"\n", names[xstats[i].id].name, xstats[i].value);
	ret = 0;
out:
	free(names);
	free(xstats);
	return ret;
}

static struct rte_mempool *
vfbc_tp_mbuf_pool(int socket_id)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;

	if (socket_id < 0)
		socket_id = 0;
	snprintf(name, sizeof(name), "vfbc_tp_mbuf_%d", socket_id);
	mp = rte_mempool_lookup(name);
	if (mp != NULL)
		return mp;
	return rte_pktmbuf_pool_create(name, VFBC_TP_NB_MBUF, VFBC_TP_MBUF_CACHE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, socket_id);
}

/* One Rx and one Tx queue with the driver's defaults: enough for control. */
static int
vfbc_tp_port_configure(uint16_t port_id, const struct rte_eth_dev_info *dev_info)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t nb_rxd;
	uint16_t nb_txd;
	int socket_id;
	int ret;

	socket_id = rte_eth_dev_socket_id(port_id);
	mp = vfbc_tp_mbuf_pool(socket_id);
	if (mp == NULL) {
		vfbc_tp_error("port %u: cannot create the mbuf pool: %s", port_id,
				rte_strerror(rte_errno));
		return -rte_errno;
	}
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port_id, 1, 1, &conf);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot configure: %s", port_id, strerror(-ret));
		return ret;
	}
	nb_rxd = dev_info->default_rxportconf.ring_size;
	nb_txd = dev_info->default_txportconf.ring_size;
	if (nb_rxd == 0)
		nb_rxd = VFBC_TP_RING_SIZE;
	if (nb_txd == 0)
		nb_txd = VFBC_TP_RING_SIZE;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port_id, 0, nb_rxd, socket_id < 0 ? 0 : socket_id,
				NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port_id, 0, nb_txd, socket_id < 0 ? 0 : socket_id,
				NULL);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot set up its queues: %s", port_id, strerror(-ret));
		return ret;
	}
	return 0;
}

int
vfbc_tp_port_start(uint32_t port_id)
{
	struct rte_eth_dev_info dev_info;
	int ret;

	ret = vfbc_tp_port_check(port_id);
	if (ret < 0)
		return ret;
	if (vfbc_tp_started[port_id]) {
		printf("Port %u is already started\n", port_id);
		return 0;
	}
	ret = rte_eth_dev_info_get(port_id, &dev_info);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot get device info: %s", port_id, strerror(-ret));
		return ret;
	}
	/* A secondary starts what its primary configured, never reconfigures. */
	if (dev_info.nb_rx_queues == 0 && rte_eal_process_type() == RTE_PROC_PRIMARY) {
		printf("Configuring port %u (1 Rx queue, 1 Tx queue)\n", port_id);
		ret = vfbc_tp_port_configure(port_id, &dev_info);
		if (ret != 0)
			return ret;
	}
	ret = rte_eth_dev_start(port_id);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot start: %s", port_id, strerror(-ret));
		return ret;
	}
	vfbc_tp_started[port_id] = 1;
	printf("Port %u started\n", port_id);
	return 0;
}

int
vfbc_tp_port_stop(uint32_t port_id)
{
	int ret;

	ret = vfbc_tp_port_check(port_id);
	if (ret < 0)
		return ret;
	if (!vfbc_tp_started[port_id]) {
		printf("Port %u is not started\n", port_id);
		return 0;
	}
	ret = rte_eth_dev_stop(port_id);
	if (ret != 0) {
		vfbc_tp_error("port %u: cannot stop: %s", port_id, strerror(-ret));
		return ret;
	}
	vfbc_tp_started[port_id] = 0;
	printf("Port %u stopped\n", port_id);
	return 0;
}

/*
 * As testpmd's "port reset": the port must be stopped. A VF port's reset
 * is how its application comes back after a reset event (it claims the VF
 * again): vf_events.c says what became of the claim.
 */
int
vfbc_tp_port_reset(uint32_t port_id)
{
	static const char what[] = "port reset";
	struct rte_eth_dev_info dev_info;
	struct vfbc_vf_info info;
	int ret;

	ret = vfbc_tp_port_check(port_id);
	if (ret < 0)
		return ret;
	if (vfbc_tp_started[port_id]) {
		vfbc_tp_error("%s: port %u is started: stop it first (port stop %u)", what,
				port_id, port_id);
		return -EBUSY;
	}
	ret = rte_eth_dev_reset(port_id);
	if (vfbc_vf_get_info(port_id, &info) == 0)
		return vfbc_tp_vf_reset_report(what, port_id, ret);
	if (ret == -ENOTSUP && rte_eth_dev_info_get(port_id, &dev_info) == 0) {
		vfbc_tp_error("%s: port %u: its driver (%s) cannot reset it", what, port_id,
				dev_info.driver_name);
		return ret;
	}
	if (ret < 0) {
		vfbc_tp_error("%s: port %u: %s", what, port_id, strerror(-ret));
		return ret;
	}
	printf("Port %u reset\n", port_id);
	return 0;
}

/* At exit in the primary: stop what we started and close every port. */
void
vfbc_tp_ports_close(void)
{
	uint16_t pid;

	RTE_ETH_FOREACH_DEV(pid) {
		if (vfbc_tp_started[pid] && rte_eth_dev_stop(pid) == 0)
			vfbc_tp_started[pid] = 0;
		rte_eth_dev_close(pid);
	}
}
