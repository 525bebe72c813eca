/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>
#include <rte_pause.h>
#include <rte_ring_elem.h>
#include <rte_seqlock.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_log.h"

RTE_LOG_REGISTER_SUFFIX(vfbc_channel_logtype, mbox, NOTICE);

#define CH_CLAIM_PID_MASK UINT64_C(0xffffffff)
#define CH_CLAIM_EPOCH_SHIFT 32
/* Claimers race only each other; a few rounds settle any real contention. */
#define CH_CLAIM_TRIES 16

/* Where everything is, for a given number of VFs. */
struct ch_geometry {
	uint64_t size;
	uint64_t vf_area_off;
	uint32_t vf_size;
	uint32_t notify_ring_off;
	uint32_t req_ring_off;
	uint32_t resp_ring_off;
};

static int
ch_geometry(uint16_t nb_vfs, struct ch_geometry *g)
{
	ssize_t notify_sz;
	ssize_t req_sz;
	ssize_t resp_sz;
	uint64_t off;

	if (nb_vfs == 0 || nb_vfs > VFBC_CHANNEL_MAX_VFS)
		return -EINVAL;
	notify_sz = rte_ring_get_memsize_elem(sizeof(struct vfbc_ch_notify_elem),
			VFBC_CHANNEL_NOTIFY_RING_SIZE);
	req_sz = rte_ring_get_memsize_elem(sizeof(struct vfbc_ch_req),
			VFBC_CHANNEL_REQ_RING_SIZE);
	resp_sz = rte_ring_get_memsize_elem(sizeof(struct vfbc_ch_resp),
			VFBC_CHANNEL_RESP_RING_SIZE);
	if (notify_sz < 0 || req_sz < 0 || resp_sz < 0)
		return -EINVAL;

	/* Rings start on cache lines: rte_ring_init requires it. */
	off = RTE_ALIGN_CEIL(sizeof(struct vfbc_ch_shm_vf), RTE_CACHE_LINE_SIZE);
	g->notify_ring_off = off;
	off += RTE_ALIGN_CEIL(notify_sz, RTE_CACHE_LINE_SIZE);
	g->req_ring_off = off;
	off += RTE_ALIGN_CEIL(req_sz, RTE_CACHE_LINE_SIZE);
	g->resp_ring_off = off;
	off += RTE_ALIGN_CEIL(resp_sz, RTE_CACHE_LINE_SIZE);
	g->vf_size = off;
	g->vf_area_off = RTE_ALIGN_CEIL(sizeof(struct vfbc_ch_shm_hdr), RTE_CACHE_LINE_SIZE);
	g->size = g->vf_area_off + (uint64_t)nb_vfs * g->vf_size;
	return 0;
}

ssize_t
vfbc_channel_memsize(uint16_t nb_vfs)
{
	struct ch_geometry g;
	int ret;

	ret = ch_geometry(nb_vfs, &g);
	if (ret < 0)
		return ret;
	return (ssize_t)g.size;
}

/* Memzone name of channel name; sets rte_errno and returns -1 when invalid. */
static int
ch_mz_name(const char *name, char *mz_name, size_t size)
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

static struct vfbc_channel *
ch_handle(const struct rte_memzone *mz, const char *mz_name, uint16_t nb_vfs,
		const struct ch_geometry *g, int creator)
{
	struct vfbc_channel *ch;
	uint16_t vf;

	/* Process-local: the handle holds addresses valid in this process only. */
	ch = calloc(1, sizeof(*ch));
	if (ch != NULL)
		ch->local = calloc(nb_vfs, sizeof(*ch->local));
	if (ch == NULL || ch->local == NULL) {
		free(ch);
		rte_errno = ENOMEM;
		return NULL;
	}
	for (vf = 0; vf < nb_vfs; vf++) {
		rte_spinlock_init(&ch->local[vf].resp_lock);
		rte_spinlock_init(&ch->local[vf].block_lock);
	}
	ch->base = mz->addr;
	ch->mz = mz;
	ch->vf_area_off = g->vf_area_off;
	ch->vf_size = g->vf_size;
	ch->notify_ring_off = g->notify_ring_off;
	ch->req_ring_off = g->req_ring_off;
	ch->resp_ring_off = g->resp_ring_off;
	ch->nb_vfs = nb_vfs;
	ch->creator = creator;
	snprintf(ch->name, sizeof(ch->name), "%s", mz_name);
	return ch;
}

static void
ch_handle_free(struct vfbc_channel *ch)
{
	free(ch->local);
	free(ch);
}

