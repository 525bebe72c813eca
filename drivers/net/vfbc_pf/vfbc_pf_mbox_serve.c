/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The mailbox request service: find the busy VFs (doorbells, VFs whose
 * control-thread job ended, and a periodic sweep for lost doorbells),
 * serve them round robin with a per-VF budget, and never block: what
 * sleeps (an FLR, a power-state change) goes to the PF's control thread
 * and is answered from there.
 *
 * One request: the library dequeued and validated it; the PF checks the
 * VF, its rate, then one switch on the type reaches that type's handler,
 * which decides the default verdict, asks the application
 * (RTE_ETH_EVENT_VF_MBOX, phase REQUEST), acts, and finishes: the
 * application hears the outcome (phase DONE) and the VF gets its answer.
 * As i40e_pf.c has one handler per virtchnl opcode.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_service_component.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_config.h"
#include "vfbc_pf_ctl.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_policy.h"
#include "vfbc_pf_reset.h"
#include "vfbc_pf_vfs.h"

/*
 * The mailboxes of this process, by port: where the service (and the
 * port-id API) finds a port's mailbox. Written by vfbc_pf_mbox_init() and
 * _uninit() (R10), read lock-free (A10).
 */
struct vfbc_pf_mbox *vfbc_pf_mboxes[RTE_MAX_ETHPORTS];

/*
 * The exported twin the inline vfbc_pf_invalidate_config_blocks() reads
 * (vfbc_pmd_pf.h): the channel and NumVFs of each port whose mailbox is
 * published, written where vfbc_pf_mboxes is (FP3) and by the refresh.
 */
struct vfbc_pf_fp_port vfbc_pf_fp_ports[RTE_MAX_ETHPORTS] __vfbc_experimental_data;

struct vfbc_pf_mbox_service vfbc_pf_mbox_services[RTE_MAX_ETHPORTS];

/* One request being served. */
struct pf_mbox_ctx {
	struct vfbc_pf_mbox *mb;
	struct rte_eth_dev *dev;
	struct vfbc_pf_adapter *ad;
	uint16_t vf;
	uint32_t cfg_size;
	uint32_t vfs_gen;	/* the VF table the request was checked against */
	const struct vfbc_channel_req *req;
	struct vfbc_pf_policy_result pol;
	int32_t status;		/* the answer if the policy refuses */
};

#define PF_MBOX_VLOG(c, level, fmt, ...) do { \
	if (vfbc_pf_mbox_log_ok((c)->mb, (c)->vf)) \
		PF_MBOX_LOG(level, "port %u VF %u: " fmt, (c)->mb->port_id, (c)->vf, \
			    ##__VA_ARGS__); \
} while (0)

static const char *
pf_mbox_type_str(uint16_t type)
{
	switch (type) {
	case VFBC_CHANNEL_REQ_BLOCK_WRITE:
		return "block write";
	case VFBC_CHANNEL_REQ_CFG_READ:
		return "config read";
	case VFBC_CHANNEL_REQ_CFG_WRITE:
		return "config write";
	default:
		return "unknown request";
	}
}

static void
pf_mbox_answer(const struct pf_mbox_ctx *c, int32_t status, const void *data, uint32_t len)
{
	int ret;

	ret = vfbc_channel_respond(c->mb->ch, c->vf, c->req, status, data, len);
	/*
	 * The library dequeues only while the response ring has room. A ring
	 * the VF wrecked since (-EPROTO) is counted and logged once by the
	 * library; an answer to an earlier holder's request (-ESTALE: its
	 * claim was revoked or released meanwhile) is dropped and counted
	 * by it; the rest goes through the VF's log limit.
	 */
	if (ret < 0 && ret != -EPROTO && ret != -ESTALE)
		PF_MBOX_VLOG(c, ERR, "cannot answer request %" PRIu32 ": %s", c->req->req_id,
			     strerror(-ret));
}

