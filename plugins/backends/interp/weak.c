/*
 * The interpreter's weak-memory mode: per-thread store buffers drained
 * late and out of order (weak.h says the model and the invariant).
 *
 * Threading: a WeakBuffer is thread-local and touched only by its
 * thread.  The memory writes that drain it are relaxed atomics, as the
 * core's own RAM accesses (core/ldst.c): other vCPU threads read the
 * same words concurrently.  weak_enabled and weak_seed are written once,
 * before any vCPU thread starts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <stdio.h>
#include "weak.h"

bool weak_enabled;
static uint64_t weak_seed = WEAK_DEFAULT_SEED;

static __thread WeakBuffer tls_buffer;

/* ---- options ---- */

int weak_set_option(const char *name, const char *value, char *msg, size_t msg_size)
{
    if (!strcmp(name, "weak")) {
        if (!strcmp(value, "on")) {
            weak_enabled = true;
        } else if (!strcmp(value, "off")) {
            weak_enabled = false;
        } else {
            snprintf(msg, msg_size, "weak=%s is not valid: give on or off", value);
            return LOOM_BACKEND_OPTION_INVALID;
        }
        return LOOM_BACKEND_OPTION_TAKEN;
    }
    if (!strcmp(name, "weak-seed")) {
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(value, &end, 0);
        if (!*value || *end || errno || value[0] == '-') {
            snprintf(msg, msg_size, "weak-seed=%s is not valid: give a number, e.g. "
                     "weak-seed=42", value);
            return LOOM_BACKEND_OPTION_INVALID;
        }
        weak_seed = v;
        return LOOM_BACKEND_OPTION_TAKEN;
    }
    snprintf(msg, msg_size, "weak=on|off, weak-seed=N");
    return LOOM_BACKEND_OPTION_UNKNOWN;
}

/* ---- randomness ---- */

static uint64_t splitmix64(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* xorshift64*: fast, and plenty for drain decisions */
static inline uint64_t rnd(WeakBuffer *b)
{
    b->rng ^= b->rng >> 12;
    b->rng ^= b->rng << 25;
    b->rng ^= b->rng >> 27;
    return b->rng * UINT64_C(0x2545f4914f6cdd1d);
}

static inline unsigned rnd_below(WeakBuffer *b, unsigned n)
{
    return (unsigned)((rnd(b) >> 32) % n);
}

WeakBuffer *weak_buffer(LoomCPU *cpu)
{
    WeakBuffer *b = &tls_buffer;

    if (!b->seeded) {
        /* one sequence per thread, from the seed and the first vCPU it
           runs: with thread=multi, each vCPU's own */
        b->rng = splitmix64(weak_seed ^ splitmix64(cpu->cpu_index + 1)) | 1;
        b->page_bits = loom_tlb_page_bits();
        b->next_due = UINT64_MAX;
        b->seeded = true;
    }
    return b;
}

/* ---- the buffer ---- */

static void mem_store(uint8_t *p, uint64_t v, unsigned size)
{
    switch (size) {
    case 1: __atomic_store_n(p, (uint8_t)v, __ATOMIC_RELAXED); break;
    case 2: __atomic_store_n((uint16_t *)(void *)p, (uint16_t)v, __ATOMIC_RELAXED); break;
    case 4: __atomic_store_n((uint32_t *)(void *)p, (uint32_t)v, __ATOMIC_RELAXED); break;
    default: __atomic_store_n((uint64_t *)(void *)p, v, __ATOMIC_RELAXED); break;
    }
}

static uint64_t mem_load(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return __atomic_load_n(p, __ATOMIC_RELAXED);
    case 2: return __atomic_load_n((const uint16_t *)(const void *)p, __ATOMIC_RELAXED);
    case 4: return __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_RELAXED);
    default: return __atomic_load_n((const uint64_t *)(const void *)p, __ATOMIC_RELAXED);
    }
}

static void update_next_due(WeakBuffer *b)
{
    b->next_due = UINT64_MAX;
    for (unsigned i = 0; i < b->n; i++) {
        if (b->e[i].due < b->next_due) {
            b->next_due = b->e[i].due;
        }
    }
}

/* Write entry i to memory and drop it. */
static void commit(WeakBuffer *b, unsigned i)
{
    mem_store(b->e[i].host, b->e[i].val, b->e[i].size);
    b->n--;
    memmove(&b->e[i], &b->e[i + 1], (b->n - i) * sizeof(b->e[0]));
}

/* How many entries the oldest epoch has: entries [0, k) share it, and
   no fence orders them among themselves. */
static unsigned oldest_group(const WeakBuffer *b)
{
    unsigned k = 1;

    while (k < b->n && b->e[k].epoch == b->e[0].epoch) {
        k++;
    }
    return k;
}

/*
 * Drain entry i, after every entry an ST_ST fence orders before it (the
 * older epochs, in random order within each).  Those all sit before i,
 * so each commit moves i down by one.
 */
static void drain_entry(WeakBuffer *b, unsigned i)
{
    uint64_t ep = b->e[i].epoch;

    while (b->e[0].epoch < ep) {
        commit(b, rnd_below(b, oldest_group(b)));
        i--;
    }
    commit(b, i);
}

void weak_drain_all(WeakBuffer *b)
{
    while (b->n) {
        commit(b, rnd_below(b, oldest_group(b)));
    }
    b->next_due = UINT64_MAX;
}

/* One memory access passed: entries whose time has come reach memory,
   in random order. */
