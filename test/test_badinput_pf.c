/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_pmd_pf.h on bad input, one row per call (see test_badinput.h).
 *
 * The world has TotalVFs 4 and NumVFs 2: VF ids 2 and 3 exist in the
 * capability (and in the channel, sized for TotalVFs) but are not enabled.
 * Block 3 of VF 0 holds 8 bytes; the extra block slots of VF 1 are all
 * bound. Ports (row field who): the PF, a VF (net_vfbc_vf), a net_null
 * vdev, an unused port id, RTE_MAX_ETHPORTS and UINT16_MAX. Phases: PH_ON
 * with the VFs enabled, then PH_OFF after vfbc_pf_enable_virtualization(0).
 * Secondary rows run in a secondary process that has the PF port. Two more
 * worlds have rows of their own: PH_256, VFs without extended config space
 * (256 bytes), and PH_NO_SRIOV, a PF whose SR-IOV capability is gone (no
 * channel).
 *
 * Fields: id = vf_id; a = offset, block id or D-state; b = length or wake;
 * v = mask, budget, state or num_vfs; ptr 1 = the buffer or output, ptr 2
 * = the second output (device_id).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>

#include <vfbc_pci_regs.h>
#include <vfbc_pmd_pf.h>

#include "test.h"
#include "test_badinput.h"
#include "test_pf_common.h"

#define PF_TOTAL_VFS 4
#define PF_NUM_VFS 2

enum { P_PF, P_VF, P_NULLDEV, P_UNUSED, P_MAX, P_U16, P_NB };
enum { PH_ON, PH_OFF, PH_256, PH_NO_SRIOV };

static uint16_t pf_ports[P_NB] = {
	[P_MAX] = RTE_MAX_ETHPORTS, [P_U16] = UINT16_MAX,
};

static uint16_t
pf_port(const struct bi_row *r)
{
	return pf_ports[r->who];
}

static uint16_t
pf_vf(const struct bi_row *r)
{
	return (uint16_t)r->id;
}

static int64_t
pf_sriov_info(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_get_sriov_info(pf_port(r), bi_ptr(r, s, 1));
}

static int64_t
pf_vf_count(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_vf_count(pf_port(r));
}

static int64_t
pf_vf_info(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_get_vf_info(pf_port(r), pf_vf(r), bi_ptr(r, s, 1));
}

/* 0 for "unknown", the documented name of a state outside the enumeration. */
static int64_t
pf_state_str(const struct bi_row *r, uint8_t *s __rte_unused)
{
	const char *name = vfbc_pf_vf_state_str((uint32_t)r->v);

	if (name != NULL && strcmp(name, "unknown") == 0)
		return 0;
	printf("vfbc_pf_vf_state_str(%u) = \"%s\"\n", (uint32_t)r->v, name ? name : "(null)");
	return 1;
}

enum {
	F_SRIOV_INFO, F_VF_COUNT, F_VF_INFO, F_STATE_STR, F_WRITE_CFG, F_READ_CFG, F_SET_BUS,
	F_GET_BUS, F_LOCATION, F_IDS, F_BARS, F_ENABLE, F_RESET, F_POWER, F_INVALIDATE,
	F_BLOCK_WRITE, F_BLOCK_READ, F_POLL, F_SERVICE_ID, F_CONSUMER, F_STATS, F_SECRET,
	F_CONSUMER_CB_REG, F_CONSUMER_CB_UNREG, F_INVALIDATE_BULK, F_POLL_ALL, F_POLL_WAIT,
	F_INVALIDATE_OTHER,
};

/* The four config-space calls share their arguments: a = offset, b = length. */
static int64_t
pf_cfg(const struct bi_row *r, uint8_t *s)
{
	uint16_t port = pf_port(r), vf = pf_vf(r);
	void *buf = bi_ptr(r, s, 1);

	switch (r->fn) {
	case F_WRITE_CFG:
		return vfbc_pf_write_vf_config(port, vf, buf, r->a, r->b);
	case F_READ_CFG:
		return vfbc_pf_read_vf_config(port, vf, buf, r->a, r->b);
	case F_SET_BUS:
		return vfbc_pf_set_vf_bus_data(port, vf, buf, r->a, r->b);
	default:
		return vfbc_pf_get_vf_bus_data(port, vf, buf, r->a, r->b);
	}
}

static int64_t
pf_location(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_get_vf_location(pf_port(r), pf_vf(r), bi_ptr(r, s, 1));
}

static int64_t
pf_ids(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_get_vf_ids(pf_port(r), pf_vf(r), bi_ptr(r, s, 1), bi_ptr(r, s, 2));
}

static int64_t
pf_bars(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_query_probed_bars(pf_port(r), pf_vf(r), bi_ptr(r, s, 1));
}

static int64_t
pf_enable(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_enable_virtualization(pf_port(r), (uint16_t)r->v);
}

static int64_t
pf_reset(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_reset_vf(pf_port(r), pf_vf(r));
}

