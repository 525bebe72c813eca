/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF's side of the request path against a VF that writes anything into
 * its own area (vfbc_channel.h, "Trust").
 *
 * A channel of 2-4 VFs lives in plain memory between guard pages (no EAL).
 * VF 0's claim is granted to this process through an attached handle, the
 * VF's; the other slots get fixed contents. The input is then a sequence of
 * steps: the hostile VF writing bytes of its area (request slots, the
 * indexes of each ring, the doorbell words, the claim word, the notify
 * line, extra block slots, anywhere), the PF calls (doorbell scan, sweep,
 * dequeue, respond, invalidate, block write and read, grant, revoke) and
 * the VF's library calls (claim, release, post, poll, response poll, block
 * read).
 *
 * Every library call is checked against a model of the contract, kept by
 * this file: the PF's private ring indexes and grant, the VF handle's. The
 * model predicts the return value, the record returned, and the image of
 * VF 0's area and of the doorbell words after the call, byte for byte
 * (counters included). So, beyond "no crash":
 * - a request dequeued passes vfbc_channel_request_validate(), names VF 0,
 *   has len 1..128 (config: target + len <= 4096), and is the record at the
 *   PF's own index, taken only while the claim word is the one granted;
 * - every record the PF consumes is counted once, as accepted, rejected
 *   (and answered with the contract's error) or unclaimed, and only records
 *   between the PF's index and the VF's published one (at most a ring), so
 *   accepted + rejected + unclaimed never exceed what the VF published;
 * - ring_corrupt counts exactly the operations that found an index out of
 *   bounds;
 * - nothing outside VF 0's area changes but the doorbell words (header and
 *   other VFs compared after every step), and nothing is read or written
 *   outside the channel (guard pages, ASan poison around it);
 * - an accepted request can always be answered at once.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NB_VFS_MIN 2
#define NB_VFS_MAX 4
#define STEPS_MAX 256
#define REQ_SIZE VFBC_CHANNEL_REQ_RING_SIZE
#define RESP_SIZE VFBC_CHANNEL_RESP_RING_SIZE
#define NOTIFY_SIZE VFBC_CHANNEL_NOTIFY_RING_SIZE
#define EXTRA_FIRST VFBC_CHANNEL_NB_BLOCKS
#define NB_SLOTS (VFBC_CHANNEL_NB_BLOCKS + VFBC_CHANNEL_NB_EXTRA_BLOCKS)
#define PID_MASK UINT64_C(0xffffffff)
/* Largest buffer of a block read step: beyond a block, to see the length win. */
#define READ_BUF_MAX (VFBC_CHANNEL_BLOCK_SIZE + 16)

/* The PF's process-local state of VF 0, as the contract makes it evolve. */
struct pf_model {
	uint32_t req_cons;    /* request ring: records the PF consumed */
	uint32_t resp_prod;   /* response ring: records the PF published */
	uint32_t notify_prod; /* notify ring: doorbells the PF published */
	uint64_t granted;     /* claim word granted and served, 0: none */
	uint64_t consumed;    /* records taken from the request ring, all told */
	uint32_t grant_seq;   /* bumped by every grant and revoke */
	uint32_t resync_due;  /* a revoke took a holder's claim: the next grant resyncs */
	/* Requests dequeued, not answered: an answer under a later grant is stale. */
	struct {
		uint32_t req_id;
		uint32_t grant_seq;
		uint32_t live;
	} inflight[VFBC_CHANNEL_INFLIGHT_MAX];
	/* The PF's own copy of VF 0's block slots: its reads, its extra slots. */
	struct {
		uint32_t id;
		uint32_t len;
		int valid;
		uint8_t data[VFBC_CHANNEL_BLOCK_SIZE];
	} blk[NB_SLOTS];
};

/* The VF handle's process-local state of VF 0. */
struct vf_model {
	uint64_t held;        /* claim word held, 0: none */
	uint32_t req_prod;
	uint32_t resp_cons;
	uint32_t notify_cons;
};

struct fc {
	struct fuzz_region region;
	uint8_t *base;
	size_t size;
	uint16_t nb_vfs;
	struct vfbc_channel *pf;       /* the creating handle (the PF) */
	struct vfbc_channel *vf;       /* an attached handle (VF 0's process) */
	struct vfbc_channel_shm_hdr *hdr;
	struct vfbc_channel_shm_vf *v;      /* VF 0's area */
	struct vfbc_ring_shm *rn, *rq, *rs;
	uint32_t vf_size;
	uint8_t *pre;                  /* VF 0's area as a step must leave it */
	uint8_t *snap;                 /* the whole channel after setup */
	uint64_t db_want[VFBC_CHANNEL_DOORBELL_WORDS];
	int sweep_other[NB_VFS_MAX];   /* what a sweep finds in VFs 1.. */
	struct pf_model m;
	struct vf_model vm;
	struct vfbc_channel_req last;       /* last request dequeued, to answer */
	int have_last;
	int stats_scribbled;           /* the VF wrote over its PF counters */
	const char *step;              /* for reports */
	unsigned int step_no;
};

static struct fc fc;

/* The place in the expected image of what p is in VF 0's area. */
#define PRE(f, p) \
	((__typeof__(p))(void *)((f)->pre + ((const uint8_t *)(p) - (const uint8_t *)(f)->v)))

static struct vfbc_channel_req *
req_slot(struct vfbc_ring_shm *r, uint32_t idx)
{
	return (struct vfbc_channel_req *)(void *)(r + 1) + (idx & (REQ_SIZE - 1));
}

static struct vfbc_channel_resp *
resp_slot(struct vfbc_ring_shm *r, uint32_t idx)
{
	return (struct vfbc_channel_resp *)(void *)(r + 1) + (idx & (RESP_SIZE - 1));
}

static struct vfbc_channel_notify_elem *
notify_slot(struct vfbc_ring_shm *r, uint32_t idx)
{
	return (struct vfbc_channel_notify_elem *)(void *)(r + 1) + (idx & (NOTIFY_SIZE - 1));
}

/* Name of the part of VF 0's area at off, for reports. */
static const char *
area_part(const struct fc *f, size_t off)
{
	const uint8_t *a = (const uint8_t *)f->v;

	if (off < offsetof(struct vfbc_channel_shm_vf, pf))
		return "notify line";
	if (off < offsetof(struct vfbc_channel_shm_vf, consumer))
		return "PF lines";
	if (off < offsetof(struct vfbc_channel_shm_vf, blocks))
		return "consumer lines";
	if (off < sizeof(struct vfbc_channel_shm_vf))
		return "block slots";
	if (off < (size_t)((const uint8_t *)f->rq - a))
		return "notify ring";
	if (off < (size_t)((const uint8_t *)f->rs - a))
		return "request ring";
	return "response ring";
}

