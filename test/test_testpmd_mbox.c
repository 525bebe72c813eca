/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc-testpmd consoles side by side: a PF primary and VF secondaries
 * (-a <VF>), each driven through its stdin, as a user would in three
 * terminals. The PF publishes and invalidates blocks, the VFs receive the
 * asynchronous lines, wait for and read back what was sent, and send
 * requests that the PF's verdict mode and its config-space policy decide.
 * Every command's output block is checked at the end, and the world's
 * config files say what the requests really did.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_testpmd_session.h"

#define TP_PF		"0000:01:00.0"
#define TP_WORLD_OPTS	"--pf " TP_PF " --total-vfs 4"
#define TP_WAIT_S	30	/* Longest a command may take here. */

/* A console and the commands sent to it, to check its blocks at the end. */
struct tp_console {
	const char *name;
	struct tp_session s;
	struct tp_script sc;
	unsigned int sync;
};

static struct tp_topo tp_topo;
static struct tp_console tp_pf;
static struct tp_console tp_vf[2];

static int
tp_mbox_setup(void)
{
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("not in an emulated world (run it through vfbc-test)");
	TEST_ASSERT_SUCCESS(tp_topo_read(TP_PF, &tp_topo), "cannot read the world's PF");
	TEST_ASSERT(tp_topo.num_vfs >= 2, "the world has fewer than 2 VFs");
	return TEST_SUCCESS;
}

static void
tp_console_reset(struct tp_console *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->s.pid = c->s.in_fd = c->s.out_fd = -1;
}

/*
 * Send a command without waiting (it may block on another console); a
 * comment after it tells when it is done (tp_console_sync()).
 */
static int
tp_console_send(struct tp_console *c, const char *expect, const char *fmt, ...)
{
	char cmd[TP_CMD_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	tp_add(&c->sc, expect, "%s", cmd);
	c->sync++;
	tp_add(&c->sc, "", "# sync %u", c->sync);
	if (tp_session_send(&c->s, cmd) < 0) {
		printf("%s: cannot send '%s'\n", c->name, cmd);
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "# sync %u", c->sync);
	return tp_session_send(&c->s, cmd);
}

/* Wait until the last command sent is done. */
static int
tp_console_sync(struct tp_console *c)
{
	char line[64];

	snprintf(line, sizeof(line), "vfbc-testpmd> # sync %u", c->sync);
	if (tp_session_wait_line(&c->s, line, TP_WAIT_S) < 0) {
		printf("%s: no answer within %d s:\n%s", c->name, TP_WAIT_S,
				c->s.out != NULL ? c->s.out : "");
		return -1;
	}
	return 0;
}

/* Run a command and wait for it; its expected line is checked at the end. */
#define TP_RUN(c, expect, ...) do { \
	if (tp_console_send(c, expect, __VA_ARGS__) < 0 || tp_console_sync(c) < 0) \
		goto out; \
} while (0)

/* Wait for a line anywhere in a console's output (an asynchronous one). */
#define TP_WAIT_LINE(c, line) do { \
	if (tp_session_wait_line(&(c)->s, line, TP_WAIT_S) < 0) { \
		printf("%s: no line \"%s\" within %d s:\n%s", (c)->name, line, TP_WAIT_S, \
				(c)->s.out); \
		goto out; \
	} \
} while (0)

/* Start the PF primary and a VF secondary per VF console; VF i is port 1 + i. */
static int
tp_consoles_start(const char *pf_app_args)
{
	char eal[256];
	char line[TP_LINE_MAX];
	struct rte_pci_addr a;
	char pci[PCI_PRI_STR_SIZE];
	unsigned int i;

	tp_console_reset(&tp_pf, "PF primary");
	for (i = 0; i < RTE_DIM(tp_vf); i++)
		tp_console_reset(&tp_vf[i], i == 0 ? "VF 0 secondary" : "VF 1 secondary");
	if (tp_session_start(&tp_pf.s, tp_eal_args(0), pf_app_args) < 0)
		return -1;
	/* The primary is up once it answered. */
	if (tp_console_send(&tp_pf, "Driver name: net_vfbc_pf", "show port info 0") < 0 ||
			tp_console_sync(&tp_pf) < 0)
		return -1;
	for (i = 0; i < RTE_DIM(tp_vf); i++) {
		a = tp_vf_addr(&tp_topo, i);
		rte_pci_device_name(&a, pci, sizeof(pci));
		snprintf(eal, sizeof(eal), "%s -a %s", tp_eal_args(1), pci);
		if (tp_session_start(&tp_vf[i].s, eal, "") < 0)
			return -1;
		snprintf(line, sizeof(line), "Device name: %s", pci);
		if (tp_console_send(&tp_vf[i], line, "show port info %u", 1 + i) < 0 ||
				tp_console_sync(&tp_vf[i]) < 0)
			return -1;
	}
	return 0;
}

