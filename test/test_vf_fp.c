/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vf_fp_autotest: the inline vfbc_vf_poll()'s table (vfbc_vf_fp_ports)
 * follows the port's state. Its entry holds the claim's channel exactly
 * while this process holds the claim; empty otherwise, so that every poll
 * goes to the driver, which says why (-EPERM, -ENODEV). Each step checks
 * the entry and what the poll answers: before the claim, claimed (an empty
 * poll, then a delivery), after a release, claimed again, after the PF's
 * port is removed and probed again (the old channel: the entry keeps its
 * retired handle, and the poll tells the claim is gone), and after the
 * close. Then a poller thread runs through claim/release cycles of the
 * control thread: it never sees a wrong answer (a delivery nobody made,
 * an error while the claim is held and no release has begun). Last, the
 * PF's table (vfbc_pf_fp_ports) for the inline
 * vfbc_pf_invalidate_config_blocks(): the channel and NumVFs from the
 * mailbox's start, NumVFs through a disable and an enable, empty once
 * the port is closed, set again when it is probed again.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define FP_VF		1
#define FP_CYCLES	2000

static struct mp_world fpw;

static const struct vfbc_channel *
fp_entry(uint16_t port, uint16_t *vf_id)
{
	*vf_id = __atomic_load_n(&vfbc_vf_fp_ports[port].vf_id, __ATOMIC_RELAXED);
	return __atomic_load_n(&vfbc_vf_fp_ports[port].ch, __ATOMIC_ACQUIRE);
}

static int
test_vf_fp_entry_follows_the_port(void)
{
	uint16_t p = fpw.vf_port[FP_VF], vf_id, pf;
	struct rte_eth_dev_info info;
	const struct vfbc_channel *ch, *old;
	uint64_t m = 0;
	int r;

	TEST_ASSERT(fp_entry(p, &vf_id) == NULL, "an entry before the claim");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), -EPERM, "poll before the claim");

	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim");
	ch = fp_entry(p, &vf_id);
	TEST_ASSERT(ch != NULL && vf_id == FP_VF, "claimed: entry %p VF %u", (const void *)ch,
		    vf_id);
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 0, "empty poll");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(fpw.pf_port, FP_VF, 0x5),
			    "invalidate");
	r = vfbc_vf_poll(p, &m);
	TEST_ASSERT(r == 1 && m == 0x5, "delivery %d 0x%" PRIx64, r, m);
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 0, "empty again");

	TEST_ASSERT_SUCCESS(vfbc_vf_release(p), "release");
	TEST_ASSERT(fp_entry(p, &vf_id) == NULL, "an entry after the release");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), -EPERM, "poll after the release");
	/* An invalidation while released is the next claim's, not a poll's. */
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(fpw.pf_port, FP_VF, 0x2),
			    "invalidate while released");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), -EPERM, "poll while released");

	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim again");
	TEST_ASSERT(fp_entry(p, &vf_id) == ch, "claimed again: same channel");
	m = 0;
	r = vfbc_vf_poll(p, &m);
	TEST_ASSERT(r == 1 && (m & 0x2) != 0, "the claim's first delivery %d 0x%" PRIx64, r, m);

	/* The PF's port goes: the entry keeps the retired handle until a new claim. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(fpw.pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "removing the PF");
	old = fp_entry(p, &vf_id);
	r = vfbc_vf_poll(p, &m);
	printf("PF removed: entry %s, poll %d\n", old == ch ? "the old channel" :
	       old == NULL ? "empty" : "another channel", r);
	TEST_ASSERT(r < 0, "a poll with the PF's channel gone answered %d", r);
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "probing the PF again");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &pf), "new PF port");
	fpw.pf_port = pf;
	if (vfbc_vf_release(p) == 0)
		printf("released the old claim\n");
	TEST_ASSERT(fp_entry(p, &vf_id) == NULL, "an entry with no claim");
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim on the new channel");
	ch = fp_entry(p, &vf_id);
	TEST_ASSERT(ch != NULL && ch != old && vf_id == FP_VF, "new channel in the entry");
	m = 0;
	while ((r = vfbc_vf_poll(p, &m)) == 1)
		;
	TEST_ASSERT_EQUAL(r, 0, "empty poll on the new channel");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, FP_VF, 0x40), "invalidate");
	r = vfbc_vf_poll(p, &m);
	TEST_ASSERT(r == 1 && m == 0x40, "delivery on the new channel %d 0x%" PRIx64, r, m);

	TEST_ASSERT_SUCCESS(rte_eth_dev_close(p), "close");
	TEST_ASSERT(fp_entry(p, &vf_id) == NULL, "an entry after the close");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), -ENODEV, "poll after the close");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(RTE_MAX_ETHPORTS, &m), -ENODEV, "port out of range");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(UINT16_MAX, &m), -ENODEV, "port UINT16_MAX");
	return TEST_SUCCESS;
}

static uint16_t fpc_port;
static uint32_t fpc_stop;
static uint32_t fpc_phase;	/* odd while claimed and no release has begun */
static int fpc_bad;
static uint64_t fpc_polls;