static int
ch_init_vf(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_ch_shm_vf *v;
	char name[RTE_RING_NAMESIZE];
	unsigned int i;
	int ret;

	v = __vfbc_ch_vf(ch, vf);
	v->notify.armed = 1;
	for (i = 0; i < RTE_DIM(v->blocks); i++) {
		rte_seqlock_init(&v->blocks[i].lock);
		v->blocks[i].block_id = i < VFBC_CHANNEL_NB_BLOCKS ? i : 0;
	}

	/*
	 * Rings live inside the channel memzone (rte_ring_init, not
	 * rte_ring_create): one memzone per PF, found by offsets, and no
	 * ring memzone or tailq entry left behind by a crashed primary.
	 * The names are informative only; they are not registered.
	 */
	snprintf(name, sizeof(name), "vfbc_ntf_%u", vf);
	ret = rte_ring_init(__vfbc_ch_ring(ch, vf, ch->notify_ring_off), name,
			VFBC_CHANNEL_NOTIFY_RING_SIZE, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (ret < 0)
		return ret;
	snprintf(name, sizeof(name), "vfbc_req_%u", vf);
	ret = rte_ring_init(__vfbc_ch_ring(ch, vf, ch->req_ring_off), name,
			VFBC_CHANNEL_REQ_RING_SIZE, RING_F_SC_DEQ);
	if (ret < 0)
		return ret;
	snprintf(name, sizeof(name), "vfbc_rsp_%u", vf);
	return rte_ring_init(__vfbc_ch_ring(ch, vf, ch->resp_ring_off), name,
			VFBC_CHANNEL_RESP_RING_SIZE, RING_F_SC_DEQ);
}

struct vfbc_channel *
vfbc_channel_create(const char *name, uint16_t nb_vfs, int socket_id)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct vfbc_ch_shm_hdr *hdr;
	struct vfbc_channel *ch;
	struct ch_geometry g;
	uint16_t vf;
	int ret;

	if (ch_mz_name(name, mz_name, sizeof(mz_name)) < 0)
		return NULL;
	if (ch_geometry(nb_vfs, &g) < 0) {
		VFBC_CH_LOG(ERR, "%s: %u VFs, expected 1..%u", name, nb_vfs,
				VFBC_CHANNEL_MAX_VFS);
		rte_errno = EINVAL;
		return NULL;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		rte_errno = E_RTE_SECONDARY;
		return NULL;
	}

	mz = rte_memzone_reserve_aligned(mz_name, g.size, socket_id, 0, RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		VFBC_CH_LOG(ERR, "%s: cannot reserve %" PRIu64 " bytes: %s", mz_name, g.size,
				rte_strerror(rte_errno));
		return NULL;
	}
	ch = ch_handle(mz, mz_name, nb_vfs, &g, 1);
	if (ch == NULL) {
		rte_memzone_free(mz);
		return NULL;
	}

	memset(mz->addr, 0, g.size);
	for (vf = 0; vf < nb_vfs; vf++) {
		ret = ch_init_vf(ch, vf);
		if (ret < 0) {
			VFBC_CH_LOG(ERR, "%s: VF %u rings: %s", mz_name, vf, strerror(-ret));
			ch_handle_free(ch);
			rte_memzone_free(mz);
			rte_errno = -ret;
			return NULL;
		}
	}

	hdr = __vfbc_ch_hdr(ch);
	hdr->version_major = VFBC_CHANNEL_VERSION_MAJOR;
	hdr->version_minor = VFBC_CHANNEL_VERSION_MINOR;
	hdr->size = g.size;
	hdr->vf_area_off = g.vf_area_off;
	hdr->nb_vfs = nb_vfs;
	hdr->nb_blocks = VFBC_CHANNEL_NB_BLOCKS;
	hdr->nb_extra_blocks = VFBC_CHANNEL_NB_EXTRA_BLOCKS;
	hdr->block_size = VFBC_CHANNEL_BLOCK_SIZE;
	hdr->hdr_size = sizeof(*hdr);
	hdr->vf_size = g.vf_size;
	hdr->notify_ring_off = g.notify_ring_off;
	hdr->notify_ring_size = VFBC_CHANNEL_NOTIFY_RING_SIZE;
	hdr->notify_elem_size = sizeof(struct vfbc_ch_notify_elem);
	hdr->req_ring_off = g.req_ring_off;
	hdr->req_ring_size = VFBC_CHANNEL_REQ_RING_SIZE;
	hdr->req_elem_size = sizeof(struct vfbc_ch_req);
	hdr->resp_ring_off = g.resp_ring_off;
	hdr->resp_ring_size = VFBC_CHANNEL_RESP_RING_SIZE;
	hdr->resp_elem_size = sizeof(struct vfbc_ch_resp);
	hdr->creator_pid = (uint32_t)getpid();
	/*
	 * R0: pairs with A0 in vfbc_channel_attach(): the memzone is visible
	 * by name from its reservation on; the magic, stored last, tells an
	 * attacher that everything above is initialised.
	 */
	__vfbc_ch_store32_release(&hdr->magic, VFBC_CHANNEL_MAGIC);

	VFBC_CH_LOG(INFO, "%s: %u VFs, %" PRIu64 " bytes", mz_name, nb_vfs, g.size);
	return ch;
}

