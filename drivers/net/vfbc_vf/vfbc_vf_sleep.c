/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Sleep mode of a VF port, as DPDK's Rx interrupts: the application adds
 * the port's queue 0 to its epoll (rte_eth_dev_rx_intr_ctl_q()), enables
 * the "interrupt" (rte_eth_dev_rx_intr_enable()) and sleeps in
 * rte_epoll_wait() until the PF invalidates the VF; or it lets EAL's
 * interrupt thread wait and run its invalidation callbacks
 * (vfbc_vf_wake_callbacks_enable()).
 *
 * What the application waits on is an epoll descriptor of the port's own
 * holding two sources: the PF's wake socket for the current claim (the
 * channel's sleep mode, vfbc_channel_wake.c) and an eventfd the driver
 * kicks itself, when the arm finds something due (the PF would not wake a
 * consumer that is not asleep) and when the port's life changes (a reset,
 * a disable, the PF's death: the sleeper wakes to see it). Enabling
 * drains both, then arms; a wake or kick leaves the descriptor readable
 * until the next enable.
 *
 * The adaptive wait (vfbc_vf_poll_wait()) is l3fwd-power's loop inside the
 * driver: it polls for a bounded time, then arms as the Rx interrupt's
 * enable does and sleeps on an epoll of its own holding that descriptor.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_interrupts.h>

#include "vfbc_vf.h"
#include "vfbc_wait.h"
#include "vfbc_vf_log.h"

/* fd as the wake socket of the claim held now (ctrl_lock held): 0 or -errno. */
static int
vf_sleep_socket_set(struct vfbc_vf_proc *proc, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (epoll_ctl(proc->sleep_epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return -errno;
	}
	proc->sleep_wake = fd;
	proc->sleep_claim_gen = proc->claim_gen;
	return 0;
}

/*
 * An isolated port's wake socket came with its region (vfbc_vf_sock_open(),
 * under ctrl_lock as this): taken over by the sleep mode at its first arm.
 */
static int
vf_sleep_socket_isolated(struct vfbc_vf_proc *proc)
{
	int fd;

	if (__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) == 0 || proc->ch == NULL)
		return -EPERM;
	/* A PF of protocol minor 0 or 1, or one that could not make a socket. */
	if (proc->sock_wake < 0)
		return -ENOTSUP;
	fd = proc->sock_wake;
	proc->sock_wake = -1;
	return vf_sleep_socket_set(proc, fd);
}

/*
 * Ask the PF for a wake socket for the claim held now (ctrl_lock held, let
 * go while the PF answers). -EAGAIN: the claim changed meanwhile.
 */
static int
vf_sleep_socket(struct vfbc_vf_proc *proc)
{
	struct vfbc_channel *ch;
	uint32_t gen;
	int fd, proof;

	if (proc->sleep_wake >= 0 && proc->sleep_claim_gen == proc->claim_gen)
		return 0;
	/*
	 * One question to the PF at a time: it keeps the last pair it made
	 * for the VF, and the end kept here must be that one's.
	 */
	if (proc->sleep_asking)
		return -EAGAIN;
	if (proc->sleep_wake >= 0) {
		epoll_ctl(proc->sleep_epfd, EPOLL_CTL_DEL, proc->sleep_wake, NULL);
		close(proc->sleep_wake);
		proc->sleep_wake = -1;
	}
	if (proc->isolated)
		return vf_sleep_socket_isolated(proc);
	if (__atomic_load_n(&proc->claimed, __ATOMIC_RELAXED) == 0 || proc->ch == NULL)
		return -EPERM;
	/*
	 * The PF's answer may take up to the claim timeout: not with the
	 * spinlock held. The handle stays valid until the port closes (a
	 * retired one too); the proof is duplicated, since a claim meanwhile
	 * may open a new one; a claim meanwhile makes this answer stale.
	 */
	ch = proc->ch;
	gen = proc->claim_gen;
	proof = proc->proof_fd >= 0 ? fcntl(proc->proof_fd, F_DUPFD_CLOEXEC, 0) : -1;
	proc->sleep_asking = 1;
	rte_spinlock_unlock(&proc->ctrl_lock);
	fd = vfbc_channel_wake_fd(ch, proc->vf_id, proof);
	if (proof >= 0)
		close(proof);
	rte_spinlock_lock(&proc->ctrl_lock);
	proc->sleep_asking = 0;
	if (fd < 0)
		return fd;
	if (gen != proc->claim_gen || proc->sleep_wake >= 0) {
		/* Another claim, or another thread's socket, came first: ask again next time. */
		close(fd);
		return -EAGAIN;
	}
	return vf_sleep_socket_set(proc, fd);
}

