/*
 * riscv64 front-end: F and D instructions -> loom IR.
 *
 * translate.c dispatches the major opcodes LOAD-FP, STORE-FP, OP-FP,
 * MADD, MSUB, NMSUB and NMADD here (16-bit c.fld/c.fsd/c.fldsp/c.fsdsp
 * arrive expanded to fld/fsd).  Everything here returns false for an
 * illegal encoding and the caller raises illegal instruction.
 *
 * - f registers live in env->fpr[] (not IR globals): loads, stores and
 *   moves are ldh/sth on env; the arithmetic is a helper call (fpu.c)
 *   that takes and returns raw register values and accrues fflags.
 * - mstatus.FS comes from the TB flags: Off makes every FP instruction
 *   illegal at translation time.  The first instruction of a TB that may
 *   change FP state (f registers or fflags) sets FS to Dirty (SD follows)
 *   when the TB was made with FS not Dirty; later ones rely on it.
 * - Rounding modes: a reserved rm field (5, 6) is illegal at translation
 *   time; rm = DYN calls fpu_check_frm first, which raises illegal
 *   instruction at run time for frm = 5..7.
 * - NaN boxing: flw and fmv.w.x box; fsw and fmv.x.w use the low 32 bits
 *   as they are; the helpers unbox their single-precision operands.
 */
#include "fpu.h"

static LoomIRTemp gpr_src(RISCVFPDisas *fd, int r)
{
    return r ? fd->gpr[r] : loom_ir_const_i64(fd->ir, 0);
}

/* An x destination: writes to x0 go to a scratch temp. */
static LoomIRTemp gpr_dst(RISCVFPDisas *fd, int r)
{
    return r ? fd->gpr[r] : loom_ir_temp_new_i64(fd->ir);
}

static LoomIRTemp fpr_load(RISCVFPDisas *fd, int r)
{
    LoomIRTemp t = loom_ir_temp_new_i64(fd->ir);

    loom_ir_gen_ldh_i64(fd->ir, t, LOOM_IR_ENV, (int32_t)offsetof(RISCVEnv, fpr[r]), LOOM_MEM_UQ);
    return t;
}

static void fpr_store(RISCVFPDisas *fd, int r, LoomIRTemp v)
{
    loom_ir_gen_sth_i64(fd->ir, v, LOOM_IR_ENV, (int32_t)offsetof(RISCVEnv, fpr[r]), LOOM_MEM_UQ);
}

/* This insn may change FP state: FS becomes Dirty (once per TB). */
static void mark_dirty(RISCVFPDisas *fd)
{
    LoomIRContext *ir = fd->ir;
    LoomIRTemp t;

    if (fd->fs_dirty || fd->fs == 3) {
        return;
    }
    t = loom_ir_temp_new_i64(ir);
    loom_ir_gen_ldh_i64(ir, t, LOOM_IR_ENV, (int32_t)offsetof(RISCVEnv, mstatus), LOOM_MEM_UQ);
    loom_ir_gen_ori_i64(ir, t, t, MSTATUS_FS);       /* SD is derived on reads */
    loom_ir_gen_sth_i64(ir, t, LOOM_IR_ENV, (int32_t)offsetof(RISCVEnv, mstatus), LOOM_MEM_UQ);
    fd->fs_dirty = true;
}

/* The extension fmt needs (S: F, D: D); H and Q do not exist. */
static bool fmt_ok(RISCVFPDisas *fd, int fmt)
{
    if (fmt == FPU_FMT_S) {
        return riscv_has_ext(fd->env, 'F');
    }
    return fmt == FPU_FMT_D && riscv_has_ext(fd->env, 'D');
}

/* Check the rm field; emit the run-time frm check for DYN. */
static bool rm_ok(RISCVFPDisas *fd, int rm)
{
    if (rm == 5 || rm == 6) {
        return false;
    }
    if (rm == FPU_RM_DYN) {
        LoomIRTemp arg = loom_ir_const_i64(fd->ir, fd->insn_bits);

        loom_ir_gen_call(fd->ir, &riscv_helper_fpu_check_frm, LOOM_IR_NO_RET, 1, &arg);
    }
    return true;
}

static LoomIRTemp call(RISCVFPDisas *fd, const LoomIRHelper *h, LoomIRTemp ret, unsigned n,
                   LoomIRTemp a, LoomIRTemp b, LoomIRTemp c, LoomIRTemp d)
{
    LoomIRTemp args[4] = { a, b, c, d };

    loom_ir_gen_call(fd->ir, h, ret, n, args);
    return ret;
}

/* ---- loads and stores (alignment as the integer ones: fd->align) ---- */

