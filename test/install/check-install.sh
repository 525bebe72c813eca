#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# vfbc as an application developer gets it (install_autotest): `meson
# install` into a staging directory, then from that tree alone, never a path
# into the source or build tree:
#   layout     the libraries (shared and static) and their development
#              links, the plugin directory, only the public headers;
#   chkincs    each installed header compiles on its own, in C (C11, gnu99)
#              and in C++;
#   symbols    every exported symbol starts with vfbc_ and is in its
#              library's version map, each experimental one in
#              .text.experimental (inline ones tagged __vfbc_experimental;
#              the tables inline ones read in .data.experimental),
#              each internal one in .text.internal;
#   examples   both examples build with pkg-config (shared and --static)
#              and run in an emulated world (test/examples/run-examples.sh):
#              shared ones with the drivers loaded by -d <pmddir>;
#   stock      DPDK's own dpdk-testpmd with -d <pmddir> as the world's
#              primary, dpdk-proc-info -d <pmddir> -- --xstats as its
#              secondary and dpdk-telemetry.py see the PF and its VFs.
# Each check prints "ok:" or "FAIL:" and why; the last line counts them.
#
# Usage: check-install.sh BUILD_DIR SOURCE_DIR WORLD_BIN DPDK_PKGCONFIG_DIR DPDK_BINDIR
# Exit status: 0 all passed, 1 a check failed, 77 cannot run here (said why).

set -u -o pipefail

if [ "${1:-}" = --in-world ]; then
	IN_WORLD=1
	shift
fi
BUILD=$1
SRC=$2
WORLD=$3
DPDK_PC=$4
DPDK_BIN=$5

PF=0000:01:00.0
VF0=0000:01:00.1
# Headers an application may include, and those only vfbc_channel.h's inline
# fast path includes (installed as DPDK installs rte_ring_elem_pvt.h).
PUBLIC_HEADERS="vfbc_channel.h vfbc_channel_defs.h vfbc_compat.h vfbc_pci_ids.h vfbc_pci_regs.h
	vfbc_pmd_pf.h vfbc_pmd_vf.h"
INDIRECT_HEADERS="vfbc_channel_layout.h vfbc_channel_pvt.h vfbc_ring.h"
# Library name, its version map in the source tree.
LIBS="libvfbc:lib/vfbc/version.map
	librte_common_vfbc:drivers/common/vfbc/version.map
	librte_net_vfbc_pf:drivers/net/vfbc_pf/version.map
	librte_net_vfbc_vf:drivers/net/vfbc_vf/version.map"
DRIVERS="librte_net_vfbc_pf librte_net_vfbc_vf"

passed=0
failed=0
skipped=0

ok()
{
	echo "ok: $*"
	passed=$((passed + 1))
}

bad()
{
	echo "FAIL: $*"
	failed=$((failed + 1))
}

skip()
{
	echo "skipped: $*"
	skipped=$((skipped + 1))
}

finish()
{
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] || exit 1
	exit 0
}

# check NAME COMMAND...: ok when it succeeds, else FAIL with its output.
check()
{
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		bad "$name"
		printf "%s\n" "$out" | head -20 | sed "s/^/    /"
	fi
}

# --- in the world: DPDK's own tools with the installed drivers (-d) ---

