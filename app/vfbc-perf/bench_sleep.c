/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The VF PMD's sleep mode (Rx interrupts, doc/guides/nics/vfbc_vf.rst),
 * between the PF primary and VF process 0 on VF 0's port:
 *
 * - wake-up: the VF process arms (rte_eth_dev_rx_intr_enable()), says so,
 *   and sleeps in rte_epoll_wait(); the PF waits a while, so that the VF
 *   is asleep in the kernel, takes the TSC and invalidates; the VF takes
 *   the TSC when the wait returns, disarms and takes the mask. Against a
 *   pipe between the same two processes, run the same way: the VF sleeps
 *   in rte_epoll_wait() on the pipe, the PF writes one byte. The two
 *   alternate in chunks, as the latencies do, so that both see the same
 *   placement over the run; one shared TSC times both;
 * - idle: the VF process arms and sleeps with nothing due; its CPU time
 *   (every thread: getrusage()) over the wall time.
 *
 * Rx interrupts are a configured queue's: the primary owns the port's
 * configuration, as in any DPDK application, and sets up queue 0 once
 * (vfbc_perf_sleep_setup()).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/resource.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_mbuf.h>

#include "perf.h"

/*
 * The PF's wait between the VF's "armed" and its wake-up, in us: long
 * enough for the VF to be asleep in the kernel, which the VF cannot say.
 */
#define VFBC_PERF_SLEEP_GAP_US 300
/* How long the VF sleeps at most for one wake-up, in ms. */
#define VFBC_PERF_SLEEP_WAIT_MS (VFBC_PERF_PEER_TIMEOUT_S * 1000)

/* The mechanism of a VFBC_PERF_CMD_SLEEP_WAKE chunk (ctl arg). */
enum vfbc_perf_wake {
	VFBC_PERF_WAKE_PIPE = 0,
	VFBC_PERF_WAKE_VFBC = 1,
};

static const char *const vfbc_perf_wake_names[] = {
	[VFBC_PERF_WAKE_PIPE] = "pipe",
	[VFBC_PERF_WAKE_VFBC] = "vfbc sleep mode",
};

/* Why the sleep mode cannot be measured, or NULL. */
static const char *
vfbc_perf_sleep_unfit(void)
{
	const struct vfbc_perf_ctl *c = vfbc_perf_ctl;

	if (c->drv_nb_vfs == 0 || c->vf_port[0] == VFBC_PERF_NO_PORT)
		return "VF 0 has no net_vfbc_vf port";
	return NULL;
}

/* In the primary: VF 0's port with one Rx queue, started. */
int
vfbc_perf_sleep_setup(struct vfbc_perf_results *r)
{
	uint16_t port = vfbc_perf_ctl->vf_port[0];
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	const char *why;
	int ret;

	why = vfbc_perf_sleep_unfit();
	if (why != NULL) {
		snprintf(r->sleep_wake.why, sizeof(r->sleep_wake.why), "%s", why);
		snprintf(r->pipe_wake.why, sizeof(r->pipe_wake.why), "%s", why);
		snprintf(r->sleep_idle_why, sizeof(r->sleep_idle_why), "%s", why);
		return 0;
	}
	memset(&conf, 0, sizeof(conf));
	conf.intr_conf.rxq = 1;
	/* The queue needs a pool; the VF PMD receives no packet from it. */
	mp = rte_pktmbuf_pool_create("vfbc_perf_sleep", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
			SOCKET_ID_ANY);
	if (mp == NULL)
		return -rte_errno;
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0)
		fprintf(stderr, "vfbc-perf: cannot start VF port %u for the sleep mode: %s\n",
				port, strerror(-ret));
	return ret;
}

/*
 * Spin until *p >= v; -ETIMEDOUT after 5 s. Not an equality: the VF says
 * "woken" and, at once, "armed" again, and a spin for the first value may
 * never see it.
 */
