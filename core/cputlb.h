/*
 * What the TLB files share (cputlb.c: tables, fills and local flushes;
 * tlb-flush.c: cross-vCPU flushes; ldst.c: the slow paths): indexing a
 * vCPU's tables.  Every caller runs on the thread that owns the TLB
 * (cputlb.c); an entry a flush or fill may rewrite is looked up again
 * after any call that can flush or fill.
 */
#ifndef LOOM_CPUTLB_H
#define LOOM_CPUTLB_H

#include "internal.h"

static inline uint64_t page_mask(void)
{
    return ~((UINT64_C(1) << tlb_page_bits) - 1);
}

static inline unsigned tlb_entries(const LoomCPU *cpu, unsigned m)
{
    return (unsigned)(cpu->tlb_fast[m].mask >> LOOM_TLB_ENTRY_BITS) + 1;
}

static inline unsigned tlb_index(const LoomCPU *cpu, unsigned m, uint64_t addr)
{
    return (unsigned)((addr >> tlb_page_bits) & (cpu->tlb_fast[m].mask >> LOOM_TLB_ENTRY_BITS));
}

static inline LoomTLBEntry *tlb_entry(LoomCPU *cpu, unsigned m, uint64_t addr)
{
    return &cpu->tlb_fast[m].table[tlb_index(cpu, m, addr)];
}

static inline IOTLBEntry *io_entry(LoomCPU *cpu, unsigned m, uint64_t addr)
{
    return &cpu->priv->tlbm[m].io[tlb_index(cpu, m, addr)];
}

/* Does the entry's tag for one access kind map addr's page? */
static inline bool tlb_hit(uint64_t tag, uint64_t addr)
{
    return (tag & (page_mask() | LOOM_TLB_INVALID)) == (addr & page_mask());
}

/* The virtual page an entry maps, or UINT64_MAX for an empty one (every
   access kind invalid: nothing to flush). */
static inline uint64_t entry_page(const LoomTLBEntry *e)
{
    uint64_t t = e->addr_read != UINT64_MAX ? e->addr_read :
                 e->addr_write != UINT64_MAX ? e->addr_write : e->addr_code;

    return t == UINT64_MAX ? t : t & page_mask();
}

#endif
