#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
"""Write the seed corpora of fuzz_channel_request, fuzz_channel_attach,
fuzz_block_read and fuzz_pf_devargs (test/fuzz/corpus/NAME/);
fuzz_pf_policy has its own, gen_pf_policy_corpus.py.

Each seed is a small scenario in the input format its target reads field by
field (little-endian integers; see the step functions of the target): the
seeds reach every step type and the paths a fuzzer finds late, such as a
full ring or a header consistent for another VF count. The checked-in corpus
is this script's output; run it again after changing an input format.
Files named crash-* are reproducers of findings, kept by hand (minimized
with libFuzzer's -minimize_crash=1): this script neither writes nor removes
them, and the target fails on them until the finding is fixed.

Usage: gen_corpus.py [CORPUS_DIR]   (default: the checked-in corpora)
"""

import os
import struct
import sys


def u8(v):
    return struct.pack('<B', v & 0xff)


def u16(v):
    return struct.pack('<H', v & 0xffff)


def u32(v):
    return struct.pack('<I', v & 0xffffffff)


def u64(v):
    return struct.pack('<Q', v & 0xffffffffffffffff)


# --- fuzz_channel_request: byte 0 picks 2-4 VFs, then steps (op byte % 20) ---

def vf_write(what, a, length, body):
    """A hostile write of VF 0 (op 0); body is what the case reads after."""
    return u8(0) + u8(what) + u8(a) + u8(length - 1) + body


def rec(how=0, rtype=2, req_id=7, target=0x10, length=4, data=b'\0' * 8, ahead=0):
    """A record written straight into the request ring (and published unless how & 8)."""
    b = u8(how) + u8(rtype)
    if how & 1:
        b += u16(5)  # a foreign vf_id
    b += u32(req_id)
    b += u32(target) if how & 2 else u16(target)
    b += u32(length) if how & 4 else u8(length - 1)
    return vf_write(1, 0, 1, b + data[:8].ljust(8, b'\0') + u8(ahead))


# The a byte of an index write: ring a % 3 (notify, request, response), cons if a & 4.
NOTIFY_CONS, REQ_PROD, REQ_CONS, RESP_PROD, RESP_CONS = 12, 1, 4, 2, 14


def index(a, mode, delta=0, raw=0, bit=0):
    """mode % 4: 0 raw, 1 current + delta, 2 the PF's own index + delta, 3 a bit flipped."""
    b = u8(mode) + u8(delta)
    if mode % 4 == 0:
        b += u32(raw)
    elif mode % 4 == 3:
        b += u8(bit)
    return vf_write(2, a, 1, b)


def claim_word(a, raw=0, bit=0):
    b = b''
    if a % 6 == 0:
        b = u64(raw)
    elif a % 6 == 2:
        b = u8(bit)
    return vf_write(3, a, 1, b)


SCAN = lambda mx: u8(3) + u8(mx - 1)
SWEEP = lambda mx: u8(4) + u8(mx - 1)
DEQUEUE = lambda answer=True, status=0: u8(5) + u8((status << 1) | (1 if answer else 0))
INVALIDATE = lambda mask: u8(8) + u64(mask)
REVOKE = u8(12)
VF_CLAIM = u8(13)
VF_RELEASE = u8(14)
VF_POLL = u8(16)
VF_RESPONSE_POLL = u8(17)
STATS = u8(19)


def respond(last=True, status=0, length=0, raw_status=None, null=False):
    mode = (1 if last else 0) | (2 if raw_status is not None else 0) | (4 if null else 0)
    b = u8(7) + u8(mode)
    if not last:
        b += u16(2) + u32(99)
    b += u32(raw_status) if raw_status is not None else u8(status)  # status -N
    return b + u8(length) + bytes(range(length))


def block_id(k, raw=0):
    return u8(k) + (u32(raw) if k >= 240 else b'')


def block_write(k, length, raw=0):
    return u8(9) + block_id(k, raw) + u8(length) + bytes((i * 7) & 0xff for i in range(136))


def block_read(k, buf_len, pf=False):
    return u8(10 if pf else 18) + block_id(k) + u8(buf_len)


def grant(parent=False):
    return u8(11) + u8(1 if parent else 0)


def post(how=1, target=0x10, length=4):
    """VF post: type 1 + how % 3; how & 4: 32-bit target; how & 8: 32-bit len."""
    b = u8(15) + u8(how)
    b += u32(target) if how & 4 else u16(target)
    b += u32(length) if how & 8 else u8(length - 1)
    return b + bytes(8)


