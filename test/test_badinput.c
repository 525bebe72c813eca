/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * The runner of the bad-input tables (see test_badinput.h): snapshots,
 * the row loop, the secondary's loop, and the guard that every exported
 * symbol has a row.
 */

#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_memzone.h>

#include "test.h"
#include "test_badinput.h"
#include "test_badinput_conf.h"
#include "test_pf_common.h"

/* The channel counters by name, as rows name them ("field/vf"). */
#define BI_CH_STAT(f) { RTE_STR(f), offsetof(struct vfbc_channel_stats, f) }
static const struct {
	const char *name;
	size_t off;
} bi_ch_stats[] = {
	BI_CH_STAT(invalidations), BI_CH_STAT(coalesced), BI_CH_STAT(doorbells),
	BI_CH_STAT(notify_ring_full), BI_CH_STAT(deliveries), BI_CH_STAT(resyncs),
	BI_CH_STAT(requests_posted), BI_CH_STAT(request_ring_full),
	BI_CH_STAT(requests_accepted), BI_CH_STAT(requests_rejected), BI_CH_STAT(responses),
	BI_CH_STAT(response_ring_full), BI_CH_STAT(responses_received), BI_CH_STAT(claims),
	BI_CH_STAT(takeovers), BI_CH_STAT(ring_corrupt), BI_CH_STAT(requests_unclaimed),
	BI_CH_STAT(claims_refused),
	BI_CH_STAT(requests_dropped),
	BI_CH_STAT(responses_dropped),
	BI_CH_STAT(wakeups),
};

/* A counter added to the struct must get a name here, or rows could not expect it. */
_Static_assert(sizeof(struct vfbc_channel_stats) == sizeof(bi_ch_stats) / sizeof(bi_ch_stats[0]) *
	       sizeof(uint64_t), "a channel counter has no name in bi_ch_stats");

#define BI_NB_CH_STATS RTE_DIM(bi_ch_stats)

/* Everything a row may not change, at one moment. */
struct bi_snap {
	struct test_pf_snap files;
	uint8_t *mz;
	size_t mz_len;
	unsigned int nb_xs;
	struct rte_eth_xstat_name *xs_names;
	uint64_t *xs;
	unsigned int nb_vfs;
	uint64_t *st;	/* nb_vfs x BI_NB_CH_STATS */
};

static uint8_t bi_scratch[BI_SCRATCH_SIZE] __rte_aligned(RTE_CACHE_LINE_SIZE);
static uint8_t bi_pattern[BI_SCRATCH_SIZE];

static void
bi_snap_free(struct bi_snap *s)
{
	test_pf_snap_free(&s->files);
	free(s->mz);
	free(s->xs_names);
	free(s->xs);
	free(s->st);
	memset(s, 0, sizeof(*s));
}

static int
bi_snap_xstats(uint16_t port, struct bi_snap *s)
{
	struct rte_eth_xstat *xs;
	unsigned int i;
	int n;

	n = rte_eth_xstats_get(port, NULL, 0);
	if (n <= 0)
		return -1;
	s->xs_names = calloc(n, sizeof(*s->xs_names));
	s->xs = calloc(n, sizeof(*s->xs));
	xs = calloc(n, sizeof(*xs));
	if (s->xs_names == NULL || s->xs == NULL || xs == NULL ||
	    rte_eth_xstats_get_names(port, s->xs_names, n) != n ||
	    rte_eth_xstats_get(port, xs, n) != n) {
		free(xs);
		return -1;
	}
	for (i = 0; i < (unsigned int)n; i++)
		s->xs[i] = xs[i].value;
	s->nb_xs = n;
	free(xs);
	return 0;
}

