/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf and net_vfbc_vf on the same bus, when the PCI IDs do not tell
 * a PF from a VF (QEMU's NVMe VFs carry their PF's device ID): each driver
 * asks sysfs (a VF has a physfn link) and refuses the other kind of
 * function. And the PF keeps reaching a VF's config space whatever the EAL
 * does to the VF's interrupt handle (where it keeps the config fd) when a
 * driver probes the VF, fails to, or goes.
 *
 * Worlds: VFs with the PF's device ID, so that the PF table matches them;
 * a PF with the VFs' device ID, so that the VF table matches it; the
 * default world, where net_vfbc_vf probes every VF in the primary.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_pci.h>

#include <vfbc_pci_ids.h>
#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

#define SAME_ID_VFS 4

static uint16_t pf_port;

/* The ethdev ports of a driver: their count and whether `name` is one. */
static unsigned int
ports_of(const char *driver, const char *name, int *has_name)
{
	struct rte_eth_dev_info info;
	char pname[RTE_ETH_NAME_MAX_LEN];
	unsigned int n = 0;
	uint16_t p;

	*has_name = 0;
	RTE_ETH_FOREACH_DEV(p) {
		if (rte_eth_dev_info_get(p, &info) != 0 || strcmp(info.driver_name, driver) != 0)
			continue;
		n++;
		if (rte_eth_dev_get_name_by_port(p, pname) == 0 && strcmp(pname, name) == 0)
			*has_name = 1;
	}
	return n;
}

static int
world_cfg_file(const char *name, uint32_t off, void *buf, uint32_t len, int write)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/devices/%s/config", vfbc_test_world_dir(), name);
	fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/*
 * The PF reaches VF vf: a read matches the world's file, a write lands in
 * it. Any stale or borrowed fd (stdin of a zeroed handle) fails one of them.
 */
static int
pf_reaches_vf(uint16_t vf, uint8_t seed)
{
	uint8_t api[64], file[64], v = seed, got;
	struct rte_pci_addr addr;
	char name[PCI_PRI_STR_SIZE];
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, vf, &addr), "VF %u location", vf);
	rte_pci_device_name(&addr, name, sizeof(name));
	ret = vfbc_pf_write_vf_config(pf_port, vf, &v, VFBC_PCI_CACHE_LINE_SIZE, 1);
	TEST_ASSERT_EQUAL(ret, 1, "VF %u (%s): write: %d", vf, name, ret);
	TEST_ASSERT_SUCCESS(world_cfg_file(name, VFBC_PCI_CACHE_LINE_SIZE, &got, 1, 0), "file");
	TEST_ASSERT_EQUAL(got, v, "VF %u (%s): the file holds 0x%02x, wrote 0x%02x", vf, name,
			  got, v);
	ret = vfbc_pf_read_vf_config(pf_port, vf, api, 0, sizeof(api));
	TEST_ASSERT_EQUAL(ret, (int)sizeof(api), "VF %u (%s): read: %d", vf, name, ret);
	TEST_ASSERT_SUCCESS(world_cfg_file(name, 0, file, sizeof(file), 0), "file");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(api, file, sizeof(api), "VF %u (%s): read != file",
				      vf, name);
	return TEST_SUCCESS;
}

static int
vf_name(uint16_t vf, char *name, size_t size)
{
	struct rte_pci_addr addr;
	int ret;

	ret = vfbc_pf_get_vf_location(pf_port, vf, &addr);
	if (ret == 0)
		rte_pci_device_name(&addr, name, size);
	return ret;
}

/* ---- VFs with the PF's device ID ---- */

static int
same_id_pf_table_setup(void)
{
	return test_pf_world_start(&pf_port, "-m 64");
}

