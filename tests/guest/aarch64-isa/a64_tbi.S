/*
 * Stage 1 (4 KiB granule, T0SZ = 25) beyond the walk.  TCR_EL1.TBI0:
 * data accesses ignore the top byte, FAR keeps it, a remap is seen
 * through a tagged pointer after a TLBI by the untagged VA, BLR and ERET
 * clear the tag of their target; without TBI0 a tagged address is a
 * level-0 translation fault, for a load or a fetch.  AT S1E1R/S1E1W/
 * S1E0R/S1E0W: PAR_EL1 with the address, MAIR attribute and
 * shareability, or F and the fault status.  APTable[1] and PXNTable on
 * a table above a block, both ignored under TCR.HPD0; PXN on
 * instruction fetch (WXN: a64_wxn).  The MMU off: AT gives the identity
 * (Device-nGnRnE); bits above the PA size are an address size fault at
 * level 0, unless TBI0 makes them a tag.
 */
#include "a64.h"

#define VA 0x80000000
#define TVA 0x5a00000080000000      /* VA tagged 0x5a */
#define PAGE 0x703                  /* page, AF, inner shareable, AttrIndx 0 */
#define TCR 0x500803519             /* T0SZ 25, WB, inner shareable, EPD1, IPS 48 bits */
#define TBI0 (1 << 37)
#define HPD0 (1 << 41)

.macro DABT n, esr, far
    LAST x1, last_esr
    MASK_ISV x1
    CHECK \n, x1, \esr
    LAST x1, last_far
    CHECK (\n + 1), x1, \far
.endm

/* fail with status n unless reg == reg2 */
.macro CHECKR n, reg, reg2
    cmp \reg, \reg2
    b.eq 9992f
    mov x0, #\n
    b test_fail
9992:
.endm

/* AT \op on \va (a register); PAR_EL1 must equal \par (ATCHKR: a register) */
.macro ATCHKR n, op, va, par
    at \op, \va
    isb
    mrs x1, par_el1
    CHECKR \n, x1, \par
.endm

.macro ATCHK n, op, va, par
    at \op, \va
    isb
    mrs x1, par_el1
    CHECK \n, x1, \par
