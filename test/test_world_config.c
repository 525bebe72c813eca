/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Config-space I/O through EAL's PCI layer in an emulated world lands in
 * exactly the addressed VF's config space; a VF FLR resets that VF alone;
 * a secondary process started in the world shares the primary's devices.
 * Non-vfbc device IDs keep vfbc's own drivers from probing these devices.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus.h>
#include <bus_driver.h>
#include <bus_pci_driver.h>
#include <rte_eal.h>
#include <rte_interrupts.h>
#include <rte_memzone.h>
#include <rte_pci.h>

#include <vfbc_launch.h>
#include <vfbc_pci_regs.h>

#include "test.h"

#define WORLD_CONFIG_OPTS	"--pf 0000:02:00.0 --total-vfs 4 --pf-device 0x7e50 " \
				"--vf-device 0x7e51"
#define WORLD_CONFIG_PF_RID	0x0200
#define WORLD_CONFIG_NB_FN	5	/* PF + 4 VFs at offset 1, stride 1 */
#define WORLD_CONFIG_CFG_SIZE	4096
#define WORLD_CONFIG_PATTERN	0x5aa5c33cu
#define WORLD_CONFIG_SCRATCH	0xc0	/* past the capabilities */
#define WORLD_CONFIG_PEER_ENV	"VFBC_TEST_WORLD_PEER"
#define WORLD_CONFIG_PEER_MZ	"world_config_peer"
#define WORLD_CONFIG_BAR_MAGIC	0x600dcafeu
#define WORLD_CONFIG_BAR_REPLY	0xfeedf00du

static uint8_t world_config_snap[WORLD_CONFIG_NB_FN][WORLD_CONFIG_CFG_SIZE];

static uint32_t
world_config_rid(unsigned int fn)
{
	return WORLD_CONFIG_PF_RID + fn; /* fn 0 is the PF, fn i is VF i - 1 */
}

static int
world_config_match_addr(const struct rte_device *dev, const void *data)
{
	return rte_pci_addr_cmp(&RTE_DEV_TO_PCI_CONST(dev)->addr, data);
}

static struct rte_pci_device *
world_config_find(uint32_t rid)
{
	struct rte_pci_addr addr;
	struct rte_device *dev;
	struct rte_bus *bus;

	memset(&addr, 0, sizeof(addr));
	addr.bus = rid >> 8;
	addr.devid = (rid >> 3) & 0x1f;
	addr.function = rid & 7;
	bus = rte_bus_find_by_name("pci");
	if (bus == NULL)
		return NULL;
	dev = bus->find_device(NULL, world_config_match_addr, &addr);
	return dev == NULL ? NULL : RTE_DEV_TO_PCI(dev);
}

/*
 * rte_pci_map_device() on a device no driver probed: EAL allocates the
 * interrupt instance (which holds the uio fds) only when a driver probes.
 */
static int
world_config_map(struct rte_pci_device *dev)
{
	if (dev->intr_handle == NULL) {
		dev->intr_handle = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
		if (dev->intr_handle == NULL)
			return -ENOMEM;
	}
	return rte_pci_map_device(dev);
}

static int
world_config_read_file(uint32_t rid, uint8_t *buf)
{
	char path[256];
	int fd;
	int n;

	snprintf(path, sizeof(path), "%s/devices/0000:%02x:%02x.%u/config",
		vfbc_test_world_dir(), rid >> 8, (rid >> 3) & 0x1f, rid & 7);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, WORLD_CONFIG_CFG_SIZE, 0);
	close(fd);
	return n == WORLD_CONFIG_CFG_SIZE ? 0 : -EIO;
}

static int
world_config_snapshot(uint8_t snap[][WORLD_CONFIG_CFG_SIZE])
{
	unsigned int fn;

	for (fn = 0; fn < WORLD_CONFIG_NB_FN; fn++)
		if (world_config_read_file(world_config_rid(fn), snap[fn]) < 0)
			return -1;
	return 0;
}

