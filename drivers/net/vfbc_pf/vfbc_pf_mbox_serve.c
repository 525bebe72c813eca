/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The mailbox request service: scan the doorbells, dequeue the requests of
 * the busy VFs (the library validates each record), check the VF, decide
 * the default verdict, ask the application (RTE_ETH_EVENT_VF_MBOX), act,
 * answer. One handler per request type, as i40e_pf.c has one per virtchnl
 * opcode.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_policy.h"

/* What a handler decided before the application is asked. */
struct pf_mbox_ctx {
	struct vfbc_pf_mbox *mb;
	struct rte_eth_dev *dev;
	struct vfbc_pf_adapter *ad;
	uint16_t vf;
	uint32_t cfg_size;
	const struct vfbc_ch_req *req;
	struct vfbc_pf_policy_result pol;
	int32_t status;		/* the answer if the policy refuses */
};

static void
pf_mbox_answer(const struct pf_mbox_ctx *c, int32_t status, const void *data, uint32_t len)
{
	int ret;

	ret = vfbc_channel_respond(c->mb->ch, c->vf, c->req, status, data, len);
	/*
	 * The library dequeues only while the response ring has room. A ring
	 * the VF wrecked since (-EPROTO) is counted and logged once by the
	 * library: logging it here would let the VF flood the PF's log.
	 */
	if (ret < 0 && ret != -EPROTO)
		PF_MBOX_LOG(ERR, "port %u VF %u: cannot answer request %" PRIu32 ": %s",
			    c->mb->port_id, c->vf, c->req->req_id, strerror(-ret));
}

/* Enabled and ready: the PF's own check, after the library's. */
static int
pf_mbox_vf_check(struct pf_mbox_ctx *c)
{
	struct vfbc_pf_proc *proc = c->dev->process_private;
	struct vfbc_pf_vf *vf;
	int ret;

	if (c->vf >= __atomic_load_n(&c->mb->nb_vfs, __ATOMIC_RELAXED))
		return -ENXIO;
	pthread_rwlock_rdlock(&proc->lock);
	ret = vfbc_pf_vf_ready(proc, c->vf, &vf);
	if (ret == 0)
		c->cfg_size = vf->cfg_size;
	pthread_rwlock_unlock(&proc->lock);
	return ret < 0 ? -ENXIO : 0;
}

/* Pre-verdicts: ACCEPT, or REJECT with c->status set. */
static int32_t
pf_mbox_block_write_verdict(struct pf_mbox_ctx *c __rte_unused)
{
	/* The PF's block store takes what the VF writes unless the app says no. */
	return VFBC_PF_MBOX_VERDICT_ACCEPT;
}

static int32_t
pf_mbox_cfg_read_verdict(struct pf_mbox_ctx *c)
{
	c->status = vfbc_pf_policy_read(c->cfg_size, c->req->target, c->req->len);
	return c->status == 0 ? VFBC_PF_MBOX_VERDICT_ACCEPT : VFBC_PF_MBOX_VERDICT_REJECT;
}

static int32_t
pf_mbox_cfg_write_verdict(struct pf_mbox_ctx *c)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	int ret;

	/* The policy compares with the current bytes: read all, once. */
	ret = vfbc_pf_read_vf_config(c->mb->port_id, c->vf, cfg, 0, c->cfg_size);
	if (ret != (int)c->cfg_size) {
		c->status = ret < 0 ? ret : -EIO;
		c->pol.reason = "cannot read the VF's config space";
		return VFBC_PF_MBOX_VERDICT_REJECT;
	}
	c->status = vfbc_pf_policy_write(cfg, c->cfg_size, c->req->target, c->req->len,
					 c->req->data, &c->pol);
	return c->status == 0 ? VFBC_PF_MBOX_VERDICT_ACCEPT : VFBC_PF_MBOX_VERDICT_REJECT;
}

