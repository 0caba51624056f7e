/*
 * The IR opcode table, defined once.  Include it with LOOM_IR_DEF defined:
 *
 *   LOOM_IR_DEF(name, outputs, inputs, constants, flags)
 *
 * Arguments of an op are stored outputs first, then inputs (temps), then
 * constants.  `call` and `insn_start` have variable counts (LOOM_IR_F_VARARGS):
 * the counts in the op itself are authoritative.  Ops flagged LOOM_IR_F_OPT are
 * optional: a back-end implements those it lists in LoomBackendOps.optional_ops
 * and the core legalises the others (core/legalize.c).  New ops go at the end
 * (ABI-ORDER: the enum values are part of the plugin ABI).
 */

/* control flow */
LOOM_IR_DEF(nop,            0, 0, 0, 0)
LOOM_IR_DEF(set_label,      0, 0, 1, LOOM_IR_F_BB_END)                 /* label */
LOOM_IR_DEF(br,             0, 0, 1, LOOM_IR_F_BB_END)                 /* label */
LOOM_IR_DEF(brcond_i32,     0, 2, 2, LOOM_IR_F_BB_END | LOOM_IR_F_COND)     /* a b; cond label */
LOOM_IR_DEF(brcond_i64,     0, 2, 2, LOOM_IR_F_BB_END | LOOM_IR_F_COND | LOOM_IR_F_64)

