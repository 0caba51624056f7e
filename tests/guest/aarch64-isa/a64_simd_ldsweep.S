/*
 * AdvSIMD structure loads and stores swept: every encoding of the
 * multiple- and single-structure groups (Q, L, R, opcode, S, size, post
 * index) with Rt = V30 (so that lists wrap past V31), Rn = X1 (a
 * buffer), and Rm = X0 (= 40, or the zero field of the non-indexed
 * forms), X2 (= 24) or 31, runs from a code slot rewritten
 * each time.  V30, V31, V0, V1, the buffer and X1 - buffer after it (or
 * "undefined") fold into one hash per Rm group, checked against QEMU's.
 * Built with -DGEN -DVERBOSE it prints every encoding's hash.
 */
#include "simd.h"

/* the groups: base, mask of the bits swept */
#define LDST_MASK 0x41e0fc00    /* Q, bits 24:21 (single, post, L, R), opcode, S, size */

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    FP_ON
    adr x19, groups
    adr x20, groups_end
    adr x27, expected
    mov x28, #0
next_group:
    cmp x19, x20
    b.hs done
    ldp w21, w22, [x19], #8
    mov x24, #0
    mov x23, #0
next_enc:
    orr w1, w21, w24
    bl run_enc
    mov x25, x0
#ifdef VERBOSE
    mov x1, x0
    orr w0, w21, w24
    mov x2, #0
    bl gen_dump
#endif
    ldr x5, =0x9e3779b97f4a7c15
    eor x23, x23, x25
    mul x23, x23, x5
    ror x23, x23, #31
    sub x24, x24, x22
    and x24, x24, x22
    cbnz x24, next_enc
#ifdef GEN
    mov x0, x28
    mov x1, x23
    mov x2, x21
    bl gen_dump
#else
    ldr x1, [x27]
    cmp x1, x23
    b.eq 1f
    add x0, x28, #1
    ldp x29, x30, [sp], #16
    ret
1:
#endif
    add x27, x27, #8
    add x28, x28, #1
    b next_group
done:
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/* x0 = the hash of what insn w1 does */
run_enc:
    stp x29, x30, [sp, #-16]!
    stp x19, x20, [sp, #-16]!
    adr x2, slot
    str w1, [x2]
    dc cvau, x2
    dsb ish
    ic ivau, x2
    dsb ish
    isb
    /* the buffer: bytes 0x40 + i; the registers: other patterns */
    adr x20, buf
    mov x3, #0
    ldr x4, =0x4746454443424140
    ldr x5, =0x0808080808080808
1:  str x4, [x20, x3]
    add x4, x4, x5
    add x3, x3, #8
    cmp x3, #128
    b.lo 1b
    VSET 30, 0x3030303030303030, 0x3131313131313131
    VSET 31, 0x3232323232323232, 0x3333333333333333
    VSET 0, 0x0000000000000000, 0x0101010101010101
    VSET 1, 0x0202020202020202, 0x0303030303030303
    adr x16, excp_expected
    mov x17, #1
    str x17, [x16]
    adr x16, excp_count
    ldr x10, [x16]
    mov x0, #40
    mov x1, x20
    mov x2, #24
    bl slot
    adr x16, excp_expected
    str xzr, [x16]
    adr x16, excp_count
    ldr x11, [x16]
    cmp x10, x11
    b.ne 3f
    ldr x5, =0x9e3779b97f4a7c15
    sub x19, x1, x20            /* the write-back */
    mul x19, x19, x5
    .irp v, 30, 31, 0, 1
    mov x2, v\v\().d[0]
    mov x3, v\v\().d[1]
    eor x19, x19, x2
    mul x19, x19, x5
    ror x19, x19, #29
    eor x19, x19, x3
    mul x19, x19, x5
    ror x19, x19, #29
    .endr
    mov x3, #0
2:  ldr x2, [x20, x3]
    eor x19, x19, x2
    mul x19, x19, x5
    ror x19, x19, #29
    add x3, x3, #8
    cmp x3, #128
    b.lo 2b
    mov x0, x19
    b 4f
3:  mov x0, #0xdead             /* undefined */
4:  ldp x19, x20, [sp], #16
    ldp x29, x30, [sp], #16
    ret

    .balign 64
slot:
    nop
    ret

    GEN_DUMP_FN

    .data
    .balign 8
groups:
    .word 0x0c00003e, LDST_MASK                 /* Rm = 0 */
    .word 0x0c02003e, LDST_MASK                 /* Rm = X2 */
    .word 0x0c1f003e, LDST_MASK                 /* Rm = 31 */
groups_end:
expected:                                   /* from QEMU */
    .quad 0x86a6b98ad8954a05, 0x22d689be3233861f, 0x871ff218e3bd4c64
    .balign 64
buf: .space 128

    .section .rodata
    .global test_name
test_name: .asciz "a64_simd_ldsweep"