/*
 * Header and VFs 1..: as setup left them, whatever the step, but for the
 * doorbells and the life generation (the PF's count of grants, revokes
 * and life posts: it only moves forward).
 */
static void
check_others(const struct fc *f)
{
	size_t lg = offsetof(struct vfbc_channel_shm_hdr, life_gen);
	size_t lg_end = lg + sizeof(f->hdr->life_gen);
	size_t db = offsetof(struct vfbc_channel_shm_hdr, doorbell);
	size_t db_end = db + sizeof(f->hdr->doorbell);
	size_t vf0 = (const uint8_t *)f->v - f->base;
	size_t vf1 = vf0 + f->vf_size;
	uint32_t gen0;

	RTE_BUILD_BUG_ON(offsetof(struct vfbc_channel_shm_hdr, life_gen) >=
			 offsetof(struct vfbc_channel_shm_hdr, doorbell));
	memcpy(&gen0, f->snap + lg, sizeof(gen0));
	FUZZ_CHECK(memcmp(f->base, f->snap, lg) == 0 &&
		memcmp(f->base + lg_end, f->snap + lg_end, db - lg_end) == 0 &&
		memcmp(f->base + db_end, f->snap + db_end, vf0 - db_end) == 0,
		"step %u (%s): the channel header changed", f->step_no, f->step);
	FUZZ_CHECK((int32_t)(f->hdr->life_gen - gen0) >= 0,
		"step %u (%s): the life generation went back", f->step_no, f->step);
	FUZZ_CHECK(memcmp(f->base + vf1, f->snap + vf1, f->size - vf1) == 0,
		"step %u (%s): another VF's area changed", f->step_no, f->step);
}

/* Before a library call: the image to expect starts as the area is now. */
static void
call_begin(struct fc *f, const char *what)
{
	f->step = what;
	memcpy(f->pre, f->v, f->vf_size);
	memcpy(f->db_want, f->hdr->doorbell, sizeof(f->db_want));
}

/* After it: VF 0's area and the doorbells are exactly the model's image. */
static void
call_end(const struct fc *f)
{
	const uint8_t *a = (const uint8_t *)f->v;
	size_t i;

	if (memcmp(f->pre, a, f->vf_size) != 0) {
		for (i = 0; i < f->vf_size && f->pre[i] == a[i]; i++)
			;
		FUZZ_CHECK(0, "step %u (%s): VF 0's area at +%zu (%s): 0x%02x, expected 0x%02x",
			f->step_no, f->step, i, area_part(f, i), a[i], f->pre[i]);
	}
	for (i = 0; i < RTE_DIM(f->db_want); i++)
		FUZZ_CHECK(f->hdr->doorbell[i] == f->db_want[i],
			"step %u (%s): doorbell word %zu 0x%" PRIx64 ", expected 0x%" PRIx64,
			f->step_no, f->step, i, f->hdr->doorbell[i], f->db_want[i]);
	check_others(f);
}

/* Slot of block_id in the image (the same as in memory during a call), or -1. */
static int
model_block_slot(const struct fc *f, uint32_t block_id)
{
	const struct vfbc_channel_shm_vf *v =
		(const struct vfbc_channel_shm_vf *)(const void *)f->pre;
	int i;

	if (block_id < VFBC_CHANNEL_NB_BLOCKS)
		return (int)block_id;
	for (i = EXTRA_FIRST; i < NB_SLOTS; i++)
		if (v->blocks[i].bound != 0 && v->blocks[i].block_id == block_id)
			return i;
	return -1;
}

/*
 * Slot of block_id in the PF's own copy, or -1; with bind, an id without
 * one takes the first free extra slot.
 */
static int
model_pf_slot(const struct fc *f, uint32_t block_id, int bind)
{
	int i, free_slot = -1;

	if (block_id < VFBC_CHANNEL_NB_BLOCKS)
		return (int)block_id;
	for (i = EXTRA_FIRST; i < NB_SLOTS; i++) {
		if (f->m.blk[i].valid && f->m.blk[i].id == block_id)
			return i;
		if (!f->m.blk[i].valid && free_slot < 0)
			free_slot = i;
	}
	return bind ? free_slot : -1;
}

/* vfbc_channel_request_validate()'s contract for a record of VF 0's ring. */
static int
model_validate(const struct fc *f, const struct vfbc_channel_req *r, int pf_side)
{
	if (r->type != VFBC_CHANNEL_REQ_BLOCK_WRITE && r->type != VFBC_CHANNEL_REQ_CFG_READ &&
			r->type != VFBC_CHANNEL_REQ_CFG_WRITE)
		return -ENOTSUP;
	if (r->vf_id != 0)
		return -EPERM;
	if (r->len == 0 || r->len > VFBC_CHANNEL_BLOCK_SIZE)
		return -EMSGSIZE;
	/*
	 * The PF validates block ids against its own copy; the VF's post,
	 * against the slots of its own area, whatever it wrote there (the
	 * PF checks again).
	 */
	if (r->type == VFBC_CHANNEL_REQ_BLOCK_WRITE) {
		if (pf_side)
			return model_pf_slot(f, r->target, 0) < 0 ? -ENOENT : 0;
		return model_block_slot(f, r->target) < 0 ? -ENOENT : 0;
	}
	if (r->target >= VFBC_CHANNEL_CFG_SPACE_SIZE ||
			r->len > VFBC_CHANNEL_CFG_SPACE_SIZE - r->target)
		return -ERANGE;
	return 0;
}

/* The PF's answer to req, enqueued (or refused) as the contract says. */
static int
model_respond(struct fc *f, const struct vfbc_channel_req *req, int32_t status, const void *data,
		uint32_t len)
{
	struct vfbc_channel_shm_vf *v = f->v;
	struct vfbc_channel_resp *slot;
	uint32_t used;

	used = f->m.resp_prod - PRE(f, f->rs)->cons;
	if (used > RESP_SIZE) {
		(*PRE(f, &v->pf.ring_corrupt))++;
		return -EPROTO;
	}
	if (used == RESP_SIZE) {
		(*PRE(f, &v->pf.stats.response_ring_full))++;
		return -ENOBUFS;
	}
	slot = PRE(f, resp_slot(f->rs, f->m.resp_prod));
	memset(slot, 0, sizeof(*slot));
	slot->type = req->type;
	slot->vf_id = 0;
	slot->req_id = req->req_id;
	slot->status = status;
	slot->len = len;
	if (len != 0)
		memcpy(slot->data, data, len);
	f->m.resp_prod++;
	PRE(f, f->rs)->prod = f->m.resp_prod;
	(*PRE(f, &v->pf.stats.responses))++;
	return 0;
}

