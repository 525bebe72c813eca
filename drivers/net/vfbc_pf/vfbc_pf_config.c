/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * VF configuration-space access (NdisM{Set,Get}VirtualFunctionBusData):
 * argument validation, then one rte_pci_{write,read}_config() on the VF.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_bus_pci.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"

int
vfbc_pf_vf_lookup(struct vfbc_pf_proc *proc, uint16_t vf_id, struct vfbc_pf_vf **vf)
{
	if (proc->nb_vfs == 0)
		return -ENXIO;
	if (vf_id >= proc->nb_vfs)
		return -EINVAL;
	*vf = &proc->vfs[vf_id];
	return 0;
}

int
vfbc_pf_vf_ready(struct vfbc_pf_proc *proc, uint16_t vf_id, struct vfbc_pf_vf **vf)
{
	int ret;

	ret = vfbc_pf_vf_lookup(proc, vf_id, vf);
	if (ret < 0)
		return ret;
	if ((*vf)->state != VFBC_PF_VF_READY)
		return -ENXIO;
	/* A driver probed since we mapped it may hold a handle without our fd. */
	return vfbc_pf_vf_cfg_reach(proc, *vf);
}

static void
pf_count_failure(struct vfbc_pf_adapter *ad, int err)
{
	switch (err) {
	case -EINVAL:
		vfbc_pf_count(ad, VFBC_PF_XS_FAIL_EINVAL, 1);
		break;
	case -ENXIO:
		vfbc_pf_count(ad, VFBC_PF_XS_FAIL_ENXIO, 1);
		break;
	case -EIO:
		vfbc_pf_count(ad, VFBC_PF_XS_FAIL_EIO, 1);
		break;
	case -E_RTE_SECONDARY:
		vfbc_pf_count(ad, VFBC_PF_XS_FAIL_SECONDARY, 1);
		break;
	default:
		break;
	}
}

/* is_write selects wbuf (write) or rbuf (read); the other one is unused. */
static int
pf_vf_config_io(uint16_t port_id, uint16_t vf_id, int is_write, const void *wbuf,
		void *rbuf, uint32_t offset, uint32_t length)
{
	const char *op = is_write ? "write" : "read";
	struct vfbc_pf_adapter *ad;
	struct vfbc_pf_proc *proc;
	struct rte_eth_dev *dev;
	struct vfbc_pf_vf *vf;
	int ret;

	ret = vfbc_pf_port_get(port_id, &dev, &ad);
	if (ret == -ENODEV)
		return ret;
	if (ret < 0)
		goto fail;
	/* Every check comes before the access: bad input changes nothing. */
	if ((is_write ? wbuf == NULL : rbuf == NULL) || length == 0 ||
	    offset >= RTE_PCI_CFG_SPACE_EXP_SIZE ||
	    length > RTE_PCI_CFG_SPACE_EXP_SIZE - offset) {
		ret = -EINVAL;
		goto fail;
	}
	proc = dev->process_private;
	pthread_rwlock_rdlock(&proc->lock);
	ret = vfbc_pf_vf_ready(proc, vf_id, &vf);
	if (ret == 0 && (offset >= vf->cfg_size || length > vf->cfg_size - offset))
		ret = -EINVAL;
	if (ret == 0) {
		if (is_write)
			ret = rte_pci_write_config(vf->pci_dev, wbuf, length, offset);
		else
			ret = rte_pci_read_config(vf->pci_dev, rbuf, length, offset);
		if (ret <= 0) {
			PF_LOG(ERR, "VF %u (%s): config %s of %" PRIu32 " bytes at 0x%" PRIx32
			       " failed", vf_id, vf->pci_dev->name, op, length, offset);
			ret = -EIO;
		}
	}
	pthread_rwlock_unlock(&proc->lock);
	if (ret < 0)
		goto fail;
	if ((uint32_t)ret < length) {
		PF_LOG(WARNING, "VF %u: short config %s: %d of %" PRIu32 " bytes at 0x%" PRIx32,
		       vf_id, op, ret, length, offset);
		vfbc_pf_count(ad, VFBC_PF_XS_CFG_SHORT, 1);
	}
	if (is_write) {
		vfbc_pf_count(ad, VFBC_PF_XS_CFG_WRITES, 1);
		vfbc_pf_count(ad, VFBC_PF_XS_CFG_WRITE_BYTES, (uint64_t)ret);
	} else {
		vfbc_pf_count(ad, VFBC_PF_XS_CFG_READS, 1);
		vfbc_pf_count(ad, VFBC_PF_XS_CFG_READ_BYTES, (uint64_t)ret);
	}
	return ret;
fail:
	pf_count_failure(ad, ret);
	PF_LOG(DEBUG, "port %u VF %u: config %s of %" PRIu32 " bytes at 0x%" PRIx32 ": %d",
	       port_id, vf_id, op, length, offset, ret);
	return ret;
}

int
vfbc_pf_write_vf_config(uint16_t port_id, uint16_t vf_id, const void *buf,
			uint32_t offset, uint32_t length)
{
	return pf_vf_config_io(port_id, vf_id, 1, buf, NULL, offset, length);
}

int
vfbc_pf_read_vf_config(uint16_t port_id, uint16_t vf_id, void *buf,
		       uint32_t offset, uint32_t length)
{
	return pf_vf_config_io(port_id, vf_id, 0, NULL, buf, offset, length);
}

uint32_t
vfbc_pf_set_vf_bus_data(uint16_t port_id, uint16_t vf_id, const void *buf,
			uint32_t offset, uint32_t length)
{
	int ret = vfbc_pf_write_vf_config(port_id, vf_id, buf, offset, length);

	return ret > 0 ? (uint32_t)ret : 0;
}

uint32_t
vfbc_pf_get_vf_bus_data(uint16_t port_id, uint16_t vf_id, void *buf,
			uint32_t offset, uint32_t length)
{
	int ret = vfbc_pf_read_vf_config(port_id, vf_id, buf, offset, length);

	return ret > 0 ? (uint32_t)ret : 0;
}
