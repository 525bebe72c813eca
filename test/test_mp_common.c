/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Spawning secondaries and talking to them: see test_mp_common.h. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include <vfbc_launch.h>

#include "test.h"
#include "runner.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

uint64_t
mp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static uint64_t
mp_now_ms(void)
{
	return mp_now_ns() / 1000000;
}

/* One buffered line reader over a pipe. */
struct mp_reader {
	int fd;
	char *buf;
	size_t size;
	size_t *len;
};

static int
mp_read_line(struct mp_reader *r, char *line, size_t size, unsigned int timeout_ms)
{
	uint64_t deadline = mp_now_ms() + timeout_ms;
	struct pollfd pfd;
	char *nl;
	size_t n;
	ssize_t got;
	uint64_t now;
	int ret;

	for (;;) {
		nl = memchr(r->buf, '\n', *r->len);
		if (nl != NULL) {
			n = (size_t)(nl - r->buf);
			if (size > 0) {
				memcpy(line, r->buf, RTE_MIN(n, size - 1));
				line[RTE_MIN(n, size - 1)] = '\0';
			}
			memmove(r->buf, nl + 1, *r->len - n - 1);
			*r->len -= n + 1;
			return (int)n;
		}
		if (*r->len == r->size) /* a line longer than the buffer: drop it */
			*r->len = 0;
		if (r->fd < 0)
			return -EPIPE;
		now = mp_now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		pfd.fd = r->fd;
		pfd.events = POLLIN;
		ret = poll(&pfd, 1, (int)(deadline - now));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		if (ret == 0)
			return -ETIMEDOUT;
		got = read(r->fd, r->buf + *r->len, r->size - *r->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -EPIPE;
		*r->len += (size_t)got;
	}
}

static int
mp_write_line(int fd, const char *fmt, va_list ap)
{
	char line[MP_LINE_MAX + 1];
	size_t off;
	ssize_t n;
	int len;

	if (fd < 0)
		return -EPIPE;
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	if (len < 0 || len >= (int)sizeof(line) - 1)
		return -EMSGSIZE;
	line[len++] = '\n';
	for (off = 0; off < (size_t)len; off += (size_t)n) {
		n = write(fd, line + off, (size_t)len - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0)
			return errno == EPIPE ? -EPIPE : -errno;
	}
	return 0;
}

/* ---- primary side ---- */

const char *
mp_file_prefix(void)
{
	const char *dir = rte_eal_get_runtime_dir();
	const char *base = strrchr(dir, '/');

	return base != NULL ? base + 1 : dir;
}

#define MP_SPAWN_VARS 5

int
mp_child_spawn(struct mp_child *c, const char *command, const char *eal_args,
	       const char * const *env)
{
	return mp_child_spawn_prefix(c, command, eal_args, mp_file_prefix(), env);
}

int
mp_child_spawn_primary(struct mp_child *c, const char *command, const char * const *env)
{
	return mp_child_spawn_prefix(c, command, "", "", env);
}

int
mp_child_spawn_prefix(struct mp_child *c, const char *command, const char *eal_args,
		      const char *prefix, const char * const *env)
{
	static char vars[MP_SPAWN_VARS][PATH_MAX];
	char *argv[] = {
		(char *)(uintptr_t)vfbc_test_self_path(), (char *)(uintptr_t)"--run-one",
		(char *)(uintptr_t)command, NULL,
	};
	struct vfbc_launch l = { .argv = argv };
	const char **envl;
	int to[2], from[2];
	unsigned int i, n;
	int devnull;
	pid_t pid;
	int ret;

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->to_fd = c->from_fd = -1;
	strlcpy(c->name, command, sizeof(c->name));
	if (pipe(to) < 0)
		return -errno;
	if (pipe(from) < 0) {
		ret = -errno;
		goto close_to;
	}
	/* Its counts go nowhere: the exit status is what the primary reads. */
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0) {
		ret = -errno;
		goto close_from;
	}
	snprintf(vars[0], PATH_MAX, "%s=%d", MP_ENV_IN_FD, to[0]);
	snprintf(vars[1], PATH_MAX, "%s=%d", MP_ENV_OUT_FD, from[1]);
	snprintf(vars[2], PATH_MAX, "%s=%s", MP_ENV_EAL_ARGS, eal_args != NULL ? eal_args : "");
	snprintf(vars[3], PATH_MAX, "%s=%s", MP_ENV_PREFIX, prefix);
	snprintf(vars[4], PATH_MAX, "%s=%d", VFBC_TEST_REPORT_ENV, devnull);
	for (n = 0; env != NULL && env[n] != NULL; n++)
		;
	envl = calloc(MP_SPAWN_VARS + n + 1, sizeof(*envl));
	if (envl == NULL) {
		ret = -ENOMEM;
		goto close_null;
	}
	for (i = 0; i < MP_SPAWN_VARS + n; i++)
		envl[i] = i < MP_SPAWN_VARS ? vars[i] : env[i - MP_SPAWN_VARS];
	l.env = envl;
	/* A child that dies must give -EPIPE on write, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	/* Our ends stay here; EAL threads run here: the child only execs. */
	fcntl(to[1], F_SETFD, FD_CLOEXEC);
	fcntl(from[0], F_SETFD, FD_CLOEXEC);
	ret = vfbc_launch_spawn(&l, &pid);
	free(envl);
	if (ret == 0) {
		close(to[0]);
		close(from[1]);
		close(devnull);
		c->pid = pid;
		c->to_fd = to[1];
		c->from_fd = from[0];
		c->said_bye = 0;
		return 0;
	}
close_null:
	close(devnull);
close_from:
	close(from[0]);
	close(from[1]);
close_to:
	close(to[0]);
	close(to[1]);
	return ret;
}

