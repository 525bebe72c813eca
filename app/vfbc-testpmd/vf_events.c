/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Invalidations on the VF ports this process claims (usually a secondary
 * started with -a <VF>): a control thread polls them (vfbc_vf_poll()), the
 * driver calls our callback with each coalesced mask, and the callback
 * records it (time, mask) and prints it as one line. "show vf events"
 * lists the record; "wait vf invalidate" waits on it.
 *
 * Life events (what the PF did to the VF) come as ethdev events on the
 * same ports, RTE_ETH_EVENT_INTR_RESET, _RMV and _LSC, raised on EAL's
 * interrupt thread: recorded and printed the same way, as testpmd prints
 * port events; "wait vf event" waits on them. A port this process claims
 * later, with "port reset", is watched from then on.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
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
#define VFBC_TP_LIFE_KEPT	64	/* Latest life events kept per port. */
#define VFBC_TP_VF_IDLE_US	500	/* Sleep of the thread after an idle round. */
/* Sleep while no port is polled: a reset may bring one back. */
#define VFBC_TP_VF_NONE_US	10000
/* Cause of an RTE_ETH_EVENT_INTR_LSC without one (ret_param NULL): the link changed. */
#define VFBC_TP_LIFE_LINK	VFBC_VF_EVENT_NB

struct vfbc_tp_vf_event {
	struct timespec when;		/* CLOCK_REALTIME, for display */
	uint64_t mask;
};

struct vfbc_tp_life_event {
	struct timespec when;		/* CLOCK_REALTIME, for display */
	uint32_t cause;			/* VFBC_VF_EVENT_*, or VFBC_TP_LIFE_LINK */
	uint8_t type;			/* enum rte_eth_event_type */
	uint8_t link_up;		/* the port's link once the event was raised */
	uint8_t power_state;		/* the VF's D state then */
};

struct vfbc_tp_vf_port {
	uint8_t watched;		/* claimed here: polled, its events recorded */
	uint8_t gone;			/* the primary is gone */
	uint8_t sleeping;		/* "set vf sleep on": not polled, woken by the PF */
	uint8_t waiting;		/* "wait vf invalidate ... spin": the console delivers */
	uint64_t count;			/* invalidations received */
	uint64_t waited;		/* ... of them returned by "wait" */
	struct vfbc_tp_vf_event ev[VFBC_TP_EVENTS_KEPT]; /* event n at (n - 1) % KEPT */
	uint64_t life_count;		/* life events received */
	uint64_t life_waited;		/* ... of them returned by "wait vf event" */
	struct vfbc_tp_life_event life[VFBC_TP_LIFE_KEPT]; /* as ev */
};

/* What a cause is called in tables, and said in lines. */
static const struct {
	const char *name;
	const char *says;
} vfbc_tp_life_causes[VFBC_VF_EVENT_NB + 1] = {
	[VFBC_VF_EVENT_FLR] = { "FLR", "the PF reset the VF (FLR)" },
	[VFBC_VF_EVENT_FLR_ASKED] = { "FLR_ASKED", "the PF reset the VF, as its consumer asked"
		" (FLR)" },
	[VFBC_VF_EVENT_POWER] = { "POWER", "the PF changed the VF's power state" },
	[VFBC_VF_EVENT_DISABLED] = { "DISABLED", "the PF disabled the VF" },
	[VFBC_VF_EVENT_ENABLED] = { "ENABLED", "the PF enabled the VF again" },
	[VFBC_VF_EVENT_REVOKED] = { "REVOKED", "the PF took the VF's claim back" },
	[VFBC_VF_EVENT_PF_CLOSED] = { "PF_CLOSED", "the PF closed its port" },
	[VFBC_VF_EVENT_PF_GONE] = { "PF_GONE", "the PF is gone" },
	[VFBC_TP_LIFE_LINK] = { "-", "the link changed" },
};

/* Everything below is protected by vfbc_tp_ev_lock. */
static struct vfbc_tp_vf_port *vfbc_tp_vf_ports;
static pthread_mutex_t vfbc_tp_ev_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vfbc_tp_ev_cond;

