/*
 * aarch64 front-end: system registers (MRS, MSR, MSR immediate).
 *
 * The front-end's own registers are one table (sysregs[]): encoding,
 * name, whether EL0 may use it, and where it lives (an env field, an
 * ID value, or a special case in sysreg_read/sysreg_write).  The ID
 * space (op0 3, op1 0, CRn 0, CRm 1..7) reads as zero where nothing is
 * allocated, as the architecture asks.  Any other encoding goes to the
 * devices that publish "arm.timer" and "arm.gicv3" (include/loom/arm.h),
 * looked up on first use and asked with the BQL held; none owning it:
 * undefined instruction.
 *
 * ID registers tell the truth: FP (without FP16) and AdvSIMD (without
 * crypto, RDM or dot products), EL0 and EL1 in AArch64 only, the 4, 16
 * and 64 KiB granules, 48-bit PAs, 16-bit ASIDs, no hardware access flag
 * updates; CRC32, and with -cpu max the ARMv8.1 atomics, PAN and HPDS
 * and ARMv8.3 LDAPR.  FPCR keeps AHP, DN, FZ and RMode (no trap enables,
 * no FZ16) and FPSR QC and the cumulative flags.
 *
 * EL0 accesses that SCTLR_EL1 controls (CTR_EL0: UCT, DAIF: UMA) trap
 * with EC 0x18 and the syndrome of the access (aarch64_sys_trap), as do
 * the cache maintenance instructions (UCI) and DC ZVA (DZE).
 */
#include <glib.h>
#include "cpu.h"
#include "fpu.h"

#define SR LOOM_ARM_SYSREG

enum {
    K_FIELD,            /* an env field, read/write at EL1 */
    K_RO,               /* read-only value (sysreg_read) */
    K_SPECIAL,          /* sysreg_read/sysreg_write decide */
};

/* access flags */
enum {
    A_EL0_R = 1,        /* EL0 may read */
    A_EL0_W = 2,        /* EL0 may write */
    A_ENDS_TB = 4,      /* a write ends the TB (TB key, MMU, interrupts) */
    A_RAZ_WI = 8,       /* reads 0, writes ignored */
};

typedef struct ARMSysreg {
    uint32_t enc;
    const char *name;
    uint8_t kind;
    uint8_t access;
    uint16_t offset;    /* K_FIELD: offsetof(ARMEnv, ...) */
} ARMSysreg;

#define F(e, n, a, field) { e, n, K_FIELD, a, offsetof(ARMEnv, field) }
#define R(e, n, a) { e, n, K_RO, a, 0 }
#define S(e, n, a) { e, n, K_SPECIAL, a, 0 }

