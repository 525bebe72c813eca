/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Life events across processes: this command is the PF primary of a world
 * with 4 VFs; each VF process (mp_vf_agent) records the ethdev events of
 * its port (test_mp_life_agent.c). Every PF action that changes a VF's
 * life must raise its event once, in order, in the VF's process, and the
 * PF must see its consumers come and go. Delivery times (PF action to VF
 * callback, CLOCK_MONOTONIC in both processes) are printed per cause.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define LIFE_WORLD_OPTS	"--total-vfs 4"
#define START_MS	60000	/* a secondary's EAL start, in a busy CI */
#define CMD_MS		10000

static struct mp_world w;

/* The PF's consumer events, recorded by the callback (interrupt thread). */
static pthread_mutex_t pf_ev_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vfbc_pf_consumer_event pf_evs[MP_LIFE_MAX_EV];
static unsigned int pf_nb_evs;

static void
pf_consumer_cb(uint16_t port_id __rte_unused, const struct vfbc_pf_consumer_event *ev,
	       void *arg __rte_unused)
{
	pthread_mutex_lock(&pf_ev_lock);
	if (pf_nb_evs < MP_LIFE_MAX_EV)
		pf_evs[pf_nb_evs++] = *ev;
	pthread_mutex_unlock(&pf_ev_lock);
}

static int
agent_start(struct mp_child *c, unsigned int vf)
{
	return mp_life_spawn_vf(c, "mp_vf_agent", w.vf_name[vf]);
}

/*
 * When the VF's callback ran: after the PF's call started (t0) and after
 * it returned (t1; negative: while the PF was still in the call, as for
 * an FLR, told before the 100 ms it takes).
 */
static void
report(const char *cause, const char *event, uint64_t t0, uint64_t t1, const struct mp_life_ev *ev)
{
	printf("delivery: %-10s %-24s %9.3f ms after the call, %9.3f ms after its return\n",
	       cause, event, ((double)ev->ns - (double)t0) / 1e6,
	       ((double)ev->ns - (double)t1) / 1e6);
}

/*
 * Now, at a random point of the VF's watch period: the test acts right
 * after an event plus a quiet time, a whole number of periods, and would
 * otherwise always measure the same phase of it.
 */
static uint64_t
life_random_phase(void)
{
	static int seeded;

	if (!seeded) {
		srand((unsigned int)(mp_now_ns() ^ (uint64_t)getpid()));
		seeded = 1;
	}
	usleep((useconds_t)(rand() % (VFBC_VF_LIFE_PERIOD_MS * 1000)));
	return mp_now_ns();
}

static int
life_setup(void)
{
	int ret;

	ret = mp_world_start_served(&w, 4);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(vfbc_pf_consumer_callback_register(w.pf_port, pf_consumer_cb, NULL),
			    "consumer callback");
	return TEST_SUCCESS;
}

static void
life_teardown(void)
{
	mp_pf_server_stop();
}

/*
 * The PF resets VF 0: INTR_RESET (cause FLR) and the link down; the
 * application resets its port and carries on, and what the PF invalidated
 * meanwhile is delivered.
 */
static int
test_life_flr_then_reset(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	struct mp_child c;
	uint64_t t0, t1, cb = 0;
	int ret = TEST_FAILED, r;

	if (agent_start(&c, 0) < 0)
		goto out;
	if (mp_life_link(&c) != 1)
		goto out;
	t0 = life_random_phase();
	r = vfbc_pf_reset_vf(w.pf_port, 0);
	t1 = mp_now_ns();
	if (r != 0) {
		printf("PF reset of VF 0: %d\n", r);
		goto out;
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 0x10), "invalidate");
	if (mp_life_expect(&c, "FLR", "R0 L", ev) < 0)
		goto out;
	report("FLR", "RTE_ETH_EVENT_INTR_RESET", t0, t1, &ev[0]);
	if (mp_life_link(&c) != 0 ||
	    mp_child_cmd(&c, "linfo", rest, sizeof(rest), CMD_MS, "linfo") < 0 ||
	    strstr(rest, "last=0 events=1 reset=1 up=0 en=1 d=0 counts=1,0,0,0,0,0,0,0") ==
	    NULL) {
		printf("after the FLR: link not down, or info \"%s\"\n", rest);
		goto out;
	}
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "reset");
	if (r != 0) {
		printf("rte_eth_dev_reset: %d\n", r);
		goto out;
	}
	if (mp_life_expect(&c, "reset", "L", ev) < 0 || mp_life_link(&c) != 1)
		goto out;
	if (mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS * 2, "poll %u %x", CMD_MS,
			 0x10) < 0 || sscanf(rest, "%" SCNx64, &cb) != 1 || (cb & 0x10) == 0) {
		printf("after the reset, the invalidation made meanwhile: 0x%" PRIx64 "\n", cb);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* VF 1's consumer asks for its own FLR (a config write the PF traps). */
static int
test_life_flr_asked(void)
{
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	struct mp_child c;
	unsigned int exp;
	uint16_t devctl;
	uint64_t t0, t1;
	int ret = TEST_FAILED, r;

	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(1, 0, cfg, sizeof(cfg)), "VF 1's config file");
	exp = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_EXP);
	TEST_ASSERT(exp != 0, "VF 1 has no PCI Express capability");
	devctl = (uint16_t)(cfg[exp + VFBC_PCI_EXP_DEVCTL] |
			    cfg[exp + VFBC_PCI_EXP_DEVCTL + 1] << 8) | VFBC_PCI_EXP_DEVCTL_BCR_FLR;
	if (agent_start(&c, 1) < 0)
		goto out;
	t0 = life_random_phase();
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "wbus %u %02x%02x %u", exp + VFBC_PCI_EXP_DEVCTL,
			 devctl & 0xff, devctl >> 8, CMD_MS);
	t1 = mp_now_ns();
	if (r != 2) {
		printf("the VF's FLR request: %d\n", r);
		goto out;
	}
	if (mp_life_expect(&c, "FLR asked", "R1 L", ev) < 0)
		goto out;
	report("FLR_ASKED", "RTE_ETH_EVENT_INTR_RESET", t0, t1, &ev[0]);
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "reset") != 0 ||
	    mp_life_expect(&c, "reset", "L", ev) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* D3hot takes VF 2's link down, D0 brings it up: one LSC each, cause POWER. */
