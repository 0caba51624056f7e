/*
 * The IR opcode table, defined once.  Include it with DEF defined:
 *
 *   DEF(name, outputs, inputs, constants, flags)
 *
 * Arguments of an op are stored outputs first, then inputs (temps), then
 * constants.  `call` has a variable number of inputs (IR_F_VARARGS): the
 * counts in the op itself are authoritative.  New ops go at the end
 * (ABI-ORDER: the enum values are part of the plugin ABI).
 */

/* control flow */
DEF(nop,            0, 0, 0, 0)
DEF(set_label,      0, 0, 1, IR_F_BB_END)                 /* label */
DEF(br,             0, 0, 1, IR_F_BB_END)                 /* label */
DEF(brcond_i32,     0, 2, 2, IR_F_BB_END | IR_F_COND)     /* a b; cond label */
DEF(brcond_i64,     0, 2, 2, IR_F_BB_END | IR_F_COND | IR_F_64)

/* moves */
DEF(mov_i32,        1, 1, 0, 0)
DEF(mov_i64,        1, 1, 0, IR_F_64)
DEF(setcond_i32,    1, 2, 1, IR_F_COND)                   /* d = a cond b */
DEF(setcond_i64,    1, 2, 1, IR_F_COND | IR_F_64)
DEF(movcond_i32,    1, 4, 1, IR_F_COND)                   /* d = (a cond b) ? t : f */
DEF(movcond_i64,    1, 4, 1, IR_F_COND | IR_F_64)

/* arithmetic; div/rem are total: x/0 = -1 (all ones), x%0 = x,
   INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0 */
DEF(add_i32,        1, 2, 0, 0)
DEF(add_i64,        1, 2, 0, IR_F_64)
DEF(sub_i32,        1, 2, 0, 0)
DEF(sub_i64,        1, 2, 0, IR_F_64)
DEF(neg_i32,        1, 1, 0, 0)
DEF(neg_i64,        1, 1, 0, IR_F_64)
DEF(mul_i32,        1, 2, 0, 0)
DEF(mul_i64,        1, 2, 0, IR_F_64)
DEF(mulsh_i32,      1, 2, 0, 0)          /* high half, signed x signed */
DEF(mulsh_i64,      1, 2, 0, IR_F_64)
DEF(muluh_i32,      1, 2, 0, 0)          /* high half, unsigned x unsigned */
DEF(muluh_i64,      1, 2, 0, IR_F_64)
DEF(mulsuh_i32,     1, 2, 0, 0)          /* high half, signed a x unsigned b */
DEF(mulsuh_i64,     1, 2, 0, IR_F_64)
DEF(div_i32,        1, 2, 0, 0)
DEF(div_i64,        1, 2, 0, IR_F_64)
DEF(divu_i32,       1, 2, 0, 0)
DEF(divu_i64,       1, 2, 0, IR_F_64)
DEF(rem_i32,        1, 2, 0, 0)
DEF(rem_i64,        1, 2, 0, IR_F_64)
DEF(remu_i32,       1, 2, 0, 0)
DEF(remu_i64,       1, 2, 0, IR_F_64)

/* logic */
DEF(and_i32,        1, 2, 0, 0)
DEF(and_i64,        1, 2, 0, IR_F_64)
DEF(or_i32,         1, 2, 0, 0)
DEF(or_i64,         1, 2, 0, IR_F_64)
DEF(xor_i32,        1, 2, 0, 0)
DEF(xor_i64,        1, 2, 0, IR_F_64)
DEF(andc_i32,       1, 2, 0, 0)          /* a & ~b */
DEF(andc_i64,       1, 2, 0, IR_F_64)
DEF(orc_i32,        1, 2, 0, 0)          /* a | ~b */
DEF(orc_i64,        1, 2, 0, IR_F_64)
DEF(not_i32,        1, 1, 0, 0)
DEF(not_i64,        1, 1, 0, IR_F_64)

/* shifts: the count is taken modulo the width */
DEF(shl_i32,        1, 2, 0, 0)
DEF(shl_i64,        1, 2, 0, IR_F_64)
DEF(shr_i32,        1, 2, 0, 0)
DEF(shr_i64,        1, 2, 0, IR_F_64)
DEF(sar_i32,        1, 2, 0, 0)
DEF(sar_i64,        1, 2, 0, IR_F_64)
DEF(rotl_i32,       1, 2, 0, 0)
DEF(rotl_i64,       1, 2, 0, IR_F_64)
DEF(rotr_i32,       1, 2, 0, 0)
DEF(rotr_i64,       1, 2, 0, IR_F_64)

