#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
"""Run vfbc-perf and check its JSON file (the meson test of the 'perf' suite).

Usage: check-json.py VFBC_PERF JSON_FILE [vfbc-perf options...]

Runs "VFBC_PERF [options] --json JSON_FILE", then checks that the file has
every key the benchmark promises, that the issue's keys come from the driver
path ("level": "driver") with the channel-level figures beside them, and that
the accounting of both levels is exact (no lost or phantom bit, no resync,
no claim takeover), and that every target of issue 14 is under 'ratios': a
number, or null with its reason in 'ratios_not_measured'. The isolated row's ratio must be there: a number, with
the isolated run's accounting exact and as many samples as the secondary
driver latency, or null with the reason it was not measured. Exits 77
(skipped) when vfbc-perf does, 1 on any failure.
"""

import json
import subprocess
import sys

KEYS = {
    'invalidate_latency_ns': ['p50', 'p90', 'p99', 'p999', 'max', 'samples', 'level'],
    'invalidate_latency_ns.channel': ['p50', 'p99', 'samples'],
    'invalidate_latency_ns.isolated': ['p50', 'p99', 'samples', 'level', 'cacheline'],
    'baselines.cacheline_oneway_ns': ['p50', 'p99'],
    'baselines.ring_oneway_ns': ['p50', 'p99'],
    'baselines.rte_mp_oneway_ns': ['p50', 'p99'],
    'baselines.pipe_oneway_ns': ['p50', 'p99'],
    'throughput': ['deliveries_per_s', 'invalidations_per_s', 'raw_ring_elems_per_s', 'level'],
    'throughput.channel': ['deliveries_per_s', 'invalidations_per_s'],
    'request_rtt_ns': ['p50', 'p99', 'level'],
    'request_rtt_ns.channel': ['p50', 'p99'],
    'request_rtt_ns.pf_asleep': ['p50', 'p99'],
    'config_write': ['writes_per_s', 'raw_pwrite_per_s'],
    'scaling': ['service_ns_1vf', 'service_ns_256vf', 'many', 'level'],
    'scaling.channel': ['service_ns_1vf', 'service_ns_256vf', 'many'],
    'accounting': ['bits_sent', 'bits_lost', 'phantom_bits', 'resyncs', 'claim_takeovers',
                   'level'],
    'accounting.channel': ['bits_sent', 'bits_lost', 'phantom_bits', 'resyncs'],
    'ratios': ['latency_p50_vs_cacheline', 'latency_p50_vs_rte_mp', 'throughput_vs_raw_ring',
               'config_write_vs_raw_pwrite', 'service_256_vs_1',
               'isolated_vs_secondary_latency_p50', 'isolated_service_idle_256_vs_1',
               'bulk256_vs_singles', 'level'],
    'ratios.channel': ['latency_p50_vs_cacheline', 'service_256_vs_1', 'bulk256_vs_singles'],
    'fanout': ['vfs', 'bulk_ns', 'singles_ns', 'level'],
    'fanout.channel': ['vfs', 'bulk_ns', 'singles_ns'],
}

# Issue 14's targets: each under 'ratios', a number or null with a reason.
TARGETS = ['driver_latency_p50_vs_cacheline', 'driver_vs_channel_latency_p50',
           'driver_vs_channel_empty_poll', 'driver_vs_channel_request_rtt',
           'driver_vs_channel_service_per_request', 'invalidations_vs_ring_single',
           'coalescing_vs_ring_single', 'bulk256_vs_singles', 'sleep_wake_vs_pipe',
           'sleep_idle_cpu_fraction', 'service_1024_vs_1']

# The keys must hold the figures of the drivers, not of the library.
DRIVER_LEVEL = ['invalidate_latency_ns', 'throughput', 'request_rtt_ns', 'scaling',
                'fanout', 'accounting', 'ratios']


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
    wrong = [k for k in DRIVER_LEVEL if doc[k].get('level') != 'driver']
    if wrong:
        print('not measured through the drivers: ' + ', '.join(wrong))
        return 1
    for acct in (doc['accounting'], doc['accounting']['channel']):
        if (acct['bits_sent'] <= 0 or acct['bits_lost'] != 0 or acct['phantom_bits'] != 0
                or acct['resyncs'] != 0 or acct.get('claim_takeovers', 0) != 0):
            print('accounting failed (%s): %s' % (acct['level'], acct))
            return 1
    acct = doc['accounting']
    if doc['invalidate_latency_ns']['samples'] < 100000:
        print('fewer than 10^5 latency samples')
        return 1
    isolated = check_isolated(doc)
    if isolated is None:
        return 1
    targets = check_targets(doc)
    if targets is None:
        return 1
    print('ok: every key present, driver level; %d bits sent through the drivers, none lost, '
          'no phantom; %s; %s' % (acct['bits_sent'], isolated, targets))
    return 0


def check_targets(doc):
    """Issue 14's targets: present, each a number or null with its reason; not judged."""
    ratios = doc['ratios']
    why = doc.get('ratios_not_measured')
    if not isinstance(why, dict):
        print('no ratios_not_measured object')
        return None
    measured = 0
    for key in TARGETS:
        if key not in ratios:
            print('ratios.%s missing' % key)
            return None
        value = ratios[key]
        if value is None:
            if not isinstance(why.get(key), str) or not why[key]:
                print('ratios.%s is null without a reason in ratios_not_measured' % key)
                return None
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            print('ratios.%s is neither a number nor null: %r' % (key, value))
            return None
        else:
            measured += 1
    return '%d of %d issue 14 targets measured' % (measured, len(TARGETS))


def check_isolated(doc):
    """The isolated row: measured like the secondary driver latency, or null and why."""
    ratio = doc['ratios']['isolated_vs_secondary_latency_p50']
    if ratio is None:
        why = doc['ratios'].get('isolated_not_measured')
        if not why:
            print('ratios.isolated_vs_secondary_latency_p50 is null without a reason')
            return None
        return 'isolated row not measured: ' + why
    iso = doc['invalidate_latency_ns']['isolated']
    acct = doc['accounting'].get('isolated', {})
    if (acct.get('bits_sent', 0) <= 0 or acct.get('bits_lost') != 0
            or acct.get('phantom_bits') != 0 or acct.get('resyncs') != 0
            or acct.get('claim_takeovers') != 0):
        print('accounting failed (isolated): %s' % acct)
        return None
    if iso['samples'] != doc['invalidate_latency_ns']['samples']:
        print('isolated row: %d samples, the secondary driver latency %d'
              % (iso['samples'], doc['invalidate_latency_ns']['samples']))
        return None
    return 'isolated p50 %.0f ns, %.2fx the secondary driver p50' % (iso['p50'], ratio)


if __name__ == '__main__':
    sys.exit(main())
