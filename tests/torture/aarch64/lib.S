/*
 * lib.S - printing for loom's AArch64 torture tests (semihosting
 * SYS_WRITE0; only vCPU 0 prints, at the end).  Both functions clobber
 * x0-x7 only.
 */
#include "torture-a64.h"

    .text
/* print the NUL-terminated string at x0 */
    .global print_str
print_str:
    mov  x1, x0
    mov  w0, #SYS_WRITE0
    hlt  #0xf000
    ret

/* print x0 in decimal, then a newline */
    .global print_dec
print_dec:
    adr  x1, dec_buf + 21           /* the digits end here */
    mov  w2, #'\n'
    strb w2, [x1]
    strb wzr, [x1, #1]
    mov  x3, #10
1:  udiv x4, x0, x3
    msub x5, x4, x3, x0             /* the last digit */
    add  w5, w5, #'0'
    strb w5, [x1, #-1]!
    mov  x0, x4
    cbnz x0, 1b
    mov  w0, #SYS_WRITE0
    hlt  #0xf000
    ret

    .bss
dec_buf: .space 24
