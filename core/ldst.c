/*
 * The slow paths of guest memory accesses through the TLB: loom_ld,
 * loom_st and loom_atomic (what back-ends call when the fast path
 * misses, and what helpers call), misaligned and device accesses, and
 * code fetch for the translator (tlb_code_ptr/phys/probe).  The glue to
 * the front-end's tlb_fill, which raises guest faults, is tlb_resolve.
 *
 * Every function runs on the thread that owns cpu's TLB (cputlb.c):
 * tlb_fill may flush or refill the tables, so entries are looked up
 * again after it.  Guest RAM is shared with other vCPU threads: it is
 * accessed with relaxed atomics (aligned) or relaxed atomic bytes
 * (misaligned), atomics with sequentially consistent host CAS.
 *
 * Code pages (tb-page.c): a store through an entry with
 * LOOM_TLB_NOTDIRTY writes, then calls tb_page_written (store_done),
 * which invalidates the TBs on the bytes written; a NOTDIRTY entry for a
 * page no longer holding code loses the flag on its next write.
 */
#include "config.h"
#include <string.h>
#include <inttypes.h>
#include "internal.h"
#include "cputlb.h"
#include "gdbstub.h"
#include "icount.h"

/* After a store through the TLB entry for addr (just resolved): if the
   page may hold code, invalidate what the store overwrote. */
static void store_done(LoomCPU *cpu, uint64_t addr, unsigned size, int mmu_idx)
{
    LoomTLBEntry *e = tlb_entry(cpu, (unsigned)mmu_idx, addr);
    uint64_t paddr;

    if ((e->addr_write & (LOOM_TLB_NOTDIRTY | LOOM_TLB_MMIO)) != LOOM_TLB_NOTDIRTY) {
        return;
    }
    paddr = io_entry(cpu, (unsigned)mmu_idx, addr)->paddr | (addr & ~page_mask());
    if (!tb_page_written(cpu->machine, paddr, size)) {
        /* not code any more: fast writes again (a later protection
           re-marks it through tlb_code_sync) */
        e->addr_write &= ~(uint64_t)LOOM_TLB_NOTDIRTY;
    }
}

static inline uint64_t *tag_of(LoomTLBEntry *e, int access)
{
    return access == LOOM_ACCESS_LOAD ? &e->addr_read :
           access == LOOM_ACCESS_STORE ? &e->addr_write : &e->addr_code;
}

/* Does region r (may be NULL) hold all of [paddr, paddr + size)? */
static inline bool region_holds(const MemRegion *r, uint64_t paddr, unsigned size)
{
    return r && paddr >= r->base && paddr - r->base < r->size &&
           size <= r->size - (paddr - r->base);
}

/*
 * Make the TLB map addr for access (calling the front-end's tlb_fill,
 * which raises guest faults).  Returns the host address for RAM, or NULL
 * for device memory with *mr (NULL: nothing there) and *paddr set.
 */
