/*
 * runtime.S - the fixed part of a differential-test image
 * (tests/difftest/README.md).  Linked with one file from difftest-gen.
 *
 * For each state block (dt_first_block, then the next) dt_load sets the
 * privilege, medeleg, mstatus bits, test-page PTEs, fcsr, the scratch
 * area, f0..f31 and x1..x31 from the block and enters the body with mret
 * (mepc = the block's first word).  An M body's tail saves x30 and x31
 * and jumps to dt_save_state with x31 = the next block; an S or U body's
 * tail faults, and the M handler does the same.  dt_save_state stores the
 * final state in dt_save and prints one line for the sequence on the
 * UART:
 *
 *     K HHHHHHHHHHHHHHHH            K = sequence index, H = FNV-1a hash
 *
 * of slots 1..194 of dt_save (below), all in hex.  For the sequence named by dt_full_index it also prints each slot:
 *
 *     = SS VVVVVVVVVVVVVVVV         SS = slot (hex), V = its value
 *
 * After the last block (first word 0) it prints "done" and ends the run
 * through the sifive_test finisher with status 0.
 *
 * A block's privilege word says where its body runs.  M (3): physical
 * addresses, and any trap is fatal: it prints "trap K mcause mepc mtval"
 * and ends the run with status 3.  S (1) or U (0): Sv39 is on (satp is
 * set once, at start) and traps are part of the test.  The page tables:
 *
 *   VA 0x80000000 + 1 GiB   RAM, identity, RWX, not U (S bodies, the S
 *                           handler, the runtime's data)
 *   VA 0x40000000 + 1 GiB   RAM again, RWX and U: U bodies run here, at
 *                           their address - 0x40000000
 *   VA 0x0000 (4 KiB)       the S handler's frame (RW, not U, not X):
 *                           the handler reaches it through x0, so it
 *                           needs no free register; a fetch from
 *                           DT_EXIT (0x100) faults, and that fault is
 *                           how an S or U body ends
 *   VA 0x10000 + 8 x 4 KiB  the test pages: their PTEs come from the
 *                           block (all but odd ones point at the page of
 *                           the scratch area, so sp = 0x10100 and
 *                           s0 = 0x10080 reach it through test page 0)
 *
 * PMP entry 0 denies S and U the page dt_pmp_page (access faults through
 * a test page pointing there); entry 1 allows everything else.  Traps
 * that medeleg (from the block) delegates go to dt_strap in S, the others
 * to dt_trap in M; both append (cause, epc, tval) to the trap log (cause
 * + 0x100 when S took it), step over the instruction and return.  The M
 * handler keeps the mepc, mcause and mtval it leaves in dt_mcsr, since
 * the final fetch fault overwrites the CSRs.  A sequence that traps more
 * than TRAP_LIMIT times (a trap loop: the emulator got a pc wrong) is
 * ended there, so the mismatch shows without a timeout.
 *
 * Block layout (8-byte slots): 0 body address, 1..31 x1..x31, 32..63
 * f0..f31, 64 fcsr, 65..128 the scratch area, 129 privilege, 130
 * medeleg, 131 mstatus bits (FS, SUM, MXR), 132..139 the test-page PTEs.
 * dt_save: 1..128 as in the block, then 129 mstatus, 130 mepc, 131
 * mcause, 132 mtval, 133 sepc, 134 scause, 135 stval, 136 satp, 137
 * sscratch, 138 the number of traps, 139..146 the test-page PTEs (A and
 * D as the walks left them), 147..194 the first 16 traps (cause, epc,
 * tval; zero when fewer).
 */

