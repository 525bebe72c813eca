/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The world of the unmap tests (test_mp_unmap.c, test_mp_unmap_red.c): a
 * PF whose channel sits alone in pages its close gives back, and a
 * library-only consumer (mp_lib_vf) holding VF 0's claim.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"
#include "test_mp_unmap_common.h"
#include "vfbc_channel.h"

#define MP_UNMAP_FILL_MAX	256
#define MP_UNMAP_FILL_LEFT	(64 * 1024)	/* less than a channel */
#define MP_UNMAP_START_MS	30000

/* Take the heap's free space (every socket): a later allocation grows it. */
unsigned int
mp_unmap_fill(const char *prefix)
{
	struct rte_malloc_socket_stats st;
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int n = 0, s;
	size_t big;

	while (n < MP_UNMAP_FILL_MAX) {
		big = 0;
		for (s = 0; s < rte_socket_count(); s++)
			if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0 &&
			    st.greatest_free_size > big)
				big = st.greatest_free_size;
		if (big < MP_UNMAP_FILL_LEFT)
			break;
		snprintf(name, sizeof(name), "%s%u", prefix, n);
		/* Length 0: the biggest free block there is. */
		if (rte_memzone_reserve(name, 0, SOCKET_ID_ANY, 0) == NULL)
			break;
		n++;
	}
	return n;
}

void
mp_unmap_unfill(const char *prefix, unsigned int n)
{
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%u", prefix, i);
		rte_memzone_free(rte_memzone_lookup(name));
	}
}

/* Is addr's page mapped readable here (/proc/self/maps)? */
int
mp_unmap_mapped(const void *addr)
{
	unsigned long lo, hi, a = (unsigned long)addr;
	char line[512], perm[8];
	int r = 0;
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 && a >= lo && a < hi)
			r = perm[0] == 'r';
	fclose(f);
	return r;
}

/*
 * The PF probed again with the heap full, so that its channel sits alone in
 * pages its close gives back; *post: the filler memzones to free before
 * the close. The PF's port in *pf_port, the channel's address in *hdr.
 */
int
mp_unmap_pf_in_own_pages(struct mp_world *w, uint16_t *pf_port, const void **hdr,
		      unsigned int *filled, unsigned int *post)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	const struct rte_memseg *ms;
	struct rte_eth_dev_info info;

	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(w->pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	*filled = mp_unmap_fill("mp_unmap_fill_");
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "PF probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, pf_port), "PF port");
	snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, MP_PF_NAME);
	mz = rte_memzone_lookup(mz_name);
	TEST_ASSERT_NOT_NULL(mz, "the channel's memzone");
	ms = rte_mem_virt2memseg(mz->addr, NULL);
	TEST_ASSERT_NOT_NULL(ms, "the channel's memseg");
	TEST_ASSERT((ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) == 0,
		    "inconclusive: the channel is in the -m hugepages");
	*hdr = mz->addr;
	*post = mp_unmap_fill("mp_unmap_post_");
	return TEST_SUCCESS;
}

/* The consumer: the library alone, holding VF 0's claim. */
int
mp_unmap_consumer_start(struct mp_child *c)
{
	char rest[MP_LINE_MAX];

	if (mp_child_spawn(c, "mp_lib_vf", "--no-pci", NULL) < 0 ||
	    mp_child_expect(c, "ready", rest, sizeof(rest), MP_UNMAP_START_MS) < 0) {
		printf("the consumer did not start\n");
		return -1;
	}
	if (mp_child_ret(c, NULL, 0, MP_UNMAP_CMD_MS, "claim 0") != 0) {
		printf("the consumer did not get VF 0's claim\n");
		return -1;
	}
	return 0;
}

/* Close the PF's port: the channel's pages go, here and in the consumer. */
int
mp_unmap_pf_close(uint16_t pf_port, const void *hdr, unsigned int post)
{
	mp_unmap_unfill("mp_unmap_post_", post);
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(pf_port), "close the PF port");
	TEST_ASSERT(mp_unmap_mapped(hdr) == 0,
		    "inconclusive: the channel's first page is still mapped after the close");
	return TEST_SUCCESS;
}

void
mp_unmap_consumer_quit(struct mp_child *c)
{
	if (c->pid > 0 && mp_child_send(c, "quit") == 0)
		mp_child_expect(c, "bye", NULL, 0, MP_UNMAP_CMD_MS);
	mp_child_close(c);
}

/* One call of the consumer: want its return, and the consumer alive. */
int
mp_unmap_call(struct mp_child *c, const char *cmd, int want)
{
	int ret = mp_child_ret(c, NULL, 0, MP_UNMAP_CMD_MS, "%s", cmd);

	if (ret != want) {
		printf("%s after the close: %d, want %d%s\n", cmd, ret, want,
		       mp_child_wait(c, 2000) == 128 + SIGSEGV ? " (the consumer faulted)" : "");
		return -1;
	}
	return 0;
}

int
mp_unmap_start(struct mp_unmap_world *u)
{
	int ret;

	memset(u, 0, sizeof(*u));
	u->c.pid = -1;
	u->c.to_fd = u->c.from_fd = -1;
	ret = mp_world_start(&u->w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = mp_unmap_pf_in_own_pages(&u->w, &u->pf_port, &u->hdr, &u->filled, &u->post);
	if (ret != TEST_SUCCESS)
		return ret;
	return mp_unmap_consumer_start(&u->c) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

int
mp_unmap_close(struct mp_unmap_world *u)
{
	int ret = mp_unmap_pf_close(u->pf_port, u->hdr, u->post);

	u->post = 0;
	return ret;
}

int
mp_unmap_consumer_bye(struct mp_unmap_world *u)
{
	if (mp_child_send(&u->c, "quit") < 0 ||
	    mp_child_expect(&u->c, "bye", NULL, 0, MP_UNMAP_CMD_MS) < 0)
		return -1;
	if (mp_child_wait(&u->c, MP_UNMAP_CMD_MS) != 0) {
		printf("the consumer did not end cleanly\n");
		return -1;
	}
	return 0;
}

void
mp_unmap_end(struct mp_unmap_world *u)
{
	mp_unmap_consumer_quit(&u->c);
	mp_unmap_unfill("unmap_post_", u->post);
	mp_unmap_unfill("unmap_fill_", u->filled);
}