static uint8_t *tlb_resolve(LoomCPU *cpu, uint64_t addr, unsigned size, int access,
                            int mmu_idx, uintptr_t ra, MemRegion **mr, uint64_t *paddr)
{
    LoomTLBEntry *e;
    uint64_t tag;
    IOTLBEntry *io;

    if (mmu_idx < 0 || (unsigned)mmu_idx >= cpu->priv->tlb_modes) {
        loom_fatal("plugin %s: an access in MMU mode %d, but the front-end declares %u modes "
                   "(nb_mmu_modes): fix the plugin", cpu->machine->frontend_plugin ?
                   cpu->machine->frontend_plugin->file : "(front-end)", mmu_idx,
                   cpu->priv->tlb_modes);
    }
    e = tlb_entry(cpu, (unsigned)mmu_idx, addr);
    tag = *tag_of(e, access);
    if (!tlb_hit(tag, addr) || (tag & LOOM_TLB_FILL_EACH)) {
        cpu->machine->fe->tlb_fill(cpu, addr, (int)size, access, mmu_idx, false, ra);
        e = tlb_entry(cpu, (unsigned)mmu_idx, addr);   /* a fill may rewrite it */
        tag = *tag_of(e, access);
        if (!tlb_hit(tag, addr)) {
            /* the front-end filled nothing usable: treat as a bus error */
            cpu->machine->fe->do_transaction_failed(cpu, addr, addr, access, mmu_idx, ra);
            loom_fatal("internal error: front-end returned from do_transaction_failed");
        }
    }
    if ((tag & LOOM_TLB_WATCH) && gdbstub_enabled) {
        /* before the access: a hit leaves here and replays the insn */
        gdbstub_watch_check(cpu, addr, size, access, ra);
    }
    io = io_entry(cpu, (unsigned)mmu_idx, addr);
    if (!(tag & LOOM_TLB_MMIO)) {
        return (uint8_t *)(uintptr_t)(addr + e->addend);
    }
    *mr = io->mr;
    *paddr = io->paddr | (addr & ~page_mask());
    /*
     * The entry names the region holding the page's first byte (or none).
     * A region smaller than a page shares its page with holes and maybe
     * other regions: an access it does not hold goes to the region that
     * does, and one that no region holds whole (a hole, or straddling a
     * region's end) is an access fault, as for an unmapped address.
     * Regions are fixed once vCPUs run, so the lookup needs no lock.
     */
    if (!region_holds(*mr, *paddr, size)) {
        *mr = as_find(&cpu->machine->as, *paddr);
        if (!region_holds(*mr, *paddr, size)) {
            cpu->machine->fe->do_transaction_failed(cpu, *paddr, addr, access, mmu_idx, ra);
            loom_fatal("internal error: front-end returned from do_transaction_failed");
        }
    }
    if ((*mr)->ram) {
        return (*mr)->ram + (*paddr - (*mr)->base);    /* RAM sharing a page */
    }
    return NULL;
}


/* Host little-endian is assumed by the byte order logic below. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host");

/* Guest RAM is shared with other vCPU threads: aligned accesses are
   relaxed atomics (single-copy atomic, race-free for the C model). */
static inline uint64_t host_load(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;

    if (((uintptr_t)p & (size - 1)) == 0) {
        switch (size) {
        case 1: return __atomic_load_n(p, __ATOMIC_RELAXED);
        case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
        case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
        default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
        }
    }
    memcpy(&v, p, size);
    return v;
}

static inline void host_store(uint8_t *p, uint64_t v, unsigned size)
{
    if (((uintptr_t)p & (size - 1)) == 0) {
        switch (size) {
        case 1: __atomic_store_n(p, (uint8_t)v, __ATOMIC_RELAXED); return;
        case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_RELAXED); return;
        case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_RELAXED); return;
        default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED); return;
        }
    }
    memcpy(p, &v, size);
}

static void check_align(LoomCPU *cpu, uint64_t addr, unsigned memop, int access,
                        int mmu_idx, uintptr_t ra)
{
    if ((memop & LOOM_MEM_ALIGN) && (addr & (loom_memop_size(memop) - 1))) {
        cpu->machine->fe->do_unaligned_access(cpu, addr, access, mmu_idx, ra);
        loom_fatal("internal error: front-end returned from do_unaligned_access");
    }
}

/*
 * Misaligned accesses the memop allows (no LOOM_MEM_ALIGN).  Both pages of a
 * page-crossing access are resolved first, in address order, so a
 * fault on either leaves registers and memory untouched; a fault on the
 * second page names the first byte on that page (the address of the
 * portion of the access that faulted), one on the first page the
 * access's address.  The bytes are then moved as relaxed atomic bytes:
 * a misaligned access is not single-copy atomic, but is race-free.
 * Device memory is never accessed misaligned: it has side effects that
 * splitting the access would change, so touching a device raises the
 * front-end's misaligned-access exception (after both translations),
 * the way a core without misaligned support for I/O regions does;
 * the guest's firmware may then emulate it with aligned accesses.
 */
typedef struct SplitAccess {
    uint8_t *host[2];           /* host addresses of the two parts */
    unsigned len[2];            /* bytes in each part; len[1] = 0: one page */
} SplitAccess;

