/*
 * aarch64 front-end: address translation, memory faults and AT.
 *
 * With SCTLR_EL1.M clear a virtual address maps to the same physical one
 * (mmu_off: below the 48-bit PA size, a TBI tag ignored; the core's
 * softmmu then finds RAM, a device or nothing).  With the MMU on, stage 1
 * of the VMSAv8-64 translation regime EL1&0 is walked here (mmu_walk:
 * the 4, 16 and 64 KiB granules, 48-bit VAs and PAs); faults become data
 * or instruction aborts with the fault status code and FAR, or, for AT,
 * PAR_EL1.
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

/* ---- VMSAv8-64 stage 1 ---- */

/* TCR_EL1 fields */
#define TCR_T0SZ(t) ((unsigned)(t) & 0x3f)
#define TCR_EPD0 (1ull << 7)
#define TCR_TG0(t) ((unsigned)((t) >> 14) & 3)
#define TCR_T1SZ(t) ((unsigned)((t) >> 16) & 0x3f)
/* A1 (bit 22) and AS (bit 36): arm_asid(), cpu.h */
#define TCR_EPD1 (1ull << 23)
#define TCR_TG1(t) ((unsigned)((t) >> 30) & 3)
#define TCR_IPS(t) ((unsigned)((t) >> 32) & 7)
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)
#define TCR_HPD0 (1ull << 41)
#define TCR_HPD1 (1ull << 42)

/* descriptor bits */
#define DESC_VALID 1ull
#define DESC_TABLE 2ull
#define DESC_ATTRINDX(d) ((unsigned)((d) >> 2) & 7)
#define DESC_AP1 (1ull << 6)        /* EL0 access */
#define DESC_AP2 (1ull << 7)        /* read-only */
#define DESC_SH(d) ((unsigned)((d) >> 8) & 3)
#define DESC_AF (1ull << 10)
#define DESC_NG (1ull << 11)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)
#define DESC_OA_MASK 0x0000ffffffffffffull  /* bits 47:0; the granule clears the low ones */
#define TABLE_PXN (1ull << 59)
#define TABLE_UXN (1ull << 60)
#define TABLE_AP1 (1ull << 61)      /* no EL0 access below */
#define TABLE_AP2 (1ull << 62)      /* read-only below */

/* the implemented physical address size (ID_AA64MMFR0_EL1.PARange 0b0101) */
#define ARM_PA_BITS 48

typedef struct WalkResult {
    uint64_t paddr;
    uint64_t page_size;
    int prot;
    uint64_t tag;
    unsigned attrindx;          /* the leaf's AttrIndx and SH, for PAR_EL1 */
    unsigned sh;
} WalkResult;

/* TCR.TG0 and TG1 encode the granule differently; returns its log2.
   The reserved encodings act as 4 KiB (a choice the architecture
   leaves to the implementation). */
static unsigned granule_bits(uint64_t tcr, bool upper)
{
    static const uint8_t tg0[4] = { 12, 16, 14, 12 };   /* 4K, 64K, 16K, reserved */
    static const uint8_t tg1[4] = { 12, 14, 12, 16 };   /* reserved, 16K, 4K, 64K */

    return upper ? tg1[TCR_TG1(tcr)] : tg0[TCR_TG0(tcr)];
}

