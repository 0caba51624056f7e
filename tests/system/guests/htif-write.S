/*
 * -M spike: prints "write ok" and a newline with the write system call
 * (device 0, payload = address of the call block: 64, fd 1, buf, len),
 * then checks the answer: fromhost = 1 and word 0 = the count (9).
 * loom serves it; QEMU 7.2 does not (docs/manual.md).  Then exit 0.
 */
#include "htif.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    HTIF_PARK_OTHER_HARTS
    la   s0, block
    li   t0, 64
    sd   t0, 0(s0)
    li   t0, 1
    sd   t0, 8(s0)
    la   t0, msg
    sd   t0, 16(s0)
    li   t0, 9
    sd   t0, 24(s0)
    la   t0, tohost
    la   t1, fromhost
    sd   s0, 0(t0)
1:  ld   t2, 0(t1)              /* wait for the answer */
    beqz t2, 1b
    HTIF_CHECK(2, t2, 1)
    ld   t2, 0(t0)
    HTIF_CHECK(3, t2, 0)
    ld   t2, 0(s0)
    HTIF_CHECK(4, t2, 9)
    HTIF_PASS
fail:
    HTIF_FAIL

    .section .rodata
msg: .ascii "write ok\n"

    .data
    .balign 64
block: .dword 0, 0, 0, 0, 0, 0, 0, 0

    HTIF_TOHOST_WORDS
