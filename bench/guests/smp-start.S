/*
 * smp-start.S - entry of the multi-hart bench guests (RISC-V virt
 * machine, M-mode, -bios none).
 *
 * Every hart below SMP_MAX_HARTS gets its own 8 KiB stack (in .bss, so
 * the harts never share one) and calls  void bench_hart_main(unsigned long
 * hartid);  a hart above that, or one whose bench_hart_main returns,
 * sleeps in wfi.  A trap ends the run through the sifive_test finisher
 * with status 0xbad (exit code 0xbad on loom and QEMU alike), so a broken
 * guest never spins silently.
 */
#define SMP_MAX_HARTS   8
#define SMP_STACK_SIZE  8192

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrw mie, zero
    li   t0, 0x2000             /* mstatus.FS = Initial: fpbench's FP */
    csrs mstatus, t0
    la   t0, bench_trap
    csrw mtvec, t0
    csrr a0, mhartid
    li   t0, SMP_MAX_HARTS
    bgeu a0, t0, park
    /* sp = top of this hart's stack: smp_stacks + (hartid + 1) * size */
    la   sp, smp_stacks
    addi t0, a0, 1
    li   t1, SMP_STACK_SIZE
    mul  t0, t0, t1
    add  sp, sp, t0
    call bench_hart_main
park:
    wfi
    j    park

    .balign 4
bench_trap:
    li   t0, 0x100000           /* sifive_test */
    li   t1, (0xbad << 16) | 0x3333   /* FAIL with code 0xbad */
    sw   t1, 0(t0)
    j    park

    .section .bss
    .balign 16
smp_stacks:
    .space SMP_MAX_HARTS * SMP_STACK_SIZE
