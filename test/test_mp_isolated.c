/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Isolated VF consumers, proved in the emulated world: the test process is
 * the PF's primary, its PF probed with socket=; each consumer is
 * mp_iso_agent (test_mp_iso_agent.c), a primary of its own in a mount
 * namespace of its own where the PF's runtime directory and the hugepage
 * mount are empty tmpfs, as in a container to which only the socket is
 * given. What each case proves:
 *
 * - container: the consumer gets invalidations and block data and makes
 *   requests; it maps no hugepage file and exactly one region, its VF's;
 *   it cannot see the PF's runtime directory;
 * - refusals: a wrong secret, another VF's secret and a second consumer of
 *   a held VF are refused, and the holder keeps its VF and its deliveries;
 * - hostile: a consumer that writes garbage over all of its region, floods
 *   requests and never consumes changes nothing of another VF and delays
 *   its requests by less than 2x (p50, same run);
 * - reconnect: a consumer killed while the PF invalidates, and a new one
 *   with the secret, gets every bit it missed;
 * - beside the VF's PMD: one process holds VF 3's PCI device through
 *   net_vfbc_vf (a NIC's VF PMD stand-in) and net_vfbc_isolated0,vf=3, and
 *   the backchannel works.
 */

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define ISO_WAIT_MS	20000
#define ISO_RTT_N	300
/*
 * Hostile case: the other VF's request p50 may grow by less than this
 * factor, or by less than ISO_HOSTILE_SLACK_NS: served by the sleeping
 * service (mp_pf_server_start()), it is a wake-up alone (tens of
 * microseconds) and, under a flood, the time the flooder's processes hold
 * this machine's two CPUs, which no PF decides.
 */
#define ISO_HOSTILE_MAX_RATIO	2.0
#define ISO_HOSTILE_SLACK_NS	100000

static struct mp_world iso;
static char iso_sock[108];
static char iso_hide[PATH_MAX + 32];
static char iso_peek[PATH_MAX + 64];
/* The consumers of a case: closed (killed if need be) after it, whatever happened. */
static struct mp_child iso_kids[4];

static const char *
iso_secret(uint16_t vf)
{
	static char s[4][16];

	snprintf(s[vf % 4], sizeof(s[0]), "s3cret-of-vf%u", vf);
	return s[vf % 4];
}

static int
iso_setup(void)
{
	char rt[PATH_MAX];
	uint16_t vf;
	int ret;

	snprintf(iso_sock, sizeof(iso_sock), "/tmp/vfbc-mp-iso-%d.sock", (int)getpid());
	ret = mp_world_start_isolated(&iso, iso_sock);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(iso.nb_vfs >= 4, "the world has %u VFs, the cases need 4", iso.nb_vfs);
	for (vf = 0; vf < 4; vf++)
		TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(iso.pf_port, vf, iso_secret(vf)),
				"secret of VF %u", vf);
	TEST_ASSERT_SUCCESS(mp_pf_server_start(iso.pf_port), "PF service");
	/* What a container does not see: the PF's runtime directory, the hugepages. */
	snprintf(rt, sizeof(rt), "%s", rte_eal_get_runtime_dir());
	snprintf(iso_peek, sizeof(iso_peek), "%s:/dev/hugepages/%smap_0", rt, mp_file_prefix());
	snprintf(iso_hide, sizeof(iso_hide), "%s:/dev/hugepages", dirname(rt));
	/* The check must be able to fail: the PF's files are there to see, here. */
	TEST_ASSERT(access(rte_eal_get_runtime_dir(), F_OK) == 0, "no PF runtime directory");
	snprintf(rt, sizeof(rt), "/dev/hugepages/%smap_0", mp_file_prefix());
	TEST_ASSERT(access(rt, F_OK) == 0, "no PF hugepage file %s", rt);
	return TEST_SUCCESS;
}

