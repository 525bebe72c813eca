/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * SR-IOV of the PF: reading its capability, enabling and disabling VFs
 * (through the kernel's sriov_numvfs, or the capability itself where no
 * kernel owns SR-IOV), and sizing the VF BARs (NdisMQueryProbedBars).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_bus_pci.h>
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <bus_driver.h>

#include <vfbc_pci_regs.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_pci.h"
#include "vfbc_pf_sriov.h"
#include "vfbc_pf_vfs.h"

/* Linux waits this long after setting / clearing VF Enable (drivers/pci/iov.c). */
#define PF_VF_ENABLE_DELAY_US	(100 * 1000)
#define PF_VF_DISABLE_DELAY_US	(1000 * 1000)
/* Then how long the VFs may take to show up (or go) before we give up. */
#define PF_VF_SETTLE_TIMEOUT_US	(5 * 1000 * 1000)
#define PF_VF_SETTLE_POLL_US	(10 * 1000)

int
vfbc_pf_sriov_read(struct rte_pci_device *pf_dev, struct vfbc_pf_sriov *s)
{
	int pos;

	memset(s, 0, sizeof(*s));
	pos = vfbc_pf_find_cap(pf_dev, 1, RTE_PCI_EXT_CAP_ID_SRIOV);
	if (pos <= 0)
		return pos;
	/* The walker clips a capability at the next one or the end of the space. */
	if (pos + VFBC_PCI_SRIOV_SIZEOF > RTE_PCI_CFG_SPACE_EXP_SIZE) {
		PF_INIT_LOG(ERR, "%s: SR-IOV capability at 0x%x overflows config space",
			    pf_dev->name, pos);
		return 0;
	}
	if (vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_TOTAL_VF, &s->total_vfs) < 0 ||
	    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_NUM_VF, &s->num_vfs) < 0 ||
	    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_CTRL, &s->ctrl) < 0 ||
	    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_VF_OFFSET, &s->vf_offset) < 0 ||
	    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_VF_STRIDE, &s->vf_stride) < 0 ||
	    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_VF_DID, &s->vf_device_id) < 0)
		return -EIO;
	s->pos = (uint16_t)pos;
	return pos;
}

/* What a BAR reads after the sizing probe, from its size and its type bits. */
static void
pf_bars_from_sizes(const uint32_t reg[VFBC_PF_NUM_BARS],
		   const uint64_t size[VFBC_PF_NUM_BARS], uint32_t out[VFBC_PF_NUM_BARS])
{
	uint64_t mask;
	int i;

	memset(out, 0, sizeof(uint32_t) * VFBC_PF_NUM_BARS);
	for (i = 0; i < VFBC_PF_NUM_BARS; i++) {
		if (size[i] == 0 || (size[i] & (size[i] - 1)) != 0)
			continue;
		mask = ~(size[i] - 1);
		out[i] = ((uint32_t)mask & VFBC_PCI_BAR_MEM_MASK) |
			 (reg[i] & ~VFBC_PCI_BAR_MEM_MASK);
		if ((reg[i] & 0x6) == VFBC_PCI_BAR_MEM_TYPE_64 && i + 1 < VFBC_PF_NUM_BARS) {
			out[i + 1] = (uint32_t)(mask >> 32);
			i++;
		}
	}
}

/* A readback is a BAR mask: contiguous address bits from the top, type bits kept. */
static int
pf_bar_probe_sane(uint32_t orig, uint32_t probe)
{
	uint32_t addr = probe & VFBC_PCI_BAR_MEM_MASK;

	if (probe == 0)
		return 1;
	if ((probe & ~VFBC_PCI_BAR_MEM_MASK) != (orig & ~VFBC_PCI_BAR_MEM_MASK))
		return 0;
	/* A 64-bit BAR of 4 GiB or more has no address bits in its low half. */
	if (addr == 0)
		return (orig & 0x6) == VFBC_PCI_BAR_MEM_TYPE_64;
	return (addr | (addr - 1)) == UINT32_MAX;
}

static int
pf_size_bar(const struct rte_pci_device *pf_dev, uint32_t off, uint32_t *orig, uint32_t *probe)
{
	int ret;

	if (vfbc_pf_cfg_read32(pf_dev, off, orig) < 0 ||
	    vfbc_pf_cfg_write32(pf_dev, off, UINT32_MAX) < 0)
		return -EIO;
	ret = vfbc_pf_cfg_read32(pf_dev, off, probe);
	if (vfbc_pf_cfg_write32(pf_dev, off, *orig) < 0 || ret < 0)
		return -EIO;
	return 0;
}

