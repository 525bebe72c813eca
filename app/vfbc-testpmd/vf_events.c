/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Invalidations on the VF ports this process claims (usually a secondary
 * started with -a <VF>): a control thread polls them (vfbc_vf_poll()), the
 * driver calls our callback with each coalesced mask, and the callback
 * records it (time, mask) and prints it as one line. "show vf events"
 * lists the record; "wait vf invalidate" waits on it.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <vfbc_pmd_vf.h>

#include "vfbc_testpmd.h"

#define VFBC_TP_EVENTS_KEPT	64	/* Latest invalidations kept per port. */
#define VFBC_TP_VF_IDLE_US	500	/* Sleep of the thread after an idle round. */

struct vfbc_tp_vf_event {
	struct timespec when;		/* CLOCK_REALTIME, for display */
	uint64_t mask;
};

struct vfbc_tp_vf_port {
	uint8_t watched;		/* claimed here at start: polled */
	uint8_t gone;			/* the primary is gone */
	uint64_t count;			/* invalidations received */
	uint64_t waited;		/* ... of them returned by "wait" */
	struct vfbc_tp_vf_event ev[VFBC_TP_EVENTS_KEPT]; /* event n at (n - 1) % KEPT */
};

/* Everything below is protected by vfbc_tp_ev_lock. */
static struct vfbc_tp_vf_port *vfbc_tp_vf_ports;
static pthread_mutex_t vfbc_tp_ev_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vfbc_tp_ev_cond;

static uint16_t vfbc_tp_watched[RTE_MAX_ETHPORTS];
static unsigned int vfbc_tp_nb_watched;
static pthread_t vfbc_tp_vf_thread;
static int vfbc_tp_vf_thread_on;
/* Stop flag only: thread creation and join order everything else. */
static uint32_t vfbc_tp_vf_run;

/* Runs on the polling thread, in vfbc_vf_poll(). */
static void
vfbc_tp_vf_invalidated(uint16_t port_id, uint64_t block_mask, __rte_unused void *arg)
{
	struct vfbc_tp_vf_port *p = &vfbc_tp_vf_ports[port_id];
	struct vfbc_tp_vf_event *ev;

	/* Recorded before printing: a "wait" never depends on the console. */
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	ev = &p->ev[p->count % VFBC_TP_EVENTS_KEPT];
	clock_gettime(CLOCK_REALTIME, &ev->when);
	ev->mask = block_mask;
	p->count++;
	pthread_cond_broadcast(&vfbc_tp_ev_cond);
	pthread_mutex_unlock(&vfbc_tp_ev_lock);

	vfbc_tp_async_line("Port %u: config blocks invalidated, mask 0x%016" PRIx64, port_id,
			block_mask);
}

static void *
vfbc_tp_vf_thread_main(__rte_unused void *arg)
{
	struct vfbc_vf_info info;
	unsigned int live;
	unsigned int i;
	uint16_t pid;
	int polled;
	int ret;

	do {
		polled = 0;
		live = 0;
		for (i = 0; i < vfbc_tp_nb_watched; i++) {
			pid = vfbc_tp_watched[i];
			if (vfbc_tp_vf_ports[pid].gone)
				continue;
			live++;
			ret = vfbc_vf_poll(pid, NULL);
			if (ret > 0)
				polled++;
			if (ret != -ENOTCONN)
				continue;
			pthread_mutex_lock(&vfbc_tp_ev_lock);
			vfbc_tp_vf_ports[pid].gone = 1;
			pthread_cond_broadcast(&vfbc_tp_ev_cond);
			pthread_mutex_unlock(&vfbc_tp_ev_lock);
			if (vfbc_vf_get_info(pid, &info) == 0 && info.isolated)
				vfbc_tp_async_line("Port %u: the PF closed the connection: no more"
						" invalidations", pid);
			else
				vfbc_tp_async_line("Port %u: the primary process is gone: no more"
						" invalidations", pid);
		}
		if (polled == 0)
			rte_delay_us_sleep(VFBC_TP_VF_IDLE_US);
	} while (live > 0 && __atomic_load_n(&vfbc_tp_vf_run, __ATOMIC_RELAXED));
	return NULL;
}

int
vfbc_tp_vf_events_start(void)
{
	struct vfbc_vf_info info;
	pthread_condattr_t attr;
	uint16_t pid;
	int ret;

	vfbc_tp_vf_ports = calloc(RTE_MAX_ETHPORTS, sizeof(*vfbc_tp_vf_ports));
	if (vfbc_tp_vf_ports == NULL)
		return -ENOMEM;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vfbc_tp_ev_cond, &attr);
	pthread_condattr_destroy(&attr);

	vfbc_tp_nb_watched = 0;
	RTE_ETH_FOREACH_DEV(pid) {
		if (vfbc_vf_get_info(pid, &info) < 0 || !info.claimed)
			continue;
		ret = vfbc_vf_invalidate_callback_register(pid, vfbc_tp_vf_invalidated, NULL);
		if (ret < 0) {
			fprintf(stderr, "port %u: cannot register the invalidation callback: %s\n",
					pid, strerror(-ret));
			return ret;
		}
		vfbc_tp_vf_ports[pid].watched = 1;
		vfbc_tp_watched[vfbc_tp_nb_watched++] = pid;
	}
	if (vfbc_tp_nb_watched == 0)
		return 0;
	__atomic_store_n(&vfbc_tp_vf_run, 1, __ATOMIC_RELAXED);
	ret = rte_ctrl_thread_create(&vfbc_tp_vf_thread, "vfbc-tp-vf", NULL,
			vfbc_tp_vf_thread_main, NULL);
	if (ret != 0) {
		fprintf(stderr, "cannot start the VF polling thread: %s\n", strerror(ret));
		return -ret;
	}
	vfbc_tp_vf_thread_on = 1;
	return 0;
}

