/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF API about VFs other than config-space access: SR-IOV and VF
 * introspection, location, virtualized IDs, probed BARs, enabling
 * virtualization, function-level reset and power state.
 */

#include <errno.h>
#include <string.h>

#include <rte_bus_pci.h>
#include <rte_cycles.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"

/* PCIe r6.0 sec 6.6.2: wait 100 ms after initiating FLR. */
#define PF_FLR_DELAY_US		(100 * 1000)
/* Then the function must answer config reads; Linux allows far more. */
#define PF_FLR_READY_TIMEOUT_US	(1000 * 1000)
#define PF_FLR_READY_POLL_US	(10 * 1000)
/* Transactions Pending: polled 4 times, 100/200/400 ms apart (as Linux). */
#define PF_TRPND_POLLS		4
/* PCI PM 1.2 sec 5.6.1: D3hot transitions take 10 ms, D2 200 us. */
#define PF_PM_D3_DELAY_US	(10 * 1000)
#define PF_PM_D2_DELAY_US	200

static const char * const pf_vf_state_names[] = {
	[VFBC_PF_VF_READY] = "ready",
	[VFBC_PF_VF_MISSING] = "missing",
	[VFBC_PF_VF_UNMAPPED] = "unmapped",
	[VFBC_PF_VF_DISABLED] = "disabled",
	[VFBC_PF_VF_BLOCKED] = "blocked",
	[VFBC_PF_VF_UNROUTABLE] = "unroutable",
};

const char *
vfbc_pf_vf_state_str(uint32_t state)
{
	if (state >= RTE_DIM(pf_vf_state_names))
		return "unknown";
	return pf_vf_state_names[state];
}

int
vfbc_pf_get_sriov_info(uint16_t port_id, struct vfbc_pf_sriov_info *info)
{
	struct vfbc_pf_adapter *ad;
	struct vfbc_pf_proc *proc;
	struct rte_eth_dev *dev;
	struct vfbc_pf_sriov_info tmp;
	const struct rte_pci_device *pf;
	uint16_t pos, link;
	int ret, i;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	if (info == NULL)
		return -EINVAL;
	proc = dev->process_private;
	pf = proc->pf_dev;
	pos = proc->sriov.pos;
	memset(&tmp, 0, sizeof(tmp));
	tmp.pf_addr = pf->addr;
	tmp.max_vfs = ad->max_vfs;
	tmp.cap_offset = pos;
	if (vfbc_pf_cfg_read16(pf, RTE_PCI_VENDOR_ID, &tmp.pf_vendor_id) < 0)
		return -EIO;
	if (pos != 0) {
		if (vfbc_pf_cfg_read32(pf, pos + RTE_PCI_SRIOV_CAP, &tmp.cap) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_CTRL, &tmp.ctrl) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + VFBC_PCI_SRIOV_STATUS, &tmp.status) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_INITIAL_VF, &tmp.initial_vfs) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_TOTAL_VF, &tmp.total_vfs) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_NUM_VF, &tmp.num_vfs) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_FUNC_LINK, &link) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_VF_OFFSET, &tmp.vf_offset) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_VF_STRIDE, &tmp.vf_stride) < 0 ||
		    vfbc_pf_cfg_read16(pf, pos + RTE_PCI_SRIOV_VF_DID, &tmp.vf_device_id) < 0 ||
		    vfbc_pf_cfg_read32(pf, pos + RTE_PCI_SRIOV_SUP_PGSIZE,
				       &tmp.supported_page_sizes) < 0 ||
		    vfbc_pf_cfg_read32(pf, pos + VFBC_PCI_SRIOV_SYS_PGSIZE,
				       &tmp.system_page_size) < 0)
			return -EIO;
		tmp.func_link = link & 0xff;
		for (i = 0; i < VFBC_PF_NUM_BARS; i++)
			if (vfbc_pf_cfg_read32(pf, pos + VFBC_PCI_SRIOV_BAR +
					       i * VFBC_PCI_SRIOV_BAR_SIZEOF, &tmp.vf_bar[i]) < 0)
				return -EIO;
	}
	*info = tmp;
	return 0;
}

