/*
 * SP alignment checking: with SCTLR_EL1.SA a load or store at EL1 whose
 * base is an SP that is not 16-byte aligned raises an SP alignment
 * fault (EC 0x26, ELR the insn, no write-back); with SA0 the same at
 * EL0.  SP arithmetic, prefetches, other base registers and an aligned
 * SP do not fault; without SA nothing does.  (EL1 runs on SP_EL0 here,
 * so that the exception handler keeps an aligned SP_EL1.)  QEMU 7.2 does
 * not check SP alignment: tests.list keeps this test off QEMU.
 */
#include "a64.h"

#define SA (1 << 3)
#define SA0 (1 << 4)
#define SP_ALIGN_ESR 0x9a000000     /* EC 0x26, IL */

/* fail with status n unless reg == reg2 */
.macro CHECKR n, reg, reg2
    cmp \reg, \reg2
    b.eq 9992f
    mov x0, #\n
    b test_fail
9992:
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    mrs x0, sctlr_el1
    orr x0, x0, #SA
    bic x0, x0, #SA0
    msr sctlr_el1, x0
    isb
    mov x5, sp
    sub x0, x5, #0x1000
    sub x0, x0, #8                  /* misaligned, below the stack in use */
    msr sp_el0, x0
    msr spsel, #0
    adr x20, 1f
    EXPECT_EXCP
1:  ldr x1, [sp]
    LAST x1, last_esr
    CHECK 1, x1, SP_ALIGN_ESR
    LAST x1, last_elr
    CHECKR 2, x1, x20
    LAST x1, last_vec
    CHECK 3, x1, 0                  /* current EL with SP_EL0 */
    mov x6, sp
    EXPECT_EXCP
    stp x1, x2, [sp, #-16]!
    mov x7, sp
    CHECKR 4, x7, x6                 /* no write-back */
    EXPECT_EXCP
    ldxr x1, [sp]
    EXPECT_EXCP
    ldr w1, [sp, x0]
    add x2, sp, #8
    prfm pldl1keep, [sp]
    ldr x3, [x2]                    /* another base: no check */
    add sp, sp, #8                  /* aligned */
    ldr x3, [sp]
    str x3, [sp, #-16]!
    ldp x3, x4, [sp], #16
    sub sp, sp, #8
    LAST x1, excp_count
    CHECK 5, x1, 4

    /* SA off: no fault */
    mrs x0, sctlr_el1
    bic x0, x0, #SA
    msr sctlr_el1, x0
    isb
    ldr x1, [sp]
    str x1, [sp, #8]
    LAST x1, excp_count
    CHECK 6, x1, 4
    msr spsel, #1

    /* EL0 with SA0 (SA clear) */
    mrs x0, sctlr_el1
    orr x0, x0, #SA0
    msr sctlr_el1, x0
    isb
    adr x0, el0
    msr elr_el1, x0
    msr spsr_el1, xzr               /* EL0t */
    adr x20, 2f
    eret
el0:
    EXPECT_EXCP_RESUME back
2:  ldr x1, [sp]
    b bad
back:
    LAST x1, last_esr
    CHECK 7, x1, SP_ALIGN_ESR
    LAST x1, last_elr
    CHECKR 8, x1, x20
    LAST x1, last_vec
    CHECK 9, x1, 8                  /* lower EL */
    mrs x0, sctlr_el1
    bic x0, x0, #SA0
    msr sctlr_el1, x0
    isb
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
bad:
    mov x0, #99
    b test_fail
    .ltorg

    .data
    .global test_name
test_name: .asciz "a64_spalign"
