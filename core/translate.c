/*
 * The data path from guest code to a TB: tb_gen_code (translate, the IR
 * passes, the back-end, publication), the translator loop that runs a
 * front-end's hooks over one TB and enforces the limits the core owns
 * (instruction count, one guest page, IR size), and instruction fetch
 * for front-ends (loom_translator_ld*).
 *
 * The IR passes tb_gen_code runs, in order: the front-end's translate,
 * memorder (barriers and atomic exits, ir-memorder.c; before the
 * optimiser, which merges adjacent barriers), optimize (optimize.c,
 * unless opt=off), legalize (legalize.c: optional ops the back-end lacks)
 * and the back-end's gen_code.  -d op shows the IR after memorder,
 * -d op_opt after legalize.
 *
 * Invariants:
 *  - tb_gen_code runs on the translating vCPU's thread, writes only that
 *    thread's code region (tb.c) and takes no global lock of its own:
 *    page locks inside tb_page_link, tb_lock for the stats.
 *  - A TB is published (tb_page_link) only once fully built; until then
 *    its invalid flag is set, and it is cleared with a release store that
 *    tb_invalid()'s acquire pairs with.
 *  - Instruction fetch may race with another vCPU writing the code: the
 *    bytes are read as relaxed atomics, and tb-page.c discards a TB whose
 *    code was written while it was read.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include "internal.h"
#include "gdbstub.h"
#include "icount.h"

/* cpu->unwind_insn as an offset from env, which LOOM_IR_ENV points to */
#define UNWIND_INSN_OFS ((int32_t)offsetof(LoomCPU, unwind_insn) - (int32_t)offsetof(LoomCPU, env))

/* A gdbstub breakpoint: leave before the insn, with guest state at it. */
static uint64_t helper_debug(void *env, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                             uint64_t a4, uint64_t a5)
{
    LoomCPU *cpu = loom_env_cpu(env);

    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
    cpu->exception_index = LOOM_EXCP_DEBUG;
    loom_cpu_loop_exit_restore(cpu, LOOM_GETPC());
}

static const LoomIRHelper debug_helper = { helper_debug, "debug", 0 };

void loom_translator_loop(const LoomTranslatorOps *ops, LoomDisasBase *db, LoomCPU *cpu,
                          LoomIRContext *ir, LoomTB *tb, int max_insns)
{
    uint64_t page_mask = ~((UINT64_C(1) << tlb_page_bits) - 1);

    db->tb = tb;
    db->ir = ir;
    db->pc_first = tb->pc;
    db->pc_next = tb->pc;
    db->is_jmp = LOOM_DISAS_NEXT;
    db->num_insns = 0;
    db->max_insns = max_insns;
    db->singlestep = (tb->cflags & LOOM_CF_SINGLESTEP) != 0;
    ops->init_disas_context(db, cpu);
    if (ops->tb_start) {
        ops->tb_start(db, cpu);
    }
    for (;;) {
        /* a gdbstub breakpoint (Z0/Z1) at the next insn: the insn starts
           a TB of its own, which leaves with LOOM_EXCP_DEBUG before it
           runs.  That TB covers the insn's first byte, so removing the
           breakpoint (which invalidates that byte) drops it. */
        if (gdbstub_enabled && gdbstub_bp_at(db->pc_next)) {
            if (db->num_insns > 0) {
                db->is_jmp = LOOM_DISAS_TOO_MANY;
                break;
            }
            db->num_insns++;
            ops->insn_start(db, cpu);
            loom_ir_gen_call(ir, &debug_helper, LOOM_IR_NO_RET, 0, NULL);
            loom_ir_gen_exit_tb(ir, LOOM_IR_EXIT_PLAIN);
            db->pc_next++;
            db->is_jmp = LOOM_DISAS_NORETURN;
            break;
        }
        db->num_insns++;
        ops->insn_start(db, cpu);
        if (icount_enabled) {
            /* icount: the index of the running instruction, for the clock
               it reads and the part of the TB a trap leaves retired
               (icount.c); the interpreter keeps it anyway */
            loom_ir_gen_sth_i64(ir, loom_ir_const_i64(ir, (uint64_t)(db->num_insns - 1)), LOOM_IR_ENV,
                           UNWIND_INSN_OFS, LOOM_MEM_32);
        }
        ops->translate_insn(db, cpu);
        loom_ir_release_ebb_temps(ir);
        if (db->is_jmp != LOOM_DISAS_NEXT) {
            break;
        }
        if (db->num_insns >= db->max_insns || db->singlestep || loom_ir_nearly_full(ir) ||
            (db->pc_next & page_mask) != (db->pc_first & page_mask)) {
            db->is_jmp = LOOM_DISAS_TOO_MANY;
            break;
        }
    }
    ops->tb_stop(db, cpu);
    tb->size = (uint32_t)(db->pc_next - db->pc_first);
}

