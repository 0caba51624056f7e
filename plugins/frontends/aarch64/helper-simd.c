/*
 * aarch64 front-end: the AdvSIMD integer data-processing instructions
 * that translate-simd.c does not expand inline, as one interpreter over
 * the register file.
 *
 * simd_exec both decides and executes: it returns false, touching
 * nothing, for an encoding it does not implement (unallocated, a
 * floating-point one, crypto); the translator runs it once on scratch
 * registers to know whether the insn is defined, then emits a call of
 * aarch64_helper_simd with the insn as a constant.  The decode thus
 * lives in one place.  Register numbers wrap modulo 32 (TBL lists).
 *
 * Lanes: element i of size 8 << esz bits sits at bit i << (esz + 3) of
 * the 128-bit register (vreg[n][0] bits 63:0, [1] bits 127:64).
 * Arithmetic runs on __int128 so that no intermediate overflows; the
 * saturating forms set FPSR.QC (bit 27).
 */
#include <string.h>

#include "cpu.h"
#include "translate.h"

#define FPSR_QC (UINT64_C(1) << 27)

typedef __int128 i128;

/* the state of one execution: the registers and the sticky QC */
typedef struct Simd {
    uint64_t (*v)[2];
    bool qc;
} Simd;

static uint64_t ones(unsigned bits)
{
    return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
}

static int64_t sext(uint64_t x, unsigned bits)
{
    return bits >= 64 ? (int64_t)x : (int64_t)(x << (64 - bits)) >> (64 - bits);
}

static uint64_t elt(const uint64_t *v, unsigned esz, unsigned i)
{
    unsigned off = i << (esz + 3);

    return (v[off >> 6] >> (off & 63)) & ones(8u << esz);
}

static void set_elt(uint64_t *v, unsigned esz, unsigned i, uint64_t x)
{
    unsigned off = i << (esz + 3);
    uint64_t m = ones(8u << esz) << (off & 63);

    v[off >> 6] = (v[off >> 6] & ~m) | ((x << (off & 63)) & m);
}

/* element i as a signed (s) or unsigned value */
static i128 elt_x(const uint64_t *v, unsigned esz, unsigned i, bool s)
{
    uint64_t x = elt(v, esz, i);

    return s ? (i128)sext(x, 8u << esz) : (i128)x;
}

static i128 smax_of(unsigned bits) { return ((i128)1 << (bits - 1)) - 1; }

static uint64_t sat_s(Simd *s, i128 x, unsigned bits)
{
    i128 max = smax_of(bits), min = -max - 1;

    if (x > max) {
        s->qc = true;
        x = max;
    } else if (x < min) {
        s->qc = true;
        x = min;
    }
    return (uint64_t)x & ones(bits);
}

static uint64_t sat_u(Simd *s, i128 x, unsigned bits)
{
    i128 max = (i128)ones(bits);

    if (x > max) {
        s->qc = true;
        x = max;
    } else if (x < 0) {
        s->qc = true;
        x = 0;
    }
    return (uint64_t)x;
}

static uint64_t sat(Simd *s, i128 x, unsigned bits, bool sgn)
{
    return sgn ? sat_s(s, x, bits) : sat_u(s, x, bits);
}

/* x shifted right by n (0..127), rounding to nearest with ties up when
   round is set; arithmetic on the signed 128-bit value */
static i128 shr_rnd(i128 x, unsigned n, bool round)
{
    if (n == 0) {
        return x;
    }
    if (n > 100) {
        n = 100;                /* x has at most 65 significant bits */
    }
    if (round) {
        x += (i128)1 << (n - 1);
    }
    return x >> n;
}

/* SSHL/USHL and their saturating (sat) and rounding forms: a (signed
   when sgn) shifted by the signed low byte of b; bits-wide result */
static uint64_t shl_reg(Simd *s, i128 a, uint64_t b, unsigned bits, bool sgn, bool round,
                        bool satur)
{
    int sh = (int8_t)b;
    i128 r;

    if (sh >= 0) {
        if (sh >= (int)bits) {
            if (!satur || a == 0) {
                return 0;
            }
            /* any nonzero value overflows: saturate by its sign */
            return sat(s, a > 0 ? (i128)1 << 100 : -((i128)1 << 100), bits, sgn);
        }
        r = a << sh;
    } else {
        r = shr_rnd(a, (unsigned)-sh, round);
    }
    return satur ? sat(s, r, bits, sgn) : (uint64_t)r & ones(bits);
}

static uint64_t absdiff(i128 a, i128 b)
{
    return (uint64_t)(a > b ? a - b : b - a);
}