/* The event of one request, for either phase. */
static void
pf_mbox_event_fill(const struct pf_mbox_ctx *c, struct vfbc_pf_mbox_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->vf_id = c->vf;
	ev->type = c->req->type;
	ev->request_id = c->req->req_id;
	ev->length = c->req->len;
	if (c->req->type == VFBC_CHANNEL_REQ_BLOCK_WRITE)
		ev->block_id = c->req->target;
	else
		ev->offset = c->req->target;
	if (c->req->type != VFBC_CHANNEL_REQ_CFG_READ)
		ev->data = c->req->data;
}

/* The outcome: counted, logged (within the VF's limit), told, answered. */
static void
pf_mbox_finish(const struct pf_mbox_ctx *c, int32_t status, const void *data, uint32_t len)
{
	struct vfbc_pf_mbox_event ev;

	if (status == 0) {
		vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_ACCEPTED, 1);
	} else {
		vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_FAILED, 1);
		PF_MBOX_VLOG(c, NOTICE, "%s at 0x%" PRIx32 " failed: %s",
			     pf_mbox_type_str(c->req->type), c->req->target, strerror(-status));
	}
	pf_mbox_event_fill(c, &ev);
	ev.phase = VFBC_PF_MBOX_PHASE_DONE;
	ev.verdict = VFBC_PF_MBOX_VERDICT_ACCEPT;
	ev.status = status;
	if (c->req->type == VFBC_CHANNEL_REQ_CFG_READ && status == 0) {
		ev.data = data;
		ev.length = len;
	}
	rte_eth_dev_callback_process(c->dev, RTE_ETH_EVENT_VF_MBOX, &ev);
	pf_mbox_answer(c, status, data, len);
}

/* A refusal before anything is done: counted, logged, told, answered. */
static void
pf_mbox_refuse(const struct pf_mbox_ctx *c, enum vfbc_pf_xstat counter, int32_t status,
	       const char *why)
{
	static const uint32_t refusal[VFBC_PF_XS_MAX] = {
		[VFBC_PF_XS_MBOX_REJ_POLICY] = VFBC_PF_MBOX_REFUSAL_POLICY,
		[VFBC_PF_XS_MBOX_REJ_APP] = VFBC_PF_MBOX_REFUSAL_APP,
		[VFBC_PF_XS_MBOX_REJ_VF_STATE] = VFBC_PF_MBOX_REFUSAL_VF_STATE,
		[VFBC_PF_XS_MBOX_MALFORMED_PF] = VFBC_PF_MBOX_REFUSAL_MALFORMED,
	};
	struct vfbc_pf_mbox_event ev;

	vfbc_pf_count(c->ad, counter, 1);
	PF_MBOX_VLOG(c, INFO, "%s at 0x%" PRIx32 " len %" PRIu32 " refused: %s",
		     pf_mbox_type_str(c->req->type), c->req->target, c->req->len, why);
	pf_mbox_event_fill(c, &ev);
	ev.phase = VFBC_PF_MBOX_PHASE_DONE;
	ev.verdict = VFBC_PF_MBOX_VERDICT_REJECT;
	ev.status = status;
	ev.refusal = refusal[counter];
	rte_eth_dev_callback_process(c->dev, RTE_ETH_EVENT_VF_MBOX, &ev);
	pf_mbox_answer(c, status, NULL, 0);
}

/*
 * Ask the application, with the PF's own verdict; 1 if the request goes
 * ahead. A policy refusal is final whatever the callback says.
 */
static int
pf_mbox_ask(struct pf_mbox_ctx *c, int32_t pre)
{
	struct vfbc_pf_mbox_event ev;
	char why[64];

	pf_mbox_event_fill(c, &ev);
	ev.phase = VFBC_PF_MBOX_PHASE_REQUEST;
	ev.verdict = pre;
	rte_eth_dev_callback_process(c->dev, RTE_ETH_EVENT_VF_MBOX, &ev);
	if (pre != VFBC_PF_MBOX_VERDICT_ACCEPT) {
		snprintf(why, sizeof(why), "%s (%s)",
			 c->pol.reason != NULL ? c->pol.reason : "policy",
			 c->pol.rule != NULL ? c->pol.rule->name : "-");
		pf_mbox_refuse(c, VFBC_PF_XS_MBOX_REJ_POLICY, c->status < 0 ? c->status : -EPERM,
			       why);
		return 0;
	}
	if (ev.verdict != VFBC_PF_MBOX_VERDICT_ACCEPT) {
		pf_mbox_refuse(c, VFBC_PF_XS_MBOX_REJ_APP, -EPERM, "refused by the application");
		return 0;
	}
	return 1;
}