/* The PF's requests in flight: the live entry of req_id (live 1), or a free one (live 0). */
static int
model_inflight_find(const struct fc *f, uint32_t live, uint32_t req_id)
{
	unsigned int i;

	for (i = 0; i < VFBC_CHANNEL_INFLIGHT_MAX; i++) {
		if (f->m.inflight[i].live != live)
			continue;
		if (!live || f->m.inflight[i].req_id == req_id)
			return (int)i;
	}
	return -1;
}

/*
 * vfbc_channel_respond(ch, 0, req, ...): an answer to a request not in
 * flight (dequeued under an earlier grant, answered, never dequeued) is
 * dropped (-ESTALE); any other is model_respond's.
 */
static int
model_respond_api(struct fc *f, const struct vfbc_channel_req *req, int32_t status,
		  const void *data, uint32_t len)
{
	int i = model_inflight_find(f, 1, req->req_id);
	int ret;

	if (i < 0 || f->m.inflight[i].grant_seq != f->m.grant_seq) {
		/* Counted when the grant or revoke dropped it, if it was in flight. */
		if (i >= 0)
			f->m.inflight[i].live = 0;
		return -ESTALE;
	}
	ret = model_respond(f, req, status, data, len);
	/* Kept on failure: the answer may be given again. */
	if (ret == 0)
		f->m.inflight[i].live = 0;
	return ret;
}

/* A grant or a revoke: what was in flight is nobody's, counted as dropped answers. */
static void
model_inflight_drop(struct fc *f)
{
	unsigned int i;

	f->m.grant_seq++;
	for (i = 0; i < VFBC_CHANNEL_INFLIGHT_MAX; i++) {
		if (f->m.inflight[i].live)
			(*PRE(f, &f->v->pf.responses_dropped))++;
		f->m.inflight[i].live = 0;
	}
}

/* vfbc_channel_request_dequeue(ch, 0): returns what it must; *want the request. */
static int
model_dequeue(struct fc *f, struct vfbc_channel_req *want)
{
	struct vfbc_channel_shm_vf *v = f->v;
	uint32_t prod = PRE(f, f->rq)->prod;
	struct vfbc_channel_req rec;
	uint32_t n, used;
	unsigned int i;
	int err, slot;

	if (f->m.granted == 0 || *PRE(f, &v->consumer.claim) != f->m.granted) {
		/* Nobody the PF granted: the records are dropped, never served. */
		n = prod - f->m.req_cons;
		if (n > REQ_SIZE) {
			(*PRE(f, &v->pf.ring_corrupt))++;
		} else if (n != 0) {
			*PRE(f, &v->pf.requests_unclaimed) += n;
			f->m.req_cons = prod;
			PRE(f, f->rq)->cons = prod;
			f->m.consumed += n;
		}
		return 0;
	}
	for (i = 0; i < REQ_SIZE; i++) {
		/* As many in flight as the PF may hold: nothing is taken. */
		slot = model_inflight_find(f, 0, 0);
		if (slot < 0)
			break;
		used = f->m.resp_prod - PRE(f, f->rs)->cons;
		if (used > RESP_SIZE) {
			(*PRE(f, &v->pf.ring_corrupt))++;
			break;
		}
		/* No room to answer: nothing is taken. */
		if (used == RESP_SIZE)
			break;
		n = prod - f->m.req_cons;
		if (n == 0)
			break;
		if (n > REQ_SIZE) {
			(*PRE(f, &v->pf.ring_corrupt))++;
			break;
		}
		rec = *PRE(f, req_slot(f->rq, f->m.req_cons));
		f->m.req_cons++;
		PRE(f, f->rq)->cons = f->m.req_cons;
		f->m.consumed++;
		err = model_validate(f, &rec, 1);
		if (err == 0 && model_inflight_find(f, 1, rec.req_id) >= 0)
			err = -EEXIST;
		if (err == 0) {
			(*PRE(f, &v->pf.stats.requests_accepted))++;
			f->m.inflight[slot].req_id = rec.req_id;
			f->m.inflight[slot].grant_seq = f->m.grant_seq;
			f->m.inflight[slot].live = 1;
			*want = rec;
			n = prod - f->m.req_cons;
			if (n != 0 && n <= REQ_SIZE)
				f->db_want[0] |= 1;
			return 1;
		}
		(*PRE(f, &v->pf.stats.requests_rejected))++;
		model_respond(f, &rec, err, NULL, 0);
	}
	return 0;
}

/* vfbc_channel_claim_grant(ch, 0, pid): the return value; the image and model follow. */
static int
model_grant(struct fc *f, int32_t pid)
{
	struct vfbc_channel_shm_vf *v = f->v;
	uint64_t cur = *PRE(f, &v->consumer.claim);
	int32_t holder = (int32_t)(cur & PID_MASK);
	uint32_t n;
	uint64_t next;

	/* Every holder this file grants to (itself, its parent) is alive. */
	if (f->m.granted != 0 && cur == f->m.granted) {
		(*PRE(f, &v->pf.claims_refused))++;
		return holder == pid ? -EALREADY : -EBUSY;
	}
	next = ((uint64_t)((uint32_t)(cur >> 32) + 1) << 32) | (uint32_t)pid;
	/* What the reset drops is counted; indexes out of bounds count nothing. */
	n = PRE(f, f->rq)->prod - f->m.req_cons;
	if (n <= REQ_SIZE)
		*PRE(f, &v->pf.requests_dropped) += n;
	n = f->m.resp_prod - PRE(f, f->rs)->cons;
	if (n <= RESP_SIZE)
		*PRE(f, &v->pf.responses_dropped) += n;
	PRE(f, f->rq)->prod = f->m.req_cons;
	PRE(f, f->rq)->cons = f->m.req_cons;
	PRE(f, f->rs)->prod = f->m.resp_prod;
	PRE(f, f->rs)->cons = f->m.resp_prod;
	model_inflight_drop(f);
	if (holder != 0)
		(*PRE(f, &v->consumer.stats.takeovers))++;
	/* A dead holder's, or a revoked one's: the new holder gets every block. */
	if (holder != 0 || f->m.resync_due) {
		*PRE(f, &v->consumer.resync) = (uint32_t)(next >> 32) != 0 ?
				(uint32_t)(next >> 32) : 1;
		f->m.resync_due = 0;
	}
	(*PRE(f, &v->consumer.stats.claims))++;
	/* The doorbell is armed for the new holder. */
	*PRE(f, &v->notify.armed) = 1;
	*PRE(f, &v->pf.claim_verified) = next;
	*PRE(f, &v->consumer.claim) = next;
	f->m.granted = next;
	return holder != 0;
}

