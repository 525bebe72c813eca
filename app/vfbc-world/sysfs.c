/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The sysfs-shaped tree: one directory per function with the attributes,
 * links and uio entries Linux shows for a device bound to uio_pci_generic,
 * in the formats the kernel prints them. DPDK's bus/pci reads the tree
 * through SYSFS_PCI_DEVICES, /sys/class/uio and /dev/uioN.
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_pci.h>

#include "world.h"

#define VFBC_WORLD_DRIVER	"uio_pci_generic"
#define VFBC_WORLD_CLASS	0x020000
#define VFBC_WORLD_REVISION	0x01
/* Linux's struct resource flags, as the sysfs resource file prints them. */
#define VFBC_WORLD_IORESOURCE_MEM	0x00000200
#define VFBC_WORLD_IORESOURCE_PREFETCH	0x00002000
#define VFBC_WORLD_IORESOURCE_SIZEALIGN	0x00040000
#define VFBC_WORLD_IORESOURCE_MEM_64	0x00100000
#define VFBC_WORLD_RES_PF_BAR	(VFBC_WORLD_IORESOURCE_MEM | VFBC_WORLD_IORESOURCE_SIZEALIGN | \
				 VFBC_WORLD_IORESOURCE_MEM_64 | 0x4)
#define VFBC_WORLD_RES_VF_BAR	(VFBC_WORLD_RES_PF_BAR | VFBC_WORLD_IORESOURCE_PREFETCH | 0x8)
/* Lines of a device's resource file: 6 BARs, the ROM, 6 VF BARs. */
#define VFBC_WORLD_RES_LINES	13
#define VFBC_WORLD_RES_IOV	7
/* Dynamic char majors are handed out downwards from here. */
#define VFBC_WORLD_MAJOR_HIGH	254
#define VFBC_WORLD_MAJOR_LOW	234
/* Room for a device directory: VFBC_WORLD_DEVICES "/DDDD:BB:DD.F". */
#define VFBC_WORLD_DIR_LEN	64

/*
 * uio minor of each function of each PF; -1 when absent. uio numbers are
 * the minors, unique across all PFs as the kernel's are.
 */
static int vfbc_world_pf_uio[VFBC_WORLD_MAX_PFS];
static int vfbc_world_vf_uio[VFBC_WORLD_MAX_PFS][VFBC_WORLD_MAX_VFS];
static uint8_t vfbc_world_uio_used[VFBC_WORLD_MAX_PFS * (VFBC_WORLD_MAX_VFS + 1)];
static unsigned int vfbc_world_uio_major;

void
vfbc_world_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vfbc-world: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
vfbc_world_write_file(const char *path, const void *buf, size_t len, int mode)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		vfbc_world_log("cannot create %s: %s", path, strerror(errno));
		return -errno;
	}
	n = write(fd, buf, len);
	if (n < 0 || (size_t)n != len) {
		vfbc_world_log("cannot write %s: %s", path, n < 0 ? strerror(errno) : "short");
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

int
vfbc_world_write_text(const char *path, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EINVAL;
	return vfbc_world_write_file(path, buf, len, 0444);
}

static int
vfbc_world_attr(const char *dir, const char *name, int mode, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One sysfs attribute of a device directory. */
static int
vfbc_world_attr(const char *dir, const char *name, int mode, const char *fmt, ...)
{
	char path[PATH_MAX];
	char buf[512];
	va_list ap;
	int len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EINVAL;
	return vfbc_world_write_file(path, buf, len, mode);
}

static int
vfbc_world_symlink(const char *target, const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (symlink(target, path) < 0) {
		vfbc_world_log("cannot link %s -> %s: %s", path, target, strerror(errno));
		return -errno;
	}
	return 0;
}

static int
vfbc_world_mkdir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		vfbc_world_log("cannot create %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static int
vfbc_world_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	RTE_SET_USED(st);
	RTE_SET_USED(ftw);
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
vfbc_world_rm_rf(const char *path)
{
	nftw(path, vfbc_world_rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* The major a uio device would get: the highest free dynamic one. */
static unsigned int
vfbc_world_pick_major(void)
{
	uint8_t used[VFBC_WORLD_MAJOR_HIGH + 1];
	char line[128];
	unsigned int major;
	FILE *f;

	memset(used, 0, sizeof(used));
	f = fopen("/proc/devices", "re");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, "Block", 5) == 0)
				break;
			if (sscanf(line, "%u", &major) == 1 && major <= VFBC_WORLD_MAJOR_HIGH)
				used[major] = 1;
		}
		fclose(f);
	}
	for (major = VFBC_WORLD_MAJOR_HIGH; major > VFBC_WORLD_MAJOR_LOW; major--)
		if (!used[major])
			break;
	return major;
}

static int
vfbc_world_uio_alloc(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_world_uio_used); i++) {
		if (!vfbc_world_uio_used[i]) {
			vfbc_world_uio_used[i] = 1;
			return i;
		}
	}
	return -ENOSPC;
}

