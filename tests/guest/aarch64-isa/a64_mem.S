/*
 * A64 branches and loads/stores: B/BL/BR/BLR/RET, B.cond, CBZ/CBNZ,
 * TBZ/TBNZ (bits 0..63); every load/store size with zero and sign
 * extension, unsigned offset, unscaled, pre/post index (write-back),
 * register offset with UXTW/SXTW/LSL/SXTX and scaling, literal loads,
 * LDP/STP/LDPSW/LDNP/STNP with write-back, PRFM, unaligned plain
 * accesses, DC ZVA.
 */
#include "a64.h"

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!

    /* ---- branches ---- */
    mov x0, #0
    b 1f
    mov x0, #1
1:  CHECK 1, x0, 0
    bl sub_ret
    CHECK 2, x0, 0x55
    adr x1, sub_ret
    blr x1
    CHECK 3, x0, 0x55
    adr x30, 2f
    adr x1, sub_ret2
    br x1
2:  CHECK 4, x0, 0x66
    mov x1, #0
    cbz x1, 3f
    b bad
3:  cbnz x1, bad
    mov w1, #0
    movk x1, #1, lsl #32        /* w1 == 0 but x1 != 0 */
    cbnz w1, bad
    cbz x1, bad
    ldr x2, =0x8000000000000001
    tbz x2, #63, bad
    tbnz x2, #62, bad
    tbz x2, #0, bad
    tbnz x2, #1, bad
    tbnz x2, #63, 4f
    b bad
4:  mov x3, #3
    cmp x3, #3
    b.ne bad
    b.eq 5f
    b bad
5:  b.lt bad
    b.gt bad
    b.hs 6f
    b bad
6:  /* a loop, taken many times */
    mov x4, #0
    mov x5, #1000
