/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A channel's life: its geometry, creation (in a memzone or in memory the
 * caller gives), attach with the layout checks, and freeing. A channel
 * created here is listed where claims find their creator
 * (vfbc_channel_claim_ask.c).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memzone.h>
#include <rte_seqlock.h>
#include <rte_spinlock.h>
#ifdef RTE_ARCH_X86
#include <cpuid.h>
#endif

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"


int
__vfbc_channel_geometry(uint16_t nb_vfs, struct vfbc_channel_geometry *g)
{
	uint64_t off;

	if (nb_vfs == 0 || nb_vfs > VFBC_CHANNEL_MAX_VFS)
		return -EINVAL;
	/* Rings start on cache lines: their index lines are cache lines. */
	off = RTE_ALIGN_CEIL(sizeof(struct vfbc_channel_shm_vf), RTE_CACHE_LINE_SIZE);
	g->notify_ring_off = off;
	off += RTE_ALIGN_CEIL(__VFBC_RING_BYTES(VFBC_CHANNEL_NOTIFY_RING_SIZE,
			sizeof(struct vfbc_channel_notify_elem)), RTE_CACHE_LINE_SIZE);
	g->req_ring_off = off;
	off += RTE_ALIGN_CEIL(__VFBC_RING_BYTES(VFBC_CHANNEL_REQ_RING_SIZE,
			sizeof(struct vfbc_channel_req)), RTE_CACHE_LINE_SIZE);
	g->resp_ring_off = off;
	off += RTE_ALIGN_CEIL(__VFBC_RING_BYTES(VFBC_CHANNEL_RESP_RING_SIZE,
			sizeof(struct vfbc_channel_resp)), RTE_CACHE_LINE_SIZE);
	g->vf_size = off;
	g->vf_area_off = RTE_ALIGN_CEIL(sizeof(struct vfbc_channel_shm_hdr), RTE_CACHE_LINE_SIZE);
	g->size = g->vf_area_off + (uint64_t)nb_vfs * g->vf_size;
	return 0;
}

ssize_t
vfbc_channel_memsize(uint16_t nb_vfs)
{
	struct vfbc_channel_geometry g;
	int ret;

	ret = __vfbc_channel_geometry(nb_vfs, &g);
	if (ret < 0)
		return ret;
	return (ssize_t)g.size;
}

