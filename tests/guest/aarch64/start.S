/*
 * start.S - start-up code and runtime shared by loom's AArch64 guest
 * tests (linked into every test ELF with exactly one test file, which
 * provides test_main and test_ncpus: a64.h, TEST_BEGIN).
 *
 * Every vCPU enters _start: vCPU 0 at the ELF's entry, the others when
 * vCPU 0 starts them with PSCI CPU_ON (HVC), as -M arm-virt and QEMU's
 * virt do without firmware.  At EL2 it drops to EL1 (EL1 in AArch64 with
 * the physical counter and timer); at EL1 it installs the vectors, takes
 * the stack of its index (MPIDR_EL1.Aff0) and calls test_main with x0 =
 * its index, interrupts masked.  vCPUs beyond test_ncpus park.
 *
 * Provides:
 *   test_pass            semihosting SYS_EXIT, status 0
 *   test_fail            x0 = check, x1 = found, x2 = expected: prints
 *                        "FAIL check N cpu C: found 0x... expected 0x..."
 *                        and exits with status N
 *   wait_timed_out       prints a FAIL line and exits with 254
 *   irq_handler          a quadword: when non-zero, IRQs taken at EL1
 *                        call it with x0 = the vCPU's index (it may use
 *                        x0-x18 and must keep the rest)
 *   sh_puts              x0 = NUL-terminated string, to the semihosting
 *                        console
 *   uart_putc, uart_puts polled PL011 output of w0 / the string at x0
 *   cpu_index            x0 = this vCPU's index
 * Any other exception prints its vector, ESR, ELR and FAR and exits with
 * 255.
 */
#include "a64.h"

    .section .text.init, "ax"
    .globl _start
_start:
    msr daifset, #0xf
    mrs x0, CurrentEL
    ubfx x0, x0, #2, #2
    cmp x0, #2
    b.ne 1f
    /* EL2: run the test at EL1, in AArch64, with the physical counter
       and timer, and no virtual offset */
    mov x0, #(1 << 31)
    msr hcr_el2, x0
    mov x0, #3
    msr cnthctl_el2, x0
    msr cntvoff_el2, xzr
    mov x0, #0x3c5              /* EL1h, DAIF masked */
    msr spsr_el2, x0
    adr x0, 1f
    msr elr_el2, x0
    eret
1:  ldr x0, =vectors
    msr vbar_el1, x0
    mov x0, #(3 << 20)          /* CPACR_EL1.FPEN: FP and SIMD at EL0/EL1 */
    msr cpacr_el1, x0
    isb
    bl cpu_index
    cmp x0, #GUEST_MAX_CPUS
    b.hs park
    ldr x1, =__stacks_top
    mov x2, #GUEST_STACK_SIZE
    msub x1, x0, x2, x1
    mov sp, x1
    cbnz x0, 3f

    /* vCPU 0 starts the others: CPU_ON(target MPIDR = index, _start) */
    ldr x1, =test_ncpus
    ldr x19, [x1]
    mov x20, #1
2:  cmp x20, x19
    b.hs 3f
    ldr x0, =PSCI_CPU_ON_64
    mov x1, x20
    ldr x2, =_start
    mov x3, #0
    hvc #0
    /* 0 (started) and -4 (ALREADY_ON: a machine that starts every vCPU)
       are both fine; anything else fails check 250 */
    cbz x0, 4f
    cmn x0, #4
    b.eq 4f
    mov x1, x0
    mov x2, #0
    mov x0, #250
    b test_fail
4:  add x20, x20, #1
    b 2b

3:  bl cpu_index
    ldr x1, =test_ncpus
    ldr x1, [x1]
    cmp x0, x1
    b.hs park
    /* known register state */
    mov x1, #0
    mov x2, #0
    mov x3, #0
    mov x4, #0
    mov x5, #0
    mov x6, #0
    mov x7, #0
    mov x8, #0
    mov x9, #0
    mov x10, #0
    mov x11, #0
    mov x12, #0
    mov x13, #0
    mov x14, #0
    mov x15, #0
    mov x16, #0
    mov x17, #0
    mov x18, #0
    mov x19, #0
    mov x20, #0
    mov x21, #0
    mov x22, #0
    mov x23, #0
    mov x24, #0
    mov x25, #0
    mov x26, #0
    mov x27, #0
    mov x28, #0
    mov x29, #0
    mov x30, #0
    b test_main

    .globl park
park:
    msr daifset, #0xf
1:  wfe
    b 1b

    .text
    .balign 4
    .globl cpu_index
cpu_index:
    mrs x0, mpidr_el1
    and x0, x0, #0xff
    ret

/* ---- pass, fail ---- */

    .globl test_pass
test_pass:
    mov x0, #0
    b sh_exit

    .globl test_fail
test_fail:
    msr daifset, #0xf
    mov x19, x0
    mov x20, x1
    mov x21, x2
    ldr x0, =msg_fail
    bl sh_puts
    mov x0, x19
    bl put_dec
    ldr x0, =msg_cpu
    bl sh_puts
    bl cpu_index
    bl put_dec
    ldr x0, =msg_found
    bl sh_puts
    mov x0, x20
    bl put_hex
    ldr x0, =msg_expected
    bl sh_puts
    mov x0, x21
    bl put_hex
    ldr x0, =msg_nl
    bl sh_puts
    mov x0, x19
    b sh_exit

    .globl wait_timed_out