7:  add x4, x4, x5
    subs x5, x5, #1
    b.ne 7b
    CHECK 5, x4, 500500

    /* ---- single loads and stores ---- */
    adr x9, buf
    ldr x0, =0x8899aabbccddeeff
    str x0, [x9]
    ldrb w1, [x9]
    CHECK 10, x1, 0xff
    ldrsb x1, [x9]
    CHECK 11, x1, 0xffffffffffffffff
    ldrsb w1, [x9]
    CHECK 12, x1, 0xffffffff
    ldrh w1, [x9, #2]
    CHECK 13, x1, 0xccdd
    ldrsh x1, [x9, #2]
    CHECK 14, x1, 0xffffffffffffccdd
    ldrsh w1, [x9, #6]
    CHECK 15, x1, 0xffff8899
    ldr w1, [x9, #4]
    CHECK 16, x1, 0x8899aabb
    ldrsw x1, [x9, #4]
    CHECK 17, x1, 0xffffffff8899aabb
    ldr x1, [x9]
    CHECK 18, x1, 0x8899aabbccddeeff
    ldur x1, [x9, #1]           /* unaligned: a plain access may be */
    CHECK 19, x1, 0x008899aabbccddee
    mov w2, #0x11
    strb w2, [x9, #1]
    mov w2, #0x2233
    strh w2, [x9, #2]
    ldr x1, [x9]
    CHECK 20, x1, 0x8899aabb223311ff
    ldur w1, [x9, #3]
    CHECK 21, x1, 0x99aabb22
    add x10, x9, #8
    mov x2, #-8
    ldr x1, [x10, x2]           /* register offset, negative */
    CHECK 22, x1, 0x8899aabb223311ff
    mov w2, #-2
    ldrb w1, [x10, w2, sxtw]
    CHECK 23, x1, 0x99
    mov x2, #1
    ldr w1, [x9, x2, lsl #2]
    CHECK 24, x1, 0x8899aabb
    mov w2, #1
    ldrh w1, [x9, w2, uxtw #1]
    CHECK 25, x1, 0x2233
    ldr x1, [x9, x2, lsl #3]    /* buf+8 */
    CHECK 26, x1, 0
    mov x2, #-1
    str x2, [x9, #8]
    mov x3, #-2
    ldrsb x1, [x10, x3, sxtx]   /* buf+6 */
    CHECK 27, x1, 0xffffffffffffff99

    /* ---- pre/post index ---- */
    mov x11, x9
    ldr x1, [x11, #8]!
    CHECK 30, x11, buf + 8
    CHECK 31, x1, 0xffffffffffffffff
    ldr w1, [x11], #-8
    CHECK 32, x11, buf
    CHECK 33, x1, 0xffffffff
    mov x2, #0x42
    strb w2, [x11, #-1]!
    CHECK 34, x11, buf - 1
    strh w2, [x11], #3
    CHECK 35, x11, buf + 2
    ldrb w1, [x11, #-3]
    CHECK 36, x1, 0x42
    sub sp, sp, #32
    mov x2, #7
    str x2, [sp, #-16]!         /* SP base with write-back */
    ldr x3, [sp], #16
    CHECK 37, x3, 7
    add sp, sp, #32
    mov x2, #0x77
    sttrb w2, [x9, #16]          /* unprivileged, at EL1 acts as EL0 */
    ldtrb w1, [x9, #16]
    CHECK 38, x1, 0x77

    /* ---- literal ---- */
    ldr x1, lit64
    CHECK 40, x1, 0x0123456789abcdef
    ldr w1, lit64
    CHECK 41, x1, 0x89abcdef
    ldrsw x1, lit64
    CHECK 42, x1, 0xffffffff89abcdef
    prfm pldl1keep, lit64
    prfm pldl1keep, [x9, #8]
    prfum pstl1keep, [x9, #1]

    /* ---- pairs ---- */
    adr x9, buf
    ldr x0, =0x1111111122222222
    ldr x1, =0x3333333344444444
    stp x0, x1, [x9]
    ldp w2, w3, [x9]
    CHECK 50, x2, 0x22222222
    CHECK 51, x3, 0x11111111
    ldp x2, x3, [x9]
    CHECK 52, x2, 0x1111111122222222
    CHECK 53, x3, 0x3333333344444444
    ldpsw x2, x3, [x9, #8]
    CHECK 54, x2, 0x44444444
    CHECK 55, x3, 0x33333333
    mov x12, x9
    stp w1, w0, [x12, #16]!
    CHECK 56, x12, buf + 16
    ldp x2, x3, [x12], #-16
    CHECK 57, x12, buf
    CHECK 58, x2, 0x2222222244444444
    ldnp x2, x3, [x9]
    CHECK 59, x3, 0x3333333344444444
    stnp xzr, xzr, [x9, #16]
    ldr x2, [x9, #16]
    CHECK 60, x2, 0
    mov x2, x9
    ldp x2, x3, [x2]            /* destination is the base */
    CHECK 61, x2, 0x1111111122222222
    stp x29, x30, [sp, #-16]!
    ldp x4, x5, [sp], #16
    cmp x5, x30
    b.ne bad

    /* ---- DC ZVA: the DCZID_EL0-sized block holding the address ---- */
    mrs x2, dczid_el0
    and x2, x2, #0xf
    mov x3, #4
    lsl x3, x3, x2              /* block bytes */
    adr x9, zbuf
    mov x0, #-1
    mov x4, #0
1:  str x0, [x9, x4]            /* the block and the word after it */
    add x4, x4, #8
    cmp x4, x3
    b.ls 1b
    add x1, x9, #20
    dc zva, x1
    ldr x2, [x9]
    CHECK 70, x2, 0
    sub x4, x3, #8
    ldr x2, [x9, x4]
    CHECK 71, x2, 0
    ldr x2, [x9, x3]
    CHECK 72, x2, 0xffffffffffffffff

    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

bad:
    mov x0, #99
    b test_fail

sub_ret:
    mov x0, #0x55
    ret
sub_ret2:
    mov x0, #0x66
    ret

    .balign 8
lit64: .quad 0x0123456789abcdef
    .ltorg

    .data
    .balign 64
    .space 16
buf: .space 64
    .balign 2048
zbuf: .space 2048 + 64
    .global test_name
test_name: .asciz "a64_mem"
