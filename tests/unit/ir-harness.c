/*
 * The harness the back-end and optimiser unit tests share (see
 * ir-harness.h): the test front-end, vCPUs, running IR on a back-end and
 * on the reference, and the op cases every back-end must pass.
 */
#include "config.h"
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include "ir-harness.h"

LoomMachine mach;
LoomIRTemp g[NG];
const LoomBackendOps *harness_be, *harness_ref;

/* ---- the test front-end: aliased mapping, faults recorded ---- */

static void t_fault(LoomCPU *cpu, uint64_t vaddr, int kind, uintptr_t ra)
{
    TestEnv *env = harness_env(cpu);

    env->fault_addr = vaddr;
    env->fault_kind = kind;
    loom_cpu_loop_exit_restore(cpu, ra);
}

static bool t_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access, int mmu_idx,
                       bool probe, uintptr_t ra)
{
    bool each = vaddr >= EACH_BASE && vaddr < EACH_BASE + 0x100000;

    harness_env(cpu)->fills++;
    if (vaddr >= FAULT_BASE && vaddr < FAULT_BASE + 0x100000) {
        t_fault(cpu, vaddr, FAULT_PAGE, ra);
    }
    loom_tlb_set_page(cpu, vaddr, vaddr & ALIAS_MASK,
                      LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC, mmu_idx,
                      each ? 1 : 4096);
    return true;
}

static void t_unaligned(LoomCPU *cpu, uint64_t vaddr, int access, int mmu_idx, uintptr_t ra)
{
    t_fault(cpu, vaddr, FAULT_UNALIGNED, ra);
}

static void t_failed(LoomCPU *cpu, uint64_t paddr, uint64_t vaddr, int access, int mmu_idx,
                     uintptr_t ra)
{
    t_fault(cpu, vaddr, FAULT_BUS, ra);
}

/* insn data word 0 is the insn's number: record where we were unwound to */
static void t_restore_state(LoomCPU *cpu, const uint64_t *data)
{
    harness_env(cpu)->unwound_insn = (int)data[0];
}

static const LoomFrontendOps test_fe = {
    .page_bits = 12,
    .nb_mmu_modes = 1,
    .env_size = sizeof(TestEnv),
    .tlb_fill = t_tlb_fill,
    .do_unaligned_access = t_unaligned,
    .do_transaction_failed = t_failed,
    .restore_state = t_restore_state,
    .insn_start_words = 2,
};

/* ---- the machine, vCPUs, running IR ---- */

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

bool harness_init(const char *backend)
{
    static const char *const names[NG] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
    char *err = NULL;

    if (!g_getenv("LOOM_BUILDDIR")) {
        g_printerr("run through make check (LOOM_BUILDDIR unset)\n");
        return false;
    }
    harness_ref = load_backend("backend-interp.so");
    harness_be = strcmp(backend, "backend-interp.so") ? load_backend(backend) : harness_ref;
    mach.fe = &test_fe;
    mach.be = harness_be;
    g_assert_nonnull(as_add_ram(&mach.as, "ram", RAM_BASE, RAM_SIZE, &err));
    current_machine = &mach;
    loom_ir_globals_reset();
    for (int i = 0; i < NG; i++) {
        g[i] = loom_ir_global_i64(8 * i, names[i]);
    }
    return true;
}

LoomCPU *harness_cpu_new(void)
{
    LoomCPU *cpu = cpu_alloc(sizeof(TestEnv), mach.fe->nb_mmu_modes);

    g_assert_nonnull(cpu);
    cpu->machine = &mach;
    tlb_init(cpu);
    harness_env(cpu)->unwound_insn = -1;
    return cpu;
}

void harness_cpu_free(LoomCPU *cpu)
{
    cpu_free(cpu);
}

LoomIRContext *harness_begin(void)
{
    LoomIRContext *s = loom_ir_context_new();

    loom_ir_gen_insn_start(s, 0, 0);
    return s;
}

/* One per thread, like the core's regions; never unmapped. */
uint8_t *harness_code_buf(void)
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
static void fill_insn_data(LoomTB *tb, const LoomIRContext *s, uint64_t *data)
{
    tb->insn_data = data;
    tb->nb_insn_data = 0;
    for (uint32_t i = 0; i < s->nb_ops; i++) {
        if (s->ops[i].opc == LOOM_IR_OP_insn_start) {
            memcpy(&data[tb->nb_insn_data++ * 2], s->ops[i].args,
                   2 * sizeof(uint64_t));
        }
    }
}

int harness_run_on(const LoomBackendOps *be, LoomCPU *cpu, LoomIRContext *s)
{
    LoomTB tb = { 0 };
    uint64_t data[64 * 2];
    uintptr_t ret;

    g_assert_cmpuint(s->nb_insns, <=, 64);
    /* as tb_gen_code: the optional ops be lacks become ops it has */
    loom_ir_legalize(s, be);
    fill_insn_data(&tb, s, data);
    mach.be = be;
    g_assert_cmpint(be->gen_code(&tb, s, harness_code_buf(), CODE_SIZE), >, 0);
    if (sigsetjmp(cpu->priv->jmp_env, 0)) {
        cpu->current_tb = NULL;
        return -1;
    }
    ret = be->exec_tb(cpu, &tb);
    cpu->current_tb = NULL;
    g_assert_true((LoomTB *)(ret & ~(uintptr_t)LOOM_IR_EXIT_MASK) == &tb);
    return (int)(ret & LOOM_IR_EXIT_MASK);
}

int harness_run(LoomCPU *cpu, LoomIRContext *s)
{
    return harness_run_on(harness_be, cpu, s);
}

