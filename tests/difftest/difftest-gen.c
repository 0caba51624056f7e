/*
 * difftest-gen.c - random straight-line RV64GC sequences for the
 * differential test (tests/difftest/README.md).
 *
 * Writes one assembly file holding COUNT sequences, numbered FIRST ..
 * FIRST+COUNT-1.  Sequence K depends only on (SEED, K, LEN, options), so
 * any sequence can be rebuilt alone, in any image.  Each sequence is:
 *
 *   - a state block in .data: the body's address, x1..x31, f0..f31,
 *     fcsr and the 512-byte scratch area, all drawn from the PRNG
 *     (runtime.S loads it and enters the body with mret);
 *   - the body in .text: LEN random units (one instruction, or a few that
 *     belong together: an LR/SC pair, a forward branch, a jump through a
 *     register), bracketed by "# seq K begin" / "# seq K end" lines;
 *   - a tail that saves x30/x31 and jumps to dt_save_state with x31 =
 *     the next block.
 *
 * Conventions the body keeps (so every run is deterministic, and an M
 * body never traps): x2 (sp) = scratch + 256 and x8 (s0) = scratch +
 * 128 are never written (c.addi16sp comes as a +/- pair); every memory
 * access of the M groups goes through them (or a register just set from
 * sp) with an offset that stays in the scratch area and is aligned to
 * its size; frm only ever holds 0..4 (no CSR write can put 5..7 there);
 * branches and jumps only go forward inside the body.
 *
 * With -P each sequence runs in M, S or U (its "setup", drawn from a
 * stream of its own: privilege, medeleg, mstatus FS/SUM/MXR and the
 * PTEs of the eight test pages, runtime.S).  S and U bodies add groups
 * that trap: loads, stores, AMOs and LR/SC (32-bit and compressed)
 * through the test pages, unmapped and non-canonical addresses; CSR
 * accesses (S CSRs, M CSRs, counters, CSRs nobody has); ecall, ebreak,
 * c.ebreak, illegal encodings, mret, sret (in U), sfence.vma; and with
 * -m misaligned accesses.  Their tail is a jump to DT_EXIT, whose fetch
 * fault the runtime ends them with.
 *
 * The file is assembled with -march=rv64gc_zba_zbb_zbs and .option norvc
 * (32-bit forms stay 32-bit); compressed forms are written explicitly
 * between .option rvc / .option norvc.  Zicond is written as .insn
 * (binutils 2.40 lacks it), with the mnemonic in a comment.
 *
 * Usage: difftest-gen [-s SEED] [-f FIRST] [-n COUNT] [-l LEN]
 *                     [-F FULL] [-k K -x SKIPS] [-Q] [-o FILE]
 *   -F FULL   sequence index whose whole final state is printed (the
 *             layout does not change: only a data word does)
 *   -k/-x     in sequence K leave out the units listed in SKIPS
 *             (comma-separated unit numbers; for reducing a mismatch)
 *   -P        sequences in M, S or U (see above); without it all in M
 *   -m        misaligned loads, stores and AMOs (S and U sequences)
 *   -Q        QEMU 7.2 subset: no Zicond (it lacks it), no counter reads
 *             in M (its instret counts host ticks), no ctzw (it returns
 *             ctz of the 64-bit value when the low word is 0), no AMOs
 *             whose load half faults (it raises load faults), sepc only
 *             written with even values (it keeps bit 0), FS only Dirty
 *             or Off (it does not dirty FS when only fflags change), and
 *             breakpoints leave tval 0 (dt_bp_tval_zero: it writes 0
 *             where loom writes the pc; the spec allows both)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "difftest-lib.h"

#define SCRATCH_BYTES 512

/* an f register's 64 bits: mostly NaN-boxed singles or doubles */
static uint64_t rnd_fp_reg(void)
{
    switch (rnd(5)) {
    case 0:
    case 1:
        return 0xffffffff00000000ull | rnd_single_bits();
    case 2:
    case 3:
        return rnd_double_bits();
    default:
        return rng_next();          /* often an improperly boxed single */
    }
}

/* ---- options ------------------------------------------------------- */

static int qemu_subset;  /* -Q */
static int priv_mode;    /* -P: sequences in M, S or U */
static int misaligned;   /* -m: misaligned accesses (S/U sequences) */
static int no_branches;  /* this sequence has no branches or jumps */

/* ---- a sequence's privilege setup (own PRNG stream: the block and the
 * body both need it) */

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3
#define NTEST_PAGES 8
#define TEST_VA 0x10000ull      /* test page p at TEST_VA + 4096 p */
#define U_ALIAS 0x40000000ull   /* a U body runs at its address - U_ALIAS */
#define PTE_V 0x1
#define PTE_R 0x2
#define PTE_W 0x4
#define PTE_X 0x8
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define PTE_TO_PMP (1ull << 10)         /* runtime.S dt_targets[1] */
#define PTE_TO_NOMEM (2ull << 10)       /* dt_targets[2] */
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_FS_SHIFT 13

static struct {
    int priv;
    uint64_t medeleg;
    uint64_t mstatus;           /* FS, SUM, MXR */
    uint64_t pte[NTEST_PAGES];
} sc;

