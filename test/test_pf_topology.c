/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_pf on broken topologies. Each command reshapes its fresh world
 * before EAL scans it (a VF directory removed, a VF that cannot be mapped,
 * bytes of the PF's SR-IOV capability or extended capability chain patched,
 * no sriov_numvfs) and checks that the probe survives, the port exists, each
 * VF has the state the topology implies, the driver's log names the problem,
 * and calls on unusable VFs fail with the documented errno, writing nothing.
 *
 * pf_topology_direct_enable_autotest enables VFs where no kernel owns SR-IOV
 * (no sriov_numvfs): the driver programs the capability itself. A thread
 * samples the PF's config file meanwhile to check the SR-IOV rules on the
 * bytes written, and can play the OS that enumerates the new VFs.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

/* The scenarios' expectations are written for the world's default topology. */
#define PF_TOPO_TOTAL_VFS	8
#define PF_TOPO_LOG_LEVEL	"--log-level=pmd.net.vfbc_pf*:info"
/* Free bytes of every VF's config space (no extended capability there). */
#define PF_TOPO_VF_SCRATCH	0x200
/* Where the reshapes put capabilities of their own. */
#define PF_TOPO_CAP_A		0x180
#define PF_TOPO_CAP_B		0x200
#define PF_TOPO_DIRECT_VFS	4

static uint16_t pf_port;
static struct test_pf_topo pf_topo;	/* after the reshape, if SR-IOV is findable */

/* ---- the driver's log, captured from before EAL init ---- */

static FILE *pf_log;
static char *pf_log_buf;
static size_t pf_log_len;

static int
pf_log_start(void)
{
	pf_log = open_memstream(&pf_log_buf, &pf_log_len);
	if (pf_log == NULL)
		return -errno;
	return rte_openlog_stream(pf_log);
}

static int
pf_log_has(const char *text)
{
	if (pf_log == NULL)
		return 0;
	fflush(pf_log);
	return pf_log_buf != NULL && strstr(pf_log_buf, text) != NULL;
}

/* Give the log back to EAL, printing what was captured if asked. */
static void
pf_log_stop(int print)
{
	if (pf_log == NULL)
		return;
	rte_openlog_stream(NULL);
	fclose(pf_log);
	if (print && pf_log_buf != NULL)
		printf("--- net_vfbc_pf log ---\n%s--- end of log ---\n", pf_log_buf);
	free(pf_log_buf);
	pf_log = NULL;
	pf_log_buf = NULL;
	pf_log_len = 0;
}

/* ---- the world's tree ---- */

static int __rte_format_printf(3, 4)
pf_world_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, size, "%s/devices/", vfbc_test_world_dir());
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= size - n)
		return -ENAMETOOLONG;
	return 0;
}

static int
pf_vf_name(unsigned int vf, char *name, size_t size)
{
	struct rte_pci_addr addr;

	if (test_pf_vf_addr(&pf_topo, vf, &addr) < 0)
		return -ERANGE;
	rte_pci_device_name(&addr, name, size);
	return 0;
}

static int
pf_rm_one(const char *path, const struct stat *st __rte_unused, int flag __rte_unused,
	  struct FTW *ftw __rte_unused)
{
	return remove(path) == 0 ? 0 : -1;
}

