/*
 * The x86_64 JIT back-end, driven with hand-built IR and checked against
 * exact values: every op's corner cases (shift counts >= width, division
 * by zero and MIN/-1, clz/ctz of 0, i32 results kept zero-extended) and
 * atomics under contention, as ir-harness.c has them for every back-end;
 * every condition, host and guest memory, the inline TLB, faults and
 * unwinding, register pressure, helper calls, exits and chained jumps.
 * Each value case also runs on the interpreter, the reference, which must
 * agree.
 */
#include "config.h"
#include <string.h>
#include "ir-harness.h"

/* the back-ends: harness_be and harness_ref, by name */
static const LoomBackendOps *jit, *interp;

#define MMIO_BASE 0x40000u
#define MMIO_SIZE 0x1000u

/* ---- conditions ---- */

static bool cond_holds(LoomIRCond c, uint64_t a, uint64_t b, bool is64)
{
    int64_t sa = is64 ? (int64_t)a : (int32_t)a, sb = is64 ? (int64_t)b : (int32_t)b;
    uint64_t ua = is64 ? a : (uint32_t)a, ub = is64 ? b : (uint32_t)b;

    switch (c) {
    case LOOM_IR_COND_NEVER: return false;
    case LOOM_IR_COND_ALWAYS: return true;
    case LOOM_IR_COND_EQ: return ua == ub;
    case LOOM_IR_COND_NE: return ua != ub;
    case LOOM_IR_COND_LT: return sa < sb;
    case LOOM_IR_COND_GE: return sa >= sb;
    case LOOM_IR_COND_LE: return sa <= sb;
    case LOOM_IR_COND_GT: return sa > sb;
    case LOOM_IR_COND_LTU: return ua < ub;
    case LOOM_IR_COND_GEU: return ua >= ub;
    case LOOM_IR_COND_LEU: return ua <= ub;
    default: return ua > ub;
    }
}

/* setcond, movcond and brcond, every condition, both widths */
static void test_conditions(void)
{
    static const uint64_t vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
                                     MIN64, M64, 0x100000000ull };
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);

    for (int w = 0; w < 2; w++) {
        LoomIRType ty = w ? LOOM_IR_I64 : LOOM_IR_I32;
        for (LoomIRCond c = LOOM_IR_COND_NEVER; c <= LOOM_IR_COND_GTU; c++) {
            for (size_t i = 0; i < G_N_ELEMENTS(vals); i++) {
                for (size_t j = 0; j < G_N_ELEMENTS(vals); j++) {
                    uint64_t a = w ? vals[i] : (uint32_t)vals[i];
                    uint64_t b = w ? vals[j] : (uint32_t)vals[j];
                    bool want = cond_holds(c, a, b, w);
                    LoomIRContext *s = harness_begin();
                    LoomIRTemp ta = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_TB), tb = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_TB);
                    LoomIRTemp d = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_TB), m = loom_ir_temp_new(s, ty, LOOM_IR_TEMP_TB);
                    LoomIRLabel taken = loom_ir_label_new(s);

                    loom_ir_op2(s, w ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32, ta, loom_ir_const(s, ty, a));
                    loom_ir_op2(s, w ? LOOM_IR_OP_mov_i64 : LOOM_IR_OP_mov_i32, tb, loom_ir_const(s, ty, b));
                    loom_ir_op4(s, w ? LOOM_IR_OP_setcond_i64 : LOOM_IR_OP_setcond_i32, d, ta, tb, c);
                    loom_ir_op6(s, w ? LOOM_IR_OP_movcond_i64 : LOOM_IR_OP_movcond_i32, m, ta, tb,
                           loom_ir_const(s, ty, 0xaaaaaaaa), loom_ir_const(s, ty, 0xbbbbbbbb), c);
                    loom_ir_gen_mov_i64(s, g[0], d);
                    loom_ir_gen_mov_i64(s, g[1], m);
                    loom_ir_gen_movi_i64(s, g[2], 0);
                    loom_ir_op4(s, w ? LOOM_IR_OP_brcond_i64 : LOOM_IR_OP_brcond_i32, ta, tb, c, taken);
                    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
                    loom_ir_gen_set_label(s, taken);
                    loom_ir_gen_movi_i64(s, g[2], 1);
                    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT1);
                    g_assert_cmpint(harness_run_both(cpu, s), ==, want ? LOOM_IR_EXIT_SLOT1 : LOOM_IR_EXIT_PLAIN);
                    g_assert_cmphex(env->r[0], ==, want);
                    g_assert_cmphex(env->r[1], ==, want ? 0xaaaaaaaa : 0xbbbbbbbb);
                    g_assert_cmphex(env->r[2], ==, want);
                    loom_ir_context_free(s);
                }
            }
        }
    }
    harness_cpu_free(cpu);
}

