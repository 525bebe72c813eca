/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf: PCI probe/remove, devargs and the ethdev port of the PF.
 *
 * The port exists so that applications find the PF by port id and read its
 * backchannel counters as xstats; it carries no traffic. rx_burst returns 0;
 * tx_burst consumes and frees every packet and counts it as an output error,
 * so that an application forwarding to it never spins on a full queue.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <ethdev_pci.h>

#include <vfbc_pci_ids.h>

#include "vfbc_pf.h"
#include "vfbc_port.h"
#include "vfbc_pf_ctl.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_pci.h"
#include "vfbc_pf_socket.h"
#include "vfbc_pf_sriov.h"
#include "vfbc_pf_extra_ids.h"


static const struct rte_pci_id vfbc_pf_pci_id_map[] = {
	{ RTE_PCI_DEVICE(VFBC_PCI_VENDOR_ID, VFBC_PCI_PF_DEVICE_ID) },
	VFBC_PF_EXTRA_PCI_IDS
	{ .vendor_id = 0, /* sentinel */ },
};

static const char * const vfbc_pf_xstat_names[VFBC_PF_XS_MAX] = {
	[VFBC_PF_XS_CFG_READS] = "vf_cfg_reads",
	[VFBC_PF_XS_CFG_READ_BYTES] = "vf_cfg_read_bytes",
	[VFBC_PF_XS_CFG_WRITES] = "vf_cfg_writes",
	[VFBC_PF_XS_CFG_WRITE_BYTES] = "vf_cfg_write_bytes",
	[VFBC_PF_XS_CFG_SHORT] = "vf_cfg_short_transfers",
	[VFBC_PF_XS_FAIL_EINVAL] = "vf_cfg_fail_einval",
	[VFBC_PF_XS_FAIL_ENXIO] = "vf_cfg_fail_enxio",
	[VFBC_PF_XS_FAIL_EIO] = "vf_cfg_fail_eio",
	[VFBC_PF_XS_FAIL_SECONDARY] = "vf_cfg_fail_secondary",
	[VFBC_PF_XS_VF_RESETS] = "vf_resets",
	[VFBC_PF_XS_VF_POWER_CHANGES] = "vf_power_changes",
	[VFBC_PF_XS_VIRT_CHANGES] = "virt_changes",
	[VFBC_PF_XS_MBOX_REQ_BLOCK_WRITE] = "mbox_req_block_write",
	[VFBC_PF_XS_MBOX_REQ_CFG_READ] = "mbox_req_cfg_read",
	[VFBC_PF_XS_MBOX_REQ_CFG_WRITE] = "mbox_req_cfg_write",
	[VFBC_PF_XS_MBOX_ACCEPTED] = "mbox_accepted",
	[VFBC_PF_XS_MBOX_REJ_POLICY] = "mbox_rejected_policy",
	[VFBC_PF_XS_MBOX_REJ_APP] = "mbox_rejected_app",
	[VFBC_PF_XS_MBOX_REJ_VF_STATE] = "mbox_rejected_vf_state",
	[VFBC_PF_XS_MBOX_FAILED] = "mbox_failed",
	[VFBC_PF_XS_MBOX_MALFORMED_PF] = "mbox_malformed_pf",
	[VFBC_PF_XS_MBOX_RESETS] = "mbox_vf_resets",
	[VFBC_PF_XS_MBOX_POWER] = "mbox_vf_power_changes",
	[VFBC_PF_XS_MBOX_VF_VISITS] = "mbox_vf_visits",
	[VFBC_PF_XS_MBOX_RATE_LIMITED] = "mbox_rate_limited",
	[VFBC_PF_XS_MBOX_ASYNC] = "mbox_async",
	[VFBC_PF_XS_MBOX_SWEEP_FOUND] = "mbox_sweep_found",
	[VFBC_PF_XS_MBOX_LOG_SUPPRESSED] = "mbox_log_suppressed",
	[VFBC_PF_XS_MBOX_SLEEPS] = "mbox_sleeps",
	[VFBC_PF_XS_MBOX_SLEEP_WAKES] = "mbox_sleep_wakes",
};

/* The adapter's counters, then the mailbox's sums over the channel. */
#define VFBC_PF_NB_XSTATS (VFBC_PF_XS_MAX + VFBC_PF_MBOX_CH_XS_MAX)

static const struct eth_dev_ops vfbc_pf_ops;

static void vfbc_pf_proc_free(struct rte_eth_dev *dev);

