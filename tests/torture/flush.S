/*
 * flush.S - atomic counters stay exact while the code buffer is flushed
 * again and again.  Run with -smp 4 -accel tcg,tb-size=1 (the smallest
 * buffer loom accepts, 1 MiB); the runner checks with -d jit that full
 * flushes really happened.
 *
 * A test this small never fills even 1 MiB of host code, so each hart
 * also runs through big_block: BIG distinct straight-line groups of
 * (sd a5; ld a5; addi a5, a5, 1), 96 KiB of guest code, which
 * translates to more host code than a whole 1 MiB buffer on either
 * back-end (the accesses' inline TLB checks are big; -d jit shows the
 * bytes per instruction).  Every
 * sweep therefore fills the hart's code region, which triggers a full
 * flush as safe work: all vCPUs leave translated code, the buffer is
 * reset, and every hart, in the middle of its AMO or LR/SC loop,
 * translates again.
 *
 * Hart h does ROUNDS rounds of: K x (amoadd.d 1 on cnt_d, amoadd.w 1 on
 * cnt_w, an lr.d/sc.d increment of cnt_lrsc), then one sweep of
 * big_block.  It counts its sweeps' additions in a5, which must end at
 * ROUNDS * BIG (the code ran whole, whatever was retranslated).
 * Hart 0 waits for all and checks cnt_d, cnt_w and cnt_lrsc are
 * 4 * ROUNDS * K, and each hart's a5 total.
 *
 * TORTURE_BREAK: amoadd.d on cnt_d becomes ld/addi/sd (check 1 fails
 * when the harts run in parallel).
 */
#include "torture.h"

#ifndef ROUNDS
#define ROUNDS  16
#endif
#define K       4000
#define BIG     8192

TEST_BEGIN NHARTS
    mv   s0, a0
    la   s1, cnt_d
    la   s2, cnt_w
    la   s3, cnt_lrsc
    li   s4, 0                      /* round */
    li   s5, ROUNDS
    li   a5, 0                      /* big_block's sum */
    li   s7, 1
    START_GATE NHARTS

1:  li   s6, K
2:  OVERLAP_TICK
#ifndef TORTURE_BREAK
    amoadd.d x0, s7, (s1)
#else
    ld   t0, 0(s1)
    addi t0, t0, 1
    sd   t0, 0(s1)
#endif
    amoadd.w x0, s7, (s2)
3:  lr.d t0, (s3)
    addi t0, t0, 1
    sc.d t1, t0, (s3)
    bnez t1, 3b
    addi s6, s6, -1
    bnez s6, 2b

    call big_block
    addi s4, s4, 1
    bne  s4, s5, 1b

    slli t0, s0, 3
    la   t1, sums
    add  t1, t1, t0
    sd   a5, 0(t1)
    ARRIVE done
    bnez s0, park

    /* ---- hart 0: wait for all, then check ---- */
    WAIT_WORD_GE done, NHARTS
    CHECK_MEMD cnt_d, NHARTS * ROUNDS * K, 1
    CHECK_MEMW cnt_w, NHARTS * ROUNDS * K, 2
    CHECK_MEMD cnt_lrsc, NHARTS * ROUNDS * K, 3
    CHECK_MEMD sums + 0, ROUNDS * BIG, 4
    CHECK_MEMD sums + 8, ROUNDS * BIG, 5
    CHECK_MEMD sums + 16, ROUNDS * BIG, 6
    CHECK_MEMD sums + 24, ROUNDS * BIG, 7
    OVERLAP_REPORT
    PASS
TEST_END

    .text
    .balign 4096
big_block:
    .rept BIG
    sd   a5, -8(sp)                 /* memory accesses: more host code */
    ld   a5, -8(sp)
    addi a5, a5, 1
    .endr
    ret

    .bss
    .balign 64
cnt_d:      .dword 0
    .balign 64
cnt_w:      .word 0
    .balign 64
cnt_lrsc:   .dword 0
    .balign 64
done:       .word 0
    .balign 64
sums:       .dword 0, 0, 0, 0

    OVERLAP_DATA
