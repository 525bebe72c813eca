/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_MP_SOAK_H_
#define _TEST_MP_SOAK_H_

/*
 * What the soak (test_mp_soak.c) checks was not leaked, and what it cleans
 * up after the processes it kills (test_mp_soak_env.c).
 *
 * A secondary killed with SIGKILL leaves files in its primary's runtime
 * directory (DPDK 22.11: its multi-process socket, mp_socket_<pid>_<tsc>,
 * which the primary's next broadcast would remove, and the local copies of
 * the memory segment lists, fbarray_memseg-<size>-<socket>-<list>_<pid>,
 * which nothing removes): a supervisor that restarts VF processes removes
 * them. It also leaves two allocations in the primary's hugepage heap,
 * which nothing can free: every DPDK process, secondaries included,
 * allocates the service library's arrays there (rte_service_init()) and
 * frees them in rte_eal_cleanup(). A killed primary leaves its whole
 * runtime directory and its
 * hugepage files (<hugetlbfs mount>/<prefix>map_<n>), which stay allocated
 * until removed once its secondaries are gone.
 */

#include <stddef.h>
#include <stdint.h>

/* What the primary process holds, to compare before and after. */
struct soak_res {
	unsigned int fds;		/* open file descriptors */
	unsigned int memzones;		/* memzones */
	unsigned int vfbc_memzones;	/* vfbc* memzones other than the PF's channel */
	uint64_t heap_bytes;		/* bytes allocated in the hugepage heap */
	uint64_t heap_allocs;		/* allocations in it */
	unsigned int runtime_files;	/* files in the runtime directory */
};

/* Take it; channel_mz: the memzone name of the PF's channel. */
void soak_res_take(struct soak_res *r, const char *channel_mz);

/* What now may hold beyond what before held. */
struct soak_res_more {
	unsigned int fds;
	uint64_t heap_allocs;
	uint64_t heap_bytes;
};

/*
 * 0 if now holds what before held plus exactly more, and no extra vfbc
 * memzone; prints why not.
 */
int soak_res_cmp(const char *what, const struct soak_res *before, const struct soak_res *now,
		 const struct soak_res_more *more);

/*
 * Remove what process pid, a killed secondary, left in runtime directory
 * dir; returns how many files, their names (space separated) in names.
 */
int soak_reap_pid(const char *dir, int pid, char *names, size_t size);

/*
 * Count (remove: 1) what a primary of file prefix prefix left: the files of
 * its runtime directory, beside ours (our_dir), and its hugepage files on
 * every hugetlbfs mount. Returns the number of files, or a negative errno.
 */
int soak_prefix_files(const char *our_dir, const char *prefix, int remove,
		      unsigned int *dir_files, unsigned int *huge_files);

/*
 * What is not this primary's (runtime directory our_dir, file prefix
 * our_prefix): other runtime directories beside ours, hugepage files of
 * other prefixes; printed. A run starts clean, and leaves the next one a
 * clean start, when there is none.
 */
int soak_foreign_files(const char *our_dir, const char *our_prefix);

#endif /* _TEST_MP_SOAK_H_ */
