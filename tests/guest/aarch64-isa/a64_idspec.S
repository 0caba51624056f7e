/*
 * The speculation fields of ID_AA64PFR0_EL1: CSV3 (bits 63:60) is 1
 * and CSV2 (bits 59:56) not 0, FEAT_CSV3 and FEAT_CSV2, since loom does
 * not speculate; with CSV3 Linux needs no kernel page table isolation,
 * which would switch the ASID on every entry from EL0 and back.
 */
#include "a64.h"

    .text
    .global test_main
test_main:
    mrs x1, id_aa64pfr0_el1
    lsr x2, x1, #60
    CHECK 1, x2, 1              /* CSV3 */
    /* CSV2: loom says 1, QEMU's max 2 (FEAT_CSV2_2): not 0 */
    ubfx x2, x1, #56, #4
    cmp x2, #0
    cset x3, ne
    CHECK 2, x3, 1
    mov x0, #0
    ret

    .data
    .global test_name
test_name: .asciz "a64_idspec"
