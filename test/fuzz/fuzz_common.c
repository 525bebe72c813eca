/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sanitizer/asan_interface.h>

#include <rte_common.h>
#include <rte_log.h>

#include "fuzz_common.h"

uint64_t
fuzz_le(struct fuzz_in *in, size_t n)
{
	uint8_t b[sizeof(uint64_t)];
	uint64_t v = 0;
	size_t i;

	fuzz_bytes(in, b, n);
	for (i = n; i-- > 0; )
		v = v << 8 | b[i];
	return v;
}

void
fuzz_bytes(struct fuzz_in *in, void *dst, size_t len)
{
	size_t n = RTE_MIN(len, in->left);

	if (n != 0)
		memcpy(dst, in->p, n);
	memset((uint8_t *)dst + n, 0, len - n);
	in->p += n;
	in->left -= n;
}

void
fuzz_region_map(struct fuzz_region *r, size_t max)
{
	size_t page, data;
	uint8_t *m;

	page = (size_t)sysconf(_SC_PAGESIZE);
	data = RTE_ALIGN_CEIL(max + RTE_CACHE_LINE_SIZE, page);
	m = mmap(NULL, data + 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (m == MAP_FAILED || mprotect(m, page, PROT_NONE) != 0 ||
			mprotect(m + page + data, page, PROT_NONE) != 0) {
		perror("fuzz: guarded mapping");
		exit(1);
	}
	r->lo = m + page;
	r->hi = r->lo + data;
	r->base = NULL;
	r->len = 0;
	ASAN_POISON_MEMORY_REGION(r->lo, data);
}

uint8_t *
fuzz_region_place(struct fuzz_region *r, size_t len)
{
	uint8_t *base = r->hi - RTE_ALIGN_CEIL(len, RTE_CACHE_LINE_SIZE);

	if (base < r->lo) {
		fprintf(stderr, "fuzz: %zu bytes do not fit the region\n", len);
		abort();
	}
	/* Poison everything, then open exactly [base, base + len). */
	ASAN_POISON_MEMORY_REGION(r->lo, (size_t)(r->hi - r->lo));
	ASAN_UNPOISON_MEMORY_REGION(base, len);
	r->base = base;
	r->len = len;
	return base;
}

void
fuzz_log_quiet(void)
{
	if (getenv("VFBC_FUZZ_LOG") == NULL)
		rte_log_set_global_level(RTE_LOG_EMERG);
}
