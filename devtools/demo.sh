#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# The vfbc demo: an emulated SR-IOV world, vfbc-testpmd as the PF primary
# and two vfbc-testpmd VF secondaries; the PF services of net_vfbc_pf
# (NDIS's SetVirtualFunctionBusData and friends) used on the VFs, then the
# backchannel: the PF publishes config blocks and invalidates them, the VFs
# print what they received and read the blocks back, and send requests that
# the PF accepts or its policy refuses; the PF resets VF 0 under its running
# process, which prints the reset event, resets its port and carries on;
# last, the PF again with a control
# socket and an isolated consumer of VF 1 (a primary of its own, the VF's
# secret in a file). Every step is verified independently
# of the program: against the config files ($SYSFS_PCI_DEVICES/<BDF>/config)
# and against the lines the programs must print.
#
# Usage: devtools/demo.sh [--no-setup] [--qemu]
#   --no-setup  do not run devtools/setup.sh first (it is idempotent, but
#               checks packages and rebuilds)
#   --qemu      run the demo in a QEMU guest, on QEMU's SR-IOV NVMe PF and a
#               real kernel (build/app/vfbc-qemu --vfbc --vfs 2)
# Exit status: 0 when every step was verified, 1 otherwise.
#
# A step is a function named step_<name> listed in STEPS; it prints what it
# does, runs commands with `tp` (the primary) or `tp_on` (a VF console), and
# returns non-zero with a reason (through `fail`) when something does not
# check out, or calls `na` when the device cannot do what it shows (only on
# devices other than the emulated world's).

set -u -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
PF=0000:01:00.0
VF_BAR0_SIZE=0x10000
# The default topology, spelled out: the steps rely on these values.
WORLD_OPTS="--pf $PF --total-vfs 8 --num-vfs 8 --vf-bar0-size $VF_BAR0_SIZE"
PREFIX=vfbc-demo
EAL_ARGS="-l 0 --file-prefix=$PREFIX --log-level=lib.eal:warning"
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
	vf_consoles
	publish_blocks
	invalidate
	vf_read_blocks
	vf_block_request
	vf_config_requests
	vf_reset_event
	vf_sleep
	isolated_pf
	isolated_consumer
	isolated_exchange
)
# The consoles: 0 is the PF primary, 1 and 2 the VF secondaries (VFs 0, 1);
# then 3, the PF primary again with a control socket, and 4, an isolated
# consumer of VF 1 (a primary of its own).
CONSOLE_NAME=("PF primary" "VF 0 secondary" "VF 1 secondary" "PF primary (socket)"
	"VF 1 isolated consumer")
# Error lines each console prints on purpose: bad_input fails two commands of
# the primary, the policy one of VF 1's.
WANT_ERRORS=(2 0 1 0 0)

say() { printf 'demo: %s\n' "$*"; }

# ---------------------------------------------------------------- outside
outside()
{
	local no_setup=0 qemu=0 world testpmd why
	while [ $# -gt 0 ]; do
		case $1 in
		--no-setup) no_setup=1 ;;
		--qemu) qemu=1 ;;
		-h|--help) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
	if [ $qemu = 1 ]; then
		# The guest runs this script again, with a vfbc build for the NVMe PF.
		[ -x "$VFBC_BUILD/app/vfbc-qemu" ] ||
			{ say "$VFBC_BUILD/app/vfbc-qemu is not built (run devtools/setup.sh)"; exit 1; }
		say "running the demo in a QEMU guest: vfbc-qemu --vfbc --vfs 2"
		# TCG is slow: a generous limit for the guest.
		exec "$VFBC_BUILD/app/vfbc-qemu" --vfbc --vfs 2 --timeout 900 -- \
			bash "$0" --in-guest
	fi
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
# Config files: the world's, or the kernel's sysfs in a guest.
CFG_ROOT=${SYSFS_PCI_DEVICES:-/sys/bus/pci/devices}