static int64_t
pf_power(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_set_vf_power_state(pf_port(r), pf_vf(r), (uint8_t)r->a, (int)r->b);
}

static int64_t
pf_invalidate(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_invalidate_config_blocks(pf_port(r), pf_vf(r), r->v);
}

/* The inline call's driver half, called as an application could. */
static int64_t
pf_invalidate_other(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_invalidate_config_blocks_other(pf_port(r), pf_vf(r), r->v);
}

/*
 * Bulk lists, never in scratch (a refused call must leave it as it was):
 * a = n entries, VFs i % PF_NUM_VFS with mask 1, except the last: vf_id,
 * mask v. ptr 1 = the VF ids, ptr 2 = the masks (NULL or these lists).
 */
static uint16_t pf_bulk_ids[UINT16_MAX];
static uint64_t pf_bulk_masks[UINT16_MAX];

static int64_t
pf_invalidate_bulk(const struct bi_row *r, uint8_t *s __rte_unused)
{
	uint16_t n = (uint16_t)r->a;
	uint16_t i;

	for (i = 0; i < n; i++) {
		pf_bulk_ids[i] = i + 1 < n ? i % PF_NUM_VFS : pf_vf(r);
		pf_bulk_masks[i] = i + 1 < n ? 1 : r->v;
	}
	return vfbc_pf_invalidate_config_blocks_bulk(pf_port(r),
			(r->ptr & BI_NULL1) ? NULL : pf_bulk_ids,
			(r->ptr & BI_NULL2) ? NULL : pf_bulk_masks, n);
}

static int64_t
pf_block_write(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_write_config_block(pf_port(r), pf_vf(r), r->a, bi_ptr(r, s, 1), r->b);
}

static int64_t
pf_block_read(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_read_config_block(pf_port(r), pf_vf(r), r->a, bi_ptr(r, s, 1), r->b);
}

static int64_t
pf_poll(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_mbox_poll(pf_port(r), (unsigned int)r->v);
}

/* v = budget; no port: every PF port of the process. */
static int64_t
pf_poll_all(const struct bi_row *r __rte_unused, uint8_t *s __rte_unused)
{
	return vfbc_pf_mbox_poll_all((unsigned int)r->v);
}

/* v = budget, a = spin_us, b = timeout_ms (as an int). */
static int64_t
pf_poll_wait(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_mbox_poll_wait(pf_port(r), (unsigned int)r->v, (uint32_t)r->a,
				      (int)(int64_t)r->b);
}

static int64_t
pf_service_id(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_mbox_service_id(pf_port(r), bi_ptr(r, s, 1));
}

static int64_t
pf_consumer(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_vf_consumer(pf_port(r), pf_vf(r), bi_ptr(r, s, 1));
}

static int64_t
pf_stats(const struct bi_row *r, uint8_t *s)
{
	return vfbc_pf_mbox_stats(pf_port(r), pf_vf(r), bi_ptr(r, s, 1));
}

/* The secret is a string, never the scratch buffer: ptr 1 only makes it NULL. */
static int64_t
pf_secret(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_vf_set_secret(pf_port(r), pf_vf(r), (r->ptr & BI_NULL1) ? NULL : "s");
}

/* Registered by no row that succeeds: it never runs. */
static void
pf_consumer_cb_none(uint16_t port_id __rte_unused,
		    const struct vfbc_pf_consumer_event *ev __rte_unused, void *arg __rte_unused)
{
}

/* ptr 1 makes the callback NULL. */
static int64_t
pf_consumer_cb_reg(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_consumer_callback_register(pf_port(r),
			(r->ptr & BI_NULL1) ? NULL : pf_consumer_cb_none, NULL);
}

static int64_t
pf_consumer_cb_unreg(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_pf_consumer_callback_unregister(pf_port(r),
			(r->ptr & BI_NULL1) ? NULL : pf_consumer_cb_none, NULL);
}

