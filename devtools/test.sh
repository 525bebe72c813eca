#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Run every vfbc test: sets the machine up (devtools/setup.sh), then runs,
# one stage after the other:
#   main  build/       all meson test suites (fast, world, mp, perf, docs, ...)
#   asan  build-asan/  fast, world and mp under AddressSanitizer + UBSan + LSan
#   fuzz  build-fuzz/  each libFuzzer target for VFBC_FUZZ_SECONDS (30) s
#   tsan  build-tsan/  fast (channel_stress_autotest: threads) under TSan
# and ends with the time of each stage, the tests of each build, and
# "N passed, N failed, N skipped" counted over test cases of all stages.
#
# Extra arguments go to `meson test` of the main stage only (e.g. --suite
# fast, or test names), and then only that stage runs unless VFBC_TEST_STAGES
# names others. VFBC_TEST_STAGES: the stages to run (default
# "main asan fuzz tsan"); a stage whose build setup could not make fails.

set -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ "${CI:-}" = true ] && [ -z "${VFBC_WERROR:-}" ]; then
	export VFBC_WERROR=1
fi
if [ $# -gt 0 ]; then
	stages=${VFBC_TEST_STAGES:-main}
else
	stages=${VFBC_TEST_STAGES:-main asan fuzz tsan}
fi

t0=$(date +%s)
"$SRC/devtools/setup.sh"
setup_rc=$?
. "$SRC/devtools/vfbc-env.sh"
if [ ! -f "$VFBC_BUILD/.vfbc-built" ]; then
	echo "test: setup failed"
	echo "0 passed, 1 failed"
	exit 1
fi
[ $setup_rc = 0 ] || echo "test: setup reported errors: stages whose build failed will fail"
times=("setup: $(($(date +%s) - t0)) s")
dirs=()

# stage NAME DIR [meson test arguments...]
stage()
{
	local name=$1 dir=$2 t
	shift 2
	t=$(date +%s)
	dirs+=("$dir")
	# No stale results: a stage that cannot run has no test log, and fails.
	rm -f "$dir/meson-logs/testlog.json"
	if [ ! -f "$dir/.vfbc-built" ]; then
		echo "test: stage $name: $dir was not built (see the setup output above)"
	else
		echo "test: stage $name: meson test -C $dir $*"
		meson test -C "$dir" --no-rebuild --num-processes 1 --print-errorlogs "$@"
	fi
	times+=("$name ($(basename "$dir")): $(($(date +%s) - t)) s")
}

for s in $stages; do
	case $s in
	main)
		stage main "$VFBC_BUILD" "$@" ;;
	asan)
		# The style check reads sources, it does not run them: once is enough.
		stage asan "$VFBC_BUILD-asan" --suite fast --suite world --suite mp \
			--no-suite style ;;
	fuzz)
		stage fuzz "$VFBC_BUILD-fuzz" --suite fuzz ;;
	tsan)
		stage tsan "$VFBC_BUILD-tsan" --suite fast --no-suite style ;;
	*)
		echo "test: unknown stage '$s' (main, asan, fuzz, tsan)"
		dirs+=("unknown-stage-$s") ;;
	esac
done

echo "test: wall time of each stage (total $(($(date +%s) - t0)) s):"
printf '  %s\n' "${times[@]}"
python3 "$SRC/devtools/test-summary.py" "${dirs[@]}"
