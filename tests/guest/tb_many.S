/*
 * tb_many.S - thousands of distinct two-instruction blocks, run twice.
 *
 * Listed with a small code buffer (-accel tcg,tb-size=2), whose TB table
 * starts small: the translations grow the table several times while the
 * guest runs.  Growing waits for a grace period, which must happen with
 * no page lock held (core/tb.c; rcu_synchronize asserts it, so loom
 * aborts if an insert grows the table inside tb_page_link).
 *
 * Covers: every block runs exactly once per round (the count is exact),
 * through a table that grows under it.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

#define NBLOCKS 6000

TEST_BEGIN 1
    li   s0, 0
    li   s1, 2
1:  call blocks
    addi s1, s1, -1
    bnez s1, 1b
    CHECK s0, 2 * NBLOCKS, 1
    PASS
TEST_END

    /* each block: count, then jump to the next one (ends the block) */
blocks:
    .rept NBLOCKS
    addi s0, s0, 1
    j    9f
9:
    .endr
    ret