# wait_for FILE TEXT SECONDS
wait_for()
{
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

stock_tools()
{
	local prefix=vfbc-inst-$$ work=$STAGE/stock out
	local testpmd_pid

	mkdir -p "$work" || return 1
	mkfifo "$work/in" || return 1
	# testpmd quits at the end of its input: keep a writer open on fd 3.
	stdbuf -oL "$DPDK_BIN/dpdk-testpmd" -l 0-1 -m 128 --file-prefix=$prefix \
		--log-level=lib.eal:warning -d "$PMDDIR" -- -i --total-num-mbufs=2048 \
		< "$work/in" > "$work/testpmd.out" 2>&1 &
	testpmd_pid=$!
	exec 3> "$work/in"
	if ! wait_for "$work/testpmd.out" "testpmd> " 60; then
		bad "stock: dpdk-testpmd -d <pmddir> started as the world's primary"
		sed 's/^/    /' "$work/testpmd.out" | tail -20
		kill "$testpmd_pid" 2>/dev/null
		exec 3>&-
		return 1
	fi
	echo "show port info all" >&3
	if wait_for "$work/testpmd.out" "Driver name: net_vfbc_vf" 10 &&
			grep -q "Driver name: net_vfbc_pf" "$work/testpmd.out"; then
		ok "stock: dpdk-testpmd -d <pmddir> probes the PF and its VFs"
	else
		bad "stock: dpdk-testpmd -d <pmddir> probes the PF and its VFs"
		sed 's/^/    /' "$work/testpmd.out" | tail -30
	fi
	out=$("$DPDK_BIN/dpdk-proc-info" --file-prefix=$prefix --log-level=lib.eal:warning \
		-d "$PMDDIR" -- --xstats 2>&1)
	if printf '%s\n' "$out" | grep -q "mbox_req_block_write"; then
		ok "stock: dpdk-proc-info -d <pmddir> -- --xstats shows the PF's mailbox xstats"
	else
		bad "stock: dpdk-proc-info -d <pmddir> -- --xstats shows the PF's mailbox xstats"
		printf "%s\n" "$out" | head -20 | sed "s/^/    /"
	fi
	out=$(printf '/vfbc/pf/list\n/vfbc/pf/vfs,0\n' |
		python3 "$DPDK_BIN/dpdk-telemetry.py" -f $prefix 2>&1)
	if printf '%s\n' "$out" | grep -q '"/vfbc/pf/list"' &&
			printf '%s\n' "$out" | grep -q "$VF0"; then
		ok "stock: dpdk-telemetry.py reads /vfbc/pf/list and /vfbc/pf/vfs"
	else
		bad "stock: dpdk-telemetry.py reads /vfbc/pf/list and /vfbc/pf/vfs"
		printf "%s\n" "$out" | head -20 | sed "s/^/    /"
	fi
	echo quit >&3
	exec 3>&-
	for ((i = 0; i < 100; i++)); do
		kill -0 "$testpmd_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$testpmd_pid" 2>/dev/null; then
		kill -9 "$testpmd_pid"
		bad "stock: dpdk-testpmd quits"
	fi
	wait "$testpmd_pid" 2>/dev/null
	return 0
}

if [ -n "${IN_WORLD:-}" ]; then
	STAGE=$VFBC_INSTALL_STAGE
	PMDDIR=$VFBC_INSTALL_PMDDIR
	stock_tools
	finish
fi

# --- outside: install, then everything from the staged tree ---

if [ "$(id -u)" -ne 0 ]; then
	echo "skip: the install test stages in /run and runs a world: it needs root"
	exit 77
fi
STAGE=$(mktemp -d /run/vfbc-install.XXXXXX) || exit 1
# EAL loads plugins only from directories no other user can write: /run
# is root's, unlike /tmp where a clone and its build may be.
chmod 0755 "$STAGE"
trap 'rm -rf "$STAGE"' EXIT
D=$STAGE/root

check "meson install --destdir" meson install -C "$BUILD" --no-rebuild --destdir "$D" --quiet

opts=$(meson introspect --buildoptions "$BUILD") || exit 1
option()
{
	printf '%s' "$opts" | python3 -c 'import json, sys
print([o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]][0])' "$1"
}
PREFIX=$(option prefix)
LIBDIR=$D$PREFIX/$(option libdir)
INCDIR=$D$PREFIX/$(option includedir)/vfbc
export PKG_CONFIG_PATH=$D$PREFIX/lib/pkgconfig:$DPDK_PC
# Plain pkg-config, as meson's dependency() and any build system call it:
# --define-prefix would rewrite DPDK's prefix too, wrongly wherever DPDK's
# .pc is below a multiarch libdir (lib/x86_64-linux-gnu/pkgconfig).
PKGCONF="pkg-config"

# --- layout ---
for l in $LIBS; do
	name=${l%%:*}
	for f in "$name.so" "$name.so.0" "$name.a"; do
		[ -e "$LIBDIR/$f" ] || bad "layout: $LIBDIR/$f is missing"
	done
