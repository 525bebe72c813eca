/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PERF_H_
#define _VFBC_PERF_H_

/*
 * vfbc-perf: the PF primary drives every benchmark; VF roles run in
 * secondary processes it starts itself (the same program, re-executed with
 * a hidden role option). The processes meet in one control memzone: the
 * primary publishes a command, each secondary runs its side and reports.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>
#include <vfbc_pmd_pf.h>
#include <vfbc_pmd_vf.h>

/** Control memzone, created by the primary. */
#define VFBC_PERF_MZ_CTL "vfbc_perf_ctl"
/** Timestamp arrays of the latency benchmarks. */
#define VFBC_PERF_MZ_SAMPLES "vfbc_perf_samples"
/** Rings of the rte_ring baselines. */
#define VFBC_PERF_RING_FWD "vfbc_perf_fwd"
#define VFBC_PERF_RING_BWD "vfbc_perf_bwd"
#define VFBC_PERF_RING_BULK "vfbc_perf_bulk"
/** Size of the streaming ring (as DPDK's ring_perf_autotest). */
#define VFBC_PERF_BULK_RING_SIZE 4096
/** Burst of the ring streaming baseline. */
#define VFBC_PERF_BURST 32
/** rte_mp action of the rte_mp baseline. */
#define VFBC_PERF_MP_ACTION "vfbc_perf_mp"
/** Channels of the channel-level figures (not the PF driver's channel). */
#define VFBC_PERF_CH_ONE "perf_1"
#define VFBC_PERF_CH_MANY "perf_many"

#define VFBC_PERF_MAX_PROCS 16
#define VFBC_PERF_MAX_VFS VFBC_CHANNEL_MAX_VFS
/** Distinct single-bit masks in flight in the "VF keeps up" throughput. */
#define VFBC_PERF_KEEPUP_WINDOW 32
/** Requests a busy VF keeps in flight in the channel-level service benchmark. */
#define VFBC_PERF_REQ_INFLIGHT 16
/** Budget of each vfbc_pf_mbox_poll() call (the driver's service uses 32). */
#define VFBC_PERF_MBOX_BUDGET 32
/** Timeout of a driver request (vfbc_vf_write_config_block()). */
#define VFBC_PERF_REQ_TIMEOUT_MS 1000
/** Chunks the latency samples are split into, the mechanisms alternating. */
#define VFBC_PERF_LAT_CHUNKS 10
/** How long a spinning side waits for its peer before calling it dead. */
#define VFBC_PERF_PEER_TIMEOUT_S 5
/** No ethdev port (the VF PMD has none for this VF). */
#define VFBC_PERF_NO_PORT UINT16_MAX

/** Sample arrays in the samples memzone. */
enum vfbc_perf_array {
	VFBC_PERF_A_CL_T0,   /**< Cache line: PF store. */
	VFBC_PERF_A_CL_T1,   /**< ... VF saw it. */
	VFBC_PERF_A_CL_T3,   /**< ... PF saw the answer. */
	VFBC_PERF_A_DRV_T0,  /**< vfbc driver: PF invalidate call. */
	VFBC_PERF_A_DRV_T1,  /**< ... VF poll returned the mask. */
	VFBC_PERF_A_CH_T0,   /**< vfbc channel: PF invalidate. */
	VFBC_PERF_A_CH_T1,   /**< ... VF poll returned the mask. */
	VFBC_PERF_NB_ARRAYS,
};

/** Where an invalidation or request benchmark goes through. */
enum vfbc_perf_level {
	VFBC_PERF_CHANNEL = 0, /**< lib/vfbc directly, on the benchmark's own channels. */
	VFBC_PERF_DRIVER = 1,  /**< net_vfbc_pf and net_vfbc_vf APIs. */
	VFBC_PERF_NB_LEVELS,
};

#define VFBC_PERF_MAGIC 0x46524550u /* "PERF" */

/** Commands from the primary to the secondaries. */
enum vfbc_perf_cmd {
	VFBC_PERF_CMD_NONE = 0,
	VFBC_PERF_CMD_EXIT,
	VFBC_PERF_CMD_CACHELINE,
	VFBC_PERF_CMD_RING_PINGPONG,
	VFBC_PERF_CMD_RING_STREAM,
	VFBC_PERF_CMD_PIPE,
	VFBC_PERF_CMD_MP,
	VFBC_PERF_CMD_INV_LATENCY,
	VFBC_PERF_CMD_INV_STREAM,
	VFBC_PERF_CMD_INV_SOLO,
	VFBC_PERF_CMD_POLL_IDLE,
	VFBC_PERF_CMD_REQ_RTT,
	VFBC_PERF_CMD_REQ_BUSY,
};

