/*
 * AdvSIMD integer data processing, vector forms: the copy group (DUP,
 * INS, UMOV, SMOV), modified immediates (MOVI, MVNI, ORR, BIC, FMOV),
 * three-same (logical, arithmetic, compares, halving, saturating,
 * min/max and pairwise, absolute difference, multiplies, shifts by
 * register, SQDMULH), two-register misc, across lanes, permutes, EXT,
 * TBL/TBX; D forms zero bits 127:64, saturating ops set FPSR.QC (QCHK
 * after each).  Then a reserved encoding (undefined) and the FPEN trap.
 */
#include "simd.h"

    .text
    .global test_main
test_main:
    stp x29, x30, [sp, #-16]!
    FP_ON
    msr fpsr, xzr
    VSET 1, 0x8001ff7f40c00102, 0xfedcba9876543210
    VSET 2, 0x7f80017f3fc10203, 0x0123456789abcdef
    VSET 3, 0x8040000807f9ff01, 0xf0f8fc0203fe0410
    VSET 4, 0x807f01ff00fe8001, 0x7fff8000ffff0001
    VSET 5, 0x8000000080000000, 0x7fffffff80007fff
    VSET 6, 0x40ff1f10200f0501, 0x3f3e1e0d02011000
    VSET 7, 0x1011121314151617, 0x18191a1b1c1d1e1f
    VSET 8, 0x2021222324252627, 0x28292a2b2c2d2e2f
    VSET 10, 0x0f1f203f40ff0010, 0x0c3000182e080d04
    ldr x19, =0x1234567890abcdef
    /* ---- copy group ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.16b, v1.b[9]
    VCHK 1, 0, 0x3232323232323232, 0x3232323232323232
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.4h, v1.h[3]
    VCHK 2, 0, 0x8001800180018001, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.2d, v1.d[1]
    VCHK 3, 0, 0xfedcba9876543210, 0xfedcba9876543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.2s, v2.s[1]
    VCHK 4, 0, 0x7f80017f7f80017f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.8b, w19
    VCHK 5, 0, 0xefefefefefefefef, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.4s, w19
    VCHK 6, 0, 0x90abcdef90abcdef, 0x90abcdef90abcdef
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.2d, x19
    VCHK 7, 0, 0x1234567890abcdef, 0x1234567890abcdef
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup v0.8h, w19
    VCHK 8, 0, 0xcdefcdefcdefcdef, 0xcdefcdefcdefcdef
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.b[5], w19
    VCHK 9, 0, 0x5555ef5555555555, 0xaaaaaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.h[7], w19
    VCHK 10, 0, 0x5555555555555555, 0xcdefaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.s[1], w19
    VCHK 11, 0, 0x90abcdef55555555, 0xaaaaaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.d[1], x19
    VCHK 12, 0, 0x5555555555555555, 0x1234567890abcdef
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.s[2], v1.s[3]
    VCHK 13, 0, 0x5555555555555555, 0xaaaaaaaafedcba98
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.b[15], v1.b[0]
    VCHK 14, 0, 0x5555555555555555, 0x02aaaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.d[0], v2.d[1]
    VCHK 15, 0, 0x0123456789abcdef, 0xaaaaaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ins v0.h[0], v1.h[5]
    VCHK 16, 0, 0x5555555555557654, 0xaaaaaaaaaaaaaaaa
    umov w4, v1.b[14]
    XCHK 17, x4, 0xdc
    umov w4, v1.h[3]
    XCHK 18, x4, 0x8001
    umov w4, v1.s[1]
    XCHK 19, x4, 0x8001ff7f
    umov x4, v1.d[1]
    XCHK 20, x4, 0xfedcba9876543210
    smov w4, v1.b[15]
    XCHK 21, x4, 0xfffffffe
    smov x4, v1.h[6]
    XCHK 22, x4, 0xffffffffffffba98
    smov x4, v1.s[3]
    XCHK 23, x4, 0xfffffffffedcba98
    smov w4, v1.h[1]
    XCHK 24, x4, 0x40c0
    smov x4, v1.b[2]
    XCHK 25, x4, 0xffffffffffffffc0
    /* ---- modified immediate ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.16b, #0xa5
    VCHK 30, 0, 0xa5a5a5a5a5a5a5a5, 0xa5a5a5a5a5a5a5a5
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.8b, #0x7f
    VCHK 31, 0, 0x7f7f7f7f7f7f7f7f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.4s, #0x12, lsl #24
    VCHK 32, 0, 0x1200000012000000, 0x1200000012000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.4h, #0x34, lsl #8
    VCHK 33, 0, 0x3400340034003400, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.2s, #0x56, msl #16
    VCHK 34, 0, 0x0056ffff0056ffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.4s, #0x56, msl #8
    VCHK 35, 0, 0x000056ff000056ff, 0x000056ff000056ff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi v0.2d, #0xff00ff0000ff00ff
    VCHK 36, 0, 0xff00ff0000ff00ff, 0xff00ff0000ff00ff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    movi d0, #0xff0000000000ffff
    VCHK 37, 0, 0xff0000000000ffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mvni v0.4s, #0x12, lsl #8
    VCHK 38, 0, 0xffffedffffffedff, 0xffffedffffffedff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mvni v0.8h, #0x80
    VCHK 39, 0, 0xff7fff7fff7fff7f, 0xff7fff7fff7fff7f
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mvni v0.2s, #0x1, msl #16
    VCHK 40, 0, 0xfffe0000fffe0000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mvni v0.4h, #0x1, lsl #8
    VCHK 41, 0, 0xfefffefffefffeff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    orr v0.4s, #0x80, lsl #16
    VCHK 42, 0, 0x55d5555555d55555, 0xaaaaaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    orr v0.4h, #0xff
    VCHK 43, 0, 0x55ff55ff55ff55ff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    bic v0.8h, #0xff, lsl #8
    VCHK 44, 0, 0x0055005500550055, 0x00aa00aa00aa00aa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    bic v0.2s, #0x3
    VCHK 45, 0, 0x5555555455555554, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    fmov v0.4s, #1.0
    VCHK 46, 0, 0x3f8000003f800000, 0x3f8000003f800000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    fmov v0.2s, #-0.5
    VCHK 47, 0, 0xbf000000bf000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    fmov v0.2d, #2.5
    VCHK 48, 0, 0x4004000000000000, 0x4004000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    fmov v0.2d, #-31.0
    VCHK 49, 0, 0xc03f000000000000, 0xc03f000000000000
    /* ---- three same: logical ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    and v0.16b, v1.16b, v2.16b
    VCHK 50, 0, 0x0000017f00c00002, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    bic v0.16b, v1.16b, v2.16b
    VCHK 51, 0, 0x8001fe0040000100, 0xfedcba9876543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    orr v0.8b, v1.8b, v2.8b
    VCHK 52, 0, 0xff81ff7f7fc10303, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    orn v0.16b, v1.16b, v2.16b
    VCHK 53, 0, 0x807fffffc0fefdfe, 0xfedcba9876543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    eor v0.8b, v1.8b, v2.8b
    VCHK 54, 0, 0xff81fe007f010301, 0x0000000000000000
    VSET 0, 0xff00ff00f0f0f0f0, 0x0123456789abcdef
    bsl v0.16b, v1.16b, v2.16b
    VCHK 56, 0, 0x8080ff7f4fc10203, 0x0000000000000000
    VSET 0, 0xff00ff00f0f0f0f0, 0x0123456789abcdef
    bit v0.16b, v1.16b, v2.16b
    VCHK 57, 0, 0x8000ff7fc0f0f0f2, 0x0000000000000000
    VSET 0, 0xff00ff00f0f0f0f0, 0x0123456789abcdef
    bif v0.8b, v1.8b, v2.8b
    VCHK 58, 0, 0xff01ff0070c00100, 0x0000000000000000
    mov v0.16b, v1.16b
    VCHK 59, 0, 0x8001ff7f40c00102, 0xfedcba9876543210
    /* ---- three same: arithmetic and compares ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    add v0.16b, v1.16b, v2.16b
    VCHK 60, 0, 0xff8100fe7f810305, 0xffffffffffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    add v0.4h, v1.4h, v2.4h
    VCHK 61, 0, 0xff8100fe80810305, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    add v0.4s, v1.4s, v2.4s
    VCHK 62, 0, 0xff8200fe80810305, 0xffffffffffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    add v0.2d, v1.2d, v2.2d
    VCHK 63, 0, 0xff8200fe80810305, 0xffffffffffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sub v0.16b, v1.16b, v2.16b
    VCHK 64, 0, 0x0181fe0001ffffff, 0xfdb97531eda96521
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sub v0.8h, v1.8h, v2.8h
    VCHK 65, 0, 0x0081fe0000fffeff, 0xfdb97531eca96421
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sub v0.2s, v1.2s, v2.2s
    VCHK 66, 0, 0x0081fe0000fefeff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sub v0.2d, v1.2d, v2.2d
    VCHK 67, 0, 0x0081fe0000fefeff, 0xfdb97530eca86421
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq v0.16b, v1.16b, v4.16b
    VCHK 68, 0, 0xff00000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq v0.8h, v4.8h, v5.8h
    VCHK 69, 0, 0x0000000000000000, 0xffff000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq v0.4s, v1.4s, v1.4s
    VCHK 70, 0, 0xffffffffffffffff, 0xffffffffffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq v0.2d, v1.2d, v2.2d
    VCHK 71, 0, 0x0000000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq v0.8b, v2.8b, v4.8b
    VCHK 72, 0, 0x0000ff0000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmtst v0.16b, v1.16b, v2.16b
    VCHK 73, 0, 0x0000ffff00ff00ff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmgt v0.16b, v1.16b, v2.16b
    VCHK 74, 0, 0x00ff0000ff000000, 0x00000000ffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmge v0.8h, v1.8h, v2.8h
    VCHK 75, 0, 0x00000000ffff0000, 0x00000000ffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmhi v0.4s, v1.4s, v2.4s
    VCHK 76, 0, 0xffffffffffffffff, 0xffffffff00000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmhs v0.2d, v1.2d, v2.2d
    VCHK 77, 0, 0xffffffffffffffff, 0xffffffffffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmgt v0.2d, v4.2d, v5.2d
    VCHK 78, 0, 0xffffffffffffffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mul v0.16b, v1.16b, v2.16b
    VCHK 79, 0, 0x8080ff01c0c00206, 0xfe142228261c0af0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mul v0.8h, v1.8h, v2.8h
    VCHK 80, 0, 0x7f803f0110c00706, 0xb4140b28fe1c8cf0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mul v0.2s, v1.2s, v2.2s
    VCHK 81, 0, 0x437d3f0182c40706, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mla v0.8h, v1.8h, v2.8h
    VCHK 82, 0, 0xd4d5945666155c5b, 0x5ebeb5d2a8c6379a
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mls v0.4s, v1.4s, v2.4s
    VCHK 83, 0, 0x11d81654d2914e4f, 0x86c89f82c5491dba
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    pmul v0.16b, v1.16b, v2.16b
    VCHK 84, 0, 0x8080ff55c0c00206, 0xfee4d2c8c6dceaf0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shadd v0.16b, v1.16b, v2.16b
    VCHK 85, 0, 0xffc0007f3fc00102, 0xffffffffffffffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uhadd v0.8h, v1.8h, v2.8h
    VCHK 86, 0, 0x7fc0807f40400182, 0x7fff7fff7fff7fff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    srhadd v0.4s, v1.4s, v2.4s
    VCHK 87, 0, 0xffc1007f40408183, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    urhadd v0.16b, v1.16b, v2.16b
    VCHK 88, 0, 0x8041807f40c10203, 0x8080808080808080
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shsub v0.8h, v1.8h, v2.8h
    VCHK 89, 0, 0x8040ff00007fff7f, 0xfedcba9876543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uhsub v0.16b, v1.16b, v2.16b
    VCHK 90, 0, 0x00c07f0000ffffff, 0x7e5c3a18f6d4b290
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sabd v0.16b, v1.16b, v2.16b
    VCHK 91, 0, 0xff81020001010101, 0x03478bcfeda96521
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uabd v0.8h, v1.8h, v2.8h
    VCHK 92, 0, 0x0081fe0000ff0101, 0xfdb9753113579bdf
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    saba v0.4s, v1.4s, v2.4s
    VCHK 93, 0, 0x54d3575556545454, 0xacf1357997530ecb
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uaba v0.8b, v1.8b, v2.8b
    VCHK 94, 0, 0x56d4535556565656, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smax v0.16b, v1.16b, v2.16b
    VCHK 95, 0, 0x7f01017f40c10203, 0x0123456776543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umin v0.8h, v1.8h, v2.8h
    VCHK 96, 0, 0x7f80017f3fc10102, 0x0123456776543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smin v0.4s, v1.4s, v2.4s
    VCHK 97, 0, 0x8001ff7f3fc10203, 0xfedcba9889abcdef
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umax v0.8b, v1.8b, v2.8b
    VCHK 98, 0, 0x8080ff7f40c10203, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smaxp v0.4s, v1.4s, v2.4s
    VCHK 99, 0, 0x7654321040c00102, 0x012345677f80017f
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uminp v0.16b, v1.16b, v2.16b
    VCHK 100, 0, 0xdc985410017f4001, 0x014589cd7f013f02
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umaxp v0.8b, v1.8b, v2.8b
    VCHK 101, 0, 0x807fc10380ffc002, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sminp v0.4h, v1.4h, v2.4h
    VCHK 102, 0, 0x017f020380010102, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addp v0.16b, v1.16b, v2.16b
    VCHK 103, 0, 0xda52ca42817e0003, 0x24ac34bcff800005
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addp v0.2d, v1.2d, v2.2d
    VCHK 104, 0, 0x7edeba17b7143312, 0x80a346e6c96ccff2
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addp v0.2s, v1.2s, v2.2s
    VCHK 105, 0, 0xbf410382c0c20081, 0x0000000000000000
    /* ---- saturating and shifts by register ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqadd v0.16b, v1.16b, v2.16b
    VCHK 110, 0, 0xff81007f7f810305, 0xffffffffffffffff
    QCHK 111, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqadd v0.2d, v6.2d, v7.2d
    VCHK 112, 0, 0x5110312334241b18, 0x575738281e1e2e1f
    QCHK 113, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqadd v0.8h, v1.8h, v2.8h
    VCHK 114, 0, 0xff81ffff80810305, 0xffffffffffffffff
    QCHK 115, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqsub v0.4s, v1.4s, v2.4s
    VCHK 116, 0, 0x8000000000fefeff, 0xfdb975317fffffff
    QCHK 117, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqsub v0.2d, v1.2d, v2.2d
    VCHK 118, 0, 0x0081fe0000fefeff, 0xfdb97530eca86421
    QCHK 119, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqsub v0.8b, v6.8b, v7.8b
    VCHK 120, 0, 0x30ee0d000c000000, 0x0000000000000000
    QCHK 121, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshl v0.16b, v4.16b, v3.16b
    VCHK 122, 0, 0xff00010000ffc002, 0x00fff800f8ff0000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ushl v0.16b, v4.16b, v3.16b
    VCHK 123, 0, 0x0000010000014002, 0x00000800f83f0000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ushl v0.8h, v1.8h, v6.8h
    VCHK 124, 0, 0x4000000000000204, 0x00000000eca83210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    srshl v0.16b, v4.16b, v3.16b
    VCHK 125, 0, 0x000001000000c002, 0x0000f800f8000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    urshl v0.16b, v4.16b, v3.16b
    VCHK 126, 0, 0x0000010000024002, 0x00010800f8400000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshl v0.16b, v4.16b, v3.16b
    VCHK 127, 0, 0xff7f018000ffc002, 0x00fff800f8ff007f
    QCHK 128, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqshl v0.16b, v4.16b, v3.16b
    VCHK 129, 0, 0x00ff01ff00014002, 0x00000800ff3f00ff
    QCHK 130, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrshl v0.16b, v4.16b, v3.16b
    VCHK 131, 0, 0x007f01800000c002, 0x0000f800f800007f
    QCHK 132, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqrshl v0.16b, v4.16b, v3.16b
    VCHK 133, 0, 0x00ff01ff00024002, 0x00010800ff4000ff
    QCHK 134, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshl v0.2d, v1.2d, v6.2d
    VCHK 135, 0, 0x0003fefe81800204, 0xfedcba9876543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmulh v0.8h, v4.8h, v5.8h
    VCHK 136, 0, 0x7f810000ff020000, 0x7ffe000100010000
    QCHK 137, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmulh v0.4s, v1.4s, v2.4s
    VCHK 138, 0, 0x8081fc0020402305, 0xfffd6932929c8c4f
    QCHK 139, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrdmulh v0.8h, v1.8h, v2.8h
    VCHK 140, 0, 0x8081fffe20400004, 0xfffdda5e929cec6b
    QCHK 141, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrdmulh v0.4s, v5.4s, v5.4s
    VCHK 142, 0, 0x7fffffff7fffffff, 0x7ffffffe7fff0002
    QCHK 143, 1
    /* ---- two-register misc ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rev16 v0.16b, v1.16b
    VCHK 150, 0, 0x01807fffc0400201, 0xdcfe98ba54761032
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rev32 v0.8h, v1.8h
    VCHK 151, 0, 0xff7f8001010240c0, 0xba98fedc32107654
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rev64 v0.4s, v1.4s
    VCHK 152, 0, 0x40c001028001ff7f, 0x76543210fedcba98
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rev64 v0.8b, v1.8b
    VCHK 153, 0, 0x0201c0407fff0180, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    saddlp v0.8h, v1.16b
    VCHK 154, 0, 0xff81007e00000003, 0xffdaff5200ca0042
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uaddlp v0.4s, v1.8h
    VCHK 155, 0, 0x00017f80000041c2, 0x0001b9740000a864
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sadalp v0.2d, v1.4s
    VCHK 156, 0, 0x55555555161755d6, 0xaaaaaaab1fdb9752
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uadalp v0.4h, v1.8b
    VCHK 157, 0, 0x55d656d356555558, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cls v0.16b, v4.16b
    VCHK 158, 0, 0x0000060707060006, 0x0007000707070706
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    clz v0.8h, v1.8h
    VCHK 159, 0, 0x0000000000010007, 0x0000000000010002
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    clz v0.4s, v6.4s
    VCHK 160, 0, 0x0000000100000002, 0x0000000200000006
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cnt v0.16b, v1.16b
    VCHK 161, 0, 0x0101080701020101, 0x0705050305030301
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    not v0.8b, v1.8b
    VCHK 162, 0, 0x7ffe0080bf3ffefd, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rbit v0.16b, v1.16b
    VCHK 163, 0, 0x0180fffe02038040, 0x7f3b5d196e2a4c08
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    abs v0.16b, v4.16b
    VCHK 164, 0, 0x807f010100028001, 0x7f01800001010001
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    neg v0.8h, v4.8h
    VCHK 165, 0, 0x7f81fe01ff027fff, 0x800180000001ffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqabs v0.16b, v4.16b
    VCHK 166, 0, 0x7f7f010100027f01, 0x7f017f0001010001
    QCHK 167, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqneg v0.4s, v5.4s
    VCHK 168, 0, 0x7fffffff7fffffff, 0x800000017fff8001
    QCHK 169, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmgt v0.16b, v4.16b, #0
    VCHK 170, 0, 0x00ffff00000000ff, 0xff000000000000ff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmge v0.8h, v4.8h, #0
    VCHK 171, 0, 0x0000ffffffff0000, 0xffff00000000ffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq v0.4s, v4.4s, #0
    VCHK 172, 0, 0x0000000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmle v0.2d, v4.2d, #0
    VCHK 173, 0, 0xffffffffffffffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmlt v0.8b, v4.8b, #0
    VCHK 174, 0, 0xff0000ff00ffff00, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    xtn v0.8b, v1.8h
    VCHK 175, 0, 0xdc985410017fc002, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    xtn2 v0.8h, v1.4s
    VCHK 176, 0, 0x5555555555555555, 0xba983210ff7f0102
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqxtn v0.8b, v4.8h
    VCHK 177, 0, 0x7f80ff01807f7f80, 0x0000000000000000
    QCHK 178, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqxtn2 v0.16b, v1.8h
    VCHK 179, 0, 0x5555555555555555, 0xffffffffffffffff
    QCHK 180, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqxtun v0.4h, v5.4s
    VCHK 181, 0, 0xffff000000000000, 0x0000000000000000
    QCHK 182, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shll v0.8h, v1.8b, #8
    VCHK 183, 0, 0x4000c00001000200, 0x80000100ff007f00
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shll2 v0.2d, v1.4s, #32
    VCHK 184, 0, 0x7654321000000000, 0xfedcba9800000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    suqadd v0.16b, v4.16b
    VCHK 185, 0, 0x7f7f567f557f7f56, 0x297f2aaa7f7faaab
    QCHK 186, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    usqadd v0.8h, v4.8h
    VCHK 187, 0, 0x0000575456530000, 0xffff2aaaaaa9aaab
    QCHK 188, 1
    /* ---- Rd also a source ---- */
    mov v9.16b, v1.16b
    zip1 v9.16b, v9.16b, v9.16b
    VCHK 189, 9, 0x4040c0c001010202, 0x80800101ffff7f7f
    mov v9.16b, v10.16b
    tbl v9.16b, {v9.16b, v10.16b}, v9.16b
    VCHK 190, 9, 0x0c0c000000001010, 0x180010040004003f
    mov v9.16b, v1.16b
    ins v9.s[0], v9.s[3]
    VCHK 191, 9, 0x8001ff7ffedcba98, 0xfedcba9876543210
    mov v9.16b, v5.16b
    sqdmlal v9.4s, v9.4h, v9.h[1]
    VCHK 192, 9, 0xffffffff80000000, 0x7fffffff80007fff
    mov v9.16b, v1.16b
    shrn2 v9.8h, v9.4s, #3
    VCHK 193, 9, 0x8001ff7f40c00102, 0x975386423fef0020
    mov v9.16b, v1.16b
    bsl v9.16b, v9.16b, v2.16b
    VCHK 194, 9, 0xff81ff7f7fc10303, 0xffffffffffffffff
    mov v9.16b, v1.16b
    add v9.8h, v9.8h, v9.8h
    VCHK 195, 9, 0x0002fefe81800204, 0xfdb87530eca86420

    /* ---- a reserved encoding: ADD with size 3 and Q = 0 ---- */
    EXPECT_EXCP
    .inst 0x0ee28420
    LAST x0, last_esr
    XCHK 196, x0, 0x2000000
    /* ---- CPACR_EL1.FPEN = 0 traps SIMD (EC 0x07) ---- */
    msr cpacr_el1, xzr
    isb
    EXPECT_EXCP
    add v0.16b, v1.16b, v2.16b
    LAST x0, last_esr
    XCHK 197, x0, 0x1fe00000
    EXPECT_EXCP
    ld1 {v0.16b}, [sp]
    LAST x0, last_esr
    XCHK 198, x0, 0x1fe00000
    FP_ON
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

    GEN_DUMP_FN

    .section .rodata
    .global test_name
test_name: .asciz "a64_simd"