static const ARMSysreg sysregs[] = {
    R(SR(3, 0, 0, 0, 0), "MIDR_EL1", 0),
    R(SR(3, 0, 0, 0, 5), "MPIDR_EL1", 0),
    R(SR(3, 0, 0, 0, 6), "REVIDR_EL1", 0),
    R(SR(3, 0, 0, 4, 0), "ID_AA64PFR0_EL1", 0),
    R(SR(3, 0, 0, 4, 1), "ID_AA64PFR1_EL1", 0),
    R(SR(3, 0, 0, 5, 0), "ID_AA64DFR0_EL1", 0),
    R(SR(3, 0, 0, 5, 1), "ID_AA64DFR1_EL1", 0),
    R(SR(3, 0, 0, 6, 0), "ID_AA64ISAR0_EL1", 0),
    R(SR(3, 0, 0, 6, 1), "ID_AA64ISAR1_EL1", 0),
    R(SR(3, 0, 0, 7, 0), "ID_AA64MMFR0_EL1", 0),
    R(SR(3, 0, 0, 7, 1), "ID_AA64MMFR1_EL1", 0),
    R(SR(3, 0, 0, 7, 2), "ID_AA64MMFR2_EL1", 0),
    R(SR(3, 1, 0, 0, 0), "CCSIDR_EL1", 0),
    R(SR(3, 1, 0, 0, 1), "CLIDR_EL1", 0),
    R(SR(3, 1, 0, 0, 7), "AIDR_EL1", 0),
    F(SR(3, 2, 0, 0, 0), "CSSELR_EL1", 0, csselr),
    S(SR(3, 3, 0, 0, 1), "CTR_EL0", A_EL0_R),
    R(SR(3, 3, 0, 0, 7), "DCZID_EL0", A_EL0_R),
    S(SR(3, 0, 1, 0, 0), "SCTLR_EL1", A_ENDS_TB),
    { SR(3, 0, 1, 0, 1), "ACTLR_EL1", K_FIELD, A_RAZ_WI, 0 },
    F(SR(3, 0, 1, 0, 2), "CPACR_EL1", A_ENDS_TB, cpacr),
    S(SR(3, 0, 2, 0, 0), "TTBR0_EL1", A_ENDS_TB),
    S(SR(3, 0, 2, 0, 1), "TTBR1_EL1", A_ENDS_TB),
    S(SR(3, 0, 2, 0, 2), "TCR_EL1", A_ENDS_TB),
    F(SR(3, 0, 4, 0, 0), "SPSR_EL1", 0, spsr),
    F(SR(3, 0, 4, 0, 1), "ELR_EL1", 0, elr),
    S(SR(3, 0, 4, 1, 0), "SP_EL0", 0),
    S(SR(3, 0, 4, 2, 0), "SPSel", A_ENDS_TB),
    S(SR(3, 0, 4, 2, 2), "CurrentEL", 0),
    S(SR(3, 0, 4, 2, 3), "PAN", A_ENDS_TB),
    S(SR(3, 3, 4, 2, 1), "DAIF", A_EL0_R | A_EL0_W | A_ENDS_TB),     /* EL0: UMA */
    S(SR(3, 3, 4, 4, 0), "FPCR", A_EL0_R | A_EL0_W),
    S(SR(3, 3, 4, 4, 1), "FPSR", A_EL0_R | A_EL0_W),
    F(SR(3, 0, 5, 1, 0), "AFSR0_EL1", 0, afsr0),
    F(SR(3, 0, 5, 1, 1), "AFSR1_EL1", 0, afsr1),
    F(SR(3, 0, 5, 2, 0), "ESR_EL1", 0, esr),
    F(SR(3, 0, 6, 0, 0), "FAR_EL1", 0, far),
    F(SR(3, 0, 7, 4, 0), "PAR_EL1", 0, par),
    F(SR(3, 0, 10, 2, 0), "MAIR_EL1", 0, mair),
    F(SR(3, 0, 10, 3, 0), "AMAIR_EL1", 0, amair),
    F(SR(3, 0, 12, 0, 0), "VBAR_EL1", 0, vbar),
    S(SR(3, 0, 12, 1, 0), "ISR_EL1", 0),
    F(SR(3, 0, 13, 0, 1), "CONTEXTIDR_EL1", 0, contextidr),
    F(SR(3, 0, 13, 0, 4), "TPIDR_EL1", 0, tpidr_el1),
    F(SR(3, 3, 13, 0, 2), "TPIDR_EL0", A_EL0_R | A_EL0_W, tpidr_el0),
    S(SR(3, 3, 13, 0, 3), "TPIDRRO_EL0", A_EL0_R),
    S(SR(3, 3, 14, 0, 0), "CNTFRQ_EL0", A_EL0_R),
    S(SR(3, 3, 14, 0, 1), "CNTPCT_EL0", A_EL0_R),
    S(SR(3, 3, 14, 0, 2), "CNTVCT_EL0", A_EL0_R),
    /* debug: MDSCR is kept; the OS lock and the (absent) breakpoint and
       watchpoint registers read as zero */
    F(SR(2, 0, 0, 2, 2), "MDSCR_EL1", 0, mdscr),
    { SR(2, 0, 1, 0, 4), "OSLAR_EL1", K_FIELD, A_RAZ_WI, 0 },
    { SR(2, 0, 1, 1, 4), "OSLSR_EL1", K_FIELD, A_RAZ_WI, 0 },
    { SR(2, 0, 1, 3, 4), "OSDLR_EL1", K_FIELD, A_RAZ_WI, 0 },
    { SR(2, 0, 0, 2, 0), "MDCCINT_EL1", K_FIELD, A_RAZ_WI, 0 },
};

#undef F
#undef R
#undef S

static const ARMSysreg *sysreg_find(uint32_t enc)
{
    for (size_t i = 0; i < G_N_ELEMENTS(sysregs); i++) {
        if (sysregs[i].enc == enc) {
            return &sysregs[i];
        }
    }
    return NULL;
}

