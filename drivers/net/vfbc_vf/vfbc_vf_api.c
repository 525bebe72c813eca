/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The port-id API of vfbc_pmd_vf.h: each function finds the VF port of this
 * process, checks its arguments, and calls the driver's internal function
 * (vfbc_vf_mbox.c). Nothing inside the driver calls back here but the
 * telemetry commands, another port-id front end.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "vfbc_pmd_vf.h"
#include "vfbc_vf.h"

int
vfbc_vf_get_info(uint16_t port_id, struct vfbc_vf_info *info)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (info == NULL)
		return -EINVAL;
	vfbc_vf_mbox_info(proc, info);
	return 0;
}

int
vfbc_vf_claim(uint16_t port_id)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	return ret < 0 ? ret : vfbc_vf_mbox_claim(proc);
}

int
vfbc_vf_release(uint16_t port_id)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	return ret < 0 ? ret : vfbc_vf_mbox_release(proc);
}

int
vfbc_vf_invalidate_callback_register(uint16_t port_id, vfbc_vf_invalidate_cb_t cb, void *arg)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (cb == NULL)
		return -EINVAL;
	return vfbc_vf_mbox_cb_register(proc, cb, arg);
}

int
vfbc_vf_invalidate_callback_unregister(uint16_t port_id, vfbc_vf_invalidate_cb_t cb,
		void *arg)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (cb == NULL)
		return -EINVAL;
	return vfbc_vf_mbox_cb_unregister(proc, cb, arg);
}

/*
 * The inline vfbc_vf_poll() found its port's entry empty, or something due:
 * the port as the driver's table knows it (ethdev's own pointer agreeing),
 * the idle check again (the entry may be empty while the claim is held:
 * a publish in progress), then the delivery.
 */
int
vfbc_vf_poll_deliver(uint16_t port_id, uint64_t *block_mask)
{
	struct vfbc_vf_proc *proc = vfbc_vf_fp_proc(port_id);

	if (unlikely(proc == NULL))
		return -ENODEV;
	if (likely(vfbc_vf_mbox_poll_idle(proc)))
		return 0;
	return vfbc_vf_mbox_poll(proc, block_mask);
}

int
vfbc_vf_poll_wait(uint16_t port_id, uint64_t *block_mask, uint32_t spin_us, int timeout_ms)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (block_mask == NULL || timeout_ms < -1)
		return -EINVAL;
	return vfbc_vf_sleep_poll_wait(proc, block_mask, spin_us, timeout_ms);
}

int
vfbc_vf_read_config_block(uint16_t port_id, uint32_t block_id, void *buf, uint32_t len)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (buf == NULL)
		return -EINVAL;
	return vfbc_vf_mbox_block_read(proc, block_id, buf, len);
}

/*
 * One request of the port's VF, checked and built here: buf is the data to
 * write, or the buffer a read fills (not touched here). The PF's status.
 */
static int
vf_api_request(uint16_t port_id, uint16_t type, uint32_t target, const void *buf,
	       uint32_t len, uint32_t timeout_ms, struct vfbc_channel_resp *resp)
{
	struct vfbc_vf_proc *proc;
	struct vfbc_channel_req req;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (buf == NULL || len == 0 || len > VFBC_CHANNEL_BLOCK_SIZE)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.type = type;
	req.target = target;
	req.len = len;
	if (type != VFBC_CHANNEL_REQ_CFG_READ)
		memcpy(req.data, buf, len);
	return vfbc_vf_mbox_request(proc, &req, resp, timeout_ms);
}

int
vfbc_vf_write_config_block(uint16_t port_id, uint32_t block_id, const void *data,
		uint32_t len, uint32_t timeout_ms)
{
	struct vfbc_channel_resp resp;

	return vf_api_request(port_id, VFBC_CHANNEL_REQ_BLOCK_WRITE, block_id, data, len,
			      timeout_ms, &resp);
}

int
vfbc_vf_read_bus_data(uint16_t port_id, uint32_t offset, void *buf, uint32_t len,
		uint32_t timeout_ms)
{
	struct vfbc_channel_resp resp;
	uint32_t n;
	int ret;

	ret = vf_api_request(port_id, VFBC_CHANNEL_REQ_CFG_READ, offset, buf, len, timeout_ms,
			&resp);
	if (ret < 0)
		return ret;
	/* A short answer is a short read; never more than asked. */
	n = RTE_MIN(resp.len, len);
	memcpy(buf, resp.data, n);
	return (int)n;
}

int
vfbc_vf_write_bus_data(uint16_t port_id, uint32_t offset, const void *buf, uint32_t len,
		uint32_t timeout_ms)
{
	struct vfbc_channel_resp resp;
	int ret;

	ret = vf_api_request(port_id, VFBC_CHANNEL_REQ_CFG_WRITE, offset, buf, len, timeout_ms,
			&resp);
	return ret < 0 ? ret : (int)len;
}

int
vfbc_vf_service_id(uint16_t port_id, uint32_t *service_id)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	if (ret < 0)
		return ret;
	if (service_id == NULL)
		return -EINVAL;
	return vfbc_vf_mbox_service_id(proc, service_id);
}

int
vfbc_vf_wake_callbacks_enable(uint16_t port_id)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	return ret < 0 ? ret : vfbc_vf_wake_callbacks_on(proc);
}

int
vfbc_vf_wake_callbacks_disable(uint16_t port_id)
{
	struct vfbc_vf_proc *proc;
	int ret;

	ret = vfbc_vf_port_get(port_id, NULL, &proc);
	return ret < 0 ? ret : vfbc_vf_wake_callbacks_off(proc);
}
