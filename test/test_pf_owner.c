/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * One primary per PF: a second primary process (its own --file-prefix,
 * hence its own runtime directory and hugepage files) allow-listing the
 * same PF must not drive it: its PF probe fails, naming the first
 * primary's pid. Once the first lets the PF go (closes its port), the
 * second can take it.
 *
 * (On fb8986c both drove the PF: when one disabled the VFs, the other
 * still reported them ready and answered requests against functions that
 * were gone.)
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_log.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_common.h"

#define START_MS 60000

/*
 * The second primary: EAL with the PF allow-listed, then "result ports=N
 * msg=M": N net_vfbc_pf ports, M 1 if the log named the owner's pid
 * (env OWNER_PID).
 */
static int
pf_second_primary(void)
{
	struct rte_eth_dev_info info;
	const char *owner = getenv("OWNER_PID");
	char *text = NULL, want[96];
	unsigned int ports = 0;
	size_t len;
	FILE *log;
	uint16_t p;
	int ret;

	log = open_memstream(&text, &len);
	if (log != NULL)
		rte_openlog_stream(log);
	ret = vfbc_test_eal_init("-m 64 -a %s", TEST_PF_WORLD_PF);
	rte_openlog_stream(NULL);
	if (log != NULL)
		fclose(log);
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL %d", ret);
		free(text);
		return ret;
	}
	RTE_ETH_FOREACH_DEV(p)
		if (rte_eth_dev_info_get(p, &info) == 0 &&
				strcmp(info.driver_name, "net_vfbc_pf") == 0)
			ports++;
	snprintf(want, sizeof(want), "driven by another primary process (pid %s)",
		 owner != NULL ? owner : "?");
	mp_agent_send("result ports=%u msg=%d", ports, text != NULL && strstr(text, want) != NULL);
	free(text);
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(pf_second_primary, pf_second_primary);

static int
second_primary(unsigned int *ports, int *msg)
{
	struct mp_child c;
	char rest[MP_LINE_MAX], var[32];
	const char *env[2] = { var, NULL };
	int ret = -1;

	snprintf(var, sizeof(var), "OWNER_PID=%d", (int)getpid());
	if (mp_child_spawn_primary(&c, "pf_second_primary", env) == 0 &&
			mp_child_expect(&c, "result", rest, sizeof(rest), START_MS) == 0 &&
			sscanf(rest, "ports=%u msg=%d", ports, msg) == 2)
		ret = 0;
	else
		printf("the second primary said \"%s\"\n", rest);
	mp_child_wait(&c, START_MS);
	mp_child_close(&c);
	return ret;
}

static int
test_pf_second_primary_is_refused(void)
{
	unsigned int ports;
	uint16_t port;
	int msg;

	TEST_ASSERT_SUCCESS(test_pf_world_start(&port, "-m 64"), "first primary");
	TEST_ASSERT_SUCCESS(second_primary(&ports, &msg), "second primary");
	TEST_ASSERT_EQUAL(ports, 0, "a second primary drives the PF");
	TEST_ASSERT_EQUAL(msg, 1, "its log does not name the first primary");
	/* The first one still has it, unchanged. */
	TEST_ASSERT(vfbc_pf_vf_count(port) > 0, "the first primary lost its VFs");

	/* Given up, it is free for the next primary. */
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(port), "close");
	TEST_ASSERT_SUCCESS(second_primary(&ports, &msg), "third primary");
	TEST_ASSERT_EQUAL(ports, 1, "the PF stayed locked after its close");
	return TEST_SUCCESS;
}

static struct unit_test_suite owner_suite = {
	.suite_name = "net_vfbc_pf: one primary per PF",
	.unit_test_cases = {
		TEST_CASE(test_pf_second_primary_is_refused),
		TEST_CASES_END()
	}
};

static int
test_pf_second_primary(void)
{
	return unit_test_suite_runner(&owner_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(pf_second_primary_autotest, test_pf_second_primary,
				  "--total-vfs 4", "mp");
