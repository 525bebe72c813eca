/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vfbc_pci_regs.h>

#include "test.h"
#include "test_testpmd_bin.h"
#include "test_testpmd_session.h"

#define TP_PROMPT	"vfbc-testpmd> "
#define TP_MAX_ARGS	64

const char *
tp_bin(void)
{
	const char *env;

	/* For a vfbc-test run away from its build tree. */
	env = getenv("VFBC_TESTPMD_BIN");
	if (env != NULL && env[0] != '\0')
		return env;
	return VFBC_TEST_TESTPMD_BIN;
}

const char *
tp_eal_args(int secondary)
{
	static char args[2][192];

	/* One prefix per test process: its primary and secondaries share it. */
	snprintf(args[!!secondary], sizeof(args[0]),
			"-l 0 --file-prefix=vfbc-tp-%d --log-level=lib.eal:warning %s%s",
			(int)getpid(), vfbc_test_eal_sanitizer_args(),
			secondary ? " --proc-type=secondary" : "");
	return args[!!secondary];
}

static double
tp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
tp_session_start(struct tp_session *s, const char *eal_args, const char *app_args)
{
	char *argv[TP_MAX_ARGS];
	char buf[1024];
	int in[2], out[2];
	char *save;
	char *tok;
	int argc;

	memset(s, 0, sizeof(*s));
	s->pid = -1;
	s->in_fd = -1;
	s->out_fd = -1;
	s->status = -1;
	if (access(tp_bin(), X_OK) != 0) {
		printf("vfbc-testpmd not found at %s: %s\n", tp_bin(), strerror(errno));
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s -- --echo %s", eal_args, app_args);
	argc = 0;
	argv[argc++] = (char *)(uintptr_t)tp_bin();
	for (tok = strtok_r(buf, " ", &save); tok != NULL && argc < TP_MAX_ARGS - 1;
			tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;

	s->cap = 64 * 1024;
	s->out = malloc(s->cap);
	if (s->out == NULL || pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	s->out[0] = '\0';
	fflush(stdout);
	s->pid = fork();
	if (s->pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (s->pid < 0) {
		close(in[1]);
		close(out[0]);
		return -1;
	}
	s->in_fd = in[1];
	s->out_fd = out[0];
	/* A child that dies early must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int
tp_session_send(struct tp_session *s, const char *cmd)
{
	size_t len;
	ssize_t n;

	len = strlen(cmd);
	while (len > 0) {
		n = write(s->in_fd, cmd, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		cmd += n;
		len -= n;
	}
	return write(s->in_fd, "\n", 1) == 1 ? 0 : -1;
}

/* Read what is there within @p timeout_ms. @return 1 read, 0 nothing, -1 at the end. */
static int
tp_session_read(struct tp_session *s, int timeout_ms)
{
	struct pollfd pfd;
	char *tmp;
	ssize_t n;

	pfd.fd = s->out_fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	if (s->len + 4096 + 1 > s->cap) {
		tmp = realloc(s->out, s->cap * 2);
		if (tmp == NULL)
			return -1;
		s->out = tmp;
		s->cap *= 2;
	}
	n = read(s->out_fd, s->out + s->len, s->cap - s->len - 1);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1;
	s->len += n;
	s->out[s->len] = '\0';
	return 1;
}

int
tp_session_wait_line(struct tp_session *s, const char *line, int timeout_s)
{
	double deadline;

	deadline = tp_now() + timeout_s;
	while (!tp_has_line(s->out, line)) {
		if (tp_now() > deadline || tp_session_read(s, 100) < 0)
			return -1;
	}
	return 0;
}

int
tp_session_finish(struct tp_session *s, int timeout_s)
{
	double deadline;
	int status;

	if (s->in_fd >= 0) {
		close(s->in_fd);
		s->in_fd = -1;
	}
	deadline = tp_now() + timeout_s;
	while (tp_session_read(s, 100) >= 0) {
		if (tp_now() > deadline) {
			printf("vfbc-testpmd still running after %d s: killed\n", timeout_s);
			kill(s->pid, SIGKILL);
			break;
		}
	}
	if (waitpid(s->pid, &status, 0) != s->pid)
		return -1;
	s->pid = -1;
	if (!WIFEXITED(status)) {
		printf("vfbc-testpmd killed by signal %d\n",
				WIFSIGNALED(status) ? WTERMSIG(status) : -1);
		return -1;
	}
	s->status = WEXITSTATUS(status);
	return s->status;
}

void
tp_session_free(struct tp_session *s)
{
	if (s->in_fd >= 0)
		close(s->in_fd);
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	free(s->out);
	memset(s, 0, sizeof(*s));
	s->in_fd = -1;
	s->out_fd = -1;
	s->pid = -1;
}

/* Start of the line after the one at @p p, or NULL at the end. */
static const char *
tp_next_line(const char *p)
{
	p = strchr(p, '\n');
	return p != NULL ? p + 1 : NULL;
}

static int
tp_is_echo(const char *p)
{
	return strncmp(p, TP_PROMPT, strlen(TP_PROMPT)) == 0;
}

char *
tp_session_block(const struct tp_session *s, unsigned int n)
{
	const char *p, *start;
	unsigned int i;

	i = 0;
	start = NULL;
	for (p = s->out; p != NULL && *p != '\0'; p = tp_next_line(p)) {
		if (!tp_is_echo(p))
			continue;
		if (start != NULL)
			break;
		if (i++ == n)
			start = tp_next_line(p);
	}
	if (start == NULL)
		return NULL;
	if (p == NULL || *p == '\0')
		return strdup(start);
	return strndup(start, p - start);
}

static int
tp_find_line(const char *text, const char *line, int prefix)
{
	size_t len;
	const char *p;

	len = strlen(line);
	for (p = text; p != NULL && *p != '\0'; p = tp_next_line(p))
		if (strncmp(p, line, len) == 0 &&
				(prefix || p[len] == '\n' || p[len] == '\0'))
			return 1;
	return 0;
}

int
tp_has_line(const char *text, const char *line)
{
	return tp_find_line(text, line, 0);
}

int
tp_has_line_prefix(const char *text, const char *prefix)
{
	return tp_find_line(text, prefix, 1);
}

unsigned int
tp_error_lines(const char *text)
{
	unsigned int n;
	const char *p;

	n = 0;
	for (p = text; p != NULL && *p != '\0'; p = tp_next_line(p))
		if (strncmp(p, "Error:", 6) == 0)
			n++;
	return n;
}

static void
tp_vadd(struct tp_script *sc, int prefix, const char *expect, const char *fmt, va_list ap)
{
	struct tp_step *step;

	if (sc->n == TP_MAX_STEPS) {
		sc->overflow = 1;
		return;
	}
	step = &sc->steps[sc->n++];
	vsnprintf(step->cmd, sizeof(step->cmd), fmt, ap);
	snprintf(step->expect, sizeof(step->expect), "%s", expect);
	step->prefix = prefix;
}

void
tp_add(struct tp_script *sc, const char *expect, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tp_vadd(sc, 0, expect, fmt, ap);
	va_end(ap);
}

void
tp_add_prefix(struct tp_script *sc, const char *expect, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tp_vadd(sc, 1, expect, fmt, ap);
	va_end(ap);
}

int
tp_script_check(const struct tp_session *s, const struct tp_script *sc)
{
	const struct tp_step *step;
	unsigned int errors;
	unsigned int i;
	char *block;
	int is_error;
	int ok;

	for (i = 0; i < sc->n; i++) {
		step = &sc->steps[i];
		block = tp_session_block(s, i);
		if (block == NULL) {
			printf("step %u (%s): no output block: the command was not run\n", i,
					step->cmd);
			return -1;
		}
		is_error = strncmp(step->expect, "Error:", 6) == 0;
		errors = tp_error_lines(block);
		ok = (is_error ? errors == 1 : errors == 0) &&
			(step->expect[0] == '\0' ||
			 tp_find_line(block, step->expect, step->prefix));
		if (!ok) {
			printf("step %u (%s): expected %s\"%s\"%s, got %u error line(s) in:\n%s",
					i, step->cmd, is_error ? "only the error " : "",
					step->expect, step->prefix ? "..." : "", errors, block);
			free(block);
			return -1;
		}
		free(block);
	}
	return 0;
}

int
tp_script_run(struct tp_session *s, const struct tp_script *sc, const char *eal_args,
		const char *app_args)
{
	int want_status;
	unsigned int i;
	int status;

	if (sc->overflow) {
		printf("script of more than %u steps\n", TP_MAX_STEPS);
		memset(s, 0, sizeof(*s));
		s->in_fd = s->out_fd = s->pid = -1;
		return TEST_FAILED;
	}
	want_status = 0;
	if (tp_session_start(s, eal_args, app_args) < 0)
		return TEST_FAILED;
	for (i = 0; i < sc->n; i++) {
		if (strncmp(sc->steps[i].expect, "Error:", 6) == 0)
			want_status = 1;
		if (tp_session_send(s, sc->steps[i].cmd) < 0)
			break;
	}
	status = tp_session_finish(s, 60);
	if (tp_script_check(s, sc) < 0 || status != want_status) {
		if (status != want_status)
			printf("exit status %d, expected %d\n", status, want_status);
		printf("--- vfbc-testpmd session ---\n%s--- end of session ---\n", s->out);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

int
tp_run(const struct tp_script *sc)
{
	struct tp_session s;
	int ret;

	ret = tp_script_run(&s, sc, tp_eal_args(0), "");
	tp_session_free(&s);
	return ret;
}

int
tp_cfg_read(const struct rte_pci_addr *addr, uint8_t cfg[TP_CFG_SIZE])
{
	char name[PCI_PRI_STR_SIZE];
	char path[512];
	ssize_t n;
	int fd;

	if (vfbc_test_world_dir() == NULL)
		return -1;
	rte_pci_device_name(addr, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/devices/%s/config", vfbc_test_world_dir(), name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT)
			printf("cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(cfg, 0, TP_CFG_SIZE);
	n = pread(fd, cfg, TP_CFG_SIZE, 0);
	close(fd);
	if (n < 0)
		printf("cannot read %s: %s\n", path, strerror(errno));
	return (int)n;
}

uint16_t
tp_get16(const uint8_t *cfg, unsigned int off)
{
	return cfg[off] | cfg[off + 1] << 8;
}

uint32_t
tp_get32(const uint8_t *cfg, unsigned int off)
{
	return tp_get16(cfg, off) | (uint32_t)tp_get16(cfg, off + 2) << 16;
}

unsigned int
tp_find_cap(const uint8_t *cfg, uint8_t id)
{
	unsigned int pos;
	unsigned int hops;

	pos = cfg[VFBC_PCI_CAPABILITY_LIST] & ~3u;
	for (hops = 0; pos >= VFBC_PCI_STD_HEADER_SIZEOF && hops < 48; hops++) {
		if (cfg[pos + VFBC_PCI_CAP_LIST_ID] == id)
			return pos;
		pos = cfg[pos + VFBC_PCI_CAP_LIST_NEXT] & ~3u;
	}
	return 0;
}

int
tp_topo_read(const char *pf_name, struct tp_topo *topo)
{
	uint8_t cfg[TP_CFG_SIZE];
	unsigned int pos;
	unsigned int i;

	memset(topo, 0, sizeof(*topo));
	if (rte_pci_addr_parse(pf_name, &topo->pf) != 0) {
		printf("bad PF address %s\n", pf_name);
		return -1;
	}
	if (tp_cfg_read(&topo->pf, cfg) != TP_CFG_SIZE) {
		printf("PF %s: no 4096-byte config file\n", pf_name);
		return -1;
	}
	/* Walk the extended capabilities to SR-IOV, as a driver would. */
	for (pos = VFBC_PCI_EXT_CAP_START, i = 0; pos != 0 && i < 64; i++) {
		if ((tp_get32(cfg, pos) & 0xffff) == RTE_PCI_EXT_CAP_ID_SRIOV)
			break;
		pos = tp_get32(cfg, pos) >> 20;
	}
	if (pos == 0 || i == 64) {
		printf("PF %s: no SR-IOV capability in its config file\n", pf_name);
		return -1;
	}
	topo->sriov = pos;
	topo->total_vfs = tp_get16(cfg, pos + RTE_PCI_SRIOV_TOTAL_VF);
	topo->num_vfs = tp_get16(cfg, pos + RTE_PCI_SRIOV_NUM_VF);
	topo->vf_offset = tp_get16(cfg, pos + RTE_PCI_SRIOV_VF_OFFSET);
	topo->vf_stride = tp_get16(cfg, pos + RTE_PCI_SRIOV_VF_STRIDE);
	topo->vf_device = tp_get16(cfg, pos + RTE_PCI_SRIOV_VF_DID);
	topo->vendor = tp_get16(cfg, RTE_PCI_VENDOR_ID);
	for (i = 0; i < RTE_DIM(topo->vf_bar); i++)
		topo->vf_bar[i] = tp_get32(cfg, pos + VFBC_PCI_SRIOV_BAR + 4 * i);
	return 0;
}

struct rte_pci_addr
tp_vf_addr(const struct tp_topo *topo, unsigned int i)
{
	struct rte_pci_addr a;
	uint32_t rid;

	rid = (topo->pf.bus << 8 | topo->pf.devid << 3 | topo->pf.function) +
		topo->vf_offset + i * topo->vf_stride;
	memset(&a, 0, sizeof(a));
	a.domain = topo->pf.domain;
	a.bus = (rid >> 8) & 0xff;
	a.devid = (rid >> 3) & 0x1f;
	a.function = rid & 0x7;
	return a;
}

struct tp_snap *
tp_snap_take(const struct tp_topo *topo)
{
	struct rte_pci_addr a;
	struct tp_snap *snap;
	unsigned int i;

	snap = calloc(1, sizeof(*snap));
	if (snap == NULL)
		return NULL;
	snap->n = 1 + topo->total_vfs;
	snap->len[0] = tp_cfg_read(&topo->pf, snap->cfg[0]);
	for (i = 0; i < topo->total_vfs; i++) {
		a = tp_vf_addr(topo, i);
		snap->len[i + 1] = tp_cfg_read(&a, snap->cfg[i + 1]);
	}
	if (snap->len[0] <= 0) {
		printf("no config file for the PF\n");
		free(snap);
		return NULL;
	}
	return snap;
}

static void
tp_snap_label(unsigned int i, char *buf, size_t len)
{
	if (i == 0)
		snprintf(buf, len, "PF");
	else
		snprintf(buf, len, "VF %u", i - 1);
}

int
tp_snap_compare(const struct tp_snap *expected, const struct tp_snap *actual)
{
	char label[16];
	unsigned int i;
	int off;

	if (expected->n != actual->n) {
		printf("snapshots of %u and %u functions\n", expected->n, actual->n);
		return -1;
	}
	for (i = 0; i < expected->n; i++) {
		tp_snap_label(i, label, sizeof(label));
		if (expected->len[i] != actual->len[i]) {
			printf("%s: config file of %d bytes, expected %d\n", label,
					actual->len[i], expected->len[i]);
			return -1;
		}
		for (off = 0; off < expected->len[i]; off++) {
			if (expected->cfg[i][off] == actual->cfg[i][off])
				continue;
			printf("%s: config byte 0x%03x is 0x%02x, expected 0x%02x\n", label,
					off, actual->cfg[i][off], expected->cfg[i][off]);
			return -1;
		}
	}
	return 0;
}

void
tp_vf_list_line(const struct tp_topo *topo, unsigned int vf, const char *state,
		char *buf, size_t len)
{
	char pci[PCI_PRI_STR_SIZE];
	struct rte_pci_addr a;
	char ids[16];

	a = tp_vf_addr(topo, vf);
	rte_pci_device_name(&a, pci, sizeof(pci));
	snprintf(ids, sizeof(ids), "%04x:%04x", topo->vendor, topo->vf_device);
	/* Nothing can consume a VF channel before the mailbox exists. */
	snprintf(buf, len, "  %-4u %-13s %-9s %-10s %s", vf, pci, ids, state, "-");
}

void
tp_vf_location_line(const struct tp_topo *topo, unsigned int vf, char *buf, size_t len)
{
	char pci[PCI_PRI_STR_SIZE];
	struct rte_pci_addr a;

	a = tp_vf_addr(topo, vf);
	rte_pci_device_name(&a, pci, sizeof(pci));
	snprintf(buf, len, "VF %u: %s", vf, pci);
}

void
tp_dump_line(uint32_t offset, const uint8_t *bytes, unsigned int n, char *buf, size_t len)
{
	unsigned int i;
	int pos;

	pos = snprintf(buf, len, "  0x%03x:", offset);
	for (i = 0; i < n && i < 16 && pos > 0 && (size_t)pos < len; i++)
		pos += snprintf(buf + pos, len - pos, "%s %02x", i == 8 ? " " : "", bytes[i]);
}
