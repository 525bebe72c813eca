/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * libFuzzer target: vfbc-world's command line, as vfbc_world_parse_args()
 * parses it in-process. The input is the arguments after argv[0], each
 * ended by a NUL byte; an argument "@file:TEXT" becomes the path of a file
 * holding TEXT, so that --spec reads what the fuzzer wrote.
 *
 * An accepted command line is in the documented shape (options spelt out
 * and given once, values in the documented grammar, "--" then a command)
 * and its topology keeps every promise (fuzz_world_check_topo()). A refused
 * one says why, leaves the caller's structure alone, and leaves nothing
 * behind: no file descriptor, nothing in the working directory (a private,
 * empty one during the call, where relative --spec paths lead nowhere).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_world.h"

#define FUZZ_ARGS_MAX		64
#define FUZZ_ARGS_FILES		4
#define FUZZ_ARGS_FILE_TAG	"@file:"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_args_dir[PATH_MAX];	/* Where @file: arguments go. */
static char fuzz_args_cwd[PATH_MAX];	/* The working directory of the parser. */
static struct stat fuzz_args_cwd_st;	/* It, empty, at start. */
static int fuzz_args_home = -1;		/* libFuzzer's working directory. */

static void
fuzz_args_cleanup(void)
{
	char path[PATH_MAX + 16];
	int i;

	for (i = 0; i < FUZZ_ARGS_FILES; i++) {
		snprintf(path, sizeof(path), "%s/spec%d", fuzz_args_dir, i);
		unlink(path);
	}
	rmdir(fuzz_args_dir);
	rmdir(fuzz_args_cwd);
}

static int
fuzz_args_lowest_fd(void)
{
	int fd;

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	FUZZ_ASSERT(fd >= 0, "cannot open /dev/null: %s", strerror(errno));
	close(fd);
	return fd;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp;

	(void)argc;
	(void)argv;
	/* Files are written at every run: tmpfs when there is one. */
	tmp = getenv("TMPDIR");
	if (tmp == NULL || tmp[0] == '\0')
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_args_dir, sizeof(fuzz_args_dir), "%s/fuzz_world_args.XXXXXX", tmp);
	snprintf(fuzz_args_cwd, sizeof(fuzz_args_cwd), "%s/fuzz_world_cwd.XXXXXX", tmp);
	FUZZ_ASSERT(mkdtemp(fuzz_args_dir) != NULL && mkdtemp(fuzz_args_cwd) != NULL,
		"mkdtemp: %s", strerror(errno));
	atexit(fuzz_args_cleanup);
	FUZZ_ASSERT(stat(fuzz_args_cwd, &fuzz_args_cwd_st) == 0, "stat %s: %s", fuzz_args_cwd,
		strerror(errno));
	fuzz_args_home = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	FUZZ_ASSERT(fuzz_args_home >= 0, "open .: %s", strerror(errno));
	return 0;
}

/* "@file:TEXT" arguments become files; argv[] points into buf. */
static int
fuzz_args_split(char *buf, size_t size, char **argv, char paths[][PATH_MAX + 16])
{
	unsigned int nfiles;
	char *arg;
	char *end;
	int argc;
	int fd;

	argc = 0;
	argv[argc++] = (char *)(uintptr_t)"vfbc-world";
	nfiles = 0;
	for (arg = buf; arg < buf + size && argc < FUZZ_ARGS_MAX; arg = end + 1) {
		end = memchr(arg, '\0', buf + size - arg);
		if (end == NULL)
			break;
		if (strncmp(arg, FUZZ_ARGS_FILE_TAG, strlen(FUZZ_ARGS_FILE_TAG)) == 0 &&
				nfiles < FUZZ_ARGS_FILES) {
			snprintf(paths[nfiles], PATH_MAX + 16, "%s/spec%u", fuzz_args_dir, nfiles);
			fd = open(paths[nfiles], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			FUZZ_ASSERT(fd >= 0, "cannot write %s", paths[nfiles]);
			arg += strlen(FUZZ_ARGS_FILE_TAG);
			FUZZ_ASSERT(write(fd, arg, end - arg) == end - arg, "short write");
			close(fd);
			arg = paths[nfiles++];
		}
		argv[argc++] = arg;
	}
	argv[argc] = NULL;
	return argc;
}

/* What the parser will read is a plain file, or nothing (it blocks on no FIFO). */
static int
fuzz_args_spec_is_safe(const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (realpath(path, real) == NULL)
		return 1;
	if (strncmp(real, "/dev/", 5) == 0 || strncmp(real, "/proc/", 6) == 0 ||
			strncmp(real, "/sys/", 5) == 0)
		return 0;
	return stat(real, &st) < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);
}

