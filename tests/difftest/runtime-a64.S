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
 * status 0 (SYS_EXIT_EXTENDED).  A body never traps: any exception
 * prints "trap K ESR ELR FAR" and exits with status 3.
 *
 * Block and dt_save layout (8-byte slots): 0 body address (dt_save:
 * unused), 1..31 x0..x30, 32 sp, 33 NZCV (as MRS NZCV reads it), 34..97
 * the 512-byte scratch area.
 */
#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define NSLOTS      98
#define BLOCK_BYTES (NSLOTS * 8)
#define SCRATCH_DWORDS 64
#define S_SP        (32 * 8)
#define S_NZCV      (33 * 8)
#define S_SCRATCH   (34 * 8)
#define SPSR_EL1H   0x3c5       /* DAIF masked, EL1, SP_EL1 */

/* SCTLR_EL1: RES1 bits of ARMv8.0 (11, 20, 22, 23, 28, 29); M, A, SA,
 * SA0, C, I clear: no alignment checks but the Device ones of MMU off */
#define SCTLR_VALUE 0x30d00800

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
    ldr  x0, [x30, #S_NZCV]
    and  x0, x0, #0xf0000000
    mov  x1, #SPSR_EL1H
    orr  x0, x0, x1
    msr  spsr_el1, x0
    add  x0, x30, #S_SCRATCH
    ladr x1, dt_scratch
    mov  x2, #SCRATCH_DWORDS / 2
1:  ldp  x3, x4, [x0], #16
    stp  x3, x4, [x1], #16
    subs x2, x2, #1
    b.ne 1b
    ldr  x0, [x30, #S_SP]
    mov  sp, x0
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
    mov  x0, sp
    str  x0, [x30, #S_SP]
    mrs  x0, nzcv
    str  x0, [x30, #S_NZCV]
    str  xzr, [x30]
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

    .balign 2048
dt_vectors:
    .rept 16
    .balign 0x80
    b    dt_fatal
    .endr
    .ltorg

    .data
    .balign 16
    .globl dt_scratch
dt_scratch:     .fill SCRATCH_DWORDS, 8, 0
dt_save:        .fill NSLOTS, 8, 0
dt_cur_block:   .dword 0
dt_cur_index:   .dword 0
exit_block:     .dword 0, 0
dt_line:        .fill 64, 1, 0
done_msg:       .asciz "done\n"
trap_msg:       .asciz "trap "