def request_seeds():
    s = {}
    s['post-scan-dequeue-answer'] = (u8(0) + post() + SCAN(8) + DEQUEUE() +
                                     VF_RESPONSE_POLL + STATS)
    s['post-block-write-request'] = (u8(1) + post(how=0, target=5, length=16) +
                                     post(how=0, target=70, length=1) + SWEEP(4) +
                                     DEQUEUE() + DEQUEUE() + STATS)
    s['record-answer-later'] = (u8(2) + rec() + DEQUEUE(answer=False) +
                                respond(status=5, length=16) + VF_RESPONSE_POLL + STATS)
    s['records-malformed'] = (u8(0) + rec(rtype=0) + rec(how=1) + rec(length=200, how=4) +
                              rec(how=2, target=4095, length=8) +
                              rec(how=2, rtype=1, target=90) + rec(how=4, length=0) +
                              DEQUEUE() + VF_RESPONSE_POLL + VF_RESPONSE_POLL + STATS)
    s['record-unpublished'] = u8(0) + rec(how=8) + DEQUEUE() + STATS
    s['request-prod-out-of-bounds'] = (u8(0) + index(REQ_PROD, 2, delta=100) + SWEEP(4) + DEQUEUE() +
                                       index(REQ_PROD, 2, delta=3) + DEQUEUE() + STATS)
    s['request-prod-behind'] = u8(0) + index(REQ_PROD, 2, delta=-1) + DEQUEUE() + STATS
    s['response-cons-wrecked'] = (u8(0) + post() + index(RESP_CONS, 0, raw=0x7fffffff) + DEQUEUE() +
                                  respond(last=False) + index(RESP_CONS, 2, delta=-32) +
                                  post() + DEQUEUE() + STATS)
    s['response-ring-full'] = (u8(0) + b''.join(respond(last=False) for _ in range(33)) +
                               post() + DEQUEUE() + VF_RESPONSE_POLL + DEQUEUE() + STATS)
    s['request-ring-full'] = u8(1) + b''.join(post() for _ in range(33)) + SCAN(1) + STATS
    s['notify-cons-wrecked'] = (u8(0) + index(NOTIFY_CONS, 0, raw=0x1000) + INVALIDATE(1) + VF_POLL +
                                INVALIDATE(2) + STATS)
    s['invalidate-poll-coalesce'] = (u8(2) + INVALIDATE(0x11) + INVALIDATE(0x22) + VF_POLL +
                                     vf_write(4, 8, 4, bytes(4)) + INVALIDATE(0x4) + VF_POLL +
                                     INVALIDATE(0) + STATS)
    s['notify-ring-full'] = (u8(0) + b''.join(INVALIDATE(1) + vf_write(4, 8, 4, u32(1))
                                              for _ in range(65)) + VF_POLL + STATS)
    s['claim-scribbled'] = (u8(0) + post() + claim_word(0, raw=0x1234) + DEQUEUE() +
                            claim_word(1) + DEQUEUE() + post() + claim_word(2, bit=33) +
                            VF_POLL + DEQUEUE() + STATS)
    s['claim-games'] = (u8(2) + post() + REVOKE + DEQUEUE() + VF_CLAIM + VF_CLAIM +
                        VF_RELEASE + VF_RELEASE + grant(parent=True) + VF_CLAIM + post() +
                        claim_word(5) + grant() + VF_CLAIM + VF_POLL + STATS)
    s['doorbell-words'] = (u8(2) + vf_write(5, 4, 1, u64(0xf00000000000000f)) + SCAN(1) +
                           SCAN(8) + vf_write(5, 1, 1, u64(1)) + SCAN(2) + STATS)
    s['blocks'] = (u8(0) + block_write(3, 16) + block_write(130, 40) + block_write(131, 128) +
                   block_write(132, 131) + block_read(3, 16, pf=True) + block_read(3, 15) +
                   block_read(130, 0, pf=True) + block_read(131, 144) + block_read(10, 8) +
                   block_write(240, 8, raw=0xfffffff0) + STATS)
    s['extra-slots-full'] = (u8(0) + b''.join(block_write(128 + i, 4) for i in range(9)) +
                             vf_write(6, 1, 4, u32(0) + u8(20)) + block_write(137, 4) +
                             block_read(137, 8) + STATS)
    s['block-sequence-odd'] = (u8(0) + block_write(130, 4) +
                               vf_write(6, 0, 1, u8(1) + u8(0)) + block_read(130, 8, pf=True) +
                               vf_write(6, 0, 4, u32(0x7fffffff) + u8(20)) + block_read(130, 8) +
                               block_write(130, 4) + post(how=0, target=64, length=4) + STATS)
    s['scribble-anywhere'] = (u8(1) + vf_write(9, 0, 8, bytes(8) + u32(150)) +
                              vf_write(7, 8, 4, u32(1)) + vf_write(8, 3, 8, bytes(8) + u8(12)) +
                              vf_write(0, 4, 16, bytes(16) + u8(8)) + post() + DEQUEUE() +
                              VF_RESPONSE_POLL + STATS)
    s['respond-bad-args'] = (u8(0) + respond(last=False, raw_status=1) +
                             respond(last=False, length=130) +
                             respond(last=False, null=True) + STATS)
    return s


