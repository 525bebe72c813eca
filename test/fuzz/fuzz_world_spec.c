/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * libFuzzer target: vfbc-world's spec files (what --spec FILE reads), as
 * vfbc_world_parse_spec() parses them in-process. An accepted spec keeps
 * every promise of a topology, prints and parses back to itself, and holds
 * only known keys, once each, with values in the documented grammar that
 * the topology holds. A refused spec says why and changes nothing.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_world.h"

#define FUZZ_SPEC_MAX_KEYS	16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
fuzz_spec_trim(char *s)
{
	char *end;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || (end[-1] >= '\t' && end[-1] <= '\r')))
		end--;
	*end = '\0';
	return s;
}

/* Read the accepted spec again, line by line, as the documentation puts it. */
static void
fuzz_spec_check_lines(const uint8_t *data, size_t size, const struct vfbc_world_topo *topo)
{
	const char *seen[FUZZ_SPEC_MAX_KEYS];
	unsigned int nseen;
	unsigned int i;
	char *text;
	char *line;
	char *next;
	char *key;
	char *val;
	char *c;

	FUZZ_ASSERT(memchr(data, '\0', size) == NULL, "accepted a spec with a NUL byte");
	text = malloc(size + 1);
	FUZZ_ASSERT(text != NULL, "out of memory");
	memcpy(text, data, size);
	text[size] = '\0';
	nseen = 0;
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		c = strchr(line, '#');
		if (c != NULL)
			*c = '\0';
		key = fuzz_spec_trim(line);
		if (*key == '\0')
			continue;
		c = strchr(key, '=');
		FUZZ_ASSERT(c != NULL, "accepted a line without '=': '%s'", key);
		*c = '\0';
		key = fuzz_spec_trim(key);
		val = fuzz_spec_trim(c + 1);
		FUZZ_ASSERT(fuzz_world_check_value(topo, key, strlen(key), val) == 0,
			"accepted unknown key '%s'", key);
		for (i = 0; i < nseen; i++)
			FUZZ_ASSERT(strcmp(seen[i], key) != 0, "accepted key '%s' twice", key);
		FUZZ_ASSERT(nseen < FUZZ_SPEC_MAX_KEYS, "more keys than there are");
		seen[nseen++] = key;
	}
	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i], "num-vfs") == 0)
			break;
	FUZZ_ASSERT(i < nseen || topo->num_vfs == topo->total_vfs,
		"NumVFs %u without num-vfs, TotalVFs %u", topo->num_vfs, topo->total_vfs);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfbc_world_topo canary;
	struct vfbc_world_topo topo;
	struct fuzz_world_err e;
	int ret;

	memset(&canary, 0xa5, sizeof(canary));
	topo = canary;
	fuzz_world_err_open(&e);
	ret = vfbc_world_parse_spec("fuzz.spec", (const char *)data, size, &topo, e.f);
	fuzz_world_err_close(&e);
	FUZZ_ASSERT(ret == 0 || ret == VFBC_WORLD_EXIT_USAGE, "returned %d", ret);
	fuzz_world_check_messages(&e, ret != 0, "spec");
	if (ret != 0) {
		FUZZ_ASSERT(fuzz_world_topo_equal(&topo, &canary),
			"a refused spec changed the topology");
	} else {
		fuzz_world_check_topo(&topo);
		fuzz_spec_check_lines(data, size, &topo);
	}
	free(e.buf);
	return 0;
}
