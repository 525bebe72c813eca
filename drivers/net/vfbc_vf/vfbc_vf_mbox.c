/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF side of the mailbox: finding the VF's channel and index, the
 * consumer claim, delivering invalidations to callbacks, and requests to
 * the PF with timeouts. Everything here is this process's business: the
 * state lives in the port's process_private.
 *
 * Primary death: vfbc_vf_primary.c watches the channel's creator and marks
 * the port dead; the calls here read that flag, and once it is set answer
 * -ENOTCONN for good.
 *
 * Claims: the PF grants them to a process that holds its VF's device. The
 * PMD opens the VF's config-space file at probe and keeps it open; that
 * descriptor is the proof vfbc_channel_claim() presents.
 *
 * Isolated ports (net_vfbc_isolated, proc->isolated): no memzone, sysfs,
 * PCI device or primary. A claim is a connection to the PF's control
 * socket that brings the VF's region and the claim word the PF granted
 * (vfbc_vf_socket.c); a release drops the word and closes the connection.
 * The connection's hang-up sets dead as the primary's death does; unlike
 * the primary's death it is not final: the next claim connects again.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_memzone.h>
#include <rte_pause.h>
#include <rte_service_component.h>
#include <rte_string_fns.h>

#include "vfbc_vf.h"
#include "vfbc_vf_log.h"


/* vfbc_pmd_vf.h repeats the channel's limits for applications: one value each. */
_Static_assert(VFBC_VF_BLOCK_SIZE == VFBC_CHANNEL_BLOCK_SIZE, "VF and channel block sizes");
_Static_assert(VFBC_VF_NB_BLOCKS == VFBC_CHANNEL_NB_BLOCKS, "VF and channel block counts");
_Static_assert(VFBC_VF_ALL_BLOCKS == VFBC_CHANNEL_ALL_BLOCKS, "VF and channel all-blocks");

/*
 * Find the VF's PF and index from sysfs, as Linux exposes SR-IOV: the VF's
 * "physfn" link names the PF, the PF's "virtfnN" links name VF N.
 */
static int
vf_sysfs_link_addr(const char *dir, const char *name, struct rte_pci_addr *addr)
{
	char path[PATH_MAX];
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/%s/%s", rte_pci_get_sysfs_path(), dir, name) >=
			(int)sizeof(path))
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base != NULL ? base + 1 : target;
	if (rte_pci_addr_parse(base, addr) != 0)
		return -EINVAL;
	return 0;
}

static int
vf_sysfs_find(struct vfbc_vf_proc *proc, const char *vf_name)
{
	struct rte_pci_addr addr;
	char link[32];
	unsigned int i;
	int ret;

	ret = vf_sysfs_link_addr(vf_name, "physfn", &proc->pf_addr);
	if (ret < 0)
		return ret;
	rte_pci_device_name(&proc->pf_addr, proc->pf_name, sizeof(proc->pf_name));
	/* virtfnN links exist for N < NumVFs: the first gap ends the list. */
	for (i = 0; i < VFBC_CHANNEL_MAX_VFS; i++) {
		snprintf(link, sizeof(link), "virtfn%u", i);
		ret = vf_sysfs_link_addr(proc->pf_name, link, &addr);
		if (ret == -ENOENT)
			break;
		if (ret == 0 && rte_pci_addr_cmp(&addr, &proc->vf_addr) == 0) {
			proc->sysfs_vf_id = (uint16_t)i;
			break;
		}
	}
	return 0;
}

/*
 * (Re)open the claim's proof: the VF's config-space file, which shows the
 * PF that this process holds the VF's device. Again at each claim: after
 * the VFs were disabled and enabled, the file is the new function's.
 */
