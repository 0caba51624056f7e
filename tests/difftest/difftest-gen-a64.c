/*
 * difftest-gen-a64.c - random A64 integer sequences for the differential
 * test (tests/difftest/README.md, "AArch64").
 *
 * Writes one assembly file holding COUNT sequences, numbered FIRST ..
 * FIRST+COUNT-1; sequence K depends only on (SEED, K, LEN, options).
 * Each sequence is:
 *
 *   - a state block in .data (runtime-a64.S): the body's address,
 *     x0..x30, sp, NZCV, the 512-byte scratch area, the mode, the
 *     test-page descriptors and TPIDR_EL0;
 *   - the body in .text: LEN random units between "# seq K begin" and
 *     "# seq K end" (difftest-lib.c);
 *   - a tail: "msr tpidr_el1, x30; b dt_save_state" (EL0: "svc #0xffff").
 *
 * Without -P bodies run at EL1 with the MMU off and never trap.
 * Conventions that keep them so: x28 = scratch + 256 is never written
 * and sp = scratch + 128 is only moved inside one unit and put back;
 * every memory access goes through x28, sp, or a register the same unit
 * set from x28, stays in the scratch area and is aligned to its size
 * (with the MMU off data accesses are Device memory, where a misaligned
 * one faults); no load or store with writeback has its base among its
 * data registers, LDP/LDXP never load one register twice, and a store
 * exclusive's status register is none of its others (all CONSTRAINED
 * UNPREDICTABLE); branches only go forward inside the body.
 *
 * With -P a sequence's setup (pick_setup, a PRNG stream of its own) also
 * puts it at EL1 with the MMU on or at EL0, where x28 and sp point into
 * test page 0 (VA 0x10000, mapping the scratch area's page), and test
 * pages 1..7 get random descriptors; the fault, trap and misaligned
 * groups join, and the runtime logs their exceptions.
 *
 * Groups are a table (groups[]): name, generator, weight, MMU-only.
 * Each sequence draws a profile: one group weighs much more than the
 * others, and a third of the sequences have no branches (one long TB).
 * FP and AdvSIMD groups go into the same table; the state block and the
 * runtime then grow by the V registers, FPCR and FPSR.
 *
 * Usage: difftest-gen-a64 [-s SEED] [-f FIRST] [-n COUNT] [-l LEN] [-P]
 *                         [-F FULL] [-k K -x SKIPS] [-G GROUPS] [-Q] [-o FILE]
 *   -P        sequences at EL1 with the MMU off or on, and at EL0
 *   -F FULL   sequence whose whole final state is printed
 *   -k/-x     in sequence K leave out the units listed in SKIPS
 *   -G        only these groups (comma-separated names, see groups[])
 *   -Q        what loom and QEMU 7.2 do the same: no accesses across a
 *             page boundary next to a page where nothing is, no faulting
 *             atomics, PAN only when page 0 is EL1's (README)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "difftest-lib.h"

#define SCRATCH_BYTES 512
#define BASE 28                 /* x28 = scratch + 256, never written */
#define BASE_OFF 256
#define SP_OFF 128              /* sp = scratch + 128 */

static int no_branches;         /* this sequence has no branches */
static int priv_mode;           /* -P: sequences at EL0 and with the MMU on too */
static int qemu_subset;         /* -Q: what loom and QEMU 7.2 do the same */

/* ---- a sequence's setup (own PRNG stream: the block and the body both
 * need it): where it runs, and the test pages */

#define MODE_EL1_FLAT 0         /* EL1, MMU off: nothing may trap */
#define MODE_EL1_MMU 1          /* EL1, MMU on: traps logged */
#define MODE_EL0 2              /* EL0, MMU on: traps logged */
#define NTEST_PAGES 8
#define TEST_VA 0x10000ull      /* test page p at TEST_VA + 4096 p */
#define EL0_ALIAS 0x40000000ull /* an EL0 body runs at its address + EL0_ALIAS */
/* VMSAv8-64 level 3 page descriptor bits (runtime-a64.S adds the address) */
#define D_PAGE 3ull
#define D_DEVICE (1ull << 2)    /* AttrIndx 1: Device-nGnRnE */
#define D_AP_EL0 (1ull << 6)    /* AP[1]: EL0 access */
#define D_AP_RO (1ull << 7)     /* AP[2]: read-only */
#define D_SH (3ull << 8)
#define D_AF (1ull << 10)
#define D_XN (3ull << 53)       /* PXN, UXN */
#define D_TO_NOMEM (1ull << 55) /* software bits 58:55: the target, runtime-a64.S dt_targets */

static struct {
    int mode;
    uint64_t page[NTEST_PAGES];
} sc;

static void pick_setup(uint64_t seed, int k)
{
    static const uint64_t any_page[] = {
        0,                                              /* invalid */
        D_PAGE | D_SH | D_AF | D_XN | D_AP_EL0,         /* RW at EL1 and EL0 */
        D_PAGE | D_SH | D_AF | D_XN,                    /* RW at EL1 */
        D_PAGE | D_SH | D_AF | D_XN | D_AP_EL0 | D_AP_RO,       /* RO at both */
        D_PAGE | D_SH | D_AF | D_XN | D_AP_RO,          /* RO at EL1 */
        D_PAGE | D_SH | D_XN | D_AP_EL0,                /* AF = 0: access flag fault */
        1 | D_SH | D_AF | D_XN | D_AP_EL0,              /* a block at level 3: reserved */
        D_PAGE | D_SH | D_AF | D_XN | D_AP_EL0 | D_TO_NOMEM,    /* no memory there */
        D_PAGE | D_SH | D_AF | D_XN | D_AP_EL0 | D_DEVICE,      /* Device */
    };
    uint64_t save = rng_state;

    rng_state = seed ^ ((uint64_t)k * 0x9fb21c651e98df25ull) ^ 0x243f6a8885a308d3ull;
    rng_next();
    memset(&sc, 0, sizeof(sc));
    sc.mode = priv_mode ? (int)rnd(3) : MODE_EL1_FLAT;
    if (sc.mode != MODE_EL1_FLAT) {
        /* page 0 (x28, sp): RW in the sequence's EL */
        sc.page[0] = any_page[sc.mode == MODE_EL0 || rnd(2) ? 1 : 2];
        for (int p = 1; p < NTEST_PAGES; p++)
            sc.page[p] = any_page[rnd(sizeof(any_page) / sizeof(any_page[0]))];
    }
    rng_state = save;
}

