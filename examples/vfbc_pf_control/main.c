/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_pf_control: the PF side of the vfbc backchannel, as a DPDK primary.
 * It finds the net_vfbc_pf port, enables its VFs if none are (and probes
 * them, so that VF secondaries can attach their ports), writes VF 0's
 * Interrupt Line through the PF (NdisMSetVirtualFunctionBusData) and reads
 * it back, publishes block 0 ("who you are") of every VF, then every round
 * rewrites block 1 ("gen N") of every VF and invalidates it. Between rounds
 * it services the mailbox, so that VF requests are answered.
 *
 * Usage: vfbc-pf-control [EAL args] -- [--rounds N] [--period-ms M] [--wait-ms T]
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

#include <vfbc_pmd_pf.h>

#define IRQ_LINE_OFFSET	0x3c	/* Interrupt Line: the VF's driver owns it, the policy allows it */
#define IRQ_LINE_VALUE	0x0b
#define MBOX_BUDGET	32
#define IDLE_US		1000	/* sleep when the mailbox was empty */

static unsigned int rounds = 10;
static unsigned int period_ms = 100;
static unsigned int wait_ms;
static volatile sig_atomic_t quit;

static void
on_signal(int sig __rte_unused)
{
	quit = 1;
}

/* A whole number in 0..max, or exit with the option's name. */
static unsigned int
parse_num(const char *opt, const char *s, unsigned int max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v > max)
		rte_exit(EXIT_FAILURE, "%s: '%s' is not a number in 0..%u\n", opt, s, max);
	return v;
}

static void
parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			rte_exit(EXIT_FAILURE, "%s: missing value\n", argv[i]);
		if (strcmp(argv[i], "--rounds") == 0)
			rounds = parse_num(argv[i], argv[i + 1], 1000000);
		else if (strcmp(argv[i], "--period-ms") == 0)
			period_ms = parse_num(argv[i], argv[i + 1], 60000);
		else if (strcmp(argv[i], "--wait-ms") == 0)
			wait_ms = parse_num(argv[i], argv[i + 1], 600000);
		else
			rte_exit(EXIT_FAILURE, "unknown option '%s' (options: --rounds N"
				 " --period-ms M --wait-ms T)\n", argv[i]);
	}
}

/* Printed once a request is decided: what the VF asked and what it is answered. */
static int
on_mbox(uint16_t port_id __rte_unused, enum rte_eth_event_type type __rte_unused,
	void *arg __rte_unused, void *param)
{
	const struct vfbc_pf_mbox_event *ev = param;
	static const char *const what[] = {
		[VFBC_PF_MBOX_BLOCK_WRITE] = "block write",
		[VFBC_PF_MBOX_CFG_READ] = "config read",
		[VFBC_PF_MBOX_CFG_WRITE] = "config write",
	};

	if (ev->phase != VFBC_PF_MBOX_PHASE_DONE || ev->type >= RTE_DIM(what))
		return 0;
	printf("PF: VF %u request: %s at 0x%x (%u byte%s): %s (status %d)\n", ev->vf_id,
	       what[ev->type], ev->offset, ev->length, ev->length == 1 ? "" : "s",
	       ev->verdict == VFBC_PF_MBOX_VERDICT_ACCEPT ? "accepted" : "refused", ev->status);
	return 0;
}

/* EAL's interrupt thread: a new consumer must read block 0 again (a clean
 * release leaves nothing pending for the next one).
 */
static void
on_consumer(uint16_t port_id, const struct vfbc_pf_consumer_event *ev, void *arg __rte_unused)
{
	static const char *const what[] = { "?", "attached", "detached", "died" };

	printf("PF: VF %u: consumer %s (pid %d)\n", ev->vf_id,
	       what[ev->type < RTE_DIM(what) ? ev->type : 0], (int)ev->pid);
	if (ev->type == VFBC_PF_CONSUMER_ATTACHED)
		vfbc_pf_invalidate_config_blocks(port_id, ev->vf_id, 1);
}

/* Answer VF requests for ms milliseconds. */
static int
service(uint16_t port, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	int ret;

	do {
		ret = vfbc_pf_mbox_poll(port, MBOX_BUDGET);
		if (ret < 0) {
			printf("PF: mailbox poll: %s\n", strerror(-ret));
			return ret;
		}
		if (ret == 0)
			rte_delay_us_sleep(IDLE_US);
	} while (!quit && rte_get_timer_cycles() < end);
	return 0;
}

static uint16_t
find_pf_port(void)
{
	struct rte_eth_dev_info info;
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port)
		if (rte_eth_dev_info_get(port, &info) == 0 &&
		    strcmp(info.driver_name, "net_vfbc_pf") == 0)
			return port;
	rte_exit(EXIT_FAILURE, "no net_vfbc_pf port (is the PF on the EAL allow list?)\n");
}

