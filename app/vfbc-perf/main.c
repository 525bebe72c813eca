/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-perf [EAL options --] [options]: the high-rate backchannel benchmark.
 *
 * This file: which job this process has, from its options: callgrind's
 * single-process mode, entering an emulated world (no EAL -a options, in no
 * world), a VF process (the hidden role option), the isolated consumer (its
 * hidden option), or the PF primary.
 */

#include <stdlib.h>
#include <string.h>

#include "perf.h"

int
main(int argc, char **argv)
{
	static const char *const allow_opts[] = { "-a", "--allow", NULL };
	struct vfbc_perf_opts o;
	char **app = argv + 1;
	int nb_app = argc - 1;
	char **app_argv;
	char **user = NULL;
	int nb_user = 0;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			user = argv + 1;
			nb_user = i - 1;
			app = argv + i + 1;
			nb_app = argc - i - 1;
			break;
		}
	}
	/* getopt permutes its array and wants a program name in front. */
	app_argv = calloc(nb_app + 2, sizeof(*app_argv));
	if (app_argv == NULL)
		return 1;
	app_argv[0] = argv[0];
	memcpy(app_argv + 1, app, nb_app * sizeof(*app));
	if (vfbc_perf_parse(nb_app + 1, app_argv, &o) != 0) {
		vfbc_perf_usage(stderr);
		return 2;
	}
	if (o.single_invalidate != 0)
		return vfbc_perf_single_invalidate(o.single_invalidate, o.single_path) == 0 ? 0 : 1;
	if (o.role < 0 && o.iso_fd < 0 && getenv("VFBC_WORLD") == NULL &&
			!vfbc_perf_has_opt(user, nb_user, allow_opts))
		return vfbc_perf_enter_world(argc, argv, &o);
	/* The primary gave a VF process the exact EAL arguments (user[-1] is argv[0]). */
	if (o.role >= 0)
		return vfbc_perf_secondary(nb_user + 1, argv, o.role);
	if (o.iso_fd >= 0)
		return vfbc_perf_isolated_consumer(nb_user + 1, argv, o.iso_fd);
	return vfbc_perf_primary(&o, user, nb_user, argv[0]);
}
