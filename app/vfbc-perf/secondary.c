/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF process role (--vfbc-perf-role N, started by the primary): an EAL
 * secondary that claims the VFs it was given and runs its side of every
 * command the primary publishes in the control memzone. The isolated
 * consumer (isolated.c) runs the same loop on a control block of its own.
 */

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "perf.h"

/* The VF side of each command. */
static int (*const vfbc_perf_vf_side[])(struct vfbc_perf_proc *me) = {
	[VFBC_PERF_CMD_CACHELINE] = vfbc_perf_vf_cacheline,
	[VFBC_PERF_CMD_RING_STREAM] = vfbc_perf_vf_ring_stream,
	[VFBC_PERF_CMD_PIPE] = vfbc_perf_vf_pipe,
	[VFBC_PERF_CMD_MP] = vfbc_perf_vf_mp,
	[VFBC_PERF_CMD_INV_LATENCY] = vfbc_perf_vf_inv_latency,
	[VFBC_PERF_CMD_INV_STREAM] = vfbc_perf_vf_inv_stream,
	[VFBC_PERF_CMD_INV_SOLO] = vfbc_perf_vf_inv_solo,
	[VFBC_PERF_CMD_POLL_IDLE] = vfbc_perf_vf_poll_idle,
	[VFBC_PERF_CMD_REQ_RTT] = vfbc_perf_vf_req_rtt,
	[VFBC_PERF_CMD_REQ_BUSY] = vfbc_perf_vf_req_busy,
	[VFBC_PERF_CMD_INV_FANOUT] = vfbc_perf_vf_inv_fanout,
	[VFBC_PERF_CMD_SLEEP_WAKE] = vfbc_perf_vf_sleep_wake,
	[VFBC_PERF_CMD_SLEEP_IDLE] = vfbc_perf_vf_sleep_idle,
};

/* A secondary's PF primary is alive while it holds EAL's config file lock. */
static int
vfbc_perf_primary_alive(void)
{
	return rte_eal_primary_proc_alive(NULL);
}

/*
 * Take its VFs, then run its side of each command until told to exit or
 * until alive() says the PF primary is gone: the loop of every VF process,
 * secondary or isolated consumer (isolated.c), once attached to its control
 * block.
 */
int
vfbc_perf_vf_serve(unsigned int index, int (*alive)(void))
{
	int (*side)(struct vfbc_perf_proc *me);
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_proc *me;
	uint64_t last = 0, cur;
	unsigned int idle = 0;
	int ret;

	if (index >= c->nb_procs)
		return 1;
	me = &c->proc[index];
	me->pid = getpid();
	me->cpu = sched_getcpu();
	me->lcore = rte_lcore_id();
	if (c->drv_nb_vfs != 0) {
		ret = vfbc_perf_drv_attach(me, index, c->nb_procs);
		if (ret != 0) {
			fprintf(stderr, "vfbc-perf[%u]: cannot take its VFs: %s\n", index,
					strerror(-ret));
			vfbc_perf_drv_detach(index, c->nb_procs);
			return 1;
		}
	}
	__atomic_store_n(&me->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		cur = __atomic_load_n(&c->cmd_seq.v, __ATOMIC_ACQUIRE);
		if (cur == last) {
			rte_delay_us_sleep(50);
			if (++idle % 20000 == 0 && !alive()) {
				fprintf(stderr, "vfbc-perf[%u]: the primary is gone\n", index);
				vfbc_perf_drv_detach(index, c->nb_procs);
				return 1;
			}
			continue;
		}
		last = cur;
		ret = 0;
		if (c->cmd == VFBC_PERF_CMD_EXIT)
			break;
		side = c->cmd < RTE_DIM(vfbc_perf_vf_side) ? vfbc_perf_vf_side[c->cmd] : NULL;
		if (index < c->nb_active)
			ret = side != NULL ? side(me) : -ENOTSUP;
		me->status = ret;
		__atomic_store_n(&me->done_seq, cur, __ATOMIC_RELEASE);
	}
	vfbc_perf_drv_detach(index, c->nb_procs);
	__atomic_store_n(&me->done_seq, cur, __ATOMIC_RELEASE);
	return 0;
}

int
vfbc_perf_secondary(int argc, char **argv, unsigned int index)
{
	int ret;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "vfbc-perf[%u]: cannot init EAL: %s\n", index,
				rte_strerror(rte_errno));
		return 1;
	}
	ret = vfbc_perf_ctl_attach();
	if (ret == 0) {
		ret = vfbc_perf_vf_serve(index, vfbc_perf_primary_alive);
	} else {
		fprintf(stderr, "vfbc-perf[%u]: no control memzone: %s\n", index, strerror(-ret));
		ret = 1;
	}
	rte_eal_cleanup();
	return ret;
}