int
vfbc_pf_vf_count(uint16_t port_id)
{
	struct vfbc_pf_adapter *ad;
	struct vfbc_pf_proc *proc;
	struct rte_eth_dev *dev;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	proc = dev->process_private;
	pthread_rwlock_rdlock(&proc->lock);
	ret = proc->nb_vfs;
	pthread_rwlock_unlock(&proc->lock);
	return ret;
}

int
vfbc_pf_get_vf_info(uint16_t port_id, uint16_t vf_id, struct vfbc_pf_vf_info *info)
{
	struct vfbc_pf_adapter *ad;
	struct vfbc_pf_proc *proc;
	struct rte_eth_dev *dev;
	const struct vfbc_pf_vf *vf;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	proc = dev->process_private;
	if (info == NULL || vf_id >= proc->sriov.total_vfs)
		return -EINVAL;
	pthread_rwlock_rdlock(&proc->lock);
	vf = &proc->vfs[vf_id];
	memset(info, 0, sizeof(*info));
	info->vf_id = vf_id;
	info->state = vf->state;
	info->addr = vf->addr;
	info->rid = vf->rid;
	info->cfg_size = vf->state == VFBC_PF_VF_READY ? vf->cfg_size : 0;
	info->mapped_by_pf = vf->mapped_by_pf;
	info->device_id = proc->sriov.vf_device_id;
	pthread_rwlock_unlock(&proc->lock);
	if (vfbc_pf_cfg_read16(proc->pf_dev, RTE_PCI_VENDOR_ID, &info->vendor_id) < 0)
		info->vendor_id = proc->pf_dev->id.vendor_id;
	return 0;
}

/* Port, then the VF (enabled, below NumVFs); fills *proc and *vf copy. */
static int
pf_vf_get(uint16_t port_id, uint16_t vf_id, struct vfbc_pf_proc **proc,
	  struct vfbc_pf_vf *copy)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	struct vfbc_pf_vf *vf;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	*proc = dev->process_private;
	pthread_rwlock_rdlock(&(*proc)->lock);
	ret = vfbc_pf_vf_lookup(*proc, vf_id, &vf);
	if (ret == 0)
		*copy = *vf;
	pthread_rwlock_unlock(&(*proc)->lock);
	return ret;
}

int
vfbc_pf_get_vf_location(uint16_t port_id, uint16_t vf_id, struct rte_pci_addr *addr)
{
	struct vfbc_pf_proc *proc;
	struct vfbc_pf_vf vf;
	int ret;

	ret = pf_vf_get(port_id, vf_id, &proc, &vf);
	if (ret == -ENODEV || ret == -E_RTE_SECONDARY)
		return ret;
	if (addr == NULL)
		return -EINVAL;
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
	struct vfbc_pf_proc *proc;
	struct vfbc_pf_vf vf;
	uint16_t ven, did;
	int ret;

	ret = pf_vf_get(port_id, vf_id, &proc, &vf);
	if (ret == -ENODEV || ret == -E_RTE_SECONDARY)
		return ret;
	if (vendor_id == NULL || device_id == NULL)
		return -EINVAL;
	if (ret < 0)
		return ret;
	/* VFs read 0xFFFF in their ID registers; the PF holds the real ones. */
	if (vfbc_pf_cfg_read16(proc->pf_dev, RTE_PCI_VENDOR_ID, &ven) < 0 ||
	    vfbc_pf_cfg_read16(proc->pf_dev, proc->sriov.pos + RTE_PCI_SRIOV_VF_DID, &did) < 0)
		return -EIO;
	*vendor_id = ven;
	*device_id = did;
	return 0;
}

int
vfbc_pf_query_probed_bars(uint16_t port_id, uint16_t vf_id, uint32_t bars[VFBC_PF_NUM_BARS])
{
	uint32_t tmp[VFBC_PF_NUM_BARS];
	struct vfbc_pf_proc *proc;
	struct vfbc_pf_vf vf;
	int ret;

	ret = pf_vf_get(port_id, vf_id, &proc, &vf);
	if (ret == -ENODEV || ret == -E_RTE_SECONDARY)
		return ret;
	if (bars == NULL)
		return -EINVAL;
	if (ret < 0)
		return ret;
	pthread_rwlock_rdlock(&proc->lock);
	ret = vfbc_pf_probed_bars(proc, tmp);
	pthread_rwlock_unlock(&proc->lock);
	if (ret < 0)
		return ret;
	memcpy(bars, tmp, sizeof(tmp));
	return 0;
}

