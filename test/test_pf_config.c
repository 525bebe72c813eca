/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf VF config-space access on several world topologies: every
 * write lands in exactly the target VF's config file, at exactly the target
 * bytes, and reads back through the API.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

#define PF_MAX_LEN 64

static uint16_t pf_port;
static struct test_pf_topo pf_topo;

static int
test_pf_config_setup(void)
{
	int ret;

	ret = test_pf_world_start(&pf_port, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "cannot read the PF's config file");
	TEST_ASSERT(pf_topo.num_vfs > 0, "the world has no VF enabled");
	return TEST_SUCCESS;
}

/* Never set Initiate FLR in Device Control: the device would reset the VF. */
static void
pf_mask_flr(const struct test_pf_file *f, uint32_t off, uint8_t *data, uint32_t len)
{
	unsigned int exp = test_pf_find_cap(f->data, VFBC_PCI_CAP_ID_EXP);
	uint32_t hi;

	if (exp == 0)
		return;
	hi = exp + VFBC_PCI_EXP_DEVCTL + 1;
	if (hi >= off && hi < off + len)
		data[hi - off] &= (uint8_t)~(VFBC_PCI_EXP_DEVCTL_BCR_FLR >> 8);
}

/*
 * Write len bytes at off of VF vf (through the errno API or the NDIS one),
 * check every config file of the world, read them back, restore the old bytes
 * and check again.
 */
static int
pf_check_write(uint16_t vf, uint32_t off, uint32_t len, uint32_t seed, int ndis)
{
	uint8_t data[PF_MAX_LEN], back[PF_MAX_LEN], orig[PF_MAX_LEN];
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	int ret, rc = TEST_FAILED;

	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "VF %u unroutable", vf);
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	f = test_pf_snap_find(&snap, &addr);
	if (f == NULL) {
		printf("VF %u has no config file in the world\n", vf);
		goto out;
	}
	if (off + len > f->len) {
		printf("test bug: 0x%x+%u beyond %u\n", off, len, f->len);
		goto out;
	}
	test_pf_fill(data, len, seed);
	pf_mask_flr(f, off, data, len);
	memcpy(orig, f->data + off, len);

	if (ndis)
		ret = (int)vfbc_pf_set_vf_bus_data(pf_port, vf, data, off, len);
	else
		ret = vfbc_pf_write_vf_config(pf_port, vf, data, off, len);
	if (ret != (int)len) {
		printf("VF %u: write of %u bytes at 0x%x returned %d\n", vf, len, off, ret);
		goto out;
	}
	memcpy(f->data + off, data, len);
	if (test_pf_snap_check(&snap) != 0) {
		printf("after writing %u bytes at 0x%x of VF %u\n", len, off, vf);
		goto out;
	}
	memset(back, 0, sizeof(back));
	if (ndis)
		ret = vfbc_pf_read_vf_config(pf_port, vf, back, off, len);
	else
		ret = (int)vfbc_pf_get_vf_bus_data(pf_port, vf, back, off, len);
	if (ret != (int)len || memcmp(back, data, len) != 0) {
		printf("VF %u: read back of %u bytes at 0x%x returned %d or other bytes\n",
		       vf, len, off, ret);
		goto out;
	}
	ret = vfbc_pf_write_vf_config(pf_port, vf, orig, off, len);
	memcpy(f->data + off, orig, len);
	if (ret != (int)len || test_pf_snap_check(&snap) != 0) {
		printf("VF %u: restoring %u bytes at 0x%x failed (%d)\n", vf, len, off, ret);
		goto out;
	}
	rc = TEST_SUCCESS;
out:
	test_pf_snap_free(&snap);
	return rc;
}

static uint32_t
pf_cfg_size(uint16_t vf)
{
	struct vfbc_pf_vf_info info;

	if (vfbc_pf_get_vf_info(pf_port, vf, &info) != 0)
		return 0;
	return info.cfg_size;
}