/* Does the VF handle hold VF 0 (the claim word in the image is its own)? */
static int
model_holds(const struct fc *f)
{
	return f->vm.held != 0 && f->vm.held == *PRE(f, &f->v->consumer.claim);
}

/* A block read through a handle: its return value, the data in want. */
static int
model_block_read(const struct fc *f, int pf_side, uint32_t block_id, uint32_t buf_len,
		uint8_t *want)
{
	const struct vfbc_channel_shm_block *b;
	uint32_t len;
	int s;

	if (pf_side) {
		/* The PF reads its own copy: nothing the VF wrote. */
		s = model_pf_slot(f, block_id, 0);
		if (s < 0 || !f->m.blk[s].valid)
			return -ENOENT;
		if (f->m.blk[s].len > buf_len)
			return -ENOBUFS;
		memcpy(want, f->m.blk[s].data, f->m.blk[s].len);
		return (int)f->m.blk[s].len;
	}
	if (!model_holds(f))
		return -EPERM;
	s = model_block_slot(f, block_id);
	if (s < 0)
		return -ENOENT;
	b = &((const struct vfbc_channel_shm_vf *)(const void *)f->pre)->blocks[s];
	/* Odd: a writer is inside, for every one of the reader's attempts. */
	if (b->lock.count.sn & 1)
		return -EAGAIN;
	if (b->state != VFBC_CHANNEL_BLOCK_VALID)
		return -ENOENT;
	len = RTE_MIN(b->len, (uint32_t)VFBC_CHANNEL_BLOCK_SIZE);
	if (len > buf_len)
		return -ENOBUFS;
	memcpy(want, b->data, len);
	return (int)len;
}

/* --- the hostile VF: writes into its own area ------------------------------- */

/* A new value for a ring index: raw, near the current one, near the PF's. */
static uint32_t
index_value(struct fuzz_in *in, uint32_t cur, uint32_t pf_index)
{
	uint8_t mode;
	int8_t delta;

	mode = fuzz_u8(in);
	delta = (int8_t)fuzz_u8(in);
	switch (mode % 4) {
	case 0:
		return fuzz_u32(in);
	case 1:
		return cur + (uint32_t)(int32_t)delta;
	case 2:
		return pf_index + (uint32_t)(int32_t)delta;
	default:
		return cur ^ (UINT32_C(1) << (fuzz_u8(in) % 32));
	}
}

static void
vf_write(struct fc *f, size_t off, const void *src, size_t len)
{
	size_t pf_lo = offsetof(struct vfbc_channel_shm_vf, pf);
	size_t pf_hi = offsetof(struct vfbc_channel_shm_vf, consumer);

	if (off >= f->vf_size)
		return;
	len = RTE_MIN(len, f->vf_size - off);
	memcpy((uint8_t *)f->v + off, src, len);
	if (off < pf_hi && off + len > pf_lo)
		f->stats_scribbled = 1;
}

static size_t
area_off(const struct fc *f, const void *p)
{
	return (size_t)((const uint8_t *)p - (const uint8_t *)f->v);
}

/* A record written straight into the request ring, published or not. */
static void
vf_write_record(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_req rec;
	uint32_t prod = f->rq->prod;
	uint8_t how, type;

	how = fuzz_u8(in);
	type = fuzz_u8(in);
	memset(&rec, 0, sizeof(rec));
	/* Mostly well-formed fields, so that the PF gets past the first checks. */
	rec.type = type < 200 ? type % 4 : fuzz_u16(in);
	rec.vf_id = (how & 1) != 0 ? fuzz_u16(in) : 0;
	rec.req_id = fuzz_u32(in);
	rec.target = (how & 2) != 0 ? fuzz_u32(in) : fuzz_u16(in) % 80;
	rec.len = (how & 4) != 0 ? fuzz_u32(in) : 1 + fuzz_u8(in) % 128;
	fuzz_bytes(in, rec.data, 8);
	vf_write(f, area_off(f, req_slot(f->rq, prod + fuzz_u8(in) % 2)), &rec, sizeof(rec));
	if ((how & 8) == 0) {
		prod++;
		vf_write(f, area_off(f, &f->rq->prod), &prod, sizeof(prod));
	}
}

static void
step_vf_write(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_ring_shm *rings[3] = { f->rn, f->rq, f->rs };
	uint32_t pf_index[3] = { f->m.notify_prod, f->m.req_cons, f->m.resp_prod };
	uint8_t buf[32];
	struct vfbc_ring_shm *r;
	uint8_t what, a;
	uint64_t w;
	uint32_t x;
	size_t len;

	f->step = "VF writes";
	what = fuzz_u8(in);
	a = fuzz_u8(in);
	len = 1 + fuzz_u8(in) % sizeof(buf);
	switch (what % 10) {
	case 0: /* bytes of a request slot */
		fuzz_bytes(in, buf, len);
		vf_write(f, area_off(f, req_slot(f->rq, a)) + fuzz_u8(in) %
				sizeof(struct vfbc_channel_req), buf, len);
		break;
	case 1: /* a whole record */
		vf_write_record(f, in);
		break;
	case 2: /* a shared index of a ring */
		r = rings[a % 3];
		if ((a & 4) == 0) {
			x = index_value(in, r->prod, pf_index[a % 3]);
			vf_write(f, area_off(f, &r->prod), &x, sizeof(x));
		} else {
			x = index_value(in, r->cons, pf_index[a % 3]);
			vf_write(f, area_off(f, &r->cons), &x, sizeof(x));
		}
		break;
	case 3: /* the claim word */
		switch (a % 6) {
		case 0:
			w = fuzz_u64(in);
			break;
		case 1:
			w = f->m.granted;
			break;
		case 2:
			w = f->m.granted ^ (UINT64_C(1) << (fuzz_u8(in) % 64));
			break;
		case 3:
			w = 0;
			break;
		case 4:
			w = f->vm.held;
			break;
		default:
			w = (f->m.granted & ~PID_MASK) | (uint32_t)getppid();
			break;
		}
		vf_write(f, area_off(f, &f->v->consumer.claim), &w, sizeof(w));
		break;
	case 4: /* the notify line: pending, armed */
		fuzz_bytes(in, buf, len);
		vf_write(f, a % sizeof(f->v->notify), buf, RTE_MIN(len, (size_t)8));
		break;
	case 5: /* a doorbell word: this VF's bit, others', bits past nb_vfs */
		w = fuzz_u64(in);
		f->hdr->doorbell[a % VFBC_CHANNEL_DOORBELL_WORDS] = (a & 4) != 0 ? w :
			f->hdr->doorbell[a % VFBC_CHANNEL_DOORBELL_WORDS] ^ w;
		break;
	case 6: /* an extra block slot: bound, block_id, sequence, len, state */
		fuzz_bytes(in, buf, len);
		vf_write(f, area_off(f, &f->v->blocks[EXTRA_FIRST + a % 8]) + fuzz_u8(in) % 24,
				buf, RTE_MIN(len, (size_t)8));
		break;
	case 7: /* the consumer lines: resync, request ids, counters */
		fuzz_bytes(in, buf, len);
		vf_write(f, area_off(f, &f->v->consumer) + a % sizeof(f->v->consumer), buf,
				len);
		break;
	case 8: /* a response slot */
		fuzz_bytes(in, buf, len);
		vf_write(f, area_off(f, resp_slot(f->rs, a)) + fuzz_u8(in) %
				sizeof(struct vfbc_channel_resp), buf, len);
		break;
	default: /* anywhere in the area */
		fuzz_bytes(in, buf, len);
		vf_write(f, fuzz_u32(in) % f->vf_size, buf, len);
		break;
	}
	check_others(f);
}

