/*
 * The x86_64 JIT back-end, driven with hand-built IR and checked against
 * exact values: every op's corner cases (shift counts >= width, division
 * by zero and MIN/-1, clz/ctz of 0, i32 results kept zero-extended),
 * every condition, host and guest memory, faults and unwinding, atomics
 * under contention, helper calls, exits and chained jumps.  Each value
 * case also runs on the interpreter, the reference, which must agree.
 */
#include "config.h"
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

#define RAM_BASE 0x10000u
#define RAM_SIZE 0x10000u
#define NG 8
#define CODE_SIZE (1u << 18)

static LoomMachine mach;
static const LoomBackendOps *jit, *interp;
static IRTemp g[NG];                    /* globals r0..r7 at env + 8*i */

typedef struct TestEnv {
    uint64_t r[NG];
    uint64_t fault_addr;
    int fault_kind;
    int unwound_insn;
    unsigned fills;                     /* tlb_fill calls */
} TestEnv;

/*
 * Guest virtual memory of the test front-end:
 *   vaddr -> paddr = vaddr & ALIAS_MASK, so addresses ALIAS_MASK + 1
 *            apart share a TLB index and the same RAM;
 *   [EACH_BASE, EACH_BASE + 1 MiB): mapped for one access at a time;
 *   [FAULT_BASE, FAULT_BASE + 1 MiB): tlb_fill raises a page fault.
 */
#define ALIAS_MASK (((uint64_t)LOOM_TLB_SIZE << 12) - 1)
#define EACH_BASE 0x200000u
#define FAULT_BASE 0x8000000u
#define MMIO_BASE 0x40000u
#define MMIO_SIZE 0x1000u

/* ---- a minimal front-end: aliased mapping, faults recorded ---- */

static void t_fault(LoomCPU *cpu, uint64_t vaddr, int kind, uintptr_t ra)
{
    TestEnv *env = (TestEnv *)cpu->env;
    env->fault_addr = vaddr;
    env->fault_kind = kind;
    loom_cpu_loop_exit_restore(cpu, ra);
}

static bool t_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access, int mmu_idx,
                       bool probe, uintptr_t ra)
{
    bool each = vaddr >= EACH_BASE && vaddr < EACH_BASE + 0x100000;

    ((TestEnv *)cpu->env)->fills++;
    if (vaddr >= FAULT_BASE && vaddr < FAULT_BASE + 0x100000) {
        t_fault(cpu, vaddr, 3, ra);
    }
    loom_tlb_set_page(cpu, vaddr, vaddr & ALIAS_MASK,
                      LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC, mmu_idx,
                      each ? 1 : 4096);
    return true;
}

static void t_unaligned(LoomCPU *cpu, uint64_t vaddr, int access, int mmu_idx, uintptr_t ra)
{
    t_fault(cpu, vaddr, 1, ra);
}

static void t_failed(LoomCPU *cpu, uint64_t paddr, uint64_t vaddr, int access, int mmu_idx,
                     uintptr_t ra)
{
    t_fault(cpu, vaddr, 2, ra);
}

/* insn data word 0 is the insn's number: record where we were unwound to */
static void t_restore_state(LoomCPU *cpu, const uint64_t *data)
{
    ((TestEnv *)cpu->env)->unwound_insn = (int)data[0];
}

static const LoomFrontendOps test_fe = {
    .page_bits = 12,
    .nb_mmu_modes = 1,
    .env_size = sizeof(TestEnv),
    .tlb_fill = t_tlb_fill,
    .do_unaligned_access = t_unaligned,
    .do_transaction_failed = t_failed,
    .restore_state = t_restore_state,
};

static LoomCPU *cpu_new(void)
{
    size_t size = (sizeof(LoomCPU) + sizeof(TestEnv) + 63) & ~(size_t)63;
    LoomCPU *cpu = aligned_alloc(64, size);

    memset(cpu, 0, sizeof(LoomCPU) + sizeof(TestEnv));
    cpu->priv = g_malloc0(sizeof(LoomCPUPrivate));
    cpu->machine = &mach;
    tlb_init(cpu);
    ((TestEnv *)cpu->env)->unwound_insn = -1;
    return cpu;
}

static void cpu_free(LoomCPU *cpu)
{
    g_free(cpu->priv);
    free(cpu);
}

static IRContext *ir_begin(void)
{
    IRContext *s = ir_context_new();
    ir_gen_insn_start(s, 0, 0);
    return s;
}

/* One executable code buffer per thread, like the core's regions. */
static uint8_t *code_buf(void)
{
    static __thread uint8_t *buf;

    if (!buf) {
        buf = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        g_assert_true(buf != MAP_FAILED);
    }
    return buf;
}

/* The TB's insn_data, as tb_gen_code builds it. */
static void fill_insn_data(LoomTB *tb, const IRContext *s, uint64_t *data)
{
    tb->insn_data = data;
    tb->nb_insn_data = 0;
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        if (s->ops[i].opc == IR_OP_insn_start) {
            memcpy(&data[tb->nb_insn_data++ * IR_INSN_START_WORDS], s->ops[i].args,
                   IR_INSN_START_WORDS * sizeof(uint64_t));
        }
    }
}

/* Generate and run s with back-end be; the exit code, -1 after a fault. */
static int run_on(const LoomBackendOps *be, LoomCPU *cpu, IRContext *s)
{
    LoomTB tb = { 0 };
    uint64_t data[64 * IR_INSN_START_WORDS];
    uintptr_t ret;

    g_assert_cmpuint(s->nb_insns, <=, 64);
    fill_insn_data(&tb, s, data);
    mach.be = be;
    g_assert_cmpint(be->gen_code(&tb, s, code_buf(), CODE_SIZE), >, 0);
    if (sigsetjmp(cpu->priv->jmp_env, 0)) {
        cpu->current_tb = NULL;
        return -1;
    }
    ret = be->exec_tb(cpu, &tb);
    cpu->current_tb = NULL;
    g_assert_true((LoomTB *)(ret & ~(uintptr_t)IR_EXIT_MASK) == &tb);
    return (int)(ret & IR_EXIT_MASK);
}

static int run(LoomCPU *cpu, IRContext *s)
{
    return run_on(jit, cpu, s);
}

/* Run on both back-ends from the same starting registers; the JIT's
   results stay in env, and must equal the interpreter's. */
static int run_both(LoomCPU *cpu, IRContext *s)
{
    TestEnv *env = (TestEnv *)cpu->env;
    TestEnv start = *env, ref;
    int ref_code, code;

    ref_code = run_on(interp, cpu, s);
    ref = *env;
    *env = start;
    code = run(cpu, s);
    g_assert_cmpint(code, ==, ref_code);
    for (int i = 0; i < NG; i++) {
        g_assert_cmphex(env->r[i], ==, ref.r[i]);
    }
    return code;
}

/* ---- arithmetic ---- */

typedef struct BinCase {
    IROpcode op;
    uint64_t a, b, want;
} BinCase;

#define M64 0xffffffffffffffffull
#define MIN64 0x8000000000000000ull