/*
 * Size the VF BARs the way the kernel does at enumeration: all-ones into each
 * SR-IOV VF BAR of the PF, read back, restore. Only while VF MSE is clear, so
 * that no VF decodes a half-written address.
 */
static int
pf_size_vf_bars(struct vfbc_pf_proc *pf)
{
	const struct rte_pci_device *pf_dev = pf->pf_dev;
	uint32_t orig[VFBC_PF_NUM_BARS], probe[VFBC_PF_NUM_BARS];
	uint32_t base = pf->sriov.pos + VFBC_PCI_SRIOV_BAR;
	uint16_t ctrl;
	int i;

	if (pf->sriov.pos == 0)
		return -ENOTSUP;
	if (vfbc_pf_cfg_read16(pf_dev, pf->sriov.pos + RTE_PCI_SRIOV_CTRL, &ctrl) < 0)
		return -EIO;
	if (ctrl & VFBC_PCI_SRIOV_CTRL_MSE)
		return -EBUSY;
	for (i = 0; i < VFBC_PF_NUM_BARS; i++) {
		if (pf_size_bar(pf_dev, base + i * VFBC_PCI_SRIOV_BAR_SIZEOF, &orig[i],
				&probe[i]) < 0)
			return -EIO;
		if (!pf_bar_probe_sane(orig[i], probe[i])) {
			PF_INIT_LOG(NOTICE, "%s: VF BAR%d reads 0x%08x after the sizing "
				    "probe (was 0x%08x): not a BAR mask, using the sizes "
				    "the OS found", pf_dev->name, i, probe[i], orig[i]);
			return -EIO;
		}
		if ((orig[i] & 0x6) == VFBC_PCI_BAR_MEM_TYPE_64 && i + 1 < VFBC_PF_NUM_BARS) {
			i++;
			if (pf_size_bar(pf_dev, base + i * VFBC_PCI_SRIOV_BAR_SIZEOF, &orig[i],
					&probe[i]) < 0)
				return -EIO;
		}
	}
	memcpy(pf->probed_bars, probe, sizeof(probe));
	pf->bars_valid = 1;
	return 0;
}

/* Linux lists the VF BAR regions (all VFs together) on lines 7..12 of "resource". */
#define PF_SYSFS_RES_IOV_LINE	7

static int
pf_vf_bar_sizes_sysfs(const struct vfbc_pf_proc *pf, uint64_t size[VFBC_PF_NUM_BARS])
{
	char path[PATH_MAX], line[256];
	uint64_t start, end, flags;
	int n = 0, found = 0;
	FILE *f;

	if (pf->sriov.total_vfs == 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s/resource", rte_pci_get_sysfs_path(),
		 pf->pf_dev->name);
	f = fopen(path, "re");
	if (f == NULL)
		return -ENOENT;
	while (fgets(line, sizeof(line), f) != NULL &&
	       n < PF_SYSFS_RES_IOV_LINE + VFBC_PF_NUM_BARS) {
		if (n >= PF_SYSFS_RES_IOV_LINE) {
			if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64,
				   &start, &end, &flags) != 3)
				break;
			size[n - PF_SYSFS_RES_IOV_LINE] = end > start ?
				(end - start + 1) / pf->sriov.total_vfs : 0;
			found++;
		}
		n++;
	}
	fclose(f);
	return found == VFBC_PF_NUM_BARS ? 0 : -ENOENT;
}

/* A VF's own BAR sizes, from the "resource" file of its sysfs directory. */
static int
pf_vf_bar_sizes_own(const struct vfbc_pf_proc *pf, uint64_t size[VFBC_PF_NUM_BARS])
{
	char path[PATH_MAX], line[256];
	uint64_t start, end, flags;
	uint16_t i;
	int b;
	FILE *f;

	for (i = 0; i < pf->nb_vfs; i++) {
		if (pf->vfs[i].state != VFBC_PF_VF_READY ||
		    vfbc_pf_sysfs_path(path, sizeof(path), &pf->vfs[i].addr, "resource") < 0)
			continue;
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		for (b = 0; b < VFBC_PF_NUM_BARS && fgets(line, sizeof(line), f) != NULL; b++) {
			if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64,
				   &start, &end, &flags) != 3)
				break;
			size[b] = end > start ? end - start + 1 : 0;
		}
		fclose(f);
		if (b == VFBC_PF_NUM_BARS)
			return 0;
	}
	return -ENXIO;
}

