/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _FUZZ_WORLD_H_
#define _FUZZ_WORLD_H_

/*
 * What the vfbc-world fuzz targets (fuzz_world_args, fuzz_world_spec)
 * share: the promises an accepted topology keeps, the strict grammar
 * accepted values follow, and a stream that catches the parser's messages.
 */

#include <stdint.h>
#include <stdio.h>

#include "world.h"

/* A broken promise: say which, and abort (libFuzzer keeps the input). */
#define FUZZ_ASSERT(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* The parser's messages, caught in memory. */
struct fuzz_world_err {
	FILE *f;
	char *buf;
	size_t len;
};

void fuzz_world_err_open(struct fuzz_world_err *e);
/* Close the stream: buf and len hold what was written (free() buf). */
void fuzz_world_err_close(struct fuzz_world_err *e);

/* A refusal printed a "vfbc-world: ..." message; an acceptance printed nothing. */
void fuzz_world_check_messages(const struct fuzz_world_err *e, int refused,
		const char *where);

/* Field by field: whether a and b are the same topology. */
int fuzz_world_topo_equal(const struct vfbc_world_topo *a, const struct vfbc_world_topo *b);

/*
 * Every promise of an accepted topology: addresses in range, NumVFs <=
 * TotalVFs, VFs below bus 256 and apart from the PF and each other, sizes
 * allowed; and printing it as a spec then parsing that gives it back.
 */
void fuzz_world_check_topo(const struct vfbc_world_topo *topo);

/*
 * The value of an accepted key is in the documented grammar and is what the
 * topology holds: a PCI address DDDD:BB:DD.F, or a number that is decimal
 * without a leading zero or 0x hex. Aborts otherwise; -1 for an unknown key.
 */
int fuzz_world_check_value(const struct vfbc_world_topo *topo, const char *key,
		size_t key_len, const char *value);

#endif /* _FUZZ_WORLD_H_ */