int
__vfbc_channel_mz_name(const char *name, char *mz_name, size_t size)
{
	size_t len;

	if (name == NULL || name[0] == '\0') {
		rte_errno = EINVAL;
		return -1;
	}
	len = strnlen(name, VFBC_CHANNEL_NAME_MAX + 1);
	if (len > VFBC_CHANNEL_NAME_MAX) {
		rte_errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(mz_name, size, "%s%s", VFBC_CHANNEL_MZ_PREFIX, name);
	return 0;
}

/* 1 if the CPU has PREFETCHW (CPUID 0x80000001, ECX bit 8), for the bulk loop. */
static uint16_t
ch_cpu_prefetchw(void)
{
#ifdef RTE_ARCH_X86
	unsigned int a, b, c, d;

	if (__get_cpuid(0x80000001, &a, &b, &c, &d) != 0 && (c & bit_PRFCHW) != 0)
		return 1;
#endif
	return 0;
}

struct vfbc_channel *
__vfbc_channel_handle(uint8_t *base, const struct rte_memzone *mz, const char *mz_name,
		uint16_t nb_vfs, const struct vfbc_channel_geometry *g, int creator)
{
	struct vfbc_channel *ch;
	uint16_t vf;

	/* Process-local: the handle holds addresses valid in this process only. */
	ch = calloc(1, sizeof(*ch));
	if (ch == NULL)
		goto nomem;
	ch->vf = calloc(nb_vfs, sizeof(*ch->vf));
	ch->areas = calloc(nb_vfs, sizeof(*ch->areas));
	if (ch->vf == NULL || ch->areas == NULL)
		goto nomem;
	if (creator) {
		ch->pf = calloc(nb_vfs, sizeof(*ch->pf));
		if (ch->pf == NULL)
			goto nomem;
	}
	rte_spinlock_init(&ch->verify_lock);
	rte_spinlock_init(&ch->svc_lock);
	ch->svc_epfd = ch->svc_kick = ch->svc_sock = -1;
	ch->summary_slot = -1;
	for (vf = 0; vf < nb_vfs; vf++) {
		rte_spinlock_init(&ch->vf[vf].lock);
		ch->vf[vf].svc_wake_fd = -1;
		if (!creator)
			continue;
		rte_spinlock_init(&ch->pf[vf].slot_lock);
		rte_spinlock_init(&ch->pf[vf].block_lock);
		rte_spinlock_init(&ch->pf[vf].wake_lock);
		ch->pf[vf].holder_pidfd = -1;
		ch->pf[vf].wake_fd = -1;
	}
	for (vf = 0; base != NULL && vf < nb_vfs; vf++)
		ch->areas[vf] = base + g->vf_area_off + (uint64_t)vf * g->vf_size;
	ch->base = base;
	ch->mz = mz;
	ch->vf_area_off = g->vf_area_off;
	ch->vf_size = g->vf_size;
	ch->notify_ring_off = g->notify_ring_off;
	ch->req_ring_off = g->req_ring_off;
	ch->resp_ring_off = g->resp_ring_off;
	ch->nb_vfs = nb_vfs;
	ch->creator = creator;
	ch->prefetchw = creator ? ch_cpu_prefetchw() : 0;
	snprintf(ch->name, sizeof(ch->name), "%s", mz_name);
	return ch;
nomem:
	if (ch != NULL) {
		free(ch->areas);
		free(ch->vf);
		free(ch);
	}
	rte_errno = ENOMEM;
	return NULL;
}

void
__vfbc_channel_handle_free(struct vfbc_channel *ch)
{
	uint16_t vf;

	__vfbc_channel_unguard(ch);
	for (vf = 0; ch->pf != NULL && vf < ch->nb_vfs; vf++) {
		free(ch->pf[vf].blocks);
		if (ch->pf[vf].holder_pidfd >= 0)
			close(ch->pf[vf].holder_pidfd);
		if (ch->pf[vf].wake_fd >= 0)
			close(ch->pf[vf].wake_fd);
	}
	for (vf = 0; vf < ch->nb_vfs; vf++)
		if (ch->vf[vf].svc_wake_fd >= 0)
			close(ch->vf[vf].svc_wake_fd);
	__vfbc_channel_service_close(ch);
	if (ch->svc_epfd >= 0)
		close(ch->svc_epfd);
	if (ch->svc_kick >= 0)
		close(ch->svc_kick);
	__vfbc_channel_regions_free(ch);
	free(ch->pf);
	free(ch->vf);
	free(ch->areas);
	free(ch);
}

void
__vfbc_channel_init_vf(struct vfbc_channel *ch, uint16_t vf)
{
	__vfbc_channel_init_area(__vfbc_channel_vf(ch, vf));
}

void
__vfbc_channel_init_area(struct vfbc_channel_shm_vf *v)
{
	unsigned int i;

	v->notify.armed = 1;
	rte_seqlock_init(&v->life.lock);
	for (i = 0; i < RTE_DIM(v->blocks); i++) {
		rte_seqlock_init(&v->blocks[i].lock);
		v->blocks[i].block_id = i < VFBC_CHANNEL_NB_BLOCKS ? i : 0;
	}
	/* The rings are empty at index 0 on both sides: nothing else to set. */
}

void
__vfbc_channel_init(struct vfbc_channel *ch, const struct vfbc_channel_geometry *g,
		uint32_t flags)
{
	int isolated = (flags & VFBC_CHANNEL_F_ISOLATED) != 0;
	struct vfbc_channel_shm_hdr *hdr;
	uint16_t vf;

	/* An isolated channel's VF areas are fresh memory files: zero already. */
	memset(ch->base, 0, isolated ? sizeof(*hdr) : g->size);
	for (vf = 0; vf < ch->nb_vfs; vf++)
		__vfbc_channel_init_vf(ch, vf);
	hdr = __vfbc_channel_hdr(ch);
	hdr->version_major = VFBC_CHANNEL_VERSION_MAJOR;
	hdr->version_minor = VFBC_CHANNEL_VERSION_MINOR;
	hdr->size = isolated ? sizeof(*hdr) : g->size;
	hdr->vf_area_off = isolated ? 0 : g->vf_area_off;
	hdr->flags = flags;
	hdr->nb_vfs = ch->nb_vfs;
	hdr->nb_blocks = VFBC_CHANNEL_NB_BLOCKS;
	hdr->nb_extra_blocks = VFBC_CHANNEL_NB_EXTRA_BLOCKS;
	hdr->block_size = VFBC_CHANNEL_BLOCK_SIZE;
	hdr->hdr_size = sizeof(*hdr);
	hdr->vf_size = g->vf_size;
	hdr->notify_ring_off = g->notify_ring_off;
	hdr->notify_ring_size = VFBC_CHANNEL_NOTIFY_RING_SIZE;
	hdr->notify_elem_size = sizeof(struct vfbc_channel_notify_elem);
	hdr->req_ring_off = g->req_ring_off;
	hdr->req_ring_size = VFBC_CHANNEL_REQ_RING_SIZE;
	hdr->req_elem_size = sizeof(struct vfbc_channel_req);
	hdr->resp_ring_off = g->resp_ring_off;
	hdr->resp_ring_size = VFBC_CHANNEL_RESP_RING_SIZE;
	hdr->resp_elem_size = sizeof(struct vfbc_channel_resp);
	hdr->creator_pid = (uint32_t)getpid();
	ch->creator_pid = hdr->creator_pid;
	hdr->incarnation = rte_get_tsc_cycles() | 1;
	ch->incarnation = hdr->incarnation;
	/*
	 * Not 0: a watch that saw the word of a freed channel at this address
	 * sees it change (a match is left to its slow full look).
	 */
	hdr->life_gen = (uint32_t)(hdr->incarnation >> 1);
	hdr->summary_slot = ch->summary_slot < 0 ? 0 : (uint16_t)(ch->summary_slot + 1);
	/*
	 * Claim epochs start where this incarnation says, not at 0: a handle
	 * of a freed channel that sat at this address holds a word of other
	 * epochs, which no grant of this channel makes (but by a chance of
	 * its grants in 2^32).
	 */
	for (vf = 0; vf < ch->nb_vfs; vf++)
		__vfbc_channel_vf(ch, vf)->consumer.claim =
			(uint64_t)(uint32_t)(hdr->incarnation >> 1) << CH_CLAIM_EPOCH_SHIFT;
	/*
	 * R0: pairs with A0 in ch_attach(): the memory may be visible to
	 * attachers from the start; the magic, stored last, tells an attacher
	 * that everything above is initialised.
	 */
	__vfbc_channel_store32_release(&hdr->magic, VFBC_CHANNEL_MAGIC);
}

int
__vfbc_channel_create_check(const char *name, uint16_t nb_vfs, char *mz_name,
		struct vfbc_channel_geometry *g)
{
	if (__vfbc_channel_mz_name(name, mz_name, RTE_MEMZONE_NAMESIZE) < 0)
		return -1;
	if (__vfbc_channel_geometry(nb_vfs, g) < 0) {
		VFBC_CHANNEL_LOG(ERR, "%s: %u VFs, expected 1..%u", name, nb_vfs,
				VFBC_CHANNEL_MAX_VFS);
		rte_errno = EINVAL;
		return -1;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		rte_errno = E_RTE_SECONDARY;
		return -1;
	}
	return 0;
}

struct vfbc_channel *
vfbc_channel_create(const char *name, uint16_t nb_vfs, int socket_id)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct vfbc_channel *ch;
	struct vfbc_channel_geometry g;

	if (__vfbc_channel_create_check(name, nb_vfs, mz_name, &g) < 0)
		return NULL;
	mz = rte_memzone_reserve_aligned(mz_name, g.size, socket_id, 0, RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		VFBC_CHANNEL_LOG(ERR, "%s: cannot reserve %" PRIu64 " bytes: %s", mz_name, g.size,
				rte_strerror(rte_errno));
		return NULL;
	}
	ch = __vfbc_channel_handle(mz->addr, mz, mz_name, nb_vfs, &g, 1);
	if (ch == NULL) {
		rte_memzone_free(mz);
		return NULL;
	}
	__vfbc_channel_summary_join(ch);
	__vfbc_channel_init(ch, &g, 0);
	__vfbc_channel_creator_add(ch);
	VFBC_CHANNEL_LOG(INFO, "%s: %u VFs, %" PRIu64 " bytes", mz_name, nb_vfs, g.size);
	return ch;
}

