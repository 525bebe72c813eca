/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_TESTPMD_SESSION_H_
#define _TEST_TESTPMD_SESSION_H_

/*
 * Scripted vfbc-testpmd sessions for the tests: the built program runs as a
 * child with commands on its stdin and --echo, so its output splits into one
 * block per command; steps say what each block must contain. Config files
 * of the world are read directly, to check the program against the world.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_pci.h>

#define TP_CMD_MAX	256	/* Longest command line of a step. */
#define TP_LINE_MAX	256	/* Longest expected line of a step. */
#define TP_CFG_SIZE	4096	/* A config file holds at most this much. */
#define TP_MAX_STEPS	64	/* Steps of one script. */

/* A running vfbc-testpmd, commands on its stdin, stdout and stderr read here. */
struct tp_session {
	pid_t pid;
	int in_fd;		/* Its stdin; -1 once closed. */
	int out_fd;		/* Its stdout and stderr. */
	char *out;		/* All it printed so far, NUL terminated. */
	size_t len;
	size_t cap;
	int status;		/* Exit status once it ended, -1 before or if killed. */
};

/* One command and a line it must print. */
struct tp_step {
	char cmd[TP_CMD_MAX];
	/*
	 * A line the command must print; "" for no check. A line starting
	 * with "Error:" must be the command's only error line; otherwise the
	 * command must print no error line at all.
	 */
	char expect[TP_LINE_MAX];
	int prefix;		/* Non-zero: expect is the start of the line. */
};

/* Commands run in one session, in order. */
struct tp_script {
	unsigned int n;
	int overflow;		/* Steps were added beyond TP_MAX_STEPS. */
	struct tp_step steps[TP_MAX_STEPS];
};

/*
 * Start vfbc-testpmd with "<eal_args> -- --echo <app_args>" (an EAL file
 * prefix of this test process is added unless eal_args has one).
 * @return 0, or -1 after printing why.
 */
/* The vfbc-testpmd the sessions run (the build's, or $VFBC_TESTPMD_BIN). */
const char *tp_bin(void);

int tp_session_start(struct tp_session *s, const char *eal_args, const char *app_args);

/* Write a command line to its stdin. @return 0 or -1. */
int tp_session_send(struct tp_session *s, const char *cmd);

/* Read its output until @p line is a line of it. @return 0, or -1 on timeout or end. */
int tp_session_wait_line(struct tp_session *s, const char *line, int timeout_s);

/*
 * Close its stdin, read everything until it exits, reap it (killed after
 * @p timeout_s). @return its exit status, or -1.
 */
int tp_session_finish(struct tp_session *s, int timeout_s);

void tp_session_free(struct tp_session *s);

/* The EAL arguments of a primary (or, with secondary set, a secondary) of this test. */
const char *tp_eal_args(int secondary);

/*
 * Output block of the n-th command (the lines after its echo, up to the next
 * echo). @return a NUL terminated copy to free(), NULL if there is no such block.
 */
char *tp_session_block(const struct tp_session *s, unsigned int n);

/* Whether @p text has @p line as one of its lines (or a line starting with it). */
int tp_has_line(const char *text, const char *line);
int tp_has_line_prefix(const char *text, const char *prefix);

/* Number of lines of @p text starting with "Error:". */
unsigned int tp_error_lines(const char *text);

/* Add a step: the command, formatted, and a line it must print ("" for none). */
void tp_add(struct tp_script *sc, const char *expect, const char *fmt, ...)
	__rte_format_printf(3, 4);
/* Same, the command must print a line starting with @p expect. */
void tp_add_prefix(struct tp_script *sc, const char *expect, const char *fmt, ...)
	__rte_format_printf(3, 4);

/*
 * Run the script in one session, check every step's block and the exit
 * status (1 when an error line is expected, else 0). The session is left
 * to the caller, to check more and free.
 * @return TEST_SUCCESS or TEST_FAILED (after printing the session).
 */
int tp_script_run(struct tp_session *s, const struct tp_script *sc, const char *eal_args,
		const char *app_args);

/* tp_script_run() in a primary of this test, without app options, session freed. */
int tp_run(const struct tp_script *sc);

/* Check a script's steps against a finished session; prints what differs. */
int tp_script_check(const struct tp_session *s, const struct tp_script *sc);

/* Config file of a function of the world. @return its length, or -1 (quietly if none). */
int tp_cfg_read(const struct rte_pci_addr *addr, uint8_t cfg[TP_CFG_SIZE]);

/* The PF of the world and its SR-IOV capability, from its config file. */
struct tp_topo {
	struct rte_pci_addr pf;
	uint16_t sriov;		/* Capability offset. */
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device;
	uint16_t vendor;
	uint32_t vf_bar[6];
};

/* @return 0, or -1 after printing why. */
int tp_topo_read(const char *pf_name, struct tp_topo *topo);

/* Address of VF @p i by routing: PF RID + First VF Offset + i * VF Stride. */
struct rte_pci_addr tp_vf_addr(const struct tp_topo *topo, unsigned int i);

/* Config files of the PF (index 0) and of VFs 0 .. TotalVFs - 1 (index 1 + vf). */
struct tp_snap {
	unsigned int n;			/* 1 + TotalVFs. */
	int len[1 + 256];		/* -1: no file (a disabled VF). */
	uint8_t cfg[1 + 256][TP_CFG_SIZE];
};

/* Take a snapshot (allocated, to free()). @return NULL after printing why. */
struct tp_snap *tp_snap_take(const struct tp_topo *topo);

/* Compare two snapshots; prints the first difference. @return 0 if identical. */
int tp_snap_compare(const struct tp_snap *expected, const struct tp_snap *actual);

/* The line "show vf list" prints for a VF of the topology. */
void tp_vf_list_line(const struct tp_topo *topo, unsigned int vf, const char *state,
		char *buf, size_t len);

/* The line "show vf location" prints for a VF of the topology. */
void tp_vf_location_line(const struct tp_topo *topo, unsigned int vf, char *buf, size_t len);

/* A line of the hex dump of "show vf bus-data": up to 16 bytes at @p offset. */
void tp_dump_line(uint32_t offset, const uint8_t *bytes, unsigned int n, char *buf,
		size_t len);

/* Offset of a standard capability in a config image, 0 if absent. */
unsigned int tp_find_cap(const uint8_t *cfg, uint8_t id);

/* Little-endian fields of a config image. */
uint16_t tp_get16(const uint8_t *cfg, unsigned int off);
uint32_t tp_get32(const uint8_t *cfg, unsigned int off);

#endif /* _TEST_TESTPMD_SESSION_H_ */
