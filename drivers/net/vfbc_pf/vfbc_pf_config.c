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
#include "vfbc_pf_config.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_vfs.h"

void
vfbc_pf_count_failure(struct vfbc_pf_adapter *ad, int err)
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

int
vfbc_pf_vf_config_io(struct vfbc_pf_proc *pf, uint16_t vf_id, int is_write,
		     const void *wbuf, void *rbuf, uint32_t offset, uint32_t length)
{
	const char *op = is_write ? "write" : "read";
	struct vfbc_pf_vf *vf;
	int ret;

	/* Every check comes before the access: bad input changes nothing. */
	if ((is_write ? wbuf == NULL : rbuf == NULL) || length == 0 ||
	    offset >= RTE_PCI_CFG_SPACE_EXP_SIZE ||
	    length > RTE_PCI_CFG_SPACE_EXP_SIZE - offset) {
		ret = -EINVAL;
		goto fail;
	}
	pthread_rwlock_rdlock(&pf->lock);
	ret = vfbc_pf_vf_ready(pf, vf_id, &vf);
	if (ret == 0 && (offset >= vf->cfg_size || length > vf->cfg_size - offset))
		ret = -EINVAL;
	if (ret == 0) {
		if (is_write)
			ret = rte_pci_write_config(&vf->dev, wbuf, length, offset);
		else
			ret = rte_pci_read_config(&vf->dev, rbuf, length, offset);
		if (ret <= 0) {
			PF_LOG(ERR, "VF %u (%s): config %s of %" PRIu32 " bytes at 0x%" PRIx32
			       " failed", vf_id, vf->dev.name, op, length, offset);
			ret = -EIO;
		}
	}
	pthread_rwlock_unlock(&pf->lock);
	if (ret < 0)
		goto fail;
	if ((uint32_t)ret < length) {
		PF_LOG(WARNING, "VF %u: short config %s: %d of %" PRIu32 " bytes at 0x%" PRIx32,
		       vf_id, op, ret, length, offset);
		vfbc_pf_count(pf->ad, VFBC_PF_XS_CFG_SHORT, 1);
	}
	if (is_write) {
		vfbc_pf_count(pf->ad, VFBC_PF_XS_CFG_WRITES, 1);
		vfbc_pf_count(pf->ad, VFBC_PF_XS_CFG_WRITE_BYTES, (uint64_t)ret);
	} else {
		vfbc_pf_count(pf->ad, VFBC_PF_XS_CFG_READS, 1);
		vfbc_pf_count(pf->ad, VFBC_PF_XS_CFG_READ_BYTES, (uint64_t)ret);
	}
	return ret;
fail:
	vfbc_pf_count_failure(pf->ad, ret);
	PF_LOG(DEBUG, "port %u VF %u: config %s of %" PRIu32 " bytes at 0x%" PRIx32 ": %d",
	       pf->port_id, vf_id, op, length, offset, ret);
	return ret;
}