static int
test_pf_vf_info_matches_world(void)
{
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	uint16_t i;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), pf_topo.num_vfs, "VF count");
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	for (i = 0; i < pf_topo.num_vfs && ret == TEST_SUCCESS; i++) {
		if (test_pf_vf_addr(&pf_topo, i, &addr) != 0 ||
		    vfbc_pf_get_vf_info(pf_port, i, &info) != 0) {
			printf("VF %u: no address or info\n", i);
			ret = TEST_FAILED;
			break;
		}
		f = test_pf_snap_find(&snap, &addr);
		if (f == NULL || info.state != VFBC_PF_VF_READY ||
		    rte_pci_addr_cmp(&info.addr, &addr) != 0 || info.cfg_size != f->len ||
		    info.vf_id != i || info.vendor_id != pf_topo.pf_vendor ||
		    info.device_id != pf_topo.vf_device || !info.mapped_by_pf) {
			printf("VF %u: state %s cfg_size %u, file %s; expected ready at "
			       PCI_PRI_FMT "\n", i, vfbc_pf_vf_state_str(info.state),
			       info.cfg_size, f != NULL ? f->name : "missing", addr.domain,
			       addr.bus, addr.devid, addr.function);
			ret = TEST_FAILED;
		}
	}
	test_pf_snap_free(&snap);
	return ret;
}

static int
test_pf_write_every_length_aligned(void)
{
	uint32_t len;
	uint16_t vf;

	for (len = 1; len <= PF_MAX_LEN; len++) {
		vf = (uint16_t)(len % pf_topo.num_vfs);
		TEST_ASSERT_SUCCESS(pf_check_write(vf, 0x40 * (len % 3), len, len, len & 1),
				    "aligned write of %u bytes", len);
	}
	return TEST_SUCCESS;
}

static int
test_pf_write_every_length_unaligned(void)
{
	uint32_t len;
	uint16_t vf;

	for (len = 1; len <= PF_MAX_LEN; len++) {
		vf = (uint16_t)((len * 7) % pf_topo.num_vfs);
		TEST_ASSERT_SUCCESS(pf_check_write(vf, 0x40 * (len % 3) + 1 + len % 3, len,
						   len + 1000, !(len & 1)),
				    "unaligned write of %u bytes", len);
	}
	return TEST_SUCCESS;
}

static int
test_pf_write_every_length_at_config_end(void)
{
	uint16_t last = pf_topo.num_vfs - 1;
	uint32_t len, size;

	size = pf_cfg_size(last);
	TEST_ASSERT(size == 256 || size == 4096, "VF %u config size %u", last, size);
	for (len = 1; len <= PF_MAX_LEN; len++) {
		TEST_ASSERT_SUCCESS(pf_check_write(last, size - len, len, len + 2000, len & 1),
				    "write of the last %u bytes", len);
		TEST_ASSERT_SUCCESS(pf_check_write(0, size - len - 1, len, len + 3000, 0),
				    "unaligned write ending 1 byte before the end, %u bytes",
				    len);
	}
	return TEST_SUCCESS;
}

static int
test_pf_write_reaches_every_vf(void)
{
	uint16_t vf;

	for (vf = 0; vf < pf_topo.num_vfs; vf++)
		TEST_ASSERT_SUCCESS(pf_check_write(vf, 0xa0 + vf % 16, 4, vf + 4000, vf & 1),
				    "write to VF %u", vf);
	return TEST_SUCCESS;
}

static int
test_pf_xstats_count_config_accesses(void)
{
	uint64_t w0, wb0, r0, rb0;
	uint8_t buf[16];

	w0 = test_pf_xstat(pf_port, "vf_cfg_writes");
	wb0 = test_pf_xstat(pf_port, "vf_cfg_write_bytes");
	r0 = test_pf_xstat(pf_port, "vf_cfg_reads");
	rb0 = test_pf_xstat(pf_port, "vf_cfg_read_bytes");
	TEST_ASSERT(w0 != UINT64_MAX && r0 != UINT64_MAX, "xstats missing");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 0, buf, 0xa0, 16), 16, "read");
	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(pf_port, 0, buf, 0xa0, 16), 16, "write");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 0, buf, 0xa0, 3), 3, "read");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_writes"), w0 + 1, "writes");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_write_bytes"), wb0 + 16, "w bytes");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_reads"), r0 + 2, "reads");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_read_bytes"), rb0 + 19, "r bytes");
	return TEST_SUCCESS;
}

