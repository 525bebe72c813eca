/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The accounting verdict of a run: the bits each level sent, delivered,
 * lost or made up (counted by the benchmarks), and the resyncs and claim
 * takeovers its channels counted, which must all be 0.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>

#include "perf.h"

/*
 * Adds a channel's resyncs and takeovers (VFs 0 .. nb_vfs - 1) to a; ch
 * NULL: the PF driver's channel of port.
 */
int
vfbc_perf_acct_add(struct vfbc_perf_acct *a, const struct vfbc_channel *ch, uint16_t port,
		unsigned int nb_vfs)
{
	struct vfbc_channel_stats s;
	unsigned int v;
	int ret;

	for (v = 0; v < nb_vfs; v++) {
		ret = ch != NULL ? vfbc_channel_stats_get(ch, v, &s) :
			vfbc_pf_mbox_stats(port, v, &s);
		if (ret != 0)
			return ret;
		a->ch_resyncs += s.resyncs;
		a->ch_takeovers += s.takeovers;
	}
	return 0;
}

int
vfbc_perf_acct_collect(struct vfbc_perf_results *r)
{
	static const char *const names[] = { VFBC_PERF_CH_ONE, VFBC_PERF_CH_MANY };
	struct vfbc_perf_acct *d = &r->lv[VFBC_PERF_DRIVER].acct;
	struct vfbc_perf_acct *c = &r->lv[VFBC_PERF_CHANNEL].acct;
	struct vfbc_channel *ch;
	unsigned int i;
	int ret;

	/* The driver level: the PF driver's counters. */
	d->ch_resyncs = 0;
	d->ch_takeovers = 0;
	ret = vfbc_perf_acct_add(d, NULL, vfbc_perf_ctl->pf_port, vfbc_perf_ctl->drv_nb_vfs);
	if (ret != 0)
		return ret;
	/* The channel level: the benchmark's own channels. */
	c->ch_resyncs = 0;
	c->ch_takeovers = 0;
	for (i = 0; i < RTE_DIM(names); i++) {
		ch = vfbc_perf_channel(names[i]);
		if (ch == NULL)
			return -rte_errno;
		ret = vfbc_perf_acct_add(c, ch, 0, vfbc_channel_nb_vfs(ch));
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
vfbc_perf_acct_ok(const struct vfbc_perf_acct *a)
{
	return a->bits_sent != 0 && a->bits_lost == 0 && a->phantom_bits == 0 &&
		a->ch_resyncs == 0 && a->ch_takeovers == 0;
}

/* 1 (and says so) when the accounting a of name failed. */
static int
vfbc_perf_acct_failed(const struct vfbc_perf_acct *a, const char *name)
{
	if (vfbc_perf_acct_ok(a))
		return 0;
	printf("ACCOUNTING FAILED (%s): %" PRIu64 " bits sent, %" PRIu64 " lost, %" PRIu64
			" phantom, %" PRIu64 " \"all blocks\" resyncs and %" PRIu64
			" claim takeovers counted by the channel\n", name, a->bits_sent,
			a->bits_lost, a->phantom_bits, a->ch_resyncs, a->ch_takeovers);
	return 1;
}

int
vfbc_perf_acct_check(const struct vfbc_perf_results *r)
{
	int failed;

	failed = vfbc_perf_acct_failed(&r->lv[VFBC_PERF_CHANNEL].acct, "channel");
	failed |= vfbc_perf_acct_failed(&r->lv[VFBC_PERF_DRIVER].acct, "driver");
	/* The isolated consumer's run, when there was one. */
	if (r->iso_inv.valid)
		failed |= vfbc_perf_acct_failed(&r->iso_acct, "isolated");
	return failed;
}
