/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel under concurrency, in one process: a PF lcore writing
 * blocks and invalidating them while the main lcore consumes (ordering, no
 * torn snapshot, nothing lost), and two PF producers against a consumer
 * that polls only when a doorbell is queued (no bit stranded without a
 * doorbell, no phantom bits, coalescing accounted).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_stress"
#define CH_VFS 2
#define ORDER_ITERATIONS 200000
#define MP_ROUNDS 5000
#define MP_PER_ROUND 16
/* Bits 62 and 63 are never invalidated by the multi-producer test. */
#define MP_BITS 62

static struct vfbc_channel *ch;
static uint32_t stress_done;
static uint64_t order_last[VFBC_CHANNEL_NB_BLOCKS];
static uint64_t mp_posted[MP_BITS];
static uint32_t mp_checked;
static uint32_t mp_abort;

static int
stress_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci -l 0,1");
}

static int
stress_case_setup(void)
{
	uint16_t vf;

	if (rte_lcore_count() < 2)
		TEST_SKIP("needs two lcores, EAL has %u", rte_lcore_count());
	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	/* The creating handle is every VF's consumer as well. */
	for (vf = 0; vf < CH_VFS; vf++)
		TEST_ASSERT_SUCCESS(vfbc_channel_claim(ch, vf, -1), "claim of VF %u", vf);
	__atomic_store_n(&stress_done, 0, __ATOMIC_RELAXED);
	memset(order_last, 0, sizeof(order_last));
	memset(mp_posted, 0, sizeof(mp_posted));
	return TEST_SUCCESS;
}

static void
stress_case_teardown(void)
{
	rte_eal_mp_wait_lcore();
	vfbc_channel_free(ch);
	ch = NULL;
}

/* Block contents for version v: the version, then bytes derived from it. */
static uint32_t
order_fill(uint8_t *buf, uint64_t v)
{
	uint32_t len;

	len = sizeof(v) + v % (VFBC_CHANNEL_BLOCK_SIZE - sizeof(v) + 1);
	memcpy(buf, &v, sizeof(v));
	memset(buf + sizeof(v), (uint8_t)v, len - sizeof(v));
	return len;
}

static int
order_producer(void *arg __rte_unused)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint64_t v;
	uint32_t blk;
	uint32_t len;

	for (v = 1; v <= ORDER_ITERATIONS; v++) {
		/* Uneven stride: blocks are hit in changing combinations. */
		blk = (v * 37 + v / 64) % VFBC_CHANNEL_NB_BLOCKS;
		len = order_fill(buf, v);
		if (vfbc_channel_block_write(ch, 1, blk, buf, len) != 0)
			return -1;
		order_last[blk] = v;
		if (vfbc_channel_invalidate(ch, 1, UINT64_C(1) << blk) != 0)
			return -1;
	}
	/* Publishes order_last[] and every invalidate before it. */
	__atomic_store_n(&stress_done, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Read block blk after seeing its bit; checks it is a whole, newer version. */
static int
order_check_block(uint32_t blk, uint64_t *seen, unsigned int *eagain)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t want[VFBC_CHANNEL_BLOCK_SIZE];
	uint64_t v;
	int len;

	do {
		len = vfbc_channel_block_read(ch, 1, blk, buf, sizeof(buf));
		if (len == -EAGAIN)
			(*eagain)++;
	} while (len == -EAGAIN && *eagain < 1000000);
	TEST_ASSERT(len >= (int)sizeof(v), "block %u: read returned %d", blk, len);
	memcpy(&v, buf, sizeof(v));
	TEST_ASSERT((uint32_t)len == order_fill(want, v) &&
			memcmp(buf, want, len) == 0, "block %u: torn snapshot (version %" PRIu64
			", %d bytes)", blk, v, len);
	TEST_ASSERT(v >= seen[blk], "block %u went back from version %" PRIu64 " to %" PRIu64,
			blk, seen[blk], v);
	seen[blk] = v;
	return TEST_SUCCESS;
}

