/*
 * AdvSIMD integer encodings swept: for each group (base, mask) of
 * a64_simd_sweep.inc, every encoding base | x with x a subset of mask
 * (about 33000 in all) runs with Rd = V0/X0, Rn = V1/X1, Rm = V2, from
 * a code slot rewritten each time, on four sets of inputs; V0, X0 and
 * FPSR after it, or "undefined", fold into one hash per group, checked
 * against the hash QEMU gives.  Skipped: the encodings of the exclusion
 * list, which this front-end leaves undefined and QEMU's -cpu max does
 * not (floating point, FP16, crypto, SQRDMLAH/SQRDMLSH, the dot
 * products).  A failure names the group (status = its
 * index + 1, and its base printed); built with -DGEN -DVERBOSE the test
 * prints every encoding's hash, to be compared with QEMU's.
 */
#include "simd.h"

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    FP_ON
    adr x19, groups
    adr x20, groups_end
    adr x27, expected
    mov x28, #0                 /* groups done */
next_group:
    cmp x19, x20
    b.hs done
    ldp w21, w22, [x19], #8     /* base, mask */
    mov x24, #0                 /* x: subset of the mask */
    mov x23, #0                 /* the group's hash */
next_enc:
    orr w1, w21, w24
    /* skip the encodings of the exclusion list */
    adr x9, excluded
    adr x10, excluded_end
2:  cmp x9, x10
    b.hs 3f
    ldp w11, w12, [x9], #8      /* value, mask */
    and w13, w1, w12
    cmp w13, w11
    b.eq 4f
    b 2b
3:  bl run_enc
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
4:  sub x24, x24, x22
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
    mov x0, x21                 /* print the group's base */
    bl print_hex
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

/* run the insn w1 on each input set: x0 = the hash of its results */
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
    mov x19, #0                 /* hash */
    adr x20, inputs
    add x9, x20, #(4 * 80)
1:  ldp x2, x3, [x20]
    mov v0.d[0], x2
    mov v0.d[1], x3
    ldp x2, x3, [x20, #16]
    mov v1.d[0], x2
    mov v1.d[1], x3
    ldp x2, x3, [x20, #32]
    mov v2.d[0], x2
    mov v2.d[1], x3
    ldp x2, x3, [x20, #48]
    mov v3.d[0], x2
    mov v3.d[1], x3
    ldp x2, x3, [x20, #64]
    mov v4.d[0], x2
    mov v4.d[1], x3
    add x20, x20, #80
    msr fpsr, xzr
    adr x16, excp_expected
    mov x17, #1
    str x17, [x16]
    adr x16, excp_count
    ldr x10, [x16]
    mov x0, #0x1234
    mov x1, x2                  /* INS and DUP (general) read X1: V4's low half */
    bl slot
    adr x16, excp_expected
    str xzr, [x16]
    adr x16, excp_count
    ldr x11, [x16]
    cmp x10, x11
    b.ne 2f
    ldr x5, =0x9e3779b97f4a7c15
    mov x2, v0.d[0]
    mov x3, v0.d[1]
    mrs x4, fpsr
    eor x19, x19, x2
    mul x19, x19, x5
    ror x19, x19, #29
    eor x19, x19, x3
    mul x19, x19, x5
    ror x19, x19, #29
    eor x19, x19, x4
    mul x19, x19, x5
    ror x19, x19, #29
    eor x19, x19, x0
    mul x19, x19, x5
    cmp x20, x9
    b.lo 1b
    mov x0, x19
    b 3f
2:  mov x0, #0xdead             /* undefined */
3:  ldp x19, x20, [sp], #16
    ldp x29, x30, [sp], #16
    ret

/* print x0 in hex and a newline */
print_hex:
    adr x3, hexbuf
    mov x2, #60
1:  lsr x4, x0, x2
    and x4, x4, #15
    cmp x4, #10
    add x7, x4, #'0'
    add x4, x4, #('a' - 10)
    csel x4, x7, x4, lo
    strb w4, [x3], #1
    subs x2, x2, #4
    b.ge 1b
    mov w4, #'\n'
    strb w4, [x3], #1
    strb wzr, [x3]
    adr x1, hexbuf
    mov w0, #SYS_WRITE0
    hlt #0xf000
    ret

    .balign 64
slot:
    nop
    ret

    GEN_DUMP_FN

    .data
hexbuf: .space 24
    .balign 8
#include "a64_simd_sweep.inc"

    .section .rodata
    .global test_name
test_name: .asciz "a64_simd_sweep"
