/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * mp_acct_vf: the VF process of the accounting tests (mp stress, ring
 * full, kill). A secondary probing several VFs with -a (each one claimed at
 * probe by net_vfbc_vf); it polls them all, in turn, from its main lcore and
 * logs every delivery with its clock stamps (test_mp_account.h).
 *
 * Environment: MPA_AGENT (its index, for the mode words), MPA_GEN (its
 * incarnation, 0 for the first), MPA_FAULT (none, drop or phantom: a fault
 * injected for the checker's self-check), MPA_LIB_VFS ("first-last": VFs
 * it consumes through the channel library directly, claim and poll, the
 * calls net_vfbc_vf makes underneath; for VFs that have no ethdev port
 * because the DPDK build caps ports at RTE_MAX_ETHPORTS).
 *
 * Lines to the primary: "ready n=N vfs=F..L pid=P", then, once the primary
 * sets MPA_MODE_DRAIN: "done delivs=D polls=P cb_mismatch=M"; after that it
 * waits for "quit" ("bye", exit 0). The mode words drive it meanwhile:
 * RUN polls, HOLD polls nothing, REARM polls nothing but keeps storing
 * armed = 1 on its VFs' notify lines, as a consumer re-arming ahead of its
 * drains would: the only way a notify ring fills, since a consumer that
 * drains before it re-arms leaves at most one doorbell in it.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "test_pf_mbox_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_vf.h"

#define AGENT_WAIT_MS	120000

struct acct_port {
	uint16_t port;		/* net_vfbc_vf port, when lib is 0 */
	uint16_t vf;
	uint8_t lib;		/* 1: consumer through the channel library */
	uint8_t seen;		/* a delivery was recorded in this process */
	uint64_t cb_mask;	/* what the callback got in the last poll */
};

static struct acct_port acct_ports[MPA_MAX_VFS];
static unsigned int acct_nb;
static struct vfbc_channel *acct_ch;

static void
acct_cb(uint16_t port_id __rte_unused, uint64_t mask, void *arg)
{
	struct acct_port *p = arg;

	p->cb_mask |= mask;
}

static struct mpa_deliv *
acct_deliv_slot(struct mpa_shm *m)
{
	uint64_t idx;

	idx = __atomic_fetch_add(&m->nb_delivs, 1, __ATOMIC_RELAXED);
	if (idx >= m->delivs_cap)
		return NULL;
	return (struct mpa_deliv *)((uint8_t *)m + m->delivs_off) + idx;
}

static void
acct_record(struct mpa_shm *m, struct acct_port *p, uint64_t mask, uint64_t s, uint64_t e,
	    uint8_t flags, uint32_t gen)
{
	struct mpa_deliv *d;

	d = acct_deliv_slot(m);
	if (d == NULL)
		return;	/* the checker sees the overflow */
	d->mask = mask;
	d->s = s;
	d->e = e;
	d->vf = p->vf;
	d->gen = gen;
	d->flags = flags;
	__atomic_store_n(&d->valid, 1, __ATOMIC_RELEASE);
}

/* One stamped poll: 1 delivered (mask), 0 nothing, <0 error. */
static int
acct_poll(struct mpa_shm *m, struct acct_port *p, uint64_t *mask, uint64_t *s, uint64_t *e,
	  unsigned int *cb_mismatch)
{
	int ret;

	p->cb_mask = 0;
	*s = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
	if (p->lib)
		ret = vfbc_channel_poll_invalidations(acct_ch, p->vf, mask);
	else
		ret = vfbc_vf_poll(p->port, mask);
	*e = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
	if (ret == 1 && !p->lib && p->cb_mask != *mask)
		(*cb_mismatch)++;
	return ret;
}

static int
acct_deliver(struct mpa_shm *m, struct acct_port *p, uint32_t gen, int fault,
	     unsigned int *cb_mismatch, uint64_t *delivs)
{
	uint64_t mask, s, e;
	uint8_t flags;
	int ret;

	ret = acct_poll(m, p, &mask, &s, &e, cb_mismatch);
	if (ret != 1)
		return ret;
	if (fault == MPA_FAULT_DROP)
		mask &= ~(UINT64_C(1) << MPA_FAULT_BIT);
	if (mask == 0)
		return 1;
	flags = p->seen ? 0 : MPA_D_FIRST;
	p->seen = 1;
	acct_record(m, p, mask, s, e, flags, gen);
	(*delivs)++;
	return 1;
}

