/*
 * testmacros.h - shared definitions for loom's bare-metal guest tests.
 *
 * Included (through the C preprocessor) by every tests/guest/*.S file and
 * by common.S.  Each test ELF is common.S + one test file, linked with
 * link.ld; see README.md for the conventions.  In short:
 *
 *   #include "testmacros.h"
 *   TEST_BEGIN 1            # number of harts that run test_main
 *       li   a1, 2
 *       addi a1, a1, 3
 *       CHECK a1, 5, 1      # a1 must be 5, else fail with exit code 1
 *       PASS
 *   TEST_END
 *
 * Register conventions: t5 and t6 are scratch registers of the macros
 * (CHECK*, SPIN_*, TRAP_*) and may be clobbered by any macro, CHECK_TRAP*
 * also clobber t4; everything else is preserved by the macros on the
 * success path.  On entry to test_main,
 * a0 = mhartid and sp = top of this hart's private 4 KiB stack.
 *
 * Failure codes: every CHECK carries a code 1..249, unique within its
 * file (the assembler rejects a duplicate).  A failing check writes
 * (code << 16) | 0x3333 to the sifive_test finisher, so the emulator
 * exits with status = code.  Codes 250..255 belong to the framework
 * (250..252 are unused so far):
 */
#ifndef LOOM_GUEST_TESTMACROS_H
#define LOOM_GUEST_TESTMACROS_H

#define FAIL_UNEXPECTED_TRAP 255 /* a trap arrived at the default handler */
#define FAIL_TIMEOUT         254 /* a SPIN_* wait loop ran > 10 s of mtime */
#define FAIL_FELL_THROUGH    253 /* test_main ran off its end (TEST_END) */

/* ---- QEMU-virt-compatible machine layout (loom uses the same) ---- */
#define RAM_BASE        0x80000000
#define UART_BASE       0x10000000 /* ns16550a: THR +0, LSR +5 */
#define UART_THR        0
#define UART_LSR        5
#define UART_LSR_THRE   0x20       /* transmit holding register empty */
#define FINISHER_BASE   0x100000   /* sifive_test */
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define CLINT_MSIP      0x2000000  /* + 4 * hart, 32-bit */
#define CLINT_MTIMECMP  0x2004000  /* + 8 * hart, 64-bit */
#define CLINT_MTIME     0x200bff8  /* 64-bit, 10 MHz */
#define MTIME_HZ        10000000

/* An address with nothing mapped on virt: accesses raise access faults. */
#define UNMAPPED_ADDR   0x0

#define GUEST_MAX_HARTS  8
#define GUEST_STACK_SIZE 4096

/* ---- CSR bits ---- */
#define MSTATUS_MIE     0x8
#define MSTATUS_MPIE    0x80
#define MSTATUS_MPP     0x1800

#define MIP_MSIP        0x8
#define MIP_MTIP        0x80
#define MIP_MEIP        0x800

#define CAUSE_INSN_MISALIGNED   0
#define CAUSE_INSN_ACCESS       1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_LOAD_MISALIGNED   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_STORE_MISALIGNED  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_M           11
#define CAUSE_IRQ_FLAG          0x8000000000000000
#define CAUSE_IRQ_M_SOFT        0x8000000000000003
#define CAUSE_IRQ_M_TIMER       0x8000000000000007

/* ---- layout of the trap record written by trap_record_handler ---- */
#define TR_COUNT   0   /* number of traps taken since TRAP_RESET */
#define TR_CAUSE   8   /* mcause of the last trap */
#define TR_EPC     16  /* mepc of the last trap (as it was on entry) */
#define TR_TVAL    24  /* mtval of the last trap */
#define TR_STATUS  32  /* mstatus as seen inside the handler */
#define TR_MIP     40  /* mip as seen inside the handler */
#define TR_RESUME  48  /* if non-zero: resume address for the next exception */
#define TR_SAVE1   56  /* handler scratch */
#define TR_SAVE2   64  /* handler scratch */
#define TR_SIZE    72

#ifdef __ASSEMBLER__