/* Offset of the PCIe capability, walking the capability list via EAL. */
static int
world_config_pcie_cap(const struct rte_pci_device *dev)
{
	uint8_t pos;
	uint8_t id;
	int hops;

	if (rte_pci_read_config(dev, &pos, 1, VFBC_PCI_CAPABILITY_LIST) != 1)
		return -1;
	for (hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (rte_pci_read_config(dev, &id, 1, pos) != 1)
			return -1;
		if (id == VFBC_PCI_CAP_ID_EXP)
			return pos;
		if (rte_pci_read_config(dev, &pos, 1, pos + 1) != 1)
			return -1;
	}
	return -1;
}

static int
world_config_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not inside a vfbc world");
	/* Mapping a uio device needs physical addresses, hence hugepages. */
	return vfbc_test_eal_init("-m 64");
}

static int
test_config_write_lands_in_that_vf_only(void)
{
	static uint8_t after[WORLD_CONFIG_NB_FN][WORLD_CONFIG_CFG_SIZE];
	struct rte_pci_device *vf;
	uint32_t val;
	unsigned int fn;
	unsigned int i;
	int ret;

	vf = world_config_find(world_config_rid(3));
	TEST_ASSERT_NOT_NULL(vf, "VF 2 not on the bus");
	TEST_ASSERT_SUCCESS(world_config_map(vf), "rte_pci_map_device(VF 2) failed");
	TEST_ASSERT_SUCCESS(world_config_snapshot(world_config_snap), "snapshot");

	val = WORLD_CONFIG_PATTERN;
	ret = rte_pci_write_config(vf, &val, sizeof(val), WORLD_CONFIG_SCRATCH);
	TEST_ASSERT_EQUAL(ret, (int)sizeof(val), "rte_pci_write_config returned %d", ret);
	TEST_ASSERT_SUCCESS(world_config_snapshot(after), "snapshot");
	for (fn = 0; fn < WORLD_CONFIG_NB_FN; fn++) {
		for (i = 0; i < WORLD_CONFIG_CFG_SIZE; i++) {
			if (fn == 3 && i >= WORLD_CONFIG_SCRATCH &&
					i < WORLD_CONFIG_SCRATCH + sizeof(val))
				continue;
			TEST_ASSERT_EQUAL(after[fn][i], world_config_snap[fn][i],
				"function %u byte 0x%x changed", fn, i);
		}
	}
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&after[3][WORLD_CONFIG_SCRATCH], &val, sizeof(val),
		"VF 2's config file lacks the written bytes");

	val = 0;
	ret = rte_pci_read_config(vf, &val, sizeof(val), WORLD_CONFIG_SCRATCH);
	TEST_ASSERT_EQUAL(ret, (int)sizeof(val), "rte_pci_read_config returned %d", ret);
	TEST_ASSERT_EQUAL(val, WORLD_CONFIG_PATTERN, "read back 0x%08x", val);
	return TEST_SUCCESS;
}

static int
test_config_vf_ids_read_all_ones(void)
{
	struct rte_pci_device *vf;
	uint32_t ids;

	vf = world_config_find(world_config_rid(3));
	TEST_ASSERT_NOT_NULL(vf, "VF 2 not on the bus");
	TEST_ASSERT_EQUAL(rte_pci_read_config(vf, &ids, 4, RTE_PCI_VENDOR_ID), 4, "read IDs");
	TEST_ASSERT_EQUAL(ids, 0xffffffffu, "VF Vendor/Device ID 0x%08x", ids);
	return TEST_SUCCESS;
}

