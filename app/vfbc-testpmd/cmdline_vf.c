/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * PF commands on the VFs of a vfbc PF port: the NDIS PF services of
 * net_vfbc_pf (bus data, location, probed BARs, reset, power, enabling).
 * Only the primary process owns the devices; elsewhere each command says so.
 */

#include <errno.h>
#include <string.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

#include "vfbc_testpmd.h"

/* *** show vf list|sriov <port> *** */
struct cmd_show_vf_port_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t what;
	uint32_t port_id;
};

static void
cmd_show_vf_port_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_show_vf_port_result *res = parsed_result;

	if (strcmp(res->what, "list") == 0)
		vfbc_tp_vf_list_display(res->port_id);
	else
		vfbc_tp_vf_sriov_display(res->port_id);
}

static cmdline_parse_token_string_t cmd_show_vf_port_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_port_result, show, "show");
static cmdline_parse_token_string_t cmd_show_vf_port_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_port_result, vf, "vf");
static cmdline_parse_token_string_t cmd_show_vf_port_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_port_result, what, "list#sriov");
static struct vfbc_tp_token_num cmd_show_vf_port_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_port_result, port_id, "port");

static cmdline_parse_inst_t cmd_show_vf_port = {
	.f = cmd_show_vf_port_parsed,
	.data = NULL,
	.help_str = "show vf list|sriov <port>: every VF of a PF port, or its SR-IOV capability",
	.tokens = {
		(void *)&cmd_show_vf_port_show,
		(void *)&cmd_show_vf_port_vf,
		(void *)&cmd_show_vf_port_what,
		(void *)&cmd_show_vf_port_port_id,
		NULL,
	},
};

/* *** show vf location|probed-bars <port> <vf> *** */
struct cmd_show_vf_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t what;
	uint32_t port_id;
	uint32_t vf_id;
};

static void
cmd_show_vf_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_show_vf_result *res = parsed_result;

	if (strcmp(res->what, "location") == 0)
		vfbc_tp_vf_location_display(res->port_id, res->vf_id);
	else
		vfbc_tp_vf_probed_bars_display(res->port_id, res->vf_id);
}

static cmdline_parse_token_string_t cmd_show_vf_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_result, show, "show");
static cmdline_parse_token_string_t cmd_show_vf_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_result, vf, "vf");
static cmdline_parse_token_string_t cmd_show_vf_what =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_result, what, "location#probed-bars");
static struct vfbc_tp_token_num cmd_show_vf_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_result, port_id, "port");
static struct vfbc_tp_token_num cmd_show_vf_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_result, vf_id, "vf");

static cmdline_parse_inst_t cmd_show_vf = {
	.f = cmd_show_vf_parsed,
	.data = NULL,
	.help_str = "show vf location|probed-bars <port> <vf>: a VF's PCI address,"
		" or its BARs after the sizing probe",
	.tokens = {
		(void *)&cmd_show_vf_show,
		(void *)&cmd_show_vf_vf,
		(void *)&cmd_show_vf_what,
		(void *)&cmd_show_vf_port_id,
		(void *)&cmd_show_vf_vf_id,
		NULL,
	},
};

/* *** show vf bus-data <port> <vf> <offset> <length> *** */
struct cmd_show_vf_bus_data_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t bus_data;
	uint32_t port_id;
	uint32_t vf_id;
	uint32_t offset;
	uint32_t length;
};

static void
cmd_show_vf_bus_data_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_show_vf_bus_data_result *res = parsed_result;

	vfbc_tp_vf_bus_data_display(res->port_id, res->vf_id, res->offset, res->length);
}

static cmdline_parse_token_string_t cmd_show_vf_bus_data_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_bus_data_result, show, "show");
static cmdline_parse_token_string_t cmd_show_vf_bus_data_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_bus_data_result, vf, "vf");
static cmdline_parse_token_string_t cmd_show_vf_bus_data_bus_data =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_bus_data_result, bus_data, "bus-data");
static struct vfbc_tp_token_num cmd_show_vf_bus_data_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_bus_data_result, port_id, "port");
static struct vfbc_tp_token_num cmd_show_vf_bus_data_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_bus_data_result, vf_id, "vf");
static struct vfbc_tp_token_num cmd_show_vf_bus_data_offset =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_bus_data_result, offset, "offset");
static struct vfbc_tp_token_num cmd_show_vf_bus_data_length =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_bus_data_result, length, "length");

