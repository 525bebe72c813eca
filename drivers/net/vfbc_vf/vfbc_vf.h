/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_VF_H_
#define _VFBC_VF_H_

/*
 * Private state of net_vfbc_vf.
 *
 * struct vfbc_vf_adapter is the ethdev's dev_private: shared by every
 * process, so fixed-width values only. struct vfbc_vf_proc is each
 * process's process_private: the channel handle, the claim, the callbacks,
 * the service; none of it means anything in another process.
 */

#include <limits.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include <ethdev_driver.h>
#include <rte_pci.h>
#include <rte_spinlock.h>

#include <vfbc_channel.h>

#include "vfbc_pmd_vf.h"
#include "vfbc_sock_msg.h"

/* "vfbv": dev_private belongs to a net_vfbc_vf port. */
#define VFBC_VF_ADAPTER_MAGIC	0x76666276u

#define VFBC_VF_MAX_QUEUES	1
#define VFBC_VF_MAX_MTU		9000

/* Devargs. */
#define VFBC_VF_CLAIM_ARG	"claim"
/* How a request waits for its answer: "yield" (default) or "spin". */
#define VFBC_VF_REQ_WAIT_ARG	"req_wait"
/* net_vfbc_isolated's (vfbc_vf_isolated.c). */
#define VFBC_VF_SOCKET_ARG	"socket"
#define VFBC_VF_VF_ARG		"vf"
#define VFBC_VF_SECRET_ARG	"secret"
#define VFBC_VF_SECRET_FILE_ARG	"secret_file"

/* Bytes of a Unix socket path, NUL included (sizeof(sockaddr_un.sun_path)). */
#define VFBC_VF_SOCK_PATH_SIZE	108

/* No VF index known. */
#define VFBC_VF_ID_NONE		UINT16_MAX

/* Shared (dev_private). */
struct vfbc_vf_adapter {
	uint32_t magic;
	uint8_t started;
	uint8_t rsvd[3];
};

/* One invalidation callback of a port, in the process that registered it. */
struct vfbc_vf_cb {
	vfbc_vf_invalidate_cb_t fn;	/* NULL: free entry */
	void *arg;
	uint32_t active;		/* being called right now */
};

struct vfbc_vf_retired {
	struct vfbc_channel *ch;
	struct vfbc_vf_retired *next;
};

/* This process's view of a VF port (process_private). */
struct vfbc_vf_proc {
	uint16_t port_id;
	uint16_t vf_id;			/* slot in the channel, once attached */
	uint16_t sysfs_vf_id;		/* virtfnN index, VFBC_VF_ID_NONE: none */
	struct rte_pci_addr vf_addr;
	struct rte_pci_addr pf_addr;
	char pf_name[VFBC_VF_PF_NAME_SIZE]; /* the channel name; "" if unknown */
	char mz_name[RTE_MEMZONE_NAMESIZE]; /* the channel's memzone */

	struct vfbc_channel *ch;	/* NULL until attached */
	/*
	 * Handles of channels the PF freed and created again: kept until the
	 * port closes, since a thread may still hold one.
	 */
	struct vfbc_vf_retired *retired;
	uint32_t claimed;		/* read by rx_burst on any lcore */
	uint32_t releasing;		/* a release waits for the poll (ctrl_lock) */
	uint32_t dead;			/* primary gone (its pidfd said so): sticky */
	uint32_t lost_logged;		/* the loss of the claim was logged */
	int claim_err_logged;		/* the last refusal logged; 0 after a grant */
	uint8_t secondary;		/* this process is an EAL secondary */
	/* The VF's config-space file, held open: the claim's proof. -1: none. */
	int proof_fd;
	/* The primary's pidfd, watched by EAL's interrupt thread; -1: none. */
	int primary_pidfd;
	struct rte_intr_handle *primary_intr;
	pid_t primary_pid;

