/*
 * pl011_regs.S - loom's PL011 model as the guest sees it (values QEMU
 * 7.2's model does not share, so not run on QEMU): the PrimeCell IDs of
 * r1p5, the flags with the modem inputs of a connected terminal, the
 * reset values; the receive FIFO through loopback (32 characters with
 * FEN, RX at the trigger level, RXFF, an overrun flagged on the last
 * character); and the receive timeout interrupt (RT) reaching the GIC
 * as SPI 1 for console input below the trigger level (pl011_regs.in).
 */
#include "a64.h"

    TEST_BEGIN 1
test_main:
    ldr x19, =UART_BASE
    /* UARTPeriphID0-3, UARTPCellID0-3 */
    ldr x20, =ids
    mov x21, #0
1:  add x1, x19, #0xfe0
    ldr w2, [x1, x21, lsl #2]
    ldrb w3, [x20, x21]
    add x0, x21, #1
    cmp w2, w3
    b.eq 2f
    mov x1, x2
    mov x2, x3
    b test_fail                         /* checks 1..8 */
2:  add x21, x21, #1
    cmp x21, #8
    b.lo 1b
    ldr w1, [x19, #UART_CR]
    CHECK_EQ x1, 0x300, 10
    ldr w1, [x19, #UART_IFLS]
    CHECK_EQ x1, 0x12, 11

    /* the first character of the console input (pl011_regs.in, "albc\n")
       waits in the 1-character holding register: FR = RXFF + TXFE +
       DCD, DSR, CTS */
    WAIT_BEGIN
3:  WAIT_CHECK
    ldr w1, [x19, #UART_FR]
    tbnz w1, #4, 3b
    CHECK_EQ x1, 0xc7, 12

    /* loopback: the console input waits; the modem inputs are the
       UART's own outputs (all off) */
    mov w1, #0x381                      /* LBE TXE RXE UARTEN */
    str w1, [x19, #UART_CR]
    ldr w1, [x19, #UART_FR]
    CHECK_EQ x1, 0xc0, 13               /* TXFE, RXFF */
    /* FIFOs on: the holding register's character goes */
    mov w1, #0x70
    str w1, [x19, #UART_LCR_H]
    ldr w1, [x19, #UART_FR]
    CHECK_EQ x1, 0x90, 19               /* TXFE, RXFE */
    mov w1, #0x7ff
    str w1, [x19, #UART_ICR]
    mov x21, #0
4:  add w0, w21, #'@'
    str w0, [x19, #UART_DR]
    add x21, x21, #1
    cmp x21, #15
    b.ne 5f
    ldr w1, [x19, #UART_RIS]
    bic w1, w1, #0x40                   /* RT, if the host was slow */
    CHECK_EQ x1, 0x20, 14               /* 15 < 16: no RX yet */
5:  cmp x21, #33
    b.lo 4b
    ldr w1, [x19, #UART_RIS]
    bic w1, w1, #0x40
    CHECK_EQ x1, 0x430, 15              /* OE, TX, RX */
    ldr w1, [x19, #UART_FR]
    mov w2, #0x50
    and w1, w1, w2
    CHECK_EQ x1, 0x40, 16               /* RXFF */
    mov x21, #0
6:  ldr w1, [x19, #UART_DR]
    add w2, w21, #'@'
    cmp x21, #31
    b.ne 7f
    orr w2, w2, #0x800                  /* the overrun, on the last one */
7:  cmp w1, w2
    b.eq 8f
    mov x0, #17
    b test_fail
8:  add x21, x21, #1
    cmp x21, #32
    b.lo 6b
    ldr w1, [x19, #UART_RIS]
    mov w2, #0x50
    and w1, w1, w2
    CHECK_EQ x1, 0, 18

    /* loopback off: console input, 4 characters below the trigger
       level, raise RT through the GIC */
    mov w1, #0x301
    str w1, [x19, #UART_CR]
    mov w1, #0x7ff
    str w1, [x19, #UART_ICR]
    ldr x1, =irq_handler
    ldr x2, =rt_handler
    str x2, [x1]
    MMIO_WR32 GICD_BASE, GICD_CTLR, 1
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+33, 0x80
    MMIO_WR8 GICD_BASE, GICD_ITARGETSR+33, 0x1
    MMIO_WR32 GICD_BASE, GICD_ISENABLER+4, 0x2
    MMIO_WR32 GICC_BASE, GICC_PMR, 0xf0
    MMIO_WR32 GICC_BASE, GICC_CTLR, 1
    mov w1, #0x50                       /* RX, RT */
    str w1, [x19, #UART_IMSC]
    ldr x20, =done
    WAIT_IRQ_FLAG x20
    ldr x1, =buf
    ldr w1, [x1]
    CHECK_EQ x1, 0x0a63626c, 20         /* "lbc\n": the input after 'a' */
    b test_pass

/* RT: read everything there is; RT falls with the FIFO empty */
rt_handler:
    MMIO_RD32 w9, GICC_BASE, GICC_IAR
    CHECK_EQ x9, 33, 30
    MMIO_RD32 w10, UART_BASE, UART_MIS
    CHECK_EQ x10, 0x40, 31
    ldr x11, =UART_BASE
    ldr x12, =got
    ldr x13, [x12]
    ldr x14, =buf
1:  ldr w10, [x11, #UART_FR]
    tbnz w10, #4, 2f
    ldr w10, [x11, #UART_DR]
    strb w10, [x14, x13]
    add x13, x13, #1
    and x13, x13, #7
    b 1b
2:  MMIO_RD32 w10, UART_BASE, UART_MIS
    CHECK_EQ x10, 0, 32
    ldr x16, =(GICC_BASE+GICC_EOIR)
    str w9, [x16]
    str x13, [x12]
    cmp x13, #4
    b.lo 3f
    ldr x12, =done
    mov x13, #1
    stlr x13, [x12]
3:  ret

    .section .rodata
ids: .byte 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1

    .data
    .balign 8
got:    .quad 0
buf:    .quad 0
done:   .quad 0
