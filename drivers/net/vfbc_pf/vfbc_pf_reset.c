/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Function-level reset (OID_SRIOV_RESET_VF) and power state
 * (OID_SRIOV_SET_VF_POWER_STATE) of a VF, through its config space.
 */

#include <errno.h>

#include <rte_cycles.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_life.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_pci.h"
#include "vfbc_pf_reset.h"
#include "vfbc_pf_vfs.h"

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

/*
 * Run fn on a ready VF with the control mutex and the table lock held, so the
 * VF is neither closed nor reset by another thread meanwhile.
 */
static int
pf_vf_ctrl(struct vfbc_pf_proc *pf, uint16_t vf_id, uint32_t gen,
	   int (*fn)(struct vfbc_pf_vf *vf, const void *arg, const char **why),
	   const void *arg, const char **why)
{
	struct vfbc_pf_vf *vf;
	int ret;

	*why = NULL;
	pthread_mutex_lock(&pf->ctrl);
	pthread_rwlock_rdlock(&pf->lock);
	ret = vfbc_pf_vf_ready(pf, vf_id, &vf);
	if (ret == 0 && gen != VFBC_PF_VFS_GEN_ANY && gen != pf->vfs_gen) {
		*why = "VF disabled since the request";
		ret = -ENXIO;
	} else if (ret == 0)
		ret = fn(vf, arg, why);
	else if (ret == -ENXIO)
		*why = "VF not enabled or not ready";
	pthread_rwlock_unlock(&pf->lock);
	pthread_mutex_unlock(&pf->ctrl);
	return ret;
}

