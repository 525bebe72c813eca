/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The sleep mode commands of the VF agent (mp_vf_agent, test_mp_vf_agent.c),
 * for mp_sleep_autotest:
 *
 *   sleep T WANT   DPDK's Rx-interrupt way: add queue 0 to the thread's
 *                  epoll (once), then until the bits seen cover WANT (hex)
 *                  or T ms passed: deliver with vfbc_vf_poll(), enable,
 *                  rte_epoll_wait(), disable. "slept GOT WAKES ARMS RET
 *                  WAKE_TSC": the bits, the wakes, the arms, the last
 *                  error (0: none), the TSC when the last wake returned
 *   sleep1 T       one arm and one wait of at most T ms, nothing polled:
 *                  "sleep1 EVENTS MS RET"
 *   idle T         armed, asleep T ms with nothing due: the process's CPU
 *                  time meanwhile, "idle CPU_US WALL_US EVENTS RET"
 *   cbmode on|off  vfbc_vf_wake_callbacks_enable/disable(): "ret RET"
 *   cbwait T WANT  the main thread sleeps until the sleep-mode callback
 *                  (EAL's interrupt thread) saw WANT, or T ms: "cb GOT CALLS"
 *   cbslow T       the sleep-mode callback takes T ms from now on: "ret 0"
 *   pwait1 S T     one vfbc_vf_poll_wait(), spin S us, timeout T ms (-1:
 *                  none): "pwait1 RET MASK US TSC NS", its return, the mask,
 *                  how long it took, the TSC and mp_now_ns() after it
 *   pwait S T WANT vfbc_vf_poll_wait() until the bits cover WANT (hex) or a
 *                  call fails: "pwaited GOT CALLS SLOW RET TSC MAX_US CPU_US
 *                  WALL_US", the calls and those that lasted their timeout,
 *                  the last error, the TSC when the last bit came, the
 *                  longest call, the process's CPU time and the wall time
 *   pwaitidle S T  as idle, in one vfbc_vf_poll_wait() that times out
 *   pwaitbg S T    pwait1 on a thread of its own: "pwaitbg RET" (pthread)
 *   pwaitjoin      its end: "pwaitjoin RET MASK US"
 *   rxintr         rte_eth_dev_rx_intr_enable() then _disable(): "ret E D"
 *   close          rte_eth_dev_close() of the port: "ret RET" (last command)
 *   sleepbg T      sleep1 on a thread of its own (its own per-thread epoll):
 *                  answers "sleepbg RET" once that thread armed (RET: the
 *                  ctl's or the enable's error, 0 armed)
 *   sleepjoin      its end: "sleepjoin EVENTS MS RET"
 *   pwaital S T    pwait1 from an EAL alarm callback (EAL's interrupt
 *                  thread, as an ethdev event callback would): "pwaital RET"
 *   pwaitaljoin T  waits at most T ms for it: "pwaitaljoin DONE RET MASK US"
 *   fds            descriptors open in the process: "fds N"
 *   wakerace D     on a new claim (release, claim), a thread turns the
 *                  callback mode on while this one, D us later, calls
 *                  vfbc_vf_poll_wait(0 us, 1 ms); the mode off again if it
 *                  came on: "wakerace CB_RET PW_RET"
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include <rte_alarm.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_pause.h>
#include <rte_interrupts.h>

#include "test_mp_common.h"
#include "vfbc_pmd_vf.h"

static int sleep_ctl_added;
static uint64_t sleep_cb_got;
static uint32_t sleep_cb_calls;
static int sleep_cb_registered;
static unsigned int sleep_cb_slow_ms;

static void
sleep_cb(uint16_t port_id __rte_unused, uint64_t mask, void *arg __rte_unused)
{
	unsigned int slow = __atomic_load_n(&sleep_cb_slow_ms, __ATOMIC_RELAXED);

	__atomic_fetch_or(&sleep_cb_got, mask, __ATOMIC_RELAXED);
	__atomic_fetch_add(&sleep_cb_calls, 1, __ATOMIC_RELAXED);
	/* A slow callback, as one that sends a request to a PF that does not answer. */
	if (slow != 0)
		rte_delay_us_sleep(slow * 1000);
}

static int
sleep_ctl(uint16_t port)
{
	int ret;

	if (sleep_ctl_added)
		return 0;
	ret = rte_eth_dev_rx_intr_ctl_q(port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD,
					NULL);
	if (ret == 0)
		sleep_ctl_added = 1;
	return ret;
}

static uint64_t
sleep_ms_left(uint64_t deadline)
{
	uint64_t now = rte_get_timer_cycles();

	return now >= deadline ? 0 : (deadline - now) * 1000 / rte_get_timer_hz();
}

static void
sleep_until(uint16_t port, unsigned int t, uint64_t want)
{
	uint64_t deadline, got = 0, m, wake_tsc = 0;
	struct rte_epoll_event ev;
	unsigned int wakes = 0, arms = 0;
	int ret, err = 0;

	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * t / 1000;
	ret = sleep_ctl(port);
	if (ret < 0)
		err = ret;
	while (err == 0) {
		while ((ret = vfbc_vf_poll(port, &m)) == 1)
			got |= m;
		if (ret < 0) {
			err = ret;
			break;
		}
		if ((got & want) == want && want != 0)
			break;
		if (sleep_ms_left(deadline) == 0)
			break;
		ret = rte_eth_dev_rx_intr_enable(port, 0);
		if (ret < 0) {
			err = ret;
			break;
		}
		arms++;
		ret = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, (int)sleep_ms_left(deadline));
		if (ret > 0) {
			wakes++;
			wake_tsc = rte_get_timer_cycles();
		}
		rte_eth_dev_rx_intr_disable(port, 0);
	}
	mp_agent_send("slept %" PRIx64 " %u %u %d %" PRIu64, got, wakes, arms, err, wake_tsc);
}

