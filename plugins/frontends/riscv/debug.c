/*
 * riscv64 front-end: the Sdtrig trigger module (RISC-V debug spec 1.0).
 *
 * RISCV_TRIGGERS triggers, each of type mcontrol6 (6) or disabled (15),
 * reached through tselect/tdata1/tdata2/tdata3/tinfo (csr.c's table).
 * What a trigger can do, as WARL legalisation of tdata1 keeps it:
 *   - address matches (select = 0, size = 0: any access size) on
 *     execute (the insn's address), load and store (every byte the
 *     access touches is a compare value), with match = equal (0),
 *     >= (2), < (3) or not equal (8);
 *   - action = 0 only: a breakpoint exception (cause 3), xtval = the
 *     compare value that matched (the insn's pc, or the lowest matching
 *     byte address of the access), xepc = the insn, which does not run;
 *   - the m, s and u bits (s and u only when the hart has the mode);
 *     no dmode, chain, hit, uncertain, vs/vu (read-only 0); tdata3
 *     (textra64) reads 0: no context conditions.
 * Writing tdata1 with any other type (0 included) disables the trigger:
 * type 15, every other bit 0.  tinfo says 6 and 15 and version 1.
 *
 * Reentrancy (spec "Native Triggers", option 1, since medeleg[3] must
 * stay writable for S-mode debuggers): a trigger neither matches nor
 * fires in M-mode while mstatus.MIE = 0, nor in S-mode while
 * mstatus.SIE = 0 when medeleg[3] delegates breakpoints to S.
 *
 * Translation: TB flags carry two bits, "an execute trigger may fire"
 * and "a load/store trigger may fire", computed from the triggers, the
 * privilege and MIE/SIE at each TB lookup (riscv_trigger_tb_flags).
 * With the first, each insn starts with a call that compares its pc;
 * with the second, each memory access is preceded by one that compares
 * its bytes.  TBs carry no trigger addresses, so harts with different
 * triggers share them; code translated before a trigger was armed has
 * other flags and is not reused.  Writes to tdata1 end the TB.
 *
 * Threading: the trigger state is the hart's own (RISCVEnv), written by
 * CSR instructions and the debugger on the hart's thread only.
 */
#include "cpu.h"

/* mcontrol6 fields (RV64) */
#define TDATA1_TYPE_SHIFT   60
#define TDATA1_TYPE(v)      ((unsigned)((v) >> TDATA1_TYPE_SHIFT))
#define TRIG_TYPE_MCONTROL6 6u
#define TRIG_TYPE_DISABLED  15u
#define MC6_LOAD            (1ull << 0)
#define MC6_STORE           (1ull << 1)
#define MC6_EXECUTE         (1ull << 2)
#define MC6_U               (1ull << 3)
#define MC6_S               (1ull << 4)
#define MC6_M               (1ull << 6)
#define MC6_MATCH_SHIFT     7
#define MC6_MATCH           (0xfull << MC6_MATCH_SHIFT)

enum { MATCH_EQ = 0, MATCH_GE = 2, MATCH_LT = 3, MATCH_NE = 8 };

#define TINFO_VERSION_1     (1ull << 24)

static const uint64_t tdata1_disabled = (uint64_t)TRIG_TYPE_DISABLED << TDATA1_TYPE_SHIFT;

/* The mode bit of an mcontrol6 for privilege level priv. */
static uint64_t mode_bit(uint32_t priv)
{
    return priv == PRV_M ? MC6_M : priv == PRV_S ? MC6_S : MC6_U;
}

/* Recompute the per-privilege summaries riscv_trigger_tb_flags reads. */
static void trigger_summarise(RISCVEnv *env)
{
    env->trig_exec_privs = 0;
    env->trig_data_privs = 0;
    for (int i = 0; i < RISCV_TRIGGERS; i++) {
        uint64_t t1 = env->tdata1[i];

        if (TDATA1_TYPE(t1) != TRIG_TYPE_MCONTROL6) {
            continue;
        }
        for (uint32_t p = PRV_U; p <= PRV_M; p++) {
            if (!(t1 & mode_bit(p))) {
                continue;
            }
            if (t1 & MC6_EXECUTE) {
                env->trig_exec_privs |= 1u << p;
            }
            if (t1 & (MC6_LOAD | MC6_STORE)) {
                env->trig_data_privs |= 1u << p;
            }
        }
    }
}