	rte_spinlock_t ctrl_lock;	/* claim, release, attach */
	rte_spinlock_t poll_lock;	/* one poller at a time (trylock) */
	rte_spinlock_t cb_lock;		/* the callback table */
	rte_spinlock_t fp_lock;		/* the port's fast-path entry (vfbc_vf_fp.c) */
	uint8_t closed;			/* the port closed: its id is ethdev's again */
	struct vfbc_vf_cb cbs[VFBC_VF_MAX_CALLBACKS];
	pthread_mutex_t req_lock;	/* one request in flight per process */
	uint8_t req_spin;		/* req_wait=spin: no sched_yield() while waiting */
	/* A poll is running the callbacks (poll_lock held), on thread deliverer. */
	uint32_t delivering;
	pthread_t deliverer;
	uint64_t stale_responses;	/* answers of timed-out requests dropped */

	uint32_t service_id;
	uint8_t service_valid;

	/*
	 * net_vfbc_isolated: the PF is reached through its control socket and
	 * the VF's region arrives as an fd (vfbc_vf_socket.c); none of the
	 * above that needs the PF's memory, sysfs or a PCI device applies
	 * (no memzone, no rte_mp claim, no proof, no primary pidfd). dead
	 * then means "the connection is gone", and a claim connects again.
	 */
	uint8_t isolated;
	int sock_fd;			/* the claim's connection; -1: none */
	struct rte_intr_handle *sock_intr; /* sock_fd on EAL's interrupt thread */
	int sock_wake;			/* its wake socket, until the sleep mode takes it; -1 */
	dev_t region_dev;		/* the region proc->ch maps (fstat) */
	ino_t region_ino;
	uint32_t pf_pid;		/* as the PF's reply says */
	uint32_t secret_len;
	char sock_path[VFBC_VF_SOCK_PATH_SIZE];
	uint8_t secret[VFBC_SOCK_SECRET_MAX]; /* wiped when the port closes */

	/*
	 * Life events (vfbc_vf_life.c): read by the watch on EAL's interrupt
	 * thread, which alone writes what follows but reset_needed, gone and
	 * the cursor (set by a claim, under ctrl_lock, which the watch takes).
	 */
	struct vfbc_channel_life_cursor life_cur;
	const struct vfbc_channel *life_ch; /* the handle life_cur reads; NULL: none */
	uint64_t life_inc;		/* ... and its channel's incarnation (a region's PF) */
	uint32_t life_claim_seq;	/* events posted before the last claim: history */
	uint32_t life_state;		/* VFBC_CHANNEL_LIFE_S_* as last read */
	/*
	 * In the process's watch (one alarm for every port, vfbc_vf_life.c):
	 * life_next and life_on under its lock, life_on once listed.
	 */
	TAILQ_ENTRY(vfbc_vf_proc) life_next;
	uint8_t life_on;		/* listed in the watch */
	uint8_t life_stopping;		/* the port closes: not looked at again */
	uint8_t life_free;		/* closed from a life callback: the watch frees proc */
	/*
	 * The next look reads the port's lines whatever the channel's life
	 * generation says (a claim, a kick, a look cut short); taken by a
	 * look under ctrl_lock.
	 */
	uint8_t life_due;
	uint8_t life_gen_ok;		/* life_gen was read by a whole look */
	uint32_t life_gen;		/* the channel's life generation then */
	/* The handle it was read from (the watch's: kept until close, as every one). */
	const struct vfbc_channel *life_gen_ch;
	/*
	 * The watch runs (interrupt thread, which alone reads it): a flag, as
	 * a plugin's thread-local storage touched there crashes gcc 12's
	 * LeakSanitizer at exit.
	 */
	uint8_t life_watching;
	uint8_t reset_needed;		/* an INTR_RESET was raised, no reset since */
	uint8_t link_up;		/* as last reported */
	uint8_t link_known;		/* link_up was reported once */
	uint8_t life_bad_logged;	/* unreadable life lines were logged */
	uint32_t gone;			/* VFBC_VF_EVENT_* + 1 that ended the claim; 0: none */
	uint32_t last_event;		/* VFBC_VF_EVENT_NONE before any */
	uint64_t events;
	uint32_t event_count[VFBC_VF_EVENT_NB];
	uint32_t past_count[VFBC_VF_EVENT_NB];	/* posted before a claim: not raised */
	/*
	 * Sleep mode (vfbc_vf_sleep.c), set up by the first claim in this
	 * process (ctrl_lock): what the application waits on (an epoll of the
	 * PF's wake socket and the driver's own kick), the Rx interrupt handle
	 * carrying it, and the claim the socket was asked for.
	 */
	int sleep_epfd;
	int sleep_kick;
	int sleep_wake;
	uint32_t claim_gen;		/* bumped by every claim */
	uint32_t sleep_claim_gen;	/* claim_gen when sleep_wake was asked for */
	uint8_t sleep_asking;		/* a thread asks the PF for sleep_wake */
	uint8_t sleep_rxintr;		/* the Rx interrupt is enabled (its arm) */
	struct rte_intr_handle *sleep_intr;
	struct rte_intr_handle *sleep_cb_intr; /* callback mode: EAL's thread waits */
	pthread_mutex_t sleep_cb_lock;	/* callback mode on and off, one at a time */
	uint8_t sleep_cb_running;	/* its callback runs (EAL's interrupt thread) */
	/*
	 * vfbc_vf_poll_wait() (ctrl_lock): the epoll it sleeps in (holding
	 * sleep_epfd; made by its first sleep), a thread is inside it, and
	 * the close that waits for it to leave. life_wakes: batches of life
	 * events the watch raised, so that a waiter sees one that came
	 * before it armed (the arm drains the kick).
	 */
	int wait_epfd;
	uint8_t waiting;
	uint8_t sleep_closing;
	uint32_t life_wakes;
	/* Isolated: the PF's last LIFE message (its own copy of the lines), unread. */
	struct vfbc_channel_life iso_life;
	uint8_t iso_life_new;
	uint32_t iso_bye;		/* VFBC_SOCK_LIFE_* + 1 before a hang-up; 0: none */
};