static const struct bi_fn pf_fns[] = {
	[F_SRIOV_INFO] = { "vfbc_pf_get_sriov_info", pf_sriov_info },
	[F_VF_COUNT] = { "vfbc_pf_vf_count", pf_vf_count },
	[F_VF_INFO] = { "vfbc_pf_get_vf_info", pf_vf_info },
	[F_STATE_STR] = { "vfbc_pf_vf_state_str", pf_state_str },
	[F_WRITE_CFG] = { "vfbc_pf_write_vf_config", pf_cfg },
	[F_READ_CFG] = { "vfbc_pf_read_vf_config", pf_cfg },
	[F_SET_BUS] = { "vfbc_pf_set_vf_bus_data", pf_cfg },
	[F_GET_BUS] = { "vfbc_pf_get_vf_bus_data", pf_cfg },
	[F_LOCATION] = { "vfbc_pf_get_vf_location", pf_location },
	[F_IDS] = { "vfbc_pf_get_vf_ids", pf_ids },
	[F_BARS] = { "vfbc_pf_query_probed_bars", pf_bars },
	[F_ENABLE] = { "vfbc_pf_enable_virtualization", pf_enable },
	[F_RESET] = { "vfbc_pf_reset_vf", pf_reset },
	[F_POWER] = { "vfbc_pf_set_vf_power_state", pf_power },
	[F_INVALIDATE] = { "vfbc_pf_invalidate_config_blocks", pf_invalidate },
	[F_INVALIDATE_OTHER] = { "vfbc_pf_invalidate_config_blocks_other", pf_invalidate_other },
	[F_BLOCK_WRITE] = { "vfbc_pf_write_config_block", pf_block_write },
	[F_BLOCK_READ] = { "vfbc_pf_read_config_block", pf_block_read },
	[F_POLL] = { "vfbc_pf_mbox_poll", pf_poll },
	[F_SERVICE_ID] = { "vfbc_pf_mbox_service_id", pf_service_id },
	[F_POLL_ALL] = { "vfbc_pf_mbox_poll_all", pf_poll_all },
	[F_POLL_WAIT] = { "vfbc_pf_mbox_poll_wait", pf_poll_wait },
	[F_CONSUMER] = { "vfbc_pf_vf_consumer", pf_consumer },
	[F_STATS] = { "vfbc_pf_mbox_stats", pf_stats },
	[F_SECRET] = { "vfbc_pf_vf_set_secret", pf_secret },
	[F_CONSUMER_CB_REG] = { "vfbc_pf_consumer_callback_register", pf_consumer_cb_reg },
	[F_CONSUMER_CB_UNREG] = { "vfbc_pf_consumer_callback_unregister", pf_consumer_cb_unreg },
	[F_INVALIDATE_BULK] = { "vfbc_pf_invalidate_config_blocks_bulk", pf_invalidate_bulk },
};

#define N1 BI_NULL1
#define N2 BI_NULL2
#define ALL VFBC_PF_VF_ALL
#define EINV "vf_cfg_fail_einval"
#define ENXI "vf_cfg_fail_enxio"
#define SECO "vf_cfg_fail_secondary"

#define ROW(f, pr, ph, w, vf, a_, b_, v_, p, r_, g, fl) { .fn = F_##f, .proc = pr, .phase = ph, \
	.who = w, .id = vf, .a = a_, .b = b_, .v = v_, .ptr = p, .ret = r_, .grows = g, \
	.flags = fl, .line = __LINE__ }
/* Function, port, vf, a, b, v, NULL pointers, documented return, counters. */
#define R(f, w, vf, a, b, v, p, r, g) ROW(f, BI_PRIMARY, PH_ON, w, vf, a, b, v, p, r, g, 0)
#define OFF(f, w, vf, a, b, v, p, r, g) ROW(f, BI_PRIMARY, PH_OFF, w, vf, a, b, v, p, r, g, 0)
#define C256(f, w, vf, a, b, v, p, r, g) ROW(f, BI_PRIMARY, PH_256, w, vf, a, b, v, p, r, g, 0)
#define NOSR(f, w, vf, a, b, v, p, r, g) \
	ROW(f, BI_PRIMARY, PH_NO_SRIOV, w, vf, a, b, v, p, r, g, 0)
#define S(f, w, vf, a, b, v, p, r, g) ROW(f, BI_SECONDARY, PH_ON, w, vf, a, b, v, p, r, g, 0)
/* A call that succeeds at a bound: its output is written. */
#define OK(f, w, vf, a, b, v, p, r, g) \
	ROW(f, BI_PRIMARY, PH_ON, w, vf, a, b, v, p, r, g, BI_SUCCEEDS)
#define OK256(f, w, vf, a, b, v, p, r, g) \
	ROW(f, BI_PRIMARY, PH_256, w, vf, a, b, v, p, r, g, BI_SUCCEEDS)

/* A call with good arguments on every port that is not a net_vfbc_pf port. */
#define NOT_PF(f, vf, a, b, v, r) \
	R(f, P_VF, vf, a, b, v, 0, r, NULL), R(f, P_NULLDEV, vf, a, b, v, 0, r, NULL), \
	R(f, P_UNUSED, vf, a, b, v, 0, r, NULL), R(f, P_MAX, vf, a, b, v, 0, r, NULL), \
	R(f, P_U16, vf, a, b, v, 0, r, NULL)

/*
 * The rules every call on one VF follows (header: "Rules common to every
 * function", and vf_id below NumVFs): its other arguments good, on every
 * port that is not a PF, with VF ids NumVFs and 0xffff, from a secondary,
 * and with virtualization off.
 */
#define VF_CALL(f, a, b, v) \
	NOT_PF(f, 0, a, b, v, -ENODEV), \
	R(f, P_PF, PF_NUM_VFS, a, b, v, 0, -EINVAL, NULL), \
	R(f, P_PF, UINT16_MAX, a, b, v, 0, -EINVAL, NULL), \
	S(f, P_PF, 0, a, b, v, 0, -E_RTE_SECONDARY, NULL), \
	OFF(f, P_PF, 0, a, b, v, 0, -ENXIO, NULL)

