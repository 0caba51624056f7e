/*
 * torture.h - shared definitions for loom's MTTCG torture tests.
 *
 * The torture tests are guest tests (tests/guest/README.md): bare-metal
 * RV64 programs linked with tests/guest/common.S and link.ld, using the
 * CHECK macros of tests/guest/testmacros.h, exit status = failing check.
 * What they add: several harts hammering shared state at once, and
 * waits long enough for slow builds (ThreadSanitizer).
 *
 * Build hook: -DTORTURE_BREAK replaces, in each test, the one operation
 * that makes it correct by a broken one (a plain load/add/store for an
 * AMO, a missing lock, stores in the wrong order...), to show that the
 * test can fail (tests/torture/README.md says what happened here).
 */
#ifndef LOOM_TORTURE_H
#define LOOM_TORTURE_H

/* before testmacros.h: its OVERLAP_* macros use it */
#ifndef NHARTS                  /* -DNHARTS=N: bench builds (docs/performance.md) */
#define NHARTS          4
#endif

#include "testmacros.h"

/* Bound of every wait for other harts, in seconds of mtime: generous,
 * since a ThreadSanitizer build runs the guest 10-20 times slower.  The
 * runner's own timeout is the real limit; this one names the check. */
#define TORTURE_WAIT_S  100

#ifdef __ASSEMBLER__

/* reg = address of sym + off (AMOs take no offset). */
.macro LA_OFF reg, sym, off
    la   \reg, \sym
    addi \reg, \reg, \off
.endm

/* Add 1 to the 64-bit counter at sym (a violation count). Clobbers t3, t4. */
.macro BUMP sym
    la   t4, \sym
    li   t3, 1
    amoadd.d x0, t3, (t4)
.endm

/* Remember the start of a bounded wait in reg. */
.macro WAIT_START reg
    csrr \reg, time
.endm

/* Fail with FAIL_TIMEOUT (254) once secs (TORTURE_WAIT_S) passed since
 * WAIT_START reg.  Clobbers t5, t6. */
.macro WAIT_CHECK reg, secs=TORTURE_WAIT_S
    csrr t6, time
    sub  t6, t6, \reg
    li   t5, (\secs) * MTIME_HZ
    bltu t6, t5, .Lwait_ok\@
    li   a0, FAIL_TIMEOUT
    mv   a1, t6
    mv   a2, t5
    j    test_fail
.Lwait_ok\@:
.endm

/* Spin (bounded) until the 32-bit word at sym is >= n; then every store
 * the other harts made before their release (amoadd .aqrl) is visible.
 * Clobbers t0, t1, t2, t5, t6. */
.macro WAIT_WORD_GE sym, n, secs=TORTURE_WAIT_S
    WAIT_START t2
    la   t1, \sym
.Lwait_loop\@:
    lw   t0, 0(t1)
    li   t5, \n
    bge  t0, t5, .Lwait_done\@
    WAIT_CHECK t2, \secs
    j    .Lwait_loop\@
.Lwait_done\@:
    fence r, rw                     /* acquire: the flag before the data */
.endm

/* This hart is done: add 1 to the 32-bit word at sym with release
 * semantics (all its earlier stores and AMOs are visible first).
 * Clobbers t0, t1. */
.macro ARRIVE sym
    la   t1, \sym
    li   t0, 1
    amoadd.w.aqrl x0, t0, (t1)
.endm

/* START_GATE, OVERLAP_TICK, OVERLAP_REPORT and OVERLAP_DATA: see
 * tests/guest/testmacros.h (the multi-hart guest tests use them too). */

#endif /* __ASSEMBLER__ */
#endif /* LOOM_TORTURE_H */