/* Enable as many VFs as allowed when none are; the number of VFs. */
static uint16_t
enable_vfs(uint16_t port)
{
	struct vfbc_pf_sriov_info s;
	int n = vfbc_pf_vf_count(port);
	int ret;

	if (n != 0 || vfbc_pf_get_sriov_info(port, &s) != 0)
		return n < 0 ? 0 : n;
	ret = vfbc_pf_enable_virtualization(port, RTE_MIN(s.total_vfs, s.max_vfs));
	printf("PF: enabling %u VFs: %s\n", RTE_MIN(s.total_vfs, s.max_vfs),
	       ret == 0 ? "done" : strerror(-ret));
	n = vfbc_pf_vf_count(port);
	return n < 0 ? 0 : n;
}

/* Until every VF has a consumer, or wait_ms. */
static void
wait_consumers(uint16_t port, uint16_t nb_vfs)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * wait_ms / 1000;
	int32_t pid;
	uint16_t vf, have;

	do {
		for (have = 0, vf = 0; vf < nb_vfs; vf++)
			if (vfbc_pf_vf_consumer(port, vf, &pid) == 0 && pid != 0)
				have++;
		if (have == nb_vfs || service(port, 10) < 0)
			break;
	} while (!quit && rte_get_timer_cycles() < end);
	printf("PF: %u of %u VFs have a consumer\n", have, nb_vfs);
}

int
main(int argc, char **argv)
{
	char name[RTE_ETH_NAME_MAX_LEN], text[VFBC_CHANNEL_BLOCK_SIZE];
	uint8_t irq = IRQ_LINE_VALUE, back = 0;
	struct rte_pci_addr addr;
	uint16_t port, nb_vfs, vf;
	unsigned int r;
	int ret, status = EXIT_SUCCESS;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "cannot init EAL\n");
	parse_args(argc - ret, argv + ret);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	port = find_pf_port();
	rte_eth_dev_get_name_by_port(port, name);
	nb_vfs = enable_vfs(port);
	printf("PF: port %u (%s): %u VFs\n", port, name, nb_vfs);
	if (nb_vfs == 0)
		rte_exit(EXIT_FAILURE, "PF %s has no VF\n", name);
	/*
	 * Where each VF is: what a VF process names with -a. VFs enabled after
	 * EAL's probe are on the bus but have no port yet, and a VF secondary's
	 * port attaches to the primary's: probe them (-EEXIST: already done).
	 */
	for (vf = 0; vf < nb_vfs; vf++) {
		if (vfbc_pf_get_vf_location(port, vf, &addr) != 0)
			continue;
		rte_pci_device_name(&addr, text, sizeof(text));
		ret = rte_dev_probe(text);
		printf("PF: VF %u at %s: %s\n", vf, text,
		       ret == 0 || ret == -EEXIST ? "probed" : strerror(-ret));
	}
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_VF_MBOX, on_mbox, NULL);
	vfbc_pf_consumer_callback_register(port, on_consumer, NULL);

	/* The NDIS pair: 0 bytes means failure, whatever the cause. */
	if (vfbc_pf_set_vf_bus_data(port, 0, &irq, IRQ_LINE_OFFSET, 1) != 1 ||
	    vfbc_pf_get_vf_bus_data(port, 0, &back, IRQ_LINE_OFFSET, 1) != 1 || back != irq)
		status = EXIT_FAILURE;
	printf("PF: VF 0: wrote 0x%02x at 0x%x (Interrupt Line), read back 0x%02x%s\n", irq,
	       IRQ_LINE_OFFSET, back, status == EXIT_SUCCESS ? "" : ": FAILED");

	/* Data first, then the bit: a VF that sees the bit reads this data. */
	for (vf = 0; vf < nb_vfs; vf++) {
		snprintf(text, sizeof(text), "VF %u of PF %s", vf, name);
		ret = vfbc_pf_write_config_block(port, vf, 0, text, strlen(text));
		if (ret == 0)
			ret = vfbc_pf_invalidate_config_blocks(port, vf, 1);
		if (ret != 0)
			status = EXIT_FAILURE;
		printf("PF: wrote block 0 of VF %u (\"%s\"), invalidated mask 0x1: %s\n", vf, text,
		       ret == 0 ? "ok" : strerror(-ret));
	}
	printf("PF: ready\n");
	if (wait_ms > 0)
		wait_consumers(port, nb_vfs);

	for (r = 1; r <= rounds && !quit; r++) {
		for (vf = 0; vf < nb_vfs; vf++) {
			snprintf(text, sizeof(text), "gen %u", r);
			ret = vfbc_pf_write_config_block(port, vf, 1, text, strlen(text));
			if (ret == 0)
				ret = vfbc_pf_invalidate_config_blocks(port, vf, 1 << 1);
			if (ret != 0) {
				printf("PF: round %u: VF %u: %s\n", r, vf, strerror(-ret));
				status = EXIT_FAILURE;
				continue;
			}
			printf("PF: round %u: wrote block 1 of VF %u (gen %u), invalidated mask"
			       " 0x2\n", r, vf, r);
		}
		if (service(port, period_ms) < 0)
			status = EXIT_FAILURE;
	}

	printf("PF: %u rounds done%s; closing port %u\n", r - 1, quit ? " (signal)" : "", port);
	vfbc_pf_consumer_callback_unregister(port, on_consumer, NULL);
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_VF_MBOX, on_mbox, NULL);
	rte_eth_dev_close(port);
	rte_eal_cleanup();
	return status;
}
