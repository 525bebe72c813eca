/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The life lines (vfbc_channel_life_*): what the PF posts is what a
 * consumer reads, every event once and in order, also after it fell behind
 * the log; an address change posts disable and enable; a renewed isolated
 * region carries the lines; lines a VF rewrote hurt nobody but itself;
 * the channel's life generation changes with every post, grant, revoke and
 * the channel's end, and with nothing a reader does.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"
#include "test_channel_isolated_common.h"

#define LF_NAME "life_ch"
#define LF_VFS 2

static struct vfbc_channel *lf_pf, *lf_vf;

static int
lf_case_setup(void)
{
	lf_pf = vfbc_channel_create(LF_NAME, LF_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(lf_pf, "create: %s", rte_strerror(rte_errno));
	lf_vf = vfbc_channel_attach(LF_NAME);
	TEST_ASSERT_NOT_NULL(lf_vf, "attach: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
lf_case_teardown(void)
{
	vfbc_channel_free(lf_vf);
	vfbc_channel_free(lf_pf);
	lf_vf = lf_pf = NULL;
}

/* Take every event past cur from ch's view of vf, max at a time: how many, or < 0. */
static int
lf_take(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_life_cursor *cur,
	uint8_t *out, unsigned int size, unsigned int max)
{
	struct vfbc_channel_life now;
	unsigned int n = 0;
	int k;

	if (vfbc_channel_life_get(ch, vf, &now) < 0)
		return -1;
	do {
		k = vfbc_channel_life_next(&now, cur, out + n, RTE_MIN(max, size - n));
		if (k < 0)
			return k;
		n += (unsigned int)k;
	} while (k > 0 && n < size);
	return (int)n;
}

static int
test_life_posted_is_read_in_order(void)
{
	static const int posted[] = {
		VFBC_CHANNEL_LIFE_FLR, VFBC_CHANNEL_LIFE_POWER, VFBC_CHANNEL_LIFE_FLR_ASKED,
		VFBC_CHANNEL_LIFE_POWER,
	};
	struct vfbc_channel_life_cursor cur;
	struct vfbc_channel_life now, pf;
	uint8_t out[16];
	unsigned int i;
	int n;

	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 0, &now), "get");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_cursor_init(&cur, &now), "cursor");
	for (i = 0; i < RTE_DIM(posted); i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 0, posted[i], 0, 0), "post");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 0, VFBC_CHANNEL_LIFE_NONE,
			VFBC_CHANNEL_LIFE_S_D_MASK, 3u << VFBC_CHANNEL_LIFE_S_D_SHIFT), "state");
	n = lf_take(lf_vf, 0, &cur, out, RTE_DIM(out), 16);
	TEST_ASSERT_EQUAL(n, (int)RTE_DIM(posted), "%d events read, %zu posted", n,
			  RTE_DIM(posted));
	for (i = 0; i < RTE_DIM(posted); i++)
		TEST_ASSERT_EQUAL(out[i], posted[i], "event %u: cause %u, posted %d", i, out[i],
				  posted[i]);
	TEST_ASSERT_EQUAL(lf_take(lf_vf, 0, &cur, out, RTE_DIM(out), 16), 0, "read twice");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 0, &now), "get");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_pf, 0, &pf), "the PF's copy");
	TEST_ASSERT(memcmp(&now, &pf, sizeof(now)) == 0, "the VF reads what the PF keeps");
	TEST_ASSERT_EQUAL(now.state, 3u << VFBC_CHANNEL_LIFE_S_D_SHIFT, "state 0x%x", now.state);
	TEST_ASSERT_EQUAL(now.count[VFBC_CHANNEL_LIFE_POWER], 2u, "power events counted");
	/* VF 1 saw nothing of VF 0's. */
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 1, &now), "get VF 1");
	TEST_ASSERT_EQUAL(now.seq, 0u, "VF 1's events: %u", now.seq);
	return TEST_SUCCESS;
}

/*
 * A reader 40 events behind a 16-entry log: all 40, once each, the 24
 * oldest by cause (counted), then the 16 newest in order; the same one at
 * a time.
 */