static void *
fpc_poller(void *arg __rte_unused)
{
	uint64_t m;
	uint32_t before, after;
	int r;

	while (!__atomic_load_n(&fpc_stop, __ATOMIC_ACQUIRE)) {
		before = __atomic_load_n(&fpc_phase, __ATOMIC_ACQUIRE);
		r = vfbc_vf_poll(fpc_port, &m);
		after = __atomic_load_n(&fpc_phase, __ATOMIC_ACQUIRE);
		fpc_polls++;
		/*
		 * Nobody invalidates: 1 is a delivery made up. Held all along
		 * (one odd phase before and after): nothing but 0.
		 */
		if (r == 1 || (r < 0 && r != -EPERM) || (r != 0 && before == after &&
		    (before & 1) != 0))
			__atomic_store_n(&fpc_bad, r == 1 ? 1000 : r, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
test_vf_fp_poll_vs_claim_cycles(void)
{
	pthread_t t;
	unsigned int i;

	fpc_port = fpw.vf_port[FP_VF + 1];
	/* The first claim's delivery (every block, or nothing) out of the way. */
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(fpc_port), "claim");
	while (vfbc_vf_poll(fpc_port, NULL) == 1)
		;
	TEST_ASSERT_SUCCESS(vfbc_vf_release(fpc_port), "release");
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, fpc_poller, NULL), "thread");
	for (i = 0; i < FP_CYCLES; i++) {
		TEST_ASSERT_SUCCESS(vfbc_vf_claim(fpc_port), "claim %u", i);
		__atomic_store_n(&fpc_phase, 2 * i + 1, __ATOMIC_RELEASE);
		usleep(50);
		__atomic_store_n(&fpc_phase, 2 * i + 2, __ATOMIC_RELEASE);
		TEST_ASSERT_SUCCESS(vfbc_vf_release(fpc_port), "release %u", i);
	}
	__atomic_store_n(&fpc_stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	printf("%u claim/release cycles, %" PRIu64 " polls beside them, bad %d\n", FP_CYCLES,
	       fpc_polls, fpc_bad);
	TEST_ASSERT_EQUAL(fpc_bad, 0, "a poll answered %d", fpc_bad);
	TEST_ASSERT(fp_entry(fpc_port, &(uint16_t){0}) == NULL, "entry after the last release");
	return TEST_SUCCESS;
}

static int
test_pf_fp_entry_follows_the_mailbox(void)
{
	uint16_t pf = fpw.pf_port, n = vfbc_pf_vf_count(fpw.pf_port);
	const struct vfbc_pf_fp_port *fp = &vfbc_pf_fp_ports[pf];
	struct rte_eth_dev_info info;

	TEST_ASSERT(n > 0, "no VF enabled");
	TEST_ASSERT(__atomic_load_n(&fp->ch, __ATOMIC_ACQUIRE) != NULL, "no channel in the entry");
	TEST_ASSERT_EQUAL(fp->nb_vfs, n, "entry's NumVFs");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, n - 1, 1), "last VF");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(pf, n, 1), -EINVAL, "VF NumVFs");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(pf, 0, 0), -EINVAL, "mask 0");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, VFBC_PF_VF_ALL, 1), "all");

	/* Virtualization off: no VF for the inline path, the driver says why. */
	mp_world_close_vfs(&fpw);
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf, 0), "disable");
	TEST_ASSERT_EQUAL(fp->nb_vfs, 0, "entry's NumVFs after the disable");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(pf, 0, 1), -ENXIO, "disabled");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(pf, n), "enable again");
	TEST_ASSERT_EQUAL(fp->nb_vfs, n, "entry's NumVFs after the enable");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, n - 1, 1), "enabled again");

	/* Closed: the entry is empty before the channel goes. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(pf, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(pf), "close");
	TEST_ASSERT(__atomic_load_n(&fp->ch, __ATOMIC_ACQUIRE) == NULL, "entry after the close");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(pf, 0, 1), -ENODEV, "closed");
	TEST_ASSERT_EQUAL(vfbc_pf_invalidate_config_blocks(RTE_MAX_ETHPORTS, 0, 1), -ENODEV,
			  "port out of range");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "removing the PF");
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "probing the PF again");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &pf), "new PF port");
	fp = &vfbc_pf_fp_ports[pf];
	TEST_ASSERT(__atomic_load_n(&fp->ch, __ATOMIC_ACQUIRE) != NULL && fp->nb_vfs == n,
		    "entry of the PF probed again");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf, 0, 1), "probed again");
	return TEST_SUCCESS;
}

static int
fp_setup(void)
{
	return mp_world_start(&fpw, "");
}

static void
fp_teardown(void)
{
	mp_world_close_vfs(&fpw);
}

static struct unit_test_suite fp_suite = {
	.suite_name = "the fast-path tables of the inline vfbc_vf_poll() and PF invalidate",
	.setup = fp_setup,
	.teardown = fp_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_fp_poll_vs_claim_cycles),
		TEST_CASE(test_vf_fp_entry_follows_the_port),
		TEST_CASE(test_pf_fp_entry_follows_the_mailbox),
		TEST_CASES_END()
	}
};

static int
test_vf_fp(void)
{
	return unit_test_suite_runner(&fp_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_fp_autotest, test_vf_fp, "--total-vfs 4");
