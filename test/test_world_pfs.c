/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A world of 4 PFs x 256 VFs, as one primary driving several PFs sees it:
 * each PF has its own VFs, links and SR-IOV capability, every function
 * its own uio number and BAR; writing one PF's sriov_numvfs changes that
 * PF's VFs only, and an FLR of one VF resets that VF only. The cases run
 * in order, each starting from the previous one's state.
 */

#include <errno.h>
#include <inttypes.h>
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

#define WORLD_PFS_OPTS		"--pfs 4 --total-vfs 256"
#define WORLD_PFS_NB		4
#define WORLD_PFS_VFS		256
#define WORLD_PFS_FNS		(WORLD_PFS_NB * (1 + WORLD_PFS_VFS))
/* Where vfbc-world documents it puts them: after each PF's last VF. */
static const unsigned int world_pfs_rid[WORLD_PFS_NB] = { 0x0100, 0x0300, 0x0500, 0x0700 };

/* vfbc-world's PCI Express capability, and a config byte nothing else uses. */
#define WORLD_PFS_DEVCTL	(0x60 + VFBC_PCI_EXP_DEVCTL)
#define WORLD_PFS_SCRATCH	0xf0

static unsigned int
world_pfs_vf_rid(unsigned int pf, unsigned int i)
{
	return world_pfs_rid[pf] + 1 + i;
}

/* `len` bytes of a function's config space at `off` (little endian). */
static int
world_pfs_cfg(unsigned int rid, unsigned int off, unsigned int len, uint32_t *val)
{
	uint8_t b[4];
	unsigned int i;
	int ret;

	ret = test_world_cfg_read(rid, off, b, len);
	if (ret < 0)
		return ret;
	*val = 0;
	for (i = 0; i < len; i++)
		*val |= (uint32_t)b[i] << (8 * i);
	return 0;
}

/* SR-IOV NumVFs of a PF; the capability is where vfbc-world puts it. */
static int
world_pfs_num_vfs(unsigned int pf, uint32_t *num)
{
	return world_pfs_cfg(world_pfs_rid[pf], 0x100 + RTE_PCI_SRIOV_NUM_VF, 2, num);
}