/* The header describes exactly what this library would have built. */
static int
ch_check_header(const struct rte_memzone *mz, const struct vfbc_ch_shm_hdr *hdr,
		struct ch_geometry *g)
{
	/* A variable, not the macro: with minor 0 the test would be constant. */
	const uint16_t minor = VFBC_CHANNEL_VERSION_MINOR;

	if (hdr->version_major != VFBC_CHANNEL_VERSION_MAJOR || hdr->version_minor < minor) {
		VFBC_CH_LOG(ERR, "%s: layout version %u.%u, this library speaks %u.%u",
				mz->name, hdr->version_major, hdr->version_minor,
				VFBC_CHANNEL_VERSION_MAJOR, VFBC_CHANNEL_VERSION_MINOR);
		return -EPROTO;
	}
	if (ch_geometry(hdr->nb_vfs, g) < 0 ||
			hdr->size != g->size || mz->len < g->size ||
			hdr->vf_area_off != g->vf_area_off ||
			hdr->hdr_size != sizeof(*hdr) ||
			hdr->vf_size != g->vf_size ||
			hdr->nb_blocks != VFBC_CHANNEL_NB_BLOCKS ||
			hdr->nb_extra_blocks != VFBC_CHANNEL_NB_EXTRA_BLOCKS ||
			hdr->block_size != VFBC_CHANNEL_BLOCK_SIZE ||
			hdr->notify_ring_off != g->notify_ring_off ||
			hdr->notify_ring_size != VFBC_CHANNEL_NOTIFY_RING_SIZE ||
			hdr->notify_elem_size != sizeof(struct vfbc_ch_notify_elem) ||
			hdr->req_ring_off != g->req_ring_off ||
			hdr->req_ring_size != VFBC_CHANNEL_REQ_RING_SIZE ||
			hdr->req_elem_size != sizeof(struct vfbc_ch_req) ||
			hdr->resp_ring_off != g->resp_ring_off ||
			hdr->resp_ring_size != VFBC_CHANNEL_RESP_RING_SIZE ||
			hdr->resp_elem_size != sizeof(struct vfbc_ch_resp)) {
		VFBC_CH_LOG(ERR, "%s: geometry differs from this library's (%u VFs, %" PRIu64
				" bytes in a %zu-byte memzone)", mz->name, hdr->nb_vfs,
				hdr->size, mz->len);
		return -EPROTO;
	}
	return 0;
}

/* Rings whose geometry changed would index outside their slots. */
static int
ch_check_rings(const struct vfbc_channel *ch)
{
	static const uint32_t sizes[] = {
		VFBC_CHANNEL_NOTIFY_RING_SIZE,
		VFBC_CHANNEL_REQ_RING_SIZE,
		VFBC_CHANNEL_RESP_RING_SIZE,
	};
	const struct rte_ring *r;
	uint32_t offs[3];
	unsigned int i;
	uint16_t vf;

	offs[0] = ch->notify_ring_off;
	offs[1] = ch->req_ring_off;
	offs[2] = ch->resp_ring_off;
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		for (i = 0; i < RTE_DIM(offs); i++) {
			r = __vfbc_ch_ring(ch, vf, offs[i]);
			if (r->size != sizes[i] || r->mask != sizes[i] - 1 ||
					r->capacity != sizes[i] - 1) {
				VFBC_CH_LOG(ERR, "%s: VF %u ring %u is corrupt", ch->name, vf, i);
				return -EPROTO;
			}
		}
	}
	return 0;
}

struct vfbc_channel *
vfbc_channel_attach(const char *name)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	const struct vfbc_ch_shm_hdr *hdr;
	struct vfbc_channel *ch;
	struct ch_geometry g;
	uint32_t magic;
	int ret;

	if (ch_mz_name(name, mz_name, sizeof(mz_name)) < 0)
		return NULL;
	mz = rte_memzone_lookup(mz_name);
	if (mz == NULL) {
		rte_errno = ENOENT;
		return NULL;
	}
	if (mz->len < sizeof(*hdr)) {
		VFBC_CH_LOG(ERR, "%s: %zu bytes, too small for a channel", mz_name, mz->len);
		rte_errno = EPROTO;
		return NULL;
	}
	hdr = mz->addr;
	/* A0: pairs with R0 in vfbc_channel_create(). */
	magic = __vfbc_ch_load32_acquire(&hdr->magic);
	if (magic == 0) {
		rte_errno = EAGAIN;
		return NULL;
	}
	if (magic != VFBC_CHANNEL_MAGIC) {
		VFBC_CH_LOG(ERR, "%s: bad magic 0x%08x", mz_name, magic);
		rte_errno = EPROTO;
		return NULL;
	}
	ret = ch_check_header(mz, hdr, &g);
	if (ret < 0) {
		rte_errno = -ret;
		return NULL;
	}
	ch = ch_handle(mz, mz_name, hdr->nb_vfs, &g, 0);
	if (ch == NULL)
		return NULL;
	ret = ch_check_rings(ch);
	if (ret < 0) {
		ch_handle_free(ch);
		rte_errno = -ret;
		return NULL;
	}
	return ch;
}

