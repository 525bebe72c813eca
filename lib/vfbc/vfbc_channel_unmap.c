/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Handles whose memory another process frees. A channel attached by name
 * lives in its creator's memzone; when the creator frees it, EAL unmaps the
 * pages in every other process too (PROT_NONE), after it has called the
 * memory event callbacks. A read through such a handle afterwards faults:
 * this file turns it into -ENODEV. In the creator's own process, where the
 * heap may keep the pages (and give them to the next allocation), the
 * creator's free does the same before it frees the memzone.
 *
 * Every call that reaches a guarded handle's shared memory does so inside
 * a read section (__vfbc_channel_enter() and _leave(), in
 * vfbc_channel_pvt.h), counted in the handle's slot of the caller's lcore,
 * or in its shared slot for threads without an lcore id. The memory event
 * callback marks the handles whose pages go, then waits until their slots
 * are empty: a section that began before the mark ends before the pages
 * go, one that begins after sees the mark. On an lcore, the reader's side
 * is two plain stores and a load: the callback's membarrier() stands for
 * the full fence the reader would need (the asymmetric Dekker of liburcu's
 * "memb" flavour). Without membarrier, readers fence themselves; threads
 * without an lcore id use atomic adds, a fence each.
 */

#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

/* The handles guarded, under unmap_lock. */
static pthread_mutex_t unmap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vfbc_channel *unmap_handles;
/* 1: the callback is registered; -1: it cannot be (nothing needs it). */
static int unmap_watch;
/* 1: no private expedited membarrier in this process. */
static uint32_t unmap_reader_fence;

static long
unmap_membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/* 1 if [a, a + alen) and [b, b + blen) share a byte. */
static int
unmap_overlap(uintptr_t a, size_t alen, uintptr_t b, size_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Mark the guarded handles of [addr, addr + len) gone, then wait until no
 * read section of theirs is in progress. The caller is in none.
 */
static void
unmap_range(const void *addr, size_t len)
{
	struct vfbc_channel *ch;
	unsigned int i;
	int marked = 0;

	pthread_mutex_lock(&unmap_lock);
	for (ch = unmap_handles; ch != NULL; ch = ch->guard_next) {
		/* Its own length: the memzone's entry is cleared before its pages go. */
		if (!unmap_overlap((uintptr_t)ch->base, ch->guard_len, (uintptr_t)addr, len))
			continue;
		__atomic_store_n(&ch->unmapped, 1, __ATOMIC_RELAXED);
		marked = 1;
	}
	if (!marked) {
		pthread_mutex_unlock(&unmap_lock);
		return;
	}
	/*
	 * U1: pairs with U2 in __vfbc_channel_enter(): a section whose load
	 * missed the mark has its depth seen below.
	 */
	if (unmap_reader_fence || unmap_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) < 0)
		rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (ch = unmap_handles; ch != NULL; ch = ch->guard_next) {
		if (!__atomic_load_n(&ch->unmapped, __ATOMIC_RELAXED))
			continue;
		/* U4: pairs with U3 in __vfbc_channel_leave(): the sections' reads are done. */
		for (i = 0; i <= RTE_MAX_LCORE; i++)
			while (__atomic_load_n(&ch->readers[i].depth, __ATOMIC_ACQUIRE) != 0)
				rte_pause();
	}
	pthread_mutex_unlock(&unmap_lock);
}

/*
 * EAL calls it before it unmaps freed pages: in the process that frees, in
 * the thread that frees; in the others, on their multi-process thread. It
 * holds EAL's memory lock meanwhile, so a read section must never take it
 * (no memzone lookup inside one).
 */
static void
unmap_event(enum rte_mem_event type, const void *addr, size_t len, void *arg __rte_unused)
{
	if (type == RTE_MEM_EVENT_FREE)
		unmap_range(addr, len);
}

void
__vfbc_channel_unmap(const struct vfbc_channel *ch)
{
	/*
	 * The creator's own process: the heap may keep the pages mapped, and
	 * then EAL says nothing, but the memory is another allocation's next.
	 */
	unmap_range(ch->base, ch->mz->len);
}

/*
 * Once per process, before the first guarded handle: the callback and the
 * membarrier registration. 1 if EAL tells of unmapped pages; 0 if it never
 * unmaps (legacy memory: handles are guarded all the same, for the creator's
 * free in this process); -1 with rte_errno.
 */
static int
unmap_watch_start(void)
{
	if (unmap_watch != 0)
		return unmap_watch > 0;
	/*
	 * Without it the readers fence; asked before any guarded handle
	 * exists, so no reader is in between.
	 */
	if (unmap_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) < 0) {
		VFBC_CHANNEL_LOG(DEBUG, "no private expedited membarrier: readers fence");
		unmap_reader_fence = 1;
	}
	if (rte_mem_event_callback_register("vfbc_channel_unmap", unmap_event, NULL) != 0) {
		if (rte_errno != ENOTSUP)
			return -1;
		/* Legacy memory: pages are never given back while the process runs. */
		unmap_watch = -1;
		return 0;
	}
	unmap_watch = 1;
	return 1;
}

int
__vfbc_channel_guard(struct vfbc_channel *ch, size_t len)
{
	struct vfbc_channel_reader *readers;
	int ret;

	/* Before the lock: the callback holds it, and allocations may free memory. */
	readers = aligned_alloc(RTE_CACHE_LINE_SIZE, (RTE_MAX_LCORE + 1) * sizeof(*readers));
	if (readers == NULL)
		return -ENOMEM;
	memset(readers, 0, (RTE_MAX_LCORE + 1) * sizeof(*readers));
	pthread_mutex_lock(&unmap_lock);
	ret = unmap_watch_start();
	/*
	 * Legacy memory (0) too: EAL never unmaps, but the creator's free
	 * gives the memory to the next allocation, and marks this process's
	 * handles of it (__vfbc_channel_unmap()).
	 */
	if (ret >= 0) {
		ch->readers = readers;
		ch->reader_fence = unmap_reader_fence;
		ch->guard_len = len;
		ch->guard_next = unmap_handles;
		unmap_handles = ch;
		ch->guarded = 1;
	}
	pthread_mutex_unlock(&unmap_lock);
	if (ret < 0)
		free(readers);
	return ret < 0 ? -rte_errno : 0;
}

void
__vfbc_channel_unguard(struct vfbc_channel *ch)
{
	struct vfbc_channel **p;

	if (!ch->guarded)
		return;
	pthread_mutex_lock(&unmap_lock);
	for (p = &unmap_handles; *p != NULL; p = &(*p)->guard_next)
		if (*p == ch) {
			*p = ch->guard_next;
			break;
		}
	pthread_mutex_unlock(&unmap_lock);
	free(ch->readers);
	ch->readers = NULL;
}
