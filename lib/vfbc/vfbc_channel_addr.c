/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF address table: the PF publishes which VF owns each slot, so that
 * a consumer finds its slot from its own PCI address.
 */

#include <errno.h>
#include <string.h>

#include <rte_spinlock.h>

#include "vfbc_channel.h"
#include "vfbc_channel_internal.h"

int
vfbc_channel_vf_addr_set(struct vfbc_channel *ch, uint16_t vf, const struct rte_pci_addr *addr)
{
	struct vfbc_channel_shm_vf_addr a;
	struct vfbc_channel_pf_vf *pv;

	if (ch == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf == NULL)
		return -EPERM;
	memset(&a, 0, sizeof(a));
	if (addr != NULL) {
		if (addr->devid > 31 || addr->function > 7)
			return -EINVAL;
		a.domain = addr->domain;
		a.bus = addr->bus;
		a.devid = addr->devid;
		a.function = addr->function;
		a.valid = 1;
	}
	/*
	 * The PF's own copy decides claims: the shared one is for consumers
	 * (and the VF can write it). A claim is the right to one function:
	 * when the slot's VF goes away or becomes another function, its
	 * holder loses it, and a claim whose proof was checked before is
	 * refused (the generation), in the same critical section.
	 */
	pv = &ch->pf[vf];
	rte_spinlock_lock(&pv->slot_lock);
	if (pv->addr_valid && (addr == NULL || rte_pci_addr_cmp(&pv->addr, addr) != 0)) {
		pv->addr_gen++;
		/*
		 * Its consumer learns why before the claim goes (an isolated
		 * holder's region is renewed by the revoke, with the event).
		 */
		__vfbc_channel_life_post_locked(ch, vf, VFBC_CHANNEL_LIFE_DISABLED,
				VFBC_CHANNEL_LIFE_S_ENABLED | VFBC_CHANNEL_LIFE_S_RESETTING |
				VFBC_CHANNEL_LIFE_S_D_MASK, 0);
		__vfbc_channel_claim_revoke_locked(ch, vf);
		pv->addr_valid = 0;
	}
	/* A new function (power D0, no reset in progress). */
	if (!pv->addr_valid && addr != NULL)
		__vfbc_channel_life_post_locked(ch, vf, VFBC_CHANNEL_LIFE_ENABLED,
				VFBC_CHANNEL_LIFE_S_RESETTING | VFBC_CHANNEL_LIFE_S_D_MASK,
				VFBC_CHANNEL_LIFE_S_ENABLED);
	pv->addr_valid = addr != NULL;
	if (addr != NULL)
		pv->addr = *addr;
	rte_spinlock_unlock(&pv->slot_lock);
	/*
	 * R7: pairs with A7 in ch_vf_addr_load(). One 8-byte store: a reader
	 * sees the old or the new address, never a mix.
	 */
	__atomic_store(&__vfbc_channel_vf(ch, vf)->pf.vf_addr, &a, __ATOMIC_RELEASE);
	return 0;
}

static void
ch_vf_addr_load(const struct vfbc_channel *ch, uint16_t vf, struct vfbc_channel_shm_vf_addr *a)
{
	/* A7: pairs with R7 in vfbc_channel_vf_addr_set(). */
	__atomic_load(&__vfbc_channel_vf(ch, vf)->pf.vf_addr, a, __ATOMIC_ACQUIRE);
}

/* The creator answers from its own copy: the VF can write the shared one. */
static int
ch_pf_addr_get(const struct vfbc_channel *ch, uint16_t vf, struct rte_pci_addr *addr)
{
	struct vfbc_channel_pf_vf *pv = &ch->pf[vf];
	int valid;

	rte_spinlock_lock(&pv->slot_lock);
	valid = pv->addr_valid;
	if (valid)
		*addr = pv->addr;
	rte_spinlock_unlock(&pv->slot_lock);
	return valid ? 0 : -ENOENT;
}

static int
ch_vf_addr_get_in(const struct vfbc_channel *ch, uint16_t vf, struct rte_pci_addr *addr)
{
	struct vfbc_channel_shm_vf_addr a;

	if (ch == NULL || addr == NULL || __vfbc_channel_vf_bad(ch, vf))
		return -EINVAL;
	if (ch->pf != NULL)
		return ch_pf_addr_get(ch, vf, addr);
	ch_vf_addr_load(ch, vf, &a);
	if (a.valid != 1)
		return -ENOENT;
	memset(addr, 0, sizeof(*addr));
	addr->domain = a.domain;
	addr->bus = a.bus;
	/* Masked: a corrupt peer must not hand out an impossible address. */
	addr->devid = a.devid & 0x1f;
	addr->function = a.function & 0x7;
	return 0;
}

int
vfbc_channel_vf_addr_get(const struct vfbc_channel *ch, uint16_t vf, struct rte_pci_addr *addr)
{
	int ret;

	if (ch == NULL)
		return -EINVAL;
	ret = __vfbc_channel_enter(ch);
	if (ret < 0)
		return ret;
	ret = ch_vf_addr_get_in(ch, vf, addr);
	__vfbc_channel_leave(ch);
	return ret;
}

int
vfbc_channel_vf_find(const struct vfbc_channel *ch, const struct rte_pci_addr *addr)
{
	struct rte_pci_addr a;
	int found = -ENOENT;
	uint16_t vf;
	int ret;

	if (ch == NULL || addr == NULL)
		return -EINVAL;
	/*
	 * Every slot is looked at: a VF can write any address into the word
	 * of its own area, and then two slots name one function. Which one
	 * is the impostor cannot be told from shared memory: say so.
	 */
	for (vf = 0; vf < ch->nb_vfs; vf++) {
		ret = vfbc_channel_vf_addr_get(ch, vf, &a);
		/* Its memory gone: no answer. */
		if (ret == -ENODEV)
			return ret;
		if (ret != 0 || rte_pci_addr_cmp(&a, addr) != 0)
			continue;
		if (found >= 0)
			return -EEXIST;
		found = vf;
	}
	return found;
}
