/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the PF consumer events, second round (fails on the
 * code it was written against): a consumer that dies holding the claim is
 * told DETACHED, not DIED, when the next consumer takes the claim over
 * before the PF's watch looked.
 *
 * "VFBC_PF_CONSUMER_DIED for one that exited holding it." The watch tells
 * DIED only when the claim word still names the old holder; a takeover
 * (what a supervisor that restarts a crashed consumer does at once) has
 * rewritten the word with the new holder's pid, so the dead one is told
 * DETACHED ("let go"). Here the watch is held by a slow PF callback (of the
 * dead consumer's ATTACHED) while the holder is killed and the other
 * consumer takes over; without it the window is the watch's 50 ms period.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define RED_START_MS	60000
#define RED_CMD_MS	10000
#define RED_STALL_MS	5000
#define RED_EVS		16

static struct vfbc_pf_consumer_event red_evs[RED_EVS];
static volatile unsigned int red_nb;
static volatile int red_stalling;

static void
red_consumer_cb(uint16_t port_id __rte_unused, const struct vfbc_pf_consumer_event *ev,
		void *arg __rte_unused)
{
	unsigned int n = red_nb;

	if (ev->vf_id != 0 || n >= RED_EVS)
		return;
	red_evs[n] = *ev;
	__atomic_store_n(&red_nb, n + 1, __ATOMIC_RELEASE);
	/* The first holder's ATTACHED: the watch is busy a while. */
	if (n == 0 && ev->type == VFBC_PF_CONSUMER_ATTACHED) {
		red_stalling = 1;
		usleep(RED_STALL_MS * 1000);
		red_stalling = 0;
	}
}

static const char *
red_type(uint16_t t)
{
	return t == VFBC_PF_CONSUMER_ATTACHED ? "ATTACHED" :
		t == VFBC_PF_CONSUMER_DETACHED ? "DETACHED" :
		t == VFBC_PF_CONSUMER_DIED ? "DIED" : "?";
}

static int
test_pf_life_red2_takeover(void)
{
	char rest[MP_LINE_MAX], eal_a[128], eal_b[160];
	struct mp_child a, b;
	struct mp_world w;
	unsigned int i, waited;
	pid_t pid_a, pid_b;
	int ret, r = 0;

	a.pid = b.pid = -1;
	a.to_fd = a.from_fd = b.to_fd = b.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(vfbc_pf_consumer_callback_register(w.pf_port, red_consumer_cb, NULL),
			    "consumer callback");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	/* B: the next consumer, unclaimed for now. */
	snprintf(eal_b, sizeof(eal_b), "-a %s,claim=0", w.vf_name[0]);
	if (mp_child_spawn(&b, "mp_vf_agent", eal_b, NULL) < 0 ||
	    mp_child_expect(&b, "ready", rest, sizeof(rest), RED_START_MS) < 0 ||
	    strstr(rest, "claimed=0") == NULL) {
		printf("B did not start unclaimed: %s\n", rest);
		goto out;
	}
	pid_b = b.pid;
	/* A: the holder; its ATTACHED holds the watch. */
	snprintf(eal_a, sizeof(eal_a), "-a %s", w.vf_name[0]);
	if (mp_child_spawn(&a, "mp_vf_agent", eal_a, NULL) < 0 ||
	    mp_child_expect(&a, "ready", rest, sizeof(rest), RED_START_MS) < 0 ||
	    strstr(rest, "claimed=1") == NULL) {
		printf("A did not start or claim: %s\n", rest);
		goto out;
	}
	pid_a = a.pid;
	for (waited = 0; waited < 3000 && !red_stalling; waited += 10)
		usleep(10000);
	if (!red_stalling) {
		printf("no ATTACHED for A\n");
		goto out;
	}
	/* A dies holding the claim; B takes it over (a supervisor's restart). */
	mp_child_kill(&a, SIGKILL);
	mp_child_wait(&a, RED_CMD_MS);
	for (waited = 0; waited < 2000; waited += 50) {
		r = mp_child_ret(&b, NULL, 0, RED_CMD_MS, "claim");
		if (r != -EBUSY)
			break;
		usleep(50 * 1000);
	}
	if (r != 0) {
		printf("B's takeover: %d\n", r);
		goto out;
	}
	if (!red_stalling) {
		printf("inconclusive: the watch looked before the takeover\n");
		goto out;
	}
	for (waited = 0; waited < RED_STALL_MS + 3000 &&
	     __atomic_load_n(&red_nb, __ATOMIC_ACQUIRE) < 3; waited += 10)
		usleep(10000);
	usleep(200 * 1000);
	for (i = 0; i < red_nb; i++)
		printf("VF 0 consumer event %u: %s pid %d\n", i, red_type(red_evs[i].type),
		       (int)red_evs[i].pid);
	if (red_nb != 3 || red_evs[0].type != VFBC_PF_CONSUMER_ATTACHED ||
	    red_evs[0].pid != pid_a || red_evs[1].pid != pid_a ||
	    red_evs[2].type != VFBC_PF_CONSUMER_ATTACHED || red_evs[2].pid != pid_b) {
		printf("want ATTACHED %d, DIED %d, ATTACHED %d\n", (int)pid_a, (int)pid_a,
		       (int)pid_b);
		goto out;
	}
	if (red_evs[1].type != VFBC_PF_CONSUMER_DIED) {
		printf("consumer %d was killed holding the claim: told %s, want DIED\n",
		       (int)pid_a, red_type(red_evs[1].type));
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a);
	mp_life_agent_quit(&b);
	mp_pf_server_stop();
	vfbc_pf_consumer_callback_unregister(w.pf_port, red_consumer_cb, NULL);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(pf_life_red2_takeover_autotest, test_pf_life_red2_takeover,
				  "--total-vfs 4", "mp");