static int
test_flr_resets_that_vf_only(void)
{
	static uint8_t after[WORLD_CONFIG_NB_FN][WORLD_CONFIG_CFG_SIZE];
	struct rte_pci_device *vf;
	struct timespec ts;
	uint32_t devcap;
	uint16_t devctl;
	unsigned int fn;
	int tries;
	int cap;

	vf = world_config_find(world_config_rid(3));
	TEST_ASSERT_NOT_NULL(vf, "VF 2 not on the bus");
	cap = world_config_pcie_cap(vf);
	TEST_ASSERT(cap > 0, "VF 2 has no PCIe capability");
	TEST_ASSERT_EQUAL(rte_pci_read_config(vf, &devcap, 4, cap + VFBC_PCI_EXP_DEVCAP), 4,
		"read DEVCAP");
	TEST_ASSERT(devcap & VFBC_PCI_EXP_DEVCAP_FLR, "VF 2 is not FLR capable");
	TEST_ASSERT_SUCCESS(world_config_snapshot(world_config_snap), "snapshot");
	/* The reset must undo this VF's earlier writes (bus master, pattern). */
	TEST_ASSERT(memcmp(world_config_snap[3], world_config_snap[4], WORLD_CONFIG_CFG_SIZE),
		"VF 2 already in its power-on state");

	TEST_ASSERT_EQUAL(rte_pci_read_config(vf, &devctl, 2, cap + VFBC_PCI_EXP_DEVCTL), 2,
		"read DEVCTL");
	devctl |= VFBC_PCI_EXP_DEVCTL_BCR_FLR;
	TEST_ASSERT_EQUAL(rte_pci_write_config(vf, &devctl, 2, cap + VFBC_PCI_EXP_DEVCTL), 2,
		"write DEVCTL");

	/* The spec gives a function 100 ms to complete an FLR. */
	ts.tv_sec = 0;
	ts.tv_nsec = 10 * 1000 * 1000;
	for (tries = 0; tries < 100; tries++) {
		TEST_ASSERT_SUCCESS(world_config_snapshot(after), "snapshot");
		if (memcmp(after[3], after[4], WORLD_CONFIG_CFG_SIZE) == 0)
			break;
		nanosleep(&ts, NULL);
	}
	/* VF 3 was never touched: it shows a VF's power-on contents. */
	TEST_ASSERT_BUFFERS_ARE_EQUAL(after[3], after[4], WORLD_CONFIG_CFG_SIZE,
		"VF 2 not back to its power-on config space after FLR");
	for (fn = 0; fn < WORLD_CONFIG_NB_FN; fn++)
		if (fn != 3)
			TEST_ASSERT_BUFFERS_ARE_EQUAL(after[fn], world_config_snap[fn],
				WORLD_CONFIG_CFG_SIZE, "FLR of VF 2 changed function %u", fn);
	TEST_ASSERT_EQUAL(rte_pci_read_config(vf, &devctl, 2, cap + VFBC_PCI_EXP_DEVCTL), 2,
		"read DEVCTL");
	TEST_ASSERT_EQUAL(devctl & VFBC_PCI_EXP_DEVCTL_BCR_FLR, 0, "Initiate FLR still reads 1");
	return TEST_SUCCESS;
}

/* Run the peer command in a secondary process; its exit status. */
static int
world_config_run_peer(const char *spec)
{
	char *argv[] = {
		(char *)(uintptr_t)vfbc_test_self_path(), (char *)(uintptr_t)"--run-one",
		(char *)(uintptr_t)"world_config_peer_autotest", NULL,
	};
	char peer[512];
	const char *env[] = { peer, NULL };
	struct vfbc_launch l = { .argv = argv, .env = env };

	snprintf(peer, sizeof(peer), WORLD_CONFIG_PEER_ENV "=%s", spec);
	return vfbc_launch_run(&l, VFBC_LAUNCH_FOREVER);
}

static int
test_secondary_shares_the_primary_world(void)
{
	const struct rte_memzone *mz;
	struct rte_pci_device *vf;
	volatile uint32_t *bar;
	char spec[256];
	const char *dir;
	uint32_t val;
	int ret;

	vf = world_config_find(world_config_rid(2));
	TEST_ASSERT_NOT_NULL(vf, "VF 1 not on the bus");
	TEST_ASSERT_SUCCESS(world_config_map(vf), "rte_pci_map_device(VF 1) failed");
	val = WORLD_CONFIG_PATTERN;
	TEST_ASSERT_EQUAL(rte_pci_write_config(vf, &val, 4, WORLD_CONFIG_SCRATCH), 4, "write");
	bar = vf->mem_resource[0].addr;
	TEST_ASSERT_NOT_NULL(bar, "VF 1 BAR0 not mapped");
	bar[0] = WORLD_CONFIG_BAR_MAGIC;
	bar[1] = 0;
	mz = rte_memzone_reserve(WORLD_CONFIG_PEER_MZ, 64, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "rte_memzone_reserve failed");

	/* The peer joins this primary: same runtime dir, i.e. same prefix. */
	dir = strrchr(rte_eal_get_runtime_dir(), '/');
	TEST_ASSERT_NOT_NULL(dir, "runtime dir %s", rte_eal_get_runtime_dir());
	snprintf(spec, sizeof(spec), "%s %p", dir + 1, bar);
	ret = world_config_run_peer(spec);
	TEST_ASSERT(ret != TEST_SKIPPED, "the secondary skipped (see above)");
	TEST_ASSERT_EQUAL(ret, 0, "the secondary failed (status %d)", ret);
	TEST_ASSERT_EQUAL(bar[1], WORLD_CONFIG_BAR_REPLY,
		"the secondary's BAR write is not in the primary's mapping");
	rte_memzone_free(mz);
	return TEST_SUCCESS;
}

