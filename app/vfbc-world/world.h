/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The vfbc authors
 */

#ifndef _VFBC_WORLD_H_
#define _VFBC_WORLD_H_

/**
 * @file
 * vfbc-world: emulated SR-IOV PFs and their VFs, bound to uio_pci_generic,
 * in a private mount namespace where unmodified DPDK finds them.
 */

#include <stdint.h>
#include <stdio.h>

/* Exit statuses of vfbc-world itself (a command's own status is passed on). */
#define VFBC_WORLD_EXIT_FAILURE	1	/**< The world could not be built. */
#define VFBC_WORLD_EXIT_USAGE	2	/**< Bad option, spec file or topology. */
#define VFBC_WORLD_EXIT_ENV	3	/**< Not root, or no mount namespaces. */
#define VFBC_WORLD_EXIT_SKIP	77	/**< --check: this machine cannot build worlds. */

/* Where the tree lives inside the world's namespace (a private tmpfs). */
#define VFBC_WORLD_ROOT		"/dev/vfbc-world"
#define VFBC_WORLD_DEVICES	VFBC_WORLD_ROOT "/devices"
#define VFBC_WORLD_CLASS_UIO	"/sys/class/uio"

#define VFBC_WORLD_MAX_PFS	4	/**< Most PFs in one world. */
#define VFBC_WORLD_MAX_VFS	256	/**< Largest TotalVFs supported. */
#define VFBC_WORLD_PAGE_SIZE	4096u	/**< System Page Size the world programs. */
#define VFBC_WORLD_MAX_BAR_SIZE	(1ull << 30)	/**< Largest BAR the world creates. */

/*
 * Where BARs are placed: PF k's BAR0 at PF_BAR_BASE + k * size, from a
 * plausible 32-bit window up; VF i of PF k at VF_BAR_BASE +
 * (k * TotalVFs + i) * size in a 64-bit one, so no two functions' BARs
 * overlap (4 PFs of 1 GiB end below 0x180000000, far under VF_BAR_BASE).
 * Every allowed size divides both bases, so each BAR is naturally aligned.
 */
#define VFBC_WORLD_PF_BAR_BASE	0x80000000ull
#define VFBC_WORLD_VF_BAR_BASE	0x8000000000ull

/* Capability layout of every function the world creates. */
#define VFBC_WORLD_CAP_PM	0x40	/**< Power management capability. */
#define VFBC_WORLD_CAP_EXP	0x60	/**< PCI Express capability. */
#define VFBC_WORLD_CAP_SRIOV	0x100	/**< SR-IOV extended capability (PF). */

/**
 * The topology of one world: its PFs and what their SR-IOV capabilities say.
 * The PFs differ only in their address: everything else is common to all.
 */
struct vfbc_world_topo {
	uint64_t bar0_size;	/**< PF BAR0 size in bytes. */
	uint64_t vf_bar0_size;	/**< Size of each VF's BAR0 in bytes. */
	uint32_t domain;	/**< PCI domain of the PFs (and their VFs). */
	uint32_t vf_cfg_size;	/**< Config space size of a VF: 256 or 4096. */
	uint16_t pf_rid[VFBC_WORLD_MAX_PFS];	/**< PF routing IDs: bus << 8 | devfn. */
	uint16_t nb_pfs;	/**< PFs in pf_rid[], 1..VFBC_WORLD_MAX_PFS. */
	uint16_t total_vfs;	/**< TotalVFs (and InitialVFs). */
	uint16_t num_vfs;	/**< NumVFs at start. */
	uint16_t vf_offset;	/**< First VF Offset. */
	uint16_t vf_stride;	/**< VF Stride. */
	uint16_t vendor_id;	/**< Vendor ID of the PF and its VFs. */
	uint16_t pf_device_id;	/**< Device ID of the PF. */
	uint16_t vf_device_id;	/**< SR-IOV VF Device ID. */
};

/** What vfbc-world was asked to do. */
enum vfbc_world_mode {
	VFBC_WORLD_MODE_RUN,	/**< Build a world and run the command in it. */
	VFBC_WORLD_MODE_CHECK,	/**< Only say whether worlds can be built here. */
	VFBC_WORLD_MODE_JOIN,	/**< Run the command in a running world. */
	VFBC_WORLD_MODE_HELP,	/**< Print usage. */
};

