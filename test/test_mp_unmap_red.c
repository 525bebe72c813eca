/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team findings on the library's unmap guard (vfbc_channel_unmap.c):
 * calls through an attached handle whose channel the PF freed, and whose
 * pages EAL unmapped, that still reach the gone memory. The world of
 * mp_unmap_idle_autotest (test_mp_unmap.c): the PF's channel alone in
 * pages its close gives back, a library-only consumer (mp_lib_vf) holding
 * VF 0's claim; after the close, each call must answer, not fault.
 *
 * red_calls: vfbc_channel_claim_granted() reads the VF's claim words with
 * no read section (the VF PMD calls it on an attached handle when a claim
 * is refused with -EBUSY): it faults.
 *
 * red_claim: vfbc_channel_claim() through a handle whose memory is gone
 * still asks the creator, by the channel's name, for the VF: when a new
 * channel of that name exists (the PF's port probed again), it grants the
 * VF to the asker, whose handle then says -ENODEV and holds nothing. The
 * VF stays granted to a live process that holds nothing: every other
 * consumer is refused (-EBUSY) for as long as it lives.
 *
 * red_inproc (fails under build-tsan, a race report; passes in build/):
 * the guard in the process that frees the channel. A channel of this
 * process in pages of its own, attached by name here too; two threads
 * poll through the attached handle without a pause, one with an lcore id
 * (rte_thread_register(): the per-lcore slot), one without (the shared
 * slot), while the main thread frees the channel: both must end with
 * -ENODEV, nothing may fault or hang (that holds). But EAL calls the
 * memory event callback only after rte_memzone_free() has given the
 * memory back to the heap, which clears it (malloc_elem_free()'s memset):
 * a read section in progress reads, and may write (a re-arm, a give-back
 * of bits, a ring index), memory the heap owns and is zeroing. In the
 * creator's process nothing orders the two: ThreadSanitizer reports the
 * poll's load against EAL's memset.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <pthread.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_mp_unmap_common.h"
#include "vfbc_channel.h"


static int
test_mp_unmap_red_calls(void)
{
	struct mp_unmap_world u;
	int ret;

	ret = mp_unmap_start(&u);
	if (ret != TEST_SUCCESS)
		goto out;
	ret = TEST_FAILED;
	if (mp_unmap_call(&u.c, "granted 0", 1) < 0 || mp_unmap_call(&u.c, "idle 0", 1) < 0 ||
	    mp_unmap_close(&u) != TEST_SUCCESS)
		goto out;
	/* The guarded calls first: they hold. */
	if (mp_unmap_call(&u.c, "idle 0", 0) < 0 ||
	    mp_unmap_call(&u.c, "claimget 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "stats 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "vfaddr 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "lifegen", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "sleeparm 0", -ENODEV) < 0 ||
	    mp_unmap_call(&u.c, "validate 0", -ENODEV) < 0)
		goto out;
	/* The memory is gone: nobody holds the claim, as claim_get says. */
	if (mp_unmap_call(&u.c, "granted 0", 0) < 0)
		goto out;
	ret = mp_unmap_consumer_bye(&u) == 0 ? TEST_SUCCESS : TEST_FAILED;
out:
	mp_unmap_end(&u);
	return ret;
}

static int
test_mp_unmap_red_claim(void)
{
	struct vfbc_channel *ch2 = NULL;
	struct mp_unmap_world u;
	pid_t pid = 0;
	int ret, granted;

	ret = mp_unmap_start(&u);
	if (ret != TEST_SUCCESS)
		goto out;
	ret = TEST_FAILED;
	if (mp_unmap_close(&u) != TEST_SUCCESS)
		goto out;
	/*
	 * A new channel of the same name, as the PF's port probed again
	 * makes (its PMD creates it so, with its own proof check).
	 */
	ch2 = vfbc_channel_create(MP_PF_NAME, 4, SOCKET_ID_ANY);
	if (ch2 == NULL) {
		printf("no new channel of the name: %d\n", rte_errno);
		goto out;
	}
	/* The old handle's claim: its memory is gone, nothing to ask for. */
	if (mp_unmap_call(&u.c, "claim 0", -ENODEV) < 0)
		goto out;
	granted = vfbc_channel_claim_granted(ch2, 0, &pid);
	if (granted != 0) {
		printf("the new channel's VF 0 is granted to %d (the consumer is %d), whose "
		       "claim returned -ENODEV and holds nothing: granted %d, want 0\n",
		       (int)pid, (int)u.c.pid, granted);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_unmap_end(&u);
	vfbc_channel_free(ch2);
	return ret;
}

/*
 * The same claim when the PF's close leaves the pages mapped (the -m
 * hugepages, which EAL never gives back): no memory event, the handle is
 * not marked, and its claim asks the creator of the name. The creator
 * refuses it: the claim names the channel's incarnation, not only its name.
 */
static int
test_mp_unmap_red_claim_kept(void)
{
	struct vfbc_channel *ch2 = NULL;
	struct rte_eth_dev_info info;
	struct mp_world w;
	struct mp_child c;
	pid_t pid = 0;
	int ret, granted;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	if (mp_unmap_consumer_start(&c) < 0)
		goto out;
	if (rte_eth_dev_info_get(w.pf_port, &info) != 0 || rte_eth_dev_close(w.pf_port) != 0 ||
	    rte_dev_remove(info.device) != 0) {
		printf("the PF's port did not close\n");
		goto out;
	}
	ch2 = vfbc_channel_create(MP_PF_NAME, 4, SOCKET_ID_ANY);
	if (ch2 == NULL) {
		printf("no new channel of the name: %d\n", rte_errno);
		goto out;
	}
	if (mp_unmap_call(&c, "claim 0", -ENODEV) < 0)
		goto out;
	granted = vfbc_channel_claim_granted(ch2, 0, &pid);
	if (granted != 0) {
		printf("the new channel's VF 0 is granted to %d (the consumer is %d) through a "
		       "handle of the freed one: granted %d, want 0\n", (int)pid, (int)c.pid,
		       granted);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_unmap_consumer_quit(&c);
	vfbc_channel_free(ch2);
	return ret;
}

/*
 * A red-team finding on 99f58be ("a claim names its channel's incarnation"):
 * the claim asks with the incarnation, but every other call of a handle
 * trusts its held word. When the creator frees its channel and the pages
 * stay mapped in the consumer (-m hugepages: no memory event, the handle is
 * not marked), the next channel of the name takes the same memory, and its
 * claim words start again at epoch 0. A grant of the new channel's VF 0 to
 * the same process (as its new handle's claim after a PF restart gets) at
 * the old claim's epoch (the first grant of each: 1) writes a word equal to
 * the old handle's held word. The handle of the freed channel then holds
 * the new channel's VF: vfbc_channel_holds() says 1, its poll takes the new
 * holder's invalidations (lost to the real holder), and its release (which
 * vfbc_channel_free() of the old handle does) takes the new claim away.
 * Expected: holds 0, the poll an error, the new claim untouched by the old
 * handle's release. Observed: holds 1, pollinv 1 (the mask), holder 0.
 */
static int
test_mp_unmap_red_stale_release(void)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	struct vfbc_channel *ch1 = NULL, *ch2 = NULL;
	const struct rte_memzone *mz;
	struct rte_eth_dev_info info;
	uint32_t old_epoch = 0, epoch = 0;
	const void *old_addr;
	struct mp_world w;
	struct mp_child c;
	pid_t pid = 0;
	uint64_t word = 0;
	char rest[MP_LINE_MAX];
	int ret, i, r;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	/* The PF's channel of the name, made by this process (no verifier: no proof asked). */
	if (rte_eth_dev_info_get(w.pf_port, &info) != 0 || rte_eth_dev_close(w.pf_port) != 0 ||
	    rte_dev_remove(info.device) != 0) {
		printf("the PF's port did not close\n");
		goto out;
	}
	ch1 = vfbc_channel_create(MP_PF_NAME, 4, SOCKET_ID_ANY);
	if (ch1 == NULL) {
		printf("no channel of the name: %d\n", rte_errno);
		goto out;
	}
	/* The consumer attaches it and claims VF 0 (no verifier: no proof). */
	if (mp_child_spawn(&c, "mp_lib_vf", "--no-pci", NULL) < 0 ||
	    mp_child_expect(&c, "ready", rest, sizeof(rest), MP_UNMAP_CMD_MS) < 0) {
		printf("the consumer did not start\n");
		goto out;
	}
	r = mp_child_ret(&c, NULL, 0, MP_UNMAP_CMD_MS, "claimnp 0");
	if (r != 0) {
		printf("the consumer's claim: %d\n", r);
		goto out;
	}
	if (vfbc_channel_claim_get(ch1, 0, &pid, &old_epoch) != 0 || pid != c.pid) {
		printf("no consumer's claim on the channel: holder %d\n", (int)pid);
		goto out;
	}
	snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, MP_PF_NAME);
	mz = rte_memzone_lookup(mz_name);
	if (mz == NULL)
		goto out;
	old_addr = mz->addr;
	/* Freed and made again, as the PF's port closed and probed again. */
	vfbc_channel_free(ch1);
	ch1 = NULL;
	ch2 = vfbc_channel_create(MP_PF_NAME, 4, SOCKET_ID_ANY);
	mz = rte_memzone_lookup(mz_name);
	if (ch2 == NULL || mz == NULL) {
		printf("no new channel of the name: %d\n", rte_errno);
		goto out;
	}
	if (mz->addr != old_addr) {
		printf("inconclusive: the new channel is elsewhere (%p, was %p)\n", mz->addr,
		       old_addr);
		ret = TEST_SKIPPED;
		goto out;
	}
	/* The consumer's old handle is not marked: the pages stayed (-m). */
	if (mp_unmap_call(&c, "current", 0) < 0) {
		printf("inconclusive: the consumer's handle is not stale\n");
		ret = TEST_SKIPPED;
		goto out;
	}
	/*
	 * The new channel's VF 0 granted to the consumer's process (as a claim
	 * through its new handle would be), at the old claim's epoch.
	 */
	/*
	 * Both channels' epochs began at 0 before, and the first grant of
	 * each was epoch 1: the old handle's word. They start where each
	 * channel's incarnation says now; the checks below hold either way.
	 */
	r = vfbc_channel_claim_grant(ch2, 0, c.pid, -1, -1, &word);
	if (r < 0) {
		printf("grant: %d\n", r);
		goto out;
	}
	epoch = (uint32_t)(word >> 32);
	printf("the new claim's epoch %u, the old one's %u\n", epoch, old_epoch);
	/* The consumer's handle of the freed channel holds nothing... */
	r = mp_child_ret(&c, NULL, 0, MP_UNMAP_CMD_MS, "holds 0");
	if (r != 0)
		printf("a handle of the freed channel holds the new channel's VF 0: holds %d, "
		       "want 0\n", r);
	/* ...takes none of the new holder's invalidations... */
	if (vfbc_channel_invalidate(ch2, 0, UINT64_C(1) << 3) < 0)
		goto out;
	i = mp_child_ret(&c, rest, sizeof(rest), MP_UNMAP_CMD_MS, "pollinv 0");
	if (i >= 0) {
		printf("a handle of the freed channel took the new channel's VF 0's "
		       "invalidations: pollinv %d (%s), want < 0\n", i, rest);
		r = -1;
	}
	/* ...and its release leaves the new claim alone. */
	(void)mp_child_ret(&c, NULL, 0, MP_UNMAP_CMD_MS, "release 0");
	if (vfbc_channel_claim_get(ch2, 0, &pid, NULL) != 0 || pid != c.pid) {
		printf("the new channel's claim of VF 0 (granted to %d) was released through a "
		       "handle of the freed channel: holder now %d\n", (int)c.pid, (int)pid);
		goto out;
	}
	if (r == 0)
		ret = TEST_SUCCESS;
out:
	mp_unmap_consumer_quit(&c);
	vfbc_channel_free(ch1);
	vfbc_channel_free(ch2);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_red_claim_autotest, test_mp_unmap_red_claim,
				  "--total-vfs 4", "mp");
REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_red_claim_kept_autotest, test_mp_unmap_red_claim_kept,
				  "--total-vfs 4", "mp");
REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_red_stale_release_autotest,
				  test_mp_unmap_red_stale_release, "--total-vfs 4", "mp");
REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_red_calls_autotest, test_mp_unmap_red_calls,
				  "--total-vfs 4", "mp");

