/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Invalidations, out of line: the bulk and all-VFs forms, which share one
 * loop (__vfbc_channel_invalidate_loop() in vfbc_channel.h) and check all
 * their arguments before they touch any VF. The per-VF invalidate and the
 * poll are the fast path, inline in vfbc_channel.h.
 */

#include <errno.h>

#include "vfbc_channel.h"

int
vfbc_channel_invalidate_bulk(struct vfbc_channel *ch, const uint16_t *vf_ids,
		const uint64_t *masks, uint16_t n)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	/* All of it before any VF: a refused call must leave no bit behind. */
	ret = __vfbc_channel_bulk_check(ch, vf_ids, masks, n, ch->nb_vfs);
	if (ret < 0)
		return ret;
	__vfbc_channel_invalidate_loop(ch, vf_ids, masks, 0, n);
	return 0;
}

int
vfbc_channel_invalidate_all(struct vfbc_channel *ch, uint64_t mask)
{
	uint16_t vf;

	if (ch == NULL || mask == 0)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	/* The creator reaches every VF: nothing can fail half way. */
	for (vf = 0; vf < ch->nb_vfs; vf++)
		if (__vfbc_channel_vf_bad(ch, vf))
			return -EINVAL;
	/* Bounded by the channel size: as wait-free as one invalidate. */
	__vfbc_channel_invalidate_loop(ch, NULL, NULL, mask, ch->nb_vfs);
	return 0;
}