int
vfbc_pf_enable_virtualization(uint16_t port_id, uint16_t num_vfs)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_enable(dev, num_vfs);
	/* Even on failure: the VF table describes what the device now is. */
	vfbc_pf_mbox_refresh(dev);
	return ret;
}

/*
 * Run fn on a ready VF with the control mutex and the table lock held, so the
 * VF is neither unmapped nor reset by another thread meanwhile.
 */
static int
pf_vf_ctrl(uint16_t port_id, uint16_t vf_id,
	   int (*fn)(const struct rte_pci_device *vdev, uint16_t vf_id, const void *arg),
	   const void *arg, enum vfbc_pf_xstat counter)
{
	struct vfbc_pf_adapter *ad;
	struct vfbc_pf_proc *proc;
	struct rte_eth_dev *dev;
	struct vfbc_pf_vf *vf;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	proc = dev->process_private;
	pthread_mutex_lock(&proc->ctrl);
	pthread_rwlock_rdlock(&proc->lock);
	ret = vfbc_pf_vf_ready(proc, vf_id, &vf);
	if (ret == 0)
		ret = fn(vf->pci_dev, vf_id, arg);
	pthread_rwlock_unlock(&proc->lock);
	pthread_mutex_unlock(&proc->ctrl);
	if (ret == 0)
		vfbc_pf_count(ad, counter, 1);
	return ret;
}

