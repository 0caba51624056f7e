/*
 * aarch64 front-end: address translation and memory faults.
 *
 * With SCTLR_EL1.M clear every virtual address maps to the same physical
 * one (the core's softmmu then finds RAM, a device or nothing).  With the
 * MMU on, stage 1 of the VMSAv8-64 translation regime EL1&0 is walked
 * here (mmu_walk); faults become data or instruction aborts with the
 * fault status code and FAR.
 */
#include "cpu.h"

void aarch64_data_abort(LoomCPU *cpu, uint64_t vaddr, int access, unsigned fsc, uintptr_t ra)
{
    ARMEnv *env = arm_env(cpu);
    unsigned ec;
    uint32_t iss = fsc;

    loom_cpu_restore_state(cpu, ra);
    if (access == LOOM_ACCESS_FETCH) {
        ec = env->el == 0 ? EC_IABT_LOWER : EC_IABT_SAME;
    } else {
        ec = env->el == 0 ? EC_DABT_LOWER : EC_DABT_SAME;
        if (access == LOOM_ACCESS_STORE) {
            iss |= ISS_WNR;
        }
    }
    if (loom_log_enabled(LOOM_LOG_MMU)) {
        loom_log("aarch64: cpu%u abort at 0x%016" PRIx64 " (%s) fsc 0x%02x pc 0x%016" PRIx64 "\n",
                 cpu->cpu_index, vaddr,
                 access == LOOM_ACCESS_FETCH ? "fetch" : access == LOOM_ACCESS_STORE ? "store" : "load",
                 fsc, env->pc);
    }
    aarch64_raise(env, esr_make(ec, iss), true, vaddr);
}

/* ---- VMSAv8-64 stage 1, 4 KiB granule ---- */

/* TCR_EL1 fields */
#define TCR_T0SZ(t) ((unsigned)(t) & 0x3f)
#define TCR_EPD0 (1ull << 7)
#define TCR_TG0(t) ((unsigned)((t) >> 14) & 3)
#define TCR_T1SZ(t) ((unsigned)((t) >> 16) & 0x3f)
#define TCR_A1 (1ull << 22)
#define TCR_EPD1 (1ull << 23)
#define TCR_TG1(t) ((unsigned)((t) >> 30) & 3)
#define TCR_AS (1ull << 36)
#define TCR_HA (1ull << 39)

/* descriptor bits */
#define DESC_VALID 1ull
#define DESC_TABLE 2ull
#define DESC_AP1 (1ull << 6)        /* EL0 access */
#define DESC_AP2 (1ull << 7)        /* read-only */
#define DESC_AF (1ull << 10)
#define DESC_NG (1ull << 11)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000ull
#define TABLE_PXN (1ull << 59)
#define TABLE_UXN (1ull << 60)
#define TABLE_AP1 (1ull << 61)      /* no EL0 access below */
#define TABLE_AP2 (1ull << 62)      /* read-only below */


typedef struct WalkResult {
    uint64_t paddr;
    uint64_t page_size;
    int prot;
    uint64_t tag;
} WalkResult;

/*
 * Walk for vaddr as an access of kind `access` in mode mmu_idx.  Returns
 * 0 and fills *r, or the fault status code.  The walk reads descriptors
 * with loom_phys_ldq_le (no translated code is dirtied); hardware access
 * flag updates (TCR.HA) are not implemented: an AF = 0 descriptor faults.
 */
