/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Config blocks (NdisMReadConfigBlock / the PF's block store). The PF keeps
 * its own copy of every block in the creating handle, which alone it reads
 * and which alone decides which id an extra slot holds; each write is also
 * copied into the VF's slot under its sequence, where the VF's consumer
 * reads a consistent snapshot. A VF writes its own area at will: that
 * misleads only its own reads, never the PF's.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_seqlock.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"

#define CH_NB_SLOTS (VFBC_CHANNEL_NB_BLOCKS + VFBC_CHANNEL_NB_EXTRA_BLOCKS)

/*
 * The consumer's lookup: slot of block_id in VF area v, NULL if none. Ids
 * >= 64 are found by the id the PF wrote into a bound extra slot.
 */
struct vfbc_channel_shm_block *
__vfbc_channel_block_slot(struct vfbc_channel_shm_vf *v, uint32_t block_id)
{
	struct vfbc_channel_shm_block *b;
	unsigned int i;

	if (block_id < VFBC_CHANNEL_NB_BLOCKS)
		return &v->blocks[block_id];
	for (i = VFBC_CHANNEL_NB_BLOCKS; i < RTE_DIM(v->blocks); i++) {
		b = &v->blocks[i];
		/* A5: pairs with R5 in ch_shm_write(): a bound slot shows its id. */
		if (__vfbc_channel_load32_acquire(&b->bound) != 0 &&
				__vfbc_channel_load32_relaxed(&b->block_id) == block_id)
			return b;
	}
	return NULL;
}

/*
 * The PF's slot index of block_id, from its own copy (block_lock held);
 * with bind, an id >= 64 without one takes a free extra slot. -1: none.
 */
static int
ch_pf_slot(const struct vfbc_channel_pf_block *blocks, uint32_t block_id, int bind)
{
	int i, free_slot = -1;

	if (block_id < VFBC_CHANNEL_NB_BLOCKS)
		return (int)block_id;
	if (blocks == NULL)
		return -1;
	for (i = VFBC_CHANNEL_NB_BLOCKS; i < CH_NB_SLOTS; i++) {
		if (blocks[i].valid && blocks[i].block_id == block_id)
			return i;
		if (!blocks[i].valid && free_slot < 0)
			free_slot = i;
	}
	return bind ? free_slot : -1;
}

int
__vfbc_channel_block_exists(const struct vfbc_channel *ch, uint16_t vf, uint32_t block_id)
{
	rte_spinlock_t *lock;
	int slot;

	if (ch->pf == NULL)
		return __vfbc_channel_block_slot(__vfbc_channel_vf(ch, vf), block_id) != NULL;
	lock = &ch->pf[vf].block_lock;
	rte_spinlock_lock(lock);
	slot = ch_pf_slot(ch->pf[vf].blocks, block_id, 0);
	rte_spinlock_unlock(lock);
	/* Ids below 64 always have their slot; the others once the PF wrote them. */
	return slot >= 0;
}

/* The VF's copy of slot i: the single writer drives its sequence. */
static void
ch_shm_write(struct vfbc_channel_shm_block *b, int i, uint32_t block_id, const void *data,
	     uint32_t len)
{
	/*
	 * write_begin/write_end pair with the reader's read_begin/read_retry
	 * (rte_seqcount: release store of the even sequence, acquire load by
	 * the reader). Neither waits: a sequence the VF rewrote only makes its
	 * own snapshots retry.
	 */
	rte_seqcount_write_begin(&b->lock.count);
	if (len != 0)
		memcpy(b->data, data, len);
	memset(b->data + len, 0, VFBC_CHANNEL_BLOCK_SIZE - len);
	__vfbc_channel_store32_relaxed(&b->len, len);
	__vfbc_channel_store32_relaxed(&b->state, VFBC_CHANNEL_BLOCK_VALID);
	rte_seqcount_write_end(&b->lock.count);
	if (i >= VFBC_CHANNEL_NB_BLOCKS) {
		/* Rewritten each time: the VF may have scribbled on them. */
		__vfbc_channel_store32_relaxed(&b->block_id, block_id);
		/* R5: pairs with A5 in __vfbc_channel_block_slot(): the id, then the bind. */
		__vfbc_channel_store32_release(&b->bound, 1);
	}
}

void
__vfbc_channel_blocks_publish(struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_shm_vf *v)
{
	const struct vfbc_channel_pf_block *pb = ch->pf[vf].blocks;
	int i;

	for (i = 0; pb != NULL && i < CH_NB_SLOTS; i++)
		if (pb[i].valid)
			ch_shm_write(&v->blocks[i], i, pb[i].block_id, pb[i].data, pb[i].len);
}

int
vfbc_channel_block_write(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		const void *data, uint32_t len)
{
	struct vfbc_channel_pf_vf *pv;
	struct vfbc_channel_pf_block *pb;
	int i;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf) || len > VFBC_CHANNEL_BLOCK_SIZE ||
			(data == NULL && len != 0))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	pv = &ch->pf[vf];
	/*
	 * Writers of this VF's blocks (and binders of its extra slots) are
	 * serialised in this process's memory, never on the seqlock's
	 * spinlock: that word is in the VF's area, and a VF holding it would
	 * stop the PF.
	 */
	rte_spinlock_lock(&pv->block_lock);
	if (pv->blocks == NULL) {
		pv->blocks = calloc(CH_NB_SLOTS, sizeof(*pv->blocks));
		if (pv->blocks == NULL) {
			rte_spinlock_unlock(&pv->block_lock);
			return -ENOMEM;
		}
	}
	i = ch_pf_slot(pv->blocks, block_id, 1);
	if (i < 0) {
		rte_spinlock_unlock(&pv->block_lock);
		return -ENOSPC;
	}
	pb = &pv->blocks[i];
	pb->block_id = block_id;
	pb->len = len;
	if (len != 0)
		memcpy(pb->data, data, len);
	pb->valid = 1;
	ch_shm_write(&__vfbc_channel_vf(ch, vf)->blocks[i], i, block_id, data, len);
	rte_spinlock_unlock(&pv->block_lock);
	return 0;
}

