#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors

"""Summarise meson test runs of vfbc: one line per test, then the totals.

Case counts come from the last "N passed, N failed, N skipped" line a test
printed (vfbc-test ends with one); a test without such a line counts as one
case with meson's verdict. A test that meson saw fail (exit status, crash,
timeout) is never counted as passed, whatever its output said.

Given several build directories (build, build-asan, ...), it lists the
tests of each, says what ran there (suites, tests, cases), and ends with
one line of totals over all of them. A directory without a test log (its
tests did not run) counts as one failed case. A libFuzzer target's line
carries its executions and coverage (run-fuzz.sh's last line).
"""

import argparse
import json
import os
import re
import sys

COUNTS_RE = re.compile(r'^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$')
FUZZ_RE = re.compile(r'^run-fuzz: \S+: (\S+) execs in .*, cov (\S+), ft (\S+),')
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


def fuzz_stats(record):
    """'N execs, cov C, ft F' from a fuzz target's output, or ''."""
    for line in reversed((record.get('stdout') or '').splitlines()):
        m = FUZZ_RE.match(line.strip())
        if m:
            return f'{m.group(1)} execs, cov {m.group(2)}, ft {m.group(3)}'
    return ''


def summarise(builddir, total):
    """Print the table of one build's tests; add its cases to total."""
    path = os.path.join(builddir, 'meson-logs', 'testlog.json')
    try:
        records = read_testlog(path)
    except FileNotFoundError:
        print(f'{builddir}: no test log ({path}): its tests did not run: 1 failed')
        total[1] += 1
        return
    except (OSError, ValueError) as e:
        print(f'{builddir}: cannot read {path}: {e}: 1 failed')
        total[1] += 1
        return
    if not records:
        print(f'{builddir}: {path} lists no test: 1 failed')
        total[1] += 1
        return

    rows = []
    sub = [0, 0, 0]
    suites = set()
    for rec in records:
        passed, failed, skipped, source = case_counts(rec)
        sub[0] += passed
        sub[1] += failed
        sub[2] += skipped
        # "project:suite+suite / name": meson's testlog has no suite field.
        head = rec.get('name', '').split(' / ', 1)[0]
        suites.update(head.split(':', 1)[-1].split('+'))
        note = '' if source == 'output' else '(from meson result)'
        note = ' '.join(x for x in (note, fuzz_stats(rec)) if x)
        rows.append((rec.get('name', '?'), rec.get('result', '?'),
                     f"{float(rec.get('duration') or 0):.2f}s",
                     str(passed), str(failed), str(skipped), note))

    header = ('test', 'result', 'time', 'passed', 'failed', 'skipped', '')
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(row[2:6], widths[2:6])]
        print('  '.join(cells + [row[6]]).rstrip())
    print(f"{builddir}: {len(records)} tests of suites {', '.join(sorted(suites))}: "
          f'cases {sub[0]} passed, {sub[1]} failed, {sub[2]} skipped')
    for i in range(3):
        total[i] += sub[i]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('builddirs', nargs='*', default=['build'], metavar='builddir',
                        help='meson build directories (default: build)')
    args = parser.parse_args()

    total = [0, 0, 0]
    for n, builddir in enumerate(args.builddirs):
        if n > 0:
            print()
        summarise(builddir, total)
    print(f'{total[0]} passed, {total[1]} failed, {total[2]} skipped')
    return 1 if total[1] > 0 else 0


if __name__ == '__main__':
    sys.exit(main())
