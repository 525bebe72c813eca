/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_LAUNCH_H_
#define _VFBC_LAUNCH_H_

/**
 * @file
 * Starting programs and waiting for them: fork and exec this program or
 * another one, with extra environment and redirected output, and wait with
 * a deadline, then kill.
 *
 * Shared by vfbc-perf (its VF secondaries, nested worlds, callgrind), the
 * test runner (the world check, each command's child) and the tests that
 * start processes (the multi-process tests' secondaries). Plain POSIX and
 * Linux, no DPDK, no pidfd: a wait polls waitpid(). A multi-threaded parent
 * is fine: everything the child needs is allocated before fork(), the child
 * only moves descriptors and calls exec.
 */

#include <stdint.h>
#include <sys/types.h>

/** Search PATH for a program named without a '/' (as execvp() does). */
#define VFBC_LAUNCH_F_PATH (1u << 0)
/** The child leads a process group of its own: signals reach all it starts. */
#define VFBC_LAUNCH_F_GROUP (1u << 1)
/** The child gets SIGKILL when the parent dies (and exits if it already did). */
#define VFBC_LAUNCH_F_PDEATHSIG (1u << 2)

/** An output of the child that goes to /dev/null (struct vfbc_launch). */
#define VFBC_LAUNCH_NULL (-1)

/** No deadline (vfbc_launch_wait() and the calls that wait). */
#define VFBC_LAUNCH_FOREVER INT64_C(-1)

/** What to start, and how. Members left 0 mean "as this process". */
struct vfbc_launch {
	/** The program (argv[0], a path) and its arguments, NULL-terminated. */
	char *const *argv;
	/**
	 * "NAME=value" strings set in the child's environment, replacing a
	 * variable of the same name; a bare "NAME" removes it. NULL-terminated;
	 * NULL: the environment as it is.
	 */
	const char *const *env;
	/** Descriptor that becomes the child's stdout; 0: inherited; VFBC_LAUNCH_NULL. */
	int out_fd;
	/** Descriptor that becomes the child's stderr; 0: inherited; VFBC_LAUNCH_NULL. */
	int err_fd;
	/** VFBC_LAUNCH_F_* flags. */
	unsigned int flags;
};

/**
 * This program's path, for a child that is this program again.
 *
 * @return
 *   The path /proc/self/exe points to (read once), or the name this program
 *   was started with if it cannot be read.
 */
const char *vfbc_launch_self(void);

/**
 * Fork a child set up as l says (process group, parent-death signal,
 * output), without exec: for a child that runs this program's code. Output
 * buffered in stdio is flushed first, so that the child does not repeat it.
 *
 * @param l
 *   The set-up; argv and env are not used.
 * @param pid
 *   The child's process id in the parent; 0 in the child.
 * @return
 *   0 in the parent and in the child, or a negative errno (no child).
 */
int vfbc_launch_fork(const struct vfbc_launch *l, pid_t *pid);

/**
 * Replace this process with l's program: no fork, the output and the
 * environment set up as l says (the flags other than VFBC_LAUNCH_F_PATH
 * are not used). Allocates when l->env is set: in a child forked by a
 * multi-threaded process, prefer vfbc_launch_spawn().
 *
 * @param l
 *   What to run.
 * @return
 *   Only on failure: a negative errno.
 */
int vfbc_launch_exec(const struct vfbc_launch *l);

/**
 * Start l's program in a child: vfbc_launch_fork(), then exec. A child
 * whose exec fails says "<this program>: cannot run <program>: <reason>" on
 * its stderr and exits with status 127.
 *
 * @param l
 *   What to run, and how.
 * @param pid
 *   The child's process id.
 * @return
 *   0, or a negative errno (nothing started).
 */
int vfbc_launch_spawn(const struct vfbc_launch *l, pid_t *pid);

/**
 * Wait for a child to end, at most timeout_ms; the wait polls, more slowly
 * as it lasts (1 to 10 ms).
 *
 * @param pid
 *   The child.
 * @param timeout_ms
 *   How long to wait: 0 only checks, VFBC_LAUNCH_FOREVER waits as long as
 *   it takes.
 * @param status
 *   The child's status (waitpid()'s) once it ended.
 * @return
 *   0 (the child ended and is reaped), -ETIMEDOUT (it still runs), or
 *   another negative errno from waitpid().
 */
int vfbc_launch_wait(pid_t pid, int64_t timeout_ms, int *status);

/**
 * Wait for a child to end, at most timeout_ms, then end it: SIGTERM and
 * grace_ms to go, then SIGKILL, and reap it. The signals go to the child's
 * process group with VFBC_LAUNCH_F_GROUP in flags, else to the child.
 *
 * @param pid
 *   The child.
 * @param timeout_ms
 *   As for vfbc_launch_wait().
 * @param grace_ms
 *   How long the child has between SIGTERM and SIGKILL; 0: no SIGTERM.
 * @param flags
 *   VFBC_LAUNCH_F_GROUP if the child leads a process group, else 0.
 * @param status
 *   The child's status (waitpid()'s).
 * @return
 *   0 (the child ended by itself), 1 (it was killed), or a negative errno
 *   from waitpid().
 */
int vfbc_launch_wait_kill(pid_t pid, int64_t timeout_ms, unsigned int grace_ms,
		unsigned int flags, int *status);

/**
 * A child's status, as a shell gives it.
 *
 * @param status
 *   The status waitpid() gave.
 * @return
 *   The exit status (0..255), or 128 + the number of the signal that
 *   killed the child.
 */
int vfbc_launch_status(int status);

/**
 * Run l's program to its end: vfbc_launch_spawn(), then
 * vfbc_launch_wait_kill() (SIGKILL at the deadline).
 *
 * @param l
 *   What to run, and how.
 * @param timeout_ms
 *   How long it may run; VFBC_LAUNCH_FOREVER: no limit.
 * @return
 *   Its status as vfbc_launch_status() gives it, -ETIMEDOUT if it was
 *   killed at the deadline, or another negative errno (it did not start).
 */
int vfbc_launch_run(const struct vfbc_launch *l, int64_t timeout_ms);

#endif /* _VFBC_LAUNCH_H_ */