static void
pf_mbox_block_write(struct pf_mbox_ctx *c)
{
	vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_REQ_BLOCK_WRITE, 1);
	/* The PF's block store takes what the VF writes unless the app says no. */
	if (!pf_mbox_ask(c, VFBC_PF_MBOX_VERDICT_ACCEPT))
		return;
	/*
	 * As OID_SRIOV_WRITE_VF_CONFIG_BLOCK: the data lands in the PF's
	 * block store, where the VF and the PF read it. No invalidation: the
	 * writer knows what it wrote, and the PF application, told by the
	 * event, invalidates if the block means something to others.
	 */
	pf_mbox_finish(c, vfbc_channel_block_write(c->mb->ch, c->vf, c->req->target,
			c->req->data, c->req->len), NULL, 0);
}

static void
pf_mbox_cfg_read(struct pf_mbox_ctx *c)
{
	uint8_t out[VFBC_CHANNEL_BLOCK_SIZE];
	int ret;

	vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_REQ_CFG_READ, 1);
	c->status = vfbc_pf_policy_read(c->cfg_size, c->req->target, c->req->len);
	if (!pf_mbox_ask(c, c->status == 0 ? VFBC_PF_MBOX_VERDICT_ACCEPT :
			 VFBC_PF_MBOX_VERDICT_REJECT))
		return;
	ret = vfbc_pf_vf_config_io(c->mb->pf, c->vf, 0, NULL, out, c->req->target, c->req->len);
	if (ret < 0) {
		pf_mbox_finish(c, ret, NULL, 0);
		return;
	}
	vfbc_pf_policy_virtualize_read(out, c->req->target, (uint32_t)ret, c->mb->vendor_id,
				       c->mb->device_id);
	pf_mbox_finish(c, 0, out, (uint32_t)ret);
}

/* The trapped part of a config write, on the control thread. */
static void
pf_mbox_job_run(void *arg)
{
	struct vfbc_pf_mbox_job *j = arg;
	struct vfbc_pf_mbox *mb = j->mb;
	struct pf_mbox_ctx c;
	const char *why = NULL;
	uint8_t d_state;
	int wake, ret;

	memset(&c, 0, sizeof(c));
	c.mb = mb;
	c.dev = &rte_eth_devices[mb->port_id];
	c.ad = mb->pf->ad;
	c.vf = j->vf;
	c.req = &j->req;
	if (vfbc_pf_ctl_stopping(mb->pf)) {
		/* The port is closing: answer, do not act. */
		ret = -ESHUTDOWN;
	} else if (j->action == VFBC_PF_POLICY_TRAP_RESET) {
		/* The reset rewrites the register: the rest of the write is moot. */
		ret = vfbc_pf_vf_flr(mb->pf, j->vf, j->vfs_gen, 1, &why);
		if (ret == 0)
			vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_RESETS, 1);
	} else {
		d_state = j->value & VFBC_PCI_PM_CTRL_STATE_MASK;
		wake = (j->value & VFBC_PCI_PM_CTRL_PME_ENABLE) != 0;
		ret = vfbc_pf_vf_set_power(mb->pf, j->vf, j->vfs_gen, d_state, wake, &why);
		if (ret == 0)
			vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_POWER, 1);
	}
	if (ret < 0 && why != NULL)
		PF_MBOX_VLOG(&c, NOTICE, "%s: %s", j->action == VFBC_PF_POLICY_TRAP_RESET ?
			     "reset" : "power state", why);
	pf_mbox_finish(&c, ret, NULL, 0);
	/*
	 * The VF's ring waited for this job: have the service look at it again.
	 * R12: pairs with A12 in pf_mbox_serve(): a service that sees the VF
	 * free sees the job's answer and its copy of the request done with.
	 * R13: pairs with A13 in pf_mbox_gather(): the revisit bit comes after.
	 */
	__atomic_store_n(&mb->vfs[j->vf].busy, 0, __ATOMIC_RELEASE);
	__atomic_fetch_or(&mb->revisit[j->vf / 64], UINT64_C(1) << (j->vf % 64),
			  __ATOMIC_RELEASE);
	/* SU1 (the mark): a loop over every port looks at this one again. */
	vfbc_pf_mbox_mark(mb);
	/* A sleeping service wakes for it (vfbc_pf_mbox_poll_wait()), and reads its ring again. */
	(void)vfbc_channel_service_hold(mb->ch, j->vf, 0);
	(void)vfbc_channel_service_kick(mb->ch);
}

