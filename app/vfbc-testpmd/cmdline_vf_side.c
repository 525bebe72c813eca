/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * VF commands (net_vfbc_vf ports, usually in a secondary process that
 * claimed its VF): invalidations and life events received, config blocks,
 * and the VF's own config space through the PF.
 */

#include <string.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

#include <vfbc_pmd_vf.h>

#include "vfbc_testpmd.h"

/* *** show vf events <port> *** */
struct cmd_show_vf_events_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t events;
	uint32_t port_id;
};

static void
cmd_show_vf_events_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_show_vf_events_result *res = parsed_result;

	vfbc_tp_vf_events_display(res->port_id);
}

static cmdline_parse_token_string_t cmd_show_vf_events_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_events_result, show, "show");
static cmdline_parse_token_string_t cmd_show_vf_events_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_events_result, vf, "vf");
static cmdline_parse_token_string_t cmd_show_vf_events_events =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_events_result, events, "events");
static struct vfbc_tp_token_num cmd_show_vf_events_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_events_result, port_id, "port");

static cmdline_parse_inst_t cmd_show_vf_events = {
	.f = cmd_show_vf_events_parsed,
	.data = NULL,
	.help_str = "show vf events <port>: the invalidations and life events this VF port"
		" received",
	.tokens = {
		(void *)&cmd_show_vf_events_show,
		(void *)&cmd_show_vf_events_vf,
		(void *)&cmd_show_vf_events_events,
		(void *)&cmd_show_vf_events_port_id,
		NULL,
	},
};

/* *** wait vf invalidate <port> <timeout_ms> [spin <spin_us>] *** */
struct cmd_wait_vf_result {
	cmdline_fixed_string_t wait;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t invalidate;
	uint32_t port_id;
	uint32_t timeout_ms;
	cmdline_fixed_string_t spin;	/* "" without it */
	uint32_t spin_us;
};

static void
cmd_wait_vf_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_wait_vf_result *res = parsed_result;

	if (res->spin[0] != '\0')
		vfbc_tp_vf_invalidate_poll_wait(res->port_id, res->timeout_ms, res->spin_us);
	else
		vfbc_tp_vf_invalidate_wait(res->port_id, res->timeout_ms);
}

static cmdline_parse_token_string_t cmd_wait_vf_wait =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_result, wait, "wait");
static cmdline_parse_token_string_t cmd_wait_vf_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_result, vf, "vf");
static cmdline_parse_token_string_t cmd_wait_vf_invalidate =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_result, invalidate, "invalidate");
static struct vfbc_tp_token_num cmd_wait_vf_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_wait_vf_result, port_id, "port");
static struct vfbc_tp_token_num cmd_wait_vf_timeout_ms =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_wait_vf_result, timeout_ms, "timeout_ms");
static cmdline_parse_token_string_t cmd_wait_vf_spin =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_result, spin, "spin");
static struct vfbc_tp_token_num cmd_wait_vf_spin_us =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_wait_vf_result, spin_us, "spin_us");

static cmdline_parse_inst_t cmd_wait_vf = {
	.f = cmd_wait_vf_parsed,
	.data = NULL,
	.help_str = "wait vf invalidate <port> <timeout_ms>:"
		" wait for the next invalidation, print its mask",
	.tokens = {
		(void *)&cmd_wait_vf_wait,
		(void *)&cmd_wait_vf_vf,
		(void *)&cmd_wait_vf_invalidate,
		(void *)&cmd_wait_vf_port_id,
		(void *)&cmd_wait_vf_timeout_ms,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_wait_vf_spinning = {
	.f = cmd_wait_vf_parsed,
	.data = NULL,
	.help_str = "wait vf invalidate <port> <timeout_ms> spin <spin_us>:"
		" poll for spin_us, then arm and sleep (vfbc_vf_poll_wait()), print the mask",
	.tokens = {
		(void *)&cmd_wait_vf_wait,
		(void *)&cmd_wait_vf_vf,
		(void *)&cmd_wait_vf_invalidate,
		(void *)&cmd_wait_vf_port_id,
		(void *)&cmd_wait_vf_timeout_ms,
		(void *)&cmd_wait_vf_spin,
		(void *)&cmd_wait_vf_spin_us,
		NULL,
	},
};

/* *** set vf sleep <port> on|off *** */
struct cmd_set_vf_sleep_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t sleep;
	uint32_t port_id;
	cmdline_fixed_string_t on_off;
};

static void
cmd_set_vf_sleep_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_set_vf_sleep_result *res = parsed_result;

	vfbc_tp_vf_sleep(res->port_id, strcmp(res->on_off, "on") == 0);
}

