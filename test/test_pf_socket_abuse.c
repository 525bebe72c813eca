/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Abuse of net_vfbc_pf's control socket: attacks that the PF's
 * current code lets through. Each case FAILS on the defect it names.
 *
 * - abuse_stale_region_*: a consumer whose claim ended (it hung up, and the
 *   VF's secret was then changed for another tenant) keeps its mapping of
 *   the VF's region, which the PF hands unchanged to the next holder: it
 *   reads the new holder's claim word there, adopts it and is served as the
 *   VF; or it poisons the region header so that no later consumer can map
 *   the VF.
 * - abuse_evict_queued_open: 16 idle connections made while the interrupt
 *   thread is busy evict an honest consumer whose open is already queued.
 * - abuse_grant_log_flood: a consumer knowing one secret floods the PF's log
 *   (NOTICE, unlimited) by cycling open/hang-up.
 * - abuse_secret_guess_rate: wrong secrets are answered without any
 *   throttling: online guessing at thousands of tries a second.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>
#include <vfbc_sock_msg.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_sock_client.h"

#define ABUSE_SECRET_A "tenant-a-secret"
#define ABUSE_SECRET_B "tenant-b-secret"
#define ABUSE_WAIT_MS 5000
#define ABUSE_MAX_PENDING 16

static uint16_t abuse_port;
static char abuse_path[64];

static int
abuse_probe(void)
{
	char devstr[256];

	if (test_pf_world_detach() != 0)
		return -EIO;
	snprintf(devstr, sizeof(devstr), "%s,socket=%s", TEST_PF_WORLD_PF, abuse_path);
	if (rte_dev_probe(devstr) != 0)
		return -EIO;
	return rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &abuse_port);
}

static int
abuse_send_open(int fd, uint16_t vf, const char *secret)
{
	struct vfbc_sock_open o;

	test_sock_open_init(&o, vf, secret);
	return send(fd, &o, sizeof(o), MSG_NOSIGNAL) == (ssize_t)sizeof(o) ? 0 : -1;
}

/* Open vf on a connection that stays. */
static int
abuse_hold(uint16_t vf, const char *secret, int *conn, struct test_sock_answer *a)
{
	*conn = test_sock_connect(abuse_path, ABUSE_WAIT_MS);
	if (*conn < 0)
		return -1;
	if (abuse_send_open(*conn, vf, secret) < 0 || test_sock_recv(*conn, a) < 0 ||
	    a->len != (ssize_t)sizeof(a->r) || a->r.status != 0) {
		printf("open of VF %u: len %zd status %d\n", vf, a->len,
		       a->len > 0 ? a->r.status : 0);
		close(*conn);
		test_sock_answer_close(a);
		return -1;
	}
	return 0;
}

static int32_t
abuse_consumer_wait(uint16_t vf, int32_t want)
{
	return test_pf_consumer_wait(abuse_port, vf, want, ABUSE_WAIT_MS);
}

static int
abuse_setup(void)
{
	return test_pf_socket_world_start(&abuse_port, abuse_path, sizeof(abuse_path), "abuse-pf");
}

static void
abuse_teardown(void)
{
	test_pf_world_detach();
	unlink(abuse_path);
}

/*
 * Tenant A holds VF 0, maps its region, hangs up. The operator gives VF 0
 * to tenant B (new secret). B opens VF 0. A, who has no secret any more
 * and no connection, must not reach B's VF: yet its old mapping is B's
 * region, where it reads B's claim word, adopts it and is served.
 */