/* net_vfbc_isolated's devargs, parsed (vfbc_vf_devargs.c). */
struct vfbc_vf_iso_args {
	char socket[VFBC_VF_SOCK_PATH_SIZE];
	char secret_file[PATH_MAX];	/* "" when secret= was given */
	uint8_t secret[VFBC_SOCK_SECRET_MAX];
	uint32_t secret_len;		/* 0 when secret_file= was given */
	uint16_t vf;
	int claim;			/* default 1 */
	int req_spin;			/* req_wait=spin; default 0 */
};

/* A net_vfbc_vf port's devargs. */
struct vfbc_vf_args {
	int claim;			/* default: the caller's */
	int req_spin;			/* req_wait=spin; default 0 */
};

/*
 * vfbc_vf_devargs.c: the devargs string of a VF (NULL or "" for none);
 * a field is written only when its key is given. 0, or -EINVAL.
 */
int vfbc_vf_devargs_parse(const char *str, struct vfbc_vf_args *args);
/*
 * vfbc_vf_devargs.c: net_vfbc_isolated's devargs string: socket and vf
 * required, exactly one of secret and secret_file, claim optional. 0, or
 * -EINVAL with the reason logged. Reads no file.
 */
int vfbc_vf_iso_devargs_parse(const char *str, struct vfbc_vf_iso_args *args);
/*
 * vfbc_vf_devargs.c: the secret in file path (1..VFBC_SOCK_SECRET_MAX bytes,
 * one trailing newline dropped, no NUL byte). 0, or -errno logged.
 */
int vfbc_vf_secret_file_read(const char *path, uint8_t *secret, uint32_t *len);

/* vfbc_vf_ethdev.c */
/*
 * The shared half of a new port in the primary: a locally administered MAC
 * 02:bd:<mac_tail>, the link down; 0 or -ENOMEM.
 */
int vfbc_vf_data_init(struct rte_eth_dev *dev, const uint8_t mac_tail[4]);
int vfbc_vf_port_get(uint16_t port_id, struct rte_eth_dev **dev, struct vfbc_vf_proc **proc);

