/*
 * start.S - entry point of the loom bare-metal demos.
 *
 * Every hart arrives here at once, in M-mode.  Each one gets its own
 * 16 KiB stack (harts 0..7; any hart beyond that sleeps), a trap vector
 * that reports the trap and fails the run, and then calls
 *     void demo_main(unsigned long hartid);
 * which must not return (if it does, the hart sleeps).
 */
#define STACK_SIZE  16384
#define MAX_HARTS   8

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr a0, mhartid
    csrw mie, zero
    csrci mstatus, 8            /* MIE = 0 */
    la   t0, trap_entry
    csrw mtvec, t0
    li   t0, MAX_HARTS
    bgeu a0, t0, demo_park
    la   sp, __stacks_top
    li   t0, STACK_SIZE
    mul  t0, t0, a0
    sub  sp, sp, t0
    call demo_main
    /* fall through */

    .globl demo_park
demo_park:
    wfi
    j    demo_park

    .text
    .balign 4
trap_entry:
    /* fresh stack for this hart, then report from C */
    csrr a0, mhartid
    la   sp, __stacks_top
    li   t0, STACK_SIZE
    mul  t0, t0, a0
    sub  sp, sp, t0
    csrr a1, mcause
    csrr a2, mepc
    csrr a3, mtval
    call demo_trap
    j    demo_park
