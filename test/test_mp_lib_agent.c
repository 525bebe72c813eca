/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * mp_lib_vf: a secondary that talks to the PF through the channel library
 * alone (no VF PMD, --no-pci), so that a test controls exactly what it
 * posts, how fast, and on which slot, including slots it does not hold.
 * Commands, one line each, answered with one line:
 *
 *   claim V             "ret R"  claim with the VF's config file as the proof
 *   claimnp V           "ret R"  claim with no proof
 *   release V           "ret R"
 *   post V T TGT HEX    "ret R"  vfbc_channel_request_post (HEX: the data;
 *                                "-" for none, with LEN = 4)
 *   rpoll V             "ret R status S id I"
 *   pollinv V           "ret R mask M"
 *   lat V T TGT LEN N MS
 *                       N requests one after the other (fewer if MS ms,
 *                       when not 0, pass first), each waited for (2 s at
 *                       most; a request not answered counts as 2 s):
 *                       "lat n=N p50=US p90=US max=US fails=F"
 *   flood V T TGT HEX MS
 *                       MS ms of keeping V's request ring full and
 *                       draining its answers: "flood posted=P answered=A
 *                       ok=O busy=B other=X"
 *   doorbells clear|forge
 *                       every doorbell word zeroed, or set to all ones
 *   wait V MS           wait MS ms at most for one answer on V:
 *                       "wait ret=R ms=M status=S"
 *   current             "ret R"  vfbc_channel_current
 *   holds V             "ret R"  vfbc_channel_holds
 *   life V              "ret R"  vfbc_channel_life_get
 *   spin V MS           poll V's invalidations without a pause until a
 *                       call fails with other than -EPERM, or MS ms pass:
 *                       "spin ret=R polls=N eperm=E"
 *   granted V           "ret R"  vfbc_channel_claim_granted
 *   idle V              "ret R"  vfbc_channel_poll_idle
 *   claimget V          "ret R"  vfbc_channel_claim_get
 *   stats V             "ret R"  vfbc_channel_stats_get
 *   vfaddr V            "ret R"  vfbc_channel_vf_addr_get
 *   lifegen             "ret R"  vfbc_channel_life_gen
 *   sleeparm V          "ret R"  vfbc_channel_sleep_arm
 *   validate V          "ret R"  vfbc_channel_request_validate (a block write
 *                                of block 0)
 *   quit                "bye"
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_mbox_common.h"
#include "vfbc_channel.h"

#define LIB_CMD_WAIT_MS 120000
#define LIB_REQ_WAIT_MS 2000
#define LIB_LAT_MAX 4096

static struct vfbc_channel *lib_ch;

static int
lib_unhex(const char *s, uint8_t *b, unsigned int max)
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

static int
lib_req(struct vfbc_channel_req *req, unsigned int type, unsigned int target, const char *hex,
	unsigned int len)
{
	int n;

	memset(req, 0, sizeof(*req));
	req->type = (uint16_t)type;
	req->target = target;
	n = lib_unhex(hex, req->data, sizeof(req->data));
	if (n < 0)
		return n;
	req->len = n > 0 ? (uint32_t)n : len;
	return 0;
}

/* Post and wait for the answer to that very request: its status, or an error. */
static int
lib_call(uint16_t vf, struct vfbc_channel_req *req, int32_t *status)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * LIB_REQ_WAIT_MS / 1000;
	struct vfbc_channel_resp resp;
	int ret;

	ret = vfbc_channel_request_post(lib_ch, vf, req);
	if (ret < 0)
		return ret;
	while (rte_get_timer_cycles() < deadline) {
		ret = vfbc_channel_response_poll(lib_ch, vf, &resp);
		if (ret < 0)
			return ret;
		if (ret == 1 && resp.req_id == req->req_id) {
			*status = resp.status;
			return 0;
		}
	}
	return -ETIMEDOUT;
}

