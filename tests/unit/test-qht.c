/*
 * QHT: single-threaded correctness (insert, lookup, remove, reset,
 * resize, collisions, equal-key inserts) and multi-threaded hammers that
 * check nothing inserted and not removed is lost or seen twice.
 */
#include "config.h"
#include <string.h>
#include <glib.h>
#include "qht.h"
#include "rcu.h"

typedef struct Obj {
    uint64_t key;
    unsigned owner;                     /* which thread made it */
} Obj;

static bool obj_eq(const void *obj, const void *userp)
{
    return ((const Obj *)obj)->key == ((const Obj *)userp)->key;
}

static bool obj_key_eq(const void *obj, const void *userp)
{
    return ((const Obj *)obj)->key == *(const uint64_t *)userp;
}

static uint32_t hash_good(uint64_t k)
{
    uint64_t h = (k + 1) * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* Few distinct hashes: long chains, and equal hashes for unequal keys. */
static uint32_t hash_bad(uint64_t k)
{
    return (uint32_t)(k % 3) * 0x10001u;
}

static Obj *objs_new(size_t n, uint64_t first)
{
    Obj *o = g_new0(Obj, n);

    for (size_t i = 0; i < n; i++) {
        o[i].key = first + i;
    }
    return o;
}

static Obj *lookup_key(QHT *ht, uint64_t key, uint32_t (*hf)(uint64_t))
{
    return qht_lookup_custom(ht, &key, hf(key), obj_key_eq);
}

static void count_iter(void *obj, uint32_t hash, void *opaque)
{
    GHashTable *seen = opaque;
    unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, obj));

    g_hash_table_insert(seen, obj, GUINT_TO_POINTER(n + 1));
}

/* Every object of o[0..n) with present[i] is in the table exactly once,
   with its own hash, and nothing else is. */
static void check_contents(QHT *ht, Obj *o, size_t n, const bool *present,
                           uint32_t (*hf)(uint64_t))
{
    GHashTable *seen = g_hash_table_new(NULL, NULL);
    size_t want = 0;
    QHTStats st;

    qht_iter(ht, count_iter, seen);
    for (size_t i = 0; i < n; i++) {
        unsigned times = GPOINTER_TO_UINT(g_hash_table_lookup(seen, &o[i]));
        g_assert_cmpuint(times, ==, present[i] ? 1 : 0);
        g_assert_true(lookup_key(ht, o[i].key, hf) == (present[i] ? &o[i] : NULL));
        want += present[i];
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, want);
    qht_stats(ht, &st);
    g_assert_cmpuint(st.entries, ==, want);
    g_hash_table_destroy(seen);
}

static void test_basic(void)
{
    QHT ht;
    Obj *o = objs_new(3, 100);
    bool present[3] = { false };
    void *existing = NULL;

    qht_init(&ht, obj_eq, 16, 0);
    g_assert_null(lookup_key(&ht, 100, hash_good));
    g_assert_true(qht_insert(&ht, &o[0], hash_good(100), &existing));
    g_assert_null(existing);
    g_assert_true(qht_insert(&ht, &o[1], hash_good(101), NULL));
    g_assert_true(qht_lookup(&ht, &o[0], hash_good(100)) == &o[0]);
    g_assert_true(lookup_key(&ht, 101, hash_good) == &o[1]);
    /* a lookup with the right key but the wrong hash misses */
    g_assert_null(qht_lookup(&ht, &o[0], hash_good(100) + 1));

    /* remove needs the very object and its hash */
    g_assert_false(qht_remove(&ht, &o[2], hash_good(102)));
    g_assert_false(qht_remove(&ht, &o[0], hash_good(101)));
    g_assert_true(qht_remove(&ht, &o[0], hash_good(100)));
    g_assert_false(qht_remove(&ht, &o[0], hash_good(100)));
    g_assert_null(lookup_key(&ht, 100, hash_good));
    g_assert_true(lookup_key(&ht, 101, hash_good) == &o[1]);

    present[1] = true;
    check_contents(&ht, o, 3, present, hash_good);
    qht_destroy(&ht);
    g_free(o);
}

