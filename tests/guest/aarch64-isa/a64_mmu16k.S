/*
 * VMSAv8-64 stage 1 with the 16 KiB granule (TG0 = 0b10, TG1 = 0b01:
 * the two fields encode it differently).  TTBR0: T0SZ = 25, 39-bit VAs,
 * the walk starts at level 1 (8 entries); a 32 MiB level-2 identity
 * block for RAM, 16 KiB pages at 0x80000000.  TTBR1: T1SZ = 16, 48-bit
 * VAs from level 0 (2 entries).  Exact DFSC (kind and level) and FAR for
 * translation faults at levels 0-3, access flag and permission faults on a block, address
 * size faults (TCR.IPS = 32 bits) on the TTBR, a table and a page,
 * EPD1, an instruction abort, an external abort on the walk (FSC 0x14 +
 * level); a page's last word and a block's size.
 */
#include "a64.h"

#define VA 0x80000000
#define UVA 0xffff800040000000      /* TTBR1: L0 1, L1 0, L2 32 */
#define PAGE 0x703                  /* page, AF, inner shareable, AttrIndx 0 */
#define BLOCK 0x701
#define TCR 0x57510b519             /* IPS 48, TG1 16K, T1SZ 16, TG0 16K, T0SZ 25, WB IS */
#define TCR_IPS32 0x07510b519

/* expect a data abort at EL1 from the next insn: ESR (ISV masked) and FAR */
.macro DABT n, esr, far
    LAST x1, last_esr
    MASK_ISV x1
    CHECK \n, x1, \esr
    LAST x1, last_far
    CHECK (\n + 1), x1, \far
.endm

/* ... with the FAR expected in a register */
.macro DABTR n, esr, far
    LAST x1, last_esr
    MASK_ISV x1
    CHECK \n, x1, \esr
    LAST x1, last_far
    cmp x1, \far
    b.eq 9991f
    mov x0, #(\n + 1)
    b test_fail
