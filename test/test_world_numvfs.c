/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Writing the PF's sriov_numvfs in an emulated world behaves as Linux does:
 * VFs appear at the routing IDs the SR-IOV capability implies, with their
 * sysfs links and uio nodes; illegal values are refused and reverted.
 * The cases run in order, each starting from the previous one's state.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_pci.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_world_common.h"

#define WORLD_NUMVFS_OPTS	"--pf 0000:03:00.0 --total-vfs 4 --num-vfs 0 " \
				"--vf-offset 6 --vf-stride 3"
#define WORLD_NUMVFS_PF_RID	0x0300
#define WORLD_NUMVFS_TOTAL	4
#define WORLD_NUMVFS_OFFSET	6
#define WORLD_NUMVFS_STRIDE	3

static char world_numvfs_pf[PATH_MAX];

static unsigned int
world_numvfs_vf_rid(unsigned int i)
{
	return WORLD_NUMVFS_PF_RID + WORLD_NUMVFS_OFFSET + WORLD_NUMVFS_STRIDE * i;
}

static int
world_numvfs_write(const char *value)
{
	return test_world_write(WORLD_NUMVFS_PF_RID, "sriov_numvfs", value);
}

static int
world_numvfs_read(char *buf, size_t len)
{
	return test_world_read(WORLD_NUMVFS_PF_RID, "sriov_numvfs", buf, len);
}

/* SR-IOV NumVFs and Control from the PF's config space. */
static int
world_numvfs_cap(uint16_t *num_vfs, uint16_t *ctrl)
{
	uint8_t cfg[4096];
	unsigned int off;
	uint32_t hdr;
	int ret;

	ret = test_world_cfg_read(WORLD_NUMVFS_PF_RID, 0, cfg, sizeof(cfg));
	if (ret < 0)
		return ret;
	for (off = VFBC_PCI_EXT_CAP_START; off != 0; off = RTE_PCI_EXT_CAP_NEXT(hdr)) {
		memcpy(&hdr, cfg + off, 4);
		if (RTE_PCI_EXT_CAP_ID(hdr) == RTE_PCI_EXT_CAP_ID_SRIOV)
			break;
	}
	if (off == 0)
		return -ENOENT;
	*num_vfs = cfg[off + RTE_PCI_SRIOV_NUM_VF] | cfg[off + RTE_PCI_SRIOV_NUM_VF + 1] << 8;
	*ctrl = cfg[off + RTE_PCI_SRIOV_CTRL] | cfg[off + RTE_PCI_SRIOV_CTRL + 1] << 8;
	return 0;
}