# --- fuzz_channel_attach ------------------------------------------------------

def attach(nb, how, len_arg=b'', header=b'', use=b''):
    return u8(nb - 1) + u8(how) + len_arg + header + use


def patches(*ps):
    return u8(len(ps)) + b''.join(ps)


def fresh_header(nb):
    """The header vfbc_channel_create() writes for nb VFs (vfbc_channel_layout.h)."""
    vf_fixed = 64 + 128 + 128 + 72 * 192
    notify, req, resp = 128 + 64 * 16, 128 + 32 * 144, 128 + 32 * 144
    vf_size = vf_fixed + notify + req + resp
    h = u32(0x43424656) + u16(2) + u16(0) + u64(192 + nb * vf_size) + u64(192)
    h += u16(nb) + u16(64) + u16(8) + u16(128) + u32(192) + u32(vf_size)
    h += u32(vf_fixed) + u32(64) + u32(16)
    h += u32(vf_fixed + notify) + u32(32) + u32(144)
    h += u32(vf_fixed + notify + req) + u32(32) + u32(144) + u32(1)
    return h.ljust(192, b'\0')


USE = u8(0) + u8(0) + u8(1) + u32(0) + bytes(8) + u8(3) + u8(0) + u8(5)


def attach_seeds():
    s = {}
    s['valid-exact'] = attach(2, 0, header=patches(), use=USE)
    s['valid-larger-area'] = attach(4, 1, u16(1000), patches(), USE)
    s['truncated-never-initialised'] = attach(2, 2, u16(0), patches())
    s['truncated-much-never-initialised'] = attach(8, 2, u16(4000), patches())
    s['smaller-than-header'] = attach(1, 4, u8(100))
    s['empty-area'] = attach(1, 4, u8(0))
    # how % 5 picks the length, how & 0x80 a raw header: 0x82 exact, 0x84 less, 0x80 any.
    s['raw-zero-header'] = attach(1, 0x82)
    s['raw-foreign-header'] = attach(1, 0x80, u32(30000), b'DPDK' + bytes(range(188)))
    s['raw-valid'] = attach(3, 0x82, header=fresh_header(3), use=USE)
    s['raw-valid-truncated'] = attach(3, 0x84, u16(0), fresh_header(3))
    s['raw-valid-more-vfs-than-creator'] = attach(1, 0x80, u32(200000), fresh_header(7), USE)
    s['raw-valid-no-creator'] = attach(8, 0x80, u32(150000), fresh_header(6), USE)
    s['magic-zero'] = attach(2, 0, header=patches(u8(4) + u8(1)))
    s['magic-foreign'] = attach(2, 0, header=patches(u8(4) + u8(0) + u32(0x12345678)))
    s['major-older'] = attach(2, 0, header=patches(u8(3) + u8(0xff) + u16(0)))
    s['minor-newer'] = attach(2, 0, header=patches(u8(3) + u8(0) + u16(7)), use=USE)
    s['nb-vfs-zero'] = attach(2, 0, header=patches(u8(1) + u16(0)))
    s['nb-vfs-fewer'] = attach(4, 0, header=patches(u8(1) + u16(2)))
    s['consistent-fewer-vfs'] = attach(4, 0, header=patches(u8(2) + u8(1)), use=USE)
    s['consistent-more-vfs'] = attach(2, 0, header=patches(u8(2) + u8(5)))
    s['consistent-more-vfs-fits'] = attach(1, 3, u32(200000), patches(u8(2) + u8(5)),
                                           u8(0) + u8(4) + u8(0) + u8(0) + u8(0))
    s['size-off-by-one'] = attach(2, 0, header=patches(u8(5) + u8(1)))
    s['geometry-byte'] = attach(2, 0, header=patches(u8(0) + u8(40) + u8(0) + u8(0xff)))
    return s