/** Per-secondary state, written by that secondary. */
struct vfbc_perf_proc {
	uint64_t done_seq;  /**< cmd_seq of the last command finished. */
	uint32_t ready;     /**< 1 once attached and waiting for commands. */
	int32_t status;     /**< 0, or a negative errno of the last command. */
	int32_t pid;        /**< Process id. */
	uint32_t lcore;     /**< Its lcore. */
	int32_t cpu;        /**< CPU its busy loop is pinned to (-1 unknown). */
	uint32_t pmd_vfs;   /**< VFs it consumes through the VF PMD. */
	uint32_t ch_vfs;    /**< VFs it consumes on the PF driver's channel. */
	uint64_t count;     /**< Command result: elements, requests, ... */
	uint64_t round_ack; /**< Last accounting round finished. */
	uint64_t bits_delivered; /**< Accounting: bits taken by poll. */
	uint64_t bits_lost;      /**< ... sent in a round, not delivered in it. */
	uint64_t phantom_bits;   /**< ... delivered, not sent in that round. */
	uint64_t deliveries;     /**< Non-empty polls. */
	double poll_ns;          /**< Command result: cost of an empty poll. */
} __rte_cache_aligned;

/** Per-VF counters, written by the consumer of the VF. */
struct vfbc_perf_vf {
	uint64_t bits;       /**< Bits delivered (flow control of the keep-up run). */
	uint64_t deliveries; /**< Non-empty polls. */
} __rte_cache_aligned;

/** A cache line with one word, written by one side only. */
struct vfbc_perf_line {
	uint64_t v;
} __rte_cache_aligned;

/** The control memzone. */
struct vfbc_perf_ctl {
	uint32_t magic;
	uint32_t nb_procs;     /**< Secondaries started. */
	uint64_t tsc_hz;
	uint32_t cmd;          /**< enum vfbc_perf_cmd, valid with cmd_seq. */
	uint32_t level;        /**< enum vfbc_perf_level of the command. */
	uint32_t nb_vfs;       /**< VFs used by the command. */
	uint32_t nb_samples;   /**< Latency samples of the command. */
	uint32_t sample_off;   /**< Where the command's samples go in the arrays. */
	uint32_t nb_active;    /**< Secondaries taking part (0 .. nb_active-1). */
	int32_t pipe_fd[4];    /**< Inherited pipes: PF writes, PF reads, VF reads, VF writes. */
	uint64_t sample_cap;   /**< Length of each sample array. */
	uint64_t seed;         /**< Mask sequence seed. */
	char ch_name[32];      /**< Channel of a channel-level command. */
	/* The driver path, set up by the primary before the secondaries start. */
	char drv_ch[RTE_MEMZONE_NAMESIZE]; /**< The PF driver's channel (PF PCI name). */
	uint16_t pf_port;      /**< The PF's ethdev port. */
	uint16_t drv_nb_vfs;   /**< VFs of the driver runs (0 .. drv_nb_vfs - 1). */
	uint16_t vf_port[VFBC_PERF_MAX_VFS]; /**< VF ethdev port, or VFBC_PERF_NO_PORT. */
	/** Published last (release): a new command. */
	struct vfbc_perf_line cmd_seq;
	/** 1: stop a streaming command. */
	struct vfbc_perf_line stop;
	/** Accounting round published by the PF (sent_or valid for it). */
	struct vfbc_perf_line round;
	struct vfbc_perf_line ping; /**< PF-written ping-pong word. */
	struct vfbc_perf_line pong; /**< VF-written ping-pong word. */
	uint64_t sent_or[VFBC_PERF_MAX_VFS]; /**< Bits sent per VF this round. */
	struct vfbc_perf_proc proc[VFBC_PERF_MAX_PROCS];
	struct vfbc_perf_vf vf[VFBC_PERF_MAX_VFS];
};