/* rm -rf of something under devices/ of VF vf; file NULL: its directory. */
static int
pf_vf_remove(unsigned int vf, const char *file)
{
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX];

	if (pf_vf_name(vf, name, sizeof(name)) < 0 ||
	    pf_world_path(path, sizeof(path), "%s%s%s", name, file != NULL ? "/" : "",
			  file != NULL ? file : "") < 0)
		return -EINVAL;
	if (nftw(path, pf_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		printf("cannot remove %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int
pf_numvfs_remove(void)
{
	char path[PATH_MAX];

	if (pf_world_path(path, sizeof(path), "%s/sriov_numvfs", TEST_PF_WORLD_PF) < 0)
		return -EINVAL;
	if (unlink(path) != 0) {
		printf("cannot remove %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int
pf_cfg_io(int is_write, uint32_t off, void *buf, uint32_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (pf_world_path(path, sizeof(path), "%s/config", TEST_PF_WORLD_PF) < 0)
		return -EINVAL;
	fd = open(path, (is_write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = is_write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static int
pf_cfg_put16(uint32_t off, uint16_t val)
{
	uint16_t v = rte_cpu_to_le_16(val);

	return pf_cfg_io(1, off, &v, sizeof(v));
}

static int
pf_cfg_put32(uint32_t off, uint32_t val)
{
	uint32_t v = rte_cpu_to_le_32(val);

	return pf_cfg_io(1, off, &v, sizeof(v));
}

static uint16_t
pf_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Extended capability header: ID, version 1, next pointer (12 bits). */
static uint32_t
pf_ext_hdr(uint16_t id, uint32_t next)
{
	return id | 1u << 16 | next << 20;
}

/* ---- reshapes: pf_topo holds the world's topology as built ---- */

static int
pf_reshape_vf_missing(void)
{
	return pf_vf_remove(2, NULL);
}

static int
pf_reshape_vf_unmappable(void)
{
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX], uio[PATH_MAX];

	/*
	 * VF 1: bound to no kernel driver; VF 2: bound to one EAL cannot do
	 * config I/O through. VF 3: neither its BAR file nor its uio device
	 * matter: the PF opens its config space, it maps nothing.
	 */
	if (pf_vf_remove(1, "driver") < 0 || pf_vf_remove(2, "driver") < 0 ||
	    pf_vf_remove(3, "resource0") < 0 || pf_vf_remove(3, "uio") < 0 ||
	    pf_vf_name(2, name, sizeof(name)) < 0 ||
	    pf_world_path(path, sizeof(path), "%s/driver", name) < 0)
		return -EINVAL;
	snprintf(uio, sizeof(uio), "../../drivers/ixgbevf");
	if (symlink(uio, path) != 0) {
		printf("cannot link %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int
pf_reshape_offset_zero(void)
{
	return pf_cfg_put16(pf_topo.sriov_pos + RTE_PCI_SRIOV_VF_OFFSET, 0);
}

static int
pf_reshape_stride_zero(void)
{
	return pf_cfg_put16(pf_topo.sriov_pos + RTE_PCI_SRIOV_VF_STRIDE, 0);
}

static int
pf_reshape_numvfs_above_total(void)
{
	return pf_cfg_put16(pf_topo.sriov_pos + RTE_PCI_SRIOV_NUM_VF, pf_topo.total_vfs + 1);
}

/* VFs 0..3 on the last four functions of bus 255, VFs 4.. beyond it. */
static int
pf_reshape_rid_beyond_bus_255(void)
{
	uint32_t pf_rid = (uint32_t)pf_topo.pf.bus << 8 | pf_topo.pf.devid << 3 |
			  pf_topo.pf.function;

	return pf_cfg_put16(pf_topo.sriov_pos + RTE_PCI_SRIOV_VF_OFFSET,
			    (uint16_t)(0x10000 - 4 - pf_rid));
}

static int
pf_reshape_no_sriov(void)
{
	return pf_cfg_put32(VFBC_PCI_EXT_CAP_START, 0);
}

/* 0x100 -> CAP_A -> 0x100: the SR-IOV capability is never reached. */
static int
pf_reshape_ext_cap_loop(void)
{
	if (pf_cfg_put32(VFBC_PCI_EXT_CAP_START,
			 pf_ext_hdr(RTE_PCI_EXT_CAP_ID_DSN, PF_TOPO_CAP_A)) < 0)
		return -EIO;
	return pf_cfg_put32(PF_TOPO_CAP_A, pf_ext_hdr(RTE_PCI_EXT_CAP_ID_ERR,
						      VFBC_PCI_EXT_CAP_START));
}

static int
pf_reshape_ext_cap_below_ext_space(void)
{
	return pf_cfg_put32(VFBC_PCI_EXT_CAP_START,
			    pf_ext_hdr(RTE_PCI_EXT_CAP_ID_DSN, VFBC_PCI_EXT_CAP_START - 4));
}

/* SR-IOV moved to CAP_B, reached through a pointer with its reserved bits set. */
static int
pf_reshape_ext_cap_reserved_bits(void)
{
	uint8_t cap[VFBC_PCI_SRIOV_SIZEOF];

	if (pf_cfg_io(0, pf_topo.sriov_pos, cap, sizeof(cap)) < 0 ||
	    pf_cfg_io(1, PF_TOPO_CAP_B, cap, sizeof(cap)) < 0 ||
	    pf_cfg_put32(PF_TOPO_CAP_B, pf_ext_hdr(RTE_PCI_EXT_CAP_ID_SRIOV, 0)) < 0)
		return -EIO;
	return pf_cfg_put32(VFBC_PCI_EXT_CAP_START,
			    pf_ext_hdr(RTE_PCI_EXT_CAP_ID_DSN, PF_TOPO_CAP_B | 3));
}

/*
 * What a command expects. states has one letter per VF up to TotalVFs:
 * R ready, M missing, U unmapped, X unroutable, D disabled; "" when the
 * driver must find no SR-IOV capability.
 */
struct pf_topo_scenario {
	const char *command;
	int (*reshape)(void);
	uint16_t cap_offset;
	const char *states;
	const char *log[3];
};

static const struct pf_topo_scenario pf_topo_scenarios[] = {
	{ "pf_topology_vf_missing_autotest", pf_reshape_vf_missing, 0x100, "RRMRRRRR",
	  { "VF 2 (0000:01:00.3): not present in", "7 ready, 1 missing" } },
	{ "pf_topology_vf_unmappable_autotest", pf_reshape_vf_unmappable, 0x100, "RUURRRRR",
	  { "VF 1 (0000:01:00.2): cannot open its config space (kernel driver none)",
	    "VF 2 (0000:01:00.3): cannot open its config space (kernel driver unsupported)",
	    "6 ready, 0 missing, 2 unmapped" } },
	{ "pf_topology_vf_offset_zero_autotest", pf_reshape_offset_zero, 0x100, "XXXXXXXX",
	  { "First VF Offset is 0: inconsistent SR-IOV capability" } },
	{ "pf_topology_vf_stride_zero_autotest", pf_reshape_stride_zero, 0x100, "RXXXXXXX",
	  { "VF Stride is 0 with 8 VFs: inconsistent SR-IOV capability" } },
	{ "pf_topology_numvfs_above_total_autotest", pf_reshape_numvfs_above_total, 0x100,
	  "RRRRRRRR", { "NumVFs 9 > TotalVFs 8: inconsistent SR-IOV capability" } },
	{ "pf_topology_rid_beyond_bus_255_autotest", pf_reshape_rid_beyond_bus_255, 0x100,
	  "MMMMXXXX", { "VF 4 and above: routing ID beyond bus 255",
			"VF 0 (0000:ff:1f.4): not present in" } },
	{ "pf_topology_no_sriov_autotest", pf_reshape_no_sriov, 0, "",
	  { "0000:01:00.0: no SR-IOV capability" } },
	{ "pf_topology_ext_cap_loop_autotest", pf_reshape_ext_cap_loop, 0, "",
	  { "0000:01:00.0: its capability list loops", "no SR-IOV capability" } },
	{ "pf_topology_ext_cap_below_ext_space_autotest", pf_reshape_ext_cap_below_ext_space,
	  0, "", { "0000:01:00.0: a capability pointer points into the header (or an extended "
		   "one below 0x100)", "no SR-IOV capability" } },
	{ "pf_topology_ext_cap_reserved_bits_autotest", pf_reshape_ext_cap_reserved_bits,
	  PF_TOPO_CAP_B, "RRRRRRRR", { "SR-IOV at 0x200, TotalVFs 8, 8 VFs enabled" } },
};

static const struct pf_topo_scenario *pf_sc;

static uint32_t
pf_state_of(char c)
{
	switch (c) {
	case 'R':
		return VFBC_PF_VF_READY;
	case 'M':
		return VFBC_PF_VF_MISSING;
	case 'U':
		return VFBC_PF_VF_UNMAPPED;
	case 'X':
		return VFBC_PF_VF_UNROUTABLE;
	default:
		return VFBC_PF_VF_DISABLED;
	}
}

/* VFs described by the scenario (TotalVFs, or 0 without SR-IOV). */
static uint16_t
pf_topo_nb_states(void)
{
	return (uint16_t)strlen(pf_sc->states);
}

/* VFs the driver manages: every letter but D. */
static int
pf_topo_nb_vfs(void)
{
	const char *c;
	int n = 0;

	for (c = pf_sc->states; *c != '\0'; c++)
		n += *c != 'D';
	return n;
}

static int
test_pf_topology_setup(void)
{
	const char *name;
	unsigned int i;
	int ret;

	name = vfbc_test_command_name();
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run through vfbc-test)");
	for (i = 0; i < RTE_DIM(pf_topo_scenarios); i++)
		if (name != NULL && strcmp(name, pf_topo_scenarios[i].command) == 0)
			pf_sc = &pf_topo_scenarios[i];
	TEST_ASSERT_NOT_NULL(pf_sc, "no scenario for command %s", name != NULL ? name : "?");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "cannot read the PF's config file");
	TEST_ASSERT(pf_topo.total_vfs == PF_TOPO_TOTAL_VFS && pf_topo.num_vfs == PF_TOPO_TOTAL_VFS,
		    "expectations need the default world (%u VFs), got %u of %u",
		    PF_TOPO_TOTAL_VFS, pf_topo.num_vfs, pf_topo.total_vfs);
	TEST_ASSERT_SUCCESS(pf_sc->reshape(), "reshaping the world failed");
	if (pf_sc->cap_offset != 0)
		TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "patched config file");
	ret = test_pf_world_start(&pf_port, PF_TOPO_LOG_LEVEL);
	if (ret != TEST_SUCCESS)
		return ret;
	return TEST_SUCCESS;
}

static int
test_pf_topology_port_reports_capability(void)
{
	struct vfbc_pf_sriov_info sinfo;
	struct rte_eth_dev_info dinfo;
	uint16_t total = pf_sc->cap_offset != 0 ? PF_TOPO_TOTAL_VFS : 0;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(pf_port, &dinfo), "dev info");
	TEST_ASSERT(strcmp(dinfo.driver_name, "net_vfbc_pf") == 0, "driver %s",
		    dinfo.driver_name);
	TEST_ASSERT_EQUAL(dinfo.max_vfs, total, "max_vfs %u, expected %u", dinfo.max_vfs,
			  total);
	TEST_ASSERT_SUCCESS(vfbc_pf_get_sriov_info(pf_port, &sinfo), "SR-IOV info");
	TEST_ASSERT_EQUAL(sinfo.cap_offset, pf_sc->cap_offset, "capability at 0x%x, expected 0x%x",
			  sinfo.cap_offset, pf_sc->cap_offset);
	if (total != 0)
		TEST_ASSERT_EQUAL(sinfo.total_vfs, total, "TotalVFs %u", sinfo.total_vfs);
	return TEST_SUCCESS;
}

static int
test_pf_topology_log_names_problem(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(pf_sc->log) && pf_sc->log[i] != NULL; i++)
		TEST_ASSERT(pf_log_has(pf_sc->log[i]), "no log line with \"%s\"", pf_sc->log[i]);
	return TEST_SUCCESS;
}

static int
test_pf_topology_vf_states_match(void)
{
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr addr;
	uint16_t vf, n;
	uint32_t want;

	n = pf_topo_nb_states();
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), pf_topo_nb_vfs(), "VF count %d",
			  vfbc_pf_vf_count(pf_port));
	for (vf = 0; vf < n; vf++) {
		want = pf_state_of(pf_sc->states[vf]);
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "VF %u info", vf);
		TEST_ASSERT_EQUAL(info.state, want, "VF %u is %s, expected %s", vf,
				  vfbc_pf_vf_state_str(info.state), vfbc_pf_vf_state_str(want));
		if (want == VFBC_PF_VF_UNROUTABLE) {
			TEST_ASSERT_EQUAL(info.rid, 0, "unroutable VF %u has RID 0x%x", vf,
					  info.rid);
		} else {
			TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "VF address");
			TEST_ASSERT(rte_pci_addr_cmp(&info.addr, &addr) == 0,
				    "VF %u at the wrong address", vf);
		}
		if (want == VFBC_PF_VF_READY)
			TEST_ASSERT(info.cfg_size == RTE_PCI_CFG_SPACE_EXP_SIZE &&
				    info.mapped_by_pf, "ready VF %u not mapped by the PF", vf);
		else
			TEST_ASSERT(info.cfg_size == 0 && !info.mapped_by_pf,
				    "VF %u: size %u mapped %u", vf, info.cfg_size,
				    info.mapped_by_pf);
	}
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_info(pf_port, n, &info), -EINVAL, "VF beyond TotalVFs");
	return TEST_SUCCESS;
}

/* The VF-addressed calls on an unusable VF: errno, nothing written. */
static int
pf_unusable_vf_calls(uint16_t vf, uint32_t state)
{
	uint8_t buf[4] = { 0xde, 0xad, 0xbe, 0xef };
	int enxio_ids = pf_sc->cap_offset == 0;
	struct rte_pci_addr addr, want;
	uint16_t ven, dev;

	TEST_ASSERT_EQUAL(vfbc_pf_write_vf_config(pf_port, vf, buf, 0x40, 4), -ENXIO,
			  "write VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(pf_port, vf, buf, 0x40, 4), -ENXIO,
			  "read VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_bus_data(pf_port, vf, buf, 0x40, 4), 0u,
			  "set bus data VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_get_vf_bus_data(pf_port, vf, buf, 0x40, 4), 0u,
			  "get bus data VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_reset_vf(pf_port, vf), -ENXIO, "reset VF %u", vf);
	TEST_ASSERT_EQUAL(vfbc_pf_set_vf_power_state(pf_port, vf, VFBC_PF_D3HOT, 0), -ENXIO,
			  "power VF %u", vf);
	/* Location and IDs come from the PF: known unless unroutable or off. */
	if (enxio_ids || state == VFBC_PF_VF_UNROUTABLE) {
		TEST_ASSERT_EQUAL(vfbc_pf_get_vf_location(pf_port, vf, &addr), -ENXIO,
				  "location of VF %u", vf);
	} else {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(pf_port, vf, &addr), "location");
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &want), "VF address");
		TEST_ASSERT(rte_pci_addr_cmp(&addr, &want) == 0, "VF %u location", vf);
	}
	if (enxio_ids) {
		TEST_ASSERT_EQUAL(vfbc_pf_get_vf_ids(pf_port, vf, &ven, &dev), -ENXIO, "IDs");
	} else {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_ids(pf_port, vf, &ven, &dev), "IDs");
		TEST_ASSERT(ven == pf_topo.pf_vendor && dev == pf_topo.vf_device,
			    "VF %u IDs %04x:%04x", vf, ven, dev);
	}
	return TEST_SUCCESS;
}

