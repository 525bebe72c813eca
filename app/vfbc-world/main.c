/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-world: build an emulated SR-IOV world, run a command in it, emulate
 * the devices while it runs, and take the world down when it ends.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>

#include "world.h"

/* Signals forwarded to the command; SIGCHLD tells that it ended. */
static const int vfbc_world_signals[] = {
	SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

static int
vfbc_world_set_env(void)
{
	if (setenv("VFBC_WORLD", VFBC_WORLD_ROOT, 1) < 0 ||
			setenv("SYSFS_PCI_DEVICES", VFBC_WORLD_DEVICES, 1) < 0) {
		vfbc_world_log("cannot set the environment: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* Only returns on failure, with the status a shell would give. */
static int
vfbc_world_exec(char **cmd)
{
	int err;

	execvp(cmd[0], cmd);
	err = errno;
	vfbc_world_log("cannot run %s: %s", cmd[0], strerror(err));
	return err == ENOENT ? 127 : 126;
}

/* The topology in spec-file syntax: `--spec $VFBC_WORLD/spec` rebuilds it. */
static int
vfbc_world_write_spec(const struct vfbc_world_topo *topo)
{
	char buf[1024];
	int len;

	len = vfbc_world_spec_format(topo, buf, sizeof(buf));
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EINVAL;
	return vfbc_world_write_file(VFBC_WORLD_ROOT "/spec", buf, len, 0444);
}

/* Serve the devices until the command ends; its wait status. */
static int
vfbc_world_serve(pid_t child, int sigfd)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	int status;
	pid_t pid;

	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = vfbc_world_emulate_fd();
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, RTE_DIM(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			vfbc_world_log("poll: %s", strerror(errno));
			kill(child, SIGTERM);
			while (waitpid(child, &status, 0) < 0 && errno == EINTR)
				;
			return status;
		}
		if (pfd[1].revents & POLLIN)
			vfbc_world_emulate_events();
		if ((pfd[0].revents & POLLIN) == 0 ||
				read(sigfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			/* A terminal's signal already reached the command's group. */
			if (si.ssi_code != SI_KERNEL)
				kill(child, si.ssi_signo);
			continue;
		}
		pid = waitpid(child, &status, WNOHANG);
		if (pid == child)
			return status;
	}
}

static int
vfbc_world_run(const struct vfbc_world_topo *topo, char **cmd)
{
	sigset_t mask;
	sigset_t old;
	unsigned int i;
	pid_t world;
	pid_t child;
	int status;
	int sigfd;
	int ret;

	if (geteuid() != 0) {
		vfbc_world_log("needs root to build a world (mounts in a private mount "
			"namespace)");
		return VFBC_WORLD_EXIT_ENV;
	}
	sigemptyset(&mask);
	for (i = 0; i < RTE_DIM(vfbc_world_signals); i++)
		sigaddset(&mask, vfbc_world_signals[i]);
	/* Blocked before fork: no signal for the command is lost meanwhile. */
	if (sigprocmask(SIG_BLOCK, &mask, &old) < 0)
		return VFBC_WORLD_EXIT_FAILURE;
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sigfd < 0) {
		vfbc_world_log("signalfd: %s", strerror(errno));
		return VFBC_WORLD_EXIT_FAILURE;
	}

	ret = vfbc_world_enter();
	if (ret < 0) {
		vfbc_world_leave();
		return ret == -EOPNOTSUPP ? VFBC_WORLD_EXIT_ENV : VFBC_WORLD_EXIT_FAILURE;
	}
	ret = vfbc_world_tree_create(topo);
	ret = ret < 0 ? ret : vfbc_world_write_spec(topo);
	ret = ret < 0 ? ret : vfbc_world_emulate_init(topo);
	if (ret < 0) {
		vfbc_world_emulate_fini();
		vfbc_world_tree_remove();
		vfbc_world_leave();
		return VFBC_WORLD_EXIT_FAILURE;
	}

	fflush(NULL);
	world = getpid();
	child = fork();
	if (child < 0) {
		vfbc_world_log("fork: %s", strerror(errno));
		status = VFBC_WORLD_EXIT_FAILURE << 8;
	} else if (child == 0) {
		close(sigfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* Without the world process, nothing emulates the devices. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != world)
			_exit(VFBC_WORLD_EXIT_FAILURE);
		if (vfbc_world_set_env() < 0)
			_exit(VFBC_WORLD_EXIT_FAILURE);
		_exit(vfbc_world_exec(cmd));
	} else {
		status = vfbc_world_serve(child, sigfd);
	}

	vfbc_world_emulate_fini();
	vfbc_world_tree_remove();
	vfbc_world_leave();
	close(sigfd);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int
vfbc_world_join_run(int pid, char **cmd)
{
	int ret;

	if (geteuid() != 0) {
		vfbc_world_log("needs root to join a world (setns)");
		return VFBC_WORLD_EXIT_ENV;
	}
	ret = vfbc_world_join(pid);
	if (ret == -EPERM)
		return VFBC_WORLD_EXIT_ENV;
	if (ret < 0)
		return VFBC_WORLD_EXIT_FAILURE;
	if (vfbc_world_set_env() < 0)
		return VFBC_WORLD_EXIT_FAILURE;
	return vfbc_world_exec(cmd);
}

int
main(int argc, char **argv)
{
	struct vfbc_world_args args;
	const char *why;
	int ret;

	ret = vfbc_world_parse_args(argc, argv, &args, stderr);
	if (ret != 0)
		return ret;
	switch (args.mode) {
	case VFBC_WORLD_MODE_HELP:
		vfbc_world_usage(stdout);
		return 0;
	case VFBC_WORLD_MODE_CHECK:
		if (vfbc_world_check(&why) == 0)
			return 0;
		fprintf(stderr, "vfbc-world: cannot build worlds here: %s\n", why);
		return VFBC_WORLD_EXIT_SKIP;
	case VFBC_WORLD_MODE_JOIN:
		return vfbc_world_join_run(args.join_pid, argv + args.cmd_index);
	case VFBC_WORLD_MODE_RUN:
	default:
		return vfbc_world_run(&args.topo, argv + args.cmd_index);
	}
}
