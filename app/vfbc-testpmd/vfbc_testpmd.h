/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_TESTPMD_H_
#define _VFBC_TESTPMD_H_

/**
 * @file
 * vfbc-testpmd: a testpmd-style console for vfbc ports.
 *
 * As in DPDK's testpmd, parsing and acting are apart: the cmdline*.c files
 * hold the command tokens and only unpack them; config.c (ports) and
 * vf_config.c (PF services), mbox_config.c (PF mailbox) and vf_side_config.c
 * (VF side of the mailbox) act, print the result, and report every problem
 * as one line starting with "Error:". Only main() is in vfbc_testpmd.c:
 * everything else links into other programs too (the fuzz target).
 *
 * Threads: besides the console, mbox_service.c services VF requests in a
 * primary and vf_events.c delivers invalidations in a VF process; EAL's
 * interrupt thread runs the callbacks of the VFs' life events (vf_events.c)
 * and of the PF's consumer events (mbox_service.c). Console output is
 * serialized with the stdio lock of stdout: a command holds it while it
 * runs (flockfile() is recursive), so its output is one piece.
 * Those threads never take it: their lines go through a queue to a
 * printer thread (util.c), which holds it for each line, so lines never
 * mix and a long command never stops a thread that serves the VFs.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rte_common.h>
#include <cmdline_parse.h>

#define VFBC_TP_PROMPT "vfbc-testpmd> "

/* Options after "--" (parameters.c). */
struct vfbc_tp_params {
	int interactive;		/**< -i: a console after any command file. */
	int echo;			/**< --echo: print scripted commands. */
	const char *cmdline_file;	/**< --cmdline-file FILE. */
	uint32_t verdict_timeout_ms;	/**< --verdict-timeout: "ask" mode's wait. */
	uint32_t request_timeout_ms;	/**< --request-timeout: VF requests' wait. */
};

#define VFBC_TP_VERDICT_TIMEOUT_MS	10000	/* Default --verdict-timeout. */
#define VFBC_TP_REQUEST_TIMEOUT_MS	15000	/* Default --request-timeout. */

extern struct vfbc_tp_params vfbc_tp_params;

/** @return 0, 1 after printing the usage on request, or -EINVAL. */
int vfbc_tp_parse_args(int argc, char **argv);
void vfbc_tp_usage(const char *prgname);

/*
 * A family of commands: its instances and its section of the help. One file
 * per family; cmdline.c lists the families.
 */
struct vfbc_tp_cmd_family {
	const char *name;		/**< Help section: "help <name>". */
	const char *summary;		/**< One line for "help". */
	const char *help;		/**< Syntax of each command, one per line. */
	cmdline_parse_inst_t * const *cmds;	/**< NULL terminated. */
};

extern const struct vfbc_tp_cmd_family vfbc_tp_port_family;	/* cmdline.c */
extern const struct vfbc_tp_cmd_family vfbc_tp_vf_family;	/* cmdline_vf.c */
extern const struct vfbc_tp_cmd_family vfbc_tp_mbox_family;	/* cmdline_mbox.c */
extern const struct vfbc_tp_cmd_family vfbc_tp_vf_side_family;	/* cmdline_vf_side.c */

/* Sessions (cmdline.c). */
int vfbc_tp_cmdline_init(void);
void vfbc_tp_cmdline_fini(void);
/** Run the commands of @p f in order until its end or "quit". */
void vfbc_tp_run_script(FILE *f);
/** Interactive console on the terminal until "quit" or end of input. */
void vfbc_tp_prompt(void);
/** @return non-zero once "quit" was run. */
int vfbc_tp_quit_requested(void);
/** The command table of vfbc_tp_cmdline_init(): every family's commands, NULL terminated. */
cmdline_parse_ctx_t *vfbc_tp_cmdline_ctx(void);