static void pick_setup(uint64_t seed, int k)
{
    static const uint64_t any_page[] = {
        0,                                              /* invalid */
        PTE_V | PTE_R | PTE_A | PTE_D,                  /* read-only */
        PTE_V | PTE_R | PTE_W | PTE_A | PTE_D,
        PTE_V | PTE_X | PTE_A | PTE_D,                  /* execute-only: MXR reads it */
        PTE_V | PTE_W | PTE_A | PTE_D,                  /* W without R: reserved */
        PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D,
        PTE_V | PTE_R | PTE_W,                          /* A and D set by the walk */
        PTE_V | PTE_R | PTE_W | PTE_A,                  /* D set by a store */
        PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_TO_PMP,     /* access fault */
        PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_TO_NOMEM,   /* access fault */
        PTE_V,                                          /* pointer at level 0 */
        PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | (1ull << 60),   /* reserved bit */
    };
    uint64_t save = rng_state;

    rng_state = seed ^ ((uint64_t)k * 0x9fb21c651e98df25ull) ^ 0x243f6a8885a308d3ull;
    rng_next();
    memset(&sc, 0, sizeof(sc));
    sc.priv = PRV_M;
    sc.mstatus = 3ull << MSTATUS_FS_SHIFT;
    if (priv_mode) {
        unsigned r = rnd(3);
        sc.priv = r == 0 ? PRV_M : r == 1 ? PRV_S : PRV_U;
    }
    if (sc.priv != PRV_M) {
        uint64_t u = sc.priv == PRV_U ? PTE_U : 0;
        /* delegable causes but 12 (the exit fault): 0..9, 13, 15 */
        switch (rnd(3)) {
        case 0: sc.medeleg = 0; break;
        case 1: sc.medeleg = 0xa3ff; break;
        default: sc.medeleg = rng_next() & 0xa3ff; break;
        }
        if (!qemu_subset && rnd(4) == 0)
            sc.mstatus = (uint64_t)(1 + rnd(2)) << MSTATUS_FS_SHIFT;   /* Initial, Clean */
        if (rnd(2))
            sc.mstatus |= MSTATUS_SUM;
        if (rnd(3) == 0)
            sc.mstatus |= MSTATUS_MXR;
        /* page 0 (sp, s0): readable and writable in this mode */
        if (sc.priv == PRV_S && (sc.mstatus & MSTATUS_SUM) && !qemu_subset && rnd(2))
            u = PTE_U;
        sc.pte[0] = PTE_V | PTE_R | PTE_W | u;
        switch (rnd(3)) {
        case 0: sc.pte[0] |= PTE_A | PTE_D; break;
        case 1: sc.pte[0] |= PTE_A; break;
        default: break;
        }
        for (int p = 1; p < NTEST_PAGES; p++) {
            unsigned n = sizeof(any_page) / sizeof(any_page[0]);
            uint64_t v = any_page[rnd(n)];
            /* the U bit mostly as the mode wants, sometimes not */
            if (v && (rnd(5) == 0 ? sc.priv != PRV_U : sc.priv == PRV_U))
                v |= PTE_U;
            sc.pte[p] = v;
        }
    }
    rng_state = save;
}

/* Any register the body may write (never x2 = sp or x8 = s0); x0 sometimes. */
static int rd_any(void)
{
    for (;;) {
        int r = (int)rnd(32);
        if (r == 2 || r == 8)
            continue;
        if (r == 0 && rnd(4))
            continue;
        return r;
    }
}

/* Writable and not x0. */
static int rd_nz(void)
{
    int r;
    do
        r = rd_any();
    while (r == 0);
    return r;
}

/* Any source register, x0/sp/s0 included; x0 more often than the rest
 * (x + 0, x & 0, x0 as divisor... are what optimisers special-case). */
static int rs_any(void)
{
    return rnd(10) == 0 ? 0 : (int)rnd(32);
}

/* Register operands of an rd, rs1, rs2 instruction, sometimes aliased
 * (x - x, x ^ x, rd == rs1: identities and in-place updates). */
static void rr_operands(int *d, int *a, int *b)
{
    *d = rd_any();
    *a = rs_any();
    *b = rs_any();
    switch (rnd(8)) {
    case 0: *b = *a; break;
    case 1: if (*d) *a = *d; break;
    case 2: if (*d) *a = *b = *d; break;
    default: break;
    }
}

/* Compressed register (x8..x15) writable: not s0. */
static int rdc(void)
{
    return 9 + (int)rnd(7);
}

static int rsc(void)
{
    return 8 + (int)rnd(8);
}

static const char *rm_name(void)
{
    static const char *const rms[] = { "rne", "rtz", "rdn", "rup", "rmm", "dyn" };
    return rms[rnd(6)];
}

/* ---- instruction groups ---------------------------------------------- */

static void gen_alu(void)
{
    static const char *const rr[] = {
        "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
        "addw", "subw", "sllw", "srlw", "sraw",
    };
    static const char *const ri[] = { "addi", "slti", "sltiu", "xori", "ori", "andi", "addiw" };
    static const char *const sh[] = { "slli", "srli", "srai" };
    static const char *const shw[] = { "slliw", "srliw", "sraiw" };

    int d, a, b;
    rr_operands(&d, &a, &b);
    switch (rnd(7)) {
    case 0:
    case 1:
        emit("\t%s x%d, x%d, x%d\n", rr[rnd(15)], d, a, b);
        break;
    case 2:
        emit("\t%s x%d, x%d, %ld\n", ri[rnd(7)], rd_any(), rs_any(),
             rnd(3) ? rnd_range(-2048, 2047) : rnd_range(-3, 3));
        break;
    case 3:
        if (rnd(2))
            emit("\t%s x%d, x%d, %u\n", sh[rnd(3)], rd_any(), rs_any(), rnd(64));
        else
            emit("\t%s x%d, x%d, %u\n", shw[rnd(3)], rd_any(), rs_any(), rnd(32));
        break;
    case 4:
        emit("\tlui x%d, 0x%x\n", rd_any(), rnd(1u << 20));
        break;
    case 5:
        emit("\tauipc x%d, 0x%x\n", rd_any(), rnd(1u << 20));
        break;
    default:    /* a constant the translator can see: lui+addi... or li */
        emit("\tli x%d, 0x%llx\n", rd_nz(), (unsigned long long)rnd_int_value());
        break;
    }
}

