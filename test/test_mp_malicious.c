/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * A malicious VF against the PF's mailbox service. VF process E (mp_evil_vf,
 * below) attaches the channel with the library, claims VF 0 like any
 * consumer, and then writes straight into its own VF area: malformed
 * request records (unknown types, other VFs' ids, bad lengths, block ids
 * with no slot, config offsets out of range or wrapping), and garbage ring
 * indexes (huge counts, heads and tails that disagree), and doorbell bits
 * of every VF including ones that do not exist. A well-behaved VF process
 * (mp_vf_agent on VF 1) keeps asking for block writes and config reads and
 * receiving invalidations throughout.
 *
 * Checked: every malformed record is answered with the rejection its
 * validation names (or, once E has wrecked its own rings, with nothing);
 * the PF service keeps running (a heartbeat) and keeps answering VF 1;
 * invalidations still reach VF 1; no config file of any function of the
 * world changes, nor VF 1's blocks.
 *
 * A second case attacks the PF through the words of E's own area: the
 * indexes of each of its three rings that the PF's side owns (the PF must
 * use its own copies and bound what it reads), a notify ring whose
 * consumer index is far away while the PF invalidates it, the spinlock of
 * a block's seqlock while asking the PF to write that block (the PF must
 * lock in its own memory), and a claim dropped and taken again, which must
 * repair whatever the rings held. After each, the PF service must still
 * beat and answer VF 1, invalidations of E and of VF 1 must return, and the
 * PF application's block writes for E must return; what the PF can detect
 * (indexes out of bounds) must show in E's ring_corrupt counter. The hidden
 * mp_malicious_repro_<attack> commands run that case with one attack.
 *
 * Limit: DPDK secondaries map all of the hugepage memory, so a process can
 * write anywhere, other VFs' areas and the PF's included; the PF cannot
 * defend shared memory against that. What it must defend is its own
 * behaviour against anything written in the misbehaving VF's own area,
 * which is what E does.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_random.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_pf_mbox_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"

#define EVIL_WORLD_OPTS		"--total-vfs 4"
#define EVIL_VF			0
#define GOOD_VF			1
#define START_MS		60000
#define CMD_MS			15000
#define REQ_MS			2000
#define ANSWER_MS		2000

/* ---- the malicious VF process ---- */

struct evil_case {
	uint16_t type;
	uint32_t vf_id;		/* EVIL_OWN: the VF's own id */
	uint32_t target;
	uint32_t len;
	int32_t want;		/* the rejection the PF must answer */
};

#define EVIL_OWN 0x10000u

static struct vfbc_channel *evil_ch;

static void
evil_ring_doorbells(uint64_t bits)
{
	unsigned int w;

	for (w = 0; w < VFBC_CHANNEL_DOORBELL_WORDS; w++)
		__atomic_fetch_or(&__vfbc_channel_hdr(evil_ch)->doorbell[w],
				  w == 0 ? bits : UINT64_MAX, __ATOMIC_RELEASE);
}

static struct vfbc_ring_shm *
evil_ring(uint32_t off)
{
	return __vfbc_channel_ring(evil_ch, EVIL_VF, off);
}

