/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_MP_UNMAP_COMMON_H_
#define _TEST_MP_UNMAP_COMMON_H_

/*
 * The world of the unmap tests: the PF's channel alone in pages its close
 * gives back, a library-only consumer holding VF 0's claim
 * (test_mp_unmap_common.c).
 */

#include <stdint.h>

#include "test_mp_common.h"

/** How long one command of the consumer may take. */
#define MP_UNMAP_CMD_MS 10000

/** Take the heap's free space (every socket): memzones named prefix<N>; their number. */
unsigned int mp_unmap_fill(const char *prefix);
/** Free the n memzones mp_unmap_fill() made with prefix. */
void mp_unmap_unfill(const char *prefix, unsigned int n);
/** 1 if addr's page is mapped readable in this process, 0 if not, -1 if unknown. */
int mp_unmap_mapped(const void *addr);
/**
 * Probe the world's PF again with the heap full, so that its channel sits
 * alone in pages its close gives back: its port, the channel's address,
 * and the filler memzones before (*filled, "unmap_fill_") and after
 * (*post, "unmap_post_", freed by mp_unmap_pf_close()). TEST_SUCCESS or not.
 */
int mp_unmap_pf_in_own_pages(struct mp_world *w, uint16_t *pf_port, const void **hdr,
			     unsigned int *filled, unsigned int *post);
/** Start the consumer (mp_lib_vf) and have it claim VF 0: 0, or -1 (said why). */
int mp_unmap_consumer_start(struct mp_child *c);
/** Close the PF's port: its channel's pages go, here and in the consumer. */
int mp_unmap_pf_close(uint16_t pf_port, const void *hdr, unsigned int post);
/** One unmap test's world: the PF in pages of its own, the consumer holding VF 0. */
struct mp_unmap_world {
	struct mp_world w;
	struct mp_child c;         /**< The consumer. */
	uint16_t pf_port;
	const void *hdr;           /**< The channel's header, in this process. */
	unsigned int filled;       /**< Filler memzones before the PF's probe. */
	unsigned int post;         /**< ... after it (freed at the PF's close). */
};

/**
 * Start it: the world, the PF in pages of its own, the consumer holding
 * VF 0. TEST_SUCCESS, or what to return (a skip when not in a world); in
 * every case, end it with mp_unmap_end().
 */
int mp_unmap_start(struct mp_unmap_world *u);
/** Close the PF's port (mp_unmap_pf_close()). */
int mp_unmap_close(struct mp_unmap_world *u);
/** The consumer quits when asked, and exits with status 0: 0, or -1 (said why). */
int mp_unmap_consumer_bye(struct mp_unmap_world *u);
/** Stop the consumer, free the fillers. */
void mp_unmap_end(struct mp_unmap_world *u);

/** Tell the consumer to quit, and reap it. */
void mp_unmap_consumer_quit(struct mp_child *c);
/** One command of the consumer answered "ret want", the consumer alive: 0, or -1 (said why). */
int mp_unmap_call(struct mp_child *c, const char *cmd, int want);

#endif /* _TEST_MP_UNMAP_COMMON_H_ */