/* Poll until nothing is pending, then record that empty poll as the final one. */
static int
acct_drain(struct mpa_shm *m, struct acct_port *p, uint32_t gen, int fault, int first,
	   unsigned int *cb_mismatch, uint64_t *delivs)
{
	uint64_t mask, s, e;
	unsigned int i;
	int ret;

	do {
		ret = acct_deliver(m, p, gen, fault, cb_mismatch, delivs);
	} while (ret == 1);
	if (ret < 0)
		return ret;
	if (fault == MPA_FAULT_PHANTOM && first) {
		/* Two deliveries of a bit after every invalidate returned. */
		for (i = 0; i < 2; i++) {
			s = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
			e = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
			acct_record(m, p, UINT64_C(1) << MPA_FAULT_BIT, s, e, p->seen ? 0 :
				    MPA_D_FIRST, gen);
			p->seen = 1;
		}
	}
	ret = acct_poll(m, p, &mask, &s, &e, cb_mismatch);
	if (ret != 0)
		return ret < 0 ? ret : -EAGAIN; /* the PF is stopped: nothing may come */
	acct_record(m, p, 0, s, e, MPA_D_FINAL, gen);
	return 0;
}

static int
acct_find_ports(void)
{
	struct rte_eth_dev_info dinfo;
	struct vfbc_vf_info info;
	uint16_t p;

	acct_nb = 0;
	RTE_ETH_FOREACH_DEV(p) {
		if (rte_eth_dev_info_get(p, &dinfo) != 0 ||
				strcmp(dinfo.driver_name, "net_vfbc_vf") != 0)
			continue;
		if (vfbc_vf_get_info(p, &info) != 0 || !info.vf_id_valid || !info.claimed ||
				info.vf_id >= MPA_MAX_VFS || acct_nb == MPA_MAX_VFS) {
			mp_agent_send("error port %u: no VF id or not claimed", p);
			return -EPROTO;
		}
		acct_ports[acct_nb].port = p;
		acct_ports[acct_nb].vf = info.vf_id;
		if (vfbc_vf_invalidate_callback_register(p, acct_cb, &acct_ports[acct_nb]) != 0) {
			mp_agent_send("error port %u: callback", p);
			return -EPROTO;
		}
		acct_nb++;
	}
	return 0;
}

/* VFs first..last (env MPA_LIB_VFS="first-last") consumed through the library. */
static int
acct_claim_lib(const char *range)
{
	unsigned int first, last, vf;
	int ret;

	if (sscanf(range, "%u-%u", &first, &last) != 2 || first > last ||
			last >= MPA_MAX_VFS || acct_nb + last - first + 1 > MPA_MAX_VFS)
		return -EINVAL;
	acct_ch = vfbc_channel_attach(MP_PF_NAME);
	if (acct_ch == NULL)
		return -rte_errno;
	for (vf = first; vf <= last; vf++) {
		/* 1: taken over from a dead consumer; the first poll is the resync. */
		ret = test_mbox_claim(acct_ch, (uint16_t)vf);
		if (ret < 0) {
			mp_agent_send("error claim of VF %u: %d", vf, ret);
			return ret;
		}
		acct_ports[acct_nb].vf = (uint16_t)vf;
		acct_ports[acct_nb].lib = 1;
		acct_nb++;
	}
	return 0;
}

/* Keep the VFs armed without draining: the PF enqueues until the ring is full. */
static void
acct_rearm(struct vfbc_channel *ch)
{
	struct vfbc_ch_shm_vf *v;
	unsigned int i;

	for (i = 0; i < acct_nb; i++) {
		v = __vfbc_ch_vf(ch, acct_ports[i].vf);
		__atomic_store_n(&v->notify.armed, 1, __ATOMIC_SEQ_CST);
	}
}