/* Empty both sources, so that the descriptor is readable again only for new ones. */
static void
vf_sleep_drain(struct vfbc_vf_proc *proc)
{
	eventfd_t v;
	uint8_t b[64];
	ssize_t n;

	(void)eventfd_read(proc->sleep_kick, &v);
	if (proc->sleep_wake < 0)
		return;
	do {
		n = recv(proc->sleep_wake, b, sizeof(b), MSG_DONTWAIT);
	} while (n > 0);
	/*
	 * A broken socket: ask again next time. Not how a new claim is seen: a
	 * datagram pair whose PF end was closed stays silent here (no EOF, no
	 * hang-up), so the socket is asked for again when claim_gen moved.
	 */
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
		epoll_ctl(proc->sleep_epfd, EPOLL_CTL_DEL, proc->sleep_wake, NULL);
		close(proc->sleep_wake);
		proc->sleep_wake = -1;
	}
}

void
vfbc_vf_sleep_kick(struct vfbc_vf_proc *proc)
{
	if (proc->sleep_kick >= 0)
		(void)eventfd_write(proc->sleep_kick, 1);
}

int
vfbc_vf_sleep_init(struct vfbc_vf_proc *proc)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct rte_eth_dev *dev = &rte_eth_devices[proc->port_id];
	struct rte_intr_handle *h;

	if (proc->sleep_intr != NULL)
		return 0;
	proc->sleep_epfd = epoll_create1(EPOLL_CLOEXEC);
	proc->sleep_kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (proc->sleep_epfd < 0 || proc->sleep_kick < 0 ||
			epoll_ctl(proc->sleep_epfd, EPOLL_CTL_ADD, proc->sleep_kick, &ev) < 0)
		goto fail;
	/*
	 * A vdev-type handle whose one Rx vector is the epoll descriptor: EAL
	 * reads nothing from it (counter size 0), the driver drains it.
	 */
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		goto fail;
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_efd_counter_size_set(h, 0) != 0 ||
			rte_intr_efds_index_set(h, 0, proc->sleep_epfd) != 0 ||
			rte_intr_nb_efd_set(h, 1) != 0 ||
			rte_intr_max_intr_set(h, 1 + 1) != 0 ||
			rte_intr_vec_list_alloc(h, "vfbc_vf_intr_vec", 1) != 0 ||
			rte_intr_vec_list_index_set(h, 0, RTE_INTR_VEC_RXTX_OFFSET) != 0) {
		rte_intr_instance_free(h);
		goto fail;
	}
	proc->sleep_intr = h;
	/* This process's view of the port: the process that holds the claim sleeps. */
	dev->intr_handle = h;
	return 0;
fail:
	VF_LOG(WARNING, "port %u: no sleep mode: %s", proc->port_id, strerror(errno));
	vfbc_vf_sleep_uninit(proc);
	return -errno;
}

/* The close: until a thread in vfbc_vf_poll_wait() (woken) has left it. */
static void
vf_wait_gone(struct vfbc_vf_proc *proc)
{
	uint8_t waiting;

	for (;;) {
		/* Its leave clears the flag under the lock, the last it touches of proc. */
		rte_spinlock_lock(&proc->ctrl_lock);
		waiting = proc->waiting;
		rte_spinlock_unlock(&proc->ctrl_lock);
		if (!waiting)
			return;
		usleep(100);
	}
}

