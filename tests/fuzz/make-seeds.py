#!/usr/bin/env python3
"""Write the fuzz harnesses' seed corpora (tests/fuzz/NAME/seed-*).

The seeds are committed; run this again only to change them:
    python3 tests/fuzz/make-seeds.py
Each seed is a small valid input that reaches the interesting paths, so
that the fuzzer starts from deep inside the parser (tests/fuzz/README.md
documents every input format).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
RAM = 0x80000000


def put(harness, name, data):
    d = os.path.join(HERE, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def elf(segments, entry, symbols=(), etype=2):
    """An ELF64 riscv64 executable: segments [(paddr, bytes, memsz)],
    symbols [(name, value, shndx)] in a SHT_SYMTAB."""
    ehsize, phsize, shsize = 64, 56, 64
    phoff = ehsize
    data_off = phoff + phsize * len(segments)
    body = b""
    phdrs = b""
    for paddr, blob, memsz in segments:
        off = data_off + len(body)
        phdrs += struct.pack("<IIQQQQQQ", 1, 5, off, paddr, paddr, len(blob), memsz, 8)
        body += blob
    strtab = b"\0"
    syms = b"\0" * 24
    for name, value, shndx in symbols:
        syms += struct.pack("<IBBHQQ", len(strtab), 0x10, 0, shndx, value, 0)
        strtab += name.encode() + b"\0"
    sym_off = data_off + len(body)
    str_off = sym_off + len(syms)
    sh_off = str_off + len(strtab)
    shdrs = b"\0" * shsize
    shdrs += struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, sym_off, len(syms), 2, 1, 8, 24)
    shdrs += struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, str_off, len(strtab), 0, 0, 1, 0)
    ident = b"\x7fELF" + bytes([2, 1, 1]) + b"\0" * 9
    eh = ident + struct.pack("<HHIQQQIHHHHHH", etype, 243, 1, entry, phoff, sh_off, 0,
                             ehsize, phsize, len(segments), shsize, 3, 0)
    return eh + phdrs + body + syms + strtab + shdrs


def loader():
    code = bytes.fromhex("9302a00073001000")   # li t0,10; ebreak
    put("loader", "elf", elf([(RAM, code, 0x100)], RAM,
                             [("_start", RAM, 1), ("tohost", RAM + 0x40, 1), ("abs", 5, 0xfff1)]))
    put("loader", "elf-2seg", elf([(RAM, code, 8), (RAM + 0x1000, b"data", 0x2000)], RAM))
    put("loader", "elf-dyn", elf([(RAM + 0x200000, code, 8)], RAM + 0x200000, etype=3))
    put("loader", "raw", code * 4)
    put("loader", "truncated", elf([(RAM, code, 8)], RAM)[:70])


def machine_file():
    base = ("[machine]\nname=t\nfrontend=riscv64\nram-base=0x80000000\nram-size=16M\n\n"
            "[device uart0]\ntype=ns16550a\nreg=0x10000000,0x100\n")
    put("machine-file", "plain", base)
    put("machine-file", "include", "[machine]\ninclude=f1.machine\nname=over\n\n"
        "[device uart0]\nclock-frequency=1000\n\n[device rtc]\ntype=goldfish_rtc\n%%\n" + base)
    put("machine-file", "include-name", "[machine]\ninclude=virt\n\n[device virtio7]\ntype=none\n")
    put("machine-file", "nested", "[machine]\ninclude=f1.machine\n%%\n[machine]\ninclude=f2.machine\n"
        "%%\n[machine]\ninclude=f3.machine\n%%\n" + base)
    put("machine-file", "cycle", "[machine]\ninclude=f1.machine\n%%\n[machine]\ninclude=f0.machine\n")
    put("machine-file", "empty-group", "[machine]\ninclude=f1.machine\n[device x]\n%%\n" + base)


def cmdline():
    opts = ["virt", "tcg,thread=multi,tb-size=16,backend=interp,opt=off,atomics=exclusive",
            "4,cpus=4", "256M", "shift=3,sleep=off", "in_asm,int,guest_errors",
            "0x80000000..0x80001000,0x80000000+0x10,0x80001000-0x10",
            "file=disk.img,if=none,id=d0,readonly=on", "virtio-rng,id=rng",
            "ns16550a,help", "rv64,ztso=on,lrsc=strict"]
    for i, a in enumerate(opts):
        put("cmdline", "%02d" % i, bytes([i]) + a.encode())
    put("cmdline", "machine-dumpdtb", b"\x00virt,dumpdtb=x.dtb")
    put("cmdline", "device-blk", b"\x08virtio-blk,drive=d0")
    put("cmdline", "m-size", b"\x03size=1G")


def gdbstub():
    pkts = ["qSupported:multiprocess+;xmlRegisters=riscv", "?", "qfThreadInfo", "qsThreadInfo",
            "qC", "qAttached", "qXfer:features:read:target.xml:0,ffb", "Hg2", "g", "p20",
            "P1=0100000000000000", "m80000000,40", "M80000000,4:13000000",
            "X80000010,2:ab", "Z0,80000000,4", "z0,80000000,4", "Z2,80000100,8",
            "z2,80000100,8", "qThreadExtraInfo,1", "T2", "vCont?", "vMustReplyEmpty",
            "Hc1", "s", "?", "D"]
    put("gdbstub", "session", b"\x00" + "\n".join(pkts).encode())
    put("gdbstub", "continue", b"\x00vCont;s:1;c\n?\nc")
    put("gdbstub", "G", b"\x00G" + b"00" * 8 * 33)
    raw = b"+$qSupported#37+$?#3f\x03$g#67-$k#6b"
    put("gdbstub", "raw", b"\x01" + raw)


def monitor():
    put("monitor", "all", b"\x01c" + b"help\r info   registers\rinfo cpus\rinfo mtree\r"
        b"info jit\rinfo status\rinfo\rcpu 1\rinfo registers\rcpu 9\rstop\rinfo status\r"
        b"cont\rsystem_reset\rbogus\rab\x7f\x08c\r\x01c" + b"hi\x01a\x01h\x01x")
    put("monitor", "quit", b"\x01cq\n")


def mmio():
    rec = b""
    for region in range(16):
        for off in (0, 4, 8, 0x10, 0x70, 0x100):
            rec += bytes([region, 4]) + struct.pack("<IQ", off, 0)
        rec += bytes([region, 5]) + struct.pack("<IQ", 0x70, 3)
        rec += bytes([region, 7]) + struct.pack("<IQ", 0x4000, 0xffffffffffffffff)
    put("mmio", "sweep", rec)
    # the PLIC: priority, enable, threshold, claim, complete
    plic = b""
    for off, val, w in ((0x28, 1, 1), (0x2000, 0x400, 1), (0x200000, 0, 1),
                        (0x200004, 0, 0), (0x200004, 10, 1)):
        plic += bytes([4, 4 | w]) + struct.pack("<IQ", off, val)
    put("mmio", "plic", plic)


def mmio_arm():
    def rec(index, op, off, val):
        return bytes([index, op]) + struct.pack("<IQ", off, val)

    # every region: the first registers and the ID registers, read
    sweep = b""
    for region in range(8):
        for off in (0, 4, 8, 0xc, 0x18, 0x100, 0xfe0, 0xfe8):
            sweep += rec(region, 4, off, 0)
    put("mmio-arm", "sweep", sweep)
    # the UART's TX interrupt through the GIC to vCPU 0: distributor and
    # CPU interface on, SPI 33 (priority, target, enable), loopback,
    # TXIM, a character, then IAR and EOIR
    gic = (rec(0, 5, 0, 1) + rec(1, 5, 0, 1) + rec(1, 5, 4, 0xf0) +
           rec(0, 1, 0x400 + 33, 0x80) + rec(0, 1, 0x800 + 33, 1) +
           rec(0, 5, 0x104, 2) + rec(2, 5, 0x30, 0x381) + rec(2, 5, 0x38, 0x20) +
           rec(2, 5, 0, 0x41) + rec(1, 4, 0xc, 0) + rec(1, 5, 0x10, 33) +
           rec(0, 5 | 0x40, 0xf00, 0x10001))
    put("mmio-arm", "gic", gic)
    # vCPU 1's physical timer due at once, its PPI enabled, then IAR
    timer = (rec(0, 5, 0, 1) + rec(1, 5 | 0x40, 0, 1) + rec(1, 5 | 0x40, 4, 0xf0) +
             rec(0, 5 | 0x40, 0x100, 1 << 30) + rec(5, 9 | 0x10 | 0x40, 0, 0) +
             rec(4, 9 | 0x10 | 0x40, 0, 1) + rec(4, 8 | 0x10 | 0x40, 0, 0) +
             rec(1, 4 | 0x40, 0xc, 0) + rec(9, 9, 0, 0x303) + rec(1, 8, 0, 0))
    put("mmio-arm", "timer", timer)


def virtio():
    def desc(addr, length, flags, nxt):
        return struct.pack("<QIHH", addr, length, flags, nxt)

    def image(descs, heads, buffers):
        ram = bytearray(0x3000)
        t = b"".join(descs)
        ram[0:len(t)] = t
        avail = struct.pack("<HH", 0, len(heads)) + b"".join(struct.pack("<H", h) for h in heads)
        ram[0x1000:0x1000 + len(avail)] = avail
        for off, blob in buffers:
            if len(ram) < off + len(blob):
                ram.extend(b"\0" * (off + len(blob) - len(ram)))
            ram[off:off + len(blob)] = blob
        return bytes(ram)

    B = RAM + 0x3000
    NEXT, WRITE, INDIRECT = 1, 2, 4
    # virtio-blk read of sector 1, then a write of sector 2, then GET_ID
    blk = image([desc(B, 16, NEXT, 1), desc(B + 0x100, 512, NEXT | WRITE, 2),
                 desc(B + 0x400, 1, WRITE, 0),
                 desc(B + 0x10, 16, NEXT, 4), desc(B + 0x600, 512, NEXT, 5),
                 desc(B + 0x401, 1, WRITE, 0),
                 desc(B + 0x20, 16, NEXT, 7), desc(B + 0x800, 20, NEXT | WRITE, 8),
                 desc(B + 0x402, 1, WRITE, 0)],
                [0, 3, 6],
                [(0x3000, struct.pack("<IIQ", 0, 0, 1)), (0x3010, struct.pack("<IIQ", 1, 0, 2)),
                 (0x3020, struct.pack("<IIQ", 8, 0, 0)), (0x3600, b"w" * 512)])
    put("virtio", "blk", bytes([0, 3, 0, 0]) + blk)
    put("virtio", "rng", bytes([1, 2, 1, 0]) + image([desc(B, 64, WRITE, 0)], [0], []))
    ind = image([desc(B + 0x1000, 48, INDIRECT, 0)], [0],
                [(0x4000, desc(B, 16, NEXT, 1) + desc(B + 0x100, 512, NEXT | WRITE, 2) +
                  desc(B + 0x400, 1, WRITE, 0)), (0x3000, struct.pack("<IIQ", 0, 0, 3))])
    put("virtio", "blk-indirect", bytes([2, 3, 0, 0]) + ind)


loader()
machine_file()
cmdline()
gdbstub()
monitor()
mmio()
mmio_arm()
virtio()
