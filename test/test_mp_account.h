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
 *
 * The soak (test_mp_soak.c) adds two logs, checked by the same call
 * (test_mp_account_data.c): a read log, each config block an agent read
 * after a delivery, with the generation the self-describing data carried;
 * and a request log, each VF->PF request an agent made and how it ended.
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

/*
 * Faults an agent injects (env MPA_FAULT, or the soak's "run <fault>"), for
 * the checker's self-check.
 */
#define MPA_FAULT_NONE		0
#define MPA_FAULT_DROP		1	/* never record bit MPA_FAULT_BIT */
#define MPA_FAULT_PHANTOM	2	/* two extra deliveries of MPA_FAULT_BIT at the end */
#define MPA_FAULT_TORN		3	/* one byte of the first block read flipped */
#define MPA_FAULT_DOUBLE	4	/* the first answered request counted twice */
#define MPA_FAULT_BIT		5

/* MPA_FAULT_* of a name ("none", "drop", ...); -1 if unknown. */
int mpa_fault_parse(const char *name);

/* Delivery flags. */
#define MPA_D_FINAL		0x1	/* the empty poll that ended the drain */
#define MPA_D_FIRST		0x2	/* first delivery of this VF in this process */
/* "All blocks", the first delivery after the agent claimed a revoked VF again. */
#define MPA_D_RESYNC		0x4

/* Block of a call that follows no block write. */
#define MPA_BLK_NONE		0xff