int harness_run_both(LoomCPU *cpu, LoomIRContext *s)
{
    TestEnv *env = harness_env(cpu);
    TestEnv start = *env, ref;
    int ref_code, code;

    if (harness_be == harness_ref) {
        return harness_run(cpu, s);
    }
    ref_code = harness_run_on(harness_ref, cpu, s);
    ref = *env;
    *env = start;
    code = harness_run(cpu, s);
    g_assert_cmpint(code, ==, ref_code);
    for (int i = 0; i < NG; i++) {
        g_assert_cmphex(env->r[i], ==, ref.r[i]);
    }
    return code;
}

/* ---- arithmetic ---- */

typedef struct BinCase {
    LoomIROpcode op;
    uint64_t a, b, want;
} BinCase;

static const BinCase bin_cases[] = {
    { LOOM_IR_OP_add_i64, M64, 1, 0 },
    { LOOM_IR_OP_add_i32, 0xffffffff, 2, 1 },
    { LOOM_IR_OP_sub_i64, 0, 1, M64 },
    { LOOM_IR_OP_sub_i32, 0, 1, 0xffffffff },
    { LOOM_IR_OP_and_i32, 0xf0f0f0f0, 0xff00ff00, 0xf000f000 },
    { LOOM_IR_OP_or_i64, 0xf0, 0x0f00000000000000ull, 0x0f000000000000f0ull },
    { LOOM_IR_OP_xor_i32, 0xffffffff, 0x0000ffff, 0xffff0000 },
    { LOOM_IR_OP_andc_i64, 0xff, 0x0f, 0xf0 },
    { LOOM_IR_OP_andc_i32, 0xffffffff, 0x1, 0xfffffffe },
    { LOOM_IR_OP_orc_i32, 0, 0xffff0000, 0x0000ffff },
    { LOOM_IR_OP_orc_i64, 0, 0xffff0000, 0xffffffff0000ffffull },
    { LOOM_IR_OP_mul_i64, 0x100000001ull, 0x100000001ull, 0x200000001ull },
    { LOOM_IR_OP_mul_i32, 0x10000, 0x10000, 0 },
    { LOOM_IR_OP_mul_i32, 0xffffffff, 0xffffffff, 1 },
    { LOOM_IR_OP_mulsh_i64, (uint64_t)-2, 3, M64 },
    { LOOM_IR_OP_mulsh_i64, MIN64, MIN64, 0x4000000000000000ull },
    { LOOM_IR_OP_muluh_i64, M64, M64, 0xfffffffffffffffeull },
    { LOOM_IR_OP_mulsuh_i64, M64, M64, M64 },
    { LOOM_IR_OP_mulsuh_i64, 2, M64, 1 },
    { LOOM_IR_OP_mulsuh_i64, MIN64, 2, M64 },
    { LOOM_IR_OP_mulsh_i32, 0x80000000, 0x80000000, 0x40000000 },
    { LOOM_IR_OP_mulsh_i32, 0xffffffff, 1, 0xffffffff },
    { LOOM_IR_OP_muluh_i32, 0xffffffff, 0xffffffff, 0xfffffffe },
    { LOOM_IR_OP_mulsuh_i32, 0xffffffff, 0xffffffff, 0xffffffff },
    { LOOM_IR_OP_mulsuh_i32, 0x7fffffff, 0xffffffff, 0x7ffffffe },
    /* division is total */
    { LOOM_IR_OP_div_i64, (uint64_t)-7, 2, (uint64_t)-3 },
    { LOOM_IR_OP_div_i64, 5, 0, M64 },
    { LOOM_IR_OP_div_i64, MIN64, M64, MIN64 },
    { LOOM_IR_OP_div_i64, 7, M64, (uint64_t)-7 },
    { LOOM_IR_OP_rem_i64, (uint64_t)-7, 2, M64 },
    { LOOM_IR_OP_rem_i64, 5, 0, 5 },
    { LOOM_IR_OP_rem_i64, MIN64, M64, 0 },
    { LOOM_IR_OP_divu_i64, 7, 0, M64 },
    { LOOM_IR_OP_divu_i64, M64, 2, 0x7fffffffffffffffull },
    { LOOM_IR_OP_remu_i64, 7, 0, 7 },
    { LOOM_IR_OP_remu_i64, M64, 10, 5 },
    { LOOM_IR_OP_div_i32, 0x80000000, 0xffffffff, 0x80000000 },
    { LOOM_IR_OP_div_i32, 9, 0, 0xffffffff },
    { LOOM_IR_OP_div_i32, 0xfffffff9, 2, 0xfffffffd },
    { LOOM_IR_OP_rem_i32, 0x80000000, 0xffffffff, 0 },
    { LOOM_IR_OP_rem_i32, 0xfffffff9, 2, 0xffffffff },
    { LOOM_IR_OP_rem_i32, 9, 0, 9 },
    { LOOM_IR_OP_divu_i32, 9, 0, 0xffffffff },
    { LOOM_IR_OP_divu_i32, 0xffffffff, 2, 0x7fffffff },
    { LOOM_IR_OP_remu_i32, 9, 0, 9 },
    { LOOM_IR_OP_remu_i32, 0xffffffff, 10, 5 },
    /* shift counts are taken modulo the width */
    { LOOM_IR_OP_shl_i64, 1, 65, 2 },
    { LOOM_IR_OP_shl_i64, 1, 64, 1 },
    { LOOM_IR_OP_shl_i32, 1, 33, 2 },
    { LOOM_IR_OP_shl_i32, 0x80000001, 1, 2 },
    { LOOM_IR_OP_shl_i32, 1, 32, 1 },
    { LOOM_IR_OP_shr_i64, MIN64, 63, 1 },
    { LOOM_IR_OP_shr_i64, MIN64, 127, 1 },
    { LOOM_IR_OP_sar_i64, MIN64, 63, M64 },
    { LOOM_IR_OP_sar_i32, 0x80000000, 31, 0xffffffff },
    { LOOM_IR_OP_sar_i32, 0x80000000, 63, 0xffffffff },
    { LOOM_IR_OP_shr_i32, 0x80000000, 31, 1 },
    { LOOM_IR_OP_shr_i32, 0x80000000, 32, 0x80000000 },
    { LOOM_IR_OP_rotl_i64, 0x8000000000000001ull, 1, 3 },
    { LOOM_IR_OP_rotl_i64, 0x8000000000000001ull, 65, 3 },
    { LOOM_IR_OP_rotr_i64, 1, 1, MIN64 },
    { LOOM_IR_OP_rotr_i32, 1, 1, 0x80000000 },
    { LOOM_IR_OP_rotl_i32, 0x80000000, 0, 0x80000000 },
    { LOOM_IR_OP_rotl_i32, 0x80000001, 33, 3 },
};