static int
lib_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
lib_latency(uint16_t vf, unsigned int type, unsigned int target, unsigned int len,
	    unsigned int n, unsigned int ms)
{
	static uint64_t us[LIB_LAT_MAX];
	uint64_t hz = rte_get_timer_hz(), t0, end;
	struct vfbc_channel_req req;
	unsigned int i, done = 0, fails = 0;
	int32_t status;
	int ret;

	n = RTE_MIN(n, (unsigned int)LIB_LAT_MAX);
	end = ms != 0 ? rte_get_timer_cycles() + hz * ms / 1000 : UINT64_MAX;
	for (i = 0; i < n && rte_get_timer_cycles() < end; i++) {
		lib_req(&req, type, target, "-", len);
		t0 = rte_get_timer_cycles();
		ret = lib_call(vf, &req, &status);
		if (ret < 0 || status < 0)
			fails++;
		/* A slow service must show in the figures, not vanish from them. */
		us[done++] = ret == -ETIMEDOUT ? LIB_REQ_WAIT_MS * 1000 :
			(rte_get_timer_cycles() - t0) * 1000000 / hz;
	}
	if (done == 0) {
		mp_agent_send("lat n=0 p50=0 p90=0 max=0 fails=%u", fails);
		return;
	}
	qsort(us, done, sizeof(us[0]), lib_cmp_u64);
	mp_agent_send("lat n=%u p50=%" PRIu64 " p90=%" PRIu64 " max=%" PRIu64 " fails=%u", done,
		      us[done / 2], us[done * 9 / 10], us[done - 1], fails);
}

static void
lib_flood(uint16_t vf, unsigned int type, unsigned int target, const char *hex,
	  unsigned int ms)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	unsigned int posted = 0, answered = 0, ok = 0, busy = 0, other = 0;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	int ret;

	while (rte_get_timer_cycles() < deadline) {
		lib_req(&req, type, target, hex, 4);
		ret = vfbc_channel_request_post(lib_ch, vf, &req);
		if (ret == 0) {
			posted++;
			continue;
		}
		while (vfbc_channel_response_poll(lib_ch, vf, &resp) == 1) {
			answered++;
			if (resp.status == 0)
				ok++;
			else if (resp.status == -EBUSY)
				busy++;
			else
				other++;
		}
		usleep(50);
	}
	/* The answers still on their way. */
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 5;
	while (answered < posted && rte_get_timer_cycles() < deadline) {
		if (vfbc_channel_response_poll(lib_ch, vf, &resp) != 1) {
			usleep(100);
			continue;
		}
		answered++;
		if (resp.status == 0)
			ok++;
		else if (resp.status == -EBUSY)
			busy++;
		else
			other++;
	}
	mp_agent_send("flood posted=%u answered=%u ok=%u busy=%u other=%u", posted, answered, ok,
		      busy, other);
}

static void
lib_doorbells(const char *how)
{
	struct vfbc_channel_shm_hdr *hdr = __vfbc_channel_hdr(lib_ch);
	unsigned int w;

	for (w = 0; w < VFBC_CHANNEL_DOORBELL_WORDS; w++)
		__atomic_store_n(&hdr->doorbell[w], strcmp(how, "forge") == 0 ? UINT64_MAX : 0,
				 __ATOMIC_RELEASE);
	mp_agent_send("doorbells %s", how);
}

static void
lib_wait(uint16_t vf, unsigned int ms)
{
	uint64_t hz = rte_get_timer_hz(), t0 = rte_get_timer_cycles();
	struct vfbc_channel_resp resp;
	int ret;

	memset(&resp, 0, sizeof(resp));
	do {
		ret = vfbc_channel_response_poll(lib_ch, vf, &resp);
		if (ret != 0)
			break;
		usleep(100);
	} while (rte_get_timer_cycles() - t0 < hz * ms / 1000);
	mp_agent_send("wait ret=%d ms=%" PRIu64 " status=%d", ret,
		      (rte_get_timer_cycles() - t0) * 1000 / hz, resp.status);
}

/* The race of the library's unmap guard: polls on one thread while the PF frees the channel. */
static void
lib_spin(uint16_t vf, unsigned int ms)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	uint64_t polls = 0, eperm = 0, mask;
	int ret = 0;

	while (rte_get_timer_cycles() < deadline) {
		ret = vfbc_channel_poll_invalidations(lib_ch, vf, &mask);
		polls++;
		if (ret == -EPERM)
			eperm++;
		else if (ret < 0)
			break;
	}
	mp_agent_send("spin ret=%d polls=%" PRIu64 " eperm=%" PRIu64, ret, polls, eperm);
}

