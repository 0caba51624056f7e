/*
 * riscv64 front-end: F and D arithmetic with the exact IEEE 754 results
 * and exception flags the RISC-V spec requires.
 *
 * How results are made exact:
 *  - Rounding is done here, in software (round_pack), for every rounding
 *    mode including RMM, from an exact description of the value: sign,
 *    exponent, a 64-bit significand and a sticky bit saying "slightly
 *    more than that".  Overflow, underflow (tininess after rounding, as
 *    RISC-V defines it) and inexact come out of the same code.
 *  - The host FPU supplies that description for add, sub, mul, div, sqrt
 *    and fma: it computes in x87 long double (64-bit significand, 15-bit
 *    exponent) rounding toward zero, so the result is the exact value
 *    truncated to 64 bits and the host's inexact flag is the sticky bit.
 *    64 bits >= 53 + 2, so rounding that again to single or double is
 *    exact (no double-rounding error), and the long double exponent range
 *    holds every exact sum, product, quotient and root of singles and
 *    doubles (subnormals included) without over- or underflow.  The host
 *    also reports invalid and divide-by-zero.
 *  - Conversions, compares, min/max, classify and sign injection are
 *    pure integer code.
 *  - NaNs are handled before the host sees them: every NaN result is the
 *    canonical NaN and a signaling NaN operand raises NV.
 *
 * Host state: each host computation sets the rounding mode and clears
 * the exception flags, and restores both afterwards, so other code on
 * the vCPU thread sees the host environment unchanged.  The operands and
 * result pass through volatile variables so the compiler cannot fold or
 * move the arithmetic outside the window in which the mode is set.
 */
#include <fenv.h>
#include <math.h>
#include "fpu.h"

/* ---- formats ---- */

typedef struct FPFormat {
    int p;                  /* significand bits, the hidden one included */
    int emin, emax;         /* normal exponents; bias = emax */
    int width;              /* 32 or 64 */
    uint64_t canon;         /* canonical NaN */
} FPFormat;

static const FPFormat fmt_table[2] = {
    [FPU_FMT_S] = { 24, -126, 127, 32, FPU_CANON_S },
    [FPU_FMT_D] = { 53, -1022, 1023, 64, FPU_CANON_D },
};

enum { CLS_ZERO, CLS_FINITE, CLS_INF, CLS_QNAN, CLS_SNAN };

/* A decoded operand.  Finite nonzero: value = sig * 2^(exp - 63) with
   bit 63 of sig set, i.e. exp is the unbiased exponent. */
typedef struct FPValue {
    int cls;
    bool sign;
    int exp;
    uint64_t sig;
} FPValue;

static inline bool is_nan(const FPValue *v)
{
    return v->cls == CLS_QNAN || v->cls == CLS_SNAN;
}

/* A single-precision operand from a 64-bit register: not NaN-boxed
   reads as the canonical NaN. */
static uint64_t unbox(int fmt, uint64_t reg)
{
    if (fmt == FPU_FMT_S) {
        return (reg >> 32) == 0xffffffffu ? (reg & 0xffffffffu) : FPU_CANON_S;
    }
    return reg;
}

static uint64_t box(int fmt, uint64_t bits)
{
    return fmt == FPU_FMT_S ? (bits | FPU_BOX_S) : bits;
}

static FPValue unpack(const FPFormat *f, uint64_t bits)
{
    int fbits = f->p - 1;
    uint64_t frac = bits & ((1ull << fbits) - 1);
    int ef = (int)((bits >> fbits) & ((1u << (f->width - f->p)) - 1));
    FPValue v = { CLS_FINITE, (bits >> (f->width - 1)) & 1, 0, 0 };

    if (ef == 2 * f->emax + 1) {
        v.cls = frac == 0 ? CLS_INF : ((frac >> (fbits - 1)) & 1) ? CLS_QNAN : CLS_SNAN;
    } else if (ef == 0) {
        if (frac == 0) {
            v.cls = CLS_ZERO;
        } else {
            int lz = __builtin_clzll(frac);
            v.sig = frac << lz;
            v.exp = f->emin - fbits + 63 - lz;
        }
    } else {
        v.sig = (frac | 1ull << fbits) << (64 - f->p);
        v.exp = ef - f->emax;
    }
    return v;
}