static int
vfbc_perf_spin_ge(const uint64_t *p, uint64_t v)
{
	unsigned int k = 0;
	uint64_t t = 0;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < v)
		if (vfbc_perf_spin_expired(&k, &t))
			return -ETIMEDOUT;
	return 0;
}

/* One chunk of n wake-ups of one mechanism, stored at off in the arrays. */
static int
vfbc_perf_pf_wake_chunk(struct vfbc_perf_results *r, enum vfbc_perf_wake how, unsigned int n,
		unsigned int off)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t *t0 = vfbc_perf_samples[how == VFBC_PERF_WAKE_VFBC ? VFBC_PERF_A_DRV_T0 :
			VFBC_PERF_A_CL_T0] + off;
	unsigned int warm = RTE_MAX(n / 10, 10u);
	uint64_t start, m, bits = 0;
	unsigned int i;
	uint8_t b;
	int ret = 0;

	c->level = VFBC_PERF_DRIVER;
	c->nb_vfs = 1;
	c->seed = rte_rdtsc();
	c->nb_samples = n;
	c->sample_off = off;
	c->arg = how;
	vfbc_perf_cmd_start(VFBC_PERF_CMD_SLEEP_WAKE, 1);
	for (i = 0; i < warm + n; i++) {
		/* Odd: armed, about to sleep; even: woken, took it. */
		ret = vfbc_perf_spin_ge(&c->pong.v, 2 * i + 1);
		if (ret != 0) {
			ret = vfbc_perf_peer_dead("the VF to arm");
			break;
		}
		rte_delay_us_sleep(VFBC_PERF_SLEEP_GAP_US);
		m = vfbc_perf_mask(c->seed, i);
		b = (uint8_t)i;
		start = rte_rdtsc();
		if (how == VFBC_PERF_WAKE_VFBC)
			ret = vfbc_pf_invalidate_config_blocks(c->pf_port, 0, m);
		else
			ret = write(c->pipe_fd[0], &b, 1) == 1 ? 0 : -errno;
		if (ret != 0)
			break;
		if (how == VFBC_PERF_WAKE_VFBC)
			bits += __builtin_popcountll(m);
		ret = vfbc_perf_spin_ge(&c->pong.v, 2 * i + 2);
		if (ret != 0) {
			ret = vfbc_perf_peer_dead("the VF to wake up");
			break;
		}
		if (i >= warm)
			t0[i - warm] = start;
	}
	if (ret != 0)
		__atomic_store_n(&c->stop.v, 1, __ATOMIC_RELEASE);
	if (vfbc_perf_cmd_wait(10) != 0 && ret == 0)
		ret = -EIO;
	/* The invalidations are the driver level's: its accounting judges them. */
	vfbc_perf_account_sent(r, VFBC_PERF_DRIVER, bits);
	return ret;
}

/* t1 - t0 of the pooled chunks of one mechanism. */
static void
vfbc_perf_wake_result(struct vfbc_perf_dist *d, enum vfbc_perf_wake how, unsigned int n)
{
	int vfbc = how == VFBC_PERF_WAKE_VFBC;
	uint64_t *t0 = vfbc_perf_samples[vfbc ? VFBC_PERF_A_DRV_T0 : VFBC_PERF_A_CL_T0];
	uint64_t *t1 = vfbc_perf_samples[vfbc ? VFBC_PERF_A_DRV_T1 : VFBC_PERF_A_CL_T1];
	unsigned int i;

	for (i = 0; i < n; i++)
		t0[i] = (int64_t)(t1[i] - t0[i]) < 0 ? 0 : t1[i] - t0[i];
	vfbc_perf_dist_from_cycles(d, t0, n, vfbc_perf_ctl->tsc_hz, 1);
}

