/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * EAL's PCI bus, scanning an emulated world, finds the PF and exactly the
 * VFs its SR-IOV capability implies. Expected addresses are computed here
 * from the topology each command asks vfbc-world for.
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <bus_driver.h>
#include <bus_pci_driver.h>
#include <rte_pci.h>

#include <vfbc_pci_ids.h>
#include <vfbc_pci_regs.h>

#include "test.h"

struct world_scan_topo {
	uint64_t bar0_size;
	uint64_t vf_bar0_size;
	uint16_t pf_rid;
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vendor_id;
	uint16_t pf_device_id;
	uint16_t vf_device_id;
};

/* vfbc-world's defaults. */
static const struct world_scan_topo world_scan_default = {
	.bar0_size = 0x100000, .vf_bar0_size = 0x10000, .pf_rid = 0x0100,
	.total_vfs = 8, .num_vfs = 8, .vf_offset = 1, .vf_stride = 1,
	.vendor_id = VFBC_PCI_VENDOR_ID, .pf_device_id = VFBC_PCI_PF_DEVICE_ID,
	.vf_device_id = VFBC_PCI_VF_DEVICE_ID,
};

/* VFs 64..69 land on the next bus; not all VFs enabled. */
#define WORLD_SCAN_CROSS_BUS_OPTS "--pf 0000:05:00.0 --total-vfs 80 --num-vfs 70 " \
	"--vf-offset 0x80 --vf-stride 2 --vendor 0x1234 --pf-device 0x7e50 " \
	"--vf-device 0x7e51 --bar0-size 0x400000 --vf-bar0-size 0x4000"
static const struct world_scan_topo world_scan_cross_bus = {
	.bar0_size = 0x400000, .vf_bar0_size = 0x4000, .pf_rid = 0x0500,
	.total_vfs = 80, .num_vfs = 70, .vf_offset = 0x80, .vf_stride = 2,
	.vendor_id = 0x1234, .pf_device_id = 0x7e50, .vf_device_id = 0x7e51,
};

/* A PF at a non-zero function; stride 0 is legal with one VF. */
#define WORLD_SCAN_SINGLE_VF_OPTS "--pf 0000:0a:03.2 --total-vfs 1 --vf-offset 3 " \
	"--vf-stride 0 --vf-cfg-size 256"
static const struct world_scan_topo world_scan_single_vf = {
	.bar0_size = 0x100000, .vf_bar0_size = 0x10000, .pf_rid = 0x0a1a,
	.total_vfs = 1, .num_vfs = 1, .vf_offset = 3, .vf_stride = 0,
	.vendor_id = VFBC_PCI_VENDOR_ID, .pf_device_id = VFBC_PCI_PF_DEVICE_ID,
	.vf_device_id = VFBC_PCI_VF_DEVICE_ID,
};

static const struct world_scan_topo *world_scan_topo;

static struct rte_pci_addr
world_scan_addr(uint32_t rid)
{
	struct rte_pci_addr a;

	memset(&a, 0, sizeof(a));
	a.bus = rid >> 8;
	a.devid = (rid >> 3) & 0x1f;
	a.function = rid & 0x7;
	return a;
}

static uint32_t
world_scan_vf_rid(unsigned int i)
{
	return world_scan_topo->pf_rid + world_scan_topo->vf_offset +
		(uint32_t)world_scan_topo->vf_stride * i;
}

static int
world_scan_match_any(const struct rte_device *dev, const void *data)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(data);
	return 0;
}

static struct rte_pci_device *
world_scan_find(uint32_t rid)
{
	struct rte_pci_addr addr;
	struct rte_device *dev;
	struct rte_bus *bus;

	addr = world_scan_addr(rid);
	bus = rte_bus_find_by_name("pci");
	if (bus == NULL)
		return NULL;
	for (dev = bus->find_device(NULL, world_scan_match_any, NULL); dev != NULL;
			dev = bus->find_device(dev, world_scan_match_any, NULL))
		if (rte_pci_addr_cmp(&RTE_DEV_TO_PCI(dev)->addr, &addr) == 0)
			return RTE_DEV_TO_PCI(dev);
	return NULL;
}