void
vfbc_vf_sleep_uninit(struct vfbc_vf_proc *proc)
{
	struct rte_eth_dev *dev = &rte_eth_devices[proc->port_id];

	vfbc_vf_wake_callbacks_off(proc);
	/*
	 * A thread asleep on the port (which should have left the epoll,
	 * RTE_INTR_EVENT_DEL, before the close) wakes, most likely, to an error.
	 * One in vfbc_vf_poll_wait() sleeps on the driver's own descriptors and
	 * reads the port's state when it wakes: it is woken, and waited for.
	 */
	rte_spinlock_lock(&proc->ctrl_lock);
	proc->sleep_closing = 1;
	rte_spinlock_unlock(&proc->ctrl_lock);
	vfbc_vf_sleep_kick(proc);
	vf_wait_gone(proc);
	if (proc->sleep_intr != NULL) {
		if (dev->intr_handle == proc->sleep_intr)
			dev->intr_handle = NULL;
		rte_intr_vec_list_free(proc->sleep_intr);
		rte_intr_instance_free(proc->sleep_intr);
		proc->sleep_intr = NULL;
	}
	if (proc->sleep_wake >= 0)
		close(proc->sleep_wake);
	if (proc->sleep_kick >= 0)
		close(proc->sleep_kick);
	if (proc->sleep_epfd >= 0)
		close(proc->sleep_epfd);
	if (proc->wait_epfd >= 0)
		close(proc->wait_epfd);
	proc->sleep_wake = proc->sleep_kick = proc->sleep_epfd = proc->wait_epfd = -1;
}

/*
 * Arm (ctrl_lock held): 0, armed, the descriptor readable at the next
 * invalidation; 1, something is due (not armed); or a negative errno (no
 * claim, the PF gone, no sleep mode here).
 */
static int
vf_sleep_arm(struct vfbc_vf_proc *proc)
{
	int ret;

	if (proc->sleep_epfd < 0)
		return -ENOTSUP;
	if (__atomic_load_n(&proc->dead, __ATOMIC_RELAXED))
		return -ENOTCONN;
	ret = vf_sleep_socket(proc);
	vf_sleep_drain(proc);
	if (ret == 0 && proc->sleep_wake < 0)
		/* It drained a socket the PF had closed: the claim changed; once more. */
		ret = vf_sleep_socket(proc);
	if (ret == 0)
		ret = vfbc_channel_sleep_arm(proc->ch, proc->vf_id);
	/* The claim changed while the PF answered: poll, then arm again. */
	return ret == -EAGAIN ? 1 : ret;
}

/* Disarm (ctrl_lock held): no wake for this sleep; what came is drained. */
static void
vf_sleep_disarm(struct vfbc_vf_proc *proc)
{
	if (proc->sleep_epfd < 0)
		return;
	if (proc->ch != NULL && __atomic_load_n(&proc->claimed, __ATOMIC_RELAXED))
		(void)vfbc_channel_sleep_disarm(proc->ch, proc->vf_id);
	vf_sleep_drain(proc);
}

int
vfbc_vf_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct vfbc_vf_proc *proc = dev->process_private;
	int ret;

	if (proc == NULL || queue_id != 0)
		return -EINVAL;
	rte_spinlock_lock(&proc->ctrl_lock);
	/* The callback mode's arm, or vfbc_vf_poll_wait()'s, is its own. */
	ret = proc->sleep_cb_intr != NULL || proc->waiting ? -EBUSY : vf_sleep_arm(proc);
	/* Until the disable, the arm is the Rx interrupt's: no other mode takes it. */
	if (ret != -EBUSY)
		proc->sleep_rxintr = 1;
	/*
	 * Something due, or no way to sleep (claim lost, VF disabled, PF
	 * gone): the sleeper must not wait for a wake that will not come.
	 */
	if (ret != 0 && ret != -EBUSY)
		vfbc_vf_sleep_kick(proc);
	rte_spinlock_unlock(&proc->ctrl_lock);
	return ret < 0 ? ret : 0;
}

int
vfbc_vf_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t queue_id)
{
	struct vfbc_vf_proc *proc = dev->process_private;

	if (proc == NULL || queue_id != 0)
		return -EINVAL;
	rte_spinlock_lock(&proc->ctrl_lock);
	/* The callback mode's arm, or vfbc_vf_poll_wait()'s, is its own. */
	if (proc->sleep_cb_intr != NULL || proc->waiting) {
		rte_spinlock_unlock(&proc->ctrl_lock);
		return -EBUSY;
	}
	vf_sleep_disarm(proc);
	proc->sleep_rxintr = 0;
	rte_spinlock_unlock(&proc->ctrl_lock);
	return 0;
}

