/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Found by a red-team round: the wrong-secret budget of net_vfbc_pf's control
 * socket was per VF, shared by every peer: any local process the socket lets
 * connect (no secret at all) spent it for a VF and kept the VF's honest
 * consumer out (-EAGAIN, the right secret not even checked). The budget is
 * per peer uid now: a guesser of another uid does not slow the consumer.
 *
 * Run: build/test/vfbc-test pf_socket_lockout_autotest
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>
#include <vfbc_sock_msg.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_sock_client.h"

#define LO_SECRET "tenant-b-long-random-secret"

static uint16_t lo_port;
static char lo_path[64];
static unsigned long lo_guesses;

/* One open of vf with secret; the status answered (fd, if any, closed), or 1 on error. */
static int
lo_open(uint16_t vf, const char *secret, int *keep)
{
	struct test_sock_answer a;
	struct vfbc_sock_open o;
	int fd, status = 1;

	fd = test_sock_connect(lo_path, 5000);
	if (fd < 0)
		return 1;
	test_sock_open_init(&o, vf, secret);
	if (test_sock_send(fd, &o, sizeof(o)) == 0 && test_sock_recv(fd, &a) == 0 &&
			a.len == (ssize_t)sizeof(a.r)) {
		status = a.r.status;
		test_sock_answer_close(&a);
	}
	if (keep != NULL && status == 0)
		*keep = fd;
	else
		close(fd);
	return status;
}

/*
 * A local process of another user (nobody) with no secret, guessing at
 * VF 1 without pause for ms milliseconds; its pid.
 */
static pid_t
lo_guesser(unsigned int ms)
{
	uint64_t end;
	pid_t pid;

	pid = fork();
	if (pid != 0)
		return pid;
	if (setgid(65534) != 0 || setuid(65534) != 0)
		_exit(2);
	end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	while (rte_get_timer_cycles() < end) {
		lo_open(1, "guess", NULL);
		lo_guesses++;
	}
	_exit(lo_guesses > 100 ? 0 : 3);
}

static int
test_pf_socket_wrong_secrets_should_not_lock_out_others(void)
{
	char devstr[256];
	pid_t guesser;
	int i, st, granted = 0, again = 0, conn = -1, n = 40, status = 0;

	TEST_ASSERT_SUCCESS(test_pf_world_detach(), "detach");
	snprintf(devstr, sizeof(devstr), "%s,socket=%s", TEST_PF_WORLD_PF, lo_path);
	TEST_ASSERT_SUCCESS(rte_dev_probe(devstr), "probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &lo_port), "port");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(lo_port, 1, LO_SECRET), "secret");
	/* Without the attacker: the honest consumer gets in. */
	TEST_ASSERT_EQUAL(lo_open(1, LO_SECRET, &conn), 0, "honest open, no attacker");
	close(conn);
	rte_delay_us_sleep(100 * 1000);

	/* Anybody may connect (the uid budget is what this is about). */
	TEST_ASSERT_SUCCESS(chmod(lo_path, 0777), "chmod");
	guesser = lo_guesser(2500);
	TEST_ASSERT(guesser > 0, "fork");
	rte_delay_us_sleep(200 * 1000);
	/* The honest consumer of VF 1 tries every 50 ms for 2 s. */
	for (i = 0; i < n; i++) {
		conn = -1;
		st = lo_open(1, LO_SECRET, &conn);
		if (st == 0) {
			granted++;
			close(conn);
			break;
		}
		again += st == -EAGAIN;
		rte_delay_us_sleep(50 * 1000);
	}
	TEST_ASSERT(waitpid(guesser, &status, 0) == guesser && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0, "the guesser (uid 65534) did not guess: status 0x%x",
		    status);
	printf("honest consumer with the right secret, beside a guesser of another uid: "
	       "%d of %d tries refused -EAGAIN, granted %d\n", again, i + 1, granted);
	TEST_ASSERT(granted > 0 && again == 0, "a process with no secret locks the honest "
		    "consumer out of VF 1 (%d opens with the right secret refused -EAGAIN)", again);
	return TEST_SUCCESS;
}

static int
lo_setup(void)
{
	int ret;

	ret = test_pf_world_start(&lo_port, "-m 64");
	if (ret != TEST_SUCCESS)
		return ret;
	snprintf(lo_path, sizeof(lo_path), "/tmp/vfbc-iso-lo-%d.sock", (int)getpid());
	unlink(lo_path);
	return TEST_SUCCESS;
}

static void
lo_teardown(void)
{
	test_pf_world_detach();
	unlink(lo_path);
}

static struct unit_test_suite lo_suite = {
	.suite_name = "socket secret budget",
	.setup = lo_setup,
	.teardown = lo_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pf_socket_wrong_secrets_should_not_lock_out_others),
		TEST_CASES_END()
	}
};

static int
test_pf_socket_lockout_sock_lockout(void)
{
	return unit_test_suite_runner(&lo_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_socket_lockout_autotest, test_pf_socket_lockout_sock_lockout,
			    "--total-vfs 4 --num-vfs 2");
