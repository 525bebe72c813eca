/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Red-team finding on the one life watch per process (fails on the code it
 * was written against): the watch's idle check (vf_life_idle()) and the
 * start of a look (vf_life_collect()) load the channel header's life_gen
 * through the handle of the port's last look, with no check that the
 * channel's memzone still exists; "the handle stays mapped until the port
 * closes" holds for the handle, not for the memory. When the PF closes its
 * port, vfbc_channel_free() bumps the word and frees the memzone; a
 * memzone in hugepages EAL allocated after its start (not the -m ones) is
 * given back to the kernel: the primary zeroes the pages and has every
 * secondary map PROT_NONE over them (rte_mp sync, inside
 * rte_memzone_free()), so the secondary's next look faults on the header
 * before it can see the bump. The watch before this change asked
 * vfbc_channel_current() (a memzone lookup) before reading the channel.
 *
 * Here the PF is probed again after the heap's free space is taken, so
 * its channel lands in hugepages the heap grew for it (alone: the rest is
 * taken too until the close); a VF process holds VF 0; the PF puts VF 0 in
 * D3hot, whose LSC callback keeps the watch 1 s; meanwhile the PF closes
 * its port. Want: LSC (POWER, the link goes down), then INTR_RMV
 * (PF_CLOSED), and the VF process alive, as with the watch of 800f1d5^
 * (one alarm per port), which passes this. Got: the VF process killed by SIGSEGV
 * at the header's life_gen (vfbc_channel_life_gen() from vf_life_collect(),
 * vfbc_vf_life.c:228 on 4d2cb21; vf_life_idle() reads it the same way).
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_debug.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"
#include "test_mp_common.h"
#include "test_mp_unmap_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_pf.h"

#define RED8_STALL_MS	1000

/* The VF process: a fault prints where it was, then ends the process. */
static void
red8_segv(int sig, siginfo_t *si, void *uc __rte_unused)
{
	fprintf(stderr, "red8_unmapped_agent: signal %d at address %p\n", sig, si->si_addr);
	rte_dump_stack();
	_exit(128 + sig);
}

static unsigned int red8_stall_ms;

/* The next LSC stays a while on EAL's interrupt thread: the watch waits. */
static int
red8_stall_cb(uint16_t port_id __rte_unused, enum rte_eth_event_type type __rte_unused,
	      void *arg __rte_unused, void *ret_param __rte_unused)
{
	unsigned int ms = __atomic_exchange_n(&red8_stall_ms, 0, __ATOMIC_RELAXED);

	if (ms != 0)
		usleep(ms * 1000);
	return 0;
}

/* "lscstall MS": the next LSC callback stays busy MS ms ("lscstall ok"). */
static int
red8_agent_extra(uint16_t port, const char *line)
{
	unsigned int ms;

	if (sscanf(line, "lscstall %u", &ms) != 1)
		return -1;
	__atomic_store_n(&red8_stall_ms, ms, __ATOMIC_RELAXED);
	mp_agent_send("lscstall %s", rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC,
		      red8_stall_cb, NULL) == 0 ? "ok" : "fail");
	return 0;
}

static int
red8_unmapped_agent(void)
{
	struct sigaction sa;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = red8_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	return mp_vf_agent_run(red8_agent_extra);
}

REGISTER_HIDDEN_TEST_COMMAND(red8_unmapped_agent, red8_unmapped_agent);

static int
test_mp_life_red8_unmapped(void)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	struct mp_life_ev ev[MP_LIFE_MAX_EV];
	const struct rte_memzone *mz;
	const struct rte_memseg *ms;
	struct rte_eth_dev_info info;
	struct mp_world w;
	struct mp_child c;
	uint16_t pf_port;
	unsigned int filled, post;
	const void *hdr;
	int ret, st;

	c.pid = -1;
	c.to_fd = c.from_fd = -1;
	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs >= 1, "the world has no VF");
	TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(w.pf_port, &info), "PF info");
	TEST_ASSERT_SUCCESS(rte_dev_remove(info.device), "PF remove");
	filled = mp_unmap_fill("red8_fill_");
	TEST_ASSERT_SUCCESS(rte_dev_probe(MP_PF_NAME), "PF probe");
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &pf_port), "PF port");
	snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, MP_PF_NAME);
	mz = rte_memzone_lookup(mz_name);
	TEST_ASSERT_NOT_NULL(mz, "the channel's memzone");
	ms = rte_mem_virt2memseg(mz->addr, NULL);
	TEST_ASSERT_NOT_NULL(ms, "the channel's memseg");
	printf("%u filler memzones; channel %s at %p, %zu bytes, its first page %s\n", filled,
	       mz_name, mz->addr, mz->len,
	       (ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) ? "kept (-m)" : "freeable");
	TEST_ASSERT((ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) == 0,
		    "inconclusive: the channel is in the -m hugepages");
	hdr = mz->addr;
	/* The rest of its pages too: what comes later (the VF process's) goes elsewhere. */
	post = mp_unmap_fill("red8_post_");
	TEST_ASSERT_SUCCESS(mp_pf_server_start(pf_port), "PF service");
	ret = TEST_FAILED;
	if (mp_life_spawn_vf(&c, "red8_unmapped_agent", w.vf_name[0]) < 0)
		goto out;
	/* A few periods: the port's whole look recorded the word (idle from then on). */
	usleep(300 * 1000);
	/*
	 * The watch held in an LSC callback (a power change) while the PF
	 * closes: it looks again only once the pages are gone, whatever the
	 * scheduling (without the stall, a look may land between the bump
	 * and the unmap, and see the close in time).
	 */
	if (mp_life_agent_arm(&c, "lscstall", RED8_STALL_MS) < 0)
		goto out;
	TEST_ASSERT_SUCCESS(vfbc_pf_set_vf_power_state(pf_port, 0, 3, 0), "VF 0 D3hot");
	usleep(RED8_STALL_MS * 1000 / 4);
	mp_pf_server_stop();
	/* Its pages hold the channel and the PF's state alone: the close gives them back. */
	mp_unmap_unfill("red8_post_", post);
	TEST_ASSERT_SUCCESS(rte_eth_dev_close(pf_port), "close the PF port");
	mz = rte_memzone_lookup(mz_name);
	printf("the PF port closed; its channel's memzone %s; its first page %s\n",
	       mz == NULL ? "gone" : "still there", mp_unmap_mapped(hdr) ? "mapped" : "unmapped");
	if (mp_life_expect(&c, "power, then PF close", "L2 M6", ev) < 0) {
		st = mp_child_wait(&c, 5000);
		printf("the VF process: exit status %d%s\n", st,
		       st == 128 + SIGSEGV ? " (SIGSEGV: it read the unmapped channel)" : "");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_life_agent_quit(&c);
	mp_pf_server_stop();
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_life_red8_unmapped_autotest, test_mp_life_red8_unmapped,
				  "--total-vfs 4", "mp");
