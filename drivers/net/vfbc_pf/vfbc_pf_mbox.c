/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * PF side of the mailbox: the channel of a PF port (created at probe in
 * the primary, freed at close), its VF address table, the claim verifier,
 * the rte_service, and the channel's counters as xstats.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_service.h>
#include <rte_service_component.h>

#include "vfbc_pf.h"
#include "vfbc_pf_log.h"
#include "vfbc_pf_life.h"
#include "vfbc_pf_mbox.h"
#include "vfbc_pf_pci.h"
#include "vfbc_pf_socket.h"


/* How long close waits for a service lcore to leave the service. */
#define PF_MBOX_SERVICE_STOP_US		(1000 * 1000)
#define PF_MBOX_SERVICE_STOP_POLL_US	1000

static const char * const pf_mbox_ch_xstat_names[VFBC_PF_MBOX_CH_XS_MAX] = {
	[VFBC_PF_MBOX_CH_XS_INVALIDATIONS] = "mbox_invalidations",
	[VFBC_PF_MBOX_CH_XS_COALESCED] = "mbox_invalidations_coalesced",
	[VFBC_PF_MBOX_CH_XS_DOORBELLS] = "mbox_doorbells",
	[VFBC_PF_MBOX_CH_XS_NOTIFY_RING_FULL] = "mbox_notify_ring_full",
	[VFBC_PF_MBOX_CH_XS_DELIVERIES] = "mbox_deliveries",
	[VFBC_PF_MBOX_CH_XS_RESYNCS] = "mbox_resyncs",
	[VFBC_PF_MBOX_CH_XS_MALFORMED] = "mbox_malformed",
	[VFBC_PF_MBOX_CH_XS_RESPONSES] = "mbox_responses",
	[VFBC_PF_MBOX_CH_XS_RESPONSE_RING_FULL] = "mbox_response_ring_full",
	[VFBC_PF_MBOX_CH_XS_RING_CORRUPT] = "mbox_ring_corrupt",
	[VFBC_PF_MBOX_CH_XS_UNCLAIMED] = "mbox_requests_unclaimed",
	[VFBC_PF_MBOX_CH_XS_CLAIMS_REFUSED] = "mbox_claims_refused",
	[VFBC_PF_MBOX_CH_XS_REQUESTS_DROPPED] = "mbox_requests_dropped",
	[VFBC_PF_MBOX_CH_XS_RESPONSES_DROPPED] = "mbox_responses_dropped",
};

/* Is st the same file as path? */
static int
pf_mbox_same_file(const struct stat *st, const char *path)
{
	struct stat other;

	if (stat(path, &other) != 0)
		return 0;
	if (S_ISCHR(st->st_mode) && S_ISCHR(other.st_mode))
		return st->st_rdev == other.st_rdev;
	return st->st_dev == other.st_dev && st->st_ino == other.st_ino;
}

