/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The driver path: what users call. The primary owns the PF port
 * (net_vfbc_pf, whose channel is named after the PF's PCI address) and an
 * unclaimed port per VF (net_vfbc_vf). Each VF secondary is started with an
 * EAL allow list of its VFs, so that the VF PMD probes exactly those and
 * claims them at probe; it then polls them with vfbc_vf_poll().
 *
 * The VF PMD needs an ethdev port per VF, and DPDK builds have
 * RTE_MAX_ETHPORTS ports (32 by default, the PF taking one): VFs beyond
 * that have no port in any process. Their consumer claims them on the PF
 * driver's channel with the channel library and polls them there; the
 * table says how many VFs went which way.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_bus_pci.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "perf.h"

/* The first net_vfbc_pf port with a VF, or -1. */
int
vfbc_perf_pf_port(void)
{
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		if (vfbc_pf_vf_count(port) > 0)
			return port;
	}
	return -1;
}

int
vfbc_perf_drv_setup(struct vfbc_perf_results *r, unsigned int nb_vfs)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_pci_addr addr;
	unsigned int v, first = 0, last = 0;
	uint16_t vp;
	int port, n, ret;

	port = vfbc_perf_pf_port();
	if (port < 0) {
		fprintf(stderr, "vfbc-perf: no net_vfbc_pf port with enabled VFs\n");
		return -ENODEV;
	}
	n = vfbc_pf_vf_count(port);
	if (n < (int)nb_vfs) {
		fprintf(stderr, "vfbc-perf: the PF has %d VFs, --vfs asks for %u\n", n, nb_vfs);
		return -ERANGE;
	}
	ret = rte_eth_dev_get_name_by_port(port, name);
	if (ret != 0)
		return ret;
	if (rte_strlcpy(c->drv_ch, name, sizeof(c->drv_ch)) >= sizeof(c->drv_ch))
		return -ENAMETOOLONG;
	c->pf_port = port;
	r->pmd_vfs = 0;
	for (v = 0; v < nb_vfs; v++) {
		c->vf_port[v] = VFBC_PERF_NO_PORT;
		ret = vfbc_pf_get_vf_location(port, v, &addr);
		if (ret < 0) {
			fprintf(stderr, "vfbc-perf: VF %u: no location: %s\n", v, strerror(-ret));
			return ret;
		}
		rte_pci_device_name(&addr, name, sizeof(name));
		if (rte_eth_dev_get_port_by_name(name, &vp) != 0)
			continue;
		c->vf_port[v] = vp;
		if (r->pmd_vfs++ == 0)
			first = v;
		last = v;
	}
	c->drv_nb_vfs = nb_vfs;
	if (r->pmd_vfs == 0 || c->vf_port[0] == VFBC_PERF_NO_PORT) {
		fprintf(stderr, "vfbc-perf: VF 0 has no net_vfbc_vf port in the primary\n");
		return -ENODEV;
	}
	snprintf(r->driver, sizeof(r->driver), "PF port %d (%s), %u VFs: VFs %u-%u through "
			"the VF PMD (vfbc_vf_poll), %u on the PF driver's channel "
			"(RTE_MAX_ETHPORTS %d)", port, c->drv_ch, nb_vfs, first, last,
			nb_vfs - r->pmd_vfs, RTE_MAX_ETHPORTS);
	return 0;
}

/*
 * EAL arguments of secondary index: "-a VF,req_wait=spin" for each VF of its
 * with a port. The channel-level VF spins for its answers: the driver's
 * requests are measured with the VF PMD's option that does the same.
 */
