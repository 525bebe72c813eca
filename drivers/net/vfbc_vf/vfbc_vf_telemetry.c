/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * rte_telemetry endpoints of net_vfbc_vf, registered by the driver so that
 * any application loading it serves them:
 *
 *   /vfbc/vf/list          VF ports
 *   /vfbc/vf/info,<port>   VF index, PF, claim, and the counters of the
 *                          VF's channel slot as this process sees them
 *
 * They describe the process answering: in the primary (the only process
 * with a telemetry socket in DPDK 22.11) the VF ports claim nothing, and
 * the slot counters are there once the port's channel is attached.
 */

#include <errno.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "vfbc_vf.h"

static int
vf_tel_list(const char *cmd __rte_unused, const char *params __rte_unused,
	    struct rte_tel_data *d)
{
	struct vfbc_vf_proc *proc;
	uint16_t port;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	RTE_ETH_FOREACH_DEV(port)
		if (vfbc_vf_port_get(port, NULL, &proc) == 0)
			rte_tel_data_add_array_int(d, port);
	return 0;
}

static void
vf_tel_slot_stats(struct rte_tel_data *d, struct vfbc_vf_proc *proc)
{
	struct vfbc_channel_stats st;
	int ret;

	/* The channel handle changes with claim and release: read it locked. */
	rte_spinlock_lock(&proc->ctrl_lock);
	ret = proc->ch != NULL ? vfbc_channel_stats_get(proc->ch, proc->vf_id, &st) : -ENOENT;
	rte_spinlock_unlock(&proc->ctrl_lock);
	rte_tel_data_add_dict_int(d, "channel_attached", ret == 0);
	if (ret < 0)
		return;
	rte_tel_data_add_dict_u64(d, "invalidations", st.invalidations);
	rte_tel_data_add_dict_u64(d, "deliveries", st.deliveries);
	rte_tel_data_add_dict_u64(d, "resyncs", st.resyncs);
	rte_tel_data_add_dict_u64(d, "requests_posted", st.requests_posted);
	rte_tel_data_add_dict_u64(d, "request_ring_full", st.request_ring_full);
	rte_tel_data_add_dict_u64(d, "responses_received", st.responses_received);
	rte_tel_data_add_dict_u64(d, "claims", st.claims);
	rte_tel_data_add_dict_u64(d, "takeovers", st.takeovers);
}

static int
vf_tel_info(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	char name[PCI_PRI_STR_SIZE];
	struct vfbc_vf_proc *proc;
	struct vfbc_vf_info info;
	unsigned long port;
	char *end;

	rte_tel_data_start_dict(d);
	if (params == NULL || params[0] < '0' || params[0] > '9') {
		rte_tel_data_add_dict_string(d, "error", "parameters: <port>");
		return 0;
	}
	port = strtoul(params, &end, 10);
	if (*end != '\0' || port >= RTE_MAX_ETHPORTS ||
			vfbc_vf_port_get(port, NULL, &proc) < 0 ||
			vfbc_vf_get_info(port, &info) < 0) {
		rte_tel_data_add_dict_string(d, "error", "not a net_vfbc_vf port");
		return 0;
	}
	rte_tel_data_add_dict_int(d, "port", (int)port);
	rte_pci_device_name(&info.vf_addr, name, sizeof(name));
	rte_tel_data_add_dict_string(d, "address", name);
	if (info.vf_id_valid)
		rte_pci_device_name(&info.pf_addr, name, sizeof(name));
	rte_tel_data_add_dict_string(d, "pf", info.vf_id_valid ? name : "");
	rte_tel_data_add_dict_int(d, "vf_id", info.vf_id_valid ? info.vf_id : -1);
	rte_tel_data_add_dict_int(d, "claimed", info.claimed);
	rte_tel_data_add_dict_int(d, "consumer_pid", info.consumer_pid);
	/* Life events, in this process: what the PF did, and what the link says. */
	rte_tel_data_add_dict_int(d, "link_up", info.link_up);
	rte_tel_data_add_dict_int(d, "reset_needed", info.reset_needed);
	rte_tel_data_add_dict_int(d, "vf_enabled", info.enabled);
	rte_tel_data_add_dict_int(d, "power_state", info.power_state);
	rte_tel_data_add_dict_int(d, "last_event", info.last_event == VFBC_VF_EVENT_NONE ? -1 :
				  (int)info.last_event);
	rte_tel_data_add_dict_u64(d, "life_events", info.events);
	vf_tel_slot_stats(d, proc);
	return 0;
}

RTE_INIT(vfbc_vf_telemetry_init)
{
	rte_telemetry_register_cmd("/vfbc/vf/list", vf_tel_list,
			"Returns the net_vfbc_vf port ids. No parameters");
	rte_telemetry_register_cmd("/vfbc/vf/info", vf_tel_info,
			"Returns a VF port's index, PF, claim, link, life events and channel"
			" counters."
			" Parameters: int port_id");
}
