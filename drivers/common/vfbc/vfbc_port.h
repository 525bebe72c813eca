/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PORT_H_
#define _VFBC_PORT_H_

/*
 * The ethdev side shared by net_vfbc_pf and net_vfbc_vf: ports that carry no
 * traffic (the backchannel is their job) but behave like any port under a
 * testpmd-style app. In librte_common_vfbc (drivers/common, as DPDK shares driver code):
 * exported to the drivers only (__vfbc_internal), not installed, not API.
 */

#include <stdint.h>

#include <ethdev_driver.h>

#include <vfbc_compat.h>

/*
 * A queue: rx returns nothing, tx frees what it is given and counts it. The
 * freed packets are output errors (oerrors, q_errors), not opackets: they
 * were taken so that a forwarding loop never spins, but nothing sent them,
 * and opackets/obytes would claim a transmission that never happened.
 */
struct vfbc_port_queue {
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t packets;	/* tx: packets freed */
};

__vfbc_internal
uint16_t
vfbc_port_tx_burst(void *queue, struct rte_mbuf **bufs, uint16_t nb_bufs);

__vfbc_internal
int
vfbc_port_rx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc,
			 unsigned int socket_id, const struct rte_eth_rxconf *conf,
			 struct rte_mempool *mp);
__vfbc_internal
int
vfbc_port_tx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc,
			 unsigned int socket_id, const struct rte_eth_txconf *conf);
__vfbc_internal
void
vfbc_port_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
__vfbc_internal
void
vfbc_port_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
/* Every queue of the port, at close. */
__vfbc_internal
void
vfbc_port_queues_release(struct rte_eth_dev *dev);

/* Link and queue states of a port being started (1) or stopped (0). */
__vfbc_internal
void
vfbc_port_set_started(struct rte_eth_dev *dev, int started);

/* The device limits common to both ports. */
__vfbc_internal
void
vfbc_port_infos(struct rte_eth_dev_info *info, uint16_t min_mtu, uint16_t max_mtu,
		uint16_t max_queues);

__vfbc_internal
int
vfbc_port_link_update(struct rte_eth_dev *dev, int up);
__vfbc_internal
int
vfbc_port_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats);
__vfbc_internal
int
vfbc_port_stats_reset(struct rte_eth_dev *dev);

/* Configure, promiscuous and all-multicast modes, MTU: nothing to program. */
__vfbc_internal
int
vfbc_port_noop(struct rte_eth_dev *dev);
__vfbc_internal
int
vfbc_port_mtu_set(struct rte_eth_dev *dev, uint16_t mtu);

#endif /* _VFBC_PORT_H_ */
