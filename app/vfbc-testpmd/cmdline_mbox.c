/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * PF mailbox commands (primary, net_vfbc_pf ports): publish config blocks,
 * invalidate them, and decide on the VFs' requests.
 */

#include <errno.h>
#include <string.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

#include <vfbc_channel_layout.h>

#include "vfbc_testpmd.h"

/* *** set vf config-block <port> <vf> <block> <byte> [<byte>...] *** */
struct cmd_set_vf_block_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t config_block;
	uint32_t port_id;
	uint32_t vf_id;
	uint32_t block_id;
	struct vfbc_tp_bytes bytes;
};

static void
cmd_set_vf_block_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_set_vf_block_result *res = parsed_result;

	vfbc_tp_pf_block_set(res->port_id, res->vf_id, res->block_id, res->bytes.bytes,
			res->bytes.count);
}

static cmdline_parse_token_string_t cmd_set_vf_block_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_block_result, set, "set");
static cmdline_parse_token_string_t cmd_set_vf_block_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_block_result, vf, "vf");
static cmdline_parse_token_string_t cmd_set_vf_block_config_block =
	TOKEN_STRING_INITIALIZER(struct cmd_set_vf_block_result, config_block, "config-block");
static struct vfbc_tp_token_num cmd_set_vf_block_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_block_result, port_id, "port");
static struct vfbc_tp_token_num cmd_set_vf_block_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_block_result, vf_id, "vf");
static struct vfbc_tp_token_num cmd_set_vf_block_block_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_vf_block_result, block_id, "block");
static struct vfbc_tp_token_bytes cmd_set_vf_block_bytes =
	VFBC_TP_TOKEN_BYTES_INITIALIZER(struct cmd_set_vf_block_result, bytes,
			VFBC_CHANNEL_BLOCK_SIZE);

static cmdline_parse_inst_t cmd_set_vf_block = {
	.f = cmd_set_vf_block_parsed,
	.data = NULL,
	.help_str = "set vf config-block <port> <vf> <block> <byte> [<byte>...]:"
		" publish a VF's config block (at most 128 bytes)",
	.tokens = {
		(void *)&cmd_set_vf_block_set,
		(void *)&cmd_set_vf_block_vf,
		(void *)&cmd_set_vf_block_config_block,
		(void *)&cmd_set_vf_block_port_id,
		(void *)&cmd_set_vf_block_vf_id,
		(void *)&cmd_set_vf_block_block_id,
		(void *)&cmd_set_vf_block_bytes,
		NULL,
	},
};

/* *** show vf config-block <port> <vf> <block> *** */
struct cmd_show_vf_block_result {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t config_block;
	uint32_t port_id;
	uint32_t vf_id;
	uint32_t block_id;
};

static void
cmd_show_vf_block_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_show_vf_block_result *res = parsed_result;

	vfbc_tp_pf_block_display(res->port_id, res->vf_id, res->block_id);
}

static cmdline_parse_token_string_t cmd_show_vf_block_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_block_result, show, "show");
static cmdline_parse_token_string_t cmd_show_vf_block_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_block_result, vf, "vf");
static cmdline_parse_token_string_t cmd_show_vf_block_config_block =
	TOKEN_STRING_INITIALIZER(struct cmd_show_vf_block_result, config_block, "config-block");
static struct vfbc_tp_token_num cmd_show_vf_block_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_block_result, port_id, "port");
static struct vfbc_tp_token_num cmd_show_vf_block_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_block_result, vf_id, "vf");
static struct vfbc_tp_token_num cmd_show_vf_block_block_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_show_vf_block_result, block_id, "block");

static cmdline_parse_inst_t cmd_show_vf_block = {
	.f = cmd_show_vf_block_parsed,
	.data = NULL,
	.help_str = "show vf config-block <port> <vf> <block>: a VF's config block as stored",
	.tokens = {
		(void *)&cmd_show_vf_block_show,
		(void *)&cmd_show_vf_block_vf,
		(void *)&cmd_show_vf_block_config_block,
		(void *)&cmd_show_vf_block_port_id,
		(void *)&cmd_show_vf_block_vf_id,
		(void *)&cmd_show_vf_block_block_id,
		NULL,
	},
};

/* *** invalidate vf config-block <port> <vf>|all <mask> *** */
struct cmd_invalidate_result {
	cmdline_fixed_string_t invalidate;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t config_block;
	uint32_t port_id;
	uint32_t vf_id;
	cmdline_fixed_string_t all;
	uint64_t mask;
};

