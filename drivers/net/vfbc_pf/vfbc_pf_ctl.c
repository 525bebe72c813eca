/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The PF's control thread: a FIFO of work items that may sleep, run one at
 * a time by an EAL control thread (rte_ctrl_thread_create) per PF port.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_lcore.h>

#include "vfbc_pf.h"
#include "vfbc_pf_ctl.h"
#include "vfbc_pf_log.h"

struct pf_ctl_item {
	vfbc_pf_ctl_fn_t fn;
	void *arg;
};

struct vfbc_pf_ctl {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t stop;
	uint32_t capacity;
	uint32_t head;		/* next item to run */
	uint32_t count;		/* items queued */
	struct pf_ctl_item items[];
};

static void *
pf_ctl_main(void *arg)
{
	struct vfbc_pf_ctl *ctl = arg;
	struct pf_ctl_item it;

	pthread_mutex_lock(&ctl->lock);
	for (;;) {
		while (ctl->count == 0 && !ctl->stop)
			pthread_cond_wait(&ctl->cond, &ctl->lock);
		if (ctl->count == 0)
			break;
		it = ctl->items[ctl->head];
		ctl->head = (ctl->head + 1) % ctl->capacity;
		ctl->count--;
		/* Unlocked: the item sleeps; submitters never wait for it. */
		pthread_mutex_unlock(&ctl->lock);
		it.fn(it.arg);
		pthread_mutex_lock(&ctl->lock);
	}
	pthread_mutex_unlock(&ctl->lock);
	return NULL;
}

int
vfbc_pf_ctl_start(struct vfbc_pf_proc *pf, uint32_t capacity)
{
	struct vfbc_pf_ctl *ctl;
	char name[RTE_MAX_THREAD_NAME_LEN];
	int ret;

	if (capacity == 0)
		capacity = 1;
	ctl = calloc(1, sizeof(*ctl) + capacity * sizeof(ctl->items[0]));
	if (ctl == NULL)
		return -ENOMEM;
	ctl->capacity = capacity;
	pthread_mutex_init(&ctl->lock, NULL);
	pthread_cond_init(&ctl->cond, NULL);
	snprintf(name, sizeof(name), "vfbc-ctl-%u", pf->port_id);
	ret = rte_ctrl_thread_create(&ctl->thread, name, NULL, pf_ctl_main, ctl);
	if (ret != 0) {
		PF_INIT_LOG(ERR, "port %u: cannot start the control thread: %s", pf->port_id,
			    strerror(ret));
		pthread_cond_destroy(&ctl->cond);
		pthread_mutex_destroy(&ctl->lock);
		free(ctl);
		return -ret;
	}
	pf->ctl = ctl;
	return 0;
}

void
vfbc_pf_ctl_stop(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_ctl *ctl = pf->ctl;

	if (ctl == NULL)
		return;
	pthread_mutex_lock(&ctl->lock);
	ctl->stop = 1;
	pthread_cond_signal(&ctl->cond);
	pthread_mutex_unlock(&ctl->lock);
	pthread_join(ctl->thread, NULL);
	pthread_cond_destroy(&ctl->cond);
	pthread_mutex_destroy(&ctl->lock);
	pf->ctl = NULL;
	free(ctl);
}

int
vfbc_pf_ctl_stopping(struct vfbc_pf_proc *pf)
{
	struct vfbc_pf_ctl *ctl = pf->ctl;
	int stop;

	if (ctl == NULL)
		return 1;
	pthread_mutex_lock(&ctl->lock);
	stop = ctl->stop != 0;
	pthread_mutex_unlock(&ctl->lock);
	return stop;
}

int
vfbc_pf_ctl_submit(struct vfbc_pf_proc *pf, vfbc_pf_ctl_fn_t fn, void *arg)
{
	struct vfbc_pf_ctl *ctl = pf->ctl;
	int ret = 0;

	if (ctl == NULL)
		return -ENOTSUP;
	pthread_mutex_lock(&ctl->lock);
	if (ctl->stop || ctl->count == ctl->capacity) {
		ret = -ENOSPC;
	} else {
		ctl->items[(ctl->head + ctl->count) % ctl->capacity] =
			(struct pf_ctl_item){ .fn = fn, .arg = arg };
		ctl->count++;
		pthread_cond_signal(&ctl->cond);
	}
	pthread_mutex_unlock(&ctl->lock);
	return ret;
}
