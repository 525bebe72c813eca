/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_MP_COMMON_H_
#define _TEST_MP_COMMON_H_

/*
 * Multi-process test helpers: a primary test command spawns secondary
 * processes and talks to them line by line.
 *
 * A secondary is vfbc-test itself, re-executed with `--run-one <command>`
 * where <command> is a hidden command (REGISTER_HIDDEN_TEST_COMMAND: a plain
 * one, since the secondary joins the primary's world, whose namespace and
 * environment it inherits). The primary:
 *
 *	struct mp_child c;
 *
 *	vfbc_test_eal_init("-m 64 ...");            // the primary's EAL
 *	mp_child_spawn(&c, "mp_vf_agent", "-a 0000:01:00.1", NULL);
 *	mp_child_expect(&c, "ready", rest, sizeof(rest), 10000);
 *	mp_child_send(&c, "poll %u", 1000);
 *	mp_child_expect(&c, "mask", rest, sizeof(rest), 5000);
 *	mp_child_send(&c, "quit");
 *	ret = mp_child_wait(&c, 10000);             // its exit status
 *	mp_child_close(&c);                         // kills it if still alive
 *
 * and the hidden command, in the secondary:
 *
 *	if (mp_agent_eal_init() != TEST_SUCCESS) ...  // secondary EAL, the
 *	                                              // primary's file prefix
 *	mp_agent_send("ready %u", port);
 *	while (mp_agent_recv(line, sizeof(line), 60000) > 0) ...
 *	return TEST_SUCCESS;                          // its exit status: 0
 *
 * The channel is two pipes: commands from the primary come on one, lines to
 * it go on the other; their fds and the secondary's EAL arguments are passed
 * in environment variables (MP_ENV_*), extra ones with `env`. The exit
 * status is the runner's: 0 passed, 1 failed, 77 skipped. The secondary's
 * stdout and stderr are the primary's, so its messages land in the same log.
 * Every child is in the primary's process group: a runner timeout kills it
 * too.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_pci.h>

/* Environment of a secondary: its EAL arguments, its pipes, the prefix. */
#define MP_ENV_EAL_ARGS	"VFBC_MP_EAL_ARGS"
#define MP_ENV_IN_FD	"VFBC_MP_IN_FD"
#define MP_ENV_OUT_FD	"VFBC_MP_OUT_FD"
#define MP_ENV_PREFIX	"VFBC_MP_FILE_PREFIX"

/* The isolated consumer agent's EAL arguments and directories to hide (test_mp_iso_agent.c). */
#define MP_ISO_ENV_EAL	"VFBC_MP_ISO_EAL"
#define MP_ISO_ENV_HIDE	"VFBC_MP_ISO_HIDE"
/* ... a hugetlbfs mount point of its own, and the PF's paths it must not see. */
#define MP_ISO_ENV_HUGE	"VFBC_MP_ISO_HUGE"
#define MP_ISO_ENV_PEEK	"VFBC_MP_ISO_PEEK"

/* Longest line either way. */
#define MP_LINE_MAX	512
/* How long a child that said "bye" gets to exit before it is killed (ms). */
#define MP_BYE_EXIT_MS	5000

/* A secondary, seen from the primary. */
struct mp_child {
	pid_t pid;		/* -1 once reaped */
	int to_fd;		/* its commands, -1 when closed */
	int from_fd;		/* its lines, -1 when closed */
	int status;		/* exit status once reaped (mp_child_wait) */
	char name[64];		/* hidden command, for messages */
	int said_bye;		/* it answered "bye": it is on its way out */
	char buf[4096];		/* received, not yet returned */
	size_t len;
};

/* ---- primary side ---- */

/*
 * The primary's --file-prefix (the last component of its runtime directory),
 * which secondaries must use. EAL must be initialised.
 */
const char *mp_file_prefix(void);

/*
 * Start a secondary running hidden command `command` with extra EAL
 * arguments `eal_args` (e.g. "-a 0000:01:00.1"; "--proc-type=secondary" and
 * the prefix are added) and `env`, a NULL-terminated list of "NAME=value"
 * strings (may be NULL). Returns 0 or a negative errno.
 */
int mp_child_spawn(struct mp_child *c, const char *command, const char *eal_args,
		   const char * const *env);

