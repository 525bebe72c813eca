/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-testpmd as the PF primary, driven by scripts on stdin: every port
 * and PF command, what it prints line by line, its errors, and its effect
 * on the world's config files, read here directly. Expected addresses and
 * values come from the world's files, not from the program under test.
 * The cases share one world and run in order: enabling VFs comes last.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_testpmd_session.h"

#define TP_PF			"0000:01:00.0"
#define TP_VF_BAR0_SIZE		0x10000u
#define TP_WORLD_OPTS		"--pf " TP_PF " --total-vfs 8 --vf-bar0-size 0x10000"

static struct tp_topo tp_topo;
static struct tp_script tp_sc;
static char tp_line[TP_LINE_MAX];

static int
tp_suite_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not in an emulated world (run it through vfbc-test)");
	TEST_ASSERT_SUCCESS(tp_topo_read(TP_PF, &tp_topo), "cannot read the world's PF");
	TEST_ASSERT(tp_topo.num_vfs == 8 && tp_topo.total_vfs == 8,
			"world has %u of %u VFs, the suite wants 8 of 8", tp_topo.num_vfs,
			tp_topo.total_vfs);
	return TEST_SUCCESS;
}

static int
tp_case_setup(void)
{
	memset(&tp_sc, 0, sizeof(tp_sc));
	return TEST_SUCCESS;
}

static int
test_testpmd_shows_ports(void)
{
	tp_add(&tp_sc, "Driver name: net_vfbc_pf", "show port info 0");
	tp_add(&tp_sc, "Device name: " TP_PF, "show port info all");
	tp_add(&tp_sc, "Link status: down", "show port info 0x0");
	tp_add(&tp_sc, "  RX-errors: 0", "show port stats 0");
	tp_add(&tp_sc, "  TX-packets: 0          TX-errors: 0          TX-bytes:  0",
			"show port stats all");
	tp_add(&tp_sc, "###### NIC extended statistics for port 0", "show port xstats 0");
	tp_add(&tp_sc, "rx_good_packets: 0", "show port xstats 0");
	/* The primary has a port per VF too (net_vfbc_vf), after the PF's. */
	snprintf(tp_line, sizeof(tp_line), "Error: invalid port %u (%u ports)",
			tp_topo.num_vfs + 1, tp_topo.num_vfs + 1);
	tp_add(&tp_sc, tp_line, "show port info %u", tp_topo.num_vfs + 1);
	snprintf(tp_line, sizeof(tp_line), "Error: invalid port 65536 (%u ports)",
			tp_topo.num_vfs + 1);
	tp_add(&tp_sc, tp_line, "show port stats 65536");
	tp_add(&tp_sc, "Driver name: net_vfbc_vf", "show port info 1");
	tp_add(&tp_sc, "Device name: 0000:01:00.1", "show port info 1");
	tp_add(&tp_sc, "Error: bad arguments: show port xstats all: 'all' is not <port>",
			"show port xstats all");
	return tp_run(&tp_sc);
}

static int
test_testpmd_starts_and_stops_ports(void)
{
	tp_add(&tp_sc, "Port 0 is not started", "port stop 0");
	tp_add(&tp_sc, "Port 0 started", "port start 0");
	tp_add(&tp_sc, "Link status: up", "show port info 0");
	tp_add(&tp_sc, "Current number of RX queues: 1", "show port info 0");
	tp_add(&tp_sc, "Port 0 is already started", "port start all");
	tp_add(&tp_sc, "Port 0 stopped", "port stop all");
	tp_add(&tp_sc, "Link status: down", "show port info 0");
	tp_add(&tp_sc, "Port 0 started", "port start all");
	/* As testpmd's: a port is reset stopped. */
	tp_add(&tp_sc, "Error: port reset: port 0 is started: stop it first (port stop 0)",
			"port reset 0");
	snprintf(tp_line, sizeof(tp_line), "Error: invalid port 99 (%u ports)",
			tp_topo.num_vfs + 1);
	tp_add(&tp_sc, tp_line, "port start 99");
	/* quit stops the port it started: nothing to check but a clean exit. */
	tp_add(&tp_sc, "", "quit");
	return tp_run(&tp_sc);
}

