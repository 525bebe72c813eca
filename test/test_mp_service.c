/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF's request service against VFs that lose doorbells, forge them,
 * flood it with slow requests and with failing ones.
 *
 * - Lost doorbell: a request whose doorbell bit was cleared is answered by
 *   the periodic sweep (VFBC_PF_MBOX_SWEEP_MS), not left to its timeout;
 *   forged doorbell bits of every VF cost one visit per VF per pass.
 * - Head of line: while VF 0 floods FLR requests (each ~100 ms on the PF's
 *   control thread), VF 1's config reads take at most twice their unloaded
 *   median latency, measured in the same run.
 * - Log flood: VF 0 floods power-state requests the VF cannot honour (D1):
 *   the PF's log gets a few lines a second about it, not two per request.
 * - vf_msg_cfg: over max requests in period seconds, the VF is answered
 *   -EBUSY for ignore seconds, counted in mbox_rate_limited.
 *
 * (On fb8986c: the lost doorbell's request waited for its 3 s timeout;
 * VF 1's reads took 2-3 s during the FLR flood; 58,708 log lines in 6 s;
 * there was no vf_msg_cfg.)
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

#define SVC_WORLD_OPTS		"--total-vfs 4"
#define START_MS		60000
#define CMD_MS			20000
#define FLOOD_MS		3000
#define LAT_SAMPLES		200
#define LAT_MAX_SAMPLES		4096
#define LAT_MIN_SAMPLES		20
/* The loaded measurement starts after this much flood and ends before it. */
#define FLOOD_LEAD_MS		200
#define FLOOD_TAIL_MS		400

static struct mp_world w;

static int
svc_setup(void)
{
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs >= 2, "the world has %u VFs, want 2", w.nb_vfs);
	return TEST_SUCCESS;
}

static void
svc_teardown(void)
{
	mp_pf_server_stop();
}

/* A library VF process holding VF vf's claim. */
static int
lib_vf_start(struct mp_child *c, unsigned int vf)
{
	char rest[MP_LINE_MAX];

	if (mp_child_spawn(c, "mp_lib_vf", "--no-pci", NULL) < 0 ||
			mp_child_expect(c, "ready", rest, sizeof(rest), START_MS) < 0 ||
			mp_child_ret(c, NULL, 0, CMD_MS, "claim %u", vf) < 0) {
		printf("the VF process of VF %u did not start holding its claim\n", vf);
		return -1;
	}
	return 0;
}

static void
children_quit(struct mp_child *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (c[i].pid > 0 && mp_child_send(&c[i], "quit") == 0)
			mp_child_expect(&c[i], "bye", NULL, 0, CMD_MS);
		mp_child_close(&c[i]);
	}
}