static cmdline_parse_token_string_t cmd_set_vf_sleep_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_sleep_result, set, "set");
static cmdline_parse_token_string_t cmd_set_vf_sleep_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_sleep_result, vf, "vf");
static cmdline_parse_token_string_t cmd_set_vf_sleep_sleep =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_sleep_result, sleep, "sleep");
static struct vfbc_tp_token_num cmd_set_vf_sleep_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_sleep_result, port_id, "port");
static cmdline_parse_token_string_t cmd_set_vf_sleep_on_off =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_sleep_result, on_off, "on#off");

static cmdline_parse_inst_t cmd_set_vf_sleep = {
	.f = cmd_set_vf_sleep_parsed,
	.data = NULL,
	.help_str = "set vf sleep <port> on|off:"
		" on: sleep until the PF invalidates (EAL's interrupt thread delivers);"
		" off: poll again",
	.tokens = {
		(void *)&cmd_set_vf_sleep_set,
		(void *)&cmd_set_vf_sleep_vf,
		(void *)&cmd_set_vf_sleep_sleep,
		(void *)&cmd_set_vf_sleep_port_id,
		(void *)&cmd_set_vf_sleep_on_off,
		NULL,
	},
};

/* *** wait vf event <port> <timeout_ms> [reset|removal|link-up|link-down] *** */
struct cmd_wait_vf_event_result {
	cmdline_fixed_string_t wait;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t event;
	uint32_t port_id;
	uint32_t timeout_ms;
	cmdline_fixed_string_t kind;
};

static void
cmd_wait_vf_event_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_wait_vf_event_result *res = parsed_result;

	vfbc_tp_vf_event_wait(res->port_id, res->timeout_ms,
			res->kind[0] != '\0' ? res->kind : NULL);
}

static cmdline_parse_token_string_t cmd_wait_vf_event_wait =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_event_result, wait, "wait");
static cmdline_parse_token_string_t cmd_wait_vf_event_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_event_result, vf, "vf");
static cmdline_parse_token_string_t cmd_wait_vf_event_event =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_event_result, event, "event");
static struct vfbc_tp_token_num cmd_wait_vf_event_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_wait_vf_event_result, port_id, "port");
static struct vfbc_tp_token_num cmd_wait_vf_event_timeout_ms =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_wait_vf_event_result, timeout_ms, "timeout_ms");
static cmdline_parse_token_string_t cmd_wait_vf_event_kind =
	TOKEN_STRING_INITIALIZER(struct cmd_wait_vf_event_result, kind,
			"reset#removal#link-up#link-down");

static cmdline_parse_inst_t cmd_wait_vf_event = {
	.f = cmd_wait_vf_event_parsed,
	.data = NULL,
	.help_str = "wait vf event <port> <timeout_ms>:"
		" wait for the next life event (reset, removal, link), print it",
	.tokens = {
		(void *)&cmd_wait_vf_event_wait,
		(void *)&cmd_wait_vf_event_vf,
		(void *)&cmd_wait_vf_event_event,
		(void *)&cmd_wait_vf_event_port_id,
		(void *)&cmd_wait_vf_event_timeout_ms,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_wait_vf_event_of_kind = {
	.f = cmd_wait_vf_event_parsed,
	.data = NULL,
	.help_str = "wait vf event <port> <timeout_ms> reset|removal|link-up|link-down:"
		" wait for the next life event of that kind, passing over others",
	.tokens = {
		(void *)&cmd_wait_vf_event_wait,
		(void *)&cmd_wait_vf_event_vf,
		(void *)&cmd_wait_vf_event_event,
		(void *)&cmd_wait_vf_event_port_id,
		(void *)&cmd_wait_vf_event_timeout_ms,
		(void *)&cmd_wait_vf_event_kind,
		NULL,
	},
};

/* *** read vf config-block <port> <block> *** */
struct cmd_read_vf_block_result {
	cmdline_fixed_string_t read;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t config_block;
	uint32_t port_id;
	uint32_t block_id;
};

static void
cmd_read_vf_block_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_read_vf_block_result *res = parsed_result;

	vfbc_tp_vf_block_read(res->port_id, res->block_id);
}

static cmdline_parse_token_string_t cmd_read_vf_block_read =
	TOKEN_STRING_INITIALIZER(struct cmd_read_vf_block_result, read, "read");
static cmdline_parse_token_string_t cmd_read_vf_block_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_read_vf_block_result, vf, "vf");
static cmdline_parse_token_string_t cmd_read_vf_block_config_block =
	TOKEN_STRING_INITIALIZER(struct cmd_read_vf_block_result, config_block, "config-block");