static int
test_pf_topology_unusable_vfs_fail_cleanly(void)
{
	uint16_t vf, n, bad = 0;
	struct test_pf_snap snap;
	uint64_t enxio;
	int ret = TEST_SUCCESS;

	n = pf_topo_nb_states();
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	enxio = test_pf_xstat(pf_port, "vf_cfg_fail_enxio");
	if (n == 0) {
		/* No SR-IOV capability: virtualization is off. */
		ret = pf_unusable_vf_calls(0, VFBC_PF_VF_DISABLED);
		bad = 1;
	}
	for (vf = 0; vf < n && ret == TEST_SUCCESS; vf++) {
		if (pf_sc->states[vf] == 'R' || pf_sc->states[vf] == 'D')
			continue;
		ret = pf_unusable_vf_calls(vf, pf_state_of(pf_sc->states[vf]));
		bad++;
	}
	if (ret == TEST_SUCCESS && test_pf_snap_check(&snap) != 0)
		ret = TEST_FAILED;
	test_pf_snap_free(&snap);
	TEST_ASSERT_SUCCESS(ret, "an unusable VF call misbehaved");
	if (bad == 0)
		TEST_SKIP("every VF of this topology is usable");
	/* write, read, set and get bus data: four refused accesses per VF. */
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "vf_cfg_fail_enxio") - enxio, 4u * bad,
			  "vf_cfg_fail_enxio did not count the refused accesses");
	return TEST_SUCCESS;
}