/* Quit a console, check its blocks and its exit status. @return 0 or -1. */
static int
tp_console_quit(struct tp_console *c, int want)
{
	if (c->s.pid < 0)
		return 0;
	tp_session_send(&c->s, "quit");
	if (tp_session_finish(&c->s, TP_WAIT_S) != want || tp_script_check(&c->s, &c->sc) < 0) {
		printf("%s: exit status %d, expected %d\n--- session ---\n%s--- end ---\n",
				c->name, c->s.status, want, c->s.out);
		return -1;
	}
	return 0;
}

/* Quit every console, check every block and exit status. */
static int
tp_consoles_finish(int pf_status, const int vf_status[2])
{
	unsigned int i;
	int ret;

	ret = 0;
	/* VFs first: the primary must outlive its secondaries. */
	for (i = 0; i < RTE_DIM(tp_vf); i++)
		if (tp_console_quit(&tp_vf[i], vf_status[i]) < 0)
			ret = -1;
	if (tp_console_quit(&tp_pf, pf_status) < 0)
		ret = -1;
	return ret;
}

static void
tp_consoles_free(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(tp_vf); i++)
		tp_session_free(&tp_vf[i].s);
	tp_session_free(&tp_pf.s);
}

/* Number of lines of @p text that contain @p what. */
static unsigned int
tp_count_lines(const char *text, const char *what)
{
	const char *p, *end;
	unsigned int n;

	n = 0;
	for (p = text; p != NULL && *p != '\0'; p = end != NULL ? end + 1 : NULL) {
		end = strchr(p, '\n');
		if (memmem(p, end != NULL ? (size_t)(end - p) : strlen(p), what,
				strlen(what)) != NULL)
			n++;
	}
	return n;
}

/* The "show vf list" line of a VF with a consumer. */
static void
tp_consumer_line(unsigned int vf, int pid, char *buf, size_t len)
{
	char pci[PCI_PRI_STR_SIZE];
	struct rte_pci_addr a;
	char ids[16];
	char who[24];

	a = tp_vf_addr(&tp_topo, vf);
	rte_pci_device_name(&a, pci, sizeof(pci));
	snprintf(ids, sizeof(ids), "%04x:%04x", tp_topo.vendor, tp_topo.vf_device);
	snprintf(who, sizeof(who), "pid %d", pid);
	snprintf(buf, len, "  %-4u %-13s %-9s %-10s %s", vf, pci, ids, "ready", who);
}

static int
test_testpmd_mbox_delivers_invalidations(void)
{
	static const int vf_ok[2] = { 0, 0 };
	char line[TP_LINE_MAX];
	int ret;

	ret = TEST_FAILED;
	if (tp_consoles_start("") < 0)
		goto out;

	/* Each VF secondary holds its VF's claim: the PF sees its pid. */
	tp_consumer_line(0, tp_vf[0].s.pid, line, sizeof(line));
	TP_RUN(&tp_pf, line, "show vf list 0");
	tp_consumer_line(1, tp_vf[1].s.pid, line, sizeof(line));
	TP_RUN(&tp_pf, line, "show vf list 0");

	/* Blocks first, then the invalidation: the VF reads the new data. */
	TP_RUN(&tp_pf, "VF 0: block 3 stored (4 bytes)", "set vf config-block 0 0 3 1 2 3 0xff");
	TP_RUN(&tp_pf, "VF 0: block 0 stored (2 bytes)", "set vf config-block 0 0 0 0xaa 0xbb");
	TP_RUN(&tp_pf, "VF 1: block 3 stored (1 byte)", "set vf config-block 0 1 3 7");
	TP_RUN(&tp_pf, "  0x000: 01 02 03 ff", "show vf config-block 0 0 3");
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000009",
			"invalidate vf config-block 0 0 0x9");
	TP_WAIT_LINE(&tp_vf[0], "Port 1: config blocks invalidated, mask 0x0000000000000009");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #1, mask 0x0000000000000009",
			"wait vf invalidate 1 5000");
	TP_RUN(&tp_vf[0], "  0x000: 01 02 03 ff", "read vf config-block 1 3");
	TP_RUN(&tp_vf[0], "  0x000: aa bb", "read vf config-block 1 0");
	/* VF 1 got nothing: the invalidation was for VF 0 only. */
	TP_RUN(&tp_vf[1], "Port 2: 0 invalidations received", "show vf events 2");

	/* All VFs at once, decimal mask, and the largest mask. */
	TP_RUN(&tp_pf, "All VFs of port 0: config blocks invalidated, mask 0x0000000000000008",
			"invalidate vf config-block 0 all 8");
	TP_RUN(&tp_vf[1], "Port 2: invalidation #1, mask 0x0000000000000008",
			"wait vf invalidate 2 5000");
	TP_RUN(&tp_vf[1], "  0x000: 07", "read vf config-block 2 3");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #2, mask 0x0000000000000008",
			"wait vf invalidate 1 5000");
	TP_RUN(&tp_pf, "VF 1: config blocks invalidated, mask 0xffffffffffffffff",
			"invalidate vf config-block 0 1 0xffffffffffffffff");
	TP_RUN(&tp_vf[1], "Port 2: invalidation #2, mask 0xffffffffffffffff",
			"wait vf invalidate 2 5000");
	/* Both VFs in one call, each its own mask. */
	TP_RUN(&tp_pf, "Port 0: 2 pairs invalidated in one call",
			"invalidate vf config-block 0 bulk 1:0x40,0:0x30");
	TP_RUN(&tp_vf[1], "Port 2: invalidation #3, mask 0x0000000000000040",
			"wait vf invalidate 2 5000");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #3, mask 0x0000000000000030",
			"wait vf invalidate 1 5000");
	TP_RUN(&tp_vf[1], "Port 2: 3 invalidations received", "show vf events 2");
	TP_RUN(&tp_vf[0], "Port 1: 3 invalidations received", "show vf events 1");
	if (!tp_has_line_prefix(tp_vf[0].s.out, "  #      Time            Mask")) {
		printf("show vf events: no table header\n%s", tp_vf[0].s.out);
		goto out;
	}

	if (tp_consoles_finish(0, vf_ok) < 0)
		goto out;
	/* Once the VF processes are gone, their claims are too. */
	ret = TEST_SUCCESS;