static cmdline_parse_inst_t cmd_show_vf_bus_data = {
	.f = cmd_show_vf_bus_data_parsed,
	.data = NULL,
	.help_str = "show vf bus-data <port> <vf> <offset> <length>:"
		" read a VF's configuration space",
	.tokens = {
		(void *)&cmd_show_vf_bus_data_show,
		(void *)&cmd_show_vf_bus_data_vf,
		(void *)&cmd_show_vf_bus_data_bus_data,
		(void *)&cmd_show_vf_bus_data_port_id,
		(void *)&cmd_show_vf_bus_data_vf_id,
		(void *)&cmd_show_vf_bus_data_offset,
		(void *)&cmd_show_vf_bus_data_length,
		NULL,
	},
};

/* *** set vf bus-data <port> <vf> <offset> <byte> [<byte>...] *** */
struct cmd_set_vf_bus_data_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t bus_data;
	uint32_t port_id;
	uint32_t vf_id;
	uint32_t offset;
	struct vfbc_tp_bytes bytes;
};

static void
cmd_set_vf_bus_data_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_set_vf_bus_data_result *res = parsed_result;

	vfbc_tp_vf_bus_data_write(res->port_id, res->vf_id, res->offset, res->bytes.bytes,
			res->bytes.count);
}

static cmdline_parse_token_string_t cmd_set_vf_bus_data_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_bus_data_result, set, "set");
static cmdline_parse_token_string_t cmd_set_vf_bus_data_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_bus_data_result, vf, "vf");
static cmdline_parse_token_string_t cmd_set_vf_bus_data_bus_data =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_bus_data_result, bus_data, "bus-data");
static struct vfbc_tp_token_num cmd_set_vf_bus_data_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_bus_data_result, port_id, "port");
static struct vfbc_tp_token_num cmd_set_vf_bus_data_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_bus_data_result, vf_id, "vf");
static struct vfbc_tp_token_num cmd_set_vf_bus_data_offset =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_bus_data_result, offset, "offset");
static struct vfbc_tp_token_bytes cmd_set_vf_bus_data_bytes =
	VFBC_TP_TOKEN_BYTES_INITIALIZER(struct cmd_set_vf_bus_data_result, bytes,
			VFBC_TP_VF_MAX_BYTES);

static cmdline_parse_inst_t cmd_set_vf_bus_data = {
	.f = cmd_set_vf_bus_data_parsed,
	.data = NULL,
	.help_str = "set vf bus-data <port> <vf> <offset> <byte> [<byte>...]:"
		" write a VF's configuration space",
	.tokens = {
		(void *)&cmd_set_vf_bus_data_set,
		(void *)&cmd_set_vf_bus_data_vf,
		(void *)&cmd_set_vf_bus_data_bus_data,
		(void *)&cmd_set_vf_bus_data_port_id,
		(void *)&cmd_set_vf_bus_data_vf_id,
		(void *)&cmd_set_vf_bus_data_offset,
		(void *)&cmd_set_vf_bus_data_bytes,
		NULL,
	},
};

/* *** set vf num <port> <n> *** */
struct cmd_set_vf_num_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t num;
	uint32_t port_id;
	uint32_t num_vfs;
};

static void
cmd_set_vf_num_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_set_vf_num_result *res = parsed_result;

	vfbc_tp_vf_num_set(res->port_id, res->num_vfs);
}

static cmdline_parse_token_string_t cmd_set_vf_num_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_num_result, set, "set");
static cmdline_parse_token_string_t cmd_set_vf_num_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_num_result, vf, "vf");
static cmdline_parse_token_string_t cmd_set_vf_num_num =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_num_result, num, "num");
static struct vfbc_tp_token_num cmd_set_vf_num_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_num_result, port_id, "port");
static struct vfbc_tp_token_num cmd_set_vf_num_num_vfs =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_num_result, num_vfs, "n");

static cmdline_parse_inst_t cmd_set_vf_num = {
	.f = cmd_set_vf_num_parsed,
	.data = NULL,
	.help_str = "set vf num <port> <n>: enable n VFs, or disable them with 0",
	.tokens = {
		(void *)&cmd_set_vf_num_set,
		(void *)&cmd_set_vf_num_vf,
		(void *)&cmd_set_vf_num_num,
		(void *)&cmd_set_vf_num_port_id,
		(void *)&cmd_set_vf_num_num_vfs,
		NULL,
	},
};

