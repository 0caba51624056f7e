/*
 * Exceptions to EL1 and system registers: SVC (ESR, ELR past it, SPSR
 * with NZCV and DAIF), BRK, undefined encodings (UDF, HLT without
 * semihosting's immediate, SMC #1 with no EL3), synchronous external
 * aborts on load, store and fetch (FAR), PC alignment faults, EL0 through
 * ERET (vector offset 0x400, SPSR M = EL0t, flags restored, EL1-only
 * registers undefined at EL0, TPIDR_EL0 and TPIDRRO_EL0), SPSel and
 * SP_EL0, DAIF and DAIFSet/Clr, NZCV, CurrentEL, MPIDR, TPIDR_EL1, VBAR.
 */
#include "a64.h"

/* nothing at this physical address on QEMU's virt board or aarch64-bare */
#define HOLE 0x0b000000

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!

    /* ---- SVC with flags: SPSR = NZCV | DAIF | EL1h ---- */
    mov x0, #0x60000000
    msr nzcv, x0
    EXPECT_EXCP
    svc #0x123
after_svc:
    LAST x1, last_esr
    CHECK 1, x1, 0x56000123
    LAST x1, last_elr
    CHECK 2, x1, after_svc
    LAST x1, last_spsr
    CHECK 3, x1, 0x600003c5
    LAST x1, last_vec
    CHECK 4, x1, 4              /* current EL with SP_ELx */
    CHECKF 5, F_Z | F_C         /* flags survive the exception */

    /* ---- BRK, undefined ---- */
    EXPECT_EXCP
brk_at:
    brk #0x42
    LAST x1, last_esr
    CHECK 10, x1, 0xf2000042
    LAST x1, last_elr
    CHECK 11, x1, brk_at
    EXPECT_EXCP
udf_at:
    .inst 0x00000000            /* UDF #0 */
    LAST x1, last_esr
    CHECK 12, x1, 0x02000000
    LAST x1, last_elr
    CHECK 13, x1, udf_at
    EXPECT_EXCP
    hlt #1
    LAST x1, last_esr
    CHECK 14, x1, 0x02000000
    EXPECT_EXCP
    smc #1                      /* no EL3 (QEMU takes any HVC as PSCI) */
    LAST x1, last_esr
    CHECK 15, x1, 0x02000000
    EXPECT_EXCP
    .inst 0x1e202800            /* FADD s0, s0, s0: no FP on loom yet */
    .inst 0xd503201f            /* NOP */
    LAST x1, excp_count
    CHECK 16, x1, 6

    /* ---- synchronous external aborts ---- */
    ldr x2, =HOLE
    EXPECT_EXCP
    ldr x1, [x2, #8]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 20, x1, 0x96000010
    LAST x1, last_far
    CHECK 21, x1, HOLE + 8
    EXPECT_EXCP
    str w1, [x2, #4]
    LAST x1, last_esr
    MASK_ISV x1
    CHECK 22, x1, 0x96000050
    EXPECT_EXCP_RESUME 1f
    blr x2
1:  LAST x1, last_esr
    CHECK 23, x1, 0x86000010
    LAST x1, last_elr
    CHECK 24, x1, HOLE
    LAST x1, last_far
    CHECK 25, x1, HOLE
    adr x3, 2f
    add x3, x3, #2
    EXPECT_EXCP_RESUME 2f
    br x3
2:  LAST x1, last_esr
    CHECK 26, x1, 0x8a000000
    LAST x1, last_far
    CHECK 27, x1, 2b + 2
    LAST x1, last_elr
    CHECK 28, x1, 2b + 2

    /* ---- system registers at EL1 ---- */
    mrs x1, currentel
    CHECK 30, x1, 4
    mrs x1, mpidr_el1
    and x1, x1, #0xffffff
    CHECK 31, x1, 0
    mrs x1, spsel
    CHECK 32, x1, 1
    mrs x1, daif
    CHECK 33, x1, 0x3c0
    msr daifclr, #0xc           /* D and A */
    mrs x1, daif
    CHECK 34, x1, 0xc0
    msr daifset, #0x8
    mrs x1, daif
    CHECK 35, x1, 0x2c0
    mov x1, #0x3c0
    msr daif, x1
    ldr x0, =0xffffffffffffffff
    msr nzcv, x0
    mrs x1, nzcv
    CHECK 36, x1, 0xf0000000
    ldr x0, =0x1234567890
    msr tpidr_el1, x0
    mrs x1, tpidr_el1
    CHECK 37, x1, 0x1234567890
    mrs x1, vbar_el1
    CHECK 38, x1, vectors
    /* SPSel and SP_EL0 */
    ldr x5, =0x40300000
    msr sp_el0, x5
    mov x6, sp
    msr spsel, #0
    mov x7, sp
    CHECK 39, x7, 0x40300000
    sub sp, sp, #16
    msr spsel, #1
    mov x8, sp
    cmp x8, x6
    b.ne bad
    mrs x1, sp_el0
    CHECK 40, x1, 0x402ffff0
    EXPECT_EXCP
    msr spsel, #0               /* SP_EL0 is the one in use: MRS undefined */
    mrs x1, sp_el0
    msr spsel, #1
    LAST x1, last_esr
    CHECK 41, x1, 0x02000000

    /* ---- EL0 ---- */
    ldr x0, =0xabcdef
    msr tpidrro_el0, x0
    msr tpidr_el0, xzr
    ldr x0, =0x40310000
    msr sp_el0, x0
    adr x0, el0_code
    msr elr_el1, x0
    mov x0, #0x80000000         /* EL0t, N set, interrupts unmasked */
    msr spsr_el1, x0
    eret
el0_code:
    mrs x10, nzcv               /* N restored from SPSR */
    mrs x11, tpidrro_el0
    mov x12, #0x55
    msr tpidr_el0, x12
    EXPECT_EXCP
    mrs x13, currentel          /* undefined at EL0 */
    mov x14, sp
    EXPECT_EXCP
    mrs x15, sctlr_el1          /* undefined at EL0 */
    EXPECT_EXCP_RESUME back_at_el1
    svc #7
    b bad
back_at_el1:
    CHECK 50, x10, F_N
    CHECK 51, x11, 0xabcdef
    mrs x1, tpidr_el0
    CHECK 52, x1, 0x55
    CHECK 53, x14, 0x40310000
    LAST x1, last_esr
    CHECK 54, x1, 0x56000007
    LAST x1, last_vec
    CHECK 55, x1, 8             /* lower EL, AArch64: offset 0x400 */
    LAST x1, last_spsr
    CHECK 56, x1, 0x80000000    /* EL0t, N */
    LAST x1, excp_count
    CHECK 57, x1, 14
    mrs x1, currentel
    CHECK 58, x1, 4
    mrs x1, spsel
    CHECK 59, x1, 1

    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

bad:
    mov x0, #99
    b test_fail
    .ltorg

    .data
    .global test_name
test_name: .asciz "a64_excp"