static int
vf_proof_open(struct vfbc_vf_proc *proc, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s/config", rte_pci_get_sysfs_path(), name) >=
			(int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (proc->proof_fd >= 0)
		close(proc->proof_fd);
	proc->proof_fd = fd;
	return 0;
}

int
vfbc_vf_mbox_init(struct rte_eth_dev *dev, struct vfbc_vf_proc *proc)
{
	struct rte_pci_device *pci_dev;
	int ret;

	/* The probe set the VF index and the socket; there is nothing to find. */
	if (proc->isolated)
		return 0;
	pci_dev = RTE_ETH_DEV_TO_PCI(dev);
	proc->vf_id = VFBC_VF_ID_NONE;
	proc->sysfs_vf_id = VFBC_VF_ID_NONE;
	proc->primary_pidfd = -1;
	proc->secondary = rte_eal_process_type() != RTE_PROC_PRIMARY;
	proc->proof_fd = -1;
	ret = vf_proof_open(proc, pci_dev->name);
	if (ret < 0)
		VF_LOG(WARNING, "%s: cannot open its config space (%s): the PF will refuse "
		       "to grant its claim", pci_dev->name, strerror(-ret));
	ret = vf_sysfs_find(proc, pci_dev->name);
	if (ret < 0) {
		/* Not fatal: the channels' address tables may still name the VF. */
		VF_LOG(DEBUG, "%s: no physfn link in sysfs (%s)", pci_dev->name, strerror(-ret));
		proc->pf_name[0] = '\0';
	}
	return 0;
}

int
vfbc_vf_mbox_channel_alive(const struct vfbc_vf_proc *proc)
{
	if (proc->isolated || proc->ch == NULL)
		return proc->ch != NULL;
	return vfbc_channel_current(proc->ch) == 1;
}

/* The channel memzone still exists (the PF port closes before its VFs). */
static int
vf_channel_alive(const struct vfbc_vf_proc *proc)
{
	/* An isolated port's region stays mapped as long as its handle. */
	if (proc->isolated)
		return proc->ch != NULL;
	return proc->ch != NULL && rte_memzone_lookup(proc->mz_name) != NULL;
}

/* 1 once the primary is known to be gone (vfbc_vf_primary.c). */
static inline int
vf_primary_gone(const struct vfbc_vf_proc *proc)
{
	return __atomic_load_n(&proc->dead, __ATOMIC_RELAXED) != 0;
}

/*
 * A channel call's error that says the claim is gone: taken away (-EPERM),
 * or gone with the channel's memory when the PF closed its port (-ENODEV,
 * the library's guard against reading pages EAL unmapped).
 */
static inline int
vf_claim_gone(int ret)
{
	return ret == -EPERM || ret == -ENODEV;
}

/*
 * The error of a call without the claim. On an isolated port whose PF hung
 * up, -ENOTCONN: a PF that closes its port or disables the VF takes the
 * claim back just before it closes the connection, and what the caller
 * must learn is that the connection is gone (a claim connects again).
 */
static int
vf_unclaimed_err(const struct vfbc_vf_proc *proc)
{
	struct vfbc_channel_life now;

	if (proc->isolated && vf_primary_gone(proc))
		return -ENOTCONN;
	/*
	 * The VF is disabled: -ENXIO until the port is reset, told the same
	 * before the watch raised the event (the PF posts it before it takes
	 * the claim back). A handle is freed only at close: ch stays valid.
	 */
	if (__atomic_load_n(&proc->gone, __ATOMIC_RELAXED) == VFBC_VF_EVENT_DISABLED + 1)
		return -ENXIO;
	if (!proc->isolated && proc->ch != NULL && vf_channel_alive(proc) &&
	    vfbc_channel_life_get(proc->ch, proc->vf_id, &now) == 0 &&
	    (now.state & VFBC_CHANNEL_LIFE_S_ENABLED) == 0)
		return -ENXIO;
	return -EPERM;
}

/*
 * Attach ch to this process as the VF's channel: the VF's index is the slot
 * publishing its address (the PF computes it from the SR-IOV capability),
 * else (a PF of layout minor 0, or a VF not published yet) the sysfs one.
 */
static int
vf_attach_channel(struct vfbc_vf_proc *proc, struct vfbc_channel *ch, const char *name)
{
	int idx;

	idx = vfbc_channel_vf_find(ch, &proc->vf_addr);
	if (idx == -EEXIST)
		VF_LOG(WARNING, "port %u: more than one slot of PF %s's channel names %s "
		       "(one VF wrote another's address): using the sysfs index", proc->port_id,
		       name, rte_eth_devices[proc->port_id].device->name);
	if (idx < 0) {
		if (proc->sysfs_vf_id == VFBC_VF_ID_NONE ||
				strcmp(name, proc->pf_name) != 0)
			return -ENOENT;
		idx = proc->sysfs_vf_id;
	} else if (proc->sysfs_vf_id != VFBC_VF_ID_NONE && idx != proc->sysfs_vf_id) {
		VF_LOG(WARNING, "port %u: the channel of PF %s gives VF index %d, sysfs %u: "
		       "using the channel's", proc->port_id, name, idx, proc->sysfs_vf_id);
	}
	if (idx >= vfbc_channel_nb_vfs(ch)) {
		VF_LOG(ERR, "port %u: VF %d is beyond the %u VFs of PF %s's channel",
		       proc->port_id, idx, vfbc_channel_nb_vfs(ch), name);
		return -ENOENT;
	}
	/* Atomic: an idle poll reads them without a lock (vfbc_vf_mbox_poll_idle()). */
	__atomic_store_n(&proc->ch, ch, __ATOMIC_RELAXED);
	__atomic_store_n(&proc->vf_id, (uint16_t)idx, __ATOMIC_RELAXED);
	if (strcmp(name, proc->pf_name) != 0) {
		strlcpy(proc->pf_name, name, sizeof(proc->pf_name));
		if (rte_pci_addr_parse(name, &proc->pf_addr) != 0)
			memset(&proc->pf_addr, 0, sizeof(proc->pf_addr));
	}
	snprintf(proc->mz_name, sizeof(proc->mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, name);
	return 0;
}

#define VF_MAX_CHANNELS 32

struct vf_mz_names {
	unsigned int n;
	char name[VF_MAX_CHANNELS][RTE_MEMZONE_NAMESIZE];
};

static void
vf_mz_collect(const struct rte_memzone *mz, void *arg)
{
	struct vf_mz_names *names = arg;
	size_t plen = strlen(VFBC_CHANNEL_MZ_PREFIX);

	if (names->n < VF_MAX_CHANNELS && strncmp(mz->name, VFBC_CHANNEL_MZ_PREFIX, plen) == 0)
		strlcpy(names->name[names->n++], mz->name + plen, sizeof(names->name[0]));
}

/* Without sysfs: the channel whose address table lists this VF. */
static int
vf_scan_channels(struct vfbc_vf_proc *proc)
{
	struct vf_mz_names *names;
	struct vfbc_channel *ch;
	unsigned int i;
	int ret = -ENOENT;

	names = calloc(1, sizeof(*names));
	if (names == NULL)
		return -ENOMEM;
	/* Collect first: attaching looks memzones up, under the walk's lock. */
	rte_memzone_walk(vf_mz_collect, names);
	for (i = 0; i < names->n && ret < 0; i++) {
		ch = vfbc_channel_attach(names->name[i]);
		if (ch == NULL)
			continue;
		ret = vf_attach_channel(proc, ch, names->name[i]);
		if (ret < 0)
			vfbc_channel_free(ch);
	}
	free(names);
	return ret;
}

/* Caller holds ctrl_lock. */
static int
vf_attach(struct vfbc_vf_proc *proc)
{
	struct vfbc_channel *ch;
	int ret;

	if (proc->ch != NULL)
		return 0;
	if (proc->pf_name[0] == '\0') {
		ret = vf_scan_channels(proc);
		if (ret < 0)
			VF_LOG(ERR, "port %u: %s: no PF in sysfs and no channel lists this VF",
			       proc->port_id, rte_eth_devices[proc->port_id].device->name);
		return ret;
	}
	ch = vfbc_channel_attach(proc->pf_name);
	if (ch == NULL) {
		VF_LOG(ERR, "port %u: cannot attach the channel of PF %s: %s", proc->port_id,
		       proc->pf_name, rte_strerror(rte_errno));
		return -rte_errno;
	}
	ret = vf_attach_channel(proc, ch, proc->pf_name);
	if (ret < 0) {
		VF_LOG(ERR, "port %u: PF %s's channel has no slot for this VF", proc->port_id,
		       proc->pf_name);
		vfbc_channel_free(ch);
	}
	return ret;
}

/* Attached: watch the channel's creator from now on. Caller holds ctrl_lock. */
static int
vf_attach_watch(struct vfbc_vf_proc *proc)
{
	int ret;

	/* Only a claim maps an isolated port's region (vfbc_vf_sock_open()). */
	if (proc->isolated) {
		if (proc->ch == NULL)
			return -ENOENT;
		return vf_primary_gone(proc) ? -ENOTCONN : 0;
	}
	ret = vf_attach(proc);
	if (ret < 0)
		return ret;
	vfbc_vf_primary_watch(proc);
	return vf_primary_gone(proc) ? -ENOTCONN : 0;
}

/*
 * Set aside a handle of a channel that is gone (caller holds ctrl_lock and
 * no claim): another thread may be inside a call that read proc->ch before,
 * so it is freed only when the port closes.
 */
static int
vf_retire_channel(struct vfbc_vf_proc *proc)
{
	struct vfbc_vf_retired *r;

	r = malloc(sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	VF_LOG(NOTICE, "port %u: PF %s's channel was created again: attaching the new one",
	       proc->port_id, proc->pf_name);
	r->ch = proc->ch;
	r->next = proc->retired;
	proc->retired = r;
	/* The handle stays (retired) until close: an idle poll may still read it. */
	__atomic_store_n(&proc->ch, NULL, __ATOMIC_RELAXED);
	return 0;
}

/* Why the claim was refused, for the application's operator. */
static void
vf_claim_refused_log(struct vfbc_vf_proc *proc, int err)
{
	pid_t pid = 0;

	switch (err) {
	case -EBUSY:
		vfbc_channel_claim_granted(proc->ch, proc->vf_id, &pid);
		VF_LOG(ERR, "port %u: VF %u of PF %s is claimed by live process %d: "
		       "one consumer per VF", proc->port_id, proc->vf_id, proc->pf_name,
		       (int)pid);
		break;
	case -ENXIO:
		VF_LOG(ERR, "port %u: VF %u of PF %s is disabled: claim it again once the PF "
		       "enables it (RTE_ETH_EVENT_INTR_RESET)", proc->port_id, proc->vf_id,
		       proc->pf_name);
		break;
	case -EACCES:
		VF_LOG(ERR, "port %u: the PF refused the claim of VF %u: this process does not "
		       "hold its device (its config-space file)", proc->port_id, proc->vf_id);
		break;
	default:
		VF_LOG(ERR, "port %u: claim of VF %u of PF %s failed: %s", proc->port_id,
		       proc->vf_id, proc->pf_name, strerror(-err));
		break;
	}
}

/*
 * An isolated port's claim: a new connection to the PF (caller holds
 * ctrl_lock). A connection the PF closed, or left by a claim the PF took
 * back, is closed first; the port is alive again once the PF answers.
 */
static int
vf_iso_claim(struct vfbc_vf_proc *proc)
{
	int ret;

	if (proc->claimed)
		return -EALREADY;
	if (proc->releasing)
		return -EAGAIN;
	vfbc_vf_sock_close(proc);
	__atomic_store_n(&proc->dead, 0, __ATOMIC_RELAXED);
	/* What the last connection said is read (the watch holds ctrl_lock for it). */
	proc->iso_life_new = 0;
	proc->iso_bye = 0;
	ret = vfbc_vf_sock_open(proc);
	if (ret < 0)
		return ret;
	proc->claim_err_logged = 0;
	/* R11, as in vfbc_vf_mbox_claim(): the claim publishes the region's handle. */
	proc->lost_logged = 0;
	proc->claim_gen++;
	__atomic_store_n(&proc->claimed, 1, __ATOMIC_RELEASE);
	vfbc_vf_fp_publish(proc);
	vfbc_vf_life_claimed(proc);
	/* Its wake socket came with the region, when the PF made one. */
	(void)vfbc_vf_sleep_init(proc);
	vfbc_vf_sleep_claimed(proc);
	return 0;
}

int
vfbc_vf_mbox_claim(struct vfbc_vf_proc *proc)
{
	int ret;

	/*
	 * The PF hung up on an isolated port still claimed: drop that claim
	 * (waiting for a poll in progress, as a release does), then connect.
	 */
	if (proc->isolated && vf_primary_gone(proc) &&
			__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) != 0)
		(void)vfbc_vf_mbox_release(proc);
	rte_spinlock_lock(&proc->ctrl_lock);
	if (proc->isolated) {
		ret = vf_iso_claim(proc);
		goto out;
	}
	if (vf_primary_gone(proc)) {
		ret = -ENOTCONN;
		goto out;
	}
	if (proc->claimed) {
		ret = -EALREADY;
		goto out;
	}
	if (proc->releasing) {
		ret = -EAGAIN;
		goto out;
	}
	/* The PF's port was closed and probed again: a new channel. */
	if (proc->ch != NULL && vfbc_channel_current(proc->ch) == 0) {
		ret = vf_retire_channel(proc);
		if (ret < 0)
			goto out;
	}
	ret = vf_attach_watch(proc);
	if (ret < 0)
		goto out;
	/* A failure keeps the proof held so far: the claim says what is wrong. */
	(void)vf_proof_open(proc, rte_eth_devices[proc->port_id].device->name);
	ret = vfbc_channel_claim(proc->ch, proc->vf_id, proc->proof_fd);
	/* Refused because the VF is disabled: the errno every call gives then. */
	if (ret == -EACCES && vf_unclaimed_err(proc) == -ENXIO)
		ret = -ENXIO;
	if (ret < 0 && ret != -EALREADY && ret != proc->claim_err_logged) {
		/*
		 * Once per refusal until a grant: an application retrying
		 * while its VF is disabled must not flood the log.
		 */
		proc->claim_err_logged = ret;
		vf_claim_refused_log(proc, ret);
	}
	if (ret < 0)
		goto out;
	proc->claim_err_logged = 0;
	if (ret == 1)
		VF_LOG(NOTICE, "port %u: VF %u of PF %s taken over from a dead consumer: "
		       "the first delivery is every block", proc->port_id, proc->vf_id,
		       proc->pf_name);
	/*
	 * R11: pairs with A11 in vfbc_vf_mbox_poll() and vf_request(): a
	 * thread that sees the claim sees the channel and slot attached above.
	 */
	proc->lost_logged = 0;
	proc->claim_gen++;
	__atomic_store_n(&proc->claimed, 1, __ATOMIC_RELEASE);
	vfbc_vf_fp_publish(proc);
	vfbc_vf_life_claimed(proc);
	/* The process that holds a claim can sleep on it (a failure is only logged). */
	(void)vfbc_vf_sleep_init(proc);
	vfbc_vf_sleep_claimed(proc);
	ret = 0;
out:
	rte_spinlock_unlock(&proc->ctrl_lock);
	return ret;
}

int
vfbc_vf_mbox_release(struct vfbc_vf_proc *proc)
{
	int ret = 0;

	/* From a callback: its poll holds poll_lock, which release waits for. */
	if (vfbc_vf_mbox_delivering(proc))
		return -EDEADLK;
	rte_spinlock_lock(&proc->ctrl_lock);
	if (!proc->claimed || proc->releasing) {
		/* Nothing to release: why, as every call says it (-ENXIO: disabled). */
		ret = proc->releasing ? -EPERM : vf_unclaimed_err(proc);
		rte_spinlock_unlock(&proc->ctrl_lock);
		return ret;
	}
	/* R11 (release of the claim): new polls stop; poll_lock drains one in flight. */
	__atomic_store_n(&proc->claimed, 0, __ATOMIC_RELEASE);
	vfbc_vf_fp_publish(proc);
	proc->releasing = 1;
	/*
	 * Wait out a poll in progress on another thread (it may still
	 * consume) without ctrl_lock: its callbacks may take it.
	 */
	rte_spinlock_unlock(&proc->ctrl_lock);
	rte_spinlock_lock(&proc->poll_lock);
	if (vf_channel_alive(proc))
		ret = vfbc_channel_release(proc->ch, proc->vf_id);
	rte_spinlock_unlock(&proc->poll_lock);
	/*
	 * A thread asleep on the port (vfbc_vf_poll_wait(), Rx interrupts)
	 * wakes to see it: nothing else would wake it now. After the word:
	 * an arm that drained this kick finds the claim gone.
	 */
	vfbc_vf_sleep_kick(proc);
	rte_spinlock_lock(&proc->ctrl_lock);
	/*
	 * The claim word is dropped first: the PF then sees a consumer that
	 * let go. Released, the port is no longer one whose PF hung up.
	 */
	if (proc->isolated) {
		vfbc_vf_sock_close(proc);
		__atomic_store_n(&proc->dead, 0, __ATOMIC_RELAXED);
	}
	proc->releasing = 0;
	rte_spinlock_unlock(&proc->ctrl_lock);
	return ret;
}

static void
vf_service_unregister(struct vfbc_vf_proc *proc)
{
	uint64_t deadline;

	if (!proc->service_valid)
		return;
	rte_service_component_runstate_set(proc->service_id, 0);
	deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	while (rte_service_may_be_active(proc->service_id) == 1 &&
			rte_get_timer_cycles() < deadline)
		rte_pause();
	rte_service_component_unregister(proc->service_id);
	proc->service_valid = 0;
}

void
vfbc_vf_mbox_uninit(struct vfbc_vf_proc *proc)
{
	struct vfbc_vf_retired *r;

	/* No hint of the socket kicks the watch at the port once it is unlisted. */
	vfbc_vf_sock_close(proc);
	vfbc_vf_life_stop(proc);
	vfbc_vf_sleep_uninit(proc);
	vf_service_unregister(proc);
	if (proc->claimed)
		vfbc_vf_mbox_release(proc);
	vfbc_vf_primary_unwatch(proc);
	vfbc_channel_free(proc->ch);
	proc->ch = NULL;
	while (proc->retired != NULL) {
		r = proc->retired;
		proc->retired = r->next;
		vfbc_channel_free(r->ch);
		free(r);
	}
	if (proc->proof_fd >= 0)
		close(proc->proof_fd);
	proc->proof_fd = -1;
	/* Not left in freed memory for whoever allocates it next. */
	explicit_bzero(proc->secret, sizeof(proc->secret));
	explicit_bzero(proc->sock_path, sizeof(proc->sock_path));
	proc->secret_len = 0;
}

/*
 * The PF granted the claim to another consumer, or took it back: this
 * process holds nothing, and may claim again.
 */
void
vfbc_vf_mbox_claim_lost(struct vfbc_vf_proc *proc)
{
	__atomic_store_n(&proc->claimed, 0, __ATOMIC_RELAXED);
	vfbc_vf_fp_publish(proc);
	if (__atomic_exchange_n(&proc->lost_logged, 1, __ATOMIC_RELAXED) == 0)
		VF_LOG(ERR, "port %u: the claim of VF %u is no longer this process's: calls "
		       "return -EPERM until it claims again", proc->port_id, proc->vf_id);
}

/* Call every callback with the mask; the caller holds poll_lock. */
static void
vf_deliver(struct vfbc_vf_proc *proc, uint64_t mask)
{
	vfbc_vf_invalidate_cb_t fn;
	unsigned int i;
	void *arg;

	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++) {
		/*
		 * Empty slots are skipped without the lock. A14: pairs with
		 * R14 in vfbc_vf_invalidate_callback_register(): a slot seen
		 * registered is re-read, and marked active, under the lock.
		 */
		if (__atomic_load_n(&proc->cbs[i].fn, __ATOMIC_ACQUIRE) == NULL)
			continue;
		rte_spinlock_lock(&proc->cb_lock);
		fn = proc->cbs[i].fn;
		arg = proc->cbs[i].arg;
		if (fn != NULL)
			proc->cbs[i].active = 1;
		rte_spinlock_unlock(&proc->cb_lock);
		if (fn == NULL)
			continue;
		/* Unlocked: the callback may (un)register others, or send requests. */
		fn(proc->port_id, mask, arg);
		rte_spinlock_lock(&proc->cb_lock);
		proc->cbs[i].active = 0;
		rte_spinlock_unlock(&proc->cb_lock);
	}
}

int
vfbc_vf_mbox_delivering(const struct vfbc_vf_proc *proc)
{
	/*
	 * The deliverer's thread id, not a per-thread variable: a plugin's
	 * thread-local storage touched on EAL's interrupt thread (a life
	 * callback that polls or resets) crashes gcc 12's LeakSanitizer.
	 */
	return __atomic_load_n(&proc->delivering, __ATOMIC_RELAXED) != 0 &&
		pthread_equal(proc->deliverer, pthread_self());
}

int
vfbc_vf_mbox_poll(struct vfbc_vf_proc *proc, uint64_t *mask)
{
	uint64_t m = 0;
	int ret;

	/* A11: pairs with R11 in vfbc_vf_mbox_claim(). */
	if (unlikely(__atomic_load_n(&proc->claimed, __ATOMIC_ACQUIRE) == 0))
		return vf_unclaimed_err(proc);
	if (unlikely(vf_primary_gone(proc)))
		return -ENOTCONN;
	if (likely(vfbc_vf_mbox_poll_idle(proc)))
		return 0;
	/* Another thread is polling: it delivers whatever is pending. */
	if (!rte_spinlock_trylock(&proc->poll_lock))
		return 0;
	if (unlikely(__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) == 0)) {
		rte_spinlock_unlock(&proc->poll_lock);
		return -EPERM;
	}
	ret = vfbc_channel_poll_invalidations(proc->ch, proc->vf_id, &m);
	if (unlikely(vf_claim_gone(ret))) {
		vfbc_vf_mbox_claim_lost(proc);
		ret = vf_unclaimed_err(proc);
	}
	if (ret == 1) {
		VF_MBOX_LOG(DEBUG, "port %u: blocks 0x%016" PRIx64 " invalidated",
			    proc->port_id, m);
		/* The poll lock orders these with the next poll's; only this thread compares. */
		proc->deliverer = pthread_self();
		__atomic_store_n(&proc->delivering, 1, __ATOMIC_RELAXED);
		vf_deliver(proc, m);
		__atomic_store_n(&proc->delivering, 0, __ATOMIC_RELAXED);
		if (mask != NULL)
			*mask = m;
	}
	rte_spinlock_unlock(&proc->poll_lock);
	return ret;
}