static int
test_pf_socket_abuse_stale_region_serves_old_tenant(void)
{
	struct test_sock_answer a, b;
	struct vfbc_channel *ha, *hb;
	uint64_t mask = 0, word_seen;
	pid_t pid;
	uint32_t epoch;
	int conn_a, conn_b, ret;

	TEST_ASSERT_SUCCESS(abuse_probe(), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 0, ABUSE_SECRET_A), "secret A");
	TEST_ASSERT_SUCCESS(abuse_hold(0, ABUSE_SECRET_A, &conn_a, &a), "A opens VF 0");
	ha = vfbc_channel_attach_region(a.fd, 0);
	TEST_ASSERT_NOT_NULL(ha, "A maps its region");
	test_sock_answer_close(&a);	/* A keeps only its mapping (its handle's dup) */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(ha, 0, a.r.claim), "A adopts");
	/* A's tenancy ends: it hangs up; VF 0 goes to tenant B. */
	close(conn_a);
	TEST_ASSERT_EQUAL(abuse_consumer_wait(0, 0), 0, "A's claim not revoked");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 0, ABUSE_SECRET_B), "secret B");
	TEST_ASSERT_SUCCESS(abuse_hold(0, ABUSE_SECRET_B, &conn_b, &b), "B opens VF 0");
	hb = vfbc_channel_attach_region(b.fd, 0);
	TEST_ASSERT_NOT_NULL(hb, "B maps its region");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(hb, 0, b.r.claim), "B adopts");
	vfbc_channel_poll_invalidations(hb, 0, &mask);

	/* A, through its old mapping: */
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ha, 0, &pid, &epoch), "claim_get");
	word_seen = (uint64_t)epoch << 32 | (uint32_t)pid;
	printf("B's claim word 0x%" PRIx64 ", seen by A through its stale mapping: 0x%"
	       PRIx64 "\n", b.r.claim, word_seen);
	ret = vfbc_channel_claim_adopt(ha, 0, word_seen);
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(abuse_port, 0, 0x20), "invalidate");
	mask = 0;
	if (ret == 0)
		ret = vfbc_channel_poll_invalidations(ha, 0, &mask);
	printf("A (no secret, no connection) adopt+poll: %d, mask 0x%" PRIx64 "\n", ret, mask);
	vfbc_channel_free(ha);
	vfbc_channel_free(hb);
	close(conn_b);
	test_sock_answer_close(&b);
	TEST_ASSERT(word_seen != b.r.claim,
		    "a former tenant's mapping still aliases VF 0's region after its claim "
		    "ended: it reads the new tenant's claim word 0x%" PRIx64, word_seen);
	TEST_ASSERT(!(ret == 1 && (mask & 0x20)),
		    "a former tenant, with no secret and no connection, is served as VF 0: "
		    "it took the new tenant's invalidation 0x%" PRIx64, mask);
	return TEST_SUCCESS;
}

/*
 * Tenant A, hostile, writes its region's header before it hangs up. Every
 * later consumer of VF 0 (tenant B) is then refused by its own driver: the
 * PF never writes the header again.
 */
static int
test_pf_socket_abuse_stale_region_poisons_next_tenant(void)
{
	struct test_sock_answer a, b;
	struct vfbc_channel *hb;
	uint8_t *p;
	size_t len = vfbc_channel_region_size();
	int conn_a, conn_b;

	TEST_ASSERT_SUCCESS(abuse_probe(), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 0, ABUSE_SECRET_A), "secret A");
	TEST_ASSERT_SUCCESS(abuse_hold(0, ABUSE_SECRET_A, &conn_a, &a), "A opens VF 0");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, a.fd, 0);
	TEST_ASSERT(p != MAP_FAILED, "A maps");
	close(conn_a);
	test_sock_answer_close(&a);
	TEST_ASSERT_EQUAL(abuse_consumer_wait(0, 0), 0, "A's claim not revoked");
	/* After its claim ended, with no connection: the whole first page. */
	memset(p, 0xa5, 64);
	munmap(p, len);

	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 0, ABUSE_SECRET_B), "secret B");
	TEST_ASSERT_SUCCESS(abuse_hold(0, ABUSE_SECRET_B, &conn_b, &b), "B opens VF 0");
	hb = vfbc_channel_attach_region(b.fd, 0);
	close(conn_b);
	test_sock_answer_close(&b);
	TEST_ASSERT_NOT_NULL(hb, "the next tenant cannot map VF 0's region: its former "
			     "tenant wrote the header after its claim ended (%s)",
			     rte_strerror(rte_errno));
	vfbc_channel_free(hb);
	return TEST_SUCCESS;
}

/* The interrupt thread, held in an alarm until released. */
static volatile int abuse_block_entered;
static volatile int abuse_block_release;