static int
test_life_power(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	struct mp_child c;
	uint64_t t0, t1;
	int ret = TEST_FAILED;

	if (agent_start(&c, 2) < 0)
		goto out;
	t0 = life_random_phase();
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 2, 3, 0), "D3hot");
	t1 = mp_now_ns();
	if (mp_life_expect(&c, "D3hot", "L2", ev) < 0 || mp_life_link(&c) != 0)
		goto out;
	report("POWER", "RTE_ETH_EVENT_INTR_LSC", t0, t1, &ev[0]);
	if (mp_child_cmd(&c, "linfo", rest, sizeof(rest), CMD_MS, "linfo") < 0 ||
	    strstr(rest, "d=3") == NULL) {
		printf("in D3hot, info \"%s\"\n", rest);
		goto out;
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(w.pf_port, 2, 0, 0), "D0");
	if (mp_life_expect(&c, "D0", "L2", ev) < 0 || mp_life_link(&c) != 1)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* VF vf's consumer events the PF recorded since *from: the n-th's type, or 0. */
static uint16_t
pf_event_of(uint16_t vf, unsigned int n, int32_t *pid)
{
	unsigned int i, waited, seen;

	for (waited = 0; waited <= MP_LIFE_EV_MS; waited += 10) {
		seen = 0;
		pthread_mutex_lock(&pf_ev_lock);
		for (i = 0; i < pf_nb_evs; i++) {
			if (pf_evs[i].vf_id != vf || seen++ != n)
				continue;
			*pid = pf_evs[i].pid;
			pthread_mutex_unlock(&pf_ev_lock);
			return pf_evs[i].type;
		}
		pthread_mutex_unlock(&pf_ev_lock);
		usleep(10000);
	}
	return 0;
}

/* The PF sees its consumers attach, detach and die (each state held a watch period). */
static int
test_life_pf_sees_consumers(void)
{
	static const uint16_t want[] = {
		VFBC_PF_CONSUMER_ATTACHED, VFBC_PF_CONSUMER_DETACHED,
		VFBC_PF_CONSUMER_ATTACHED, VFBC_PF_CONSUMER_DIED,
	};
	struct mp_child c;
	int ret = TEST_FAILED;
	int32_t pid = 0, agent;
	uint16_t type;
	unsigned int i;

	pthread_mutex_lock(&pf_ev_lock);
	pf_nb_evs = 0;
	pthread_mutex_unlock(&pf_ev_lock);
	if (agent_start(&c, 3) < 0)
		goto out;
	agent = c.pid;
	for (i = 0; i < RTE_DIM(want); i++) {
		type = pf_event_of(3, i, &pid);
		if (type != want[i] || pid != agent) {
			printf("PF consumer event %u of VF 3: type %u pid %d, want %u pid %d\n", i,
			       type, (int)pid, want[i], (int)agent);
			goto out;
		}
		if (i == 0 && mp_child_ret(&c, NULL, 0, CMD_MS, "release") != 0)
			goto out;
		if (i == 1 && mp_child_ret(&c, NULL, 0, CMD_MS, "claim") != 0)
			goto out;
		if (i == 2) {
			mp_child_kill(&c, SIGKILL);
			mp_child_wait(&c, CMD_MS);
		}
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&c);
	return ret;
}

