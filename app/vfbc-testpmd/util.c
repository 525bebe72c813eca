/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/* Console output shared by the commands, the actions and their threads. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

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

void
vfbc_tp_async_line(const char *fmt, ...)
{
	va_list ap;

	/* Waits for the command running on the console, if any. */
	flockfile(stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	funlockfile(stdout);
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