static void
abuse_block_cb(void *arg __rte_unused)
{
	abuse_block_entered = 1;
	while (!abuse_block_release)
		rte_delay_us_sleep(1000);
}

/*
 * An honest consumer connects and sends its open; before the PF's
 * interrupt thread gets to it (it is busy: here an alarm, in real life a
 * grant waiting for a VF reset, or just scheduling), a local process with
 * no secret makes 16 idle connections. The PF accepts them all in one
 * burst and evicts the oldest "idle" one: the honest consumer, whose open
 * was already there.
 */
static int
test_pf_socket_abuse_evict_queued_open(void)
{
	int idle[ABUSE_MAX_PENDING], i, honest;
	struct test_sock_answer a;
	uint64_t t0;

	TEST_ASSERT_SUCCESS(abuse_probe(), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 1, ABUSE_SECRET_B), "secret");
	abuse_block_entered = 0;
	abuse_block_release = 0;
	TEST_ASSERT_SUCCESS(rte_eal_alarm_set(1, abuse_block_cb, NULL), "alarm");
	t0 = rte_get_timer_cycles();
	while (!abuse_block_entered && rte_get_timer_cycles() - t0 < rte_get_timer_hz() * 5)
		rte_delay_us_sleep(1000);
	TEST_ASSERT(abuse_block_entered, "interrupt thread not held");

	honest = test_sock_connect(abuse_path, ABUSE_WAIT_MS);
	TEST_ASSERT(honest >= 0, "honest connect");
	TEST_ASSERT_SUCCESS(abuse_send_open(honest, 1, ABUSE_SECRET_B), "honest open");
	for (i = 0; i < ABUSE_MAX_PENDING; i++) {
		idle[i] = test_sock_connect(abuse_path, ABUSE_WAIT_MS);
		TEST_ASSERT(idle[i] >= 0, "idle connect %d", i);
	}
	abuse_block_release = 1;

	if (test_sock_recv(honest, &a) != 0)
		a.len = -1;	/* ECONNRESET: closed with the open unread */
	printf("honest consumer: answer of %zd bytes, status %d, %d fds\n", a.len,
	       a.len > 0 ? a.r.status : 0, a.nb_fds);
	for (i = 0; i < ABUSE_MAX_PENDING; i++)
		close(idle[i]);
	close(honest);
	test_sock_answer_close(&a);
	TEST_ASSERT(a.len == (ssize_t)sizeof(a.r) && a.r.status == 0,
		    "an honest open already queued was dropped (hang-up, no answer) to make "
		    "room for idle connections of a process with no secret");
	return TEST_SUCCESS;
}

/* Log lines written while fn runs. */
static FILE *abuse_log;
static char *abuse_log_text;
static size_t abuse_log_len;

