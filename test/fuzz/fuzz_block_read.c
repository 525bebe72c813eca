/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The seqlock block read (vfbc_channel_block_read) against a writer that
 * tears: a PF thread rewrites a few blocks without pause while the input
 * drives the reader (block ids, buffer sizes, which handle) and a hostile
 * VF that scribbles on slots' sequence, length and state words.
 *
 * Every write is self-describing: write number g (its generation) writes
 * block ids[g % NB_IDS] with length len_of(g) and bytes byte_of(g, i); from
 * 4 bytes on, the first four hold g. The writer announces a generation
 * before writing it and counts it done after, so that a read is bracketed:
 * its snapshot is a write no older than the last one done before the read
 * and no newer than the last one announced after it.
 *
 * Invariants, for a slot the input did not scribble on in this run:
 * - a successful read returns a length <= 128 and <= the buffer, and the
 *   bytes of exactly one complete write within the bracket (never a mix);
 * - -ENOBUFS only when a write in the bracket is longer than the buffer;
 * - -EAGAIN is allowed; a block never written reads -ENOENT;
 * - nothing is written to the buffer but the bytes returned.
 * For a scribbled slot only the bounds hold. Reads past the slot or the
 * buffer are caught by ASan (exact-size buffers, guard pages around the
 * channel).
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_pause.h>

#include <vfbc_channel.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NB_IDS 4
#define OPS_MAX 128
#define CANARY 0xa5
/* Longest bracket searched for a write too short to carry its generation. */
#define SEARCH_MAX 4096

/* The writer's blocks: invalidatable ones and one in an extra slot. */
static const uint32_t ids[NB_IDS] = { 0, 31, 63, 100 };
/* Slot of each id (the extra id binds the first extra slot, at its first write). */
static const unsigned int id_slot[NB_IDS] = { 0, 31, 63, VFBC_CHANNEL_NB_BLOCKS };
#define NB_SLOTS (VFBC_CHANNEL_NB_BLOCKS + VFBC_CHANNEL_NB_EXTRA_BLOCKS)

struct br {
	struct fuzz_region region;
	size_t size;
	struct vfbc_channel *pf;
	struct vfbc_channel *vf;
	struct vfbc_channel_shm_vf *v;
	/*
	 * The writer thread lives as long as the process (creating one per
	 * input would cost most of the run): each input is a round it writes
	 * through, from the main thread's start until its stop.
	 */
	pthread_t writer;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t round;     /* rounds started (lock) */
	uint32_t acked;     /* rounds the writer has finished (lock) */
	uint32_t run;       /* write while set */
	uint32_t announced; /* generation the writer is about to write */
	uint32_t done;      /* generation last written in full */
	uint8_t scribbled[NB_SLOTS];
};

static struct br br;

static uint32_t
mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint32_t
len_of(uint32_t g)
{
	return mix(g) % (VFBC_CHANNEL_BLOCK_SIZE + 1);
}

static uint8_t
byte_of(uint32_t g, uint32_t i)
{
	return (uint8_t)mix(g * 131 + i + 1);
}

static void
content(uint32_t g, uint8_t *buf, uint32_t *len)
{
	uint32_t i;

	*len = len_of(g);
	for (i = 0; i < *len; i++)
		buf[i] = byte_of(g, i);
	if (*len >= sizeof(g))
		memcpy(buf, &g, sizeof(g));
}

static void
write_gen(struct br *b, uint32_t g)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t len;
	int ret;

	content(g, buf, &len);
	/* Announced before the write starts: a reader that sees it sees this. */
	__atomic_store_n(&b->announced, g, __ATOMIC_RELEASE);
	ret = vfbc_channel_block_write(b->pf, 0, ids[g % NB_IDS], buf, len);
	FUZZ_CHECK(ret == 0, "writer: block_write(%u): %d", ids[g % NB_IDS], ret);
	__atomic_store_n(&b->done, g, __ATOMIC_RELEASE);
}

static void *
writer_main(void *arg)
{
	struct br *b = arg;
	uint32_t g;

	for (;;) {
		/* The lock orders the round's channel and generations before the writes. */
		pthread_mutex_lock(&b->lock);
		while (b->acked == b->round)
			pthread_cond_wait(&b->cond, &b->lock);
		pthread_mutex_unlock(&b->lock);
		g = __atomic_load_n(&b->done, __ATOMIC_RELAXED);
		while (__atomic_load_n(&b->run, __ATOMIC_RELAXED) != 0)
			write_gen(b, ++g);
		pthread_mutex_lock(&b->lock);
		b->acked++;
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
	}
	return NULL;
}

