/*
 * riscv64 front-end: the plugin descriptor and the hooks through which the
 * core drives a hart (model, reset, boot, interrupts, faults, state dump).
 *
 * Scope: RV64GC (I, M, A, F, D, C, Zicsr, Zifencei) with Zba, Zbb, Zbs,
 * Zicond, Zihintpause and (ztso=on) Ztso; M/S/U modes (privileged spec 1.12,
 * Sv39/Sv48 and PMP in mmu.c, Sstc); Sdtrig triggers (debug.c).  misa says which extensions and
 * modes a hart has.
 */
#include <elf.h>
#include <string.h>
#include <glib.h>
#include "cpu.h"

/* The models -cpu accepts: name and misa extensions. */
typedef struct RISCVModel {
    const char *name;
    uint64_t misa_ext;
} RISCVModel;

static const RISCVModel riscv_models[] = {
    { "rv64", RVX('I') | RVX('M') | RVX('A') | RVX('F') | RVX('D') | RVX('C') |
              RVX('S') | RVX('U') },
};

/* The misa letters -cpu MODEL,<letter>=on|off may switch, e.g. c=off for
   IALIGN = 32 (jumps to 2-byte aligned targets trap). */
static const char riscv_switchable_exts[] = "csufd";

/* The model properties besides misa: what -cpu MODEL,... sets. */
typedef struct RISCVProps {
    uint64_t misa_ext;
    bool ztso;                  /* ztso=on: Ztso, RVTSO memory order */
    bool lrsc_strict;           /* lrsc=strict: the ABA-free LR/SC scheme,
                                   translate.c "LR/SC schemes" */
    bool misaligned_trap;       /* misaligned=off: misaligned loads and
                                   stores raise address-misaligned */
} RISCVProps;

/* Apply one "name=value" model property to *p. */
static bool riscv_parse_prop(const RISCVModel *m, const char *text, RISCVProps *p,
                             char **err)
{
    g_auto(GStrv) prop = g_strsplit(text, "=", 2);
    const char *v = prop[1];
    char letter = (char)g_ascii_toupper(prop[0][0]);
    bool is_ztso = !strcmp(prop[0], "ztso");
    bool is_misaligned = !strcmp(prop[0], "misaligned");
    bool on;

    if (!strcmp(prop[0], "lrsc")) {
        if (v && !strcmp(v, "strict")) {
            p->lrsc_strict = true;
        } else if (v && !strcmp(v, "cmpxchg")) {
            p->lrsc_strict = false;
        } else {
            *err = g_strdup("riscv64 CPU property 'lrsc' is cmpxchg (the default) "
                                   "or strict: write lrsc=strict or lrsc=cmpxchg");
            return false;
        }
        return true;
    }
    if (!is_ztso && !is_misaligned &&
        (strlen(prop[0]) != 1 || !prop[0][0] ||
         !strchr(riscv_switchable_exts, g_ascii_tolower(prop[0][0])))) {
        *err = g_strdup_printf("riscv64 CPU model '%s' has no property '%s': "
                               "use one of '%s', ztso (=on|off), misaligned (=on|off) "
                               "or lrsc (=cmpxchg|strict)",
                               m->name, prop[0], riscv_switchable_exts);
        return false;
    }
    if (v && (!strcmp(v, "on") || !strcmp(v, "true"))) {
        on = true;
    } else if (v && (!strcmp(v, "off") || !strcmp(v, "false"))) {
        on = false;
    } else {
        *err = g_strdup_printf("riscv64 CPU property '%s' needs on or off: "
                               "write %s=on or %s=off", prop[0], prop[0], prop[0]);
        return false;
    }
    if (is_ztso) {
        p->ztso = on;
    } else if (is_misaligned) {
        p->misaligned_trap = !on;
    } else if (on) {
        p->misa_ext |= RVX(letter);
    } else {
        p->misa_ext &= ~RVX(letter);
    }
    return true;
}

