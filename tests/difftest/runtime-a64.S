/*
 * runtime-a64.S - the fixed part of an A64 differential-test image
 * (tests/difftest/README.md, "AArch64").  Linked with one file from
 * difftest-gen-a64 and tests/guest/aarch64-isa/link.ld (RAM at
 * 0x40000000 as on QEMU's virt board and aarch64-bare.machine).
 *
 * vCPU 0 starts at EL1 with the MMU off.  For each state block
 * (dt_first_block, then the next, BLOCK_BYTES further) dt_load copies the
 * scratch area, sets sp, x0..x30 and enters the body with ERET: ELR_EL1
 * = the block's first word, SPSR_EL1 = EL1h, DAIF masked and the block's
 * NZCV.  A body's tail does "msr tpidr_el1, x30; b dt_save_state";
 * dt_save_state stores the final state in dt_save and prints one line
 * for the sequence through semihosting:
 *
 *     K HHHHHHHHHHHHHHHH            K = sequence index, H = FNV-1a hash
 *
 * of slots 1..NSLOTS-1 of dt_save, in hex.  For the sequence named by
 * dt_full_index it also prints every slot:
 *
 *     = SS VVVVVVVVVVVVVVVV         SS = slot (hex), V = its value
 *
 * After the last block (first word 0) it prints "done" and exits with
 * status 0 (SYS_EXIT_EXTENDED).
 *
 * A block's mode word says where its body runs:
 *
 *   0  EL1, MMU off.  Any exception is fatal: it prints "trap K ESR ELR
 *      FAR" and exits with status 3.
 *   1  EL1, MMU on.   Synchronous exceptions are part of the test (below).
 *   2  EL0, MMU on.   The same; the body runs at its address + 0x40000000
 *      and ends with SVC #0xffff, which the handler takes as the tail.
 *
 * With the MMU on (4 KiB granule, 39-bit VAs from level 1, TTBR1 walks
 * off with EPD1):
 *
 *   VA 0x40000000 + 1 GiB   RAM, identity, RW at EL1 only, executable at
 *                           EL1 (the runtime, EL1 bodies)
 *   VA 0x80000000 + 1 GiB   RAM again, read-only at EL1 and EL0,
 *                           executable at EL0 only (EL0 bodies)
 *   VA 0x10000 + 8 x 4 KiB  the test pages: descriptors from the block
 *                           (bits 58:55 choose the output address: the
 *                           page of the scratch area, or where nothing
 *                           is), so x28 = 0x10100 and sp = 0x10080 reach
 *                           the scratch area through test page 0
 *
 * dt_trap (VBAR_EL1 + 0x000, + 0x200 and + 0x400) appends (ESR, ELR, FAR) to the
 * trap log (FAR only for aborts: elsewhere it is UNKNOWN), steps over
 * the instruction (SVC, HVC and SMC return past it already) and returns.
 * It keeps x30 in TPIDR_EL1, as a body's tail does, and needs no stack.
 * A sequence that traps more than TRAP_LIMIT times (a loop: a side got
 * an ELR wrong) is ended there.
 *
 * Block layout (8-byte slots): 0 body address, 1..31 x0..x30, 32 sp
 * (SP_EL0 for EL0), 33 NZCV (as MRS NZCV reads it), 34..97 the 512-byte
 * scratch area, 98 mode, 99..106 the test-page descriptors, 107
 * TPIDR_EL0.  dt_save: 1..97 as in the block, 98 the number of traps,
 * 99..146 the first 16 traps (ESR, ELR, FAR; zero when fewer), 147
 * TPIDR_EL0, 148 TPIDRRO_EL0, 149 the last dword of the scratch area's
 * page (where accesses across the end of a test page land; the rest of
 * the page after the area is zeroed for each sequence).
 */
#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define NSLOTS      150
#define BLOCK_BYTES (108 * 8)
#define SCRATCH_DWORDS 64
#define S_SP        (32 * 8)
#define S_NZCV      (33 * 8)
#define S_SCRATCH   (34 * 8)
#define B_MODE      (98 * 8)
#define B_PAGES     (99 * 8)
#define B_TPIDR0    (107 * 8)
#define S_NTRAPS    (98 * 8)
#define S_TRAPS     (99 * 8)
#define S_TPIDR0    (147 * 8)
#define S_TPIDRRO0  (148 * 8)
#define S_PAGE_END  (149 * 8)
#define MAX_TRAPS   16
#define TRAP_LIMIT  1024
#define NTEST_PAGES 8
#define TEST_L3_INDEX 16        /* VA 0x10000 */
#define SPSR_EL1H   0x3c5       /* DAIF masked, EL1, SP_EL1 */
#define SPSR_EL0    0x3c0       /* DAIF masked, EL0 */
#define MODE_EL0    2
#define EXIT_SVC_ESR 0x5600ffff /* SVC #0xffff from AArch64 */
#define NOMEM_PA    0x7fff0000  /* no RAM or device here on either board */