int
__vfbc_channel_seq_begin(const rte_seqlock_t *lock, uint64_t *deadline, uint32_t *sn)
{
	for (;;) {
		*sn = rte_seqlock_read_begin(lock);
		if (!(*sn & 1))
			return 0;
		/*
		 * A writer is inside: wait for it rather than copy garbage,
		 * for a while (a writer preempted mid-write holds readers that
		 * long), but never without bound.
		 */
		if (*deadline == 0)
			*deadline = rte_get_timer_cycles() +
				rte_get_timer_hz() * VFBC_CHANNEL_READ_WAIT_US / 1000000;
		else if (rte_get_timer_cycles() > *deadline)
			return -EAGAIN;
		rte_pause();
	}
}

/* The PF's read: its own copy. */
static int
ch_pf_block_read(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id, void *buf,
		 uint32_t buf_len)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	const struct vfbc_channel_pf_block *pb;
	int i, ret;

	rte_spinlock_lock(&pv->block_lock);
	i = ch_pf_slot(pv->blocks, block_id, 0);
	pb = i >= 0 && pv->blocks != NULL ? &pv->blocks[i] : NULL;
	if (pb == NULL || !pb->valid) {
		ret = -ENOENT;
	} else if (pb->len > buf_len) {
		ret = -ENOBUFS;
	} else {
		memcpy(buf, pb->data, pb->len);
		ret = (int)pb->len;
	}
	rte_spinlock_unlock(&pv->block_lock);
	return ret;
}

static int
ch_block_read_in(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		void *buf, uint32_t buf_len)
{
	uint8_t tmp[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel_shm_block *b;
	uint64_t deadline = 0;
	uint32_t state;
	uint32_t len;
	uint32_t sn;
	unsigned int i;

	if (ch == NULL || buf == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf != NULL)
		return ch_pf_block_read(ch, vf, block_id, buf, buf_len);
	if (!__vfbc_channel_holds(ch, vf))
		return -EPERM;
	b = __vfbc_channel_block_slot(__vfbc_channel_vf(ch, vf), block_id);
	if (b == NULL)
		return -ENOENT;

	state = VFBC_CHANNEL_BLOCK_EMPTY;
	len = 0;
	for (i = 0; i < VFBC_CHANNEL_READ_RETRIES; i++) {
		if (__vfbc_channel_seq_begin(&b->lock, &deadline, &sn) < 0)
			return -EAGAIN;
		state = __vfbc_channel_load32_relaxed(&b->state);
		len = __vfbc_channel_load32_relaxed(&b->len);
		/* A torn length must not take the copy out of the slot. */
		if (len > VFBC_CHANNEL_BLOCK_SIZE)
			len = VFBC_CHANNEL_BLOCK_SIZE;
		memcpy(tmp, b->data, len);
		if (!rte_seqlock_read_retry(&b->lock, sn))
			break;
	}
	if (i == VFBC_CHANNEL_READ_RETRIES)
		return -EAGAIN;
	if (state != VFBC_CHANNEL_BLOCK_VALID)
		return -ENOENT;
	if (len > buf_len)
		return -ENOBUFS;
	memcpy(buf, tmp, len);
	return (int)len;
}

int
vfbc_channel_block_read(struct vfbc_channel *ch, uint16_t vf, uint32_t block_id,
		void *buf, uint32_t buf_len)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_block_read_in(ch, vf, block_id, buf, buf_len);
	__vfbc_channel_leave(ch);
	return ret;
}
