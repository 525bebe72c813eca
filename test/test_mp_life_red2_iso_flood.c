/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the VF life events, second round (fails on the code
 * it was written against): the PF drops the LIFE messages of an isolated
 * consumer whose socket is full, the disable's among them.
 *
 * "A LIFE message ... before a disable or a port close is all a holder
 * still gets (its region is already renewed)." The PF sends each LIFE
 * message with MSG_DONTWAIT and ignores the error: once the consumer's
 * connection holds a socket buffer's worth of unread messages (about 200
 * with the default 208 KiB; a consumer busy in a callback, or just slow),
 * every later one is dropped silently. The last one the consumer reads is
 * then older than the disable, its renewed region reads nothing, and the
 * hang-up is raised as PF_GONE (-ENOTCONN) instead of DISABLED (-ENXIO);
 * the events after the buffer filled are never raised.
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

#define RED_START_MS	60000
#define RED_CMD_MS	10000
#define RED_STALL_MS	20000
/* Power changes while the consumer is busy: past a socket buffer of messages. */
#define RED_BURST	600

static char red_sock[108];

static void
red_agent_stop(struct mp_child *c)
{
	if (c->pid > 0 && mp_child_send(c, "quit") == 0)
		mp_child_expect(c, "bye", NULL, 0, RED_CMD_MS);
	mp_child_close(c);
}

static int
test_mp_life_red2_iso_flood(void)
{
	static const char secret[] = "s3cret-of-red0";
	static char eal_var[MP_LINE_MAX];
	const char *env[] = { eal_var, NULL };
	unsigned int cnt[8], i, extra;
	uint8_t low;
	char rest[MP_LINE_MAX];
	struct mp_world w;
	struct mp_child c;
	uint64_t t0, took_ms;
	int ret;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	snprintf(red_sock, sizeof(red_sock), "/tmp/vfbc-red-flood-%d.sock", (int)getpid());
	ret = mp_world_start_isolated(&w, red_sock);
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(w.pf_port, 0, secret), "secret");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	snprintf(eal_var, sizeof(eal_var), "%s=-m 64 --no-shconf --no-huge --no-pci "
		 "--vdev net_vfbc_isolated0,socket=%s,vf=0,secret=%s", MP_ISO_ENV_EAL,
		 red_sock, secret);
	if (mp_child_spawn_primary(&c, "red_iso_agent", env) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), RED_START_MS) < 0 ||
	    strstr(rest, "claimed=1") == NULL) {
		printf("the isolated consumer did not start or claim\n");
		goto out;
	}
	if (mp_life_link(&c) != 1)
		goto out;
	if (mp_child_cmd(&c, "cbstall", rest, sizeof(rest), RED_CMD_MS, "cbstall %u",
			 RED_STALL_MS) < 0 || strcmp(rest, "ok") != 0) {
		printf("cbstall: %s\n", rest);
		goto out;
	}
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
	for (i = 0; i < RED_BURST; i++)
		if (vfbc_pf_set_vf_power_state(w.pf_port, 0, i % 2 == 0 ? low : 0, 0) != 0) {
			printf("power change %u failed\n", i);
			goto out;
		}
	if (vfbc_pf_enable_virtualization(w.pf_port, 0) != 0) {
		printf("disable failed\n");
		goto out;
	}
	took_ms = (mp_now_ns() - t0) / 1000000;
	if (took_ms + 500 >= RED_STALL_MS) {
		printf("inconclusive: the power changes and the disable took %" PRIu64 " ms\n",
		       took_ms);
		goto out;
	}
	/* The consumer's callback returns; what it is told after. */
	usleep((RED_STALL_MS - took_ms + 2000) * 1000);
	if (mp_child_cmd(&c, "linfo", rest, sizeof(rest), RED_CMD_MS, "linfo") < 0 ||
	    sscanf(strstr(rest, "counts=") != NULL ? strstr(rest, "counts=") : "",
		   "counts=%u,%u,%u,%u,%u,%u,%u,%u", &cnt[0], &cnt[1], &cnt[2], &cnt[3],
		   &cnt[4], &cnt[5], &cnt[6], &cnt[7]) != 8) {
		printf("linfo: %s\n", rest);
		goto out;
	}
	printf("%u power changes and a disable in %" PRIu64 " ms; the consumer's info: %s\n",
	       RED_BURST, took_ms, rest);
	extra = low == 1 ? 2 : 0;
	if (cnt[0] != 1 || cnt[2] != RED_BURST + extra || cnt[3] != 1 || cnt[7] != 0) {
		printf("events per cause FLR %u POWER %u DISABLED %u PF_GONE %u, want 1 %u 1 0\n",
		       cnt[0], cnt[2], cnt[3], cnt[7], RED_BURST + extra);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	red_agent_stop(&c);
	mp_pf_server_stop();
	unlink(red_sock);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red2_iso_flood_autotest, test_mp_life_red2_iso_flood,
				  "--total-vfs 4", "mp");