/* Every result goes through an i32 or i64 ebb temp and then to r0 with
   mov_i64, so stray high bits of an i32 result would show; an i32 result
   also goes to r1 with extu_i32_i64. */
void harness_test_binary_ops(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);

    for (size_t i = 0; i < G_N_ELEMENTS(bin_cases); i++) {
        const BinCase *c = &bin_cases[i];
        bool is64 = loom_ir_op_defs[c->op].flags & LOOM_IR_F_64;
        LoomIRType ty = is64 ? LOOM_IR_I64 : LOOM_IR_I32;

        /* operands as constants, and as temps (another load path) */
        for (int form = 0; form < 2; form++) {
            LoomIRContext *s = harness_begin();
            LoomIRTemp d = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_EBB);
            LoomIRTemp a = loom_ir_const(s, ty, c->a), b = loom_ir_const(s, ty, c->b);

            if (form) {
                LoomIRTemp ta = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_TB), tb = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_EBB);
                loom_ir_op2(s, is64 ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32, ta, a);
                loom_ir_op2(s, is64 ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32, tb, b);
                a = ta;
                b = tb;
            }
            loom_ir_op3(s, c->op, d, a, b);
            loom_ir_gen_mov_i64(s, g[0], d);
            if (!is64) {
                loom_ir_gen_extu_i32_i64(s, g[1], d);
            }
            loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
            env->r[0] = env->r[1] = 0x5a5a5a5a5a5a5a5aull;
            g_assert_cmpint(harness_run_both(cpu, s), ==, LOOM_IR_EXIT_PLAIN);
            if (env->r[0] != c->want) {
                g_test_message("%s(0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER "x)",
                               loom_ir_op_defs[c->op].name, c->a, c->b);
            }
            g_assert_cmphex(env->r[0], ==, c->want);
            if (!is64) {
                g_assert_cmphex(env->r[1], ==, c->want);
            }
            loom_ir_context_free(s);
        }
    }
    harness_cpu_free(cpu);
}

/* Each result goes through an ebb temp to r1 with mov_i64; an i64 result
   is also written straight into r2. */
void harness_test_unary_ops(void)
{
    static const struct { LoomIROpcode op; uint64_t a, want; } cases[] = {
        { LOOM_IR_OP_ext8s_i64, 0x80, 0xffffffffffffff80ull },
        { LOOM_IR_OP_ext8u_i64, 0xffffffffffffff80ull, 0x80 },
        { LOOM_IR_OP_ext16s_i64, 0x8000, 0xffffffffffff8000ull },
        { LOOM_IR_OP_ext16u_i64, 0xfffff234, 0xf234 },
        { LOOM_IR_OP_ext32s_i64, 0x80000000, 0xffffffff80000000ull },
        { LOOM_IR_OP_ext32u_i64, 0xffffffff80000000ull, 0x80000000 },
        { LOOM_IR_OP_ext8s_i32, 0x80, 0xffffff80 },
        { LOOM_IR_OP_ext8u_i32, 0xfff1, 0xf1 },
        { LOOM_IR_OP_ext16s_i32, 0x8000, 0xffff8000 },
        { LOOM_IR_OP_ext16u_i32, 0xffff8000, 0x8000 },
        { LOOM_IR_OP_exts_i32_i64, 0x80000000, 0xffffffff80000000ull },
        { LOOM_IR_OP_extu_i32_i64, 0x80000000, 0x80000000 },
        { LOOM_IR_OP_extrl_i64_i32, 0x1234567887654321ull, 0x87654321 },
        { LOOM_IR_OP_extrh_i64_i32, 0x8765432112345678ull, 0x87654321 },
        { LOOM_IR_OP_neg_i64, 1, M64 },
        { LOOM_IR_OP_neg_i32, 1, 0xffffffff },
        { LOOM_IR_OP_neg_i64, MIN64, MIN64 },
        { LOOM_IR_OP_not_i64, 0, M64 },
        { LOOM_IR_OP_not_i32, 0, 0xffffffff },
        { LOOM_IR_OP_mov_i32, 0xfedcba98, 0xfedcba98 },
        { LOOM_IR_OP_clz_i64, 0, 64 },
        { LOOM_IR_OP_clz_i64, 1, 63 },
        { LOOM_IR_OP_clz_i64, MIN64, 0 },
        { LOOM_IR_OP_clz_i32, 0, 32 },
        { LOOM_IR_OP_clz_i32, 1, 31 },
        { LOOM_IR_OP_clz_i32, 0x80000000, 0 },
        { LOOM_IR_OP_ctz_i64, 0, 64 },
        { LOOM_IR_OP_ctz_i64, 0x100, 8 },
        { LOOM_IR_OP_ctz_i64, MIN64, 63 },
        { LOOM_IR_OP_ctz_i32, 0, 32 },
        { LOOM_IR_OP_ctz_i32, 0x80000000, 31 },
        { LOOM_IR_OP_ctpop_i64, 0xf0f0, 8 },
        { LOOM_IR_OP_ctpop_i64, M64, 64 },
        { LOOM_IR_OP_ctpop_i32, 0xffffffff, 32 },
        { LOOM_IR_OP_ctpop_i32, 0, 0 },
        { LOOM_IR_OP_bswap64_i64, 0x0102030405060708ull, 0x0807060504030201ull },
        { LOOM_IR_OP_bswap32_i32, 0x01020384, 0x84030201 },
    };
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        LoomIRContext *s = harness_begin();
        bool out64 = loom_ir_op_defs[cases[i].op].flags & LOOM_IR_F_64;
        LoomIROpcode op = cases[i].op;
        /* inputs of the i64 -> i32 and i32 -> i64 conversions */
        bool in64 = op == LOOM_IR_OP_extrl_i64_i32 || op == LOOM_IR_OP_extrh_i64_i32 ||
                    (out64 && op != LOOM_IR_OP_exts_i32_i64 && op != LOOM_IR_OP_extu_i32_i64);
        LoomIRTemp d = loom_ir_temp_new(s, out64 ? LOOM_IR_I64 : LOOM_IR_I32, LOOM_IR_TEMP_EBB);
        LoomIRTemp a = loom_ir_const(s, in64 ? LOOM_IR_I64 : LOOM_IR_I32, cases[i].a);

        loom_ir_op2(s, op, d, a);
        loom_ir_gen_mov_i64(s, g[1], d);
        if (out64) {
            loom_ir_op2(s, op, g[2], a);
        }
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
        env->r[1] = env->r[2] = 0x5a5a5a5a5a5a5a5aull;
        harness_run_both(cpu, s);
        if (env->r[1] != cases[i].want) {
            g_test_message("%s(0x%" G_GINT64_MODIFIER "x)", loom_ir_op_defs[op].name, cases[i].a);
        }
        g_assert_cmphex(env->r[1], ==, cases[i].want);
        if (out64) {
            g_assert_cmphex(env->r[2], ==, cases[i].want);
        }
        loom_ir_context_free(s);
    }
    harness_cpu_free(cpu);
}

