/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * PF services on VFs: checks that name what is wrong, a call into the
 * net_vfbc_pf API, and the result or the reason it failed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_pci.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "vfbc_testpmd.h"


static const char * const vfbc_tp_power_names[] = {
	[VFBC_PF_D0] = "d0",
	[VFBC_PF_D1] = "d1",
	[VFBC_PF_D2] = "d2",
	[VFBC_PF_D3HOT] = "d3hot",
};

static const char * const vfbc_tp_power_labels[] = {
	[VFBC_PF_D0] = "D0",
	[VFBC_PF_D1] = "D1",
	[VFBC_PF_D2] = "D2",
	[VFBC_PF_D3HOT] = "D3hot",
};

const char *
vfbc_tp_power_label(unsigned int d_state)
{
	return d_state < RTE_DIM(vfbc_tp_power_labels) ? vfbc_tp_power_labels[d_state] : "D?";
}

/* Why an API call failed, in the terms of the command that made it. */
int
vfbc_tp_vf_fail(const char *what, uint32_t port_id, uint32_t vf_id, int ret)
{
	struct vfbc_pf_vf_info info;
	struct rte_eth_dev_info dev_info;

	switch (-ret) {
	case E_RTE_SECONDARY:
		vfbc_tp_error("%s: only in the primary process", what);
		break;
	case ENODEV:
		if (rte_eth_dev_info_get(port_id, &dev_info) == 0)
			vfbc_tp_error("%s: port %u is not a vfbc PF port (driver %s)", what,
					port_id, dev_info.driver_name);
		else
			vfbc_tp_error("%s: port %u is not a vfbc PF port", what, port_id);
		break;
	case ENXIO:
		if (vf_id != VFBC_TP_NO_VF &&
				vfbc_pf_get_vf_info(port_id, vf_id, &info) == 0)
			vfbc_tp_error("%s: VF %u cannot be reached (state %s)", what, vf_id,
					vfbc_pf_vf_state_str(info.state));
		else
			vfbc_tp_error("%s: port %u: VFs cannot be reached: %s", what, port_id,
					rte_strerror(-ret));
		break;
	default:
		if (vf_id != VFBC_TP_NO_VF)
			vfbc_tp_error("%s: VF %u: %s", what, vf_id, rte_strerror(-ret));
		else
			vfbc_tp_error("%s: port %u: %s", what, port_id, rte_strerror(-ret));
		break;
	}
	return ret;
}

/* The port is a PF port of this process: the number of enabled VFs. */
int
vfbc_tp_pf_check(const char *what, uint32_t port_id)
{
	int count;

	if (vfbc_tp_port_check(port_id) < 0)
		return -ENODEV;
	count = vfbc_pf_vf_count(port_id);
	if (count < 0)
		return vfbc_tp_vf_fail(what, port_id, VFBC_TP_NO_VF, count);
	return count;
}

/* The VF exists: below NumVFs of a PF port. */
int
vfbc_tp_vf_check(const char *what, uint32_t port_id, uint32_t vf_id)
{
	int count;

	count = vfbc_tp_pf_check(what, port_id);
	if (count < 0)
		return count;
	if (count == 0) {
		vfbc_tp_error("%s: port %u has no VFs enabled (set vf num %u <n>)", what,
				port_id, port_id);
		return -ENXIO;
	}
	if (vf_id >= (uint32_t)count) {
		vfbc_tp_error("VF %u out of range (port %u has %d VF%s)", vf_id, port_id,
				count, vfbc_tp_plural(count));
		return -EINVAL;
	}
	return 0;
}

/* The byte range lies in the VF's configuration space. */
static int
vfbc_tp_vf_range_check(uint32_t port_id, uint32_t vf_id, uint32_t offset, uint32_t length)
{
	struct vfbc_pf_vf_info info;
	int ret;

	if (length == 0) {
		vfbc_tp_error("no bytes: the length must be at least 1");
		return -EINVAL;
	}
	ret = vfbc_pf_get_vf_info(port_id, vf_id, &info);
	if (ret < 0)
		return vfbc_tp_vf_fail("VF info", port_id, vf_id, ret);
	/* An unknown size is left to the driver's own check. */
	if (info.cfg_size == 0)
		return 0;
	if (offset >= info.cfg_size) {
		vfbc_tp_error("offset 0x%x beyond VF %u's config space (%u bytes)", offset,
				vf_id, info.cfg_size);
		return -EINVAL;
	}
	if (length > info.cfg_size - offset) {
		vfbc_tp_error("0x%x + %u bytes goes beyond VF %u's config space (%u bytes)",
				offset, length, vf_id, info.cfg_size);
		return -EINVAL;
	}
	return 0;
}

