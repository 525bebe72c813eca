/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_CHANNEL_LOG_H_
#define _VFBC_CHANNEL_LOG_H_

/* Private to the library: not installed. */

#include <rte_log.h>

extern int vfbc_channel_logtype;

#define VFBC_CHANNEL_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfbc_channel_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* _VFBC_CHANNEL_LOG_H_ */
