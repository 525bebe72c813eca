/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Isolated channels: every VF's area in a memory file of its own, which the
 * PF maps whole and hands to that VF's consumer alone. The consumer maps
 * its region and nothing else of the PF: not the hugepages, not another
 * VF's area.
 *
 * The files are sealed at their size: a consumer holding one cannot shrink
 * it under the PF's mapping (which would make the PF's next access to it
 * fault), nor grow it.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memzone.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"
#include "vfbc_channel_log.h"

#define CH_REGION_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

/* The VF's area, from the region start: the region header's cache line first. */
#define CH_REGION_AREA_OFF ((uint32_t)sizeof(struct vfbc_channel_shm_region_hdr))

static size_t
ch_region_size(const struct vfbc_channel_geometry *g)
{
	return RTE_ALIGN_CEIL((size_t)CH_REGION_AREA_OFF + g->vf_size,
			(size_t)sysconf(_SC_PAGESIZE));
}

size_t
vfbc_channel_region_size(void)
{
	struct vfbc_channel_geometry g;

	/* The VF area does not depend on the number of VFs. */
	(void)__vfbc_channel_geometry(1, &g);
	return ch_region_size(&g);
}

int
vfbc_channel_is_isolated(const struct vfbc_channel *ch)
{
	return ch != NULL && ch->isolated;
}

void
__vfbc_channel_regions_free(struct vfbc_channel *ch)
{
	uint16_t vf;

	if (ch->region_fds == NULL)
		return;
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		if (ch->areas[vf] != NULL)
			munmap(ch->areas[vf] - CH_REGION_AREA_OFF, ch->region_len);
		ch->areas[vf] = NULL;
		if (ch->region_fds[vf] >= 0)
			close(ch->region_fds[vf]);
	}
	free(ch->region_fds);
	ch->region_fds = NULL;
}

static int *
ch_region_fds_alloc(uint16_t nb_vfs)
{
	int *fds;
	uint16_t vf;

	fds = malloc(sizeof(*fds) * nb_vfs);
	if (fds == NULL)
		return NULL;
	for (vf = 0; vf < nb_vfs; vf++)
		fds[vf] = -1;
	return fds;
}

/*
 * A new memory file for VF vf's region, sealed at the region size, mapped
 * at *p (at fixed, when not NULL, in place of what is mapped there). The
 * descriptor, or -errno.
 */
static int
ch_region_file(const struct vfbc_channel *ch, uint16_t vf, uint8_t *fixed, uint8_t **p)
{
	char name[64];
	void *m;
	int fd, err;

	snprintf(name, sizeof(name), "%s_vf%u", ch->name, vf);
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)ch->region_len) < 0 ||
			fcntl(fd, F_ADD_SEALS, CH_REGION_SEALS) < 0)
		goto fail;
	m = mmap(fixed, ch->region_len, PROT_READ | PROT_WRITE,
			MAP_SHARED | (fixed != NULL ? MAP_FIXED : 0), fd, 0);
	if (m == MAP_FAILED)
		goto fail;
	*p = m;
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

static int
ch_region_make(struct vfbc_channel *ch, uint16_t vf)
{
	uint8_t *p;
	int fd;

	fd = ch_region_file(ch, vf, NULL, &p);
	if (fd < 0)
		return fd;
	ch->region_fds[vf] = fd;
	ch->areas[vf] = p + CH_REGION_AREA_OFF;
	return 0;
}

