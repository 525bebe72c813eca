/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_COMPAT_H_
#define _VFBC_COMPAT_H_

/**
 * @file
 * Symbol tagging for vfbc's public API.
 *
 * vfbc lives outside DPDK and must not define RTE_ symbols, so it carries its
 * own equivalents of DPDK's __rte_experimental and __rte_internal.
 */

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ALLOW_EXPERIMENTAL_API
/**
 * Marks an experimental symbol: it may change without prior notice. Using it
 * warns unless ALLOW_EXPERIMENTAL_API is defined, as with DPDK's own API.
 */
#define __vfbc_experimental \
	__attribute__((deprecated("Symbol is not yet part of stable ABI"), \
	section(".text.experimental")))
#else
/** Marks an experimental symbol (use allowed: ALLOW_EXPERIMENTAL_API is defined). */
#define __vfbc_experimental \
	__attribute__((section(".text.experimental")))
#endif

/**
 * Marks experimental data: a fast-path table the API's inline functions read
 * (as DPDK's rte_eth_fp_ops is read by rte_eth_rx_burst()). Not for
 * applications to use directly; its layout may change without notice.
 */
#define __vfbc_experimental_data \
	__attribute__((section(".data.experimental")))

#ifndef ALLOW_INTERNAL_API
/**
 * Marks a symbol one vfbc library exports for another (the drivers' common
 * code): using it outside vfbc fails to compile, as with DPDK's __rte_internal.
 */
#define __vfbc_internal \
	__attribute__((error("Symbol is not public ABI"), \
	section(".text.internal")))
#else
/** Marks a symbol internal to vfbc (use allowed: ALLOW_INTERNAL_API is defined). */
#define __vfbc_internal \
	__attribute__((section(".text.internal")))
#endif

/**
 * A compile-time assertion at file scope, for the installed headers: C11's
 * static_assert is not in C99 (which DPDK 22.11's headers allow), where
 * gcc and clang take _Static_assert as an extension.
 */
#ifdef __cplusplus
#define VFBC_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define VFBC_STATIC_ASSERT(cond, msg) __extension__ _Static_assert(cond, msg)
#endif

#ifdef __cplusplus
}
#endif

#endif /* _VFBC_COMPAT_H_ */