/*
 * Same, for a primary that is not this process: `prefix` is its file prefix
 * (e.g. reported by a primary started with mp_child_spawn_primary()).
 */
int mp_child_spawn_prefix(struct mp_child *c, const char *command, const char *eal_args,
			  const char *prefix, const char * const *env);

/*
 * Start a hidden command as a primary process of its own (it calls
 * vfbc_test_eal_init itself and should report its mp_file_prefix()): for
 * tests that kill the primary and watch the secondaries.
 */
int mp_child_spawn_primary(struct mp_child *c, const char *command, const char * const *env);

/* Send one line (a newline is added). 0 or a negative errno (-EPIPE: gone). */
int mp_child_send(struct mp_child *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Receive one line, newline stripped. Returns its length (>= 0), -ETIMEDOUT
 * or -EPIPE (the child closed its end: exited or died).
 */
int mp_child_recv(struct mp_child *c, char *line, size_t size, unsigned int timeout_ms);

/*
 * Receive lines until one whose first word is `word`; copy the rest of it
 * (after the word and a space) to rest. Other lines are printed and skipped,
 * except "error ..." lines, which end the wait with -EPROTO. Returns 0,
 * -ETIMEDOUT, -EPIPE or -EPROTO.
 */
int mp_child_expect(struct mp_child *c, const char *word, char *rest, size_t size,
		    unsigned int timeout_ms);

/*
 * Wait for the child to exit: its exit status (0..255), 128 + signal number
 * if a signal killed it, or -ETIMEDOUT (it is still running).
 */
int mp_child_wait(struct mp_child *c, unsigned int timeout_ms);

/*
 * Send a command and wait (timeout_ms) for the line starting with word;
 * rest gets what follows it. 0 or a negative errno.
 */
int mp_child_cmd(struct mp_child *c, const char *word, char *rest, size_t size,
		 unsigned int timeout_ms, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Send a command answered "ret N [tail]": N, or INT32_MIN when the child
 * did not answer so. tail (may be NULL) gets what follows N.
 */
int mp_child_ret(struct mp_child *c, char *tail, size_t size, unsigned int timeout_ms,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Send a signal (e.g. SIGKILL) to a running child. */
int mp_child_kill(struct mp_child *c, int sig);

/*
 * Wait (at most timeout_ms) for the child to exit, without reaping it: its
 * exit status as mp_child_wait() gives it, or -ETIMEDOUT, -ESRCH (already
 * reaped) or a negative errno. Reaping may take the kernel long (its
 * release_task() invalidates the process's /proc dentries: seconds, once
 * over a minute, on a busy machine), so a test that must go on can leave it
 * to mp_child_wait() on another thread.
 */
int mp_child_wait_exit(struct mp_child *c, unsigned int timeout_ms);

/* Kill (SIGKILL) the child if it still runs, reap it, close the pipes. */
void mp_child_close(struct mp_child *c);

/* CLOCK_MONOTONIC in ns: one clock for every process of a test (e.g. to time a death). */
uint64_t mp_now_ns(void);

/* ---- secondary side (in the hidden command) ---- */

/*
 * Start EAL as a secondary of the spawning primary with the arguments it
 * gave (vfbc_test_eal_init: TEST_SUCCESS, TEST_SKIPPED or TEST_FAILED).
 */
int mp_agent_eal_init(void);

/* Send one line to the primary; 0 or a negative errno. */
int mp_agent_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Receive one command line: length, -ETIMEDOUT or -EPIPE (primary gone). */
int mp_agent_recv(char *line, size_t size, unsigned int timeout_ms);

/* An environment variable given at spawn, NULL if absent. */
const char *mp_agent_env(const char *name);

/*
 * The VF agent's command loop (test_mp_vf_agent.c), once EAL is up: finds
 * the VF port, says "ready ...", answers commands; a command it does not
 * know goes to extra (may be NULL), which answers it and returns 0, or
 * returns non-zero. Returns the agent's exit status.
 */
int mp_vf_agent_run(int (*extra)(uint16_t port, const char *line));

/*
 * test_mp_life_agent.c: record the VF port's life events (ethdev callbacks);
 * answer a life command (0), or 1 when the line is not one.
 */
int mp_life_agent_init(uint16_t port);
int mp_life_agent_cmd(uint16_t port, const char *line);
/* test_mp_sleep_agent.c: a sleep mode command (0), or 1 when the line is not one. */
int mp_sleep_agent_cmd(uint16_t port, const char *line);

/* An event an agent recorded: R(eset), (re)M(oval) or L(SC), its cause (-1: none). */
struct mp_life_ev {
	char type;
	int cause;
	uint64_t ns;		/* mp_now_ns() in the callback */
};
#define MP_LIFE_MAX_EV		16
/* An event is due within VFBC_VF_LIFE_PERIOD_MS: this is slack for a busy CI. */
#define MP_LIFE_EV_MS		3000
/* ... and no other one follows within this. */
#define MP_LIFE_QUIET_MS	300

/*
 * The test's side: the agent c records exactly the events want ("R0 L":
 * type and cause, a bare L for an LSC without one), then nothing more for
 * MP_LIFE_QUIET_MS; ev gets them. 0, or -1 with what it got printed.
 */
int mp_life_expect(struct mp_child *c, const char *what, const char *want,
		   struct mp_life_ev *ev);
/* The agent c's link (rte_eth_link_get_nowait()): 1 up, 0 down, -1 no answer. */
int mp_life_link(struct mp_child *c);
/*
 * Start an agent (hidden command: mp_vf_agent or one built on it) that
 * consumes VF vf_name as a secondary ("-a"), or VF vf of the isolated PF at
 * socket sock with secret (a primary of its own, mp_iso_agent's way); wait
 * until it is ready, holds its VF and sees its link up. 0, or -1 printed.
 */
int mp_life_spawn_vf(struct mp_child *c, const char *command, const char *vf_name);
int mp_life_spawn_iso(struct mp_child *c, const char *command, const char *sock, uint16_t vf,
		      const char *secret);
/* Send "cmd ms" to an agent that answers "cmd ok" (a callback to arm). 0, or -1 printed. */
int mp_life_agent_arm(struct mp_child *c, const char *cmd, unsigned int ms);
/* Tell an agent to quit, wait for its "bye" (bounded), and close it. */
void mp_life_agent_quit(struct mp_child *c);

/* ---- the PF side of VF tests (primary) ---- */

#define MP_PF_NAME	"0000:01:00.0"	/* the world's default PF */
#define MP_MAX_VFS	8

/* The PF port and its VFs' ports, in the primary. */
struct mp_world {
	uint16_t pf_port;
	uint16_t nb_vfs;
	char vf_name[MP_MAX_VFS][PCI_PRI_STR_SIZE];
	uint16_t vf_port[MP_MAX_VFS];	/* the VF ports (net_vfbc_vf) */
};

/*
 * In a world: start EAL as the primary (hugepages: "-m 64" plus extra_eal),
 * find the PF port and every enabled VF's address and port. TEST_SUCCESS,
 * TEST_SKIPPED (outside a world, no EAL) or TEST_FAILED.
 */
int mp_world_start(struct mp_world *w, const char *extra_eal);

/* Close every VF port of the world this process still has (a suite's teardown). */
void mp_world_close_vfs(struct mp_world *w);

/**
 * mp_world_start(w, ""), then at least want_vfs VFs in the world and the
 * PF's request server running (mp_pf_server_start(): stop it with
 * mp_pf_server_stop()). TEST_SUCCESS, TEST_SKIPPED or TEST_FAILED.
 */
int mp_world_start_served(struct mp_world *w, uint16_t want_vfs);

/*
 * mp_world_start(), then the PF probed again with socket=sock_path (an
 * isolated PF: VFs served to net_vfbc_isolated consumers). TEST_SUCCESS,
 * TEST_SKIPPED or TEST_FAILED.
 */
int mp_world_start_isolated(struct mp_world *w, const char *sock_path);

/*
 * A thread of the primary that services VF requests: the sleeping service,
 * vfbc_pf_mbox_poll_wait() in a loop (the way a PF application that is no
 * data path does). Start and stop it around whatever needs answers; stop
 * also waits for it.
 */
int mp_pf_server_start(uint16_t pf_port);
void mp_pf_server_stop(void);

#endif /* _TEST_MP_COMMON_H_ */
