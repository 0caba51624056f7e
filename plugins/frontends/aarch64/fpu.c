/*
 * aarch64 front-end: floating-point arithmetic with Arm's results and
 * FPSR flags, for the scalar FP and AdvSIMD translators.
 *
 * How:
 *  - NaNs, flushing of denormal inputs (FPCR.FZ, FPSR.IDC), default NaNs
 *    (FPCR.DN) and the special cases of FMULX/FRECPS/FRSQRTS are decided
 *    here on the bit patterns, before the host sees an operand.  NaN
 *    propagation is Arm's: the first signaling NaN (quieted, IOC), else
 *    the first quiet NaN, in operand order (the fused ops: addend first).
 *  - The arithmetic itself (S in float, D in double: one correct
 *    rounding) runs on the host FPU with FPCR.RMode as the host rounding
 *    mode; the host reports invalid, divide-by-zero, overflow and
 *    inexact.  A NaN it produces from non-NaN operands becomes Arm's
 *    default NaN (positive, unlike x86's).
 *  - Underflow is Arm's, not the host's: tininess is detected before
 *    rounding.  A result below the smallest normal is tiny; one that
 *    rounded up to exactly the smallest normal is recomputed rounding
 *    toward zero to see which side the exact value lay.  Tiny and FZ:
 *    a signed zero and UFC only; tiny and inexact: UFC and IXC.
 *  - Rounding to an integral value (FRINT*, FP to integer, and to half
 *    precision after an exact scaling) is integer code (round_int), for
 *    every mode including ties-away: host rint() under a directed mode
 *    was seen to round the wrong way on a virtualised x86 host.
 *  - Conversions to and from half precision (FCVT, FCVTN/FCVTL, with
 *    FPCR.AHP's alternative format) and the estimates (FRECPE, FRSQRTE,
 *    FRECPX) are integer code or exact scalings.
 *
 * Host state: each host computation sets the rounding mode and clears
 * the host's flags, and puts round-to-nearest back afterwards.  Operands
 * and results pass through volatile variables so that the compiler
 * cannot fold or move the arithmetic outside that window.
 */
#include <fenv.h>
#include <math.h>
#include <string.h>
#include "fpu.h"

typedef struct Fmt {
    int ebits, fbits;
    uint64_t dnan;              /* the default NaN */
    uint64_t maxbits;           /* largest finite magnitude */
} Fmt;

static const Fmt fmts[4] = {
    [FMT_S] = { 8, 23, 0x7fc00000u, 0x7f7fffffu },
    [FMT_D] = { 11, 52, 0x7ff8000000000000ull, 0x7fefffffffffffffull },
    [FMT_H] = { 5, 10, 0x7e00u, 0x7bffu },
};

/* The FPCR in force and the flags gathered, ORed into FPSR at the end */
typedef struct FPCtx {
    uint32_t fpcr;
    uint32_t exc;
} FPCtx;

static uint64_t sign_of(const Fmt *f, uint64_t v)
{
    return v & (1ull << (f->ebits + f->fbits));
}

static uint64_t exp_of(const Fmt *f, uint64_t v)
{
    return (v >> f->fbits) & ((1u << f->ebits) - 1);
}

static uint64_t frac_of(const Fmt *f, uint64_t v)
{
    return v & ((1ull << f->fbits) - 1);
}

static uint64_t inf_of(const Fmt *f, bool neg)
{
    return (uint64_t)neg << (f->ebits + f->fbits) | (uint64_t)((1u << f->ebits) - 1) << f->fbits;
}

static bool is_nan(const Fmt *f, uint64_t v)
{
    return exp_of(f, v) == (1u << f->ebits) - 1u && frac_of(f, v) != 0;
}

static bool is_snan(const Fmt *f, uint64_t v)
{
    return is_nan(f, v) && !((v >> (f->fbits - 1)) & 1);
}

static bool is_inf(const Fmt *f, uint64_t v)
{
    return exp_of(f, v) == (1u << f->ebits) - 1u && frac_of(f, v) == 0;
}

static bool is_zero(const Fmt *f, uint64_t v)
{
    return (v & ~sign_of(f, ~0ull)) == 0;
}

static uint64_t neg_bits(const Fmt *f, uint64_t v)
{
    return v ^ (1ull << (f->ebits + f->fbits));
}

