/*
 * PSCI through HVC #0 on 2 vCPUs: PSCI_VERSION (major 1),
 * PSCI_FEATURES, MIGRATE_INFO_TYPE, an unknown function, AFFINITY_INFO
 * before and after CPU_ON, CPU_ON with a bad MPIDR and on a CPU that is
 * on, a message from vCPU 1 (STLR/LDAR), 2 x 100000 LDADDs and LDXR/STXR
 * increments with an exact total, CPU_OFF and a second CPU_ON.
 * Run with -smp 2.
 */
#include "a64.h"

#define PSCI_VERSION 0x84000000
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0xc4000003
#define PSCI_AFFINITY_INFO 0xc4000004
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_FEATURES 0x8400000a
#define ROUNDS 100000

.macro PSCI fn, a1=xzr, a2=xzr, a3=xzr
    mov x1, \a1
    mov x2, \a2
    mov x3, \a3
    ldr x0, =\fn
    hvc #0
.endm

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    PSCI PSCI_VERSION
    lsr x0, x0, #16
    CHECK 1, x0, 1
    ldr x4, =PSCI_CPU_ON
    PSCI PSCI_FEATURES, x4
    CHECK 2, x0, 0
    ldr x4, =0x84000005         /* MIGRATE */
    PSCI PSCI_FEATURES, x4
    CHECK 3, x0, 0xffffffffffffffff
    PSCI PSCI_MIGRATE_INFO_TYPE
    CHECK 4, x0, 2
    PSCI 0x8400ff00
    CHECK 5, x0, 0xffffffffffffffff
    mov x4, #1
    PSCI PSCI_AFFINITY_INFO, x4
    CHECK 6, x0, 1              /* off */
    mov x4, #0x99
    adr x5, _start
    PSCI PSCI_CPU_ON, x4, x5, x4
    CHECK 7, x0, 0xfffffffffffffffe

    /* start vCPU 1 (context 1: its stack index) */
    mov x4, #1
    adr x5, _start
    PSCI PSCI_CPU_ON, x4, x5, x4
    CHECK 8, x0, 0
    /* its message */
    adr x9, mailbox
    ldr x10, =100000000
1:  ldar x1, [x9]
    cbnz x1, 2f
    subs x10, x10, #1
    b.ne 1b
    mov x0, #9
    b test_fail
2:  CHECK 10, x1, 0x1234
    mov x4, #1
    adr x5, _start
    PSCI PSCI_CPU_ON, x4, x5, x4
    CHECK 11, x0, 0xfffffffffffffffc    /* already on: it waits for go */
    adr x9, go
    mov x1, #1
    stlr x1, [x9]
    /* counters, in parallel with vCPU 1 */
    adr x9, counter
    ldr x10, =ROUNDS
    mov x11, #1
    add x14, x9, #8
3:  ldadd x11, xzr, [x9]
4:  ldxr x12, [x14]
    add x12, x12, #1
    stxr w13, x12, [x14]
    cbnz w13, 4b
    subs x10, x10, #1
    b.ne 3b
    /* wait for vCPU 1 to finish and power off */
    ldr x10, =100000000
5:  mov x4, #1
    PSCI PSCI_AFFINITY_INFO, x4
    cmp x0, #1
    b.eq 6f
    subs x10, x10, #1
    b.ne 5b
    mov x0, #12
    b test_fail
6:  adr x9, counter
    ldr x1, [x9]
    CHECK 13, x1, 2 * ROUNDS
    ldr x1, [x9, #8]
    CHECK 14, x1, 2 * ROUNDS
    /* once more: it starts again and says so */
    adr x9, mailbox
    stlr xzr, [x9]
    mov x4, #1
    adr x5, _start
    PSCI PSCI_CPU_ON, x4, x5, x4
    CHECK 15, x0, 0
    ldr x10, =100000000
7:  ldar x1, [x9]
    cbnz x1, 8f
    subs x10, x10, #1
    b.ne 7b
    mov x0, #16
    b test_fail
8:  ldr x1, [x9, #8]
    CHECK 17, x1, 2             /* second start */
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/* vCPU 1: x0 = 1 */
    .global secondary_main
secondary_main:
    adr x9, mailbox
    ldr x1, [x9, #8]
    add x1, x1, #1
    str x1, [x9, #8]            /* starts */
    cmp x1, #1
    b.ne 2f
    mov x1, #0x1234
    stlr x1, [x9]
    adr x9, go
1:  ldar x1, [x9]
    cbz x1, 1b
    adr x9, counter
    ldr x10, =ROUNDS
    mov x11, #1
    add x14, x9, #8
3:  ldadd x11, xzr, [x9]
4:  ldxr x12, [x14]
    add x12, x12, #1
    stxr w13, x12, [x14]
    cbnz w13, 4b
    subs x10, x10, #1
    b.ne 3b
    dmb ish
    ldr x0, =PSCI_CPU_OFF
    hvc #0
    b .                         /* CPU_OFF does not return */
2:  mov x1, #0x5678
    stlr x1, [x9]
    ldr x0, =PSCI_CPU_OFF
    hvc #0
    b .
    .ltorg

    .data
    .balign 64
mailbox: .quad 0, 0
    .balign 64
counter: .quad 0, 0
go: .quad 0
    .global test_name
test_name: .asciz "a64_psci"