int
vfbc_pf_port_get(uint16_t port_id, struct rte_eth_dev **dev,
		 struct vfbc_pf_adapter **ad)
{
	struct rte_eth_dev *d;
	struct vfbc_pf_adapter *a;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	d = &rte_eth_devices[port_id];
	if (d->dev_ops != &vfbc_pf_ops)
		return -ENODEV;
	a = d->data->dev_private;
	if (a == NULL || a->magic != VFBC_PF_ADAPTER_MAGIC)
		return -ENODEV;
	*dev = d;
	*ad = a;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY || d->process_private == NULL)
		return -E_RTE_SECONDARY;
	return 0;
}

int
vfbc_pf_proc_get(uint16_t port_id, struct vfbc_pf_proc **pf)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	*pf = dev->process_private;
	return 0;
}

static uint16_t
vfbc_pf_rx_burst(void *queue __rte_unused, struct rte_mbuf **bufs __rte_unused,
		 uint16_t nb_bufs __rte_unused)
{
	return 0;
}

static int
vfbc_pf_dev_start(struct rte_eth_dev *dev)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;

	ad->started = 1;
	vfbc_port_set_started(dev, 1);
	return 0;
}

static int
vfbc_pf_dev_stop(struct rte_eth_dev *dev)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;

	ad->started = 0;
	vfbc_port_set_started(dev, 0);
	return 0;
}

static int
vfbc_pf_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;

	vfbc_port_infos(info, VFBC_PF_MIN_MTU, VFBC_PF_MAX_MTU, VFBC_PF_MAX_QUEUES);
	info->max_vfs = ad->total_vfs;
	return 0;
}

static int
vfbc_pf_link_update(struct rte_eth_dev *dev, int wait_to_complete __rte_unused)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;

	return vfbc_port_link_update(dev, ad->started);
}

static int
vfbc_pf_xstats_get_names(struct rte_eth_dev *dev __rte_unused,
			 struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int i;

	if (names == NULL || size < VFBC_PF_NB_XSTATS)
		return VFBC_PF_NB_XSTATS;
	for (i = 0; i < VFBC_PF_XS_MAX; i++)
		strlcpy(names[i].name, vfbc_pf_xstat_names[i], sizeof(names[i].name));
	vfbc_pf_mbox_xstats_names(names + VFBC_PF_XS_MAX, VFBC_PF_MBOX_CH_XS_MAX);
	return VFBC_PF_NB_XSTATS;
}

static int
vfbc_pf_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats, unsigned int n)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	uint64_t mbox[VFBC_PF_MBOX_CH_XS_MAX];
	unsigned int i;

	if (xstats == NULL || n < VFBC_PF_NB_XSTATS)
		return VFBC_PF_NB_XSTATS;
	for (i = 0; i < VFBC_PF_XS_MAX; i++) {
		xstats[i].id = i;
		xstats[i].value = __atomic_load_n(&ad->xstats[i], __ATOMIC_RELAXED);
	}
	vfbc_pf_mbox_xstats_values(dev, mbox);
	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX; i++) {
		xstats[VFBC_PF_XS_MAX + i].id = VFBC_PF_XS_MAX + i;
		xstats[VFBC_PF_XS_MAX + i].value = mbox[i];
	}
	return VFBC_PF_NB_XSTATS;
}

static int
vfbc_pf_xstats_reset(struct rte_eth_dev *dev)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	unsigned int i;

	for (i = 0; i < VFBC_PF_XS_MAX; i++)
		__atomic_store_n(&ad->xstats[i], 0, __ATOMIC_RELAXED);
	vfbc_pf_mbox_xstats_reset(dev);
	return vfbc_port_stats_reset(dev);
}

static int
vfbc_pf_mac_addr_set(struct rte_eth_dev *dev __rte_unused,
		     struct rte_ether_addr *addr __rte_unused)
{
	return 0;
}

static int
vfbc_pf_dev_close(struct rte_eth_dev *dev)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	vfbc_port_queues_release(dev);
	vfbc_pf_proc_free(dev);
	return 0;
}

static const struct eth_dev_ops vfbc_pf_ops = {
	.dev_configure = vfbc_port_noop,
	.dev_start = vfbc_pf_dev_start,
	.dev_stop = vfbc_pf_dev_stop,
	.dev_close = vfbc_pf_dev_close,
	.dev_infos_get = vfbc_pf_dev_infos_get,
	.link_update = vfbc_pf_link_update,
	.promiscuous_enable = vfbc_port_noop,
	.promiscuous_disable = vfbc_port_noop,
	.allmulticast_enable = vfbc_port_noop,
	.allmulticast_disable = vfbc_port_noop,
	.mtu_set = vfbc_port_mtu_set,
	.mac_addr_set = vfbc_pf_mac_addr_set,
	.rx_queue_setup = vfbc_port_rx_queue_setup,
	.rx_queue_release = vfbc_port_rx_queue_release,
	.tx_queue_setup = vfbc_port_tx_queue_setup,
	.tx_queue_release = vfbc_port_tx_queue_release,
	.stats_get = vfbc_port_stats_get,
	.stats_reset = vfbc_port_stats_reset,
	.xstats_get = vfbc_pf_xstats_get,
	.xstats_get_names = vfbc_pf_xstats_get_names,
	.xstats_reset = vfbc_pf_xstats_reset,
};

