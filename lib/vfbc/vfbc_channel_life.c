/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Life lines: what the PF did to a VF (resets, power, disable, enable),
 * counted and logged where the VF's consumer reads them. The PF writes
 * them from its own copy (struct vfbc_channel_pf_vf, slot lock), never
 * reading them back: a VF can write any byte of its area, and all it can
 * falsify here is what it tells itself.
 */

#include <errno.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_seqlock.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"

#define CH_LIFE_S_ALL (VFBC_CHANNEL_LIFE_S_ENABLED | VFBC_CHANNEL_LIFE_S_RESETTING | \
		VFBC_CHANNEL_LIFE_S_D_MASK)
/* A log entry carries the low 24 bits of its event's number. */
#define CH_LIFE_N_MASK 0xffffffu

static inline uint32_t
ch_life_entry(uint32_t n, uint32_t cause)
{
	return (n & CH_LIFE_N_MASK) << 8 | cause;
}

void
__vfbc_channel_life_publish(struct vfbc_channel *ch, uint16_t vf,
		struct vfbc_channel_shm_vf *v)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	struct vfbc_channel_shm_life *l = &v->life;
	unsigned int i;

	/*
	 * The writes of rte_seqcount_write_begin()/_end(), from the PF's own
	 * sequence rather than the shared word's: a VF that rewrote its word
	 * gets whole lines again at the next post. The even store (release)
	 * pairs with the acquire of read_begin/read_retry in
	 * vfbc_channel_life_get(); the fence keeps the fields after the odd
	 * one. The single writer is whoever holds the slot lock.
	 */
	__atomic_store_n(&l->lock.count.sn, pv->life_sn + 1, __ATOMIC_RELAXED);
	rte_atomic_thread_fence(__ATOMIC_RELEASE);
	__vfbc_channel_store32_relaxed(&l->seq, pv->life_seq);
	__vfbc_channel_store32_relaxed(&l->state, pv->life_state);
	for (i = 0; i < VFBC_CHANNEL_LIFE_NB_CAUSES; i++)
		__vfbc_channel_store32_relaxed(&l->count[i], pv->life_count[i]);
	for (i = 0; i < VFBC_CHANNEL_LIFE_LOG_SIZE; i++)
		__vfbc_channel_store32_relaxed(&l->log[i], pv->life_log[i]);
	pv->life_sn += 2;
	__atomic_store_n(&l->lock.count.sn, pv->life_sn, __ATOMIC_RELEASE);
}

void
__vfbc_channel_life_post_locked(struct vfbc_channel *ch, uint16_t vf, int cause,
		uint32_t clear, uint32_t set)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];

	if (cause != VFBC_CHANNEL_LIFE_NONE) {
		pv->life_seq++;
		pv->life_count[cause]++;
		pv->life_log[(pv->life_seq - 1) % VFBC_CHANNEL_LIFE_LOG_SIZE] =
				ch_life_entry(pv->life_seq, (uint32_t)cause);
	}
	pv->life_state = (pv->life_state & ~clear) | set;
	__vfbc_channel_life_publish(ch, vf, __vfbc_channel_vf(ch, vf));
	__vfbc_channel_life_gen_bump(ch);
}

static int
ch_life_cause_ok(int cause)
{
	return cause == VFBC_CHANNEL_LIFE_NONE ||
		(cause >= VFBC_CHANNEL_LIFE_FLR && cause <= VFBC_CHANNEL_LIFE_ENABLED);
}

int
vfbc_channel_life_post(struct vfbc_channel *ch, uint16_t vf, int cause, uint32_t clear,
		uint32_t set)
{
	struct vfbc_channel_pf_vf *pv;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf) || !ch_life_cause_ok(cause) ||
			((clear | set) & ~CH_LIFE_S_ALL) != 0)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	pv = &ch->pf[vf];
	/* The slot lock: a region renewal (which holds it) copies a whole post. */
	rte_spinlock_lock(&pv->slot_lock);
	__vfbc_channel_life_post_locked(ch, vf, cause, clear, set);
	rte_spinlock_unlock(&pv->slot_lock);
	return 0;
}

static int
ch_life_gen_in(const struct vfbc_channel *ch, uint32_t *gen)
{
	if (ch == NULL || gen == NULL)
		return -EINVAL;
	if (ch->base == NULL)
		return -ENOTSUP;
	/* LG2: pairs with LG1 in __vfbc_channel_life_gen_bump(). */
	*gen = __atomic_load_n(&__vfbc_channel_hdr(ch)->life_gen, __ATOMIC_ACQUIRE);
	return 0;
}