static int
test_testpmd_prints_help(void)
{
	tp_add_prefix(&tp_sc, "  help vf       PF services on VFs", "help");
	tp_add_prefix(&tp_sc, "  help port     Ports", "help");
	tp_add_prefix(&tp_sc, "  set vf bus-data <port> <vf> <offset> <byte> [<byte>...]",
			"help vf");
	tp_add_prefix(&tp_sc, "  show port xstats <port>", "help port");
	tp_add_prefix(&tp_sc, "  help mbox     PF mailbox", "help");
	tp_add_prefix(&tp_sc, "  help vfport   VF side", "help");
	tp_add_prefix(&tp_sc, "  invalidate vf config-block <port> <vf>|all <mask>", "help mbox");
	tp_add_prefix(&tp_sc, "  invalidate vf config-block <port> bulk "
			"<vf>:<mask>[,<vf>:<mask>...]", "help mbox");
	tp_add_prefix(&tp_sc, "  accept | reject ", "help mbox");
	tp_add_prefix(&tp_sc, "  wait vf invalidate <port> <timeout_ms>", "help vfport");
	tp_add_prefix(&tp_sc, "  wait vf invalidate <port> <timeout_ms> spin <spin_us>",
			"help vfport");
	tp_add_prefix(&tp_sc, "  wait vf event <port> <timeout_ms> [reset|removal|link-up|"
			"link-down]", "help vfport");
	tp_add_prefix(&tp_sc, "  port reset <port>", "help port");
	tp_add_prefix(&tp_sc, "  write vf bus-data <port> <offset> <byte> [<byte>...]",
			"help vfport");
	tp_add(&tp_sc, "Error: bad arguments: help nothing: 'nothing' is not port, vf, mbox or"
			" vfport", "help nothing");
	return tp_run(&tp_sc);
}

static int
test_testpmd_lists_vfs(void)
{
	uint8_t cfg[TP_CFG_SIZE];
	struct rte_pci_addr a;
	unsigned int i;

	snprintf(tp_line, sizeof(tp_line), "Port 0 (PF %s): %u of %u VFs enabled", TP_PF,
			tp_topo.num_vfs, tp_topo.total_vfs);
	tp_add(&tp_sc, tp_line, "show vf list 0");
	for (i = 0; i < tp_topo.total_vfs; i++) {
		tp_vf_list_line(&tp_topo, i, i < tp_topo.num_vfs ? "ready" : "disabled",
				tp_line, sizeof(tp_line));
		tp_add(&tp_sc, tp_line, "show vf list 0");
		/* The address printed is a function of the world. */
		a = tp_vf_addr(&tp_topo, i);
		TEST_ASSERT(tp_cfg_read(&a, cfg) > 0 && tp_get16(cfg, RTE_PCI_VENDOR_ID) == 0xffff,
				"VF %u: no VF config file at its routing address", i);
	}
	for (i = 0; i < tp_topo.num_vfs; i++) {
		tp_vf_location_line(&tp_topo, i, tp_line, sizeof(tp_line));
		tp_add(&tp_sc, tp_line, "show vf location 0 %u", i);
	}
	return tp_run(&tp_sc);
}

static int
test_testpmd_shows_sriov(void)
{
	snprintf(tp_line, sizeof(tp_line),
			"Port 0 (PF %s, vendor 0x%04x): SR-IOV capability at 0x%03x", TP_PF,
			tp_topo.vendor, tp_topo.sriov);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	snprintf(tp_line, sizeof(tp_line), "  TotalVFs:                 %u", tp_topo.total_vfs);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	snprintf(tp_line, sizeof(tp_line), "  NumVFs:                   %u", tp_topo.num_vfs);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	snprintf(tp_line, sizeof(tp_line), "  First VF Offset:          %u", tp_topo.vf_offset);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	snprintf(tp_line, sizeof(tp_line), "  VF Stride:                %u", tp_topo.vf_stride);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	snprintf(tp_line, sizeof(tp_line), "  VF Device ID:             0x%04x",
			tp_topo.vf_device);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	snprintf(tp_line, sizeof(tp_line), "  VF BAR0:                  0x%08x",
			tp_topo.vf_bar[0]);
	tp_add(&tp_sc, tp_line, "show vf sriov 0");
	tp_add_prefix(&tp_sc, "  Control:                  0x", "show vf sriov 0");
	return tp_run(&tp_sc);
}

static int
test_testpmd_shows_probed_bars(void)
{
	uint32_t expect[RTE_DIM(tp_topo.vf_bar)];
	unsigned int vfs[2];
	unsigned int i, j;

	/* What the world implements: one 64-bit memory BAR of a known size. */
	TEST_ASSERT((tp_topo.vf_bar[0] & 0x7) == VFBC_PCI_BAR_MEM_TYPE_64,
			"world VF BAR0 0x%08x is not 64-bit memory", tp_topo.vf_bar[0]);
	for (i = 2; i < RTE_DIM(tp_topo.vf_bar); i++)
		TEST_ASSERT_EQUAL(tp_topo.vf_bar[i], 0, "world VF BAR%u implemented", i);
	expect[0] = (~(TP_VF_BAR0_SIZE - 1) & VFBC_PCI_BAR_MEM_MASK) |
		(tp_topo.vf_bar[0] & ~VFBC_PCI_BAR_MEM_MASK);
	expect[1] = 0xffffffff;
	for (i = 2; i < RTE_DIM(expect); i++)
		expect[i] = 0;

	vfs[0] = 0;
	vfs[1] = tp_topo.num_vfs - 1;
	for (j = 0; j < RTE_DIM(vfs); j++) {
		snprintf(tp_line, sizeof(tp_line), "VF %u: probed BARs", vfs[j]);
		tp_add(&tp_sc, tp_line, "show vf probed-bars 0 %u", vfs[j]);
		for (i = 0; i < RTE_DIM(expect); i++) {
			snprintf(tp_line, sizeof(tp_line), "  BAR%u: 0x%08x", i, expect[i]);
			tp_add(&tp_sc, tp_line, "show vf probed-bars 0 %u", vfs[j]);
		}
	}
	return tp_run(&tp_sc);
}

