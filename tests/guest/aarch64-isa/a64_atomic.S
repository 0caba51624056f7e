/*
 * A64 atomics on one vCPU: LDXR/STXR (all sizes; a store-exclusive
 * without a matching load, after CLREX, to another address fails),
 * acquire/release forms, LDXP/STXP of W and X pairs, LDAR/STLR/LDAPR,
 * the LSE atomics (LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX,
 * LDUMIN, SWP at every size, the ST<op> aliases), CAS at every size
 * (success and failure), CASP of W and X pairs, and the alignment fault
 * of a misaligned exclusive (ESR, FAR).
 */
#include "a64.h"

    .text
    .global test_main
test_main:
    adr x9, word

    /* ---- exclusives ---- */
    mov x0, #10
    str x0, [x9]
    ldxr x1, [x9]
    CHECK 1, x1, 10
    add x1, x1, #1
    stxr w2, x1, [x9]
    CHECK 2, x2, 0
    ldr x1, [x9]
    CHECK 3, x1, 11
    stxr w2, x0, [x9]           /* the monitor is open again */
    CHECK 4, x2, 1
    ldaxr w1, [x9]
    clrex
    stlxr w2, w0, [x9]
    CHECK 5, x2, 1
    ldxrb w1, [x9]
    mov w3, #0xff
    stxrb w2, w3, [x9]
    CHECK 6, x2, 0
    ldr x1, [x9]
    CHECK 7, x1, 0xff
    ldxrh w1, [x9]
    CHECK 8, x1, 0xff
    add x4, x9, #8
    stxrh w2, w3, [x4]          /* another address */
    CHECK 9, x2, 1
    ldaxr x1, [x9]
    stlxr w2, xzr, [x9]
    CHECK 10, x2, 0
    ldr x1, [x9]
    CHECK 11, x1, 0
    /* pairs */
    adr x10, pair
    ldr x0, =0x1111111122222222
    ldr x1, =0x3333333344444444
    stp x0, x1, [x10]
    ldxp x2, x3, [x10]
    CHECK 12, x2, 0x1111111122222222
    CHECK 13, x3, 0x3333333344444444
    stxp w4, x3, x2, [x10]
    CHECK 14, x4, 0
    ldp x5, x6, [x10]
    CHECK 15, x5, 0x3333333344444444
    CHECK 16, x6, 0x1111111122222222
    ldaxp w2, w3, [x10]
    CHECK 17, x2, 0x44444444
    CHECK 18, x3, 0x33333333
    stlxp w4, w3, w2, [x10]
    CHECK 19, x4, 0
    ldr x5, [x10]
    CHECK 20, x5, 0x4444444433333333
    stxp w4, x0, x1, [x10]      /* no reservation */
    CHECK 21, x4, 1

    /* ---- load-acquire, store-release ---- */
    mov x0, #0x1234
    stlr x0, [x9]
    ldar x1, [x9]
    CHECK 30, x1, 0x1234
    stlrb w0, [x9]
    ldarb w1, [x9]
    CHECK 31, x1, 0x34
    add x12, x9, #2
    stlrh w0, [x12]
    ldarh w1, [x12]
    CHECK 32, x1, 0x1234
    ldapr x1, [x9]
    CHECK 33, x1, 0x12341234
    ldapr w1, [x9]
    CHECK 34, x1, 0x12341234

    /* ---- LSE ---- */
    mov x0, #100
    str x0, [x9]
    mov x1, #5
    ldadd x1, x2, [x9]
    CHECK 40, x2, 100
    ldr x3, [x9]
    CHECK 41, x3, 105
    mov x1, #0xf
    ldclral x1, x2, [x9]
    CHECK 42, x2, 105
    ldr x3, [x9]
    CHECK 43, x3, 0x60
    mov x1, #0xff
    ldeora x1, x2, [x9]
    ldr x3, [x9]
    CHECK 44, x3, 0x9f
    mov x1, #0x100
    ldsetl x1, x2, [x9]
    ldr x3, [x9]
    CHECK 45, x3, 0x19f
    mov x1, #-1
    ldsmax x1, x2, [x9]
    ldr x3, [x9]
    CHECK 46, x3, 0x19f
    ldsmin x1, x2, [x9]
    ldr x3, [x9]
    CHECK 47, x3, 0xffffffffffffffff
    mov x1, #7
    ldumin x1, x2, [x9]
    ldr x3, [x9]
    CHECK 48, x3, 7
    mov x1, #3
    ldumax x1, x2, [x9]
    CHECK 49, x2, 7
    ldr x3, [x9]
    CHECK 50, x3, 7
    mov x1, #0x42
    swpal x1, x2, [x9]
    CHECK 51, x2, 7
    ldr x3, [x9]
    CHECK 52, x3, 0x42
    stadd x1, [x9]              /* LDADD with xzr */
    ldr x3, [x9]
    CHECK 53, x3, 0x84
    /* byte and halfword forms: signed compares of that width */
    mov x0, #0x7f
    str x0, [x9]
    mov w1, #0x80               /* -128 as a byte */
    ldsmaxb w1, w2, [x9]
    CHECK 54, x2, 0x7f
    ldr x3, [x9]
    CHECK 55, x3, 0x7f
    ldsminb w1, w2, [x9]
    ldr x3, [x9]
    CHECK 56, x3, 0x80
    ldaddb w1, w2, [x9]         /* 0x80 + 0x80 wraps in the byte */
    CHECK 57, x2, 0x80
    ldr x3, [x9]
    CHECK 58, x3, 0
    mov w1, #0xffff
    ldaddh w1, w2, [x9]
    ldr x3, [x9]
    CHECK 59, x3, 0xffff
    mov w1, #2
    ldaddlh w1, w2, [x9]
    ldr x3, [x9]
    CHECK 60, x3, 0x1
    ldr w1, =0x12345678
    swph w1, w2, [x9]
    CHECK 61, x2, 1
    ldr x3, [x9]
    CHECK 62, x3, 0x5678
    ldumaxh w1, w2, [x9]
    mov w1, #0xffffffff
    ldaddw_check:
    ldadd w1, w2, [x9]          /* 32-bit: wraps in 32 bits */
    ldr x3, [x9]
    CHECK 63, x3, 0x5677

    /* ---- CAS ---- */
    mov x0, #0x10
    str x0, [x9]
    mov x1, #0x10
    mov x2, #0x20
    cas x1, x2, [x9]
    CHECK 70, x1, 0x10
    ldr x3, [x9]
    CHECK 71, x3, 0x20
    mov x1, #0x10
    casal x1, x2, [x9]          /* fails: memory holds 0x20 */
    CHECK 72, x1, 0x20
    mov w1, #0x20
    mov w2, #0x1ff
    casb w1, w2, [x9]
    CHECK 73, x1, 0x20
    ldr x3, [x9]
    CHECK 74, x3, 0xff
    mov w1, #0xff
    mov w2, #0xabcd
    casah w1, w2, [x9]
    ldr x3, [x9]
    CHECK 75, x3, 0xabcd
    mov w1, #0xabcd
    ldr x2, =0xfffffffff0f0f0f0
    casl w1, w2, [x9]
    ldr x3, [x9]
    CHECK 76, x3, 0xf0f0f0f0
    CHECK 77, x1, 0xabcd
    /* CASP */
    ldr x4, =0x1111111122222222
    ldr x5, =0x3333333344444444
    stp x4, x5, [x10]
    mov x0, x4
    mov x1, x5
    mov x2, #1
    mov x3, #2
    casp x0, x1, x2, x3, [x10]
    CHECK 80, x0, 0x1111111122222222
    CHECK 81, x1, 0x3333333344444444
    ldp x6, x7, [x10]
    CHECK 82, x6, 1
    CHECK 83, x7, 2
    mov x0, #1
    mov x1, #3                  /* high half differs: fails */
    caspal x0, x1, x4, x5, [x10]
    CHECK 84, x0, 1
    CHECK 85, x1, 2
    ldp x6, x7, [x10]
    CHECK 86, x7, 2
    mov w0, #1
    mov w1, #0
    mov w2, #0x77
    mov w3, #0x88
    caspl w0, w1, w2, w3, [x10]
    CHECK 87, x0, 1
    CHECK 88, x1, 0
    ldr x6, [x10]
    CHECK 89, x6, 0x0000008800000077

    /* ---- a misaligned exclusive: alignment fault ---- */
    EXPECT_EXCP
    add x11, x9, #1
    ldxr x1, [x11]
    LAST x2, last_esr
    CHECK 90, x2, 0x96000021    /* EC 0x25 (same EL), IL, DFSC alignment */
    LAST x2, last_far
    CHECK 91, x2, word + 1
    EXPECT_EXCP
    add x11, x9, #2
    stadd w1, [x11]             /* LSE atomics need alignment too */
    LAST x2, last_esr
    bic x2, x2, #0x40           /* WnR: loom reports the write, QEMU the read */
    CHECK 92, x2, 0x96000021
    LAST x2, excp_count
    CHECK 93, x2, 2

    mov x0, #0
    ret
    .ltorg

    .data
    .balign 16
word: .quad 0, 0
pair: .quad 0, 0
    .global test_name
test_name: .asciz "a64_atomic"