/* Unallocated ID registers (op0 3, op1 0, CRn 0, CRm 1..7) read as zero;
   so do the breakpoint/watchpoint registers DBGB/W{V,C}Rn_EL1 (op0 2,
   op1 0, CRn 0, op2 4..7), of which ID_AA64DFR0 says there are none
   beyond the architectural minimum (read as zero, writes ignored). */
static bool sysreg_raz(uint32_t enc)
{
    unsigned op0 = enc >> 14, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 15;
    unsigned crm = (enc >> 3) & 15, op2 = enc & 7;

    if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1) {
        return true;
    }
    return op0 == 2 && op1 == 0 && crn == 0 && op2 >= 4;
}

bool aarch64_sysreg_write_ends_tb(uint32_t enc)
{
    const ARMSysreg *r = sysreg_find(enc);

    if (r) {
        return (r->access & A_ENDS_TB) != 0;
    }
    /* a device's register (timer, GIC CPU interface) may change
       interrupt state: let the loop look */
    return !sysreg_raz(enc);
}

void aarch64_sysreg_reset(ARMEnv *env)
{
    env->sctlr = SCTLR_RESET;
    env->cpacr = 0;
    env->ttbr0 = env->ttbr1 = env->tcr = 0;
    env->mair = env->amair = 0;
    env->vbar = 0;
    env->esr = env->far = env->elr = env->spsr = 0;
    env->par = 0;
    env->tpidr_el1 = env->tpidr_el0 = env->tpidrro_el0 = 0;
    env->contextidr = 0;
    env->csselr = 0;
    env->mdscr = 0;
    env->afsr0 = env->afsr1 = 0;
    env->fpcr = env->fpsr = 0;
}

/* ---- providers: the timer, the GICv3 CPU interface, the timebase ---- */

static void lookup_providers(ARMEnv *env)
{
    static const char *const names[PROV_COUNT] = { LOOM_ARM_TIMER_IFACE, LOOM_ARM_GICV3_IFACE };
    LoomMachine *m = loom_env_cpu(env)->machine;
    char *err = NULL;

    if (env->prov_looked) {
        return;
    }
    for (int i = 0; i < PROV_COUNT; i++) {
        env->prov[i] = loom_interface_lookup(m, names[i], LOOM_ARM_SYSREG_VERSION,
                                             &env->prov_opaque[i], &err);
        g_free(err);
        err = NULL;
    }
    env->timebase = loom_interface_lookup(m, LOOM_TIMEBASE_IFACE, LOOM_TIMEBASE_VERSION,
                                          &env->timebase_opaque, &err);
    g_free(err);
    env->prov_looked = true;
}

/* Ask the provider that owns enc, holding the BQL.  1: done, 0: the
   provider refused (undefined at this EL), -1: nobody owns it. */
static int provider_access(ARMEnv *env, uint32_t enc, bool write, uint64_t *val)
{
    LoomCPU *cpu = loom_env_cpu(env);

    lookup_providers(env);
    for (int i = 0; i < PROV_COUNT; i++) {
        const LoomArmSysregIface *p = env->prov[i];
        bool locked, ok;

        if (!p || !p->owns(env->prov_opaque[i], enc)) {
            continue;
        }
        locked = loom_bql_locked();
        if (!locked) {
            loom_bql_lock();
        }
        if (write) {
            ok = p->write(env->prov_opaque[i], cpu->cpu_index, env->el, enc, *val);
        } else {
            ok = p->read(env->prov_opaque[i], cpu->cpu_index, env->el, enc, val);
        }
        if (!locked) {
            loom_bql_unlock();
        }
        return ok ? 1 : 0;
    }
    return -1;
}

/* Without a timebase device: a 62.5 MHz count of the virtual clock. */
#define FALLBACK_CNTFRQ 62500000ull

static uint64_t counter_freq(ARMEnv *env)
{
    lookup_providers(env);
    return env->timebase ? env->timebase->frequency(env->timebase_opaque) : FALLBACK_CNTFRQ;
}

static uint64_t counter_now(ARMEnv *env)
{
    lookup_providers(env);
    if (env->timebase) {
        return env->timebase->ticks(env->timebase_opaque);
    }
    return (uint64_t)loom_clock_ns() / 16;      /* 62.5 MHz: 16 ns a tick */
}

