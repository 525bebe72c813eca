/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The backchannel under a real kernel: in the QEMU guest, this process is
 * the PF primary (net_vfbc_pf on QEMU's NVMe PF, creating the channel; the
 * VFs are probed by net_vfbc_vf in it too), and a VF secondary (the
 * mp_vf_agent hidden command, `-a <VF>`) claims VF 0. The PF publishes and
 * invalidates blocks, the VF receives the mask and reads the blocks back;
 * the VF's config-space requests are answered by the PF through the kernel:
 * its own IDs (virtualized by the PF: the device's read all ones) and an
 * Interrupt Line write, which reaches the device with uio_pci_generic and
 * is virtualized by vfio-pci (seen with setpci).
 *
 * The NVMe VFs carry their PF's device ID: the build of vfbc-qemu --vfbc has
 * it in both drivers' tables, and the drivers tell PF from VF by sysfs.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_qemu_common.h"

#define QEMU_MBOX_VFS		2
/* TCG runs everything slowly: EAL start of a secondary takes seconds. */
#define QEMU_MBOX_START_MS	60000
#define QEMU_MBOX_CMD_MS	30000
#define QEMU_MBOX_REQ_MS	10000
#define QEMU_MBOX_BLOCK		5
#define QEMU_MBOX_MASK		((UINT64_C(1) << QEMU_MBOX_BLOCK) | (UINT64_C(1) << 9))

static uint16_t pf_port;
static char vf_names[QEMU_MBOX_VFS][PCI_PRI_STR_SIZE];
static struct mp_child agent = { .pid = -1, .to_fd = -1, .from_fd = -1 };
static int agent_vf = -1;

static int
qemu_mbox_start(const char *vf_driver)
{
	struct rte_pci_addr addr;
	unsigned int i;
	int ret;

	ret = test_qemu_guest_check("uio_pci_generic", vf_driver, QEMU_MBOX_VFS);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = test_qemu_eal_start(&pf_port, "-m 64");
	if (ret != TEST_SUCCESS)
		return ret;
	for (i = 0; i < QEMU_MBOX_VFS; i++) {
		TEST_ASSERT_SUCCESS(test_qemu_kernel_vf(i, &addr), "virtfn%u", i);
		rte_pci_device_name(&addr, vf_names[i], sizeof(vf_names[i]));
	}
	TEST_ASSERT_SUCCESS(mp_pf_server_start(pf_port), "PF request service thread");
	return TEST_SUCCESS;
}

static int
qemu_mbox_uio_setup(void)
{
	return qemu_mbox_start("uio_pci_generic");
}

static int
qemu_mbox_vfio_setup(void)
{
	return qemu_mbox_start("vfio-pci");
}

static void
qemu_mbox_teardown(void)
{
	mp_child_close(&agent);
	mp_pf_server_stop();
}

/* Send a command line to the agent and wait for its answer line `word`. */
static int
agent_cmd(const char *word, char *rest, size_t size, const char *line)
{
	int ret;

	ret = mp_child_send(&agent, "%s", line);
	if (ret < 0)
		return ret;
	return mp_child_expect(&agent, word, rest, size, QEMU_MBOX_CMD_MS);
}

static int
unhex(const char *s, uint8_t *b, int max)
{
	unsigned int v;
	int n = 0;

	while (s[0] != '\0' && s[1] != '\0' && s[0] != ' ' && n < max) {
		if (sscanf(s, "%2x", &v) != 1)
			return -EINVAL;
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static int
test_qemu_each_driver_takes_its_functions(void)
{
	struct rte_eth_dev_info info;
	char name[RTE_ETH_NAME_MAX_LEN];
	unsigned int pf_ports = 0, vf_ports = 0, i;
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(p, &info), "port %u info", p);
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_name_by_port(p, name), "port %u name", p);
		if (strcmp(info.driver_name, "net_vfbc_pf") == 0) {
			pf_ports++;
			TEST_ASSERT(strcmp(name, test_qemu_pf_name()) == 0,
				    "net_vfbc_pf port %u on %s, not the PF", p, name);
		} else if (strcmp(info.driver_name, "net_vfbc_vf") == 0) {
			vf_ports++;
			TEST_ASSERT(strcmp(name, test_qemu_pf_name()) != 0,
				    "net_vfbc_vf port %u on the PF", p);
		}
	}
	TEST_ASSERT_EQUAL(pf_ports, 1u, "%u net_vfbc_pf ports (same device ID on PF and VFs)",
			  pf_ports);
	TEST_ASSERT_EQUAL(vf_ports, (unsigned int)QEMU_MBOX_VFS, "%u net_vfbc_vf ports",
			  vf_ports);
	for (i = 0; i < QEMU_MBOX_VFS; i++)
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(vf_names[i], &p),
				    "VF %s has no net_vfbc_vf port", vf_names[i]);
	return TEST_SUCCESS;
}

