/*
 * Unit tests of the riscv64 front-end's IEEE arithmetic (fpu.c), built
 * with fpu.c itself; no hart needed.
 *
 *  /fpu/rmm/cases     hand-checked ties-to-max-magnitude results
 *  /fpu/rmm/random    single mul/add/fma under RMM against an independent
 *                     rounding of the exact double result
 *  /fpu/host/random   RNE/RTZ/RDN/RUP single and double add/mul/div/sqrt
 *                     against the host FPU's result and NV/DZ/OF/NX flags
 */
#include <fenv.h>
#include <math.h>
#include <string.h>
#include <glib.h>
#include "../../plugins/frontends/riscv/fpu.h"

/* fpu.c's check_frm helper raises through helper.c: never called here */
void riscv_raise_restore(RISCVEnv *env, int cause, uint64_t tval, uintptr_t ra)
{
    (void)env; (void)cause; (void)tval; (void)ra;
    g_assert_not_reached();
}

static uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

static void test_rmm_cases(void)
{
    unsigned fl;

    /* 1 + 2^-24 (tie) -> away; -(1 + 2^-24) -> away */
    fl = 0;
    g_assert_cmphex(fpu_arith(FPU_ADD, FPU_FMT_S, FPU_RM_RMM, 0x3f800000, 0x33800000, &fl),
                    ==, 0x3f800001);
    g_assert_cmphex(fl, ==, FPU_NX);
    fl = 0;
    g_assert_cmphex(fpu_arith(FPU_ADD, FPU_FMT_S, FPU_RM_RMM, 0xbf800000, 0xb3800000, &fl),
                    ==, 0xbf800001);
    /* just below the tie -> toward zero */
    fl = 0;
    g_assert_cmphex(fpu_arith(FPU_ADD, FPU_FMT_S, FPU_RM_RMM, 0x3f800000, 0x337fffff, &fl),
                    ==, 0x3f800000);
    g_assert_cmphex(fl, ==, FPU_NX);
    /* double tie through fma: 1 * 1 + 2^-53 */
    fl = 0;
    g_assert_cmphex(fpu_fma(0, FPU_FMT_D, FPU_RM_RMM, d2u(1.0), d2u(1.0),
                            0x3ca0000000000000ull, &fl), ==, 0x3ff0000000000001ull);
    /* smallest subnormal * 0.5: a tie to 0 or 2^-149 -> 2^-149, UF */
    fl = 0;
    g_assert_cmphex(fpu_arith(FPU_MUL, FPU_FMT_S, FPU_RM_RMM, 0x00000001, 0x3f000000, &fl),
                    ==, 0x00000001);
    g_assert_cmphex(fl, ==, FPU_NX | FPU_UF);
    /* max + half an ulp -> overflow to inf */
    fl = 0;
    g_assert_cmphex(fpu_arith(FPU_ADD, FPU_FMT_S, FPU_RM_RMM, 0x7f7fffff, 0x73000000, &fl),
                    ==, 0x7f800000);
    g_assert_cmphex(fl, ==, FPU_NX | FPU_OF);
    /* conversions: 2.5 -> 3, -2.5 -> -3, 0.5 -> 1 */
    fl = 0;
    g_assert_cmphex(fpu_cvt(FPU_CVT_W_F, FPU_FMT_S, FPU_RM_RMM, 0x40200000, &fl), ==, 3);
    g_assert_cmphex(fpu_cvt(FPU_CVT_L_F, FPU_FMT_S, FPU_RM_RMM, 0xc0200000, &fl), ==,
                    (uint64_t)-3);
    g_assert_cmphex(fpu_cvt(FPU_CVT_LU_F, FPU_FMT_S, FPU_RM_RMM, 0x3f000000, &fl), ==, 1);
    /* 2^24 + 1 -> 2^24 + 2 */
    g_assert_cmphex(fpu_cvt(FPU_CVT_F_W, FPU_FMT_S, FPU_RM_RMM, 0x1000001, &fl), ==,
                    0xffffffff4b800001ull);
}

/* Round the exact value x (a double holding a single-precision op's
   exact result) to single with ties away, independently of fpu.c. */
static uint32_t ref_rmm(double x)
{
    volatile double vx = x;
    volatile float tz;
    float away;
    double mid;

    fesetround(FE_TOWARDZERO);
    tz = (float)vx;
    fesetround(FE_TONEAREST);
    if ((double)tz == x) {
        return f2u(tz);
    }
    away = nextafterf(tz, x > 0 ? INFINITY : -INFINITY);
    mid = ((double)tz + (double)away) / 2;      /* exact */
    return f2u(fabs(x) >= fabs(mid) ? away : tz);
}

static float rand_float(GRand *r, int emin, int emax)
{
    uint32_t e = (uint32_t)g_rand_int_range(r, emin + 127, emax + 128);

    return u2f((g_rand_int(r) & 0x807fffffu) | e << 23);
}

