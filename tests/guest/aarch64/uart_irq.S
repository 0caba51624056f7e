/*
 * uart_irq.S - an SPI: the PL011's transmit interrupt (UARTIMSC.TXIM)
 * reaches vCPU 0 as GIC interrupt 33 (SPI 1, as on QEMU virt).  Prints
 * "uart irq" (uart_irq.out); the handler checks IAR and UARTMIS, clears
 * the interrupt with UARTICR and ends it with EOIR.
 */
#include "a64.h"

    TEST_BEGIN 1
test_main:
    ldr x1, =irq_handler
    ldr x2, =uart_handler
    str x2, [x1]
    MMIO_WR32 GICD_BASE, GICD_CTLR, 1
    MMIO_WR8 GICD_BASE, GICD_IPRIORITYR+33, 0x80
    MMIO_WR8 GICD_BASE, GICD_ITARGETSR+33, 0x1
    MMIO_WR32 GICD_BASE, GICD_ISENABLER+4, 0x2
    MMIO_WR32 GICC_BASE, GICC_PMR, 0xf0
    MMIO_WR32 GICC_BASE, GICC_CTLR, 1
    ldr x0, =msg
    bl uart_puts
    /* the characters went out: TX is raised, masked so far */
    MMIO_RD32 w1, UART_BASE, UART_MIS
    CHECK_EQ x1, 0, 1
    MMIO_WR32 UART_BASE, UART_IMSC, 0x20
    WAIT_BEGIN
    ldr x19, =fired
    WAIT_IRQ_FLAG x19
    MMIO_RD32 w1, UART_BASE, UART_MIS
    CHECK_EQ x1, 0, 2
    MMIO_RD32 w1, GICD_BASE, GICD_ISPENDR+4
    and w1, w1, #2
    CHECK_EQ x1, 0, 3
    b test_pass

uart_handler:
    MMIO_RD32 w9, GICC_BASE, GICC_IAR
    CHECK_EQ x9, 33, 10
    MMIO_RD32 w10, UART_BASE, UART_MIS
    CHECK_EQ x10, 0x20, 11
    MMIO_WR32 UART_BASE, UART_ICR, 0x20
    ldr x16, =(GICC_BASE+GICC_EOIR)
    str w9, [x16]
    ldr x1, =fired
    mov x2, #1
    stlr x2, [x1]
    ret

    .section .rodata
msg: .asciz "uart irq\n"

    .data
    .balign 8
fired:  .quad 0
