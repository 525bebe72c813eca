/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_channel.h on bad input, one row per call (see test_badinput.h).
 *
 * The channel has CH_VFS = 4 slots, set up so that every refusal has a
 * case. The creator requires proofs; its verifier accepts one file only,
 * /dev/null (PR_GOOD; PR_NONE is no proof). VFs 0..2 have a published
 * address, VF 3 none. VF 0 is held by handle H_VF of this process, VFs 1
 * and 3 are granted to another live process, our parent (before the
 * verifier was set: it holds no proof), VF 2 is free. Block 3 of VF 0
 * holds 8 bytes; the extra block slots of VF 1 are all bound. Handles: H_PF
 * created the channel, H_VF and H_OTHER attached to it (H_OTHER holds
 * nothing). In the secondary of the mp command, H_OTHER is
 * the secondary's own attached handle.
 *
 * Fields of a row: who = handle, id = VF (or nb_vfs), a/b/v = the other
 * arguments as each function's comment in ch_fns says; ptr = pointer
 * arguments passed as NULL.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "test.h"
#include "test_badinput.h"

#define CH_NAME "bi_ch"
#define CH_VFS 4

/* Handles (row field who). */
enum { H_NULL, H_PF, H_VF, H_OTHER, H_MAX };
/* Channel names (field a of create and attach). */
enum { N_NULL, N_EMPTY, N_LONG, N_EXISTS, N_NEW };
/* Memory for the _mem functions (field a). */
enum { M_NULL, M_SCRATCH, M_MISALIGNED, M_ZERO, M_CHANNEL };
/* Proofs of claims and grants (field b). */
enum { PR_NONE, PR_GOOD };
/* Pids of claim grants (field a). */
enum { PID_SELF, PID_ZERO, PID_MINUS1, PID_MIN, PID_GONE };
/* Addresses (field a): a VF that may exist, or not. */
enum { A_OK, A_DEV32, A_FN8, A_UNKNOWN };
/* Length (field b) of the _mem functions: one byte short of the channel. */
#define L_SHORT UINT64_MAX
/* Request type flag (field a): the record names the next VF, not its ring's. */
#define T_OTHER_VF (1u << 16)

static struct vfbc_channel *ch_h[H_MAX];
static int ch_proof = -1;
static uint8_t ch_zero[64 * 1024] __rte_aligned(RTE_CACHE_LINE_SIZE);
static struct vfbc_channel_req ch_req_in;
static const struct rte_pci_addr ch_vf2_addr = { .domain = 0, .bus = 0x42, .devid = 2 };

static int
ch_proof_of(const struct bi_row *r)
{
	return r->b == PR_GOOD ? ch_proof : -1;
}

static struct vfbc_channel *
ch_who(const struct bi_row *r)
{
	return ch_h[r->who];
}

static uint16_t
ch_vf(const struct bi_row *r)
{
	return (uint16_t)r->id;
}

static const char *
ch_name(uint64_t role)
{
	static char lng[VFBC_CHANNEL_NAME_MAX + 2];

	switch (role) {
	case N_NULL:
		return NULL;
	case N_EMPTY:
		return "";
	case N_LONG:
		memset(lng, 'x', sizeof(lng) - 1);
		lng[sizeof(lng) - 1] = '\0';
		return lng;
	case N_EXISTS:
		return CH_NAME;
	default:
		return "bi_no_such_channel";
	}
}

static void *
ch_mem(uint64_t role, uint8_t *scratch)
{
	const struct rte_memzone *mz;

	switch (role) {
	case M_SCRATCH:
		return scratch;
	case M_MISALIGNED:
		return scratch + 1;
	case M_ZERO:
		return ch_zero;
	case M_CHANNEL:
		mz = rte_memzone_lookup("vfbc_ch_" CH_NAME);
		return mz != NULL ? mz->addr : NULL;
	default:
		return NULL;
	}
}

static const struct rte_pci_addr *
ch_addr(uint64_t role)
{
	static struct rte_pci_addr a;

	a = ch_vf2_addr;
	if (role == A_DEV32)
		a.devid = 32;
	else if (role == A_FN8)
		a.function = 8;
	else if (role == A_UNKNOWN)
		a.bus = 0x43;
	return &a;
}

/* A handle result: 0 if one came back (a bad row: it is freed), else -rte_errno. */
static int64_t
ch_handle_ret(struct vfbc_channel *h)
{
	if (h == NULL)
		return -rte_errno;
	vfbc_channel_free(h);
	return 0;
}

static void
ch_req_build(const struct bi_row *r)
{
	memset(&ch_req_in, 0, sizeof(ch_req_in));
	ch_req_in.type = (uint16_t)r->a;
	ch_req_in.vf_id = ch_vf(r) + ((r->a & T_OTHER_VF) ? 1 : 0);
	ch_req_in.len = (uint32_t)r->b;
	ch_req_in.target = (uint32_t)r->v;
}

/* v = nb_vfs */
static int64_t
ch_memsize(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_memsize((uint16_t)r->v);
}

/* a = name, v = nb_vfs */
static int64_t
ch_create(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return ch_handle_ret(vfbc_channel_create(ch_name(r->a), (uint16_t)r->v, SOCKET_ID_ANY));
}

/* a = name */
static int64_t
ch_attach(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return ch_handle_ret(vfbc_channel_attach(ch_name(r->a)));
}

static int64_t
ch_free(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	vfbc_channel_free(ch_who(r));
	return 0;
}

static int64_t
ch_nb_vfs(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_nb_vfs(ch_who(r));
}

static int64_t
ch_creator_pid(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_creator_pid(ch_who(r));
}

static int64_t
ch_current(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_current(ch_who(r));
}

/* v = mask */
static int64_t
ch_invalidate(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_invalidate(ch_who(r), ch_vf(r), r->v);
}

/* v = mask */
static int64_t
ch_invalidate_all(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_invalidate_all(ch_who(r), r->v);
}

/*
 * Bulk lists, never in scratch (a refused call must leave it as it was):
 * a = n entries, VFs i % CH_VFS with mask 1, except the last: VF id, mask
 * v. ptr 1 = the VF ids, ptr 2 = the masks (NULL or these lists).
 */
static uint16_t ch_bulk_ids[UINT16_MAX];
static uint64_t ch_bulk_masks[UINT16_MAX];

static void
ch_bulk_lists(const struct bi_row *r, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		ch_bulk_ids[i] = i + 1 < n ? i % CH_VFS : ch_vf(r);
		ch_bulk_masks[i] = i + 1 < n ? 1 : r->v;
	}
}

static int64_t
ch_invalidate_bulk(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	uint16_t n = (uint16_t)r->a;

	ch_bulk_lists(r, n);
	return vfbc_channel_invalidate_bulk(ch_who(r), (r->ptr & BI_NULL1) ? NULL : ch_bulk_ids,
			(r->ptr & BI_NULL2) ? NULL : ch_bulk_masks, n);
}