static void
sleep_once(uint16_t port, unsigned int t)
{
	struct rte_epoll_event ev;
	uint64_t t0;
	int ret, n = 0;

	ret = sleep_ctl(port);
	if (ret == 0)
		ret = rte_eth_dev_rx_intr_enable(port, 0);
	t0 = rte_get_timer_cycles();
	if (ret == 0)
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, (int)t);
	mp_agent_send("sleep1 %d %" PRIu64 " %d", n,
		      (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz(), ret);
	rte_eth_dev_rx_intr_disable(port, 0);
}

static uint64_t
sleep_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
		(uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static void
sleep_idle(uint16_t port, unsigned int t)
{
	struct rte_epoll_event ev;
	uint64_t cpu0, wall0;
	int ret, n = 0;

	ret = sleep_ctl(port);
	if (ret == 0)
		ret = rte_eth_dev_rx_intr_enable(port, 0);
	cpu0 = sleep_cpu_us();
	wall0 = rte_get_timer_cycles();
	if (ret == 0)
		n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, (int)t);
	mp_agent_send("idle %" PRIu64 " %" PRIu64 " %d %d", sleep_cpu_us() - cpu0,
		      (rte_get_timer_cycles() - wall0) * 1000000 / rte_get_timer_hz(), n, ret);
	rte_eth_dev_rx_intr_disable(port, 0);
}

static void
sleep_cbwait(unsigned int t, uint64_t want)
{
	const struct timespec step = { .tv_sec = 0, .tv_nsec = 1000000 };
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * t / 1000;

	while ((__atomic_load_n(&sleep_cb_got, __ATOMIC_RELAXED) & want) != want &&
			rte_get_timer_cycles() < deadline)
		nanosleep(&step, NULL);
	mp_agent_send("cb %" PRIx64 " %u", __atomic_exchange_n(&sleep_cb_got, 0,
			__ATOMIC_RELAXED), __atomic_exchange_n(&sleep_cb_calls, 0,
			__ATOMIC_RELAXED));
}

