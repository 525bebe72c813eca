/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_qemu_common.h"

#define TEST_QEMU_SYSFS "/sys/bus/pci/devices"

const char *
test_qemu_pf_name(void)
{
	const char *pf = getenv("VFBC_QEMU_PF");

	return pf != NULL ? pf : "";
}

int
test_qemu_guest_check(const char *pf_driver, const char *vf_driver, int num_vfs)
{
	const char *v;

	if (getenv("VFBC_QEMU_GUEST") == NULL)
		TEST_SKIP("needs the QEMU world: run it through vfbc-qemu "
			  "(meson test --suite qemu)");
	v = getenv("VFBC_QEMU_PF_DRIVER");
	if (pf_driver != NULL && (v == NULL || strcmp(v, pf_driver) != 0))
		TEST_SKIP("needs the PF bound to %s (vfbc-qemu --pf-driver %s), not %s",
			  pf_driver, pf_driver, v != NULL ? v : "?");
	v = getenv("VFBC_QEMU_VF_DRIVER");
	if (vf_driver != NULL && (v == NULL || strcmp(v, vf_driver) != 0))
		TEST_SKIP("needs the VFs bound to %s (vfbc-qemu --vf-driver %s), not %s",
			  vf_driver, vf_driver, v != NULL ? v : "?");
	v = getenv("VFBC_QEMU_VFS");
	if (num_vfs >= 0 && (v == NULL || atoi(v) != num_vfs))
		TEST_SKIP("needs %d VFs enabled by vfbc-qemu (--vfs %d), not %s",
			  num_vfs, num_vfs, v != NULL ? v : "?");
	if (geteuid() != 0)
		TEST_SKIP("needs root in the guest");
	return TEST_SUCCESS;
}

int
test_qemu_eal_start(uint16_t *port_id, const char *extra_eal_args)
{
	int ret;

	ret = vfbc_test_eal_init("%s", extra_eal_args != NULL ? extra_eal_args : "");
	if (ret != TEST_SUCCESS)
		return ret;
	if (rte_eth_dev_get_port_by_name(test_qemu_pf_name(), port_id) != 0) {
		printf("PF %s was not probed as a net_vfbc_pf port (a vfbc built with "
		       "-Dextra_pf_pci_ids=1b36:0010 is needed: vfbc-qemu --vfbc)\n",
		       test_qemu_pf_name());
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

int
test_qemu_sysfs_str(const char *dev, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), TEST_QEMU_SYSFS "/%s/%s", dev, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

int
test_qemu_sysfs_uint(const char *dev, const char *attr, unsigned long *val)
{
	char buf[64], *end;
	int ret;

	ret = test_qemu_sysfs_str(dev, attr, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	errno = 0;
	*val = strtoul(buf, &end, 0);
	if (errno != 0 || end == buf)
		return -EINVAL;
	return 0;
}

int
test_qemu_driver(const char *dev, char *buf, size_t size)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), TEST_QEMU_SYSFS "/%s/driver", dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (errno != ENOENT)
			return -errno;
		n = 0;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(buf, size, "%s", base != NULL ? base + 1 : link);
	return 0;
}

int
test_qemu_kernel_vf(unsigned int i, struct rte_pci_addr *addr)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), TEST_QEMU_SYSFS "/%s/virtfn%u", test_qemu_pf_name(), i);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	return rte_pci_addr_parse(base != NULL ? base + 1 : link, addr) == 0 ? 0 : -EINVAL;
}

int
test_qemu_sysfs_config(const char *dev, uint32_t off, void *buf, uint32_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), TEST_QEMU_SYSFS "/%s/config", dev);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, off);
	close(fd);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

int
test_qemu_setpci(const char *dev, uint32_t off, uint32_t width, uint32_t *val)
{
	char cmd[128], out[64], *end;
	const char *suffix;
	FILE *p;
	int st;

	switch (width) {
	case 1:
		suffix = "b";
		break;
	case 2:
		suffix = "w";
		break;
	case 4:
		suffix = "l";
		break;
	default:
		return -EINVAL;
	}
	snprintf(cmd, sizeof(cmd), "setpci -s %s 0x%x.%s 2>&1", dev, off, suffix);
	p = popen(cmd, "r");
	if (p == NULL)
		return -errno;
	if (fgets(out, sizeof(out), p) == NULL)
		out[0] = '\0';
	st = pclose(p);
	if (st != 0) {
		printf("'%s' failed (status %d): %s\n", cmd, st, out);
		return -EIO;
	}
	errno = 0;
	*val = (uint32_t)strtoul(out, &end, 16);
	if (errno != 0 || end == out) {
		printf("'%s' printed '%s'\n", cmd, out);
		return -EIO;
	}
	return 0;
}

int
test_qemu_resource(const char *dev, unsigned int bar, uint64_t *size, uint64_t *flags)
{
	char path[PATH_MAX], line[128];
	uint64_t start, end;
	unsigned int i;
	FILE *f;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), TEST_QEMU_SYSFS "/%s/resource", dev);
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	for (i = 0; fgets(line, sizeof(line), f) != NULL; i++) {
		if (i != bar)
			continue;
		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64, &start, &end, flags) != 3) {
			ret = -EINVAL;
			break;
		}
		*size = end > start ? end - start + 1 : 0;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
