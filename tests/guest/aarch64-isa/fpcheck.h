/*
 * The FP tests' checks (a64_fp.S, a64_simd_fp.S): FCHK is CHECK, or,
 * built with -DFPDUMP (by hand, to read values off a reference), prints
 * "n: actual" where they differ and goes on.  FPDUMP_FN, placed once in
 * the text of a test, is the printing function FCHK calls then.
 */
#ifndef FPCHECK_H
#define FPCHECK_H

.macro FCHK n, reg, val
#ifdef FPDUMP
    stp x0, x1, [sp, #-16]!
    mov x1, \reg
    ldr x0, =\val
    cmp x0, x1
    b.eq 9991f
    mov x0, #\n
    bl dump
9991:
    ldp x0, x1, [sp], #16
#else
    CHECK \n, \reg, \val
#endif
.endm

.macro FPDUMP_FN
#ifdef FPDUMP
/* print "n: x1" (hex); keeps every register but x0 */
dump:
    stp x29, x30, [sp, #-64]!
    stp x1, x2, [sp, #16]
    stp x3, x4, [sp, #32]
    stp x5, x6, [sp, #48]
    ldr x5, =dumpbuf
    mov x2, #100
    udiv x3, x0, x2             /* hundreds */
    msub x0, x3, x2, x0
    add x3, x3, #'0'
    strb w3, [x5], #1
    mov x2, #10
    udiv x3, x0, x2             /* tens */
    msub x0, x3, x2, x0
    add x3, x3, #'0'
    strb w3, [x5], #1
    add x3, x0, #'0'
    strb w3, [x5], #1
    mov w3, #':'
    strb w3, [x5], #1
    mov w3, #' '
    strb w3, [x5], #1
    mov x4, #60
1:  lsr x3, x1, x4
    and x3, x3, #15
    cmp x3, #10
    add x6, x3, #'0'
    add x3, x3, #('a' - 10)
    csel x3, x6, x3, lo
    strb w3, [x5], #1
    subs x4, x4, #4
    b.ge 1b
    mov w3, #10
    strb w3, [x5], #1
    strb wzr, [x5]
    ldr x1, =dumpbuf
    mov w0, #SYS_WRITE0
    hlt #0xf000
    ldp x1, x2, [sp, #16]
    ldp x3, x4, [sp, #32]
    ldp x5, x6, [sp, #48]
    ldp x29, x30, [sp], #64
    ret
    .pushsection .data
dumpbuf: .space 32
    .popsection
#endif
.endm

#endif /* FPCHECK_H */
