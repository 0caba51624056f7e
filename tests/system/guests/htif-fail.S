/* -M spike: check 2 passes, check 3 fails on purpose: exit status 3. */
#include "htif.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    HTIF_PARK_OTHER_HARTS
    li   a0, 5
    HTIF_CHECK(2, a0, 5)
    HTIF_CHECK(3, a0, 6)
    HTIF_PASS
fail:
    HTIF_FAIL

    HTIF_TOHOST_WORDS
