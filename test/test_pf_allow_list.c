/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Which VFs the PF reaches under an EAL allow list (-a): by default the
 * VFs the list names (the others are "blocked", their requests -ENXIO, no
 * descriptor of theirs opened: a VF bound to vfio-pci keeps its IOMMU
 * group for whoever is given it); with the PF's devarg map_vfs=all, every
 * VF, named or not.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

#define ALLOW_VFS 4
/* The world's VF 1, the one -a names besides the PF. */
#define ALLOW_VF1 "0000:01:00.2"

/* Every VF's state is want[vf]. */
static int
allow_check(uint16_t port, const uint32_t *want, const char *what)
{
	struct vfbc_pf_vf_info info;
	uint16_t vf;
	int ret;

	for (vf = 0; vf < ALLOW_VFS; vf++) {
		ret = vfbc_pf_get_vf_info(port, vf, &info);
		TEST_ASSERT_SUCCESS(ret, "%s: VF %u: info: %s", what, vf, strerror(-ret));
		TEST_ASSERT_EQUAL(info.state, want[vf], "%s: VF %u is %s, want %s", what, vf,
				  vfbc_pf_vf_state_str(info.state), vfbc_pf_vf_state_str(want[vf]));
	}
	return TEST_SUCCESS;
}

static int
test_pf_allow_list(void)
{
	static const uint32_t named[ALLOW_VFS] = { VFBC_PF_VF_BLOCKED, VFBC_PF_VF_READY,
		VFBC_PF_VF_BLOCKED, VFBC_PF_VF_BLOCKED };
	static const uint32_t all[ALLOW_VFS] = { VFBC_PF_VF_READY, VFBC_PF_VF_READY,
		VFBC_PF_VF_READY, VFBC_PF_VF_READY };
	uint8_t id[2];
	uint16_t port;
	int ret;

	ret = test_pf_world_start(&port, "-m 64 -a " TEST_PF_WORLD_PF " -a " ALLOW_VF1);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = allow_check(port, named, "-a PF -a VF 1");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(port, 0, id, 0, sizeof(id)), -ENXIO,
			  "a VF the allow list leaves out was read");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(port, 1, id, 0, sizeof(id)), (int)sizeof(id),
			  "the VF the allow list names was not read");

	TEST_ASSERT_SUCCESS(test_pf_world_detach(), "detaching the PF");
	TEST_ASSERT_SUCCESS(rte_dev_probe(TEST_PF_WORLD_PF ",map_vfs=all"), "probe map_vfs=all");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port), "no port");
	ret = allow_check(port, all, "-a PF,map_vfs=all");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(port, 3, id, 0, sizeof(id)), (int)sizeof(id),
			  "map_vfs=all: a VF the allow list leaves out was not read");
	return TEST_SUCCESS;
}

REGISTER_WORLD_TEST_COMMAND(pf_allow_list_autotest, test_pf_allow_list, "--total-vfs 4");