/* One option as the documentation spells it, with its value (or NULL). */
struct fuzz_args_opt {
	const char *name;
	size_t len;
	const char *value;
};

/*
 * The options before "--", read as documented: --name=value, --name value,
 * or a flag. Returns the index of "--" (argc without one); *bad is set for
 * an argument that is no option.
 */
static int
fuzz_args_walk(int argc, char **argv, struct fuzz_args_opt *opts, int *nopts, int *bad)
{
	const char *eq;
	char *arg;
	int i;

	*nopts = 0;
	*bad = 0;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0)
			return i;
		if (strcmp(arg, "-h") == 0) {
			opts[*nopts].name = "help";
			opts[*nopts].len = 4;
			opts[(*nopts)++].value = NULL;
			continue;
		}
		if (strncmp(arg, "--", 2) != 0) {
			*bad = 1;
			return argc;
		}
		eq = strchr(arg, '=');
		opts[*nopts].name = arg + 2;
		opts[*nopts].len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		opts[*nopts].value = eq != NULL ? eq + 1 : NULL;
		if (eq == NULL && strcmp(arg, "--check") != 0 && strcmp(arg, "--help") != 0 &&
				i + 1 < argc)
			opts[*nopts].value = argv[++i];
		(*nopts)++;
	}
	return argc;
}

static int
fuzz_args_is(const struct fuzz_args_opt *o, const char *name)
{
	return strlen(name) == o->len && strncmp(o->name, name, o->len) == 0;
}

