/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * VF side of the mailbox, on a net_vfbc_vf port or a net_vfbc_isolated one
 * (the same VF API): read the config blocks the PF published
 * (NdisMReadConfigBlock), ask the PF to write one (NdisMWriteConfigBlock),
 * and ask it to read or write the VF's own config space (trapped
 * NdisMGetBusData / NdisMSetBusData). Requests wait for the PF's answer at
 * most --request-timeout.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pmd_vf.h>

#include "vfbc_testpmd.h"

/* The VF's config space: requests must stay inside it. */
#define VFBC_TP_VF_CFG_SIZE	4096

int
vfbc_tp_vf_port_check(const char *what, uint32_t port_id)
{
	struct rte_eth_dev_info dev_info;
	struct vfbc_vf_info info;

	if (vfbc_tp_port_check(port_id) < 0)
		return -ENODEV;
	if (vfbc_vf_get_info(port_id, &info) == 0)
		return 0;
	if (rte_eth_dev_info_get(port_id, &dev_info) == 0)
		vfbc_tp_error("%s: port %u is not a vfbc VF port (driver %s)", what, port_id,
				dev_info.driver_name);
	else
		vfbc_tp_error("%s: port %u is not a vfbc VF port", what, port_id);
	return -ENODEV;
}

int
vfbc_tp_vf_side_fail(const char *what, uint32_t port_id, int ret)
{
	struct vfbc_vf_info info;

	if (vfbc_vf_get_info(port_id, &info) != 0)
		memset(&info, 0, sizeof(info));
	switch (-ret) {
	case EPERM:
		if (!info.claimed && info.last_event == VFBC_VF_EVENT_REVOKED)
			vfbc_tp_error("%s: port %u: the PF took the VF's claim back (port reset %u"
					" claims it again)", what, port_id, port_id);
		else if (!info.claimed && info.isolated)
			vfbc_tp_error("%s: port %u: this process does not hold the VF's claim"
					" (probe the isolated port with claim=1)", what, port_id);
		else if (!info.claimed)
			vfbc_tp_error("%s: port %u: this process does not hold the VF's claim"
					" (run a secondary with -a <VF>)", what, port_id);
		else
			vfbc_tp_error("%s: port %u: refused by the PF", what, port_id);
		break;
	case ETIMEDOUT:
		vfbc_tp_error("%s: port %u: no answer from the PF within %u ms", what, port_id,
				vfbc_tp_params.request_timeout_ms);
		break;
	case ENOTCONN:
		if (info.isolated)
			vfbc_tp_error("%s: port %u: the PF closed the connection (it is gone, or"
					" took the VF back)", what, port_id);
		else
			vfbc_tp_error("%s: port %u: the primary process is gone", what, port_id);
		break;
	case ENOENT:
		vfbc_tp_error("%s: port %u: no channel to the PF (is net_vfbc_pf running in"
				" the primary?)", what, port_id);
		break;
	case ENOBUFS:
		vfbc_tp_error("%s: port %u: the request ring is full", what, port_id);
		break;
	case ERANGE:
		vfbc_tp_error("%s: port %u: beyond the VF's config space", what, port_id);
		break;
	/* The VF's life (its events tell): every call fails so until a reset. */
	case ENXIO:
		vfbc_tp_error("%s: port %u: VF disabled: the PF must enable it again", what,
				port_id);
		break;
	/* A claim's refusals (port reset). */
	case EBUSY:
		if (info.consumer_pid > 0)
			vfbc_tp_error("%s: port %u: another process holds the VF's claim (pid %d)",
					what, port_id, info.consumer_pid);
		else
			vfbc_tp_error("%s: port %u: another process holds the VF's claim", what,
					port_id);
		break;
	case EACCES:
		if (info.isolated)
			vfbc_tp_error("%s: port %u: the PF refused the claim (wrong secret?)", what,
					port_id);
		else
			vfbc_tp_error("%s: port %u: the PF refused the claim: this process does"
					" not hold the VF's device", what, port_id);
		break;
	default:
		vfbc_tp_error("%s: port %u: %s", what, port_id, strerror(-ret));
		break;
	}
	return ret;
}

/* A request's bytes: 1 to 128, inside the config space for bus data. */
static int
vfbc_tp_vf_len_check(uint32_t length)
{
	if (length == 0) {
		vfbc_tp_error("no bytes: the length must be at least 1");
		return -EINVAL;
	}
	if (length > VFBC_VF_BLOCK_SIZE) {
		vfbc_tp_error("%u bytes: a request carries at most %u", length,
				VFBC_VF_BLOCK_SIZE);
		return -EINVAL;
	}
	return 0;
}