static int
test_life_reader_far_behind_gets_every_event(void)
{
	struct vfbc_channel_life_cursor cur, cur1;
	struct vfbc_channel_life now;
	uint32_t want[VFBC_CHANNEL_LIFE_NB_CAUSES] = { 0 };
	uint32_t got[VFBC_CHANNEL_LIFE_NB_CAUSES] = { 0 };
	uint8_t out[64], out1[64];
	unsigned int i;
	int c, n, n1;

	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 0, &now), "get");
	vfbc_channel_life_cursor_init(&cur, &now);
	cur1 = cur;
	for (i = 0; i < 40; i++) {
		c = (int)((i * 7) % 3);
		want[c]++;
		TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 0, c, 0, 0), "post %u", i);
	}
	n = lf_take(lf_vf, 0, &cur, out, RTE_DIM(out), 64);
	n1 = lf_take(lf_vf, 0, &cur1, out1, RTE_DIM(out1), 1);
	TEST_ASSERT(n == 40 && n1 == 40, "read %d and %d (one at a time) of 40", n, n1);
	TEST_ASSERT(memcmp(out, out1, 40) == 0, "the same order, whatever the batch");
	for (i = 0; i < 40; i++)
		got[out[i]]++;
	TEST_ASSERT(memcmp(got, want, sizeof(got)) == 0, "every cause as often as posted");
	for (i = 24; i < 40; i++)
		TEST_ASSERT_EQUAL(out[i], (i * 7) % 3, "event %u out of order", i);
	for (i = 1; i < 24; i++)
		TEST_ASSERT(out[i - 1] <= out[i], "the oldest come by cause");
	TEST_ASSERT_EQUAL(lf_take(lf_vf, 0, &cur, out, RTE_DIM(out), 64), 0, "read twice");
	return TEST_SUCCESS;
}

/* The VF's address: appearing posts ENABLED, going DISABLED, changing both. */
static int
test_life_address_posts_disable_and_enable(void)
{
	struct rte_pci_addr a = { .domain = 0, .bus = 3, .devid = 0, .function = 1 };
	struct vfbc_channel_life_cursor cur;
	struct vfbc_channel_life now;
	uint8_t out[8];
	int n;

	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 1, &now), "get");
	vfbc_channel_life_cursor_init(&cur, &now);
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(lf_pf, 1, &a), "publish");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(lf_pf, 1, &a), "publish again");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 1, &now), "get");
	TEST_ASSERT(now.state & VFBC_CHANNEL_LIFE_S_ENABLED, "enabled: state 0x%x", now.state);
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 1, VFBC_CHANNEL_LIFE_POWER,
			VFBC_CHANNEL_LIFE_S_D_MASK, 3u << VFBC_CHANNEL_LIFE_S_D_SHIFT), "D3");
	a.function = 2;
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(lf_pf, 1, &a), "another function");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(lf_pf, 1, NULL), "withdraw");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(lf_pf, 1, NULL), "withdraw again");
	n = lf_take(lf_vf, 1, &cur, out, RTE_DIM(out), 8);
	TEST_ASSERT_EQUAL(n, 5, "%d events", n);
	TEST_ASSERT(out[0] == VFBC_CHANNEL_LIFE_ENABLED && out[1] == VFBC_CHANNEL_LIFE_POWER &&
		    out[2] == VFBC_CHANNEL_LIFE_DISABLED && out[3] == VFBC_CHANNEL_LIFE_ENABLED &&
		    out[4] == VFBC_CHANNEL_LIFE_DISABLED,
		    "events %u %u %u %u %u", out[0], out[1], out[2], out[3], out[4]);
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 1, &now), "get");
	TEST_ASSERT_EQUAL(now.state, 0u, "disabled: state 0x%x (the new function was D0)",
			  now.state);
	return TEST_SUCCESS;
}

/*
 * A consumer that rewrites its own life lines (odd sequence, garbage)
 * reads -EAGAIN or nonsense, within a bound; the PF posts on, unhurt, and
 * the next post makes the lines whole again.
 */