bool riscv_env_sanity(const RISCVEnv *env)
{
    if (env->x[0] != 0) {
        return false;
    }
    switch (env->priv) {
    case PRV_M:
        break;
    case PRV_S:
        if (!riscv_has_ext(env, 'S')) {
            return false;
        }
        break;
    case PRV_U:
        if (!riscv_has_ext(env, 'U')) {
            return false;
        }
        break;
    default:
        return false;
    }
    if (!riscv_has_ext(env, 'U') &&
        ((env->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) != PRV_M) {
        return false;
    }
    for (int i = 0; i < RISCV_TRIGGERS; i++) {
        unsigned type = (unsigned)(env->tdata1[i] >> 60);

        if (type != 6 && type != 15) {
            return false;       /* debug.c legalises every write */
        }
    }
    return env->tselect < RISCV_TRIGGERS && (env->mtvec & 3) < 2 && (env->mepc & 1) == 0;
}

/* ---- model, reset, boot ---- */

static bool riscv_cpu_init(LoomCPU *cpu, const char *model, char **err)
{
    RISCVEnv *env = riscv_env(cpu);
    const RISCVModel *m = NULL;
    RISCVProps props = { 0 };
    g_auto(GStrv) parts = g_strsplit(model ? model : "rv64", ",", -1);

    for (size_t i = 0; parts[0] && i < G_N_ELEMENTS(riscv_models); i++) {
        if (strcmp(parts[0], riscv_models[i].name) == 0) {
            m = &riscv_models[i];
        }
    }
    if (!m) {
        *err = g_strdup_printf("unknown riscv64 CPU model '%s': try -cpu help",
                               parts[0] ? parts[0] : "");
        return false;
    }
    props.misa_ext = m->misa_ext;
    for (size_t i = 1; parts[i]; i++) {
        /* an empty property (rv64, or rv64,,c=off) is nothing to apply */
        if (parts[i][0] && !riscv_parse_prop(m, parts[i], &props, err)) {
            return false;
        }
    }
    if ((props.misa_ext & RVX('S')) && !(props.misa_ext & RVX('U'))) {
        *err = g_strdup_printf("riscv64 CPU model '%s': S-mode needs U-mode: "
                               "remove s=on or add u=on", m->name);
        return false;
    }
    if ((props.misa_ext & RVX('D')) && !(props.misa_ext & RVX('F'))) {
        *err = g_strdup_printf("riscv64 CPU model '%s': D needs F: "
                               "add d=off or f=on", m->name);
        return false;
    }
    memset(env, 0, sizeof(*env));
    env->misa = MISA_MXL_64 | props.misa_ext;
    env->mhartid = cpu->cpu_index;
    env->ext_ztso = props.ztso;
    env->lrsc_strict = props.lrsc_strict;
    env->misaligned_trap = props.misaligned_trap;
    if (props.ztso) {
        /* RVTSO: every ordering of plain accesses but a store before a
           later load; the core inserts what the host lacks */
        loom_cpu_set_memory_order(cpu, LOOM_MO_ALL & ~LOOM_MO_ST_LD);
    }
    return true;
}

static void riscv_cpu_reset(LoomCPU *cpu)
{
    RISCVEnv *env = riscv_env(cpu);

    memset(env->x, 0, sizeof(env->x));
    env->pc = 0;
    env->priv = PRV_M;
    env->load_res = ~0ull;
    env->load_val = 0;
    env->excp_tval = 0;
    env->excp_insn_flags = 0;
    env->mhartid = cpu->cpu_index;
    riscv_csr_reset(env);
    cpu->exception_index = LOOM_EXCP_NONE;
    assert(riscv_env_sanity(env));
}

/*
 * Boot protocol (QEMU virt's, which OpenSBI's fw_jump and Linux expect):
 * every hart starts in M-mode at the entry with a0 = hart id and a1 =
 * the device tree.  The tree goes near the top of RAM, 2 MiB aligned and
 * below 3 GiB when RAM starts below it (so 32-bit firmware reaches it),
 * and -initrd right below it, page aligned.
 */
#define RISCV_BOOT_FDT_ALIGN    (UINT64_C(2) << 20)
#define RISCV_BOOT_FDT_LIMIT    (UINT64_C(3) << 30)
#define RISCV_BOOT_INITRD_ALIGN UINT64_C(4096)

static bool riscv_boot_place(LoomBootInfo *bi, char **err)
{
    return loom_boot_place_top(bi, RISCV_BOOT_FDT_ALIGN, RISCV_BOOT_FDT_LIMIT,
                               RISCV_BOOT_INITRD_ALIGN, err);
}

static void riscv_boot_cpu(LoomCPU *cpu, const LoomBootInfo *bi)
{
    RISCVEnv *env = riscv_env(cpu);

    env->pc = bi->entry;
    env->x[10] = cpu->cpu_index;
    env->x[11] = bi->fdt_addr;
    env->priv = PRV_M;
}

/* ---- execution state ---- */

static void riscv_get_tb_cpu_state(LoomCPU *cpu, uint64_t *pc, uint64_t *flags,
                                   uint64_t *flags2)
{
    RISCVEnv *env = riscv_env(cpu);

    *pc = env->pc;
    *flags = (env->priv & TB_FLAGS_PRIV_MASK) |
             ((uint64_t)riscv_data_mmu_idx(env) << TB_FLAGS_MMU_SHIFT) |
             ((uint64_t)((env->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT)
              << TB_FLAGS_FS_SHIFT) |
             riscv_trigger_tb_flags(env);
    *flags2 = 0;                /* everything fits in flags */
}

/* Fetch: the privilege level (MMU_IDX_U/S/M); data: see mmu.c. */
static int riscv_mmu_index(LoomCPU *cpu, bool ifetch)
{
    RISCVEnv *env = riscv_env(cpu);

    return ifetch ? (int)env->priv : riscv_data_mmu_idx(env);
}

/* data[0] = pc, data[1] = INSN_FLAG_* (see translate.c) */
static void riscv_restore_state(LoomCPU *cpu, const uint64_t *data)
{
    RISCVEnv *env = riscv_env(cpu);

    env->pc = data[0];
    env->excp_insn_flags = (uint32_t)data[1];
}

/* ---- interrupts ---- */

static bool riscv_cpu_has_work(LoomCPU *cpu)
{
    RISCVEnv *env = riscv_env(cpu);

    return (riscv_mip(env) & env->mie) != 0;
}

/* Highest-priority first (privileged spec: MEI, MSI, MTI, SEI, SSI, STI);
   interrupts taken to M come before those taken to S. */
static const int irq_priority[] = {
    IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER,
};

/*
 * LOOM_INTERRUPT_HARD protocol: set_irq raises it when a line goes up; the
 * core keeps it set while cpu_has_work (pending in mip & mie, maybe
 * masked) and calls this hook between TBs.  riscv_check_irqs re-arms it
 * when software makes a pending interrupt deliverable (the core may have
 * dropped it while mie masked the line).
 */
static bool riscv_exec_interrupt(LoomCPU *cpu)
{
    RISCVEnv *env = riscv_env(cpu);
    uint64_t irqs;

    irqs = riscv_pending_irqs(env);
    if (!irqs) {
        return false;
    }
    if (irqs & ~env->mideleg) {
        irqs &= ~env->mideleg;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(irq_priority); i++) {
        if (irqs & (1ull << irq_priority[i])) {
            riscv_do_trap(env, (uint64_t)irq_priority[i], true, 0);
            break;
        }
    }
    return true;
}

static void riscv_do_interrupt(LoomCPU *cpu)
{
    RISCVEnv *env = riscv_env(cpu);
    int cause = cpu->exception_index;

    if (cause >= 0 && cause < LOOM_EXCP_INTERRUPT) {
        riscv_do_trap(env, (uint64_t)cause, false, env->excp_tval);
    }
    cpu->exception_index = LOOM_EXCP_NONE;
}

/* irq_lines order -> mip bit */
static const char *const riscv_irq_lines[] = {
    "msip", "mtip", "meip", "seip", "ssip", NULL,
};
static const uint64_t riscv_irq_bits[] = {
    MIP_MSIP, MIP_MTIP, MIP_MEIP, MIP_SEIP, MIP_SSIP,
};

/* Device side (BQL held): mip is shared with the hart, update atomically. */
static void riscv_set_irq(LoomCPU *cpu, int line, int level)
{
    RISCVEnv *env = riscv_env(cpu);
    uint64_t bit, old;

    if (line < 0 || (size_t)line >= G_N_ELEMENTS(riscv_irq_bits)) {
        return;
    }
    bit = riscv_irq_bits[line];
    if (level) {
        old = __atomic_fetch_or(&env->mip, bit, __ATOMIC_ACQ_REL);
        if (!(old & bit)) {
            loom_cpu_interrupt(cpu, LOOM_INTERRUPT_HARD);
        }
    } else {
        __atomic_fetch_and(&env->mip, ~bit, __ATOMIC_ACQ_REL);
    }
}

/* ---- memory faults ---- */

/*
 * Memory faults name the access kind the core saw; AMOs, LR excepted,
 * report store/AMO faults even for their load half.  Restoring the state
 * of the faulting insn (pc, and INSN_FLAG_* from its insn_start data)
 * tells whether it is one; the caller then leaves without restoring again.
 */
static int fault_cause(LoomCPU *cpu, int access, uintptr_t ra,
                       int fetch, int load, int store)
{
    RISCVEnv *env = riscv_env(cpu);

    env->excp_insn_flags = 0;
    loom_cpu_restore_state(cpu, ra);
    if (access == LOOM_ACCESS_FETCH) {
        return fetch;
    }
    if (access == LOOM_ACCESS_STORE || (env->excp_insn_flags & INSN_FLAG_AMO)) {
        return store;
    }
    return load;
}

static void riscv_do_unaligned_access(LoomCPU *cpu, uint64_t vaddr, int access,
                                      int mmu_idx UNUSED, uintptr_t ra)
{
    int cause = fault_cause(cpu, access, ra, EXCP_INSN_MISALIGNED,
                            EXCP_LOAD_MISALIGNED, EXCP_STORE_MISALIGNED);

    riscv_raise(riscv_env(cpu), cause, vaddr);
}

static void riscv_do_transaction_failed(LoomCPU *cpu, uint64_t paddr UNUSED,
                                        uint64_t vaddr, int access,
                                        int mmu_idx UNUSED, uintptr_t ra)
{
    int cause;

    if (access == LOOM_ACCESS_FETCH) {
        riscv_trigger_fetch_fault(riscv_env(cpu));     /* Sdtrig first */
    }
    cause = fault_cause(cpu, access, ra, EXCP_INSN_ACCESS, EXCP_LOAD_ACCESS,
                        EXCP_STORE_ACCESS);
    riscv_raise(riscv_env(cpu), cause, vaddr);
}

/* ---- state dump ---- */

static const char *const abi_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static void riscv_dump_state(LoomCPU *cpu, FILE *f)
{
    RISCVEnv *env = riscv_env(cpu);
    static const char priv_names[] = "US?M";

    fprintf(f, "hart %" PRIu64 "  pc %016" PRIx64 "  priv %c\n",
            env->mhartid, env->pc, priv_names[env->priv & 3]);
    for (int i = 0; i < 32; i++) {
        fprintf(f, "x%-2d/%-4s %016" PRIx64 "%s", i, abi_names[i], env->x[i],
                (i % 4) == 3 ? "\n" : "  ");
    }
    fprintf(f, "mstatus  %016" PRIx64 "  misa     %016" PRIx64 "\n",
            env->mstatus, env->misa);
    fprintf(f, "mie      %016" PRIx64 "  mip      %016" PRIx64 "\n",
            env->mie, riscv_mip(env));
    fprintf(f, "mtvec    %016" PRIx64 "  mepc     %016" PRIx64 "\n",
            env->mtvec, env->mepc);
    fprintf(f, "mcause   %016" PRIx64 "  mtval    %016" PRIx64 "\n",
            env->mcause, env->mtval);
    fprintf(f, "mscratch %016" PRIx64 "  instret  %016" PRIx64 "\n",
            env->mscratch, env->insn_count + env->minstret_offset);
    fprintf(f, "load_res %016" PRIx64 "  load_val %016" PRIx64 "\n",
            env->load_res, env->load_val);
    if (riscv_has_ext(env, 'S')) {
        fprintf(f, "medeleg  %016" PRIx64 "  mideleg  %016" PRIx64 "\n",
                env->medeleg, env->mideleg);
        fprintf(f, "stvec    %016" PRIx64 "  sepc     %016" PRIx64 "\n",
                env->stvec, env->sepc);
        fprintf(f, "scause   %016" PRIx64 "  stval    %016" PRIx64 "\n",
                env->scause, env->stval);
        fprintf(f, "satp     %016" PRIx64 "  sscratch %016" PRIx64 "\n",
                env->satp, env->sscratch);
    }
}

static void riscv_global_init(void)
{
    riscv_translate_init();
    riscv_gdb_init();
}

static const LoomFrontendOps riscv_frontend_ops = {
    .supports_mttcg = true,
    .guest_default_mo = 0,              /* RVWMO: no implicit order */
    .max_atomic_bits = 64,
    .insn_start_words = 2,
    .env_size = sizeof(RISCVEnv),
    .page_bits = RISCV_PAGE_BITS,
    .max_insn_bytes = 4,
    .nb_mmu_modes = MMU_IDX_COUNT,      /* cpu.h MMU_IDX_* */
    .default_cpu = "rv64",
    .isa_name = "RISC-V",
    .irq_lines = riscv_irq_lines,
    .elf_machine = EM_RISCV,
    .insn_align_bits = 1,               /* IALIGN = 16 with C */

    .global_init = riscv_global_init,
    .cpu_init = riscv_cpu_init,
    .cpu_reset = riscv_cpu_reset,
    .boot_place = riscv_boot_place,
    .boot_cpu = riscv_boot_cpu,
    .get_tb_cpu_state = riscv_get_tb_cpu_state,
    .mmu_index = riscv_mmu_index,
    .translate = riscv_translate,
    .restore_state = riscv_restore_state,
    .cpu_has_work = riscv_cpu_has_work,
    .exec_interrupt = riscv_exec_interrupt,
    .do_interrupt = riscv_do_interrupt,
    .tlb_fill = riscv_tlb_fill,
    .do_unaligned_access = riscv_do_unaligned_access,
    .do_transaction_failed = riscv_do_transaction_failed,
    .set_irq = riscv_set_irq,
    .dump_state = riscv_dump_state,
    .fdt_cpu_phandles = 1,              /* the hart's interrupt controller */
    .fdt_cpu = riscv_fdt_cpu,
    .gdb_xml = riscv_gdb_xml,
    .gdb_read_reg = riscv_gdb_read_reg,
    .gdb_write_reg = riscv_gdb_write_reg,
    .debug_translate = riscv_debug_translate,
};

LOOM_PLUGIN_DEFINE(LOOM_PLUGIN_FRONTEND, "riscv64", "0.1", "MIT",
                   "RISC-V RV64GC guest (Zba/Zbb/Zbs/Zicond), M/S/U modes, Sv39/Sv48, PMP, Sdtrig",
                   &riscv_frontend_ops);
