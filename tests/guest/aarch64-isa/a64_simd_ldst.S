/*
 * AdvSIMD structure loads and stores: LD1/ST1 with 1-4 registers
 * (wrapping past V31), LD2-LD4/ST2-ST4 at each element size, Q and D
 * forms (D forms zero bits 127:64), LD1R-LD4R, single-lane LDn/STn
 * (other lanes kept), post-index by immediate and by register, element
 * alignment under SCTLR_EL1.A.
 */
#include "simd.h"

/* x9 = src (bytes 0x00, 0x01, ... 0x3f), x10 = dst cleared to 0xee */
.macro BUFS
    adr x9, src
    adr x10, dst
    mov x11, #0
    ldr x12, =0xeeeeeeeeeeeeeeee
1:  str x12, [x10, x11]
    add x11, x11, #8
    cmp x11, #64
    b.lo 1b
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    FP_ON
    BUFS
    /* ---- LD1 multiple ---- */
    VSET 0, 0x1111, 0x2222
    ld1 {v0.16b}, [x9]
    VCHK 1, 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    VSET 1, 0x1111, 0x2222
    ld1 {v1.8b}, [x9]
    VCHK 2, 1, 0x0706050403020100, 0x0000000000000000
    mov x0, x9
    ld1 {v2.4s, v3.4s}, [x0], #32
    VCHK 3, 2, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    VCHK 4, 3, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    sub x1, x0, x9
    XCHK 5, x1, 0x20
    ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x9]
    VCHK 6, 4, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    VCHK 7, 5, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    VCHK 8, 6, 0x2726252423222120, 0x2f2e2d2c2b2a2928
    VCHK 9, 7, 0x3736353433323130, 0x3f3e3d3c3b3a3938
    ld1 {v30.8h, v31.8h, v0.8h}, [x9]
    VCHK 10, 30, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    VCHK 11, 31, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    VCHK 12, 0, 0x2726252423222120, 0x2f2e2d2c2b2a2928
    mov x0, x9
    mov x1, #5
    ld1 {v8.4h, v9.4h}, [x0], x1
    VCHK 13, 8, 0x0706050403020100, 0x0000000000000000
    VCHK 14, 9, 0x0f0e0d0c0b0a0908, 0x0000000000000000
    sub x1, x0, x9
    XCHK 15, x1, 0x5
    /* ---- LD2-LD4 ---- */
    ld2 {v0.8h, v1.8h}, [x9]
    VCHK 20, 0, 0x0d0c090805040100, 0x1d1c191815141110
    VCHK 21, 1, 0x0f0e0b0a07060302, 0x1f1e1b1a17161312
    ld2 {v2.8b, v3.8b}, [x9]
    VCHK 22, 2, 0x0e0c0a0806040200, 0x0000000000000000
    VCHK 23, 3, 0x0f0d0b0907050301, 0x0000000000000000
    mov x0, x9
    mov x1, #-3
    ld3 {v4.4s, v5.4s, v6.4s}, [x0], x1
    VCHK 24, 4, 0x0f0e0d0c03020100, 0x272625241b1a1918
    VCHK 25, 5, 0x1312111007060504, 0x2b2a29281f1e1d1c
    VCHK 26, 6, 0x171615140b0a0908, 0x2f2e2d2c23222120
    sub x1, x0, x9
    XCHK 27, x1, 0xfffffffffffffffd
    ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x9]
    VCHK 28, 0, 0x1c1814100c080400, 0x3c3834302c282420
    VCHK 29, 1, 0x1d1915110d090501, 0x3d3935312d292521
    VCHK 30, 2, 0x1e1a16120e0a0602, 0x3e3a36322e2a2622
    VCHK 31, 3, 0x1f1b17130f0b0703, 0x3f3b37332f2b2723
    mov x0, x9
    ld4 {v28.4h, v29.4h, v30.4h, v31.4h}, [x0], #32
    VCHK 32, 28, 0x1918111009080100, 0x0000000000000000
    VCHK 33, 31, 0x1f1e17160f0e0706, 0x0000000000000000
    sub x1, x0, x9
    XCHK 34, x1, 0x20
    ld2 {v10.2d, v11.2d}, [x9]
    VCHK 35, 10, 0x0706050403020100, 0x1716151413121110
    VCHK 36, 11, 0x0f0e0d0c0b0a0908, 0x1f1e1d1c1b1a1918
    ld3 {v12.8b, v13.8b, v14.8b}, [x9]
    VCHK 37, 12, 0x15120f0c09060300, 0x0000000000000000
    VCHK 38, 14, 0x1714110e0b080502, 0x0000000000000000
    /* ---- stores ---- */
    VSET 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    VSET 1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    VSET 2, 0x2726252423222120, 0x2f2e2d2c2b2a2928
    VSET 3, 0x3736353433323130, 0x3f3e3d3c3b3a3938
    mov x0, x10
    st1 {v0.16b, v1.16b}, [x0], #32
    ldp x1, x2, [x10]
    XCHK 40, x1, 0x706050403020100
    XCHK 41, x2, 0xf0e0d0c0b0a0908
    ldp x1, x2, [x10, #16]
    XCHK 42, x1, 0x1716151413121110
    XCHK 43, x2, 0x1f1e1d1c1b1a1918
    sub x1, x0, x10
    XCHK 44, x1, 0x20
    st1 {v3.8b}, [x10]
    ldp x1, x2, [x10]
    XCHK 45, x1, 0x3736353433323130
    XCHK 46, x2, 0xf0e0d0c0b0a0908
    st2 {v0.8h, v1.8h}, [x10]
    ldp x1, x2, [x10]
    XCHK 47, x1, 0x1312030211100100
    XCHK 48, x2, 0x1716070615140504
    ldp x1, x2, [x10, #16]
    XCHK 49, x1, 0x1b1a0b0a19180908
    XCHK 50, x2, 0x1f1e0f0e1d1c0d0c
    st3 {v0.8b, v1.8b, v2.8b}, [x10]
    ldp x1, x2, [x10]
    XCHK 51, x1, 0x1202211101201000
    XCHK 52, x2, 0x524140423130322
    ldr x1, [x10, #16]
    XCHK 53, x1, 0x2717072616062515
    mov x0, x10
    mov x3, #64
    st4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0], x3
    ldp x1, x2, [x10]
    XCHK 54, x1, 0x1312111003020100
    XCHK 55, x2, 0x3332313023222120
    ldp x1, x2, [x10, #48]
    XCHK 56, x1, 0x1f1e1d1c0f0e0d0c
    XCHK 57, x2, 0x3f3e3d3c2f2e2d2c
    sub x1, x0, x10
    XCHK 58, x1, 0x40
    st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x10]
    ldp x1, x2, [x10, #32]
    XCHK 59, x1, 0x2726252423222120
    XCHK 60, x2, 0x2f2e2d2c2b2a2928
    /* ---- LD1R-LD4R ---- */
    ld1r {v0.8h}, [x9]
    VCHK 70, 0, 0x0100010001000100, 0x0100010001000100
    VSET 1, 1, 2
    ld1r {v1.8b}, [x9]
    VCHK 71, 1, 0x0000000000000000, 0x0000000000000000
    mov x0, x9
    ld2r {v2.4s, v3.4s}, [x0], #8
    VCHK 72, 2, 0x0302010003020100, 0x0302010003020100
    VCHK 73, 3, 0x0706050407060504, 0x0706050407060504
    sub x1, x0, x9
    XCHK 74, x1, 0x8
    ld3r {v4.2d, v5.2d, v6.2d}, [x9]
    VCHK 75, 4, 0x0706050403020100, 0x0706050403020100
    VCHK 76, 6, 0x1716151413121110, 0x1716151413121110
    mov x0, x9
    mov x1, #1
    ld4r {v7.16b, v8.16b, v9.16b, v10.16b}, [x0], x1
    VCHK 77, 7, 0x0000000000000000, 0x0000000000000000
    VCHK 78, 10, 0x0303030303030303, 0x0303030303030303
    sub x1, x0, x9
    XCHK 79, x1, 0x1
    /* ---- single lane ---- */
    VSET 0, 0x8888888888888888, 0x9999999999999999
    VSET 1, 0x8888888888888888, 0x9999999999999999
    VSET 2, 0x8888888888888888, 0x9999999999999999
    VSET 3, 0x8888888888888888, 0x9999999999999999
    add x0, x9, #5
    ld1 {v0.b}[13], [x0]
    VCHK 80, 0, 0x8888888888888888, 0x9999059999999999
    ld1 {v0.h}[2], [x0]
    VCHK 81, 0, 0x8888060588888888, 0x9999059999999999
    ld1 {v0.s}[1], [x0]
    VCHK 82, 0, 0x0807060588888888, 0x9999059999999999
    ld1 {v0.d}[1], [x0], #8
    VCHK 83, 0, 0x0807060588888888, 0x0c0b0a0908070605
    sub x1, x0, x9
    XCHK 84, x1, 0xd
    ld2 {v1.s, v2.s}[3], [x9]
    VCHK 85, 1, 0x8888888888888888, 0x0302010099999999
    VCHK 86, 2, 0x8888888888888888, 0x0706050499999999
    mov x0, x9
    mov x4, #16
    ld3 {v1.h, v2.h, v3.h}[6], [x0], x4
    VCHK 87, 1, 0x8888888888888888, 0x0302010099999999
    VCHK 88, 3, 0x8888888888888888, 0x9999050499999999
    sub x1, x0, x9
    XCHK 89, x1, 0x10
    ld4 {v0.b, v1.b, v2.b, v3.b}[7], [x9], #4
    VCHK 90, 0, 0x0007060588888888, 0x0c0b0a0908070605
    VCHK 91, 3, 0x0388888888888888, 0x9999050499999999
    sub x9, x9, #4
    ld2 {v4.d, v5.d}[0], [x9]
    VCHK 92, 4, 0x0706050403020100, 0x0706050403020100
    VCHK 93, 5, 0x0f0e0d0c0b0a0908, 0x0f0e0d0c0b0a0908
    BUFS
    VSET 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    VSET 1, 0x1716151413121110, 0x1f1e1d1c1b1a1918
    VSET 2, 0x2726252423222120, 0x2f2e2d2c2b2a2928
    VSET 3, 0x3736353433323130, 0x3f3e3d3c3b3a3938
    add x0, x10, #3
    st1 {v1.b}[9], [x0], #1
    st1 {v2.h}[7], [x0]
    sub x1, x0, x10
    XCHK 100, x1, 0x4
    ldr x1, [x10]
    XCHK 101, x1, 0xeeee2f2e19eeeeee
    st4 {v0.s, v1.s, v2.s, v3.s}[2], [x10]
    ldp x1, x2, [x10]
    XCHK 102, x1, 0x1b1a19180b0a0908
    XCHK 103, x2, 0x3b3a39382b2a2928
    mov x0, x10
    st3 {v0.d, v1.d, v2.d}[1], [x0], #24
    ldp x1, x2, [x10]
    XCHK 104, x1, 0xf0e0d0c0b0a0908
    XCHK 105, x2, 0x1f1e1d1c1b1a1918
    ldr x1, [x10, #16]
    XCHK 106, x1, 0x2f2e2d2c2b2a2928
    sub x1, x0, x10
    XCHK 107, x1, 0x18
    st2 {v2.h, v3.h}[1], [x10]
    ldr x1, [x10]
    XCHK 108, x1, 0xf0e0d0c33322322
    /* SCTLR_EL1.A: each element aligned to its size */
    mrs x21, sctlr_el1
    orr x1, x21, #2
    msr sctlr_el1, x1
    isb
    add x0, x9, #2
    ld1 {v0.8h}, [x0]
    VCHK 111, 0, 0x0908070605040302, 0x11100f0e0d0c0b0a
    EXPECT_EXCP
    add x0, x9, #2
    ld1 {v1.4s}, [x0]
    LAST x1, last_esr
    MASK_ISV x1
    XCHK 112, x1, 0x96000021
    LAST x1, last_far
    sub x1, x1, x9
    XCHK 113, x1, 0x2
    EXPECT_EXCP
    add x0, x9, #4
    st2 {v0.d, v1.d}[1], [x0], #16
    LAST x1, last_esr
    MASK_ISV x1
    XCHK 114, x1, 0x96000061
    EXPECT_EXCP
    add x0, x9, #1
    ld3r {v0.8h, v1.8h, v2.8h}, [x0], #6
    LAST x1, last_esr
    MASK_ISV x1
    XCHK 115, x1, 0x96000021
    sub x1, x0, x9              /* no write-back */
    XCHK 116, x1, 0x1
    msr sctlr_el1, x21
    isb
    /* SP as the base, with write-back */
    mov x20, sp
    sub sp, sp, #64
    mov x0, sp
    st1 {v0.16b}, [sp], #16
    mov x1, sp
    sub x1, x1, x0
    ldr x2, [x0]
    XCHK 109, x1, 0x10
    XCHK 110, x2, 0x908070605040302
    mov sp, x20
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

    GEN_DUMP_FN

    .data
    .balign 16
src:                            /* bytes 0x00-0x3f, then 0x80-0x8f */
    .set b, 0
    .rept 64
    .byte b
    .set b, b + 1
    .endr
    .set b, 0x80
    .rept 16
    .byte b
    .set b, b + 1
    .endr
    .balign 16
dst: .space 64

    .section .rodata
    .global test_name
test_name: .asciz "a64_simd_ldst"
