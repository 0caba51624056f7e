/*
 * The interpreter's weak-memory mode (-accel tcg,backend=interp,weak=on):
 * a simulated weakly ordered host, so that a missing barrier fails a test
 * even on a strongly ordered (x86-64) host.  docs/design.md, "The
 * weak-memory interpreter", says what it models and why.
 *
 * Each host thread that runs vCPUs has a store buffer (thread-local).
 * Guest stores to plain RAM go into it and reach memory later, each after
 * a random number of the thread's later memory accesses, so stores to
 * different addresses become visible out of order and loads overtake
 * earlier stores.  Loads are performed in program order, at once; a load
 * of bytes the thread itself stored reads them from the buffer.
 *
 * Invariant: the buffer is empty whenever the core runs on this thread.
 * It is drained before every call into the core that is not a plain RAM
 * access (helpers, atomics, the softmmu slow path, TB lookups) and before
 * exec_tb returns; the core therefore never sees a store of this thread
 * that has not reached memory, and a fault (which leaves through the core)
 * never loses one.  Entries hold host addresses of guest RAM resolved at
 * the store, in program order, through the vCPU's TLB; RAM does not move
 * while vCPUs run.
 */
#ifndef INTERP_WEAK_H
#define INTERP_WEAK_H

#include <loom/loom.h>

#define WEAK_ENTRIES 32         /* a full buffer drains its oldest group */
#define WEAK_HOLD_MAX 64        /* an entry waits 1..64 memory accesses */
#define WEAK_DEFAULT_SEED 1

typedef struct WeakEntry {
    uint8_t *host;              /* guest RAM, host address */
    uint64_t val;               /* the bytes, in memory order */
    uint64_t due;               /* reaches memory once tick gets here */
    uint64_t epoch;             /* ST_ST fences before the store */
    unsigned size;              /* 1, 2, 4 or 8; host aligned */
} WeakEntry;

/* One host thread's buffer.  Entries are in program order (so epochs
   never decrease) and never overlap: a store overlapping an entry
   drains that entry first. */
typedef struct WeakBuffer {
    unsigned n;
    bool seeded;
    unsigned page_bits;         /* loom_tlb_page_bits(), fixed */
    uint64_t tick;              /* the thread's memory accesses so far */
    uint64_t next_due;          /* the smallest due, UINT64_MAX if empty */
    uint64_t epoch;             /* ST_ST fences so far */
    uint64_t rng;               /* xorshift64* state */
    WeakEntry e[WEAK_ENTRIES];
} WeakBuffer;

/* weak=on; written once by set_option, before any vCPU thread exists */
extern bool weak_enabled;

int weak_set_option(const char *name, const char *value, char *msg, size_t msg_size);
/* This thread's buffer (seeded at first use from weak-seed and cpu). */
WeakBuffer *weak_buffer(LoomCPU *cpu);
uint64_t weak_ld(WeakBuffer *b, LoomCPU *cpu, uint64_t addr, unsigned memop, int mmu_idx,
                 uintptr_t ra);
void weak_st(WeakBuffer *b, LoomCPU *cpu, uint64_t addr, uint64_t val, unsigned memop,
             int mmu_idx, uintptr_t ra);
/* The IR mb op: mo is its LOOM_MO_* bits. */
void weak_fence(WeakBuffer *b, unsigned mo);
/* A chained TB entry: counts as an access, so that a loop without
   memory accesses still drains its buffer. */
void weak_tick_tb(WeakBuffer *b);
void weak_drain_all(WeakBuffer *b);

/* Everything to memory: before the core runs (see above). */
static inline void weak_drain(WeakBuffer *b)
{
    if (b && b->n) {
        weak_drain_all(b);
    }
}

#endif /* INTERP_WEAK_H */
