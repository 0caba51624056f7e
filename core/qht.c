/*
 * QHT: concurrent hash table with lock-free lookups (see qht.h).
 *
 * Layout: a power-of-two array of head buckets, one cache line each.  A
 * bucket holds QHT_BUCKET_ENTRIES (hash, pointer) pairs and a link to an
 * overflow bucket, allocated when the chain is full.  The head's lock and
 * sequence counter govern the whole chain.
 *
 * Readers take no lock: inside an RCU read section (rcu.h) they read the
 * head's sequence, scan the chain, and retry if the sequence moved.
 * Writers (insert, remove, reset) lock the head, then bump the sequence
 * to odd, change the chain, and bump it back to even.
 *
 * Resize builds a new map while holding every head lock of the old one,
 * publishes it, unlocks, and frees the old map after a grace period.  Old
 * buckets are never written during a resize, so lookups that still scan
 * them find every entry that was there: readers never stop or retry
 * because of a resize.  A writer that locked a head of a map that is no
 * longer current sees so under the lock and retries on the new map.
 *
 * Lock order (outermost first):
 *   resize_lock  ->  head bucket locks, in index order
 * Insert and remove hold one head lock at a time and take nothing else;
 * the caller's callbacks run under a head lock and must take no lock.
 * The bucket locks are spinlocks on plain atomics rather than pthread
 * spinlocks: a resize holds thousands at once, and ThreadSanitizer's
 * deadlock detector cannot track that many held mutexes.
 */
#include "config.h"
#include <assert.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "qht.h"
#include "rcu.h"

#define QHT_BUCKET_ENTRIES 4

/*
 * Invariants of a chain (checked by map_sanity):
 *  - The non-NULL pointers form a prefix in chain order: the first NULL
 *    slot ends the chain's entries.  Removal keeps this by moving the
 *    chain's last entry into the hole.
 *  - Every entry of the chain at index i has (hash & (n_buckets - 1)) == i.
 *  - An object is stored at most once, and no two stored objects are
 *    equal under ht->cmp (insert checks under the head lock).
 *  - Only a writer holding the head's lock changes the chain, and only
 *    inside a sequence write section (seq odd).
 *  - Overflow buckets are only appended while their map is current; they
 *    are freed with the map, or by reset, after a grace period.
 * All fields readers touch (seq, hashes, pointers, next) are accessed
 * with atomics; pointers are published with release stores after the
 * hash, so a reader that sees a pointer also sees its hash.
 */
typedef struct QHTBucket {
    uint32_t lock;                      /* head only: 0 free, 1 held */
    /* head only, atomic: odd while a writer changes the chain */
    uint32_t seq;
    uint32_t hashes[QHT_BUCKET_ENTRIES];
    void *pointers[QHT_BUCKET_ENTRIES]; /* NULL: free slot */
    struct QHTBucket *next;             /* overflow bucket */
} __attribute__((aligned(64))) QHTBucket;

_Static_assert(sizeof(QHTBucket) == 64, "a QHT bucket is one cache line");

struct QHTMap {
    QHTBucket *buckets;
    size_t n_buckets;                   /* a power of two */
    /* atomic: overflow buckets in the map; above the threshold the chains
       are too long and an auto-resizing table doubles */
    size_t n_added_buckets;
    size_t n_added_threshold;
};

/*
 * Grow at one overflow bucket per 8 heads: with a well-mixed hash a head
 * overflows (more than 4 entries) for about 1 in 8 heads when the table
 * holds 0.65 entries per slot, so lookups mostly touch one cache line.
 */
#define QHT_ADDED_THRESHOLD_DIV 8

static inline void cpu_relax(unsigned *spins)
{
    /* a lock holder or writer may have been preempted: after a while,
       give it the CPU instead of burning ours */
    if (++*spins < 64) {
#ifdef LOOM_SPIN_HINT     /* configure: pause, yield, or none */
        LOOM_SPIN_HINT();
#endif
    } else {
        sched_yield();
    }
}

static void bucket_lock(QHTBucket *b)
{
    unsigned spins = 0;

    /* acquire: the chain as the previous holder left it */
    while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&b->lock, __ATOMIC_RELAXED)) {
            cpu_relax(&spins);
        }
    }
}

