/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The port-id API of vfbc_pmd_pf.h, as rte_pmd_i40e.c is i40e's: each
 * function finds the PF of the port, checks its arguments, and calls the
 * driver's internal function. Nothing inside the driver calls back here
 * but the telemetry commands, another port-id front end.
 */

#include <errno.h>
#include <string.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_config.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_life.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_pci.h"
#include "vfbc_pf_reset.h"
#include "vfbc_pf_socket.h"
#include "vfbc_pf_sriov.h"
#include "vfbc_pf_vfs.h"

/* The port's mailbox: the lock-free lookup of the fast paths, errors told apart. */
int
vfbc_pf_mbox_get(uint16_t port_id, struct vfbc_pf_mbox **mb)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	int ret;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return -ENODEV;
	/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
	*mb = __atomic_load_n(&vfbc_pf_mboxes[port_id], __ATOMIC_ACQUIRE);
	if (likely(*mb != NULL))
		return 0;
	/* Slow path, errors only: which one. */
	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	return ret < 0 ? ret : -ENXIO;
}

int
vfbc_pf_get_sriov_info(uint16_t port_id, struct vfbc_pf_sriov_info *info)
{
	struct vfbc_pf_sriov_info tmp;
	const struct rte_pci_device *pf_dev;
	struct vfbc_pf_proc *pf;
	uint16_t pos, link;
	int ret, i;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	if (info == NULL)
		return -EINVAL;
	pf_dev = pf->pf_dev;
	pos = pf->sriov.pos;
	memset(&tmp, 0, sizeof(tmp));
	tmp.pf_addr = pf_dev->addr;
	tmp.max_vfs = pf->ad->max_vfs;
	tmp.cap_offset = pos;
	if (vfbc_pf_cfg_read16(pf_dev, RTE_PCI_VENDOR_ID, &tmp.pf_vendor_id) < 0)
		return -EIO;
	if (pos != 0) {
		if (vfbc_pf_cfg_read32(pf_dev, pos + RTE_PCI_SRIOV_CAP, &tmp.cap) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_CTRL, &tmp.ctrl) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + VFBC_PCI_SRIOV_STATUS, &tmp.status) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_INITIAL_VF,
				       &tmp.initial_vfs) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_TOTAL_VF, &tmp.total_vfs) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_NUM_VF, &tmp.num_vfs) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_FUNC_LINK, &link) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_VF_OFFSET, &tmp.vf_offset) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_VF_STRIDE, &tmp.vf_stride) < 0 ||
		    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_VF_DID, &tmp.vf_device_id) < 0 ||
		    vfbc_pf_cfg_read32(pf_dev, pos + RTE_PCI_SRIOV_SUP_PGSIZE,
				       &tmp.supported_page_sizes) < 0 ||
		    vfbc_pf_cfg_read32(pf_dev, pos + VFBC_PCI_SRIOV_SYS_PGSIZE,
				       &tmp.system_page_size) < 0)
			return -EIO;
		tmp.func_link = link & 0xff;
		for (i = 0; i < VFBC_PF_NUM_BARS; i++)
			if (vfbc_pf_cfg_read32(pf_dev, pos + VFBC_PCI_SRIOV_BAR +
					       i * VFBC_PCI_SRIOV_BAR_SIZEOF, &tmp.vf_bar[i]) < 0)
				return -EIO;
	}
	*info = tmp;
	return 0;
}

int
vfbc_pf_vf_count(uint16_t port_id)
{
	struct vfbc_pf_proc *pf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	pthread_rwlock_rdlock(&pf->lock);
	ret = pf->nb_vfs;
	pthread_rwlock_unlock(&pf->lock);
	return ret;
}

int
vfbc_pf_get_vf_info(uint16_t port_id, uint16_t vf_id, struct vfbc_pf_vf_info *info)
{
	const struct vfbc_pf_vf *vf;
	struct vfbc_pf_proc *pf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	if (info == NULL || vf_id >= pf->sriov.total_vfs)
		return -EINVAL;
	pthread_rwlock_rdlock(&pf->lock);
	vf = &pf->vfs[vf_id];
	memset(info, 0, sizeof(*info));
	info->vf_id = vf_id;
	info->state = vf->state;
	info->addr = vf->addr;
	info->rid = vf->rid;
	info->cfg_size = vf->state == VFBC_PF_VF_READY ? vf->cfg_size : 0;
	info->mapped_by_pf = vf->cfg_fd >= 0 || vf->vfio_fd >= 0;
	info->device_id = pf->sriov.vf_device_id;
	pthread_rwlock_unlock(&pf->lock);
	if (vfbc_pf_cfg_read16(pf->pf_dev, RTE_PCI_VENDOR_ID, &info->vendor_id) < 0)
		info->vendor_id = pf->pf_dev->id.vendor_id;
	return 0;
}

