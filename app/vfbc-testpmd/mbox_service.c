/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF mailbox service of a primary: VF requests are answered while the
 * console waits for input, and the application's say on each of them is
 * the port's request-verdict mode (accept, reject, or ask the user).
 *
 * Servicing: with service lcores (EAL -s), each PF port's rte_service
 * ("vfbc_pf_mbox_<port>") is mapped to the first of them; otherwise a
 * control thread calls vfbc_pf_mbox_poll() on every PF port, or, with one
 * PF, sleeps in vfbc_pf_mbox_poll_wait() until a VF's request. Either way
 * the RTE_ETH_EVENT_VF_MBOX callback below runs on that one lcore or
 * thread, so requests are decided one at a time.
 *
 * "ask" blocks that thread, and so every VF request of the primary, until
 * the user types accept or reject, or --verdict-timeout passes (then the
 * request is rejected): a forgotten prompt never holds the VFs for longer.
 *
 * A request's line is printed once, with its real outcome, from the
 * event's DONE phase: carried out, failed (and why), or refused (and by
 * whom). The REQUEST phase only decides (and asks); how it decided is kept
 * per VF until the DONE phase, which for a trapped FLR or power change
 * comes later, from the PF's control thread.
 *
 * The VFs' consumers attaching, detaching and dying are printed too, one
 * line each, from the PF's consumer callback (EAL's interrupt thread): the
 * mirror of what the VF processes print of their life events.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_service.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>

#include "vfbc_testpmd.h"

#define VFBC_TP_MBOX_BUDGET	32	/* Requests per port per round. */
#define VFBC_TP_MBOX_IDLE_US	500	/* Sleep of the thread after an idle round. */
#define VFBC_TP_MBOX_WAIT_MS	100	/* One PF: the longest sleep of its service. */
#define VFBC_TP_DESC_BYTES	16	/* Bytes of a write shown in its line. */

enum vfbc_tp_verdict_mode {
	VFBC_TP_VERDICT_ACCEPT = 0,	/* The default: the driver's verdict. */
	VFBC_TP_VERDICT_REJECT,
	VFBC_TP_VERDICT_ASK,
};

static const char * const vfbc_tp_verdict_names[] = {
	[VFBC_TP_VERDICT_ACCEPT] = "accept",
	[VFBC_TP_VERDICT_REJECT] = "reject",
	[VFBC_TP_VERDICT_ASK] = "ask",
};

/* Per port; read by the servicing thread, written by the console. */
static uint32_t vfbc_tp_verdict_mode[RTE_MAX_ETHPORTS];

/* PF ports with a channel, found at start. */
static uint16_t vfbc_tp_pf_ports[RTE_MAX_ETHPORTS];
static unsigned int vfbc_tp_nb_pf_ports;
static uint8_t vfbc_tp_cb_registered[RTE_MAX_ETHPORTS];
static uint8_t vfbc_tp_consumer_cb_registered[RTE_MAX_ETHPORTS];

/* How the requests are serviced. */
static pthread_t vfbc_tp_mbox_thread;
static int vfbc_tp_mbox_thread_on;
/* Stop flag only: thread creation and join order everything else. */
static uint32_t vfbc_tp_mbox_run;
static uint32_t vfbc_tp_service_lcore = RTE_MAX_LCORE;

/* How the application decided a VF's request, kept from REQUEST to DONE. */
enum vfbc_tp_how {
	VFBC_TP_HOW_DEFAULT = 0,	/* verdict mode accept: the driver's verdict */
	VFBC_TP_HOW_MODE,		/* verdict mode reject */
	VFBC_TP_HOW_USER,		/* the user's accept or reject */
	VFBC_TP_HOW_TIMEOUT,		/* no verdict in time: rejected */
};

struct vfbc_tp_decision {
	uint32_t request_id;
	uint8_t how;		/* enum vfbc_tp_how */
};

/*
 * One per VF: the driver serves a VF's requests one at a time, and a VF
 * whose trapped write is on the control thread gets nothing served until
 * its DONE phase ran; the job hand-over orders the REQUEST-phase store
 * before the DONE-phase load.
 */
static struct vfbc_tp_decision vfbc_tp_decisions[RTE_MAX_ETHPORTS][VFBC_CHANNEL_MAX_VFS];

/* The request waiting for the user in "ask" mode: at most one at a time. */
static pthread_mutex_t vfbc_tp_ask_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vfbc_tp_ask_cond;
static int vfbc_tp_ask_pending;
static int vfbc_tp_ask_answer;		/* -1: none yet, 0 reject, 1 accept */
static int vfbc_tp_ask_stopping;
static char vfbc_tp_ask_desc[512];