static void
cmd_invalidate_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_invalidate_result *res = parsed_result;

	/* Only the word "all" means every VF: no VF number stands for it. */
	if (res->all[0] != '\0')
		vfbc_tp_pf_invalidate_all(res->port_id, res->mask);
	else
		vfbc_tp_pf_invalidate(res->port_id, res->vf_id, res->mask);
}

static cmdline_parse_token_string_t cmd_invalidate_invalidate =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_result, invalidate, "invalidate");
static cmdline_parse_token_string_t cmd_invalidate_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_result, vf, "vf");
static cmdline_parse_token_string_t cmd_invalidate_config_block =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_result, config_block, "config-block");
static struct vfbc_tp_token_num cmd_invalidate_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_invalidate_result, port_id, "port");
static struct vfbc_tp_token_num cmd_invalidate_vf_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_invalidate_result, vf_id, "vf");
static cmdline_parse_token_string_t cmd_invalidate_all =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_result, all, "all");
static struct vfbc_tp_token_num cmd_invalidate_mask =
	VFBC_TP_TOKEN_NUM64_INITIALIZER(struct cmd_invalidate_result, mask, "mask");

static cmdline_parse_inst_t cmd_invalidate = {
	.f = cmd_invalidate_parsed,
	.data = NULL,
	.help_str = "invalidate vf config-block <port> <vf> <mask>:"
		" tell a VF which blocks changed (bit i: block i)",
	.tokens = {
		(void *)&cmd_invalidate_invalidate,
		(void *)&cmd_invalidate_vf,
		(void *)&cmd_invalidate_config_block,
		(void *)&cmd_invalidate_port_id,
		(void *)&cmd_invalidate_vf_id,
		(void *)&cmd_invalidate_mask,
		NULL,
	},
};

static cmdline_parse_inst_t cmd_invalidate_all_vfs = {
	.f = cmd_invalidate_parsed,
	.data = NULL,
	.help_str = "invalidate vf config-block <port> all <mask>:"
		" tell every enabled VF which blocks changed",
	.tokens = {
		(void *)&cmd_invalidate_invalidate,
		(void *)&cmd_invalidate_vf,
		(void *)&cmd_invalidate_config_block,
		(void *)&cmd_invalidate_port_id,
		(void *)&cmd_invalidate_all,
		(void *)&cmd_invalidate_mask,
		NULL,
	},
};

/* *** invalidate vf config-block <port> bulk <vf>:<mask>[,<vf>:<mask>...] *** */
struct cmd_invalidate_bulk_result {
	cmdline_fixed_string_t invalidate;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t config_block;
	uint32_t port_id;
	cmdline_fixed_string_t bulk;
	struct vfbc_tp_pairs pairs;
};

static void
cmd_invalidate_bulk_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_invalidate_bulk_result *res = parsed_result;

	vfbc_tp_pf_invalidate_bulk(res->port_id, &res->pairs);
}

static cmdline_parse_token_string_t cmd_invalidate_bulk_invalidate =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_bulk_result, invalidate, "invalidate");
static cmdline_parse_token_string_t cmd_invalidate_bulk_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_bulk_result, vf, "vf");
static cmdline_parse_token_string_t cmd_invalidate_bulk_config_block =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_bulk_result, config_block,
			"config-block");
static struct vfbc_tp_token_num cmd_invalidate_bulk_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_invalidate_bulk_result, port_id, "port");
static cmdline_parse_token_string_t cmd_invalidate_bulk_bulk =
	TOKEN_STRING_INITIALIZER(struct cmd_invalidate_bulk_result, bulk, "bulk");
static struct vfbc_tp_token_pairs cmd_invalidate_bulk_pairs =
	VFBC_TP_TOKEN_PAIRS_INITIALIZER(struct cmd_invalidate_bulk_result, pairs);

static cmdline_parse_inst_t cmd_invalidate_bulk = {
	.f = cmd_invalidate_bulk_parsed,
	.data = NULL,
	.help_str = "invalidate vf config-block <port> bulk <vf>:<mask>[,<vf>:<mask>...]:"
		" tell several VFs, each its own blocks, in one call",
	.tokens = {
		(void *)&cmd_invalidate_bulk_invalidate,
		(void *)&cmd_invalidate_bulk_vf,
		(void *)&cmd_invalidate_bulk_config_block,
		(void *)&cmd_invalidate_bulk_port_id,
		(void *)&cmd_invalidate_bulk_bulk,
		(void *)&cmd_invalidate_bulk_pairs,
		NULL,
	},
};