void
vfbc_vf_mbox_info(struct vfbc_vf_proc *proc, struct vfbc_vf_info *info)
{
	pid_t pid;

	memset(info, 0, sizeof(*info));
	info->vf_addr = proc->vf_addr;
	info->claimed = __atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) != 0;
	info->isolated = proc->isolated;
	rte_spinlock_lock(&proc->ctrl_lock);
	if (proc->isolated) {
		/* The devargs named the VF; the PF's answer, itself. */
		info->vf_id = proc->vf_id;
		info->connected = proc->sock_fd >= 0 && !vf_primary_gone(proc);
	} else {
		/* Before the channel is attached, sysfs is all we know. */
		info->vf_id = proc->ch != NULL ? proc->vf_id : proc->sysfs_vf_id;
	}
	info->vf_id_valid = info->vf_id != VFBC_VF_ID_NONE;
	if (info->vf_id_valid) {
		info->pf_addr = proc->pf_addr;
		strlcpy(info->pf_name, proc->pf_name, sizeof(info->pf_name));
	}
	pid = 0;
	if (vf_channel_alive(proc) &&
			vfbc_channel_claim_get(proc->ch, proc->vf_id, &pid, NULL) == 0)
		info->consumer_pid = (int32_t)pid;
	rte_spinlock_unlock(&proc->ctrl_lock);
	vfbc_vf_life_info(proc, info);
}