/* SCTLR_EL1: RES1 bits of ARMv8.0 (11, 20, 22, 23, 28, 29); M, A, SA,
 * SA0, C, I clear: no alignment checks but the Device ones of MMU off
 * (and of Device pages); nTWI, nTWE, UMA, UCT, DZE, UCI clear: WFI at
 * EL0 traps */
#define SCTLR_VALUE 0x30d00800
#define SCTLR_M     1
/* TCR_EL1: T0SZ = T1SZ = 25 (39 bits), TG0 4 KiB, TG1 4 KiB, EPD1,
 * inner shareable write-back walks, IPS 32 bits */
#define TCR_VALUE   0x80993519
/* MAIR_EL1: attr 0 Normal write-back, attr 1 Device-nGnRnE */
#define MAIR_VALUE  0xff
/* level 1 blocks: identity RW at EL1, UXN; the EL0 alias RO, PXN */
#define L1_IDENTITY 0x0040000040000701
#define L1_EL0      0x00200000400007c1

/* semihosting call OP with x1 = parameter (clobbers x0) */
.macro semihost op
    mov  w0, #\op
    hlt  #0xf000
.endm

/* xd = address of sym (any distance in the image) */
.macro ladr xd, sym
    adrp \xd, \sym
    add  \xd, \xd, :lo12:\sym
.endm

    .section .text.init, "ax"
    .globl _start