static int
test_qemu_vf_secondary_claims_its_vf(void)
{
	char eal[64], rest[MP_LINE_MAX];
	unsigned int port, vf;
	int claimed, pid, ret;
	int32_t consumer;

	snprintf(eal, sizeof(eal), "-a %s", vf_names[0]);
	ret = mp_child_spawn(&agent, "mp_vf_agent", eal, NULL);
	TEST_ASSERT_SUCCESS(ret, "spawning the VF secondary: %s", strerror(-ret));
	ret = mp_child_expect(&agent, "ready", rest, sizeof(rest), QEMU_MBOX_START_MS);
	TEST_ASSERT_SUCCESS(ret, "the VF secondary did not start: %s", strerror(-ret));
	TEST_ASSERT(sscanf(rest, "port=%u vf=%u claimed=%d pid=%d", &port, &vf, &claimed,
			   &pid) == 4, "ready line: %s", rest);
	TEST_ASSERT_EQUAL(vf, 0u, "the secondary on %s is VF %u", vf_names[0], vf);
	TEST_ASSERT_EQUAL(claimed, 1, "the secondary did not claim VF 0");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(pf_port, 0, &consumer), "consumer");
	TEST_ASSERT_EQUAL(consumer, pid, "VF 0 consumer %d, secondary %d", consumer, pid);
	agent_vf = 0;
	return TEST_SUCCESS;
}

static int
test_qemu_invalidation_reaches_vf_with_block_data(void)
{
	uint8_t data[48], got[64];
	char rest[MP_LINE_MAX], arg[64];
	uint64_t cb, poll;
	unsigned int calls, i;
	int ret, n, r;

	TEST_ASSERT_EQUAL(agent_vf, 0, "no VF secondary");
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xa0 + i * 7);
	ret = vfbc_pf_write_config_block(pf_port, 0, QEMU_MBOX_BLOCK, data, sizeof(data));
	TEST_ASSERT_SUCCESS(ret, "publish block %u: %d", QEMU_MBOX_BLOCK, ret);
	ret = vfbc_pf_invalidate_config_blocks(pf_port, 0, QEMU_MBOX_MASK);
	TEST_ASSERT_SUCCESS(ret, "invalidate: %d", ret);
	snprintf(arg, sizeof(arg), "poll %u %" PRIx64, QEMU_MBOX_REQ_MS, QEMU_MBOX_MASK);
	TEST_ASSERT_SUCCESS(agent_cmd("mask", rest, sizeof(rest), arg), "poll");
	TEST_ASSERT(sscanf(rest, "%" SCNx64 " %" SCNx64 " %u %d", &cb, &poll, &calls, &r) == 4,
		    "mask line: %s", rest);
	TEST_ASSERT_EQUAL(cb & QEMU_MBOX_MASK, QEMU_MBOX_MASK,
			  "the VF's callback saw 0x%" PRIx64 ", invalidated 0x%" PRIx64, cb,
			  QEMU_MBOX_MASK);
	TEST_ASSERT_EQUAL(cb & ~QEMU_MBOX_MASK, UINT64_C(0), "phantom bits 0x%" PRIx64, cb);
	snprintf(arg, sizeof(arg), "read %u", QEMU_MBOX_BLOCK);
	TEST_ASSERT_SUCCESS(agent_cmd("block", rest, sizeof(rest), arg), "read");
	TEST_ASSERT(sscanf(rest, "%d", &n) == 1, "block line: %s", rest);
	TEST_ASSERT_EQUAL(n, (int)sizeof(data), "the VF read %d bytes of block %u", n,
			  QEMU_MBOX_BLOCK);
	TEST_ASSERT_EQUAL(unhex(strchr(rest, ' ') + 1, got, sizeof(got)), (int)sizeof(data),
			  "block data: %s", rest);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(got, data, sizeof(data), "the VF read other data");
	return TEST_SUCCESS;
}