static void
fuzz_args_check_accepted(int argc, char **argv, const struct vfbc_world_args *args)
{
	struct fuzz_args_opt opts[FUZZ_ARGS_MAX];
	struct stat st;
	int dashdash;
	int nopts;
	int topo;
	int bad;
	int i;
	int j;

	dashdash = fuzz_args_walk(argc, argv, opts, &nopts, &bad);
	if (args->mode == VFBC_WORLD_MODE_HELP) {
		for (i = 0; i < nopts; i++)
			if (fuzz_args_is(&opts[i], "help"))
				break;
		FUZZ_ASSERT(i < nopts, "help without -h nor --help");
		return;
	}
	FUZZ_ASSERT(!bad, "accepted an argument that is neither option nor '--'");
	topo = 0;
	for (i = 0; i < nopts; i++) {
		/* --pf alone may come again: each adds a PF. */
		for (j = 0; j < i && !fuzz_args_is(&opts[i], "pf"); j++)
			FUZZ_ASSERT(opts[j].len != opts[i].len ||
				strncmp(opts[j].name, opts[i].name, opts[i].len) != 0,
				"accepted --%.*s twice", (int)opts[i].len, opts[i].name);
		/* Relative paths: the parser's working directory is still ours. */
		if (fuzz_args_is(&opts[i], "spec") && args->mode == VFBC_WORLD_MODE_RUN) {
			FUZZ_ASSERT(stat(opts[i].value, &st) == 0 && !S_ISDIR(st.st_mode),
				"accepted --spec '%s', no file or a directory", opts[i].value);
			continue;
		}
		if (fuzz_args_is(&opts[i], "spec") || fuzz_args_is(&opts[i], "join") ||
				fuzz_args_is(&opts[i], "check"))
			continue;
		FUZZ_ASSERT(args->mode == VFBC_WORLD_MODE_RUN, "topology option in mode %d",
			args->mode);
		FUZZ_ASSERT(opts[i].value != NULL, "--%.*s without a value", (int)opts[i].len,
			opts[i].name);
		/* The command line overrides the spec: the topology holds its value. */
		FUZZ_ASSERT(fuzz_world_check_value(&args->topo, opts[i].name, opts[i].len,
			opts[i].value) == 0, "accepted unknown option --%.*s", (int)opts[i].len,
			opts[i].name);
		topo++;
	}
	if (args->mode == VFBC_WORLD_MODE_CHECK) {
		FUZZ_ASSERT(dashdash == argc && nopts == 1, "--check with more");
		return;
	}
	FUZZ_ASSERT(args->cmd_index == dashdash + 1 && args->cmd_index < argc,
		"command at %d, '--' at %d, %d arguments", args->cmd_index, dashdash, argc);
	if (args->mode == VFBC_WORLD_MODE_JOIN) {
		FUZZ_ASSERT(args->join_pid > 0, "joins process %d", args->join_pid);
		FUZZ_ASSERT(topo == 0, "--join with a topology option");
		return;
	}
	FUZZ_ASSERT(args->mode == VFBC_WORLD_MODE_RUN, "mode %d", args->mode);
	fuzz_world_check_topo(&args->topo);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char paths[FUZZ_ARGS_FILES][PATH_MAX + 16];
	struct fuzz_args_opt opts[FUZZ_ARGS_MAX];
	char *argv[FUZZ_ARGS_MAX + 1];
	struct vfbc_world_args canary;
	struct vfbc_world_args args;
	struct fuzz_world_err e;
	struct stat cwd;
	char *buf;
	int free_fd;
	int nopts;
	int argc;
	int bad;
	int ret;
	int i;

	/*
	 * Taken per input: the sanitizers' symbolizer, started when libFuzzer
	 * prints a new function, keeps pipes open between inputs.
	 */
	free_fd = fuzz_args_lowest_fd();
	buf = malloc(size + 1);
	FUZZ_ASSERT(buf != NULL, "out of memory");
	memcpy(buf, data, size);
	buf[size] = '\0';
	argc = fuzz_args_split(buf, size, argv, paths);
	fuzz_args_walk(argc, argv, opts, &nopts, &bad);
	for (i = 0; i < nopts; i++) {
		if (fuzz_args_is(&opts[i], "spec") && opts[i].value != NULL &&
				!fuzz_args_spec_is_safe(opts[i].value)) {
			free(buf);
			return 0;
		}
	}

	memset(&canary, 0xa5, sizeof(canary));
	args = canary;
	fuzz_world_err_open(&e);
	FUZZ_ASSERT(chdir(fuzz_args_cwd) == 0, "chdir %s: %s", fuzz_args_cwd, strerror(errno));
	ret = vfbc_world_parse_args(argc, argv, &args, e.f);
	fuzz_world_err_close(&e);
	FUZZ_ASSERT(ret == 0 || ret == VFBC_WORLD_EXIT_USAGE, "returned %d", ret);
	/* --help prints its usage in main(), not while parsing. */
	fuzz_world_check_messages(&e, ret != 0, "args");
	if (ret != 0)
		FUZZ_ASSERT(memcmp(&args, &canary, sizeof(args)) == 0,
			"a refused command line changed the result");
	else
		fuzz_args_check_accepted(argc, argv, &args);
	FUZZ_ASSERT(fchdir(fuzz_args_home) == 0, "fchdir: %s", strerror(errno));

	FUZZ_ASSERT(fuzz_args_lowest_fd() == free_fd, "a file descriptor leaked");
	FUZZ_ASSERT(stat(fuzz_args_cwd, &cwd) == 0 && cwd.st_nlink == fuzz_args_cwd_st.st_nlink &&
		cwd.st_mtim.tv_sec == fuzz_args_cwd_st.st_mtim.tv_sec &&
		cwd.st_mtim.tv_nsec == fuzz_args_cwd_st.st_mtim.tv_nsec,
		"something was created in the working directory");
	free(e.buf);
	free(buf);
	return 0;
}