static void gen_mul(void)
{
    static const char *const ops[] = {
        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
        "mulw", "divw", "divuw", "remw", "remuw",
    };
    int d, a, b;
    rr_operands(&d, &a, &b);
    emit("\t%s x%d, x%d, x%d\n", ops[rnd(13)], d, a, b);
}

/* An offset from sp, 'size'-aligned, inside the scratch area. */
static long sp_offset(int size)
{
    return rnd_range(-256 / size, 256 / size - 1) * size;
}

static const char *aqrl(void)
{
    static const char *const s[] = { "", ".aq", ".rl", ".aqrl" };
    return s[rnd(4)];
}

static void gen_atomic(void)
{
    static const char *const amo[] = {
        "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
        "amominu", "amomaxu",
    };
    int d = rnd(2);
    const char *w = d ? ".d" : ".w";
    int size = d ? 8 : 4;

    int t = rd_nz();
    long off = sp_offset(size);
    emit("\taddi x%d, x2, %ld\n", t, off);
    if (rnd(3)) {
        emit("\t%s%s%s x%d, x%d, (x%d)\n", amo[rnd(9)], w, aqrl(), rd_any(), rs_any(), t);
        return;
    }
    /* LR then SC: usually to the same address (succeeds), sometimes to
     * another one or with no LR (fails).  t is set again before the SC
     * since the LR may have overwritten it. */
    if (rnd(4))
        emit("\tlr%s%s x%d, (x%d)\n", w, aqrl(), rd_any(), t);
    if (rnd(4) == 0)
        off = sp_offset(size);
    emit("\taddi x%d, x2, %ld\n", t, off);
    emit("\tsc%s%s x%d, x%d, (x%d)\n", w, aqrl(), rd_any(), rs_any(), t);
}

static void gen_mem(void)
{
    static const struct { const char *op; int size; int store; int fp; } m[] = {
        { "lb", 1, 0, 0 }, { "lh", 2, 0, 0 }, { "lw", 4, 0, 0 }, { "ld", 8, 0, 0 },
        { "lbu", 1, 0, 0 }, { "lhu", 2, 0, 0 }, { "lwu", 4, 0, 0 },
        { "sb", 1, 1, 0 }, { "sh", 2, 1, 0 }, { "sw", 4, 1, 0 }, { "sd", 8, 1, 0 },
        { "flw", 4, 0, 1 }, { "fld", 8, 0, 1 }, { "fsw", 4, 1, 1 }, { "fsd", 8, 1, 1 },
    };
    int i = (int)rnd(15);
    int size = m[i].size;
    int base;
    long off;

    /* sp = scratch + 256, s0 = scratch + 128 */
    if (rnd(2)) {
        base = 2;
        off = rnd_range(-256 / size, 256 / size - 1) * size;
    } else {
        base = 8;
        off = rnd_range(-128 / size, 384 / size - 1) * size;
    }
    if (m[i].fp)
        emit("\t%s f%u, %ld(x%d)\n", m[i].op, rnd(32), off, base);
    else if (m[i].store)
        emit("\t%s x%d, %ld(x%d)\n", m[i].op, rs_any(), off, base);
    else
        emit("\t%s x%d, %ld(x%d)\n", m[i].op, rd_any(), off, base);
}

