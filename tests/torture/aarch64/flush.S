/*
 * flush.S - atomic counters stay exact while the code buffer is flushed
 * again and again: the A64 form of ../flush.S.  Run with -smp 4 -accel
 * tcg,tb-size=1 (the smallest buffer loom accepts, 1 MiB); the runner
 * checks with -d jit that full flushes really happened.
 *
 * Each vCPU also runs through big_block: BIG straight-line groups of
 * (STR x5; LDR x5; ADD x5, x5, #1), 96 KiB of guest code whose host
 * code is more than a whole 1 MiB buffer on either back-end, so every
 * sweep fills the vCPU's code region and triggers a full flush as safe
 * work while the other vCPUs are in their atomic loops.
 *
 * vCPU h does ROUNDS rounds of: K x (LDADDAL 1 on cnt_add, LDADD (W) 1
 * on cnt_w, an LDAXR/STLXR increment of cnt_excl, a CASAL increment of
 * cnt_cas), then one sweep of big_block, which counts its additions in
 * x5: ROUNDS * BIG at the end (the code ran whole, whatever was
 * retranslated).  vCPU 0 waits for all and checks the four counters
 * (4 * ROUNDS * K) and each vCPU's x5.
 *
 * TORTURE_BREAK: the LDADDAL on cnt_add becomes LDR/ADD/STR (check 1
 * fails when the vCPUs run in parallel).
 */
#include "torture-a64.h"

#ifndef ROUNDS
#define ROUNDS  16
#endif
#define K       4000
#define BIG     8192

    .text
    .global test_main
test_main:
    str  x30, [sp, #-16]!           /* back to common.S at the end */
    CPU_SETUP
    START_SECONDARIES
    b    worker

    .global secondary_main
secondary_main:
    CPU_SETUP

worker:
    adr  x19, cnt_add
    adr  x20, cnt_w
    adr  x21, cnt_excl
    adr  x22, cnt_cas
    mov  x23, #0                    /* round */
    mov  x5, #0                     /* big_block's sum */
    mov  x10, #1
    START_GATE

1:  mov  x24, #K
2:  OVERLAP_TICK
#ifndef TORTURE_BREAK
    ldaddal x10, xzr, [x19]
#else
    ldr  x0, [x19]
    add  x0, x0, #1
    str  x0, [x19]
#endif
    ldadd w10, wzr, [x20]
3:  ldaxr x0, [x21]
    add  x0, x0, #1
    stlxr w1, x0, [x21]
    cbnz w1, 3b
    ldr  x2, [x22]
4:  add  x3, x2, #1
    mov  x0, x2
    casal x0, x3, [x22]
    cmp  x0, x2
    mov  x2, x0
    b.ne 4b
    subs x24, x24, #1
    b.ne 2b

    bl   big_block
    add  x23, x23, #1
    cmp  x23, #ROUNDS
    b.ne 1b

    adr  x0, sums
    str  x5, [x0, x28, lsl #3]
    ARRIVE done
    cbz  x28, 6f
5:  wfi                             /* secondaries: done */
    b    5b

    /* ---- vCPU 0: wait for all, then check ---- */
6:  WAIT_GE done, NCPUS
    CHECK_MEM 1, cnt_add, NCPUS * ROUNDS * K
    adr  x0, cnt_w
    ldr  w1, [x0]
    CHECK 2, x1, NCPUS * ROUNDS * K
    CHECK_MEM 3, cnt_excl, NCPUS * ROUNDS * K
    CHECK_MEM 4, cnt_cas, NCPUS * ROUNDS * K
    CHECK_MEM 5, sums + 0, ROUNDS * BIG
    CHECK_MEM 6, sums + 8, ROUNDS * BIG
    CHECK_MEM 7, sums + 16, ROUNDS * BIG
    CHECK_MEM 8, sums + 24, ROUNDS * BIG
    OVERLAP_REPORT
    mov  x0, #0
    ldr  x30, [sp], #16
    ret
    .ltorg

    .balign 4096
big_block:
    .rept BIG
    str  x5, [sp, #-16]             /* memory accesses: more host code */
    ldr  x5, [sp, #-16]
    add  x5, x5, #1
    .endr
    ret

    .bss
    .balign 64
cnt_add:    .quad 0
    .balign 64
cnt_w:      .word 0
    .balign 64
cnt_excl:   .quad 0
    .balign 64
cnt_cas:    .quad 0
    .balign 64
done:       .quad 0
    .balign 64
sums:       .fill NCPUS, 8, 0

    TORTURE_DATA "flush"
