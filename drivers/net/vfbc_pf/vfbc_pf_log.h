/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_LOG_H_
#define _VFBC_PF_LOG_H_

#include <rte_log.h>

extern int vfbc_pf_logtype;
extern int vfbc_pf_logtype_init;
extern int vfbc_pf_logtype_mbox;

/* Driver events: configuration-space access failures, VF state changes. */
#define PF_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfbc_pf_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* Probe, SR-IOV discovery and teardown (pmd.net.vfbc_pf.init). */
#define PF_INIT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfbc_pf_logtype_init, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* Mailbox: channel lifecycle, VF requests and verdicts (pmd.net.vfbc_pf.mbox). */
#define PF_MBOX_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfbc_pf_logtype_mbox, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* _VFBC_PF_LOG_H_ */