/* FZ: a denormal S or D input reads as zero of its sign (IDC) */
static uint64_t flush_in(FPCtx *c, const Fmt *f, uint64_t v)
{
    if ((c->fpcr & FPCR_FZ) && f != &fmts[FMT_H] && exp_of(f, v) == 0 && frac_of(f, v) != 0) {
        c->exc |= FPSR_IDC;
        return sign_of(f, v);
    }
    return v;
}

/* Arm's NaN propagation over n operands: true with *res set if any is
   a NaN */
static bool process_nans(FPCtx *c, const Fmt *f, int n, const uint64_t *ops, uint64_t *res)
{
    int i;

    for (i = 0; i < n; i++) {
        if (is_snan(f, ops[i])) {
            c->exc |= FPSR_IOC;
            *res = (c->fpcr & FPCR_DN) ? f->dnan : ops[i] | 1ull << (f->fbits - 1);
            return true;
        }
    }
    for (i = 0; i < n; i++) {
        if (is_nan(f, ops[i])) {
            *res = (c->fpcr & FPCR_DN) ? f->dnan : ops[i];
            return true;
        }
    }
    return false;
}

/* ---- S and D values as host doubles ---- */

static double to_host(int fmt, uint64_t v)
{
    if (fmt == FMT_S) {
        float x;
        uint32_t w = (uint32_t)v;

        memcpy(&x, &w, 4);
        return x;
    }
    if (fmt == FMT_H) {
        /* finite values, and exponent 31 as the alternative format's */
        const Fmt *f = &fmts[FMT_H];
        int e = (int)exp_of(f, v);
        double m = (double)frac_of(f, v);

        m = e == 0 ? ldexp(m, -24) : ldexp(m + 1024, e - 25);
        return sign_of(f, v) ? -m : m;
    }
    double d;

    memcpy(&d, &v, 8);
    return d;
}

/* r must be representable in fmt (S or D) */
static uint64_t from_host(int fmt, double r)
{
    if (fmt == FMT_S) {
        float x = (float)r;
        uint32_t w;

        memcpy(&w, &x, 4);
        return w;
    }
    uint64_t v;

    memcpy(&v, &r, 8);
    return v;
}

static int host_rm(int rm)
{
    switch (rm) {
    case RM_POSINF: return FE_UPWARD;
    case RM_NEGINF: return FE_DOWNWARD;
    case RM_ZERO: return FE_TOWARDZERO;
    default: return FE_TONEAREST;
    }
}

static int fpcr_rm(const FPCtx *c)
{
    return (int)(c->fpcr >> FPCR_RMODE_SHIFT) & 3;
}

/* the host's operations behind compute() */
enum { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FMA, H_CVT_S };

/* One host operation (fmt S: in float) rounding by rm; *fx = the
   host's exception flags */
static double host_op(int hop, int fmt, double a, double b, double cc, int rm, int *fx)
{
    volatile double va = a, vb = b, vc = cc;
    volatile double r;

    fesetround(host_rm(rm));
    feclearexcept(FE_ALL_EXCEPT);
    if (fmt == FMT_S) {
        float x = (float)va, y = (float)vb, z = (float)vc;
        volatile float rf;

        switch (hop) {
        case H_ADD: rf = x + y; break;
        case H_SUB: rf = x - y; break;
        case H_MUL: rf = x * y; break;
        case H_DIV: rf = x / y; break;
        case H_SQRT: rf = sqrtf(x); break;
        case H_FMA: rf = fmaf(x, y, z); break;
        default: rf = (float)va; break;       /* H_CVT_S: a double to S */
        }
        r = rf;
    } else {
        switch (hop) {
        case H_ADD: r = va + vb; break;
        case H_SUB: r = va - vb; break;
        case H_MUL: r = va * vb; break;
        case H_DIV: r = va / vb; break;
        case H_SQRT: r = sqrt(va); break;
        default: r = fma(va, vb, vc); break;
        }
    }
    *fx = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    return r;
}

/*
 * d rounded to an integral value by rm (a zero keeps d's sign); *inexact
 * if that changed it.  Integer code rather than rint() under a host
 * mode: exact, and independent of how the host rounds to integral.
 */