/* Actions, once accepted; return the status answered. */
static int32_t
pf_mbox_block_write_act(struct pf_mbox_ctx *c)
{
	/*
	 * As OID_SRIOV_WRITE_VF_CONFIG_BLOCK: the data lands in the PF's
	 * block store, where the VF and the PF read it. No invalidation: the
	 * writer knows what it wrote, and the PF application, told by the
	 * event, invalidates if the block means something to others.
	 */
	return vfbc_channel_block_write(c->mb->ch, c->vf, c->req->target, c->req->data,
					c->req->len);
}

static int32_t
pf_mbox_cfg_read_act(struct pf_mbox_ctx *c, uint8_t *out, uint32_t *out_len)
{
	int ret;

	ret = vfbc_pf_read_vf_config(c->mb->port_id, c->vf, out, c->req->target, c->req->len);
	if (ret < 0)
		return ret;
	vfbc_pf_policy_virtualize_read(out, c->req->target, (uint32_t)ret, c->mb->vendor_id,
				       c->mb->device_id);
	*out_len = (uint32_t)ret;
	return 0;
}

static int32_t
pf_mbox_cfg_write_act(struct pf_mbox_ctx *c)
{
	uint8_t d_state;
	int wake, ret;

	switch (c->pol.action) {
	case VFBC_PF_POLICY_ALLOW:
		ret = vfbc_pf_write_vf_config(c->mb->port_id, c->vf, c->req->data,
					      c->req->target, c->req->len);
		if (ret < 0)
			return ret;
		return (uint32_t)ret == c->req->len ? 0 : -EIO;
	case VFBC_PF_POLICY_TRAP_RESET:
		/* The reset rewrites the register: the rest of the write is moot. */
		ret = vfbc_pf_reset_vf(c->mb->port_id, c->vf);
		if (ret == 0)
			vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_RESETS, 1);
		return ret;
	case VFBC_PF_POLICY_TRAP_POWER:
		d_state = c->pol.value & VFBC_PCI_PM_CTRL_STATE_MASK;
		wake = (c->pol.value & VFBC_PCI_PM_CTRL_PME_ENABLE) != 0;
		ret = vfbc_pf_set_vf_power_state(c->mb->port_id, c->vf, d_state, wake);
		if (ret == 0)
			vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_POWER, 1);
		return ret;
	default:
		return -EPERM;
	}
}