static int
test_channel_stress_data_before_bit_should_be_seen_by_the_consumer(void)
{
	uint64_t seen[VFBC_CHANNEL_NB_BLOCKS];
	struct vfbc_channel_stats st;
	unsigned int eagain;
	unsigned int lcore;
	uint64_t mask;
	uint32_t blk;
	int done;
	int ret;

	memset(seen, 0, sizeof(seen));
	eagain = 0;
	lcore = rte_get_next_lcore(-1, 1, 0);
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(order_producer, NULL, lcore), "launch failed");

	for (;;) {
		done = __atomic_load_n(&stress_done, __ATOMIC_ACQUIRE);
		ret = vfbc_channel_poll_invalidations(ch, 1, &mask);
		TEST_ASSERT(ret >= 0, "poll failed: %d", ret);
		while (ret == 1 && mask != 0) {
			blk = rte_bsf64(mask);
			mask &= mask - 1;
			if (order_check_block(blk, seen, &eagain) != TEST_SUCCESS)
				return TEST_FAILED;
		}
		/* After done, one empty poll proves every bit was taken. */
		if (done && ret == 0)
			break;
	}
	TEST_ASSERT_SUCCESS(rte_eal_wait_lcore(lcore), "producer failed");

	/* The last data of every block arrived with (or before) its last bit. */
	for (blk = 0; blk < VFBC_CHANNEL_NB_BLOCKS; blk++)
		TEST_ASSERT_EQUAL(seen[blk], order_last[blk],
				"block %u: last read version %" PRIu64 ", last written %" PRIu64,
				blk, seen[blk], order_last[blk]);
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 1, &st), "stats_get failed");
	TEST_ASSERT_EQUAL(st.invalidations, ORDER_ITERATIONS, "invalidations %" PRIu64,
			st.invalidations);
	TEST_ASSERT_EQUAL(st.doorbells + st.coalesced + st.notify_ring_full, st.invalidations,
			"doorbells %" PRIu64 " + coalesced %" PRIu64 " + ring full %" PRIu64,
			st.doorbells, st.coalesced, st.notify_ring_full);
	printf("  %d invalidations: %" PRIu64 " deliveries, %" PRIu64 " doorbells, %" PRIu64
			" coalesced, %u torn reads retried\n", ORDER_ITERATIONS, st.deliveries,
			st.doorbells, st.coalesced, eagain);
	return TEST_SUCCESS;
}

/*
 * Producer k invalidates bits k, k + 2, k + 4... below MP_BITS, in rounds:
 * after each round it waits for the consumer to check the channel, so that
 * every round ends with a "last invalidate", the one a lost doorbell
 * would strand.
 */
static int
mp_produce(unsigned int k)
{
	unsigned int round;
	unsigned int bit;
	unsigned int i;
	int ret;

	ret = 0;
	for (round = 0; round < MP_ROUNDS; round++) {
		for (i = 0; i < MP_PER_ROUND && ret == 0; i++) {
			bit = (k + 2 * ((round + i) * 7 % (MP_BITS / 2))) % MP_BITS;
			__atomic_fetch_add(&mp_posted[bit], 1, __ATOMIC_RELAXED);
			ret = vfbc_channel_invalidate(ch, 0, UINT64_C(1) << bit);
		}
		/* Publishes this round's invalidates to the consumer. */
		__atomic_fetch_add(&stress_done, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&mp_checked, __ATOMIC_ACQUIRE) <= round &&
				__atomic_load_n(&mp_abort, __ATOMIC_RELAXED) == 0)
			sched_yield();
		if (ret != 0 || __atomic_load_n(&mp_abort, __ATOMIC_RELAXED) != 0)
			break;
	}
	return ret;
}

static int
mp_lcore_producer(void *arg __rte_unused)
{
	return mp_produce(0);
}

static void *
mp_thread_producer(void *arg)
{
	*(int *)arg = mp_produce(1);
	return NULL;
}

static int
mp_poll(uint64_t *delivered)
{
	uint64_t mask;
	uint64_t m;
	int ret;

	ret = vfbc_channel_poll_invalidations(ch, 0, &mask);
	for (m = ret == 1 ? mask : 0; m != 0; m &= m - 1)
		delivered[rte_bsf64(m)]++;
	return ret < 0 ? ret : 0;
}

/*
 * A consumer that sleeps until a doorbell: it polls only when the notify
 * ring is not empty. At the end of each round, with every producer
 * waiting, an empty ring must mean nothing is pending.
 */
/* Doorbells waiting for the consumer (ch's own consumer index). */
static unsigned int
mp_doorbells(const struct vfbc_ring_shm *r)
{
	return (unsigned int)__vfbc_ring_count(r, ch->vf[0].notify_cons,
					       VFBC_CHANNEL_NOTIFY_RING_SIZE);
}

