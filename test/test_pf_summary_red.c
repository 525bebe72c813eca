/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red team, the service summary (48efa5f), driver level: 2 PFs of 4 VFs
 * served by vfbc_pf_mbox_poll_all() alone. A consumer of PF 1 stores PF 0's
 * slot into PF 1's channel header (summary_slot: the header is the
 * consumer-writable line the doorbells live in). A VF of PF 1 that attaches
 * afterwards rang PF 0's bit: the loop looks at PF 0, finds nothing, and
 * PF 1's request waits for the full look (up to VFBC_PF_MBOX_SWEEP_MS) --
 * on 48efa5f every request, for every VF attached after that one store.
 * Fixed: the attacher reads the slot at each mark and the PF's scan writes
 * it back, so the first request waits for one full look and the next ones
 * are answered by the next call (pf_scale_autotest asserts the same).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_mbox_common.h"

#define SRP_PFS 2
#define SRP_PROBES 5

static char srp_names[SRP_PFS][256];

static int
srp_find_pfs(char *eal, size_t len)
{
	char path[PATH_MAX];
	const char *world = vfbc_test_world_dir();
	struct dirent **ents;
	unsigned int nb = 0;
	size_t off = 0;
	struct stat st;
	int n, i;

	snprintf(path, sizeof(path), "%s/devices", world);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/devices/%s/physfn", world, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && lstat(path, &st) != 0 && nb < SRP_PFS)
			snprintf(srp_names[nb++], sizeof(srp_names[0]), "%s", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	if (nb != SRP_PFS)
		return -ENODEV;
	for (i = 0; i < SRP_PFS; i++)
		off += snprintf(eal + off, len - off, "-a %s,map_vfs=all ", srp_names[i]);
	return 0;
}

static int
srp_proof(struct vfbc_channel *ch, uint16_t vf)
{
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX];
	struct rte_pci_addr addr;

	if (vfbc_channel_vf_addr_get(ch, vf, &addr) != 0)
		return -1;
	rte_pci_device_name(&addr, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s/config", rte_pci_get_sysfs_path(), name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int
srp_settle(void)
{
	unsigned int calls;
	int n = 1;

	for (calls = 0; calls < 1000 && n != 0; calls++)
		n = vfbc_pf_mbox_poll_all(64);
	return n == 0 ? 0 : -1;
}

/* Calls of the loop until the request of ch's VF vf is answered; -1: none in 1 s. */
static int
srp_probe(struct vfbc_channel *ch, uint16_t vf, unsigned int round, double *ms)
{
	uint64_t start, hz = rte_get_timer_hz();
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	uint8_t data[8];
	int calls = 0, n;

	memset(data, (int)round + 1, sizeof(data));
	test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, 5, data, sizeof(data));
	if (srp_settle() != 0)
		return -1;
	start = rte_get_timer_cycles();
	if (vfbc_channel_request_post(ch, vf, &req) != 0)
		return -1;
	do {
		n = vfbc_pf_mbox_poll_all(64);
		calls++;
	} while (n == 0 && rte_get_timer_cycles() - start < hz);
	*ms = (double)(rte_get_timer_cycles() - start) * 1e3 / hz;
	if (n <= 0 || vfbc_channel_response_poll(ch, vf, &resp) != 1)
		return -1;
	return calls;
}

static int
test_pf_summary_red(void)
{
	struct vfbc_channel *hostile = NULL, *victim = NULL;
	int proof = -1, calls, worst = 0, ret = TEST_SUCCESS;
	int slot0, slot1;
	uint16_t port[SRP_PFS];
	unsigned int p, r;
	char eal[512];
	double ms = 0, worst_ms = 0;

	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run through vfbc-test)");
	TEST_ASSERT_SUCCESS(srp_find_pfs(eal, sizeof(eal)), "the world's PFs");
	ret = vfbc_test_eal_init("%s", eal);
	if (ret != TEST_SUCCESS)
		return ret;
	for (p = 0; p < SRP_PFS; p++)
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(srp_names[p], &port[p]),
				    "PF %s has no port", srp_names[p]);
	hostile = vfbc_channel_attach(srp_names[1]);
	TEST_ASSERT_NOT_NULL(hostile, "attach PF 1: %s", rte_strerror(rte_errno));
	/* A consumer reads PF 0's slot from PF 0's header (as any attacher can). */
	victim = vfbc_channel_attach(srp_names[0]);
	TEST_ASSERT_NOT_NULL(victim, "attach PF 0: %s", rte_strerror(rte_errno));
	slot0 = __vfbc_channel_hdr(victim)->summary_slot;
	slot1 = __vfbc_channel_hdr(hostile)->summary_slot;
	vfbc_channel_free(victim);
	printf("header slots (slot + 1): PF 0 %d, PF 1 %d\n", slot0, slot1);
	/* The one store: PF 1's header now names PF 0's slot. */
	__vfbc_channel_hdr(hostile)->summary_slot = (uint16_t)slot0;
	/* A VF of PF 1 attaching afterwards. */
	victim = vfbc_channel_attach(srp_names[1]);
	if (victim == NULL) {
		printf("victim attach: %s\n", rte_strerror(rte_errno));
		ret = TEST_FAILED;
		goto out;
	}
	proof = srp_proof(victim, 1);
	if (proof < 0 || vfbc_channel_claim(victim, 1, proof) != 0) {
		printf("victim claim failed\n");
		ret = TEST_FAILED;
		goto out;
	}
	for (r = 0; r < SRP_PROBES; r++) {
		calls = srp_probe(victim, 1, r, &ms);
		printf("probe %u: PF 1 VF 1 answered by call %d, after %.3f ms\n", r, calls, ms);
		if (calls < 0) {
			printf("probe %u: not answered in 1 s\n", r);
			ret = TEST_FAILED;
			goto out;
		}
		/*
		 * Probe 0 rings PF 0's bit (the header still says so) and waits
		 * for the full look, whose scan of PF 1 writes the slot back:
		 * the later ones ring PF 1's own.
		 */
		if (r > 0 && calls > worst) {
			worst = calls;
			worst_ms = ms;
		}
	}
	if (worst > 1) {
		printf("a consumer's header store redirects PF 1's marks to PF 0: a request "
		       "waited %d calls (%.3f ms) for the full look, not the next call\n",
		       worst, worst_ms);
		ret = TEST_FAILED;
	}
	if (__vfbc_channel_hdr(hostile)->summary_slot != slot1) {
		printf("PF 1's header still names slot %d, not %d\n",
		       __vfbc_channel_hdr(hostile)->summary_slot, slot1);
		ret = TEST_FAILED;
	}
out:
	if (victim != NULL) {
		(void)vfbc_channel_release(victim, 1);
		vfbc_channel_free(victim);
	}
	if (proof >= 0)
		close(proof);
	vfbc_channel_free(hostile);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(pf_summary_red_autotest, test_pf_summary_red,
			    "--pfs 2 --total-vfs 4");
