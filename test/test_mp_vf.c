/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

/*
 * net_vfbc_vf across processes: this command is the PF primary of a world
 * with 4 VFs; VF processes are real secondaries (mp_vf_agent, see
 * test_mp_vf_agent.c) probing one VF each with -a.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_mp_common.h"
#include "vfbc_pmd_pf.h"
#include "vfbc_pmd_vf.h"

#define MP_VF_WORLD_OPTS	"--total-vfs 4"
#define START_MS		60000	/* a secondary's EAL start, in a busy CI */
#define CMD_MS			10000
#define REQ_TIMEOUT_MS		2000

static struct mp_world w;

struct agent {
	struct mp_child c;
	int pid;
	int claimed;
};

struct agent_mask {
	uint64_t cb;	/* OR of the callback masks */
	uint64_t poll;	/* OR of the masks vfbc_vf_poll returned */
	unsigned int calls;
	int ret;
};

/* Start a VF process on VF vf with extra devargs ("" or ",claim=0"). */
static int
agent_start(struct agent *a, unsigned int vf, const char *devargs)
{
	char eal[128], rest[MP_LINE_MAX];
	unsigned int port, id;
	int ret;

	snprintf(eal, sizeof(eal), "-a %s%s", w.vf_name[vf], devargs);
	ret = mp_child_spawn(&a->c, "mp_vf_agent", eal, NULL);
	if (ret < 0)
		return ret;
	ret = mp_child_expect(&a->c, "ready", rest, sizeof(rest), START_MS);
	if (ret < 0)
		return ret;
	if (sscanf(rest, "port=%u vf=%u claimed=%d pid=%d", &port, &id, &a->claimed,
		   &a->pid) != 4)
		return -EPROTO;
	if (id != vf) {
		printf("agent on %s says VF %u, expected %u\n", w.vf_name[vf], id, vf);
		return -EPROTO;
	}
	return 0;
}