static int
test_qemu_vf_reads_its_virtualized_ids(void)
{
	char rest[MP_LINE_MAX], arg[64];
	unsigned long kven, kdev;
	uint8_t ids[4];
	uint32_t raw;
	int n;

	TEST_ASSERT_EQUAL(agent_vf, 0, "no VF secondary");
	snprintf(arg, sizeof(arg), "rbus 0 4 %u", QEMU_MBOX_REQ_MS);
	TEST_ASSERT_SUCCESS(agent_cmd("ret", rest, sizeof(rest), arg), "rbus");
	TEST_ASSERT(sscanf(rest, "%d", &n) == 1 && n == 4, "config read answered %s", rest);
	TEST_ASSERT_EQUAL(unhex(strchr(rest, ' ') + 1, ids, sizeof(ids)), 4, "data: %s", rest);
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(vf_names[0], "vendor", &kven), "vendor");
	TEST_ASSERT_SUCCESS(test_qemu_sysfs_uint(vf_names[0], "device", &kdev), "device");
	TEST_ASSERT(ids[0] == (kven & 0xff) && ids[1] == kven >> 8 &&
		    ids[2] == (kdev & 0xff) && ids[3] == kdev >> 8,
		    "the VF read IDs %02x%02x:%02x%02x, the kernel says %04lx:%04lx",
		    ids[1], ids[0], ids[3], ids[2], kven, kdev);
	/* What the PF virtualized: the device's own ID registers read all ones. */
	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf_names[0], 0, 4, &raw), "setpci");
	TEST_ASSERT_EQUAL(raw, UINT32_MAX, "the VF's ID register reads 0x%08x", raw);
	return TEST_SUCCESS;
}

static int
test_qemu_vf_interrupt_line_write(void)
{
	const char *drv = getenv("VFBC_QEMU_VF_DRIVER");
	char rest[MP_LINE_MAX], arg[64];
	uint32_t before, after;
	uint8_t v, api;
	int ret;

	TEST_ASSERT_EQUAL(agent_vf, 0, "no VF secondary");
	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf_names[0], VFBC_PCI_INTERRUPT_LINE, 1, &before),
			    "setpci");
	v = (uint8_t)(before ^ 0x5a);
	snprintf(arg, sizeof(arg), "wbus 0x%x %02x %u", VFBC_PCI_INTERRUPT_LINE, v,
		 QEMU_MBOX_REQ_MS);
	TEST_ASSERT_SUCCESS(agent_cmd("ret", rest, sizeof(rest), arg), "wbus");
	TEST_ASSERT(sscanf(rest, "%d", &ret) == 1, "answer: %s", rest);
	TEST_ASSERT_EQUAL(ret, 1, "the PF answered the Interrupt Line write with %d", ret);
	TEST_ASSERT_SUCCESS(test_qemu_setpci(vf_names[0], VFBC_PCI_INTERRUPT_LINE, 1, &after),
			    "setpci");
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, 0, &api, VFBC_PCI_INTERRUPT_LINE, 1),
			  1, "PF read");
	printf("Interrupt Line (%s): wrote 0x%02x, device 0x%02x -> 0x%02x, PF reads 0x%02x\n",
	       drv, v, before, after, api);
	TEST_ASSERT_EQUAL(api, v, "the PF reads 0x%02x back, the VF wrote 0x%02x", api, v);
	if (drv != NULL && strcmp(drv, "vfio-pci") == 0)
		TEST_ASSERT_EQUAL(after, before, "vfio-pci passed Interrupt Line to the device");
	else
		TEST_ASSERT_EQUAL(after, v, "the device holds 0x%02x, the VF wrote 0x%02x",
				  after, v);
	return TEST_SUCCESS;
}

/*
 * Under a real kernel: the PF's FLR of VF 0 reaches the VF secondary as
 * RTE_ETH_EVENT_INTR_RESET (the link goes down), and rte_eth_dev_reset()
 * brings the port back (the link comes up) with what was invalidated
 * meanwhile.
 */