/* ldh/sth on env and on another pointer, every size */
static void test_host_memory(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    uint64_t cell[2] = { 0, 0 };
    LoomIRContext *s = harness_begin();
    LoomIRTemp p = loom_ir_const_i64(s, (uint64_t)(uintptr_t)cell);

    env->r[0] = 0x80818283f4f5f6f7ull;
    loom_ir_gen_ldh_i64(s, g[1], LOOM_IR_ENV, 0, LOOM_MEM_SB);
    loom_ir_gen_ldh_i64(s, g[2], LOOM_IR_ENV, 0, LOOM_MEM_UW);
    loom_ir_gen_ldh_i64(s, g[3], LOOM_IR_ENV, 0, LOOM_MEM_SL);
    loom_ir_gen_ldh_i64(s, g[4], LOOM_IR_ENV, 4, LOOM_MEM_UL);
    loom_ir_gen_ldh_i64(s, g[5], LOOM_IR_ENV, 0, LOOM_MEM_SW);
    loom_ir_gen_sth_i64(s, g[0], p, 0, LOOM_MEM_UQ);
    loom_ir_gen_sth_i64(s, g[0], p, 8, LOOM_MEM_8);
    loom_ir_gen_sth_i64(s, g[0], p, 9, LOOM_MEM_16);
    loom_ir_gen_sth_i64(s, g[0], p, 11, LOOM_MEM_32);
    loom_ir_gen_ldh_i64(s, g[6], p, 8, LOOM_MEM_UQ);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    harness_run_both(cpu, s);
    g_assert_cmphex(env->r[1], ==, 0xfffffffffffffff7ull);
    g_assert_cmphex(env->r[2], ==, 0xf6f7);
    g_assert_cmphex(env->r[3], ==, 0xfffffffff4f5f6f7ull);
    g_assert_cmphex(env->r[4], ==, 0x80818283);
    g_assert_cmphex(env->r[5], ==, 0xfffffffffffff6f7ull);
    g_assert_cmphex(cell[0], ==, 0x80818283f4f5f6f7ull);
    g_assert_cmphex(env->r[6], ==, 0x00f4f5f6f7f6f7f7ull);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* ---- guest memory, faults and unwinding ---- */

static void test_guest_memory(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp a = loom_ir_const_i64(s, RAM_BASE + 0x100);
    LoomIRTemp d32 = loom_ir_temp_new_i32(s);

    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x8081828384858687ull), a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], a, LOOM_MEM_SB, 0);
    loom_ir_gen_qemu_ld_i64(s, g[1], a, LOOM_MEM_UW | LOOM_MEM_BE, 0);
    loom_ir_gen_qemu_ld_i64(s, g[2], a, LOOM_MEM_SL, 0);
    loom_ir_gen_qemu_ld_i32(s, d32, a, LOOM_MEM_SL, 0);    /* i32: zero-extended */
    loom_ir_gen_mov_i64(s, g[3], d32);
    loom_ir_gen_qemu_st_i32(s, loom_ir_const_i32(s, 0xa1a2a3a4), a, LOOM_MEM_UW, 0);
    loom_ir_gen_qemu_ld_i64(s, g[4], a, LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    g_assert_cmpint(harness_run_both(cpu, s), ==, LOOM_IR_EXIT_PLAIN);
    g_assert_cmphex(env->r[0], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(env->r[1], ==, 0x8786);
    g_assert_cmphex(env->r[2], ==, 0xffffffff84858687ull);
    g_assert_cmphex(env->r[3], ==, 0x84858687);
    g_assert_cmphex(env->r[4], ==, 0x808182838485a3a4ull);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* A fault in the third guest insn unwinds to that insn; globals written
   before the fault are in env. */
static void test_fault_unwind(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s;

    for (int kind = 1; kind <= 2; kind++) {
        s = loom_ir_context_new();
        loom_ir_gen_insn_start(s, 0, 0);
        loom_ir_gen_movi_i64(s, g[0], 11);
        loom_ir_gen_insn_start(s, 1, 0);
        loom_ir_gen_movi_i64(s, g[1], 22);
        loom_ir_gen_insn_start(s, 2, 0);
        if (kind == 1) {
            loom_ir_gen_qemu_ld_i64(s, g[2], loom_ir_const_i64(s, RAM_BASE + 0x101), LOOM_MEM_UL | LOOM_MEM_ALIGN, 0);
        } else {
            loom_ir_gen_qemu_st_i64(s, g[0], loom_ir_const_i64(s, 0x4000000), LOOM_MEM_UQ, 0);
        }
        loom_ir_gen_insn_start(s, 3, 0);
        loom_ir_gen_movi_i64(s, g[3], 33);
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
        for (int b = 0; b < 2; b++) {
            memset(env, 0, sizeof(*env));
            env->unwound_insn = -1;
            g_assert_cmpint(harness_run_on(b ? jit : interp, cpu, s), ==, -1);
            g_assert_cmpint(env->fault_kind, ==, kind);
            g_assert_cmphex(env->fault_addr, ==, kind == 1 ? RAM_BASE + 0x101 : 0x4000000);
            g_assert_cmpint(env->unwound_insn, ==, 2);
            g_assert_cmpuint(env->r[0], ==, 11);
            g_assert_cmpuint(env->r[1], ==, 22);
            g_assert_cmpuint(env->r[3], ==, 0);
        }
        loom_ir_context_free(s);
    }
    harness_cpu_free(cpu);
}

/* ---- the inline TLB fast path ---- */

/* Every size and extension through a TLB hit; after the first run the
   TB never calls tlb_fill again. */
static void test_tlb_hit(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp a = loom_ir_const_i64(s, RAM_BASE + 0x400), d32 = loom_ir_temp_new_i32(s);

    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x8081828384858687ull), a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], a, LOOM_MEM_UB, 0);
    loom_ir_gen_qemu_ld_i64(s, g[1], a, LOOM_MEM_SB, 0);
    loom_ir_gen_qemu_ld_i64(s, g[2], a, LOOM_MEM_SW, 0);
    loom_ir_gen_qemu_ld_i64(s, g[3], a, LOOM_MEM_UL, 0);
    loom_ir_gen_qemu_ld_i32(s, d32, a, LOOM_MEM_SL, 0);
    loom_ir_gen_mov_i64(s, g[4], d32);
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x1234), loom_ir_const_i64(s, RAM_BASE + 0x406), LOOM_MEM_UB, 0);
    loom_ir_gen_qemu_st_i32(s, loom_ir_const_i32(s, 0xfedc), loom_ir_const_i64(s, RAM_BASE + 0x400), LOOM_MEM_UW, 0);
    loom_ir_gen_qemu_ld_i64(s, g[5], a, LOOM_MEM_UQ | LOOM_MEM_ALIGN, 0);
    loom_ir_gen_qemu_ld_i64(s, g[6], loom_ir_const_i64(s, RAM_BASE + 0x404), LOOM_MEM_SL | LOOM_MEM_ALIGN, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    harness_run_both(cpu, s);
    g_assert_cmphex(env->r[0], ==, 0x87);
    g_assert_cmphex(env->r[1], ==, 0xffffffffffffff87ull);
    g_assert_cmphex(env->r[2], ==, 0xffffffffffff8687ull);
    g_assert_cmphex(env->r[3], ==, 0x84858687);
    g_assert_cmphex(env->r[4], ==, 0x84858687);
    g_assert_cmphex(env->r[5], ==, 0x803482838485fedcull);
    g_assert_cmphex(env->r[6], ==, 0xffffffff80348283ull);
    env->fills = 0;
    harness_run(cpu, s);
    g_assert_cmpuint(env->fills, ==, 0);
    g_assert_cmphex(env->r[5], ==, 0x803482838485fedcull);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* Two virtual pages with the same TLB index evict each other: each
   access misses, refills and still reads what the other one wrote. */
static void test_tlb_miss(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp v1 = loom_ir_const_i64(s, RAM_BASE + 0x500), v2 = loom_ir_const_i64(s, RAM_BASE + 0x500 + ALIAS_MASK + 1);

    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x1111222233334444ull), v1, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], v2, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[1], v1, LOOM_MEM_UL, 0);
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x5555), v2, LOOM_MEM_UW, 0);
    loom_ir_gen_qemu_ld_i64(s, g[2], v1, LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    for (int b = 0; b < 2; b++) {
        tlb_init(cpu);
        env->fills = 0;
        harness_run_on(b ? jit : interp, cpu, s);
        g_assert_cmpuint(env->fills, ==, 5);
        g_assert_cmphex(env->r[0], ==, 0x1111222233334444ull);
        g_assert_cmphex(env->r[1], ==, 0x33334444);
        g_assert_cmphex(env->r[2], ==, 0x1111222233335555ull);
    }
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* The fast path finds v's entry where the descriptor says, with the
   mask and table place the core fixes for the run (loom_tlb_fast_fixed,
   baked into the JIT's code): with every other entry of the table forged
   to map v to the next RAM page, v still reads its own page (a wrong
   index would hit a forgery); then its own entry, rewritten the same
   way, is used at once, without a fill. */
static void test_tlb_fixed(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    const uint64_t v = RAM_BASE + 0x500 + ALIAS_MASK + 1;

    loom_ir_gen_qemu_ld_i64(s, g[0], loom_ir_const_i64(s, v), LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    for (int b = 0; b < 2; b++) {
        LoomTLBEntry *e;
        uint8_t *host;

        loom_tlb_flush(cpu);
        env->fills = 0;
        harness_run_on(b ? jit : interp, cpu, s);
        g_assert_cmpuint(env->fills, ==, 1);
        e = loom_tlb_entry(cpu, 0, v, 12);
        g_assert_cmphex(e->addr_read, ==, v & ~UINT64_C(0xfff));
        host = (uint8_t *)(uintptr_t)(v + e->addend);
        memcpy(host, &(uint64_t){ 0x1111222233334444ull }, 8);
        memcpy(host + 0x1000, &(uint64_t){ 0x5555666677778888ull }, 8);
        for (unsigned i = 0; i < 1u << TLB_BITS; i++) {
            LoomTLBEntry *f = &cpu->tlb_fast[0].table[i];

            if (f != e) {
                *f = *e;
                f->addend += 0x1000;
            }
        }
        env->fills = 0;
        harness_run_on(b ? jit : interp, cpu, s);
        g_assert_cmpuint(env->fills, ==, 0);
        g_assert_cmphex(env->r[0], ==, 0x1111222233334444ull);
        e->addend += 0x1000;
        harness_run_on(b ? jit : interp, cpu, s);
        g_assert_cmpuint(env->fills, ==, 0);
        g_assert_cmphex(env->r[0], ==, 0x5555666677778888ull);
    }
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* A page mapped for one access at a time: every access refills. */
static void test_tlb_fill_each(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp a = loom_ir_const_i64(s, EACH_BASE + RAM_BASE + 0x600);

    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 77), a, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], a, LOOM_MEM_UQ, 0);
    loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_fetch_add_i64, g[1], a, loom_ir_const_i64(s, 3), LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[2], a, LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    for (int i = 0; i < 2; i++) {
        env->fills = 0;
        harness_run(cpu, s);
        g_assert_cmpuint(env->fills, ==, 4);
        g_assert_cmpuint(env->r[0], ==, 77);
        g_assert_cmpuint(env->r[1], ==, 77);
        g_assert_cmpuint(env->r[2], ==, 80);
    }
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* A device register file: reads return a pattern of the offset, writes
   are logged. */
static struct {
    unsigned reads, writes;
    uint64_t last_ofs, last_val;
    unsigned last_size;
} mmio_log;

static uint64_t t_mmio_read(void *opaque, uint64_t ofs, unsigned size, LoomMemAttrs attrs)
{
    mmio_log.reads++;
    mmio_log.last_ofs = ofs;
    mmio_log.last_size = size;
    return 0xf0e0d0c0b0a09080ull + ofs;
}

static void t_mmio_write(void *opaque, uint64_t ofs, uint64_t val, unsigned size,
                         LoomMemAttrs attrs)
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
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp d32 = loom_ir_temp_new_i32(s);

    loom_ir_gen_qemu_ld_i64(s, g[0], loom_ir_const_i64(s, MMIO_BASE + 0x10), LOOM_MEM_SL, 0);
    loom_ir_gen_qemu_ld_i32(s, d32, loom_ir_const_i64(s, MMIO_BASE + 0x10), LOOM_MEM_SL, 0);
    loom_ir_gen_mov_i64(s, g[2], d32);       /* an i32 result is zero-extended */
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0xabcd), loom_ir_const_i64(s, MMIO_BASE + 0x20), LOOM_MEM_UW, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    for (int i = 0; i < 2; i++) {
        memset(&mmio_log, 0, sizeof(mmio_log));
        env->fills = 0;
        harness_run(cpu, s);
        g_assert_cmpuint(env->fills, ==, i ? 0 : 1);
        g_assert_cmphex(env->r[0], ==, 0xffffffffb0a09090ull);
        g_assert_cmphex(env->r[2], ==, 0xb0a09090ull);
        g_assert_cmpuint(mmio_log.reads, ==, 2);
        g_assert_cmpuint(mmio_log.writes, ==, 1);
        g_assert_cmphex(mmio_log.last_ofs, ==, 0x20);
        g_assert_cmphex(mmio_log.last_val, ==, 0xabcd);
        g_assert_cmpuint(mmio_log.last_size, ==, 2);
    }
    loom_ir_context_free(s);
    s = harness_begin();
    loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_fetch_or_i64, g[1], loom_ir_const_i64(s, MMIO_BASE + 0x8),
                      loom_ir_const_i64(s, 1), LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    memset(&mmio_log, 0, sizeof(mmio_log));
    harness_run(cpu, s);
    g_assert_cmphex(env->r[1], ==, 0xf0e0d0c0b0a09088ull);
    g_assert_cmpuint(mmio_log.reads, ==, 1);
    g_assert_cmphex(mmio_log.last_val, ==, 0xf0e0d0c0b0a09089ull);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* Misaligned accesses (allowed without LOOM_MEM_ALIGN) inside a page and
   across a page boundary take the slow path and give exact values. */
static void test_tlb_misaligned(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0xff8, 16);
    LoomIRContext *s = harness_begin();
    LoomIRTemp cross = loom_ir_const_i64(s, RAM_BASE + 0xffc);

    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x0102030405060708ull), cross, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[0], cross, LOOM_MEM_UQ, 0);
    loom_ir_gen_qemu_ld_i64(s, g[1], loom_ir_const_i64(s, RAM_BASE + 0xffe), LOOM_MEM_SL, 0);
    loom_ir_gen_qemu_ld_i64(s, g[2], loom_ir_const_i64(s, RAM_BASE + 0xfff), LOOM_MEM_UW, 0);
    loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0xa1a2a3a4), loom_ir_const_i64(s, RAM_BASE + 0xff9), LOOM_MEM_UL, 0);
    loom_ir_gen_qemu_ld_i64(s, g[3], loom_ir_const_i64(s, RAM_BASE + 0xff8), LOOM_MEM_UQ, 0);
    loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_fetch_add_i64, g[4], loom_ir_const_i64(s, RAM_BASE + 0x1000),
                      loom_ir_const_i64(s, 0x100), LOOM_MEM_UQ, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    memset(ram, 0, 16);
    harness_run_both(cpu, s);
    g_assert_cmphex(env->r[0], ==, 0x0102030405060708ull);
    g_assert_cmphex(env->r[1], ==, 0x03040506);
    g_assert_cmphex(env->r[2], ==, 0x0405);
    g_assert_cmphex(env->r[3], ==, 0x050607a1a2a3a400ull);
    g_assert_cmphex(env->r[4], ==, 0x01020304);
    g_assert_cmphex(ram[8], ==, 0x04);
    g_assert_cmphex(ram[9], ==, 0x04);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* A fault raised inside the slow path of an inline access (page fault
   from tlb_fill, misaligned atomic) unwinds to exactly that insn, after
   earlier insns' accesses and globals took effect. */
