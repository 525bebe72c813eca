/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_BADINPUT_H_
#define _TEST_BADINPUT_H_

/*
 * Bad input, table-driven: one table per public header (vfbc_pmd_pf.h,
 * vfbc_pmd_vf.h, vfbc_channel.h), one row per call: the function, its
 * arguments, the process it runs in and the return its header documents.
 *
 * For every row the runner takes a snapshot of everything the call could
 * touch (the world's config files, the channel's shared memory, the PF
 * port's xstats, every VF slot's channel counters), makes the call, and
 * requires the documented return and the same snapshot afterwards, except
 * for the counters the row names (a refused config access is counted, for
 * instance). Output buffers of a call that fails must be left as they were.
 *
 * Rows run in the test's process, or in a secondary process that runs
 * bi_serve() on the same table: the primary sends it the row's index and
 * checks the answer and its own snapshot around it.
 *
 * The rows of the three tables together must name every symbol the
 * version maps export (badinput_symbols_autotest).
 */

#include <stdint.h>

#include <vfbc_channel.h>

#include "test_mp_common.h"

struct bi_row;

/* Bytes of the scratch area that a row's pointer arguments point into. */
#define BI_SCRATCH_SIZE (64 * 1024)

/*
 * One function of a header, and how a row calls it with the row's fields
 * (each table says which field is which argument). Pointer arguments point
 * into scratch, or are NULL as the row's ptr bits say.
 */
struct bi_fn {
	const char *name;
	int64_t (*call)(const struct bi_row *r, uint8_t *scratch);
};

/* Where a row runs. */
#define BI_PRIMARY	0
#define BI_SECONDARY	1

/* Pointer arguments a row passes as NULL (bit i: the i-th pointer). */
#define BI_NULL1	1u
#define BI_NULL2	2u

/* A row's call succeeds: its output may be written. */
#define BI_SUCCEEDS	1u

/* One call. Tables name the generic fields with macros of their own. */
struct bi_row {
	uint8_t fn;		/* index in the table's functions */
	uint8_t proc;		/* BI_PRIMARY or BI_SECONDARY */
	uint8_t phase;		/* table-specific: when in the test the row runs */
	uint8_t who;		/* table-specific: port or handle role */
	uint8_t ptr;		/* BI_NULL* */
	uint8_t flags;		/* BI_SUCCEEDS */
	uint16_t line;		/* where the row is, for messages */
	int64_t id;		/* VF, block or port id, by table */
	uint64_t a;		/* offsets, lengths, names, ... by table */
	uint64_t b;
	uint64_t v;
	int64_t ret;		/* the documented return */
	/*
	 * Counters the call changes, space separated: an xstat name of the PF
	 * port or "field/vf" for a VF slot's channel counter, each growing by
	 * one unless followed by "+N".
	 */
	const char *grows;
};

/* A table: the header's functions and the rows that call them. */
struct bi_table {
	const char *header;
	const char *file;		/* the table's source file (__FILE__) */
	const struct bi_fn *fns;
	unsigned int nb_fns;
	const struct bi_row *rows;
	unsigned int nb_rows;
};

/* The table of a header, from its functions and rows in the file that defines it. */
#define BI_TABLE(hdr, f, r) { .header = hdr, .file = __FILE__, .fns = f, \
	.nb_fns = RTE_DIM(f), .rows = r, .nb_rows = RTE_DIM(r) }

/* What a row must not change. */
struct bi_scope {
	int world;			/* the world's config files */
	uint16_t xstats_port;		/* RTE_MAX_ETHPORTS: no xstats */
	const char *mz_name;		/* the channel's memzone, NULL: none */
	const struct vfbc_channel *ch;	/* any handle, to read the VFs' counters */
};

/*
 * Run the rows of t that run in proc during phase: in this process, or
 * (BI_SECONDARY) in the secondary remote serving t. Every row is checked,
 * each failure printed with the row's line; TEST_FAILED if any failed.
 */
int bi_run(const struct bi_table *t, uint8_t proc, uint8_t phase, const struct bi_scope *scope,
	   struct mp_child *remote);

/*
 * The secondary's side: tell the primary "ready", then run the rows it
 * names until it says "quit". TEST_SUCCESS, or TEST_FAILED if the pipe
 * broke.
 */
int bi_serve(const struct bi_table *t);

/* Start a secondary running hidden command `command` and wait for its "ready". */
int bi_remote_start(struct mp_child *c, const char *command, const char *eal_args,
		    const char * const *env);

/* Tell it to quit and reap it: TEST_SUCCESS if it exited 0. */
int bi_remote_stop(struct mp_child *c);

/* Pointer argument i (1 or 2) of a row: a place in scratch, or NULL. */
void *bi_ptr(const struct bi_row *r, uint8_t *scratch, unsigned int i);

/* The lowest port id that is not a valid port here. */
uint16_t bi_unused_port(void);

/* The tables, for the symbol guard. */
extern const struct bi_table bi_pf_table;
extern const struct bi_table bi_vf_table;
extern const struct bi_table bi_channel_table;

#endif /* _TEST_BADINPUT_H_ */
