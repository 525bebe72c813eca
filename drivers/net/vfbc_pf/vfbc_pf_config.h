/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_CONFIG_H_
#define _VFBC_PF_CONFIG_H_

/*
 * VF configuration-space access (vfbc_pf_config.c): what
 * NdisM{Set,Get}VirtualFunctionBusData do, for the API and the mailbox.
 */

#include <stdint.h>

#include "vfbc_pf.h"

/*
 * Write (is_write: wbuf) or read (rbuf) length bytes at offset of VF vf_id's config
 * space, with one rte_pci_{read,write}_config() on the PF's handle of the
 * VF. Every check comes before the access. Returns the bytes transferred,
 * or -EINVAL, -ENXIO, -EIO; counted in the port's xstats. Does not sleep.
 */
int vfbc_pf_vf_config_io(struct vfbc_pf_proc *pf, uint16_t vf_id, int is_write,
			 const void *wbuf, void *rbuf, uint32_t offset, uint32_t length);

/* The error counters of the xstats, for failures found before the access. */
void vfbc_pf_count_failure(struct vfbc_pf_adapter *ad, int err);

#endif /* _VFBC_PF_CONFIG_H_ */