static void
tp_put(struct tp_snap *snap, unsigned int vf, unsigned int off, const uint8_t *bytes,
		unsigned int n)
{
	memcpy(&snap->cfg[vf + 1][off], bytes, n);
}

static int
test_testpmd_writes_bus_data(void)
{
	static const uint8_t b1[] = { 0x0b };
	static const uint8_t b2[] = { 0x01, 0x02, 0x03, 0xff };
	static const uint8_t b3[] = { 0x5a, 90 };
	static const uint8_t b7[] = { 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t b18[] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x10, 0x20 };
	struct tp_snap *expected, *after;
	unsigned int last;
	int ret;

	last = tp_topo.num_vfs - 1;
	tp_add(&tp_sc, "VF 1: wrote 1 bytes at 0x3c", "set vf bus-data 0 1 0x3c 0x0b");
	tp_add(&tp_sc, "VF 2: wrote 4 bytes at 0xa0", "set vf bus-data 0 2 0xa0 1 2 3 0xff");
	snprintf(tp_line, sizeof(tp_line), "VF %u: wrote 4 bytes at 0x100", last);
	tp_add(&tp_sc, tp_line, "set vf bus-data 0 %u 0x100 0xde 0xAD 0xbe 0xef", last);
	/* Decimal offset and bytes, a hex byte with a leading zero. */
	tp_add(&tp_sc, "VF 3: wrote 2 bytes at 0xb0", "set vf bus-data 0 3 176 0x05A 90");
	tp_add(&tp_sc, "VF 1: wrote 18 bytes at 0xc0", "set vf bus-data 0 1 0xc0 0x00 0x11"
			" 0x22 0x33 0x44 0x55 0x66 0x77 0x88 0x99 0xaa 0xbb 0xcc 0xdd 0xee 0xff"
			" 16 32");
	tp_add(&tp_sc, "VF 1: 18 bytes at 0xc0", "show vf bus-data 0 1 0xc0 18");
	tp_add(&tp_sc, "  0x0c0: 00 11 22 33 44 55 66 77  88 99 aa bb cc dd ee ff",
			"show vf bus-data 0 1 0xc0 18");
	tp_add(&tp_sc, "  0x0d0: 10 20", "show vf bus-data 0 1 0xc0 18");
	tp_add(&tp_sc, "  0x0a0: 01 02 03 ff", "show vf bus-data 0 2 0xa0 4");

	expected = tp_snap_take(&tp_topo);
	TEST_ASSERT_NOT_NULL(expected, "no snapshot of the world");
	ret = tp_run(&tp_sc);
	after = tp_snap_take(&tp_topo);
	if (ret == TEST_SUCCESS && after != NULL) {
		/* Exactly these bytes changed, in exactly these functions. */
		tp_put(expected, 1, 0x3c, b1, sizeof(b1));
		tp_put(expected, 2, 0xa0, b2, sizeof(b2));
		tp_put(expected, last, 0x100, b7, sizeof(b7));
		tp_put(expected, 3, 0xb0, b3, sizeof(b3));
		tp_put(expected, 1, 0xc0, b18, sizeof(b18));
		if (tp_snap_compare(expected, after) != 0)
			ret = TEST_FAILED;
	}
	free(expected);
	free(after);
	return ret;
}

static int
test_testpmd_reads_bus_data(void)
{
	uint8_t cfg[TP_CFG_SIZE];
	struct rte_pci_addr a;
	unsigned int off;

	a = tp_vf_addr(&tp_topo, 5);
	TEST_ASSERT_EQUAL(tp_cfg_read(&a, cfg), TP_CFG_SIZE, "VF 5: no 4096-byte config file");
	tp_add(&tp_sc, "VF 5: 64 bytes at 0x0", "show vf bus-data 0 5 0 0x40");
	for (off = 0; off < 0x40; off += 16) {
		tp_dump_line(off, cfg + off, 16, tp_line, sizeof(tp_line));
		tp_add(&tp_sc, tp_line, "show vf bus-data 0 5 0 64");
	}
	/* Unaligned, across a line of the dump and into the capabilities. */
	tp_dump_line(0x3e, cfg + 0x3e, 3, tp_line, sizeof(tp_line));
	tp_add(&tp_sc, tp_line, "show vf bus-data 0 5 0x3e 3");
	tp_dump_line(0xffc, cfg + 0xffc, 4, tp_line, sizeof(tp_line));
	tp_add(&tp_sc, tp_line, "show vf bus-data 0 5 4092 4");
	return tp_run(&tp_sc);
}