static bool trans_ldst(RISCVFPDisas *fd, bool store, bool dbl, int fr, int rs1,
                       int64_t imm)
{
    LoomIRContext *ir = fd->ir;
    LoomIRTemp addr, v;

    if (!fmt_ok(fd, dbl ? FPU_FMT_D : FPU_FMT_S)) {
        return false;
    }
    if (imm == 0) {
        addr = gpr_src(fd, rs1);
    } else {
        addr = loom_ir_temp_new_i64(ir);
        loom_ir_gen_addi_i64(ir, addr, gpr_src(fd, rs1), imm);
    }
    if (fd->trig_data) {
        riscv_gen_trig_data(ir, addr, dbl ? 8 : 4, store ? TRIG_ACCESS_STORE : TRIG_ACCESS_LOAD);
    }
    if (store) {
        loom_ir_gen_qemu_st_i64(ir, fpr_load(fd, fr), addr,
                           (LoomMemOp)((dbl ? LOOM_MEM_UQ : LOOM_MEM_UL) | fd->align), fd->mem_idx);
        return true;
    }
    v = loom_ir_temp_new_i64(ir);
    loom_ir_gen_qemu_ld_i64(ir, v, addr, (LoomMemOp)((dbl ? LOOM_MEM_UQ : LOOM_MEM_UL) | fd->align),
                       fd->mem_idx);
    if (!dbl) {
        loom_ir_gen_ori_i64(ir, v, v, FPU_BOX_S);
    }
    mark_dirty(fd);
    fpr_store(fd, fr, v);
    return true;
}

/* ---- OP-FP ---- */

static bool trans_op_fp(RISCVFPDisas *fd)
{
    LoomIRContext *ir = fd->ir;
    uint32_t insn = fd->insn;
    int rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31;
    int rm = (insn >> 12) & 7, fmt = (insn >> 25) & 3, funct5 = (int)(insn >> 27);
    LoomIRTemp r, a;
    int op;

    if (!fmt_ok(fd, fmt)) {
        return false;
    }
    switch (funct5) {
    case 0x00: case 0x01: case 0x02: case 0x03: /* fadd fsub fmul fdiv */
    case 0x0b:                                  /* fsqrt */
        if ((funct5 == 0x0b && rs2 != 0) || !rm_ok(fd, rm)) {
            return false;
        }
        op = funct5 == 0x0b ? FPU_SQRT : funct5;
        r = loom_ir_temp_new_i64(ir);
        call(fd, &riscv_helper_fpu_arith, r, 3, fpr_load(fd, rs1), fpr_load(fd, rs2),
             loom_ir_const_i64(ir, FPU_ARG(op, fmt, rm)), 0);
        break;
    case 0x04: /* fsgnj fsgnjn fsgnjx */
    case 0x05: /* fmin fmax */
        if (rm > (funct5 == 0x04 ? 2 : 1)) {
            return false;
        }
        op = funct5 == 0x04 ? FPU_SGNJ + rm : FPU_MIN + rm;
        r = loom_ir_temp_new_i64(ir);
        call(fd, &riscv_helper_fpu_misc, r, 3, fpr_load(fd, rs1), fpr_load(fd, rs2),
             loom_ir_const_i64(ir, FPU_ARG(op, fmt, 0)), 0);
        break;
    case 0x08: /* fcvt.s.d (fmt S, rs2 = D), fcvt.d.s (fmt D, rs2 = S) */
        if (rs2 != (fmt ^ 1) || !fmt_ok(fd, rs2) || !rm_ok(fd, rm)) {
            return false;
        }
        r = loom_ir_temp_new_i64(ir);
        call(fd, &riscv_helper_fpu_cvt, r, 2, fpr_load(fd, rs1),
             loom_ir_const_i64(ir, FPU_ARG(FPU_CVT_F_F, rs2, rm)), 0, 0);
        break;
    case 0x14: /* fle flt feq -> x[rd] */
        if (rm > 2) {
            return false;
        }
        mark_dirty(fd);                         /* fflags */
        call(fd, &riscv_helper_fpu_misc, gpr_dst(fd, rd), 3, fpr_load(fd, rs1),
             fpr_load(fd, rs2), loom_ir_const_i64(ir, FPU_ARG(FPU_FLE - rm, fmt, 0)), 0);
        return true;
    case 0x18: /* fcvt.{w,wu,l,lu}.fmt -> x[rd] */
        if (rs2 > 3 || !rm_ok(fd, rm)) {
            return false;
        }
        mark_dirty(fd);                         /* fflags */
        call(fd, &riscv_helper_fpu_cvt, gpr_dst(fd, rd), 2, fpr_load(fd, rs1),
             loom_ir_const_i64(ir, FPU_ARG(FPU_CVT_W_F + rs2, fmt, rm)), 0, 0);
        return true;
    case 0x1a: /* fcvt.fmt.{w,wu,l,lu} */
        if (rs2 > 3 || !rm_ok(fd, rm)) {
            return false;
        }
        r = loom_ir_temp_new_i64(ir);
        call(fd, &riscv_helper_fpu_cvt, r, 2, gpr_src(fd, rs1),
             loom_ir_const_i64(ir, FPU_ARG(FPU_CVT_F_W + rs2, fmt, rm)), 0, 0);
        break;
    case 0x1c: /* fmv.x.fmt (rm 0), fclass (rm 1) -> x[rd] */
        if (rs2 != 0 || rm > 1) {
            return false;
        }
        if (rm == 1) {
            call(fd, &riscv_helper_fpu_misc, gpr_dst(fd, rd), 3, fpr_load(fd, rs1),
                 loom_ir_const_i64(ir, 0), loom_ir_const_i64(ir, FPU_ARG(FPU_CLASS, fmt, 0)), 0);
        } else if (rd) {
            a = fpr_load(fd, rs1);
            if (fmt == FPU_FMT_S) {
                loom_ir_gen_ext32s_i64(ir, fd->gpr[rd], a);  /* the raw low 32 bits */
            } else {
                loom_ir_gen_mov_i64(ir, fd->gpr[rd], a);
            }
        }
        return true;
    case 0x1e: /* fmv.fmt.x */
        if (rs2 != 0 || rm != 0) {
            return false;
        }
        r = loom_ir_temp_new_i64(ir);
        if (fmt == FPU_FMT_S) {
            loom_ir_gen_ori_i64(ir, r, gpr_src(fd, rs1), FPU_BOX_S);
        } else {
            loom_ir_gen_mov_i64(ir, r, gpr_src(fd, rs1));
        }
        break;
    default:
        return false;
    }
    mark_dirty(fd);
    fpr_store(fd, rd, r);
    return true;
}

