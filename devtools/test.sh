#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Run every vfbc test: sets the machine up (devtools/setup.sh), builds, runs
# all meson test suites (fast, world, mp, perf, docs, ...) and ends with
# "N passed, N failed, N skipped" counted over test cases.
# Extra arguments go to `meson test` (e.g. --suite fast, or test names).

set -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ "${CI:-}" = true ] && [ -z "${VFBC_WERROR:-}" ]; then
	export VFBC_WERROR=1
fi

"$SRC/devtools/setup.sh" || { echo "test: setup failed"; echo "0 passed, 1 failed"; exit 1; }
. "$SRC/devtools/vfbc-env.sh"

meson test -C "$VFBC_BUILD" --no-rebuild --num-processes 1 --print-errorlogs "$@"
python3 "$SRC/devtools/test-summary.py" "$VFBC_BUILD"
