/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The library's log type, lib.vfbc.
 * Defined apart from the code that logs, so that no source file depends
 * on another one for them.
 */

#include <rte_log.h>

#include "vfbc_channel_log.h"

RTE_LOG_REGISTER_DEFAULT(vfbc_channel_logtype, NOTICE);
