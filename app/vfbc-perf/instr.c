/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Instructions per invalidate call, counted by callgrind (the PMU is often
 * not available in virtual machines). vfbc_channel_invalidate() is inline,
 * so the single-process mode calls it through two noinline wrappers that
 * callgrind can toggle collection on:
 *
 *   vfbc_perf_inv_doorbell: the VF is armed: locked OR, counter, arm
 *                           exchange, doorbell enqueue;
 *   vfbc_perf_inv_coalesce: the VF is not armed: locked OR, counter, load.
 *
 * The counts include each wrapper's own return (one instruction).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include <vfbc_channel.h>

#include "perf.h"

int vfbc_perf_inv_doorbell(struct vfbc_channel *ch, uint16_t vf, uint64_t mask);
int vfbc_perf_inv_coalesce(struct vfbc_channel *ch, uint16_t vf, uint64_t mask);

__rte_noinline int
vfbc_perf_inv_doorbell(struct vfbc_channel *ch, uint16_t vf, uint64_t mask)
{
	return vfbc_channel_invalidate(ch, vf, mask);
}

__rte_noinline int
vfbc_perf_inv_coalesce(struct vfbc_channel *ch, uint16_t vf, uint64_t mask)
{
	return vfbc_channel_invalidate(ch, vf, mask);
}

/* --single-process-invalidate N: EAL is up; N calls of each path. */
int
vfbc_perf_single_invalidate(unsigned long n)
{
	struct vfbc_channel *ch;
	unsigned long i;
	uint64_t got;
	int ret = 0;

	ch = vfbc_channel_create("perf_instr", 1, SOCKET_ID_ANY);
	if (ch == NULL) {
		fprintf(stderr, "vfbc-perf: cannot create a channel: %s\n",
				rte_strerror(rte_errno));
		return -rte_errno;
	}
	if (vfbc_channel_claim(ch, 0) < 0) {
		vfbc_channel_free(ch);
		return -EBUSY;
	}
	for (i = 0; i < n && ret == 0; i++) {
		ret = vfbc_perf_inv_doorbell(ch, 0, UINT64_C(1) << (i & 63));
		/* Take the bits and the doorbell: the VF is armed again. */
		if (vfbc_channel_poll_invalidations(ch, 0, &got) != 1)
			ret = -EPROTO;
	}
	if (ret == 0)
		ret = vfbc_channel_invalidate(ch, 0, 1);
	for (i = 0; i < n && ret == 0; i++)
		ret = vfbc_perf_inv_coalesce(ch, 0, UINT64_C(1) << (i & 63));
	printf("single-process invalidate: %lu doorbell calls, %lu coalescing calls: %s\n",
			n, n, ret == 0 ? "ok" : strerror(-ret));
	vfbc_channel_release(ch, 0);
	vfbc_channel_free(ch);
	return ret;
}

/* Inclusive Ir of a function in callgrind_annotate's output. */
static double
vfbc_perf_annotated(const char *file, const char *fn)
{
	char cmd[1024];
	char line[1024];
	double ir = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "callgrind_annotate --inclusive=yes %s 2>/dev/null", file);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL) {
		char digits[64];
		unsigned int i, k = 0;

		if (strstr(line, fn) == NULL || ir >= 0)
			continue;
		for (i = 0; line[i] != '\0' && k < sizeof(digits) - 1; i++) {
			if (line[i] >= '0' && line[i] <= '9')
				digits[k++] = line[i];
			else if (line[i] != ',' && line[i] != ' ' && k > 0)
				break;
		}
		digits[k] = '\0';
		if (k > 0)
			ir = strtod(digits, NULL);
	}
	pclose(p);
	return ir;
}

/*
 * Runs this program under callgrind in the single-process mode, in a child
 * (valgrind is slow: keep n modest), and reads the counts.
 */
void
vfbc_perf_instructions(struct vfbc_perf_results *r, unsigned long n)
{
	char out[] = "/tmp/vfbc-perf-callgrind-XXXXXX";
	char arg_out[600], arg_n[32];
	double ir;
	pid_t pid;
	int status;
	int fd;

	r->inv_instr_doorbell = -1;
	r->inv_instr_coalesce = -1;
	if (system("command -v valgrind >/dev/null 2>&1 && "
			"command -v callgrind_annotate >/dev/null 2>&1") != 0) {
		snprintf(r->instr_why, sizeof(r->instr_why), "valgrind not installed");
		return;
	}
	fd = mkstemp(out);
	if (fd < 0) {
		snprintf(r->instr_why, sizeof(r->instr_why), "mkstemp: %s", strerror(errno));
		return;
	}
	close(fd);
	snprintf(arg_out, sizeof(arg_out), "--callgrind-out-file=%s", out);
	snprintf(arg_n, sizeof(arg_n), "%lu", n);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {
			(char *)(uintptr_t)"valgrind", (char *)(uintptr_t)"--tool=callgrind",
			(char *)(uintptr_t)"-q", arg_out,
			(char *)(uintptr_t)"--toggle-collect=vfbc_perf_inv_doorbell",
			(char *)(uintptr_t)"--toggle-collect=vfbc_perf_inv_coalesce",
			(char *)(uintptr_t)vfbc_perf_self(),
			(char *)(uintptr_t)"--single-process-invalidate", arg_n, NULL,
		};
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp("valgrind", argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		snprintf(r->instr_why, sizeof(r->instr_why),
				"the callgrind run failed (status 0x%x)", pid > 0 ? status : 0);
		unlink(out);
		return;
	}
	ir = vfbc_perf_annotated(out, "vfbc_perf_inv_doorbell");
	if (ir > 0)
		r->inv_instr_doorbell = ir / (double)n;
	ir = vfbc_perf_annotated(out, "vfbc_perf_inv_coalesce");
	if (ir > 0)
		r->inv_instr_coalesce = ir / (double)n;
	if (r->inv_instr_doorbell < 0 || r->inv_instr_coalesce < 0)
		snprintf(r->instr_why, sizeof(r->instr_why), "no counts in callgrind's output");
	unlink(out);
}