# Bytes of a config file as "xx xx ...": cfg_hex BDF OFFSET LENGTH
cfg_hex()
{
	od -An -v -tx1 -j $(($2)) -N $(($3)) "$CFG_ROOT/$1/config" |
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

# Copy the PF's and the VFs' config files into $DIR/<name>/<BDF>/config.
snapshot()
{
	local d
	for d in $PF "${VF_ADDR[@]}"; do
		mkdir -p "$DIR/$1/$d"
		cp "$CFG_ROOT/$d/config" "$DIR/$1/$d/config"
	done
}

snap_file() { echo "$DIR/$1/$2/config"; }

# ------------------------------------------------------ the consoles
# Each vfbc-testpmd reads commands from a FIFO; a comment line after each
# command is echoed once the command is done, which tells where its output
# ends. Console c writes on descriptor 3 + c.
start_console()
{
	local c=$1
	shift
	mkfifo "$DIR/tp$c.in"
	"$VFBC_DEMO_TESTPMD" "$@" -- --echo <"$DIR/tp$c.in" >"$DIR/tp$c.log" 2>&1 &
	TP_PID[c]=$!
	eval "exec $((3 + c))>\"\$DIR/tp$c.in\""
	SYNC[c]=0
}

# Run a command on console c, print its output; it is also in $OUT.
tp_on()
{
	local c=$1 cmd=$2 start deadline log
	log=$DIR/tp$c.log
	start=$(stat -c %s "$log")
	SYNC[c]=$((SYNC[c] + 1))
	printf '%s\n# sync %d\n' "$cmd" ${SYNC[c]} >&$((3 + c))
	deadline=$((SECONDS + 20))
	until grep -qxF "$PROMPT# sync ${SYNC[c]}" "$log"; do
		if ! kill -0 ${TP_PID[c]} 2>/dev/null || [ $SECONDS -gt $deadline ]; then
			OUT=$(tail -c +$((start + 1)) "$log")
			printf '    | %s\n' "$PROMPT$cmd" "$OUT"
			fail "${CONSOLE_NAME[c]} did not answer '$cmd'"
			return 1
		fi
		sleep 0.05
	done
	# Its output: after its own echo, before the sync comment's.
	OUT=$(tail -c +$((start + 1)) "$log" | awk -v cmd="$PROMPT$cmd" \
		-v sync="$PROMPT# sync ${SYNC[c]}" \
		'$0 == sync { exit } on { print } $0 == cmd { on = 1 }')
	[ $c = 0 ] && printf '    %s\n' "$PROMPT$cmd" ||
		printf '    [%s] %s\n' "${CONSOLE_NAME[c]}" "$PROMPT$cmd"
	[ -n "$OUT" ] && printf '    %s\n' "$OUT" | sed '1!s/^/    /'
	return 0
}

# Run a command in the primary.
tp() { tp_on 0 "$1"; }

# Wait until console c printed a line (an asynchronous one): wait_line C LINE
wait_line()
{
	local deadline=$((SECONDS + 20))
	until grep -qxF -- "$2" "$DIR/tp$1.log"; do
		[ $SECONDS -gt $deadline ] && { fail "${CONSOLE_NAME[$1]} never printed '$2'"; return 1; }
		sleep 0.05
	done
	printf '    [%s, asynchronously] %s\n' "${CONSOLE_NAME[$1]}" "$2"
}

# Quit console c; its exit status.
stop_console()
{
	local c=$1 status
	printf 'quit\n' >&$((3 + c))
	eval "exec $((3 + c))>&-"
	wait ${TP_PID[c]}
	status=$?
	TP_PID[c]=
	return $status
}

FAILURE=
NA=
fail() { FAILURE=$*; return 1; }
# The emulated world can do everything the demo shows.
na() { [ -z "$IN_WORLD" ] || { fail "not applicable in the world: $*"; return 1; }; NA=$*; }

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

# The line "show vf list" prints for a ready VF: vf_list_line VF ADDRESS CONSUMER
vf_list_line()
{
	printf '  %-4u %-13s %-9s %-10s %s' "$1" "$2" \
		"$(printf '%04x:%04x' "$VENDOR" "$VF_DEVICE")" ready "$3"
}

# The PF resets VF $1 (OID_SRIOV_RESET_VF): 0 once done, 1 when it failed, 2
# (after na) when the VF cannot be reset.
pf_reset_vf()
{
	tp "reset vf 0 $1" || return 1
	if grep -qxF "Error: reset vf: VF $1 is not capable of function-level reset" <<<"$OUT"; then
		na "VF $1 is not FLR capable"
		return 2
	fi
	expect_line "VF $1: function-level reset done" && expect_no_error
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
	local i addr
	echo "Its VFs, found from the SR-IOV capability (First VF Offset $VF_OFFSET," \
		"VF Stride $VF_STRIDE)"
	tp "show vf list 0" || return 1
	expect_line "Port 0 (PF $PF): $NUM_VFS of $TOTAL_VFS VFs enabled" || return 1
	# The addresses the program found: what the next steps use.
	for ((i = 0; i < NUM_VFS; i++)); do
		addr=$(awk -v i=$i '$1 == i && NF >= 4 { print $2 }' <<<"$OUT")
		[ "$addr" = "$(vf_bdf $i)" ] ||
			fail "VF $i listed at '$addr', the capability routes it to $(vf_bdf $i)" ||
			return 1
		[ -f "$CFG_ROOT/$addr/config" ] || fail "VF $i: no function at $addr" || return 1
		VF_ADDR[i]=$addr
		expect_line "$(vf_list_line $i "$addr" -)" || return 1
	done
	expect_no_error
}

step_write_interrupt_line()
{
	local vf1
	vf1=${VF_ADDR[1]}
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
	vf1=${VF_ADDR[1]}
	# Elsewhere the bytes could land in a capability of the device.
	[ -n "$IN_WORLD" ] || { na "only the world's VFs have a known free area at 0xa0"; return; }
	echo "8 bytes into VF 1's capability-free, device-specific area at 0xa0"
	tp "set vf bus-data 0 1 0xa0 0x76 0x66 0x62 0x63 0x00 0x01 0x02 0x03" || return 1
	expect_line "VF 1: wrote 8 bytes at 0xa0" && expect_no_error || return 1
	expect_bytes "$vf1" 0xa0 8 "76 66 62 63 00 01 02 03" || return 1
	snapshot after_vendor
	changed_only_in "$(snap_file after_irq "$vf1")" "$(snap_file after_vendor "$vf1")" \
		0xa0 8 || fail "bytes outside 0xa0..0xa7 of VF 1 changed" || return 1
	for ((i = 0; i < NUM_VFS; i++)); do
		[ $i = 1 ] && continue
		cmp -s "$(snap_file before_write "${VF_ADDR[i]}")" \
			"$(snap_file after_vendor "${VF_ADDR[i]}")" ||
			fail "VF $i changed, only VF 1 was written" || return 1
	done
	cmp -s "$(snap_file before_write $PF)" "$(snap_file after_vendor $PF)" ||
		fail "the PF's config space changed"
}

step_read_back()
{
	echo "NdisMGetVirtualFunctionBusData: read them back"
	if [ -n "$IN_WORLD" ]; then
		tp "show vf bus-data 0 1 0xa0 8" || return 1
		expect_line "  0x0a0: $(cfg_hex "${VF_ADDR[1]}" 0xa0 8)" && expect_no_error
	else
		tp "show vf bus-data 0 1 0x3c 1" || return 1
		expect_line "  0x03c: $(cfg_hex "${VF_ADDR[1]}" 0x3c 1)" && expect_no_error
	fi
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
	expect_line "VF $last: ${VF_ADDR[last]}" && expect_no_error
}

step_probed_bars()
{
	local bar0 type size start end
	echo "NdisMQueryProbedBars: VF 1's BARs as the sizing probe reads them"
	# The VF's BAR0 size: its sysfs resource line, as the kernel (or the
	# world) sized it; the VF BAR0 register of the PF gives the type bits.
	# (No process substitution: a QEMU guest has no /dev/fd.)
	start=0
	end=0
	read -r start end _ 2>/dev/null <"$CFG_ROOT/${VF_ADDR[1]}/resource"
	size=$((${end:-0} - ${start:-0} + 1))
	[ "$size" -gt 1 ] ||
		{ na "VF 1 has no BAR0 resource ($CFG_ROOT/${VF_ADDR[1]}/resource: '$start $end')"
		  return; }
	tp "show vf probed-bars 0 1" || return 1
	type=$(($(cfg_val $PF $((SRIOV + 0x24)) 4) & 0xf))
	bar0=$(((~(size - 1) & 0xfffffff0 | type) & 0xffffffff))
	expect_line "$(printf '  BAR0: 0x%08x' $bar0)" && expect_no_error || return 1
	# A 64-bit BAR's upper half reads all ones.
	[ $((type & 6)) = 4 ] && expect_line "  BAR1: 0xffffffff"
	return 0
}

# PowerState of a VF from its PMCSR (PM capability found from the list).
vf_power_state()
{
	local bdf pos n
	bdf=${VF_ADDR[$1]}
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
	local vf=$((NUM_VFS - 1))
	[ "$(vf_power_state $vf)" != none ] ||
		{ na "VF $vf has no power management capability"; return; }
	echo "OID_SRIOV_SET_VF_POWER_STATE: VF $vf to D3hot and back to D0"
	tp "set vf power 0 $vf d3hot" || return 1
	expect_line "VF $vf: power state D3hot" && expect_no_error || return 1
	[ "$(vf_power_state $vf)" = 3 ] ||
		fail "VF $vf's PMCSR says D$(vf_power_state $vf)" || return 1
	tp "set vf power 0 $vf d0" || return 1
	expect_line "VF $vf: power state D0" && expect_no_error || return 1
	[ "$(vf_power_state $vf)" = 0 ] || fail "VF $vf's PMCSR says D$(vf_power_state $vf)"
}

step_reset()
{
	local vf1 cmd
	vf1=${VF_ADDR[1]}
	echo "OID_SRIOV_RESET_VF: function-level reset of VF 1 undoes the writes"
	snapshot before_reset
	pf_reset_vf 1
	case $? in 0) ;; 2) return ;; *) return 1 ;; esac
	snapshot after_reset
	if [ -z "$IN_WORLD" ]; then
		# A device's FLR need not touch Interrupt Line (QEMU's keeps it);
		# it clears Command, where EAL's mapping had set Bus Master.
		cmd=$(od -An -tu2 -j 4 -N 2 "$(snap_file before_reset "$vf1")" | tr -d ' ')
		[ $((cmd & 4)) != 0 ] || { na "VF 1's Bus Master was not set before the reset"; return; }
		cmd=$(cfg_val "$vf1" 4 2)
		echo "    (VF 1's Command register: $(printf 0x%04x "$cmd") after the reset)"
		[ $((cmd & 4)) = 0 ] || fail "VF 1's Command still has Bus Master set" || return 1
		cmp -s "$(snap_file before_reset "${VF_ADDR[0]}")" \
			"$(snap_file after_reset "${VF_ADDR[0]}")" || fail "VF 0 changed too"
		return
	fi
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
	cmp -s "$(snap_file before_reset "${VF_ADDR[0]}")" \
		"$(snap_file after_reset "${VF_ADDR[0]}")" || fail "VF 0 changed too"
}

