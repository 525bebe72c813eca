/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * vfbc_vf_watch: the VF side of the vfbc backchannel, as a DPDK secondary of
 * the PF's primary (same --file-prefix, -a <VF PCI address>). For each VF
 * port this process claimed it reads its Interrupt Line through the PF (a
 * trapped config read), then takes invalidations, either from a callback
 * (--mode callback) or from the mask vfbc_vf_poll() returns (--mode poll),
 * and re-reads the changed blocks. It prints the VF's life events (reset,
 * removal, link). It exits 0 once every port got --count deliveries, 1 on
 * a timeout, a removal, or the PF's process gone.
 *
 * Usage: vfbc-vf-watch [EAL args] -- [--mode callback|poll] [--count N] [--timeout-ms T]
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

#include <vfbc_pmd_vf.h>

#define IDLE_US		1000	/* sleep when no port had anything */
#define REQ_TIMEOUT_MS	1000

struct watch {
	uint16_t port;
	uint16_t vf_id;
	unsigned int deliveries;
	unsigned int gen;	/* the last "gen N" read in block 1 */
	int failed;		/* bad block contents */
	int gone;		/* removed, or the PF is gone: set by the life callback too */
	int reset;		/* INTR_RESET raised: the main loop resets the port */
};

static struct watch watches[RTE_MAX_ETHPORTS];
static unsigned int nb_watches;
static unsigned int count = 10;
static unsigned int timeout_ms = 10000;
static int poll_mode;

static const char *const causes[VFBC_VF_EVENT_NB] = {
	"FLR", "FLR_ASKED", "POWER", "DISABLED", "ENABLED", "REVOKED", "PF_CLOSED", "PF_GONE",
};

static unsigned int
parse_num(const char *opt, const char *s, unsigned int min, unsigned int max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < min || v > max)
		rte_exit(EXIT_FAILURE, "%s: '%s' is not a number in %u..%u\n", opt, s, min, max);
	return v;
}

static void
parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			rte_exit(EXIT_FAILURE, "%s: missing value\n", argv[i]);
		if (strcmp(argv[i], "--count") == 0)
			count = parse_num(argv[i], argv[i + 1], 1, 1000000);
		else if (strcmp(argv[i], "--timeout-ms") == 0)
			timeout_ms = parse_num(argv[i], argv[i + 1], 1, 3600000);
		else if (strcmp(argv[i], "--mode") == 0 && strcmp(argv[i + 1], "poll") == 0)
			poll_mode = 1;
		else if (strcmp(argv[i], "--mode") == 0 && strcmp(argv[i + 1], "callback") == 0)
			poll_mode = 0;
		else if (strcmp(argv[i], "--mode") == 0)
			rte_exit(EXIT_FAILURE, "--mode: '%s' is neither callback nor poll\n",
				 argv[i + 1]);
		else
			rte_exit(EXIT_FAILURE, "unknown option '%s' (options: --mode callback|poll"
				 " --count N --timeout-ms T)\n", argv[i]);
	}
}

/* One delivery: re-read each block whose bit is set. */
static void
on_invalidate(uint16_t port, uint64_t mask, void *arg)
{
	struct watch *w = arg;
	char buf[VFBC_VF_BLOCK_SIZE + 1];
	unsigned int id, n;
	int len;

	w->deliveries++;
	printf("VF port %u: delivery %u: mask 0x%" PRIx64 "\n", port, w->deliveries, mask);
	for (id = 0; id < VFBC_VF_NB_BLOCKS; id++) {
		if ((mask & (UINT64_C(1) << id)) == 0)
			continue;
		len = vfbc_vf_read_config_block(port, id, buf, VFBC_VF_BLOCK_SIZE);
		/* All blocks after a takeover: most were never written. */
		if (len == -ENOENT && mask == VFBC_VF_ALL_BLOCKS)
			continue;
		if (len < 0) {
			printf("VF port %u: block %u: %s\n", port, id, strerror(-len));
			w->failed = 1;
			continue;
		}
		buf[len] = '\0';
		printf("VF port %u: block %u changed: %s\n", port, id, buf);
		/* The PF's blocks: "VF <id> of PF <name>", "gen <N>" (N never goes back). */
		if ((id == 0 && (sscanf(buf, "VF %u of PF", &n) != 1 || n != w->vf_id)) ||
		    (id == 1 && (sscanf(buf, "gen %u", &n) != 1 || n < w->gen))) {
			printf("VF port %u: block %u is not what the PF writes\n", port, id);
			w->failed = 1;
		} else if (id == 1) {
			w->gen = n;
		}
	}
}

/* EAL's interrupt thread: what the PF did to the VF. */
static int
on_life(uint16_t port, enum rte_eth_event_type type, void *arg, void *param)
{
	const struct vfbc_vf_event *ev = param;
	struct watch *w = arg;
	struct rte_eth_link link;

	if (ev == NULL) {
		rte_eth_link_get_nowait(port, &link);
		printf("VF port %u: link %s\n", port, link.link_status ? "up" : "down");
		return 0;
	}
	printf("VF port %u: life event %s, cause %s (seq %u)\n", port,
	       type == RTE_ETH_EVENT_INTR_RESET ? "INTR_RESET" :
	       type == RTE_ETH_EVENT_INTR_RMV ? "INTR_RMV" : "INTR_LSC",
	       ev->cause < VFBC_VF_EVENT_NB ? causes[ev->cause] : "?", ev->seq);
	if (type == RTE_ETH_EVENT_INTR_RMV)
		__atomic_store_n(&w->gone, 1, __ATOMIC_RELEASE);
	else if (type == RTE_ETH_EVENT_INTR_RESET)
		__atomic_store_n(&w->reset, 1, __ATOMIC_RELEASE);
	return 0;
}

