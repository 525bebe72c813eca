/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF processes: the primary starts each (this program again, an EAL
 * secondary with a hidden role option and an allow list of its VFs),
 * waits until all are ready and own the VFs they were given, and stops
 * them at the end. The waiting and stopping serve the isolated consumer
 * (isolated.c) too, on its control block.
 */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include <vfbc_launch.h>

#include "perf.h"

/*
 * Starts VF process index on cpu: this program as an EAL secondary, with
 * the arguments the secondaries share and its own allow list.
 */
static int
vfbc_perf_spawn(const struct vfbc_perf_eal *e, char **allow, int nb_allow, unsigned int index,
		int cpu, pid_t *pid)
{
	struct vfbc_launch l = { 0 };
	char lcore[16], role[16];
	char **argv;
	int k = 0, ret;

	snprintf(lcore, sizeof(lcore), "%d", cpu);
	snprintf(role, sizeof(role), "%u", index);
	argv = calloc(e->nb_sec + nb_allow + 8, sizeof(*argv));
	if (argv == NULL)
		return -ENOMEM;
	argv[k++] = (char *)(uintptr_t)vfbc_launch_self();
	argv[k++] = (char *)(uintptr_t)"-l";
	argv[k++] = lcore;
	argv[k++] = (char *)(uintptr_t)"--proc-type=secondary";
	memcpy(argv + k, e->sec, e->nb_sec * sizeof(*argv));
	k += e->nb_sec;
	memcpy(argv + k, allow, nb_allow * sizeof(*argv));
	k += nb_allow;
	argv[k++] = (char *)(uintptr_t)"--";
	argv[k++] = (char *)(uintptr_t)"--vfbc-perf-role";
	argv[k++] = role;
	l.argv = argv;
	ret = vfbc_launch_spawn(&l, pid);
	free(argv);
	return ret;
}

/*
 * Waits until the VF processes of the control block in use (vfbc_perf_pids)
 * are ready, then checks that the PF driver sees each VF's consumer where
 * it was put.
 */
int
vfbc_perf_procs_ready(void)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int i, nb = c->nb_procs;
	uint64_t deadline;
	int ret;

	deadline = rte_get_tsc_cycles() + 60 * rte_get_tsc_hz();
	for (i = 0; i < nb; i++) {
		while (__atomic_load_n(&c->proc[i].ready, __ATOMIC_ACQUIRE) == 0) {
			int status;

			if (vfbc_launch_wait(vfbc_perf_pids[i], 0, &status) == 0) {
				fprintf(stderr, "vfbc-perf: VF process %u exited during start\n",
						i);
				vfbc_perf_pids[i] = 0;
				return -ECHILD;
			}
			if (rte_get_tsc_cycles() > deadline)
				return -ETIMEDOUT;
			rte_delay_us_sleep(1000);
		}
	}
	for (i = 0; i < c->drv_nb_vfs; i++) {
		int32_t pid = 0;

		ret = vfbc_pf_vf_consumer(c->pf_port, i, &pid);
		if (ret != 0 || pid != c->proc[i % nb].pid) {
			fprintf(stderr, "vfbc-perf: VF %u: consumer pid %d, expected VF process "
					"%u (pid %d)\n", i, (int)pid, i % nb,
					(int)c->proc[i % nb].pid);
			return ret != 0 ? ret : -EPROTO;
		}
	}
	return 0;
}

int
vfbc_perf_start_procs(const struct vfbc_perf_opts *o, struct vfbc_perf_eal *e,
		struct vfbc_perf_results *r)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	unsigned int i;
	size_t len;
	int ret;

	for (i = 0; i < o->procs; i++) {
		char **allow;
		int nb_allow, k;

		ret = vfbc_perf_drv_allow_list(i, o->procs, &allow, &nb_allow);
		if (ret != 0)
			return ret;
		ret = vfbc_perf_spawn(e, allow, nb_allow, i, o->lcores[1 + i % (o->nb_lcores - 1)],
				&vfbc_perf_pids[i]);
		for (k = 0; k < nb_allow; k++)
			free(allow[k]);
		free(allow);
		if (ret != 0)
			return ret;
	}
	ret = vfbc_perf_procs_ready();
	if (ret != 0)
		return ret;
	len = snprintf(r->placement, sizeof(r->placement),
			"PF primary pid %d on lcore %u (cpu %d)", (int)getpid(),
			rte_lcore_id(), sched_getcpu());
	for (i = 0; i < o->procs && len < sizeof(r->placement); i++)
		len += snprintf(r->placement + len, sizeof(r->placement) - len,
				"; VF process %u pid %d on lcore %u (cpu %d, %u VFs by the VF "
				"PMD, %u on the channel)", i, c->proc[i].pid, c->proc[i].lcore,
				c->proc[i].cpu, c->proc[i].pmd_vfs, c->proc[i].ch_vfs);
	return 0;
}

/* Stops the VF processes of the control block in use. */
void
vfbc_perf_stop_procs(void)
{
	unsigned int i;
	int status;

	vfbc_perf_cmd_start(VFBC_PERF_CMD_EXIT, 0);
	for (i = 0; i < vfbc_perf_ctl->nb_procs; i++) {
		if (vfbc_perf_pids[i] <= 0)
			continue;
		vfbc_launch_wait(vfbc_perf_pids[i], VFBC_LAUNCH_FOREVER, &status);
		vfbc_perf_pids[i] = 0;
	}
}