/* ---- registers ------------------------------------------------------ */

/* "x5", "w5"; 31 is xzr/wzr, or sp/wsp where the encoding means SP */
static const char *reg(int r, int sf)
{
    static char names[8][16];
    static unsigned next;
    char *n = names[next++ % 8];
    if (r == 31)
        return sf ? "xzr" : "wzr";
    snprintf(n, 16, "%c%d", sf ? 'x' : 'w', r & 31);
    return n;
}

static const char *reg_sp(int r, int sf)
{
    if (r == 31)
        return sf ? "sp" : "wsp";
    return reg(r, sf);
}

/* A register the body may write: never x28; xzr (31) sometimes. */
static int rd_any(void)
{
    for (;;) {
        int r = (int)rnd(32);
        if (r == BASE)
            continue;
        if (r == 31 && rnd(4))
            continue;
        return r;
    }
}

/* Writable, not xzr. */
static int rd_nz(void)
{
    int r;
    do
        r = rd_any();
    while (r == 31);
    return r;
}

/* A source register: xzr more often than chance, x28 included. */
static int rs_any(void)
{
    return rnd(10) == 0 ? 31 : (int)rnd(32);
}

/* d, a, b of a three-register instruction, sometimes aliased */
static void rr_operands(int *d, int *a, int *b)
{
    *d = rd_any();
    *a = rs_any();
    *b = rs_any();
    switch (rnd(8)) {
    case 0: *b = *a; break;
    case 1: if (*d != 31) *a = *d; break;
    case 2: if (*d != 31) *a = *b = *d; break;
    default: break;
    }
}

/* A writable register other than those listed (-1 ends the list). */
static int rd_not(int x, int y, int z)
{
    int r;
    do
        r = rd_nz();
    while (r == x || r == y || r == z);
    return r;
}

static const char *cond_name(void)
{
    static const char *const conds[] = {
        "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
        "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
    };
    /* al and nv (which behaves as al) rarely */
    return conds[rnd(8) ? rnd(14) : 14 + rnd(2)];
}

/* A logical immediate: a run of ones rotated in an element of 2..64
 * (32 for W) bits, replicated. */
static uint64_t logic_imm(int sf)
{
    unsigned esize = 2u << rnd(sf ? 6 : 5);
    unsigned ones = 1 + rnd(esize - 1);
    unsigned rot = rnd(esize);
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t e = (1ull << ones) - 1;
    e = ((e >> rot) | (e << ((esize - rot) % esize))) & emask;
    uint64_t v = 0;
    for (unsigned i = 0; i < 64; i += esize)
        v |= e << i;
    return sf ? v : v & 0xffffffffull;
}

/* ---- data processing ------------------------------------------------ */

/* ADD/SUB/ADDS/SUBS: immediate, shifted register, extended register. */
static void gen_addsub(void)
{
    static const char *const ops[] = { "add", "adds", "sub", "subs" };
    static const char *const shifts[] = { "lsl", "lsr", "asr" };
    static const char *const exts[] = { "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx" };
    int sf = rnd(4) != 0;
    unsigned op = rnd(4);
    int flags = op & 1;
    int d, a, b;
    rr_operands(&d, &a, &b);

    switch (rnd(3)) {
    case 0: {   /* immediate: Rd (without S) and Rn 31 are SP */
        if (!flags && d == 31)
            d = rd_nz();
        emit("\t%s %s, %s, #%u%s\n", ops[op], flags ? reg(d, sf) : reg_sp(d, sf), reg_sp(a, sf),
             rnd(3) ? rnd(4096) : rnd(4), rnd(4) == 0 ? ", lsl #12" : "");
        break;
    }
    case 1:     /* shifted register: 31 is the zero register */
        emit("\t%s %s, %s, %s, %s #%u\n", ops[op], reg(d, sf), reg(a, sf), reg(b, sf),
             shifts[rnd(3)], rnd(2) ? 0 : rnd(sf ? 64 : 32));
        break;
    default: {  /* extended register: Rd (without S) and Rn 31 are SP */
        unsigned e = rnd(8);
        if (!flags && d == 31)
            d = rd_nz();
        /* Rm is a W register but for the 64-bit forms of UXTX/SXTX */
        int msf = sf && (e & 3) == 3;
        emit("\t%s %s, %s, %s, %s #%u\n", ops[op], flags ? reg(d, sf) : reg_sp(d, sf),
             reg_sp(a, sf), reg(b, msf), exts[e], rnd(5));
        break;
    }
    }
}

/* Logical: shifted register (ROR too, the N forms) and immediate. */
static void gen_logic(void)
{
    static const char *const rr[] = { "and", "orr", "eor", "ands", "bic", "orn", "eon", "bics" };
    static const char *const ri[] = { "and", "orr", "eor", "ands" };
    static const char *const shifts[] = { "lsl", "lsr", "asr", "ror" };
    int sf = rnd(4) != 0;
    int d, a, b;
    rr_operands(&d, &a, &b);

    if (rnd(2)) {
        emit("\t%s %s, %s, %s, %s #%u\n", rr[rnd(8)], reg(d, sf), reg(a, sf), reg(b, sf),
             shifts[rnd(4)], rnd(2) ? 0 : rnd(sf ? 64 : 32));
    } else {
        unsigned op = rnd(4);
        /* Rd 31 is SP for AND/ORR/EOR immediate */
        if (op != 3 && d == 31)
            d = rd_nz();
        emit("\t%s %s, %s, #0x%llx\n", ri[op], op == 3 ? reg(d, sf) : reg_sp(d, sf), reg(a, sf),
             (unsigned long long)logic_imm(sf));
    }
}