_start:
    mrs  x0, mpidr_el1
    and  x0, x0, #0xff
    cbnz x0, park
    msr  daifset, #0xf
    ladr x0, dt_vectors
    msr  vbar_el1, x0
    ldr  x0, =SCTLR_VALUE
    msr  sctlr_el1, x0
    mov  x0, #(3 << 20)         /* CPACR_EL1.FPEN: FP and AdvSIMD allowed */
    msr  cpacr_el1, x0
    /* page tables: L1[0] -> L2 -> L3 (the test pages), L1[1], L1[2] */
    ladr x0, dt_pt_l1
    ladr x1, dt_pt_l2
    orr  x2, x1, #3
    str  x2, [x0]
    ldr  x2, =L1_IDENTITY
    str  x2, [x0, #8]
    ldr  x2, =L1_EL0
    str  x2, [x0, #16]
    ladr x2, dt_pt_l3
    orr  x2, x2, #3
    str  x2, [x1]
    msr  ttbr0_el1, x0
    ldr  x0, =TCR_VALUE
    msr  tcr_el1, x0
    mov  x0, #MAIR_VALUE
    msr  mair_el1, x0
    isb
    ladr x1, dt_first_index
    ldr  x0, [x1]
    ladr x1, dt_cur_index
    str  x0, [x1]
    ladr x0, dt_first_block
    ladr x1, dt_cur_block
    str  x0, [x1]
    b    dt_load

park:
    wfi
    b    park

dt_load:
    ladr x30, dt_cur_block
    ldr  x30, [x30]
    ldr  x0, [x30]
    cbz  x0, dt_done
    msr  elr_el1, x0
    /* empty trap log, not from the handler */
    ladr x0, dt_ntraps
    mov  x1, #(1 + 3 * MAX_TRAPS)
1:  str  xzr, [x0], #8
    subs x1, x1, #1
    b.ne 1b
    ladr x0, dt_from_trap
    str  xzr, [x0]
    ldr  x2, [x30, #B_MODE]
    ladr x0, dt_cur_mode
    str  x2, [x0]
    /* test-page descriptors: bits 58:55 pick the output address */
    add  x0, x30, #B_PAGES
    ladr x1, dt_pt_l3+8*TEST_L3_INDEX
    mov  x3, #NTEST_PAGES
1:  ldr  x4, [x0], #8
    tbz  x4, #0, 2f             /* invalid: as it is */
    ubfx x5, x4, #55, #4
    ladr x6, dt_targets
    ldr  x5, [x6, x5, lsl #3]
    and  x4, x4, #~(0xf << 55)
    orr  x4, x4, x5
2:  str  x4, [x1], #8
    subs x3, x3, #1
    b.ne 1b
    dsb  ish
    tlbi vmalle1
    dsb  ish
    ldr  x0, =SCTLR_VALUE
    cbz  x2, 1f
    orr  x0, x0, #SCTLR_M
1:  msr  sctlr_el1, x0
    isb
    ldr  x0, [x30, #B_TPIDR0]
    msr  tpidr_el0, x0
    msr  tpidrro_el0, xzr
    ldr  x0, [x30, #S_NZCV]
    and  x0, x0, #0xf0000000
    mov  x1, #SPSR_EL1H
    cmp  x2, #MODE_EL0
    b.ne 1f
    mov  x1, #SPSR_EL0
1:  orr  x0, x0, x1
    msr  spsr_el1, x0
    add  x0, x30, #S_SCRATCH
    ladr x1, dt_scratch
    mov  x2, #SCRATCH_DWORDS / 2
1:  ldp  x3, x4, [x0], #16
    stp  x3, x4, [x1], #16
    subs x2, x2, #1
    b.ne 1b
    ladr x0, dt_scratch+8*SCRATCH_DWORDS
    mov  x2, #(4096 / 8 - SCRATCH_DWORDS) / 2
1:  stp  xzr, xzr, [x0], #16
    subs x2, x2, #1
    b.ne 1b
    ladr x0, dt_in_body
    mov  x1, #1
    str  x1, [x0]
    ldr  x0, [x30, #S_SP]
    mov  sp, x0
    msr  sp_el0, x0             /* EL0's sp, and EL1's after MSR SPSel, #0 */
    ldp  x0, x1, [x30, #8]
    ldp  x2, x3, [x30, #24]
    ldp  x4, x5, [x30, #40]
    ldp  x6, x7, [x30, #56]
    ldp  x8, x9, [x30, #72]
    ldp  x10, x11, [x30, #88]
    ldp  x12, x13, [x30, #104]
    ldp  x14, x15, [x30, #120]
    ldp  x16, x17, [x30, #136]
    ldp  x18, x19, [x30, #152]
    ldp  x20, x21, [x30, #168]
    ldp  x22, x23, [x30, #184]
    ldp  x24, x25, [x30, #200]
    ldp  x26, x27, [x30, #216]
    ldp  x28, x29, [x30, #232]
    ldr  x30, [x30, #(8 + 8 * 30)]
    eret

/* x30 of the body in tpidr_el1, the others as the body left them */
    .globl dt_save_state
dt_save_state:
    ladr x30, dt_save
    stp  x0, x1, [x30, #8]
    stp  x2, x3, [x30, #24]
    stp  x4, x5, [x30, #40]
    stp  x6, x7, [x30, #56]
    stp  x8, x9, [x30, #72]
    stp  x10, x11, [x30, #88]
    stp  x12, x13, [x30, #104]
    stp  x14, x15, [x30, #120]
    stp  x16, x17, [x30, #136]
    stp  x18, x19, [x30, #152]
    stp  x20, x21, [x30, #168]
    stp  x22, x23, [x30, #184]
    stp  x24, x25, [x30, #200]
    stp  x26, x27, [x30, #216]
    stp  x28, x29, [x30, #232]
    mrs  x0, tpidr_el1
    str  x0, [x30, #(8 + 8 * 30)]
    ladr x0, dt_in_body
    str  xzr, [x0]
    /* sp: SP_EL0 of an EL0 body; NZCV: in SPSR_EL1 when it ended in
     * the handler (an EL0 body's SVC, or too many traps) */
    ladr x1, dt_cur_mode
    ldr  x1, [x1]
    mov  x0, sp
    cmp  x1, #MODE_EL0
    b.ne 1f
    mrs  x0, sp_el0
1:  str  x0, [x30, #S_SP]
    msr  spsel, #1              /* an EL1 body may have left SP_EL0 selected */
    mrs  x0, nzcv
    ladr x1, dt_from_trap
    ldr  x1, [x1]
    cbz  x1, 1f
    mrs  x0, spsr_el1
    and  x0, x0, #0xf0000000
1:  str  x0, [x30, #S_NZCV]
    str  xzr, [x30]
    /* the MMU off again for the runtime (its accesses are aligned) */
    ldr  x0, =SCTLR_VALUE
    msr  sctlr_el1, x0
    isb
    mrs  x0, tpidr_el0
    str  x0, [x30, #S_TPIDR0]
    mrs  x0, tpidrro_el0
    str  x0, [x30, #S_TPIDRRO0]
    ladr x0, dt_scratch+4096-8
    ldr  x0, [x0]
    str  x0, [x30, #S_PAGE_END]
    ladr x0, dt_ntraps
    add  x1, x30, #S_NTRAPS
    mov  x2, #(1 + 3 * MAX_TRAPS)
1:  ldr  x3, [x0], #8
    str  x3, [x1], #8
    subs x2, x2, #1
    b.ne 1b
    ladr x0, dt_scratch
    add  x1, x30, #S_SCRATCH
    mov  x2, #SCRATCH_DWORDS / 2
1:  ldp  x3, x4, [x0], #16
    stp  x3, x4, [x1], #16
    subs x2, x2, #1
    b.ne 1b

    /* x19 = FNV-1a of slots 1..NSLOTS-1 (a 64-bit word at a time) */
    ldr  x19, =0xcbf29ce484222325
    ldr  x20, =0x100000001b3
    add  x0, x30, #8
    mov  x2, #NSLOTS - 1
1:  ldr  x3, [x0], #8
    eor  x19, x19, x3
    mul  x19, x19, x20
    subs x2, x2, #1
    b.ne 1b

    /* "K HASH\n" */
    ladr x21, dt_line
    ladr x0, dt_cur_index
    ldr  x0, [x0]
    bl   put_hex_short
    mov  w0, #' '
    strb w0, [x21], #1
    mov  x0, x19
    bl   put_hex64
    bl   put_line

    /* the whole state of the sequence dt_full_index */
    ladr x0, dt_cur_index
    ldr  x0, [x0]
    ladr x1, dt_full_index
    ldr  x1, [x1]
    cmp  x0, x1
    b.ne 3f
    mov  x22, #1
2:  ladr x21, dt_line
    mov  w0, #'='
    strb w0, [x21], #1
    mov  w0, #' '
    strb w0, [x21], #1
    lsr  x0, x22, #4
    bl   put_digit
    and  x0, x22, #15
    bl   put_digit
    mov  w0, #' '
    strb w0, [x21], #1
    ladr x0, dt_save
    ldr  x0, [x0, x22, lsl #3]
    bl   put_hex64
    bl   put_line
    add  x22, x22, #1
    cmp  x22, #NSLOTS
    b.ne 2b

3:  ladr x0, dt_cur_index
    ldr  x1, [x0]
    add  x1, x1, #1
    str  x1, [x0]
    ladr x0, dt_cur_block
    ldr  x1, [x0]
    add  x1, x1, #BLOCK_BYTES
    str  x1, [x0]
    b    dt_load

dt_done:
    ladr x1, done_msg
    semihost SYS_WRITE0
    mov  x0, #0
    b    dt_exit

/* x0 = status */
dt_exit:
    ladr x1, exit_block
    ldr  x2, =ADP_STOPPED_APPLICATION_EXIT
    stp  x2, x0, [x1]
    semihost SYS_EXIT_EXTENDED
1:  b    1b

/* Line building: x21 = where the next character goes in dt_line.
 * put_digit(x0 < 16), put_hex64(x0): 16 digits, put_hex_short(x0): no
 * leading zeros.  Clobber x0..x4. */
put_digit:
    cmp  x0, #10
    add  x1, x0, #'0'
    add  x2, x0, #('a' - 10)
    csel x1, x1, x2, lo
    strb w1, [x21], #1
    ret

put_hex64:
    mov  x3, x0
    mov  x4, #60
    b    1f
put_hex_short:
    mov  x3, x0
    clz  x4, x3
    and  x4, x4, #~3
    mov  x0, #60
    subs x4, x0, x4
    csel x4, x4, xzr, ge        /* x3 == 0: one digit */
1:  lsr  x0, x3, x4
    and  x0, x0, #15
    cmp  x0, #10
    add  x1, x0, #'0'
    add  x2, x0, #('a' - 10)
    csel x1, x1, x2, lo
    strb w1, [x21], #1
    subs x4, x4, #4
    b.ge 1b
    ret

/* end dt_line with "\n" and print it (clobbers x0, x1) */
put_line:
    mov  w0, #'\n'
    strb w0, [x21], #1
    strb wzr, [x21]
    ladr x1, dt_line
    semihost SYS_WRITE0
    ret

/* Any exception: "trap K ESR ELR FAR", exit 3. */
dt_fatal:
    ladr x21, dt_line
    ladr x1, trap_msg
1:  ldrb w0, [x1], #1
    cbz  w0, 2f
    strb w0, [x21], #1
    b    1b
2:  ladr x0, dt_cur_index
    ldr  x0, [x0]
    bl   put_hex_short
    mov  w0, #' '
    strb w0, [x21], #1
    mrs  x0, esr_el1
    bl   put_hex64
    mov  w0, #' '
    strb w0, [x21], #1
    mrs  x0, elr_el1
    bl   put_hex64
    mov  w0, #' '
    strb w0, [x21], #1
    mrs  x0, far_el1
    bl   put_hex64
    bl   put_line
    mov  x0, #3
    b    dt_exit

/* A synchronous exception from an EL1 body with the MMU on, or from an
 * EL0 body: log it, step over the instruction and return; SVC #0xffff
 * from EL0 is the end of the body.  Only TPIDR_EL1 (x30) and dt_hsave
 * hold what it uses. */
dt_trap:
    msr  tpidr_el1, x30
    ladr x30, dt_hsave
    stp  x0, x1, [x30]
    stp  x2, x3, [x30, #16]
    ladr x0, dt_cur_mode
    ldr  x0, [x0]
    cbz  x0, dt_fatal           /* MMU off: nothing may trap */
    ladr x0, dt_in_body
    ldr  x0, [x0]
    cbz  x0, dt_fatal           /* the runtime itself */
    mrs  x1, esr_el1
    ldr  x2, =EXIT_SVC_ESR
    cmp  x1, x2
    b.eq 8f
    ladr x0, dt_ntraps
    ldr  x2, [x0]
    add  x2, x2, #1
    str  x2, [x0]
    cmp  x2, #TRAP_LIMIT
    b.hi 8f
    cmp  x2, #MAX_TRAPS
    b.hi 3f
    sub  x2, x2, #1
    mov  x3, #24
    mul  x2, x2, x3
    add  x0, x0, #8             /* dt_traps */
    add  x0, x0, x2
    str  x1, [x0]
    mrs  x2, elr_el1
    str  x2, [x0, #8]
    /* FAR for instruction and data aborts (EC 0x20, 0x21, 0x24, 0x25) */
    lsr  x3, x1, #26
    mov  x2, #5
    orr  x3, x3, x2
    mov  x2, #0
    cmp  x3, #0x25
    b.ne 2f
    mrs  x2, far_el1
2:  str  x2, [x0, #16]
3:  /* step: SVC, HVC, SMC (EC 0x15..0x17) return past themselves */
    lsr  x3, x1, #26
    sub  x3, x3, #0x15
    cmp  x3, #2
    b.ls 4f
    mrs  x2, elr_el1
    add  x2, x2, #4
    msr  elr_el1, x2
4:  ldp  x2, x3, [x30, #16]
    ldp  x0, x1, [x30]
    mrs  x30, tpidr_el1
    eret
8:  /* the end of the body (or a trap loop): save its state */
    ladr x0, dt_from_trap
    mov  x1, #1
    str  x1, [x0]
    ldp  x2, x3, [x30, #16]
    ldp  x0, x1, [x30]
    b    dt_save_state

    .balign 2048
dt_vectors:
    .balign 0x80
    b    dt_trap                /* 0x000: current EL, SP_EL0 (SPSel 0), synchronous */
    .rept 3
    .balign 0x80
    b    dt_fatal
    .endr
    .balign 0x80
    b    dt_trap                /* 0x200: current EL, SPx, synchronous */
    .rept 3
    .balign 0x80
    b    dt_fatal
    .endr
    .balign 0x80
    b    dt_trap                /* 0x400: lower EL, AArch64, synchronous */
    .rept 7
    .balign 0x80
    b    dt_fatal
    .endr
    .ltorg

    .data
    .balign 4096
dt_pt_l1:       .fill 512, 8, 0
dt_pt_l2:       .fill 512, 8, 0
dt_pt_l3:       .fill 512, 8, 0
    .globl dt_scratch
dt_scratch:     .fill SCRATCH_DWORDS, 8, 0      /* the start of its page */
    .balign 4096
dt_targets:     .dword dt_scratch, NOMEM_PA
dt_save:        .fill NSLOTS, 8, 0
dt_ntraps:      .dword 0
dt_traps:       .fill 3 * MAX_TRAPS, 8, 0
dt_hsave:       .fill 4, 8, 0
dt_cur_mode:    .dword 0
dt_from_trap:   .dword 0
dt_in_body:     .dword 0        /* between dt_load's ERET and dt_save_state */
dt_cur_block:   .dword 0
dt_cur_index:   .dword 0
exit_block:     .dword 0, 0
dt_line:        .fill 64, 1, 0
done_msg:       .asciz "done\n"
trap_msg:       .asciz "trap "
