/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The drivers' /vfbc/ telemetry endpoints, read with DPDK's own client,
 * dpdk-telemetry.py, from this test's primary process while a vfbc-testpmd
 * secondary consumes VF 1: every value is compared with what the PF and VF
 * APIs return in this process.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>
#include <vfbc_pmd_vf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_testpmd_bin.h"
#include "test_testpmd_session.h"

#define TEL_OUT_MAX	(64 * 1024)

static struct mp_world tel_world;

static int
tel_setup(void)
{
	if (access(VFBC_TEST_DPDK_TELEMETRY, R_OK) != 0)
		TEST_SKIP("DPDK's %s is missing: %s", VFBC_TEST_DPDK_TELEMETRY, strerror(errno));
	if (system("python3 -c 'import json, socket' >/dev/null 2>&1") != 0)
		TEST_SKIP("python3 cannot run dpdk-telemetry.py");
	return mp_world_start(&tel_world, "");
}

/* Run dpdk-telemetry.py with @p cmds (one per line); its output, to free(). */
static char *
tel_query(const char *cmds)
{
	char cmd[1024];
	char *out;
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "printf '%s' | python3 %s -f %s 2>&1", cmds,
			VFBC_TEST_DPDK_TELEMETRY, mp_file_prefix());
	f = popen(cmd, "r");
	if (f == NULL)
		return NULL;
	out = calloc(1, TEL_OUT_MAX);
	n = out != NULL ? fread(out, 1, TEL_OUT_MAX - 1, f) : 0;
	if (pclose(f) != 0 || n == 0) {
		printf("dpdk-telemetry.py failed:\n%s\n", out != NULL ? out : "");
		free(out);
		return NULL;
	}
	return out;
}

/* The JSON line answering @p endpoint (`{"<endpoint>": ...}`), or NULL. */
static const char *
tel_reply(const char *out, const char *endpoint)
{
	char key[128];

	snprintf(key, sizeof(key), "{\"%s\": ", endpoint);
	return strstr(out, key);
}

/* Integer value of "key" in the reply line @p line. */
static int
tel_int(const char *line, const char *key, int64_t *val)
{
	const char *end;
	char pat[128];
	const char *p;

	end = strchr(line, '\n');
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(line, pat);
	if (p == NULL || (end != NULL && p > end))
		return -1;
	*val = strtoll(p + strlen(pat), NULL, 10);
	return 0;
}

/* Whether the reply line holds @p text. */
static int
tel_has(const char *line, const char *text)
{
	const char *end;
	const char *p;

	end = strchr(line, '\n');
	p = strstr(line, text);
	return p != NULL && (end == NULL || p < end);
}

#define TEL_CHECK_INT(line, key, want) do { \
	int64_t v_; \
	TEST_ASSERT_SUCCESS(tel_int(line, key, &v_), "no \"%s\" in %.300s", key, line); \
	TEST_ASSERT_EQUAL(v_, (int64_t)(want), "\"%s\" is %" PRId64 ", the API says %" \
			PRId64, key, v_, (int64_t)(want)); \
} while (0)

