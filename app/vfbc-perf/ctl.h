/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PERF_CTL_H_
#define _VFBC_PERF_CTL_H_

/*
 * The control memzone, where the PF primary and its VF processes meet, and
 * the command protocol over it (ctl.c): the primary publishes a command,
 * each VF process runs its side and reports. Also the bounded spin waits
 * both sides use, which give up on a dead peer. The isolated consumer, which
 * maps none of the primary's memzones, gets a control block of its own in a
 * memory file, with the same layout and protocol.
 */

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>

#define VFBC_PERF_MAX_PROCS 16
#define VFBC_PERF_MAX_VFS VFBC_CHANNEL_MAX_VFS
/** How long a spinning side waits for its peer before calling it dead. */
#define VFBC_PERF_PEER_TIMEOUT_S 5

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

/** Commands from the primary to the secondaries. */
enum vfbc_perf_cmd {
	VFBC_PERF_CMD_NONE = 0,
	VFBC_PERF_CMD_EXIT,
	VFBC_PERF_CMD_CACHELINE,
	VFBC_PERF_CMD_RING_STREAM,
	VFBC_PERF_CMD_PIPE,
	VFBC_PERF_CMD_MP,
	VFBC_PERF_CMD_INV_LATENCY,
	VFBC_PERF_CMD_INV_STREAM,
	VFBC_PERF_CMD_INV_SOLO,
	VFBC_PERF_CMD_POLL_IDLE,
	VFBC_PERF_CMD_REQ_RTT,
	VFBC_PERF_CMD_REQ_BUSY,
	VFBC_PERF_CMD_INV_FANOUT,
	VFBC_PERF_CMD_SLEEP_WAKE,
	VFBC_PERF_CMD_SLEEP_IDLE,
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
	double cpu_s;            /**< Command result: CPU time (user + system). */
	double wall_s;           /**< ... over this wall time. */
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
	uint32_t arg;          /**< Ring burst, sleep mechanism, idle time in ms. */
	uint32_t nb_active;    /**< Secondaries taking part (0 .. nb_active-1). */
	uint32_t inflight;     /**< Channel-level busy VF's requests in flight; 0: default. */
	int32_t pipe_fd[4];    /**< Inherited pipes: PF writes, PF reads, VF reads, VF writes. */
	uint64_t sample_cap;   /**< Length of each sample array. */
	uint64_t seed;         /**< Mask sequence seed. */
	char ch_name[32];      /**< Channel of a channel-level command. */
	/* The driver path, set up by the primary before the secondaries start. */
	char drv_ch[RTE_MEMZONE_NAMESIZE]; /**< The PF driver's channel (PF PCI name). */
	uint16_t pf_port;      /**< The PF's ethdev port. */
	uint16_t drv_nb_vfs;   /**< VFs of the driver runs (0 .. drv_nb_vfs - 1). */
	/**
	 * VF ethdev port, or VFBC_PERF_NO_PORT. An isolated consumer's port is
	 * its own (a port id of its process): it writes vf_port[0] itself.
	 */
	uint16_t vf_port[VFBC_PERF_MAX_VFS];
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

extern struct vfbc_perf_ctl *vfbc_perf_ctl;
extern uint64_t *vfbc_perf_samples[VFBC_PERF_NB_ARRAYS];
int vfbc_perf_ctl_create(unsigned int nb_procs, uint64_t sample_cap);
int vfbc_perf_ctl_attach(void);

/** A control block and its sample arrays, while another one is in use. */
struct vfbc_perf_ctl_saved {
	struct vfbc_perf_ctl *ctl;
	uint64_t *samples[VFBC_PERF_NB_ARRAYS];
};
int vfbc_perf_ctl_create_file(unsigned int nb_procs, uint64_t sample_cap, int *fd);
int vfbc_perf_ctl_attach_file(int fd);
void vfbc_perf_ctl_unmap_file(struct vfbc_perf_ctl *ctl);
void vfbc_perf_ctl_save(struct vfbc_perf_ctl_saved *s);
void vfbc_perf_ctl_restore(const struct vfbc_perf_ctl_saved *s);
void vfbc_perf_cmd_start(enum vfbc_perf_cmd cmd, unsigned int nb_active);
extern pid_t vfbc_perf_pids[VFBC_PERF_MAX_PROCS];
extern const char *vfbc_perf_who;
int vfbc_perf_cmd_wait(double timeout_s);
void vfbc_perf_progress(const char *fmt, ...) __rte_format_printf(1, 2);
void vfbc_perf_progress_done(void);
uint64_t vfbc_perf_mask(uint64_t seed, uint64_t i);
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

#endif /* _VFBC_PERF_CTL_H_ */
