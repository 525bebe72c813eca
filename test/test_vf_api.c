/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_vf in one process: the primary's VF ports, the API's errors,
 * and the primary as the consumer of a VF (single-process use).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_service.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

static struct mp_world w;
static uint64_t cb_or[2];
static unsigned int cb_calls[2];
static int cb_unregister_ret;

static void
cb_record(uint16_t port_id __rte_unused, uint64_t mask, void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;

	cb_or[i] |= mask;
	cb_calls[i]++;
}

static void
cb_self_unregister(uint16_t port_id, uint64_t mask __rte_unused, void *arg)
{
	cb_unregister_ret = vfbc_vf_invalidate_callback_unregister(port_id,
			cb_self_unregister, arg);
}

static int
vf_api_setup(void)
{
	return mp_world_start(&w, "");
}

static int
test_vf_ports_probed_in_the_primary(void)
{
	struct rte_eth_dev_info dinfo;
	struct vfbc_vf_info info;
	char pf[PCI_PRI_STR_SIZE];
	unsigned int i;

	for (i = 0; i < w.nb_vfs; i++) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(w.vf_port[i], &dinfo), "info");
		TEST_ASSERT(strcmp(dinfo.driver_name, "net_vfbc_vf") == 0,
			    "VF %u port driver %s", i, dinfo.driver_name);
		TEST_ASSERT_SUCCESS(vfbc_vf_get_info(w.vf_port[i], &info), "vf info");
		TEST_ASSERT(info.vf_id_valid && info.vf_id == i, "VF %u: index %u (valid %u)",
			    i, info.vf_id, info.vf_id_valid);
		rte_pci_device_name(&info.pf_addr, pf, sizeof(pf));
		TEST_ASSERT(strcmp(pf, MP_PF_NAME) == 0, "VF %u: PF %s", i, pf);
		TEST_ASSERT_EQUAL(info.claimed, 0, "the primary claimed VF %u at probe", i);
	}
	return TEST_SUCCESS;
}

/* The VF probe must not cut the PF off its VFs' config space. */
static int
test_vf_probe_keeps_pf_config_access(void)
{
	uint8_t v[4];
	unsigned int i;

	for (i = 0; i < w.nb_vfs; i++)
		TEST_ASSERT_EQUAL(vfbc_pf_read_vf_config(w.pf_port, i, v, 0, 4), 4,
				  "PF cannot read VF %u's config space", i);
	return TEST_SUCCESS;
}

static int
test_vf_api_rejects_bad_arguments(void)
{
	uint16_t p = w.vf_port[0];
	struct vfbc_vf_info info;
	uint8_t buf[VFBC_VF_BLOCK_SIZE + 1];
	uint32_t sid;
	uint64_t m;
	unsigned int i;

	/* Not a VF port. */
	TEST_ASSERT_EQUAL(vfbc_vf_poll(w.pf_port, &m), -ENODEV, "PF port");
	TEST_ASSERT_EQUAL(vfbc_vf_claim(RTE_MAX_ETHPORTS), -ENODEV, "bad port");
	TEST_ASSERT_EQUAL(vfbc_vf_get_info(RTE_MAX_ETHPORTS - 1, &info), -ENODEV, "bad port");
	TEST_ASSERT_EQUAL(vfbc_vf_read_config_block(w.pf_port, 0, buf, 8), -ENODEV, "PF");
	TEST_ASSERT_EQUAL(vfbc_vf_write_config_block(w.pf_port, 0, buf, 8, 10), -ENODEV, "PF");
	TEST_ASSERT_EQUAL(vfbc_vf_service_id(w.pf_port, &sid), -ENODEV, "PF");
	/* NULL and lengths. */
	TEST_ASSERT_EQUAL(vfbc_vf_get_info(p, NULL), -EINVAL, "NULL info");
	TEST_ASSERT_EQUAL(vfbc_vf_service_id(p, NULL), -EINVAL, "NULL id");
	TEST_ASSERT_EQUAL(vfbc_vf_read_config_block(p, 0, NULL, 8), -EINVAL, "NULL buf");
	TEST_ASSERT_EQUAL(vfbc_vf_invalidate_callback_register(p, NULL, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQUAL(vfbc_vf_invalidate_callback_unregister(p, NULL, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQUAL(vfbc_vf_invalidate_callback_unregister(p, cb_record, NULL), -ENOENT,
			  "unknown callback");
	TEST_ASSERT_EQUAL(vfbc_vf_write_config_block(p, 0, buf, 0, 10), -EINVAL, "len 0");
	TEST_ASSERT_EQUAL(vfbc_vf_write_config_block(p, 0, buf, VFBC_VF_BLOCK_SIZE + 1, 10),
			  -EINVAL, "len 129");
	TEST_ASSERT_EQUAL(vfbc_vf_write_config_block(p, 0, NULL, 4, 10), -EINVAL, "NULL");
	TEST_ASSERT_EQUAL(vfbc_vf_read_bus_data(p, 0, buf, 0, 10), -EINVAL, "len 0");
	TEST_ASSERT_EQUAL(vfbc_vf_write_bus_data(p, 0, NULL, 4, 10), -EINVAL, "NULL");
	/* Without the claim. */
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), -EPERM, "poll without the claim");
	TEST_ASSERT_EQUAL(vfbc_vf_release(p), -EPERM, "release without the claim");
	TEST_ASSERT_EQUAL(vfbc_vf_write_config_block(p, 0, buf, 4, 10), -EPERM, "no claim");
	TEST_ASSERT_EQUAL(vfbc_vf_read_bus_data(p, 0, buf, 4, 10), -EPERM, "no claim");
	/* The callback table: duplicates and its size. */
	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++)
		TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(p, cb_record,
				(void *)(uintptr_t)(i + 100)), "register %u", i);
	TEST_ASSERT_EQUAL(vfbc_vf_invalidate_callback_register(p, cb_record, (void *)100),
			  -EEXIST, "duplicate");
	TEST_ASSERT_EQUAL(vfbc_vf_invalidate_callback_register(p, cb_record, (void *)1),
			  -ENOSPC, "table full");
	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++)
		TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_unregister(p, cb_record,
				(void *)(uintptr_t)(i + 100)), "unregister %u", i);
	return TEST_SUCCESS;
}