static int
test_mp_service_lost_doorbell_is_swept(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	char rest[MP_LINE_MAX];
	uint64_t visits;
	unsigned int ms;
	int r, st, ret = TEST_FAILED;

	mp_pf_server_stop();
	if (lib_vf_start(&c, 1) < 0)
		goto out;
	/* Posted, then its doorbell cleared before any PF pass saw it. */
	if (mp_child_ret(&c, NULL, 0, CMD_MS, "post 1 %u 0 -", VFBC_CHANNEL_REQ_CFG_READ) != 0 ||
			mp_child_cmd(&c, "doorbells", rest, sizeof(rest), CMD_MS,
				     "doorbells clear") < 0)
		goto out;
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	if (mp_child_cmd(&c, "wait", rest, sizeof(rest), CMD_MS, "wait 1 2000") < 0 ||
			sscanf(rest, "ret=%d ms=%u status=%d", &r, &ms, &st) != 3) {
		printf("no wait report: %s\n", rest);
		goto out;
	}
	printf("request with a lost doorbell answered after %u ms (ret %d status %d), "
	       "sweep period %u ms\n", ms, r, st, VFBC_PF_MBOX_SWEEP_MS);
	if (r != 1 || st != 0) {
		printf("the request with a lost doorbell was not answered\n");
		goto out;
	}
	if (test_pf_xstat(w.pf_port, "mbox_sweep_found") == 0) {
		printf("the sweep did not count what it found\n");
		goto out;
	}

	/* Forged doorbells of every VF: one visit per slot, nothing served. */
	mp_pf_server_stop();
	if (mp_child_cmd(&c, "doorbells", rest, sizeof(rest), CMD_MS, "doorbells forge") < 0)
		goto out;
	visits = test_pf_xstat(w.pf_port, "mbox_vf_visits");
	r = vfbc_pf_mbox_poll(w.pf_port, 32);
	if (r != 0 || test_pf_xstat(w.pf_port, "mbox_vf_visits") - visits > w.nb_vfs) {
		printf("forged doorbells: served %d, %" PRIu64 " visits for %u VFs\n", r,
		       test_pf_xstat(w.pf_port, "mbox_vf_visits") - visits, w.nb_vfs);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_pf_server_start(w.pf_port);
	children_quit(&c, 1);
	return ret;
}

/*
 * VF vf's config-read latency over nb reads, or as many as fit in ms ms
 * (when not 0): its median (us), or 0 on failure. A read not answered
 * within 2 s fails the measurement.
 */
static unsigned int
lat_p50(struct mp_child *c, unsigned int vf, unsigned int nb, unsigned int ms,
	const char *what)
{
	unsigned int n, p50, p90, max, fails;
	char rest[MP_LINE_MAX];

	if (mp_child_cmd(c, "lat", rest, sizeof(rest), CMD_MS + ms + nb * 2000,
			 "lat %u %u 0 4 %u %u", vf, VFBC_CHANNEL_REQ_CFG_READ, nb, ms) < 0 ||
			sscanf(rest, "n=%u p50=%u p90=%u max=%u fails=%u", &n, &p50, &p90, &max,
			       &fails) != 5 || fails != 0 || n < LAT_MIN_SAMPLES ||
			(ms == 0 && n != nb)) {
		printf("%s latency: \"%s\"\n", what, rest);
		return 0;
	}
	printf("VF %u config read, %s: %u samples, p50 %u us, p90 %u us, max %u us\n", vf, what,
	       n, p50, p90, max);
	return p50 > 0 ? p50 : 1;
}

static int
test_mp_service_flr_flood_does_not_block_other_vfs(void)
{
	struct mp_child c[2]; /* F (VF 0), M (VF 1) */
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	unsigned int exp, posted, answered, ok, busy, other, idle, loaded;
	char rest[MP_LINE_MAX];
	uint16_t devctl;
	uint64_t resets;
	int ret = TEST_FAILED;

	memset(c, 0, sizeof(c));
	c[0].pid = c[1].pid = -1;
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(0, 0, cfg, sizeof(cfg)), "VF 0's config file");
	exp = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_EXP);
	TEST_ASSERT(exp != 0, "VF 0 has no PCI Express capability");
	devctl = (uint16_t)(cfg[exp + VFBC_PCI_EXP_DEVCTL] |
			    cfg[exp + VFBC_PCI_EXP_DEVCTL + 1] << 8) | VFBC_PCI_EXP_DEVCTL_BCR_FLR;
	if (lib_vf_start(&c[0], 0) < 0 || lib_vf_start(&c[1], 1) < 0)
		goto out;
	idle = lat_p50(&c[1], 1, LAT_SAMPLES, 0, "unloaded");
	if (idle == 0)
		goto out;
	resets = test_pf_xstat(w.pf_port, "mbox_vf_resets");
	if (mp_child_send(&c[0], "flood 0 %u %u %02x%02x %u", VFBC_CHANNEL_REQ_CFG_WRITE,
			  exp + VFBC_PCI_EXP_DEVCTL, devctl & 0xff, devctl >> 8, FLOOD_MS) < 0)
		goto out;
	/*
	 * Let the flood fill VF 0's ring and the control thread start on it,
	 * then measure while it lasts: every sample is taken during the flood.
	 */
	rte_delay_us_sleep(FLOOD_LEAD_MS * 1000);
	loaded = lat_p50(&c[1], 1, LAT_MAX_SAMPLES, FLOOD_MS - FLOOD_LEAD_MS - FLOOD_TAIL_MS,
			 "during VF 0's FLR flood");
	if (loaded == 0 ||
			mp_child_expect(&c[0], "flood", rest, sizeof(rest),
					CMD_MS + FLOOD_MS) < 0 ||
			sscanf(rest, "posted=%u answered=%u ok=%u busy=%u other=%u", &posted,
			       &answered, &ok, &busy, &other) != 5) {
		printf("the flood: \"%s\"\n", rest);
		goto out;
	}
	printf("VF 0's flood: %u FLR requests posted, %u answered (%u done); resets %" PRIu64
	       "; latency ratio %.2f (target <= 2)\n", posted, answered, ok,
	       test_pf_xstat(w.pf_port, "mbox_vf_resets") - resets, (double)loaded / idle);
	if (ok == 0 || test_pf_xstat(w.pf_port, "mbox_vf_resets") == resets) {
		printf("no FLR of the flood was carried out: not a flood of slow requests\n");
		goto out;
	}
	if (loaded > 2 * idle) {
		printf("VF 1's latency during the flood is %.2f times its unloaded latency\n",
		       (double)loaded / idle);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	children_quit(c, RTE_DIM(c));
	return ret;
}

/* Lines of text that contain needle. */
static unsigned int
count_lines(const char *text, const char *needle)
{
	const char *p = text, *nl;
	unsigned int n = 0;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (memmem(p, (size_t)(nl - p), needle, strlen(needle)) != NULL)
			n++;
		p = *nl == '\n' ? nl + 1 : nl;
	}
	return n;
}