9991:
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    adr x0, l1
    adr x1, l2
    adr x2, l3
    /* l1[0] -> l2 */
    orr x3, x1, #3
    str x3, [x0]
    /* l2[32]: 0x40000000 identity block; l2[64] -> l3 */
    ldr x3, =0x40000000 | BLOCK
    str x3, [x1, #32 * 8]
    orr x3, x2, #3
    str x3, [x1, #64 * 8]
    /* l2[66]: 32 MiB block -> 0x40000000; l2[67] read-only; l2[68] AF 0 */
    ldr x3, =0x40000000 | BLOCK
    str x3, [x1, #66 * 8]
    ldr x3, =0x40000000 | BLOCK | 0x80
    str x3, [x1, #67 * 8]
    ldr x3, =0x40000000 | 0x301
    str x3, [x1, #68 * 8]
    /* l2[69]: a table above 4 GiB (an address size fault under IPS 32) */
    ldr x3, =0x100000000 | 3
    str x3, [x1, #69 * 8]
    /* l3[0] page_a; l3[1] page_b without AF; l3[2] invalid; l3[3] above 4 GiB */
    adr x4, page_a
    mov x5, #PAGE
    orr x3, x4, x5
    str x3, [x2]
    adr x4, page_b
    mov x5, #0x303
    orr x3, x4, x5
    str x3, [x2, #8]
    ldr x3, =0x100000000 | PAGE
    str x3, [x2, #24]
    /* TTBR1: u_l0[1] -> u_l1, u_l1[0] -> u_l2, u_l2[32] 0x40000000 */
    adr x0, u_l0
    adr x1, u_l1
    adr x2, u_l2
    orr x3, x1, #3
    str x3, [x0, #8]
    orr x3, x2, #3
    str x3, [x1]
    ldr x3, =0x40000000 | BLOCK
    str x3, [x2, #32 * 8]
    /* the last word of page_a */
    adr x4, page_a
    ldr x3, =0x3333333333333333
    str x3, [x4, #0x3ff8]
    dsb ish
    ldr x3, =0xff                   /* MAIR attr 0: normal write-back */
    msr mair_el1, x3
    ldr x3, =TCR
    msr tcr_el1, x3
    adr x0, l1
    msr ttbr0_el1, x0
    adr x0, u_l0
    msr ttbr1_el1, x0
    isb
    mrs x3, sctlr_el1
    orr x3, x3, #1
    msr sctlr_el1, x3
    isb

    ldr x9, =VA
    ldr x1, [x9]
    CHECK 1, x1, 0x1111111111111111
    ldr x1, [x9, #0x3ff8]           /* same 16K page */
    CHECK 2, x1, 0x3333333333333333
    EXPECT_EXCP
    ldr x1, [x9, #0x4008]
    DABT 3, 0x9600000b, VA + 0x4008 /* access flag, level 3 */
    EXPECT_EXCP
    add x11, x9, #0x8000
    str x1, [x11, #4]
    DABT 5, 0x96000047, VA + 0x8004 /* translation, level 3, WnR */
    ldr x10, =VA + 0x2000000
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 7, 0x96000006, VA + 0x2000000 /* translation, level 2 */
    ldr x10, =0x1000000010
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 9, 0x96000005, 0x1000000010 /* translation, level 1 */
    ldr x10, =0x0001000000000000
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 13, 0x96000004, 0x0001000000000000 /* above T0SZ: level 0 */

    /* the 32 MiB blocks: l2[66] maps page_a's offset in RAM */
    adr x4, page_a
    and x4, x4, #0x1ffffff          /* x4 = page_a's offset in the block */
    ldr x10, =VA + 0x4000000
    ldr x1, [x10, x4]
    CHECK 15, x1, 0x1111111111111111
    ldr x10, =VA + 0x6000000
    ldr x1, [x10, x4]
    CHECK 16, x1, 0x1111111111111111
    add x11, x10, x4
    EXPECT_EXCP
    str x1, [x11]
    DABTR 17, 0x9600004e, x11        /* permission, level 2, WnR */
    ldr x10, =VA + 0x8000000
    add x11, x10, x4
    EXPECT_EXCP
    ldr x1, [x11]
    DABTR 19, 0x9600000a, x11        /* access flag, level 2 */

    /* TTBR1: 48 bits from level 0 */
    ldr x10, =UVA
    ldr x1, [x10, x4]
    CHECK 21, x1, 0x1111111111111111
    ldr x10, =0xffff000000000000    /* u_l0[0]: invalid */
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 22, 0x96000004, 0xffff000000000000
    ldr x10, =0xff00800040000000    /* top byte not all ones */
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 24, 0x96000004, 0xff00800040000000

    /* an instruction abort: fetch from the invalid l3[2] */
    add x10, x9, #0x8000
    EXPECT_EXCP_RESUME 1f
    blr x10
    b bad
1:  LAST x1, last_esr
    CHECK 26, x1, 0x86000007        /* instruction abort, same EL, level 3 */
    LAST x1, last_far
    CHECK 27, x1, VA + 0x8000
    LAST x1, last_elr
    CHECK 28, x1, VA + 0x8000

    /* the level-3 table of l2[69] is no RAM: an external abort on the
       walk, at level 3 */
    ldr x10, =VA + 0xa000000
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 40, 0x96000017, VA + 0xa000000

    /* IPS 32 bits: output addresses at or above 4 GiB fault */
    ldr x3, =TCR_IPS32
    msr tcr_el1, x3
    isb
    tlbi vmalle1
    dsb ish
    isb
    EXPECT_EXCP
    add x11, x9, #0xc000
    ldr x1, [x11]
    DABT 30, 0x96000003, VA + 0xc000    /* address size, level 3 */
    ldr x10, =VA + 0xa000000
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 32, 0x96000002, VA + 0xa000000 /* address size, level 2 (table) */
    adr x0, u_l0
    orr x0, x0, #(1 << 40)
    msr ttbr1_el1, x0
    isb
    ldr x10, =UVA
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 34, 0x96000000, UVA        /* address size, level 0 (TTBR1) */
    adr x0, u_l0
    msr ttbr1_el1, x0
    ldr x3, =TCR | (1 << 23)        /* EPD1 */
    msr tcr_el1, x3
    isb
    tlbi vmalle1
    dsb ish
    isb
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 36, 0x96000004, UVA        /* EPD1: translation, level 0 */
    ldr x1, [x9]
    CHECK 38, x1, 0x1111111111111111
    LAST x1, excp_count
    CHECK 39, x1, 15

    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
bad:
    mov x0, #99
    b test_fail
    .ltorg

    .data
    .balign 16384
l2: .fill 2048, 8, 0
l3: .fill 2048, 8, 0
u_l1: .fill 2048, 8, 0
u_l2: .fill 2048, 8, 0
page_a: .rept 2048
    .quad 0x1111111111111111
    .endr
page_b: .rept 2048
    .quad 0x2222222222222222
    .endr
l1: .fill 8, 8, 0
u_l0: .fill 2, 8, 0
    .global test_name
test_name: .asciz "a64_mmu16k"