/* sum 1..100 with a loop: labels, backward branches, tb temps; then a
   setcond and a movcond on constants */
void harness_test_loop(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp i = loom_ir_temp_tb_i64(s), sum = loom_ir_temp_tb_i64(s);
    LoomIRLabel top = loom_ir_label_new(s), out = loom_ir_label_new(s);

    loom_ir_gen_movi_i64(s, i, 1);
    loom_ir_gen_movi_i64(s, sum, 0);
    loom_ir_gen_set_label(s, top);
    loom_ir_gen_brcond_i64(s, LOOM_IR_COND_GTU, i, loom_ir_const_i64(s, 100), out);
    loom_ir_gen_add_i64(s, sum, sum, i);
    loom_ir_gen_addi_i64(s, i, i, 1);
    loom_ir_gen_br(s, top);
    loom_ir_gen_set_label(s, out);
    loom_ir_gen_mov_i64(s, g[2], sum);
    loom_ir_gen_setcond_i64(s, LOOM_IR_COND_LT, g[3], loom_ir_const_i64(s, M64), loom_ir_const_i64(s, 0));
    loom_ir_gen_movcond_i64(s, LOOM_IR_COND_LTU, g[4], loom_ir_const_i64(s, M64), loom_ir_const_i64(s, 0),
                       loom_ir_const_i64(s, 11), loom_ir_const_i64(s, 22));
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT1);
    g_assert_cmpint(harness_run_both(cpu, s), ==, LOOM_IR_EXIT_SLOT1);
    g_assert_cmpuint(env->r[2], ==, 5050);
    g_assert_cmpuint(env->r[3], ==, 1);         /* -1 < 0 signed */
    g_assert_cmpuint(env->r[4], ==, 22);        /* -1 <u 0 is false */
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* ---- atomics ---- */

/* Each op on an old value in RAM: the new memory value, and the old value
   returned: an i32 one zero-extended into r0 with mov_i64, and
   sign-extended into r1 with exts_i32_i64. */