static int
bi_snap_take(const struct bi_scope *scope, struct bi_snap *s)
{
	const struct rte_memzone *mz;
	struct vfbc_channel_stats st;
	unsigned int vf, i;

	memset(s, 0, sizeof(*s));
	if (scope->world && test_pf_snap_take(&s->files) < 0) {
		printf("cannot read the world's config files\n");
		return -1;
	}
	if (scope->mz_name != NULL) {
		mz = rte_memzone_lookup(scope->mz_name);
		if (mz == NULL) {
			printf("no memzone %s\n", scope->mz_name);
			goto fail;
		}
		s->mz = malloc(mz->len);
		if (s->mz == NULL)
			goto fail;
		memcpy(s->mz, mz->addr, mz->len);
		s->mz_len = mz->len;
	}
	if (scope->xstats_port < RTE_MAX_ETHPORTS && bi_snap_xstats(scope->xstats_port, s) < 0) {
		printf("cannot read the xstats of port %u\n", scope->xstats_port);
		goto fail;
	}
	if (scope->ch != NULL) {
		s->nb_vfs = vfbc_channel_nb_vfs(scope->ch);
		s->st = calloc((size_t)s->nb_vfs * BI_NB_CH_STATS, sizeof(uint64_t));
		if (s->st == NULL)
			goto fail;
		for (vf = 0; vf < s->nb_vfs; vf++) {
			if (vfbc_channel_stats_get(scope->ch, vf, &st) < 0) {
				printf("cannot read the counters of VF %u\n", vf);
				goto fail;
			}
			for (i = 0; i < BI_NB_CH_STATS; i++)
				memcpy(&s->st[vf * BI_NB_CH_STATS + i],
				       (const uint8_t *)&st + bi_ch_stats[i].off, sizeof(uint64_t));
		}
	}
	return 0;
fail:
	bi_snap_free(s);
	return -1;
}

/*
 * Where offset off of a channel memory falls, for messages; and whether it
 * is a counter, which the stats comparison checks instead.
 */
static int
bi_mz_where(const uint8_t *base, size_t len, size_t off, char *where, size_t size)
{
	const struct vfbc_channel_shm_hdr *hdr = (const void *)base;
	size_t pf = offsetof(struct vfbc_channel_shm_vf, pf);
	size_t cons = offsetof(struct vfbc_channel_shm_vf, consumer);
	size_t blocks = offsetof(struct vfbc_channel_shm_vf, blocks);
	size_t in, vf;

	if (len < sizeof(*hdr) || off < hdr->vf_area_off || hdr->vf_size == 0) {
		snprintf(where, size, "channel header byte 0x%zx", off);
		return 0;
	}
	vf = (off - hdr->vf_area_off) / hdr->vf_size;
	in = (off - hdr->vf_area_off) % hdr->vf_size;
	if (in >= hdr->notify_ring_off) {
		snprintf(where, size, "VF %zu rings, byte 0x%zx", vf, in);
		return 0;
	}
	if (in >= blocks) {
		snprintf(where, size, "VF %zu block slot %zu, byte 0x%zx", vf,
			 (in - blocks) / sizeof(struct vfbc_channel_shm_block),
			 (in - blocks) % sizeof(struct vfbc_channel_shm_block));
		return 0;
	}
	snprintf(where, size, "VF %zu %s line, byte 0x%zx", vf,
		 in >= cons ? "consumer" : in >= pf ? "PF" : "notify", in);
	if (in >= cons + offsetof(struct vfbc_channel_shm_consumer, stats) &&
	    in < cons + offsetof(struct vfbc_channel_shm_consumer, stats) +
	    sizeof(struct vfbc_channel_shm_vf_stats))
		return 1;
	if (in >= pf + offsetof(struct vfbc_channel_shm_pf, stats) &&
	    in < pf + offsetof(struct vfbc_channel_shm_pf, stats) +
	    		sizeof(struct vfbc_channel_shm_pf_stats))
		return 1;
	return (in >= pf + offsetof(struct vfbc_channel_shm_pf, ring_corrupt) &&
		in < pf + offsetof(struct vfbc_channel_shm_pf, ring_corrupt) + sizeof(uint64_t)) ||
	       (in >= pf + offsetof(struct vfbc_channel_shm_pf, requests_unclaimed) &&
		in < pf + offsetof(struct vfbc_channel_shm_pf, requests_unclaimed) +
				sizeof(uint64_t)) ||
	       (in >= pf + offsetof(struct vfbc_channel_shm_pf, claims_refused) &&
		in < pf + offsetof(struct vfbc_channel_shm_pf, responses_dropped) +
				sizeof(uint64_t));
}

/* The counters a row names: "name", "name+N", "field/vf", "field/vf+N". */
#define BI_MAX_GROWS 8
struct bi_grow {
	char name[64];
	uint64_t n;
	int used;
};