# ---------------------------------------------------------------- mailbox
# The VF secondaries: VF i's console is i + 1, its port VF_PORT[i].
step_vf_consoles()
{
	local i c
	echo "Two VF processes: vfbc-testpmd secondaries on VFs 0 and 1 (-a <VF>)"
	for i in 0 1; do
		c=$((i + 1))
		start_console $c -l 0 --proc-type=secondary --file-prefix=$PREFIX \
			--log-level=lib.eal:warning -a "${VF_ADDR[i]}"
		tp_on $c "show port info all" || return 1
		expect_line "Device name: ${VF_ADDR[i]}" && expect_line "Driver name: net_vfbc_vf" ||
			return 1
		VF_PORT[i]=$(sed -n 's/^\*.* Infos for port \([0-9]*\) .*/\1/p' <<<"$OUT" | head -1)
		[ -n "${VF_PORT[i]}" ] || fail "no port in VF $i's process" || return 1
	done
	echo "Each holds its VF's claim: the PF sees them as the VFs' consumers"
	for i in 0 1; do
		wait_line 0 "Port 0: VF $i consumer attached (pid ${TP_PID[i + 1]})" || return 1
	done
	tp "show vf list 0" || return 1
	for i in 0 1; do
		expect_line "$(vf_list_line $i "${VF_ADDR[i]}" "pid ${TP_PID[i + 1]}")" || return 1
	done
}