static const BinCase bin_cases[] = {
    { IR_OP_add_i64, M64, 1, 0 },
    { IR_OP_add_i32, 0xffffffff, 2, 1 },
    { IR_OP_sub_i64, 0, 1, M64 },
    { IR_OP_sub_i32, 0, 1, 0xffffffff },
    { IR_OP_and_i32, 0xf0f0f0f0, 0xff00ff00, 0xf000f000 },
    { IR_OP_or_i64, 0xf0, 0x0f00000000000000ull, 0x0f000000000000f0ull },
    { IR_OP_xor_i32, 0xffffffff, 0x0000ffff, 0xffff0000 },
    { IR_OP_andc_i64, 0xff, 0x0f, 0xf0 },
    { IR_OP_andc_i32, 0xffffffff, 0x1, 0xfffffffe },
    { IR_OP_orc_i32, 0, 0xffff0000, 0x0000ffff },
    { IR_OP_orc_i64, 0, 0xffff0000, 0xffffffff0000ffffull },
    { IR_OP_mul_i64, 0x100000001ull, 0x100000001ull, 0x200000001ull },
    { IR_OP_mul_i32, 0x10000, 0x10000, 0 },
    { IR_OP_mul_i32, 0xffffffff, 0xffffffff, 1 },
    { IR_OP_mulsh_i64, (uint64_t)-2, 3, M64 },
    { IR_OP_mulsh_i64, MIN64, MIN64, 0x4000000000000000ull },
    { IR_OP_muluh_i64, M64, M64, 0xfffffffffffffffeull },
    { IR_OP_mulsuh_i64, M64, M64, M64 },
    { IR_OP_mulsuh_i64, 2, M64, 1 },
    { IR_OP_mulsuh_i64, MIN64, 2, M64 },
    { IR_OP_mulsh_i32, 0x80000000, 0x80000000, 0x40000000 },
    { IR_OP_mulsh_i32, 0xffffffff, 1, 0xffffffff },
    { IR_OP_muluh_i32, 0xffffffff, 0xffffffff, 0xfffffffe },
    { IR_OP_mulsuh_i32, 0xffffffff, 0xffffffff, 0xffffffff },
    { IR_OP_mulsuh_i32, 0x7fffffff, 0xffffffff, 0x7ffffffe },
    /* division is total */
    { IR_OP_div_i64, (uint64_t)-7, 2, (uint64_t)-3 },
    { IR_OP_div_i64, 5, 0, M64 },
    { IR_OP_div_i64, MIN64, M64, MIN64 },
    { IR_OP_div_i64, 7, M64, (uint64_t)-7 },
    { IR_OP_rem_i64, (uint64_t)-7, 2, M64 },
    { IR_OP_rem_i64, 5, 0, 5 },
    { IR_OP_rem_i64, MIN64, M64, 0 },
    { IR_OP_divu_i64, 7, 0, M64 },
    { IR_OP_divu_i64, M64, 2, 0x7fffffffffffffffull },
    { IR_OP_remu_i64, 7, 0, 7 },
    { IR_OP_remu_i64, M64, 10, 5 },
    { IR_OP_div_i32, 0x80000000, 0xffffffff, 0x80000000 },
    { IR_OP_div_i32, 9, 0, 0xffffffff },
    { IR_OP_div_i32, 0xfffffff9, 2, 0xfffffffd },
    { IR_OP_rem_i32, 0x80000000, 0xffffffff, 0 },
    { IR_OP_rem_i32, 0xfffffff9, 2, 0xffffffff },
    { IR_OP_rem_i32, 9, 0, 9 },
    { IR_OP_divu_i32, 9, 0, 0xffffffff },
    { IR_OP_divu_i32, 0xffffffff, 2, 0x7fffffff },
    { IR_OP_remu_i32, 9, 0, 9 },
    { IR_OP_remu_i32, 0xffffffff, 10, 5 },
    /* shift counts are taken modulo the width */
    { IR_OP_shl_i64, 1, 65, 2 },
    { IR_OP_shl_i64, 1, 64, 1 },
    { IR_OP_shl_i32, 1, 33, 2 },
    { IR_OP_shl_i32, 0x80000001, 1, 2 },
    { IR_OP_shl_i32, 1, 32, 1 },
    { IR_OP_shr_i64, MIN64, 63, 1 },
    { IR_OP_shr_i64, MIN64, 127, 1 },
    { IR_OP_sar_i64, MIN64, 63, M64 },
    { IR_OP_sar_i32, 0x80000000, 31, 0xffffffff },
    { IR_OP_sar_i32, 0x80000000, 63, 0xffffffff },
    { IR_OP_shr_i32, 0x80000000, 31, 1 },
    { IR_OP_shr_i32, 0x80000000, 32, 0x80000000 },
    { IR_OP_rotl_i64, 0x8000000000000001ull, 1, 3 },
    { IR_OP_rotl_i64, 0x8000000000000001ull, 65, 3 },
    { IR_OP_rotr_i64, 1, 1, MIN64 },
    { IR_OP_rotr_i32, 1, 1, 0x80000000 },
    { IR_OP_rotl_i32, 0x80000000, 0, 0x80000000 },
    { IR_OP_rotl_i32, 0x80000001, 33, 3 },
};

/* Every result goes through an i32 or i64 ebb temp and then to a global
   with mov_i64, so stray high bits of an i32 result would show. */
static void test_binary_ops(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;

    for (size_t i = 0; i < G_N_ELEMENTS(bin_cases); i++) {
        const BinCase *c = &bin_cases[i];
        bool is64 = ir_op_defs[c->op].flags & IR_F_64;
        IRType ty = is64 ? IR_I64 : IR_I32;

        /* operands as constants, and as temps (another load path) */
        for (int form = 0; form < 2; form++) {
            IRContext *s = ir_begin();
            IRTemp d = ir_temp_new(s, ty, IR_TEMP_EBB);
            IRTemp a = ir_const(s, ty, c->a), b = ir_const(s, ty, c->b);

            if (form) {
                IRTemp ta = ir_temp_new(s, ty, IR_TEMP_TB), tb = ir_temp_new(s, ty, IR_TEMP_EBB);
                ir_op2(s, is64 ? IR_OP_mov_i64 : IR_OP_mov_i32, ta, a);
                ir_op2(s, is64 ? IR_OP_mov_i64 : IR_OP_mov_i32, tb, b);
                a = ta;
                b = tb;
            }
            ir_op3(s, c->op, d, a, b);
            ir_gen_mov_i64(s, g[0], d);
            ir_gen_exit_tb(s, IR_EXIT_PLAIN);
            env->r[0] = 0x5a5a5a5a5a5a5a5aull;
            g_assert_cmpint(run_both(cpu, s), ==, IR_EXIT_PLAIN);
            if (env->r[0] != c->want) {
                g_test_message("%s(0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER "x)",
                               ir_op_defs[c->op].name, c->a, c->b);
            }
            g_assert_cmphex(env->r[0], ==, c->want);
            ir_context_free(s);
        }
    }
    cpu_free(cpu);
}

