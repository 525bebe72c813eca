/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * mp_iso_agent: an isolated VF consumer, as a container runs it. A primary
 * of its own (never the PF's secondary) whose EAL arguments come in
 * MP_ISO_ENV_EAL (normally --no-pci --no-huge and a net_vfbc_isolated vdev).
 * Before EAL starts it enters a mount namespace of its own and mounts an
 * empty tmpfs over every directory of MP_ISO_ENV_HIDE (colon-separated:
 * the PF's runtime directory, the hugepage mount), so that only the PF's
 * socket is left for it to reach; with MP_ISO_ENV_HUGE, it mounts a
 * hugetlbfs instance of its own there (a container's own hugepages). It
 * then answers the VF agent's commands (test_mp_vf_agent.c) and these:
 *
 *   maps               "maps huge=N regions=A,B seen=S": mappings of
 *                      hugepage files, the names of the vfbc memory files
 *                      it maps, how many of the MP_ISO_ENV_PEEK paths (the
 *                      PF's files) it can see
 *   scribble SEED      random bytes over every byte of every vfbc memory
 *                      file it holds (its region): "scribbled BYTES"
 *   flood T            back-to-back config reads for T ms (1 ms timeout
 *                      each): "flood CALLS sent, ANSWERED answered"
 *   rtt N              N config reads one after the other: "rtt P50_NS
 *                      FAILED"
 *   ports              the driver of each of its ports: "ports NAME..."
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_vf.h"

#define ISO_REGION_PREFIX	"/memfd:vfbc_ch_"
#define ISO_RTT_MAX		4096

/* Private mounts, and the PF's directories out of sight. */
static int
iso_agent_isolate(const char *hide, const char *huge)
{
	char dirs[MP_LINE_MAX];
	char *d, *save = NULL;

	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	if (hide == NULL)
		return 0;
	snprintf(dirs, sizeof(dirs), "%s", hide);
	for (d = strtok_r(dirs, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save))
		if (mount("vfbc-iso", d, "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=0755") < 0)
			return -errno;
	/* Hugepages of its own, as a container gets: a new hugetlbfs instance. */
	if (huge != NULL && mount("nodev", huge, "hugetlbfs", MS_NOSUID | MS_NODEV, NULL) < 0)
		return -errno;
	return 0;
}

static void
iso_maps(void)
{
	char line[1024], regions[MP_LINE_MAX] = "", peek[MP_LINE_MAX];
	const char *h = getenv(MP_ISO_ENV_PEEK);
	char *p, *d, *save = NULL;
	int huge = 0, seen = 0;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (f == NULL) {
		mp_agent_send("error maps: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, "rtemap") != NULL || strstr(line, "hugepages") != NULL)
			huge++;
		p = strstr(line, ISO_REGION_PREFIX);
		if (p == NULL)
			continue;
		p += strlen("/memfd:");
		p[strcspn(p, " ")] = '\0';	/* " (deleted)" */
		/* One name per region, however many lines map it. */
		if (strstr(regions, p) == NULL &&
				strlen(regions) + strlen(p) + 2 < sizeof(regions)) {
			if (regions[0] != '\0')
				strcat(regions, ",");
			strcat(regions, p);
		}
	}
	fclose(f);
	snprintf(peek, sizeof(peek), "%s", h != NULL ? h : "");
	for (d = strtok_r(peek, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save))
		seen += access(d, F_OK) == 0;
	mp_agent_send("maps huge=%d regions=%s seen=%d", huge,
		      regions[0] != '\0' ? regions : "-", seen);
}

/* What a hostile consumer can do with its region: anything, to every byte. */
static void
iso_scribble(unsigned int seed)
{
	char link[PATH_MAX], path[300];
	size_t total = 0, i;
	struct dirent *e;
	struct stat st;
	uint8_t *p;
	DIR *dir;
	ssize_t n;
	int fd;

	dir = opendir("/proc/self/fd");
	if (dir == NULL) {
		mp_agent_send("error scribble: %s", strerror(errno));
		return;
	}
	srand(seed);
	while ((e = readdir(dir)) != NULL) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, ISO_REGION_PREFIX, strlen(ISO_REGION_PREFIX)) != 0)
			continue;
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			continue;
		for (i = 0; i < (size_t)st.st_size; i++)
			p[i] = (uint8_t)rand();
		munmap(p, (size_t)st.st_size);
		total += (size_t)st.st_size;
	}
	closedir(dir);
	mp_agent_send("scribbled %zu", total);
}

static void
iso_flood(uint16_t port, unsigned int t_ms)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * t_ms / 1000;
	uint8_t buf[4];
	uint64_t calls = 0;

	uint64_t served = 0;

	while (rte_get_timer_cycles() < deadline) {
		served += vfbc_vf_read_bus_data(port, 0, buf, sizeof(buf), 1) == (int)sizeof(buf);
		calls++;
	}
	mp_agent_send("flood %" PRIu64 " sent, %" PRIu64 " answered", calls, served);
}

static int
iso_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
iso_rtt(uint16_t port, unsigned int n)
{
	static uint64_t ns[ISO_RTT_MAX];
	unsigned int i, ok = 0, failed = 0;
	uint8_t buf[4];
	uint64_t t0;

	n = RTE_MIN(n, (unsigned int)ISO_RTT_MAX);
	for (i = 0; i < n; i++) {
		t0 = mp_now_ns();
		if (vfbc_vf_read_bus_data(port, 0, buf, sizeof(buf), 2000) == (int)sizeof(buf))
			ns[ok++] = mp_now_ns() - t0;
		else
			failed++;
	}
	qsort(ns, ok, sizeof(ns[0]), iso_cmp_u64);
	mp_agent_send("rtt %" PRIu64 " %u", ok > 0 ? ns[ok / 2] : 0, failed);
}

/* The driver of every port of the process: "ports NAME..." */
static void
iso_ports(void)
{
	char names[MP_LINE_MAX] = "";
	struct rte_eth_dev_info info;
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p) {
		if (rte_eth_dev_info_get(p, &info) == 0 &&
				strlen(names) + strlen(info.driver_name) + 2 < sizeof(names)) {
			strcat(names, " ");
			strcat(names, info.driver_name);
		}
	}
	mp_agent_send("ports%s", names);
}

static int
iso_agent_extra(uint16_t port, const char *line)
{
	unsigned int a;

	if (strcmp(line, "maps") == 0)
		iso_maps();
	else if (sscanf(line, "scribble %u", &a) == 1)
		iso_scribble(a);
	else if (sscanf(line, "flood %u", &a) == 1)
		iso_flood(port, a);
	else if (sscanf(line, "rtt %u", &a) == 1)
		iso_rtt(port, a);
	else if (strcmp(line, "ports") == 0)
		iso_ports();
	else
		return -1;
	return 0;
}

static int
mp_iso_agent(void)
{
	const char *args = getenv(MP_ISO_ENV_EAL);
	int ret;

	if (args == NULL) {
		mp_agent_send("error no %s", MP_ISO_ENV_EAL);
		return TEST_FAILED;
	}
	ret = iso_agent_isolate(getenv(MP_ISO_ENV_HIDE), getenv(MP_ISO_ENV_HUGE));
	if (ret < 0) {
		mp_agent_send("error isolate: %s", strerror(-ret));
		return TEST_FAILED;
	}
	ret = vfbc_test_eal_init("%s", args);
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	return mp_vf_agent_run(iso_agent_extra);
}

REGISTER_HIDDEN_TEST_COMMAND(mp_iso_agent, mp_iso_agent);