/*
 * vfbc_vf_fp.c: this process's state of each VF port, by port id (what the
 * driver's calls need without ethdev's checks, which cost more than the
 * channel's empty poll), written by vfbc_vf_proc_new() and
 * vfbc_vf_fp_close(); the exported vfbc_vf_fp_ports' entry of a port,
 * published again after every change of its claim, its channel or its
 * liveness, emptied for good by the close.
 */
extern struct vfbc_vf_proc *vfbc_vf_fp_procs[RTE_MAX_ETHPORTS];
void vfbc_vf_fp_set(uint16_t port_id, struct vfbc_vf_proc *proc);
void vfbc_vf_fp_publish(struct vfbc_vf_proc *proc);
void vfbc_vf_fp_close(struct vfbc_vf_proc *proc);

/*
 * The port's state in this process, or NULL: not a VF port of this process.
 * ethdev's own pointer must agree: a release the driver does not see (a
 * close refused from the port's callback, which ethdev completes) leaves
 * the table's entry behind.
 */
static inline struct vfbc_vf_proc *
vfbc_vf_fp_proc(uint16_t port_id)
{
	struct vfbc_vf_proc *proc;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return NULL;
	/* A12: pairs with R12 in vfbc_vf_fp_set(). */
	proc = __atomic_load_n(&vfbc_vf_fp_procs[port_id], __ATOMIC_ACQUIRE);
	if (unlikely(proc != rte_eth_devices[port_id].process_private))
		return NULL;
	return proc;
}
/* The VF port's ops and bursts, for net_vfbc_vf and net_vfbc_isolated alike. */
void vfbc_vf_set_burst(struct rte_eth_dev *dev);
/* A zeroed process_private with its locks initialised, set on dev; NULL: ENOMEM. */
struct vfbc_vf_proc *vfbc_vf_proc_new(struct rte_eth_dev *dev);
void vfbc_vf_proc_free(struct rte_eth_dev *dev);

/*
 * vfbc_vf_socket.c: an isolated port's connection (caller holds ctrl_lock).
 * Open: connect to the PF, open the VF with its secret, map the region it
 * sends, adopt the claim it granted, watch the connection; 0 or -errno
 * (the PF's status, or a local error), logged. Close: stop watching and
 * close the connection (idempotent).
 */
int vfbc_vf_sock_open(struct vfbc_vf_proc *proc);
void vfbc_vf_sock_close(struct vfbc_vf_proc *proc);

/*
 * vfbc_vf_life.c: the port's life events. Start the watch once the port is
 * claimed (caller holds ctrl_lock; idempotent); set the cursor at a claim
 * that attached a new channel (ctrl_lock); stop at close, after the socket
 * (no hint lists it again). One watch (an EAL alarm) looks at every
 * port the process lists. Watching: this thread runs the look at proc (a
 * close there sets life_free, and the watch frees proc once it returns).
 * Kick: look at proc now (EAL interrupt thread; elsewhere, at the next
 * period). A LIFE message the
 * socket brought (interrupt thread). The link as computed, for link_update.
 */
void vfbc_vf_life_start(struct vfbc_vf_proc *proc);
void vfbc_vf_life_claimed(struct vfbc_vf_proc *proc);
void vfbc_vf_life_stop(struct vfbc_vf_proc *proc);
int vfbc_vf_life_watching(const struct vfbc_vf_proc *proc);
void vfbc_vf_life_kick(struct vfbc_vf_proc *proc);
void vfbc_vf_life_sock_msg(struct vfbc_vf_proc *proc, const struct vfbc_sock_life *m);
int vfbc_vf_life_link(struct vfbc_vf_proc *proc);
void vfbc_vf_life_info(struct vfbc_vf_proc *proc, struct vfbc_vf_info *info);
int vfbc_vf_dev_reset(struct rte_eth_dev *dev);

/* vfbc_vf_mbox.c, for the life watch: the channel is still there; the claim was lost. */
int vfbc_vf_mbox_channel_alive(const struct vfbc_vf_proc *proc);
void vfbc_vf_mbox_claim_lost(struct vfbc_vf_proc *proc);