static int
test_pf_topology_ready_vfs_still_work(void)
{
	uint16_t vf, n, ready = 0;
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	uint8_t data[4];
	int ret;

	n = pf_topo_nb_states();
	for (vf = 0; vf < n; vf++) {
		if (pf_sc->states[vf] != 'R')
			continue;
		ready++;
		test_pf_fill(data, sizeof(data), vf + 1);
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "VF address");
		TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
		f = test_pf_snap_find(&snap, &addr);
		if (f != NULL)
			memcpy(f->data + PF_TOPO_VF_SCRATCH, data, sizeof(data));
		ret = vfbc_pf_write_vf_config(pf_port, vf, data, PF_TOPO_VF_SCRATCH,
					      sizeof(data));
		if (f == NULL || ret != (int)sizeof(data) || test_pf_snap_check(&snap) != 0) {
			test_pf_snap_free(&snap);
			TEST_ASSERT(0, "write to ready VF %u: %d", vf, ret);
		}
		test_pf_snap_free(&snap);
	}
	if (ready == 0)
		TEST_SKIP("no VF of this topology is ready");
	return TEST_SUCCESS;
}

static int
test_pf_topology_enable_refused_unchanged(void)
{
	int want = pf_sc->cap_offset == 0 ? -ENOTSUP : -EBUSY;
	struct test_pf_snap snap;
	int r1, r2, same;

	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	r1 = vfbc_pf_enable_virtualization(pf_port, 1);
	r2 = pf_sc->cap_offset == 0 ? vfbc_pf_enable_virtualization(pf_port, 0) : want;
	same = test_pf_snap_check(&snap) == 0;
	test_pf_snap_free(&snap);
	TEST_ASSERT_EQUAL(r1, want, "enable 1 VF: %d, expected %d", r1, want);
	TEST_ASSERT_EQUAL(r2, want, "disable without SR-IOV: %d, expected %d", r2, want);
	TEST_ASSERT(same, "a config file changed");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), pf_topo_nb_vfs(), "VF count changed");
	return TEST_SUCCESS;
}

