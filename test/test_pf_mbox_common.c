/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <bus_pci_driver.h>
#include <rte_errno.h>

#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_common.h"
#include "test_pf_mbox_common.h"

/* The proofs of this process's claims, open for its life. */
static int test_mbox_proofs[VFBC_CHANNEL_MAX_VFS] = { [0 ... VFBC_CHANNEL_MAX_VFS - 1] = -1 };

/* Open the VF's config file, the claim's proof: the fd, or a negative errno. */
static int
test_mbox_proof_open(struct vfbc_channel *ch, uint16_t vf)
{
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX];
	struct rte_pci_addr addr;
	int ret, fd;

	ret = vfbc_channel_vf_addr_get(ch, vf, &addr);
	if (ret < 0)
		return ret;
	rte_pci_device_name(&addr, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s/config", rte_pci_get_sysfs_path(), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int
test_mbox_claim(struct vfbc_channel *ch, uint16_t vf)
{
	int ret, fd;

	if (vf >= VFBC_CHANNEL_MAX_VFS)
		return -EINVAL;
	if (test_mbox_proofs[vf] < 0) {
		fd = test_mbox_proof_open(ch, vf);
		if (fd < 0)
			return fd;
		test_mbox_proofs[vf] = fd;
	}
	ret = vfbc_channel_claim(ch, vf, test_mbox_proofs[vf]);
	if (ret != -EACCES)
		return ret;
	/* The VF's function may have changed (disabled and enabled): a fresh proof. */
	fd = test_mbox_proof_open(ch, vf);
	if (fd < 0)
		return ret;
	close(test_mbox_proofs[vf]);
	test_mbox_proofs[vf] = fd;
	return vfbc_channel_claim(ch, vf, fd);
}

int
test_mbox_wake_fd(struct vfbc_channel *ch, uint16_t vf)
{
	if (vf >= VFBC_CHANNEL_MAX_VFS)
		return -EINVAL;
	return vfbc_channel_wake_fd(ch, vf, test_mbox_proofs[vf]);
}

struct vfbc_channel *
test_mbox_attach(void)
{
	struct vfbc_channel *ch;
	struct rte_pci_addr addr;
	uint16_t vf;
	int ret;

	ch = vfbc_channel_attach(TEST_PF_WORLD_PF);
	if (ch == NULL) {
		printf("cannot attach channel %s%s: %s\n", VFBC_CHANNEL_MZ_PREFIX,
		       TEST_PF_WORLD_PF, rte_strerror(rte_errno));
		return NULL;
	}
	for (vf = 0; vf < vfbc_channel_nb_vfs(ch); vf++) {
		if (vfbc_channel_vf_addr_get(ch, vf, &addr) < 0)
			continue;
		ret = test_mbox_claim(ch, vf);
		if (ret < 0) {
			printf("cannot claim VF %u: %s\n", vf, strerror(-ret));
			vfbc_channel_free(ch);
			return NULL;
		}
	}
	return ch;
}

void
test_mbox_req_init(struct vfbc_channel_req *req, uint16_t type, uint32_t target, const void *data,
		   uint32_t len)
{
	memset(req, 0, sizeof(*req));
	req->type = type;
	req->target = target;
	req->len = len;
	if (data != NULL)
		memcpy(req->data, data, RTE_MIN(len, (uint32_t)sizeof(req->data)));
}

int
test_mbox_call(uint16_t port_id, struct vfbc_channel *ch, uint16_t vf, uint16_t type,
	       uint32_t target, const void *data, uint32_t len,
	       struct vfbc_channel_resp *resp, int poll)
{
	struct vfbc_channel_req req;
	uint64_t waited;
	int ret;

	test_mbox_req_init(&req, type, target, data, len);
	ret = vfbc_channel_request_post(ch, vf, &req);
	if (ret < 0) {
		printf("VF %u: posting request type %u failed: %s\n", vf, type, strerror(-ret));
		return -1;
	}
	for (waited = 0; waited < TEST_MBOX_TIMEOUT_US; waited += 100) {
		if (poll) {
			ret = vfbc_pf_mbox_poll(port_id, 32);
			if (ret < 0) {
				printf("vfbc_pf_mbox_poll: %s\n", strerror(-ret));
				return -1;
			}
		}
		ret = vfbc_channel_response_poll(ch, vf, resp);
		if (ret == 1) {
			if (resp->req_id != req.req_id || resp->type != type ||
			    resp->vf_id != vf) {
				printf("VF %u: answer to request %" PRIu32 " (type %u), "
				       "expected %" PRIu32 " (type %u)\n", vf, resp->req_id,
				       resp->type, req.req_id, type);
				return -1;
			}
			return 0;
		}
		rte_delay_us_sleep(100);
	}
	printf("VF %u: no answer to request type %u in %u ms\n", vf, type,
	       TEST_MBOX_TIMEOUT_US / 1000);
	return -1;
}

int
test_mbox_vf_cfg(uint16_t vf, uint32_t off, void *buf, uint32_t len)
{
	struct test_pf_topo topo;
	struct rte_pci_addr addr;
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (test_pf_topo_read(&topo) < 0 || test_pf_vf_addr(&topo, vf, &addr) < 0) {
		printf("VF %u: no address in the world\n", vf);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/devices/" PCI_PRI_FMT "/config", vfbc_test_world_dir(),
		 addr.domain, addr.bus, addr.devid, addr.function);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s: %s\n", path, strerror(errno));
		return -1;
	}
	n = pread(fd, buf, len, off);
	close(fd);
	if (n != (ssize_t)len) {
		printf("%s: short read at 0x%x\n", path, off);
		return -1;
	}
	return 0;
}