void harness_test_atomic_ops(void)
{
    static const struct { LoomIROpcode op; uint64_t old, val, want_mem; unsigned mop; } cases[] = {
        { LOOM_IR_OP_atomic_xchg_i64, 5, 9, 9, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_add_i64, 5, 9, 14, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_and_i64, 6, 3, 2, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_or_i64, 6, 3, 7, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_xor_i64, 6, 3, 5, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_smin_i64, 5, M64, M64, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_umin_i64, 5, M64, 5, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_smax_i64, 5, M64, 5, LOOM_MEM_UQ },
        { LOOM_IR_OP_atomic_fetch_umax_i64, 5, M64, M64, LOOM_MEM_UQ },
        /* 32-bit: min/max compare 32-bit values */
        { LOOM_IR_OP_atomic_xchg_i32, 0x80000000, 1, 1, LOOM_MEM_UL },
        { LOOM_IR_OP_atomic_fetch_smin_i32, 0x80000000, 1, 0x80000000, LOOM_MEM_SL },
        { LOOM_IR_OP_atomic_fetch_umax_i32, 0x80000000, 1, 0x80000000, LOOM_MEM_SL },
        { LOOM_IR_OP_atomic_fetch_add_i32, 0xffffffff, 1, 0, LOOM_MEM_SL },
    };
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0x200, 8);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        LoomIRContext *s = harness_begin();
        bool is64 = loom_ir_op_defs[cases[i].op].flags & LOOM_IR_F_64;
        LoomIRTemp d = loom_ir_temp_new(s, is64 ? LOOM_IR_I64 : LOOM_IR_I32, LOOM_IR_TEMP_EBB);
        uint64_t mem = 0;

        memset(ram, 0, 8);
        memcpy(ram, &cases[i].old, is64 ? 8 : 4);
        loom_ir_gen_atomic_rmw(s, cases[i].op, d, loom_ir_const_i64(s, RAM_BASE + 0x200),
                          loom_ir_const(s, is64 ? LOOM_IR_I64 : LOOM_IR_I32, cases[i].val), cases[i].mop, 0);
        loom_ir_gen_mov_i64(s, g[0], d);
        if (!is64) {
            loom_ir_gen_exts_i32_i64(s, g[1], d);
        }
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
        harness_run(cpu, s);
        memcpy(&mem, ram, is64 ? 8 : 4);
        g_assert_cmphex(mem, ==, cases[i].want_mem);
        g_assert_cmphex(env->r[0], ==, is64 ? cases[i].old : (uint32_t)cases[i].old);
        if (!is64) {
            g_assert_cmphex(env->r[1], ==, (uint64_t)(int64_t)(int32_t)cases[i].old);
        }
        loom_ir_context_free(s);
    }
    /* cmpxchg: succeeds only when the compare value matches */
    for (int hit = 0; hit < 2; hit++) {
        LoomIRContext *s = harness_begin();
        uint64_t mem = 7;
        memcpy(ram, &mem, 8);
        loom_ir_gen_atomic_cmpxchg_i64(s, g[0], loom_ir_const_i64(s, RAM_BASE + 0x200),
                                  loom_ir_const_i64(s, hit ? 7 : 8), loom_ir_const_i64(s, 99), LOOM_MEM_UQ, 0);
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
        harness_run(cpu, s);
        memcpy(&mem, ram, 8);
        g_assert_cmpuint(env->r[0], ==, 7);
        g_assert_cmpuint(mem, ==, hit ? 99 : 7);
        loom_ir_context_free(s);
    }
    harness_cpu_free(cpu);
}

/* Four host threads, one vCPU each, hammer one counter: exact total. */
#define HAMMER_THREADS 4
#define HAMMER_ITERS 20000

static gpointer hammer(gpointer data)
{
    LoomCPU *cpu = harness_cpu_new();
    LoomIRContext *s = harness_begin();
    LoomIRTemp old = loom_ir_temp_new_i64(s);
    /* other vCPUs run this code at the same time: a parallel TB */
    LoomTB tb = { .cflags = LOOM_CF_PARALLEL };

    (void)data;
    loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_fetch_add_i64, old, loom_ir_const_i64(s, RAM_BASE + 0x300),
                      loom_ir_const_i64(s, 1), LOOM_MEM_UQ, 0);
    loom_ir_gen_mb(s, LOOM_MO_ALL);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_be->gen_code(&tb, s, harness_code_buf(), CODE_SIZE), >, 0);
    for (int i = 0; i < HAMMER_ITERS; i++) {
        uintptr_t ret = harness_be->exec_tb(cpu, &tb);
        g_assert_true((LoomTB *)(ret & ~(uintptr_t)LOOM_IR_EXIT_MASK) == &tb);
    }
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
    return NULL;
}