/* ---- instruction fetch ---- */

static uint64_t translator_ld(LoomCPU *cpu, uint64_t pc, unsigned size)
{
    int mmu_idx = cpu->machine->fe->mmu_index(cpu, true);
    uint64_t v = 0;

    for (unsigned i = 0; i < size; ) {
        /* up to the end of the page in one go */
        unsigned n = MIN(size - i, (unsigned)((UINT64_C(1) << tlb_page_bits) -
                                              ((pc + i) & ((UINT64_C(1) << tlb_page_bits) - 1))));
        const uint8_t *p = tlb_code_ptr(cpu, pc + i, mmu_idx, 0);

        /* relaxed atomic bytes: another vCPU may be writing this code
           now; tb-page.c then discards what we read, but the read itself
           must be race-free */
        for (unsigned j = 0; j < n; j++) {
            v |= (uint64_t)__atomic_load_n(p + j, __ATOMIC_RELAXED) << (8 * (i + j));
        }
        i += n;
    }
    return v;
}

uint16_t loom_translator_lduw(LoomCPU *cpu, LoomDisasBase *db, uint64_t pc)
{
    (void)db;
    return (uint16_t)translator_ld(cpu, pc, 2);
}

uint32_t loom_translator_ldl(LoomCPU *cpu, LoomDisasBase *db, uint64_t pc)
{
    (void)db;
    return (uint32_t)translator_ld(cpu, pc, 4);
}

/* ---- tb_gen_code ---- */

/* The memorder pass's settings for a TB of cpu with cflags. */
static void memorder_settings(LoomCPU *cpu, LoomIRContext *ir, uint32_t cflags)
{
    /* the barriers this vCPU's guest memory order needs (cpus.c) */
    loom_ir_set_mb_insert(ir, cpu->priv->mb_insert);
    /* atomics that must run alone (docs/design.md, "Atomics"): all of
       them with atomics=exclusive, those wider than the back-end does
       atomically when other vCPUs run; none in an exclusive section */
    if (cflags & LOOM_CF_EXCLUSIVE) {
        loom_ir_set_atomic_exit(ir, LOOM_IR_ATOMIC_EXIT_NONE);
    } else if (atomics_exclusive) {
        loom_ir_set_atomic_exit(ir, 0);
    } else if (cflags & LOOM_CF_PARALLEL) {
        loom_ir_set_atomic_exit(ir, cpu->machine->be->max_atomic_bits);
    }
}

/* -d in_asm: each guest insn of the TB as address and encoding (the
   bytes between consecutive insn starts); -d out_asm: what the back-end
   made of it. */