/* Hand the trapped part to the control thread; the VF waits for its answer. */
static void
pf_mbox_cfg_write_async(struct pf_mbox_ctx *c)
{
	struct vfbc_pf_mbox_vf *mv = &c->mb->vfs[c->vf];
	int ret;

	mv->job.req = *c->req;
	mv->job.vf = c->vf;
	mv->job.action = c->pol.action;
	mv->job.value = c->pol.value;
	mv->job.vfs_gen = c->vfs_gen;
	__atomic_store_n(&mv->busy, 1, __ATOMIC_RELAXED);
	/* Its ring is not read meanwhile: no work for a sleeping service's arm either. */
	(void)vfbc_channel_service_hold(c->mb->ch, c->vf, 1);
	ret = vfbc_pf_ctl_submit(c->mb->pf, pf_mbox_job_run, &mv->job);
	if (ret < 0) {
		(void)vfbc_channel_service_hold(c->mb->ch, c->vf, 0);
		__atomic_store_n(&mv->busy, 0, __ATOMIC_RELAXED);
		pf_mbox_finish(c, -EAGAIN, NULL, 0);
		return;
	}
	vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_ASYNC, 1);
}

static void
pf_mbox_cfg_write(struct pf_mbox_ctx *c)
{
	uint8_t cur[VFBC_CHANNEL_BLOCK_SIZE + 4];
	struct vfbc_pf_policy_map map;
	int32_t pre = VFBC_PF_MBOX_VERDICT_REJECT;
	uint32_t span, span_off = 0;
	int ret;

	vfbc_pf_count(c->ad, VFBC_PF_XS_MBOX_REQ_CFG_WRITE, 1);
	/*
	 * The VF's regions were mapped when it became ready (and after each
	 * FLR): of the device, only the bytes the verdict depends on are read.
	 */
	ret = vfbc_pf_vf_policy_map(c->mb->pf, c->vf, &map);
	span = ret == 0 ? vfbc_pf_policy_write_span(&map, c->req->target, c->req->len,
						    &span_off) : 0;
	if (ret == 0 && span > sizeof(cur))
		ret = -EIO;
	if (ret == 0 && span != 0) {
		ret = vfbc_pf_vf_config_io(c->mb->pf, c->vf, 0, NULL, cur, span_off, span);
		ret = ret == (int)span ? 0 : (ret < 0 ? ret : -EIO);
	}
	if (ret < 0) {
		c->status = ret;
		c->pol.reason = "cannot read the VF's config space";
	} else {
		c->status = vfbc_pf_policy_write_decide(&map, c->req->target, c->req->len,
							c->req->data, span != 0 ? cur : NULL,
							span, &c->pol);
		if (c->status == 0)
			pre = VFBC_PF_MBOX_VERDICT_ACCEPT;
	}
	if (!pf_mbox_ask(c, pre))
		return;
	switch (c->pol.action) {
	case VFBC_PF_POLICY_ALLOW:
		ret = vfbc_pf_vf_config_io(c->mb->pf, c->vf, 1, c->req->data, NULL, c->req->target,
					   c->req->len);
		if (ret >= 0)
			ret = (uint32_t)ret == c->req->len ? 0 : -EIO;
		pf_mbox_finish(c, ret, NULL, 0);
		return;
	case VFBC_PF_POLICY_TRAP_RESET:
	case VFBC_PF_POLICY_TRAP_POWER:
		pf_mbox_cfg_write_async(c);
		return;
	default:
		pf_mbox_finish(c, -EPERM, NULL, 0);
		return;
	}
}

