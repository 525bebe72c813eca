/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding on dd9e832 ("the creator's free guards its own
 * process's handles too"): vfbc_channel_free() of the creator marks the
 * guarded handles of its process (__vfbc_channel_unmap()) and only then
 * frees the memzone; an attach in another thread of the process between
 * the two finds the memzone, passes the magic (the free clears only the
 * incarnation, which the attach copies as 0 and does not check), and lists
 * its handle after the marking: it is never marked, and once the memzone is
 * freed (the heap keeps the pages: no memory event either) it reads the
 * next allocation's memory. Expected: every handle attached to a channel
 * that its creator then freed answers -ENODEV (vfbc_channel_claim_get());
 * observed: some answer 0, from memory that is no longer the channel's.
 * A thread attaches as fast as it can while the main thread frees (a race:
 * it failed 2 runs of 3, at its first round, on the code before).
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"
#include "vfbc_channel.h"

#define AF_NAME		"red_attach_free"
#define AF_ROUNDS	64
#define AF_MAX		512

static struct vfbc_channel *af_h[AF_MAX];
static unsigned int af_n;
static int af_round;	/* the round whose channel exists (the attacher's go) */
static int af_done;	/* the attacher's last finished round */
static int af_stop;

static void *
af_attacher(void *arg __rte_unused)
{
	struct vfbc_channel *h;
	int round = 0;

	for (;;) {
		while (__atomic_load_n(&af_round, __ATOMIC_ACQUIRE) == round)
			if (__atomic_load_n(&af_stop, __ATOMIC_RELAXED))
				return NULL;
		round++;
		/* Attach until the channel is gone. */
		for (;;) {
			h = vfbc_channel_attach(AF_NAME);
			if (h == NULL)
				break;
			if (af_n < AF_MAX)
				af_h[af_n++] = h;
			else
				vfbc_channel_free(h);
		}
		__atomic_store_n(&af_done, round, __ATOMIC_RELEASE);
	}
}

static int
test_channel_red_attach_free(void)
{
	const struct rte_memzone *filler;
	struct vfbc_channel *ch;
	unsigned int i, bad = 0, total = 0;
	size_t len;
	pthread_t t;
	pid_t pid;
	int round, r;

	r = vfbc_test_eal_init("--no-huge -m 64 --no-pci");
	if (r != 0)
		return r;
	if (pthread_create(&t, NULL, af_attacher, NULL) != 0)
		return TEST_FAILED;
	len = vfbc_channel_memsize(1);
	for (round = 1; round <= AF_ROUNDS && bad == 0; round++) {
		ch = vfbc_channel_create(AF_NAME, 1, SOCKET_ID_ANY);
		if (ch == NULL) {
			printf("create: %d\n", rte_errno);
			break;
		}
		__atomic_store_n(&af_round, round, __ATOMIC_RELEASE);
		/* Let the attacher get going. */
		for (i = 0; i < (unsigned int)(round % 16) * 50; i++)
			sched_yield();
		vfbc_channel_free(ch);
		while (__atomic_load_n(&af_done, __ATOMIC_ACQUIRE) != round)
			sched_yield();
		/* The memory is the next allocation's: fill it. */
		filler = rte_memzone_reserve_aligned("red_af_fill", len, SOCKET_ID_ANY, 0,
						     RTE_CACHE_LINE_SIZE);
		if (filler != NULL)
			memset(filler->addr, 0x5a, filler->len);
		for (i = 0; i < af_n; i++) {
			total++;
			pid = 0;
			r = vfbc_channel_claim_get(af_h[i], 0, &pid, NULL);
			if (r != -ENODEV) {
				if (bad++ == 0)
					printf("round %d: a handle attached while its creator "
					       "freed the channel answers %d (pid %d), want "
					       "-ENODEV\n", round, r, (int)pid);
			}
			vfbc_channel_free(af_h[i]);
		}
		af_n = 0;
		if (filler != NULL)
			rte_memzone_free(filler);
	}
	__atomic_store_n(&af_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	printf("%d rounds, %u handles attached, %u unmarked after the free\n", round - 1,
	       total, bad);
	return bad == 0 ? TEST_SUCCESS : TEST_FAILED;
}

REGISTER_TEST_COMMAND(channel_red_attach_free_autotest, test_channel_red_attach_free);
