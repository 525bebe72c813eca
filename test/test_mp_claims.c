/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * One process may not act as another VF. A VF process R holds VF 1 through
 * its VF PMD; an intruder X (mp_lib_vf, the channel library alone, no
 * device opened) then uses the library's public API on VF 1's slot and on
 * an unclaimed one: config write, block write, an FLR through DEVCTL,
 * draining R's answers, claiming. Every call is refused, no config byte of
 * any function, no block, no counter of resets changes, and R is served
 * throughout. And X cannot squat the free slots: its claims without the
 * VF's device are refused, and the VFs' own processes start and claim.
 *
 * (On fb8986c the PF accepted X's config write, block write and FLR of
 * VF 1, let X drain VF 1's answers, and X's claims of every free slot kept
 * the real VF processes from starting.)
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define CLAIMS_WORLD_OPTS	"--total-vfs 4"
#define START_MS		60000
#define CMD_MS			10000

static struct mp_world w;

static int
claims_setup(void)
{
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs >= 3, "the world has %u VFs, want 3", w.nb_vfs);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	return TEST_SUCCESS;
}

static void
claims_teardown(void)
{
	mp_pf_server_stop();
}

/* A VF process on VF vf through its PMD: 0 once it says it holds the claim. */
static int
vf_process_start(struct mp_child *c, unsigned int vf)
{
	char eal[64], rest[MP_LINE_MAX];
	unsigned int port, id;
	int claimed, pid;

	snprintf(eal, sizeof(eal), "-a %s", w.vf_name[vf]);
	if (mp_child_spawn(c, "mp_vf_agent", eal, NULL) < 0 ||
			mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) < 0 ||
			sscanf(rest, "port=%u vf=%u claimed=%d pid=%d", &port, &id, &claimed,
			       &pid) != 4 || id != vf || !claimed) {
		printf("the VF process of VF %u did not start holding its claim\n", vf);
		return -1;
	}
	return 0;
}

static int
intruder_start(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	if (mp_child_spawn(c, "mp_lib_vf", "--no-pci", NULL) < 0 ||
			mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) < 0) {
		printf("the intruder did not start\n");
		return -1;
	}
	return 0;
}

static void
children_quit(struct mp_child *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (c[i].pid > 0 && mp_child_send(&c[i], "quit") == 0)
			mp_child_expect(&c[i], "bye", NULL, 0, CMD_MS);
		mp_child_close(&c[i]);
	}
}