/* dev/uioN and /sys/class/uio/uioN: what uio_register_device() adds. */
static int
vfbc_world_uio_create(const char *devdir, const char *bdf, int uio)
{
	char path[PATH_MAX];
	char target[PATH_MAX];
	char name[32];
	int ret;

	snprintf(path, sizeof(path), "%s/uio", devdir);
	ret = vfbc_world_mkdir(path);
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/uio/uio%d", devdir, uio);
	ret = vfbc_world_mkdir(path);
	if (ret < 0)
		return ret;
	snprintf(target, sizeof(target), "../../../%s", bdf);
	ret = vfbc_world_symlink(target, path, "device");
	ret = ret < 0 ? ret : vfbc_world_attr(path, "name", 0444, "%s\n", VFBC_WORLD_DRIVER);
	ret = ret < 0 ? ret : vfbc_world_attr(path, "version", 0444, "0.01.0\n");
	ret = ret < 0 ? ret : vfbc_world_attr(path, "event", 0444, "0\n");
	ret = ret < 0 ? ret : vfbc_world_attr(path, "dev", 0444, "%u:%d\n",
			vfbc_world_uio_major, uio);
	if (ret < 0)
		return ret;

	/* Absolute: /sys/class/uio is a different place than the tree. */
	snprintf(name, sizeof(name), "uio%d", uio);
	ret = vfbc_world_symlink(path, VFBC_WORLD_CLASS_UIO, name);
	if (ret < 0)
		return ret;

	/*
	 * The uio char device only delivers interrupt counts, which the world
	 * never raises: a FIFO opens read-write and polls like one, silently.
	 */
	snprintf(path, sizeof(path), "/dev/uio%d", uio);
	if (mkfifo(path, 0600) < 0) {
		vfbc_world_log("cannot create %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static void
vfbc_world_uio_remove(int uio)
{
	char path[PATH_MAX];

	if (uio < 0)
		return;
	snprintf(path, sizeof(path), "%s/uio%d", VFBC_WORLD_CLASS_UIO, uio);
	unlink(path);
	snprintf(path, sizeof(path), "/dev/uio%d", uio);
	unlink(path);
	vfbc_world_uio_used[uio] = 0;
}

static int
vfbc_world_resource(const char *dir, uint64_t start, uint64_t size, uint64_t flags,
		uint64_t iov_start, uint64_t iov_size)
{
	char path[PATH_MAX];
	char buf[VFBC_WORLD_RES_LINES * 60];
	uint64_t s, e, f;
	size_t len;
	int fd;
	int i;

	len = 0;
	for (i = 0; i < VFBC_WORLD_RES_LINES; i++) {
		s = 0;
		e = 0;
		f = 0;
		if (i == 0) {
			s = start;
			e = start + size - 1;
			f = flags;
		} else if (i == VFBC_WORLD_RES_IOV && iov_size != 0) {
			s = iov_start;
			e = iov_start + iov_size - 1;
			f = VFBC_WORLD_RES_VF_BAR;
		}
		len += snprintf(buf + len, sizeof(buf) - len,
			"0x%016" PRIx64 " 0x%016" PRIx64 " 0x%016" PRIx64 "\n", s, e, f);
	}
	snprintf(path, sizeof(path), "%s/resource", dir);
	if (vfbc_world_write_file(path, buf, len, 0444) < 0)
		return -EIO;

	/* The BAR itself: sparse, so only pages a program touches cost memory. */
	snprintf(path, sizeof(path), "%s/resource0", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		vfbc_world_log("cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

/* Everything a function has, PF or VF. */
static int
vfbc_world_function_create(const struct vfbc_world_topo *topo, unsigned int pf, uint32_t rid,
		int is_pf, const uint8_t *cfg, uint32_t cfg_size, uint64_t bar, uint64_t bar_size,
		int *uio)
{
	char dir[VFBC_WORLD_DIR_LEN];
	char path[PATH_MAX];
	char bdf[16];
	uint16_t device;
	uint64_t flags;
	int ret;

	vfbc_world_bdf(topo, rid, bdf, sizeof(bdf));
	device = is_pf ? topo->pf_device_id : topo->vf_device_id;
	flags = is_pf ? VFBC_WORLD_RES_PF_BAR : VFBC_WORLD_RES_VF_BAR;
	snprintf(dir, sizeof(dir), "%s/%s", VFBC_WORLD_DEVICES, bdf);
	ret = vfbc_world_mkdir(dir);
	if (ret < 0)
		return ret;

	snprintf(path, sizeof(path), "%s/config", dir);
	ret = vfbc_world_write_file(path, cfg, cfg_size, 0644);
	/* A VF's sysfs IDs are the virtualized ones, not its config space's. */
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "vendor", 0444, "0x%04x\n", topo->vendor_id);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "device", 0444, "0x%04x\n", device);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "subsystem_vendor", 0444, "0x%04x\n",
			topo->vendor_id);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "subsystem_device", 0444, "0x%04x\n",
			device);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "class", 0444, "0x%06x\n",
			VFBC_WORLD_CLASS);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "revision", 0444, "0x%02x\n",
			VFBC_WORLD_REVISION);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "numa_node", 0644, "0\n");
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "irq", 0444, "0\n");
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "enable", 0644, "1\n");
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "driver_override", 0644, "(null)\n");
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "modalias", 0444,
			"pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n", topo->vendor_id, device,
			topo->vendor_id, device, VFBC_WORLD_CLASS >> 16,
			(VFBC_WORLD_CLASS >> 8) & 0xff, VFBC_WORLD_CLASS & 0xff);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "uevent", 0644,
			"DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
			"PCI_SLOT_NAME=%s\n", VFBC_WORLD_DRIVER, VFBC_WORLD_CLASS,
			topo->vendor_id, device, topo->vendor_id, device, bdf);
	if (ret < 0)
		return ret;
	if (is_pf)
		ret = vfbc_world_resource(dir, bar, bar_size, flags,
			vfbc_world_vf_bar(topo, pf, 0), topo->vf_bar0_size * topo->total_vfs);
	else
		ret = vfbc_world_resource(dir, bar, bar_size, flags, 0, 0);
	if (ret < 0)
		return ret;

	ret = vfbc_world_symlink("../../drivers/" VFBC_WORLD_DRIVER, dir, "driver");
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "../../devices/%s", bdf);
	ret = vfbc_world_symlink(path, VFBC_WORLD_ROOT "/drivers/" VFBC_WORLD_DRIVER, bdf);
	if (ret < 0)
		return ret;

	*uio = vfbc_world_uio_alloc();
	if (*uio < 0)
		return *uio;
	return vfbc_world_uio_create(dir, bdf, *uio);
}