/* Header of VF vf's region at p, written before the region is handed out. */
static void
ch_region_hdr_init(const struct vfbc_channel *ch, uint16_t vf, uint8_t *p)
{
	struct vfbc_channel_shm_region_hdr *rh = (void *)p;

	rh->version_major = VFBC_CHANNEL_VERSION_MAJOR;
	rh->version_minor = VFBC_CHANNEL_VERSION_MINOR;
	rh->size = ch->region_len;
	rh->incarnation = ch->incarnation;
	rh->area_off = CH_REGION_AREA_OFF;
	rh->vf_size = ch->vf_size;
	rh->notify_ring_off = ch->notify_ring_off;
	rh->req_ring_off = ch->req_ring_off;
	rh->resp_ring_off = ch->resp_ring_off;
	rh->creator_pid = ch->creator_pid;
	rh->vf_id = vf;
	rh->nb_vfs = ch->nb_vfs;
	rh->nb_blocks = VFBC_CHANNEL_NB_BLOCKS;
	rh->block_size = VFBC_CHANNEL_BLOCK_SIZE;
	/*
	 * R10: pairs with A10 in vfbc_channel_attach_region(). The region is
	 * handed out only later, over a socket (itself a barrier); the order
	 * is for a consumer that maps it early, e.g. a test.
	 */
	__atomic_store_n(&rh->magic, VFBC_CHANNEL_REGION_MAGIC, __ATOMIC_RELEASE);
}

struct vfbc_channel *
vfbc_channel_create_isolated(const char *name, uint16_t nb_vfs)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	struct vfbc_channel_geometry g;
	const struct rte_memzone *mz;
	struct vfbc_channel *ch;
	uint16_t vf;
	int ret;

	if (__vfbc_channel_create_check(name, nb_vfs, mz_name, &g) < 0)
		return NULL;
	/* The header only: it takes the name and tells attachers to go away. */
	mz = rte_memzone_reserve_aligned(mz_name, sizeof(struct vfbc_channel_shm_hdr),
			SOCKET_ID_ANY, 0, RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		VFBC_CHANNEL_LOG(ERR, "%s: cannot reserve its header: %s", mz_name,
				rte_strerror(rte_errno));
		return NULL;
	}
	/* No base: every VF's area comes from its region below. */
	ch = __vfbc_channel_handle(NULL, NULL, mz_name, nb_vfs, &g, 1);
	if (ch == NULL) {
		rte_memzone_free(mz);
		return NULL;
	}
	ch->base = mz->addr;
	ch->mz = mz;
	ch->isolated = 1;
	ch->region_len = ch_region_size(&g);
	ch->region_fds = ch_region_fds_alloc(nb_vfs);
	if (ch->region_fds == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	for (vf = 0; vf < nb_vfs; vf++) {
		ret = ch_region_make(ch, vf);
		if (ret < 0) {
			VFBC_CHANNEL_LOG(ERR, "%s: VF %u: cannot make its region: %s", mz_name,
					vf, strerror(-ret));
			goto fail;
		}
	}
	__vfbc_channel_init(ch, &g, VFBC_CHANNEL_F_ISOLATED);
	for (vf = 0; vf < nb_vfs; vf++)
		ch_region_hdr_init(ch, vf, ch->areas[vf] - CH_REGION_AREA_OFF);
	/*
	 * Not listed for the rte_mp claim service: no secondary attaches an
	 * isolated channel, and a claim asked that way has no proof to check.
	 */
	VFBC_CHANNEL_LOG(INFO, "%s: %u VFs, isolated: a %zu-byte region each", mz_name, nb_vfs,
			ch->region_len);
	return ch;
fail:
	__vfbc_channel_handle_free(ch);
	rte_memzone_free(mz);
	rte_errno = -ret;
	return NULL;
}

int
vfbc_channel_region_fd(const struct vfbc_channel *ch, uint16_t vf)
{
	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	if (!ch->isolated)
		return -ENOTSUP;
	return ch->region_fds[vf];
}

int
__vfbc_channel_region_prepare(const struct vfbc_channel *ch, uint16_t vf, uint8_t **map)
{
	return ch_region_file(ch, vf, NULL, map);
}

void
__vfbc_channel_region_discard(const struct vfbc_channel *ch, int fd, uint8_t *map)
{
	munmap(map, ch->region_len);
	close(fd);
}