static int
pf_vf_flr(const struct rte_pci_device *vdev, uint16_t vf_id, const void *arg __rte_unused)
{
	uint32_t devcap, cmd;
	uint16_t devsta, devctl;
	uint64_t waited;
	int pos, i;

	pos = vfbc_pf_find_cap(vdev, VFBC_PCI_CAP_ID_EXP);
	if (pos < 0)
		return pos;
	if (pos == 0) {
		PF_LOG(ERR, "VF %u (%s): no PCI Express capability: cannot FLR",
		       vf_id, vdev->name);
		return -ENOTSUP;
	}
	if (vfbc_pf_cfg_read32(vdev, pos + VFBC_PCI_EXP_DEVCAP, &devcap) < 0)
		return -EIO;
	if (!(devcap & VFBC_PCI_EXP_DEVCAP_FLR)) {
		PF_LOG(ERR, "VF %u (%s): not FLR capable", vf_id, vdev->name);
		return -ENOTSUP;
	}
	for (i = 0; i < PF_TRPND_POLLS; i++) {
		if (i > 0)
			rte_delay_us_sleep((1u << (i - 1)) * 100 * 1000);
		if (vfbc_pf_cfg_read16(vdev, pos + VFBC_PCI_EXP_DEVSTA, &devsta) < 0)
			return -EIO;
		if (!(devsta & VFBC_PCI_EXP_DEVSTA_TRPND))
			break;
	}
	if (i == PF_TRPND_POLLS)
		PF_LOG(WARNING, "VF %u (%s): transactions still pending; resetting anyway",
		       vf_id, vdev->name);
	if (vfbc_pf_cfg_read16(vdev, pos + VFBC_PCI_EXP_DEVCTL, &devctl) < 0 ||
	    vfbc_pf_cfg_write16(vdev, pos + VFBC_PCI_EXP_DEVCTL,
				devctl | VFBC_PCI_EXP_DEVCTL_BCR_FLR) < 0)
		return -EIO;
	rte_delay_us_sleep(PF_FLR_DELAY_US);
	/* A function still in reset completes config reads with all ones. */
	for (waited = 0; ; waited += PF_FLR_READY_POLL_US) {
		if (vfbc_pf_cfg_read32(vdev, RTE_PCI_COMMAND, &cmd) < 0)
			return -EIO;
		if (cmd != UINT32_MAX)
			break;
		if (waited >= PF_FLR_READY_TIMEOUT_US) {
			PF_LOG(ERR, "VF %u (%s): not ready after FLR", vf_id, vdev->name);
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(PF_FLR_READY_POLL_US);
	}
	PF_LOG(INFO, "VF %u (%s): function-level reset done", vf_id, vdev->name);
	return 0;
}

int
vfbc_pf_reset_vf(uint16_t port_id, uint16_t vf_id)
{
	return pf_vf_ctrl(port_id, vf_id, pf_vf_flr, NULL, VFBC_PF_XS_VF_RESETS);
}

struct pf_power_req {
	uint8_t d_state;
	uint8_t wake;
};

static int
pf_vf_power(const struct rte_pci_device *vdev, uint16_t vf_id, const void *arg)
{
	const struct pf_power_req *req = arg;
	uint16_t pmc, pmcsr, val;
	uint8_t from;
	int pos;

	pos = vfbc_pf_find_cap(vdev, VFBC_PCI_CAP_ID_PM);
	if (pos < 0)
		return pos;
	if (pos == 0) {
		PF_LOG(ERR, "VF %u (%s): no power management capability", vf_id, vdev->name);
		return -ENOTSUP;
	}
	if (vfbc_pf_cfg_read16(vdev, pos + VFBC_PCI_PM_PMC, &pmc) < 0 ||
	    vfbc_pf_cfg_read16(vdev, pos + VFBC_PCI_PM_CTRL, &pmcsr) < 0)
		return -EIO;
	if ((req->d_state == VFBC_PF_D1 && !(pmc & VFBC_PCI_PM_PMC_D1)) ||
	    (req->d_state == VFBC_PF_D2 && !(pmc & VFBC_PCI_PM_PMC_D2))) {
		PF_LOG(ERR, "VF %u (%s): D%u not supported", vf_id, vdev->name, req->d_state);
		return -ENOTSUP;
	}
	if (req->wake && !(pmc & (1u << (VFBC_PCI_PM_PMC_PME_SHIFT + req->d_state)))) {
		PF_LOG(ERR, "VF %u (%s): cannot wake from D%u", vf_id, vdev->name,
		       req->d_state);
		return -ENOTSUP;
	}
	from = pmcsr & VFBC_PCI_PM_CTRL_STATE_MASK;
	/* PME Status is write-one-to-clear: write 0 there to leave it alone. */
	val = pmcsr & ~(VFBC_PCI_PM_CTRL_STATE_MASK | VFBC_PCI_PM_CTRL_PME_ENABLE |
			VFBC_PCI_PM_CTRL_PME_STATUS);
	val |= req->d_state;
	if (req->wake)
		val |= VFBC_PCI_PM_CTRL_PME_ENABLE;
	if (vfbc_pf_cfg_write16(vdev, pos + VFBC_PCI_PM_CTRL, val) < 0)
		return -EIO;
	if (req->d_state == VFBC_PF_D3HOT || from == VFBC_PF_D3HOT)
		rte_delay_us_sleep(PF_PM_D3_DELAY_US);
	else if (req->d_state == VFBC_PF_D2 || from == VFBC_PF_D2)
		rte_delay_us_sleep(PF_PM_D2_DELAY_US);
	if (vfbc_pf_cfg_read16(vdev, pos + VFBC_PCI_PM_CTRL, &pmcsr) < 0)
		return -EIO;
	if ((pmcsr & VFBC_PCI_PM_CTRL_STATE_MASK) != req->d_state) {
		PF_LOG(ERR, "VF %u (%s): still in D%u after asking for D%u", vf_id,
		       vdev->name, pmcsr & VFBC_PCI_PM_CTRL_STATE_MASK, req->d_state);
		return -EIO;
	}
	PF_LOG(INFO, "VF %u (%s): D%u -> D%u%s", vf_id, vdev->name, from, req->d_state,
	       req->wake ? " (wake enabled)" : "");
	return 0;
}

int
vfbc_pf_set_vf_power_state(uint16_t port_id, uint16_t vf_id, uint8_t d_state,
			   int wake_enable)
{
	struct pf_power_req req;
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret < 0)
		return ret;
	if (d_state > VFBC_PF_D3HOT || (d_state == VFBC_PF_D0 && wake_enable))
		return -EINVAL;
	req.d_state = d_state;
	req.wake = wake_enable != 0;
	return pf_vf_ctrl(port_id, vf_id, pf_vf_power, &req, VFBC_PF_XS_VF_POWER_CHANGES);
}