int
mp_child_send(struct mp_child *c, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mp_write_line(c->to_fd, fmt, ap);
	va_end(ap);
	return ret;
}

int
mp_child_recv(struct mp_child *c, char *line, size_t size, unsigned int timeout_ms)
{
	struct mp_reader r = {
		.fd = c->from_fd, .buf = c->buf, .size = sizeof(c->buf), .len = &c->len,
	};

	return mp_read_line(&r, line, size, timeout_ms);
}

int
mp_child_expect(struct mp_child *c, const char *word, char *rest, size_t size,
		unsigned int timeout_ms)
{
	uint64_t deadline = mp_now_ms() + timeout_ms;
	char line[MP_LINE_MAX];
	size_t wl = strlen(word);
	uint64_t now;
	int ret;

	for (;;) {
		now = mp_now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		ret = mp_child_recv(c, line, sizeof(line), (unsigned int)(deadline - now));
		if (ret < 0) {
			if (ret == -EPIPE)
				printf("%s (pid %d): closed its pipe while we waited for \"%s\"\n",
				       c->name, (int)c->pid, word);
			return ret;
		}
		if (strncmp(line, word, wl) == 0 && (line[wl] == '\0' || line[wl] == ' ')) {
			if (rest != NULL && size > 0)
				strlcpy(rest, line[wl] == ' ' ? line + wl + 1 : "", size);
			if (strcmp(word, "bye") == 0)
				c->said_bye = 1;
			return 0;
		}
		printf("%s (pid %d): %s\n", c->name, (int)c->pid, line);
		if (strncmp(line, "error", 5) == 0)
			return -EPROTO;
	}
}

int
mp_child_cmd(struct mp_child *c, const char *word, char *rest, size_t size,
	     unsigned int timeout_ms, const char *fmt, ...)
{
	char line[MP_LINE_MAX];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ret = mp_child_send(c, "%s", line);
	if (ret < 0)
		return ret;
	return mp_child_expect(c, word, rest, size, timeout_ms);
}

