/*
 * riscv64 front-end: the F and D extensions' shared definitions: rounding
 * modes, fflags bits, the operation codes translate-fp.c passes to the
 * helpers in fpu.c, and those helpers.
 *
 * Helper arguments: FP operands are the raw 64-bit register values
 * (single-precision ones NaN-boxed; the helpers unbox them) and results
 * are raw register values (singles boxed) or, for compares, classify and
 * conversions to integers, the x-register value.  The last argument packs
 * the operation: FPU_ARG(op, fmt, rm).  rm is 0..4 or FPU_RM_DYN, already
 * validated (fpu_check_frm raises for a reserved dynamic frm first).
 */
#ifndef RISCV_FPU_H
#define RISCV_FPU_H

#include "cpu.h"

/* Rounding modes (the rm field and frm) */
enum {
    FPU_RM_RNE = 0,         /* to nearest, ties to even */
    FPU_RM_RTZ = 1,         /* toward zero */
    FPU_RM_RDN = 2,         /* down */
    FPU_RM_RUP = 3,         /* up */
    FPU_RM_RMM = 4,         /* to nearest, ties to max magnitude */
    FPU_RM_DYN = 7,         /* the rm field only: use frm */
};

/* fflags bits (fcsr[4:0]); frm is fcsr[7:5] */
enum {
    FPU_NX = 0x01,
    FPU_UF = 0x02,
    FPU_OF = 0x04,
    FPU_DZ = 0x08,
    FPU_NV = 0x10,
};
#define FCSR_FFLAGS_MASK 0x1fu
#define FCSR_FRM_SHIFT 5
#define FCSR_FRM_MASK (7u << FCSR_FRM_SHIFT)
#define FCSR_MASK (FCSR_FFLAGS_MASK | FCSR_FRM_MASK)

/* Formats: the fmt field of OP-FP and the fused multiply-adds */
enum {
    FPU_FMT_S = 0,
    FPU_FMT_D = 1,
};

/* Operations of the helpers */
enum {
    /* fpu_arith: a op b (sqrt: a) */
    FPU_ADD, FPU_SUB, FPU_MUL, FPU_DIV, FPU_SQRT,
    /* fpu_fma: (+-a * b) +- c; the op is the negation bits */
    FPU_FMA_NEG_PROD = 1, FPU_FMA_NEG_ADD = 2,
    /* fpu_misc (no rounding): results are f-register values except
       compares and classify */
    FPU_SGNJ = 0, FPU_SGNJN, FPU_SGNJX, FPU_MIN, FPU_MAX,
    FPU_FEQ, FPU_FLT, FPU_FLE, FPU_CLASS,
    /* fpu_cvt: to and from integers, between formats; fmt is the
       floating-point side (the source for CVT_F_F: fmt -> other) */
    FPU_CVT_W_F = 0, FPU_CVT_WU_F, FPU_CVT_L_F, FPU_CVT_LU_F,
    FPU_CVT_F_W, FPU_CVT_F_WU, FPU_CVT_F_L, FPU_CVT_F_LU,
    FPU_CVT_F_F,
};

#define FPU_ARG(op, fmt, rm) ((uint64_t)(op) << 8 | (uint64_t)(fmt) << 4 | (uint64_t)(rm))

/* Canonical NaNs and NaN-boxing */
#define FPU_CANON_S 0x7fc00000ull
#define FPU_CANON_D 0x7ff8000000000000ull
#define FPU_BOX_S 0xffffffff00000000ull

extern const LoomIRHelper riscv_helper_fpu_check_frm;   /* (insn): may raise */
extern const LoomIRHelper riscv_helper_fpu_arith;       /* (a, b, arg) */
extern const LoomIRHelper riscv_helper_fpu_fma;         /* (a, b, c, arg) */
extern const LoomIRHelper riscv_helper_fpu_misc;        /* (a, b, arg) */
extern const LoomIRHelper riscv_helper_fpu_cvt;         /* (a, arg) */

/*
 * The arithmetic core, callable without a hart (unit tests): each returns
 * the result bits and ORs the exception flags into *flags.  rm is 0..4.
 */
uint64_t fpu_arith(int op, int fmt, int rm, uint64_t a, uint64_t b, unsigned *flags);
uint64_t fpu_fma(int neg, int fmt, int rm, uint64_t a, uint64_t b, uint64_t c,
                 unsigned *flags);
uint64_t fpu_misc(int op, int fmt, uint64_t a, uint64_t b, unsigned *flags);
uint64_t fpu_cvt(int op, int fmt, int rm, uint64_t a, unsigned *flags);

#endif /* RISCV_FPU_H */
