/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * lib/vfbc channel, consumer claim: one live consumer per VF, a claim held
 * by a live process is refused, one held by a dead process is taken over
 * and the new consumer gets every block once. Other processes are forked
 * children sharing the channel memory.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_errno.h>

#include <vfbc_channel.h>

#include "test.h"

#define CH_NAME "t_claim"
#define CH_VFS 2

static struct vfbc_channel *ch;

static int
claim_suite_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
claim_case_setup(void)
{
	ch = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch, "create failed: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
claim_case_teardown(void)
{
	vfbc_channel_free(ch);
	ch = NULL;
}

/*
 * Fork a child that claims vf, reports the result on a pipe and, with
 * wait_fd >= 0, waits until that fd is closed before exiting. Returns the
 * child's pid (or -1) and its claim result in *claimed.
 */
static pid_t
claim_in_child(uint16_t vf, int wait_fd, int close_fd, int *claimed)
{
	int res[2];
	pid_t pid;
	char c;
	int ret;

	if (pipe(res) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(res[0]);
		close(res[1]);
		return -1;
	}
	if (pid == 0) {
		/* Child: no EAL calls, no return into the runner. */
		close(res[0]);
		if (close_fd >= 0)
			close(close_fd);
		ret = vfbc_channel_claim(ch, vf);
		if (write(res[1], &ret, sizeof(ret)) != sizeof(ret))
			_exit(2);
		if (wait_fd >= 0)
			while (read(wait_fd, &c, 1) > 0)
				;
		_exit(0);
	}
	close(res[1]);
	if (read(res[0], claimed, sizeof(*claimed)) != sizeof(*claimed))
		*claimed = -EIO;
	close(res[0]);
	return pid;
}

static int
child_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
test_channel_claim_should_be_exclusive_and_releasable(void)
{
	struct vfbc_channel_stats st;
	uint32_t epoch;
	pid_t pid;

	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 0, &pid, &epoch), "claim_get failed");
	TEST_ASSERT(pid == 0 && epoch == 0, "new VF is claimed: pid %d epoch %u", pid, epoch);

	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, 0), 0, "first claim");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, 0), -EALREADY, "second claim by the holder");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 0, &pid, &epoch), "claim_get failed");
	TEST_ASSERT(pid == getpid() && epoch == 1, "claim shows pid %d epoch %u", pid, epoch);
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 1, &pid, NULL), "claim_get failed");
	TEST_ASSERT_EQUAL(pid, 0, "claiming VF 0 claimed VF 1");

	TEST_ASSERT_SUCCESS(vfbc_channel_release(ch, 0), "release failed");
	TEST_ASSERT_EQUAL(vfbc_channel_release(ch, 0), -EPERM, "release without the claim");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 0, &pid, &epoch), "claim_get failed");
	TEST_ASSERT(pid == 0 && epoch == 1, "released claim shows pid %d epoch %u", pid, epoch);

	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, 0), 0, "claim after release");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 0, NULL, &epoch), "claim_get failed");
	TEST_ASSERT_EQUAL(epoch, 2, "the epoch did not advance: %u", epoch);
	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &st), "stats_get failed");
	TEST_ASSERT(st.claims == 2 && st.takeovers == 0, "claims %" PRIu64 " takeovers %" PRIu64,
			st.claims, st.takeovers);

	TEST_ASSERT_EQUAL(vfbc_channel_claim(NULL, 0), -EINVAL, "claim NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, CH_VFS), -EINVAL, "claim bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_release(NULL, 0), -EINVAL, "release NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_release(ch, CH_VFS), -EINVAL, "release bad vf");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_get(NULL, 0, &pid, &epoch), -EINVAL, "get NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_get(ch, CH_VFS, &pid, &epoch), -EINVAL,
			"get bad vf");
	return TEST_SUCCESS;
}