static uint64_t sign_bit(const FPFormat *f, bool sign)
{
    return (uint64_t)sign << (f->width - 1);
}

static uint64_t pack_inf(const FPFormat *f, bool sign)
{
    return sign_bit(f, sign) | ((uint64_t)(2 * f->emax + 1) << (f->p - 1));
}

/* Largest finite magnitude */
static uint64_t pack_max(const FPFormat *f, bool sign)
{
    return pack_inf(f, sign) - 1;
}

/*
 * Drop the low `shift` bits of sig (sticky: the true value is a little
 * more), rounding by rm for a value of the given sign.  Returns the kept
 * bits after rounding (which may carry into one more bit); *inexact says
 * whether anything nonzero was dropped.
 */
static uint64_t round_shift(uint64_t sig, bool sticky, int shift, bool sign,
                            int rm, bool *inexact)
{
    unsigned __int128 s = sig, rem, half;
    uint64_t kept;
    bool inc;

    if (shift > 66) {
        shift = 66;             /* everything is below half an ulp */
    }
    if (shift == 0) {
        *inexact = sticky;
        rem = 0;
        half = 1;
        kept = sig;
    } else {
        kept = (uint64_t)(s >> shift);
        rem = s & (((unsigned __int128)1 << shift) - 1);
        half = (unsigned __int128)1 << (shift - 1);
        *inexact = rem != 0 || sticky;
    }
    switch (rm) {
    case FPU_RM_RNE:
        inc = rem > half || (rem == half && (sticky || (kept & 1)));
        break;
    case FPU_RM_RMM:
        inc = rem >= half && shift > 0;
        break;
    case FPU_RM_RDN:
        inc = sign && *inexact;
        break;
    case FPU_RM_RUP:
        inc = !sign && *inexact;
        break;
    default: /* RTZ */
        inc = false;
        break;
    }
    return kept + inc;
}

/*
 * Round sig * 2^(exp - 63) (+ sticky) to format f under rm and pack it.
 * sig has bit 63 set.  Flags: NX if inexact; OF (and NX) if the rounded
 * value exceeds the largest finite one; UF if inexact and tiny after
 * rounding, i.e. rounding to f's precision with an unbounded exponent
 * gives a magnitude below 2^emin.
 */
static uint64_t round_pack(const FPFormat *f, bool sign, int exp, uint64_t sig,
                           bool sticky, int rm, unsigned *flags)
{
    int nshift = 64 - f->p;
    bool inexact, ignore;
    uint64_t kept;

    assert(sig >> 63);
    if (exp >= f->emin) {
        kept = round_shift(sig, sticky, nshift, sign, rm, &inexact);
        if (kept >> f->p) {
            kept >>= 1;
            exp++;
        }
        if (exp > f->emax) {
            *flags |= FPU_OF | FPU_NX;
            switch (rm) {
            case FPU_RM_RTZ:
                return pack_max(f, sign);
            case FPU_RM_RDN:
                return sign ? pack_inf(f, true) : pack_max(f, false);
            case FPU_RM_RUP:
                return sign ? pack_max(f, true) : pack_inf(f, false);
            default:
                return pack_inf(f, sign);
            }
        }
        if (inexact) {
            *flags |= FPU_NX;
        }
        return sign_bit(f, sign) | ((uint64_t)(exp + f->emax) << (f->p - 1)) |
               (kept & ((1ull << (f->p - 1)) - 1));
    }
    /* Below the normal range: tiny unless rounding with an unbounded
       exponent carries up to 2^emin. */
    kept = round_shift(sig, sticky, nshift, sign, rm, &ignore);
    bool tiny = !((kept >> f->p) && exp + 1 >= f->emin);
    /* the subnormal encoding; a carry into bit p-1 is the smallest
       normal number's encoding */
    kept = round_shift(sig, sticky, nshift + (f->emin - exp), sign, rm, &inexact);
    if (inexact) {
        *flags |= FPU_NX | (tiny ? FPU_UF : 0);
    }
    return sign_bit(f, sign) | kept;
}

