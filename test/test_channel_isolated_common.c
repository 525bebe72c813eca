/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* The library tests of isolated channels (see test_channel_isolated_common.h). */

#include <unistd.h>

#include "test.h"
#include "test_channel_isolated_common.h"

int
iso_test_eal(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

struct vfbc_channel *
iso_test_consumer(struct vfbc_channel *pf, uint16_t vf)
{
	struct vfbc_channel *h;
	uint64_t word;

	if (vfbc_channel_claim_grant(pf, vf, getpid(), -1, -1, &word) < 0)
		return NULL;
	h = vfbc_channel_attach_region(vfbc_channel_region_fd(pf, vf), vf);
	if (h == NULL)
		return NULL;
	if (vfbc_channel_claim_adopt(h, vf, word) != 0) {
		vfbc_channel_free(h);
		return NULL;
	}
	return h;
}