/*
 * Only the console adds ports, entry first, then the count (release): the
 * polling thread reads the count (acquire), then the entries.
 */
static uint16_t vfbc_tp_watched[RTE_MAX_ETHPORTS];
static unsigned int vfbc_tp_nb_watched;
static pthread_t vfbc_tp_vf_thread;
static int vfbc_tp_vf_thread_on;
/* Stop flag only: thread creation and join order everything else. */
static uint32_t vfbc_tp_vf_run;
/* Rounds the polling thread ended: a port it was told to leave is left after two. */
static uint32_t vfbc_tp_vf_rounds;

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
	unsigned int nb;
	unsigned int i;
	uint16_t pid;
	int polled;
	int ret;

	do {
		polled = 0;
		live = 0;
		nb = __atomic_load_n(&vfbc_tp_nb_watched, __ATOMIC_ACQUIRE);
		for (i = 0; i < nb; i++) {
			pid = vfbc_tp_watched[i];
			if (__atomic_load_n(&vfbc_tp_vf_ports[pid].gone, __ATOMIC_RELAXED) ||
			    __atomic_load_n(&vfbc_tp_vf_ports[pid].sleeping, __ATOMIC_RELAXED) ||
			    __atomic_load_n(&vfbc_tp_vf_ports[pid].waiting, __ATOMIC_RELAXED))
				continue;
			live++;
			ret = vfbc_vf_poll(pid, NULL);
			if (ret > 0)
				polled++;
			if (ret != -ENOTCONN)
				continue;
			pthread_mutex_lock(&vfbc_tp_ev_lock);
			__atomic_store_n(&vfbc_tp_vf_ports[pid].gone, 1, __ATOMIC_RELAXED);
			pthread_cond_broadcast(&vfbc_tp_ev_cond);
			pthread_mutex_unlock(&vfbc_tp_ev_lock);
			if (vfbc_vf_get_info(pid, &info) == 0 && info.isolated)
				vfbc_tp_async_line("Port %u: the PF closed the connection: no more"
						" invalidations", pid);
			else
				vfbc_tp_async_line("Port %u: the primary process is gone: no more"
						" invalidations", pid);
		}
		/* Its polls are over: a console waiting for that sees it. */
		__atomic_fetch_add(&vfbc_tp_vf_rounds, 1, __ATOMIC_RELEASE);
		if (live == 0)
			rte_delay_us_sleep(VFBC_TP_VF_NONE_US);
		else if (polled == 0)
			rte_delay_us_sleep(VFBC_TP_VF_IDLE_US);
	} while (__atomic_load_n(&vfbc_tp_vf_run, __ATOMIC_RELAXED));
	return NULL;
}

/* Its line, as testpmd prints port events: "Port 1: reset event: the PF reset the VF (FLR)". */
static void
vfbc_tp_life_print(uint16_t port_id, const struct vfbc_tp_life_event *ev)
{
	const char *says = vfbc_tp_life_causes[ev->cause].says;
	const char *link = ev->link_up ? "up" : "down";

	switch (ev->type) {
	case RTE_ETH_EVENT_INTR_RESET:
		vfbc_tp_async_line("Port %u: reset event: %s", port_id, says);
		break;
	case RTE_ETH_EVENT_INTR_RMV:
		vfbc_tp_async_line("Port %u: removal event: %s", port_id, says);
		break;
	default:
		if (ev->cause == VFBC_VF_EVENT_POWER)
			vfbc_tp_async_line("Port %u: link %s: %s (now %s)", port_id, link, says,
					vfbc_tp_power_label(ev->power_state));
		else
			vfbc_tp_async_line("Port %u: link %s", port_id, link);
		break;
	}
}