/** Options. */
struct vfbc_perf_opts {
	double duration;       /**< Seconds per streaming benchmark. */
	unsigned int max_vfs;  /**< Largest VF count of the scaling run. */
	unsigned int procs;    /**< VF consumer processes. */
	unsigned int samples;  /**< Latency samples per mechanism. */
	int quick;
	int instructions;      /**< -1 auto, 0 no, 1 yes. */
	const char *json;
	const char *plot;
	int lcores[VFBC_PERF_MAX_PROCS + 1]; /**< CPUs: PF first, then VFs. */
	unsigned int nb_lcores;
	int role;              /**< -1: primary; else the secondary index. */
	unsigned long single_invalidate; /**< Calls of the callgrind mode. */
	const char *single_path; /**< Its path: channel, doorbell or coalesce. */
	const char *part_out;  /**< Service-only run (nested world): results file. */
};

/** A latency distribution, in ns. */
struct vfbc_perf_dist {
	int valid;
	char why[160];        /**< Reason it was not measured. */
	uint64_t samples;
	double p50, p90, p99, p999, max, mean;
	double *cdf_x;         /**< Sorted values for the plot (malloc'd). */
	uint64_t cdf_n;
};

/** Exact accounting of the invalidations of one level. */
struct vfbc_perf_acct {
	uint64_t bits_sent;
	uint64_t bits_delivered;
	uint64_t bits_lost;
	uint64_t phantom_bits;
	/*
	 * Counted by the channels (driver level: vfbc_pf_mbox_stats()): the
	 * "all blocks" deliveries after a takeover, and the takeovers. A mask
	 * of all ones is no evidence: random masks coalesce into it.
	 */
	uint64_t ch_resyncs;
	uint64_t ch_takeovers;
};

#define VFBC_PERF_MAX_MANY 5

/** The vfbc figures of one level. */
struct vfbc_perf_level_res {
	struct vfbc_perf_dist inv;          /**< PF->VF one-way, pooled chunks. */
	struct vfbc_perf_dist req;          /**< Request round trip. */
	double deliveries_per_s;
	double keepup_deliver_events_per_s;
	double invalidations_per_s;
	double overload_deliveries_per_s;
	double inv_call_ns;                 /**< Under overload, consumer polling. */
	double inv_call_ns_solo;            /**< Consumer idle (coalescing path). */
	double poll_idle_ns;                /**< VF poll with nothing pending. */
	unsigned int nb_many;
	unsigned int many_vfs[VFBC_PERF_MAX_MANY];
	unsigned int many_pmd_vfs[VFBC_PERF_MAX_MANY]; /**< ... polled through the VF PMD. */
	double many_inv_per_s[VFBC_PERF_MAX_MANY];
	double many_deliv_per_s[VFBC_PERF_MAX_MANY];
	double many_jain[VFBC_PERF_MAX_MANY];
	double many_min_max[VFBC_PERF_MAX_MANY];
	int service_valid;
	char service_why[160];
	double service_ns_1;
	double service_ns_256;
	double service_idle_ns_1;
	double service_idle_ns_256;
	double service_req_ns_1;
	double service_req_ns_256;
	unsigned int service_small_vfs;     /**< VFs of the "1 VF" figure's channel. */
	unsigned int service_big_vfs;
	struct vfbc_perf_acct acct;
};

/** Everything one run measured. */
struct vfbc_perf_results {
	char cpu[128];
	char date[64];
	char placement[1024];
	char driver[256];                   /**< How the driver path was set up. */
	uint64_t tsc_hz;
	struct vfbc_perf_level_res lv[VFBC_PERF_NB_LEVELS];
	struct vfbc_perf_dist cacheline;    /**< PF->VF one-way, pooled chunks. */
	struct vfbc_perf_dist cacheline_back; /**< VF->PF one-way. */
	struct vfbc_perf_dist ring;
	struct vfbc_perf_dist mp;           /**< rte_mp RTT / 2. */
	struct vfbc_perf_dist pipe;
	double tsc_offset_ns;               /**< VF TSC - PF TSC estimate. */
	unsigned int lat_chunks;
	/** callgrind, per call; < 0 unknown. [level][0 doorbell, 1 coalescing] */
	double instr[VFBC_PERF_NB_LEVELS][2];
	char instr_why[VFBC_PERF_NB_LEVELS][160];
	double raw_ring_elems_per_s;        /**< Burst of VFBC_PERF_BURST. */
	double raw_ring_single_per_s;       /**< Single-element enqueue. */
	int config_valid;
	char config_why[160];
	char config_fd_src[64];
	double config_writes_per_s;
	double raw_pwrite_per_s;
	unsigned int pmd_vfs;               /**< VFs with a VF PMD port. */
	double run_seconds;
};

