/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_vf: PCI probe/remove, devargs and the ethdev port of a VF.
 *
 * The primary creates a port per VF (named after the VF's PCI address);
 * secondaries attach to it. The port carries no traffic: rx_burst delivers
 * pending invalidations in the process holding the VF's claim and returns
 * 0 packets, tx_burst frees every packet and counts it as an output error.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <ethdev_pci.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <vfbc_pci_ids.h>

#include "vfbc_port.h"
#include "vfbc_vf.h"
#include "vfbc_vf_log.h"
#include "vfbc_vf_extra_ids.h"


static const struct rte_pci_id vfbc_vf_pci_id_map[] = {
	{ RTE_PCI_DEVICE(VFBC_PCI_VENDOR_ID, VFBC_PCI_VF_DEVICE_ID) },
	VFBC_VF_EXTRA_PCI_IDS
	{ .vendor_id = 0, /* sentinel */ },
};

static const struct eth_dev_ops vfbc_vf_ops;

int
vfbc_vf_port_get(uint16_t port_id, struct rte_eth_dev **dev, struct vfbc_vf_proc **proc)
{
	struct vfbc_vf_adapter *ad;
	struct rte_eth_dev *d;

	/*
	 * rte_eth_dev_is_valid_port(), inline: every vfbc_vf_poll() comes
	 * through here, and the call would cost more than the channel's poll.
	 */
	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return -ENODEV;
	d = &rte_eth_devices[port_id];
	if (unlikely(d->state == RTE_ETH_DEV_UNUSED))
		return -ENODEV;
	if (d->dev_ops != &vfbc_vf_ops || d->process_private == NULL)
		return -ENODEV;
	ad = d->data->dev_private;
	if (ad == NULL || ad->magic != VFBC_VF_ADAPTER_MAGIC)
		return -ENODEV;
	if (dev != NULL)
		*dev = d;
	*proc = d->process_private;
	return 0;
}

static uint16_t
vfbc_vf_rx_burst(void *queue, struct rte_mbuf **bufs __rte_unused, uint16_t nb_bufs __rte_unused)
{
	const struct vfbc_port_queue *q = queue;
	struct vfbc_vf_proc *proc;

	if (unlikely(q == NULL))
		return 0;
	/* The queue is shared; this process's state is in its own ethdev. */
	proc = rte_eth_devices[q->port_id].process_private;
	if (proc != NULL && __atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) != 0 &&
	    !vfbc_vf_mbox_poll_idle(proc))
		(void)vfbc_vf_mbox_poll(proc, NULL);
	return 0;
}

static int
vfbc_vf_dev_start(struct rte_eth_dev *dev)
{
	struct vfbc_vf_adapter *ad = dev->data->dev_private;

	ad->started = 1;
	vfbc_port_set_started(dev, 1);
	return 0;
}

static int
vfbc_vf_dev_stop(struct rte_eth_dev *dev)
{
	struct vfbc_vf_adapter *ad = dev->data->dev_private;

	ad->started = 0;
	vfbc_port_set_started(dev, 0);
	return 0;
}

static int
vfbc_vf_dev_infos_get(struct rte_eth_dev *dev __rte_unused, struct rte_eth_dev_info *info)
{
	vfbc_port_infos(info, RTE_ETHER_MIN_MTU, VFBC_VF_MAX_MTU, VFBC_VF_MAX_QUEUES);
	return 0;
}

/*
 * The link is the backchannel's, as the life watch of the process holding
 * the claim reports it (vfbc_vf_life.c): another process leaves it alone.
 */
static int
vfbc_vf_link_update(struct rte_eth_dev *dev, int wait_to_complete __rte_unused)
{
	struct vfbc_vf_proc *proc = dev->process_private;

	if (proc == NULL || !__atomic_load_n(&proc->life_on, __ATOMIC_RELAXED))
		return -1;
	return vfbc_port_link_update(dev, vfbc_vf_life_link(proc));
}

struct vfbc_vf_proc *
vfbc_vf_proc_new(struct rte_eth_dev *dev)
{
	struct vfbc_vf_proc *proc;

	/* Process-local memory: nothing of it may outlive or leave the process. */
	proc = calloc(1, sizeof(*proc));
	if (proc == NULL)
		return NULL;
	proc->port_id = dev->data->port_id;
	proc->vf_id = VFBC_VF_ID_NONE;
	proc->sysfs_vf_id = VFBC_VF_ID_NONE;
	proc->proof_fd = -1;
	proc->primary_pidfd = -1;
	proc->sock_fd = proc->sock_wake = -1;
	proc->sleep_epfd = proc->sleep_kick = proc->sleep_wake = -1;
	proc->wait_epfd = -1;
	proc->last_event = VFBC_VF_EVENT_NONE;
	rte_spinlock_init(&proc->ctrl_lock);
	rte_spinlock_init(&proc->poll_lock);
	rte_spinlock_init(&proc->cb_lock);
	rte_spinlock_init(&proc->fp_lock);
	pthread_mutex_init(&proc->req_lock, NULL);
	pthread_mutex_init(&proc->sleep_cb_lock, NULL);
	dev->process_private = proc;
	vfbc_vf_fp_set(proc->port_id, proc);
	return proc;
}