/* Single-process use: the primary claims a VF and consumes it itself. */
static int
test_vf_primary_consumer(void)
{
	uint16_t p = w.vf_port[1];
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	uint64_t m;
	int32_t pid;
	uint32_t sid;
	unsigned int i;
	int ret;

	TEST_ASSERT_SUCCESS(vfbc_vf_claim(p), "claim");
	TEST_ASSERT_EQUAL(vfbc_vf_claim(p), -EALREADY, "second claim");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(w.pf_port, 1, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, getpid(), "PF sees consumer %d", pid);
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 0, "nothing pending");

	memset(cb_or, 0, sizeof(cb_or));
	memset(cb_calls, 0, sizeof(cb_calls));
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(p, cb_record, (void *)0), "cb0");
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(p, cb_record, (void *)1), "cb1");
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(w.pf_port, 1, 3, data, sizeof(data)),
			    "PF block write");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(w.pf_port, 1, 0x8), "invalidate");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(w.pf_port, 1, 0x100), "invalidate");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 1, "delivery");
	TEST_ASSERT_EQUAL(m, 0x108, "coalesced mask 0x%" PRIx64, m);
	TEST_ASSERT(cb_or[0] == 0x108 && cb_or[1] == 0x108 && cb_calls[0] == 1 &&
		    cb_calls[1] == 1, "callbacks: 0x%" PRIx64 "/%u 0x%" PRIx64 "/%u",
		    cb_or[0], cb_calls[0], cb_or[1], cb_calls[1]);
	TEST_ASSERT_EQUAL(vfbc_vf_read_config_block(p, 3, buf, sizeof(buf)), 8, "read");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(buf, data, 8, "block 3 contents");
	TEST_ASSERT_EQUAL(vfbc_vf_read_config_block(p, 3, buf, 4), -ENOBUFS, "short buffer");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 0, "nothing more");

	/* A callback cannot unregister itself while it runs; it can afterwards. */
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_unregister(p, cb_record, (void *)1),
			    "unregister cb1");
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(p, cb_self_unregister, NULL),
			    "register self-unregistering");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(w.pf_port, 1, 0x1), "invalidate");
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), 1, "delivery");
	TEST_ASSERT_EQUAL(cb_unregister_ret, -EAGAIN, "self-unregister: %d", cb_unregister_ret);
	TEST_ASSERT_EQUAL(cb_calls[1], 1, "unregistered callback called");
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_unregister(p, cb_self_unregister, NULL),
			    "unregister afterwards");

	/* Requests from the primary, serviced by another thread of it. */
	TEST_ASSERT_SUCCESS(mp_pf_server_start(w.pf_port), "server");
	ret = vfbc_vf_write_config_block(p, 20, data, 4, 2000);
	i = (unsigned int)vfbc_pf_read_config_block(w.pf_port, 1, 20, buf, sizeof(buf));
	mp_pf_server_stop();
	TEST_ASSERT_EQUAL(ret, 0, "block write request: %d", ret);
	TEST_ASSERT(i == 4 && memcmp(buf, data, 4) == 0, "block 20 not stored");

	/* The port's service delivers too. */
	TEST_ASSERT_SUCCESS(vfbc_vf_service_id(p, &sid), "service id");
	TEST_ASSERT_SUCCESS(rte_service_runstate_set(sid, 1), "runstate");
	TEST_ASSERT_SUCCESS(vfbc_pf_invalidate_config_blocks(w.pf_port, 1, 0x20), "invalidate");
	TEST_ASSERT_SUCCESS(rte_service_run_iter_on_app_lcore(sid, 1), "run service");
	TEST_ASSERT_EQUAL(cb_or[0] & 0x20, 0x20, "service did not deliver: 0x%" PRIx64, cb_or[0]);

	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_unregister(p, cb_record, (void *)0), "cb0");
	TEST_ASSERT_SUCCESS(vfbc_vf_release(p), "release");
	TEST_ASSERT_SUCCESS(vfbc_pf_vf_consumer(w.pf_port, 1, &pid), "consumer");
	TEST_ASSERT_EQUAL(pid, 0, "consumer after release %d", pid);
	TEST_ASSERT_EQUAL(vfbc_vf_poll(p, &m), -EPERM, "poll after release");
	return TEST_SUCCESS;
}

static void
vf_api_teardown(void)
{
	unsigned int i;

	/* Close the VF ports (their services) before EAL cleanup. */
	for (i = 0; i < w.nb_vfs; i++)
		rte_eth_dev_close(w.vf_port[i]);
}

static struct unit_test_suite vf_api_suite = {
	.suite_name = "net_vfbc_vf API",
	.setup = vf_api_setup,
	.teardown = vf_api_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vf_ports_probed_in_the_primary),
		TEST_CASE(test_vf_probe_keeps_pf_config_access),
		TEST_CASE(test_vf_api_rejects_bad_arguments),
		TEST_CASE(test_vf_primary_consumer),
		TEST_CASES_END()
	}
};

static int
test_vf_api(void)
{
	return unit_test_suite_runner(&vf_api_suite);
}

REGISTER_WORLD_TEST_COMMAND(vf_api_autotest, test_vf_api, "--total-vfs 4");
