/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A VF's own address word steers another VF's consumer (red-team finding
 * against "claims that a revoke cannot be raced past").
 *
 * That change stopped the PF from trusting the address word of a VF's area
 * ("the VF can write it"), but a consumer still finds its slot with
 * vfbc_channel_vf_find(), which takes the first slot whose shared word
 * matches. A buggy or hostile VF 0 that writes VF 1's address into its own
 * area's word (its own area: in scope) makes VF 1's consumer attach to slot
 * 0 (net/vfbc_vf: vf_attach_channel() prefers the channel's index to
 * sysfs'), where the PF refuses its proof: VF 1 has no channel.
 *
 * It failed before the fix: the lookup reports an address two slots
 * publish (-EEXIST), and net_vfbc_vf then uses its sysfs index.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define AS_NAME "t_addr_spoof"
#define AS_VFS 2

static struct vfbc_channel *as_pf;
static struct vfbc_channel *as_h;

static int
as_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
as_case_setup(void)
{
	as_pf = vfbc_channel_create(AS_NAME, AS_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(as_pf, "create failed: %s", rte_strerror(rte_errno));
	as_h = vfbc_channel_attach(AS_NAME);
	TEST_ASSERT_NOT_NULL(as_h, "attach failed");
	return TEST_SUCCESS;
}

static void
as_case_teardown(void)
{
	vfbc_channel_free(as_h);
	vfbc_channel_free(as_pf);
	as_h = NULL;
	as_pf = NULL;
}

/* The PF's verifier, as net/vfbc_pf's: the proof must be the slot's VF. */
static const struct rte_pci_addr as_vf[AS_VFS] = {
	{ .domain = 0, .bus = 3, .devid = 0, .function = 1 },
	{ .domain = 0, .bus = 3, .devid = 0, .function = 2 },
};
static int as_proof_of = -1;

static int
as_verify(const struct vfbc_channel *c __rte_unused, uint16_t vf __rte_unused,
	  const struct rte_pci_addr *addr, int proof_fd __rte_unused, void *arg __rte_unused)
{
	return as_proof_of >= 0 && rte_pci_addr_cmp(addr, &as_vf[as_proof_of]) == 0 ?
		0 : -EACCES;
}

static int
test_vf_own_address_word_should_not_steer_another_vfs_lookup(void)
{
	struct vfbc_channel_shm_vf_addr *w0, *w1;
	int idx, ret, proof;

	TEST_ASSERT_SUCCESS(vfbc_channel_claim_verify_set(as_pf, as_verify, NULL), "verify");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(as_pf, 0, &as_vf[0]), "addr 0");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(as_pf, 1, &as_vf[1]), "addr 1");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(as_h, &as_vf[1]), 1, "lookup before");

	/* VF 0 writes VF 1's address into the address word of its own area. */
	w0 = &__vfbc_channel_vf(as_h, 0)->pf.vf_addr;
	w1 = &__vfbc_channel_vf(as_h, 1)->pf.vf_addr;
	memcpy(w0, w1, sizeof(*w0));

	/*
	 * VF 1's consumer looks up its slot: never VF 0's. The channel cannot
	 * tell which of two words is forged, and says so (-EEXIST); the
	 * consumer then takes its index from sysfs (net_vfbc_vf does), and
	 * claims it with VF 1's proof.
	 */
	idx = vfbc_channel_vf_find(as_h, &as_vf[1]);
	printf("VF 1's consumer finds slot %d\n", idx);
	TEST_ASSERT(idx == 1 || idx == -EEXIST, "VF 0's own address word made VF 1's consumer "
		    "find slot %d: vfbc_channel_vf_find() trusts VF-writable words", idx);
	if (idx == -EEXIST)
		idx = 1;	/* the sysfs index */
	proof = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	TEST_ASSERT(proof >= 0, "open");
	as_proof_of = 1;
	ret = vfbc_channel_claim(as_h, (uint16_t)idx, proof);
	close(proof);
	printf("its claim of slot %d: %d\n", idx, ret);
	TEST_ASSERT(ret >= 0, "VF 1's claim: %d", ret);
	return TEST_SUCCESS;
}

static struct unit_test_suite as_suite = {
	.suite_name = "address word spoofing (red-team finding)",
	.setup = as_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(as_case_setup, as_case_teardown,
			test_vf_own_address_word_should_not_steer_another_vfs_lookup),
		TEST_CASES_END(),
	},
};

static int
test_channel_addr_spoof(void)
{
	return unit_test_suite_runner(&as_suite);
}

REGISTER_TEST_COMMAND(channel_addr_spoof_autotest, test_channel_addr_spoof);