static void test_equal_insert(void)
{
    QHT ht;
    Obj a = { .key = 7 }, b = { .key = 7 }, c = { .key = 8 };
    void *existing = NULL;

    qht_init(&ht, obj_eq, 0, 0);
    g_assert_true(qht_insert(&ht, &a, hash_good(7), &existing));
    /* an equal object: not inserted, the stored one comes back */
    g_assert_false(qht_insert(&ht, &b, hash_good(7), &existing));
    g_assert_true(existing == &a);
    /* the same object again, too */
    existing = NULL;
    g_assert_false(qht_insert(&ht, &a, hash_good(7), &existing));
    g_assert_true(existing == &a);
    g_assert_false(qht_insert(&ht, &b, hash_good(7), NULL));
    g_assert_true(lookup_key(&ht, 7, hash_good) == &a);
    /* the same hash for an unequal key is another entry */
    g_assert_true(qht_insert(&ht, &c, hash_good(7), NULL));
    /* after removing the winner, the loser may go in */
    g_assert_true(qht_remove(&ht, &a, hash_good(7)));
    g_assert_true(qht_insert(&ht, &b, hash_good(7), NULL));
    g_assert_true(lookup_key(&ht, 7, hash_good) == &b);
    qht_destroy(&ht);
}

static void test_collisions(void)
{
    enum { N = 200 };
    QHT ht;
    Obj *o = objs_new(N, 0);
    bool present[N];
    GRand *r = g_rand_new_with_seed(42);
    QHTStats st;

    qht_init(&ht, obj_eq, 8, 0);
    for (unsigned i = 0; i < N; i++) {
        g_assert_true(qht_insert(&ht, &o[i], hash_bad(i), NULL));
        present[i] = true;
    }
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.entries, ==, N);
    g_assert_cmpuint(st.head_buckets, ==, 2);
    /* three hashes over two heads: one head holds two thirds */
    g_assert_cmpuint(st.longest_chain, >=, (N * 2 / 3) / 4);
    check_contents(&ht, o, N, present, hash_bad);

    /* remove in random order, from the middle of chains: the others stay */
    for (unsigned n = 0; n < N; n++) {
        unsigned i = g_rand_int_range(r, 0, N);
        while (!present[i]) {
            i = (i + 1) % N;
        }
        g_assert_true(qht_remove(&ht, &o[i], hash_bad(i)));
        present[i] = false;
        if (n % 17 == 0) {
            check_contents(&ht, o, N, present, hash_bad);
        }
    }
    check_contents(&ht, o, N, present, hash_bad);
    g_rand_free(r);
    qht_destroy(&ht);
    g_free(o);
}

static void test_resize(void)
{
    enum { N = 1000 };
    QHT ht;
    Obj *o = objs_new(N, 5000);
    bool present[N];
    QHTStats st;

    qht_init(&ht, obj_eq, 4, 0);
    for (unsigned i = 0; i < N; i++) {
        g_assert_true(qht_insert(&ht, &o[i], hash_good(o[i].key), NULL));
        present[i] = i % 3 != 0;
    }
    for (unsigned i = 0; i < N; i += 3) {
        g_assert_true(qht_remove(&ht, &o[i], hash_good(o[i].key)));
    }
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.head_buckets, ==, 1);      /* no auto-resize */
    g_assert_true(qht_resize(&ht, 4 * N));
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.head_buckets, ==, 1024);    /* 4000 / 4, rounded up */
    check_contents(&ht, o, N, present, hash_good);
    g_assert_false(qht_resize(&ht, 4 * N - 10));   /* same size */
    g_assert_true(qht_resize(&ht, 10));
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.head_buckets, ==, 4);
    check_contents(&ht, o, N, present, hash_good);
    qht_destroy(&ht);

    /* auto-resize grows the table as it fills */
    qht_init(&ht, obj_eq, 4, QHT_AUTO_RESIZE);
    for (unsigned i = 0; i < N; i++) {
        g_assert_true(qht_insert(&ht, &o[i], hash_good(o[i].key), NULL));
        present[i] = true;
    }
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.head_buckets, >=, N / 8);
    g_assert_cmpuint(st.overflow_buckets, <=, st.head_buckets / 8 + 1);
    check_contents(&ht, o, N, present, hash_good);
    qht_destroy(&ht);
    g_free(o);
}