static int
bi_grows_parse(const char *grows, struct bi_grow *g)
{
	char buf[256], *tok, *save, *plus;
	int n = 0;

	if (grows == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", grows);
	for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		if (n == BI_MAX_GROWS)
			return -1;
		plus = strchr(tok, '+');
		g[n].n = 1;
		if (plus != NULL) {
			*plus = '\0';
			g[n].n = strtoull(plus + 1, NULL, 0);
		}
		snprintf(g[n].name, sizeof(g[n].name), "%s", tok);
		g[n].used = 0;
		n++;
	}
	return n;
}

static uint64_t
bi_grows_of(struct bi_grow *g, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(g[i].name, name) == 0) {
			g[i].used = 1;
			return g[i].n;
		}
	}
	return 0;
}

/* Compare now with before; print what differs. 0 if only the named counters grew. */
static int
bi_snap_check(const struct bi_scope *scope, const struct bi_snap *before, const char *grows)
{
	struct bi_grow g[BI_MAX_GROWS];
	char name[96], where[96];
	struct bi_snap now;
	uint64_t want, got;
	unsigned int vf, i;
	int ng, ret = 0;
	size_t off;

	ng = bi_grows_parse(grows, g);
	if (ng < 0) {
		printf("too many counters in \"%s\"\n", grows);
		return -1;
	}
	if (scope->world && test_pf_snap_check(&before->files) < 0)
		ret = -1;
	if (bi_snap_take(scope, &now) < 0)
		return -1;
	for (off = 0; off < now.mz_len && off < before->mz_len; off++) {
		if (now.mz[off] == before->mz[off] ||
		    bi_mz_where(before->mz, before->mz_len, off, where, sizeof(where)))
			continue;
		printf("channel memory changed: %s is 0x%02x, was 0x%02x\n", where, now.mz[off],
		       before->mz[off]);
		ret = -1;
		break;
	}
	for (i = 0; i < now.nb_xs && i < before->nb_xs; i++) {
		want = before->xs[i] + bi_grows_of(g, ng, before->xs_names[i].name);
		if (now.xs[i] != want) {
			printf("xstat %s is %" PRIu64 ", expected %" PRIu64 "\n",
			       before->xs_names[i].name, now.xs[i], want);
			ret = -1;
		}
	}
	for (vf = 0; vf < now.nb_vfs && vf < before->nb_vfs; vf++) {
		for (i = 0; i < BI_NB_CH_STATS; i++) {
			snprintf(name, sizeof(name), "%s/%u", bi_ch_stats[i].name, vf);
			want = before->st[vf * BI_NB_CH_STATS + i] + bi_grows_of(g, ng, name);
			got = now.st[vf * BI_NB_CH_STATS + i];
			if (got != want) {
				printf("VF %u counter %s is %" PRIu64 ", expected %" PRIu64 "\n",
				       vf, bi_ch_stats[i].name, got, want);
				ret = -1;
			}
		}
	}
	for (i = 0; i < (unsigned int)ng; i++) {
		if (!g[i].used) {
			/* A typo must not make a row pass: every name must exist. */
			printf("the row names counter %s, which does not exist here\n", g[i].name);
			ret = -1;
		}
	}
	bi_snap_free(&now);
	return ret;
}

static int64_t
bi_call(const struct bi_table *t, const struct bi_row *r, int *out_ok)
{
	int64_t ret;
	size_t i;

	if (bi_pattern[0] == 0)
		for (i = 0; i < sizeof(bi_pattern); i++)
			bi_pattern[i] = (uint8_t)(0xa5 ^ (i * 7));
	memcpy(bi_scratch, bi_pattern, sizeof(bi_scratch));
	ret = t->fns[r->fn].call(r, bi_scratch);
	*out_ok = (r->flags & BI_SUCCEEDS) != 0 ||
		  memcmp(bi_scratch, bi_pattern, sizeof(bi_scratch)) == 0;
	return ret;
}

static const char *
bi_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Ask the secondary to run row i. */
static int
bi_remote_call(struct mp_child *remote, unsigned int i, int64_t *ret, int *out_ok)
{
	char rest[MP_LINE_MAX];
	unsigned int idx;

	if (remote == NULL || mp_child_send(remote, "row %u", i) < 0 ||
	    mp_child_expect(remote, "ret", rest, sizeof(rest), 30000) < 0)
		return -1;
	if (sscanf(rest, "%u %" SCNd64 " %d", &idx, ret, out_ok) != 3 || idx != i)
		return -1;
	return 0;
}

