/*
 * a64-start.S - entry of the bench guests built for AArch64 (QEMU's arm
 * virt board, loom's -M arm-virt; EL1, MMU off, -kernel ELF).
 *
 * Every CPU below SMP_MAX_HARTS (by MPIDR_EL1.Aff0) gets its own 8 KiB
 * stack and calls  void bench_hart_main(unsigned long hartid);  others,
 * or one whose bench_hart_main returns, sleep in wfi.  Only CPU 0 runs at
 * boot (the rest stay off, as PSCI leaves them), so the single-CPU
 * guests need nothing else.  An exception prints its ESR and ends the
 * run through bench_trap (guest.h's finish), so a broken guest never
 * spins silently.
 */
#define SMP_MAX_HARTS   8
#define SMP_STACK_SIZE  8192

    .section .text.init, "ax"
    .globl _start
_start:
    msr daifset, #0xf
    mov x1, #(3 << 20)          /* CPACR_EL1.FPEN: FP at EL1 (fpbench) */
    msr cpacr_el1, x1
    adr x1, bench_vectors
    msr vbar_el1, x1
    isb
    mrs x0, mpidr_el1
    and x0, x0, #0xff
    cmp x0, #SMP_MAX_HARTS
    b.hs park
    /* sp = top of this CPU's stack: smp_stacks + (id + 1) * size */
    adrp x1, smp_stacks
    add x1, x1, :lo12:smp_stacks
    add x2, x0, #1
    mov x3, #SMP_STACK_SIZE
    madd x1, x2, x3, x1
    mov sp, x1
    bl bench_hart_main
park:
    wfi
    b park

/* every vector: bench_trap(esr, elr) */
    .balign 2048
bench_vectors:
    .rept 16
    .balign 128
    mrs x0, esr_el1
    mrs x1, elr_el1
    b bench_trap
    .endr

    .section .bss
    .balign 16
smp_stacks:
    .space SMP_MAX_HARTS * SMP_STACK_SIZE