static void split_resolve(LoomCPU *cpu, uint64_t addr, unsigned size, int access,
                          int mmu_idx, uintptr_t ra, SplitAccess *sa)
{
    uint64_t room = (UINT64_C(1) << tlb_page_bits) - (addr & ~page_mask());
    bool device = false;

    sa->len[0] = (unsigned)MIN((uint64_t)size, room);
    sa->len[1] = size - sa->len[0];
    for (int i = 0; i < 2 && sa->len[i]; i++) {
        uint64_t a = i ? addr + sa->len[0] : addr;
        MemRegion *mr = NULL;
        uint64_t paddr = 0;

        sa->host[i] = tlb_resolve(cpu, a, sa->len[i], access, mmu_idx, ra, &mr, &paddr);
        device |= !sa->host[i];
    }
    if (device) {
        cpu->machine->fe->do_unaligned_access(cpu, addr, access, mmu_idx, ra);
        loom_fatal("internal error: front-end returned from do_unaligned_access");
    }
}

static uint64_t ld_misaligned(LoomCPU *cpu, uint64_t addr, unsigned memop, int mmu_idx,
                              uintptr_t ra)
{
    unsigned size = loom_memop_size(memop), n = 0;
    SplitAccess sa;
    uint64_t v = 0;

    split_resolve(cpu, addr, size, LOOM_ACCESS_LOAD, mmu_idx, ra, &sa);
    for (int i = 0; i < 2; i++) {
        for (unsigned j = 0; j < sa.len[i]; j++, n++) {
            uint64_t b = __atomic_load_n(sa.host[i] + j, __ATOMIC_RELAXED);
            v |= b << (8 * ((memop & LOOM_MEM_BE) ? size - 1 - n : n));
        }
    }
    return v;
}

static void st_misaligned(LoomCPU *cpu, uint64_t addr, uint64_t val, unsigned memop,
                          int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop), n = 0;
    SplitAccess sa;

    split_resolve(cpu, addr, size, LOOM_ACCESS_STORE, mmu_idx, ra, &sa);
    for (int i = 0; i < 2; i++) {
        for (unsigned j = 0; j < sa.len[i]; j++, n++) {
            unsigned shift = 8 * ((memop & LOOM_MEM_BE) ? size - 1 - n : n);
            __atomic_store_n(sa.host[i] + j, (uint8_t)(val >> shift), __ATOMIC_RELAXED);
        }
    }
    /* code on either page: invalidate what each part overwrote */
    store_done(cpu, addr, sa.len[0], mmu_idx);
    if (sa.len[1]) {
        store_done(cpu, addr + sa.len[0], sa.len[1], mmu_idx);
    }
}

uint64_t loom_ld(LoomCPU *cpu, uint64_t addr, unsigned memop, int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    MemRegion *mr = NULL;
    uint64_t paddr = 0, v;
    uint8_t *host;

    check_align(cpu, addr, memop, LOOM_ACCESS_LOAD, mmu_idx, ra);
    if (addr & (size - 1)) {
        /* allowed by the memop; every page-crossing access is one */
        return loom_memop_extend(ld_misaligned(cpu, addr, memop, mmu_idx, ra), memop);
    }
    host = tlb_resolve(cpu, addr, size, LOOM_ACCESS_LOAD, mmu_idx, ra, &mr, &paddr);
    if (host) {
        v = host_load(host, size);
        if (memop & LOOM_MEM_BE) {
            v = loom_bswap_size(v, size);
        }
    } else {
        icount_io(cpu);                 /* icount: MMIO ends its TB */
        v = mmio_read(mr, paddr, size, loom_mem_attrs_cpu(cpu->cpu_index));
        if (memop & LOOM_MEM_BE) {
            v = loom_bswap_size(v, size);
        }
    }
    return loom_memop_extend(v, memop);
}

