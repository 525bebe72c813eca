/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * PF side of the mailbox: the channel of a PF port (created at probe in
 * the primary, freed at close), its VF address table, the rte_service,
 * and the PF API on top of the channel: invalidate (wait-free), config
 * blocks, consumer, counters and xstats.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_service.h>
#include <rte_service_component.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"

RTE_LOG_REGISTER_SUFFIX(vfbc_pf_logtype_mbox, mbox, NOTICE);

/* How long close waits for a service lcore to leave the service. */
#define PF_MBOX_SERVICE_STOP_US		(1000 * 1000)
#define PF_MBOX_SERVICE_STOP_POLL_US	1000

struct vfbc_pf_mbox *vfbc_pf_mboxes[RTE_MAX_ETHPORTS];

static const char * const pf_mbox_ch_xstat_names[VFBC_PF_MBOX_CH_XS_MAX] = {
	[VFBC_PF_MBOX_CH_XS_INVALIDATIONS] = "mbox_invalidations",
	[VFBC_PF_MBOX_CH_XS_COALESCED] = "mbox_invalidations_coalesced",
	[VFBC_PF_MBOX_CH_XS_DOORBELLS] = "mbox_doorbells",
	[VFBC_PF_MBOX_CH_XS_NOTIFY_RING_FULL] = "mbox_notify_ring_full",
	[VFBC_PF_MBOX_CH_XS_DELIVERIES] = "mbox_deliveries",
	[VFBC_PF_MBOX_CH_XS_RESYNCS] = "mbox_resyncs",
	[VFBC_PF_MBOX_CH_XS_MALFORMED] = "mbox_malformed",
	[VFBC_PF_MBOX_CH_XS_RESPONSES] = "mbox_responses",
	[VFBC_PF_MBOX_CH_XS_RESPONSE_RING_FULL] = "mbox_response_ring_full",
};

int
vfbc_pf_mbox_get(uint16_t port_id, struct vfbc_pf_mbox **mb)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	int ret;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return -ENODEV;
	/* Pairs with the release store at the end of vfbc_pf_mbox_init(). */
	/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
	*mb = __atomic_load_n(&vfbc_pf_mboxes[port_id], __ATOMIC_ACQUIRE);
	if (likely(*mb != NULL))
		return 0;
	/* Slow path, errors only: which one. */
	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	return ret < 0 ? ret : -ENXIO;
}

/*
 * Publish the address of every enabled VF that has a slot, withdraw the
 * others. Under the control mutex, so that of two refreshes racing with
 * enable/disable, the last one describes the final state.
 */
static void
pf_mbox_refresh(struct rte_eth_dev *dev, struct vfbc_pf_mbox *mb)
{
	struct vfbc_pf_proc *proc = dev->process_private;
	const struct vfbc_pf_vf *vf;
	uint16_t i, n, vendor;

	pthread_mutex_lock(&proc->ctrl);
	pthread_rwlock_rdlock(&proc->lock);
	n = RTE_MIN(proc->nb_vfs, mb->nb_slots);
	for (i = 0; i < mb->nb_slots; i++) {
		vf = &proc->vfs[i];
		if (i < n && vf->state != VFBC_PF_VF_UNROUTABLE)
			vfbc_channel_vf_addr_set(mb->ch, i, &vf->addr);
		else
			vfbc_channel_vf_addr_set(mb->ch, i, NULL);
	}
	if (vfbc_pf_cfg_read16(proc->pf_dev, RTE_PCI_VENDOR_ID, &vendor) < 0)
		vendor = proc->pf_dev->id.vendor_id;
	mb->vendor_id = vendor;
	mb->device_id = proc->sriov.vf_device_id;
	/*
	 * Relaxed: the invalidate path reads it (relaxed) only as a bound on
	 * channel slots, which all exist from creation; the fields above are
	 * read under proc->lock, which orders them.
	 */
	__atomic_store_n(&mb->nb_vfs, n, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&proc->lock);
	pthread_mutex_unlock(&proc->ctrl);
	PF_MBOX_LOG(DEBUG, "port %u: %u of %u VF slots published", mb->port_id, n,
		    mb->nb_slots);
}

void
vfbc_pf_mbox_refresh(struct rte_eth_dev *dev)
{
	struct vfbc_pf_mbox *mb = vfbc_pf_mboxes[dev->data->port_id];

	if (mb != NULL)
		pf_mbox_refresh(dev, mb);
}

