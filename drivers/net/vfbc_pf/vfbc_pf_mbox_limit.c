/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * What one VF may cost the PF: its request rate (devarg vf_msg_cfg, as
 * i40e's: more than max requests in period seconds and the VF is ignored
 * for ignore seconds) and its share of the PF's log (a few lines a second,
 * the rest counted).
 */

#include <errno.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_mbox.h"

int
vfbc_pf_mbox_limit_init(struct vfbc_pf_mbox *mb)
{
	const struct vfbc_pf_args *a = &mb->pf->args;
	uint16_t vf;

	if (a->msg_max == 0)
		return 0;
	mb->stamp_mem = rte_calloc("vfbc_pf_msg_stamps", (size_t)mb->nb_slots * a->msg_max,
				   sizeof(uint64_t), 0);
	if (mb->stamp_mem == NULL)
		return -ENOMEM;
	for (vf = 0; vf < mb->nb_slots; vf++)
		mb->vfs[vf].stamps = mb->stamp_mem + (size_t)vf * a->msg_max;
	return 0;
}

void
vfbc_pf_mbox_limit_free(struct vfbc_pf_mbox *mb)
{
	rte_free(mb->stamp_mem);
	mb->stamp_mem = NULL;
}

int
vfbc_pf_mbox_limit_check(struct vfbc_pf_mbox *mb, uint16_t vf, uint64_t now)
{
	const struct vfbc_pf_args *a = &mb->pf->args;
	struct vfbc_pf_mbox_vf *mv = &mb->vfs[vf];
	uint64_t hz = rte_get_timer_hz();
	uint64_t oldest;
	int ret = 0;

	if (a->msg_max == 0)
		return 0;
	rte_spinlock_lock(&mb->limit_lock);
	if (mv->ignore_until != 0) {
		if (now < mv->ignore_until) {
			ret = -EBUSY;
			goto out;
		}
		/* The penalty is over: the VF starts afresh. */
		mv->ignore_until = 0;
		mv->stamp_count = 0;
		mv->stamp_next = 0;
		PF_MBOX_LOG(NOTICE, "port %u VF %u: requests served again", mb->port_id, vf);
	}
	if (mv->stamp_count == a->msg_max) {
		oldest = mv->stamps[mv->stamp_next];
		if (now - oldest < (uint64_t)a->msg_period_s * hz) {
			mv->ignore_until = now + (uint64_t)a->msg_ignore_s * hz;
			PF_MBOX_LOG(WARNING, "port %u VF %u: %u requests in less than %u s: "
				    "ignored for %u s (vf_msg_cfg)", mb->port_id, vf, a->msg_max,
				    a->msg_period_s, a->msg_ignore_s);
			ret = -EBUSY;
			goto out;
		}
	} else {
		mv->stamp_count++;
	}
	mv->stamps[mv->stamp_next] = now;
	mv->stamp_next = (mv->stamp_next + 1) % a->msg_max;
out:
	rte_spinlock_unlock(&mb->limit_lock);
	return ret;
}

int
vfbc_pf_mbox_log_ok(struct vfbc_pf_mbox *mb, uint16_t vf)
{
	struct vfbc_pf_mbox_vf *mv = &mb->vfs[vf];
	uint64_t now = rte_get_timer_cycles();
	uint32_t dropped = 0;
	int ok;

	rte_spinlock_lock(&mb->limit_lock);
	if (now - mv->log_second >= rte_get_timer_hz()) {
		dropped = mv->log_dropped;
		mv->log_second = now;
		mv->log_lines = 0;
		mv->log_dropped = 0;
	}
	ok = mv->log_lines < VFBC_PF_MBOX_LOG_BURST;
	if (ok)
		mv->log_lines++;
	else
		mv->log_dropped++;
	rte_spinlock_unlock(&mb->limit_lock);
	if (dropped != 0)
		PF_MBOX_LOG(NOTICE, "port %u VF %u: %u log lines about its requests suppressed",
			    mb->port_id, vf, dropped);
	if (!ok)
		vfbc_pf_count(mb->pf->ad, VFBC_PF_XS_MBOX_LOG_SUPPRESSED, 1);
	return ok;
}