static int
test_pf_driver_makes_one_pf_port(void)
{
	struct vfbc_pf_vf_info info;
	char name[PCI_PRI_STR_SIZE];
	uint16_t port, vf;
	int has;

	TEST_ASSERT_EQUAL(ports_of("net_vfbc_pf", TEST_PF_WORLD_PF, &has), 1u,
			  "net_vfbc_pf ports: %u, want the PF's only",
			  ports_of("net_vfbc_pf", TEST_PF_WORLD_PF, &has));
	TEST_ASSERT(has, "the PF's port is not %s", TEST_PF_WORLD_PF);
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), SAME_ID_VFS, "VF count");
	for (vf = 0; vf < SAME_ID_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vf_name(vf, name, sizeof(name)), "VF %u location", vf);
		TEST_ASSERT_NOT_EQUAL(rte_eth_dev_get_port_by_name(name, &port), 0,
				      "VF %s became port %u", name, port);
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "info");
		TEST_ASSERT_EQUAL(info.device_id, VFBC_PCI_PF_DEVICE_ID,
				  "the world's VF Device ID is 0x%04x", info.device_id);
		TEST_ASSERT(info.state == VFBC_PF_VF_READY && info.mapped_by_pf,
			    "VF %u: %s, mapped by the PF %u", vf,
			    vfbc_pf_vf_state_str(info.state), info.mapped_by_pf);
	}
	return TEST_SUCCESS;
}

static int
test_pf_reaches_vfs_it_refused(void)
{
	uint16_t vf;

	/* Each refusal made the EAL replace, then free, the VF's handle. */
	for (vf = 0; vf < SAME_ID_VFS; vf++)
		if (pf_reaches_vf(vf, (uint8_t)(0x10 + vf)) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

static int
test_hotplug_of_vf_is_refused(void)
{
	char name[PCI_PRI_STR_SIZE];
	uint16_t port;
	int ret;

	TEST_ASSERT_SUCCESS(vf_name(1, name, sizeof(name)), "location");
	ret = rte_dev_probe(name);
	TEST_ASSERT(ret < 0, "rte_dev_probe(%s) returned %d: a driver took it", name, ret);
	TEST_ASSERT_NOT_EQUAL(rte_eth_dev_get_port_by_name(name, &port), 0,
			      "VF %s became port %u", name, port);
	return pf_reaches_vf(1, 0x21);
}

static struct unit_test_suite same_id_pf_table_suite = {
	.suite_name = "VFs with their PF's device ID: net_vfbc_pf refuses them",
	.setup = same_id_pf_table_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_driver_makes_one_pf_port),
		TEST_CASE(test_pf_reaches_vfs_it_refused),
		TEST_CASE(test_hotplug_of_vf_is_refused),
		TEST_CASES_END()
	}
};

static int
test_same_id_pf_table(void)
{
	return unit_test_suite_runner(&same_id_pf_table_suite);
}

/* ---- a PF with its VFs' device ID ---- */

static int
same_id_vf_table_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	return vfbc_test_eal_init("-m 64");
}

static int
test_vf_driver_makes_vf_ports_only(void)
{
	char name[PCI_PRI_STR_SIZE];
	struct rte_pci_addr addr;
	unsigned int n, vf;
	uint16_t port;
	int has;

	TEST_ASSERT_EQUAL(ports_of("net_vfbc_pf", "", &has), 0u,
			  "net_vfbc_pf probed a PF with ID 0x%04x", VFBC_PCI_VF_DEVICE_ID);
	n = ports_of("net_vfbc_vf", TEST_PF_WORLD_PF, &has);
	TEST_ASSERT(!has, "the PF %s became a net_vfbc_vf port", TEST_PF_WORLD_PF);
	TEST_ASSERT_EQUAL(n, SAME_ID_VFS, "net_vfbc_vf ports: %u, want one per VF", n);
	TEST_ASSERT_SUCCESS(rte_pci_addr_parse(TEST_PF_WORLD_PF, &addr), "PF address");
	for (vf = 0; vf < SAME_ID_VFS; vf++) {
		/* The world's default routing: First VF Offset 1, VF Stride 1. */
		addr.function = (uint8_t)(vf + 1);
		rte_pci_device_name(&addr, name, sizeof(name));
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, &port),
				    "VF %s has no port", name);
	}
	return TEST_SUCCESS;
}

