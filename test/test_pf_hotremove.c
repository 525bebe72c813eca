/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A VF removed from the process (rte_dev_remove(), as stock testpmd's
 * "device detach" does) takes its EAL device with it: the bus frees the
 * rte_pci_device. The PF must not have kept a pointer to it: its config
 * accesses to that VF and its close go on as before. The freed memory is
 * taken back at once and filled with junk, so a PF that still reads it
 * fails here without a sanitizer (and ASan names the use after free).
 *
 * (On fb8986c the PF kept vf->pci_dev: config access read freed memory
 * and the PF's close unmapped through it.)
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

/* Chunks of the freed device's size taken back after the removal. */
#define HOT_GRAB 64

static uint16_t pf_port;

static int
hot_setup(void)
{
	return test_pf_world_start(&pf_port, "-m 64");
}

/* The VF's config file in the world, read directly. */
static int
hot_file(const char *name, uint32_t off, uint8_t *buf, uint32_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/devices/%s/config", vfbc_test_world_dir(), name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* Write through the PF, read back through the PF and from the file. */
static int
hot_pf_reaches(uint16_t vf, const char *name, uint8_t v)
{
	uint8_t api[64], file[64], got;
	int ret;

	ret = vfbc_pf_write_vf_config(pf_port, vf, &v, VFBC_PCI_CACHE_LINE_SIZE, 1);
	TEST_ASSERT_EQUAL(ret, 1, "VF %u: write: %d", vf, ret);
	TEST_ASSERT_SUCCESS(hot_file(name, VFBC_PCI_CACHE_LINE_SIZE, &got, 1), "file");
	TEST_ASSERT_EQUAL(got, v, "VF %u: the file holds 0x%02x, wrote 0x%02x", vf, got, v);
	ret = vfbc_pf_read_vf_config(pf_port, vf, api, 0, sizeof(api));
	TEST_ASSERT_EQUAL(ret, (int)sizeof(api), "VF %u: read: %d", vf, ret);
	TEST_ASSERT_SUCCESS(hot_file(name, 0, file, sizeof(file)), "file");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(api, file, sizeof(api), "VF %u: read != file", vf);
	return TEST_SUCCESS;
}

static int
test_pf_survives_vf_hot_remove(void)
{
	struct rte_eth_dev_info info;
	struct vfbc_pf_vf_info vinfo;
	char name[PCI_PRI_STR_SIZE];
	struct rte_pci_addr addr;
	void *grab[HOT_GRAB];
	uint16_t port;
	unsigned int i;
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, 1, &addr), "location");
	rte_pci_device_name(&addr, name, sizeof(name));
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, &port), "no port for %s", name);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "info");
	ret = rte_dev_remove(info.device);
	TEST_ASSERT_SUCCESS(ret, "removing %s: %d", name, ret);
	/* The freed device, taken back and trampled on. */
	for (i = 0; i < HOT_GRAB; i++) {
		grab[i] = malloc(sizeof(struct rte_pci_device));
		if (grab[i] != NULL)
			memset(grab[i], 0xa5, sizeof(struct rte_pci_device));
	}
	ret = hot_pf_reaches(1, name, 0x31);
	if (ret == TEST_SUCCESS) {
		ret = vfbc_pf_get_vf_info(pf_port, 1, &vinfo);
		if (ret != 0 || vinfo.state != VFBC_PF_VF_READY) {
			printf("VF 1 after its removal: %d, %s\n", ret,
			       vfbc_pf_vf_state_str(vinfo.state));
			ret = TEST_FAILED;
		}
	}
	for (i = 0; i < HOT_GRAB; i++)
		free(grab[i]);
	if (ret != TEST_SUCCESS)
		return ret;
	/* Probed again, it is a new device: the PF does not care either. */
	TEST_ASSERT_SUCCESS(rte_dev_probe(name), "probing %s again", name);
	return hot_pf_reaches(1, name, 0x32);
}

static int
test_pf_close_after_vf_hot_remove(void)
{
	struct rte_eth_dev_info info;
	char name[PCI_PRI_STR_SIZE];
	struct rte_pci_addr addr;
	void *grab[HOT_GRAB];
	uint16_t port;
	unsigned int i;
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, 2, &addr), "location");
	rte_pci_device_name(&addr, name, sizeof(name));
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, &port), "no port for %s", name);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "removing %s", name);
	for (i = 0; i < HOT_GRAB; i++) {
		grab[i] = malloc(sizeof(struct rte_pci_device));
		if (grab[i] != NULL)
			memset(grab[i], 0x5a, sizeof(struct rte_pci_device));
	}
	/* Closing the PF closes its own handles of every VF, none of the bus's. */
	ret = rte_eth_dev_close(pf_port);
	for (i = 0; i < HOT_GRAB; i++)
		free(grab[i]);
	TEST_ASSERT_SUCCESS(ret, "closing the PF: %d", ret);
	return TEST_SUCCESS;
}

static struct unit_test_suite hot_suite = {
	.suite_name = "net_vfbc_pf after a VF's hot remove",
	.setup = hot_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_survives_vf_hot_remove),
		TEST_CASE(test_pf_close_after_vf_hot_remove),
		TEST_CASES_END()
	}
};

static int
test_pf_vf_hot_remove(void)
{
	return unit_test_suite_runner(&hot_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_vf_hot_remove_autotest, test_pf_vf_hot_remove, "--total-vfs 4");