void riscv_trigger_reset(RISCVEnv *env)
{
    env->tselect = 0;
    for (int i = 0; i < RISCV_TRIGGERS; i++) {
        env->tdata1[i] = tdata1_disabled;
        env->tdata2[i] = 0;
    }
    trigger_summarise(env);
}

/* Triggers with action 0 may fire in the current mode (reentrancy
   rule, see the top of the file). */
static bool triggers_live(const RISCVEnv *env)
{
    switch (env->priv) {
    case PRV_M:
        return (env->mstatus & MSTATUS_MIE) != 0;
    case PRV_S:
        return !(env->medeleg & (1ull << EXCP_BREAKPOINT)) || (env->mstatus & MSTATUS_SIE);
    default:
        return true;
    }
}

uint32_t riscv_trigger_tb_flags(const RISCVEnv *env)
{
    uint32_t flags = 0;

    if (!(((env->trig_exec_privs | env->trig_data_privs) >> env->priv) & 1) ||
        !triggers_live(env)) {
        return 0;
    }
    if ((env->trig_exec_privs >> env->priv) & 1) {
        flags |= TB_FLAGS_TRIG_EXEC;
    }
    if ((env->trig_data_privs >> env->priv) & 1) {
        flags |= TB_FLAGS_TRIG_DATA;
    }
    return flags;
}

/*
 * Does trigger i match an access of len bytes at addr (compare values
 * addr .. addr + len - 1) of a kind in `kinds` (MC6_EXECUTE/LOAD/STORE)
 * in the current mode?  *hit = the lowest matching compare value.
 */
static bool trigger_match(const RISCVEnv *env, int i, uint64_t addr, unsigned len,
                          uint64_t kinds, uint64_t *hit)
{
    uint64_t t1 = env->tdata1[i], t2 = env->tdata2[i];
    uint64_t last = addr + (len - 1);

    if (TDATA1_TYPE(t1) != TRIG_TYPE_MCONTROL6 || !(t1 & kinds) ||
        !(t1 & mode_bit(env->priv))) {
        return false;
    }
    if (last < addr) {
        last = UINT64_MAX;      /* wrapped: the compare values stop at the top */
    }
    switch ((t1 & MC6_MATCH) >> MC6_MATCH_SHIFT) {
    case MATCH_EQ:
        *hit = t2;
        return t2 >= addr && t2 <= last;
    case MATCH_GE:
        *hit = addr >= t2 ? addr : t2;
        return last >= t2;
    case MATCH_LT:
        *hit = addr;
        return addr < t2;
    case MATCH_NE:
        *hit = addr;
        return !(t2 >= addr && t2 <= last);
    default:
        return false;           /* never stored (tdata1 legalisation) */
    }
}

/* The lowest-numbered matching trigger's compare value, if any. */
static bool triggers_match(const RISCVEnv *env, uint64_t addr, unsigned len,
                           uint64_t kinds, uint64_t *hit)
{
    if (!triggers_live(env)) {
        return false;
    }
    for (int i = 0; i < RISCV_TRIGGERS; i++) {
        if (trigger_match(env, i, addr, len, kinds, hit)) {
            return true;
        }
    }
    return false;
}

bool riscv_trigger_exec_match(const RISCVEnv *env, uint64_t pc)
{
    uint64_t hit;

    return triggers_match(env, pc, 1, MC6_EXECUTE, &hit);
}

/*
 * A fetch for the insn at env->pc is about to fault (tlb_fill or a bus
 * error): an execute trigger on that insn comes first (the spec's
 * priority table), so raise the breakpoint instead.  Fetches happen only
 * for the first insn of a TB, whose pc env->pc holds.
 */
void riscv_trigger_fetch_fault(RISCVEnv *env)
{
    if (riscv_trigger_exec_match(env, env->pc)) {
        riscv_raise(env, EXCP_BREAKPOINT, env->pc);
    }
}

/* ---- helpers translated code calls ---- */

/* Execute triggers on the insn at pc: 1 if one fires (the caller raises
   the breakpoint, so the insns before this one stay counted). */
