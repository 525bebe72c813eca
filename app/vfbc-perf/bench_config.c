/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * VF config-space writes per second: the PF API (vfbc_pf_write_vf_config(),
 * which goes through rte_pci_write_config() on the VF's device) against a
 * raw pwrite() on the same config file descriptor EAL uses for the VF (uio:
 * the device's config fd; otherwise the world's config file of the VF).
 *
 * The register is Interrupt Line: software scratch with no effect on the
 * device, rewritten with the value it holds, so the run is harmless on real
 * hardware too.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dirent.h>
#include <limits.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "perf.h"

/*
 * The descriptor EAL opened on the VF's config file (uio maps keep it open),
 * found among this process's descriptors: an application has no API to it.
 */
static int
vfbc_perf_eal_config_fd(const char *name)
{
	char link[300], target[PATH_MAX], suffix[64];
	struct dirent *de;
	size_t len, slen;
	ssize_t n;
	DIR *d;
	int fd = -1;

	snprintf(suffix, sizeof(suffix), "/%s/config", name);
	slen = strlen(suffix);
	d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%s", de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		len = (size_t)n;
		if (len >= slen && strcmp(target + len - slen, suffix) == 0) {
			fd = atoi(de->d_name);
			break;
		}
	}
	closedir(d);
	return fd;
}

/* EAL's config fd of the VF (uio), or the world's config file. */
static int
vfbc_perf_config_fd(const char *name, struct vfbc_perf_results *r, int *owned)
{
	const char *world;
	char path[512];
	int fd;

	*owned = 0;
	fd = vfbc_perf_eal_config_fd(name);
	if (fd >= 0) {
		snprintf(r->config_fd_src, sizeof(r->config_fd_src), "EAL's uio config fd");
		return fd;
	}
	world = getenv("VFBC_WORLD");
	if (world == NULL)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/devices/%s/config", world, name);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	*owned = 1;
	snprintf(r->config_fd_src, sizeof(r->config_fd_src), "$VFBC_WORLD/devices/VF/config");
	return fd;
}

int
vfbc_perf_pf_config(struct vfbc_perf_results *r, double seconds)
{
	const unsigned int chunks = 10;
	struct rte_pci_addr addr;
	uint64_t api = 0, raw = 0;
	uint64_t api_cyc = 0, raw_cyc = 0;
	uint64_t t, end, per_chunk;
	char name[RTE_DEV_NAME_MAX_LEN];
	unsigned int k;
	uint8_t v;
	int port, fd, owned, ret;

	port = vfbc_perf_pf_port();
	if (port < 0) {
		snprintf(r->config_why, sizeof(r->config_why), "no net_vfbc_pf port with VFs");
		return 0;
	}
	ret = vfbc_pf_get_vf_location(port, 0, &addr);
	if (ret == 0)
		ret = vfbc_pf_read_vf_config(port, 0, &v, VFBC_PCI_INTERRUPT_LINE, 1);
	if (ret < 0) {
		snprintf(r->config_why, sizeof(r->config_why), "VF 0 unreachable: %s",
				strerror(-ret));
		return 0;
	}
	rte_pci_device_name(&addr, name, sizeof(name));
	fd = vfbc_perf_config_fd(name, r, &owned);
	if (fd < 0) {
		snprintf(r->config_why, sizeof(r->config_why), "no config fd for %s: %s", name,
				strerror(-fd));
		return 0;
	}
	/* Interleaved chunks, so that a drift of the machine hits both alike. */
	per_chunk = (uint64_t)(seconds / 2 / chunks * rte_get_tsc_hz());
	for (k = 0; k < chunks; k++) {
		t = rte_rdtsc();
		end = t + per_chunk;
		do {
			ret = vfbc_pf_write_vf_config(port, 0, &v, VFBC_PCI_INTERRUPT_LINE, 1);
			if (ret != 1)
				goto fail;
			api++;
		} while (rte_rdtsc() < end);
		api_cyc += rte_rdtsc() - t;
		t = rte_rdtsc();
		end = t + per_chunk;
		do {
			if (pwrite(fd, &v, 1, VFBC_PCI_INTERRUPT_LINE) != 1) {
				ret = -errno;
				goto fail;
			}
			raw++;
		} while (rte_rdtsc() < end);
		raw_cyc += rte_rdtsc() - t;
	}
	if (owned)
		close(fd);
	r->config_valid = 1;
	r->config_writes_per_s = (double)api * rte_get_tsc_hz() / (double)api_cyc;
	r->raw_pwrite_per_s = (double)raw * rte_get_tsc_hz() / (double)raw_cyc;
	return 0;
fail:
	if (owned)
		close(fd);
	snprintf(r->config_why, sizeof(r->config_why), "write failed: %s",
			strerror(ret < 0 ? -ret : EIO));
	return ret < 0 ? ret : -EIO;
}
