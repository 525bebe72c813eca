/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Starting programs and waiting for them: see vfbc_launch.h. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vfbc_launch.h"

/* The longest nap of a polling wait. */
#define VFBC_LAUNCH_NAP_MAX_MS 10

static char vfbc_launch_self_path[PATH_MAX];

const char *
vfbc_launch_self(void)
{
	ssize_t n;

	if (vfbc_launch_self_path[0] != '\0')
		return vfbc_launch_self_path;
	n = readlink("/proc/self/exe", vfbc_launch_self_path, sizeof(vfbc_launch_self_path) - 1);
	if (n <= 0)
		return program_invocation_name;
	vfbc_launch_self_path[n] = '\0';
	return vfbc_launch_self_path;
}

/* 1 when the variable NAME[=value] s is the one env entry e names. */
static int
vfbc_launch_same_name(const char *s, const char *e)
{
	size_t len = strcspn(e, "=");

	return strncmp(s, e, len) == 0 && (s[len] == '=' || s[len] == '\0');
}

/*
 * environ without the variables env names, then env's assignments (the
 * strings are not copied); environ itself without env; NULL when out of
 * memory.
 */
static char **
vfbc_launch_envp(const char *const *env)
{
	unsigned int n, m, i, j, k = 0;
	char **envp;

	if (env == NULL)
		return environ;
	for (n = 0; environ[n] != NULL; n++)
		;
	for (m = 0; env[m] != NULL; m++)
		;
	envp = calloc(n + m + 1, sizeof(*envp));
	if (envp == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; j < m && !vfbc_launch_same_name(environ[i], env[j]); j++)
			;
		if (j == m)
			envp[k++] = environ[i];
	}
	for (j = 0; j < m; j++)
		if (strchr(env[j], '=') != NULL)
			envp[k++] = (char *)(uintptr_t)env[j];
	return envp;
}

/* In the child: fd (0 none, VFBC_LAUNCH_NULL /dev/null) becomes descriptor to. */
static void
vfbc_launch_redirect(int fd, int to)
{
	int null;

	if (fd == VFBC_LAUNCH_NULL) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0 && null != to) {
			dup2(null, to);
			close(null);
		}
	} else if (fd > 0 && fd != to) {
		dup2(fd, to);
	}
}

int
vfbc_launch_fork(const struct vfbc_launch *l, pid_t *pid)
{
	pid_t parent = getpid();

	fflush(NULL);
	*pid = fork();
	if (*pid < 0)
		return -errno;
	if (*pid > 0) {
		/* Both sides set the group: whichever runs first wins the race. */
		if (l->flags & VFBC_LAUNCH_F_GROUP)
			setpgid(*pid, *pid);
		return 0;
	}
	if (l->flags & VFBC_LAUNCH_F_GROUP)
		setpgid(0, 0);
	if (l->flags & VFBC_LAUNCH_F_PDEATHSIG) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
	}
	vfbc_launch_redirect(l->out_fd, STDOUT_FILENO);
	vfbc_launch_redirect(l->err_fd, STDERR_FILENO);
	return 0;
}

/* exec l's program with envp: returns -errno. */
static int
vfbc_launch_execve(const struct vfbc_launch *l, char **envp)
{
	if (l->flags & VFBC_LAUNCH_F_PATH)
		execvpe(l->argv[0], l->argv, envp);
	else
		execve(l->argv[0], l->argv, envp);
	return -errno;
}

int
vfbc_launch_exec(const struct vfbc_launch *l)
{
	char **envp = vfbc_launch_envp(l->env);
	int ret = -ENOMEM;

	fflush(NULL);
	if (envp != NULL)
		ret = vfbc_launch_execve(l, envp);
	if (envp != environ)
		free(envp);
	return ret;
}

int
vfbc_launch_spawn(const struct vfbc_launch *l, pid_t *pid)
{
	char **envp = vfbc_launch_envp(l->env);
	int ret = -ENOMEM;

	if (envp != NULL)
		ret = vfbc_launch_fork(l, pid);
	if (ret == 0 && *pid == 0) {
		ret = vfbc_launch_execve(l, envp);
		dprintf(STDERR_FILENO, "%s: cannot run %s: %s\n", program_invocation_short_name,
				l->argv[0], strerror(-ret));
		_exit(127);
	}
	if (envp != environ)
		free(envp);
	return ret;
}

static int64_t
vfbc_launch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
vfbc_launch_wait(pid_t pid, int64_t timeout_ms, int *status)
{
	int options = timeout_ms == VFBC_LAUNCH_FOREVER ? 0 : WNOHANG;
	int64_t deadline = vfbc_launch_now_ms() + timeout_ms;
	int64_t nap = 1, left;
	struct timespec ts;
	pid_t r;

	/* waitpid() would take 0 or less for a group of children. */
	if (pid <= 0)
		return -ECHILD;
	for (;;) {
		r = waitpid(pid, status, options);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r < 0)
			continue;
		left = deadline - vfbc_launch_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		nap = nap < left ? nap : left;
		ts.tv_sec = 0;
		ts.tv_nsec = nap * 1000000;
		nanosleep(&ts, NULL);
		nap = nap * 2 < VFBC_LAUNCH_NAP_MAX_MS ? nap * 2 : VFBC_LAUNCH_NAP_MAX_MS;
	}
}

static void
vfbc_launch_signal(pid_t pid, int sig, unsigned int flags)
{
	if (flags & VFBC_LAUNCH_F_GROUP)
		killpg(pid, sig);
	else
		kill(pid, sig);
}

int
vfbc_launch_wait_kill(pid_t pid, int64_t timeout_ms, unsigned int grace_ms,
		unsigned int flags, int *status)
{
	int ret;

	ret = vfbc_launch_wait(pid, timeout_ms, status);
	if (ret != -ETIMEDOUT)
		return ret;
	if (grace_ms > 0) {
		vfbc_launch_signal(pid, SIGTERM, flags);
		ret = vfbc_launch_wait(pid, grace_ms, status);
		if (ret != -ETIMEDOUT)
			return ret == 0 ? 1 : ret;
	}
	vfbc_launch_signal(pid, SIGKILL, flags);
	ret = vfbc_launch_wait(pid, VFBC_LAUNCH_FOREVER, status);
	return ret == 0 ? 1 : ret;
}

int
vfbc_launch_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int
vfbc_launch_run(const struct vfbc_launch *l, int64_t timeout_ms)
{
	int status;
	pid_t pid;
	int ret;

	ret = vfbc_launch_spawn(l, &pid);
	if (ret == 0)
		ret = vfbc_launch_wait_kill(pid, timeout_ms, 0, l->flags, &status);
	if (ret < 0)
		return ret;
	return ret == 1 ? -ETIMEDOUT : vfbc_launch_status(status);
}