static void test_reset(void)
{
    enum { N = 300 };
    QHT ht;
    Obj *o = objs_new(N, 1);
    bool present[N] = { false };
    QHTStats st;

    qht_init(&ht, obj_eq, 16, 0);
    for (unsigned i = 0; i < N; i++) {
        g_assert_true(qht_insert(&ht, &o[i], hash_bad(o[i].key), NULL));
    }
    qht_reset(&ht);
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.entries, ==, 0);
    g_assert_cmpuint(st.overflow_buckets, ==, 0);
    g_assert_cmpuint(st.longest_chain, ==, 1);
    check_contents(&ht, o, N, present, hash_bad);
    /* the table works after a reset, overflow chains included */
    for (unsigned i = 0; i < N; i += 2) {
        g_assert_true(qht_insert(&ht, &o[i], hash_bad(o[i].key), NULL));
        present[i] = true;
    }
    check_contents(&ht, o, N, present, hash_bad);
    /* an empty table with emptied overflow buckets resets too */
    for (unsigned i = 0; i < N; i += 2) {
        g_assert_true(qht_remove(&ht, &o[i], hash_bad(o[i].key)));
        present[i] = false;
    }
    qht_reset(&ht);
    qht_stats(&ht, &st);
    g_assert_cmpuint(st.overflow_buckets, ==, 0);
    check_contents(&ht, o, N, present, hash_bad);
    qht_destroy(&ht);
    g_free(o);
}

static void test_rcu_nesting(void)
{
    g_assert_false(rcu_read_held());
    rcu_read_lock();
    rcu_read_lock();
    g_assert_true(rcu_read_held());
    rcu_read_unlock();
    g_assert_true(rcu_read_held());
    rcu_read_unlock();
    g_assert_false(rcu_read_held());
    rcu_synchronize();
}

/* ---- the multi-threaded hammer ---- */

enum {
    HAMMER_WRITERS = 4,
    HAMMER_READERS = 2,
    HAMMER_KEYS = 2048,                 /* per writer, at most */
};

typedef struct Hammer {
    QHT ht;
    uint32_t (*hash)(uint64_t);
    unsigned nkeys;                     /* per writer, <= HAMMER_KEYS */
    unsigned npinned;                   /* the first ones: never removed */
    Obj *objs;                          /* [writer][key]; read-only once running */
    Obj *dups;                          /* equal twins, never stored */
    bool present[HAMMER_WRITERS][HAMMER_KEYS];  /* writer-owned rows */
    unsigned ops;                       /* per writer, at most */
    gint64 deadline;                    /* ... or until then (slow builds) */
    int stop;                           /* atomic */
    int writers_left;                   /* atomic */
    unsigned resizes;                   /* atomic */
} Hammer;

typedef struct HammerArg {
    Hammer *h;
    unsigned id;
} HammerArg;