/* Send a command, wait for the line starting with word; rest gets the rest. */
static int
agent_cmd(struct agent *a, const char *word, char *rest, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
agent_cmd(struct agent *a, const char *word, char *rest, size_t size, const char *fmt, ...)
{
	char line[MP_LINE_MAX];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ret = mp_child_send(&a->c, "%s", line);
	if (ret < 0)
		return ret;
	return mp_child_expect(&a->c, word, rest, size, CMD_MS + REQ_TIMEOUT_MS);
}

/* "ret N ..." commands: N, or INT32_MIN on a protocol failure. */
static int
agent_ret(struct agent *a, char *tail, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
agent_ret(struct agent *a, char *tail, size_t size, const char *fmt, ...)
{
	char line[MP_LINE_MAX], rest[MP_LINE_MAX];
	va_list ap;
	int v, off;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (agent_cmd(a, "ret", rest, sizeof(rest), "%s", line) < 0 ||
			sscanf(rest, "%d%n", &v, &off) != 1)
		return INT32_MIN;
	if (tail != NULL)
		snprintf(tail, size, "%s", rest[off] == ' ' ? rest + off + 1 : "");
	return v;
}

static int
agent_deliver(struct agent *a, const char *how, unsigned int t_ms, uint64_t want,
	      struct agent_mask *m)
{
	char rest[MP_LINE_MAX];
	int ret;

	ret = agent_cmd(a, "mask", rest, sizeof(rest), "%s %u %" PRIx64, how, t_ms, want);
	if (ret < 0)
		return ret;
	if (sscanf(rest, "%" SCNx64 " %" SCNx64 " %u %d", &m->cb, &m->poll, &m->calls,
		   &m->ret) != 4)
		return -EPROTO;
	return 0;
}

/* Quit and check the exit status: 0 if it exited cleanly. */
static int
agent_quit(struct agent *a)
{
	int ret;

	ret = agent_cmd(a, "bye", NULL, 0, "quit");
	if (ret == 0)
		ret = mp_child_wait(&a->c, CMD_MS);
	mp_child_close(&a->c);
	return ret;
}

static void
hex_of(const uint8_t *b, unsigned int n, char *out)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

static int
mp_vf_setup(void)
{
	int ret;

	ret = mp_world_start(&w, "");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(w.nb_vfs >= 4, "the world has %u VFs, want 4", w.nb_vfs);
	return TEST_SUCCESS;
}

static int
test_mp_vf_invalidations_reach_the_right_vf(void)
{
	struct agent a0, a1;
	struct agent_mask m;
	int ret = TEST_FAILED;

	memset(&a1, 0, sizeof(a1));
	a1.c.pid = -1;
	a1.c.to_fd = a1.c.from_fd = -1;
	if (agent_start(&a0, 0, "") < 0 || agent_start(&a1, 1, "") < 0) {
		printf("VF processes did not start\n");
		goto out;
	}
	if (!a0.claimed || !a1.claimed) {
		printf("a secondary did not claim its VF at probe\n");
		goto out;
	}
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 0x5) != 0 ||
			vfbc_pf_invalidate_config_blocks(w.pf_port, 1, 0x30) != 0 ||
			vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 0x1) != 0) {
		printf("PF invalidate failed\n");
		goto out;
	}
	if (agent_deliver(&a0, "poll", CMD_MS, 0x5, &m) < 0 || m.cb != 0x5 || m.poll != 0x5) {
		printf("VF0 got cb 0x%" PRIx64 " poll 0x%" PRIx64 ", want exactly 0x5\n",
		       m.cb, m.poll);
		goto out;
	}
	if (agent_deliver(&a1, "poll", CMD_MS, 0x30, &m) < 0 || m.cb != 0x30) {
		printf("VF1 got 0x%" PRIx64 ", want exactly 0x30\n", m.cb);
		goto out;
	}
	/* Hyper-V's "all VFs" form reaches both. */
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, VFBC_PF_VF_ALL, 1ULL << 63) != 0 ||
			agent_deliver(&a0, "poll", CMD_MS, 1ULL << 63, &m) < 0 ||
			m.cb != 1ULL << 63 ||
			agent_deliver(&a1, "poll", CMD_MS, 1ULL << 63, &m) < 0 ||
			m.cb != 1ULL << 63) {
		printf("VF_ALL: got 0x%" PRIx64 ", want bit 63 alone\n", m.cb);
		goto out;
	}
	/* Nothing else arrives: no phantom bits, nothing of the other VF. */
	if (agent_deliver(&a0, "poll", 300, 0, &m) < 0 || m.cb != 0 || m.calls != 0 ||
			agent_deliver(&a1, "poll", 300, 0, &m) < 0 || m.cb != 0) {
		printf("a quiet VF got 0x%" PRIx64 " (%u calls)\n", m.cb, m.calls);
		goto out;
	}
	if (agent_quit(&a0) != 0 || agent_quit(&a1) != 0) {
		printf("a VF process did not exit cleanly\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a0.c);
	mp_child_close(&a1.c);
	return ret;
}

static int
test_mp_vf_block_data_visible_after_the_bit(void)
{
	char rest[MP_LINE_MAX], want[2 * VFBC_VF_BLOCK_SIZE + 1];
	uint8_t data[VFBC_VF_BLOCK_SIZE];
	struct agent_mask m;
	struct agent a;
	unsigned int i, j, len;
	int n, ret = TEST_FAILED;

	if (agent_start(&a, 0, "") < 0)
		goto out;
	for (i = 0; i < 20; i++) {
		len = 1 + (i * 37) % VFBC_VF_BLOCK_SIZE;
		for (j = 0; j < len; j++)
			data[j] = (uint8_t)(i * 7 + j);
		if (vfbc_pf_write_config_block(w.pf_port, 0, 12, data, len) != 0 ||
				vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 1ULL << 12) != 0) {
			printf("PF block write/invalidate failed\n");
			goto out;
		}
		if (agent_deliver(&a, "poll", CMD_MS, 1ULL << 12, &m) < 0 ||
				m.cb != 1ULL << 12) {
			printf("iteration %u: got 0x%" PRIx64 "\n", i, m.cb);
			goto out;
		}
		hex_of(data, len, want);
		if (agent_cmd(&a, "block", rest, sizeof(rest), "read 12") < 0 ||
				sscanf(rest, "%d", &n) != 1 || n != (int)len ||
				strcmp(strchr(rest, ' ') + 1, want) != 0) {
			printf("iteration %u: VF read \"%s\", PF wrote %u bytes %s\n", i, rest,
			       len, want);
			goto out;
		}
	}
	/* Block ids >= 64 are stored and readable, never invalidated. */
	memset(data, 0xa5, 16);
	if (vfbc_pf_write_config_block(w.pf_port, 0, 100, data, 16) != 0 ||
			agent_cmd(&a, "block", rest, sizeof(rest), "read 100") < 0 ||
			strncmp(rest, "16 a5a5", 7) != 0) {
		printf("block 100: VF read \"%s\"\n", rest);
		goto out;
	}
	if (agent_cmd(&a, "block", rest, sizeof(rest), "read 63") < 0 ||
			atoi(rest) != -ENOENT) {
		printf("never written block 63: VF read \"%s\", want %d\n", rest, -ENOENT);
		goto out;
	}
	if (agent_quit(&a) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a.c);
	return ret;
}