static int
iso_case_setup(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(iso_kids); i++)
		iso_kids[i].pid = -1;
	return TEST_SUCCESS;
}

static void
iso_case_teardown(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(iso_kids); i++)
		if (iso_kids[i].pid > 0)
			mp_child_close(&iso_kids[i]);
}

static void
iso_teardown(void)
{
	mp_pf_server_stop();
	unlink(iso_sock);
}

/*
 * Start a consumer of VF vf with secret; pci: an allow-list entry for its
 * EAL (NULL: --no-pci). Waits for "ready" (or "no-port" when expect_port
 * is 0). 0, or -1 with the child closed.
 */
static int
iso_spawn(struct mp_child *c, uint16_t vf, const char *secret, const char *pci,
	  int expect_port)
{
	static char eal_var[MP_LINE_MAX], hide_var[PATH_MAX + 64], peek_var[PATH_MAX + 96];
	const char *env[] = { eal_var, hide_var, peek_var, NULL, NULL, NULL };
	char rest[MP_LINE_MAX];
	unsigned int n = 3;

	/* Beside a PCI PMD: hugepages of its own (uio devices need physical addresses). */
	snprintf(eal_var, sizeof(eal_var), "%s=%s -m 64 --no-shconf %s %s "
		 "--vdev net_vfbc_isolated0,socket=%s,vf=%u,secret=%s", MP_ISO_ENV_EAL,
		 pci != NULL ? "" : "--no-huge", pci != NULL ? "-a" : "--no-pci",
		 pci != NULL ? pci : "", iso_sock, vf, secret);
	snprintf(hide_var, sizeof(hide_var), "%s=%s", MP_ISO_ENV_HIDE, iso_hide);
	snprintf(peek_var, sizeof(peek_var), "%s=%s", MP_ISO_ENV_PEEK, iso_peek);
	if (pci != NULL)
		env[n++] = MP_ISO_ENV_HUGE "=/dev/hugepages";
	if (!expect_port)
		env[n++] = "MP_VF_EXPECT_NO_PORT=1";
	if (mp_child_spawn_primary(c, "mp_iso_agent", env) < 0)
		return -1;
	if (mp_child_expect(c, expect_port ? "ready" : "no-port", rest, sizeof(rest),
			    ISO_WAIT_MS) < 0) {
		mp_child_close(c);
		return -1;
	}
	if (expect_port && strstr(rest, "claimed=1") == NULL) {
		printf("consumer of VF %u: %s\n", vf, rest);
		mp_child_close(c);
		return -1;
	}
	return 0;
}

static void
iso_quit(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	if (c->pid > 0 && mp_child_cmd(c, "bye", rest, sizeof(rest), ISO_WAIT_MS, "quit") == 0)
		mp_child_wait(c, ISO_WAIT_MS);
	mp_child_close(c);
}

/* "mask CB POLL CALLS RET" of a poll for want: the OR of both masks. */
static int
iso_poll(struct mp_child *c, uint64_t want, uint64_t *got)
{
	char rest[MP_LINE_MAX];
	uint64_t cb, pl;

	if (mp_child_cmd(c, "mask", rest, sizeof(rest), ISO_WAIT_MS, "poll 3000 %" PRIx64,
			 want) < 0 || sscanf(rest, "%" SCNx64 " %" SCNx64, &cb, &pl) != 2)
		return -1;
	*got = cb | pl;
	return 0;
}