static void test_tlb_fault_unwind(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    uint8_t *ram = as_ram_ptr(&mach.as, RAM_BASE + 0x700, 8);

    for (int kind = 0; kind < 4; kind++) {
        LoomIRContext *s = loom_ir_context_new();
        LoomIRTemp bad = loom_ir_const_i64(s, FAULT_BASE + 0x10);

        loom_ir_gen_insn_start(s, 0, 0);
        loom_ir_gen_movi_i64(s, g[0], 11);
        loom_ir_gen_insn_start(s, 1, 0);
        loom_ir_gen_qemu_st_i64(s, loom_ir_const_i64(s, 0x99), loom_ir_const_i64(s, RAM_BASE + 0x700), LOOM_MEM_UQ, 0);
        loom_ir_gen_qemu_ld_i64(s, g[1], loom_ir_const_i64(s, RAM_BASE + 0x700), LOOM_MEM_UQ, 0);
        loom_ir_gen_insn_start(s, 2, 0);
        loom_ir_gen_addi_i64(s, g[2], g[1], 1);
        switch (kind) {
        case 0: loom_ir_gen_qemu_ld_i64(s, g[3], bad, LOOM_MEM_UQ, 0); break;
        case 1: loom_ir_gen_qemu_st_i64(s, g[2], bad, LOOM_MEM_UL, 0); break;
        case 2:
            loom_ir_gen_atomic_rmw(s, LOOM_IR_OP_atomic_fetch_add_i64, g[3], bad, g[2], LOOM_MEM_UQ, 0);
            break;
        default:
            loom_ir_gen_atomic_cmpxchg_i64(s, g[3], loom_ir_const_i64(s, RAM_BASE + 0x704), g[2], g[2],
                                      LOOM_MEM_UQ, 0);
            break;
        }
        loom_ir_gen_insn_start(s, 3, 0);
        loom_ir_gen_movi_i64(s, g[4], 33);
        loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
        for (int b = 0; b < 2; b++) {
            memset(env, 0, sizeof(*env));
            memset(ram, 0, 8);
            env->unwound_insn = -1;
            env->r[3] = 0x5a;
            g_assert_cmpint(harness_run_on(b ? jit : interp, cpu, s), ==, -1);
            g_assert_cmpint(env->fault_kind, ==, kind == 3 ? 1 : 3);
            g_assert_cmphex(env->fault_addr, ==, kind == 3 ? RAM_BASE + 0x704 : FAULT_BASE + 0x10);
            g_assert_cmpint(env->unwound_insn, ==, 2);
            g_assert_cmpuint(env->r[0], ==, 11);
            g_assert_cmpuint(env->r[1], ==, 0x99);
            g_assert_cmpuint(env->r[3], ==, 0x5a);
            g_assert_cmpuint(env->r[4], ==, 0);
            g_assert_cmpuint(ram[0], ==, 0x99);
        }
        loom_ir_context_free(s);
    }
    harness_cpu_free(cpu);
}