/* "Port 0: VF 1 request: write config block 3 (4 bytes: 01 02 03 04)" */
static void
vfbc_tp_request_desc(uint16_t port_id, const struct vfbc_pf_mbox_event *ev, char *buf,
		size_t size)
{
	uint32_t i, n;
	int pos;

	pos = snprintf(buf, size, "Port %u: VF %u request: ", port_id, ev->vf_id);
	if (pos < 0 || (size_t)pos >= size)
		return;
	switch (ev->type) {
	case VFBC_PF_MBOX_BLOCK_WRITE:
		pos += snprintf(buf + pos, size - pos, "write config block %u (%u byte%s",
				ev->block_id, ev->length, vfbc_tp_plural(ev->length));
		break;
	case VFBC_PF_MBOX_CFG_READ:
		pos += snprintf(buf + pos, size - pos, "read config space at 0x%x (%u byte%s",
				ev->offset, ev->length, vfbc_tp_plural(ev->length));
		break;
	case VFBC_PF_MBOX_CFG_WRITE:
		pos += snprintf(buf + pos, size - pos, "write config space at 0x%x (%u byte%s",
				ev->offset, ev->length, vfbc_tp_plural(ev->length));
		break;
	default:
		pos += snprintf(buf + pos, size - pos, "type %u (%u byte%s", ev->type,
				ev->length, vfbc_tp_plural(ev->length));
		break;
	}
	if (ev->type != VFBC_PF_MBOX_CFG_READ && ev->data != NULL && ev->length > 0) {
		n = RTE_MIN(ev->length, (uint32_t)VFBC_TP_DESC_BYTES);
		for (i = 0; i < n && pos > 0 && (size_t)pos < size; i++)
			pos += snprintf(buf + pos, size - pos, "%s%02x", i == 0 ? ": " : " ",
					ev->data[i]);
		if (n < ev->length && pos > 0 && (size_t)pos < size)
			pos += snprintf(buf + pos, size - pos, " ...");
	}
	if (pos > 0 && (size_t)pos < size)
		snprintf(buf + pos, size - pos, ")");
}

/* Ask the user; @return 1 accept, 0 reject, -1 no answer in time. */
static int
vfbc_tp_ask(const char *desc)
{
	struct timespec deadline;
	int answer;
	int ret;

	pthread_mutex_lock(&vfbc_tp_ask_lock);
	snprintf(vfbc_tp_ask_desc, sizeof(vfbc_tp_ask_desc), "%s", desc);
	vfbc_tp_ask_answer = -1;
	vfbc_tp_ask_pending = 1;
	pthread_mutex_unlock(&vfbc_tp_ask_lock);

	vfbc_tp_async_line("%s: accept or reject? (%u ms)", desc,
			vfbc_tp_params.verdict_timeout_ms);

	deadline = vfbc_tp_deadline(vfbc_tp_params.verdict_timeout_ms);
	pthread_mutex_lock(&vfbc_tp_ask_lock);
	ret = 0;
	while (vfbc_tp_ask_answer < 0 && !vfbc_tp_ask_stopping && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&vfbc_tp_ask_cond, &vfbc_tp_ask_lock, &deadline);
	answer = vfbc_tp_ask_answer;
	vfbc_tp_ask_pending = 0;
	pthread_mutex_unlock(&vfbc_tp_ask_lock);

	return answer;
}

/* REQUEST phase: the application's say, kept for the DONE line. */
static void
vfbc_tp_mbox_decide(uint16_t port_id, struct vfbc_pf_mbox_event *ev,
		struct vfbc_tp_decision *d)
{
	char desc[sizeof(vfbc_tp_ask_desc)];
	int answer;

	d->request_id = ev->request_id;
	d->how = VFBC_TP_HOW_DEFAULT;
	/* The permission policy's refusal is final: nothing to decide. */
	if (ev->verdict != VFBC_PF_MBOX_VERDICT_ACCEPT)
		return;
	switch (__atomic_load_n(&vfbc_tp_verdict_mode[port_id], __ATOMIC_RELAXED)) {
	case VFBC_TP_VERDICT_REJECT:
		ev->verdict = VFBC_PF_MBOX_VERDICT_REJECT;
		d->how = VFBC_TP_HOW_MODE;
		break;
	case VFBC_TP_VERDICT_ASK:
		vfbc_tp_request_desc(port_id, ev, desc, sizeof(desc));
		answer = vfbc_tp_ask(desc);
		ev->verdict = answer == 1 ? VFBC_PF_MBOX_VERDICT_ACCEPT :
			VFBC_PF_MBOX_VERDICT_REJECT;
		d->how = answer < 0 ? VFBC_TP_HOW_TIMEOUT : VFBC_TP_HOW_USER;
		break;
	default:
		break;
	}
}

