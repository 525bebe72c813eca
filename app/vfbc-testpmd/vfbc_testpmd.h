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
 * vf_config.c (PF services) act, print the result, and report every problem
 * as one line starting with "Error:".
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <cmdline_parse.h>

#define VFBC_TP_PROMPT "vfbc-testpmd> "

/* Options after "--" (parameters.c). */
struct vfbc_tp_params {
	int interactive;		/**< -i: a console after any command file. */
	int echo;			/**< --echo: print scripted commands. */
	const char *cmdline_file;	/**< --cmdline-file FILE. */
};

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

/* Sessions (cmdline.c). */
int vfbc_tp_cmdline_init(void);
void vfbc_tp_cmdline_fini(void);
/** Run the commands of @p f in order until its end or "quit". */
void vfbc_tp_run_script(FILE *f);
/** Interactive console on the terminal until "quit" or end of input. */
void vfbc_tp_prompt(void);
/** @return non-zero once "quit" was run. */
int vfbc_tp_quit_requested(void);

/* Number tokens: decimal or 0x hex, up to UINT32_MAX (cmdline_num.c). */
struct vfbc_tp_token_num {
	struct cmdline_token_hdr hdr;
	const char *name;		/**< What the number is, for the help. */
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
}

/**
 * Parse @p len characters of @p s as decimal or 0x hex; no sign, no octal.
 *
 * @return 0, -EINVAL when it is not a number, -ERANGE above @p max.
 */
int vfbc_tp_parse_u32(const char *s, size_t len, uint32_t max, uint32_t *val);

/* Reporting (vfbc_testpmd.c). */
/** Print "Error: <message>" as one line and count it. */
void vfbc_tp_error(const char *fmt, ...) __rte_format_printf(1, 2);
/** @return the number of errors reported so far. */
unsigned int vfbc_tp_error_count(void);

/* Port actions (config.c). */
int vfbc_tp_port_check(uint32_t port_id);
int vfbc_tp_port_infos_display(uint32_t port_id);
int vfbc_tp_port_stats_display(uint32_t port_id);
int vfbc_tp_port_xstats_display(uint32_t port_id);
int vfbc_tp_port_start(uint32_t port_id);
int vfbc_tp_port_stop(uint32_t port_id);
void vfbc_tp_ports_close(void);

/* PF services on VFs (vf_config.c). */
#define VFBC_TP_VF_MAX_BYTES 4096	/**< Largest VF configuration space. */

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

#endif /* _VFBC_TESTPMD_H_ */