static struct unit_test_suite test_pf_topology_suite = {
	.suite_name = "net_vfbc_pf broken topologies",
	.setup = test_pf_topology_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_topology_port_reports_capability),
		TEST_CASE(test_pf_topology_log_names_problem),
		TEST_CASE(test_pf_topology_vf_states_match),
		TEST_CASE(test_pf_topology_unusable_vfs_fail_cleanly),
		TEST_CASE(test_pf_topology_ready_vfs_still_work),
		TEST_CASE(test_pf_topology_enable_refused_unchanged),
		TEST_CASES_END()
	}
};

static int
test_pf_topology(void)
{
	int ret;

	if (pf_log_start() != 0) {
		printf("cannot capture the log\n");
		return TEST_FAILED;
	}
	ret = unit_test_suite_runner(&test_pf_topology_suite);
	pf_log_stop(ret == TEST_FAILED);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(pf_topology_vf_missing_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_vf_unmappable_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_vf_offset_zero_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_vf_stride_zero_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_numvfs_above_total_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_rid_beyond_bus_255_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_no_sriov_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_ext_cap_loop_autotest, test_pf_topology, "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_ext_cap_below_ext_space_autotest, test_pf_topology,
			    "");
REGISTER_WORLD_TEST_COMMAND(pf_topology_ext_cap_reserved_bits_autotest, test_pf_topology, "");

/* ---- enabling VFs where no kernel owns SR-IOV ---- */

/*
 * Samples the PF's config file while the driver programs the capability:
 * only NumVFs, SR-IOV Control's VF Enable / VF MSE and the VF BARs (the
 * sizing probe) may change; NumVFs is only changed while VF Enable is clear
 * (SR-IOV 3.3.7), the VF BARs only while VF MSE is clear. With enumerate set
 * it plays the OS: once VF Enable is set it writes the new sriov_numvfs,
 * which makes the world create the VFs.
 */
struct pf_watch {
	pthread_t tid;
	uint16_t num_vfs;
	int enumerate;
	int stop;
	unsigned int samples;
	unsigned int enabled;	/* samples with NumVFs, VF Enable and VF MSE set */
	uint8_t base[RTE_PCI_CFG_SPACE_EXP_SIZE];
	char err[200];
};

static int
pf_watch_sample(struct pf_watch *w, const uint8_t *cfg)
{
	uint32_t pos = pf_topo.sriov_pos, b;
	uint32_t ctl = pos + RTE_PCI_SRIOV_CTRL, num = pos + RTE_PCI_SRIOV_NUM_VF;
	uint32_t bar = pos + VFBC_PCI_SRIOV_BAR;
	uint32_t bar_end = bar + VFBC_PF_NUM_BARS * VFBC_PCI_SRIOV_BAR_SIZEOF;
	const uint16_t on = VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE;
	uint16_t ctrl, nvf;
	int bars_moved;

	ctrl = pf_get16(cfg + ctl);
	nvf = pf_get16(cfg + num);
	bars_moved = memcmp(cfg + bar, w->base + bar, bar_end - bar) != 0;

	for (b = 0; b < sizeof(w->base); b++) {
		if (cfg[b] == w->base[b] || (b >= ctl && b < ctl + 2) ||
		    (b >= num && b < num + 2) || (b >= bar && b < bar_end))
			continue;
		snprintf(w->err, sizeof(w->err), "PF config byte 0x%03x changed", b);
		return -1;
	}
	if ((ctrl ^ pf_get16(w->base + ctl)) & ~on) {
		snprintf(w->err, sizeof(w->err), "SR-IOV Control 0x%04x: bits beyond VFE/MSE",
			 ctrl);
		return -1;
	}
	if ((ctrl & VFBC_PCI_SRIOV_CTRL_VFE) && nvf != w->num_vfs) {
		snprintf(w->err, sizeof(w->err), "VF Enable set with NumVFs %u", nvf);
		return -1;
	}
	if (bars_moved && (ctrl & VFBC_PCI_SRIOV_CTRL_MSE)) {
		snprintf(w->err, sizeof(w->err), "VF BARs written while VF MSE is set");
		return -1;
	}
	if ((ctrl & on) == on && nvf == w->num_vfs)
		w->enabled++;
	return 0;
}

static void
pf_watch_enumerate(struct pf_watch *w)
{
	char path[PATH_MAX], val[16];
	int fd, len;

	w->enumerate = 0;
	if (pf_world_path(path, sizeof(path), "%s/sriov_numvfs", TEST_PF_WORLD_PF) < 0)
		return;
	len = snprintf(val, sizeof(val), "%u\n", w->num_vfs);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, val, len) != len)
		snprintf(w->err, sizeof(w->err), "cannot write the PF's sriov_numvfs");
	if (fd >= 0)
		close(fd);
}

