/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * mp_service_wake_autotest: a secondary's request wakes the PF's sleeping
 * mailbox service, by either of its two ways. The VF process (mp_vf_agent)
 * sends block writes 3 ms apart, so that the service
 * (vfbc_pf_mbox_poll_wait(), mp_pf_server_start()) is asleep when each
 * arrives. First through the service socket in EAL's runtime directory
 * (vfbc_svc_<incarnation>), the direct way; then, that socket unlinked,
 * through the library's rte_mp message (vfbc_channel_service), the
 * fallback. Either way each request must be a wake of the service
 * (xstat mbox_sleep_wakes: an epoll that returned an event, not the 10 ms
 * sweep that bounds a lost wake), and its round trip far below the sweep.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_common.h"
#include "vfbc_pmd_pf.h"

#define SW_REQS		20
#define SW_GAP_US	3000
#define SW_START_MS	60000
#define SW_CMD_MS	10000

static struct mp_world sw;

static int
sw_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* SW_REQS block writes, each after the service went back to sleep. */
static int
sw_requests(struct mp_child *c, const char *way, uint64_t *wakes, double *p50_ms)
{
	double ms[SW_REQS];
	struct timespec t0, t1;
	uint64_t w0;
	unsigned int i;
	int r;

	w0 = test_pf_xstat(sw.pf_port, "mbox_sleep_wakes");
	for (i = 0; i < SW_REQS; i++) {
		usleep(SW_GAP_US);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = mp_child_ret(c, NULL, 0, SW_CMD_MS, "wblock 5 %02x 5000", i);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		TEST_ASSERT(r >= 0, "%s: block write %u: %d", way, i, r);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	*wakes = test_pf_xstat(sw.pf_port, "mbox_sleep_wakes") - w0;
	qsort(ms, SW_REQS, sizeof(ms[0]), sw_cmp);
	*p50_ms = ms[SW_REQS / 2];
	printf("%s: %u requests, %" PRIu64 " wakes of the service, round trip p50 %.3f ms "
	       "(max %.3f ms)\n", way, SW_REQS, *wakes, *p50_ms, ms[SW_REQS - 1]);
	return TEST_SUCCESS;
}

/* Unlink the service sockets of this runtime directory: how many. */
static int
sw_unlink_service_sockets(void)
{
	const char *dir = rte_eal_get_runtime_dir();
	char path[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (d == NULL)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "vfbc_svc_", 9) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static int
test_service_wake_both_ways(void)
{
	struct mp_child c;
	char eal[64], rest[MP_LINE_MAX];
	uint64_t wakes;
	double p50;
	int n, ret = TEST_FAILED;

	snprintf(eal, sizeof(eal), "-a %s", sw.vf_name[0]);
	TEST_ASSERT(mp_child_spawn(&c, "mp_vf_agent", eal, NULL) == 0, "VF process");
	if (mp_child_expect(&c, "ready", rest, sizeof(rest), SW_START_MS) != 0) {
		printf("the VF process did not start\n");
		goto out;
	}
	if (sw_requests(&c, "service socket", &wakes, &p50) != TEST_SUCCESS)
		goto out;
	if (wakes < SW_REQS / 2 || p50 > 5.0) {
		printf("FAIL: the service socket did not wake the service\n");
		goto out;
	}
	n = sw_unlink_service_sockets();
	printf("service sockets unlinked: %d\n", n);
	if (n != 1) {
		printf("FAIL: want the one service socket of the PF's channel\n");
		goto out;
	}
	if (sw_requests(&c, "rte_mp fallback", &wakes, &p50) != TEST_SUCCESS)
		goto out;
	if (wakes < SW_REQS / 2 || p50 > 5.0) {
		printf("FAIL: with no service socket, requests waited for the sweep: the "
		       "rte_mp wake did not reach the service\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_send(&c, "quit");
	mp_child_wait(&c, SW_CMD_MS);
	mp_child_close(&c);
	return ret;
}

static int
sw_setup(void)
{
	return mp_world_start_served(&sw, 1);
}

static void
sw_teardown(void)
{
	mp_pf_server_stop();
	mp_world_close_vfs(&sw);
}

static struct unit_test_suite sw_suite = {
	.suite_name = "a secondary's request wakes the sleeping PF service (socket, rte_mp)",
	.setup = sw_setup,
	.teardown = sw_teardown,
	.unit_test_cases = {
		TEST_CASE(test_service_wake_both_ways),
		TEST_CASES_END()
	}
};

static int
test_mp_service_wake(void)
{
	return unit_test_suite_runner(&sw_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_service_wake_autotest, test_mp_service_wake, "--total-vfs 2",
				  "mp");