static void gen_fp(void)
{
    static const char *const arith[] = { "fadd", "fsub", "fmul", "fdiv" };
    static const char *const fma[] = { "fmadd", "fmsub", "fnmsub", "fnmadd" };
    static const char *const sgn[] = { "fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax" };
    static const char *const cmp[] = { "feq", "flt", "fle" };
    static const char *const ity[] = { "w", "wu", "l", "lu" };
    const char *p = rnd(2) ? ".d" : ".s";
    unsigned fd = rnd(32), f1 = rnd(32), f2 = rnd(32), f3 = rnd(32);

    /* repeated sources make x op x cases (x - x, x * x) */
    if (rnd(6) == 0)
        f2 = f1;
    switch (rnd(12)) {
    case 0:
    case 1:
        emit("\t%s%s f%u, f%u, f%u, %s\n", arith[rnd(4)], p, fd, f1, f2, rm_name());
        break;
    case 2:
        emit("\tfsqrt%s f%u, f%u, %s\n", p, fd, f1, rm_name());
        break;
    case 3:
        emit("\t%s%s f%u, f%u, f%u, f%u, %s\n", fma[rnd(4)], p, fd, f1, f2, f3, rm_name());
        break;
    case 4:
        emit("\t%s%s f%u, f%u, f%u\n", sgn[rnd(5)], p, fd, f1, f2);
        break;
    case 5:
        emit("\t%s%s x%d, f%u, f%u\n", cmp[rnd(3)], p, rd_any(), f1, f2);
        break;
    case 6:
        emit("\tfclass%s x%d, f%u\n", p, rd_any(), f1);
        break;
    case 7:     /* float to integer */
        emit("\tfcvt.%s%s x%d, f%u, %s\n", ity[rnd(4)], p, rd_any(), f1, rm_name());
        break;
    case 8: {   /* integer to float (exact for w/wu to d: no rm operand) */
        const char *it = ity[rnd(4)];
        if (p[1] == 'd' && it[0] == 'w')
            emit("\tfcvt.d.%s f%u, x%d\n", it, fd, rs_any());
        else
            emit("\tfcvt%s.%s f%u, x%d, %s\n", p, it, fd, rs_any(), rm_name());
        break;
    }
    case 9:
        if (rnd(2))
            emit("\tfcvt.s.d f%u, f%u, %s\n", fd, f1, rm_name());
        else
            emit("\tfcvt.d.s f%u, f%u\n", fd, f1);
        break;
    case 10:
        switch (rnd(4)) {
        case 0: emit("\tfmv.x.w x%d, f%u\n", rd_any(), f1); break;
        case 1: emit("\tfmv.w.x f%u, x%d\n", fd, rs_any()); break;
        case 2: emit("\tfmv.x.d x%d, f%u\n", rd_any(), f1); break;
        default: emit("\tfmv.d.x f%u, x%d\n", fd, rs_any()); break;
        }
        break;
    default:    /* fcsr accesses that keep frm in 0..4 */
        switch (rnd(7)) {
        case 0: emit("\tfsrmi x%d, %u\n", rd_any(), rnd(5)); break;
        case 1: emit("\tfsflagsi x%d, %u\n", rd_any(), rnd(32)); break;
        case 2: emit("\tfrflags x%d\n", rd_any()); break;
        case 3: emit("\tfrcsr x%d\n", rd_any()); break;
        case 4: emit("\tcsrrs x%d, fflags, x%d\n", rd_any(), rs_any()); break;
        case 5: emit("\tcsrrc x%d, frm, x%d\n", rd_any(), rs_any()); break;
        default: emit("\tfsflags x%d, x%d\n", rd_any(), rs_any()); break;
        }
        break;
    }
}

static void gen_bitmanip(void)
{
    static const char *const rr[] = {
        "add.uw", "sh1add", "sh2add", "sh3add", "sh1add.uw", "sh2add.uw", "sh3add.uw",
        "andn", "orn", "xnor", "max", "maxu", "min", "minu", "rol", "rolw", "ror",
        "rorw", "bclr", "bext", "binv", "bset",
    };
    static const char *const r1[] = {
        "clz", "clzw", "ctz", "ctzw", "cpop", "cpopw", "sext.b", "sext.h", "zext.h",
        "orc.b", "rev8",
    };
    static const char *const ri[] = { "slli.uw", "rori", "bclri", "bexti", "binvi", "bseti" };

    switch (rnd(5)) {
    case 0:
    case 1:
    {
        int d, a, b;
        rr_operands(&d, &a, &b);
        emit("\t%s x%d, x%d, x%d\n", rr[rnd(22)], d, a, b);
    }
        break;
    case 2:
    {
        const char *op = r1[rnd(11)];
        if (qemu_subset && !strcmp(op, "ctzw"))
            op = "ctz";
        emit("\t%s x%d, x%d\n", op, rd_any(), rs_any());
    }
        break;
    case 3:
        if (rnd(5) == 0)
            emit("\troriw x%d, x%d, %u\n", rd_any(), rs_any(), rnd(32));
        else
            emit("\t%s x%d, x%d, %u\n", ri[rnd(6)], rd_any(), rs_any(), rnd(64));
        break;
    default: {
        int nez = (int)rnd(2);
        int d = rd_any(), a = rs_any(), b = rs_any();
        if (qemu_subset)
            emit("\tand x%d, x%d, x%d\n", d, a, b);
        else
            emit("\t.insn r 0x33, %d, 7, x%d, x%d, x%d\t# czero.%s x%d, x%d, x%d\n",
                 nez ? 7 : 5, d, a, b, nez ? "nez" : "eqz", d, a, b);
        break;
    }
    }
}

static long nz_simm6(void)
{
    long v;
    do
        v = rnd_range(-32, 31);
    while (v == 0);
    return v;
}