static int
mp_consume(struct vfbc_ring_shm *r, uint64_t *delivered)
{
	unsigned int round;
	uint64_t pending;

	for (round = 0; round < MP_ROUNDS; round++) {
		for (;;) {
			/* Read before the ring: once 2 * (round + 1), all doorbells are in. */
			if (__atomic_load_n(&stress_done, __ATOMIC_ACQUIRE) == 2 * (round + 1) &&
					mp_doorbells(r) == 0)
				break;
			if (mp_doorbells(r) == 0) {
				/* Three threads on two cores: let the producers run. */
				sched_yield();
				continue;
			}
			TEST_ASSERT_SUCCESS(mp_poll(delivered), "poll failed");
		}
		pending = __atomic_load_n(&__vfbc_channel_vf(ch, 0)->notify.pending,
				__ATOMIC_ACQUIRE);
		TEST_ASSERT_EQUAL(pending, 0, "round %u: bits 0x%" PRIx64
				" stranded without a doorbell", round, pending);
		__atomic_store_n(&mp_checked, round + 1, __ATOMIC_RELEASE);
	}
	return TEST_SUCCESS;
}

static int
test_channel_stress_doorbell_waiter_should_never_be_left_with_pending_bits(void)
{
	uint64_t delivered[64];
	struct vfbc_channel_stats st;
	unsigned int lcore;
	unsigned int bit;
	pthread_t thread;
	int thread_ret;
	int ret;

	memset(delivered, 0, sizeof(delivered));
	__atomic_store_n(&mp_checked, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&mp_abort, 0, __ATOMIC_RELAXED);
	thread_ret = -1;
	lcore = rte_get_next_lcore(-1, 1, 0);
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(mp_lcore_producer, NULL, lcore),
			"launch failed");
	if (pthread_create(&thread, NULL, mp_thread_producer, &thread_ret) != 0) {
		__atomic_store_n(&mp_abort, 1, __ATOMIC_RELAXED);
		TEST_ASSERT(0, "pthread_create failed");
	}
	ret = mp_consume(__vfbc_channel_ring(ch, 0, ch->notify_ring_off), delivered);
	/* Release the producers even after a failure, before the teardown. */
	__atomic_store_n(&mp_abort, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	TEST_ASSERT_SUCCESS(rte_eal_wait_lcore(lcore), "lcore producer failed");
	TEST_ASSERT_SUCCESS(thread_ret, "thread producer failed");
	TEST_ASSERT_SUCCESS(ret, "consumer failed");

	for (bit = 0; bit < 64; bit++) {
		if (bit >= MP_BITS) {
			TEST_ASSERT_EQUAL(delivered[bit], 0, "phantom bit %u", bit);
			continue;
		}
		/* Each delivery of a bit consumes at least one invalidate of it. */
		TEST_ASSERT(delivered[bit] >= 1 && delivered[bit] <= mp_posted[bit],
				"bit %u: %" PRIu64 " deliveries for %" PRIu64 " invalidations", bit,
				delivered[bit], mp_posted[bit]);
	}
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &st), "stats_get failed");
	TEST_ASSERT_EQUAL(st.invalidations, 2 * MP_ROUNDS * MP_PER_ROUND,
			"invalidations %" PRIu64, st.invalidations);
	TEST_ASSERT_EQUAL(st.notify_ring_full, 0, "the ring filled: %" PRIu64,
			st.notify_ring_full);
	TEST_ASSERT_EQUAL(st.doorbells + st.coalesced, st.invalidations,
			"doorbells %" PRIu64 " + coalesced %" PRIu64, st.doorbells, st.coalesced);
	printf("  %d invalidations from 2 producers in %d rounds: %" PRIu64 " deliveries, %"
			PRIu64 " doorbells\n", 2 * MP_ROUNDS * MP_PER_ROUND, MP_ROUNDS,
			st.deliveries, st.doorbells);
	return TEST_SUCCESS;
}

static struct unit_test_suite channel_stress_suite = {
	.suite_name = "channel stress (lib/vfbc)",
	.setup = stress_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(stress_case_setup, stress_case_teardown,
			test_channel_stress_data_before_bit_should_be_seen_by_the_consumer),
		TEST_CASE_ST(stress_case_setup, stress_case_teardown,
			test_channel_stress_doorbell_waiter_should_never_be_left_with_pending_bits),
		TEST_CASES_END(),
	},
};

static int
test_channel_stress(void)
{
	return unit_test_suite_runner(&channel_stress_suite);
}

REGISTER_TEST_COMMAND(channel_stress_autotest, test_channel_stress);