static int
test_mp_isolated_consumer_should_reach_only_its_vf(void)
{
	static const uint8_t blk[6] = { 'i', 's', 'o', 'l', 'a', 't' };
	char rest[MP_LINE_MAX], want[64];
	struct mp_child *c = &iso_kids[0];
	uint64_t got = 0;
	int32_t pid = 0;
	int huge = -1, seen = -1;
	char regions[MP_LINE_MAX] = "";

	TEST_ASSERT_SUCCESS(iso_spawn(c, 1, iso_secret(1), NULL, 1), "consumer of VF 1");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(iso.pf_port, 1, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, c->pid, "the PF's consumer of VF 1 is %d, not %d", (int)pid,
			  (int)c->pid);
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(iso.pf_port, 1, 5, blk, sizeof(blk)),
			    "PF block write");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso.pf_port, 1, 1u << 5),
			    "PF invalidate");
	TEST_ASSERT_SUCCESS(iso_poll(c, 1u << 5, &got), "poll");
	TEST_ASSERT((got & (1u << 5)) != 0, "mask 0x%" PRIx64 " without bit 5", got);
	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "block", rest, sizeof(rest), ISO_WAIT_MS,
					 "read 5"), "block read");
	TEST_ASSERT(strcmp(rest, "6 69736f6c6174") == 0, "block: %s", rest);
	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "ret", rest, sizeof(rest), ISO_WAIT_MS,
					 "rbus 0 4 2000"), "config read");
	TEST_ASSERT(strncmp(rest, "4 ", 2) == 0, "config read through the PF: %s", rest);

	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "maps", rest, sizeof(rest), ISO_WAIT_MS, "maps"),
			    "maps");
	TEST_ASSERT(sscanf(rest, "huge=%d regions=%511s seen=%d", &huge, regions, &seen) == 3,
		    "maps: %s", rest);
	printf("consumer of VF 1: %s\n", rest);
	snprintf(want, sizeof(want), "vfbc_ch_%s_vf1", MP_PF_NAME);
	TEST_ASSERT_EQUAL(huge, 0, "the consumer maps %d hugepage files", huge);
	TEST_ASSERT(strcmp(regions, want) == 0, "the consumer maps %s, not %s alone", regions,
		    want);
	TEST_ASSERT_EQUAL(seen, 0, "the consumer sees %d of the PF's files", seen);
	iso_quit(c);
	return TEST_SUCCESS;
}

static int
test_mp_isolated_wrong_secrets_and_second_consumers_should_be_refused(void)
{
	struct mp_child *holder = &iso_kids[0], *other = &iso_kids[1];
	int32_t pid = 0;
	uint64_t got = 0;

	TEST_ASSERT_SUCCESS(iso_spawn(holder, 1, iso_secret(1), NULL, 1), "holder of VF 1");
	TEST_ASSERT_SUCCESS(iso_spawn(other, 1, "not-the-secret", NULL, 0),
			    "a wrong secret was not refused");
	iso_quit(other);
	TEST_ASSERT_SUCCESS(iso_spawn(other, 2, iso_secret(1), NULL, 0),
			    "VF 1's secret opened VF 2");
	iso_quit(other);
	TEST_ASSERT_SUCCESS(iso_spawn(other, 1, iso_secret(1), NULL, 0),
			    "a second consumer of held VF 1 was not refused");
	iso_quit(other);
	/* The holder lost nothing. */
	TEST_ASSERT(vfbc_pf_vf_consumer(iso.pf_port, 1, &pid) == 0 && pid == holder->pid,
		    "VF 1's consumer is %d, not the holder %d", (int)pid, (int)holder->pid);
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso.pf_port, 1, 0x6), "invalidate");
	TEST_ASSERT(iso_poll(holder, 0x6, &got) == 0 && (got & 0x6) == 0x6,
		    "the holder got 0x%" PRIx64, got);
	iso_quit(holder);
	return TEST_SUCCESS;
}

/* p50 of VF 2's config reads ("rtt P50 FAILED"), in ns. */
static int
iso_rtt(struct mp_child *c, uint64_t *p50)
{
	char rest[MP_LINE_MAX];
	unsigned int failed = 0;

	if (mp_child_cmd(c, "rtt", rest, sizeof(rest), 60000, "rtt %u", ISO_RTT_N) < 0 ||
	    sscanf(rest, "%" SCNu64 " %u", p50, &failed) != 2 || failed != 0) {
		printf("rtt: %s\n", rest);
		return -1;
	}
	return 0;
}