int
vfbc_vf_mbox_cb_register(struct vfbc_vf_proc *proc, vfbc_vf_invalidate_cb_t cb, void *arg)
{
	int free_slot;
	unsigned int i;
	int ret = 0;

	free_slot = -1;
	rte_spinlock_lock(&proc->cb_lock);
	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++) {
		if (proc->cbs[i].fn == cb && proc->cbs[i].arg == arg) {
			rte_spinlock_unlock(&proc->cb_lock);
			return -EEXIST;
		}
		if (free_slot < 0 && proc->cbs[i].fn == NULL && !proc->cbs[i].active)
			free_slot = (int)i;
	}
	if (free_slot < 0) {
		ret = -ENOSPC;
	} else {
		proc->cbs[free_slot].arg = arg;
		/* R14: pairs with A14, the lock-free skip of empty slots in vf_deliver(). */
		__atomic_store_n(&proc->cbs[free_slot].fn, cb, __ATOMIC_RELEASE);
	}
	rte_spinlock_unlock(&proc->cb_lock);
	return ret;
}

int
vfbc_vf_mbox_cb_unregister(struct vfbc_vf_proc *proc, vfbc_vf_invalidate_cb_t cb, void *arg)
{
	unsigned int i;
	int ret = -ENOENT;

	rte_spinlock_lock(&proc->cb_lock);
	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++) {
		if (proc->cbs[i].fn != cb || proc->cbs[i].arg != arg)
			continue;
		if (proc->cbs[i].active) {
			ret = -EAGAIN;
		} else {
			__atomic_store_n(&proc->cbs[i].fn, NULL, __ATOMIC_RELAXED);
			proc->cbs[i].arg = NULL;
			ret = 0;
		}
		break;
	}
	rte_spinlock_unlock(&proc->cb_lock);
	return ret;
}

