/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Life events of several ports in one process: the VF PMD watches them all
 * with one alarm and reads a port's lines only when its PF published
 * something. This command is the PF primary of a world with 4 VFs; one VF
 * process (mp_life_multi_agent) holds VFs 0, 1 and 2 and records the
 * ethdev events of each port. Each port must get its own events, once and
 * in order, and no other's; a callback of one port that closes another
 * must leave the watch going on with the ports still open.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define MULTI_WORLD_OPTS "--total-vfs 4"
#define MULTI_VFS	3
#define MULTI_KEPT	64
#define START_MS	60000	/* a secondary's EAL start, in a busy CI */
#define CMD_MS		10000
#define EV_MS		3000	/* an event's delivery, at most */
#define QUIET_MS	300	/* then nothing more */

/* The agent: its ports by VF, and what their callbacks recorded. */
struct multi_rec {
	unsigned int vf;
	char type;
	int cause;
};

static uint16_t ma_port[MULTI_VFS];
static uint8_t ma_open[MULTI_VFS];
static pthread_mutex_t ma_lock = PTHREAD_MUTEX_INITIALIZER;
static struct multi_rec ma_recs[MULTI_KEPT];
static unsigned int ma_nb;
/* The first reset event of VF ma_trigger closes VF ma_victim's port; -1: none. */
static int ma_trigger = -1, ma_victim = -1;

static int
ma_cb(uint16_t port_id, enum rte_eth_event_type type, void *arg, void *ret_param)
{
	const struct vfbc_vf_event *ev = ret_param;
	unsigned int vf = (unsigned int)(uintptr_t)arg;
	struct multi_rec r;
	int victim = -1;

	r.vf = vf;
	r.type = type == RTE_ETH_EVENT_INTR_RESET ? 'R' :
		type == RTE_ETH_EVENT_INTR_RMV ? 'M' : 'L';
	r.cause = ev != NULL ? (int)ev->cause : -1;
	pthread_mutex_lock(&ma_lock);
	if (ma_nb < MULTI_KEPT)
		ma_recs[ma_nb++] = r;
	if (r.type == 'R' && (int)vf == ma_trigger) {
		victim = ma_victim;
		ma_trigger = ma_victim = -1;
	}
	pthread_mutex_unlock(&ma_lock);
	/* On EAL's interrupt thread, inside the watch's look at port_id. */
	if (victim >= 0 && ma_open[victim]) {
		ma_open[victim] = 0;
		printf("mp_life_multi_agent: port %u (VF %u) closes port %u (VF %d): %d\n",
		       port_id, vf, ma_port[victim], victim, rte_eth_dev_close(ma_port[victim]));
	}
	return 0;
}

static int
ma_init(void)
{
	static const enum rte_eth_event_type types[] = {
		RTE_ETH_EVENT_INTR_RESET, RTE_ETH_EVENT_INTR_RMV, RTE_ETH_EVENT_INTR_LSC,
	};
	struct vfbc_vf_info info;
	unsigned int i, n = 0;
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p) {
		if (vfbc_vf_get_info(p, &info) != 0 || info.vf_id >= MULTI_VFS ||
		    !info.claimed || ma_open[info.vf_id])
			return -EINVAL;
		ma_port[info.vf_id] = p;
		ma_open[info.vf_id] = 1;
		n++;
		for (i = 0; i < RTE_DIM(types); i++)
			if (rte_eth_dev_callback_register(p, types[i], ma_cb,
							  (void *)(uintptr_t)info.vf_id) < 0)
				return -EINVAL;
	}
	return n == MULTI_VFS ? 0 : -ENODEV;
}

/* "lev K VF:TYPE:CAUSE ..." once want events are recorded or t_ms passed; forgets them. */
static void
ma_lev(unsigned int want, unsigned int t_ms)
{
	char line[MP_LINE_MAX];
	unsigned int i, waited = 0;
	size_t off;

	for (;;) {
		pthread_mutex_lock(&ma_lock);
		if (ma_nb >= want || waited >= t_ms)
			break;
		pthread_mutex_unlock(&ma_lock);
		usleep(1000);
		waited++;
	}
	off = (size_t)snprintf(line, sizeof(line), "lev %u", ma_nb);
	for (i = 0; i < ma_nb && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " %u:%c:%d",
					ma_recs[i].vf, ma_recs[i].type, ma_recs[i].cause);
	ma_nb = 0;
	pthread_mutex_unlock(&ma_lock);
	mp_agent_send("%s", line);
}

