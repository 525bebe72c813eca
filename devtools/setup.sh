#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Prepare a machine to build and run vfbc: Debian packages, an SDK-enabled
# DPDK 22.11 (built once from Debian's own source package into a cache
# outside git), hugepages, the vfbc build tree, and beside it the
# sanitizer and fuzz builds, against the same DPDK:
#   build        gcc, as shipped: all the test suites
#   build-asan   gcc, AddressSanitizer + UBSan (non-recovering, LeakSanitizer
#                on): the fast, world and mp suites
#   build-fuzz   clang, the libFuzzer targets of test/fuzz, with ASan + UBSan:
#                the fuzz suite
#   build-tsan   gcc, ThreadSanitizer, vfbc-test only: the fast suite
#
# Idempotent: a second run only checks and rebuilds what changed; a build
# made with another DPDK, compiler or options is configured again.
# Environment:
#   VFBC_CACHE     cache directory (default /var/cache/vfbc as root,
#                  ~/.cache/vfbc otherwise); must not sit below a
#                  world-writable directory (EAL refuses plugin dirs there)
#   VFBC_BUILD     vfbc build directory (default <repo>/build); the others
#                  are VFBC_BUILD-asan, -fuzz and -tsan
#   VFBC_SAN_BUILDS which of asan, fuzz, tsan to make (default all three;
#                  empty for none)
#   VFBC_HUGEPAGES 2 MiB hugepages to reserve when fewer are free (default 1024)
#   VFBC_WERROR    1 to build build/ with -Werror (CI sets it)

set -e -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/devtools/vfbc-env.sh"

HUGEPAGES=${VFBC_HUGEPAGES:-1024}
# clang and libclang-rt-14-dev: libFuzzer; llvm-14: llvm-symbolizer, for
# sanitizer stacks with file and line.
PKGS="build-essential pkg-config meson ninja-build python3-pyelftools libnuma-dev dpkg-dev
	python3-sphinx python3-sphinx-rtd-theme doxygen gnuplot-nox valgrind
	clang libclang-rt-14-dev llvm-14"
SAN_BUILDS=${VFBC_SAN_BUILDS-asan fuzz tsan}
summary=()
failed=0

say() { printf 'setup: %s\n' "$*"; }
note() { summary+=("$*"); say "$*"; }

have_all_pkgs()
{
	local p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || return 1
	done
}

install_packages()
{
	if have_all_pkgs; then
		say "Debian packages: present"
		return
	fi
	if [ "$(id -u)" != 0 ]; then
		note "ERROR: not root: cannot install packages ($PKGS)"
		exit 1
	fi
	say "installing Debian packages: $(echo $PKGS)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS \
		>"$VFBC_CACHE/apt.log" 2>&1 || { tail -20 "$VFBC_CACHE/apt.log"; exit 1; }
	note "installed Debian packages"
}

# True when pkg-config already finds a DPDK 22.11 with the driver SDK headers.
system_dpdk_has_sdk()
{
	local inc
	pkg-config --exists 'libdpdk >= 22.11' 2>/dev/null || return 1
	inc=$(pkg-config --variable=includedir libdpdk)
	[ -f "$inc/dpdk/ethdev_driver.h" ] || [ -f "$inc/ethdev_driver.h" ]
}

# Add a deb-src twin of each configured Debian deb822 source.
enable_deb_src()
{
	local f twin
	# grep -c reads everything: with grep -q, apt-cache would die of SIGPIPE,
	# and pipefail would call that "no source".
	[ "$(apt-cache showsrc dpdk 2>/dev/null | grep -c '^Package: dpdk')" -gt 0 ] && return 0
	rm -f /etc/apt/sources.list.d/vfbc-src-*
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		grep -q 'debian' "$f" || continue
		twin=/etc/apt/sources.list.d/vfbc-src-$(basename "$f")
		sed 's/^Types: deb$/Types: deb-src/' "$f" >"$twin"
	done
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb \(.*debian.*\)/deb-src \1/p' /etc/apt/sources.list \
			>/etc/apt/sources.list.d/vfbc-src.list
	fi
	apt-get update -qq
	note "added deb-src entries for Debian's sources"
}