static int
test_hotplug_of_pf_by_vf_driver_is_refused(void)
{
	uint16_t port;
	int ret;

	ret = rte_dev_probe(TEST_PF_WORLD_PF);
	TEST_ASSERT(ret < 0, "rte_dev_probe(%s) returned %d: a driver took it",
		    TEST_PF_WORLD_PF, ret);
	TEST_ASSERT_NOT_EQUAL(rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port), 0,
			      "the PF became port %u", port);
	return TEST_SUCCESS;
}

static struct unit_test_suite same_id_vf_table_suite = {
	.suite_name = "a PF with its VFs' device ID: net_vfbc_vf refuses it",
	.setup = same_id_vf_table_setup,
	.unit_test_cases = {
		TEST_CASE(test_vf_driver_makes_vf_ports_only),
		TEST_CASE(test_hotplug_of_pf_by_vf_driver_is_refused),
		TEST_CASES_END()
	}
};

static int
test_same_id_vf_table(void)
{
	return unit_test_suite_runner(&same_id_vf_table_suite);
}

/* ---- the PF's config access across VF driver probes and removals ---- */

static int
handle_setup(void)
{
	return test_pf_world_start(&pf_port, "-m 64");
}

static int
test_pf_reaches_vfs_probed_by_vf_driver(void)
{
	char name[PCI_PRI_STR_SIZE];
	uint16_t port, vf;

	for (vf = 0; vf < SAME_ID_VFS; vf++) {
		TEST_ASSERT_SUCCESS(vf_name(vf, name, sizeof(name)), "location");
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, &port),
				    "net_vfbc_vf did not probe %s", name);
		if (pf_reaches_vf(vf, (uint8_t)(0x30 + vf)) != TEST_SUCCESS)
			return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static int
test_pf_reaches_vf_after_its_driver_goes_and_comes_back(void)
{
	struct rte_eth_dev_info info;
	char name[PCI_PRI_STR_SIZE];
	uint16_t port;
	int ret;

	TEST_ASSERT_SUCCESS(vf_name(0, name, sizeof(name)), "location");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, &port), "no port for %s", name);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "info");
	ret = rte_dev_remove(info.device);
	TEST_ASSERT_SUCCESS(ret, "removing %s: %d", name, ret);
	TEST_ASSERT_NOT_EQUAL(rte_eth_dev_get_port_by_name(name, &port), 0, "port still there");
	/* The EAL freed the handle: none at all now. */
	if (pf_reaches_vf(0, 0x41) != TEST_SUCCESS)
		return TEST_FAILED;
	ret = rte_dev_probe(name);
	TEST_ASSERT_SUCCESS(ret, "probing %s again: %d", name, ret);
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, &port), "no port again");
	/* A fresh handle once more. */
	return pf_reaches_vf(0, 0x42);
}

static struct unit_test_suite handle_suite = {
	.suite_name = "net_vfbc_pf reaches VFs whatever happens to their handles",
	.setup = handle_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_reaches_vfs_probed_by_vf_driver),
		TEST_CASE(test_pf_reaches_vf_after_its_driver_goes_and_comes_back),
		TEST_CASES_END()
	}
};

static int
test_pf_vf_handle(void)
{
	return unit_test_suite_runner(&handle_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_vf_same_id_pf_table_autotest, test_same_id_pf_table,
			    "--total-vfs 4 --vf-device 0x10b0");
REGISTER_WORLD_TEST_COMMAND(pf_vf_same_id_vf_table_autotest, test_same_id_vf_table,
			    "--total-vfs 4 --pf-device 0x10b1");
REGISTER_WORLD_TEST_COMMAND(pf_vf_handle_autotest, test_pf_vf_handle, "--total-vfs 4");
