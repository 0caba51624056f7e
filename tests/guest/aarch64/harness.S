/*
 * harness.S - the test harness itself on one vCPU: EL1 with SP_EL1,
 * interrupts masked, the stack at the top of vCPU 0's, the vectors
 * installed, the counter running at QEMU virt's 62.5 MHz; prints
 * "harness ok" through semihosting (harness.out).
 */
#include "a64.h"

    TEST_BEGIN 1
test_main:
    CHECK_EQ x0, 0, 1
    mrs x1, CurrentEL
    CHECK_EQ x1, 4, 2                   /* EL1 */
    mrs x1, SPSel
    CHECK_EQ x1, 1, 3
    mrs x1, daif
    CHECK_EQ x1, 0x3c0, 4
    mov x1, sp
    ldr x2, =__stacks_top
    CHECK_EQ_REG x1, x2, 5
    mrs x1, vbar_el1
    ldr x2, =vectors
    CHECK_EQ_REG x1, x2, 6
    mrs x1, cntfrq_el0
    CHECK_EQ x1, 62500000, 7
    mrs x1, cntpct_el0
    mrs x2, cntpct_el0
    cmp x2, x1
    cset x3, hs
    CHECK_EQ x3, 1, 8                   /* the count does not go back */
    ldr x0, =msg
    bl sh_puts
    b test_pass

    .section .rodata
msg: .asciz "harness ok\n"
