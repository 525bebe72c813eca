/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include <vfbc_launch.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

int
test_pf_world_start(uint16_t *port_id, const char *extra_eal_args)
{
	int ret;

	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run through vfbc-test)");
	ret = vfbc_test_eal_init("%s", extra_eal_args != NULL ? extra_eal_args : "");
	if (ret != TEST_SUCCESS)
		return ret;
	if (rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, port_id) != 0) {
		printf("PF %s was not probed as an ethdev port\n", TEST_PF_WORLD_PF);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static int
test_pf_read_file(const char *path, uint8_t *buf, uint32_t size, uint32_t *len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, size, 0);
	close(fd);
	if (n < 0)
		return -errno;
	*len = (uint32_t)n;
	return 0;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

int
test_pf_topo_read(struct test_pf_topo *topo)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	char path[PATH_MAX];
	uint32_t len, pos, hdr;
	int ttl;

	memset(topo, 0, sizeof(*topo));
	if (rte_pci_addr_parse(TEST_PF_WORLD_PF, &topo->pf) != 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/devices/%s/config", vfbc_test_world_dir(),
		 TEST_PF_WORLD_PF);
	if (test_pf_read_file(path, cfg, sizeof(cfg), &len) < 0 || len != sizeof(cfg))
		return -EIO;
	topo->pf_vendor = get16(cfg + RTE_PCI_VENDOR_ID);
	for (pos = VFBC_PCI_EXT_CAP_START, ttl = 64; pos != 0 && ttl > 0; ttl--) {
		hdr = get32(cfg + pos);
		if (RTE_PCI_EXT_CAP_ID(hdr) == RTE_PCI_EXT_CAP_ID_SRIOV)
			break;
		pos = RTE_PCI_EXT_CAP_NEXT(hdr);
		if (pos < VFBC_PCI_EXT_CAP_START)
			pos = 0;
	}
	if (pos == 0 || ttl == 0)
		return -ENOENT;
	topo->sriov_pos = (uint16_t)pos;
	topo->total_vfs = get16(cfg + pos + RTE_PCI_SRIOV_TOTAL_VF);
	topo->num_vfs = get16(cfg + pos + RTE_PCI_SRIOV_NUM_VF);
	topo->ctrl = get16(cfg + pos + RTE_PCI_SRIOV_CTRL);
	topo->vf_offset = get16(cfg + pos + RTE_PCI_SRIOV_VF_OFFSET);
	topo->vf_stride = get16(cfg + pos + RTE_PCI_SRIOV_VF_STRIDE);
	topo->vf_device = get16(cfg + pos + RTE_PCI_SRIOV_VF_DID);
	if (!(topo->ctrl & VFBC_PCI_SRIOV_CTRL_VFE))
		topo->num_vfs = 0;
	return 0;
}

int
test_pf_vf_addr(const struct test_pf_topo *topo, unsigned int i, struct rte_pci_addr *addr)
{
	unsigned int rid;

	rid = (unsigned int)topo->pf.bus << 8 | (unsigned int)topo->pf.devid << 3 |
	      topo->pf.function;
	rid += topo->vf_offset + topo->vf_stride * i;
	if (rid > 0xffff)
		return -ERANGE;
	addr->domain = topo->pf.domain;
	addr->bus = rid >> 8;
	addr->devid = (rid >> 3) & 0x1f;
	addr->function = rid & 7;
	return 0;
}

static int
test_pf_name_cmp(const void *a, const void *b)
{
	const struct test_pf_file *fa = a, *fb = b;

	return strcmp(fa->name, fb->name);
}

int
test_pf_snap_take(struct test_pf_snap *snap)
{
	struct rte_pci_addr addr;
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct test_pf_file *files;
	struct dirent *de;
	unsigned int n = 0, cap = 16;
	DIR *d;

	memset(snap, 0, sizeof(*snap));
	snprintf(dir, sizeof(dir), "%s/devices", vfbc_test_world_dir());
	d = opendir(dir);
	if (d == NULL)
		return -errno;
	files = malloc(cap * sizeof(*files));
	while (files != NULL && (de = readdir(d)) != NULL) {
		if (rte_pci_addr_parse(de->d_name, &addr) != 0)
			continue;
		if (n == cap) {
			struct test_pf_file *more;

			cap *= 2;
			more = realloc(files, cap * sizeof(*files));
			if (more == NULL) {
				free(files);
				files = NULL;
				break;
			}
			files = more;
		}
		rte_pci_device_name(&addr, files[n].name, sizeof(files[n].name));
		snprintf(path, sizeof(path), "%s/%s/config", dir, de->d_name);
		if (test_pf_read_file(path, files[n].data, sizeof(files[n].data),
				      &files[n].len) < 0)
			continue;
		n++;
	}
	closedir(d);
	if (files == NULL)
		return -ENOMEM;
	qsort(files, n, sizeof(*files), test_pf_name_cmp);
	snap->n = n;
	snap->files = files;
	return 0;
}