/* DONE phase: the request's one line, with what really happened. */
static void
vfbc_tp_mbox_done(uint16_t port_id, const struct vfbc_pf_mbox_event *ev,
		const struct vfbc_tp_decision *d)
{
	char desc[sizeof(vfbc_tp_ask_desc)];
	char bytes[3 * VFBC_TP_DESC_BYTES + 8];
	uint8_t how;
	uint32_t i;
	int pos;

	/* A request refused before the REQUEST phase left no decision. */
	how = d->request_id == ev->request_id ? d->how : VFBC_TP_HOW_DEFAULT;
	vfbc_tp_request_desc(port_id, ev, desc, sizeof(desc));
	if (ev->verdict == VFBC_PF_MBOX_VERDICT_ACCEPT && ev->status == 0) {
		bytes[0] = '\0';
		if (ev->type == VFBC_PF_MBOX_CFG_READ && ev->data != NULL) {
			for (i = 0, pos = 0; i < RTE_MIN(ev->length, (uint32_t)VFBC_TP_DESC_BYTES);
					i++)
				pos += snprintf(bytes + pos, sizeof(bytes) - pos, "%s%02x",
						i == 0 ? ": " : " ", ev->data[i]);
			if (ev->length > VFBC_TP_DESC_BYTES)
				snprintf(bytes + pos, sizeof(bytes) - pos, " ...");
		}
		vfbc_tp_async_line("%s: accepted%s%s", desc,
				how == VFBC_TP_HOW_USER ? " (by the user)" : "", bytes);
		return;
	}
	if (ev->verdict == VFBC_PF_MBOX_VERDICT_ACCEPT) {
		vfbc_tp_async_line("%s: failed: %s", desc, strerror(-ev->status));
		return;
	}
	switch (ev->refusal) {
	case VFBC_PF_MBOX_REFUSAL_POLICY:
		vfbc_tp_async_line("%s: refused by the policy", desc);
		break;
	case VFBC_PF_MBOX_REFUSAL_APP:
		if (how == VFBC_TP_HOW_MODE)
			vfbc_tp_async_line("%s: rejected (request-verdict reject)", desc);
		else if (how == VFBC_TP_HOW_USER)
			vfbc_tp_async_line("%s: rejected (by the user)", desc);
		else if (how == VFBC_TP_HOW_TIMEOUT)
			vfbc_tp_async_line("%s: rejected (no verdict within %u ms)", desc,
					vfbc_tp_params.verdict_timeout_ms);
		else
			vfbc_tp_async_line("%s: rejected by the application", desc);
		break;
	case VFBC_PF_MBOX_REFUSAL_VF_STATE:
		vfbc_tp_async_line("%s: refused: the VF is not enabled or not ready", desc);
		break;
	default:
		vfbc_tp_async_line("%s: refused: malformed (%s)", desc, strerror(-ev->status));
		break;
	}
}

/* "Port 0: VF 1 consumer attached (pid 1234)" */
static void
vfbc_tp_consumer_event(uint16_t port_id, const struct vfbc_pf_consumer_event *ev,
		__rte_unused void *arg)
{
	const char *what;

	switch (ev->type) {
	case VFBC_PF_CONSUMER_ATTACHED:
		what = "attached";
		break;
	case VFBC_PF_CONSUMER_DETACHED:
		what = "detached";
		break;
	case VFBC_PF_CONSUMER_DIED:
		what = "died";
		break;
	default:
		what = "changed";
		break;
	}
	vfbc_tp_async_line("Port %u: VF %u consumer %s (pid %d)", port_id, ev->vf_id, what,
			ev->pid);
}

static int
vfbc_tp_mbox_event(uint16_t port_id, enum rte_eth_event_type type, __rte_unused void *arg,
		void *ret_param)
{
	struct vfbc_pf_mbox_event *ev = ret_param;
	struct vfbc_tp_decision *d;

	if (type != RTE_ETH_EVENT_VF_MBOX || ev == NULL || port_id >= RTE_MAX_ETHPORTS ||
			ev->vf_id >= VFBC_CHANNEL_MAX_VFS)
		return 0;
	d = &vfbc_tp_decisions[port_id][ev->vf_id];
	if (ev->phase == VFBC_PF_MBOX_PHASE_REQUEST)
		vfbc_tp_mbox_decide(port_id, ev, d);
	else
		vfbc_tp_mbox_done(port_id, ev, d);
	return 0;
}