struct pwait_call {
	uint16_t port;
	uint32_t spin_us;
	int timeout_ms;
	int ret;
	uint64_t mask;
	uint64_t us;
	uint64_t tsc;		/* when it returned */
};

static void
pwait_call(struct pwait_call *w)
{
	uint64_t t0 = rte_get_timer_cycles();

	w->mask = 0;
	w->ret = vfbc_vf_poll_wait(w->port, &w->mask, w->spin_us, w->timeout_ms);
	w->tsc = rte_get_timer_cycles();
	w->us = (w->tsc - t0) * 1000000 / rte_get_timer_hz();
}

static void
pwait_until(uint16_t port, uint32_t spin_us, int timeout_ms, uint64_t want)
{
	struct pwait_call w = { .port = port, .spin_us = spin_us, .timeout_ms = timeout_ms };
	unsigned int calls = 0, zeros = 0;
	uint64_t got = 0, tsc = 0, max_us = 0, cpu0 = sleep_cpu_us(), t0 = rte_get_timer_cycles();
	int err = 0;

	while ((got & want) != want) {
		pwait_call(&w);
		calls++;
		if (w.ret < 0) {
			err = w.ret;
			break;
		}
		/*
		 * A wait that lasted its timeout while the PF kept calling slept
		 * through them: it returns 0, or 1 with what it found then. Its
		 * time is the timeout's (the TSC's rate is an estimate: 5%);
		 * a process the machine stalled takes any time.
		 */
		if (w.ret == 0 || (timeout_ms > 0 && w.us * 20 >= (uint64_t)timeout_ms * 19000 &&
				   w.us * 20 <= (uint64_t)timeout_ms * 21000))
			zeros++;
		max_us = RTE_MAX(max_us, w.us);
		if (w.ret == 0)
			continue;
		got |= w.mask;
		tsc = w.tsc;
	}
	mp_agent_send("pwaited %" PRIx64 " %u %u %d %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
		      got, calls, zeros, err, tsc, max_us, sleep_cpu_us() - cpu0,
		      (rte_get_timer_cycles() - t0) * 1000000 / rte_get_timer_hz());
}

/* As idle, in a vfbc_vf_poll_wait() that times out: "idle CPU_US WALL_US 0 RET". */
static void
pwait_idle(uint16_t port, uint32_t spin_us, int timeout_ms)
{
	struct pwait_call w = { .port = port, .spin_us = spin_us, .timeout_ms = timeout_ms };
	uint64_t cpu0;

	cpu0 = sleep_cpu_us();
	pwait_call(&w);
	mp_agent_send("idle %" PRIu64 " %" PRIu64 " 0 %d", sleep_cpu_us() - cpu0, w.us, w.ret);
}

static struct pwait_call pwait_bg;
static pthread_t pwait_th;
static int pwait_th_on;

static void *
pwait_thread(void *arg)
{
	pwait_call(arg);
	return NULL;
}

/* sleepbg: an Rx-interrupt sleeper on a thread of its own. */
struct sleep_bg {
	uint16_t port;
	unsigned int t;
	int armed;		/* 1 once armed (or failed) */
	int ret;		/* the ctl's or the enable's error */
	int n;			/* rte_epoll_wait()'s return */
	uint64_t ms;
};

static struct sleep_bg sleep_bg;
static pthread_t sleep_bg_th;
static int sleep_bg_on;

static void *
sleep_bg_thread(void *arg)
{
	struct sleep_bg *b = arg;
	struct rte_epoll_event ev;
	uint64_t t0;
	int ret;

	ret = rte_eth_dev_rx_intr_ctl_q(b->port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD,
					NULL);
	if (ret == 0)
		ret = rte_eth_dev_rx_intr_enable(b->port, 0);
	b->ret = ret;
	__atomic_store_n(&b->armed, 1, __ATOMIC_RELEASE);
	t0 = rte_get_timer_cycles();
	if (ret == 0)
		b->n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, &ev, 1, (int)b->t);
	b->ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	rte_eth_dev_rx_intr_disable(b->port, 0);
	rte_eth_dev_rx_intr_ctl_q(b->port, 0, RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL);
	return NULL;
}

