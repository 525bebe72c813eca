/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * Instructions per invalidate call, counted by callgrind (the PMU is often
 * not available in virtual machines), in a single-process mode of this
 * program (--single-process-invalidate N, path --invalidate-path):
 *
 * - doorbell, coalesce: the driver's vfbc_pf_invalidate_config_blocks(),
 *   inline in vfbc_pmd_pf.h since 0c0cb2e, so called through a noinline
 *   wrapper callgrind can toggle collection on (vfbc_perf_inv_driver; its
 *   count includes the wrapper's own return), on the PF port of a world
 *   with one VF, the VF claimed by this process through the VF PMD
 *   (vfbc_vf_claim()). doorbell: the VF is armed each time (a
 *   vfbc_vf_poll() between calls re-arms it): locked OR, counter, arm
 *   exchange, doorbell enqueue. coalesce: the VF is not armed: locked OR,
 *   counter, load; one doorbell call comes first, to disarm the VF.
 *   callgrind collects inside that wrapper only (--toggle-collect), so its
 *   inclusive count over the calls made is the cost per call. The channel
 *   counters prove the path taken: N doorbells, or N coalesced calls.
 * - channel: vfbc_channel_invalidate() is inline, so the mode calls it
 *   through two noinline wrappers callgrind can toggle collection on,
 *   vfbc_perf_inv_doorbell and vfbc_perf_inv_coalesce; their counts include
 *   each wrapper's own return (one instruction).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_pci.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <vfbc_channel.h>
#include <vfbc_launch.h>

#include "perf.h"

int vfbc_perf_inv_doorbell(struct vfbc_channel *ch, uint16_t vf, uint64_t mask);
int vfbc_perf_inv_coalesce(struct vfbc_channel *ch, uint16_t vf, uint64_t mask);
int vfbc_perf_inv_driver(uint16_t port_id, uint16_t vf, uint64_t mask);

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

/* The driver's call, inline in vfbc_pmd_pf.h, as an application makes it. */
__rte_noinline int
vfbc_perf_inv_driver(uint16_t port_id, uint16_t vf, uint64_t mask)
{
	return vfbc_pf_invalidate_config_blocks(port_id, vf, mask);
}

/* Channel path: EAL is up without PCI; N calls of each path. */
static int
vfbc_perf_single_channel(unsigned long n)
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
	if (vfbc_channel_claim(ch, 0, -1) < 0) {
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
	printf("single-process invalidate (channel): %lu doorbell calls, %lu coalescing "
			"calls: %s\n", n, n, ret == 0 ? "ok" : strerror(-ret));
	vfbc_channel_release(ch, 0);
	vfbc_channel_free(ch);
	return ret;
}

/* Driver path: EAL is up in a world; N calls of one path on VF 0. */
static int
vfbc_perf_single_driver(unsigned long n, int doorbell)
{
	struct vfbc_channel_stats s0, s1;
	char name[RTE_ETH_NAME_MAX_LEN];
	struct rte_pci_addr addr;
	uint64_t got, sent = 0, m;
	uint16_t vf_port;
	unsigned long i;
	uint64_t paths;
	int pf, ret;

	pf = vfbc_perf_pf_port();
	if (pf < 0) {
		fprintf(stderr, "vfbc-perf: no net_vfbc_pf port with VFs\n");
		return -ENODEV;
	}
	ret = vfbc_pf_get_vf_location(pf, 0, &addr);
	if (ret != 0)
		return ret;
	rte_pci_device_name(&addr, name, sizeof(name));
	ret = rte_eth_dev_get_port_by_name(name, &vf_port);
	if (ret == 0)
		ret = vfbc_vf_claim(vf_port);
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: cannot claim VF 0 (%s): %s\n", name, strerror(-ret));
		return ret;
	}
	ret = vfbc_pf_mbox_stats(pf, 0, &s0);
	if (ret == 0 && !doorbell)
		/* Disarm: the VF does not poll until the end. */
		ret = vfbc_perf_inv_driver(pf, 0, 1);
	sent = doorbell ? 0 : 1;
	for (i = 0; i < n && ret == 0; i++) {
		m = UINT64_C(1) << (i & 63);
		ret = vfbc_perf_inv_driver(pf, 0, m);
		if (!doorbell) {
			sent |= m;
			continue;
		}
		/* Take the bits and the doorbell: the VF is armed again. */
		if (ret == 0 && (vfbc_vf_poll(vf_port, &got) != 1 || got != m))
			ret = -EPROTO;
	}
	if (ret == 0 && !doorbell && (vfbc_vf_poll(vf_port, &got) != 1 || got != sent))
		ret = -EPROTO;
	if (ret == 0)
		ret = vfbc_pf_mbox_stats(pf, 0, &s1);
	paths = doorbell ? s1.doorbells - s0.doorbells : s1.coalesced - s0.coalesced;
	if (ret == 0 && paths != n) {
		fprintf(stderr, "vfbc-perf: %" PRIu64 " of %lu calls took the %s path\n", paths,
				n, doorbell ? "doorbell" : "coalescing");
		ret = -EPROTO;
	}
	printf("single-process invalidate (driver, %s path): %lu calls: %s\n",
			doorbell ? "doorbell" : "coalescing", n, ret == 0 ? "ok" : strerror(-ret));
	vfbc_vf_release(vf_port);
	return ret;
}