static int
vfbc_tp_vf_range_check(uint32_t offset, uint32_t length)
{
	if (vfbc_tp_vf_len_check(length) < 0)
		return -EINVAL;
	if (offset >= VFBC_TP_VF_CFG_SIZE) {
		vfbc_tp_error("offset 0x%x beyond the config space (%u bytes)", offset,
				VFBC_TP_VF_CFG_SIZE);
		return -EINVAL;
	}
	if (length > VFBC_TP_VF_CFG_SIZE - offset) {
		vfbc_tp_error("0x%x + %u bytes goes beyond the config space (%u bytes)", offset,
				length, VFBC_TP_VF_CFG_SIZE);
		return -EINVAL;
	}
	return 0;
}

int
vfbc_tp_vf_block_read(uint32_t port_id, uint32_t block_id)
{
	static const char what[] = "read vf config-block";
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	int ret;

	ret = vfbc_tp_vf_port_check(what, port_id);
	if (ret < 0)
		return ret;
	ret = vfbc_vf_read_config_block(port_id, block_id, buf, sizeof(buf));
	if (ret == -ENOENT) {
		vfbc_tp_error("%s: port %u: block %u was never written, or there is no channel",
				what, port_id, block_id);
		return ret;
	}
	if (ret < 0)
		return vfbc_tp_vf_side_fail(what, port_id, ret);
	printf("Port %u: block %u, %d byte%s\n", port_id, block_id, ret, vfbc_tp_plural(ret));
	vfbc_tp_hex_dump(0, buf, ret);
	return 0;
}

int
vfbc_tp_vf_block_write(uint32_t port_id, uint32_t block_id, const uint8_t *bytes,
		uint32_t length)
{
	static const char what[] = "write vf config-block";
	int ret;

	ret = vfbc_tp_vf_port_check(what, port_id);
	if (ret < 0)
		return ret;
	if (vfbc_tp_vf_len_check(length) < 0)
		return -EINVAL;
	ret = vfbc_vf_write_config_block(port_id, block_id, bytes, length,
			vfbc_tp_params.request_timeout_ms);
	if (ret < 0)
		return vfbc_tp_vf_side_fail(what, port_id, ret);
	printf("Port %u: block %u written by the PF (%u byte%s)\n", port_id, block_id, length,
	       vfbc_tp_plural(length));
	return 0;
}

int
vfbc_tp_vf_bus_read(uint32_t port_id, uint32_t offset, uint32_t length)
{
	static const char what[] = "read vf bus-data";
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	int ret;

	ret = vfbc_tp_vf_port_check(what, port_id);
	if (ret < 0)
		return ret;
	if (vfbc_tp_vf_range_check(offset, length) < 0)
		return -EINVAL;
	ret = vfbc_vf_read_bus_data(port_id, offset, buf, length,
			vfbc_tp_params.request_timeout_ms);
	if (ret < 0)
		return vfbc_tp_vf_side_fail(what, port_id, ret);
	printf("Port %u: %d byte%s at 0x%x (read by the PF)\n", port_id, ret,
	       vfbc_tp_plural(ret), offset);
	vfbc_tp_hex_dump(offset, buf, ret);
	if ((uint32_t)ret != length) {
		vfbc_tp_error("%s: port %u: short read, %d of %u bytes", what, port_id, ret,
				length);
		return -EIO;
	}
	return 0;
}

int
vfbc_tp_vf_bus_write(uint32_t port_id, uint32_t offset, const uint8_t *bytes,
		uint32_t length)
{
	static const char what[] = "write vf bus-data";
	int ret;

	ret = vfbc_tp_vf_port_check(what, port_id);
	if (ret < 0)
		return ret;
	if (vfbc_tp_vf_range_check(offset, length) < 0)
		return -EINVAL;
	ret = vfbc_vf_write_bus_data(port_id, offset, bytes, length,
			vfbc_tp_params.request_timeout_ms);
	if (ret < 0)
		return vfbc_tp_vf_side_fail(what, port_id, ret);
	if ((uint32_t)ret != length) {
		vfbc_tp_error("%s: port %u: short write, %d of %u bytes at 0x%x", what, port_id,
				ret, length, offset);
		return -EIO;
	}
	printf("Port %u: wrote %d byte%s at 0x%x (through the PF)\n", port_id, ret,
	       vfbc_tp_plural(ret), offset);
	return 0;
}