static void *hammer_writer(void *opaque)
{
    HammerArg *a = opaque;
    Hammer *h = a->h;
    Obj *mine = &h->objs[a->id * HAMMER_KEYS];
    Obj *twins = &h->dups[a->id * HAMMER_KEYS];
    bool *present = h->present[a->id];
    GRand *r = g_rand_new_with_seed(1000 + a->id);

    for (unsigned n = 0; n < h->ops; n++) {
        if (n % 1024 == 1023 && g_get_monotonic_time() > h->deadline) {
            break;
        }
        /* skip the pinned keys: readers count on them */
        unsigned i = g_rand_int_range(r, h->npinned, h->nkeys);
        uint32_t hash = h->hash(mine[i].key);
        void *existing = NULL;

        /* only this thread changes its keys, so every answer is exact,
           whatever the other threads and resizes are doing */
        g_assert_true(lookup_key(&h->ht, mine[i].key, h->hash) == (present[i] ? &mine[i] : NULL));
        switch (g_rand_int_range(r, 0, 4)) {
        case 0:
        case 1:
            if (present[i]) {
                g_assert_false(qht_insert(&h->ht, &twins[i], hash, &existing));
                g_assert_true(existing == &mine[i]);
            } else {
                g_assert_true(qht_insert(&h->ht, &mine[i], hash, NULL));
                present[i] = true;
            }
            break;
        case 2:
            g_assert_true(qht_remove(&h->ht, &mine[i], hash) == present[i]);
            present[i] = false;
            break;
        default:
            /* a pinned key of this writer: always there */
            i = g_rand_int_range(r, 0, h->npinned);
            g_assert_true(lookup_key(&h->ht, mine[i].key, h->hash) == &mine[i]);
            break;
        }
    }
    g_rand_free(r);
    __atomic_fetch_sub(&h->writers_left, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Pinned keys of every writer are found, as the right object, all along. */
static void *hammer_reader(void *opaque)
{
    Hammer *h = opaque;
    unsigned w = 0, i = 0;

    while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
        Obj *o = &h->objs[w * HAMMER_KEYS + i];
        g_assert_true(lookup_key(&h->ht, o->key, h->hash) == o);
        w = (w + 1) % HAMMER_WRITERS;
        i = (i + 7) % h->npinned;
    }
    return NULL;
}

/* Forced resizes, growing and shrinking, while everything else runs. */
static void *hammer_resizer(void *opaque)
{
    Hammer *h = opaque;
    static const size_t sizes[] = { 64, 16384, 8, 1024, 4, 4096 };
    unsigned n = 0;

    while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
        if (qht_resize(&h->ht, sizes[n % G_N_ELEMENTS(sizes)])) {
            __atomic_fetch_add(&h->resizes, 1, __ATOMIC_RELAXED);
        }
        n++;
        g_usleep(50);
    }
    return NULL;
}

static void hammer(uint32_t (*hash)(uint64_t), unsigned mode, unsigned nkeys, unsigned npinned,
                   unsigned ops)
{
    Hammer *h = g_new0(Hammer, 1);
    HammerArg args[HAMMER_WRITERS];
    pthread_t writers[HAMMER_WRITERS], readers[HAMMER_READERS], resizer;
    unsigned total = HAMMER_WRITERS * HAMMER_KEYS;

    h->hash = hash;
    h->nkeys = nkeys;
    h->npinned = npinned;
    h->ops = ops;
    h->deadline = g_get_monotonic_time() + 3 * G_USEC_PER_SEC;
    h->objs = objs_new(total, 1u << 20);
    h->dups = objs_new(total, 1u << 20);
    h->writers_left = HAMMER_WRITERS;
    qht_init(&h->ht, obj_eq, 16, mode);
    for (unsigned w = 0; w < HAMMER_WRITERS; w++) {
        for (unsigned i = 0; i < npinned; i++) {
            Obj *o = &h->objs[w * HAMMER_KEYS + i];
            g_assert_true(qht_insert(&h->ht, o, hash(o->key), NULL));
            h->present[w][i] = true;
        }
    }
    for (unsigned i = 0; i < HAMMER_READERS; i++) {
        pthread_create(&readers[i], NULL, hammer_reader, h);
    }
    pthread_create(&resizer, NULL, hammer_resizer, h);
    for (unsigned w = 0; w < HAMMER_WRITERS; w++) {
        args[w] = (HammerArg){ h, w };
        pthread_create(&writers[w], NULL, hammer_writer, &args[w]);
    }
    for (unsigned w = 0; w < HAMMER_WRITERS; w++) {
        pthread_join(writers[w], NULL);
    }
    __atomic_store_n(&h->stop, 1, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < HAMMER_READERS; i++) {
        pthread_join(readers[i], NULL);
    }
    pthread_join(resizer, NULL);
    g_test_message("%u forced resizes", h->resizes);
    g_assert_cmpuint(h->resizes, >, 0);

    /* nothing lost, nothing twice, nothing removed still there */
    /* (the twins were never stored: check_contents counts every entry) */
    check_contents(&h->ht, h->objs, total, &h->present[0][0], hash);
    qht_destroy(&h->ht);
    g_free(h->objs);
    g_free(h->dups);
    g_free(h);
}

