/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Primary death, seen from a VF consumer. A secondary is not told that its
 * primary is gone (the channel lives on in the shared hugepages), so the
 * VF PMD watches it: a pidfd of the channel's creator, registered with
 * EAL's interrupt thread, becomes readable when that process exits. The
 * callback marks the port dead once, for good; the fast paths read a flag
 * and make no call (no clock, no lock test: rte_eal_primary_proc_alive()
 * is not thread-safe, and a false answer must never latch).
 *
 * Without pidfds (kernels before 5.3), an EAL alarm checks the pid every
 * VF_ALIVE_PERIOD_MS instead; only a definite "no such process" counts.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_interrupts.h>

#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

#define VF_ALIVE_PERIOD_MS	100

static void
vf_primary_dead(struct vfbc_vf_proc *proc)
{
	if (__atomic_exchange_n(&proc->dead, 1, __ATOMIC_RELAXED) != 0)
		return;
	vfbc_vf_fp_publish(proc);
	VF_LOG(ERR, "port %u: the primary process (pid %d) is gone: VF %u backchannel "
	       "down, calls return -ENOTCONN", proc->port_id, (int)proc->primary_pid,
	       proc->vf_id);
}

static void
vf_primary_exited(void *arg)
{
	struct vfbc_vf_proc *proc = arg;

	vf_primary_dead(proc);
	/* The pidfd stays readable: stop the interrupt thread from calling again. */
	rte_intr_callback_unregister_pending(proc->primary_intr, vf_primary_exited, proc, NULL);
}

static void
vf_primary_alarm(void *arg)
{
	struct vfbc_vf_proc *proc = arg;

	if (kill(proc->primary_pid, 0) != 0 && errno == ESRCH) {
		vf_primary_dead(proc);
		return;
	}
	rte_eal_alarm_set(VF_ALIVE_PERIOD_MS * 1000, vf_primary_alarm, proc);
}

int
vfbc_vf_primary_watch(struct vfbc_vf_proc *proc)
{
	struct rte_intr_handle *h;
	int fd = -1;

	proc->primary_pid = vfbc_channel_creator_pid(proc->ch);
	if (!proc->secondary || proc->primary_pid <= 0 || proc->primary_pidfd >= 0 ||
	    proc->primary_intr != NULL)
		return 0;
#ifdef SYS_pidfd_open
	fd = (int)syscall(SYS_pidfd_open, proc->primary_pid, 0);
#endif
	if (fd < 0) {
		if (errno == ESRCH) {
			vf_primary_dead(proc);
			return -ENOTCONN;
		}
		/* No pidfds here: poll the pid instead. */
		return rte_eal_alarm_set(VF_ALIVE_PERIOD_MS * 1000, vf_primary_alarm, proc);
	}
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL || rte_intr_type_set(h, RTE_INTR_HANDLE_EXT) != 0 ||
	    rte_intr_fd_set(h, fd) != 0 ||
	    rte_intr_callback_register(h, vf_primary_exited, proc) != 0) {
		rte_intr_instance_free(h);
		close(fd);
		return rte_eal_alarm_set(VF_ALIVE_PERIOD_MS * 1000, vf_primary_alarm, proc);
	}
	proc->primary_pidfd = fd;
	proc->primary_intr = h;
	return 0;
}

void
vfbc_vf_primary_unwatch(struct vfbc_vf_proc *proc)
{
	int i, ret;

	rte_eal_alarm_cancel(vf_primary_alarm, proc);
	if (proc->primary_intr == NULL)
		return;
	/* -EAGAIN: the callback is running right now; it is short. */
	for (i = 0; i < 1000; i++) {
		ret = rte_intr_callback_unregister(proc->primary_intr, vf_primary_exited, proc);
		if (ret != -EAGAIN)
			break;
		usleep(1000);
	}
	rte_intr_instance_free(proc->primary_intr);
	proc->primary_intr = NULL;
	close(proc->primary_pidfd);
	proc->primary_pidfd = -1;
}
