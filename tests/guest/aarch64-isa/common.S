/*
 * Start-up, vectors and the pass/fail exits of loom's bare-metal AArch64
 * guest tests (linked into every test).  vCPU 0 clears .bss, takes the
 * first 16 KiB stack, installs the vector table and calls test_main; a
 * return with x0 = 0 prints "<name>: ok" and exits 0.  Secondary vCPUs
 * (started by a test through PSCI CPU_ON with x0 = their index as the
 * context) take stack number x0 and call secondary_main(x0) (a weak
 * default spins).
 */
#include "a64.h"

    .section .text.init, "ax"
    .global _start
_start:
    mrs x1, mpidr_el1
    and x1, x1, #0xff
    cbnz x1, secondary_start
    adr x1, __bss_start
    adr x2, __bss_end
1:  cmp x1, x2
    b.hs 2f
    str xzr, [x1], #8
    b 1b
2:  mov x0, #0
    bl set_stack
    adr x1, vectors
    msr vbar_el1, x1
    isb
    bl test_main
    cbnz x0, test_fail
    adr x0, test_name
    mov x1, x0
    mov w0, #SYS_WRITE0
    hlt #0xf000
    adr x1, ok_msg
    mov w0, #SYS_WRITE0
    hlt #0xf000
    mov x0, #0
    b test_exit

/* x0 = cpu index: sp = the top of its stack */
set_stack:
    ldr x1, =__stacks_top
    lsl x2, x0, #14
    sub x1, x1, x2
    mov sp, x1
    ret

secondary_start:
    mov x19, x0
    bl set_stack
    adr x1, vectors
    msr vbar_el1, x1
    isb
    mov x0, x19
    bl secondary_main
3:  wfi
    b 3b

    .weak secondary_main
secondary_main:
    wfi
    b secondary_main

/* x0 = status: print "<name>: FAIL <status>" and exit with it */
    .global test_fail
test_fail:
    mov x19, x0
    adr x1, test_name
    mov w0, #SYS_WRITE0
    hlt #0xf000
    adr x1, fail_msg
    mov w0, #SYS_WRITE0
    hlt #0xf000
    /* the status in decimal, up to 3 digits */
    mov x2, #100
    mov x3, x19
    mov x5, #0              /* a digit printed already */
4:  udiv x4, x3, x2
    msub x3, x4, x2, x3
    cbnz x4, 5f
    cbnz x5, 5f
    cmp x2, #1
    b.ne 6f
5:  add x4, x4, #'0'
    adr x1, digit
    strb w4, [x1]
    mov w0, #SYS_WRITEC
    hlt #0xf000
    mov x5, #1
6:  mov x6, #10
    udiv x2, x2, x6
    cbnz x2, 4b
    adr x1, newline
    mov w0, #SYS_WRITE0
    hlt #0xf000
    mov x0, x19
    /* fall through */

/* x0 = exit status */
    .global test_exit
test_exit:
    adr x1, exit_block
    ldr x2, =ADP_STOPPED_APPLICATION_EXIT
    stp x2, x0, [x1]
    mov w0, #SYS_EXIT_EXTENDED
    hlt #0xf000
7:  b 7b

/*
 * Vectors: every entry saves x0-x3 and goes to one handler with the
 * entry's number (0..15).  Synchronous exceptions that a test announced
 * (EXPECT_EXCP) are recorded and resumed after the faulting insn (or at
 * ELR for SVC/HVC/SMC, whose ELR already points past them); anything
 * else fails the test with status 200 + the entry number.  A test that set
 * excp_resume continues there instead, at EL1h with DAIF masked.
 */
    .balign 2048
    .global vectors
vectors:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    .balign 0x80
    stp x0, x1, [sp, #-32]!
    stp x2, x3, [sp, #16]
    mov x0, #\n
    b vec_common
    .endr

vec_common:
    adr x1, last_vec
    str x0, [x1]
    mrs x2, esr_el1
    str x2, [x1, #8]
    mrs x2, elr_el1
    str x2, [x1, #16]
    mrs x2, far_el1
    str x2, [x1, #24]
    mrs x2, spsr_el1
    str x2, [x1, #32]
    ldr x2, [x1, #40]           /* excp_count */
    add x2, x2, #1
    str x2, [x1, #40]
    ldr x2, [x1, #48]           /* excp_expected */
    cbz x2, unexpected
    str xzr, [x1, #48]
    and x2, x0, #3
    cbnz x2, unexpected         /* IRQ, FIQ, SError: no test expects them here */
    ldr x2, [x1, #56]           /* excp_resume: continue there, at EL1h */
    cbz x2, 9f
    str xzr, [x1, #56]
    msr elr_el1, x2
    mov x2, #0x3c5
    msr spsr_el1, x2
    b 8f
9:    mrs x2, esr_el1
    lsr x2, x2, #26
    cmp x2, #0x15               /* SVC */
    b.eq 8f
    cmp x2, #0x16               /* HVC */
    b.eq 8f
    cmp x2, #0x17               /* SMC */
    b.eq 8f
    mrs x2, elr_el1
    add x2, x2, #4
    msr elr_el1, x2
8:  ldp x2, x3, [sp, #16]
    ldp x0, x1, [sp], #32
    eret

unexpected:
    add x0, x0, #200
    b test_fail

    .data
    .balign 8
    .global last_vec, last_esr, last_elr, last_far, last_spsr, excp_count, excp_expected
    .global excp_resume
last_vec:   .quad 0
last_esr:   .quad 0
last_elr:   .quad 0
last_far:   .quad 0
last_spsr:  .quad 0
excp_count: .quad 0
excp_expected: .quad 0
excp_resume: .quad 0
exit_block: .quad 0, 0
digit:      .byte 0, 0
ok_msg:     .asciz ": ok\n"
fail_msg:   .asciz ": FAIL "
newline:    .asciz "\n"