static unsigned hammer_ops(void)
{
    return g_test_quick() ? 100000 : 400000;
}

static void test_hammer(void)
{
    hammer(hash_good, QHT_AUTO_RESIZE, HAMMER_KEYS, HAMMER_KEYS / 8, hammer_ops());
}

static void test_hammer_collisions(void)
{
    /* long shared chains: writes move entries other threads own */
    hammer(hash_bad, 0, HAMMER_KEYS, HAMMER_KEYS / 8, hammer_ops() / 20);
}

static uint32_t hash_same(uint64_t k)
{
    return 0x5a5a5a5a;
}

static void test_hammer_one_chain(void)
{
    /* one short chain of all the writers' keys: nearly every removal
       moves another thread's entry (often the one it is looking up)
       across the slots a concurrent lookup scans; the sequence check
       must make that lookup retry rather than miss */
    hammer(hash_same, 0, 12, 2, hammer_ops());
}

/* Resets while others insert, remove and look up: answers are never
   wrong objects, and what is left afterwards is consistent. */
enum { RESET_THREADS = 3, RESET_KEYS = 512 };

typedef struct ResetRace {
    QHT ht;
    Obj objs[RESET_THREADS][RESET_KEYS];
    int stop;                           /* atomic */
    unsigned id_next;                   /* atomic */
    unsigned resets;                    /* resetter only */
} ResetRace;

static void *reset_user(void *opaque)
{
    ResetRace *rr = opaque;
    unsigned id = __atomic_fetch_add(&rr->id_next, 1, __ATOMIC_RELAXED);
    GRand *r = g_rand_new_with_seed(77 + id);

    while (!__atomic_load_n(&rr->stop, __ATOMIC_ACQUIRE)) {
        unsigned i = g_rand_int_range(r, 0, RESET_KEYS);
        Obj *o = &rr->objs[id][i], *got;

        /* a reset may drop the entry at any moment: only the identity of
           what comes back is certain */
        switch (g_rand_int_range(r, 0, 3)) {
        case 0:
            qht_insert(&rr->ht, o, hash_bad(o->key), NULL);
            break;
        case 1:
            qht_remove(&rr->ht, o, hash_bad(o->key));
            break;
        default:
            got = lookup_key(&rr->ht, o->key, hash_bad);
            g_assert_true(got == NULL || got == o);
            break;
        }
    }
    g_rand_free(r);
    return NULL;
}

static void check_entry(void *obj, uint32_t hash, void *opaque)
{
    ResetRace *rr = opaque;
    Obj *o = obj;

    g_assert_true((uintptr_t)o >= (uintptr_t)rr->objs &&
                  (uintptr_t)o < (uintptr_t)rr->objs + sizeof(rr->objs));
    g_assert_cmpuint(hash, ==, hash_bad(o->key));
    g_assert_true(lookup_key(&rr->ht, o->key, hash_bad) == o);
}

