/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_isolated against the real net_vfbc_pf, end to end: the test
 * process is the PF's primary in an emulated world, its PF probed with
 * socket=; the consumer is vfbc-testpmd, a primary of its own (own file
 * prefix, no PCI, no hugepages, none of the PF's memory) that reaches VF 1
 * through the socket with the VF's secret. Its VF commands reach the PF
 * and the PF's invalidations and blocks reach it; closing the PF's port
 * hangs up on it, and its next command says so at once. It sleeps until
 * the PF invalidates, on the wake socket the PF sent with its region.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_testpmd_session.h"
#include "vfbc_pmd_pf.h"

#define ISO_W_VF	1
#define ISO_W_SECRET	"w0rld-s3cret"
#define ISO_W_WAIT_S	20

static struct mp_world iso_w;
static char iso_w_path[108];

static int
iso_w_setup(void)
{
	int ret;

	snprintf(iso_w_path, sizeof(iso_w_path), "/tmp/vfbc-iso-world-%d.sock", (int)getpid());
	ret = mp_world_start_isolated(&iso_w, iso_w_path);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(iso_w.nb_vfs > ISO_W_VF, "the world has %u VFs", iso_w.nb_vfs);
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_set_secret(iso_w.pf_port, ISO_W_VF, ISO_W_SECRET),
			    "set the VF's secret");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(iso_w.pf_port), "PF service");
	return TEST_SUCCESS;
}

static void
iso_w_teardown(void)
{
	mp_pf_server_stop();
	unlink(iso_w_path);
}

/* Send cmd; its output must hold line (within ISO_W_WAIT_S). */
static int
iso_w_cmd(struct tp_session *s, const char *cmd, const char *line)
{
	if (tp_session_send(s, cmd) < 0 || tp_session_wait_line(s, line, ISO_W_WAIT_S) < 0) {
		printf("\"%s\": no line \"%s\" in:\n%s", cmd, line, s->out != NULL ? s->out : "");
		return -1;
	}
	return 0;
}

static int
test_vf_isolated_world_consumer_should_reach_its_vf(void)
{
	struct rte_eth_dev_info info;
	struct tp_session s;
	uint8_t blk[16];
	char eal[512];
	int32_t pid = 0;
	unsigned int i;
	int ret = TEST_FAILED;

	memset(&s, 0, sizeof(s));
	s.pid = -1;
	for (i = 0; i < sizeof(blk); i++)
		blk[i] = (uint8_t)(0x10 + i);
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(iso_w.pf_port, ISO_W_VF, 7, blk,
						       sizeof(blk)), "PF block write");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(iso_w.pf_port, ISO_W_VF, 0x80),
			    "PF invalidate");
	snprintf(eal, sizeof(eal), "-l 0 --file-prefix=vfbc-iso-w-%d --no-huge -m 64 "
		 "--no-shconf --no-pci --log-level=lib.eal:warning %s "
		 "--vdev net_vfbc_isolated0,socket=%s,vf=%u,secret=" ISO_W_SECRET,
		 (int)getpid(), vfbc_test_eal_sanitizer_args(), iso_w_path, ISO_W_VF);
	if (tp_session_start(&s, eal, "") < 0)
		goto out;
	if (iso_w_cmd(&s, "show port info 0", "Driver name: net_vfbc_isolated") < 0 ||
	    iso_w_cmd(&s, "read vf config-block 0 7", "Port 0: block 7, 16 bytes") < 0 ||
	    iso_w_cmd(&s, "write vf config-block 0 9 1 2 3",
		      "Port 0: block 9 written by the PF (3 bytes)") < 0 ||
	    iso_w_cmd(&s, "read vf bus-data 0 0 4", "Port 0: 4 bytes at 0x0 (read by the PF)") < 0)
		goto out;
	if (tp_session_send(&s, "wait vf invalidate 0 5000") < 0 ||
	    tp_session_wait_line(&s, "Port 0: invalidation #1, mask 0x0000000000000080",
				 ISO_W_WAIT_S) < 0) {
		printf("no invalidation:\n%s", s.out);
		goto out;
	}
	/*
	 * Sleep mode: the consumer sleeps (no spin) on the wake socket the PF
	 * sent with the region, and the PF's invalidation wakes it. A lost
	 * wake would end the wait only at its 10 s timeout, after the 5 s
	 * given here.
	 */
	if (tp_session_send(&s, "wait vf invalidate 0 10000 spin 0") < 0) {
		printf("cannot send the wait\n");
		goto out;
	}
	rte_delay_us_sleep(300 * 1000);
	if (vfbc_pf_invalidate_config_blocks(iso_w.pf_port, ISO_W_VF, 0x40) != 0 ||
	    tp_session_wait_line(&s, "Port 0: invalidation #2, mask 0x0000000000000040 "
				 "(adaptive wait, spin 0 us)", 5) < 0) {
		printf("the sleeping consumer was not woken:\n%s", s.out);
		goto out;
	}
	/* The PF knows its consumer: vfbc-testpmd, not this process. */
	if (vfbc_pf_vf_consumer(iso_w.pf_port, ISO_W_VF, &pid) != 0 || pid != s.pid) {
		printf("the PF's consumer of VF %u is %d, vfbc-testpmd is %d\n", ISO_W_VF,
		       (int)pid, (int)s.pid);
		goto out;
	}
	/* The PF's port closes: the consumer is told, and its calls fail at once. */
	mp_pf_server_stop();
	if (rte_eth_dev_info_get(iso_w.pf_port, &info) != 0 || rte_dev_remove(info.device) != 0) {
		printf("cannot close the PF's port\n");
		goto out;
	}
	if (tp_session_wait_line(&s, "Port 0: the PF closed the connection: no more "
				 "invalidations", ISO_W_WAIT_S) < 0 ||
	    iso_w_cmd(&s, "read vf config-block 0 7", "Error: read vf config-block: port 0: the "
		      "PF closed the connection (it is gone, or took the VF back)") < 0) {
		printf("the consumer did not see the hang-up:\n%s", s.out);
		goto out;
	}
	if (tp_session_send(&s, "quit") < 0 || tp_session_finish(&s, ISO_W_WAIT_S) < 0) {
		printf("vfbc-testpmd did not exit:\n%s", s.out);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	if (ret != TEST_SUCCESS && s.pid > 0)
		tp_session_finish(&s, 5);
	tp_session_free(&s);
	return ret;
}

