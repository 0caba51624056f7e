/*
 * mp-tso.S - message passing (mp-common.h) with no fence and no
 * .aq/.rl at all, run with -cpu rv64,ztso=on (RVTSO); both pairs run
 * the same code.
 *
 * Under RVTSO plain loads are ordered with later loads and plain stores
 * with later stores, so a producer that stores data_a, data_b, then the
 * flag, and a consumer that loads the flag, then data_a and data_b, need
 * no fence: a consumer that sees flag = f must see data >= f.  This holds
 * on loom only because the core inserts the barriers RVTSO needs and the
 * host lacks (mb LD_LD before loads, mb LD_ST|ST_ST before stores on the
 * interpreter; nothing on x86-64, which is TSO itself).
 */
#include "mp-common.h"

TEST_BEGIN NHARTS
    MP_SETUP

    /* ---- producer (harts 0 and 2): data, then flag, no fence ---- */
    li   s5, 1                      /* i */
1:  MP_STORE_DATA
#if !MP_BREAK_FLAG_FIRST
    sd   s5, P_FLAG(s1)
#endif
    MP_NEXT_ROUND 1b

    /* ---- consumer (harts 1 and 3): flag, then data, no fence ---- */
mp_consumer:
    MP_CONSUMER_BEGIN
2:  ld   t0, P_FLAG(s1)
    MP_CONSUMER_SAMPLE 2b

    /* ---- hart 0: wait for all, then check ---- */
mp_finish:
    MP_FINISH
    PRINT_NUM "mp-tso: samples taken by consumer 1 ", s2
    PRINT_NUM "mp-tso: samples taken by consumer 3 ", s3
    MP_CHECK_SAMPLES
TEST_END

    MP_DATA

    OVERLAP_DATA
