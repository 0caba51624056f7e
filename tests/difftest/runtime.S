/*
 * runtime.S - the fixed part of a differential-test image
 * (tests/difftest/README.md).  Linked with one file from difftest-gen.
 *
 * For each state block (dt_first_block, then the one each sequence's tail
 * names in x31) dt_load sets fcsr, the scratch area, f0..f31 and
 * x1..x31 from the block and enters the body with mret (mepc = the
 * block's first word).  The body's tail saves x30 and x31 and jumps to
 * dt_save_state, which stores the final state in dt_save and prints one
 * line for the sequence on the UART:
 *
 *     K HHHHHHHHHHHHHHHH            K = sequence index, H = FNV-1a hash
 *
 * of slots 1..128 of dt_save (x1..x31, f0..f31, fcsr, scratch), all in
 * hex.  For the sequence named by dt_full_index it also prints each slot:
 *
 *     = SS VVVVVVVVVVVVVVVV         SS = slot (hex), V = its value
 *
 * After the last block (first word 0) it prints "done" and ends the run
 * through the sifive_test finisher with status 0.  Any trap prints
 * "trap K mcause mepc mtval" and ends the run with status 3.
 *
 * Block and dt_save layout (8-byte slots): 0 body address, 1..31 x1..x31,
 * 32..63 f0..f31, 64 fcsr, 65..128 the scratch area.
 */

#define UART_BASE   0x10000000
#define UART_LSR    5
#define LSR_THRE    0x20
#define FINISHER    0x100000
#define MSTATUS_FS  0x6000
#define MSTATUS_MPP 0x1800
#define NSLOTS      129
#define SCRATCH_DWORDS 64

    .option norvc
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, park
    csrw mie, zero
    csrci mstatus, 8
    la   t0, dt_trap
    csrw mtvec, t0
    li   t0, MSTATUS_FS
    csrs mstatus, t0
    la   t0, dt_first_index
    ld   t0, 0(t0)
    la   t1, dt_cur_index
    sd   t0, 0(t1)
    la   x31, dt_first_block
    j    dt_load

park:
    wfi
    j    park

/* x31 = block.  Uses t0..t2 before loading them. */
dt_load:
    ld   t0, 0(x31)
    beqz t0, dt_done
    csrw mepc, t0
    li   t0, MSTATUS_MPP
    csrs mstatus, t0
    ld   t0, 512(x31)
    fscsr t0
    addi t0, x31, 520
    la   t1, dt_scratch
    li   t2, SCRATCH_DWORDS
1:  ld   t3, 0(t0)
    sd   t3, 0(t1)
    addi t0, t0, 8
    addi t1, t1, 8
    addi t2, t2, -1
    bnez t2, 1b
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld  f\n, (256 + 8 * \n)(x31)
    .endr
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    ld   x\n, (8 * \n)(x31)
    .endr
    ld   x31, 248(x31)
    /* counters from 0 for each sequence, so a difference in one sequence
     * does not show up again in every later counter read */
    csrw minstret, zero
    csrw mcycle, zero
    mret

/* x30 in mscratch, x31 already in dt_save, x30 = dt_save, x31 = next block. */
    .globl dt_save_state
dt_save_state:
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
    sd   x\n, (8 * \n)(x30)
    .endr
    csrr t0, mscratch
    sd   t0, 240(x30)
    mv   s11, x31               /* next block; the helpers clobber t6 = x31 */
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd  f\n, (256 + 8 * \n)(x30)
    .endr
    frcsr t0
    sd   t0, 512(x30)
    sd   zero, 0(x30)
    la   t0, dt_scratch
    addi t1, x30, 520
    li   t2, SCRATCH_DWORDS
1:  ld   t3, 0(t0)
    sd   t3, 0(t1)
    addi t0, t0, 8
    addi t1, t1, 8
    addi t2, t2, -1
    bnez t2, 1b

    /* s1 = hash of slots 1..128 */
    li   s1, 0xcbf29ce484222325
    li   s2, 0x100000001b3
    addi t0, x30, 8
    li   t2, NSLOTS - 1
