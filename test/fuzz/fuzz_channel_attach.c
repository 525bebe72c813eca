/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_channel_attach()'s layout check (through vfbc_channel_attach_mem(),
 * which checks exactly as it does) against a corrupted, foreign, older or
 * truncated channel: the input gives the memory's length, whether a real
 * channel was created in it first, and the header bytes, raw or as patches
 * of the creator's header.
 *
 * Invariants:
 * - attach fails exactly when the contract says (vfbc_channel.h), with its
 *   errno: EPROTO for too small an area, a bad magic, another major or an
 *   older minor version, or any geometry value other than the library's for
 *   the header's nb_vfs; EAGAIN for a magic of zero; never another errno;
 * - a handle it returns has nb_vfs VFs and every geometry value of a
 *   channel created fresh for nb_vfs, and the area holds that channel;
 * - attach writes nothing;
 * - reads, polls and requests through the handle stay inside the memory
 *   (guard pages and ASan poison around it), whatever the VF areas hold.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Largest channel a header may describe and still fit the memory tried. */
#define FIT_VFS 16
/* Most VFs of the channel created first (creation clears all its memory). */
#define CREATOR_VFS 8
#define HDR_SIZE sizeof(struct vfbc_channel_shm_hdr)

/* A channel as this library lays it out for nb_vfs VFs. */
struct fresh {
	struct vfbc_channel_shm_hdr hdr;
	uint64_t vf_area_off;
	uint32_t vf_size;
	uint32_t notify_ring_off;
	uint32_t req_ring_off;
	uint32_t resp_ring_off;
};

static struct fresh fresh[VFBC_CHANNEL_MAX_VFS + 1];
static struct fuzz_region region;
static size_t mem_max;

/* attach's verdict by the contract: 0 or the errno. */
static int
expect_attach(const uint8_t *mem, size_t len)
{
	const struct vfbc_channel_shm_hdr *h = (const void *)mem;
	const struct vfbc_channel_shm_hdr *g;

	if (len < HDR_SIZE)
		return EPROTO;
	if (h->magic == 0)
		return EAGAIN;
	if (h->magic != VFBC_CHANNEL_MAGIC)
		return EPROTO;
	/* An isolated channel is never attached, whatever else the header says. */
	if ((h->flags & VFBC_CHANNEL_F_ISOLATED) != 0)
		return ENOTSUP;
	if (h->version_major != VFBC_CHANNEL_VERSION_MAJOR ||
			h->version_minor < VFBC_CHANNEL_VERSION_MINOR)
		return EPROTO;
	if (h->nb_vfs == 0 || h->nb_vfs > VFBC_CHANNEL_MAX_VFS)
		return EPROTO;
	g = &fresh[h->nb_vfs].hdr;
	if (h->size != g->size || len < g->size || h->vf_area_off != g->vf_area_off ||
			h->nb_blocks != g->nb_blocks || h->nb_extra_blocks != g->nb_extra_blocks ||
			h->block_size != g->block_size || h->hdr_size != g->hdr_size ||
			h->vf_size != g->vf_size ||
			h->notify_ring_off != g->notify_ring_off ||
			h->notify_ring_size != g->notify_ring_size ||
			h->notify_elem_size != g->notify_elem_size ||
			h->req_ring_off != g->req_ring_off ||
			h->req_ring_size != g->req_ring_size ||
			h->req_elem_size != g->req_elem_size ||
			h->resp_ring_off != g->resp_ring_off ||
			h->resp_ring_size != g->resp_ring_size ||
			h->resp_elem_size != g->resp_elem_size)
		return EPROTO;
	return 0;
}

/* Corrupt the creator's header the way a fault or a foreign writer would. */
static void
patch_header(uint8_t *mem, size_t len, struct fuzz_in *in)
{
	struct vfbc_channel_shm_hdr *h = (void *)mem;
	unsigned int n;
	size_t off, n_bytes;
	uint16_t nb;

	if (len < HDR_SIZE)
		return;
	n = fuzz_u8(in) % 8;
	while (n-- != 0) {
		switch (fuzz_u8(in) % 6) {
		case 0: /* any bytes */
			off = fuzz_u8(in) % HDR_SIZE;
			n_bytes = 1 + fuzz_u8(in) % 4;
			fuzz_bytes(in, mem + off, RTE_MIN(n_bytes, HDR_SIZE - off));
			break;
		case 1: /* another VF count, the rest unchanged */
			h->nb_vfs = fuzz_u16(in) % (FIT_VFS + 2);
			break;
		case 2: /* the consistent header of another VF count */
			nb = 1 + fuzz_u8(in) % (FIT_VFS + 1);
			memcpy(&h->size, &fresh[nb].hdr.size,
				offsetof(struct vfbc_channel_shm_hdr, creator_pid) -
				offsetof(struct vfbc_channel_shm_hdr, size));
			break;
		case 3: /* another layout version */
			h->version_major += (int8_t)fuzz_u8(in) % 2;
			h->version_minor = fuzz_u16(in);
			break;
		case 4: /* a creator that has not finished, or a foreign magic */
			h->magic = (fuzz_u8(in) & 1) != 0 ? 0 : fuzz_u32(in);
			break;
		default: /* the size field off by a little */
			h->size += (int8_t)fuzz_u8(in);
			break;
		}
	}
}