static void gen_compressed(void)
{
    emit("\t.option rvc\n");
    switch (rnd(no_branches ? 24 : 26)) {
    case 0: emit("\tc.addi x%d, %ld\n", rd_nz(), nz_simm6()); break;
    case 1: emit("\tc.addiw x%d, %ld\n", rd_nz(), rnd_range(-32, 31)); break;
    case 2: emit("\tc.li x%d, %ld\n", rd_nz(), rnd_range(-32, 31)); break;
    case 3: {
        int r;
        do
            r = rd_nz();
        while (r == 2);
        long v = nz_simm6();
        emit("\tc.lui x%d, 0x%lx\n", r, v > 0 ? (unsigned long)v : (unsigned long)(0x100000 + v));
        break;
    }
    case 4: emit("\tc.slli x%d, %ld\n", rd_nz(), rnd_range(1, 63)); break;
    case 5: emit("\tc.srli x%d, %ld\n", rdc(), rnd_range(1, 63)); break;
    case 6: emit("\tc.srai x%d, %ld\n", rdc(), rnd_range(1, 63)); break;
    case 7: emit("\tc.andi x%d, %ld\n", rdc(), rnd_range(-32, 31)); break;
    case 8: {
        int s;
        do
            s = rs_any();
        while (s == 0);
        emit("\tc.mv x%d, x%d\n", rd_nz(), s);
        break;
    }
    case 9: {
        int s;
        do
            s = rs_any();
        while (s == 0);
        emit("\tc.add x%d, x%d\n", rd_nz(), s);
        break;
    }
    case 10: {
        static const char *const ops[] = { "c.and", "c.or", "c.xor", "c.sub", "c.addw", "c.subw" };
        emit("\t%s x%d, x%d\n", ops[rnd(6)], rdc(), rsc());
        break;
    }
    case 11: emit("\tc.lw x%d, %ld(x8)\n", rdc(), rnd_range(0, 31) * 4); break;
    case 12: emit("\tc.ld x%d, %ld(x8)\n", rdc(), rnd_range(0, 31) * 8); break;
    case 13: emit("\tc.sw x%d, %ld(x8)\n", rsc(), rnd_range(0, 31) * 4); break;
    case 14: emit("\tc.sd x%d, %ld(x8)\n", rsc(), rnd_range(0, 31) * 8); break;
    case 15: emit("\tc.lwsp x%d, %ld(x2)\n", rd_nz(), rnd_range(0, 63) * 4); break;
    case 16: emit("\tc.ldsp x%d, %ld(x2)\n", rd_nz(), rnd_range(0, 31) * 8); break;
    case 17: emit("\tc.swsp x%d, %ld(x2)\n", rs_any(), rnd_range(0, 63) * 4); break;
    case 18: emit("\tc.sdsp x%d, %ld(x2)\n", rs_any(), rnd_range(0, 31) * 8); break;
    case 19:
        if (rnd(2))
            emit("\tc.fld f%ld, %ld(x8)\n", rnd_range(8, 15), rnd_range(0, 31) * 8);
        else
            emit("\tc.fsd f%ld, %ld(x8)\n", rnd_range(8, 15), rnd_range(0, 31) * 8);
        break;
    case 20:
        if (rnd(2))
            emit("\tc.fldsp f%u, %ld(x2)\n", rnd(32), rnd_range(0, 31) * 8);
        else
            emit("\tc.fsdsp f%u, %ld(x2)\n", rnd(32), rnd_range(0, 31) * 8);
        break;
    case 21: emit("\tc.addi4spn x%d, x2, %ld\n", rdc(), rnd_range(1, 255) * 4); break;
    case 22: {
        long v = rnd_range(1, 31) * 16 * (rnd(2) ? 1 : -1);
        emit("\tc.addi16sp x2, %ld\n\tc.addi16sp x2, %ld\n", v, -v);
        break;
    }
    case 23: emit("\tc.nop\n"); break;
    case 24:
        emit("\t%s x%d, %s\n", rnd(2) ? "c.beqz" : "c.bnez", rsc(), fwd_label());
        break;
    default:
        emit("\tc.j %s\n", fwd_label());
        break;
    }
    emit("\t.option norvc\n");
}

static void gen_control(void)
{
    static const char *const br[] = { "beq", "bne", "blt", "bge", "bltu", "bgeu" };
    switch (rnd(6)) {
    case 0:
    case 1:
    case 2: {
        int a = rs_any(), b = rnd(4) ? rs_any() : a;
        emit("\t%s x%d, x%d, %s\n", br[rnd(6)], a, b, fwd_label());
        break;
    }
    case 3:
        emit("\tjal x%d, %s\n", rd_any(), fwd_label());
        break;
    default: {  /* through a register: la t, label; jalr / c.jr / c.jalr */
        int t = rd_nz();
        const char *l = fwd_label();
        emit("\tla x%d, %s\n", t, l);
        switch (rnd(3)) {
        case 0: emit("\tjalr x%d, 0(x%d)\n", rd_any(), t); break;
        case 1: emit("\t.option rvc\n\tc.jr x%d\n\t.option norvc\n", t); break;
        default: emit("\t.option rvc\n\tc.jalr x%d\n\t.option norvc\n", t); break;
        }
        break;
    }
    }
}

static void gen_misc(void)
{
    switch (qemu_subset ? 0 : rnd(3)) {
    case 0: emit("\tfence rw, rw\n"); break;
    case 1: emit("\trdinstret x%d\n", rd_any()); break;
    default: emit("\trdcycle x%d\n", rd_any()); break;
    }
}

/* ---- S and U sequences ------------------------------------------ */

/* A load, store, AMO or LR/SC through a register just set to an address
 * in the test pages (or one no page maps, or not canonical). */
