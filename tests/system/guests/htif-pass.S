/* -M spike: three passing checks, then exit 0 through tohost. */
#include "htif.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    HTIF_PARK_OTHER_HARTS
    li   a0, 20
    addi a1, a0, 22
    HTIF_CHECK(2, a1, 42)
    slli a2, a1, 4
    HTIF_CHECK(3, a2, 672)
    la   t0, fromhost
    ld   a3, 0(t0)
    HTIF_CHECK(4, a3, 0)
    HTIF_PASS
fail:
    HTIF_FAIL

    HTIF_TOHOST_WORDS