/* Round an exact integer magnitude to f. */
static uint64_t from_uint(const FPFormat *f, bool sign, uint64_t mag, int rm,
                          unsigned *flags)
{
    int lz;

    if (mag == 0) {
        return 0;
    }
    lz = __builtin_clzll(mag);
    return round_pack(f, sign, 63 - lz, mag << lz, false, rm, flags);
}

/* ---- the host FPU ---- */

static const int host_rounding[5] = {
    [FPU_RM_RNE] = FE_TONEAREST, [FPU_RM_RTZ] = FE_TOWARDZERO,
    [FPU_RM_RDN] = FE_DOWNWARD, [FPU_RM_RUP] = FE_UPWARD,
    [FPU_RM_RMM] = FE_TONEAREST,
};

static long double to_host(const FPValue *v)
{
    long double x;

    if (v->cls == CLS_ZERO) {
        x = 0.0L;
    } else if (v->cls == CLS_INF) {
        x = INFINITY;
    } else {
        x = ldexpl((long double)v->sig, v->exp - 63);   /* exact */
    }
    return v->sign ? -x : x;
}

enum { HOST_ADD, HOST_MUL, HOST_DIV, HOST_SQRT, HOST_FMA };

/*
 * One host operation under host rounding mode `mode`; returns the
 * result and the FE_INVALID/FE_DIVBYZERO/FE_INEXACT flags it raised.
 * The caller's rounding mode and flags are restored.
 */
static long double host_op(int op, long double a, long double b, long double c,
                           int mode, int *raised)
{
    volatile long double va = a, vb = b, vc = c, vr = 0;
    fexcept_t saved;
    int old = fegetround();

    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    fesetround(mode);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case HOST_ADD:
        vr = va + vb;
        break;
    case HOST_MUL:
        vr = va * vb;
        break;
    case HOST_DIV:
        vr = va / vb;
        break;
    case HOST_SQRT:
        vr = sqrtl(va);
        break;
    default:
        vr = fmal(va, vb, vc);
        break;
    }
    *raised = fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_INEXACT);
    fesetround(old);
    fesetexceptflag(&saved, FE_ALL_EXCEPT);
    return vr;
}

/*
 * Compute op exactly (via a truncated long double and its sticky bit) and
 * round the result to f.  Operands are not NaN.  An exact zero from a sum
 * takes its sign from the rounding mode (-0 only when rounding down).
 */
static uint64_t host_round(const FPFormat *f, int op, const FPValue *a,
                           const FPValue *b, const FPValue *c, int rm,
                           unsigned *flags)
{
    long double x, m;
    int raised, e;
    bool sign;

    x = host_op(op, to_host(a), b ? to_host(b) : 0, c ? to_host(c) : 0,
                FE_TOWARDZERO, &raised);
    if (raised & FE_INVALID) {
        *flags |= FPU_NV;
        return f->canon;
    }
    if (raised & FE_DIVBYZERO) {
        *flags |= FPU_DZ;
    }
    sign = signbit(x) != 0;
    if (isinf(x)) {
        return pack_inf(f, sign);       /* exact: an infinite operand or x/0 */
    }
    if (x == 0) {
        if (op == HOST_ADD || op == HOST_FMA) {
            x = host_op(op, to_host(a), b ? to_host(b) : 0, c ? to_host(c) : 0,
                        host_rounding[rm], &raised);
            sign = signbit(x) != 0;
        }
        return sign_bit(f, sign);
    }
    m = frexpl(fabsl(x), &e);           /* |x| = m * 2^e, m in [0.5, 1) */
    return round_pack(f, sign, e - 1, (uint64_t)ldexpl(m, 64),
                      (raised & FE_INEXACT) != 0, rm, flags);
}

/* ---- arithmetic ---- */

