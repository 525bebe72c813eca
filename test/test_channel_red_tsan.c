/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * channel_red_tsan_autotest (a red-team finding on 5291876; fails under
 * build-tsan only, a race report; passes in build/).
 *
 * The claim word a handle holds (ch->vf[vf].held) is written by a claim
 * and a release of any thread of the handle, with relaxed atomic stores
 * since 5291876 ("the claim and release of another thread store it"), and
 * vfbc_channel_poll_idle() reads it with an atomic load for that reason.
 * The other readers still read it with plain loads:
 * __vfbc_channel_holds() (every request post, block read, sleep arm and
 * vfbc_channel_holds()) and the poll itself. A release on one thread
 * while another posts a request, as the VF PMD's release does while its
 * data-path threads post (vfbc_vf_mbox_release(), under poll_lock only),
 * is a data race: a plain load against an atomic store of another thread.
 *
 * Here: an attached handle of a channel of this process holds VF 0; one
 * thread asks vfbc_channel_holds() while the main thread releases and
 * claims again.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_memory.h>

#include "test.h"
#include "vfbc_channel.h"

#define RT_NAME		"red_tsan_held"
#define RT_ROUNDS	20000

static struct vfbc_channel *rt_att;
static int rt_stop;
static int rt_started;

static void *
rt_asker(void *arg __rte_unused)
{
	unsigned long held = 0;

	__atomic_store_n(&rt_started, 1, __ATOMIC_RELAXED);
	while (!__atomic_load_n(&rt_stop, __ATOMIC_RELAXED))
		held += vfbc_channel_holds(rt_att, 0) == 1;
	return (void *)held;
}

static int
test_channel_red_tsan(void)
{
	struct vfbc_channel *ch;
	pthread_t t;
	void *held;
	int i, ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	if (ret != 0)
		return ret;
	ret = TEST_SUCCESS;
	ch = vfbc_channel_create(RT_NAME, 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create: %d", rte_errno);
	rt_att = vfbc_channel_attach(RT_NAME);
	if (rt_att == NULL) {
		vfbc_channel_free(ch);
		TEST_ASSERT_NOT_NULL(rt_att, "attach: %d", rte_errno);
	}
	if (vfbc_channel_claim(rt_att, 0, -1) != 0) {
		printf("the attached handle's claim failed\n");
		ret = TEST_FAILED;
		goto out;
	}
	if (pthread_create(&t, NULL, rt_asker, NULL) != 0) {
		ret = TEST_FAILED;
		goto out;
	}
	while (!__atomic_load_n(&rt_started, __ATOMIC_RELAXED))
		sched_yield();
	for (i = 0; i < RT_ROUNDS && ret == TEST_SUCCESS; i++)
		if (vfbc_channel_release(rt_att, 0) != 0 || vfbc_channel_claim(rt_att, 0, -1) != 0)
			ret = TEST_FAILED;
	__atomic_store_n(&rt_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, &held);
	printf("%d releases and claims; the asker saw the claim held %lu times "
	       "(ThreadSanitizer: a race on the handle's held word is this finding)\n",
	       i, (unsigned long)held);
	if (ret != TEST_SUCCESS)
		printf("a release or claim failed at round %d\n", i);
out:
	vfbc_channel_free(rt_att);
	vfbc_channel_free(ch);
	return ret;
}

REGISTER_TEST_COMMAND(channel_red_tsan_autotest, test_channel_red_tsan);

/*
 * A red-team finding on dd9e832 ("an empty vfbc_vf_poll() takes no lock"):
 * vfbc_channel_poll_idle() loads the handle's notify_cons with no lock, as
 * a claim or release of another thread may run (the comment on the held
 * word says so), but vfbc_channel_claim() (ch_claim_take()) stores
 * notify_cons, req_prod and resp_cons plainly, under the handle's lock
 * that the idle question never takes; nothing orders the store before the
 * question's load (held is stored and loaded relaxed). The same kind of
 * race as the held word's (1754b79/2c0e87f), on the index: ThreadSanitizer
 * reports it under build-tsan (the plain build passes). A thread asks
 * vfbc_channel_poll_idle() while the main thread releases and claims again.
 */
#define RI_NAME		"red_tsan_idle"

static void *
ri_asker(void *arg __rte_unused)
{
	unsigned long idle = 0;

	__atomic_store_n(&rt_started, 1, __ATOMIC_RELAXED);
	while (!__atomic_load_n(&rt_stop, __ATOMIC_RELAXED))
		idle += vfbc_channel_poll_idle(rt_att, 0) == 1;
	return (void *)idle;
}

static int
test_channel_red_idle_tsan(void)
{
	struct vfbc_channel *ch;
	pthread_t t;
	void *idle;
	int i, ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	if (ret != 0)
		return ret;
	ret = TEST_SUCCESS;
	__atomic_store_n(&rt_stop, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&rt_started, 0, __ATOMIC_RELAXED);
	ch = vfbc_channel_create(RI_NAME, 1, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create: %d", rte_errno);
	rt_att = vfbc_channel_attach(RI_NAME);
	if (rt_att == NULL) {
		vfbc_channel_free(ch);
		TEST_ASSERT_NOT_NULL(rt_att, "attach: %d", rte_errno);
	}
	if (vfbc_channel_claim(rt_att, 0, -1) != 0) {
		printf("the attached handle's claim failed\n");
		ret = TEST_FAILED;
		goto out;
	}
	if (pthread_create(&t, NULL, ri_asker, NULL) != 0) {
		ret = TEST_FAILED;
		goto out;
	}
	while (!__atomic_load_n(&rt_started, __ATOMIC_RELAXED))
		sched_yield();
	for (i = 0; i < RT_ROUNDS && ret == TEST_SUCCESS; i++) {
		/* A doorbell now and then: the claim moves notify_cons on. */
		if ((i & 7) == 0)
			(void)vfbc_channel_invalidate(ch, 0, UINT64_C(1));
		if (vfbc_channel_release(rt_att, 0) != 0 || vfbc_channel_claim(rt_att, 0, -1) != 0)
			ret = TEST_FAILED;
	}
	__atomic_store_n(&rt_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, &idle);
	printf("%d releases and claims; the asker found the slot idle %lu times "
	       "(ThreadSanitizer: a race on the handle's notify_cons is this finding)\n",
	       i, (unsigned long)idle);
	if (ret != TEST_SUCCESS)
		printf("a release or claim failed at round %d\n", i);
out:
	vfbc_channel_free(rt_att);
	vfbc_channel_free(ch);
	return ret;
}

REGISTER_TEST_COMMAND(channel_red_idle_tsan_autotest, test_channel_red_idle_tsan);