/* Release this process's state of the port; the shared part is ethdev's. */
void
vfbc_vf_proc_free(struct rte_eth_dev *dev)
{
	struct vfbc_vf_proc *proc = dev->process_private;

	if (proc == NULL)
		return;
	vfbc_vf_fp_close(proc);
	vfbc_vf_mbox_uninit(proc);
	pthread_mutex_destroy(&proc->req_lock);
	pthread_mutex_destroy(&proc->sleep_cb_lock);
	free(proc);
	dev->process_private = NULL;
}

static int
vfbc_vf_dev_close(struct rte_eth_dev *dev)
{
	struct vfbc_vf_proc *proc = dev->process_private;

	/*
	 * From the port's own invalidation callback, the poll that called it
	 * still uses the port's state when the callback returns: not freed.
	 */
	if (proc != NULL && vfbc_vf_mbox_delivering(proc)) {
		/* ethdev releases the port all the same: it is not this VF's any more. */
		vfbc_vf_fp_close(proc);
		VF_LOG(ERR, "port %u: closed from its own invalidation callback: its state "
		       "is left allocated", dev->data->port_id);
		return -EDEADLK;
	}
	/* From one of its life-event callbacks: the watch frees the state once it returns. */
	if (proc != NULL && vfbc_vf_life_watching(proc)) {
		vfbc_vf_fp_close(proc);
		proc->life_free = 1;
		dev->process_private = NULL;
	}
	vfbc_vf_proc_free(dev);
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	vfbc_port_queues_release(dev);
	return 0;
}

static const struct eth_dev_ops vfbc_vf_ops = {
	.dev_configure = vfbc_port_noop,
	.dev_start = vfbc_vf_dev_start,
	.dev_stop = vfbc_vf_dev_stop,
	.dev_close = vfbc_vf_dev_close,
	.dev_infos_get = vfbc_vf_dev_infos_get,
	.link_update = vfbc_vf_link_update,
	.dev_reset = vfbc_vf_dev_reset,
	.promiscuous_enable = vfbc_port_noop,
	.promiscuous_disable = vfbc_port_noop,
	.allmulticast_enable = vfbc_port_noop,
	.allmulticast_disable = vfbc_port_noop,
	.mtu_set = vfbc_port_mtu_set,
	.rx_queue_setup = vfbc_port_rx_queue_setup,
	.rx_queue_release = vfbc_port_rx_queue_release,
	.rx_queue_intr_enable = vfbc_vf_rx_queue_intr_enable,
	.rx_queue_intr_disable = vfbc_vf_rx_queue_intr_disable,
	.tx_queue_setup = vfbc_port_tx_queue_setup,
	.tx_queue_release = vfbc_port_tx_queue_release,
	.stats_get = vfbc_port_stats_get,
	.stats_reset = vfbc_port_stats_reset,
};

/* claim: 1 to claim at probe; defaults to 1 in a secondary, 0 in the primary. */
static int
vfbc_vf_parse_args(const struct rte_devargs *devargs, struct vfbc_vf_args *args)
{
	args->claim = rte_eal_process_type() != RTE_PROC_PRIMARY;
	args->req_spin = 0;
	return vfbc_vf_devargs_parse(devargs != NULL ? devargs->args : NULL, args);
}

