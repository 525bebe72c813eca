/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_SOCK_MSG_H_
#define _VFBC_SOCK_MSG_H_

/*
 * The control socket of an isolated PF (net_vfbc_pf devarg socket=PATH) and
 * its consumers (net_vfbc_isolated): the ONE description of its messages.
 *
 * A Unix SOCK_SEQPACKET socket: one message per send, never split or merged.
 * The consumer connects and sends one struct vfbc_sock_open; the PF answers
 * with one struct vfbc_sock_open_reply, carrying, when status is 0, the VF's
 * region fd (SCM_RIGHTS); to a consumer whose open says minor >= 2, a second
 * one may follow in the same message: the claim's wake socket (an AF_UNIX
 * SOCK_DGRAM socket, one datagram per wake of the channel's sleep mode,
 * vfbc_channel_wake_pair()). A PF that could not make one sends the region
 * alone: the consumer then has no sleep mode. An error answer is followed by the PF
 * closing the connection. A granted connection stays open for the life of
 * the claim: its hang-up tells the PF that the consumer is gone, and tells
 * the consumer that the PF is gone (or took the VF back). Nothing else is
 * ever sent; the PF closes a connection that sends more.
 *
 * Fixed-width fields, little-endian (host order: both ends are on one host).
 * Bump VFBC_SOCK_VERSION_MAJOR on any incompatible change; the PF answers a
 * different major with -EPROTONOSUPPORT and its own version.
 */

#include <stdint.h>

/* "VBSK" in little-endian byte order: first word of every message. */
#define VFBC_SOCK_MAGIC		0x4b534256u
#define VFBC_SOCK_VERSION_MAJOR	1
#define VFBC_SOCK_VERSION_MINOR	2

/* Message types. */
#define VFBC_SOCK_MSG_OPEN	1	/* consumer -> PF */
#define VFBC_SOCK_MSG_OPEN_REPLY 2	/* PF -> consumer */
#define VFBC_SOCK_MSG_LIFE	3	/* PF -> holder whose open said minor >= 1 */

/*
 * Causes of a LIFE message: the channel's VFBC_CHANNEL_LIFE_* (0..7), or
 * one of these two, after which the PF closes the connection.
 */
#define VFBC_SOCK_LIFE_REVOKED	8	/* the PF took the claim back */
#define VFBC_SOCK_LIFE_PF_CLOSED 9	/* the PF's port is closing */
#define VFBC_SOCK_LIFE_MAX	9

/* Longest secret, in bytes (a secret is 1..VFBC_SOCK_SECRET_MAX bytes). */
#define VFBC_SOCK_SECRET_MAX	64

/* Common head of every message. */
struct vfbc_sock_msg_hdr {
	uint32_t magic;		/* VFBC_SOCK_MAGIC */
	uint16_t version_major;	/* VFBC_SOCK_VERSION_MAJOR of the sender */
	uint16_t version_minor;	/* VFBC_SOCK_VERSION_MINOR of the sender */
	uint16_t type;		/* VFBC_SOCK_MSG_* */
	uint16_t rsvd;		/* zero */
	uint32_t len;		/* bytes of the whole message */
};

/* Consumer -> PF: open VF vf_id, proving it with the VF's secret. */
struct vfbc_sock_open {
	struct vfbc_sock_msg_hdr hdr;
	uint16_t vf_id;		/* VF index of the PF */
	uint16_t rsvd;		/* zero */
	uint32_t secret_len;	/* 1..VFBC_SOCK_SECRET_MAX */
	uint8_t secret[VFBC_SOCK_SECRET_MAX]; /* bytes past secret_len are zero */
};

/* PF -> consumer: the answer; status 0 comes with the region fd (and the wake socket). */
struct vfbc_sock_open_reply {
	struct vfbc_sock_msg_hdr hdr;
	int32_t status;		/* 0 or a negative errno, see below */
	uint16_t vf_id;		/* VF answered */
	uint16_t nb_vfs;	/* VFs of the PF's channel */
	uint64_t claim;		/* the claim word granted (status 0) */
	uint64_t region_size;	/* bytes of the region (status 0) */
	uint32_t pf_pid;	/* the PF process, as the PF sees itself */
	uint32_t rsvd;		/* zero */
	char pf_name[64];	/* the PF's channel name, NUL-terminated */
};

/*
 * Status of an open reply:
 *   0                  granted: the first fd is the VF's region, a second
 *                      one its wake socket
 *   -EPROTONOSUPPORT   other major version (the reply carries the PF's)
 *   -EBADMSG           bad magic, type, length or reserved field
 *   -EACCES            wrong secret, no secret set for the VF, or a peer
 *                      uid/gid the PF does not allow
 *   -ENODEV            no such VF, or the VF is not enabled
 *   -EBUSY             the VF is held by a live consumer
 *   -EAGAIN            the PF is not serving (port stopped or closing), or
 *                      this peer's uid sent too many wrong secrets for the
 *                      VF this second (refused unchecked until it ends), or
 *                      the VF was opened too often this second
 */

/*
 * PF -> holder: what the PF did to the VF (a reset, power, disable, its
 * port closing), with the VF's life lines as the PF itself keeps them, so
 * that a holder whose region the PF is about to renew (a disable) still
 * learns it, and one that sleeps is woken. Sent without waiting: a holder
 * that does not read loses these hints, never the PF's time; the life
 * lines in its region say the same.
 */
struct vfbc_sock_life {
	struct vfbc_sock_msg_hdr hdr;
	uint32_t cause;		/* VFBC_CHANNEL_LIFE_* or VFBC_SOCK_LIFE_* */
	uint32_t seq;		/* life.seq of the lines below */
	uint32_t state;		/* VFBC_CHANNEL_LIFE_S_* */
	uint32_t rsvd;		/* zero */
	uint32_t count[8];	/* events per cause */
	uint32_t log[16];	/* latest events, (n << 8) | cause */
};

/* Set a message's head: this side's version, type and the message's length. */
static inline void
vfbc_sock_msg_hdr_init(struct vfbc_sock_msg_hdr *hdr, uint16_t type, uint32_t len)
{
	hdr->magic = VFBC_SOCK_MAGIC;
	hdr->version_major = VFBC_SOCK_VERSION_MAJOR;
	hdr->version_minor = VFBC_SOCK_VERSION_MINOR;
	hdr->type = type;
	hdr->rsvd = 0;
	hdr->len = len;
}

_Static_assert(sizeof(struct vfbc_sock_msg_hdr) == 16, "socket message header");
_Static_assert(sizeof(struct vfbc_sock_open) == 24 + VFBC_SOCK_SECRET_MAX, "open message");
_Static_assert(sizeof(struct vfbc_sock_open_reply) == 112, "open reply");
_Static_assert(sizeof(struct vfbc_sock_life) == 16 + 16 + 32 + 64, "life message");

#endif /* _VFBC_SOCK_MSG_H_ */