static unsigned mmu_walk(ARMEnv *env, uint64_t vaddr, int access, int mmu_idx, WalkResult *r)
{
    LoomMachine *m = loom_env_cpu(env)->machine;
    bool upper = (vaddr >> 55) & 1;
    unsigned tsz = upper ? TCR_T1SZ(env->tcr) : TCR_T0SZ(env->tcr);
    unsigned tg = upper ? TCR_TG1(env->tcr) : TCR_TG0(env->tcr);
    uint64_t ttbr = upper ? env->ttbr1 : env->ttbr0;
    uint64_t asid_ttbr = (env->tcr & TCR_A1) ? env->ttbr1 : env->ttbr0;
    uint64_t asid = (asid_ttbr >> 48) & ((env->tcr & TCR_AS) ? 0xffff : 0xff);
    unsigned inputsize, level, stride = 9;
    uint64_t table, desc = 0;
    bool ap_table_el0_ok = true, ap_table_ro = false, pxn_table = false, uxn_table = false;
    bool el0 = mmu_idx == MMU_IDX_EL0;

    /* only the 4K granule: TG0 = 0, TG1 = 2 */
    if ((upper && tg != 2) || (!upper && tg != 0)) {
        return FSC_TRANSLATION;
    }
    if (tsz < 16) {
        tsz = 16;
    }
    if (tsz > 39) {
        tsz = 39;
    }
    inputsize = 64 - tsz;
    /* the bits above the input size must all equal bit 55 */
    if (upper) {
        if ((env->tcr & TCR_EPD1) || (~vaddr >> inputsize) != 0) {
            return FSC_TRANSLATION;
        }
    } else if ((env->tcr & TCR_EPD0) || (vaddr >> inputsize) != 0) {
        return FSC_TRANSLATION;
    }
    /* the first level resolves what the later ones (9 bits each) do not */
    level = 4 - (inputsize - 12 + stride - 1) / stride;
    table = ttbr & DESC_ADDR_MASK & ~1ull;
    for (;; level++) {
        unsigned shift = 12 + stride * (3 - level);
        unsigned bits = level == 4 - (inputsize - 12 + stride - 1) / stride
                        ? inputsize - shift : stride;
        uint64_t idx = (vaddr >> shift) & ((1ull << bits) - 1);

        if (!loom_phys_ldq_le(m, table + idx * 8, &desc)) {
            return FSC_SYNC_EXTERNAL;
        }
        if (!(desc & DESC_VALID)) {
            return FSC_TRANSLATION + level;
        }
        if (level < 3 && (desc & DESC_TABLE)) {
            ap_table_el0_ok &= !(desc & TABLE_AP1);
            ap_table_ro |= (desc & TABLE_AP2) != 0;
            pxn_table |= (desc & TABLE_PXN) != 0;
            uxn_table |= (desc & TABLE_UXN) != 0;
            table = desc & DESC_ADDR_MASK;
            continue;
        }
        if (level == 3 ? !(desc & DESC_TABLE) : level == 0) {
            return FSC_TRANSLATION + level;     /* reserved encoding */
        }
        r->page_size = 1ull << shift;
        r->paddr = (desc & DESC_ADDR_MASK & ~(r->page_size - 1)) | (vaddr & (r->page_size - 1));
        break;
    }
    if (!(desc & DESC_AF)) {
        return FSC_ACCESS_FLAG + level;
    }
    {
        bool user = (desc & DESC_AP1) && ap_table_el0_ok;
        bool ro = (desc & DESC_AP2) || ap_table_ro;
        bool uxn = (desc & DESC_UXN) || uxn_table;
        bool pxn = (desc & DESC_PXN) || pxn_table;
        int prot = 0;

        if (el0) {
            if (user) {
                prot = LOOM_PROT_READ | (ro ? 0 : LOOM_PROT_WRITE) | (uxn ? 0 : LOOM_PROT_EXEC);
            }
        } else {
            prot = LOOM_PROT_READ | (ro ? 0 : LOOM_PROT_WRITE);
            /* EL1 never executes what EL0 may write */
            if (!pxn && !(user && !ro)) {
                prot |= LOOM_PROT_EXEC;
            }
            if (mmu_idx == MMU_IDX_EL1_PAN && user) {
                prot &= ~(LOOM_PROT_READ | LOOM_PROT_WRITE);
            }
        }
        r->prot = prot;
    }
    r->tag = (desc & DESC_NG) ? asid : ARM_TLB_TAG_GLOBAL;
    {
        static const int need[3] = { LOOM_PROT_READ, LOOM_PROT_WRITE, LOOM_PROT_EXEC };

        if (!(r->prot & need[access])) {
            return FSC_PERMISSION + level;
        }
    }
    return 0;
}

bool aarch64_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size UNUSED, int access,
                      int mmu_idx, bool probe, uintptr_t ra)
{
    ARMEnv *env = arm_env(cpu);
    WalkResult r;
    unsigned fsc;

    if (!(env->sctlr & SCTLR_M)) {
        uint64_t page = vaddr & ARM_PAGE_MASK;

        loom_tlb_set_page(cpu, page, page, LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC,
                          mmu_idx, ARM_PAGE_SIZE);
        return true;
    }
    fsc = mmu_walk(env, vaddr, access, mmu_idx, &r);
    if (fsc == 0) {
        /* vaddr's page; the core remembers the block it belongs to */
        loom_tlb_set_page_tag(cpu, vaddr & ARM_PAGE_MASK, r.paddr & ARM_PAGE_MASK, r.prot, mmu_idx,
                              r.page_size, r.tag);
        return true;
    }
    if (probe) {
        return false;
    }
    aarch64_data_abort(cpu, vaddr, access, fsc, ra);
}

bool aarch64_debug_translate(LoomCPU *cpu, uint64_t vaddr, uint64_t *paddr)
{
    ARMEnv *env = arm_env(cpu);
    WalkResult r;

    if (!(env->sctlr & SCTLR_M)) {
        *paddr = vaddr;
        return true;
    }
    if (mmu_walk(env, vaddr, LOOM_ACCESS_LOAD, arm_data_mmu_idx(env), &r) != 0) {
        return false;
    }
    *paddr = r.paddr;
    return true;
}