/* Publish a record on its own request ring, as a producer that skips the library. */
static int
evil_push(const struct vfbc_channel_req *rec)
{
	struct vfbc_ring_shm *r = evil_ring(evil_ch->req_ring_off);
	uint32_t p, c;

	p = __atomic_load_n(&r->prod, __ATOMIC_RELAXED);
	c = __atomic_load_n(&r->cons, __ATOMIC_ACQUIRE);
	if (p - c >= VFBC_CHANNEL_REQ_RING_SIZE)
		return -ENOBUFS;
	memcpy(__vfbc_ring_slot(r, p, VFBC_CHANNEL_REQ_RING_SIZE, sizeof(*rec)), rec,
	       sizeof(*rec));
	__atomic_store_n(&r->prod, p + 1, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Drop the claim and take it again: the PF's grant empties both rings at
 * its own indexes, whatever they held (the repair of a wrecked ring).
 */
static int
evil_reclaim(void)
{
	int ret;

	vfbc_channel_release(evil_ch, EVIL_VF);
	ret = test_mbox_claim(evil_ch, EVIL_VF);
	return ret < 0 ? ret : 0;
}

/* Take the PF's answers: count them by status, match them to the record ids. */
static void
evil_collect(const int32_t *want, unsigned int n, unsigned int base, unsigned int t_ms,
	     unsigned int *answered, unsigned int *wrong, unsigned int *accepted)
{
	struct vfbc_channel_resp resp;
	uint64_t deadline;
	unsigned int k;

	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * t_ms / 1000;
	*answered = *wrong = *accepted = 0;
	while (*answered < n && rte_get_timer_cycles() < deadline) {
		if (vfbc_channel_response_poll(evil_ch, EVIL_VF, &resp) != 1) {
			usleep(200);
			continue;
		}
		(*answered)++;
		if (resp.status >= 0)
			(*accepted)++;
		k = resp.req_id - base;
		if (want != NULL && (k >= n || resp.status != want[k])) {
			if (*wrong < 5)
				printf("mp_evil_vf: answer id %u status %d, want %d\n", resp.req_id,
				       resp.status, k < n ? want[k] : 0);
			(*wrong)++;
		}
	}
}

/*
 * Malformed records, straight into the ring (vfbc_channel_request_post
 * would refuse them). Each one's expected rejection is the first check of
 * vfbc_channel_request_validate() it fails.
 */
static void
evil_records(void)
{
	static const struct evil_case cases[] = {
		{ 0, EVIL_OWN, 0, 4, -ENOTSUP },
		{ 4, EVIL_OWN, 0, 4, -ENOTSUP },
		{ UINT16_MAX, EVIL_OWN, 0, 4, -ENOTSUP },
		/* Other VFs' blocks and config spaces. */
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, GOOD_VF, 3, 8, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_READ, GOOD_VF, 0, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 2, 0x04, 2, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 3, 0x10, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, 999, 0x10, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_READ, UINT16_MAX, 0, 4, -EPERM },
		/* Bogus lengths. */
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, EVIL_OWN, 1, 0, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, EVIL_OWN, 1, VFBC_CHANNEL_BLOCK_SIZE + 1,
				-EMSGSIZE },
		{ VFBC_CHANNEL_REQ_CFG_READ, EVIL_OWN, 0, UINT32_MAX, -EMSGSIZE },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, EVIL_OWN, 0, 0x80000000u, -EMSGSIZE },
		/* Block ids with no slot. */
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, EVIL_OWN, 64, 4, -ENOENT },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, EVIL_OWN, 100000, 4, -ENOENT },
		{ VFBC_CHANNEL_REQ_BLOCK_WRITE, EVIL_OWN, UINT32_MAX, 4, -ENOENT },
		/* Config offsets out of range, or wrapping around 2^32. */
		{ VFBC_CHANNEL_REQ_CFG_READ, EVIL_OWN, VFBC_CHANNEL_CFG_SPACE_SIZE, 1, -ERANGE },
		{ VFBC_CHANNEL_REQ_CFG_READ, EVIL_OWN, VFBC_CHANNEL_CFG_SPACE_SIZE - 1, 2,
				-ERANGE },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, EVIL_OWN, UINT32_MAX - 15, 32, -ERANGE },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, EVIL_OWN, UINT32_MAX, 1, -ERANGE },
		/* Well formed, but the policy's: the VF's own BAR and IDs. */
		{ VFBC_CHANNEL_REQ_CFG_WRITE, EVIL_OWN, 0x10, 4, -EPERM },
		{ VFBC_CHANNEL_REQ_CFG_WRITE, EVIL_OWN, 0x00, 4, -EPERM },
	};
	int32_t want[RTE_DIM(cases)];
	struct vfbc_channel_req rec;
	unsigned int i, j, sent = 0, answered, wrong, accepted, base;
	uint64_t r;

	base = 0x40000000u + (unsigned int)rte_rand_max(1 << 20);
	for (i = 0; i < RTE_DIM(cases); i++) {
		/* Random payload: whatever the PF copies, it must not use it blindly. */
		for (j = 0; j < sizeof(rec.data); j += 8) {
			r = rte_rand();
			memcpy(rec.data + j, &r, 8);
		}
		rec.type = cases[i].type;
		rec.vf_id = cases[i].vf_id == EVIL_OWN ? EVIL_VF : (uint16_t)cases[i].vf_id;
		rec.req_id = base + i;
		rec.target = cases[i].target;
		rec.len = cases[i].len;
		want[i] = cases[i].want;
		/* The ring holds 32: answer as we go. */
		while (evil_push(&rec) != 0)
			usleep(100);
		sent++;
		evil_ring_doorbells(UINT64_C(1) << EVIL_VF);
	}
	evil_collect(want, sent, base, ANSWER_MS, &answered, &wrong, &accepted);
	mp_agent_send("records sent=%u answered=%u wrong=%u accepted=%u", sent, answered, wrong,
		      accepted);
}