/* moves */
LOOM_IR_DEF(mov_i32,        1, 1, 0, 0)
LOOM_IR_DEF(mov_i64,        1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(setcond_i32,    1, 2, 1, LOOM_IR_F_COND)                   /* d = a cond b */
LOOM_IR_DEF(setcond_i64,    1, 2, 1, LOOM_IR_F_COND | LOOM_IR_F_64)
LOOM_IR_DEF(movcond_i32,    1, 4, 1, LOOM_IR_F_COND)                   /* d = (a cond b) ? t : f */
LOOM_IR_DEF(movcond_i64,    1, 4, 1, LOOM_IR_F_COND | LOOM_IR_F_64)

/* arithmetic; div/rem are total: x/0 = -1 (all ones), x%0 = x,
   INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0 */
LOOM_IR_DEF(add_i32,        1, 2, 0, 0)
LOOM_IR_DEF(add_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(sub_i32,        1, 2, 0, 0)
LOOM_IR_DEF(sub_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(neg_i32,        1, 1, 0, 0)
LOOM_IR_DEF(neg_i64,        1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(mul_i32,        1, 2, 0, 0)
LOOM_IR_DEF(mul_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(mulsh_i32,      1, 2, 0, 0)          /* high half, signed x signed */
LOOM_IR_DEF(mulsh_i64,      1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(muluh_i32,      1, 2, 0, 0)          /* high half, unsigned x unsigned */
LOOM_IR_DEF(muluh_i64,      1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(mulsuh_i32,     1, 2, 0, 0)          /* high half, signed a x unsigned b */
LOOM_IR_DEF(mulsuh_i64,     1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(div_i32,        1, 2, 0, 0)
LOOM_IR_DEF(div_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(divu_i32,       1, 2, 0, 0)
LOOM_IR_DEF(divu_i64,       1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(rem_i32,        1, 2, 0, 0)
LOOM_IR_DEF(rem_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(remu_i32,       1, 2, 0, 0)
LOOM_IR_DEF(remu_i64,       1, 2, 0, LOOM_IR_F_64)

/* logic */
LOOM_IR_DEF(and_i32,        1, 2, 0, 0)
LOOM_IR_DEF(and_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(or_i32,         1, 2, 0, 0)
LOOM_IR_DEF(or_i64,         1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(xor_i32,        1, 2, 0, 0)
LOOM_IR_DEF(xor_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(andc_i32,       1, 2, 0, LOOM_IR_F_OPT)          /* a & ~b */
LOOM_IR_DEF(andc_i64,       1, 2, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(orc_i32,        1, 2, 0, LOOM_IR_F_OPT)          /* a | ~b */
LOOM_IR_DEF(orc_i64,        1, 2, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(not_i32,        1, 1, 0, 0)
LOOM_IR_DEF(not_i64,        1, 1, 0, LOOM_IR_F_64)

/* shifts: the count is taken modulo the width */
LOOM_IR_DEF(shl_i32,        1, 2, 0, 0)
LOOM_IR_DEF(shl_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(shr_i32,        1, 2, 0, 0)
LOOM_IR_DEF(shr_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(sar_i32,        1, 2, 0, 0)
LOOM_IR_DEF(sar_i64,        1, 2, 0, LOOM_IR_F_64)
LOOM_IR_DEF(rotl_i32,       1, 2, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(rotl_i64,       1, 2, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(rotr_i32,       1, 2, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(rotr_i64,       1, 2, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)

/* bit counting: clz/ctz of 0 give the width */
LOOM_IR_DEF(clz_i32,        1, 1, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(clz_i64,        1, 1, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(ctz_i32,        1, 1, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(ctz_i64,        1, 1, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(ctpop_i32,      1, 1, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(ctpop_i64,      1, 1, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(bswap32_i32,    1, 1, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(bswap64_i64,    1, 1, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)

/* extensions and conversions */
LOOM_IR_DEF(ext8s_i32,      1, 1, 0, 0)
LOOM_IR_DEF(ext8u_i32,      1, 1, 0, 0)
LOOM_IR_DEF(ext16s_i32,     1, 1, 0, 0)
LOOM_IR_DEF(ext16u_i32,     1, 1, 0, 0)
LOOM_IR_DEF(ext8s_i64,      1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(ext8u_i64,      1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(ext16s_i64,     1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(ext16u_i64,     1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(ext32s_i64,     1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(ext32u_i64,     1, 1, 0, LOOM_IR_F_64)
LOOM_IR_DEF(exts_i32_i64,   1, 1, 0, LOOM_IR_F_64)    /* i64 d = sign-extended i32 a */
LOOM_IR_DEF(extu_i32_i64,   1, 1, 0, LOOM_IR_F_64)    /* i64 d = zero-extended i32 a */
LOOM_IR_DEF(extrl_i64_i32,  1, 1, 0, 0)          /* i32 d = low half of i64 a */
LOOM_IR_DEF(extrh_i64_i32,  1, 1, 0, 0)          /* i32 d = high half of i64 a */

/* host memory relative to a pointer temp (usually env): d; base; offset memop */
LOOM_IR_DEF(ldh_i64,        1, 1, 2, LOOM_IR_F_64)
LOOM_IR_DEF(sth_i64,        0, 2, 2, LOOM_IR_F_SIDE)  /* value base; offset memop */

/* guest memory through the softmmu: may fault */
LOOM_IR_DEF(qemu_ld_i32,    1, 1, 2, LOOM_IR_F_MEM)              /* d; addr; memop mmu_idx */
LOOM_IR_DEF(qemu_ld_i64,    1, 1, 2, LOOM_IR_F_MEM | LOOM_IR_F_64)
LOOM_IR_DEF(qemu_st_i32,    0, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)  /* value addr; memop mmu_idx */
LOOM_IR_DEF(qemu_st_i64,    0, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)

/* guest atomics, sequentially consistent, return the old value */
LOOM_IR_DEF(atomic_cmpxchg_i32, 1, 3, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)  /* d; addr cmp new; memop mmu_idx */
LOOM_IR_DEF(atomic_cmpxchg_i64, 1, 3, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_xchg_i32,    1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)  /* d; addr val; memop mmu_idx */
LOOM_IR_DEF(atomic_xchg_i64,    1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_add_i32,  1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_add_i64,  1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_and_i32,  1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_and_i64,  1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_or_i32,   1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_or_i64,   1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_xor_i32,  1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_xor_i64,  1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_smin_i32, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_smin_i64, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_smax_i32, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_smax_i64, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_umin_i32, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_umin_i64, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)
LOOM_IR_DEF(atomic_fetch_umax_i32, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE)
LOOM_IR_DEF(atomic_fetch_umax_i64, 1, 2, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64)

/* memory barrier: constant = LOOM_MO_* bits that must be ordered */
LOOM_IR_DEF(mb,             0, 0, 1, LOOM_IR_F_SIDE)

/* helper call: [d;] inputs...; LoomIRHelper pointer */
LOOM_IR_DEF(call,           0, 0, 1, LOOM_IR_F_SIDE | LOOM_IR_F_VARARGS)

/* start of a guest instruction: data words for state restore, as many as
   the front-end declares (LoomFrontendOps.insn_start_words) */
LOOM_IR_DEF(insn_start,     0, 0, 0, LOOM_IR_F_VARARGS)

/* TB exits */
LOOM_IR_DEF(goto_tb,        0, 0, 1, LOOM_IR_F_SIDE)                 /* slot: chained jump */
LOOM_IR_DEF(exit_tb,        0, 0, 1, LOOM_IR_F_SIDE | LOOM_IR_F_BB_END | LOOM_IR_F_EXIT) /* LOOM_IR_EXIT_* */
LOOM_IR_DEF(lookup_and_goto, 0, 0, 0, LOOM_IR_F_SIDE | LOOM_IR_F_BB_END | LOOM_IR_F_EXIT)

/* ---- since ABI 2.0; optional ops: a back-end that does not list one in
   LoomBackendOps.optional_ops gets it legalised into other ops by the
   core (core/legalize.c) ---- */

/* bit fields; constants pos len with len >= 1 and pos + len <= width.
   extract: d = bits [pos, pos + len) of a, zero-extended; sextract: the
   same, sign-extended from bit len - 1; deposit: d = a with bits
   [pos, pos + len) replaced by b's low len bits */
LOOM_IR_DEF(extract_i32,    1, 1, 2, LOOM_IR_F_OPT)          /* d; a; pos len */
LOOM_IR_DEF(extract_i64,    1, 1, 2, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(sextract_i32,   1, 1, 2, LOOM_IR_F_OPT)
LOOM_IR_DEF(sextract_i64,   1, 1, 2, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(deposit_i32,    1, 2, 2, LOOM_IR_F_OPT)          /* d; a b; pos len */
LOOM_IR_DEF(deposit_i64,    1, 2, 2, LOOM_IR_F_64 | LOOM_IR_F_OPT)

/* carry chains: d co; a b ci.  Only bit 0 of ci is read; co is 0 or 1.
   addc: d = a + b + ci, co = the carry out of the top bit.
   subb: d = a - b - ci, co = the borrow (1 if a < b + ci as unsigned).
   An Arm-style carry flag C is !borrow: subtract with subb(a, b, !C). */
LOOM_IR_DEF(addc_i32,       2, 3, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(addc_i64,       2, 3, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(subb_i32,       2, 3, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(subb_i64,       2, 3, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)

/* widening multiplies: lo hi; a b (the full product, unsigned or signed) */
LOOM_IR_DEF(mulu2_i32,      2, 2, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(mulu2_i64,      2, 2, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(muls2_i32,      2, 2, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(muls2_i64,      2, 2, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)

/* byte swaps of the low 16 or 32 bits, zero-extended */
LOOM_IR_DEF(bswap16_i32,    1, 1, 0, LOOM_IR_F_OPT)
LOOM_IR_DEF(bswap16_i64,    1, 1, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)
LOOM_IR_DEF(bswap32_i64,    1, 1, 0, LOOM_IR_F_64 | LOOM_IR_F_OPT)

/* 128-bit compare-and-swap (paired exclusives): dlo dhi; addr cmplo cmphi
   newlo newhi; memop mmu_idx.  memop's size bits are ignored (always 16
   bytes); LOOM_MEM_BE puts the high half first; LOOM_MEM_ALIGN asks for
   16-byte alignment.  Returns the old value.  Atomic with respect to
   other vCPUs: a back-end whose max_atomic_bits is below 128 never sees
   it outside an exclusive section (the core makes the insn run alone). */
LOOM_IR_DEF(atomic_cmpxchg_i128, 2, 5, 2, LOOM_IR_F_MEM | LOOM_IR_F_SIDE | LOOM_IR_F_64 | LOOM_IR_F_OPT)