static void
pf_mbox_service_register(struct rte_eth_dev *dev, struct vfbc_pf_mbox *mb)
{
	struct rte_service_spec spec;
	int ret;

	memset(&spec, 0, sizeof(spec));
	snprintf(spec.name, sizeof(spec.name), "vfbc_pf_mbox_%u", dev->data->port_id);
	spec.callback = vfbc_pf_mbox_service_run;
	spec.callback_userdata = (void *)(uintptr_t)dev->data->port_id;
	/* The poll excludes concurrent callers; parallel runs would gain nothing. */
	spec.capabilities = 0;
	spec.socket_id = dev->device->numa_node;
	ret = rte_service_component_register(&spec, &mb->service_id);
	if (ret < 0) {
		PF_MBOX_LOG(WARNING, "port %u: cannot register service %s (%s): "
			    "use vfbc_pf_mbox_poll()", dev->data->port_id, spec.name,
			    strerror(-ret));
		return;
	}
	rte_service_component_runstate_set(mb->service_id, 1);
	mb->service_ok = 1;
}

static void
pf_mbox_service_unregister(struct vfbc_pf_mbox *mb)
{
	uint64_t waited;

	if (!mb->service_ok)
		return;
	/*
	 * After rte_eal_cleanup() has finalised the service library (it does
	 * so before removing devices), these calls find no service and return
	 * -EINVAL: nothing runs any more then.
	 */
	rte_service_component_runstate_set(mb->service_id, 0);
	for (waited = 0; rte_service_may_be_active(mb->service_id) == 1;
	     waited += PF_MBOX_SERVICE_STOP_POLL_US) {
		if (waited >= PF_MBOX_SERVICE_STOP_US) {
			PF_MBOX_LOG(ERR, "port %u: service still running after %u ms",
				    mb->port_id, PF_MBOX_SERVICE_STOP_US / 1000);
			break;
		}
		rte_delay_us_sleep(PF_MBOX_SERVICE_STOP_POLL_US);
	}
	rte_service_component_unregister(mb->service_id);
	mb->service_ok = 0;
}

int
vfbc_pf_mbox_init(struct rte_eth_dev *dev)
{
	struct rte_pci_device *pci_dev = RTE_ETH_DEV_TO_PCI(dev);
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	struct vfbc_pf_proc *proc = dev->process_private;
	struct vfbc_pf_mbox *mb;
	uint16_t nb;

	nb = RTE_MIN(proc->sriov.total_vfs, ad->max_vfs);
	if (nb == 0) {
		PF_MBOX_LOG(INFO, "port %u: no VF to serve, no mailbox", dev->data->port_id);
		return 0;
	}
	if (nb > VFBC_CHANNEL_MAX_VFS) {
		PF_MBOX_LOG(WARNING, "port %u: %u VFs, the mailbox serves the first %u",
			    dev->data->port_id, nb, VFBC_CHANNEL_MAX_VFS);
		nb = VFBC_CHANNEL_MAX_VFS;
	}
	mb = rte_zmalloc_socket("vfbc_pf_mbox", sizeof(*mb), RTE_CACHE_LINE_SIZE,
				pci_dev->device.numa_node);
	if (mb == NULL)
		return -ENOMEM;
	mb->ch = vfbc_channel_create(pci_dev->name, nb, pci_dev->device.numa_node);
	if (mb->ch == NULL) {
		PF_MBOX_LOG(ERR, "port %u: cannot create channel %s%s: %s", dev->data->port_id,
			    VFBC_CHANNEL_MZ_PREFIX, pci_dev->name, rte_strerror(rte_errno));
		rte_free(mb);
		return -rte_errno;
	}
	mb->port_id = dev->data->port_id;
	mb->nb_slots = nb;
	rte_spinlock_init(&mb->poll_lock);
	pf_mbox_refresh(dev, mb);
	pf_mbox_service_register(dev, mb);
	/* Pairs with the acquire load in vfbc_pf_mbox_get(). */
	/*
	 * R10: pairs with A10 in vfbc_pf_mbox_get() and
	 * vfbc_pf_invalidate_config_blocks(): they see the channel set up.
	 */
	__atomic_store_n(&vfbc_pf_mboxes[dev->data->port_id], mb, __ATOMIC_RELEASE);
	PF_MBOX_LOG(INFO, "port %u: channel %s%s for %u VFs, service %s", dev->data->port_id,
		    VFBC_CHANNEL_MZ_PREFIX, pci_dev->name, nb,
		    mb->service_ok ? "registered" : "unavailable");
	return 0;
}