done
ok "layout: the libraries, shared (with development links) and static"
PMDDIR=$($PKGCONF --variable=pmddir libvfbc)
if [ "$(cd "$PMDDIR" 2>/dev/null && ls -- *.so | tr '\n' ' ')" = \
		"librte_net_vfbc_pf.so librte_net_vfbc_vf.so " ] &&
		[ -f "$PMDDIR/librte_net_vfbc_pf.so" ] && [ -f "$PMDDIR/librte_net_vfbc_vf.so" ]; then
	ok "layout: pkg-config's pmddir holds the two drivers, DPDK-named"
else
	bad "layout: pkg-config's pmddir ($PMDDIR) holds the two drivers, DPDK-named"
	ls -l "$PMDDIR" 2>&1 | sed 's/^/    /'
fi
# The run paths find vfbc's own libraries in the tree they are installed in,
# whoever loads them: EAL's dlopen of a <pmddir> link, or a program of
# <prefix>/bin. A run path naming the configured prefix would find another
# vfbc installed there first (DT_RPATH comes before LD_LIBRARY_PATH), and a
# staged or moved tree would run someone else's libraries.
why=""
for f in "$PMDDIR"/*.so "$LIBDIR"/*.so.0 "$D$PREFIX/$(option bindir)"/vfbc-*; do
	[ -f "$f" ] || continue
	# "name => path" of each vfbc library the loader would pick, no LD_LIBRARY_PATH.
	while read -r lib path; do
		[ "$(readlink -f "$path" 2>/dev/null)" = "$(readlink -f "$LIBDIR/$lib")" ] ||
			why="$why ${f#"$D"}: $lib => $path;"
	done < <(env -u LD_LIBRARY_PATH ldd "$f" 2>&1 |
		awk '$1 ~ /^lib(rte_common_vfbc|rte_net_vfbc_[pv]f|vfbc)\.so/ {
			print $1, ($3 == "not" ? "not found" : $3) }')
done
if [ -z "$why" ]; then
	ok "layout: the drivers (by <pmddir> too), libraries and programs load vfbc from their tree"
else
	bad "layout: vfbc libraries loaded from outside the installed tree:$why"
fi
want=$(printf '%s\n' $PUBLIC_HEADERS $INDIRECT_HEADERS | sort | tr '\n' ' ')
have=$(cd "$INCDIR" && ls | sort | tr '\n' ' ')
if [ "$want" = "$have" ]; then
	ok "layout: the installed headers are the public ones (and the fast path's own)"
else
	bad "layout: installed headers: want '$want', have '$have'"
fi

# --- pkg-config, and the headers each on its own ---
cflags=$($PKGCONF --cflags libvfbc) || bad "pkg-config --cflags libvfbc"
libs=$($PKGCONF --libs libvfbc) || bad "pkg-config --libs libvfbc"
case "$cflags $libs" in
*"$SRC"*|*"$BUILD"*)
	bad "pkg-config: libvfbc's flags name the source or build tree: $cflags $libs" ;;
*"-I$D"*"-L$D"*)
	ok "pkg-config: libvfbc's flags name the staged tree and DPDK only" ;;
*)
	bad "pkg-config: libvfbc's flags do not name the staged tree ($D): $cflags $libs" ;;
esac
# DPDK's own headers are DPDK's business: judge ours only (-isystem for DPDK).
dpdk_cflags=$(pkg-config --cflags libdpdk | sed 's/-I/-isystem /g')
mkdir -p "$STAGE/chkincs"
for h in $PUBLIC_HEADERS $INDIRECT_HEADERS; do
	# A declaration after it: a header of macros only leaves no empty unit.
	printf '#include <%s>\nextern int vfbc_chkincs;\n' "$h" > "$STAGE/chkincs/$h.c"
	cp "$STAGE/chkincs/$h.c" "$STAGE/chkincs/$h.cpp"
	check "chkincs: $h alone in C11 (-Wall -Wextra -pedantic -Werror)" \
		gcc -std=c11 -Wall -Wextra -pedantic -Werror -I"$INCDIR" $dpdk_cflags \
		-c "$STAGE/chkincs/$h.c" -o /dev/null
	# DPDK 22.11's headers need no C11: an application built -std=gnu99
	# includes them, and must include ours.
	check "chkincs: $h alone in gnu99 (-Wall -Wextra -pedantic -Werror)" \
		gcc -std=gnu99 -Wall -Wextra -pedantic -Werror -I"$INCDIR" $dpdk_cflags \
		-c "$STAGE/chkincs/$h.c" -o /dev/null
	check "chkincs: $h alone in C++11 (-Wall -Wextra -pedantic -Werror)" \
		g++ -std=c++11 -Wall -Wextra -pedantic -Werror -I"$INCDIR" $dpdk_cflags \
		-c "$STAGE/chkincs/$h.cpp" -o /dev/null
done
# As an application includes them: pkg-config's flags (DPDK's headers not
# system ones), no ALLOW_EXPERIMENTAL_API. Including a header warns of
# nothing; only calling an experimental function does.
for h in $PUBLIC_HEADERS; do
	check "chkincs: $h as an application includes it (pkg-config, no ALLOW_EXPERIMENTAL_API)" \
		gcc -Wall -Wextra -Werror $cflags -c "$STAGE/chkincs/$h.c" -o /dev/null
	check "chkincs: $h as a C++ application includes it (pkg-config, no ALLOW_EXPERIMENTAL_API)" \
		g++ -Wall -Wextra -Werror $cflags -c "$STAGE/chkincs/$h.cpp" -o /dev/null
done
# The drivers' inline fast paths (vfbc_vf_poll(), the PF's invalidate)
# reach their tables and the channel's inline calls: each API header pulls
# in the channel's, as rte_ethdev.h pulls in rte_ethdev_core.h.
for h in vfbc_pmd_pf.h vfbc_pmd_vf.h; do
	deps=$(gcc -M -I"$INCDIR" $dpdk_cflags "$STAGE/chkincs/$h.c" 2>&1)
	case "$deps" in
	*/vfbc_channel.h*) ok "chkincs: $h brings the channel's inline calls (vfbc_channel.h)" ;;
	*) bad "chkincs: $h does not include vfbc_channel.h: its inline fast path cannot build" ;;
	esac