static void *
pf_watch_run(void *arg)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	struct pf_watch *w = arg;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		if (pf_cfg_io(0, 0, cfg, sizeof(cfg)) < 0) {
			snprintf(w->err, sizeof(w->err), "cannot read the PF's config file");
			break;
		}
		w->samples++;
		if (pf_watch_sample(w, cfg) < 0)
			break;
		if (w->enumerate && w->enabled > 0)
			pf_watch_enumerate(w);
		usleep(200);
	}
	return NULL;
}

static int
pf_watch_start(struct pf_watch *w, uint16_t num_vfs, int enumerate)
{
	memset(w, 0, sizeof(*w));
	w->num_vfs = num_vfs;
	w->enumerate = enumerate;
	if (pf_cfg_io(0, 0, w->base, sizeof(w->base)) < 0)
		return -EIO;
	return -pthread_create(&w->tid, NULL, pf_watch_run, w);
}

static int
pf_watch_stop(struct pf_watch *w)
{
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	pthread_join(w->tid, NULL);
	if (w->err[0] != '\0') {
		printf("after %u samples: %s\n", w->samples, w->err);
		return -1;
	}
	return 0;
}

static int
pf_all_vfs_disabled(void)
{
	struct vfbc_pf_vf_info info;
	uint16_t vf;

	for (vf = 0; vf < pf_topo.total_vfs; vf++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "VF %u info", vf);
		TEST_ASSERT_EQUAL(info.state, VFBC_PF_VF_DISABLED, "VF %u is %s", vf,
				  vfbc_pf_vf_state_str(info.state));
	}
	return TEST_SUCCESS;
}