static int
test_mp_service_vf_cannot_flood_the_log(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	uint8_t cfg[RTE_PCI_CFG_SPACE_SIZE];
	unsigned int pm, posted, answered, ok, busy, other, lines;
	char rest[MP_LINE_MAX];
	uint16_t pmcsr;
	FILE *log = NULL;
	size_t log_len;
	char *text = NULL;
	int ret = TEST_FAILED;

	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	TEST_ASSERT_SUCCESS(test_mbox_vf_cfg(0, 0, cfg, sizeof(cfg)), "VF 0's config file");
	pm = test_pf_find_cap(cfg, VFBC_PCI_CAP_ID_PM);
	TEST_ASSERT(pm != 0, "VF 0 has no PM capability");
	pmcsr = (uint16_t)(cfg[pm + VFBC_PCI_PM_CTRL] | cfg[pm + VFBC_PCI_PM_CTRL + 1] << 8);
	pmcsr = (pmcsr & ~VFBC_PCI_PM_CTRL_STATE_MASK) | VFBC_PF_D1;
	if (lib_vf_start(&c, 0) < 0)
		goto out;
	log = open_memstream(&text, &log_len);
	if (log == NULL || rte_openlog_stream(log) != 0)
		goto out;
	if (mp_child_cmd(&c, "flood", rest, sizeof(rest), CMD_MS + FLOOD_MS,
			 "flood 0 %u %u %02x%02x %u", VFBC_CHANNEL_REQ_CFG_WRITE, pm +
			 		VFBC_PCI_PM_CTRL,
			 pmcsr & 0xff, pmcsr >> 8, FLOOD_MS) < 0 ||
			sscanf(rest, "posted=%u answered=%u ok=%u busy=%u other=%u", &posted,
			       &answered, &ok, &busy, &other) != 5) {
		printf("the flood: \"%s\"\n", rest);
		goto out;
	}
	rte_openlog_stream(NULL);
	fflush(log);
	lines = count_lines(text, "VF 0");
	printf("%u D1 requests of VF 0 in %u ms (%u refused): %u log lines about it\n", answered,
	       FLOOD_MS, other, lines);
	if (other < 100) {
		printf("too few failing requests to flood anything (%u)\n", other);
		goto out;
	}
	/* A few lines a second (the driver allows 5), plus one "suppressed" line. */
	if (lines > (FLOOD_MS / 1000 + 2) * 6) {
		/* Its start says enough. */
		printf("VF 0 flooded the PF's log: %u lines, the first:\n%.4000s\n", lines,
		       text);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	rte_openlog_stream(NULL);
	if (log != NULL)
		fclose(log);
	free(text);
	children_quit(&c, 1);
	return ret;
}

static int
test_mp_service_vf_msg_cfg_limits_a_vf(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	unsigned int posted, answered, ok, busy, other;
	struct rte_eth_dev_info info;
	char rest[MP_LINE_MAX];
	uint64_t limited;
	int ret = TEST_FAILED;

	/* The PF again, with the limit: 50 requests in 10 s, then 1 s ignored. */
	mp_pf_server_stop();
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(w.pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME ",vf_msg_cfg=50@10:1"), "PF probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &w.pf_port), "PF port");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "PF service");
	limited = test_pf_xstat(w.pf_port, "mbox_rate_limited");
	if (lib_vf_start(&c, 1) < 0)
		goto out;
	if (mp_child_cmd(&c, "flood", rest, sizeof(rest), CMD_MS + FLOOD_MS,
			 "flood 1 %u 0 - %u", VFBC_CHANNEL_REQ_CFG_READ, FLOOD_MS) < 0 ||
			sscanf(rest, "posted=%u answered=%u ok=%u busy=%u other=%u", &posted,
			       &answered, &ok, &busy, &other) != 5) {
		printf("the flood: \"%s\"\n", rest);
		goto out;
	}
	printf("vf_msg_cfg=50@10:1: %u requests in %u ms: %u served, %u refused -EBUSY, %u "
	       "other; mbox_rate_limited +%" PRIu64 "\n", answered, FLOOD_MS, ok, busy, other,
	       test_pf_xstat(w.pf_port, "mbox_rate_limited") - limited);
	/* 50 served, then ignored for 1 s, again 50 (they are within 10 s): a few windows. */
	if (ok < 50 || ok > 50 * (FLOOD_MS / 1000 + 1) || busy == 0 || other != 0 ||
			test_pf_xstat(w.pf_port, "mbox_rate_limited") - limited != busy) {
		printf("the limit did not hold\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	children_quit(&c, 1);
	return ret;
}

static struct unit_test_suite mp_service_suite = {
	.suite_name = "mp: the PF service against lost doorbells, floods and log floods",
	.setup = svc_setup,
	.teardown = svc_teardown,
	.unit_test_cases = {
		TEST_CASE(test_mp_service_lost_doorbell_is_swept),
		TEST_CASE(test_mp_service_flr_flood_does_not_block_other_vfs),
		TEST_CASE(test_mp_service_vf_cannot_flood_the_log),
		TEST_CASE(test_mp_service_vf_msg_cfg_limits_a_vf),
		TEST_CASES_END()
	}
};

static int
test_mp_service(void)
{
	return unit_test_suite_runner(&mp_service_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_service_autotest, test_mp_service, SVC_WORLD_OPTS, "mp");
