/*
 * VMSAv8-64 stage 1, 4 KiB granule, 39-bit VAs (T0SZ = 25: the walk
 * starts at level 1): a 1 GiB identity block for RAM; 4 KiB pages at
 * 0x80000000 read-only, without the access flag, invalid, and EL0
 * accessible; an invalid level-1 entry.  Exact DFSC (level and kind),
 * WnR and FAR; PAN forbids EL1 data accesses to EL0 pages; a remap is
 * seen after TLBI VMALLE1 (and TLBI VAE1IS); the MMU off again is the
 * identity.
 */
#include "a64.h"

#define VA 0x80000000
#define DESC_PAGE 0x703             /* page, AF, inner shareable, AttrIndx 0 */

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    adr x0, l1
    adr x1, l2
    adr x2, l3
    /* l1[1]: 0x40000000 1 GiB identity block; l1[2] -> l2 -> l3 */
    ldr x3, =0x40000701
    str x3, [x0, #8]
    orr x3, x1, #3
    str x3, [x0, #16]
    orr x3, x2, #3
    str x3, [x1]
    adr x4, page_a
    mov x5, #DESC_PAGE | 0x80       /* read-only */
    orr x3, x4, x5
    str x3, [x2]
    adr x4, page_b
    mov x5, #0x303                  /* no access flag */
    orr x3, x4, x5
    str x3, [x2, #8]
    str xzr, [x2, #16]              /* invalid */
    mov x5, #DESC_PAGE | 0x40       /* EL0 read/write */
    orr x3, x4, x5
    str x3, [x2, #24]
    dsb ish
    ldr x3, =0xff                   /* MAIR attr 0: normal write-back */
    msr mair_el1, x3
    ldr x3, =0x500803519            /* T0SZ 25, WB, inner shareable, EPD1, IPS 48 bits */
    msr tcr_el1, x3
    msr ttbr0_el1, x0
    isb
    mrs x3, sctlr_el1
    orr x3, x3, #1
    msr sctlr_el1, x3
    isb

    ldr x9, =VA
    ldr x1, [x9]
    CHECK 1, x1, 0x1111111111111111
    EXPECT_EXCP
    str x1, [x9]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 2, x1, 0x9600004f         /* permission, level 3, WnR */
    LAST x1, last_far
    CHECK 3, x1, VA
    EXPECT_EXCP
    ldr x1, [x9, #0x1008]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 4, x1, 0x9600000b         /* access flag, level 3 */
    LAST x1, last_far
    CHECK 5, x1, VA + 0x1008
    EXPECT_EXCP
    add x11, x9, #0x2000
    ldrb w1, [x11, #1]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 6, x1, 0x96000007         /* translation, level 3 */
    ldr x10, =0xc0000000
    EXPECT_EXCP
    ldr x1, [x10]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 7, x1, 0x96000005         /* translation, level 1 */
    ldr x1, [x9, #0x3000]
    CHECK 8, x1, 0x2222222222222222
    msr pan, #1
    EXPECT_EXCP
    ldr x1, [x9, #0x3000]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 9, x1, 0x9600000f         /* permission, level 3 */
    msr pan, #0
    LAST x1, excp_count
    CHECK 10, x1, 5

    /* remap VA to page_b, read-only, and flush */
    adr x2, l3
    adr x4, page_b
    mov x5, #DESC_PAGE | 0x80
    orr x3, x4, x5
    str x3, [x2]
    dsb ishst
    tlbi vmalle1
    dsb ish
    isb
    ldr x1, [x9]
    CHECK 11, x1, 0x2222222222222222
    adr x4, page_a
    mov x5, #DESC_PAGE | 0x80
    orr x3, x4, x5
    str x3, [x2]
    dsb ishst
    lsr x5, x9, #12
    tlbi vae1is, x5
    dsb ish
    isb
    ldr x1, [x9]
    CHECK 12, x1, 0x1111111111111111

    /* the MMU off again */
    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    adr x4, page_a
    ldr x1, [x4]
    CHECK 13, x1, 0x1111111111111111
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
    .ltorg

    .data
    .balign 4096
l1: .fill 512, 8, 0
l2: .fill 512, 8, 0
l3: .fill 512, 8, 0
page_a: .rept 512
    .quad 0x1111111111111111
    .endr
page_b: .rept 512
    .quad 0x2222222222222222
    .endr
    .global test_name
test_name: .asciz "a64_mmu"
