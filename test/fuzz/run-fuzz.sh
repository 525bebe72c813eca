#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Run one libFuzzer target from a copy of its seed corpus (the checked-in
# corpus is never written), for VFBC_FUZZ_SECONDS (default 30) seconds,
# with its dictionary (test/fuzz/NAME.dict) when it has one. With
# VFBC_FUZZ_CORPUS set, what the fuzzer finds goes to that directory,
# kept from run to run, and the seeds are read from where they are.
# Usage: run-fuzz.sh TARGET CORPUS_DIR ARTIFACT_DIR [extra libFuzzer args]
# Output: libFuzzer's (without its per-input NEW/REDUCE/pulse lines), then
# one line "run-fuzz: NAME: N execs in S s ..., cov C, ft F, ..." with the
# final statistics.
# Exit status: the fuzzer's (non-zero on a crash, leak, timeout or failed
# invariant); the crashing input is kept in ARTIFACT_DIR.

set -o pipefail
target=$1 corpus=$2 artifacts=$3
shift 3
secs=${VFBC_FUZZ_SECONDS:-30}
name=$(basename "$target")
dict=$(dirname "$(dirname "$corpus")")/$name.dict

[ -x "$target" ] || { echo "run-fuzz: $target: not built"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vfbc-fuzz-$name.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
dirs=()
if [ -n "${VFBC_FUZZ_CORPUS:-}" ]; then
	mkdir -p "$VFBC_FUZZ_CORPUS" || exit 1
	grown=$VFBC_FUZZ_CORPUS
	[ -d "$corpus" ] && dirs+=("$corpus")
else
	grown=$work/corpus
	mkdir -p "$grown"
	[ -d "$corpus" ] && cp -r "$corpus/." "$grown/"
fi
before=$(find "$grown" -type f | wc -l)
opts=()
[ -f "$dict" ] && opts+=("-dict=$dict")
echo "run-fuzz: $name for $secs s, corpus $grown ($before inputs)${dirs[0]:+, seeds ${dirs[0]}}" \
	"${opts[0]:+, ${opts[0]}}"
touch "$work/start"
t0=$(date +%s)
# libFuzzer's own failures exit 77 by default, which meson reads as "skipped".
# The first corpus directory is the one libFuzzer adds to.
"$target" -max_total_time="$secs" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096 \
	-error_exitcode=1 -artifact_prefix="$artifacts/$name-" "${opts[@]}" "$@" \
	"$grown" "${dirs[@]}" </dev/null 2>&1 | tee "$work/log" |
	grep --line-buffered -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)'
rc=${PIPESTATUS[0]}
took=$(($(date +%s) - t0))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
ft=$(grep -o 'ft: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2)
echo "run-fuzz: $name: ${execs:-?} execs in $took s (${rate:-?}/s), cov ${cov:-?}," \
	"ft ${ft:-?}, corpus $before -> $(find "$grown" -type f | wc -l) inputs, exit $rc"
if [ "$rc" != 0 ]; then
	echo "run-fuzz: $name failed; crashing input (if any) in $artifacts:"
	find "$artifacts" -maxdepth 1 -name "$name-*" -newer "$work/start" -printf '  %p\n' |
		head -3
fi
exit "$rc"
