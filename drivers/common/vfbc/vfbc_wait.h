/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_WAIT_H_
#define _VFBC_WAIT_H_

/*
 * The clock of both drivers' adaptive waits (vfbc_vf_poll_wait(),
 * vfbc_pf_mbox_poll_wait()): a spin's end, and a sleep's length to a
 * deadline, on EAL's timer.
 */

#include <limits.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>

/* The timer's value us microseconds from now. */
static inline uint64_t
vfbc_wait_deadline_us(uint32_t us)
{
	uint64_t hz = rte_get_timer_hz();

	return rte_get_timer_cycles() + us / US_PER_S * hz + (uint64_t)(us % US_PER_S) * hz /
		US_PER_S;
}

/* Milliseconds from now to deadline, rounded up: epoll never ends a wait early. */
static inline int
vfbc_wait_ms_left(uint64_t deadline)
{
	uint64_t now = rte_get_timer_cycles();

	if (now >= deadline)
		return 0;
	return (int)RTE_MIN((deadline - now) * MS_PER_S / rte_get_timer_hz() + 1,
			    (uint64_t)INT_MAX);
}

#endif /* _VFBC_WAIT_H_ */
