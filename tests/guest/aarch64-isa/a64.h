/*
 * Macros for loom's bare-metal AArch64 guest tests (common.S has the
 * code they call).  A test defines test_main (vCPU 0, EL1h, stack set,
 * vectors installed) and returns 0 from it to pass; CHECK fails the test
 * with its check number as the exit status (through semihosting
 * SYS_EXIT_EXTENDED).
 *
 * Register use: CHECK and CHECKF clobber x16, x17 and the flags (so a
 * CHECKF goes before any CHECK of the same step).
 */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/* fail with status n unless reg == val (a 64-bit constant) */
.macro CHECK n, reg, val
    ldr x16, =\val
    cmp \reg, x16
    b.eq 9990f
    mov x0, #\n
    b test_fail
9990:
.endm

/* fail with status n unless NZCV (as MRS NZCV reads it) == val */
.macro CHECKF n, val
    mrs x17, nzcv
    CHECK \n, x17, \val
.endm

/* the next synchronous exception is expected: the recording handler
   (common.S) stores ESR/ELR/FAR/SPSR in last_* and resumes after the
   faulting insn (SVC, HVC, SMC: at ELR) */
.macro EXPECT_EXCP
    adr x16, excp_expected
    mov x17, #1
    str x17, [x16]
.endm

/* ... and continue at label (at EL1h) instead of after the faulting insn */
.macro EXPECT_EXCP_RESUME label
    EXPECT_EXCP
    adr x16, excp_resume
    adr x17, \label
    str x17, [x16]
.endm

/* clear ISS bits 24:14 of an ESR (ISV and the fields it validates:
   optional for aborts taken to EL1) */
.macro MASK_ISV reg
    ldr x17, =0xfe003fff
    and \reg, \reg, x17
.endm

/* load a 64-bit word of common.S's record (last_esr...) into reg */
.macro LAST reg, name
    adr x16, \name
    ldr \reg, [x16]
.endm

/* N Z C V as PSTATE bits */
#define F_N 0x80000000
#define F_Z 0x40000000
#define F_C 0x20000000
#define F_V 0x10000000