step_publish_blocks()
{
	echo "The PF publishes config blocks: block 1 and 2 for VF 0, block 1 for VF 1"
	tp "set vf config-block 0 0 1 0x76 0x66 0x62 0x63" || return 1
	expect_line "VF 0: block 1 stored (4 bytes)" && expect_no_error || return 1
	tp "set vf config-block 0 0 2 0x11 0x22" || return 1
	expect_line "VF 0: block 2 stored (2 bytes)" && expect_no_error || return 1
	tp "set vf config-block 0 1 1 0x42" || return 1
	expect_line "VF 1: block 1 stored (1 byte)" && expect_no_error || return 1
	tp "show vf config-block 0 0 1" || return 1
	expect_line "  0x000: 76 66 62 63" && expect_no_error
}

step_invalidate()
{
	local p0=${VF_PORT[0]} p1=${VF_PORT[1]}
	echo "NdisMInvalidateConfigBlock: blocks 1 and 2 of VF 0, then block 1 of every VF"
	tp "invalidate vf config-block 0 0 0x6" || return 1
	expect_line "VF 0: config blocks invalidated, mask 0x0000000000000006" &&
		expect_no_error || return 1
	wait_line 1 "Port $p0: config blocks invalidated, mask 0x0000000000000006" || return 1
	tp_on 1 "wait vf invalidate $p0 5000" || return 1
	expect_line "Port $p0: invalidation #1, mask 0x0000000000000006" || return 1
	tp "invalidate vf config-block 0 all 0x2" || return 1
	expect_line "All VFs of port 0: config blocks invalidated, mask 0x0000000000000002" ||
		return 1
	wait_line 1 "Port $p0: config blocks invalidated, mask 0x0000000000000002" || return 1
	wait_line 2 "Port $p1: config blocks invalidated, mask 0x0000000000000002" || return 1
	tp_on 2 "show vf events $p1" || return 1
	expect_line "Port $p1: 1 invalidation received" && expect_no_error
}