void loom_st(LoomCPU *cpu, uint64_t addr, uint64_t val, unsigned memop, int mmu_idx,
             uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    MemRegion *mr = NULL;
    uint64_t paddr = 0;
    uint8_t *host;

    check_align(cpu, addr, memop, LOOM_ACCESS_STORE, mmu_idx, ra);
    if (addr & (size - 1)) {
        /* allowed by the memop; every page-crossing access is one */
        st_misaligned(cpu, addr, val, memop, mmu_idx, ra);
        return;
    }
    if (memop & LOOM_MEM_BE) {
        val = loom_bswap_size(val, size);
    }
    host = tlb_resolve(cpu, addr, size, LOOM_ACCESS_STORE, mmu_idx, ra, &mr, &paddr);
    if (host) {
        host_store(host, val, size);
        store_done(cpu, addr, size, mmu_idx);
    } else {
        icount_io(cpu);                 /* icount: MMIO ends its TB */
        mmio_write(mr, paddr, val, size, loom_mem_attrs_cpu(cpu->cpu_index));
    }
}

/* The value an atomic read-modify-write op stores, given the old one. */
static uint64_t rmw_result(unsigned opc, uint64_t old, uint64_t val, unsigned memop)
{
    uint64_t so = loom_memop_extend(old, memop | LOOM_MEM_SIGN), sv = loom_memop_extend(val, memop | LOOM_MEM_SIGN);
    uint64_t uo = loom_memop_extend(old, memop & ~LOOM_MEM_SIGN), uv = loom_memop_extend(val, memop & ~LOOM_MEM_SIGN);

    switch (opc) {
    case LOOM_IR_OP_atomic_xchg_i32: case LOOM_IR_OP_atomic_xchg_i64: return val;
    case LOOM_IR_OP_atomic_fetch_add_i32: case LOOM_IR_OP_atomic_fetch_add_i64: return old + val;
    case LOOM_IR_OP_atomic_fetch_and_i32: case LOOM_IR_OP_atomic_fetch_and_i64: return old & val;
    case LOOM_IR_OP_atomic_fetch_or_i32: case LOOM_IR_OP_atomic_fetch_or_i64: return old | val;
    case LOOM_IR_OP_atomic_fetch_xor_i32: case LOOM_IR_OP_atomic_fetch_xor_i64: return old ^ val;
    case LOOM_IR_OP_atomic_fetch_smin_i32: case LOOM_IR_OP_atomic_fetch_smin_i64:
        return (int64_t)so < (int64_t)sv ? old : val;
    case LOOM_IR_OP_atomic_fetch_smax_i32: case LOOM_IR_OP_atomic_fetch_smax_i64:
        return (int64_t)so > (int64_t)sv ? old : val;
    case LOOM_IR_OP_atomic_fetch_umin_i32: case LOOM_IR_OP_atomic_fetch_umin_i64:
        return uo < uv ? old : val;
    case LOOM_IR_OP_atomic_fetch_umax_i32: case LOOM_IR_OP_atomic_fetch_umax_i64:
        return uo > uv ? old : val;
    default:
        loom_fatal("internal error: opcode %u is not an atomic op", opc);
    }
}

