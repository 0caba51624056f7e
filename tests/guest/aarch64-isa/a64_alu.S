/*
 * A64 data processing, immediate and register: ADD/SUB(S) with every
 * operand form and the flags they set, logical immediates (DecodeBitMasks
 * patterns), MOVZ/MOVN/MOVK, bitfields and their aliases, EXTR, ADR/ADRP,
 * ADC/SBC, CSEL and friends, CCMP/CCMN, multiplies (long and high),
 * divides (by zero, overflow), variable shifts, CLZ/CLS/RBIT/REV*, CRC32
 * and CRC32C.  32-bit forms zero the upper half.  Flags are checked
 * before the result (CHECK compares, which sets them).
 */
#include "a64.h"

    .text
    .global test_main
test_main:
    /* ---- add/sub immediate and flags ---- */
    mov x0, #5
    adds x1, x0, #3
    CHECKF 2, 0
    CHECK 1, x1, 8
    subs x1, x0, #5
    CHECKF 4, F_Z | F_C
    CHECK 3, x1, 0
    subs x1, x0, #6
    CHECKF 6, F_N
    CHECK 5, x1, 0xffffffffffffffff
    ldr x0, =0x7fffffffffffffff
    adds x1, x0, #1
    CHECKF 8, F_N | F_V
    CHECK 7, x1, 0x8000000000000000
    mov x0, #-1
    adds x1, x0, #1
    CHECKF 10, F_Z | F_C
    CHECK 9, x1, 0
    mov w0, #0x7fffffff
    adds w1, w0, #1
    CHECKF 12, F_N | F_V
    CHECK 11, x1, 0x80000000
    mov x0, #-1                 /* 32-bit ops ignore and clear the top */
    adds w1, w0, #1
    CHECKF 14, F_Z | F_C
    CHECK 13, x1, 0
    add w1, w0, #0x123, lsl #12
    CHECK 15, x1, 0x122fff
    mov x2, sp
    add x3, sp, #16             /* SP as source */
    sub x3, x3, x2
    CHECK 16, x3, 16
    cmp x0, #0                  /* -1 vs 0: C set (no borrow), N set */
    CHECKF 17, F_N | F_C
    cmn w0, #1
    CHECKF 18, F_Z | F_C

    /* ---- shifted and extended register ---- */
    mov x0, #0x10
    mov x1, #3
    add x2, x0, x1, lsl #4
    CHECK 20, x2, 0x40
    sub x2, x0, x1, lsr #1
    CHECK 21, x2, 0xf
    mov x1, #-16
    add x2, x0, x1, asr #2
    CHECK 22, x2, 0xc
    mov w1, #0x80000000
    add w2, w0, w1, asr #4
    CHECK 23, x2, 0xf8000010
    ldr x1, =0xffffffff000000ff
    add x2, x0, w1, uxtb
    CHECK 24, x2, 0x10f
    add x2, x0, w1, sxtb #2
    CHECK 25, x2, 0xc
    add x2, x0, w1, uxtw #1
    CHECK 26, x2, 0x20e
    add x2, x0, x1, sxtx
    CHECK 27, x2, 0xffffffff0000010f
    mov x3, sp
    add x4, sp, x0, uxtx #2     /* extended form: SP base */
    sub x4, x4, x3
    CHECK 28, x4, 0x40
    ldr x0, =0x8000000000000000
    subs x2, x0, #1
    CHECKF 29, F_C | F_V
    subs x2, x0, x0
    CHECKF 30, F_Z | F_C

    /* ---- logical ---- */
    ldr x0, =0x00ff00ff00ff00ff
    and x1, x0, #0x0f0f0f0f0f0f0f0f
    CHECK 31, x1, 0x000f000f000f000f
    orr x1, x0, #0xff00000000000000
    CHECK 32, x1, 0xffff00ff00ff00ff
    eor x1, x0, #0xaaaaaaaaaaaaaaaa
    CHECK 33, x1, 0xaa55aa55aa55aa55
    ands x1, x0, #0xff00ff00ff00ff00
    CHECKF 35, F_Z
    CHECK 34, x1, 0
    orr w1, wzr, #0x1ffe            /* replicated pattern in 32 bits */
    CHECK 36, x1, 0x1ffe
    mov x1, #0x5555555555555555
    CHECK 37, x1, 0x5555555555555555
    mov w1, #0xfffffffe
    CHECK 38, x1, 0xfffffffe
    mov x2, #0xf0
    bic x1, x0, x2, lsl #8
    CHECK 39, x1, 0x00ff00ff00ff00ff
    orn x1, xzr, x0
    CHECK 40, x1, 0xff00ff00ff00ff00
    eon w1, w0, w0
    CHECK 41, x1, 0xffffffff
    ror x1, x0, #4
    CHECK 42, x1, 0xf00ff00ff00ff00f
    mov x3, #0x80
    tst x3, #0x80
    CHECKF 43, 0
    ldr x3, =0x8000000000000000
    ands x1, x3, x3
    CHECKF 44, F_N

    /* ---- move wide ---- */
    movz x1, #0x1234, lsl #32
    CHECK 50, x1, 0x123400000000
    movn x1, #0x1234, lsl #16
    CHECK 51, x1, 0xffffffffedcbffff
    movn w1, #0x1234
    CHECK 52, x1, 0xffffedcb
    movk x1, #0xbeef, lsl #48
    CHECK 53, x1, 0xbeef0000ffffedcb
    movk w1, #0x5678
    CHECK 54, x1, 0xffff5678

    /* ---- bitfields ---- */
    ldr x0, =0x8123456789abcdef
    ubfx x1, x0, #8, #12
    CHECK 60, x1, 0xbcd
    sbfx x1, x0, #4, #8
    CHECK 61, x1, 0xffffffffffffffde
    lsr x1, x0, #60
    CHECK 62, x1, 8
    asr x1, x0, #60
    CHECK 63, x1, 0xfffffffffffffff8
    lsl x1, x0, #4
    CHECK 64, x1, 0x123456789abcdef0
    sxtb x1, w0
    CHECK 65, x1, 0xffffffffffffffef
    sxth x1, w0
    CHECK 66, x1, 0xffffffffffffcdef
    sxtw x1, w0
    CHECK 67, x1, 0xffffffff89abcdef
    uxtb w1, w0
    CHECK 68, x1, 0xef
    sbfiz x1, x0, #16, #8
    CHECK 69, x1, 0xffffffffffef0000
    ubfiz w1, w0, #24, #8
    CHECK 70, x1, 0xef000000
    mov x1, #-1
    bfi x1, x0, #8, #16
    CHECK 71, x1, 0xffffffffffcdefff
    mov x1, #0
    bfxil x1, x0, #60, #4
    CHECK 72, x1, 8
    asr w1, w0, #4
    CHECK 73, x1, 0xf89abcde
    lsl w1, w0, #31
    CHECK 74, x1, 0x80000000
    ldr x2, =0x0011223344556677
    extr x1, x0, x2, #16
    CHECK 75, x1, 0xcdef001122334455
    extr w1, w0, w2, #8
    CHECK 76, x1, 0xef445566
    extr x1, x0, x2, #0
    CHECK 77, x1, 0x0011223344556677

    /* ---- ADR, ADRP ---- */
    adr x1, here