step_vf_read_blocks()
{
	local p0=${VF_PORT[0]} p1=${VF_PORT[1]}
	echo "NdisMReadConfigBlock: each VF reads the blocks it was told about"
	tp_on 1 "read vf config-block $p0 1" || return 1
	expect_line "  0x000: 76 66 62 63" && expect_no_error || return 1
	tp_on 1 "read vf config-block $p0 2" || return 1
	expect_line "  0x000: 11 22" && expect_no_error || return 1
	tp_on 2 "read vf config-block $p1 1" || return 1
	expect_line "  0x000: 42" && expect_no_error
}

step_vf_block_request()
{
	local p0=${VF_PORT[0]}
	echo "NdisMWriteConfigBlock: VF 0 asks the PF to write its block 5; the PF accepts"
	tp_on 1 "write vf config-block $p0 5 0xde 0xad" || return 1
	expect_line "Port $p0: block 5 written by the PF (2 bytes)" && expect_no_error || return 1
	wait_line 0 "Port 0: VF 0 request: write config block 5 (2 bytes: de ad): accepted" ||
		return 1
	tp "show vf config-block 0 0 5" || return 1
	expect_line "  0x000: de ad" && expect_no_error
}

step_vf_config_requests()
{
	local p1=${VF_PORT[1]} vf1=${VF_ADDR[1]}
	echo "Config space through the PF: VF 1 may set its Interrupt Line, not its BAR0"
	snapshot before_requests
	tp_on 2 "write vf bus-data $p1 0x3c 0x0c" || return 1
	expect_line "Port $p1: wrote 1 byte at 0x3c (through the PF)" && expect_no_error ||
		return 1
	expect_bytes "$vf1" 0x3c 1 "0c" || return 1
	tp_on 2 "write vf bus-data $p1 0x10 0 0 0 0" || return 1
	expect_line "Error: write vf bus-data: port $p1: refused by the PF" || return 1
	wait_line 0 "Port 0: VF 1 request: write config space at 0x10 (4 bytes: 00 00 00 00):"\
" refused by the policy" || return 1
	snapshot after_requests
	changed_only_in "$(snap_file before_requests "$vf1")" \
		"$(snap_file after_requests "$vf1")" 0x3c 1 ||
		fail "the refused write changed VF 1's config space" || return 1
	cmp -s "$(snap_file before_requests "${VF_ADDR[0]}")" \
		"$(snap_file after_requests "${VF_ADDR[0]}")" || fail "VF 0 changed too"
}