int
vfbc_perf_pf_sleep_wake(struct vfbc_perf_results *r, unsigned int n)
{
	unsigned int chunk;
	unsigned int k;
	int ret;

	if (vfbc_perf_sleep_unfit() != NULL)
		return 0;
	/* No more than the sample arrays hold (--samples sizes them). */
	chunk = RTE_MIN(n, vfbc_perf_ctl->sample_cap) / VFBC_PERF_SLEEP_CHUNKS;
	if (chunk == 0)
		return -EINVAL;
	for (k = 0; k < VFBC_PERF_SLEEP_CHUNKS; k++) {
		ret = vfbc_perf_pf_wake_chunk(r, VFBC_PERF_WAKE_VFBC, chunk, k * chunk);
		if (ret == 0)
			ret = vfbc_perf_pf_wake_chunk(r, VFBC_PERF_WAKE_PIPE, chunk, k * chunk);
		if (ret != 0)
			return ret;
	}
	vfbc_perf_wake_result(&r->sleep_wake, VFBC_PERF_WAKE_VFBC, chunk * VFBC_PERF_SLEEP_CHUNKS);
	vfbc_perf_wake_result(&r->pipe_wake, VFBC_PERF_WAKE_PIPE, chunk * VFBC_PERF_SLEEP_CHUNKS);
	return 0;
}

/* Arm VF port's queue 0 (in this thread's epoll), or the pipe: 0 or a negative errno. */
static int
vfbc_perf_vf_arm(enum vfbc_perf_wake how, uint16_t port)
{
	uint64_t m;
	int ret;

	if (how == VFBC_PERF_WAKE_PIPE)
		return 0;
	/* Nothing is due: the PF invalidates only once the VF is armed. */
	ret = vfbc_vf_poll(port, &m);
	if (ret != 0)
		return ret < 0 ? ret : -EPROTO;
	return rte_eth_dev_rx_intr_enable(port, 0);
}

/* Disarm and take what woke the VF: its bits, or the pipe's byte. */
static int
vfbc_perf_vf_take(struct vfbc_perf_proc *me, enum vfbc_perf_wake how, uint16_t port,
		uint64_t want)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint64_t got = 0, m;
	uint8_t b;
	int ret;

	if (how == VFBC_PERF_WAKE_PIPE) {
		if (read(c->pipe_fd[2], &b, 1) != 1)
			return -EIO;
		return b == (uint8_t)want ? 0 : -EPROTO;
	}
	rte_eth_dev_rx_intr_disable(port, 0);
	while ((ret = vfbc_vf_poll(port, &m)) == 1) {
		got |= m;
		me->deliveries++;
	}
	me->bits_delivered += __builtin_popcountll(got);
	me->bits_lost += __builtin_popcountll(want & ~got);
	me->phantom_bits += __builtin_popcountll(got & ~want);
	return ret;
}