/* UBFM/SBFM/BFM (and so every shift, extend and bitfield alias), EXTR,
 * LSLV/LSRV/ASRV/RORV. */
static void gen_bitfield(void)
{
    static const char *const bf[] = { "ubfm", "sbfm", "bfm" };
    static const char *const sv[] = { "lslv", "lsrv", "asrv", "rorv" };
    int sf = rnd(4) != 0;
    unsigned w = sf ? 64 : 32;
    int d, a, b;
    rr_operands(&d, &a, &b);

    switch (rnd(4)) {
    case 0:
    case 1:
        emit("\t%s %s, %s, #%u, #%u\n", bf[rnd(3)], reg(d, sf), reg(a, sf), rnd(w), rnd(w));
        break;
    case 2:
        emit("\textr %s, %s, %s, #%u\n", reg(d, sf), reg(a, sf), reg(b, sf), rnd(w));
        break;
    default:
        emit("\t%s %s, %s, %s\n", sv[rnd(4)], reg(d, sf), reg(a, sf), reg(b, sf));
        break;
    }
}

/* MADD/MSUB, the widening multiply-adds, SMULH/UMULH, UDIV/SDIV. */
static void gen_mul(void)
{
    static const char *const wide[] = { "smaddl", "smsubl", "umaddl", "umsubl" };
    int sf = rnd(4) != 0;
    int d, a, b;
    rr_operands(&d, &a, &b);
    int c = rs_any();

    switch (rnd(5)) {
    case 0:
        emit("\t%s %s, %s, %s, %s\n", rnd(2) ? "madd" : "msub", reg(d, sf), reg(a, sf),
             reg(b, sf), reg(c, sf));
        break;
    case 1:
        emit("\t%s %s, %s, %s, %s\n", wide[rnd(4)], reg(d, 1), reg(a, 0), reg(b, 0), reg(c, 1));
        break;
    case 2:
        emit("\t%s %s, %s, %s\n", rnd(2) ? "smulh" : "umulh", reg(d, 1), reg(a, 1), reg(b, 1));
        break;
    default:
        emit("\t%s %s, %s, %s\n", rnd(2) ? "udiv" : "sdiv", reg(d, sf), reg(a, sf), reg(b, sf));
        break;
    }
}

/* CLZ, CLS, RBIT, REV, REV16, REV32. */
static void gen_onesrc(void)
{
    static const char *const ops[] = { "clz", "cls", "rbit", "rev", "rev16", "rev32" };
    int sf = rnd(4) != 0;
    unsigned op = rnd(sf ? 6 : 5);      /* REV32 is 64-bit only */
    emit("\t%s %s, %s\n", ops[op], reg(rd_any(), sf), reg(rs_any(), sf));
}

/* CSEL/CSINC/CSINV/CSNEG, CCMP/CCMN (register and immediate), ADC/SBC
 * and their flag-setting forms, MRS/MSR NZCV. */
static void gen_cond(void)
{
    static const char *const cs[] = { "csel", "csinc", "csinv", "csneg" };
    static const char *const carry[] = { "adc", "adcs", "sbc", "sbcs" };
    int sf = rnd(4) != 0;
    int d, a, b;
    rr_operands(&d, &a, &b);

    switch (rnd(6)) {
    case 0:
    case 1:
        emit("\t%s %s, %s, %s, %s\n", cs[rnd(4)], reg(d, sf), reg(a, sf), reg(b, sf), cond_name());
        break;
    case 2:
        if (rnd(2))
            emit("\t%s %s, %s, #%u, %s\n", rnd(2) ? "ccmp" : "ccmn", reg(a, sf), reg(b, sf),
                 rnd(16), cond_name());
        else
            emit("\t%s %s, #%u, #%u, %s\n", rnd(2) ? "ccmp" : "ccmn", reg(a, sf), rnd(32),
                 rnd(16), cond_name());
        break;
    case 3:
    case 4:
        emit("\t%s %s, %s, %s\n", carry[rnd(4)], reg(d, sf), reg(a, sf), reg(b, sf));
        break;
    default:
        if (rnd(2))
            emit("\tmrs %s, nzcv\n", reg(rd_nz(), 1));
        else
            emit("\tmsr nzcv, %s\n", reg(rs_any(), 1));
        break;
    }
}

/* MOVZ/MOVN/MOVK, ADR/ADRP, constants. */
static void gen_move(void)
{
    static const char *const mv[] = { "movz", "movn", "movk" };
    int sf = rnd(4) != 0;
    int d = rd_any();

    switch (rnd(4)) {
    case 0:
    case 1:
        emit("\t%s %s, #0x%x, lsl #%u\n", mv[rnd(3)], reg(d, sf), rnd(3) ? rnd(65536) : 0xffff,
             16 * rnd(sf ? 4 : 2));
        break;
    case 2:
        /* pc-relative: the same image on both sides, so the same values */
        if (rnd(2))
            emit("\tadr %s, .%+ld\n", reg(d, 1), 4 * rnd_range(-64, 64));
        else
            emit("\tadrp %s, .%+ld\n", reg(d, 1), 4096 * rnd_range(-64, 64));
        break;
    default:    /* an edge value through movz/movk (as mov) */
        emit("\tldr %s, =0x%llx\n", reg(rd_nz(), 1), (unsigned long long)rnd_int_value());
        break;
    }
}

/* CRC32B/H/W/X and CRC32CB/CH/CW/CX. */
static void gen_crc(void)
{
    static const char *const sz = "bhwx";
    unsigned s = rnd(4);
    emit("\tcrc32%s%c %s, %s, %s\n", rnd(2) ? "c" : "", sz[s], reg(rd_any(), 0),
         reg(rs_any(), 0), reg(rs_any(), s == 3));
}

/* ---- loads and stores ----------------------------------------------- */

/* A scratch offset (from the start of the area) for SIZE bytes, aligned. */
static unsigned scratch_off(unsigned size)
{
    return rnd(SCRATCH_BYTES / size) * size;
}