/* Linux gives a VF, and only a VF, a physfn link to its PF. */
static int
vfbc_vf_is_vf(const struct rte_pci_device *pci_dev)
{
	char path[PATH_MAX];
	int n;

	n = snprintf(path, sizeof(path), "%s/%s/physfn", rte_pci_get_sysfs_path(),
		     pci_dev->name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	return access(path, F_OK) == 0;
}

void
vfbc_vf_set_burst(struct rte_eth_dev *dev)
{
	dev->dev_ops = &vfbc_vf_ops;
	dev->rx_pkt_burst = vfbc_vf_rx_burst;
	dev->tx_pkt_burst = vfbc_port_tx_burst;
}

int
vfbc_vf_data_init(struct rte_eth_dev *dev, const uint8_t mac_tail[4])
{
	struct vfbc_vf_adapter *ad = dev->data->dev_private;
	struct rte_ether_addr *mac;

	mac = rte_zmalloc("vfbc_vf_mac", sizeof(*mac), 0);
	if (mac == NULL)
		return -ENOMEM;
	/* Locally administered, unique per port: the caller gives the last four bytes. */
	mac->addr_bytes[0] = 0x02;
	mac->addr_bytes[1] = 0xbd;
	memcpy(&mac->addr_bytes[2], mac_tail, 4);
	dev->data->mac_addrs = mac;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	/* The life events (vfbc_vf_life.c) are these ethdev interrupts. */
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC | RTE_ETH_DEV_INTR_RMV;
	dev->data->dev_link.link_autoneg = RTE_ETH_LINK_FIXED;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	ad->started = 0;
	return 0;
}

/* Derived from the VF's PCI address. */
static int
vfbc_vf_primary_init(struct rte_eth_dev *dev, struct rte_pci_device *pci_dev)
{
	const uint8_t tail[4] = {
		(uint8_t)pci_dev->addr.domain, pci_dev->addr.bus, pci_dev->addr.devid,
		pci_dev->addr.function,
	};

	return vfbc_vf_data_init(dev, tail);
}

static int
vfbc_vf_dev_init(struct rte_eth_dev *dev)
{
	struct rte_pci_device *pci_dev = RTE_ETH_DEV_TO_PCI(dev);
	struct vfbc_vf_adapter *ad = dev->data->dev_private;
	struct vfbc_vf_args args;
	struct vfbc_vf_proc *proc;
	int ret;

	vfbc_vf_set_burst(dev);
	ret = vfbc_vf_parse_args(pci_dev->device.devargs, &args);
	if (ret < 0)
		return ret;
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		ret = vfbc_vf_primary_init(dev, pci_dev);
		if (ret < 0)
			return ret;
	} else if (ad->magic != VFBC_VF_ADAPTER_MAGIC) {
		VF_LOG(ERR, "%s: the primary did not initialise this port", pci_dev->name);
		return -EPROTO;
	}

	proc = vfbc_vf_proc_new(dev);
	if (proc == NULL)
		return -ENOMEM;
	proc->vf_addr = pci_dev->addr;
	proc->req_spin = (uint8_t)args.req_spin;
	ad->magic = VFBC_VF_ADAPTER_MAGIC;

	ret = vfbc_vf_mbox_init(dev, proc);
	if (ret == 0 && args.claim)
		ret = vfbc_vf_mbox_claim(proc);
	if (ret < 0) {
		vfbc_vf_proc_free(dev);
		return ret;
	}
	VF_LOG(INFO, "port %u: VF %s, PF %s%s", dev->data->port_id, pci_dev->name,
	       proc->pf_name[0] != '\0' ? proc->pf_name : "unknown",
	       proc->claimed ? ", claimed" : "");
	return 0;
}

static int
vfbc_vf_dev_uninit(struct rte_eth_dev *dev)
{
	return vfbc_vf_dev_close(dev);
}

/*
 * In the primary, the EAL gives the VF a fresh interrupt handle for this
 * probe, hiding the config fd of the PF driver's mapping: net_vfbc_pf lends
 * it to the new handle on its next access (see the vfbc_pf guide).
 */
static int
vfbc_vf_pci_probe(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *pci_dev)
{
	/* With extra_vf_pci_ids, a PF may carry its VFs' ID (QEMU's NVMe PF does). */
	if (!vfbc_vf_is_vf(pci_dev)) {
		VF_LOG(INFO, "%s: not a VF (no physfn link): not probed", pci_dev->name);
		return 1;
	}
	return rte_eth_dev_pci_generic_probe(pci_dev, sizeof(struct vfbc_vf_adapter),
					     vfbc_vf_dev_init);
}

static int
vfbc_vf_pci_remove(struct rte_pci_device *pci_dev)
{
	return rte_eth_dev_pci_generic_remove(pci_dev, vfbc_vf_dev_uninit);
}

/* No RTE_PCI_DRV_NEED_MAPPING: the primary's PF driver maps the VFs. */
static struct rte_pci_driver vfbc_vf_pmd = {
	.id_table = vfbc_vf_pci_id_map,
	.drv_flags = 0,
	.probe = vfbc_vf_pci_probe,
	.remove = vfbc_vf_pci_remove,
};

RTE_PMD_REGISTER_PCI(net_vfbc_vf, vfbc_vf_pmd);
RTE_PMD_REGISTER_PCI_TABLE(net_vfbc_vf, vfbc_vf_pci_id_map);
RTE_PMD_REGISTER_KMOD_DEP(net_vfbc_vf, "* igb_uio | uio_pci_generic | vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(net_vfbc_vf, VFBC_VF_CLAIM_ARG "=<0|1> "
			      VFBC_VF_REQ_WAIT_ARG "=<yield|spin>");