static int
tel_check_pf(const char *out, pid_t consumer)
{
	struct vfbc_channel_stats st;
	struct vfbc_pf_sriov_info s;
	struct rte_pci_addr a;
	char pci[PCI_PRI_STR_SIZE];
	char text[512];
	const char *line;
	int32_t pid;
	int pos;
	int n;
	int i;

	snprintf(text, sizeof(text), "{\"/vfbc/pf/list\": [%u]}", tel_world.pf_port);
	TEST_ASSERT_NOT_NULL(strstr(out, text), "no %s in:\n%s", text, out);

	line = tel_reply(out, "/vfbc/pf/info");
	TEST_ASSERT_NOT_NULL(line, "no /vfbc/pf/info reply");
	TEST_ASSERT_SUCCESS(vfbc_pf_get_sriov_info(tel_world.pf_port, &s), "sriov info");
	n = vfbc_pf_vf_count(tel_world.pf_port);
	TEL_CHECK_INT(line, "port", tel_world.pf_port);
	TEL_CHECK_INT(line, "num_vfs", n);
	TEL_CHECK_INT(line, "total_vfs", s.total_vfs);
	TEL_CHECK_INT(line, "vf_offset", s.vf_offset);
	TEL_CHECK_INT(line, "vf_stride", s.vf_stride);
	TEL_CHECK_INT(line, "vf_device_id", s.vf_device_id);
	TEL_CHECK_INT(line, "cap_offset", s.cap_offset);
	TEL_CHECK_INT(line, "max_vfs", s.max_vfs);
	TEST_ASSERT(tel_has(line, "\"channel\": \"vfbc_ch_" MP_PF_NAME "\""),
			"channel name not in %.300s", line);

	/* Per VF: the API's locations and consumers, in VF order. */
	line = tel_reply(out, "/vfbc/pf/vfs");
	TEST_ASSERT_NOT_NULL(line, "no /vfbc/pf/vfs reply");
	pos = snprintf(text, sizeof(text), "\"address\": [");
	for (i = 0; i < n; i++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_get_vf_location(tel_world.pf_port, i, &a),
				"VF %d location", i);
		rte_pci_device_name(&a, pci, sizeof(pci));
		pos += snprintf(text + pos, sizeof(text) - pos, "%s\"%s\"", i ? ", " : "", pci);
	}
	TEST_ASSERT(tel_has(line, text), "%s not in %.400s", text, line);
	pos = snprintf(text, sizeof(text), "\"consumer_pid\": [");
	for (i = 0; i < n; i++) {
		TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(tel_world.pf_port, i, &pid),
				"VF %d consumer", i);
		pos += snprintf(text + pos, sizeof(text) - pos, "%s%d", i ? ", " : "", (int)pid);
	}
	TEST_ASSERT(tel_has(line, text), "%s not in %.400s", text, line);
	snprintf(text, sizeof(text), ", %d", (int)consumer);
	TEST_ASSERT(tel_has(line, text), "VF 1's consumer %d not in %.400s", (int)consumer, line);

	/* VF 1's counters: the secondary is idle now, they hold still. */
	line = tel_reply(out, "/vfbc/pf/vf_stats");
	TEST_ASSERT_NOT_NULL(line, "no /vfbc/pf/vf_stats reply");
	TEST_ASSERT_SUCCESS(vfbc_pf_mbox_stats(tel_world.pf_port, 1, &st), "mbox stats");
	TEL_CHECK_INT(line, "vf", 1);
	TEL_CHECK_INT(line, "invalidations", st.invalidations);
	TEL_CHECK_INT(line, "doorbells", st.doorbells);
	TEL_CHECK_INT(line, "deliveries", st.deliveries);
	TEL_CHECK_INT(line, "requests_posted", st.requests_posted);
	TEL_CHECK_INT(line, "requests_accepted", st.requests_accepted);
	TEL_CHECK_INT(line, "responses", st.responses);
	TEL_CHECK_INT(line, "responses_received", st.responses_received);
	TEL_CHECK_INT(line, "claims", st.claims);
	TEL_CHECK_INT(line, "takeovers", st.takeovers);
	TEST_ASSERT(st.deliveries >= 1 && st.requests_posted >= 1,
			"VF 1 received nothing or sent nothing");
	return TEST_SUCCESS;
}

static int
tel_check_vf(const char *out)
{
	struct vfbc_vf_info info;
	char text[256];
	const char *line;
	int pos;
	int i;

	pos = snprintf(text, sizeof(text), "{\"/vfbc/vf/list\": [");
	for (i = 0; i < tel_world.nb_vfs; i++)
		pos += snprintf(text + pos, sizeof(text) - pos, "%s%u", i ? ", " : "",
				tel_world.vf_port[i]);
	snprintf(text + pos, sizeof(text) - pos, "]}");
	TEST_ASSERT_NOT_NULL(strstr(out, text), "no %s in:\n%s", text, out);

	line = tel_reply(out, "/vfbc/vf/info");
	TEST_ASSERT_NOT_NULL(line, "no /vfbc/vf/info reply");
	TEST_ASSERT_SUCCESS(vfbc_vf_get_info(tel_world.vf_port[1], &info), "VF info");
	TEL_CHECK_INT(line, "port", tel_world.vf_port[1]);
	TEL_CHECK_INT(line, "vf_id", info.vf_id_valid ? info.vf_id : -1);
	TEL_CHECK_INT(line, "claimed", info.claimed);
	TEL_CHECK_INT(line, "consumer_pid", info.consumer_pid);
	TEL_CHECK_INT(line, "link_up", info.link_up);
	TEL_CHECK_INT(line, "vf_enabled", info.enabled);
	TEL_CHECK_INT(line, "last_event", info.last_event == VFBC_VF_EVENT_NONE ? -1 :
		      (int)info.last_event);
	snprintf(text, sizeof(text), "\"address\": \"%s\"", tel_world.vf_name[1]);
	TEST_ASSERT(tel_has(line, text), "%s not in %.300s", text, line);
	TEST_ASSERT(tel_has(line, "\"pf\": \"" MP_PF_NAME "\""), "PF not in %.300s", line);
	return TEST_SUCCESS;
}

