/*
 * aarch64 front-end: the SIMD&FP data-processing group.  Scalar
 * floating point is translated here; everything else (AdvSIMD vector and
 * scalar forms, crypto) goes to translate-simd.c.
 */
#include "translate.h"

/* Scalar FP: bit 30 = 0, bits 28:24 = 0b11110 or 0b11111 (bit 31 is M
   or sf, bit 29 S: trans_fp checks them) */
static bool is_scalar_fp(uint32_t insn)
{
    return (insn & 0x5e000000u) == 0x1e000000u;
}

static bool trans_fp(DisasContext *dc UNUSED)
{
    return false;               /* not yet */
}

/* The floating-point encodings of the AdvSIMD groups (vector and scalar
   forms); false for the integer ones, which trans_simd takes. */
bool trans_simd_fp(DisasContext *dc UNUSED)
{
    return false;               /* not yet */
}

bool trans_fpsimd(DisasContext *dc)
{
    if (is_scalar_fp(dc->insn)) {
        return trans_fp(dc);
    }
    return trans_simd_fp(dc) || trans_simd(dc);
}