/* *** set vf request-verdict <port> accept|reject|ask *** */
struct cmd_set_verdict_result {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t vf;
	cmdline_fixed_string_t request_verdict;
	uint32_t port_id;
	cmdline_fixed_string_t mode;
};

static void
cmd_set_verdict_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_set_verdict_result *res = parsed_result;

	vfbc_tp_verdict_mode_set(res->port_id, res->mode);
}

static cmdline_parse_token_string_t cmd_set_verdict_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_verdict_result, set, "set");
static cmdline_parse_token_string_t cmd_set_verdict_vf =
	TOKEN_STRING_INITIALIZER(struct cmd_set_verdict_result, vf, "vf");
static cmdline_parse_token_string_t cmd_set_verdict_request_verdict =
	TOKEN_STRING_INITIALIZER(struct cmd_set_verdict_result, request_verdict,
			"request-verdict");
static struct vfbc_tp_token_num cmd_set_verdict_port_id =
	VFBC_TP_TOKEN_NUM_INITIALIZER(struct cmd_set_verdict_result, port_id, "port");
static cmdline_parse_token_string_t cmd_set_verdict_mode =
	TOKEN_STRING_INITIALIZER(struct cmd_set_verdict_result, mode, "accept#reject#ask");

static cmdline_parse_inst_t cmd_set_verdict = {
	.f = cmd_set_verdict_parsed,
	.data = NULL,
	.help_str = "set vf request-verdict <port> accept|reject|ask:"
		" what the application answers to VF requests",
	.tokens = {
		(void *)&cmd_set_verdict_set,
		(void *)&cmd_set_verdict_vf,
		(void *)&cmd_set_verdict_request_verdict,
		(void *)&cmd_set_verdict_port_id,
		(void *)&cmd_set_verdict_mode,
		NULL,
	},
};

/* *** accept | reject *** */
struct cmd_verdict_result {
	cmdline_fixed_string_t verdict;
};

static void
cmd_verdict_parsed(void *parsed_result, __rte_unused struct cmdline *cl,
		__rte_unused void *data)
{
	struct cmd_verdict_result *res = parsed_result;

	vfbc_tp_verdict_answer(strcmp(res->verdict, "accept") == 0);
}

static cmdline_parse_token_string_t cmd_verdict_verdict =
	TOKEN_STRING_INITIALIZER(struct cmd_verdict_result, verdict, "accept#reject");

static cmdline_parse_inst_t cmd_verdict = {
	.f = cmd_verdict_parsed,
	.data = NULL,
	.help_str = "accept|reject: answer the VF request waiting in \"ask\" mode",
	.tokens = {
		(void *)&cmd_verdict_verdict,
		NULL,
	},
};

static cmdline_parse_inst_t * const vfbc_tp_mbox_cmds[] = {
	&cmd_set_vf_block,
	&cmd_show_vf_block,
	&cmd_invalidate,
	&cmd_invalidate_all_vfs,
	&cmd_invalidate_bulk,
	&cmd_set_verdict,
	&cmd_verdict,
	NULL,
};

const struct vfbc_tp_cmd_family vfbc_tp_mbox_family = {
	.name = "mbox",
	.summary = "PF mailbox (primary process, net_vfbc_pf ports):",
	.help =
		"  set vf config-block <port> <vf> <block> <byte> [<byte>...]\n"
		"                                               publish a config block"
		" (<= 128 bytes)\n"
		"  show vf config-block <port> <vf> <block>     a config block as stored\n"
		"  invalidate vf config-block <port> <vf>|all <mask>\n"
		"                                               notify the VF(s): bit i is"
		" block i\n"
		"  invalidate vf config-block <port> bulk <vf>:<mask>[,<vf>:<mask>...]\n"
		"                                               notify several VFs, each"
		" its mask, in one call\n"
		"  set vf request-verdict <port> accept|reject|ask\n"
		"                                               the answer to VF requests\n"
		"  accept | reject                              answer the request waiting"
		" in ask mode\n",
	.cmds = vfbc_tp_mbox_cmds,
};