done

# --- symbols ---
# Versions from the shared library; sections from the static one, as DPDK's
# check-symbols.sh: linked, .text.experimental merges into .text.
for l in $LIBS; do
	name=${l%%:*}
	map=$SRC/${l#*:}
	so=$(readlink -f "$LIBDIR/$name.so")
	# "version name" of each symbol defined (not the version nodes, *ABS*).
	syms=$(objdump -T "$so" | awk '$2 == "g" && $4 != "*UND*" && $4 != "*ABS*" {
		print $(NF - 1), $NF }')
	# "name section kind": F a function, O data (a fast-path table).
	sections=$(objdump -t "$LIBDIR/$name.a" | awk '$2 == "g" && $4 != "*UND*" {
		print $NF, $4, $3 }')
	mapped=$(grep -oE '^[[:space:]]*[a-z_][a-z0-9_]*;' "$map" | tr -d ' \t;' | sort)
	exported=$(printf '%s\n' "$syms" | awk '{ print $2 }' | grep -v '^$' | sort -u)
	why=""
	[ "$mapped" = "$exported" ] || why=" exports differ from ${l#*:}: $(diff \
		<(echo "$mapped") <(echo "$exported") | grep '^[<>]' | tr '\n' ' ')"
	while read -r version sym; do
		[ -n "$sym" ] || continue
		case "$sym" in vfbc_*) ;; *) why="$why $sym does not start with vfbc_;" ;; esac
		section=$(printf '%s\n' "$sections" | awk -v s="$sym" '$1 == s { print $2 }')
		kind=$(printf '%s\n' "$sections" | awk -v s="$sym" '$1 == s { print $3 }')
		case "$version:$kind" in
		EXPERIMENTAL:O)
			# Data an inline API function reads (__vfbc_experimental_data).
			[ "$section" = .data.experimental ] ||
				why="$why $sym is experimental data, in ${section:-no section of $name.a};" ;;
		EXPERIMENTAL:*)
			[ "$section" = .text.experimental ] ||
				why="$why $sym is experimental, in ${section:-no section of $name.a};" ;;
		INTERNAL:*)
			[ "$section" = .text.internal ] ||
				why="$why $sym is internal, in ${section:-no section of $name.a};" ;;
		*)
			why="$why $sym has version $version;" ;;
		esac
	done <<< "$syms"
	if [ -z "$why" ]; then
		ok "symbols: $name: $(echo "$exported" | wc -l) exported, each in its map and tagged"
	else
		bad "symbols: $name:$why"
	fi
