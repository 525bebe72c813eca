#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
"""Check vfbc's sources against the project's style rules.

The rules are DPDK's (doc/guides/contributing/coding_style.rst and the
forbidden tokens of devtools/checkpatches.sh) as they apply to vfbc:
an SPDX line at the top of every source file, lines of at most 100 columns
(tabs of 8), no trailing white space, tabs for C indentation, none of the
tokens DPDK forbids, no driver-SDK headers in applications, and every
subdir() of a meson.build naming a directory whose meson.build git has (not
one that .gitignore hides: a clone would not configure).

Usage: check-style.py [SOURCE_ROOT]   (default: the repository of this script)
Prints one line per problem and a count of files checked; exits 1 when any
file has a problem.
"""

import os
import re
import subprocess
import sys

MAX_COLUMNS = 100
ROOT = '.'

C_SUFFIXES = ('.c', '.h')
SPDX_SUFFIXES = C_SUFFIXES + ('.py', '.sh', '.build', '.txt', '.in', '.rst', '.ini', '.md')

# (regex, message, path prefixes it applies to; empty = everywhere), C files only.
FORBIDDEN = [
    (r'\brte_panic\s*\(|\brte_exit\s*\(', 'rte_panic/rte_exit in a library or driver',
     ('lib/', 'drivers/')),
    (r'%l?ll[dux]|%ll', 'use PRIx64/PRIu64/PRId64, not %ll', ()),
    (r'\b__sync_[a-z_]+\s*\(', '__sync_* builtins: use __atomic_* with explicit orders', ()),
    (r'\brte_atomic(16|32|64)_[a-z_]+\s*\(', 'rte_atomicNN_*: use __atomic_* builtins', ()),
    (r'\brte_smp_[rw]?mb\s*\(', 'rte_smp_*mb: use __atomic_* orders', ()),
    (r'\b__atomic_thread_fence\s*\(', '__atomic_thread_fence: use rte_atomic_thread_fence', ()),
    (r'\bRTE_LOG_REGISTER\s*\(', 'plain RTE_LOG_REGISTER: use _DEFAULT or _SUFFIX', ()),
    (r'\bfor\s*\(\s*(unsigned\s+)?(int|char|long|uint\w*|size_t)\s+\w+\s*=',
     'declaration in a for statement', ()),
    (r'#\s*include\s*[<"]\w*_driver\.h[>"]', 'driver SDK header in an application', ('app/',)),
]


def tracked_files(root):
    """Files git tracks plus untracked, non-ignored ones (so new files are checked)."""
    try:
        out = subprocess.run(['git', '-C', root, 'ls-files', '--cached', '--others',
                              '--exclude-standard'],
                             check=True, capture_output=True, text=True).stdout
        return sorted(set(p for p in out.splitlines() if os.path.isfile(os.path.join(root, p))))
    except (OSError, subprocess.CalledProcessError):
        found = []
        for d, dirs, files in os.walk(root):
            dirs[:] = [x for x in dirs if not x.startswith(('.', 'build'))]
            found += [os.path.relpath(os.path.join(d, f), root) for f in files]
        return sorted(found)


def columns(line):
    return len(line.expandtabs(8))


def check_file(root, path):
    problems = []
    full = os.path.join(root, path)
    try:
        with open(full, encoding='utf-8') as f:
            lines = f.read().split('\n')
    except UnicodeDecodeError:
        return [f'{path}: not UTF-8 text']
    is_c = path.endswith(C_SUFFIXES)
    base = os.path.basename(path)
    if (path.endswith(SPDX_SUFFIXES) or base in ('run', 'meson_options.txt')) and \
            not any('SPDX-License-Identifier: BSD-3-Clause' in ln for ln in lines[:3]):
        problems.append(f'{path}:1: no "SPDX-License-Identifier: BSD-3-Clause" in the first lines')
    in_comment = False
    for no, line in enumerate(lines, 1):
        if line.rstrip() != line:
            problems.append(f'{path}:{no}: trailing white space')
        if not is_c:
            continue
        if columns(line) > MAX_COLUMNS:
            problems.append(f'{path}:{no}: {columns(line)} columns (max {MAX_COLUMNS})')
        if re.match(r'^ {8,}\S', line) and not in_comment:
            problems.append(f'{path}:{no}: indented with spaces, not tabs')
        code = re.sub(r'"(\\.|[^"\\])*"', '""', line)
        code = re.sub(r'/\*.*?\*/', '', code)
        stripped = code.strip()
        if in_comment:
            if '*/' in code:
                in_comment = False
            continue
        if '/*' in code and '*/' not in code:
            in_comment = True
            code = code[:code.index('/*')]
        if stripped.startswith('//'):
            problems.append(f'{path}:{no}: C++ comment')
        for regex, msg, prefixes in FORBIDDEN:
            if prefixes and not path.startswith(prefixes):
                continue
            if re.search(regex, code if '%' not in regex else line):
                problems.append(f'{path}:{no}: {msg}')
    return problems


def check_subdirs(files):
    """Each literal subdir('x') of a meson.build names a tracked x/meson.build."""
    problems = []
    have = set(files)
    for path in files:
        if os.path.basename(path) != 'meson.build':
            continue
        with open(path if os.path.isabs(path) else os.path.join(ROOT, path),
                  encoding='utf-8') as f:
            text = f.read()
        for no, line in enumerate(text.split('\n'), 1):
            code = line.split('#', 1)[0]
            for m in re.finditer(r"\bsubdir\(\s*'([^']+)'", code):
                want = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1),
                                                     'meson.build'))
                if want not in have:
                    problems.append(f"{path}:{no}: subdir('{m.group(1)}'): {want} is not in "
                                    'git (ignored by .gitignore?): a clone would not configure')
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = [p for p in tracked_files(root)
             if p.endswith(SPDX_SUFFIXES) or os.path.basename(p) == 'run']
    failed = 0
    for path in files:
        problems = check_file(root, path)
        for p in problems:
            print(p)
        if problems:
            failed += 1
    global ROOT
    ROOT = root
    problems = check_subdirs(files)
    for p in problems:
        print(p)
    failed += len(problems)
    print(f'style: {len(files)} files checked, {failed} with problems')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