/*
 * A region cannot be taken back from a process that maps it: a former
 * holder keeps what it mapped. So when a holder's claim ends (revoke) or
 * is taken over (grant), the VF gets a new file, and the old one is left to
 * the former holders alone, emptied: the PF neither reads nor writes it
 * again, and what a former holder writes there is its own memory. The new
 * one is built from what the PF owns (its block copies, its ring indexes,
 * the VF's address), not copied from the old one, which a former holder
 * may have written; only the counters carry on (reporting only). The PF
 * keeps the region's address: the new file is mapped over the old mapping
 * (MAP_FIXED), so an invalidate that read the address before lands in one
 * file or the other, whole, and the "all blocks" of the next grant covers
 * what landed in the old one. Block writers wait on the block lock until
 * the swap is done; everything else that writes the region holds the slot
 * lock, as the caller does. fd and tmp (from __vfbc_channel_region_prepare())
 * are consumed.
 */
int
__vfbc_channel_region_renew(struct vfbc_channel *ch, uint16_t vf, int fd, uint8_t *tmp)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	uint8_t *cur = ch->areas[vf] - CH_REGION_AREA_OFF;
	struct vfbc_channel_shm_vf *o = (void *)ch->areas[vf];
	struct vfbc_channel_shm_vf *n;
	struct vfbc_channel_shm_vf_addr a;
	uint8_t *p;
	int err;

	n = (void *)(tmp + CH_REGION_AREA_OFF);
	__vfbc_channel_init_area(n);
	/* Counters carry on (they are the VF's to read, and to falsify, anyway). */
	memcpy(&n->pf.stats, &o->pf.stats, sizeof(n->pf.stats));
	memcpy(&n->consumer.stats, &o->consumer.stats, sizeof(n->consumer.stats));
	n->pf.ring_corrupt = o->pf.ring_corrupt;
	n->pf.requests_unclaimed = o->pf.requests_unclaimed;
	n->pf.claims_refused = o->pf.claims_refused;
	n->pf.requests_dropped = o->pf.requests_dropped;
	n->pf.responses_dropped = o->pf.responses_dropped;
	/* The claim word's epoch carries on: the grant computes the next one from it. */
	n->consumer.claim = __vfbc_channel_load64_acquire(&o->consumer.claim) &
			~CH_CLAIM_PID_MASK;
	memset(&a, 0, sizeof(a));
	if (pv->addr_valid) {
		a.domain = pv->addr.domain;
		a.bus = pv->addr.bus;
		a.devid = pv->addr.devid;
		a.function = pv->addr.function;
		a.valid = 1;
	}
	n->pf.vf_addr = a;
	/* The life lines, from the PF's copy: the new holder's events go on from there. */
	__vfbc_channel_life_publish(ch, vf, n);
	__vfbc_ring_reset((void *)((uint8_t *)n + ch->notify_ring_off), pv->notify_prod);
	__vfbc_ring_reset((void *)((uint8_t *)n + ch->req_ring_off), pv->req_cons);
	__vfbc_ring_reset((void *)((uint8_t *)n + ch->resp_ring_off), pv->resp_prod);
	ch_region_hdr_init(ch, vf, tmp);

	rte_spinlock_lock(&pv->block_lock);
	__vfbc_channel_blocks_publish(ch, vf, n);
	p = mmap(cur, ch->region_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		err = errno;
		/*
		 * Linux fails such a call before it unmaps (map count, memory);
		 * in case it did not, the old file goes back there.
		 */
		if (mmap(cur, ch->region_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
				ch->region_fds[vf], 0) == MAP_FAILED)
			VFBC_CHANNEL_LOG(CRIT, "%s: VF %u: its region is unmapped: %s", ch->name,
					vf, strerror(errno));
		rte_spinlock_unlock(&pv->block_lock);
		__vfbc_channel_region_discard(ch, fd, tmp);
		return -err;
	}
	rte_spinlock_unlock(&pv->block_lock);
	munmap(tmp, ch->region_len);
	/*
	 * The old file's pages go back to the system: a former holder reads
	 * zeros, and pays for what it writes there itself.
	 */
	(void)fallocate(ch->region_fds[vf], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			(off_t)ch->region_len);
	close(ch->region_fds[vf]);
	ch->region_fds[vf] = fd;
	pv->region_fresh = 1;
	/* What invalidations left in the old file: all blocks, at the next grant. */
	pv->resync_due = 1;
	return 0;
}