/* ---- ID values ---- */

/* ID_AA64PFR0_EL1.CSV2 and CSV3 (FEAT_CSV2, FEAT_CSV3): loom does not
   speculate, so neither branch targets trained elsewhere nor data behind
   a faulting access can steer anything.  Linux then needs no kernel page
   table isolation (KPTI), which would switch the ASID in TTBR1 on every
   entry from EL0 and back, each switch a flush of loom's TLB. */
#define PFR0_CSV2_CSV3 (1ull << 56 | 1ull << 60)

static uint64_t id_value(ARMEnv *env, uint32_t enc)
{
    const ARMModel *m = env->model;

    switch (enc) {
    case SR(3, 0, 0, 0, 0):
        return m->midr;
    case SR(3, 0, 0, 0, 5):
        return env->mpidr;
    case SR(3, 0, 0, 4, 0): /* PFR0: EL0, EL1 AArch64; no EL2/3; FP, AdvSIMD (no FP16) */
        lookup_providers(env);
        return 0x1ull | 0x1ull << 4 | 0x0ull << 16 | 0x0ull << 20 |
               (env->prov[PROV_GICV3] ? 1ull << 24 : 0) |
               PFR0_CSV2_CSV3;
    case SR(3, 0, 0, 5, 0): /* DFR0: v8 debug, 1 breakpoint and watchpoint, no PMU */
        return 0x6;
    case SR(3, 0, 0, 6, 0): /* ISAR0: CRC32, atomics */
        return (m->crc32 ? 1ull << 16 : 0) | (m->lse ? 2ull << 20 : 0);
    case SR(3, 0, 0, 6, 1): /* ISAR1: LRCPC */
        return m->rcpc ? 1ull << 20 : 0;
    case SR(3, 0, 0, 7, 0): /* MMFR0: 48-bit PA, 16-bit ASID, 4K, 16K (TGran16 1) and 64K */
        return 0x5 | 0x2 << 4 | 0x1 << 20;
    case SR(3, 0, 0, 7, 1): /* MMFR1: no hardware AF/dirty updates (HAFDBS 0); PAN and HPDS */
        return m->pan ? 1ull << 20 | 1ull << 12 : 0;
    case SR(3, 1, 0, 0, 0): /* CCSIDR: 64-byte lines, 4 ways, 128 sets */
        return 127ull << 13 | 3ull << 3 | 2;
    case SR(3, 1, 0, 0, 1): /* CLIDR: L1 separate I/D, L2 unified; LoUIS 1, LoC 2, LoUU 1 */
        return 0x3 | 0x4 << 3 | 1u << 21 | 2u << 24 | 1u << 27;
    case SR(3, 3, 0, 0, 7): /* DCZID: 64-byte blocks (2^4 words); DZP at EL0 without DZE */
        return 4 | (env->el == 0 && !(env->sctlr & SCTLR_DZE) ? 1u << 4 : 0);
    default:
        return 0;
    }
}

/* CTR_EL0: 64-byte lines (I and D), PIPT I-cache, ERG and CWG 64 bytes;
   IDC and DIC clear, so software does cache maintenance (IC IVAU). */
#define CTR_VALUE 0x8444c004ull

/* ---- access ---- */