static uint64_t helper_trig_exec(void *e, uint64_t pc, uint64_t a1 UNUSED,
                                 uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                                 uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    return riscv_trigger_exec_match(e, pc);
}

/* Load/store triggers on an access: desc = size | TRIG_ACCESS_* kinds.
   Fires before the access (above misaligned and page faults). */
static uint64_t helper_trig_data(void *e, uint64_t addr, uint64_t desc,
                                 uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                                 uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    uint64_t kinds = ((desc & TRIG_ACCESS_LOAD) ? MC6_LOAD : 0) |
                     ((desc & TRIG_ACCESS_STORE) ? MC6_STORE : 0);
    uint64_t hit;

    if (triggers_match(env, addr, (unsigned)(desc & TRIG_ACCESS_SIZE), kinds, &hit)) {
        riscv_raise_restore(env, EXCP_BREAKPOINT, hit, LOOM_GETPC());
    }
    return 0;
}

const LoomIRHelper riscv_helper_trig_exec = {
    helper_trig_exec, "trig_exec",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE |
    LOOM_IR_CALL_NO_SIDE_EFFECTS,
};
/* raises with the state restored from insn_start */
const LoomIRHelper riscv_helper_trig_data = {
    helper_trig_data, "trig_data", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};

void riscv_gen_trig_data(LoomIRContext *ir, LoomIRTemp addr, unsigned size, unsigned kinds)
{
    LoomIRTemp args[2] = { addr, loom_ir_const_i64(ir, size | kinds) };

    loom_ir_gen_call(ir, &riscv_helper_trig_data, LOOM_IR_NO_RET, 2, args);
}

/* ---- CSRs (csr.c's table calls these) ---- */

bool riscv_trigger_csr_read(RISCVEnv *env, int csrno, uint64_t *val)
{
    unsigned i = (unsigned)env->tselect;

    switch (csrno) {
    case CSR_TSELECT:
        *val = env->tselect;
        return true;
    case CSR_TDATA1:
        *val = env->tdata1[i];
        return true;
    case CSR_TDATA2:
        *val = env->tdata2[i];
        return true;
    case CSR_TDATA3:
        *val = 0;
        return true;
    case CSR_TINFO:
        *val = TINFO_VERSION_1 | (1u << TRIG_TYPE_MCONTROL6) | (1u << TRIG_TYPE_DISABLED);
        return true;
    default:
        return false;
    }
}

/* tdata1: keep what this trigger module implements (see the top). */
static uint64_t legalise_tdata1(const RISCVEnv *env, uint64_t val)
{
    uint64_t keep = MC6_LOAD | MC6_STORE | MC6_EXECUTE | MC6_M;
    unsigned match = (unsigned)((val & MC6_MATCH) >> MC6_MATCH_SHIFT);

    if (TDATA1_TYPE(val) != TRIG_TYPE_MCONTROL6) {
        return tdata1_disabled;
    }
    if (riscv_has_ext(env, 'S')) {
        keep |= MC6_S;
    }
    if (riscv_has_ext(env, 'U')) {
        keep |= MC6_U;
    }
    if (match != MATCH_EQ && match != MATCH_GE && match != MATCH_LT && match != MATCH_NE) {
        match = MATCH_EQ;
    }
    return ((uint64_t)TRIG_TYPE_MCONTROL6 << TDATA1_TYPE_SHIFT) | (val & keep) |
           ((uint64_t)match << MC6_MATCH_SHIFT);
}

void riscv_trigger_csr_write(RISCVEnv *env, int csrno, uint64_t val)
{
    unsigned i = (unsigned)env->tselect;

    switch (csrno) {
    case CSR_TSELECT:
        /* WARL: an index without a trigger is not taken, so reading it
           back tells a debugger where the triggers end */
        if (val < RISCV_TRIGGERS) {
            env->tselect = val;
        }
        break;
    case CSR_TDATA1:
        env->tdata1[i] = legalise_tdata1(env, val);
        trigger_summarise(env);
        break;
    case CSR_TDATA2:
        env->tdata2[i] = val;   /* any address, all 64 bits */
        break;
    default:
        break;                  /* tdata3, tinfo: nothing to write */
    }
}