static int
mp_vf_veto_cb(uint16_t port_id __rte_unused, enum rte_eth_event_type event __rte_unused,
	      void *cb_arg __rte_unused, void *ret_param)
{
	struct vfbc_pf_mbox_event *ev = ret_param;

	/* The application refuses block 13 only. */
	if (ev != NULL && ev->type == VFBC_PF_MBOX_BLOCK_WRITE && ev->block_id == 13)
		ev->verdict = VFBC_PF_MBOX_VERDICT_REJECT;
	return 0;
}

/* Requests of a VF process started with devargs (req_wait=...), answered. */
static int
mp_vf_requests(const char *devargs)
{
	uint8_t data[VFBC_VF_BLOCK_SIZE], got[VFBC_VF_BLOCK_SIZE], cfg[4], bar[4], bar2[4];
	char hex[2 * VFBC_VF_BLOCK_SIZE + 1], tail[MP_LINE_MAX];
	const uint32_t bar_off = VFBC_PCI_BASE_ADDRESS_0;
	uint16_t ids[2];
	struct agent a;
	unsigned int i;
	int n, ret = TEST_FAILED;

	if (rte_eth_dev_callback_register(w.pf_port, RTE_ETH_EVENT_VF_MBOX, mp_vf_veto_cb,
					  NULL) != 0 || mp_pf_server_start(w.pf_port) != 0) {
		printf("cannot set up the PF side\n");
		return TEST_FAILED;
	}
	if (agent_start(&a, 1, devargs) < 0)
		goto out;

	/* NdisMWriteConfigBlock: accepted and stored in the VF's slot. */
	for (i = 0; i < 40; i++)
		data[i] = (uint8_t)(0x40 + i);
	hex_of(data, 40, hex);
	n = agent_ret(&a, NULL, 0, "wblock 9 %s %u", hex, REQ_TIMEOUT_MS);
	if (n != 0 || vfbc_pf_read_config_block(w.pf_port, 1, 9, got, sizeof(got)) != 40 ||
			memcmp(got, data, 40) != 0) {
		printf("block write: VF got %d, PF slot differs or missing\n", n);
		goto out;
	}
	/* Vetoed by the application's event callback. */
	n = agent_ret(&a, NULL, 0, "wblock 13 %s %u", hex, REQ_TIMEOUT_MS);
	if (n != -EPERM || vfbc_pf_read_config_block(w.pf_port, 1, 13, got, sizeof(got)) !=
			-ENOENT) {
		printf("vetoed block write: VF got %d (want %d), or the slot was written\n", n,
		       -EPERM);
		goto out;
	}
	/*
	 * Config read on the VF's behalf: a VF's ID registers read all ones,
	 * the PF answers the IDs the VF is known by (as vfio-pci does).
	 */
	n = agent_ret(&a, tail, sizeof(tail), "rbus 0 4 %u", REQ_TIMEOUT_MS);
	if (vfbc_pf_get_vf_ids(w.pf_port, 1, &ids[0], &ids[1]) != 0) {
		printf("PF cannot give VF 1's IDs\n");
		goto out;
	}
	cfg[0] = (uint8_t)ids[0];
	cfg[1] = (uint8_t)(ids[0] >> 8);
	cfg[2] = (uint8_t)ids[1];
	cfg[3] = (uint8_t)(ids[1] >> 8);
	hex_of(cfg, 4, hex);
	if (n != 4 || strcmp(tail, hex) != 0) {
		printf("config read of the IDs: VF got %d \"%s\", want %s\n", n, tail, hex);
		goto out;
	}
	/* A field the policy lets a VF own: Interrupt Line; read back both ways. */
	n = agent_ret(&a, NULL, 0, "wbus 0x3c 5a %u", REQ_TIMEOUT_MS);
	if (n != 1 || vfbc_pf_read_vf_config(w.pf_port, 1, cfg, 0x3c, 1) < 0 ||
			cfg[0] != 0x5a) {
		printf("allowed config write: VF got %d, register 0x%02x\n", n, cfg[0]);
		goto out;
	}
	n = agent_ret(&a, tail, sizeof(tail), "rbus 0x3c 1 %u", REQ_TIMEOUT_MS);
	if (n != 1 || strcmp(tail, "5a") != 0) {
		printf("config read of 0x3c: VF got %d \"%s\", want 5a\n", n, tail);
		goto out;
	}
	/* A BAR is never the VF's: refused, unchanged. */
	if (vfbc_pf_read_vf_config(w.pf_port, 1, bar, bar_off, 4) < 0)
		goto out;
	n = agent_ret(&a, NULL, 0, "wbus 0x10 ffffffff %u", REQ_TIMEOUT_MS);
	if (n != -EPERM || vfbc_pf_read_vf_config(w.pf_port, 1, bar2, bar_off, 4) < 0 ||
			memcmp(bar, bar2, 4) != 0) {
		printf("BAR write: VF got %d (want %d), or the BAR changed\n", n, -EPERM);
		goto out;
	}

	/*
	 * No server: the request times out (spinning too); its late answer is
	 * dropped later.
	 */
	mp_pf_server_stop();
	n = agent_ret(&a, NULL, 0, "wblock 10 aa 200");
	if (n != -ETIMEDOUT) {
		printf("request without a PF service: %d, want %d\n", n, -ETIMEDOUT);
		goto out;
	}
	if (mp_pf_server_start(w.pf_port) != 0)
		goto out;
	n = agent_ret(&a, NULL, 0, "wblock 11 bb %u", REQ_TIMEOUT_MS);
	if (n != 0 || vfbc_pf_read_config_block(w.pf_port, 1, 11, got, sizeof(got)) != 1 ||
			got[0] != 0xbb) {
		printf("request after a timeout: %d, or block 11 not stored\n", n);
		goto out;
	}
	if (agent_quit(&a) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a.c);
	mp_pf_server_stop();
	rte_eth_dev_callback_unregister(w.pf_port, RTE_ETH_EVENT_VF_MBOX, mp_vf_veto_cb, NULL);
	return ret;
}

