/*
 * common.S - start-up code and runtime shared by all loom guest tests.
 *
 * Linked into every test ELF together with exactly one test file, which
 * provides test_main and test_nharts (through TEST_BEGIN, testmacros.h).
 *
 * Provides:
 *   _start                 entry of every hart (M-mode, a0 = mhartid)
 *   test_pass              finisher <- 0x5555 (emulator exits 0)
 *   test_fail              a0 = code (| CHECK_MEM_FORM for a memory-form
 *                          check), a1 = found, a2 = expected:
 *                          prints a line, finisher <- (code<<16)|0x3333
 *   unexpected_trap        default mtvec target: prints mcause/mepc/mtval,
 *                          fails with FAIL_UNEXPECTED_TRAP (255)
 *   trap_record_handler    recording handler, see TRAP_RECORD_ON
 *   trap_record            the record it writes (layout TR_* in header)
 *   uart_putc/puts/puthex/putdec   tiny polled ns16550a output
 */
#include "testmacros.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    /* Do not trust anything but a0 = mhartid: read it ourselves. */
    csrr a0, mhartid
    /* Quiet state: no interrupt can be taken, traps go to the default. */
    csrw mie, zero
    csrci mstatus, MSTATUS_MIE
    la   t0, unexpected_trap
    csrw mtvec, t0

    /* Harts beyond what the test asked for (or beyond the stack space
     * we reserved) sleep forever. */
    li   t0, GUEST_MAX_HARTS
    bgeu a0, t0, park
    la   t0, test_nharts
    ld   t0, 0(t0)
    bgeu a0, t0, park

    /* sp = __stacks_top - hartid * GUEST_STACK_SIZE */
    la   sp, __stacks_top
    li   t0, GUEST_STACK_SIZE
    mul  t0, t0, a0
    sub  sp, sp, t0

    /* Clear every other GPR so tests start from a known state. */
    li   ra, 0
    li   gp, 0
    li   tp, 0
    li   t0, 0
    li   t1, 0
    li   t2, 0
    li   s0, 0
    li   s1, 0
    li   a1, 0
    li   a2, 0
    li   a3, 0
    li   a4, 0
    li   a5, 0
    li   a6, 0
    li   a7, 0
    li   s2, 0
    li   s3, 0
    li   s4, 0
    li   s5, 0
    li   s6, 0
    li   s7, 0
    li   s8, 0
    li   s9, 0
    li   s10, 0
    li   s11, 0
    li   t3, 0
    li   t4, 0
    li   t5, 0
    li   t6, 0
    j    test_main

    .globl park
park:
    wfi
    j    park

    .text
/* ------------------------------------------------------------------ */
/* Pass / fail                                                         */
/* ------------------------------------------------------------------ */
    .balign 4
    .globl test_pass
test_pass:
#ifdef GUEST_KEEP_GOING
    la   t0, first_fail
    ld   a0, 0(t0)
    beqz a0, 1f
    li   a1, 0
    li   a2, 0
    j    test_fail
1:
#endif
    la   a0, msg_pass
    call uart_puts
    li   t0, FINISHER_BASE
    li   t1, FINISHER_PASS
    sw   t1, 0(t0)
1:  wfi
    j    1b

    .globl test_fail
test_fail:
    mv   s0, a0
    mv   s1, a1
    mv   s2, a2
    call print_fail_line
    /* finisher <- (code << 16) | 0x3333 */
    slli t1, s0, 16
    li   t2, FINISHER_FAIL
    or   t1, t1, t2
    li   t0, FINISHER_BASE
    sw   t1, 0(t0)
1:  wfi
    j    1b

/* "FAIL check <s0> hart <id>: found <s1> expected <s2>\n", with
 * " (operands from memory)" after the code when s0 has CHECK_MEM_FORM
 * (which it then clears). */
print_fail_line:
    mv   s3, ra
    la   a0, msg_fail
    call uart_puts
    andi a0, s0, ~CHECK_MEM_FORM
    call uart_putdec
    andi a0, s0, CHECK_MEM_FORM
    beqz a0, 1f
    la   a0, msg_mem
    call uart_puts
1:  andi s0, s0, ~CHECK_MEM_FORM
    la   a0, msg_hart
    call uart_puts
    csrr a0, mhartid
    call uart_putdec
    la   a0, msg_found
    call uart_puts
    mv   a0, s1
    call uart_puthex
    la   a0, msg_expected
    call uart_puts
    mv   a0, s2
    call uart_puthex
    li   a0, '\n'
    call uart_putc
    mv   ra, s3
    ret

#ifdef GUEST_KEEP_GOING
/* test_report: like test_fail but returns; every register except a0-a2
 * is preserved (the CHECK macro saves those).  Remembers the first code.
 * Clobbers uart helpers' registers only after saving them. */
    .globl test_report
test_report:
    addi sp, sp, -96
    sd   ra, 0(sp)
    sd   t0, 8(sp)
    sd   t1, 16(sp)
    sd   t2, 24(sp)
    sd   t3, 32(sp)
    sd   t4, 40(sp)
    sd   t5, 48(sp)
    sd   t6, 56(sp)
    sd   s0, 64(sp)
    sd   s1, 72(sp)
    sd   s2, 80(sp)
    sd   s3, 88(sp)
    la   t0, first_fail
    ld   t1, 0(t0)
    bnez t1, 1f
    andi t1, a0, ~CHECK_MEM_FORM
    sd   t1, 0(t0)
1:  mv   s0, a0
    mv   s1, a1
    mv   s2, a2
    call print_fail_line
    ld   ra, 0(sp)
    ld   t0, 8(sp)
    ld   t1, 16(sp)
    ld   t2, 24(sp)
    ld   t3, 32(sp)
    ld   t4, 40(sp)
    ld   t5, 48(sp)
    ld   t6, 56(sp)
    ld   s0, 64(sp)
    ld   s1, 72(sp)
    ld   s2, 80(sp)
    ld   s3, 88(sp)
    addi sp, sp, 96
    ret