wait_timed_out:
    msr daifset, #0xf
    ldr x0, =msg_wait
    bl sh_puts
    bl cpu_index
    bl put_dec
    ldr x0, =msg_nl
    bl sh_puts
    mov x0, #FAIL_WAIT_TIMEOUT
    b sh_exit

/* SYS_EXIT with ADP_Stopped_ApplicationExit and status x0. */
sh_exit:
    sub sp, sp, #16
    ldr x1, =SH_EXIT_APP
    stp x1, x0, [sp]
    mov x1, sp
    mov w0, #SH_EXIT
    hlt #0xf000
1:  wfe                         /* not reached */
    b 1b

/* ---- output ---- */

    .globl sh_puts
sh_puts:
    mov x1, x0
    mov w0, #SH_WRITE0
    hlt #0xf000
    ret

/* x0 as 0x + 16 hex digits (uses x0-x4 and the stack) */
put_hex:
    stp x29, x30, [sp, #-48]!
    mov x29, sp
    add x1, sp, #16
    mov w2, #'0'
    strb w2, [x1]
    mov w2, #'x'
    strb w2, [x1, #1]
    mov x3, #60
1:  lsr x2, x0, x3
    and x2, x2, #0xf
    cmp x2, #10
    add x4, x2, #'0'
    add x2, x2, #('a' - 10)
    csel x2, x4, x2, lo
    strb w2, [x1, #2]
    add x1, x1, #1
    subs x3, x3, #4
    b.pl 1b
    strb wzr, [x1, #2]
    add x0, sp, #16
    bl sh_puts
    ldp x29, x30, [sp], #48
    ret

/* x0 in decimal (uses x0-x4 and the stack) */
put_dec:
    stp x29, x30, [sp, #-48]!
    mov x29, sp
    add x1, sp, #47
    strb wzr, [x1]
    mov x3, #10
1:  udiv x2, x0, x3
    msub x4, x2, x3, x0
    add x4, x4, #'0'
    sub x1, x1, #1
    strb w4, [x1]
    mov x0, x2
    cbnz x0, 1b
    mov x0, x1
    bl sh_puts
    ldp x29, x30, [sp], #48
    ret

    .globl uart_putc
uart_putc:
    ldr x1, =UART_BASE
1:  ldr w2, [x1, #UART_FR]
    tbnz w2, #5, 1b             /* TXFF */
    str w0, [x1, #UART_DR]
    ret

    .globl uart_puts
uart_puts:
    stp x29, x30, [sp, #-32]!
    mov x29, sp
    str x19, [sp, #16]
    mov x19, x0
1:  ldrb w0, [x19], #1
    cbz w0, 2f
    bl uart_putc
    b 1b
2:  ldr x19, [sp, #16]
    ldp x29, x30, [sp], #32
    ret

/* ---- exceptions ---- */

    .balign 2048
    .globl vectors
vectors:
    .irp idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .balign 0x80
    .if \idx == 5               /* current EL with SP_ELx, IRQ */
    b irq_entry
    .else
    mov x0, #\idx
    b unexpected_exception
    .endif
    .endr

irq_entry:
    stp x0, x1, [sp, #-176]!
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x29, [sp, #144]
    str x30, [sp, #160]
    ldr x1, =irq_handler
    ldr x1, [x1]
    cbz x1, 1f
    bl cpu_index
    blr x1
    ldp x2, x3, [sp, #16]
    ldp x4, x5, [sp, #32]
    ldp x6, x7, [sp, #48]
    ldp x8, x9, [sp, #64]
    ldp x10, x11, [sp, #80]
    ldp x12, x13, [sp, #96]
    ldp x14, x15, [sp, #112]
    ldp x16, x17, [sp, #128]
    ldp x18, x29, [sp, #144]
    ldr x30, [sp, #160]
    ldp x0, x1, [sp], #176
    eret
1:  mov x0, #5
    b unexpected_exception

/* x0 = vector index: "unexpected exception: vector N cpu C ESR ... ELR
   ... FAR ...", exit 255 */
unexpected_exception:
    msr daifset, #0xf
    mov x19, x0
    ldr x0, =msg_unexp
    bl sh_puts
    mov x0, x19
    bl put_dec
    ldr x0, =msg_cpu
    bl sh_puts
    bl cpu_index
    bl put_dec
    ldr x0, =msg_esr
    bl sh_puts
    mrs x0, esr_el1
    bl put_hex
    ldr x0, =msg_elr
    bl sh_puts
    mrs x0, elr_el1
    bl put_hex
    ldr x0, =msg_far
    bl sh_puts
    mrs x0, far_el1
    bl put_hex
    ldr x0, =msg_nl
    bl sh_puts
    mov x0, #FAIL_UNEXPECTED
    b sh_exit

    .data
    .balign 8
    .globl irq_handler
irq_handler:
    .quad 0

    .section .rodata
msg_fail:       .asciz "FAIL check "
msg_cpu:        .asciz " cpu "
msg_found:      .asciz ": found "
msg_expected:   .asciz " expected "
msg_nl:         .asciz "\n"
msg_wait:       .asciz "FAIL check 254 (a wait timed out) cpu "
msg_unexp:      .asciz "unexpected exception: vector "
msg_esr:        .asciz " ESR "
msg_elr:        .asciz " ELR "
msg_far:        .asciz " FAR "