/* No sizing probe possible: take the VF BAR sizes the OS found. */
static int
pf_bars_from_os(struct vfbc_pf_proc *pf, uint32_t out[VFBC_PF_NUM_BARS])
{
	uint32_t reg[VFBC_PF_NUM_BARS];
	uint64_t size[VFBC_PF_NUM_BARS];
	int b;

	for (b = 0; b < VFBC_PF_NUM_BARS; b++)
		if (vfbc_pf_cfg_read32(pf->pf_dev, pf->sriov.pos + VFBC_PCI_SRIOV_BAR +
				       b * VFBC_PCI_SRIOV_BAR_SIZEOF, &reg[b]) < 0)
			return -EIO;
	memset(size, 0, sizeof(size));
	if (pf_vf_bar_sizes_sysfs(pf, size) < 0 && pf_vf_bar_sizes_own(pf, size) < 0)
		return -ENXIO;
	pf_bars_from_sizes(reg, size, out);
	return 0;
}

int
vfbc_pf_probed_bars(struct vfbc_pf_proc *pf, uint32_t out[VFBC_PF_NUM_BARS])
{
	if (pf->bars_valid) {
		memcpy(out, pf->probed_bars, sizeof(pf->probed_bars));
		return 0;
	}
	return pf_bars_from_os(pf, out);
}

static int
pf_sysfs_numvfs_path(const struct rte_pci_device *pf, char *path, size_t size)
{
	int n;

	n = snprintf(path, size, "%s/%s/sriov_numvfs", rte_pci_get_sysfs_path(), pf->name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return access(path, F_OK) == 0 ? 0 : -ENOENT;
}

static int
pf_sysfs_write_numvfs(const struct rte_pci_device *pf, const char *path, uint16_t n)
{
	char buf[16];
	ssize_t len, ret;
	int fd, err;

	len = snprintf(buf, sizeof(buf), "%u\n", n);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		PF_LOG(ERR, "%s: cannot open %s: %s", pf->name, path, strerror(err));
		return -EIO;
	}
	ret = write(fd, buf, len);
	err = errno;
	close(fd);
	if (ret == len)
		return 0;
	PF_LOG(ERR, "%s: writing %u to %s failed: %s", pf->name, n, path,
	       ret < 0 ? strerror(err) : "short write");
	if (ret < 0 && (err == ENOENT || err == ENOSYS))
		PF_LOG(ERR, "%s: the PF's kernel driver cannot configure SR-IOV "
		       "(no sriov_configure): enable the VFs with a driver that can, "
		       "then rebind", pf->name);
	if (ret < 0 && (err == EBUSY || err == ERANGE))
		return -err;
	return ret < 0 && (err == ENOENT || err == ENOSYS) ? -ENOTSUP : -EIO;
}

/* Are the n VFs the capability now describes present in sysfs? */
static int
pf_sysfs_vfs_present(const struct vfbc_pf_proc *pf, uint16_t n)
{
	char path[PATH_MAX];
	int32_t rid;
	uint16_t i;

	for (i = 0; i < n; i++) {
		rid = vfbc_pf_vf_rid(pf->pf_dev, &pf->sriov, i);
		if (rid < 0)
			continue;
		snprintf(path, sizeof(path), "%s/" PCI_PRI_FMT "/config",
			 rte_pci_get_sysfs_path(), pf->pf_dev->addr.domain,
			 (uint8_t)(rid >> 8), (uint8_t)((rid >> 3) & 0x1f),
			 (uint8_t)(rid & 7));
		if (access(path, F_OK) != 0)
			return 0;
	}
	return 1;
}

/* Poll until the capability (and sysfs) show n VFs; the kernel may lag. */
static int
pf_wait_numvfs(struct vfbc_pf_proc *pf, uint16_t n, int check_sysfs)
{
	uint64_t waited = 0;
	int on, ret;

	for (;;) {
		ret = vfbc_pf_sriov_read(pf->pf_dev, &pf->sriov);
		if (ret < 0)
			return ret;
		on = (pf->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_VFE) != 0;
		if (n == 0 && !on)
			return 0;
		if (n > 0 && on && pf->sriov.num_vfs == n &&
		    (!check_sysfs || pf_sysfs_vfs_present(pf, n)))
			return 0;
		if (waited >= PF_VF_SETTLE_TIMEOUT_US)
			return -ETIMEDOUT;
		rte_delay_us_sleep(PF_VF_SETTLE_POLL_US);
		waited += PF_VF_SETTLE_POLL_US;
	}
}

