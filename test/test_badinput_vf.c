/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_pmd_vf.h on bad input, one row per call (see test_badinput.h).
 *
 * Three VFs, three roles, in both processes of the test: the primary holds
 * the claim of VF 0 and the secondary that of VF 2 (claimed at probe); VF 1
 * is nobody's. Row field who names the role, resolved in the process that
 * runs the row: V_MINE (the VF this process holds), V_FREE (held by nobody;
 * its callback table is full), V_THEIRS (held by the other process), and
 * ports that are not VF ports: the PF, a net_null vdev, an unused id,
 * RTE_MAX_ETHPORTS and UINT16_MAX. Block 3 of every VF holds 8 bytes; one
 * callback (cb_a, arg 0) is registered on V_MINE.
 *
 * Fields: id = block id or offset, or vfbc_vf_poll_wait()'s spin (us);
 * b = length; v = timeout (ms, as int for vfbc_vf_poll_wait()), or the
 * callback's argument; a = which callback (CB_*); ptr 1 = the buffer.
 */

#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>
#include <vfbc_pmd_vf.h>

#include "test.h"
#include "test_badinput.h"

#define VF_NUM_VFS 3
/* How long a request that should never have been sent may wait. */
#define T_MS 10

enum { V_MINE, V_FREE, V_THEIRS, V_PF, V_NULLDEV, V_UNUSED, V_MAX, V_U16, V_NB };
enum { CB_NULL, CB_A };

static uint16_t vf_ports[V_NB] = {
	[V_MAX] = RTE_MAX_ETHPORTS, [V_U16] = UINT16_MAX,
};

static void
cb_a(uint16_t port_id __rte_unused, uint64_t mask __rte_unused, void *arg __rte_unused)
{
}

static uint16_t
vf_port(const struct bi_row *r)
{
	return vf_ports[r->who];
}

static vfbc_vf_invalidate_cb_t
vf_cb(const struct bi_row *r)
{
	return r->a == CB_A ? cb_a : NULL;
}

static int64_t
vf_get_info(const struct bi_row *r, uint8_t *s)
{
	return vfbc_vf_get_info(vf_port(r), bi_ptr(r, s, 1));
}

static int64_t
vf_claim(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_vf_claim(vf_port(r));
}

static int64_t
vf_release(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_vf_release(vf_port(r));
}

static int64_t
vf_cb_register(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_vf_invalidate_callback_register(vf_port(r), vf_cb(r), (void *)(uintptr_t)r->v);
}

static int64_t
vf_cb_unregister(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_vf_invalidate_callback_unregister(vf_port(r), vf_cb(r),
						      (void *)(uintptr_t)r->v);
}

static int64_t
vf_poll(const struct bi_row *r, uint8_t *s)
{
	return vfbc_vf_poll(vf_port(r), bi_ptr(r, s, 1));
}

/* vfbc_vf_poll() past its inline check, called as an application could. */
static int64_t
vf_poll_deliver(const struct bi_row *r, uint8_t *s)
{
	return vfbc_vf_poll_deliver(vf_port(r), bi_ptr(r, s, 1));
}

/* A wait that returns at once where it may succeed (timeout 0 on V_MINE: nothing due). */
static int64_t
vf_poll_wait(const struct bi_row *r, uint8_t *s)
{
	return vfbc_vf_poll_wait(vf_port(r), bi_ptr(r, s, 1), (uint32_t)r->id, (int)r->v);
}

enum {
	F_GET_INFO, F_CLAIM, F_RELEASE, F_CB_REGISTER, F_CB_UNREGISTER, F_POLL, F_READ_BLOCK,
	F_WRITE_BLOCK, F_READ_BUS, F_WRITE_BUS, F_SERVICE_ID, F_WAKE_CB_ON, F_WAKE_CB_OFF,
	F_POLL_WAIT, F_POLL_DELIVER,
};

/* The four data calls share their arguments: id = block or offset, b = length, v = ms. */
static int64_t
vf_data(const struct bi_row *r, uint8_t *s)
{
	uint32_t id = (uint32_t)r->id, len = (uint32_t)r->b, ms = (uint32_t)r->v;
	uint16_t port = vf_port(r);
	void *buf = bi_ptr(r, s, 1);

	switch (r->fn) {
	case F_READ_BLOCK:
		return vfbc_vf_read_config_block(port, id, buf, len);
	case F_WRITE_BLOCK:
		return vfbc_vf_write_config_block(port, id, buf, len, ms);
	case F_READ_BUS:
		return vfbc_vf_read_bus_data(port, id, buf, len, ms);
	default:
		return vfbc_vf_write_bus_data(port, id, buf, len, ms);
	}
}

