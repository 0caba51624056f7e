/*
 * fptest.h - macros shared by the F and D guest tests (rvf.S, rvd.S).
 *
 * Each case loads raw operand bits into f registers, runs one instruction
 * and checks the destination's exact 64-bit contents (singles must come
 * back NaN-boxed) and the exact fflags it raised; fflags is cleared by
 * every check, so each case starts from 0.  A case uses one check code
 * for both; the console's found/expected values tell which one differed.
 * Clobbers t0, t5, t6 (and t4 for FCHK).
 */
#ifndef LOOM_GUEST_FPTEST_H
#define LOOM_GUEST_FPTEST_H

#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

#define MSTATUS_FS      0x6000
#define MSTATUS_FS_INIT 0x2000
#define MSTATUS_SD      0x8000000000000000

/*
 * Built with -DGUEST_FP_OPERANDS_MEM (rvf-mem.elf, rvd-mem.elf), every
 * LDS/LDD reads its value from memory (LOAD_MEM, testmacros.h) instead
 * of li, so the IR optimiser cannot know any FP operand: the memory form
 * of every check, in a second ELF.  A failing check there prints
 * "FAIL check N (operands from memory)".
 */
#ifdef GUEST_FP_OPERANDS_MEM
#define FP_LOAD LOAD_MEM
#define FP_MEM  1
#define FP_FORM CHECK_MEM_FORM
#else
#define FP_LOAD li
#define FP_MEM  0
#define FP_FORM 0
#endif

/* f <- 32-bit value, NaN-boxed (fmv.w.x boxes) */
.macro LDS f, v
    FP_LOAD t0, \v
    fmv.w.x \f, t0
.endm

/* f <- raw 64-bit value */
.macro LDD f, v
    FP_LOAD t0, \v
    fmv.d.x \f, t0
.endm

/* x register reg == res and fflags == flags (fflags cleared) */
.macro XCHK code, reg, res, flags
    _CHECK_CODE \code
    csrrw t5, fflags, x0
    li   t6, \res
    beq  \reg, t6, .Lxr\@
    _CHECK_FAIL \reg, (\code) + FP_FORM
.Lxr\@:
    li   t6, \flags
    _CHECK_BRANCH t5, t6, .Lxf\@, \code, FP_MEM
    _CHECK_FAIL t5, (\code) + FP_FORM
.Lxf\@:
.endm

/* the raw 64 bits of f register f == res and fflags == flags */
.macro FCHK code, f, res, flags
    fmv.x.d t4, \f
    XCHK \code, t4, \res, \flags
.endm

#endif