int
mp_child_ret(struct mp_child *c, char *tail, size_t size, unsigned int timeout_ms,
	     const char *fmt, ...)
{
	char line[MP_LINE_MAX], rest[MP_LINE_MAX];
	va_list ap;
	int v, off;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (mp_child_cmd(c, "ret", rest, sizeof(rest), timeout_ms, "%s", line) < 0 ||
			sscanf(rest, "%d%n", &v, &off) != 1)
		return INT32_MIN;
	if (tail != NULL)
		snprintf(tail, size, "%s", rest[off] == ' ' ? rest + off + 1 : "");
	return v;
}

int
mp_child_wait(struct mp_child *c, unsigned int timeout_ms)
{
	int status;
	int ret;

	if (c->pid < 0)
		return c->status;
	ret = vfbc_launch_wait(c->pid, timeout_ms, &status);
	if (ret < 0)
		return ret;
	c->pid = -1;
	c->status = vfbc_launch_status(status);
	return c->status;
}

int
mp_child_kill(struct mp_child *c, int sig)
{
	if (c->pid < 0)
		return -ESRCH;
	return kill(c->pid, sig) < 0 ? -errno : 0;
}

int
mp_child_wait_exit(struct mp_child *c, unsigned int timeout_ms)
{
	struct pollfd pfd;
	siginfo_t info;
	int ret;

	if (c->pid < 0)
		return -ESRCH;
	/* Readable once the process has exited: a zombie, not yet reaped. */
	pfd.fd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	pfd.events = POLLIN;
	if (pfd.fd < 0)
		return -errno;
	do {
		ret = poll(&pfd, 1, (int)timeout_ms);
	} while (ret < 0 && errno == EINTR);
	ret = ret < 0 ? -errno : ret == 0 ? -ETIMEDOUT : 0;
	close(pfd.fd);
	if (ret < 0)
		return ret;
	/* WNOWAIT: the status, the child left to be reaped. */
	memset(&info, 0, sizeof(info));
	if (waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOWAIT) < 0)
		return -errno;
	return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

void
mp_child_close(struct mp_child *c)
{
	/*
	 * A child that said "bye" is in rte_eal_cleanup(), maybe holding a
	 * lock of the shared heap: killed there, it would leave the lock held
	 * and hang the primary. Let it finish first.
	 */
	if (c->pid > 0 && c->said_bye)
		mp_child_wait_exit(c, MP_BYE_EXIT_MS);
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		mp_child_wait(c, 10000);
	}
	if (c->to_fd >= 0)
		close(c->to_fd);
	if (c->from_fd >= 0)
		close(c->from_fd);
	c->to_fd = c->from_fd = -1;
}

/* ---- secondary side ---- */

static char mp_agent_buf[4096];
static size_t mp_agent_len;

static int
mp_agent_fd(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long fd;

	if (v == NULL)
		return -1;
	fd = strtol(v, &end, 10);
	if (*end != '\0' || fd < 0 || fd > 65535)
		return -1;
	return (int)fd;
}

int
mp_agent_eal_init(void)
{
	const char *args = getenv(MP_ENV_EAL_ARGS);
	const char *prefix = getenv(MP_ENV_PREFIX);

	if (prefix == NULL || prefix[0] == '\0' || mp_agent_fd(MP_ENV_OUT_FD) < 0) {
		printf("%s: not started by mp_child_spawn()\n", vfbc_test_command_name());
		return TEST_FAILED;
	}
	/* The later --file-prefix wins over the runner's own. */
	return vfbc_test_eal_init("--proc-type=secondary %s --file-prefix=%s",
				  args != NULL ? args : "", prefix);
}

int
mp_agent_send(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = mp_write_line(mp_agent_fd(MP_ENV_OUT_FD), fmt, ap);
	va_end(ap);
	return ret;
}

int
mp_agent_recv(char *line, size_t size, unsigned int timeout_ms)
{
	struct mp_reader r = {
		.fd = mp_agent_fd(MP_ENV_IN_FD), .buf = mp_agent_buf,
		.size = sizeof(mp_agent_buf), .len = &mp_agent_len,
	};

	return mp_read_line(&r, line, size, timeout_ms);
}

