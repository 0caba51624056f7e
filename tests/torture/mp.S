/*
 * mp.S - message passing (mp-common.h) with RVWMO's release and acquire.
 *
 *   harts 0 -> 1   fences: producer "fence rw,w" before the flag store,
 *                  consumer "fence r,rw" after the flag load (Linux's
 *                  smp_store_release / smp_load_acquire on RISC-V)
 *   harts 2 -> 3   AMOs: producer amoswap.d.rl to store the flag,
 *                  consumer amoor.d.aq x0 to read it
 *
 * On an x86-64 host (TSO) a missing guest fence cannot show here, since
 * the host keeps stores and loads in order anyway; TORTURE_BREAK=2
 * stores the flag before the data instead, which does show.
 */
#include "mp-common.h"

TEST_BEGIN NHARTS
    MP_SETUP

    /* ---- producer (harts 0 and 2) ---- */
    li   s5, 1                      /* i */
1:  MP_STORE_DATA
#if MP_BREAK_FLAG_FIRST
#elif defined(TORTURE_BREAK)
    sd   s5, P_FLAG(s1)             /* broken: no fence */
#else
    bnez s0, 3f
    fence rw, w                     /* release: data before flag */
    sd   s5, P_FLAG(s1)
    j    4f
3:  amoswap.d.rl x0, s5, (s1)       /* release store of the flag */
4:
#endif
    MP_NEXT_ROUND 1b

    /* ---- consumer (harts 1 and 3) ---- */
mp_consumer:
    MP_CONSUMER_BEGIN
2:  li   t0, 1
    bne  s0, t0, 6f
    ld   t0, P_FLAG(s1)
    fence r, rw                     /* acquire: flag before data */
    j    7f
6:  amoor.d.aq t0, x0, (s1)         /* acquire load of the flag */
7:  MP_CONSUMER_SAMPLE 2b

    /* ---- hart 0: wait for all, then check ---- */
mp_finish:
    MP_FINISH
    PRINT_NUM "mp: samples taken by the fence consumer ", s2
    PRINT_NUM "mp: samples taken by the AMO consumer ", s3
    MP_CHECK_SAMPLES
TEST_END

    MP_DATA

    OVERLAP_DATA