static int
test_life_scribbled_lines_hurt_only_the_scribbler(void)
{
	struct vfbc_channel_shm_vf *v = __vfbc_channel_vf(lf_vf, 0);
	struct vfbc_channel_life_cursor cur;
	struct vfbc_channel_life now, pf;
	uint64_t t0, ms;
	uint8_t out[8];
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 0, &now), "get");
	vfbc_channel_life_cursor_init(&cur, &now);
	__atomic_store_n(&v->life.lock.count.sn, 1, __ATOMIC_RELEASE);
	t0 = rte_get_timer_cycles();
	ret = vfbc_channel_life_get(lf_vf, 0, &now);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	TEST_ASSERT_EQUAL(ret, -EAGAIN, "a read of a write that never ends: %d", ret);
	TEST_ASSERT(ms < 100, "it waited %" PRIu64 " ms", ms);
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 0, VFBC_CHANNEL_LIFE_FLR, 0, 0),
			    "the PF posts on");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_pf, 0, &pf), "the PF's copy");
	TEST_ASSERT_EQUAL(pf.seq, 1u, "the PF's count");
	memset((uint8_t *)&v->life + 8, 0xa5, sizeof(v->life) - 8);
	ret = lf_take(lf_vf, 0, &cur, out, RTE_DIM(out), 8);
	TEST_ASSERT(ret == -EBADMSG || ret == -ESTALE, "garbage lines read as %d", ret);
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 0, VFBC_CHANNEL_LIFE_POWER, 0, 0),
			    "the PF posts on");
	ret = lf_take(lf_vf, 0, &cur, out, RTE_DIM(out), 8);
	TEST_ASSERT(ret == 2 && out[0] == VFBC_CHANNEL_LIFE_FLR &&
		    out[1] == VFBC_CHANNEL_LIFE_POWER, "after a post, the lines are the PF's: %d",
		    ret);
	return TEST_SUCCESS;
}

/* The channel's life generation as handle ch reads it. */
static uint32_t
lf_gen(const struct vfbc_channel *ch)
{
	uint32_t gen = 0;

	if (vfbc_channel_life_gen(ch, &gen) != 0)
		printf("vfbc_channel_life_gen() failed\n");
	return gen;
}

static int
test_life_generation_moves_with_what_the_pf_publishes(void)
{
	struct vfbc_channel_shm_hdr *hdr;
	struct vfbc_channel_life now;
	struct rte_pci_addr a = { .domain = 0, .bus = 3, .devid = 1, .function = 2 };
	struct vfbc_channel *gone;
	uint32_t g, gen;

	TEST_ASSERT_EQUAL(vfbc_channel_life_gen(NULL, &gen), -EINVAL, "NULL handle");
	TEST_ASSERT_EQUAL(vfbc_channel_life_gen(lf_vf, NULL), -EINVAL, "NULL gen");
	g = lf_gen(lf_vf);
	TEST_ASSERT_EQUAL(lf_gen(lf_pf), g, "both handles read the one word");
	/* Reading, holding and releasing publish nothing. */
	TEST_ASSERT_SUCCESS(vfbc_channel_life_get(lf_vf, 0, &now), "get");
	TEST_ASSERT_EQUAL(vfbc_channel_holds(lf_vf, 0), 0, "holds");
	TEST_ASSERT_EQUAL(lf_gen(lf_vf), g, "a read moved the word");
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 1, VFBC_CHANNEL_LIFE_FLR, 0, 0),
			    "post");
	TEST_ASSERT(lf_gen(lf_vf) != g, "a post of VF 1 left the word");
	g = lf_gen(lf_vf);
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 0, VFBC_CHANNEL_LIFE_NONE, 0,
			    VFBC_CHANNEL_LIFE_S_RESETTING), "a state change");
	TEST_ASSERT(lf_gen(lf_vf) != g, "a change of state alone left the word");
	g = lf_gen(lf_vf);
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(lf_pf, 1, &a), "publish (an enable)");
	TEST_ASSERT(lf_gen(lf_vf) != g, "an enable left the word");
	g = lf_gen(lf_vf);
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(lf_vf, 0, -1), "claim");
	TEST_ASSERT(lf_gen(lf_vf) != g, "a grant left the word");
	g = lf_gen(lf_vf);
	TEST_ASSERT_SUCCESS(vfbc_channel_release(lf_vf, 0), "release");
	TEST_ASSERT_EQUAL(lf_gen(lf_vf), g, "the holder's own release moved the word");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim(lf_vf, 0, -1), "claim again");
	g = lf_gen(lf_vf);
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_revoke(lf_pf, 0), "revoke");
	TEST_ASSERT(lf_gen(lf_vf) != g, "a revoke left the word");
	/* A VF that rewrites the word only makes the others look: the PF adds on. */
	hdr = __vfbc_channel_hdr(lf_vf);
	hdr->life_gen = 7;
	TEST_ASSERT_SUCCESS(vfbc_channel_life_post(lf_pf, 1, VFBC_CHANNEL_LIFE_POWER, 0, 0),
			    "post after a scribble");
	TEST_ASSERT_EQUAL(lf_gen(lf_vf), 8u, "the PF decided something from the word");
	/* The channel's end: the word moves, and the handle is stale before the memzone goes. */
	g = lf_gen(lf_vf);
	gone = lf_pf;
	lf_pf = NULL;
	vfbc_channel_free(gone);
	TEST_ASSERT_EQUAL(vfbc_channel_current(lf_vf), 0, "a handle of a freed channel");
	TEST_ASSERT(lf_gen(lf_vf) != g, "the channel's end left the word");
	return TEST_SUCCESS;
}