/* A wrong secret: the PF refuses, the consumer's probe fails and says why. */
static int
test_vf_isolated_world_wrong_secret_should_be_refused(void)
{
	struct tp_session s;
	char eal[512];
	int32_t pid = -1;
	int ok;

	memset(&s, 0, sizeof(s));
	s.pid = -1;
	snprintf(eal, sizeof(eal), "-l 0 --file-prefix=vfbc-iso-w2-%d --no-huge -m 64 "
		 "--no-shconf --no-pci %s --vdev net_vfbc_isolated0,socket=%s,vf=%u,"
		 "secret=wrong", (int)getpid(), vfbc_test_eal_sanitizer_args(), iso_w_path,
		 ISO_W_VF);
	TEST_ASSERT_SUCCESS(tp_session_start(&s, eal, ""), "vfbc-testpmd start");
	tp_session_send(&s, "quit");
	tp_session_finish(&s, ISO_W_WAIT_S);
	ok = s.out != NULL &&
		tp_has_line_prefix(s.out, "vf_sock_refused_log(): port 0: VF 1: the PF "
				   "refused the secret (or this user) (EACCES)");
	if (!ok)
		printf("no refusal in:\n%s", s.out != NULL ? s.out : "");
	tp_session_free(&s);
	TEST_ASSERT(ok, "the consumer did not log the PF's refusal");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(iso_w.pf_port, ISO_W_VF, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, 0, "VF %u has consumer %d after a refusal", ISO_W_VF, (int)pid);
	return TEST_SUCCESS;
}

static struct unit_test_suite vf_isolated_world_suite = {
	.suite_name = "net_vfbc_isolated against net_vfbc_pf with socket=",
	.setup = iso_w_setup,
	.teardown = iso_w_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_isolated_world_wrong_secret_should_be_refused),
		TEST_CASE(test_vf_isolated_world_consumer_should_reach_its_vf),
		TEST_CASES_END()
	}
};

static int
test_vf_isolated_world(void)
{
	return unit_test_suite_runner(&vf_isolated_world_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(vf_isolated_world_autotest, test_vf_isolated_world,
				  "--total-vfs 4", "mp");