struct vfbc_channel *
vfbc_channel_create_mem(void *base, size_t len, uint16_t nb_vfs)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	struct vfbc_channel *ch;
	struct vfbc_channel_geometry g;

	if (base == NULL || ((uintptr_t)base & (RTE_CACHE_LINE_SIZE - 1)) != 0 ||
			__vfbc_channel_geometry(nb_vfs, &g) < 0 || len < g.size) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* A name per memory block: claims in this process find their creator by it. */
	snprintf(mz_name, sizeof(mz_name), "%smem%" PRIxPTR, VFBC_CHANNEL_MZ_PREFIX,
			(uintptr_t)base);
	ch = __vfbc_channel_handle(base, NULL, mz_name, nb_vfs, &g, 1);
	if (ch == NULL)
		return NULL;
	__vfbc_channel_init(ch, &g, 0);
	__vfbc_channel_creator_add(ch);
	return ch;
}

/* The header describes exactly what this library would have built. */
static int
ch_check_header(const char *name, size_t len, const struct vfbc_channel_shm_hdr *hdr,
		struct vfbc_channel_geometry *g)
{
	/* A variable, not the macro: with minor 0 the test would be constant. */
	const uint16_t minor = VFBC_CHANNEL_VERSION_MINOR;

	if (hdr->version_major != VFBC_CHANNEL_VERSION_MAJOR || hdr->version_minor < minor) {
		VFBC_CHANNEL_LOG(ERR, "%s: layout version %u.%u, this library speaks %u.%u",
				name, hdr->version_major, hdr->version_minor,
				VFBC_CHANNEL_VERSION_MAJOR, VFBC_CHANNEL_VERSION_MINOR);
		return -EPROTO;
	}
	if (__vfbc_channel_geometry(hdr->nb_vfs, g) < 0 ||
			hdr->size != g->size || len < g->size ||
			hdr->vf_area_off != g->vf_area_off ||
			hdr->hdr_size != sizeof(*hdr) ||
			hdr->vf_size != g->vf_size ||
			hdr->nb_blocks != VFBC_CHANNEL_NB_BLOCKS ||
			hdr->nb_extra_blocks != VFBC_CHANNEL_NB_EXTRA_BLOCKS ||
			hdr->block_size != VFBC_CHANNEL_BLOCK_SIZE ||
			hdr->notify_ring_off != g->notify_ring_off ||
			hdr->notify_ring_size != VFBC_CHANNEL_NOTIFY_RING_SIZE ||
			hdr->notify_elem_size != sizeof(struct vfbc_channel_notify_elem) ||
			hdr->req_ring_off != g->req_ring_off ||
			hdr->req_ring_size != VFBC_CHANNEL_REQ_RING_SIZE ||
			hdr->req_elem_size != sizeof(struct vfbc_channel_req) ||
			hdr->resp_ring_off != g->resp_ring_off ||
			hdr->resp_ring_size != VFBC_CHANNEL_RESP_RING_SIZE ||
			hdr->resp_elem_size != sizeof(struct vfbc_channel_resp)) {
		VFBC_CHANNEL_LOG(ERR, "%s: geometry differs from this library's (%u VFs, %" PRIu64
				" bytes in a %zu-byte area)", name, hdr->nb_vfs, hdr->size, len);
		return -EPROTO;
	}
	return 0;
}