static double round_int(double d, int rm, bool *inexact)
{
    double t, fr, r;

    if (!(fabs(d) < 0x1p52)) {
        *inexact = false;       /* integral already (or inf) */
        return d;
    }
    t = (double)(int64_t)d;     /* truncation: exact */
    fr = d - t;                 /* exact, same sign as d */
    r = t;
    switch (rm) {
    case RM_POSINF:
        r = fr > 0 ? t + 1 : t;
        break;
    case RM_NEGINF:
        r = fr < 0 ? t - 1 : t;
        break;
    case RM_ZERO:
        break;
    case RM_TIEAWAY:
        if (fabs(fr) >= 0.5) {
            r = fr > 0 ? t + 1 : t - 1;
        }
        break;
    default:
        if (fabs(fr) > 0.5 || (fabs(fr) == 0.5 && ((int64_t)t & 1))) {
            r = fr > 0 ? t + 1 : t - 1;
        }
        break;
    }
    *inexact = fr != 0;
    return r == 0 ? copysign(0.0, d) : r;
}

/* The result of rounding r (fmt S or D), whose largest finite magnitude
   was overflowed, by rm */
static uint64_t overflow_result(const Fmt *f, bool neg, int rm)
{
    bool to_inf = rm == RM_TIEEVEN || rm == RM_TIEAWAY || (rm == RM_POSINF && !neg) ||
                  (rm == RM_NEGINF && neg);

    return to_inf ? inf_of(f, neg) : ((uint64_t)neg << (f->ebits + f->fbits)) | f->maxbits;
}

/*
 * hop on non-NaN (flushed) S or D operands, rounded by FPCR.RMode, with
 * Arm's flags: see the header for tininess.
 */
static uint64_t compute(FPCtx *c, int hop, int fmt, uint64_t a, uint64_t b, uint64_t cc)
{
    const Fmt *f = &fmts[fmt];
    double x = to_host(fmt, a), y = to_host(fmt, b), z = to_host(fmt, cc);
    double minnorm = fmt == FMT_S ? 0x1p-126 : 0x1p-1022;
    int rm = fpcr_rm(c), fx;
    double r = host_op(hop, fmt, x, y, z, rm, &fx);
    bool inexact = fx & FE_INEXACT, tiny;

    if (isnan(r)) {
        c->exc |= FPSR_IOC;
        return f->dnan;
    }
    if (fx & FE_DIVBYZERO) {
        c->exc |= FPSR_DZC;
    }
    if (fx & FE_OVERFLOW) {
        c->exc |= FPSR_OFC | FPSR_IXC;
        return from_host(fmt, r);
    }
    tiny = fabs(r) < minnorm && (r != 0 || inexact);
    if (!tiny && fabs(r) == minnorm && inexact) {
        int fx2;

        tiny = fabs(host_op(hop, fmt, x, y, z, RM_ZERO, &fx2)) < minnorm;
    }
    if (tiny && (c->fpcr & FPCR_FZ)) {
        c->exc |= FPSR_UFC;
        return signbit(r) ? sign_of(f, ~0ull) : 0;
    }
    if (inexact) {
        c->exc |= FPSR_IXC | (tiny ? FPSR_UFC : 0);
    }
    return from_host(fmt, r);
}

/* ---- estimates ---- */

