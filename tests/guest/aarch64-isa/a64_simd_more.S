/*
 * AdvSIMD integer data processing, continued: across lanes, permutes,
 * EXT, TBL/TBX (1-4 registers), shifts by immediate (plain, rounding,
 * accumulating, inserting, narrowing, saturating, long), three
 * different (long, wide, narrow-high, SQDMULL family, PMULL 8-bit), by
 * element, and the scalar forms (D-register arithmetic, compares,
 * shifts, saturating ops at every size, ADDP, DUP).  Saturating ops set
 * FPSR.QC (QCHK after each).  Last, the FPEN trap of an interpreted op
 * and of UMOV.
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
    VSET 9, 0x3031323334353637, 0x38393a3b3c3d3e3f
    VSET 10, 0x0f1f203f40ff0010, 0x0c3000182e080d04
    /* ---- across lanes ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addv b0, v1.16b
    VCHK 1, 0, 0x000000000000003a, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addv h0, v1.4h
    VCHK 2, 0, 0x000000000000c142, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addv s0, v1.4s
    VCHK 3, 0, 0x0000000035f2ed29, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    saddlv h0, v1.16b
    VCHK 4, 0, 0x000000000000003a, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uaddlv d0, v1.4s
    VCHK 5, 0, 0x0000000235f2ed29, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uaddlv h0, v1.8b
    VCHK 6, 0, 0x0000000000000302, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smaxv b0, v1.16b
    VCHK 7, 0, 0x000000000000007f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umaxv h0, v1.8h
    VCHK 8, 0, 0x000000000000ff7f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sminv s0, v1.4s
    VCHK 9, 0, 0x000000008001ff7f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uminv b0, v1.8b
    VCHK 10, 0, 0x0000000000000001, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sminv h0, v4.8h
    VCHK 11, 0, 0x0000000000008000, 0x0000000000000000
    /* ---- permutes, EXT, TBL ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    zip1 v0.16b, v1.16b, v2.16b
    VCHK 20, 0, 0x3f40c1c002010302, 0x7f80800101ff7f7f
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    zip2 v0.16b, v1.16b, v2.16b
    VCHK 21, 0, 0x8976ab54cd32ef10, 0x01fe23dc45ba6798
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    zip1 v0.4s, v1.4s, v2.4s
    VCHK 22, 0, 0x3fc1020340c00102, 0x7f80017f8001ff7f
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    zip2 v0.4h, v1.4h, v2.4h
    VCHK 23, 0, 0x7f808001017fff7f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uzp1 v0.8h, v1.8h, v2.8h
    VCHK 24, 0, 0xba983210ff7f0102, 0x4567cdef017f0203
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uzp2 v0.8h, v1.8h, v2.8h
    VCHK 25, 0, 0xfedc7654800140c0, 0x012389ab7f803fc1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uzp1 v0.2d, v1.2d, v2.2d
    VCHK 26, 0, 0x8001ff7f40c00102, 0x7f80017f3fc10203
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uzp2 v0.8b, v1.8b, v2.8b
    VCHK 27, 0, 0x7f013f0280ff4001, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    trn1 v0.16b, v1.16b, v2.16b
    VCHK 28, 0, 0x80017f7fc1c00302, 0x23dc6798ab54ef10
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    trn2 v0.16b, v1.16b, v2.16b
    VCHK 29, 0, 0x7f8001ff3f400201, 0x01fe45ba8976cd32
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    trn1 v0.4s, v1.4s, v2.4s
    VCHK 30, 0, 0x3fc1020340c00102, 0x89abcdef76543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    trn2 v0.2s, v1.2s, v2.2s
    VCHK 31, 0, 0x7f80017f8001ff7f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ext v0.16b, v1.16b, v2.16b, #3
    VCHK 32, 0, 0x5432108001ff7f40, 0xc10203fedcba9876
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ext v0.8b, v1.8b, v2.8b, #5
    VCHK 33, 0, 0x7f3fc102038001ff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ext v0.16b, v1.16b, v2.16b, #15
    VCHK 34, 0, 0x80017f3fc10203fe, 0x23456789abcdef7f
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbl v0.16b, {v7.16b}, v10.16b
    VCHK 35, 0, 0x1800000000001700, 0x1b001700001f1a13
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbl v0.8b, {v7.16b, v8.16b}, v10.8b
    VCHK 36, 0, 0x1828000000001727, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbl v0.16b, {v7.16b, v8.16b, v9.16b}, v10.16b
    VCHK 37, 0, 0x1828370000001727, 0x1b00172f391f1a13
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbl v0.16b, {v7.16b, v8.16b, v9.16b, v10.16b}, v10.16b
    VCHK 38, 0, 0x1828370c00001727, 0x1b10172f391f1a13
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbx v0.16b, {v7.16b}, v10.16b
    VCHK 39, 0, 0x1855555555551755, 0x1baa17aaaa1f1a13
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbx v0.8b, {v7.16b, v8.16b}, v10.8b
    VCHK 40, 0, 0x1828555555551727, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    tbl v0.16b, {v31.16b, v0.16b}, v10.16b
    VCHK 41, 0, 0x00aa000000000055, 0x000000aa00000000
    /* ---- shift by immediate ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shl v0.16b, v1.16b, #3
    VCHK 50, 0, 0x0008f8f800000810, 0xf0e0d0c0b0a09080
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shl v0.2d, v1.2d, #63
    VCHK 51, 0, 0x0000000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshr v0.16b, v1.16b, #8
    VCHK 52, 0, 0xff00ff0000ff0000, 0xffffffff00000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshr v0.8h, v1.8h, #3
    VCHK 53, 0, 0xf000ffef08180020, 0xffdbf7530eca0642
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ushr v0.4s, v1.4s, #31
    VCHK 54, 0, 0x0000000100000000, 0x0000000100000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ushr v0.2d, v1.2d, #64
    VCHK 55, 0, 0x0000000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ssra v0.8h, v1.8h, #4
    VCHK 56, 0, 0x4d55554c59615565, 0xaa97a653b20fadcb
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    usra v0.16b, v1.16b, #1
    VCHK 57, 0, 0x9555d49475b55556, 0x291807f6e5d4c3b2
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    srshr v0.16b, v1.16b, #2
    VCHK 58, 0, 0xe000002010f00001, 0x00f7efe61e150d04
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    urshr v0.4s, v1.4s, #32
    VCHK 59, 0, 0x0000000100000000, 0x0000000100000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    srsra v0.2d, v1.2d, #17
    VCHK 60, 0, 0x555515565514f5b5, 0xaaaaaa1907f6e5d4
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ursra v0.8b, v1.8b, #8
    VCHK 61, 0, 0x5655565555565555, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sri v0.16b, v1.16b, #3
    VCHK 62, 0, 0x50405f4f48584040, 0xbfbbb7b3aeaaa6a2
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sri v0.4s, v1.4s, #32
    VCHK 63, 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sli v0.8h, v1.8h, #5
    VCHK 64, 0, 0x0035eff518152055, 0xdb8a530aca8a420a
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sli v0.2d, v1.2d, #0
    VCHK 65, 0, 0x8001ff7f40c00102, 0xfedcba9876543210
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshl v0.16b, v1.16b, #2
    VCHK 66, 0, 0x8004fc7f7f800408, 0xf88080807f7f7f40
    QCHK 67, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqshl v0.8h, v1.8h, #7
    VCHK 68, 0, 0xffffffffffff8100, 0xffffffffffffffff
    QCHK 69, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshlu v0.4s, v1.4s, #1
    VCHK 70, 0, 0x0000000081800204, 0x00000000eca86420
    QCHK 71, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshlu v0.16b, v6.16b, #1
    VCHK 72, 0, 0x80003e20401e0a02, 0x7e7c3c1a04022000
    QCHK 73, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shrn v0.8b, v1.8h, #4
    VCHK 74, 0, 0xeda9652100f70c10, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shrn2 v0.8h, v1.4s, #16
    VCHK 75, 0, 0x5555555555555555, 0xfedc7654800140c0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rshrn v0.2s, v1.2d, #20
    VCHK 76, 0, 0xcba987651ff7f40c, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshrn v0.8b, v4.8h, #1
    VCHK 77, 0, 0x7f80ff00807f7f80, 0x0000000000000000
    QCHK 78, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqshrn2 v0.16b, v1.8h, #3
    VCHK 79, 0, 0x5555555555555555, 0xffffffffffffff20
    QCHK 80, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrshrn v0.4h, v5.4s, #16
    VCHK 81, 0, 0x7fff800080008000, 0x0000000000000000
    QCHK 82, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqrshrn v0.2s, v1.2d, #1
    VCHK 83, 0, 0xffffffffffffffff, 0x0000000000000000
    QCHK 84, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshrun v0.8b, v4.8h, #4
    VCHK 85, 0, 0xff000000001f0f00, 0x0000000000000000
    QCHK 86, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrshrun2 v0.8h, v5.4s, #8
    VCHK 87, 0, 0x5555555555555555, 0xffff000000000000
    QCHK 88, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshll v0.8h, v1.8b, #3
    VCHK 89, 0, 0x0200fe0000080010, 0xfc000008fff803f8
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ushll2 v0.4s, v1.8h, #0
    VCHK 90, 0, 0x0000765400003210, 0x0000fedc0000ba98
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshll2 v0.2d, v1.4s, #31
    VCHK 91, 0, 0x3b2a190800000000, 0xff6e5d4c00000000
    /* ---- three different ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    saddl v0.8h, v1.8b, v2.8b
    VCHK 100, 0, 0x007fff8100030005, 0xffffff81000000fe
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uaddl2 v0.4s, v1.8h, v2.8h
    VCHK 101, 0, 0x0000ffff0000ffff, 0x0000ffff0000ffff
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ssubl v0.2d, v1.2s, v2.2s
    VCHK 102, 0, 0x0000000000fefeff, 0xffffffff0081fe00
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    usubl2 v0.8h, v1.16b, v2.16b
    VCHK 103, 0, 0xffedffa9ff65ff21, 0x00fd00b900750031
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    saddw v0.8h, v1.8h, v2.8b
    VCHK 104, 0, 0x8040ff4040c20105, 0xff5bba187655328f
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    usubw2 v0.4s, v1.4s, v2.8h
    VCHK 105, 0, 0x800175d440bf3313, 0xfedcb9757653eca9
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addhn v0.8b, v1.8h, v2.8h
    VCHK 106, 0, 0xffffffffff008003, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    raddhn2 v0.8h, v1.4s, v2.4s
    VCHK 107, 0, 0x5555555555555555, 0x00000000ff828081
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    subhn v0.2s, v1.2d, v2.2d
    VCHK 108, 0, 0xfdb975300081fe00, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    rsubhn v0.8b, v1.8h, v2.8h
    VCHK 109, 0, 0xfe75ed6401fe01ff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sabal v0.8h, v1.8b, v2.8b
    VCHK 110, 0, 0x5556555655565556, 0xaba9ab2baaacaaaa
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uabdl2 v0.4s, v1.8h, v2.8h
    VCHK 111, 0, 0x0000135700009bdf, 0x0000fdb900007531
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smlal v0.4s, v1.4h, v2.4h
    VCHK 112, 0, 0x6575661555575c5b, 0x6aeb2a2aaaa9e9ab
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umlsl2 v0.2d, v1.4s, v2.4s
    VCHK 113, 0, 0x15b2dd1d6ff3c865, 0xa988b0aa86c89f82
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smull v0.8h, v1.8b, v2.8b
    VCHK 114, 0, 0x0fc00fc000020006, 0xc080ff80ffff3f01
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umull2 v0.2d, v1.4s, v2.4s
    VCHK 115, 0, 0x3fa27837e5618cf0, 0x0121fa0023e20b28
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmull v0.4s, v4.4h, v4.4h
    VCHK 116, 0, 0x0001f8087ffe0002, 0x7f027e020007f802
    QCHK 117, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmlal2 v0.2d, v5.4s, v5.4s
    VCHK 118, 0, 0x7fffffffffffffff, 0x2aaaaaa8aaaaaaac
    QCHK 119, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmlsl v0.4s, v1.4h, v2.4h
    VCHK 120, 0, 0x351533d555514749, 0x2a29abaaaaac2ca8
    QCHK 121, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    pmull v0.8h, v1.8b, v2.8b
    VCHK 122, 0, 0x0fc050c000020006, 0x3f80008000ff1555
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    pmull2 v0.8h, v1.16b, v2.16b
    VCHK 123, 0, 0x38c622dc14ea0ef0, 0x00fe1ae42cd236c8
    /* ---- by element ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mul v0.8h, v1.8h, v2.h[5]
    VCHK 130, 0, 0x09aba0d50040be56, 0xf8f4fb88fe1c00b0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mul v0.2s, v1.2s, v2.s[3]
    VCHK 131, 0, 0x78080719f2cbf1ce, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mla v0.4s, v1.4s, v2.s[1]
    VCHK 132, 0, 0x98d29456b396d753, 0xaae5d412aaa1909a
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mls v0.4h, v1.4h, v2.h[7]
    VCHK 133, 0, 0xd432e7f8bb15300f, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smull v0.4s, v1.4h, v2.h[2]
    VCHK 134, 0, 0x0060df40000181fe, 0xff40817fffff3f01
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umull2 v0.2d, v1.4s, v2.s[0]
    VCHK 135, 0, 0x1d77eeb9b970b630, 0x3f787854caa35fc8
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    smlal2 v0.4s, v1.8h, v2.h[6]
    VCHK 136, 0, 0x7569952162e7c9c5, 0xaa5b812e97d9b5d2
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    umlsl v0.2d, v1.2s, v2.s[2]
    VCHK 137, 0, 0x3283207462efca77, 0x65d3b0a0ee5f7019
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmull v0.4s, v5.4h, v5.h[3]
    VCHK 138, 0, 0x7fffffff00000000, 0x7fffffff00000000
    QCHK 139, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmlal2 v0.2d, v1.4s, v2.s[1]
    VCHK 140, 0, 0x7fffffffffffffff, 0xa9888884ab20fd7a
    QCHK 141, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmulh v0.8h, v4.8h, v5.h[1]
    VCHK 142, 0, 0x7f81fe01ff027fff, 0x80017fff0001ffff
    QCHK 143, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrdmulh v0.4s, v1.4s, v2.s[2]
    VCHK 144, 0, 0x76525937c42467be, 0x010d4393929c8c50
    QCHK 145, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    mul v0.8h, v1.8h, v15.h[1]
    VCHK 146, 0, 0x0000000000000000, 0x0000000000000000
    /* ---- scalar ---- */
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    add d0, d1, d2
    VCHK 150, 0, 0xff8200fe80810305, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sub d0, d1, d2
    VCHK 151, 0, 0x0081fe0000fefeff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmeq d0, d1, d1
    VCHK 152, 0, 0xffffffffffffffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmgt d0, d1, d2
    VCHK 153, 0, 0x0000000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmhi d0, d1, d2
    VCHK 154, 0, 0xffffffffffffffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmtst d0, d1, d2
    VCHK 155, 0, 0xffffffffffffffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshl d0, d1, d6
    VCHK 156, 0, 0x0003fefe81800204, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    urshl d0, d1, d3
    VCHK 157, 0, 0x0003fefe81800204, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqadd b0, b1, b2
    VCHK 158, 0, 0x0000000000000005, 0x0000000000000000
    QCHK 159, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqsub h0, h1, h2
    VCHK 160, 0, 0x0000000000000000, 0x0000000000000000
    QCHK 161, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqadd d0, d5, d5
    VCHK 162, 0, 0x8000000000000000, 0x0000000000000000
    QCHK 163, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmulh s0, s5, s5
    VCHK 164, 0, 0x000000007fffffff, 0x0000000000000000
    QCHK 165, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrdmulh h0, h4, h5
    VCHK 166, 0, 0x0000000000000000, 0x0000000000000000
    QCHK 167, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmull d0, s5, s5
    VCHK 168, 0, 0x7fffffffffffffff, 0x0000000000000000
    QCHK 169, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    abs d0, d4
    VCHK 170, 0, 0x7f80fe00ff017fff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    neg d0, d1
    VCHK 171, 0, 0x7ffe0080bf3ffefe, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    cmlt d0, d1, #0
    VCHK 172, 0, 0xffffffffffffffff, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqabs b0, b4
    VCHK 173, 0, 0x0000000000000001, 0x0000000000000000
    QCHK 174, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqxtn h0, s5
    VCHK 175, 0, 0x0000000000008000, 0x0000000000000000
    QCHK 176, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqxtn b0, h1
    VCHK 177, 0, 0x00000000000000ff, 0x0000000000000000
    QCHK 178, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqxtun s0, d4
    VCHK 179, 0, 0x0000000000000000, 0x0000000000000000
    QCHK 180, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sshr d0, d1, #12
    VCHK 181, 0, 0xfff8001ff7f40c00, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ushr d0, d1, #64
    VCHK 182, 0, 0x0000000000000000, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    ssra d0, d1, #1
    VCHK 183, 0, 0x15565514f5b555d6, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    shl d0, d1, #9
    VCHK 184, 0, 0x03fefe8180020400, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sri d0, d1, #4
    VCHK 185, 0, 0x58001ff7f40c0010, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqshl s0, s1, #3
    VCHK 186, 0, 0x000000007fffffff, 0x0000000000000000
    QCHK 187, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    uqshrn b0, h1, #2
    VCHK 188, 0, 0x0000000000000040, 0x0000000000000000
    QCHK 189, 0
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqrshrun h0, s4, #3
    VCHK 190, 0, 0x000000000000ffff, 0x0000000000000000
    QCHK 191, 1
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    addp d0, v1.2d
    VCHK 192, 0, 0x7edeba17b7143312, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup b0, v1.b[11]
    VCHK 193, 0, 0x0000000000000076, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    dup d0, v2.d[1]
    VCHK 194, 0, 0x0123456789abcdef, 0x0000000000000000
    VSET 0, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    sqdmulh h0, h4, v5.h[4]
    VCHK 195, 0, 0x0000000000008001, 0x0000000000000000
    QCHK 196, 0

    /* ---- CPACR_EL1.FPEN = 0: the interpreter's ops and UMOV trap too ---- */
    msr cpacr_el1, xzr
    isb
    EXPECT_EXCP
    sqadd v0.16b, v1.16b, v2.16b
    LAST x0, last_esr
    XCHK 198, x0, 0x1fe00000
    EXPECT_EXCP
    umov w4, v1.b[0]
    LAST x0, last_esr
    XCHK 199, x0, 0x1fe00000
    FP_ON
    mov x0, #0
    ldp x29, x30, [sp], #16
    ret

    GEN_DUMP_FN

    .section .rodata
    .global test_name
test_name: .asciz "a64_simd_more"
