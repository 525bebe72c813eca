#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors

"""Summarise a meson test run of vfbc: one line per test, then the totals.

Case counts come from the last "N passed, N failed, N skipped" line a test
printed (vfbc-test ends with one); a test without such a line counts as one
case with meson's verdict. A test that meson saw fail (exit status, crash,
timeout) is never counted as passed, whatever its output said.
"""

import argparse
import json
import os
import re
import sys

COUNTS_RE = re.compile(r'^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$')
PASSING = ('OK', 'EXPECTEDFAIL')
SKIPPING = ('SKIP',)


def case_counts(record):
    """Return (passed, failed, skipped, source) for one testlog record."""
    result = record.get('result', 'ERROR')
    counts = None
    for line in (record.get('stdout') or '').splitlines():
        m = COUNTS_RE.match(line.strip())
        if m:
            counts = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))

    if result in PASSING or result in SKIPPING:
        if counts is not None:
            return counts + ('output',)
        if result in PASSING:
            return (1, 0, 0, 'meson')
        return (0, 0, 1, 'meson')

    # Meson says it failed: only a report that owns up to a failure is kept.
    if counts is not None and counts[1] > 0:
        return counts + ('output',)
    return (0, 1, 0, 'meson')


def read_testlog(path):
    records = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f'{path}:{n}: not JSON: {e}') from e
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('builddir', nargs='?', default='build',
                        help='meson build directory (default: %(default)s)')
    args = parser.parse_args()

    path = os.path.join(args.builddir, 'meson-logs', 'testlog.json')
    try:
        records = read_testlog(path)
    except (OSError, ValueError) as e:
        print(f'test-summary: cannot read {path}: {e}', file=sys.stderr)
        return 1
    if not records:
        print(f'test-summary: {path} lists no test', file=sys.stderr)
        return 1

    rows = []
    total = [0, 0, 0]
    for rec in records:
        passed, failed, skipped, source = case_counts(rec)
        total[0] += passed
        total[1] += failed
        total[2] += skipped
        rows.append((rec.get('name', '?'), rec.get('result', '?'),
                     f"{float(rec.get('duration') or 0):.2f}s",
                     str(passed), str(failed), str(skipped),
                     '' if source == 'output' else '(from meson result)'))

    header = ('test', 'result', 'time', 'passed', 'failed', 'skipped', '')
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(row[2:6], widths[2:6])]
        print('  '.join(cells + [row[6]]).rstrip())
    print(f'{total[0]} passed, {total[1]} failed, {total[2]} skipped')
    return 1 if total[1] > 0 else 0


if __name__ == '__main__':
    sys.exit(main())