static void *
vfbc_tp_mbox_thread_main(__rte_unused void *arg)
{
	unsigned int i;
	int serviced;
	int ret;

	while (__atomic_load_n(&vfbc_tp_mbox_run, __ATOMIC_RELAXED)) {
		/*
		 * One PF: the sleeping service, woken by its VFs' requests
		 * (the timeout only lets the thread see that it must stop).
		 */
		if (vfbc_tp_nb_pf_ports == 1) {
			ret = vfbc_pf_mbox_poll_wait(vfbc_tp_pf_ports[0], VFBC_TP_MBOX_BUDGET, 0,
						     VFBC_TP_MBOX_WAIT_MS);
			if (ret < 0)
				rte_delay_us_sleep(VFBC_TP_MBOX_IDLE_US);
			continue;
		}
		serviced = 0;
		for (i = 0; i < vfbc_tp_nb_pf_ports; i++) {
			ret = vfbc_pf_mbox_poll(vfbc_tp_pf_ports[i], VFBC_TP_MBOX_BUDGET);
			if (ret > 0)
				serviced += ret;
		}
		if (serviced == 0)
			rte_delay_us_sleep(VFBC_TP_MBOX_IDLE_US);
	}
	return NULL;
}

/* Map every PF port's service to the first service lcore and run it. */
static int
vfbc_tp_mbox_services_start(void)
{
	uint32_t lcores[RTE_MAX_LCORE];
	uint32_t service_id;
	unsigned int i;
	int ret;

	if (rte_service_lcore_list(lcores, RTE_DIM(lcores)) < 1)
		return -ENOENT;
	for (i = 0; i < vfbc_tp_nb_pf_ports; i++) {
		ret = vfbc_pf_mbox_service_id(vfbc_tp_pf_ports[i], &service_id);
		if (ret < 0)
			return ret;
		ret = rte_service_map_lcore_set(service_id, lcores[0], 1);
		if (ret == 0)
			ret = rte_service_runstate_set(service_id, 1);
		if (ret < 0)
			return ret;
	}
	ret = rte_service_lcore_start(lcores[0]);
	if (ret < 0 && ret != -EALREADY)
		return ret;
	vfbc_tp_service_lcore = lcores[0];
	return 0;
}

static void
vfbc_tp_mbox_services_stop(void)
{
	uint32_t service_id;
	unsigned int i;

	if (vfbc_tp_service_lcore == RTE_MAX_LCORE)
		return;
	for (i = 0; i < vfbc_tp_nb_pf_ports; i++) {
		if (vfbc_pf_mbox_service_id(vfbc_tp_pf_ports[i], &service_id) < 0)
			continue;
		rte_service_runstate_set(service_id, 0);
		while (rte_service_may_be_active(service_id) == 1)
			rte_delay_us_sleep(VFBC_TP_MBOX_IDLE_US);
		rte_service_map_lcore_set(service_id, vfbc_tp_service_lcore, 0);
	}
	rte_service_lcore_stop(vfbc_tp_service_lcore);
	vfbc_tp_service_lcore = RTE_MAX_LCORE;
}

int
vfbc_tp_mbox_start(void)
{
	pthread_condattr_t attr;
	uint32_t service_id;
	uint16_t pid;
	int ret;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vfbc_tp_ask_cond, &attr);
	pthread_condattr_destroy(&attr);

	/* A PF port without a channel (no SR-IOV) has nothing to service. */
	vfbc_tp_nb_pf_ports = 0;
	RTE_ETH_FOREACH_DEV(pid) {
		if (vfbc_pf_mbox_service_id(pid, &service_id) == -ENXIO ||
				vfbc_pf_vf_count(pid) < 0)
			continue;
		ret = rte_eth_dev_callback_register(pid, RTE_ETH_EVENT_VF_MBOX,
				vfbc_tp_mbox_event, NULL);
		if (ret < 0) {
			fprintf(stderr, "port %u: cannot register the mailbox callback: %s\n",
					pid, rte_strerror(-ret));
			return ret;
		}
		vfbc_tp_cb_registered[pid] = 1;
		vfbc_tp_pf_ports[vfbc_tp_nb_pf_ports++] = pid;
		ret = vfbc_pf_consumer_callback_register(pid, vfbc_tp_consumer_event, NULL);
		vfbc_tp_consumer_cb_registered[pid] = ret == 0;
		/* Requests are still serviced: only these lines are missing. */
		if (ret < 0)
			printf("Warning: port %u: consumers attaching and detaching are not"
			       " shown: %s\n", pid, strerror(-ret));
	}
	if (vfbc_tp_nb_pf_ports == 0)
		return 0;

	if (rte_service_lcore_count() > 0) {
		ret = vfbc_tp_mbox_services_start();
		if (ret == 0)
			return 0;
		printf("Warning: cannot run the PF mailbox services on a service lcore (%s):"
		       " using a control thread\n", rte_strerror(-ret));
		vfbc_tp_mbox_services_stop();
	}
	__atomic_store_n(&vfbc_tp_mbox_run, 1, __ATOMIC_RELAXED);
	ret = rte_ctrl_thread_create(&vfbc_tp_mbox_thread, "vfbc-tp-mbox", NULL,
			vfbc_tp_mbox_thread_main, NULL);
	if (ret != 0) {
		__atomic_store_n(&vfbc_tp_mbox_run, 0, __ATOMIC_RELAXED);
		fprintf(stderr, "cannot start the PF mailbox thread: %s\n", strerror(ret));
		return -ret;
	}
	vfbc_tp_mbox_thread_on = 1;
	return 0;
}