static int
test_mp_claims_nobody_acts_as_another_vf(void)
{
	struct mp_child c[2]; /* R, X */
	struct test_pf_snap before;
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE], blk[16];
	uint64_t resets, accepted;
	char post[96], rest[MP_LINE_MAX];
	unsigned int exp, i;
	uint16_t devctl;
	int ret = TEST_FAILED, r;

	memset(c, 0, sizeof(c));
	c[0].pid = c[1].pid = -1;
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, 0, cfg, sizeof(cfg)), "VF 1's config file");
	exp = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_EXP);
	TEST_ASSERT(exp != 0, "VF 1 has no PCI Express capability");
	devctl = (uint16_t)(cfg[exp + VFBC_PCI_EXP_DEVCTL] |
			    cfg[exp + VFBC_PCI_EXP_DEVCTL + 1] << 8) | VFBC_PCI_EXP_DEVCTL_BCR_FLR;
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(w.pf_port, 1, 7, "R's block", 9),
			    "block 7");
	if (vf_process_start(&c[0], 1) < 0 || intruder_start(&c[1]) < 0)
		goto out;
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&before), "snapshot");
	resets = test_pf_xstat(w.pf_port, "vf_resets");
	accepted = test_pf_xstat(w.pf_port, "mbox_accepted");

	/* On VF 1's slot, held by R; and on VF 2's, held by nobody. */
	for (i = 1; i <= 2; i++) {
		snprintf(post, sizeof(post), "post %u %u %u 40", i, VFBC_CHANNEL_REQ_CFG_WRITE,
			 VFBC_PCI_CACHE_LINE_SIZE);
		r = mp_child_ret(&c[1], NULL, 0, CMD_MS, "%s", post);
		if (r != -EPERM) {
			printf("X's config write on VF %u: %d\n", i, r);
			goto out_snap;
		}
		r = mp_child_ret(&c[1], NULL, 0, CMD_MS, "post %u %u 7 6f776e6564", i,
				 VFBC_CHANNEL_REQ_BLOCK_WRITE);
		if (r != -EPERM) {
			printf("X's block write on VF %u: %d\n", i, r);
			goto out_snap;
		}
		r = mp_child_ret(&c[1], NULL, 0, CMD_MS, "post %u %u %u %02x%02x", i,
				 VFBC_CHANNEL_REQ_CFG_WRITE, exp + VFBC_PCI_EXP_DEVCTL,
				 devctl & 0xff, devctl >> 8);
		if (r != -EPERM) {
			printf("X's FLR of VF %u: %d\n", i, r);
			goto out_snap;
		}
	}
	/* R asks for something; X must not take the answer. */
	if (mp_child_send(&c[0], "rbus 0 4 2000") < 0)
		goto out_snap;
	/* X keeps polling for as long as R's answer may take to come. */
	if (mp_child_cmd(&c[1], "wait", rest, sizeof(rest), CMD_MS, "wait 1 2000") < 0 ||
			sscanf(rest, "ret=%d", &r) != 1 || r != -EPERM) {
		printf("X polled VF 1's answers: \"%s\"\n", rest);
		goto out_snap;
	}
	if (mp_child_expect(&c[0], "ret", rest, sizeof(rest), CMD_MS) < 0 ||
			strncmp(rest, "4 ", 2) != 0) {
		printf("R's config read: \"%s\"\n", rest);
		goto out_snap;
	}
	/* Nor does X get the claim R holds, with or without a proof of its own. */
	r = mp_child_ret(&c[1], NULL, 0, CMD_MS, "claimnp 1");
	if (r >= 0) {
		printf("X claimed VF 1 without its device: %d\n", r);
		goto out_snap;
	}
	r = mp_child_ret(&c[1], NULL, 0, CMD_MS, "claim 1");
	if (r != -EBUSY) {
		printf("X's claim of VF 1 held by R: %d\n", r);
		goto out_snap;
	}

	if (test_pf_snap_check(&before) != TEST_SUCCESS) {
		printf("a config space changed\n");
		goto out_snap;
	}
	if (test_pf_xstat(w.pf_port, "vf_resets") != resets ||
			test_pf_xstat(w.pf_port, "mbox_accepted") != accepted + 1) {
		printf("resets %" PRIu64 " -> %" PRIu64 ", accepted %" PRIu64 " -> %" PRIu64
		       " (R's one read expected)\n", resets,
		       test_pf_xstat(w.pf_port, "vf_resets"), accepted,
		       test_pf_xstat(w.pf_port, "mbox_accepted"));
		goto out_snap;
	}
	if (vfbc_pf_read_config_block(w.pf_port, 1, 7, blk, sizeof(blk)) != 9 ||
			memcmp(blk, "R's block", 9) != 0 ||
			vfbc_pf_read_config_block(w.pf_port, 2, 7, blk, sizeof(blk)) != -ENOENT) {
		printf("a block changed\n");
		goto out_snap;
	}
	ret = TEST_SUCCESS;
out_snap:
	test_pf_snap_free(&before);
out:
	children_quit(c, RTE_DIM(c));
	return ret;
}

static int
test_mp_claims_no_squatting_without_the_device(void)
{
	struct mp_child c[3]; /* X, then the VF processes of VFs 0 and 2 */
	unsigned int vf;
	int ret = TEST_FAILED, r;

	memset(c, 0, sizeof(c));
	c[0].pid = c[1].pid = c[2].pid = -1;
	if (intruder_start(&c[0]) < 0)
		goto out;
	for (vf = 0; vf < w.nb_vfs; vf++) {
		r = mp_child_ret(&c[0], NULL, 0, CMD_MS, "claimnp %u", vf);
		if (r != -EACCES && r != -EBUSY) {
			printf("X's claim of VF %u without its device: %d\n", vf, r);
			goto out;
		}
	}
	/* The VFs' own processes start: nobody squats their slots. */
	if (vf_process_start(&c[1], 0) < 0 || vf_process_start(&c[2], 2) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	children_quit(c, RTE_DIM(c));
	return ret;
}

static struct unit_test_suite mp_claims_suite = {
	.suite_name = "mp: claims bind a VF's slot to the process holding the VF",
	.setup = claims_setup,
	.teardown = claims_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mp_claims_nobody_acts_as_another_vf),
		TEST_CASE(test_mp_claims_no_squatting_without_the_device),
		TEST_CASES_END()
	}
};

static int
test_mp_claims(void)
{
	return unit_test_suite_runner(&mp_claims_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_claims_autotest, test_mp_claims, CLAIMS_WORLD_OPTS, "mp");