static void
pf_mbox_serve(struct vfbc_pf_mbox *mb, struct rte_eth_dev *dev, uint16_t vf,
	      const struct vfbc_ch_req *req)
{
	uint8_t out[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_pf_mbox_event ev;
	struct pf_mbox_ctx c;
	uint32_t out_len = 0;
	int32_t pre, status;
	int ret;

	memset(&c, 0, sizeof(c));
	c.mb = mb;
	c.dev = dev;
	c.ad = dev->data->dev_private;
	c.vf = vf;
	c.req = req;

	/* The library checked it; the PF does not act on trust. */
	if (req->vf_id != vf) {
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_MALFORMED_PF, 1);
		pf_mbox_answer(&c, -EPERM, NULL, 0);
		return;
	}
	switch (req->type) {
	case VFBC_CH_REQ_BLOCK_WRITE:
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_REQ_BLOCK_WRITE, 1);
		break;
	case VFBC_CH_REQ_CFG_READ:
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_REQ_CFG_READ, 1);
		break;
	case VFBC_CH_REQ_CFG_WRITE:
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_REQ_CFG_WRITE, 1);
		break;
	default:
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_MALFORMED_PF, 1);
		pf_mbox_answer(&c, -ENOTSUP, NULL, 0);
		return;
	}
	ret = pf_mbox_vf_check(&c);
	if (ret < 0) {
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_REJ_VF_STATE, 1);
		PF_MBOX_LOG(DEBUG, "port %u VF %u: not ready, request %" PRIu32 " refused",
			    mb->port_id, vf, req->req_id);
		pf_mbox_answer(&c, ret, NULL, 0);
		return;
	}

	memset(&ev, 0, sizeof(ev));
	ev.vf_id = vf;
	ev.type = req->type;
	ev.length = req->len;
	if (req->type == VFBC_CH_REQ_BLOCK_WRITE) {
		ev.block_id = req->target;
		ev.data = req->data;
		pre = pf_mbox_block_write_verdict(&c);
	} else if (req->type == VFBC_CH_REQ_CFG_READ) {
		ev.offset = req->target;
		pre = pf_mbox_cfg_read_verdict(&c);
	} else {
		ev.offset = req->target;
		ev.data = req->data;
		pre = pf_mbox_cfg_write_verdict(&c);
	}
	ev.verdict = pre;
	rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_VF_MBOX, &ev);

	if (pre != VFBC_PF_MBOX_VERDICT_ACCEPT) {
		/* A policy refusal is final, whatever the callback says. */
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_REJ_POLICY, 1);
		PF_MBOX_LOG(INFO, "port %u VF %u: type %u at 0x%" PRIx32 " len %" PRIu32
			    " refused: %s (%s)", mb->port_id, vf, req->type, req->target,
			    req->len, c.pol.reason != NULL ? c.pol.reason : "policy",
			    c.pol.rule != NULL ? c.pol.rule->name : "-");
		pf_mbox_answer(&c, c.status < 0 ? c.status : -EPERM, NULL, 0);
		return;
	}
	if (ev.verdict != VFBC_PF_MBOX_VERDICT_ACCEPT) {
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_REJ_APP, 1);
		PF_MBOX_LOG(DEBUG, "port %u VF %u: request %" PRIu32 " refused by the application",
			    mb->port_id, vf, req->req_id);
		pf_mbox_answer(&c, -EPERM, NULL, 0);
		return;
	}

	if (req->type == VFBC_CH_REQ_BLOCK_WRITE)
		status = pf_mbox_block_write_act(&c);
	else if (req->type == VFBC_CH_REQ_CFG_READ)
		status = pf_mbox_cfg_read_act(&c, out, &out_len);
	else
		status = pf_mbox_cfg_write_act(&c);
	if (status == 0) {
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_ACCEPTED, 1);
	} else {
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_FAILED, 1);
		PF_MBOX_LOG(NOTICE, "port %u VF %u: type %u at 0x%" PRIx32 " failed: %s",
			    mb->port_id, vf, req->type, req->target, strerror(-status));
	}
	pf_mbox_answer(&c, status, out, out_len);
}

/*
 * Round robin over the VFs the doorbell scan returned, one request per VF
 * per round. The scan returns at most budget VFs, so the first round
 * reaches every one of them; a VF left with requests when the budget runs
 * out had its doorbell set again by the library's dequeue.
 */
static int
pf_mbox_poll_locked(struct vfbc_pf_mbox *mb, unsigned int budget)
{
	struct rte_eth_dev *dev = &rte_eth_devices[mb->port_id];
	struct vfbc_ch_req req;
	unsigned int done = 0;
	int active, i, k, n;

	n = vfbc_channel_doorbell_scan(mb->ch, mb->scan,
				       (uint16_t)RTE_MIN(budget, (unsigned int)mb->nb_slots));
	if (n <= 0)
		return 0;
	vfbc_pf_count(dev->data->dev_private, VFBC_PF_XS_MBOX_VF_VISITS, n);
	active = n;
	while (active > 0 && done < budget) {
		for (i = 0, k = 0; i < active && done < budget; i++) {
			if (vfbc_channel_request_dequeue(mb->ch, mb->scan[i], &req) != 1)
				continue;
			pf_mbox_serve(mb, dev, mb->scan[i], &req);
			done++;
			mb->scan[k++] = mb->scan[i];
		}
		active = k;
	}
	return (int)done;
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
	if (!rte_spinlock_trylock(&mb->poll_lock))
		return -EBUSY;
	ret = pf_mbox_poll_locked(mb, budget);
	rte_spinlock_unlock(&mb->poll_lock);
	return ret;
}

int32_t
vfbc_pf_mbox_service_run(void *arg)
{
	int ret;

	ret = vfbc_pf_mbox_poll((uint16_t)(uintptr_t)arg, VFBC_PF_MBOX_SERVICE_BUDGET);
	/* -EAGAIN tells the service framework no work was done. */
	return ret > 0 ? 0 : -EAGAIN;
}
