/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The driver's service loop in other worlds than the run's own: this
 * program again (a nested run, --part-out FILE), in a world of one VF for
 * the "1 VF" figure (the PF driver's channel has TotalVFs slots), and in a
 * world of VFBC_PERF_SCALE_PFS PFs of VFBC_CHANNEL_MAX_VFS VFs each for the
 * scale figure: one primary, one loop over all its PFs, VF 0 of the first
 * PF busy and every other VF idle. The nested run also says how much memory
 * its PFs' channels take and how much heap is in use, which the two worlds
 * turn into bytes per VF. This process and its VF processes wait meanwhile.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include <vfbc_channel.h>
#include <vfbc_launch.h>

#include "perf.h"

/* What one nested run measured ("key value" lines of its --part-out file). */
struct vfbc_perf_part {
	unsigned int pfs;
	unsigned int vfs;
	double busy_ns;
	double busy_req_ns;
	double work_req_ns;
	double idle_ns;
	double chan_bytes;
	double heap_bytes;
};

/*
 * Bytes of the PF channels' memzones, the VFs they serve and the PFs, over
 * every net_vfbc_pf port of the run (the service loop polls them all).
 */
static int
vfbc_perf_part_channels(unsigned int *pfs, unsigned int *vfs, double *chan_bytes)
{
	char name[RTE_ETH_NAME_MAX_LEN], mz_name[RTE_ETH_NAME_MAX_LEN + 16];
	const struct rte_memzone *mz;
	struct vfbc_pf_sriov_info si;
	uint16_t port;
	int ret;

	*pfs = 0;
	*vfs = 0;
	*chan_bytes = 0;
	RTE_ETH_FOREACH_DEV(port) {
		if (vfbc_pf_vf_count(port) <= 0)
			continue;
		ret = vfbc_pf_get_sriov_info(port, &si);
		if (ret == 0)
			ret = rte_eth_dev_get_name_by_port(port, name);
		if (ret != 0)
			return ret;
		(*pfs)++;
		*vfs += RTE_MIN(si.total_vfs, si.max_vfs);
		snprintf(mz_name, sizeof(mz_name), "%s%s", VFBC_CHANNEL_MZ_PREFIX, name);
		mz = rte_memzone_lookup(mz_name);
		if (mz == NULL)
			return -ENOENT;
		*chan_bytes += (double)mz->len;
	}
	return 0;
}

/* Heap in use, every socket: the primary's and its VF processes' (one heap). */
static double
vfbc_perf_heap_bytes(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int s;
	double sum = 0;

	for (s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0)
			sum += (double)st.heap_allocsz_bytes;
	return sum;
}

/*
 * In the nested run: the driver-level pair over this world's PFs, written
 * as "key value" lines.
 */
int
vfbc_perf_part_service(const struct vfbc_perf_opts *o, double seconds)
{
	struct vfbc_perf_part p;
	struct vfbc_perf_target t;
	FILE *f;
	int ret;

	memset(&p, 0, sizeof(p));
	ret = vfbc_perf_part_channels(&p.pfs, &p.vfs, &p.chan_bytes);
	if (ret == 0)
		ret = vfbc_perf_target_get(&t, VFBC_PERF_DRIVER, NULL);
	if (ret == 0)
		ret = vfbc_perf_service_pair(&t, NULL, 1, seconds, &p.busy_ns, &p.busy_req_ns,
				&p.idle_ns, &p.work_req_ns);
	if (ret != 0)
		return ret;
	f = fopen(o->part_out, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "pfs %u\nvfs %u\nbusy_ns %.17g\nbusy_req_ns %.17g\nwork_req_ns %.17g\n"
			"idle_ns %.17g\nchan_bytes %.17g\nheap_bytes %.17g\n", p.pfs, p.vfs,
			p.busy_ns, p.busy_req_ns, p.work_req_ns, p.idle_ns, p.chan_bytes,
			vfbc_perf_heap_bytes());
	return fclose(f) == 0 ? 0 : -errno;
}

static int
vfbc_perf_part_read(const char *path, struct vfbc_perf_part *p)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "busy_ns", offsetof(struct vfbc_perf_part, busy_ns) },
		{ "busy_req_ns", offsetof(struct vfbc_perf_part, busy_req_ns) },
		{ "work_req_ns", offsetof(struct vfbc_perf_part, work_req_ns) },
		{ "idle_ns", offsetof(struct vfbc_perf_part, idle_ns) },
		{ "chan_bytes", offsetof(struct vfbc_perf_part, chan_bytes) },
		{ "heap_bytes", offsetof(struct vfbc_perf_part, heap_bytes) },
	};
	unsigned int got = 0, i;
	char key[32];
	double v;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	while (fscanf(f, "%31s %lf", key, &v) == 2) {
		if (strcmp(key, "pfs") == 0) {
			p->pfs = (unsigned int)v;
			got++;
		} else if (strcmp(key, "vfs") == 0) {
			p->vfs = (unsigned int)v;
			got++;
		}
		for (i = 0; i < RTE_DIM(keys); i++) {
			if (strcmp(key, keys[i].key) == 0) {
				*(double *)((char *)p + keys[i].off) = v;
				got++;
			}
		}
	}
	fclose(f);
	return got == RTE_DIM(keys) + 2 ? 0 : -EPROTO;
}

/*
 * Runs this program for the service pair only, in a world built with
 * world_args (NULL-terminated), on the same CPUs. 0, 1 (no vfbc-world) or
 * a negative errno; why says what failed.
 */