#define INPROC_NAME	"red_inproc"

struct inproc_poller {
	struct vfbc_channel *ch;
	int reg;		/* 1: rte_thread_register() first */
	int lcore_ok;		/* it got an lcore id */
	uint64_t polls;
	int ret;
	int stop;		/* set by the main thread if it never ends */
};

static int inproc_started;

static void *
inproc_poll(void *arg)
{
	struct inproc_poller *p = arg;
	uint64_t mask;
	int r;

	if (p->reg && rte_thread_register() == 0)
		p->lcore_ok = rte_lcore_id() != LCORE_ID_ANY;
	__atomic_fetch_add(&inproc_started, 1, __ATOMIC_RELAXED);
	for (;;) {
		r = vfbc_channel_poll_idle(p->ch, 0);
		if (r != 1)
			r = vfbc_channel_poll_invalidations(p->ch, 0, &mask);
		else
			r = 0;
		p->polls++;
		if (r < 0 && r != -EPERM)
			break;
		if (__atomic_load_n(&p->stop, __ATOMIC_RELAXED))
			break;
	}
	__atomic_store_n(&p->ret, r, __ATOMIC_RELEASE);
	if (p->reg && p->lcore_ok)
		rte_thread_unregister();
	return NULL;
}

static int
test_mp_unmap_red_inproc(void)
{
	struct inproc_poller p[2];
	struct vfbc_channel *ch, *att;
	const struct rte_memzone *mz;
	const struct rte_memseg *ms;
	char mz_name[RTE_MEMZONE_NAMESIZE];
	unsigned int filled, i;
	struct mp_world w;
	pthread_t t[2];
	const void *hdr;
	uint64_t t0;
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	filled = mp_unmap_fill("inproc_fill_");
	ch = vfbc_channel_create(INPROC_NAME, 4, SOCKET_ID_ANY);
	ret = TEST_FAILED;
	if (ch == NULL) {
		printf("create: %d\n", rte_errno);
		goto out_fill;
	}
	snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, INPROC_NAME);
	mz = rte_memzone_lookup(mz_name);
	ms = mz != NULL ? rte_mem_virt2memseg(mz->addr, NULL) : NULL;
	if (ms == NULL || (ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) != 0) {
		printf("inconclusive: the channel is not in pages of its own\n");
		vfbc_channel_free(ch);
		goto out_fill;
	}
	hdr = mz->addr;
	att = vfbc_channel_attach(INPROC_NAME);
	if (att == NULL || vfbc_channel_claim(att, 0, -1) != 0) {
		printf("attach or claim failed\n");
		vfbc_channel_free(att);
		vfbc_channel_free(ch);
		goto out_fill;
	}
	memset(p, 0, sizeof(p));
	for (i = 0; i < 2; i++) {
		p[i].ch = att;
		p[i].reg = i == 0;
		pthread_create(&t[i], NULL, inproc_poll, &p[i]);
	}
	while (__atomic_load_n(&inproc_started, __ATOMIC_RELAXED) < 2)
		usleep(1000);
	usleep(100 * 1000);
	vfbc_channel_free(ch);
	printf("the channel's first page after its free: %s\n",
	       mp_unmap_mapped(hdr) == 0 ? "unmapped" : "still mapped (inconclusive)");
	t0 = mp_now_ns();
	while (mp_now_ns() - t0 < 5000000000ULL &&
	       (__atomic_load_n(&p[0].ret, __ATOMIC_ACQUIRE) == 0 ||
		__atomic_load_n(&p[1].ret, __ATOMIC_ACQUIRE) == 0))
		usleep(1000);
	for (i = 0; i < 2; i++) {
		__atomic_store_n(&p[i].stop, 1, __ATOMIC_RELAXED);
		pthread_join(t[i], NULL);
		printf("poller %u (%s): %" PRIu64 " polls, then %d\n", i,
		       p[i].reg ? (p[i].lcore_ok ? "lcore id" : "no lcore id given") :
		       "no lcore id", p[i].polls, p[i].ret);
	}
	ret = p[0].ret == -ENODEV && p[1].ret == -ENODEV ? TEST_SUCCESS : TEST_FAILED;
	vfbc_channel_free(att);
