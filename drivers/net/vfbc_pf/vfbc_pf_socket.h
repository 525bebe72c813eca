/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_PF_SOCKET_H_
#define _VFBC_PF_SOCKET_H_

/*
 * The control socket of an isolated PF (devarg socket=PATH): consumers that
 * are DPDK primaries of their own (containers) open one VF each, proving it
 * with the VF's secret, and receive that VF's region of the isolated
 * channel (vfbc_sock_msg.h has the protocol). Driven by the EAL interrupt
 * thread; primary only.
 */

#include <stdint.h>

#include "vfbc_pf.h"

/* Maximum connections that have not sent their open; the oldest goes first. */
#define VFBC_PF_SOCK_MAX_PENDING	16
/* How long a connection may take to send its open. */
#define VFBC_PF_SOCK_OPEN_TIMEOUT_US	(2 * 1000 * 1000)
/* Log lines about opens and hang-ups per second, all connections together. */
#define VFBC_PF_SOCK_LOG_BURST		5
/*
 * Wrong secrets one VF takes per second from one peer uid; past it, that
 * uid's opens of the VF are refused (-EAGAIN) without a look at their
 * secret until the second ends: guessing goes at this rate at most, and
 * does not lock other uids out.
 */
#define VFBC_PF_SOCK_SECRET_FAILS	8
/*
 * Grants of one VF per second (the secret's holder opening in a loop):
 * each may cost a new region file.
 */
#define VFBC_PF_SOCK_GRANTS		8

/*
 * Listen on pf->args.socket_path (no-op without socket=). Needs the
 * port's channel (vfbc_pf_mbox_init() first). 0 or a negative errno, the
 * reason logged.
 */
int vfbc_pf_socket_start(struct vfbc_pf_proc *pf);

/*
 * Stop serving (at close): close the listener, unlink its path, close every
 * connection (their consumers see a hang-up), revoke the claims granted
 * through it, wipe the secrets. Not from an interrupt callback of this
 * server; the channel must still exist.
 */
void vfbc_pf_socket_stop(struct vfbc_pf_proc *pf);

/*
 * The channel's claims may have changed (VFs disabled, or replaced): close
 * every holder connection whose claim is no longer the one it was granted,
 * or whose VF is gone. Caller holds pf->ctrl; does not wait for the
 * interrupt thread (the connections are shut down, the interrupt thread
 * closes them).
 */
void vfbc_pf_socket_sync(struct vfbc_pf_proc *pf);

/*
 * Tell VF vf's holder, if it has one here, what the PF did (cause, a
 * VFBC_CHANNEL_LIFE_* or VFBC_SOCK_LIFE_*), with the VF's life lines;
 * never waits. Caller may hold pf->ctrl and pf->lock, never srv->lock.
 */
void vfbc_pf_socket_life(struct vfbc_pf_proc *pf, uint16_t vf, uint32_t cause);

/*
 * Set (1..VFBC_SOCK_SECRET_MAX bytes) or, with NULL or "", remove the
 * secret of VF vf. 0, -ENOTSUP (no socket=), -EINVAL (vf, length).
 */
int vfbc_pf_socket_set_secret(struct vfbc_pf_proc *pf, uint16_t vf, const char *secret);

#endif /* _VFBC_PF_SOCKET_H_ */