static void test_unary_ops(void)
{
    static const struct { IROpcode op; uint64_t a, want; } cases[] = {
        { IR_OP_ext8s_i64, 0x80, 0xffffffffffffff80ull },
        { IR_OP_ext8u_i64, 0xffffffffffffff80ull, 0x80 },
        { IR_OP_ext16s_i64, 0x8000, 0xffffffffffff8000ull },
        { IR_OP_ext16u_i64, 0xfffff234, 0xf234 },
        { IR_OP_ext32s_i64, 0x80000000, 0xffffffff80000000ull },
        { IR_OP_ext32u_i64, 0xffffffff80000000ull, 0x80000000 },
        { IR_OP_ext8s_i32, 0x80, 0xffffff80 },
        { IR_OP_ext8u_i32, 0xfff1, 0xf1 },
        { IR_OP_ext16s_i32, 0x8000, 0xffff8000 },
        { IR_OP_ext16u_i32, 0xffff8000, 0x8000 },
        { IR_OP_exts_i32_i64, 0x80000000, 0xffffffff80000000ull },
        { IR_OP_extu_i32_i64, 0x80000000, 0x80000000 },
        { IR_OP_extrl_i64_i32, 0x1234567887654321ull, 0x87654321 },
        { IR_OP_extrh_i64_i32, 0x8765432112345678ull, 0x87654321 },
        { IR_OP_neg_i64, 1, M64 },
        { IR_OP_neg_i32, 1, 0xffffffff },
        { IR_OP_neg_i64, MIN64, MIN64 },
        { IR_OP_not_i64, 0, M64 },
        { IR_OP_not_i32, 0, 0xffffffff },
        { IR_OP_mov_i32, 0xfedcba98, 0xfedcba98 },
        { IR_OP_clz_i64, 0, 64 },
        { IR_OP_clz_i64, 1, 63 },
        { IR_OP_clz_i64, MIN64, 0 },
        { IR_OP_clz_i32, 0, 32 },
        { IR_OP_clz_i32, 1, 31 },
        { IR_OP_clz_i32, 0x80000000, 0 },
        { IR_OP_ctz_i64, 0, 64 },
        { IR_OP_ctz_i64, 0x100, 8 },
        { IR_OP_ctz_i64, MIN64, 63 },
        { IR_OP_ctz_i32, 0, 32 },
        { IR_OP_ctz_i32, 0x80000000, 31 },
        { IR_OP_ctpop_i64, 0xf0f0, 8 },
        { IR_OP_ctpop_i64, M64, 64 },
        { IR_OP_ctpop_i32, 0xffffffff, 32 },
        { IR_OP_ctpop_i32, 0, 0 },
        { IR_OP_bswap64_i64, 0x0102030405060708ull, 0x0807060504030201ull },
        { IR_OP_bswap32_i32, 0x01020384, 0x84030201 },
    };
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        IRContext *s = ir_begin();
        bool out64 = ir_op_defs[cases[i].op].flags & IR_F_64;
        IROpcode op = cases[i].op;
        /* inputs of the i64 -> i32 and i32 -> i64 conversions */
        bool in64 = op == IR_OP_extrl_i64_i32 || op == IR_OP_extrh_i64_i32 ||
                    (out64 && op != IR_OP_exts_i32_i64 && op != IR_OP_extu_i32_i64);
        IRTemp d = ir_temp_new(s, out64 ? IR_I64 : IR_I32, IR_TEMP_EBB);

        ir_op2(s, op, d, ir_const(s, in64 ? IR_I64 : IR_I32, cases[i].a));
        ir_gen_mov_i64(s, g[1], d);
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        env->r[1] = 0x5a5a5a5a5a5a5a5aull;
        run_both(cpu, s);
        if (env->r[1] != cases[i].want) {
            g_test_message("%s(0x%" G_GINT64_MODIFIER "x)", ir_op_defs[op].name, cases[i].a);
        }
        g_assert_cmphex(env->r[1], ==, cases[i].want);
        ir_context_free(s);
    }
    cpu_free(cpu);
}

static bool cond_holds(IRCond c, uint64_t a, uint64_t b, bool is64)
{
    int64_t sa = is64 ? (int64_t)a : (int32_t)a, sb = is64 ? (int64_t)b : (int32_t)b;
    uint64_t ua = is64 ? a : (uint32_t)a, ub = is64 ? b : (uint32_t)b;

    switch (c) {
    case IR_COND_NEVER: return false;
    case IR_COND_ALWAYS: return true;
    case IR_COND_EQ: return ua == ub;
    case IR_COND_NE: return ua != ub;
    case IR_COND_LT: return sa < sb;
    case IR_COND_GE: return sa >= sb;
    case IR_COND_LE: return sa <= sb;
    case IR_COND_GT: return sa > sb;
    case IR_COND_LTU: return ua < ub;
    case IR_COND_GEU: return ua >= ub;
    case IR_COND_LEU: return ua <= ub;
    default: return ua > ub;
    }
}

/* setcond, movcond and brcond, every condition, both widths */
static void test_conditions(void)
{
    static const uint64_t vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
                                     MIN64, M64, 0x100000000ull };
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;

    for (int w = 0; w < 2; w++) {
        IRType ty = w ? IR_I64 : IR_I32;
        for (IRCond c = IR_COND_NEVER; c <= IR_COND_GTU; c++) {
            for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
                for (size_t j = 0; j < G_N_ELEMENTS(vals); j++) {
                    uint64_t a = w ? vals[i] : (uint32_t)vals[i];
                    uint64_t b = w ? vals[j] : (uint32_t)vals[j];
                    bool want = cond_holds(c, a, b, w);
                    IRContext *s = ir_begin();
                    IRTemp ta = ir_temp_new(s, ty, IR_TEMP_TB), tb = ir_temp_new(s, ty, IR_TEMP_TB);
                    IRTemp d = ir_temp_new(s, ty, IR_TEMP_TB), m = ir_temp_new(s, ty, IR_TEMP_TB);
                    IRLabel taken = ir_label_new(s);

                    ir_op2(s, w ? IR_OP_mov_i64 : IR_OP_mov_i32, ta, ir_const(s, ty, a));
                    ir_op2(s, w ? IR_OP_mov_i64 : IR_OP_mov_i32, tb, ir_const(s, ty, b));
                    ir_op4(s, w ? IR_OP_setcond_i64 : IR_OP_setcond_i32, d, ta, tb, c);
                    ir_op6(s, w ? IR_OP_movcond_i64 : IR_OP_movcond_i32, m, ta, tb,
                           ir_const(s, ty, 0xaaaaaaaa), ir_const(s, ty, 0xbbbbbbbb), c);
                    ir_gen_mov_i64(s, g[0], d);
                    ir_gen_mov_i64(s, g[1], m);
                    ir_gen_movi_i64(s, g[2], 0);
                    ir_op4(s, w ? IR_OP_brcond_i64 : IR_OP_brcond_i32, ta, tb, c, taken);
                    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
                    ir_gen_set_label(s, taken);
                    ir_gen_movi_i64(s, g[2], 1);
                    ir_gen_exit_tb(s, IR_EXIT_SLOT1);
                    g_assert_cmpint(run_both(cpu, s), ==, want ? IR_EXIT_SLOT1 : IR_EXIT_PLAIN);
                    g_assert_cmphex(env->r[0], ==, want);
                    g_assert_cmphex(env->r[1], ==, want ? 0xaaaaaaaa : 0xbbbbbbbb);
                    g_assert_cmphex(env->r[2], ==, want);
                    ir_context_free(s);
                }
            }
        }
    }
    cpu_free(cpu);
}

