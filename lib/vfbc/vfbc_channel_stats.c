/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Counters of a VF, gathered from its PF and consumer lines. */

#include <errno.h>

#include "vfbc_channel.h"

static int
ch_stats_get_in(const struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_stats *stats)
{
	const struct vfbc_channel_shm_pf_stats *p;
	const struct vfbc_channel_shm_vf_stats *c;
	const struct vfbc_channel_shm_vf *v;

	if (ch == NULL || stats == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	v = __vfbc_channel_vf(ch, vf);
	p = &v->pf.stats;
	c = &v->consumer.stats;
	stats->invalidations = __vfbc_channel_load64_relaxed(&p->invalidations);
	stats->coalesced = __vfbc_channel_load64_relaxed(&p->coalesced);
	stats->doorbells = __vfbc_channel_load64_relaxed(&p->doorbells);
	stats->notify_ring_full = __vfbc_channel_load64_relaxed(&p->notify_ring_full);
	stats->requests_accepted = __vfbc_channel_load64_relaxed(&p->requests_accepted);
	stats->requests_rejected = __vfbc_channel_load64_relaxed(&p->requests_rejected);
	stats->responses = __vfbc_channel_load64_relaxed(&p->responses);
	stats->response_ring_full = __vfbc_channel_load64_relaxed(&p->response_ring_full);
	stats->deliveries = __vfbc_channel_load64_relaxed(&c->deliveries);
	stats->resyncs = __vfbc_channel_load64_relaxed(&c->resyncs);
	stats->requests_posted = __vfbc_channel_load64_relaxed(&c->requests_posted);
	stats->request_ring_full = __vfbc_channel_load64_relaxed(&c->request_ring_full);
	stats->responses_received = __vfbc_channel_load64_relaxed(&c->responses_received);
	stats->claims = __vfbc_channel_load64_relaxed(&c->claims);
	stats->takeovers = __vfbc_channel_load64_relaxed(&c->takeovers);
	stats->ring_corrupt = __vfbc_channel_load64_relaxed(&v->pf.ring_corrupt);
	stats->requests_unclaimed = __vfbc_channel_load64_relaxed(&v->pf.requests_unclaimed);
	stats->claims_refused = __vfbc_channel_load64_relaxed(&v->pf.claims_refused);
	stats->requests_dropped = __vfbc_channel_load64_relaxed(&v->pf.requests_dropped);
	stats->responses_dropped = __vfbc_channel_load64_relaxed(&v->pf.responses_dropped);
	/* PF-private: another handle than the creator's counts none. */
	stats->wakeups = ch->pf != NULL ?
			__atomic_load_n(&ch->pf[vf].wakeups, __ATOMIC_RELAXED) : 0;
	return 0;
}

int
vfbc_channel_stats_get(const struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_stats *stats)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_stats_get_in(ch, vf, stats);
	__vfbc_channel_leave(ch);
	return ret;
}