/* --- the PF's calls ------------------------------------------------------------ */

/* The VFs a scan or sweep returned (ret of them) are the n expected, in order. */
static void
check_vf_list(const struct fc *f, int ret, const uint16_t *vfs, const uint16_t *want, int n)
{
	int i;

	FUZZ_CHECK(ret == n, "%s returned %d, expected %d", f->step, ret, n);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(vfs[i] == want[i], "%s: VF %u at %d, expected %u", f->step, vfs[i], i,
			want[i]);
	call_end(f);
}

static void
step_doorbell_scan(struct fc *f, struct fuzz_in *in)
{
	uint16_t vfs[VFBC_CHANNEL_MAX_VFS], want[VFBC_CHANNEL_MAX_VFS];
	unsigned int vf;
	int n = 0, ret;
	uint64_t bits;
	uint16_t max;

	max = 1 + fuzz_u8(in) % 8;
	call_begin(f, "doorbell_scan");
	/* Channels of up to 64 VFs have one bitmap word; the others are not read. */
	bits = f->db_want[0];
	f->db_want[0] = 0;
	while (bits != 0) {
		if (n == max) {
			f->db_want[0] = bits;
			break;
		}
		vf = (unsigned int)__builtin_ctzll(bits);
		bits &= bits - 1;
		if (vf < f->nb_vfs)
			want[n++] = (uint16_t)vf;
	}
	ret = vfbc_channel_doorbell_scan(f->pf, vfs, max);
	check_vf_list(f, ret, vfs, want, n);
}

static void
step_sweep(struct fc *f, struct fuzz_in *in)
{
	uint16_t vfs[NB_VFS_MAX], want[NB_VFS_MAX];
	int n = 0, ret;
	uint16_t max, vf;

	max = 1 + fuzz_u8(in) % NB_VFS_MAX;
	call_begin(f, "request_sweep");
	for (vf = 0; vf < f->nb_vfs && n < max; vf++) {
		if (vf == 0 ? f->m.granted != 0 && PRE(f, f->rq)->prod != f->m.req_cons :
				f->sweep_other[vf])
			want[n++] = vf;
	}
	ret = vfbc_channel_request_sweep(f->pf, vfs, max);
	check_vf_list(f, ret, vfs, want, n);
}

static void
step_dequeue(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_req req, want;
	uint64_t claim = f->v->consumer.claim;
	uint8_t mode;
	int ret, exp;

	mode = fuzz_u8(in);
	call_begin(f, "request_dequeue");
	memset(&want, 0, sizeof(want));
	exp = model_dequeue(f, &want);
	ret = vfbc_channel_request_dequeue(f->pf, 0, &req);
	FUZZ_CHECK(ret == exp, "request_dequeue returned %d, expected %d", ret, exp);
	if (ret == 1) {
		/* What the PF's driver relies on, stated without the model. */
		FUZZ_CHECK(claim != 0 && claim == f->m.granted,
			"request served on claim 0x%" PRIx64 ", granted 0x%" PRIx64, claim,
			f->m.granted);
		FUZZ_CHECK(vfbc_channel_request_validate(f->pf, 0, &req) == 0 &&
			req.vf_id == 0 && req.len >= 1 && req.len <= VFBC_CHANNEL_BLOCK_SIZE,
			"request dequeued: type %u vf %u target %u len %u", req.type, req.vf_id,
			req.target, req.len);
		FUZZ_CHECK(req.type == VFBC_CHANNEL_REQ_BLOCK_WRITE ||
			req.target + req.len <= VFBC_CHANNEL_CFG_SPACE_SIZE,
			"config request beyond the space: target %u len %u", req.target,
			req.len);
		FUZZ_CHECK(memcmp(&req, &want, sizeof(req)) == 0,
			"request dequeued is not the record at the PF's index");
	}
	call_end(f);
	if (ret != 1)
		return;
	f->last = req;
	f->have_last = 1;
	if ((mode & 1) == 0)
		return;
	/* Answered at once: the dequeue left room for it. */
	call_begin(f, "respond at once");
	exp = model_respond_api(f, &req, -(int32_t)(mode >> 1), NULL, 0);
	FUZZ_CHECK(exp == 0, "model: no room to answer an accepted request");
	ret = vfbc_channel_respond(f->pf, 0, &req, -(int32_t)(mode >> 1), NULL, 0);
	FUZZ_CHECK(ret == 0, "answering the request just dequeued: %d", ret);
	call_end(f);
}

static void
step_respond(struct fc *f, struct fuzz_in *in)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE + 16];
	struct vfbc_channel_req req;
	int32_t status;
	uint32_t len;
	int ret, exp;
	uint8_t mode;

	mode = fuzz_u8(in);
	if (f->have_last && (mode & 1) != 0) {
		req = f->last;
	} else {
		memset(&req, 0, sizeof(req));
		req.type = fuzz_u16(in);
		req.req_id = fuzz_u32(in);
	}
	status = (mode & 2) != 0 ? (int32_t)fuzz_u32(in) : -(int32_t)fuzz_u8(in);
	len = fuzz_u8(in) % (VFBC_CHANNEL_BLOCK_SIZE + 8);
	fuzz_bytes(in, data, RTE_MIN(len, (uint32_t)sizeof(data)));
	call_begin(f, "respond");
	if (status > 0 || len > VFBC_CHANNEL_BLOCK_SIZE)
		exp = -EINVAL;
	else
		exp = model_respond_api(f, &req, status, data, len);
	ret = vfbc_channel_respond(f->pf, 0, &req, status, (mode & 4) != 0 && len == 0 ?
			NULL : data, len);
	FUZZ_CHECK(ret == exp, "respond(status %d, len %u) returned %d, expected %d", status,
		len, ret, exp);
	call_end(f);
}