out:
	tp_consoles_free();
	return ret;
}

/* "set vf sleep": the VF console stops polling; the PF's invalidations still arrive. */
static int
test_testpmd_mbox_sleep_mode(void)
{
	static const int vf_ok[2] = { 0, 0 };
	int ret;

	ret = TEST_FAILED;
	if (tp_consoles_start("") < 0)
		goto out;
	TP_RUN(&tp_vf[0], "Port 1: sleep mode on: the PF's invalidations wake EAL's interrupt"
			" thread, which delivers them; nothing polls the port",
			"set vf sleep 1 on");
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000005",
			"invalidate vf config-block 0 0 0x5");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #1, mask 0x0000000000000005",
			"wait vf invalidate 1 5000");
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000100",
			"invalidate vf config-block 0 0 0x100");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #2, mask 0x0000000000000100",
			"wait vf invalidate 1 5000");
	TP_RUN(&tp_vf[0], "Port 1: sleep mode off: polled again", "set vf sleep 1 off");
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000002",
			"invalidate vf config-block 0 0 0x2");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #3, mask 0x0000000000000002",
			"wait vf invalidate 1 5000");
	if (tp_consoles_finish(0, vf_ok) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	tp_consoles_free();
	return ret;
}

/*
 * "wait vf invalidate ... spin": the console delivers by the adaptive wait
 * (the polling thread leaves the port meanwhile), an invalidation already
 * received is returned first, a timeout says so, and bad arguments or
 * sleep mode change nothing: no invalidation is returned twice or lost.
 */
static int
test_testpmd_mbox_adaptive_wait(void)
{
	static const int vf_status[2] = { 1, 0 };
	int ret;

	ret = TEST_FAILED;
	if (tp_consoles_start("") < 0)
		goto out;
	/* Asleep when the PF invalidates (20 s at most): the wait delivers it. */
	if (tp_console_send(&tp_vf[0], "Port 1: invalidation #1, mask 0x0000000000000004"
			" (adaptive wait, spin 100 us)", "wait vf invalidate 1 20000 spin 100") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000004",
			"invalidate vf config-block 0 0 0x4");
	if (tp_console_sync(&tp_vf[0]) < 0)
		goto out;
	TP_WAIT_LINE(&tp_vf[0], "Port 1: config blocks invalidated, mask 0x0000000000000004");
	/* Received by the polling thread before the wait: returned first. */
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000008",
			"invalidate vf config-block 0 0 0x8");
	TP_WAIT_LINE(&tp_vf[0], "Port 1: config blocks invalidated, mask 0x0000000000000008");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #2, mask 0x0000000000000008",
			"wait vf invalidate 1 5000 spin 0");
	TP_RUN(&tp_vf[0], "Error: wait vf invalidate: port 1: timeout: no invalidation within"
			" 1000 us of spin and 100 ms asleep", "wait vf invalidate 1 100 spin 1000");
	/* Bad arguments, and the callback mode: refused, nothing taken. */
	TP_RUN(&tp_vf[0], "Error: wait vf invalidate: timeout_ms 3000000000 is above"
			" 2147483647", "wait vf invalidate 1 3000000000 spin 0");
	TP_RUN(&tp_vf[0], "Error: bad arguments: wait vf invalidate 1 100 spin: missing"
			" <spin_us>", "wait vf invalidate 1 100 spin");
	TP_RUN(&tp_vf[0], "Error: bad arguments: wait vf invalidate 1 100 spin -5: <spin_us>"
			" '-5' has a sign: numbers here are unsigned",
			"wait vf invalidate 1 100 spin -5");
	TP_RUN(&tp_vf[0], "Port 1: sleep mode on: the PF's invalidations wake EAL's interrupt"
			" thread, which delivers them; nothing polls the port",
			"set vf sleep 1 on");
	TP_RUN(&tp_vf[0], "Error: wait vf invalidate: port 1: sleep mode is on, EAL's interrupt"
			" thread delivers (set vf sleep 1 off first)",
			"wait vf invalidate 1 100 spin 10");
	TP_RUN(&tp_vf[0], "Port 1: sleep mode off: polled again", "set vf sleep 1 off");
	TP_RUN(&tp_vf[0], "Port 1: 2 invalidations received", "show vf events 1");
	TP_RUN(&tp_vf[0], "Error: wait vf invalidate: port 1: no invalidation within 100 ms",
			"wait vf invalidate 1 100");
	/* Polled again after the waits: the next one is the polling thread's. */
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000010",
			"invalidate vf config-block 0 0 0x10");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #3, mask 0x0000000000000010",
			"wait vf invalidate 1 5000");
	/* In a process that does not hold the claim. */
	TP_RUN(&tp_pf, "Error: wait vf invalidate: port 1: this process does not hold the"
			" VF's claim, it receives no invalidations (run a secondary with -a <VF>)",
			"wait vf invalidate 1 10 spin 5");
	/* A reset ends a wait early: said so, not called a timeout. */
	if (tp_console_send(&tp_vf[0], "Error: wait vf invalidate: port 1: woken by a life event:"
			" the PF reset the VF (FLR); no invalidation",
			"wait vf invalidate 1 20000 spin 0") < 0)
		goto out;
	rte_delay_us_sleep(300000);
	TP_RUN(&tp_pf, "VF 0: function-level reset done", "reset vf 0 0");
	if (tp_console_sync(&tp_vf[0]) < 0)
		goto out;
	/* Consoles that reported errors exit with 1. */
	if (tp_consoles_finish(1, vf_status) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	tp_consoles_free();
	return ret;
}