static struct unit_test_suite life_suite = {
	.suite_name = "channel life lines",
	.setup = iso_test_eal,
	.unit_test_cases = {
		TEST_CASE_ST(lf_case_setup, lf_case_teardown, test_life_posted_is_read_in_order),
		TEST_CASE_ST(lf_case_setup, lf_case_teardown,
			     test_life_reader_far_behind_gets_every_event),
		TEST_CASE_ST(lf_case_setup, lf_case_teardown,
			     test_life_address_posts_disable_and_enable),
		TEST_CASE_ST(lf_case_setup, lf_case_teardown,
			     test_life_scribbled_lines_hurt_only_the_scribbler),
		TEST_CASE_ST(lf_case_setup, lf_case_teardown,
			     test_life_generation_moves_with_what_the_pf_publishes),
		TEST_CASES_END()
	}
};

static int
test_channel_life(void)
{
	return unit_test_suite_runner(&life_suite);
}

REGISTER_TEST_COMMAND(channel_life_autotest, test_channel_life);

/*
 * Isolated: a revoke renews the VF's region, and the new region carries the
 * life lines from the PF's copy; the former holder's region is emptied.
 */
static int
test_life_isolated_renewal_carries_the_lines(void)
{
	struct vfbc_channel_life before, after, old;
	struct vfbc_channel *pf, *c1, *c2;
	int ret = TEST_FAILED;
	uint32_t gen;

	pf = vfbc_channel_create_isolated("life_iso", 1);
	TEST_ASSERT_NOT_NULL(pf, "create: %s", rte_strerror(rte_errno));
	c1 = iso_test_consumer(pf, 0);
	c2 = NULL;
	if (c1 == NULL)
		goto out;
	if (vfbc_channel_life_post(pf, 0, VFBC_CHANNEL_LIFE_FLR, 0,
			VFBC_CHANNEL_LIFE_S_RESETTING) < 0 ||
	    vfbc_channel_life_get(c1, 0, &before) < 0 || before.seq != 1)
		goto out;
	vfbc_channel_claim_revoke(pf, 0);
	/* The former holder's region is emptied: its lines read as nothing. */
	if (vfbc_channel_life_get(c1, 0, &old) == 0 && old.seq != 0) {
		printf("the former holder still reads %u events\n", old.seq);
		goto out;
	}
	c2 = iso_test_consumer(pf, 0);
	if (c2 == NULL || vfbc_channel_life_get(c2, 0, &after) < 0)
		goto out;
	/* A region's handle reaches no header: its consumer learns from the socket. */
	if (vfbc_channel_life_gen(c2, &gen) != -ENOTSUP) {
		printf("a region's handle read a life generation\n");
		goto out;
	}
	if (memcmp(&before, &after, sizeof(after)) != 0) {
		printf("the renewed region's lines: seq %u state 0x%x, were %u 0x%x\n",
		       after.seq, after.state, before.seq, before.state);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	vfbc_channel_free(c2);
	vfbc_channel_free(c1);
	vfbc_channel_free(pf);
	return ret;
}

static struct unit_test_suite life_iso_suite = {
	.suite_name = "channel life lines, isolated",
	.setup = iso_test_eal,
	.unit_test_cases = {
		TEST_CASE(test_life_isolated_renewal_carries_the_lines),
		TEST_CASES_END()
	}
};

static int
test_channel_life_isolated(void)
{
	return unit_test_suite_runner(&life_iso_suite);
}

REGISTER_TEST_COMMAND(channel_life_isolated_autotest, test_channel_life_isolated);