/* Runs on EAL's interrupt thread, where the driver raises the port's life events. */
static int
vfbc_tp_vf_life_event(uint16_t port_id, enum rte_eth_event_type type, __rte_unused void *arg,
		void *ret_param)
{
	const struct vfbc_vf_event *vev = ret_param;
	struct vfbc_tp_life_event ev;
	struct vfbc_vf_info info;
	struct vfbc_tp_vf_port *p;

	if (port_id >= RTE_MAX_ETHPORTS)
		return 0;
	memset(&ev, 0, sizeof(ev));
	clock_gettime(CLOCK_REALTIME, &ev.when);
	ev.type = (uint8_t)type;
	/* Only an LSC of a power change has a cause; any other says the link changed. */
	ev.cause = vev != NULL && vev->cause < VFBC_VF_EVENT_NB ? vev->cause : VFBC_TP_LIFE_LINK;
	/* The driver set the link before raising the event: what the event left. */
	if (vfbc_vf_get_info(port_id, &info) == 0) {
		ev.link_up = info.link_up;
		ev.power_state = info.power_state;
	}

	/* Recorded before printing, as an invalidation. */
	p = &vfbc_tp_vf_ports[port_id];
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	p->life[p->life_count % VFBC_TP_LIFE_KEPT] = ev;
	p->life_count++;
	pthread_cond_broadcast(&vfbc_tp_ev_cond);
	pthread_mutex_unlock(&vfbc_tp_ev_lock);

	vfbc_tp_life_print(port_id, &ev);
	return 0;
}

static const enum rte_eth_event_type vfbc_tp_life_types[] = {
	RTE_ETH_EVENT_INTR_RESET,
	RTE_ETH_EVENT_INTR_RMV,
	RTE_ETH_EVENT_INTR_LSC,
};

/* Unregister what vfbc_tp_vf_watch() registered on a port. */
static void
vfbc_tp_vf_unwatch(uint16_t pid)
{
	unsigned int t;
	int ret;

	for (t = 0; t < RTE_DIM(vfbc_tp_life_types); t++) {
		/* -EAGAIN: the callback runs right now; it is short. */
		do {
			ret = rte_eth_dev_callback_unregister(pid, vfbc_tp_life_types[t],
					vfbc_tp_vf_life_event, NULL);
		} while (ret == -EAGAIN);
	}
	vfbc_vf_invalidate_callback_unregister(pid, vfbc_tp_vf_invalidated, NULL);
}

static int
vfbc_tp_vf_thread_start(void)
{
	int ret;

	if (vfbc_tp_vf_thread_on)
		return 0;
	__atomic_store_n(&vfbc_tp_vf_run, 1, __ATOMIC_RELAXED);
	ret = rte_ctrl_thread_create(&vfbc_tp_vf_thread, "vfbc-tp-vf", NULL,
			vfbc_tp_vf_thread_main, NULL);
	if (ret != 0)
		return -ret;
	vfbc_tp_vf_thread_on = 1;
	return 0;
}

/*
 * Receive a claimed port's invalidations and life events from now on.
 * Console thread only. @return 0, or a negative errno after printing why.
 */
static int
vfbc_tp_vf_watch(uint16_t pid)
{
	unsigned int t;
	int ret;

	if (vfbc_tp_vf_ports[pid].watched)
		return 0;
	ret = vfbc_vf_invalidate_callback_register(pid, vfbc_tp_vf_invalidated, NULL);
	if (ret < 0) {
		fprintf(stderr, "port %u: cannot register the invalidation callback: %s\n", pid,
				strerror(-ret));
		return ret;
	}
	for (t = 0; t < RTE_DIM(vfbc_tp_life_types); t++) {
		ret = rte_eth_dev_callback_register(pid, vfbc_tp_life_types[t],
				vfbc_tp_vf_life_event, NULL);
		if (ret < 0) {
			fprintf(stderr, "port %u: cannot register the life event callbacks: %s\n",
					pid, strerror(-ret));
			vfbc_tp_vf_unwatch(pid);
			return ret;
		}
	}
	vfbc_tp_vf_ports[pid].watched = 1;
	vfbc_tp_watched[vfbc_tp_nb_watched] = pid;
	__atomic_store_n(&vfbc_tp_nb_watched, vfbc_tp_nb_watched + 1, __ATOMIC_RELEASE);
	ret = vfbc_tp_vf_thread_start();
	if (ret < 0)
		fprintf(stderr, "cannot start the VF polling thread: %s\n", strerror(-ret));
	return ret;
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
		ret = vfbc_tp_vf_watch(pid);
		if (ret < 0)
			return ret;
	}
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
		vfbc_tp_vf_unwatch(vfbc_tp_watched[i]);
	vfbc_tp_nb_watched = 0;
	free(vfbc_tp_vf_ports);
	vfbc_tp_vf_ports = NULL;
}

