/*
 * The harness the back-end and optimiser unit tests share: a machine with
 * a minimal test front-end and RAM, eight i64 globals r0..r7, vCPUs to
 * run hand-built IR on, a back-end under test checked against the
 * interpreter (the reference), and the op value tables every back-end
 * must pass.
 *
 * Guest virtual memory of the test front-end:
 *   vaddr -> paddr = vaddr & ALIAS_MASK, so addresses ALIAS_MASK + 1
 *            apart share a TLB index and the same RAM;
 *   [EACH_BASE, EACH_BASE + 1 MiB): mapped for one access at a time;
 *   [FAULT_BASE, FAULT_BASE + 1 MiB): tlb_fill raises a page fault;
 *   RAM at [RAM_BASE, RAM_BASE + RAM_SIZE); other physical addresses
 *   have nothing behind them (a bus error).
 * Faults are recorded in TestEnv and unwind to the faulting insn.
 */
#ifndef LOOM_TESTS_IR_HARNESS_H
#define LOOM_TESTS_IR_HARNESS_H

#include "internal.h"

#define RAM_BASE 0x10000u
#define RAM_SIZE 0x10000u
#define NG 8
#define CODE_SIZE (1u << 18)
#define ALIAS_MASK ((UINT64_C(1) << (TLB_BITS + 12)) - 1)
#define EACH_BASE 0x200000u
#define FAULT_BASE 0x8000000u
#define M64 0xffffffffffffffffull
#define MIN64 0x8000000000000000ull

/* TestEnv.fault_kind */
enum {
    FAULT_UNALIGNED = 1,                /* do_unaligned_access */
    FAULT_BUS = 2,                      /* do_transaction_failed */
    FAULT_PAGE = 3,                     /* tlb_fill in the FAULT_BASE window */
};

/* The vCPU's env: globals r0..r7 at env + 8 * i, then what the front-end
   records. */
typedef struct TestEnv {
    uint64_t r[NG];
    uint64_t fault_addr;
    int fault_kind;
    int unwound_insn;                   /* insn data word 0 at the last fault, -1 */
    unsigned fills;                     /* tlb_fill calls */
} TestEnv;

/* Set up by harness_init and read-only afterwards, except mach.be, which
   names the back-end last run (helpers and unwinding read it). */
extern LoomMachine mach;
extern LoomIRTemp g[NG];                    /* globals r0..r7 */
extern const LoomBackendOps *harness_be;        /* the back-end under test */
extern const LoomBackendOps *harness_ref;       /* the interpreter */

/* Load the interpreter and plugins/<backend> from the build tree and set
   up the machine; false (skip the test) when not run through make check.
   A back-end that does not load ends the process with the loader's
   message. */
bool harness_init(const char *backend);

LoomCPU *harness_cpu_new(void);
void harness_cpu_free(LoomCPU *cpu);
static inline TestEnv *harness_env(LoomCPU *cpu)
{
    return (TestEnv *)cpu->env;
}

/* A new IR context that starts with guest insn 0. */
LoomIRContext *harness_begin(void);

/* This thread's executable code buffer, CODE_SIZE bytes. */
uint8_t *harness_code_buf(void);

/* Generate s with be (insn data as tb_gen_code builds it) and run it on
   cpu: the exit code, or -1 after a fault. */
int harness_run_on(const LoomBackendOps *be, LoomCPU *cpu, LoomIRContext *s);
/* harness_run_on with the back-end under test. */
int harness_run(LoomCPU *cpu, LoomIRContext *s);
/* Run on the interpreter and then, from the same starting env, on the
   back-end under test: the exit codes and r0..r7 must agree; the second
   run's results stay in env. */
int harness_run_both(LoomCPU *cpu, LoomIRContext *s);

/* Shared test cases, one g_test function each: the value tables of
   every two-input and one-input op, a summing loop with setcond and
   movcond, the atomics, and the atomics under contention from four
   threads. */
void harness_test_binary_ops(void);
void harness_test_unary_ops(void);
void harness_test_loop(void);
void harness_test_atomic_ops(void);
void harness_test_atomic_contention(void);
/* ABI 2.0: the value table of the new ops (and the other optional ops) on
   the reference and the back-end under test, each as it is and with no
   optional op (legalised by the core), outputs apart from and aliasing
   the inputs; atomic_cmpxchg_i128; a helper with six arguments. */
void harness_test_new_ops(void);
void harness_test_cmpxchg128(void);
void harness_test_call6(void);

#endif