/* MRS: false if undefined. */
static bool sysreg_read(ARMEnv *env, uint32_t enc, uint64_t *val)
{
    const ARMSysreg *r = sysreg_find(enc);
    int p;

    if (!r) {
        if (env->el > 0 && sysreg_raz(enc)) {
            *val = 0;
            return true;
        }
        p = provider_access(env, enc, false, val);
        return p > 0;
    }
    if (env->el == 0 && !(r->access & A_EL0_R)) {
        return false;
    }
    if (r->access & A_RAZ_WI) {
        *val = 0;
        return true;
    }
    switch (r->kind) {
    case K_FIELD:
        *val = *(uint64_t *)((char *)env + r->offset);
        return true;
    case K_RO:
        *val = id_value(env, enc);
        return true;
    default:
        break;
    }
    switch (enc) {
    case SR(3, 3, 0, 0, 1): /* CTR_EL0 */
        if (env->el == 0 && !(env->sctlr & SCTLR_UCT)) {
            return false;
        }
        *val = CTR_VALUE;
        return true;
    case SR(3, 0, 1, 0, 0):
        *val = env->sctlr;
        return true;
    case SR(3, 0, 2, 0, 0):
        *val = env->ttbr0;
        return true;
    case SR(3, 0, 2, 0, 1):
        *val = env->ttbr1;
        return true;
    case SR(3, 0, 2, 0, 2):
        *val = env->tcr;
        return true;
    case SR(3, 0, 4, 1, 0): /* SP_EL0: not while it is the SP in use */
        if (!env->spsel) {
            return false;
        }
        *val = env->sp_el[0];
        return true;
    case SR(3, 0, 4, 2, 0):
        *val = env->spsel;
        return true;
    case SR(3, 0, 4, 2, 2):
        *val = (uint64_t)env->el << 2;
        return true;
    case SR(3, 3, 4, 4, 0):
        *val = env->fpcr;
        return true;
    case SR(3, 3, 4, 4, 1):
        *val = env->fpsr;
        return true;
    case SR(3, 0, 4, 2, 3):
        if (!env->model->pan) {
            return false;
        }
        *val = env->pan ? PSTATE_PAN : 0;
        return true;
    case SR(3, 3, 4, 2, 1): /* DAIF: EL0 with SCTLR_EL1.UMA */
        if (env->el == 0 && !(env->sctlr & SCTLR_UMA)) {
            return false;
        }
        *val = env->daif;
        return true;
    case SR(3, 0, 12, 1, 0): /* ISR_EL1 */
        {
            uint32_t lines = __atomic_load_n(&env->irq_pending, __ATOMIC_ACQUIRE);

            *val = ((lines & (1u << ARM_IRQ_LINE)) ? PSTATE_I : 0) |
                   ((lines & (1u << ARM_FIQ_LINE)) ? PSTATE_F : 0);
        }
        return true;
    case SR(3, 3, 13, 0, 3):
        *val = env->tpidrro_el0;
        return true;
    case SR(3, 3, 14, 0, 0): /* CNTFRQ_EL0 */
    case SR(3, 3, 14, 0, 1): /* CNTPCT_EL0 */
    case SR(3, 3, 14, 0, 2): /* CNTVCT_EL0 (no EL2: CNTVOFF is 0) */
        /* the timebase's count; without one, a timer that owns them */
        lookup_providers(env);
        if (!env->timebase) {
            p = provider_access(env, enc, false, val);
            if (p >= 0) {
                return p > 0;
            }
        }
        *val = enc == SR(3, 3, 14, 0, 0) ? counter_freq(env) : counter_now(env);
        return true;
    default:
        return false;
    }
}