/* The port is a VF port this process receives @p things (invalidations, life events) on. */
static int
vfbc_tp_vf_watched_check(const char *what, uint32_t port_id, const char *things)
{
	int ret;

	ret = vfbc_tp_vf_port_check(what, port_id);
	if (ret < 0)
		return ret;
	if (!vfbc_tp_vf_ports[port_id].watched) {
		vfbc_tp_error("%s: port %u: this process does not hold the VF's claim, it"
				" receives no %s (run a secondary with -a <VF>)", what, port_id,
				things);
		return -EPERM;
	}
	return 0;
}

static const char *
vfbc_tp_life_type_name(uint8_t type)
{
	switch (type) {
	case RTE_ETH_EVENT_INTR_RESET:
		return "INTR_RESET";
	case RTE_ETH_EVENT_INTR_RMV:
		return "INTR_RMV";
	default:
		return "INTR_LSC";
	}
}

/* "09:12:01.123456" */
static void
vfbc_tp_time_format(const struct timespec *when, char *buf, size_t size)
{
	char hms[16];
	struct tm tm;

	localtime_r(&when->tv_sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	/* Within 0..999999: six digits, as gcc can tell. */
	snprintf(buf, size, "%s.%06ld", hms, when->tv_nsec / 1000 % 1000000);
}

/* The life events part of "show vf events" (ev_lock held). */
static void
vfbc_tp_life_display(uint32_t port_id, const struct vfbc_tp_vf_port *p)
{
	const struct vfbc_tp_life_event *ev;
	struct vfbc_vf_info info;
	char reset[48];
	char when[32];
	uint64_t first;
	uint64_t n;

	if (vfbc_vf_get_info(port_id, &info) != 0)
		memset(&info, 0, sizeof(info));
	reset[0] = '\0';
	if (info.reset_needed)
		snprintf(reset, sizeof(reset), ", reset needed (port reset %u)", port_id);
	printf("Port %u: %" PRIu64 " life event%s received; link %s%s%s%s%s\n", port_id,
	       p->life_count, vfbc_tp_plural(p->life_count), info.link_up ? "up" : "down", reset,
	       info.enabled ? "" : ", VF disabled", info.power_state != 0 ? ", VF in " : "",
	       info.power_state != 0 ? vfbc_tp_power_label(info.power_state) : "");
	first = p->life_count > VFBC_TP_LIFE_KEPT ? p->life_count - VFBC_TP_LIFE_KEPT : 0;
	if (p->life_count > 0)
		printf("  %-6s %-15s %-11s %-10s %s\n", "#", "Time", "Event", "Cause", "Link");
	for (n = first; n < p->life_count; n++) {
		ev = &p->life[n % VFBC_TP_LIFE_KEPT];
		vfbc_tp_time_format(&ev->when, when, sizeof(when));
		printf("  %-6" PRIu64 " %s %-11s %-10s %s\n", n + 1, when,
		       vfbc_tp_life_type_name(ev->type), vfbc_tp_life_causes[ev->cause].name,
		       ev->link_up ? "up" : "down");
	}
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
	int ret;

	ret = vfbc_tp_vf_watched_check(what, port_id, "invalidations");
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
		vfbc_tp_time_format(&ev->when, when, sizeof(when));
		printf("  %-6" PRIu64 " %s 0x%016" PRIx64 "\n", n + 1, when, ev->mask);
	}
	vfbc_tp_life_display(port_id, p);
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	return 0;
}

/*
 * The first recorded invalidation no wait returned yet (ev_lock held): its
 * mask, *n its number (from 1), the waits past it; 0 if there is none.
 */