static struct vfbc_tp_token_num cmd_read_vf_block_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_read_vf_block_result, port_id, "port");
static struct vfbc_tp_token_num cmd_read_vf_block_block_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_read_vf_block_result, block_id, "block");

static cmdline_parse_inst_t cmd_read_vf_block = {
	.f = cmd_read_vf_block_parsed,
	.data = NULL,
	.help_str = "read vf config-block <port> <block>:"
		" read a config block (NdisMReadConfigBlock)",
	.tokens = {
		(void *)&cmd_read_vf_block_read,
		(void *)&cmd_read_vf_block_vf,
		(void *)&cmd_read_vf_block_config_block,
		(void *)&cmd_read_vf_block_port_id,
		(void *)&cmd_read_vf_block_block_id,
		NULL,
	},
};

/* *** write vf config-block <port> <block> <byte> [<byte>...] *** */
struct cmd_write_vf_block_result {
	cmdline_fixed_string_t write;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t config_block;
	uint32_t port_id;
	uint32_t block_id;
	struct vfbc_tp_bytes bytes;
};

static void
cmd_write_vf_block_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_write_vf_block_result *res = parsed_result;

	vfbc_tp_vf_block_write(res->port_id, res->block_id, res->bytes.bytes, res->bytes.count);
}

static cmdline_parse_token_string_t cmd_write_vf_block_write =
	TOKEN_STRING_INITIALIZER(struct cmd_write_vf_block_result, write, "write");
static cmdline_parse_token_string_t cmd_write_vf_block_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_write_vf_block_result, vf, "vf");
static cmdline_parse_token_string_t cmd_write_vf_block_config_block =
	TOKEN_STRING_INITIALIZER(struct cmd_write_vf_block_result, config_block, "config-block");
static struct vfbc_tp_token_num cmd_write_vf_block_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_write_vf_block_result, port_id, "port");
static struct vfbc_tp_token_num cmd_write_vf_block_block_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_write_vf_block_result, block_id, "block");
static struct vfbc_tp_token_bytes cmd_write_vf_block_bytes =
	VFBC_TP_TOKEN_BYTES_INITIALIZER(struct cmd_write_vf_block_result, bytes,
			VFBC_VF_BLOCK_SIZE);

static cmdline_parse_inst_t cmd_write_vf_block = {
	.f = cmd_write_vf_block_parsed,
	.data = NULL,
	.help_str = "write vf config-block <port> <block> <byte> [<byte>...]:"
		" ask the PF to write a config block (NdisMWriteConfigBlock)",
	.tokens = {
		(void *)&cmd_write_vf_block_write,
		(void *)&cmd_write_vf_block_vf,
		(void *)&cmd_write_vf_block_config_block,
		(void *)&cmd_write_vf_block_port_id,
		(void *)&cmd_write_vf_block_block_id,
		(void *)&cmd_write_vf_block_bytes,
		NULL,
	},
};

/* *** read vf bus-data <port> <offset> <length> *** */
struct cmd_read_vf_bus_result {
	cmdline_fixed_string_t read;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t bus_data;
	uint32_t port_id;
	uint32_t offset;
	uint32_t length;
};

static void
cmd_read_vf_bus_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_read_vf_bus_result *res = parsed_result;

	vfbc_tp_vf_bus_read(res->port_id, res->offset, res->length);
}

static cmdline_parse_token_string_t cmd_read_vf_bus_read =
	TOKEN_STRING_INITIALIZER(struct cmd_read_vf_bus_result, read, "read");
static cmdline_parse_token_string_t cmd_read_vf_bus_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_read_vf_bus_result, vf, "vf");
static cmdline_parse_token_string_t cmd_read_vf_bus_bus_data =
	TOKEN_STRING_INITIALIZER(struct cmd_read_vf_bus_result, bus_data, "bus-data");
static struct vfbc_tp_token_num cmd_read_vf_bus_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_read_vf_bus_result, port_id, "port");
static struct vfbc_tp_token_num cmd_read_vf_bus_offset =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_read_vf_bus_result, offset, "offset");
static struct vfbc_tp_token_num cmd_read_vf_bus_length =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_read_vf_bus_result, length, "length");