static void test_rmm_random(void)
{
    GRand *r = g_rand_new_with_seed(42);

    for (int i = 0; i < 200000; i++) {
        float a = rand_float(r, -20, 20), b = rand_float(r, -20, 20);
        unsigned fl = 0;
        int k = i % 3;
        double exact = k == 0 ? (double)a * (double)b :       /* 48 bits: exact */
                       k == 1 ? (double)a + (double)b :       /* exponents close: exact */
                       fma((double)a, (double)b, (double)a);  /* checked below */
        uint64_t got;

        if (k == 2 && fma((double)a, (double)b, (double)a) -
                      (double)a * (double)b != (double)a) {
            continue;                   /* not exact in double: skip */
        }
        got = k == 0 ? fpu_arith(FPU_MUL, FPU_FMT_S, FPU_RM_RMM, f2u(a), f2u(b), &fl)
            : k == 1 ? fpu_arith(FPU_ADD, FPU_FMT_S, FPU_RM_RMM, f2u(a), f2u(b), &fl)
            : fpu_fma(0, FPU_FMT_S, FPU_RM_RMM, f2u(a), f2u(b), f2u(a), &fl);
        if (got != ref_rmm(exact)) {
            g_test_message("op %d: %a %a: got %08" PRIx64 " want %08x", k, a, b, got,
                           ref_rmm(exact));
            g_test_fail();
            break;
        }
    }
    g_rand_free(r);
}

static const int modes[4][2] = {
    { FPU_RM_RNE, FE_TONEAREST }, { FPU_RM_RTZ, FE_TOWARDZERO },
    { FPU_RM_RDN, FE_DOWNWARD }, { FPU_RM_RUP, FE_UPWARD },
};

static unsigned host_flags(int ex)
{
    return (ex & FE_INVALID ? FPU_NV : 0) | (ex & FE_DIVBYZERO ? FPU_DZ : 0) |
           (ex & FE_OVERFLOW ? FPU_OF : 0) | (ex & FE_INEXACT ? FPU_NX : 0);
}

static void test_host_random(void)
{
    GRand *r = g_rand_new_with_seed(7);

    for (int i = 0; i < 400000; i++) {
        int op = i % 4 == 3 && i % 8 == 7 ? FPU_SQRT : i % 4;
        const int *m = modes[(i / 4) % 4];
        bool dbl = (i / 16) % 2;
        uint64_t a, b, got, want;
        unsigned fl = 0, wfl;
        int ex;

        if (dbl) {
            a = ((uint64_t)g_rand_int(r) << 32 | g_rand_int(r));
            b = ((uint64_t)g_rand_int(r) << 32 | g_rand_int(r));
            if (i % 5 == 0) {   /* near each other: cancellation */
                b = (a & 0xfff0000000000000ull) | (b & 0xfffffffffffull);
            }
            volatile double va, vb, vr;
            memcpy((void *)&va, &a, 8);
            memcpy((void *)&vb, &b, 8);
            if (isnan(va) || isnan(vb)) {
                continue;
            }
            fesetround(m[1]);
            feclearexcept(FE_ALL_EXCEPT);
            vr = op == FPU_ADD ? va + vb : op == FPU_SUB ? va - vb :
                 op == FPU_MUL ? va * vb : op == FPU_DIV ? va / vb : sqrt(va);
            ex = fetestexcept(FE_ALL_EXCEPT);
            fesetround(FE_TONEAREST);
            want = isnan(vr) ? 0x7ff8000000000000ull : d2u(vr);
        } else {
            a = g_rand_int(r);
            b = g_rand_int(r);
            if (i % 5 == 0) {
                b = (a & 0xff800000u) | (b & 0x3fffffu);
            }
            volatile float va = u2f((uint32_t)a), vb = u2f((uint32_t)b), vr;
            if (isnan(va) || isnan(vb)) {
                continue;
            }
            fesetround(m[1]);
            feclearexcept(FE_ALL_EXCEPT);
            vr = op == FPU_ADD ? va + vb : op == FPU_SUB ? va - vb :
                 op == FPU_MUL ? va * vb : op == FPU_DIV ? va / vb : sqrtf(va);
            ex = fetestexcept(FE_ALL_EXCEPT);
            fesetround(FE_TONEAREST);
            want = isnan(vr) ? 0x7fc00000u : f2u(vr);
        }
        wfl = host_flags(ex);
        got = fpu_arith(op, dbl ? FPU_FMT_D : FPU_FMT_S, m[0], a, b, &fl);
        fl &= ~(unsigned)FPU_UF;        /* x86 and RISC-V may differ here */
        if (got != want || fl != wfl) {
            g_test_message("op %d rm %d %s: %" PRIx64 " %" PRIx64 ": got %" PRIx64
                           "/%x want %" PRIx64 "/%x", op, m[0], dbl ? "d" : "s",
                           a, b, got, fl, want, wfl);
            g_test_fail();
            break;
        }
    }
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fpu/rmm/cases", test_rmm_cases);
    g_test_add_func("/fpu/rmm/random", test_rmm_random);
    g_test_add_func("/fpu/host/random", test_host_random);
    return g_test_run();
}