/* What became of a line (vfbc_tp_line_run()). */
enum vfbc_tp_line_outcome {
	VFBC_TP_LINE_EMPTY,		/**< Blank or a comment. */
	VFBC_TP_LINE_RUN,		/**< A command matched: its action ran. */
	VFBC_TP_LINE_REFUSED,		/**< Bytes cmdline would misread: not parsed. */
	VFBC_TP_LINE_REJECTED,		/**< No command matched. */
};

/**
 * Echo (with --echo), check, parse and run one line of a script; every
 * problem is one "Error:" line. @p line holds @p n bytes, the last one
 * '\n', and a NUL after them; @p lineno (from 1) names it in errors.
 * @return an enum vfbc_tp_line_outcome.
 */
int vfbc_tp_line_run(struct cmdline *cl, const char *line, size_t n, unsigned int lineno);

/*
 * Number tokens: decimal or 0x hex, up to UINT32_MAX into a uint32_t, or
 * up to UINT64_MAX into a uint64_t for the wide ones (cmdline_num.c).
 */
struct vfbc_tp_token_num {
	struct cmdline_token_hdr hdr;
	const char *name;		/**< Its placeholder in the help: "port". */
	int wide;			/**< Non-zero: a uint64_t. */
};

extern struct cmdline_token_ops vfbc_tp_token_num_ops;

/** A vfbc_tp_token_num storing a uint32_t at @p field of @p structure. */
#define VFBC_TP_TOKEN_NUM_INITIALIZER(structure, field, what) \
{ \
	.hdr = { \
		.ops = &vfbc_tp_token_num_ops, \
		.offset = offsetof(structure, field), \
	}, \
	.name = what, \
	.wide = 0, \
}

/** A vfbc_tp_token_num storing a uint64_t at @p field of @p structure. */
#define VFBC_TP_TOKEN_NUM64_INITIALIZER(structure, field, what) \
{ \
	.hdr = { \
		.ops = &vfbc_tp_token_num_ops, \
		.offset = offsetof(structure, field), \
	}, \
	.name = what, \
	.wide = 1, \
}

/** The largest value the token takes: the width of its field. */
uint64_t vfbc_tp_token_num_max(const struct vfbc_tp_token_num *num);

/* What is wrong with a word that should be a number. */
enum vfbc_tp_num_status {
	VFBC_TP_NUM_OK = 0,
	VFBC_TP_NUM_EMPTY,		/* no character */
	VFBC_TP_NUM_SIGN,		/* "+1", "-1" */
	VFBC_TP_NUM_LEADING_ZERO,	/* "010": octal to C, decimal to others */
	VFBC_TP_NUM_NO_HEX_DIGIT,	/* "0x" */
	VFBC_TP_NUM_NOT_A_NUMBER,	/* any other character */
	VFBC_TP_NUM_TOO_BIG,		/* above the field's largest value */
	VFBC_TP_BYTES_TOO_MANY,		/* byte lists: more bytes than the command takes */
	VFBC_TP_PAIR_NO_COLON,		/* pair lists: an item that is not <vf>:<mask> */
};

/** Whether @p c ends a command for cmdline: the line's end or a comment. */
static inline int
vfbc_tp_end_of_command(char c)
{
	return c == '\0' || c == '\n' || c == '\r' || c == '#';
}

/** Length of the word at @p s: up to a blank or the end of the token. */
size_t vfbc_tp_word_len(const char *s);

/* Longest piece of a bad word quoted in a message. */
#define VFBC_TP_WORD_SHOWN	64

/**
 * Scan @p len characters of @p s: "0", decimal without a leading zero, or
 * 0x hex; no sign, no blank. @return a vfbc_tp_num_status; the value in
 * @p val when it is VFBC_TP_NUM_OK.
 */
int vfbc_tp_num_scan(const char *s, size_t len, uint64_t max, uint64_t *val);
/** What is wrong, as the end of a sentence about the word: "has a sign: ...". */
void vfbc_tp_num_why(int status, uint64_t max, char *buf, size_t size);

/** vfbc_tp_num_scan() for callers that need no reason: 0, -EINVAL, or -ERANGE above @p max. */
int vfbc_tp_parse_u32(const char *s, size_t len, uint32_t max, uint32_t *val);
int vfbc_tp_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *val);

