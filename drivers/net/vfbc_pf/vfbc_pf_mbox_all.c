/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_pf_mbox_poll_all(): one loop over every PF of this process. While
 * every port's channel has a slot in the service summary (the channel
 * library's line of one bit per channel, set by the post that rings a
 * doorbell), an idle call reads that line and the clock, whatever the
 * number of PFs and VFs, and a busy one looks at the ports whose channel
 * rang: the loop costs what its busy VFs cost. Once per sweep period, and
 * on every call while a port has no slot (an isolated channel), it looks
 * at every port as a pass would: that full look runs each port's sweep,
 * and bounds what a summary bit a consumer cleared can delay.
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "vfbc_pf.h"
#include "vfbc_pf_mbox.h"

/*
 * The ports with a mailbox: ids below the count (R16/A16). A port leaving
 * swaps the last one in: a poll racing it may miss a port for one call,
 * and finds a closed one's mailbox NULL.
 */
static uint16_t all_port_list[RTE_MAX_ETHPORTS];
static uint16_t all_nb_ports;
/* Of them, the ports whose channel has no summary slot: each call looks at all. */
static uint16_t all_nb_unsummarized;
/* The port of each summary slot, plus one (0: no port of ours). */
static uint16_t all_slot_port[VFBC_CHANNEL_SUMMARY_SLOTS];
/* TSC of the next full look: the earliest sweep due of any port (0: now). */
static uint64_t all_next_full;
/* Where the next call starts (a port index, or a slot): fairness. */
static uint16_t all_first;

/* Control path only (probe and close are serialised by ethdev's callers). */
void
vfbc_pf_mbox_all_add(struct vfbc_pf_mbox *mb)
{
	uint16_t n = all_nb_ports, i;

	for (i = 0; i < n; i++)
		if (all_port_list[i] == mb->port_id)
			return;
	if (mb->summary_slot >= 0)
		__atomic_store_n(&all_slot_port[mb->summary_slot], mb->port_id + 1,
				__ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&all_nb_unsummarized, 1, __ATOMIC_RELAXED);
	/* Its first sweep is due: the next call looks at every port. */
	__atomic_store_n(&all_next_full, 0, __ATOMIC_RELAXED);
	all_port_list[n] = mb->port_id;
	/* R16: pairs with A16 in vfbc_pf_mbox_poll_all_mb(): the ids below are set. */
	__atomic_store_n(&all_nb_ports, n + 1, __ATOMIC_RELEASE);
}

void
vfbc_pf_mbox_all_del(struct vfbc_pf_mbox *mb)
{
	uint16_t n = all_nb_ports, i;

	for (i = 0; i < n; i++) {
		if (all_port_list[i] != mb->port_id)
			continue;
		__atomic_store_n(&all_port_list[i], all_port_list[n - 1], __ATOMIC_RELAXED);
		__atomic_store_n(&all_nb_ports, n - 1, __ATOMIC_RELEASE);
		if (mb->summary_slot >= 0)
			__atomic_store_n(&all_slot_port[mb->summary_slot], 0, __ATOMIC_RELAXED);
		else
			__atomic_fetch_sub(&all_nb_unsummarized, 1, __ATOMIC_RELAXED);
		return;
	}
}

/*
 * A pass of one port; another lcore in a pass of it (-EBUSY) may have read
 * the doorbells already: the port is marked to be looked at again.
 */
static unsigned int
all_poll_port(struct vfbc_pf_mbox *mb, unsigned int budget, uint64_t now)
{
	int ret = vfbc_pf_mbox_poll_at(mb, budget, now);

	if (ret == -EBUSY)
		vfbc_pf_mbox_mark(mb);
	return ret > 0 ? (unsigned int)ret : 0;
}