int
vfbc_tp_vf_list_display(uint32_t port_id)
{
	static const char what[] = "show vf list";
	struct vfbc_pf_sriov_info sriov;
	struct vfbc_pf_vf_info info;
	char pci[PCI_PRI_STR_SIZE];
	char consumer[24];
	char ids[16];
	int32_t pid;
	uint32_t vf;
	int count;
	int ret;

	count = vfbc_tp_pf_check(what, port_id);
	if (count < 0)
		return count;
	ret = vfbc_pf_get_sriov_info(port_id, &sriov);
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, VFBC_TP_NO_VF, ret);
	rte_pci_device_name(&sriov.pf_addr, pci, sizeof(pci));
	printf("Port %u (PF %s): %d of %u VFs enabled\n", port_id, pci, count,
	       sriov.total_vfs);
	printf("  %-4s %-13s %-9s %-10s %s\n", "VF", "PCI address", "IDs", "State", "Consumer");
	for (vf = 0; vf < sriov.total_vfs; vf++) {
		ret = vfbc_pf_get_vf_info(port_id, vf, &info);
		if (ret < 0)
			return vfbc_tp_vf_fail(what, port_id, vf, ret);
		if (info.state == VFBC_PF_VF_UNROUTABLE)
			snprintf(pci, sizeof(pci), "-");
		else
			rte_pci_device_name(&info.addr, pci, sizeof(pci));
		snprintf(ids, sizeof(ids), "%04x:%04x", info.vendor_id, info.device_id);
		/* Only an enabled VF of a PF with a channel can have a consumer. */
		if (vf < (uint32_t)count && vfbc_pf_vf_consumer(port_id, vf, &pid) == 0 &&
				pid > 0)
			snprintf(consumer, sizeof(consumer), "pid %d", (int)pid);
		else
			snprintf(consumer, sizeof(consumer), "-");
		printf("  %-4u %-13s %-9s %-10s %s\n", vf, pci, ids,
		       vfbc_pf_vf_state_str(info.state), consumer);
	}
	return 0;
}

static void
vfbc_tp_sriov_ctrl_display(uint16_t ctrl)
{
	printf("  Control:                  0x%04x (VF Enable %s, VF MSE %s, ARI %s)\n", ctrl,
	       ctrl & VFBC_PCI_SRIOV_CTRL_VFE ? "on" : "off",
	       ctrl & VFBC_PCI_SRIOV_CTRL_MSE ? "on" : "off",
	       ctrl & VFBC_PCI_SRIOV_CTRL_ARI ? "on" : "off");
}

int
vfbc_tp_vf_sriov_display(uint32_t port_id)
{
	static const char what[] = "show vf sriov";
	struct vfbc_pf_sriov_info s;
	char pci[PCI_PRI_STR_SIZE];
	unsigned int i;
	int ret;

	ret = vfbc_tp_pf_check(what, port_id);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_get_sriov_info(port_id, &s);
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, VFBC_TP_NO_VF, ret);
	rte_pci_device_name(&s.pf_addr, pci, sizeof(pci));
	printf("Port %u (PF %s, vendor 0x%04x): SR-IOV capability at 0x%03x\n", port_id, pci,
	       s.pf_vendor_id, s.cap_offset);
	printf("  Capabilities:             0x%08x\n", s.cap);
	vfbc_tp_sriov_ctrl_display(s.ctrl);
	printf("  Status:                   0x%04x\n", s.status);
	printf("  InitialVFs:               %u\n", s.initial_vfs);
	printf("  TotalVFs:                 %u\n", s.total_vfs);
	printf("  NumVFs:                   %u\n", s.num_vfs);
	printf("  Function Dependency Link: 0x%02x\n", s.func_link);
	printf("  First VF Offset:          %u\n", s.vf_offset);
	printf("  VF Stride:                %u\n", s.vf_stride);
	printf("  VF Device ID:             0x%04x\n", s.vf_device_id);
	printf("  Supported Page Sizes:     0x%08x\n", s.supported_page_sizes);
	printf("  System Page Size:         0x%08x\n", s.system_page_size);
	for (i = 0; i < VFBC_PF_NUM_BARS; i++)
		printf("  VF BAR%u:                  0x%08x\n", i, s.vf_bar[i]);
	printf("  max_vfs (devarg):         %u\n", s.max_vfs);
	return 0;
}

