/*
 * smp_start.S - four vCPUs started with PSCI CPU_ON: each enters
 * test_main once, with its own index and stack, and adds itself to a
 * count and a mask with exclusives; vCPU 0 waits for all four.
 */
#include "a64.h"

    TEST_BEGIN 4
test_main:
    mov x19, x0
    /* sp is the top of this vCPU's stack */
    mov x5, sp
    ldr x6, =__stacks_top
    mov x7, #GUEST_STACK_SIZE
    msub x6, x19, x7, x6
    CHECK_EQ_REG x5, x6, 1
    mrs x1, CurrentEL
    CHECK_EQ x1, 4, 2
    mrs x1, mpidr_el1
    and x1, x1, #0xff
    CHECK_EQ_REG x1, x19, 3
    ldr x1, =count
1:  ldaxr x2, [x1]
    add x2, x2, #1
    stlxr w3, x2, [x1]
    cbnz w3, 1b
    ldr x1, =mask
    mov x4, #1
    lsl x4, x4, x19
2:  ldaxr x2, [x1]
    orr x2, x2, x4
    stlxr w3, x2, [x1]
    cbnz w3, 2b
    cbnz x19, park

    WAIT_BEGIN
    ldr x1, =count
3:  WAIT_CHECK
    ldar x2, [x1]
    cmp x2, #4
    b.ne 3b
    ldr x1, =mask
    ldar x2, [x1]
    CHECK_EQ x2, 0xf, 4
    b test_pass

    .data
    .balign 8
count:  .quad 0
mask:   .quad 0