static void gen_fault(void)
{
    static const struct { const char *op; int size; int store; int fp; } m[] = {
        { "lb", 1, 0, 0 }, { "lh", 2, 0, 0 }, { "lw", 4, 0, 0 }, { "ld", 8, 0, 0 },
        { "lbu", 1, 0, 0 }, { "lhu", 2, 0, 0 }, { "lwu", 4, 0, 0 },
        { "sb", 1, 1, 0 }, { "sh", 2, 1, 0 }, { "sw", 4, 1, 0 }, { "sd", 8, 1, 0 },
        { "flw", 4, 0, 1 }, { "fld", 8, 0, 1 }, { "fsw", 4, 1, 1 }, { "fsd", 8, 1, 1 },
    };
    uint64_t va;
    int size = 1 << rnd(4);
    unsigned kind = rnd(10);

    if (kind == 9 && qemu_subset)
        kind = 7;   /* QEMU 7.2 raises load faults for an AMO's load */
    if (kind >= 7)              /* AMO or LR/SC */
        size = rnd(2) ? 8 : 4;
    switch (rnd(12)) {
    case 0: va = 0x0000004000000000ull + TEST_VA; break;   /* not canonical */
    case 1: va = TEST_VA + 4096 * (NTEST_PAGES + rnd(8)); break;   /* no PTE */
    case 2: va = 0x100000000ull + TEST_VA; break;   /* no root entry */
    default: va = TEST_VA + 4096 * rnd(NTEST_PAGES); break;
    }
    va += (uint64_t)rnd(512 / size) * size;
    if (kind < 5) {             /* 32-bit load or store */
        int i;
        do
            i = (int)rnd(15);
        while (m[i].size != size && rnd(8));
        size = m[i].size;
        va &= ~(uint64_t)(size - 1);
        long off = rnd_range(-8, 8) * size;
        int t = rd_nz();
        emit("\tli x%d, 0x%llx\n", t, (unsigned long long)(va - (uint64_t)off));
        if (m[i].fp)
            emit("\t%s f%u, %ld(x%d)\n", m[i].op, rnd(32), off, t);
        else if (m[i].store)
            emit("\t%s x%d, %ld(x%d)\n", m[i].op, rs_any(), off, t);
        else
            emit("\t%s x%d, %ld(x%d)\n", m[i].op, rd_any(), off, t);
    } else if (kind < 7) {      /* compressed, base x9..x15 */
        static const char *const c[] = { "c.lw", "c.ld", "c.sw", "c.sd", "c.fld", "c.fsd" };
        int i = (int)rnd(6);
        int t = rdc();
        va &= ~7ull;
        emit("\tli x%d, 0x%llx\n", t, (unsigned long long)va);
        emit("\t.option rvc\n");
        if (i >= 4)
            emit("\t%s f%ld, 0(x%d)\n", c[i], rnd_range(8, 15), t);
        else if (i >= 2)
            emit("\t%s x%d, 0(x%d)\n", c[i], rsc(), t);
        else
            emit("\t%s x%d, 0(x%d)\n", c[i], rdc(), t);
        emit("\t.option norvc\n");
    } else {
        static const char *const amo[] = {
            "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
            "amominu", "amomaxu",
        };
        const char *w = size == 8 ? ".d" : ".w";
        int t = rd_nz();
        emit("\tli x%d, 0x%llx\n", t, (unsigned long long)va);
        if (kind == 7)
            emit("\tlr%s x%d, (x%d)\n\tli x%d, 0x%llx\n", w, rd_any(), t, t,
                 (unsigned long long)va);
        if (kind == 9)
            emit("\t%s%s%s x%d, x%d, (x%d)\n", amo[rnd(9)], w, aqrl(), rd_any(), rs_any(), t);
        else
            emit("\tsc%s x%d, x%d, (x%d)\n", w, rd_any(), rs_any(), t);
    }
}

/* CSR accesses: S CSRs (legal in S, illegal in U), M CSRs and counters
 * (illegal in both: mcounteren = 0), CSRs no hart has. */
static void gen_csr(void)
{
    static const char *const s_read[] = {
        "sstatus", "sie", "stvec", "scounteren", "sscratch", "sepc", "scause",
        "stval", "sip", "satp",
    };
    static const char *const s_write[] = { "sscratch", "sepc", "scause", "stval", "sie", "sip" };
    static const char *const m_csr[] = {
        "mstatus", "misa", "medeleg", "mie", "mtvec", "mscratch", "mepc", "mcause",
        "mtval", "mip", "mhartid", "pmpcfg0", "cycle", "time", "instret",
    };
    static const char *const rw[] = { "csrrw", "csrrs", "csrrc" };
    static const uint64_t sstatus_bits[] = {
        MSTATUS_SUM, MSTATUS_MXR, 3ull << MSTATUS_FS_SHIFT, 1ull << MSTATUS_FS_SHIFT,
        1ull << 8 /* SPP */, 1ull << 5 /* SPIE */, 1ull << 1 /* SIE */,
    };

    switch (rnd(8)) {
    case 0:
    case 1:
        emit("\tcsrr x%d, %s\n", rd_any(), s_read[rnd(10)]);
        break;
    case 2:
    case 3: {
        const char *c = s_write[rnd(6)];
        /* QEMU 7.2 keeps sepc[0]: it only gets even values from -Q */
        int even = qemu_subset && !strcmp(c, "sepc");
        if (rnd(3) == 0 || even)
            emit("\t%si x%d, %s, %u\n", rw[rnd(3)], rd_any(), c, rnd(32) & (even ? ~1u : ~0u));
        else
            emit("\t%s x%d, %s, x%d\n", rw[rnd(3)], rd_any(), c, rs_any());
        break;
    }
    case 4: {   /* sstatus: set or clear a few of the bits S may change */
        uint64_t mask = 0;
        int t = rd_nz();
        for (int i = (int)rnd(3); i >= 0; i--)
            mask |= sstatus_bits[rnd(7)];
        /* QEMU 7.2 leaves FS alone when an insn changes only fflags:
         * from -Q, FS is only ever Dirty or Off */
        if (qemu_subset && (mask & (3ull << MSTATUS_FS_SHIFT)))
            mask |= 3ull << MSTATUS_FS_SHIFT;
        emit("\tli x%d, 0x%llx\n\t%s x%d, sstatus, x%d\n", t, (unsigned long long)mask,
             rnd(2) ? "csrrs" : "csrrc", rd_any(), t);
        break;
    }
    case 5:
    case 6: {
        const char *c = m_csr[rnd(15)];
        if (rnd(2))
            emit("\tcsrr x%d, %s\n", rd_any(), c);
        else
            emit("\t%s x%d, %s, x%d\n", rw[rnd(3)], rd_any(), c, rs_any());
        break;
    }
    default:    /* custom S and U read/write numbers: no hart here has them */
        emit("\tcsrrs x%d, 0x%x, x%d\n", rd_any(), rnd(2) ? 0x5c0 + rnd(64) : 0x800 + rnd(256),
             rs_any());
        break;
    }
}