/* The handle's geometry is the library's for its nb_vfs. */
static void
check_handle(const struct vfbc_channel *ch, const uint8_t *mem)
{
	const struct vfbc_channel_shm_hdr *h = (const void *)mem;
	const struct fresh *g = &fresh[h->nb_vfs];

	FUZZ_CHECK(vfbc_channel_nb_vfs(ch) == h->nb_vfs, "handle of %u VFs, header %u",
		vfbc_channel_nb_vfs(ch), h->nb_vfs);
	FUZZ_CHECK(ch->base == mem && ch->pf == NULL && ch->creator == 0,
		"attached handle: base %p (memory %p), PF state %p", (void *)ch->base,
		(const void *)mem, (void *)ch->pf);
	FUZZ_CHECK(ch->vf_area_off == g->vf_area_off && ch->vf_size == g->vf_size &&
		ch->notify_ring_off == g->notify_ring_off &&
		ch->req_ring_off == g->req_ring_off && ch->resp_ring_off == g->resp_ring_off,
		"geometry of %u VFs differs from a fresh channel's", h->nb_vfs);
}

/*
 * Whatever a VF slot holds, the VF-side calls stay in bounds and answer
 * sanely. nb_creator: VFs of the channel created in the memory first (its
 * creator grants the claims), 0 if none.
 */
static void
use_slot(struct vfbc_channel *ch, uint16_t vf, uint16_t nb_creator, int other, struct fuzz_in *in)
{
	uint8_t buf[VFBC_CHANNEL_BLOCK_SIZE];
	struct vfbc_channel_stats st;
	struct vfbc_channel_resp resp;
	struct rte_pci_addr addr;
	struct vfbc_channel_req req;
	uint8_t *area;
	uint64_t mask;
	uint32_t vf_size = ch->vf_size;
	unsigned int n;
	int ret;

	FUZZ_CHECK(vfbc_channel_stats_get(ch, vf, &st) == 0, "stats_get(%u)", vf);
	FUZZ_CHECK(vfbc_channel_claim_get(ch, vf, NULL, NULL) == 0, "claim_get(%u)", vf);
	ret = vfbc_channel_claim_granted(ch, vf, NULL);
	FUZZ_CHECK(ret == 0 || ret == 1, "claim_granted(%u): %d", vf, ret);
	ret = vfbc_channel_vf_addr_get(ch, vf, &addr);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT, "vf_addr_get(%u): %d", vf, ret);

	/*
	 * Slot vf is at the same place whatever the VF count: the creator's
	 * grant is seen through this handle. A header that names another
	 * incarnation than the creator's is another channel: not its VFs.
	 */
	ret = vfbc_channel_claim(ch, vf, -1);
	FUZZ_CHECK(ret == (nb_creator == 0 ? -ENOTCONN : other ? -ENODEV :
			   vf >= nb_creator ? -EINVAL : 0),
		"claim(%u) of a channel created with %u VFs%s: %d", vf, nb_creator,
		other ? ", another incarnation" : "", ret);
	if (ret < 0) {
		/* Not granted: nothing the VF side does is allowed. */
		FUZZ_CHECK(vfbc_channel_poll_invalidations(ch, vf, &mask) == -EPERM &&
			vfbc_channel_block_read(ch, vf, 0, buf, sizeof(buf)) == -EPERM,
			"VF calls without the claim of %u", vf);
		return;
	}
	/* The slot as a hostile VF may leave it: rings, blocks, counters. */
	area = ch->base + ch->vf_area_off + (uint64_t)vf * vf_size;
	for (n = fuzz_u8(in) % 8; n != 0; n--)
		fuzz_bytes(in, area + fuzz_u32(in) % (vf_size - 8), 8);

	ret = vfbc_channel_poll_invalidations(ch, vf, &mask);
	FUZZ_CHECK(ret >= -EPERM && ret <= 1, "poll(%u): %d", vf, ret);
	ret = vfbc_channel_response_poll(ch, vf, &resp);
	FUZZ_CHECK(ret == 0 || ret == -EPERM || (ret == 1 && resp.len <= VFBC_CHANNEL_BLOCK_SIZE),
		"response_poll(%u): %d", vf, ret);
	ret = vfbc_channel_block_read(ch, vf, fuzz_u8(in), buf, sizeof(buf));
	FUZZ_CHECK(ret <= VFBC_CHANNEL_BLOCK_SIZE && ret != -ENOBUFS, "block_read(%u): %d", vf,
		ret);
	memset(&req, 0, sizeof(req));
	req.type = VFBC_CHANNEL_REQ_CFG_READ;
	req.len = 4;
	ret = vfbc_channel_request_post(ch, vf, &req);
	FUZZ_CHECK(ret == 0 || ret == -EPERM || ret == -ENOBUFS || ret == -EPROTO,
		"request_post(%u): %d", vf, ret);
	ret = vfbc_channel_release(ch, vf);
	FUZZ_CHECK(ret == 0 || ret == -EPERM, "release(%u): %d", vf, ret);
}

