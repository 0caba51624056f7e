/*
 * 4 KiB granule with 48-bit VAs and ASIDs.  TTBR1 (T1SZ = 16): the walk
 * starts at level 0; an invalid level-0 entry is a translation fault at
 * level 0 (the reserved level-0 block: a64_mmures).  TTBR0 (T0SZ = 25) maps
 * 0x80000000 with a non-global page.  TCR.A1 = 1 takes the ASID from
 * TTBR1: a TLBI ASIDE1 with that ASID (not TTBR0's) drops the entry;
 * TCR.AS = 0 makes the ASID 8 bits (TTBR1[63:56] ignored); a TTBR1 write
 * with a new ASID sees the new descriptor without a TLBI.
 */
#include "a64.h"

#define VA 0x80000000
#define UVA 0xffffff8040000000      /* L0 511, L1 1 */
#define NG_PAGE 0xf03               /* page, AF, inner shareable, nG */
/* T0SZ 25, T1SZ 16, both 4K, WB inner shareable, A1, IPS 48 */
#define TCR 0x5b5503519
#define AS16 (1 << 36)

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    adr x0, l1
    adr x1, l2
    adr x2, l3
    ldr x3, =0x40000701             /* l1[1]: identity, global */
    str x3, [x0, #8]
    orr x3, x1, #3
    str x3, [x0, #16]
    orr x3, x2, #3
    str x3, [x1]
    adr x4, page_a
    mov x5, #NG_PAGE
    orr x3, x4, x5
    str x3, [x2]
    /* TTBR1: u_l0[511] -> u_l1, u_l1[1] 1 GiB -> 0x40000000 */
    adr x0, u_l0
    adr x1, u_l1
    orr x3, x1, #3
    str x3, [x0, #511 * 8]
    ldr x3, =0x40000701
    str x3, [x1, #8]
    dsb ish
    ldr x3, =0xff
    msr mair_el1, x3
    ldr x3, =TCR | AS16
    msr tcr_el1, x3
    adr x0, l1
    mov x1, #0x22
    orr x0, x0, x1, lsl #48         /* TTBR0 ASID 0x22: not the one in use */
    msr ttbr0_el1, x0
    adr x0, u_l0
    mov x1, #1
    orr x0, x0, x1, lsl #48         /* TTBR1 ASID 1 */
    msr ttbr1_el1, x0
    isb
    mrs x3, sctlr_el1
    orr x3, x3, #1
    msr sctlr_el1, x3
    isb

    /* ---- TTBR1, 48 bits from level 0 ---- */
    adr x4, page_a
    and x4, x4, #0x3fffffff
    ldr x10, =UVA
    ldr x1, [x10, x4]
    CHECK 1, x1, 0x1111111111111111
    ldr x10, =0xffff000000001000    /* u_l0[0]: invalid */
    EXPECT_EXCP
    ldr x1, [x10]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 3, x1, 0x96000004
    LAST x1, last_far
    CHECK 4, x1, 0xffff000000001000

    /* ---- A1: the ASID is TTBR1's ---- */
    ldr x9, =VA
    ldr x1, [x9]
    CHECK 5, x1, 0x1111111111111111
    adr x2, l3
    adr x4, page_b
    mov x5, #NG_PAGE
    orr x3, x4, x5
    str x3, [x2]
    dsb ishst
    mov x5, #1
    lsl x5, x5, #48
    tlbi aside1, x5
    dsb ish
    isb
    ldr x1, [x9]
    CHECK 6, x1, 0x2222222222222222

    /* ---- AS = 0: 8-bit ASIDs, TTBR1[63:56] ignored ---- */
    ldr x3, =TCR
    msr tcr_el1, x3
    adr x0, u_l0
    mov x1, #0x301
    orr x0, x0, x1, lsl #48         /* ASID 0x01 */
    msr ttbr1_el1, x0
    isb
    tlbi vmalle1
    dsb ish
    isb
    ldr x1, [x9]
    CHECK 7, x1, 0x2222222222222222
    adr x4, page_a
    mov x5, #NG_PAGE
    orr x3, x4, x5
    str x3, [x2]
    dsb ishst
    mov x5, #1
    lsl x5, x5, #48
    tlbi aside1, x5
    dsb ish
    isb
    ldr x1, [x9]
    CHECK 8, x1, 0x1111111111111111

    /* ---- a new ASID sees the new descriptor ---- */
    adr x4, page_b
    mov x5, #NG_PAGE
    orr x3, x4, x5
    str x3, [x2]
    dsb ish
    adr x0, u_l0
    mov x1, #2
    orr x0, x0, x1, lsl #48
    msr ttbr1_el1, x0
    isb
    ldr x1, [x9]
    CHECK 9, x1, 0x2222222222222222
    LAST x1, excp_count
    CHECK 10, x1, 1

    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
    .ltorg

    .data
    .balign 4096
l1: .fill 512, 8, 0
l2: .fill 512, 8, 0
l3: .fill 512, 8, 0
u_l0: .fill 512, 8, 0
u_l1: .fill 512, 8, 0
page_a: .rept 512
    .quad 0x1111111111111111
    .endr
page_b: .rept 512
    .quad 0x2222222222222222
    .endr
    .global test_name
test_name: .asciz "a64_asid"
