/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_TEST_RUNNER_H_
#define _VFBC_TEST_RUNNER_H_

/*
 * Runner internals shared by the runner's own files and its self-tests;
 * tests include test.h only.
 */

#include <stdio.h>

#include "test.h"

/** Case outcomes of one command (or of one suite run). */
struct vfbc_test_counts {
	unsigned int passed;
	unsigned int failed;
	unsigned int skipped;
};

/** Run a suite, adding its case outcomes to counts. */
int vfbc_test_suite_run(struct unit_test_suite *suite, struct vfbc_test_counts *counts);

/** Case outcomes of the running command so far. */
struct vfbc_test_counts *vfbc_test_command_counts(void);

/** Where suite output and assertion messages go; NULL restores stdout. */
FILE *vfbc_test_set_output(FILE *out);
FILE *vfbc_test_output(void);

/** Skip reason given by the last TEST_SKIP, "" if none since the last reset. */
const char *vfbc_test_skip_reason(void);
void vfbc_test_skip_reason_reset(void);

/** Run a command in this process and fold its return value into its counts. */
void vfbc_test_command_run_here(const struct vfbc_test_command *cmd,
		struct vfbc_test_counts *counts);

/** Environment variable naming the fd a --run-one process reports on. */
#define VFBC_TEST_REPORT_ENV "VFBC_TEST_REPORT_FD"

/** Write a command's counts to the runner's report pipe. */
int vfbc_test_report_write(int fd, const struct vfbc_test_counts *c);

/** Exit status for counts: 1 if a case failed, 77 if all skipped, else 0. */
int vfbc_test_counts_status(const struct vfbc_test_counts *c);

/** Make termination signals take the running command's processes along. */
void vfbc_test_process_init(void);

/**
 * Run a command in a child process (plain) or in a fresh world (world
 * command); a child that crashes, hangs past timeout_s (0: no limit) or
 * does not report counts as one failed case.
 */
void vfbc_test_command_run_child(const struct vfbc_test_command *cmd, unsigned int timeout_s,
		struct vfbc_test_counts *counts);

/** rte_eal_cleanup() if the running command initialised EAL. */
void vfbc_test_eal_release(void);

/** Remember argv[0] and resolve the runner's own path. */
int vfbc_test_self_path_init(const char *argv0);

/** Registered commands, sorted by name. */
TAILQ_HEAD(vfbc_test_command_list, vfbc_test_command);
struct vfbc_test_command_list *vfbc_test_commands(void);
struct vfbc_test_command *vfbc_test_command_find(const char *name);

#endif /* _VFBC_TEST_RUNNER_H_ */