static void
vfbc_pf_set_burst(struct rte_eth_dev *dev)
{
	dev->dev_ops = &vfbc_pf_ops;
	dev->rx_pkt_burst = vfbc_pf_rx_burst;
	dev->tx_pkt_burst = vfbc_port_tx_burst;
}

/* The primary's state of the port, and everything hanging off it. */
static void
vfbc_pf_proc_free(struct rte_eth_dev *dev)
{
	struct vfbc_pf_proc *pf = dev->process_private;

	if (pf == NULL)
		return;
	/*
	 * The socket grants claims of the channel: close it first (its
	 * consumers see a hang-up). The service queues jobs on the control
	 * thread, and the jobs use the mailbox and the VF table: stop the
	 * service, then the jobs (queued ones cancel), then free the mailbox,
	 * then the table.
	 */
	vfbc_pf_socket_stop(pf);
	vfbc_pf_mbox_stop(pf);
	vfbc_pf_ctl_stop(pf);
	vfbc_pf_mbox_uninit(pf);
	vfbc_pf_sriov_release(pf);
	vfbc_pf_owner_drop(pf);
	dev->process_private = NULL;
	pthread_rwlock_destroy(&pf->lock);
	pthread_mutex_destroy(&pf->ctrl);
	rte_free(pf);
}

static int
vfbc_pf_proc_alloc(struct rte_eth_dev *dev, const struct vfbc_pf_args *args)
{
	struct rte_pci_device *pci_dev = RTE_ETH_DEV_TO_PCI(dev);
	struct vfbc_pf_sriov s;
	struct vfbc_pf_proc *pf;
	int ret;

	/* The VF table is sized by TotalVFs: read the capability once first. */
	ret = vfbc_pf_sriov_read(pci_dev, &s);
	if (ret < 0) {
		PF_INIT_LOG(ERR, "%s: cannot read its configuration space", pci_dev->name);
		return ret;
	}
	pf = rte_zmalloc_socket("vfbc_pf_proc", sizeof(*pf) + sizeof(pf->vfs[0]) * s.total_vfs,
				RTE_CACHE_LINE_SIZE, pci_dev->device.numa_node);
	if (pf == NULL)
		return -ENOMEM;
	pf->port_id = dev->data->port_id;
	pf->ad = dev->data->dev_private;
	pf->pf_dev = pci_dev;
	pf->args = *args;
	pf->owner_fd = -1;
	pthread_rwlock_init(&pf->lock, NULL);
	pthread_mutex_init(&pf->ctrl, NULL);
	dev->process_private = pf;
	return 0;
}

