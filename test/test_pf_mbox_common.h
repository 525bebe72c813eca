/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_PF_MBOX_COMMON_H_
#define _TEST_PF_MBOX_COMMON_H_

/*
 * Helpers of the PF mailbox world tests: the test process plays the VF side
 * through the channel library's request API (no VF PMD), on a second handle
 * of the channel the PF driver created.
 */

#include <stdint.h>

#include <vfbc_channel.h>

/* How long a request may wait for its answer. */
#define TEST_MBOX_TIMEOUT_US (2 * 1000 * 1000)

/*
 * Attach to the world PF's channel as a VF process would, and claim every
 * slot that has a VF (test_mbox_claim()); NULL on failure.
 */
struct vfbc_channel *test_mbox_attach(void);

/*
 * Claim slot vf of ch as a VF PMD does: presenting an open descriptor on the
 * VF's config file (kept open) as the proof. vfbc_channel_claim()'s result.
 */
int test_mbox_claim(struct vfbc_channel *ch, uint16_t vf);
/* Sleep mode: the wake socket of a VF test_mbox_claim() claimed, with its proof. */
int test_mbox_wake_fd(struct vfbc_channel *ch, uint16_t vf);

/* A request record of type, target, and len bytes of data (NULL: none, e.g. a read). */
void test_mbox_req_init(struct vfbc_channel_req *req, uint16_t type, uint32_t target,
			const void *data, uint32_t len);

/*
 * Post a request on VF vf's ring and wait for its answer. With poll set the
 * helper drives vfbc_pf_mbox_poll() itself, otherwise something else (the
 * rte_service) must. Returns 0 with *resp filled, or -1 (printed why).
 */
int test_mbox_call(uint16_t port_id, struct vfbc_channel *ch, uint16_t vf, uint16_t type,
		   uint32_t target, const void *data, uint32_t len,
		   struct vfbc_channel_resp *resp, int poll);

/* Read len bytes at off of VF vf's config file in the world; 0 or -1. */
int test_mbox_vf_cfg(uint16_t vf, uint32_t off, void *buf, uint32_t len);

#endif /* _TEST_PF_MBOX_COMMON_H_ */