/* ptr 1 = mask */
static int64_t
ch_poll(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_poll_invalidations(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

static int64_t
ch_poll_idle(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_poll_idle(ch_who(r), ch_vf(r));
}

/* a = block, b = len, ptr 1 = data */
static int64_t
ch_block_write(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_block_write(ch_who(r), ch_vf(r), (uint32_t)r->a,
					bi_ptr(r, scratch, 1), (uint32_t)r->b);
}

/* a = block, b = buf_len, ptr 1 = buf */
static int64_t
ch_block_read(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_block_read(ch_who(r), ch_vf(r), (uint32_t)r->a,
				       bi_ptr(r, scratch, 1), (uint32_t)r->b);
}

/* b = proof */
static int64_t
ch_claim(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_claim(ch_who(r), ch_vf(r), ch_proof_of(r));
}

static int64_t
ch_release(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_release(ch_who(r), ch_vf(r));
}

/* a = pid, b = proof (the same descriptor number in that process), ptr 1 = word */
static int64_t
ch_grant(const struct bi_row *r, uint8_t *scratch)
{
	static const int32_t fixed[] = {
		[PID_ZERO] = 0, [PID_MINUS1] = -1, [PID_MIN] = INT32_MIN, [PID_GONE] = INT32_MAX,
	};
	int32_t pid;

	pid = r->a == PID_SELF ? getpid() : fixed[r->a];
	return vfbc_channel_claim_grant(ch_who(r), ch_vf(r), pid, ch_proof_of(r), ch_proof_of(r),
					bi_ptr(r, scratch, 1));
}

static int64_t
ch_revoke(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_claim_revoke(ch_who(r), ch_vf(r));
}

/* The creator's verifier: /dev/null proves every VF, nothing else does. */
static int
ch_verify(const struct vfbc_channel *ch __rte_unused, uint16_t vf __rte_unused,
	  const struct rte_pci_addr *addr __rte_unused, int fd, void *arg __rte_unused)
{
	struct stat a, b;

	if (fstat(fd, &a) != 0 || stat("/dev/null", &b) != 0)
		return -EACCES;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? 0 : -EACCES;
}

static int64_t
ch_verify_set(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_claim_verify_set(ch_who(r), ch_verify, NULL);
}

/* ptr 1 = pid */
static int64_t
ch_granted(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_claim_granted(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

/* ptr 1 = pid, ptr 2 = epoch */
static int64_t
ch_claim_get(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_claim_get(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1),
				      bi_ptr(r, scratch, 2));
}

/* The record: a = type (| T_OTHER_VF), b = len, v = target; ptr 1 = no record. */
static int64_t
ch_validate(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	ch_req_build(r);
	return vfbc_channel_request_validate(ch_who(r), ch_vf(r),
					     (r->ptr & BI_NULL1) ? NULL : &ch_req_in);
}

/* As ch_validate. */
static int64_t
ch_post(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	ch_req_build(r);
	return vfbc_channel_request_post(ch_who(r), ch_vf(r),
					 (r->ptr & BI_NULL1) ? NULL : &ch_req_in);
}

static int64_t
ch_doorbell_pending(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_doorbell_pending(ch_who(r));
}

/* v = max, ptr 1 = vfs */
static int64_t
ch_doorbell_scan(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_doorbell_scan(ch_who(r), bi_ptr(r, scratch, 1), (uint16_t)r->v);
}

static int64_t
ch_summary_slot(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_summary_slot(ch_who(r));
}

static int64_t
ch_summary_mark(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_summary_mark(ch_who(r));
}

/* v = words, ptr 1 = bits */
static int64_t
ch_summary_take(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_summary_take(bi_ptr(r, scratch, 1), (unsigned int)r->v);
}

/* v = max, ptr 1 = vfs */
static int64_t
ch_sweep(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_request_sweep(ch_who(r), bi_ptr(r, scratch, 1), (uint16_t)r->v);
}

/* ptr 1 = req */
static int64_t
ch_dequeue(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_request_dequeue(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

/* a = status, b = len; ptr 1 = the request answered, ptr 2 = data */
static int64_t
ch_respond(const struct bi_row *r, uint8_t *scratch)
{
	memset(&ch_req_in, 0, sizeof(ch_req_in));
	ch_req_in.type = VFBC_CHANNEL_REQ_CFG_READ;
	ch_req_in.vf_id = ch_vf(r);
	return vfbc_channel_respond(ch_who(r), ch_vf(r), (r->ptr & BI_NULL1) ? NULL : &ch_req_in,
				    (int32_t)r->a, bi_ptr(r, scratch, 2), (uint32_t)r->b);
}

/* ptr 1 = resp */
static int64_t
ch_response_poll(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_response_poll(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

/* ptr 1 = stats */
static int64_t
ch_stats_get(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_stats_get(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

/* a = address */
static int64_t
ch_addr_set(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_vf_addr_set(ch_who(r), ch_vf(r), ch_addr(r->a));
}

/* ptr 1 = addr */
static int64_t
ch_addr_get(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_vf_addr_get(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

/* a = address; ptr 1 = no address */
static int64_t
ch_find(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_vf_find(ch_who(r), (r->ptr & BI_NULL1) ? NULL : ch_addr(r->a));
}

/* a = memory, b = len (L_SHORT: one byte short of v VFs), v = nb_vfs */
static int64_t
ch_create_mem(const struct bi_row *r, uint8_t *scratch)
{
	size_t len = r->b == L_SHORT ? (size_t)vfbc_channel_memsize((uint16_t)r->v) - 1 : r->b;

	return ch_handle_ret(vfbc_channel_create_mem(ch_mem(r->a, scratch), len,
						       (uint16_t)r->v));
}

/* a = memory, b = len */
static int64_t
ch_attach_mem(const struct bi_row *r, uint8_t *scratch)
{
	return ch_handle_ret(vfbc_channel_attach_mem(ch_mem(r->a, scratch), r->b));
}

/* a = name, v = nb_vfs */
static int64_t
ch_create_isolated(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return ch_handle_ret(vfbc_channel_create_isolated(ch_name(r->a), (uint16_t)r->v));
}

static int64_t
ch_is_isolated(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_is_isolated(ch_who(r));
}

/* No argument to get wrong: the row checks it is whole pages. */
static int64_t
ch_region_size(const struct bi_row *r __rte_unused, uint8_t *scratch __rte_unused)
{
	size_t len = vfbc_channel_region_size();

	return len > 0 && len % (size_t)sysconf(_SC_PAGESIZE) == 0 ? 0 : -EPROTO;
}

static int64_t
ch_region_fd(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_region_fd(ch_who(r), ch_vf(r));
}

/* Regions presented (field a). */
enum { RG_MINUS1, RG_DEVNULL };

/* a = region */
static int64_t
ch_attach_region(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return ch_handle_ret(vfbc_channel_attach_region(r->a == RG_DEVNULL ? ch_proof : -1,
			ch_vf(r)));
}

/* a = region file */
static int64_t
ch_remap(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_region_remap(ch_who(r), r->a == RG_DEVNULL ? ch_proof : -1);
}

/* v = claim word */
static int64_t
ch_adopt(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_claim_adopt(ch_who(r), ch_vf(r), r->v);
}

/* Pointers 1 and 2: the counts. */
static int64_t
ch_claim_counts(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_claim_counts(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1),
			bi_ptr(r, scratch, 2));
}

static int64_t
ch_holds(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_holds(ch_who(r), ch_vf(r));
}

/* a = cause (signed), b = clear, v = set */
static int64_t
ch_life_post(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_life_post(ch_who(r), ch_vf(r), (int)(int64_t)r->a, (uint32_t)r->b,
			(uint32_t)r->v);
}

static int64_t
ch_life_get(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_life_get(ch_who(r), ch_vf(r), bi_ptr(r, scratch, 1));
}

/* Pointer 1 = the word. */
static int64_t
ch_life_gen(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_life_gen(ch_who(r), bi_ptr(r, scratch, 1));
}

/* Pointer 1 = cursor, 2 = snapshot. */
static int64_t
ch_life_cursor_init(const struct bi_row *r, uint8_t *scratch)
{
	return vfbc_channel_life_cursor_init(bi_ptr(r, scratch, 1), bi_ptr(r, scratch, 2));
}

/* Snapshots of vfbc_channel_life_next() (field b). */
enum { LS_NONE, LS_SUM, LS_OLDER, LS_ENTRY, LS_CAUSE, LS_NOOUT };

/*
 * a = max, b = the snapshot against a zero cursor; pointer 1 = snapshot,
 * 2 = cursor. A refusal must leave the cursor as it was.
 */
static int64_t
ch_life_next(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	struct vfbc_channel_life_cursor cur, was;
	struct vfbc_channel_life now;
	uint8_t causes[8];
	int ret;

	memset(&now, 0, sizeof(now));
	memset(&cur, 0, sizeof(cur));
	switch (r->b) {
	case LS_SUM:	/* two events, one counted */
		now.seq = 2;
		now.count[VFBC_CHANNEL_LIFE_FLR] = 1;
		break;
	case LS_OLDER:	/* before the cursor: another channel */
		cur.seq = 5;
		break;
	case LS_ENTRY:	/* event 1 logged as event 2 */
		now.seq = 1;
		now.count[VFBC_CHANNEL_LIFE_FLR] = 1;
		now.log[0] = 2u << 8 | VFBC_CHANNEL_LIFE_FLR;
		break;
	case LS_CAUSE:	/* a cause the counters do not have */
		now.seq = 1;
		now.count[VFBC_CHANNEL_LIFE_FLR] = 1;
		now.log[0] = 1u << 8 | VFBC_CHANNEL_LIFE_POWER;
		break;
	default:
		break;
	}
	was = cur;
	ret = vfbc_channel_life_next(r->ptr & BI_NULL1 ? NULL : &now,
			r->ptr & BI_NULL2 ? NULL : &cur, r->b == LS_NOOUT ? NULL : causes,
			(unsigned int)r->a);
	if (ret < 0 && memcmp(&cur, &was, sizeof(cur)) != 0)
		return -EPROTO;
	return ret;
}

enum {
	F_MEMSIZE, F_CREATE, F_ATTACH, F_FREE, F_NB_VFS, F_CREATOR_PID, F_CURRENT, F_INVALIDATE,
	F_INVALIDATE_ALL, F_POLL, F_POLL_IDLE, F_BLOCK_WRITE, F_BLOCK_READ, F_CLAIM, F_RELEASE,
	F_GRANT, F_REVOKE, F_VERIFY_SET, F_GRANTED, F_CLAIM_GET, F_VALIDATE, F_POST,
	F_DOORBELL_SCAN, F_SWEEP, F_DOORBELL_PENDING, F_DEQUEUE, F_RESPOND, F_RESPONSE_POLL,
	F_STATS_GET, F_ADDR_SET, F_ADDR_GET, F_FIND, F_CREATE_MEM, F_ATTACH_MEM, F_CREATE_ISOLATED,
	F_IS_ISOLATED, F_REGION_SIZE, F_REGION_FD, F_ATTACH_REGION, F_ADOPT, F_REMAP, F_HOLDS,
	F_LIFE_POST, F_LIFE_GET, F_LIFE_CURSOR_INIT, F_LIFE_NEXT, F_CLAIM_COUNTS, F_WAKE,
	F_WAKE_FD, F_WAKE_PAIR, F_SVC_FD, F_SVC_ARM, F_SVC_DISARM, F_SVC_KICK, F_SVC_ADOPT,
	F_SVC_HOLD, F_SLEEP_ARM, F_SLEEP_DISARM, F_INVALIDATE_BULK, F_LIFE_GEN, F_SUMMARY_SLOT,
	F_SUMMARY_MARK, F_SUMMARY_TAKE,
};

/* Sleep mode: only where they fail (a wake socket made would be a descriptor to close). */
static int64_t
ch_wake(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_wake(ch_who(r), ch_vf(r));
}

/* b = proof */
static int64_t
ch_wake_fd(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_wake_fd(ch_who(r), ch_vf(r), ch_proof_of(r));
}

/* a = the grant's word */
static int64_t
ch_wake_pair(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_wake_pair(ch_who(r), ch_vf(r), r->a);
}

/* The service's sleep: only where they fail (a descriptor made stays the handle's). */
static int64_t
ch_svc_fd(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_service_fd(ch_who(r));
}

static int64_t
ch_svc_arm(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_service_sleep_arm(ch_who(r));
}

static int64_t
ch_svc_disarm(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_service_sleep_disarm(ch_who(r));
}

static int64_t
ch_svc_kick(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_service_kick(ch_who(r));
}

/* a = the descriptor */
static int64_t
ch_svc_adopt(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_service_wake_adopt(ch_who(r), ch_vf(r), (int)(int64_t)r->a);
}

/* a = hold */
static int64_t
ch_svc_hold(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_service_hold(ch_who(r), ch_vf(r), (int)r->a);
}

static int64_t
ch_sleep_arm(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_sleep_arm(ch_who(r), ch_vf(r));
}

static int64_t
ch_sleep_disarm(const struct bi_row *r, uint8_t *scratch __rte_unused)
{
	return vfbc_channel_sleep_disarm(ch_who(r), ch_vf(r));
}

static const struct bi_fn ch_fns[] = {
	[F_MEMSIZE] = { "vfbc_channel_memsize", ch_memsize },
	[F_CREATE] = { "vfbc_channel_create", ch_create },
	[F_ATTACH] = { "vfbc_channel_attach", ch_attach },
	[F_FREE] = { "vfbc_channel_free", ch_free },
	[F_NB_VFS] = { "vfbc_channel_nb_vfs", ch_nb_vfs },
	[F_CREATOR_PID] = { "vfbc_channel_creator_pid", ch_creator_pid },
	[F_CURRENT] = { "vfbc_channel_current", ch_current },
	[F_INVALIDATE] = { "vfbc_channel_invalidate", ch_invalidate },
	[F_INVALIDATE_ALL] = { "vfbc_channel_invalidate_all", ch_invalidate_all },
	[F_POLL] = { "vfbc_channel_poll_invalidations", ch_poll },
	[F_POLL_IDLE] = { "vfbc_channel_poll_idle", ch_poll_idle },
	[F_BLOCK_WRITE] = { "vfbc_channel_block_write", ch_block_write },
	[F_BLOCK_READ] = { "vfbc_channel_block_read", ch_block_read },
	[F_CLAIM] = { "vfbc_channel_claim", ch_claim },
	[F_RELEASE] = { "vfbc_channel_release", ch_release },
	[F_GRANT] = { "vfbc_channel_claim_grant", ch_grant },
	[F_REVOKE] = { "vfbc_channel_claim_revoke", ch_revoke },
	[F_VERIFY_SET] = { "vfbc_channel_claim_verify_set", ch_verify_set },
	[F_GRANTED] = { "vfbc_channel_claim_granted", ch_granted },
	[F_CLAIM_GET] = { "vfbc_channel_claim_get", ch_claim_get },
	[F_VALIDATE] = { "vfbc_channel_request_validate", ch_validate },
	[F_POST] = { "vfbc_channel_request_post", ch_post },
	[F_DOORBELL_SCAN] = { "vfbc_channel_doorbell_scan", ch_doorbell_scan },
	[F_SWEEP] = { "vfbc_channel_request_sweep", ch_sweep },
	[F_DOORBELL_PENDING] = { "vfbc_channel_doorbell_pending", ch_doorbell_pending },
	[F_SUMMARY_SLOT] = { "vfbc_channel_summary_slot", ch_summary_slot },
	[F_SUMMARY_MARK] = { "vfbc_channel_summary_mark", ch_summary_mark },
	[F_SUMMARY_TAKE] = { "vfbc_channel_summary_take", ch_summary_take },
	[F_DEQUEUE] = { "vfbc_channel_request_dequeue", ch_dequeue },
	[F_RESPOND] = { "vfbc_channel_respond", ch_respond },
	[F_RESPONSE_POLL] = { "vfbc_channel_response_poll", ch_response_poll },
	[F_STATS_GET] = { "vfbc_channel_stats_get", ch_stats_get },
	[F_ADDR_SET] = { "vfbc_channel_vf_addr_set", ch_addr_set },
	[F_ADDR_GET] = { "vfbc_channel_vf_addr_get", ch_addr_get },
	[F_FIND] = { "vfbc_channel_vf_find", ch_find },
	[F_CREATE_MEM] = { "vfbc_channel_create_mem", ch_create_mem },
	[F_ATTACH_MEM] = { "vfbc_channel_attach_mem", ch_attach_mem },
	[F_CREATE_ISOLATED] = { "vfbc_channel_create_isolated", ch_create_isolated },
	[F_IS_ISOLATED] = { "vfbc_channel_is_isolated", ch_is_isolated },
	[F_REGION_SIZE] = { "vfbc_channel_region_size", ch_region_size },
	[F_REGION_FD] = { "vfbc_channel_region_fd", ch_region_fd },
	[F_ATTACH_REGION] = { "vfbc_channel_attach_region", ch_attach_region },
	[F_ADOPT] = { "vfbc_channel_claim_adopt", ch_adopt },
	[F_REMAP] = { "vfbc_channel_region_remap", ch_remap },
	[F_HOLDS] = { "vfbc_channel_holds", ch_holds },
	[F_LIFE_POST] = { "vfbc_channel_life_post", ch_life_post },
	[F_LIFE_GET] = { "vfbc_channel_life_get", ch_life_get },
	[F_LIFE_CURSOR_INIT] = { "vfbc_channel_life_cursor_init", ch_life_cursor_init },
	[F_LIFE_NEXT] = { "vfbc_channel_life_next", ch_life_next },
	[F_CLAIM_COUNTS] = { "vfbc_channel_claim_counts", ch_claim_counts },
	[F_WAKE] = { "vfbc_channel_wake", ch_wake },
	[F_WAKE_FD] = { "vfbc_channel_wake_fd", ch_wake_fd },
	[F_WAKE_PAIR] = { "vfbc_channel_wake_pair", ch_wake_pair },
	[F_SVC_FD] = { "vfbc_channel_service_fd", ch_svc_fd },
	[F_SVC_ARM] = { "vfbc_channel_service_sleep_arm", ch_svc_arm },
	[F_SVC_DISARM] = { "vfbc_channel_service_sleep_disarm", ch_svc_disarm },
	[F_SVC_KICK] = { "vfbc_channel_service_kick", ch_svc_kick },
	[F_SVC_ADOPT] = { "vfbc_channel_service_wake_adopt", ch_svc_adopt },
	[F_SVC_HOLD] = { "vfbc_channel_service_hold", ch_svc_hold },
	[F_SLEEP_ARM] = { "vfbc_channel_sleep_arm", ch_sleep_arm },
	[F_SLEEP_DISARM] = { "vfbc_channel_sleep_disarm", ch_sleep_disarm },
	[F_INVALIDATE_BULK] = { "vfbc_channel_invalidate_bulk", ch_invalidate_bulk },
	[F_LIFE_GEN] = { "vfbc_channel_life_gen", ch_life_gen },
};

#define BW VFBC_CHANNEL_REQ_BLOCK_WRITE
#define CR VFBC_CHANNEL_REQ_CFG_READ
#define CW VFBC_CHANNEL_REQ_CFG_WRITE
#define N1 BI_NULL1
#define N2 BI_NULL2

/* One call in this process: function, handle, VF, a, b, v, NULL pointers, return, counters. */
#define R(f, h, vf, a_, b_, v_, p, r_, g) { .fn = F_##f, .proc = BI_PRIMARY, .who = h, \
	.id = vf, .a = a_, .b = b_, .v = v_, .ptr = p, .ret = r_, .grows = g, .line = __LINE__ }
/* The same, in a secondary process (H_OTHER is its handle). */
#define S(f, h, vf, a_, b_, v_, p, r_, g) { .fn = F_##f, .proc = BI_SECONDARY, .who = h, \
	.id = vf, .a = a_, .b = b_, .v = v_, .ptr = p, .ret = r_, .grows = g, .line = __LINE__ }

static const struct bi_row ch_rows[] = {
	R(MEMSIZE, 0, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(MEMSIZE, 0, 0, 0, 0, VFBC_CHANNEL_MAX_VFS + 1, 0, -EINVAL, NULL),
	R(MEMSIZE, 0, 0, 0, 0, UINT16_MAX, 0, -EINVAL, NULL),

	R(CREATE, 0, 0, N_NULL, 0, 1, 0, -EINVAL, NULL),
	R(CREATE, 0, 0, N_EMPTY, 0, 1, 0, -EINVAL, NULL),
	R(CREATE, 0, 0, N_LONG, 0, 1, 0, -ENAMETOOLONG, NULL),
	R(CREATE, 0, 0, N_NEW, 0, 0, 0, -EINVAL, NULL),
	R(CREATE, 0, 0, N_NEW, 0, VFBC_CHANNEL_MAX_VFS + 1, 0, -EINVAL, NULL),
	R(CREATE, 0, 0, N_NEW, 0, UINT16_MAX, 0, -EINVAL, NULL),
	R(CREATE, 0, 0, N_EXISTS, 0, 1, 0, -EEXIST, NULL),
	S(CREATE, 0, 0, N_NEW, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	S(CREATE, 0, 0, N_EXISTS, 0, CH_VFS, 0, -E_RTE_SECONDARY, NULL),

	R(ATTACH, 0, 0, N_NULL, 0, 0, 0, -EINVAL, NULL),
	R(ATTACH, 0, 0, N_EMPTY, 0, 0, 0, -EINVAL, NULL),
	R(ATTACH, 0, 0, N_LONG, 0, 0, 0, -ENAMETOOLONG, NULL),
	R(ATTACH, 0, 0, N_NEW, 0, 0, 0, -ENOENT, NULL),
	S(ATTACH, 0, 0, N_NEW, 0, 0, 0, -ENOENT, NULL),

	R(FREE, H_NULL, 0, 0, 0, 0, 0, 0, NULL),
	R(NB_VFS, H_NULL, 0, 0, 0, 0, 0, 0, NULL),
	R(CREATOR_PID, H_NULL, 0, 0, 0, 0, 0, 0, NULL),
	R(CURRENT, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(CURRENT, H_VF, 0, 0, 0, 0, 0, 1, NULL),

	R(INVALIDATE, H_NULL, 0, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE, H_PF, CH_VFS, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE, H_PF, UINT16_MAX, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE, H_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE, H_VF, 0, 0, 0, 1, 0, -EPERM, NULL),
	R(INVALIDATE, H_OTHER, 2, 0, 0, UINT64_MAX, 0, -EPERM, NULL),
	S(INVALIDATE, H_OTHER, 0, 0, 0, 1, 0, -EPERM, NULL),

	R(INVALIDATE_ALL, H_NULL, 0, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_ALL, H_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE_ALL, H_VF, 0, 0, 0, 1, 0, -EPERM, NULL),
	S(INVALIDATE_ALL, H_OTHER, 0, 0, 0, UINT64_MAX, 0, -EPERM, NULL),

	/* Bulk: a = entries, id and v = the last entry's VF and mask (the others good). */
	R(INVALIDATE_BULK, H_NULL, 0, 1, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, 0, 1, 0, 1, N1, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, 0, 1, 0, 1, N2, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, CH_VFS, 1, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, CH_VFS, CH_VFS + 1, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, UINT16_MAX, UINT16_MAX, 0, UINT64_MAX, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, 0, CH_VFS, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, H_PF, 3, UINT16_MAX, 0, 0, 0, -EINVAL, NULL),
	/* n == 0: succeeds, changes nothing, NULL lists or not. */
	R(INVALIDATE_BULK, H_PF, 0, 0, 0, 1, N1 | N2, 0, NULL),
	R(INVALIDATE_BULK, H_PF, CH_VFS, 0, 0, 0, 0, 0, NULL),
	R(INVALIDATE_BULK, H_VF, 0, 1, 0, 1, 0, -EPERM, NULL),
	R(INVALIDATE_BULK, H_OTHER, 2, CH_VFS, 0, UINT64_MAX, 0, -EPERM, NULL),
	R(INVALIDATE_BULK, H_NULL, 0, 0, 0, 1, N1 | N2, -EINVAL, NULL),
	S(INVALIDATE_BULK, H_OTHER, 0, 1, 0, 1, 0, -EPERM, NULL),
	S(INVALIDATE_BULK, H_OTHER, 0, 0, 0, 1, N1 | N2, -EPERM, NULL),

	R(POLL, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(POLL, H_VF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(POLL, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(POLL, H_VF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(POLL, H_VF, 1, 0, 0, 0, 0, -EPERM, NULL),
	R(POLL, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(POLL, H_PF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(POLL, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(POLL_IDLE, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(POLL_IDLE, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(POLL_IDLE, H_VF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	/* Not held: a poll would say -EPERM, so not idle. */
	R(POLL_IDLE, H_VF, 1, 0, 0, 0, 0, 0, NULL),
	R(POLL_IDLE, H_PF, 0, 0, 0, 0, 0, 0, NULL),
	S(POLL_IDLE, H_OTHER, 0, 0, 0, 0, 0, 0, NULL),

	R(BLOCK_WRITE, H_NULL, 0, 0, 4, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, CH_VFS, 0, 4, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, UINT16_MAX, 0, 4, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, 0, 0, VFBC_CHANNEL_BLOCK_SIZE + 1, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, 0, 0, 4096, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, 0, 0, UINT32_MAX, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, 0, 0, 1, 0, N1, -EINVAL, NULL),
	R(BLOCK_WRITE, H_PF, 1, 200, 4, 0, 0, -ENOSPC, NULL),
	R(BLOCK_WRITE, H_PF, 1, UINT32_MAX, 4, 0, 0, -ENOSPC, NULL),
	R(BLOCK_WRITE, H_VF, 0, 0, 4, 0, 0, -EPERM, NULL),
	R(BLOCK_WRITE, H_OTHER, 0, 3, 8, 0, 0, -EPERM, NULL),
	S(BLOCK_WRITE, H_OTHER, 0, 0, 4, 0, 0, -EPERM, NULL),

	R(BLOCK_READ, H_NULL, 0, 3, 128, 0, 0, -EINVAL, NULL),
	R(BLOCK_READ, H_PF, 0, 3, 128, 0, N1, -EINVAL, NULL),
	R(BLOCK_READ, H_PF, CH_VFS, 3, 128, 0, 0, -EINVAL, NULL),
	R(BLOCK_READ, H_PF, UINT16_MAX, 3, 128, 0, 0, -EINVAL, NULL),
	R(BLOCK_READ, H_OTHER, 0, 3, 128, 0, 0, -EPERM, NULL),
	R(BLOCK_READ, H_VF, 1, 3, 128, 0, 0, -EPERM, NULL),
	R(BLOCK_READ, H_PF, 0, 5, 128, 0, 0, -ENOENT, NULL),
	R(BLOCK_READ, H_PF, 0, VFBC_CHANNEL_NB_BLOCKS, 128, 0, 0, -ENOENT, NULL),
	R(BLOCK_READ, H_PF, 0, UINT32_MAX, 128, 0, 0, -ENOENT, NULL),
	R(BLOCK_READ, H_VF, 0, 3, 7, 0, 0, -ENOBUFS, NULL),
	R(BLOCK_READ, H_VF, 0, 3, 0, 0, 0, -ENOBUFS, NULL),
	S(BLOCK_READ, H_OTHER, 0, 3, 128, 0, 0, -EPERM, NULL),

	R(CLAIM, H_NULL, 0, 0, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(CLAIM, H_OTHER, CH_VFS, 0, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(CLAIM, H_OTHER, UINT16_MAX, 0, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(CLAIM, H_VF, 0, 0, PR_GOOD, 0, 0, -EALREADY, NULL),
	R(CLAIM, H_OTHER, 1, 0, PR_GOOD, 0, 0, -EBUSY, "claims_refused/1"),
	R(CLAIM, H_OTHER, 1, 0, PR_NONE, 0, 0, -EACCES, "claims_refused/1"),
	R(CLAIM, H_OTHER, 2, 0, PR_NONE, 0, 0, -EACCES, "claims_refused/2"),
	/* With a verifier, a slot without a VF cannot be claimed, held or not. */
	R(CLAIM, H_OTHER, 3, 0, PR_NONE, 0, 0, -EACCES, "claims_refused/3"),
	S(CLAIM, H_OTHER, CH_VFS, 0, PR_GOOD, 0, 0, -EINVAL, NULL),
	S(CLAIM, H_OTHER, 0, 0, PR_GOOD, 0, 0, -EBUSY, "claims_refused/0"),
	S(CLAIM, H_OTHER, 1, 0, PR_GOOD, 0, 0, -EBUSY, "claims_refused/1"),
	S(CLAIM, H_OTHER, 2, 0, PR_NONE, 0, 0, -EACCES, "claims_refused/2"),

	R(WAKE, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(WAKE, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(WAKE, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(WAKE, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(WAKE, H_PF, 0, 0, 0, 0, 0, 0, NULL),
	S(WAKE, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(WAKE_FD, H_NULL, 0, 0, -1, 0, 0, -EINVAL, NULL),
	R(WAKE_FD, H_VF, CH_VFS, 0, -1, 0, 0, -EINVAL, NULL),
	R(WAKE_FD, H_VF, 1, 0, -1, 0, 0, -EPERM, NULL),
	R(WAKE_FD, H_PF, 0, 0, -1, 0, 0, -EPERM, NULL),
	S(WAKE_FD, H_OTHER, 0, 0, -1, 0, 0, -EPERM, NULL),
	R(WAKE_PAIR, H_NULL, 0, 1, 0, 0, 0, -EINVAL, NULL),
	R(WAKE_PAIR, H_PF, CH_VFS, 1, 0, 0, 0, -EINVAL, NULL),
	R(WAKE_PAIR, H_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(WAKE_PAIR, H_VF, 0, 1, 0, 0, 0, -EPERM, NULL),
	R(WAKE_PAIR, H_PF, 0, 1, 0, 0, 0, -ENOENT, NULL),
	R(WAKE_PAIR, H_PF, 3, 1, 0, 0, 0, -ENOENT, NULL),
	S(WAKE_PAIR, H_OTHER, 0, 1, 0, 0, 0, -EPERM, NULL),
	R(SVC_FD, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SVC_FD, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(SVC_FD, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SVC_ARM, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SVC_ARM, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(SVC_ARM, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SVC_DISARM, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SVC_DISARM, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SVC_KICK, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SVC_KICK, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SVC_ADOPT, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SVC_ADOPT, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(SVC_ADOPT, H_VF, 0, (uint64_t)-1, 0, 0, 0, -EINVAL, NULL),
	R(SVC_ADOPT, H_VF, 0, 0, 0, 0, 0, -ENOTSUP, NULL),
	R(SVC_ADOPT, H_PF, 0, 0, 0, 0, 0, -ENOTSUP, NULL),
	S(SVC_ADOPT, H_OTHER, 0, 0, 0, 0, 0, -ENOTSUP, NULL),
	R(SVC_HOLD, H_NULL, 0, 1, 0, 0, 0, -EINVAL, NULL),
	R(SVC_HOLD, H_PF, CH_VFS, 1, 0, 0, 0, -EINVAL, NULL),
	R(SVC_HOLD, H_VF, 0, 1, 0, 0, 0, -EPERM, NULL),
	R(SVC_HOLD, H_PF, 0, 0, 0, 0, 0, 0, NULL),
	R(SLEEP_ARM, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SLEEP_ARM, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(SLEEP_ARM, H_VF, 1, 0, 0, 0, 0, -EPERM, NULL),
	R(SLEEP_ARM, H_PF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(SLEEP_ARM, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SLEEP_DISARM, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SLEEP_DISARM, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(SLEEP_DISARM, H_VF, 1, 0, 0, 0, 0, -EPERM, NULL),
	S(SLEEP_DISARM, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(RELEASE, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(RELEASE, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(RELEASE, H_VF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(RELEASE, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(RELEASE, H_PF, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(RELEASE, H_VF, 1, 0, 0, 0, 0, -EPERM, NULL),
	S(RELEASE, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(GRANT, H_NULL, 0, PID_SELF, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(GRANT, H_PF, CH_VFS, PID_SELF, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(GRANT, H_PF, UINT16_MAX, PID_SELF, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(GRANT, H_PF, 0, PID_ZERO, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(GRANT, H_PF, 0, PID_MINUS1, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(GRANT, H_PF, 0, PID_MIN, PR_GOOD, 0, 0, -EINVAL, NULL),
	R(GRANT, H_VF, 0, PID_SELF, PR_GOOD, 0, 0, -EPERM, NULL),
	R(GRANT, H_OTHER, 2, PID_SELF, PR_GOOD, 0, 0, -EPERM, NULL),
	R(GRANT, H_PF, 0, PID_GONE, PR_GOOD, 0, 0, -ESRCH, NULL),
	R(GRANT, H_PF, 1, PID_SELF, PR_GOOD, 0, 0, -EBUSY, "claims_refused/1"),
	R(GRANT, H_PF, 2, PID_SELF, PR_NONE, 0, 0, -EACCES, "claims_refused/2"),
	R(GRANT, H_PF, 3, PID_SELF, PR_NONE, 0, 0, -EACCES, "claims_refused/3"),
	S(GRANT, H_OTHER, 2, PID_SELF, PR_GOOD, 0, 0, -EPERM, NULL),

	R(REVOKE, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(REVOKE, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(REVOKE, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(REVOKE, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(REVOKE, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(VERIFY_SET, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(VERIFY_SET, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(VERIFY_SET, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(GRANTED, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(GRANTED, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(GRANTED, H_OTHER, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),

	R(CLAIM_GET, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(CLAIM_GET, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(CLAIM_GET, H_OTHER, UINT16_MAX, 0, 0, 0, N1 | N2, -EINVAL, NULL),

	R(VALIDATE, H_NULL, 0, CR, 4, 0, 0, -EINVAL, NULL),
	R(VALIDATE, H_PF, 0, CR, 4, 0, N1, -EINVAL, NULL),
	R(VALIDATE, H_PF, CH_VFS, CR, 4, 0, 0, -EINVAL, NULL),
	R(VALIDATE, H_PF, UINT16_MAX, CR, 4, 0, 0, -EINVAL, NULL),
	R(VALIDATE, H_PF, 0, 0, 4, 0, 0, -ENOTSUP, NULL),
	R(VALIDATE, H_PF, 0, CW + 1, 4, 0, 0, -ENOTSUP, NULL),
	R(VALIDATE, H_PF, 0, UINT16_MAX, 4, 0, 0, -ENOTSUP, NULL),
	R(VALIDATE, H_PF, 0, CR | T_OTHER_VF, 4, 0, 0, -EPERM, NULL),
	R(VALIDATE, H_PF, 0, CR, 0, 0, 0, -EMSGSIZE, NULL),
	R(VALIDATE, H_PF, 0, CW, VFBC_CHANNEL_BLOCK_SIZE + 1, 0, 0, -EMSGSIZE, NULL),
	R(VALIDATE, H_PF, 0, BW, UINT32_MAX, 0, 0, -EMSGSIZE, NULL),
	R(VALIDATE, H_PF, 0, CR, 1, 4096, 0, -ERANGE, NULL),
	R(VALIDATE, H_PF, 0, CR, 2, 4095, 0, -ERANGE, NULL),
	R(VALIDATE, H_PF, 0, CW, 128, 4096 - 127, 0, -ERANGE, NULL),
	R(VALIDATE, H_PF, 0, CW, 0x20, 0xfffffff0, 0, -ERANGE, NULL),
	R(VALIDATE, H_PF, 0, CR, 1, UINT32_MAX, 0, -ERANGE, NULL),
	R(VALIDATE, H_PF, 0, BW, 4, VFBC_CHANNEL_NB_BLOCKS, 0, -ENOENT, NULL),
	R(VALIDATE, H_PF, 0, BW, 4, UINT32_MAX, 0, -ENOENT, NULL),

	R(POST, H_NULL, 0, CR, 4, 0, 0, -EINVAL, NULL),
	R(POST, H_VF, 0, CR, 4, 0, N1, -EINVAL, NULL),
	R(POST, H_VF, CH_VFS, CR, 4, 0, 0, -EINVAL, NULL),
	R(POST, H_VF, UINT16_MAX, CR, 4, 0, 0, -EINVAL, NULL),
	R(POST, H_OTHER, 0, CR, 4, 0, 0, -EPERM, NULL),
	R(POST, H_PF, 0, CR, 4, 0, 0, -EPERM, NULL),
	R(POST, H_VF, 1, CR, 4, 0, 0, -EPERM, NULL),
	R(POST, H_VF, 0, 0, 4, 0, 0, -ENOTSUP, NULL),
	R(POST, H_VF, 0, CR, 0, 0, 0, -EMSGSIZE, NULL),
	R(POST, H_VF, 0, CW, VFBC_CHANNEL_BLOCK_SIZE + 1, 0, 0, -EMSGSIZE, NULL),
	R(POST, H_VF, 0, CR, 2, 4095, 0, -ERANGE, NULL),
	R(POST, H_VF, 0, CW, 0x20, 0xfffffff0, 0, -ERANGE, NULL),
	R(POST, H_VF, 0, BW, 4, VFBC_CHANNEL_NB_BLOCKS, 0, -ENOENT, NULL),
	S(POST, H_OTHER, 0, CR, 4, 0, 0, -EPERM, NULL),

	R(DOORBELL_SCAN, H_NULL, 0, 0, 0, 8, 0, -EINVAL, NULL),
	R(DOORBELL_SCAN, H_PF, 0, 0, 0, 8, N1, -EINVAL, NULL),
	R(DOORBELL_SCAN, H_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(DOORBELL_SCAN, H_VF, 0, 0, 0, 8, 0, -EPERM, NULL),
	S(DOORBELL_SCAN, H_OTHER, 0, 0, 0, 8, 0, -EPERM, NULL),

	R(DOORBELL_PENDING, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(DOORBELL_PENDING, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(DOORBELL_PENDING, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(SUMMARY_SLOT, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SUMMARY_SLOT, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(SUMMARY_SLOT, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SUMMARY_MARK, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SUMMARY_MARK, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(SUMMARY_MARK, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(SUMMARY_TAKE, 0, 0, 0, 0, VFBC_CHANNEL_SUMMARY_WORDS, N1, -EINVAL, NULL),
	R(SUMMARY_TAKE, 0, 0, 0, 0, VFBC_CHANNEL_SUMMARY_WORDS - 1, 0, -EINVAL, NULL),
	R(SUMMARY_TAKE, 0, 0, 0, 0, 0, 0, -EINVAL, NULL),
	/* A secondary holds no summary: another process reserved it. */
	S(SUMMARY_TAKE, 0, 0, 0, 0, VFBC_CHANNEL_SUMMARY_WORDS, 0, -ENOENT, NULL),

	R(SWEEP, H_NULL, 0, 0, 0, 8, 0, -EINVAL, NULL),
	R(SWEEP, H_PF, 0, 0, 0, 8, N1, -EINVAL, NULL),
	R(SWEEP, H_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(SWEEP, H_OTHER, 0, 0, 0, 8, 0, -EPERM, NULL),
	S(SWEEP, H_OTHER, 0, 0, 0, 8, 0, -EPERM, NULL),

	R(DEQUEUE, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(DEQUEUE, H_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(DEQUEUE, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(DEQUEUE, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(DEQUEUE, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(DEQUEUE, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(RESPOND, H_NULL, 0, 0, 4, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_PF, 0, 0, 4, 0, N1, -EINVAL, NULL),
	R(RESPOND, H_PF, 0, 0, 4, 0, N2, -EINVAL, NULL),
	R(RESPOND, H_PF, CH_VFS, 0, 4, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_PF, UINT16_MAX, 0, 4, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_PF, 0, 0, VFBC_CHANNEL_BLOCK_SIZE + 1, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_PF, 0, 0, UINT32_MAX, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_PF, 0, 1, 4, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_PF, 0, INT32_MAX, 4, 0, 0, -EINVAL, NULL),
	R(RESPOND, H_VF, 0, 0, 4, 0, 0, -EPERM, NULL),
	S(RESPOND, H_OTHER, 0, 0, 4, 0, 0, -EPERM, NULL),

	R(RESPONSE_POLL, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(RESPONSE_POLL, H_VF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(RESPONSE_POLL, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(RESPONSE_POLL, H_VF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(RESPONSE_POLL, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(RESPONSE_POLL, H_PF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(RESPONSE_POLL, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),

	R(STATS_GET, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(STATS_GET, H_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(STATS_GET, H_OTHER, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(STATS_GET, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),

	R(ADDR_SET, H_NULL, 0, A_OK, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_SET, H_PF, CH_VFS, A_OK, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_SET, H_PF, UINT16_MAX, A_OK, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_SET, H_PF, 0, A_DEV32, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_SET, H_PF, 2, A_FN8, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_SET, H_VF, 0, A_OK, 0, 0, 0, -EPERM, NULL),
	S(ADDR_SET, H_OTHER, 2, A_UNKNOWN, 0, 0, 0, -EPERM, NULL),

	R(ADDR_GET, H_NULL, 2, 0, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_GET, H_PF, 2, 0, 0, 0, N1, -EINVAL, NULL),
	R(ADDR_GET, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_GET, H_OTHER, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(ADDR_GET, H_OTHER, 3, 0, 0, 0, 0, -ENOENT, NULL),

	R(FIND, H_NULL, 0, A_OK, 0, 0, 0, -EINVAL, NULL),
	R(FIND, H_OTHER, 0, A_OK, 0, 0, N1, -EINVAL, NULL),
	R(FIND, H_OTHER, 0, A_UNKNOWN, 0, 0, 0, -ENOENT, NULL),
	R(FIND, H_PF, 0, A_DEV32, 0, 0, 0, -ENOENT, NULL),

	R(CREATE_MEM, 0, 0, M_NULL, BI_SCRATCH_SIZE, 1, 0, -EINVAL, NULL),
	R(CREATE_MEM, 0, 0, M_MISALIGNED, BI_SCRATCH_SIZE - 1, 1, 0, -EINVAL, NULL),
	R(CREATE_MEM, 0, 0, M_SCRATCH, L_SHORT, 1, 0, -EINVAL, NULL),
	R(CREATE_MEM, 0, 0, M_SCRATCH, 0, 1, 0, -EINVAL, NULL),
	R(CREATE_MEM, 0, 0, M_SCRATCH, BI_SCRATCH_SIZE, 0, 0, -EINVAL, NULL),
	R(CREATE_MEM, 0, 0, M_SCRATCH, BI_SCRATCH_SIZE, VFBC_CHANNEL_MAX_VFS + 1, 0, -EINVAL,
	  NULL),
	R(CREATE_MEM, 0, 0, M_SCRATCH, SIZE_MAX, UINT16_MAX, 0, -EINVAL, NULL),

	R(ATTACH_MEM, 0, 0, M_NULL, BI_SCRATCH_SIZE, 0, 0, -EINVAL, NULL),
	R(ATTACH_MEM, 0, 0, M_ZERO, sizeof(ch_zero), 0, 0, -EAGAIN, NULL),
	R(ATTACH_MEM, 0, 0, M_SCRATCH, BI_SCRATCH_SIZE, 0, 0, -EPROTO, NULL),
	R(ATTACH_MEM, 0, 0, M_SCRATCH, 0, 0, 0, -EPROTO, NULL),
	R(ATTACH_MEM, 0, 0, M_CHANNEL, 16, 0, 0, -EPROTO, NULL),

	R(CREATE_ISOLATED, 0, 0, N_NULL, 0, 1, 0, -EINVAL, NULL),
	R(CREATE_ISOLATED, 0, 0, N_EMPTY, 0, 1, 0, -EINVAL, NULL),
	R(CREATE_ISOLATED, 0, 0, N_LONG, 0, 1, 0, -ENAMETOOLONG, NULL),
	R(CREATE_ISOLATED, 0, 0, N_NEW, 0, 0, 0, -EINVAL, NULL),
	R(CREATE_ISOLATED, 0, 0, N_NEW, 0, VFBC_CHANNEL_MAX_VFS + 1, 0, -EINVAL, NULL),
	R(CREATE_ISOLATED, 0, 0, N_EXISTS, 0, 1, 0, -EEXIST, NULL),
	S(CREATE_ISOLATED, 0, 0, N_NEW, 0, 1, 0, -E_RTE_SECONDARY, NULL),

	R(IS_ISOLATED, H_NULL, 0, 0, 0, 0, 0, 0, NULL),
	R(IS_ISOLATED, H_PF, 0, 0, 0, 0, 0, 0, NULL),
	R(REGION_SIZE, 0, 0, 0, 0, 0, 0, 0, NULL),

	R(REGION_FD, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(REGION_FD, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(REGION_FD, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(REGION_FD, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(REGION_FD, H_PF, 0, 0, 0, 0, 0, -ENOTSUP, NULL),

	R(ATTACH_REGION, 0, 0, RG_MINUS1, 0, 0, 0, -EINVAL, NULL),
	R(ATTACH_REGION, 0, VFBC_CHANNEL_MAX_VFS, RG_DEVNULL, 0, 0, 0, -EINVAL, NULL),
	R(ATTACH_REGION, 0, 0, RG_DEVNULL, 0, 0, 0, -EPROTO, NULL),
	S(ATTACH_REGION, 0, 1, RG_DEVNULL, 0, 0, 0, -EPROTO, NULL),

	/* Only a region's handle is remapped: not the creator's, not a memzone's. */
	R(REMAP, H_NULL, 0, RG_DEVNULL, 0, 0, 0, -EINVAL, NULL),
	R(REMAP, H_PF, 0, RG_DEVNULL, 0, 0, 0, -EINVAL, NULL),
	R(REMAP, H_VF, 0, RG_DEVNULL, 0, 0, 0, -EINVAL, NULL),
	R(REMAP, H_OTHER, 0, RG_MINUS1, 0, 0, 0, -EINVAL, NULL),
	S(REMAP, H_OTHER, 0, RG_DEVNULL, 0, 0, 0, -EINVAL, NULL),

	R(ADOPT, H_NULL, 0, 0, 0, UINT64_C(1) << 32 | 1, 0, -EINVAL, NULL),
	R(ADOPT, H_OTHER, CH_VFS, 0, 0, UINT64_C(1) << 32 | 1, 0, -EINVAL, NULL),
	R(ADOPT, H_OTHER, 2, 0, 0, 0, 0, -EINVAL, NULL),
	R(ADOPT, H_OTHER, 2, 0, 0, UINT64_C(1) << 32, 0, -EINVAL, NULL),
	R(ADOPT, H_VF, 0, 0, 0, UINT64_C(1) << 32 | 1, 0, -EALREADY, NULL),
	/* A word the PF never granted: taking it would let a handle act without a grant. */
	R(ADOPT, H_OTHER, 2, 0, 0, UINT64_MAX, 0, -EBUSY, NULL),
	R(ADOPT, H_OTHER, 1, 0, 0, UINT64_C(0xdead) << 32 | 1, 0, -EBUSY, NULL),
	S(ADOPT, H_OTHER, 2, 0, 0, UINT64_MAX, 0, -EBUSY, NULL),

	R(HOLDS, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(HOLDS, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(HOLDS, H_VF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(HOLDS, H_VF, 0, 0, 0, 0, 0, 1, NULL),
	R(HOLDS, H_OTHER, 0, 0, 0, 0, 0, 0, NULL),
	S(HOLDS, H_OTHER, 1, 0, 0, 0, 0, 0, NULL),

	R(LIFE_POST, H_NULL, 0, VFBC_CHANNEL_LIFE_FLR, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, CH_VFS, VFBC_CHANNEL_LIFE_FLR, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, UINT16_MAX, VFBC_CHANNEL_LIFE_FLR, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, 0, VFBC_CHANNEL_LIFE_ENABLED + 1, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, 0, VFBC_CHANNEL_LIFE_NB_CAUSES, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, 0, (uint64_t)(int64_t)-2, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, 0, (uint64_t)(int64_t)INT32_MIN, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, 0, VFBC_CHANNEL_LIFE_FLR, 0x10, 0, 0, -EINVAL, NULL),
	R(LIFE_POST, H_PF, 0, VFBC_CHANNEL_LIFE_NONE, 0, UINT32_MAX, 0, -EINVAL, NULL),
	R(LIFE_POST, H_VF, 0, VFBC_CHANNEL_LIFE_FLR, 0, 0, 0, -EPERM, NULL),
	R(LIFE_POST, H_OTHER, 2, VFBC_CHANNEL_LIFE_NONE, 0, 0, 0, -EPERM, NULL),
	S(LIFE_POST, H_OTHER, 0, VFBC_CHANNEL_LIFE_FLR, 0, 0, 0, -EPERM, NULL),

	R(LIFE_GET, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_GET, H_VF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(LIFE_GET, H_VF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_GET, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	S(LIFE_GET, H_OTHER, 0, 0, 0, 0, N1, -EINVAL, NULL),

	R(LIFE_GEN, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(LIFE_GEN, H_VF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(LIFE_GEN, H_OTHER, 0, 0, 0, 0, N1, -EINVAL, NULL),

	R(LIFE_CURSOR_INIT, 0, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(LIFE_CURSOR_INIT, 0, 0, 0, 0, 0, N2, -EINVAL, NULL),
	R(LIFE_CURSOR_INIT, 0, 0, 0, 0, 0, N1 | N2, -EINVAL, NULL),

	R(LIFE_NEXT, 0, 0, 8, LS_NONE, 0, N1, -EINVAL, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_NONE, 0, N2, -EINVAL, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_NOOUT, 0, 0, -EINVAL, NULL),
	R(LIFE_NEXT, 0, 0, 0, LS_SUM, 0, 0, -EINVAL, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_SUM, 0, 0, -EBADMSG, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_ENTRY, 0, 0, -EBADMSG, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_CAUSE, 0, 0, -EBADMSG, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_OLDER, 0, 0, -ESTALE, NULL),
	R(LIFE_NEXT, 0, 0, 8, LS_NONE, 0, 0, 0, NULL),

	R(CLAIM_COUNTS, H_NULL, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(CLAIM_COUNTS, H_PF, CH_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(CLAIM_COUNTS, H_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(CLAIM_COUNTS, H_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(CLAIM_COUNTS, H_PF, 0, 0, 0, 0, N2, -EINVAL, NULL),
	R(CLAIM_COUNTS, H_VF, 0, 0, 0, 0, 0, -EPERM, NULL),
	S(CLAIM_COUNTS, H_OTHER, 0, 0, 0, 0, 0, -EPERM, NULL),
};

const struct bi_table bi_channel_table = BI_TABLE("vfbc_channel.h", ch_fns, ch_rows);

/* The channel the rows expect (see the top of the file). */
/*
 * A live consumer that is not us: a child holding our proof (/dev/null) at
 * the same number, alive until its pipe closes. The verifier is set before
 * its grant: a claim granted before would be taken back by the setting.
 */
static pid_t ch_holder = -1;
static int ch_holder_pipe = -1;

static int
ch_holder_start(void)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		return -errno;
	ch_holder = fork();
	if (ch_holder == 0) {
		close(p[1]);
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	if (ch_holder < 0) {
		close(p[1]);
		return -errno;
	}
	ch_holder_pipe = p[1];
	return 0;
}

static void
ch_holder_stop(void)
{
	if (ch_holder_pipe >= 0)
		close(ch_holder_pipe);
	if (ch_holder > 0)
		waitpid(ch_holder, NULL, 0);
	ch_holder_pipe = -1;
	ch_holder = -1;
}

static int
ch_world_build(void)
{
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rte_pci_addr addr = ch_vf2_addr;
	uint32_t i;

	ch_proof = open("/dev/null", O_RDONLY | O_CLOEXEC);
	TEST_ASSERT(ch_proof >= 0, "cannot open /dev/null");
	ch_h[H_PF] = vfbc_channel_create(CH_NAME, CH_VFS, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ch_h[H_PF], "create: %s", rte_strerror(rte_errno));
	ch_h[H_VF] = vfbc_channel_attach(CH_NAME);
	ch_h[H_OTHER] = vfbc_channel_attach(CH_NAME);
	TEST_ASSERT(ch_h[H_VF] != NULL && ch_h[H_OTHER] != NULL, "attach: %s",
		    rte_strerror(rte_errno));
	for (i = 0; i < 3; i++) {
		addr.function = i;
		TEST_ASSERT_SUCCESS(vfbc_channel_vf_addr_set(ch_h[H_PF], i, &addr),
				    "VF %u address", i);
	}
	TEST_ASSERT_SUCCESS(vfbc_channel_claim_verify_set(ch_h[H_PF], ch_verify, NULL),
			    "verifier");
	TEST_ASSERT_SUCCESS(ch_holder_start(), "the other consumer");
	TEST_ASSERT_EQUAL(vfbc_channel_claim_grant(ch_h[H_PF], 1, ch_holder, ch_proof, ch_proof,
			  NULL), 0, "grant of VF 1 to the other consumer");
	TEST_ASSERT_EQUAL(vfbc_channel_claim(ch_h[H_VF], 0, ch_proof), 0, "claim of VF 0");
	TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch_h[H_PF], 0, 3, data, sizeof(data)),
			    "block 3");
	for (i = 0; i < VFBC_CHANNEL_NB_EXTRA_BLOCKS; i++)
		TEST_ASSERT_SUCCESS(vfbc_channel_block_write(ch_h[H_PF], 1, 100 + i, data, 1),
				    "extra block %u", 100 + i);
	return TEST_SUCCESS;
}

static void
ch_world_free(void)
{
	vfbc_channel_free(ch_h[H_OTHER]);
	vfbc_channel_free(ch_h[H_VF]);
	vfbc_channel_free(ch_h[H_PF]);
	memset(ch_h, 0, sizeof(ch_h));
	ch_holder_stop();
	if (ch_proof >= 0)
		close(ch_proof);
	ch_proof = -1;
}

static int
test_badinput_channel(void)
{
	struct bi_scope scope = { .xstats_port = RTE_MAX_ETHPORTS, .mz_name = "vfbc_ch_" CH_NAME };
	int ret;

	ret = vfbc_test_eal_init("--no-huge --in-memory --no-pci");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = ch_world_build();
	if (ret == TEST_SUCCESS) {
		scope.ch = ch_h[H_PF];
		ret = bi_run(&bi_channel_table, BI_PRIMARY, 0, &scope, NULL);
	}
	ch_world_free();
	return ret;
}

REGISTER_TEST_COMMAND(badinput_channel_autotest, test_badinput_channel);

/* The secondary rows: a primary with hugepages, the rows run by a secondary of it. */
static int
test_badinput_channel_mp(void)
{
	struct bi_scope scope = { .xstats_port = RTE_MAX_ETHPORTS, .mz_name = "vfbc_ch_" CH_NAME };
	struct mp_child c;
	int ret;

	ret = vfbc_test_eal_init("-m 64 --no-pci");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = ch_world_build();
	if (ret != TEST_SUCCESS)
		goto out;
	scope.ch = ch_h[H_PF];
	ret = bi_remote_start(&c, "badinput_channel_secondary", "--no-pci", NULL);
	if (ret != TEST_SUCCESS)
		goto out;
	ret = bi_run(&bi_channel_table, BI_SECONDARY, 0, &scope, &c);
	if (bi_remote_stop(&c) != TEST_SUCCESS)
		ret = TEST_FAILED;
out:
	ch_world_free();
	return ret;
}

REGISTER_TEST_COMMAND_SUITE(badinput_channel_mp_autotest, test_badinput_channel_mp, "mp");

static int
test_badinput_channel_secondary(void)
{
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS)
		return ret;
	ch_proof = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ch_h[H_OTHER] = vfbc_channel_attach(CH_NAME);
	if (ch_h[H_OTHER] == NULL || ch_proof < 0) {
		mp_agent_send("error attach: %s", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	ret = bi_serve(&bi_channel_table);
	vfbc_channel_free(ch_h[H_OTHER]);
	ch_h[H_OTHER] = NULL;
	close(ch_proof);
	return ret;
}

REGISTER_HIDDEN_TEST_COMMAND(badinput_channel_secondary, test_badinput_channel_secondary);