void
test_pf_snap_free(struct test_pf_snap *snap)
{
	free(snap->files);
	snap->files = NULL;
	snap->n = 0;
}

struct test_pf_file *
test_pf_snap_find(struct test_pf_snap *snap, const struct rte_pci_addr *addr)
{
	char name[PCI_PRI_STR_SIZE];
	unsigned int i;

	rte_pci_device_name(addr, name, sizeof(name));
	for (i = 0; i < snap->n; i++)
		if (strcmp(snap->files[i].name, name) == 0)
			return &snap->files[i];
	return NULL;
}

int
test_pf_snap_check(const struct test_pf_snap *expected)
{
	struct test_pf_snap now;
	unsigned int i, b;
	int ret = 0;

	if (test_pf_snap_take(&now) < 0) {
		printf("cannot read the world's config files\n");
		return -1;
	}
	if (now.n != expected->n) {
		printf("%u functions in the world, expected %u\n", now.n, expected->n);
		ret = -1;
	}
	for (i = 0; i < now.n && i < expected->n && ret == 0; i++) {
		const struct test_pf_file *e = &expected->files[i], *f = &now.files[i];

		if (strcmp(e->name, f->name) != 0 || e->len != f->len) {
			printf("function %s (%u bytes), expected %s (%u bytes)\n",
			       f->name, f->len, e->name, e->len);
			ret = -1;
			break;
		}
		for (b = 0; b < f->len; b++) {
			if (e->data[b] != f->data[b]) {
				printf("%s config byte 0x%03x is 0x%02x, expected 0x%02x\n",
				       f->name, b, f->data[b], e->data[b]);
				ret = -1;
				break;
			}
		}
	}
	test_pf_snap_free(&now);
	return ret;
}

unsigned int
test_pf_find_cap(const uint8_t *cfg, uint8_t id)
{
	unsigned int pos, ttl;

	if (!(get16(cfg + VFBC_PCI_STATUS) & VFBC_PCI_STATUS_CAP_LIST))
		return 0;
	pos = cfg[VFBC_PCI_CAPABILITY_LIST] & ~3u;
	for (ttl = 48; pos >= 0x40 && ttl > 0; ttl--) {
		if (cfg[pos] == id)
			return pos;
		pos = cfg[pos + 1] & ~3u;
	}
	return 0;
}

void
test_pf_fill(uint8_t *buf, unsigned int len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	unsigned int i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)(x >> 11);
	}
}

#define TEST_PF_PREFIX_ENV "VFBC_PF_TEST_FILE_PREFIX"

int
test_pf_run_secondary(const char *command)
{
	const char *rundir = rte_eal_get_runtime_dir();
	char *argv[] = {
		(char *)(uintptr_t)vfbc_test_self_path(), (char *)(uintptr_t)"--run-one",
		(char *)(uintptr_t)command, NULL,
	};
	char prefix[PATH_MAX];
	const char *env[] = { prefix, NULL };
	struct vfbc_launch l = { .argv = argv, .env = env };
	const char *base;

	base = strrchr(rundir, '/');
	snprintf(prefix, sizeof(prefix), TEST_PF_PREFIX_ENV "=%s",
		 base != NULL ? base + 1 : rundir);
	return vfbc_launch_run(&l, VFBC_LAUNCH_FOREVER);
}

uint64_t
test_pf_xstat(uint16_t port_id, const char *name)
{
	uint64_t id, value;

	if (rte_eth_xstats_get_id_by_name(port_id, name, &id) != 0)
		return UINT64_MAX;
	if (rte_eth_xstats_get_by_id(port_id, &id, &value, 1) != 1)
		return UINT64_MAX;
	return value;
}

int
test_pf_world_detach(void)
{
	struct rte_eth_dev_info info;
	uint16_t port;

	if (rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port) != 0)
		return 0;
	if (rte_eth_dev_info_get(port, &info) != 0)
		return -1;
	return rte_dev_remove(info.device);
}

int
test_pf_socket_world_start(uint16_t *port, char *path, size_t size, const char *tag)
{
	int ret;

	ret = test_pf_world_start(port, "-m 64");
	if (ret != TEST_SUCCESS)
		return ret;
	snprintf(path, size, "/tmp/vfbc-%s-%d.sock", tag, (int)getpid());
	unlink(path);
	return TEST_SUCCESS;
}

int32_t
test_pf_consumer_wait(uint16_t port, uint16_t vf, int32_t want, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	int32_t pid = -1;

	do {
		if (vfbc_pf_vf_consumer(port, vf, &pid) != 0)
			return -1;
		if (pid == want)
			break;
		rte_delay_us_sleep(10 * 1000);
	} while (rte_get_timer_cycles() < end);
	return pid;
}
