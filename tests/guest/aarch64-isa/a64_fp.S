/*
 * A64 scalar floating point: the SIMD&FP access trap (CPACR_EL1.FPEN),
 * SIMD&FP register loads and stores of every size and addressing form
 * (a narrower write zeroes the rest of the V register), literal loads,
 * pairs.
 */
#include "a64.h"

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

    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

    .balign 16
lit: .quad 0x7766554433221100, 0xffeeddccbbaa9988
    .ltorg

    .data
    .balign 16
buf: .space 64
    .space 16
obuf: .space 128
vscratch: .space 16
    .global test_name
test_name: .asciz "a64_fp"
