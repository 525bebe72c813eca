#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
"""Find cycles between the source files of one directory, from their objects.

Usage: file-cycles.py BUILD_DIR SOURCE_DIR...

For every target of the build (the objects of one program or library)
compiled from files below SOURCE_DIR (relative to the source root, e.g.
app/vfbc-perf), reads each object's symbols with nm: file A depends on file
B when A uses a global symbol that B defines. Prints every pair of files
that depend on each other, with the symbols each way, and every longer
cycle (a strongly connected set of more than two files). Exit status: 0 no
cycle, 1 cycles found, 2 usage or build problem.
"""

import json
import os
import subprocess
import sys


def objects(build, srcdir):
    """{target: {source file: object}} for the sources below srcdir."""
    with open(os.path.join(build, 'meson-info', 'meson-info.json')) as f:
        root = json.load(f)['directories']['source']
    with open(os.path.join(build, 'compile_commands.json')) as f:
        commands = json.load(f)
    targets = {}
    for c in commands:
        src = os.path.normpath(os.path.join(c['directory'], c['file']))
        obj = os.path.normpath(os.path.join(c['directory'], c['output']))
        rel = os.path.relpath(src, root)
        if not (rel + '/').startswith(srcdir.rstrip('/') + '/'):
            continue
        target = os.path.relpath(os.path.dirname(obj), build)
        targets.setdefault(target, {})[rel] = obj
    return targets


def symbols(obj):
    """(defined, used) global symbol sets of one object."""
    out = subprocess.run(['nm', '-P', obj], check=True, capture_output=True,
                         text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == 'U':
            used.add(name)
        elif kind.isupper() or kind in 'uvw':
            defined.add(name)
    return defined, used


def sccs(nodes, edges):
    """Strongly connected sets of the graph (Tarjan), iteratively."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    n = stack.pop()
                    on.discard(n)
                    comp.append(n)
                    if n == node:
                        break
                out.append(sorted(comp))
    return out


def check(build, srcdir):
    """Print the cycles of srcdir's files in every target; the number found."""
    targets = objects(build, srcdir)
    if not targets:
        print('%s: no objects in %s (built?)' % (srcdir, build))
        return -1
    found = 0
    for target, files in sorted(targets.items()):
        syms = {f: symbols(o) for f, o in files.items()}
        owner = {}
        for f, (defined, _) in syms.items():
            for s in defined:
                owner[s] = f
        uses = {f: {} for f in files}
        for f, (_, used) in syms.items():
            for s in used:
                g = owner.get(s)
                if g is not None and g != f:
                    uses[f].setdefault(g, []).append(s)
        names = sorted(files)
        pairs = []
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if b in uses[a] and a in uses[b]:
                    pairs.append((a, b))
        longer = [c for c in sccs(names, uses) if len(c) > 2]
        n = len(pairs) + len(longer)
        found += n
        print('%s (%s): %d files, %s' % (srcdir, target, len(files),
                                        'no cycle' if n == 0 else '%d cycle(s)' % n))
        for a, b in pairs:
            print('  %s <-> %s' % (os.path.basename(a), os.path.basename(b)))
            print('    %s uses %s' % (os.path.basename(a), ', '.join(sorted(uses[a][b]))))
            print('    %s uses %s' % (os.path.basename(b), ', '.join(sorted(uses[b][a]))))
        for c in longer:
            print('  cycle through %d files: %s' % (len(c),
                                                     ' '.join(os.path.basename(f) for f in c)))
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    build = sys.argv[1]
    if not os.path.isfile(os.path.join(build, 'meson-info', 'meson-info.json')):
        print('%s: not a meson build directory' % build)
        return 2
    status = 0
    for srcdir in sys.argv[2:]:
        n = check(build, srcdir)
        if n < 0:
            return 2
        if n > 0:
            status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