/* The port's PF and a copy of an enabled VF; argument errors of the caller first. */
static int
pf_api_vf(uint16_t port_id, uint16_t vf_id, const void *out, struct vfbc_pf_proc **pf,
	  struct vfbc_pf_vf *copy)
{
	struct vfbc_pf_vf *vf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, pf);
	if (ret < 0)
		return ret;
	if (out == NULL)
		return -EINVAL;
	pthread_rwlock_rdlock(&(*pf)->lock);
	ret = vfbc_pf_vf_lookup(*pf, vf_id, &vf);
	if (ret == 0)
		*copy = *vf;
	pthread_rwlock_unlock(&(*pf)->lock);
	return ret;
}

static int
pf_api_config_io(uint16_t port_id, uint16_t vf_id, int is_write, const void *wbuf,
		 void *rbuf, uint32_t offset, uint32_t length)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	struct vfbc_pf_proc *pf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0) {
		/* A secondary's call is still counted, in the shared adapter. */
		if (ret == -E_RTE_SECONDARY && vfbc_pf_port_get(port_id, &dev, &ad) ==
		    -E_RTE_SECONDARY)
			vfbc_pf_count_failure(ad, ret);
		return ret;
	}
	return vfbc_pf_vf_config_io(pf, vf_id, is_write, wbuf, rbuf, offset, length);
}

int
vfbc_pf_write_vf_config(uint16_t port_id, uint16_t vf_id, const void *buf,
			uint32_t offset, uint32_t length)
{
	return pf_api_config_io(port_id, vf_id, 1, buf, NULL, offset, length);
}

int
vfbc_pf_read_vf_config(uint16_t port_id, uint16_t vf_id, void *buf,
		       uint32_t offset, uint32_t length)
{
	return pf_api_config_io(port_id, vf_id, 0, NULL, buf, offset, length);
}

uint32_t
vfbc_pf_set_vf_bus_data(uint16_t port_id, uint16_t vf_id, const void *buf,
			uint32_t offset, uint32_t length)
{
	int ret = vfbc_pf_write_vf_config(port_id, vf_id, buf, offset, length);

	return ret > 0 ? (uint32_t)ret : 0;
}

uint32_t
vfbc_pf_get_vf_bus_data(uint16_t port_id, uint16_t vf_id, void *buf,
			uint32_t offset, uint32_t length)
{
	int ret = vfbc_pf_read_vf_config(port_id, vf_id, buf, offset, length);

	return ret > 0 ? (uint32_t)ret : 0;
}

int
vfbc_pf_get_vf_location(uint16_t port_id, uint16_t vf_id, struct rte_pci_addr *addr)
{
	struct vfbc_pf_proc *pf;
	struct vfbc_pf_vf vf;
	int ret;

	ret = pf_api_vf(port_id, vf_id, addr, &pf, &vf);
	if (ret < 0)
		return ret;
	if (vf.state == VFBC_PF_VF_UNROUTABLE)
		return -ENXIO;
	*addr = vf.addr;
	return 0;
}

int
vfbc_pf_get_vf_ids(uint16_t port_id, uint16_t vf_id, uint16_t *vendor_id,
		   uint16_t *device_id)
{
	struct vfbc_pf_proc *pf;
	struct vfbc_pf_vf vf;
	uint16_t ven, did;
	int ret;

	ret = pf_api_vf(port_id, vf_id, vendor_id == NULL || device_id == NULL ? NULL :
			vendor_id, &pf, &vf);
	if (ret < 0)
		return ret;
	/* VFs read 0xFFFF in their ID registers; the PF holds the real ones. */
	if (vfbc_pf_cfg_read16(pf->pf_dev, RTE_PCI_VENDOR_ID, &ven) < 0 ||
	    vfbc_pf_cfg_read16(pf->pf_dev, pf->sriov.pos + RTE_PCI_SRIOV_VF_DID, &did) < 0)
		return -EIO;
	*vendor_id = ven;
	*device_id = did;
	return 0;
}