/* MSR: false if undefined. */
static bool sysreg_write(ARMEnv *env, uint32_t enc, uint64_t val)
{
    const ARMSysreg *r = sysreg_find(enc);
    LoomCPU *cpu = loom_env_cpu(env);

    if (!r) {
        if (env->el > 0 && sysreg_raz(enc)) {
            /* ID registers are read-only: writes undefined; debug ones WI */
            return (enc >> 14) == 2;
        }
        return provider_access(env, enc, true, &val) > 0;
    }
    if (env->el == 0 && !(r->access & A_EL0_W)) {
        return false;
    }
    if (r->access & A_RAZ_WI) {
        return true;
    }
    if (r->kind == K_RO) {
        return false;
    }
    if (r->kind == K_FIELD) {
        *(uint64_t *)((char *)env + r->offset) = val;
        return true;
    }
    switch (enc) {
    case SR(3, 0, 1, 0, 0): /* SCTLR_EL1: turning the MMU on or off remaps */
        if ((env->sctlr ^ val) & SCTLR_M) {
            loom_tlb_flush(cpu);
        }
        env->sctlr = val;
        return true;
    case SR(3, 0, 2, 0, 0): /* TTBR0/1_EL1: a new ASID or table */
    case SR(3, 0, 2, 0, 1):
        /* loom's TLB does not compare ASIDs on lookup (tags only name
           entries to flush): a change of the ASID in use drops every
           non-global entry, as the TLB of a core without ASIDs would
           need, so the TLB only ever holds the current ASID's.  A new
           table under the same ASID needs no flush: the architecture
           lets the old ASID's entries stay until a TLBI. */
        {
            uint64_t *r_ttbr = enc == SR(3, 0, 2, 0, 0) ? &env->ttbr0 : &env->ttbr1;
            uint64_t old_asid = arm_asid(env);

            *r_ttbr = val;
            if (arm_asid(env) != old_asid) {
                loom_tlb_flush_tag(cpu, 0, ARM_TLB_TAG_GLOBAL, LOOM_TLB_MODES_ALL);
            }
        }
        return true;
    case SR(3, 3, 4, 4, 0): /* FPCR: AHP DN FZ RMode (no traps, no FP16) */
        env->fpcr = val & FPCR_WRITABLE;
        return true;
    case SR(3, 3, 4, 4, 1): /* FPSR: QC and the cumulative flags (no AArch32 NZCV) */
        env->fpsr = val & FPSR_WRITABLE;
        return true;
    case SR(3, 0, 2, 0, 2): /* TCR_EL1: every translation may change */
        if (env->tcr != val) {
            loom_tlb_flush(cpu);
        }
        env->tcr = val;
        return true;
    case SR(3, 0, 4, 1, 0):
        if (!env->spsel) {
            return false;
        }
        env->sp_el[0] = val;
        return true;
    case SR(3, 0, 4, 2, 0):
        aarch64_set_el_spsel(env, env->el, val & 1);
        return true;
    case SR(3, 0, 4, 2, 3):
        if (!env->model->pan) {
            return false;
        }
        env->pan = (val & PSTATE_PAN) != 0;
        return true;
    case SR(3, 3, 4, 2, 1): /* DAIF */
        if (env->el == 0 && !(env->sctlr & SCTLR_UMA)) {
            return false;
        }
        env->daif = (uint32_t)val & PSTATE_DAIF;
        aarch64_check_irqs(env);
        return true;
    case SR(3, 3, 13, 0, 3): /* TPIDRRO_EL0: EL0 reads only */
        env->tpidrro_el0 = val;
        return true;
    case SR(3, 3, 14, 0, 0): /* CNTFRQ_EL0: the timer's if it has one */
        {
            int p = provider_access(env, enc, true, &val);

            if (p >= 0) {
                return p > 0;
            }
        }
        return env->el > 0;     /* otherwise fixed: writes ignored */
    default:
        return false;
    }
}

/* ---- helpers ---- */

static void undef_at(ARMEnv *env, uintptr_t ra) __attribute__((noreturn));
static void undef_at(ARMEnv *env, uintptr_t ra)
{
    if (loom_log_enabled(LOOM_LOG_UNIMP)) {
        loom_log("aarch64: cpu%u: system register access undefined\n",
                 loom_env_cpu(env)->cpu_index);
    }
    loom_cpu_restore_state(loom_env_cpu(env), ra);
    aarch64_raise_undef(env);
}

/* FPCR and FPSR are SIMD&FP state: CPACR_EL1.FPEN traps them (EC 0x07,
   ISS CV = 1, COND = 0b1110, as the translator's fp_access_check) */
static void fp_trap_check(ARMEnv *env, uint32_t enc, uintptr_t ra)
{
    if ((enc == SR(3, 3, 4, 4, 0) || enc == SR(3, 3, 4, 4, 1)) && !arm_fp_enabled(env)) {
        loom_cpu_restore_state(loom_env_cpu(env), ra);
        aarch64_raise(env, esr_make(EC_FP_ACCESS, 0x1e00000), false, 0);
    }
}

/*
 * The ISS of EC 0x18 (a trapped MSR, MRS or SYS): enc is the
 * instruction's op0:op1:CRn:CRm:op2 (LOOM_ARM_SYSREG), rt its register,
 * read for MRS.
 */
uint32_t aarch64_sys_iss(uint32_t enc, unsigned rt, bool read)
{
    unsigned op0 = enc >> 14, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 15;
    unsigned crm = (enc >> 3) & 15, op2 = enc & 7;

    return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | (rt & 31) << 5 | crm << 1 |
           (read ? 1 : 0);
}

