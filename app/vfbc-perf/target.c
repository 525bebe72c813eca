/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The targets of the invalidation and request benchmarks, at either level
 * (struct vfbc_perf_target): this process's handles of the benchmark's own
 * channels (created by the primary, attached to once by each VF process)
 * and of the PF driver's channel, and the driver path's ports.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "ctl.h"
#include "target.h"

struct vfbc_perf_ch_entry {
	char name[RTE_MEMZONE_NAMESIZE];
	struct vfbc_channel *ch;
};

static struct vfbc_perf_ch_entry vfbc_perf_ch_cache[4];

/*
 * The primary's own handles of the channels it created: the PF side of the
 * channel level works only through them.
 */
static int
vfbc_perf_channel_created(const char *name, struct vfbc_channel *ch)
{
	struct vfbc_perf_ch_entry *e;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_perf_ch_cache); i++) {
		e = &vfbc_perf_ch_cache[i];
		if (e->ch != NULL)
			continue;
		e->ch = ch;
		snprintf(e->name, sizeof(e->name), "%s", name);
		return 0;
	}
	return -ENOSPC;
}

/* Attach once per process to a channel. */
struct vfbc_channel *
vfbc_perf_channel(const char *name)
{
	struct vfbc_perf_ch_entry *e;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_perf_ch_cache); i++) {
		e = &vfbc_perf_ch_cache[i];
		if (e->ch != NULL && strcmp(e->name, name) == 0)
			return e->ch;
	}
	for (i = 0; i < RTE_DIM(vfbc_perf_ch_cache); i++) {
		e = &vfbc_perf_ch_cache[i];
		if (e->ch != NULL)
			continue;
		e->ch = vfbc_channel_attach(name);
		if (e->ch != NULL)
			snprintf(e->name, sizeof(e->name), "%s", name);
		return e->ch;
	}
	rte_errno = ENOSPC;
	return NULL;
}

int
vfbc_perf_channels_create(unsigned int max_vfs)
{
	struct vfbc_channel *one, *many;

	one = vfbc_channel_create(VFBC_PERF_CH_ONE, 1, SOCKET_ID_ANY);
	if (one == NULL || vfbc_perf_channel_created(VFBC_PERF_CH_ONE, one) != 0)
		return one == NULL ? -rte_errno : -ENOSPC;
	many = vfbc_channel_create(VFBC_PERF_CH_MANY, max_vfs, SOCKET_ID_ANY);
	if (many == NULL || vfbc_perf_channel_created(VFBC_PERF_CH_MANY, many) != 0)
		return many == NULL ? -rte_errno : -ENOSPC;
	return 0;
}

void
vfbc_perf_channels_free(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_perf_ch_cache); i++) {
		vfbc_channel_free(vfbc_perf_ch_cache[i].ch);
		vfbc_perf_ch_cache[i].ch = NULL;
	}
}

int
vfbc_perf_target_get(struct vfbc_perf_target *t, enum vfbc_perf_level level,
		const char *ch_name)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;

	memset(t, 0, sizeof(*t));
	t->level = level;
	t->pf_port = c->pf_port;
	t->vf_port = c->vf_port;
	if (level == VFBC_PERF_DRIVER) {
		if (c->drv_nb_vfs == 0)
			return -ENODEV;
		/* The primary goes through the PF driver only. */
		if (rte_eal_process_type() == RTE_PROC_PRIMARY)
			return 0;
		ch_name = c->drv_ch;
	}
	t->ch = vfbc_perf_channel(ch_name);
	return t->ch != NULL ? 0 : -rte_errno;
}