#define UART_BASE   0x10000000
#define UART_LSR    5
#define LSR_THRE    0x20
#define FINISHER    0x100000
#define MSTATUS_FS  0x6000
#define MSTATUS_MPP 0x1800
#define MSTATUS_SIE   0x2
#define MSTATUS_MPIE  0x80
#define MSTATUS_SPIE  0x20
#define MSTATUS_SPP   0x100
#define MSTATUS_MPRV  0x20000
#define MSTATUS_SUM   0x40000
#define MSTATUS_MXR   0x80000
#define NSLOTS      195
#define SCRATCH_DWORDS 64
#define BLOCK_BYTES 1120        /* 140 slots */
#define B_PRIV      1032
#define B_MEDELEG   1040
#define B_MSTATUS   1048
#define B_PTES      1056
#define S_MSTATUS   (129 * 8)
#define S_SEPC      (133 * 8)
#define S_NTRAPS    (138 * 8)
#define S_PTES      (139 * 8)
#define S_TRAPS     (147 * 8)
#define MAX_TRAPS   16
#define TRAP_LIMIT  1024
#define NTEST_PAGES 8
#define TEST_L0_INDEX 16        /* VA 0x10000 */
#define DT_EXIT     0x100
#define U_ALIAS     0x40000000  /* U VA = PA - U_ALIAS */
#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128
#define PTE_GIGA(pa, flags) (((pa) >> 2) | (flags))


/* log_trap CAUSE, EPC, TVAL, LOOP: append to the trap log (the first
 * MAX_TRAPS are kept, all are counted); past TRAP_LIMIT traps (a loop:
 * a body traps at most a few times per unit) go to LOOP, which ends the
 * sequence instead of waiting for the timeout.  Clobbers t0 and the
 * three registers. */
.macro log_trap cause, epc, tval, loop
    la   t0, dt_ntraps
    sd   \tval, 8(t0)           /* dt_log_tmp */
    ld   \tval, 0(t0)
    addi \tval, \tval, 1
    sd   \tval, 0(t0)
    addi \tval, \tval, -1 - TRAP_LIMIT
    bgez \tval, \loop
    addi \tval, \tval, TRAP_LIMIT - MAX_TRAPS
    bgez \tval, 91f
    addi \tval, \tval, MAX_TRAPS
    /* t0 = dt_traps + 24 * n */
    slli \tval, \tval, 3
    add  t0, t0, \tval
    add  t0, t0, \tval
    add  t0, t0, \tval
    addi t0, t0, 16             /* dt_traps = dt_ntraps + 16 */
    sd   \cause, 0(t0)
    sd   \epc, 8(t0)
    la   \cause, dt_ntraps
    ld   \tval, 8(\cause)
    sd   \tval, 16(t0)
91:
.endm

/* bp_tval TVAL: with dt_bp_tval_zero set (difftest-gen -Q), a breakpoint
 * leaves 0 in TVAL (the cause is in t1; clobbers t0). */
.macro bp_tval tval
    la   t0, dt_bp_tval_zero
    ld   t0, 0(t0)
    beqz t0, 94f
    addi t0, t1, -3
    bnez t0, 94f
    csrw \tval, zero
94:
.endm

/* step EPC: EPC += the length of the instruction there (read through
 * the identity map: a U body's address + U_ALIAS).  Clobbers t0, t1, t3. */
.macro step epc
    mv   t0, \epc
    li   t1, 0x80000000
    bgeu t0, t1, 92f
    li   t1, U_ALIAS
    add  t0, t0, t1
92: lhu  t0, 0(t0)
    andi t0, t0, 3
    li   t1, 3
    addi \epc, \epc, 2
    bne  t0, t1, 93f
    addi \epc, \epc, 2