# A VF's life: the PF resets VF 0 (FLR) while its VF process runs. The
# process is told (an RTE_ETH_EVENT_INTR_RESET, its link down), resets its
# port, which claims the VF again, and carries on.
step_vf_reset_event()
{
	local p0=${VF_PORT[0]} vf0=${VF_ADDR[0]} cmd irq
	echo "OID_SRIOV_RESET_VF under VF 0's running process: it hears of it, resets its port" \
		"and carries on"
	if [ -n "$IN_WORLD" ]; then
		# A byte for the reset to undo: the world's FLR restores the config space.
		tp "set vf bus-data 0 0 0x3c 9" || return 1
		expect_line "VF 0: wrote 1 bytes at 0x3c" && expect_no_error || return 1
		expect_bytes "$vf0" 0x3c 1 "09" || return 1
	fi
	cmd=$(cfg_val "$vf0" 4 2)
	snapshot before_life
	pf_reset_vf 0
	case $? in 0) ;; 2) return ;; *) return 1 ;; esac
	if [ -n "$IN_WORLD" ]; then
		irq=$(od -An -tx1 -j 60 -N 1 "$(snap_file before_write "$vf0")" | tr -d ' ')
		expect_bytes "$vf0" 0x3c 1 "$irq" || return 1
	elif [ $((cmd & 4)) != 0 ]; then
		# A device's FLR clears Command, where EAL's mapping had set Bus Master.
		[ $(($(cfg_val "$vf0" 4 2) & 4)) = 0 ] ||
			fail "VF 0's Command still has Bus Master set: it was not reset" || return 1
	fi
	snapshot after_life
	cmp -s "$(snap_file before_life "${VF_ADDR[1]}")" "$(snap_file after_life "${VF_ADDR[1]}")" ||
		fail "VF 1 changed too" || return 1
	wait_line 1 "Port $p0: reset event: the PF reset the VF (FLR)" || return 1
	wait_line 1 "Port $p0: link down" || return 1
	# A script waits for it: the first link up may or may not have been recorded.
	tp_on 1 "wait vf event $p0 5000 reset" || return 1
	expect_line "Port $p0: life event: INTR_RESET, cause FLR, link down" || return 1
	tp_on 1 "show vf events $p0" || return 1
	grep -qE "^Port $p0: [0-9]+ life events? received; link down, reset needed \(port reset" \
		<<<"$OUT" || fail "VF 0's process does not say that its port needs a reset" ||
		return 1
	echo "VF 0's process resets its port: it claims the VF again and its link comes up"
	tp_on 1 "port reset $p0" || return 1
	expect_line "Port $p0 reset: this process holds the VF's claim" && expect_no_error ||
		return 1
	tp_on 1 "wait vf event $p0 5000 link-up" || return 1
	expect_line "Port $p0: life event: INTR_LSC, link up" && expect_no_error || return 1
	tp "show vf list 0" || return 1
	expect_line "$(vf_list_line 0 "$vf0" "pid ${TP_PID[1]}")" || return 1
	echo "It carries on: the PF publishes block 3 and invalidates it, VF 0 reads it"
	tp "set vf config-block 0 0 3 0x33" || return 1
	expect_line "VF 0: block 3 stored (1 byte)" && expect_no_error || return 1
	tp "invalidate vf config-block 0 0 0x8" || return 1
	expect_line "VF 0: config blocks invalidated, mask 0x0000000000000008" || return 1
	wait_line 1 "Port $p0: config blocks invalidated, mask 0x0000000000000008" || return 1
	tp_on 1 "read vf config-block $p0 3" || return 1
	expect_line "  0x000: 33" && expect_no_error
}

# Sleep mode: VF 1's console stops polling its port; EAL's interrupt thread
# sleeps until the PF invalidates VF 1, then delivers.
step_vf_sleep()
{
	local p1=${VF_PORT[1]}
	echo "Sleep mode: VF 1's process stops polling and sleeps; the PF's invalidation wakes it"
	tp_on 2 "set vf sleep $p1 on" || return 1
	expect_line "Port $p1: sleep mode on: the PF's invalidations wake EAL's interrupt thread,\
 which delivers them; nothing polls the port" && expect_no_error || return 1
	sleep 1
	tp "invalidate vf config-block 0 1 0x10" || return 1
	expect_line "VF 1: config blocks invalidated, mask 0x0000000000000010" || return 1
	wait_line 2 "Port $p1: config blocks invalidated, mask 0x0000000000000010" || return 1
	tp_on 2 "set vf sleep $p1 off" || return 1
	expect_line "Port $p1: sleep mode off: polled again" && expect_no_error
}