/* sum 1..100 with a loop: labels, backward branches, tb temps */
static void test_loop(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp i = ir_temp_tb_i64(s), sum = ir_temp_tb_i64(s);
    IRLabel top = ir_label_new(s), out = ir_label_new(s);

    ir_gen_movi_i64(s, i, 1);
    ir_gen_movi_i64(s, sum, 0);
    ir_gen_set_label(s, top);
    ir_gen_brcond_i64(s, IR_COND_GTU, i, ir_const_i64(s, 100), out);
    ir_gen_add_i64(s, sum, sum, i);
    ir_gen_addi_i64(s, i, i, 1);
    ir_gen_br(s, top);
    ir_gen_set_label(s, out);
    ir_gen_mov_i64(s, g[2], sum);
    ir_gen_exit_tb(s, IR_EXIT_SLOT1);
    g_assert_cmpint(run_both(cpu, s), ==, IR_EXIT_SLOT1);
    g_assert_cmpuint(env->r[2], ==, 5050);
    ir_context_free(s);
    cpu_free(cpu);
}

/* ldh/sth on env and on another pointer, every size */
static void test_host_memory(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    uint64_t cell[2] = { 0, 0 };
    IRContext *s = ir_begin();
    IRTemp p = ir_const_i64(s, (uint64_t)(uintptr_t)cell);

    env->r[0] = 0x80818283f4f5f6f7ull;
    ir_gen_ldh_i64(s, g[1], IR_ENV, 0, MO_SB);
    ir_gen_ldh_i64(s, g[2], IR_ENV, 0, MO_UW);
    ir_gen_ldh_i64(s, g[3], IR_ENV, 0, MO_SL);
    ir_gen_ldh_i64(s, g[4], IR_ENV, 4, MO_UL);
    ir_gen_ldh_i64(s, g[5], IR_ENV, 0, MO_SW);
    ir_gen_sth_i64(s, g[0], p, 0, MO_UQ);
    ir_gen_sth_i64(s, g[0], p, 8, MO_8);
    ir_gen_sth_i64(s, g[0], p, 9, MO_16);
    ir_gen_sth_i64(s, g[0], p, 11, MO_32);
    ir_gen_ldh_i64(s, g[6], p, 8, MO_UQ);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    run_both(cpu, s);
    g_assert_cmphex(env->r[1], ==, 0xfffffffffffffff7ull);
    g_assert_cmphex(env->r[2], ==, 0xf6f7);
    g_assert_cmphex(env->r[3], ==, 0xfffffffff4f5f6f7ull);
    g_assert_cmphex(env->r[4], ==, 0x80818283);
    g_assert_cmphex(env->r[5], ==, 0xfffffffffffff6f7ull);
    g_assert_cmphex(cell[0], ==, 0x80818283f4f5f6f7ull);
    g_assert_cmphex(env->r[6], ==, 0x00f4f5f6f7f6f7f7ull);
    ir_context_free(s);
    cpu_free(cpu);
}

/* ---- guest memory, faults and unwinding ---- */

static void test_guest_memory(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp a = ir_const_i64(s, RAM_BASE + 0x100);
    IRTemp d32 = ir_temp_new_i32(s);

    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x8081828384858687ull), a, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[0], a, MO_SB, 0);
    ir_gen_qemu_ld_i64(s, g[1], a, MO_UW | MO_BE, 0);
    ir_gen_qemu_ld_i64(s, g[2], a, MO_SL, 0);
    ir_gen_qemu_ld_i32(s, d32, a, MO_SL, 0);    /* i32: zero-extended */
    ir_gen_mov_i64(s, g[3], d32);
    ir_gen_qemu_st_i32(s, ir_const_i32(s, 0xa1a2a3a4), a, MO_UW, 0);
    ir_gen_qemu_ld_i64(s, g[4], a, MO_UQ, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    g_assert_cmpint(run_both(cpu, s), ==, IR_EXIT_PLAIN);
    g_assert_cmphex(env->r[0], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(env->r[1], ==, 0x8786);
    g_assert_cmphex(env->r[2], ==, 0xffffffff84858687ull);
    g_assert_cmphex(env->r[3], ==, 0x84858687);
    g_assert_cmphex(env->r[4], ==, 0x808182838485a3a4ull);
    ir_context_free(s);
    cpu_free(cpu);
}

/* A fault in the third guest insn unwinds to that insn; globals written
   before the fault are in env. */
static void test_fault_unwind(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s;

    for (int kind = 1; kind <= 2; kind++) {
        s = ir_context_new();
        ir_gen_insn_start(s, 0, 0);
        ir_gen_movi_i64(s, g[0], 11);
        ir_gen_insn_start(s, 1, 0);
        ir_gen_movi_i64(s, g[1], 22);
        ir_gen_insn_start(s, 2, 0);
        if (kind == 1) {
            ir_gen_qemu_ld_i64(s, g[2], ir_const_i64(s, RAM_BASE + 0x101), MO_UL | MO_ALIGN, 0);
        } else {
            ir_gen_qemu_st_i64(s, g[0], ir_const_i64(s, 0x4000000), MO_UQ, 0);
        }
        ir_gen_insn_start(s, 3, 0);
        ir_gen_movi_i64(s, g[3], 33);
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        for (int b = 0; b < 2; b++) {
            memset(env, 0, sizeof(*env));
            env->unwound_insn = -1;
            g_assert_cmpint(run_on(b ? jit : interp, cpu, s), ==, -1);
            g_assert_cmpint(env->fault_kind, ==, kind);
            g_assert_cmphex(env->fault_addr, ==, kind == 1 ? RAM_BASE + 0x101 : 0x4000000);
            g_assert_cmpint(env->unwound_insn, ==, 2);
            g_assert_cmpuint(env->r[0], ==, 11);
            g_assert_cmpuint(env->r[1], ==, 22);
            g_assert_cmpuint(env->r[3], ==, 0);
        }
        ir_context_free(s);
    }
    cpu_free(cpu);
}

static void test_atomic_ops(void)
{
    static const struct { IROpcode op; uint64_t old, val, want_mem; unsigned mop; } cases[] = {
        { IR_OP_atomic_xchg_i64, 5, 9, 9, MO_UQ },
        { IR_OP_atomic_fetch_add_i64, 5, 9, 14, MO_UQ },
        { IR_OP_atomic_fetch_and_i64, 6, 3, 2, MO_UQ },
        { IR_OP_atomic_fetch_or_i64, 6, 3, 7, MO_UQ },
        { IR_OP_atomic_fetch_xor_i64, 6, 3, 5, MO_UQ },
        { IR_OP_atomic_fetch_smin_i64, 5, M64, M64, MO_UQ },
        { IR_OP_atomic_fetch_umin_i64, 5, M64, 5, MO_UQ },
        { IR_OP_atomic_fetch_smax_i64, 5, M64, 5, MO_UQ },
        { IR_OP_atomic_fetch_umax_i64, 5, M64, M64, MO_UQ },
        { IR_OP_atomic_xchg_i32, 0x80000000, 1, 1, MO_UL },
        { IR_OP_atomic_fetch_smin_i32, 0x80000000, 1, 0x80000000, MO_SL },
        { IR_OP_atomic_fetch_umax_i32, 0x80000000, 1, 0x80000000, MO_SL },
        { IR_OP_atomic_fetch_add_i32, 0xffffffff, 1, 0, MO_SL },
    };
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0x200, 8);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        IRContext *s = ir_begin();
        bool is64 = ir_op_defs[cases[i].op].flags & IR_F_64;
        IRTemp d = ir_temp_new(s, is64 ? IR_I64 : IR_I32, IR_TEMP_EBB);
        uint64_t mem = 0;

        memset(ram, 0, 8);
        memcpy(ram, &cases[i].old, is64 ? 8 : 4);
        ir_gen_atomic_rmw(s, cases[i].op, d, ir_const_i64(s, RAM_BASE + 0x200),
                          ir_const(s, is64 ? IR_I64 : IR_I32, cases[i].val), cases[i].mop, 0);
        ir_gen_mov_i64(s, g[0], d);     /* an i32 result must be zero-extended */
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        run(cpu, s);
        memcpy(&mem, ram, is64 ? 8 : 4);
        g_assert_cmphex(mem, ==, cases[i].want_mem);
        g_assert_cmphex(env->r[0], ==, is64 ? cases[i].old : (uint32_t)cases[i].old);
        ir_context_free(s);
    }
    for (int hit = 0; hit < 2; hit++) {
        IRContext *s = ir_begin();
        uint64_t mem = 7;
        memcpy(ram, &mem, 8);
        ir_gen_atomic_cmpxchg_i64(s, g[0], ir_const_i64(s, RAM_BASE + 0x200),
                                  ir_const_i64(s, hit ? 7 : 8), ir_const_i64(s, 99), MO_UQ, 0);
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        run(cpu, s);
        memcpy(&mem, ram, 8);
        g_assert_cmpuint(env->r[0], ==, 7);
        g_assert_cmpuint(mem, ==, hit ? 99 : 7);
        ir_context_free(s);
    }
    cpu_free(cpu);
}

