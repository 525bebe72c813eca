/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Invalidations, out of line: the all-VFs form. The per-VF invalidate and
 * the poll are the fast path, inline in vfbc_channel.h.
 */

#include <errno.h>

#include "vfbc_channel.h"

int
vfbc_channel_invalidate_all(struct vfbc_channel *ch, uint64_t mask)
{
	uint16_t vf;
	int ret;

	if (ch == NULL || mask == 0)
		return -EINVAL;
	/* Bounded by the channel size: as wait-free as one invalidate. */
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		ret = vfbc_channel_invalidate(ch, vf, mask);
		if (ret < 0)
			return ret;
	}
	return 0;
}