/* EL0 access to enc that SCTLR_EL1 traps to EL1 (EC 0x18)? */
static bool el0_trapped(ARMEnv *env, uint32_t enc)
{
    if (env->el != 0) {
        return false;
    }
    switch (enc) {
    case SR(3, 3, 0, 0, 1): /* CTR_EL0 */
        return !(env->sctlr & SCTLR_UCT);
    case SR(3, 3, 4, 2, 1): /* DAIF */
        return !(env->sctlr & SCTLR_UMA);
    default:
        return false;
    }
}

static void sys_trap_at(ARMEnv *env, uint32_t iss, uintptr_t ra) __attribute__((noreturn));
static void sys_trap_at(ARMEnv *env, uint32_t iss, uintptr_t ra)
{
    loom_cpu_restore_state(loom_env_cpu(env), ra);
    aarch64_raise(env, esr_make(EC_SYSREG, iss), false, 0);
}

/* a0 = enc | Rt << 16 */
static uint64_t helper_mrs(void *e, uint64_t enc, uint64_t a1 UNUSED, uint64_t a2 UNUSED,
                           uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    uint32_t r = (uint32_t)enc & 0xffff;
    uint64_t val = 0;

    if (el0_trapped(e, r)) {
        sys_trap_at(e, aarch64_sys_iss(r, (unsigned)(enc >> 16), true), LOOM_GETPC());
    }
    fp_trap_check(e, r, LOOM_GETPC());
    if (!sysreg_read(e, r, &val)) {
        undef_at(e, LOOM_GETPC());
    }
    return val;
}

/* a0 = enc | Rt << 16, a1 = the value */
static uint64_t helper_msr(void *e, uint64_t enc, uint64_t val, uint64_t a2 UNUSED,
                           uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    uint32_t r = (uint32_t)enc & 0xffff;

    if (el0_trapped(e, r)) {
        sys_trap_at(e, aarch64_sys_iss(r, (unsigned)(enc >> 16), false), LOOM_GETPC());
    }
    fp_trap_check(e, r, LOOM_GETPC());
    if (!sysreg_write(e, r, val)) {
        undef_at(e, LOOM_GETPC());
    }
    return 0;
}

/* An EL0 SYS instruction SCTLR_EL1 may trap: a0 = the SCTLR_EL1 bit
   that allows it (UCI, DZE), a1 = the ISS of the trap (EC 0x18). */
static uint64_t helper_el0_sys(void *e, uint64_t allow, uint64_t iss, uint64_t a2 UNUSED,
                               uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;

    if (!(env->sctlr & allow)) {
        sys_trap_at(env, (uint32_t)iss, LOOM_GETPC());
    }
    return 0;
}

/* MSR (immediate): a0 = op1 << 3 | op2, a1 = CRm (the immediate) */
static uint64_t helper_msr_imm(void *e, uint64_t field, uint64_t imm, uint64_t a2 UNUSED,
                               uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;

    switch (field) {
    case 0 << 3 | 5: /* SPSel */
        aarch64_set_el_spsel(env, env->el, imm & 1);
        break;
    case 0 << 3 | 4: /* PAN */
        env->pan = imm & 1;
        break;
    case 3 << 3 | 6: /* DAIFSet */
    case 3 << 3 | 7: /* DAIFClr */
        if (env->el == 0 && !(env->sctlr & SCTLR_UMA)) {
            /* the ISS of MSR DAIFSet/DAIFClr: op0 0, CRn 4, CRm the
               immediate, Rt 31 */
            sys_trap_at(env, aarch64_sys_iss(SR(0, 3, 4, (uint32_t)imm, (uint32_t)field & 7),
                                             31, false), LOOM_GETPC());
        }
        if (field & 1) {
            env->daif &= ~((uint32_t)imm << 6);
        } else {
            env->daif |= (uint32_t)imm << 6;
        }
        env->daif &= PSTATE_DAIF;
        aarch64_check_irqs(env);
        break;
    default:
        break;
    }
    return 0;
}

/* mrs reads no global; msr may move sp (SPSel) */
const LoomIRHelper aarch64_helper_mrs = {
    helper_mrs, "mrs", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper aarch64_helper_msr = {
    helper_msr, "msr", 0,
};
const LoomIRHelper aarch64_helper_msr_imm = {
    helper_msr_imm, "msr_imm", 0,
};
const LoomIRHelper aarch64_helper_el0_sys = {
    helper_el0_sys, "el0_sys", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