/* Clear VF Enable and VF MSE, wait as iov.c does, then set NumVFs. */
static int
pf_direct_disable(struct vfbc_pf_proc *pf, uint16_t ctrl, uint16_t num_vfs)
{
	struct rte_pci_device *pf_dev = pf->pf_dev;
	uint16_t pos = pf->sriov.pos;

	ctrl &= ~(VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE);
	if (vfbc_pf_cfg_write16(pf_dev, pos + RTE_PCI_SRIOV_CTRL, ctrl) < 0)
		return -EIO;
	rte_delay_us_sleep(PF_VF_DISABLE_DELAY_US);
	/* NumVFs may only change while VF Enable is clear. */
	if (vfbc_pf_cfg_write16(pf_dev, pos + RTE_PCI_SRIOV_NUM_VF, num_vfs) < 0)
		return -EIO;
	return 0;
}

/*
 * Where no kernel owns SR-IOV: program the capability as iov.c does. The
 * VFs must then show up in sysfs (something must enumerate them) for the
 * EAL to find them; if they do not, disable them and put NumVFs back, as
 * iov.c does when adding the VFs fails.
 */
static int
pf_direct_set_numvfs(struct vfbc_pf_proc *pf, uint16_t n)
{
	struct rte_pci_device *pf_dev = pf->pf_dev;
	uint16_t pos = pf->sriov.pos;
	uint16_t ctrl, old_num;
	int32_t rid;
	int ret;

	if (vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_CTRL, &ctrl) < 0 ||
	    vfbc_pf_cfg_read16(pf_dev, pos + RTE_PCI_SRIOV_NUM_VF, &old_num) < 0)
		return -EIO;
	if (n == 0) {
		ret = pf_direct_disable(pf, ctrl, 0);
		return ret < 0 ? ret : pf_wait_numvfs(pf, 0, 0);
	}
	if (vfbc_pf_cfg_write16(pf_dev, pos + RTE_PCI_SRIOV_NUM_VF, n) < 0)
		return -EIO;
	/* First VF Offset and VF Stride may change with NumVFs: read them again. */
	ret = vfbc_pf_sriov_read(pf_dev, &pf->sriov);
	rid = ret < 0 ? -1 : vfbc_pf_vf_rid(pf_dev, &pf->sriov, n - 1);
	if (rid < 0) {
		if (ret >= 0)
			PF_LOG(ERR, "%s: cannot enable %u VFs: VF %u would be unroutable "
			       "(First VF Offset %u, VF Stride %u): inconsistent SR-IOV "
			       "capability", pf_dev->name, n, n - 1, pf->sriov.vf_offset,
			       pf->sriov.vf_stride);
		if (vfbc_pf_cfg_write16(pf_dev, pos + RTE_PCI_SRIOV_NUM_VF, old_num) < 0)
			return -EIO;
		return ret < 0 ? ret : -ERANGE;
	}
	ctrl |= VFBC_PCI_SRIOV_CTRL_VFE | VFBC_PCI_SRIOV_CTRL_MSE;
	if (vfbc_pf_cfg_write16(pf_dev, pos + RTE_PCI_SRIOV_CTRL, ctrl) < 0)
		return -EIO;
	rte_delay_us_sleep(PF_VF_ENABLE_DELAY_US);
	ret = pf_wait_numvfs(pf, n, 1);
	if (ret == 0)
		return 0;
	PF_LOG(ERR, "%s: %u VFs enabled through the SR-IOV capability did not appear "
	       "in %s (nothing enumerated them): disabling them again", pf_dev->name, n,
	       rte_pci_get_sysfs_path());
	if (pf_direct_disable(pf, ctrl, old_num) < 0)
		PF_LOG(ERR, "%s: cannot disable the VFs again", pf_dev->name);
	return ret;
}