static int
test_mp_vf_requests_answered_by_the_pf(void)
{
	return mp_vf_requests("");
}

/* req_wait=spin: the same answers, the same timeout, without sched_yield(). */
static int
test_mp_vf_requests_answered_spinning(void)
{
	return mp_vf_requests(",req_wait=spin");
}

/* A secondary probing VF 2 with devargs gets no port, and exits cleanly. */
static int
mp_vf_probe_fails(struct agent *b, const char *devargs)
{
	static const char * const expect_fail[] = { "MP_VF_EXPECT_NO_PORT=1", NULL };
	char rest[MP_LINE_MAX];

	snprintf(rest, sizeof(rest), "-a %s%s", w.vf_name[2], devargs);
	if (mp_child_spawn(&b->c, "mp_vf_agent", rest, expect_fail) < 0 ||
			mp_child_expect(&b->c, "no-port", NULL, 0, START_MS) < 0 ||
			mp_child_wait(&b->c, CMD_MS) != 0) {
		printf("a secondary probing VF 2 with devargs \"%s\" got a port\n", devargs);
		return -1;
	}
	return 0;
}

static int
test_mp_vf_second_claimer_gets_ebusy(void)
{
	char rest[MP_LINE_MAX];
	struct agent a, b, c;
	struct agent_mask m;
	int pid, claimed, n, ret = TEST_FAILED;
	unsigned int vf;

	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	b.c.pid = c.c.pid = -1;
	b.c.to_fd = b.c.from_fd = c.c.to_fd = c.c.from_fd = -1;
	if (agent_start(&a, 2, "") < 0 || !a.claimed)
		goto out;
	/*
	 * Claiming at probe fails with -EBUSY: the VF gets no port there; so
	 * do devargs rte_kvargs alone would read as claim=0, and a req_wait
	 * that is neither yield nor spin.
	 */
	if (mp_vf_probe_fails(&b, "") < 0 || mp_vf_probe_fails(&b, ",x=claim=0") < 0 ||
			mp_vf_probe_fails(&b, ",req_wait=busy") < 0)
		goto out;
	/* With claim=0 it attaches; an explicit claim is refused. */
	if (agent_start(&c, 2, ",claim=0") < 0 || c.claimed) {
		printf("claim=0: not started, or claimed\n");
		goto out;
	}
	n = agent_ret(&c, NULL, 0, "claim");
	if (n != -EBUSY) {
		printf("claim of a live claim: %d, want %d\n", n, -EBUSY);
		goto out;
	}
	if (agent_cmd(&c, "info", rest, sizeof(rest), "info") < 0 ||
			sscanf(rest, "vf=%u claimed=%d pid=%d", &vf, &claimed, &pid) != 3 ||
			pid != a.pid || claimed != 0) {
		printf("info \"%s\": want the holder's pid %d\n", rest, a.pid);
		goto out;
	}
	if (vfbc_pf_vf_consumer(w.pf_port, 2, &pid) != 0 || pid != a.pid) {
		printf("PF sees consumer %d, want %d\n", pid, a.pid);
		goto out;
	}
	if (agent_deliver(&c, "poll", 50, 0, &m) < 0 || m.ret != -EPERM) {
		printf("poll without the claim: %d, want %d\n", m.ret, -EPERM);
		goto out;
	}
	/* Once the holder is gone cleanly, the claim is free. */
	if (agent_quit(&a) != 0 || agent_ret(&c, NULL, 0, "claim") != 0 ||
			agent_quit(&c) != 0) {
		printf("claim after the holder quit failed\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a.c);
	mp_child_close(&b.c);
	mp_child_close(&c.c);
	return ret;
}

static int
test_mp_vf_killed_consumer_restarts_with_every_bit(void)
{
	struct agent_mask m;
	struct agent a;
	int n, pid, ret = TEST_FAILED;

	memset(&m, 0, sizeof(m));
	if (agent_start(&a, 3, "") < 0)
		goto out;
	/*
	 * Bit 63 went to every VF in the first case, while VF 3 had no
	 * consumer: it was kept for this one.
	 */
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 3, 0x1) != 0 ||
			agent_deliver(&a, "poll", CMD_MS, 0x1, &m) < 0 ||
			m.cb != (0x1 | 1ULL << 63)) {
		printf("first delivery: 0x%" PRIx64 ", want bits 0 and 63\n", m.cb);
		goto out;
	}
	/* Killed at any point: the PF and the other VFs are not disturbed. */
	mp_child_kill(&a.c, SIGKILL);
	n = mp_child_wait(&a.c, CMD_MS);
	if (n != 128 + SIGKILL) {
		printf("killed VF process: status %d\n", n);
		goto out;
	}
	mp_child_close(&a.c);
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 3, 0x2) != 0 ||
			vfbc_pf_invalidate_config_blocks(w.pf_port, 3, 0x40) != 0 ||
			vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 0x2) != 0) {
		printf("PF invalidate failed with a dead consumer\n");
		goto out;
	}
	/* Restarted: takes the claim over, first delivery is every block. */
	if (agent_start(&a, 3, "") < 0 || !a.claimed) {
		printf("restarted VF process did not take the claim over\n");
		goto out;
	}
	if (vfbc_pf_vf_consumer(w.pf_port, 3, &pid) != 0 || pid != a.pid) {
		printf("PF sees consumer %d, want %d\n", pid, a.pid);
		goto out;
	}
	if (agent_deliver(&a, "poll", CMD_MS, 0x42, &m) < 0 || m.cb != VFBC_VF_ALL_BLOCKS ||
			m.calls != 1) {
		printf("after takeover: 0x%" PRIx64 " in %u calls, want all blocks once\n",
		       m.cb, m.calls);
		goto out;
	}
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 3, 0x8) != 0 ||
			agent_deliver(&a, "poll", CMD_MS, 0x8, &m) < 0 || m.cb != 0x8) {
		printf("after the resync: 0x%" PRIx64 ", want 0x8\n", m.cb);
		goto out;
	}
	/* A clean exit releases: bits wait for the next one, exactly. */
	if (agent_quit(&a) != 0)
		goto out;
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 3, 0x10) != 0 ||
			vfbc_pf_vf_consumer(w.pf_port, 3, &pid) != 0 || pid != 0)
		goto out;
	if (agent_start(&a, 3, "") < 0 ||
			agent_deliver(&a, "poll", CMD_MS, 0x10, &m) < 0 || m.cb != 0x10) {
		printf("after a clean restart: 0x%" PRIx64 ", want exactly 0x10\n", m.cb);
		goto out;
	}
	if (agent_quit(&a) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a.c);
	return ret;
}

