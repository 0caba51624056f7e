/*
 * Reserved block descriptors (without 52-bit addresses, TCR.DS = 0): a
 * level-0 block with the 4 KiB granule, a level-1 block with 16 KiB and
 * with 64 KiB are translation faults at their level.  TTBR1 with
 * T1SZ = 16 in each granule in turn; TTBR0 maps RAM with a 4 KiB
 * granule 1 GiB block.  QEMU 7.2 (with FEAT_LPA2 and LPA) maps the
 * first two and, with its 52-bit PAs, the third: not run there.
 */
#include "a64.h"

#define TCR0 0x500003519            /* T0SZ 25, 4K, WB inner shareable, IPS 48 */
#define T1 (16 << 16) | (0x35 << 24) /* T1SZ 16, WB inner shareable */
#define TG1_4K (2 << 30)
#define TG1_16K (1 << 30)
#define TG1_64K (3 << 30)

/* TTBR1 = \tbl, TCR = TCR0 | T1 | \tg1, TLBI; a load from \va must be a
   translation fault of DFSC \dfsc with FAR \va */
.macro RESERVED n, tbl, tg1, va, dfsc
    ldr x3, =TCR0 | T1 | \tg1
    msr tcr_el1, x3
    adr x0, \tbl
    msr ttbr1_el1, x0
    isb
    tlbi vmalle1
    dsb ish
    isb
    ldr x10, =\va
    EXPECT_EXCP
    ldr x1, [x10]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK \n, x1, 0x96000000 | \dfsc
    LAST x1, last_far
    CHECK (\n + 1), x1, \va
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    adr x0, l1
    ldr x3, =0x40000701
    str x3, [x0, #8]
    /* 4K: u4_l0[510] a block */
    adr x0, u4_l0
    str x3, [x0, #510 * 8]
    /* 16K: u16_l0[1] -> u16_l1, u16_l1[0] a block */
    adr x0, u16_l0
    adr x1, u16_l1
    orr x2, x1, #3
    str x2, [x0, #8]
    str x3, [x1]
    /* 64K: u64_l1[32] a block */
    adr x0, u64_l1
    str x3, [x0, #32 * 8]
    dsb ish
    ldr x3, =0xff
    msr mair_el1, x3
    ldr x3, =TCR0 | (1 << 23)       /* EPD1 until a test sets TTBR1 */
    msr tcr_el1, x3
    adr x0, l1
    msr ttbr0_el1, x0
    isb
    mrs x3, sctlr_el1
    orr x3, x3, #1
    msr sctlr_el1, x3
    isb

    RESERVED 1, u4_l0, TG1_4K, 0xffffff0000000000, 0x04
    RESERVED 3, u16_l0, TG1_16K, 0xffff800000000000, 0x05
    RESERVED 5, u64_l1, TG1_64K, 0xffff800000000000, 0x05
    LAST x1, excp_count
    CHECK 7, x1, 3

    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
    .ltorg

    .data
    .balign 16384
u16_l1: .fill 2048, 8, 0
l1: .fill 512, 8, 0
u4_l0: .fill 512, 8, 0
u64_l1: .fill 64, 8, 0
u16_l0: .fill 2, 8, 0
    .global test_name
test_name: .asciz "a64_mmures"
