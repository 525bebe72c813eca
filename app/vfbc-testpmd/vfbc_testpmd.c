/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-testpmd: EAL, ports, then commands from a file, stdin or a console.
 *
 * The primary probes the PF (and maps its VFs) in rte_eal_init() and
 * services the VFs' mailbox requests; a VF process delivers the
 * invalidations of the VFs it claimed. Nothing else happens on its own:
 * ports are configured and started by "port start".
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "vfbc_testpmd.h"

static void
vfbc_tp_run_file(const char *path)
{
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		vfbc_tp_error("cannot open command file %s: %s", path, strerror(errno));
		return;
	}
	vfbc_tp_run_script(f);
	fclose(f);
}

int
main(int argc, char **argv)
{
	int scripted;
	int ret;

	/*
	 * EAL logs write to stdout directly: line buffering keeps our lines
	 * and theirs in order when stdout is a pipe or a file.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Cannot init EAL: %s\n", rte_strerror(rte_errno));
	/* EAL left the program name just before the application's options. */
	argc -= ret;
	argv += ret;

	ret = vfbc_tp_parse_args(argc, argv);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	if (rte_eth_dev_count_avail() == 0)
		printf("Warning: no probed ethernet port\n");
	if (vfbc_tp_cmdline_init() < 0)
		rte_exit(EXIT_FAILURE, "Cannot create the command line context\n");
	if (vfbc_tp_async_start() < 0)
		rte_exit(EXIT_FAILURE, "Cannot start the output thread\n");
	/* VF requests are answered and invalidations delivered from now on. */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY && vfbc_tp_mbox_start() < 0)
		rte_exit(EXIT_FAILURE, "Cannot service the PF mailbox\n");
	if (vfbc_tp_vf_events_start() < 0)
		rte_exit(EXIT_FAILURE, "Cannot deliver VF invalidations\n");

	scripted = 0;
	if (vfbc_tp_params.cmdline_file != NULL) {
		vfbc_tp_run_file(vfbc_tp_params.cmdline_file);
		printf("Read CLI commands from %s\n", vfbc_tp_params.cmdline_file);
		scripted = 1;
	}
	/*
	 * After a command file only -i asks for more. A terminal gets the
	 * console; anything else is a script, run in order until its end.
	 */
	if (!vfbc_tp_quit_requested() &&
			(vfbc_tp_params.interactive || vfbc_tp_params.cmdline_file == NULL)) {
		if (isatty(STDIN_FILENO)) {
			vfbc_tp_prompt();
		} else {
			vfbc_tp_run_script(stdin);
			scripted = 1;
		}
	}

	vfbc_tp_vf_events_stop();
	vfbc_tp_mbox_stop();
	/* Their last lines are printed before the program ends. */
	vfbc_tp_async_stop();
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		vfbc_tp_ports_close();
	vfbc_tp_cmdline_fini();
	ret = rte_eal_cleanup();
	if (ret != 0)
		fprintf(stderr, "EAL cleanup failed: %s\n", rte_strerror(-ret));
	/* A script's status says whether every command succeeded. */
	if (scripted && vfbc_tp_error_count() > 0)
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}