/*
 * Byte lists: the rest of the command, each word a byte (decimal or 0x
 * hex, 0..0xff), 1 to the token's max of them (cmdline_num.c).
 */
#define VFBC_TP_BYTES_MAX	4096	/**< The largest list: a whole config space. */

struct vfbc_tp_bytes {
	uint32_t count;
	uint8_t bytes[VFBC_TP_BYTES_MAX];
};

struct vfbc_tp_token_bytes {
	struct cmdline_token_hdr hdr;
	uint32_t max;			/**< At most this many, <= VFBC_TP_BYTES_MAX. */
};

extern struct cmdline_token_ops vfbc_tp_token_bytes_ops;

/** A vfbc_tp_token_bytes storing a struct vfbc_tp_bytes at @p field. */
#define VFBC_TP_TOKEN_BYTES_INITIALIZER(structure, field, maximum) \
{ \
	.hdr = { \
		.ops = &vfbc_tp_token_bytes_ops, \
		.offset = offsetof(structure, field), \
	}, \
	.max = maximum, \
}

/* Which byte of a list is wrong, and how. */
struct vfbc_tp_bytes_problem {
	int status;			/**< enum vfbc_tp_num_status */
	uint32_t index;			/**< 0 for the first byte */
	const char *word;		/**< The bad word, not NUL terminated. */
	size_t len;
};

/**
 * Scan the bytes at @p s up to the end of the command, at most @p max.
 * @return the characters taken, or -1 with the first problem in @p why
 * (if not NULL). @p out may be NULL.
 */
int vfbc_tp_bytes_scan(const char *s, uint32_t max, struct vfbc_tp_bytes *out,
		struct vfbc_tp_bytes_problem *why);
/** The problem as a message: "byte 2 ('zz') is not a number (decimal or 0x hex)". */
void vfbc_tp_bytes_why(const struct vfbc_tp_bytes_problem *p, uint32_t max, char *buf,
		size_t size);

/*
 * Lists of VF:mask pairs, one word, the pairs separated by commas:
 * "0:0x3,7:1" (cmdline_num.c). The VF is a 32-bit number (the action says
 * which are out of range), the mask a 64-bit one (the action refuses 0).
 */
#define VFBC_TP_PAIRS_MAX	256	/**< The most pairs: a channel's VFs. */

struct vfbc_tp_pairs {
	uint32_t count;
	uint32_t vf[VFBC_TP_PAIRS_MAX];
	uint64_t mask[VFBC_TP_PAIRS_MAX];
};

struct vfbc_tp_token_pairs {
	struct cmdline_token_hdr hdr;
};

extern struct cmdline_token_ops vfbc_tp_token_pairs_ops;

/** A vfbc_tp_token_pairs storing a struct vfbc_tp_pairs at @p field. */
#define VFBC_TP_TOKEN_PAIRS_INITIALIZER(structure, field) \
{ \
	.hdr = { \
		.ops = &vfbc_tp_token_pairs_ops, \
		.offset = offsetof(structure, field), \
	}, \
}

/* Which pair of a list is wrong, and how. */
struct vfbc_tp_pairs_problem {
	int status;			/**< enum vfbc_tp_num_status */
	uint32_t index;			/**< 0 for the first pair */
	const char *word;		/**< The bad pair or number, not NUL terminated. */
	size_t len;
	uint64_t max;			/**< The largest value of the bad number. */
};

/**
 * Scan the pair list at @p s (one word). @return the characters taken, or
 * -1 with the first problem in @p why (if not NULL). @p out may be NULL.
 */
int vfbc_tp_pairs_scan(const char *s, struct vfbc_tp_pairs *out,
		struct vfbc_tp_pairs_problem *why);
/** The problem as a message: "pair 2 ('3') is not <vf>:<mask>". */
void vfbc_tp_pairs_why(const struct vfbc_tp_pairs_problem *p, char *buf, size_t size);