93:
.endm

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
    la   t0, dt_strap
    csrw stvec, t0
    csrw mcounteren, zero       /* counter reads trap in S and U */
    csrw scounteren, zero
    csrw mideleg, zero
    /* page tables: root[1] U alias, root[2] identity, root[0] -> L1 -> L0 */
    la   t0, dt_pt_root
    li   t1, PTE_GIGA(0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
    sd   t1, 8(t0)
    li   t1, PTE_GIGA(0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
    sd   t1, 16(t0)
    la   t1, dt_pt_l1
    srli t1, t1, 2
    ori  t1, t1, PTE_V
    sd   t1, 0(t0)
    la   t0, dt_pt_l1
    la   t1, dt_pt_l0
    srli t1, t1, 2
    ori  t1, t1, PTE_V
    sd   t1, 0(t0)
    la   t0, dt_pt_l0
    la   t1, dt_sframe
    srli t1, t1, 2
    ori  t1, t1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    sd   t1, 0(t0)
    la   t0, dt_pt_root
    srli t0, t0, 12
    li   t1, 8 << 60            /* Sv39 */
    or   t0, t0, t1
    csrw satp, t0
    /* PMP: entry 0 = dt_pmp_page, no access; entry 1 = everything, RWX */
    la   t0, dt_pmp_page
    srli t0, t0, 2
    ori  t0, t0, 0x1ff          /* NAPOT, 4 KiB */
    csrw pmpaddr0, t0
    li   t0, -1
    csrw pmpaddr1, t0
    li   t0, 0x1f18
    csrw pmpcfg0, t0
    sfence.vma
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
    la   t1, dt_mcsr
    sd   t0, 0(t1)              /* mepc, mcause, mtval as an S/U body sees them */
    sd   zero, 8(t1)
    sd   zero, 16(t1)
    la   t1, dt_next_block
    addi t0, x31, BLOCK_BYTES
    sd   t0, 0(t1)
    ld   t0, B_PRIV(x31)
    la   t1, dt_cur_mode
    sd   t0, 0(t1)
    li   t1, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR
    csrc mstatus, t1
    slli t0, t0, 11
    csrs mstatus, t0
    li   t0, MSTATUS_FS
    csrs mstatus, t0            /* FS from the block once f0..f31 are loaded */
    ld   t0, B_MEDELEG(x31)
    csrw medeleg, t0
    csrw mcause, zero
    csrw mtval, zero
    csrw sepc, zero
    csrw scause, zero
    csrw stval, zero
    csrw sscratch, zero
    /* empty trap log */
    la   t0, dt_ntraps
    sd   zero, 0(t0)
    la   t0, dt_traps
    li   t2, 3 * MAX_TRAPS
1:  sd   zero, 0(t0)
    addi t0, t0, 8
    addi t2, t2, -1
    bnez t2, 1b
    /* test-page PTEs */
    addi t0, x31, B_PTES
    la   t1, dt_pt_l0 + 8 * TEST_L0_INDEX
    li   t2, NTEST_PAGES
    /* a block PTE: flags, bits 11:10 = target (dt_targets), 63:54 as is */
1:  ld   t3, 0(t0)
    srli a0, t3, 10
    andi a0, a0, 3
    slli a0, a0, 3
    la   a1, dt_targets
    add  a0, a0, a1
    ld   a0, 0(a0)
    srli a0, a0, 2
    li   a1, 0xc00
    and  a1, t3, a1
    xor  t3, t3, a1
    or   t3, t3, a0
    sd   t3, 0(t1)
    addi t0, t0, 8
    addi t1, t1, 8
    addi t2, t2, -1
    bnez t2, 1b
    sfence.vma
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
    ld   t0, B_MSTATUS(x31)
    li   t1, MSTATUS_FS
    csrc mstatus, t1
    csrs mstatus, t0
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
    csrr t0, mstatus
    sd   t0, S_MSTATUS(x30)
    li   t1, MSTATUS_FS         /* the body may have turned the FPU off */
    csrs mstatus, t1
    /* an M body cannot trap, so the CSRs are its; an S/U body's are in
     * dt_mcsr (the exit fault overwrote the CSRs) */
    la   t0, dt_mcsr
    ld   t1, 0(t0)
    ld   t2, 8(t0)
    ld   t3, 16(t0)
    la   t0, dt_cur_mode
    ld   t0, 0(t0)
    li   t4, 3
    bne  t0, t4, 1f
    csrr t1, mepc
    csrr t2, mcause
    csrr t3, mtval
1:  sd   t1, S_MSTATUS + 8(x30)
    sd   t2, S_MSTATUS + 16(x30)
    sd   t3, S_MSTATUS + 24(x30)
    csrr t0, sepc
    sd   t0, S_SEPC(x30)
    csrr t0, scause
    sd   t0, S_SEPC + 8(x30)
    csrr t0, stval
    sd   t0, S_SEPC + 16(x30)
    csrr t0, satp
    sd   t0, S_SEPC + 24(x30)
    csrr t0, sscratch
    sd   t0, S_SEPC + 32(x30)
    la   t0, dt_ntraps
    ld   t0, 0(t0)
    sd   t0, S_NTRAPS(x30)
    la   t0, dt_pt_l0 + 8 * TEST_L0_INDEX
    addi t1, x30, S_PTES
    li   t2, NTEST_PAGES + 3 * MAX_TRAPS    /* dt_traps follows the PTEs in dt_save */
    la   t4, dt_traps
    li   t3, NTEST_PAGES
1:  bnez t3, 2f
    mv   t0, t4                 /* after the PTEs, the trap log */
2:  ld   t6, 0(t0)            /* not t5: that is x30 = dt_save */
    sd   t6, 0(t1)
    addi t0, t0, 8
    addi t1, t1, 8
    addi t3, t3, -1
    addi t2, t2, -1
    bnez t2, 1b
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

/* A trap in M.  From an M body: fatal.  From an S/U body: the exit (a
 * fetch fault at DT_EXIT) or a trap to log and step over. */
dt_trap:
    csrw mscratch, t0
    la   t0, dt_mframe
    sd   t1, 0(t0)
    sd   t2, 8(t0)
    sd   t3, 16(t0)
    la   t1, dt_cur_mode
    ld   t1, 0(t1)
    li   t2, 3
    beq  t1, t2, dt_fatal
    csrr t1, mcause
    csrr t2, mepc
    li   t3, 12                 /* instruction page fault */
    bne  t1, t3, 1f
    li   t3, DT_EXIT
    beq  t2, t3, dt_exit
1:  bp_tval mtval
    csrr t3, mtval
    log_trap t1, t2, t3, dt_exit
    step t2
    csrw mepc, t2
    la   t0, dt_mcsr
    sd   t2, 0(t0)
    csrr t1, mcause
    sd   t1, 8(t0)
    csrr t1, mtval
    sd   t1, 16(t0)
    la   t0, dt_mframe
    ld   t1, 0(t0)
    ld   t2, 8(t0)
    ld   t3, 16(t0)
    csrr t0, mscratch
    mret

/* The end of an S/U body: the state as dt_save_state expects it. */
dt_exit:
    la   t0, dt_mframe
    ld   t1, 0(t0)
    ld   t2, 8(t0)
    ld   t3, 16(t0)
    csrr t0, mscratch
    csrw mscratch, x30
    la   x30, dt_save
    sd   x31, 248(x30)
    la   x31, dt_next_block
    ld   x31, 0(x31)
    j    dt_save_state

/* A trap delegated to S (runs in S, identity-mapped; the frame is at VA 0). */
    .balign 4
dt_strap:
    sd   t0, 0(x0)
    sd   t1, 8(x0)
    sd   t2, 16(x0)
    sd   t3, 24(x0)
    csrr t1, scause
    bp_tval stval
    addi t1, t1, 0x100
    csrr t2, sepc
    csrr t3, stval
    log_trap t1, t2, t3, dt_strap_loop
    step t2
    csrw sepc, t2
    ld   t0, 0(x0)
    ld   t1, 8(x0)
    ld   t2, 16(x0)
    ld   t3, 24(x0)
    sret
dt_strap_loop:                  /* end the sequence: the exit fault */
    ld   t0, 0(x0)
    ld   t1, 8(x0)
    ld   t2, 16(x0)
    ld   t3, 24(x0)
    jalr x0, DT_EXIT(x0)

dt_fatal:
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
    .balign 8
dt_targets:                     /* PTE targets: RAM, PMP-denied, no memory */
    .dword dt_scratch, dt_pmp_page, 0x800000, 0
msg_done:
    .asciz "done\n"
msg_trap:
    .asciz "trap "

    .bss
    .balign 4096
    .globl dt_scratch, dt_save
dt_scratch:                     /* the page test pages point at */
    .zero 8 * SCRATCH_DWORDS
    .balign 4096
dt_pt_root:
    .zero 4096
dt_pt_l1:
    .zero 4096
dt_pt_l0:
    .zero 4096
dt_sframe:                      /* VA 0 */
    .zero 4096
    .globl dt_pmp_page
dt_pmp_page:
    .zero 4096
dt_ntraps:
    .zero 16                    /* count, a spare for log_trap */
dt_traps:
    .zero 24 * MAX_TRAPS
dt_mframe:
    .zero 32
dt_mcsr:
    .zero 24
dt_next_block:
    .zero 8
dt_cur_mode:
    .zero 8
dt_save:
    .zero 8 * NSLOTS
    .balign 8
dt_cur_index:
    .zero 8
