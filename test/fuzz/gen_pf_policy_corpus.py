#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
"""Write the seed corpus of fuzz_pf_policy (test/fuzz/corpus/fuzz_pf_policy/).

The seeds are the synthetic VF of test/test_pf_policy.c (every capability
the policy table knows), its malformed variants (one per malformed-list
case of that test) and the writes those cases make, in the target's input
format (see fuzz_pf_policy.c). Trailing zero bytes are left out: the
target pads short inputs with zeros.

Usage: gen_pf_policy_corpus.py [OUTPUT_DIR]   (default: the checked-in corpus)
"""

import os
import struct
import sys

# The synthetic VF (test_pf_policy.c).
PM, MSI, EXP, MSIX, VNDR, VNDR_LEN, AF, GAP = 0x40, 0x50, 0x70, 0xb0, 0xc0, 0x10, 0xd0, 0xf0
AER, VSEC, VSEC_LEN, SRIOV, EXT_GAP = 0x100, 0x140, 0x20, 0x180, 0x300
CAP_PM, CAP_MSI, CAP_VNDR, CAP_EXP, CAP_MSIX, CAP_AF = 0x01, 0x05, 0x09, 0x10, 0x11, 0x13
EXT_ERR, EXT_SRIOV, EXT_VNDR = 0x01, 0x10, 0x0b
HDR, DATA = 8, 128


class Cfg:
    def __init__(self):
        self.b = bytearray(4096)

    def put16(self, off, v):
        self.b[off:off + 2] = struct.pack('<H', v & 0xffff)

    def put32(self, off, v):
        self.b[off:off + 4] = struct.pack('<I', v & 0xffffffff)

    def cap(self, cap_id, pos, nxt):
        self.b[pos] = cap_id
        self.b[pos + 1] = nxt & 0xff

    def ext_cap(self, cap_id, pos, nxt):
        self.put32(pos, cap_id | 1 << 16 | nxt << 20)

    def vndr(self, pos, nxt, length):
        self.cap(CAP_VNDR, pos, nxt)
        self.b[pos + 2] = length

    def vsec(self, pos, nxt, length):
        self.ext_cap(EXT_VNDR, pos, nxt)
        self.put32(pos + 4, 0x0001 | length << 20)


def synthetic_vf():
    c = Cfg()
    c.put16(0x00, 0xffff)
    c.put16(0x02, 0xffff)
    c.put16(0x04, 0x0004)
    c.put16(0x06, 0x0010 | 0x8000)
    c.put32(0x08, 0x02000001)
    c.put16(0x2c, 0x1b36)
    c.b[0x34] = PM
    c.cap(CAP_PM, PM, MSI)
    c.put16(PM + 2, 0x0003)
    c.cap(CAP_MSI, MSI, EXP)
    c.put16(MSI + 2, 0x0080 | 0x0100)
    c.cap(CAP_EXP, EXP, MSIX)
    c.put16(EXP + 2, 2)
    c.put32(EXP + 4, 0x10000000)
    c.put16(EXP + 8, 0x2810)
    c.cap(CAP_MSIX, MSIX, VNDR)
    c.vndr(VNDR, AF, VNDR_LEN)
    c.cap(CAP_AF, AF, 0)
    c.b[AF + 2] = 6
    c.b[AF + 3] = 0x03
    c.ext_cap(EXT_ERR, AER, VSEC)
    c.vsec(VSEC, SRIOV, VSEC_LEN)
    c.ext_cap(EXT_SRIOV, SRIOV, 0)
    return c


def vsec_chain(c, start, count, stride, length, last_next):
    """count VSECs of length bytes, stride apart; the last points to last_next."""
    for i in range(count):
        pos = start + stride * i
        c.vsec(pos, pos + stride if i < count - 1 else last_next, length)