/* carry-less product of two bytes */
static uint64_t clmul8(uint64_t a, uint64_t b)
{
    uint64_t r = 0;

    for (int i = 0; i < 8; i++) {
        if (b & (1u << i)) {
            r ^= a << i;
        }
    }
    return r;
}

/* ---- three registers of the same type (opcode = insn[15:11]) ---- */

/* one lane; sgn = !U for the ops with signed and unsigned forms */
static uint64_t op_3same(Simd *s, unsigned opc, bool u, unsigned bits, uint64_t ua, uint64_t ub,
                         uint64_t ud)
{
    bool sg = !u;
    i128 a = sg ? (i128)sext(ua, bits) : (i128)ua;
    i128 b = sg ? (i128)sext(ub, bits) : (i128)ub;
    uint64_t m = ones(bits);

    switch (opc) {
    case 0x00: return (uint64_t)((a + b) >> 1) & m;                 /* SHADD */
    case 0x01: return sat(s, a + b, bits, sg);                      /* SQADD */
    case 0x02: return (uint64_t)((a + b + 1) >> 1) & m;             /* SRHADD */
    case 0x04: return (uint64_t)((a - b) >> 1) & m;                 /* SHSUB */
    case 0x05: return sat(s, a - b, bits, sg);                      /* SQSUB */
    case 0x06: return a > b ? m : 0;                                /* CMGT/CMHI */
    case 0x07: return a >= b ? m : 0;                               /* CMGE/CMHS */
    case 0x08: return shl_reg(s, a, ub, bits, sg, false, false);    /* SSHL */
    case 0x09: return shl_reg(s, a, ub, bits, sg, false, true);     /* SQSHL */
    case 0x0a: return shl_reg(s, a, ub, bits, sg, true, false);     /* SRSHL */
    case 0x0b: return shl_reg(s, a, ub, bits, sg, true, true);      /* SQRSHL */
    case 0x0c: case 0x14: return (uint64_t)(a > b ? a : b) & m;     /* SMAX(P) */
    case 0x0d: case 0x15: return (uint64_t)(a < b ? a : b) & m;     /* SMIN(P) */
    case 0x0e: return absdiff(a, b) & m;                            /* SABD */
    case 0x0f: return (ud + absdiff(a, b)) & m;                     /* SABA */
    case 0x10: return (u ? ua - ub : ua + ub) & m;                  /* ADD/SUB */
    case 0x11: return (u ? ua == ub : (ua & ub) != 0) ? m : 0;      /* CMEQ/CMTST */
    case 0x12: return (u ? ud - ua * ub : ud + ua * ub) & m;        /* MLA/MLS */
    case 0x13: return (u ? clmul8(ua, ub) : ua * ub) & m;           /* PMUL/MUL */
    case 0x16: {                                                    /* SQ(R)DMULH */
        a = (i128)sext(ua, bits);
        b = (i128)sext(ub, bits);
        return sat_s(s, shr_rnd(2 * a * b, bits, u), bits);
    }
    case 0x17: return (ua + ub) & m;                                /* ADDP */
    }
    return 0;
}