/* Only with a NULL id or a bad port: a good call registers the service. */
static int64_t
vf_service_id(const struct bi_row *r, uint8_t *s)
{
	return vfbc_vf_service_id(vf_port(r), bi_ptr(r, s, 1));
}

/* Only where they fail: a good call starts the callback mode. */
static int64_t
vf_wake_cb_on(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_vf_wake_callbacks_enable(vf_port(r));
}

static int64_t
vf_wake_cb_off(const struct bi_row *r, uint8_t *s __rte_unused)
{
	return vfbc_vf_wake_callbacks_disable(vf_port(r));
}

static const struct bi_fn vf_fns[] = {
	[F_GET_INFO] = { "vfbc_vf_get_info", vf_get_info },
	[F_CLAIM] = { "vfbc_vf_claim", vf_claim },
	[F_RELEASE] = { "vfbc_vf_release", vf_release },
	[F_CB_REGISTER] = { "vfbc_vf_invalidate_callback_register", vf_cb_register },
	[F_CB_UNREGISTER] = { "vfbc_vf_invalidate_callback_unregister", vf_cb_unregister },
	[F_POLL] = { "vfbc_vf_poll", vf_poll },
	[F_READ_BLOCK] = { "vfbc_vf_read_config_block", vf_data },
	[F_WRITE_BLOCK] = { "vfbc_vf_write_config_block", vf_data },
	[F_READ_BUS] = { "vfbc_vf_read_bus_data", vf_data },
	[F_WRITE_BUS] = { "vfbc_vf_write_bus_data", vf_data },
	[F_SERVICE_ID] = { "vfbc_vf_service_id", vf_service_id },
	[F_WAKE_CB_ON] = { "vfbc_vf_wake_callbacks_enable", vf_wake_cb_on },
	[F_WAKE_CB_OFF] = { "vfbc_vf_wake_callbacks_disable", vf_wake_cb_off },
	[F_POLL_WAIT] = { "vfbc_vf_poll_wait", vf_poll_wait },
	[F_POLL_DELIVER] = { "vfbc_vf_poll_deliver", vf_poll_deliver },
};

#define N1 BI_NULL1
#define BS VFBC_VF_BLOCK_SIZE

#define ROW(f, pr, w, id_, a_, b_, v_, p, r_, g, fl) { .fn = F_##f, .proc = pr, .who = w, \
	.id = id_, .a = a_, .b = b_, .v = v_, .ptr = p, .ret = r_, .grows = g, .flags = fl, \
	.line = __LINE__ }
/* Function, port role, id, a, b, v, NULL pointers, documented return, counters. */
#define R(f, w, id, a, b, v, p, r, g) ROW(f, BI_PRIMARY, w, id, a, b, v, p, r, g, 0)
#define S(f, w, id, a, b, v, p, r, g) ROW(f, BI_SECONDARY, w, id, a, b, v, p, r, g, 0)
/* The same call in both processes. */
#define RS(f, w, id, a, b, v, p, r, g) R(f, w, id, a, b, v, p, r, g), S(f, w, id, a, b, v, p, r, g)
/* A call that succeeds: its output is written. */
#define OK(M, f, w, id, a, b, v, r) ROW(f, M, w, id, a, b, v, 0, r, NULL, BI_SUCCEEDS)

/* A call with good arguments on every port that is not a net_vfbc_vf port. */
#define NOT_VF(f, id, a, b, v) \
	RS(f, V_PF, id, a, b, v, 0, -ENODEV, NULL), \
	R(f, V_NULLDEV, id, a, b, v, 0, -ENODEV, NULL), \
	R(f, V_UNUSED, id, a, b, v, 0, -ENODEV, NULL), \
	RS(f, V_MAX, id, a, b, v, 0, -ENODEV, NULL), \
	R(f, V_U16, id, a, b, v, 0, -ENODEV, NULL)

/*
 * Both bus-data requests with the same arguments: refused before anything
 * is sent, in both processes.
 */
#define BUS(w, off, len, p, r) \
	RS(READ_BUS, w, off, 0, len, T_MS, p, r, NULL), \
	RS(WRITE_BUS, w, off, 0, len, T_MS, p, r, NULL)