struct mpa_call {
	uint64_t mask;
	uint64_t s;
	uint64_t e;
	uint16_t vf;
	uint8_t done;		/* 1 once e is written, 2 if the call failed */
	uint8_t blk;		/* the block written just before, or MPA_BLK_NONE */
	uint32_t gen;		/* the generation that write stored */
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

/*
 * Self-describing block data: this header, payload, and a checksum of
 * everything before it in the last 4 bytes; len is the block's length.
 */
#define MPA_BLK_MAGIC		0x76666263	/* "vfbc" */
#define MPA_BLK_MIN		20

struct mpa_blk_hdr {
	uint32_t magic;
	uint32_t gen;
	uint16_t vf;
	uint8_t blk;
	uint8_t writer;		/* 0: the PF, 1 + agent: a VF's block write */
	uint8_t len;
	uint8_t rsv[3];
};

/* Blocks the PF writes (then invalidates) and the agents read. */
#define MPA_DATA_BLKS		8
/* Blocks each VF writes through requests and reads back: 56..63. */
#define MPA_VF_BLK_FIRST	56

/* Fill buf with len (MPA_BLK_MIN..128) bytes of block blk of VF vf. */
void mpa_blk_fill(uint8_t *buf, uint32_t len, uint16_t vf, uint8_t blk, uint8_t writer,
		  uint32_t gen);

/* Check n bytes read of block blk of VF vf: 0 and its generation, or -1 (torn). */
int mpa_blk_verify(const uint8_t *buf, int n, uint16_t vf, uint8_t blk, uint32_t *gen);

/* Read-log flags. */
#define MPA_R_DONE		0x1	/* the record is complete */
#define MPA_R_TORN		0x2	/* the data did not describe itself */
#define MPA_R_FAILED		0x4	/* the read returned an error (gen: -errno) */
#define MPA_R_AGAIN		0x8	/* it returned -EAGAIN first, then was retried */
/* -EPERM in a disable window: the PF revoked the claim (the VF is gone). */
#define MPA_R_REVOKED		0x10

struct mpa_read {
	uint64_t ds;		/* s stamp of the delivery the read followed */
	uint32_t gen;		/* generation read */
	uint16_t vf;
	uint8_t blk;
	uint8_t flags;
};

/* Request operations of the soak's agents. */
#define MPA_OP_BLOCK_WRITE	0	/* a block of MPA_VF_BLK_FIRST.., then read back */
#define MPA_OP_CFG_READ		1	/* Vendor and Device ID: the virtualized IDs */
#define MPA_OP_CFG_WRITE	2	/* cache line size or interrupt line, then read back */
#define MPA_OP_CFG_DENIED	3	/* Vendor ID: the policy refuses (-EPERM) */
#define MPA_OP_MAX		4

/* Request-log flags. */
#define MPA_Q_DONE		0x1	/* the call returned */
#define MPA_Q_WINDOW		0x2	/* a disable window overlapped it */
#define MPA_Q_POSTED		0x4	/* it reached the request ring */
#define MPA_Q_LIB		0x8	/* through the channel library */
#define MPA_Q_MISMATCH		0x10	/* wrong data: IDs, or the read back */
/*
 * -EPERM because the PF revoked the claim (a disable window): it may have
 * been posted (the PMD does not say) and was not answered to the VF.
 */
#define MPA_Q_REVOKED		0x20

/*
 * Soak: the time-out of a request outside a disable window, where it must
 * be answered: the bound of a live PF, not of its speed (vfbc-perf measures
 * that; the soak prints its slowest answer). Loaded CI machines have taken
 * 8 s to start a VF process (0.5 s unloaded), and a PF thread starved as
 * long answered nothing for over 3 s.
 */
#define MPA_SOAK_REQ_MS		10000

struct mpa_req {
	uint32_t req_id;	/* the channel's id (library agents), 0 through the PMD */
	int32_t status;		/* 0, or the negative errno the call returned */
	uint32_t gen;		/* incarnation of the agent */
	uint16_t vf;
	uint8_t op;		/* MPA_OP_* */
	uint8_t agent;
	uint8_t flags;		/* MPA_Q_* */
	uint8_t answers;	/* answers to it received while it waited */
	uint8_t late;		/* answers received after it timed out (library) */
	uint8_t rsv;
};

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
	uint64_t reads_cap;		/* the soak's logs (0: none) */
	uint64_t reqs_cap;
	uint64_t nb_reads;
	uint64_t nb_reqs;
	uint64_t reads_off;
	uint64_t reqs_off;
	/*
	 * Soak: bumped (odd) before virtualization is turned off and (even)
	 * once it is back on; a request that saw it change or odd may end
	 * -ENXIO or -ETIMEDOUT, any other may not.
	 */
	uint32_t disrupt;
	uint32_t flr_seq[MPA_MAX_VFS];		/* likewise around each FLR of a VF */
	uint32_t gen_cur[MPA_MAX_AGENTS];	/* incarnation of each agent now */
	/* Soak: each agent's slowest request answered outside a disable window. */
	uint64_t req_slowest_ns[MPA_MAX_AGENTS];
	uint16_t vendor_id;			/* what a VF reads as its IDs */
	uint16_t device_id;
	struct mpa_vf_clock vf[MPA_MAX_VFS];
	/*
	 * Soak: the life events each net_vfbc_vf port raised in its process
	 * (VFBC_VF_EVENT_*), written by the agent at each drain; gen is the
	 * writer's incarnation + 1 (0: never written).
	 */
	struct {
		uint32_t gen;
		uint32_t count[8];	/* raised */
		uint32_t past[8];	/* posted before a claim, history */
	} life[MPA_MAX_VFS];
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
	/* the soak's logs */
	uint64_t reads;			/* block reads */
	uint64_t torn;			/* reads whose data did not describe itself */
	uint64_t stale;			/* reads older than an invalidate before them */
	uint64_t read_errors;		/* reads that failed */
	uint64_t read_revoked;		/* -EPERM in a disable window: the claim revoked */
	uint64_t read_again;		/* reads retried after -EAGAIN (documented) */
	uint64_t reqs[MPA_OP_MAX];	/* requests made, by operation */
	uint64_t req_ok;		/* ... answered as the operation expects */
	uint64_t req_enxio;		/* ... -ENXIO, in a disable window */
	uint64_t req_timeout;		/* ... -ETIMEDOUT, in a disable window */
	uint64_t req_killed;		/* ... cut short by the kill of their process */
	uint64_t req_bad;		/* ... any other outcome: a failure */
	uint64_t req_double;		/* ... answered more than once: a failure */
	uint64_t req_mismatch;		/* ... with wrong data: a failure */
};

/* Classes of a request's answer: 0, -EPERM, -ENXIO, any other. */
#define MPA_ST_OK		0
#define MPA_ST_EPERM		1
#define MPA_ST_ENXIO		2
#define MPA_ST_OTHER		3
#define MPA_ST_MAX		4

/* MPA_ST_* of a status. */
unsigned int mpa_status_class(int32_t status);

