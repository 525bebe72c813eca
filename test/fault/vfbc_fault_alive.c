/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Fault injection, preloaded (LD_PRELOAD) into a test's VF process: EAL's
 * primary liveness check gives one false "dead" answer, at the call number
 * given by VFBC_FAULT_ALIVE_FALSE_AT, and counts every call. A VF PMD that
 * latched on one answer would declare a healthy primary dead for good; one
 * that does not ask EAL at all shows zero calls.
 */

#include <dlfcn.h>
#include <stdlib.h>

/* Calls so far; read by the test process through dlsym(). */
unsigned int vfbc_fault_alive_calls;

int rte_eal_primary_proc_alive(const char *config_file_path);

int
rte_eal_primary_proc_alive(const char *config_file_path)
{
	static int (*real)(const char *path);
	const char *at = getenv("VFBC_FAULT_ALIVE_FALSE_AT");
	unsigned int n;

	n = __atomic_add_fetch(&vfbc_fault_alive_calls, 1, __ATOMIC_RELAXED);
	if (at != NULL && n == (unsigned int)strtoul(at, NULL, 10))
		return 0;
	if (real == NULL)
		real = (int (*)(const char *))dlsym(RTLD_NEXT, "rte_eal_primary_proc_alive");
	return real != NULL ? real(config_file_path) : 1;
}