static unsigned int
abuse_count_lines(const char *text, const char *needle)
{
	unsigned int n = 0;
	const char *p = text;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * A consumer that knows its own VF's secret opens and hangs up as fast as
 * it can. Refused opens are limited to 5 lines a second in all; granted
 * opens and hang-ups are logged at NOTICE (the default level) without any
 * limit: 2 lines per cycle, as fast as the PF answers.
 */
static int
test_pf_socket_abuse_grant_log_flood(void)
{
	struct test_sock_answer a;
	unsigned int granted, hung;
	unsigned int grants = 0;
	uint64_t t0, ms;
	int i, conn, n = 500;

	TEST_ASSERT_SUCCESS(abuse_probe(), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 1, ABUSE_SECRET_B), "secret");
	abuse_log = open_memstream(&abuse_log_text, &abuse_log_len);
	TEST_ASSERT_NOT_NULL(abuse_log, "memstream");
	rte_openlog_stream(abuse_log);
	t0 = rte_get_timer_cycles();
	/* Each cycle is granted, or refused -EAGAIN by the VF's grant budget. */
	for (i = 0; i < n; i++) {
		conn = test_sock_connect(abuse_path, ABUSE_WAIT_MS);
		if (conn < 0 || abuse_send_open(conn, 1, ABUSE_SECRET_B) < 0 ||
				test_sock_recv(conn, &a) < 0 || a.len != (ssize_t)sizeof(a.r) ||
				(a.r.status != 0 && a.r.status != -EAGAIN)) {
			if (conn >= 0)
				close(conn);
			break;
		}
		grants += a.r.status == 0;
		close(conn);
		test_sock_answer_close(&a);
		/* Its hang-up seen before the next open: a cycle, not a second consumer. */
		abuse_consumer_wait(1, 0);
	}
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	rte_openlog_stream(NULL);
	fclose(abuse_log);
	granted = abuse_count_lines(abuse_log_text, "over the socket (claim");
	hung = abuse_count_lines(abuse_log_text, "connection closed, claim released");
	printf("%d cycles in %" PRIu64 " ms, %u granted: %u 'granted' + %u 'hung up' NOTICE "
	       "lines (%zu bytes of log)\n", i, ms, grants, granted, hung, abuse_log_len);
	free(abuse_log_text);
	TEST_ASSERT_EQUAL(i, n, "cycle %d failed", i);
	TEST_ASSERT(grants <= 8 * (ms / 1000 + 2), "%u grants in %" PRIu64 " ms: no budget",
		    grants, ms);
	/* A bound like the refusals': a few lines a second, plus a burst. */
	TEST_ASSERT(granted + hung <= 2 * 5 * (ms / 1000 + 1) + 10,
		    "one consumer wrote %u NOTICE lines in %" PRIu64 " ms into the PF's log",
		    granted + hung, ms);
	return TEST_SUCCESS;
}

/*
 * A local process with no secret guesses VF 1's secret online: every
 * wrong guess is answered at once, with no delay, lockout or per-peer
 * budget (only the log lines are limited). Thousands of guesses a second
 * put short secrets (1..64 bytes are allowed) within reach.
 */
static int
test_pf_socket_abuse_secret_guess_rate(void)
{
	struct vfbc_sock_open o;
	struct test_sock_answer a;
	char guess[16];
	uint64_t t0, ms;
	int i, fd, n = 2000, refused = 0;

	TEST_ASSERT_SUCCESS(abuse_probe(), "probe");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(abuse_port, 1, "7391"), "secret");
	t0 = rte_get_timer_cycles();
	for (i = 0; i < n; i++) {
		snprintf(guess, sizeof(guess), "%04d", i);
		fd = test_sock_connect(abuse_path, ABUSE_WAIT_MS);
		if (fd < 0)
			break;
		test_sock_open_init(&o, 1, guess);
		if (send(fd, &o, sizeof(o), MSG_NOSIGNAL) == (ssize_t)sizeof(o) &&
		    test_sock_recv(fd, &a) == 0 && a.len == (ssize_t)sizeof(a.r) &&
		    a.r.status == -EACCES)
			refused++;
		test_sock_answer_close(&a);
		close(fd);
	}
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	printf("%d wrong guesses answered -EACCES in %" PRIu64 " ms (%" PRIu64 "/s)\n",
	       refused, ms, ms != 0 ? (uint64_t)refused * 1000 / ms : 0);
	TEST_ASSERT(refused < 100 || ms >= (uint64_t)refused * 10,
		    "%d secret guesses in %" PRIu64 " ms: no throttling of wrong secrets",
		    refused, ms);
	return TEST_SUCCESS;
}

static struct unit_test_suite abuse_suite = {
	.suite_name = "net_vfbc_pf control socket abuse",
	.setup = abuse_setup,
	.teardown = abuse_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pf_socket_abuse_stale_region_serves_old_tenant),
		TEST_CASE(test_pf_socket_abuse_stale_region_poisons_next_tenant),
		TEST_CASE(test_pf_socket_abuse_evict_queued_open),
		TEST_CASE(test_pf_socket_abuse_grant_log_flood),
		TEST_CASE(test_pf_socket_abuse_secret_guess_rate),
		TEST_CASES_END()
	}
};

static int
test_pf_socket_abuse_pf_socket(void)
{
	return unit_test_suite_runner(&abuse_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_socket_abuse_autotest, test_pf_socket_abuse_pf_socket,
			    "--total-vfs 4 --num-vfs 2");
