/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_FUZZ_COMMON_H_
#define _VFBC_FUZZ_COMMON_H_

/*
 * What the libFuzzer targets share: reading a fuzz input as a stream of
 * fields, memory fenced by guard pages and ASan poison, and the invariant
 * check that stops the run.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * An invariant failed: say which and where, then abort, so that libFuzzer
 * keeps the input as a crash (a failed invariant is a finding like a crash).
 */
#define FUZZ_CHECK(cond, fmt, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "INVARIANT FAILED %s:%d: %s: " fmt "\n", __FILE__, __LINE__, \
			#cond, ##__VA_ARGS__); \
		abort(); \
	} \
} while (0)

/* The input, consumed field by field; past its end every field reads as zero. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

/* Copy up to len bytes; the rest of dst is zeroed. */
void fuzz_bytes(struct fuzz_in *in, void *dst, size_t len);
/* An unsigned integer of n <= 8 bytes, little-endian. */
uint64_t fuzz_le(struct fuzz_in *in, size_t n);

#define fuzz_u8(in) ((uint8_t)fuzz_le(in, 1))
#define fuzz_u16(in) ((uint16_t)fuzz_le(in, 2))
#define fuzz_u32(in) ((uint32_t)fuzz_le(in, 4))
#define fuzz_u64(in) fuzz_le(in, 8)

/*
 * Memory between two PROT_NONE pages. fuzz_region_place() hands out len
 * bytes that end where the upper guard page starts (up to the cache-line
 * rounding, which is poisoned with the rest), so that any access past
 * either end faults or is reported by ASan.
 */
struct fuzz_region {
	uint8_t *lo;  /* first usable byte (just above the lower guard page) */
	uint8_t *hi;  /* the upper guard page */
	uint8_t *base; /* the bytes placed last */
	size_t len;
};

/* Map a region for up to max bytes; exits on failure (nothing to fuzz without it). */
void fuzz_region_map(struct fuzz_region *r, size_t max);
/* Cache-line aligned len bytes, all else poisoned; len <= the region's max. */
uint8_t *fuzz_region_place(struct fuzz_region *r, size_t len);

/*
 * Silence DPDK's log unless VFBC_FUZZ_LOG is set: a hostile VF makes the
 * library log, and writing to the terminal would be most of the run time.
 */
void fuzz_log_quiet(void);

#endif /* _VFBC_FUZZ_COMMON_H_ */