/* Sequentially consistent compare-and-swap on host memory of one size. */
static bool host_cas(uint8_t *p, unsigned size, uint64_t *expected, uint64_t desired)
{
    switch (size) {
    case 1: {
        uint8_t e = (uint8_t)*expected;
        bool ok = __atomic_compare_exchange_n(p, &e, (uint8_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    case 2: {
        uint16_t e = (uint16_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint16_t *)p, &e, (uint16_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    case 4: {
        uint32_t e = (uint32_t)*expected;
        bool ok = __atomic_compare_exchange_n((uint32_t *)p, &e, (uint32_t)desired, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        return ok;
    }
    default:
        return __atomic_compare_exchange_n((uint64_t *)p, expected, desired, false,
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

uint64_t loom_atomic(LoomCPU *cpu, unsigned opc, uint64_t addr, uint64_t cmp, uint64_t val,
                     unsigned memop, int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    MemRegion *mr = NULL;
    uint64_t paddr = 0, old, mask = size == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8)) - 1;
    bool is_cmpxchg = opc == LOOM_IR_OP_atomic_cmpxchg_i32 || opc == LOOM_IR_OP_atomic_cmpxchg_i64;
    uint8_t *host;

    /* atomics are always naturally aligned, whatever the memop says */
    check_align(cpu, addr, memop | LOOM_MEM_ALIGN, LOOM_ACCESS_STORE, mmu_idx, ra);
    host = tlb_resolve(cpu, addr, size, LOOM_ACCESS_STORE, mmu_idx, ra, &mr, &paddr);
    if (!host && mr->lockless && cpu->machine->parallel && !cpu->priv->excl) {
        /* a device that takes no lock has no atomic read-modify-write:
           replay the insn with every other vCPU stopped (cpu-exec.c) */
        loom_cpu_exit_atomic(cpu, ra);
    }
    if (memop & LOOM_MEM_BE) {
        /* big-endian guests: swap in and out (values, not addresses) */
        cmp = loom_bswap_size(cmp, size);
        val = loom_bswap_size(val, size);
    }
    if (!host) {
        /* device memory: read-modify-write as one step under the BQL;
           a lockless device gets a plain read and write, atomic for the
           guest because no other vCPU runs meanwhile (above) */
        bool lock;

        icount_io(cpu);                 /* icount: MMIO ends its TB */
        lock = !mr->lockless && !loom_bql_locked();
        if (lock) {
            loom_bql_lock();
        }
        old = mmio_read(mr, paddr, size, loom_mem_attrs_cpu(cpu->cpu_index));
        if (is_cmpxchg) {
            if (old == (cmp & mask)) {
                mmio_write(mr, paddr, val & mask, size, loom_mem_attrs_cpu(cpu->cpu_index));
            }
        } else {
            mmio_write(mr, paddr, rmw_result(opc, old, val, memop) & mask, size,
                       loom_mem_attrs_cpu(cpu->cpu_index));
        }
        if (lock) {
            loom_bql_unlock();
        }
    } else if (is_cmpxchg) {
        old = cmp & mask;
        host_cas(host, size, &old, val & mask);
        store_done(cpu, addr, size, mmu_idx);
    } else {
        /* one CAS loop serves every read-modify-write op and every size */
        old = host_load(host, size);
        while (!host_cas(host, size, &old, rmw_result(opc, old, val, memop) & mask)) {
            /* old now holds the current value: retry */
        }
        store_done(cpu, addr, size, mmu_idx);
    }
    if (memop & LOOM_MEM_BE) {
        old = loom_bswap_size(old, size);
    }
    return loom_memop_extend(old, memop);
}

uint8_t *tlb_code_ptr(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uintptr_t ra)
{
    MemRegion *mr = NULL;
    uint64_t paddr = 0;
    uint8_t *host = tlb_resolve(cpu, vaddr, 1, LOOM_ACCESS_FETCH, mmu_idx, ra, &mr, &paddr);

    if (!host) {
        /* executing from device memory is not supported: a bus error */
        cpu->machine->fe->do_transaction_failed(cpu, paddr, vaddr, LOOM_ACCESS_FETCH,
                                                mmu_idx, ra);
        loom_fatal("internal error: front-end returned from do_transaction_failed");
    }
    return host;
}

uint64_t tlb_code_phys(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uintptr_t ra)
{
    tlb_code_ptr(cpu, vaddr, mmu_idx, ra);
    return io_entry(cpu, (unsigned)mmu_idx, vaddr)->paddr | (vaddr & ~page_mask());
}

bool tlb_code_phys_probe(LoomCPU *cpu, uint64_t vaddr, int mmu_idx, uint64_t *paddr)
{
    const LoomTLBEntry *e;

    if (mmu_idx < 0 || (unsigned)mmu_idx >= cpu->priv->tlb_modes) {
        return false;
    }
    e = tlb_entry(cpu, (unsigned)mmu_idx, vaddr);

    if (!tlb_hit(e->addr_code, vaddr) || (e->addr_code & LOOM_TLB_FILL_EACH)) {
        if (!cpu->machine->fe->tlb_fill(cpu, vaddr, 1, LOOM_ACCESS_FETCH, mmu_idx, true, 0)) {
            return false;
        }
        e = tlb_entry(cpu, (unsigned)mmu_idx, vaddr);  /* a fill may rewrite it */
        if (!tlb_hit(e->addr_code, vaddr)) {
            return false;
        }
    }
    *paddr = io_entry(cpu, (unsigned)mmu_idx, vaddr)->paddr | (vaddr & ~page_mask());
    return true;
}