/*
 * Two waits back to back, as a script sends them: the second starts the
 * moment the first returns. The invalidation that ends the second wait
 * must be received even if the line announcing the first one could not be
 * printed in between, because the console held its output for the waits.
 */
static int
test_testpmd_mbox_waits_back_to_back(void)
{
	static const int vf_ok[2] = { 0, 0 };
	int ret;

	ret = TEST_FAILED;
	if (tp_consoles_start("") < 0)
		goto out;
	/* No sync between them: nothing comes between the two on the console. */
	tp_add(&tp_vf[0].sc, "Port 1: invalidation #1, mask 0x0000000000000001",
			"wait vf invalidate 1 20000");
	if (tp_session_send(&tp_vf[0].s, "wait vf invalidate 1 20000") < 0 ||
			tp_console_send(&tp_vf[0], "Port 1: invalidation #2, mask"
				" 0x0000000000000002", "wait vf invalidate 1 20000") < 0)
		goto out;
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000001",
			"invalidate vf config-block 0 0 1");
	TP_WAIT_LINE(&tp_vf[0], "Port 1: invalidation #1, mask 0x0000000000000001");
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000002",
			"invalidate vf config-block 0 0 2");
	if (tp_console_sync(&tp_vf[0]) < 0)
		goto out;
	/* Both lines were printed in the end, whole. */
	TP_WAIT_LINE(&tp_vf[0], "Port 1: config blocks invalidated, mask 0x0000000000000001");
	TP_WAIT_LINE(&tp_vf[0], "Port 1: config blocks invalidated, mask 0x0000000000000002");
	if (tp_consoles_finish(0, vf_ok) < 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	tp_consoles_free();
	return ret;
}

/*
 * Life events: the PF resets VF 0 (FLR); the VF process prints the reset
 * event and its link going down, resets its port (which claims the VF
 * again), sees the link come up and carries on: an invalidation, a block
 * read. The PF prints its consumers attaching, and leaving when they quit.
 */