void harness_test_atomic_contention(void)
{
    GThread *t[HAMMER_THREADS];
    uint64_t total;

    mach.be = harness_be;
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

/* ---- ABI 2.0 ops, native and legalised ---- */

/* The back-ends to run the new ops on: the reference and the back-end
   under test as they are, each with no optional op (everything legalised
   by the core), and the back-end with ctpop only (clz and ctz legalised
   through it). */
#define NB_NEW_BE 5
static void new_op_backends(const LoomBackendOps *bes[NB_NEW_BE], LoomBackendOps bare[3])
{
    static const uint16_t ctpop_only[] = { LOOM_IR_OP_ctpop_i32, LOOM_IR_OP_ctpop_i64, 0 };

    bare[0] = *harness_ref;
    bare[0].optional_ops = NULL;
    bare[1] = *harness_be;
    bare[1].optional_ops = NULL;
    bare[2] = *harness_be;
    bare[2].optional_ops = ctpop_only;
    bes[0] = harness_ref;
    bes[1] = &bare[0];
    bes[2] = harness_be;
    bes[3] = &bare[1];
    bes[4] = &bare[2];
}

static const char *be_label(int k)
{
    static const char *const names[NB_NEW_BE] = { "reference", "reference, legalised",
                                                  "back-end", "back-end, legalised",
                                                  "back-end with ctpop only" };
    return names[k];
}

typedef struct NewCase {
    LoomIROpcode op;
    uint64_t a, b, c;           /* inputs (as many as the op has) */
    unsigned pos, len;          /* bit fields */
    uint64_t want0, want1;      /* outputs (want1: second output) */
} NewCase;

static const NewCase new_cases[] = {
    /* byte swaps */
    { LOOM_IR_OP_bswap16_i32, 0x12345678, 0, 0, 0, 0, 0x7856, 0 },
    { LOOM_IR_OP_bswap16_i64, 0xffffffffffff1234ull, 0, 0, 0, 0, 0x3412, 0 },
    { LOOM_IR_OP_bswap32_i64, 0x1122334455667788ull, 0, 0, 0, 0, 0x88776655, 0 },
    { LOOM_IR_OP_bswap32_i32, 0x12345678, 0, 0, 0, 0, 0x78563412, 0 },
    { LOOM_IR_OP_bswap64_i64, 0x0102030405060708ull, 0, 0, 0, 0, 0x0807060504030201ull, 0 },
    /* bit counting (clz/ctz of 0 give the width) */
    { LOOM_IR_OP_clz_i32, 0x00010000, 0, 0, 0, 0, 15, 0 },
    { LOOM_IR_OP_clz_i32, 0, 0, 0, 0, 0, 32, 0 },
    { LOOM_IR_OP_clz_i64, 1, 0, 0, 0, 0, 63, 0 },
    { LOOM_IR_OP_clz_i64, 0, 0, 0, 0, 0, 64, 0 },
    { LOOM_IR_OP_clz_i64, MIN64, 0, 0, 0, 0, 0, 0 },
    { LOOM_IR_OP_ctz_i32, 0x80000000, 0, 0, 0, 0, 31, 0 },
    { LOOM_IR_OP_ctz_i32, 0, 0, 0, 0, 0, 32, 0 },
    { LOOM_IR_OP_ctz_i64, 0x100, 0, 0, 0, 0, 8, 0 },
    { LOOM_IR_OP_ctz_i64, 0, 0, 0, 0, 0, 64, 0 },
    { LOOM_IR_OP_ctpop_i32, 0xffffffff, 0, 0, 0, 0, 32, 0 },
    { LOOM_IR_OP_ctpop_i64, M64, 0, 0, 0, 0, 64, 0 },
    { LOOM_IR_OP_ctpop_i64, 0x8000000000000001ull, 0, 0, 0, 0, 2, 0 },
    { LOOM_IR_OP_ctpop_i32, 0, 0, 0, 0, 0, 0, 0 },
    /* rotates, andc, orc */
    { LOOM_IR_OP_rotl_i32, 0x80000001, 1, 0, 0, 0, 3, 0 },
    { LOOM_IR_OP_rotl_i64, 0x8000000000000001ull, 0, 0, 0, 0, 0x8000000000000001ull, 0 },
    { LOOM_IR_OP_rotr_i64, 1, 1, 0, 0, 0, MIN64, 0 },
    { LOOM_IR_OP_rotr_i32, 1, 33, 0, 0, 0, 0x80000000, 0 },
    { LOOM_IR_OP_andc_i64, 0xff, 0x0f, 0, 0, 0, 0xf0, 0 },
    { LOOM_IR_OP_orc_i32, 0, 0xffff0000, 0, 0, 0, 0xffff, 0 },
    /* bit fields */
    { LOOM_IR_OP_extract_i32, 0x12345678, 0, 0, 8, 8, 0x56, 0 },
    { LOOM_IR_OP_extract_i32, 0x80000000, 0, 0, 31, 1, 1, 0 },
    { LOOM_IR_OP_extract_i32, 0xdeadbeef, 0, 0, 0, 32, 0xdeadbeef, 0 },
    { LOOM_IR_OP_extract_i64, 0x123456789abcdef0ull, 0, 0, 60, 4, 1, 0 },
    { LOOM_IR_OP_extract_i64, 0x123456789abcdef0ull, 0, 0, 4, 56, 0x23456789abcdefull, 0 },
    { LOOM_IR_OP_sextract_i32, 0x00008000, 0, 0, 8, 8, 0xffffff80, 0 },
    { LOOM_IR_OP_sextract_i32, 0x00007f00, 0, 0, 8, 8, 0x7f, 0 },
    { LOOM_IR_OP_sextract_i64, 0x80000000, 0, 0, 0, 32, 0xffffffff80000000ull, 0 },
    { LOOM_IR_OP_sextract_i64, M64, 0, 0, 63, 1, M64, 0 },
    { LOOM_IR_OP_deposit_i32, 0xffffffff, 0, 0, 4, 8, 0xfffff00f, 0 },
    { LOOM_IR_OP_deposit_i32, 0x12345678, 0xab, 0, 0, 32, 0xab, 0 },
    { LOOM_IR_OP_deposit_i64, 0, M64, 0, 60, 4, 0xf000000000000000ull, 0 },
    { LOOM_IR_OP_deposit_i64, 0x1111, 0x1ff, 0, 8, 8, 0xff11, 0 },
    { LOOM_IR_OP_deposit_i64, M64, 0x123456789ull, 0, 16, 40, 0xff0123456789ffffull, 0 },
    { LOOM_IR_OP_deposit_i64, 0x8000000000000001ull, M64, 0, 4, 40, 0x80000ffffffffff1ull, 0 },
    { LOOM_IR_OP_deposit_i64, 0, 0xffffffffaaaaaaaaull, 0, 32, 32, 0xaaaaaaaa00000000ull, 0 },
    { LOOM_IR_OP_deposit_i64, 0, 0xffffffffaaaaaaaaull, 0, 8, 32, 0xaaaaaaaa00ull, 0 },
    { LOOM_IR_OP_deposit_i64, 0x5555, 0x0123456789abcdefull, 0, 0, 64, 0x0123456789abcdefull, 0 },
    { LOOM_IR_OP_deposit_i32, 0xffffffff, 0x12345, 0, 8, 20, 0xf12345ff, 0 },
    /* carry chains: only bit 0 of the carry in counts */
    { LOOM_IR_OP_addc_i32, 0xffffffff, 0, 1, 0, 0, 0, 1 },
    { LOOM_IR_OP_addc_i32, 0xffffffff, 0xffffffff, 1, 0, 0, 0xffffffff, 1 },
    { LOOM_IR_OP_addc_i32, 1, 2, 2, 0, 0, 3, 0 },
    { LOOM_IR_OP_addc_i64, M64, 1, 0, 0, 0, 0, 1 },
    { LOOM_IR_OP_addc_i64, M64, M64, 1, 0, 0, M64, 1 },
    { LOOM_IR_OP_addc_i64, 5, 6, 3, 0, 0, 12, 0 },
    { LOOM_IR_OP_subb_i32, 0, 0, 1, 0, 0, 0xffffffff, 1 },
    { LOOM_IR_OP_subb_i32, 5, 3, 1, 0, 0, 1, 0 },
    { LOOM_IR_OP_subb_i32, 5, 5, 1, 0, 0, 0xffffffff, 1 },
    { LOOM_IR_OP_subb_i64, 0, M64, 0, 0, 0, 1, 1 },
    { LOOM_IR_OP_subb_i64, M64, M64, 1, 0, 0, M64, 1 },
    { LOOM_IR_OP_subb_i64, 10, 3, 2, 0, 0, 7, 0 },
    /* widening multiplies: lo, hi */
    { LOOM_IR_OP_mulu2_i32, 0xffffffff, 0xffffffff, 0, 0, 0, 1, 0xfffffffe },
    { LOOM_IR_OP_mulu2_i64, M64, M64, 0, 0, 0, 1, 0xfffffffffffffffeull },
    { LOOM_IR_OP_muls2_i32, 0xffffffff, 2, 0, 0, 0, 0xfffffffe, 0xffffffff },
    { LOOM_IR_OP_muls2_i64, MIN64, 2, 0, 0, 0, 0, M64 },
    { LOOM_IR_OP_muls2_i64, (uint64_t)-3, 5, 0, 0, 0, 0xfffffffffffffff1ull, M64 },
};

/* One case on be: inputs come from r2..r4 (through i32 temps for an i32
   op), outputs go to r0 and r1 zero-extended.  alias: the outputs are
   the input temps themselves. */
static void run_new_case(const LoomBackendOps *be, LoomCPU *cpu, const NewCase *c, bool alias)
{
    const LoomIROpDef *d = &loom_ir_op_defs[c->op];
    bool is64 = d->flags & LOOM_IR_F_64;
    LoomIRType ty = is64 ? LOOM_IR_I64 : LOOM_IR_I32;
    LoomIRContext *s = harness_begin();
    TestEnv *env = harness_env(cpu);
    LoomIRTemp in[3], out[2];
    LoomIRArg args[LOOM_IR_MAX_ARGS];
    unsigned n = 0;

    for (unsigned i = 0; i < d->nin; i++) {
        in[i] = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_EBB);
        if (is64) {
            loom_ir_gen_mov_i64(s, in[i], g[2 + i]);
        } else {
            loom_ir_gen_extrl_i64_i32(s, in[i], g[2 + i]);
        }
    }
    for (unsigned o = 0; o < d->nout; o++) {
        out[o] = alias ? in[o] : loom_ir_temp_new(s, ty, LOOM_IR_TEMP_EBB);
        args[n++] = out[o];
    }
    for (unsigned i = 0; i < d->nin; i++) {
        args[n++] = in[i];
    }
    if (d->ncon) {
        args[n++] = c->pos;
        args[n++] = c->len;
    }
    loom_ir_emit_def(s, c->op, args);
    for (unsigned o = 0; o < d->nout; o++) {
        if (is64) {
            loom_ir_gen_mov_i64(s, g[o], out[o]);
        } else {
            loom_ir_gen_extu_i32_i64(s, g[o], out[o]);
        }
    }
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    env->r[0] = env->r[1] = 0x5a5a5a5a5a5a5a5aull;
    env->r[2] = c->a;
    env->r[3] = c->b;
    env->r[4] = c->c;
    g_assert_cmpint(harness_run_on(be, cpu, s), ==, LOOM_IR_EXIT_PLAIN);
    loom_ir_context_free(s);
}