/** The PF and VF ports of the driver path, in the primary or a secondary. */
struct vfbc_perf_target {
	enum vfbc_perf_level level;
	struct vfbc_channel *ch;  /**< Channel level; driver level: the PF driver's channel. */
	uint16_t pf_port;
	const uint16_t *vf_port;
};

/* PF side of an invalidation. */
static inline int
vfbc_perf_invalidate(const struct vfbc_perf_target *t, uint16_t vf, uint64_t mask)
{
	if (t->level == VFBC_PERF_DRIVER)
		return vfbc_pf_invalidate_config_blocks(t->pf_port, vf, mask);
	return vfbc_channel_invalidate(t->ch, vf, mask);
}

/*
 * VF side: the VF PMD's poll; a VF the PMD has no port for (more VFs than
 * RTE_MAX_ETHPORTS) is polled on the PF driver's channel.
 */
static inline int
vfbc_perf_poll(const struct vfbc_perf_target *t, uint16_t vf, uint64_t *mask)
{
	if (t->level == VFBC_PERF_DRIVER && t->vf_port[vf] != VFBC_PERF_NO_PORT)
		return vfbc_vf_poll(t->vf_port[vf], mask);
	return vfbc_channel_poll_invalidations(t->ch, vf, mask);
}

/* stats.c */
void vfbc_perf_dist_from_cycles(struct vfbc_perf_dist *d, uint64_t *cycles, uint64_t n,
		uint64_t tsc_hz, double scale);
void vfbc_perf_dist_invalid(struct vfbc_perf_dist *d, const char *fmt, ...)
	__rte_format_printf(2, 3);
void vfbc_perf_dist_free(struct vfbc_perf_dist *d);

/* report.c */
void vfbc_perf_print_table(FILE *f, const struct vfbc_perf_results *r,
		const struct vfbc_perf_opts *o);
int vfbc_perf_write_json(const char *path, const struct vfbc_perf_results *r,
		const struct vfbc_perf_opts *o);

/* plot.c */
int vfbc_perf_plot(const char *path, const struct vfbc_perf_results *r);

/* launch.c */
int vfbc_perf_enter_world(int argc, char **argv, const struct vfbc_perf_opts *o);
int vfbc_perf_world_bin(char *buf, size_t len);
int vfbc_perf_spawn(char **eal_argv, int eal_argc, unsigned int index, int cpu, pid_t *pid);
int vfbc_perf_run_nested(char **argv, int quiet);

/* ctl.c: the command protocol */
extern struct vfbc_perf_ctl *vfbc_perf_ctl;
extern uint64_t *vfbc_perf_samples[VFBC_PERF_NB_ARRAYS];
int vfbc_perf_ctl_create(unsigned int nb_procs, uint64_t sample_cap);
int vfbc_perf_ctl_attach(void);
void vfbc_perf_cmd_start(enum vfbc_perf_cmd cmd, unsigned int nb_active);
extern pid_t vfbc_perf_pids[VFBC_PERF_MAX_PROCS];
int vfbc_perf_cmd_wait(double timeout_s);
void vfbc_perf_progress(const char *fmt, ...) __rte_format_printf(1, 2);
void vfbc_perf_progress_done(void);
uint64_t vfbc_perf_mask(uint64_t seed, uint64_t i);
uint64_t vfbc_perf_load(const uint64_t *p);
void vfbc_perf_store(uint64_t *p, uint64_t v);
int vfbc_perf_peer_dead(const char *what);

/* Deadline of a bounded wait for the peer. */
static inline uint64_t
vfbc_perf_peer_deadline(void)
{
	return rte_get_tsc_cycles() + VFBC_PERF_PEER_TIMEOUT_S * rte_get_tsc_hz();
}

/*
 * 1 when a spin that started with deadline *t (0: not yet set) has lasted
 * too long. Reads the TSC once per 64K calls only: the measured spin loops
 * stay a load and a compare.
 */
static inline int
vfbc_perf_spin_expired(unsigned int *k, uint64_t *t)
{
	if ((++*k & 0xffff) != 0)
		return 0;
	if (*t == 0) {
		*t = vfbc_perf_peer_deadline();
		return 0;
	}
	return rte_get_tsc_cycles() > *t;
}

/* Spin (no pause) until *p == v; -ETIMEDOUT after 5 s (a dead peer). */
static inline int
vfbc_perf_spin_eq(const uint64_t *p, uint64_t v)
{
	unsigned int k = 0;
	uint64_t t = 0;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v)
		if (vfbc_perf_spin_expired(&k, &t))
			return -ETIMEDOUT;
	return 0;
}