static int
test_pf_range_beyond_vf_config_is_einval(void)
{
	uint8_t buf[8] = { 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5 };
	struct test_pf_snap snap;
	uint32_t size;
	int r1, r2, r3, ok;

	size = pf_cfg_size(0);
	TEST_ASSERT(size == 256 || size == 4096, "VF 0 config size %u", size);
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	r1 = vfbc_pf_write_vf_config(pf_port, 0, buf, size - 3, 4);
	r2 = vfbc_pf_write_vf_config(pf_port, 0, buf, size, 1);
	r3 = vfbc_pf_read_vf_config(pf_port, 0, buf, size - 1, 2);
	ok = test_pf_snap_check(&snap) == 0;
	test_pf_snap_free(&snap);
	TEST_ASSERT_EQUAL(r1, -EINVAL, "4 bytes at %u accepted", size - 3);
	TEST_ASSERT_EQUAL(r2, -EINVAL, "1 byte at %u accepted", size);
	TEST_ASSERT_EQUAL(r3, -EINVAL, "read across %u accepted", size);
	TEST_ASSERT(ok, "a config file changed");
	return TEST_SUCCESS;
}

#define PF_MT_THREADS 4
#define PF_MT_CALLS 500

static void *
pf_mt_reader(void *arg)
{
	uintptr_t t = (uintptr_t)arg;
	uint8_t buf[4];
	unsigned int i, bad = 0;

	for (i = 0; i < PF_MT_CALLS; i++)
		if (vfbc_pf_read_vf_config(pf_port, (uint16_t)((t + i) % pf_topo.num_vfs), buf,
					   (uint32_t)(i % 60) * 4, 4) != 4)
			bad++;
	return (void *)(uintptr_t)bad;
}

static int
test_pf_concurrent_reads_are_all_counted(void)
{
	pthread_t th[PF_MT_THREADS];
	uint64_t r0, rb0;
	uintptr_t t, bad = 0;
	void *res;

	r0 = test_pf_xstat(pf_port, "vf_cfg_reads");
	rb0 = test_pf_xstat(pf_port, "vf_cfg_read_bytes");
	for (t = 0; t < PF_MT_THREADS; t++)
		TEST_ASSERT_SUCCESS(pthread_create(&th[t], NULL, pf_mt_reader, (void *)t),
				    "thread");
	for (t = 0; t < PF_MT_THREADS; t++) {
		pthread_join(th[t], &res);
		bad += (uintptr_t)res;
	}
	TEST_ASSERT_EQUAL(bad, 0u, "%u concurrent reads failed", (unsigned int)bad);
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_reads"),
			  r0 + PF_MT_THREADS * PF_MT_CALLS, "vf_cfg_reads");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_read_bytes"),
			  rb0 + PF_MT_THREADS * PF_MT_CALLS * 4, "vf_cfg_read_bytes");
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_config_suite = {
	.suite_name = "net_vfbc_pf VF config-space access",
	.setup = test_pf_config_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_vf_info_matches_world),
		TEST_CASE(test_pf_write_every_length_aligned),
		TEST_CASE(test_pf_write_every_length_unaligned),
		TEST_CASE(test_pf_write_every_length_at_config_end),
		TEST_CASE(test_pf_write_reaches_every_vf),
		TEST_CASE(test_pf_range_beyond_vf_config_is_einval),
		TEST_CASE(test_pf_xstats_count_config_accesses),
		TEST_CASE(test_pf_concurrent_reads_are_all_counted),
		TEST_CASES_END()
	}
};

static int
test_pf_config(void)
{
	return unit_test_suite_runner(&test_pf_config_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_config_default_autotest, test_pf_config, "");
REGISTER_WORLD_TEST_COMMAND(pf_config_bus_crossing_autotest, test_pf_config,
			    "--vf-offset 0x80 --vf-stride 2 --total-vfs 100");
REGISTER_WORLD_TEST_COMMAND(pf_config_single_vf_autotest, test_pf_config, "--total-vfs 1");
REGISTER_WORLD_TEST_COMMAND(pf_config_cfg256_autotest, test_pf_config, "--vf-cfg-size 256");
