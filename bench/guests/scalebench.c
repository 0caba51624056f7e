/*
 * scalebench.c - independent CPU-bound work on NHARTS harts, for the
 * single- against multi-threaded comparison (bench/run's "scale" item).
 *
 * Every hart runs the same PASSES passes of one integer kernel over its
 * own 8 KiB buffer (its own pages: no hart reads or writes another's
 * data, so nothing but the emulator can make them wait for each other):
 * an xorshift stream mixed into the buffer with a multiply, a load from
 * a scattered index and a data-dependent branch, the buffer folded into
 * a running checksum.  Every hart starts from the same seed, so every
 * hart must end with the same checksum; hart 0 checks that, prints
 *
 *     scalebench: hart 0 ticks=12345678
 *     scalebench: hart 1 ticks=12345679
 *     scalebench: harts 2 passes 120000 checksum 0x89abcdef
 *
 * (ticks: the 10 MHz mtime each hart's work took) and ends the run
 * through the sifive_test finisher: 0 = pass, 1 = the harts disagree,
 * 2 = a hart never started, 3 = a hart never finished.
 *
 * Run with -smp NHARTS.  The multi-threaded emulator can run the harts
 * at once; the single-threaded one takes turns, so the ratio of the two
 * wall times is the speed-up.  Build-time knobs: -DNHARTS=N (default 2),
 * -DPASSES=N (default 120000: about 4 s per hart on loom's JIT).
 */
#include "guest.h"

#ifndef NHARTS
#define NHARTS  2
#endif
#ifndef PASSES
#define PASSES  120000
#endif

#if NHARTS < 1 || NHARTS > 8
#error "NHARTS must be 1..8 (smp-start.S gives 8 harts a stack)"
#endif

#define BUF_WORDS   2048                /* 8 KiB per hart */
#define SEED        0x2545f491u

/* Each hart's buffer on its own pages. */
static uint32_t buffers[NHARTS][BUF_WORDS] __attribute__((aligned(4096)));

/* What each hart reports, one cache line each, written by that hart
 * before it arrives on 'finished' (release), read by hart 0 after. */
static struct {
    uint32_t checksum;
    uint64_t ticks;
} __attribute__((aligned(64))) results[NHARTS];

static uint32_t started __attribute__((aligned(64)));
static uint32_t finished __attribute__((aligned(64)));

/* The kernel: PASSES passes over buf; returns the checksum. */
static uint32_t work(uint32_t *buf)
{
    uint32_t x = SEED, sum = 0;

    for (uint32_t i = 0; i < BUF_WORDS; i++) {
        buf[i] = i * 0x9e3779b9u;
    }
    for (uint32_t pass = 0; pass < PASSES; pass++) {
        for (uint32_t i = 0; i < BUF_WORDS; i++) {
            uint32_t other = buf[(i * 97 + pass) & (BUF_WORDS - 1)];
            uint32_t v;

            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            v = buf[i] * 2654435761u + (x ^ other);
            if (v & 0x100) {
                v ^= v >> 11;
            } else {
                v += other >> 3;
            }
            buf[i] = v;
            sum = ((sum << 5) | (sum >> 27)) ^ v;
        }
    }
    return sum;
}

void bench_hart_main(unsigned long hartid)
{
    uint64_t t0;

    if (hartid >= NHARTS) {
        return;                          /* parks in wfi */
    }
    arrive(&started);
    t0 = mtime();
    results[hartid].checksum = work(buffers[hartid]);
    results[hartid].ticks = mtime() - t0;
    arrive(&finished);
    if (hartid != 0) {
        return;
    }

    /* hart 0: every hart started and finished, and they agree */
    wait_for(&started, NHARTS, ARRIVE_WAIT_S, "scalebench: start", 2);
    wait_for(&finished, NHARTS, FINISH_WAIT_S, "scalebench: finish", 3);
    for (unsigned h = 0; h < NHARTS; h++) {
        put_str("scalebench: hart ");
        put_dec(h);
        put_str(" ticks=");
        put_dec(results[h].ticks);
        put_str("\n");
    }
    for (unsigned h = 1; h < NHARTS; h++) {
        if (results[h].checksum != results[0].checksum) {
            put_str("scalebench: FAIL: hart ");
            put_dec(h);
            put_str(" checksum ");
            put_hex32(results[h].checksum);
            put_str(", hart 0 ");
            put_hex32(results[0].checksum);
            put_str("\n");
            finish(1);
        }
    }
    put_str("scalebench: harts ");
    put_dec(NHARTS);
    put_str(" passes ");
    put_dec(PASSES);
    put_str(" checksum ");
    put_hex32(results[0].checksum);
    put_str("\n");
    finish(0);
}