/* *** set vf power <port> <vf> d0|d1|d2|d3hot [wake] *** */
struct cmd_set_vf_power_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t power;
	uint32_t port_id;
	uint32_t vf_id;
	cmdline_fixed_string_t state;
	cmdline_fixed_string_t wake;
};

static void
cmd_set_vf_power_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_set_vf_power_result *res = parsed_result;

	vfbc_tp_vf_power_set(res->port_id, res->vf_id, res->state, res->wake[0] != '\0');
}

static cmdline_parse_token_string_t cmd_set_vf_power_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_power_result, set, "set");
static cmdline_parse_token_string_t cmd_set_vf_power_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_power_result, vf, "vf");
static cmdline_parse_token_string_t cmd_set_vf_power_power =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_power_result, power, "power");
static struct vfbc_tp_token_num cmd_set_vf_power_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_power_result, port_id, "port");
static struct vfbc_tp_token_num cmd_set_vf_power_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_power_result, vf_id, "vf");
static cmdline_parse_token_string_t cmd_set_vf_power_state =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_power_result, state, "d0#d1#d2#d3hot");
static cmdline_parse_token_string_t cmd_set_vf_power_sleep_state =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_power_result, state, "d1#d2#d3hot");
static cmdline_parse_token_string_t cmd_set_vf_power_wake =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_power_result, wake, "wake");

static cmdline_parse_inst_t cmd_set_vf_power = {
	.f = cmd_set_vf_power_parsed,
	.data = NULL,
	.help_str = "set vf power <port> <vf> d0|d1|d2|d3hot: set a VF's power state",
	.tokens = {
		(void *)&cmd_set_vf_power_set,
		(void *)&cmd_set_vf_power_vf,
		(void *)&cmd_set_vf_power_power,
		(void *)&cmd_set_vf_power_port_id,
		(void *)&cmd_set_vf_power_vf_id,
		(void *)&cmd_set_vf_power_state,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_set_vf_power_wake_enabled = {
	.f = cmd_set_vf_power_parsed,
	.data = NULL,
	.help_str = "set vf power <port> <vf> d1|d2|d3hot wake:"
		" set a VF's power state with wake-up (PME) enabled",
	.tokens = {
		(void *)&cmd_set_vf_power_set,
		(void *)&cmd_set_vf_power_vf,
		(void *)&cmd_set_vf_power_power,
		(void *)&cmd_set_vf_power_port_id,
		(void *)&cmd_set_vf_power_vf_id,
		(void *)&cmd_set_vf_power_sleep_state,
		(void *)&cmd_set_vf_power_wake,
		NULL,
	},
};

/* *** set vf secret <port> <vf> <secret> / clear vf secret <port> <vf> *** */
struct cmd_vf_secret_result {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t secret_kw;
	uint32_t port_id;
	uint32_t vf_id;
	cmdline_fixed_string_t secret;
};

static void
cmd_vf_secret_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_vf_secret_result *res = parsed_result;

	vfbc_tp_vf_secret_set(res->port_id, res->vf_id,
			strcmp(res->verb, "set") == 0 ? res->secret : NULL);
	/* The command line's copy of the secret is not needed any more. */
	memset(res->secret, 0, sizeof(res->secret));
}

static cmdline_parse_token_string_t cmd_vf_secret_set =
	TOKEN_STRING_INITIALIZER(struct cmd_vf_secret_result, verb, "set");
static cmdline_parse_token_string_t cmd_vf_secret_clear =
	TOKEN_STRING_INITIALIZER(struct cmd_vf_secret_result, verb, "clear");
static cmdline_parse_token_string_t cmd_vf_secret_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_vf_secret_result, vf, "vf");
static cmdline_parse_token_string_t cmd_vf_secret_secret_kw =
	TOKEN_STRING_INITIALIZER(struct cmd_vf_secret_result, secret_kw, "secret");
static struct vfbc_tp_token_num cmd_vf_secret_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_vf_secret_result, port_id, "port");
static struct vfbc_tp_token_num cmd_vf_secret_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_vf_secret_result, vf_id, "vf");
static cmdline_parse_token_string_t cmd_vf_secret_secret =
	TOKEN_STRING_INITIALIZER(struct cmd_vf_secret_result, secret, NULL);

