/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The command line: generic commands (help, quit), port commands, the list
 * of command families, and the two ways to run commands (console, script).
 * Parsed callbacks only unpack their tokens and call the actions.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_ethdev.h>

#include "vfbc_testpmd.h"

/* Each family is one file of commands; a new family is one more line here. */
static const struct vfbc_tp_cmd_family * const vfbc_tp_families[] = {
	&vfbc_tp_port_family,
	&vfbc_tp_vf_family,
	&vfbc_tp_mbox_family,
	&vfbc_tp_vf_side_family,
};

static cmdline_parse_ctx_t *vfbc_tp_main_ctx;
static char *vfbc_tp_help_sections;
static int vfbc_tp_quit;

int
vfbc_tp_quit_requested(void)
{
	return vfbc_tp_quit;
}

/* *** quit *** */
struct cmd_quit_result {
	cmdline_fixed_string_t quit;
};

static void
cmd_quit_parsed(__rte_unused void *parsed_result, struct cmdline *cl,
		__rte_unused void *data)
{
	vfbc_tp_quit = 1;
	cmdline_quit(cl);
}

static cmdline_parse_token_string_t cmd_quit_quit =
	TOKEN_STRING_INITIALIZER(struct cmd_quit_result, quit, "quit");

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.data = NULL,
	.help_str = "quit: exit the application",
	.tokens = {
		(void *)&cmd_quit_quit,
		NULL,
	},
};

/* *** help [<section>] *** */
struct cmd_help_result {
	cmdline_fixed_string_t help;
	cmdline_fixed_string_t section;
};

static void
vfbc_tp_help_display(const char *section)
{
	const struct vfbc_tp_cmd_family *fam;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vfbc_tp_families); i++) {
		fam = vfbc_tp_families[i];
		if (section == NULL) {
			printf("  help %-8s %s\n", fam->name, fam->summary);
		} else if (strcmp(section, fam->name) == 0) {
			printf("%s\n%s", fam->summary, fam->help);
			return;
		}
	}
	if (section == NULL) {
		printf("  help          this list\n"
		       "  quit          exit\n"
		       "Numbers are decimal (no leading 0) or 0x hex. Tab completes, '?'"
		       " shows the arguments.\n");
		return;
	}
	vfbc_tp_error("no help section '%s'", section);
}

static void
cmd_help_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_help_result *res = parsed_result;

	vfbc_tp_help_display(res->section[0] != '\0' ? res->section : NULL);
}

static cmdline_parse_token_string_t cmd_help_help =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, help, "help");
/* Its choices, the family names, are filled in at start. */
static cmdline_parse_token_string_t cmd_help_section =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, section, NULL);

static cmdline_parse_inst_t cmd_help_all = {
	.f = cmd_help_parsed,
	.data = NULL,
	.help_str = "help: list the help sections",
	.tokens = {
		(void *)&cmd_help_help,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_help_one = {
	.f = cmd_help_parsed,
	.data = NULL,
	.help_str = "help <section>: the commands of a section",
	.tokens = {
		(void *)&cmd_help_help,
		(void *)&cmd_help_section,
		NULL,
	},
};

static cmdline_parse_inst_t * const vfbc_tp_generic_cmds[] = {
	&cmd_help_all,
	&cmd_help_one,
	&cmd_quit,
	NULL,
};

/* *** show port info|stats|xstats <port> *** */
struct cmd_showport_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t port;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t all;
	uint32_t port_id;
};

static void
vfbc_tp_showport(const char *what, uint32_t port_id)
{
	if (strcmp(what, "info") == 0)
		vfbc_tp_port_infos_display(port_id);
	else if (strcmp(what, "stats") == 0)
		vfbc_tp_port_stats_display(port_id);
	else
		vfbc_tp_port_xstats_display(port_id);
}

static void
cmd_showport_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_showport_result *res = parsed_result;

	vfbc_tp_showport(res->what, res->port_id);
}