static int
mp_lib_vf(void)
{
	struct vfbc_channel_life life;
	struct vfbc_channel_stats st;
	struct rte_pci_addr pa;
	uint32_t gen;
	pid_t pid;
	char line[MP_LINE_MAX], hex[300], how[16];
	unsigned int v, t, tgt, len, n, ms;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	uint64_t mask;
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	lib_ch = vfbc_channel_attach(MP_PF_NAME);
	if (lib_ch == NULL) {
		mp_agent_send("error attach: %d", rte_errno);
		return TEST_FAILED;
	}
	mp_agent_send("ready pid=%d", (int)getpid());
	while (mp_agent_recv(line, sizeof(line), LIB_CMD_WAIT_MS) >= 0) {
		if (sscanf(line, "claimnp %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_claim(lib_ch, (uint16_t)v, -1));
		} else if (sscanf(line, "claim %u", &v) == 1) {
			mp_agent_send("ret %d", test_mbox_claim(lib_ch, (uint16_t)v));
		} else if (sscanf(line, "release %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_release(lib_ch, (uint16_t)v));
		} else if (sscanf(line, "post %u %u %u %299s", &v, &t, &tgt, hex) == 4) {
			ret = lib_req(&req, t, tgt, hex, 4);
			mp_agent_send("ret %d", ret < 0 ? ret :
				      vfbc_channel_request_post(lib_ch, (uint16_t)v, &req));
		} else if (sscanf(line, "rpoll %u", &v) == 1) {
			memset(&resp, 0, sizeof(resp));
			ret = vfbc_channel_response_poll(lib_ch, (uint16_t)v, &resp);
			mp_agent_send("ret %d status %d id %u", ret, resp.status, resp.req_id);
		} else if (sscanf(line, "pollinv %u", &v) == 1) {
			mask = 0;
			ret = vfbc_channel_poll_invalidations(lib_ch, (uint16_t)v, &mask);
			mp_agent_send("ret %d mask %" PRIx64, ret, mask);
		} else if (sscanf(line, "lat %u %u %u %u %u %u", &v, &t, &tgt, &len, &n,
				  &ms) == 6) {
			lib_latency((uint16_t)v, t, tgt, len, n, ms);
		} else if (sscanf(line, "flood %u %u %u %299s %u", &v, &t, &tgt, hex, &n) == 5) {
			lib_flood((uint16_t)v, t, tgt, hex, n);
		} else if (sscanf(line, "doorbells %15s", how) == 1) {
			lib_doorbells(how);
		} else if (sscanf(line, "wait %u %u", &v, &n) == 2) {
			lib_wait((uint16_t)v, n);
		} else if (strcmp(line, "current") == 0) {
			mp_agent_send("ret %d", vfbc_channel_current(lib_ch));
		} else if (sscanf(line, "holds %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_holds(lib_ch, (uint16_t)v));
		} else if (sscanf(line, "life %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_life_get(lib_ch, (uint16_t)v, &life));
		} else if (sscanf(line, "spin %u %u", &v, &ms) == 2) {
			lib_spin((uint16_t)v, ms);
		} else if (sscanf(line, "granted %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_claim_granted(lib_ch, (uint16_t)v,
									  &pid));
		} else if (sscanf(line, "idle %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_poll_idle(lib_ch, (uint16_t)v));
		} else if (sscanf(line, "claimget %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_claim_get(lib_ch, (uint16_t)v, &pid,
								       NULL));
		} else if (sscanf(line, "stats %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_stats_get(lib_ch, (uint16_t)v, &st));
		} else if (sscanf(line, "vfaddr %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_vf_addr_get(lib_ch, (uint16_t)v, &pa));
		} else if (strcmp(line, "lifegen") == 0) {
			mp_agent_send("ret %d", vfbc_channel_life_gen(lib_ch, &gen));
		} else if (sscanf(line, "sleeparm %u", &v) == 1) {
			mp_agent_send("ret %d", vfbc_channel_sleep_arm(lib_ch, (uint16_t)v));
		} else if (sscanf(line, "validate %u", &v) == 1) {
			memset(&req, 0, sizeof(req));
			req.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
			req.vf_id = (uint16_t)v;
			req.target = 0;
			req.len = 4;
			mp_agent_send("ret %d", vfbc_channel_request_validate(lib_ch, (uint16_t)v,
									      &req));
		} else if (strcmp(line, "quit") == 0) {
			vfbc_channel_free(lib_ch);
			mp_agent_send("bye");
			return TEST_SUCCESS;
		} else {
			mp_agent_send("error unknown command: %s", line);
		}
	}
	vfbc_channel_free(lib_ch);
	return TEST_FAILED;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_lib_vf, mp_lib_vf);
