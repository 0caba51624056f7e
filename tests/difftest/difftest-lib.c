/*
 * difftest-lib.c - what the differential test's generators share
 * (difftest-lib.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "difftest-lib.h"

/* ---- PRNG: splitmix64, so a sequence's stream depends on (seed, K) only */

uint64_t rng_state;

uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* uniform in [0, n) (n > 0; the bias is irrelevant here) */
unsigned rnd(unsigned n)
{
    return (unsigned)(rng_next() % n);
}

/* uniform in [lo, hi] */
long rnd_range(long lo, long hi)
{
    return lo + (long)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* ---- interesting values -------------------------------------------- */

uint64_t rnd_int_value(void)
{
    static const uint64_t special[] = {
        0, 1, 2, (uint64_t)-1, (uint64_t)-2, 0x7fffffffffffffffull,
        0x8000000000000000ull, 0x7fffffff, 0x80000000, 0xffffffff,
        0xffffffff80000000ull, 0x100000000ull, 31, 32, 63, 64, 0xff, 0xffff,
        0x8000, 0x80, 0xffffffff7fffffffull,
    };
    switch (rnd(6)) {
    case 0:
        return special[rnd(sizeof(special) / sizeof(special[0]))];
    case 1:
        return (uint64_t)rnd_range(-300, 300);
    case 2:
        return (uint64_t)(int64_t)(int32_t)rng_next();
    case 3:
        return rng_next() >> rnd(64);
    default:
        return rng_next();
    }
}

uint32_t rnd_single_bits(void)
{
    static const uint32_t special[] = {
        0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000,
        0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000,
        0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x80000001,
        0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x4f800000,
        0x3f000000, 0x3fc00000, 0x40490fdb,
    };
    uint32_t r = (uint32_t)rng_next();
    switch (rnd(4)) {
    case 0:
        return special[rnd(sizeof(special) / sizeof(special[0]))];
    case 1:     /* exponent near 1.0: sums and products stay finite */
        return (r & 0x807fffff) | ((uint32_t)rnd_range(110, 145) << 23);
    case 2:     /* huge or tiny */
        return (r & 0x807fffff) | ((rnd(2) ? (uint32_t)rnd_range(0, 3)
                                           : (uint32_t)rnd_range(250, 254)) << 23);
    default:
        return r;
    }
}

uint64_t rnd_double_bits(void)
{
    static const uint64_t special[] = {
        0, 0x8000000000000000ull, 0x3ff0000000000000ull,
        0xbff0000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull,
        0x7ff4000000000000ull, 1, 0x000fffffffffffffull,
        0x0010000000000000ull, 0x7fefffffffffffffull, 0x41e0000000000000ull,
        0xc1e0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
        0x41f0000000000000ull, 0x3fe0000000000000ull, 0x47efffffe0000000ull,
        0x36a0000000000000ull, 0x400921fb54442d18ull,
    };
    uint64_t r = rng_next();
    switch (rnd(4)) {
    case 0:
        return special[rnd(sizeof(special) / sizeof(special[0]))];
    case 1:
        return (r & 0x800fffffffffffffull) | ((uint64_t)rnd_range(1000, 1050) << 52);
    case 2:
        return (r & 0x800fffffffffffffull) |
               ((rnd(2) ? (uint64_t)rnd_range(0, 3) : (uint64_t)rnd_range(2040, 2046)) << 52);
    default:
        return r;
    }
}

/* ---- the unit being built ------------------------------------------ */

static char unit[UNIT_TEXT];
static size_t unit_len;
int seq_index;
int unit_index;
int nunits;

/* label_count[u]: whether a label goes just before unit u (u == nunits: the end) */
static int label_count[MAX_UNITS + 1];

void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(unit + unit_len, sizeof(unit) - unit_len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(unit) - unit_len) {
        fprintf(stderr, "difftest-gen: unit text too long\n");
        exit(2);
    }
    unit_len += (size_t)n;
}

/* A forward label 1..4 units ahead (or at the end); returns its name. */
const char *fwd_label(void)
{
    static char name[64];
    int target = unit_index + 1 + (int)rnd_range(1, 4);
    if (target > nunits)
        target = nunits;
    snprintf(name, sizeof(name), ".Ls%d_u%d", seq_index, target);
    label_count[target] = 1;
    return name;
}

/* ---- sequences ---- */

uint64_t seq_seed(uint64_t seed, int k)
{
    rng_state = seed ^ ((uint64_t)k * 0xd1342543de82ef95ull);
    rng_next();
    return rng_next();
}

static int is_skipped(const char *skips, int u)
{
    const char *p = skips;
    while (p && *p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p)
            break;
        if (v == u)
            return 1;
        p = *end == ',' ? end + 1 : end;
    }
    return 0;
}

void dt_write_body(FILE *out, int k, int len, const char *skips, void (*gen_unit)(void))
{
    static char *texts[MAX_UNITS];

    seq_index = k;
    nunits = len;
    memset(label_count, 0, sizeof(label_count));
    for (unit_index = 0; unit_index < len; unit_index++) {
        unit_len = 0;
        unit[0] = 0;
        gen_unit();
        texts[unit_index] = strdup(unit);
        if (!texts[unit_index]) {
            fprintf(stderr, "difftest-gen: out of memory\n");
            exit(2);
        }
    }
    fprintf(out, "# seq %d begin\ndt_body_%d:\n", k, k);
    for (int u = 0; u <= len; u++) {
        if (label_count[u])
            fprintf(out, ".Ls%d_u%d:\n", k, u);
        if (u == len)
            break;
        if (!is_skipped(skips, u))
            fprintf(out, "# u%d\n%s", u, texts[u]);
        free(texts[u]);
    }
    fprintf(out, "# seq %d end\n", k);
}

long arg_num(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 0);
    if (*s == 0 || *end != 0) {
        fprintf(stderr, "difftest-gen: %s '%s' is not a number\n", what, s);
        exit(2);
    }
    return v;
}