int
vfbc_tp_vf_location_display(uint32_t port_id, uint32_t vf_id)
{
	static const char what[] = "show vf location";
	struct rte_pci_addr addr;
	char pci[PCI_PRI_STR_SIZE];
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_get_vf_location(port_id, vf_id, &addr);
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	rte_pci_device_name(&addr, pci, sizeof(pci));
	printf("VF %u: %s\n", vf_id, pci);
	return 0;
}

int
vfbc_tp_vf_probed_bars_display(uint32_t port_id, uint32_t vf_id)
{
	static const char what[] = "show vf probed-bars";
	uint32_t bars[VFBC_PF_NUM_BARS];
	unsigned int i;
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_query_probed_bars(port_id, vf_id, bars);
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	printf("VF %u: probed BARs\n", vf_id);
	for (i = 0; i < VFBC_PF_NUM_BARS; i++)
		printf("  BAR%u: 0x%08x\n", i, bars[i]);
	return 0;
}

int
vfbc_tp_vf_bus_data_display(uint32_t port_id, uint32_t vf_id, uint32_t offset,
		uint32_t length)
{
	static const char what[] = "show vf bus-data";
	uint8_t bytes[VFBC_TP_VF_MAX_BYTES];
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	if (length > sizeof(bytes)) {
		vfbc_tp_error("length %u beyond the largest config space (%zu bytes)", length,
				sizeof(bytes));
		return -EINVAL;
	}
	ret = vfbc_tp_vf_range_check(port_id, vf_id, offset, length);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_read_vf_config(port_id, vf_id, bytes, offset, length);
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	printf("VF %u: %d bytes at 0x%x\n", vf_id, ret, offset);
	vfbc_tp_hex_dump(offset, bytes, ret);
	if ((uint32_t)ret != length) {
		vfbc_tp_error("%s: VF %u: short read, %d of %u bytes", what, vf_id, ret, length);
		return -EIO;
	}
	return 0;
}

int
vfbc_tp_vf_bus_data_write(uint32_t port_id, uint32_t vf_id, uint32_t offset,
		const uint8_t *bytes, uint32_t length)
{
	static const char what[] = "set vf bus-data";
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_tp_vf_range_check(port_id, vf_id, offset, length);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_write_vf_config(port_id, vf_id, bytes, offset, length);
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	if ((uint32_t)ret != length) {
		vfbc_tp_error("%s: VF %u: short write, %d of %u bytes at 0x%x", what, vf_id, ret,
				length, offset);
		return -EIO;
	}
	printf("VF %u: wrote %d bytes at 0x%x\n", vf_id, ret, offset);
	return 0;
}

int
vfbc_tp_vf_num_set(uint32_t port_id, uint32_t num_vfs)
{
	static const char what[] = "set vf num";
	struct vfbc_pf_sriov_info s;
	uint32_t limit;
	int count;
	int ret;

	count = vfbc_tp_pf_check(what, port_id);
	if (count < 0)
		return count;
	ret = num_vfs > UINT16_MAX ? -ERANGE :
		vfbc_pf_enable_virtualization(port_id, (uint16_t)num_vfs);
	switch (-ret) {
	case 0:
		if (num_vfs == 0)
			printf("Port %u: VFs disabled\n", port_id);
		else
			printf("Port %u: %u VF%s enabled\n", port_id, num_vfs,
			       vfbc_tp_plural(num_vfs));
		return 0;
	case ERANGE:
		if (vfbc_pf_get_sriov_info(port_id, &s) < 0)
			return vfbc_tp_vf_fail(what, port_id, VFBC_TP_NO_VF, ret);
		limit = RTE_MIN(s.total_vfs, s.max_vfs);
		vfbc_tp_error("%u VFs out of range (port %u allows at most %u: TotalVFs %u,"
				" max_vfs %u)", num_vfs, port_id, limit, s.total_vfs, s.max_vfs);
		return ret;
	case EBUSY:
		vfbc_tp_error("port %u already has %d VF%s enabled: disable them first"
				" (set vf num %u 0)", port_id, count, vfbc_tp_plural(count),
				port_id);
		return ret;
	case ETIMEDOUT:
		vfbc_tp_error("%s: port %u: the VFs did not %s in time", what, port_id,
				num_vfs == 0 ? "go" : "appear");
		return ret;
	default:
		return vfbc_tp_vf_fail(what, port_id, VFBC_TP_NO_VF, ret);
	}
}