static void
cmd_showport_all_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_showport_result *res = parsed_result;
	uint16_t pid;

	if (rte_eth_dev_count_avail() == 0)
		printf("No ports\n");
	RTE_ETH_FOREACH_DEV(pid)
		vfbc_tp_showport(res->what, pid);
}

static cmdline_parse_token_string_t cmd_showport_show =
	TOKEN_STRING_INITIALIZER(struct cmd_showport_result, show, "show");
static cmdline_parse_token_string_t cmd_showport_port =
	TOKEN_STRING_INITIALIZER(struct cmd_showport_result, port, "port");
static cmdline_parse_token_string_t cmd_showport_what =
	TOKEN_STRING_INITIALIZER(struct cmd_showport_result, what, "info#stats#xstats");
static cmdline_parse_token_string_t cmd_showport_what_all =
	TOKEN_STRING_INITIALIZER(struct cmd_showport_result, what, "info#stats");
static cmdline_parse_token_string_t cmd_showport_all =
	TOKEN_STRING_INITIALIZER(struct cmd_showport_result, all, "all");
static struct vfbc_tp_token_num cmd_showport_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_showport_result, port_id, "port");

static cmdline_parse_inst_t cmd_showport = {
	.f = cmd_showport_parsed,
	.data = NULL,
	.help_str = "show port info|stats|xstats <port>: port information and counters",
	.tokens = {
		(void *)&cmd_showport_show,
		(void *)&cmd_showport_port,
		(void *)&cmd_showport_what,
		(void *)&cmd_showport_port_id,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_showport_all_ports = {
	.f = cmd_showport_all_parsed,
	.data = NULL,
	.help_str = "show port info|stats all: information and counters of every port",
	.tokens = {
		(void *)&cmd_showport_show,
		(void *)&cmd_showport_port,
		(void *)&cmd_showport_what_all,
		(void *)&cmd_showport_all,
		NULL,
	},
};

/* *** port start|stop <port>|all *** */
struct cmd_operate_port_result {
	cmdline_fixed_string_t port;
	cmdline_fixed_string_t name;
	cmdline_fixed_string_t all;
	uint32_t port_id;
};

static void
vfbc_tp_operate_port(const char *name, uint32_t port_id)
{
	if (strcmp(name, "start") == 0)
		vfbc_tp_port_start(port_id);
	else
		vfbc_tp_port_stop(port_id);
}

static void
cmd_operate_port_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_operate_port_result *res = parsed_result;

	vfbc_tp_operate_port(res->name, res->port_id);
}

static void
cmd_operate_port_all_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_operate_port_result *res = parsed_result;
	uint16_t pid;

	if (rte_eth_dev_count_avail() == 0)
		printf("No ports\n");
	RTE_ETH_FOREACH_DEV(pid)
		vfbc_tp_operate_port(res->name, pid);
}

static cmdline_parse_token_string_t cmd_operate_port_port =
	TOKEN_STRING_INITIALIZER(struct cmd_operate_port_result, port, "port");
static cmdline_parse_token_string_t cmd_operate_port_name =
	TOKEN_STRING_INITIALIZER(struct cmd_operate_port_result, name, "start#stop");
static cmdline_parse_token_string_t cmd_operate_port_all =
	TOKEN_STRING_INITIALIZER(struct cmd_operate_port_result, all, "all");
static struct vfbc_tp_token_num cmd_operate_port_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_operate_port_result, port_id, "port");