/* The region header says exactly what this library would have written. */
static int
ch_region_check(const struct vfbc_channel_shm_region_hdr *rh, uint16_t vf, size_t len,
		const struct vfbc_channel_geometry *g)
{
	/* A variable, not the macro: with minor 0 the test would be constant. */
	const uint16_t minor = VFBC_CHANNEL_VERSION_MINOR;

	if (rh->version_major != VFBC_CHANNEL_VERSION_MAJOR || rh->version_minor < minor) {
		VFBC_CHANNEL_LOG(ERR, "region of VF %u: layout version %u.%u, this library "
				"speaks %u.%u", vf, rh->version_major, rh->version_minor,
				VFBC_CHANNEL_VERSION_MAJOR, VFBC_CHANNEL_VERSION_MINOR);
		return -EPROTO;
	}
	if (rh->vf_id != vf) {
		VFBC_CHANNEL_LOG(ERR, "region of VF %u: it says it is VF %u's", vf, rh->vf_id);
		return -EPROTO;
	}
	if (rh->size != len || rh->area_off != CH_REGION_AREA_OFF ||
			rh->vf_size != g->vf_size ||
			rh->notify_ring_off != g->notify_ring_off ||
			rh->req_ring_off != g->req_ring_off ||
			rh->resp_ring_off != g->resp_ring_off ||
			rh->nb_vfs == 0 || rh->nb_vfs > VFBC_CHANNEL_MAX_VFS || vf >= rh->nb_vfs ||
			rh->nb_blocks != VFBC_CHANNEL_NB_BLOCKS ||
			rh->block_size != VFBC_CHANNEL_BLOCK_SIZE) {
		VFBC_CHANNEL_LOG(ERR, "region of VF %u: geometry differs from this library's",
				vf);
		return -EPROTO;
	}
	return 0;
}

/* The file is sealed as the PF seals it: nobody can shrink it under a mapping. */
static int
ch_region_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) ==
		(F_SEAL_SHRINK | F_SEAL_GROW);
}

/*
 * Map the region file fd of VF vf (at fixed, in place of what is mapped
 * there, when not NULL), checked: a sealed memory file of the region size
 * whose header says what this library would have written for VF vf; *h is
 * the header as checked. The mapping, or NULL with -errno in *err (fixed
 * mappings are only made once the file passed its checks).
 */
static uint8_t *
ch_region_map_checked(int fd, uint16_t vf, uint8_t *fixed,
		struct vfbc_channel_shm_region_hdr *h, int *err)
{
	const struct vfbc_channel_shm_region_hdr *rh;
	size_t len = vfbc_channel_region_size();
	struct vfbc_channel_geometry g;
	struct stat st;
	uint8_t *p, *m;
	int ret;