static bool three_same(Simd *s, uint32_t insn, bool scalar)
{
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, size = insn >> 22 & 3;
    unsigned opc = insn >> 11 & 31, esz = size, bits = 8u << size;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 31;
    unsigned n = scalar ? 1 : (8u << q) >> size;
    uint64_t a[2], b[2], d[2], r[2] = { 0, 0 };

    if (opc >= 0x18) {
        return false;           /* floating point */
    }
    if (scalar) {
        /* the scalar forms: saturating ones at every size, SQDMULH at
           16 and 32, the rest 64-bit only */
        switch (opc) {
        case 0x01: case 0x05: case 0x09: case 0x0b:
            break;
        case 0x16:
            if (size == 0 || size == 3) {
                return false;
            }
            break;
        case 0x06: case 0x07: case 0x08: case 0x0a: case 0x10: case 0x11:
            if (size != 3) {
                return false;
            }
            break;
        default:
            return false;
        }
    } else {
        switch (opc) {
        case 0x03:              /* logical: size selects the op */
            break;
        case 0x00: case 0x02: case 0x04: case 0x0c: case 0x0d: case 0x0e: case 0x0f:
        case 0x12: case 0x14: case 0x15:
            if (size == 3) {
                return false;
            }
            break;
        case 0x13:
            if (size == 3 || (u && size != 0)) {
                return false;
            }
            break;
        case 0x16:
            if (size == 0 || size == 3) {
                return false;
            }
            break;
        case 0x17:
            if (u || (size == 3 && !q)) {
                return false;
            }
            break;
        default:
            if (size == 3 && !q) {
                return false;
            }
            break;
        }
    }
    if (!s->v) {
        return true;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(b, s->v[rm], 16);
    memcpy(d, s->v[rd], 16);
    if (opc == 0x03) {
        for (unsigned h = 0; h < 2; h++) {
            uint64_t x = a[h], y = b[h], z = d[h];
            switch (u << 2 | size) {
            case 0: r[h] = x & y; break;                    /* AND */
            case 1: r[h] = x & ~y; break;                   /* BIC */
            case 2: r[h] = x | y; break;                    /* ORR */
            case 3: r[h] = x | ~y; break;                   /* ORN */
            case 4: r[h] = x ^ y; break;                    /* EOR */
            case 5: r[h] = (z & x) | (~z & y); break;       /* BSL */
            case 6: r[h] = (y & x) | (~y & z); break;       /* BIT */
            case 7: r[h] = (y & z) | (~y & x); break;       /* BIF */
            }
        }
    } else if (opc == 0x14 || opc == 0x15 || opc == 0x17) {
        /* pairwise: lanes of Rn:Rm (Rn low) taken two by two */
        for (unsigned i = 0; i < n; i++) {
            const uint64_t *src = i < n / 2 ? a : b;
            unsigned j = 2 * (i < n / 2 ? i : i - n / 2);
            set_elt(r, esz, i, op_3same(s, opc, u, bits, elt(src, esz, j),
                                        elt(src, esz, j + 1), 0));
        }
    } else {
        for (unsigned i = 0; i < n; i++) {
            set_elt(r, esz, i, op_3same(s, opc, u, bits, elt(a, esz, i), elt(b, esz, i),
                                        elt(d, esz, i)));
        }
    }
    if (!q || scalar) {
        r[1] = 0;
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

/* ---- three registers of different types (opcode = insn[15:12]) ---- */

/* the doubling product of SQDMULL & co, saturated to 2 * bits */
static i128 sqdmull(Simd *s, i128 a, i128 b, unsigned bits)
{
    return (i128)sext(sat_s(s, 2 * a * b, 2 * bits), 2 * bits);
}

static bool three_diff(Simd *s, uint32_t insn, bool scalar)
{
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, size = insn >> 22 & 3;
    unsigned opc = insn >> 12 & 15, esz = size, bits = 8u << size;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 31;
    unsigned n = scalar ? 1 : 8u >> size, part = scalar ? 0 : q * n;
    bool sg = !u;
    uint64_t a[2], b[2], d[2], r[2] = { 0, 0 };

    if (size == 3 || opc == 15) {
        return false;
    }
    switch (opc) {
    case 9: case 11: case 13:   /* SQDMLAL, SQDMLSL, SQDMULL */
        if (u || size == 0) {
            return false;
        }
        break;
    case 14:                    /* PMULL (the 64-bit form is crypto) */
        if (u || size != 0) {
            return false;
        }
        /* fall through */
    default:
        if (scalar) {
            return false;
        }
    }
    if (!s->v) {
        return true;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(b, s->v[rm], 16);
    memcpy(d, s->v[rd], 16);
    if (opc == 4 || opc == 6) {
        /* ADDHN, RADDHN, SUBHN, RSUBHN: the high halves, into part q */
        if (q) {
            r[0] = d[0];
        }
        for (unsigned i = 0; i < n; i++) {
            uint64_t x = elt(a, esz + 1, i), y = elt(b, esz + 1, i);
            uint64_t w = opc == 4 ? x + y : x - y;
            if (u) {
                w += UINT64_C(1) << (bits - 1);
            }
            set_elt(r, esz, part + i, w >> bits);
        }
        memcpy(s->v[rd], r, 16);
        return true;
    }
    for (unsigned i = 0; i < n; i++) {
        i128 x, y = elt_x(b, esz, part + i, sg), acc = elt_x(d, esz + 1, i, sg);
        uint64_t w;

        if (opc == 1 || opc == 3) {
            x = elt_x(a, esz + 1, i, sg);       /* the W forms: Rn is wide */
        } else {
            x = elt_x(a, esz, part + i, sg);
        }
        switch (opc) {
        case 0: case 1: w = (uint64_t)(x + y); break;
        case 2: case 3: w = (uint64_t)(x - y); break;
        case 5: w = (uint64_t)acc + absdiff(x, y); break;
        case 7: w = absdiff(x, y); break;
        case 8: w = (uint64_t)(acc + x * y); break;
        case 10: w = (uint64_t)(acc - x * y); break;
        case 12: w = (uint64_t)(x * y); break;
        case 9: w = sat_s(s, acc + sqdmull(s, x, y, bits), 2 * bits); break;
        case 11: w = sat_s(s, acc - sqdmull(s, x, y, bits), 2 * bits); break;
        case 13: w = (uint64_t)sqdmull(s, x, y, bits); break;
        default: w = clmul8((uint64_t)x & 0xff, (uint64_t)y & 0xff); break;  /* PMULL */
        }
        set_elt(r, esz + 1, i, w);
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

/* ---- two-register miscellaneous (opcode = insn[16:12]) ---- */

static uint64_t cls_clz(uint64_t x, unsigned bits, bool cls)
{
    unsigned c = 0;

    if (cls) {
        x = (x ^ (x >> 1)) & ones(bits - 1);  /* bit i: bits i and i+1 differ */
        bits--;
    }
    while (c < bits && !(x >> (bits - 1 - c) & 1)) {
        c++;
    }
    return c;
}

/* URECPE: 1/x for x in [0.5, 1) as a 0.32 fixed-point value, 9 bits
   of estimate in [1, 2) (the Arm ARM's RecipEstimate); x < 0.5 gives
   all ones */
static uint64_t urecpe(uint64_t x)
{
    uint64_t a, b;

    if (!(x >> 31)) {
        return 0xffffffff;
    }
    a = (x >> 23) * 2 + 1;              /* the top 9 bits, rounded */
    b = (UINT64_C(1) << 19) / a;
    return ((b + 1) / 2) << 23;
}

/* URSQRTE: 1/sqrt(x) for x in [0.25, 1), 9 bits (RecipSqrtEstimate);
   x < 0.25 gives all ones */
static uint64_t ursqrte(uint64_t x)
{
    uint64_t a = x >> 23, b = 512;

    if (!(x >> 30)) {
        return 0xffffffff;
    }
    a = a < 256 ? a * 2 + 1 : ((a >> 1) << 1) * 2 + 2;
    while (a * (b + 1) * (b + 1) < (UINT64_C(1) << 28)) {
        b++;
    }
    return ((b + 1) / 2) << 23;
}

static uint64_t rbit8(uint64_t x)
{
    uint64_t r = 0;

    for (int i = 0; i < 8; i++) {
        r |= (x >> i & 1) << (7 - i);
    }
    return r;
}

static bool two_misc(Simd *s, uint32_t insn, bool scalar)
{
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, size = insn >> 22 & 3;
    unsigned opc = insn >> 12 & 31, esz = size, bits = 8u << size;
    unsigned rd = insn & 31, rn = insn >> 5 & 31;
    unsigned n = scalar ? 1 : (8u << q) >> size;
    bool sg = !u;
    uint64_t a[2], d[2], r[2] = { 0, 0 }, m = ones(bits);
    /* which sizes are allocated: a mask of 1 << size, vector and scalar */
    unsigned vsizes, ssizes = 0;

    switch (opc) {
    case 0x00: vsizes = u ? 3 : 7; break;               /* REV32, REV64 */
    case 0x01: vsizes = u ? 0 : 1; break;               /* REV16 */
    case 0x02: case 0x06: case 0x04: vsizes = 7; break; /* [SU]ADDLP, [SU]ADALP, CLS/CLZ */
    case 0x05: vsizes = u ? 3 : 1; break;               /* NOT/RBIT, CNT */
    case 0x03: case 0x07: vsizes = ssizes = 15; break;  /* SUQADD/USQADD, SQABS/SQNEG */
    case 0x08: case 0x09: case 0x0b: vsizes = 15; ssizes = 8; break;
    case 0x0a: vsizes = u ? 0 : 15; ssizes = u ? 0 : 8; break;     /* CMLT #0 */
    case 0x12: vsizes = 7; ssizes = u ? 7 : 0; break;   /* XTN, SQXTUN */
    case 0x13: vsizes = u ? 7 : 0; break;               /* SHLL */
    case 0x14: vsizes = ssizes = 7; break;              /* SQXTN, UQXTN */
    case 0x1c: vsizes = 4; break;                       /* URECPE, URSQRTE */
    default: return false;
    }
    if (!((scalar ? ssizes : vsizes) >> size & 1) || (!scalar && size == 3 && !q)) {
        return false;
    }
    if (!s->v) {
        return true;
    }
    if (opc == 0x05) {
        /* CNT, NOT, RBIT: bytes (size selects NOT or RBIT) */
        esz = 0;
        bits = 8;
        n = 8u << q;
        m = 0xff;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(d, s->v[rd], 16);
    switch (opc) {
    case 0x00: case 0x01: {                     /* REV64, REV32, REV16 */
        unsigned cont = opc == 1 ? 16 : u ? 32 : 64;
        unsigned flip = cont / bits - 1;
        for (unsigned i = 0; i < n; i++) {
            set_elt(r, esz, i, elt(a, esz, i ^ flip));
        }
        break;
    }
    case 0x02: case 0x06:                       /* [SU]ADDLP, [SU]ADALP */
        for (unsigned i = 0; i < n / 2; i++) {
            i128 w = elt_x(a, esz, 2 * i, sg) + elt_x(a, esz, 2 * i + 1, sg);
            if (opc == 0x06) {
                w += elt(d, esz + 1, i);
            }
            set_elt(r, esz + 1, i, (uint64_t)w);
        }
        break;
    case 0x12: case 0x14: case 0x13:            /* narrowing, SHLL */
        if (opc == 0x13) {
            for (unsigned i = 0; i < 8u >> size; i++) {
                set_elt(r, esz + 1, i, elt(a, esz, q * (8u >> size) + i) << bits);
            }
            memcpy(s->v[rd], r, 16);    /* a 128-bit result either way */
            return true;
        }
        n = scalar ? 1 : 8u >> size;
        if (q && !scalar) {
            r[0] = d[0];
        }
        for (unsigned i = 0; i < n; i++) {
            i128 x = elt_x(a, esz + 1, i, opc == 0x12 ? true : sg);
            uint64_t w;
            if (opc == 0x12 && !u) {
                w = (uint64_t)x;                                /* XTN */
            } else if (opc == 0x12) {
                w = sat_u(s, x, bits);                          /* SQXTUN */
            } else {
                w = sat(s, x, bits, sg);                        /* SQXTN, UQXTN */
            }
            set_elt(r, esz, (scalar ? 0 : q * n) + i, w);
        }
        memcpy(s->v[rd], r, 16);
        return true;
    default:
        for (unsigned i = 0; i < n; i++) {
            uint64_t x = elt(a, esz, i), w = 0;
            i128 sx = sext(x, bits);
            switch (opc) {
            case 0x03:
                if (u) {                                        /* USQADD */
                    w = sat_u(s, (i128)elt(d, esz, i) + sx, bits);
                } else {                                        /* SUQADD */
                    w = sat_s(s, (i128)sext(elt(d, esz, i), bits) + (i128)x, bits);
                }
                break;
            case 0x04: w = cls_clz(x, bits, !u); break;
            case 0x05:
                w = !u ? (uint64_t)__builtin_popcountll(x) : size ? rbit8(x) : ~x & m;
                break;
            case 0x07: w = sat_s(s, u ? -sx : sx < 0 ? -sx : sx, bits); break;
            case 0x08: w = (u ? sx >= 0 : sx > 0) ? m : 0; break;
            case 0x09: w = (u ? sx <= 0 : sx == 0) ? m : 0; break;
            case 0x0a: w = sx < 0 ? m : 0; break;
            case 0x0b: w = (uint64_t)(u ? -sx : sx < 0 ? -sx : sx) & m; break;
            case 0x1c: w = u ? ursqrte(x) : urecpe(x); break;
            }
            set_elt(r, esz, i, w);
        }
        break;
    }
    if (!q || scalar) {
        r[1] = 0;
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

/* ---- across lanes (opcode = insn[16:12]); scalar pairwise ADDP ---- */

static bool across(Simd *s, uint32_t insn)
{
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, size = insn >> 22 & 3;
    unsigned opc = insn >> 12 & 31, esz = size;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, n = (8u << q) >> size;
    bool sg = !u;
    uint64_t r[2] = { 0, 0 };
    i128 acc;

    if ((opc != 0x03 && opc != 0x0a && opc != 0x1a && opc != 0x1b) || (opc == 0x1b && u) ||
        size == 3 || (size == 2 && !q)) {
        return false;
    }
    if (!s->v) {
        return true;
    }
    acc = elt_x(s->v[rn], esz, 0, sg);
    for (unsigned i = 1; i < n; i++) {
        i128 x = elt_x(s->v[rn], esz, i, sg);
        switch (opc) {
        case 0x0a: acc = x > acc ? x : acc; break;
        case 0x1a: acc = x < acc ? x : acc; break;
        default: acc += x; break;
        }
    }
    /* SADDLV/UADDLV keep the sum at twice the element size */
    r[0] = (uint64_t)acc & ones(8u << (opc == 0x03 ? esz + 1 : esz));
    memcpy(s->v[rd], r, 16);
    return true;
}

static bool scalar_pairwise(Simd *s, uint32_t insn)
{
    unsigned u = insn >> 29 & 1, size = insn >> 22 & 3, opc = insn >> 12 & 31;
    unsigned rd = insn & 31, rn = insn >> 5 & 31;

    if (u || opc != 0x1b || size != 3) {
        return false;           /* the others are floating point */
    }
    if (s->v) {
        uint64_t sum = s->v[rn][0] + s->v[rn][1];
        s->v[rd][0] = sum;
        s->v[rd][1] = 0;
    }
    return true;
}

/* ---- permutes, EXT, TBL/TBX ---- */

static bool permute(Simd *s, uint32_t insn)
{
    unsigned q = insn >> 30 & 1, size = insn >> 22 & 3, opc = insn >> 12 & 7, esz = size;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 31;
    unsigned n = (8u << q) >> size, hi = opc >> 2 & 1;
    uint64_t a[2], b[2], r[2] = { 0, 0 };

    if ((opc & 3) == 0 || (size == 3 && !q)) {
        return false;
    }
    if (!s->v) {
        return true;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(b, s->v[rm], 16);
    for (unsigned i = 0; i < n; i++) {
        uint64_t x;
        switch (opc & 3) {
        case 1: {                                       /* UZP1/UZP2 */
            unsigned j = 2 * i + hi;
            x = j < n ? elt(a, esz, j) : elt(b, esz, j - n);
            break;
        }
        case 2:                                         /* TRN1/TRN2 */
            x = elt(i & 1 ? b : a, esz, (i & ~1u) + hi);
            break;
        default:                                        /* ZIP1/ZIP2 */
            x = elt(i & 1 ? b : a, esz, hi * n / 2 + i / 2);
            break;
        }
        set_elt(r, esz, i, x);
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

static bool ext(Simd *s, uint32_t insn)
{
    unsigned q = insn >> 30 & 1, imm = insn >> 11 & 15;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 31, nb = 8u << q;
    uint64_t a[2], b[2], r[2] = { 0, 0 };

    if ((insn >> 22 & 3) || (!q && imm >= 8)) {
        return false;
    }
    if (!s->v) {
        return true;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(b, s->v[rm], 16);
    for (unsigned i = 0; i < nb; i++) {
        unsigned j = i + imm;
        set_elt(r, 0, i, j < nb ? elt(a, 0, j) : elt(b, 0, j - nb));
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

static bool tbl(Simd *s, uint32_t insn)
{
    unsigned q = insn >> 30 & 1, len = (insn >> 13 & 3) + 1, tbx = insn >> 12 & 1;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 31;
    uint64_t t[8], idx[2], r[2];

    if (insn >> 22 & 3) {
        return false;
    }
    if (!s->v) {
        return true;
    }
    for (unsigned k = 0; k < len; k++) {
        memcpy(&t[2 * k], s->v[(rn + k) % 32], 16);
    }
    memcpy(idx, s->v[rm], 16);
    memcpy(r, s->v[rd], 16);
    for (unsigned i = 0; i < 8u << q; i++) {
        unsigned j = (unsigned)elt(idx, 0, i);
        if (j < 16 * len) {
            set_elt(r, 0, i, elt(t, 0, j));
        } else if (!tbx) {
            set_elt(r, 0, i, 0);
        }
    }
    if (!q) {
        r[1] = 0;
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

/* ---- shift by immediate (opcode = insn[15:11]) ---- */

static bool shift_imm(Simd *s, uint32_t insn, bool scalar)
{
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, immh = insn >> 19 & 15;
    unsigned ih = insn >> 16 & 127, opc = insn >> 11 & 31;
    unsigned rd = insn & 31, rn = insn >> 5 & 31;
    unsigned esz = 31 - (unsigned)__builtin_clz(immh), bits = 8u << esz;
    unsigned rsh = 2 * bits - ih, lsh = ih - bits;
    unsigned n = scalar ? 1 : (8u << q) >> esz;
    bool sg = !u, narrow = opc >= 0x10 && opc <= 0x13;
    uint64_t a[2], d[2], r[2] = { 0, 0 }, m = ones(bits);

    switch (opc) {
    case 0x00: case 0x02: case 0x04: case 0x06:     /* [SU]SHR, [SU]SRA, [SU]RSHR, [SU]RSRA */
        break;
    case 0x08: case 0x0c:                           /* SRI, SQSHLU */
        if (!u) {
            return false;
        }
        break;
    case 0x0a: case 0x0e:                           /* SHL/SLI, SQSHL/UQSHL */
        break;
    case 0x10: case 0x11:                           /* SHRN, RSHRN, SQ(R)SHRUN */
        if (scalar && !u) {
            return false;
        }
        /* fall through */
    case 0x12: case 0x13:                           /* SQ(R)SHRN, UQ(R)SHRN */
        if (esz == 3) {
            return false;
        }
        break;
    case 0x14:                                      /* SSHLL, USHLL */
        if (scalar || esz == 3) {
            return false;
        }
        break;
    default:
        return false;                               /* the fixed-point conversions */
    }
    if (scalar && !narrow && esz != 3 && opc != 0x0c && opc != 0x0e) {
        return false;                               /* 64-bit only */
    }
    if (!scalar && !narrow && opc != 0x14 && esz == 3 && !q) {
        return false;
    }
    if (!s->v) {
        return true;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(d, s->v[rd], 16);
    if (narrow) {
        n = scalar ? 1 : 8u >> esz;
        if (q && !scalar) {
            r[0] = d[0];
        }
        for (unsigned i = 0; i < n; i++) {
            bool round = opc & 1;
            /* SQSHRUN/SQRSHRUN: a signed source, an unsigned result */
            bool ssrc = u && opc <= 0x11 ? true : sg;
            i128 x = shr_rnd(elt_x(a, esz + 1, i, ssrc), rsh, round);
            uint64_t w;
            if (opc <= 0x11) {
                w = u ? sat_u(s, x, bits) : (uint64_t)x;
            } else {
                w = sat(s, x, bits, sg);
            }
            set_elt(r, esz, (scalar ? 0 : q * n) + i, w);
        }
        memcpy(s->v[rd], r, 16);
        return true;
    }
    if (opc == 0x14) {
        for (unsigned i = 0; i < 8u >> esz; i++) {
            i128 x = elt_x(a, esz, q * (8u >> esz) + i, sg);
            set_elt(r, esz + 1, i, (uint64_t)(x << lsh));
        }
        memcpy(s->v[rd], r, 16);
        return true;
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t x = elt(a, esz, i), dd = elt(d, esz, i), w;
        i128 sx = elt_x(a, esz, i, sg);
        switch (opc) {
        case 0x00: case 0x04:
            w = (uint64_t)shr_rnd(sx, rsh, opc == 0x04) & m;
            break;
        case 0x02: case 0x06:
            w = (dd + (uint64_t)shr_rnd(sx, rsh, opc == 0x06)) & m;
            break;
        case 0x08: {                                /* SRI */
            uint64_t mask = rsh >= bits ? 0 : m >> rsh;
            w = (dd & ~mask) | (rsh >= bits ? 0 : x >> rsh);
            break;
        }
        case 0x0a:
            if (u) {                                /* SLI */
                uint64_t mask = (m << lsh) & m;
                w = (dd & ~mask) | ((x << lsh) & mask);
            } else {                                /* SHL */
                w = (x << lsh) & m;
            }
            break;
        case 0x0c:                                  /* SQSHLU */
            w = sat_u(s, (i128)sext(x, bits) << lsh, bits);
            break;
        default:                                    /* SQSHL, UQSHL */
            w = sat(s, sx << lsh, bits, sg);
            break;
        }
        set_elt(r, esz, i, w);
    }
    if (!q || scalar) {
        r[1] = 0;
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

/* ---- vector x indexed element (opcode = insn[15:12]) ---- */

static bool by_elem(Simd *s, uint32_t insn, bool scalar)
{
    unsigned q = insn >> 30 & 1, u = insn >> 29 & 1, size = insn >> 22 & 3;
    unsigned opc = insn >> 12 & 15, esz = size, bits = 8u << size;
    unsigned rd = insn & 31, rn = insn >> 5 & 31, rm = insn >> 16 & 15;
    unsigned h = insn >> 11 & 1, l = insn >> 21 & 1, mbit = insn >> 20 & 1, idx;
    bool lng = opc == 2 || opc == 3 || opc == 6 || opc == 7 || opc == 10 || opc == 11;
    bool sg = !u;
    unsigned n;
    uint64_t a[2], d[2], r[2] = { 0, 0 };
    i128 y;

    if (size == 1) {
        idx = h << 2 | l << 1 | mbit;
    } else if (size == 2) {
        idx = h << 1 | l;
        rm |= mbit << 4;
    } else {
        return false;
    }
    switch (opc) {
    case 0: case 4:                     /* MLA, MLS */
        if (!u || scalar) {
            return false;
        }
        break;
    case 8:                             /* MUL */
    case 12: case 13:                   /* SQDMULH, SQRDMULH */
        if (u || (opc == 8 && scalar)) {
            return false;
        }
        break;
    case 2: case 6: case 10:            /* [SU]MLAL, [SU]MLSL, [SU]MULL */
        if (scalar) {
            return false;
        }
        break;
    case 3: case 7: case 11:            /* SQDMLAL, SQDMLSL, SQDMULL */
        if (u) {
            return false;
        }
        break;
    default:
        return false;
    }
    if (!s->v) {
        return true;
    }
    memcpy(a, s->v[rn], 16);
    memcpy(d, s->v[rd], 16);
    y = elt_x(s->v[rm], esz, idx, lng ? sg : true);
    if (lng) {
        unsigned part;
        n = scalar ? 1 : 8u >> size;
        part = scalar ? 0 : q * n;
        for (unsigned i = 0; i < n; i++) {
            i128 x = elt_x(a, esz, part + i, sg), acc = elt_x(d, esz + 1, i, sg);
            uint64_t w;
            switch (opc) {
            case 2: w = (uint64_t)(acc + x * y); break;
            case 6: w = (uint64_t)(acc - x * y); break;
            case 10: w = (uint64_t)(x * y); break;
            case 3: w = sat_s(s, acc + sqdmull(s, x, y, bits), 2 * bits); break;
            case 7: w = sat_s(s, acc - sqdmull(s, x, y, bits), 2 * bits); break;
            default: w = (uint64_t)sqdmull(s, x, y, bits); break;
            }
            set_elt(r, esz + 1, i, w);
        }
        memcpy(s->v[rd], r, 16);
        return true;
    }
    n = scalar ? 1 : (8u << q) >> size;
    for (unsigned i = 0; i < n; i++) {
        i128 x = elt_x(a, esz, i, true);
        uint64_t w, m = ones(bits), dd = elt(d, esz, i);
        switch (opc) {
        case 0: w = (dd + (uint64_t)(x * y)) & m; break;
        case 4: w = (dd - (uint64_t)(x * y)) & m; break;
        case 8: w = (uint64_t)(x * y) & m; break;
        default: w = sat_s(s, shr_rnd(2 * x * y, bits, opc == 13), bits); break;
        }
        set_elt(r, esz, i, w);
    }
    if (!q || scalar) {
        r[1] = 0;
    }
    memcpy(s->v[rd], r, 16);
    return true;
}

/* DUP (element), scalar form */
static bool scalar_dup(Simd *s, uint32_t insn)
{
    unsigned imm5 = insn >> 16 & 31, rd = insn & 31, rn = insn >> 5 & 31, esz;

    if ((insn >> 29 & 1) || (insn >> 11 & 15) || !(imm5 & 15)) {
        return false;
    }
    esz = (unsigned)__builtin_ctz(imm5);
    if (s->v) {
        uint64_t x = elt(s->v[rn], esz, imm5 >> (esz + 1));
        s->v[rd][0] = x;
        s->v[rd][1] = 0;
    }
    return true;
}

/* Decode and, with s->v set, execute insn.  The vector forms have
   insn[28] = 0, the scalar ones insn[30:28] = 0b101; insn[24] splits
   each into the register groups (0) and the shift and by-element ones
   (1).  The copy group and the modified immediates are translated
   inline and do not come here. */
static bool simd_run(Simd *s, uint32_t insn)
{
    bool scalar = insn >> 28 & 1;

    if (insn >> 31 || (scalar && !(insn >> 30 & 1)) || (insn >> 25 & 7) != 7) {
        return false;
    }
    if (!(insn >> 24 & 1)) {
        if (insn >> 21 & 1) {
            if (insn >> 10 & 1) {
                return three_same(s, insn, scalar);
            }
            if (!(insn >> 11 & 1)) {
                return three_diff(s, insn, scalar);
            }
            switch (insn >> 17 & 15) {
            case 0x0: return two_misc(s, insn, scalar);
            case 0x8: return scalar ? scalar_pairwise(s, insn) : across(s, insn);
            }
            return false;       /* crypto */
        }
        if (insn >> 15 & 1) {
            return false;       /* FP16, the v8.2 dot products */
        }
        if (insn >> 10 & 1) {
            return scalar && (insn >> 21 & 7) == 0 ? scalar_dup(s, insn) : false;
        }
        if (scalar) {
            return false;       /* SHA */
        }
        if (insn >> 29 & 1) {
            return ext(s, insn);
        }
        return (insn >> 11 & 1) ? permute(s, insn) : tbl(s, insn);
    }
    if (!(insn >> 10 & 1)) {
        return by_elem(s, insn, scalar);
    }
    if ((insn >> 23 & 1) || !(insn >> 19 & 15)) {
        return false;           /* modified immediate: translated inline */
    }
    return shift_imm(s, insn, scalar);
}

bool simd_exec(uint64_t (*vreg)[2], uint64_t *fpsr, uint32_t insn)
{
    Simd s = { vreg, false };
    bool ok = simd_run(&s, insn);

    if (s.qc && fpsr) {
        *fpsr |= FPSR_QC;
    }
    return ok;
}

static uint64_t helper_simd(void *env, uint64_t insn, uint64_t a1 UNUSED, uint64_t a2 UNUSED,
                            uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *e = env;

    simd_exec(e->vreg, &e->fpsr, (uint32_t)insn);
    return 0;
}

/* reads and writes only vreg and fpsr, which are no IR globals */
const LoomIRHelper aarch64_helper_simd = {
    helper_simd, "simd",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE,
};