/*
 * The four config-space calls with the same arguments: the errno flavour
 * returns err, the NDIS flavour 0, and each refusal is counted.
 */
#define CFG(M, w, vf, off, len, p, err, g) \
	M(WRITE_CFG, w, vf, off, len, 0, p, err, g), M(READ_CFG, w, vf, off, len, 0, p, err, g), \
	M(SET_BUS, w, vf, off, len, 0, p, 0, g), M(GET_BUS, w, vf, off, len, 0, p, 0, g)
#define CFG_NOT_PF(vf, off, len) \
	NOT_PF(WRITE_CFG, vf, off, len, 0, -ENODEV), NOT_PF(READ_CFG, vf, off, len, 0, -ENODEV), \
	NOT_PF(SET_BUS, vf, off, len, 0, 0), NOT_PF(GET_BUS, vf, off, len, 0, 0)

static const struct bi_row pf_rows[] = {
	NOT_PF(SRIOV_INFO, 0, 0, 0, 0, -ENODEV),
	R(SRIOV_INFO, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(SRIOV_INFO, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	S(SRIOV_INFO, P_PF, 0, 0, 0, 0, N1, -E_RTE_SECONDARY, NULL),
	S(SRIOV_INFO, P_MAX, 0, 0, 0, 0, 0, -ENODEV, NULL),

	NOT_PF(VF_COUNT, 0, 0, 0, 0, -ENODEV),
	S(VF_COUNT, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),

	NOT_PF(VF_INFO, 0, 0, 0, 0, -ENODEV),
	R(VF_INFO, P_PF, PF_TOTAL_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(VF_INFO, P_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(VF_INFO, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(VF_INFO, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	OFF(VF_INFO, P_PF, PF_TOTAL_VFS, 0, 0, 0, 0, -EINVAL, NULL),

	/* Returns 0 for "unknown". */
	R(STATE_STR, 0, 0, 0, 0, VFBC_PF_VF_UNROUTABLE + 1, 0, 0, NULL),
	R(STATE_STR, 0, 0, 0, 0, INT32_MAX, 0, 0, NULL),
	R(STATE_STR, 0, 0, 0, 0, UINT32_MAX, 0, 0, NULL),
	S(STATE_STR, 0, 0, 0, 0, UINT32_MAX, 0, 0, NULL),

	CFG_NOT_PF(0, 0x40, 4),
	CFG(R, P_PF, PF_NUM_VFS, 0x40, 4, 0, -EINVAL, EINV),
	CFG(R, P_PF, PF_TOTAL_VFS, 0x40, 4, 0, -EINVAL, EINV),
	CFG(R, P_PF, UINT16_MAX, 0x40, 4, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 0x40, 4, N1, -EINVAL, EINV),
	CFG(R, P_PF, 0, 0x40, 0, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 0, 0, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 4096, 1, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 4095, 2, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 0, 4097, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 1, 4096, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, UINT32_MAX, 1, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, UINT32_MAX - 1, 4, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 0xfffffff0, 0x20, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, 4, UINT32_MAX, 0, -EINVAL, EINV),
	CFG(R, P_PF, 0, UINT32_MAX, UINT32_MAX, 0, -EINVAL, EINV),
	CFG(S, P_PF, 0, 0x40, 4, 0, -E_RTE_SECONDARY, SECO),
	CFG(S, P_PF, UINT16_MAX, 0x40, 4, N1, -E_RTE_SECONDARY, SECO),
	CFG(S, P_PF, 0, 0xfffffff0, 0x20, 0, -E_RTE_SECONDARY, SECO),
	CFG(S, P_U16, 0, 0x40, 4, 0, -ENODEV, NULL),
	CFG(OFF, P_PF, 0, 0x40, 4, 0, -ENXIO, ENXI),
	CFG(OFF, P_PF, 1, 0, 1, 0, -ENXIO, ENXI),
	/* Reads at the bounds are good input: they read, and count it. */
	OK(READ_CFG, P_PF, 0, 4095, 1, 0, 0, 1, "vf_cfg_reads vf_cfg_read_bytes"),
	OK(GET_BUS, P_PF, 1, 0, 4096, 0, 0, 4096, "vf_cfg_reads vf_cfg_read_bytes+4096"),
	/* VFs of 256 bytes: their bound is 256. */
	CFG(C256, P_PF, 0, 256, 1, 0, -EINVAL, EINV),
	CFG(C256, P_PF, 0, 255, 2, 0, -EINVAL, EINV),
	CFG(C256, P_PF, 1, 0, 257, 0, -EINVAL, EINV),
	CFG(C256, P_PF, 1, 4095, 1, 0, -EINVAL, EINV),
	CFG(C256, P_PF, 0, 0xfffffff0, 0x20, 0, -EINVAL, EINV),
	OK256(READ_CFG, P_PF, 0, 255, 1, 0, 0, 1, "vf_cfg_reads vf_cfg_read_bytes"),
	OK256(GET_BUS, P_PF, 1, 0, 256, 0, 0, 256, "vf_cfg_reads vf_cfg_read_bytes+256"),
	/* No SR-IOV: no VF is enabled, none can be. */
	CFG(NOSR, P_PF, 0, 0x40, 4, 0, -ENXIO, ENXI),
	NOSR(VF_INFO, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	NOSR(LOCATION, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOSR(IDS, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOSR(BARS, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOSR(RESET, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOSR(POWER, P_PF, 0, VFBC_PF_D3HOT, 0, 0, 0, -ENXIO, NULL),
	/* The vocabulary's "lacks the needed capability"; the function's list omits it. */
	NOSR(ENABLE, P_PF, 0, 0, 0, 1, 0, -ENOTSUP, NULL),
	/* "A PF without SR-IOV has no channel: the functions below return -ENXIO." */
	NOSR(INVALIDATE, P_PF, 0, 0, 0, 1, 0, -ENXIO, NULL),
	NOSR(INVALIDATE_OTHER, P_PF, 0, 0, 0, 1, 0, -ENXIO, NULL),
	NOSR(INVALIDATE, P_PF, ALL, 0, 0, 1, 0, -ENXIO, NULL),
	NOSR(INVALIDATE_OTHER, P_PF, ALL, 0, 0, 1, 0, -ENXIO, NULL),
	NOSR(INVALIDATE_BULK, P_PF, 0, 1, 0, 1, 0, -ENXIO, NULL),
	NOSR(INVALIDATE_BULK, P_PF, 0, 0, 0, 1, N1 | N2, -ENXIO, NULL),
	NOSR(BLOCK_WRITE, P_PF, 0, 3, 8, 0, 0, -ENXIO, NULL),
	NOSR(BLOCK_READ, P_PF, 0, 3, 128, 0, 0, -ENXIO, NULL),
	NOSR(POLL, P_PF, 0, 0, 0, 32, 0, -ENXIO, NULL),
	NOSR(POLL_WAIT, P_PF, 0, 0, 0, 32, 0, -ENXIO, NULL),
	NOSR(SERVICE_ID, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOSR(CONSUMER, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOSR(STATS, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),

	VF_CALL(LOCATION, 0, 0, 0),
	R(LOCATION, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),

	VF_CALL(IDS, 0, 0, 0),
	R(IDS, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	R(IDS, P_PF, 0, 0, 0, 0, N2, -EINVAL, NULL),
	R(IDS, P_PF, 0, 0, 0, 0, N1 | N2, -EINVAL, NULL),

	VF_CALL(BARS, 0, 0, 0),
	R(BARS, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),

	NOT_PF(ENABLE, 0, 0, 0, 0, -ENODEV),
	NOT_PF(ENABLE, 0, 0, 0, 1, -ENODEV),
	R(ENABLE, P_PF, 0, 0, 0, 1, 0, -EBUSY, NULL),
	R(ENABLE, P_PF, 0, 0, 0, PF_NUM_VFS, 0, -EBUSY, NULL),
	R(ENABLE, P_PF, 0, 0, 0, PF_TOTAL_VFS, 0, -EBUSY, NULL),
	S(ENABLE, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	S(ENABLE, P_PF, 0, 0, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	OFF(ENABLE, P_PF, 0, 0, 0, PF_TOTAL_VFS + 1, 0, -ERANGE, NULL),
	OFF(ENABLE, P_PF, 0, 0, 0, VFBC_CHANNEL_MAX_VFS + 1, 0, -ERANGE, NULL),
	OFF(ENABLE, P_PF, 0, 0, 0, UINT16_MAX, 0, -ERANGE, NULL),

	VF_CALL(RESET, 0, 0, 0),
	R(RESET, P_PF, PF_TOTAL_VFS, 0, 0, 0, 0, -EINVAL, NULL),

	VF_CALL(POWER, VFBC_PF_D3HOT, 0, 0),
	R(POWER, P_PF, UINT16_MAX, VFBC_PF_D0, 0, 0, 0, -EINVAL, NULL),
	R(POWER, P_PF, 0, VFBC_PF_D3HOT + 1, 0, 0, 0, -EINVAL, NULL),
	R(POWER, P_PF, 0, UINT8_MAX, 0, 0, 0, -EINVAL, NULL),
	R(POWER, P_PF, 0, VFBC_PF_D0, 1, 0, 0, -EINVAL, NULL),
	R(POWER, P_PF, 0, VFBC_PF_D0, -1, 0, 0, -EINVAL, NULL),
	S(POWER, P_PF, 0, VFBC_PF_D0, 1, 0, 0, -E_RTE_SECONDARY, NULL),

	NOT_PF(INVALIDATE, 0, 0, 0, 1, -ENODEV),
	NOT_PF(INVALIDATE_OTHER, 0, 0, 0, 1, -ENODEV),
	NOT_PF(INVALIDATE, ALL, 0, 0, 1, -ENODEV),
	NOT_PF(INVALIDATE_OTHER, ALL, 0, 0, 1, -ENODEV),
	R(INVALIDATE, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE_OTHER, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE, P_PF, ALL, 0, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE_OTHER, P_PF, ALL, 0, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE, P_PF, PF_NUM_VFS, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_OTHER, P_PF, PF_NUM_VFS, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE, P_PF, PF_TOTAL_VFS, 0, 0, UINT64_MAX, 0, -EINVAL, NULL),
	R(INVALIDATE_OTHER, P_PF, PF_TOTAL_VFS, 0, 0, UINT64_MAX, 0, -EINVAL, NULL),
	R(INVALIDATE, P_PF, ALL - 1, 0, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_OTHER, P_PF, ALL - 1, 0, 0, 1, 0, -EINVAL, NULL),
	S(INVALIDATE, P_PF, 0, 0, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	S(INVALIDATE_OTHER, P_PF, 0, 0, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	S(INVALIDATE, P_PF, ALL, 0, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	S(INVALIDATE_OTHER, P_PF, ALL, 0, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	OFF(INVALIDATE, P_PF, 0, 0, 0, 1, 0, -ENXIO, NULL),
	OFF(INVALIDATE_OTHER, P_PF, 0, 0, 0, 1, 0, -ENXIO, NULL),
	OFF(INVALIDATE, P_PF, ALL, 0, 0, UINT64_MAX, 0, -ENXIO, NULL),
	OFF(INVALIDATE_OTHER, P_PF, ALL, 0, 0, UINT64_MAX, 0, -ENXIO, NULL),

	/* Bulk: a = entries, id and v = the last entry's VF and mask (the others good). */
	NOT_PF(INVALIDATE_BULK, 0, 1, 0, 1, -ENODEV),
	NOT_PF(INVALIDATE_BULK, 0, 0, 0, 1, -ENODEV),
	R(INVALIDATE_BULK, P_PF, 0, 1, 0, 1, N1, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, 0, 1, 0, 1, N2, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, 0, 3, 0, 0, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, PF_NUM_VFS, 3, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, PF_TOTAL_VFS, 3, 0, UINT64_MAX, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, ALL, 3, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, ALL, UINT16_MAX, 0, 1, 0, -EINVAL, NULL),
	R(INVALIDATE_BULK, P_PF, 1, UINT16_MAX, 0, 0, 0, -EINVAL, NULL),
	/* n == 0 on a port with VFs: succeeds, changes nothing, NULL lists or not. */
	R(INVALIDATE_BULK, P_PF, 0, 0, 0, 1, N1 | N2, 0, NULL),
	S(INVALIDATE_BULK, P_PF, 0, 1, 0, 1, 0, -E_RTE_SECONDARY, NULL),
	S(INVALIDATE_BULK, P_PF, 0, 0, 0, 1, N1 | N2, -E_RTE_SECONDARY, NULL),
	OFF(INVALIDATE_BULK, P_PF, 0, 1, 0, 1, 0, -ENXIO, NULL),
	OFF(INVALIDATE_BULK, P_PF, 0, 0, 0, 1, N1 | N2, -ENXIO, NULL),

	VF_CALL(BLOCK_WRITE, 3, 8, 0),
	R(BLOCK_WRITE, P_PF, 0, 3, VFBC_CHANNEL_BLOCK_SIZE + 1, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, P_PF, 0, 3, UINT32_MAX, 0, 0, -EINVAL, NULL),
	R(BLOCK_WRITE, P_PF, 0, 3, 8, 0, N1, -EINVAL, NULL),
	R(BLOCK_WRITE, P_PF, 1, 200, 8, 0, 0, -ENOSPC, NULL),
	R(BLOCK_WRITE, P_PF, 1, UINT32_MAX, 1, 0, 0, -ENOSPC, NULL),
	S(BLOCK_WRITE, P_PF, 0, 3, UINT32_MAX, 0, N1, -E_RTE_SECONDARY, NULL),

	VF_CALL(BLOCK_READ, 3, 128, 0),
	R(BLOCK_READ, P_PF, 0, 3, 128, 0, N1, -EINVAL, NULL),
	R(BLOCK_READ, P_PF, 0, 5, 128, 0, 0, -ENOENT, NULL),
	R(BLOCK_READ, P_PF, 0, VFBC_CHANNEL_NB_BLOCKS, 128, 0, 0, -ENOENT, NULL),
	R(BLOCK_READ, P_PF, 0, UINT32_MAX, 128, 0, 0, -ENOENT, NULL),
	R(BLOCK_READ, P_PF, 0, 3, 7, 0, 0, -ENOBUFS, NULL),
	R(BLOCK_READ, P_PF, 0, 3, 0, 0, 0, -ENOBUFS, NULL),
	S(BLOCK_READ, P_PF, 0, 5, 128, 0, N1, -E_RTE_SECONDARY, NULL),

	NOT_PF(POLL, 0, 0, 0, 32, -ENODEV),
	R(POLL, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	S(POLL, P_PF, 0, 0, 0, 32, 0, -E_RTE_SECONDARY, NULL),
	R(POLL_ALL, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	NOT_PF(POLL_WAIT, 0, 0, 0, 32, -ENODEV),
	R(POLL_WAIT, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),
	R(POLL_WAIT, P_PF, 0, 0, (uint64_t)-2, 32, 0, -EINVAL, NULL),
	R(POLL_WAIT, P_PF, 0, 0, (uint64_t)INT32_MIN, 32, 0, -EINVAL, NULL),
	S(POLL_WAIT, P_PF, 0, 0, 0, 32, 0, -E_RTE_SECONDARY, NULL),
	S(POLL_ALL, P_PF, 0, 0, 0, 32, 0, -E_RTE_SECONDARY, NULL),
	OFF(POLL, P_PF, 0, 0, 0, 0, 0, -EINVAL, NULL),

	NOT_PF(SERVICE_ID, 0, 0, 0, 0, -ENODEV),
	R(SERVICE_ID, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(SERVICE_ID, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),

	VF_CALL(CONSUMER, 0, 0, 0),
	R(CONSUMER, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),

	NOT_PF(STATS, 0, 0, 0, 0, -ENODEV),
	R(STATS, P_PF, PF_TOTAL_VFS, 0, 0, 0, 0, -EINVAL, NULL),
	R(STATS, P_PF, UINT16_MAX, 0, 0, 0, 0, -EINVAL, NULL),
	R(STATS, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(STATS, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	OFF(STATS, P_PF, PF_TOTAL_VFS, 0, 0, 0, 0, -EINVAL, NULL),

	/* Without socket= (these worlds): no secret to set; test_pf_socket.c has the rest. */
	NOT_PF(SECRET, 0, 0, 0, 0, -ENODEV),
	R(SECRET, P_PF, 0, 0, 0, 0, 0, -ENOTSUP, NULL),
	R(SECRET, P_PF, UINT16_MAX, 0, 0, 0, N1, -ENOTSUP, NULL),
	S(SECRET, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	OFF(SECRET, P_PF, 0, 0, 0, 0, 0, -ENOTSUP, NULL),
	NOSR(SECRET, P_PF, 0, 0, 0, 0, 0, -ENOTSUP, NULL),

	NOT_PF(CONSUMER_CB_REG, 0, 0, 0, 0, -ENODEV),
	R(CONSUMER_CB_REG, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(CONSUMER_CB_REG, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	NOSR(CONSUMER_CB_REG, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
	NOT_PF(CONSUMER_CB_UNREG, 0, 0, 0, 0, -ENODEV),
	R(CONSUMER_CB_UNREG, P_PF, 0, 0, 0, 0, 0, -ENOENT, NULL),
	R(CONSUMER_CB_UNREG, P_PF, 0, 0, 0, 0, N1, -EINVAL, NULL),
	S(CONSUMER_CB_UNREG, P_PF, 0, 0, 0, 0, 0, -E_RTE_SECONDARY, NULL),
	NOSR(CONSUMER_CB_UNREG, P_PF, 0, 0, 0, 0, 0, -ENXIO, NULL),
};

const struct bi_table bi_pf_table = BI_TABLE("vfbc_pmd_pf.h", pf_fns, pf_rows);

/* The unused port id and the other ports, as this process numbers them. */
static int
pf_ports_find(void)
{
	uint16_t p;

	if (rte_eth_dev_get_port_by_name(MP_PF_NAME, &pf_ports[P_PF]) != 0)
		return -1;
	p = bi_unused_port();
	pf_ports[P_UNUSED] = p;
	/* A secondary without the vdev or the VF uses the unused id for them. */
	if (rte_eth_dev_get_port_by_name("net_null0", &pf_ports[P_NULLDEV]) != 0)
		pf_ports[P_NULLDEV] = p;
	pf_ports[P_VF] = p;
	RTE_ETH_FOREACH_DEV(p) {
		struct rte_eth_dev_info info;

		if (rte_eth_dev_info_get(p, &info) == 0 &&
		    strcmp(info.driver_name, "net_vfbc_vf") == 0) {
			pf_ports[P_VF] = p;
			break;
		}
	}
	return 0;
}

static int
test_badinput_pf(void)
{
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct bi_scope scope = { .world = 1, .mz_name = "vfbc_ch_" MP_PF_NAME };
	struct vfbc_channel *ch = NULL;
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	struct mp_world w;
	unsigned int i;
	int ret;

	ret = mp_world_start(&w, "--vdev net_null0");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(pf_ports_find(), "ports");
	TEST_ASSERT(pf_ports[P_VF] != pf_ports[P_UNUSED] &&
		    pf_ports[P_NULLDEV] != pf_ports[P_UNUSED], "no VF or net_null port");
	TEST_ASSERT_EQUAL(vfbc_pf_vf_count(pf_ports[P_PF]), PF_NUM_VFS, "the rows want %u VFs",
			  PF_NUM_VFS);
	TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(pf_ports[P_PF], 0, 3, data, 8), "block 3");
	for (i = 0; i < VFBC_CHANNEL_NB_EXTRA_BLOCKS; i++)
		TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(pf_ports[P_PF], 1, 100 + i, data, 1),
				    "extra block %u", 100 + i);
	ch = vfbc_channel_attach(MP_PF_NAME);
	TEST_ASSERT_NOT_NULL(ch, "cannot attach the PF's channel");
	scope.ch = ch;
	scope.xstats_port = pf_ports[P_PF];

	ret = bi_run(&bi_pf_table, BI_PRIMARY, PH_ON, &scope, NULL);
	if (bi_remote_start(&c, "badinput_pf_secondary", "-a " MP_PF_NAME, NULL) != TEST_SUCCESS ||
	    bi_run(&bi_pf_table, BI_SECONDARY, PH_ON, &scope, &c) != TEST_SUCCESS)
		ret = TEST_FAILED;
	if (bi_remote_stop(&c) != TEST_SUCCESS)
		ret = TEST_FAILED;

	/* Virtualization off: the VF ports go first, as their devices will. */
	for (i = 0; i < w.nb_vfs; i++)
		rte_eth_dev_close(w.vf_port[i]);
	if (vfbc_pf_enable_virtualization(pf_ports[P_PF], 0) != 0) {
		printf("cannot disable virtualization\n");
		ret = TEST_FAILED;
	} else if (bi_run(&bi_pf_table, BI_PRIMARY, PH_OFF, &scope, NULL) != TEST_SUCCESS) {
		ret = TEST_FAILED;
	}
	vfbc_channel_free(ch);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(badinput_pf_autotest, test_badinput_pf,
			    "--total-vfs 4 --num-vfs 2");

/* The rows of a world of their own, in this process only. */
static int
pf_phase_run(uint8_t phase, int has_channel)
{
	struct bi_scope scope = { .world = 1 };
	struct vfbc_channel *ch = NULL;
	int ret;

	TEST_ASSERT_SUCCESS(pf_ports_find(), "ports");
	scope.xstats_port = pf_ports[P_PF];
	if (has_channel) {
		ch = vfbc_channel_attach(MP_PF_NAME);
		TEST_ASSERT_NOT_NULL(ch, "cannot attach the PF's channel");
		scope.mz_name = "vfbc_ch_" MP_PF_NAME;
		scope.ch = ch;
	}
	ret = bi_run(&bi_pf_table, BI_PRIMARY, phase, &scope, NULL);
	vfbc_channel_free(ch);
	return ret;
}

static int
test_badinput_pf_cfg256(void)
{
	struct mp_world w;
	unsigned int i;
	int ret;

	ret = mp_world_start(&w, "--vdev net_null0");
	if (ret != TEST_SUCCESS)
		return ret;
	ret = pf_phase_run(PH_256, 1);
	for (i = 0; i < w.nb_vfs; i++)
		rte_eth_dev_close(w.vf_port[i]);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(badinput_pf_cfg256_autotest, test_badinput_pf_cfg256,
			    "--total-vfs 4 --num-vfs 2 --vf-cfg-size 256");

/* Before EAL starts: the PF's extended capability list ends at once. */
static int
pf_remove_sriov(void)
{
	uint32_t zero = 0;
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/devices/%s/config", vfbc_test_world_dir(), MP_PF_NAME);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pwrite(fd, &zero, sizeof(zero), VFBC_PCI_EXT_CAP_START);
	close(fd);
	return n == sizeof(zero) ? 0 : -1;
}

static int
test_badinput_pf_no_sriov(void)
{
	uint16_t port;
	int ret;

	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	TEST_ASSERT_SUCCESS(pf_remove_sriov(), "cannot rewrite the PF's config file");
	ret = test_pf_world_start(&port, "-m 64 --vdev net_null0");
	if (ret != TEST_SUCCESS)
		return ret;
	return pf_phase_run(PH_NO_SRIOV, 0);
}

REGISTER_WORLD_TEST_COMMAND(badinput_pf_no_sriov_autotest, test_badinput_pf_no_sriov,
			    "--total-vfs 4 --num-vfs 0");

static int
test_badinput_pf_secondary(void)
{
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS)
		return ret;
	if (pf_ports_find() < 0) {
		mp_agent_send("error no PF port in the secondary");
		return TEST_FAILED;
	}
	return bi_serve(&bi_pf_table);
}

REGISTER_HIDDEN_TEST_COMMAND(badinput_pf_secondary, test_badinput_pf_secondary);
