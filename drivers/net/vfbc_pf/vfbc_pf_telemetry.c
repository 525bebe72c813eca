/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * rte_telemetry endpoints of net_vfbc_pf, registered by the driver so that
 * any application loading it (dpdk-testpmd -d included) serves them:
 *
 *   /vfbc/pf/list                  PF ports
 *   /vfbc/pf/info,<port>           SR-IOV capability, VF count, channel
 *   /vfbc/pf/vfs,<port>            per VF: address, state, consumer pid
 *   /vfbc/pf/vf_stats,<port>,<vf>  the channel's counters of one VF
 *
 * Everything but the list needs the primary's state: elsewhere the answer
 * is a dict {"error": "..."} rather than no data, so a client can tell why.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_telemetry.h>

#include "vfbc_pf.h"
#include "vfbc_pf_mbox.h"

/* Parse "<a>" or "<a>,<b>" (decimal); @return how many numbers, or -EINVAL. */
static int
pf_tel_params(const char *params, unsigned long *a, unsigned long *b)
{
	char *end;

	if (params == NULL || params[0] < '0' || params[0] > '9')
		return -EINVAL;
	errno = 0;
	*a = strtoul(params, &end, 10);
	if (errno != 0)
		return -EINVAL;
	if (*end == '\0')
		return 1;
	if (*end != ',' || b == NULL || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	*b = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	return 2;
}

static int
pf_tel_error(struct rte_tel_data *d, const char *fmt, ...) __rte_format_printf(2, 3);

static int
pf_tel_error(struct rte_tel_data *d, const char *fmt, ...)
{
	char msg[RTE_TEL_MAX_STRING_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", msg);
	return 0;
}

/* The port as a PF port of this primary, or an error dict. */
static int
pf_tel_port(const char *params, struct rte_tel_data *d, unsigned long *vf, uint16_t *port)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	unsigned long p;
	int n;
	int ret;

	n = pf_tel_params(params, &p, vf);
	if (n < 0 || (vf != NULL && n != 2) || (vf == NULL && n != 1)) {
		pf_tel_error(d, "parameters: %s", vf != NULL ? "<port>,<vf>" : "<port>");
		return -EINVAL;
	}
	ret = p < RTE_MAX_ETHPORTS ? vfbc_pf_port_get(p, &dev, &ad) : -ENODEV;
	if (ret == -ENODEV) {
		pf_tel_error(d, "port %lu is not a net_vfbc_pf port", p);
		return ret;
	}
	if (ret < 0) {
		pf_tel_error(d, "port %lu: PF state is in the primary process only", p);
		return ret;
	}
	*port = (uint16_t)p;
	return 0;
}

static int
pf_tel_list(const char *cmd __rte_unused, const char *params __rte_unused,
	    struct rte_tel_data *d)
{
	struct vfbc_pf_adapter *ad;
	struct rte_eth_dev *dev;
	uint16_t port;
	int ret;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	RTE_ETH_FOREACH_DEV(port) {
		/* A secondary's ports are PF ports too, without primary state. */
		ret = vfbc_pf_port_get(port, &dev, &ad);
		if (ret == 0 || ret == -E_RTE_SECONDARY)
			rte_tel_data_add_array_int(d, port);
	}
	return 0;
}

static int
pf_tel_info(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct vfbc_pf_sriov_info s;
	char name[PCI_PRI_STR_SIZE];
	char mz[RTE_MEMZONE_NAMESIZE];
	struct vfbc_pf_mbox *mb;
	uint32_t service_id;
	uint16_t port;
	int count;
	int ret;

	if (pf_tel_port(params, d, NULL, &port) < 0)
		return 0;
	name[0] = '\0';
	ret = vfbc_pf_get_sriov_info(port, &s);
	count = vfbc_pf_vf_count(port);
	if (ret < 0 && ret != -ENXIO)
		return pf_tel_error(d, "port %u: %s", port, rte_strerror(-ret));
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", port);
	if (ret == 0)
		rte_pci_device_name(&s.pf_addr, name, sizeof(name));
	rte_tel_data_add_dict_string(d, "pf", name);
	rte_tel_data_add_dict_int(d, "sriov", ret == 0);
	rte_tel_data_add_dict_int(d, "num_vfs", count < 0 ? 0 : count);
	if (ret == 0) {
		rte_tel_data_add_dict_int(d, "cap_offset", s.cap_offset);
		rte_tel_data_add_dict_int(d, "total_vfs", s.total_vfs);
		rte_tel_data_add_dict_int(d, "initial_vfs", s.initial_vfs);
		rte_tel_data_add_dict_int(d, "num_vfs_register", s.num_vfs);
		rte_tel_data_add_dict_int(d, "vf_offset", s.vf_offset);
		rte_tel_data_add_dict_int(d, "vf_stride", s.vf_stride);
		rte_tel_data_add_dict_int(d, "vf_device_id", s.vf_device_id);
		rte_tel_data_add_dict_int(d, "pf_vendor_id", s.pf_vendor_id);
		rte_tel_data_add_dict_int(d, "sriov_ctrl", s.ctrl);
		rte_tel_data_add_dict_int(d, "max_vfs", s.max_vfs);
	}
	if (vfbc_pf_mbox_get(port, &mb) == 0) {
		snprintf(mz, sizeof(mz), "%s%s", VFBC_CHANNEL_MZ_PREFIX, name);
		rte_tel_data_add_dict_string(d, "channel", mz);
		rte_tel_data_add_dict_int(d, "channel_vfs", mb->nb_slots);
	} else {
		rte_tel_data_add_dict_string(d, "channel", "");
		rte_tel_data_add_dict_int(d, "channel_vfs", 0);
	}
	if (vfbc_pf_mbox_service_id(port, &service_id) == 0)
		rte_tel_data_add_dict_int(d, "service_id", (int)service_id);
	else
		rte_tel_data_add_dict_int(d, "service_id", -1);
	return 0;
}

static int
pf_tel_vfs(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *addr, *state, *consumer;
	struct vfbc_pf_sriov_info s;
	struct vfbc_pf_vf_info info;
	char name[PCI_PRI_STR_SIZE];
	uint16_t port;
	int32_t pid;
	uint16_t vf;
	int count;
	int ret;

	if (pf_tel_port(params, d, NULL, &port) < 0)
		return 0;
	ret = vfbc_pf_get_sriov_info(port, &s);
	if (ret < 0)
		return pf_tel_error(d, "port %u: no SR-IOV capability (%s)", port,
				    rte_strerror(-ret));
	count = vfbc_pf_vf_count(port);
	addr = rte_tel_data_alloc();
	state = rte_tel_data_alloc();
	consumer = rte_tel_data_alloc();
	if (addr == NULL || state == NULL || consumer == NULL) {
		rte_tel_data_free(addr);
		rte_tel_data_free(state);
		rte_tel_data_free(consumer);
		return -ENOMEM;
	}
	/* Arrays indexed by VF id: telemetry containers are arrays only. */
	rte_tel_data_start_array(addr, RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(state, RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(consumer, RTE_TEL_INT_VAL);
	for (vf = 0; vf < s.total_vfs; vf++) {
		if (vfbc_pf_get_vf_info(port, vf, &info) < 0)
			break;
		if (info.state == VFBC_PF_VF_UNROUTABLE)
			snprintf(name, sizeof(name), "-");
		else
			rte_pci_device_name(&info.addr, name, sizeof(name));
		rte_tel_data_add_array_string(addr, name);
		rte_tel_data_add_array_string(state, vfbc_pf_vf_state_str(info.state));
		pid = 0;
		if (vf >= count || vfbc_pf_vf_consumer(port, vf, &pid) < 0)
			pid = 0;
		rte_tel_data_add_array_int(consumer, pid);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", port);
	rte_tel_data_add_dict_int(d, "total_vfs", s.total_vfs);
	rte_tel_data_add_dict_int(d, "num_vfs", count < 0 ? 0 : count);
	rte_tel_data_add_dict_container(d, "address", addr, 0);
	rte_tel_data_add_dict_container(d, "state", state, 0);
	rte_tel_data_add_dict_container(d, "consumer_pid", consumer, 0);
	return 0;
}

static int
pf_tel_vf_stats(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct vfbc_channel_stats st;
	unsigned long vf;
	uint16_t port;
	int ret;

	if (pf_tel_port(params, d, &vf, &port) < 0)
		return 0;
	ret = vf <= UINT16_MAX ? vfbc_pf_mbox_stats(port, vf, &st) : -EINVAL;
	if (ret == -ENXIO)
		return pf_tel_error(d, "port %u has no channel (no SR-IOV)", port);
	if (ret < 0)
		return pf_tel_error(d, "port %u: VF %lu is beyond the channel", port, vf);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", port);
	rte_tel_data_add_dict_int(d, "vf", (int)vf);
	rte_tel_data_add_dict_u64(d, "invalidations", st.invalidations);
	rte_tel_data_add_dict_u64(d, "coalesced", st.coalesced);
	rte_tel_data_add_dict_u64(d, "doorbells", st.doorbells);
	rte_tel_data_add_dict_u64(d, "notify_ring_full", st.notify_ring_full);
	rte_tel_data_add_dict_u64(d, "deliveries", st.deliveries);
	rte_tel_data_add_dict_u64(d, "resyncs", st.resyncs);
	rte_tel_data_add_dict_u64(d, "requests_posted", st.requests_posted);
	rte_tel_data_add_dict_u64(d, "request_ring_full", st.request_ring_full);
	rte_tel_data_add_dict_u64(d, "requests_accepted", st.requests_accepted);
	rte_tel_data_add_dict_u64(d, "requests_rejected", st.requests_rejected);
	rte_tel_data_add_dict_u64(d, "responses", st.responses);
	rte_tel_data_add_dict_u64(d, "response_ring_full", st.response_ring_full);
	rte_tel_data_add_dict_u64(d, "responses_received", st.responses_received);
	rte_tel_data_add_dict_u64(d, "claims", st.claims);
	rte_tel_data_add_dict_u64(d, "takeovers", st.takeovers);
	return 0;
}

RTE_INIT(vfbc_pf_telemetry_init)
{
	rte_telemetry_register_cmd("/vfbc/pf/list", pf_tel_list,
			"Returns the net_vfbc_pf port ids. No parameters");
	rte_telemetry_register_cmd("/vfbc/pf/info", pf_tel_info,
			"Returns a PF's SR-IOV capability, VF count and channel."
			" Parameters: int port_id");
	rte_telemetry_register_cmd("/vfbc/pf/vfs", pf_tel_vfs,
			"Returns every VF of a PF: address, state, consumer pid."
			" Parameters: int port_id");
	rte_telemetry_register_cmd("/vfbc/pf/vf_stats", pf_tel_vf_stats,
			"Returns the channel counters of one VF."
			" Parameters: int port_id,int vf_id");
}
