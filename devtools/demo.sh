#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# The vfbc demo: an emulated SR-IOV world, vfbc-testpmd as the PF primary,
# and the PF services of net_vfbc_pf (NDIS's SetVirtualFunctionBusData and
# friends) used on its VFs. Every step is verified independently of the
# program: against the world's config files ($VFBC_WORLD/devices/<BDF>/config)
# and against the lines the program must print.
#
# Usage: devtools/demo.sh [--no-setup]
#   --no-setup  do not run devtools/setup.sh first (it is idempotent, but
#               checks packages and rebuilds)
# Exit status: 0 when every step was verified, 1 otherwise.
#
# A step is a function named step_<name> listed in STEPS; it prints what it
# does, runs commands in the primary with `tp`, and returns non-zero with a
# reason (through `fail`) when something does not check out.

set -u -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
PF=0000:01:00.0
VF_BAR0_SIZE=0x10000
# The default topology, spelled out: the steps rely on these values.
WORLD_OPTS="--pf $PF --total-vfs 8 --num-vfs 8 --vf-bar0-size $VF_BAR0_SIZE"
EAL_ARGS="-l 0 --file-prefix=vfbc-demo --log-level=lib.eal:warning"
PROMPT='vfbc-testpmd> '

STEPS=(
	port
	vf_list
	write_interrupt_line
	write_vendor_bytes
	read_back
	bad_input
	location
	probed_bars
	power
	reset
)

say() { printf 'demo: %s\n' "$*"; }

# ---------------------------------------------------------------- outside
outside()
{
	local no_setup=0 world testpmd why
	while [ $# -gt 0 ]; do
		case $1 in
		--no-setup) no_setup=1 ;;
		-h|--help) sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) echo "demo: unknown option $1 (try --help)" >&2; exit 1 ;;
		esac
		shift
	done
	if [ $no_setup = 0 ]; then
		say "preparing the machine and the build (devtools/setup.sh)"
		"$SRC/devtools/setup.sh" || { say "setup failed"; exit 1; }
	fi
	# vfbc-env.sh tests variables that may be unset.
	set +u
	. "$SRC/devtools/vfbc-env.sh" || exit 1
	set -u
	world=$VFBC_BUILD/app/vfbc-world
	testpmd=$VFBC_BUILD/app/vfbc-testpmd
	for f in "$world" "$testpmd"; do
		[ -x "$f" ] || { say "$f is not built (run devtools/setup.sh)"; exit 1; }
	done
	if ! why=$("$world" --check 2>&1); then
		say "this machine cannot build an emulated world: $why"
		exit 1
	fi
	say "building an emulated world: vfbc-world $WORLD_OPTS"
	VFBC_DEMO_TESTPMD=$testpmd exec "$world" $WORLD_OPTS -- bash "$0" --in-world
}