# ---------------------------------------------------------------- isolated
# The same PF serving an isolated consumer: a process of its own (own file
# prefix, no PCI, no hugepages) that reaches VF 1 through the PF's socket
# with the VF's secret, and maps nothing of the PF but VF 1's region.
step_isolated_pf()
{
	local c vf allow
	echo "The trusted mode ends: the VF secondaries quit, then the PF primary"
	for c in 2 1 0; do
		stop_checked $c || return 1
	done
	echo "The PF again, with a control socket for isolated consumers (socket=)"
	# Its VFs stay allowed: the PF reaches their config space through EAL.
	allow=(-a "$PF,socket=$DIR/pf.sock")
	for vf in "${VF_ADDR[@]}"; do
		allow+=(-a "$vf")
	done
	start_console 3 -l 0 --file-prefix=$PREFIX --log-level=lib.eal:warning "${allow[@]}"
	tp_on 3 "set vf secret 0 1 demo-s3cret" || return 1
	expect_line "VF 1: socket secret set (11 bytes)" && expect_no_error || return 1
	[ -S "$DIR/pf.sock" ] || fail "no socket at $DIR/pf.sock"
}

step_isolated_consumer()
{
	echo "An isolated consumer of VF 1: its own primary, the secret in a file"
	printf 'demo-s3cret\n' >"$DIR/vf1.secret"
	chmod 600 "$DIR/vf1.secret"
	start_console 4 -l 0 --file-prefix=$PREFIX-iso --no-pci --no-huge -m 64 \
		--log-level=lib.eal:warning \
		--vdev "net_vfbc_isolated0,socket=$DIR/pf.sock,vf=1,secret_file=$DIR/vf1.secret"
	tp_on 4 "show port info 0" || return 1
	expect_line "Driver name: net_vfbc_isolated" || return 1
	echo "The PF sees it as VF 1's consumer"
	tp_on 3 "show vf list 0" || return 1
	grep -q "^  1 .* ready .*pid ${TP_PID[4]}\$" <<<"$OUT" ||
		fail "VF 1's consumer is not pid ${TP_PID[4]}"
}

step_isolated_exchange()
{
	local vf1=${VF_ADDR[1]}
	echo "Blocks, invalidations and requests, as with a secondary"
	tp_on 3 "set vf config-block 0 1 3 0x51 0x52" || return 1
	expect_line "VF 1: block 3 stored (2 bytes)" && expect_no_error || return 1
	tp_on 3 "invalidate vf config-block 0 1 0x8" || return 1
	wait_line 4 "Port 0: config blocks invalidated, mask 0x0000000000000008" || return 1
	tp_on 4 "read vf config-block 0 3" || return 1
	expect_line "  0x000: 51 52" && expect_no_error || return 1
	tp_on 4 "write vf bus-data 0 0x3c 0x0d" || return 1
	expect_line "Port 0: wrote 1 byte at 0x3c (through the PF)" && expect_no_error ||
		return 1
	expect_bytes "$vf1" 0x3c 1 "0d"
}

# Quit console c and check its exit status and error lines.
stop_checked()
{
	local c=$1 status errors want_status
	[ -n "${TP_PID[c]:-}" ] || return 0
	stop_console $c
	status=$?
	errors=$(grep -c '^Error:' "$DIR/tp$c.log")
	want_status=$((WANT_ERRORS[c] > 0 ? 1 : 0))
	if [ $status != $want_status ] || [ "$errors" != ${WANT_ERRORS[c]} ]; then
		fail "${CONSOLE_NAME[c]} ended with status $status and $errors error lines," \
			"expected $want_status and ${WANT_ERRORS[c]}"
		return 1
	fi
}