/* "add xB, x28, #off - 256" (or sub): B = scratch + off */
static void set_base(int b, long off)
{
    long d = off - BASE_OFF;
    emit("\t%s x%d, x28, #%ld\n", d < 0 ? "sub" : "add", b, d < 0 ? -d : d);
}

static const struct {
    const char *op;             /* unscaled form: op with 'u' after 'ld'/'st' */
    unsigned size;
    int sf;                     /* data register is X */
    int store;
} ldst[] = {
    { "ldrb", 1, 0, 0 }, { "ldrh", 2, 0, 0 }, { "ldr", 4, 0, 0 }, { "ldr", 8, 1, 0 },
    { "ldrsb", 1, 0, 0 }, { "ldrsb", 1, 1, 0 }, { "ldrsh", 2, 0, 0 }, { "ldrsh", 2, 1, 0 },
    { "ldrsw", 4, 1, 0 },
    { "strb", 1, 0, 1 }, { "strh", 2, 0, 1 }, { "str", 4, 0, 1 }, { "str", 8, 1, 1 },
};
#define NLDST (sizeof(ldst) / sizeof(ldst[0]))

/* "ldr" -> "ldur", "ldrsb" -> "ldursb", "str" -> "stur"; "ldtr..." likewise */
static const char *variant(const char *op, char c)
{
    static char buf[16];
    snprintf(buf, sizeof(buf), "%.2s%c%s", op, c, op + 2);
    return buf;
}

/* One load or store of every width and addressing form. */
static void gen_mem(void)
{
    unsigned i = rnd(NLDST);
    unsigned size = ldst[i].size;
    int sf = ldst[i].sf;
    const char *op = ldst[i].op;
    unsigned off = scratch_off(size);
    int t = ldst[i].store ? rs_any() : rd_any();
    const char *rt = reg(t, sf);

    if (!ldst[i].store && rnd(16) == 0) {      /* a load over its own base */
        int b = rd_nz();
        set_base(b, off);
        emit("\t%s %s, [x%d]\n", op, reg(b, sf), b);
        return;
    }
    switch (rnd(8)) {
    case 0:     /* unsigned scaled offset from x28 or sp (negative: unscaled) */
    case 1: {
        int sp = rnd(3) == 0;
        long o = (long)off - (sp ? SP_OFF : BASE_OFF);
        if (o >= 0 && rnd(4))
            emit("\t%s %s, [%s, #%ld]\n", op, rt, sp ? "sp" : "x28", o);
        else if (o >= -256 && o <= 255)
            emit("\t%s %s, [%s, #%ld]\n", variant(op, rnd(4) ? 'u' : 't'), rt, sp ? "sp" : "x28", o);
        else
            emit("\t%s %s, [%s, #%ld]\n", op, rt, sp ? "sp" : "x28", o);
        break;
    }
    case 2:     /* pre-index, writeback into a base set just before */
    case 3: {
        int b = rd_not(t, -1, -1);
        long imm = rnd(2) ? (long)size * rnd_range(-8, 8) : rnd_range(-256, 255);
        set_base(b, (long)off - imm);   /* the base need not point into the area */
        emit("\t%s %s, [x%d, #%ld]!\n", op, rt, b, imm);
        break;
    }
    case 4:     /* post-index: the access at the base, then base += imm */
    case 5: {
        int b = rd_not(t, -1, -1);
        set_base(b, off);
        emit("\t%s %s, [x%d], #%ld\n", op, rt, b, rnd_range(-256, 255));
        break;
    }
    case 6: {   /* register offset: LSL #0/size, UXTW, SXTW (a negative index) */
        int x = rd_not(t, -1, -1);
        long idx = (long)off - BASE_OFF;
        unsigned sh = 0;
        if (rnd(2)) {
            sh = (unsigned)__builtin_ctz(size);
            idx /= (long)size;
        }
        unsigned kind = rnd(3);
        if (idx < 0 && kind == 1)       /* UXTW of a negative index: far away */
            kind = 2;
        if (kind == 0) {
            emit("\tmov x%d, #%ld\n", x, idx);
            emit("\t%s %s, [x28, x%d, lsl #%u]\n", op, rt, x, sh);
        } else {
            /* the upper half of the index register is junk the extend drops */
            uint32_t w = (uint32_t)idx;
            emit("\tmovz x%d, #0x%x\n\tmovk x%d, #0x%x, lsl #16\n\tmovk x%d, #0x%x, lsl #%u\n",
                 x, w & 0xffff, x, w >> 16, x, rnd(65536), 32 + 16 * rnd(2));
            emit("\t%s %s, [x28, w%d, %s #%u]\n", op, rt, x, kind == 1 ? "uxtw" : "sxtw", sh);
        }
        break;
    }
    default:    /* a literal: the instruction words of the body */
        if (rnd(2))
            emit("\tldr %s, .%+ld\n", reg(rd_any(), 0), 4 * rnd_range(-8, 8));
        else
            emit("\tldrsw %s, .%+ld\n", reg(rd_any(), 1), 4 * rnd_range(-8, 8));
        break;
    }
}

/* LDP/STP/LDPSW/LDNP/STNP: signed offset, pre- and post-index. */
static void gen_pair(void)
{
    int sf = rnd(3) != 0;
    unsigned kind = rnd(6);     /* 0 ldp, 1 stp, 2 ldpsw, 3 ldnp, 4 stnp, 5 ldp */
    int sw = kind == 2;
    int store = kind == 1 || kind == 4;
    unsigned size = sw ? 4 : sf ? 8 : 4;
    int x = sw || sf;
    const char *op = kind == 1 ? "stp" : kind == 2 ? "ldpsw" : kind == 3 ? "ldnp" :
                     kind == 4 ? "stnp" : "ldp";
    int t1, t2;
    if (store) {
        t1 = rs_any();
        t2 = rs_any();
    } else {
        t1 = rd_any();
        do
            t2 = rd_any();
        while (t2 == t1);
    }
    unsigned off = rnd(SCRATCH_BYTES / size - 1) * size;
    unsigned form = kind == 3 || kind == 4 ? 0 : rnd(3);

    if (form == 0) {            /* signed offset (imm7 scaled) from x28 or sp */
        int sp = rnd(3) == 0 && ((long)off - SP_OFF) / (long)size <= 63;
        emit("\t%s %s, %s, [%s, #%ld]\n", op, reg(t1, x), reg(t2, x), sp ? "sp" : "x28",
             (long)off - (sp ? SP_OFF : BASE_OFF));
        return;
    }
    int b = rd_not(t1, t2, -1);
    long imm = (long)size * rnd_range(-8, 8);
    if (form == 1) {
        set_base(b, (long)off - imm);
        emit("\t%s %s, %s, [x%d, #%ld]!\n", op, reg(t1, x), reg(t2, x), b, imm);
    } else {
        set_base(b, off);
        emit("\t%s %s, %s, [x%d], #%ld\n", op, reg(t1, x), reg(t2, x), b, imm);
    }
}