/* VF 2's p50 beside a hostile VF: within the bounds of ISO_HOSTILE_MAX_RATIO. */
static int
iso_hostile_ok(uint64_t calm, uint64_t beside)
{
	return (double)beside / calm < ISO_HOSTILE_MAX_RATIO ||
		beside < calm + ISO_HOSTILE_SLACK_NS;
}

static int
test_mp_isolated_hostile_consumer_should_not_reach_another_vf(void)
{
	static const uint8_t blk[4] = { 0xca, 0xfe, 0xf0, 0x0d };
	struct vfbc_channel_stats before, after;
	struct mp_child *bad = &iso_kids[0], *good = &iso_kids[1];
	char rest[MP_LINE_MAX];
	uint64_t calm, flooded, scribbled, got = 0;
	uint8_t buf[8];
	int i;

	TEST_ASSERT_SUCCESS(iso_spawn(good, 2, iso_secret(2), NULL, 1), "consumer of VF 2");
	TEST_ASSERT_SUCCESS(iso_spawn(bad, 1, iso_secret(1), NULL, 1), "consumer of VF 1");
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(iso.pf_port, 2, 4, blk, sizeof(blk)),
			    "VF 2's block");
	TEST_ASSERT_SUCCESS(iso_rtt(good, &calm), "VF 2 alone");
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(iso.pf_port, 2, &before), "VF 2's counters");

	/*
	 * A flood of requests the PF must serve, then garbage over every byte
	 * of its region; it never polls. VF 2's p50 under each, against alone.
	 */
	TEST_ASSERT_SUCCESS(mp_child_send(bad, "flood 3000"), "flood");
	TEST_ASSERT_SUCCESS(iso_rtt(good, &flooded), "VF 2 under the flood");
	TEST_ASSERT_SUCCESS(mp_child_expect(bad, "flood", rest, sizeof(rest), ISO_WAIT_MS),
			    "flood end");
	printf("hostile VF 1: %s requests in 3 s\n", rest);
	TEST_ASSERT_SUCCESS(mp_child_cmd(bad, "scribbled", rest, sizeof(rest), ISO_WAIT_MS,
					 "scribble 41"), "scribble");
	TEST_ASSERT(strtoull(rest, NULL, 10) > 0, "the hostile consumer found no region");
	for (i = 0; i < 1000; i++)
		(void)vfbc_pf_invalidate_config_blocks(iso.pf_port, 1, UINT64_C(1) << (i % 64));
	TEST_ASSERT_SUCCESS(iso_rtt(good, &scribbled), "VF 2 beside the scribbled region");
	printf("VF 2 config read p50: %" PRIu64 " ns alone, %" PRIu64 " ns under VF 1's "
	       "flood (%.2fx), %" PRIu64 " ns beside its scribbled region (%.2fx); bound %.1fx "
	       "or %u ns more\n",
	       calm, flooded, (double)flooded / calm, scribbled, (double)scribbled / calm,
	       ISO_HOSTILE_MAX_RATIO, ISO_HOSTILE_SLACK_NS);
	TEST_ASSERT(iso_hostile_ok(calm, flooded), "VF 2 delayed by the flood");
	TEST_ASSERT(iso_hostile_ok(calm, scribbled), "VF 2 delayed by the scribbled region");

	/* VF 2's state: its block, its deliveries, its counters (only its own requests). */
	TEST_ASSERT_EQUAL(vfbc_pf_read_config_block(iso.pf_port, 2, 4, buf, sizeof(buf)), 4,
			  "VF 2's block");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, blk, sizeof(blk), "VF 2's block changed");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso.pf_port, 2, 0x30), "inv 2");
	TEST_ASSERT(iso_poll(good, 0x30, &got) == 0 && got == 0x30, "VF 2 got 0x%" PRIx64, got);
	TEST_ASSERT_SUCCESS(mp_child_cmd(good, "block", rest, sizeof(rest), ISO_WAIT_MS,
					 "read 4"), "VF 2 reads its block");
	TEST_ASSERT(strcmp(rest, "4 cafef00d") == 0, "VF 2 reads %s", rest);
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(iso.pf_port, 2, &after), "VF 2's counters");
	TEST_ASSERT_EQUAL(after.requests_accepted - before.requests_accepted, 2 * ISO_RTT_N,
			  "VF 2: %" PRIu64 " requests accepted, it made %u",
			  after.requests_accepted - before.requests_accepted, 2 * ISO_RTT_N);
	TEST_ASSERT_EQUAL(after.requests_rejected, before.requests_rejected,
			  "VF 2: requests rejected");
	iso_quit(bad);
	iso_quit(good);
	return TEST_SUCCESS;
}