/* ---- register allocation ---- */

/* More live values than the JIT has registers for: 16 tb temps and all
   8 globals stay live across each other's definitions, a label and a
   loop, so values are evicted and reloaded. */
static void test_reg_pressure(void)
{
    enum { N = 16 };
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp t[N], i = loom_ir_temp_tb_i64(s);
    LoomIRLabel top = loom_ir_label_new(s);
    uint64_t want[NG], v[N];

    for (int k = 0; k < NG; k++) {
        env->r[k] = 0x1000u * (k + 1);
    }
    for (int k = 0; k < N; k++) {
        t[k] = loom_ir_temp_tb_i64(s);
        loom_ir_gen_mul_i64(s, t[k], g[k % NG], loom_ir_const_i64(s, k + 3));
        loom_ir_gen_addi_i64(s, g[k % NG], g[k % NG], 1);
    }
    loom_ir_gen_movi_i64(s, i, 0);
    loom_ir_gen_set_label(s, top);
    for (int k = 0; k < N; k++) {
        loom_ir_gen_add_i64(s, t[k], t[k], t[(k + 1) % N]);
    }
    loom_ir_gen_addi_i64(s, i, i, 1);
    loom_ir_gen_brcond_i64(s, LOOM_IR_COND_LTU, i, loom_ir_const_i64(s, 3), top);
    for (int k = 0; k < N; k++) {
        loom_ir_gen_xor_i64(s, g[k % NG], g[k % NG], t[k]);
    }
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);

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
    harness_run_both(cpu, s);
    for (int k = 0; k < NG; k++) {
        g_assert_cmphex(env->r[k], ==, want[k]);
    }
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* helpers with LOOM_IR_CALL_* flags: a reader must see globals modified just
   before, a writer's changes must be seen after */
