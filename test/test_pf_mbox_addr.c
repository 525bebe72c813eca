/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF address table of a channel, which the PF driver
 * fills and a VF PMD searches: set, get, find, withdraw, bad arguments, and
 * what another handle of the same channel sees.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_pci.h>

#include <vfbc_channel.h>

#include "test.h"

#define ADDR_NB_VFS 8

static struct vfbc_channel *addr_ch;
static struct vfbc_channel *addr_peer;

static int
addr_setup(void)
{
	int ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci -m 64");
	if (ret != TEST_SUCCESS)
		return ret;
	addr_ch = vfbc_channel_create("addr_test", ADDR_NB_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(addr_ch, "create: %s", rte_strerror(rte_errno));
	addr_peer = vfbc_channel_attach("addr_test");
	TEST_ASSERT_NOT_NULL(addr_peer, "attach: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
addr_teardown(void)
{
	vfbc_channel_free(addr_peer);
	vfbc_channel_free(addr_ch);
}

static void
addr_make(struct rte_pci_addr *a, uint32_t domain, uint8_t bus, uint8_t dev, uint8_t fn)
{
	memset(a, 0, sizeof(*a));
	a->domain = domain;
	a->bus = bus;
	a->devid = dev;
	a->function = fn;
}

static int
test_addr_layout_version(void)
{
	/* The address table is part of layout 2.0 (it came with 1.1). */
	TEST_ASSERT(VFBC_CHANNEL_VERSION_MAJOR >= 2, "major %d", VFBC_CHANNEL_VERSION_MAJOR);
	TEST_ASSERT_EQUAL(__vfbc_channel_hdr(addr_ch)->version_major, VFBC_CHANNEL_VERSION_MAJOR,
			  "header major");
	TEST_ASSERT_EQUAL(__vfbc_channel_hdr(addr_ch)->version_minor, VFBC_CHANNEL_VERSION_MINOR,
			  "header minor");
	return TEST_SUCCESS;
}

static int
test_addr_fresh_channel_publishes_nothing(void)
{
	struct rte_pci_addr a, probe;
	uint16_t vf;

	for (vf = 0; vf < ADDR_NB_VFS; vf++)
		TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(addr_peer, vf, &a), -ENOENT,
				  "VF %u has an address", vf);
	/* All zeros is an address too (0000:00:00.0): still not found. */
	addr_make(&probe, 0, 0, 0, 0);
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(addr_peer, &probe), -ENOENT, "zero address");
	return TEST_SUCCESS;
}

static int
test_addr_set_get_find_withdraw(void)
{
	struct rte_pci_addr a, b;
	uint16_t vf;

	/* Crossing a bus, and a domain above 0xffff. */
	for (vf = 0; vf < ADDR_NB_VFS; vf++) {
		addr_make(&a, 0x10000, (uint8_t)(1 + vf / 4), (uint8_t)(vf % 4), (uint8_t)vf % 8);
		TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(addr_ch, vf, &a), "set VF %u", vf);
	}
	for (vf = 0; vf < ADDR_NB_VFS; vf++) {
		addr_make(&a, 0x10000, (uint8_t)(1 + vf / 4), (uint8_t)(vf % 4), (uint8_t)vf % 8);
		TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_get(addr_peer, vf, &b), "get VF %u", vf);
		TEST_ASSERT_EQUAL(rte_pci_addr_cmp(&a, &b), 0, "VF %u address differs", vf);
		TEST_ASSERT_EQUAL(vfbc_channel_vf_find(addr_peer, &a), vf, "find VF %u", vf);
	}
	addr_make(&a, 0x10000, 1, 3, 3);
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(addr_ch, 3, NULL), "withdraw");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(addr_peer, 3, &b), -ENOENT, "withdrawn get");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(addr_peer, &a), -ENOENT, "withdrawn find");
	/* The other slots are untouched. */
	addr_make(&a, 0x10000, 2, 0, 4);
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(addr_peer, &a), 4, "VF 4 after withdrawing 3");
	return TEST_SUCCESS;
}

static int
test_addr_bad_arguments_change_nothing(void)
{
	struct rte_pci_addr a, b;

	addr_make(&a, 0, 5, 1, 2);
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(addr_ch, 0, &a), "set");
	addr_make(&b, 0, 5, 32, 0);
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_set(addr_ch, 0, &b), -EINVAL, "device 32");
	addr_make(&b, 0, 5, 0, 8);
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_set(addr_ch, 0, &b), -EINVAL, "function 8");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_set(addr_ch, ADDR_NB_VFS, &a), -EINVAL,
			  "VF out of range");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_set(NULL, 0, &a), -EINVAL, "NULL channel");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(addr_ch, ADDR_NB_VFS, &b), -EINVAL,
			  "get out of range");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(addr_ch, 0, NULL), -EINVAL, "get NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_addr_get(NULL, 0, &b), -EINVAL, "get NULL channel");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(addr_ch, NULL), -EINVAL, "find NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_vf_find(NULL, &a), -EINVAL, "find NULL channel");
	TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_get(addr_peer, 0, &b), "get");
	TEST_ASSERT_EQUAL(rte_pci_addr_cmp(&a, &b), 0, "a refused set changed the address");
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_mbox_addr_suite = {
	.suite_name = "channel VF address table",
	.setup = addr_setup,
	.teardown = addr_teardown,
	.unit_test_cases = {
		TEST_CASE(test_addr_layout_version),
		TEST_CASE(test_addr_fresh_channel_publishes_nothing),
		TEST_CASE(test_addr_set_get_find_withdraw),
		TEST_CASE(test_addr_bad_arguments_change_nothing),
		TEST_CASES_END()
	}
};

static int
test_pf_mbox_addr(void)
{
	return unit_test_suite_runner(&test_pf_mbox_addr_suite);
}

REGISTER_TEST_COMMAND(pf_mbox_addr_autotest, test_pf_mbox_addr);
