/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The sleeping service (vfbc_pf_mbox_poll_wait()), for a PF that is no data
 * path: poll for a bounded time, then sleep on the channel's service
 * descriptor until a VF posts a request (vfbc_channel_service.c) or a
 * control-thread job ends (pf_mbox_job_run() kicks it), then serve. The
 * service's own clock bounds each sleep: the sweep, which finds requests
 * whose doorbell was lost or cleared, runs every VFBC_PF_MBOX_SWEEP_MS
 * asleep as awake.
 */

#include <errno.h>
#include <unistd.h>

#include <sys/epoll.h>

#include <rte_cycles.h>
#include <rte_pause.h>

#include <vfbc_channel.h>

#include "vfbc_pf.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_wait.h"

/*
 * By port id, not in the mailbox: a waiter looks its mailbox up and says
 * it waits under the same lock as the close says it closes, so a mailbox
 * a waiter found is never freed under it.
 */
static rte_spinlock_t pf_wait_locks[RTE_MAX_ETHPORTS];

RTE_INIT(pf_wait_locks_init)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(pf_wait_locks); i++)
		rte_spinlock_init(&pf_wait_locks[i]);
}

/* The port's mailbox, waited on by this thread alone; not once the close began. */
static int
pf_wait_enter(uint16_t port_id, struct vfbc_pf_mbox **mbp)
{
	struct vfbc_pf_mbox *mb;
	int ret = 0;

	rte_spinlock_lock(&pf_wait_locks[port_id]);
	/* A10: pairs with R10 in vfbc_pf_mbox_init(). */
	mb = __atomic_load_n(&vfbc_pf_mboxes[port_id], __ATOMIC_ACQUIRE);
	if (mb == NULL || mb->wait_closing)
		ret = -ENODEV;
	else if (mb->waiting)
		ret = -EBUSY;
	else
		mb->waiting = 1;
	rte_spinlock_unlock(&pf_wait_locks[port_id]);
	*mbp = mb;
	return ret;
}

/* The close waits for this (vfbc_pf_mbox_wait_close()): mb is not touched after. */
static void
pf_wait_leave(struct vfbc_pf_mbox *mb)
{
	uint16_t port_id = mb->port_id;

	rte_spinlock_lock(&pf_wait_locks[port_id]);
	mb->waiting = 0;
	rte_spinlock_unlock(&pf_wait_locks[port_id]);
}

static int
pf_wait_closing(struct vfbc_pf_mbox *mb)
{
	return __atomic_load_n(&mb->wait_closing, __ATOMIC_RELAXED) != 0;
}

/* A pass; another poller in one (the port's rte_service) serves for this call. */
static int
pf_wait_poll(struct vfbc_pf_mbox *mb, unsigned int budget)
{
	int n = vfbc_pf_mbox_poll_mb(mb, budget);

	return n == -EBUSY ? 0 : n;
}

/* Milliseconds to sleep: to the deadline or the next sweep, rounded up. */
static int
pf_wait_ms(const struct vfbc_pf_mbox *mb, uint64_t deadline)
{
	return vfbc_wait_ms_left(RTE_MIN(deadline,
					 __atomic_load_n(&mb->next_sweep, __ATOMIC_RELAXED)));
}

static int
pf_wait(struct vfbc_pf_mbox *mb, int fd, unsigned int budget, uint32_t spin_us, int timeout_ms)
{
	uint64_t hz = rte_get_timer_hz(), end;
	struct epoll_event ev;
	int n, armed;

	/* The spin: requests this close to the last ones cost no sleep and no wake. */
	end = vfbc_wait_deadline_us(spin_us);
	for (;;) {
		n = pf_wait_poll(mb, budget);
		if (n != 0)
			return n;
		if (pf_wait_closing(mb))
			return -ENODEV;
		if (rte_get_timer_cycles() >= end)
			break;
		rte_pause();
	}
	if (timeout_ms == 0)
		return 0;
	end = timeout_ms < 0 ? UINT64_MAX :
		rte_get_timer_cycles() + hz * (uint64_t)timeout_ms / MS_PER_S;
	for (;;) {
		armed = vfbc_channel_service_sleep_arm(mb->ch);
		if (armed < 0)
			return armed;
		/*
		 * Armed, and still nothing of the driver's own: a job that
		 * ends after this look kicks the descriptor; the close kicks
		 * it after setting its flag.
		 */
		if (armed == 0) {
			if (!vfbc_pf_mbox_due(mb, rte_get_timer_cycles()) &&
					!pf_wait_closing(mb)) {
				vfbc_pf_count(mb->pf->ad, VFBC_PF_XS_MBOX_SLEEPS, 1);
				if (epoll_wait(fd, &ev, 1, pf_wait_ms(mb, end)) > 0)
					vfbc_pf_count(mb->pf->ad, VFBC_PF_XS_MBOX_SLEEP_WAKES, 1);
			}
			vfbc_channel_service_sleep_disarm(mb->ch);
		}
		n = pf_wait_poll(mb, budget);
		if (n != 0)
			return n;
		if (pf_wait_closing(mb))
			return -ENODEV;
		if (timeout_ms >= 0 && rte_get_timer_cycles() >= end)
			return 0;
	}
}

int
vfbc_pf_mbox_poll_wait_port(uint16_t port_id, unsigned int budget, uint32_t spin_us,
			    int timeout_ms)
{
	struct vfbc_pf_mbox *mb;
	int fd, ret;

	ret = pf_wait_enter(port_id, &mb);
	if (ret < 0)
		return ret;
	/* Made once, closed with the channel. */
	fd = vfbc_channel_service_fd(mb->ch);
	ret = fd < 0 ? fd : pf_wait(mb, fd, budget, spin_us, timeout_ms);
	pf_wait_leave(mb);
	return ret;
}

void
vfbc_pf_mbox_wait_close(struct vfbc_pf_mbox *mb)
{
	rte_spinlock_t *lock = &pf_wait_locks[mb->port_id];
	uint8_t waiting;

	rte_spinlock_lock(lock);
	/* Atomic: the waiter reads it without the lock (pf_wait_closing()). */
	__atomic_store_n(&mb->wait_closing, 1, __ATOMIC_RELAXED);
	rte_spinlock_unlock(lock);
	(void)vfbc_channel_service_kick(mb->ch);
	for (;;) {
		rte_spinlock_lock(lock);
		waiting = mb->waiting;
		rte_spinlock_unlock(lock);
		if (!waiting)
			return;
		usleep(100);
	}
}
