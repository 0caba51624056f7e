/*
 * Message passing between 2 vCPUs, ROUNDS messages per scheme: vCPU 1
 * writes data then publishes the round number in a flag, vCPU 0 waits
 * for the flag and must see that round's data; an acknowledgement
 * flag (plain accesses: it orders nothing) paces the rounds.  Schemes: STLR/LDAR, then STR + DMB ISHST /
 * LDR + DMB ISHLD.  On the interpreter's weak-memory mode (-accel
 * tcg,backend=interp,weak=on) a missing barrier fails it.  Run with
 * -smp 2.
 */
#include "a64.h"

#define PSCI_CPU_ON 0xc4000003
#define ROUNDS 300

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    mov x1, #1
    adr x2, _start
    mov x3, #1
    ldr x0, =PSCI_CPU_ON
    hvc #0
    cbnz x0, 9f
    adr x9, data
    adr x10, flag
    adr x11, ack
    /* scheme 1: LDAR */
    mov x4, #1
1:  ldr x6, =100000000
2:  ldar x1, [x10]
    cmp x1, x4
    b.eq 3f
    subs x6, x6, #1
    b.ne 2b
    mov x0, #2
    b test_fail
3:  ldr x2, [x9]
    cmp x2, x4
    mov x0, #1
    b.ne test_fail
    str x4, [x11]
    add x4, x4, #1
    cmp x4, #ROUNDS
    b.ls 1b
    /* scheme 2: DMB ISHLD */
    mov x4, #1
4:  ldr x6, =100000000
5:  ldr x1, [x10, #8]
    cmp x1, x4
    b.eq 6f
    subs x6, x6, #1
    b.ne 5b
    mov x0, #4
    b test_fail
6:  dmb ishld
    ldr x2, [x9, #8]
    cmp x2, x4
    mov x0, #3
    b.ne test_fail
    str x4, [x11, #8]
    add x4, x4, #1
    cmp x4, #ROUNDS
    b.ls 4b
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret
9:  mov x0, #10
    b test_fail

/* vCPU 1: the writer */
    .global secondary_main
secondary_main:
    adr x9, data
    adr x10, flag
    adr x11, ack
    mov x4, #1
1:  str x4, [x9]
    stlr x4, [x10]
2:  ldr x1, [x11]              /* plain: the ack only paces the rounds */
    cmp x1, x4
    b.ne 2b
    add x4, x4, #1
    cmp x4, #ROUNDS
    b.ls 1b
    mov x4, #1
3:  str x4, [x9, #8]
    dmb ishst
    str x4, [x10, #8]
4:  ldr x1, [x11, #8]
    cmp x1, x4
    b.ne 4b
    add x4, x4, #1
    cmp x4, #ROUNDS
    b.ls 3b
    b .
    .ltorg

    .data
    .balign 64
data: .quad 0, 0
    .balign 64
flag: .quad 0, 0
    .balign 64
ack: .quad 0, 0
    .global test_name
test_name: .asciz "a64_mp"
