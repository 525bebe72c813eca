/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Application options, after EAL's and "--". */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vfbc_testpmd.h"

struct vfbc_tp_params vfbc_tp_params;

enum {
	VFBC_TP_OPT_CMDLINE_FILE = 256,
	VFBC_TP_OPT_ECHO,
	VFBC_TP_OPT_VERDICT_TIMEOUT,
	VFBC_TP_OPT_REQUEST_TIMEOUT,
};

static const struct option vfbc_tp_long_options[] = {
	{ "interactive", no_argument, NULL, 'i' },
	{ "cmdline-file", required_argument, NULL, VFBC_TP_OPT_CMDLINE_FILE },
	{ "echo", no_argument, NULL, VFBC_TP_OPT_ECHO },
	{ "verdict-timeout", required_argument, NULL, VFBC_TP_OPT_VERDICT_TIMEOUT },
	{ "request-timeout", required_argument, NULL, VFBC_TP_OPT_REQUEST_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void
vfbc_tp_usage(const char *prgname)
{
	printf("usage: %s [EAL options] -- [-i] [--cmdline-file FILE] [--echo]\n"
	       "       [--verdict-timeout MS] [--request-timeout MS]\n"
	       "  -i, --interactive     run a console (after the command file, if any)\n"
	       "  --cmdline-file FILE   run the commands of FILE, then exit unless -i\n"
	       "  --echo                print each command read from a file or stdin\n"
	       "  --verdict-timeout MS  PF: how long a VF request waits for accept or\n"
	       "                        reject in \"ask\" mode, then is rejected (%u)\n"
	       "  --request-timeout MS  VF: how long a request waits for the PF's\n"
	       "                        answer (%u)\n"
	       "  -h, --help            this help\n"
	       "Without a command file, commands come from the console when stdin is\n"
	       "a terminal, else they are read from stdin and run in order until its\n"
	       "end or \"quit\". A scripted run exits with status 1 if a command\n"
	       "reported an error. Type \"help\" for the commands.\n",
	       prgname, VFBC_TP_VERDICT_TIMEOUT_MS, VFBC_TP_REQUEST_TIMEOUT_MS);
}

static int
vfbc_tp_parse_ms(const char *prgname, const char *opt, const char *arg, uint32_t *ms)
{
	char why[160];
	uint64_t v;
	int status;

	status = vfbc_tp_num_scan(arg, strlen(arg), UINT32_MAX, &v);
	if (status == VFBC_TP_NUM_OK && v == 0) {
		fprintf(stderr, "%s: --%s: 0 ms: the wait must be at least 1 ms\n", prgname,
				opt);
		return -EINVAL;
	}
	if (status != VFBC_TP_NUM_OK) {
		vfbc_tp_num_why(status, UINT32_MAX, why, sizeof(why));
		fprintf(stderr, "%s: --%s: '%s' %s\n", prgname, opt, arg, why);
		return -EINVAL;
	}
	*ms = (uint32_t)v;
	return 0;
}

int
vfbc_tp_parse_args(int argc, char **argv)
{
	int opt;

	vfbc_tp_params.interactive = 0;
	vfbc_tp_params.echo = 0;
	vfbc_tp_params.cmdline_file = NULL;
	vfbc_tp_params.verdict_timeout_ms = VFBC_TP_VERDICT_TIMEOUT_MS;
	vfbc_tp_params.request_timeout_ms = VFBC_TP_REQUEST_TIMEOUT_MS;
	/* EAL used getopt before us. */
	optind = 1;
	while ((opt = getopt_long(argc, argv, "ih", vfbc_tp_long_options, NULL)) != -1) {
		switch (opt) {
		case 'i':
			vfbc_tp_params.interactive = 1;
			break;
		case VFBC_TP_OPT_CMDLINE_FILE:
			vfbc_tp_params.cmdline_file = optarg;
			break;
		case VFBC_TP_OPT_ECHO:
			vfbc_tp_params.echo = 1;
			break;
		case VFBC_TP_OPT_VERDICT_TIMEOUT:
			if (vfbc_tp_parse_ms(argv[0], "verdict-timeout", optarg,
					&vfbc_tp_params.verdict_timeout_ms) < 0)
				return -EINVAL;
			break;
		case VFBC_TP_OPT_REQUEST_TIMEOUT:
			if (vfbc_tp_parse_ms(argv[0], "request-timeout", optarg,
					&vfbc_tp_params.request_timeout_ms) < 0)
				return -EINVAL;
			break;
		case 'h':
			vfbc_tp_usage(argv[0]);
			return 1;
		default:
			vfbc_tp_usage(argv[0]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument: %s\n", argv[0], argv[optind]);
		vfbc_tp_usage(argv[0]);
		return -EINVAL;
	}
	return 0;
}