/*
 * Callback mode, on EAL's interrupt thread: deliver (the port's invalidation
 * callbacks run here), arm, and again while something is due. An error
 * (claim lost, PF gone) leaves it unarmed, the descriptor drained: the life
 * events say why, and the claim of a reset arms it again.
 */
static void
vf_wake_cb(void *arg)
{
	struct vfbc_vf_proc *proc = arg;
	int ret;

	/* Read on this thread only: a disable from one of its callbacks. */
	proc->sleep_cb_running = 1;
	do {
		ret = vfbc_vf_mbox_poll(proc, NULL);
		rte_spinlock_lock(&proc->ctrl_lock);
		if (ret >= 0)
			ret = vf_sleep_arm(proc);
		if (ret < 0 && proc->sleep_epfd >= 0)
			vf_sleep_drain(proc);
		rte_spinlock_unlock(&proc->ctrl_lock);
	} while (ret == 1);
	proc->sleep_cb_running = 0;
}

static int
vf_wake_callbacks_on(struct vfbc_vf_proc *proc)
{
	struct rte_intr_handle *h;
	int ret;

	rte_spinlock_lock(&proc->ctrl_lock);
	if (proc->sleep_epfd < 0) {
		rte_spinlock_unlock(&proc->ctrl_lock);
		return -EPERM;
	}
	if (proc->sleep_cb_intr != NULL) {
		rte_spinlock_unlock(&proc->ctrl_lock);
		return -EALREADY;
	}
	/*
	 * A thread in vfbc_vf_poll_wait() arms and drains the same descriptor;
	 * an enabled Rx interrupt (until its disable) has its own arm.
	 */
	if (proc->waiting || proc->sleep_rxintr) {
		rte_spinlock_unlock(&proc->ctrl_lock);
		return -EBUSY;
	}
	/* The first arm of the callback mode asks again if the claim changed (-EAGAIN). */
	ret = vf_sleep_socket(proc);
	rte_spinlock_unlock(&proc->ctrl_lock);
	if (ret < 0 && ret != -EAGAIN)
		return ret;
	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_EXT) != 0 ||
			rte_intr_fd_set(h, proc->sleep_epfd) != 0) {
		rte_intr_instance_free(h);
		return -EINVAL;
	}
	rte_spinlock_lock(&proc->ctrl_lock);
	/* A wait that began while the lock was let go: it keeps the descriptor. */
	if (proc->waiting) {
		rte_spinlock_unlock(&proc->ctrl_lock);
		rte_intr_instance_free(h);
		return -EBUSY;
	}
	proc->sleep_cb_intr = h;
	rte_spinlock_unlock(&proc->ctrl_lock);
	ret = rte_intr_callback_register(h, vf_wake_cb, proc);
	if (ret < 0) {
		rte_spinlock_lock(&proc->ctrl_lock);
		proc->sleep_cb_intr = NULL;
		rte_spinlock_unlock(&proc->ctrl_lock);
		rte_intr_instance_free(h);
		return ret;
	}
	/* What came before is delivered by the first round: kick it. */
	vfbc_vf_sleep_kick(proc);
	return 0;
}

int
vfbc_vf_wake_callbacks_on(struct vfbc_vf_proc *proc)
{
	int ret;

	/* On and off one at a time: a disable never frees what an enable registers. */
	pthread_mutex_lock(&proc->sleep_cb_lock);
	ret = vf_wake_callbacks_on(proc);
	pthread_mutex_unlock(&proc->sleep_cb_lock);
	return ret;
}