/* The world applies a write asynchronously: wait for NumVFs to say it is done. */
static int
world_pfs_wait_num_vfs(unsigned int pf, uint32_t want)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	uint32_t num;
	int tries;

	for (tries = 0; tries < 500; tries++) {
		if (world_pfs_num_vfs(pf, &num) == 0 && num == want)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

/* PF pf has exactly VFs 0..n-1, linked both ways, and says so. */
static int
world_pfs_check_pf(unsigned int pf, unsigned int n)
{
	char path[PATH_MAX];
	char real[PATH_MAX];
	char want[PATH_MAX];
	char link[64];
	char buf[32];
	struct stat st;
	unsigned int i;
	uint32_t num;

	TEST_ASSERT_SUCCESS(test_world_read(world_pfs_rid[pf], "sriov_numvfs", buf, sizeof(buf)),
		"PF %u: no sriov_numvfs", pf);
	TEST_ASSERT_EQUAL(strtoul(buf, NULL, 10), n, "PF %u: sriov_numvfs reads %s", pf, buf);
	TEST_ASSERT_SUCCESS(test_world_read(world_pfs_rid[pf], "sriov_totalvfs", buf,
		sizeof(buf)), "PF %u: no sriov_totalvfs", pf);
	TEST_ASSERT(strcmp(buf, "256\n") == 0, "PF %u: sriov_totalvfs reads %s", pf, buf);
	TEST_ASSERT_SUCCESS(world_pfs_num_vfs(pf, &num), "PF %u: no config", pf);
	TEST_ASSERT_EQUAL(num, n, "PF %u: NumVFs %u", pf, num);
	for (i = 0; i < WORLD_PFS_VFS; i++) {
		snprintf(link, sizeof(link), "virtfn%u", i);
		test_world_dev(world_pfs_rid[pf], link, path, sizeof(path));
		test_world_dev(world_pfs_vf_rid(pf, i), NULL, want, sizeof(want));
		if (i >= n) {
			TEST_ASSERT(lstat(path, &st) != 0, "PF %u: virtfn%u still there", pf, i);
			TEST_ASSERT(access(want, F_OK) != 0, "PF %u: VF %u still there", pf, i);
			continue;
		}
		TEST_ASSERT(realpath(path, real) != NULL, "PF %u: no virtfn%u", pf, i);
		TEST_ASSERT(strcmp(real, want) == 0, "PF %u: virtfn%u -> %s, not %s", pf, i,
			real, want);
		test_world_dev(world_pfs_vf_rid(pf, i), "physfn", path, sizeof(path));
		test_world_dev(world_pfs_rid[pf], NULL, want, sizeof(want));
		TEST_ASSERT(realpath(path, real) != NULL && strcmp(real, want) == 0,
			"PF %u: VF %u's physfn is not its PF", pf, i);
	}
	return TEST_SUCCESS;
}

/* Every function that exists has a uio number of its own, and /dev/uioN. */
static int
world_pfs_check_uio(void)
{
	static int16_t owner[4 * WORLD_PFS_FNS];
	char path[64];
	unsigned int pf;
	unsigned int i;
	unsigned int rid;
	uint32_t num;
	int uio;

	memset(owner, 0xff, sizeof(owner));
	for (pf = 0; pf < WORLD_PFS_NB; pf++) {
		TEST_ASSERT_SUCCESS(world_pfs_num_vfs(pf, &num), "PF %u: no config", pf);
		for (i = 0; i <= num; i++) {
			/* i == num: the PF itself. */
			rid = i < num ? world_pfs_vf_rid(pf, i) : world_pfs_rid[pf];
			uio = test_world_uio(rid);
			TEST_ASSERT(uio >= 0 && uio < (int)RTE_DIM(owner),
				"function %04x has uio %d", rid, uio);
			TEST_ASSERT(owner[uio] < 0, "uio%d is both %04x's and %04x's", uio,
				(unsigned int)owner[uio], rid);
			owner[uio] = rid;
			snprintf(path, sizeof(path), "/dev/uio%d", uio);
			TEST_ASSERT(access(path, R_OK | W_OK) == 0, "no %s", path);
		}
	}
	return TEST_SUCCESS;
}

struct world_pfs_range {
	uint64_t start;
	uint64_t end;
	unsigned int rid;
};

static int
world_pfs_range_cmp(const void *a, const void *b)
{
	const struct world_pfs_range *x = a;
	const struct world_pfs_range *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Line `line` (from 0) of a function's resource file. */
static int
world_pfs_resource(unsigned int rid, unsigned int line, struct world_pfs_range *r)
{
	static char buf[2048];
	uint64_t flags;
	char *p;

	if (test_world_read(rid, "resource", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; line > 0 && p != NULL; line--) {
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
	if (p == NULL || sscanf(p, "%" SCNx64 " %" SCNx64 " %" SCNx64, &r->start, &r->end,
			&flags) != 3 || r->start == 0 || r->end < r->start)
		return -1;
	r->rid = rid;
	return 0;
}

/* What DPDK reads: no two BARs overlap, PFs' or VFs' of any PF. */
static int
world_pfs_check_bars(void)
{
	static struct world_pfs_range r[2 * WORLD_PFS_FNS];
	struct world_pfs_range iov;
	struct world_pfs_range vf;
	unsigned int nb;
	unsigned int pf;
	unsigned int i;
	uint32_t num;

	nb = 0;
	for (pf = 0; pf < WORLD_PFS_NB; pf++) {
		TEST_ASSERT_SUCCESS(world_pfs_resource(world_pfs_rid[pf], 0, &r[nb]),
			"PF %u: no BAR0 in resource", pf);
		nb++;
		/* The VF BAR0 range (line 7): every VF's BAR0 is in its own PF's. */
		TEST_ASSERT_SUCCESS(world_pfs_resource(world_pfs_rid[pf], 7, &iov),
			"PF %u: no VF BAR0 range in resource", pf);
		r[nb++] = iov;
		TEST_ASSERT_SUCCESS(world_pfs_num_vfs(pf, &num), "PF %u: no config", pf);
		for (i = 0; i < num; i++) {
			TEST_ASSERT_SUCCESS(world_pfs_resource(world_pfs_vf_rid(pf, i), 0, &vf),
				"PF %u VF %u: no BAR0", pf, i);
			TEST_ASSERT_EQUAL(vf.start, iov.start + i * (vf.end - vf.start + 1),
				"PF %u VF %u: BAR0 at 0x%" PRIx64 ", VF BAR0 range at 0x%" PRIx64,
				pf, i, vf.start, iov.start);
		}
	}
	qsort(r, nb, sizeof(r[0]), world_pfs_range_cmp);
	for (i = 1; i < nb; i++)
		TEST_ASSERT(r[i - 1].end < r[i].start, "%04x's BAR (0x%" PRIx64 "-0x%" PRIx64
			") overlaps %04x's (0x%" PRIx64 ")", r[i - 1].rid, r[i - 1].start,
			r[i - 1].end, r[i].rid, r[i].start);
	return TEST_SUCCESS;
}

/* PF 3 has VFs 0..pf3_vfs-1, every other PF all its VFs. */
static int
world_pfs_check_pfs(unsigned int pf3_vfs)
{
	unsigned int pf;
	int ret;

	for (pf = 0; pf < WORLD_PFS_NB; pf++) {
		ret = world_pfs_check_pf(pf, pf == 3 ? pf3_vfs : WORLD_PFS_VFS);
		if (ret != TEST_SUCCESS)
			return ret;
	}
	return TEST_SUCCESS;
}

static int
test_pfs_each_pf_has_its_vfs_uio_and_bars(void)
{
	int ret;

	ret = world_pfs_check_pfs(WORLD_PFS_VFS);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = world_pfs_check_uio();
	return ret != TEST_SUCCESS ? ret : world_pfs_check_bars();
}

/* PF 3's sriov_numvfs: 0, then 5; the other PFs keep their 256 VFs. */
static int
test_pfs_numvfs_of_pf3_changes_only_pf3(void)
{
	int ret;

	TEST_ASSERT_SUCCESS(test_world_write(world_pfs_rid[3], "sriov_numvfs", "0"), "write 0");
	TEST_ASSERT_SUCCESS(world_pfs_wait_num_vfs(3, 0), "PF 3's VFs never disabled");
	ret = world_pfs_check_pfs(0);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_world_write(world_pfs_rid[3], "sriov_numvfs", "5\n"), "write 5");
	TEST_ASSERT_SUCCESS(world_pfs_wait_num_vfs(3, 5), "PF 3's 5 VFs never enabled");
	ret = world_pfs_check_pfs(5);
	if (ret != TEST_SUCCESS)
		return ret;
	/* The new VFs got uio numbers no other function has. */
	ret = world_pfs_check_uio();
	return ret != TEST_SUCCESS ? ret : world_pfs_check_bars();
}

/* VF 7 of PF 2 and its neighbours: in PF 2, and the same VF of other PFs. */
static const struct {
	unsigned int pf;
	unsigned int vf;	/* ~0u: the PF itself */
} world_pfs_flr_fns[] = {
	{ 2, 7 }, { 2, 6 }, { 2, 8 }, { 2, ~0u }, { 1, 7 }, { 3, 4 }, { 0, 7 },
};

static unsigned int
world_pfs_flr_rid(unsigned int k)
{
	if (world_pfs_flr_fns[k].vf == ~0u)
		return world_pfs_rid[world_pfs_flr_fns[k].pf];
	return world_pfs_vf_rid(world_pfs_flr_fns[k].pf, world_pfs_flr_fns[k].vf);
}

static int
test_pfs_flr_of_a_vf_of_pf2_resets_only_that_vf(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	uint32_t poweron[RTE_DIM(world_pfs_flr_fns)];
	uint8_t devctl[2];
	uint8_t mark = 0xa5;
	uint32_t v;
	uint32_t d;
	unsigned int k;
	unsigned int rid;
	int tries;

	v = 0;
	d = 0;
	/* Something an FLR undoes, in every function of the list. */
	for (k = 0; k < RTE_DIM(world_pfs_flr_fns); k++) {
		rid = world_pfs_flr_rid(k);
		TEST_ASSERT_SUCCESS(world_pfs_cfg(rid, WORLD_PFS_SCRATCH, 1, &poweron[k]),
			"%04x: no config", rid);
		TEST_ASSERT(poweron[k] != mark, "%04x: scratch byte already 0x%x", rid, mark);
		TEST_ASSERT_SUCCESS(test_world_cfg_write(rid, WORLD_PFS_SCRATCH, &mark, 1),
			"%04x: cannot write config", rid);
	}

	rid = world_pfs_flr_rid(0);
	TEST_ASSERT_SUCCESS(world_pfs_cfg(rid, WORLD_PFS_DEVCTL, 2, &d), "no Device Control");
	d |= VFBC_PCI_EXP_DEVCTL_BCR_FLR;
	devctl[0] = d & 0xff;
	devctl[1] = d >> 8;
	TEST_ASSERT_SUCCESS(test_world_cfg_write(rid, WORLD_PFS_DEVCTL, devctl, 2),
		"cannot initiate FLR");
	for (tries = 0; tries < 500; tries++) {
		if (world_pfs_cfg(rid, WORLD_PFS_SCRATCH, 1, &v) == 0 && v == poweron[0] &&
				world_pfs_cfg(rid, WORLD_PFS_DEVCTL, 2, &d) == 0 &&
				(d & VFBC_PCI_EXP_DEVCTL_BCR_FLR) == 0)
			break;
		nanosleep(&ts, NULL);
	}
	TEST_ASSERT(tries < 500, "VF 7 of PF 2 never reset (scratch 0x%x, devctl 0x%x)", v, d);

	/* Time for a wrong reset of another function to show. */
	ts.tv_nsec = 100 * 1000 * 1000;
	nanosleep(&ts, NULL);
	for (k = 1; k < RTE_DIM(world_pfs_flr_fns); k++) {
		rid = world_pfs_flr_rid(k);
		TEST_ASSERT_SUCCESS(world_pfs_cfg(rid, WORLD_PFS_SCRATCH, 1, &v), "%04x: no config",
			rid);
		TEST_ASSERT_EQUAL(v, mark, "%04x reset by the FLR of VF 7 of PF 2", rid);
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite world_pfs_suite = {
	.suite_name = "emulated world: 4 PFs x 256 VFs",
	.setup = test_world_setup,
	.unit_test_cases = {
		TEST_CASE(test_pfs_each_pf_has_its_vfs_uio_and_bars),
		TEST_CASE(test_pfs_numvfs_of_pf3_changes_only_pf3),
		TEST_CASE(test_pfs_flr_of_a_vf_of_pf2_resets_only_that_vf),
		TEST_CASES_END()
	}
};

static int
test_world_pfs(void)
{
	return unit_test_suite_runner(&world_pfs_suite);
}

REGISTER_WORLD_TEST_COMMAND(world_pfs_autotest, test_world_pfs, WORLD_PFS_OPTS);