static int
test_testpmd_rejects_bad_input(void)
{
	struct tp_snap *before, *after;
	uint8_t cfg[TP_CFG_SIZE];
	struct rte_pci_addr a;
	unsigned int pm;
	uint16_t pmc;
	int ret;

	a = tp_vf_addr(&tp_topo, 1);
	TEST_ASSERT(tp_cfg_read(&a, cfg) > 0, "VF 1: no config file");
	pm = tp_find_cap(cfg, VFBC_PCI_CAP_ID_PM);
	TEST_ASSERT(pm != 0, "VF 1 has no power management capability");
	pmc = tp_get16(cfg, pm + VFBC_PCI_PM_PMC);

	tp_add(&tp_sc, "Error: VF 9 out of range (port 0 has 8 VFs)", "show vf bus-data 0 9 0 4");
	tp_add(&tp_sc, "Error: VF 8 out of range (port 0 has 8 VFs)",
			"set vf bus-data 0 8 0x40 1");
	tp_add(&tp_sc, "Error: VF 16 out of range (port 0 has 8 VFs)", "reset vf 0 0x10");
	tp_add(&tp_sc, "Error: VF 4294967295 out of range (port 0 has 8 VFs)",
			"set vf power 0 0xffffffff d0");
	tp_add(&tp_sc, "Error: VF 8 out of range (port 0 has 8 VFs)", "show vf location 0 8");
	tp_add(&tp_sc, "Error: VF 8 out of range (port 0 has 8 VFs)",
			"show vf probed-bars 0 8");
	tp_add(&tp_sc, "Error: bad arguments: show vf location 0 4294967296: <vf> '4294967296'"
			" is above 4294967295 (0xffffffff)", "show vf location 0 4294967296");
	tp_add(&tp_sc, "Error: byte 1 (0x100) out of range (0..0xff)",
			"set vf bus-data 0 1 0xa0 0x100");
	tp_add(&tp_sc, "Error: byte 2 ('zz') is not a number (decimal or 0x hex)",
			"set vf bus-data 0 1 0xa0 1 zz 3");
	tp_add(&tp_sc, "Error: byte 2 ('-2') has a sign: numbers here are unsigned",
			"set vf bus-data 0 1 0xa0 1 -2");
	tp_add(&tp_sc, "Error: byte 1 ('0b1') is not a number (decimal or 0x hex)",
			"set vf bus-data 0 1 0xa0 0b1");
	/* Numbers C and cmdline would read otherwise: refused, not guessed. */
	tp_add(&tp_sc, "Error: byte 2 ('010') has a leading zero, which C reads as octal:"
			" write it without, or in 0x hex", "set vf bus-data 0 1 0xa0 1 010");
	tp_add(&tp_sc, "Error: bad arguments: set vf bus-data 0 1 010 1: <offset> '010' has a"
			" leading zero, which C reads as octal: write it without, or in 0x hex",
			"set vf bus-data 0 1 010 1");
	tp_add(&tp_sc, "Error: bad arguments: reset vf 0 01: <vf> '01' has a leading zero,"
			" which C reads as octal: write it without, or in 0x hex", "reset vf 0 01");
	tp_add(&tp_sc, "Error: bad arguments: show vf location 0 +1: <vf> '+1' has a sign:"
			" numbers here are unsigned", "show vf location 0 +1");
	tp_add(&tp_sc, "Error: bad arguments: show vf bus-data 0 1 0x10 -0: <length> '-0' has a"
			" sign: numbers here are unsigned", "show vf bus-data 0 1 0x10 -0");
	tp_add(&tp_sc, "Error: bad arguments: set vf num 0 0x100000000: <n> '0x100000000' is"
			" above 4294967295 (0xffffffff)", "set vf num 0 0x100000000");
	tp_add(&tp_sc, "Error: bad arguments: show vf probed-bars 0 1x: <vf> '1x' is not a"
			" number (decimal or 0x hex)", "show vf probed-bars 0 1x");
	/* Offsets and lengths whose sum wraps 32 bits. */
	tp_add(&tp_sc, "Error: offset 0xfffffffc beyond VF 1's config space (4096 bytes)",
			"set vf bus-data 0 1 0xfffffffc 1 2 3 4 5");
	tp_add(&tp_sc, "Error: length 4294967295 beyond the largest config space (4096 bytes)",
			"show vf bus-data 0 1 0x10 0xffffffff");
	tp_add(&tp_sc, "Error: 0xffe + 3 bytes goes beyond VF 1's config space (4096 bytes)",
			"set vf bus-data 0 1 0xffe 1 2 3");
	tp_add(&tp_sc, "Error: offset 0x1000 beyond VF 1's config space (4096 bytes)",
			"set vf bus-data 0 1 0x1000 1");
	tp_add(&tp_sc, "Error: bad arguments: set vf bus-data 0 1 0xa0: missing <byte>...",
			"set vf bus-data 0 1 0xa0");
	tp_add(&tp_sc, "Error: no bytes: the length must be at least 1",
			"show vf bus-data 0 1 0 0");
	tp_add(&tp_sc, "Error: length 4097 beyond the largest config space (4096 bytes)",
			"show vf bus-data 0 1 0 4097");
	tp_add(&tp_sc, "Error: bad arguments: show vf bus-data 0 1 0 0b11: <length> '0b11' is"
			" not a number (decimal or 0x hex)", "show vf bus-data 0 1 0 0b11");
	tp_add(&tp_sc, "Error: bad arguments: show vf location 0 0x: <vf> '0x' has no hex digit"
			" after 0x", "show vf location 0 0x");
	snprintf(tp_line, sizeof(tp_line), "Error: invalid port 99 (%u ports)",
			tp_topo.num_vfs + 1);
	tp_add(&tp_sc, tp_line, "show vf list 99");
	tp_add(&tp_sc, "Error: show vf list: port 2 is not a vfbc PF port (driver net_vfbc_vf)",
			"show vf list 2");
	tp_add(&tp_sc, "Error: bad arguments: show vf list: missing <port>", "show vf list");
	tp_add(&tp_sc, "Error: bad arguments: set vf power 0 1 d5: 'd5' is not d0, d1, d2 or"
			" d3hot", "set vf power 0 1 d5");
	tp_add(&tp_sc, "Error: bad arguments: set vf power 0 1 d0 wake: unexpected 'wake' after"
			" the command", "set vf power 0 1 d0 wake");
	tp_add_prefix(&tp_sc, "Error: 9 VFs out of range (port 0 allows at most 8",
			"set vf num 0 9");
	tp_add_prefix(&tp_sc, "Error: 70000 VFs out of range (port 0 allows at most 8",
			"set vf num 0 70000");
	tp_add(&tp_sc, "Error: port 0 already has 8 VFs enabled: disable them first"
			" (set vf num 0 0)", "set vf num 0 4");
	tp_add(&tp_sc, "Error: unknown command: frobnicate (try help)", "frobnicate");
	/* States the world's VFs cannot enter (their PMC says so). */
	if ((pmc & VFBC_PCI_PM_PMC_D1) == 0)
		tp_add(&tp_sc, "Error: set vf power: VF 1 does not support D1",
				"set vf power 0 1 d1");
	if ((pmc & (1u << (VFBC_PCI_PM_PMC_PME_SHIFT + VFBC_PF_D3HOT))) == 0)
		tp_add(&tp_sc, "Error: set vf power: VF 1 does not support D3hot with wake-up"
				" (PME)", "set vf power 0 1 d3hot wake");

	before = tp_snap_take(&tp_topo);
	TEST_ASSERT_NOT_NULL(before, "no snapshot of the world");
	ret = tp_run(&tp_sc);
	after = tp_snap_take(&tp_topo);
	/* Bad input changes nothing. */
	if (ret == TEST_SUCCESS && (after == NULL || tp_snap_compare(before, after) != 0))
		ret = TEST_FAILED;
	free(before);
	free(after);
	return ret;
}