static const struct bi_row vf_rows[] = {
	NOT_VF(GET_INFO, 0, 0, 0, 0),
	RS(GET_INFO, V_MINE, 0, 0, 0, 0, N1, -EINVAL, NULL),
	RS(GET_INFO, V_THEIRS, 0, 0, 0, 0, N1, -EINVAL, NULL),

	NOT_VF(CLAIM, 0, 0, 0, 0),
	RS(CLAIM, V_MINE, 0, 0, 0, 0, 0, -EALREADY, NULL),
	R(CLAIM, V_THEIRS, 0, 0, 0, 0, 0, -EBUSY, "claims_refused/2 mbox_claims_refused"),
	S(CLAIM, V_THEIRS, 0, 0, 0, 0, 0, -EBUSY, "claims_refused/0 mbox_claims_refused"),

	NOT_VF(RELEASE, 0, 0, 0, 0),
	RS(RELEASE, V_FREE, 0, 0, 0, 0, 0, -EPERM, NULL),
	RS(RELEASE, V_THEIRS, 0, 0, 0, 0, 0, -EPERM, NULL),

	NOT_VF(CB_REGISTER, 0, CB_A, 0, 1),
	RS(CB_REGISTER, V_MINE, 0, CB_NULL, 0, 1, 0, -EINVAL, NULL),
	RS(CB_REGISTER, V_MINE, 0, CB_A, 0, 0, 0, -EEXIST, NULL),
	RS(CB_REGISTER, V_FREE, 0, CB_A, 0, VFBC_VF_MAX_CALLBACKS, 0, -ENOSPC, NULL),

	NOT_VF(CB_UNREGISTER, 0, CB_A, 0, 0),
	RS(CB_UNREGISTER, V_MINE, 0, CB_NULL, 0, 0, 0, -EINVAL, NULL),
	RS(CB_UNREGISTER, V_MINE, 0, CB_A, 0, 1, 0, -ENOENT, NULL),
	RS(CB_UNREGISTER, V_THEIRS, 0, CB_A, 0, 0, 0, -ENOENT, NULL),

	NOT_VF(POLL, 0, 0, 0, 0),
	RS(POLL, V_FREE, 0, 0, 0, 0, 0, -EPERM, NULL),
	RS(POLL, V_THEIRS, 0, 0, 0, 0, 0, -EPERM, NULL),
	/* block_mask may be NULL: nothing is pending. */
	RS(POLL, V_MINE, 0, 0, 0, 0, N1, 0, NULL),
	NOT_VF(POLL_DELIVER, 0, 0, 0, 0),
	RS(POLL_DELIVER, V_FREE, 0, 0, 0, 0, 0, -EPERM, NULL),
	RS(POLL_DELIVER, V_THEIRS, 0, 0, 0, 0, 0, -EPERM, NULL),
	RS(POLL_DELIVER, V_MINE, 0, 0, 0, 0, N1, 0, NULL),

	NOT_VF(READ_BLOCK, 3, 0, BS, 0),
	RS(READ_BLOCK, V_MINE, 3, 0, BS, 0, N1, -EINVAL, NULL),
	RS(READ_BLOCK, V_MINE, 5, 0, BS, 0, 0, -ENOENT, NULL),
	RS(READ_BLOCK, V_MINE, VFBC_VF_NB_BLOCKS, 0, BS, 0, 0, -ENOENT, NULL),
	RS(READ_BLOCK, V_MINE, UINT32_MAX, 0, BS, 0, 0, -ENOENT, NULL),
	RS(READ_BLOCK, V_MINE, 3, 0, 7, 0, 0, -ENOBUFS, NULL),
	RS(READ_BLOCK, V_MINE, 3, 0, 0, 0, 0, -ENOBUFS, NULL),
	/* "Needs the claim": a VF's blocks are its consumer's. */
	RS(READ_BLOCK, V_FREE, 3, 0, BS, 0, 0, -EPERM, NULL),
	RS(READ_BLOCK, V_THEIRS, 3, 0, BS, 0, 0, -EPERM, NULL),
	OK(BI_PRIMARY, READ_BLOCK, V_MINE, 3, 0, BS, 0, 8),

	NOT_VF(WRITE_BLOCK, 3, 0, 4, T_MS),
	RS(WRITE_BLOCK, V_MINE, 3, 0, 4, T_MS, N1, -EINVAL, NULL),
	RS(WRITE_BLOCK, V_MINE, 3, 0, 0, T_MS, 0, -EINVAL, NULL),
	RS(WRITE_BLOCK, V_MINE, 3, 0, BS + 1, T_MS, 0, -EINVAL, NULL),
	RS(WRITE_BLOCK, V_MINE, 3, 0, UINT32_MAX, T_MS, 0, -EINVAL, NULL),
	RS(WRITE_BLOCK, V_MINE, VFBC_VF_NB_BLOCKS, 0, 4, T_MS, 0, -ENOENT, NULL),
	RS(WRITE_BLOCK, V_MINE, UINT32_MAX, 0, 4, T_MS, 0, -ENOENT, NULL),
	RS(WRITE_BLOCK, V_FREE, 3, 0, 4, T_MS, 0, -EPERM, NULL),
	RS(WRITE_BLOCK, V_THEIRS, 3, 0, 4, T_MS, 0, -EPERM, NULL),

	NOT_VF(READ_BUS, 0, 0, 4, T_MS),
	NOT_VF(WRITE_BUS, 0x40, 0, 4, T_MS),
	BUS(V_MINE, 0, 4, N1, -EINVAL),
	BUS(V_MINE, 0, 0, 0, -EINVAL),
	BUS(V_MINE, 0, BS + 1, 0, -EINVAL),
	BUS(V_MINE, 0, UINT32_MAX, 0, -EINVAL),
	BUS(V_MINE, 4096, 1, 0, -ERANGE),
	BUS(V_MINE, 4095, 2, 0, -ERANGE),
	BUS(V_MINE, 4096 - BS + 1, BS, 0, -ERANGE),
	BUS(V_MINE, 0xfffffff0, 0x20, 0, -ERANGE),
	BUS(V_MINE, UINT32_MAX, 1, 0, -ERANGE),
	BUS(V_FREE, 0, 4, 0, -EPERM),
	BUS(V_THEIRS, 0, 4, 0, -EPERM),

	NOT_VF(SERVICE_ID, 0, 0, 0, 0),
	RS(SERVICE_ID, V_MINE, 0, 0, 0, 0, N1, -EINVAL, NULL),
	RS(SERVICE_ID, V_FREE, 0, 0, 0, 0, N1, -EINVAL, NULL),

	/* Sleep mode with callbacks: not in a process that never held the claim. */
	NOT_VF(WAKE_CB_ON, 0, 0, 0, 0),
	RS(WAKE_CB_ON, V_FREE, 0, 0, 0, 0, 0, -EPERM, NULL),
	R(WAKE_CB_ON, V_THEIRS, 0, 0, 0, 0, 0, -EPERM, NULL),
	NOT_VF(WAKE_CB_OFF, 0, 0, 0, 0),
	RS(WAKE_CB_OFF, V_MINE, 0, 0, 0, 0, 0, -ENOENT, NULL),
	RS(WAKE_CB_OFF, V_FREE, 0, 0, 0, 0, 0, -ENOENT, NULL),

	/* The adaptive wait: id = spin (us), v = timeout (ms). */
	NOT_VF(POLL_WAIT, 10, 0, 0, 0),
	RS(POLL_WAIT, V_MINE, 0, 0, 0, 0, N1, -EINVAL, NULL),
	RS(POLL_WAIT, V_MINE, 0, 0, 0, (uint64_t)-2, 0, -EINVAL, NULL),
	RS(POLL_WAIT, V_MINE, 0, 0, 0, (uint64_t)INT32_MIN, 0, -EINVAL, NULL),
	/* Not held: -EPERM at once, whatever the spin and the timeout. */
	RS(POLL_WAIT, V_FREE, 10, 0, 0, (uint64_t)-1, 0, -EPERM, NULL),
	RS(POLL_WAIT, V_THEIRS, UINT32_MAX, 0, 0, (uint64_t)-1, 0, -EPERM, NULL),
	RS(POLL_WAIT, V_FREE, 0, 0, 0, 0, N1, -EINVAL, NULL),
	/* Nothing due, no sleep: 0 after the spin. */
	RS(POLL_WAIT, V_MINE, 10, 0, 0, 0, 0, 0, NULL),
};

