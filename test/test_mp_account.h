/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_MP_ACCOUNT_H_
#define _TEST_MP_ACCOUNT_H_

/*
 * Exact accounting of invalidations across processes, for the mp stress,
 * ring-full and kill tests.
 *
 * The primary (PF) creates one memzone, MPA_MZ_NAME, that every process
 * writes its own events into:
 *
 * - a call log: each PF invalidate call of VF v records its mask and two
 *   stamps of VF v's clock, s taken before the call and e after it returned;
 * - a delivery log: each non-empty poll of VF v (vfbc_vf_poll(), or the
 *   library's vfbc_channel_poll_invalidations(), in a secondary: mp_acct_vf
 *   in test_mp_agents.c) records its mask and two stamps, s
 *   before the poll and e after it; the last, empty, poll of the final drain
 *   is recorded too (mask 0, MPA_D_FINAL).
 *
 * A VF's clock is one 64-bit counter taken with sequentially consistent
 * fetch-and-add by both sides. The library's OR into the pending mask
 * (invalidate) and its exchange (poll) are sequentially consistent too, so
 * stamps order them: c.e < d.s means call c's OR came before poll d's
 * exchange; a bit that poll d took from call c means c.s < d.e.
 *
 * mpa_check() applies the predicate written at the top of test_mp_account.c.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_pci.h>

#define MPA_MZ_NAME		"mp_acct_log"
#define MPA_MAX_VFS		64
#define MPA_MAX_AGENTS		4

/* Agent modes, set by the primary in mpa_shm.mode[agent]. */
#define MPA_MODE_RUN		0	/* poll every VF, record deliveries */
#define MPA_MODE_HOLD		1	/* poll nothing */
#define MPA_MODE_REARM		2	/* poll nothing, store armed = 1 (ring-full test) */
#define MPA_MODE_DRAIN		3	/* drain every VF once, record the final poll, report */

/* Faults an agent injects (env MPA_FAULT), for the checker's self-check. */
#define MPA_FAULT_NONE		0
#define MPA_FAULT_DROP		1	/* never record bit MPA_FAULT_BIT */
#define MPA_FAULT_PHANTOM	2	/* two extra deliveries of MPA_FAULT_BIT at the end */
#define MPA_FAULT_BIT		5

/* Delivery flags. */
#define MPA_D_FINAL		0x1	/* the empty poll that ended the drain */
#define MPA_D_FIRST		0x2	/* first delivery of this VF in this process */

struct mpa_call {
	uint64_t mask;
	uint64_t s;
	uint64_t e;
	uint32_t vf;
	uint32_t done;		/* 1 once e is written */
};

struct mpa_deliv {
	uint64_t mask;
	uint64_t s;
	uint64_t e;
	uint16_t vf;
	uint8_t flags;
	uint8_t valid;		/* 1 once the record is complete (a killed writer leaves 0) */
	uint32_t gen;		/* incarnation of the agent process that polled */
};

struct mpa_vf_clock {
	uint64_t clock;
} __rte_cache_aligned;

struct mpa_shm {
	uint64_t calls_cap;
	uint64_t delivs_cap;
	uint64_t nb_calls;		/* allocation index of calls[] */
	uint64_t nb_delivs;		/* allocation index of delivs[] */
	uint32_t nb_vfs;
	uint32_t stop;			/* PF lcores: stop invalidating */
	uint32_t mode[MPA_MAX_AGENTS];	/* set by the primary */
	uint32_t mode_seq[MPA_MAX_AGENTS];	/* bumped with every mode change */
	uint32_t mode_ack[MPA_MAX_AGENTS];	/* mode_seq the agent acts on */
	uint64_t agent_delivs[MPA_MAX_AGENTS];	/* deliveries per agent (progress) */
	uint64_t calls_off;		/* offsets of the logs from the struct start */
	uint64_t delivs_off;
	struct mpa_vf_clock vf[MPA_MAX_VFS];
} __rte_cache_aligned;

/* Results of a check. */
struct mpa_result {
	uint64_t calls;			/* invalidate calls that completed */
	uint64_t bits_sent;		/* sum of their popcounts */
	uint64_t delivs;		/* non-empty deliveries */
	uint64_t bits_delivered;	/* sum of their popcounts */
	uint64_t resyncs;		/* "all blocks" deliveries allowed after a takeover */
	uint64_t lost;			/* (call, bit) pairs not covered in time */
	uint64_t phantom;		/* (delivery, bit) pairs no call explains */
	uint64_t bad_records;		/* malformed log entries */
};

/* ---- primary ---- */

/* Create (or reset) the log for nb_vfs VFs with room for the given counts. */
struct mpa_shm *mpa_create(uint32_t nb_vfs, uint64_t calls_cap, uint64_t delivs_cap);

/* Reset a log for a new run (no process may be writing to it). */
void mpa_reset(struct mpa_shm *m);

/* One logged invalidate call; <0: the log is full (-ENOSPC) or the call failed. */
int mpa_invalidate(struct mpa_shm *m, uint16_t pf_port, uint16_t vf, uint64_t mask);

/* A random mask of the stress mix: single bits, all ones, dense, sparse. */
uint64_t mpa_random_mask(void);

/* Set an agent's mode and wait (at most timeout_ms) until it acts on it. */
int mpa_set_mode(struct mpa_shm *m, unsigned int agent, uint32_t mode, unsigned int timeout_ms);

/*
 * Check the logs. resync_ok: a delivery flagged MPA_D_FIRST of a process of
 * generation > 0 must be the "all blocks" resync (and is then exempt from
 * the no-phantom rule). Prints the first few violations. 0 if the logs
 * satisfy the predicate, -1 otherwise; r gets the counts either way.
 */
int mpa_check(const struct mpa_shm *m, int resync_ok, struct mpa_result *r);

/* Print a result on one line, prefixed by what. */
void mpa_print(const char *what, const struct mpa_result *r);

/* ---- world of more than MP_MAX_VFS VFs (the PF side) ---- */

struct mpa_world {
	uint16_t pf_port;
	uint16_t nb_vfs;
	uint16_t nb_ports;			/* VFs with a port in the primary */
	uint8_t has_port[MPA_MAX_VFS];
	char vf_name[MPA_MAX_VFS][PCI_PRI_STR_SIZE];
};

/*
 * Start the primary's EAL ("-m <mem_mb>" plus extra_eal) in a world, find
 * the PF port and its VFs. TEST_SUCCESS, TEST_SKIPPED or TEST_FAILED.
 */
int mpa_world_start(struct mpa_world *w, unsigned int mem_mb, const char *extra_eal);

/*
 * EAL arguments and environment of an agent taking VFs first..first+n-1:
 * "--lcores L@C", one "-a<BDF>" (no space: few argv slots) per VF that has
 * a net_vfbc_vf port in the primary, and in lib_env "MPA_LIB_VFS=a-b" for
 * the rest (empty if none): DPDK builds cap the ports of a process at
 * RTE_MAX_ETHPORTS (32 by default), fewer than a PF's VFs may be.
 */
int mpa_agent_eal_args(const struct mpa_world *w, unsigned int first, unsigned int n,
		       unsigned int lcore, unsigned int cpu, char *buf, size_t size,
		       char *lib_env, size_t lib_size);

#endif /* _TEST_MP_ACCOUNT_H_ */