#endif

/* ------------------------------------------------------------------ */
/* Default trap handler: any trap here is a test failure.              */
/* ------------------------------------------------------------------ */
    .balign 4
    .globl unexpected_trap
unexpected_trap:
    /* Give this hart a fresh stack (sp may be anything). */
    csrr s0, mhartid
    la   sp, __stacks_top
    li   t0, GUEST_STACK_SIZE
    mul  t0, t0, s0
    sub  sp, sp, t0
    la   a0, msg_trap
    call uart_puts
    mv   a0, s0
    call uart_putdec
    la   a0, msg_mcause
    call uart_puts
    csrr a0, mcause
    call uart_puthex
    la   a0, msg_mepc
    call uart_puts
    csrr a0, mepc
    call uart_puthex
    la   a0, msg_mtval
    call uart_puts
    csrr a0, mtval
    call uart_puthex
    li   a0, '\n'
    call uart_putc
    li   a0, FAIL_UNEXPECTED_TRAP
    csrr a1, mcause
    csrr a2, mepc
    j    test_fail

/* ------------------------------------------------------------------ */
/* Recording trap handler (see TRAP_RECORD_ON in testmacros.h).        */
/* Preserves every GPR; uses mscratch to free t0.                      */
/* ------------------------------------------------------------------ */
    .balign 4
    .globl trap_record_handler
trap_record_handler:
    csrw mscratch, t0
    la   t0, trap_record
    sd   t1, TR_SAVE1(t0)
    sd   t2, TR_SAVE2(t0)
    ld   t1, TR_COUNT(t0)
    addi t1, t1, 1
    sd   t1, TR_COUNT(t0)
    csrr t1, mcause
    sd   t1, TR_CAUSE(t0)
    csrr t1, mepc
    sd   t1, TR_EPC(t0)
    csrr t1, mtval
    sd   t1, TR_TVAL(t0)
    csrr t1, mstatus
    sd   t1, TR_STATUS(t0)
    csrr t1, mip
    sd   t1, TR_MIP(t0)
    csrr t1, mcause
    bltz t1, 2f
    /* Exception: resume at TR_RESUME if set, else skip the instruction. */
    ld   t1, TR_RESUME(t0)
    bnez t1, 1f
    csrr t1, mepc
    addi t1, t1, 4
1:  csrw mepc, t1
    sd   zero, TR_RESUME(t0)
    j    3f
2:  /* Interrupt: clear its enable bit in mie, return to mepc. */
    slli t1, t1, 1
    srli t1, t1, 1
    li   t2, 1
    sll  t2, t2, t1
    csrc mie, t2
3:  ld   t1, TR_SAVE1(t0)
    ld   t2, TR_SAVE2(t0)
    csrr t0, mscratch
    mret

/* ------------------------------------------------------------------ */
/* Polled UART output. Clobbers a0, t0-t4 (putdec also uses 32 bytes   */
/* of stack); every other register is preserved.                       */
/* ------------------------------------------------------------------ */
    .globl uart_putc
uart_putc:                      /* a0 = byte */
    li   t0, UART_BASE
1:  lbu  t1, UART_LSR(t0)
    andi t1, t1, UART_LSR_THRE
    beqz t1, 1b
    sb   a0, UART_THR(t0)
    ret

    .globl uart_puts
uart_puts:                      /* a0 = NUL-terminated string */
    mv   t2, a0
    mv   t3, ra
1:  lbu  a0, 0(t2)
    beqz a0, 2f
    call uart_putc
    addi t2, t2, 1
    j    1b
2:  mv   ra, t3
    ret

    .globl uart_puthex
uart_puthex:                    /* a0 = value, printed as 0x + 16 digits */
    mv   t2, a0
    mv   t3, ra
    li   a0, '0'
    call uart_putc
    li   a0, 'x'
    call uart_putc
    li   t4, 60
1:  srl  a0, t2, t4
    andi a0, a0, 15
    addi a0, a0, '0'
    li   t1, '9'
    ble  a0, t1, 2f
    addi a0, a0, 'a' - '0' - 10
2:  call uart_putc
    addi t4, t4, -4
    bgez t4, 1b
    mv   ra, t3
    ret

    .globl uart_putdec
uart_putdec:                    /* a0 = unsigned value (< 10^19) */
    addi sp, sp, -32
    mv   t3, ra
    mv   t2, a0
    li   t4, 0                  /* digits pushed */
1:  li   t1, 10
    remu a0, t2, t1
    divu t2, t2, t1
    addi a0, a0, '0'
    add  t1, sp, t4
    sb   a0, 0(t1)
    addi t4, t4, 1
    bnez t2, 1b
2:  addi t4, t4, -1
    add  t1, sp, t4
    lbu  a0, 0(t1)
    call uart_putc
    bnez t4, 2b
    mv   ra, t3
    addi sp, sp, 32
    ret

    .section .rodata
msg_pass:     .asciz "PASS\n"
msg_fail:     .asciz "FAIL check "
msg_hart:     .asciz " hart "
msg_mem:      .asciz " (operands from memory)"
msg_found:    .asciz ": found "
msg_expected: .asciz " expected "
msg_trap:     .asciz "unexpected trap on hart "
msg_mcause:   .asciz ": mcause="
msg_mepc:     .asciz " mepc="
msg_mtval:    .asciz " mtval="

    .bss
    .balign 64
    .globl trap_record
trap_record:
    .space TR_SIZE
#ifdef GUEST_KEEP_GOING
    .balign 8
first_fail:
    .dword 0
#endif