/*
 * mp_life_multi_agent: a VF process holding VFs 0..2 ("-a" each). Says
 * "ready", then answers:
 *   lev N T       as the life agent's, each event as VF:TYPE:CAUSE
 *   closeon A B   the next reset event of VF A closes VF B's port: "ok"
 *   open          "open O0 O1 O2": which ports are still open
 *   quit          closes the open ports: "bye"
 */
static int
mp_life_multi_agent(void)
{
	char line[MP_LINE_MAX];
	unsigned int a, b, n, t, i;
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	ret = ma_init();
	if (ret < 0) {
		mp_agent_send("error ports: %d", ret);
		return TEST_FAILED;
	}
	mp_agent_send("ready ports=%u", MULTI_VFS);
	while (mp_agent_recv(line, sizeof(line), 120000) >= 0) {
		if (sscanf(line, "lev %u %u", &n, &t) == 2) {
			ma_lev(n, t);
		} else if (sscanf(line, "closeon %u %u", &a, &b) == 2 && a < MULTI_VFS &&
			   b < MULTI_VFS && a != b) {
			pthread_mutex_lock(&ma_lock);
			ma_trigger = (int)a;
			ma_victim = (int)b;
			pthread_mutex_unlock(&ma_lock);
			mp_agent_send("ok");
		} else if (strcmp(line, "open") == 0) {
			mp_agent_send("open %u %u %u", ma_open[0], ma_open[1], ma_open[2]);
		} else if (strcmp(line, "quit") == 0) {
			for (i = 0; i < MULTI_VFS; i++)
				if (ma_open[i])
					rte_eth_dev_close(ma_port[i]);
			mp_agent_send("bye");
			return TEST_SUCCESS;
		} else {
			mp_agent_send("error unknown command: %s", line);
		}
	}
	return TEST_FAILED;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_life_multi_agent, mp_life_multi_agent);

static struct mp_world w;

/*
 * The events the agent records: until n came (at most EV_MS), then until
 * none came for QUIET_MS, as "VF:TYPE:CAUSE ..." in got. How many, or -1.
 */
static int
multi_collect(struct mp_child *c, unsigned int n, char *got, size_t size)
{
	char rest[MP_LINE_MAX];
	unsigned int k, total = 0, want = n, t = EV_MS;
	size_t off = 0;
	const char *sp;

	got[0] = '\0';
	for (;;) {
		if (mp_child_cmd(c, "lev", rest, sizeof(rest), t + CMD_MS, "lev %u %u", want,
				 t) < 0 || sscanf(rest, "%u", &k) != 1)
			return -1;
		sp = strchr(rest, ' ');
		if (k != 0 && sp != NULL && off < size)
			off += (size_t)snprintf(got + off, size - off, "%s%s", off ? " " : "",
						sp + 1);
		total += k;
		if (k == 0 && t == QUIET_MS)
			return (int)total;
		want = 1;
		t = QUIET_MS;
	}
}

/* Exactly n events: 0, or -1 with what came printed. */
static int
multi_events(struct mp_child *c, unsigned int n, char *got, size_t size)
{
	int k = multi_collect(c, n, got, size);

	if (k != (int)n) {
		printf("%d events (want %u): %s\n", k, n, got);
		return -1;
	}
	return 0;
}

/* The events of VF vf in got, in order, as "TYPE:CAUSE ...". */
static void
multi_of(const char *got, unsigned int vf, char *out, size_t size)
{
	char buf[MP_LINE_MAX], *tok, *save;
	size_t off = 0;
	unsigned int v;

	out[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", got);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if (sscanf(tok, "%u:", &v) != 1 || v != vf)
			continue;
		off += (size_t)snprintf(out + off, size - off, "%s%s", off ? " " : "",
					strchr(tok, ':') + 1);
		if (off >= size)
			break;
	}
}

static int
multi_want(const char *got, unsigned int vf, const char *want)
{
	char mine[MP_LINE_MAX];

	multi_of(got, vf, mine, sizeof(mine));
	if (strcmp(mine, want) != 0) {
		printf("VF %u's events \"%s\", want \"%s\" (all: %s)\n", vf, mine, want, got);
		return -1;
	}
	return 0;
}

/*
 * Exactly n events, VF 0's being want0, VF 1's want1 and VF 2's want2
 * (NULL: not looked at). 0, or -1 with what came printed.
 */
static int
multi_expect(struct mp_child *c, unsigned int n, const char *want0, const char *want1,
	     const char *want2)
{
	const char *want[MULTI_VFS] = { want0, want1, want2 };
	char got[MP_LINE_MAX];
	unsigned int vf;

	if (multi_events(c, n, got, sizeof(got)) < 0)
		return -1;
	for (vf = 0; vf < MULTI_VFS; vf++)
		if (want[vf] != NULL && multi_want(got, vf, want[vf]) < 0)
			return -1;
	return 0;
}