int
vfbc_vf_mbox_block_read(struct vfbc_vf_proc *proc, uint32_t block_id, void *buf, uint32_t len)
{
	int ret;

	if (vf_primary_gone(proc))
		return -ENOTCONN;
	rte_spinlock_lock(&proc->ctrl_lock);
	ret = vf_attach_watch(proc);
	rte_spinlock_unlock(&proc->ctrl_lock);
	if (ret < 0)
		return ret;
	ret = vfbc_channel_block_read(proc->ch, proc->vf_id, block_id, buf, len);
	return vf_claim_gone(ret) ? vf_unclaimed_err(proc) : ret;
}

static const char *
vf_req_name(uint16_t type)
{
	switch (type) {
	case VFBC_CHANNEL_REQ_BLOCK_WRITE:
		return "block write";
	case VFBC_CHANNEL_REQ_CFG_READ:
		return "config read";
	case VFBC_CHANNEL_REQ_CFG_WRITE:
		return "config write";
	default:
		return "?";
	}
}

/*
 * Post a request and wait for its answer: the response carrying the same
 * request id and type. Answers to earlier requests that timed out are
 * dropped on the way. Returns the PF's status (0 or negative), or a local
 * error; *resp holds the answer when the status came from the PF.
 */
int
vfbc_vf_mbox_request(struct vfbc_vf_proc *proc, struct vfbc_channel_req *req,
		     struct vfbc_channel_resp *resp, uint32_t timeout_ms)
{
	uint64_t hz = rte_get_timer_hz();
	uint64_t deadline;
	int ret;