/* Every port, starting one further than the last call; the next full look set. */
static unsigned int
all_poll_every(uint16_t n, unsigned int budget, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	unsigned int i, k, done = 0;
	struct vfbc_pf_mbox *mb;

	/*
	 * Each call starts one port further: a busy port cannot starve the
	 * rest. A plain load and store, no locked add: two loops at once may
	 * start at the same port, which only the order of one pass minds.
	 */
	k = __atomic_load_n(&all_first, __ATOMIC_RELAXED);
	if (k >= n)
		k = 0;
	__atomic_store_n(&all_first, (uint16_t)(k + 1), __ATOMIC_RELAXED);
	for (i = 0; i < n && done < budget; i++, k = k + 1 == n ? 0 : k + 1) {
		/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
		mb = __atomic_load_n(&vfbc_pf_mboxes[all_port_list[k]], __ATOMIC_ACQUIRE);
		if (mb == NULL)
			continue;
		done += all_poll_port(mb, budget - done, now);
		next = RTE_MIN(next, __atomic_load_n(&mb->next_sweep, __ATOMIC_RELAXED));
	}
	/* A port the budget did not reach may be due: the next call looks at all again. */
	__atomic_store_n(&all_next_full, i < n ? 0 : next, __ATOMIC_RELAXED);
	return done;
}

/*
 * The ports whose summary bit was taken, in slot order from where the last
 * call stopped; those the budget does not reach are marked again.
 */
static unsigned int
all_poll_marked(const uint64_t *bits, unsigned int budget, uint64_t now)
{
	uint16_t slots[VFBC_CHANNEL_SUMMARY_SLOTS], port;
	unsigned int n = 0, i, k, w, done = 0;
	struct vfbc_pf_mbox *mb;
	uint64_t b;

	for (w = 0; w < VFBC_CHANNEL_SUMMARY_WORDS; w++)
		for (b = bits[w]; b != 0; b &= b - 1)
			slots[n++] = (uint16_t)(w * 64 + rte_bsf64(b));
	k = 0;
	while (k < n && slots[k] < __atomic_load_n(&all_first, __ATOMIC_RELAXED))
		k++;
	if (k == n)
		k = 0;
	__atomic_store_n(&all_first, (uint16_t)(slots[k] + 1), __ATOMIC_RELAXED);
	for (i = 0; i < n; i++, k = k + 1 == n ? 0 : k + 1) {
		/* 0: a slot of a channel that is not a port's mailbox (nothing to do). */
		port = __atomic_load_n(&all_slot_port[slots[k]], __ATOMIC_RELAXED);
		if (port == 0)
			continue;
		/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
		mb = __atomic_load_n(&vfbc_pf_mboxes[port - 1], __ATOMIC_ACQUIRE);
		if (mb == NULL || mb->summary_slot != slots[k])
			continue;
		if (done >= budget)
			vfbc_pf_mbox_mark(mb);
		else
			done += all_poll_port(mb, budget - done, now);
	}
	return done;
}

int
vfbc_pf_mbox_poll_all_mb(unsigned int budget)
{
	uint64_t bits[VFBC_CHANNEL_SUMMARY_WORDS];
	uint64_t now;
	uint16_t n;
	int ret;

	/* A16: pairs with R16 in vfbc_pf_mbox_all_add(): the ids below are set. */
	n = __atomic_load_n(&all_nb_ports, __ATOMIC_ACQUIRE);
	if (n == 0)
		return 0;
	now = rte_get_timer_cycles();
	if (__atomic_load_n(&all_nb_unsummarized, __ATOMIC_RELAXED) == 0 &&
			now < __atomic_load_n(&all_next_full, __ATOMIC_RELAXED)) {
		/* SU2: pairs with SU1 (the posts and marks): the doorbells are read after. */
		ret = vfbc_channel_summary_take(bits, RTE_DIM(bits));
		if (ret == 0)
			return 0;
		if (ret > 0)
			return (int)all_poll_marked(bits, budget, now);
		/* No summary in this process after all: every port, every call. */
	}
	return (int)all_poll_every(n, budget, now);
}
