/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The service summary: one line of bits, a bit per channel the primary
 * created, so that a service loop over many channels reads one line while
 * they are all idle. The post that makes one of a channel's doorbell words
 * non-zero sets the channel's bit (SU1); the loop takes the bits
 * (vfbc_channel_summary_take()) and the channel's own scan takes its bit
 * (SU2), each before it reads the doorbells. A memzone of its own, reserved
 * by the first channel the primary creates and kept for the process's life
 * (a handle never outlives it: attaching needs the primary). The slots are
 * handed out by the process that reserved it, from its own memory: nothing
 * a consumer writes decides a slot.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

/* The summary this process reserved (NULL: none), and its slots in use. */
static rte_spinlock_t su_lock = RTE_SPINLOCK_INITIALIZER;
static struct vfbc_channel_shm_summary *su_owned;
static uint64_t su_used[VFBC_CHANNEL_SUMMARY_WORDS];
static int su_full_logged;

/* The summary of this process, reserved at the first call; NULL: another's, or none. */
static struct vfbc_channel_shm_summary *
su_reserve(void)
{
	const struct rte_memzone *mz;
	struct vfbc_channel_shm_summary *su;

	if (su_owned != NULL)
		return su_owned;
	/* Reserved by another process (a primary before this one?): no slots here. */
	if (rte_memzone_lookup(VFBC_CHANNEL_SUMMARY_MZ) != NULL)
		return NULL;
	mz = rte_memzone_reserve_aligned(VFBC_CHANNEL_SUMMARY_MZ, sizeof(*su), SOCKET_ID_ANY, 0,
			RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		VFBC_CHANNEL_LOG(WARNING, "%s: cannot reserve the service summary (%s): a "
				"service loop reads every channel's doorbells",
				VFBC_CHANNEL_SUMMARY_MZ, rte_strerror(rte_errno));
		return NULL;
	}
	su = mz->addr;
	memset(su, 0, sizeof(*su));
	su->version_major = VFBC_CHANNEL_VERSION_MAJOR;
	su->version_minor = VFBC_CHANNEL_VERSION_MINOR;
	su->creator_pid = (uint32_t)getpid();
	su->nb_slots = VFBC_CHANNEL_SUMMARY_SLOTS;
	/* SU0: pairs with SU0' in __vfbc_channel_summary_attach(). */
	__atomic_store_n(&su->magic, VFBC_CHANNEL_SUMMARY_MAGIC, __ATOMIC_RELEASE);
	__atomic_store_n(&su_owned, su, __ATOMIC_RELEASE);
	return su;
}

void
__vfbc_channel_summary_join(struct vfbc_channel *ch)
{
	struct vfbc_channel_shm_summary *su;
	unsigned int w;
	int slot = -1;

	ch->summary_slot = -1;
	ch->summary_word = NULL;
	rte_spinlock_lock(&su_lock);
	su = su_reserve();
	for (w = 0; su != NULL && w < VFBC_CHANNEL_SUMMARY_WORDS; w++) {
		if (~su_used[w] == 0)
			continue;
		slot = (int)(w * 64 + rte_bsf64(~su_used[w]));
		su_used[w] |= UINT64_C(1) << (slot % 64);
		break;
	}
	if (su != NULL && slot < 0 && !su_full_logged) {
		su_full_logged = 1;
		VFBC_CHANNEL_LOG(WARNING, "%s: the service summary's %u slots are taken: this "
				"channel and the next ones are looked at on every service loop",
				ch->name, VFBC_CHANNEL_SUMMARY_SLOTS);
	}
	rte_spinlock_unlock(&su_lock);
	if (slot < 0)
		return;
	ch->summary_slot = (int16_t)slot;
	ch->summary_word = &su->rung[slot / 64];
	ch->summary_bit = UINT64_C(1) << (slot % 64);
	/* A bit a former channel of the slot left is this one's: a look at it costs a load. */
}

void
__vfbc_channel_summary_leave(struct vfbc_channel *ch)
{
	if (ch->summary_slot < 0)
		return;
	rte_spinlock_lock(&su_lock);
	su_used[ch->summary_slot / 64] &= ~(UINT64_C(1) << (ch->summary_slot % 64));
	rte_spinlock_unlock(&su_lock);
	(void)__atomic_fetch_and(ch->summary_word, ~ch->summary_bit, __ATOMIC_RELAXED);
	ch->summary_slot = -1;
	ch->summary_word = NULL;
}

int
__vfbc_channel_summary_attach(struct vfbc_channel *ch, uint16_t hdr_slot)
{
	const struct rte_memzone *mz;
	struct vfbc_channel_shm_summary *su;
	unsigned int slot;

	ch->summary_slot = -1;
	ch->summary_word = NULL;
	if (hdr_slot == 0)
		return 0;
	/*
	 * Any consumer can write the header: a slot that cannot be is taken
	 * as none. This handle then never marks, and its requests wait for
	 * the service's full look: slower, not refused, not lost.
	 */
	slot = hdr_slot - 1u;
	mz = slot < VFBC_CHANNEL_SUMMARY_SLOTS ? rte_memzone_lookup(VFBC_CHANNEL_SUMMARY_MZ) : NULL;
	su = mz != NULL && mz->len >= sizeof(*su) ? mz->addr : NULL;
	/* SU0': pairs with SU0 in su_reserve(). */
	if (su == NULL || __atomic_load_n(&su->magic, __ATOMIC_ACQUIRE) !=
			VFBC_CHANNEL_SUMMARY_MAGIC ||
			su->version_major != VFBC_CHANNEL_VERSION_MAJOR) {
		VFBC_CHANNEL_LOG(WARNING, "%s: summary slot %u names no slot of a service summary "
				"%s: requests are found by the service's full look", ch->name,
				slot, VFBC_CHANNEL_SUMMARY_MZ);
		return 0;
	}
	ch->summary_slot = (int16_t)slot;
	ch->summary_word = &su->rung[slot / 64];
	ch->summary_bit = UINT64_C(1) << (slot % 64);
	return 0;
}

int
vfbc_channel_summary_slot(const struct vfbc_channel *ch)
{
	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	return ch->summary_slot < 0 ? -ENOENT : ch->summary_slot;
}

int
vfbc_channel_summary_mark(struct vfbc_channel *ch)
{
	if (ch == NULL)
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	if (ch->summary_word == NULL)
		return -ENOENT;
	/* SU1 again: pairs with SU2; what the caller stored before is seen by the taker. */
	(void)__atomic_fetch_or(ch->summary_word, ch->summary_bit, __ATOMIC_RELEASE);
	return 0;
}

int
vfbc_channel_summary_take(uint64_t *bits, unsigned int words)
{
	struct vfbc_channel_shm_summary *su = __atomic_load_n(&su_owned, __ATOMIC_ACQUIRE);
	uint64_t any = 0;
	unsigned int w;

	if (bits == NULL || words < VFBC_CHANNEL_SUMMARY_WORDS)
		return -EINVAL;
	if (su == NULL)
		return -ENOENT;
	for (w = 0; w < VFBC_CHANNEL_SUMMARY_WORDS; w++) {
		bits[w] = 0;
		/* Read first: an idle word costs a shared load, no ownership. */
		if (__atomic_load_n(&su->rung[w], __ATOMIC_RELAXED) == 0)
			continue;
		/* SU2: pairs with SU1 in the post: the doorbell bit is seen after. */
		bits[w] = __atomic_exchange_n(&su->rung[w], 0, __ATOMIC_ACQUIRE);
		any |= bits[w];
	}
	return any != 0;
}