int
vfbc_tp_vf_reset(uint32_t port_id, uint32_t vf_id)
{
	static const char what[] = "reset vf";
	int ret;

	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_reset_vf(port_id, vf_id);
	if (ret == -ENOTSUP) {
		vfbc_tp_error("%s: VF %u is not capable of function-level reset", what, vf_id);
		return ret;
	}
	if (ret == -ETIMEDOUT) {
		vfbc_tp_error("%s: VF %u did not answer after the reset", what, vf_id);
		return ret;
	}
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	printf("VF %u: function-level reset done\n", vf_id);
	return 0;
}

int
vfbc_tp_vf_power_set(uint32_t port_id, uint32_t vf_id, const char *state, int wake)
{
	static const char what[] = "set vf power";
	unsigned int d;
	int ret;

	for (d = 0; d < RTE_DIM(vfbc_tp_power_names); d++)
		if (strcmp(state, vfbc_tp_power_names[d]) == 0)
			break;
	if (d == RTE_DIM(vfbc_tp_power_names)) {
		vfbc_tp_error("%s: unknown power state '%s' (d0, d1, d2, d3hot)", what, state);
		return -EINVAL;
	}
	ret = vfbc_tp_vf_check(what, port_id, vf_id);
	if (ret < 0)
		return ret;
	ret = vfbc_pf_set_vf_power_state(port_id, vf_id, (uint8_t)d, wake);
	if (ret == -ENOTSUP) {
		if (wake)
			vfbc_tp_error("%s: VF %u does not support %s with wake-up (PME)", what,
					vf_id, vfbc_tp_power_labels[d]);
		else
			vfbc_tp_error("%s: VF %u does not support %s", what, vf_id,
					vfbc_tp_power_labels[d]);
		return ret;
	}
	if (ret < 0)
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	printf("VF %u: power state %s%s\n", vf_id, vfbc_tp_power_labels[d],
	       wake ? ", wake-up enabled" : "");
	return 0;
}

int
vfbc_tp_vf_secret_set(uint32_t port_id, uint32_t vf_id, const char *secret)
{
	const char *what = secret != NULL ? "set vf secret" : "clear vf secret";
	struct vfbc_pf_sriov_info s;
	size_t len = secret != NULL ? strlen(secret) : 0;
	uint32_t limit;
	int ret;

	if (len > VFBC_TP_SECRET_MAX) {
		vfbc_tp_error("%s: secret too long (%zu bytes, at most %u)", what, len,
				VFBC_TP_SECRET_MAX);
		return -EINVAL;
	}
	ret = vfbc_tp_pf_check(what, port_id);
	if (ret < 0)
		return ret;
	/* A VF not enabled yet may get its secret: the bound is the channel's. */
	ret = vf_id > UINT16_MAX ? -EINVAL :
		vfbc_pf_vf_set_secret(port_id, (uint16_t)vf_id, secret);
	switch (-ret) {
	case 0:
		/* Never the secret itself: it would end up in logs and scripts' output. */
		if (secret != NULL)
			printf("VF %u: socket secret set (%zu bytes)\n", vf_id, len);
		else
			printf("VF %u: socket secret removed\n", vf_id);
		return 0;
	case ENOTSUP:
		vfbc_tp_error("%s: port %u has no control socket (probe the PF with"
				" socket=<path>)", what, port_id);
		return ret;
	case EINVAL:
		if (vfbc_pf_get_sriov_info(port_id, &s) < 0)
			return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
		limit = RTE_MIN(s.total_vfs, s.max_vfs);
		vfbc_tp_error("VF %u out of range (port %u serves VFs 0..%d)", vf_id, port_id,
				(int)limit - 1);
		return ret;
	default:
		return vfbc_tp_vf_fail(what, port_id, vf_id, ret);
	}
}
