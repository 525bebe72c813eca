/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF agents' life-event commands (mp_vf_agent_run(), hence mp_vf_agent
 * and mp_iso_agent): ethdev callbacks on the VF port record every
 * RTE_ETH_EVENT_INTR_RESET, _RMV and _LSC with its cause and the time it
 * ran (mp_now_ns(): the test's clock too), and these commands read them:
 *
 *   lev N T    wait until N events are recorded (at most T ms), then
 *              "lev K E..." with each event as TYPE:CAUSE:NS (TYPE R, M or
 *              L; CAUSE the vfbc_vf_event cause, -1 for an LSC without
 *              one) and forget them
 *   reset      "ret RET" of rte_eth_dev_reset()
 *   link       "link UP" (rte_eth_link_get_nowait())
 *   linfo      "linfo last=C events=N reset=R up=U en=E d=D counts=A,B,..."
 *              (vfbc_vf_get_info())
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>

#include "test_mp_common.h"
#include "vfbc_pmd_vf.h"

#define LIFE_AGENT_KEPT 64

struct life_rec {
	char type;
	int cause;
	uint64_t ns;
};

static pthread_mutex_t life_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t life_cond = PTHREAD_COND_INITIALIZER;
static struct life_rec life_recs[LIFE_AGENT_KEPT];
static unsigned int life_nb;

static int
life_agent_cb(uint16_t port_id __rte_unused, enum rte_eth_event_type type, void *arg,
	      void *ret_param)
{
	const struct vfbc_vf_event *ev = ret_param;
	struct life_rec r;

	RTE_SET_USED(arg);
	r.type = type == RTE_ETH_EVENT_INTR_RESET ? 'R' :
		type == RTE_ETH_EVENT_INTR_RMV ? 'M' : 'L';
	r.cause = ev != NULL ? (int)ev->cause : -1;
	r.ns = mp_now_ns();
	pthread_mutex_lock(&life_lock);
	if (life_nb < LIFE_AGENT_KEPT)
		life_recs[life_nb++] = r;
	pthread_cond_broadcast(&life_cond);
	pthread_mutex_unlock(&life_lock);
	return 0;
}

int
mp_life_agent_init(uint16_t port)
{
	static const enum rte_eth_event_type types[] = {
		RTE_ETH_EVENT_INTR_RESET, RTE_ETH_EVENT_INTR_RMV, RTE_ETH_EVENT_INTR_LSC,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(types); i++) {
		ret = rte_eth_dev_callback_register(port, types[i], life_agent_cb, NULL);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void
life_agent_lev(unsigned int want, unsigned int t_ms)
{
	char line[MP_LINE_MAX];
	struct timespec dl;
	unsigned int i;
	size_t off;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += t_ms / 1000;
	dl.tv_nsec += (long)(t_ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&life_lock);
	while (life_nb < want && pthread_cond_timedwait(&life_cond, &life_lock, &dl) == 0)
		;
	off = (size_t)snprintf(line, sizeof(line), "lev %u", life_nb);
	for (i = 0; i < life_nb && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " %c:%d:%" PRIu64,
					life_recs[i].type, life_recs[i].cause, life_recs[i].ns);
	life_nb = 0;
	pthread_mutex_unlock(&life_lock);
	mp_agent_send("%s", line);
}

int
mp_life_agent_cmd(uint16_t port, const char *line)
{
	struct rte_eth_link link;
	struct vfbc_vf_info info;
	unsigned int n, t;
	int ret;

	if (sscanf(line, "lev %u %u", &n, &t) == 2) {
		life_agent_lev(n, t);
	} else if (strcmp(line, "reset") == 0) {
		mp_agent_send("ret %d", rte_eth_dev_reset(port));
	} else if (strcmp(line, "link") == 0) {
		memset(&link, 0, sizeof(link));
		ret = rte_eth_link_get_nowait(port, &link);
		mp_agent_send("link %d %d", ret == 0 ? link.link_status : -1, ret);
	} else if (strcmp(line, "linfo") == 0) {
		memset(&info, 0, sizeof(info));
		ret = vfbc_vf_get_info(port, &info);
		mp_agent_send("linfo last=%d events=%" PRIu64 " reset=%u up=%u en=%u d=%u "
			      "counts=%u,%u,%u,%u,%u,%u,%u,%u ret=%d", (int)info.last_event,
			      info.events, info.reset_needed, info.link_up, info.enabled,
			      info.power_state, info.event_count[0], info.event_count[1],
			      info.event_count[2], info.event_count[3], info.event_count[4],
			      info.event_count[5], info.event_count[6], info.event_count[7], ret);
	} else {
		return 1;
	}
	return 0;
}
