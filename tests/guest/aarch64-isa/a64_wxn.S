/*
 * SCTLR_EL1.WXN: what an EL may write it may not execute.  The program's
 * 2 MiB at 0x40200000 is mapped with 4 KiB pages: its code read-only
 * (so EL1 still runs under WXN), the rest read/write.  Aliases at
 * 0x80000000 of a code page: EL1-writable, EL0-writable, EL0
 * execute-only.  Under WXN EL1 does not execute the EL1-writable alias
 * and EL0 not the EL0-writable one (a permission fault at level 3), EL0
 * still executes its execute-only page; without WXN both run.
 */
#include "a64.h"

#define VA 0x80000000
#define PAGE 0x703                  /* page, AF, inner shareable, AttrIndx 0 */
#define AP_EL0 0x40
#define AP_RO 0x80
#define SVC0 0x56000000
#define WXN (1 << 19)

/* x0 = the alias of el0page in page \p plus the offset of \label */
.macro ALIAS p, label
    adr x0, \label
    adr x1, el0page
    sub x0, x0, x1
    ldr x1, =VA + \p * 0x1000
    add x0, x0, x1
.endm

.macro SET_WXN on
    mrs x3, sctlr_el1
    .if \on
    orr x3, x3, #WXN
    .else
    bic x3, x3, #WXN
    .endif
    msr sctlr_el1, x3
    isb
    tlbi vmalle1
    dsb ish
    isb
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    adr x0, l1
    adr x1, l2
    adr x2, l3
    adr x6, l3b
    /* l1[1] -> l2; l2[1] (0x40200000) -> l3b; l1[2] -> l2a -> l3 */
    orr x3, x1, #3
    str x3, [x0, #8]
    orr x3, x6, #3
    str x3, [x1, #8]
    adr x1, l2a
    orr x3, x1, #3
    str x3, [x0, #16]
    orr x3, x2, #3
    str x3, [x1]
    /* l3b: 0x40200000 + i * 4K, read-only below text_end */
    ldr x4, =0x40200000
    adr x7, text_end
    mov x8, #0
1:  mov x5, #PAGE
    cmp x4, x7
    b.hs 2f
    orr x5, x5, #AP_RO
2:  orr x3, x4, x5
    str x3, [x6, x8, lsl #3]
    add x4, x4, #0x1000
    add x8, x8, #1
    cmp x8, #512
    b.lo 1b
    /* l3[0] EL1 read/write, l3[1] EL0 read/write, l3[2] EL0 execute-only */
    adr x4, el0page
    mov x5, #PAGE
    orr x3, x4, x5
    str x3, [x2]
    mov x5, #PAGE | AP_EL0
    orr x3, x4, x5
    str x3, [x2, #8]
    mov x5, #PAGE
    orr x3, x4, x5
    str x3, [x2, #16]
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

    /* without WXN: EL1 runs its writable alias, EL0 its writable one */
    ALIAS 0, e_ret
    mov x1, #0
    blr x0
    CHECK 1, x1, 0x77
    ALIAS 1, e_svc
    bl el0_run
    CHECK 2, x1, SVC0

    SET_WXN 1
    ALIAS 0, e_ret
    mov x10, x0
    EXPECT_EXCP_RESUME 3f
    blr x10
    b bad
3:  LAST x1, last_esr
    CHECK 3, x1, 0x8600000f         /* instruction abort, same EL, permission L3 */
    LAST x1, last_far
    cmp x1, x10
    b.ne bad
    ALIAS 1, e_svc
    bl el0_run
    CHECK 4, x1, 0x8200000f         /* instruction abort, lower EL, permission L3 */
    ALIAS 2, e_svc
    bl el0_run
    CHECK 5, x1, SVC0               /* execute-only: not writable */
    SET_WXN 0
    ALIAS 0, e_ret
    mov x1, #0
    blr x0
    CHECK 6, x1, 0x77
    LAST x1, excp_count
    CHECK 7, x1, 4

    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/* Run EL0 at x0 until its exception; back at EL1 with x1 = ESR. */
el0_run:
    mov x25, x30
    msr elr_el1, x0
    msr spsr_el1, xzr
    EXPECT_EXCP_RESUME 4f
    eret
4:  LAST x1, last_esr
    ret x25
bad:
    mov x0, #99
    b test_fail
    .ltorg

/* a code page run through its aliases */
    .balign 4096
el0page:
e_svc:
    svc #0
e_ret:
    mov x1, #0x77
    ret
    .balign 4096
text_end:

    .data
    .balign 4096
l1: .fill 512, 8, 0
l2: .fill 512, 8, 0
l2a: .fill 512, 8, 0
l3: .fill 512, 8, 0
l3b: .fill 512, 8, 0
    .global test_name
test_name: .asciz "a64_wxn"