1:  ld   t3, 0(t0)
    xor  s1, s1, t3
    mul  s1, s1, s2
    addi t0, t0, 8
    addi t2, t2, -1
    bnez t2, 1b

    la   t0, dt_cur_index
    ld   a0, 0(t0)
    jal  print_hex_short
    li   a0, ' '
    jal  putc
    mv   a0, s1
    jal  print_hex64
    li   a0, '\n'
    jal  putc

    /* the whole state, for the sequence being reduced or explained */
    la   t0, dt_cur_index
    ld   t1, 0(t0)
    la   t0, dt_full_index
    ld   t0, 0(t0)
    bne  t0, t1, 3f
    li   s3, 1
2:  li   a0, '='
    jal  putc
    li   a0, ' '
    jal  putc
    mv   a0, s3
    jal  print_hex_short
    li   a0, ' '
    jal  putc
    slli t0, s3, 3
    la   t1, dt_save            /* not x30 = t5: putc clobbers it */
    add  t0, t0, t1
    ld   a0, 0(t0)
    jal  print_hex64
    li   a0, '\n'
    jal  putc
    addi s3, s3, 1
    li   t0, NSLOTS
    bltu s3, t0, 2b
3:
    la   t0, dt_cur_index
    ld   t1, 0(t0)
    addi t1, t1, 1
    sd   t1, 0(t0)
    mv   x31, s11
    j    dt_load

dt_done:
    la   a0, msg_done
    jal  puts
    li   t0, FINISHER
    li   t1, 0x5555
    sw   t1, 0(t0)
1:  j    1b

dt_trap:
    la   a0, msg_trap
    jal  puts
    la   t0, dt_cur_index
    ld   a0, 0(t0)
    jal  print_hex_short
    li   a0, ' '
    jal  putc
    csrr a0, mcause
    jal  print_hex_short
    li   a0, ' '
    jal  putc
    csrr a0, mepc
    jal  print_hex_short
    li   a0, ' '
    jal  putc
    csrr a0, mtval
    jal  print_hex_short
    li   a0, '\n'
    jal  putc
    li   t0, FINISHER
    li   t1, (3 << 16) | 0x3333
    sw   t1, 0(t0)
1:  j    1b

/* putc(a0): polled ns16550a.  Clobbers t4, t5. */
putc:
    li   t4, UART_BASE
1:  lbu  t5, UART_LSR(t4)
    andi t5, t5, LSR_THRE
    beqz t5, 1b
    sb   a0, 0(t4)
    ret

/* puts(a0): NUL-terminated string.  Clobbers a0, t4..t6, s4, s5. */
puts:
    mv   s4, a0
    mv   s5, ra
1:  lbu  a0, 0(s4)
    beqz a0, 2f
    jal  putc
    addi s4, s4, 1
    j    1b
2:  mv   ra, s5
    ret

/* print_hex64(a0): 16 hex digits.  print_hex_short(a0): no leading zeros.
 * Clobber a0, t4..t6, s4..s7. */
print_hex64:
    li   s6, 16
    j    1f
print_hex_short:
    li   s6, 16
2:  addi t6, s6, -1
    slli t6, t6, 2
    srl  t6, a0, t6
    bnez t6, 1f
    addi s6, s6, -1
    li   t6, 1
    bgt  s6, t6, 2b
1:  mv   s4, a0
    mv   s5, ra
3:  addi s6, s6, -1
    slli t6, s6, 2
    srl  a0, s4, t6
    andi a0, a0, 15
    li   t6, 10
    blt  a0, t6, 4f
    addi a0, a0, 'a' - '0' - 10
4:  addi a0, a0, '0'
    jal  putc
    bnez s6, 3b
    mv   ra, s5
    ret

    .section .rodata
msg_done:
    .asciz "done\n"
msg_trap:
    .asciz "trap "

    .bss
    .balign 64
    .globl dt_scratch, dt_save
dt_scratch:
    .zero 8 * SCRATCH_DWORDS
dt_save:
    .zero 8 * NSLOTS
    .balign 8
dt_cur_index:
    .zero 8
