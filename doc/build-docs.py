#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors

"""Build the vfbc API reference (Doxygen) and guides (Sphinx); fail on any warning.

Used by "ninja doc" and by the meson test "docs". Ends with the runner's
summary line, one case per document set.
"""

import argparse
import os
import subprocess
import sys


def run(name, cmd, cwd):
    """Run one documentation build; warnings count as failure."""
    print(f'docs: {name}: {" ".join(cmd)}', flush=True)
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    warnings = [line for line in proc.stdout.splitlines()
                if 'warning:' in line.lower() or 'error:' in line.lower()]
    if proc.returncode != 0 or warnings:
        sys.stdout.write(proc.stdout)
        print(f'docs: {name} FAILED (exit status {proc.returncode}, '
              f'{len(warnings)} warning(s) or error(s))', flush=True)
        return False
    print(f'docs: {name} OK', flush=True)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sphinx', required=True, help='sphinx-build program')
    parser.add_argument('--doxygen', required=True, help='doxygen program')
    parser.add_argument('--doxy-conf', required=True, help='configured doxy-api.conf')
    parser.add_argument('--guides', required=True, help='doc/guides source directory')
    parser.add_argument('--output', required=True, help='doc build directory')
    args = parser.parse_args()

    api_out = os.path.join(args.output, 'api')
    guides_out = os.path.join(args.output, 'guides')
    os.makedirs(api_out, exist_ok=True)
    os.makedirs(guides_out, exist_ok=True)

    results = [
        run('api (doxygen)', [args.doxygen, os.path.abspath(args.doxy_conf)], api_out),
        # -E: a fresh environment, so that warnings of unchanged pages show again.
        run('guides (sphinx)',
            [args.sphinx, '-q', '-E', '-W', '--keep-going', '-b', 'html',
             '-d', os.path.join(guides_out, '.doctrees'),
             args.guides, os.path.join(guides_out, 'html')],
            guides_out),
    ]
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    print(f'{passed} passed, {failed} failed, 0 skipped')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