/*
 * Attach to the channel at base (len bytes): every geometry value of the
 * handle is this library's own, computed from nb_vfs and required to be
 * what the header says.
 */
static struct vfbc_channel *
ch_attach(uint8_t *base, size_t len, const struct rte_memzone *mz, const char *mz_name)
{
	const struct vfbc_channel_shm_hdr *hdr = (const void *)base;
	struct vfbc_channel *ch;
	struct vfbc_channel_geometry g;
	uint32_t magic;
	int ret;

	if (len < sizeof(*hdr)) {
		VFBC_CHANNEL_LOG(ERR, "%s: %zu bytes, too small for a channel", mz_name, len);
		rte_errno = EPROTO;
		return NULL;
	}
	/* A0: pairs with R0 in __vfbc_channel_init(). */
	magic = __vfbc_channel_load32_acquire(&hdr->magic);
	if (magic == 0) {
		rte_errno = EAGAIN;
		return NULL;
	}
	if (magic != VFBC_CHANNEL_MAGIC) {
		VFBC_CHANNEL_LOG(ERR, "%s: bad magic 0x%08x", mz_name, magic);
		rte_errno = EPROTO;
		return NULL;
	}
	if ((__atomic_load_n(&hdr->flags, __ATOMIC_RELAXED) & VFBC_CHANNEL_F_ISOLATED) != 0) {
		VFBC_CHANNEL_LOG(ERR, "%s: an isolated channel: its VFs are reached through "
				"their regions (the PF's socket), not by attaching", mz_name);
		rte_errno = ENOTSUP;
		return NULL;
	}
	ret = ch_check_header(mz_name, len, hdr, &g);
	if (ret < 0) {
		rte_errno = -ret;
		return NULL;
	}
	ch = __vfbc_channel_handle(base, mz, mz_name, hdr->nb_vfs, &g, 0);
	if (ch == NULL)
		return NULL;
	/* A channel of caller's memory has no summary: its attacher may have no EAL. */
	if (mz != NULL)
		__vfbc_channel_summary_attach(ch);
	/* Atomic: the creator of this process may be clearing it (its free). */
	ch->incarnation = __atomic_load_n(&hdr->incarnation, __ATOMIC_RELAXED);
	ch->creator_pid = hdr->creator_pid;
	/* Its creator may free the memzone under it, in this process too. */
	if (mz != NULL) {
		ret = __vfbc_channel_guard(ch, len);
		if (ret < 0) {
			__vfbc_channel_handle_free(ch);
			rte_errno = -ret;
			return NULL;
		}
		/*
		 * Its creator in this process may be freeing it: the free clears
		 * the incarnation, then marks the guarded handles, then frees the
		 * memzone (which the memory lock held here keeps). A handle listed
		 * after the marking (the list's lock orders it after the clearing)
		 * finds the incarnation cleared here, and is not made.
		 */
		if (ch->incarnation == 0 ||
		    __atomic_load_n(&hdr->incarnation, __ATOMIC_RELAXED) != ch->incarnation) {
			__vfbc_channel_handle_free(ch);
			rte_errno = ENOENT;
			return NULL;
		}
	}
	return ch;
}