/* ------------------------------------------------------------------ */
/* Test skeleton                                                       */
/* ------------------------------------------------------------------ */

/*
 * TEST_BEGIN nharts: harts 0..nharts-1 enter test_main (a0 = hartid);
 * all other harts are parked in a wfi loop by common.S.  mtvec points at
 * the "unexpected trap" handler (fails with 255), mie = 0, mstatus.MIE = 0.
 */
.macro TEST_BEGIN nharts
    .pushsection .rodata
    .balign 8
    .globl test_nharts
test_nharts:
    .dword \nharts
    .popsection
    .text
    .balign 4
    .globl test_main
test_main:
.endm

/* Catch a test that forgot to PASS. */
.macro TEST_END
    li   a0, FAIL_FELL_THROUGH
    li   a1, 0
    li   a2, 0
    j    test_fail
.endm

/* Finish the whole run successfully (emulator exits 0). */
.macro PASS
    j    test_pass
.endm

/* Unconditional failure with the given code. */
.macro FAIL code
    _CHECK_CODE \code
    li   a0, \code
    li   a1, 0
    li   a2, 0
    j    test_fail
.endm

/* ------------------------------------------------------------------ */
/* Checks. On mismatch: a0 = code, a1 = value found, a2 = expected,    */
/* jump to test_fail (prints "FAIL check N ..." and exits with N).     */
/* ------------------------------------------------------------------ */

/* Reject codes outside 1..249 and codes used twice in one file. */
.macro _CHECK_CODE_ONE c
    .if (\c < 1) || (\c > 249)
    .error "check code out of range 1..249"
    .endif
    .equiv __check_code_\c, 1
.endm
.macro _CHECK_CODE c
    .altmacro
    _CHECK_CODE_ONE %(\c)
    .noaltmacro
.endm

#ifndef GUEST_KEEP_GOING
.macro _CHECK_FAIL reg, code
    mv   a1, \reg
    mv   a2, t6
    li   a0, \code
    j    test_fail
.endm
#else
/* Debug build (-DGUEST_KEEP_GOING): report the failure and carry on with
 * every register preserved; test_pass then exits with the first failing
 * code.  Lists all failing checks of a test in one run. */
.macro _CHECK_FAIL reg, code
    addi sp, sp, -32
    sd   a0, 0(sp)
    sd   a1, 8(sp)
    sd   a2, 16(sp)
    sd   ra, 24(sp)
    mv   a1, \reg
    mv   a2, t6
    li   a0, \code
    call test_report
    ld   a0, 0(sp)
    ld   a1, 8(sp)
    ld   a2, 16(sp)
    ld   ra, 24(sp)
    addi sp, sp, 32
.endm
#endif

/*
 * Self-test hook: building with -DGUEST_MUTATE_CODE=N inverts check N
 * (it fails exactly when the value is right), so a run must exit with N.
 * Used to prove that every check is reached and reports its own code.
 */
#ifndef GUEST_MUTATE_CODE
#define GUEST_MUTATE_CODE 0
#endif

/* ... and -DGUEST_MUTATE_MEM=1 with it inverts the memory form of
 * check N (CHECK_MEM) instead of its immediate form. */
#ifndef GUEST_MUTATE_MEM
#define GUEST_MUTATE_MEM 0
#endif

/* Branch to 'ok' when a == b (or a != b for the mutated check). */
.macro _CHECK_BRANCH a, b, ok, code, mem=0
    .if ((\code) == GUEST_MUTATE_CODE) && ((\mem) == GUEST_MUTATE_MEM)
    bne  \a, \b, \ok
    .else
    beq  \a, \b, \ok
    .endif
.endm

/* reg must equal the 64-bit constant 'expected'. */
.macro CHECK reg, expected, code
    _CHECK_CODE \code
    li   t6, \expected
    _CHECK_BRANCH \reg, t6, .Lck_ok\@, \code
    _CHECK_FAIL \reg, \code
.Lck_ok\@:
.endm

/* reg must equal register ereg. */
.macro CHECK_REG reg, ereg, code
    _CHECK_CODE \code
    mv   t6, \ereg
    _CHECK_BRANCH \reg, t6, .Lck_ok\@, \code
    _CHECK_FAIL \reg, \code
