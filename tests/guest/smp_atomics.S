/*
 * smp_atomics.S - atomicity across 4 harts running at the same time.
 * Run with -smp 4 (under loom: also with thread=multi, where the harts
 * really run in parallel on host threads).
 *
 * Each hart performs ITERS rounds of:
 *   - amoadd.w 1 on cnt_amow;
 *   - amoadd.d 0x100000001 on cnt_amod (a carry-free 64-bit add: both
 *     halves must count, so a torn 32-bit update shows up);
 *   - an lr.w/sc.w retry loop incrementing cnt_lrsc (an sc must fail if
 *     another hart wrote the location after our lr: otherwise
 *     increments get lost);
 *   - a spinlock (amoswap.w.aq to take, amoswap.w.rl to release)
 *     around a plain ld/addi/sd increment of cnt_lock;
 *   - amomaxu.d of (h << 32 | i) on max_val.
 * then amoadd.w.aqrl 1 on 'done'.  Hart 0 waits (bounded) for done == 4
 * and checks:
 *   cnt_amow = 4 * ITERS, cnt_amod = 4 * ITERS * 0x100000001,
 *   cnt_lrsc = 4 * ITERS, cnt_lock = 4 * ITERS,
 *   max_val = (3 << 32) | (ITERS - 1), lock released (0).
 * Failure exit code = check number (254: timeout).
 */
#define NHARTS  4                   /* before testmacros.h: its OVERLAP_* use it */
#include "testmacros.h"
#define ITERS   100000

TEST_BEGIN NHARTS
    mv   s0, a0
    la   s1, cnt_amow
    la   s2, cnt_amod
    la   s3, cnt_lrsc
    la   s4, cnt_lock
    la   s5, lock
    la   s6, max_val
    li   s7, 0                      /* i */
    li   s8, ITERS
    li   s9, 0x100000001
    slli s10, s0, 32                /* h << 32 */
    START_GATE NHARTS

1:  OVERLAP_TICK
    li   t0, 1
    amoadd.w x0, t0, (s1)
    amoadd.d x0, s9, (s2)

2:  lr.w t0, (s3)                   /* lr/sc increment */
    addi t0, t0, 1
    sc.w t1, t0, (s3)
    bnez t1, 2b

    li   t0, 1                      /* spinlock */
3:  amoswap.w.aq t1, t0, (s5)
    bnez t1, 3b
    ld   t2, 0(s4)
    addi t2, t2, 1
    sd   t2, 0(s4)
    amoswap.w.rl x0, x0, (s5)

    or   t0, s10, s7                /* (h << 32) | i */
    amomaxu.d x0, t0, (s6)

    addi s7, s7, 1
    bne  s7, s8, 1b

    li   t0, 1
    la   t1, done
    amoadd.w.aqrl x0, t0, (t1)
    bnez s0, park

    /* ---- hart 0: wait for all, then check ---- */
    SPIN_START s11
    la   s3, done
4:  lw   t0, 0(s3)
    li   t1, NHARTS
    beq  t0, t1, 5f
    SPIN_CHECK s11
    j    4b
5:  fence rw, rw

    CHECK_MEMW cnt_amow, NHARTS * ITERS, 1
    CHECK_MEMD cnt_amod, NHARTS * ITERS * 0x100000001, 2
    CHECK_MEMW cnt_lrsc, NHARTS * ITERS, 3
    CHECK_MEMD cnt_lock, NHARTS * ITERS, 4
    CHECK_MEMD max_val, ((NHARTS - 1) << 32) | (ITERS - 1), 5
    CHECK_MEMW lock, 0, 6
    CHECK_MEMW done, NHARTS, 7
    OVERLAP_REPORT
    PASS
TEST_END

    /* every variable in its own 64-byte line */
    .bss
    .balign 64
cnt_amow:   .word 0
    .balign 64
cnt_amod:   .dword 0
    .balign 64
cnt_lrsc:   .word 0
    .balign 64
cnt_lock:   .dword 0
    .balign 64
lock:       .word 0
    .balign 64
max_val:    .dword 0
    .balign 64
done:       .word 0
    .balign 64

    OVERLAP_DATA