/* Enabled and ready: the PF's own check, after the library's. */
static int
pf_mbox_vf_check(struct pf_mbox_ctx *c)
{
	struct vfbc_pf_proc *pf = c->mb->pf;
	struct vfbc_pf_vf *vf;
	int ret;

	if (c->vf >= __atomic_load_n(&c->mb->nb_vfs, __ATOMIC_RELAXED))
		return -ENXIO;
	pthread_rwlock_rdlock(&pf->lock);
	ret = vfbc_pf_vf_ready(pf, c->vf, &vf);
	if (ret == 0) {
		c->cfg_size = vf->cfg_size;
		c->vfs_gen = pf->vfs_gen;
	}
	pthread_rwlock_unlock(&pf->lock);
	return ret < 0 ? -ENXIO : 0;
}

static void
pf_mbox_serve_one(struct vfbc_pf_mbox *mb, uint16_t vf, const struct vfbc_channel_req *req,
		  uint64_t now)
{
	struct pf_mbox_ctx c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.mb = mb;
	c.dev = &rte_eth_devices[mb->port_id];
	c.ad = mb->pf->ad;
	c.vf = vf;
	c.req = req;

	/* The library checked it; the PF does not act on trust. */
	if (req->vf_id != vf) {
		pf_mbox_refuse(&c, VFBC_PF_XS_MBOX_MALFORMED_PF, -EPERM, "not its own VF id");
		return;
	}
	if (vfbc_pf_mbox_limit_check(mb, vf, now) < 0) {
		vfbc_pf_count(c.ad, VFBC_PF_XS_MBOX_RATE_LIMITED, 1);
		/* Quietly: the limiter said it once. */
		pf_mbox_answer(&c, -EBUSY, NULL, 0);
		return;
	}
	ret = pf_mbox_vf_check(&c);
	if (ret < 0) {
		pf_mbox_refuse(&c, VFBC_PF_XS_MBOX_REJ_VF_STATE, ret, "VF not enabled or ready");
		return;
	}
	switch (req->type) {
	case VFBC_CHANNEL_REQ_BLOCK_WRITE:
		pf_mbox_block_write(&c);
		break;
	case VFBC_CHANNEL_REQ_CFG_READ:
		pf_mbox_cfg_read(&c);
		break;
	case VFBC_CHANNEL_REQ_CFG_WRITE:
		pf_mbox_cfg_write(&c);
		break;
	default:
		pf_mbox_refuse(&c, VFBC_PF_XS_MBOX_MALFORMED_PF, -ENOTSUP, "unknown type");
		break;
	}
}

/* Mark the VFs of vfs[0..n) in the bitmap. */
static void
pf_mbox_mark(uint64_t *bits, const uint16_t *vfs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		bits[vfs[i] / 64] |= UINT64_C(1) << (vfs[i] % 64);
}

/*
 * The VFs of [lo, hi) marked in bits, in order, appended to out[n..):
 * the set bits only, a word at a time, so that a pass costs what its
 * busy VFs cost, not what the PF's slots do. Returns the new n.
 */
static int
pf_mbox_collect(const uint64_t *bits, unsigned int lo, unsigned int hi, uint16_t *out, int n)
{
	unsigned int w;
	uint64_t m;

	if (lo >= hi)
		return n;
	for (w = lo / 64; w <= (hi - 1) / 64; w++) {
		m = bits[w];
		if (w == lo / 64)
			m &= UINT64_MAX << (lo % 64);
		if (w == (hi - 1) / 64 && hi % 64 != 0)
			m &= UINT64_MAX >> (64 - hi % 64);
		while (m != 0) {
			out[n++] = (uint16_t)(w * 64 + (unsigned int)__builtin_ctzll(m));
			m &= m - 1;
		}
	}
	return n;
}

/*
 * The VFs to look at in this pass: doorbells, ended jobs, and every
 * claimed ring with requests when the sweep is due. Into mb->scan, in
 * round-robin order from mb->rr; returns how many.
 */