/* Spin until i - *p < window; the last value read goes to *seen. */
static inline int
vfbc_perf_spin_below(const uint64_t *p, uint64_t i, uint64_t window, uint64_t *seen)
{
	unsigned int k = 0;
	uint64_t t = 0;

	while (i - (*seen = __atomic_load_n(p, __ATOMIC_ACQUIRE)) >= window)
		if (vfbc_perf_spin_expired(&k, &t))
			return -ETIMEDOUT;
	return 0;
}

/* target.c: the channels and ports of either level, in this process */
int vfbc_perf_channels_create(unsigned int max_vfs);
void vfbc_perf_channels_free(void);
struct vfbc_channel *vfbc_perf_channel(const char *name);
int vfbc_perf_target_get(struct vfbc_perf_target *t, enum vfbc_perf_level level,
		const char *ch_name);

/* drv.c: the driver path (PF port, VF ports, claims) */
int vfbc_perf_drv_setup(struct vfbc_perf_results *r, unsigned int nb_vfs);
int vfbc_perf_drv_allow_list(unsigned int index, unsigned int nb_procs, char ***argv,
		int *argc);
int vfbc_perf_drv_attach(struct vfbc_perf_proc *me, unsigned int index,
		unsigned int nb_procs);
void vfbc_perf_drv_detach(unsigned int index, unsigned int nb_procs);
int vfbc_perf_drv_stats(struct vfbc_perf_acct *a);
int vfbc_perf_pf_port(void);
int vfbc_perf_world_allow_list(char ***argv, int *argc);

/* bench_base.c: the baselines; PF side (primary) and VF side (secondary) */
int vfbc_perf_pf_cacheline(unsigned int n, unsigned int off);
int vfbc_perf_vf_cacheline(void);
void vfbc_perf_cacheline_result(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_pf_ring_pingpong(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_vf_ring_pingpong(void);
int vfbc_perf_pf_ring_stream(struct vfbc_perf_results *r, double seconds);
int vfbc_perf_vf_ring_stream(struct vfbc_perf_proc *me);
int vfbc_perf_pf_pipe(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_vf_pipe(void);
int vfbc_perf_pf_mp_register(void);
int vfbc_perf_pf_mp(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_vf_mp(void);
int vfbc_perf_create_rings(void);

/* bench_inv.c: vfbc invalidation latency, throughput, scaling, accounting */
int vfbc_perf_pf_inv_latency(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int n, unsigned int off);
void vfbc_perf_inv_latency_result(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int n);
int vfbc_perf_pf_inv_keepup(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		double seconds);
int vfbc_perf_pf_inv_overload(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		double seconds);
int vfbc_perf_pf_inv_many(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int nb_vfs, unsigned int nb_procs, double seconds, unsigned int slot);
int vfbc_perf_pf_inv_solo(struct vfbc_perf_results *r, enum vfbc_perf_level level);
int vfbc_perf_vf_inv_latency(struct vfbc_perf_proc *me);
int vfbc_perf_vf_inv_stream(struct vfbc_perf_proc *me, unsigned int index);
int vfbc_perf_vf_inv_solo(struct vfbc_perf_proc *me);
int vfbc_perf_pf_poll_idle(struct vfbc_perf_results *r, enum vfbc_perf_level level);
int vfbc_perf_vf_poll_idle(struct vfbc_perf_proc *me);
int vfbc_perf_ch_stats(struct vfbc_perf_acct *a);

/* bench_req.c: VF->PF requests and the PF service loop */
int vfbc_perf_pf_req_rtt(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int n);
int vfbc_perf_pf_service(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		double seconds);
int vfbc_perf_pf_service_small(struct vfbc_perf_results *r, const struct vfbc_perf_opts *o);
int vfbc_perf_part_service(const struct vfbc_perf_opts *o, double seconds);
int vfbc_perf_vf_req_rtt(struct vfbc_perf_proc *me);
int vfbc_perf_vf_req_busy(struct vfbc_perf_proc *me);

/* bench_config.c */
int vfbc_perf_pf_config(struct vfbc_perf_results *r, double seconds);

/* instr.c */
int vfbc_perf_single_invalidate(unsigned long n, const char *path);
void vfbc_perf_instructions(struct vfbc_perf_results *r, unsigned long n,
		const struct vfbc_perf_opts *o);

#endif /* _VFBC_PERF_H_ */