/*
 * An attach by name and the creator's free, in one process: the free clears
 * the memory (the heap's memset) with no lock an attach takes otherwise.
 */
static pthread_mutex_t ch_life_lock = PTHREAD_MUTEX_INITIALIZER;

struct vfbc_channel *
vfbc_channel_attach(const char *name)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct vfbc_channel *ch;
	void *addr;
	size_t len;

	if (__vfbc_channel_mz_name(name, mz_name, sizeof(mz_name)) < 0)
		return NULL;
	pthread_mutex_lock(&ch_life_lock);
	mz = rte_memzone_lookup(mz_name);
	if (mz == NULL) {
		pthread_mutex_unlock(&ch_life_lock);
		rte_errno = ENOENT;
		return NULL;
	}
	addr = mz->addr;
	len = mz->len;
	/*
	 * Until the handle is guarded, EAL's memory lock keeps the pages: the
	 * creator takes it to free them. The entry is read again without the
	 * memzones' own lock, which EAL takes before this one: if the memzone
	 * went since the lookup, its entry was cleared first.
	 */
	rte_mcfg_mem_read_lock();
	if (mz->addr != addr || mz->len != len || strncmp(mz->name, mz_name,
			sizeof(mz_name)) != 0) {
		rte_mcfg_mem_read_unlock();
		pthread_mutex_unlock(&ch_life_lock);
		rte_errno = ENOENT;
		return NULL;
	}
	ch = ch_attach(addr, len, mz, mz_name);
	rte_mcfg_mem_read_unlock();
	pthread_mutex_unlock(&ch_life_lock);
	return ch;
}