static void
vfbc_world_function_remove(const struct vfbc_world_topo *topo, uint32_t rid, int *uio)
{
	char path[PATH_MAX];
	char bdf[16];

	vfbc_world_bdf(topo, rid, bdf, sizeof(bdf));
	vfbc_world_uio_remove(*uio);
	*uio = -1;
	snprintf(path, sizeof(path), "%s/drivers/%s/%s", VFBC_WORLD_ROOT, VFBC_WORLD_DRIVER, bdf);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", VFBC_WORLD_DEVICES, bdf);
	vfbc_world_rm_rf(path);
}

int
vfbc_world_vfs_create(const struct vfbc_world_topo *topo, unsigned int pf, unsigned int num_vfs)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	char pfdir[VFBC_WORLD_DIR_LEN];
	char vfdir[VFBC_WORLD_DIR_LEN];
	char target[PATH_MAX];
	char name[32];
	char pfbdf[16];
	char bdf[16];
	unsigned int i;
	uint32_t rid;
	int ret;

	vfbc_world_bdf(topo, topo->pf_rid[pf], pfbdf, sizeof(pfbdf));
	snprintf(pfdir, sizeof(pfdir), "%s/%s", VFBC_WORLD_DEVICES, pfbdf);
	vfbc_world_vf_config(topo, cfg);
	for (i = 0; i < num_vfs; i++) {
		rid = vfbc_world_vf_rid(topo, pf, i);
		vfbc_world_bdf(topo, rid, bdf, sizeof(bdf));
		ret = vfbc_world_function_create(topo, pf, rid, 0, cfg, topo->vf_cfg_size,
			vfbc_world_vf_bar(topo, pf, i), topo->vf_bar0_size,
			&vfbc_world_vf_uio[pf][i]);
		if (ret < 0)
			return ret;
		snprintf(target, sizeof(target), "../%s", pfbdf);
		snprintf(vfdir, sizeof(vfdir), "%s/%s", VFBC_WORLD_DEVICES, bdf);
		ret = vfbc_world_symlink(target, vfdir, "physfn");
		if (ret < 0)
			return ret;
		snprintf(target, sizeof(target), "../%s", bdf);
		snprintf(name, sizeof(name), "virtfn%u", i);
		ret = vfbc_world_symlink(target, pfdir, name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
vfbc_world_vfs_remove(const struct vfbc_world_topo *topo, unsigned int pf, unsigned int num_vfs)
{
	char path[PATH_MAX];
	char pfbdf[16];
	unsigned int i;

	vfbc_world_bdf(topo, topo->pf_rid[pf], pfbdf, sizeof(pfbdf));
	for (i = num_vfs; i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s/virtfn%u", VFBC_WORLD_DEVICES, pfbdf, i);
		unlink(path);
		vfbc_world_function_remove(topo, vfbc_world_vf_rid(topo, pf, i),
			&vfbc_world_vf_uio[pf][i]);
	}
}

/* One PF with its SR-IOV attributes. */
static int
vfbc_world_pf_create(const struct vfbc_world_topo *topo, unsigned int pf)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_EXP_SIZE];
	char dir[VFBC_WORLD_DIR_LEN];
	char bdf[16];
	int ret;

	vfbc_world_pf_config(topo, pf, topo->num_vfs, cfg);
	ret = vfbc_world_function_create(topo, pf, topo->pf_rid[pf], 1, cfg,
		RTE_PCI_CFG_SPACE_EXP_SIZE, vfbc_world_pf_bar(topo, pf), topo->bar0_size,
		&vfbc_world_pf_uio[pf]);
	if (ret < 0)
		return ret;

	vfbc_world_bdf(topo, topo->pf_rid[pf], bdf, sizeof(bdf));
	snprintf(dir, sizeof(dir), "%s/%s", VFBC_WORLD_DEVICES, bdf);
	ret = vfbc_world_attr(dir, "sriov_totalvfs", 0444, "%u\n", topo->total_vfs);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "sriov_numvfs", 0664, "%u\n", topo->num_vfs);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "sriov_offset", 0444, "%u\n", topo->vf_offset);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "sriov_stride", 0444, "%u\n", topo->vf_stride);
	ret = ret < 0 ? ret : vfbc_world_attr(dir, "sriov_vf_device", 0444, "%x\n",
			topo->vf_device_id);
	return ret < 0 ? ret : vfbc_world_attr(dir, "sriov_drivers_autoprobe", 0644, "1\n");
}