int
bi_run(const struct bi_table *t, uint8_t proc, uint8_t phase, const struct bi_scope *scope,
       struct mp_child *remote)
{
	unsigned int i, ran = 0, failed = 0;
	const struct bi_row *r;
	struct bi_snap before;
	int64_t ret;
	int out_ok, bad;

	for (i = 0; i < t->nb_rows; i++) {
		r = &t->rows[i];
		if (r->proc != proc || r->phase != phase)
			continue;
		ran++;
		if (bi_snap_take(scope, &before) < 0)
			return TEST_FAILED;
		if (proc == BI_PRIMARY) {
			ret = bi_call(t, r, &out_ok);
		} else if (bi_remote_call(remote, i, &ret, &out_ok) < 0) {
			printf("the secondary did not run row %u\n", i);
			bi_snap_free(&before);
			return TEST_FAILED;
		}
		bad = 0;
		if (ret != r->ret) {
			printf("%s:%u: %s returned %" PRId64 " (%s), documented %" PRId64 " (%s)\n",
			       bi_base(t->file), r->line, t->fns[r->fn].name, ret,
			       ret < 0 ? strerror((int)-ret) : "-", r->ret,
			       r->ret < 0 ? strerror((int)-r->ret) : "-");
			bad = 1;
		}
		if (!out_ok) {
			printf("%s:%u: %s failed but wrote into its output buffer\n",
			       bi_base(t->file), r->line, t->fns[r->fn].name);
			bad = 1;
		}
		if (bi_snap_check(scope, &before, r->grows) < 0) {
			printf("%s:%u: %s changed the state above\n", bi_base(t->file), r->line,
			       t->fns[r->fn].name);
			bad = 1;
		}
		bi_snap_free(&before);
		if (bad) {
			printf("%s:%u: FAILED row %u%s: %s(id %" PRId64 ", a 0x%" PRIx64
			       ", b 0x%" PRIx64 ", v 0x%" PRIx64 ", who %u, NULL mask %u)\n",
			       bi_base(t->file), r->line, i,
			       proc == BI_SECONDARY ? " (secondary)" : "", t->fns[r->fn].name,
			       r->id, r->a, r->b, r->v, r->who, r->ptr);
			failed++;
		}
	}
	printf("%s: %u rows (%s, phase %u), %u failed\n", t->header, ran,
	       proc == BI_SECONDARY ? "secondary" : "primary", phase, failed);
	TEST_ASSERT(ran > 0, "no row of %s runs there", t->header);
	return failed == 0 ? TEST_SUCCESS : TEST_FAILED;
}

int
bi_serve(const struct bi_table *t)
{
	char line[MP_LINE_MAX];
	unsigned int i;
	int64_t ret;
	int out_ok;

	if (mp_agent_send("ready") < 0)
		return TEST_FAILED;
	while (mp_agent_recv(line, sizeof(line), 120000) >= 0) {
		if (strcmp(line, "quit") == 0)
			return mp_agent_send("bye") < 0 ? TEST_FAILED : TEST_SUCCESS;
		if (sscanf(line, "row %u", &i) != 1 || i >= t->nb_rows ||
		    t->rows[i].proc != BI_SECONDARY) {
			mp_agent_send("error bad command \"%s\"", line);
			continue;
		}
		ret = bi_call(t, &t->rows[i], &out_ok);
		if (mp_agent_send("ret %u %" PRId64 " %d", i, ret, out_ok) < 0)
			return TEST_FAILED;
	}
	return TEST_FAILED;
}

