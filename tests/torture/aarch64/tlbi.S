/*
 * tlbi.S - broadcast TLB invalidation while the other vCPUs run: vCPU 0
 * remaps pages that vCPUs 1..3 keep reading and writing through their
 * TLBs.  Run with -smp 4.
 *
 * Stage 1, 4 KiB granule, 39-bit VAs (as tests/guest/aarch64-isa/
 * a64_mmu.S), one set of tables for all vCPUs, ASID 5 in TTBR0_EL1: RAM
 * (code, data, stacks, the tables, the frames) is a 1 GiB identity
 * block; VA page j = 0x80000000 + j * 4K (j < NPAGES) is a non-global
 * 4 KiB page mapped to one of NPAGES + 1 frames.  Word 0 of frame k
 * holds its tag FRAME_TAG(k); word 1 + h is vCPU h's slot.
 *
 * Writer (vCPU 0), for round r = 1..ROUNDS, a sequence lock on 'gen':
 *   gen = 2r - 1 (odd: changing), DMB ISH;
 *   page j = r % NPAGES moves to the spare frame (its old frame becomes
 *   the spare): the level 3 entry, then map[j]; DSB ISHST;
 *   TLBI by the form r % 5 picks: VAE1IS, VALE1IS, VAAE1IS, ASIDE1IS,
 *   VMALLE1IS; DSB ISH; ISB;
 *   reads every page itself: each must show its frame's tag (check 11);
 *   STLR gen = 2r; waits until every reader checked a sample of round
 *   r (seen[h] = 2r), so that under thread=single too every round
 *   meets TLB entries the readers filled in the round before.
 * Reader (vCPUs 1..3), sample after sample until it checked one of the
 * last generation:
 *   g1 = gen (LDAR), skipped if odd; for each page j: e = map[j], the
 *   word read at VA j must be FRAME_TAG(e) (else a stale read: a TLB
 *   entry the TLBI should have removed); store g1 << 8 | h to its slot
 *   through VA j and read the slot back through frame e's physical
 *   (identity) address: it must be that value (else a stale write: the
 *   store went to the old frame); DMB ISH; g2 = gen.
 *   g1 != g2: the sample overlapped a change and is not counted (old
 *   and new mappings are both allowed until the TLBI completes);
 *   g1 == g2: every mismatch counts, and seen[h] = g1.  A mapping cached before round r's
 *   TLBI is from round r - 1 or older, so a stable sample that sees
 *   one caught a TLBI that did not reach this vCPU in time.
 * The readers keep their TLB entries hot: they read every page on every
 * sample, also while the writer changes them.
 *
 * Failure codes: 1..3 stale reads and 4..6 stale writes seen by vCPUs
 * 1..3; 7..9 a reader never checked a sample of the last generation;
 * 10 the final gen; 11 the writer read a stale mapping after its own
 * TLBI.
 *
 * TORTURE_BREAK=1: no TLBI at all (the writer's own check 11 fails).
 * TORTURE_BREAK=2: the non-shareable forms (VAE1, VALE1, VAAE1, ASIDE1,
 * VMALLE1): only the writer's TLB is invalidated, the readers keep
 * stale entries (checks 1..6).
 */
#include "torture-a64.h"

#ifndef ROUNDS
#define ROUNDS  60
#endif

#define NPAGES      4
#define NFRAMES     (NPAGES + 1)
#define VA_BASE     0x80000000
#define ASID        5
#define DESC_BLOCK  0x701           /* block, AF, inner shareable, AttrIndx 0 */
#define DESC_PAGE   0xf03           /* page, nG, AF, inner shareable, AttrIndx 0 */
#define FRAME_TAG(k) (0x700 + (k))

#if !defined(TORTURE_BREAK)
#define TLBI_OP(op, ...)    tlbi op##is, ##__VA_ARGS__
#elif TORTURE_BREAK == 1
#define TLBI_OP(op, ...)    nop
#else
#define TLBI_OP(op, ...)    tlbi op, ##__VA_ARGS__
#endif

/* This vCPU: MMU on with the shared tables (built by vCPU 0).  Clobbers
 * x0, x1. */
.macro MMU_ON
    ldr  x0, =0xff                  /* MAIR attr 0: normal write-back */
    msr  mair_el1, x0
    ldr  x0, =0x500803519           /* T0SZ 25, WB, inner shareable, EPD1, IPS 48 bits */
    msr  tcr_el1, x0
    adr  x0, l1
    mov  x1, #ASID
    orr  x0, x0, x1, lsl #48
    msr  ttbr0_el1, x0
    isb
    mrs  x0, sctlr_el1
    orr  x0, x0, #1
    msr  sctlr_el1, x0
    isb