static void log_tb(LoomCPU *cpu, LoomTB *tb)
{
    if (!log_pc_wanted(tb->pc)) {
        return;
    }
    if (loom_log_enabled(LOOM_LOG_IN_ASM)) {
        int mmu_idx = cpu->machine->fe->mmu_index(cpu, true);
        GString *s = g_string_new(NULL);

        g_string_append_printf(s, "IN: cpu%u pc=0x%" PRIx64 " phys=0x%" PRIx64 " insns=%u\n",
                               cpu->cpu_index, tb->pc, tb->phys_pc, tb->icount);
        for (uint32_t i = 0; i < tb->nb_insn_data; i++) {
            unsigned words = cpu->machine->fe->insn_start_words;
            uint64_t pc = tb->insn_data[i * words];
            uint64_t next = i + 1 < tb->nb_insn_data ? tb->insn_data[(i + 1) * words]
                                                     : tb->pc + tb->size;
            g_string_append_printf(s, "0x%016" PRIx64 ":  ", pc);
            /* already fetched once to translate: the TLB maps it */
            for (uint64_t a = next; a > pc && a - pc <= 8; ) {
                a--;
                g_string_append_printf(s, "%02x", *tlb_code_ptr(cpu, a, mmu_idx, 0));
            }
            g_string_append_c(s, '\n');
        }
        loom_log("%s", s->str);
        g_string_free(s, TRUE);
    }
    if (loom_log_enabled(LOOM_LOG_OUT_ASM)) {
        loom_log("OUT: cpu%u pc=0x%" PRIx64 ": back-end %s, %u bytes at %p\n",
                 cpu->cpu_index, tb->pc, cpu->machine->backend_plugin->desc->name,
                 tb->code_size, tb->code);
    }
}