static void
step_invalidate(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_shm_vf *v = f->v;
	struct vfbc_channel_notify_elem *el;
	uint32_t used, seq;
	int ret, exp = 0;
	uint64_t mask;

	mask = fuzz_u64(in);
	call_begin(f, "invalidate");
	if (mask == 0) {
		exp = -EINVAL;
	} else {
		*PRE(f, &v->notify.pending) |= mask;
		(*PRE(f, &v->pf.stats.invalidations))++;
		if (*PRE(f, &v->notify.armed) == 0) {
			(*PRE(f, &v->pf.stats.coalesced))++;
		} else {
			*PRE(f, &v->notify.armed) = 0;
			seq = *PRE(f, &v->pf.notify_seq) + 1;
			*PRE(f, &v->pf.notify_seq) = seq;
			used = f->m.notify_prod - PRE(f, f->rn)->cons;
			if (used > NOTIFY_SIZE) {
				(*PRE(f, &v->pf.ring_corrupt))++;
			} else if (used == NOTIFY_SIZE) {
				(*PRE(f, &v->pf.stats.notify_ring_full))++;
			} else {
				el = PRE(f, notify_slot(f->rn, f->m.notify_prod));
				el->mask = mask;
				el->seq = seq;
				el->rsvd = 0;
				f->m.notify_prod++;
				PRE(f, f->rn)->prod = f->m.notify_prod;
				(*PRE(f, &v->pf.stats.doorbells))++;
			}
		}
		/* A sleeping word (the VF's, any value): taken back (W2); no socket here. */
		*PRE(f, &v->notify.sleeping) = 0;
	}
	ret = vfbc_channel_invalidate(f->pf, 0, mask);
	FUZZ_CHECK(ret == exp, "invalidate(0x%" PRIx64 ") returned %d, expected %d", mask, ret,
		exp);
	call_end(f);
}

/* A block id: invalidatable, a few extra ids, or any. */
static uint32_t
block_id_value(struct fuzz_in *in)
{
	uint8_t k;

	k = fuzz_u8(in);
	if (k < 128)
		return k % VFBC_CHANNEL_NB_BLOCKS;
	if (k < 240)
		return VFBC_CHANNEL_NB_BLOCKS + k % 12;
	return fuzz_u32(in);
}

static void
step_block_write(struct fc *f, struct fuzz_in *in)
{
	uint8_t data[VFBC_CHANNEL_BLOCK_SIZE + 8];
	struct vfbc_channel_shm_block *b;
	int s, ret, exp = 0;
	uint32_t id, len;

	id = block_id_value(in);
	len = fuzz_u8(in) % (VFBC_CHANNEL_BLOCK_SIZE + 4);
	fuzz_bytes(in, data, sizeof(data));
	call_begin(f, "block_write");
	/* The PF's own copy decides the slot: an id without one takes a free extra slot. */
	s = len > VFBC_CHANNEL_BLOCK_SIZE ? -1 : model_pf_slot(f, id, 1);
	if (len > VFBC_CHANNEL_BLOCK_SIZE) {
		exp = -EINVAL;
	} else if (s < 0) {
		exp = -ENOSPC;
	} else {
		f->m.blk[s].id = id;
		f->m.blk[s].len = len;
		f->m.blk[s].valid = 1;
		memcpy(f->m.blk[s].data, data, len);
		b = PRE(f, &f->v->blocks[s]);
		/* The VF's copy of an extra slot says its id again, whatever it said. */
		if (s >= EXTRA_FIRST) {
			b->block_id = id;
			b->bound = 1;
		}
		/* The writer's sequence goes up by two, from whatever the VF left in it. */
		b->lock.count.sn += 2;
		memcpy(b->data, data, len);
		memset(b->data + len, 0, VFBC_CHANNEL_BLOCK_SIZE - len);
		b->len = len;
		b->state = VFBC_CHANNEL_BLOCK_VALID;
	}
	ret = vfbc_channel_block_write(f->pf, 0, id, data, len);
	FUZZ_CHECK(ret == exp, "block_write(%u, len %u) returned %d, expected %d", id, len, ret,
		exp);
	call_end(f);
}