static cmdline_parse_inst_t cmd_operate_port = {
	.f = cmd_operate_port_parsed,
	.data = NULL,
	.help_str = "port start|stop <port>: start (configuring it the first time) or stop a port",
	.tokens = {
		(void *)&cmd_operate_port_port,
		(void *)&cmd_operate_port_name,
		(void *)&cmd_operate_port_port_id,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_operate_port_all_ports = {
	.f = cmd_operate_port_all_parsed,
	.data = NULL,
	.help_str = "port start|stop all: start or stop every port",
	.tokens = {
		(void *)&cmd_operate_port_port,
		(void *)&cmd_operate_port_name,
		(void *)&cmd_operate_port_all,
		NULL,
	},
};

/* *** port reset <port> *** */
struct cmd_reset_port_result {
	cmdline_fixed_string_t port;
	cmdline_fixed_string_t reset;
	uint32_t port_id;
};

static void
cmd_reset_port_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_reset_port_result *res = parsed_result;

	vfbc_tp_port_reset(res->port_id);
}

static cmdline_parse_token_string_t cmd_reset_port_port =
	TOKEN_STRING_INITIALIZER(struct cmd_reset_port_result, port, "port");
static cmdline_parse_token_string_t cmd_reset_port_reset =
	TOKEN_STRING_INITIALIZER(struct cmd_reset_port_result, reset, "reset");
static struct vfbc_tp_token_num cmd_reset_port_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_reset_port_result, port_id, "port");

static cmdline_parse_inst_t cmd_reset_port = {
	.f = cmd_reset_port_parsed,
	.data = NULL,
	.help_str = "port reset <port>: reset a stopped port (a VF port: claim the VF again)",
	.tokens = {
		(void *)&cmd_reset_port_port,
		(void *)&cmd_reset_port_reset,
		(void *)&cmd_reset_port_port_id,
		NULL,
	},
};

static cmdline_parse_inst_t * const vfbc_tp_port_cmds[] = {
	&cmd_showport,
	&cmd_showport_all_ports,
	&cmd_operate_port,
	&cmd_operate_port_all_ports,
	&cmd_reset_port,
	NULL,
};

const struct vfbc_tp_cmd_family vfbc_tp_port_family = {
	.name = "port",
	.summary = "Ports (testpmd's port commands):",
	.help =
		"  show port info <port>|all     device, driver, link, queues\n"
		"  show port stats <port>|all    basic counters\n"
		"  show port xstats <port>       extended counters\n"
		"  port start <port>|all         configure (first time: 1 Rx and 1 Tx"
		" queue) and start\n"
		"  port stop <port>|all          stop\n"
		"  port reset <port>             reset (a VF port after a reset event:"
		" claim the VF again)\n",
	.cmds = vfbc_tp_port_cmds,
};

/* *** the command list and the sessions *** */
static unsigned int
vfbc_tp_count_cmds(cmdline_parse_inst_t * const *cmds)
{
	unsigned int n;

	for (n = 0; cmds[n] != NULL; n++)
		;
	return n;
}

static unsigned int
vfbc_tp_add_cmds(unsigned int pos, cmdline_parse_inst_t * const *cmds)
{
	unsigned int i;

	for (i = 0; cmds[i] != NULL; i++)
		vfbc_tp_main_ctx[pos++] = cmds[i];
	return pos;
}

int
vfbc_tp_cmdline_init(void)
{
	unsigned int count;
	unsigned int i;
	size_t len;

	count = vfbc_tp_count_cmds(vfbc_tp_generic_cmds);
	len = 1;
	for (i = 0; i < RTE_DIM(vfbc_tp_families); i++) {
		count += vfbc_tp_count_cmds(vfbc_tp_families[i]->cmds);
		len += strlen(vfbc_tp_families[i]->name) + 1;
	}
	vfbc_tp_main_ctx = calloc(count + 1, sizeof(*vfbc_tp_main_ctx));
	vfbc_tp_help_sections = calloc(1, len);
	if (vfbc_tp_main_ctx == NULL || vfbc_tp_help_sections == NULL) {
		vfbc_tp_cmdline_fini();
		return -ENOMEM;
	}
	count = vfbc_tp_add_cmds(0, vfbc_tp_generic_cmds);
	for (i = 0; i < RTE_DIM(vfbc_tp_families); i++) {
		count = vfbc_tp_add_cmds(count, vfbc_tp_families[i]->cmds);
		if (i > 0)
			strcat(vfbc_tp_help_sections, "#");
		strcat(vfbc_tp_help_sections, vfbc_tp_families[i]->name);
	}
	vfbc_tp_main_ctx[count] = NULL;
	cmd_help_section.string_data.str = vfbc_tp_help_sections;
	return 0;
}