static int
mp_acct_vf(void)
{
	const char *fault_s, *agent_s, *gen_s, *lib_s;
	unsigned int agent, i, cb_mismatch = 0, first_vf, last_vf;
	const struct rte_memzone *mz;
	struct vfbc_channel *ch = NULL;
	char line[MP_LINE_MAX];
	uint64_t delivs = 0, polls = 0;
	uint32_t gen, seq, acked = 0, mode = MPA_MODE_RUN;
	struct mpa_shm *m;
	int fault, ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	fault_s = mp_agent_env("MPA_FAULT");
	agent_s = mp_agent_env("MPA_AGENT");
	gen_s = mp_agent_env("MPA_GEN");
	lib_s = mp_agent_env("MPA_LIB_VFS");
	agent = agent_s != NULL ? (unsigned int)atoi(agent_s) : 0;
	gen = gen_s != NULL ? (uint32_t)atoi(gen_s) : 0;
	fault = MPA_FAULT_NONE;
	if (fault_s != NULL && strcmp(fault_s, "drop") == 0)
		fault = MPA_FAULT_DROP;
	else if (fault_s != NULL && strcmp(fault_s, "phantom") == 0)
		fault = MPA_FAULT_PHANTOM;
	mz = rte_memzone_lookup(MPA_MZ_NAME);
	if (mz == NULL || agent >= MPA_MAX_AGENTS) {
		mp_agent_send("error no log %s, or agent %u", MPA_MZ_NAME, agent);
		return TEST_FAILED;
	}
	m = mz->addr;
	if (acct_find_ports() < 0 || (lib_s != NULL && acct_claim_lib(lib_s) < 0) ||
			acct_nb == 0) {
		mp_agent_send("error no VF to consume (ports or MPA_LIB_VFS)");
		return TEST_FAILED;
	}
	first_vf = last_vf = acct_ports[0].vf;
	for (i = 0; i < acct_nb; i++) {
		first_vf = RTE_MIN(first_vf, acct_ports[i].vf);
		last_vf = RTE_MAX(last_vf, acct_ports[i].vf);
	}
	mp_agent_send("ready n=%u vfs=%u..%u pid=%d", acct_nb, first_vf, last_vf, (int)getpid());

	for (;;) {
		seq = __atomic_load_n(&m->mode_seq[agent], __ATOMIC_ACQUIRE);
		if (seq != acked) {
			mode = __atomic_load_n(&m->mode[agent], __ATOMIC_RELAXED);
			/* Acknowledged between two rounds: the new mode holds from now on. */
			__atomic_store_n(&m->mode_ack[agent], seq, __ATOMIC_RELEASE);
			acked = seq;
		}
		if (mode == MPA_MODE_DRAIN)
			break;
		if (mode == MPA_MODE_HOLD) {
			usleep(200);
			continue;
		}
		if (mode == MPA_MODE_REARM) {
			if (ch == NULL)
				ch = vfbc_channel_attach(MP_PF_NAME);
			if (ch == NULL) {
				mp_agent_send("error cannot attach the channel");
				return TEST_FAILED;
			}
			acct_rearm(ch);
			rte_pause();
			continue;
		}
		for (i = 0; i < acct_nb; i++) {
			ret = acct_deliver(m, &acct_ports[i], gen, fault, &cb_mismatch, &delivs);
			polls++;
			if (ret < 0) {
				mp_agent_send("error poll of VF %u: %d", acct_ports[i].vf, ret);
				return TEST_FAILED;
			}
		}
		__atomic_store_n(&m->agent_delivs[agent], delivs, __ATOMIC_RELAXED);
	}
	for (i = 0; i < acct_nb; i++) {
		ret = acct_drain(m, &acct_ports[i], gen, fault, i == 0, &cb_mismatch, &delivs);
		if (ret < 0) {
			mp_agent_send("error drain of VF %u: %d", acct_ports[i].vf, ret);
			return TEST_FAILED;
		}
	}
	mp_agent_send("done delivs=%" PRIu64 " polls=%" PRIu64 " cb_mismatch=%u", delivs, polls,
		      cb_mismatch);
	if (ch != NULL)
		vfbc_channel_free(ch);
	while ((ret = mp_agent_recv(line, sizeof(line), AGENT_WAIT_MS)) >= 0) {
		if (strcmp(line, "quit") == 0) {
			for (i = 0; i < acct_nb; i++)
				if (acct_ports[i].lib)
					vfbc_channel_release(acct_ch, acct_ports[i].vf);
				else
					rte_eth_dev_close(acct_ports[i].port);
			if (acct_ch != NULL)
				vfbc_channel_free(acct_ch);
			mp_agent_send("bye");
			return TEST_SUCCESS;
		}
		mp_agent_send("error unknown command: %s", line);
	}
	return TEST_FAILED;
}

REGISTER_HIDDEN_TEST_COMMAND(mp_acct_vf, mp_acct_vf);