static int
test_mp_vf_rx_burst_and_service_deliver(void)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	struct agent_mask m;
	struct agent a;
	uint16_t port = w.vf_port[0];
	int ret = TEST_FAILED;

	memset(&conf, 0, sizeof(conf));
	mp = rte_pktmbuf_pool_create("mp_vf_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(mp, "no mbuf pool");
	/* The primary owns the port's configuration, as usual in DPDK. */
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
			rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp) != 0 ||
			rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL) != 0 ||
			rte_eth_dev_start(port) != 0) {
		printf("cannot start VF port %u in the primary\n", port);
		goto out;
	}
	if (agent_start(&a, 0, "") < 0)
		goto out;
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 0x3) != 0 ||
			agent_deliver(&a, "rx", CMD_MS, 0x3, &m) < 0 || m.cb != 0x3) {
		printf("rx_burst delivered 0x%" PRIx64 ", want 0x3\n", m.cb);
		goto out;
	}
	if (vfbc_pf_invalidate_config_blocks(w.pf_port, 0, 0x4) != 0 ||
			agent_deliver(&a, "svc", CMD_MS, 0x4, &m) < 0 || m.cb != 0x4) {
		printf("the service delivered 0x%" PRIx64 " (ret %d), want 0x4\n", m.cb, m.ret);
		goto out;
	}
	if (agent_quit(&a) != 0)
		goto out;
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a.c);
	rte_eth_dev_stop(port);
	return ret;
}