/* Random bytes as records. */
static void
evil_garbage(unsigned int n)
{
	struct vfbc_channel_req rec;
	unsigned int i, j, sent = 0, answered, wrong, accepted;
	uint64_t r;

	for (i = 0; i < n; i++) {
		for (j = 0; j + 8 <= sizeof(rec); j += 8) {
			r = rte_rand();
			memcpy((uint8_t *)&rec + j, &r, 8);
		}
		/* Never a well-formed request by chance: an unknown type. */
		if (rec.type >= VFBC_CHANNEL_REQ_BLOCK_WRITE &&
				rec.type <= VFBC_CHANNEL_REQ_CFG_WRITE)
			rec.type = 0x7777;
		while (evil_push(&rec) != 0) {
			evil_ring_doorbells(UINT64_C(1) << EVIL_VF);
			evil_collect(NULL, UINT_MAX, 0, 1, &answered, &wrong, &accepted);
		}
		sent++;
		evil_ring_doorbells(UINT64_C(1) << EVIL_VF);
	}
	/* Answers to garbage carry garbage ids: only their statuses matter. */
	evil_collect(NULL, n, 0, ANSWER_MS, &answered, &wrong, &accepted);
	mp_agent_send("garbage sent=%u accepted=%u", sent, accepted);
}

/*
 * Wreck the indexes of its own rings: a request ring claiming ~2^31
 * records (all slots filled with invalid bytes first), the shared copies
 * of the PF's own indexes moved, a response ring whose consumer index is
 * garbage. Then ring every doorbell bit, of every VF and of VFs that do not
 * exist.
 */
static void
evil_indexes(void)
{
	struct vfbc_ring_shm *req, *resp;
	unsigned int answered, wrong, accepted;
	uint32_t c;

	req = evil_ring(evil_ch->req_ring_off);
	resp = evil_ring(evil_ch->resp_ring_off);
	memset(req + 1, 0xff, (size_t)VFBC_CHANNEL_REQ_RING_SIZE * sizeof(struct vfbc_channel_req));
	c = __atomic_load_n(&req->cons, __ATOMIC_RELAXED);
	__atomic_store_n(&req->prod, c + 0x7ffffff0u, __ATOMIC_RELEASE);
	evil_ring_doorbells(UINT64_MAX);
	evil_collect(NULL, 4096, 0, 300, &answered, &wrong, &accepted);
	mp_agent_send("huge count answered=%u", answered);

	/* The PF's own consumer index, moved by the VF: the PF never reads it back. */
	__atomic_store_n(&req->cons, (uint32_t)rte_rand(), __ATOMIC_RELEASE);
	__atomic_store_n(&req->prod, __atomic_load_n(&req->cons, __ATOMIC_RELAXED) + 5,
			 __ATOMIC_RELEASE);
	evil_ring_doorbells(UINT64_MAX);
	usleep(100000);
	/* Responses: the consumer side says anything. */
	__atomic_store_n(&resp->cons, (uint32_t)rte_rand(), __ATOMIC_RELEASE);
	__atomic_store_n(&resp->prod, (uint32_t)rte_rand(), __ATOMIC_RELEASE);
	evil_ring_doorbells(UINT64_MAX);
	/* What it reads back through its own wrecked indexes means nothing. */
	evil_collect(NULL, 4096, 0, 300, &answered, &wrong, &accepted);
	mp_agent_send("indexes answered=%u", answered);
}

/*
 * Attacks on words of E's area the PF must never trust (see the top of the
 * file). "pf-indexes-<ring>" moves the shared copy of the index the PF owns
 * on its request (cons), response (prod) or notify (prod) ring far away;
 * "notify-cons" moves the notify ring's consumer index so that it claims
 * more free slots than exist; "block-lock" holds the spinlock of its own
 * block 5's seqlock and asks the PF to write that block; "reclaim" wrecks
 * both rings, then drops and retakes its claim and must be served again.
 */
