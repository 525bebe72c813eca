#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Run one libFuzzer target from a copy of its seed corpus (the checked-in
# corpus is never written), for VFBC_FUZZ_SECONDS (default 30) seconds.
# Usage: run-fuzz.sh TARGET CORPUS_DIR ARTIFACT_DIR [extra libFuzzer args]
# Exit status: the fuzzer's (non-zero on a crash, leak, timeout or failed
# invariant); the crashing input is kept in ARTIFACT_DIR.

set -o pipefail
target=$1 corpus=$2 artifacts=$3
shift 3
secs=${VFBC_FUZZ_SECONDS:-30}
name=$(basename "$target")

[ -x "$target" ] || { echo "run-fuzz: $target: not built"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/vfbc-fuzz-$name.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
if [ -d "$corpus" ]; then
	cp -r "$corpus/." "$work/corpus/"
fi
echo "run-fuzz: $name for $secs s, seeds: $(find "$work/corpus" -type f | wc -l)"
"$target" -max_total_time="$secs" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096 \
	-artifact_prefix="$artifacts/$name-" "$@" "$work/corpus" 2>&1 |
	grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)'
rc=${PIPESTATUS[0]}
echo "run-fuzz: $name exit $rc, corpus now $(find "$work/corpus" -type f | wc -l) inputs"
exit "$rc"