static int
vfbc_perf_part_run(const struct vfbc_perf_opts *o, const char *const *world_args,
		struct vfbc_perf_part *p, char *why, size_t why_len)
{
	char bin[512], out[] = "/tmp/vfbc-perf-part-XXXXXX";
	char lcores[64], dur[32], arg_out[64];
	char *argv[24];
	struct vfbc_launch nested = { .argv = argv };
	size_t len = 0;
	unsigned int i;
	int fd, k = 0, ret;

	memset(p, 0, sizeof(*p));
	if (vfbc_perf_world_bin(bin, sizeof(bin)) != 0) {
		snprintf(why, why_len, "no vfbc-world to build the world");
		return 1;
	}
	fd = mkstemp(out);
	if (fd < 0)
		return -errno;
	close(fd);
	for (i = 0; i < o->nb_lcores && len < sizeof(lcores); i++)
		len += snprintf(lcores + len, sizeof(lcores) - len, "%s%d", i ? "," : "",
				o->lcores[i]);
	snprintf(dur, sizeof(dur), "%g", o->duration);
	snprintf(arg_out, sizeof(arg_out), "%s", out);
	argv[k++] = bin;
	for (i = 0; world_args[i] != NULL; i++)
		argv[k++] = (char *)(uintptr_t)world_args[i];
	argv[k++] = (char *)(uintptr_t)"--";
	argv[k++] = (char *)(uintptr_t)vfbc_launch_self();
	argv[k++] = (char *)(uintptr_t)"--no-telemetry";
	argv[k++] = (char *)(uintptr_t)"--";
	argv[k++] = (char *)(uintptr_t)"--lcores";
	argv[k++] = lcores;
	argv[k++] = (char *)(uintptr_t)"--duration";
	argv[k++] = dur;
	argv[k++] = (char *)(uintptr_t)"--vfs";
	argv[k++] = (char *)(uintptr_t)"1";
	argv[k++] = (char *)(uintptr_t)"--part-out";
	argv[k++] = arg_out;
	argv[k] = NULL;
	RTE_VERIFY(k < (int)RTE_DIM(argv));
	ret = vfbc_launch_run(&nested, VFBC_LAUNCH_FOREVER);
	if (ret != 0) {
		snprintf(why, why_len, "the nested run failed (status %d)", ret);
		ret = -EIO;
	} else {
		ret = vfbc_perf_part_read(out, p);
		if (ret != 0)
			snprintf(why, why_len, "the nested run's results are incomplete");
	}
	unlink(out);
	return ret;
}

/* The driver-level "1 VF" figure: a world of one VF (vfbc-world --total-vfs 1). */
int
vfbc_perf_pf_service_small(struct vfbc_perf_results *r, const struct vfbc_perf_opts *o)
{
	static const char *const world[] = { "--total-vfs", "1", NULL };
	struct vfbc_perf_level_res *l = &r->lv[VFBC_PERF_DRIVER];
	struct vfbc_perf_part p;
	char why[128];
	int ret;

	ret = vfbc_perf_part_run(o, world, &p, why, sizeof(why));
	if (ret != 0) {
		snprintf(l->service_why, sizeof(l->service_why), "1-VF figure not measured: %s",
				why);
		return ret > 0 ? 0 : ret;
	}
	l->service_small_vfs = p.vfs;
	l->service_ns_1 = p.busy_ns;
	l->service_req_ns_1 = p.busy_req_ns;
	l->service_work_ns_1 = p.work_req_ns;
	l->service_idle_ns_1 = p.idle_ns;
	r->small_heap_bytes = p.heap_bytes;
	return 0;
}

/*
 * The scale figure: VFBC_PERF_SCALE_PFS PFs of VFBC_CHANNEL_MAX_VFS VFs,
 * each PF's VFs on buses of their own (vfbc-world --pfs). Needs the 1-VF
 * run first for the heap per VF. A failure is reported, not fatal: the
 * rest of the run stands.
 */
int
vfbc_perf_pf_service_scale(struct vfbc_perf_results *r, const struct vfbc_perf_opts *o)
{
	static char pfs[8], vfs[8];
	static const char *const world[] = { "--pfs", pfs, "--total-vfs", vfs, NULL };
	struct vfbc_perf_part p;
	int ret;

	snprintf(pfs, sizeof(pfs), "%u", VFBC_PERF_SCALE_PFS);
	snprintf(vfs, sizeof(vfs), "%u", VFBC_CHANNEL_MAX_VFS);
	ret = vfbc_perf_part_run(o, world, &p, r->scale_why, sizeof(r->scale_why));
	if (ret == 0 && (p.pfs != VFBC_PERF_SCALE_PFS || p.vfs <= 1)) {
		snprintf(r->scale_why, sizeof(r->scale_why), "the nested run drove %u PFs and "
				"%u VFs, not %u PFs", p.pfs, p.vfs, VFBC_PERF_SCALE_PFS);
		ret = -EPROTO;
	}
	if (ret != 0) {
		fprintf(stderr, "vfbc-perf: scale run: %s\n", r->scale_why);
		return 0;
	}
	r->scale_pfs = p.pfs;
	r->scale_vfs = p.vfs;
	r->scale_service_ns = p.busy_ns;
	r->scale_service_req_ns = p.busy_req_ns;
	r->scale_service_idle_ns = p.idle_ns;
	r->scale_chan_bytes_per_vf = p.chan_bytes / p.vfs;
	if (r->small_heap_bytes > 0 && r->lv[VFBC_PERF_DRIVER].service_small_vfs < p.vfs)
		r->scale_heap_bytes_per_vf = (p.heap_bytes - r->small_heap_bytes) /
			(p.vfs - r->lv[VFBC_PERF_DRIVER].service_small_vfs);
	r->scale_valid = 1;
	return 0;
}