.endm

    .text
    .global test_main
test_main:
    str  x30, [sp, #-16]!           /* back to common.S at the end */
    CPU_SETUP
    /* the tables: l1[1] the RAM block, l1[2] -> l2 -> l3 */
    adr  x0, l1
    adr  x1, l2
    adr  x2, l3
    ldr  x3, =0x40000000 | DESC_BLOCK
    str  x3, [x0, #8]
    orr  x3, x1, #3
    str  x3, [x0, #16]
    orr  x3, x2, #3
    str  x3, [x1]
    /* frame k: its tag; page j -> frame j, frame NPAGES is the spare */
    adr  x4, frames
    mov  x5, #0
1:  add  x6, x4, x5, lsl #12
    mov  x7, #FRAME_TAG(0)
    add  x7, x7, x5
    str  x7, [x6]
    cmp  x5, #NPAGES
    b.eq 2f
    mov  x7, #DESC_PAGE
    orr  x7, x6, x7
    str  x7, [x2, x5, lsl #3]
    adr  x7, map
    str  x5, [x7, x5, lsl #3]
    add  x5, x5, #1
    b    1b
2:  dsb  ish
    MMU_ON
    START_SECONDARIES
    b    worker

    .global secondary_main
secondary_main:
    CPU_SETUP
    MMU_ON

worker:
    adr  x19, gen
    ldr  x20, =VA_BASE
    adr  x21, map
    adr  x22, frames
    START_GATE
    cbnz x28, reader

    /* ---- writer: vCPU 0 ---- */
    mov  x23, #1                    /* r */
    mov  x24, #NPAGES               /* the spare frame */
    adr  x25, l3
    adr  x27, seen
writer_loop:
    OVERLAP_TICK
    lsl  x26, x23, #1               /* 2r */
    sub  x0, x26, #1
    str  x0, [x19]                  /* odd: changing */
    dmb  ish                        /* the odd value before the change */
    and  x1, x23, #NPAGES - 1       /* j */
    ldr  x2, [x21, x1, lsl #3]      /* its frame now */
    add  x3, x22, x24, lsl #12      /* the spare's address */
    mov  x4, #DESC_PAGE
    orr  x3, x3, x4
    str  x3, [x25, x1, lsl #3]      /* page j -> the spare */
    str  x24, [x21, x1, lsl #3]
    mov  x24, x2                    /* the old frame is the spare now */
    dsb  ishst                      /* the entry before the TLBI */
    /* x5 = VA[55:12] of page j with the ASID, x6 = the ASID alone */
    add  x5, x20, x1, lsl #12
    lsr  x5, x5, #12
    mov  x7, #ASID
    lsl  x6, x7, #48
    orr  x7, x5, x6
    mov  x0, #5
    udiv x8, x23, x0
    msub x8, x8, x0, x23            /* r % 5 */
    adr  x9, tlbi_forms
    add  x9, x9, x8, lsl #3
    br   x9
tlbi_forms:                         /* two instructions each */
    TLBI_OP(vae1, x7)
    b    3f
    TLBI_OP(vale1, x7)
    b    3f
    TLBI_OP(vaae1, x5)
    b    3f
    TLBI_OP(aside1, x6)
    b    3f
    TLBI_OP(vmalle1)
    b    3f
3:  dsb  ish                        /* the TLBI completes everywhere */
    isb
    /* the writer's own reads see the new mapping */
    mov  x1, #0
4:  add  x2, x20, x1, lsl #12
    ldr  x2, [x2]
    ldr  x3, [x21, x1, lsl #3]
    add  x3, x3, #FRAME_TAG(0)
    cmp  x2, x3
    mov  x0, #11
    b.ne test_fail
    add  x1, x1, #1
    cmp  x1, #NPAGES
    b.ne 4b
    stlr x26, [x19]                 /* even: round r done */
    /* wait until every reader checked a sample of round r: under
       thread=single too, each round meets TLB entries the readers
       filled in the round before */
    WAIT_START x13
11: mov  x1, #1
12: ldr  x2, [x27, x1, lsl #3]
    cmp  x2, x26
    b.hs 13f
    WAIT_CHECK x13
    b    11b
13: add  x1, x1, #1
    cmp  x1, #NCPUS
    b.ne 12b
    add  x23, x23, #1
    ldr  x0, =ROUNDS
    cmp  x23, x0
    b.ls writer_loop
    b    finish

    /* ---- readers: vCPUs 1..3 ---- */
reader:
    mov  x23, #0                    /* stale reads */
    mov  x24, #0                    /* stale writes */
    mov  x25, #0                    /* samples checked */
    mov  x26, #0                    /* samples overlapping a change */
    WAIT_START x27
5:  OVERLAP_TICK
    WAIT_CHECK x27
    ldar x9, [x19]                  /* g1 */
    mov  x10, #0                    /* this sample's stale reads */
    mov  x11, #0                    /* and stale writes */
    orr  x8, x28, x9, lsl #8        /* g1 << 8 | h: the slot's value */
    mov  x1, #0                     /* j */
6:  add  x2, x20, x1, lsl #12       /* VA j */
    ldr  x3, [x21, x1, lsl #3]      /* e = map[j] */
    ldr  x4, [x2]
    add  x5, x3, #FRAME_TAG(0)
    cmp  x4, x5
    cinc x10, x10, ne
    add  x6, x28, #1
    str  x8, [x2, x6, lsl #3]       /* the slot, through VA j */
    add  x7, x22, x3, lsl #12       /* frame e, physical */
    ldr  x4, [x7, x6, lsl #3]
    cmp  x4, x8
    cinc x11, x11, ne
    add  x1, x1, #1
    cmp  x1, #NPAGES
    b.ne 6b
    dmb  ish                        /* the sample before the load of g2 */
    ldr  x0, [x19]                  /* g2 */
    tbnz x9, #0, 5b                 /* odd g1: a change was under way */
    cmp  x0, x9
    b.eq 7f
    add  x26, x26, #1
    b    5b
7:  add  x25, x25, #1
    add  x23, x23, x10
    add  x24, x24, x11
    adr  x0, seen
    str  x9, [x0, x28, lsl #3]      /* this generation is checked */
    ldr  x0, =2 * ROUNDS
    cmp  x9, x0
    b.ne 5b

    /* viol[h] = (stale reads, stale writes), stats[h] = (checked,
     * overlapped) */
    adr  x0, viol
    add  x0, x0, x28, lsl #4
    stp  x23, x24, [x0]
    adr  x0, stats
    add  x0, x0, x28, lsl #4
    stp  x25, x26, [x0]

finish:
    ARRIVE done
    cbz  x28, 9f
8:  wfi                             /* secondaries: done */
    b    8b

    /* ---- vCPU 0: wait for all, then check ---- */
9:  WAIT_GE done, NCPUS
    adr  x20, stats + 16
    mov  x21, #1
10: ldp  x22, x23, [x20], #16
    PRINT_NUM "tlbi: reader samples checked ", x22
    PRINT_NUM "tlbi: reader samples overlapping a change ", x23
    add  x21, x21, #1
    cmp  x21, #NCPUS
    b.ne 10b
    CHECK_MEM 1, viol + 16, 0       /* vCPU 1: stale reads */
    CHECK_MEM 2, viol + 32, 0       /* vCPU 2 */
    CHECK_MEM 3, viol + 48, 0       /* vCPU 3 */
    CHECK_MEM 4, viol + 24, 0       /* vCPU 1: stale writes */
    CHECK_MEM 5, viol + 40, 0
    CHECK_MEM 6, viol + 56, 0
    CHECK_MEM 7, seen + 8, 2 * ROUNDS
    CHECK_MEM 8, seen + 16, 2 * ROUNDS
    CHECK_MEM 9, seen + 24, 2 * ROUNDS
    CHECK_MEM 10, gen, 2 * ROUNDS
    OVERLAP_REPORT
    mov  x0, #0
    ldr  x30, [sp], #16
    ret
    .ltorg

    .bss
    .balign 4096
l1:         .space 4096
l2:         .space 4096
l3:         .space 4096
frames:     .space 4096 * NFRAMES
    .balign 64
gen:        .quad 0
    .balign 64
map:        .fill NPAGES, 8, 0
    .balign 64
done:       .quad 0
    .balign 64
viol:       .fill 2 * NCPUS, 8, 0
stats:      .fill 2 * NCPUS, 8, 0
    .balign 64
seen:       .fill NCPUS, 8, 0

    TORTURE_DATA "tlbi"