/* PowerState of VF @p vf in its config file, -1 if unreadable. */
static int
tp_vf_power_state(unsigned int vf)
{
	uint8_t cfg[TP_CFG_SIZE];
	struct rte_pci_addr a;
	unsigned int pm;

	a = tp_vf_addr(&tp_topo, vf);
	if (tp_cfg_read(&a, cfg) <= 0)
		return -1;
	pm = tp_find_cap(cfg, VFBC_PCI_CAP_ID_PM);
	if (pm == 0)
		return -1;
	return tp_get16(cfg, pm + VFBC_PCI_PM_CTRL) & VFBC_PCI_PM_CTRL_STATE_MASK;
}

static int
test_testpmd_sets_power(void)
{
	TEST_ASSERT_EQUAL(tp_vf_power_state(2), 0, "VF 2 not in D0 to begin with");
	tp_add(&tp_sc, "VF 2: power state D3hot", "set vf power 0 2 d3hot");
	TEST_ASSERT_SUCCESS(tp_run(&tp_sc), "set vf power d3hot");
	TEST_ASSERT_EQUAL(tp_vf_power_state(2), 3, "VF 2's PMCSR does not say D3hot");
	TEST_ASSERT_EQUAL(tp_vf_power_state(1), 0, "VF 1's power state changed");
	TEST_ASSERT_EQUAL(tp_vf_power_state(3), 0, "VF 3's power state changed");

	memset(&tp_sc, 0, sizeof(tp_sc));
	tp_add(&tp_sc, "VF 2: power state D0", "set vf power 0 2 d0");
	TEST_ASSERT_SUCCESS(tp_run(&tp_sc), "set vf power d0");
	TEST_ASSERT_EQUAL(tp_vf_power_state(2), 0, "VF 2's PMCSR does not say D0");
	return TEST_SUCCESS;
}