/* Exclusive pairs that succeed, load-acquire/store-release, LDAPR. */
static void gen_excl(void)
{
    static const char *const sfx[] = { "b", "h", "", "" };
    unsigned s = rnd(4);
    unsigned size = 1u << s;
    int sf = s == 3;
    int b = rd_nz();
    unsigned kind = rnd(5);

    if (kind <= 1) {            /* LD(A)XR + ST(L)XR, the status register fresh */
        int t = rd_not(b, -1, -1);
        int v = rs_any();
        int st;
        if (v == 31 && rnd(2))
            v = t;              /* store back what was loaded (plus a bit) */
        set_base(b, scratch_off(size));
        do
            st = rd_nz();
        while (st == b || st == v);
        emit("\tld%sxr%s %s, [x%d]\n", rnd(2) ? "a" : "", sfx[s], reg(t, sf), b);
        switch (rnd(4)) {
        case 0:
        case 1:
            emit("\tadd %s, %s, #%u\n", reg(t, sf), reg(t, sf), rnd(16));
            break;
        case 2:         /* the monitor open: the store fails, status 1 */
            emit("\tclrex\n");
            break;
        default:
            break;
        }
        emit("\tst%sxr%s w%d, %s, [x%d]\n", rnd(2) ? "l" : "", sfx[s], st, reg(v, sf), b);
    } else if (kind == 2) {     /* LD(A)XP + ST(L)XP of W or X registers */
        int px = rnd(2);
        unsigned psize = px ? 16 : 8;
        int t1 = rd_not(b, -1, -1), t2, st;
        do
            t2 = rd_not(b, -1, -1);
        while (t2 == t1);
        do
            st = rd_nz();
        while (st == b || st == t1 || st == t2);
        set_base(b, rnd(SCRATCH_BYTES / psize) * psize);
        emit("\tld%sxp %s, %s, [x%d]\n", rnd(2) ? "a" : "", reg(t1, px), reg(t2, px), b);
        emit("\tst%sxp w%d, %s, %s, [x%d]\n", rnd(2) ? "l" : "", st, reg(t2, px), reg(t1, px), b);
    } else {                    /* LDAR, LDAPR, STLR */
        set_base(b, scratch_off(size));
        switch (rnd(3)) {
        case 0: emit("\tldar%s %s, [x%d]\n", sfx[s], reg(rd_any(), sf), b); break;
        case 1: emit("\tldapr%s %s, [x%d]\n", sfx[s], reg(rd_any(), sf), b); break;
        default: emit("\tstlr%s %s, [x%d]\n", sfx[s], reg(rs_any(), sf), b); break;
        }
    }
}

/* LSE: CAS (often with the compare value just loaded), CASP, SWP,
 * LD<op> and their ST<op> aliases, every size and ordering. */
static void gen_lse(void)
{
    static const char *const sfx[] = { "b", "h", "", "" };
    static const char *const ord[] = { "", "a", "l", "al" };
    static const char *const ops[] = {
        "ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin", "ldumax", "ldumin", "swp",
    };
    unsigned s = rnd(4);
    unsigned size = 1u << s;
    int sf = s == 3;
    int b = rd_nz();
    unsigned kind = rnd(5);

    if (kind == 0) {            /* CASP: even register pairs, not x28 */
        int px = rnd(2);
        unsigned psize = px ? 16 : 8;
        int cs, nt;
        do
            cs = 2 * (int)rnd(14);
        while (cs == b || cs + 1 == b);
        do
            nt = 2 * (int)rnd(14);
        while (nt == b || nt + 1 == b);
        set_base(b, rnd(SCRATCH_BYTES / psize) * psize);
        if (rnd(2))
            emit("\tldp %s, %s, [x%d]\n", reg(cs, px), reg(cs + 1, px), b);
        emit("\tcasp%s %s, %s, %s, %s, [x%d]\n", ord[rnd(4)], reg(cs, px), reg(cs + 1, px),
             reg(nt, px), reg(nt + 1, px), b);
        return;
    }
    set_base(b, scratch_off(size));
    if (kind == 1) {            /* CAS */
        int cs = rd_not(b, -1, -1);
        if (rnd(3))
            emit("\tldr%s %s, [x%d]\n", sfx[s], reg(cs, sf), b);
        emit("\tcas%s%s %s, %s, [x%d]\n", ord[rnd(4)], sfx[s], reg(cs, sf), reg(rs_any(), sf), b);
    } else if (kind == 2 && rnd(2)) {   /* ST<op>: LD<op> into the zero register */
        emit("\tst%s%s%s %s, [x%d]\n", ops[rnd(8)] + 2, rnd(2) ? "l" : "", sfx[s],
             reg(rs_any(), sf), b);
    } else {
        int t = rd_not(b, -1, -1);
        emit("\t%s%s%s %s, %s, [x%d]\n", ops[rnd(9)], ord[rnd(4)], sfx[s], reg(rs_any(), sf),
             reg(t, sf), b);
    }
}