/* ---- the inline TLB fast path ---- */

/* Every size and extension through a TLB hit; after the first run the
   TB never calls tlb_fill again. */
static void test_tlb_hit(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp a = ir_const_i64(s, RAM_BASE + 0x400), d32 = ir_temp_new_i32(s);

    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x8081828384858687ull), a, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[0], a, MO_UB, 0);
    ir_gen_qemu_ld_i64(s, g[1], a, MO_SB, 0);
    ir_gen_qemu_ld_i64(s, g[2], a, MO_SW, 0);
    ir_gen_qemu_ld_i64(s, g[3], a, MO_UL, 0);
    ir_gen_qemu_ld_i32(s, d32, a, MO_SL, 0);
    ir_gen_mov_i64(s, g[4], d32);
    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x1234), ir_const_i64(s, RAM_BASE + 0x406), MO_UB, 0);
    ir_gen_qemu_st_i32(s, ir_const_i32(s, 0xfedc), ir_const_i64(s, RAM_BASE + 0x400), MO_UW, 0);
    ir_gen_qemu_ld_i64(s, g[5], a, MO_UQ | MO_ALIGN, 0);
    ir_gen_qemu_ld_i64(s, g[6], ir_const_i64(s, RAM_BASE + 0x404), MO_SL | MO_ALIGN, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    run_both(cpu, s);
    g_assert_cmphex(env->r[0], ==, 0x87);
    g_assert_cmphex(env->r[1], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(env->r[2], ==, 0xffffffffffff8687ull);
    g_assert_cmphex(env->r[3], ==, 0x84858687);
    g_assert_cmphex(env->r[4], ==, 0x84858687);
    g_assert_cmphex(env->r[5], ==, 0x803482838485fedcull);
    g_assert_cmphex(env->r[6], ==, 0xffffffff80348283ull);
    env->fills = 0;
    run(cpu, s);
    g_assert_cmpuint(env->fills, ==, 0);
    g_assert_cmphex(env->r[5], ==, 0x803482838485fedcull);
    ir_context_free(s);
    cpu_free(cpu);
}

/* Two virtual pages with the same TLB index evict each other: each
   access misses, refills and still reads what the other one wrote. */
static void test_tlb_miss(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp v1 = ir_const_i64(s, RAM_BASE + 0x500), v2 = ir_const_i64(s, RAM_BASE + 0x500 + ALIAS_MASK + 1);

    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x1111222233334444ull), v1, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[0], v2, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[1], v1, MO_UL, 0);
    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x5555), v2, MO_UW, 0);
    ir_gen_qemu_ld_i64(s, g[2], v1, MO_UQ, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    for (int b = 0; b < 2; b++) {
        tlb_init(cpu);
        env->fills = 0;
        run_on(b ? jit : interp, cpu, s);
        g_assert_cmpuint(env->fills, ==, 5);
        g_assert_cmphex(env->r[0], ==, 0x1111222233334444ull);
        g_assert_cmphex(env->r[1], ==, 0x33334444);
        g_assert_cmphex(env->r[2], ==, 0x1111222233335555ull);
    }
    ir_context_free(s);
    cpu_free(cpu);
}

/* A page mapped for one access at a time: every access refills. */
static void test_tlb_fill_each(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp a = ir_const_i64(s, EACH_BASE + RAM_BASE + 0x600);

    ir_gen_qemu_st_i64(s, ir_const_i64(s, 77), a, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[0], a, MO_UQ, 0);
    ir_gen_atomic_rmw(s, IR_OP_atomic_fetch_add_i64, g[1], a, ir_const_i64(s, 3), MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[2], a, MO_UQ, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    for (int i = 0; i < 2; i++) {
        env->fills = 0;
        run(cpu, s);
        g_assert_cmpuint(env->fills, ==, 4);
        g_assert_cmpuint(env->r[0], ==, 77);
        g_assert_cmpuint(env->r[1], ==, 77);
        g_assert_cmpuint(env->r[2], ==, 80);
    }
    ir_context_free(s);
    cpu_free(cpu);
}

/* A device register file: reads return a pattern of the offset, writes
   are logged. */
static struct {
    unsigned reads, writes;
    uint64_t last_ofs, last_val;
    unsigned last_size;
} mmio_log;

static uint64_t t_mmio_read(void *opaque, uint64_t ofs, unsigned size)
{
    mmio_log.reads++;
    mmio_log.last_ofs = ofs;
    mmio_log.last_size = size;
    return 0xf0e0d0c0b0a09080ull + ofs;
}

static void t_mmio_write(void *opaque, uint64_t ofs, uint64_t val, unsigned size)
{
    mmio_log.writes++;
    mmio_log.last_ofs = ofs;
    mmio_log.last_val = val;
    mmio_log.last_size = size;
}

static const LoomMMIOOps t_mmio_ops = { .read = t_mmio_read, .write = t_mmio_write };

/* Device memory always reaches the device, also once its page is in the
   TLB, with the exact offset, size and value. */
static void test_tlb_mmio(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp d32 = ir_temp_new_i32(s);

    ir_gen_qemu_ld_i64(s, g[0], ir_const_i64(s, MMIO_BASE + 0x10), MO_SL, 0);
    ir_gen_qemu_ld_i32(s, d32, ir_const_i64(s, MMIO_BASE + 0x10), MO_SL, 0);
    ir_gen_mov_i64(s, g[2], d32);       /* an i32 result is zero-extended */
    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0xabcd), ir_const_i64(s, MMIO_BASE + 0x20), MO_UW, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    for (int i = 0; i < 2; i++) {
        memset(&mmio_log, 0, sizeof(mmio_log));
        env->fills = 0;
        run(cpu, s);
        g_assert_cmpuint(env->fills, ==, i ? 0 : 1);
        g_assert_cmphex(env->r[0], ==, 0xffffffffb0a09090ull);
        g_assert_cmphex(env->r[2], ==, 0xb0a09090ull);
        g_assert_cmpuint(mmio_log.reads, ==, 2);
        g_assert_cmpuint(mmio_log.writes, ==, 1);
        g_assert_cmphex(mmio_log.last_ofs, ==, 0x20);
        g_assert_cmphex(mmio_log.last_val, ==, 0xabcd);
        g_assert_cmpuint(mmio_log.last_size, ==, 2);
    }
    ir_context_free(s);
    s = ir_begin();
    ir_gen_atomic_rmw(s, IR_OP_atomic_fetch_or_i64, g[1], ir_const_i64(s, MMIO_BASE + 0x8),
                      ir_const_i64(s, 1), MO_UQ, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    memset(&mmio_log, 0, sizeof(mmio_log));
    run(cpu, s);
    g_assert_cmphex(env->r[1], ==, 0xf0e0d0c0b0a09088ull);
    g_assert_cmpuint(mmio_log.reads, ==, 1);
    g_assert_cmphex(mmio_log.last_val, ==, 0xf0e0d0c0b0a09089ull);
    ir_context_free(s);
    cpu_free(cpu);
}

/* Misaligned accesses (allowed without MO_ALIGN) inside a page and
   across a page boundary take the slow path and give exact values. */
static void test_tlb_misaligned(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0xff8, 16);
    IRContext *s = ir_begin();
    IRTemp cross = ir_const_i64(s, RAM_BASE + 0xffc);

    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x0102030405060708ull), cross, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[0], cross, MO_UQ, 0);
    ir_gen_qemu_ld_i64(s, g[1], ir_const_i64(s, RAM_BASE + 0xffe), MO_SL, 0);
    ir_gen_qemu_ld_i64(s, g[2], ir_const_i64(s, RAM_BASE + 0xfff), MO_UW, 0);
    ir_gen_qemu_st_i64(s, ir_const_i64(s, 0xa1a2a3a4), ir_const_i64(s, RAM_BASE + 0xff9), MO_UL, 0);
    ir_gen_qemu_ld_i64(s, g[3], ir_const_i64(s, RAM_BASE + 0xff8), MO_UQ, 0);
    ir_gen_atomic_rmw(s, IR_OP_atomic_fetch_add_i64, g[4], ir_const_i64(s, RAM_BASE + 0x1000),
                      ir_const_i64(s, 0x100), MO_UQ, 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    memset(ram, 0, 16);
    run_both(cpu, s);
    g_assert_cmphex(env->r[0], ==, 0x0102030405060708ull);
    g_assert_cmphex(env->r[1], ==, 0x03040506);
    g_assert_cmphex(env->r[2], ==, 0x0405);
    g_assert_cmphex(env->r[3], ==, 0x050607a1a2a3a400ull);
    g_assert_cmphex(env->r[4], ==, 0x01020304);
    g_assert_cmphex(ram[8], ==, 0x04);
    g_assert_cmphex(ram[9], ==, 0x04);
    ir_context_free(s);
    cpu_free(cpu);
}