/* The PF's config space, read from its world file as the kernel would. */
static int
world_scan_pf_config(uint8_t cfg[4096])
{
	char path[256];
	int fd;
	int n;

	snprintf(path, sizeof(path), "%s/devices/0000:%02x:%02x.%u/config",
		vfbc_test_world_dir(), world_scan_topo->pf_rid >> 8,
		(world_scan_topo->pf_rid >> 3) & 0x1f, world_scan_topo->pf_rid & 7);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, cfg, 4096, 0);
	close(fd);
	return n == 4096 ? 0 : -1;
}

static uint32_t
world_scan_get(const uint8_t *cfg, unsigned int off, unsigned int len)
{
	uint32_t v;
	unsigned int i;

	v = 0;
	for (i = 0; i < len; i++)
		v |= (uint32_t)cfg[off + i] << (8 * i);
	return v;
}

/* Offset of the SR-IOV capability, walking the extended capability list. */
static unsigned int
world_scan_sriov(const uint8_t *cfg)
{
	unsigned int off;
	unsigned int hops;
	uint32_t hdr;

	off = VFBC_PCI_EXT_CAP_START;
	for (hops = 0; off >= VFBC_PCI_EXT_CAP_START && off < 4096 && hops < 64; hops++) {
		hdr = world_scan_get(cfg, off, 4);
		if (RTE_PCI_EXT_CAP_ID(hdr) == RTE_PCI_EXT_CAP_ID_SRIOV)
			return off;
		off = RTE_PCI_EXT_CAP_NEXT(hdr);
	}
	return 0;
}

static int
world_scan_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not inside a vfbc world");
	return vfbc_test_eal_init("-m 64");
}

static int
test_scan_finds_pf_and_exactly_the_enabled_vfs(void)
{
	struct rte_device *dev;
	struct rte_bus *bus;
	unsigned int count;
	unsigned int i;

	bus = rte_bus_find_by_name("pci");
	TEST_ASSERT_NOT_NULL(bus, "no pci bus");
	count = 0;
	for (dev = bus->find_device(NULL, world_scan_match_any, NULL); dev != NULL;
			dev = bus->find_device(dev, world_scan_match_any, NULL))
		count++;
	TEST_ASSERT_EQUAL(count, 1u + world_scan_topo->num_vfs,
		"bus has %u devices, expected PF + %u VFs", count, world_scan_topo->num_vfs);
	TEST_ASSERT_NOT_NULL(world_scan_find(world_scan_topo->pf_rid), "PF not found");
	for (i = 0; i < world_scan_topo->num_vfs; i++)
		TEST_ASSERT_NOT_NULL(world_scan_find(world_scan_vf_rid(i)),
			"VF %u (routing ID 0x%04x) not found", i, world_scan_vf_rid(i));
	return TEST_SUCCESS;
}

