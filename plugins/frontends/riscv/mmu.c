/*
 * riscv64 front-end: address translation (Bare, Sv39, Sv48) and physical
 * memory protection (PMP), i.e. the tlb_fill hook.
 *
 * MMU indexes (cpu.h MMU_IDX_*) encode everything a translation depends on
 * besides satp and PMP: the effective privilege, SUM and MXR.  satp and
 * PMP writes flush the hart's TLB instead.  Entries from a walk carry
 * the ASID as their tag (RISCV_TLB_TAG_GLOBAL for global mappings), so
 * sfence.vma by ASID drops only that ASID's entries; superpages are
 * entered with their size, so a flush inside one drops all of it.
 *
 * Page tables live in guest RAM shared with other harts.  PTEs are read
 * with loom_phys_ld and A/D bits set with loom_phys_cmpxchg64 (both
 * sequentially consistent), only when the walk must set them; a PTE that
 * changed between the read and the update restarts the walk.  Page
 * tables with nothing behind them raise access faults; in device memory
 * they are read but never updated (an A/D update there is an access
 * fault).
 *
 * PMP: the TLB caches whole 4 KiB pages.  A page is cached with the PMP
 * permissions only when one PMP decision covers every byte of it; when a
 * region boundary falls inside the page, the entry is installed with a
 * page size below the page (loom_tlb_set_page), so every access to it
 * comes back here and is checked exactly.
 */
#include "cpu.h"

/* ---- MMU index ---- */