static int
test_pf_direct_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run through vfbc-test)");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "cannot read the PF's config file");
	TEST_ASSERT(pf_topo.num_vfs == 0 && pf_topo.total_vfs > PF_TOPO_DIRECT_VFS,
		    "needs a world with no VF enabled and more than %d VFs", PF_TOPO_DIRECT_VFS);
	TEST_ASSERT_SUCCESS(pf_numvfs_remove(), "no kernel must own SR-IOV");
	return test_pf_world_start(&pf_port, PF_TOPO_LOG_LEVEL);
}

/* NumVFs would route the last VF nowhere: refused, NumVFs put back. */
static int
test_pf_direct_enable_unroutable_is_erange(void)
{
	uint32_t off = pf_topo.sriov_pos + RTE_PCI_SRIOV_VF_OFFSET;
	struct test_pf_snap snap;
	int ret, same;

	TEST_ASSERT_SUCCESS(pf_cfg_put16(off, 0), "patching First VF Offset");
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	ret = vfbc_pf_enable_virtualization(pf_port, 2);
	same = test_pf_snap_check(&snap) == 0;
	test_pf_snap_free(&snap);
	TEST_ASSERT_SUCCESS(pf_cfg_put16(off, pf_topo.vf_offset), "restoring First VF Offset");
	TEST_ASSERT_EQUAL(ret, -ERANGE, "enable with First VF Offset 0: %d", ret);
	TEST_ASSERT(same, "a config file changed");
	TEST_ASSERT(pf_log_has("cannot enable 2 VFs: VF 1 would be unroutable"), "no log line");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VF count");
	return pf_all_vfs_disabled();
}

/* Nothing enumerates the VFs: -ETIMEDOUT, and the capability is put back. */
static int
test_pf_direct_enable_unenumerated_is_undone(void)
{
	struct test_pf_snap snap;
	struct pf_watch w;
	int ret, same, watch;

	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	if (pf_watch_start(&w, PF_TOPO_DIRECT_VFS, 0) != 0) {
		test_pf_snap_free(&snap);
		TEST_ASSERT(0, "cannot start the watcher");
	}
	ret = vfbc_pf_enable_virtualization(pf_port, PF_TOPO_DIRECT_VFS);
	watch = pf_watch_stop(&w);
	same = test_pf_snap_check(&snap) == 0;
	test_pf_snap_free(&snap);
	TEST_ASSERT_EQUAL(ret, -ETIMEDOUT, "enable without VFs appearing: %d", ret);
	TEST_ASSERT_SUCCESS(watch, "SR-IOV rules broken while enabling");
	TEST_ASSERT(w.enabled > 0, "NumVFs %d with VF Enable and VF MSE never seen (%u samples)",
		    PF_TOPO_DIRECT_VFS, w.samples);
	TEST_ASSERT(same, "the capability was not put back as it was");
	TEST_ASSERT(pf_log_has("4 VFs enabled through the SR-IOV capability did not appear"),
		    "no log line");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VF count");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "virt_changes"), 0u, "virt_changes");
	return pf_all_vfs_disabled();
}

