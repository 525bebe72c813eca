/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF's devargs, probed for real (the PF detached, then probed again
 * with each string): every malformed value fails the probe with a log line
 * naming the key, and leaves no port; every well-formed one probes.
 *
 * (On fb8986c "max_vfs=010" was octal 8 and "max_vfs= 3" was 3, while
 * "max_vfs=3 " failed; a key could be given twice.)
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"

static const struct {
	const char *args;
	const char *log;	/* NULL: must probe */
	int max_vfs;		/* probed: the max_vfs reported, -1: do not check */
} devargs_cases[] = {
	{ "max_vfs=010", "devarg max_vfs=010", 0 },
	{ "max_vfs= 3", "devarg max_vfs= 3", 0 },
	{ "max_vfs=3 ", "devarg max_vfs=3 ", 0 },
	{ "max_vfs=+3", "devarg max_vfs=+3", 0 },
	{ "max_vfs=-1", "devarg max_vfs=-1", 0 },
	{ "max_vfs=0x3", "devarg max_vfs=0x3", 0 },
	{ "max_vfs=65536", "devarg max_vfs=65536", 0 },
	{ "max_vfs=", "devarg max_vfs=", 0 },
	{ "max_vfs=1,max_vfs=2", "max_vfs given more than once", 0 },
	/* rte_kvargs alone keeps the last key of a pair with two '='. */
	{ "max_vfs=010=max_vfs=8", "a pair with more than one '='", 0 },
	{ "x=map_vfs=0", "a pair with more than one '='", 0 },
	{ "=vf_msg_cfg=8@1:1", "a pair with more than one '='", 0 },
	{ "map_vfs=2", "devarg map_vfs=2", 0 },
	{ "map_vfs=ALL", "devarg map_vfs=ALL", 0 },
	{ "map_vfs=all ", "devarg map_vfs=all ", 0 },
	{ "map_vfs=", "devarg map_vfs=", 0 },
	{ "num_vfs=99999999999", "devarg num_vfs=99999999999", 0 },
	{ "vf_msg_cfg=80@120", "devarg vf_msg_cfg=80@120", 0 },
	{ "vf_msg_cfg=0@1:1", "devarg vf_msg_cfg=0@1:1", 0 },
	{ "vf_msg_cfg=80@0:1", "devarg vf_msg_cfg=80@0:1", 0 },
	{ "vf_msg_cfg=80@120:180x", "devarg vf_msg_cfg=80@120:180x", 0 },
	{ "vf_msg_cfg=4097@1:1", "devarg vf_msg_cfg=4097@1:1", 0 },
	{ "nosuchkey=1", "invalid devargs", 0 },
	{ "max_vfs=3", NULL, 3 },
	{ "max_vfs=0", NULL, 0 },
	{ "vf_msg_cfg=80@120:180", NULL, -1 },
	{ "map_vfs=1,max_vfs=4,num_vfs=0,vf_msg_cfg=4096@65535:65535", NULL, 4 },
	{ "map_vfs=all,max_vfs=2", NULL, 2 },
	{ "map_vfs=0", NULL, -1 },
};

static uint16_t pf_port;

static int
devargs_setup(void)
{
	return test_pf_world_start(&pf_port, "-m 64");
}

static int
test_pf_devargs_strict(void)
{
	struct vfbc_pf_sriov_info si;
	char devstr[160], *text;
	unsigned int i;
	uint16_t port;
	size_t len;
	FILE *log;
	int ret;

	for (i = 0; i < RTE_DIM(devargs_cases); i++) {
		TEST_ASSERT_SUCCESS(test_pf_world_detach(), "detaching the PF");
		snprintf(devstr, sizeof(devstr), "%s,%s", TEST_PF_WORLD_PF, devargs_cases[i].args);
		text = NULL;
		log = open_memstream(&text, &len);
		TEST_ASSERT_NOT_NULL(log, "memstream");
		rte_openlog_stream(log);
		ret = rte_dev_probe(devstr);
		rte_openlog_stream(NULL);
		fclose(log);
		if (devargs_cases[i].log != NULL) {
			if (ret == 0 ||
			    rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port) == 0 ||
			    strstr(text, devargs_cases[i].log) == NULL) {
				printf("\"%s\": probe %d, log:\n%s\n", devargs_cases[i].args, ret,
				       text);
				free(text);
				return TEST_FAILED;
			}
		} else {
			if (ret != 0 ||
			    rte_eth_dev_get_port_by_name(TEST_PF_WORLD_PF, &port) != 0 ||
			    vfbc_pf_get_sriov_info(port, &si) != 0 ||
			    (devargs_cases[i].max_vfs >= 0 &&
			     si.max_vfs != devargs_cases[i].max_vfs)) {
				printf("\"%s\": probe %d, max_vfs %u, log:\n%s\n",
				       devargs_cases[i].args, ret, si.max_vfs, text);
				free(text);
				return TEST_FAILED;
			}
		}
		free(text);
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite devargs_suite = {
	.suite_name = "net_vfbc_pf devargs, probed",
	.setup = devargs_setup,
	.unit_test_cases = {
		TEST_CASE(test_pf_devargs_strict),
		TEST_CASES_END()
	}
};

static int
test_pf_devargs(void)
{
	return unit_test_suite_runner(&devargs_suite);
}

REGISTER_WORLD_TEST_COMMAND(pf_devargs_autotest, test_pf_devargs, "--total-vfs 4");