LoomTB *tb_gen_code(LoomCPU *cpu, uint64_t pc, uint64_t flags, uint64_t flags2, uint32_t cflags)
{
    LoomMachine *m = cpu->machine;
    CodeRegion *r = cpu->priv->region;
    LoomIRContext *ir = cpu->priv->ir;
    int mmu_idx = m->fe->mmu_index(cpu, true);
    uint64_t phys = tlb_code_phys(cpu, pc, mmu_idx, 0);
    uint8_t *saved, *code;
    size_t avail;
    LoomTB *tb, *existing;
    long used;
    int max_insns = cflags & LOOM_CF_COUNT_MASK;
    uint64_t snapshot;
    unsigned words = m->fe->insn_start_words;

    /* no write may reach the page on the fast path once we read it;
       then note the time (tb-page.c) */
    tb_page_protect(cpu, phys);
    snapshot = tb_page_snapshot();
retry:
    saved = tb_region_free(r, &avail);
    tb = tb_region_alloc(r, sizeof(TBCore), 64);
    if (!tb) {
        goto full;
    }
    memset(tb, 0, sizeof(TBCore));
    tb_links(tb)->nb_pages = 1;
    tb->pc = pc;
    tb->phys_pc = phys;
    tb->flags = flags;
    tb->flags2 = flags2;
    tb->cflags = cflags;

    loom_ir_context_reset(ir);
    loom_ir_set_source(ir, m->frontend_plugin ? m->frontend_plugin->file : "front-end", m->fe, m->be);
    memorder_settings(cpu, ir, cflags);
    /* the IR passes, in this order (docs/design.md, "IR passes"):
       translate -> memorder -> optimize -> legalize -> gen_code */
    m->fe->translate(cpu, ir, tb, max_insns ? max_insns : 512);
    /* barriers and atomic exits first: the optimiser merges the barriers */
    loom_ir_pass_memorder(ir);
    if (loom_log_enabled(LOOM_LOG_OP) && log_pc_wanted(pc)) {
        char *title = g_strdup_printf("OP: cpu%u pc=0x%" PRIx64 " flags=0x%" PRIx64
                                      " flags2=0x%" PRIx64, cpu->cpu_index, pc, flags, flags2);
        loom_ir_dump(ir, title);
        g_free(title);
    }
    if (loom_ir_opt_enabled) {
        loom_ir_optimize(ir);
    }
    /* the optional ops the back-end lacks become ops it has */
    loom_ir_legalize(ir, m->be);
    if (loom_log_enabled(LOOM_LOG_OP_OPT) && log_pc_wanted(pc)) {
        char *title = g_strdup_printf("OP after optimization: cpu%u pc=0x%" PRIx64 " flags=0x%"
                                      PRIx64 " flags2=0x%" PRIx64 "%s", cpu->cpu_index, pc, flags,
                                      flags2, loom_ir_opt_enabled ? "" : " (opt=off)");
        loom_ir_dump(ir, title);
        g_free(title);
    }

    /* insn_start data, for restoring state on a fault: the front-end's
       insn_start_words per insn (loom_ir_emit checked each op has them) */
    tb->nb_insn_data = 0;
    tb->insn_data = tb_region_alloc(r, ir->nb_insns * words * sizeof(uint64_t) + 8, 8);
    if (!tb->insn_data) {
        goto full;
    }
    for (uint32_t i = 0; i < ir->nb_ops; i++) {
        if (ir->ops[i].opc == LOOM_IR_OP_insn_start) {
            memcpy(&tb->insn_data[tb->nb_insn_data * words], ir->ops[i].args,
                   words * sizeof(uint64_t));
            tb->nb_insn_data++;
        }
    }
    tb->icount = tb->nb_insn_data;

    /* the back-end logs out_asm itself: mute it for a filtered-out TB */
    log_mute(!log_pc_wanted(pc));
    code = tb_region_free(r, &avail);
    used = m->be->gen_code(tb, ir, code, avail);
    log_mute(false);
    if (used < -1) {
        /* not a full buffer: a flush and retry would meet it again */
        loom_fatal("plugin %s cannot translate the TB at pc 0x%" PRIx64 " that plugin %s "
                   "built: fix one of the plugins (see -d op_opt)",
                   m->backend_plugin->file, pc, m->frontend_plugin->file);
    }
    if (used < 0) {
        goto full;
    }
    tb_region_commit(r, (size_t)used);
    cpu->priv->stats.translations++;
    log_tb(cpu, tb);

    /* every insn starts on the first page; the last may reach into the
       following ones, as many as the front-end's max_insn_bytes allows */
    if (tb->size) {
        uint64_t page = UINT64_C(1) << tlb_page_bits;
        unsigned n = (unsigned)(((pc + tb->size - 1) >> tlb_page_bits) - (pc >> tlb_page_bits)) + 1;

        if (n > m->tb_max_pages) {
            loom_fatal("front-end %s translated a block at 0x%" PRIx64 " of %u bytes, which "
                       "covers %u pages: more than its max_insn_bytes (%u) allows: fix the "
                       "front-end", m->frontend_plugin->desc->name, pc, tb->size, n,
                       m->fe->max_insn_bytes);
        }
        for (unsigned i = 1; i < n; i++) {
            /* mapped now (the front-end fetched from it, or the fetch
               faults here, which is the guest's fault at that insn) */
            uint64_t p = tlb_code_phys(cpu, (pc & ~(page - 1)) + i * page, mmu_idx, 0) &
                         ~(page - 1);
            tb_links(tb)->page_phys[i - 1] = p;
            /* fetched before this: tb_page_link sees it unprotected then */
            tb_page_protect(cpu, p);
        }
        tb_links(tb)->nb_pages = n;
    }
    /* release, paired with tb_invalid()'s acquire: a vCPU that reaches
       this TB without the table (through a jump patched into another
       TB's code) sees every field above once it has checked the flag */
    __atomic_store_n(&tb_links(tb)->invalid, false, __ATOMIC_RELEASE);
    existing = tb_page_link(tb, snapshot, tb_publish);
    tb_table_grow();                    /* no page lock held any more */
    if (!existing) {
        /* its code was written while we read it: run it this once, in
           nobody's table, cache or chain; next time translates again */
        __atomic_store_n(&tb_links(tb)->invalid, true, __ATOMIC_RELEASE);
        return tb;
    }
    if (existing != tb) {
        /* another vCPU translated the same block first: use theirs */
        tb_region_rewind(r, saved);
        tb = existing;
    } else {
        tb_stats_translated((uint64_t)used, tb->icount);
    }
    tb_jmp_cache_set(cpu, tb);
    return tb;

full:
    tb_region_rewind(r, saved);
    /* the chunk is full (or there is none yet): translate again in a
       fresh one */
    if (tb_region_next(r, saved)) {
        goto retry;
    }
    /* no chunk left: flush everything as safe work, then come back to
       the loop, which retries */
    loom_tb_flush(cpu);
    cpu->exception_index = LOOM_EXCP_INTERRUPT;
    loom_cpu_loop_exit(cpu);
}