/* a in 256..511 (0.5 <= a/512 < 1): 1/(a/512) to 8 bits, in 256..511 */
static unsigned recip_estimate(unsigned a)
{
    unsigned b;

    a = a * 2 + 1;
    b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* a in 128..511: 1/sqrt of a/512 (a < 256) or a/256, in 256..511 */
static unsigned rsqrt_estimate(unsigned a)
{
    uint64_t b = 512;

    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    while ((uint64_t)a * (b + 1) * (b + 1) < (1ull << 28)) {
        b++;
    }
    return (unsigned)((b + 1) / 2);
}

/* Exponent and the fraction as 52 bits (Arm's FPUnpack view) of a
   nonzero finite S or D value */
static void unpack52(int fmt, uint64_t v, int *exp, uint64_t *frac)
{
    const Fmt *f = &fmts[fmt];

    *exp = (int)exp_of(f, v);
    *frac = frac_of(f, v) << (52 - f->fbits);
}

static uint64_t pack52(int fmt, bool neg, int exp, uint64_t frac)
{
    const Fmt *f = &fmts[fmt];

    return (uint64_t)neg << (f->ebits + f->fbits) | (uint64_t)exp << f->fbits |
           frac >> (52 - f->fbits);
}

static uint64_t frecpe(FPCtx *c, int fmt, uint64_t a)
{
    const Fmt *f = &fmts[fmt];
    bool neg = sign_of(f, a) != 0;
    int exp, rexp, rm = fpcr_rm(c);
    uint64_t frac;
    unsigned est;

    if (is_inf(f, a)) {
        return sign_of(f, a);
    }
    if (is_zero(f, a)) {
        c->exc |= FPSR_DZC;
        return inf_of(f, neg);
    }
    /* tiny enough that the reciprocal overflows */
    if (fabs(to_host(fmt, a)) < (fmt == FMT_S ? 0x1p-128 : 0x1p-1024)) {
        c->exc |= FPSR_OFC | FPSR_IXC;
        return overflow_result(f, neg, rm);
    }
    unpack52(fmt, a, &exp, &frac);
    if ((c->fpcr & FPCR_FZ) && exp >= (fmt == FMT_S ? 253 : 2045)) {
        c->exc |= FPSR_UFC;
        return sign_of(f, a);
    }
    if (exp == 0) {
        if (!((frac >> 51) & 1)) {
            exp = -1;
            frac = (frac << 2) & ((1ull << 52) - 1);
        } else {
            frac = (frac << 1) & ((1ull << 52) - 1);
        }
    }
    est = recip_estimate(256 | (unsigned)(frac >> 44));
    rexp = (fmt == FMT_S ? 253 : 2045) - exp;
    frac = (uint64_t)(est & 0xff) << 44;
    if (rexp == 0) {
        frac = 1ull << 51 | frac >> 1;
    } else if (rexp == -1) {
        frac = 1ull << 50 | frac >> 2;
        rexp = 0;
    }
    return pack52(fmt, neg, rexp, frac);
}

static uint64_t frsqrte(FPCtx *c, int fmt, uint64_t a)
{
    const Fmt *f = &fmts[fmt];
    int exp, rexp;
    uint64_t frac;
    unsigned scaled, est;

    if (is_zero(f, a)) {
        c->exc |= FPSR_DZC;
        return inf_of(f, sign_of(f, a) != 0);
    }
    if (sign_of(f, a)) {
        c->exc |= FPSR_IOC;
        return f->dnan;
    }
    if (is_inf(f, a)) {
        return 0;
    }
    unpack52(fmt, a, &exp, &frac);
    if (exp == 0) {
        while (!((frac >> 51) & 1)) {
            frac <<= 1;
            exp--;
        }
        frac = (frac << 1) & ((1ull << 52) - 1);
    }
    scaled = (exp & 1) ? 128 | (unsigned)(frac >> 45) : 256 | (unsigned)(frac >> 44);
    rexp = (fmt == FMT_S ? 380 - exp : 3068 - exp);
    rexp = rexp >= 0 ? rexp / 2 : -((1 - rexp) / 2);
    est = rsqrt_estimate(scaled);
    return pack52(fmt, false, rexp, (uint64_t)(est & 0xff) << 44);
}

/* ---- the helpers ---- */

uint64_t aarch64_fp_op(ARMEnv *env, unsigned desc, uint64_t a, uint64_t b, uint64_t cc)
{
    FPCtx c = { (uint32_t)env->fpcr, 0 };
    int op = desc & 0xff, fmt = (int)(desc >> 8) & 3;
    const Fmt *f = &fmts[fmt];
    uint64_t ops[3], r;
    bool neg_res = false;

    /* every operand is unpacked (and flushed: IDC) before NaNs are looked at */
    a = flush_in(&c, f, a);
    if (op != FPOP_SQRT && op != FPOP_RECPE && op != FPOP_RSQRTE && op != FPOP_RECPX) {
        b = flush_in(&c, f, b);
    }
    if (op >= FPOP_MADD && op <= FPOP_NMSUB) {
        cc = flush_in(&c, f, cc);
    }

    /* the negated operands of the fused forms are negated first, so a
       NaN among them keeps the flipped sign */
    switch (op) {
    case FPOP_MSUB: a = neg_bits(f, a); op = FPOP_MADD; break;
    case FPOP_NMADD: a = neg_bits(f, a); cc = neg_bits(f, cc); op = FPOP_MADD; break;
    case FPOP_NMSUB: cc = neg_bits(f, cc); op = FPOP_MADD; break;
    case FPOP_RECPS: case FPOP_RSQRTS: a = neg_bits(f, a); break;
    case FPOP_NMUL: neg_res = true; op = FPOP_MUL; break;
    default: break;
    }

    switch (op) {
    case FPOP_SQRT: case FPOP_RECPE: case FPOP_RSQRTE: case FPOP_RECPX:
        if (process_nans(&c, f, 1, &a, &r)) {
            goto done;
        }
        if (op == FPOP_RECPE) {
            r = frecpe(&c, fmt, a);
        } else if (op == FPOP_RSQRTE) {
            r = frsqrte(&c, fmt, a);
        } else if (op == FPOP_RECPX) {
            uint64_t e = exp_of(f, a);
            uint64_t emax = (1u << f->ebits) - 1;

            r = sign_of(f, a) | (e == 0 ? emax - 1 : ~e & emax) << f->fbits;
        } else {
            r = compute(&c, H_SQRT, fmt, a, 0, 0);
        }
        goto done;
    case FPOP_MADD:
        ops[0] = cc;
        ops[1] = a;
        ops[2] = b;
        if (process_nans(&c, f, 3, ops, &r)) {
            /* a quiet NaN addend does not hide inf * 0 */
            if (!is_snan(f, cc) && !is_nan(f, a) && !is_nan(f, b) &&
                ((is_inf(f, a) && is_zero(f, b)) || (is_zero(f, a) && is_inf(f, b)))) {
                c.exc |= FPSR_IOC;
                r = f->dnan;
            }
            goto done;
        }
        r = compute(&c, H_FMA, fmt, a, b, cc);
        goto done;
    case FPOP_MAXNM: case FPOP_MINNM:
        /* one quiet NaN: the other operand wins */
        if (is_nan(f, a) && !is_snan(f, a) && !is_nan(f, b)) {
            a = inf_of(f, op == FPOP_MAXNM);
        } else if (is_nan(f, b) && !is_snan(f, b) && !is_nan(f, a)) {
            b = inf_of(f, op == FPOP_MAXNM);
        }
        op = op == FPOP_MAXNM ? FPOP_MAX : FPOP_MIN;
        break;
    default:
        break;
    }

    /* two operands */
    ops[0] = a;
    ops[1] = b;
    if (process_nans(&c, f, 2, ops, &r)) {
        goto done;
    }
    switch (op) {
    case FPOP_ADD: r = compute(&c, H_ADD, fmt, a, b, 0); break;
    case FPOP_SUB: r = compute(&c, H_SUB, fmt, a, b, 0); break;
    case FPOP_ABD: r = compute(&c, H_SUB, fmt, a, b, 0); break;
    case FPOP_DIV: r = compute(&c, H_DIV, fmt, a, b, 0); break;
    case FPOP_MUL: case FPOP_MULX: case FPOP_RECPS: case FPOP_RSQRTS:
        if ((is_inf(f, a) && is_zero(f, b)) || (is_zero(f, a) && is_inf(f, b))) {
            if (op == FPOP_MULX) {
                r = sign_of(f, a ^ b) | from_host(fmt, 2.0);
                break;
            }
            if (op == FPOP_RECPS) {
                r = from_host(fmt, 2.0);
                break;
            }
            if (op == FPOP_RSQRTS) {
                r = from_host(fmt, 1.5);
                break;
            }
        }
        if (op == FPOP_RECPS) {
            r = compute(&c, H_FMA, fmt, a, b, from_host(fmt, 2.0));
        } else if (op == FPOP_RSQRTS) {
            /* (3 - a * b) / 2 with one rounding, as 1.5 + (a / 2) * b:
               halving the larger operand is exact unless both are
               denormal (then the product is far below 1.5's ulp) */
            double x = to_host(fmt, a), y = to_host(fmt, b);

            if (fabs(x) >= fabs(y)) {
                a = from_host(fmt, x / 2);
            } else {
                b = from_host(fmt, y / 2);
            }
            r = compute(&c, H_FMA, fmt, a, b, from_host(fmt, 1.5));
        } else {
            r = compute(&c, H_MUL, fmt, a, b, 0);
        }
        break;
    case FPOP_MAX: case FPOP_MIN: {
        double x = to_host(fmt, a), y = to_host(fmt, b);
        bool amax;

        if (x == y) {
            /* equal (zeros of either sign): max prefers +0, min -0 */
            amax = op == FPOP_MAX ? !sign_of(f, a) : sign_of(f, a) != 0;
        } else {
            amax = (x > y) == (op == FPOP_MAX);
        }
        r = amax ? a : b;
        break;
    }
    default:
        r = 0;
        break;
    }
done:
    /* FABD is FPAbs(FPSub()), FNMUL FPNeg(FPMul()): NaNs included */
    if (op == FPOP_ABD) {
        r &= ~sign_of(f, ~0ull);
    }
    if (neg_res) {
        r = neg_bits(f, r);
    }
    env->fpsr |= c.exc;
    return r;
}

/* S or D to half precision (AHP: Arm's alternative format, no
   infinities or NaNs), rounding by rm */
static uint64_t to_half(FPCtx *c, int fmt, uint64_t a, int rm)
{
    const Fmt *f = &fmts[fmt];
    bool ahp = c->fpcr & FPCR_AHP;
    uint64_t sign = sign_of(f, a) ? 0x8000 : 0;
    double d, q, s, n, maxv = ahp ? 131008.0 : 65504.0;
    bool inexact;
    int e;

    if (is_nan(f, a)) {
        if (ahp) {
            c->exc |= FPSR_IOC;
            return sign;
        }
        if (is_snan(f, a)) {
            c->exc |= FPSR_IOC;
        }
        if (c->fpcr & FPCR_DN) {
            return fmts[FMT_H].dnan;
        }
        return sign | 0x7e00 | (frac_of(f, a) >> (f->fbits - 10) & 0x3ff);
    }
    if (is_inf(f, a)) {
        if (ahp) {
            c->exc |= FPSR_IOC;
            return sign | 0x7fff;
        }
        return sign | 0x7c00;
    }
    a = flush_in(c, f, a);
    if (is_zero(f, a)) {
        return sign;
    }
    d = to_host(fmt, a);
    e = ilogb(d);
    if (e < -14) {
        e = -14;
    }
    /* round to a multiple of the quantum at d's exponent (the scalings
       by q are exact) */
    q = ldexp(1.0, e - 10);
    s = d / q;
    n = round_int(s, rm, &inexact);
    d = fabs(n * q);
    if (d > maxv) {
        if (ahp) {
            c->exc |= FPSR_IOC;
            return sign | 0x7fff;
        }
        c->exc |= FPSR_OFC | FPSR_IXC;
        return sign | ((overflow_result(&fmts[FMT_H], sign != 0, rm) & 0x7fff));
    }
    if (inexact) {
        c->exc |= FPSR_IXC | (fabs(s * q) < 0x1p-14 ? FPSR_UFC : 0);
    }
    if (d < 0x1p-14) {
        return sign | (uint64_t)(d * 0x1p24);
    }
    e = ilogb(d);
    return sign | (uint64_t)(e + 15) << 10 | ((uint64_t)ldexp(d, 10 - e) - 1024);
}

/* FCVT, FRINT*, FCVT[NPMZA][SU], [SU]CVTF: see fpu.h */
uint64_t aarch64_fp_cvt(ARMEnv *env, unsigned desc, uint64_t a)
{
    FPCtx c = { (uint32_t)env->fpcr, 0 };
    int kind = desc & 3, from = (int)(desc >> 2) & 0x7f, to = (int)(desc >> 9) & 0x7f;
    int rm = (int)(desc >> 16) & 7, fbits = (int)(desc >> 21) & 0x7f;
    bool is_signed = (desc >> 19) & 1, exact = (desc >> 20) & 1;
    const Fmt *f = kind == FPCVT_FROMINT ? &fmts[to] : &fmts[from];
    uint64_t r;
    int fx;

    if (rm == RM_FPCR) {
        rm = fpcr_rm(&c);
    }
    switch (kind) {
    case FPCVT_FP:
        if (to == FMT_H) {
            r = to_half(&c, from, a, rm);
            break;
        }
        if (from == FMT_H && (c.fpcr & FPCR_AHP)) {
            /* every alternative half-precision encoding is a number */
            r = from_host(to, to_host(FMT_H, a));
            break;
        }
        if (is_nan(f, a)) {
            const Fmt *t = &fmts[to];

            if (is_snan(f, a)) {
                c.exc |= FPSR_IOC;
            }
            if (c.fpcr & FPCR_DN) {
                r = t->dnan;
            } else {
                /* sign, quiet, the top fraction bits */
                uint64_t fr = frac_of(f, a) << (64 - f->fbits);

                r = (sign_of(f, a) ? 1ull << (t->ebits + t->fbits) : 0) | inf_of(t, false) |
                    1ull << (t->fbits - 1) | fr >> (64 - t->fbits);
            }
            break;
        }
        if (from != FMT_H) {
            a = flush_in(&c, f, a);
        } else if (is_inf(f, a)) {
            r = inf_of(&fmts[to], sign_of(f, a) != 0);
            break;
        }
        if (to == FMT_D || from == FMT_H) {
            r = from_host(to, to_host(from, a));        /* widening: exact */
            break;
        }
        /* D to S (round to odd: toward zero, then the low bit set if
           that was inexact) */
        {
            double d = to_host(FMT_D, a);
            double x = host_op(H_CVT_S, FMT_S, d, 0, 0, rm == RM_ODD ? RM_ZERO : rm, &fx);
            bool inexact = fx & FE_INEXACT;
            bool tiny = d != 0 && fabs(d) < 0x1p-126 && !isinf(d);

            if (fx & FE_OVERFLOW) {
                c.exc |= FPSR_OFC | FPSR_IXC;
            } else if (tiny && (c.fpcr & FPCR_FZ)) {
                c.exc |= FPSR_UFC;
                x = signbit(d) ? -0.0 : 0.0;
            } else if (inexact) {
                c.exc |= FPSR_IXC | (tiny ? FPSR_UFC : 0);
            }
            r = from_host(FMT_S, x);
            if (rm == RM_ODD && inexact && !(fx & FE_OVERFLOW) && !(tiny && (c.fpcr & FPCR_FZ))) {
                r |= 1;
            }
        }
        break;
    case FPCVT_RINT: {
        double d, n;
        bool inexact;

        if (process_nans(&c, f, 1, &a, &r)) {
            break;
        }
        a = flush_in(&c, f, a);
        if (is_inf(f, a) || is_zero(f, a)) {
            r = a;
            break;
        }
        d = to_host(from, a);
        n = round_int(d, rm, &inexact);
        if (inexact && exact) {
            c.exc |= FPSR_IXC;
        }
        r = from_host(from, n);
        break;
    }
    case FPCVT_TOINT: {
        double d, n, lim = to == 64 ? 0x1p63 : 0x1p31;
        bool inval = false, inexact;

        if (is_nan(f, a)) {
            c.exc |= FPSR_IOC;
            r = 0;
            break;
        }
        a = flush_in(&c, f, a);
        d = ldexp(to_host(from, a), fbits);
        n = round_int(d, rm, &inexact);
        if (is_signed) {
            if (n >= lim) {
                r = (uint64_t)(lim == 0x1p63 ? INT64_MAX : INT32_MAX);
                inval = true;
            } else if (n < -lim) {
                r = (uint64_t)(lim == 0x1p63 ? INT64_MIN : INT32_MIN);
                inval = true;
            } else {
                r = (uint64_t)(int64_t)n;
            }
        } else {
            if (n >= 2 * lim) {
                r = lim == 0x1p63 ? UINT64_MAX : UINT32_MAX;
                inval = true;
            } else if (n < 0) {
                r = 0;
                inval = true;
            } else {
                r = (uint64_t)n;
            }
        }
        if (to == 32) {
            r &= 0xffffffffu;
        }
        if (inval) {
            c.exc |= FPSR_IOC;
        } else if (inexact) {
            c.exc |= FPSR_IXC;
        }
        break;
    }
    default: {                  /* FPCVT_FROMINT */
        volatile double vr;
        volatile uint64_t va = a;

        fesetround(host_rm(rm));
        feclearexcept(FE_ALL_EXCEPT);
        if (to == FMT_S) {
            volatile float x;

            if (from == 32) {
                x = is_signed ? (float)(int32_t)va : (float)(uint32_t)va;
            } else {
                x = is_signed ? (float)(int64_t)va : (float)va;
            }
            vr = x;
        } else if (from == 32) {
            vr = is_signed ? (double)(int32_t)va : (double)(uint32_t)va;
        } else {
            vr = is_signed ? (double)(int64_t)va : (double)va;
        }
        fx = fetestexcept(FE_ALL_EXCEPT);
        fesetround(FE_TONEAREST);
        if (fx & FE_INEXACT) {
            c.exc |= FPSR_IXC;
        }
        r = from_host(to, ldexp(vr, -fbits));
        break;
    }
    }
    env->fpsr |= c.exc;
    return r;
}

/* FCMP, FCMPE, FCCMP, FCCMPE: NZCV bits 31:28 */
static uint64_t helper_fp_cmp(void *e, uint64_t desc, uint64_t a, uint64_t b, uint64_t u3 UNUSED,
                              uint64_t u4 UNUSED, uint64_t u5 UNUSED)
{
    ARMEnv *env = e;
    FPCtx c = { (uint32_t)env->fpcr, 0 };
    int fmt = desc & 3;
    const Fmt *f = &fmts[fmt];
    bool signal = (desc >> 8) & 1;
    uint64_t r;
    double x, y;

    a = flush_in(&c, f, a);
    b = flush_in(&c, f, b);
    if (is_nan(f, a) || is_nan(f, b)) {
        if (signal || is_snan(f, a) || is_snan(f, b)) {
            c.exc |= FPSR_IOC;
        }
        r = PSTATE_C | PSTATE_V;
    } else {
        x = to_host(fmt, a);
        y = to_host(fmt, b);
        r = x == y ? PSTATE_Z | PSTATE_C : x < y ? PSTATE_N : PSTATE_C;
    }
    env->fpsr |= c.exc;
    return r;
}

/* FCMEQ, FCMGE, FCMGT, FACGE, FACGT: all ones or 0 */
static uint64_t helper_fp_cmpv(void *e, uint64_t desc, uint64_t a, uint64_t b, uint64_t u3 UNUSED,
                               uint64_t u4 UNUSED, uint64_t u5 UNUSED)
{
    ARMEnv *env = e;
    FPCtx c = { (uint32_t)env->fpcr, 0 };
    int op = desc & 0xff, fmt = (int)(desc >> 8) & 3;
    const Fmt *f = &fmts[fmt];
    bool t;
    double x, y;

    a = flush_in(&c, f, a);
    b = flush_in(&c, f, b);
    if (is_nan(f, a) || is_nan(f, b)) {
        if (op != FPCMPV_EQ || is_snan(f, a) || is_snan(f, b)) {
            c.exc |= FPSR_IOC;
        }
        t = false;
    } else {
        x = to_host(fmt, a);
        y = to_host(fmt, b);
        if (op >= FPCMPV_ACGE) {
            x = fabs(x);
            y = fabs(y);
        }
        switch (op) {
        case FPCMPV_EQ: t = x == y; break;
        case FPCMPV_GE: case FPCMPV_ACGE: t = x >= y; break;
        default: t = x > y; break;
        }
    }
    env->fpsr |= c.exc;
    return t ? ~0ull : 0;
}

static uint64_t helper_fp_op(void *env, uint64_t desc, uint64_t a, uint64_t b, uint64_t cc,
                             uint64_t u4 UNUSED, uint64_t u5 UNUSED)
{
    return aarch64_fp_op(env, (unsigned)desc, a, b, cc);
}

static uint64_t helper_fp_cvt(void *env, uint64_t desc, uint64_t a, uint64_t u2 UNUSED,
                              uint64_t u3 UNUSED, uint64_t u4 UNUSED, uint64_t u5 UNUSED)
{
    return aarch64_fp_cvt(env, (unsigned)desc, a);
}

/* They read FPCR and OR flags into FPSR: env fields, not IR globals */
#define FP_HELPER_FLAGS (LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | \
                         LOOM_IR_CALL_NO_RAISE)
const LoomIRHelper aarch64_helper_fp_op = { helper_fp_op, "fp_op", FP_HELPER_FLAGS };
const LoomIRHelper aarch64_helper_fp_cvt = { helper_fp_cvt, "fp_cvt", FP_HELPER_FLAGS };
const LoomIRHelper aarch64_helper_fp_cmp = { helper_fp_cmp, "fp_cmp", FP_HELPER_FLAGS };
const LoomIRHelper aarch64_helper_fp_cmpv = { helper_fp_cmpv, "fp_cmpv", FP_HELPER_FLAGS };