static int
test_channel_claim_held_by_live_process_should_be_refused(void)
{
	int hold[2];
	pid_t child;
	pid_t pid;
	int claimed;
	int ret;

	TEST_ASSERT_SUCCESS(pipe(hold), "pipe failed");
	child = claim_in_child(1, hold[0], hold[1], &claimed);
	close(hold[0]);
	if (child < 0) {
		close(hold[1]);
		TEST_SKIP("cannot fork: %s", strerror(errno));
	}
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 1, &pid, NULL), "claim_get failed");
	if (claimed == 0 && pid != child) {
		close(hold[1]);
		child_reap(child);
		TEST_SKIP("EAL memory is not shared with a forked child here");
	}
	TEST_ASSERT_EQUAL(claimed, 0, "child's claim returned %d", claimed);

	ret = vfbc_channel_claim(ch, 1);
	TEST_ASSERT_EQUAL(vfbc_channel_release(ch, 1), -EPERM, "released another's claim");
	close(hold[1]);
	TEST_ASSERT_EQUAL(child_reap(child), 0, "child failed");
	TEST_ASSERT_EQUAL(ret, -EBUSY, "claim over a live holder returned %d", ret);

	/* Now it is dead: taken over. */
	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, 1), 1, "no takeover from the exited child");
	return TEST_SUCCESS;
}

static int
test_channel_takeover_from_dead_consumer_should_deliver_all_blocks_once(void)
{
	struct vfbc_channel_stats st;
	uint64_t mask;
	uint32_t epoch;
	pid_t child;
	pid_t pid;
	int claimed;

	child = claim_in_child(0, -1, -1, &claimed);
	if (child < 0)
		TEST_SKIP("cannot fork: %s", strerror(errno));
	TEST_ASSERT_EQUAL(child_reap(child), 0, "child failed");
	TEST_ASSERT_EQUAL(claimed, 0, "child's claim returned %d", claimed);
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 0, &pid, &epoch), "claim_get failed");
	if (pid != child)
		TEST_SKIP("EAL memory is not shared with a forked child here");

	/* Bits invalidated while nobody consumes stay pending. */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, 0x30), "invalidate failed");

	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, 0), 1, "dead child's claim not taken over");
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_get(ch, 0, &pid, NULL), "claim_get failed");
	TEST_ASSERT_EQUAL(pid, getpid(), "claim holder is %d", pid);
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, &mask), 1, "no resync delivery");
	TEST_ASSERT_EQUAL(mask, VFBC_CHANNEL_ALL_BLOCKS, "resync delivered 0x%" PRIx64, mask);
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, &mask), 0,
			"resync delivered twice");

	/* Back to normal deliveries. */
	TEST_ASSERT_SUCCESS(vfbc_channel_invalidate(ch, 0, 0x2), "invalidate failed");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, &mask), 1, "no delivery");
	TEST_ASSERT_EQUAL(mask, 0x2, "delivered 0x%" PRIx64, mask);

	TEST_ASSERT_SUCCESS(vfbc_channel_stats_get(ch, 0, &st), "stats_get failed");
	TEST_ASSERT(st.takeovers == 1 && st.resyncs == 1 && st.claims == 2,
			"takeovers %" PRIu64 " resyncs %" PRIu64 " claims %" PRIu64,
			st.takeovers, st.resyncs, st.claims);

	/* A clean release hands over without a resync. */
	TEST_ASSERT_SUCCESS(vfbc_channel_release(ch, 0), "release failed");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch, 0), 0, "claim after release");
	TEST_ASSERT_EQUAL(vfbc_channel_poll_invalidations(ch, 0, &mask), 0,
			"resync after a clean release");
	return TEST_SUCCESS;
}

static struct unit_test_suite channel_claim_suite = {
	.suite_name = "channel claim (lib/vfbc)",
	.setup = claim_suite_setup,
	.unit_test_cases = {
		TEST_CASE_ST(claim_case_setup, claim_case_teardown,
			test_channel_claim_should_be_exclusive_and_releasable),
		TEST_CASE_ST(claim_case_setup, claim_case_teardown,
			test_channel_claim_held_by_live_process_should_be_refused),
		TEST_CASE_ST(claim_case_setup, claim_case_teardown,
			test_channel_takeover_from_dead_consumer_should_deliver_all_blocks_once),
		TEST_CASES_END(),
	},
};

static int
test_channel_claim_suite(void)
{
	return unit_test_suite_runner(&channel_claim_suite);
}

REGISTER_TEST_COMMAND(channel_claim_autotest, test_channel_claim_suite);
