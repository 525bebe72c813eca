/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The driver's log types: pmd.net.vfbc_pf and its .init and .mbox suffixes.
 * Defined apart from the code that logs, so that no source file depends
 * on another one for them.
 */

#include <rte_log.h>

#include "vfbc_pf_log.h"

RTE_LOG_REGISTER_DEFAULT(vfbc_pf_logtype, NOTICE);
RTE_LOG_REGISTER_SUFFIX(vfbc_pf_logtype_init, init, NOTICE);
RTE_LOG_REGISTER_SUFFIX(vfbc_pf_logtype_mbox, mbox, NOTICE);