static int
test_testpmd_mbox_life_events(void)
{
	static const int vf_status[2] = { 1, 1 };
	char line[TP_LINE_MAX];
	unsigned int i;
	pid_t vf0;
	int ret;

	ret = TEST_FAILED;
	if (tp_consoles_start("") < 0)
		goto out;
	vf0 = tp_vf[0].s.pid;
	for (i = 0; i < RTE_DIM(tp_vf); i++) {
		snprintf(line, sizeof(line), "Port 0: VF %u consumer attached (pid %d)", i,
				(int)tp_vf[i].s.pid);
		TP_WAIT_LINE(&tp_pf, line);
	}
	TP_RUN(&tp_vf[0], "Link status: up", "show port info 1");
	/* A reset claims again: not a VF another live process holds. */
	snprintf(line, sizeof(line), "Error: port reset: port 1: another process holds the VF's"
			" claim (pid %d)", (int)vf0);
	TP_RUN(&tp_pf, line, "port reset 1");

	TP_RUN(&tp_pf, "VF 0: function-level reset done", "reset vf 0 0");
	/* Whether the first link up was recorded is a race: "reset" passes over it. */
	TP_RUN(&tp_vf[0], "Port 1: life event: INTR_RESET, cause FLR, link down",
			"wait vf event 1 5000 reset");
	TP_RUN(&tp_vf[0], "Port 1: life event: INTR_LSC, link down",
			"wait vf event 1 5000 link-down");
	TP_WAIT_LINE(&tp_vf[0], "Port 1: reset event: the PF reset the VF (FLR)");
	TP_WAIT_LINE(&tp_vf[0], "Port 1: link down");
	TP_RUN(&tp_vf[0], "Link status: down", "show port info 1");
	TP_RUN(&tp_vf[0], "Port 1: 0 invalidations received", "show vf events 1");
	/* VF 1 was left alone. */
	TP_RUN(&tp_vf[1], "Error: wait vf event: port 2: no reset event within 300 ms",
			"wait vf event 2 300 reset");

	/* The application resets its port and carries on. */
	TP_RUN(&tp_vf[0], "Port 1 reset: this process holds the VF's claim", "port reset 1");
	TP_RUN(&tp_vf[0], "Port 1: life event: INTR_LSC, link up",
			"wait vf event 1 5000 link-up");
	TP_RUN(&tp_vf[0], "Link status: up", "show port info 1");
	TP_RUN(&tp_pf, "VF 0: block 4 stored (2 bytes)", "set vf config-block 0 0 4 0x12 0x34");
	TP_RUN(&tp_pf, "VF 0: config blocks invalidated, mask 0x0000000000000010",
			"invalidate vf config-block 0 0 0x10");
	TP_RUN(&tp_vf[0], "Port 1: invalidation #1, mask 0x0000000000000010",
			"wait vf invalidate 1 5000");
	TP_RUN(&tp_vf[0], "  0x000: 12 34", "read vf config-block 1 4");
	/* Every event was returned by a wait, and none came twice. */
	TP_RUN(&tp_vf[0], "Error: wait vf event: port 1: no life event within 300 ms",
			"wait vf event 1 300");
	TP_RUN(&tp_vf[0], "Port 1: 1 invalidation received", "show vf events 1");

	/* The PF sees VF 0's consumer leave. */
	if (tp_console_quit(&tp_vf[0], vf_status[0]) < 0)
		goto out;
	snprintf(line, sizeof(line), "Port 0: VF 0 consumer detached (pid %d)", (int)vf0);
	TP_WAIT_LINE(&tp_pf, line);
	if (tp_consoles_finish(1, vf_status) < 0)
		goto out;

	/* What "show vf events" listed, and each event printed once. */
	if (tp_count_lines(tp_vf[0].s.out, "Port 1: reset event: the PF reset the VF (FLR)") != 1 ||
			tp_count_lines(tp_vf[0].s.out, " life events received; link down, reset"
				" needed (port reset 1)") != 1 ||
			tp_count_lines(tp_vf[0].s.out, " life events received; link up") != 1 ||
			tp_count_lines(tp_vf[0].s.out, " INTR_RESET  FLR        down") != 2 ||
			tp_count_lines(tp_vf[0].s.out, "removal event") != 0 ||
			tp_count_lines(tp_vf[1].s.out, "Port 2: reset event") != 0) {
		printf("VF 0: life events not listed or printed as expected:\n%s"
				"VF 1:\n%s", tp_vf[0].s.out, tp_vf[1].s.out);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	tp_consoles_free();
	return ret;
}

static int
test_testpmd_mbox_answers_requests(void)
{
	static const int vf_status[2] = { 1, 1 };
	struct tp_snap *before, *after;
	char line[TP_LINE_MAX];
	unsigned int i;
	int ret;

	ret = TEST_FAILED;
	after = NULL;
	before = NULL;
	if (tp_consoles_start("") < 0)
		goto out;
	before = tp_snap_take(&tp_topo);
	if (before == NULL)
		goto out;

	/* A block write, accepted and stored where the PF reads it. */
	TP_RUN(&tp_vf[0], "Port 1: block 7 written by the PF (3 bytes)",
			"write vf config-block 1 7 9 8 0x07");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 0 request: write config block 7 (3 bytes: 09 08 07):"
			" accepted");
	TP_RUN(&tp_pf, "  0x000: 09 08 07", "show vf config-block 0 0 7");
	TP_RUN(&tp_vf[0], "  0x000: 09 08 07", "read vf config-block 1 7");

	/* Config space: a field the VF owns, a BAR it does not, a read. */
	TP_RUN(&tp_vf[0], "Port 1: wrote 1 byte at 0x3c (through the PF)",
			"write vf bus-data 1 0x3c 0x0b");
	TP_RUN(&tp_vf[0], "Error: write vf bus-data: port 1: refused by the PF",
			"write vf bus-data 1 0x10 1 2 3 4");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 0 request: write config space at 0x10"
			" (4 bytes: 01 02 03 04): refused by the policy");
	snprintf(line, sizeof(line), "  0x000: %02x %02x %02x %02x", tp_topo.vendor & 0xff,
			tp_topo.vendor >> 8, tp_topo.vf_device & 0xff, tp_topo.vf_device >> 8);
	TP_RUN(&tp_vf[1], line, "read vf bus-data 2 0 4");
	/* The PF's line shows what the VF was answered. */
	snprintf(line, sizeof(line), "Port 0: VF 1 request: read config space at 0x0 (4 bytes):"
			" accepted: %02x %02x %02x %02x", tp_topo.vendor & 0xff,
			tp_topo.vendor >> 8, tp_topo.vf_device & 0xff, tp_topo.vf_device >> 8);
	TP_WAIT_LINE(&tp_pf, line);
	TP_RUN(&tp_vf[1], "  0x03c: 00", "read vf bus-data 2 0x3c 1");
	TP_RUN(&tp_vf[0], "  0x03c: 0b", "read vf bus-data 1 0x3c 1");

	/*
	 * Allowed by the policy, then failed: D1 (PMCSR 0x0009, No_Soft_Reset
	 * kept) on VFs whose PMC offers no D1. The PF says what really happened.
	 */
	TP_RUN(&tp_vf[1], "Error: write vf bus-data: port 2: Operation not supported",
			"write vf bus-data 2 0x44 0x09 0x00");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 1 request: write config space at 0x44"
			" (2 bytes: 09 00): failed: Operation not supported");

	if (tp_consoles_finish(0, vf_status) < 0)
		goto out;
	/* Only VF 0's Interrupt Line changed, in every config file. */
	after = tp_snap_take(&tp_topo);
	if (after == NULL)
		goto out;
	before->cfg[1 + 0][VFBC_PCI_INTERRUPT_LINE] = 0x0b;
	for (i = 0; i < 4; i++)
		if (after->cfg[1 + 0][0x10 + i] == i + 1) {
			printf("the refused BAR write reached VF 0's config file\n");
			goto out;
		}
	if (tp_snap_compare(before, after) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	free(before);
	free(after);
	tp_consoles_free();
	return ret;
}