static struct unit_test_suite mp_vf_suite = {
	.suite_name = "net_vfbc_vf multi-process",
	.setup = mp_vf_setup,
	.unit_test_cases = {
		TEST_CASE(test_mp_vf_invalidations_reach_the_right_vf),
		TEST_CASE(test_mp_vf_block_data_visible_after_the_bit),
		TEST_CASE(test_mp_vf_requests_answered_by_the_pf),
		TEST_CASE(test_mp_vf_requests_answered_spinning),
		TEST_CASE(test_mp_vf_second_claimer_gets_ebusy),
		TEST_CASE(test_mp_vf_killed_consumer_restarts_with_every_bit),
		TEST_CASE(test_mp_vf_rx_burst_and_service_deliver),
		TEST_CASES_END()
	}
};

static int
test_mp_vf(void)
{
	return unit_test_suite_runner(&mp_vf_suite);
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_vf_autotest, test_mp_vf, MP_VF_WORLD_OPTS, "mp");

/*
 * The primary dies under a VF process: its polls and requests return
 * -ENOTCONN promptly and it exits cleanly. This command is no EAL process:
 * it starts a PF primary and a VF secondary, and kills the primary.
 */
static int
test_mp_vf_primary_death(void)
{
	char rest[MP_LINE_MAX], eal[64];
	struct mp_child p;
	struct agent a;
	struct agent_mask m;
	int poll_ret, req_ret, ms, port, vf, ret = TEST_FAILED;

	memset(&a, 0, sizeof(a));
	a.c.pid = -1;
	a.c.to_fd = a.c.from_fd = -1;
	if (vfbc_test_world_dir() == NULL)
		TEST_SKIP("needs the emulated world (run it through vfbc-test)");
	if (mp_child_spawn_primary(&p, "mp_vf_primary", NULL) < 0 ||
			mp_child_expect(&p, "ready", rest, sizeof(rest), START_MS) < 0 ||
			strncmp(rest, "prefix=", 7) != 0) {
		printf("the PF primary did not start\n");
		goto out;
	}
	/* VF 0 of the default world. */
	snprintf(eal, sizeof(eal), "-a 0000:01:00.1");
	if (mp_child_spawn_prefix(&a.c, "mp_vf_agent", eal, rest + 7, NULL) < 0 ||
			mp_child_expect(&a.c, "ready", rest, sizeof(rest), START_MS) < 0 ||
			sscanf(rest, "port=%d vf=%d claimed=%d", &port, &vf, &a.claimed) != 3 ||
			!a.claimed) {
		printf("the VF process did not start or claim\n");
		goto out;
	}
	if (agent_deliver(&a, "poll", 200, 0, &m) < 0 || m.ret < 0) {
		printf("poll with the primary alive: %d\n", m.ret);
		goto out;
	}
	mp_child_kill(&p, SIGKILL);
	if (mp_child_wait(&p, CMD_MS) != 128 + SIGKILL)
		goto out;
	if (agent_cmd(&a, "dead", rest, sizeof(rest), "dead 5000") < 0 ||
			sscanf(rest, "poll=%d req=%d ms=%d", &poll_ret, &req_ret, &ms) != 3) {
		printf("no answer from the VF process after the primary died\n");
		goto out;
	}
	if (poll_ret != -ENOTCONN || req_ret != -ENOTCONN || ms > 1000) {
		printf("after the primary died: poll %d, request %d after %d ms; want %d, %d, "
		       "within 1000 ms\n", poll_ret, req_ret, ms, -ENOTCONN, -ENOTCONN);
		goto out;
	}
	if (agent_quit(&a) != 0) {
		printf("the VF process did not exit cleanly\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	mp_child_close(&a.c);
	mp_child_close(&p);
	return ret;
}

REGISTER_WORLD_TEST_COMMAND_SUITE(mp_vf_primary_death_autotest, test_mp_vf_primary_death,
				  MP_VF_WORLD_OPTS, "mp");