static void
block_read(struct fc *f, struct fuzz_in *in, int pf_side)
{
	uint8_t want[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t id, buf_len;
	uint8_t *buf;
	int ret, exp;

	id = block_id_value(in);
	buf_len = fuzz_u8(in) % (READ_BUF_MAX + 1);
	/* Exactly buf_len bytes: ASan sees a copy past the caller's buffer. */
	buf = malloc(buf_len == 0 ? 1 : buf_len);
	FUZZ_CHECK(buf != NULL, "no memory");
	call_begin(f, pf_side ? "PF block_read" : "VF block_read");
	exp = model_block_read(f, pf_side, id, buf_len, want);
	ret = vfbc_channel_block_read(pf_side ? f->pf : f->vf, 0, id, buf, buf_len);
	FUZZ_CHECK(ret == exp, "block_read(%u, buf %u) returned %d, expected %d", id, buf_len,
		ret, exp);
	if (ret > 0)
		FUZZ_CHECK(memcmp(buf, want, (size_t)ret) == 0, "block_read(%u): other data", id);
	free(buf);
	call_end(f);
}

static void
step_pf_block_read(struct fc *f, struct fuzz_in *in)
{
	block_read(f, in, 1);
}

static void
step_vf_block_read(struct fc *f, struct fuzz_in *in)
{
	block_read(f, in, 0);
}

static void
step_grant(struct fc *f, struct fuzz_in *in)
{
	uint64_t word = 0;
	int ret, exp;
	int32_t pid;

	pid = (fuzz_u8(in) & 1) != 0 ? (int32_t)getppid() : (int32_t)getpid();
	call_begin(f, "claim_grant");
	exp = model_grant(f, pid);
	ret = vfbc_channel_claim_grant(f->pf, 0, pid, -1, -1, &word);
	FUZZ_CHECK(ret == exp, "claim_grant(%d) returned %d, expected %d", (int)pid, ret, exp);
	if (ret >= 0)
		FUZZ_CHECK(word == f->m.granted, "claim_grant: word 0x%" PRIx64 ", expected 0x%"
			PRIx64, word, f->m.granted);
	call_end(f);
}

static void
step_revoke(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_shm_vf *v = f->v;
	uint64_t cur;
	int ret;

	RTE_SET_USED(in);
	call_begin(f, "claim_revoke");
	cur = *PRE(f, &v->consumer.claim);
	if ((cur & PID_MASK) != 0) {
		/* Kept by the PF, published by the next grant. */
		f->m.resync_due = 1;
		*PRE(f, &v->consumer.claim) = ((cur >> 32) + 1) << 32;
	}
	model_inflight_drop(f);
	*PRE(f, &v->pf.claim_verified) = 0;
	f->m.granted = 0;
	ret = vfbc_channel_claim_revoke(f->pf, 0);
	FUZZ_CHECK(ret == 0, "claim_revoke returned %d", ret);
	call_end(f);
}

/* --- the VF's library calls, through the attached handle ----------------------- */

static void
step_vf_claim(struct fc *f, struct fuzz_in *in)
{
	int ret, exp;

	RTE_SET_USED(in);
	call_begin(f, "VF claim");
	if (model_holds(f)) {
		exp = -EALREADY;
	} else {
		exp = model_grant(f, (int32_t)getpid());
		if (exp >= 0) {
			f->vm.held = f->m.granted;
			f->vm.req_prod = PRE(f, f->rq)->prod;
			f->vm.resp_cons = PRE(f, f->rs)->cons;
			f->vm.notify_cons = PRE(f, f->rn)->cons;
		}
	}
	ret = vfbc_channel_claim(f->vf, 0, -1);
	FUZZ_CHECK(ret == exp, "VF claim returned %d, expected %d", ret, exp);
	call_end(f);
}

static void
step_vf_release(struct fc *f, struct fuzz_in *in)
{
	uint64_t *claim = PRE(f, &f->v->consumer.claim);
	uint64_t held = f->vm.held;
	int ret, exp = 0;

	RTE_SET_USED(in);
	call_begin(f, "VF release");
	f->vm.held = 0;
	if (held == 0 || *claim != held)
		exp = -EPERM;
	else
		*claim = held & ~PID_MASK;
	ret = vfbc_channel_release(f->vf, 0);
	FUZZ_CHECK(ret == exp, "VF release returned %d, expected %d", ret, exp);
	call_end(f);
}

static void
step_vf_post(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_shm_vf *v = f->v;
	struct vfbc_channel_req req, want;
	uint32_t used;
	int ret, exp;
	uint8_t how;

	how = fuzz_u8(in);
	memset(&req, 0, sizeof(req));
	req.type = 1 + how % 3;
	req.target = (how & 4) != 0 ? fuzz_u32(in) : fuzz_u16(in) % 80;
	req.len = (how & 8) != 0 ? fuzz_u32(in) : 1 + fuzz_u8(in) % 128;
	fuzz_bytes(in, req.data, 8);
	call_begin(f, "VF post");
	want = req;
	want.vf_id = 0;
	if (!model_holds(f)) {
		exp = -EPERM;
	} else {
		exp = model_validate(f, &want, 0);
		if (exp == 0) {
			want.req_id = ++*PRE(f, &v->consumer.req_seq);
			used = f->vm.req_prod - PRE(f, f->rq)->cons;
			if (used > REQ_SIZE) {
				exp = -EPROTO;
			} else if (used == REQ_SIZE) {
				(*PRE(f, &v->consumer.stats.request_ring_full))++;
				exp = -ENOBUFS;
			} else {
				*PRE(f, req_slot(f->rq, f->vm.req_prod)) = want;
				f->vm.req_prod++;
				PRE(f, f->rq)->prod = f->vm.req_prod;
				(*PRE(f, &v->consumer.stats.requests_posted))++;
				f->db_want[0] |= 1;
			}
		}
	}
	ret = vfbc_channel_request_post(f->vf, 0, &req);
	FUZZ_CHECK(ret == exp, "VF post(type %u target %u len %u) returned %d, expected %d",
		req.type, req.target, req.len, ret, exp);
	/* The id is handed out once the record is valid, whether the ring takes it or not. */
	if (exp != -EPERM)
		FUZZ_CHECK(req.vf_id == 0, "VF post: vf_id %u", req.vf_id);
	if (exp == 0 || exp == -ENOBUFS || exp == -EPROTO)
		FUZZ_CHECK(req.req_id == want.req_id, "VF post: req_id %u, expected %u",
			req.req_id, want.req_id);
	call_end(f);
}

static void
step_vf_poll(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_shm_vf *v = f->v;
	uint64_t mask = 0, want = 0;
	uint32_t prod, n;
	int ret, exp = 0;

	RTE_SET_USED(in);
	call_begin(f, "VF poll_invalidations");
	if (!model_holds(f)) {
		exp = -EPERM;
	} else {
		prod = PRE(f, f->rn)->prod;
		n = prod - f->vm.notify_cons;
		if (n != 0) {
			/* Out of bounds or not, the consumer starts over from the producer. */
			f->vm.notify_cons = prod;
			PRE(f, f->rn)->cons = prod;
			*PRE(f, &v->notify.armed) = 1;
		}
		want = *PRE(f, &v->notify.pending);
		*PRE(f, &v->notify.pending) = 0;
		if (*PRE(f, &v->consumer.resync) != 0) {
			*PRE(f, &v->consumer.resync) = 0;
			(*PRE(f, &v->consumer.stats.resyncs))++;
			want = VFBC_CHANNEL_ALL_BLOCKS;
		}
		if (want != 0) {
			(*PRE(f, &v->consumer.stats.deliveries))++;
			exp = 1;
		}
	}
	ret = vfbc_channel_poll_invalidations(f->vf, 0, &mask);
	FUZZ_CHECK(ret == exp, "VF poll returned %d, expected %d", ret, exp);
	if (ret == 1)
		FUZZ_CHECK(mask == want, "VF poll: mask 0x%" PRIx64 ", expected 0x%" PRIx64, mask,
			want);
	call_end(f);
}

static void
step_vf_response_poll(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_resp resp, want;
	uint32_t prod, n;
	int ret, exp = 0;

	RTE_SET_USED(in);
	memset(&want, 0, sizeof(want));
	call_begin(f, "VF response_poll");
	if (!model_holds(f)) {
		exp = -EPERM;
	} else {
		prod = PRE(f, f->rs)->prod;
		n = prod - f->vm.resp_cons;
		if (n > RESP_SIZE) {
			f->vm.resp_cons = prod;
			PRE(f, f->rs)->cons = prod;
		} else if (n != 0) {
			want = *PRE(f, resp_slot(f->rs, f->vm.resp_cons));
			want.len = RTE_MIN(want.len, (uint32_t)VFBC_CHANNEL_BLOCK_SIZE);
			f->vm.resp_cons++;
			PRE(f, f->rs)->cons = f->vm.resp_cons;
			(*PRE(f, &f->v->consumer.stats.responses_received))++;
			exp = 1;
		}
	}
	ret = vfbc_channel_response_poll(f->vf, 0, &resp);
	FUZZ_CHECK(ret == exp, "VF response_poll returned %d, expected %d", ret, exp);
	if (ret == 1)
		FUZZ_CHECK(memcmp(&resp, &want, sizeof(resp)) == 0,
			"VF response_poll: not the record at its index");
	call_end(f);
}

/* Counters and claim, read back; the totals hold while the VF left them alone. */
static void
step_stats(struct fc *f, struct fuzz_in *in)
{
	struct vfbc_channel_stats st;
	uint64_t claim;
	pid_t pid;
	int ret, exp;

	RTE_SET_USED(in);
	call_begin(f, "stats and claim state");
	ret = vfbc_channel_stats_get(f->pf, 0, &st);
	FUZZ_CHECK(ret == 0, "stats_get returned %d", ret);
	if (!f->stats_scribbled)
		FUZZ_CHECK(st.requests_accepted + st.requests_rejected + st.requests_unclaimed ==
			f->m.consumed, "accepted %" PRIu64 " + rejected %" PRIu64
			" + unclaimed %" PRIu64 " != %" PRIu64 " records consumed",
			st.requests_accepted, st.requests_rejected, st.requests_unclaimed,
			f->m.consumed);
	claim = f->v->consumer.claim;
	exp = f->m.granted != 0 && claim == f->m.granted && (claim & PID_MASK) != 0;
	ret = vfbc_channel_claim_granted(f->pf, 0, &pid);
	FUZZ_CHECK(ret == exp && pid == (exp ? (pid_t)(claim & PID_MASK) : 0),
		"claim_granted returned %d (pid %d), expected %d", ret, (int)pid, exp);
	call_end(f);
}

/* --- setup and the run -------------------------------------------------------- */

static void
setup_others(struct fc *f)
{
	struct vfbc_channel_req req;
	uint8_t data[16];
	int ret;

	memset(data, 0x5a, sizeof(data));
	/* VF 1: granted to this process, a request waiting, a block. */
	ret = vfbc_channel_claim(f->vf, 1, -1);
	FUZZ_CHECK(ret == 0, "claim of VF 1: %d", ret);
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	ret = vfbc_channel_request_post(f->vf, 1, &req);
	FUZZ_CHECK(ret == 0, "post on VF 1: %d", ret);
	ret = vfbc_channel_block_write(f->pf, 1, 3, data, sizeof(data));
	FUZZ_CHECK(ret == 0, "block write on VF 1: %d", ret);
	f->sweep_other[1] = 1;
	if (f->nb_vfs > 2) {
		/* VF 2: nobody's, but invalidated. */
		ret = vfbc_channel_invalidate(f->pf, 2, 0x81);
		FUZZ_CHECK(ret == 0, "invalidate VF 2: %d", ret);
	}
	if (f->nb_vfs > 3) {
		/* VF 3: granted to another live process, an idle ring. */
		ret = vfbc_channel_claim_grant(f->pf, 3, (int32_t)getppid(), -1, -1, NULL);
		FUZZ_CHECK(ret == 0, "grant of VF 3: %d", ret);
	}
}

static void
setup(struct fc *f, uint16_t nb_vfs)
{
	uint64_t word;
	int ret;

	f->nb_vfs = nb_vfs;
	f->size = (size_t)vfbc_channel_memsize(nb_vfs);
	f->base = fuzz_region_place(&f->region, f->size);
	f->pf = vfbc_channel_create_mem(f->base, f->size, nb_vfs);
	FUZZ_CHECK(f->pf != NULL, "create_mem: %s", rte_strerror(rte_errno));
	f->vf = vfbc_channel_attach_mem(f->base, f->size);
	FUZZ_CHECK(f->vf != NULL, "attach_mem: %s", rte_strerror(rte_errno));
	f->hdr = (struct vfbc_channel_shm_hdr *)(void *)f->base;
	f->v = __vfbc_channel_vf(f->pf, 0);
	f->vf_size = f->hdr->vf_size;
	f->rn = __vfbc_channel_ring(f->pf, 0, f->pf->notify_ring_off);
	f->rq = __vfbc_channel_ring(f->pf, 0, f->pf->req_ring_off);
	f->rs = __vfbc_channel_ring(f->pf, 0, f->pf->resp_ring_off);
	memset(&f->m, 0, sizeof(f->m));
	memset(&f->vm, 0, sizeof(f->vm));
	memset(f->sweep_other, 0, sizeof(f->sweep_other));
	f->have_last = 0;
	f->stats_scribbled = 0;
	f->step_no = 0;

	ret = vfbc_channel_claim(f->vf, 0, -1);
	FUZZ_CHECK(ret == 0, "claim of VF 0: %d", ret);
	ret = vfbc_channel_claim_get(f->vf, 0, NULL, NULL);
	FUZZ_CHECK(ret == 0, "claim_get: %d", ret);
	word = f->v->consumer.claim;
	f->m.granted = word;
	f->vm.held = word;
	setup_others(f);
	memcpy(f->snap, f->base, f->size);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t max;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_log_quiet();
	max = (size_t)vfbc_channel_memsize(NB_VFS_MAX);
	fuzz_region_map(&fc.region, max);
	fc.snap = malloc(max);
	fc.pre = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(max, RTE_CACHE_LINE_SIZE));
	if (fc.snap == NULL || fc.pre == NULL)
		abort();
	return 0;
}

/* The steps an input byte picks (modulo their number); the VF writes most. */
static void (* const steps[])(struct fc *f, struct fuzz_in *in) = {
	step_vf_write,
	step_vf_write,
	step_vf_write,
	step_doorbell_scan,
	step_sweep,
	step_dequeue,
	step_dequeue,
	step_respond,
	step_invalidate,
	step_block_write,
	step_pf_block_read,
	step_grant,
	step_revoke,
	step_vf_claim,
	step_vf_release,
	step_vf_post,
	step_vf_poll,
	step_vf_response_poll,
	step_vf_block_read,
	step_stats,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fc *f = &fc;

	setup(f, NB_VFS_MIN + fuzz_u8(&in) % (NB_VFS_MAX - NB_VFS_MIN + 1));
	while (in.left != 0 && f->step_no < STEPS_MAX) {
		f->step_no++;
		steps[fuzz_u8(&in) % RTE_DIM(steps)](f, &in);
	}
	vfbc_channel_free(f->vf);
	vfbc_channel_free(f->pf);
	return 0;
}