struct vfbc_channel *
vfbc_channel_attach_mem(void *base, size_t len)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];

	if (base == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	snprintf(mz_name, sizeof(mz_name), "%smem%" PRIxPTR, VFBC_CHANNEL_MZ_PREFIX,
			(uintptr_t)base);
	return ch_attach(base, len, NULL, mz_name);
}

void
vfbc_channel_free(struct vfbc_channel *ch)
{
	uint16_t vf;

	if (ch == NULL)
		return;
	/* A handle going away gives its claims back: nobody else could. */
	for (vf = 0; vf < ch->nb_vfs; vf++)
		if (ch->vf[vf].held != 0)
			vfbc_channel_release(ch, vf);
	if (ch->creator) {
		/* An isolated channel was never listed for the rte_mp claims. */
		if (!ch->isolated)
			__vfbc_channel_creator_remove(ch);
		for (vf = 0; vf < ch->nb_vfs; vf++)
			__vfbc_channel_holder_forget(ch, vf);
		__vfbc_channel_summary_leave(ch);
		if (ch->mz != NULL) {
			/*
			 * Stale from now on for every handle (vfbc_channel_current()
			 * compares the incarnation), then the watches look: one
			 * that looks before the memzone goes finds it stale all
			 * the same, not current with nothing left to tell it.
			 */
			pthread_mutex_lock(&ch_life_lock);
			__atomic_store_n(&__vfbc_channel_hdr(ch)->incarnation, 0,
					__ATOMIC_RELAXED);
			__vfbc_channel_life_gen_bump(ch);
			__vfbc_channel_unmap(ch);
			rte_memzone_free(ch->mz);
			pthread_mutex_unlock(&ch_life_lock);
		}
	}
	__vfbc_channel_handle_free(ch);
}

uint16_t
vfbc_channel_nb_vfs(const struct vfbc_channel *ch)
{
	return ch == NULL ? 0 : ch->nb_vfs;
}

int
vfbc_channel_current(const struct vfbc_channel *ch)
{
	const struct rte_memzone *mz;
	int ret;

	if (ch == NULL)
		return -EINVAL;
	/* Caller's memory: no name to look up, the caller knows its life. */
	if (ch->mz == NULL || ch->creator)
		return 1;
	/* Outside the read section: the lookup takes a lock EAL frees under. */
	mz = rte_memzone_lookup(ch->name);
	if (mz == NULL || mz->addr != ch->base)
		return 0;
	if (__vfbc_channel_enter(ch) < 0)
		return 0;
	/* Still mapped (a new channel maybe, in the old one's pages): it may say anything. */
	ret = __atomic_load_n(&__vfbc_channel_hdr(ch)->incarnation, __ATOMIC_RELAXED) ==
		ch->incarnation;
	__vfbc_channel_leave(ch);
	return ret;
}

pid_t
vfbc_channel_creator_pid(const struct vfbc_channel *ch)
{
	return ch == NULL ? 0 : (pid_t)ch->creator_pid;
}