uint64_t fpu_arith(int op, int fmt, int rm, uint64_t a, uint64_t b, unsigned *flags)
{
    const FPFormat *f = &fmt_table[fmt];
    FPValue va = unpack(f, a), vb = unpack(f, b);
    static const int host_ops[] = {
        [FPU_ADD] = HOST_ADD, [FPU_SUB] = HOST_ADD, [FPU_MUL] = HOST_MUL,
        [FPU_DIV] = HOST_DIV, [FPU_SQRT] = HOST_SQRT,
    };

    if (op == FPU_SQRT) {
        if (is_nan(&va)) {
            *flags |= va.cls == CLS_SNAN ? FPU_NV : 0;
            return f->canon;
        }
        if (va.sign && va.cls != CLS_ZERO) {
            *flags |= FPU_NV;
            return f->canon;
        }
        if (va.cls != CLS_FINITE) {
            return a;                   /* +-0, +inf */
        }
        return host_round(f, HOST_SQRT, &va, NULL, NULL, rm, flags);
    }
    if (is_nan(&va) || is_nan(&vb)) {
        if (va.cls == CLS_SNAN || vb.cls == CLS_SNAN) {
            *flags |= FPU_NV;
        }
        return f->canon;
    }
    if (op == FPU_SUB) {
        vb.sign = !vb.sign;
    }
    return host_round(f, host_ops[op], &va, &vb, NULL, rm, flags);
}

uint64_t fpu_fma(int neg, int fmt, int rm, uint64_t a, uint64_t b, uint64_t c,
                 unsigned *flags)
{
    const FPFormat *f = &fmt_table[fmt];
    FPValue va = unpack(f, a), vb = unpack(f, b), vc = unpack(f, c);
    bool inf_zero = (va.cls == CLS_INF && vb.cls == CLS_ZERO) ||
                    (va.cls == CLS_ZERO && vb.cls == CLS_INF);

    if (is_nan(&va) || is_nan(&vb) || is_nan(&vc)) {
        /* inf * 0 is invalid even when the addend is a quiet NaN */
        if (va.cls == CLS_SNAN || vb.cls == CLS_SNAN || vc.cls == CLS_SNAN || inf_zero) {
            *flags |= FPU_NV;
        }
        return f->canon;
    }
    if (neg & FPU_FMA_NEG_PROD) {
        va.sign = !va.sign;
    }
    if (neg & FPU_FMA_NEG_ADD) {
        vc.sign = !vc.sign;
    }
    return host_round(f, HOST_FMA, &va, &vb, &vc, rm, flags);
}

/* ---- no rounding: sign injection, min/max, compares, classify ---- */

/* a < b (quiet_lt) or a <= b for non-NaN values; -0 == +0 */
static bool less(const FPValue *a, const FPValue *b, bool or_equal)
{
    long double x = to_host(a), y = to_host(b);

    return or_equal ? x <= y : x < y;
}

/* fclass: one bit of ten */
static uint64_t fclass(const FPFormat *f, const FPValue *v)
{
    switch (v->cls) {
    case CLS_INF:
        return v->sign ? 1u << 0 : 1u << 7;
    case CLS_ZERO:
        return v->sign ? 1u << 3 : 1u << 4;
    case CLS_SNAN:
        return 1u << 8;
    case CLS_QNAN:
        return 1u << 9;
    default:
        if (v->exp < f->emin) {         /* subnormal */
            return v->sign ? 1u << 2 : 1u << 5;
        }
        return v->sign ? 1u << 1 : 1u << 6;
    }
}

uint64_t fpu_misc(int op, int fmt, uint64_t a, uint64_t b, unsigned *flags)
{
    const FPFormat *f = &fmt_table[fmt];
    uint64_t sb = sign_bit(f, true);
    FPValue va = unpack(f, a), vb = unpack(f, b);

    switch (op) {
    case FPU_SGNJ:
        return box(fmt, (a & ~sb) | (b & sb));
    case FPU_SGNJN:
        return box(fmt, (a & ~sb) | (~b & sb));
    case FPU_SGNJX:
        return box(fmt, a ^ (b & sb));
    case FPU_MIN:
    case FPU_MAX:
        if (va.cls == CLS_SNAN || vb.cls == CLS_SNAN) {
            *flags |= FPU_NV;
        }
        if (is_nan(&va) && is_nan(&vb)) {
            return box(fmt, f->canon);
        }
        if (is_nan(&va)) {
            return box(fmt, b);
        }
        if (is_nan(&vb)) {
            return box(fmt, a);
        }
        if (va.cls == CLS_ZERO && vb.cls == CLS_ZERO) {
            /* -0 < +0 */
            return box(fmt, op == FPU_MIN ? (a | b) : (a & b));
        }
        return box(fmt, less(&va, &vb, false) == (op == FPU_MIN) ? a : b);
    case FPU_FEQ:
    case FPU_FLT:
    case FPU_FLE:
        if (is_nan(&va) || is_nan(&vb)) {
            /* feq is quiet: only signaling NaNs are invalid */
            if (op != FPU_FEQ || va.cls == CLS_SNAN || vb.cls == CLS_SNAN) {
                *flags |= FPU_NV;
            }
            return 0;
        }
        if (op == FPU_FEQ) {
            return !less(&va, &vb, false) && !less(&vb, &va, false);
        }
        return less(&va, &vb, op == FPU_FLE);
    default: /* FPU_CLASS */
        return fclass(f, &va);
    }
}

