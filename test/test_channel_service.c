/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The service's sleep (vfbc_channel_service.c): a PF service that arms
 * sleeps on its descriptor until a VF posts a request, in a shared channel
 * (the post kicks the creator's eventfd) and an isolated one (the post
 * sends on the holder's wake socket); what waits at the arm keeps it
 * awake; a VF granted while it sleeps wakes it; bad input is refused; and
 * under a VF posting at random moments, the service never sleeps through
 * a request (no lost wake-up) and serves every one.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_random.h>

#include <vfbc_channel.h>

#include "test.h"

#define SV_NAME "svc_sleep"
#define SV_ISO_NAME "svc_sleep_iso"
#define SV_NB_VFS 2
/* A wake is due at once; a request waiting this long without one was slept through. */
#define SV_WAKE_MS 5000

/* The PF's handle, and the handle its VF 0 posts through (an attached one, or a region's). */
static struct vfbc_channel *sv_pf, *sv_vf;

static int
sv_setup(void)
{
	return vfbc_test_eal_init("--no-huge --in-memory --no-pci");
}

static int
sv_shared_setup(void)
{
	sv_pf = vfbc_channel_create(SV_NAME, SV_NB_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(sv_pf, "create: %s", rte_strerror(rte_errno));
	sv_vf = vfbc_channel_attach(SV_NAME);
	TEST_ASSERT_NOT_NULL(sv_vf, "attach: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_claim(sv_vf, 0, -1), 0, "claim VF 0");
	return TEST_SUCCESS;
}

/* An isolated channel, VF 0 granted to a region handle with the grant's wake socket. */
static int
sv_isolated_setup(void)
{
	uint64_t word;
	int wake, ret;

	sv_pf = vfbc_channel_create_isolated(SV_ISO_NAME, SV_NB_VFS);
	TEST_ASSERT_NOT_NULL(sv_pf, "create: %s", rte_strerror(rte_errno));
	TEST_ASSERT(vfbc_channel_claim_grant(sv_pf, 0, getpid(), -1, -1, &word) >= 0, "grant");
	sv_vf = vfbc_channel_attach_region(vfbc_channel_region_fd(sv_pf, 0), 0);
	TEST_ASSERT_NOT_NULL(sv_vf, "attach_region: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_adopt(sv_vf, 0, word), "adopt");
	wake = vfbc_channel_wake_pair(sv_pf, 0, word);
	TEST_ASSERT(wake >= 0, "wake pair: %d", wake);
	ret = vfbc_channel_service_wake_adopt(sv_vf, 0, wake);
	close(wake);
	TEST_ASSERT_SUCCESS(ret, "wake adopt: %d", ret);
	return TEST_SUCCESS;
}

static void
sv_teardown(void)
{
	vfbc_channel_free(sv_vf);
	vfbc_channel_free(sv_pf);
	sv_vf = sv_pf = NULL;
}

/* fd readable within ms? */
static int
sv_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static int
sv_post(uint32_t target)
{
	struct vfbc_channel_req req;

	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
	req.target = target;
	req.len = 4;
	return vfbc_channel_request_post(sv_vf, 0, &req);
}

/* Take the doorbells as a service does, then dequeue and answer VF 0's requests: how many. */
static int
sv_serve(void)
{
	uint16_t vfs[SV_NB_VFS];
	struct vfbc_channel_req req;
	int n = 0;

	if (vfbc_channel_doorbell_scan(sv_pf, vfs, RTE_DIM(vfs)) < 0)
		return -1;
	while (vfbc_channel_request_dequeue(sv_pf, 0, &req) == 1) {
		if (vfbc_channel_respond(sv_pf, 0, &req, 0, NULL, 0) != 0)
			return -1;
		n++;
	}
	return n;
}

/* Take VF 0's answers; how many. */
static int
sv_answers(void)
{
	struct vfbc_channel_resp resp;
	int n = 0;

	while (vfbc_channel_response_poll(sv_vf, 0, &resp) == 1)
		n++;
	return n;
}

static int
test_service_bad_input(void)
{
	TEST_ASSERT_EQUAL(vfbc_channel_service_fd(NULL), -EINVAL, "fd, NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_service_fd(sv_vf), -EPERM, "fd, a VF handle");
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(NULL), -EINVAL, "arm, NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(sv_vf), -EPERM, "arm, a VF handle");
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(sv_pf), -ENOTSUP, "arm before fd");
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_disarm(NULL), -EINVAL, "disarm, NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_disarm(sv_vf), -EPERM, "disarm, VF");
	TEST_ASSERT_EQUAL(vfbc_channel_service_kick(NULL), -EINVAL, "kick, NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_service_kick(sv_vf), -EPERM, "kick, a VF handle");
	TEST_ASSERT_SUCCESS(vfbc_channel_service_kick(sv_pf), "kick without a descriptor");
	TEST_ASSERT_EQUAL(vfbc_channel_service_wake_adopt(NULL, 0, 0), -EINVAL, "adopt, NULL");
	TEST_ASSERT_EQUAL(vfbc_channel_service_wake_adopt(sv_vf, SV_NB_VFS, 0), -EINVAL,
			  "adopt, vf range");
	TEST_ASSERT_EQUAL(vfbc_channel_service_wake_adopt(sv_vf, 0, -1), -EINVAL, "adopt, fd");
	/* Not a region's handle: its posts wake the creator by name. */
	TEST_ASSERT_EQUAL(vfbc_channel_service_wake_adopt(sv_vf, 0, 0), -ENOTSUP,
			  "adopt, an attached handle");
	TEST_ASSERT_EQUAL(vfbc_channel_service_wake_adopt(sv_pf, 0, 0), -ENOTSUP,
			  "adopt, the creator");
	return TEST_SUCCESS;
}

/* Armed: a post wakes it, once; awake, posts send nothing; pending at the arm: no sleep. */
static int
sv_wake_cycle(void)
{
	int fd;

	fd = vfbc_channel_service_fd(sv_pf);
	TEST_ASSERT(fd >= 0, "service fd: %d", fd);
	TEST_ASSERT_EQUAL(vfbc_channel_service_fd(sv_pf), fd, "a second descriptor");
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(sv_pf), 0, "armed, nothing waiting");
	TEST_ASSERT(!sv_readable(fd, 0), "readable before a post");
	TEST_ASSERT_SUCCESS(sv_post(1), "post");
	TEST_ASSERT(sv_readable(fd, SV_WAKE_MS), "the post did not wake the service");
	TEST_ASSERT_SUCCESS(vfbc_channel_service_sleep_disarm(sv_pf), "disarm");
	TEST_ASSERT(!sv_readable(fd, 0), "still readable after the disarm");
	/* Awake: a post wakes nothing. */
	TEST_ASSERT_SUCCESS(sv_post(2), "post awake");
	TEST_ASSERT(!sv_readable(fd, 100), "a post woke a service that was awake");
	/* Requests waiting at the arm: not armed, serve them. */
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(sv_pf), 1, "arm with requests waiting");
	TEST_ASSERT_EQUAL(sv_serve(), 2, "served");
	TEST_ASSERT_EQUAL(sv_answers(), 2, "answers");
	TEST_ASSERT_SUCCESS(sv_post(3), "post after the arm that said 'serve'");
	TEST_ASSERT(!sv_readable(fd, 100), "an arm that said 'serve' stayed armed");
	TEST_ASSERT_EQUAL(sv_serve(), 1, "served");
	/* A kick of the PF's own wakes it, armed or not. */
	TEST_ASSERT_SUCCESS(vfbc_channel_service_kick(sv_pf), "kick");
	TEST_ASSERT(sv_readable(fd, SV_WAKE_MS), "the kick did not wake the service");
	TEST_ASSERT_SUCCESS(vfbc_channel_service_sleep_disarm(sv_pf), "disarm");
	TEST_ASSERT(!sv_readable(fd, 0), "still readable after the disarm");
	return TEST_SUCCESS;
}

static int
test_service_shared_wake(void)
{
	return sv_wake_cycle();
}

static int
test_service_isolated_wake(void)
{
	uint64_t word;
	int fd;

	if (sv_wake_cycle() != TEST_SUCCESS)
		return TEST_FAILED;
	fd = vfbc_channel_service_fd(sv_pf);
	/* A VF granted while the service sleeps wakes it: its word was not set. */
	TEST_ASSERT_EQUAL(vfbc_channel_service_sleep_arm(sv_pf), 0, "armed");
	TEST_ASSERT(vfbc_channel_claim_grant(sv_pf, 1, getpid(), -1, -1, &word) >= 0, "grant 1");
	TEST_ASSERT(sv_readable(fd, SV_WAKE_MS), "a grant did not wake the service");
	TEST_ASSERT_SUCCESS(vfbc_channel_service_sleep_disarm(sv_pf), "disarm");
	/* Released: the handle's wake socket went with the claim. */
	TEST_ASSERT_SUCCESS(vfbc_channel_release(sv_vf, 0), "release");
	TEST_ASSERT_EQUAL(vfbc_channel_service_wake_adopt(sv_vf, 0, fd), -EPERM,
			  "adopt without the claim");
	return TEST_SUCCESS;
}

/*
 * The stress: a VF thread posts at random moments (bursts, pauses) and
 * waits for the answers; the service serves what waits, arms, sleeps. An
 * arm that says "sleep" while a request waits, with no wake readable and
 * no post in progress (every post done has sent its wake, if it owed
 * one), would sleep through it: a lost wake-up. An arm that does not
 * look for requests again fails sv_wake_cycle() every time, and this
 * stress now and then (a post must land between the service's last serve
 * and its arm): it is for the interleavings no case sets up.
 */
#define SV_REQS 3000
#define SV_SLEEP_MS 50

struct sv_stress {
	int stop;
	uint64_t started;	/* posts begun */
	uint64_t done;		/* posts returned (their wake sent) */
	int err;
	uint64_t posted;
};

static void *
sv_stress_vf(void *arg)
{
	struct sv_stress *s = arg;
	unsigned int k, n, answered;
	uint64_t end;
	int ret;

	while (s->posted < SV_REQS && s->err == 0) {
		/* A burst of 1 to 3, microseconds apart: some land while the service arms. */
		n = 1 + (unsigned int)rte_rand_max(3);
		for (k = 0; k < n; k++) {
			__atomic_fetch_add(&s->started, 1, __ATOMIC_SEQ_CST);
			ret = sv_post((uint32_t)(s->posted % 64));
			__atomic_fetch_add(&s->done, 1, __ATOMIC_SEQ_CST);
			if (ret != 0) {
				s->err = ret;
				break;
			}
			s->posted++;
			rte_delay_us_block((unsigned int)rte_rand_max(10));
		}
		end = rte_get_timer_cycles() + rte_get_timer_hz() * SV_WAKE_MS / 1000;
		for (answered = 0; answered < k && s->err == 0; ) {
			answered += sv_answers();
			if (rte_get_timer_cycles() > end)
				s->err = -ETIMEDOUT;
			rte_pause();
		}
		if (rte_rand_max(4) == 0)
			rte_delay_us_sleep(50 + (unsigned int)rte_rand_max(200));
		else
			rte_delay_us_block((unsigned int)rte_rand_max(20));
	}
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int
sv_no_lost_wakeup(void)
{
	struct sv_stress s = { 0 };
	uint64_t served = 0, arms = 0, sleeps = 0, woken = 0, lost = 0, done;
	uint16_t vfs[SV_NB_VFS];
	pthread_t th;
	int fd, n, ret;

	fd = vfbc_channel_service_fd(sv_pf);
	TEST_ASSERT(fd >= 0, "service fd: %d", fd);
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, sv_stress_vf, &s), "VF thread");
	while (!__atomic_load_n(&s.stop, __ATOMIC_ACQUIRE)) {
		n = sv_serve();
		TEST_ASSERT(n >= 0, "serve");
		served += n;
		/* Work of its own, now and then long: posts land before the arm. */
		rte_delay_us_block((unsigned int)(rte_rand_max(4) == 0 ? 20 + rte_rand_max(80) :
						  rte_rand_max(10)));
		ret = vfbc_channel_service_sleep_arm(sv_pf);
		TEST_ASSERT(ret >= 0, "arm: %d", ret);
		arms++;
		if (ret == 1)
			continue;
		/* In this order: a post that overlaps the look moves started past done. */
		done = __atomic_load_n(&s.done, __ATOMIC_SEQ_CST);
		if (vfbc_channel_request_sweep(sv_pf, vfs, RTE_DIM(vfs)) > 0 &&
		    !sv_readable(fd, 0) && __atomic_load_n(&s.started, __ATOMIC_SEQ_CST) == done)
			lost++;
		sleeps++;
		if (sv_readable(fd, SV_SLEEP_MS))
			woken++;
		vfbc_channel_service_sleep_disarm(sv_pf);
	}
	pthread_join(th, NULL);
	served += sv_serve();
	printf("%" PRIu64 " requests, %" PRIu64 " arms, %" PRIu64 " sleeps, %" PRIu64
	       " woken, %" PRIu64 " lost\n", s.posted, arms, sleeps, woken, lost);
	TEST_ASSERT_SUCCESS(s.err, "the VF: %s", strerror(-s.err));
	TEST_ASSERT_EQUAL(lost, 0, "%" PRIu64 " requests slept through", lost);
	TEST_ASSERT_EQUAL(served, s.posted, "served %" PRIu64 " of %" PRIu64, served, s.posted);
	TEST_ASSERT(woken > 0, "never woken by a post");
	return TEST_SUCCESS;
}

static int
test_service_shared_no_lost_wakeup(void)
{
	return sv_no_lost_wakeup();
}

static int
test_service_isolated_no_lost_wakeup(void)
{
	return sv_no_lost_wakeup();
}

static struct unit_test_suite service_suite = {
	.suite_name = "channel service sleep",
	.setup = sv_setup,
	.unit_test_cases = {
		TEST_CASE_ST(sv_shared_setup, sv_teardown, test_service_bad_input),
		TEST_CASE_ST(sv_shared_setup, sv_teardown, test_service_shared_wake),
		TEST_CASE_ST(sv_isolated_setup, sv_teardown, test_service_isolated_wake),
		TEST_CASE_ST(sv_shared_setup, sv_teardown, test_service_shared_no_lost_wakeup),
		TEST_CASE_ST(sv_isolated_setup, sv_teardown, test_service_isolated_no_lost_wakeup),
		TEST_CASES_END()
	}
};

static int
test_channel_service(void)
{
	return unit_test_suite_runner(&service_suite);
}

REGISTER_TEST_COMMAND(channel_service_autotest, test_channel_service);
