/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_VF_LOG_H_
#define _VFBC_VF_LOG_H_

#include <rte_log.h>

extern int vfbc_vf_logtype;
extern int vfbc_vf_logtype_mbox;

/* Probe, ports, claims (pmd.net.vfbc_vf). */
#define VF_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfbc_vf_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* The mailbox: deliveries, requests, answers (pmd.net.vfbc_vf.mbox). */
#define VF_MBOX_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfbc_vf_logtype_mbox, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* _VFBC_VF_LOG_H_ */