build_dpdk()
{
	local ver src bld t0
	if [ "$(id -u)" != 0 ]; then
		note "ERROR: not root: cannot fetch DPDK's source package"
		exit 1
	fi
	t0=$(date +%s)
	enable_deb_src
	mkdir -p "$VFBC_CACHE/src"
	src=$VFBC_CACHE/src/dpdk-$VFBC_DPDK_UPSTREAM
	if [ ! -f "$src/meson.build" ]; then
		(cd "$VFBC_CACHE/src" && apt-get source -qq "dpdk=$VFBC_DPDK_DEBVER" \
			>"$VFBC_CACHE/src/apt-source.log" 2>&1) ||
			{ tail "$VFBC_CACHE/src/apt-source.log"; exit 1; }
	fi
	bld=$VFBC_CACHE/build-dpdk
	rm -rf "$bld" "$VFBC_DPDK_PREFIX"
	say "building DPDK $VFBC_DPDK_DEBVER with the driver SDK (about 2 minutes on 2 cores)"
	# shellcheck disable=SC2086 # the options are words
	meson setup "$bld" "$src" --prefix="$VFBC_DPDK_PREFIX" --libdir=lib $VFBC_DPDK_OPTS \
		>"$VFBC_CACHE/dpdk-meson.log" 2>&1 || { tail -30 "$VFBC_CACHE/dpdk-meson.log"; exit 1; }
	ninja -C "$bld" install >"$VFBC_CACHE/dpdk-ninja.log" 2>&1 ||
		{ tail -30 "$VFBC_CACHE/dpdk-ninja.log"; exit 1; }
	touch "$VFBC_DPDK_PREFIX/.vfbc-complete"
	note "built DPDK SDK into $VFBC_DPDK_PREFIX in $(($(date +%s) - t0)) s"
}

setup_hugepages()
{
	local free total mnt
	if [ "$(id -u)" != 0 ]; then
		note "WARNING: not root: hugepages left as they are; world and mp tests will skip"
		return
	fi
	total=$(cat /proc/sys/vm/nr_hugepages)
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	if [ "$free" -lt "$HUGEPAGES" ]; then
		echo $((total + HUGEPAGES - free)) >/proc/sys/vm/nr_hugepages || true
		free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
		if [ "$free" -lt "$HUGEPAGES" ]; then
			note "WARNING: only $free of $HUGEPAGES hugepages free: multi-process tests may skip"
		else
			note "reserved hugepages: $(cat /proc/sys/vm/nr_hugepages) x 2 MiB"
		fi
	fi
	mnt=$(awk '$3 == "hugetlbfs" {print $2; exit}' /proc/mounts)
	if [ -z "$mnt" ]; then
		mkdir -p /dev/hugepages
		if mount -t hugetlbfs nodev /dev/hugepages; then
			note "mounted hugetlbfs on /dev/hugepages"
		else
			note "WARNING: cannot mount hugetlbfs: multi-process tests will skip"
		fi
	fi
}

# The fuzz targets of a configured build-fuzz: what its fuzz suite runs.
fuzz_targets()
{
	meson introspect --targets "$1" | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if t["defined_in"].endswith("test/fuzz/meson.build") and t["type"] == "executable":
        print(os.path.relpath(t["filename"][0], sys.argv[1]))' "$1"
}