/* A fault raised inside the slow path of an inline access (page fault
   from tlb_fill, misaligned atomic) unwinds to exactly that insn, after
   earlier insns' accesses and globals took effect. */
static void test_tlb_fault_unwind(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0x700, 8);

    for (int kind = 0; kind < 4; kind++) {
        IRContext *s = ir_context_new();
        IRTemp bad = ir_const_i64(s, FAULT_BASE + 0x10);

        ir_gen_insn_start(s, 0, 0);
        ir_gen_movi_i64(s, g[0], 11);
        ir_gen_insn_start(s, 1, 0);
        ir_gen_qemu_st_i64(s, ir_const_i64(s, 0x99), ir_const_i64(s, RAM_BASE + 0x700), MO_UQ, 0);
        ir_gen_qemu_ld_i64(s, g[1], ir_const_i64(s, RAM_BASE + 0x700), MO_UQ, 0);
        ir_gen_insn_start(s, 2, 0);
        ir_gen_addi_i64(s, g[2], g[1], 1);
        switch (kind) {
        case 0: ir_gen_qemu_ld_i64(s, g[3], bad, MO_UQ, 0); break;
        case 1: ir_gen_qemu_st_i64(s, g[2], bad, MO_UL, 0); break;
        case 2:
            ir_gen_atomic_rmw(s, IR_OP_atomic_fetch_add_i64, g[3], bad, g[2], MO_UQ, 0);
            break;
        default:
            ir_gen_atomic_cmpxchg_i64(s, g[3], ir_const_i64(s, RAM_BASE + 0x704), g[2], g[2],
                                      MO_UQ, 0);
            break;
        }
        ir_gen_insn_start(s, 3, 0);
        ir_gen_movi_i64(s, g[4], 33);
        ir_gen_exit_tb(s, IR_EXIT_PLAIN);
        for (int b = 0; b < 2; b++) {
            memset(env, 0, sizeof(*env));
            memset(ram, 0, 8);
            env->unwound_insn = -1;
            env->r[3] = 0x5a;
            g_assert_cmpint(run_on(b ? jit : interp, cpu, s), ==, -1);
            g_assert_cmpint(env->fault_kind, ==, kind == 3 ? 1 : 3);
            g_assert_cmphex(env->fault_addr, ==, kind == 3 ? RAM_BASE + 0x704 : FAULT_BASE + 0x10);
            g_assert_cmpint(env->unwound_insn, ==, 2);
            g_assert_cmpuint(env->r[0], ==, 11);
            g_assert_cmpuint(env->r[1], ==, 0x99);
            g_assert_cmpuint(env->r[3], ==, 0x5a);
            g_assert_cmpuint(env->r[4], ==, 0);
            g_assert_cmpuint(ram[0], ==, 0x99);
        }
        ir_context_free(s);
    }
    cpu_free(cpu);
}

/* ---- register allocation ---- */

/* More live values than the JIT has registers for: 16 tb temps and all
   8 globals stay live across each other's definitions, a label and a
   loop, so values are evicted and reloaded. */
static void test_reg_pressure(void)
{
    enum { N = 16 };
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp t[N], i = ir_temp_tb_i64(s);
    IRLabel top = ir_label_new(s);
    uint64_t want[NG], v[N];

    for (int k = 0; k < NG; k++) {
        env->r[k] = 0x1000u * (k + 1);
    }
    for (int k = 0; k < N; k++) {
        t[k] = ir_temp_tb_i64(s);
        ir_gen_mul_i64(s, t[k], g[k % NG], ir_const_i64(s, k + 3));
        ir_gen_addi_i64(s, g[k % NG], g[k % NG], 1);
    }
    ir_gen_movi_i64(s, i, 0);
    ir_gen_set_label(s, top);
    for (int k = 0; k < N; k++) {
        ir_gen_add_i64(s, t[k], t[k], t[(k + 1) % N]);
    }
    ir_gen_addi_i64(s, i, i, 1);
    ir_gen_brcond_i64(s, IR_COND_LTU, i, ir_const_i64(s, 3), top);
    for (int k = 0; k < N; k++) {
        ir_gen_xor_i64(s, g[k % NG], g[k % NG], t[k]);
    }
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);

    /* the same computation in C */
    for (int k = 0; k < NG; k++) {
        want[k] = 0x1000u * (k + 1);
    }
    for (int k = 0; k < N; k++) {
        v[k] = want[k % NG] * (k + 3);
        want[k % NG]++;
    }
    for (int n = 0; n < 3; n++) {
        for (int k = 0; k < N; k++) {
            v[k] += v[(k + 1) % N];
        }
    }
    for (int k = 0; k < N; k++) {
        want[k % NG] ^= v[k];
    }
    run_both(cpu, s);
    for (int k = 0; k < NG; k++) {
        g_assert_cmphex(env->r[k], ==, want[k]);
    }
    ir_context_free(s);
    cpu_free(cpu);
}

