/*
 * aarch64 front-end: AdvSIMD data processing (vector and scalar forms)
 * and the structure loads and stores.
 */
#include "translate.h"

bool trans_simd(DisasContext *dc UNUSED)
{
    return false;               /* not yet */
}

bool trans_simd_ldst(DisasContext *dc UNUSED)
{
    return false;               /* not yet */
}
