/*
 * Console input: print "ready", then echo every byte read from the UART
 * (polling LSR.DR) upper-cased, until 'q'; then pass.  The host side
 * (console.sh) feeds far more bytes than the UART holds at once, so
 * input must flow again each time the guest drains it.
 */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr a0, mhartid
    bnez a0, park
    li   s0, 0x10000000         /* UART, FIFO left off: a one-byte
                                   receive register, so input waits in
                                   the host until each byte is read
                                   (enabling the FIFO would clear it and
                                   drop bytes that arrived early) */
    la   a0, ready
    call puts
1:  lbu  t0, 5(s0)              /* LSR.DR */
    andi t0, t0, 1
    beqz t0, 1b
    lbu  a0, 0(s0)
    li   t1, 'q'
    beq  a0, t1, done
    li   t1, 'a'
    bltu a0, t1, 2f
    li   t1, 'z' + 1
    bgeu a0, t1, 2f
    addi a0, a0, -32
2:  call putc
    j    1b
done:
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
park:
    wfi
    j    park

#include "uart-io.S"

    .section .rodata
ready:
    .asciz "ready\n"