int
vfbc_perf_drv_allow_list(unsigned int index, unsigned int nb_procs, char ***argv, int *argc)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	char name[RTE_ETH_NAME_MAX_LEN], dev[RTE_ETH_NAME_MAX_LEN + 16];
	unsigned int v;
	char **a;
	int k = 0;

	a = calloc(2 * VFBC_PERF_MAX_VFS + 1, sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	for (v = index; v < c->drv_nb_vfs; v += nb_procs) {
		if (c->vf_port[v] == VFBC_PERF_NO_PORT)
			continue;
		if (rte_eth_dev_get_name_by_port(c->vf_port[v], name) != 0)
			goto fail;
		snprintf(dev, sizeof(dev), "%s,req_wait=spin", name);
		a[k++] = strdup("-a");
		a[k++] = strdup(dev);
		if (a[k - 1] == NULL || a[k - 2] == NULL)
			goto fail;
	}
	/* No allow list would probe every device: probe none. */
	if (k == 0) {
		a[k++] = strdup("--no-pci");
		if (a[0] == NULL)
			goto fail;
	}
	*argv = a;
	*argc = k;
	return 0;
fail:
	while (k-- > 0)
		free(a[k]);
	free(a);
	return -ENOMEM;
}

/*
 * An open descriptor on the config file of slot v's VF, kept for the
 * process's life: the proof the PF asks of whoever claims the VF.
 */
static int
vfbc_perf_vf_proof(const struct vfbc_channel *ch, unsigned int v)
{
	char name[PCI_PRI_STR_SIZE], path[PATH_MAX];
	struct rte_pci_addr addr;
	const char *sysfs;
	int ret, fd;

	ret = vfbc_channel_vf_addr_get(ch, (uint16_t)v, &addr);
	if (ret < 0)
		return ret;
	rte_pci_device_name(&addr, name, sizeof(name));
	/* Where EAL's PCI bus looks (rte_pci_get_sysfs_path() is driver SDK). */
	sysfs = getenv("SYSFS_PCI_DEVICES");
	snprintf(path, sizeof(path), "%s/%s/config", sysfs != NULL ? sysfs : "/sys/bus/pci/devices",
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * In secondary index: check that the VF PMD claimed each of its VFs with a
 * port, claim the others on the PF driver's channel. Nothing may be
 * pending: every run leaves its VFs empty.
 */
int
vfbc_perf_drv_attach(struct vfbc_perf_proc *me, unsigned int index, unsigned int nb_procs)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_target t;
	struct vfbc_vf_info info;
	unsigned int v;
	uint64_t d;
	int ret;

	ret = vfbc_perf_target_get(&t, VFBC_PERF_DRIVER, NULL);
	if (ret != 0)
		return ret;
	for (v = index; v < c->drv_nb_vfs; v += nb_procs) {
		if (c->vf_port[v] != VFBC_PERF_NO_PORT) {
			ret = vfbc_vf_get_info(c->vf_port[v], &info);
			if (ret != 0 || !info.claimed || !info.vf_id_valid || info.vf_id != v) {
				fprintf(stderr, "vfbc-perf[%u]: VF %u (port %u) is not claimed "
						"by this process's VF PMD\n", index, v,
						c->vf_port[v]);
				return ret != 0 ? ret : -EPROTO;
			}
			me->pmd_vfs++;
		} else {
			/* The PF grants a VF to a holder of its device: its config file. */
			ret = vfbc_perf_vf_proof(t.ch, v);
			if (ret >= 0)
				ret = vfbc_channel_claim(t.ch, v, ret);
			if (ret != 0) {
				fprintf(stderr, "vfbc-perf[%u]: cannot claim VF %u on channel "
						"%s: %s\n", index, v, c->drv_ch,
						ret == 1 ? "taken over from a dead consumer" :
						strerror(-ret));
				return ret == 1 ? -EPROTO : ret;
			}
			me->ch_vfs++;
		}
		if (vfbc_perf_poll(&t, v, &d) != 0) {
			fprintf(stderr, "vfbc-perf[%u]: VF %u had bits pending before any "
					"invalidation\n", index, v);
			return -EPROTO;
		}
	}
	return 0;
}

/* The VF PMD releases its VFs when EAL closes the ports; these are ours. */
void
vfbc_perf_drv_detach(unsigned int index, unsigned int nb_procs)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	struct vfbc_perf_target t;
	unsigned int v;

	if (vfbc_perf_target_get(&t, VFBC_PERF_DRIVER, NULL) != 0)
		return;
	for (v = index; v < c->drv_nb_vfs; v += nb_procs)
		if (c->vf_port[v] == VFBC_PERF_NO_PORT)
			vfbc_channel_release(t.ch, v);
}