# ---------------------------------------------------------------- helpers
# Bytes of a config file as "xx xx ...": cfg_hex BDF OFFSET LENGTH
cfg_hex()
{
	od -An -v -tx1 -j $(($2)) -N $(($3)) "$VFBC_WORLD/devices/$1/config" |
		tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

# Little-endian value of a config register: cfg_val BDF OFFSET SIZE
cfg_val()
{
	local v=0 i b
	read -r -a b <<<"$(cfg_hex "$1" "$2" "$3")"
	for ((i = $3 - 1; i >= 0; i--)); do
		v=$((v << 8 | 0x${b[i]}))
	done
	echo $v
}

# The PF's SR-IOV capability, found by walking the extended capabilities.
sriov_cap()
{
	local pos=0x100 hdr n
	for ((n = 0; n < 64 && pos != 0; n++)); do
		hdr=$(cfg_val $PF $pos 4)
		[ $((hdr & 0xffff)) = 16 ] && { echo $pos; return 0; }
		pos=$((hdr >> 20))
	done
	return 1
}

# Address of VF i from the PF's routing ID, First VF Offset and VF Stride.
vf_bdf()
{
	local rid
	rid=$((0x${PF:5:2} << 8 | 0x${PF:8:2} << 3 | ${PF:11:1}))
	rid=$((rid + VF_OFFSET + $1 * VF_STRIDE))
	printf '%s:%02x:%02x.%x' "${PF:0:4}" $((rid >> 8 & 0xff)) $((rid >> 3 & 0x1f)) \
		$((rid & 7))
}

# Whether two copies of a config file differ only in [OFFSET, OFFSET + LENGTH):
# changed_only_in FILE1 FILE2 OFFSET LENGTH
changed_only_in()
{
	# cmp says 1 when the files differ: only awk's verdict counts.
	{ cmp -l "$1" "$2" || true; } | awk -v lo=$(($3)) -v hi=$(($3 + $4)) \
		'$1 - 1 < lo || $1 - 1 >= hi { bad = 1 } END { exit bad }'
}

# Copy every function's config file into $DIR/<name>/<BDF>/config.
snapshot()
{
	local d
	for d in "$VFBC_WORLD"/devices/*/; do
		d=$(basename "$d")
		mkdir -p "$DIR/$1/$d"
		cp "$VFBC_WORLD/devices/$d/config" "$DIR/$1/$d/config"
	done
}

snap_file() { echo "$DIR/$1/$2/config"; }

# ------------------------------------------------------ the PF primary
# vfbc-testpmd reads commands from a FIFO; a comment line after each command
# is echoed once the command is done, which tells where its output ends.
start_primary()
{
	mkfifo "$DIR/tp.in"
	"$VFBC_DEMO_TESTPMD" $EAL_ARGS -- --echo <"$DIR/tp.in" >"$DIR/tp.log" 2>&1 &
	TP_PID=$!
	exec 3>"$DIR/tp.in"
	SYNC=0
}

# Run a command in the primary, print its output; it is also in $OUT.
tp()
{
	local start deadline
	start=$(stat -c %s "$DIR/tp.log")
	SYNC=$((SYNC + 1))
	printf '%s\n# sync %d\n' "$1" $SYNC >&3
	deadline=$((SECONDS + 20))
	until grep -qxF "$PROMPT# sync $SYNC" "$DIR/tp.log"; do
		if ! kill -0 $TP_PID 2>/dev/null || [ $SECONDS -gt $deadline ]; then
			OUT=$(tail -c +$((start + 1)) "$DIR/tp.log")
			printf '    | %s\n' "$PROMPT$1" "$OUT"
			fail "vfbc-testpmd did not answer '$1'"
			return 1
		fi
		sleep 0.05
	done
	# Its output: after its own echo, before the sync comment's.
	OUT=$(tail -c +$((start + 1)) "$DIR/tp.log" | awk -v cmd="$PROMPT$1" \
		-v sync="$PROMPT# sync $SYNC" \
		'$0 == sync { exit } on { print } $0 == cmd { on = 1 }')
	printf '    %s\n' "$PROMPT$1"
	[ -n "$OUT" ] && printf '    %s\n' "$OUT" | sed '1!s/^/    /'
	return 0
}

stop_primary()
{
	local status
	printf 'quit\n' >&3
	exec 3>&-
	wait $TP_PID
	status=$?
	TP_PID=
	return $status
}

FAILURE=
fail() { FAILURE=$*; return 1; }

expect_line()
{
	grep -qxF -- "$1" <<<"$OUT" || fail "expected the line '$1'"
}

expect_no_error()
{
	! grep -q '^Error:' <<<"$OUT" || fail "unexpected $(grep -m1 '^Error:' <<<"$OUT")"
}

expect_bytes()
{
	local got
	got=$(cfg_hex "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1 config at $2: '$got', expected '$4'"
}

# ---------------------------------------------------------------- steps
step_port()
{
	echo "The PF is probed by EAL as port 0 (net_vfbc_pf)"
	tp "show port info 0" || return 1
	expect_line "Driver name: net_vfbc_pf" && expect_line "Device name: $PF" &&
		expect_no_error
}

step_vf_list()
{
	local i line
	echo "Its VFs, found from the SR-IOV capability (First VF Offset $VF_OFFSET," \
		"VF Stride $VF_STRIDE)"
	tp "show vf list 0" || return 1
	expect_line "Port 0 (PF $PF): $NUM_VFS of $TOTAL_VFS VFs enabled" || return 1
	for ((i = 0; i < NUM_VFS; i++)); do
		[ -f "$VFBC_WORLD/devices/$(vf_bdf $i)/config" ] ||
			fail "VF $i: no function at $(vf_bdf $i)" || return 1
		line=$(printf '  %-4u %-13s %-9s %-10s %s' $i "$(vf_bdf $i)" \
			"$(printf '%04x:%04x' "$VENDOR" "$VF_DEVICE")" ready -)
		expect_line "$line" || return 1
	done
	expect_no_error
}

step_write_interrupt_line()
{
	local vf1
	vf1=$(vf_bdf 1)
	echo "NdisMSetVirtualFunctionBusData: VF 1's Interrupt Line (0x3c) := 11"
	snapshot before_write
	tp "set vf bus-data 0 1 0x3c 11" || return 1
	expect_line "VF 1: wrote 1 bytes at 0x3c" && expect_no_error || return 1
	expect_bytes "$vf1" 0x3c 1 "0b" || return 1
	snapshot after_irq
	changed_only_in "$(snap_file before_write "$vf1")" "$(snap_file after_irq "$vf1")" \
		0x3c 1 || fail "other bytes of VF 1 changed"
}

step_write_vendor_bytes()
{
	local vf1 i
	vf1=$(vf_bdf 1)
	echo "8 bytes into VF 1's capability-free, device-specific area at 0xa0"
	tp "set vf bus-data 0 1 0xa0 0x76 0x66 0x62 0x63 0x00 0x01 0x02 0x03" || return 1
	expect_line "VF 1: wrote 8 bytes at 0xa0" && expect_no_error || return 1
	expect_bytes "$vf1" 0xa0 8 "76 66 62 63 00 01 02 03" || return 1
	snapshot after_vendor
	changed_only_in "$(snap_file after_irq "$vf1")" "$(snap_file after_vendor "$vf1")" \
		0xa0 8 || fail "bytes outside 0xa0..0xa7 of VF 1 changed" || return 1
	for ((i = 0; i < NUM_VFS; i++)); do
		[ $i = 1 ] && continue
		cmp -s "$(snap_file before_write "$(vf_bdf $i)")" \
			"$(snap_file after_vendor "$(vf_bdf $i)")" ||
			fail "VF $i changed, only VF 1 was written" || return 1
	done
	cmp -s "$(snap_file before_write $PF)" "$(snap_file after_vendor $PF)" ||
		fail "the PF's config space changed"
}

step_read_back()
{
	echo "NdisMGetVirtualFunctionBusData: read them back"
	tp "show vf bus-data 0 1 0xa0 8" || return 1
	expect_line "  0x0a0: $(cfg_hex "$(vf_bdf 1)" 0xa0 8)" && expect_no_error
}

step_bad_input()
{
	echo "Bad input is refused with one error line and changes nothing"
	snapshot before_bad
	tp "set vf bus-data 0 9 0xa0 1" || return 1
	expect_line "Error: VF 9 out of range (port 0 has $NUM_VFS VFs)" || return 1
	tp "set vf bus-data 0 1 0xa0 1 0x1ff" || return 1
	expect_line "Error: byte 2 (0x1ff) out of range (0..0xff)" || return 1
	snapshot after_bad
	diff -r "$DIR/before_bad" "$DIR/after_bad" >/dev/null ||
		fail "a config file changed"
}

step_location()
{
	local last=$((NUM_VFS - 1))
	echo "NdisMGetVirtualFunctionLocation: VF $last, past the PF's device number"
	tp "show vf location 0 $last" || return 1
	expect_line "VF $last: $(vf_bdf $last)" && expect_no_error
}

step_probed_bars()
{
	local bar0 type
	echo "NdisMQueryProbedBars: VF 1's BARs as the sizing probe reads them"
	tp "show vf probed-bars 0 1" || return 1
	# The VF BAR0 register of the PF's capability gives the type bits, the
	# world's option the size; a 64-bit BAR's upper half reads all ones.
	type=$(($(cfg_val $PF $((SRIOV + 0x24)) 4) & 0xf))
	bar0=$(((~(VF_BAR0_SIZE - 1) & 0xfffffff0 | type) & 0xffffffff))
	expect_line "$(printf '  BAR0: 0x%08x' $bar0)" &&
		expect_line "  BAR1: 0xffffffff" && expect_line "  BAR2: 0x00000000" &&
		expect_no_error
}

# PowerState of a VF from its PMCSR (PM capability found from the list).
vf_power_state()
{
	local bdf pos n
	bdf=$(vf_bdf "$1")
	pos=$(cfg_val "$bdf" 0x34 1)
	for ((n = 0; n < 48 && pos >= 0x40; n++)); do
		if [ "$(cfg_val "$bdf" $pos 1)" = 1 ]; then
			echo $(($(cfg_val "$bdf" $((pos + 4)) 2) & 3))
			return 0
		fi
		pos=$(cfg_val "$bdf" $((pos + 1)) 1)
	done
	echo none
}

step_power()
{
	echo "OID_SRIOV_SET_VF_POWER_STATE: VF 2 to D3hot and back to D0"
	tp "set vf power 0 2 d3hot" || return 1
	expect_line "VF 2: power state D3hot" && expect_no_error || return 1
	[ "$(vf_power_state 2)" = 3 ] || fail "VF 2's PMCSR says D$(vf_power_state 2)" ||
		return 1
	tp "set vf power 0 2 d0" || return 1
	expect_line "VF 2: power state D0" && expect_no_error || return 1
	[ "$(vf_power_state 2)" = 0 ] || fail "VF 2's PMCSR says D$(vf_power_state 2)"
}

step_reset()
{
	local vf1 cmd
	vf1=$(vf_bdf 1)
	echo "OID_SRIOV_RESET_VF: function-level reset of VF 1 undoes the writes"
	snapshot before_reset
	tp "reset vf 0 1" || return 1
	expect_line "VF 1: function-level reset done" && expect_no_error || return 1
	snapshot after_reset
	# The bytes written are back to their reset values; the reset also
	# clears the Command register that EAL's mapping had set (bus master).
	[ "$(cfg_hex "$vf1" 0x3c 1)" = "$(od -An -tx1 -j 60 -N 1 \
		"$(snap_file before_write "$vf1")" | tr -d ' ')" ] &&
		cmp -s <(od -An -tx1 -j 160 -N 8 "$(snap_file before_write "$vf1")") \
			<(od -An -tx1 -j 160 -N 8 "$(snap_file after_reset "$vf1")") ||
		fail "VF 1 still holds the bytes written" || return 1
	cmd=$(cfg_val "$vf1" 4 2)
	echo "    (VF 1's config file: 0x3c = $(cfg_hex "$vf1" 0x3c 1)," \
		"0xa0.. = $(cfg_hex "$vf1" 0xa0 8), Command = $(printf 0x%04x "$cmd"))"
	cmp -s "$(snap_file before_reset "$(vf_bdf 2)")" "$(snap_file after_reset "$(vf_bdf 2)")" ||
		fail "VF 2 changed too"
}

# ---------------------------------------------------------------- inside
inside()
{
	local t0 step n ok status
	t0=$SECONDS
	DIR=$(mktemp -d)
	TP_PID=
	trap '[ -n "$TP_PID" ] && kill $TP_PID 2>/dev/null; rm -rf "$DIR"' EXIT

	SRIOV=$(sriov_cap) || { say "the PF has no SR-IOV capability"; exit 1; }
	TOTAL_VFS=$(cfg_val $PF $((SRIOV + 0x0e)) 2)
	NUM_VFS=$(cfg_val $PF $((SRIOV + 0x10)) 2)
	VF_OFFSET=$(cfg_val $PF $((SRIOV + 0x14)) 2)
	VF_STRIDE=$(cfg_val $PF $((SRIOV + 0x16)) 2)
	VF_DEVICE=$(cfg_val $PF $((SRIOV + 0x1a)) 2)
	VENDOR=$(cfg_val $PF 0 2)
	say "world at $VFBC_WORLD: PF $PF, $NUM_VFS of $TOTAL_VFS VFs, SR-IOV capability" \
		"at $(printf 0x%x "$SRIOV")"
	say "starting vfbc-testpmd as the PF primary: vfbc-testpmd $EAL_ARGS -- --echo"
	start_primary

	n=0
	ok=0
	for step in "${STEPS[@]}"; do
		n=$((n + 1))
		FAILURE=
		printf '\n[%d/%d] ' $n ${#STEPS[@]}
		if "step_$step" && [ -z "$FAILURE" ]; then
			ok=$((ok + 1))
			echo "  -> verified"
		else
			echo "  -> FAILED: ${FAILURE:-step failed}"
		fi
	done

	# One command failed on purpose (bad_input), so the session ends with 1.
	stop_primary
	status=$?
	echo
	if [ $status != 1 ] || [ "$(grep -c '^Error:' "$DIR/tp.log")" != 2 ]; then
		say "vfbc-testpmd ended with status $status and" \
			"$(grep -c '^Error:' "$DIR/tp.log") error lines, expected 1 and 2"
		ok=$((ok - 1))
	fi
	say "$ok of ${#STEPS[@]} steps verified in $((SECONDS - t0)) s"
	[ $ok = ${#STEPS[@]} ]
}

if [ "${1:-}" = --in-world ]; then
	[ -n "${VFBC_WORLD:-}" ] || { say "--in-world outside a world"; exit 1; }
	inside
else
	outside "$@"
fi
