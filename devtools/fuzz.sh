#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Long runs of the libFuzzer targets of test/fuzz (the meson suite "fuzz"
# runs each for 30 s only), built in build-fuzz by devtools/setup.sh.
#
# usage: devtools/fuzz.sh [-t SECONDS] [-j JOBS] [-a DIR] [TARGET...]
#        devtools/fuzz.sh -r TARGET INPUT...
#        devtools/fuzz.sh -l
#   TARGET...   the targets to run one after the other (default: all)
#   -t SECONDS  how long each target runs (default 600)
#   -j JOBS     libFuzzer jobs per target, run in parallel (-jobs, -workers;
#               default 1); their logs are fuzz-N.log in the artifact dir
#   -a DIR      where crashing inputs go (default build-fuzz/fuzz-artifacts),
#               as TARGET-crash-<sha1>, -leak-, -timeout- or -oom-
#   -r          run TARGET once on each INPUT (a crash, to see it again or
#               check a fix), not fuzzing
#   -l          list the targets
# Each target grows its own corpus in build-fuzz/fuzz-corpus/TARGET, which
# later runs start from, together with the checked-in seeds of
# test/fuzz/corpus/TARGET (never written). See "Fuzzing" in
# doc/guides/linux_gsg/running_tests.rst to turn a crash into a regression
# test. Exit status: 0 when no target failed.

set -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
secs=600 jobs=1 artifacts='' replay=0 list=0

usage()
{
	sed -n 's/^# \{0,1\}//; /^usage:/,/^test\. Exit/p' "$0" >&2
	exit 2
}

while getopts "t:j:a:rlh" opt; do
	case $opt in
	t) secs=$OPTARG ;;
	j) jobs=$OPTARG ;;
	a) artifacts=$OPTARG ;;
	r) replay=1 ;;
	l) list=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
case $secs$jobs in
*[!0-9]*) echo "fuzz: -t and -j take a number" >&2; exit 2 ;;
esac

. "$SRC/devtools/vfbc-env.sh"
FUZZ=$VFBC_BUILD-fuzz
if [ ! -f "$FUZZ/.vfbc-built" ] || [ $list = 0 ]; then
	# Builds (or brings up to date) build-fuzz and only it of the sanitizer builds.
	VFBC_SAN_BUILDS=fuzz "$SRC/devtools/setup.sh" >/dev/null ||
		{ echo "fuzz: devtools/setup.sh failed: run it to see why" >&2; exit 1; }
fi
# The targets are the programs build-fuzz made in test/fuzz.
mapfile -t built < <(find "$FUZZ/test/fuzz" -maxdepth 1 -type f -perm -u+x -printf '%f\n' |
	sort)
if [ $list = 1 ]; then
	printf '%s\n' "${built[@]}"
	exit 0
fi

if [ $replay = 1 ]; then
	[ $# -ge 2 ] || usage
	t=$1
	shift
	[ -x "$FUZZ/test/fuzz/$t" ] || { echo "fuzz: no target $t in $FUZZ" >&2; exit 2; }
	exec setarch -R "$FUZZ/test/fuzz/$t" -runs=1 "$@"
fi

[ $# -gt 0 ] || set -- "${built[@]}"
artifacts=${artifacts:-$FUZZ/fuzz-artifacts}
mkdir -p "$artifacts" || exit 1
artifacts=$(cd "$artifacts" && pwd)
failed=()
for t in "$@"; do
	exe=$FUZZ/test/fuzz/$t
	[ -x "$exe" ] || { echo "fuzz: no target $t in $FUZZ"; failed+=("$t"); continue; }
	corpus=$FUZZ/fuzz-corpus/$t
	extra=()
	[ "$jobs" -gt 1 ] && extra=(-jobs="$jobs" -workers="$jobs")
	# run-fuzz.sh: the checked-in seeds, the dictionary, the final statistics.
	(cd "$artifacts" && VFBC_FUZZ_SECONDS=$secs VFBC_FUZZ_CORPUS=$corpus setarch -R \
		bash "$SRC/test/fuzz/run-fuzz.sh" "$exe" "$SRC/test/fuzz/corpus/$t" \
		"$artifacts" "${extra[@]}") || failed+=("$t")
	if [ "$jobs" -gt 1 ]; then
		grep -h -E '^stat::number_of_executed_units|DONE ' "$artifacts"/fuzz-*.log |
			sed "s/^/fuzz: $t job: /"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: failed: ${failed[*]}; inputs in $artifacts; see one again with:"
	echo "  devtools/fuzz.sh -r TARGET $artifacts/TARGET-crash-..."
	exit 1
fi
echo "fuzz: no failure in $*"
