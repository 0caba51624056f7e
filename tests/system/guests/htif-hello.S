/*
 * -M spike: prints "hello from htif" and a newline, one byte per request
 * (device 1 command 1): wait until tohost is 0, write the request, wait
 * until the host clears it, then check fromhost holds the answer
 * 0x0101000000000100 | byte.  Then exit 0.
 */
#include "htif.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    HTIF_PARK_OTHER_HARTS
    la   s0, msg
    li   TESTNUM, 2
next:
    lbu  a0, 0(s0)
    beqz a0, done
    call htif_putc
    addi s0, s0, 1
    j    next
done:
    HTIF_PASS
fail:
    HTIF_FAIL

/* a0 = byte */
htif_putc:
    la   t0, tohost
    la   t1, fromhost
1:  ld   t2, 0(t0)              /* the previous request is taken */
    bnez t2, 1b
    sd   zero, 0(t1)
    li   t2, 0x0101
    slli t2, t2, 48
    or   t2, t2, a0
    sd   t2, 0(t0)
2:  ld   t2, 0(t0)              /* this one is taken */
    bnez t2, 2b
    ld   t2, 0(t1)              /* answered: 0x0101000000000100 | byte */
    li   t3, 0x0101
    slli t3, t3, 48
    ori  t3, t3, 0x100
    or   t3, t3, a0
    li   TESTNUM, 90
    bne  t2, t3, fail
    ret

    .section .rodata
msg: .asciz "hello from htif\n"

    HTIF_TOHOST_WORDS