static int
test_testpmd_resets_vf(void)
{
	static const uint8_t b3[] = { 1, 2, 3, 4 };
	static const uint8_t b4[] = { 5, 6, 7, 8 };
	struct tp_snap *before, *after;
	int ret;

	tp_add(&tp_sc, "VF 3: wrote 4 bytes at 0xe0", "set vf bus-data 0 3 0xe0 1 2 3 4");
	tp_add(&tp_sc, "VF 4: wrote 4 bytes at 0xe0", "set vf bus-data 0 4 0xe0 5 6 7 8");
	before = tp_snap_take(&tp_topo);
	TEST_ASSERT_NOT_NULL(before, "no snapshot of the world");
	ret = tp_run(&tp_sc);
	after = tp_snap_take(&tp_topo);
	if (ret == TEST_SUCCESS && (after == NULL ||
			memcmp(&after->cfg[1 + 3][0xe0], b3, sizeof(b3)) != 0 ||
			memcmp(&after->cfg[1 + 4][0xe0], b4, sizeof(b4)) != 0)) {
		printf("the bytes written are not in the config files\n");
		ret = TEST_FAILED;
	}
	free(after);
	after = NULL;

	if (ret == TEST_SUCCESS) {
		memset(&tp_sc, 0, sizeof(tp_sc));
		tp_add(&tp_sc, "VF 3: function-level reset done", "reset vf 0 3");
		ret = tp_run(&tp_sc);
		after = tp_snap_take(&tp_topo);
	}
	/* The reset reached VF 3's device, and only that function. */
	if (ret == TEST_SUCCESS && (after == NULL ||
			memcmp(&after->cfg[1 + 3][0xe0], &before->cfg[1 + 3][0xe0],
				sizeof(b3)) != 0 ||
			memcmp(&after->cfg[1 + 4][0xe0], b4, sizeof(b4)) != 0)) {
		printf("after the reset, VF 3 does not hold its reset values or VF 4 changed\n");
		ret = TEST_FAILED;
	}
	free(before);
	free(after);
	return ret;
}