/* Caller holds pf->ctrl; takes the VF table exclusively. */
static int
pf_enable_locked(struct vfbc_pf_proc *pf, uint16_t n)
{
	char path[PATH_MAX];
	struct rte_bus *bus;
	uint16_t prev;
	int kernel, ret;

	if (pf->sriov.pos == 0)
		return -ENOTSUP;
	if (n > pf->sriov.total_vfs || n > pf->ad->max_vfs)
		return -ERANGE;
	ret = vfbc_pf_sriov_read(pf->pf_dev, &pf->sriov);
	if (ret < 0)
		return ret;
	if ((pf->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_VFE) && pf->sriov.num_vfs != 0) {
		if (n != 0)
			return -EBUSY;
	} else if (n == 0) {
		return 0;
	}

	prev = pf->nb_vfs;
	kernel = pf_sysfs_numvfs_path(pf->pf_dev, path, sizeof(path)) == 0;
	pthread_rwlock_wrlock(&pf->lock);
	if (n == 0) {
		vfbc_pf_vfs_release(pf);
	} else if (!(pf->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_MSE)) {
		/* On failure the OS's sizes serve vfbc_pf_query_probed_bars(). */
		pf_size_vf_bars(pf);
	}
	if (kernel) {
		ret = pf_sysfs_write_numvfs(pf->pf_dev, path, n);
		if (ret == 0) {
			rte_delay_us_sleep(n > 0 ? PF_VF_ENABLE_DELAY_US : PF_VF_DISABLE_DELAY_US);
			ret = pf_wait_numvfs(pf, n, 1);
		}
	} else {
		ret = pf_direct_set_numvfs(pf, n);
	}
	if (ret == 0 && n > 0) {
		/* As sysfs now says; the rescan would flag a stale PF entry. */
		pf->pf_dev->max_vfs = n;
		/* So that VF drivers of this process can probe the new VFs. */
		bus = rte_bus_find_by_name("pci");
		if (bus == NULL || bus->scan() != 0)
			PF_LOG(WARNING, "%s: rescanning the PCI bus failed", pf->pf_dev->name);
	}
	/* Whatever happened, the table must describe the device as it now is. */
	if (vfbc_pf_sriov_read(pf->pf_dev, &pf->sriov) >= 0) {
		vfbc_pf_vfs_release(pf);
		vfbc_pf_vfs_discover(pf);
	}
	pthread_rwlock_unlock(&pf->lock);

	if (ret == 0) {
		vfbc_pf_count(pf->ad, VFBC_PF_XS_VIRT_CHANGES, 1);
		PF_LOG(NOTICE, "%s: %s %u VFs through %s", pf->pf_dev->name,
		       n > 0 ? "enabled" : "disabled", n > 0 ? n : prev,
		       kernel ? "sysfs sriov_numvfs" : "the SR-IOV capability");
	} else {
		PF_LOG(ERR, "%s: %s VFs failed: %s", pf->pf_dev->name,
		       n > 0 ? "enabling" : "disabling", strerror(-ret));
	}
	return ret;
}

int
vfbc_pf_enable(struct vfbc_pf_proc *pf, uint16_t num_vfs)
{
	int ret;

	pthread_mutex_lock(&pf->ctrl);
	ret = pf_enable_locked(pf, num_vfs);
	pthread_mutex_unlock(&pf->ctrl);
	return ret;
}

int
vfbc_pf_sriov_init(struct vfbc_pf_proc *pf)
{
	struct rte_pci_device *pf_dev = pf->pf_dev;
	int ret;

	ret = vfbc_pf_sriov_read(pf_dev, &pf->sriov);
	if (ret < 0) {
		PF_INIT_LOG(ERR, "%s: cannot read its configuration space", pf_dev->name);
		return ret;
	}
	if (pf->sriov.pos == 0)
		PF_INIT_LOG(WARNING, "%s: no SR-IOV capability: the port works, "
			    "the VF API reports virtualization off", pf_dev->name);
	pf->ad->total_vfs = pf->sriov.total_vfs;
	if (pf->ad->max_vfs > pf->sriov.total_vfs)
		pf->ad->max_vfs = pf->sriov.total_vfs;
	if (pf->sriov.pos != 0) {
		if (!(pf->sriov.ctrl & VFBC_PCI_SRIOV_CTRL_MSE))
			pf_size_vf_bars(pf);
		vfbc_pf_vfs_discover(pf);
	}
	return 0;
}

void
vfbc_pf_sriov_enable_at_probe(struct vfbc_pf_proc *pf, uint16_t num_vfs)
{
	int ret;

	if (num_vfs == 0 || pf->sriov.pos == 0)
		return;
	if (pf->nb_vfs == 0) {
		ret = vfbc_pf_enable(pf, num_vfs);
		if (ret < 0)
			PF_INIT_LOG(ERR, "%s: num_vfs=%u: cannot enable the VFs (%s)",
				    pf->pf_dev->name, num_vfs, strerror(-ret));
	} else if (pf->nb_vfs != num_vfs) {
		PF_INIT_LOG(NOTICE, "%s: num_vfs=%u ignored: %u VFs already enabled",
			    pf->pf_dev->name, num_vfs, pf->nb_vfs);
	}
}

void
vfbc_pf_sriov_release(struct vfbc_pf_proc *pf)
{
	pthread_mutex_lock(&pf->ctrl);
	pthread_rwlock_wrlock(&pf->lock);
	vfbc_pf_vfs_release(pf);
	pthread_rwlock_unlock(&pf->lock);
	pthread_mutex_unlock(&pf->ctrl);
}
