/*
 * Warm reset through the test device: on the first boot mark RAM outside
 * the image and request a reset (0x7777); after the reset every hart
 * starts at the entry again, finds the mark and hart 0 passes.  Prints
 * "boot 1" and "boot 2".
 */
#define MARK_ADDR 0x80100000
#define MAGIC     0x5eb0075eb0075eb0

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr a0, mhartid
    bnez a0, park
    li   s0, 0x10000000
    li   s1, MARK_ADDR
    li   s2, MAGIC
    ld   t0, 0(s1)
    beq  t0, s2, second
    la   a0, boot1
    call puts
    sd   s2, 0(s1)
    fence rw, rw
    li   t0, 0x100000
    li   t1, 0x7777             /* reset */
    sw   t1, 0(t0)
1:  j    1b                     /* the reset takes us away */
second:
    la   a0, boot2
    call puts
    sd   zero, 0(s1)
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
park:
    wfi
    j    park

#include "uart-io.S"

    .section .rodata
boot1:
    .asciz "boot 1\n"
boot2:
    .asciz "boot 2\n"