int
vfbc_vf_wake_callbacks_off(struct vfbc_vf_proc *proc)
{
	struct rte_intr_handle *h;

	/* From one of its own callbacks: the interrupt thread would wait for itself. */
	if (rte_thread_is_intr() && proc->sleep_cb_running)
		return -EDEADLK;
	pthread_mutex_lock(&proc->sleep_cb_lock);
	h = proc->sleep_cb_intr;
	if (h == NULL) {
		pthread_mutex_unlock(&proc->sleep_cb_lock);
		return -ENOENT;
	}
	/*
	 * -EAGAIN: the callback is running right now, and with it the port's
	 * invalidation callbacks, which may take long (a request to a PF that
	 * does not answer): wait for it, as a release waits for a poll. Not
	 * unregistered, it would go on delivering, on state a close frees.
	 */
	while (rte_intr_callback_unregister(h, vf_wake_cb, proc) == -EAGAIN)
		usleep(1000);
	rte_spinlock_lock(&proc->ctrl_lock);
	proc->sleep_cb_intr = NULL;
	if (proc->ch != NULL && __atomic_load_n(&proc->claimed, __ATOMIC_RELAXED))
		(void)vfbc_channel_sleep_disarm(proc->ch, proc->vf_id);
	rte_spinlock_unlock(&proc->ctrl_lock);
	rte_intr_instance_free(h);
	pthread_mutex_unlock(&proc->sleep_cb_lock);
	return 0;
}

/* After a claim (ctrl_lock held): callback mode arms again, on its thread. */
void
vfbc_vf_sleep_claimed(struct vfbc_vf_proc *proc)
{
	if (proc->sleep_cb_intr != NULL)
		vfbc_vf_sleep_kick(proc);
}

/*
 * The adaptive wait: vfbc_vf_poll_wait(). Entry (ctrl_lock): one thread at
 * a time, not in callback mode, not once the close began; *lives is the
 * life-event count the wait started with.
 */
static int
vf_wait_enter(struct vfbc_vf_proc *proc, uint32_t *lives)
{
	int ret = 0;

	rte_spinlock_lock(&proc->ctrl_lock);
	if (proc->sleep_closing)
		ret = -ENODEV;
	else if (proc->sleep_cb_intr != NULL || proc->waiting || proc->sleep_rxintr)
		ret = -EBUSY;
	else
		proc->waiting = 1;
	rte_spinlock_unlock(&proc->ctrl_lock);
	/* LW2: pairs with LW1 in vf_life_raise(). */
	*lives = __atomic_load_n(&proc->life_wakes, __ATOMIC_ACQUIRE);
	return ret;
}

/* A close waits for this (vf_wait_gone()): proc is not touched after the unlock. */
static void
vf_wait_leave(struct vfbc_vf_proc *proc)
{
	rte_spinlock_lock(&proc->ctrl_lock);
	proc->waiting = 0;
	rte_spinlock_unlock(&proc->ctrl_lock);
}

/* Something that ends the wait without a delivery: a close, a life event. */
static int
vf_wait_over(struct vfbc_vf_proc *proc, uint32_t lives)
{
	if (__atomic_load_n(&proc->sleep_closing, __ATOMIC_RELAXED))
		return -ENODEV;
	/* LW2: pairs with LW1 in vf_life_raise(). */
	if (__atomic_load_n(&proc->life_wakes, __ATOMIC_ACQUIRE) != lives)
		return 1;
	return 0;
}

/*
 * Arm for one sleep (ctrl_lock taken here), as the Rx interrupt's enable
 * does: 0, armed, nothing due; 1, something due or a life event came
 * since the wait began (not armed); a negative errno, no way to sleep.
 */
static int
vf_wait_arm(struct vfbc_vf_proc *proc, uint32_t lives)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ret;

	rte_spinlock_lock(&proc->ctrl_lock);
	if (proc->sleep_closing) {
		ret = -ENODEV;
		goto out;
	}
	ret = vf_sleep_arm(proc);
	if (ret != 0)
		goto out;
	/*
	 * Its own epoll, made once: the port's descriptor may sit in the
	 * application's epoll too (rte_eth_dev_rx_intr_ctl_q()).
	 */
	if (proc->wait_epfd < 0) {
		proc->wait_epfd = epoll_create1(EPOLL_CLOEXEC);
		if (proc->wait_epfd < 0 || epoll_ctl(proc->wait_epfd, EPOLL_CTL_ADD,
						     proc->sleep_epfd, &ev) < 0) {
			ret = -errno;
			if (proc->wait_epfd >= 0)
				close(proc->wait_epfd);
			proc->wait_epfd = -1;
			vf_sleep_disarm(proc);
			goto out;
		}
	}
	/*
	 * The arm drained the kick of a life event that came during the spin:
	 * its count says so (a reset leaves nothing else to see).
	 */
	if (vf_wait_over(proc, lives) != 0) {
		vf_sleep_disarm(proc);
		ret = 1;
	}
