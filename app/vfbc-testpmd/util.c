/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Console output shared by the commands, the actions and their threads. */

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>

#include "vfbc_testpmd.h"

static unsigned int vfbc_tp_nb_errors;

void
vfbc_tp_error(const char *fmt, ...)
{
	va_list ap;

	printf("Error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	vfbc_tp_nb_errors++;
}

unsigned int
vfbc_tp_error_count(void)
{
	return vfbc_tp_nb_errors;
}

/*
 * Lines of the other threads go through a queue to a printer thread of
 * their own. The console holds stdout while a command runs, "wait vf
 * invalidate" for up to its timeout: a thread that printed directly would
 * wait that long, and the VF polling thread, stopped in its callback,
 * would not deliver the very invalidation the wait is for.
 */
#define VFBC_TP_ASYNC_LINES	256	/* Lines queued while the console is busy. */
#define VFBC_TP_ASYNC_LINE_MAX	512	/* Longest line, its end cut beyond. */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* a line queued, or stop */
	char line[VFBC_TP_ASYNC_LINES][VFBC_TP_ASYNC_LINE_MAX];
	unsigned int first;		/* oldest queued line */
	unsigned int count;
	unsigned int dropped;		/* lines the full queue refused */
	int on;				/* the printer runs: lines are queued */
	int stopping;
	pthread_t thread;
} vfbc_tp_async = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void *
vfbc_tp_async_main(__rte_unused void *arg)
{
	char line[VFBC_TP_ASYNC_LINE_MAX];
	unsigned int dropped;

	pthread_mutex_lock(&vfbc_tp_async.lock);
	for (;;) {
		while (vfbc_tp_async.count == 0 && vfbc_tp_async.dropped == 0 &&
				!vfbc_tp_async.stopping)
			pthread_cond_wait(&vfbc_tp_async.cond, &vfbc_tp_async.lock);
		/* What was queued before the stop is printed all the same. */
		if (vfbc_tp_async.count == 0 && vfbc_tp_async.dropped == 0)
			break;
		dropped = 0;
		if (vfbc_tp_async.count > 0) {
			memcpy(line, vfbc_tp_async.line[vfbc_tp_async.first], sizeof(line));
			vfbc_tp_async.first = (vfbc_tp_async.first + 1) % VFBC_TP_ASYNC_LINES;
			vfbc_tp_async.count--;
		} else {
			dropped = vfbc_tp_async.dropped;
			vfbc_tp_async.dropped = 0;
		}
		/* Unlocked while it waits for the console: the queue stays open. */
		pthread_mutex_unlock(&vfbc_tp_async.lock);
		flockfile(stdout);
		if (dropped > 0)
			printf("Warning: %u line%s not shown: the console was busy\n", dropped,
			       vfbc_tp_plural(dropped));
		else
			printf("%s\n", line);
		funlockfile(stdout);
		pthread_mutex_lock(&vfbc_tp_async.lock);
	}
	pthread_mutex_unlock(&vfbc_tp_async.lock);
	return NULL;
}

int
vfbc_tp_async_start(void)
{
	int ret;

	pthread_mutex_lock(&vfbc_tp_async.lock);
	vfbc_tp_async.stopping = 0;
	ret = rte_ctrl_thread_create(&vfbc_tp_async.thread, "vfbc-tp-out", NULL,
			vfbc_tp_async_main, NULL);
	vfbc_tp_async.on = ret == 0;
	pthread_mutex_unlock(&vfbc_tp_async.lock);
	return -ret;
}

void
vfbc_tp_async_stop(void)
{
	pthread_mutex_lock(&vfbc_tp_async.lock);
	if (!vfbc_tp_async.on) {
		pthread_mutex_unlock(&vfbc_tp_async.lock);
		return;
	}
	vfbc_tp_async.stopping = 1;
	pthread_cond_signal(&vfbc_tp_async.cond);
	pthread_mutex_unlock(&vfbc_tp_async.lock);
	pthread_join(vfbc_tp_async.thread, NULL);
	pthread_mutex_lock(&vfbc_tp_async.lock);
	vfbc_tp_async.on = 0;
	pthread_mutex_unlock(&vfbc_tp_async.lock);
}

void
vfbc_tp_async_line(const char *fmt, ...)
{
	unsigned int last;
	va_list ap;

	pthread_mutex_lock(&vfbc_tp_async.lock);
	if (vfbc_tp_async.on && !vfbc_tp_async.stopping) {
		if (vfbc_tp_async.count == VFBC_TP_ASYNC_LINES) {
			vfbc_tp_async.dropped++;
		} else {
			last = (vfbc_tp_async.first + vfbc_tp_async.count) % VFBC_TP_ASYNC_LINES;
			va_start(ap, fmt);
			vsnprintf(vfbc_tp_async.line[last], VFBC_TP_ASYNC_LINE_MAX, fmt, ap);
			va_end(ap);
			vfbc_tp_async.count++;
		}
		pthread_cond_signal(&vfbc_tp_async.cond);
		pthread_mutex_unlock(&vfbc_tp_async.lock);
		return;
	}
	pthread_mutex_unlock(&vfbc_tp_async.lock);
	/* No printer (before start, after stop): print it now, whole. */
	flockfile(stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	funlockfile(stdout);
}

struct timespec
vfbc_tp_deadline(uint32_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

const char *
vfbc_tp_plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

#define VFBC_TP_DUMP_WIDTH	16	/* Bytes per line of a hex dump. */

void
vfbc_tp_hex_dump(uint32_t offset, const uint8_t *bytes, uint32_t length)
{
	uint32_t i;

	for (i = 0; i < length; i++) {
		if (i % VFBC_TP_DUMP_WIDTH == 0)
			printf("  0x%03x:", offset + i);
		else if (i % VFBC_TP_DUMP_WIDTH == VFBC_TP_DUMP_WIDTH / 2)
			printf(" ");
		printf(" %02x", bytes[i]);
		if (i % VFBC_TP_DUMP_WIDTH == VFBC_TP_DUMP_WIDTH - 1 || i == length - 1)
			printf("\n");
	}
}