static void
find_ports(void)
{
	static const enum rte_eth_event_type events[] = {
		RTE_ETH_EVENT_INTR_RESET, RTE_ETH_EVENT_INTR_RMV, RTE_ETH_EVENT_INTR_LSC,
	};
	struct rte_eth_dev_info dev;
	struct vfbc_vf_info info;
	struct watch *w;
	uint16_t port;
	unsigned int i;

	RTE_ETH_FOREACH_DEV(port) {
		if (rte_eth_dev_info_get(port, &dev) != 0 ||
		    (strcmp(dev.driver_name, "net_vfbc_vf") != 0 &&
		     strcmp(dev.driver_name, "net_vfbc_isolated") != 0))
			continue;
		if (vfbc_vf_get_info(port, &info) != 0 || !info.claimed) {
			printf("VF port %u: not claimed by this process (consumer pid %d)\n",
			       port, (int)info.consumer_pid);
			continue;
		}
		w = &watches[nb_watches++];
		w->port = port;
		w->vf_id = info.vf_id;
		for (i = 0; i < RTE_DIM(events); i++)
			rte_eth_dev_callback_register(port, events[i], on_life, w);
		if (!poll_mode)
			vfbc_vf_invalidate_callback_register(port, on_invalidate, w);
		printf("VF port %u: VF %u of PF %s, %s mode\n", port, info.vf_id, info.pf_name,
		       poll_mode ? "poll" : "callback");
	}
}

/* One pass over a port: 1 if it delivered something. */
static int
watch_port(struct watch *w)
{
	uint64_t mask;
	int ret;

	if (__atomic_exchange_n(&w->reset, 0, __ATOMIC_ACQUIRE)) {
		ret = rte_eth_dev_reset(w->port);
		printf("VF port %u: port reset: %s\n", w->port, ret == 0 ? "ok" : strerror(-ret));
	}
	ret = vfbc_vf_poll(w->port, poll_mode ? &mask : NULL);
	if (ret == 1 && poll_mode)
		on_invalidate(w->port, mask, w);
	if (ret == -ENOTCONN) {
		printf("VF port %u: the PF's process is gone\n", w->port);
		__atomic_store_n(&w->gone, 1, __ATOMIC_RELEASE);
	}
	return ret == 1;
}

int
main(int argc, char **argv)
{
	struct watch *w;
	uint64_t end;
	unsigned int i, done;
	uint8_t irq;
	int ret, busy, gone, status = EXIT_SUCCESS;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "cannot init EAL\n");
	parse_args(argc - ret, argv + ret);
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_ports();
	if (nb_watches == 0)
		rte_exit(EXIT_FAILURE, "no VF port claimed here: run as a secondary of the PF's"
			 " primary with -a <VF PCI address>\n");

	/* A trapped NdisMGetBusData: the PF's mailbox service answers it. */
	for (i = 0; i < nb_watches; i++) {
		ret = vfbc_vf_read_bus_data(watches[i].port, 0x3c, &irq, 1, REQ_TIMEOUT_MS);
		if (ret == 1)
			printf("VF port %u: Interrupt Line 0x%02x (read through the PF)\n",
			       watches[i].port, irq);
		else
			printf("VF port %u: reading the Interrupt Line through the PF: %s\n",
			       watches[i].port, strerror(-ret));
	}

	end = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;
	do {
		busy = 0;
		for (done = 0, i = 0; i < nb_watches; i++) {
			if (__atomic_load_n(&watches[i].gone, __ATOMIC_ACQUIRE) ||
			    watches[i].deliveries >= count) {
				done++;
				continue;
			}
			busy += watch_port(&watches[i]);
		}
		if (busy == 0)
			rte_delay_us_sleep(IDLE_US);
	} while (done < nb_watches && rte_get_timer_cycles() < end);

	for (i = 0; i < nb_watches; i++) {
		w = &watches[i];
		gone = __atomic_load_n(&w->gone, __ATOMIC_ACQUIRE);
		if (gone || w->failed || w->deliveries < count) {
			status = EXIT_FAILURE;
			printf("VF port %u: FAILED: %u of %u deliveries%s%s\n", w->port,
			       w->deliveries, count, gone ? ", the VF or its PF went away" :
			       w->deliveries < count ? ", timed out" : "",
			       w->failed ? ", unexpected block contents" : "");
		} else {
			printf("VF port %u: got %u deliveries, last gen %u\n", w->port,
			       w->deliveries, w->gen);
		}
		if (!poll_mode)
			vfbc_vf_invalidate_callback_unregister(w->port, on_invalidate, w);
		rte_eth_dev_close(w->port);
	}
	rte_eal_cleanup();
	return status;
}