static int
multi_start(struct mp_child *c)
{
	char eal[3 * (PCI_PRI_STR_SIZE + 4)];
	char rest[MP_LINE_MAX];

	/* The caller quits c (mp_life_agent_quit()) whether or not it started. */
	c->pid = -1;
	c->to_fd = c->from_fd = -1;
	snprintf(eal, sizeof(eal), "-a %s -a %s -a %s", w.vf_name[0], w.vf_name[1],
		 w.vf_name[2]);
	if (mp_child_spawn(c, "mp_life_multi_agent", eal, NULL) < 0 ||
	    mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) < 0) {
		printf("the VF process of VFs 0-2 did not start\n");
		return -1;
	}
	return 0;
}

/*
 * A reset of VF 0 and power changes of VF 2, in one period: each port gets
 * its own events, in order, and VF 1 none.
 */
static int
test_multi_each_port_its_own(void)
{
	struct mp_child c;
	int ret = TEST_FAILED;

	if (multi_start(&c) < 0)
		goto out;
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 2, 3, 0), "VF 2 D3hot");
	TEST_ASSERT_SUCCESS(vfbc_pf_reset_vf(w.pf_port, 0), "VF 0 FLR");
	/* VF 0: INTR_RESET (FLR) then LSC down; VF 2: LSC (POWER). */
	if (multi_expect(&c, 3, "R:0 L:-1", "", "L:2") < 0)
		goto out;
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 2, 0, 0), "VF 2 D0");
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 1, 3, 0), "VF 1 D3hot");
	if (multi_expect(&c, 2, "", "L:2", "L:2") < 0)
		goto out;
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 1, 0, 0), "VF 1 D0");
	if (multi_expect(&c, 1, NULL, "L:2", NULL) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int multi_reset_ret;

/* The PF's reset of VF 0: posted at once, then the 100 ms a reset takes. */
static void *
multi_reset(void *arg __rte_unused)
{
	multi_reset_ret = vfbc_pf_reset_vf(w.pf_port, 0);
	return NULL;
}

/*
 * VF 0's reset event closes VF 1's port from its callback, while VF 1 and
 * VF 2 have events of their own, posted after the reset: the look that
 * sees them sees the reset, and VF 0 comes first (listed first), so VF 1
 * gets nothing, VF 2 its event, and the watch goes on for the ports left.
 */
static int
test_multi_close_from_another_ports_callback(void)
{
	char rest[MP_LINE_MAX];
	struct mp_child c;
	int ret = TEST_FAILED;
	pthread_t th;

	if (multi_start(&c) < 0)
		goto out;
	if (mp_child_cmd(&c, "ok", rest, sizeof(rest), CMD_MS, "closeon 0 1") < 0)
		goto out;
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, multi_reset, NULL), "reset thread");
	/* The reset posted (the world's FLR takes 100 ms after it), within the period. */
	usleep(2000);
	if (vfbc_pf_set_vf_power_state(w.pf_port, 1, 3, 0) != 0 ||
	    vfbc_pf_set_vf_power_state(w.pf_port, 2, 3, 0) != 0) {
		printf("D3hot of VF 1 or 2 failed\n");
		pthread_join(th, NULL);
		goto out;
	}
	pthread_join(th, NULL);
	if (multi_reset_ret != 0) {
		printf("VF 0 FLR: %d\n", multi_reset_ret);
		goto out;
	}
	if (multi_expect(&c, 3, "R:0 L:-1", "", "L:2") < 0)
		goto out;
	if (mp_child_cmd(&c, "open", rest, sizeof(rest), CMD_MS, "open") < 0 ||
	    strcmp(rest, "1 0 1") != 0) {
		printf("ports open: %s, want 1 0 1\n", rest);
		goto out;
	}
	/* The watch goes on for VF 2 (and VF 1's events go nowhere). */
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 1, 0, 0), "VF 1 D0");
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 2, 0, 0), "VF 2 D0");
	if (multi_expect(&c, 1, NULL, NULL, "L:2") < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static int
multi_setup(void)
{
	return mp_world_start_served(&w, 4);
}

static struct unit_test_suite multi_suite = {
	.suite_name = "life events, several ports in one process",
	.setup = multi_setup,
	.teardown = mp_pf_server_stop,
	.unit_test_cases = {
		TEST_CASE(test_multi_each_port_its_own),
		TEST_CASE(test_multi_close_from_another_ports_callback),
		TEST_CASES_END()
	}
};

static int
test_mp_life_multi(void)
{
	return unit_test_suite_runner(&multi_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_multi_autotest, test_mp_life_multi, MULTI_WORLD_OPTS,
				  "mp");