/*
 * The PF disables its VFs: INTR_RMV (DISABLED) and calls fail with -ENXIO;
 * it enables them again: INTR_RESET (ENABLED), and a reset brings the port
 * back with every block.
 */
static int
test_life_disable_enable(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	struct mp_child c;
	uint64_t t0, t1, cb = 0;
	int ret = TEST_FAILED, r, pr;

	if (agent_start(&c, 3) < 0)
		goto out;
	t0 = life_random_phase();
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 0), "disable");
	t1 = mp_now_ns();
	if (mp_life_expect(&c, "disable", "M3 L", ev) < 0)
		goto out;
	report("DISABLED", "RTE_ETH_EVENT_INTR_RMV", t0, t1, &ev[0]);
	if (mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS, "poll 50 0") < 0 ||
	    sscanf(rest, "%*x %*x %*u %d", &pr) != 1 || pr != -ENXIO) {
		printf("a poll of the disabled VF: \"%s\", want %d\n", rest, -ENXIO);
		goto out;
	}
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "reset");
	if (r != -ENXIO) {
		printf("a reset of the disabled VF: %d, want %d\n", r, -ENXIO);
		goto out;
	}
	t0 = life_random_phase();
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(w.pf_port, 4), "enable");
	t1 = mp_now_ns();
	if (mp_life_expect(&c, "enable", "R4", ev) < 0)
		goto out;
	report("ENABLED", "RTE_ETH_EVENT_INTR_RESET", t0, t1, &ev[0]);
	r = mp_child_ret(&c, NULL, 0, CMD_MS, "reset");
	if (r != 0 || mp_life_expect(&c, "reset", "L", ev) < 0) {
		printf("a reset of the enabled VF: %d\n", r);
		goto out;
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(w.pf_port, 3, 0x1), "invalidate");
	if (mp_child_cmd(&c, "mask", rest, sizeof(rest), CMD_MS * 2, "poll %u 1", CMD_MS) < 0 ||
	    sscanf(rest, "%" SCNx64, &cb) != 1 || cb != VFBC_VF_ALL_BLOCKS) {
		printf("the first delivery after the re-enable: 0x%" PRIx64 ", want all blocks\n",
		       cb);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

/* The PF closes its port: INTR_RMV (PF_CLOSED). Last: the port stays closed. */
static int
test_life_pf_close(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	struct mp_child c;
	uint64_t t0, t1;
	int ret = TEST_FAILED;

	if (agent_start(&c, 0) < 0)
		goto out;
	mp_pf_server_stop();
	t0 = life_random_phase();
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(w.pf_port), "close the PF port");
	t1 = mp_now_ns();
	if (mp_life_expect(&c, "PF close", "M6 L", ev) < 0)
		goto out;
	report("PF_CLOSED", "RTE_ETH_EVENT_INTR_RMV", t0, t1, &ev[0]);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	return ret;
}

static struct unit_test_suite life_suite = {
	.suite_name = "life events across processes",
	.setup = life_setup,
	.teardown = life_teardown,
	.unit_test_cases = {
		TEST_CASE(test_life_flr_then_reset),
		TEST_CASE(test_life_flr_asked),
		TEST_CASE(test_life_power),
		TEST_CASE(test_life_pf_sees_consumers),
		TEST_CASE(test_life_disable_enable),
		TEST_CASE(test_life_pf_close),
		TEST_CASES_END()
	}
};

static int
test_mp_life(void)
{
	return unit_test_suite_runner(&life_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_autotest, test_mp_life, LIFE_WORLD_OPTS, "mp");

/* The PF's process dies: INTR_RMV (PF_GONE) in the VF process. */
static int
test_mp_life_pf_death(void)
{
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	struct mp_child p, c;
	uint64_t t0;
	int ret = TEST_FAILED;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	if (mp_child_spawn_primary(&p, "mp_vf_primary", NULL) < 0 ||
	    mp_child_expect(&p, "ready", rest, sizeof(rest), START_MS) < 0 ||
	    strncmp(rest, "prefix=", 7) != 0) {
		printf("the PF primary did not start\n");
		goto out;
	}
	if (mp_child_spawn_prefix(&c, "mp_vf_agent", "-a 0000:01:00.1", rest + 7, NULL) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), START_MS) < 0 ||
	    mp_life_link(&c) != 1) {
		printf("the VF process did not start or claim\n");
		goto out;
	}
	t0 = life_random_phase();
	mp_child_kill(&p, SIGKILL);
	if (mp_life_expect(&c, "PF death", "M7 L", ev) < 0)
		goto out;
	report("PF_GONE", "RTE_ETH_EVENT_INTR_RMV", t0, t0, &ev[0]);
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	mp_child_close(&p);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_pf_death_autotest, test_mp_life_pf_death,
				  LIFE_WORLD_OPTS, "mp");