static cmdline_parse_inst_t cmd_read_vf_bus = {
	.f = cmd_read_vf_bus_parsed,
	.data = NULL,
	.help_str = "read vf bus-data <port> <offset> <length>:"
		" ask the PF to read this VF's config space",
	.tokens = {
		(void *)&cmd_read_vf_bus_read,
		(void *)&cmd_read_vf_bus_vf,
		(void *)&cmd_read_vf_bus_bus_data,
		(void *)&cmd_read_vf_bus_port_id,
		(void *)&cmd_read_vf_bus_offset,
		(void *)&cmd_read_vf_bus_length,
		NULL,
	},
};

/* *** write vf bus-data <port> <offset> <byte> [<byte>...] *** */
struct cmd_write_vf_bus_result {
	cmdline_fixed_string_t write;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t bus_data;
	uint32_t port_id;
	uint32_t offset;
	struct vfbc_tp_bytes bytes;
};

static void
cmd_write_vf_bus_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_write_vf_bus_result *res = parsed_result;

	vfbc_tp_vf_bus_write(res->port_id, res->offset, res->bytes.bytes, res->bytes.count);
}

static cmdline_parse_token_string_t cmd_write_vf_bus_write =
	TOKEN_STRING_INITIALIZER(struct cmd_write_vf_bus_result, write, "write");
static cmdline_parse_token_string_t cmd_write_vf_bus_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_write_vf_bus_result, vf, "vf");
static cmdline_parse_token_string_t cmd_write_vf_bus_bus_data =
	TOKEN_STRING_INITIALIZER(struct cmd_write_vf_bus_result, bus_data, "bus-data");
static struct vfbc_tp_token_num cmd_write_vf_bus_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_write_vf_bus_result, port_id, "port");
static struct vfbc_tp_token_num cmd_write_vf_bus_offset =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_write_vf_bus_result, offset, "offset");
static struct vfbc_tp_token_bytes cmd_write_vf_bus_bytes =
	VFBC_TP_TOKEN_BYTES_INITIALIZER(struct cmd_write_vf_bus_result, bytes,
			VFBC_VF_BLOCK_SIZE);

static cmdline_parse_inst_t cmd_write_vf_bus = {
	.f = cmd_write_vf_bus_parsed,
	.data = NULL,
	.help_str = "write vf bus-data <port> <offset> <byte> [<byte>...]:"
		" ask the PF to write this VF's config space (its policy applies)",
	.tokens = {
		(void *)&cmd_write_vf_bus_write,
		(void *)&cmd_write_vf_bus_vf,
		(void *)&cmd_write_vf_bus_bus_data,
		(void *)&cmd_write_vf_bus_port_id,
		(void *)&cmd_write_vf_bus_offset,
		(void *)&cmd_write_vf_bus_bytes,
		NULL,
	},
};

static cmdline_parse_inst_t * const vfbc_tp_vf_side_cmds[] = {
	&cmd_show_vf_events,
	&cmd_wait_vf,
	&cmd_wait_vf_spinning,
	&cmd_set_vf_sleep,
	&cmd_wait_vf_event,
	&cmd_wait_vf_event_of_kind,
	&cmd_read_vf_block,
	&cmd_write_vf_block,
	&cmd_read_vf_bus,
	&cmd_write_vf_bus,
	NULL,
};

const struct vfbc_tp_cmd_family vfbc_tp_vf_side_family = {
	.name = "vfport",
	.summary = "VF side (net_vfbc_vf ports, in the process holding the VF's claim):",
	.help =
		"  show vf events <port>                        invalidations and life events"
		" received\n"
		"  wait vf invalidate <port> <timeout_ms>       wait for the next invalidation\n"
		"  wait vf invalidate <port> <timeout_ms> spin <spin_us>\n"
		"                                               poll spin_us, then arm and sleep\n"
		"  set vf sleep <port> on|off                   on: sleep until the PF"
		" invalidates (no polling)\n"
		"  wait vf event <port> <timeout_ms> [reset|removal|link-up|link-down]\n"
		"                                               wait for the next life event\n"
		"  read vf config-block <port> <block>          read a config block\n"
		"  write vf config-block <port> <block> <byte> [<byte>...]\n"
		"                                               ask the PF to write it\n"
		"  read vf bus-data <port> <offset> <length>    ask the PF to read the VF's"
		" config space\n"
		"  write vf bus-data <port> <offset> <byte> [<byte>...]\n"
		"                                               ask the PF to write it"
		" (policy applies)\n",
	.cmds = vfbc_tp_vf_side_cmds,
};
