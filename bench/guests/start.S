/*
 * start.S - entry of the bench guests (RISC-V virt machine, M-mode).
 *
 * Hart 0 gets a stack and calls  void bench_main(void);  every other hart,
 * and hart 0 if bench_main returns, sleeps in wfi.  A trap ends the run
 * through the sifive_test finisher with status 0xbad (exit code 0xbad
 * on loom and QEMU alike), so a broken guest never spins silently.
 */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrw mie, zero
    la   t0, bench_trap
    csrw mtvec, t0
    csrr t0, mhartid
    bnez t0, park
    la   sp, __stack_top
    call bench_main
park:
    wfi
    j    park

    .balign 4
bench_trap:
    li   t0, 0x100000           /* sifive_test */
    li   t1, (0xbad << 16) | 0x3333   /* FAIL with code 0xbad */
    sw   t1, 0(t0)
    j    park