/* Descriptors open in this process (/proc/self/fd, less the directory's own). */
static int
mp_sleep_count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

/* wakerace: the callback mode's enable racing the adaptive wait's first arm. */
static int wakerace_go;
static int wakerace_ready;
static int wakerace_cb_ret;

static void *
wakerace_thread(void *arg)
{
	uint16_t port = *(uint16_t *)arg;

	__atomic_store_n(&wakerace_ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&wakerace_go, __ATOMIC_ACQUIRE))
		rte_pause();
	wakerace_cb_ret = vfbc_vf_wake_callbacks_enable(port);
	return NULL;
}

static void
wakerace(uint16_t port, unsigned int delay_us)
{
	static uint16_t p;
	pthread_t th;
	uint64_t m;
	int pw = -1, ret;

	p = port;
	ret = vfbc_vf_release(port);
	if (ret == 0)
		ret = vfbc_vf_claim(port);
	if (ret != 0) {
		mp_agent_send("wakerace %d %d", ret, ret);
		return;
	}
	__atomic_store_n(&wakerace_go, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&wakerace_ready, 0, __ATOMIC_RELEASE);
	if (pthread_create(&th, NULL, wakerace_thread, &p) != 0) {
		mp_agent_send("wakerace %d %d", -EAGAIN, -EAGAIN);
		return;
	}
	/* Both threads running: the wait comes delay_us after the enable. */
	while (!__atomic_load_n(&wakerace_ready, __ATOMIC_ACQUIRE))
		rte_pause();
	__atomic_store_n(&wakerace_go, 1, __ATOMIC_RELEASE);
	rte_delay_us_block(delay_us);
	pw = vfbc_vf_poll_wait(port, &m, 0, 1);
	pthread_join(th, NULL);
	if (wakerace_cb_ret == 0)
		vfbc_vf_wake_callbacks_disable(port);
	mp_agent_send("wakerace %d %d", wakerace_cb_ret, pw);
}

/* pwaital: the adaptive wait on EAL's interrupt thread. */
static struct pwait_call pwait_al;
static int pwait_al_done;

static void
pwait_al_cb(void *arg)
{
	pwait_call(arg);
	__atomic_store_n(&pwait_al_done, 1, __ATOMIC_RELEASE);
}