out:
	rte_spinlock_unlock(&proc->ctrl_lock);
	return ret;
}

/*
 * What a wait ended by a life event returns. The event may come before the
 * poll can tell (a disable is posted before the claim is taken back): the
 * watch marked the port gone before it counted the event (LW1), so the
 * cause is read here. A reset or a power change: 0, the port delivers on.
 */
static int
vf_wait_life_ret(const struct vfbc_vf_proc *proc)
{
	switch (__atomic_load_n(&proc->gone, __ATOMIC_RELAXED)) {
	case 0:
		return 0;
	case VFBC_VF_EVENT_DISABLED + 1:
		return -ENXIO;
	case VFBC_VF_EVENT_PF_GONE + 1:
		return -ENOTCONN;
	default:
		/* The claim taken away, or the PF's port closed. */
		return -EPERM;
	}
}

static int
vf_wait(struct vfbc_vf_proc *proc, uint64_t *mask, uint32_t spin_us, int timeout_ms,
	uint32_t lives)
{
	uint64_t hz = rte_get_timer_hz();
	struct epoll_event ev;
	uint64_t end;
	int ret, armed;

	/* The spin: deliveries this close to the last one cost no sleep and no wake. */
	end = vfbc_wait_deadline_us(spin_us);
	for (;;) {
		ret = vfbc_vf_mbox_poll(proc, mask);
		if (ret != 0)
			return ret;
		ret = vf_wait_over(proc, lives);
		if (ret != 0)
			return ret < 0 ? ret : vf_wait_life_ret(proc);
		if (rte_get_timer_cycles() >= end)
			break;
		rte_pause();
	}
	if (timeout_ms == 0)
		return 0;
	end = timeout_ms < 0 ? UINT64_MAX :
		rte_get_timer_cycles() + hz * (uint64_t)timeout_ms / MS_PER_S;
	for (;;) {
		armed = vf_wait_arm(proc, lives);
		if (armed == 0) {
			ret = epoll_wait(proc->wait_epfd, &ev, 1,
					 timeout_ms < 0 ? -1 : vfbc_wait_ms_left(end));
			if (ret < 0 && errno != EINTR)
				armed = -errno;
			/* Woken by the PF (the word taken back), a kick, or the time: disarm. */
			rte_spinlock_lock(&proc->ctrl_lock);
			vf_sleep_disarm(proc);
			rte_spinlock_unlock(&proc->ctrl_lock);
		}
		/*
		 * Deliver what is due; or, when the arm failed, let the poll say
		 * why, as every call does (-ENXIO for a disabled VF, not the
		 * arm's -EPERM).
		 */
		ret = vfbc_vf_mbox_poll(proc, mask);
		if (ret != 0)
			return ret;
		if (armed < 0)
			return armed;
		ret = vf_wait_over(proc, lives);
		if (ret != 0)
			return ret < 0 ? ret : vf_wait_life_ret(proc);
		if (timeout_ms >= 0 && rte_get_timer_cycles() >= end)
			return 0;
	}
}

int
vfbc_vf_sleep_poll_wait(struct vfbc_vf_proc *proc, uint64_t *mask, uint32_t spin_us,
			int timeout_ms)
{
	uint32_t lives;
	int ret;

	/* From a callback its poll runs: only that poll could deliver what it waits for. */
	if (vfbc_vf_mbox_delivering(proc))
		return -EDEADLK;
	/*
	 * On EAL's interrupt thread (an event callback, an alarm): the life
	 * watch that tells a disable or the PF's death runs there, and could
	 * not while the wait sleeps.
	 */
	if (rte_thread_is_intr())
		return -EDEADLK;
	ret = vf_wait_enter(proc, &lives);
	if (ret < 0)
		return ret;
	ret = vf_wait(proc, mask, spin_us, timeout_ms, lives);
	vf_wait_leave(proc);
	return ret;
}
