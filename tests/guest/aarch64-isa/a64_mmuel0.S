/*
 * Stage 1 permissions seen from EL0 (4 KiB granule, T0SZ = 25): aliases
 * at 0x80000000 of one code page and one data page with each AP and
 * UXN.  EL0 executes what it cannot read (AP 0b00, UXN 0) but may not
 * load from it; AP 0b01 EL0 read/write, 0b11 read-only, 0b00 no access;
 * UXN stops EL0 fetches; EL1 never executes what EL0 may write, EL0
 * does; APTable[0] and UXNTable stop EL0 below them, unless TCR.HPD0.
 * Exact ESR (EC 0x24/0x20 from a lower EL, 0x21 at EL1) and FAR.
 */
#include "a64.h"

#define VA 0x80000000
#define PAGE 0x703                  /* page, AF, inner shareable, AttrIndx 0 */
#define AP_EL0 0x40
#define AP_RO 0x80
#define UXN (1 << 54)
#define SVC0 0x56000000

/* fail with status n unless reg == reg2 */
.macro CHECKR n, reg, reg2
    cmp \reg, \reg2
    b.eq 9992f
    mov x0, #\n
    b test_fail
9992:
.endm

/* x0 = the alias of el0page in page \p plus the offset of \label */
.macro ALIAS p, label
    adr x0, \label
    adr x1, el0page
    sub x0, x0, x1
    ldr x1, =VA + \p * 0x1000
    add x0, x0, x1
.endm

