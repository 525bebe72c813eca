/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team findings on the VF life events (each failed on the code it was
 * written against): an isolated consumer busy in a life callback while the
 * PF posts many events, then disables the VF.
 *
 * mp_life_red_iso_burst: more than a look's batch (32) of events. The
 * hang-up handler took the last LIFE message and marked the port dead; the
 * next look raised 32 and stopped, the one after saw the port dead and
 * raised PF_GONE: the rest, the disable among them, were never raised, and
 * the cause was not the PF's (DISABLED: -ENXIO).
 *
 * mp_life_red2_iso_flood: more than a socket buffer's worth of LIFE
 * messages (about 200 in 208 KiB). The PF sent each with MSG_DONTWAIT and
 * ignored the error: once the buffer was full, the disable's message was
 * dropped too, the consumer's renewed region read nothing, and the hang-up
 * was raised as PF_GONE.
 *
 * The agent is red_iso_agent (test_mp_life_red.c).
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define RED_CMD_MS	10000
/* After the stall: how long the consumer has to raise what waited. */
#define RED_SETTLE_MS	30000

static char red_sock[108];

/*
 * An isolated consumer busy stall_ms in the FLR's callback while the PF
 * changes the VF's power burst times, then disables it: every event must
 * be raised once the callback returns, the disable as DISABLED.
 */
static int
red_iso_burst(unsigned int burst, unsigned int stall_ms)
{
	static const char secret[] = "s3cret-of-red0";
	unsigned int cnt[8], i, extra;
	uint8_t low;
	char rest[MP_LINE_MAX];
	struct mp_world w;
	struct mp_child c;
	uint64_t t0, took_ms, end;
	int ret;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	snprintf(red_sock, sizeof(red_sock), "/tmp/vfbc-red-burst-%d.sock", (int)getpid());
	ret = mp_world_start_isolated(&w, red_sock);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(w.pf_port, 0, secret), "secret");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	if (mp_life_spawn_iso(&c, "red_iso_agent", red_sock, 0, secret) < 0)
		goto out;
	if (mp_life_agent_arm(&c, "cbstall", stall_ms) < 0)
		goto out;
	/* The FLR's INTR_RESET keeps the consumer busy. */
	if (vfbc_pf_reset_vf(w.pf_port, 0) != 0) {
		printf("PF reset of VF 0 failed\n");
		goto out;
	}
	t0 = mp_now_ns();
	/* D1 (no delay) if the VF has it, else D3hot (10 ms each way). */
	low = vfbc_pf_set_vf_power_state(w.pf_port, 0, 1, 0) == 0 ? 1 : 3;
	if (low == 1 && vfbc_pf_set_vf_power_state(w.pf_port, 0, 0, 0) != 0) {
		printf("back to D0 failed\n");
		goto out;
	}
	for (i = 0; i < burst; i++)
		if (vfbc_pf_set_vf_power_state(w.pf_port, 0, i % 2 == 0 ? low : 0, 0) != 0) {
			printf("power change %u failed\n", i);
			goto out;
		}
	if (vfbc_pf_enable_virtualization(w.pf_port, 0) != 0) {
		printf("disable failed\n");
		goto out;
	}
	took_ms = (mp_now_ns() - t0) / 1000000;
	if (took_ms + 500 >= stall_ms) {
		printf("inconclusive: the power changes and the disable took %" PRIu64 " ms\n",
		       took_ms);
		goto out;
	}
	/*
	 * The consumer's callback returns; what it is told after. Looked at
	 * until every event is there or a PF_GONE was raised: a loaded machine
	 * (CI, sanitizers) may start the stall late, or raise 600 events slowly.
	 */
	extra = low == 1 ? 2 : 0;
	usleep((stall_ms - took_ms) * 1000);
	end = mp_now_ns() + (uint64_t)RED_SETTLE_MS * 1000000;
	do {
		usleep(200 * 1000);
		if (mp_child_cmd(&c, "linfo", rest, sizeof(rest), RED_CMD_MS, "linfo") < 0 ||
		    sscanf(strstr(rest, "counts=") != NULL ? strstr(rest, "counts=") : "",
			   "counts=%u,%u,%u,%u,%u,%u,%u,%u", &cnt[0], &cnt[1], &cnt[2], &cnt[3],
			   &cnt[4], &cnt[5], &cnt[6], &cnt[7]) != 8) {
			printf("linfo: %s\n", rest);
			goto out;
		}
	} while ((cnt[0] != 1 || cnt[2] != burst + extra || cnt[3] != 1) && cnt[7] == 0 &&
		 mp_now_ns() < end);
	printf("%u power changes and a disable in %" PRIu64 " ms; the consumer's info: %s\n",
	       burst, took_ms, rest);
	if (cnt[0] != 1 || cnt[2] != burst + extra || cnt[3] != 1 || cnt[7] != 0) {
		printf("events per cause FLR %u POWER %u DISABLED %u PF_GONE %u, want 1 %u 1 0\n",
		       cnt[0], cnt[2], cnt[3], cnt[7], burst + extra);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	mp_pf_server_stop();
	unlink(red_sock);
	return ret;
}

static int
test_mp_life_red_iso_burst(void)
{
	/* Past a look's batch of 32. */
	return red_iso_burst(40, 5000);
}

static int
test_mp_life_red2_iso_flood(void)
{
	/* Past a socket buffer of messages. */
	return red_iso_burst(600, 20000);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red_iso_burst_autotest, test_mp_life_red_iso_burst,
				  "--total-vfs 4", "mp");
REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red2_iso_flood_autotest, test_mp_life_red2_iso_flood,
				  "--total-vfs 4", "mp");
