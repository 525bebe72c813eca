/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Config blocks (NdisMReadConfigBlock / the PF's block store): the PF
 * writes a slot under its sequence, a reader copies a consistent snapshot.
 */

#include <errno.h>
#include <string.h>

#include <rte_pause.h>
#include <rte_seqlock.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"

/*
 * Slot of block_id in VF area v, NULL if it has none. With bind, an id
 * >= 64 without a slot takes a free extra slot (NULL when none is left);
 * the caller then holds the VF's block_lock, so that PF lcores binding at
 * once do not take the same slot twice. The words read here are in the
 * VF's area: a VF that rewrites them only misdirects its own blocks.
 */
struct vfbc_ch_shm_block *
__vfbc_ch_block_slot(struct vfbc_ch_shm_vf *v, uint32_t block_id, int bind)
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
	if (ch->pf == NULL)
		return -EPERM;
	/*
	 * Writers of this VF's blocks (and binders of its extra slots) are
	 * serialised in this process's memory, never on the seqlock's
	 * spinlock: that word is in the VF's area, and a VF holding it would
	 * stop the PF.
	 */
	lock = &ch->pf[vf].block_lock;
	rte_spinlock_lock(lock);
	b = __vfbc_ch_block_slot(__vfbc_ch_vf(ch, vf), block_id, 1);
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
	if (ch->pf == NULL && !__vfbc_ch_holds(ch, vf))
		return -EPERM;
	b = __vfbc_ch_block_slot(__vfbc_ch_vf(ch, vf), block_id, 0);
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