static int
test_mp_isolated_reconnect_should_get_what_was_missed(void)
{
	struct mp_child *c = &iso_kids[0];
	uint64_t got = 0;

	TEST_ASSERT_SUCCESS(iso_spawn(c, 3, iso_secret(3), NULL, 1), "consumer of VF 3");
	TEST_ASSERT_SUCCESS(mp_child_kill(c, SIGKILL), "kill");
	mp_child_wait(c, ISO_WAIT_MS);
	mp_child_close(c);
	/* While nobody holds VF 3. */
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso.pf_port, 3, UINT64_C(1) << 33),
			    "invalidate");
	TEST_ASSERT_SUCCESS(iso_spawn(c, 3, iso_secret(3), NULL, 1), "a new consumer");
	TEST_ASSERT_SUCCESS(iso_poll(c, UINT64_C(1) << 33, &got), "poll");
	printf("the new consumer of VF 3 got 0x%" PRIx64 "\n", got);
	TEST_ASSERT((got & (UINT64_C(1) << 33)) != 0, "bit 33 missed: 0x%" PRIx64, got);
	iso_quit(c);
	return TEST_SUCCESS;
}

static int
test_mp_isolated_should_work_beside_the_vfs_own_pmd(void)
{
	struct mp_child *c = &iso_kids[0];
	char rest[MP_LINE_MAX];
	uint64_t got = 0;

	/* net_vfbc_vf holds VF 3's PCI device in that process, as a NIC's VF PMD would. */
	TEST_ASSERT_SUCCESS(iso_spawn(c, 3, iso_secret(3), iso.vf_name[3], 1),
			    "consumer of VF 3 beside its PMD");
	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "info", rest, sizeof(rest), ISO_WAIT_MS, "info"),
			    "info");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso.pf_port, 3, 0x100), "inv");
	TEST_ASSERT(iso_poll(c, 0x100, &got) == 0 && (got & 0x100) != 0,
		    "got 0x%" PRIx64, got);
	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "ret", rest, sizeof(rest), ISO_WAIT_MS,
					 "rbus 0 4 2000"), "config read");
	TEST_ASSERT(strncmp(rest, "4 ", 2) == 0, "config read: %s", rest);
	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "ports", rest, sizeof(rest), ISO_WAIT_MS, "ports"),
			    "ports");
	TEST_ASSERT(strstr(rest, "net_vfbc_vf") != NULL && strstr(rest, "net_vfbc_isolated"),
		    "ports: %s", rest);
	iso_quit(c);
	return TEST_SUCCESS;
}