/* "<dir>/<prefix><N>" for the entry of <sysfs>/<addr>/<sub> named <prefix>N. */
static int
pf_mbox_sysfs_link_node(const struct rte_pci_addr *addr, const char *sub, const char *dev_dir,
			char *node, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	if (vfbc_pf_sysfs_path(path, sizeof(path), addr, sub) < 0)
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base != NULL ? base + 1 : target;
	if ((size_t)snprintf(node, size, "%s/%s", dev_dir, base) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Claim proof: is the file the claimer holds one of this VF's device
 * files? Its config-space file in sysfs (what EAL's uio path opens, and
 * what net_vfbc_vf holds), its /dev/uioN, or its vfio group.
 */
static int
pf_mbox_claim_verify(const struct vfbc_channel *ch __rte_unused, uint16_t vf __rte_unused,
		     const struct rte_pci_addr *addr, int proof_fd, void *arg __rte_unused)
{
	char path[PATH_MAX], uio[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	DIR *d;
	struct dirent *e;
	int ok = 0;

	if (fstat(proof_fd, &st) != 0)
		return -EACCES;
	if (vfbc_pf_sysfs_path(path, sizeof(path), addr, "config") == 0 &&
	    pf_mbox_same_file(&st, path))
		return 0;
	if (pf_mbox_sysfs_link_node(addr, "iommu_group", "/dev/vfio", path,
				    sizeof(path)) == 0 && pf_mbox_same_file(&st, path))
		return 0;
	/* uio: <sysfs>/<addr>/uio/uioN names the VF's /dev/uioN. */
	if (vfbc_pf_sysfs_path(dir, sizeof(dir), addr, "uio") < 0)
		return -EACCES;
	d = opendir(dir);
	if (d == NULL)
		return -EACCES;
	while (!ok && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "uio", 3) != 0)
			continue;
		if ((size_t)snprintf(uio, sizeof(uio), "/dev/%s", e->d_name) < sizeof(uio))
			ok = pf_mbox_same_file(&st, uio);
	}
	closedir(d);
	return ok ? 0 : -EACCES;
}

/*
 * Publish the address of every enabled VF that has a slot, withdraw the
 * others. Under the control mutex, so that of two refreshes racing with
 * enable/disable, the last one describes the final state.
 */
void
vfbc_pf_mbox_refresh(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_mbox *mb = pf->mb;
	const struct vfbc_pf_vf *vf;
	uint16_t i, n, vendor;
	int published;

	if (mb == NULL)
		return;
	pthread_mutex_lock(&pf->ctrl);
	pthread_rwlock_rdlock(&pf->lock);
	n = RTE_MIN(pf->nb_vfs, mb->nb_slots);
	for (i = 0; i < mb->nb_slots; i++) {
		vf = &pf->vfs[i];
		published = i < n && vf->state != VFBC_PF_VF_UNROUTABLE;
		/*
		 * A claim is the right to one function: a slot whose VF went
		 * away, or is now another function, loses its holder (the
		 * channel revokes it, deciding from its own copy).
		 */
		vfbc_channel_vf_addr_set(mb->ch, i, published ? &vf->addr : NULL);
	}
	/* The socket's holders of claims just revoked lose their connection too. */
	vfbc_pf_socket_sync(pf);
	if (vfbc_pf_cfg_read16(pf->pf_dev, RTE_PCI_VENDOR_ID, &vendor) < 0)
		vendor = pf->pf_dev->id.vendor_id;
	mb->vendor_id = vendor;
	mb->device_id = pf->sriov.vf_device_id;
	/*
	 * Relaxed: the invalidate path reads it (relaxed) only as a bound on
	 * channel slots, which all exist from creation; the fields above are
	 * read under pf->lock, which orders them.
	 */
	__atomic_store_n(&mb->nb_vfs, n, __ATOMIC_RELAXED);
	/* The same bound for the inline invalidate: its entry's, relaxed as this one. */
	__atomic_store_n(&vfbc_pf_fp_ports[mb->port_id].nb_vfs, n, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&pf->lock);
	pthread_mutex_unlock(&pf->ctrl);
	PF_MBOX_LOG(DEBUG, "port %u: %u of %u VF slots published", mb->port_id, n,
		    mb->nb_slots);
}

/*
 * Sleep until done(svc) holds, for PF_MBOX_SERVICE_STOP_US at most (a
 * service lcore leaving a pass): 1 if it did, 0 if the time ran out.
 */
static int
pf_mbox_wait(int (*done)(const struct vfbc_pf_mbox_service *svc),
	     const struct vfbc_pf_mbox_service *svc)
{
	uint64_t waited;

	for (waited = 0; !done(svc); waited += PF_MBOX_SERVICE_STOP_POLL_US) {
		if (waited >= PF_MBOX_SERVICE_STOP_US)
			return 0;
		rte_delay_us_sleep(PF_MBOX_SERVICE_STOP_POLL_US);
	}
	return 1;
}

/* No lcore runs the service (asks the service library: not after its end). */
static int
pf_mbox_service_idle(const struct vfbc_pf_mbox_service *svc)
{
	return rte_service_may_be_active(svc->id) != 1;
}

/*
 * No pass is in progress. A15: pairs with R15 in vfbc_pf_mbox_service_run();
 * S2 at close (see S1 there).
 */
static int
pf_mbox_service_out_of_pass(const struct vfbc_pf_mbox_service *svc)
{
	return __atomic_load_n(&svc->in_pass, __ATOMIC_SEQ_CST) == 0;
}

/*
 * The services of ports closed since (parked, or about to park): gone, so
 * that port ids coming and going do not use up the library's
 * RTE_SERVICE_NUM_MAX services. At probe, when the library is alive.
 */
static void
pf_mbox_service_collect(uint16_t except)
{
	struct vfbc_pf_mbox_service *svc;
	uint16_t port;

	for (port = 0; port < RTE_MAX_ETHPORTS; port++) {
		svc = &vfbc_pf_mbox_services[port];
		if (!svc->registered || port == except ||
		    __atomic_load_n(&vfbc_pf_mboxes[port], __ATOMIC_ACQUIRE) != NULL)
			continue;
		rte_service_component_runstate_set(svc->id, 0);
		/* A pass still running finds no mailbox; kept for a later collect. */
		if (!pf_mbox_wait(pf_mbox_service_idle, svc))
			continue;
		rte_service_component_unregister(svc->id);
		svc->registered = 0;
	}
}

/* The port id's service: kept after close (see vfbc_pf_mbox_services). */
static void
pf_mbox_service_register(struct rte_eth_dev *dev, struct vfbc_pf_mbox *mb)
{
	struct vfbc_pf_mbox_service *svc = &vfbc_pf_mbox_services[dev->data->port_id];
	struct rte_service_spec spec;
	int ret;

	pf_mbox_service_collect(dev->data->port_id);
	if (!svc->registered) {
		memset(&spec, 0, sizeof(spec));
		snprintf(spec.name, sizeof(spec.name), "vfbc_pf_mbox_%u", dev->data->port_id);
		spec.callback = vfbc_pf_mbox_service_run;
		spec.callback_userdata = (void *)(uintptr_t)dev->data->port_id;
		/* The poll excludes concurrent callers; parallel runs would gain nothing. */
		spec.capabilities = 0;
		spec.socket_id = dev->device->numa_node;
		ret = rte_service_component_register(&spec, &svc->id);
		if (ret < 0) {
			PF_MBOX_LOG(WARNING, "port %u: cannot register service %s (%s): "
				    "use vfbc_pf_mbox_poll()", dev->data->port_id, spec.name,
				    strerror(-ret));
			return;
		}
		svc->registered = 1;
	}
	mb->service_id = svc->id;
	mb->service_ok = 1;
}

/*
 * Start the service, the mailbox published: a pass that saw none before
 * (the port closed, or never opened) parks the service on its way out, so
 * that pass is waited for first (S2 again, see S1: a later pass sees the
 * mailbox). A pass that does not end leaves the service parked: the port
 * is served by vfbc_pf_mbox_poll() only, as without a service.
 */
static void
pf_mbox_service_start(struct vfbc_pf_mbox *mb)
{
	struct vfbc_pf_mbox_service *svc = &vfbc_pf_mbox_services[mb->port_id];

	if (!mb->service_ok)
		return;
	if (!pf_mbox_wait(pf_mbox_service_out_of_pass, svc)) {
		PF_MBOX_LOG(ERR, "port %u: service still in an old pass after %u ms: "
			    "not started", mb->port_id, PF_MBOX_SERVICE_STOP_US / 1000);
		return;
	}
	rte_service_component_runstate_set(svc->id, 1);
}

/*
 * Wait for a service pass that may have taken the mailbox to end; the
 * mailbox is already withdrawn. No service library call: this may run in
 * rte_eal_cleanup(), after the library was finalised (no pass runs then).
 */
static void
pf_mbox_service_quiesce(struct vfbc_pf_mbox *mb)
{
	struct vfbc_pf_mbox_service *svc = &vfbc_pf_mbox_services[mb->port_id];

	if (!mb->service_ok)
		return;
	if (!pf_mbox_wait(pf_mbox_service_out_of_pass, svc)) {
		PF_MBOX_LOG(ERR, "port %u: service still running after %u ms",
			    mb->port_id, PF_MBOX_SERVICE_STOP_US / 1000);
		mb->service_stuck = 1;
	}
	mb->service_ok = 0;
}

int
vfbc_pf_mbox_init(struct vfbc_pf_proc *pf, struct rte_eth_dev *dev)
{
	struct rte_pci_device *pci_dev = pf->pf_dev;
	struct vfbc_pf_mbox *mb;
	uint16_t nb, vf;
	int ret;

	nb = RTE_MIN(pf->sriov.total_vfs, pf->ad->max_vfs);
	if (nb == 0) {
		PF_MBOX_LOG(INFO, "port %u: no VF to serve, no mailbox", pf->port_id);
		return 0;
	}
	if (nb > VFBC_CHANNEL_MAX_VFS) {
		PF_MBOX_LOG(WARNING, "port %u: %u VFs, the mailbox serves the first %u",
			    pf->port_id, nb, VFBC_CHANNEL_MAX_VFS);
		nb = VFBC_CHANNEL_MAX_VFS;
	}
	mb = rte_zmalloc_socket("vfbc_pf_mbox", sizeof(*mb) + nb * sizeof(mb->vfs[0]),
				RTE_CACHE_LINE_SIZE, pci_dev->device.numa_node);
	if (mb == NULL)
		return -ENOMEM;
	mb->pf = pf;
	mb->port_id = pf->port_id;
	mb->nb_slots = nb;
	rte_spinlock_init(&mb->poll_lock);
	rte_spinlock_init(&mb->limit_lock);
	mb->sweep_cycles = rte_get_timer_hz() * VFBC_PF_MBOX_SWEEP_MS / 1000;
	for (vf = 0; vf < nb; vf++)
		mb->vfs[vf].job.mb = mb;
	ret = vfbc_pf_mbox_limit_init(mb);
	if (ret < 0) {
		rte_free(mb);
		return ret;
	}
	/*
	 * socket=: each VF's area in a memory file of its own, handed to its
	 * consumer alone by the socket server, which authenticates it: no
	 * claim verifier (secondaries cannot attach an isolated channel).
	 */
	if (pf->args.socket_path[0] != '\0')
		mb->ch = vfbc_channel_create_isolated(pci_dev->name, nb);
	else
		mb->ch = vfbc_channel_create(pci_dev->name, nb, pci_dev->device.numa_node);
	if (mb->ch == NULL) {
		PF_MBOX_LOG(ERR, "port %u: cannot create channel %s%s: %s", pf->port_id,
			    VFBC_CHANNEL_MZ_PREFIX, pci_dev->name, rte_strerror(rte_errno));
		ret = -rte_errno;
		vfbc_pf_mbox_limit_free(mb);
		rte_free(mb);
		return ret;
	}
	mb->doorbell = __vfbc_channel_doorbell(mb->ch);
	ret = vfbc_channel_summary_slot(mb->ch);
	mb->summary_slot = ret >= 0 ? (int16_t)ret : -1;
	/* A consumer must show it holds its VF's device before it is served. */
	if (!vfbc_channel_is_isolated(mb->ch))
		vfbc_channel_claim_verify_set(mb->ch, pf_mbox_claim_verify, mb);
	pf->mb = mb;
	vfbc_pf_mbox_refresh(pf);
	pf_mbox_service_register(dev, mb);
	if (vfbc_pf_life_start(mb) < 0)
		PF_MBOX_LOG(WARNING, "port %u: no consumer watch: consumer events are not "
			    "raised", pf->port_id);
	/*
	 * R10: pairs with A10 in vfbc_pf_mbox_get() and
	 * vfbc_pf_invalidate_config_blocks(): they see the channel set up.
	 * Sequentially consistent: the S2 side of pf_mbox_service_start().
	 */
	__atomic_store_n(&vfbc_pf_mboxes[pf->port_id], mb, __ATOMIC_SEQ_CST);
	/* FP3: pairs with FP4 in vfbc_pf_invalidate_config_blocks(): as R10. */
	__atomic_store_n(&vfbc_pf_fp_ports[pf->port_id].ch, mb->ch, __ATOMIC_RELEASE);
	vfbc_pf_mbox_all_add(mb);
	pf_mbox_service_start(mb);
	PF_MBOX_LOG(INFO, "port %u: %schannel %s%s for %u VFs, service %s", pf->port_id,
		    vfbc_channel_is_isolated(mb->ch) ? "isolated " : "",
		    VFBC_CHANNEL_MZ_PREFIX, pci_dev->name, nb,
		    mb->service_ok ? "registered" : "unavailable");
	return 0;
}

void
vfbc_pf_mbox_stop(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_mbox *mb = pf->mb;

	if (mb == NULL || mb->stopped)
		return;
	mb->stopped = 1;
	vfbc_pf_life_stop(mb);
	/*
	 * R10 (withdrawal): later lookups see NULL; S2: the service's pass in
	 * flight is waited for, the poll lock drains the explicit ones.
	 */
	__atomic_store_n(&vfbc_pf_mboxes[pf->port_id], NULL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vfbc_pf_fp_ports[pf->port_id].ch, NULL, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vfbc_pf_fp_ports[pf->port_id].nb_vfs, 0, __ATOMIC_RELAXED);
	vfbc_pf_mbox_all_del(mb);
	vfbc_pf_mbox_wait_close(mb);
	pf_mbox_service_quiesce(mb);
	/* An explicit poll in flight finishes: nothing queues jobs any more. */
	rte_spinlock_lock(&mb->poll_lock);
	rte_spinlock_unlock(&mb->poll_lock);
}

void
vfbc_pf_mbox_uninit(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_mbox *mb = pf->mb;

	if (mb == NULL)
		return;
	vfbc_pf_mbox_stop(pf);
	pf->mb = NULL;
	if (mb->service_stuck) {
		/* Freed under a service pass, it would be used after free: leaked. */
		PF_MBOX_LOG(ERR, "port %u: the mailbox is left allocated", pf->port_id);
		return;
	}
	vfbc_channel_free(mb->ch);
	mb->ch = NULL;
	mb->doorbell = NULL;
	vfbc_pf_mbox_limit_free(mb);
	rte_free(mb);
}

unsigned int
vfbc_pf_mbox_xstats_names(struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX && i < n; i++)
		strlcpy(names[i].name, pf_mbox_ch_xstat_names[i], sizeof(names[i].name));
	return VFBC_PF_MBOX_CH_XS_MAX;
}

