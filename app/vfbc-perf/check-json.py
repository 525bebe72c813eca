#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
"""Run vfbc-perf and check its JSON file (the meson test of the 'perf' suite).

Usage: check-json.py VFBC_PERF JSON_FILE [vfbc-perf options...]

Runs "VFBC_PERF [options] --json JSON_FILE", then checks that the file has
every key the benchmark promises and that the accounting is exact. Exits 77
(skipped) when vfbc-perf does, 1 on any failure.
"""

import json
import subprocess
import sys

KEYS = {
    'invalidate_latency_ns': ['p50', 'p90', 'p99', 'p999', 'max', 'samples'],
    'baselines.cacheline_oneway_ns': ['p50', 'p99'],
    'baselines.ring_oneway_ns': ['p50', 'p99'],
    'baselines.rte_mp_oneway_ns': ['p50', 'p99'],
    'baselines.pipe_oneway_ns': ['p50', 'p99'],
    'throughput': ['deliveries_per_s', 'invalidations_per_s', 'raw_ring_elems_per_s'],
    'request_rtt_ns': ['p50', 'p99'],
    'config_write': ['writes_per_s', 'raw_pwrite_per_s'],
    'scaling': ['service_ns_1vf', 'service_ns_256vf'],
    'accounting': ['bits_sent', 'bits_lost', 'phantom_bits'],
    'ratios': ['latency_p50_vs_cacheline', 'latency_p50_vs_rte_mp', 'throughput_vs_raw_ring',
               'config_write_vs_raw_pwrite', 'service_256_vs_1'],
}


def lookup(doc, path):
    node = doc
    for part in path.split('.'):
        if not isinstance(node, dict) or part not in node:
            return None, False
        node = node[part]
    return node, True


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 1
    perf, out = sys.argv[1], sys.argv[2]
    cmd = [perf] + sys.argv[3:] + ['--json', out]
    print('running:', ' '.join(cmd), flush=True)
    status = subprocess.call(cmd)
    if status == 77:
        print('skipped: vfbc-perf cannot run here (see its message above)')
        return 77
    if status != 0:
        print('vfbc-perf failed with status %d (a lost or phantom bit, or an error)' % status)
        return 1
    with open(out) as f:
        doc = json.load(f)
    missing = []
    for section, keys in KEYS.items():
        node, ok = lookup(doc, section)
        for key in keys:
            if not ok or not isinstance(node, dict) or key not in node:
                missing.append(section + '.' + key)
    if missing:
        print('missing keys: ' + ', '.join(missing))
        return 1
    acct = doc['accounting']
    if acct['bits_sent'] <= 0 or acct['bits_lost'] != 0 or acct['phantom_bits'] != 0:
        print('accounting failed: %s' % acct)
        return 1
    if doc['invalidate_latency_ns']['samples'] < 100000:
        print('fewer than 10^5 latency samples')
        return 1
    print('ok: every key present, %d bits sent, none lost, no phantom' % acct['bits_sent'])
    return 0


if __name__ == '__main__':
    sys.exit(main())