static int
pf_mbox_gather(struct vfbc_pf_mbox *mb, uint64_t now)
{
	uint64_t bits[VFBC_CHANNEL_DOORBELL_WORDS];
	unsigned int w, words = (mb->nb_slots + 63) / 64;
	uint16_t start;
	int n, i, found;

	memset(bits, 0, sizeof(bits));
	n = vfbc_channel_doorbell_scan(mb->ch, mb->scan, mb->nb_slots);
	if (n > 0)
		pf_mbox_mark(bits, mb->scan, n);
	for (w = 0; w < words; w++)
		if (__atomic_load_n(&mb->revisit[w], __ATOMIC_RELAXED) != 0)
			/* A13: pairs with R13 in pf_mbox_job_run(). */
			bits[w] |= __atomic_exchange_n(&mb->revisit[w], 0, __ATOMIC_ACQUIRE);
	if (now >= mb->next_sweep) {
		/* Read by pf_mbox_nothing_due() without the lock. */
		__atomic_store_n(&mb->next_sweep, now + mb->sweep_cycles, __ATOMIC_RELAXED);
		n = vfbc_channel_request_sweep(mb->ch, mb->scan, mb->nb_slots);
		for (i = 0, found = 0; i < n; i++)
			found += (bits[mb->scan[i] / 64] &
				  (UINT64_C(1) << (mb->scan[i] % 64))) == 0;
		if (found > 0)
			vfbc_pf_count(mb->pf->ad, VFBC_PF_XS_MBOX_SWEEP_FOUND, found);
		if (n > 0)
			pf_mbox_mark(bits, mb->scan, n);
	}
	/* Round robin: this pass starts where the last one stopped. */
	start = mb->rr < mb->nb_slots ? mb->rr : 0;
	n = pf_mbox_collect(bits, start, mb->nb_slots, mb->scan, 0);
	n = pf_mbox_collect(bits, 0, start, mb->scan, n);
	mb->rr = (uint16_t)((start + 1) % mb->nb_slots);
	return n;
}

/*
 * The budget ran out before the VFs gathered from scan[from] on: their
 * doorbells were taken by the scan, so they are marked to be looked at in
 * the next pass (the sweep would find them only VFBC_PF_MBOX_SWEEP_MS
 * later), which starts with the first of them. Only the service reads
 * these bits (relaxed: the same thread), the control thread ORs others in.
 */
static void
pf_mbox_defer(struct vfbc_pf_mbox *mb, const uint8_t *served, int from, int active)
{
	uint16_t vf;
	int i;

	mb->rr = mb->scan[from];
	for (i = from; i < active; i++) {
		vf = mb->scan[i];
		/* One already served had its doorbell set again by its dequeue. */
		if (served[vf] == 0)
			__atomic_fetch_or(&mb->revisit[vf / 64], UINT64_C(1) << (vf % 64),
					__ATOMIC_RELAXED);
	}
	vfbc_pf_mbox_mark(mb);
}

/*
 * Round robin over the VFs gathered, one request per VF per round, at most
 * VFBC_PF_MBOX_VF_BUDGET per VF per pass and budget in all. A VF left with
 * requests had its doorbell set again by the library's dequeue; a VF
 * whose job is on the control thread waits for it (its ring is not read);
 * the VFs the budget did not reach are deferred to the next pass.
 */
static int
pf_mbox_serve(struct vfbc_pf_mbox *mb, unsigned int budget, uint64_t now)
{
	uint8_t served[VFBC_CHANNEL_MAX_VFS];
	struct vfbc_channel_req req;
	unsigned int done = 0;
	int active, i, k, n;
	uint16_t vf;

	n = pf_mbox_gather(mb, now);
	if (n <= 0)
		return 0;
	vfbc_pf_count(mb->pf->ad, VFBC_PF_XS_MBOX_VF_VISITS, n);
	memset(served, 0, sizeof(served));
	active = n;
	while (active > 0 && done < budget) {
		for (i = 0, k = 0; i < active && done < budget; i++) {
			vf = mb->scan[i];
			/* A12: pairs with R12 in pf_mbox_job_run(). */
			if (__atomic_load_n(&mb->vfs[vf].busy, __ATOMIC_ACQUIRE) != 0)
				continue;
			if (vfbc_channel_request_dequeue(mb->ch, vf, &req) != 1)
				continue;
			pf_mbox_serve_one(mb, vf, &req, now);
			done++;
			if (++served[vf] < VFBC_PF_MBOX_VF_BUDGET)
				mb->scan[k++] = vf;
		}
		if (i < active) {
			pf_mbox_defer(mb, served, i, active);
			break;
		}
		active = k;
	}
	return (int)done;
}