int
vfbc_pf_query_probed_bars(uint16_t port_id, uint16_t vf_id, uint32_t bars[VFBC_PF_NUM_BARS])
{
	uint32_t tmp[VFBC_PF_NUM_BARS];
	struct vfbc_pf_proc *pf;
	struct vfbc_pf_vf vf;
	int ret;

	ret = pf_api_vf(port_id, vf_id, bars, &pf, &vf);
	if (ret < 0)
		return ret;
	pthread_rwlock_rdlock(&pf->lock);
	ret = vfbc_pf_probed_bars(pf, tmp);
	pthread_rwlock_unlock(&pf->lock);
	if (ret < 0)
		return ret;
	memcpy(bars, tmp, sizeof(tmp));
	return 0;
}

int
vfbc_pf_enable_virtualization(uint16_t port_id, uint16_t num_vfs)
{
	struct vfbc_pf_proc *pf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_enable(pf, num_vfs);
	/* Even on failure: the VF table describes what the device now is. */
	vfbc_pf_mbox_refresh(pf);
	return ret;
}

int
vfbc_pf_reset_vf(uint16_t port_id, uint16_t vf_id)
{
	struct vfbc_pf_proc *pf;
	const char *why;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_vf_flr(pf, vf_id, VFBC_PF_VFS_GEN_ANY, 0, &why);
	if (ret < 0 && why != NULL)
		PF_LOG(ERR, "port %u VF %u: reset: %s", port_id, vf_id, why);
	return ret;
}

int
vfbc_pf_set_vf_power_state(uint16_t port_id, uint16_t vf_id, uint8_t d_state,
			   int wake_enable)
{
	struct vfbc_pf_proc *pf;
	const char *why;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_vf_set_power(pf, vf_id, VFBC_PF_VFS_GEN_ANY, d_state, wake_enable, &why);
	if (ret < 0 && ret != -EINVAL && why != NULL)
		PF_LOG(ERR, "port %u VF %u: power state D%u: %s", port_id, vf_id, d_state, why);
	return ret;
}

/* Why vfbc_pf_invalidate_config_blocks() found no channel: errors only. */
static __rte_noinline __rte_cold int
pf_api_invalidate_no_channel(uint16_t port_id)
{
	struct vfbc_pf_mbox *mb;

	return vfbc_pf_mbox_get(port_id, &mb);
}

/*
 * vf_id >= n: no enabled VF, VFBC_PF_VF_ALL (>= any n), or a bad id. Out of
 * line, so that the single-VF path keeps one channel call, inlined. The
 * all-VFs form is the bulk call's loop over VFs 0..n-1, each VF touched
 * once, the misses overlapped; bounded by the channel size: still
 * wait-free. n <= the channel's slots (published so), all reached by the
 * creating handle: nothing is left to check.
 */
static __rte_noinline __rte_cold int
pf_api_invalidate_other(struct vfbc_pf_mbox *mb, uint16_t n, uint16_t vf_id,
			uint64_t block_mask)
{
	if (n == 0)
		return -ENXIO;
	if (vf_id != VFBC_PF_VF_ALL)
		return -EINVAL;
	__vfbc_channel_invalidate_loop(mb->ch, NULL, NULL, block_mask, n);
	return 0;
}

/*
 * The inline vfbc_pf_invalidate_config_blocks() found no channel in the
 * port's fast-path entry, a VF beyond it, or a zero mask: the whole call
 * again from the driver's own table, every error told apart. A single VF
 * still gets the channel's inline call, flattened (the size heuristics of
 * -O2 would keep it out of line, with its checks and register saves): an
 * application's call through here costs what it did before the table.
 */
__attribute__((flatten)) int
vfbc_pf_invalidate_config_blocks_other(uint16_t port_id, uint16_t vf_id, uint64_t block_mask)
{
	struct vfbc_pf_mbox *mb;
	uint16_t n;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return -ENODEV;
	/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
	mb = __atomic_load_n(&vfbc_pf_mboxes[port_id], __ATOMIC_ACQUIRE);
	if (unlikely(mb == NULL))
		return pf_api_invalidate_no_channel(port_id);
	if (unlikely(block_mask == 0))
		return -EINVAL;
	n = __atomic_load_n(&mb->nb_vfs, __ATOMIC_RELAXED);
	if (unlikely(vf_id >= n))
		return pf_api_invalidate_other(mb, n, vf_id, block_mask);
	/* Published only with a channel (init), unpublished before it goes. */
	if (mb->ch == NULL)
		__builtin_unreachable();
	return vfbc_channel_invalidate(mb->ch, vf_id, block_mask);
}

