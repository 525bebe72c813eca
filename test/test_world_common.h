/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_WORLD_COMMON_H_
#define _TEST_WORLD_COMMON_H_

/*
 * Helpers of the tests of the emulated world itself (test_world_*.c): its
 * functions' files, reached by routing ID under the world's devices
 * directory, as a program of the world sees them (no EAL, no driver).
 */

#include <stddef.h>

/** Suite setup: TEST_SKIPPED outside a vfbc world, else TEST_SUCCESS. */
int test_world_setup(void);

/**
 * Path of function rid's directory in the world (file NULL), or of a file
 * in it, into buf (len bytes).
 */
void test_world_dev(unsigned int rid, const char *file, char *buf, size_t len);

/** A function's file, NUL-terminated (at most len - 1 bytes): 0 or a negative errno. */
int test_world_read(unsigned int rid, const char *file, char *buf, size_t len);

/** Write value to a function's file (truncated first): 0, -EIO (short) or a negative errno. */
int test_world_write(unsigned int rid, const char *file, const char *value);

/** len bytes of a function's config space at off: 0, -EIO (short) or a negative errno. */
int test_world_cfg_read(unsigned int rid, unsigned int off, void *buf, size_t len);

/** Write len bytes of a function's config space at off: 0, -EIO (short) or a negative errno. */
int test_world_cfg_write(unsigned int rid, unsigned int off, const void *buf, size_t len);

/** The uio number of a function (its uio/uioN), or a negative errno (-ENOENT: none). */
int test_world_uio(unsigned int rid);

#endif /* _TEST_WORLD_COMMON_H_ */