/* The world applies a write asynchronously: wait for `expect` to read back. */
static int
world_numvfs_wait(const char *expect, uint16_t expect_num)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	uint16_t num;
	uint16_t ctrl;
	char buf[32];
	int tries;

	for (tries = 0; tries < 200; tries++) {
		if (world_numvfs_read(buf, sizeof(buf)) == 0 && strcmp(buf, expect) == 0 &&
				world_numvfs_cap(&num, &ctrl) == 0 && num == expect_num)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

/* VFs 0..n-1 exist with links and uio nodes; VFs n..TotalVFs-1 do not. */
static int
world_numvfs_check_vfs(unsigned int n)
{
	char path[PATH_MAX + 64];
	char real[PATH_MAX];
	char want[PATH_MAX];
	char dir[PATH_MAX];
	char name[64];
	struct stat st;
	unsigned int i;
	uint16_t num;
	uint16_t ctrl;
	int uio;

	TEST_ASSERT_SUCCESS(world_numvfs_cap(&num, &ctrl), "no SR-IOV capability");
	TEST_ASSERT_EQUAL(num, n, "NumVFs %u", num);
	TEST_ASSERT_EQUAL(!!(ctrl & VFBC_PCI_SRIOV_CTRL_VFE), n > 0, "VF Enable 0x%x", ctrl);
	TEST_ASSERT_EQUAL(!!(ctrl & VFBC_PCI_SRIOV_CTRL_MSE), n > 0, "VF MSE 0x%x", ctrl);
	for (i = 0; i < WORLD_NUMVFS_TOTAL; i++) {
		test_world_dev(world_numvfs_vf_rid(i), NULL, dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/virtfn%u", world_numvfs_pf, i);
		if (i >= n) {
			TEST_ASSERT(access(dir, F_OK) != 0, "VF %u still exists", i);
			TEST_ASSERT(lstat(path, &st) != 0, "virtfn%u still exists", i);
			continue;
		}
		TEST_ASSERT(realpath(path, real) != NULL, "no virtfn%u", i);
		TEST_ASSERT(realpath(dir, want) != NULL, "no VF %u at %s", i, dir);
		TEST_ASSERT(strcmp(real, want) == 0, "virtfn%u -> %s, not %s", i, real, want);
		snprintf(path, sizeof(path), "%s/physfn", dir);
		TEST_ASSERT(realpath(path, real) != NULL, "VF %u has no physfn", i);
		TEST_ASSERT(realpath(world_numvfs_pf, want) != NULL, "no PF");
		TEST_ASSERT(strcmp(real, want) == 0, "VF %u physfn -> %s", i, real);

		/* The path DPDK opens, through the uio class, ends at this VF. */
		uio = test_world_uio(world_numvfs_vf_rid(i));
		TEST_ASSERT(uio >= 0, "VF %u has no uio device", i);
		snprintf(name, sizeof(name), "uio%d", uio);
		snprintf(path, sizeof(path), "/sys/class/uio/%s/device/config", name);
		TEST_ASSERT(realpath(path, real) != NULL, "no %s", path);
		snprintf(path, sizeof(path), "%s/config", dir);
		TEST_ASSERT(realpath(path, want) != NULL, "VF %u has no config", i);
		TEST_ASSERT(strcmp(real, want) == 0, "%s is %s", name, real);
		snprintf(path, sizeof(path), "/dev/%s", name);
		TEST_ASSERT(access(path, R_OK | W_OK) == 0, "no %s", path);
	}
	return TEST_SUCCESS;
}

static int
world_numvfs_setup(void)
{
	int ret;

	ret = test_world_setup();
	if (ret != TEST_SUCCESS)
		return ret;
	test_world_dev(WORLD_NUMVFS_PF_RID, NULL, world_numvfs_pf, sizeof(world_numvfs_pf));
	return TEST_SUCCESS;
}

static int
test_numvfs_zero_at_start_means_no_vfs(void)
{
	char buf[32];

	TEST_ASSERT_SUCCESS(world_numvfs_read(buf, sizeof(buf)), "cannot read sriov_numvfs");
	TEST_ASSERT(strcmp(buf, "0\n") == 0, "sriov_numvfs reads '%s'", buf);
	return world_numvfs_check_vfs(0);
}

static int
test_numvfs_enable_creates_the_vfs(void)
{
	TEST_ASSERT_SUCCESS(world_numvfs_write("3"), "write 3");
	TEST_ASSERT_SUCCESS(world_numvfs_wait("3\n", 3), "3 VFs never enabled");
	return world_numvfs_check_vfs(3);
}

static int
test_numvfs_change_without_zero_is_refused(void)
{
	TEST_ASSERT_SUCCESS(world_numvfs_write("2\n"), "write 2");
	TEST_ASSERT_SUCCESS(world_numvfs_wait("3\n", 3), "2 over 3 not reverted");
	return world_numvfs_check_vfs(3);
}

static int
test_numvfs_above_total_is_refused(void)
{
	TEST_ASSERT_SUCCESS(world_numvfs_write("0"), "write 0");
	TEST_ASSERT_SUCCESS(world_numvfs_wait("0\n", 0), "VFs never disabled");
	TEST_ASSERT_SUCCESS(world_numvfs_write("5"), "write 5");
	TEST_ASSERT_SUCCESS(world_numvfs_wait("0\n", 0), "5 > TotalVFs not reverted");
	TEST_ASSERT_SUCCESS(world_numvfs_write("many"), "write many");
	TEST_ASSERT_SUCCESS(world_numvfs_wait("0\n", 0), "'many' not reverted");
	return world_numvfs_check_vfs(0);
}

static int
test_numvfs_all_vfs_after_disable(void)
{
	TEST_ASSERT_SUCCESS(world_numvfs_write("0x4"), "write 0x4");
	TEST_ASSERT_SUCCESS(world_numvfs_wait("4\n", 4), "4 VFs never enabled");
	return world_numvfs_check_vfs(WORLD_NUMVFS_TOTAL);
}

static struct unit_test_suite world_numvfs_suite = {
	.suite_name = "emulated world: sriov_numvfs",
	.setup = world_numvfs_setup,
	.unit_test_cases = {
		TEST_CASE(test_numvfs_zero_at_start_means_no_vfs),
		TEST_CASE(test_numvfs_enable_creates_the_vfs),
		TEST_CASE(test_numvfs_change_without_zero_is_refused),
		TEST_CASE(test_numvfs_above_total_is_refused),
		TEST_CASE(test_numvfs_all_vfs_after_disable),
		TEST_CASES_END()
	}
};

static int
test_world_numvfs(void)
{
	return unit_test_suite_runner(&world_numvfs_suite);
}

REGISTER_WORLD_TEST_COMMAND(world_numvfs_autotest, test_world_numvfs, WORLD_NUMVFS_OPTS);