int
vfbc_channel_life_gen(const struct vfbc_channel *ch, uint32_t *gen)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_life_gen_in(ch, gen);
	__vfbc_channel_leave(ch);
	return ret;
}

/* The creator's own copy. */
static void
ch_life_pf_get(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_life *life)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];

	rte_spinlock_lock(&pv->slot_lock);
	life->seq = pv->life_seq;
	life->state = pv->life_state;
	memcpy(life->count, pv->life_count, sizeof(life->count));
	memcpy(life->log, pv->life_log, sizeof(life->log));
	rte_spinlock_unlock(&pv->slot_lock);
}

static int
ch_life_get_in(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_life *life)
{
	const struct vfbc_channel_shm_life *l;
	struct vfbc_channel_life tmp;
	uint64_t deadline = 0;
	unsigned int i, tries;
	uint32_t sn;

	if (ch == NULL || life == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf != NULL) {
		ch_life_pf_get(ch, vf, life);
		return 0;
	}
	l = &__vfbc_channel_vf(ch, vf)->life;
	for (tries = 0; tries < VFBC_CHANNEL_READ_RETRIES; tries++) {
		if (__vfbc_channel_seq_begin(&l->lock, &deadline, &sn) < 0)
			return -EAGAIN;
		tmp.seq = __vfbc_channel_load32_relaxed(&l->seq);
		tmp.state = __vfbc_channel_load32_relaxed(&l->state);
		for (i = 0; i < VFBC_CHANNEL_LIFE_NB_CAUSES; i++)
			tmp.count[i] = __vfbc_channel_load32_relaxed(&l->count[i]);
		for (i = 0; i < VFBC_CHANNEL_LIFE_LOG_SIZE; i++)
			tmp.log[i] = __vfbc_channel_load32_relaxed(&l->log[i]);
		if (!rte_seqlock_read_retry(&l->lock, sn)) {
			*life = tmp;
			return 0;
		}
	}
	return -EAGAIN;
}

int
vfbc_channel_life_get(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_life *life)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_life_get_in(ch, vf, life);
	__vfbc_channel_leave(ch);
	return ret;
}

int
vfbc_channel_life_cursor_init(struct vfbc_channel_life_cursor *cur,
		const struct vfbc_channel_life *now)
{
	if (cur == NULL || now == NULL)
		return -EINVAL;
	cur->seq = now->seq;
	memcpy(cur->count, now->count, sizeof(cur->count));
	return 0;
}

int
vfbc_channel_life_next(const struct vfbc_channel_life *now, struct vfbc_channel_life_cursor *cur,
		uint8_t *causes, unsigned int max)
{
	uint32_t missed[VFBC_CHANNEL_LIFE_NB_CAUSES];
	uint32_t delta, window, n, e, sum, c;
	unsigned int i, out;

	if (now == NULL || cur == NULL || causes == NULL || max == 0)
		return -EINVAL;
	delta = now->seq - cur->seq;
	if (delta == 0)
		return 0;
	if (delta > INT32_MAX)
		return -ESTALE;
	window = RTE_MIN(delta, (uint32_t)VFBC_CHANNEL_LIFE_LOG_SIZE);
	/* What the counters say happened, less what the log still orders. */
	sum = 0;
	for (c = 0; c < VFBC_CHANNEL_LIFE_NB_CAUSES; c++) {
		missed[c] = now->count[c] - cur->count[c];
		if (missed[c] > delta)
			return -EBADMSG;
		sum += missed[c];
	}
	if (sum != delta)
		return -EBADMSG;
	for (n = now->seq - window + 1; n != now->seq + 1; n++) {
		e = now->log[(n - 1) % VFBC_CHANNEL_LIFE_LOG_SIZE];
		c = e & 0xff;
		if ((e >> 8) != (n & CH_LIFE_N_MASK) || c >= VFBC_CHANNEL_LIFE_NB_CAUSES ||
				missed[c] == 0)
			return -EBADMSG;
		missed[c]--;
	}
	out = 0;
	/* The oldest, past the log: counted, their order lost. */
	for (c = 0; c < VFBC_CHANNEL_LIFE_NB_CAUSES && out < max; c++) {
		for (i = 0; i < missed[c] && out < max; i++) {
			causes[out++] = (uint8_t)c;
			cur->count[c]++;
			cur->seq++;
		}
	}
	/* Then the log, in the order of posting. */
	for (n = cur->seq + 1; out < max && n != now->seq + 1; n++) {
		c = now->log[(n - 1) % VFBC_CHANNEL_LIFE_LOG_SIZE] & 0xff;
		causes[out++] = (uint8_t)c;
		cur->count[c]++;
		cur->seq++;
	}
	return (int)out;
}
