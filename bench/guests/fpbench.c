/*
 * fpbench.c - a floating-point bare-metal benchmark for loom and QEMU.
 *
 * Four kernels, each run ITERATIONS times on hart 0 (written here from
 * scratch, in the spirit of the classic FP benchmarks):
 *
 *   nbody   double: five bodies under gravity, a symplectic Euler step
 *           (divides and square roots in the inner loop);
 *   lu      double: LU decomposition with partial pivoting of a 24x24
 *           matrix, then a solve, the solution fed back into the matrix;
 *   stats   single precision: mean, variance, skewness and a linear fit
 *           over 1024 samples that change a little every pass;
 *   cbrt    double: cube roots by Newton's iteration from a bit-level
 *           first guess, for 256 values per pass.
 *
 * Every kernel folds the bits of its results into one CRC-32 checksum,
 * printed with the ticks (10 MHz) each kernel took, as intbench does:
 *
 *     fpbench: nbody ticks=1234567
 *     ...
 *     fpbench: checksum 0x89abcdef iterations 2000
 *
 * The arithmetic is IEEE 754 in round-to-nearest with no contraction
 * (-ffp-contract=off: an a * b + c stays two roundings on every ISA), and
 * only +, -, *, / and sqrt, all correctly rounded: so the checksum is the
 * same on riscv64 and AArch64, and two emulators that disagree on it
 * compute something wrongly.  bench/run checks that.  Build-time knob:
 * -DITERATIONS=N (default 2000: half a second on QEMU 7.2).
 */
#include "guest.h"

#ifndef ITERATIONS
#define ITERATIONS 2000
#endif

/* ---- shared helpers ---- */

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, uint32_t len)
{
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
    }
    return ~crc;
}

static uint32_t fold_u64(uint32_t crc, uint64_t v)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
    return crc32_update(crc, b, 8);
}

static uint32_t fold_double(uint32_t crc, double d)
{
    union { double d; uint64_t u; } v = { .d = d };
    return fold_u64(crc, v.u);
}

static uint32_t fold_float(uint32_t crc, float f)
{
    union { float f; uint32_t u; } v = { .f = f };
    return fold_u64(crc, v.u);
}

static double sqrt_d(double x) { return __builtin_sqrt(x); }
static float sqrt_f(float x) { return __builtin_sqrtf(x); }

/* xorshift32, as intbench's, scaled to [0, 1) */
static uint32_t rng_state = 0x9e3779b9u;

static double rng_unit(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return (double)x / 4294967296.0;
}

/* ---- nbody ---- */

#define BODIES 5
#define NBODY_STEPS 100

static double pos[BODIES][3], vel[BODIES][3], mass[BODIES];

static void nbody_init(void)
{
    for (int i = 0; i < BODIES; i++) {
        mass[i] = 0.5 + rng_unit() * (i == 0 ? 40.0 : 0.1);
        for (int k = 0; k < 3; k++) {
            pos[i][k] = i == 0 ? 0.0 : (rng_unit() - 0.5) * 10.0 * i;
            vel[i][k] = i == 0 ? 0.0 : (rng_unit() - 0.5) * 0.5;
        }
    }
}

static uint32_t nbody_pass(uint32_t iter)
{
    const double dt = 0.001;
    double energy = 0.0;

    for (int s = 0; s < NBODY_STEPS; s++) {
        for (int i = 0; i < BODIES; i++) {
            for (int j = i + 1; j < BODIES; j++) {
                double d[3], r2 = 0.01;     /* softened: no body passes through another */
                for (int k = 0; k < 3; k++) {
                    d[k] = pos[i][k] - pos[j][k];
                    r2 += d[k] * d[k];
                }
                double r = sqrt_d(r2);
                double f = dt / (r2 * r);
                for (int k = 0; k < 3; k++) {
                    vel[i][k] -= d[k] * mass[j] * f;
                    vel[j][k] += d[k] * mass[i] * f;
                }
            }
        }
        for (int i = 0; i < BODIES; i++) {
            for (int k = 0; k < 3; k++) {
                pos[i][k] += dt * vel[i][k];
            }
        }
    }
    /* the energy, for the checksum */
    for (int i = 0; i < BODIES; i++) {
        energy += 0.5 * mass[i] *
                  (vel[i][0] * vel[i][0] + vel[i][1] * vel[i][1] + vel[i][2] * vel[i][2]);
        for (int j = i + 1; j < BODIES; j++) {
            double r2 = 0.01;
            for (int k = 0; k < 3; k++) {
                double d = pos[i][k] - pos[j][k];
                r2 += d * d;
            }
            energy -= mass[i] * mass[j] / sqrt_d(r2);
        }
    }
    return fold_double(iter, energy);
}

/* ---- lu ---- */

#define LU_N 24

static double lu_a[LU_N][LU_N], lu_work[LU_N][LU_N], lu_b[LU_N], lu_x[LU_N];

static void lu_init(void)
{
    for (int i = 0; i < LU_N; i++) {
        for (int j = 0; j < LU_N; j++) {
            lu_a[i][j] = rng_unit() - 0.5 + (i == j ? LU_N * 0.25 : 0.0);
        }
        lu_b[i] = rng_unit();
    }
}