/* Traps: ecall, ebreak, illegal encodings, privileged instructions. */
static void gen_trap(void)
{
    switch (rnd(10)) {
    case 0: emit("\tecall\n"); break;
    case 1: emit("\tebreak\n"); break;
    case 2: emit("\t.option rvc\n\tc.ebreak\n\t.option norvc\n"); break;
    case 3: emit("\t.2byte 0x0000\t# illegal (all zero)\n"); break;
    case 4: emit("\tunimp\n"); break;
    case 5: emit("\t.insn r 0x0b, %u, %u, x%d, x%d, x%d\t# custom-0: illegal\n",
                 rnd(8), rnd(128), rd_any(), rs_any(), rs_any()); break;
    case 6: emit("\t.insn r 0x53, %u, 0, f%u, f%u, f%u\t# fadd.s, rm %u reserved: illegal\n",
                 5 + rnd(2), rnd(32), rnd(32), rnd(32), 5 + rnd(2)); break;
    case 7: emit("\tmret\n"); break;
    case 8:     /* sret in S would jump to sepc: only in U */
        emit(sc.priv == PRV_U ? "\tsret\n" : "\tecall\n");
        break;
    default: emit("\tsfence.vma x%d, x%d\n", rs_any(), rs_any()); break;
    }
}

/* Misaligned loads, stores and AMOs inside the scratch area (-m). */
static void gen_misaligned(void)
{
    static const struct { const char *op; int size; int fp; } m[] = {
        { "lh", 2, 0 }, { "lw", 4, 0 }, { "ld", 8, 0 }, { "lhu", 2, 0 }, { "lwu", 4, 0 },
        { "sh", 2, 0 }, { "sw", 4, 0 }, { "sd", 8, 0 },
        { "flw", 4, 1 }, { "fld", 8, 1 }, { "fsw", 4, 1 }, { "fsd", 8, 1 },
    };
    int i = (int)rnd(12);
    int size = m[i].size;
    long off = rnd_range(-256, 256 - size);

    if (off % size == 0)
        off++;
    /* a misaligned AMO raises store/AMO address misaligned (6); QEMU 7.2
       raises load address misaligned (4), so -Q leaves them out */
    if (!qemu_subset && rnd(6) == 0) {
        int t = rd_nz();
        emit("\taddi x%d, x2, %ld\n\tamoadd%s x%d, x%d, (x%d)\n", t, off | 1,
             rnd(2) ? ".w" : ".d", rd_any(), rs_any(), t);
    } else if (m[i].fp)
        emit("\t%s f%u, %ld(x2)\n", m[i].op, rnd(32), off);
    else if (m[i].op[0] == 's')
        emit("\t%s x%d, %ld(x2)\n", m[i].op, rs_any(), off);
    else
        emit("\t%s x%d, %ld(x2)\n", m[i].op, rd_any(), off);
}

/* Unit groups and their base weights; each sequence draws a profile:
 * one group weighs much more, and a third of the sequences have no
 * branches or jumps at all (one long TB instead of several short ones). */
static void (*const groups[])(void) = {
    gen_alu, gen_mul, gen_atomic, gen_mem, gen_fp, gen_bitmanip,
    gen_compressed, gen_control, gen_misc,
    gen_fault, gen_csr, gen_trap, gen_misaligned,
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))
#define GROUP_CONTROL 7 /* index of gen_control in groups[] */
#define GROUP_PRIV 9    /* groups from here on: S and U sequences only */
#define GROUP_MISALIGNED 12
static const unsigned base_weight[NGROUPS] = { 20, 8, 6, 12, 22, 10, 14, 6, 2, 8, 6, 4, 4 };
static unsigned weight[NGROUPS], weight_sum;

static void pick_profile(void)
{
    unsigned focus = rnd(NGROUPS);
    no_branches = rnd(3) == 0;
    weight_sum = 0;
    for (unsigned g = 0; g < NGROUPS; g++) {
        weight[g] = base_weight[g] + (g == focus ? 40 : 0);
        if (g == GROUP_CONTROL && no_branches)
            weight[g] = 0;
        if (g >= GROUP_PRIV && sc.priv == PRV_M)
            weight[g] = 0;
        if (g == GROUP_MISALIGNED && !misaligned)
            weight[g] = 0;
        weight_sum += weight[g];
    }
}

static void gen_unit(void)
{
    unsigned w = rnd(weight_sum);
    for (unsigned g = 0; g < NGROUPS; g++) {
        if (w < weight[g]) {
            groups[g]();
            return;
        }
        w -= weight[g];
    }
}

/* ---- one sequence --------------------------------------------------- */

static void gen_body(FILE *out, uint64_t seed, int k, int len, const char *skips)
{
    pick_setup(seed, k);
    rng_state = seq_seed(seed, k) ^ 0x5bd1e9955bd1e995ull;
    pick_profile();
    dt_write_body(out, k, len, skips, gen_unit);
}