static void drain_due(WeakBuffer *b)
{
    for (;;) {
        unsigned due = 0, pick;

        for (unsigned i = 0; i < b->n; i++) {
            due += b->e[i].due <= b->tick;
        }
        if (!due) {
            break;
        }
        pick = rnd_below(b, due);
        for (unsigned i = 0; i < b->n; i++) {
            if (b->e[i].due <= b->tick && pick-- == 0) {
                drain_entry(b, i);
                break;
            }
        }
    }
    update_next_due(b);
}

static inline void tick(WeakBuffer *b)
{
    if (++b->tick >= b->next_due) {
        drain_due(b);
    }
}

void weak_tick_tb(WeakBuffer *b)
{
    tick(b);
}

static inline bool overlaps(const WeakEntry *e, const uint8_t *p, unsigned size)
{
    return e->host < p + size && p < e->host + e->size;
}

/* Drain every entry overlapping [p, p + size). */
static void drain_overlapping(WeakBuffer *b, const uint8_t *p, unsigned size)
{
    bool found;

    do {
        found = false;
        for (unsigned i = 0; i < b->n; i++) {
            if (overlaps(&b->e[i], p, size)) {
                drain_entry(b, i);
                found = true;
                break;
            }
        }
    } while (found);
    update_next_due(b);
}

/* ---- guest accesses ---- */

/*
 * The host address of an aligned RAM access that the vCPU's TLB maps
 * with no flag (no MMIO, code page, watchpoint, one-access entry), as a
 * back-end's inline fast path sees it (include/loom/cpu.h); else NULL:
 * the access takes the core's slow path.
 */
static uint8_t *tlb_host(const WeakBuffer *b, LoomCPU *cpu, uint64_t addr, unsigned size,
                         bool store, int mmu_idx)
{
    uint64_t page_mask = ~((UINT64_C(1) << b->page_bits) - 1);
    const LoomTLBEntry *e;
    uint64_t tag;

    if ((addr & (size - 1)) || (unsigned)mmu_idx >= LOOM_TLB_MAX_MODES) {
        return NULL;
    }
    e = loom_tlb_entry(cpu, (unsigned)mmu_idx, addr, b->page_bits);
    tag = store ? e->addr_write : e->addr_read;
    if (tag != (addr & page_mask)) {
        return NULL;
    }
    return (uint8_t *)(uintptr_t)(addr + e->addend);
}


_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host");

uint64_t weak_ld(WeakBuffer *b, LoomCPU *cpu, uint64_t addr, unsigned memop, int mmu_idx,
                 uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    uint8_t *host = tlb_host(b, cpu, addr, size, false, mmu_idx);
    uint64_t v;
    bool forwarded = false;

    if (!host) {
        /* the slow path may fill the TLB (page-table walk), fault or
           reach a device: the core sees memory as this thread left it */
        weak_drain(b);
        return loom_ld(cpu, addr, memop, mmu_idx, ra);
    }
    tick(b);
    for (unsigned i = 0; i < b->n; i++) {
        const WeakEntry *e = &b->e[i];
        if (overlaps(e, host, size)) {
            if (e->host <= host && host + size <= e->host + e->size) {
                /* store forwarding: this thread's latest bytes (entries
                   never overlap, so no other entry has any of them) */
                v = e->val >> (8 * (host - e->host));
                forwarded = true;
            } else {
                /* a partial overlap: the overlapping stores go first */
                drain_overlapping(b, host, size);
            }
            break;
        }
    }
    if (!forwarded) {
        v = mem_load(host, size);
    }
    if (memop & LOOM_MEM_BE) {
        v = loom_bswap_size(v, size);
    }
    return loom_memop_extend(v, memop);
}

void weak_st(WeakBuffer *b, LoomCPU *cpu, uint64_t addr, uint64_t val, unsigned memop,
             int mmu_idx, uintptr_t ra)
{
    unsigned size = loom_memop_size(memop);
    uint8_t *host = tlb_host(b, cpu, addr, size, true, mmu_idx);
    WeakEntry *e;

    if (!host) {
        /* device, code page (the core invalidates translations), fault,
           TLB fill, unaligned: all after this thread's earlier stores */
        weak_drain(b);
        loom_st(cpu, addr, val, memop, mmu_idx, ra);
        return;
    }
    tick(b);
    if (memop & LOOM_MEM_BE) {
        val = loom_bswap_size(val, size);
    }
    if (size < 8) {
        val &= (UINT64_C(1) << (8 * size)) - 1;
    }
    for (unsigned i = 0; i < b->n; i++) {
        e = &b->e[i];
        if (e->host == host && e->size == size && e->epoch == b->epoch) {
            /* the same bytes, no fence between: the new value replaces
               the old one, which no one else will ever see (allowed: it
               could have been overwritten at once), and reaches memory
               when the old one would have */
            e->val = val;
            return;
        }
    }
    /* coherence: stores to the same bytes reach memory in program order */
    drain_overlapping(b, host, size);
    if (b->n == WEAK_ENTRIES) {
        drain_entry(b, rnd_below(b, oldest_group(b)));
    }
    e = &b->e[b->n++];
    e->host = host;
    e->val = val;
    e->size = size;
    e->epoch = b->epoch;
    e->due = b->tick + 1 + rnd_below(b, WEAK_HOLD_MAX);
    if (e->due < b->next_due) {
        b->next_due = e->due;
    }
}

void weak_fence(WeakBuffer *b, unsigned mo)
{
    if (mo & LOOM_MO_ST_LD) {
        /* later loads must not pass earlier stores: drain */
        weak_drain(b);
    } else if ((mo & LOOM_MO_ST_ST) && b->n && b->e[b->n - 1].epoch == b->epoch) {
        /* later stores must not reach memory before earlier ones: a
           new epoch (loads are in order anyway: LD_LD, LD_ST are free) */
        b->epoch++;
    }
}