int riscv_data_mmu_idx(const RISCVEnv *env)
{
    uint64_t ms = env->mstatus;
    uint32_t priv = env->priv;

    if (priv == PRV_M && (ms & MSTATUS_MPRV)) {
        priv = (uint32_t)((ms & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    }
    switch (priv) {
    case PRV_M:
        return MMU_IDX_M;
    case PRV_S:
        if (ms & MSTATUS_SUM) {
            return (ms & MSTATUS_MXR) ? MMU_IDX_S_SUM_MXR : MMU_IDX_S_SUM;
        }
        return (ms & MSTATUS_MXR) ? MMU_IDX_S_MXR : MMU_IDX_S;
    default:
        return (ms & MSTATUS_MXR) ? MMU_IDX_U_MXR : MMU_IDX_U;
    }
}

static int mmu_idx_priv(int mmu_idx)
{
    switch (mmu_idx) {
    case MMU_IDX_M:
        return PRV_M;
    case MMU_IDX_U:
    case MMU_IDX_U_MXR:
        return PRV_U;
    default:
        return PRV_S;
    }
}

static bool mmu_idx_sum(int mmu_idx)
{
    return mmu_idx == MMU_IDX_S_SUM || mmu_idx == MMU_IDX_S_SUM_MXR;
}

static bool mmu_idx_mxr(int mmu_idx)
{
    return mmu_idx >= MMU_IDX_U_MXR;
}

/* ---- PMP ---- */

static int pmp_mode(const RISCVEnv *env, int i)
{
    return (env->pmpcfg[i] & PMP_A) >> PMP_A_SHIFT;
}

/* Entry i's byte range [*lo, *hi); false if it is off or empty. */
static bool pmp_range(const RISCVEnv *env, int i, uint64_t *lo, uint64_t *hi)
{
    uint64_t a = env->pmpaddr[i];

    switch (pmp_mode(env, i)) {
    case PMP_TOR:
        *lo = i ? env->pmpaddr[i - 1] << 2 : 0;
        *hi = a << 2;
        return *lo < *hi;
    case PMP_NA4:
        *lo = a << 2;
        *hi = *lo + 4;
        return true;
    case PMP_NAPOT: {
        /* trailing ones t: size 2^(t+3); pmpaddr is 54 bits wide, so
           t <= 54 and the shift below cannot overflow */
        int t = __builtin_ctzll(~a);
        uint64_t size = 1ull << (t + 3);

        *lo = (a << 2) & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

static bool pmp_any_active(const RISCVEnv *env)
{
    for (int i = 0; i < PMP_ENTRIES; i++) {
        if (pmp_mode(env, i) != PMP_OFF) {
            return true;
        }
    }
    return false;
}

/* LOOM_PROT_* an entry's cfg grants at privilege priv. */
static int pmp_entry_prot(const RISCVEnv *env, int i, int priv)
{
    uint8_t cfg = env->pmpcfg[i];

    if (priv == PRV_M && !(cfg & PMP_L)) {
        return LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC;
    }
    return ((cfg & PMP_R) ? LOOM_PROT_READ : 0) |
           ((cfg & PMP_W) ? LOOM_PROT_WRITE : 0) |
           ((cfg & PMP_X) ? LOOM_PROT_EXEC : 0);
}

/* What an access that no entry matches may do. */
static int pmp_default_prot(const RISCVEnv *env, int priv)
{
    if (priv == PRV_M || !pmp_any_active(env)) {
        return LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC;
    }
    return 0;
}

/*
 * Permissions for the bytes [addr, addr + size) at privilege priv: the
 * lowest-numbered entry matching any of them decides, and it must match
 * all of them (else 0).  If no entry matches, the default applies.
 */
static int pmp_prot(const RISCVEnv *env, uint64_t addr, uint64_t size, int priv)
{
    uint64_t end = addr + size;

    for (int i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi;

        if (!pmp_range(env, i, &lo, &hi) || hi <= addr || lo >= end) {
            continue;
        }
        if (lo <= addr && end <= hi) {
            return pmp_entry_prot(env, i, priv);
        }
        return 0;       /* partial match: the access fails */
    }
    return pmp_default_prot(env, priv);
}

/* Does one PMP decision cover the whole page at ppage? */
static bool pmp_page_uniform(const RISCVEnv *env, uint64_t ppage)
{
    uint64_t end = ppage + RISCV_PAGE_SIZE;

    for (int i = 0; i < PMP_ENTRIES; i++) {
        uint64_t lo, hi;

        if (!pmp_range(env, i, &lo, &hi) || hi <= ppage || lo >= end) {
            continue;
        }
        return lo <= ppage && end <= hi;
    }
    return true;
}

uint64_t riscv_pmp_read_cfg(const RISCVEnv *env, int reg)
{
    uint64_t v = 0;

    /* pmpcfg0 holds entries 0..7, pmpcfg2 entries 8..15 */
    for (int b = 0; b < 8; b++) {
        v |= (uint64_t)env->pmpcfg[reg * 4 + b] << (8 * b);
    }
    return v;
}

/* WARL: locked entries keep their value; R=0 W=1 (reserved) drops W. */
void riscv_pmp_write_cfg(RISCVEnv *env, int reg, uint64_t val)
{
    for (int b = 0; b < 8; b++) {
        int i = reg * 4 + b;
        uint8_t cfg = (uint8_t)(val >> (8 * b)) & (PMP_R | PMP_W | PMP_X | PMP_A | PMP_L);

        if (env->pmpcfg[i] & PMP_L) {
            continue;
        }
        if (!(cfg & PMP_R)) {
            cfg &= (uint8_t)~PMP_W;
        }
        env->pmpcfg[i] = cfg;
    }
    loom_tlb_flush(loom_env_cpu(env));
}

/* pmpaddr holds address bits 55:2.  Locked: the entry's own L, or the
   next entry's L when that one is TOR (it uses this address). */
void riscv_pmp_write_addr(RISCVEnv *env, int i, uint64_t val)
{
    if ((env->pmpcfg[i] & PMP_L) ||
        (i + 1 < PMP_ENTRIES && (env->pmpcfg[i + 1] & PMP_L) &&
         pmp_mode(env, i + 1) == PMP_TOR)) {
        return;
    }
    env->pmpaddr[i] = val & ((1ull << 54) - 1);
    loom_tlb_flush(loom_env_cpu(env));
}

/* ---- page-table walk ---- */

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1ull << 44) - 1) << PTE_PPN_SHIFT)
/* N (Svnapot), PBMT (Svpbmt) and bits 60:54 are reserved here */
#define PTE_RESERVED (~((1ull << 54) - 1))

enum { WALK_OK, WALK_PAGE_FAULT, WALK_ACCESS_FAULT };

/* One PTE, read atomically (a plain load: the walk writes only the PTEs
   whose A/D bits it sets): false if nothing is behind addr. */
static bool pte_read(LoomCPU *cpu, uint64_t addr, uint64_t *pte)
{
    LoomMemAttrs attrs = loom_mem_attrs_cpu(cpu->cpu_index);

    return loom_phys_ld(cpu->machine, addr, LOOM_MEM_UQ | LOOM_MEM_ALIGN, &attrs, pte);
}

/*
 * Walk the page table for vaddr; on success *paddr and *prot (before
 * PMP) are set.  Sets the A bit, and D for a store, as the spec's
 * hardware update scheme does: only when the access is allowed.
 * debug (the debugger's view): any valid leaf will do, whatever its
 * permissions, and nothing is written.
 */
static int walk(LoomCPU *cpu, uint64_t vaddr, int access, int mmu_idx,
                uint64_t *paddr, int *prot, bool debug, uint64_t *size, bool *global)
{
    RISCVEnv *env = riscv_env(cpu);
    int priv = mmu_idx_priv(mmu_idx);
    unsigned mode = (unsigned)(env->satp >> SATP_MODE_SHIFT);
    int levels = mode == SATP_MODE_SV48 ? 4 : 3;
    int va_bits = 12 + 9 * levels;
    int64_t top = (int64_t)vaddr >> (va_bits - 1);

    if (top != 0 && top != -1) {
        return WALK_PAGE_FAULT;         /* not sign-extended */
    }
restart:
    *global = false;
    {
        uint64_t base = (env->satp & SATP_PPN_MASK) << RISCV_PAGE_BITS;

        for (int level = levels - 1; level >= 0; level--) {
            int shift = RISCV_PAGE_BITS + 9 * level;
            uint64_t pte_addr = base + ((vaddr >> shift) & 511) * 8;
            uint64_t pte, ppn, want, upd;
            bool allowed;

            /* implicit accesses are checked as S-mode loads */
            if (!(pmp_prot(env, pte_addr, 8, PRV_S) & LOOM_PROT_READ) ||
                !pte_read(cpu, pte_addr, &pte)) {
                return WALK_ACCESS_FAULT;
            }
            if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
                (pte & PTE_RESERVED)) {
                return WALK_PAGE_FAULT;
            }
            *global |= (pte & PTE_G) != 0;      /* G on any level */
            ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
            if (!(pte & (PTE_R | PTE_X))) {
                /* pointer to the next level: D, A, U are reserved */
                if (level == 0 || (pte & (PTE_D | PTE_A | PTE_U))) {
                    return WALK_PAGE_FAULT;
                }
                base = ppn << RISCV_PAGE_BITS;
                continue;
            }
            /* leaf: a superpage's ppn must be aligned to its size */
            if (ppn & ((1ull << (9 * level)) - 1)) {
                return WALK_PAGE_FAULT;
            }
            *prot = 0;
            if ((pte & PTE_R) || ((pte & PTE_X) && mmu_idx_mxr(mmu_idx))) {
                *prot |= LOOM_PROT_READ;
            }
            if (pte & PTE_W) {
                *prot |= LOOM_PROT_WRITE;
            }
            if (pte & PTE_X) {
                *prot |= LOOM_PROT_EXEC;
            }
            if (priv == PRV_U && !(pte & PTE_U)) {
                *prot = 0;
            } else if (priv == PRV_S && (pte & PTE_U)) {
                /* S may never execute user pages, read/write them with SUM */
                *prot = mmu_idx_sum(mmu_idx) ? *prot & ~LOOM_PROT_EXEC : 0;
            }
            want = access == LOOM_ACCESS_LOAD ? LOOM_PROT_READ :
                   access == LOOM_ACCESS_STORE ? LOOM_PROT_WRITE : LOOM_PROT_EXEC;
            allowed = (*prot & (int)want) != 0;
            if (debug) {
                *paddr = ((ppn << RISCV_PAGE_BITS) & ~((1ull << shift) - 1)) |
                         (vaddr & ((1ull << shift) - 1));
                return WALK_OK;
            }
            if (!allowed) {
                return WALK_PAGE_FAULT;
            }
            upd = pte | PTE_A | (access == LOOM_ACCESS_STORE ? PTE_D : 0);
            if (upd != pte) {
                uint64_t expected = pte;

                if (!(pmp_prot(env, pte_addr, 8, PRV_S) & LOOM_PROT_WRITE)) {
                    return WALK_ACCESS_FAULT;
                }
                if (!loom_phys_cmpxchg64(cpu->machine, pte_addr, &expected, upd)) {
                    if (expected == pte) {
                        return WALK_ACCESS_FAULT;       /* not RAM */
                    }
                    goto restart;                       /* PTE changed */
                }
                pte = upd;
            }
            /* stores must come back here to set D */
            if (!(pte & PTE_D)) {
                *prot &= ~LOOM_PROT_WRITE;
            }
            *paddr = ((ppn << RISCV_PAGE_BITS) & ~((1ull << shift) - 1)) |
                     (vaddr & ((1ull << shift) - 1));
            *size = 1ull << shift;
            return WALK_OK;
        }
    }
    return WALK_PAGE_FAULT;     /* not reached: level 0 always returns */
}

/* The fault for an access kind (AMO load halves report store/AMO). */
static int fault_cause(LoomCPU *cpu, int access, uintptr_t ra, bool page)
{
    RISCVEnv *env = riscv_env(cpu);

    env->excp_insn_flags = 0;
    loom_cpu_restore_state(cpu, ra);
    if (access == LOOM_ACCESS_FETCH) {
        return page ? EXCP_INSN_PAGE_FAULT : EXCP_INSN_ACCESS;
    }
    if (access == LOOM_ACCESS_STORE || (env->excp_insn_flags & INSN_FLAG_AMO)) {
        return page ? EXCP_STORE_PAGE_FAULT : EXCP_STORE_ACCESS;
    }
    return page ? EXCP_LOAD_PAGE_FAULT : EXCP_LOAD_ACCESS;
}

bool riscv_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size, int access,
                    int mmu_idx, bool probe, uintptr_t ra)
{
    RISCVEnv *env = riscv_env(cpu);
    int priv = mmu_idx_priv(mmu_idx);
    unsigned mode = (unsigned)(env->satp >> SATP_MODE_SHIFT);
    uint64_t paddr = vaddr, ppage;
    int prot = LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC;
    int want = access == LOOM_ACCESS_LOAD ? LOOM_PROT_READ :
               access == LOOM_ACCESS_STORE ? LOOM_PROT_WRITE : LOOM_PROT_EXEC;
    int res = WALK_OK;
    uint64_t page_size = RISCV_PAGE_SIZE, tag = RISCV_TLB_TAG_GLOBAL;
    bool global = true;

    if (priv != PRV_M && mode != SATP_MODE_BARE) {
        res = walk(cpu, vaddr, access, mmu_idx, &paddr, &prot, false, &page_size, &global);
        if (!global) {
            tag = (env->satp & SATP_ASID_MASK) >> SATP_ASID_SHIFT;
        }
    }
    if (res == WALK_OK) {
        int pprot;

        ppage = paddr & RISCV_PAGE_MASK;
        if (pmp_page_uniform(env, ppage)) {
            pprot = pmp_prot(env, ppage, RISCV_PAGE_SIZE, priv);
        } else {
            /* only the accessed bytes are checked: do not cache the page */
            pprot = pmp_prot(env, paddr, size > 0 ? (uint64_t)size : 1, priv);
            page_size = 1;
        }
        if (!(pprot & want)) {
            res = WALK_ACCESS_FAULT;
        }
        prot &= pprot;
    }
    if (res != WALK_OK) {
        if (loom_log_enabled(LOOM_LOG_MMU)) {
            loom_log("riscv: hart %" PRIu64 ": %s fault, %s at 0x%016" PRIx64
                     " mmu %d\n", env->mhartid,
                     res == WALK_PAGE_FAULT ? "page" : "access",
                     access == LOOM_ACCESS_FETCH ? "fetch" :
                     access == LOOM_ACCESS_STORE ? "store" : "load", vaddr, mmu_idx);
        }
        if (probe) {
            return false;
        }
        if (access == LOOM_ACCESS_FETCH) {
            riscv_trigger_fetch_fault(env);
        }
        riscv_raise(env, fault_cause(cpu, access, ra, res == WALK_PAGE_FAULT), vaddr);
    }
    loom_tlb_set_page_tag(cpu, vaddr & RISCV_PAGE_MASK, paddr & RISCV_PAGE_MASK, prot,
                          mmu_idx, page_size, tag);
    return true;
}

/* LoomFrontendOps.debug_translate: the data view the hart has now
   (effective privilege, MPRV), walked without side effects.  PMP is not
   checked: the debugger sees what is there. */
bool riscv_debug_translate(LoomCPU *cpu, uint64_t vaddr, uint64_t *paddr)
{
    RISCVEnv *env = riscv_env(cpu);
    int mmu_idx = riscv_data_mmu_idx(env);
    unsigned mode = (unsigned)(env->satp >> SATP_MODE_SHIFT);
    int prot;
    uint64_t size;
    bool global;

    if (mmu_idx_priv(mmu_idx) == PRV_M || mode == SATP_MODE_BARE) {
        *paddr = vaddr;
        return true;
    }
    return walk(cpu, vaddr, LOOM_ACCESS_LOAD, mmu_idx, paddr, &prot, true, &size,
                &global) == WALK_OK;
}
