/*
 * a64.h - constants and macros of loom's bare-metal AArch64 guest tests
 * (start.S and every test).  The machine is -M arm-virt, or QEMU's
 * -M virt, which has the same memory map.
 *
 * A test provides test_main (every vCPU the test asks for enters it with
 * x0 = its index, on its own stack, at EL1 with interrupts masked) and
 * test_ncpus (TEST_BEGIN), and ends with test_pass or a failed check;
 * see start.S.
 */
#ifndef A64_H
#define A64_H

#define GUEST_MAX_CPUS      8
#define GUEST_STACK_SIZE    0x4000

/* -M arm-virt / QEMU virt */
#define UART_BASE           0x09000000
#define GICD_BASE           0x08000000
#define GICC_BASE           0x08010000

#define UART_DR             0x000
#define UART_RSR            0x004
#define UART_FR             0x018
#define UART_IBRD           0x024
#define UART_FBRD           0x028
#define UART_LCR_H          0x02c
#define UART_CR             0x030
#define UART_IFLS           0x034
#define UART_IMSC           0x038
#define UART_RIS            0x03c
#define UART_MIS            0x040
#define UART_ICR            0x044
#define UART_FR_RXFE        0x10
#define UART_FR_TXFF        0x20

#define GICD_CTLR           0x000
#define GICD_TYPER          0x004
#define GICD_ISENABLER      0x100
#define GICD_ICENABLER      0x180
#define GICD_ISPENDR        0x200
#define GICD_ICPENDR        0x280
#define GICD_ISACTIVER      0x300
#define GICD_IPRIORITYR     0x400
#define GICD_ITARGETSR      0x800
#define GICD_SGIR           0xf00
#define GICC_CTLR           0x00
#define GICC_PMR            0x04
#define GICC_IAR            0x0c
#define GICC_EOIR           0x10
#define GICC_RPR            0x14
#define GICC_HPPIR          0x18

/* Arm semihosting (HLT #0xF000): w0 = operation, x1 = argument */
#define SH_WRITE0           0x04
#define SH_EXIT             0x18
#define SH_EXIT_APP         0x20026     /* ADP_Stopped_ApplicationExit */

/* PSCI 0.2 through HVC */
#define PSCI_CPU_ON_64      0xc4000003

/* Exit statuses besides a check's number (1..249) */
#define FAIL_WAIT_TIMEOUT   254
#define FAIL_UNEXPECTED     255

#ifdef __ASSEMBLER__

/* The test's vCPU count: the others are never started. */
.macro TEST_BEGIN ncpus
    .section .rodata
    .balign 8
    .globl test_ncpus
test_ncpus:
    .quad \ncpus
    .text
    .balign 4
    .globl test_main
.endm

/* Fail check n unless reg == expected (a 64-bit constant).  Uses x16,
   x17 (and x0-x2 on failure). */
.macro CHECK_EQ reg, expected, n
    ldr x16, =\expected
    cmp \reg, x16
    b.eq .Lcheck_ok\@
    mov x1, \reg
    mov x2, x16
    mov x0, #\n
    b test_fail
.Lcheck_ok\@:
.endm

/* Fail check n unless reg == expreg.  Uses x0-x2 on failure. */
.macro CHECK_EQ_REG reg, expreg, n
    cmp \reg, \expreg
    b.eq .Lcheck_ok\@
    mov x1, \reg
    mov x2, \expreg
    mov x0, #\n
    b test_fail
.Lcheck_ok\@:
.endm

/* w-register forms of 32-bit MMIO: reg <- [base + off], [base + off] <- val.
   Use x16, x17. */
.macro MMIO_RD32 wreg, base, off
    ldr x16, =(\base + \off)
    ldr \wreg, [x16]
.endm
.macro MMIO_WR32 base, off, val
    ldr x16, =(\base + \off)
    ldr w17, =\val
    str w17, [x16]
.endm
.macro MMIO_WR8 base, off, val
    ldr x16, =(\base + \off)
    mov w17, #\val
    strb w17, [x16]
.endm

/* Bounded waits: WAIT_BEGIN sets x15 to now + 10 s of the counter;
   WAIT_CHECK fails the test (254) once it is past.  Use x15, x16. */
.macro WAIT_BEGIN
    mrs x15, cntfrq_el0
    mov x16, #10
    mul x15, x15, x16
    mrs x16, cntpct_el0
    add x15, x15, x16
.endm
.macro WAIT_CHECK
    mrs x16, cntpct_el0
    cmp x16, x15
    b.hs wait_timed_out
.endm

/* Sleep until the quadword at [xaddr] is non-zero, taking interrupts
   in between: with IRQs masked, check, WFI (which wakes for a pending
   IRQ even while masked), unmask to take it, mask again.  A wait past
   WAIT_BEGIN's deadline fails.  Uses x2, x15, x16. */
.macro WAIT_IRQ_FLAG xaddr
    msr daifset, #2
.Lwait\@:
    ldar x2, [\xaddr]
    cbnz x2, .Ldone\@
    WAIT_CHECK
    wfi
    msr daifclr, #2
    isb
    msr daifset, #2
    b .Lwait\@
.Ldone\@:
.endm

#endif /* __ASSEMBLER__ */
#endif /* A64_H */
