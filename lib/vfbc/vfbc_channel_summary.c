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
	ch->summary_rung = NULL;
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
	/* A bit a former channel of the slot left is this one's: a look costs a load. */
	ch->summary_slot = (int16_t)slot;
	ch->summary_rung = su->rung;
}

void
__vfbc_channel_summary_leave(struct vfbc_channel *ch)
{
	if (ch->summary_slot < 0)
		return;
	/* The bit cleared before the slot is free: never a next channel's mark. */
	rte_spinlock_lock(&su_lock);
	(void)__atomic_fetch_and(&ch->summary_rung[ch->summary_slot / 64],
			~(UINT64_C(1) << (ch->summary_slot % 64)), __ATOMIC_RELAXED);
	su_used[ch->summary_slot / 64] &= ~(UINT64_C(1) << (ch->summary_slot % 64));
	rte_spinlock_unlock(&su_lock);
	ch->summary_slot = -1;
	ch->summary_rung = NULL;
}

void
__vfbc_channel_summary_attach(struct vfbc_channel *ch)
{
	const struct rte_memzone *mz;
	struct vfbc_channel_shm_summary *su;

	ch->summary_rung = NULL;
	mz = rte_memzone_lookup(VFBC_CHANNEL_SUMMARY_MZ);
	su = mz != NULL && mz->len >= sizeof(*su) ? mz->addr : NULL;
	/*
	 * SU0': pairs with SU0 in su_reserve(). Any process can write the
	 * summary: one that does not look like it marks nothing from this
	 * handle, whose requests then wait for the service's full look.
	 */
	if (su == NULL || __atomic_load_n(&su->magic, __ATOMIC_ACQUIRE) !=
			VFBC_CHANNEL_SUMMARY_MAGIC ||
			su->version_major != VFBC_CHANNEL_VERSION_MAJOR) {
		VFBC_CHANNEL_LOG(WARNING, "%s: no service summary %s of layout %u: requests "
				"are found by the service's full look", ch->name,
				VFBC_CHANNEL_SUMMARY_MZ, VFBC_CHANNEL_VERSION_MAJOR);
		return;
	}
	ch->summary_rung = su->rung;
}

void
__vfbc_channel_summary_ring(struct vfbc_channel *ch, uint64_t old_word)
{
	unsigned int slot;

	/*
	 * A word already set was marked by whoever set it first, or is being
	 * scanned by a service that took the mark (and takes this bit too).
	 */
	if (old_word != 0 || ch->summary_rung == NULL)
		return;
	/*
	 * An attacher reads the slot where the creator wrote it, at each
	 * mark: a consumer that wrote another there misleads the marks of
	 * this channel only until the creator's next scan writes it back
	 * (__vfbc_channel_summary_scan()); 0 or one out of range marks nothing.
	 */
	slot = ch->creator ? (unsigned int)ch->summary_slot :
		__atomic_load_n(&__vfbc_channel_hdr(ch)->summary_slot, __ATOMIC_RELAXED) - 1u;
	if (slot >= VFBC_CHANNEL_SUMMARY_SLOTS)
		return;
	/*
	 * SU1: pairs with SU2 in vfbc_channel_summary_take() and the scan:
	 * whoever takes the mark sees the doorbell bit set before it.
	 */
	(void)__atomic_fetch_or(&ch->summary_rung[slot / 64], UINT64_C(1) << (slot % 64),
			__ATOMIC_RELEASE);
}

void
__vfbc_channel_summary_scan(struct vfbc_channel *ch)
{
	struct vfbc_channel_shm_hdr *hdr = __vfbc_channel_hdr(ch);
	uint16_t want = ch->summary_slot < 0 ? 0 : (uint16_t)(ch->summary_slot + 1);
	uint64_t *word, bit;

	/* A consumer wrote the header's slot: back to the creator's, said once. */
	if (unlikely(__atomic_load_n(&hdr->summary_slot, __ATOMIC_RELAXED) != want)) {
		__atomic_store_n(&hdr->summary_slot, want, __ATOMIC_RELAXED);
		if (!ch->summary_healed) {
			ch->summary_healed = 1;
			VFBC_CHANNEL_LOG(WARNING, "%s: a consumer changed the summary slot in the "
					"header: written back (said once)", ch->name);
		}
	}
	if (ch->summary_slot < 0)
		return;
	word = &ch->summary_rung[ch->summary_slot / 64];
	bit = UINT64_C(1) << (ch->summary_slot % 64);
	/*
	 * SU2: pairs with SU1 in __vfbc_channel_summary_ring(): the mark is
	 * taken before the doorbells are read, so a post that rings after
	 * this scan read its word marks the channel again.
	 */
	if ((__atomic_load_n(word, __ATOMIC_RELAXED) & bit) != 0)
		(void)__atomic_fetch_and(word, ~bit, __ATOMIC_ACQUIRE);
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
	if (ch->summary_slot < 0)
		return -ENOENT;
	/* SU1 again: pairs with SU2; what the caller stored before is seen by the taker. */
	(void)__atomic_fetch_or(&ch->summary_rung[ch->summary_slot / 64],
			UINT64_C(1) << (ch->summary_slot % 64), __ATOMIC_RELEASE);
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