static void gen_block(FILE *out, uint64_t seed, int k)
{
    pick_setup(seed, k);
    rng_state = seq_seed(seed, k);
    fprintf(out, "\t.balign 8\ndt_block_%d:\n\t.dword dt_body_%d%s\n", k, k,
            sc.priv == PRV_U ? " - 0x40000000" : "");
    for (int r = 1; r < 32; r++) {
        if (r == 2 && sc.priv != PRV_M)
            fprintf(out, "\t.dword 0x%llx\n", TEST_VA + 256);
        else if (r == 8 && sc.priv != PRV_M)
            fprintf(out, "\t.dword 0x%llx\n", TEST_VA + 128);
        else if (r == 2)
            fprintf(out, "\t.dword dt_scratch + 256\n");
        else if (r == 8)
            fprintf(out, "\t.dword dt_scratch + 128\n");
        else
            fprintf(out, "\t.dword 0x%016llx\n", (unsigned long long)rnd_int_value());
    }
    for (int f = 0; f < 32; f++)
        fprintf(out, "\t.dword 0x%016llx\n", (unsigned long long)rnd_fp_reg());
    fprintf(out, "\t.dword 0x%llx\n", (unsigned long long)((rnd(5) << 5) | rnd(32)));
    for (int i = 0; i < SCRATCH_BYTES / 8; i++) {
        uint64_t v;
        switch (rnd(4)) {
        case 0: v = rnd_fp_reg(); break;
        case 1: v = ((uint64_t)rnd_single_bits() << 32) | rnd_single_bits(); break;
        default: v = rnd_int_value(); break;
        }
        fprintf(out, "\t.dword 0x%016llx\n", (unsigned long long)v);
    }
    fprintf(out, "\t.dword %d\t# privilege\n\t.dword 0x%llx\t# medeleg\n"
            "\t.dword 0x%llx\t# mstatus\n", sc.priv, (unsigned long long)sc.medeleg,
            (unsigned long long)sc.mstatus);
    for (int p = 0; p < NTEST_PAGES; p++)
        fprintf(out, "\t.dword 0x%llx\t# test page %d\n", (unsigned long long)sc.pte[p], p);
}

static void usage(void)
{
    fprintf(stderr, "usage: difftest-gen [-s SEED] [-f FIRST] [-n COUNT] [-l LEN] "
            "[-F FULL] [-k K -x SKIPS] [-Q] [-P] [-m] [-o FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    long first = 0, count = 100, len = 40, full = -1, skip_k = -1;
    const char *skips = NULL, *outname = NULL;
    FILE *out = stdout;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-Q")) {
            qemu_subset = 1;
            continue;
        }
        if (!strcmp(a, "-P")) {
            priv_mode = 1;
            continue;
        }
        if (!strcmp(a, "-m")) {
            misaligned = 1;
            continue;
        }
        if (!v || a[0] != '-' || a[2] != 0)
            usage();
        i++;
        switch (a[1]) {
        case 's': {
            char *end;
            seed = strtoull(v, &end, 0);
            if (*v == 0 || *end != 0) {
                fprintf(stderr, "difftest-gen: seed '%s' is not a number\n", v);
                exit(2);
            }
            break;
        }
        case 'f': first = arg_num(v, "first sequence"); break;
        case 'n': count = arg_num(v, "count"); break;
        case 'l': len = arg_num(v, "length"); break;
        case 'F': full = arg_num(v, "full-dump sequence"); break;
        case 'k': skip_k = arg_num(v, "sequence to reduce"); break;
        case 'x': skips = v; break;
        case 'o': outname = v; break;
        default: usage();
        }
    }
    if (first < 0 || count < 1 || count > 100000 || len < 1 || len > MAX_UNITS) {
        fprintf(stderr, "difftest-gen: need FIRST >= 0, 1 <= COUNT <= 100000, "
                "1 <= LEN <= %d\n", MAX_UNITS);
        exit(2);
    }
    if (outname && !(out = fopen(outname, "w"))) {
        perror(outname);
        exit(2);
    }

    fprintf(out, "# difftest: seed %llu, sequences %ld..%ld, %ld units each\n",
            (unsigned long long)seed, first, first + count - 1, len);
    fprintf(out, "\t.option norvc\n\t.text\n\t.globl dt_first_block\n");
    for (long k = first; k < first + count; k++) {
        gen_body(out, seed, (int)k, (int)len, k == skip_k ? skips : NULL);
        if (sc.priv != PRV_M) {
            /* tail: a fetch fault at DT_EXIT that the runtime's M handler ends it with */
            fprintf(out, "\tjalr x0, 0x100(x0)\n");
            continue;
        }
        /* tail: save x30/x31, then x31 = next block */
        fprintf(out, "\tcsrw mscratch, x30\n\tla x30, dt_save\n\tsd x31, 248(x30)\n");
        if (k + 1 < first + count)
            fprintf(out, "\tla x31, dt_block_%ld\n", k + 1);
        else
            fprintf(out, "\tla x31, dt_block_end\n");
        fprintf(out, "\tj dt_save_state\n");
    }
    fprintf(out, "\n\t.data\n\t.balign 8\n\t.globl dt_full_index, dt_first_index\n"
            "dt_full_index:\n\t.dword %ld\ndt_first_index:\n\t.dword %ld\n"
            "\t.globl dt_bp_tval_zero\ndt_bp_tval_zero:\n\t.dword %d\n"
            "dt_first_block:\n", full, first, qemu_subset);
    for (long k = first; k < first + count; k++)
        gen_block(out, seed, (int)k);
    fprintf(out, "dt_block_end:\n\t.dword 0\n");
    if (out != stdout && fclose(out) != 0) {
        perror(outname);
        exit(2);
    }
    return 0;
}