static int
vfbc_pf_dev_init(struct rte_eth_dev *dev)
{
	struct rte_pci_device *pci_dev = RTE_ETH_DEV_TO_PCI(dev);
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	struct rte_devargs *da = pci_dev->device.devargs;
	struct rte_ether_addr *mac;
	struct vfbc_pf_args args;
	struct vfbc_pf_proc *pf;
	int ret;

	vfbc_pf_set_burst(dev);
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		if (ad->magic != VFBC_PF_ADAPTER_MAGIC) {
			PF_INIT_LOG(ERR, "%s: the primary did not initialise this port",
				    pci_dev->name);
			return -EPROTO;
		}
		return 0;
	}

	ret = vfbc_pf_devargs_parse(da != NULL ? da->args : NULL, &args);
	if (ret < 0)
		return ret;

	mac = rte_zmalloc("vfbc_pf_mac", sizeof(*mac), 0);
	if (mac == NULL)
		return -ENOMEM;
	/* Locally administered and unique per PF: derived from its address. */
	mac->addr_bytes[0] = 0x02;
	mac->addr_bytes[1] = 0xbc;
	mac->addr_bytes[2] = (uint8_t)pci_dev->addr.domain;
	mac->addr_bytes[3] = pci_dev->addr.bus;
	mac->addr_bytes[4] = pci_dev->addr.devid;
	mac->addr_bytes[5] = pci_dev->addr.function;
	dev->data->mac_addrs = mac;
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->data->dev_link.link_autoneg = RTE_ETH_LINK_FIXED;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;

	ad->map_vfs = (uint8_t)args.map_vfs;
	ad->max_vfs = args.max_vfs > UINT16_MAX ? UINT16_MAX : (uint16_t)args.max_vfs;
	/* ethdev frees mac_addrs when it releases the port, on failure too. */
	ret = vfbc_pf_proc_alloc(dev, &args);
	if (ret < 0)
		return ret;
	pf = dev->process_private;
	ret = vfbc_pf_owner_take(pf);
	if (ret == 0)
		ret = vfbc_pf_sriov_init(pf);
	/* One queued job per VF at most: the service waits for each. */
	if (ret == 0)
		ret = vfbc_pf_ctl_start(pf, RTE_MAX(pf->sriov.total_vfs, 1));
	if (ret == 0)
		ret = vfbc_pf_mbox_init(pf, dev);
	if (ret < 0) {
		vfbc_pf_proc_free(dev);
		return ret;
	}
	vfbc_pf_sriov_enable_at_probe(pf, (uint16_t)args.num_vfs);
	vfbc_pf_mbox_refresh(pf);
	ret = vfbc_pf_socket_start(pf);
	if (ret < 0) {
		vfbc_pf_proc_free(dev);
		return ret;
	}
	ad->magic = VFBC_PF_ADAPTER_MAGIC;
	PF_INIT_LOG(INFO, "port %u: PF %s, %u of %u VFs enabled", dev->data->port_id,
		    pci_dev->name, ad->num_vfs, ad->total_vfs);
	return 0;
}

static int
vfbc_pf_dev_uninit(struct rte_eth_dev *dev)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	return vfbc_pf_dev_close(dev);
}

/*
 * No RTE_PCI_DRV_NEED_MAPPING: the driver maps the PF itself, once it knows
 * the function is a PF, so that refusing a VF leaves the VF untouched (the
 * EAL would map it for us and unmap it after the refusal, with the handles
 * it just replaced, while the PF of that VF may hold its own mapping).
 */
static int
vfbc_pf_pci_probe(struct rte_pci_driver *drv __rte_unused, struct rte_pci_device *pci_dev)
{
	int ret;

	/* With extra_pf_pci_ids, VFs may carry their PF's ID (QEMU's NVMe VFs do). */
	if (vfbc_pf_is_vf(pci_dev)) {
		PF_INIT_LOG(INFO, "%s: a VF (it has a physfn link), not a PF: not probed",
			    pci_dev->name);
		return 1;
	}
	/* As the EAL would: > 0 (no uio/vfio driver) means "not probed". */
	ret = rte_pci_map_device(pci_dev);
	if (ret != 0) {
		if (ret < 0)
			PF_INIT_LOG(ERR, "%s: cannot map the PF", pci_dev->name);
		return ret;
	}
	ret = rte_eth_dev_pci_generic_probe(pci_dev, sizeof(struct vfbc_pf_adapter),
					    vfbc_pf_dev_init);
	if (ret != 0)
		rte_pci_unmap_device(pci_dev);
	return ret;
}

static int
vfbc_pf_pci_remove(struct rte_pci_device *pci_dev)
{
	int ret;

	ret = rte_eth_dev_pci_generic_remove(pci_dev, vfbc_pf_dev_uninit);
	if (ret == 0)
		rte_pci_unmap_device(pci_dev);
	return ret;
}

static struct rte_pci_driver vfbc_pf_pmd = {
	.id_table = vfbc_pf_pci_id_map,
	.drv_flags = 0,
	.probe = vfbc_pf_pci_probe,
	.remove = vfbc_pf_pci_remove,
};

RTE_PMD_REGISTER_PCI(net_vfbc_pf, vfbc_pf_pmd);
RTE_PMD_REGISTER_PCI_TABLE(net_vfbc_pf, vfbc_pf_pci_id_map);
RTE_PMD_REGISTER_KMOD_DEP(net_vfbc_pf, "* igb_uio | uio_pci_generic | vfio-pci");
RTE_PMD_REGISTER_PARAM_STRING(net_vfbc_pf,
	VFBC_PF_MAP_VFS_ARG "=<0|1> "
	VFBC_PF_MAX_VFS_ARG "=<int> "
	VFBC_PF_NUM_VFS_ARG "=<int> "
	VFBC_PF_VF_MSG_CFG_ARG "=<max>@<period>:<ignore> "
	VFBC_PF_SOCKET_ARG "=<path> "
	VFBC_PF_SOCKET_UID_ARG "=<uid> "
	VFBC_PF_SOCKET_GID_ARG "=<gid>");