/* --single-process-invalidate N: inits EAL for the path and calls it. */
int
vfbc_perf_single_invalidate(unsigned long n, const char *path)
{
	char prefix[64];
	char *nopci[] = {
		(char *)(uintptr_t)"vfbc-perf", (char *)(uintptr_t)"--log-level=warning",
		(char *)(uintptr_t)"--no-huge", (char *)(uintptr_t)"-m",
		(char *)(uintptr_t)"64", (char *)(uintptr_t)"--no-shconf",
		(char *)(uintptr_t)"--no-pci", (char *)(uintptr_t)"--no-telemetry", NULL,
	};
	char *world[] = {
		(char *)(uintptr_t)"vfbc-perf", (char *)(uintptr_t)"--log-level=warning",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"64", prefix,
		(char *)(uintptr_t)"--no-telemetry", NULL,
	};
	int channel = strcmp(path, "channel") == 0;
	int ret;

	if (!channel && strcmp(path, "doorbell") != 0 && strcmp(path, "coalesce") != 0) {
		fprintf(stderr, "vfbc-perf: unknown invalidate path %s\n", path);
		return -EINVAL;
	}
	snprintf(prefix, sizeof(prefix), "--file-prefix=vfbc-perf-cg-%d", (int)getpid());
	if (channel)
		ret = rte_eal_init(RTE_DIM(nopci) - 1, nopci);
	else
		ret = rte_eal_init(RTE_DIM(world) - 1, world);
	if (ret < 0) {
		fprintf(stderr, "vfbc-perf: cannot init EAL: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	if (channel)
		ret = vfbc_perf_single_channel(n);
	else
		ret = vfbc_perf_single_driver(n, strcmp(path, "doorbell") == 0);
	rte_eal_cleanup();
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
 * Runs one callgrind child (argv, after "valgrind --tool=callgrind -q
 * --callgrind-out-file=..."), prefixed with the world builder when given,
 * and returns the inclusive count of fn per call, or -1 with *why set.
 */
static double
vfbc_perf_callgrind(const char *world, char **args, const char *fn, unsigned long n,
		char *why, size_t why_len)
{
	char out[] = "/tmp/vfbc-perf-callgrind-XXXXXX";
	char arg_out[600], arg_fn[128];
	char *argv[24];
	struct vfbc_launch l = {
		.argv = argv, .out_fd = VFBC_LAUNCH_NULL, .err_fd = VFBC_LAUNCH_NULL,
		.flags = VFBC_LAUNCH_F_PATH,
	};
	double ir;
	int fd, k = 0, i, ret;

	fd = mkstemp(out);
	if (fd < 0) {
		snprintf(why, why_len, "mkstemp: %s", strerror(errno));
		return -1;
	}
	close(fd);
	snprintf(arg_out, sizeof(arg_out), "--callgrind-out-file=%s", out);
	snprintf(arg_fn, sizeof(arg_fn), "--toggle-collect=%s", fn);
	if (world != NULL) {
		argv[k++] = (char *)(uintptr_t)world;
		argv[k++] = (char *)(uintptr_t)"--total-vfs";
		argv[k++] = (char *)(uintptr_t)"1";
		argv[k++] = (char *)(uintptr_t)"--";
	}
	argv[k++] = (char *)(uintptr_t)"valgrind";
	argv[k++] = (char *)(uintptr_t)"--tool=callgrind";
	argv[k++] = (char *)(uintptr_t)"-q";
	argv[k++] = arg_out;
	argv[k++] = arg_fn;
	for (i = 0; args[i] != NULL && k < (int)RTE_DIM(argv) - 1; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	ret = vfbc_launch_run(&l, VFBC_LAUNCH_FOREVER);
	if (ret != 0) {
		snprintf(why, why_len, "the callgrind run failed (status %d)", ret);
		unlink(out);
		return -1;
	}
	ir = vfbc_perf_annotated(out, fn);
	unlink(out);
	if (ir <= 0) {
		snprintf(why, why_len, "no count of %s in callgrind's output", fn);
		return -1;
	}
	return ir / (double)n;
}

/*
 * Runs this program under callgrind in the single-process modes, in
 * children (valgrind is slow: keep n modest), and reads the counts: the
 * channel's inline call through its wrappers, then the driver's function
 * on each path, in a world of one VF.
 */
void
vfbc_perf_instructions(struct vfbc_perf_results *r, unsigned long n)
{
	static const char *const paths[2] = { "doorbell", "coalesce" };
	char world[512], arg_n[32];
	char *args[8];
	unsigned int p;
	char why[160];
	double v;

	for (p = 0; p < 2; p++) {
		r->instr[VFBC_PERF_CHANNEL][p] = -1;
		r->instr[VFBC_PERF_DRIVER][p] = -1;
	}
	if (system("command -v valgrind >/dev/null 2>&1 && "
			"command -v callgrind_annotate >/dev/null 2>&1") != 0) {
		snprintf(r->instr_why[0], sizeof(r->instr_why[0]), "valgrind not installed");
		snprintf(r->instr_why[1], sizeof(r->instr_why[1]), "valgrind not installed");
		return;
	}
	snprintf(arg_n, sizeof(arg_n), "%lu", n);
	args[0] = (char *)(uintptr_t)vfbc_launch_self();
	args[1] = (char *)(uintptr_t)"--single-process-invalidate";
	args[2] = arg_n;
	args[3] = (char *)(uintptr_t)"--invalidate-path";
	args[5] = NULL;

	/* Channel: both wrappers in one run. */
	args[4] = (char *)(uintptr_t)"channel";
	v = vfbc_perf_callgrind(NULL, args, "vfbc_perf_inv_doorbell", n, why, sizeof(why));
	if (v > 0) {
		r->instr[VFBC_PERF_CHANNEL][0] = v;
		v = vfbc_perf_callgrind(NULL, args, "vfbc_perf_inv_coalesce", n, why,
				sizeof(why));
		r->instr[VFBC_PERF_CHANNEL][1] = v;
	}
	if (v < 0)
		snprintf(r->instr_why[VFBC_PERF_CHANNEL], sizeof(r->instr_why[0]), "%s", why);

	/* Driver: one world and one run per path. */
	if (vfbc_perf_world_bin(world, sizeof(world)) != 0) {
		snprintf(r->instr_why[VFBC_PERF_DRIVER], sizeof(r->instr_why[0]),
				"no vfbc-world for the 1-VF world the count runs in");
		return;
	}
	for (p = 0; p < 2; p++) {
		args[4] = (char *)(uintptr_t)paths[p];
		/* The coalescing run makes one more call first, to disarm the VF. */
		v = vfbc_perf_callgrind(world, args, "vfbc_perf_inv_driver", n + p, why,
				sizeof(why));
		r->instr[VFBC_PERF_DRIVER][p] = v;
		if (v < 0) {
			snprintf(r->instr_why[VFBC_PERF_DRIVER], sizeof(r->instr_why[0]), "%s",
					why);
			break;
		}
	}
}