void
vfbc_pf_mbox_uninit(struct rte_eth_dev *dev)
{
	struct vfbc_pf_mbox *mb = vfbc_pf_mboxes[dev->data->port_id];

	if (mb == NULL)
		return;
	pf_mbox_service_unregister(mb);
	/* R10 (withdrawal): later lookups see NULL; the poll lock drains the rest. */
	__atomic_store_n(&vfbc_pf_mboxes[dev->data->port_id], NULL, __ATOMIC_RELEASE);
	/* An explicit poll in flight finishes before the channel goes. */
	rte_spinlock_lock(&mb->poll_lock);
	vfbc_channel_free(mb->ch);
	rte_spinlock_unlock(&mb->poll_lock);
	rte_free(mb);
}

/* Why vfbc_pf_invalidate_config_blocks() found no channel: errors only. */
static __rte_noinline __rte_cold int
pf_mbox_invalidate_no_channel(uint16_t port_id)
{
	struct vfbc_pf_mbox *mb;

	return vfbc_pf_mbox_get(port_id, &mb);
}

/*
 * vf_id >= n: no enabled VF, VFBC_PF_VF_ALL (>= any n), or a bad id. Out of
 * line, so that the single-VF path keeps one channel call, inlined. The
 * all-VFs loop is bounded by the channel size: still wait-free.
 */
static __rte_noinline __rte_cold int
pf_mbox_invalidate_other(struct vfbc_pf_mbox *mb, uint16_t n, uint16_t vf_id,
			 uint64_t block_mask)
{
	uint16_t vf;

	if (n == 0)
		return -ENXIO;
	if (vf_id != VFBC_PF_VF_ALL)
		return -EINVAL;
	for (vf = 0; vf < n; vf++)
		vfbc_channel_invalidate(mb->ch, vf, block_mask);
	return 0;
}

/*
 * Fast path: no lock, a few loads, no call: vfbc_pf_mbox_get()'s lookup,
 * inline. flatten: the size heuristics of -O2 would keep the channel call
 * out of line, with its own argument checks and register saves; inlined,
 * the checks already made here fold away.
 */
__attribute__((flatten)) int
vfbc_pf_invalidate_config_blocks(uint16_t port_id, uint16_t vf_id, uint64_t block_mask)
{
	struct vfbc_pf_mbox *mb;
	uint16_t n;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return -ENODEV;
	/* Pairs with the release store at the end of vfbc_pf_mbox_init(). */
	/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
	mb = __atomic_load_n(&vfbc_pf_mboxes[port_id], __ATOMIC_ACQUIRE);
	if (unlikely(mb == NULL))
		return pf_mbox_invalidate_no_channel(port_id);
	if (unlikely(block_mask == 0))
		return -EINVAL;
	n = __atomic_load_n(&mb->nb_vfs, __ATOMIC_RELAXED);
	if (unlikely(vf_id >= n))
		return pf_mbox_invalidate_other(mb, n, vf_id, block_mask);
	/* Published only with a channel (init), unpublished before it goes. */
	if (mb->ch == NULL)
		__builtin_unreachable();
	return vfbc_channel_invalidate(mb->ch, vf_id, block_mask);
}

/* Channel of the port and an enabled VF id. */
static int
pf_mbox_vf(uint16_t port_id, uint16_t vf_id, struct vfbc_pf_mbox **mb)
{
	uint16_t n;
	int ret;

	ret = vfbc_pf_mbox_get(port_id, mb);
	if (ret < 0)
		return ret;
	n = __atomic_load_n(&(*mb)->nb_vfs, __ATOMIC_RELAXED);
	if (n == 0)
		return -ENXIO;
	return vf_id < n ? 0 : -EINVAL;
}

int
vfbc_pf_write_config_block(uint16_t port_id, uint16_t vf_id, uint32_t block_id,
			   const void *data, uint32_t len)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = pf_mbox_vf(port_id, vf_id, &mb);
	if (ret < 0)
		return ret;
	return vfbc_channel_block_write(mb->ch, vf_id, block_id, data, len);
}

int
vfbc_pf_read_config_block(uint16_t port_id, uint16_t vf_id, uint32_t block_id,
			  void *buf, uint32_t len)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = pf_mbox_vf(port_id, vf_id, &mb);
	if (ret < 0)
		return ret;
	return vfbc_channel_block_read(mb->ch, vf_id, block_id, buf, len);
}

int
vfbc_pf_mbox_service_id(uint16_t port_id, uint32_t *service_id)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = vfbc_pf_mbox_get(port_id, &mb);
	if (ret < 0)
		return ret;
	if (service_id == NULL)
		return -EINVAL;
	if (!mb->service_ok)
		return -ENOTSUP;
	*service_id = mb->service_id;
	return 0;
}