/**
 * Why @p line does not parse in @p ctx, as one message: the word that is
 * wrong and what was expected there, or what is missing or extra. For
 * lines cmdline_parse() rejected.
 *
 * @return 1 if the message names a bad byte of a list and reads alone
 * ("byte 2 (0x1ff) out of range (0..0xff)"), 0 if it is about the line.
 */
int vfbc_tp_explain(cmdline_parse_ctx_t *ctx, const char *line, char *buf, size_t size);

/* Reporting (util.c). */
/** Print "Error: <message>" as one line and count it. */
void vfbc_tp_error(const char *fmt, ...) __rte_format_printf(1, 2);
/** @return the number of errors reported so far. */
unsigned int vfbc_tp_error_count(void);
/**
 * Print one line from a thread other than the console's, whole, between
 * commands. It is queued for the printer thread and the caller goes on;
 * without a printer it is printed at once.
 */
void vfbc_tp_async_line(const char *fmt, ...) __rte_format_printf(1, 2);
/** Start the printer thread of vfbc_tp_async_line(). @return 0 or a negative errno. */
int vfbc_tp_async_start(void);
/** Print what is queued, stop the printer. */
void vfbc_tp_async_stop(void);
/** Hex dump, 16 bytes a line, each line starting with its offset. */
void vfbc_tp_hex_dump(uint32_t offset, const uint8_t *bytes, uint32_t length);
/** "s" unless @p n is 1. */
const char *vfbc_tp_plural(uint64_t n);
/** @p ms from now on CLOCK_MONOTONIC: the deadline of a wait on a condition of that clock. */
struct timespec vfbc_tp_deadline(uint32_t ms);

/* Port actions (config.c). */
int vfbc_tp_port_check(uint32_t port_id);
int vfbc_tp_port_infos_display(uint32_t port_id);
int vfbc_tp_port_stats_display(uint32_t port_id);
int vfbc_tp_port_xstats_display(uint32_t port_id);
int vfbc_tp_port_start(uint32_t port_id);
int vfbc_tp_port_stop(uint32_t port_id);
/** rte_eth_dev_reset(); on a VF port, it claims the VF again. */
int vfbc_tp_port_reset(uint32_t port_id);
void vfbc_tp_ports_close(void);

/* PF services on VFs (vf_config.c). */
#define VFBC_TP_VF_MAX_BYTES 4096	/**< Largest VF configuration space. */

#define VFBC_TP_NO_VF	UINT32_MAX	/**< vf_id of a failure about no VF. */
#define VFBC_TP_SECRET_MAX 64	/**< Longest VF socket secret (vfbc_pf_vf_set_secret()). */

/** Report the failure of a PF API call, in the terms of command @p what. */
int vfbc_tp_vf_fail(const char *what, uint32_t port_id, uint32_t vf_id, int ret);
/** Check that @p port_id is a PF port here. @return the number of VFs, or < 0. */
int vfbc_tp_pf_check(const char *what, uint32_t port_id);
/** Check that VF @p vf_id of PF port @p port_id is enabled. @return 0 or < 0. */
int vfbc_tp_vf_check(const char *what, uint32_t port_id, uint32_t vf_id);
int vfbc_tp_vf_list_display(uint32_t port_id);
int vfbc_tp_vf_sriov_display(uint32_t port_id);
int vfbc_tp_vf_location_display(uint32_t port_id, uint32_t vf_id);
int vfbc_tp_vf_probed_bars_display(uint32_t port_id, uint32_t vf_id);
int vfbc_tp_vf_bus_data_display(uint32_t port_id, uint32_t vf_id, uint32_t offset,
		uint32_t length);
int vfbc_tp_vf_bus_data_write(uint32_t port_id, uint32_t vf_id, uint32_t offset,
		const uint8_t *bytes, uint32_t length);
