/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PERF_TARGET_H_
#define _VFBC_PERF_TARGET_H_

/*
 * The two levels vfbc is measured at, and what a benchmark invalidates,
 * polls and requests through at either (struct vfbc_perf_target): the
 * drivers' APIs on their ports (drv.c sets that path up), or the channel
 * library on the benchmark's own channels (target.c).
 */

#include <stdint.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>
#include <vfbc_pmd_vf.h>

/** Channels of the channel-level figures (not the PF driver's channel). */
#define VFBC_PERF_CH_ONE "perf_1"
#define VFBC_PERF_CH_MANY "perf_many"
/** No ethdev port (the VF PMD has none for this VF). */
#define VFBC_PERF_NO_PORT UINT16_MAX

struct vfbc_perf_proc;
struct vfbc_perf_results;

/** Where an invalidation or request benchmark goes through. */
enum vfbc_perf_level {
	VFBC_PERF_CHANNEL = 0, /**< lib/vfbc directly, on the benchmark's own channels. */
	VFBC_PERF_DRIVER = 1,  /**< net_vfbc_pf and net_vfbc_vf APIs. */
	VFBC_PERF_NB_LEVELS,
};

/** The PF and VF ports of the driver path, in the primary or a secondary. */
struct vfbc_perf_target {
	enum vfbc_perf_level level;
	struct vfbc_channel *ch;  /**< Channel level; driver level: the PF driver's channel. */
	uint16_t pf_port;
	const uint16_t *vf_port;
};

/* PF side of an invalidation. */
static inline int
vfbc_perf_invalidate(const struct vfbc_perf_target *t, uint16_t vf, uint64_t mask)
{
	if (t->level == VFBC_PERF_DRIVER)
		return vfbc_pf_invalidate_config_blocks(t->pf_port, vf, mask);
	return vfbc_channel_invalidate(t->ch, vf, mask);
}

/* PF side of a fan-out: n VFs, each with its mask, in one call. */
static inline int
vfbc_perf_invalidate_bulk(const struct vfbc_perf_target *t, const uint16_t *vf_ids,
		const uint64_t *masks, uint16_t n)
{
	if (t->level == VFBC_PERF_DRIVER)
		return vfbc_pf_invalidate_config_blocks_bulk(t->pf_port, vf_ids, masks, n);
	return vfbc_channel_invalidate_bulk(t->ch, vf_ids, masks, n);
}

/*
 * VF side: the VF PMD's poll; a VF the PMD has no port for (more VFs than
 * RTE_MAX_ETHPORTS) is polled on the PF driver's channel.
 */
static inline int
vfbc_perf_poll(const struct vfbc_perf_target *t, uint16_t vf, uint64_t *mask)
{
	if (t->level == VFBC_PERF_DRIVER && t->vf_port[vf] != VFBC_PERF_NO_PORT)
		return vfbc_vf_poll(t->vf_port[vf], mask);
	return vfbc_channel_poll_invalidations(t->ch, vf, mask);
}

/* target.c: the channels and ports of either level, in this process */
int vfbc_perf_channels_create(unsigned int max_vfs);
void vfbc_perf_channels_free(void);
struct vfbc_channel *vfbc_perf_channel(const char *name);
int vfbc_perf_target_get(struct vfbc_perf_target *t, enum vfbc_perf_level level,
		const char *ch_name);

/* drv.c: the driver path (PF port, VF ports, claims) */
int vfbc_perf_drv_setup(struct vfbc_perf_results *r, unsigned int nb_vfs);
int vfbc_perf_drv_allow_list(unsigned int index, unsigned int nb_procs, char ***argv,
		int *argc);
int vfbc_perf_drv_attach(struct vfbc_perf_proc *me, unsigned int index,
		unsigned int nb_procs);
void vfbc_perf_drv_detach(unsigned int index, unsigned int nb_procs);
int vfbc_perf_pf_port(void);

#endif /* _VFBC_PERF_TARGET_H_ */
