/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PERF_H_
#define _VFBC_PERF_H_

/*
 * vfbc-perf: the PF primary drives every benchmark; VF roles run in
 * secondary processes it starts itself (the same program, re-executed with
 * a hidden role option). The processes meet in one control memzone (ctl.h)
 * and measure at two levels (target.h). Last, an isolated consumer (a DPDK
 * primary of its own, another hidden option) meets the primary in a
 * control block in a memory file (isolated.c).
 *
 * This header: what a run is asked (the options), what it measured (the
 * results), and the jobs of the program, one file each.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#include "ctl.h"
#include "target.h"

/** Burst of the ring streaming baseline. */
#define VFBC_PERF_BURST 32
/** Requests a busy VF keeps in flight in the channel-level service benchmark. */
#define VFBC_PERF_REQ_INFLIGHT 16
/** Budget of each vfbc_pf_mbox_poll() call (the driver's service uses 32). */
#define VFBC_PERF_MBOX_BUDGET 32

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
	int iso_fd;            /**< Isolated consumer: its control file; else -1. */
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
	double coalescing_per_s;            /**< Calls per second of that run. */
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
	/*
	 * Channel level: the idle service of an isolated channel (no doorbell
	 * bitmap: the PF reads the claimed VFs' request rings), every VF
	 * claimed; 0: not measured.
	 */
	double iso_service_idle_ns_1;
	double iso_service_idle_ns_256;
	double service_req_ns_1;
	double service_req_ns_256;
	/** The service's time per request, 1 in flight: the calls that served, timed. */
	double service_work_ns_1;
	unsigned int service_small_vfs;     /**< VFs of the "1 VF" figure's channel. */
	unsigned int service_big_vfs;
	/** Fan-out: one bulk call over bulk_vfs VFs, and bulk_vfs single calls (0: not run). */
	unsigned int bulk_vfs;
	struct vfbc_perf_dist bulk;
	struct vfbc_perf_dist singles;
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
	struct vfbc_perf_dist mp;           /**< rte_mp RTT / 2. */
	struct vfbc_perf_dist pipe;
	double tsc_offset_ns;               /**< VF TSC - PF TSC estimate. */
	unsigned int lat_chunks;
	/** callgrind, per call; < 0 unknown. [level][0 doorbell, 1 coalescing] */
	double instr[VFBC_PERF_NB_LEVELS][2];
	char instr_why[VFBC_PERF_NB_LEVELS][160];
	double raw_ring_elems_per_s;        /**< Burst of VFBC_PERF_BURST. */
	double raw_ring_single_elems_per_s; /**< One element per call, live consumer. */
	/*
	 * Sleep mode (bench_sleep.c): PF invalidate to the sleeping VF
	 * process's rte_epoll_wait() return, and a pipe write to the same
	 * process's wait on the pipe, interleaved; an armed, idle VF
	 * process's CPU time over wall time.
	 */
	struct vfbc_perf_dist sleep_wake;
	struct vfbc_perf_dist pipe_wake;
	/** Driver request round trip, the PF in vfbc_pf_mbox_poll_wait() (no spin). */
	struct vfbc_perf_dist req_pf_sleep;
	int sleep_idle_valid;
	char sleep_idle_why[160];
	double sleep_idle_cpu_s;
	double sleep_idle_wall_s;
	unsigned int sleep_idle_ports;      /**< VF ports the idle VF process holds. */
	int config_valid;
	char config_why[160];
	char config_fd_src[64];
	double config_writes_per_s;
	double raw_pwrite_per_s;
	unsigned int pmd_vfs;               /**< VFs with a VF PMD port. */
	double run_seconds;
	/*
	 * The isolated consumer (isolated.c): PF->VF one-way through the
	 * drivers, the PF re-probed with socket= after the runs above, the VF
	 * polled by net_vfbc_isolated in a process of its own; the cache line
	 * in the same chunks; its accounting.
	 */
	struct vfbc_perf_dist iso_inv;
	struct vfbc_perf_dist iso_cacheline;
	struct vfbc_perf_acct iso_acct;
	char isolated[384];                 /**< How the isolated path was set up. */
	/*
	 * Scale (bench_worlds.c): the driver's service loop in a world of
	 * VFBC_PERF_SCALE_PFS PFs of VFBC_CHANNEL_MAX_VFS VFs each, VF 0 of
	 * the first busy, and what the primary's memory grows by per VF.
	 */
	int scale_valid;
	char scale_why[160];
	unsigned int scale_pfs;
	unsigned int scale_vfs;
	double scale_service_ns;            /**< Per loop iteration, 1 VF busy. */
	double scale_service_req_ns;        /**< Per request answered. */
	double scale_service_idle_ns;       /**< Per loop iteration, no request. */
	double scale_chan_bytes_per_vf;     /**< The PFs' channel memzones over their VFs. */
	double scale_heap_bytes_per_vf;     /**< Heap in use, over the 1-VF world's, per VF. */
	double small_heap_bytes;            /**< Heap in use in the 1-VF world. */
};