static uint64_t
vfbc_tp_vf_next_recorded(struct vfbc_tp_vf_port *p, uint64_t *n)
{
	uint64_t mask = 0;

	/* Invalidations no longer kept were missed by the waits: skip them. */
	if (p->count > VFBC_TP_EVENTS_KEPT && p->waited < p->count - VFBC_TP_EVENTS_KEPT)
		p->waited = p->count - VFBC_TP_EVENTS_KEPT;
	if (p->waited < p->count) {
		mask = p->ev[p->waited % VFBC_TP_EVENTS_KEPT].mask;
		p->waited++;
	}
	*n = p->waited;
	return mask;
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

	ret = vfbc_tp_vf_watched_check(what, port_id, "invalidations");
	if (ret < 0)
		return ret;
	deadline = vfbc_tp_deadline(timeout_ms);
	p = &vfbc_tp_vf_ports[port_id];
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	ret = 0;
	while (p->waited >= p->count && !p->gone && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&vfbc_tp_ev_cond, &vfbc_tp_ev_lock, &deadline);
	mask = vfbc_tp_vf_next_recorded(p, &n);
	gone = p->gone;
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	if (mask != 0) {
		printf("Port %u: invalidation #%" PRIu64 ", mask 0x%016" PRIx64 "\n", port_id, n,
		       mask);
		return 0;
	}
	if (gone) {
		vfbc_tp_error("%s: port %u: the primary process is gone", what, port_id);
		return -ENOTCONN;
	}
	vfbc_tp_error("%s: port %u: no invalidation within %u ms", what, port_id, timeout_ms);
	return -ETIMEDOUT;
}