int
vfbc_perf_vf_sleep_wake(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	enum vfbc_perf_wake how = c->arg;
	uint16_t port = c->vf_port[0];
	unsigned int n = c->nb_samples;
	unsigned int warm = RTE_MAX(n / 10, 10u);
	uint64_t *t1 = vfbc_perf_samples[how == VFBC_PERF_WAKE_VFBC ? VFBC_PERF_A_DRV_T1 :
			VFBC_PERF_A_CL_T1] + c->sample_off;
	static struct rte_epoll_event pev;
	struct rte_epoll_event ev;
	uint64_t ts;
	unsigned int i;
	int epfd, ret;

	/* Both wait in rte_epoll_wait(): the port's queue 0, or the pipe. */
	if (how == VFBC_PERF_WAKE_VFBC) {
		epfd = RTE_EPOLL_PER_THREAD;
		ret = rte_eth_dev_rx_intr_ctl_q(port, 0, epfd, RTE_INTR_EVENT_ADD, NULL);
	} else {
		epfd = epoll_create1(EPOLL_CLOEXEC);
		if (epfd < 0)
			return -errno;
		memset(&pev, 0, sizeof(pev));
		pev.epdata.event = EPOLLIN;
		ret = rte_epoll_ctl(epfd, EPOLL_CTL_ADD, c->pipe_fd[2], &pev);
	}
	for (i = 0; ret == 0 && i < warm + n; i++) {
		ret = vfbc_perf_vf_arm(how, port);
		if (ret != 0)
			break;
		__atomic_store_n(&c->pong.v, 2 * i + 1, __ATOMIC_RELEASE);
		ret = rte_epoll_wait(epfd, &ev, 1, VFBC_PERF_SLEEP_WAIT_MS);
		ts = rte_rdtsc();
		if (ret <= 0) {
			if (__atomic_load_n(&c->stop.v, __ATOMIC_ACQUIRE) == 0)
				fprintf(stderr, "vfbc-perf: %s: no wake-up (%d)\n",
						vfbc_perf_wake_names[how], ret);
			ret = ret < 0 ? ret : -ETIMEDOUT;
			break;
		}
		ret = vfbc_perf_vf_take(me, how, port, how == VFBC_PERF_WAKE_VFBC ?
				vfbc_perf_mask(c->seed, i) : (uint8_t)i);
		if (ret != 0)
			break;
		if (i >= warm)
			t1[i - warm] = ts;
		__atomic_store_n(&c->pong.v, 2 * i + 2, __ATOMIC_RELEASE);
	}
	if (how == VFBC_PERF_WAKE_VFBC) {
		rte_eth_dev_rx_intr_disable(port, 0);
		rte_eth_dev_rx_intr_ctl_q(port, 0, epfd, RTE_INTR_EVENT_DEL, NULL);
	} else {
		rte_epoll_ctl(epfd, EPOLL_CTL_DEL, c->pipe_fd[2], &pev);
		close(epfd);
	}
	return ret;
}

/*
 * The idle cost: the VF process asleep, armed, nothing due, for arg ms;
 * nothing may wake it (the PF sends nothing).
 */
int
vfbc_perf_pf_sleep_idle(struct vfbc_perf_results *r, double seconds)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	int ret;

	if (vfbc_perf_sleep_unfit() != NULL)
		return 0;
	c->arg = (uint32_t)(seconds * 1000);
	vfbc_perf_cmd_start(VFBC_PERF_CMD_SLEEP_IDLE, 1);
	ret = vfbc_perf_cmd_wait(seconds + 10);
	if (ret != 0) {
		snprintf(r->sleep_idle_why, sizeof(r->sleep_idle_why), "failed: %s",
				strerror(-ret));
		return ret;
	}
	r->sleep_idle_cpu_s = c->proc[0].cpu_s;
	r->sleep_idle_wall_s = c->proc[0].wall_s;
	r->sleep_idle_ports = c->proc[0].pmd_vfs;
	r->sleep_idle_valid = r->sleep_idle_wall_s > 0;
	return 0;
}

static double
vfbc_perf_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int
vfbc_perf_vf_sleep_idle(struct vfbc_perf_proc *me)
{
	struct vfbc_perf_ctl *c = vfbc_perf_ctl;
	uint16_t port = c->vf_port[0];
	struct rte_epoll_event ev;
	double cpu0;
	uint64_t t0;
	int ret, n;

	me->cpu_s = 0;
	me->wall_s = 0;
	ret = rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD,
			NULL);
	if (ret == 0)
		ret = vfbc_perf_vf_arm(VFBC_PERF_WAKE_VFBC, port);
	if (ret != 0)
		goto out;
	cpu0 = vfbc_perf_cpu_s();
	t0 = rte_rdtsc();
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, (int)c->arg);
	me->wall_s = (double)(rte_rdtsc() - t0) / rte_get_tsc_hz();
	me->cpu_s = vfbc_perf_cpu_s() - cpu0;
	/* Woken with nothing sent, or cut short: not an idle figure. */
	if (n != 0)
		ret = n < 0 ? n : -EPROTO;
out:
	rte_eth_dev_rx_intr_disable(port, 0);
	rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL);
	return ret;
}
