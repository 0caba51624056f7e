/*
 * Macros of the AdvSIMD tests (a64_simd*.S), on top of a64.h.  They
 * clobber x15-x17 and the flags.  Built with -DGEN (by hand, never by
 * the runner), VCHK/XCHK print "VCHK <n> <lo> <hi>" instead of
 * checking: that is how the expected values were taken from QEMU.
 */
#include "a64.h"

/* CPACR_EL1.FPEN = 0b11: SIMD&FP at EL0 and EL1 without traps */
.macro FP_ON
    mov x15, #(3 << 20)
    msr cpacr_el1, x15
    isb
.endm

/* V<v> = hi:lo */
.macro VSET v, lo, hi
    ldr x16, =\lo
    ldr x17, =\hi
    mov v\v\().d[0], x16
    mov v\v\().d[1], x17
.endm

#ifdef GEN
.macro VCHK n, v, lo, hi
    sub sp, sp, #32
    stp x0, x1, [sp]
    str x2, [sp, #16]
    mov x0, #\n
    mov x1, v\v\().d[0]
    mov x2, v\v\().d[1]
    bl gen_dump
    ldp x0, x1, [sp]
    ldr x2, [sp, #16]
    add sp, sp, #32
.endm
.macro XCHK n, reg, val
    sub sp, sp, #32
    stp x0, x1, [sp]
    str x2, [sp, #16]
    mov x15, \reg
    mov x0, #\n
    mov x1, x15
    mov x2, #0
    bl gen_dump
    ldp x0, x1, [sp]
    ldr x2, [sp, #16]
    add sp, sp, #32
.endm
#else
/* fail with n unless V<v> == hi:lo */
.macro VCHK n, v, lo, hi
    mov x15, v\v\().d[0]
    CHECK \n, x15, \lo
    mov x15, v\v\().d[1]
    CHECK \n, x15, \hi
.endm
/* fail with n unless reg == val */
.macro XCHK n, reg, val
    mov x15, \reg
    CHECK \n, x15, \val
.endm
#endif

/* fail with n unless FPSR.QC == qc (0 or 1); then clear FPSR */
.macro QCHK n, qc
    mrs x15, fpsr
    ubfx x15, x15, #27, #1
    XCHK \n, x15, \qc
    msr fpsr, xzr
.endm

/* the function GEN builds call: print "VCHK x0 x1 x2" (hex), keeping
   every register but x0-x7, x30 and the flags */
.macro GEN_DUMP_FN
#ifdef GEN
gen_dump:
    stp x29, x30, [sp, #-16]!
    mov x5, x1
    mov x6, x2
    mov x1, x0
    adr x3, gen_buf
    mov w4, #'V'
    strb w4, [x3], #1
    mov w4, #' '
    strb w4, [x3], #1
    bl gen_hex
    mov x1, x5
    bl gen_hex
    mov x1, x6
    bl gen_hex
    mov w4, #'\n'
    strb w4, [x3, #-1]
    strb wzr, [x3]
    adr x1, gen_buf
    mov w0, #SYS_WRITE0
    hlt #0xf000
    ldp x29, x30, [sp], #16
    ret
/* x1 in 16 hex digits and a space at x3 */
gen_hex:
    mov x2, #60
1:  lsr x4, x1, x2
    and x4, x4, #15
    cmp x4, #10
    add x7, x4, #'0'
    add x4, x4, #('a' - 10)
    csel x4, x7, x4, lo
    strb w4, [x3], #1
    subs x2, x2, #4
    b.ge 1b
    mov w4, #' '
    strb w4, [x3], #1
    ret
    .data
gen_buf: .space 128
    .text
#endif
.endm