static void test_reset_concurrent(void)
{
    ResetRace *rr = g_new0(ResetRace, 1);
    pthread_t t[RESET_THREADS];
    QHTStats st;

    for (unsigned id = 0; id < RESET_THREADS; id++) {
        for (unsigned i = 0; i < RESET_KEYS; i++) {
            /* keys differ between threads: one owner per key */
            rr->objs[id][i] = (Obj){ .key = id * RESET_KEYS + i, .owner = id };
        }
    }
    qht_init(&rr->ht, obj_eq, 64, QHT_AUTO_RESIZE);
    for (unsigned id = 0; id < RESET_THREADS; id++) {
        pthread_create(&t[id], NULL, reset_user, rr);
    }
    for (rr->resets = 0; rr->resets < (g_test_quick() ? 200 : 1000); rr->resets++) {
        qht_reset(&rr->ht);
        if (rr->resets % 64 == 0) {
            qht_resize(&rr->ht, rr->resets % 128 ? 16 : 4096);
        }
        g_usleep(20);
    }
    __atomic_store_n(&rr->stop, 1, __ATOMIC_RELEASE);
    for (unsigned id = 0; id < RESET_THREADS; id++) {
        pthread_join(t[id], NULL);
    }
    qht_iter(&rr->ht, check_entry, rr);
    qht_reset(&rr->ht);
    qht_stats(&rr->ht, &st);
    g_assert_cmpuint(st.entries, ==, 0);
    g_assert_cmpuint(st.overflow_buckets, ==, 0);
    qht_destroy(&rr->ht);
    g_free(rr);
}

/* Threads inserting equal objects for the same keys agree on one winner. */
enum { RACE_THREADS = 4, RACE_KEYS = 4096 };

typedef struct Race {
    QHT ht;
    Obj objs[RACE_THREADS][RACE_KEYS];
    Obj *got[RACE_THREADS][RACE_KEYS];
    bool won[RACE_THREADS][RACE_KEYS];
    unsigned id_next;                   /* atomic */
} Race;

static void *race_thread(void *opaque)
{
    Race *r = opaque;
    unsigned id = __atomic_fetch_add(&r->id_next, 1, __ATOMIC_RELAXED);

    for (unsigned k = 0; k < RACE_KEYS; k++) {
        /* odd threads go backwards, so the races spread over the keys */
        unsigned i = id & 1 ? RACE_KEYS - 1 - k : k;
        void *existing = NULL;
        Obj *o = &r->objs[id][i];

        r->won[id][i] = qht_insert(&r->ht, o, hash_good(o->key), &existing);
        r->got[id][i] = r->won[id][i] ? o : existing;
    }
    return NULL;
}

static void test_insert_race(void)
{
    Race *r = g_new0(Race, 1);
    pthread_t t[RACE_THREADS];

    for (unsigned id = 0; id < RACE_THREADS; id++) {
        for (unsigned i = 0; i < RACE_KEYS; i++) {
            r->objs[id][i] = (Obj){ .key = i, .owner = id };
        }
    }
    qht_init(&r->ht, obj_eq, 4, QHT_AUTO_RESIZE);
    for (unsigned id = 0; id < RACE_THREADS; id++) {
        pthread_create(&t[id], NULL, race_thread, r);
    }
    for (unsigned id = 0; id < RACE_THREADS; id++) {
        pthread_join(t[id], NULL);
    }
    for (unsigned i = 0; i < RACE_KEYS; i++) {
        Obj *winner = lookup_key(&r->ht, i, hash_good);
        unsigned wins = 0;

        g_assert_nonnull(winner);
        for (unsigned id = 0; id < RACE_THREADS; id++) {
            g_assert_true(r->got[id][i] == winner);
            wins += r->won[id][i];
        }
        g_assert_cmpuint(wins, ==, 1);
        g_assert_true(r->won[winner->owner][i]);
    }
    qht_destroy(&r->ht);
    g_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qht/basic", test_basic);
    g_test_add_func("/qht/equal-insert", test_equal_insert);
    g_test_add_func("/qht/collisions", test_collisions);
    g_test_add_func("/qht/resize", test_resize);
    g_test_add_func("/qht/reset", test_reset);
    g_test_add_func("/qht/rcu-nesting", test_rcu_nesting);
    g_test_add_func("/qht/insert-race", test_insert_race);
    g_test_add_func("/qht/hammer", test_hammer);
    g_test_add_func("/qht/hammer-collisions", test_hammer_collisions);
    g_test_add_func("/qht/hammer-one-chain", test_hammer_one_chain);
    g_test_add_func("/qht/reset-concurrent", test_reset_concurrent);
    return g_test_run();
}
