/*
 * A64 AdvSIMD floating point: three-same (arithmetic, FMLA/FMLS,
 * pairwise, compares, FMULX, FRECPS/FRSQRTS, FABD, FACGx), two-register
 * misc (FABS/FNEG/FSQRT, FRINT*, conversions to and from integers,
 * FCVTN/FCVTL/FCVTXN and their "2" forms, compares with zero,
 * FRECPE/FRSQRTE/FRECPX), by element, across lanes, scalar pairwise,
 * fixed-point conversions by immediate; 2S, 4S, 2D and scalar forms.
 * Vectors are set and checked through memory (LDR/STR Q).
 */
#include "a64.h"
#include "fpcheck.h"


/* V<q> = hi:lo (clobbers x14, x15) */
.macro SETV q, lo, hi
    ldr x14, =\lo
    ldr x15, =\hi
    stp x14, x15, [sp, #-16]!
    ldr q\q, [sp], #16
.endm

/* check V<q> == hi:lo and FPSR == fpsr, then clear FPSR (clobbers
   x13-x17) */
.macro CHECKV n, q, lo, hi, fpsr=0
    ldr x15, =vscratch
    str q\q, [x15]
    ldp x13, x14, [x15]
    FCHK \n, x13, \lo
    FCHK \n, x14, \hi
    mrs x13, fpsr
    FCHK \n, x13, \fpsr
    msr fpsr, xzr
.endm

#define IOC 0x01
#define DZC 0x02
#define OFC 0x04
#define IXC 0x10

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    mrs x0, cpacr_el1
    orr x0, x0, #(3 << 20)
    msr cpacr_el1, x0
    isb
    msr fpcr, xzr
    msr fpsr, xzr

    /* v1 = [1, 2, 3, 4], v2 = [0.5] * 4 (S); v4 = [1, 2], v5 = [2, 3] (D) */
    SETV 1, 0x400000003f800000, 0x4080000040400000
    SETV 2, 0x3f0000003f000000, 0x3f0000003f000000
    SETV 4, 0x3ff0000000000000, 0x4000000000000000
    SETV 5, 0x4000000000000000, 0x4008000000000000

    /* ---- three-same ---- */
    fadd v0.4s, v1.4s, v2.4s
    CHECKV 1, 0, 0x402000003fc00000, 0x4090000040600000
    fadd v0.2s, v1.2s, v2.2s
    CHECKV 2, 0, 0x402000003fc00000, 0
    fadd v0.2d, v4.2d, v5.2d
    CHECKV 3, 0, 0x4008000000000000, 0x4014000000000000
    fsub v0.4s, v1.4s, v2.4s
    CHECKV 4, 0, 0x3fc000003f000000, 0x4060000040200000
    fmul v0.2d, v4.2d, v5.2d
    CHECKV 5, 0, 0x4000000000000000, 0x4018000000000000
    fdiv v0.4s, v2.4s, v1.4s
    CHECKV 6, 0, 0x3e8000003f000000, 0x3e0000003e2aaaab, IXC
    SETV 0, 0x3f8000003f800000, 0x3f8000003f800000
    fmla v0.4s, v1.4s, v2.4s
    CHECKV 7, 0, 0x400000003fc00000, 0x4040000040200000
    SETV 0, 0x3f8000003f800000, 0x3f8000003f800000
    fmls v0.4s, v1.4s, v2.4s
    CHECKV 8, 0, 0x000000003f000000, 0xbf800000bf000000
    faddp v0.4s, v1.4s, v2.4s
    CHECKV 9, 0, 0x40e0000040400000, 0x3f8000003f800000
    faddp v0.2d, v4.2d, v5.2d
    CHECKV 10, 0, 0x4008000000000000, 0x4014000000000000
    fmaxp v0.4s, v1.4s, v2.4s
    CHECKV 11, 0, 0x4080000040000000, 0x3f0000003f000000
    fminp v0.2s, v1.2s, v2.2s
    CHECKV 12, 0, 0x3f0000003f800000, 0
    /* v3 = [1, 0, 3, qNaN] */
    SETV 3, 0x000000003f800000, 0x7fc0000140400000
    fcmeq v0.4s, v1.4s, v3.4s
    CHECKV 13, 0, 0x00000000ffffffff, 0x00000000ffffffff
    fcmge v0.4s, v1.4s, v3.4s
    CHECKV 14, 0, 0xffffffffffffffff, 0x00000000ffffffff, IOC
    fcmgt v0.4s, v1.4s, v3.4s
    CHECKV 15, 0, 0xffffffff00000000, 0, IOC
    fmax v0.4s, v2.4s, v3.4s
    CHECKV 16, 0, 0x3f0000003f800000, 0x7fc0000140400000
    fmaxnm v0.4s, v2.4s, v3.4s
    CHECKV 17, 0, 0x3f0000003f800000, 0x3f00000040400000
    fminnm v0.4s, v2.4s, v3.4s
    CHECKV 18, 0, 0x000000003f000000, 0x3f0000003f000000
    fabd v0.4s, v2.4s, v1.4s
    CHECKV 19, 0, 0x3fc000003f000000, 0x4060000040200000
    /* v6 = [inf, 0, -2, 1] */
    SETV 6, 0x000000007f800000, 0x3f800000c0000000
    fmulx v0.4s, v6.4s, v3.4s
    CHECKV 20, 0, 0x000000007f800000, 0x7fc00001c0c00000
    SETV 7, 0x7f80000000000000, 0x3f8000003f800000
    fmulx v0.4s, v6.4s, v7.4s
    CHECKV 21, 0, 0x4000000040000000, 0x3f800000c0000000
    frecps v0.4s, v6.4s, v7.4s
    CHECKV 22, 0, 0x4000000040000000, 0x3f80000040800000
    frsqrts v0.4s, v6.4s, v7.4s
    CHECKV 23, 0, 0x3fc000003fc00000, 0x3f80000040200000
    facgt v0.4s, v6.4s, v1.4s
    CHECKV 24, 0, 0x00000000ffffffff, 0
    facge v0.4s, v6.4s, v7.4s
    CHECKV 25, 0, 0x00000000ffffffff, 0xffffffffffffffff
    /* scalar three-same */
    fabd s0, s1, s2
    CHECKV 26, 0, 0x3f000000, 0
    fcmgt d0, d5, d4
    CHECKV 27, 0, 0xffffffffffffffff, 0
    fmulx d0, d4, d5
    CHECKV 28, 0, 0x4000000000000000, 0
    frecps s0, s1, s2
    CHECKV 29, 0, 0x3fc00000, 0

    /* ---- two-register misc ---- */
    /* v8 = [0.5, 1.5, 2.5, -0.5] */
    SETV 8, 0x3fc000003f000000, 0xbf00000040200000
    frintn v0.4s, v8.4s
    CHECKV 30, 0, 0x4000000000000000, 0x8000000040000000
    frinta v0.4s, v8.4s
    CHECKV 31, 0, 0x400000003f800000, 0xbf80000040400000
    frintx v0.4s, v8.4s
    CHECKV 32, 0, 0x4000000000000000, 0x8000000040000000, IXC
    frintm v0.2s, v8.2s
    CHECKV 33, 0, 0x3f80000000000000, 0
    fabs v0.4s, v8.4s
    CHECKV 34, 0, 0x3fc000003f000000, 0x3f00000040200000
    fneg v0.2d, v4.2d
    CHECKV 35, 0, 0xbff0000000000000, 0xc000000000000000
    SETV 9, 0x4010000000000000, 0x4000000000000000
    fsqrt v0.2d, v9.2d
    CHECKV 36, 0, 0x4000000000000000, 0x3ff6a09e667f3bcd, IXC
    /* v10 = [1.5, -1.5, 3e9, qNaN] */
    SETV 10, 0xbfc000003fc00000, 0x7fc000014f32d05e
    fcvtzs v0.4s, v10.4s
    CHECKV 37, 0, 0xffffffff00000001, 0x000000007fffffff, IOC | IXC
    fcvtzu v0.4s, v10.4s
    CHECKV 38, 0, 0x0000000000000001, 0x00000000b2d05e00, IOC | IXC
    fcvtas v0.4s, v8.4s
    CHECKV 39, 0, 0x0000000200000001, 0xffffffff00000003, IXC
    fcvtns v0.2d, v4.2d
    CHECKV 40, 0, 1, 2
    /* v11 = [1, -1, 0x7fffffff, 3] (integers) */
    SETV 11, 0xffffffff00000001, 0x000000037fffffff
    scvtf v0.4s, v11.4s
    CHECKV 41, 0, 0xbf8000003f800000, 0x404000004f000000, IXC
    ucvtf v0.4s, v11.4s
    CHECKV 42, 0, 0x4f8000003f800000, 0x404000004f000000, IXC
    fcmgt v0.4s, v8.4s, #0.0
    CHECKV 43, 0, 0xffffffffffffffff, 0x00000000ffffffff
    fcmle v0.4s, v3.4s, #0.0
    CHECKV 44, 0, 0xffffffff00000000, 0, IOC
    fcmeq v0.4s, v3.4s, #0.0
    CHECKV 45, 0, 0xffffffff00000000, 0
    fcmlt v0.4s, v8.4s, #0.0
    CHECKV 46, 0, 0, 0xffffffff00000000
    fcmge d0, d4, #0.0
    CHECKV 47, 0, 0xffffffffffffffff, 0
    /* conversions between precisions */
    fcvtn v0.4h, v1.4s
    CHECKV 48, 0, 0x4400420040003c00, 0
    fcvtn2 v0.8h, v2.4s
    CHECKV 49, 0, 0x4400420040003c00, 0x3800380038003800
    fcvtl v12.4s, v0.4h
    CHECKV 50, 12, 0x400000003f800000, 0x4080000040400000
    fcvtl2 v12.4s, v0.8h
    CHECKV 51, 12, 0x3f0000003f000000, 0x3f0000003f000000
    fcvtn v0.2s, v4.2d
    CHECKV 52, 0, 0x400000003f800000, 0
    fcvtl v12.2d, v0.2s
    CHECKV 53, 12, 0x3ff0000000000000, 0x4000000000000000
    /* round to odd: 1 + 2^-30 is 1 + 2^-23 (odd), not 1.0 */
    SETV 13, 0x3ff0000000400000, 0x3ff0000000000000
    fcvtxn v0.2s, v13.2d
    CHECKV 54, 0, 0x3f8000003f800001, 0, IXC
    fcvtxn2 v0.4s, v13.2d
    CHECKV 55, 0, 0x3f8000003f800001, 0x3f8000003f800001, IXC
    fcvtxn s0, d13
    CHECKV 56, 0, 0x3f800001, 0, IXC
    fcvtn v0.2s, v13.2d
    CHECKV 57, 0, 0x3f8000003f800000, 0, IXC
    /* estimates */
    frecpe v0.4s, v1.4s
    CHECKV 58, 0, 0x3eff80003f7f8000, 0x3e7f80003eaa8000
    frsqrte v0.4s, v1.4s
    CHECKV 59, 0, 0x3f3480003f7f8000, 0x3eff80003f138000
    frecpe s0, s7
    CHECKV 60, 0, 0x7f800000, 0, DZC
    frecpe d0, d6
    CHECKV 61, 0, 0x7ff0000000000000, 0, OFC | IXC
    frecpx s0, s1
    CHECKV 62, 0, 0x40000000, 0
    SETV 14, 0x00000000bf800000, 0
    frsqrte s0, s14
    CHECKV 63, 0, 0x7fc00000, 0, IOC
    fcvtzs s0, s8
    CHECKV 64, 0, 0, 0, IXC
    scvtf d0, d4
    CHECKV 65, 0, 0x43cff80000000000, 0

    /* ---- by element ---- */
    fmul v0.4s, v1.4s, v1.s[3]
    CHECKV 66, 0, 0x4100000040800000, 0x4180000041400000
    fmul v0.2s, v1.2s, v2.s[0]
    CHECKV 67, 0, 0x3f8000003f000000, 0
    SETV 0, 0x3ff0000000000000, 0x3ff0000000000000
    fmla v0.2d, v4.2d, v5.d[1]
    CHECKV 68, 0, 0x4010000000000000, 0x401c000000000000
    SETV 0, 0x3ff0000000000000, 0x3ff0000000000000
    fmls v0.2d, v4.2d, v5.d[0]
    CHECKV 69, 0, 0xbff0000000000000, 0xc008000000000000
    fmulx v0.4s, v6.4s, v7.s[1]
    CHECKV 70, 0, 0x400000007f800000, 0x7f800000ff800000
    fmul s0, s2, v1.s[2]
    CHECKV 71, 0, 0x3fc00000, 0
    /* d0 is 0x3fc00000 as a D: a denormal, swamped by 3.0 */
    fmla d0, d4, v5.d[1]
    CHECKV 72, 0, 0x4008000000000000, 0, IXC
    /* ---- across lanes, scalar pairwise ---- */
    fmaxv s0, v1.4s
    CHECKV 73, 0, 0x40800000, 0
    fminv s0, v1.4s
    CHECKV 74, 0, 0x3f800000, 0
    fmaxnmv s0, v3.4s
    CHECKV 75, 0, 0x40400000, 0
    fmaxv s0, v3.4s
    CHECKV 76, 0, 0x7fc00001, 0
    fminnmv s0, v6.4s
    CHECKV 77, 0, 0xc0000000, 0
    faddp s0, v1.2s
    CHECKV 78, 0, 0x40400000, 0
    faddp d0, v5.2d
    CHECKV 79, 0, 0x4014000000000000, 0
    fmaxp s0, v3.2s
    CHECKV 80, 0, 0x3f800000, 0
    fminnmp d0, v4.2d
    CHECKV 81, 0, 0x3ff0000000000000, 0

    /* ---- fixed point by immediate ---- */
    SETV 15, 0x0000800000010000, 0xffff0000000000ff
    scvtf v0.4s, v15.4s, #16
    CHECKV 82, 0, 0x3f0000003f800000, 0xbf8000003b7f0000
    ucvtf v0.4s, v15.4s, #32
    CHECKV 83, 0, 0x3700000037800000, 0x3f7fff00337f0000
    fcvtzs v0.2d, v5.2d, #1
    CHECKV 84, 0, 4, 6
    fcvtzu v0.4s, v8.4s, #1
    CHECKV 85, 0, 0x0000000300000001, 0x0000000000000005, IOC
    fcvtzs s0, s1, #31
    CHECKV 86, 0, 0x7fffffff, 0, IOC
    ucvtf d0, d4, #63
    CHECKV 87, 0, 0x3fdff80000000000, 0

    bl fuzz_est
    FCHK 89, x0, 0x1be5f355ac294949

    /* FPEN = 0b01: EL1 runs FP, EL0 traps to EL1 (entry 8: lower EL) */
    mrs x0, cpacr_el1
    bic x0, x0, #(3 << 20)
    orr x0, x0, #(1 << 20)
    msr cpacr_el1, x0
    isb
    fmov d0, #1.0
    fadd d0, d0, d0
    CHECKV 90, 0, 0x4000000000000000, 0
    ldr x0, =el0_stack_top
    msr sp_el0, x0
    adr x0, el0_fp
    msr elr_el1, x0
    msr spsr_el1, xzr           /* EL0t */
    eret
el0_fp:
    EXPECT_EXCP
    fmul d0, d1, d2
    LAST x5, last_esr
    LAST x6, last_vec
    EXPECT_EXCP_RESUME back_at_el1
    svc #0
back_at_el1:
    CHECK 91, x5, 0x1fe00000
    CHECK 92, x6, 8

    /* the FP access trap reaches these too */
    mrs x0, cpacr_el1
    bic x0, x0, #(3 << 20)
    msr cpacr_el1, x0
    isb
    EXPECT_EXCP
    fadd v0.4s, v1.4s, v2.4s
    LAST x0, last_esr
    CHECK 88, x0, 0x1fe00000

    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/*
 * The estimates and steps, precision and integer conversions, rounding,
 * max/min, compares and arithmetic (S, D, H; vector, scalar, by element,
 * across lanes) on pseudo-random bit patterns (every class: NaNs,
 * infinities, denormals) with FPCR 0, FZ, FZ with round toward zero,
 * and AHP + DN with round up: results (both halves) and FPSR into a
 * rotating xor, compared with QEMU's.
 */
fuzz_est:
    mov x20, #0
    ldr x21, =0x0123456789abcdef
    ldr x22, =6364136223846793005
    ldr x23, =1442695040888963407
    mov x24, #0
1:  ldr x0, =fpcr_configs
    ldr x0, [x0, x24, lsl #3]
    msr fpcr, x0
    mov x25, #600
2:  .irp r, 1, 2
    .irp h, 0, 1
    madd x21, x21, x22, x23
    mov x1, x21
    tst x21, #0x3000            /* one in four: S and D NaNs or infinities */
    b.ne 4f
    orr x1, x1, #0x7ff0000000000000
    orr x1, x1, #0x7f800000
4:
    .if \h
    fmov v\r\().d[1], x1
    .else
    fmov d\r, x1
    .endif
    .endr
    .endr
    msr fpsr, xzr
    .irp op, "frecpe s0, s1", "frsqrte s0, s1", "frecpe d0, d1", "frsqrte d0, d1", \
             "frecpx s0, s1", "frecpx d0, d1", "frecps s0, s1, s2", "frsqrts d0, d1, d2", \
             "fmulx s0, s1, s2", "fcvtl v0.2d, v1.2s", "fcvtn v0.4h, v1.4s", \
             "fcvtl2 v0.4s, v1.8h", "fcvt d0, h1", "fcvt h0, d1", "fcvtxn v0.2s, v1.2d", \
             "frintx v0.4s, v1.4s", "frinta v0.2d, v1.2d", "fcvtzu v0.2d, v1.2d", \
             "fcvtns v0.4s, v1.4s", "fmax v0.4s, v1.4s, v2.4s", "fminnm v0.2d, v1.2d, v2.2d", \
             "fcmge v0.4s, v1.4s, v2.4s", "facgt v0.2d, v1.2d, v2.2d", "fadd v0.4s, v1.4s, v2.4s", \
             "fmla v0.2d, v1.2d, v2.2d", "fmul v0.4s, v1.4s, v2.s[3]", "fmaxnmv s0, v1.4s", \
             "faddp d0, v2.2d", "scvtf v0.4s, v1.4s, #7", "fcvtzs v0.2d, v2.2d, #50", \
             "fmls v0.4s, v1.4s, v2.4s", "fmla v0.4s, v2.4s, v1.s[1]", "fabd v0.2d, v1.2d, v2.2d", \
             "fmaxp v0.4s, v1.4s, v2.4s", "fminnmp v0.2d, v2.2d, v1.2d", "fcmeq v0.2d, v1.2d, v2.2d", \
             "fcmlt v0.4s, v1.4s, #0.0", "fsqrt v0.4s, v2.4s", "fdiv v0.2d, v1.2d, v2.2d"
    \op
    fmov x0, d0
    ror x20, x20, #59
    eor x20, x20, x0
    fmov x0, v0.d[1]
    ror x20, x20, #59
    eor x20, x20, x0
    mrs x0, fpsr
    eor x20, x20, x0, lsl #8
    .endr
    subs x25, x25, #1
    b.ne 2b
    add x24, x24, #1
    cmp x24, #4
    b.ne 1b
    msr fpcr, xzr
    msr fpsr, xzr
    mov x0, x20
    ret

FPDUMP_FN
    .ltorg

    .data
    .balign 16
fpcr_configs: .quad 0, 0x01000000, 0x01c00000, 0x06400000
vscratch: .space 16
    .balign 16
    .space 256
el0_stack_top:
    .global test_name
test_name: .asciz "a64_simd_fp"