/* What the logs say of one VF, to hold against the channel's counters. */
struct mpa_vf_totals {
	uint64_t calls;			/* invalidate calls that completed */
	uint64_t delivs;		/* deliveries (not the final poll) */
	uint64_t resyncs;
	uint64_t posted;		/* requests that reached the ring */
	uint64_t answers;		/* answers the VF took, late ones included */
	uint64_t status[MPA_ST_MAX];	/* posted requests answered, by class */
	uint64_t timeouts;		/* posted requests that timed out */
	uint64_t unfinished;		/* request records a killed process left incomplete */
	/*
	 * Ended by a revoked claim; each may have been posted, and then the
	 * PF dropped it (unclaimed, or emptied by the next grant) or answered
	 * it to nobody.
	 */
	uint64_t revoked;
};

/* The logs of m. */
struct mpa_call *mpa_calls(const struct mpa_shm *m);
struct mpa_deliv *mpa_delivs(const struct mpa_shm *m);
struct mpa_read *mpa_reads(const struct mpa_shm *m);
struct mpa_req *mpa_reqs(const struct mpa_shm *m);

/* ---- primary ---- */

/*
 * Create (or reset) the log for nb_vfs VFs with room for the given counts
 * (reads_cap and reqs_cap: the soak's logs, 0 for none).
 */
struct mpa_shm *mpa_create(uint32_t nb_vfs, uint64_t calls_cap, uint64_t delivs_cap,
			   uint64_t reads_cap, uint64_t reqs_cap);

/* Reset a log for a new run (no process may be writing to it). */
void mpa_reset(struct mpa_shm *m);

/* Empty the logs and restart the clocks, agents' mode words kept (idle agents). */
void mpa_reset_logs(struct mpa_shm *m);

/* One logged invalidate call; <0: the log is full (-ENOSPC) or the call failed. */
int mpa_invalidate(struct mpa_shm *m, uint16_t pf_port, uint16_t vf, uint64_t mask);

/* The same, after writing generation gen of block blk (its bit is the mask). */
int mpa_invalidate_blk(struct mpa_shm *m, uint16_t pf_port, uint16_t vf, uint8_t blk,
		       uint32_t gen);

/* VFBC_PF_VF_ALL: one call, logged as a call on each VF with that VF's stamps. */
int mpa_invalidate_all(struct mpa_shm *m, uint16_t pf_port, uint64_t mask);

/*
 * One logged vfbc_pf_invalidate_config_blocks_bulk() call: one record per
 * entry (n of them, 1..65535), so every VF must get exactly its masks.
 */
int mpa_invalidate_bulk(struct mpa_shm *m, uint16_t pf_port, const uint16_t *vf_ids,
			const uint64_t *masks, uint16_t n);

/* Most entries of mpa_invalidate_bulk_random(). */
#define MPA_BULK_MAX		64

/*
 * A logged bulk call of 1..most entries (most <= MPA_BULK_MAX): random VFs
 * below nb_vfs, duplicates included, random masks. The number of entries
 * (log records), or <0.
 */
int mpa_invalidate_bulk_random(struct mpa_shm *m, uint16_t pf_port, uint16_t nb_vfs,
			       uint16_t most);

/* A random mask of the stress mix: single bits, all ones, dense, sparse. */
uint64_t mpa_random_mask(void);

/* Set an agent's mode and wait (at most timeout_ms) until it acts on it. */
int mpa_set_mode(struct mpa_shm *m, unsigned int agent, uint32_t mode, unsigned int timeout_ms);

/* The two halves of it: set the mode (its sequence number), wait for the ack. */
uint32_t mpa_mode_store(struct mpa_shm *m, unsigned int agent, uint32_t mode);
int mpa_mode_wait(struct mpa_shm *m, unsigned int agent, uint32_t seq, unsigned int timeout_ms);

/*
 * Check the logs. resync_ok: a delivery flagged MPA_D_FIRST of a process of
 * generation > 0 must be the "all blocks" resync (and is then exempt from
 * the no-phantom rule). Prints the first few violations. 0 if the logs
 * satisfy the predicate, -1 otherwise; r gets the counts either way.
 */
int mpa_check(const struct mpa_shm *m, int resync_ok, struct mpa_result *r);

