/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-world from the outside: bad options are refused with status 2 and a
 * message naming the problem; a world passes on its command's status; other
 * processes join a running world; a finished world leaves nothing behind.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

#define WORLD_CLI_MAX_ARGS	32
#define WORLD_CLI_OUT_SIZE	8192

static char world_cli_out[WORLD_CLI_OUT_SIZE];

/*
 * Run vfbc-world with the space-separated `args`, stdout and stderr into
 * world_cli_out; the exit status (128 + signal when killed), or -1.
 */
static int
world_cli_run(const char *args)
{
	char *argv[WORLD_CLI_MAX_ARGS + 2];
	char buf[1024];
	char *save;
	size_t used;
	ssize_t n;
	int status;
	int fds[2];
	int argc;
	pid_t pid;

	snprintf(buf, sizeof(buf), "%s", args);
	argc = 0;
	argv[argc++] = (char *)(uintptr_t)vfbc_test_world_bin();
	for (argv[argc] = strtok_r(buf, " ", &save); argv[argc] != NULL &&
			argc < WORLD_CLI_MAX_ARGS; argv[argc] = strtok_r(NULL, " ", &save))
		argc++;
	argv[argc] = NULL;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	used = 0;
	while ((n = read(fds[0], world_cli_out + used, sizeof(world_cli_out) - 1 - used)) > 0)
		used += n;
	world_cli_out[used] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
world_cli_setup(void)
{
	if (access(vfbc_test_world_bin(), X_OK) != 0)
		TEST_SKIP("vfbc-world not built (%s)", vfbc_test_world_bin());
	return TEST_SUCCESS;
}

/* Cases that build worlds need a machine that can. */
static int
world_cli_need_worlds(void)
{
	if (world_cli_run("--check") != 0)
		TEST_SKIP("%s", world_cli_out);
	return TEST_SUCCESS;
}

static const struct {
	const char *args;
	const char *problem;
} world_cli_bad[] = {
	{ "--pf 0000:ff:00.0 --vf-offset 0x80 --vf-stride 2 --total-vfs 100 -- true",
		"beyond bus 255" },
	{ "--total-vfs 2 --vf-stride 0 -- true", "VF Stride 0" },
	{ "--vf-offset 0 -- true", "First VF Offset 0" },
	{ "--total-vfs 4 --num-vfs 5 -- true", "NumVFs 5 exceeds TotalVFs 4" },
	{ "--total-vfs 0 -- true", "TotalVFs 0 out of range" },
	{ "--total-vfs 257 -- true", "TotalVFs 257 out of range" },
	{ "--pf 0000:01:20.0 -- true", "bad PCI address" },
	{ "--pf 01:00.0 -- true", "bad PCI address" },
	{ "--bar0-size 12288 -- true", "not a power of two" },
	{ "--vf-bar0-size 0x800 -- true", "not a power of two" },
	{ "--vf-cfg-size 512 -- true", "must be 256 or 4096" },
	{ "--vendor 0xffff -- true", "not a valid vendor" },
	{ "--total-vfs twelve -- true", "'twelve' is not a number" },
	{ "--vf-device 0x10000 -- true", "--vf-device: '0x10000' is out of range 0..0xffff" },
	{ "--bogus -- true", "unknown option '--bogus'" },
	{ "--total-vfs", "needs a value" },
	{ "true", "missing '--'" },
	{ "--total-vfs 2 --", "missing the command" },
	{ "--spec /nonexistent/vfbc.spec -- true", "cannot open spec file" },
	{ "--join 1 --total-vfs 2 -- true", "no topology option" },
	{ "--join zero -- true", "not a process ID" },
	{ "--check --total-vfs 2", "--check takes no other option" },
	/*
	 * Lenient parsing that used to pass: a sign or blank taken for a PCI
	 * address digit (bus ff, 01, device 0), a directory read as an empty
	 * spec, a leading zero, an abbreviated option, a repeated option, a
	 * mode cancelled by another.
	 */
	{ "--pf 0000:-1:00.0 -- true", "--pf: bad PCI address '0000:-1:00.0'" },
	{ "--pf 0000:+1:00.0 -- true", "--pf: bad PCI address '0000:+1:00.0'" },
	{ "--pf 0000:01:-0.0 -- true", "--pf: bad PCI address" },
	{ "--pf=0000:\t1:00.0 -- true", "--pf: bad PCI address" },
	{ "--pf 0000:01:00.0x -- true", "--pf: bad PCI address" },
	{ "--spec / -- true", "--spec: / is a directory" },
	{ "--total-vfs 010 -- true", "--total-vfs: '010' has a leading zero" },
	{ "--vf-offset 0x -- true", "--vf-offset: '0x' is not a number" },
	{ "--bar0-size 0x100000000000000000 -- true", "--bar0-size: '0x100000000000000000' is "
		"out of range" },
	{ "--total 4 -- true", "unknown option '--total'" },
	{ "--total-vfs 4 --total-vfs 8 -- true", "--total-vfs given twice" },
	{ "--spec / --spec /nonexistent -- true", "--spec given twice" },
	{ "--join 1 --check", "--check takes no other option" },
	{ "--check=yes", "--check takes no value" },
	/* Several PFs: the list, --pfs, and what the functions of all PFs share. */
	{ "--pf 0000:01:00.0 --pf 0000:01:00.0 -- true",
		"--pf: PF 0000:01:00.0 given twice (PFs 0 and 1 of the list)" },
	{ "--pf 0000:0A:00.0 --pf 0000:03:00.0 --pf 0000:0a:00.0 -- true",
		"--pf: PF 0000:0a:00.0 given twice (PFs 0 and 2 of the list)" },
	{ "--pf 0000:01:00.0 --pf 0001:03:00.0 -- true", "--pf: PF 0001:03:00.0 is in domain "
		"0001, PF 0000:01:00.0 in domain 0000: all PFs of a world share one domain" },
	{ "--pf 0000:01:00.0 --pf 0000:02:00.0 --pf 0000:03:00.0 --pf 0000:04:00.0 "
		"--pf 0000:05:00.0 -- true", "--pf given more than 4 times" },
	{ "--pf 0000:01:00.0 --pf 0000:01:00.4 -- true", "routing ID collision: PF "
		"0000:01:00.4 and VF 3 of PF 0000:01:00.0 are both at 0000:01:00.4" },
	{ "--pf 0000:01:00.0 --pf 0000:01:00.1 --vf-offset 8 --total-vfs 4 -- true",
		"routing ID collision: VF 1 of PF 0000:01:00.0 and VF 0 of PF 0000:01:00.1 "
		"are both at 0000:01:01.1" },
	{ "--pf 0000:01:00.0 --pf 0000:ff:00.0 --total-vfs 256 -- true", "VF 255 would be "
		"at bus 0x100, beyond bus 255 (PF 0000:ff:00.0" },
	{ "--pfs 2 --pf 0000:01:00.0 --pf 0000:05:00.0 -- true",
		"--pfs places PFs after one first PF, but 2 are given" },
	{ "--pfs 5 -- true", "--pfs: 5 PFs out of range: 1..4" },
	{ "--pfs 0 -- true", "--pfs: 0 PFs out of range: 1..4" },
	{ "--pfs 2 --pfs 2 -- true", "--pfs given twice" },
	{ "--pfs 4 --pf 0000:fd:00.0 -- true", "--pfs 4: PF 3 would be at bus 0x100, beyond "
		"bus 255 (after the last VF of PF 0000:ff:00.0)" },
	{ "--join 1 --pfs 2 -- true", "no topology option" },
};

/* Things a world must not leave on the host. */
static int world_cli_host_state(char *buf, size_t len);

static int
test_cli_bad_options_exit_2_naming_the_problem(void)
{
	static char before[16384];
	static char after[16384];
	unsigned int failed;
	unsigned int i;
	int ret;

	TEST_ASSERT_SUCCESS(world_cli_host_state(before, sizeof(before)), "host state");
	/* Every case is tried: the output lists all that fail, not the first. */
	failed = 0;
	for (i = 0; i < RTE_DIM(world_cli_bad); i++) {
		ret = world_cli_run(world_cli_bad[i].args);
		if (ret == 2 && strstr(world_cli_out, world_cli_bad[i].problem) != NULL)
			continue;
		printf("'%s' exited %d without saying '%s': %s\n", world_cli_bad[i].args, ret,
			world_cli_bad[i].problem, world_cli_out);
		failed++;
	}
	TEST_ASSERT_EQUAL(failed, 0, "%u of %u bad command lines not refused as they should be",
		failed, (unsigned int)RTE_DIM(world_cli_bad));
	TEST_ASSERT_SUCCESS(world_cli_host_state(after, sizeof(after)), "host state");
	TEST_ASSERT(strcmp(before, after) == 0, "refused options left traces:\n%s", after);
	return TEST_SUCCESS;
}

/* Write `len` bytes of text (all of it when 0) as the spec file at path. */
static int
world_cli_spec_len(const char *path, const char *text, size_t len)
{
	FILE *f;
	int ret;

	f = fopen(path, "w");
	if (f == NULL)
		return -errno;
	ret = fwrite(text, 1, len, f) == len ? 0 : -EIO;
	return fclose(f) == 0 ? ret : -EIO;
}

static int
world_cli_spec(const char *path, const char *text)
{
	return world_cli_spec_len(path, text, strlen(text));
}

/* A fresh spec file path, and the arguments of a world that reads it. */
static int
world_cli_spec_args(char *path, char *args, size_t len)
{
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	close(fd);
	snprintf(args, len, "--spec %s -- true", path);
	return 0;
}

static int
test_cli_bad_spec_file_names_file_and_line(void)
{
	char path[] = "/tmp/vfbc-world-spec-XXXXXX";
	char args[128];
	int ret;

	TEST_ASSERT_SUCCESS(world_cli_spec_args(path, args, sizeof(args)), "mkstemp: %s",
		strerror(errno));
	TEST_ASSERT_SUCCESS(world_cli_spec(path, "# topology\ntotal-vfs = 4\ncolour = blue\n"),
		"cannot write %s", path);
	ret = world_cli_run(args);
	TEST_ASSERT_EQUAL(ret, 2, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT_NOT_NULL(strstr(world_cli_out, ":3: unknown key 'colour'"),
		"no file:line for the unknown key: %s", world_cli_out);
	TEST_ASSERT_SUCCESS(world_cli_spec(path, "total-vfs 4\n"), "cannot write %s", path);
	ret = world_cli_run(args);
	unlink(path);
	TEST_ASSERT_EQUAL(ret, 2, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT_NOT_NULL(strstr(world_cli_out, ":1: expected 'key = value'"),
		"no message for a line without '=': %s", world_cli_out);
	return TEST_SUCCESS;
}

/* Spec file contents that used to pass, each with what the refusal says. */
static const struct {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *problem;	/* after "<path>:" */
} world_cli_bad_spec[] = {
	{ "pf = 0000:-1:00.0\n", 0, "1: pf: bad PCI address '0000:-1:00.0'" },
	{ "# sign\npf = 0000:+1:00.0\n", 0, "2: pf: bad PCI address" },
	{ "total-vfs = 010\n", 0, "1: total-vfs: '010' has a leading zero" },
	{ "total-vfs = 4\nnum-vfs = 2\ntotal-vfs = 8\n", 0,
		"3: total-vfs given twice (first on line 1)" },
	{ "num-vfs =\n", 0, "1: num-vfs: empty value" },
	{ "vf-stride = 1 1\n", 0, "1: vf-stride: '1 1' is not a number" },
	{ "total-vfs = 4\0\nnum-vfs = 9\n", 26, "1: NUL byte" },
	{ "pf = 0000:01:00.0, 0000:01:00.0\n", 0, "1: pf: PF 0000:01:00.0 given twice" },
	{ "pf = 0000:01:00.0,\n", 0, "1: pf: bad PCI address ''" },
	{ "# five\npf = 0000:01:00.0, 0000:02:00.0, 0000:03:00.0, 0000:04:00.0, 0000:05:00.0\n",
		0, "2: pf: 5 PFs: a world has at most 4" },
	{ "pf = 0000:01:00.0, 0001:02:00.0\n", 0, "1: pf: PF 0001:02:00.0 is in domain 0001" },
	{ "pf = 0000:01:00.0 0000:02:00.0\n", 0, "1: pf: bad PCI address" },
};

static int
test_cli_bad_spec_values_exit_2_naming_key_and_line(void)
{
	char path[] = "/tmp/vfbc-world-spec-XXXXXX";
	unsigned int failed;
	char want[256];
	char args[128];
	unsigned int i;
	size_t len;
	int ret;

	TEST_ASSERT_SUCCESS(world_cli_spec_args(path, args, sizeof(args)), "mkstemp: %s",
		strerror(errno));
	failed = 0;
	for (i = 0; i < RTE_DIM(world_cli_bad_spec); i++) {
		len = world_cli_bad_spec[i].len;
		if (len == 0)
			len = strlen(world_cli_bad_spec[i].text);
		if (world_cli_spec_len(path, world_cli_bad_spec[i].text, len) < 0)
			break;
		ret = world_cli_run(args);
		snprintf(want, sizeof(want), "%s:%s", path, world_cli_bad_spec[i].problem);
		if (ret == 2 && strstr(world_cli_out, want) != NULL)
			continue;
		printf("spec #%u exited %d without saying '%s': %s\n", i, ret, want,
			world_cli_out);
		failed++;
	}
	unlink(path);
	TEST_ASSERT_EQUAL(i, RTE_DIM(world_cli_bad_spec), "cannot write %s", path);
	TEST_ASSERT_EQUAL(failed, 0, "%u of %u bad spec files not refused as they should be",
		failed, (unsigned int)RTE_DIM(world_cli_bad_spec));
	return TEST_SUCCESS;
}

static int
test_cli_options_override_the_spec_file(void)
{
	char path[] = "/tmp/vfbc-world-spec-XXXXXX";
	char args[256];
	int ret;
	int fd;

	fd = mkstemp(path);
	TEST_ASSERT(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	/* Invalid alone (NumVFs > TotalVFs): valid once --num-vfs overrides it. */
	TEST_ASSERT_SUCCESS(world_cli_spec(path, "total-vfs = 0x6  # hex\nnum-vfs = 9\n"
		"vf-device = 0x1234\n"), "cannot write %s", path);
	snprintf(args, sizeof(args), "--spec %s --num-vfs 2 -- cat "
		"/dev/vfbc-world/devices/0000:01:00.0/sriov_totalvfs "
		"/dev/vfbc-world/devices/0000:01:00.0/sriov_numvfs "
		"/dev/vfbc-world/devices/0000:01:00.0/sriov_vf_device", path);
	ret = world_cli_run(args);
	unlink(path);
	TEST_ASSERT_EQUAL(ret, 0, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT(strcmp(world_cli_out, "6\n2\n1234\n") == 0, "world says: %s", world_cli_out);
	return TEST_SUCCESS;
}

/* The spec file at path holds text; -1 if it cannot be written. */
static int
world_cli_run_spec(const char *path, const char *text, const char *fmt, const char *more)
{
	char args[512];

	if (world_cli_spec(path, text) < 0)
		return -1;
	snprintf(args, sizeof(args), fmt, path, more);
	return world_cli_run(args);
}

/*
 * Several PFs: --pf in order, --pfs after the previous PF's last VF, the
 * command line's list replacing the spec's, and $VFBC_WORLD/spec, read
 * back with --spec, building the same world again.
 */
static int
test_cli_several_pfs_and_the_spec_round_trip(void)
{
	static const char two_pfs[] = "pf = 0000:04:00.0, 0000:01:02.0\ntotal-vfs = 2\n";
	static char first[WORLD_CLI_OUT_SIZE];
	char path[] = "/tmp/vfbc-world-spec-XXXXXX";
	char args[128];
	int ret;

	TEST_ASSERT_SUCCESS(world_cli_spec_args(path, args, sizeof(args)), "mkstemp: %s",
		strerror(errno));

	ret = world_cli_run("--pf 0000:04:00.0 --pf=0000:01:02.0 --total-vfs 2 -- sh -c "
		"cat${IFS}$VFBC_WORLD/spec;ls${IFS}$SYSFS_PCI_DEVICES");
	TEST_ASSERT_EQUAL(ret, 0, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT(strncmp(world_cli_out, two_pfs, strlen(two_pfs)) == 0, "spec of two PFs: %s",
		world_cli_out);
	TEST_ASSERT_NOT_NULL(strstr(world_cli_out, "vf-cfg-size = 4096\n0000:01:02.0\n"
		"0000:01:02.1\n0000:01:02.2\n0000:04:00.0\n0000:04:00.1\n0000:04:00.2\n"),
		"not both PFs and their VFs: %s", world_cli_out);

	/* The world's spec builds the same world: same spec, same devices. */
	snprintf(first, sizeof(first), "%s", world_cli_out);
	*strstr(first, "vf-cfg-size = 4096\n") = '\0';
	ret = world_cli_run_spec(path, first, "--spec %s -- %s",
		"sh -c cat${IFS}$VFBC_WORLD/spec;ls${IFS}$SYSFS_PCI_DEVICES");
	TEST_ASSERT_EQUAL(ret, 0, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT(strncmp(world_cli_out, first, strlen(first)) == 0,
		"--spec of the world's spec:\n%s\nnot:\n%s", world_cli_out, first);
	TEST_ASSERT_NOT_NULL(strstr(world_cli_out, "vf-cfg-size = 4096\n0000:01:02.0\n"
		"0000:01:02.1\n0000:01:02.2\n0000:04:00.0\n0000:04:00.1\n0000:04:00.2\n"),
		"the spec did not rebuild both PFs: %s", world_cli_out);

	/* --pf replaces the spec's list as a whole. */
	ret = world_cli_run_spec(path, "pf = 0000:01:00.0 , 0000:03:00.0\ntotal-vfs = 1\n",
		"--spec %s --pf 0000:05:00.0 -- %s", "ls /dev/vfbc-world/devices");
	TEST_ASSERT_EQUAL(ret, 0, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT(strcmp(world_cli_out, "0000:05:00.0\n0000:05:00.1\n") == 0,
		"--pf over the spec's two PFs: %s", world_cli_out);

	/* --pfs from the spec's one PF: VFs 0x1008..0x100f end on bus 0x10. */
	ret = world_cli_run_spec(path, "pf = 0000:10:00.0\nvf-offset = 8\n",
		"--spec %s --pfs 3 -- %s", "head -1 /dev/vfbc-world/spec");
	TEST_ASSERT_EQUAL(ret, 0, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT(strcmp(world_cli_out, "pf = 0000:10:00.0, 0000:11:00.0, 0000:12:00.0\n")
		== 0, "--pfs 3 after offset 8: %s", world_cli_out);
	unlink(path);

	/* 256 VFs from 01:00.0 end at 02:00.0: the next PF is at 03:00.0. */
	ret = world_cli_run("--pfs 4 --total-vfs 256 --num-vfs 0 -- head -1 "
		"/dev/vfbc-world/spec");
	TEST_ASSERT_EQUAL(ret, 0, "exit %d: %s", ret, world_cli_out);
	TEST_ASSERT(strcmp(world_cli_out, "pf = 0000:01:00.0, 0000:03:00.0, 0000:05:00.0, "
		"0000:07:00.0\n") == 0, "--pfs 4 of 256 VFs: %s", world_cli_out);
	return TEST_SUCCESS;
}

static int
test_cli_exit_status_is_the_command_s(void)
{
	int ret;

	ret = world_cli_run("-- sh -c exit${IFS}5");
	TEST_ASSERT_EQUAL(ret, 5, "exit 5 in a world: %d (%s)", ret, world_cli_out);
	ret = world_cli_run("-- false");
	TEST_ASSERT_EQUAL(ret, 1, "false in a world: %d (%s)", ret, world_cli_out);
	ret = world_cli_run("--total-vfs 1 -- sh -c kill${IFS}-TERM${IFS}$$");
	TEST_ASSERT_EQUAL(ret, 128 + SIGTERM, "killed command: %d (%s)", ret, world_cli_out);
	ret = world_cli_run("-- /nonexistent/command");
	TEST_ASSERT_EQUAL(ret, 127, "missing command: %d (%s)", ret, world_cli_out);
	return TEST_SUCCESS;
}

/* Things a world must not leave on the host. */
static int
world_cli_host_state(char *buf, size_t len)
{
	char line[1024];
	size_t used;
	FILE *f;

	used = snprintf(buf, len, "class/uio:%d dev/uio0:%d dev/vfbc-world:%d run/dpdk:%d\n",
		access("/sys/class/uio", F_OK) == 0, access("/dev/uio0", F_OK) == 0,
		access("/dev/vfbc-world", F_OK) == 0, access("/var/run/dpdk", F_OK) == 0);
	f = fopen("/proc/self/mountinfo", "r");
	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL && used < len)
		used += snprintf(buf + used, len - used, "%s", line);
	fclose(f);
	return used < len ? 0 : -ENOSPC;
}

static int
test_cli_join_a_running_world_then_nothing_left(void)
{
	static char before[16384];
	static char during[16384];
	static char after[16384];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char args[256];
	char want[64];
	int hold[2];
	int status;
	int tries;
	pid_t world;
	int ret;

	TEST_ASSERT_SUCCESS(world_cli_host_state(before, sizeof(before)), "host state");
	/* A world whose command waits for us to close its stdin. */
	TEST_ASSERT_SUCCESS(pipe(hold), "pipe");
	fflush(NULL);
	world = fork();
	TEST_ASSERT(world >= 0, "fork");
	if (world == 0) {
		dup2(hold[0], STDIN_FILENO);
		close(hold[0]);
		close(hold[1]);
		execl(vfbc_test_world_bin(), "vfbc-world", "--total-vfs", "2", "--", "sh", "-c",
			"fallocate -l 2M /dev/hugepages/vfbc-probe; read x; exit 0", NULL);
		_exit(127);
	}
	close(hold[0]);

	/* Joining fails until the world process has built its world. */
	snprintf(args, sizeof(args), "--join %d -- sh -c cat${IFS}$VFBC_WORLD/pid;"
		"echo${IFS}$SYSFS_PCI_DEVICES;ls${IFS}$SYSFS_PCI_DEVICES;ls${IFS}/dev/hugepages",
		(int)world);
	for (tries = 0; tries < 250; tries++) {
		ret = world_cli_run(args);
		if (ret == 0 && strstr(world_cli_out, "vfbc-probe") != NULL)
			break;
		nanosleep(&ts, NULL);
	}
	TEST_ASSERT_SUCCESS(world_cli_host_state(during, sizeof(during)), "host state");
	close(hold[1]);
	while (waitpid(world, &status, 0) < 0 && errno == EINTR)
		;
	TEST_ASSERT_EQUAL(ret, 0, "joining %d: exit %d: %s", (int)world, ret, world_cli_out);
	snprintf(want, sizeof(want), "%d\n/dev/vfbc-world/devices\n", (int)world);
	TEST_ASSERT(strncmp(world_cli_out, want, strlen(want)) == 0,
		"joined a world with pid and devices: %s", world_cli_out);
	TEST_ASSERT(strstr(world_cli_out, "0000:01:00.0\n0000:01:00.1\n0000:01:00.2\n") != NULL,
		"joined world lacks the PF and 2 VFs: %s", world_cli_out);
	TEST_ASSERT(strcmp(before, during) == 0, "the running world shows on the host:\n%s",
		during);
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "world status 0x%x", status);
	TEST_ASSERT_SUCCESS(world_cli_host_state(after, sizeof(after)), "host state");
	TEST_ASSERT(strcmp(before, after) == 0, "the world left traces:\n%s", after);
	return TEST_SUCCESS;
}

static int
test_cli_join_refuses_a_process_outside_worlds(void)
{
	char args[64];
	int ret;

	snprintf(args, sizeof(args), "--join %d -- true", (int)getpid());
	ret = world_cli_run(args);
	TEST_ASSERT(ret != 0, "joined a process in no world");
	TEST_ASSERT_NOT_NULL(strstr(world_cli_out, "is not in a vfbc world"), "%s",
		world_cli_out);
	return TEST_SUCCESS;
}

static struct unit_test_suite world_cli_suite = {
	.suite_name = "vfbc-world command line",
	.setup = world_cli_setup,
	.unit_test_cases = {
		TEST_CASE(test_cli_bad_options_exit_2_naming_the_problem),
		TEST_CASE(test_cli_bad_spec_file_names_file_and_line),
		TEST_CASE(test_cli_bad_spec_values_exit_2_naming_key_and_line),
		TEST_CASE_ST(world_cli_need_worlds, NULL, test_cli_options_override_the_spec_file),
		TEST_CASE_ST(world_cli_need_worlds, NULL,
			test_cli_several_pfs_and_the_spec_round_trip),
		TEST_CASE_ST(world_cli_need_worlds, NULL, test_cli_exit_status_is_the_command_s),
		TEST_CASE_ST(world_cli_need_worlds, NULL,
			test_cli_join_a_running_world_then_nothing_left),
		TEST_CASE_ST(world_cli_need_worlds, NULL,
			test_cli_join_refuses_a_process_outside_worlds),
		TEST_CASES_END()
	}
};

static int
test_world_cli(void)
{
	return unit_test_suite_runner(&world_cli_suite);
}

REGISTER_TEST_COMMAND_SUITE(world_cli_autotest, test_world_cli, "world");