.Lck_ok\@:
.endm

/* reg must equal the address of symbol 'sym' (+ optional offset). */
.macro CHECK_ADDR reg, sym, code
    _CHECK_CODE \code
    la   t6, \sym
    _CHECK_BRANCH \reg, t6, .Lck_ok\@, \code
    _CHECK_FAIL \reg, \code
.Lck_ok\@:
.endm

/* ------------------------------------------------------------------ */
/* Operands the IR optimiser cannot know                               */
/* ------------------------------------------------------------------ */
/*
 * With li operands, the op under test and its CHECK are folded to
 * constants at translation time (core/optimize.c), so the back-end's
 * code for the op never runs.  The ISA tests therefore run each check in
 * two forms: the immediate form (li, op, CHECK) and the memory form
 * (LOAD_MEM, op, CHECK_MEM), whose operands are guest loads.
 */

/* reg <- value, read with ld from its own 64-bit word in .data. */
.macro LOAD_MEM reg, value
    .pushsection .data
    .balign 8
.Lmem\@:
    .dword \value
    .popsection
    la   \reg, .Lmem\@
    ld   \reg, 0(\reg)
.endm

/* A failing memory-form check passes code | CHECK_MEM_FORM to test_fail,
 * which prints "(operands from memory)" and exits with the code alone. */
#define CHECK_MEM_FORM 0x100

/* The memory form of check 'code': like CHECK, but the code belongs to
 * the immediate form that came before it (it is not claimed again). */
.macro CHECK_MEM reg, expected, code
    li   t6, \expected
    _CHECK_BRANCH \reg, t6, .Lck_ok\@, \code, 1
    _CHECK_FAIL \reg, (\code) + CHECK_MEM_FORM
.Lck_ok\@:
.endm

/* The 64-bit word at symbol 'sym' must equal 'expected'. Clobbers t5. */
.macro CHECK_MEMD sym, expected, code
    la   t5, \sym
    ld   t5, 0(t5)
    CHECK t5, \expected, \code
.endm

/* The 32-bit word at 'sym' (sign-extended) must equal 'expected'. */
.macro CHECK_MEMW sym, expected, code
    la   t5, \sym
    lw   t5, 0(t5)
    CHECK t5, \expected, \code
.endm

/* ------------------------------------------------------------------ */
/* Trap recording (single hart: one global record in common.S).        */
/* ------------------------------------------------------------------ */

/* Route traps to trap_record_handler: it records mcause/mepc/mtval/
 * mstatus/mip into trap_record, counts the trap and returns:
 *   - exceptions: to trap_record[TR_RESUME] if non-zero (then cleared),
 *     else to mepc + 4 (skip the faulting instruction);
 *   - interrupts: to mepc, after clearing the interrupt's enable bit in
 *     mie (so a level-triggered source cannot re-trap immediately).
 * All GPRs are preserved; mscratch is clobbered. */
.macro TRAP_RECORD_ON
    la   t6, trap_record_handler
    csrw mtvec, t6
.endm

/* Back to the default handler (any trap fails the test with 255). */
.macro TRAP_RECORD_OFF
    la   t6, unexpected_trap
    csrw mtvec, t6
.endm

/* Zero the trap record. */
.macro TRAP_RESET
    la   t6, trap_record
    sd   zero, TR_COUNT(t6)
    sd   zero, TR_CAUSE(t6)
    sd   zero, TR_EPC(t6)
    sd   zero, TR_TVAL(t6)
    sd   zero, TR_STATUS(t6)
    sd   zero, TR_MIP(t6)
    sd   zero, TR_RESUME(t6)
.endm

/* Next exception resumes at symbol 'sym' instead of mepc + 4. */
.macro TRAP_RESUME_AT sym
    la   t5, \sym
    la   t6, trap_record
    sd   t5, TR_RESUME(t6)
.endm

/* Load a field of the trap record into reg. */
.macro TRAP_FIELD reg, field
    la   t6, trap_record
    ld   \reg, \field(t6)