static int
test_scan_ids_max_vfs_and_kernel_driver(void)
{
	struct rte_pci_device *pf;
	struct rte_pci_device *vf;
	unsigned int i;

	pf = world_scan_find(world_scan_topo->pf_rid);
	TEST_ASSERT_NOT_NULL(pf, "PF not found");
	TEST_ASSERT_EQUAL(pf->id.vendor_id, world_scan_topo->vendor_id, "PF vendor");
	TEST_ASSERT_EQUAL(pf->id.device_id, world_scan_topo->pf_device_id, "PF device");
	TEST_ASSERT_EQUAL(pf->id.class_id, 0x020000u, "PF class 0x%x", pf->id.class_id);
	TEST_ASSERT_EQUAL(pf->max_vfs, world_scan_topo->num_vfs, "PF max_vfs %u", pf->max_vfs);
	TEST_ASSERT_EQUAL(pf->kdrv, RTE_PCI_KDRV_UIO_GENERIC, "PF kdrv %d", pf->kdrv);
	for (i = 0; i < world_scan_topo->num_vfs; i++) {
		vf = world_scan_find(world_scan_vf_rid(i));
		TEST_ASSERT_NOT_NULL(vf, "VF %u not found", i);
		/* sysfs shows a VF's virtualized IDs: PF vendor, VF Device ID. */
		TEST_ASSERT_EQUAL(vf->id.vendor_id, world_scan_topo->vendor_id, "VF %u vendor", i);
		TEST_ASSERT_EQUAL(vf->id.device_id, world_scan_topo->vf_device_id,
			"VF %u device 0x%x", i, vf->id.device_id);
		TEST_ASSERT_EQUAL(vf->max_vfs, 0, "VF %u max_vfs %u", i, vf->max_vfs);
		TEST_ASSERT_EQUAL(vf->kdrv, RTE_PCI_KDRV_UIO_GENERIC, "VF %u kdrv", i);
	}
	return TEST_SUCCESS;
}

static int
test_scan_bars_match_config_space(void)
{
	uint8_t cfg[4096];
	struct rte_pci_device *pf;
	struct rte_pci_device *vf;
	uint64_t vf_base;
	uint64_t bar;
	unsigned int i;

	pf = world_scan_find(world_scan_topo->pf_rid);
	TEST_ASSERT_NOT_NULL(pf, "PF not found");
	TEST_ASSERT_SUCCESS(world_scan_pf_config(cfg), "cannot read the PF's config file");
	TEST_ASSERT_EQUAL(pf->mem_resource[0].len, world_scan_topo->bar0_size,
		"PF BAR0 length 0x%" PRIx64, pf->mem_resource[0].len);
	bar = world_scan_get(cfg, VFBC_PCI_BASE_ADDRESS_0, 4) |
		(uint64_t)world_scan_get(cfg, VFBC_PCI_BASE_ADDRESS_0 + 4, 4) << 32;
	TEST_ASSERT(bar & VFBC_PCI_BAR_MEM_TYPE_64, "PF BAR0 is not a 64-bit BAR");
	TEST_ASSERT_EQUAL(bar & ~(uint64_t)0xf, pf->mem_resource[0].phys_addr,
		"PF BAR0 0x%" PRIx64 " in config space, 0x%" PRIx64 " in sysfs", bar,
		pf->mem_resource[0].phys_addr);
	TEST_ASSERT_EQUAL(pf->mem_resource[0].phys_addr % world_scan_topo->bar0_size, 0u,
		"PF BAR0 not naturally aligned");

	i = world_scan_sriov(cfg);
	TEST_ASSERT(i != 0, "no SR-IOV capability");
	vf_base = world_scan_get(cfg, i + VFBC_PCI_SRIOV_BAR, 4) |
		(uint64_t)world_scan_get(cfg, i + VFBC_PCI_SRIOV_BAR + 4, 4) << 32;
	TEST_ASSERT(vf_base & VFBC_PCI_BAR_MEM_TYPE_64, "VF BAR0 is not a 64-bit BAR");
	vf_base &= ~(uint64_t)0xf;
	for (i = 0; i < world_scan_topo->num_vfs; i++) {
		vf = world_scan_find(world_scan_vf_rid(i));
		TEST_ASSERT_NOT_NULL(vf, "VF %u not found", i);
		TEST_ASSERT_EQUAL(vf->mem_resource[0].len, world_scan_topo->vf_bar0_size,
			"VF %u BAR0 length 0x%" PRIx64, i, vf->mem_resource[0].len);
		TEST_ASSERT_EQUAL(vf->mem_resource[0].phys_addr,
			vf_base + i * world_scan_topo->vf_bar0_size,
			"VF %u BAR0 at 0x%" PRIx64 ", SR-IOV VF BAR0 0x%" PRIx64, i,
			vf->mem_resource[0].phys_addr, vf_base);
	}
	return TEST_SUCCESS;
}

