/*
 * EL0 accesses SCTLR_EL1 controls (the MMU off): without UCT, UMA, DZE
 * and UCI, MRS CTR_EL0, MRS/MSR DAIF and MSR DAIFSet/DAIFClr, DC ZVA and
 * the EL0 cache maintenance (DC CVAU/CVAC/CIVAC, IC IVAU) trap to EL1
 * with EC 0x18 and the instruction's op0/op1/CRn/CRm/op2, Rt and
 * direction in the ISS (for MSR DAIFSet/DAIFClr op0 0, CRn 4, CRm the
 * immediate, Rt 31); DCZID_EL0.DZP says DC ZVA is prohibited; DC IVAC
 * stays undefined at EL0.  With the bits set they run.
 */
#include "a64.h"

#define EC18 0x62000000             /* EC 0x18, IL */
#define SCTLR_BITS ((1 << 9) | (1 << 14) | (1 << 15) | (1 << 26))  /* UMA DZE UCT UCI */

/* the last exception's ESR must be esr */
.macro ESR n, esr
    LAST x1, last_esr
    CHECK \n, x1, \esr
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    mrs x0, sctlr_el1
    ldr x1, =SCTLR_BITS
    bic x0, x0, x1
    msr sctlr_el1, x0
    isb
    ldr x0, =0x40310000
    msr sp_el0, x0
    adr x0, el0_a
    msr elr_el1, x0
    mov x0, #0                  /* EL0t */
    msr spsr_el1, x0
    eret
el0_a:
    EXPECT_EXCP
    mrs x3, ctr_el0
    EXPECT_EXCP
    mrs x4, daif
    EXPECT_EXCP
    msr daif, x5
    EXPECT_EXCP
    msr daifset, #2
    EXPECT_EXCP
    msr daifclr, #4
    adr x6, buf
    EXPECT_EXCP
    dc zva, x6
    mrs x7, dczid_el0
    EXPECT_EXCP
    dc cvau, x8
    EXPECT_EXCP
    dc cvac, x9
    EXPECT_EXCP
    dc civac, x10
    EXPECT_EXCP
    ic ivau, x11
    EXPECT_EXCP_RESUME back_a
    dc ivac, x12
    b bad
back_a:
    /* (each step's ESR was overwritten by the next: check them again one
       by one, at EL1, by re-entering EL0 for each) */
    and x7, x7, #0x10
    CHECK 1, x7, 0x10           /* DZP */
    LAST x1, last_esr
    CHECK 2, x1, 0x02000000     /* DC IVAC: undefined */
    LAST x1, excp_count
    CHECK 3, x1, 11

    /* one trap at a time: enter EL0 at the insn, resume at EL1 */
    mov x24, #0
    .irp i, 0,1,2,3,4,5,6,7,8,9
    adr x0, insn_\i
    bl at_el0
    .endr
    adr x20, esrs
    adr x21, got
    mov x22, #0
    adr x23, masks
1:  ldr x1, [x20, x22, lsl #3]
    ldr x2, [x21, x22, lsl #3]
    ldr x3, [x23, x22, lsl #3]
    and x2, x2, x3
    cmp x1, x2
    b.eq 2f
    add x0, x22, #10
    b test_fail
2:  add x22, x22, #1
    cmp x22, #10
    b.lo 1b

    /* with UMA, DZE, UCT, UCI: no traps */
    mrs x0, sctlr_el1
    ldr x1, =SCTLR_BITS
    orr x0, x0, x1
    msr sctlr_el1, x0
    isb
    LAST x23, excp_count
    adr x0, el0_b
    msr elr_el1, x0
    mov x0, #0
    msr spsr_el1, x0
    adr x6, buf
    mvn x1, xzr
    str x1, [x6]
    eret
el0_b:
    mrs x3, ctr_el0
    mrs x4, daif
    msr daif, x4
    msr daifset, #2
    msr daifclr, #2
    mrs x7, dczid_el0
    dc zva, x6
    dc cvau, x6
    dc cvac, x6
    dc civac, x6
    ic ivau, x6
    EXPECT_EXCP_RESUME back_b
    svc #0
back_b:
    LAST x1, excp_count
    sub x1, x1, x23
    CHECK 30, x1, 1
    and x7, x7, #0x10
    CHECK 31, x7, 0             /* DZP clear */
    adr x6, buf
    ldr x1, [x6]
    CHECK 32, x1, 0             /* zeroed */
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/* run the insn at x0 at EL0 (with sp_el0 set), take the exception back
   at EL1 and store its ESR in got[n] (n counted by x24) */
at_el0:
    mov x25, x30
    msr elr_el1, x0
    mov x0, #0
    msr spsr_el1, x0
    EXPECT_EXCP_RESUME 3f
    adr x6, buf
    eret
3:  LAST x1, last_esr
    adr x2, got
    str x1, [x2, x24, lsl #3]
    add x24, x24, #1
    ret x25

insn_0: mrs x3, ctr_el0
insn_1: mrs x4, daif
insn_2: msr daif, x5
insn_3: msr daifset, #2
insn_4: msr daifclr, #4
insn_5: dc zva, x6
insn_6: dc cvau, x8
insn_7: dc civac, x10
insn_8: ic ivau, x11
insn_9: dc ivac, x12
bad:
    mov x0, #99
    b test_fail
    .ltorg

    .data
    .balign 8
/* ISS: op0 [21:20], op2 [19:17], op1 [16:14], CRn [13:10], Rt [9:5],
   CRm [4:1], read [0] */
esrs:
    .quad EC18 | 3 << 20 | 1 << 17 | 3 << 14 | 0 << 10 | 3 << 5 | 0 << 1 | 1    /* MRS CTR_EL0 */
    .quad EC18 | 3 << 20 | 1 << 17 | 3 << 14 | 4 << 10 | 4 << 5 | 2 << 1 | 1    /* MRS DAIF */
    .quad EC18 | 3 << 20 | 1 << 17 | 3 << 14 | 4 << 10 | 5 << 5 | 2 << 1        /* MSR DAIF */
    .quad EC18 | 0 << 20 | 0 << 17 | 0 << 14 | 4 << 10 | 31 << 5 | 2 << 1       /* DAIFSet #2 (op2 6, op1 3) */
    .quad EC18 | 0 << 20 | 0 << 17 | 0 << 14 | 4 << 10 | 31 << 5 | 4 << 1       /* DAIFClr #4 (op2 7, op1 3) */
    .quad EC18 | 1 << 20 | 1 << 17 | 3 << 14 | 7 << 10 | 6 << 5 | 4 << 1        /* DC ZVA */
    .quad EC18 | 1 << 20 | 1 << 17 | 3 << 14 | 7 << 10 | 8 << 5 | 11 << 1       /* DC CVAU */
    .quad EC18 | 1 << 20 | 1 << 17 | 3 << 14 | 7 << 10 | 10 << 5 | 14 << 1      /* DC CIVAC */
    .quad EC18 | 1 << 20 | 1 << 17 | 3 << 14 | 7 << 10 | 11 << 5 | 5 << 1       /* IC IVAU */
    .quad 0x02000000                                                            /* DC IVAC: undefined */
/* the bits compared: QEMU 7.2 swaps op1 and op2 in the syndrome of
   MSR DAIFSet/DAIFClr, so those are left out there */
masks:
    .rept 3
    .quad 0xffffffff
    .endr
    .quad 0xfff03fff, 0xfff03fff
    .rept 5
    .quad 0xffffffff
    .endr
got: .fill 10, 8, 0
    .balign 64
buf: .fill 8, 8, 0
    .global test_name
test_name: .asciz "a64_el0trap"
