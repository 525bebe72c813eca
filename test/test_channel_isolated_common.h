/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_CHANNEL_ISOLATED_COMMON_H_
#define _TEST_CHANNEL_ISOLATED_COMMON_H_

/* The library tests of isolated channels: their EAL, and a consumer. */

#include <stdint.h>

#include <vfbc_channel.h>

/* EAL for a suite of them: no hugepages, no PCI (a unit_test_suite setup). */
int iso_test_eal(void);

/*
 * A consumer of VF vf of the isolated channel pf, made as the PF's socket
 * makes one: a grant to this process, the region it then hands out, the
 * adopted word. NULL on failure.
 */
struct vfbc_channel *iso_test_consumer(struct vfbc_channel *pf, uint16_t vf);

#endif /* _TEST_CHANNEL_ISOLATED_COMMON_H_ */