/* Sums of the channel's per-VF counters; zeros without a channel. */
static void
pf_mbox_ch_sums(struct rte_eth_dev *dev, uint64_t sums[VFBC_PF_MBOX_CH_XS_MAX])
{
	struct vfbc_channel_stats st;
	struct vfbc_pf_mbox *mb = NULL;
	struct vfbc_channel *ch;
	uint16_t vf, nb;

	memset(sums, 0, sizeof(uint64_t) * VFBC_PF_MBOX_CH_XS_MAX);
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		mb = vfbc_pf_mboxes[dev->data->port_id];
		ch = mb != NULL ? mb->ch : NULL;
	} else {
		/* The counters are in shared memory: a secondary reads them too. */
		ch = vfbc_channel_attach(dev->data->name);
	}
	if (ch == NULL)
		return;
	nb = vfbc_channel_nb_vfs(ch);
	for (vf = 0; vf < nb; vf++) {
		if (vfbc_channel_stats_get(ch, vf, &st) < 0)
			continue;
		sums[VFBC_PF_MBOX_CH_XS_INVALIDATIONS] += st.invalidations;
		sums[VFBC_PF_MBOX_CH_XS_COALESCED] += st.coalesced;
		sums[VFBC_PF_MBOX_CH_XS_DOORBELLS] += st.doorbells;
		sums[VFBC_PF_MBOX_CH_XS_NOTIFY_RING_FULL] += st.notify_ring_full;
		sums[VFBC_PF_MBOX_CH_XS_DELIVERIES] += st.deliveries;
		sums[VFBC_PF_MBOX_CH_XS_RESYNCS] += st.resyncs;
		sums[VFBC_PF_MBOX_CH_XS_MALFORMED] += st.requests_rejected;
		sums[VFBC_PF_MBOX_CH_XS_RESPONSES] += st.responses;
		sums[VFBC_PF_MBOX_CH_XS_RESPONSE_RING_FULL] += st.response_ring_full;
		sums[VFBC_PF_MBOX_CH_XS_RING_CORRUPT] += st.ring_corrupt;
		sums[VFBC_PF_MBOX_CH_XS_UNCLAIMED] += st.requests_unclaimed;
		sums[VFBC_PF_MBOX_CH_XS_CLAIMS_REFUSED] += st.claims_refused;
		sums[VFBC_PF_MBOX_CH_XS_REQUESTS_DROPPED] += st.requests_dropped;
		sums[VFBC_PF_MBOX_CH_XS_RESPONSES_DROPPED] += st.responses_dropped;
	}
	if (mb == NULL)
		vfbc_channel_free(ch);
}

void
vfbc_pf_mbox_xstats_values(struct rte_eth_dev *dev, uint64_t *values)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	uint64_t sums[VFBC_PF_MBOX_CH_XS_MAX];
	uint64_t base;
	unsigned int i;

	pf_mbox_ch_sums(dev, sums);
	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX; i++) {
		base = __atomic_load_n(&ad->mbox_base[i], __ATOMIC_RELAXED);
		values[i] = sums[i] >= base ? sums[i] - base : 0;
	}
}

void
vfbc_pf_mbox_xstats_reset(struct rte_eth_dev *dev)
{
	struct vfbc_pf_adapter *ad = dev->data->dev_private;
	uint64_t sums[VFBC_PF_MBOX_CH_XS_MAX];
	unsigned int i;

	/* The channel's counters are never reset: remember where zero is. */
	pf_mbox_ch_sums(dev, sums);
	for (i = 0; i < VFBC_PF_MBOX_CH_XS_MAX; i++)
		__atomic_store_n(&ad->mbox_base[i], sums[i], __ATOMIC_RELAXED);
}