void
vfbc_tp_mbox_stop(void)
{
	uint16_t pid;

	/* A request waiting for the user is rejected. */
	pthread_mutex_lock(&vfbc_tp_ask_lock);
	vfbc_tp_ask_stopping = 1;
	pthread_cond_broadcast(&vfbc_tp_ask_cond);
	pthread_mutex_unlock(&vfbc_tp_ask_lock);

	if (vfbc_tp_mbox_thread_on) {
		__atomic_store_n(&vfbc_tp_mbox_run, 0, __ATOMIC_RELAXED);
		pthread_join(vfbc_tp_mbox_thread, NULL);
		vfbc_tp_mbox_thread_on = 0;
	}
	vfbc_tp_mbox_services_stop();
	for (pid = 0; pid < RTE_MAX_ETHPORTS; pid++) {
		if (!vfbc_tp_cb_registered[pid])
			continue;
		rte_eth_dev_callback_unregister(pid, RTE_ETH_EVENT_VF_MBOX,
				vfbc_tp_mbox_event, NULL);
		vfbc_tp_cb_registered[pid] = 0;
		if (vfbc_tp_consumer_cb_registered[pid])
			vfbc_pf_consumer_callback_unregister(pid, vfbc_tp_consumer_event, NULL);
		vfbc_tp_consumer_cb_registered[pid] = 0;
	}
}

int
vfbc_tp_verdict_mode_set(uint32_t port_id, const char *mode)
{
	static const char what[] = "set vf request-verdict";
	unsigned int m;
	int ret;

	for (m = 0; m < RTE_DIM(vfbc_tp_verdict_names); m++)
		if (strcmp(mode, vfbc_tp_verdict_names[m]) == 0)
			break;
	if (m == RTE_DIM(vfbc_tp_verdict_names)) {
		vfbc_tp_error("%s: unknown verdict '%s' (accept, reject, ask)", what, mode);
		return -EINVAL;
	}
	ret = vfbc_tp_pf_check(what, port_id);
	if (ret < 0)
		return ret;
	if (!vfbc_tp_cb_registered[port_id]) {
		vfbc_tp_error("%s: port %u has no mailbox (no SR-IOV)", what, port_id);
		return -ENXIO;
	}
	__atomic_store_n(&vfbc_tp_verdict_mode[port_id], m, __ATOMIC_RELAXED);
	switch (m) {
	case VFBC_TP_VERDICT_REJECT:
		printf("Port %u: VF requests are rejected\n", port_id);
		break;
	case VFBC_TP_VERDICT_ASK:
		printf("Port %u: VF requests wait for accept or reject (%u ms)\n", port_id,
		       vfbc_tp_params.verdict_timeout_ms);
		break;
	default:
		printf("Port %u: VF requests are accepted (the config-space policy still"
		       " applies)\n", port_id);
		break;
	}
	return 0;
}

int
vfbc_tp_verdict_answer(int accept)
{
	int ret;

	pthread_mutex_lock(&vfbc_tp_ask_lock);
	if (!vfbc_tp_ask_pending || vfbc_tp_ask_answer >= 0) {
		ret = -ENOENT;
	} else {
		/* The request's line comes with its outcome. */
		vfbc_tp_ask_answer = !!accept;
		pthread_cond_broadcast(&vfbc_tp_ask_cond);
		ret = 0;
	}
	pthread_mutex_unlock(&vfbc_tp_ask_lock);
	if (ret < 0)
		vfbc_tp_error("%s: no VF request is waiting for a verdict",
				accept ? "accept" : "reject");
	return ret;
}