void harness_test_new_ops(void)
{
    const LoomBackendOps *bes[NB_NEW_BE];
    LoomBackendOps bare[3];
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);

    new_op_backends(bes, bare);
    for (size_t i = 0; i < G_N_ELEMENTS(new_cases); i++) {
        const NewCase *c = &new_cases[i];
        for (int k = 0; k < NB_NEW_BE; k++) {
            for (int alias = 0; alias < 2; alias++) {
                run_new_case(bes[k], cpu, c, alias);
                if (env->r[0] != c->want0 ||
                    (loom_ir_op_defs[c->op].nout > 1 && env->r[1] != c->want1)) {
                    g_test_message("%s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 "; %u, %u) on %s%s",
                                   loom_ir_op_defs[c->op].name, c->a, c->b, c->c, c->pos, c->len,
                                   be_label(k), alias ? ", outputs aliasing inputs" : "");
                }
                g_assert_cmphex(env->r[0], ==, c->want0);
                if (loom_ir_op_defs[c->op].nout > 1) {
                    g_assert_cmphex(env->r[1], ==, c->want1);
                }
            }
        }
    }
    harness_cpu_free(cpu);
}

/* atomic_cmpxchg_i128 (legalised on both back-ends: max_atomic_bits 64
   keeps it out of parallel code), little- and big-endian, hit and miss,
   and a 16-byte alignment fault. */