/* vfbc_vf_primary.c: learn, off the fast path, that the primary has died. */
int vfbc_vf_primary_watch(struct vfbc_vf_proc *proc);
void vfbc_vf_primary_unwatch(struct vfbc_vf_proc *proc);

/* vfbc_vf_mbox.c */
int vfbc_vf_mbox_init(struct rte_eth_dev *dev, struct vfbc_vf_proc *proc);
void vfbc_vf_mbox_uninit(struct vfbc_vf_proc *proc);
int vfbc_vf_mbox_claim(struct vfbc_vf_proc *proc);
int vfbc_vf_mbox_release(struct vfbc_vf_proc *proc);
int vfbc_vf_mbox_poll(struct vfbc_vf_proc *proc, uint64_t *mask);

/*
 * vfbc_vf_mbox_poll()'s idle case, inline for the API's and the bursts'
 * calls: 1 if the poll would return 0 now (the claim held, the primary
 * alive, nothing due), with no lock and no call. The channel's question
 * takes nothing, so a poll on another thread meanwhile loses nothing. The
 * poll lock, which a release takes to wait out a poll, is not taken: this
 * only reads, through a handle that stays until the port closes (a retired
 * one too, when a claim after a PF restart attaches the new channel), and
 * a channel and slot read across such a claim make at worst an answer of
 * "nothing due" that the next poll corrects.
 */
static inline int
vfbc_vf_mbox_poll_idle(const struct vfbc_vf_proc *proc)
{
	const struct vfbc_channel *ch;

	/* A11: pairs with R11 in vfbc_vf_mbox_claim(): the claim's channel and slot. */
	if (__atomic_load_n(&proc->claimed, __ATOMIC_ACQUIRE) == 0 ||
	    __atomic_load_n(&proc->dead, __ATOMIC_RELAXED) != 0)
		return 0;
	ch = __atomic_load_n(&proc->ch, __ATOMIC_RELAXED);
	return ch != NULL &&
		vfbc_channel_poll_idle(ch, __atomic_load_n(&proc->vf_id, __ATOMIC_RELAXED)) == 1;
}
/* 1 if this thread is running proc's invalidation callbacks. */
int vfbc_vf_mbox_delivering(const struct vfbc_vf_proc *proc);
void vfbc_vf_mbox_info(struct vfbc_vf_proc *proc, struct vfbc_vf_info *info);
int vfbc_vf_mbox_cb_register(struct vfbc_vf_proc *proc, vfbc_vf_invalidate_cb_t cb, void *arg);
int vfbc_vf_mbox_cb_unregister(struct vfbc_vf_proc *proc, vfbc_vf_invalidate_cb_t cb,
			       void *arg);
int vfbc_vf_mbox_block_read(struct vfbc_vf_proc *proc, uint32_t block_id, void *buf,
			    uint32_t len);
/*
 * Post a request and wait for its answer (the response with its request id
 * and type), at most timeout_ms: the PF's status, or a local error.
 */
int vfbc_vf_mbox_request(struct vfbc_vf_proc *proc, struct vfbc_channel_req *req,
			 struct vfbc_channel_resp *resp, uint32_t timeout_ms);
int vfbc_vf_mbox_service_id(struct vfbc_vf_proc *proc, uint32_t *service_id);

/* vfbc_vf_sleep.c */
int vfbc_vf_sleep_init(struct vfbc_vf_proc *proc);
void vfbc_vf_sleep_uninit(struct vfbc_vf_proc *proc);
void vfbc_vf_sleep_kick(struct vfbc_vf_proc *proc);
void vfbc_vf_sleep_claimed(struct vfbc_vf_proc *proc);
int vfbc_vf_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t queue_id);
int vfbc_vf_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t queue_id);
int vfbc_vf_wake_callbacks_on(struct vfbc_vf_proc *proc);
int vfbc_vf_wake_callbacks_off(struct vfbc_vf_proc *proc);
int vfbc_vf_sleep_poll_wait(struct vfbc_vf_proc *proc, uint64_t *mask, uint32_t spin_us,
			    int timeout_ms);

#endif /* _VFBC_VF_H_ */