/* EAL arguments: the user's, ours, and "-a <VF>" for every VF with a port. */
#define VFBC_PERF_MAX_ARGS (128 + 2 * VFBC_PERF_MAX_VFS)

/** Arguments for rte_eal_init() and for the secondaries. */
struct vfbc_perf_eal {
	char *argv[VFBC_PERF_MAX_ARGS];
	int argc;
	char *sec[VFBC_PERF_MAX_ARGS];  /**< Extra EAL arguments of the secondaries. */
	int nb_sec;
	char prefix[64];
	char lcore[16];
};

/* opts.c: the options */
void vfbc_perf_usage(FILE *f);
int vfbc_perf_parse(int argc, char **argv, struct vfbc_perf_opts *o);

/* eal.c: the EAL arguments */
int vfbc_perf_has_opt(char **argv, int argc, const char *const *names);
int vfbc_perf_eal_args(struct vfbc_perf_eal *e, char **user, int nb_user,
		const struct vfbc_perf_opts *o, const char *self);

/* world.c: the emulated world */
int vfbc_perf_enter_world(int argc, char **argv, const struct vfbc_perf_opts *o);
int vfbc_perf_world_bin(char *buf, size_t len);

/* primary.c, secondary.c, isolated.c: the roles; their exit status */
int vfbc_perf_primary(const struct vfbc_perf_opts *o, char **user, int nb_user,
		const char *argv0);
int vfbc_perf_secondary(int argc, char **argv, unsigned int index);
int vfbc_perf_vf_serve(unsigned int index, int (*alive)(void));
int vfbc_perf_isolated_consumer(int argc, char **argv, int fd);

/* isolated.c: the isolated row, after the run (failed: it did not finish) */
int vfbc_perf_isolated_run(const struct vfbc_perf_opts *o, const struct vfbc_perf_eal *e,
		struct vfbc_perf_results *r, int failed);

/* procs.c: the VF processes */
int vfbc_perf_start_procs(const struct vfbc_perf_opts *o, struct vfbc_perf_eal *e,
		struct vfbc_perf_results *r);
int vfbc_perf_procs_ready(void);
void vfbc_perf_stop_procs(void);

/* run.c: the benchmarks in order */
int vfbc_perf_run(const struct vfbc_perf_opts *o, struct vfbc_perf_results *r);
int vfbc_perf_latencies(struct vfbc_perf_results *r, unsigned int samples, int channel);
void vfbc_perf_step(const char *what);

/* acct.c: the accounting verdict */
int vfbc_perf_acct_add(struct vfbc_perf_acct *a, const struct vfbc_channel *ch, uint16_t port,
		unsigned int nb_vfs);
int vfbc_perf_acct_collect(struct vfbc_perf_results *r);
int vfbc_perf_acct_ok(const struct vfbc_perf_acct *a);
int vfbc_perf_acct_check(const struct vfbc_perf_results *r);

/*
 * The benchmarks, each in two halves: vfbc_perf_pf_*() in the PF primary
 * (run.c calls them in order), vfbc_perf_vf_*() in the VF processes
 * (secondary.c calls the one a command names).
 */