static void
evil_extra(const char *what)
{
	struct vfbc_ring_shm *req, *resp, *nfy;
	struct vfbc_channel_shm_vf *v;
	struct vfbc_channel_req rec;
	int ret;

	req = evil_ring(evil_ch->req_ring_off);
	resp = evil_ring(evil_ch->resp_ring_off);
	nfy = evil_ring(evil_ch->notify_ring_off);
	v = __vfbc_channel_vf(evil_ch, EVIL_VF);
	memset(&rec, 0, sizeof(rec));
	rec.type = 0x7777;
	/* Sane rings first (its earlier attacks wrecked them), then the attack. */
	ret = evil_reclaim();
	if (ret < 0) {
		mp_agent_send("error reclaim: %d", ret);
		return;
	}
	if (strcmp(what, "pf-indexes-req") == 0) {
		/* One malformed record to answer, behind a moved consumer copy. */
		evil_push(&rec);
		__atomic_store_n(&req->cons, 0x00100000u, __ATOMIC_RELEASE);
		evil_ring_doorbells(UINT64_C(1) << EVIL_VF);
	} else if (strcmp(what, "pf-indexes-resp") == 0) {
		__atomic_store_n(&resp->prod, 0x00100000u, __ATOMIC_RELEASE);
		evil_push(&rec);
		evil_ring_doorbells(UINT64_C(1) << EVIL_VF);
	} else if (strcmp(what, "pf-indexes-notify") == 0) {
		__atomic_store_n(&nfy->prod, 0x00100000u, __ATOMIC_RELEASE);
		__atomic_store_n(&v->notify.armed, 1, __ATOMIC_SEQ_CST);
	} else if (strcmp(what, "notify-cons") == 0) {
		__atomic_store_n(&nfy->cons, (uint32_t)rte_rand(), __ATOMIC_RELEASE);
		__atomic_store_n(&v->notify.armed, 1, __ATOMIC_SEQ_CST);
	} else if (strcmp(what, "block-lock") == 0) {
		rte_spinlock_lock(&v->blocks[5].lock.lock);
		rec.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
		rec.target = 5;
		rec.len = 1;
		ret = vfbc_channel_request_post(evil_ch, EVIL_VF, &rec);
		if (ret < 0) {
			mp_agent_send("error post: %d", ret);
			return;
		}
	} else if (strcmp(what, "reclaim") == 0) {
		__atomic_store_n(&req->prod, 0xdeadbeefu, __ATOMIC_RELEASE);
		__atomic_store_n(&resp->cons, 0x12345678u, __ATOMIC_RELEASE);
		ret = evil_reclaim();
		rec.type = VFBC_CHANNEL_REQ_BLOCK_WRITE;
		rec.target = 6;
		rec.len = 1;
		if (ret == 0)
			ret = vfbc_channel_request_post(evil_ch, EVIL_VF, &rec);
		if (ret < 0) {
			mp_agent_send("error reclaim/post: %d", ret);
			return;
		}
	} else {
		mp_agent_send("error unknown attack %s", what);
		return;
	}
	mp_agent_send("extra %s", what);
}

static int
mp_evil_vf(void)
{
	char line[MP_LINE_MAX], arg[64];
	unsigned int n;
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	evil_ch = vfbc_channel_attach(MP_PF_NAME);
	if (evil_ch == NULL) {
		mp_agent_send("error attach: %d", rte_errno);
		return TEST_FAILED;
	}
	/* It opens the VF's device file itself: a deliberate, not a buggy, process. */
	ret = test_mbox_claim(evil_ch, EVIL_VF);
	if (ret < 0) {
		mp_agent_send("error claim: %d", ret);
		return TEST_FAILED;
	}
	mp_agent_send("ready pid=%d", (int)getpid());
	while (mp_agent_recv(line, sizeof(line), 120000) >= 0) {
		if (strcmp(line, "records") == 0)
			evil_records();
		else if (sscanf(line, "garbage %u", &n) == 1)
			evil_garbage(n);
		else if (strcmp(line, "indexes") == 0)
			evil_indexes();
		else if (sscanf(line, "extra %63s", arg) == 1)
			evil_extra(arg);
		else if (strcmp(line, "quit") == 0)
			break;
		else
			mp_agent_send("error unknown command: %s", line);
	}
	/* Its rings are wrecked: it leaves the claim for the next consumer. */
	vfbc_channel_release(evil_ch, EVIL_VF);
	vfbc_channel_free(evil_ch);
	mp_agent_send("bye");
	return TEST_SUCCESS;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_evil_vf, mp_evil_vf);

/* ---- the PF side ---- */

static struct mp_world w;
static pthread_t server_thread;
static volatile int server_run;
static uint64_t server_beats;