/* sp moved down and back in one unit, with an access in between. */
static void gen_sp(void)
{
    unsigned n = 16 * (1 + rnd(8));
    if (rnd(2)) {   /* push and pop with writeback */
        emit("\tstp %s, %s, [sp, #-%u]!\n", reg(rs_any(), 1), reg(rs_any(), 1), n);
        int a = rd_any(), b;
        do
            b = rd_any();
        while (b == a);
        emit("\tldp %s, %s, [sp], #%u\n", reg(a, 1), reg(b, 1), n);
        return;
    }
    emit("\tsub sp, sp, #%u\n", n);
    if (rnd(2))
        emit("\tstr %s, [sp, #%u]\n", reg(rs_any(), 1), 8 * rnd(n / 8 + 16));
    else
        emit("\tldr %s, [sp, #%u]\n", reg(rd_any(), 1), 8 * rnd(n / 8 + 16));
    emit("\tadd sp, sp, #%u\n", n);
}

/* ---- branches ------------------------------------------------------- */

/* Forward: B.cond, CBZ/CBNZ, TBZ/TBNZ, B, BL, BR/BLR/RET through ADR. */
static void gen_branch(void)
{
    int sf = rnd(4) != 0;
    switch (rnd(8)) {
    case 0:
    case 1:
        emit("\tb.%s %s\n", cond_name(), fwd_label());
        break;
    case 2:
        emit("\t%s %s, %s\n", rnd(2) ? "cbz" : "cbnz", reg(rs_any(), sf), fwd_label());
        break;
    case 3:
    case 4:
        emit("\t%s %s, #%u, %s\n", rnd(2) ? "tbz" : "tbnz", reg(rs_any(), sf), rnd(sf ? 64 : 32),
             fwd_label());
        break;
    case 5:
        emit("\t%s %s\n", rnd(2) ? "b" : "bl", fwd_label());
        break;
    default: {
        static const char *const ind[] = { "br", "blr", "ret" };
        int t = rd_nz();
        emit("\tadr x%d, %s\n\t%s x%d\n", t, fwd_label(), ind[rnd(3)], t);
        break;
    }
    }
}

/* NOPs, barriers, CLREX. */
static void gen_misc(void)
{
    static const char *const m[] = { "nop", "dmb ish", "dsb sy", "isb", "clrex", "dmb ishld", "yield" };
    emit("\t%s\n", m[rnd(7)]);
}

/* ---- EL0 and MMU-on sequences: faults and traps --------------------- */

/* A load, store, pair, exclusive or atomic through a register just set
 * to an address in a test page, past them, where no table entry is, out
 * of TTBR0's range or in TTBR1's (EPD1: no walk). */
static void gen_fault(void)
{
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    unsigned size = sizes[rnd(4)];
    int sf = size == 8;
    uint64_t va;
    switch (rnd(8)) {
    case 0: va = TEST_VA + 4096 * NTEST_PAGES + 4096 * rnd(4); break;  /* no L3 entry */
    case 1: va = 0xc0000000ull + 4096 * rnd(16); break;                 /* no L1 entry */
    case 2: va = rnd(2) ? 1ull << (39 + rnd(24)) : 0xffffff8000000000ull + 4096 * rnd(16);
            break;                                                      /* no TTBR0 / TTBR1 */
    default: va = TEST_VA + 4096 * rnd(NTEST_PAGES); break;
    }
    va += rnd(SCRATCH_BYTES / 16) * 16 + rnd(16 / size) * size;   /* in the scratch area */
    int t = rd_nz(), d = rd_not(t, -1, -1);
    const char *bh = size == 1 ? "b" : size == 2 ? "h" : "";
    unsigned kind = rnd(8);
    if (kind == 4)              /* a pair of X registers: 16 bytes, aligned */
        va &= ~15ull;
    emit("\tldr x%d, =0x%llx\n", t, (unsigned long long)va);
    switch (kind) {
    case 0:
    case 1:
        emit("\t%s %s, [x%d]\n", size == 1 ? "ldrb" : size == 2 ? "ldrh" : "ldr", reg(d, sf), t);
        break;
    case 2:
    case 3:
        emit("\t%s %s, [x%d]\n", size == 1 ? "strb" : size == 2 ? "strh" : "str", reg(rs_any(), sf), t);
        break;
    case 4:
        emit("\t%s %s, %s, [x%d]\n", rnd(2) ? "ldp" : "stp", reg(d, 1), reg(rd_not(t, d, -1), 1), t);
        break;
    case 5:
        emit("\tldxr%s %s, [x%d]\n", bh, reg(d, sf), t);
        break;
    case 6:
        emit("\tldadd%s %s, %s, [x%d]\n", bh, reg(rs_any(), sf), reg(d, sf), t);
        break;
    default:
        emit("\t%s%s %s, [x%d]\n", rnd(2) ? "ldtr" : "sttr", bh, reg(d, sf), t);
        break;
    }
}

/* SVC, BRK, UDF, HVC/SMC (undefined at EL0), WFI (traps at EL0:
 * nTWI = 0), ERET and EL1 system registers at EL0, TPIDR_EL0 and
 * TPIDRRO_EL0; PSTATE.PAN and SPSel (undefined at EL0). */
static void gen_trap(void)
{
    int el0 = sc.mode == MODE_EL0;
    switch (rnd(12)) {
    case 0: emit("\tsvc #0x%x\n", rnd(0xffff)); break;        /* 0xffff ends an EL0 body */
    case 1: emit("\tbrk #0x%x\n", rnd(0x10000)); break;
    case 2: emit("\tudf #0x%x\n", rnd(0x10000)); break;
    case 3:     /* at EL1 HVC #0 and SMC #0 are loom's PSCI: only at EL0 */
        if (el0)
            emit("\t%s #0x%x\n", rnd(2) ? "hvc" : "smc", rnd(0x10000));
        else
            emit("\tsvc #0x%x\n", rnd(0xffff));
        break;
    case 4:
        emit(el0 ? "\twfi\n" : "\tbrk #0\n");
        break;
    case 5:
        emit(el0 ? "\teret\n" : "\tudf #0\n");
        break;
    case 6: {
        static const char *const el1[] = { "sctlr_el1", "currentel", "vbar_el1", "elr_el1", "spsel" };
        emit("\tmrs %s, %s\n", reg(rd_nz(), 1), el1[rnd(5)]);
        break;
    }
    case 7:
        emit("\tmsr tpidr_el0, %s\n", reg(rs_any(), 1));
        break;
    case 8:
        emit("\tmrs %s, %s\n", reg(rd_nz(), 1), rnd(2) ? "tpidr_el0" : "tpidrro_el0");
        break;
    case 9:     /* EL1 may write it, EL0 not */
        emit("\tmsr tpidrro_el0, %s\n", reg(rs_any(), 1));
        break;
    case 10:    /* PAN on: EL1 accesses to EL0 pages fault (but LDTR/STTR) */
        if (rnd(2))
            emit("\tmsr pan, #%u\n", rnd(2));
        else
            emit("\tmrs %s, pan\n", reg(rd_nz(), 1));
        break;
    default:    /* sp: SP_EL0 or SP_EL1 (both start at the block's sp) */
        if (rnd(2))
            emit("\tmsr spsel, #%u\n", rnd(2));
        else
            emit("\tmrs %s, spsel\n", reg(rd_nz(), 1));
        break;
    }
}

