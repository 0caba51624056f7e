/*
 * torture-a64.h - shared definitions for loom's AArch64 MTTCG torture
 * tests (tests/torture/README.md, "AArch64").
 *
 * Each test is one .S file linked with tests/guest/aarch64-isa/common.S
 * (start-up, vectors, PSCI secondaries, the semihosting pass/fail exits)
 * and lib.S (decimal printing), laid out by tests/guest/aarch64-isa/
 * link.ld, and run on tests/fixtures/machines/aarch64-bare.machine with
 * -semihosting -smp 4.  vCPU 0 runs test_main and starts the others with
 * START_SECONDARIES; they enter secondary_main.  The exit status is 0
 * and "<name>: ok" on pass, else the failing check's number (1..199),
 * 200 + n for an unexpected exception through vector entry n, 250 when
 * PSCI CPU_ON failed and 254 when a wait for the other vCPUs timed out.
 *
 * Registers: x28 holds this vCPU's index (0..NCPUS-1) everywhere in a
 * test (CPU_SETUP sets it; OVERLAP_TICK uses it, so no MRS runs in the
 * loops: on the interpreter's weak=on every helper call drains the
 * store buffer).  The macros clobber x12-x17 and the flags, nothing
 * else unless they say so.
 *
 * Build hooks, as on RISC-V (tests/torture/torture.h): -DTORTURE_BREAK
 * removes what makes a test correct, -DTORTURE_NOFENCE only its
 * barriers (the weak=on variants of run-weak-broken.sh).
 */
#ifndef LOOM_TORTURE_A64_H
#define LOOM_TORTURE_A64_H

#include "a64.h"

#ifndef NCPUS
#define NCPUS           4
#endif

#define PSCI_CPU_ON     0xc4000003
#define FAIL_PSCI       250
#define FAIL_TIMEOUT    254

/* Bound of every wait for other vCPUs, in seconds of CNTVCT: generous,
 * since a ThreadSanitizer build runs the guest 10-40 times slower; the
 * runner's timeout is the real limit, this one names the failure. */
#define TORTURE_WAIT_S  100
/* The start gate's bound: all vCPUs must be running within it. */
#define GATE_WAIT_S     10

/* Overlap records (see OVERLAP_TICK): one 64-byte line per vCPU */
#define OVR_PROGRESS    0
#define OVR_SEEN        8
#define OVR_MOVED       16

#ifdef __ASSEMBLER__

/* x28 = this vCPU's index (MPIDR_EL1.Aff0). */
.macro CPU_SETUP
    mrs  x28, mpidr_el1
    and  x28, x28, #0xff
.endm

/* vCPU 0: start vCPUs 1..NCPUS-1 at _start, each with its index as the
 * context (common.S passes it to secondary_main).  Fails with FAIL_PSCI.
 * Clobbers x0-x3, x12. */
.macro START_SECONDARIES
    dsb  ish                        /* what vCPU 0 set up, before they run */
    mov  x12, #1
.Lstart\@:
    mov  x1, x12
    adr  x2, _start
    mov  x3, x12
    ldr  x0, =PSCI_CPU_ON
    hvc  #0
    cbz  x0, .Lstarted\@
    mov  x0, #FAIL_PSCI
    b    test_fail
.Lstarted\@:
    add  x12, x12, #1
    cmp  x12, #NCPUS
    b.ne .Lstart\@
.endm

/* reg = the counter value secs seconds from now: the deadline of a
 * bounded wait.  Clobbers x16, x17. */
.macro WAIT_START reg, secs=TORTURE_WAIT_S
    mrs  x16, cntfrq_el0
    mov  x17, #(\secs)
    mul  x16, x16, x17
    mrs  x17, cntvct_el0
    add  \reg, x16, x17
.endm

/* Fail with FAIL_TIMEOUT once the counter passed the deadline reg
 * (WAIT_START).  One MRS: a helper call, which loops that must keep
 * the weak=on store buffer full avoid.  Clobbers x16. */
.macro WAIT_CHECK reg
    mrs  x16, cntvct_el0
    cmp  x16, \reg
    b.lo .Lwait_ok\@
    mov  x0, #FAIL_TIMEOUT
    b    test_fail
.Lwait_ok\@:
.endm

/* Spin (bounded) until the 64-bit word at sym is >= n, reading it with
 * LDAR: then every store the others made before their ARRIVE is visible.
 * Clobbers x13-x17. */
.macro WAIT_GE sym, n, secs=TORTURE_WAIT_S
    WAIT_START x13, \secs
    adr  x14, \sym
.Lwait_loop\@:
    ldar x15, [x14]
    cmp  x15, #(\n)
    b.hs .Lwait_done\@
    WAIT_CHECK x13
    b    .Lwait_loop\@
