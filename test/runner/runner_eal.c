/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "runner.h"

#define VFBC_TEST_EAL_MAX_ARGS 64

/*
 * EAL keeps pointers into argv (argv[0] becomes the syslog ident), so the
 * strings live as long as the process.
 */
static char vfbc_test_eal_prgname[] = "vfbc-test";
static char vfbc_test_eal_quiet[] = "--log-level=lib.eal:warning";
static char vfbc_test_eal_no_shconf[] = "--no-shconf";
static char vfbc_test_eal_args[2048];
static char vfbc_test_eal_prefix[128];
static char *vfbc_test_eal_argv[VFBC_TEST_EAL_MAX_ARGS];
static int vfbc_test_eal_up;

/*
 * Under AddressSanitizer, EAL's default base address (4 GiB) lies in the
 * shadow gap ASan reserves, so the kernel puts hugepage memory and PCI BAR
 * mappings wherever it likes: just below the shared libraries. A secondary
 * must map them at the same addresses, where its own libraries and ASan's
 * allocations may already be ("EAL: Cannot mmap device resource file ... to
 * address"). Primaries of an ASan build keep EAL's memory in ASan's high
 * application memory instead, below ASan's allocator (0x600000000000).
 */
#ifdef VFBC_TEST_ASAN
static char vfbc_test_eal_sanitizer[] = "--base-virtaddr=0x200000000000";
#else
static char vfbc_test_eal_sanitizer[] = "";
#endif

const char *
vfbc_test_eal_sanitizer_args(void)
{
	return vfbc_test_eal_sanitizer;
}

#ifdef VFBC_TEST_ASAN
void __asan_init(void);

/* The shared ASan runtime this process runs with, or NULL (linked in: clang). */
static const char *
vfbc_test_asan_runtime(void)
{
	Dl_info info;

	if (dladdr((void *)(uintptr_t)__asan_init, &info) == 0 || info.dli_fname == NULL ||
			strstr(info.dli_fname, ".so") == NULL)
		return NULL;
	return info.dli_fname;
}
#else
static const char *
vfbc_test_asan_runtime(void)
{
	return "";
}
#endif

int
vfbc_test_ld_preload(char *buf, size_t size, const char *lib)
{
	const char *asan = vfbc_test_asan_runtime();
	int n;

	if (asan == NULL)
		return -ENOTSUP;
	if (asan[0] == '\0' && lib == NULL)
		n = snprintf(buf, size, "%s", "");
	else
		n = snprintf(buf, size, "LD_PRELOAD=%s%s%s", asan,
			     asan[0] != '\0' && lib != NULL ? ":" : "", lib != NULL ? lib : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * DPDK 22.11 refuses --in-memory with --no-huge (which implies legacy
 * memory); what --in-memory means there, no files shared with other
 * processes, is --no-shconf.
 */
static void
vfbc_test_eal_fix_in_memory(char **argv, int argc)
{
	int in_memory;
	int no_huge;
	int i;

	in_memory = -1;
	no_huge = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--in-memory") == 0)
			in_memory = i;
		else if (strcmp(argv[i], "--no-huge") == 0)
			no_huge = 1;
	}
	if (in_memory < 0 || !no_huge)
		return;
	printf("EAL: --in-memory conflicts with --no-huge in DPDK 22.11, using --no-shconf\n");
	argv[in_memory] = vfbc_test_eal_no_shconf;
}

/* rte_eal_init() errors caused by the machine rather than by the code. */
static int
vfbc_test_eal_error_is_environmental(int err)
{
	switch (err) {
	case EACCES: /* hugepage information unreadable */
	case EPERM:
	case ENOMEM: /* no hugepages or memory to reserve */
	case EAGAIN: /* VFIO unavailable */
		return 1;
	default:
		return 0;
	}
}

int
vfbc_test_eal_init(const char *fmt, ...)
{
	const char *name;
	char *save;
	char *tok;
	va_list ap;
	int argc;
	int len;
	int i;

	if (vfbc_test_eal_up) {
		printf("vfbc_test_eal_init: EAL is already initialised in this command\n");
		return TEST_FAILED;
	}

	va_start(ap, fmt);
	len = vsnprintf(vfbc_test_eal_args, sizeof(vfbc_test_eal_args), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(vfbc_test_eal_args)) {
		printf("vfbc_test_eal_init: EAL arguments too long\n");
		return TEST_FAILED;
	}

	name = vfbc_test_command_name();
	if (name == NULL)
		name = "cmd";
	/* Unique per command and process: concurrent runs never share state. */
	snprintf(vfbc_test_eal_prefix, sizeof(vfbc_test_eal_prefix), "--file-prefix=vfbc-%.64s-%d",
			name, (int)getpid());

	argc = 0;
	vfbc_test_eal_argv[argc++] = vfbc_test_eal_prgname;
	vfbc_test_eal_argv[argc++] = vfbc_test_eal_prefix;
	if (vfbc_test_eal_sanitizer[0] != '\0')
		vfbc_test_eal_argv[argc++] = vfbc_test_eal_sanitizer;
	if (getenv("VFBC_TEST_VERBOSE") == NULL)
		vfbc_test_eal_argv[argc++] = vfbc_test_eal_quiet;
	for (tok = strtok_r(vfbc_test_eal_args, " \t\n", &save); tok != NULL;
			tok = strtok_r(NULL, " \t\n", &save)) {
		if (argc >= VFBC_TEST_EAL_MAX_ARGS - 1) {
			printf("vfbc_test_eal_init: more than %d EAL arguments\n",
					VFBC_TEST_EAL_MAX_ARGS - 1);
			return TEST_FAILED;
		}
		vfbc_test_eal_argv[argc++] = tok;
	}
	vfbc_test_eal_argv[argc] = NULL;
	vfbc_test_eal_fix_in_memory(vfbc_test_eal_argv, argc);

	printf("EAL:");
	for (i = 0; i < argc; i++)
		printf(" %s", vfbc_test_eal_argv[i]);
	printf("\n");
	fflush(stdout);

	if (rte_eal_init(argc, vfbc_test_eal_argv) < 0) {
		if (vfbc_test_eal_error_is_environmental(rte_errno)) {
			vfbc_test_skip_report("EAL cannot start on this machine: %s%s",
					rte_strerror(rte_errno),
					geteuid() != 0 ? " (not running as root)" : "");
			return TEST_SKIPPED;
		}
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	vfbc_test_eal_up = 1;
	return TEST_SUCCESS;
}

/*
 * rte_eal_cleanup() leaves the runtime directory behind; with a prefix per
 * process they would pile up, so remove it when it is the one we named.
 */
static void
vfbc_test_eal_remove_runtime_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	const char *base;
	DIR *d;

	base = strrchr(dir, '/');
	base = base != NULL ? base + 1 : dir;
	if (strcmp(base, vfbc_test_eal_prefix + strlen("--file-prefix=")) != 0)
		return;
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void
vfbc_test_eal_release(void)
{
	char dir[PATH_MAX];
	int ret;

	if (!vfbc_test_eal_up)
		return;
	vfbc_test_eal_up = 0;
	strlcpy(dir, rte_eal_get_runtime_dir(), sizeof(dir));
	ret = rte_eal_cleanup();
	if (ret != 0)
		printf("rte_eal_cleanup failed: %s\n", rte_strerror(-ret));
	vfbc_test_eal_remove_runtime_dir(dir);
}