/* ---- conversions ---- */

/* To a (width)-bit integer, signed or not: saturating, NV when out of
   range or NaN (NaN converts to the largest positive value). */
static uint64_t to_int(const FPValue *v, int width, bool is_signed, int rm,
                       unsigned *flags)
{
    uint64_t max = is_signed ? (1ull << (width - 1)) - 1
                             : (width == 64 ? ~0ull : (1ull << width) - 1);
    uint64_t min = is_signed ? 1ull << (width - 1) : 0;   /* magnitude */
    uint64_t mag;
    bool inexact = false, sign = v->sign;

    switch (v->cls) {
    case CLS_ZERO:
        return 0;
    case CLS_QNAN:
    case CLS_SNAN:
        *flags |= FPU_NV;
        return max;
    case CLS_INF:
        *flags |= FPU_NV;
        return sign ? (is_signed ? -min : 0) : max;
    default:
        break;
    }
    if (v->exp > 63) {
        goto out_of_range;
    }
    /* exp <= 63: the rounded magnitude fits in 64 bits */
    mag = round_shift(v->sig, false, 63 - v->exp, sign, rm, &inexact);
    if (sign ? (is_signed ? mag > min : mag != 0) : mag > max) {
        goto out_of_range;
    }
    if (inexact) {
        *flags |= FPU_NX;
    }
    return sign ? -mag : mag;

out_of_range:
    *flags |= FPU_NV;
    return sign ? (is_signed ? -min : 0) : max;
}

uint64_t fpu_cvt(int op, int fmt, int rm, uint64_t a, unsigned *flags)
{
    const FPFormat *f = &fmt_table[fmt];
    FPValue v;
    uint64_t r;
    int64_t s;

    switch (op) {
    case FPU_CVT_W_F:
    case FPU_CVT_WU_F:
        v = unpack(f, a);
        /* 32-bit results are sign-extended, the unsigned ones too */
        r = to_int(&v, 32, op == FPU_CVT_W_F, rm, flags);
        return (uint64_t)(int64_t)(int32_t)(uint32_t)r;
    case FPU_CVT_L_F:
    case FPU_CVT_LU_F:
        v = unpack(f, a);
        return to_int(&v, 64, op == FPU_CVT_L_F, rm, flags);
    case FPU_CVT_F_W:
        s = (int32_t)(uint32_t)a;
        return box(fmt, from_uint(f, s < 0, s < 0 ? -(uint64_t)s : (uint64_t)s, rm, flags));
    case FPU_CVT_F_WU:
        return box(fmt, from_uint(f, false, (uint32_t)a, rm, flags));
    case FPU_CVT_F_L:
        s = (int64_t)a;
        return box(fmt, from_uint(f, s < 0, s < 0 ? -(uint64_t)s : (uint64_t)s, rm, flags));
    case FPU_CVT_F_LU:
        return box(fmt, from_uint(f, false, a, rm, flags));
    default: { /* FPU_CVT_F_F: from fmt to the other format */
        int to = fmt == FPU_FMT_S ? FPU_FMT_D : FPU_FMT_S;
        const FPFormat *t = &fmt_table[to];

        v = unpack(f, a);
        switch (v.cls) {
        case CLS_SNAN:
            *flags |= FPU_NV;
            /* fall through */
        case CLS_QNAN:
            return box(to, t->canon);
        case CLS_INF:
            return box(to, pack_inf(t, v.sign));
        case CLS_ZERO:
            return box(to, sign_bit(t, v.sign));
        default:
            return box(to, round_pack(t, v.sign, v.exp, v.sig, false, rm, flags));
        }
    }
    }
}