.Lwait_done\@:
.endm

/* Add 1 to the 64-bit word at sym, with acquire and release (an
 * LDAXR/STLXR loop: no LSE needed).  Clobbers x14-x16. */
.macro ARRIVE sym
    adr  x14, \sym
.Larrive\@:
    ldaxr x15, [x14]
    add  x15, x15, #1
    stlxr w16, x15, [x14]
    cbnz w16, .Larrive\@
.endm

/* Add 1 to the 64-bit violation counter at sym (atomically: any vCPU
 * may count).  Clobbers x14-x16. */
.macro BUMP sym
    adr  x14, \sym
.Lbump\@:
    ldxr x15, [x14]
    add  x15, x15, #1
    stxr w16, x15, [x14]
    cbnz w16, .Lbump\@
.endm

/* Every vCPU waits here until all NCPUS arrived, so that the work after
 * it starts on all of them together (a fast vCPU could otherwise finish
 * before a slow one starts).  Bounded at GATE_WAIT_S: a loom that cannot
 * run one vCPU while another spins fails here (254).  Clobbers x13-x17. */
.macro START_GATE
    ARRIVE start_gate
    WAIT_GE start_gate, NCPUS, GATE_WAIT_S
.endm

/* Fail with status n unless the 64-bit word at sym == val.  Clobbers
 * x15-x17. */
.macro CHECK_MEM n, sym, val
    adr  x15, \sym
    ldr  x15, [x15]
    CHECK \n, x15, \val
.endm

/* Print "str<decimal value of reg>\n" through semihosting (lib.S).
 * Clobbers x0-x8 (reg must not be x0-x7), x30. */
.macro PRINT_NUM str, reg
    .pushsection .rodata
.Lpn_str\@: .asciz "\str"
    .popsection
    mov  x8, \reg
    adr  x0, .Lpn_str\@
    bl   print_str
    mov  x0, x8
    bl   print_dec
.endm

/*
 * Overlap: did the vCPUs run at the same time?  As on RISC-V
 * (tests/guest/testmacros.h): each vCPU counts its ticks, and the ticks
 * on which the sum of the others' ticks had moved since its previous
 * one; vCPU 0 prints "overlap: <moved>" and "overlap ticks: <ticks>",
 * and the runner asserts 1 in 1000 under thread=multi.  Plain loads and
 * stores only.  Clobbers x12-x15 and the flags.
 */
.macro OVERLAP_TICK
    adr  x12, overlap_rec
    add  x13, x12, x28, lsl #6      /* this vCPU's record */
    ldr  x14, [x13, #OVR_PROGRESS]
    add  x14, x14, #1
    str  x14, [x13, #OVR_PROGRESS]
    neg  x14, x14                   /* the others' sum = all - mine */
    .set .Lovr_k, 0
    .rept NCPUS
    ldr  x15, [x12, #(.Lovr_k * 64 + OVR_PROGRESS)]
    add  x14, x14, x15
    .set .Lovr_k, .Lovr_k + 1
    .endr
    ldr  x15, [x13, #OVR_SEEN]
    str  x14, [x13, #OVR_SEEN]
    cmp  x14, x15
    b.eq .Lovr_same\@
    ldr  x15, [x13, #OVR_MOVED]
    add  x15, x15, #1
    str  x15, [x13, #OVR_MOVED]
.Lovr_same\@:
.endm

/* vCPU 0, after every vCPU arrived: print the overlap lines.  Clobbers
 * x0-x8, x12-x15, x30. */
.macro OVERLAP_REPORT
    adr  x12, overlap_rec
    mov  x13, #0
    mov  x14, #0
    .set .Lovr_k, 0
    .rept NCPUS
    ldr  x15, [x12, #(.Lovr_k * 64 + OVR_MOVED)]
    add  x13, x13, x15
    ldr  x15, [x12, #(.Lovr_k * 64 + OVR_PROGRESS)]
    add  x14, x14, x15
    .set .Lovr_k, .Lovr_k + 1
    .endr
    adr  x12, overlap_ticks
    str  x14, [x12]
    PRINT_NUM "overlap: ", x13
    adr  x12, overlap_ticks
    ldr  x13, [x12]
    PRINT_NUM "overlap ticks: ", x13
.endm

/* The gate word, the overlap records and the test's name: once in each
 * test. */
.macro TORTURE_DATA name
    .pushsection .bss
    .balign 64
start_gate:     .quad 0
    .balign 64
overlap_rec:    .space 64 * NCPUS
overlap_ticks:  .quad 0
    .popsection
    .pushsection .rodata
    .global test_name
test_name:      .asciz "\name"
    .popsection
.endm

#endif /* __ASSEMBLER__ */
#endif /* LOOM_TORTURE_A64_H */
