/*
 * Polled UART output for the system-test guests; s0 holds the UART base
 * (ns16550a, byte registers).  Clobbers t0, t2, t3, a0.
 */
putc:                           /* a0: byte; waits for THR empty */
    lbu  t0, 5(s0)
    andi t0, t0, 0x20
    beqz t0, putc
    sb   a0, 0(s0)
    ret

puts:                           /* a0: NUL-terminated string */
    mv   t2, ra
    mv   t3, a0
3:  lbu  a0, 0(t3)
    beqz a0, 4f
    call putc
    addi t3, t3, 1
    j    3b
4:  mv   ra, t2
    ret