def variants():
    """(name, config, cfg_size, [(write name, offset, length, xor)])."""
    out = []
    c = synthetic_vf()
    out.append(('well_formed', c, 4096, [
        ('command_bme', 0x04, 2, 0x0004), ('command_mse', 0x04, 2, 0x0002),
        ('command_status', 0x04, 4, 0x0004), ('pmcsr_d3hot', PM + 4, 2, 0x0003),
        ('devctl_flr', EXP + 8, 2, 0x8000), ('devctl_payload', EXP + 8, 2, 0x0020),
        ('vndr_data', VNDR + 4, 8, 0xffffffff), ('af_flr', AF + 4, 1, 0x01),
        ('aer_mask', AER + 8, 4, 0x1), ('vsec_data', VSEC + 8, 0x18, 0xff),
        ('bars', 0x10, 24, 0), ('msi', MSI + 2, 22, 0), ('sriov', SRIOV + 4, 0x3c, 0),
        ('beyond', 4094, 4, 0)]))
    out.append(('well_formed_256', synthetic_vf(), 256, [
        ('latency', 0x0d, 1, 0xff), ('aer', AER + 8, 4, 0)]))
    c = synthetic_vf()
    c.b[VNDR + 2] = VNDR_LEN + 4
    out.append(('vndr_overlaps_next', c, 4096, [('af_id', AF, 1, 0x01)]))
    c = synthetic_vf()
    msix = EXP + 0x28
    c.b[MSIX:MSIX + 2] = b'\0\0'
    c.cap(CAP_EXP, EXP, msix)
    c.cap(CAP_MSIX, msix, VNDR)
    out.append(('pcie_overlaps_next', c, 4096, [('msix_id', msix, 1, 0x01)]))
    c = synthetic_vf()
    c.vsec(VSEC, SRIOV, SRIOV - VSEC + 0x10)
    out.append(('vsec_overlaps_next', c, 4096, [('sriov_id', SRIOV, 1, 0x01)]))
    c = synthetic_vf()
    c.b[AF + 1] = VNDR + 8
    out.append(('pointer_into_capability', c, 4096, [('inner_id', VNDR + 8, 1, CAP_EXP)]))
    c = synthetic_vf()
    c.b[AF + 1] = 0xe0
    c.vndr(0xe0, GAP, 8)
    c.cap(CAP_EXP, GAP, 0)
    c.put16(GAP + 2, 2)
    c.ext_cap(EXT_SRIOV, SRIOV, EXT_GAP)
    c.vsec(EXT_GAP, EXT_GAP + 0x40, 0x10)
    c.ext_cap(EXT_ERR, EXT_GAP + 0x40, 0)
    out.append(('duplicate_capability', c, 4096, [
        ('exp2_devctl', GAP + 8, 2, 1), ('aer2_mask', EXT_GAP + 0x48, 4, 1)]))
    c = synthetic_vf()
    c.b[AF + 1] = PM | 3
    c.ext_cap(EXT_SRIOV, SRIOV, AER)
    out.append(('loop', c, 4096, [('pmcsr', PM + 4, 2, 3)]))
    c = synthetic_vf()
    c.b[MSIX + 1] = 0x3c
    out.append(('pointer_into_header', c, 4096, [('intx_line', 0x3c, 1, 0xff)]))
    c = synthetic_vf()
    c.ext_cap(EXT_ERR, AER, VNDR)
    out.append(('ext_pointer_below_0x100', c, 4096, [('vsec_data', VSEC + 8, 4, 0xff)]))
    c = synthetic_vf()
    c.b[AF + 1] = 0xf8
    c.vndr(0xf8, 0, 0x20)
    c.ext_cap(EXT_SRIOV, SRIOV, 0xff8)
    c.vsec(0xff8, 0, 0x20)
    out.append(('truncated', c, 4096, [
        ('vndr_over_0x100', 0xfe, 4, 0), ('vsec_past_end', 0xffc, 8, 0)]))
    c = synthetic_vf()
    c.b[AF + 1] = 0xf8
    c.vndr(0xf8, 0, 0x20)
    out.append(('256_byte_vf', c, 256, [('vndr_data', 0xfc, 4, 0xffffffff)]))
    c = synthetic_vf()
    c.put16(0x06, 0)
    vsec_chain(c, 0x100, 60, 0x10, 0xc, 0)
    out.append(('map_overflow', c, 4096, [('vsec40_data', 0x100 + 0x10 * 40 + 8, 4, 0xff)]))
    c = synthetic_vf()
    c.ext_cap(EXT_SRIOV, SRIOV, 0x200)
    vsec_chain(c, 0x200, 80, 8, 0x40, 0x4)
    out.append(('caps_overflow', c, 4096, [('vsec70_data', 0x200 + 8 * 70 + 4, 4, 0xff)]))
    c = synthetic_vf()
    c.ext_cap(EXT_SRIOV, SRIOV, 0xffc)
    c.ext_cap(EXT_VNDR, 0xffc, 0)
    out.append(('vsec_at_end', c, 4096, [('vsec_header', 0xffc, 4, 0x1)]))
    return out


def seed(cfg, cfg_size, off, length, xor, read):
    data = bytearray(cfg.b[off:off + length]) + bytearray(DATA)
    for i in range(min(length, 4)):
        data[i] ^= (xor >> (8 * i)) & 0xff
    hdr = struct.pack('<BHBHBB', (cfg_size == 4096) | (2 if read else 0), off, length - 1,
                      0, 63, 0x5a)
    return (hdr + bytes(data[:DATA]) + bytes(cfg.b[:cfg_size])).rstrip(b'\0')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'corpus', 'fuzz_pf_policy')
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for name, cfg, cfg_size, writes in variants():
        for k, (wname, off, length, xor) in enumerate(writes):
            with open(os.path.join(outdir, f'{name}-{wname}'), 'wb') as f:
                f.write(seed(cfg, cfg_size, off, length, xor, k == 0))
            n += 1
    print(f'{n} seeds in {outdir}')


if __name__ == '__main__':
    main()