/* The PF service, with a heartbeat: a hung poll shows as a still counter. */
static void *
server_main(void *arg __rte_unused)
{
	while (__atomic_load_n(&server_run, __ATOMIC_ACQUIRE)) {
		if (vfbc_pf_mbox_poll(w.pf_port, 32) <= 0)
			usleep(100);
		__atomic_fetch_add(&server_beats, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
server_alive(void)
{
	unsigned int i;
	uint64_t b;

	b = __atomic_load_n(&server_beats, __ATOMIC_RELAXED);
	for (i = 0; i < 1000; i++) {
		usleep(1000);
		if (__atomic_load_n(&server_beats, __ATOMIC_RELAXED) != b)
			return 1;
	}
	return 0;
}

#define CFG_MAX 4096

struct cfg_snap {
	uint8_t data[MP_MAX_VFS + 1][CFG_MAX];
	ssize_t len[MP_MAX_VFS + 1];
};

static struct cfg_snap snap_before, snap_after;

/* Attacks of evil_extra(), in the order the second case runs them. */
static const char * const evil_attacks[] = {
	"pf-indexes-req", "pf-indexes-resp", "pf-indexes-notify", "notify-cons",
	"block-lock", "reclaim",
};

/* Set by a mp_malicious_repro_* command: the one attack to run. */
static const char *evil_only;

static volatile int pf_write_done;
static int pf_write_ret;

static void *
pf_write_main(void *arg)
{
	uint8_t d[4] = { 1, 2, 3, 4 };

	pf_write_ret = vfbc_pf_write_config_block(w.pf_port, EVIL_VF, (uint32_t)(uintptr_t)arg,
						  d, sizeof(d));
	__atomic_store_n(&pf_write_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Does the PF application's own block write for the malicious VF return
 * (with 0)? A new block id >= 64 makes the PF bind an extra slot.
 */
static int
pf_write_returns(uint32_t block_id)
{
	pthread_t t;
	unsigned int i;

	__atomic_store_n(&pf_write_done, 0, __ATOMIC_RELEASE);
	if (pthread_create(&t, NULL, pf_write_main, (void *)(uintptr_t)block_id) != 0)
		return -1;
	for (i = 0; i < 2000 && !__atomic_load_n(&pf_write_done, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	if (!__atomic_load_n(&pf_write_done, __ATOMIC_ACQUIRE)) {
		pthread_detach(t);
		return 0;
	}
	pthread_join(t, NULL);
	if (pf_write_ret != 0) {
		printf("the PF's write of block %u for the malicious VF: %d\n", block_id,
		       pf_write_ret);
		return -1;
	}
	return 1;
}

static int
cfg_snapshot(struct cfg_snap *s)
{
	char path[PATH_MAX];
	unsigned int i;
	int fd;

	for (i = 0; i <= w.nb_vfs; i++) {
		snprintf(path, sizeof(path), "%s/devices/%s/config", vfbc_test_world_dir(),
			 i == 0 ? MP_PF_NAME : w.vf_name[i - 1]);
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			printf("cannot open %s\n", path);
			return -1;
		}
		s->len[i] = pread(fd, s->data[i], CFG_MAX, 0);
		close(fd);
		if (s->len[i] <= 0)
			return -1;
	}
	return 0;
}

/* The good VF: a block write, a config read, an invalidation. */
static int
good_vf_served(struct mp_child *g, unsigned int round)
{
	char rest[MP_LINE_MAX];
	uint64_t bit = UINT64_C(1) << (round % 64), cb;
	int ret;

	if (mp_child_send(g, "wblock 9 %02x %u", round & 0xff, REQ_MS) < 0 ||
			mp_child_expect(g, "ret", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d", &ret) != 1 || ret != 0) {
		printf("round %u: the good VF's block write got \"%s\"\n", round, rest);
		return -1;
	}
	if (mp_child_send(g, "rbus 0 2 %u", REQ_MS) < 0 ||
			mp_child_expect(g, "ret", rest, sizeof(rest), CMD_MS) < 0 ||
			sscanf(rest, "%d", &ret) != 1 || ret != 2) {
		printf("round %u: the good VF's config read got \"%s\"\n", round, rest);
		return -1;
	}
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, GOOD_VF, bit) != 0 ||
			mp_child_send(g, "poll %u %" PRIx64, CMD_MS, bit) < 0 ||
			mp_child_expect(g, "mask", rest, sizeof(rest), CMD_MS + 1000) < 0 ||
			sscanf(rest, "%" SCNx64, &cb) != 1 || cb != bit) {
		printf("round %u: the good VF's invalidation got \"%s\"\n", round, rest);
		return -1;
	}
	return 0;
}

static int
evil_expect(struct mp_child *e, const char *cmd, const char *word, char *rest, size_t size)
{
	if (mp_child_send(e, "%s", cmd) < 0 ||
			mp_child_expect(e, word, rest, size, CMD_MS) < 0) {
		printf("the malicious VF process did not run \"%s\"\n", cmd);
		return -1;
	}
	printf("malicious VF, %s: %s %s\n", cmd, word, rest);
	return 0;
}

/* Start the PF service, VF 1's agent and E; E's pid and VF 1's first round. */
static int
evil_start(struct mp_child *e, struct mp_child *g)
{
	char rest[MP_LINE_MAX], eal[64];

	memset(e, 0, sizeof(*e));
	memset(g, 0, sizeof(*g));
	e->pid = g->pid = -1;
	e->to_fd = e->from_fd = g->to_fd = g->from_fd = -1;
	if (cfg_snapshot(&snap_before) < 0)
		return -1;
	__atomic_store_n(&server_run, 1, __ATOMIC_RELEASE);
	if (pthread_create(&server_thread, NULL, server_main, NULL) != 0) {
		__atomic_store_n(&server_run, 0, __ATOMIC_RELEASE);
		return -1;
	}
	snprintf(eal, sizeof(eal), "-a %s", w.vf_name[GOOD_VF]);
	if (mp_child_spawn(g, "mp_vf_agent", eal, NULL) < 0 ||
			mp_child_expect(g, "ready", rest, sizeof(rest), START_MS) < 0 ||
			mp_child_spawn(e, "mp_evil_vf", "--no-pci", NULL) < 0 ||
			mp_child_expect(e, "ready", rest, sizeof(rest), START_MS) < 0) {
		printf("the VF processes did not start\n");
		return -1;
	}
	return good_vf_served(g, 0);
}

/*
 * The end of a case: the service still beats, nothing else moved (config
 * spaces of every function, VF 1's block 7), both VF processes exit
 * cleanly.
 */
static int
evil_finish(struct mp_child *e, struct mp_child *g, const uint8_t *mark, size_t mark_len)
{
	uint8_t blk[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel_stats st;
	unsigned int i;

	if (!server_alive()) {
		printf("the PF service is stuck\n");
		return -1;
	}
	if (vfbc_pf_mbox_stats(w.pf_port, EVIL_VF, &st) == 0)
		printf("PF counters of the malicious VF: requests accepted %" PRIu64
		       ", rejected %" PRIu64 ", responses %" PRIu64 ", response ring full %"
		       PRIu64 ", ring indexes out of bounds %" PRIu64 "\n", st.requests_accepted,
		       st.requests_rejected, st.responses, st.response_ring_full,
		       st.ring_corrupt);
	if (cfg_snapshot(&snap_after) < 0)
		return -1;
	for (i = 0; i <= w.nb_vfs; i++)
		if (snap_before.len[i] != snap_after.len[i] ||
				memcmp(snap_before.data[i], snap_after.data[i],
				       (size_t)snap_before.len[i]) != 0) {
			printf("the config space of %s changed\n",
			       i == 0 ? MP_PF_NAME : w.vf_name[i - 1]);
			return -1;
		}
	if (vfbc_pf_read_config_block(w.pf_port, GOOD_VF, 7, blk, sizeof(blk)) !=
			(int)mark_len || memcmp(blk, mark, mark_len) != 0) {
		printf("the good VF's block 7 changed\n");
		return -1;
	}
	if (mp_child_send(e, "quit") < 0 || mp_child_expect(e, "bye", NULL, 0, CMD_MS) < 0 ||
			mp_child_wait(e, CMD_MS) != 0 || mp_child_send(g, "quit") < 0 ||
			mp_child_expect(g, "bye", NULL, 0, CMD_MS) < 0 ||
			mp_child_wait(g, CMD_MS) != 0) {
		printf("a VF process did not exit cleanly\n");
		return -1;
	}
	return 0;
}

static void
evil_stop(struct mp_child *e, struct mp_child *g, int ret)
{
	mp_child_close(e);
	mp_child_close(g);
	if (__atomic_load_n(&server_run, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&server_run, 0, __ATOMIC_RELEASE);
		/* A service stuck in a poll would never join: leave it to the exit. */
		if (ret == TEST_SUCCESS)
			pthread_join(server_thread, NULL);
		else
			pthread_detach(server_thread);
	}
}

static int
test_mp_malicious_vf_gets_only_rejections(void)
{
	static const uint8_t mark[16] = "good VF block 7";
	unsigned int sent, answered, wrong, accepted, i;
	struct vfbc_channel_stats st0, st;
	char rest[MP_LINE_MAX];
	struct mp_child e, g;
	int ret = TEST_FAILED;

	if (vfbc_pf_write_config_block(w.pf_port, GOOD_VF, 7, mark, sizeof(mark)) != 0 ||
			evil_start(&e, &g) < 0)
		goto out;

	/* Malformed records: each answered with its own rejection. */
	if (evil_expect(&e, "records", "records", rest, sizeof(rest)) < 0 ||
			sscanf(rest, "sent=%u answered=%u wrong=%u accepted=%u", &sent, &answered,
			       &wrong, &accepted) != 4)
		goto out;
	if (answered != sent || wrong != 0 || accepted != 0) {
		printf("malformed records: %u sent, %u answered, %u wrong, %u accepted\n", sent,
		       answered, wrong, accepted);
		goto out;
	}
	if (good_vf_served(&g, 1) < 0)
		goto out;

	/* Random bytes: rejections only. */
	if (evil_expect(&e, "garbage 2000", "garbage", rest, sizeof(rest)) < 0 ||
			sscanf(rest, "sent=%u accepted=%u", &sent, &accepted) != 2)
		goto out;
	if (accepted != 0) {
		printf("%u garbage records were accepted\n", accepted);
		goto out;
	}
	if (good_vf_served(&g, 2) < 0)
		goto out;

	/*
	 * Garbage indexes and doorbells: rejections or silence, the PF goes
	 * on. Every slot holds invalid bytes, so whatever the indexes make the
	 * PF dequeue, it must accept nothing; indexes claiming more entries
	 * than the ring holds are refused and counted.
	 */
	if (vfbc_pf_mbox_stats(w.pf_port, EVIL_VF, &st0) != 0 ||
			evil_expect(&e, "indexes", "huge", rest, sizeof(rest)) < 0 ||
			mp_child_expect(&e, "indexes", rest, sizeof(rest), CMD_MS) < 0) {
		printf("after index corruption: \"%s\"\n", rest);
		goto out;
	}
	printf("malicious VF, after index corruption: %s\n", rest);
	for (i = 3; i < 20; i++)
		if (good_vf_served(&g, i) < 0)
			goto out;
	if (vfbc_pf_mbox_stats(w.pf_port, EVIL_VF, &st) != 0 ||
			st.requests_accepted != st0.requests_accepted) {
		printf("the PF accepted %" PRIu64 " requests from wrecked rings\n",
		       st.requests_accepted - st0.requests_accepted);
		goto out;
	}
	if (st.ring_corrupt == st0.ring_corrupt) {
		printf("a request ring claiming 2^31 records was not counted as corrupt\n");
		goto out;
	}
	if (evil_finish(&e, &g, mark, sizeof(mark)) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	evil_stop(&e, &g, ret);
	return ret;
}

/* Wait (at most ms) until a counter of the malicious VF passes a value. */
static int
evil_counter_passes(size_t field, uint64_t value, unsigned int ms)
{
	struct vfbc_channel_stats st;
	unsigned int i;
	uint64_t v;

	for (i = 0; i < ms; i++) {
		if (vfbc_pf_mbox_stats(w.pf_port, EVIL_VF, &st) != 0)
			return 0;
		memcpy(&v, (const uint8_t *)&st + field, sizeof(v));
		if (v > value)
			return 1;
		usleep(1000);
	}
	return 0;
}

static int
test_mp_malicious_vf_cannot_stop_pf_through_its_own_area(void)
{
	static const uint8_t mark[16] = "good VF block 7";
	uint8_t blk[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel_stats st0;
	char rest[MP_LINE_MAX], cmd[64];
	struct mp_child e, g;
	unsigned int a, i, round = 1;
	const char *attack;
	int ret = TEST_FAILED;

	if (vfbc_pf_write_config_block(w.pf_port, GOOD_VF, 7, mark, sizeof(mark)) != 0 ||
			evil_start(&e, &g) < 0)
		goto out;
	for (a = 0; a < RTE_DIM(evil_attacks); a++) {
		attack = evil_only != NULL ? evil_only : evil_attacks[a];
		if (vfbc_pf_mbox_stats(w.pf_port, EVIL_VF, &st0) != 0)
			goto out;
		snprintf(cmd, sizeof(cmd), "extra %.40s", attack);
		if (evil_expect(&e, cmd, "extra", rest, sizeof(rest)) < 0)
			goto out;
		for (i = 0; i < 3; i++, round++) {
			/* The PF invalidates the malicious VF too: its notify ring. */
			if (vfbc_pf_invalidate_config_blocks(w.pf_port, EVIL_VF, 1) != 0 ||
					good_vf_served(&g, round) < 0) {
				printf("after attack %s\n", attack);
				goto out;
			}
		}
		/* A new extra block id per attack, so that each one binds. */
		if (pf_write_returns(200 + a) != 1) {
			printf("after attack %s, the PF's block write for the malicious VF "
			       "does not return\n", attack);
			goto out;
		}
		if (!server_alive()) {
			printf("after attack %s, the PF service is stuck\n", attack);
			goto out;
		}
		/* What the PF can detect, it counts; what it must do, it did. */
		if (strcmp(attack, "notify-cons") == 0 &&
				!evil_counter_passes(offsetof(struct vfbc_channel_stats,
							      ring_corrupt), st0.ring_corrupt,
						     2000)) {
			printf("a notify consumer index out of bounds was not counted\n");
			goto out;
		}
		if (strncmp(attack, "pf-indexes-", 11) == 0 && strcmp(attack + 11, "notify") != 0 &&
				!evil_counter_passes(offsetof(struct vfbc_channel_stats,
							      requests_rejected),
						     st0.requests_rejected, 2000)) {
			printf("the record behind a moved PF index was not answered\n");
			goto out;
		}
		if (strcmp(attack, "reclaim") == 0 &&
				(!evil_counter_passes(offsetof(struct vfbc_channel_stats,
							       requests_accepted),
						      st0.requests_accepted, 2000) ||
				 vfbc_pf_read_config_block(w.pf_port, EVIL_VF, 6, blk,
							   sizeof(blk)) != 1)) {
			printf("after a reclaim, the VF's write of block 6 was not served\n");
			goto out;
		}
		if (strcmp(attack, "block-lock") == 0) {
			if (!evil_counter_passes(offsetof(struct vfbc_channel_stats,
							  requests_accepted),
						 st0.requests_accepted, 2000) ||
					vfbc_pf_read_config_block(w.pf_port, EVIL_VF, 5, blk,
								  sizeof(blk)) != 1) {
				printf("the VF's write of block 5 was not served\n");
				goto out;
			}
		}
		printf("attack %s survived\n", attack);
		if (evil_only != NULL)
			break;
	}
	if (evil_finish(&e, &g, mark, sizeof(mark)) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	evil_stop(&e, &g, ret);
	return ret;
}

static int
evil_setup(void)
{
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs >= 2, "the world has %u VFs, want 2", w.nb_vfs);
	return TEST_SUCCESS;
}

static struct unit_test_suite mp_malicious_suite = {
	.suite_name = "mp: a malicious VF against the PF mailbox",
	.setup = evil_setup,
	.unit_test_cases = {
		TEST_CASE(test_mp_malicious_vf_gets_only_rejections),
		TEST_CASE(test_mp_malicious_vf_cannot_stop_pf_through_its_own_area),
		TEST_CASES_END()
	}
};

static int
test_mp_malicious(void)
{
	return unit_test_suite_runner(&mp_malicious_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_malicious_autotest, test_mp_malicious, EVIL_WORLD_OPTS,
				  "mp");

static struct unit_test_suite mp_malicious_repro_suite = {
	.suite_name = "mp: one attack of a malicious VF on its own area",
	.setup = evil_setup,
	.unit_test_cases = {
		TEST_CASE(test_mp_malicious_vf_cannot_stop_pf_through_its_own_area),
		TEST_CASES_END()
	}
};

/*
 * One attack of the second case alone, to reproduce a failure of it: the
 * names are those the hidden reproducers had before the PF survived them.
 */
#define EVIL_REPRO(name, attack) \
	static int \
	test_mp_malicious_repro_##name(void) \
	{ \
		evil_only = attack; \
		return unit_test_suite_runner(&mp_malicious_repro_suite); \
	} \
	REGISTER_HIDDEN_WORLD_TEST_COMMAND(mp_malicious_repro_##name, \
					   test_mp_malicious_repro_##name, EVIL_WORLD_OPTS)

EVIL_REPRO(pf_indexes_req, "pf-indexes-req");
EVIL_REPRO(pf_indexes_resp, "pf-indexes-resp");
EVIL_REPRO(pf_indexes_notify, "pf-indexes-notify");
EVIL_REPRO(notify_cons, "notify-cons");
EVIL_REPRO(block_lock, "block-lock");
EVIL_REPRO(reclaim, "reclaim");