# --- fuzz_block_read: steps (op byte % 8): 0 scribble, 1 spin, else read -----

def read(sel, buf_len):
    return u8(2) + u8(sel) + u8(buf_len)


def scribble(slot, what, val=0):
    return u8(0) + u8(slot) + u8(what) + u32(val)


def spin(n):
    return u8(1) + u8(n)


def block_read_seeds():
    s = {}
    s['reads-every-block'] = b''.join(read(k, 143) for k in range(4)) * 4
    s['reads-pf-handle'] = b''.join(read(0x80 | k, 128) for k in range(4)) * 4
    s['reads-small-buffers'] = b''.join(read(k, n) for n in (0, 3, 4, 64, 127) for k in range(4))
    s['reads-never-written'] = read(0x70, 128) + read(0x78, 128) + read(0x70, 0)
    s['reads-while-spinning'] = b''.join(spin(200) + read(k, 130) for k in range(4)) * 3
    s['scribble-sequence-odd'] = scribble(0, 3) + read(0, 128) + read(1, 128)
    s['scribble-sequence'] = scribble(1, 0, 0x7ffffffe) + read(1, 128) + read(2, 128)
    s['scribble-len'] = scribble(2, 1, 0xffffffff) + read(2, 128) + read(2, 10) + read(3, 128)
    s['scribble-state'] = (scribble(3, 2, 0) + read(3, 128) + scribble(0x95, 2, 1) +
                           read(0x78, 128))
    return s


# --- fuzz_pf_devargs: the string itself ----------------------------------------

def devargs_seeds():
    good = {
        'empty': '',
        'map-vfs-0': 'map_vfs=0',
        'map-vfs-1': 'map_vfs=1',
        'map-vfs-all': 'map_vfs=all',
        'max-vfs': 'max_vfs=4',
        'max-vfs-0': 'max_vfs=0',
        'max-vfs-65535': 'max_vfs=65535',
        'num-vfs': 'num_vfs=8',
        'doc-example': 'map_vfs=1,max_vfs=4',
        'msg-cfg': 'vf_msg_cfg=80@120:180',
        'msg-cfg-limits': 'vf_msg_cfg=4096@1:65535',
        'all-keys': 'map_vfs=0,max_vfs=16,num_vfs=2,vf_msg_cfg=80@120:180',
        'empty-pairs': ',max_vfs=3,,',
    }
    bad = {
        'leading-zero': 'max_vfs=010',
        'leading-space': 'max_vfs= 3',
        'trailing-space': 'max_vfs=3 ',
        'sign-minus': 'max_vfs=-1',
        'sign-plus': 'max_vfs=+3',
        'hex': 'max_vfs=0x10',
        'too-big': 'max_vfs=65536',
        'too-big-32': 'num_vfs=4294967296',
        'map-vfs-2': 'map_vfs=2',
        'map-vfs-All': 'map_vfs=All',
        'no-value': 'max_vfs',
        'empty-value': 'max_vfs=',
        'twice': 'max_vfs=3,max_vfs=3',
        'unknown-key': 'unknown=1',
        'list-value': 'max_vfs=[1,2]',
        'msg-cfg-max-0': 'vf_msg_cfg=0@120:180',
        'msg-cfg-max-big': 'vf_msg_cfg=4097@1:1',
        'msg-cfg-no-ignore': 'vf_msg_cfg=80@120',
        'msg-cfg-period-0': 'vf_msg_cfg=80@0:180',
        'msg-cfg-extra': 'vf_msg_cfg=80@120:180:1',
        'two-equals': 'max_vfs=1=2',
    }
    s = {'ok-' + k: v.encode() for k, v in good.items()}
    s.update({'bad-' + k: v.encode() for k, v in bad.items()})
    return s


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                              'corpus')
    targets = {
        'fuzz_channel_request': request_seeds(),
        'fuzz_channel_attach': attach_seeds(),
        'fuzz_block_read': block_read_seeds(),
        'fuzz_pf_devargs': devargs_seeds(),
    }
    for target, seeds in targets.items():
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
        print(f'{d}: {len(seeds)} seeds')


if __name__ == '__main__':
    main()
