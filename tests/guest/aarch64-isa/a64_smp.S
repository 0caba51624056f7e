/*
 * 4 vCPUs (PSCI CPU_ON) pass a start gate, then each adds 1 to three
 * shared counters ROUNDS times: with LDADDAL, with an LDAXR/STLXR loop
 * and with a CAS loop, and to a fourth with an LDXP/STXP pair loop (both
 * halves).  vCPU 0 waits for the others' STLR'd "done" flags (LDAR) and
 * checks the exact totals.  Run with -smp 4.
 */
#include "a64.h"

#define PSCI_CPU_ON 0xc4000003
#define NCPUS 4
#define ROUNDS 20000

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    mov x19, #1
1:  mov x1, x19
    adr x2, _start
    mov x3, x19
    ldr x0, =PSCI_CPU_ON
    hvc #0
    cbnz x0, 9f
    add x19, x19, #1
    cmp x19, #NCPUS
    b.ne 1b
    mov x0, #0
    bl worker
    /* wait for the others */
    adr x9, done
    mov x19, #1
2:  ldr x10, =200000000
3:  add x11, x9, x19, lsl #3
    ldar x1, [x11]
    cbnz x1, 4f
    subs x10, x10, #1
    b.ne 3b
    mov x0, #20
    add x0, x0, x19
    b test_fail
4:  add x19, x19, #1
    cmp x19, #NCPUS
    b.ne 2b
    adr x9, counters
    ldr x1, [x9]
    CHECK 1, x1, NCPUS * ROUNDS
    ldr x1, [x9, #64]
    CHECK 2, x1, NCPUS * ROUNDS
    ldr x1, [x9, #128]
    CHECK 3, x1, NCPUS * ROUNDS
    ldp x1, x2, [x9, #192]
    CHECK 4, x1, NCPUS * ROUNDS
    CHECK 5, x2, 2 * NCPUS * ROUNDS
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
9:  mov x0, #10
    b test_fail

    .global secondary_main
secondary_main:
    mov x20, x0
    bl worker
    adr x9, done
    mov x1, #1
    add x9, x9, x20, lsl #3
    stlr x1, [x9]
    b .

/* x0 = cpu index: gate, then the four kinds of increments */
worker:
    adr x9, gate
    mov x1, #1
    ldaddal x1, x2, [x9]
5:  ldar x2, [x9]
    cmp x2, #NCPUS
    b.lo 5b
    adr x9, counters
    add x22, x9, #64
    add x21, x9, #128
    ldr x10, =ROUNDS
    mov x11, #1
6:  ldaddal x11, xzr, [x9]
7:  ldaxr x12, [x22]
    add x12, x12, #1
    stlxr w13, x12, [x22]
    cbnz w13, 7b
    ldr x12, [x9, #128]
8:  add x13, x12, #1
    mov x14, x12
    casal x14, x13, [x21]
    cmp x14, x12
    mov x12, x14
    b.ne 8b
    add x15, x9, #192
10: ldxp x12, x13, [x15]
    add x12, x12, #1
    add x13, x13, #2
    stxp w14, x12, x13, [x15]
    cbnz w14, 10b
    subs x10, x10, #1
    b.ne 6b
    ret
    .ltorg

    .data
    .balign 64
gate: .quad 0
    .balign 64
done: .fill NCPUS, 8, 0
    .balign 64
counters: .fill 32, 8, 0
    .global test_name
test_name: .asciz "a64_smp"