/* Start an FLR (devctl: DEVCTL as read) and wait until the function answers. */
static int
pf_flr_run(struct vfbc_pf_vf *vf, uint16_t devctl, const char **why)
{
	const struct rte_pci_device *dev = &vf->dev;
	uint64_t waited;
	uint32_t cmd;

	if (vfbc_pf_cfg_write16(dev, vf->exp_pos + VFBC_PCI_EXP_DEVCTL,
				devctl | VFBC_PCI_EXP_DEVCTL_BCR_FLR) < 0)
		goto io;
	rte_delay_us_sleep(PF_FLR_DELAY_US);
	/* A function still in reset completes config reads with all ones. */
	for (waited = 0; ; waited += PF_FLR_READY_POLL_US) {
		if (vfbc_pf_cfg_read32(dev, RTE_PCI_COMMAND, &cmd) < 0)
			goto io;
		if (cmd != UINT32_MAX)
			break;
		if (waited >= PF_FLR_READY_TIMEOUT_US) {
			*why = "not ready after FLR";
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(PF_FLR_READY_POLL_US);
	}
	/* The reset may have changed what the policy decides from: read it again. */
	vfbc_pf_vf_scan(vf);
	PF_LOG(INFO, "VF %s: function-level reset done", dev->name);
	return 0;
io:
	*why = "config-space access failed";
	return -EIO;
}

/* Who the VF's consumer is told asked for a reset or a power change. */
struct pf_life_req {
	struct vfbc_pf_proc *pf;
	uint16_t vf_id;
	int cause;		/* VFBC_CHANNEL_LIFE_FLR or _FLR_ASKED */
};

static int
pf_flr(struct vfbc_pf_vf *vf, const void *arg, const char **why)
{
	const struct pf_life_req *lr = arg;
	const struct rte_pci_device *dev = &vf->dev;
	uint16_t devsta, devctl;
	uint16_t pos = vf->exp_pos;
	uint32_t devcap;
	int ret;
	int i;

	if (pos == 0) {
		*why = "no PCI Express capability: cannot FLR";
		return -ENOTSUP;
	}
	if (vfbc_pf_cfg_read32(dev, pos + VFBC_PCI_EXP_DEVCAP, &devcap) < 0)
		goto io;
	if (!(devcap & VFBC_PCI_EXP_DEVCAP_FLR)) {
		*why = "not FLR capable";
		return -ENOTSUP;
	}
	for (i = 0; i < PF_TRPND_POLLS; i++) {
		if (i > 0)
			rte_delay_us_sleep((1u << (i - 1)) * 100 * 1000);
		if (vfbc_pf_cfg_read16(dev, pos + VFBC_PCI_EXP_DEVSTA, &devsta) < 0)
			goto io;
		if (!(devsta & VFBC_PCI_EXP_DEVSTA_TRPND))
			break;
	}
	if (i == PF_TRPND_POLLS)
		PF_LOG(WARNING, "VF %s: transactions still pending; resetting anyway", dev->name);
	if (vfbc_pf_cfg_read16(dev, pos + VFBC_PCI_EXP_DEVCTL, &devctl) < 0)
		goto io;
	/* The consumer learns of the reset before it starts, and of its end. */
	vfbc_pf_life_post(lr->pf, lr->vf_id, lr->cause, 0, VFBC_CHANNEL_LIFE_S_RESETTING);
	ret = pf_flr_run(vf, devctl, why);
	/* A reset function is in D0. */
	vfbc_pf_life_post(lr->pf, lr->vf_id, VFBC_CHANNEL_LIFE_NONE,
			  VFBC_CHANNEL_LIFE_S_RESETTING | VFBC_CHANNEL_LIFE_S_D_MASK, 0);
	return ret;
io:
	*why = "config-space access failed";
	return -EIO;
}

int
vfbc_pf_vf_flr(struct vfbc_pf_proc *pf, uint16_t vf_id, uint32_t gen, int asked,
	       const char **why)
{
	struct pf_life_req lr = {
		.pf = pf,
		.vf_id = vf_id,
		.cause = asked ? VFBC_CHANNEL_LIFE_FLR_ASKED : VFBC_CHANNEL_LIFE_FLR,
	};
	int ret;

	ret = pf_vf_ctrl(pf, vf_id, gen, pf_flr, &lr, why);
	if (ret == 0)
		vfbc_pf_count(pf->ad, VFBC_PF_XS_VF_RESETS, 1);
	return ret;
}

struct pf_power_req {
	struct pf_life_req lr;
	uint8_t d_state;
	uint8_t wake;
};

static int
pf_power(struct vfbc_pf_vf *vf, const void *arg, const char **why)
{
	static const char * const no_d[] = { NULL, "D1 not supported", "D2 not supported" };
	const struct rte_pci_device *dev = &vf->dev;
	const struct pf_power_req *req = arg;
	uint16_t pmc, pmcsr, val;
	uint16_t pos = vf->pm_pos;
	uint8_t from;

	if (pos == 0) {
		*why = "no power management capability";
		return -ENOTSUP;
	}
	if (vfbc_pf_cfg_read16(dev, pos + VFBC_PCI_PM_PMC, &pmc) < 0 ||
	    vfbc_pf_cfg_read16(dev, pos + VFBC_PCI_PM_CTRL, &pmcsr) < 0)
		goto io;
	if ((req->d_state == VFBC_PF_D1 && !(pmc & VFBC_PCI_PM_PMC_D1)) ||
	    (req->d_state == VFBC_PF_D2 && !(pmc & VFBC_PCI_PM_PMC_D2))) {
		*why = no_d[req->d_state];
		return -ENOTSUP;
	}
	if (req->wake && !(pmc & (1u << (VFBC_PCI_PM_PMC_PME_SHIFT + req->d_state)))) {
		*why = "cannot wake from that state";
		return -ENOTSUP;
	}
	from = pmcsr & VFBC_PCI_PM_CTRL_STATE_MASK;
	/* PME Status is write-one-to-clear: write 0 there to leave it alone. */
	val = pmcsr & ~(VFBC_PCI_PM_CTRL_STATE_MASK | VFBC_PCI_PM_CTRL_PME_ENABLE |
			VFBC_PCI_PM_CTRL_PME_STATUS);
	val |= req->d_state;
	if (req->wake)
		val |= VFBC_PCI_PM_CTRL_PME_ENABLE;
	if (vfbc_pf_cfg_write16(dev, pos + VFBC_PCI_PM_CTRL, val) < 0)
		goto io;
	if (req->d_state == VFBC_PF_D3HOT || from == VFBC_PF_D3HOT)
		rte_delay_us_sleep(PF_PM_D3_DELAY_US);
	else if (req->d_state == VFBC_PF_D2 || from == VFBC_PF_D2)
		rte_delay_us_sleep(PF_PM_D2_DELAY_US);
	if (vfbc_pf_cfg_read16(dev, pos + VFBC_PCI_PM_CTRL, &pmcsr) < 0)
		goto io;
	if ((pmcsr & VFBC_PCI_PM_CTRL_STATE_MASK) != req->d_state) {
		*why = "the state did not change";
		return -EIO;
	}
	PF_LOG(INFO, "VF %s: D%u -> D%u%s", dev->name, from, req->d_state,
	       req->wake ? " (wake enabled)" : "");
	if (from != req->d_state)
		vfbc_pf_life_post(req->lr.pf, req->lr.vf_id, VFBC_CHANNEL_LIFE_POWER,
				  VFBC_CHANNEL_LIFE_S_D_MASK,
				  (uint32_t)req->d_state << VFBC_CHANNEL_LIFE_S_D_SHIFT);
	return 0;
io:
	*why = "config-space access failed";
	return -EIO;
}

int
vfbc_pf_vf_set_power(struct vfbc_pf_proc *pf, uint16_t vf_id, uint32_t gen, uint8_t d_state,
		     int wake, const char **why)
{
	struct pf_power_req req;
	int ret;

	*why = NULL;
	if (d_state > VFBC_PF_D3HOT || (d_state == VFBC_PF_D0 && wake)) {
		*why = "invalid state";
		return -EINVAL;
	}
	req.lr.pf = pf;
	req.lr.vf_id = vf_id;
	req.lr.cause = VFBC_CHANNEL_LIFE_POWER;
	req.d_state = d_state;
	req.wake = wake != 0;
	ret = pf_vf_ctrl(pf, vf_id, gen, pf_power, &req, why);
	if (ret == 0)
		vfbc_pf_count(pf->ad, VFBC_PF_XS_VF_POWER_CHANGES, 1);
	return ret;
}