/* bit counting: clz/ctz of 0 give the width */
DEF(clz_i32,        1, 1, 0, 0)
DEF(clz_i64,        1, 1, 0, IR_F_64)
DEF(ctz_i32,        1, 1, 0, 0)
DEF(ctz_i64,        1, 1, 0, IR_F_64)
DEF(ctpop_i32,      1, 1, 0, 0)
DEF(ctpop_i64,      1, 1, 0, IR_F_64)
DEF(bswap32_i32,    1, 1, 0, 0)
DEF(bswap64_i64,    1, 1, 0, IR_F_64)

/* extensions and conversions */
DEF(ext8s_i32,      1, 1, 0, 0)
DEF(ext8u_i32,      1, 1, 0, 0)
DEF(ext16s_i32,     1, 1, 0, 0)
DEF(ext16u_i32,     1, 1, 0, 0)
DEF(ext8s_i64,      1, 1, 0, IR_F_64)
DEF(ext8u_i64,      1, 1, 0, IR_F_64)
DEF(ext16s_i64,     1, 1, 0, IR_F_64)
DEF(ext16u_i64,     1, 1, 0, IR_F_64)
DEF(ext32s_i64,     1, 1, 0, IR_F_64)
DEF(ext32u_i64,     1, 1, 0, IR_F_64)
DEF(exts_i32_i64,   1, 1, 0, IR_F_64)    /* i64 d = sign-extended i32 a */
DEF(extu_i32_i64,   1, 1, 0, IR_F_64)    /* i64 d = zero-extended i32 a */
DEF(extrl_i64_i32,  1, 1, 0, 0)          /* i32 d = low half of i64 a */
DEF(extrh_i64_i32,  1, 1, 0, 0)          /* i32 d = high half of i64 a */

/* host memory relative to a pointer temp (usually env): d; base; offset memop */
DEF(ldh_i64,        1, 1, 2, IR_F_64)
DEF(sth_i64,        0, 2, 2, IR_F_SIDE)  /* value base; offset memop */

/* guest memory through the softmmu: may fault */
DEF(qemu_ld_i32,    1, 1, 2, IR_F_MEM)              /* d; addr; memop mmu_idx */
DEF(qemu_ld_i64,    1, 1, 2, IR_F_MEM | IR_F_64)
DEF(qemu_st_i32,    0, 2, 2, IR_F_MEM | IR_F_SIDE)  /* value addr; memop mmu_idx */
DEF(qemu_st_i64,    0, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)

/* guest atomics, sequentially consistent, return the old value */
DEF(atomic_cmpxchg_i32, 1, 3, 2, IR_F_MEM | IR_F_SIDE)  /* d; addr cmp new; memop mmu_idx */
DEF(atomic_cmpxchg_i64, 1, 3, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_xchg_i32,    1, 2, 2, IR_F_MEM | IR_F_SIDE)  /* d; addr val; memop mmu_idx */
DEF(atomic_xchg_i64,    1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_add_i32,  1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_add_i64,  1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_and_i32,  1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_and_i64,  1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_or_i32,   1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_or_i64,   1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_xor_i32,  1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_xor_i64,  1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_smin_i32, 1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_smin_i64, 1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_smax_i32, 1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_smax_i64, 1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_umin_i32, 1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_umin_i64, 1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)
DEF(atomic_fetch_umax_i32, 1, 2, 2, IR_F_MEM | IR_F_SIDE)
DEF(atomic_fetch_umax_i64, 1, 2, 2, IR_F_MEM | IR_F_SIDE | IR_F_64)

/* memory barrier: constant = LOOM_MO_* bits that must be ordered */
DEF(mb,             0, 0, 1, IR_F_SIDE)

/* helper call: [d;] inputs...; IRHelper pointer */
DEF(call,           0, 0, 1, IR_F_SIDE | IR_F_VARARGS)

/* start of a guest instruction: data words for state restore */
DEF(insn_start,     0, 0, 2, 0)

/* TB exits */
DEF(goto_tb,        0, 0, 1, IR_F_SIDE)                 /* slot: chained jump */
DEF(exit_tb,        0, 0, 1, IR_F_SIDE | IR_F_BB_END | IR_F_EXIT) /* IR_EXIT_* */
DEF(lookup_and_goto, 0, 0, 0, IR_F_SIDE | IR_F_BB_END | IR_F_EXIT)