	if (fstat(fd, &st) < 0) {
		*err = -errno;
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != len || !ch_region_sealed(fd)) {
		VFBC_CHANNEL_LOG(ERR, "region of VF %u: not a sealed %zu-byte memory file", vf,
				len);
		*err = -EPROTO;
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	rh = (const void *)p;
	(void)__vfbc_channel_geometry(1, &g);
	/* A10: pairs with R10 in ch_region_hdr_init(). */
	if (__atomic_load_n(&rh->magic, __ATOMIC_ACQUIRE) != VFBC_CHANNEL_REGION_MAGIC) {
		VFBC_CHANNEL_LOG(ERR, "region of VF %u: bad magic", vf);
		ret = -EPROTO;
		goto unmap;
	}
	/*
	 * Checked and used from one copy: whoever else maps the file can
	 * change the header between two reads of it.
	 */
	memcpy(h, rh, sizeof(*h));
	ret = ch_region_check(h, vf, len, &g);
	if (ret < 0)
		goto unmap;
	if (fixed == NULL)
		return p;
	munmap(p, len);
	m = mmap(fixed, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (m == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	return m;
unmap:
	munmap(p, len);
	*err = ret;
	return NULL;
}

struct vfbc_channel *
vfbc_channel_attach_region(int fd, uint16_t vf)
{
	struct vfbc_channel_shm_region_hdr h;
	struct vfbc_channel_geometry g;
	struct vfbc_channel *ch;
	char name[RTE_MEMZONE_NAMESIZE];
	size_t len = vfbc_channel_region_size();
	uint8_t *p;
	int own;
	int ret;

	if (fd < 0 || vf >= VFBC_CHANNEL_MAX_VFS) {
		rte_errno = EINVAL;
		return NULL;
	}
	p = ch_region_map_checked(fd, vf, NULL, &h, &ret);
	if (p == NULL) {
		rte_errno = -ret;
		return NULL;
	}
	(void)__vfbc_channel_geometry(1, &g);
	snprintf(name, sizeof(name), "%sregion%u", VFBC_CHANNEL_MZ_PREFIX, vf);
	/* nb_vfs from the region: checked above, only bounds other VFs' calls. */
	ch = __vfbc_channel_handle(NULL, NULL, name, h.nb_vfs, &g, 0);
	if (ch == NULL) {
		ret = -ENOMEM;
		goto unmap;
	}
	ch->region_fds = ch_region_fds_alloc(ch->nb_vfs);
	own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (ch->region_fds == NULL || own < 0) {
		ret = ch->region_fds == NULL ? -ENOMEM : -errno;
		if (own >= 0)
			close(own);
		__vfbc_channel_handle_free(ch);
		goto unmap;
	}
	ch->isolated = 1;
	ch->region_len = len;
	ch->region_fds[vf] = own;
	ch->areas[vf] = p + CH_REGION_AREA_OFF;
	ch->incarnation = h.incarnation;
	ch->creator_pid = h.creator_pid;
	return ch;
unmap:
	munmap(p, len);
	rte_errno = -ret;
	return NULL;
}

/* The one VF a region's handle reaches, or -1. */
static int
ch_region_vf(const struct vfbc_channel *ch)
{
	uint16_t vf;

	for (vf = 0; vf < ch->nb_vfs; vf++)
		if (ch->areas[vf] != NULL)
			return vf;
	return -1;
}

int
vfbc_channel_region_remap(struct vfbc_channel *ch, int fd)
{
	struct vfbc_channel_shm_region_hdr h;
	struct vfbc_channel_vf_vf *cv;
	int vf, own, ret;

	if (ch == NULL || fd < 0 || !ch->isolated || ch->creator)
		return -EINVAL;
	vf = ch_region_vf(ch);
	if (vf < 0)
		return -EINVAL;
	own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0)
		return -errno;
	/* Checked before it replaces anything: a bad file leaves the handle as it was. */
	if (ch_region_map_checked(own, (uint16_t)vf, ch->areas[vf] - CH_REGION_AREA_OFF, &h,
			&ret) == NULL) {
		close(own);
		return ret;
	}
	if (h.nb_vfs != ch->nb_vfs)
		VFBC_CHANNEL_LOG(NOTICE, "region of VF %d: the new region says %u VFs, the "
				"handle keeps %u", vf, h.nb_vfs, ch->nb_vfs);
	close(ch->region_fds[vf]);
	ch->region_fds[vf] = own;
	ch->incarnation = h.incarnation;
	ch->creator_pid = h.creator_pid;
	/* Whatever this handle held, it held in the old file: adopt the new grant. */
	cv = &ch->vf[vf];
	rte_spinlock_lock(&cv->lock);
	__atomic_store_n(&cv->held, 0, __ATOMIC_RELAXED);
	rte_spinlock_unlock(&cv->lock);
	return 0;
}