static void
use_handle(struct vfbc_channel *ch, uint16_t nb_creator, int other, struct fuzz_in *in)
{
	struct rte_pci_addr addr;
	uint16_t nb, vf;
	int ret;

	nb = vfbc_channel_nb_vfs(ch);
	/* Every slot's address is read: the last one ends where the memory may end. */
	memset(&addr, 0, sizeof(addr));
	addr.bus = fuzz_u8(in);
	ret = vfbc_channel_vf_find(ch, &addr);
	FUZZ_CHECK(ret == -ENOENT || (ret >= 0 && ret < nb), "vf_find: %d", ret);
	vf = fuzz_u8(in) % nb;
	use_slot(ch, vf, nb_creator, other, in);
	if (vf != nb - 1)
		use_slot(ch, nb - 1, nb_creator, other, in);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vfbc_channel *ch;
	uint16_t nb;
	size_t size;
	void *mem;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_log_quiet();
	size = (size_t)vfbc_channel_memsize(VFBC_CHANNEL_MAX_VFS);
	FUZZ_CHECK(vfbc_channel_attach_mem(NULL, 0) == NULL && rte_errno == EINVAL,
		"attach of NULL memory");
	/* A channel of every size, created for real: the geometry to compare with. */
	mem = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE));
	FUZZ_CHECK(mem != NULL, "no memory");
	for (nb = 1; nb <= VFBC_CHANNEL_MAX_VFS; nb++) {
		ch = vfbc_channel_create_mem(mem, size, nb);
		FUZZ_CHECK(ch != NULL, "create_mem(%u)", nb);
		memcpy(&fresh[nb].hdr, mem, HDR_SIZE);
		fresh[nb].vf_area_off = ch->vf_area_off;
		fresh[nb].vf_size = ch->vf_size;
		fresh[nb].notify_ring_off = ch->notify_ring_off;
		fresh[nb].req_ring_off = ch->req_ring_off;
		fresh[nb].resp_ring_off = ch->resp_ring_off;
		FUZZ_CHECK(fresh[nb].hdr.size == (uint64_t)vfbc_channel_memsize(nb),
			"memsize(%u)", nb);
		vfbc_channel_free(ch);
	}
	free(mem);
	mem_max = fresh[FIT_VFS].hdr.size + 4096;
	fuzz_region_map(&region, mem_max);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct vfbc_channel *pf = NULL, *ch;
	uint8_t before[HDR_SIZE];
	uint16_t nb_creator;
	size_t csize, len;
	uint8_t *mem, how;
	int want;

	nb_creator = 1 + fuzz_u8(&in) % CREATOR_VFS;
	how = fuzz_u8(&in);
	csize = fresh[nb_creator].hdr.size;
	/* Exactly a channel, a little more, a little less, anything, less than a header. */
	switch (how % 5) {
	case 0:
		len = csize;
		break;
	case 1:
		len = csize + fuzz_u16(&in) % 4096;
		break;
	case 2:
		len = csize - 1 - fuzz_u16(&in) % 4096;
		break;
	case 3:
		len = fuzz_u32(&in) % (mem_max + 1);
		break;
	default:
		len = fuzz_u8(&in) % HDR_SIZE;
		break;
	}
	mem = fuzz_region_place(&region, len);
	memset(mem, 0, len);
	if (len >= csize) {
		pf = vfbc_channel_create_mem(mem, len, nb_creator);
		FUZZ_CHECK(pf != NULL, "create_mem(%u) in %zu bytes", nb_creator, len);
	}
	if ((how & 0x80) != 0)
		fuzz_bytes(&in, mem, RTE_MIN(len, HDR_SIZE));
	else
		patch_header(mem, len, &in);

	want = expect_attach(mem, len);
	memcpy(before, mem, RTE_MIN(len, HDR_SIZE));
	ch = vfbc_channel_attach_mem(mem, len);
	FUZZ_CHECK(memcmp(before, mem, RTE_MIN(len, HDR_SIZE)) == 0, "attach wrote the header");
	if (ch == NULL) {
		FUZZ_CHECK(rte_errno == EPROTO || rte_errno == EAGAIN || rte_errno == EINVAL ||
			rte_errno == ENOTSUP, "attach failed with errno %d", rte_errno);
		FUZZ_CHECK(rte_errno == want, "attach failed with errno %d, expected %d",
			rte_errno, want);
	} else {
		FUZZ_CHECK(want == 0, "attach succeeded, expected errno %d", want);
		check_handle(ch, mem);
		use_handle(ch, pf != NULL ? nb_creator : 0,
			   pf != NULL && ch->incarnation != pf->incarnation, &in);
		vfbc_channel_free(ch);
	}
	vfbc_channel_free(pf);
	return 0;
}