/* What a PF driver reads to find its VFs agrees with the topology. */
static int
test_scan_sriov_capability_describes_the_vfs(void)
{
	uint8_t cfg[4096];
	unsigned int sriov;
	uint16_t ctrl;

	TEST_ASSERT_SUCCESS(world_scan_pf_config(cfg), "cannot read the PF's config file");
	TEST_ASSERT(world_scan_get(cfg, VFBC_PCI_STATUS, 2) & VFBC_PCI_STATUS_CAP_LIST,
		"no capability list");
	sriov = world_scan_sriov(cfg);
	TEST_ASSERT(sriov != 0, "no SR-IOV capability");
	TEST_ASSERT_EQUAL(VFBC_PCI_EXT_CAP_VER(world_scan_get(cfg, sriov, 4)), 1u,
		"SR-IOV capability version");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_TOTAL_VF, 2),
		world_scan_topo->total_vfs, "TotalVFs");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_INITIAL_VF, 2),
		world_scan_topo->total_vfs, "InitialVFs");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_NUM_VF, 2),
		world_scan_topo->num_vfs, "NumVFs");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_VF_OFFSET, 2),
		world_scan_topo->vf_offset, "First VF Offset");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_VF_STRIDE, 2),
		world_scan_topo->vf_stride, "VF Stride");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_VF_DID, 2),
		world_scan_topo->vf_device_id, "VF Device ID");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + RTE_PCI_SRIOV_SUP_PGSIZE, 4), 0x553u,
		"Supported Page Sizes");
	TEST_ASSERT_EQUAL(world_scan_get(cfg, sriov + VFBC_PCI_SRIOV_SYS_PGSIZE, 4), 0x1u,
		"System Page Size");
	ctrl = world_scan_get(cfg, sriov + RTE_PCI_SRIOV_CTRL, 2);
	TEST_ASSERT_EQUAL(!!(ctrl & VFBC_PCI_SRIOV_CTRL_VFE), world_scan_topo->num_vfs > 0,
		"VF Enable 0x%x", ctrl);
	TEST_ASSERT_EQUAL(!!(ctrl & VFBC_PCI_SRIOV_CTRL_MSE), world_scan_topo->num_vfs > 0,
		"VF MSE 0x%x", ctrl);
	return TEST_SUCCESS;
}

static struct unit_test_suite world_scan_suite = {
	.suite_name = "emulated world: EAL PCI scan",
	.setup = world_scan_setup,
	.unit_test_cases = {
		TEST_CASE(test_scan_finds_pf_and_exactly_the_enabled_vfs),
		TEST_CASE(test_scan_ids_max_vfs_and_kernel_driver),
		TEST_CASE(test_scan_bars_match_config_space),
		TEST_CASE(test_scan_sriov_capability_describes_the_vfs),
		TEST_CASES_END()
	}
};

static int
test_world_scan_default(void)
{
	world_scan_topo = &world_scan_default;
	return unit_test_suite_runner(&world_scan_suite);
}

static int
test_world_scan_cross_bus(void)
{
	world_scan_topo = &world_scan_cross_bus;
	return unit_test_suite_runner(&world_scan_suite);
}

static int
test_world_scan_single_vf(void)
{
	world_scan_topo = &world_scan_single_vf;
	return unit_test_suite_runner(&world_scan_suite);
}

REGISTER_WORLD_TEST_COMMAND(world_scan_default_autotest, test_world_scan_default, "");
REGISTER_WORLD_TEST_COMMAND(world_scan_cross_bus_autotest, test_world_scan_cross_bus,
	WORLD_SCAN_CROSS_BUS_OPTS);
REGISTER_WORLD_TEST_COMMAND(world_scan_single_vf_autotest, test_world_scan_single_vf,
	WORLD_SCAN_SINGLE_VF_OPTS);