/* helpers with IR_CALL_* flags: a reader must see globals modified just
   before, a writer's changes must be seen after */
static uint64_t helper_read_r1(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return ((TestEnv *)env)->r[1] * 10;
}

static uint64_t helper_write_r2(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    ((TestEnv *)env)->r[2] = a;
    return 0;
}

static uint64_t helper_pure(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return a + b;
}

static const IRHelper read_r1 = { .fn = helper_read_r1, .name = "read_r1",
                                  .flags = IR_CALL_NO_WRITE_GLOBALS | IR_CALL_NO_RAISE };
static const IRHelper write_r2 = { .fn = helper_write_r2, .name = "write_r2",
                                   .flags = IR_CALL_NO_READ_GLOBALS | IR_CALL_NO_RAISE };
static const IRHelper pure = { .fn = helper_pure, .name = "pure",
                               .flags = IR_CALL_NO_READ_GLOBALS | IR_CALL_NO_WRITE_GLOBALS |
                                        IR_CALL_NO_SIDE_EFFECTS | IR_CALL_NO_RAISE };

static void test_reg_helpers(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp args[2];

    env->r[1] = 5;
    env->r[2] = 7;
    ir_gen_addi_i64(s, g[1], g[1], 1);              /* 6, in a register */
    ir_gen_addi_i64(s, g[2], g[2], 1);              /* 8, in a register */
    ir_gen_call(s, &read_r1, g[3], 0, NULL);        /* sees 6: 60 */
    args[0] = ir_const_i64(s, 99);
    ir_gen_call(s, &write_r2, IR_NO_RET, 1, args);  /* r2 = 99 */
    ir_gen_addi_i64(s, g[4], g[2], 1);              /* 100 */
    args[0] = g[1];
    args[1] = g[2];
    ir_gen_call(s, &pure, g[5], 2, args);           /* 105 */
    ir_gen_addi_i64(s, g[1], g[1], 1);              /* 7 */
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    run_both(cpu, s);
    g_assert_cmpuint(env->r[1], ==, 7);
    g_assert_cmpuint(env->r[2], ==, 99);
    g_assert_cmpuint(env->r[3], ==, 60);
    g_assert_cmpuint(env->r[4], ==, 100);
    g_assert_cmpuint(env->r[5], ==, 105);
    ir_context_free(s);
    cpu_free(cpu);
}

/* A fault after globals were modified in registers, in this insn and
   earlier ones: env holds every modification made before the fault. */
static void test_reg_fault(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_context_new();
    IRTemp t = ir_temp_new_i64(s);

    ir_gen_insn_start(s, 0, 0);
    ir_gen_addi_i64(s, g[0], g[0], 5);
    ir_gen_mul_i64(s, t, g[0], g[0]);
    ir_gen_insn_start(s, 1, 0);
    ir_gen_add_i64(s, g[1], t, g[1]);
    ir_gen_addi_i64(s, g[2], g[2], 2);
    ir_gen_qemu_ld_i64(s, g[2], ir_const_i64(s, FAULT_BASE + 8), MO_UQ, 0);
    ir_gen_insn_start(s, 2, 0);
    ir_gen_movi_i64(s, g[0], 0);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    for (int b = 0; b < 2; b++) {
        memset(env, 0, sizeof(*env));
        env->r[0] = 1;
        env->r[1] = 100;
        env->r[2] = 40;
        g_assert_cmpint(run_on(b ? jit : interp, cpu, s), ==, -1);
        g_assert_cmpint(env->unwound_insn, ==, 1);
        g_assert_cmpuint(env->r[0], ==, 6);
        g_assert_cmpuint(env->r[1], ==, 136);
        g_assert_cmpuint(env->r[2], ==, 42);
    }
    ir_context_free(s);
    cpu_free(cpu);
}

#define HAMMER_THREADS 4
#define HAMMER_ITERS 20000

static gpointer hammer(gpointer data)
{
    LoomCPU *cpu = cpu_new();
    IRContext *s = ir_begin();
    IRTemp old = ir_temp_new_i64(s);
    LoomTB tb = { 0 };

    (void)data;
    ir_gen_atomic_rmw(s, IR_OP_atomic_fetch_add_i64, old, ir_const_i64(s, RAM_BASE + 0x300),
                      ir_const_i64(s, 1), MO_UQ, 0);
    ir_gen_mb(s, LOOM_MO_ALL);
    ir_gen_exit_tb(s, IR_EXIT_PLAIN);
    g_assert_cmpint(jit->gen_code(&tb, s, code_buf(), CODE_SIZE), >, 0);
    for (int i = 0; i < HAMMER_ITERS; i++) {
        jit->exec_tb(cpu, &tb);
    }
    ir_context_free(s);
    cpu_free(cpu);
    return NULL;
}

static void test_atomic_contention(void)
{
    GThread *t[HAMMER_THREADS];
    uint64_t total;

    mach.be = jit;
    memset(as_ram_ptr(&mach.as, RAM_BASE + 0x300, 8), 0, 8);
    for (int i = 0; i < HAMMER_THREADS; i++) {
        t[i] = g_thread_new("hammer", hammer, NULL);
    }
    for (int i = 0; i < HAMMER_THREADS; i++) {
        g_thread_join(t[i]);
    }
    memcpy(&total, as_ram_ptr(&mach.as, RAM_BASE + 0x300, 8), 8);
    g_assert_cmpuint(total, ==, (uint64_t)HAMMER_THREADS * HAMMER_ITERS);
}

/* ---- helper calls and exits ---- */

static uint64_t helper_mix(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    ((TestEnv *)env)->r[7] = ((TestEnv *)env)->r[6] + 1;  /* reads and writes globals */
    return a * 1000 + b * 100 + c * 10 + d;
}

static uint64_t helper_where(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    LoomCPU *cpu = loom_env_cpu(env);
    LoomTB *tb = NULL;
    int insn = -1;

    g_assert_true(cpu->machine->be->unwind(cpu, LOOM_GETPC(), &tb, &insn));
    g_assert_true(tb == cpu->current_tb);
    return (uint64_t)insn;
}

static const IRHelper mix = { .fn = helper_mix, .name = "mix" };
static const IRHelper where = { .fn = helper_where, .name = "where" };

static void test_call_and_exits(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *s = ir_begin();
    IRTemp args[4], r32 = ir_temp_new_i32(s);

    for (int i = 0; i < 4; i++) {
        args[i] = ir_const_i64(s, (uint64_t)i + 1);
    }
    ir_gen_movi_i64(s, g[6], 41);
    ir_gen_call(s, &mix, g[5], 4, args);
    ir_gen_call(s, &mix, r32, 1, args);      /* unused arguments are 0 */
    ir_gen_mov_i64(s, g[4], r32);
    ir_gen_insn_start(s, 1, 0);
    ir_gen_call(s, &where, g[3], 0, NULL);
    /* an unchained goto_tb falls through to its exit */
    ir_gen_goto_tb(s, 0);
    ir_gen_exit_tb(s, IR_EXIT_SLOT0);
    g_assert_cmpint(run_both(cpu, s), ==, IR_EXIT_SLOT0);
    g_assert_cmpuint(env->r[5], ==, 1234);
    g_assert_cmpuint(env->r[4], ==, 1000);
    g_assert_cmpuint(env->r[7], ==, 42);
    g_assert_cmpuint(env->r[3], ==, 1);
    /* a pending exit request: the TB does not run at all */
    env->r[5] = 0;
    cpu->exit_request = 1;
    g_assert_cmpint(run(cpu, s), ==, IR_EXIT_REQUESTED);
    g_assert_cmpuint(env->r[5], ==, 0);
    cpu->exit_request = 0;
    ir_context_free(s);
    cpu_free(cpu);
}