	/* A11: pairs with R11 in vfbc_vf_mbox_claim(). */
	if (__atomic_load_n(&proc->claimed, __ATOMIC_ACQUIRE) == 0)
		return vf_unclaimed_err(proc);
	if (vf_primary_gone(proc))
		return -ENOTCONN;
	pthread_mutex_lock(&proc->req_lock);
	ret = vfbc_channel_request_post(proc->ch, proc->vf_id, req);
	if (ret < 0) {
		if (vf_claim_gone(ret)) {
			vfbc_vf_mbox_claim_lost(proc);
			ret = vf_unclaimed_err(proc);
		}
		VF_MBOX_LOG(DEBUG, "port %u: %s not sent: %s", proc->port_id,
			    vf_req_name(req->type), strerror(-ret));
		goto out;
	}
	/* Bounded: the deadline, or the primary's death, whichever comes first. */
	deadline = rte_get_timer_cycles() + hz * timeout_ms / 1000;
	for (;;) {
		ret = vfbc_channel_response_poll(proc->ch, proc->vf_id, resp);
		if (ret == 1) {
			if (resp->req_id == req->req_id && resp->type == req->type) {
				ret = resp->status;
				break;
			}
			proc->stale_responses++;
			VF_MBOX_LOG(DEBUG, "port %u: dropped stale answer %u (waiting for %u)",
				    proc->port_id, resp->req_id, req->req_id);
			continue;
		}
		if (ret < 0) {
			if (vf_claim_gone(ret)) {
				vfbc_vf_mbox_claim_lost(proc);
				ret = vf_unclaimed_err(proc);
			}
			break;
		}
		if (vf_primary_gone(proc)) {
			ret = -ENOTCONN;
			break;
		}
		if (rte_get_timer_cycles() >= deadline) {
			VF_MBOX_LOG(NOTICE, "port %u: %s %u at 0x%x: no answer in %u ms",
				    proc->port_id, vf_req_name(req->type), req->req_id,
				    req->target, timeout_ms);
			ret = -ETIMEDOUT;
			break;
		}
		/*
		 * req_wait=spin: the answer's latency, at a core's cost; the
		 * default lets a PF service sharing this CPU run.
		 */
		if (proc->req_spin)
			rte_pause();
		else
			sched_yield();
	}
out:
	pthread_mutex_unlock(&proc->req_lock);
	return ret;
}