# Configure DIR when needed and build it:
#   DIR CC TARGETS CONFIGURE [meson setup options...]
# CC empty: meson's default. TARGETS empty: everything; "@fuzz": the fuzz
# targets. CONFIGURE: options applied with `meson configure` each time
# (-Dwerror=true), not part of the key. The DPDK prefix, the compiler and
# the setup options are the build's key: another key configures it again
# from scratch. $DIR/.vfbc-built says that the last build succeeded.
build_tree()
{
	local dir=$1 cc=$2 targets=$3 configure=$4 key log t0
	shift 4
	key="${cc:+CC=$cc }$*"
	t0=$(date +%s)
	if [ -f "$dir/build.ninja" ]; then
		if [ "$(cat "$dir/.vfbc-dpdk-prefix" 2>/dev/null)" != "$VFBC_DPDK_PREFIX" ]; then
			say "the build in $dir used another DPDK: configuring it again"
			rm -rf "$dir"
		elif [ "$(cat "$dir/.vfbc-options" 2>/dev/null)" != "$key" ]; then
			say "the build in $dir has other options: configuring it again"
			rm -rf "$dir"
		fi
	fi
	mkdir -p "$dir"
	rm -f "$dir/.vfbc-built"
	# The log stays in the build: engineers may share the cache, not builds.
	log=$dir/.vfbc-setup.log
	if [ ! -f "$dir/build.ninja" ]; then
		# shellcheck disable=SC2086 # the options are words
		CC=${cc:-${CC:-cc}} meson setup "$dir" "$SRC" "$@" $configure >"$log" 2>&1 ||
			{ tail -40 "$log"; return 1; }
		echo "$VFBC_DPDK_PREFIX" >"$dir/.vfbc-dpdk-prefix"
		echo "$key" >"$dir/.vfbc-options"
	elif [ -n "$configure" ]; then
		# shellcheck disable=SC2086
		meson configure "$dir" $configure >"$log" 2>&1 || { tail -20 "$log"; return 1; }
	fi
	[ "$targets" = @fuzz ] && targets=$(fuzz_targets "$dir")
	# shellcheck disable=SC2086 # the targets are words
	ninja -C "$dir" $targets >"$log" 2>&1 ||
		{ grep -E 'error|warning' "$log" | head -40; tail -20 "$log"; return 1; }
	touch "$dir/.vfbc-built"
	say "vfbc built in $dir ($(($(date +%s) - t0)) s)"
}

build_vfbc()
{
	local werror=
	# -Werror only here: the sanitizer builds bring warnings of their own
	# (gcc's -Wtsan, clang's) and look for bugs at run time.
	[ "${VFBC_WERROR:-0}" = 1 ] && werror=-Dwerror=true
	# libvfbc.pc names its prefix from its own place (meson.build's
	# default_options, which a build configured before them lacks).
	build_tree "$VFBC_BUILD" "" "" "$werror -Dpkgconfig.relocatable=true" || exit 1
}

build_sanitized()
{
	local b san="-fno-sanitize-recover=undefined -fno-omit-frame-pointer"
	for b in $SAN_BUILDS; do
		case $b in
		asan)
			build_tree "$VFBC_BUILD-asan" gcc "" "" -Denable_docs=false \
				-Db_sanitize=address,undefined "-Dc_args=$san" ;;
		fuzz)
			# Only the fuzz targets (and what they use) are built.
			build_tree "$VFBC_BUILD-fuzz" clang @fuzz "" -Denable_docs=false \
				-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
				"-Dc_args=$san" ;;
		tsan)
			# DPDK's x86 rte_ring orders with compiler barriers (x86-TSO),
			# which TSan cannot see: its C11 variant instead (see
			# test/sanitizers/tsan.supp). gcc warns that TSan ignores
			# standalone fences (-Wtsan): DPDK's C11 ring follows its
			# fence with an acquire load, which TSan does see. Likewise
			# rte_spinlock's x86 form is inline asm TSan cannot see:
			# its generic __atomic form (RTE_FORCE_INTRINSICS).
			build_tree "$VFBC_BUILD-tsan" gcc test/vfbc-test "" -Denable_docs=false \
				-Db_sanitize=thread \
				"-Dc_args=-DRTE_USE_C11_MEM_MODEL -DRTE_FORCE_INTRINSICS -Wno-tsan" ;;
		*)
			note "ERROR: VFBC_SAN_BUILDS: unknown build '$b' (asan, fuzz, tsan)"
			false ;;
		esac || { note "ERROR: the $b build ($VFBC_BUILD-$b) failed"; failed=1; }
	done
}

main()
{
	local t0
	t0=$(date +%s)
	mkdir -p "$VFBC_CACHE"
	install_packages
	"$SRC/devtools/qemu-setup.sh" ||
		note "WARNING: QEMU world not prepared: the qemu suite will skip"
	if [ -f "$VFBC_DPDK_PREFIX/.vfbc-complete" ]; then
		say "DPDK SDK: cached at $VFBC_DPDK_PREFIX"
	elif system_dpdk_has_sdk; then
		say "DPDK SDK: the system DPDK has the driver SDK headers, using it"
	else
		build_dpdk
		vfbc_use_sdk
	fi
	setup_hugepages
	build_vfbc
	build_sanitized
	say "done in $(($(date +%s) - t0)) s"
	if [ ${#summary[@]} -gt 0 ]; then
		say "what changed on this machine:"
		printf '  - %s\n' "${summary[@]}"
	fi
	return $failed
}

main "$@"