static int
test_testpmd_mbox_applies_verdicts(void)
{
	static const int vf_status[2] = { 1, 1 };
	int ret;

	ret = TEST_FAILED;
	/* Long enough to answer, short enough to let one prompt expire. */
	if (tp_consoles_start("--verdict-timeout 3000") < 0)
		goto out;

	TP_RUN(&tp_pf, "Port 0: VF requests are rejected", "set vf request-verdict 0 reject");
	TP_RUN(&tp_vf[0], "Error: write vf config-block: port 1: refused by the PF",
			"write vf config-block 1 5 1");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 0 request: write config block 5 (1 byte: 01):"
			" rejected (request-verdict reject)");
	TP_RUN(&tp_pf, "Error: show vf config-block: block 5 of VF 0 was never written",
			"show vf config-block 0 0 5");

	/* ask: the VF waits while the user decides on the PF console. */
	TP_RUN(&tp_pf, "Port 0: VF requests wait for accept or reject (3000 ms)",
			"set vf request-verdict 0 ask");
	TP_RUN(&tp_pf, "Error: accept: no VF request is waiting for a verdict", "accept");
	if (tp_console_send(&tp_vf[1], "Port 2: block 5 written by the PF (2 bytes)",
			"write vf config-block 2 5 1 2") < 0)
		goto out;
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 1 request: write config block 5 (2 bytes: 01 02):"
			" accept or reject? (3000 ms)");
	/* The request's line comes with its outcome, once the driver acted. */
	TP_RUN(&tp_pf, "", "accept");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 1 request: write config block 5 (2 bytes: 01 02):"
			" accepted (by the user)");
	if (tp_console_sync(&tp_vf[1]) < 0)
		goto out;
	TP_RUN(&tp_pf, "  0x000: 01 02", "show vf config-block 0 1 5");

	if (tp_console_send(&tp_vf[0], "Error: write vf config-block: port 1: refused by the PF",
			"write vf config-block 1 5 3") < 0)
		goto out;
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 0 request: write config block 5 (1 byte: 03):"
			" accept or reject? (3000 ms)");
	TP_RUN(&tp_pf, "", "reject");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 0 request: write config block 5 (1 byte: 03):"
			" rejected (by the user)");
	if (tp_console_sync(&tp_vf[0]) < 0)
		goto out;

	/* Nobody answers: rejected after --verdict-timeout. */
	TP_RUN(&tp_vf[1], "Error: write vf config-block: port 2: refused by the PF",
			"write vf config-block 2 6 4");
	TP_WAIT_LINE(&tp_pf, "Port 0: VF 1 request: write config block 6 (1 byte: 04):"
			" rejected (no verdict within 3000 ms)");
	TP_RUN(&tp_pf, "Error: reject: no VF request is waiting for a verdict", "reject");

	/* The policy decides config writes whatever the mode. */
	TP_RUN(&tp_pf, "Port 0: VF requests are accepted (the config-space policy still"
			" applies)", "set vf request-verdict 0 accept");
	TP_RUN(&tp_vf[1], "Error: write vf bus-data: port 2: refused by the PF",
			"write vf bus-data 2 0x30 0 0 0 0");
	TP_RUN(&tp_vf[1], "Port 2: block 6 written by the PF (1 byte)",
			"write vf config-block 2 6 4");
	TP_RUN(&tp_pf, "  0x000: 04", "show vf config-block 0 1 6");

	if (tp_consoles_finish(1, vf_status) < 0)
		goto out;
	/*
	 * Each request was decided once: a prompt for each of the three asked,
	 * one policy refusal, nine request lines in all (an asked request has
	 * its prompt and its answer).
	 */
	if (tp_count_lines(tp_pf.s.out, "accept or reject? (3000 ms)") != 3 ||
			tp_count_lines(tp_pf.s.out, ": refused by the policy") != 1 ||
			tp_count_lines(tp_pf.s.out, " request: ") != 9) {
		printf("PF: %u prompts (3 expected), %u policy refusals (1), %u request lines"
				" (9) in:\n%s", tp_count_lines(tp_pf.s.out, "accept or reject?"),
				tp_count_lines(tp_pf.s.out, ": refused by the policy"),
				tp_count_lines(tp_pf.s.out, " request: "), tp_pf.s.out);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	tp_consoles_free();
	return ret;
}