static uint64_t helper_read_r1(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                               uint64_t a4, uint64_t a5)
{
    return ((TestEnv *)env)->r[1] * 10;
}

static uint64_t helper_write_r2(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                                uint64_t a4, uint64_t a5)
{
    ((TestEnv *)env)->r[2] = a;
    return 0;
}

static uint64_t helper_pure(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                            uint64_t a4, uint64_t a5)
{
    return a + b;
}

static const LoomIRHelper read_r1 = { .fn = helper_read_r1, .name = "read_r1",
                                  .flags = LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE };
static const LoomIRHelper write_r2 = { .fn = helper_write_r2, .name = "write_r2",
                                   .flags = LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_RAISE };
static const LoomIRHelper pure = { .fn = helper_pure, .name = "pure",
                               .flags = LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS |
                                        LOOM_IR_CALL_NO_SIDE_EFFECTS | LOOM_IR_CALL_NO_RAISE };

static void test_reg_helpers(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp args[2];

    env->r[1] = 5;
    env->r[2] = 7;
    loom_ir_gen_addi_i64(s, g[1], g[1], 1);              /* 6, in a register */
    loom_ir_gen_addi_i64(s, g[2], g[2], 1);              /* 8, in a register */
    loom_ir_gen_call(s, &read_r1, g[3], 0, NULL);        /* sees 6: 60 */
    args[0] = loom_ir_const_i64(s, 99);
    loom_ir_gen_call(s, &write_r2, LOOM_IR_NO_RET, 1, args);  /* r2 = 99 */
    loom_ir_gen_addi_i64(s, g[4], g[2], 1);              /* 100 */
    args[0] = g[1];
    args[1] = g[2];
    loom_ir_gen_call(s, &pure, g[5], 2, args);           /* 105 */
    loom_ir_gen_addi_i64(s, g[1], g[1], 1);              /* 7 */
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    harness_run_both(cpu, s);
    g_assert_cmpuint(env->r[1], ==, 7);
    g_assert_cmpuint(env->r[2], ==, 99);
    g_assert_cmpuint(env->r[3], ==, 60);
    g_assert_cmpuint(env->r[4], ==, 100);
    g_assert_cmpuint(env->r[5], ==, 105);
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* A fault after globals were modified in registers, in this insn and
   earlier ones: env holds every modification made before the fault. */
static void test_reg_fault(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = loom_ir_context_new();
    LoomIRTemp t = loom_ir_temp_new_i64(s);

    loom_ir_gen_insn_start(s, 0, 0);
    loom_ir_gen_addi_i64(s, g[0], g[0], 5);
    loom_ir_gen_mul_i64(s, t, g[0], g[0]);
    loom_ir_gen_insn_start(s, 1, 0);
    loom_ir_gen_add_i64(s, g[1], t, g[1]);
    loom_ir_gen_addi_i64(s, g[2], g[2], 2);
    loom_ir_gen_qemu_ld_i64(s, g[2], loom_ir_const_i64(s, FAULT_BASE + 8), LOOM_MEM_UQ, 0);
    loom_ir_gen_insn_start(s, 2, 0);
    loom_ir_gen_movi_i64(s, g[0], 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_PLAIN);
    for (int b = 0; b < 2; b++) {
        memset(env, 0, sizeof(*env));
        env->r[0] = 1;
        env->r[1] = 100;
        env->r[2] = 40;
        g_assert_cmpint(harness_run_on(b ? jit : interp, cpu, s), ==, -1);
        g_assert_cmpint(env->unwound_insn, ==, 1);
        g_assert_cmpuint(env->r[0], ==, 6);
        g_assert_cmpuint(env->r[1], ==, 136);
        g_assert_cmpuint(env->r[2], ==, 42);
    }
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* ---- helper calls and exits ---- */

static uint64_t helper_mix(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                           uint64_t a4, uint64_t a5)
{
    ((TestEnv *)env)->r[7] = ((TestEnv *)env)->r[6] + 1;  /* reads and writes globals */
    return a * 1000 + b * 100 + c * 10 + d;
}

static uint64_t helper_where(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                             uint64_t a4, uint64_t a5)
{
    LoomCPU *cpu = loom_env_cpu(env);
    LoomTB *tb = NULL;
    int insn = -1;

    g_assert_true(cpu->machine->be->unwind(cpu, LOOM_GETPC(), &tb, &insn));
    g_assert_true(tb == cpu->current_tb);
    return (uint64_t)insn;
}

static const LoomIRHelper mix = { .fn = helper_mix, .name = "mix" };
static const LoomIRHelper where = { .fn = helper_where, .name = "where" };

static void test_call_and_exits(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *s = harness_begin();
    LoomIRTemp args[4], r32 = loom_ir_temp_new_i32(s);

    for (int i = 0; i < 4; i++) {
        args[i] = loom_ir_const_i64(s, (uint64_t)i + 1);
    }
    loom_ir_gen_movi_i64(s, g[6], 41);
    loom_ir_gen_call(s, &mix, g[5], 4, args);
    loom_ir_gen_call(s, &mix, r32, 1, args);      /* unused arguments are 0 */
    loom_ir_gen_mov_i64(s, g[4], r32);
    loom_ir_gen_insn_start(s, 1, 0);
    loom_ir_gen_call(s, &where, g[3], 0, NULL);
    /* an unchained goto_tb falls through to its exit */
    loom_ir_gen_goto_tb(s, 0);
    loom_ir_gen_exit_tb(s, LOOM_IR_EXIT_SLOT0);
    g_assert_cmpint(harness_run_both(cpu, s), ==, LOOM_IR_EXIT_SLOT0);
    g_assert_cmpuint(env->r[5], ==, 1234);
    g_assert_cmpuint(env->r[4], ==, 1000);
    g_assert_cmpuint(env->r[7], ==, 42);
    g_assert_cmpuint(env->r[3], ==, 1);
    /* a pending exit request: the TB does not run at all */
    env->r[5] = 0;
    cpu->exit_request = 1;
    g_assert_cmpint(harness_run(cpu, s), ==, LOOM_IR_EXIT_REQUESTED);
    g_assert_cmpuint(env->r[5], ==, 0);
    cpu->exit_request = 0;
    loom_ir_context_free(s);
    harness_cpu_free(cpu);
}

/* Two TBs: A counts and chains through goto_tb slot 0 to B, B counts and
   leaves through slot 1.  Chained, one exec runs both; unchained again,
   only A; an exit request makes A take its own exit. */
static void test_chaining(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *sa = harness_begin(), *sb = harness_begin();
    uint8_t *buf = harness_code_buf();
    LoomTB a = { 0 }, b = { 0 };
    long used;
    uintptr_t ret;

    mach.be = jit;
    loom_ir_gen_addi_i64(sa, g[0], g[0], 1);
    loom_ir_gen_goto_tb(sa, 0);
    loom_ir_gen_movi_i64(sa, g[1], 0xa);         /* A's own exit stores "pc" */
    loom_ir_gen_exit_tb(sa, LOOM_IR_EXIT_SLOT0);
    loom_ir_gen_addi_i64(sb, g[2], g[2], 1);
    loom_ir_gen_exit_tb(sb, LOOM_IR_EXIT_SLOT1);
    used = jit->gen_code(&a, sa, buf, CODE_SIZE);
    g_assert_cmpint(used, >, 0);
    g_assert_cmpint(jit->gen_code(&b, sb, buf + used, CODE_SIZE - (size_t)used), >, 0);

    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | LOOM_IR_EXIT_SLOT0));
    g_assert_cmpuint(env->r[0], ==, 1);
    g_assert_cmpuint(env->r[1], ==, 0xa);

    jit->set_jmp_target(&a, 0, &b);
    memset(env, 0, sizeof(*env));
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&b | LOOM_IR_EXIT_SLOT1));
    g_assert_cmpuint(env->r[0], ==, 1);
    g_assert_cmpuint(env->r[1], ==, 0);     /* the chain skipped A's exit */
    g_assert_cmpuint(env->r[2], ==, 1);

    /* a request pending at entry: nothing runs */
    memset(env, 0, sizeof(*env));
    cpu->exit_request = 1;
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | LOOM_IR_EXIT_REQUESTED));
    g_assert_cmpuint(env->r[0], ==, 0);
    cpu->exit_request = 0;

    jit->set_jmp_target(&a, 0, NULL);
    memset(env, 0, sizeof(*env));
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | LOOM_IR_EXIT_SLOT0));
    g_assert_cmpuint(env->r[2], ==, 0);
    loom_ir_context_free(sa);
    loom_ir_context_free(sb);
    harness_cpu_free(cpu);
}