int
vfbc_pf_vf_consumer(uint16_t port_id, uint16_t vf_id, int32_t *pid)
{
	struct vfbc_pf_mbox *mb;
	pid_t holder;
	int ret;

	ret = pf_mbox_vf(port_id, vf_id, &mb);
	if (ret < 0)
		return ret;
	if (pid == NULL)
		return -EINVAL;
	ret = vfbc_channel_claim_get(mb->ch, vf_id, &holder, NULL);
	if (ret < 0)
		return ret;
	/* A claim left by a dead process is no consumer (the next claimer takes it). */
	if (holder != 0 && kill(holder, 0) != 0 && errno == ESRCH)
		holder = 0;
	*pid = (int32_t)holder;
	return 0;
}

int
vfbc_pf_mbox_stats(uint16_t port_id, uint16_t vf_id, struct vfbc_channel_stats *stats)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = vfbc_pf_mbox_get(port_id, &mb);
	if (ret < 0)
		return ret;
	if (stats == NULL || vf_id >= mb->nb_slots)
		return -EINVAL;
	return vfbc_channel_stats_get(mb->ch, vf_id, stats);
}

unsigned int
vfbc_pf_mbox_xstats_names(struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX && i < n; i++)
		strlcpy(names[i].name, pf_mbox_ch_xstat_names[i], sizeof(names[i].name));
	return VFBC_PF_MBOX_CH_XS_MAX;
}

/* Sums of the channel's per-VF counters; zeros without a channel. */
static void
pf_mbox_ch_sums(struct rte_eth_dev *dev, uint64_t sums[VFBC_PF_MBOX_CH_XS_MAX])
{
	struct vfbc_channel_stats st;
	struct vfbc_pf_mbox *mb = NULL;
	struct vfbc_channel *ch;
	uint16_t vf, nb;

	memset(sums, 0, sizeof(uint64_t) * VFBC_PF_MBOX_CH_XS_MAX);
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		mb = vfbc_pf_mboxes[dev->data->port_id];
		ch = mb != NULL ? mb->ch : NULL;
	} else {
		/* The counters are in shared memory: a secondary reads them too. */
		ch = vfbc_channel_attach(dev->data->name);
	}
	if (ch == NULL)
		return;
	nb = vfbc_channel_nb_vfs(ch);
	for (vf = 0; vf < nb; vf++) {
		if (vfbc_channel_stats_get(ch, vf, &st) < 0)
			continue;
		sums[VFBC_PF_MBOX_CH_XS_INVALIDATIONS] += st.invalidations;
		sums[VFBC_PF_MBOX_CH_XS_COALESCED] += st.coalesced;
		sums[VFBC_PF_MBOX_CH_XS_DOORBELLS] += st.doorbells;
		sums[VFBC_PF_MBOX_CH_XS_NOTIFY_RING_FULL] += st.notify_ring_full;
		sums[VFBC_PF_MBOX_CH_XS_DELIVERIES] += st.deliveries;
		sums[VFBC_PF_MBOX_CH_XS_RESYNCS] += st.resyncs;
		sums[VFBC_PF_MBOX_CH_XS_MALFORMED] += st.requests_rejected;
		sums[VFBC_PF_MBOX_CH_XS_RESPONSES] += st.responses;
		sums[VFBC_PF_MBOX_CH_XS_RESPONSE_RING_FULL] += st.response_ring_full;
	}
	if (mb == NULL)
		vfbc_channel_free(ch);
}

void
vfbc_pf_mbox_xstats_values(struct rte_eth_dev *dev, uint64_t *values)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	uint64_t sums[VFBC_PF_MBOX_CH_XS_MAX];
	uint64_t base;
	unsigned int i;

	pf_mbox_ch_sums(dev, sums);
	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX; i++) {
		base = __atomic_load_n(&ad->mbox_base[i], __ATOMIC_RELAXED);
		values[i] = sums[i] >= base ? sums[i] - base : 0;
	}
}

void
vfbc_pf_mbox_xstats_reset(struct rte_eth_dev *dev)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	uint64_t sums[VFBC_PF_MBOX_CH_XS_MAX];
	unsigned int i;

	/* The channel's counters are never reset: remember where zero is. */
	pf_mbox_ch_sums(dev, sums);
	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX; i++)
		__atomic_store_n(&ad->mbox_base[i], sums[i], __ATOMIC_RELAXED);
}
