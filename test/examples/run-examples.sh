#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# The sample applications together in an emulated world of 2 VFs, none
# enabled at start: vfbc-pf-control (the primary) enables them, writes VF
# 0's Interrupt Line, publishes blocks and invalidates them; vfbc-vf-watch
# runs as a secondary on VF 0 (callback mode, a few deliveries, exits 0)
# and on VF 1 (poll mode, more deliveries than the PF makes: it must see
# the PF close its port and exit 1, not hang). Bad options and a VF process
# without a VF must fail with a message.
#
# Usage: run-examples.sh WORLD_BIN PF_BIN VF_BIN [EAL args added to both]
# Exit status: 0 all checks passed, 1 a check failed, 77 no world here.
# The last line counts the checks: "N passed, N failed, N skipped". The
# programs' output is printed when a check failed, or always with
# VFBC_EXAMPLES_LOGS=1 in the environment.

set -u -o pipefail

say() { printf 'run-examples: %s\n' "$*"; }

if [ "${1:-}" != --in-world ]; then
	[ $# -ge 3 ] || { say "usage: $0 WORLD_BIN PF_BIN VF_BIN [EAL args]"; exit 1; }
	world=$1
	shift
	if ! why=$("$world" --check 2>&1); then
		say "skipped: no emulated world here: ${why:-$world --check failed}"
		echo "0 passed, 0 failed, 1 skipped"
		exit 77
	fi
	exec "$world" --total-vfs 2 --num-vfs 0 -- bash "$0" --in-world "$@"
fi
shift
PF_BIN=$1
VF_BIN=$2
shift 2
EAL_EXTRA=("$@")

PREFIX=vfbc-ex-$$
ROUNDS=20
VF0_COUNT=5
DIR=$(mktemp -d)
PIDS=()
PASSED=0
FAILED=0

cleanup()
{
	local p
	for p in "${PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT

check()
{
	local what=$1
	shift
	if "$@"; then
		PASSED=$((PASSED + 1))
		say "ok: $what"
	else
		FAILED=$((FAILED + 1))
		say "FAILED: $what"
	fi
}

finish()
{
	local f
	if [ $FAILED -gt 0 ] || [ -n "${VFBC_EXAMPLES_LOGS:-}" ]; then
		for f in "$DIR"/*.log; do
			[ -f "$f" ] && { echo "--- $(basename "$f")"; cat "$f"; }
		done
	fi
	echo "$PASSED passed, $FAILED failed, 0 skipped"
	[ $FAILED = 0 ]
	exit
}

# Wait (up to $3 s) until file $1 has a line matching $2, or pid $4 (if given) is gone.
wait_line()
{
	local deadline=$((SECONDS + $3))
	until grep -q -- "$2" "$1" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ] || { [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; }; then
			return 1
		fi
		sleep 0.05
	done
}

# Exit status of pid $1 within $2 s, or 124 (and killed) after that.
wait_exit()
{
	local deadline=$((SECONDS + $2))
	while kill -0 "$1" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			kill -9 "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			return 124
		fi
		sleep 0.05
	done
	wait "$1"
}

free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
if [ "${free:-0}" -lt 64 ]; then
	say "skipped: ${free:-no} free hugepages in the world (64 needed)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
fi
CFG_ROOT=${SYSFS_PCI_DEVICES:-$VFBC_WORLD/devices}
EAL=(--file-prefix=$PREFIX --log-level=lib.eal:warning "${EAL_EXTRA[@]}")

# Bad options: EAL starts (a primary of its own, no device), the example refuses.
bad_option()
{
	local bin=$1 want=$2 out
	shift 2
	out=$("$bin" -l 0 --no-pci --no-huge -m 64 --file-prefix=$PREFIX-bad \
		--log-level=lib.eal:warning "${EAL_EXTRA[@]}" -- "$@" 2>&1)
	[ $? = 1 ] && grep -qF -- "$want" <<<"$out" ||
		{ say "'$*' gave: $out"; return 1; }
}
check "PF: --rounds x is refused" bad_option "$PF_BIN" "--rounds: 'x' is not a number" \
	--rounds x
check "PF: an unknown option is refused" bad_option "$PF_BIN" "unknown option '--foo'" --foo 1
check "VF: --mode bogus is refused" bad_option "$VF_BIN" "--mode: 'bogus' is neither" \
	--mode bogus
check "VF: --count without a value is refused" bad_option "$VF_BIN" "--count: missing value" \
	--count

# The VF examples, another binary, map the primary's rte_config at its
# address: by default just below the primary's libraries, where with ASLR off
# (the sanitizer builds) their own libraries may sit, as the libraries'
# sizes go. A base far above both puts it where neither maps anything.
"$PF_BIN" -l 0 "${EAL[@]}" --base-virtaddr=0x500000000000 -- --rounds $ROUNDS \
	--period-ms 100 --wait-ms 20000 >"$DIR/pf.log" 2>&1 &
PF_PID=$!
PIDS+=($PF_PID)
if ! wait_line "$DIR/pf.log" '^PF: ready$' 30 $PF_PID; then
	check "the PF example starts" false
	finish
fi
check "the PF example enabled the 2 VFs" grep -q '^PF: port 0 (0000:01:00.0): 2 VFs$' "$DIR/pf.log"
VF0=$(sed -n 's/^PF: VF 0 at \(.*\): probed$/\1/p' "$DIR/pf.log")
VF1=$(sed -n 's/^PF: VF 1 at \(.*\): probed$/\1/p' "$DIR/pf.log")
check "the PF example probed the VFs and says where they are" test -n "$VF0" -a -n "$VF1"
check "the PF wrote VF 0's Interrupt Line and read it back" grep -qxF \
	"PF: VF 0: wrote 0x0b at 0x3c (Interrupt Line), read back 0x0b" "$DIR/pf.log"
check "VF 0's config space holds it" test \
	"$(od -An -tx1 -j 60 -N 1 "$CFG_ROOT/$VF0/config" | tr -d ' ')" = 0b

# A VF process without a VF (nothing allowed): a message, status 1.
novf() { ! "$VF_BIN" -l 1 --proc-type=secondary -a 0000:00:1f.7 "${EAL[@]}" -- \
	--count 1 --timeout-ms 1000 >"$DIR/novf.log" 2>&1 &&
	grep -q 'no VF port claimed here' "$DIR/novf.log"; }
check "a VF process without a VF says so and fails" novf

"$VF_BIN" -l 1 --proc-type=secondary -a "$VF0" "${EAL[@]}" -- --mode callback \
	--count $VF0_COUNT --timeout-ms 30000 >"$DIR/vf0.log" 2>&1 &
VF0_PID=$!
PIDS+=($VF0_PID)
# More than the PF ever sends: VF 1's process must see the PF go.
"$VF_BIN" -l 1 --proc-type=secondary -a "$VF1" "${EAL[@]}" -- --mode poll \
	--count 1000 --timeout-ms 60000 >"$DIR/vf1.log" 2>&1 &
VF1_PID=$!
PIDS+=($VF1_PID)

wait_exit $VF0_PID 60
st=$?
check "VF 0's process exits 0 (status $st)" test $st = 0
wait_exit $PF_PID 60
st=$?
check "the PF example exits 0 (status $st)" test $st = 0
wait_exit $VF1_PID 30
st=$?
check "VF 1's process, its PF gone, exits 1 (status $st)" test $st = 1

check "VF 0 read its Interrupt Line through the PF" grep -q \
	'^VF port [0-9]*: Interrupt Line 0x0b (read through the PF)$' "$DIR/vf0.log"
check "the PF answered that request" grep -qxF \
	"PF: VF 0 request: config read at 0x3c (1 byte): accepted (status 0)" "$DIR/pf.log"
check "VF 0 read its block 0" grep -q \
	'^VF port [0-9]*: block 0 changed: VF 0 of PF 0000:01:00.0$' "$DIR/vf0.log"
check "VF 1 read its block 0" grep -q \
	'^VF port [0-9]*: block 0 changed: VF 1 of PF 0000:01:00.0$' "$DIR/vf1.log"
check "VF 0 got $VF0_COUNT deliveries" grep -q "^VF port [0-9]*: got $VF0_COUNT deliveries" \
	"$DIR/vf0.log"
# Every generation a VF read is one the PF wrote for it, and they never go back.
gens_ok()
{
	local vf=$1 log=$2 g last=0 n=0
	for g in $(sed -n 's/^VF port [0-9]*: block 1 changed: gen \([0-9]*\)$/\1/p' "$log"); do
		grep -qxF "PF: round $g: wrote block 1 of VF $vf (gen $g), invalidated mask 0x2" \
			"$DIR/pf.log" || { say "VF $vf read gen $g, never written"; return 1; }
		[ "$g" -ge $last ] || { say "VF $vf: gen $g after $last"; return 1; }
		last=$g
		n=$((n + 1))
	done
	[ $n -gt 0 ] || { say "VF $vf read no generation"; return 1; }
}
check "VF 0's generations are the PF's, in order" gens_ok 0 "$DIR/vf0.log"
check "VF 1's generations are the PF's, in order" gens_ok 1 "$DIR/vf1.log"
check "VF 1 read the last generation, $ROUNDS" grep -q \
	"^VF port [0-9]*: block 1 changed: gen $ROUNDS$" "$DIR/vf1.log"
check "VF 1's process was told the PF went" grep -q -e 'life event INTR_RMV, cause PF_' \
	-e "the PF's process is gone" "$DIR/vf1.log"
check "the PF saw both consumers" test "$(grep -c '^PF: VF [01]: consumer attached' \
	"$DIR/pf.log")" -ge 2
finish
