/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * One primary drives 4 PFs of 256 VFs each (vfbc-world --pfs 4): every PF
 * is a net_vfbc_pf port with a channel of its own, and the 1,024 VFs each
 * get exactly what their PF does for them, nothing another PF did:
 *  - fan-out: a bulk call per PF, each VF with a mask of its own, then the
 *    all-VFs form on one PF: each VF delivers the OR of what its own PF
 *    sent it, once;
 *  - requests: every VF writes a block of its own, one loop serves the 4
 *    PFs (a poll per PF, then vfbc_pf_mbox_poll_all()), each poll
 *    answering its budget, every VF is answered once, and each PF holds
 *    its own VFs' data;
 *  - the loop over every PF with the service summary (one line, a bit per
 *    PF's channel) scribbled by a thread playing a hostile consumer:
 *    cleared all the time, every request is still answered, by the full
 *    look the loop makes once per sweep period; set all the time, the loop
 *    looks at every PF and answers as fast as without it;
 *  - rte_eal_cleanup() with the 4 PF ports open removes them cleanly (it
 *    finalises the service library first).
 * The test process plays the 1,024 VF consumers with the channel library
 * (a claim per VF, its config file as the proof). Memory per VF is printed.
 */

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_pf_mbox_common.h"

#define SCALE_PFS 4
#define SCALE_VFS 256
/* Block every VF writes, a poll's budget, and the loop's bound. */
#define SCALE_BLOCK 5
#define SCALE_BUDGET 32
#define SCALE_MAX_PASSES 1000

struct scale_pf {
	char name[64];
	uint16_t port;
	struct vfbc_channel *ch;
	int proof[SCALE_VFS];
};

static struct scale_pf scale_pfs[SCALE_PFS];

/* The mask PF p's bulk call sends VF v: two bits, different for each (p, v) pair. */
static uint64_t
scale_mask(unsigned int p, unsigned int v)
{
	return RTE_BIT64(v % 56) | RTE_BIT64(56 + p);
}

/* The world's PFs (its functions without a physfn link), in PCI order. */
static int
scale_find_pfs(char *eal, size_t len)
{
	char path[PATH_MAX], names[SCALE_PFS + 1][256];
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
		if (ents[i]->d_name[0] != '.' && lstat(path, &st) != 0 && nb <= SCALE_PFS)
			snprintf(names[nb++], sizeof(names[0]), "%s", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	if (nb != SCALE_PFS) {
		printf("the world has %u PFs, not %u\n", nb, SCALE_PFS);
		return -ENODEV;
	}
	for (i = 0; i < SCALE_PFS; i++) {
		if (strlen(names[i]) >= sizeof(scale_pfs[i].name))
			return -ENAMETOOLONG;
		memcpy(scale_pfs[i].name, names[i], strlen(names[i]) + 1);
		/* map_vfs=all: the PF reaches the VFs the allow list leaves out. */
		off += snprintf(eal + off, len - off, "-a %s,map_vfs=all ", names[i]);
	}
	return 0;
}

/* Attach PF p's channel and claim its VFs, each with its config file as the proof. */
static int
scale_claim_all(struct scale_pf *pf)
{
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX];
	struct rte_pci_addr addr;
	unsigned int v;
	int ret;

	pf->ch = vfbc_channel_attach(pf->name);
	TEST_ASSERT_NOT_NULL(pf->ch, "%s: no channel: %s", pf->name, rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(vfbc_channel_nb_vfs(pf->ch), SCALE_VFS, "%s: channel of %u VFs",
			  pf->name, vfbc_channel_nb_vfs(pf->ch));
	for (v = 0; v < SCALE_VFS; v++) {
		ret = vfbc_channel_vf_addr_get(pf->ch, v, &addr);
		TEST_ASSERT_SUCCESS(ret, "%s: VF %u: no address: %s", pf->name, v, strerror(-ret));
		rte_pci_device_name(&addr, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/%s/config", rte_pci_get_sysfs_path(), name);
		pf->proof[v] = open(path, O_RDONLY | O_CLOEXEC);
		TEST_ASSERT(pf->proof[v] >= 0, "%s: VF %u: %s: %s", pf->name, v, path,
			    strerror(errno));
		ret = vfbc_channel_claim(pf->ch, v, pf->proof[v]);
		TEST_ASSERT_SUCCESS(ret, "%s: VF %u (%s): claim: %s", pf->name, v, name,
				    strerror(-ret));
	}
	return TEST_SUCCESS;
}

/* Each VF of each PF delivers want(p, v) once, then nothing. */
static int
scale_check_masks(uint64_t (*want)(unsigned int, unsigned int), const char *what)
{
	unsigned int p, v;
	uint64_t mask;
	int ret;

	for (p = 0; p < SCALE_PFS; p++) {
		for (v = 0; v < SCALE_VFS; v++) {
			mask = 0;
			ret = vfbc_channel_poll_invalidations(scale_pfs[p].ch, v, &mask);
			TEST_ASSERT_EQUAL(ret, 1, "%s: PF %u VF %u: poll %d", what, p, v, ret);
			TEST_ASSERT_EQUAL(mask, want(p, v), "%s: PF %u VF %u: mask 0x%" PRIx64
					  ", want 0x%" PRIx64, what, p, v, mask, want(p, v));
			ret = vfbc_channel_poll_invalidations(scale_pfs[p].ch, v, &mask);
			TEST_ASSERT_EQUAL(ret, 0, "%s: PF %u VF %u delivered twice", what, p, v);
		}
	}
	return TEST_SUCCESS;
}

/* After the all-VFs form on PF 2 only. */
static uint64_t
scale_mask_all2(unsigned int p, unsigned int v)
{
	return scale_mask(p, v) | (p == 2 ? RTE_BIT64(63) : 0);
}

/* A bulk call per PF, each VF with its own mask. */
static int
scale_bulk_all(void)
{
	uint64_t masks[SCALE_VFS];
	uint16_t ids[SCALE_VFS];
	unsigned int p, v;
	int ret;

	for (p = 0; p < SCALE_PFS; p++) {
		for (v = 0; v < SCALE_VFS; v++) {
			ids[v] = (uint16_t)v;
			masks[v] = scale_mask(p, v);
		}
		ret = vfbc_pf_invalidate_config_blocks_bulk(scale_pfs[p].port, ids, masks,
							    SCALE_VFS);
		TEST_ASSERT_SUCCESS(ret, "PF %u: bulk: %s", p, strerror(-ret));
	}
	return TEST_SUCCESS;
}

static int
scale_fanout(void)
{
	int ret;

	ret = scale_bulk_all();
	if (ret == TEST_SUCCESS)
		ret = scale_check_masks(scale_mask, "bulk");
	if (ret == TEST_SUCCESS)
		ret = scale_bulk_all();
	if (ret != TEST_SUCCESS)
		return ret;
	ret = vfbc_pf_invalidate_config_blocks(scale_pfs[2].port, VFBC_PF_VF_ALL, RTE_BIT64(63));
	TEST_ASSERT_SUCCESS(ret, "PF 2: all VFs: %s", strerror(-ret));
	return scale_check_masks(scale_mask_all2, "bulk, then all VFs of PF 2");
}

static void
scale_block_data(unsigned int round, unsigned int p, unsigned int v, uint8_t data[8])
{
	unsigned int k;

	for (k = 0; k < 8; k++)
		data[k] = (uint8_t)(round * 13 + p * 61 + v * 7 + k);
}

/* How a round's requests are served. */
enum scale_loop {
	SCALE_PER_PF,		/* a vfbc_pf_mbox_poll() per PF */
	SCALE_ALL,		/* vfbc_pf_mbox_poll_all() */
	SCALE_ALL_CLEARED,	/* ... while a thread clears the service summary */
	SCALE_ALL_FLOODED,	/* ... while a thread sets every bit of it */
};

static const char *const scale_loop_names[] = {
	[SCALE_PER_PF] = "vfbc_pf_mbox_poll per PF",
	[SCALE_ALL] = "vfbc_pf_mbox_poll_all",
	[SCALE_ALL_CLEARED] = "vfbc_pf_mbox_poll_all, summary cleared",
	[SCALE_ALL_FLOODED] = "vfbc_pf_mbox_poll_all, summary flooded",
};

/* The hostile consumer's thread: the summary's bits, all 0 or all 1, until stopped. */
struct scale_scribbler {
	uint64_t *rung;
	uint64_t value;
	uint32_t stop;
	uint64_t writes;
};

static void *
scale_scribble(void *arg)
{
	struct scale_scribbler *s = arg;
	unsigned int w;

	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
		for (w = 0; w < VFBC_CHANNEL_SUMMARY_WORDS; w++)
			__atomic_store_n(&s->rung[w], s->value, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->writes, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * Calls of the loop over every PF until one finds nothing: that one looked
 * at every PF (or the summary alone), and the next full look is a sweep
 * period away. From then on only the summary leads the loop to a PF.
 */
static int
scale_settle(void)
{
	unsigned int calls;
	int n = 1;

	for (calls = 0; calls < SCALE_MAX_PASSES && n != 0; calls++) {
		n = vfbc_pf_mbox_poll_all(SCALE_PFS * SCALE_BUDGET);
		TEST_ASSERT(n >= 0, "mbox poll all: %s", strerror(-n));
	}
	TEST_ASSERT_EQUAL(n, 0, "the loop still serves after %u calls", calls);
	return TEST_SUCCESS;
}

/*
 * One request of the last PF's VF 200, after the loop settled. Led by the
 * summary, the next call answers it (without the summary, the request
 * would wait for the next full look, up to a sweep period). With its mark
 * cleared after the post, as a hostile consumer can, it waits for that
 * full look: it is answered late, never lost.
 */
static int
scale_probe(unsigned int round, int cleared)
{
	struct scale_pf *pf = &scale_pfs[SCALE_PFS - 1];
	uint64_t start = rte_get_timer_cycles(), hz = rte_get_timer_hz();
	const struct rte_memzone *mz;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	unsigned int calls = 0;
	uint8_t data[8];
	int ret, n = 0;

	scale_block_data(round, SCALE_PFS - 1, 200, data);
	test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, SCALE_BLOCK, data, sizeof(data));
	ret = vfbc_channel_request_post(pf->ch, 200, &req);
	TEST_ASSERT_SUCCESS(ret, "probe: post: %s", strerror(-ret));
	if (cleared) {
		mz = rte_memzone_lookup(VFBC_CHANNEL_SUMMARY_MZ);
		TEST_ASSERT_NOT_NULL(mz, "no service summary %s", VFBC_CHANNEL_SUMMARY_MZ);
		memset(((struct vfbc_channel_shm_summary *)mz->addr)->rung, 0,
		       sizeof(uint64_t) * VFBC_CHANNEL_SUMMARY_WORDS);
	}
	do {
		n = vfbc_pf_mbox_poll_all(SCALE_PFS * SCALE_BUDGET);
		TEST_ASSERT(n >= 0, "mbox poll all: %s", strerror(-n));
		calls++;
	} while (cleared && n == 0 && rte_get_timer_cycles() - start < hz);
	printf("probe%s: answered by call %u, after %.3f ms\n", cleared ?
	       " (summary cleared)" : "", calls,
	       (double)(rte_get_timer_cycles() - start) * 1e3 / hz);
	TEST_ASSERT_EQUAL(n, 1, "probe: %s call after the post served %d", cleared ?
			  "the last" : "the", n);
	ret = vfbc_channel_response_poll(pf->ch, 200, &resp);
	TEST_ASSERT(ret == 1 && resp.status == 0, "probe: answer %d, status %d", ret,
		    resp.status);
	return TEST_SUCCESS;
}

/*
 * Every VF writes a block; a loop over the 4 PFs answers each once: a
 * vfbc_pf_mbox_poll() per PF, or one vfbc_pf_mbox_poll_all() (the 4 PFs'
 * budgets in one), the summary left alone or scribbled.
 */
static int
scale_requests(unsigned int round, enum scale_loop loop)
{
	/* Static: a failed check below returns with the thread running on it. */
	static struct scale_scribbler scrib;
	const struct rte_memzone *mz = NULL;
	struct vfbc_channel_resp resp;
	struct vfbc_channel_req req;
	uint8_t data[8], got[8];
	unsigned int p, v, passes, answered = 0;
	int all = loop != SCALE_PER_PF;
	uint64_t start, deadline;
	pthread_t thread;
	double ms;
	int ret, n;

	if (all) {
		ret = scale_settle();
		if (ret != TEST_SUCCESS)
			return ret;
	}
	if (all && loop != SCALE_ALL_FLOODED) {
		ret = scale_probe(round, loop == SCALE_ALL_CLEARED);
		if (ret != TEST_SUCCESS)
			return ret;
	}
	if (loop == SCALE_ALL_CLEARED || loop == SCALE_ALL_FLOODED) {
		mz = rte_memzone_lookup(VFBC_CHANNEL_SUMMARY_MZ);
		TEST_ASSERT_NOT_NULL(mz, "no service summary %s", VFBC_CHANNEL_SUMMARY_MZ);
		memset(&scrib, 0, sizeof(scrib));
		scrib.rung = ((struct vfbc_channel_shm_summary *)mz->addr)->rung;
		scrib.value = loop == SCALE_ALL_FLOODED ? UINT64_MAX : 0;
		TEST_ASSERT_SUCCESS(pthread_create(&thread, NULL, scale_scribble, &scrib),
				    "scribbler thread");
		/* Running before the first post: every mark meets it. */
		deadline = rte_get_timer_cycles() + rte_get_timer_hz();
		while (__atomic_load_n(&scrib.writes, __ATOMIC_RELAXED) == 0 &&
		       rte_get_timer_cycles() < deadline)
			rte_pause();
	}
	for (p = 0; p < SCALE_PFS; p++) {
		for (v = 0; v < SCALE_VFS; v++) {
			scale_block_data(round, p, v, data);
			test_mbox_req_init(&req, VFBC_CHANNEL_REQ_BLOCK_WRITE, SCALE_BLOCK, data,
					   sizeof(data));
			ret = vfbc_channel_request_post(scale_pfs[p].ch, v, &req);
			TEST_ASSERT_SUCCESS(ret, "PF %u VF %u: post: %s", p, v, strerror(-ret));
		}
	}
	start = rte_get_timer_cycles();
	/* Scribbled, a call may find nothing: a second bounds the loop, not a count. */
	deadline = start + rte_get_timer_hz();
	for (passes = 0; answered < SCALE_PFS * SCALE_VFS &&
			(mz != NULL ? rte_get_timer_cycles() < deadline :
			 passes < SCALE_MAX_PASSES); passes++) {
		if (all) {
			n = vfbc_pf_mbox_poll_all(SCALE_PFS * SCALE_BUDGET);
			TEST_ASSERT(n >= 0, "mbox poll all: %s", strerror(-n));
			answered += n;
			continue;
		}
		for (p = 0; p < SCALE_PFS; p++) {
			n = vfbc_pf_mbox_poll(scale_pfs[p].port, SCALE_BUDGET);
			TEST_ASSERT(n >= 0, "PF %u: mbox poll: %s", p, strerror(-n));
			answered += n;
		}
	}
	ms = (double)(rte_get_timer_cycles() - start) * 1e3 / rte_get_timer_hz();
	if (mz != NULL) {
		__atomic_store_n(&scrib.stop, 1, __ATOMIC_RELAXED);
		pthread_join(thread, NULL);
	}
	printf("%u requests answered in %u passes, %.1f ms, over %u PFs (%s; %" PRIu64
	       " scribbles)\n", answered, passes, ms, SCALE_PFS, scale_loop_names[loop],
	       __atomic_load_n(&scrib.writes, __ATOMIC_RELAXED));
	TEST_ASSERT_EQUAL(answered, SCALE_PFS * SCALE_VFS, "answered %u of %u", answered,
			  SCALE_PFS * SCALE_VFS);
	/*
	 * Each poll answers its budget: the VFs it gathered but did not reach
	 * are the next poll's, not left for the 10 ms sweep. A summary set
	 * all the time makes the loop look at every PF: the same.
	 */
	if (loop != SCALE_ALL_CLEARED)
		TEST_ASSERT(passes <= SCALE_VFS / SCALE_BUDGET, "%u passes, %u needed: a poll "
			    "left VFs it gathered to the sweep", passes,
			    SCALE_VFS / SCALE_BUDGET);
	TEST_ASSERT(mz == NULL || __atomic_load_n(&scrib.writes, __ATOMIC_RELAXED) > 0,
		    "the scribbler never ran");
	for (p = 0; p < SCALE_PFS; p++) {
		for (v = 0; v < SCALE_VFS; v++) {
			ret = vfbc_channel_response_poll(scale_pfs[p].ch, v, &resp);
			TEST_ASSERT_EQUAL(ret, 1, "PF %u VF %u: no answer (%d)", p, v, ret);
			TEST_ASSERT_EQUAL(resp.status, 0, "PF %u VF %u: status %d", p, v,
					  resp.status);
			TEST_ASSERT_EQUAL(vfbc_channel_response_poll(scale_pfs[p].ch, v, &resp), 0,
					  "PF %u VF %u answered twice", p, v);
			scale_block_data(round, p, v, data);
			ret = vfbc_pf_read_config_block(scale_pfs[p].port, v, SCALE_BLOCK, got,
							sizeof(got));
			TEST_ASSERT_EQUAL(ret, (int)sizeof(got), "PF %u VF %u: read block: %d", p,
					  v, ret);
			TEST_ASSERT_BUFFERS_ARE_EQUAL(got, data, sizeof(data),
						      "PF %u VF %u: block holds another's data", p,
						      v);
		}
	}
	return TEST_SUCCESS;
}

/* The PFs' channel memzones over their VFs. */
static void
scale_print_memory(void)
{
	char mz_name[128];
	const struct rte_memzone *mz;
	size_t bytes = 0;
	unsigned int p;

	for (p = 0; p < SCALE_PFS; p++) {
		if (snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX,
			     scale_pfs[p].name) >= (int)sizeof(mz_name))
			continue;
		mz = rte_memzone_lookup(mz_name);
		if (mz != NULL)
			bytes += mz->len;
	}
	printf("channels: %zu bytes for %u VFs, %zu bytes per VF\n", bytes,
	       SCALE_PFS * SCALE_VFS, bytes / (SCALE_PFS * SCALE_VFS));
}

static void
scale_cleanup(void)
{
	unsigned int p, v;

	for (p = 0; p < SCALE_PFS; p++) {
		if (scale_pfs[p].ch != NULL) {
			for (v = 0; v < SCALE_VFS; v++)
				(void)vfbc_channel_release(scale_pfs[p].ch, v);
			vfbc_channel_free(scale_pfs[p].ch);
			scale_pfs[p].ch = NULL;
		}
		for (v = 0; v < SCALE_VFS; v++) {
			if (scale_pfs[p].proof[v] >= 0)
				close(scale_pfs[p].proof[v]);
			scale_pfs[p].proof[v] = -1;
		}
	}
}

static int
test_pf_scale(void)
{
	struct rlimit rl = { .rlim_cur = 4096, .rlim_max = 4096 };
	char eal[512];
	unsigned int p, v;
	int ret, n;

	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run through vfbc-test)");
	for (p = 0; p < SCALE_PFS; p++)
		for (v = 0; v < SCALE_VFS; v++)
			scale_pfs[p].proof[v] = -1;
	/* A proof per VF stays open while its claim is held: 1,024 of them. */
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		TEST_SKIP("cannot raise the open-file limit to %u: %s", 4096, strerror(errno));
	ret = scale_find_pfs(eal, sizeof(eal));
	TEST_ASSERT_SUCCESS(ret, "cannot find the world's PFs: %s", strerror(-ret));
	/* The PFs only: 1,028 functions would not fit RTE_MAX_ETHPORTS ports. */
	ret = vfbc_test_eal_init("%s", eal);
	if (ret != TEST_SUCCESS)
		return ret;
	for (p = 0; p < SCALE_PFS; p++) {
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(scale_pfs[p].name,
				    &scale_pfs[p].port), "PF %s has no port", scale_pfs[p].name);
		n = vfbc_pf_vf_count(scale_pfs[p].port);
		TEST_ASSERT_EQUAL(n, SCALE_VFS, "PF %s: %d VFs", scale_pfs[p].name, n);
	}
	ret = TEST_SUCCESS;
	for (p = 0; p < SCALE_PFS && ret == TEST_SUCCESS; p++)
		ret = scale_claim_all(&scale_pfs[p]);
	if (ret == TEST_SUCCESS)
		ret = scale_fanout();
	if (ret == TEST_SUCCESS)
		ret = scale_requests(0, SCALE_PER_PF);
	if (ret == TEST_SUCCESS)
		ret = scale_requests(1, SCALE_ALL);
	if (ret == TEST_SUCCESS)
		ret = scale_requests(2, SCALE_ALL_CLEARED);
	if (ret == TEST_SUCCESS)
		ret = scale_requests(3, SCALE_ALL_FLOODED);
	if (ret == TEST_SUCCESS)
		scale_print_memory();
	scale_cleanup();
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(pf_scale_autotest, test_pf_scale, "--pfs 4 --total-vfs 256");