.endm

/*
 * CHECK_TRAP code, cause, epc_sym, tval: exactly one trap was taken
 * since TRAP_RESET, with the given mcause, mepc == address of epc_sym
 * and mtval == tval (a constant).  Uses codes code..code+3:
 *   code+0: trap count != 1     code+1: wrong mcause
 *   code+2: wrong mepc          code+3: wrong mtval
 * Clobbers t4, t5, t6.
 */
.macro CHECK_TRAP code, cause, epc_sym, tval
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, \code
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, \cause, \code+1
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, \epc_sym, \code+2
    TRAP_FIELD t4, TR_TVAL
    CHECK t4, \tval, \code+3
.endm

/* Same, but mtval must be the address of symbol tval_sym. */
.macro CHECK_TRAP_TVAL_ADDR code, cause, epc_sym, tval_sym
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, \code
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, \cause, \code+1
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, \epc_sym, \code+2
    TRAP_FIELD t4, TR_TVAL
    CHECK_ADDR t4, \tval_sym, \code+3
.endm

/* Same, but mtval must be the instruction word found at epc_sym
 * (illegal-instruction traps report the instruction bits). */
.macro CHECK_TRAP_INSN code, cause, epc_sym
    TRAP_FIELD t4, TR_COUNT
    CHECK t4, 1, \code
    TRAP_FIELD t4, TR_CAUSE
    CHECK t4, \cause, \code+1
    TRAP_FIELD t4, TR_EPC
    CHECK_ADDR t4, \epc_sym, \code+2
    la   t5, \epc_sym
    lwu  t5, 0(t5)
    TRAP_FIELD t4, TR_TVAL
    CHECK_REG t4, t5, \code+3
.endm

/* ------------------------------------------------------------------ */
/* Bounded waiting (multi-hart tests)                                  */
/* ------------------------------------------------------------------ */

/* Remember the current time in 'reg' (start of a bounded wait). */
.macro SPIN_START reg
    csrr \reg, time
.endm

/* Fail with FAIL_TIMEOUT if more than 10 s of mtime passed since
 * SPIN_START reg.  Clobbers t5, t6. */
.macro SPIN_CHECK reg
    csrr t6, time
    sub  t6, t6, \reg
    li   t5, 10 * MTIME_HZ
    bltu t6, t5, .Lspin_ok\@
    li   a0, FAIL_TIMEOUT
    mv   a1, t6
    mv   a2, t5
    j    test_fail
.Lspin_ok\@:
.endm

/* Wait (bounded, SPIN_CHECK) until nharts harts got here, so that the
 * work after it starts on all of them together: without it, a fast
 * hart can finish before a slow one starts and nothing overlaps.
 * Clobbers t0, t1, t2, t5, t6; uses the word start_gate, which the test
 * defines once with START_GATE_DATA. */
.macro START_GATE nharts
    la   t1, start_gate
    li   t0, 1
    amoadd.w.aqrl x0, t0, (t1)
    SPIN_START t2
.Lgate\@:
    lw   t0, 0(t1)
    li   t5, \nharts
    bge  t0, t5, .Lgate_open\@
    SPIN_CHECK t2
    j    .Lgate\@
.Lgate_open\@:
    fence r, rw
.endm

.macro START_GATE_DATA
    .pushsection .bss
    .balign 64
start_gate: .word 0
    .balign 64
    .popsection
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
 * and the runners assert a share of it under thread=multi on a host with
 * two or more CPUs (overlap_check, tests/guest/run-lib.sh).  Tests that
 * use these also use START_GATE (its word start_gate is defined by
 * OVERLAP_DATA, not START_GATE_DATA) and define NHARTS.
 */
#define OVR_PROGRESS    0
#define OVR_SEEN        8
#define OVR_MOVED       16

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

/* Hart 0, after every hart arrived: print "overlap: MOVED" and
 * "overlap ticks: TICKS", summed over the harts (PRINT_NUM).  Clobbers t0-t6, a0 and s11. */
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
#endif /* LOOM_GUEST_TESTMACROS_H */