const char *
mp_agent_env(const char *name)
{
	return getenv(name);
}

/* ---- the PF side of VF tests ---- */

void
mp_world_close_vfs(struct mp_world *w)
{
	unsigned int i;

	for (i = 0; i < w->nb_vfs; i++)
		if (rte_eth_dev_is_valid_port(w->vf_port[i]))
			rte_eth_dev_close(w->vf_port[i]);
}

int
mp_world_start(struct mp_world *w, const char *extra_eal)
{
	struct rte_pci_addr addr;
	int n, i, ret;

	memset(w, 0, sizeof(*w));
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	ret = vfbc_test_eal_init("-m 64 %s", extra_eal != NULL ? extra_eal : "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &w->pf_port),
			    "PF %s has no port", MP_PF_NAME);
	n = vfbc_pf_vf_count(w->pf_port);
	TEST_ASSERT(n > 0 && n <= MP_MAX_VFS, "PF has %d VFs (want 1..%d)", n, MP_MAX_VFS);
	w->nb_vfs = (uint16_t)n;
	for (i = 0; i < n; i++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(w->pf_port, i, &addr),
				    "no location for VF %d", i);
		rte_pci_device_name(&addr, w->vf_name[i], sizeof(w->vf_name[i]));
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(w->vf_name[i], &w->vf_port[i]),
				    "VF %d (%s) has no port in the primary", i, w->vf_name[i]);
	}
	return TEST_SUCCESS;
}

int
mp_world_start_served(struct mp_world *w, uint16_t want_vfs)
{
	int ret;

	ret = mp_world_start(w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w->nb_vfs >= want_vfs, "the world has %u VFs, want %u", w->nb_vfs,
		    want_vfs);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w->pf_port), "the PF's request server");
	return TEST_SUCCESS;
}

int
mp_world_start_isolated(struct mp_world *w, const char *sock_path)
{
	struct rte_eth_dev_info info;
	char devstr[256];
	int ret;

	ret = mp_world_start(w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	/* The PF again, serving its VFs through a socket. */
	unlink(sock_path);
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(w->pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	snprintf(devstr, sizeof(devstr), "%s,socket=%s", MP_PF_NAME, sock_path);
	TEST_ASSERT_SUCCESS(rte_dev_probe(devstr), "PF probe with socket=%s", sock_path);
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &w->pf_port), "PF port");
	return TEST_SUCCESS;
}

static pthread_t mp_server_thread;
static volatile int mp_server_run;
static uint16_t mp_server_port;

static void *
mp_server_main(void *arg __rte_unused)
{
	int ret;

	/*
	 * The sleeping service: every multi-process test's requests wake it
	 * (EAL's multi-process message from a secondary, the wake socket from
	 * an isolated consumer). The timeout lets it see the stop.
	 */
	while (__atomic_load_n(&mp_server_run, __ATOMIC_ACQUIRE)) {
		ret = vfbc_pf_mbox_poll_wait(mp_server_port, 32, 0, 50);
		if (ret < 0)
			usleep(1000);
	}
	return NULL;
}

int
mp_pf_server_start(uint16_t pf_port)
{
	if (__atomic_load_n(&mp_server_run, __ATOMIC_ACQUIRE))
		return 0;
	mp_server_port = pf_port;
	__atomic_store_n(&mp_server_run, 1, __ATOMIC_RELEASE);
	if (pthread_create(&mp_server_thread, NULL, mp_server_main, NULL) != 0) {
		__atomic_store_n(&mp_server_run, 0, __ATOMIC_RELEASE);
		return -EAGAIN;
	}
	return 0;
}

void
mp_pf_server_stop(void)
{
	if (!__atomic_load_n(&mp_server_run, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&mp_server_run, 0, __ATOMIC_RELEASE);
	pthread_join(mp_server_thread, NULL);
}
