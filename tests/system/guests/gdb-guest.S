/*
 * The guest of tests/system/gdbstub.sh: four harts, symbols for GDB.
 *
 * Harts 1..3 park in wfi.  Hart 0 runs main: it spins while `hold`
 * counts down to 0 (the test sets it to hold the guest, and writes 0 to
 * let it go), at `marker` it sets a1 to
 * 0x123 (the test steps over that insn and reads a1), stores 99 to
 * `wvar` (the test's watchpoint stops at `after_store`), then exits
 * through the sifive_test finisher with status a2 + gdb_value: 0 when
 * run alone, 45 when the test has set a2 = 3 and gdb_value = 42.
 *
 * Built twice: gdb-guest.elf with `hold` 0, and gdb-guest-spin.elf with
 * HOLD_INIT = -1, which spins for good (2^64 rounds) until a debugger
 * attaches to it and writes 0 to `hold`.
 */
#define FINISHER_BASE 0x100000
#ifndef HOLD_INIT
#define HOLD_INIT 0
#endif

    .section .text.init, "ax"
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, park
    j main

park:
    wfi
    j park

    .text
    .globl main
main:
    li a2, 0
    /* spin while `hold` counts down (0 unless the test set it).  One
       amoadd reads and decrements it: with a load and a later store, a
       debugger stopping the hart between them and writing 0 would see
       its write overwritten by the stale count minus 1. */
    la t0, hold
    li t2, -1
    .globl spin
spin:
    amoadd.d t1, t2, (t0)
    .globl counted
counted:
    beqz t1, 1f
    j spin
1:
    .globl marker
marker:
    addi a1, zero, 0x123
    nop
    la t0, wvar
    li t1, 99
    sd t1, 0(t0)
    .globl after_store
after_store:
    la t0, gdb_value
    ld t2, 0(t0)
    add a0, a2, t2
    li t0, FINISHER_BASE
    beqz a0, pass
    slli a0, a0, 16
    li t1, 0x3333
    or a0, a0, t1
    sw a0, 0(t0)
    j .
pass:
    li t1, 0x5555
    sw t1, 0(t0)
    j .

    .data
    .balign 8
    .globl gdb_value
gdb_value:
    .dword 0
    .globl wvar
wvar:
    .dword 0
    .globl hold
hold:
    .dword HOLD_INIT