static int
test_telemetry_matches_the_api(void)
{
	static const uint8_t block[] = { 0xca, 0xfe };
	struct tp_session vf;
	char cmds[512];
	char line[TP_LINE_MAX];
	char eal[256];
	char *out;
	int ret;

	out = NULL;
	ret = TEST_FAILED;
	memset(&vf, 0, sizeof(vf));
	vf.pid = vf.in_fd = vf.out_fd = -1;
	if (mp_pf_server_start(tel_world.pf_port) < 0)
		return TEST_FAILED;
	/* A VF process on VF 1 receives an invalidation and sends a request. */
	snprintf(eal, sizeof(eal), "-l 0 --file-prefix=%s --proc-type=secondary"
			" --log-level=lib.eal:warning -a %s", mp_file_prefix(),
			tel_world.vf_name[1]);
	if (tp_session_start(&vf, eal, "") < 0 ||
			tp_session_send(&vf, "show port info all") < 0 ||
			tp_session_wait_line(&vf, "Driver name: net_vfbc_vf", 60) < 0) {
		printf("VF secondary did not start:\n%s", vf.out != NULL ? vf.out : "");
		goto out;
	}
	if (vfbc_pf_write_config_block(tel_world.pf_port, 1, 2, block, sizeof(block)) != 0 ||
			vfbc_pf_invalidate_config_blocks(tel_world.pf_port, 1, 0x4) != 0)
		goto out;
	snprintf(line, sizeof(line), "Port %u: block 9 written by the PF (2 bytes)",
			tel_world.vf_port[1]);
	snprintf(cmds, sizeof(cmds), "wait vf invalidate %u 5000\nwrite vf config-block %u 9 1 2",
			tel_world.vf_port[1], tel_world.vf_port[1]);
	if (tp_session_send(&vf, cmds) < 0 ||
			tp_session_wait_line(&vf, line, 30) < 0) {
		printf("VF secondary: no delivery or no answer:\n%s", vf.out);
		goto out;
	}

	snprintf(cmds, sizeof(cmds), "/vfbc/pf/list\\n/vfbc/pf/info,%u\\n/vfbc/pf/vfs,%u\\n"
			"/vfbc/pf/vf_stats,%u,1\\n/vfbc/vf/list\\n/vfbc/vf/info,%u\\n"
			"/vfbc/pf/info,%u\\n/vfbc/pf/vf_stats,%u,999\\n/vfbc/vf/info,%u\\n",
			tel_world.pf_port, tel_world.pf_port, tel_world.pf_port,
			tel_world.vf_port[1], tel_world.vf_port[1], tel_world.pf_port,
			tel_world.pf_port);
	out = tel_query(cmds);
	if (out == NULL)
		goto out;
	printf("%s", out);
	if (tel_check_pf(out, vf.pid) != TEST_SUCCESS || tel_check_vf(out) != TEST_SUCCESS)
		goto out;
	/* Bad parameters get an error dict, never a crash. */
	snprintf(line, sizeof(line), "{\"/vfbc/pf/info\": {\"error\": \"port %u is not a"
			" net_vfbc_pf port\"}}", tel_world.vf_port[1]);
	if (strstr(out, line) == NULL ||
			strstr(out, "{\"/vfbc/pf/vf_stats\": {\"error\": ") == NULL ||
			strstr(out, "{\"/vfbc/vf/info\": {\"error\": \"not a net_vfbc_vf port\"}}")
			== NULL) {
		printf("missing error replies\n");
		goto out;
	}
	if (tp_session_send(&vf, "quit") < 0 || tp_session_finish(&vf, 30) != 0) {
		printf("VF secondary failed:\n%s", vf.out);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	free(out);
	tp_session_free(&vf);
	mp_pf_server_stop();
	return ret;
}

static struct unit_test_suite telemetry_suite = {
	.suite_name = "vfbc telemetry endpoints through dpdk-telemetry.py",
	.setup = tel_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE(test_telemetry_matches_the_api),
		TEST_CASES_END(),
	},
};

static int
test_telemetry_vfbc(void)
{
	return unit_test_suite_runner(&telemetry_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(telemetry_vfbc_autotest, test_telemetry_vfbc,
		"--total-vfs 4", "mp");
