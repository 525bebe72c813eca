/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A red-team finding, fixed in 1c24576 (this test failed before it):
 * a dead consumer's pid, reused, is reported as the live
 * consumer.
 *
 * The channel library tells a live holder from a dead one with a pidfd
 * taken at the grant (a reused pid cannot fool it). The PF's API
 * vfbc_pf_vf_consumer() does not use it: it reads the pid of the claim word
 * and asks kill(pid, 0) (vfbc_pf_api.c), so once the consumer is dead and
 * its pid is given to another process, the PF names that unrelated process
 * "the pid of the live consumer" (vfbc_pmd_pf.h: "0 if ... its process is
 * gone"); the telemetry command /vfbc_pf/vfs shows the same.
 *
 * The test kills the consumer, then has the next pid of the namespace be the
 * dead consumer's (ns_last_pid) for a sleeping child.
 *
 * Expected: 0 (no live consumer). Observed: the sleeper's pid.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"

#define PR_VF		1
#define PR_TRIES	20
#define START_MS	60000
#define CMD_MS		20000

static struct mp_world prw;

/* A sleeping child with pid `want`, or -1. */
static pid_t
pr_take_pid(pid_t want)
{
	char v[32];
	pid_t p;
	int i, fd;

	for (i = 0; i < PR_TRIES; i++) {
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
		if (fd < 0)
			return -1;
		snprintf(v, sizeof(v), "%d", (int)want - 1);
		if (write(fd, v, strlen(v)) < 0) {
			close(fd);
			return -1;
		}
		close(fd);
		p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p == want)
			return p;
		/* Another process of the machine took it first: again. */
		if (p > 0) {
			kill(p, SIGKILL);
			waitpid(p, NULL, 0);
		}
	}
	return -1;
}

static int
test_reused_pid_is_the_consumer(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	pid_t dead, sleeper = -1;
	int32_t pid = -1;
	int ret = TEST_FAILED;

	if (mp_child_spawn(&c, "mp_hostile_vf", "--no-pci", NULL) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), START_MS) < 0 ||
	    mp_child_ret(&c, NULL, 0, CMD_MS, "claim %u", PR_VF) != 0) {
		printf("the VF process did not claim VF %u\n", PR_VF);
		goto out;
	}
	dead = c.pid;
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(prw.pf_port, PR_VF, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, dead, "consumer %d, expected %d", (int)pid, (int)dead);
	mp_child_kill(&c, SIGKILL);
	mp_child_wait(&c, CMD_MS);
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(prw.pf_port, PR_VF, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, 0, "a killed consumer is reported alive: %d", (int)pid);
	sleeper = pr_take_pid(dead);
	if (sleeper < 0) {
		printf("cannot get pid %d again (ns_last_pid): skipped\n", (int)dead);
		ret = TEST_SKIPPED;
		goto out;
	}
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(prw.pf_port, PR_VF, &pid), "consumer");
	if (pid != 0) {
		printf("the consumer of VF %u died; pid %d now belongs to an unrelated sleeping "
		       "process, which the PF reports as VF %u's live consumer\n", PR_VF,
		       (int)pid, PR_VF);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	if (sleeper > 0) {
		kill(sleeper, SIGKILL);
		waitpid(sleeper, NULL, 0);
	}
	mp_child_close(&c);
	return ret;
}

static int
pr_setup(void)
{
	return mp_world_start(&prw, "");
}

static struct unit_test_suite pid_reuse_suite = {
	.suite_name = "pid reuse and the PF's consumer (a red-team finding)",
	.setup = pr_setup,
	.unit_test_cases = {
		TEST_CASE(test_reused_pid_is_the_consumer),
		TEST_CASES_END()
	}
};

static int
test_mp_pid_reuse(void)
{
	return unit_test_suite_runner(&pid_reuse_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_pid_reuse_autotest, test_mp_pid_reuse,
				  "--total-vfs 4", "mp");
