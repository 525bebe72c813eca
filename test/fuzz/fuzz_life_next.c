/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_channel_life_next(), the reader of a VF's life lines, on snapshots
 * anyone could have written (a VF writes its own lines; an isolated
 * consumer takes what its socket brought) and on snapshots a PF writes.
 *
 * Any snapshot and cursor (the input's first bytes), read in steps of max
 * (an input byte, 0 included): max 0 and refusals leave the cursor as it
 * was; a step returns at most max causes, each a cause the lines count,
 * and moves the cursor by exactly those (seq and each cause's count); the
 * steps end (at 0 or a refusal) and never return more causes than the
 * snapshot is ahead. Reads past the buffers are ASan's.
 *
 * A PF's snapshot: the rest of the input is a list of posts (causes), the
 * lines built from them as the PF builds them, the cursor at a prefix of
 * them. Every post after it is returned, once: those still in the log in
 * the order posted, the older ones before them, by cause.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include <vfbc_channel.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LN_STEPS_MAX 4096
#define LN_POSTS_MAX 256
#define LN_NB VFBC_CHANNEL_LIFE_NB_CAUSES
#define LN_LOG VFBC_CHANNEL_LIFE_LOG_SIZE

/* Read now past cur in steps of max; the causes returned in out (size cap). */
static unsigned int
ln_drain(const struct vfbc_channel_life *now, struct vfbc_channel_life_cursor *cur,
	 unsigned int max, uint8_t *out, unsigned int cap)
{
	struct vfbc_channel_life_cursor was;
	uint32_t moved[LN_NB];
	unsigned int steps, total = 0, i;
	uint8_t *buf;
	int n;

	buf = malloc(max > 0 ? max : 1);
	if (buf == NULL)
		abort();
	for (steps = 0; steps < LN_STEPS_MAX; steps++) {
		was = *cur;
		n = vfbc_channel_life_next(now, cur, buf, max);
		if (max == 0 && n != -EINVAL)
			abort();
		if (n < 0) {
			if (memcmp(&was, cur, sizeof(was)) != 0)
				abort();
			break;
		}
		if ((unsigned int)n > max || cur->seq - was.seq != (uint32_t)n)
			abort();
		memset(moved, 0, sizeof(moved));
		for (i = 0; i < (unsigned int)n; i++) {
			if (buf[i] >= LN_NB)
				abort();
			moved[buf[i]]++;
			if (total < cap)
				out[total] = buf[i];
			total++;
		}
		for (i = 0; i < LN_NB; i++)
			if (cur->count[i] - was.count[i] != moved[i])
				abort();
		if (n == 0)
			break;
	}
	free(buf);
	return total;
}

/* Any snapshot and cursor. */
static void
ln_any(const uint8_t *data, size_t size)
{
	struct vfbc_channel_life_cursor cur, start;
	struct vfbc_channel_life now;
	unsigned int total;

	if (size < sizeof(now) + sizeof(cur) + 1)
		return;
	memcpy(&now, data, sizeof(now));
	memcpy(&cur, data + sizeof(now), sizeof(cur));
	start = cur;
	total = ln_drain(&now, &cur, data[sizeof(now) + sizeof(cur)] % 48, NULL, 0);
	/* Never more than the snapshot is ahead (unless refused first: total 0). */
	if (total > 0 && now.seq - start.seq < total)
		abort();
}

/* The lines a PF writes for posts[0..n), as vfbc_channel_life_post() does. */
static void
ln_build(const uint8_t *posts, unsigned int n, struct vfbc_channel_life *l)
{
	unsigned int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++) {
		l->seq++;
		l->count[posts[i]]++;
		l->log[(l->seq - 1) % LN_LOG] = (l->seq & 0xffffff) << 8 | posts[i];
	}
}

/* A PF's snapshot: every post after the cursor, once, the log's in order. */
static void
ln_pf(const uint8_t *data, size_t size)
{
	uint8_t posts[LN_POSTS_MAX], out[LN_POSTS_MAX];
	struct vfbc_channel_life_cursor cur;
	uint32_t want[LN_NB] = { 0 }, got[LN_NB] = { 0 };
	struct vfbc_channel_life now, prefix;
	unsigned int n, from, max, total, i, logged;

	if (size < 3)
		return;
	max = data[0] % 40 + 1;
	n = RTE_MIN(size - 2, (size_t)LN_POSTS_MAX);
	for (i = 0; i < n; i++)
		posts[i] = data[2 + i] % (VFBC_CHANNEL_LIFE_ENABLED + 1);
	from = data[1] % (n + 1);
	ln_build(posts, from, &prefix);
	ln_build(posts, n, &now);
	vfbc_channel_life_cursor_init(&cur, &prefix);
	total = ln_drain(&now, &cur, max, out, LN_POSTS_MAX);
	if (total != n - from || cur.seq != now.seq)
		abort();
	for (i = from; i < n; i++)
		want[posts[i]]++;
	for (i = 0; i < total; i++)
		got[out[i]]++;
	if (memcmp(want, got, sizeof(want)) != 0)
		abort();
	/* The newest LN_LOG (or all of them) come last, in the order posted. */
	logged = RTE_MIN(n - from, (unsigned int)LN_LOG);
	for (i = 0; i < logged; i++)
		if (out[total - logged + i] != posts[n - logged + i])
			abort();
	/* The older ones by cause. */
	for (i = 1; i < total - logged; i++)
		if (out[i - 1] > out[i])
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		ln_pf(data + 1, size - 1);
	else
		ln_any(data + 1, size - 1);
	return 0;
}