/* descriptor: l3[\i] = (x4 page) | \attrs */
.macro MAP i, attrs
    ldr x5, =\attrs
    orr x3, x4, x5
    str x3, [x2, #\i * 8]
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    adr x0, l1
    adr x1, l2
    adr x2, l3
    ldr x3, =0x40000701
    str x3, [x0, #8]
    orr x3, x1, #3
    str x3, [x0, #16]
    orr x3, x2, #3
    str x3, [x1]
    /* code: l3[0] EL0 execute-only, l3[1] EL0 read-only + UXN, l3[2] EL0
       read/write (so not EL1-executable) */
    adr x4, el0page
    MAP 0, PAGE
    MAP 1, PAGE | AP_EL0 | AP_RO | UXN
    MAP 2, PAGE | AP_EL0
    /* data: l3[3] EL0 read/write, l3[4] read-only, l3[5] EL1 only */
    adr x4, page_a
    MAP 3, PAGE | AP_EL0
    MAP 4, PAGE | AP_EL0 | AP_RO
    MAP 5, PAGE
    /* l2[1] (0x80200000) -> l3c with APTable[0] (no EL0 access below):
       l3c[0] page_a EL0 read/write; l2[2] (0x80400000) -> l3d with
       UXNTable: l3d[0] the code page, EL0 execute-only */
    adr x1, l2
    adr x6, l3c
    ldr x3, =(1 << 61) | 3
    orr x3, x3, x6
    str x3, [x1, #8]
    ldr x5, =PAGE | AP_EL0
    orr x3, x4, x5
    str x3, [x6]
    adr x6, l3d
    ldr x3, =(1 << 60) | 3
    orr x3, x3, x6
    str x3, [x1, #16]
    adr x7, el0page
    mov x5, #PAGE
    orr x3, x7, x5
    str x3, [x6]
    dsb ish
    ldr x3, =0xff
    msr mair_el1, x3
    ldr x3, =0x500803519            /* T0SZ 25, WB, inner shareable, EPD1, IPS 48 */
    msr tcr_el1, x3
    msr ttbr0_el1, x0
    isb
    mrs x3, sctlr_el1
    orr x3, x3, #1
    msr sctlr_el1, x3
    isb

    /* EL0 executes the execute-only page */
    ALIAS 0, e_svc
    bl el0_run
    CHECK 1, x1, SVC0
    /* ... but may not load from it */
    ALIAS 0, e_svc
    mov x9, x0
    ALIAS 0, e_load
    bl el0_run
    CHECK 2, x1, 0x9200000f         /* data abort, lower EL, permission L3 */
    CHECKR 3, x2, x9
    /* data: AP 01 load and store, 11 load but no store, 00 nothing */
    ldr x9, =VA + 0x3000
    ALIAS 0, e_load
    bl el0_run
    CHECK 4, x1, SVC0
    CHECK 5, x3, 0x1111111111111111
    ldr x4, =0x5555555555555555
    ALIAS 0, e_store
    bl el0_run
    CHECK 6, x1, SVC0
    adr x1, page_a
    ldr x1, [x1]
    CHECK 7, x1, 0x5555555555555555
    ldr x9, =VA + 0x4000
    ALIAS 0, e_load
    bl el0_run
    CHECK 8, x1, SVC0
    CHECK 9, x3, 0x5555555555555555
    ALIAS 0, e_store
    bl el0_run
    CHECK 10, x1, 0x9200004f        /* permission L3, WnR */
    ldr x9, =VA + 0x5000
    ALIAS 0, e_load
    bl el0_run
    CHECK 11, x1, 0x9200000f
    CHECK 12, x2, VA + 0x5000
    /* UXN: an instruction abort from EL0 */
    ALIAS 1, e_svc
    mov x10, x0
    bl el0_run
    CHECK 13, x1, 0x8200000f        /* instruction abort, lower EL, permission L3 */
    CHECKR 14, x2, x10
    /* EL0-writable code: EL0 executes it, EL1 does not */
    ALIAS 2, e_svc
    mov x10, x0
    bl el0_run
    CHECK 15, x1, SVC0
    ALIAS 2, e_ret
    mov x10, x0
    EXPECT_EXCP_RESUME 1f
    blr x10
    b bad
1:  LAST x1, last_esr
    CHECK 16, x1, 0x8600000f        /* instruction abort, same EL, permission L3 */
    LAST x1, last_far
    CHECKR 17, x1, x10
    LAST x1, excp_count
    CHECK 18, x1, 10

    /* table attributes: APTable[0] and UXNTable stop EL0; not under HPD0 */
    ldr x9, =VA + 0x200000
    ALIAS 0, e_load
    bl el0_run
    CHECK 19, x1, 0x9200000f        /* permission, level 3 */
    ldr x0, =VA + 0x400000
    bl el0_run
    CHECK 20, x1, 0x8200000f
    ldr x3, =0x500803519 | (1 << 41)    /* HPD0 */
    msr tcr_el1, x3
    isb
    tlbi vmalle1
    dsb ish
    isb
    ALIAS 0, e_load
    bl el0_run
    CHECK 21, x1, SVC0
    CHECK 22, x3, 0x5555555555555555
    ldr x0, =VA + 0x400000
    bl el0_run
    CHECK 23, x1, SVC0

    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/* Run EL0 at x0 (EL0t, interrupts unmasked) until its exception; back at
   EL1 with x1 = ESR, x2 = FAR. */
el0_run:
    mov x25, x30
    msr elr_el1, x0
    msr spsr_el1, xzr
    EXPECT_EXCP_RESUME 2f
    eret
2:  LAST x1, last_esr
    LAST x2, last_far
    ret x25
bad:
    mov x0, #99
    b test_fail
    .ltorg

/* EL0's code, one page: run through its aliases */
    .balign 4096
el0page:
e_svc:
    svc #0
e_load:
    ldr x3, [x9]
    svc #0
e_store:
    str x4, [x9]
    svc #0
e_ret:
    ret
    .balign 4096

    .data
    .balign 4096
l1: .fill 512, 8, 0
l2: .fill 512, 8, 0
l3: .fill 512, 8, 0
l3c: .fill 512, 8, 0
l3d: .fill 512, 8, 0
page_a: .rept 512
    .quad 0x1111111111111111
    .endr
    .global test_name
test_name: .asciz "a64_mmuel0"