out_fill:
	mp_unmap_unfill("inproc_fill_", filled);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_red_inproc_autotest, test_mp_unmap_red_inproc,
				  "--total-vfs 4", "mp");

/*
 * A red-team finding on dd9e832 ("the creator's free guards its own
 * process's handles too"): with --legacy-mem, EAL refuses memory event
 * callbacks (ENOTSUP), and the library then guards no handle at all
 * (unmap_watch_start(): "pages are never given back while the process
 * runs"). But a freed memzone's memory is the next allocation's, in the
 * creator's process first (the very case dd9e832 names): __vfbc_channel_unmap()
 * finds no guarded handle to mark, and an attached handle of the freed
 * channel reads (and its poll, claim and release write) whatever was
 * allocated there since. Expected: -ENODEV from the attached handle's calls
 * after its creator freed the channel, as without --legacy-mem
 * (mp_unmap_red_inproc_autotest). Observed: 0, the claim word read from the
 * memzone allocated since. The same test without --legacy-mem passes.
 */
#define LEGACY_NAME	"red_legacy"

static int
test_mp_unmap_red_legacy(void)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	struct vfbc_channel *ch = NULL, *att = NULL;
	const struct rte_memzone *mz, *reuse = NULL;
	struct mp_world w;
	const void *old_addr;
	size_t len;
	uint32_t epoch = 0;
	pid_t pid = 0;
	int ret, r, held;

	ret = mp_world_start(&w, "--legacy-mem");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = TEST_FAILED;
	ch = vfbc_channel_create(LEGACY_NAME, 4, SOCKET_ID_ANY);
	att = ch != NULL ? vfbc_channel_attach(LEGACY_NAME) : NULL;
	if (att == NULL) {
		printf("create/attach: %d\n", rte_errno);
		goto out;
	}
	r = vfbc_channel_claim(att, 0, -1);
	if (r != 0) {
		printf("in-process claim: %d\n", r);
		goto out;
	}
	snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, LEGACY_NAME);
	mz = rte_memzone_lookup(mz_name);
	if (mz == NULL)
		goto out;
	old_addr = mz->addr;
	len = mz->len;
	vfbc_channel_free(ch);
	ch = NULL;
	/* The next allocation of the size takes the memory. */
	reuse = rte_memzone_reserve_aligned("red_legacy_reuse", len, SOCKET_ID_ANY, 0,
					    RTE_CACHE_LINE_SIZE);
	if (reuse == NULL || reuse->addr != old_addr) {
		printf("inconclusive: the next allocation is elsewhere (%p, was %p)\n",
		       reuse != NULL ? reuse->addr : NULL, old_addr);
		ret = TEST_SKIPPED;
		goto out;
	}
	memset(reuse->addr, 0x5a, len);
	r = vfbc_channel_claim_get(att, 0, &pid, &epoch);
	held = vfbc_channel_holds(att, 0);
	ret = TEST_SUCCESS;
	if (r != -ENODEV) {
		printf("claim_get through the attached handle of the freed channel: %d (pid "
		       "%d, epoch 0x%x: the new memzone's bytes), want -ENODEV\n", r, (int)pid,
		       epoch);
		ret = TEST_FAILED;
	}
	r = vfbc_channel_current(att);
	if (r != -ENODEV && r != 0) {
		printf("current through the attached handle of the freed channel: %d\n", r);
		ret = TEST_FAILED;
	}
	if (held != 0) {
		printf("holds through the attached handle of the freed channel: %d\n", held);
		ret = TEST_FAILED;
	}
out:
	/* The handle's free releases into the memory: the memzone goes first. */
	if (att != NULL && reuse != NULL && reuse->addr == old_addr)
		memset(reuse->addr, 0, len);
	vfbc_channel_free(att);
	vfbc_channel_free(ch);
	rte_memzone_free(reuse);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_unmap_red_legacy_autotest, test_mp_unmap_red_legacy,
				  "--total-vfs 4", "mp");