/*
 * Nothing for a pass: no channel, or no doorbell, no ended job and no
 * sweep due. Without the poll lock (see vfbc_pf_mbox_due()) and without a
 * call: the loop over every port pays a few loads per port, the doorbell
 * words ORed without a branch each (relaxed, as
 * vfbc_channel_doorbell_pending(): the scan takes the bits with A4).
 */
static inline int
pf_mbox_nothing_due(const struct vfbc_pf_mbox *mb, uint64_t now)
{
	const uint64_t *doorbell = mb->doorbell;
	uint64_t rung = 0;
	unsigned int w;

	if (unlikely(doorbell == NULL))
		return mb->ch == NULL;
	for (w = 0; w < (mb->nb_slots + 63u) / 64; w++)
		rung |= __atomic_load_n(&doorbell[w], __ATOMIC_RELAXED);
	return rung == 0 && !vfbc_pf_mbox_due(mb, now);
}

int
vfbc_pf_mbox_poll_at(struct vfbc_pf_mbox *mb, unsigned int budget, uint64_t now)
{
	int ret;

	if (pf_mbox_nothing_due(mb, now))
		return 0;
	if (!rte_spinlock_trylock(&mb->poll_lock))
		return -EBUSY;
	/*
	 * The pass's own clock, read under the lock: a time read before it
	 * may be older than the last pass's (another poller's), which the
	 * rate limits' intervals would wrap on.
	 */
	ret = mb->ch != NULL ? pf_mbox_serve(mb, budget, rte_get_timer_cycles()) : 0;
	rte_spinlock_unlock(&mb->poll_lock);
	return ret;
}

int
vfbc_pf_mbox_poll_mb(struct vfbc_pf_mbox *mb, unsigned int budget)
{
	return vfbc_pf_mbox_poll_at(mb, budget, rte_get_timer_cycles());
}

int32_t
vfbc_pf_mbox_service_run(void *arg)
{
	uint16_t port_id = (uint16_t)(uintptr_t)arg;
	struct vfbc_pf_mbox_service *svc = &vfbc_pf_mbox_services[port_id];
	struct vfbc_pf_mbox *mb;
	int ret;

	/*
	 * S1: the flag, then the mailbox; S2 in vfbc_pf_mbox_stop() clears the
	 * mailbox, then reads the flag (both sequentially consistent): either
	 * this pass sees no mailbox or the close sees the pass and waits.
	 * A10: pairs with R10 in vfbc_pf_mbox_init().
	 */
	__atomic_store_n(&svc->in_pass, 1, __ATOMIC_SEQ_CST);
	mb = __atomic_load_n(&vfbc_pf_mboxes[port_id], __ATOMIC_SEQ_CST);
	ret = mb != NULL ? vfbc_pf_mbox_poll_mb(mb, VFBC_PF_MBOX_SERVICE_BUDGET) : 0;
	/*
	 * The port closed: the service parks itself, so that its lcore can be
	 * stopped (a running service mapped to it alone forbids that). The
	 * library is alive while a pass runs; the next mailbox of the port id
	 * starts it again, or another port's unregisters it.
	 */
	if (mb == NULL)
		rte_service_component_runstate_set(svc->id, 0);
	/* R15: pairs with A15 in pf_mbox_service_out_of_pass(): the pass is over. */
	__atomic_store_n(&svc->in_pass, 0, __ATOMIC_RELEASE);
	/* -EAGAIN tells the service framework no work was done. */
	return ret > 0 ? 0 : -EAGAIN;
}