# ---------------------------------------------------------------- inside
inside()
{
	local t0 step n ok nas c
	t0=$SECONDS
	DIR=$(mktemp -d)
	TP_PID=()
	trap 'for c in "${TP_PID[@]}"; do [ -n "$c" ] && kill $c 2>/dev/null; done; rm -rf "$DIR"' \
		EXIT

	SRIOV=$(sriov_cap) || { say "the PF has no SR-IOV capability"; exit 1; }
	TOTAL_VFS=$(cfg_val $PF $((SRIOV + 0x0e)) 2)
	NUM_VFS=$(cfg_val $PF $((SRIOV + 0x10)) 2)
	VF_OFFSET=$(cfg_val $PF $((SRIOV + 0x14)) 2)
	VF_STRIDE=$(cfg_val $PF $((SRIOV + 0x16)) 2)
	VF_DEVICE=$(cfg_val $PF $((SRIOV + 0x1a)) 2)
	VENDOR=$(cfg_val $PF 0 2)
	[ "$NUM_VFS" -ge 2 ] || { say "the PF has $NUM_VFS VFs enabled, the demo needs 2"; exit 1; }
	say "config spaces at $CFG_ROOT: PF $PF, $NUM_VFS of $TOTAL_VFS VFs, SR-IOV" \
		"capability at $(printf 0x%x "$SRIOV")"
	say "starting vfbc-testpmd as the PF primary: vfbc-testpmd $EAL_ARGS -- --echo"
	start_console 0 $EAL_ARGS

	n=0
	ok=0
	nas=0
	for step in "${STEPS[@]}"; do
		n=$((n + 1))
		FAILURE=
		NA=
		printf '\n[%d/%d] ' $n ${#STEPS[@]}
		if "step_$step" && [ -z "$FAILURE" ]; then
			if [ -n "$NA" ]; then
				nas=$((nas + 1))
				echo "  -> not applicable here: $NA"
			else
				ok=$((ok + 1))
				echo "  -> verified"
			fi
		else
			echo "  -> FAILED: ${FAILURE:-step failed}"
		fi
	done

	# Consumers first, then the primaries (consoles a failed step left open).
	echo
	for c in 4 2 1 3 0; do
		FAILURE=
		if ! stop_checked $c; then
			say "$FAILURE"
			ok=$((ok - 1))
		fi
	done
	summary
	say "$ok of $((${#STEPS[@]} - nas)) steps verified in $((SECONDS - t0)) s" \
		"($nas not applicable here)"
	[ $ok = $((${#STEPS[@]} - nas)) ]
}

# What each VF process received and sent, from its own output.
summary()
{
	local i c log
	say "summary:"
	for i in 0 1; do
		c=$((i + 1))
		log=$DIR/tp$c.log
		[ -f "$log" ] || continue
		printf '  VF %d (%s, port %s): %d invalidation(s)' \
			$i "${VF_ADDR[i]}" "${VF_PORT[i]:-?}" \
			"$(grep -c 'config blocks invalidated, mask' "$log")"
		printf ', %d block(s) read, %d request(s) accepted, %d refused' \
			"$(grep -c '^Port [0-9]*: block [0-9]*, ' "$log")" \
			"$(grep -c -e 'written by the PF' -e 'through the PF' "$log")" \
			"$(grep -c 'refused by the PF' "$log")"
		printf ', %d reset event(s)\n' "$(grep -c '^Port [0-9]*: reset event: ' "$log")"
	done
	printf '  PF: %d VF request(s) accepted, %d refused by the policy\n' \
		"$(grep -c 'request: .*: accepted' "$DIR/tp0.log")" \
		"$(grep -c 'refused by the policy' "$DIR/tp0.log")"
}

case "${1:-}" in
--in-world)
	[ -n "${VFBC_WORLD:-}" ] || { say "--in-world outside a world"; exit 1; }
	IN_WORLD=1
	inside
	;;
--in-guest)
	# In the QEMU guest: QEMU's NVMe PF, its VFs and the kernel's sysfs.
	[ -n "${VFBC_QEMU_GUEST:-}" ] || { say "--in-guest outside a QEMU guest"; exit 1; }
	IN_WORLD=
	PF=${VFBC_QEMU_PF:-$PF}
	VFBC_DEMO_TESTPMD=$(command -v vfbc-testpmd) ||
		{ say "no vfbc-testpmd in the guest's PATH"; exit 1; }
	EAL_ARGS="-l 0 --file-prefix=$PREFIX --log-level=lib.eal:warning"
	inside
	;;
*)
	outside "$@"
	;;
esac
