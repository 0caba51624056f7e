/*
 * aarch64 front-end: the floating-point helpers translated code calls
 * (fpu.c), and the descriptors that select what they do.  Values travel
 * as raw bits in the low bits of a 64-bit word (zero-extended).
 */
#ifndef AARCH64_FPU_H
#define AARCH64_FPU_H

#include "cpu.h"

/* formats: the scalar FP `ftype` field's values */
enum { FMT_S = 0, FMT_D = 1, FMT_H = 3 };

/* FPCR bits */
#define FPCR_AHP (1u << 26)
#define FPCR_DN (1u << 25)
#define FPCR_FZ (1u << 24)
#define FPCR_RMODE_SHIFT 22
/* what MSR FPCR keeps: AHP DN FZ RMode (no trap enables, no FP16) */
#define FPCR_WRITABLE 0x07c00000u

/* FPSR cumulative flags */
#define FPSR_IOC (1u << 0)
#define FPSR_DZC (1u << 1)
#define FPSR_OFC (1u << 2)
#define FPSR_UFC (1u << 3)
#define FPSR_IXC (1u << 4)
#define FPSR_IDC (1u << 7)
#define FPSR_QC (1u << 27)
/* what MSR FPSR keeps: QC and the cumulative flags (no AArch32 NZCV) */
#define FPSR_WRITABLE 0x0800009fu

/* rounding modes: FPCR.RMode's values, and two more */
enum {
    RM_TIEEVEN = 0, RM_POSINF = 1, RM_NEGINF = 2, RM_ZERO = 3,
    RM_TIEAWAY = 4,
    RM_FPCR = 5,                /* FPCR.RMode */
    RM_ODD = 6,                 /* round to odd (FCVTXN): D to S only */
};

/* aarch64_helper_fp_op(desc = FPOP_* | fmt << 8, a, b, c): c is the
   addend of the fused ops (FPOP_MADD: c + a * b) */
enum {
    FPOP_ADD, FPOP_SUB, FPOP_MUL, FPOP_DIV, FPOP_NMUL,
    FPOP_MAX, FPOP_MIN, FPOP_MAXNM, FPOP_MINNM,
    FPOP_SQRT,
    FPOP_MADD,                  /* c + a * b, one rounding */
    FPOP_MSUB,                  /* c - a * b */
    FPOP_NMADD,                 /* -c - a * b */
    FPOP_NMSUB,                 /* -c + a * b */
    FPOP_MULX,                  /* a * b, but inf * 0 = +-2 */
    FPOP_RECPS,                 /* 2 - a * b fused, inf * 0 = 2 */
    FPOP_RSQRTS,                /* (3 - a * b) / 2 fused, inf * 0 = 1.5 */
    FPOP_ABD,                   /* |a - b| */
    FPOP_RECPE,                 /* reciprocal estimate of a */
    FPOP_RSQRTE,                /* reciprocal square root estimate of a */
    FPOP_RECPX,                 /* reciprocal exponent of a */
};
#define FPOP_DESC(op, fmt) ((unsigned)(op) | (unsigned)(fmt) << 8)

/*
 * aarch64_helper_fp_cvt(desc, a): conversions, built with FPCVT_DESC.
 *   FPCVT_FP:      a from format `from` to format `to`
 *   FPCVT_RINT:    round a (format `from`) to an integral value (FRINT*);
 *                  `exact` (FRINTX) signals inexact
 *   FPCVT_TOINT:   a (format `from`) * 2^fbits to a signed/unsigned
 *                  integer of `to` = 32 or 64 bits, saturating
 *   FPCVT_FROMINT: a signed/unsigned integer of `from` = 32 or 64 bits,
 *                  / 2^fbits, to format `to`
 */
enum { FPCVT_FP, FPCVT_RINT, FPCVT_TOINT, FPCVT_FROMINT };
#define FPCVT_DESC(kind, from, to, rm, is_signed, exact, fbits) \
    ((unsigned)(kind) | (unsigned)(from) << 2 | (unsigned)(to) << 9 | (unsigned)(rm) << 16 | \
     (unsigned)(is_signed) << 19 | (unsigned)(exact) << 20 | (unsigned)(fbits) << 21)

/* aarch64_helper_fp_cmp(desc = fmt | signal << 8, a, b): NZCV as
   PSTATE bits 31:28 (unordered: C and V); signal (FCMPE): any NaN is
   invalid, else only a signaling one */
#define FPCMP_DESC(fmt, signal) ((unsigned)(fmt) | (unsigned)(signal) << 8)

/* aarch64_helper_fp_cmpv(desc = FPCMPV_* | fmt << 8, a, b): the vector
   compares: all ones if true, else 0 (FACGE/FACGT compare |a|, |b|) */
enum { FPCMPV_EQ, FPCMPV_GE, FPCMPV_GT, FPCMPV_ACGE, FPCMPV_ACGT };

extern const LoomIRHelper aarch64_helper_fp_op;
extern const LoomIRHelper aarch64_helper_fp_cvt;
extern const LoomIRHelper aarch64_helper_fp_cmp;
extern const LoomIRHelper aarch64_helper_fp_cmpv;

/* the C entry points behind the helpers (for helpers of other files) */
uint64_t aarch64_fp_op(ARMEnv *env, unsigned desc, uint64_t a, uint64_t b, uint64_t c);
uint64_t aarch64_fp_cvt(ARMEnv *env, unsigned desc, uint64_t a);

#endif /* AARCH64_FPU_H */