static struct unit_test_suite world_config_suite = {
	.suite_name = "emulated world: config space through EAL",
	.setup = world_config_setup,
	.unit_test_cases = {
		TEST_CASE(test_config_write_lands_in_that_vf_only),
		TEST_CASE(test_config_vf_ids_read_all_ones),
		TEST_CASE(test_flr_resets_that_vf_only),
		TEST_CASE(test_secondary_shares_the_primary_world),
		TEST_CASES_END()
	}
};

static int
test_world_config(void)
{
	return unit_test_suite_runner(&world_config_suite);
}

/* The secondary side: started by test_secondary_shares_the_primary_world. */
static char world_peer_prefix[128];
static void *world_peer_bar;

static int
world_peer_setup(void)
{
	const char *spec;

	spec = getenv(WORLD_CONFIG_PEER_ENV);
	if (spec == NULL || vfbc_test_world_dir() == NULL)
		TEST_SKIP("only run by world_config_autotest, inside its world");
	if (sscanf(spec, "%127s %p", world_peer_prefix, &world_peer_bar) != 2)
		TEST_SKIP("bad %s", WORLD_CONFIG_PEER_ENV);
	/* The last --file-prefix wins: the primary's replaces the runner's. */
	return vfbc_test_eal_init("--proc-type=secondary --file-prefix=%s", world_peer_prefix);
}

static int
test_peer_sees_primary_devices_and_memory(void)
{
	struct rte_pci_device *vf;
	volatile uint32_t *bar;
	uint32_t val;

	TEST_ASSERT_EQUAL(rte_eal_process_type(), RTE_PROC_SECONDARY, "not a secondary");
	TEST_ASSERT_NOT_NULL(rte_memzone_lookup(WORLD_CONFIG_PEER_MZ),
		"the primary's memzone is not visible");
	vf = world_config_find(world_config_rid(2));
	TEST_ASSERT_NOT_NULL(vf, "VF 1 not on the secondary's bus");
	TEST_ASSERT_SUCCESS(world_config_map(vf), "rte_pci_map_device(VF 1) failed");
	bar = vf->mem_resource[0].addr;
	TEST_ASSERT(bar == world_peer_bar, "BAR0 mapped at %p, the primary's is at %p",
		(void *)(uintptr_t)bar, world_peer_bar);
	TEST_ASSERT_EQUAL(bar[0], WORLD_CONFIG_BAR_MAGIC, "BAR0 lacks the primary's write");
	bar[1] = WORLD_CONFIG_BAR_REPLY;
	val = 0;
	TEST_ASSERT_EQUAL(rte_pci_read_config(vf, &val, 4, WORLD_CONFIG_SCRATCH), 4, "read");
	TEST_ASSERT_EQUAL(val, WORLD_CONFIG_PATTERN, "config space lacks the primary's write");
	return TEST_SUCCESS;
}

static struct unit_test_suite world_peer_suite = {
	.suite_name = "emulated world: secondary process",
	.setup = world_peer_setup,
	.unit_test_cases = {
		TEST_CASE(test_peer_sees_primary_devices_and_memory),
		TEST_CASES_END()
	}
};

static int
test_world_peer(void)
{
	return unit_test_suite_runner(&world_peer_suite);
}

REGISTER_WORLD_TEST_COMMAND(world_config_autotest, test_world_config, WORLD_CONFIG_OPTS);
REGISTER_HIDDEN_TEST_COMMAND(world_config_peer_autotest, test_world_peer);