/* The output address size of TCR.IPS, at most the implemented one. */
static unsigned output_bits(uint64_t tcr)
{
    static const uint8_t ips[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    unsigned bits = ips[TCR_IPS(tcr)];

    return bits < ARM_PA_BITS ? bits : ARM_PA_BITS;
}

/* Does TBI (TCR_EL1.TBI0/TBI1 by bit 55) make vaddr's top byte a tag for
   an access of this kind?  Instruction fetches: never (the pc holds no
   tag: branches and ERET clear it, arm_branch_addr). */
static bool tbi_applies(const ARMEnv *env, uint64_t vaddr, int access)
{
    if (access == LOOM_ACCESS_FETCH) {
        return false;
    }
    return (env->tcr & (((vaddr >> 55) & 1) ? TCR_TBI1 : TCR_TBI0)) != 0;
}

/* What mmu_walk returns when it fails at `level`: WALK_FAULT and the
   fault status code (an address size fault at level 0 has code 0). */
#define WALK_FAULT 0x100u
#define WALK_FSC(w) ((w) & 0x3fu)
static unsigned fault_at(unsigned kind, unsigned level)
{
    return WALK_FAULT | (kind + level);
}

/*
 * Walk for vaddr as an access of kind `access` in mode mmu_idx (EL0, EL1,
 * EL1 with PAN).  Returns 0 and fills *r, or fault_at(): WALK_FAULT and
 * the fault status code (kind and level, DFSC/IFSC).  The walk reads
 * descriptors with loom_phys_ldq_le (no translated code is dirtied);
 * there are no hardware access flag or dirty updates
 * (ID_AA64MMFR1_EL1.HAFDBS = 0, so TCR.HA/HD are RES0): an AF = 0
 * descriptor faults.
 *
 * The order of the checks is the architecture's: at each level a
 * translation fault (invalid or reserved descriptor), then an address
 * size fault (an output address above TCR.IPS); after the walk an access
 * flag fault, then a permission fault.
 */
static unsigned mmu_walk(ARMEnv *env, uint64_t vaddr, int access, int mmu_idx, WalkResult *r)
{
    LoomMachine *m = loom_env_cpu(env)->machine;
    uint64_t tcr = env->tcr;
    bool upper = (vaddr >> 55) & 1;
    unsigned tsz = upper ? TCR_T1SZ(tcr) : TCR_T0SZ(tcr);
    unsigned grain = granule_bits(tcr, upper), stride = grain - 3;
    unsigned oabits = output_bits(tcr);
    uint64_t oa_high = DESC_OA_MASK & ~((1ull << oabits) - 1);   /* must be 0 */
    uint64_t ttbr = upper ? env->ttbr1 : env->ttbr0;
    uint64_t asid = arm_asid(env);
    /* hierarchical attributes, unless TCR.HPD (ARMv8.1 HPDS, which
       comes with PAN: -cpu max) disables them */
    bool hpd = env->model->pan && (tcr & (upper ? TCR_HPD1 : TCR_HPD0));
    unsigned inputsize, top, start, level, shift;
    uint64_t table, desc = 0;
    bool ap_table_el0_ok = true, ap_table_ro = false, pxn_table = false, uxn_table = false;

    /* T0SZ/T1SZ outside 16..39 act as the nearest of the two (one of
       the behaviours the architecture allows) */
    if (tsz < 16) {
        tsz = 16;
    }
    if (tsz > 39) {
        tsz = 39;
    }
    inputsize = 64 - tsz;
    /* the bits above the input size (up to 55 under TBI, else 63) must
       all equal bit 55; that and EPDn are translation faults at level 0 */
    top = tbi_applies(env, vaddr, access) ? 55 : 63;
    {
        uint64_t high = (vaddr >> inputsize) & ((2ull << (top - inputsize)) - 1);
        uint64_t ones = (2ull << (top - inputsize)) - 1;

        if (high != (upper ? ones : 0) || (tcr & (upper ? TCR_EPD1 : TCR_EPD0))) {
            return fault_at(FSC_TRANSLATION, 0);
        }
    }
    /* the first level resolves what the later ones (stride bits each)
       do not: 4K 48 bits level 0, 16K 48 bits level 0 (2 entries), 64K
       48 bits level 1 */
    start = 4 - (inputsize - grain + stride - 1) / stride;
    shift = grain + stride * (3 - start);
    /* the first table is aligned to its size (TTBR bits below are RES0
       and ignored, bit 0 is CnP) */
    table = ttbr & DESC_OA_MASK & ~((8ull << (inputsize - shift)) - 1);
    if (table & oa_high) {
        return fault_at(FSC_ADDR_SIZE, 0);
    }
    for (level = start;; level++) {
        unsigned bits = level == start ? inputsize - shift : stride;
        uint64_t idx = (vaddr >> shift) & ((1ull << bits) - 1);
        uint64_t oa;
        bool is_table;

        if (!loom_phys_ldq_le(m, table + idx * 8, &desc)) {
            return fault_at(FSC_WALK_EXTERNAL, level);
        }
        if (!(desc & DESC_VALID)) {
            return fault_at(FSC_TRANSLATION, level);
        }
        /* a table's address is granule aligned, a block's or page's
           output address aligned to its size */
        is_table = level < 3 && (desc & DESC_TABLE);
        oa = desc & DESC_OA_MASK & ~((1ull << (is_table ? grain : shift)) - 1);
        if (is_table) {
            if (oa & oa_high) {
                return fault_at(FSC_ADDR_SIZE, level);
            }
            if (!hpd) {
                ap_table_el0_ok &= !(desc & TABLE_AP1);
                ap_table_ro |= (desc & TABLE_AP2) != 0;
                pxn_table |= (desc & TABLE_PXN) != 0;
                uxn_table |= (desc & TABLE_UXN) != 0;
            }
            table = oa;
            shift -= stride;
            continue;
        }
        /* a page at level 3; blocks at levels 1 and 2 (4K: 1 GiB,
           2 MiB) or 2 only (16K: 32 MiB, 64K: 512 MiB); the rest is
           reserved (level 0 and 16K/64K level 1 blocks need 52-bit
           addresses) */
        if (level == 3 ? !(desc & DESC_TABLE) : (level == 0 || (level == 1 && grain != 12))) {
            return fault_at(FSC_TRANSLATION, level);
        }
        if (oa & oa_high) {
            return fault_at(FSC_ADDR_SIZE, level);
        }
        r->page_size = 1ull << shift;
        r->paddr = oa | (vaddr & (r->page_size - 1));
        break;
    }
    if (!(desc & DESC_AF)) {
        return fault_at(FSC_ACCESS_FLAG, level);
    }
    {
        /* AP[2:1] with APTable: EL1 reads always; EL0 reads if AP[1];
           writes unless AP[2]; UXN/PXN with UXNTable/PXNTable; EL1
           never executes what EL0 may write; SCTLR.WXN makes what the
           EL may write non-executable for it */
        bool user_r = (desc & DESC_AP1) && ap_table_el0_ok;
        bool ro = (desc & DESC_AP2) || ap_table_ro;
        bool user_w = user_r && !ro;
        bool wxn = (env->sctlr & SCTLR_WXN) != 0;
        bool user_x = !(desc & DESC_UXN) && !uxn_table && !(wxn && user_w);
        bool priv_x = !(desc & DESC_PXN) && !pxn_table && !user_w && !(wxn && !ro);
        int prot;

        if (mmu_idx == MMU_IDX_EL0) {
            prot = (user_r ? LOOM_PROT_READ : 0) | (user_w ? LOOM_PROT_WRITE : 0) |
                   (user_x ? LOOM_PROT_EXEC : 0);
        } else {
            prot = LOOM_PROT_READ | (ro ? 0 : LOOM_PROT_WRITE) | (priv_x ? LOOM_PROT_EXEC : 0);
            /* PAN: no EL1 data access to what EL0 may read */
            if (mmu_idx == MMU_IDX_EL1_PAN && user_r) {
                prot &= ~(LOOM_PROT_READ | LOOM_PROT_WRITE);
            }
        }
        r->prot = prot;
    }
    r->tag = (desc & DESC_NG) ? asid : ARM_TLB_TAG_GLOBAL;
    r->attrindx = DESC_ATTRINDX(desc);
    r->sh = DESC_SH(desc);
    {
        static const int need[3] = { LOOM_PROT_READ, LOOM_PROT_WRITE, LOOM_PROT_EXEC };

        if (!(r->prot & need[access])) {
            return fault_at(FSC_PERMISSION, level);
        }
    }
    return 0;
}

/*
 * The MMU off (SCTLR_EL1.M = 0): the physical address is the virtual one,
 * but for a tag TBI ignores; bits above the PA size make an address size
 * fault at level 0.  Everything is readable, writable and executable
 * (Device-nGnRnE for data, which is not modelled).  Returns as mmu_walk.
 */
static unsigned mmu_off(ARMEnv *env, uint64_t vaddr, int access, WalkResult *r)
{
    unsigned top = tbi_applies(env, vaddr, access) ? 55 : 63;

    if (((vaddr & ((2ull << top) - 1)) >> ARM_PA_BITS) != 0) {
        return fault_at(FSC_ADDR_SIZE, 0);
    }
    r->paddr = vaddr & ((1ull << ARM_PA_BITS) - 1);
    r->page_size = ARM_PAGE_SIZE;
    r->prot = LOOM_PROT_READ | LOOM_PROT_WRITE | LOOM_PROT_EXEC;
    r->tag = ARM_TLB_TAG_GLOBAL;
    r->attrindx = 0;
    r->sh = 2;
    return 0;
}

/* Translate as tlb_fill does, the MMU on or off. */
static unsigned translate(ARMEnv *env, uint64_t vaddr, int access, int mmu_idx, WalkResult *r)
{
    if (!(env->sctlr & SCTLR_M)) {
        return mmu_off(env, vaddr, access, r);
    }
    return mmu_walk(env, vaddr, access, mmu_idx, r);
}

bool aarch64_tlb_fill(LoomCPU *cpu, uint64_t vaddr, int size UNUSED, int access,
                      int mmu_idx, bool probe, uintptr_t ra)
{
    ARMEnv *env = arm_env(cpu);
    WalkResult r;
    unsigned fsc;

    fsc = translate(env, vaddr, access, mmu_idx, &r);
    if (fsc == 0) {
        /*
         * vaddr's page; the core remembers the block it belongs to.  A
         * tagged address (TBI, a top byte other than bit 55's copies)
         * gets an entry for this one access only: a TLBI by VA names the
         * untagged page, so no entry may outlive it under another tag.
         */
        uint64_t untagged = (uint64_t)((int64_t)(vaddr << 8) >> 8);

        loom_tlb_set_page_tag(cpu, vaddr & ARM_PAGE_MASK, r.paddr & ARM_PAGE_MASK, r.prot, mmu_idx,
                              untagged == vaddr ? r.page_size : 1, r.tag);
        return true;
    }
    if (probe) {
        return false;
    }
    aarch64_data_abort(cpu, vaddr, access, WALK_FSC(fsc), ra);
}

bool aarch64_debug_translate(LoomCPU *cpu, uint64_t vaddr, uint64_t *paddr)
{
    ARMEnv *env = arm_env(cpu);
    WalkResult r;

    if (translate(env, vaddr, LOOM_ACCESS_LOAD, arm_data_mmu_idx(env), &r) != 0) {
        return false;
    }
    *paddr = r.paddr;
    return true;
}

/* ---- AT S1E1R, S1E1W, S1E0R, S1E0W ---- */

/* PAR_EL1 */
#define PAR_F 1ull
#define PAR_RES1 (1ull << 11)
#define PAR_NS (1ull << 9)          /* UNKNOWN for a Non-secure regime: its PA space */
#define PAR_SH_SHIFT 7
#define PAR_ATTR_SHIFT 56

/*
 * AT S1E{0,1}{R,W} Xt: a0 = op2 (0: S1E1R, 1: S1E1W, 2: S1E0R, 3:
 * S1E0W), a1 = the address.  Walks as a read or write at EL1 (without
 * PAN: the S1E1RP forms are ARMv8.2) or EL0 and writes PAR_EL1: the
 * physical address with the MAIR_EL1 attribute and shareability of the
 * mapping, NS set (the Non-secure address space), or F = 1 and the fault
 * status code.  Never raises (an external abort on the walk is reported
 * in PAR too).  With the MMU off it reports mmu_off's result.
 */
static uint64_t helper_at(void *e, uint64_t op2, uint64_t vaddr, uint64_t a2 UNUSED,
                          uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    ARMEnv *env = e;
    int access = (op2 & 1) ? LOOM_ACCESS_STORE : LOOM_ACCESS_LOAD;
    int mmu_idx = (op2 & 2) ? MMU_IDX_EL0 : MMU_IDX_EL1;
    WalkResult r;
    unsigned fsc, attr, sh;

    fsc = translate(env, vaddr, access, mmu_idx, &r);
    if (fsc != 0) {
        env->par = PAR_RES1 | (uint64_t)WALK_FSC(fsc) << 1 | PAR_F;
        return 0;
    }
    if (!(env->sctlr & SCTLR_M)) {
        /* the MMU off: Device-nGnRnE, outer shareable */
        attr = 0;
        sh = 2;
    } else {
        attr = (unsigned)(env->mair >> (8 * r.attrindx)) & 0xff;
        /* Device and Normal non-cacheable memory report outer shareable */
        sh = (attr & 0xf0) == 0 || attr == 0x44 ? 2 : r.sh;
    }
    env->par = (uint64_t)attr << PAR_ATTR_SHIFT | (r.paddr & DESC_OA_MASK & ARM_PAGE_MASK) |
               PAR_RES1 | PAR_NS | (uint64_t)sh << PAR_SH_SHIFT;
    return 0;
}

/* at writes PAR_EL1 only */
const LoomIRHelper aarch64_helper_at = {
    helper_at, "at",
    LOOM_IR_CALL_NO_READ_GLOBALS | LOOM_IR_CALL_NO_WRITE_GLOBALS | LOOM_IR_CALL_NO_RAISE,
};