static int32_t
vf_service_run(void *arg)
{
	struct vfbc_vf_proc *proc = arg;

	if (__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) != 0)
		(void)vfbc_vf_mbox_poll(proc, NULL);
	return 0;
}

/*
 * Registered on first request, not at probe: EAL 22.11 finalizes the
 * service library before it removes devices at rte_eal_cleanup(), so a
 * service still registered then cannot be unregistered safely; only ports
 * whose application asked for the service carry that rule (close the port
 * before rte_eal_cleanup()).
 */
int
vfbc_vf_mbox_service_id(struct vfbc_vf_proc *proc, uint32_t *service_id)
{
	struct rte_service_spec spec;
	uint32_t id;
	int ret;

	rte_spinlock_lock(&proc->ctrl_lock);
	if (!proc->service_valid) {
		memset(&spec, 0, sizeof(spec));
		snprintf(spec.name, sizeof(spec.name), "vfbc_vf_%u", proc->port_id);
		spec.callback = vf_service_run;
		spec.callback_userdata = proc;
		/* vfbc_vf_poll() serializes itself: several lcores may run it. */
		spec.capabilities = RTE_SERVICE_CAP_MT_SAFE;
		spec.socket_id = SOCKET_ID_ANY;
		ret = rte_service_component_register(&spec, &id);
		if (ret == 0) {
			ret = rte_service_component_runstate_set(id, 1);
			if (ret < 0)
				rte_service_component_unregister(id);
		}
		if (ret < 0) {
			VF_LOG(ERR, "port %u: cannot register service %s: %s", proc->port_id,
			       spec.name, strerror(-ret));
			rte_spinlock_unlock(&proc->ctrl_lock);
			return -ENOTSUP;
		}
		proc->service_id = id;
		proc->service_valid = 1;
	}
	*service_id = proc->service_id;
	rte_spinlock_unlock(&proc->ctrl_lock);
	return 0;
}