/* ---- helpers called from translated code ---- */

/* The rounding mode an instruction uses: its rm field or frm. */
static int effective_rm(const RISCVEnv *env, uint64_t arg)
{
    int rm = (int)(arg & 7);

    return rm == FPU_RM_DYN ? (int)((env->fcsr & FCSR_FRM_MASK) >> FCSR_FRM_SHIFT) : rm;
}

static uint64_t accrue(RISCVEnv *env, unsigned flags, uint64_t result)
{
    env->fcsr |= flags;
    return result;
}

/* Dynamic rounding with frm = 5, 6 or 7 is an illegal instruction; called
   before the operation by instructions whose rm field is DYN. */
static uint64_t helper_fpu_check_frm(void *e, uint64_t insn, uint64_t a1 UNUSED,
                                     uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                                     uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;

    if (((env->fcsr & FCSR_FRM_MASK) >> FCSR_FRM_SHIFT) > FPU_RM_RMM) {
        riscv_raise_restore(env, EXCP_ILLEGAL_INSN, (uint32_t)insn, LOOM_GETPC());
    }
    return 0;
}

static uint64_t helper_fpu_arith(void *e, uint64_t a, uint64_t b, uint64_t arg,
                                 uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    int fmt = (arg >> 4) & 1;
    unsigned flags = 0;
    uint64_t r = fpu_arith((int)(arg >> 8), fmt, effective_rm(env, arg),
                           unbox(fmt, a), unbox(fmt, b), &flags);

    return accrue(env, flags, box(fmt, r));
}

static uint64_t helper_fpu_fma(void *e, uint64_t a, uint64_t b, uint64_t c,
                               uint64_t arg, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    int fmt = (arg >> 4) & 1;
    unsigned flags = 0;
    uint64_t r = fpu_fma((int)(arg >> 8), fmt, effective_rm(env, arg),
                         unbox(fmt, a), unbox(fmt, b), unbox(fmt, c), &flags);

    return accrue(env, flags, box(fmt, r));
}

static uint64_t helper_fpu_misc(void *e, uint64_t a, uint64_t b, uint64_t arg,
                                uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    int fmt = (arg >> 4) & 1;
    unsigned flags = 0;
    uint64_t r = fpu_misc((int)(arg >> 8), fmt, unbox(fmt, a), unbox(fmt, b), &flags);

    return accrue(env, flags, r);
}

/* Integer sources are x-register values; floating-point ones are
   unboxed here (fcvt.d.s included). */
static uint64_t helper_fpu_cvt(void *e, uint64_t a, uint64_t arg,
                               uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                               uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    int op = (int)(arg >> 8), fmt = (arg >> 4) & 1;
    unsigned flags = 0;
    bool float_src = op <= FPU_CVT_LU_F || op == FPU_CVT_F_F;
    uint64_t r = fpu_cvt(op, fmt, effective_rm(env, arg),
                         float_src ? unbox(fmt, a) : a, &flags);

    return accrue(env, flags, r);
}

/* The operation helpers only read env->fcsr and accrue flags into it:
   no guest globals, never raise. */
#define FPU_HELPER_FLAGS \
    (LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE)

const LoomIRHelper riscv_helper_fpu_check_frm = {
    helper_fpu_check_frm, "fpu_check_frm", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper riscv_helper_fpu_arith = {
    helper_fpu_arith, "fpu_arith", FPU_HELPER_FLAGS,
};
const LoomIRHelper riscv_helper_fpu_fma = {
    helper_fpu_fma, "fpu_fma", FPU_HELPER_FLAGS,
};
const LoomIRHelper riscv_helper_fpu_misc = {
    helper_fpu_misc, "fpu_misc", FPU_HELPER_FLAGS,
};
const LoomIRHelper riscv_helper_fpu_cvt = {
    helper_fpu_cvt, "fpu_cvt", FPU_HELPER_FLAGS,
};