/** What the command line asks for. */
struct vfbc_world_args {
	struct vfbc_world_topo topo;	/**< Topology (run mode). */
	enum vfbc_world_mode mode;	/**< What to do. */
	int join_pid;			/**< Process whose world to join. */
	int cmd_index;			/**< argv index of the command. */
};

/**
 * Parse the command line (and any spec file) into @p args.
 *
 * Parsing only reads the spec file: it creates nothing, keeps no state
 * between calls, and leaves @p args as it was when it refuses.
 *
 * @return 0, or VFBC_WORLD_EXIT_USAGE after printing what is wrong to @p err.
 */
int vfbc_world_parse_args(int argc, char **argv, struct vfbc_world_args *args, FILE *err);

/**
 * Parse spec-file text (@p len bytes, named @p name in messages) over the
 * default topology, as --spec does, and validate the topology.
 *
 * @return 0, or VFBC_WORLD_EXIT_USAGE after printing what is wrong to @p err
 *   (@p topo then unchanged).
 */
int vfbc_world_parse_spec(const char *name, const char *text, size_t len,
		struct vfbc_world_topo *topo, FILE *err);

/**
 * The topology in spec-file syntax, every key given: vfbc_world_parse_spec()
 * of it gives the same topology back.
 *
 * @return what snprintf() returns.
 */
int vfbc_world_spec_format(const struct vfbc_world_topo *topo, char *buf, size_t len);
void vfbc_world_usage(FILE *f);

/** Routing ID of VF @p i of PF @p pf (may exceed 0xffff for an invalid topology). */
uint32_t vfbc_world_vf_rid(const struct vfbc_world_topo *topo, unsigned int pf,
		unsigned int i);

/** Address of PF @p pf's BAR0. */
uint64_t vfbc_world_pf_bar(const struct vfbc_world_topo *topo, unsigned int pf);

/** Address of BAR0 of VF @p i of PF @p pf (VF 0's is the SR-IOV VF BAR0). */
uint64_t vfbc_world_vf_bar(const struct vfbc_world_topo *topo, unsigned int pf,
		unsigned int i);

/** PCI address "DDDD:BB:DD.F" of routing ID @p rid in the topology's domain. */
void vfbc_world_bdf(const struct vfbc_world_topo *topo, uint32_t rid, char *buf, size_t len);

/* Config space images (cfgspace.c). */
void vfbc_world_pf_config(const struct vfbc_world_topo *topo, unsigned int pf,
		uint16_t num_vfs, uint8_t cfg[4096]);
void vfbc_world_vf_config(const struct vfbc_world_topo *topo, uint8_t cfg[4096]);
void vfbc_world_sriov_set_num_vfs(uint8_t *cfg, uint16_t num_vfs);

/* Namespace and mounts (mounts.c). */
int vfbc_world_check(const char **why);
/** Enter a private mount namespace set up for a world; -EOPNOTSUPP: no namespaces. */
int vfbc_world_enter(void);
void vfbc_world_leave(void);
int vfbc_world_join(int pid);

/* The sysfs-shaped tree (sysfs.c). */
int vfbc_world_tree_create(const struct vfbc_world_topo *topo);
int vfbc_world_vfs_create(const struct vfbc_world_topo *topo, unsigned int pf,
		unsigned int num_vfs);
void vfbc_world_vfs_remove(const struct vfbc_world_topo *topo, unsigned int pf,
		unsigned int num_vfs);
void vfbc_world_tree_remove(void);
int vfbc_world_write_file(const char *path, const void *buf, size_t len, int mode);
int vfbc_world_write_text(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Device behaviour (emulate.c). */
int vfbc_world_emulate_init(const struct vfbc_world_topo *topo);
int vfbc_world_emulate_fd(void);
void vfbc_world_emulate_events(void);
void vfbc_world_emulate_fini(void);

/* Diagnostics. */
void vfbc_world_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _VFBC_WORLD_H_ */