static int
test_testpmd_mbox_rejects_bad_input(void)
{
	static const int vf_status[2] = { 1, 0 };
	struct tp_snap *before, *after;
	int ret;

	ret = TEST_FAILED;
	before = NULL;
	after = NULL;
	if (tp_consoles_start("") < 0)
		goto out;
	before = tp_snap_take(&tp_topo);
	if (before == NULL)
		goto out;

	/* PF side. */
	TP_RUN(&tp_pf, "Error: byte 1 ('x') is not a number (decimal or 0x hex)",
			"set vf config-block 0 0 1 x");
	TP_RUN(&tp_pf, "Error: byte 2 (0x100) out of range (0..0xff)",
			"set vf config-block 0 0 1 1 0x100");
	TP_RUN(&tp_pf, "Error: bad arguments: set vf config-block 0 0 1: missing <byte>...",
			"set vf config-block 0 0 1");
	TP_RUN(&tp_pf, "Error: VF 4 out of range (port 0 has 4 VFs)",
			"set vf config-block 0 4 1 1");
	TP_RUN(&tp_pf, "Error: show vf config-block: block 9 of VF 0 was never written",
			"show vf config-block 0 0 9");
	TP_RUN(&tp_pf, "Error: invalidate vf config-block: mask 0 invalidates nothing"
			" (bit i is block i)", "invalidate vf config-block 0 0 0");
	TP_RUN(&tp_pf, "Error: invalidate vf config-block: mask 0 invalidates nothing"
			" (bit i is block i)", "invalidate vf config-block 0 all 0x0");
	TP_RUN(&tp_pf, "Error: VF 9 out of range (port 0 has 4 VFs)",
			"invalidate vf config-block 0 9 1");
	/* Only the word "all" means every VF: the largest VF number is a VF number. */
	TP_RUN(&tp_pf, "Error: VF 4294967295 out of range (port 0 has 4 VFs)",
			"invalidate vf config-block 0 4294967295 1");
	TP_RUN(&tp_pf, "Error: VF 4294967295 out of range (port 0 has 4 VFs)",
			"invalidate vf config-block 0 0xffffffff 2");
	TP_RUN(&tp_pf, "Error: bad arguments: invalidate vf config-block 0 0x100000000 4:"
			" <vf> '0x100000000' is above 4294967295 (0xffffffff)",
			"invalidate vf config-block 0 0x100000000 4");
	TP_RUN(&tp_pf, "Error: bad arguments: invalidate vf config-block 0 0"
			" 0x10000000000000000: <mask> '0x10000000000000000' is above"
			" 18446744073709551615 (0xffffffffffffffff)",
			"invalidate vf config-block 0 0 0x10000000000000000");
	TP_RUN(&tp_pf, "Error: bad arguments: invalidate vf config-block 0 0 010: <mask> '010'"
			" has a leading zero, which C reads as octal: write it without, or in"
			" 0x hex", "invalidate vf config-block 0 0 010");
	TP_RUN(&tp_pf, "Error: invalidate vf config-block: port 1 is not a vfbc PF port"
			" (driver net_vfbc_vf)", "invalidate vf config-block 1 0 1");
	/* Bulk lists: one bad pair and nobody is notified. */
	TP_RUN(&tp_pf, "Error: VF 4 out of range (port 0 has 4 VFs)",
			"invalidate vf config-block 0 bulk 0:1,4:1");
	TP_RUN(&tp_pf, "Error: invalidate vf config-block bulk: mask 0 invalidates nothing"
			" (bit i is block i)", "invalidate vf config-block 0 bulk 0:1,1:0");
	TP_RUN(&tp_pf, "Error: pair 2 ('3') is not <vf>:<mask>",
			"invalidate vf config-block 0 bulk 0:1,3");
	TP_RUN(&tp_pf, "Error: pair 2 is empty: write <vf>:<mask>[,<vf>:<mask>...]",
			"invalidate vf config-block 0 bulk 0:1,");
	TP_RUN(&tp_pf, "Error: pair 1: <mask> '010' has a leading zero, which C reads as"
			" octal: write it without, or in 0x hex",
			"invalidate vf config-block 0 bulk 0:010");
	TP_RUN(&tp_pf, "Error: bad arguments: set vf request-verdict 0 maybe: 'maybe' is not"
			" accept, reject or ask", "set vf request-verdict 0 maybe");
	TP_RUN(&tp_pf, "Error: set vf request-verdict: port 2 is not a vfbc PF port"
			" (driver net_vfbc_vf)", "set vf request-verdict 2 ask");
	/* VF commands in the primary: its VF ports hold no claim. */
	TP_RUN(&tp_pf, "Error: write vf config-block: port 1: this process does not hold the"
			" VF's claim (run a secondary with -a <VF>)",
			"write vf config-block 1 1 1");
	TP_RUN(&tp_pf, "Error: wait vf invalidate: port 1: this process does not hold the"
			" VF's claim, it receives no invalidations (run a secondary with -a <VF>)",
			"wait vf invalidate 1 10");
	TP_RUN(&tp_pf, "Error: read vf config-block: port 0 is not a vfbc VF port"
			" (driver net_vfbc_pf)", "read vf config-block 0 1");
	TP_RUN(&tp_pf, "Error: wait vf event: port 1: this process does not hold the VF's"
			" claim, it receives no life events (run a secondary with -a <VF>)",
			"wait vf event 1 10");
	TP_RUN(&tp_pf, "Error: port reset: port 0: its driver (net_vfbc_pf) cannot reset it",
			"port reset 0");

	/* VF side. */
	TP_RUN(&tp_vf[0], "Error: invalid port 0 (1 port)", "read vf config-block 0 1");
	TP_RUN(&tp_vf[0], "Error: read vf config-block: port 1: block 42 was never written,"
			" or there is no channel", "read vf config-block 1 42");
	TP_RUN(&tp_vf[0], "Error: wait vf invalidate: port 1: no invalidation within 100 ms",
			"wait vf invalidate 1 100");
	TP_RUN(&tp_vf[0], "Error: 0xfff + 2 bytes goes beyond the config space (4096 bytes)",
			"write vf bus-data 1 0xfff 1 2");
	TP_RUN(&tp_vf[0], "Error: offset 0x1000 beyond the config space (4096 bytes)",
			"read vf bus-data 1 0x1000 1");
	TP_RUN(&tp_vf[0], "Error: no bytes: the length must be at least 1",
			"read vf bus-data 1 0 0");
	TP_RUN(&tp_vf[0], "Error: 129 bytes: a request carries at most 128",
			"read vf bus-data 1 0 129");
	TP_RUN(&tp_vf[0], "Error: byte 1 ('-1') has a sign: numbers here are unsigned",
			"write vf config-block 1 1 -1");
	TP_RUN(&tp_vf[0], "Error: bad arguments: write vf bus-data 1 0x40: missing <byte>...",
			"write vf bus-data 1 0x40");
	TP_RUN(&tp_vf[0], "Error: bad arguments: wait vf invalidate 1: missing <timeout_ms>",
			"wait vf invalidate 1");
	TP_RUN(&tp_vf[0], "Error: bad arguments: wait vf event 1 100 up: 'up' is not reset,"
			" removal, link-up or link-down", "wait vf event 1 100 up");
	TP_RUN(&tp_vf[0], "Error: invalid port 0 (1 port)", "port reset 0");
	/* PF commands in a VF process: it has no PF port (-a <VF>). */
	TP_RUN(&tp_vf[0], "Error: invalidate vf config-block: port 1 is not a vfbc PF port"
			" (driver net_vfbc_vf)", "invalidate vf config-block 1 0 1");
	TP_RUN(&tp_vf[0], "Error: set vf config-block: port 1 is not a vfbc PF port"
			" (driver net_vfbc_vf)", "set vf config-block 1 0 1 1");
	TP_RUN(&tp_vf[0], "Error: show vf config-block: port 1 is not a vfbc PF port"
			" (driver net_vfbc_vf)", "show vf config-block 1 0 1");
	TP_RUN(&tp_vf[0], "Error: set vf request-verdict: port 1 is not a vfbc PF port"
			" (driver net_vfbc_vf)", "set vf request-verdict 1 ask");
	TP_RUN(&tp_vf[0], "Error: reject: no VF request is waiting for a verdict", "reject");
	/* Nothing was stored, invalidated or delivered. */
	TP_RUN(&tp_vf[0], "Port 1: 0 invalidations received", "show vf events 1");
	TP_RUN(&tp_vf[1], "Port 2: 0 invalidations received", "show vf events 2");

	if (tp_consoles_finish(1, vf_status) < 0)
		goto out;
	after = tp_snap_take(&tp_topo);
	if (after == NULL || tp_snap_compare(before, after) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	free(before);
	free(after);
	tp_consoles_free();
	return ret;
}

static struct unit_test_suite testpmd_mbox_suite = {
	.suite_name = "vfbc-testpmd PF and VF consoles side by side",
	.setup = tp_mbox_setup,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE(test_testpmd_mbox_delivers_invalidations),
		TEST_CASE(test_testpmd_mbox_sleep_mode),
		TEST_CASE(test_testpmd_mbox_adaptive_wait),
		TEST_CASE(test_testpmd_mbox_waits_back_to_back),
		TEST_CASE(test_testpmd_mbox_life_events),
		TEST_CASE(test_testpmd_mbox_answers_requests),
		TEST_CASE(test_testpmd_mbox_applies_verdicts),
		TEST_CASE(test_testpmd_mbox_rejects_bad_input),
		TEST_CASES_END(),
	},
};

static int
test_testpmd_mbox(void)
{
	return unit_test_suite_runner(&testpmd_mbox_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(testpmd_mbox_autotest, test_testpmd_mbox, TP_WORLD_OPTS,
		"mp");