/* The request arrives during A (from a helper, as a kick from another
   thread would): the goto_tb check sees it and A leaves by its own exit,
   storing its pc. */
static uint64_t helper_kick(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                            uint64_t a4, uint64_t a5)
{
    __atomic_store_n(&loom_env_cpu(env)->exit_request, 1, __ATOMIC_RELEASE);
    return 0;
}

static const LoomIRHelper kick = { .fn = helper_kick, .name = "kick" };

static void test_chain_declined(void)
{
    LoomCPU *cpu = harness_cpu_new();
    TestEnv *env = harness_env(cpu);
    LoomIRContext *sa = harness_begin(), *sb = harness_begin();
    uint8_t *buf = harness_code_buf();
    LoomTB a = { 0 }, b = { 0 };
    long used;
    uintptr_t ret;

    mach.be = jit;
    loom_ir_gen_call(sa, &kick, LOOM_IR_NO_RET, 0, NULL);
    loom_ir_gen_goto_tb(sa, 1);
    loom_ir_gen_movi_i64(sa, g[1], 0xa);
    loom_ir_gen_exit_tb(sa, LOOM_IR_EXIT_SLOT1);
    loom_ir_gen_movi_i64(sb, g[2], 0xb);
    loom_ir_gen_exit_tb(sb, LOOM_IR_EXIT_PLAIN);
    used = jit->gen_code(&a, sa, buf, CODE_SIZE);
    g_assert_cmpint(used, >, 0);
    g_assert_cmpint(jit->gen_code(&b, sb, buf + used, CODE_SIZE - (size_t)used), >, 0);
    jit->set_jmp_target(&a, 1, &b);
    ret = jit->exec_tb(cpu, &a);
    g_assert_true(ret == ((uintptr_t)&a | LOOM_IR_EXIT_SLOT1));
    g_assert_cmpuint(env->r[1], ==, 0xa);
    g_assert_cmpuint(env->r[2], ==, 0);
    loom_ir_context_free(sa);
    loom_ir_context_free(sb);
    harness_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    char *err = NULL;

    g_test_init(&argc, &argv, NULL);
    if (!harness_init("backend-x86_64.so")) {
        return 77;
    }
    jit = harness_be;
    interp = harness_ref;
    g_assert_nonnull(as_add_mmio(&mach.as, "regs", MMIO_BASE, MMIO_SIZE, &t_mmio_ops, NULL,
                                 true, &err));
    g_test_add_func("/x86_64/binary-ops", harness_test_binary_ops);
    g_test_add_func("/x86_64/unary-ops", harness_test_unary_ops);
    g_test_add_func("/x86_64/conditions", test_conditions);
    g_test_add_func("/x86_64/loop", harness_test_loop);
    g_test_add_func("/x86_64/host-memory", test_host_memory);
    g_test_add_func("/x86_64/guest-memory", test_guest_memory);
    g_test_add_func("/x86_64/fault-unwind", test_fault_unwind);
    g_test_add_func("/x86_64/tlb-hit", test_tlb_hit);
    g_test_add_func("/x86_64/tlb-miss", test_tlb_miss);
    g_test_add_func("/x86_64/tlb-fill-each", test_tlb_fill_each);
    g_test_add_func("/x86_64/tlb-fixed", test_tlb_fixed);
    g_test_add_func("/x86_64/tlb-mmio", test_tlb_mmio);
    g_test_add_func("/x86_64/tlb-misaligned", test_tlb_misaligned);
    g_test_add_func("/x86_64/tlb-fault-unwind", test_tlb_fault_unwind);
    g_test_add_func("/x86_64/reg-pressure", test_reg_pressure);
    g_test_add_func("/x86_64/reg-helpers", test_reg_helpers);
    g_test_add_func("/x86_64/reg-fault", test_reg_fault);
    g_test_add_func("/x86_64/atomic-ops", harness_test_atomic_ops);
    g_test_add_func("/x86_64/new-ops", harness_test_new_ops);
    g_test_add_func("/x86_64/cmpxchg128", harness_test_cmpxchg128);
    g_test_add_func("/x86_64/call6", harness_test_call6);
    g_test_add_func("/x86_64/atomic-contention", harness_test_atomic_contention);
    g_test_add_func("/x86_64/call-and-exits", test_call_and_exits);
    g_test_add_func("/x86_64/chaining", test_chaining);
    g_test_add_func("/x86_64/chain-declined", test_chain_declined);
    return g_test_run();
}