static void
vfbc_world_uio_forget(void)
{
	unsigned int pf;
	unsigned int i;

	for (pf = 0; pf < VFBC_WORLD_MAX_PFS; pf++) {
		vfbc_world_pf_uio[pf] = -1;
		for (i = 0; i < VFBC_WORLD_MAX_VFS; i++)
			vfbc_world_vf_uio[pf][i] = -1;
	}
}

int
vfbc_world_tree_create(const struct vfbc_world_topo *topo)
{
	unsigned int pf;
	int ret;

	vfbc_world_uio_forget();
	vfbc_world_uio_major = vfbc_world_pick_major();

	ret = vfbc_world_mkdir(VFBC_WORLD_ROOT);
	ret = ret < 0 ? ret : vfbc_world_mkdir(VFBC_WORLD_DEVICES);
	ret = ret < 0 ? ret : vfbc_world_mkdir(VFBC_WORLD_ROOT "/drivers");
	ret = ret < 0 ? ret : vfbc_world_mkdir(VFBC_WORLD_ROOT "/drivers/" VFBC_WORLD_DRIVER);
	ret = ret < 0 ? ret : vfbc_world_write_text(VFBC_WORLD_ROOT "/pid", "%d\n",
			(int)getpid());
	if (ret < 0)
		return ret;

	/*
	 * All PFs, then their VFs: the kernel finds the PFs at boot, the VFs
	 * come when sriov_numvfs is written, so the PFs have the first uio numbers.
	 */
	for (pf = 0; pf < topo->nb_pfs; pf++) {
		ret = vfbc_world_pf_create(topo, pf);
		if (ret < 0)
			return ret;
	}
	for (pf = 0; pf < topo->nb_pfs; pf++) {
		ret = vfbc_world_vfs_create(topo, pf, topo->num_vfs);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
vfbc_world_tree_remove(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_world_uio_used); i++)
		if (vfbc_world_uio_used[i])
			vfbc_world_uio_remove(i);
	vfbc_world_uio_forget();
	vfbc_world_rm_rf(VFBC_WORLD_ROOT);
}