int vfbc_tp_vf_num_set(uint32_t port_id, uint32_t num_vfs);
int vfbc_tp_vf_reset(uint32_t port_id, uint32_t vf_id);
int vfbc_tp_vf_power_set(uint32_t port_id, uint32_t vf_id, const char *state, int wake);
/** "D0" .. "D3hot". */
const char *vfbc_tp_power_label(unsigned int d_state);
/** Set VF @p vf_id's socket secret, or remove it when @p secret is NULL. */
int vfbc_tp_vf_secret_set(uint32_t port_id, uint32_t vf_id, const char *secret);

/* PF mailbox: the request service and its verdicts (mbox_service.c). */
/**
 * In a primary: register the event callbacks (requests, consumers), start
 * servicing VF requests.
 */
int vfbc_tp_mbox_start(void);
/** Stop servicing (before the ports are closed). */
void vfbc_tp_mbox_stop(void);
int vfbc_tp_verdict_mode_set(uint32_t port_id, const char *mode);
/** Answer the request waiting in "ask" mode: non-zero accepts. */
int vfbc_tp_verdict_answer(int accept);

/* PF mailbox: blocks and invalidations (mbox_config.c). */
int vfbc_tp_pf_block_set(uint32_t port_id, uint32_t vf_id, uint32_t block_id,
		const uint8_t *bytes, uint32_t length);
int vfbc_tp_pf_block_display(uint32_t port_id, uint32_t vf_id, uint32_t block_id);
int vfbc_tp_pf_invalidate(uint32_t port_id, uint32_t vf_id, uint64_t mask);
/** "invalidate ... all": every enabled VF of the port. */
int vfbc_tp_pf_invalidate_all(uint32_t port_id, uint64_t mask);
/** Invalidate each listed VF with its mask, in one call; nothing if any pair is wrong. */
int vfbc_tp_pf_invalidate_bulk(uint32_t port_id, const struct vfbc_tp_pairs *pairs);

/* VF side: invalidations, life events and their record (vf_events.c). */
/** Register callbacks on the VF ports this process claims, start polling them. */
int vfbc_tp_vf_events_start(void);
void vfbc_tp_vf_events_stop(void);
int vfbc_tp_vf_events_display(uint32_t port_id);
int vfbc_tp_vf_invalidate_wait(uint32_t port_id, uint32_t timeout_ms);
/* "wait vf invalidate ... spin": the console delivers, by vfbc_vf_poll_wait(). */
int vfbc_tp_vf_invalidate_poll_wait(uint32_t port_id, uint32_t timeout_ms, uint32_t spin_us);
/* "set vf sleep": the port's invalidations from EAL's interrupt thread, no polling. */
int vfbc_tp_vf_sleep(uint32_t port_id, int on);
/**
 * Wait for the next life event no wait returned, of @p kind (reset,
 * removal, link-up, link-down; NULL: any); those passed over count as
 * returned once it is found.
 */
int vfbc_tp_vf_event_wait(uint32_t port_id, uint32_t timeout_ms, const char *kind);
/**
 * Report rte_eth_dev_reset() of VF port @p port_id, which returned @p ret
 * (the failure in the terms of command @p what); a port claimed here for
 * the first time is watched from now on. @return 0 or a negative errno.
 */
int vfbc_tp_vf_reset_report(const char *what, uint32_t port_id, int ret);

/* VF side: blocks and config space through the PF (vf_side_config.c). */
/** Check that @p port_id is a net_vfbc_vf port. @return 0 or < 0. */
int vfbc_tp_vf_port_check(const char *what, uint32_t port_id);
/** Report why a VF API call failed, in the terms of command @p what. @return @p ret. */
int vfbc_tp_vf_side_fail(const char *what, uint32_t port_id, int ret);
int vfbc_tp_vf_block_read(uint32_t port_id, uint32_t block_id);
int vfbc_tp_vf_block_write(uint32_t port_id, uint32_t block_id, const uint8_t *bytes,
		uint32_t length);
int vfbc_tp_vf_bus_read(uint32_t port_id, uint32_t offset, uint32_t length);
int vfbc_tp_vf_bus_write(uint32_t port_id, uint32_t offset, const uint8_t *bytes,
		uint32_t length);

#endif /* _VFBC_TESTPMD_H_ */
