/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_isolated: the VF port of an isolated consumer, a process that is
 * its own DPDK primary (its own --file-prefix, --no-pci, no sysfs, none of
 * the PF's hugepages) and reaches one VF through its PF's control socket:
 *
 *   --vdev net_vfbc_isolated0,socket=PATH,vf=N,secret_file=PATH[,claim=0|1]
 *
 * The port is a VF port like net_vfbc_vf's (same ops, same process_private,
 * the whole vfbc_pmd_vf.h API); only how it reaches its VF differs: a claim
 * connects to the PF and maps the region it sends (vfbc_vf_socket.c). With
 * claim=1 (the default) the probe claims, and fails with the PF's answer.
 *
 * The socket, the secret and the claim are this process's: in a secondary
 * process of the consumer, the port exists (ethdev shares it) but is not a
 * VF port (vfbc_vf_* calls answer -ENODEV).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>

#include "vfbc_vf.h"
#include "vfbc_vf_log.h"

static int
vf_iso_args(struct rte_vdev_device *vdev, struct vfbc_vf_iso_args *args)
{
	int ret;

	ret = vfbc_vf_iso_devargs_parse(rte_vdev_device_args(vdev), args);
	if (ret < 0) {
		VF_LOG(ERR, "%s: refused (%s=PATH,%s=N,%s=S|%s=PATH[,%s=0|1])",
		       rte_vdev_device_name(vdev), VFBC_VF_SOCKET_ARG, VFBC_VF_VF_ARG,
		       VFBC_VF_SECRET_ARG, VFBC_VF_SECRET_FILE_ARG, VFBC_VF_CLAIM_ARG);
		return ret;
	}
	if (args->secret_len == 0) {
		ret = vfbc_vf_secret_file_read(args->secret_file, args->secret,
					       &args->secret_len);
		if (ret < 0) {
			explicit_bzero(args, sizeof(*args));
			return ret;
		}
	}
	return 0;
}

/* The shared half: a MAC (none is ever used: no traffic) and the link. */
static int
vf_iso_data_init(struct rte_eth_dev *dev, uint16_t vf)
{
	/* 0xff sets it apart from net_vfbc_vf's PCI-derived ones. */
	const uint8_t tail[4] = {
		0xff, (uint8_t)(vf >> 8), (uint8_t)vf, (uint8_t)dev->data->port_id,
	};
	struct vfbc_vf_adapter *ad = dev->data->dev_private;
	int ret;

	ret = vfbc_vf_data_init(dev, tail);
	if (ret == 0)
		ad->magic = VFBC_VF_ADAPTER_MAGIC;
	return ret;
}

static int
vf_iso_probe_secondary(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_attach_secondary(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return -ENODEV;
	dev->device = &vdev->device;
	vfbc_vf_set_burst(dev);
	VF_LOG(INFO, "port %u: %s: the primary's isolated VF port: no VF API in a "
	       "secondary process", dev->data->port_id, rte_vdev_device_name(vdev));
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
vf_iso_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct vfbc_vf_iso_args args;
	struct vfbc_vf_proc *proc;
	struct rte_eth_dev *dev;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return vf_iso_probe_secondary(vdev);
	ret = vf_iso_args(vdev, &args);
	if (ret < 0)
		return ret;
	dev = rte_eth_vdev_allocate(vdev, sizeof(struct vfbc_vf_adapter));
	if (dev == NULL) {
		explicit_bzero(&args, sizeof(args));
		return -ENOMEM;
	}
	vfbc_vf_set_burst(dev);
	ret = vf_iso_data_init(dev, args.vf);
	proc = ret == 0 ? vfbc_vf_proc_new(dev) : NULL;
	if (proc == NULL) {
		explicit_bzero(&args, sizeof(args));
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	proc->isolated = 1;
	proc->vf_id = args.vf;
	proc->req_spin = (uint8_t)args.req_spin;
	memcpy(proc->sock_path, args.socket, sizeof(proc->sock_path));
	memcpy(proc->secret, args.secret, args.secret_len);
	proc->secret_len = args.secret_len;
	explicit_bzero(&args.secret, sizeof(args.secret));

	ret = vfbc_vf_mbox_init(dev, proc);
	if (ret == 0 && args.claim)
		ret = vfbc_vf_mbox_claim(proc);
	if (ret < 0) {
		VF_LOG(ERR, "%s: VF %u through %s: probe failed: %s", name, args.vf, args.socket,
		       strerror(-ret));
		vfbc_vf_proc_free(dev);
		rte_eth_dev_release_port(dev);
		return ret;
	}
	VF_LOG(INFO, "port %u: %s: isolated VF %u, PF %s%s", dev->data->port_id, name,
	       args.vf, proc->pf_name[0] != '\0' ? proc->pf_name : "not connected",
	       proc->claimed ? ", claimed" : "");
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
vf_iso_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;
	/* Closing releases the claim, the connection and the port. */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		return rte_eth_dev_close(dev->data->port_id);
	return rte_eth_dev_release_port(dev);
}

static struct rte_vdev_driver vfbc_vf_isolated_pmd = {
	.probe = vf_iso_probe,
	.remove = vf_iso_remove,
};

/* The name literally: the macros paste it into symbol names. */
RTE_PMD_REGISTER_VDEV(net_vfbc_isolated, vfbc_vf_isolated_pmd);
RTE_PMD_REGISTER_PARAM_STRING(net_vfbc_isolated,
	VFBC_VF_SOCKET_ARG "=<path> "
	VFBC_VF_VF_ARG "=<int> "
	VFBC_VF_SECRET_ARG "=<string> "
	VFBC_VF_SECRET_FILE_ARG "=<path> "
	VFBC_VF_CLAIM_ARG "=<0|1> "
	VFBC_VF_REQ_WAIT_ARG "=<yield|spin>");