done
# Inline functions of the API have no symbol: their declarations carry the tag.
untagged=$(cd "$INCDIR" && awk '
	/^static (inline|__rte_always_inline)/ { inl = 1; tagged = (prev ~ /__vfbc_experimental/); next }
	inl && /^vfbc_[a-z0-9_]+\(/ { if (!tagged) print FILENAME ": " $0 }
	{ inl = 0; prev = $0 }' *.h)
if [ -z "$untagged" ]; then
	ok "symbols: every inline API function is tagged __vfbc_experimental"
else
	bad "symbols: inline API functions without __vfbc_experimental: $untagged"
fi

# --- the examples, built from the staged tree with pkg-config ---
export LD_LIBRARY_PATH=$LIBDIR:$(pkg-config --variable=libdir libdpdk)
for ex in vfbc_pf_control vfbc_vf_watch; do
	cp -r "$SRC/examples/$ex" "$STAGE/$ex" || exit 1
	check "examples: $ex builds with make (shared)" make -C "$STAGE/$ex" PKGCONF="$PKGCONF"
	check "examples: $ex builds with make static" make -C "$STAGE/$ex" PKGCONF="$PKGCONF" \
		static
done
pf_shared=$STAGE/vfbc_pf_control/build/vfbc-pf-control-shared
vf_shared=$STAGE/vfbc_vf_watch/build/vfbc-vf-watch-shared
pf_static=$STAGE/vfbc_pf_control/build/vfbc-pf-control-static
vf_static=$STAGE/vfbc_vf_watch/build/vfbc-vf-watch-static
# Both static programs, and only when they are there: no program, no pass.
needed=$(readelf -d "$pf_static" "$vf_static" 2>&1)
if [ -x "$pf_static" ] && [ -x "$vf_static" ] && ! grep -q 'NEEDED.*vfbc' <<< "$needed"; then
	ok "examples: the static build needs no vfbc library at run time"
else
	bad "examples: the static build needs no vfbc library at run time"
	grep -E 'vfbc|Error' <<< "$needed" | sed 's/^/    /'
fi
if [ -x "$pf_shared" ] && [ -x "$vf_shared" ]; then
	echo "running the shared examples with -d $PMDDIR"
	check "examples: shared, drivers from -d <pmddir>, exchange in a world" \
		bash "$SRC/test/examples/run-examples.sh" "$WORLD" "$pf_shared" "$vf_shared" \
		-d "$PMDDIR"
fi
if [ -x "$pf_static" ] && [ -x "$vf_static" ]; then
	check "examples: static, exchange in a world" \
		bash "$SRC/test/examples/run-examples.sh" "$WORLD" "$pf_static" "$vf_static"
fi

# --- DPDK's own tools, in a world ---
if [ ! -x "$DPDK_BIN/dpdk-testpmd" ] || [ ! -x "$DPDK_BIN/dpdk-proc-info" ]; then
	skip "stock: DPDK's dpdk-testpmd or dpdk-proc-info is not in $DPDK_BIN"
else
	out=$(VFBC_INSTALL_STAGE=$STAGE VFBC_INSTALL_PMDDIR=$PMDDIR \
		"$WORLD" --pf $PF --total-vfs 2 -- bash "$0" --in-world "$@" 2>&1)
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, '
	counts=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$counts" ]; then
		bad "stock: the world ran the tools"
	else
		read -r p _ f _ s _ <<< "$(echo "$counts" | tr -d ',')"
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + ${s:-0}))
	fi
fi
finish