const struct bi_table bi_vf_table = BI_TABLE("vfbc_pmd_vf.h", vf_fns, vf_rows);

/*
 * Ports of the roles in this process: names[] are the VFs that are MINE,
 * FREE and THEIRS here. One callback on MINE, a full table on FREE.
 */
static int
vf_roles_set(const char * const names[3])
{
	unsigned int i;
	uint16_t p;

	for (i = 0; i < 3; i++)
		TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(names[i], &vf_ports[i]),
				    "no port for %s", names[i]);
	TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(MP_PF_NAME, &vf_ports[V_PF]),
			    "no PF port");
	p = bi_unused_port();
	vf_ports[V_UNUSED] = p;
	/* A secondary that did not get the vdev uses the unused id for it. */
	if (rte_eth_dev_get_port_by_name("net_null0", &vf_ports[V_NULLDEV]) != 0)
		vf_ports[V_NULLDEV] = p;
	TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(vf_ports[V_MINE], cb_a, NULL),
			    "callback");
	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++)
		TEST_ASSERT_SUCCESS(vfbc_vf_invalidate_callback_register(vf_ports[V_FREE], cb_a,
				(void *)(uintptr_t)i), "callback %u", i);
	return TEST_SUCCESS;
}

static void
vf_roles_unset(void)
{
	unsigned int i;

	vfbc_vf_invalidate_callback_unregister(vf_ports[V_MINE], cb_a, NULL);
	for (i = 0; i < VFBC_VF_MAX_CALLBACKS; i++)
		vfbc_vf_invalidate_callback_unregister(vf_ports[V_FREE], cb_a,
						       (void *)(uintptr_t)i);
}

