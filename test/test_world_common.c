/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "test_world_common.h"

int
test_world_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not inside a vfbc world");
	return TEST_SUCCESS;
}

void
test_world_dev(unsigned int rid, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s/devices/0000:%02x:%02x.%u%s%s", vfbc_test_world_dir(),
		rid >> 8, (rid >> 3) & 0x1f, rid & 7, file != NULL ? "/" : "",
		file != NULL ? file : "");
}

/* A function's file opened with flags: its fd, or a negative errno. */
static int
world_open(unsigned int rid, const char *file, int flags)
{
	char path[PATH_MAX];
	int fd;

	test_world_dev(rid, file, path, sizeof(path));
	fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

int
test_world_read(unsigned int rid, const char *file, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = world_open(rid, file, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int
test_world_write(unsigned int rid, const char *file, const char *value)
{
	ssize_t n;
	int fd;

	fd = world_open(rid, file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -EIO;
}

/* Config space at off: read into dst, or written from src when src is not NULL. */
static int
world_cfg_io(unsigned int rid, unsigned int off, void *dst, const void *src, size_t len)
{
	ssize_t n;
	int fd;

	fd = world_open(rid, "config", src != NULL ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return fd;
	n = src != NULL ? pwrite(fd, src, len, off) : pread(fd, dst, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

int
test_world_cfg_read(unsigned int rid, unsigned int off, void *buf, size_t len)
{
	return world_cfg_io(rid, off, buf, NULL, len);
}

int
test_world_cfg_write(unsigned int rid, unsigned int off, const void *buf, size_t len)
{
	return world_cfg_io(rid, off, NULL, buf, len);
}

int
test_world_uio(unsigned int rid)
{
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int n;
	DIR *d;
	int uio;

	test_world_dev(rid, "uio", path, sizeof(path));
	d = opendir(path);
	if (d == NULL)
		return -errno;
	uio = -ENOENT;
	while ((e = readdir(d)) != NULL) {
		if (sscanf(e->d_name, "uio%u", &n) == 1) {
			uio = (int)n;
			break;
		}
	}
	closedir(d);
	return uio;
}
