#!/usr/bin/env python3
"""Regenerate a64_simd_sweep.inc: the expected hash of each group and the
exclusion list, from QEMU's results and loom's.

    tests/guest/aarch64-isa/gen-simd-sweep.py [LOOM]     (LOOM=./loom)

Builds a64_simd_sweep.S with -DGEN -DVERBOSE and an empty exclusion list,
runs it on qemu-system-aarch64 (-cpu max) and on loom, and compares the
hashes encoding by encoding.  Encodings that loom leaves undefined and
QEMU does not become the exclusion list (as few value/mask cubes as a
greedy merge finds); any other difference is printed and stops the
script: loom has a bug there (or QEMU).  The groups and the inputs stay
as the current .inc has them.  Run it again when the front-end defines
more of the AdvSIMD space (FP), to shrink the exclusion list.
"""
import os, re, shutil, subprocess, sys, tempfile

SRC = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(SRC, '../../..'))
INC = os.path.join(SRC, 'a64_simd_sweep.inc')
LOOM = sys.argv[1] if len(sys.argv) > 1 else './loom'
CC = os.environ.get('AARCH64_CC', 'aarch64-linux-gnu-gcc')
K, M64 = 0x9e3779b97f4a7c15, (1 << 64) - 1


def subsets(mask):
    x = 0
    while True:
        yield x
        x = (x - mask) & mask
        if x == 0:
            return


def read_inc():
    text = open(INC).read()
    groups = re.findall(r'\.word 0x([0-9a-f]+), 0x([0-9a-f]+)\s+/\* (.*?) \*/', text)
    inputs = text.split('inputs:\n')[1]
    return [(int(b, 16), int(m, 16), name) for b, m, name in groups], inputs


def write_inc(groups, expected, cubes, inputs):
    with open(INC, 'w') as o:
        o.write("/* a64_simd_sweep's data, generated from QEMU's results by\n"
                "   gen-simd-sweep.py: the groups (base, mask of the bits swept),\n"
                "   the expected hash of each, the exclusion list (value, mask) and\n"
                "   the four input sets (V0-V4) */\ngroups:\n")
        for b, m, name in groups:
            o.write('    .word 0x%08x, 0x%08x     /* %s */\n' % (b, m, name))
        o.write('groups_end:\nexpected:\n')
        for e in expected:
            o.write('    .quad 0x%016x\n' % e)
        o.write('excluded:\n')
        for v, m in cubes:
            o.write('    .word 0x%08x, 0x%08x\n' % (v, m))
        o.write('excluded_end:\n    .balign 16\ninputs:\n' + inputs)


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True, timeout=1800).stdout


def hashes(out):
    d = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and p[0] == 'V' and int(p[3], 16) == 0:
            d[int(p[1], 16)] = int(p[2], 16)
    return d


def main():
    groups, inputs = read_inc()
    saved = open(INC).read()
    tmp = tempfile.mkdtemp()
    elf = os.path.join(tmp, 'sweep.elf')
    try:
        write_inc(groups, [0] * len(groups), [], inputs)
        subprocess.run([CC, '-DGEN', '-DVERBOSE', '-march=armv8.3-a', '-nostdlib',
                        '-nostartfiles', '-static', '-ffreestanding', '-I' + SRC, '-T',
                        os.path.join(SRC, 'link.ld'), '-o', elf,
                        os.path.join(SRC, 'common.S'), os.path.join(SRC, 'a64_simd_sweep.S')],
                       check=True)
    finally:
        open(INC, 'w').write(saved)
    q = hashes(run(['qemu-system-aarch64', '-M', 'virt', '-cpu', 'max', '-semihosting',
                    '-nographic', '-nic', 'none', '-monitor', 'none', '-serial', 'none',
                    '-kernel', elf]))
    machine = os.path.join(TOP, 'tests/fixtures/machines/aarch64-bare.machine')
    lo = hashes(run([LOOM, '-M', machine, '-semihosting', '-kernel', elf]))
    shutil.rmtree(tmp)
    if not q or set(q) != set(lo):
        sys.exit('the runs did not finish (%d encodings from QEMU, %d from loom)' % (len(q), len(lo)))
    bad = sorted(e for e in q if q[e] != lo[e] and lo[e] != 0xdead)
    if bad:
        sys.exit('loom and QEMU differ on: ' + ' '.join('%08x' % e for e in bad[:50]))
    excl = {e for e in q if lo[e] == 0xdead and q[e] != 0xdead}
    # the exclusion list: grow a cube around each excluded encoding, one
    # swept bit at a time, while every encoding in it is excluded
    cubes, covered = [], set()
    for base, mask, _ in groups:
        for x in subsets(mask):
            e = base | x
            if e not in excl or e in covered:
                continue
            free = 0
            for bit in reversed(range(32)):
                bb = 1 << bit
                if mask & bb and all(((e & ~(free | bb)) | y) in excl for y in subsets(free | bb)):
                    free |= bb
            covered.update((e & ~free) | y for y in subsets(free))
            cubes.append((e & ~free, ~free & 0xffffffff))
    expected = []
    for base, mask, _ in groups:
        h = 0
        for x in subsets(mask):
            e = base | x
            if not any((e & m) == v for v, m in cubes):
                h = h ^ q[e]
                h = (h * K) & M64
                h = ((h >> 31) | (h << 33)) & M64
        expected.append(h)
    write_inc(groups, expected, cubes, inputs)
    print('%d encodings, %d excluded in %d cubes' % (len(q), len(excl), len(cubes)))


main()