/* bench_base.c: the baselines; PF side (primary) and VF side (secondary) */
int vfbc_perf_pf_cacheline(unsigned int n, unsigned int off);
int vfbc_perf_vf_cacheline(struct vfbc_perf_proc *me);
void vfbc_perf_cacheline_result(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_pf_ring_stream(struct vfbc_perf_results *r, double seconds, unsigned int burst);
int vfbc_perf_vf_ring_stream(struct vfbc_perf_proc *me);
int vfbc_perf_pf_pipe(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_vf_pipe(struct vfbc_perf_proc *me);
int vfbc_perf_pf_mp(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_vf_mp(struct vfbc_perf_proc *me);
int vfbc_perf_baselines_setup(void);

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
int vfbc_perf_pf_inv_bulk(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int nb_vfs, unsigned int nb_procs, unsigned int reps);
int vfbc_perf_vf_inv_latency(struct vfbc_perf_proc *me);
int vfbc_perf_vf_inv_stream(struct vfbc_perf_proc *me);
int vfbc_perf_vf_inv_solo(struct vfbc_perf_proc *me);
int vfbc_perf_vf_inv_fanout(struct vfbc_perf_proc *me);
void vfbc_perf_account_sent(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		uint64_t bits);
int vfbc_perf_pf_poll_idle(struct vfbc_perf_results *r, enum vfbc_perf_level level);
int vfbc_perf_vf_poll_idle(struct vfbc_perf_proc *me);

/* bench_sleep.c: the VF PMD's sleep mode against a pipe, and its idle cost */
/** Chunks of the wake-up samples, the two mechanisms alternating. */
#define VFBC_PERF_SLEEP_CHUNKS 10
int vfbc_perf_sleep_setup(struct vfbc_perf_results *r);
int vfbc_perf_pf_sleep_wake(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_pf_sleep_idle(struct vfbc_perf_results *r, double seconds);
int vfbc_perf_vf_sleep_wake(struct vfbc_perf_proc *me);
int vfbc_perf_vf_sleep_idle(struct vfbc_perf_proc *me);

/* bench_req.c: VF->PF requests and the PF service loop */
int vfbc_perf_pf_req_rtt(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		unsigned int n);
int vfbc_perf_pf_req_rtt_sleeping(struct vfbc_perf_results *r, unsigned int n);
int vfbc_perf_pf_service(struct vfbc_perf_results *r, enum vfbc_perf_level level,
		double seconds);
int vfbc_perf_service_pair(const struct vfbc_perf_target *t, const char *name,
		unsigned int nb_vfs, double seconds, double *busy_iter, double *busy_req,
		double *idle_iter, double *work_req);

/* bench_worlds.c: the service loop in worlds of 1 VF and of 4 PFs (nested runs) */
#define VFBC_PERF_SCALE_PFS 4
int vfbc_perf_pf_service_small(struct vfbc_perf_results *r, const struct vfbc_perf_opts *o);
int vfbc_perf_pf_service_scale(struct vfbc_perf_results *r, const struct vfbc_perf_opts *o);
int vfbc_perf_part_service(const struct vfbc_perf_opts *o, double seconds);
int vfbc_perf_vf_req_rtt(struct vfbc_perf_proc *me);
int vfbc_perf_vf_req_busy(struct vfbc_perf_proc *me);

/* bench_config.c */
int vfbc_perf_pf_config(struct vfbc_perf_results *r, double seconds);

/* instr.c */
int vfbc_perf_single_invalidate(unsigned long n, const char *path);
void vfbc_perf_instructions(struct vfbc_perf_results *r, unsigned long n);

/* stats.c */
void vfbc_perf_dist_from_cycles(struct vfbc_perf_dist *d, uint64_t *cycles, uint64_t n,
		uint64_t tsc_hz, double scale);

/* report.c */
void vfbc_perf_print_table(FILE *f, const struct vfbc_perf_results *r,
		const struct vfbc_perf_opts *o);
int vfbc_perf_write_json(const char *path, const struct vfbc_perf_results *r,
		const struct vfbc_perf_opts *o);

/* report_targets.c: the targets of issue 14 */
void vfbc_perf_print_targets(FILE *f, const struct vfbc_perf_results *r);
void vfbc_perf_json_target_ratios(FILE *f, const struct vfbc_perf_results *r);
void vfbc_perf_json_target_notes(FILE *f, const struct vfbc_perf_results *r);

/* plot.c */
int vfbc_perf_plot(const char *path, const struct vfbc_perf_results *r);

#endif /* _VFBC_PERF_H_ */