/* Misaligned accesses (Normal memory: they complete, unless exclusive or
 * atomic: alignment fault), some crossing into the next test page. */
static void gen_misaligned(void)
{
    static const char *const ld[] = { "ldurh", "ldur", "ldur", "ldursh", "ldursw" };
    static const char *const st[] = { "sturh", "stur", "stur" };
    static const unsigned lsz[] = { 2, 4, 8, 2, 4 }, ssz[] = { 2, 4, 8 };
    unsigned i;
    switch (rnd(5)) {
    case 0:
    case 1: {   /* in the scratch area, through x28 */
        long off = rnd_range(-256, 255 - 8);
        if (off % 2 == 0)
            off++;
        if (rnd(2)) {
            i = rnd(5);
            emit("\t%s %s, [x28, #%ld]\n", ld[i], reg(rd_any(), lsz[i] == 8 || i == 4), off);
        } else {
            i = rnd(3);
            emit("\t%s %s, [x28, #%ld]\n", st[i], reg(rs_any(), ssz[i] == 8), off);
        }
        break;
    }
    case 2: {   /* across the end of test page p */
        int t = rd_nz();
        unsigned p = rnd(NTEST_PAGES);
        /* -Q: not into or out of a page where nothing is: QEMU 7.2 reports
         * the fault of the other page first, writes the part of a store
         * before the page where nothing is, and gives an aligned-down FAR */
        for (int tries = 0; qemu_subset && ((sc.page[p] & D_TO_NOMEM) ||
                                            (p + 1 < NTEST_PAGES && (sc.page[p + 1] & D_TO_NOMEM)));
             tries++) {
            p = rnd(NTEST_PAGES);
            if (tries == 32) {  /* no such page: the scratch area instead */
                emit("\tldur %s, [x28, #%d]\n", reg(rd_any(), 1), 1 + 2 * (int)rnd(100));
                return;
            }
        }
        emit("\tldr x%d, =0x%llx\n", t, (unsigned long long)(TEST_VA + 4096 * (p + 1) - 1 - rnd(6)));
        if (rnd(2))
            emit("\tldr %s, [x%d]\n", reg(rd_not(t, -1, -1), 1), t);
        else
            emit("\tstr %s, [x%d]\n", reg(rs_any(), rnd(2)), t);
        break;
    }
    case 3: {   /* LDP/STP */
        int t = rd_nz(), a = rd_not(t, -1, -1), b = rd_not(t, a, -1);
        emit("\tadd x%d, x28, #%u\n\t%s %s, %s, [x%d]\n", t, 1 + 2 * rnd(60), rnd(2) ? "ldp" : "stp",
             reg(a, 1), reg(b, 1), t);
        break;
    }
    default: {  /* exclusive or atomic: alignment fault */
        int t = rd_nz(), d = rd_not(t, -1, -1);
        emit("\tadd x%d, x28, #%u\n", t, 1 + 2 * rnd(60));
        switch (rnd(3)) {
        case 0: emit("\tldxr %s, [x%d]\n", reg(d, 1), t); break;
        case 1: emit("\tldadd %s, %s, [x%d]\n", reg(rs_any(), 0), reg(d, 0), t); break;
        default: emit("\tcas %s, %s, [x%d]\n", reg(d, 1), reg(rs_any(), 1), t); break;
        }
        break;
    }
    }
}

/* ---- groups ---------------------------------------------------------- */

/* Each sequence draws a profile from these: one group weighs 40 more.
 * FP and AdvSIMD groups go here (with the block and runtime-a64.S
 * loading and saving v0..v31, FPCR and FPSR). */
static const struct {
    const char *name;
    void (*gen)(void);
    unsigned weight;
    int mmu;                    /* traps: only in EL0 and MMU-on sequences */
} groups[] = {
    { "addsub", gen_addsub, 14, 0 },
    { "logic", gen_logic, 10, 0 },
    { "bitfield", gen_bitfield, 10, 0 },
    { "mul", gen_mul, 6, 0 },
    { "onesrc", gen_onesrc, 4, 0 },
    { "cond", gen_cond, 12, 0 },
    { "move", gen_move, 6, 0 },
    { "crc", gen_crc, 2, 0 },
    { "mem", gen_mem, 14, 0 },
    { "pair", gen_pair, 6, 0 },
    { "excl", gen_excl, 4, 0 },
    { "lse", gen_lse, 6, 0 },
    { "sp", gen_sp, 1, 0 },
    { "branch", gen_branch, 8, 0 },
    { "misc", gen_misc, 1, 0 },
    { "fault", gen_fault, 8, 1 },
    { "trap", gen_trap, 6, 1 },
    { "misaligned", gen_misaligned, 4, 1 },
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))
static int group_on[NGROUPS];
static unsigned weight[NGROUPS], weight_sum;