/* Two TBs: A counts and chains through goto_tb slot 0 to B, B counts and
   leaves through slot 1.  Chained, one exec runs both; unchained again,
   only A; an exit request makes A take its own exit. */
static void test_chaining(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *sa = ir_begin(), *sb = ir_begin();
    uint8_t *buf = code_buf();
    LoomTB a = { 0 }, b = { 0 };
    long used;
    uintptr_t ret;

    mach.be = jit;
    ir_gen_addi_i64(sa, g[0], g[0], 1);
    ir_gen_goto_tb(sa, 0);
    ir_gen_movi_i64(sa, g[1], 0xa);         /* A's own exit stores "pc" */
    ir_gen_exit_tb(sa, IR_EXIT_SLOT0);
    ir_gen_addi_i64(sb, g[2], g[2], 1);
    ir_gen_exit_tb(sb, IR_EXIT_SLOT1);
    used = jit->gen_code(&a, sa, buf, CODE_SIZE);
    g_assert_cmpint(used, >, 0);
    g_assert_cmpint(jit->gen_code(&b, sb, buf + used, CODE_SIZE - (size_t)used), >, 0);

    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | IR_EXIT_SLOT0));
    g_assert_cmpuint(env->r[0], ==, 1);
    g_assert_cmpuint(env->r[1], ==, 0xa);

    jit->set_jmp_target(&a, 0, &b);
    memset(env, 0, sizeof(*env));
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&b | IR_EXIT_SLOT1));
    g_assert_cmpuint(env->r[0], ==, 1);
    g_assert_cmpuint(env->r[1], ==, 0);     /* the chain skipped A's exit */
    g_assert_cmpuint(env->r[2], ==, 1);

    /* a request pending at entry: nothing runs */
    memset(env, 0, sizeof(*env));
    cpu->exit_request = 1;
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | IR_EXIT_REQUESTED));
    g_assert_cmpuint(env->r[0], ==, 0);
    cpu->exit_request = 0;

    jit->set_jmp_target(&a, 0, NULL);
    memset(env, 0, sizeof(*env));
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | IR_EXIT_SLOT0));
    g_assert_cmpuint(env->r[2], ==, 0);
    ir_context_free(sa);
    ir_context_free(sb);
    cpu_free(cpu);
}

/* The request arrives during A (from a helper, as a kick from another
   thread would): the goto_tb check sees it and A leaves by its own exit,
   storing its pc. */
static uint64_t helper_kick(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    __atomic_store_n(&loom_env_cpu(env)->exit_request, 1, __ATOMIC_RELEASE);
    return 0;
}

static const IRHelper kick = { .fn = helper_kick, .name = "kick" };

static void test_chain_declined(void)
{
    LoomCPU *cpu = cpu_new();
    TestEnv *env = (TestEnv *)cpu->env;
    IRContext *sa = ir_begin(), *sb = ir_begin();
    uint8_t *buf = code_buf();
    LoomTB a = { 0 }, b = { 0 };
    long used;
    uintptr_t ret;

    mach.be = jit;
    ir_gen_call(sa, &kick, IR_NO_RET, 0, NULL);
    ir_gen_goto_tb(sa, 1);
    ir_gen_movi_i64(sa, g[1], 0xa);
    ir_gen_exit_tb(sa, IR_EXIT_SLOT1);
    ir_gen_movi_i64(sb, g[2], 0xb);
    ir_gen_exit_tb(sb, IR_EXIT_PLAIN);
    used = jit->gen_code(&a, sa, buf, CODE_SIZE);
    g_assert_cmpint(used, >, 0);
    g_assert_cmpint(jit->gen_code(&b, sb, buf + used, CODE_SIZE - (size_t)used), >, 0);
    jit->set_jmp_target(&a, 1, &b);
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | IR_EXIT_SLOT1));
    g_assert_cmpuint(env->r[1], ==, 0xa);
    g_assert_cmpuint(env->r[2], ==, 0);
    ir_context_free(sa);
    ir_context_free(sb);
    cpu_free(cpu);
}

static const LoomBackendOps *load_backend(const char *file)
{
    char *path = g_build_filename(g_getenv("LOOM_BUILDDIR"), "plugins", file, NULL);
    char *err = NULL;
    LoomPlugin *p = plugin_load_file(path, LOOM_PLUGIN_BACKEND, &err);

    if (!p) {
        g_printerr("%s\n", err);
        exit(1);
    }
    g_free(path);
    return p->desc->ops;
}

int main(int argc, char **argv)
{
    char *err = NULL;

    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("LOOM_BUILDDIR")) {
        g_printerr("run through make check (LOOM_BUILDDIR unset)\n");
        return 77;
    }
    jit = load_backend("backend-x86_64.so");
    interp = load_backend("backend-interp.so");
    mach.fe = &test_fe;
    mach.be = jit;
    g_assert_nonnull(as_add_ram(&mach.as, "ram", RAM_BASE, RAM_SIZE, &err));
    g_assert_nonnull(as_add_mmio(&mach.as, "regs", MMIO_BASE, MMIO_SIZE, &t_mmio_ops, NULL,
                                 true, &err));
    current_machine = &mach;
    ir_globals_reset();
    for (int i = 0; i < NG; i++) {
        g[i] = ir_global_i64(8 * i, "r");
    }
    g_test_add_func("/x86_64/binary-ops", test_binary_ops);
    g_test_add_func("/x86_64/unary-ops", test_unary_ops);
    g_test_add_func("/x86_64/conditions", test_conditions);
    g_test_add_func("/x86_64/loop", test_loop);
    g_test_add_func("/x86_64/host-memory", test_host_memory);
    g_test_add_func("/x86_64/guest-memory", test_guest_memory);
    g_test_add_func("/x86_64/fault-unwind", test_fault_unwind);
    g_test_add_func("/x86_64/tlb-hit", test_tlb_hit);
    g_test_add_func("/x86_64/tlb-miss", test_tlb_miss);
    g_test_add_func("/x86_64/tlb-fill-each", test_tlb_fill_each);
    g_test_add_func("/x86_64/tlb-mmio", test_tlb_mmio);
    g_test_add_func("/x86_64/tlb-misaligned", test_tlb_misaligned);
    g_test_add_func("/x86_64/tlb-fault-unwind", test_tlb_fault_unwind);
    g_test_add_func("/x86_64/reg-pressure", test_reg_pressure);
    g_test_add_func("/x86_64/reg-helpers", test_reg_helpers);
    g_test_add_func("/x86_64/reg-fault", test_reg_fault);
    g_test_add_func("/x86_64/atomic-ops", test_atomic_ops);
    g_test_add_func("/x86_64/atomic-contention", test_atomic_contention);
    g_test_add_func("/x86_64/call-and-exits", test_call_and_exits);
    g_test_add_func("/x86_64/chaining", test_chaining);
    g_test_add_func("/x86_64/chain-declined", test_chain_declined);
    return g_test_run();
}