static cmdline_parse_inst_t cmd_set_vf_secret = {
	.f = cmd_vf_secret_parsed,
	.data = NULL,
	.help_str = "set vf secret <port> <vf> <secret>: the secret (1..64 bytes) that opens"
		" a VF through the PF's control socket (socket=)",
	.tokens = {
		(void *)&cmd_vf_secret_set,
		(void *)&cmd_vf_secret_vf,
		(void *)&cmd_vf_secret_secret_kw,
		(void *)&cmd_vf_secret_port_id,
		(void *)&cmd_vf_secret_vf_id,
		(void *)&cmd_vf_secret_secret,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_clear_vf_secret = {
	.f = cmd_vf_secret_parsed,
	.data = NULL,
	.help_str = "clear vf secret <port> <vf>: remove a VF's secret (nobody can open it"
		" through the socket; a consumer connected stays)",
	.tokens = {
		(void *)&cmd_vf_secret_clear,
		(void *)&cmd_vf_secret_vf,
		(void *)&cmd_vf_secret_secret_kw,
		(void *)&cmd_vf_secret_port_id,
		(void *)&cmd_vf_secret_vf_id,
		NULL,
	},
};

/* *** reset vf <port> <vf> *** */
struct cmd_reset_vf_result {
	cmdline_fixed_string_t reset;
	cmdline_fixed_string_t vf;
	uint32_t port_id;
	uint32_t vf_id;
};

static void
cmd_reset_vf_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_reset_vf_result *res = parsed_result;

	vfbc_tp_vf_reset(res->port_id, res->vf_id);
}

static cmdline_parse_token_string_t cmd_reset_vf_reset =
	TOKEN_STRING_INITIALIZER(struct cmd_reset_vf_result, reset, "reset");
static cmdline_parse_token_string_t cmd_reset_vf_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_reset_vf_result, vf, "vf");
static struct vfbc_tp_token_num cmd_reset_vf_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_reset_vf_result, port_id, "port");
static struct vfbc_tp_token_num cmd_reset_vf_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_reset_vf_result, vf_id, "vf");

static cmdline_parse_inst_t cmd_reset_vf = {
	.f = cmd_reset_vf_parsed,
	.data = NULL,
	.help_str = "reset vf <port> <vf>: function-level reset of one VF",
	.tokens = {
		(void *)&cmd_reset_vf_reset,
		(void *)&cmd_reset_vf_vf,
		(void *)&cmd_reset_vf_port_id,
		(void *)&cmd_reset_vf_vf_id,
		NULL,
	},
};

static cmdline_parse_inst_t * const vfbc_tp_vf_cmds[] = {
	&cmd_show_vf_port,
	&cmd_show_vf,
	&cmd_show_vf_bus_data,
	&cmd_set_vf_bus_data,
	&cmd_set_vf_num,
	&cmd_set_vf_power,
	&cmd_set_vf_power_wake_enabled,
	&cmd_set_vf_secret,
	&cmd_clear_vf_secret,
	&cmd_reset_vf,
	NULL,
};

const struct vfbc_tp_cmd_family vfbc_tp_vf_family = {
	.name = "vf",
	.summary = "PF services on VFs (primary process, net_vfbc_pf ports):",
	.help =
		"  show vf list <port>                          every VF: address, state,"
		" consumer\n"
		"  show vf sriov <port>                         the PF's SR-IOV capability\n"
		"  show vf location <port> <vf>                 a VF's PCI address\n"
		"  show vf probed-bars <port> <vf>              VF BARs after the sizing probe\n"
		"  show vf bus-data <port> <vf> <offset> <length>\n"
		"                                               read VF config space (hex dump)\n"
		"  set vf bus-data <port> <vf> <offset> <byte> [<byte>...]\n"
		"                                               write VF config space\n"
		"  set vf num <port> <n>                        enable n VFs (0 disables)\n"
		"  set vf power <port> <vf> d0|d1|d2|d3hot [wake]\n"
		"                                               set a VF's power state\n"
		"  set vf secret <port> <vf> <secret>           the secret that opens a VF"
		" through\n"
		"                                               the control socket (socket=)\n"
		"  clear vf secret <port> <vf>                  remove it\n"
		"  reset vf <port> <vf>                         function-level reset of a VF\n",
	.cmds = vfbc_tp_vf_cmds,
};