/* The polling thread has left the ports it was told to leave (bounded: 100 ms). */
static void
vfbc_tp_vf_quiesce(void)
{
	uint32_t r0 = __atomic_load_n(&vfbc_tp_vf_rounds, __ATOMIC_ACQUIRE);
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 10;

	/* The round in progress may have read the flag before it was set: the next one not. */
	while (vfbc_tp_vf_thread_on &&
	       __atomic_load_n(&vfbc_tp_vf_rounds, __ATOMIC_ACQUIRE) - r0 < 2 &&
	       rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(100);
}

int
vfbc_tp_vf_invalidate_poll_wait(uint32_t port_id, uint32_t timeout_ms, uint32_t spin_us)
{
	static const char what[] = "wait vf invalidate";
	struct vfbc_vf_info before, after;
	struct vfbc_tp_vf_port *p;
	uint64_t mask, n;
	int ret;

	ret = vfbc_tp_vf_watched_check(what, port_id, "invalidations");
	if (ret < 0)
		return ret;
	if (timeout_ms > INT_MAX) {
		vfbc_tp_error("%s: timeout_ms %u is above %d", what, timeout_ms, INT_MAX);
		return -EINVAL;
	}
	p = &vfbc_tp_vf_ports[port_id];
	if (__atomic_load_n(&p->sleeping, __ATOMIC_RELAXED)) {
		vfbc_tp_error("%s: port %u: sleep mode is on, EAL's interrupt thread delivers"
				" (set vf sleep %u off first)", what, port_id, port_id);
		return -EBUSY;
	}
	/* This thread delivers from now on: what the polling thread got is recorded. */
	__atomic_store_n(&p->waiting, 1, __ATOMIC_RELAXED);
	vfbc_tp_vf_quiesce();
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	mask = vfbc_tp_vf_next_recorded(p, &n);
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	ret = 0;
	/* A reset or a power change ends the wait early with 0, as a timeout does. */
	memset(&before, 0, sizeof(before));
	(void)vfbc_vf_get_info((uint16_t)port_id, &before);
	if (mask == 0)
		ret = vfbc_vf_poll_wait((uint16_t)port_id, &mask, spin_us, (int)timeout_ms);
	__atomic_store_n(&p->waiting, 0, __ATOMIC_RELAXED);
	if (ret == 1) {
		/* Our callback recorded it, in this thread: the waits are past it too. */
		pthread_mutex_lock(&vfbc_tp_ev_lock);
		p->waited = p->count;
		n = p->count;
		pthread_mutex_unlock(&vfbc_tp_ev_lock);
		printf("Port %u: invalidation #%" PRIu64 ", mask 0x%016" PRIx64 " (adaptive wait,"
		       " spin %u us)\n", port_id, n, mask, spin_us);
		return 0;
	}
	if (ret == 0 && mask != 0) {
		printf("Port %u: invalidation #%" PRIu64 ", mask 0x%016" PRIx64 "\n", port_id, n,
		       mask);
		return 0;
	}
	if (ret == 0 && vfbc_vf_get_info((uint16_t)port_id, &after) == 0 &&
			after.events != before.events && after.last_event < VFBC_VF_EVENT_NB) {
		vfbc_tp_error("%s: port %u: woken by a life event: %s; no invalidation", what,
				port_id, vfbc_tp_life_causes[after.last_event].says);
		return -EINTR;
	}
	if (ret == 0) {
		vfbc_tp_error("%s: port %u: timeout: no invalidation within %u us of spin and %u ms"
				" asleep", what, port_id, spin_us, timeout_ms);
		return -ETIMEDOUT;
	}
	vfbc_tp_error("%s: port %u: %s", what, port_id, strerror(-ret));
	return ret;
}

int
vfbc_tp_vf_sleep(uint32_t port_id, int on)
{
	static const char what[] = "set vf sleep";
	struct vfbc_tp_vf_port *p;
	int ret;

	ret = vfbc_tp_vf_watched_check(what, port_id, "invalidations");
	if (ret < 0)
		return ret;
	p = &vfbc_tp_vf_ports[port_id];
	if (on) {
		ret = vfbc_vf_wake_callbacks_enable((uint16_t)port_id);
		if (ret == 0 || ret == -EALREADY) {
			__atomic_store_n(&p->sleeping, 1, __ATOMIC_RELAXED);
			printf("Port %u: sleep mode on: the PF's invalidations wake EAL's interrupt"
			       " thread, which delivers them; nothing polls the port\n", port_id);
			return 0;
		}
	} else {
		/* Polled again first: nothing falls between the two modes. */
		__atomic_store_n(&p->sleeping, 0, __ATOMIC_RELAXED);
		ret = vfbc_vf_wake_callbacks_disable((uint16_t)port_id);
		if (ret == 0 || ret == -ENOENT) {
			printf("Port %u: sleep mode off: polled again\n", port_id);
			return 0;
		}
	}
	vfbc_tp_error("%s: port %u: %s", what, port_id, strerror(-ret));
	return ret;
}

/* What "wait vf event" can wait for: an event type, and for LSC the link it left. */
static const struct {
	const char *name;
	uint8_t type;			/* enum rte_eth_event_type */
	int8_t link_up;			/* -1: any */
} vfbc_tp_life_kinds[] = {
	{ "reset", RTE_ETH_EVENT_INTR_RESET, -1 },
	{ "removal", RTE_ETH_EVENT_INTR_RMV, -1 },
	{ "link-up", RTE_ETH_EVENT_INTR_LSC, 1 },
	{ "link-down", RTE_ETH_EVENT_INTR_LSC, 0 },
};

/* Whether @p ev is of kind @p k (an index of vfbc_tp_life_kinds, or -1: any). */
static int
vfbc_tp_life_is(const struct vfbc_tp_life_event *ev, int k)
{
	if (k < 0)
		return 1;
	return ev->type == vfbc_tp_life_kinds[k].type &&
		(vfbc_tp_life_kinds[k].link_up < 0 ||
		 ev->link_up == vfbc_tp_life_kinds[k].link_up);
}

/*
 * The first event of kind @p k past the waits, from the one at @p *n on
 * (ev_lock held): 1 and the event, the waits now past it; else 0 and
 * @p *n past what was looked at, the waits unchanged.
 */
static int
vfbc_tp_life_find(struct vfbc_tp_vf_port *p, int k, uint64_t *n, struct vfbc_tp_life_event *ev)
{
	/* Events no longer kept were missed by the waits: skip them. */
	if (p->life_count > VFBC_TP_LIFE_KEPT && *n < p->life_count - VFBC_TP_LIFE_KEPT)
		*n = p->life_count - VFBC_TP_LIFE_KEPT;
	for (; *n < p->life_count; (*n)++) {
		if (!vfbc_tp_life_is(&p->life[*n % VFBC_TP_LIFE_KEPT], k))
			continue;
		*ev = p->life[*n % VFBC_TP_LIFE_KEPT];
		p->life_waited = *n + 1;
		return 1;
	}
	return 0;
}

int
vfbc_tp_vf_event_wait(uint32_t port_id, uint32_t timeout_ms, const char *kind)
{
	static const char what[] = "wait vf event";
	struct vfbc_tp_life_event ev;
	struct vfbc_tp_vf_port *p;
	struct timespec deadline;
	char cause[32];
	unsigned int i;
	uint64_t n;
	int found;
	int ret;
	int k;

	k = -1;
	for (i = 0; kind != NULL && i < RTE_DIM(vfbc_tp_life_kinds); i++)
		if (strcmp(kind, vfbc_tp_life_kinds[i].name) == 0)
			k = (int)i;
	if (kind != NULL && k < 0) {
		vfbc_tp_error("%s: unknown event '%s' (reset, removal, link-up, link-down)", what,
				kind);
		return -EINVAL;
	}
	ret = vfbc_tp_vf_watched_check(what, port_id, "life events");
	if (ret < 0)
		return ret;
	deadline = vfbc_tp_deadline(timeout_ms);
	p = &vfbc_tp_vf_ports[port_id];
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	n = p->life_waited;
	ret = 0;
	/* A PF that is gone says so with an event of its own: no special end here. */
	while (!(found = vfbc_tp_life_find(p, k, &n, &ev)) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&vfbc_tp_ev_cond, &vfbc_tp_ev_lock, &deadline);
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	if (!found) {
		vfbc_tp_error("%s: port %u: no %s event within %u ms", what, port_id,
				k < 0 ? "life" : vfbc_tp_life_kinds[k].name, timeout_ms);
		return -ETIMEDOUT;
	}
	/*
	 * No number: whether the port's first link change came before this
	 * process registered its callbacks (and so is in the record) is a race.
	 */
	cause[0] = '\0';
	if (ev.cause != VFBC_TP_LIFE_LINK)
		snprintf(cause, sizeof(cause), ", cause %s", vfbc_tp_life_causes[ev.cause].name);
	printf("Port %u: life event: %s%s, link %s\n", port_id, vfbc_tp_life_type_name(ev.type),
	       cause, ev.link_up ? "up" : "down");
	return 0;
}

int
vfbc_tp_vf_reset_report(const char *what, uint32_t port_id, int ret)
{
	struct vfbc_tp_vf_port *p = &vfbc_tp_vf_ports[port_id];
	struct vfbc_vf_info info;

	if (ret == -ETIMEDOUT) {
		/* Not a request's timeout: the wait for the PF's reset, or a claim's answer. */
		if (vfbc_vf_get_info(port_id, &info) == 0 && info.isolated)
			vfbc_tp_error("%s: port %u: no answer from the PF", what, port_id);
		else
			vfbc_tp_error("%s: port %u: the PF's reset of the VF did not end in time",
					what, port_id);
		return ret;
	}
	if (ret == -EAGAIN) {
		vfbc_tp_error("%s: port %u: the claim is busy (a release in progress, or the PF"
				" asks to wait): try again", what, port_id);
		return ret;
	}
	if (ret < 0)
		return vfbc_tp_vf_side_fail(what, port_id, ret);
	/* A claim made here for the first time: its port is watched from now on. */
	if (!p->watched) {
		ret = vfbc_tp_vf_watch(port_id);
		if (ret < 0) {
			vfbc_tp_error("%s: port %u: claimed, but its events cannot be received:"
					" %s", what, port_id, strerror(-ret));
			return ret;
		}
	}
	/* A PF that closed the connection may be back: poll the port again. */
	pthread_mutex_lock(&vfbc_tp_ev_lock);
	__atomic_store_n(&p->gone, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&vfbc_tp_ev_lock);
	printf("Port %u reset: this process holds the VF's claim\n", port_id);
	return 0;
}
