/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * mp_acct_vf: the VF process of the accounting tests (mp stress, ring
 * full, kill, soak). A secondary probing several VFs with -a (each one
 * claimed at probe by net_vfbc_vf); it polls them all, in turn, from its
 * main lcore and logs every delivery with its clock stamps
 * (test_mp_account.h).
 *
 * Environment: MPA_AGENT (its index, for the mode words), MPA_GEN (its
 * incarnation, 0 for the first), MPA_FAULT (none, drop, phantom, torn or
 * double: a fault injected for the checker's self-check), MPA_LIB_VFS
 * ("first-last": VFs it consumes through the channel library directly,
 * claim and poll, the calls net_vfbc_vf makes underneath; for VFs that have
 * no ethdev port because the DPDK build caps ports at RTE_MAX_ETHPORTS, or
 * for an agent of the library alone, with --no-pci), MPA_SEED (its random
 * choices), MPA_SOAK=1 (the soak: it also reads the data blocks of each
 * delivery and makes requests, see test_mp_agents_soak.c), MPA_SLEEP=1
 * (sleep mode: a round that delivered nothing arms every VF, the ports'
 * Rx interrupts and the library's wake sockets, and sleeps in epoll until
 * a wake, at most ACCT_SLEEP_MS; the "done" line then ends with "sleeps=S
 * wakes=W timeouts=T due=D") and MPA_DEATH=1 (the death watch, below).
 *
 * Lines to the primary: "ready n=N vfs=F..L pid=P", then, once the primary
 * sets MPA_MODE_DRAIN: "done delivs=D polls=P cb_mismatch=M again=A
 * again_ns=T" (A block reads returned -EAGAIN since the previous "done",
 * the longest of those calls took T ns); after that it waits for "quit"
 * ("bye", exit 0) or "run FAULT" (the soak's next epoch: it runs again,
 * with that fault). The mode words drive it
 * meanwhile: RUN polls, HOLD polls nothing, REARM polls nothing but keeps
 * storing armed = 1 on its VFs' notify lines, as a consumer re-arming ahead
 * of its drains would: the only way a notify ring fills, since a consumer
 * that drains before it re-arms leaves at most one doorbell in it. A soak
 * agent's drain ends with one request per VF: the PF answers a VF's
 * requests in order, so every answer due (late ones included) has then
 * been taken, and the channel's counters can be held against the logs.
 *
 * The death watch (MPA_DEATH=1, net_vfbc_vf ports only, no log): it polls
 * its ports and makes requests until each has returned -ENOTCONN (its
 * primary died; every port watches it on its own), then checks that every
 * poll, block read and request of every port returns -ENOTCONN at once,
 * says "dead first_ns=F last_ns=L via=poll|request all=A worst_us=U" (F, L:
 * CLOCK_MONOTONIC of the first port's and the last port's -ENOTCONN) and
 * closes its ports: its exit status is 0 if all of them did.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_memzone.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "test.h"
#include "test_mp_account.h"
#include "test_mp_common.h"
#include "test_pf_mbox_common.h"
#include "vfbc_channel.h"
#include "vfbc_pmd_vf.h"

#define AGENT_WAIT_MS	120000
/* The drain's last request per VF: nothing delays it but a busy machine. */
#define AGENT_SYNC_MS	10000
/* A soak agent's requests, one every 0..AGENT_REQ_GAP_US on average per agent. */
#define AGENT_REQ_GAP_US	2000

static struct mpa_port acct_ports[MPA_MAX_VFS];
static struct vfbc_channel *acct_ch;

static void
acct_cb(uint16_t port_id __rte_unused, uint64_t mask, void *arg)
{
	struct mpa_port *p = arg;

	p->cb_mask |= mask;
}

static void
acct_record(struct mpa_shm *m, struct mpa_port *p, uint64_t mask, uint64_t s, uint64_t e,
	    uint8_t flags, uint32_t gen)
{
	struct mpa_deliv *d;

	d = mpa_deliv_slot(m);
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
acct_poll(struct mpa_agent *a, struct mpa_port *p, uint64_t *mask, uint64_t *s, uint64_t *e,
	  unsigned int *cb_mismatch)
{
	struct mpa_shm *m = a->m;
	int ret;

	p->cb_mask = 0;
	*s = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
	if (p->lib)
		ret = vfbc_channel_poll_invalidations(acct_ch, p->vf, mask);
	else
		ret = vfbc_vf_poll(p->port, mask);
	/*
	 * The PF revoked the claim (its VF was disabled: -ENXIO from the
	 * PMD); off, nothing is delivered.
	 */
	if (ret == -EPERM || ret == -ENXIO) {
		if (mpa_agent_reclaim(a, p) < 0)
			ret = 0;
		else if (p->lib)
			ret = vfbc_channel_poll_invalidations(acct_ch, p->vf, mask);
		else
			ret = vfbc_vf_poll(p->port, mask);
	}
	*e = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
	if (ret == 1 && !p->lib && p->cb_mask != *mask)
		(*cb_mismatch)++;
	return ret;
}

static int
acct_deliver(struct mpa_agent *a, struct mpa_port *p, int soak, unsigned int *cb_mismatch,
	     uint64_t *delivs)
{
	uint64_t mask, got, s, e;
	uint8_t resync_due;
	uint8_t flags;
	int ret;

	ret = acct_poll(a, p, &got, &s, &e, cb_mismatch);
	if (ret != 1)
		return ret;
	mask = got;
	resync_due = p->resync_due;
	p->resync_due = 0;
	if (a->fault == MPA_FAULT_DROP)
		mask &= ~(UINT64_C(1) << MPA_FAULT_BIT);
	if (mask != 0) {
		flags = p->seen ? 0 : MPA_D_FIRST;
		if (resync_due && got == VFBC_CHANNEL_ALL_BLOCKS)
			flags |= MPA_D_RESYNC;
		p->seen = 1;
		acct_record(a->m, p, mask, s, e, flags, a->gen);
		(*delivs)++;
	}
	if (soak)
		mpa_agent_read_blocks(a, p, got, s);
	return 1;
}

/*
 * Poll until nothing is pending, then record that empty poll as the final
 * one; a soak agent first waits for the answers of its requests.
 */
static int
acct_drain(struct mpa_agent *a, struct mpa_port *p, int first, int soak,
	   unsigned int *cb_mismatch, uint64_t *delivs)
{
	struct mpa_shm *m = a->m;
	uint64_t mask, s, e;
	unsigned int i;
	int ret;

	if (soak) {
		ret = mpa_agent_request(a, p, MPA_OP_CFG_READ, AGENT_SYNC_MS);
		if (ret == -ENOTCONN)
			return ret;	/* any other outcome is the checker's to judge */
	}
	do {
		ret = acct_deliver(a, p, soak, cb_mismatch, delivs);
	} while (ret == 1);
	if (ret < 0)
		return ret;
	if (a->fault == MPA_FAULT_PHANTOM && first) {
		/* Two deliveries of a bit after every invalidate returned. */
		for (i = 0; i < 2; i++) {
			s = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
			e = __atomic_add_fetch(&m->vf[p->vf].clock, 1, __ATOMIC_SEQ_CST);
			acct_record(m, p, UINT64_C(1) << MPA_FAULT_BIT, s, e, p->seen ? 0 :
				    MPA_D_FIRST, a->gen);
			p->seen = 1;
		}
	}
	ret = acct_poll(a, p, &mask, &s, &e, cb_mismatch);
	if (ret != 0)
		return ret < 0 ? ret : -EAGAIN; /* the PF is stopped: nothing may come */
	acct_record(m, p, 0, s, e, MPA_D_FINAL, a->gen);
	return 0;
}

static int
acct_find_ports(struct mpa_agent *a)
{
	struct rte_eth_dev_info dinfo;
	struct vfbc_vf_info info;
	struct mpa_port *p;
	uint16_t port;

	a->nb_ports = 0;
	RTE_ETH_FOREACH_DEV(port) {
		if (rte_eth_dev_info_get(port, &dinfo) != 0 ||
				strcmp(dinfo.driver_name, "net_vfbc_vf") != 0)
			continue;
		if (vfbc_vf_get_info(port, &info) != 0 || !info.vf_id_valid || !info.claimed ||
				info.vf_id >= MPA_MAX_VFS || a->nb_ports == MPA_MAX_VFS) {
			mp_agent_send("error port %u: no VF id or not claimed", port);
			return -EPROTO;
		}
		p = &a->ports[a->nb_ports];
		p->port = port;
		p->vf = info.vf_id;
		if (vfbc_vf_invalidate_callback_register(port, acct_cb, p) != 0) {
			mp_agent_send("error port %u: callback", port);
			return -EPROTO;
		}
		a->nb_ports++;
	}
	return 0;
}

/* VFs first..last (env MPA_LIB_VFS="first-last") consumed through the library. */
static int
acct_claim_lib(struct mpa_agent *a, const char *range)
{
	unsigned int first, last, vf;
	struct mpa_port *p;
	int ret;

	if (sscanf(range, "%u-%u", &first, &last) != 2 || first > last ||
			last >= MPA_MAX_VFS || a->nb_ports + last - first + 1 > MPA_MAX_VFS)
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
		p = &a->ports[a->nb_ports++];
		p->vf = (uint16_t)vf;
		p->lib = 1;
		p->ch = acct_ch;
	}
	return 0;
}

/* Keep the VFs armed without draining: the PF enqueues until the ring is full. */
static void
acct_rearm(struct mpa_agent *a, struct vfbc_channel *ch)
{
	struct vfbc_channel_shm_vf *v;
	unsigned int i;

	for (i = 0; i < a->nb_ports; i++) {
		v = __vfbc_channel_vf(ch, a->ports[i].vf);
		__atomic_store_n(&v->notify.armed, 1, __ATOMIC_SEQ_CST);
	}
}

struct acct_counts {
	uint64_t delivs;
	uint64_t polls;
	unsigned int cb_mismatch;
	uint64_t sleeps, wakes, timeouts, due;	/* sleep mode */
};

/* Sleep mode (MPA_SLEEP=1): one epoll of every VF's wake source. */
#define ACCT_SLEEP_MS	20
static int acct_epfd = -1;
static int acct_wake_fds[MPA_MAX_VFS];

static int
acct_sleep_setup(struct mpa_agent *a)
{
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i;
	int fd;

	acct_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (acct_epfd < 0)
		return -errno;
	for (i = 0; i < a->nb_ports; i++) {
		/* The port's Rx vector (the primary set queue 0 up), or the library's socket. */
		fd = a->ports[i].lib ? test_mbox_wake_fd(a->ports[i].ch, a->ports[i].vf) :
			rte_eth_dev_rx_intr_ctl_q_get_fd(a->ports[i].port, 0);
		if (fd < 0)
			return fd;
		acct_wake_fds[i] = a->ports[i].lib ? fd : -1;
		ev.data.u32 = i;
		if (epoll_ctl(acct_epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			return -errno;
	}
	return 0;
}

/* Arm every VF (the first one due stops it), sleep, disarm what was armed. */
static void
acct_sleep(struct mpa_agent *a, struct acct_counts *n)
{
	struct epoll_event evs[8];
	struct mpa_port *p;
	uint8_t b[64];
	unsigned int i, armed;
	int ret = 0, k;

	for (armed = 0; armed < a->nb_ports && ret == 0; armed++) {
		p = &a->ports[armed];
		if (p->lib) {
			while (recv(acct_wake_fds[armed], b, sizeof(b), MSG_DONTWAIT) > 0)
				;
			ret = vfbc_channel_sleep_arm(p->ch, p->vf);
		} else {
			/* Something due makes the port's descriptor readable at once. */
			ret = rte_eth_dev_rx_intr_enable(p->port, 0);
		}
	}
	if (ret == 1) {
		n->due++;
	} else if (ret == 0) {
		n->sleeps++;
		k = epoll_wait(acct_epfd, evs, RTE_DIM(evs), ACCT_SLEEP_MS);
		if (k > 0)
			n->wakes++;
		else
			n->timeouts++;
	}
	for (i = 0; i < armed; i++) {
		p = &a->ports[i];
		if (p->lib)
			vfbc_channel_sleep_disarm(p->ch, p->vf);
		else
			rte_eth_dev_rx_intr_disable(p->port, 0);
	}
}

/* The mode words' loop, until the primary orders the drain. */
static int
acct_loop(struct mpa_agent *a, int soak, int sleep, uint32_t *acked, struct acct_counts *n)
{
	struct mpa_shm *m = a->m;
	uint64_t next_req = 0, now, hz;
	uint32_t seq, mode = MPA_MODE_RUN;
	struct vfbc_channel *ch = NULL;
	unsigned int i, busy;
	int ret = 0;

	hz = rte_get_timer_hz();
	for (;;) {
		seq = __atomic_load_n(&m->mode_seq[a->agent], __ATOMIC_ACQUIRE);
		if (seq != *acked) {
			mode = __atomic_load_n(&m->mode[a->agent], __ATOMIC_RELAXED);
			/* Acknowledged between two rounds: the new mode holds from now on. */
			__atomic_store_n(&m->mode_ack[a->agent], seq, __ATOMIC_RELEASE);
			*acked = seq;
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
				return -ENOENT;
			}
			acct_rearm(a, ch);
			rte_pause();
			continue;
		}
		busy = 0;
		for (i = 0; i < a->nb_ports; i++) {
			ret = acct_deliver(a, &a->ports[i], soak, &n->cb_mismatch, &n->delivs);
			n->polls++;
			if (ret < 0) {
				mp_agent_send("error poll of VF %u: %d", a->ports[i].vf, ret);
				goto out;
			}
			busy += ret;
		}
		__atomic_store_n(&m->agent_delivs[a->agent], n->delivs, __ATOMIC_RELAXED);
		if (!soak) {
			if (busy == 0 && sleep)
				acct_sleep(a, n);
			continue;
		}
		now = rte_get_timer_cycles();
		if (now >= next_req) {
			next_req = now + hz * rte_rand_max(AGENT_REQ_GAP_US) / 1000000;
			i = (unsigned int)rte_rand_max(a->nb_ports);
			ret = mpa_agent_random_request(a, &a->ports[i]);
			if (ret == -ENOTCONN) {
				mp_agent_send("error request on VF %u: the primary is gone",
					      a->ports[i].vf);
				goto out;
			}
			busy++;
		}
		/* Idle: sleep until a wake, or leave the CPUs to the others a moment. */
		if (busy == 0 && sleep)
			acct_sleep(a, n);
		else if (busy == 0)
			usleep(50);
	}
	ret = 0;
out:
	if (ch != NULL)
		vfbc_channel_free(ch);
	return ret;
}

/* Every call of p returns -ENOTCONN; *worst_ns: the slowest of them. */
static int
acct_all_dead(const struct mpa_port *p, uint64_t *worst_ns)
{
	uint8_t buf[VFBC_VF_BLOCK_SIZE];
	uint64_t t0, mask;
	int dead;

	memset(buf, 0, sizeof(buf));
	t0 = mp_now_ns();
	dead = vfbc_vf_poll(p->port, &mask) == -ENOTCONN &&
		vfbc_vf_read_config_block(p->port, 0, buf, sizeof(buf)) == -ENOTCONN &&
		vfbc_vf_read_bus_data(p->port, 0, buf, 4, AGENT_SYNC_MS) == -ENOTCONN &&
		vfbc_vf_write_config_block(p->port, MPA_VF_BLK_FIRST, buf, 4,
					   AGENT_SYNC_MS) == -ENOTCONN;
	*worst_ns = RTE_MAX(*worst_ns, mp_now_ns() - t0);
	return dead;
}

/* One call on port p that must return -ENOTCONN once the primary is gone. */
static int
acct_death_call(const struct mpa_port *p, int request)
{
	uint16_t ids[2];
	uint64_t mask;

	if (request)
		return vfbc_vf_read_bus_data(p->port, 0, ids, sizeof(ids), AGENT_SYNC_MS);
	return vfbc_vf_poll(p->port, &mask);
}

/*
 * MPA_DEATH: poll and ask until every port has said -ENOTCONN (each port
 * watches the primary on its own), then every call of every port must.
 */
static int
acct_death(struct mpa_agent *a)
{
	uint64_t dead[MPA_MAX_VFS] = { 0 }, first = UINT64_MAX, last = 0, worst = 0, deadline;
	const char *via = "poll";
	unsigned int i, left, all = 1, req;
	int ret;

	deadline = mp_now_ns() + (uint64_t)AGENT_WAIT_MS * 1000000;
	left = a->nb_ports;
	while (left > 0 && mp_now_ns() < deadline) {
		for (i = 0; i < a->nb_ports; i++) {
			if (dead[i] != 0)
				continue;
			/* Now and then a request, so that one is waiting when it happens. */
			req = (rte_rand() & 7) == 0;
			ret = acct_death_call(&a->ports[i], req);
			if (ret == -ENOTCONN) {
				dead[i] = mp_now_ns();
				if (dead[i] < first && req)
					via = "request";
				else if (dead[i] < first)
					via = "poll";
				first = RTE_MIN(first, dead[i]);
				last = RTE_MAX(last, dead[i]);
				left--;
			} else if (ret < 0) {
				mp_agent_send("error VF %u: %d with the primary alive",
					      a->ports[i].vf, ret);
				return TEST_FAILED;
			}
		}
		usleep(100);
	}
	if (left > 0) {
		mp_agent_send("error %u ports did not see the primary die in %u ms", left,
			      AGENT_WAIT_MS);
		return TEST_FAILED;
	}
	for (i = 0; i < a->nb_ports; i++)
		all &= acct_all_dead(&a->ports[i], &worst);
	mp_agent_send("dead first_ns=%" PRIu64 " last_ns=%" PRIu64 " via=%s all=%u worst_us=%"
		      PRIu64, first, last, via, all, worst / 1000);
	/* What an application does then: close the ports and exit. */
	for (i = 0; i < a->nb_ports; i++)
		rte_eth_dev_close(a->ports[i].port);
	return all ? TEST_SUCCESS : TEST_FAILED;
}

static void
acct_close(struct mpa_agent *a)
{
	unsigned int i;

	for (i = 0; i < a->nb_ports; i++)
		if (a->ports[i].lib)
			vfbc_channel_release(acct_ch, a->ports[i].vf);
		else
			rte_eth_dev_close(a->ports[i].port);
	if (acct_ch != NULL)
		vfbc_channel_free(acct_ch);
}

/*
 * The life events each port raised in this process so far, once the watch
 * had time for a last look (the PF stopped before the drain): the soak
 * holds them against its faults, the stress against none.
 */
static void
acct_life_report(struct mpa_agent *a)
{
	struct vfbc_vf_info info;
	unsigned int i, k;

	rte_delay_us_sleep(3 * VFBC_VF_LIFE_PERIOD_MS * 1000);
	for (i = 0; i < a->nb_ports; i++) {
		if (a->ports[i].lib || vfbc_vf_get_info(a->ports[i].port, &info) < 0)
			continue;
		for (k = 0; k < RTE_DIM(a->m->life[0].count); k++) {
			a->m->life[a->ports[i].vf].count[k] = info.event_count[k];
			a->m->life[a->ports[i].vf].past[k] = info.past_count[k];
		}
		/* R: pairs with the soak's acquire of gen: the counts, then gen. */
		__atomic_store_n(&a->m->life[a->ports[i].vf].gen, a->gen + 1, __ATOMIC_RELEASE);
	}
}

static int
mp_acct_vf(void)
{
	const char *fault_s, *agent_s, *gen_s, *lib_s, *soak_s, *death_s, *seed_s, *sleep_s;
	char line[MP_LINE_MAX], fault_name[16];
	const struct rte_memzone *mz;
	struct acct_counts n;
	struct mpa_agent a;
	unsigned int i, first_vf, last_vf;
	uint32_t acked = 0;
	int soak, death, sleep, ret;

	ret = mp_agent_eal_init();
	if (ret != TEST_SUCCESS) {
		mp_agent_send("error EAL: %d", ret);
		return ret;
	}
	memset(&a, 0, sizeof(a));
	a.ports = acct_ports;
	fault_s = mp_agent_env("MPA_FAULT");
	agent_s = mp_agent_env("MPA_AGENT");
	gen_s = mp_agent_env("MPA_GEN");
	lib_s = mp_agent_env("MPA_LIB_VFS");
	soak_s = mp_agent_env("MPA_SOAK");
	death_s = mp_agent_env("MPA_DEATH");
	seed_s = mp_agent_env("MPA_SEED");
	sleep_s = mp_agent_env("MPA_SLEEP");
	if (seed_s != NULL)
		rte_srand(strtoull(seed_s, NULL, 0));
	a.agent = agent_s != NULL ? (unsigned int)atoi(agent_s) : 0;
	a.gen = gen_s != NULL ? (uint32_t)atoi(gen_s) : 0;
	a.fault = fault_s != NULL ? mpa_fault_parse(fault_s) : MPA_FAULT_NONE;
	soak = soak_s != NULL && strcmp(soak_s, "1") == 0;
	death = death_s != NULL && strcmp(death_s, "1") == 0;
	sleep = sleep_s != NULL && strcmp(sleep_s, "1") == 0;
	mz = death ? NULL : rte_memzone_lookup(MPA_MZ_NAME);
	if ((mz == NULL && !death) || a.agent >= MPA_MAX_AGENTS || a.fault < 0) {
		mp_agent_send("error no log %s, agent %u or fault %s", MPA_MZ_NAME, a.agent,
			      fault_s != NULL ? fault_s : "-");
		return TEST_FAILED;
	}
	a.m = mz != NULL ? mz->addr : NULL;
	if (acct_find_ports(&a) < 0 || (lib_s != NULL && acct_claim_lib(&a, lib_s) < 0) ||
			a.nb_ports == 0 || (death && lib_s != NULL)) {
		mp_agent_send("error no VF to consume (ports or MPA_LIB_VFS)");
		return TEST_FAILED;
	}
	first_vf = last_vf = a.ports[0].vf;
	for (i = 0; i < a.nb_ports; i++) {
		first_vf = RTE_MIN(first_vf, a.ports[i].vf);
		last_vf = RTE_MAX(last_vf, a.ports[i].vf);
	}
	if (sleep && (ret = acct_sleep_setup(&a)) < 0) {
		mp_agent_send("error no sleep mode: %d", ret);
		return TEST_FAILED;
	}
	mp_agent_send("ready n=%u vfs=%u..%u pid=%d", a.nb_ports, first_vf, last_vf,
		      (int)getpid());
	if (death)
		return acct_death(&a);

	memset(&n, 0, sizeof(n));
	for (;;) {
		if (acct_loop(&a, soak, sleep, &acked, &n) < 0)
			return TEST_FAILED;
		for (i = 0; i < a.nb_ports; i++) {
			ret = acct_drain(&a, &a.ports[i], i == 0, soak, &n.cb_mismatch, &n.delivs);
			if (ret < 0) {
				mp_agent_send("error drain of VF %u: %d", a.ports[i].vf, ret);
				return TEST_FAILED;
			}
		}
		acct_life_report(&a);
		mp_agent_send("done delivs=%" PRIu64 " polls=%" PRIu64 " cb_mismatch=%u again=%"
			      PRIu64 " again_ns=%" PRIu64 " sleeps=%" PRIu64 " wakes=%" PRIu64
			      " timeouts=%" PRIu64 " due=%" PRIu64, n.delivs, n.polls,
			      n.cb_mismatch, a.again, a.again_ns, n.sleeps, n.wakes, n.timeouts,
			      n.due);
		a.again = a.again_ns = 0;
		while ((ret = mp_agent_recv(line, sizeof(line), AGENT_WAIT_MS)) >= 0) {
			if (strcmp(line, "quit") == 0) {
				acct_close(&a);
				mp_agent_send("bye");
				return TEST_SUCCESS;
			}
			if (sscanf(line, "run %15s", fault_name) == 1 &&
					mpa_fault_parse(fault_name) >= 0) {
				a.fault = mpa_fault_parse(fault_name);
				a.fault_done = 0;
				/* They point into the logs, emptied since. */
				for (i = 0; i < a.nb_ports; i++)
					a.ports[i].nb_late = 0;
				break;
			}
			mp_agent_send("error unknown command: %s", line);
		}
		if (ret < 0)
			return TEST_FAILED;
	}
}

REGISTER_HIDDEN_TEST_COMMAND(mp_acct_vf, mp_acct_vf);
