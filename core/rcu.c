/*
 * Grace periods: a global epoch and one record per reader thread.
 *
 * A reader in a read section publishes the epoch it saw on entry in its
 * record (ctr); outside read sections ctr is 0.  rcu_synchronize()
 * advances the epoch and waits until every record is 0 or holds the new
 * epoch: such a reader either was outside any read section or entered
 * after the advance, and in both cases cannot reach what the writer
 * unlinked before calling rcu_synchronize().
 *
 * Why the entry needs a full fence: it is a store (ctr) followed by loads
 * (the shared pointers), and the writer does the mirror image, stores
 * (unlinking) then loads (every ctr).  With a seq_cst fence on each side,
 * either the writer's scan sees the reader's ctr, and waits for it, or
 * the reader's loads see the unlinking, and never reach the old memory.
 * The exit is a release store of 0, which the writer's acquire load of
 * ctr pairs with: everything the reader did happens before the free.
 *
 * The fences alone do not cover a reader that enters after the advance:
 * the writer does not wait for a ctr equal to the new epoch, so such a
 * reader must see the unlinking.  The epoch is therefore advanced with a
 * release store and read on entry with an acquire load: a reader that
 * reads the new epoch synchronizes with the advance, and the unlinking
 * stores (before it in the writer) happen before its loads.  A relaxed
 * advance would let a weakly ordered host make the new epoch visible
 * before the unlinking (x86's stores are seen in order, which hid this).
 * (ThreadSanitizer does not model fences, but it sees that release/acquire
 * pair, which is the edge that orders a reader's accesses before a free.)
 *
 * Written here rather than taken from liburcu so that it is plain C11
 * atomics that ThreadSanitizer understands, needs no per-thread
 * registration in the vCPU loop, and costs one fence per read section,
 * like liburcu's memb flavour (docs/design.md, "The TB hash table").
 *
 * Lock order: registry.lock is a leaf; it is taken by rcu_synchronize
 * (while it waits) and by registration, never inside a read section.
 */
#include "config.h"
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include "rcu.h"

typedef struct RcuReader {
    /* atomic: 0 outside read sections, else the epoch seen on entry.
       Written only by the owner thread, read by rcu_synchronize. */
    uint64_t ctr;
    unsigned depth;                     /* owner thread only: nesting */
    struct RcuReader *next;             /* protected by registry.lock */
} RcuReader;

static struct {
    pthread_mutex_t lock;               /* protects readers and serialises
                                           grace periods */
    RcuReader *readers;
    /* atomic: current epoch, never 0; advanced under lock */
    uint64_t epoch;
    pthread_key_t key;                  /* thread exit -> unregister */
    pthread_once_t once;
} registry = { .lock = PTHREAD_MUTEX_INITIALIZER, .epoch = 1, .once = PTHREAD_ONCE_INIT };

static __thread RcuReader *self;
/* rcu_nowait_begin nesting depth, owner thread only */
static __thread unsigned nowait_depth;

/* A thread that exits leaves the registry (it is outside any read section:
   the rules forbid exiting inside one). */
static void unregister_reader(void *p)
{
    RcuReader *r = p;

    pthread_mutex_lock(&registry.lock);
    for (RcuReader **pp = &registry.readers; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            break;
        }
    }
    pthread_mutex_unlock(&registry.lock);
    assert(__atomic_load_n(&r->ctr, __ATOMIC_RELAXED) == 0);
    free(r);
}

static void create_key(void)
{
    if (pthread_key_create(&registry.key, unregister_reader) != 0) {
        abort();
    }
}

static RcuReader *register_reader(void)
{
    RcuReader *r = calloc(1, sizeof(*r));

    if (!r) {
        abort();
    }
    pthread_once(&registry.once, create_key);
    pthread_setspecific(registry.key, r);
    pthread_mutex_lock(&registry.lock);
    r->next = registry.readers;
    registry.readers = r;
    pthread_mutex_unlock(&registry.lock);
    self = r;
    return r;
}

void rcu_read_lock(void)
{
    RcuReader *r = self ? self : register_reader();

    if (r->depth++ == 0) {
        /* acquire: pairs with the release advance in rcu_synchronize,
           so a reader that sees the new epoch sees the unlinking too */
        __atomic_store_n(&r->ctr, __atomic_load_n(&registry.epoch, __ATOMIC_ACQUIRE),
                         __ATOMIC_RELAXED);
        /* orders the ctr store before this section's loads of shared
           pointers; pairs with the fence in rcu_synchronize (see top) */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
}

void rcu_read_unlock(void)
{
    RcuReader *r = self;

    assert(r && r->depth > 0);
    if (--r->depth == 0) {
        /* release: the section's loads are done before a writer that
           sees 0 frees what they read */
        __atomic_store_n(&r->ctr, 0, __ATOMIC_RELEASE);
    }
}

bool rcu_read_held(void)
{
    return self && self->depth > 0;
}

void rcu_nowait_begin(void)
{
    nowait_depth++;
}

void rcu_nowait_end(void)
{
    assert(nowait_depth > 0);
    nowait_depth--;
}

void rcu_synchronize(void)
{
    uint64_t now;

    assert(!rcu_read_held());
    assert(nowait_depth == 0);
    pthread_mutex_lock(&registry.lock);
    now = __atomic_load_n(&registry.epoch, __ATOMIC_RELAXED) + 1;
    /* release: the caller's unlinking before the new epoch (see top); a
       reader that enters with `now` is not waited for */
    __atomic_store_n(&registry.epoch, now, __ATOMIC_RELEASE);
    /* orders the caller's unlinking stores (and the new epoch) before the
       ctr loads below; pairs with the fence in rcu_read_lock */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (RcuReader *r = registry.readers; r; r = r->next) {
        for (;;) {
            /* acquire: pairs with the release in rcu_read_unlock */
            uint64_t c = __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE);
            if (c == 0 || c == now) {
                break;
            }
            /* read sections are short: let the reader finish */
            sched_yield();
        }
    }
    pthread_mutex_unlock(&registry.lock);
}
