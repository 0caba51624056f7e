/*
 * QHT: a concurrent hash table of (hash, pointer) pairs with lock-free
 * lookups, for the TB table.
 *
 * The table stores the caller's object pointers and 32-bit hashes, never
 * keys: equality is decided by a caller-supplied function that compares
 * a stored object with the caller's key or object.  Lookups take no lock
 * and may run while other threads insert, remove, reset or resize.
 *
 * Object lifetime is the caller's business: a lookup that races with the
 * removal of an object may still return it, so an object must stay valid
 * until no lookup can be in flight (for TBs: until a flush in an
 * exclusive section, when no vCPU runs).
 *
 * Callbacks (QHTCmpFn, QHTIterFn) run with a bucket lock held or inside a
 * lookup: they must not take locks, block, or call back into the table.
 */
#ifndef LOOM_CORE_QHT_H
#define LOOM_CORE_QHT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the stored object obj matches userp (a key or an object). */
typedef bool (*QHTCmpFn)(const void *obj, const void *userp);
typedef void (*QHTIterFn)(void *obj, uint32_t hash, void *opaque);

typedef struct QHTMap QHTMap;

enum {
    /* grow when chains get long, inside qht_insert; without it, the
       caller grows the table with qht_grow_if_needed() where it may wait
       for a grace period (no spin lock held, outside read sections) */
    QHT_AUTO_RESIZE = 1u << 0,
};

typedef struct QHT {
    /* atomic: the current bucket array, replaced by resize while holding
       resize_lock and every bucket lock of the old map; RCU-protected */
    QHTMap *map;
    pthread_mutex_t resize_lock;        /* serialises resize, reset, iter */
    QHTCmpFn cmp;                       /* for qht_insert and qht_lookup */
    unsigned mode;                      /* QHT_* */
} QHT;

typedef struct QHTStats {
    size_t entries;
    size_t head_buckets;                /* the bucket array */
    size_t used_head_buckets;           /* with at least one entry */
    size_t overflow_buckets;            /* chained after a full head */
    size_t longest_chain;               /* in buckets, head included */
} QHTStats;

/* A table sized for about n_elems entries; mode is QHT_* flags. */
void qht_init(QHT *ht, QHTCmpFn cmp, size_t n_elems, unsigned mode);
/* Free the table.  No other thread may use it any more. */
void qht_destroy(QHT *ht);

/* The stored object for which cmp(obj, userp) is true, or NULL. */
void *qht_lookup(QHT *ht, const void *userp, uint32_t hash);
/* The same with another comparison, e.g. stored object against a key. */
void *qht_lookup_custom(QHT *ht, const void *userp, uint32_t hash, QHTCmpFn fn);

/* Insert p (not NULL).  If an object equal to p (ht->cmp(stored, p)) is
   already there, nothing is inserted, false is returned and *existing (if
   not NULL) gets that object: of two threads inserting equal objects,
   exactly one wins and both end up with the winner. */
bool qht_insert(QHT *ht, void *p, uint32_t hash, void **existing);
/* Double the table if its chains have grown too long (waits for a grace
   period then: not inside rcu_read_lock or a no-wait section).  Cheap
   when there is nothing to do. */
void qht_grow_if_needed(QHT *ht);
/* Remove exactly the object p stored under hash; false if it is absent. */
bool qht_remove(QHT *ht, const void *p, uint32_t hash);
/* Remove every entry; memory is reclaimed after a grace period. */
void qht_reset(QHT *ht);
/* Rebuild for about n_elems entries without stopping lookups; false if
   the size would not change.  Must not be called inside rcu_read_lock. */
bool qht_resize(QHT *ht, size_t n_elems);

/* Call fn on every entry once.  Concurrent inserts and removals may or
   may not be seen; resizes and resets wait. */
void qht_iter(QHT *ht, QHTIterFn fn, void *opaque);
void qht_stats(QHT *ht, QHTStats *st);

#endif