static int
test_badinput_vf_rows(struct mp_world *w, struct mp_child *c)
{
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct bi_scope scope = { .world = 1, .mz_name = "vfbc_ch_" MP_PF_NAME };
	const char *mine[3] = { w->vf_name[0], w->vf_name[1], w->vf_name[2] };
	const char *env[4] = { NULL };
	struct vfbc_channel *ch;
	char names[3][64];
	char eal[256];
	unsigned int i;
	int ret;

	for (i = 0; i < VF_NUM_VFS; i++)
		TEST_ASSERT_SUCCESS(vfbc_pf_write_config_block(w->pf_port, i, 3, data, 8),
				    "block 3 of VF %u", i);
	TEST_ASSERT_SUCCESS(vfbc_vf_claim(w->vf_port[0]), "the primary's claim of VF 0");
	TEST_ASSERT_SUCCESS(vf_roles_set(mine), "roles");
	/* The secondary's roles are the mirror image: VF 2 is its, VF 0 ours. */
	for (i = 0; i < 3; i++) {
		snprintf(names[i], sizeof(names[i]), "BI_VF%u=%s", i, w->vf_name[2 - i]);
		env[i] = names[i];
	}
	/* It claims VF 2 at probe, and only VF 2. */
	snprintf(eal, sizeof(eal), "-a %s -a %s,claim=0 -a %s,claim=0 -a %s", MP_PF_NAME,
		 w->vf_name[0], w->vf_name[1], w->vf_name[2]);
	TEST_ASSERT_SUCCESS(bi_remote_start(c, "badinput_vf_secondary", eal, env), "secondary");
	ch = vfbc_channel_attach(MP_PF_NAME);
	TEST_ASSERT_NOT_NULL(ch, "cannot attach the PF's channel");
	scope.ch = ch;
	scope.xstats_port = w->pf_port;

	ret = bi_run(&bi_vf_table, BI_PRIMARY, 0, &scope, NULL);
	if (bi_run(&bi_vf_table, BI_SECONDARY, 0, &scope, c) != TEST_SUCCESS)
		ret = TEST_FAILED;
	vfbc_channel_free(ch);
	vf_roles_unset();
	return ret;
}

static int
test_badinput_vf(void)
{
	struct mp_child c = { .pid = -1, .to_fd = -1, .from_fd = -1 };
	struct mp_world w;
	unsigned int i;
	int ret;

	ret = mp_world_start(&w, "--vdev net_null0");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(w.nb_vfs, VF_NUM_VFS, "the rows want %u VFs", VF_NUM_VFS);
	ret = test_badinput_vf_rows(&w, &c);
	if (bi_remote_stop(&c) != TEST_SUCCESS)
		ret = TEST_FAILED;
	/* Close the VF ports (their services) before EAL cleanup. */
	for (i = 0; i < w.nb_vfs; i++)
		rte_eth_dev_close(w.vf_port[i]);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND(badinput_vf_autotest, test_badinput_vf,
			    "--total-vfs 4 --num-vfs 3");

static int
test_badinput_vf_secondary(void)
{
	const char *names[3];
	unsigned int i;
	int ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS)
		return ret;
	for (i = 0; i < 3; i++) {
		char var[16];

		snprintf(var, sizeof(var), "BI_VF%u", i);
		names[i] = mp_agent_env(var);
		if (names[i] == NULL) {
			mp_agent_send("error %s not set", var);
			return TEST_FAILED;
		}
	}
	if (vf_roles_set(names) != TEST_SUCCESS) {
		mp_agent_send("error the secondary's VF ports are not as the rows want");
		return TEST_FAILED;
	}
	ret = bi_serve(&bi_vf_table);
	vf_roles_unset();
	for (i = 0; i < 3; i++)
		rte_eth_dev_close(vf_ports[i]);
	return ret;
}

REGISTER_HIDDEN_TEST_COMMAND(badinput_vf_secondary, test_badinput_vf_secondary);