int
vfbc_pf_invalidate_config_blocks_bulk(uint16_t port_id, const uint16_t *vf_ids,
				      const uint64_t *masks, uint16_t n)
{
	struct vfbc_pf_mbox *mb;
	uint16_t nb_vfs;
	int ret;

	ret = vfbc_pf_mbox_get(port_id, &mb);
	if (ret < 0)
		return ret;
	nb_vfs = __atomic_load_n(&mb->nb_vfs, __ATOMIC_RELAXED);
	if (nb_vfs == 0)
		return -ENXIO;
	/*
	 * Every entry before any VF: a refused call sets no bit. NumVFs is
	 * the bound, as for single calls.
	 */
	ret = __vfbc_channel_bulk_check(mb->ch, vf_ids, masks, n, nb_vfs);
	if (ret < 0)
		return ret;
	__vfbc_channel_invalidate_loop(mb->ch, vf_ids, masks, 0, n);
	return 0;
}

/* Channel of the port and an enabled VF id. */
static int
pf_api_mbox_vf(uint16_t port_id, uint16_t vf_id, struct vfbc_pf_mbox **mb)
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

	ret = pf_api_mbox_vf(port_id, vf_id, &mb);
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

	ret = pf_api_mbox_vf(port_id, vf_id, &mb);
	if (ret < 0)
		return ret;
	return vfbc_channel_block_read(mb->ch, vf_id, block_id, buf, len);
}

int
vfbc_pf_mbox_poll(uint16_t port_id, unsigned int budget)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = vfbc_pf_mbox_get(port_id, &mb);
	if (ret < 0)
		return ret;
	if (budget == 0)
		return -EINVAL;
	return vfbc_pf_mbox_poll_mb(mb, budget);
}

int
vfbc_pf_mbox_poll_all(unsigned int budget)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -E_RTE_SECONDARY;
	if (budget == 0)
		return -EINVAL;
	return vfbc_pf_mbox_poll_all_mb(budget);
}

int
vfbc_pf_mbox_poll_wait(uint16_t port_id, unsigned int budget, uint32_t spin_us, int timeout_ms)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = vfbc_pf_mbox_get(port_id, &mb);
	if (ret < 0)
		return ret;
	if (budget == 0 || timeout_ms < -1)
		return -EINVAL;
	/* Looked up again with the close excluded: this lookup only picks the errno. */
	return vfbc_pf_mbox_poll_wait_port(port_id, budget, spin_us, timeout_ms);
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

	ret = pf_api_mbox_vf(port_id, vf_id, &mb);
	if (ret < 0)
		return ret;
	if (pid == NULL)
		return -EINVAL;
	/*
	 * Only a live claim the PF granted makes a consumer: the library reads
	 * liveness from the grant's pidfd, which a reused pid cannot fool.
	 */
	ret = vfbc_channel_claim_granted(mb->ch, vf_id, &holder);
	if (ret < 0)
		return ret;
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

int
vfbc_pf_vf_set_secret(uint16_t port_id, uint16_t vf_id, const char *secret)
{
	struct vfbc_pf_proc *pf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	return vfbc_pf_socket_set_secret(pf, vf_id, secret);
}

/* The checks of the consumer callback calls: the port's mailbox, or the error. */
static int
pf_api_consumer_cb_mbox(uint16_t port_id, vfbc_pf_consumer_cb_t cb, struct vfbc_pf_mbox **mb)
{
	struct vfbc_pf_proc *pf;
	int ret;

	ret = vfbc_pf_proc_get(port_id, &pf);
	if (ret < 0)
		return ret;
	if (cb == NULL)
		return -EINVAL;
	*mb = pf->mb;
	return *mb == NULL ? -ENXIO : 0;
}

int
vfbc_pf_consumer_callback_register(uint16_t port_id, vfbc_pf_consumer_cb_t cb, void *arg)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = pf_api_consumer_cb_mbox(port_id, cb, &mb);
	return ret < 0 ? ret : vfbc_pf_life_cb_register(mb, cb, arg);
}

int
vfbc_pf_consumer_callback_unregister(uint16_t port_id, vfbc_pf_consumer_cb_t cb, void *arg)
{
	struct vfbc_pf_mbox *mb;
	int ret;

	ret = pf_api_consumer_cb_mbox(port_id, cb, &mb);
	return ret < 0 ? ret : vfbc_pf_life_cb_unregister(mb, cb, arg);
}