void
vfbc_tp_cmdline_fini(void)
{
	free(vfbc_tp_main_ctx);
	vfbc_tp_main_ctx = NULL;
	free(vfbc_tp_help_sections);
	vfbc_tp_help_sections = NULL;
}

cmdline_parse_ctx_t *
vfbc_tp_cmdline_ctx(void)
{
	return vfbc_tp_main_ctx;
}

/* Length of the line without its end-of-line characters. */
static int
vfbc_tp_line_len(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	return (int)len;
}

/*
 * cmdline reads a line up to its first NUL byte or carriage return and
 * drops the rest without a word, and ends a command at a '#' even inside
 * a word ("0x10#2" is 0x10). Such lines are refused whole, as are other
 * control bytes, so that what runs is what the user sees. @return the
 * column (from 1) of the first such byte, 0 if there is none.
 */
static int
vfbc_tp_line_scan(const char *line, int len)
{
	unsigned char c;
	int i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)line[i];
		if (c != '\t' && (c < 0x20 || c == 0x7f))
			return i + 1;
	}
	for (i = 0; i < len && line[i] != '#'; i++)
		;
	if (i < len && i > 0 && line[i - 1] != ' ' && line[i - 1] != '\t')
		return i + 1;
	return 0;
}

/* Report the byte vfbc_tp_line_scan() found at column @p col. */
static void
vfbc_tp_line_refused(const char *line, int col, unsigned int lineno)
{
	unsigned char c = (unsigned char)line[col - 1];
	char where[32];

	where[0] = '\0';
	if (lineno > 0)
		snprintf(where, sizeof(where), "line %u: ", lineno);
	if (c == '\0')
		vfbc_tp_error("%sNUL byte at column %d: the line is not run", where, col);
	else if (c == '\r')
		vfbc_tp_error("%scarriage return at column %d: the line is not run", where, col);
	else if (c == '#')
		vfbc_tp_error("%s'#' at column %d is inside a word: a comment starts after a blank",
				where, col);
	else
		vfbc_tp_error("%scontrol character 0x%02x at column %d: the line is not run",
				where, c, col);
}