static void bucket_unlock(QHTBucket *b)
{
    /* release: our changes to the chain before the next holder's */
    __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
}

static uint32_t seq_read_begin(const QHTBucket *head)
{
    unsigned spins = 0;
    uint32_t s;

    /* acquire: the chain reads below see at least what the last writer
       completed before its closing (release) increment */
    while ((s = __atomic_load_n(&head->seq, __ATOMIC_ACQUIRE)) & 1) {
        cpu_relax(&spins);
    }
    return s;
}

static bool seq_read_retry(const QHTBucket *head, uint32_t s)
{
    /* orders the chain reads before the re-read of seq: if any of them saw
       a writer's store, this sees that writer's opening increment */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return __atomic_load_n(&head->seq, __ATOMIC_RELAXED) != s;
}

/* Head lock held. */
static void seq_write_begin_locked(QHTBucket *head)
{
    __atomic_store_n(&head->seq, __atomic_load_n(&head->seq, __ATOMIC_RELAXED) + 1,
                     __ATOMIC_RELAXED);
    /* orders the odd seq before the chain stores that follow; pairs with
       the fence in seq_read_retry */
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Head lock held. */
static void seq_write_end_locked(QHTBucket *head)
{
    /* release: the chain stores before the even seq */
    __atomic_store_n(&head->seq, __atomic_load_n(&head->seq, __ATOMIC_RELAXED) + 1,
                     __ATOMIC_RELEASE);
}

static QHTBucket *buckets_alloc(size_t n)
{
    void *p;

    if (posix_memalign(&p, sizeof(QHTBucket), n * sizeof(QHTBucket)) != 0) {
        g_error("qht: out of memory for %zu buckets", n);
    }
    memset(p, 0, n * sizeof(QHTBucket));
    return p;
}

static size_t buckets_for(size_t n_elems)
{
    size_t want = (n_elems + QHT_BUCKET_ENTRIES - 1) / QHT_BUCKET_ENTRIES, n = 1;

    while (n < want && n < ((size_t)1 << (sizeof(size_t) * 8 - 8))) {
        n <<= 1;
    }
    return n;
}

static QHTMap *map_new(size_t n_buckets)
{
    QHTMap *map = g_new0(QHTMap, 1);

    map->buckets = buckets_alloc(n_buckets);
    map->n_buckets = n_buckets;
    map->n_added_threshold = n_buckets / QHT_ADDED_THRESHOLD_DIV + 1;
    return map;
}

static void chain_free(QHTBucket *b)
{
    while (b) {
        QHTBucket *next = b->next;
        free(b);
        b = next;
    }
}

/* Only after a grace period since the map stopped being current. */
static void map_free(QHTMap *map)
{
    for (size_t i = 0; i < map->n_buckets; i++) {
        chain_free(map->buckets[i].next);
    }
    free(map->buckets);
    g_free(map);
}

static inline QHTBucket *map_head(QHTMap *map, uint32_t hash)
{
    return &map->buckets[hash & (map->n_buckets - 1)];
}

/* Checks the chain invariants; resize_lock held, or no concurrency. */
static bool map_sanity(QHTMap *map)
{
    size_t added = 0;

    for (size_t i = 0; i < map->n_buckets; i++) {
        bool ended = false;
        for (QHTBucket *b = &map->buckets[i]; b; b = b->next) {
            added += b != &map->buckets[i];
            for (int j = 0; j < QHT_BUCKET_ENTRIES; j++) {
                void *p = __atomic_load_n(&b->pointers[j], __ATOMIC_RELAXED);
                uint32_t h = __atomic_load_n(&b->hashes[j], __ATOMIC_RELAXED);
                if (!p) {
                    ended = true;
                } else if (ended || (h & (map->n_buckets - 1)) != i) {
                    return false;
                }
            }
        }
    }
    return added == __atomic_load_n(&map->n_added_buckets, __ATOMIC_RELAXED);
}

void qht_init(QHT *ht, QHTCmpFn cmp, size_t n_elems, unsigned mode)
{
    memset(ht, 0, sizeof(*ht));
    ht->cmp = cmp;
    ht->mode = mode;
    pthread_mutex_init(&ht->resize_lock, NULL);
    ht->map = map_new(buckets_for(n_elems));
}

void qht_destroy(QHT *ht)
{
    if (ht->map) {
        map_free(ht->map);
        ht->map = NULL;
    }
    pthread_mutex_destroy(&ht->resize_lock);
}

/* Inside a read section: the chain may change under us. */
static void *chain_lookup(const QHTBucket *head, const void *userp, uint32_t hash,
                          QHTCmpFn fn)
{
    uint32_t s;

    do {
        s = seq_read_begin(head);
        for (const QHTBucket *b = head; b; b = __atomic_load_n(&b->next, __ATOMIC_ACQUIRE)) {
            int i;
            for (i = 0; i < QHT_BUCKET_ENTRIES; i++) {
                /* acquire: pairs with the release that published p, so
                   p's object and hash are visible */
                void *p = __atomic_load_n(&b->pointers[i], __ATOMIC_ACQUIRE);
                if (!p) {
                    break;
                }
                if (__atomic_load_n(&b->hashes[i], __ATOMIC_RELAXED) == hash && fn(p, userp)) {
                    /* p was in the table when we read it: a valid answer
                       even if the chain moves afterwards */
                    return p;
                }
            }
            if (i < QHT_BUCKET_ENTRIES) {
                break;                  /* a free slot ends the entries */
            }
        }
        /* not found: only an answer if no writer changed the chain */
    } while (seq_read_retry(head, s));
    return NULL;
}

void *qht_lookup_custom(QHT *ht, const void *userp, uint32_t hash, QHTCmpFn fn)
{
    QHTMap *map;
    void *p;

    rcu_read_lock();
    /* acquire: the map's buckets as resize built them */
    map = __atomic_load_n(&ht->map, __ATOMIC_ACQUIRE);
    p = chain_lookup(map_head(map, hash), userp, hash, fn);
    rcu_read_unlock();
    return p;
}

void *qht_lookup(QHT *ht, const void *userp, uint32_t hash)
{
    return qht_lookup_custom(ht, userp, hash, ht->cmp);
}

/*
 * Lock the head for hash in the current map.  Inside a read section (the
 * map cannot be freed while we look at it).  Resize publishes a new map
 * while holding every old head lock: once we hold one, the map we saw is
 * either still current or the re-check sees its successor.
 */
static QHTBucket *lock_head(QHT *ht, uint32_t hash, QHTMap **pmap)
{
    for (;;) {
        QHTMap *map = __atomic_load_n(&ht->map, __ATOMIC_ACQUIRE);
        QHTBucket *head = map_head(map, hash);

        bucket_lock(head);
        if (__atomic_load_n(&ht->map, __ATOMIC_RELAXED) == map) {
            *pmap = map;
            return head;
        }
        bucket_unlock(head);
    }
}

/*
 * Append (hash, p) after the chain's last entry.  Head lock held, or the
 * map not yet published.  True if an overflow bucket was added.
 */
static bool chain_append_locked(QHTMap *map, QHTBucket *head, void *p, uint32_t hash)
{
    QHTBucket *b = head, *nb;

    for (;;) {
        for (int i = 0; i < QHT_BUCKET_ENTRIES; i++) {
            if (!__atomic_load_n(&b->pointers[i], __ATOMIC_RELAXED)) {
                __atomic_store_n(&b->hashes[i], hash, __ATOMIC_RELAXED);
                /* release: the hash (and the caller's object) before p */
                __atomic_store_n(&b->pointers[i], p, __ATOMIC_RELEASE);
                return false;
            }
        }
        if (!b->next) {
            break;
        }
        b = b->next;
    }
    nb = buckets_alloc(1);
    nb->hashes[0] = hash;
    nb->pointers[0] = p;
    /* release: the new bucket's contents before the link */
    __atomic_store_n(&b->next, nb, __ATOMIC_RELEASE);
    __atomic_fetch_add(&map->n_added_buckets, 1, __ATOMIC_RELAXED);
    return true;
}

/* resize_lock held.  Returns the old map, to free after a grace period,
   or NULL if nothing changed. */
static QHTMap *resize_locked(QHT *ht, size_t n_buckets)
{
    QHTMap *old = ht->map, *new;

    if (n_buckets == old->n_buckets) {
        return NULL;
    }
    new = map_new(n_buckets);
    for (size_t i = 0; i < old->n_buckets; i++) {
        bucket_lock(&old->buckets[i]);
    }
    /* the old chains are frozen: copy every entry (the new map is not
       visible yet, so its chains need no lock or sequence) */
    for (size_t i = 0; i < old->n_buckets; i++) {
        for (QHTBucket *b = &old->buckets[i]; b; b = b->next) {
            for (int j = 0; j < QHT_BUCKET_ENTRIES && b->pointers[j]; j++) {
                chain_append_locked(new, map_head(new, b->hashes[j]), b->pointers[j],
                                    b->hashes[j]);
            }
        }
    }
    assert(map_sanity(new));
    /* release: the new buckets before the pointer to them.  Still holding
       the old locks, so writers waiting on them see the new map. */
    __atomic_store_n(&ht->map, new, __ATOMIC_RELEASE);
    for (size_t i = 0; i < old->n_buckets; i++) {
        bucket_unlock(&old->buckets[i]);
    }
    return old;
}

bool qht_resize(QHT *ht, size_t n_elems)
{
    QHTMap *old;

    pthread_mutex_lock(&ht->resize_lock);
    old = resize_locked(ht, buckets_for(n_elems));
    pthread_mutex_unlock(&ht->resize_lock);
    if (!old) {
        return false;
    }
    /* lookups and writers that loaded the old map may still scan it */
    rcu_synchronize();
    map_free(old);
    return true;
}

static bool chains_too_long(QHT *ht)
{
    /* acquire: the map's fields as its creator wrote them */
    QHTMap *map = __atomic_load_n(&ht->map, __ATOMIC_ACQUIRE);

    return __atomic_load_n(&map->n_added_buckets, __ATOMIC_RELAXED) > map->n_added_threshold;
}

void qht_grow_if_needed(QHT *ht)
{
    QHTMap *old = NULL;

    rcu_read_lock();
    if (!chains_too_long(ht)) {
        rcu_read_unlock();
        return;
    }
    rcu_read_unlock();
    pthread_mutex_lock(&ht->resize_lock);
    if (__atomic_load_n(&ht->map->n_added_buckets, __ATOMIC_RELAXED) >
        ht->map->n_added_threshold) {
        old = resize_locked(ht, ht->map->n_buckets * 2);
    }
    pthread_mutex_unlock(&ht->resize_lock);
    if (old) {
        rcu_synchronize();
        map_free(old);
    }
}

bool qht_insert(QHT *ht, void *p, uint32_t hash, void **existing)
{
    QHTMap *map;
    QHTBucket *head;
    void *prev = NULL;
    bool added_bucket = false;

    assert(p);
    rcu_read_lock();
    head = lock_head(ht, hash, &map);
    for (QHTBucket *b = head; b && !prev; b = b->next) {
        for (int i = 0; i < QHT_BUCKET_ENTRIES; i++) {
            void *q = __atomic_load_n(&b->pointers[i], __ATOMIC_RELAXED);
            if (!q) {
                break;
            }
            if (b->hashes[i] == hash && ht->cmp(q, p)) {
                prev = q;
                break;
            }
        }
    }
    if (!prev) {
        seq_write_begin_locked(head);
        added_bucket = chain_append_locked(map, head, p, hash);
        seq_write_end_locked(head);
    }
    bucket_unlock(head);
    rcu_read_unlock();

    /* a resize waits for a grace period: not inside a caller's read
       section (a later insert will grow the table instead) */
    if (added_bucket && (ht->mode & QHT_AUTO_RESIZE) && !rcu_read_held()) {
        qht_grow_if_needed(ht);
    }
    if (prev) {
        if (existing) {
            *existing = prev;
        }
        return false;
    }
    return true;
}

bool qht_remove(QHT *ht, const void *p, uint32_t hash)
{
    QHTMap *map;
    QHTBucket *head, *fb = NULL, *lb = NULL;
    int fi = -1, li = -1;

    rcu_read_lock();
    head = lock_head(ht, hash, &map);
    /* find p, and the chain's last entry */
    for (QHTBucket *b = head; b; b = b->next) {
        int i;
        for (i = 0; i < QHT_BUCKET_ENTRIES && b->pointers[i]; i++) {
            if (b->pointers[i] == p && b->hashes[i] == hash) {
                fb = b;
                fi = i;
            }
            lb = b;
            li = i;
        }
        if (i < QHT_BUCKET_ENTRIES) {
            break;
        }
    }
    if (fb) {
        seq_write_begin_locked(head);
        if (fb != lb || fi != li) {
            /* fill the hole with the last entry, then clear the last:
               keeps the entries a prefix of the chain */
            __atomic_store_n(&fb->hashes[fi], lb->hashes[li], __ATOMIC_RELAXED);
            __atomic_store_n(&fb->pointers[fi], lb->pointers[li], __ATOMIC_RELEASE);
        }
        __atomic_store_n(&lb->pointers[li], NULL, __ATOMIC_RELAXED);
        __atomic_store_n(&lb->hashes[li], 0, __ATOMIC_RELAXED);
        seq_write_end_locked(head);
    }
    bucket_unlock(head);
    rcu_read_unlock();
    return fb != NULL;
}

void qht_reset(QHT *ht)
{
    GPtrArray *chains = g_ptr_array_new();
    size_t unlinked = 0;
    QHTMap *map;

    pthread_mutex_lock(&ht->resize_lock);
    map = ht->map;
    for (size_t i = 0; i < map->n_buckets; i++) {
        QHTBucket *head = &map->buckets[i];

        bucket_lock(head);
        if (head->pointers[0] || head->next) {
            seq_write_begin_locked(head);
            for (int j = 0; j < QHT_BUCKET_ENTRIES; j++) {
                __atomic_store_n(&head->pointers[j], NULL, __ATOMIC_RELAXED);
                __atomic_store_n(&head->hashes[j], 0, __ATOMIC_RELAXED);
            }
            /* unlink the overflow buckets; readers may still be in them
               until the grace period below ends */
            if (head->next) {
                g_ptr_array_add(chains, head->next);
                for (QHTBucket *b = head->next; b; b = b->next) {
                    unlinked++;
                }
                __atomic_store_n(&head->next, NULL, __ATOMIC_RELAXED);
            }
            seq_write_end_locked(head);
        }
        bucket_unlock(head);
    }
    /* inserts do not take resize_lock and may be chaining again already:
       subtract rather than zero */
    __atomic_fetch_sub(&map->n_added_buckets, unlinked, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&ht->resize_lock);
    if (chains->len) {
        rcu_synchronize();
        for (unsigned i = 0; i < chains->len; i++) {
            chain_free(chains->pdata[i]);
        }
    }
    g_ptr_array_free(chains, TRUE);
}

void qht_iter(QHT *ht, QHTIterFn fn, void *opaque)
{
    QHTMap *map;

    pthread_mutex_lock(&ht->resize_lock);
    map = ht->map;
    for (size_t i = 0; i < map->n_buckets; i++) {
        QHTBucket *head = &map->buckets[i];

        bucket_lock(head);
        for (QHTBucket *b = head; b; b = b->next) {
            for (int j = 0; j < QHT_BUCKET_ENTRIES && b->pointers[j]; j++) {
                fn(b->pointers[j], b->hashes[j], opaque);
            }
        }
        bucket_unlock(head);
    }
    pthread_mutex_unlock(&ht->resize_lock);
}

void qht_stats(QHT *ht, QHTStats *st)
{
    QHTMap *map;

    memset(st, 0, sizeof(*st));
    pthread_mutex_lock(&ht->resize_lock);
    map = ht->map;
    st->head_buckets = map->n_buckets;
    for (size_t i = 0; i < map->n_buckets; i++) {
        QHTBucket *head = &map->buckets[i];
        size_t len = 0;

        bucket_lock(head);
        st->used_head_buckets += head->pointers[0] != NULL;
        for (QHTBucket *b = head; b; b = b->next) {
            len++;
            st->overflow_buckets += b != head;
            for (int j = 0; j < QHT_BUCKET_ENTRIES && b->pointers[j]; j++) {
                st->entries++;
            }
        }
        bucket_unlock(head);
        if (len > st->longest_chain) {
            st->longest_chain = len;
        }
    }
    pthread_mutex_unlock(&ht->resize_lock);
}
