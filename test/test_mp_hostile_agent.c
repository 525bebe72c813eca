/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * mp_hostile_vf: the red team's VF process. A secondary (--no-pci) that
 * drives the channel library directly, through two handles of its own
 * (h0, h1), and writes what a buggy VF process can write: words of its
 * OWN VF's area only (the threat model's "buggy VF process"), never
 * another VF's, never the header. Commands, one line each:
 *
 *   claim V              "ret R"    h0 claims V with the VF's config file as proof
 *   claimloop V MS       "claimloop n=N ok=O"
 *                                    MS ms of claims of V by h0 and h1 in turn
 *                                    (the same process, the same proof)
 *   blockput V B HEX     "ret 0"    a consistent snapshot of block B (< 64) of
 *                                    V's own area holding HEX, written the way
 *                                    the PF writes (sequence + 2)
 *   blockseq V B         "ret 0"    block B's sequence left odd (a writer that
 *                                    never ends)
 *   post V T TGT HEX     "ret R"    vfbc_channel_request_post() on h0
 *   wait V MS            "wait ret=R status=S id=I"
 *   addrzero V           "ret 0"    the VF address word of V's own area zeroed
 *   quit                 "bye"
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_channel.h"

#define BRK_CMD_WAIT_MS 120000

static struct vfbc_channel *brk_h[2];

static int
brk_unhex(const char *s, uint8_t *b, unsigned int max)
{
	unsigned int v, n = 0;

	if (strcmp(s, "-") == 0)
		return 0;
	while (s[0] != '\0' && s[1] != '\0' && n < max) {
		if (sscanf(s, "%2x", &v) != 1)
			return -EINVAL;
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return (int)n;
}

/* The VF's config file, as the VF PMD opens it: the claim's proof. */
static int
brk_proof(uint16_t vf)
{
	static int proofs[VFBC_CHANNEL_MAX_VFS] = { [0 ... VFBC_CHANNEL_MAX_VFS - 1] = -1 };
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX];
	struct rte_pci_addr addr;

	if (vf >= VFBC_CHANNEL_MAX_VFS)
		return -1;
	if (proofs[vf] < 0 && vfbc_channel_vf_addr_get(brk_h[0], vf, &addr) == 0) {
		rte_pci_device_name(&addr, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s/config", rte_pci_get_sysfs_path(), name);
		proofs[vf] = open(path, O_RDONLY | O_CLOEXEC);
	}
	return proofs[vf];
}

static void
brk_claimloop(uint16_t vf, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	unsigned int n = 0, ok = 0;
	int ret;

	while (rte_get_timer_cycles() < end) {
		ret = vfbc_channel_claim(brk_h[n % 2], vf, brk_proof(vf));
		if (ret >= 0)
			ok++;
		n++;
	}
	mp_agent_send("claimloop n=%u ok=%u", n, ok);
}

static struct vfbc_channel_shm_block *
brk_block(uint16_t vf, unsigned int b)
{
	if (vf >= vfbc_channel_nb_vfs(brk_h[0]) || b >= VFBC_CHANNEL_NB_BLOCKS)
		return NULL;
	return &__vfbc_channel_vf(brk_h[0], vf)->blocks[b];
}

static int
brk_blockput(uint16_t vf, unsigned int b, const char *hex)
{
	struct vfbc_channel_shm_block *s = brk_block(vf, b);
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	int n;

	n = brk_unhex(hex, data, sizeof(data));
	if (s == NULL || n < 0)
		return -EINVAL;
	rte_seqcount_write_begin(&s->lock.count);
	memset(s->data, 0, sizeof(s->data));
	memcpy(s->data, data, n);
	s->len = (uint32_t)n;
	s->state = VFBC_CHANNEL_BLOCK_VALID;
	rte_seqcount_write_end(&s->lock.count);
	return 0;
}

static int
brk_blockseq(uint16_t vf, unsigned int b)
{
	struct vfbc_channel_shm_block *s = brk_block(vf, b);

	if (s == NULL)
		return -EINVAL;
	__atomic_store_n(&s->lock.count.sn, s->lock.count.sn | 1, __ATOMIC_RELEASE);
	return 0;
}

static void
brk_wait(uint16_t vf, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	struct vfbc_channel_resp resp;
	int ret;

	memset(&resp, 0, sizeof(resp));
	do {
		ret = vfbc_channel_response_poll(brk_h[0], vf, &resp);
		if (ret != 0)
			break;
		usleep(100);
	} while (rte_get_timer_cycles() < end);
	mp_agent_send("wait ret=%d status=%d id=%u", ret, resp.status, resp.req_id);
}

static int
mp_hostile_vf(void)
{
	char line[MP_LINE_MAX], hex[300];
	unsigned int v, t, tgt, b, ms;
	struct vfbc_channel_req req;
	int ret, n;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	brk_h[0] = vfbc_channel_attach(MP_PF_NAME);
	brk_h[1] = vfbc_channel_attach(MP_PF_NAME);
	if (brk_h[0] == NULL || brk_h[1] == NULL) {
		mp_agent_send("error attach: %d", rte_errno);
		return TEST_FAILED;
	}
	mp_agent_send("ready pid=%d", (int)getpid());
	while (mp_agent_recv(line, sizeof(line), BRK_CMD_WAIT_MS) >= 0) {
		if (sscanf(line, "claimloop %u %u", &v, &ms) == 2) {
			brk_claimloop((uint16_t)v, ms);
		} else if (sscanf(line, "claim %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_claim(brk_h[0], (uint16_t)v,
								   brk_proof((uint16_t)v)));
		} else if (sscanf(line, "blockput %u %u %299s", &v, &b, hex) == 3) {
			mp_agent_send("ret %d", brk_blockput((uint16_t)v, b, hex));
		} else if (sscanf(line, "blockseq %u %u", &v, &b) == 2) {
			mp_agent_send("ret %d", brk_blockseq((uint16_t)v, b));
		} else if (sscanf(line, "post %u %u %u %299s", &v, &t, &tgt, hex) == 4) {
			memset(&req, 0, sizeof(req));
			req.type = (uint16_t)t;
			req.target = tgt;
			n = brk_unhex(hex, req.data, sizeof(req.data));
			req.len = n > 0 ? (uint32_t)n : 4;
			mp_agent_send("ret %d", n < 0 ? n :
				      vfbc_channel_request_post(brk_h[0], (uint16_t)v, &req));
		} else if (sscanf(line, "addrzero %u", &v) == 1) {
			if (v < vfbc_channel_nb_vfs(brk_h[0]))
				__atomic_store_n((uint64_t *)(void *)
						 &__vfbc_channel_vf(brk_h[0], v)->pf.vf_addr, 0,
						 __ATOMIC_RELEASE);
			mp_agent_send("ret %d", v < vfbc_channel_nb_vfs(brk_h[0]) ? 0 : -EINVAL);
		} else if (sscanf(line, "wait %u %u", &v, &ms) == 2) {
			brk_wait((uint16_t)v, ms);
		} else if (strcmp(line, "quit") == 0) {
			vfbc_channel_free(brk_h[0]);
			vfbc_channel_free(brk_h[1]);
			mp_agent_send("bye");
			return TEST_SUCCESS;
		} else {
			mp_agent_send("error unknown command: %s", line);
		}
	}
	vfbc_channel_free(brk_h[0]);
	vfbc_channel_free(brk_h[1]);
	return TEST_FAILED;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_hostile_vf, mp_hostile_vf);