static void pick_profile(void)
{
    unsigned focus = rnd(NGROUPS);
    no_branches = rnd(3) == 0;
    weight_sum = 0;
    for (unsigned g = 0; g < NGROUPS; g++) {
        weight[g] = group_on[g] ? groups[g].weight + (g == focus ? 40 : 0) : 0;
        if (groups[g].gen == gen_branch && no_branches)
            weight[g] = 0;
        if (groups[g].mmu && sc.mode == MODE_EL1_FLAT)
            weight[g] = 0;
        weight_sum += weight[g];
    }
    if (weight_sum == 0) {      /* only branches, in a no-branch sequence */
        weight[0] = 1;
        weight_sum = 1;
    }
}

static void gen_unit(void)
{
    unsigned w = rnd(weight_sum);
    for (unsigned g = 0; g < NGROUPS; g++) {
        if (w < weight[g]) {
            groups[g].gen();
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
    if (sc.mode == MODE_EL0)
        fprintf(out, "\tsvc #0xffff\n");      /* the runtime's handler ends it */
    else
        fprintf(out, "\tmsr tpidr_el1, x30\n\tb dt_save_state\n");
}

/* The block (runtime-a64.S): body, x0..x30, sp, NZCV, scratch. */
static void gen_block(FILE *out, uint64_t seed, int k)
{
    pick_setup(seed, k);
    rng_state = seq_seed(seed, k);
    fprintf(out, "\t.balign 8\ndt_block_%d:\n\t.dword dt_body_%d%s\n", k, k,
            sc.mode == MODE_EL0 ? " + 0x40000000" : "");
    for (int r = 0; r < 31; r++) {
        if (r == BASE && sc.mode == MODE_EL1_FLAT)
            fprintf(out, "\t.dword dt_scratch + %d\n", BASE_OFF);
        else if (r == BASE)
            fprintf(out, "\t.dword 0x%llx\n", TEST_VA + BASE_OFF);
        else
            fprintf(out, "\t.dword 0x%016llx\n", (unsigned long long)rnd_int_value());
    }
    if (sc.mode == MODE_EL1_FLAT)
        fprintf(out, "\t.dword dt_scratch + %d\n", SP_OFF);
    else
        fprintf(out, "\t.dword 0x%llx\n", TEST_VA + SP_OFF);
    fprintf(out, "\t.dword 0x%x\n", rnd(16) << 28);
    for (int i = 0; i < SCRATCH_BYTES / 8; i++) {
        uint64_t v;
        switch (rnd(4)) {
        case 0: v = rnd_double_bits(); break;
        case 1: v = ((uint64_t)rnd_single_bits() << 32) | rnd_single_bits(); break;
        default: v = rnd_int_value(); break;
        }
        fprintf(out, "\t.dword 0x%016llx\n", (unsigned long long)v);
    }
    fprintf(out, "\t.dword %d\t// mode\n", sc.mode);
    for (int p = 0; p < NTEST_PAGES; p++)
        fprintf(out, "\t.dword 0x%llx\t// test page %d\n", (unsigned long long)sc.page[p], p);
    fprintf(out, "\t.dword 0x%016llx\t// tpidr_el0\n", (unsigned long long)rnd_int_value());
}

static void usage(void)
{
    fprintf(stderr, "usage: difftest-gen-a64 [-s SEED] [-f FIRST] [-n COUNT] [-l LEN] [-P] "
            "[-F FULL] [-k K -x SKIPS] [-G GROUPS] [-Q] [-o FILE]\n");
    exit(2);
}

/* -G a,b,c: only those groups */
static void select_groups(const char *list)
{
    memset(group_on, 0, sizeof(group_on));
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        unsigned g;
        for (g = 0; g < NGROUPS; g++)
            if (strlen(groups[g].name) == n && !strncmp(groups[g].name, p, n))
                break;
        if (g == NGROUPS) {
            fprintf(stderr, "difftest-gen-a64: no group '%.*s'; the groups:", (int)n, p);
            for (g = 0; g < NGROUPS; g++)
                fprintf(stderr, " %s", groups[g].name);
            fprintf(stderr, "\n");
            exit(2);
        }
        group_on[g] = 1;
        p += n + (p[n] == ',');
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    long first = 0, count = 100, len = 40, full = -1, skip_k = -1;
    const char *skips = NULL, *outname = NULL;
    FILE *out = stdout;

    for (unsigned g = 0; g < NGROUPS; g++)
        group_on[g] = 1;
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
        if (!v || a[0] != '-' || a[1] == 0 || a[2] != 0)
            usage();
        i++;
        switch (a[1]) {
        case 's': {
            char *end;
            seed = strtoull(v, &end, 0);
            if (*v == 0 || *end != 0) {
                fprintf(stderr, "difftest-gen-a64: seed '%s' is not a number\n", v);
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
        case 'G': select_groups(v); break;
        case 'o': outname = v; break;
        default: usage();
        }
    }
    if (first < 0 || count < 1 || count > 100000 || len < 1 || len > MAX_UNITS) {
        fprintf(stderr, "difftest-gen-a64: need FIRST >= 0, 1 <= COUNT <= 100000, "
                "1 <= LEN <= %d\n", MAX_UNITS);
        exit(2);
    }
    if (outname && !(out = fopen(outname, "w"))) {
        perror(outname);
        exit(2);
    }

    fprintf(out, "# difftest: A64, seed %llu, sequences %ld..%ld, %ld units each\n",
            (unsigned long long)seed, first, first + count - 1, len);
    fprintf(out, "\t.text\n");
    for (long k = first; k < first + count; k++) {
        gen_body(out, seed, (int)k, (int)len, k == skip_k ? skips : NULL);
        /* the literal pool of "ldr x, =..." after each body, in reach */
        fprintf(out, "\t.ltorg\n");
    }
    fprintf(out, "\n\t.data\n\t.balign 8\n\t.globl dt_full_index, dt_first_index, dt_first_block\n"
            "dt_full_index:\n\t.dword %ld\ndt_first_index:\n\t.dword %ld\n"
            "dt_first_block:\n", full, first);
    for (long k = first; k < first + count; k++)
        gen_block(out, seed, (int)k);
    fprintf(out, "\t.dword 0\n");
    if (out != stdout && fclose(out) != 0) {
        perror(outname);
        exit(2);
    }
    return 0;
}
