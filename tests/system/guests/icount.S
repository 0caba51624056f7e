/*
 * -icount (tests/system/icount.sh): the guest clock in instructions.
 * Hart 0, from reset:
 *   S mtime-after-4-insns mtime-after-2006-insns time-csr-after-2007-insns
 * then NTIMER machine timer interrupts taken while it counts loop
 * iterations (7 per 8-instruction loop), and one more taken in wfi after
 * a deadline 1e9 ticks (100 s at 10 MHz) ahead, each recorded as
 *   T mtimecmp mtime-read-by-the-handler's-first-insn iterations shared
 * where shared is what the other harts (if any) have added to a counter
 * so far (20000 each, then they park in wfi), then "done" and the finisher's pass.  Values in hex.
 * The "after N insns" counts hold only with -smp 1: other harts' turns
 * count too.  s0 = UART (uart-io.S), t0 = MTIME throughout.
 */
#define UART      0x10000000
#define MTIME     0x0200bff8
#define MTIMECMP0 0x02004000
#define FINISHER  0x100000
#define NTIMER    8
#define MIE_MTIE  0x80
#define MSTATUS_MIE 0x8

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr t2, mhartid                /* insn 0 */
    bnez t2, secondary              /* insn 1 */
    li   t0, MTIME                  /* insns 2, 3 (lui, addiw) */
    ld   s1, 0(t0)                  /* insn 4: 4 insns before it */
    li   t1, 1000                   /* insn 5 */
1:  addi t1, t1, -1                 /* insns 6..2005 */
    bnez t1, 1b
    ld   s2, 0(t0)                  /* insn 2006 */
    csrr s3, time                   /* insn 2007 */

    la   t1, handler
    csrw mtvec, t1
    la   s6, records
    li   s4, 0                      /* loop iterations x 7 */
    li   s5, 0                      /* interrupts taken */
    ld   a1, 0(t0)
    addi s7, a1, 500                /* first deadline */
    li   a5, MTIMECMP0
    sd   s7, 0(a5)
    li   t1, MIE_MTIE
    csrw mie, t1
    csrsi mstatus, MSTATUS_MIE
    li   t3, NTIMER
count:                              /* one 8-instruction block */
    addi s4, s4, 1
    addi s4, s4, 1
    addi s4, s4, 1
    addi s4, s4, 1
    addi s4, s4, 1
    addi s4, s4, 1
    addi s4, s4, 1
    blt  s5, t3, count

    /* idle: a deadline far ahead, reached by wfi without host sleeping */
    ld   a1, 0(t0)
    li   t1, 1000000000
    add  s7, a1, t1
    sd   s7, 0(a5)
    addi t3, t3, 1
2:  wfi
    blt  s5, t3, 2b
    csrci mstatus, MSTATUS_MIE

    li   s0, UART
    la   a0, s_tag
    call puts
    mv   a0, s1
    call puthex
    mv   a0, s2
    call puthex
    mv   a0, s3
    call puthex
    call newline
    la   s6, records
    li   s9, NTIMER + 1
3:  la   a0, t_tag
    call puts
    ld   a0, 0(s6)
    call puthex
    ld   a0, 8(s6)
    call puthex
    ld   a0, 16(s6)
    call puthex
    ld   a0, 24(s6)
    call puthex
    call newline
    addi s6, s6, 32
    addi s9, s9, -1
    bnez s9, 3b
    la   a0, done
    call puts
    li   t0, FINISHER
    li   t1, 0x5555
    sw   t1, 0(t0)
4:  j    4b

/* The timer interrupt: the first instruction reads mtime. */
    .align 2
handler:
    ld   a1, 0(t0)
    la   a6, shared
    ld   a6, 0(a6)
    sd   s7, 0(s6)
    sd   a1, 8(s6)
    sd   s4, 16(s6)
    sd   a6, 24(s6)
    addi s6, s6, 32
    addi s5, s5, 1
    /* the next deadline, 1000 + 37 * n ticks after this one's entry */
    li   a3, 37
    mul  a3, a3, s5
    addi a3, a3, 1000
    add  s7, a1, a3
    sd   s7, 0(a5)
    mret

secondary:                          /* other harts: add to shared, then park */
    la   a0, shared
    li   a1, 1
    li   a2, 20000
5:  amoadd.d zero, a1, (a0)
    addi a2, a2, -1
    bnez a2, 5b
8:  wfi                             /* mie = 0: for ever */
    j    8b

puthex:                             /* a0: 16 hex digits and a space */
    mv   t4, ra
    mv   t5, a0
    li   t6, 60
6:  srl  a0, t5, t6
    andi a0, a0, 15
    addi a0, a0, '0'
    li   t3, '9'
    ble  a0, t3, 7f
    addi a0, a0, 'a' - '0' - 10
7:  call putc
    addi t6, t6, -4
    bgez t6, 6b
    li   a0, ' '
    call putc
    mv   ra, t4
    ret

newline:
    mv   t4, ra
    li   a0, '\n'
    call putc
    mv   ra, t4
    ret

#include "uart-io.S"

    .section .rodata
s_tag: .asciz "S "
t_tag: .asciz "T "
done:  .asciz "done\n"

    .data
    .align 3
shared:  .dword 0
records: .zero 32 * (NTIMER + 1)