.endm

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
    /* l1[3] -> l2b with APTable = read-only, PXNTable; l2b[0]: the
       2 MiB of code and data at 0x40200000, read/write, executable */
    adr x4, l2b
    ldr x3, =(1 << 62) | (1 << 59) | 3
    orr x3, x3, x4
    str x3, [x0, #24]
    ldr x3, =0x40200701
    str x3, [x4]
    /* l3[0] page_a; l3[1] page_b without AF; l3[2] invalid; l3[3]
       page_a EL0 read/write; l3[4] page_a read-only; l3[5] page_a with
       AttrIndx 1 (non-cacheable); l3[6] the code page holding `retfn`,
       PXN; l3[7] the same, executable */
    adr x4, page_a
    mov x5, #PAGE
    orr x3, x4, x5
    str x3, [x2]
    adr x6, page_b
    mov x5, #0x303
    orr x3, x6, x5
    str x3, [x2, #8]
    mov x5, #PAGE | 0x40
    orr x3, x4, x5
    str x3, [x2, #24]
    mov x5, #PAGE | 0x80
    orr x3, x4, x5
    str x3, [x2, #32]
    mov x5, #PAGE | 0x4
    orr x3, x4, x5
    str x3, [x2, #40]
    adr x4, retfn
    and x4, x4, #~0xfff
    ldr x5, =PAGE | (1 << 53)
    orr x3, x4, x5
    str x3, [x2, #48]
    mov x5, #PAGE
    orr x3, x4, x5
    str x3, [x2, #56]
    dsb ish
    ldr x3, =0x44ff                 /* MAIR attr 0: normal write-back, 1: non-cacheable */
    msr mair_el1, x3
    ldr x3, =TCR | TBI0
    msr tcr_el1, x3
    msr ttbr0_el1, x0
    isb
    mrs x3, sctlr_el1
    orr x3, x3, #1
    msr sctlr_el1, x3
    isb

    /* ---- TBI0 ---- */
    ldr x9, =VA
    ldr x10, =TVA
    ldr x1, [x10]
    CHECK 1, x1, 0x1111111111111111
    ldr x3, =0x4444444444444444
    str x3, [x10, #8]
    ldr x1, [x9, #8]
    CHECK 2, x1, 0x4444444444444444
    EXPECT_EXCP
    ldr x1, [x10, #0x2010]
    DABT 3, 0x96000007, TVA + 0x2010    /* FAR keeps the tag */
    EXPECT_EXCP
    ldr x1, [x10, #0x1000]
    DABT 5, 0x9600000b, TVA + 0x1000
    /* remap VA to page_b (with AF), TLBI by the untagged VA: the tagged
       pointer (just used, untagged VA not since) sees the new page */
    ldr x1, [x10]
    CHECK 6, x1, 0x1111111111111111
    adr x2, l3
    adr x6, page_b
    mov x5, #PAGE
    orr x3, x6, x5
    str x3, [x2]
    dsb ishst
    lsr x5, x9, #12
    tlbi vae1, x5
    dsb ish
    isb
    ldr x1, [x10]
    CHECK 7, x1, 0x2222222222222222
    adr x4, page_a
    mov x5, #PAGE
    orr x3, x4, x5
    str x3, [x2]
    dsb ishst
    lsr x5, x9, #12
    tlbi vae1, x5
    dsb ish
    isb
    ldr x1, [x10]
    CHECK 8, x1, 0x1111111111111111
    /* branches clear the tag (BLR, ERET): adr sees the untagged pc */
    ldr x3, =0x5a00000000000000
    adr x13, retfn2
    orr x13, x13, x3
    blr x13
    ldr x3, =retfn2
    CHECKR 40, x2, x3
    ldr x3, =0x5a00000000000000
    adr x13, 4f
    orr x13, x13, x3
    msr elr_el1, x13
    mov x14, #0x3c5                 /* EL1h, DAIF masked */
    msr spsr_el1, x14
    eret
4:  adr x2, 4b
    ldr x3, =4b
    CHECKR 41, x2, x3

    /* without TBI0: a translation fault at level 0 */
    ldr x3, =TCR
    msr tcr_el1, x3
    isb
    tlbi vmalle1
    dsb ish
    isb
    EXPECT_EXCP
    ldr x1, [x10]
    DABT 9, 0x96000004, TVA
    /* ... and a branch keeps the tag: the fetch faults */
    ldr x3, =0x5a00000000000000
    adr x13, retfn2
    orr x13, x13, x3
    EXPECT_EXCP_RESUME 5f
    blr x13
    b bad
5:  LAST x1, last_esr
    CHECK 42, x1, 0x86000004
    LAST x1, last_far
    CHECKR 43, x1, x13
    LAST x1, last_elr
    CHECKR 44, x1, x13

    /* ---- AT ---- */
    adr x4, page_a
    ldr x5, =0xff00000000000b80     /* attr 0xff, RES1, NS, inner shareable */
    orr x5, x5, x4
    ATCHKR 11, s1e1r, x9, x5
    ATCHKR 12, s1e1w, x9, x5
    ATCHK 13, s1e0r, x9, 0x81f      /* F, permission level 3 */
    add x11, x9, #0x3000            /* EL0 read/write */
    ATCHKR 14, s1e0w, x11, x5
    add x11, x9, #0x4000            /* read-only */
    ATCHKR 15, s1e1r, x11, x5
    ATCHK 16, s1e1w, x11, 0x81f
    /* non-cacheable: the Arm ARM has SH report outer shareable (0b10);
       QEMU 7.2 reports the descriptor's, so SH is left out here */
    add x11, x9, #0x5000
    ldr x5, =0x4400000000000a00
    orr x5, x5, x4
    at s1e1r, x11
    isb
    mrs x1, par_el1
    bic x1, x1, #0x180
    CHECKR 17, x1, x5
    add x11, x9, #0x1000
    ATCHK 18, s1e1r, x11, 0x817     /* access flag, level 3 */
    add x11, x9, #0x2000
    ATCHK 19, s1e0w, x11, 0x80f     /* translation, level 3 */
    ldr x11, =0xc0000000 + 0x200000
    ATCHK 20, s1e1r, x11, 0x80d     /* translation, level 2 */
    ATCHK 21, s1e1r, x10, 0x809     /* tagged, no TBI0: level 0 */
    LAST x1, excp_count
    CHECK 22, x1, 4

    /* ---- table attributes ---- */
    ldr x11, =0xc0000000            /* l2b[0]: 0x40200000 */
    adr x12, page_a
    and x12, x12, #0x1fffff
    add x12, x12, x11               /* page_a through l2b */
    ldr x1, [x12]
    CHECK 23, x1, 0x1111111111111111
    EXPECT_EXCP
    str x1, [x12]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 24, x1, 0x9600004e        /* APTable: permission, level 2, WnR */
    adr x13, retfn
    and x13, x13, #0x1fffff
    add x13, x13, x11               /* retfn through l2b */
    EXPECT_EXCP_RESUME 1f
    blr x13
    b bad
1:  LAST x1, last_esr
    CHECK 25, x1, 0x8600000e        /* PXNTable: permission, level 2 */
    ldr x3, =TCR | HPD0
    msr tcr_el1, x3
    isb
    tlbi vmalle1
    dsb ish
    isb
    ldr x3, =0x5555555555555555
    str x3, [x12]
    ldr x1, [x12]
    CHECK 26, x1, 0x5555555555555555
    mov x1, #0
    blr x13                         /* HPD0: PXNTable ignored */
    CHECK 27, x1, 0x77
    ldr x3, =0x1111111111111111
    str x3, [x12]

    /* ---- PXN ---- */
    adr x13, retfn
    and x13, x13, #0xfff
    add x14, x9, #0x6000
    add x14, x14, x13               /* retfn, PXN */
    add x15, x9, #0x7000
    add x15, x15, x13               /* retfn, executable */
    mov x1, #0
    blr x15
    CHECK 28, x1, 0x77
    EXPECT_EXCP_RESUME 2f
    blr x14
    b bad
2:  LAST x1, last_esr
    CHECK 29, x1, 0x8600000f        /* PXN: permission, level 3 */
    LAST x1, last_far
    CHECKR 30, x1, x14
    LAST x1, excp_count
    CHECK 32, x1, 7

    /* ---- the MMU off: AT gives the identity, Device-nGnRnE ---- */
    mrs x3, sctlr_el1
    bic x3, x3, #1
    msr sctlr_el1, x3
    isb
    at s1e1r, x9
    isb
    mrs x1, par_el1
    bic x1, x1, #0x180              /* SH: 0b10 for Device, QEMU 7.2 says 0b00 */
    CHECK 33, x1, 0x80000a00
    /* bits above the PA size: an address size fault at level 0, unless
       TBI makes them a tag */
    adr x4, page_a
    ldr x3, =0x0100000000000000
    orr x10, x4, x3
    EXPECT_EXCP
    ldr x1, [x10]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 34, x1, 0x96000000
    LAST x1, last_far
    CHECKR 35, x1, x10
    ATCHK 36, s1e1r, x10, 0x801
    ldr x3, =TCR | TBI0
    msr tcr_el1, x3
    isb
    ldr x1, [x10]
    CHECK 37, x1, 0x1111111111111111
    LAST x1, excp_count
    CHECK 38, x1, 8
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
bad:
    mov x0, #99
    b test_fail

    .balign 4096
retfn:
    mov x1, #0x77
    ret
retfn2:
    adr x2, retfn2
    ret
    .ltorg

    .data
    .balign 4096
l1: .fill 512, 8, 0
l2: .fill 512, 8, 0
l2b: .fill 512, 8, 0
l3: .fill 512, 8, 0
page_a: .rept 512
    .quad 0x1111111111111111
    .endr
page_b: .rept 512
    .quad 0x2222222222222222
    .endr
    .global test_name
test_name: .asciz "a64_tbi"
