/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "vfbc_port.h"

uint16_t
vfbc_port_tx_burst(void *queue, struct rte_mbuf **bufs, uint16_t nb_bufs)
{
	struct vfbc_port_queue *q = queue;

	if (unlikely(q == NULL || bufs == NULL))
		return 0;
	rte_pktmbuf_free_bulk(bufs, nb_bufs);
	/* One lcore per queue (ethdev rule); stats readers load it whole. */
	__atomic_fetch_add(&q->packets, nb_bufs, __ATOMIC_RELAXED);
	return nb_bufs;
}

static int
port_queue_setup(struct rte_eth_dev *dev, void **slot, uint16_t queue_id,
		 unsigned int socket_id)
{
	struct vfbc_port_queue *q;

	rte_free(*slot);
	*slot = NULL;
	q = rte_zmalloc_socket("vfbc_port_queue", sizeof(*q), RTE_CACHE_LINE_SIZE, socket_id);
	if (q == NULL)
		return -ENOMEM;
	q->port_id = dev->data->port_id;
	q->queue_id = queue_id;
	*slot = q;
	return 0;
}

int
vfbc_port_rx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
			 uint16_t nb_desc __rte_unused, unsigned int socket_id,
			 const struct rte_eth_rxconf *conf __rte_unused, struct rte_mempool *mp)
{
	if (mp == NULL)
		return -EINVAL;
	return port_queue_setup(dev, &dev->data->rx_queues[queue_id], queue_id, socket_id);
}

int
vfbc_port_tx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
			 uint16_t nb_desc __rte_unused, unsigned int socket_id,
			 const struct rte_eth_txconf *conf __rte_unused)
{
	return port_queue_setup(dev, &dev->data->tx_queues[queue_id], queue_id, socket_id);
}

void
vfbc_port_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = NULL;
}

void
vfbc_port_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

void
vfbc_port_queues_release(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		vfbc_port_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		vfbc_port_tx_queue_release(dev, i);
}

void
vfbc_port_set_started(struct rte_eth_dev *dev, int started)
{
	uint8_t state = started ? RTE_ETH_QUEUE_STATE_STARTED : RTE_ETH_QUEUE_STATE_STOPPED;
	uint16_t i;

	dev->data->dev_link.link_status = started ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = state;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = state;
}

void
vfbc_port_infos(struct rte_eth_dev_info *info, uint16_t min_mtu, uint16_t max_mtu,
		uint16_t max_queues)
{
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = max_mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;
	info->min_mtu = min_mtu;
	info->max_mtu = max_mtu;
	info->max_rx_queues = max_queues;
	info->max_tx_queues = max_queues;
	info->min_rx_bufsize = 0;
	info->speed_capa = RTE_ETH_LINK_SPEED_FIXED;
	info->rx_desc_lim.nb_max = UINT16_MAX;
	info->rx_desc_lim.nb_min = 0;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->default_rxportconf.ring_size = 256;
	info->default_txportconf.ring_size = 256;
}

int
vfbc_port_link_update(struct rte_eth_dev *dev, int up)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	link.link_speed = RTE_ETH_SPEED_NUM_NONE;
	link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	link.link_status = up ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	return rte_eth_linkstatus_set(dev, &link);
}

int
vfbc_port_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	const struct vfbc_port_queue *q;
	uint64_t pkts;
	uint16_t i;

	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		q = dev->data->tx_queues[i];
		if (q == NULL)
			continue;
		pkts = __atomic_load_n(&q->packets, __ATOMIC_RELAXED);
		stats->oerrors += pkts;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS)
			stats->q_errors[i] += pkts;
	}
	return 0;
}

int
vfbc_port_stats_reset(struct rte_eth_dev *dev)
{
	struct vfbc_port_queue *q;
	uint16_t i;

	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		q = dev->data->tx_queues[i];
		if (q == NULL)
			continue;
		__atomic_store_n(&q->packets, 0, __ATOMIC_RELAXED);
	}
	return 0;
}

/* Nothing filters frames on a port without a datapath. */
int
vfbc_port_noop(struct rte_eth_dev *dev __rte_unused)
{
	return 0;
}

int
vfbc_port_mtu_set(struct rte_eth_dev *dev __rte_unused, uint16_t mtu __rte_unused)
{
	/* ethdev checked it against min_mtu/max_mtu. */
	return 0;
}
