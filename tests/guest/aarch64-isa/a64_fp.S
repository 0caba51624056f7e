/*
 * A64 scalar floating point: the SIMD&FP access trap (CPACR_EL1.FPEN),
 * SIMD&FP register loads and stores of every size and addressing form
 * (a narrower write zeroes the rest of the V register), literal loads,
 * pairs; then the scalar FP instructions with exact results and FPSR
 * flags: rounding modes, overflow, tininess before rounding, FZ, DN,
 * NaN propagation, FMADD and friends, max/min, compares, FMOV, FCVT
 * (half precision and AHP too), FRINT*, saturating conversions, fixed
 * point; and two digests of many pseudo-random operands (fuzz_fp,
 * fuzz_raw) whose expected values were read off QEMU.  Build with
 * -DFPDUMP to print "n: actual" for each mismatch instead of failing.
 */
#include "a64.h"
#include "fpcheck.h"

/* fail with status n unless V<q> holds hi:lo (clobbers x14-x17) */
.macro CHECKV n, q, lo, hi
    ldr x15, =vscratch
    str q\q, [x15]
    ldp x14, x15, [x15]
    CHECK \n, x14, \lo
    CHECK \n, x15, \hi
.endm

/* V<q> = hi:lo (clobbers x14, x15) */
.macro SETV q, lo, hi
    ldr x14, =\lo
    ldr x15, =\hi
    stp x14, x15, [sp, #-16]!
    ldr q\q, [sp], #16
.endm



.macro FPCR val
    ldr x0, =\val
    msr fpcr, x0
.endm

/* d0 = op(d1 = a, d2 = b[, d3 = c]); check d0 and FPSR (from 0) */
.macro TD n, op, res, flags, a, b=0, c=0
    ldr x0, =\a
    fmov d1, x0
    ldr x0, =\b
    fmov d2, x0
    ldr x0, =\c
    fmov d3, x0
    msr fpsr, xzr
    \op
    mrs x1, fpsr
    fmov x0, d0
    FCHK \n, x0, \res
    FCHK \n, x1, \flags
.endm

/* the same with s1, s2, s3 -> s0 */
.macro TS n, op, res, flags, a, b=0, c=0
    ldr w0, =\a
    fmov s1, w0
    ldr w0, =\b
    fmov s2, w0
    ldr w0, =\c
    fmov s3, w0
    msr fpsr, xzr
    \op
    mrs x1, fpsr
    fmov x0, d0
    FCHK \n, x0, \res
    FCHK \n, x1, \flags
.endm

/* an FP -> integer op into x0 from d1 = a */
.macro TI n, op, res, flags, a
    ldr x0, =\a
    fmov d1, x0
    msr fpsr, xzr
    \op
    mrs x1, fpsr
    FCHK \n, x0, \res
    FCHK \n, x1, \flags
.endm

/* an NZCV-producing op on d1 = a, d2 = b: check NZCV and FPSR */
.macro TC n, op, nzcv, flags, a, b
    ldr x0, =\a
    fmov d1, x0
    ldr x0, =\b
    fmov d2, x0
    msr fpsr, xzr
    \op
    mrs x0, nzcv
    mrs x1, fpsr
    FCHK \n, x0, \nzcv
    FCHK \n, x1, \flags
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!

    /* ---- the access trap: FPEN = 0 at reset ---- */
    ldr x9, =buf
    EXPECT_EXCP
    ldr q0, [x9]
    LAST x0, last_esr
    CHECK 1, x0, 0x1fe00000
    /* FPCR and FPSR are trapped too (check 1 again) */
    EXPECT_EXCP
    mrs x0, fpcr
    LAST x0, last_esr
    CHECK 1, x0, 0x1fe00000
    EXPECT_EXCP
1:  msr fpsr, xzr
    LAST x0, last_esr
    CHECK 1, x0, 0x1fe00000
    LAST x0, last_elr
    adr x1, 1b
    sub x0, x0, x1
    CHECK 1, x0, 0
    mrs x0, cpacr_el1
    orr x0, x0, #(3 << 20)
    msr cpacr_el1, x0
    isb

    /* buf[i] = i for i < 64 */
    mov x0, #0
1:  strb w0, [x9, x0]
    add x0, x0, #1
    cmp x0, #64
    b.ne 1b

    /* ---- loads: every size, the rest of V zeroed ---- */
    ldr q0, [x9]
    CHECKV 2, 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    ldr q1, [x9, #16]
    CHECKV 3, 1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    ldr b1, [x9, #5]
    CHECKV 4, 1, 0x05, 0
    SETV 1, -1, -1
    ldr h1, [x9, #6]
    CHECKV 5, 1, 0x0706, 0
    SETV 1, -1, -1
    ldr s1, [x9, #8]
    CHECKV 6, 1, 0x0b0a0908, 0
    SETV 1, -1, -1
    ldr d1, [x9, #16]
    CHECKV 7, 1, 0x1716151413121110, 0
    /* unscaled, unaligned */
    ldur s2, [x9, #3]
    CHECKV 8, 2, 0x06050403, 0
    ldur q2, [x9, #-0]
    ldur d3, [x9, #9]
    CHECKV 9, 3, 0x100f0e0d0c0b0a09, 0
    ldur h3, [x9, #33]
    CHECKV 10, 3, 0x2221, 0
    /* pre- and post-index */
    mov x10, x9
    ldr d4, [x10, #8]!
    CHECKV 11, 4, 0x0f0e0d0c0b0a0908, 0
    sub x0, x10, x9
    CHECK 12, x0, 8
    ldr q4, [x10], #-4
    CHECKV 13, 4, 0x0f0e0d0c0b0a0908, 0x1716151413121110
    sub x0, x10, x9
    CHECK 14, x0, 4
    ldr b4, [x10, #1]!
    CHECKV 15, 4, 0x05, 0
    ldr h4, [x10], #2
    CHECKV 16, 4, 0x0605, 0
    sub x0, x10, x9
    CHECK 17, x0, 7
    /* register offset */
    mov x11, #3
    ldr s5, [x9, x11, lsl #2]
    CHECKV 18, 5, 0x0f0e0d0c, 0
    ldr q5, [x9, x11, lsl #4]
    CHECKV 19, 5, 0x3736353433323130, 0x3f3e3d3c3b3a3938
    add x12, x9, #32
    mov w11, #-2
    ldr d5, [x12, w11, sxtw #3]
    CHECKV 20, 5, 0x1716151413121110, 0
    mov w11, #4
    ldr h5, [x9, w11, uxtw #1]
    CHECKV 21, 5, 0x0908, 0
    ldr b5, [x9, x11]
    CHECKV 22, 5, 0x04, 0
    ldr s5, [x9, x11]
    CHECKV 23, 5, 0x07060504, 0

    /* ---- stores: only the access size is written ---- */
    SETV 6, 0x8877665544332211, 0xffeeddccbbaa9988
    ldr x12, =obuf
    mov x0, #-1
    stp x0, x0, [x12]
    stp x0, x0, [x12, #16]
    str b6, [x12]
    str h6, [x12, #2]
    str s6, [x12, #4]
    str d6, [x12, #8]
    ldp x0, x1, [x12]
    CHECK 24, x0, 0x443322112211ff11
    CHECK 25, x1, 0x8877665544332211
    stur q6, [x12, #17]
    ldp x0, x1, [x12, #16]
    CHECK 26, x0, 0x77665544332211ff
    CHECK 27, x1, 0xeeddccbbaa998888
    mov x10, x12
    str s6, [x10, #32]!
    str d6, [x10], #8
    sub x0, x10, x12
    CHECK 28, x0, 40
    ldr x0, [x12, #32]
    CHECK 29, x0, 0x8877665544332211
    mov x11, #6
    str q6, [x12, x11, lsl #4]
    ldp x0, x1, [x12, #96]
    CHECK 30, x0, 0x8877665544332211
    CHECK 31, x1, 0xffeeddccbbaa9988

    /* ---- literals ---- */
    ldr s7, lit
    CHECKV 32, 7, 0x33221100, 0
    ldr d7, lit
    CHECKV 33, 7, 0x7766554433221100, 0
    ldr q7, lit
    CHECKV 34, 7, 0x7766554433221100, 0xffeeddccbbaa9988

    /* ---- pairs ---- */
    ldp s8, s9, [x9, #4]
    CHECKV 35, 8, 0x07060504, 0
    CHECKV 36, 9, 0x0b0a0908, 0
    ldp d8, d9, [x9, #-0]
    CHECKV 37, 8, 0x0706050403020100, 0
    CHECKV 38, 9, 0x0f0e0d0c0b0a0908, 0
    mov x10, x9
    ldp q8, q9, [x10, #16]!
    CHECKV 39, 8, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    CHECKV 40, 9, 0x2726252423222120, 0x2f2e2d2c2b2a2928
    ldp s10, s11, [x10], #-8
    CHECKV 41, 10, 0x13121110, 0
    CHECKV 42, 11, 0x17161514, 0
    sub x0, x10, x9
    CHECK 43, x0, 8
    ldnp d10, d11, [x9, #48]
    CHECKV 44, 11, 0x3f3e3d3c3b3a3938, 0
    /* the same register twice (CONSTRAINED UNPREDICTABLE) is avoided */
    SETV 12, 0x1111111111111111, 0x2222222222222222
    SETV 13, 0x3333333333333333, 0x4444444444444444
    stp q12, q13, [x12]
    ldp x0, x1, [x12]
    CHECK 45, x0, 0x1111111111111111
    CHECK 46, x1, 0x2222222222222222
    ldp x0, x1, [x12, #16]
    CHECK 47, x0, 0x3333333333333333
    CHECK 48, x1, 0x4444444444444444
    mov x10, x12
    stp s13, s12, [x10, #-8]!
    ldr x0, [x12, #-8]
    CHECK 53, x0, 0x1111111133333333
    stp d12, d13, [x10], #64
    stnp s12, s13, [x10]
    ldp x0, x1, [x12, #-8]
    CHECK 49, x0, 0x1111111111111111
    CHECK 50, x1, 0x3333333333333333
    ldr x0, [x12, #56]
    CHECK 51, x0, 0x3333333311111111
    sub x0, x10, x12
    CHECK 52, x0, 56

    bl scalar_fp
    cbnz x0, 8f

    mov x0, #0
8:
    ldp x29, x30, [sp], #16
    ret

#define RP 0x00400000
#define RM 0x00800000
#define RZ 0x00c00000
#define FZ 0x01000000
#define DN 0x02000000
#define AHP 0x04000000
#define IOC 0x01
#define DZC 0x02
#define OFC 0x04
#define UFC 0x08
#define IXC 0x10
#define IDC 0x80
#define ONE 0x3ff0000000000000
#define TWO 0x4000000000000000
#define INF 0x7ff0000000000000
#define QNAN1 0x7ff8000000000001
#define QNAN2 0x7ff8000000000002
#define SNAN2 0x7ff0000000000002
#define DNAN 0x7ff8000000000000

/* scalar FP arithmetic, compares, conversions: 0 or the failing check */
scalar_fp:
    stp x29, x30, [sp, #-16]!
    FPCR 0

    /* FPCR and FPSR keep what they define */
    FPCR 0x07c00000
    mrs x0, fpcr
    FCHK 58, x0, 0x07c00000
    mov x0, #0x9f
    msr fpsr, x0
    mrs x0, fpsr
    FCHK 59, x0, 0x9f
    FPCR 0

    /* ---- arithmetic, rounding modes, flags ---- */
    TD 60, "fadd d0, d1, d2", 0x4008000000000000, 0, ONE, TWO
    TD 61, "fadd d0, d1, d2", ONE, IXC, ONE, 0x3c30000000000000
    FPCR RP
    TD 62, "fadd d0, d1, d2", 0x3ff0000000000001, IXC, ONE, 0x3c30000000000000
    FPCR RM
    TD 63, "fsub d0, d1, d2", 0x3fefffffffffffff, IXC, ONE, 0x3c30000000000000
    TD 64, "fsub d0, d1, d1", 0x8000000000000000, 0, ONE          /* x - x = -0 rounding down */
    FPCR RZ
    TD 65, "fmul d0, d1, d2", 0x7fefffffffffffff, OFC | IXC, 0x7fefffffffffffff, TWO
    FPCR 0
    TD 66, "fmul d0, d1, d2", INF, OFC | IXC, 0x7fefffffffffffff, TWO
    TD 67, "fsub d0, d1, d2", DNAN, IOC, INF, INF
    TD 68, "fdiv d0, d1, d2", INF, DZC, ONE, 0
    TD 69, "fdiv d0, d1, d2", 0xfff0000000000000, DZC, ONE, 0x8000000000000000
    TD 70, "fdiv d0, d1, d2", DNAN, IOC, 0, 0
    TD 71, "fdiv d0, d1, d2", 0x3fd5555555555555, IXC, ONE, 0x4008000000000000
    TD 72, "fnmul d0, d1, d2", 0xc018000000000000, 0, TWO, 0x4008000000000000
    TD 73, "fsqrt d0, d1", 0x3ff6a09e667f3bcd, IXC, TWO
    TD 74, "fsqrt d0, d1", DNAN, IOC, 0xbff0000000000000
    TD 75, "fsqrt d0, d1", 0x8000000000000000, 0, 0x8000000000000000

    /* ---- denormals: tininess before rounding, FZ ---- */
    TD 76, "fmul d0, d1, d2", 0x0008000000000000, 0, 0x0010000000000000, 0x3fe0000000000000
    TD 77, "fmul d0, d1, d2", 0x0008000000000000, UFC | IXC, 0x0010000000000001, 0x3fe0000000000000
    /* 2^-1022 (1 - 2^-104) rounds up to the smallest normal: still tiny */
    TD 78, "fmul d0, d1, d2", 0x0010000000000000, UFC | IXC, 0x2000000000000001, 0x1ffffffffffffffe
    TD 79, "fadd d0, d1, d2", 0x0000000000000003, 0, 0x0000000000000001, 0x0000000000000002
    FPCR FZ
    TD 80, "fmul d0, d1, d2", 0, UFC, 0x0010000000000000, 0x3fe0000000000000
    TD 81, "fmul d0, d1, d2", 0x8000000000000000, UFC, 0x2000000000000001, 0x9ffffffffffffffe
    TD 82, "fadd d0, d1, d2", ONE, IDC, 0x0000000000000001, ONE
    TD 83, "fadd d0, d1, d2", 0x0010000000000000, 0, 0x0010000000000000, 0x8000000000000000
    TS 84, "fmul s0, s1, s2", 0, UFC, 0x00800000, 0x3f000000
    TS 85, "fadd s0, s1, s2", 0x80000000, IDC, 0x80000001, 0x80000000
    FPCR 0
    TS 86, "fmul s0, s1, s2", 0x00400000, 0, 0x00800000, 0x3f000000
    TS 87, "fadd s0, s1, s2", 0x3f800000, IXC, 0x3f800000, 0x30800000
    FPCR RP
    TS 88, "fadd s0, s1, s2", 0x3f800001, IXC, 0x3f800000, 0x30800000
    FPCR 0

    /* ---- NaNs: signaling first, quieted; operand order; DN ---- */
    TD 89, "fadd d0, d1, d2", 0x7ff8000000000002, IOC, QNAN1, SNAN2
    TD 90, "fadd d0, d1, d2", QNAN1, 0, QNAN1, QNAN2
    TD 91, "fmul d0, d1, d2", QNAN2, 0, ONE, QNAN2
    TD 92, "fsub d0, d1, d2", 0xfff8000000000001, 0, 0xfff8000000000001, ONE
    TS 93, "fadd s0, s1, s2", 0x7fc00005, IOC, 0x7fc00001, 0x7f800005
    TD 94, "fnmul d0, d1, d2", 0xfff8000000000001, 0, QNAN1, ONE
    TD 95, "fabs d0, d1", 0x7ff0000000000002, 0, 0xfff0000000000002
    TD 96, "fneg d0, d1", 0xfff0000000000002, 0, SNAN2
    FPCR DN
    TD 97, "fadd d0, d1, d2", DNAN, IOC, QNAN1, SNAN2
    TD 98, "fadd d0, d1, d2", DNAN, 0, ONE, QNAN2
    TS 99, "fadd s0, s1, s2", 0x7fc00000, 0, 0x7fc00001, 0x3f800000
    FPCR 0

    /* ---- max/min ---- */
    TD 100, "fmax d0, d1, d2", 0, 0, 0x8000000000000000, 0
    TD 101, "fmin d0, d1, d2", 0x8000000000000000, 0, 0, 0x8000000000000000
    TD 102, "fmax d0, d1, d2", QNAN1, 0, QNAN1, ONE
    TD 103, "fmaxnm d0, d1, d2", ONE, 0, QNAN1, ONE
    TD 104, "fminnm d0, d1, d2", ONE, 0, ONE, QNAN1
    TD 105, "fmaxnm d0, d1, d2", 0x7ff8000000000002, IOC, ONE, SNAN2
    TD 106, "fminnm d0, d1, d2", QNAN1, 0, QNAN1, QNAN2
    TD 107, "fmin d0, d1, d2", 0xfff0000000000000, 0, 0xfff0000000000000, ONE
    TS 108, "fmax s0, s1, s2", 0x40000000, 0, 0x3f800000, 0x40000000

    /* ---- fused multiply-add ---- */
    /* (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly: one rounding */
    TD 109, "fmadd d0, d1, d2, d3", 0xbc30000000000000, 0, 0x3ff0000000400000, 0x3fefffffff800000, 0xbff0000000000000
    TD 110, "fmsub d0, d1, d2, d3", 0xc014000000000000, 0, TWO, 0x4008000000000000, ONE
    TD 111, "fnmadd d0, d1, d2, d3", 0xc01c000000000000, 0, TWO, 0x4008000000000000, ONE
    TD 112, "fnmsub d0, d1, d2, d3", 0x4014000000000000, 0, TWO, 0x4008000000000000, ONE
    /* a quiet NaN addend and inf * 0: the default NaN, invalid */
    TD 113, "fmadd d0, d1, d2, d3", DNAN, IOC, INF, 0, QNAN1
    TD 114, "fmadd d0, d1, d2, d3", QNAN1, 0, ONE, QNAN2, QNAN1
    TD 115, "fmadd d0, d1, d2, d3", 0x7ff8000000000002, IOC, QNAN1, SNAN2, ONE
    /* FMSUB negates Rn before NaN processing */
    TD 116, "fmsub d0, d1, d2, d3", 0xfff8000000000001, 0, QNAN1, ONE, ONE
    TD 117, "fnmadd d0, d1, d2, d3", 0xfff8000000000002, 0, ONE, ONE, QNAN2
    TS 118, "fmadd s0, s1, s2, s3", 0xa8800000, 0, 0x3f800001, 0x3f7ffffe, 0xbf800000

    /* ---- compares ---- */
    TC 119, "fcmp d1, d2", F_N, 0, ONE, TWO
    TC 120, "fcmp d1, d2", F_Z | F_C, 0, 0x8000000000000000, 0
    TC 121, "fcmp d1, d2", F_C, 0, TWO, ONE
    TC 122, "fcmp d1, d2", F_C | F_V, 0, QNAN1, ONE
    TC 123, "fcmpe d1, d2", F_C | F_V, IOC, QNAN1, ONE
    TC 124, "fcmp d1, d2", F_C | F_V, IOC, ONE, SNAN2
    TC 125, "fcmp d1, #0.0", F_Z | F_C, 0, 0x8000000000000000, ONE
    TC 126, "fcmpe d1, #0.0", F_N, 0, 0xfff0000000000000, ONE
    TC 127, "fcmp s1, s2", F_N, 0, 0xbf800000, 0x3f800000
    /* FCCMP: compare when the condition holds, else #nzcv (and no flags) */
    TC 128, "cmp x0, x0; fccmp d1, d2, #0x5, eq", F_C | F_V, 0, QNAN1, ONE
    TC 129, "cmp x0, x0; fccmpe d1, d2, #0x5, ne", F_Z | F_V, 0, QNAN1, ONE
    TC 130, "cmp x0, x0; fccmpe d1, d2, #0x5, eq", F_C | F_V, IOC, QNAN1, ONE
    TC 55, "cmp x0, x0; fccmp d1, d2, #0x5, al", F_N, 0, ONE, TWO
    TC 56, "cmp x0, x0; fccmp d1, d2, #0x5, nv", F_C, 0, TWO, ONE
    TD 57, "cmp x0, x0; fcsel d0, d1, d2, nv", ONE, 0, ONE, TWO
    TD 54, "cmp x0, x0; fcsel d0, d1, d2, al", ONE, 0, ONE, TWO
    TD 131, "cmp x0, x0; fcsel d0, d1, d2, eq", ONE, 0, ONE, TWO
    TD 132, "cmp x0, x0; fcsel d0, d1, d2, ne", TWO, 0, ONE, TWO
    TS 133, "cmp x0, x0; fcsel s0, s1, s2, ne", 0x40000000, 0, 0x3f800000, 0x40000000

    /* ---- moves ---- */
    TD 134, "fmov d0, #1.0", ONE, 0, 0
    TD 135, "fmov d0, #-0.125", 0xbfc0000000000000, 0, 0
    TS 136, "fmov s0, #31.0", 0x41f80000, 0, 0
    TD 137, "fmov d0, d1", 0x7ff0000000000002, 0, SNAN2
    TS 138, "fmov s0, s1", 0x7f800001, 0, 0x7f800001
    fmov d4, xzr
    ldr x0, =0x1122334455667788
    fmov v4.d[1], x0
    fmov d5, x0
    fmov v5.d[1], x0
    fmov x1, v5.d[1]
    FCHK 139, x1, 0x1122334455667788
    CHECKV 140, 5, 0x1122334455667788, 0x1122334455667788
    fmov s5, w0
    CHECKV 141, 5, 0x55667788, 0
    fmov w1, s4
    FCHK 142, x1, 0

    /* ---- precision conversions ---- */
    TD 143, "fcvt s0, d1", 0x3eaaaaab, IXC, 0x3fd5555555555555
    TS 144, "fcvt d0, s1", 0x3fd5555560000000, 0, 0x3eaaaaab
    TS 145, "fcvt d0, s1", 0x7ff8000020000000, IOC, 0x7f800001
    TD 146, "fcvt s0, d1", 0x7f800000, OFC | IXC, 0x47f0000000000000
    TD 147, "fcvt s0, d1", 0x00000001, UFC | IXC, 0x36a0000000000001
    TD 148, "fcvt h0, d1", 0x3c00, 0, ONE
    TD 149, "fcvt h0, d1", 0x7c00, OFC | IXC, 0x40effe0000000000
    TD 150, "fcvt h0, d1", 0x7bff, IXC, 0x40effd0000000000
    TD 151, "fcvt h0, d1", 0x0001, UFC | IXC, 0x3e70000000000001
    TS 152, "fcvt h0, s1", 0x7e01, IOC, 0x7f802001
    TS 153, "fcvt h0, s1", 0x3555, IXC, 0x3eaaaaab
    TS 154, "fcvt d0, h1", 0x3fd5540000000000, 0, 0x3555
    TS 155, "fcvt s0, h1", 0x7fc02000, IOC, 0x7c01
    TS 156, "fcvt s0, h1", 0x33800000, 0, 0x0001
    TS 196, "fcvt s0, h1", 0x7f800000, 0, 0x7c00
    TS 197, "fcvt d0, h1", 0xfff0000000000000, 0, 0xfc00
    FPCR AHP
    TS 198, "fcvt s0, h1", 0x47802000, 0, 0x7c01
    TD 157, "fcvt h0, d1", 0x7c00, IXC, 0x40effe0000000000
    TD 158, "fcvt h0, d1", 0x7fff, IOC, INF
    TD 159, "fcvt h0, d1", 0x0000, IOC, QNAN1
    TS 160, "fcvt s0, h1", 0x47800000, 0, 0x7c00
    FPCR RZ
    TD 161, "fcvt h0, d1", 0x7bff, OFC | IXC, 0x40f0000000000000
    FPCR 0

    /* ---- round to integral ---- */
    TD 162, "frintn d0, d1", TWO, 0, 0x4004000000000000
    TD 163, "frinta d0, d1", 0x4008000000000000, 0, 0x4004000000000000
    TD 164, "frintp d0, d1", 0x4008000000000000, 0, 0x4004000000000000
    TD 165, "frintm d0, d1", 0xc008000000000000, 0, 0xc004000000000000
    TD 166, "frintz d0, d1", 0xc000000000000000, 0, 0xc004000000000000
    TD 167, "frintx d0, d1", TWO, IXC, 0x4004000000000000
    TD 168, "frintn d0, d1", 0x8000000000000000, 0, 0xbfe0000000000000
    TD 169, "frinta d0, d1", 0xbff0000000000000, 0, 0xbfe0000000000000
    TD 170, "frintx d0, d1", 0x7ff8000000000002, IOC, SNAN2
    FPCR RP
    TD 171, "frinti d0, d1", 0x4008000000000000, 0, 0x4004000000000000
    TS 172, "frintx s0, s1", 0x40400000, IXC, 0x40200000
    FPCR 0

    /* ---- to integers: rounding, saturation ---- */
    TI 173, "fcvtzs x0, d1", 0x7fffffffffffffff, IOC, 0x441158e460913d00
    TI 174, "fcvtzs w0, d1", 0x7fffffff, IOC, 0x441158e460913d00
    TI 175, "fcvtzu x0, d1", 0, IOC, 0xbff8000000000000
    TI 176, "fcvtzu x0, d1", 0, IXC, 0xbfe0000000000000
    TI 177, "fcvtzs x0, d1", 0, IOC, QNAN1
    TI 178, "fcvtns x0, d1", 2, IXC, 0x4004000000000000
    TI 179, "fcvtas x0, d1", 3, IXC, 0x4004000000000000
    TI 180, "fcvtms x0, d1", -3, IXC, 0xc004000000000000
    TI 181, "fcvtps w0, d1", 3, IXC, 0x4000cccccccccccd
    TI 182, "fcvtzs w0, d1", 0x80000000, 0, 0xc1e0000000000000
    TI 183, "fcvtzs w0, d1", 0x80000000, IOC, 0xc1e0000000200000
    TI 184, "fcvtzu w0, d1", 0xffffffff, IOC, 0x41f0000000000000
    TI 185, "fcvtau x0, d1", 0xfffffffffffff800, 0, 0x43efffffffffffff
    TI 186, "fcvtzs x0, d1, #4", 24, 0, 0x3ff8000000000000
    TI 187, "fcvtzu w0, d1, #32", 0x80000000, 0, 0x3fe0000000000000
    FPCR RM
    TI 188, "fcvtzs x0, d1", -1, IXC, 0xbff8000000000000

    /* ---- from integers ---- */
    FPCR 0
    ldr x0, =0x7fffffffffffffff
    msr fpsr, xzr
    scvtf d0, x0
    mrs x1, fpsr
    fmov x0, d0
    FCHK 189, x0, 0x43e0000000000000
    FCHK 189, x1, IXC
    mov x0, #-1
    ucvtf d0, x0
    fmov x0, d0
    FCHK 190, x0, 0x43f0000000000000
    mov w0, #-1
    scvtf s0, w0
    fmov w0, s0
    FCHK 191, x0, 0xbf800000
    mov w0, #-1
    ucvtf s0, w0
    fmov w0, s0
    FCHK 192, x0, 0x4f800000
    mov x0, #24
    scvtf d0, w0, #4
    fmov x0, d0
    FCHK 193, x0, 0x3ff8000000000000
    FPCR RZ
    ldr x0, =0x7fffffffffffffff
    scvtf s0, x0
    fmov w0, s0
    FCHK 194, x0, 0x5effffff
    FPCR 0

    bl fuzz_fp
    FCHK 195, x0, 0x79b4c178fc0a3b6d
    bl fuzz_raw
    FCHK 199, x0, 0x3e70904b1cb6a2ff

    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/*
 * Many pseudo-random operands through the arithmetic in every rounding
 * mode, with FZ off and on: every result and the FPSR after each op go
 * into a rotating xor (x20), compared at the end with QEMU's.  The
 * operands have even exponents over the whole range, and one in eight
 * a zero exponent (denormals and zeros), so that results meet overflow,
 * tininess and FZ flushing.
 */
fuzz_fp:
    stp x29, x30, [sp, #-16]!
    mov x20, #0                 /* the digest */
    ldr x21, =0x9e3779b97f4a7c15    /* the LCG state */
    ldr x22, =6364136223846793005
    ldr x23, =1442695040888963407
    mov x24, #0                 /* FPCR config: RMode (1:0), FZ (2) */
1:  lsl x0, x24, #22
    msr fpcr, x0
    mov x25, #400
2:  /* three D operands from three LCG steps */
    .irp r, 1, 2, 3
    madd x21, x21, x22, x23
    ubfx x0, x21, #52, #10
    lsl x0, x0, #1
    tst x21, #7
    csel x0, xzr, x0, eq        /* one in 8: denormal or zero */
    mov x1, x21
    bfi x1, x0, #52, #11
    fmov d\r, x1
    .endr
    /* S operands from the low words */
    .irp r, 4, 5, 6
    madd x21, x21, x22, x23
    ubfx x0, x21, #23, #7
    lsl x0, x0, #1
    tst x21, #7
    csel x0, xzr, x0, eq
    mov x1, x21
    bfi x1, x0, #23, #8
    fmov s\r, w1
    .endr
    msr fpsr, xzr
    .irp op, "fadd d0, d1, d2", "fsub d0, d1, d3", "fmul d0, d1, d2", "fdiv d0, d1, d3", \
             "fmadd d0, d1, d2, d3", "fnmsub d0, d3, d2, d1", "fsqrt d0, d2", "fcvt s0, d1", \
             "fadd s0, s4, s5", "fmul s0, s4, s5", "fdiv s0, s6, s4", "fmsub s0, s4, s5, s6", \
             "fsqrt s0, s6", "fcvt h0, s4", "fcvt h0, d3", "fmaxnm d0, d1, d2", "fnmul s0, s5, s6"
    \op
    fmov x0, d0
    ror x20, x20, #59
    eor x20, x20, x0
    mrs x0, fpsr
    eor x20, x20, x0, lsl #8
    .endr
    /* conversions near the integers: scaled operands */
    fmul d0, d1, d2
    fcvtzs x0, d0
    eor x20, x20, x0
    fcvtau w0, d3
    ror x20, x20, #59
    eor x20, x20, x0
    frintx d0, d1
    fmov x0, d0
    eor x20, x20, x0
    scvtf s0, x21
    fmov w0, s0
    ror x20, x20, #59
    eor x20, x20, x0
    mrs x0, fpsr
    eor x20, x20, x0, lsl #16
    subs x25, x25, #1
    b.ne 2b
    add x24, x24, #1
    cmp x24, #8
    b.ne 1b
    msr fpcr, xzr
    msr fpsr, xzr
    mov x0, x20
    ldp x29, x30, [sp], #16
    ret

/*
 * Raw pseudo-random bit patterns (NaN payloads, infinities, denormals,
 * zeros of both signs) through the scalar ops whose special cases
 * matter most: NaN order of the fused ops, compares (NZCV), FCCMP,
 * FCSEL, every FRINT and FCVT*-to-integer rounding, fixed point,
 * precision conversions; FPCR 0, FZ + DN with round down, AHP with
 * round up.  Results, NZCV and FPSR into a rotating xor.
 */
fuzz_raw:
    mov x20, #0
    ldr x21, =0x2545f4914f6cdd1d
    ldr x22, =6364136223846793005
    ldr x23, =1442695040888963407
    mov x24, #0
1:  ldr x0, =raw_configs
    ldr x0, [x0, x24, lsl #3]
    msr fpcr, x0
    mov x25, #400
2:  .irp r, 1, 2, 3
    madd x21, x21, x22, x23
    mov x1, x21
    tst x21, #0x3000            /* one in four: NaN (or infinity), S and D */
    b.ne 4f
    orr x1, x1, #0x7ff0000000000000
    orr x1, x1, #0x7f800000
4:  fmov d\r, x1
    .endr
    /* one operand in four: a small value, for the integer conversions */
    tst x21, #0x300
    b.ne 3f
    fmov d4, #1.0
    fmul d1, d1, d4
3:  msr fpsr, xzr
    .irp op, "fmadd d0, d1, d2, d3", "fnmadd s0, s1, s2, s3", "fmsub d0, d3, d1, d2", \
             "fmin s0, s1, s2", "fmaxnm d0, d2, d1", "fminnm s0, s3, s1", "fdiv s0, s1, s2", \
             "frintn d0, d1", "frintp s0, s1", "frintm d0, d1", "frintz s0, s1", "frinta d0, d1", \
             "frinti s0, s1", "frintx d0, d1", "fcvt d0, s1", "fcvt s0, d2", "fcvt h0, s3", \
             "fcvt s0, h2", "fsqrt d0, d3", "fnmul d0, d1, d2", "fabd d0, d1, d2"
    \op
    fmov x0, d0
    ror x20, x20, #59
    eor x20, x20, x0
    .endr
    .irp op, "fcvtns x0, d1", "fcvtnu w0, s1", "fcvtps w0, d1", "fcvtpu x0, s1", \
             "fcvtms x0, s1", "fcvtmu w0, d1", "fcvtzs w0, s1", "fcvtzu x0, d1", \
             "fcvtas w0, d1", "fcvtau x0, s1", "fcvtzs x0, d1, #20", "fcvtzu w0, s1, #3", \
             "scvtf d0, x21; fmov x0, d0", "ucvtf s0, w21; fmov w0, s0", \
             "scvtf s0, x21, #40; fmov w0, s0", "ucvtf d0, w21, #9; fmov x0, d0"
    \op
    ror x20, x20, #59
    eor x20, x20, x0
    .endr
    fcmp d1, d2
    mrs x0, nzcv
    eor x20, x20, x0
    fcmpe s1, s3
    fccmp d2, d3, #0x3, ge
    mrs x0, nzcv
    ror x20, x20, #59
    eor x20, x20, x0
    fccmpe s3, s2, #0x9, vs
    fcsel d0, d1, d2, lt
    fmov x0, d0
    eor x20, x20, x0
    mrs x0, nzcv
    eor x20, x20, x0
    fcmp d3, #0.0
    mrs x0, nzcv
    ror x20, x20, #59
    eor x20, x20, x0
    mrs x0, fpsr
    eor x20, x20, x0, lsl #16
    subs x25, x25, #1
    b.ne 2b
    add x24, x24, #1
    cmp x24, #3
    b.ne 1b
    msr fpcr, xzr
    msr fpsr, xzr
    mov x0, x20
    ret

FPDUMP_FN

    .balign 16
lit: .quad 0x7766554433221100, 0xffeeddccbbaa9988
    .ltorg

    .data
    .balign 16
buf: .space 64
    .space 16
obuf: .space 128
vscratch: .space 16
raw_configs: .quad 0, 0x03800000, 0x04400000
    .global test_name
test_name: .asciz "a64_fp"