int
bi_remote_start(struct mp_child *c, const char *command, const char *eal_args,
		const char * const *env)
{
	if (mp_child_spawn(c, command, eal_args, env) < 0 ||
	    mp_child_expect(c, "ready", NULL, 0, 30000) < 0) {
		printf("the secondary %s did not start\n", command);
		mp_child_close(c);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

int
bi_remote_stop(struct mp_child *c)
{
	int ret = TEST_SUCCESS;
	int st;

	if (c->pid < 0)
		return TEST_SUCCESS;
	if (mp_child_send(c, "quit") < 0 || mp_child_expect(c, "bye", NULL, 0, 10000) < 0)
		ret = TEST_FAILED;
	st = mp_child_wait(c, 10000);
	if (st != 0) {
		printf("the secondary %s exited with %d\n", c->name, st);
		ret = TEST_FAILED;
	}
	mp_child_close(c);
	return ret;
}

void *
bi_ptr(const struct bi_row *r, uint8_t *scratch, unsigned int i)
{
	if (r->ptr & (i == 1 ? BI_NULL1 : BI_NULL2))
		return NULL;
	/* Far enough apart for any output of the API (a config space is 4 KiB). */
	return scratch + (i - 1) * 8192;
}

uint16_t
bi_unused_port(void)
{
	uint16_t p;

	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (!rte_eth_dev_is_valid_port(p))
			break;
	return p;
}

/* ---- the guard: every exported symbol has a row ---- */

static const struct bi_table * const bi_tables[] = {
	&bi_pf_table, &bi_vf_table, &bi_channel_table,
};

/*
 * Exported data: the fast-path tables the inline API functions read
 * (__vfbc_experimental_data). No call to make; the rows of the inline
 * function that reads each one stand for it.
 */
static const char * const bi_data_symbols[][2] = {
	{ "vfbc_vf_fp_ports", "vfbc_vf_poll" },
	{ "vfbc_pf_fp_ports", "vfbc_pf_invalidate_config_blocks" },
};

static int
bi_symbol_has_row(const char *sym)
{
	const struct bi_table *t;
	unsigned int i, j;

	for (i = 0; i < RTE_DIM(bi_data_symbols); i++)
		if (strcmp(bi_data_symbols[i][0], sym) == 0)
			sym = bi_data_symbols[i][1];

	for (i = 0; i < RTE_DIM(bi_tables); i++) {
		t = bi_tables[i];
		for (j = 0; j < t->nb_rows; j++)
			if (strcmp(t->fns[t->rows[j].fn].name, sym) == 0)
				return 1;
	}
	return 0;
}

/* The symbols of a version map's global: lists; -1 if unreadable. */
static int
bi_map_check(const char *path, unsigned int *nb_syms, unsigned int *missing)
{
	char line[256], sym[128];
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		printf("%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		/* "name;" alone on its line; "local: *;" and the block lines are not symbols. */
		if (sscanf(line, " %127[A-Za-z0-9_];", sym) != 1 || strchr(line, ';') == NULL ||
		    strchr(line, ':') != NULL)
			continue;
		(*nb_syms)++;
		if (!bi_symbol_has_row(sym)) {
			printf("%s: %s has no row in the bad-input tables\n", bi_base(path), sym);
			(*missing)++;
		}
	}
	fclose(f);
	return 0;
}

static int
test_badinput_symbols(void)
{
	/*
	 * The API's maps: the net drivers' and the library's. The drivers'
	 * common library (drivers/common) exports to the drivers only
	 * (__vfbc_internal): no caller outside vfbc, no row.
	 */
	static const char * const patterns[] = {
		VFBC_TEST_SOURCE_ROOT "/drivers/net/*/version.map",
		VFBC_TEST_SOURCE_ROOT "/lib/*/version.map",
	};
	unsigned int nb_syms = 0, missing = 0, nb_maps = 0, i, j, k;
	const struct bi_table *t;
	glob_t g;

	for (i = 0; i < RTE_DIM(patterns); i++) {
		if (glob(patterns[i], 0, NULL, &g) != 0)
			continue;
		for (j = 0; j < g.gl_pathc; j++) {
			if (bi_map_check(g.gl_pathv[j], &nb_syms, &missing) < 0) {
				globfree(&g);
				return TEST_FAILED;
			}
			nb_maps++;
		}
		globfree(&g);
	}
	/* The three components each have a map: finding fewer means a wrong path. */
	TEST_ASSERT(nb_maps >= 3, "found %u version maps under %s", nb_maps,
		    VFBC_TEST_SOURCE_ROOT);
	/* And a function of a table that no row calls is a gap of its own. */
	for (i = 0; i < RTE_DIM(bi_tables); i++) {
		t = bi_tables[i];
		for (j = 0; j < t->nb_fns; j++) {
			for (k = 0; k < t->nb_rows; k++)
				if (t->rows[k].fn == j)
					break;
			if (k == t->nb_rows) {
				printf("%s: %s has no row\n", t->header, t->fns[j].name);
				missing++;
			}
		}
		printf("%s: %u rows, %u functions\n", t->header, t->nb_rows, t->nb_fns);
	}
	printf("%u symbols in %u version maps, %u without a row\n", nb_syms, nb_maps, missing);
	TEST_ASSERT(missing == 0, "%u symbols or functions have no bad-input row", missing);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(badinput_symbols_autotest, test_badinput_symbols);
