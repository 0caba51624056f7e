/*
 * difftest-lib.h - what the differential test's generators share
 * (difftest-gen.c for RV64GC, difftest-gen-a64.c for A64;
 * tests/difftest/README.md): the PRNG, the edge values, the unit being
 * built and its forward labels, the body writer and the -k/-x skips.
 *
 * A sequence is LEN units; a unit is the text of one instruction or of a
 * few that belong together.  A generator's gen_unit() appends to the
 * unit with emit() and may ask for a label a few units ahead with
 * fwd_label(); dt_write_body() draws the units and writes them with
 * their labels, leaving out the skipped ones.
 */
#ifndef DIFFTEST_LIB_H
#define DIFFTEST_LIB_H

#include <stdint.h>
#include <stdio.h>

#define MAX_UNITS 1024
#define UNIT_TEXT 512

/* ---- PRNG: splitmix64, so a sequence's stream depends on (seed, K) only */
extern uint64_t rng_state;
uint64_t rng_next(void);
unsigned rnd(unsigned n);               /* uniform in [0, n), n > 0 */
long rnd_range(long lo, long hi);       /* uniform in [lo, hi] */
/* the PRNG state for sequence K's stream (its block, then its body) */
uint64_t seq_seed(uint64_t seed, int k);

/* ---- edge values ---- */
uint64_t rnd_int_value(void);           /* 0, -1, INT_MIN, small, random... */
uint32_t rnd_single_bits(void);         /* binary32: zeros, infinities, NaNs... */
uint64_t rnd_double_bits(void);         /* binary64, the same kinds */

/* ---- the unit being built ---- */
extern int seq_index;   /* K, for unique labels */
extern int unit_index;  /* current unit */
extern int nunits;      /* units in this sequence */

void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A forward label 1..4 units ahead (or at the end); returns its name. */
const char *fwd_label(void);

/* Draws LEN units of sequence K with gen_unit and writes them between
 * "# seq K begin" / "dt_body_K:" and "# seq K end", each after a
 * "# uN" line, leaving out those listed in SKIPS (may be NULL). */
void dt_write_body(FILE *out, int k, int len, const char *skips, void (*gen_unit)(void));

/* strtol of a whole argument, or exit naming WHAT */
long arg_num(const char *s, const char *what);

#endif