/* Print a result on one line, prefixed by what (and the soak's logs, when kept). */
void mpa_print(const char *what, const struct mpa_result *r);

/* Add a result to a running total. */
void mpa_result_add(struct mpa_result *sum, const struct mpa_result *r);

/* Per-VF totals of the logs, t[0..nb_vfs). */
void mpa_totals(const struct mpa_shm *m, int resync_ok, struct mpa_vf_totals *t);

/* A record of the delivery, read and request logs; NULL when full (the checker sees it). */
struct mpa_deliv *mpa_deliv_slot(struct mpa_shm *m);
struct mpa_read *mpa_read_slot(struct mpa_shm *m);
struct mpa_req *mpa_req_slot(struct mpa_shm *m);

/* 1 if the log of cap records took nb (counted in r->bad_records, printed), else 0. */
int mpa_log_overflowed(const char *what, uint64_t nb, uint64_t cap, struct mpa_result *r);

/* ---- the soak's logs (test_mp_account_data.c) ---- */

/*
 * Check the reads (none torn or failed; per VF and block, none older than
 * the block write of an invalidate that returned before its delivery
 * began, nor than an earlier read) and the requests (each ended as its
 * operation expects, -ENXIO or -ETIMEDOUT only in a disable window,
 * answered once, or cut short by a kill). Adds to r; 0 or -1.
 */
int mpa_check_data(const struct mpa_shm *m, struct mpa_result *r);

/* Per-VF request totals of the request log, added to t[0..nb_vfs). */
void mpa_totals_data(const struct mpa_shm *m, struct mpa_vf_totals *t);

/* ---- VF agents (mp_acct_vf: test_mp_agents.c, test_mp_agents_soak.c) ---- */

struct vfbc_channel;

/* Requests of a library agent that timed out and whose answers are due. */
#define MPA_LATE_MAX		32

/* One VF as an agent consumes it. */
struct mpa_port {
	uint16_t port;		/* net_vfbc_vf port, when lib is 0 */
	uint16_t vf;
	uint8_t lib;		/* 1: consumer through the channel library */
	uint8_t seen;		/* a delivery was recorded in this process */
	uint64_t cb_mask;	/* what the callback got in the last poll */
	struct vfbc_channel *ch;	/* the library's handle, when lib is 1 */
	uint32_t first_id;	/* library: first request id of this process, 0 before */
	uint32_t blk_gen;	/* generations of the blocks it writes */
	uint8_t resync_due;	/* claimed again: the next delivery is "all blocks" */
	uint64_t claim_retry_tsc;	/* a refused claim: not tried again before */
	uint32_t claim_retry_disrupt;	/* ... unless the disable window moved */
	unsigned int nb_late;
	uint32_t late_id[MPA_LATE_MAX];
	struct mpa_req *late[MPA_LATE_MAX];
};

/* One agent process: its ports, who it is, the fault it injects. */
struct mpa_agent {
	struct mpa_shm *m;
	struct mpa_port *ports;
	unsigned int nb_ports;
	unsigned int agent;
	uint32_t gen;
	int fault;
	int fault_done;		/* the once-only faults (torn, double) were injected */
	uint64_t again;		/* block reads that returned -EAGAIN */
	uint64_t again_ns;	/* the longest of those calls */
};

/*
 * Claim p's VF again after the PF revoked the claim (its VF was disabled),
 * as an application told of the disable would: 0 claimed, <0 not (the
 * VF is off). A refused claim is not tried again for a while unless the
 * disable window moved: claims are round trips to the primary.
 */
int mpa_agent_reclaim(struct mpa_agent *a, struct mpa_port *p);

/* Read and log the data blocks of mask after a delivery that began at stamp s. */
void mpa_agent_read_blocks(struct mpa_agent *a, struct mpa_port *p, uint64_t mask,
			   uint64_t s);

/*
 * One logged request of operation op (MPA_OP_*) on p, waiting at most
 * timeout_ms; the call's status (-ENOTCONN: the primary is gone).
 */
int mpa_agent_request(struct mpa_agent *a, struct mpa_port *p, unsigned int op,
		      uint32_t timeout_ms);

/* A request of a random operation and time-out, as the soak makes them. */
int mpa_agent_random_request(struct mpa_agent *a, struct mpa_port *p);

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