static void
writer_start(struct br *b)
{
	__atomic_store_n(&b->run, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&b->lock);
	b->round++;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/* Returns once the writer is out of the channel, which may then go. */
static void
writer_stop(struct br *b)
{
	__atomic_store_n(&b->run, 0, __ATOMIC_RELAXED);
	pthread_mutex_lock(&b->lock);
	while (b->acked != b->round)
		pthread_cond_wait(&b->cond, &b->lock);
	pthread_mutex_unlock(&b->lock);
}

/* Is (len, data) the write of generation g? */
static int
is_gen(uint32_t g, const uint8_t *data, uint32_t len)
{
	uint8_t want[VFBC_CHANNEL_BLOCK_SIZE];
	uint32_t wlen;

	content(g, want, &wlen);
	return wlen == len && memcmp(want, data, len) == 0;
}

/* First generation >= lo that writes id index k. */
static uint32_t
first_gen(uint32_t lo, unsigned int k)
{
	return lo + (k + NB_IDS - lo % NB_IDS) % NB_IDS;
}

/* A read of id index k returned len bytes; its bracket is [lo, hi]. */
static void
check_snapshot(unsigned int k, const uint8_t *data, uint32_t len, uint32_t lo, uint32_t hi)
{
	uint32_t g;

	if (len >= sizeof(g)) {
		memcpy(&g, data, sizeof(g));
		FUZZ_CHECK(g % NB_IDS == k && g >= lo && g <= hi && is_gen(g, data, len),
			"block %u: %u bytes of generation %u are not its write (bracket %u..%u)",
			ids[k], len, g, lo, hi);
		return;
	}
	if (hi - lo > SEARCH_MAX)
		return;
	for (g = first_gen(lo, k); g <= hi; g += NB_IDS)
		if (is_gen(g, data, len))
			return;
	FUZZ_CHECK(0, "block %u: %u bytes that no write in %u..%u made", ids[k], len, lo, hi);
}

/* -ENOBUFS for a buffer of buf_len: some write in the bracket must be longer. */
static void
check_nobufs(unsigned int k, uint32_t buf_len, uint32_t lo, uint32_t hi)
{
	uint32_t g;

	if (hi - lo > SEARCH_MAX)
		return;
	for (g = first_gen(lo, k); g <= hi; g += NB_IDS)
		if (len_of(g) > buf_len)
			return;
	FUZZ_CHECK(0, "block %u: -ENOBUFS for %u bytes, no write in %u..%u is longer", ids[k],
		buf_len, lo, hi);
}

static void
step_read(struct br *b, struct fuzz_in *in)
{
	uint32_t buf_len, id, lo, hi, i;
	struct vfbc_channel *ch;
	int slot, ret;
	unsigned int k;
	uint8_t *buf;
	uint8_t sel;

	sel = fuzz_u8(in);
	buf_len = fuzz_u8(in) % (VFBC_CHANNEL_BLOCK_SIZE + 16);
	ch = (sel & 0x80) != 0 ? b->pf : b->vf;
	k = sel % NB_IDS;
	/* Mostly the writer's blocks; else one never written, invalidatable or extra. */
	if ((sel & 0x70) == 0x70) {
		id = (sel & 8) != 0 ? 5 : VFBC_CHANNEL_NB_BLOCKS + 7;
		slot = id < VFBC_CHANNEL_NB_BLOCKS ? (int)id : -1;
	} else {
		id = ids[k];
		slot = (int)id_slot[k];
	}
	/* Exactly buf_len bytes: a copy past them is an ASan report. */
	buf = malloc(buf_len == 0 ? 1 : buf_len);
	FUZZ_CHECK(buf != NULL, "no memory");
	memset(buf, CANARY, buf_len);
	lo = __atomic_load_n(&b->done, __ATOMIC_ACQUIRE);
	ret = vfbc_channel_block_read(ch, 0, id, buf, buf_len);
	hi = __atomic_load_n(&b->announced, __ATOMIC_ACQUIRE);

	FUZZ_CHECK(ret <= (int)buf_len && ret <= VFBC_CHANNEL_BLOCK_SIZE,
		"block_read(%u, %u bytes): %d", id, buf_len, ret);
	FUZZ_CHECK(ret >= 0 || ret == -EAGAIN || ret == -ENOBUFS || ret == -ENOENT,
		"block_read(%u): %d", id, ret);
	for (i = ret > 0 ? (uint32_t)ret : 0; i < buf_len; i++)
		FUZZ_CHECK(buf[i] == CANARY, "block_read(%u) returned %d, wrote byte %u", id, ret,
			i);
	if (slot >= 0 && b->scribbled[slot]) {
		free(buf);
		return;
	}
	if (id != ids[k]) {
		FUZZ_CHECK(ret == -ENOENT, "block %u, never written: %d", id, ret);
	} else if (ret >= 0) {
		/* The last write of block k done before the read, or a later one. */
		lo = lo < k ? k : lo - (lo - k) % NB_IDS;
		check_snapshot(k, buf, (uint32_t)ret, lo, hi);
	} else if (ret == -ENOBUFS) {
		lo = lo < k ? k : lo - (lo - k) % NB_IDS;
		check_nobufs(k, buf_len, lo, hi);
	} else {
		FUZZ_CHECK(ret == -EAGAIN, "block %u, written: %d", id, ret);
	}
	free(buf);
}

/* The VF rewrites the sequence, length or state of one of its slots. */
static void
step_scribble(struct br *b, struct fuzz_in *in)
{
	struct vfbc_channel_shm_block *s;
	unsigned int slot;
	uint32_t val, *w;
	uint8_t what;

	slot = fuzz_u8(in);
	what = fuzz_u8(in);
	val = fuzz_u32(in);
	slot = slot < 0x80 ? id_slot[slot % NB_IDS] : slot % NB_SLOTS;
	s = &b->v->blocks[slot];
	switch (what % 4) {
	case 0:
		w = &s->lock.count.sn;
		break;
	case 1:
		w = &s->len;
		break;
	case 2:
		w = &s->state;
		break;
	default:
		/* Odd or even by one: a reader spins or trusts a torn copy. */
		w = &s->lock.count.sn;
		val = __atomic_load_n(w, __ATOMIC_RELAXED) + 1;
		break;
	}
	/* Another process's plain store, as the writer and readers see it. */
	__atomic_store_n(w, val, __ATOMIC_RELAXED);
	b->scribbled[slot] = 1;
}

static void
step_spin(struct fuzz_in *in)
{
	unsigned int n;

	n = fuzz_u8(in) * 16u;
	while (n-- != 0)
		rte_pause();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int ret;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_log_quiet();
	br.size = (size_t)vfbc_channel_memsize(1);
	fuzz_region_map(&br.region, br.size);
	pthread_mutex_init(&br.lock, NULL);
	pthread_cond_init(&br.cond, NULL);
	ret = pthread_create(&br.writer, NULL, writer_main, &br);
	FUZZ_CHECK(ret == 0, "writer thread: %d", ret);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct br *b = &br;
	uint8_t *mem;
	unsigned int n;
	uint32_t g;
	int ret;

	mem = fuzz_region_place(&b->region, b->size);
	b->pf = vfbc_channel_create_mem(mem, b->size, 1);
	FUZZ_CHECK(b->pf != NULL, "create_mem: %s", rte_strerror(rte_errno));
	b->vf = vfbc_channel_attach_mem(mem, b->size);
	FUZZ_CHECK(b->vf != NULL, "attach_mem: %s", rte_strerror(rte_errno));
	ret = vfbc_channel_claim(b->vf, 0, -1);
	FUZZ_CHECK(ret == 0, "claim: %d", ret);
	b->v = __vfbc_channel_vf(b->pf, 0);
	memset(b->scribbled, 0, sizeof(b->scribbled));
	/* Every block written once before the reader starts. */
	for (g = 0; g < NB_IDS; g++)
		write_gen(b, g);
	writer_start(b);

	for (n = 0; in.left != 0 && n < OPS_MAX; n++) {
		switch (fuzz_u8(&in) % 8) {
		case 0:
			step_scribble(b, &in);
			break;
		case 1:
			step_spin(&in);
			break;
		default:
			step_read(b, &in);
			break;
		}
	}

	writer_stop(b);
	vfbc_channel_free(b->vf);
	vfbc_channel_free(b->pf);
	return 0;
}