here:
    adr x2, here
    CHECK 80, x2, here
    sub x2, x2, x1
    CHECK 81, x2, 0
    adrp x1, here
    ldr x2, =here
    and x2, x2, #~0xfff
    cmp x1, x2
    b.eq 1f
    mov x0, #82
    b test_fail
1:
    /* ---- ADC, SBC ---- */
    mov x0, #-1
    adds x1, x0, #1             /* C = 1 */
    adc x1, xzr, xzr
    CHECK 90, x1, 1
    mov x2, #5
    cmp x2, #6                  /* C = 0 (borrow) */
    sbc x1, x2, xzr
    CHECK 91, x1, 4
    cmp x2, #5                  /* C = 1 */
    sbcs x1, x2, x2
    CHECKF 93, F_Z | F_C
    CHECK 92, x1, 0
    mov w3, #0xffffffff
    cmp x2, #5
    adcs w1, w3, wzr
    CHECKF 95, F_Z | F_C
    CHECK 94, x1, 0
    ldr x3, =0x7fffffffffffffff
    cmp x2, #5
    adcs x1, x3, xzr
    CHECKF 97, F_N | F_V
    CHECK 96, x1, 0x8000000000000000
    cmp x2, #6
    sbcs w1, w2, w2             /* 5 - 5 - 1 */
    CHECKF 99, F_N
    CHECK 98, x1, 0xffffffff

    /* ---- conditional select, compare ---- */
    mov x0, #1
    mov x1, #2
    cmp x0, x1
    csel x2, x0, x1, lt
    CHECK 100, x2, 1
    cmp x0, x1
    csinc x2, x0, x1, gt
    CHECK 101, x2, 3
    cmp x0, x1
    csinv x2, x0, x1, ge
    CHECK 102, x2, 0xfffffffffffffffd
    cmp x0, x1
    csneg x2, x0, x1, hi
    CHECK 103, x2, 0xfffffffffffffffe
    cmp x0, x1
    cset x2, ls
    CHECK 104, x2, 1
    cmp x0, x1
    csetm w2, cc
    CHECK 105, x2, 0xffffffff
    cmp x0, x1
    cinc x2, x0, ne
    CHECK 106, x2, 2
    csel x2, x0, x1, al
    CHECK 107, x2, 1
    cmp x0, x0
    ccmp x0, x1, #0xf, eq       /* eq holds: compare 1 vs 2 */
    CHECKF 108, F_N
    cmp x0, x1
    ccmp x0, x1, #0x6, eq       /* eq fails: flags = 0110 */
    CHECKF 109, F_Z | F_C
    cmp x0, x0
    ccmn x0, #31, #0, ne        /* ne fails: flags = 0 */
    CHECKF 110, 0
    mov x3, #-1
    cmp x0, x1
    ccmn x3, #1, #0x8, eq       /* eq fails: 1000 */
    CHECKF 111, F_N
    cmp x0, x0
    ccmn x3, #1, #0x8, eq       /* -1 + 1 */
    CHECKF 112, F_Z | F_C
    mov x4, #-5
    cmp x4, #3
    cset x2, lt
    CHECK 113, x2, 1
    cmp x4, #3
    cset x2, gt
    CHECK 114, x2, 0
    cmp x4, #3
    cset x2, le
    CHECK 115, x2, 1
    cmp x4, #3
    cset x2, hs
    CHECK 116, x2, 1
    cmp x4, #3
    cset x2, mi
    CHECK 117, x2, 1
    cmp x4, #3
    cset x2, vs
    CHECK 118, x2, 0

    /* ---- multiply and divide ---- */
    ldr x0, =0x123456789
    ldr x1, =0xfedcba987
    mul x2, x0, x1
    CHECK 120, x2, 0x1fa00acc59960a3f
    madd x2, x0, x1, x0
    CHECK 121, x2, 0x1fa00acd7cdb71c8
    msub x2, x0, x0, xzr
    CHECK 122, x2, 0xb49923cd904678af
    mov x3, #-3
    mov x4, #7
    smull x2, w3, w4
    CHECK 123, x2, 0xffffffffffffffeb
    umull x2, w3, w4
    CHECK 124, x2, 0x6ffffffeb
    smaddl x2, w3, w3, x4
    CHECK 125, x2, 16
    umsubl x2, w4, w4, x4
    CHECK 126, x2, 0xffffffffffffffd6
    smulh x2, x3, x4
    CHECK 127, x2, 0xffffffffffffffff
    umulh x2, x3, x4
    CHECK 128, x2, 6
    mul w2, w0, w1
    CHECK 129, x2, 0x59960a3f
    mov x5, #100
    udiv x2, x5, x4
    CHECK 130, x2, 14
    sdiv x2, x3, x4
    CHECK 131, x2, 0
    mov x6, #-100
    sdiv x2, x6, x4
    CHECK 132, x2, 0xfffffffffffffff2
    udiv x2, x5, xzr
    CHECK 133, x2, 0
    sdiv x2, x6, xzr
    CHECK 134, x2, 0
    ldr x7, =0x8000000000000000
    mov x8, #-1
    sdiv x2, x7, x8
    CHECK 135, x2, 0x8000000000000000
    mov w7, #0x80000000
    sdiv w2, w7, w8
    CHECK 136, x2, 0x80000000
    udiv w2, w8, w4
    CHECK 137, x2, 0x24924924
    sdiv w2, w6, w4
    CHECK 138, x2, 0xfffffff2

    /* ---- variable shifts ---- */
    ldr x0, =0x8000000000000001
    mov x1, #65
    lsl x2, x0, x1              /* amount mod 64 */
    CHECK 140, x2, 2
    lsr x2, x0, x1
    CHECK 141, x2, 0x4000000000000000
    asr x2, x0, x1
    CHECK 142, x2, 0xc000000000000000
    ror x2, x0, x1
    CHECK 143, x2, 0xc000000000000000
    mov x1, #33
    lsl w2, w0, w1              /* mod 32 */
    CHECK 144, x2, 2
    mov w3, #0x80000000
    asr w2, w3, w1
    CHECK 145, x2, 0xc0000000
    ror w2, w0, w1
    CHECK 146, x2, 0x80000000

    /* ---- bit operations ---- */
    ldr x0, =0x0000f00000000001
    clz x1, x0
    CHECK 150, x1, 16
    clz w1, w0
    CHECK 151, x1, 31
    clz x1, xzr
    CHECK 152, x1, 64
    clz w1, wzr
    CHECK 153, x1, 32
    mov x2, #-1
    cls x1, x2
    CHECK 154, x1, 63
    ldr x2, =0xfff0000000000000
    cls x1, x2
    CHECK 155, x1, 11
    mov w2, #0x00ffffff
    cls w1, w2
    CHECK 156, x1, 7
    cls x1, x0
    CHECK 157, x1, 15
    rbit x1, x0
    CHECK 158, x1, 0x80000000000f0000
    rbit w1, w0
    CHECK 159, x1, 0x80000000
    ldr x0, =0x0123456789abcdef
    rev x1, x0
    CHECK 160, x1, 0xefcdab8967452301
    rev w1, w0
    CHECK 161, x1, 0xefcdab89
    rev16 x1, x0
    CHECK 162, x1, 0x23016745ab89efcd
    rev16 w1, w0
    CHECK 163, x1, 0xab89efcd
    rev32 x1, x0
    CHECK 164, x1, 0x67452301efcdab89

    /* ---- CRC32, CRC32C ---- */
    mov w0, #0xffffffff
    mov w1, #0x31               /* '1' */
    crc32b w2, w0, w1
    CHECK 170, x2, 0x7c231048
    ldr x1, =0x3837363534333231     /* "12345678" */
    crc32x w2, w0, x1
    CHECK 171, x2, 0x651f2550
    crc32cx w2, w0, x1
    CHECK 172, x2, 0x9f787f65
    crc32h w2, w0, w1
    CHECK 173, x2, 0xb0acbb32
    crc32cw w2, w0, w1
    CHECK 174, x2, 0x09c50b11

    mov x0, #0
    ret

    .ltorg

    .data
    .global test_name
test_name: .asciz "a64_alu"
