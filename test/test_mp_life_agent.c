/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Both halves of the life-event tests. The test's: mp_life_expect() reads
 * what an agent recorded. The VF agents' commands (mp_vf_agent_run(), hence
 * mp_vf_agent and mp_iso_agent): ethdev callbacks on the VF port record every
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
/* A command's answer, beyond the time it waits. */
#define MP_LIFE_CMD_MS 10000
/* An agent's EAL start, in a busy CI. */
#define MP_LIFE_START_MS 60000

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

/* ---- the test's side ---- */

/* The events the agent recorded, once n are there (or MP_LIFE_EV_MS): how many, or -1. */
static int
life_events(struct mp_child *c, unsigned int n, unsigned int t_ms, struct mp_life_ev *ev)
{
	char rest[MP_LINE_MAX];
	char *p, *save = NULL;
	int k = 0, total;

	if (mp_child_cmd(c, "lev", rest, sizeof(rest), t_ms + MP_LIFE_CMD_MS, "lev %u %u", n,
			 t_ms) < 0 || sscanf(rest, "%d", &total) != 1)
		return -1;
	p = strtok_r(rest, " ", &save);
	while ((p = strtok_r(NULL, " ", &save)) != NULL && k < MP_LIFE_MAX_EV) {
		if (sscanf(p, "%c:%d:%" SCNu64, &ev[k].type, &ev[k].cause, &ev[k].ns) != 3)
			return -1;
		k++;
	}
	return k == total ? k : -1;
}

/* Exactly the events want ("R0 L" ...: type and cause, L alone for a bare LSC). */
int
mp_life_expect(struct mp_child *c, const char *what, const char *want, struct mp_life_ev *ev)
{
	char got[128], buf[128];
	unsigned int n = 0;
	size_t off = 0;
	const char *s;
	int k, i;

	for (s = want; *s != '\0'; s++)
		n += *s == 'R' || *s == 'M' || *s == 'L';
	k = life_events(c, n, MP_LIFE_EV_MS, ev);
	/* Then nothing more: an event is raised once. */
	if (k >= 0 && (unsigned int)k == n) {
		struct mp_life_ev more[MP_LIFE_MAX_EV];
		int extra = life_events(c, MP_LIFE_MAX_EV, MP_LIFE_QUIET_MS, more);

		if (extra != 0) {
			printf("%s: %d more event(s) after \"%s\" (first %c:%d)\n", what, extra,
			       want, extra > 0 ? more[0].type : '?', extra > 0 ? more[0].cause : 0);
			return -1;
		}
	}
	got[0] = '\0';
	for (i = 0; i < k && off < sizeof(got); i++) {
		if (ev[i].cause >= 0)
			snprintf(buf, sizeof(buf), "%s%c%d", i ? " " : "", ev[i].type, ev[i].cause);
		else
			snprintf(buf, sizeof(buf), "%s%c", i ? " " : "", ev[i].type);
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s", buf);
	}
	if (k < 0 || strcmp(got, want) != 0) {
		printf("%s: events \"%s\", want \"%s\"\n", what, k < 0 ? "(none readable)" : got,
		       want);
		return -1;
	}
	return 0;
}

/* The agent's link as rte_eth_link_get_nowait() says: 1 up, 0 down, -1 no answer. */
int
mp_life_link(struct mp_child *c)
{
	char rest[MP_LINE_MAX];
	int up, ret;

	if (mp_child_cmd(c, "link", rest, sizeof(rest), MP_LIFE_CMD_MS, "link") < 0 ||
	    sscanf(rest, "%d %d", &up, &ret) != 2 || ret != 0)
		return -1;
	return up;
}

/* An agent's first line: "ready ... claimed=1 ...", then its link up. */
static int
life_ready(struct mp_child *c, const char *what)
{
	char rest[MP_LINE_MAX];

	if (mp_child_expect(c, "ready", rest, sizeof(rest), MP_LIFE_START_MS) < 0 ||
	    strstr(rest, "claimed=1") == NULL || mp_life_link(c) != 1) {
		printf("%s did not start, claim its VF, or see its link up\n", what);
		return -1;
	}
	return 0;
}

int
mp_life_spawn_vf(struct mp_child *c, const char *command, const char *vf_name)
{
	char eal[64];

	snprintf(eal, sizeof(eal), "-a %s", vf_name);
	if (mp_child_spawn(c, command, eal, NULL) < 0) {
		printf("cannot start the VF process on %s\n", vf_name);
		return -1;
	}
	return life_ready(c, "the VF process");
}

int
mp_life_spawn_iso(struct mp_child *c, const char *command, const char *sock, uint16_t vf,
		  const char *secret)
{
	static char eal_var[MP_LINE_MAX];
	const char *env[] = { eal_var, NULL };

	snprintf(eal_var, sizeof(eal_var), "%s=-m 64 --no-shconf --no-huge --no-pci "
		 "--vdev net_vfbc_isolated0,socket=%s,vf=%u,secret=%s", MP_ISO_ENV_EAL, sock, vf,
		 secret);
	if (mp_child_spawn_primary(c, command, env) < 0) {
		printf("cannot start the isolated consumer of VF %u\n", vf);
		return -1;
	}
	return life_ready(c, "the isolated consumer");
}

int
mp_life_agent_arm(struct mp_child *c, const char *cmd, unsigned int ms)
{
	char rest[MP_LINE_MAX];

	if (mp_child_cmd(c, cmd, rest, sizeof(rest), MP_LIFE_CMD_MS, "%s %u", cmd, ms) < 0 ||
	    strcmp(rest, "ok") != 0) {
		printf("%s: %s\n", cmd, rest);
		return -1;
	}
	return 0;
}

void
mp_life_agent_quit(struct mp_child *c)
{
	if (c->pid > 0 && mp_child_send(c, "quit") == 0)
		mp_child_expect(c, "bye", NULL, 0, MP_LIFE_CMD_MS);
	mp_child_close(c);
}