/* The echo of a script line: bytes that are not printed as they are, in \x hex. */
static void
vfbc_tp_echo(const char *line, int len)
{
	unsigned char c;
	int i;

	fputs(VFBC_TP_PROMPT, stdout);
	for (i = 0; i < len; i++) {
		c = (unsigned char)line[i];
		if (c == '\t' || (c >= 0x20 && c != 0x7f))
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	putchar('\n');
}

static int
vfbc_tp_line_blank(const char *line, int len)
{
	int i;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	return i == len || line[i] == '#';
}

/* Report a line cmdline_parse() rejected with @p ret, naming the problem. */
static void
vfbc_tp_line_rejected(const char *line, int len, int ret)
{
	char why[512];

	switch (ret) {
	case CMDLINE_PARSE_AMBIGUOUS:
		vfbc_tp_error("ambiguous command: %.*s", len, line);
		break;
	case CMDLINE_PARSE_NOMATCH:
		vfbc_tp_error("unknown command: %.*s (try help)", len, line);
		break;
	default:
		/* Byte errors kept the words scripts and the demo know. */
		if (vfbc_tp_explain(vfbc_tp_main_ctx, line, why, sizeof(why)))
			vfbc_tp_error("%s", why);
		else
			vfbc_tp_error("bad arguments: %.*s: %s", len, line, why);
		break;
	}
}

int
vfbc_tp_line_run(struct cmdline *cl, const char *line, size_t n, unsigned int lineno)
{
	int len;
	int col;
	int ret;

	len = vfbc_tp_line_len(line, n);
	if (vfbc_tp_params.echo && len > 0)
		vfbc_tp_echo(line, len);
	col = vfbc_tp_line_scan(line, len);
	if (col > 0) {
		vfbc_tp_line_refused(line, col, lineno);
		return VFBC_TP_LINE_REFUSED;
	}
	if (vfbc_tp_line_blank(line, len))
		return VFBC_TP_LINE_EMPTY;
	ret = cmdline_parse(cl, line);
	if (ret > 0)
		return VFBC_TP_LINE_RUN;
	vfbc_tp_line_rejected(line, len, ret);
	return VFBC_TP_LINE_REJECTED;
}

void
vfbc_tp_run_script(FILE *f)
{
	unsigned int lineno;
	struct cmdline *cl;
	size_t cap;
	ssize_t n;
	char *line;
	char *tmp;

	/* No input or output descriptors: lines are handed over one by one. */
	cl = cmdline_new(vfbc_tp_main_ctx, VFBC_TP_PROMPT, -1, -1);
	if (cl == NULL) {
		vfbc_tp_error("cannot create a command line context");
		return;
	}
	line = NULL;
	cap = 0;
	lineno = 0;
	while (!vfbc_tp_quit && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		/* cmdline runs only complete lines: end the last one. */
		if (n == 0 || line[n - 1] != '\n') {
			tmp = realloc(line, n + 2);
			if (tmp == NULL) {
				vfbc_tp_error("out of memory reading commands");
				break;
			}
			line = tmp;
			cap = n + 2;
			line[n++] = '\n';
			line[n] = '\0';
		}
		/* The command's output is one piece: see vfbc_tp_async_line(). */
		flockfile(stdout);
		vfbc_tp_line_run(cl, line, n, lineno);
		funlockfile(stdout);
	}
	free(line);
	cmdline_free(cl);
}

/*
 * On the console, a line that would not run is reported here, as in a
 * script, instead of by cmdline's bare "Bad arguments". @return 1 if the
 * line was refused (and a new one started), 0 to let cmdline run it.
 */
static int
vfbc_tp_console_refuse(struct cmdline *cl)
{
	struct rdline *rdl;
	const char *buf;
	int len;
	int col;
	int ret;

	rdl = cmdline_get_rdline(cl);
	buf = rdl != NULL ? rdline_get_buffer(rdl) : NULL;
	if (buf == NULL)
		return 0;
	len = vfbc_tp_line_len(buf, strlen(buf));
	if (vfbc_tp_line_blank(buf, len))
		return 0;
	col = vfbc_tp_line_scan(buf, len);
	ret = col > 0 ? CMDLINE_PARSE_BAD_ARGS : cmdline_parse_check(cl, buf);
	if (ret > 0)
		return 0;
	/* What cmdline does with a line, but for our message. */
	printf("\n");
	if (col > 0)
		vfbc_tp_line_refused(buf, col, 0);
	else
		vfbc_tp_line_rejected(buf, len, ret);
	fflush(stdout);
	rdline_add_history(rdl, buf);
	rdline_newline(rdl, VFBC_TP_PROMPT);
	return 1;
}

void
vfbc_tp_prompt(void)
{
	struct cmdline *cl;
	ssize_t n;
	int ret;
	char c;

	cl = cmdline_stdin_new(vfbc_tp_main_ctx, VFBC_TP_PROMPT);
	if (cl == NULL) {
		vfbc_tp_error("cannot create the console");
		return;
	}
	/*
	 * cmdline_interact(), with the stdout lock held while a character is
	 * handled: the command it may complete prints in one piece.
	 */
	for (;;) {
		n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		flockfile(stdout);
		ret = 0;
		if ((c != '\n' && c != '\r') || !vfbc_tp_console_refuse(cl))
			ret = cmdline_in(cl, &c, 1);
		fflush(stdout);
		funlockfile(stdout);
		if (ret < 0 || vfbc_tp_quit)
			break;
	}
	cmdline_stdin_exit(cl);
	printf("\n");
}