static int
test_qemu_vf_told_of_its_reset(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX], arg[64];
	uint64_t cb = 0;

	TEST_ASSERT_EQUAL(agent_vf, 0, "no VF secondary");
	/* Its claim brought the link up, before the cases above. */
	TEST_ASSERT_EQUAL(mp_life_link(&agent), 1, "link up at the claim");
	TEST_ASSERT_SUCCESS(vfbc_pf_reset_vf(pf_port, 0), "FLR of VF 0");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(pf_port, 0, UINT64_C(1) << 11),
			    "invalidate");
	TEST_ASSERT_SUCCESS(mp_life_expect(&agent, "FLR", "R0 L", ev), "the reset event");
	TEST_ASSERT_SUCCESS(agent_cmd("ret", rest, sizeof(rest), "reset"), "reset");
	TEST_ASSERT(strcmp(rest, "0") == 0, "rte_eth_dev_reset: %s", rest);
	TEST_ASSERT_SUCCESS(mp_life_expect(&agent, "reset", "L", ev), "link up again");
	snprintf(arg, sizeof(arg), "poll %u %x", QEMU_MBOX_REQ_MS, 1u << 11);
	TEST_ASSERT_SUCCESS(agent_cmd("mask", rest, sizeof(rest), arg), "poll");
	TEST_ASSERT(sscanf(rest, "%" SCNx64, &cb) == 1 && (cb & (UINT64_C(1) << 11)) != 0,
		    "after the reset: 0x%" PRIx64 ", without bit 11", cb);
	return TEST_SUCCESS;
}

static int
test_qemu_vf_secondary_quits_cleanly(void)
{
	int32_t consumer;
	int ret;

	TEST_ASSERT_EQUAL(agent_vf, 0, "no VF secondary");
	TEST_ASSERT_SUCCESS(agent_cmd("bye", NULL, 0, "quit"), "quit");
	ret = mp_child_wait(&agent, QEMU_MBOX_CMD_MS);
	TEST_ASSERT_EQUAL(ret, 0, "the VF secondary exited with %d", ret);
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(pf_port, 0, &consumer), "consumer");
	TEST_ASSERT_EQUAL(consumer, 0, "VF 0 still claimed by %d", consumer);
	agent_vf = -1;
	return TEST_SUCCESS;
}

#define QEMU_MBOX_CASES \
	TEST_CASE(test_qemu_each_driver_takes_its_functions), \
	TEST_CASE(test_qemu_vf_secondary_claims_its_vf), \
	TEST_CASE(test_qemu_invalidation_reaches_vf_with_block_data), \
	TEST_CASE(test_qemu_vf_reads_its_virtualized_ids), \
	TEST_CASE(test_qemu_vf_interrupt_line_write), \
	TEST_CASE(test_qemu_vf_told_of_its_reset), \
	TEST_CASE(test_qemu_vf_secondary_quits_cleanly), \
	TEST_CASES_END()

static struct unit_test_suite qemu_mbox_suite = {
	.suite_name = "backchannel in the QEMU guest, VFs on uio_pci_generic",
	.setup = qemu_mbox_uio_setup,
	.teardown = qemu_mbox_teardown,
	.unit_test_cases = { QEMU_MBOX_CASES }
};

static struct unit_test_suite qemu_mbox_vfio_suite = {
	.suite_name = "backchannel in the QEMU guest, VFs on vfio-pci",
	.setup = qemu_mbox_vfio_setup,
	.teardown = qemu_mbox_teardown,
	.unit_test_cases = { QEMU_MBOX_CASES }
};

static int
test_qemu_mbox(void)
{
	return unit_test_suite_runner(&qemu_mbox_suite);
}

static int
test_qemu_mbox_vfio(void)
{
	return unit_test_suite_runner(&qemu_mbox_vfio_suite);
}

REGISTER_TEST_COMMAND_SUITE(qemu_mbox_autotest, test_qemu_mbox, "qemu");
REGISTER_TEST_COMMAND_SUITE(qemu_mbox_vfio_autotest, test_qemu_mbox_vfio, "qemu");