/* What the PF does to the VF reaches the isolated consumer as ethdev events. */
static int
test_mp_isolated_life_events_should_reach_the_consumer(void)
{
	struct mp_child *c = &iso_kids[0];
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	uint64_t t0, got = 0;

	TEST_ASSERT_SUCCESS(iso_spawn(c, 0, iso_secret(0), NULL, 1), "consumer of VF 0");
	TEST_ASSERT_EQUAL(mp_life_link(c), 1, "link up at the claim");
	t0 = mp_now_ns();
	TEST_ASSERT_SUCCESS(vfbc_pf_reset_vf(iso.pf_port, 0), "PF reset of VF 0");
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "FLR", "R0 L", ev), "the reset event");
	printf("delivery: FLR (isolated) RTE_ETH_EVENT_INTR_RESET %.3f ms after the call\n",
	       ((double)ev[0].ns - (double)t0) / 1e6);
	TEST_ASSERT_EQUAL(mp_child_ret(c, NULL, 0, ISO_WAIT_MS, "reset"), 0, "port reset");
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "reset", "L", ev), "link up after the reset");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso.pf_port, 0, 0x2), "inv");
	TEST_ASSERT(iso_poll(c, 0x2, &got) == 0 && (got & 0x2) != 0, "got 0x%" PRIx64, got);
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(iso.pf_port, 0, 3, 0), "D3hot");
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "D3hot", "L2", ev), "the power event");
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(iso.pf_port, 0, 0, 0), "D0");
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "D0", "L2", ev), "the power event");
	iso_quit(c);
	return TEST_SUCCESS;
}

/*
 * A disable and the PF's port closing are told before the PF hangs up
 * (the region is already another's): INTR_RMV with the PF's reason. Last:
 * the PF port stays closed.
 */
static int
test_mp_isolated_disable_and_close_should_say_why(void)
{
	struct mp_child *c = &iso_kids[0];
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	char rest[MP_LINE_MAX];
	uint16_t vf;
	int pr;

	TEST_ASSERT_SUCCESS(iso_spawn(c, 2, iso_secret(2), NULL, 1), "consumer of VF 2");
	TEST_ASSERT_EQUAL(mp_life_link(c), 1, "link up at the claim");
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(iso.pf_port, 0), "disable");
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "disable", "M3 L", ev), "the removal event");
	TEST_ASSERT_SUCCESS(mp_child_cmd(c, "mask", rest, sizeof(rest), ISO_WAIT_MS,
					 "poll 50 0"), "poll");
	TEST_ASSERT(sscanf(rest, "%*x %*x %*u %d", &pr) == 1 && pr == -ENOTCONN,
		    "a poll after the disable: %s", rest);
	TEST_ASSERT_SUCCESS(vfbc_pf_enable_virtualization(iso.pf_port, 4), "enable");
	for (vf = 0; vf < 4; vf++)
		TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(iso.pf_port, vf, iso_secret(vf)),
				"secret of VF %u", vf);
	TEST_ASSERT_EQUAL(mp_child_ret(c, NULL, 0, ISO_WAIT_MS, "reset"), 0, "port reset");
	/* The enable came before the reset that took it: only the link. */
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "reset", "L", ev), "link up after the reset");
	mp_pf_server_stop();
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(iso.pf_port), "close the PF port");
	TEST_ASSERT_SUCCESS(mp_life_expect(c, "PF close", "M6 L", ev), "the removal event");
	iso_quit(c);
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_isolated_suite = {
	.suite_name = "isolated VF consumers (net_vfbc_pf socket=, net_vfbc_isolated)",
	.setup = iso_setup,
	.teardown = iso_teardown,
	.unit_test_cases = {
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_consumer_should_reach_only_its_vf),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_wrong_secrets_and_second_consumers_should_be_refused),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_hostile_consumer_should_not_reach_another_vf),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_reconnect_should_get_what_was_missed),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_should_work_beside_the_vfs_own_pmd),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_life_events_should_reach_the_consumer),
		TEST_CASE_ST(iso_case_setup, iso_case_teardown,
			test_mp_isolated_disable_and_close_should_say_why),
		TEST_CASES_END(),
	},
};

static int
test_mp_isolated(void)
{
	return unit_test_suite_runner(&mp_isolated_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_isolated_autotest, test_mp_isolated, "--total-vfs 4", "mp");
