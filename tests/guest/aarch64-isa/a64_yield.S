/*
 * YIELD and WFE in wait loops on 2 vCPUs: a ping-pong of ROUNDS turns,
 * vCPU 0 waiting with YIELD and vCPU 1 with WFE (woken by SEV), each
 * turn passed by STLR and read by LDAR; the turn counter ends at exactly
 * 2 * ROUNDS and vCPU 1 counts exactly ROUNDS turns.
 *
 * Under thread=single the two vCPUs share one host thread: a YIELD or
 * WFE hands it to the other vCPU at once.  Were they to spin out their
 * 10 ms slice instead, the 2 * ROUNDS hand-overs would take some 200 s,
 * past the runner's 120 s limit: that is how this test fails when the
 * hand-over is lost.  Run with -smp 2.
 */
#include "a64.h"

#define PSCI_CPU_ON 0xc4000003
#define ROUNDS 10000

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    mov x1, #1
    adr x2, _start
    mov x3, #1
    ldr x0, =PSCI_CPU_ON
    hvc #0
    CHECK 1, x0, 0
    adr x9, turn
    mov x10, xzr                /* my turns taken */
    ldr x11, =ROUNDS
1:  ldar x1, [x9]
    tbnz x1, #0, 3f             /* odd: vCPU 1's turn, wait */
    add x1, x1, #1              /* even: mine; pass it on */
    stlr x1, [x9]
    sev
    add x10, x10, #1
    cmp x10, x11
    b.eq 4f
    b 1b
3:  yield
    b 1b
4:  /* wait for vCPU 1 to publish its count (after its last turn) */
    adr x14, done1
5:  ldar x2, [x14]
    cbnz x2, 6f
    yield
    b 5b
6:  ldar x1, [x9]
    CHECK 2, x1, 2 * ROUNDS
    CHECK 3, x2, ROUNDS
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

/* vCPU 1: waits with WFE */
    .global secondary_main
secondary_main:
    adr x9, turn
    mov x10, xzr
    ldr x11, =ROUNDS
1:  ldar x1, [x9]
    tbz x1, #0, 3f              /* even: vCPU 0's turn, wait */
    add x1, x1, #1
    stlr x1, [x9]
    add x10, x10, #1
    cmp x10, x11
    b.eq 4f
    b 1b
3:  wfe
    b 1b
4:  adr x9, done1
    stlr x10, [x9]
5:  wfi
    b 5b

    .data
    .balign 8
turn: .quad 0
done1: .quad 0

    .section .rodata
    .global test_name
test_name: .asciz "a64_yield"