void
vfbc_tp_vf_events_stop(void)
{
	unsigned int i;

	if (vfbc_tp_vf_thread_on) {
		__atomic_store_n(&vfbc_tp_vf_run, 0, __ATOMIC_RELAXED);
		pthread_join(vfbc_tp_vf_thread, NULL);
		vfbc_tp_vf_thread_on = 0;
	}
	for (i = 0; i < vfbc_tp_nb_watched; i++)
		vfbc_vf_invalidate_callback_unregister(vfbc_tp_watched[i],
				vfbc_tp_vf_invalidated, NULL);
	vfbc_tp_nb_watched = 0;
	free(vfbc_tp_vf_ports);
	vfbc_tp_vf_ports = NULL;
}

/* The port is a VF port this process receives invalidations on. */
static int
vfbc_tp_vf_watched_check(const char *what, uint32_t port_id)
{
	int ret;

	ret = vfbc_tp_vf_port_check(what, port_id);
	if (ret < 0)
		return ret;
	if (!vfbc_tp_vf_ports[port_id].watched) {
		vfbc_tp_error("%s: port %u: this process does not hold the VF's claim, it"
				" receives no invalidations (run a secondary with -a <VF>)", what,
				port_id);
		return -EPERM;
	}
	return 0;
}

int
vfbc_tp_vf_events_display(uint32_t port_id)
{
	static const char what[] = "show vf events";
	struct vfbc_tp_vf_event *ev;
	struct vfbc_tp_vf_port *p;
	char when[32];
	uint64_t first;
	uint64_t n;
	struct tm tm;
	int ret;

	ret = vfbc_tp_vf_watched_check(what, port_id);
	if (ret < 0)
		return ret;
	p = &vfbc_tp_vf_ports[port_id];
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	printf("Port %u: %" PRIu64 " invalidation%s received%s\n", port_id, p->count,
	       vfbc_tp_plural(p->count), p->gone ? " (the primary is gone)" : "");
	first = p->count > VFBC_TP_EVENTS_KEPT ? p->count - VFBC_TP_EVENTS_KEPT : 0;
	if (p->count > 0)
		printf("  %-6s %-15s %s\n", "#", "Time", "Mask");
	for (n = first; n < p->count; n++) {
		ev = &p->ev[n % VFBC_TP_EVENTS_KEPT];
		localtime_r(&ev->when.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		printf("  %-6" PRIu64 " %s.%06ld 0x%016" PRIx64 "\n", n + 1, when,
		       ev->when.tv_nsec / 1000, ev->mask);
	}
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	return 0;
}

int
vfbc_tp_vf_invalidate_wait(uint32_t port_id, uint32_t timeout_ms)
{
	static const char what[] = "wait vf invalidate";
	struct vfbc_tp_vf_port *p;
	struct timespec deadline;
	uint64_t mask;
	uint64_t n;
	int gone;
	int ret;

	ret = vfbc_tp_vf_watched_check(what, port_id);
	if (ret < 0)
		return ret;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	p = &vfbc_tp_vf_ports[port_id];
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	ret = 0;
	while (p->waited >= p->count && !p->gone && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&vfbc_tp_ev_cond, &vfbc_tp_ev_lock, &deadline);
	/* Invalidations no longer kept were missed by the waits: skip them. */
	if (p->count > VFBC_TP_EVENTS_KEPT && p->waited < p->count - VFBC_TP_EVENTS_KEPT)
		p->waited = p->count - VFBC_TP_EVENTS_KEPT;
	n = p->waited;
	mask = 0;
	if (n < p->count) {
		mask = p->ev[n % VFBC_TP_EVENTS_KEPT].mask;
		p->waited++;
	}
	gone = p->gone;
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	if (mask != 0) {
		printf("Port %u: invalidation #%" PRIu64 ", mask 0x%016" PRIx64 "\n", port_id,
		       n + 1, mask);
		return 0;
	}
	if (gone) {
		vfbc_tp_error("%s: port %u: the primary process is gone", what, port_id);
		return -ENOTCONN;
	}
	vfbc_tp_error("%s: port %u: no invalidation within %u ms", what, port_id, timeout_ms);
	return -ETIMEDOUT;
}