void harness_test_cmpxchg128(void)
{
    const LoomBackendOps *bes[NB_NEW_BE];
    LoomBackendOps bare[3];
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0x300, 32);

    new_op_backends(bes, bare);
    for (int k = 0; k < NB_NEW_BE; k++) {
        for (int be_order = 0; be_order < 2; be_order++) {
            for (int hit = 0; hit < 2; hit++) {
                LoomIRContext *s = harness_begin();
                uint64_t w0 = 0x1111111122222222ull, w1 = 0x3333333344444444ull;
                uint64_t lo = be_order ? __builtin_bswap64(w1) : w0;
                uint64_t hi = be_order ? __builtin_bswap64(w0) : w1;
                uint64_t m0, m1;

                memcpy(ram, &w0, 8);
                memcpy(ram + 8, &w1, 8);
                loom_ir_gen_atomic_cmpxchg_i128(s, g[0], g[1], loom_ir_const_i64(s, RAM_BASE + 0x300),
                                                loom_ir_const_i64(s, lo), loom_ir_const_i64(s, hit ? hi : 0),
                                                g[2], g[3],
                                                (be_order ? LOOM_MEM_BE : 0) | LOOM_MEM_ALIGN, 0);
                loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
                env->r[2] = 0xaaaaaaaaaaaaaaaaull;
                env->r[3] = 0xbbbbbbbbbbbbbbbbull;
                g_assert_cmpint(harness_run_on(bes[k], cpu, s), ==, LOOM_IR_EXIT_PLAIN);
                memcpy(&m0, ram, 8);
                memcpy(&m1, ram + 8, 8);
                g_assert_cmphex(env->r[0], ==, lo);
                g_assert_cmphex(env->r[1], ==, hi);
                if (!hit) {
                    g_assert_cmphex(m0, ==, w0);
                    g_assert_cmphex(m1, ==, w1);
                } else if (be_order) {
                    g_assert_cmphex(m0, ==, 0xbbbbbbbbbbbbbbbbull);
                    g_assert_cmphex(m1, ==, 0xaaaaaaaaaaaaaaaaull);
                } else {
                    g_assert_cmphex(m0, ==, 0xaaaaaaaaaaaaaaaaull);
                    g_assert_cmphex(m1, ==, 0xbbbbbbbbbbbbbbbbull);
                }
                loom_ir_context_free(s);
            }
        }
        /* 8-aligned is not enough: the guest's alignment fault, nothing written */
        {
            LoomIRContext *s = harness_begin();
            uint64_t m0;

            memset(ram, 0, 32);
            env->fault_kind = 0;
            loom_ir_gen_atomic_cmpxchg_i128(s, g[0], g[1], loom_ir_const_i64(s, RAM_BASE + 0x308),
                                            g[2], g[2], g[3], g[3], LOOM_MEM_ALIGN, 0);
            loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
            env->r[2] = 0;
            env->r[3] = 5;
            g_assert_cmpint(harness_run_on(bes[k], cpu, s), ==, -1);
            g_assert_cmpint(env->fault_kind, ==, FAULT_UNALIGNED);
            g_assert_cmphex(env->fault_addr, ==, RAM_BASE + 0x308);
            memcpy(&m0, ram + 8, 8);
            g_assert_cmphex(m0, ==, 0);
            loom_ir_context_free(s);
        }
    }
    harness_cpu_free(cpu);
}

/* A helper with all six arguments: each lands where it should. */
static uint64_t helper_six(void *env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4, uint64_t a5)
{
    TestEnv *e = env;

    e->r[1] = a4;
    e->r[2] = a5;
    e->r[3] = a0 ^ a1 ^ a2 ^ a3;
    return a0 + 2 * a1 + 3 * a2 + 5 * a3 + 7 * a4 + 11 * a5;
}

static uint64_t helper_five(void *env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4, uint64_t a5)
{
    TestEnv *e = env;

    e->r[4] = a4;
    e->r[5] = a5;           /* unused: 0 */
    return a0 + a1 + a2 + a3;
}

static const LoomIRHelper six_helper = { .fn = helper_six, .name = "six" };
static const LoomIRHelper five_helper = { .fn = helper_five, .name = "five" };

void harness_test_call6(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    const LoomBackendOps *bes[2] = { harness_ref, harness_be };

    for (int k = 0; k < 2; k++) {
        LoomIRContext *s = harness_begin();
        LoomIRTemp av[6], t = loom_ir_temp_new_i64(s);

        /* constants, a global, a tb temp, an ebb temp */
        av[0] = loom_ir_const_i64(s, 0x1000000000000001ull);
        av[1] = g[6];
        av[2] = loom_ir_const_i64(s, 0x300);
        av[3] = loom_ir_temp_tb_i64(s);
        loom_ir_gen_movi_i64(s, av[3], 0x4000);
        av[4] = t;
        loom_ir_gen_movi_i64(s, t, 0x50000);
        av[5] = g[7];
        loom_ir_gen_call(s, &six_helper, g[0], 6, av);
        loom_ir_gen_call(s, &five_helper, g[6], 5, av);
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
        memset(env->r, 0, sizeof(env->r));
        env->r[5] = 0x77;
        env->r[6] = 0x20;
        env->r[7] = 0x6000000;
        g_assert_cmpint(harness_run_on(bes[k], cpu, s), ==, LOOM_IR_EXIT_PLAIN);
        g_assert_cmphex(env->r[0], ==, 0x1000000000000001ull + 2 * 0x20 + 3 * 0x300 + 5 * 0x4000 +
                                       7 * 0x50000 + 11 * 0x6000000ull);
        g_assert_cmphex(env->r[1], ==, 0x50000);
        g_assert_cmphex(env->r[2], ==, 0x6000000);
        g_assert_cmphex(env->r[3], ==, 0x1000000000000001ull ^ 0x20 ^ 0x300 ^ 0x4000);
        g_assert_cmphex(env->r[4], ==, 0x50000);
        g_assert_cmphex(env->r[5], ==, 0);
        g_assert_cmphex(env->r[6], ==, 0x1000000000000001ull + 0x20 + 0x300 + 0x4000);
        loom_ir_context_free(s);
    }
    harness_cpu_free(cpu);
}
