/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _TEST_PF_COMMON_H_
#define _TEST_PF_COMMON_H_

/*
 * Helpers of the net_vfbc_pf world tests: EAL start with the PF probed,
 * byte-exact snapshots of every function's config file in the world, and
 * the topology as the world's files describe it (computed here, not asked
 * from the driver, so the tests check the driver against the world).
 */

#include <stdint.h>

#include <rte_pci.h>

/* One function of the world: its PCI name and config file contents. */
struct test_pf_file {
	char name[PCI_PRI_STR_SIZE];
	uint32_t len;
	uint8_t data[RTE_PCI_CFG_SPACE_EXP_SIZE];
};

/* Every config file of the world, sorted by name. */
struct test_pf_snap {
	unsigned int n;
	struct test_pf_file *files;
};

/* The PF's SR-IOV capability, read from its config file. */
struct test_pf_topo {
	struct rte_pci_addr pf;
	uint16_t pf_vendor;
	uint16_t sriov_pos;
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device;
	uint16_t ctrl;
};

/* Default PF of the world (vfbc-world --pf). */
#define TEST_PF_WORLD_PF "0000:01:00.0"

/*
 * Start EAL (hugepages, so that uio mapping works) with extra arguments, and
 * find the PF's port. Returns TEST_SUCCESS, TEST_SKIPPED (outside a world, or
 * EAL cannot run here) or TEST_FAILED.
 */
int test_pf_world_start(uint16_t *port_id, const char *extra_eal_args);

/* Remove the world's PF (TEST_PF_WORLD_PF) from EAL if it has a port: 0, or -1. */
int test_pf_world_detach(void);

/*
 * test_pf_world_start() for a control-socket test: *port the PF's port,
 * path (size bytes) a socket path of this process named after tag, not
 * there yet. TEST_SUCCESS, TEST_SKIPPED or TEST_FAILED.
 */
int test_pf_socket_world_start(uint16_t *port, char *path, size_t size, const char *tag);

/* The PF's consumer of vf (0: none), after waiting up to ms for want; -1 on error. */
int32_t test_pf_consumer_wait(uint16_t port, uint16_t vf, int32_t want, unsigned int ms);

/* Read the PF's SR-IOV capability from the world's config file. */
int test_pf_topo_read(struct test_pf_topo *topo);

/* Address of VF i by PCIe routing: PF RID + First VF Offset + i * Stride. */
int test_pf_vf_addr(const struct test_pf_topo *topo, unsigned int i,
		    struct rte_pci_addr *addr);

/* Take / free a snapshot of every function's config file. */
int test_pf_snap_take(struct test_pf_snap *snap);
void test_pf_snap_free(struct test_pf_snap *snap);

/* The file of a function in a snapshot, NULL if absent. */
struct test_pf_file *test_pf_snap_find(struct test_pf_snap *snap,
				       const struct rte_pci_addr *addr);

/*
 * Compare the world's files now with a snapshot; prints the first
 * difference. Returns 0 if identical, -1 otherwise.
 */
int test_pf_snap_check(const struct test_pf_snap *expected);

/* Offset of a standard capability in a config image, 0 if absent. */
unsigned int test_pf_find_cap(const uint8_t *cfg, uint8_t id);

/* Deterministic pseudo-random bytes. */
void test_pf_fill(uint8_t *buf, unsigned int len, uint32_t seed);

/* Run a secondary process of vfbc-test: command name, returns its exit status. */
int test_pf_run_secondary(const char *command);

/* Value of a port's xstat by name; UINT64_MAX if absent. */
uint64_t test_pf_xstat(uint16_t port_id, const char *name);

#endif /* _TEST_PF_COMMON_H_ */