/* ---- fused multiply-add: rd = (+-rs1 * rs2) +- rs3, one rounding ---- */

static bool trans_fma(RISCVFPDisas *fd, int neg)
{
    LoomIRContext *ir = fd->ir;
    uint32_t insn = fd->insn;
    int rd = (insn >> 7) & 31, rm = (insn >> 12) & 7, fmt = (insn >> 25) & 3;
    LoomIRTemp r;

    if (!fmt_ok(fd, fmt) || !rm_ok(fd, rm)) {
        return false;
    }
    r = loom_ir_temp_new_i64(ir);
    call(fd, &riscv_helper_fpu_fma, r, 4, fpr_load(fd, (insn >> 15) & 31),
         fpr_load(fd, (insn >> 20) & 31), fpr_load(fd, (int)(insn >> 27)),
         loom_ir_const_i64(ir, FPU_ARG(neg, fmt, rm)));
    mark_dirty(fd);
    fpr_store(fd, rd, r);
    return true;
}

bool riscv_trans_fp(RISCVFPDisas *fd)
{
    uint32_t insn = fd->insn;
    int f3 = (insn >> 12) & 7;

    if (fd->fs == 0) {
        return false;                           /* mstatus.FS = Off */
    }
    switch ((insn >> 2) & 31) {
    case 0x01: /* LOAD-FP: flw, fld */
    case 0x09: /* STORE-FP: fsw, fsd */
        if (f3 != 2 && f3 != 3) {
            return false;
        }
        if ((insn >> 2) & 8) {
            return trans_ldst(fd, true, f3 == 3, (insn >> 20) & 31, (insn >> 15) & 31,
                              ((int32_t)(insn & 0xfe000000) >> 20) |
                              (int32_t)((insn >> 7) & 31));
        }
        return trans_ldst(fd, false, f3 == 3, (insn >> 7) & 31, (insn >> 15) & 31,
                          (int32_t)insn >> 20);
    case 0x10: /* MADD */
        return trans_fma(fd, 0);
    case 0x11: /* MSUB */
        return trans_fma(fd, FPU_FMA_NEG_ADD);
    case 0x12: /* NMSUB */
        return trans_fma(fd, FPU_FMA_NEG_PROD);
    case 0x13: /* NMADD */
        return trans_fma(fd, FPU_FMA_NEG_PROD | FPU_FMA_NEG_ADD);
    case 0x14: /* OP-FP */
        return trans_op_fp(fd);
    default:
        return false;
    }
}
