/*
 * pl011_echo.S - console input through the PL011, polled: prints
 * "pl011 ready", then reads characters (pl011_echo.in: "hello loom")
 * and echoes each in upper case until a newline (pl011_echo.out).
 */
#include "a64.h"

    TEST_BEGIN 1
test_main:
    ldr x0, =msg
    bl uart_puts
    ldr x19, =UART_BASE
    WAIT_BEGIN
1:  WAIT_CHECK
    ldr w1, [x19, #UART_FR]
    tbnz w1, #4, 1b                     /* RXFE */
    ldr w0, [x19, #UART_DR]
    and w2, w0, #0xf00
    CHECK_EQ x2, 0, 1                   /* no error bits */
    and w0, w0, #0xff
    sub w2, w0, #'a'
    cmp w2, #26
    b.hs 2f
    sub w0, w0, #('a' - 'A')
2:  mov w20, w0
    bl uart_putc
    cmp w20, #'\n'
    b.ne 1b
    b test_pass

    .section .rodata
msg: .asciz "pl011 ready\n"