void
vfbc_channel_free(struct vfbc_channel *ch)
{
	if (ch == NULL)
		return;
	if (ch->creator)
		rte_memzone_free(ch->mz);
	ch_handle_free(ch);
}

uint16_t
vfbc_channel_nb_vfs(const struct vfbc_channel *ch)
{
	return ch == NULL ? 0 : ch->nb_vfs;
}

int
vfbc_channel_invalidate_all(struct vfbc_channel *ch, uint64_t mask)
{
	uint16_t vf;
	int ret;

	if (ch == NULL || mask == 0)
		return -EINVAL;
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		ret = vfbc_channel_invalidate(ch, vf, mask);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Slot of block_id in VF area v, NULL if it has none. With bind, an id
 * >= 64 without a slot takes a free extra slot (NULL when none is left);
 * the caller then holds the VF's block_lock, so that PF lcores binding at
 * once do not take the same slot twice. The words read here are in the
 * VF's area: a VF that rewrites them only misdirects its own blocks.
 */
static struct vfbc_ch_shm_block *
ch_block_slot(struct vfbc_ch_shm_vf *v, uint32_t block_id, int bind)
{
	struct vfbc_ch_shm_block *b;
	unsigned int i;

	if (block_id < VFBC_CHANNEL_NB_BLOCKS)
		return &v->blocks[block_id];
	for (i = VFBC_CHANNEL_NB_BLOCKS; i < RTE_DIM(v->blocks); i++) {
		b = &v->blocks[i];
		/* A5: pairs with R5 below: a bound slot shows its id. */
		if (__vfbc_ch_load32_acquire(&b->bound) != 0 &&
				__vfbc_ch_load32_relaxed(&b->block_id) == block_id)
			return b;
	}
	if (!bind)
		return NULL;

	b = NULL;
	for (i = VFBC_CHANNEL_NB_BLOCKS; i < RTE_DIM(v->blocks); i++) {
		if (__vfbc_ch_load32_relaxed(&v->blocks[i].bound) == 0) {
			if (b == NULL)
				b = &v->blocks[i];
		} else if (__vfbc_ch_load32_relaxed(&v->blocks[i].block_id) == block_id) {
			b = &v->blocks[i];
			break;
		}
	}
	if (b != NULL && __vfbc_ch_load32_relaxed(&b->bound) == 0) {
		__vfbc_ch_store32_relaxed(&b->block_id, block_id);
		/* R5: pairs with A5 above: the id is visible before the bind. */
		__vfbc_ch_store32_release(&b->bound, 1);
	}
	return b;
}

int
vfbc_channel_block_write(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		const void *data, uint32_t len)
{
	struct vfbc_ch_shm_block *b;
	rte_spinlock_t *lock;

	if (ch == NULL || vf >= ch->nb_vfs || len > VFBC_CHANNEL_BLOCK_SIZE ||
			(data == NULL && len != 0))
		return -EINVAL;
	/*
	 * Writers of this VF's blocks (and binders of its extra slots) are
	 * serialised in this process's memory, never on the seqlock's
	 * spinlock: that word is in the VF's area, and a VF holding it would
	 * stop the PF. The PF writes only through the creating handle.
	 */
	lock = &ch->local[vf].block_lock;
	rte_spinlock_lock(lock);
	b = ch_block_slot(__vfbc_ch_vf(ch, vf), block_id, 1);
	if (b == NULL) {
		rte_spinlock_unlock(lock);
		return -ENOSPC;
	}

	/*
	 * The single writer drives the sequence: write_begin/write_end pair
	 * with the reader's read_begin/read_retry (rte_seqcount: release store
	 * of the even sequence, acquire load by the reader). Neither waits: a
	 * sequence the VF rewrote only makes its own snapshots retry.
	 */
	rte_seqcount_write_begin(&b->lock.count);
	if (len != 0)
		memcpy(b->data, data, len);
	memset(b->data + len, 0, VFBC_CHANNEL_BLOCK_SIZE - len);
	__vfbc_ch_store32_relaxed(&b->len, len);
	__vfbc_ch_store32_relaxed(&b->state, VFBC_CH_BLOCK_VALID);
	rte_seqcount_write_end(&b->lock.count);
	rte_spinlock_unlock(lock);
	return 0;
}

int
vfbc_channel_block_read(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		void *buf, uint32_t buf_len)
{
	uint8_t tmp[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_ch_shm_block *b;
	uint32_t state;
	uint32_t len;
	uint32_t sn;
	unsigned int i;

	if (ch == NULL || buf == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	b = ch_block_slot(__vfbc_ch_vf(ch, vf), block_id, 0);
	if (b == NULL)
		return -ENOENT;

	state = VFBC_CH_BLOCK_EMPTY;
	len = 0;
	for (i = 0; i < VFBC_CHANNEL_READ_RETRIES; i++) {
		sn = rte_seqlock_read_begin(&b->lock);
		if (sn & 1) {
			/* A writer is inside: wait for it rather than copy garbage. */
			rte_pause();
			continue;
		}
		state = __vfbc_ch_load32_relaxed(&b->state);
		len = __vfbc_ch_load32_relaxed(&b->len);
		/* A torn length must not take the copy out of the slot. */
		if (len > VFBC_CHANNEL_BLOCK_SIZE)
			len = VFBC_CHANNEL_BLOCK_SIZE;
		memcpy(tmp, b->data, len);
		if (!rte_seqlock_read_retry(&b->lock, sn))
			break;
	}
	if (i == VFBC_CHANNEL_READ_RETRIES)
		return -EAGAIN;
	if (state != VFBC_CH_BLOCK_VALID)
		return -ENOENT;
	if (len > buf_len)
		return -ENOBUFS;
	memcpy(buf, tmp, len);
	return (int)len;
}

int
vfbc_channel_claim(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_ch_shm_vf *v;
	uint32_t self;
	uint32_t pid;
	uint32_t epoch;
	uint64_t cur;
	uint64_t next;
	unsigned int i;
	int takeover;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	self = (uint32_t)getpid();

	for (i = 0; i < CH_CLAIM_TRIES; i++) {
		/*
		 * A7: pairs with R7, the release half of the CAS by which the
		 * previous holder claimed or released: what it wrote before is
		 * visible to the new holder.
		 */
		cur = __vfbc_ch_load64_acquire(&v->consumer.claim);
		pid = cur & CH_CLAIM_PID_MASK;
		epoch = cur >> CH_CLAIM_EPOCH_SHIFT;
		if (pid == self)
			return -EALREADY;
		takeover = 0;
		if (pid != 0) {
			/* EPERM: alive, owned by another user. */
			if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				return -EBUSY;
			takeover = 1;
		}
		/*
		 * The epoch changes on every claim, so a CAS based on an old
		 * read (this one, or a stale holder's release) cannot succeed
		 * against a newer claim even if the pid was reused.
		 */
		next = ((uint64_t)(epoch + 1) << CH_CLAIM_EPOCH_SHIFT) | self;
		if (!__vfbc_ch_cas64(&v->consumer.claim, &cur, next))
			continue;
		__vfbc_ch_count(&v->consumer.stats.claims);
		if (takeover) {
			__vfbc_ch_count(&v->consumer.stats.takeovers);
			/*
			 * R6: pairs with A6 in vfbc_channel_poll_invalidations():
			 * the dead consumer may have exchanged bits it never
			 * acted on, so the next poll delivers every block.
			 */
			__vfbc_ch_store32_release(&v->consumer.resync, 1);
			VFBC_CH_LOG(NOTICE, "%s: VF %u taken over from dead pid %u", ch->name,
					vf, pid);
		}
		return takeover;
	}
	return -EBUSY;
}

int
vfbc_channel_release(struct vfbc_channel *ch, uint16_t vf)
{
	struct vfbc_ch_shm_vf *v;
	uint64_t cur;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	/* A7: pairs with R7 (the CAS of this holder's claim). */
	cur = __vfbc_ch_load64_acquire(&v->consumer.claim);
	if ((cur & CH_CLAIM_PID_MASK) != (uint32_t)getpid())
		return -EPERM;
	/* Keep the epoch: the next claim must still differ from this one. */
	if (!__vfbc_ch_cas64(&v->consumer.claim, &cur, cur & ~CH_CLAIM_PID_MASK))
		return -EPERM;
	return 0;
}

int
vfbc_channel_claim_get(const struct vfbc_channel *ch, uint16_t vf, pid_t *pid,
		uint32_t *epoch)
{
	uint64_t cur;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	/* A7: pairs with R7: the pid and epoch as the holder stored them. */
	cur = __vfbc_ch_load64_acquire(&__vfbc_ch_vf(ch, vf)->consumer.claim);
	if (pid != NULL)
		*pid = (pid_t)(cur & CH_CLAIM_PID_MASK);
	if (epoch != NULL)
		*epoch = cur >> CH_CLAIM_EPOCH_SHIFT;
	return 0;
}

int
vfbc_channel_request_validate(const struct vfbc_channel *ch, uint16_t vf,
		const struct vfbc_ch_req *req)
{
	if (ch == NULL || req == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	switch (req->type) {
	case VFBC_CH_REQ_BLOCK_WRITE:
	case VFBC_CH_REQ_CFG_READ:
	case VFBC_CH_REQ_CFG_WRITE:
		break;
	default:
		return -ENOTSUP;
	}
	/* A VF speaks only for itself: the ring it used says who it is. */
	if (req->vf_id != vf)
		return -EPERM;
	if (req->len == 0 || req->len > VFBC_CHANNEL_BLOCK_SIZE)
		return -EMSGSIZE;
	if (req->type == VFBC_CH_REQ_BLOCK_WRITE) {
		if (ch_block_slot(__vfbc_ch_vf(ch, vf), req->target, 0) == NULL)
			return -ENOENT;
		return 0;
	}
	/* Written so that target + len cannot wrap. */
	if (req->target >= VFBC_CHANNEL_CFG_SPACE_SIZE ||
			req->len > VFBC_CHANNEL_CFG_SPACE_SIZE - req->target)
		return -ERANGE;
	return 0;
}

static void
ch_doorbell_ring(struct vfbc_channel *ch, uint16_t vf)
{
	/*
	 * R4: pairs with A4 in vfbc_channel_doorbell_scan(): whoever takes the
	 * bit sees the records enqueued before it was set.
	 */
	__vfbc_ch_or64_release(&__vfbc_ch_hdr(ch)->doorbell[vf / 64], UINT64_C(1) << (vf % 64));
}

int
vfbc_channel_request_post(struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_req *req)
{
	struct vfbc_ch_shm_vf *v;
	int ret;

	if (ch == NULL || req == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	req->vf_id = vf;
	ret = vfbc_channel_request_validate(ch, vf, req);
	if (ret < 0)
		return ret;
	req->req_id = __atomic_add_fetch(&v->consumer.req_seq, 1, __ATOMIC_RELAXED);
	if (rte_ring_mp_enqueue_elem(__vfbc_ch_ring(ch, vf, ch->req_ring_off), req,
			sizeof(*req)) != 0) {
		__vfbc_ch_count(&v->consumer.stats.request_ring_full);
		return -ENOBUFS;
	}
	__vfbc_ch_count(&v->consumer.stats.requests_posted);
	ch_doorbell_ring(ch, vf);
	return 0;
}

int
vfbc_channel_doorbell_scan(struct vfbc_channel *ch, uint16_t *vfs, uint16_t max)
{
	struct vfbc_ch_shm_hdr *hdr;
	unsigned int words;
	unsigned int w;
	unsigned int vf;
	uint64_t bits;
	int n;

	if (ch == NULL || vfs == NULL || max == 0)
		return -EINVAL;
	hdr = __vfbc_ch_hdr(ch);
	words = (ch->nb_vfs + 63) / 64;
	n = 0;
	for (w = 0; w < words; w++) {
		/* Read first: an idle word costs a shared load, no ownership. */
		if (__vfbc_ch_load64_relaxed(&hdr->doorbell[w]) == 0)
			continue;
		/* A4: pairs with R4 in ch_doorbell_ring(). */
		bits = __vfbc_ch_xchg64_acquire(&hdr->doorbell[w], 0);
		while (bits != 0) {
			if (n == max) {
				/*
				 * No room: the rest waits for the next scan.
				 * R4 again: pairs with A4 of that scan.
				 */
				__vfbc_ch_or64_release(&hdr->doorbell[w], bits);
				return n;
			}
			vf = w * 64 + rte_bsf64(bits);
			bits &= bits - 1;
			/* Bits past nb_vfs can only come from a corrupt peer. */
			if (vf < ch->nb_vfs)
				vfs[n++] = vf;
		}
	}
	return n;
}

/* Ring kinds, for the log-once bits of ch_ring_corrupt(). */
#define CH_RING_REQ 0
#define CH_RING_RESP 1

/*
 * The VF's indexes of one of its rings are out of bounds: count it (every
 * time) and say so (once per VF and ring, so that a VF cannot flood the
 * log). Callers hold no lock.
 */
static void
ch_ring_corrupt(struct vfbc_channel *ch, uint16_t vf, unsigned int ring)
{
	static const char * const names[] = { "request", "response" };
	uint32_t bit = UINT32_C(1) << ring;

	__vfbc_ch_count(&__vfbc_ch_vf(ch, vf)->pf.ring_corrupt);
	if ((__atomic_fetch_or(&ch->local[vf].corrupt_logged, bit, __ATOMIC_RELAXED) & bit) == 0)
		VFBC_CH_LOG(WARNING, "%s: VF %u: %s ring indexes out of bounds: refusing the ring"
				" (logged once)", ch->name, vf, names[ring]);
}

static int
ch_respond(struct vfbc_channel *ch, uint16_t vf, const struct vfbc_ch_req *req,
		int32_t status, const void *data, uint32_t len)
{
	struct vfbc_ch_shm_vf *v;
	struct vfbc_ch_resp resp;
	struct rte_ring *r;
	int mismatch;
	int ret;

	v = __vfbc_ch_vf(ch, vf);
	/* Whole record initialised: no byte of PF memory reaches the VF. */
	memset(&resp, 0, sizeof(resp));
	resp.type = req->type;
	resp.vf_id = vf;
	resp.req_id = req->req_id;
	resp.status = status;
	resp.len = len;
	if (len != 0)
		memcpy(resp.data, data, len);

	/*
	 * PF responders are serialised by a lock of this process, which makes
	 * the enqueue single-producer: nothing waits for the ring's producer
	 * tail, a word the VF can write (rte_ring's multi-producer enqueue
	 * would).
	 */
	r = __vfbc_ch_ring(ch, vf, ch->resp_ring_off);
	rte_spinlock_lock(&ch->local[vf].resp_lock);
	/* The only producer leaves head == tail: a difference is the VF's. */
	mismatch = __atomic_load_n(&r->prod.head, __ATOMIC_RELAXED) !=
			__atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED);
	ret = __vfbc_ch_ring_sp_enqueue(r, __VFBC_CH_RESP_MASK, &resp, sizeof(resp));
	rte_spinlock_unlock(&ch->local[vf].resp_lock);
	/* The enqueue rewrote the tail from the head: counted, and repaired. */
	if (mismatch || ret == -EPROTO)
		ch_ring_corrupt(ch, vf, CH_RING_RESP);
	if (ret == -EPROTO)
		return -EPROTO;
	if (ret != 0) {
		__vfbc_ch_count(&v->pf.stats.response_ring_full);
		return -ENOBUFS;
	}
	__vfbc_ch_count(&v->pf.stats.responses);
	return 0;
}

/* Room to answer: 1, 0 when the response ring is full, -1 when corrupt. */
static int
ch_can_respond(struct vfbc_channel *ch, uint16_t vf)
{
	int n;

	n = __vfbc_ch_ring_free(__vfbc_ch_ring(ch, vf, ch->resp_ring_off), __VFBC_CH_RESP_MASK);
	if (n < 0) {
		ch_ring_corrupt(ch, vf, CH_RING_RESP);
		return -1;
	}
	return n > 0;
}

/* Ring the VF's doorbell again if its request ring holds more (sanely). */
static void
ch_doorbell_again(struct vfbc_channel *ch, uint16_t vf)
{
	/* A corrupt ring was counted by the dequeue that found it. */
	if (__vfbc_ch_ring_entries(__vfbc_ch_ring(ch, vf, ch->req_ring_off),
			__VFBC_CH_REQ_MASK) > 0)
		ch_doorbell_ring(ch, vf);
}

int
vfbc_channel_request_dequeue(struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_req *req)
{
	struct vfbc_ch_shm_vf *v;
	struct vfbc_ch_req rec;
	struct rte_ring *req_r;
	unsigned int i;
	int ret;

	if (ch == NULL || req == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	req_r = __vfbc_ch_ring(ch, vf, ch->req_ring_off);

	/* Bounded: at most one ring's worth of malformed records per call. */
	for (i = 0; i < VFBC_CHANNEL_REQ_RING_SIZE; i++) {
		ret = ch_can_respond(ch, vf);
		if (ret < 0)
			/* No doorbell either: the VF rings again once it is sane. */
			return 0;
		if (ret == 0)
			break;
		/*
		 * Single consumer, private mask, bounded indexes
		 * (vfbc_channel_pvt.h). The record is copied out: checks and
		 * use see the same bytes.
		 */
		ret = __vfbc_ch_ring_sc_dequeue(req_r, __VFBC_CH_REQ_MASK, &rec, sizeof(rec));
		if (ret == -EPROTO) {
			/* Take nothing, and no doorbell: nothing sane to serve. */
			ch_ring_corrupt(ch, vf, CH_RING_REQ);
			return 0;
		}
		if (ret != 0)
			return 0;
		ret = vfbc_channel_request_validate(ch, vf, &rec);
		if (ret == 0) {
			__vfbc_ch_count(&v->pf.stats.requests_accepted);
			*req = rec;
			ch_doorbell_again(ch, vf);
			return 1;
		}
		__vfbc_ch_count(&v->pf.stats.requests_rejected);
		VFBC_CH_LOG(DEBUG, "%s: VF %u: request %u rejected: %s", ch->name, vf,
				rec.req_id, strerror(-ret));
		(void)ch_respond(ch, vf, &rec, ret, NULL, 0);
	}
	ch_doorbell_again(ch, vf);
	return 0;
}

int
vfbc_channel_respond(struct vfbc_channel *ch, uint16_t vf, const struct vfbc_ch_req *req,
		int32_t status, const void *data, uint32_t len)
{
	if (ch == NULL || req == NULL || vf >= ch->nb_vfs || status > 0 ||
			len > VFBC_CHANNEL_BLOCK_SIZE || (data == NULL && len != 0))
		return -EINVAL;
	return ch_respond(ch, vf, req, status, data, len);
}

int
vfbc_channel_response_poll(struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_resp *resp)
{
	struct vfbc_ch_shm_vf *v;

	if (ch == NULL || resp == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	if (rte_ring_sc_dequeue_elem(__vfbc_ch_ring(ch, vf, ch->resp_ring_off), resp,
			sizeof(*resp)) != 0)
		return 0;
	if (resp->len > VFBC_CHANNEL_BLOCK_SIZE)
		resp->len = VFBC_CHANNEL_BLOCK_SIZE;
	__vfbc_ch_count(&v->consumer.stats.responses_received);
	return 1;
}

int
vfbc_channel_stats_get(const struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_stats *stats)
{
	const struct vfbc_ch_shm_pf_stats *p;
	const struct vfbc_ch_shm_vf_stats *c;
	const struct vfbc_ch_shm_vf *v;

	if (ch == NULL || stats == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	v = __vfbc_ch_vf(ch, vf);
	p = &v->pf.stats;
	c = &v->consumer.stats;
	stats->invalidations = __vfbc_ch_load64_relaxed(&p->invalidations);
	stats->coalesced = __vfbc_ch_load64_relaxed(&p->coalesced);
	stats->doorbells = __vfbc_ch_load64_relaxed(&p->doorbells);
	stats->notify_ring_full = __vfbc_ch_load64_relaxed(&p->notify_ring_full);
	stats->requests_accepted = __vfbc_ch_load64_relaxed(&p->requests_accepted);
	stats->requests_rejected = __vfbc_ch_load64_relaxed(&p->requests_rejected);
	stats->responses = __vfbc_ch_load64_relaxed(&p->responses);
	stats->response_ring_full = __vfbc_ch_load64_relaxed(&p->response_ring_full);
	stats->deliveries = __vfbc_ch_load64_relaxed(&c->deliveries);
	stats->resyncs = __vfbc_ch_load64_relaxed(&c->resyncs);
	stats->requests_posted = __vfbc_ch_load64_relaxed(&c->requests_posted);
	stats->request_ring_full = __vfbc_ch_load64_relaxed(&c->request_ring_full);
	stats->responses_received = __vfbc_ch_load64_relaxed(&c->responses_received);
	stats->claims = __vfbc_ch_load64_relaxed(&c->claims);
	stats->takeovers = __vfbc_ch_load64_relaxed(&c->takeovers);
	stats->ring_corrupt = __vfbc_ch_load64_relaxed(&v->pf.ring_corrupt);
	return 0;
}

int
vfbc_channel_vf_addr_set(struct vfbc_channel *ch, uint16_t vf, const struct rte_pci_addr *addr)
{
	struct vfbc_ch_shm_vf_addr a;

	if (ch == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	if (addr != NULL) {
		if (addr->devid > 31 || addr->function > 7)
			return -EINVAL;
		a.domain = addr->domain;
		a.bus = addr->bus;
		a.devid = addr->devid;
		a.function = addr->function;
		a.valid = 1;
	}
	/*
	 * R7: pairs with A7 in ch_vf_addr_load(). One 8-byte store: a reader
	 * sees the old or the new address, never a mix.
	 */
	__atomic_store(&__vfbc_ch_vf(ch, vf)->pf.vf_addr, &a, __ATOMIC_RELEASE);
	return 0;
}

static void
ch_vf_addr_load(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_ch_shm_vf_addr *a)
{
	/* A7: pairs with R7 in vfbc_channel_vf_addr_set(). */
	__atomic_load(&__vfbc_ch_vf(ch, vf)->pf.vf_addr, a, __ATOMIC_ACQUIRE);
}

int
vfbc_channel_vf_addr_get(const struct vfbc_channel *ch, uint16_t vf, struct rte_pci_addr *addr)
{
	struct vfbc_ch_shm_vf_addr a;

	if (ch == NULL || addr == NULL || vf >= ch->nb_vfs)
		return -EINVAL;
	ch_vf_addr_load(ch, vf, &a);
	if (a.valid != 1)
		return -ENOENT;
	memset(addr, 0, sizeof(*addr));
	addr->domain = a.domain;
	addr->bus = a.bus;
	/* Masked: a corrupt peer must not hand out an impossible address. */
	addr->devid = a.devid & 0x1f;
	addr->function = a.function & 0x7;
	return 0;
}

int
vfbc_channel_vf_find(const struct vfbc_channel *ch, const struct rte_pci_addr *addr)
{
	struct rte_pci_addr a;
	uint16_t vf;

	if (ch == NULL || addr == NULL)
		return -EINVAL;
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		if (vfbc_channel_vf_addr_get(ch, vf, &a) == 0 && rte_pci_addr_cmp(&a, addr) == 0)
			return vf;
	}
	return -ENOENT;
}