int
mp_sleep_agent_cmd(uint16_t port, const char *line)
{
	char arg[8];
	unsigned int t;
	uint64_t want;
	int ret, ms;

	/* sleep1 first: "sleep %u" would read "sleep1 100" as "sleep 1 100". */
	if (sscanf(line, "sleep1 %u", &t) == 1) {
		sleep_once(port, t);
	} else if (sscanf(line, "sleep %u %" SCNx64, &t, &want) == 2) {
		sleep_until(port, t, want);
	} else if (sscanf(line, "idle %u", &t) == 1) {
		sleep_idle(port, t);
	} else if (sscanf(line, "cbmode %7s", arg) == 1) {
		if (!sleep_cb_registered &&
				vfbc_vf_invalidate_callback_register(port, sleep_cb, NULL) == 0)
			sleep_cb_registered = 1;
		ret = strcmp(arg, "on") == 0 ? vfbc_vf_wake_callbacks_enable(port) :
			vfbc_vf_wake_callbacks_disable(port);
		mp_agent_send("ret %d", ret);
	} else if (sscanf(line, "cbslow %u", &t) == 1) {
		__atomic_store_n(&sleep_cb_slow_ms, t, __ATOMIC_RELAXED);
		mp_agent_send("ret 0");
	} else if (sscanf(line, "cbwait %u %" SCNx64, &t, &want) == 2) {
		sleep_cbwait(t, want);
	} else if (sscanf(line, "pwait1 %u %d", &t, &ms) == 2) {
		struct pwait_call w = { .port = port, .spin_us = t, .timeout_ms = ms };

		pwait_call(&w);
		mp_agent_send("pwait1 %d %" PRIx64 " %" PRIu64 " %" PRIu64 " %" PRIu64, w.ret,
			      w.mask, w.us, w.tsc, mp_now_ns());
	} else if (sscanf(line, "pwait %u %d %" SCNx64, &t, &ms, &want) == 3) {
		pwait_until(port, t, ms, want);
	} else if (sscanf(line, "pwaitbg %u %d", &t, &ms) == 2) {
		pwait_bg = (struct pwait_call){ .port = port, .spin_us = t, .timeout_ms = ms };
		ret = pwait_th_on ? -EBUSY : pthread_create(&pwait_th, NULL, pwait_thread,
							     &pwait_bg);
		pwait_th_on |= ret == 0;
		mp_agent_send("pwaitbg %d", ret);
	} else if (strcmp(line, "pwaitjoin") == 0) {
		if (pwait_th_on)
			pthread_join(pwait_th, NULL);
		pwait_th_on = 0;
		mp_agent_send("pwaitjoin %d %" PRIx64 " %" PRIu64, pwait_bg.ret, pwait_bg.mask,
			      pwait_bg.us);
	} else if (strcmp(line, "rxintr") == 0) {
		ret = rte_eth_dev_rx_intr_enable(port, 0);
		mp_agent_send("ret %d %d", ret, rte_eth_dev_rx_intr_disable(port, 0));
	} else if (sscanf(line, "pwaitidle %u %d", &t, &ms) == 2) {
		pwait_idle(port, t, ms);
	} else if (sscanf(line, "sleepbg %u", &t) == 1) {
		const struct timespec step = { .tv_sec = 0, .tv_nsec = 1000000 };

		sleep_bg = (struct sleep_bg){ .port = port, .t = t };
		ret = sleep_bg_on ? -EBUSY : pthread_create(&sleep_bg_th, NULL, sleep_bg_thread,
							     &sleep_bg);
		sleep_bg_on |= ret == 0;
		while (ret == 0 && !__atomic_load_n(&sleep_bg.armed, __ATOMIC_ACQUIRE))
			nanosleep(&step, NULL);
		mp_agent_send("sleepbg %d", ret != 0 ? ret : sleep_bg.ret);
	} else if (strcmp(line, "sleepjoin") == 0) {
		if (sleep_bg_on)
			pthread_join(sleep_bg_th, NULL);
		sleep_bg_on = 0;
		mp_agent_send("sleepjoin %d %" PRIu64 " %d", sleep_bg.n, sleep_bg.ms, sleep_bg.ret);
	} else if (sscanf(line, "pwaital %u %d", &t, &ms) == 2) {
		pwait_al = (struct pwait_call){ .port = port, .spin_us = t, .timeout_ms = ms };
		__atomic_store_n(&pwait_al_done, 0, __ATOMIC_RELEASE);
		mp_agent_send("pwaital %d", rte_eal_alarm_set(1, pwait_al_cb, &pwait_al));
	} else if (sscanf(line, "pwaitaljoin %u", &t) == 1) {
		const struct timespec step = { .tv_sec = 0, .tv_nsec = 1000000 };
		uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * t / 1000;
		int done;

		while (!(done = __atomic_load_n(&pwait_al_done, __ATOMIC_ACQUIRE)) &&
				rte_get_timer_cycles() < deadline)
			nanosleep(&step, NULL);
		mp_agent_send("pwaitaljoin %d %d %" PRIx64 " %" PRIu64, done, pwait_al.ret,
			      pwait_al.mask, pwait_al.us);
	} else if (sscanf(line, "wakerace %u", &t) == 1) {
		wakerace(port, t);
	} else if (strcmp(line, "fds") == 0) {
		mp_agent_send("fds %d", mp_sleep_count_fds());
	} else if (strcmp(line, "close") == 0) {
		mp_agent_send("ret %d", rte_eth_dev_close(port));
	} else {
		return 1;
	}
	return 0;
}