static int
test_testpmd_runs_command_file(void)
{
	char path[] = "/tmp/vfbc-tp-cmds-XXXXXX";
	struct tp_session s;
	char line[TP_LINE_MAX];
	char app[128];
	char *block;
	int status;
	int ret;
	int fd;

	fd = mkstemp(path);
	TEST_ASSERT(fd >= 0, "mkstemp: %s", strerror(errno));
	ret = dprintf(fd, "show vf location 0 1\n# a comment\nshow port info 0") > 0 ? 0 : -1;
	close(fd);
	TEST_ASSERT_SUCCESS(ret, "cannot write %s", path);

	/* Without -i, stdin is not read after the file. */
	snprintf(app, sizeof(app), "--cmdline-file %s", path);
	ret = TEST_FAILED;
	if (tp_session_start(&s, tp_eal_args(0), app) < 0 ||
			tp_session_send(&s, "show vf location 0 2") < 0)
		goto out;
	status = tp_session_finish(&s, 60);
	tp_vf_location_line(&tp_topo, 1, line, sizeof(line));
	block = tp_session_block(&s, 0);
	ret = block != NULL && tp_has_line(block, line) ? 0 : -1;
	free(block);
	/* The comment is echoed too: it is block 1. */
	block = tp_session_block(&s, 2);
	if (block == NULL || !tp_has_line(block, "Driver name: net_vfbc_pf"))
		ret = -1;
	free(block);
	snprintf(line, sizeof(line), "Read CLI commands from %s", path);
	if (status != 0 || ret != 0 || !tp_has_line(s.out, line) ||
			tp_session_block(&s, 3) != NULL) {
		printf("--cmdline-file without -i: status %d\n%s", status, s.out);
		ret = TEST_FAILED;
		goto out;
	}
	tp_session_free(&s);

	/* With -i, stdin follows the file, and quit ends it. */
	snprintf(app, sizeof(app), "--cmdline-file %s -i", path);
	ret = TEST_FAILED;
	if (tp_session_start(&s, tp_eal_args(0), app) < 0 ||
			tp_session_send(&s, "show vf location 0 2") < 0 ||
			tp_session_send(&s, "quit") < 0 ||
			tp_session_send(&s, "show vf location 0 3") < 0)
		goto out;
	status = tp_session_finish(&s, 60);
	tp_vf_location_line(&tp_topo, 2, line, sizeof(line));
	block = tp_session_block(&s, 3);
	ret = block != NULL && tp_has_line(block, line) ? 0 : -1;
	free(block);
	tp_vf_location_line(&tp_topo, 3, line, sizeof(line));
	if (status != 0 || ret != 0 || tp_has_line(s.out, line)) {
		printf("--cmdline-file with -i: status %d\n%s", status, s.out);
		ret = TEST_FAILED;
		goto out;
	}
	tp_session_free(&s);

	/* A file that cannot be read is an error, not a crash. */
	unlink(path);
	ret = TEST_FAILED;
	if (tp_session_start(&s, tp_eal_args(0), app) < 0)
		goto out;
	status = tp_session_finish(&s, 60);
	snprintf(line, sizeof(line), "Error: cannot open command file %s: %s", path,
			strerror(ENOENT));
	if (status != 1 || !tp_has_line(s.out, line)) {
		printf("missing command file: status %d\n%s", status, s.out);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	tp_session_free(&s);
	unlink(path);
	return ret;
}

/*
 * Lines cmdline would cut short: at a NUL byte or a carriage return it
 * stops reading, and a '#' inside a word ends the command. Each is refused
 * with its line and column, nothing of it runs, and the script fails.
 */
static int
test_testpmd_refuses_misread_lines(void)
{
	static const char script[] =
		"show vf location 0 1\n"
		"show vf location 0 2\0 and more\n"
		"set vf bus-data 0 1 0xa0 0x11\r0x22\n"
		"set vf bus-data 0 1 0xa0 0x11 0x22#0x33\n"
		"show vf\x01 list 0\n"
		"show vf location 0 3 # a comment\n"
		"show vf location 0 4\r\n";
	char path[] = "/tmp/vfbc-tp-bytes-XXXXXX";
	struct tp_snap *before, *after;
	struct tp_script sc;
	struct tp_session s;
	char app[128];
	int status;
	int ret;
	int fd;

	memset(&sc, 0, sizeof(sc));
	memset(&s, 0, sizeof(s));
	s.pid = s.in_fd = s.out_fd = -1;
	tp_vf_location_line(&tp_topo, 1, tp_line, sizeof(tp_line));
	tp_add(&sc, tp_line, "show vf location 0 1");
	tp_add(&sc, "Error: line 2: NUL byte at column 21: the line is not run", "line 2");
	tp_add(&sc, "Error: line 3: carriage return at column 30: the line is not run",
			"line 3");
	tp_add(&sc, "Error: line 4: '#' at column 35 is inside a word: a comment starts after"
			" a blank", "line 4");
	tp_add(&sc, "Error: line 5: control character 0x01 at column 8: the line is not run",
			"line 5");
	tp_vf_location_line(&tp_topo, 3, tp_line, sizeof(tp_line));
	tp_add(&sc, tp_line, "line 6");
	/* A Windows line end is a line end. */
	tp_vf_location_line(&tp_topo, 4, tp_line, sizeof(tp_line));
	tp_add(&sc, tp_line, "line 7");

	fd = mkstemp(path);
	TEST_ASSERT(fd >= 0, "mkstemp: %s", strerror(errno));
	ret = write(fd, script, sizeof(script) - 1) == (ssize_t)sizeof(script) - 1 ? 0 : -1;
	close(fd);
	if (ret < 0) {
		unlink(path);
		TEST_ASSERT_SUCCESS(ret, "cannot write %s", path);
	}
	before = tp_snap_take(&tp_topo);
	after = NULL;
	snprintf(app, sizeof(app), "--cmdline-file %s", path);
	ret = TEST_FAILED;
	if (before == NULL || tp_session_start(&s, tp_eal_args(0), app) < 0)
		goto out;
	status = tp_session_finish(&s, 60);
	after = tp_snap_take(&tp_topo);
	if (tp_script_check(&s, &sc) < 0 || status != 1) {
		printf("exit status %d, expected 1\n--- session ---\n%s--- end ---\n", status,
				s.out);
		goto out;
	}
	/* Not even the part before the bad byte ran. */
	if (after == NULL || tp_snap_compare(before, after) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	tp_session_free(&s);
	unlink(path);
	free(before);
	free(after);
	return ret;
}

/* Option values get the number rules of the console, and a reason. */
static int
test_testpmd_refuses_bad_options(void)
{
	static const char * const cases[][2] = {
		{ "--verdict-timeout 010", "--verdict-timeout: '010' has a leading zero" },
		{ "--request-timeout -1", "--request-timeout: '-1' has a sign" },
		{ "--verdict-timeout 0x100000000", "--verdict-timeout: '0x100000000' is above" },
		{ "--request-timeout 0", "--request-timeout: 0 ms: the wait must be at least" },
		{ "--verdict-timeout 10ms", "--verdict-timeout: '10ms' is not a number" },
	};
	struct tp_session s;
	unsigned int i;
	int status;

	for (i = 0; i < RTE_DIM(cases); i++) {
		if (tp_session_start(&s, tp_eal_args(0), cases[i][0]) < 0) {
			tp_session_free(&s);
			return TEST_FAILED;
		}
		status = tp_session_finish(&s, 60);
		if (status != 1 || strstr(s.out, cases[i][1]) == NULL) {
			printf("%s: exit status %d, expected 1 and \"%s\" in:\n%s", cases[i][0],
					status, cases[i][1], s.out);
			tp_session_free(&s);
			return TEST_FAILED;
		}
		tp_session_free(&s);
	}
	return TEST_SUCCESS;
}

/* NumVFs and VF Enable of the PF, from its config file; -1 if unreadable. */
static int
tp_pf_num_vfs(int *vf_enable)
{
	uint8_t cfg[TP_CFG_SIZE];

	if (tp_cfg_read(&tp_topo.pf, cfg) <= 0)
		return -1;
	*vf_enable = !!(tp_get16(cfg, tp_topo.sriov + RTE_PCI_SRIOV_CTRL) &
			VFBC_PCI_SRIOV_CTRL_VFE);
	return tp_get16(cfg, tp_topo.sriov + RTE_PCI_SRIOV_NUM_VF);
}

static int
test_testpmd_sets_num_vfs(void)
{
	uint8_t cfg[TP_CFG_SIZE];
	struct rte_pci_addr a;
	unsigned int i;
	int vfe;

	tp_add(&tp_sc, "Port 0: VFs disabled", "set vf num 0 0");
	TEST_ASSERT_SUCCESS(tp_run(&tp_sc), "set vf num 0 0");
	TEST_ASSERT_EQUAL(tp_pf_num_vfs(&vfe), 0, "PF NumVFs not 0");
	TEST_ASSERT_EQUAL(vfe, 0, "VF Enable still set");

	memset(&tp_sc, 0, sizeof(tp_sc));
	snprintf(tp_line, sizeof(tp_line), "Port 0 (PF %s): 0 of %u VFs enabled", TP_PF,
			tp_topo.total_vfs);
	tp_add(&tp_sc, tp_line, "show vf list 0");
	tp_vf_list_line(&tp_topo, 0, "disabled", tp_line, sizeof(tp_line));
	tp_add(&tp_sc, tp_line, "show vf list 0");
	tp_add(&tp_sc, "Error: show vf bus-data: port 0 has no VFs enabled (set vf num 0 <n>)",
			"show vf bus-data 0 0 0 4");
	tp_add(&tp_sc, "Port 0: VFs disabled", "set vf num 0 0");
	tp_add(&tp_sc, "Port 0: 3 VFs enabled", "set vf num 0 3");
	tp_vf_list_line(&tp_topo, 2, "ready", tp_line, sizeof(tp_line));
	tp_add(&tp_sc, tp_line, "show vf list 0");
	tp_vf_list_line(&tp_topo, 3, "disabled", tp_line, sizeof(tp_line));
	tp_add(&tp_sc, tp_line, "show vf list 0");
	tp_vf_location_line(&tp_topo, 2, tp_line, sizeof(tp_line));
	tp_add(&tp_sc, tp_line, "show vf location 0 2");
	tp_add(&tp_sc, "Error: VF 3 out of range (port 0 has 3 VFs)", "show vf bus-data 0 3 0 4");
	TEST_ASSERT_SUCCESS(tp_run(&tp_sc), "set vf num 0 3");
	TEST_ASSERT_EQUAL(tp_pf_num_vfs(&vfe), 3, "PF NumVFs not 3");
	TEST_ASSERT_EQUAL(vfe, 1, "VF Enable clear");
	for (i = 0; i < tp_topo.total_vfs; i++) {
		a = tp_vf_addr(&tp_topo, i);
		TEST_ASSERT_EQUAL(tp_cfg_read(&a, cfg) > 0, i < 3,
				"VF %u: config file %s", i, i < 3 ? "missing" : "present");
	}

	/* Back to the world's start, for whatever runs next. */
	memset(&tp_sc, 0, sizeof(tp_sc));
	tp_add(&tp_sc, "Port 0: VFs disabled", "set vf num 0 0");
	snprintf(tp_line, sizeof(tp_line), "Port 0: %u VFs enabled", tp_topo.num_vfs);
	tp_add(&tp_sc, tp_line, "set vf num 0 %u", tp_topo.num_vfs);
	TEST_ASSERT_SUCCESS(tp_run(&tp_sc), "set vf num back to %u", tp_topo.num_vfs);
	TEST_ASSERT_EQUAL(tp_pf_num_vfs(&vfe), tp_topo.num_vfs, "PF NumVFs not restored");
	return TEST_SUCCESS;
}

static struct unit_test_suite testpmd_script_suite = {
	.suite_name = "vfbc-testpmd scripted PF primary",
	.setup = tp_suite_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_shows_ports),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_starts_and_stops_ports),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_prints_help),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_lists_vfs),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_shows_sriov),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_shows_probed_bars),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_writes_bus_data),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_reads_bus_data),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_rejects_bad_input),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_sets_power),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_resets_vf),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_runs_command_file),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_refuses_misread_lines),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_refuses_bad_options),
		TEST_CASE_ST(tp_case_setup, NULL, test_testpmd_sets_num_vfs),
		TEST_CASES_END(),
	},
};

static int
test_testpmd_script(void)
{
	return unit_test_suite_runner(&testpmd_script_suite);
}

REGISTER_WORLD_TEST_COMMAND(testpmd_script_autotest, test_testpmd_script, TP_WORLD_OPTS);