static uint32_t lu_pass(uint32_t iter)
{
    int perm[LU_N];
    double sum = 0.0;

    for (int i = 0; i < LU_N; i++) {
        perm[i] = i;
        for (int j = 0; j < LU_N; j++) {
            lu_work[i][j] = lu_a[i][j];
        }
    }
    /* Doolittle with partial pivoting, in place */
    for (int k = 0; k < LU_N; k++) {
        int p = k;
        double best = lu_work[k][k] < 0 ? -lu_work[k][k] : lu_work[k][k];
        for (int i = k + 1; i < LU_N; i++) {
            double v = lu_work[i][k] < 0 ? -lu_work[i][k] : lu_work[i][k];
            if (v > best) {
                best = v;
                p = i;
            }
        }
        if (p != k) {
            for (int j = 0; j < LU_N; j++) {
                double t = lu_work[k][j];
                lu_work[k][j] = lu_work[p][j];
                lu_work[p][j] = t;
            }
            int t = perm[k];
            perm[k] = perm[p];
            perm[p] = t;
        }
        for (int i = k + 1; i < LU_N; i++) {
            double l = lu_work[i][k] / lu_work[k][k];
            lu_work[i][k] = l;
            for (int j = k + 1; j < LU_N; j++) {
                lu_work[i][j] -= l * lu_work[k][j];
            }
        }
    }
    /* solve L y = P b, then U x = y */
    for (int i = 0; i < LU_N; i++) {
        double v = lu_b[perm[i]];
        for (int j = 0; j < i; j++) {
            v -= lu_work[i][j] * lu_x[j];
        }
        lu_x[i] = v;
    }
    for (int i = LU_N - 1; i >= 0; i--) {
        double v = lu_x[i];
        for (int j = i + 1; j < LU_N; j++) {
            v -= lu_work[i][j] * lu_x[j];
        }
        lu_x[i] = v / lu_work[i][i];
    }
    /* feed the solution back: the next pass solves another system */
    for (int i = 0; i < LU_N; i++) {
        lu_a[i][(i + iter) % LU_N] += lu_x[i] * 0.001;
        sum += lu_x[i];
    }
    return fold_double(iter, sum);
}

/* ---- stats ---- */

#define STATS_N 1024

static float samples[STATS_N];

static void stats_init(void)
{
    for (int i = 0; i < STATS_N; i++) {
        samples[i] = (float)(rng_unit() * 100.0) + (float)i * 0.05f;
    }
}

static uint32_t stats_pass(uint32_t iter)
{
    float mean = 0.0f, m2 = 0.0f, m3 = 0.0f, sx = 0.0f, sxy = 0.0f, sxx = 0.0f;
    uint32_t crc = iter;

    samples[iter % STATS_N] += 0.25f;
    for (int i = 0; i < STATS_N; i++) {
        mean += samples[i];
    }
    mean /= (float)STATS_N;
    for (int i = 0; i < STATS_N; i++) {
        float d = samples[i] - mean;
        m2 += d * d;
        m3 += d * d * d;
        sx += (float)i;
        sxy += (float)i * samples[i];
        sxx += (float)i * (float)i;
    }
    float var = m2 / (float)(STATS_N - 1);
    float sd = sqrt_f(var);
    float skew = (m3 / (float)STATS_N) / (sd * sd * sd);
    float slope = ((float)STATS_N * sxy - sx * mean * (float)STATS_N) /
                  ((float)STATS_N * sxx - sx * sx);
    crc = fold_float(crc, mean);
    crc = fold_float(crc, sd);
    crc = fold_float(crc, skew);
    return fold_float(crc, slope);
}

/* ---- cbrt ---- */

#define CBRT_N 256

static double cbrt_in[CBRT_N];

static void cbrt_init(void)
{
    for (int i = 0; i < CBRT_N; i++) {
        cbrt_in[i] = (rng_unit() + 0.001) * 1e6 * (i & 1 ? 1.0 : 1e-9);
    }
}

/* Newton's iteration y -= (y^3 - x) / (3 y^2), from a first guess that
   divides the exponent by three */
static double cube_root(double x)
{
    union { double d; uint64_t u; } g = { .d = x };
    double y;

    g.u = g.u / 3 + 0x2a9f7893782da1ceull;
    y = g.d;
    for (int k = 0; k < 6; k++) {
        y = y - (y * y * y - x) / (3.0 * y * y);
    }
    return y;
}

static uint32_t cbrt_pass(uint32_t iter)
{
    double sum = 0.0;

    cbrt_in[iter % CBRT_N] *= 1.0001;
    for (int i = 0; i < CBRT_N; i++) {
        sum += cube_root(cbrt_in[i]);
    }
    return fold_double(iter, sum);
}

/* ---- driver ---- */

typedef struct Kernel {
    const char *name;
    void (*init)(void);
    uint32_t (*pass)(uint32_t iter);
} Kernel;

static const Kernel kernels[] = {
    { "nbody", nbody_init, nbody_pass },
    { "lu", lu_init, lu_pass },
    { "stats", stats_init, stats_pass },
    { "cbrt", cbrt_init, cbrt_pass },
};

/* the start code starts every hart here: the benchmark runs on hart 0,
   the others return and sleep */
void bench_hart_main(unsigned long hartid)
{
    uint32_t checksum = 0;

    if (hartid != 0) {
        return;
    }
    for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        kernels[k].init();
    }
    for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        uint64_t t0 = mtime();
        for (uint32_t it = 0; it < ITERATIONS; it++) {
            checksum = fold_u64(checksum, kernels[k].pass(it));
        }
        uint64_t t1 = mtime();
        put_str("fpbench: ");
        put_str(kernels[k].name);
        put_str(" ticks=");
        put_dec(t1 - t0);
        put_char('\n');
    }
    put_str("fpbench: checksum ");
    put_hex32(checksum);
    put_str(" iterations ");
    put_dec(ITERATIONS);
    put_char('\n');
    finish(0);
}
