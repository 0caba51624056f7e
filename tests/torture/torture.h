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

#include "testmacros.h"

#ifndef NHARTS                  /* -DNHARTS=N: bench builds (docs/performance.md) */
#define NHARTS          4
#endif

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

/* Print "str<decimal value of reg>\n" on the console: how much
 * concurrency a run really had, for the runner's log.  reg must not be
 * a0 or t0-t4 (the UART helpers clobber them). */
.macro PRINT_NUM str, reg
    .pushsection .rodata
.Lpn_str\@: .asciz "\str"
    .popsection
    la   a0, .Lpn_str\@
    call uart_puts
    mv   a0, \reg
    call uart_putdec
    li   a0, '\n'
    call uart_putc
.endm

/*
 * Overlap: do the harts really run at the same time?  Each hart keeps a
 * record (overlap_rec, one 64-byte line per hart): its progress (ticks so
 * far), the sum of the other harts' progress it saw at its last tick,
 * and how many of its ticks saw that sum change since the tick before.
 * Harts that run in parallel see the others move between most of their
 * own consecutive ticks; harts that take turns (thread=single, or a
 * build that serialises translated code) see it only when they were
 * switched out between two ticks, a few times per time slice.  Hart 0
 * prints "overlap: <ticks that saw others move> of <ticks>" at the end,
 * and the runner asserts a share of it under thread=multi on a host with
 * two or more CPUs (run-torture.sh).
 */
#define OVR_PROGRESS    0
#define OVR_SEEN        8
#define OVR_MOVED       16

/* START_GATE NHARTS (testmacros.h) starts the work on every hart
 * together; its word start_gate is defined by OVERLAP_DATA. */

/* One tick of this hart's work (see above).  Clobbers t3, t4, t5, t6. */
.macro OVERLAP_TICK
    csrr t3, mhartid
    slli t3, t3, 6
    la   t4, overlap_rec
    add  t3, t3, t4                 /* this hart's record */
    ld   t5, OVR_PROGRESS(t3)
    addi t5, t5, 1
    sd   t5, OVR_PROGRESS(t3)
    neg  t5, t5                     /* the others' sum = all - mine */
    .set .Lovr_k, 0
    .rept NHARTS
    ld   t6, (.Lovr_k * 64 + OVR_PROGRESS)(t4)
    add  t5, t5, t6
    .set .Lovr_k, .Lovr_k + 1
    .endr
    ld   t6, OVR_SEEN(t3)
    sd   t5, OVR_SEEN(t3)
    beq  t5, t6, .Lovr_same\@
    ld   t6, OVR_MOVED(t3)
    addi t6, t6, 1
    sd   t6, OVR_MOVED(t3)
.Lovr_same\@:
.endm

/* Hart 0, after every hart arrived: print "overlap: MOVED of TICKS",
 * summed over the harts.  Clobbers t0-t6, a0 and s11. */
.macro OVERLAP_REPORT
    la   t4, overlap_rec
    li   s11, 0
    li   t3, 0
    .set .Lovr_k, 0
    .rept NHARTS
    ld   t6, (.Lovr_k * 64 + OVR_MOVED)(t4)
    add  s11, s11, t6
    ld   t6, (.Lovr_k * 64 + OVR_PROGRESS)(t4)
    add  t3, t3, t6
    .set .Lovr_k, .Lovr_k + 1
    .endr
    .pushsection .bss
    .balign 8
.Lovr_ticks\@: .dword 0
    .popsection
    la   t4, .Lovr_ticks\@
    sd   t3, 0(t4)
    PRINT_NUM "overlap: ", s11
    la   t4, .Lovr_ticks\@
    ld   s11, 0(t4)
    PRINT_NUM "overlap ticks: ", s11
.endm

/* The gate word and the records: once in each test that uses them. */
.macro OVERLAP_DATA
    .pushsection .bss
    .balign 64
start_gate:     .word 0
    .balign 64
overlap_rec:    .space 64 * NHARTS
    .popsection
.endm

#endif /* __ASSEMBLER__ */
#endif /* LOOM_TORTURE_H */