static int
test_pf_direct_enable_enumerated_vfs_work(void)
{
	uint8_t data[4] = { 0x11, 0x22, 0x33, 0x44 };
	struct vfbc_pf_vf_info info;
	struct rte_pci_addr addr;
	struct test_pf_snap snap;
	struct test_pf_file *f;
	struct pf_watch w;
	int ret, watch;
	uint16_t vf;

	TEST_ASSERT_SUCCESS(pf_watch_start(&w, PF_TOPO_DIRECT_VFS, 1), "watcher");
	ret = vfbc_pf_enable_virtualization(pf_port, PF_TOPO_DIRECT_VFS);
	watch = pf_watch_stop(&w);
	TEST_ASSERT_SUCCESS(ret, "enable: %d", ret);
	TEST_ASSERT_SUCCESS(watch, "SR-IOV rules broken while enabling");
	TEST_ASSERT(pf_log_has("enabled 4 VFs through the SR-IOV capability"), "no log line");
	TEST_ASSERT_SUCCESS(test_pf_topo_read(&pf_topo), "PF config file");
	TEST_ASSERT_EQUAL(pf_topo.num_vfs, PF_TOPO_DIRECT_VFS, "NumVFs / VF Enable");
	TEST_ASSERT(pf_topo.ctrl & VFBC_PCI_SRIOV_CTRL_MSE, "VF MSE clear");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), PF_TOPO_DIRECT_VFS, "VF count");
	for (vf = 0; vf < pf_topo.total_vfs; vf++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_info(pf_port, vf, &info), "info");
		if (vf >= PF_TOPO_DIRECT_VFS) {
			TEST_ASSERT_EQUAL(info.state, VFBC_PF_VF_DISABLED, "VF %u", vf);
			continue;
		}
		TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, vf, &addr), "address");
		TEST_ASSERT(info.state == VFBC_PF_VF_READY && info.mapped_by_pf &&
			    rte_pci_addr_cmp(&info.addr, &addr) == 0,
			    "VF %u %s, not ready and mapped at the routed address", vf,
			    vfbc_pf_vf_state_str(info.state));
	}
	TEST_ASSERT_SUCCESS(test_pf_vf_addr(&pf_topo, PF_TOPO_DIRECT_VFS - 1, &addr), "address");
	TEST_ASSERT_SUCCESS(test_pf_snap_take(&snap), "snapshot failed");
	f = test_pf_snap_find(&snap, &addr);
	if (f != NULL)
		memcpy(f->data + PF_TOPO_VF_SCRATCH, data, sizeof(data));
	ret = vfbc_pf_write_vf_config(pf_port, PF_TOPO_DIRECT_VFS - 1, data,
				      PF_TOPO_VF_SCRATCH, sizeof(data));
	if (f == NULL || ret != (int)sizeof(data) || test_pf_snap_check(&snap) != 0) {
		test_pf_snap_free(&snap);
		TEST_ASSERT(0, "write to the last new VF: %d", ret);
	}
	test_pf_snap_free(&snap);
	return TEST_SUCCESS;
}

static int
test_pf_direct_disable_clears_capability(void)
{
	uint8_t before[RTE_PCI_CFG_SPACE_EXP_SIZE], after[RTE_PCI_CFG_SPACE_EXP_SIZE];
	uint32_t ctl = pf_topo.sriov_pos + RTE_PCI_SRIOV_CTRL;
	uint32_t num = pf_topo.sriov_pos + RTE_PCI_SRIOV_NUM_VF;
	struct pf_watch w;
	int ret, watch;

	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), PF_TOPO_DIRECT_VFS,
			  "needs the VFs of the previous case");
	/* The world wrote sriov_numvfs back: take it away again. */
	TEST_ASSERT_SUCCESS(pf_numvfs_remove(), "no kernel must own SR-IOV");
	TEST_ASSERT_SUCCESS(pf_cfg_io(0, 0, before, sizeof(before)), "PF config file");
	TEST_ASSERT_SUCCESS(pf_watch_start(&w, PF_TOPO_DIRECT_VFS, 0), "watcher");
	ret = vfbc_pf_enable_virtualization(pf_port, 0);
	watch = pf_watch_stop(&w);
	TEST_ASSERT_SUCCESS(ret, "disable: %d", ret);
	TEST_ASSERT_SUCCESS(watch, "SR-IOV rules broken while disabling");
	TEST_ASSERT(pf_log_has("disabled 4 VFs through the SR-IOV capability"), "no log line");
	TEST_ASSERT_SUCCESS(pf_cfg_io(0, 0, after, sizeof(after)), "PF config file");
	TEST_ASSERT_EQUAL(pf_get16(after + num), 0, "NumVFs not cleared");
	TEST_ASSERT_EQUAL(pf_get16(after + ctl), pf_get16(before + ctl) &
			  ~(VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE),
			  "SR-IOV Control 0x%04x", pf_get16(after + ctl));
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_port), 0, "VF count");
	TEST_ASSERT_EQUAL(test_pf_xstat(pf_port, "virt_changes"), 2u, "virt_changes");
	return pf_all_vfs_disabled();
}

static struct unit_test_suite test_pf_direct_suite = {
	.suite_name = "net_vfbc_pf enable through the SR-IOV capability",
	.setup = test_pf_direct_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_direct_enable_unroutable_is_erange),
		TEST_CASE(test_pf_direct_enable_unenumerated_is_undone),
		TEST_CASE(test_pf_direct_enable_enumerated_vfs_work),
		TEST_CASE(test_pf_direct_disable_clears_capability),
		TEST_CASES_END()
	}
};

static int
test_pf_direct(void)
{
	int ret;

	if (pf_log_start() != 0) {
		printf("cannot capture the log\n");
		return TEST_FAILED;
	}
	ret = unit_test_suite_runner(&test_pf_direct_suite);
	pf_log_stop(ret == TEST_FAILED);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(pf_topology_direct_enable_autotest, test_pf_direct, "--num-vfs 0");
