/*
 * rv64i_mem.S - RV64I loads and stores (naturally aligned accesses).
 *
 * Covers:
 *   - lb/lh/lw sign-extend, lbu/lhu/lwu zero-extend, ld; both for a
 *     value with the sign bit set and one without;
 *   - little-endian byte order (sd then byte/half/word loads);
 *   - sb/sh/sw write only their 1/2/4 bytes (neighbours intact) and use
 *     only the low bits of rs2; sd writes all 8;
 *   - 12-bit signed offsets: -2048 and +2047 (+2047 is used with a byte
 *     access so it stays aligned), and offset 0;
 *   - rd == base register for loads, load into x0 is discarded (no trap),
 *     storing x0 stores zero;
 *   - store immediately followed by a load of the same and an overlapping
 *     address.
 * Single hart.  Failure exit code = check number.
 */
#include "testmacros.h"

TEST_BEGIN 1
    la   s0, mem_src

    /* ---- loads from mem_src: 0x8081828384858687 at +0 (bytes 87 86 .. 80)
     *      and 0x7f7e7d7c7b7a7978 at +8 ---- */
    ld   a3, 0(s0)
    CHECK a3, 0x8081828384858687, 1
    ld   a3, 8(s0)
    CHECK a3, 0x7f7e7d7c7b7a7978, 2

    lb   a3, 7(s0)                  /* byte 0x80: sign-extended */
    CHECK a3, 0xffffffffffffff80, 3
    lbu  a3, 7(s0)
    CHECK a3, 0x80, 4
    lb   a3, 15(s0)                 /* byte 0x7f: positive */
    CHECK a3, 0x7f, 5
    lbu  a3, 15(s0)
    CHECK a3, 0x7f, 6
    lb   a3, 0(s0)                  /* lowest address = least significant byte */
    CHECK a3, 0xffffffffffffff87, 7

    lh   a3, 6(s0)                  /* 0x8081 */
    CHECK a3, 0xffffffffffff8081, 8
    lhu  a3, 6(s0)
    CHECK a3, 0x8081, 9
    lh   a3, 14(s0)                 /* 0x7f7e */
    CHECK a3, 0x7f7e, 10
    lhu  a3, 0(s0)
    CHECK a3, 0x8687, 11

    lw   a3, 4(s0)                  /* 0x80818283 */
    CHECK a3, 0xffffffff80818283, 12
    lwu  a3, 4(s0)
    CHECK a3, 0x80818283, 13
    lw   a3, 12(s0)                 /* 0x7f7e7d7c */
    CHECK a3, 0x7f7e7d7c, 14
    lwu  a3, 0(s0)
    CHECK a3, 0x84858687, 15
    lw   a3, 0(s0)
    CHECK a3, 0xffffffff84858687, 16

    /* ---- extreme offsets: base in the middle of a 4 KiB buffer ---- */
    la   s1, big_buf + 2048
    ld   a3, -2048(s1)              /* first dword of big_buf */
    CHECK a3, 0x1122334455667788, 17
    lbu  a3, 2047(s1)               /* last byte of big_buf */
    CHECK a3, 0xee, 18
    lb   a3, 2047(s1)
    CHECK a3, 0xffffffffffffffee, 19
    li   a1, 0x5a
    sb   a1, 2047(s1)
    lbu  a3, 2047(s1)
    CHECK a3, 0x5a, 20
    li   a1, 0x0102030405060708
    sd   a1, -2048(s1)
    ld   a3, -2048(s1)
    CHECK a3, 0x0102030405060708, 21

    /* ---- stores write exactly their size; only low bits of rs2 ---- */
    la   s2, mem_dst
    li   a1, 0xaaaaaaaaaaaaaaaa
    sd   a1, 0(s2)
    li   a2, 0xffffffffffffff11
    sb   a2, 3(s2)
    ld   a3, 0(s2)
    CHECK a3, 0xaaaaaaaa11aaaaaa, 22

    sd   a1, 0(s2)
    li   a2, 0xffffffffffff1234
    sh   a2, 2(s2)
    ld   a3, 0(s2)
    CHECK a3, 0xaaaaaaaa1234aaaa, 23
    sh   a2, 6(s2)
    ld   a3, 0(s2)
    CHECK a3, 0x1234aaaa1234aaaa, 24

    sd   a1, 0(s2)
    li   a2, 0xdeadbeef87654321
    sw   a2, 4(s2)
    ld   a3, 0(s2)
    CHECK a3, 0x87654321aaaaaaaa, 25
    sw   a2, 0(s2)
    ld   a3, 0(s2)
    CHECK a3, 0x8765432187654321, 26

    li   a2, 0x0f1e2d3c4b5a6978
    sd   a2, 0(s2)
    ld   a3, 0(s2)
    CHECK a3, 0x0f1e2d3c4b5a6978, 27
    ld   a3, 8(s2)                  /* the next dword was not touched */
    CHECK a3, 0x5555555555555555, 28
    ld   a3, -8(s2)                 /* nor the previous one (guard) */
    CHECK a3, 0x6666666666666666, 29

    /* ---- little-endian: dword store, narrower loads ---- */
    li   a2, 0x0807060504030201
    sd   a2, 0(s2)
    lbu  a3, 0(s2)
    CHECK a3, 0x01, 30
    lbu  a3, 7(s2)
    CHECK a3, 0x08, 31
    lhu  a3, 2(s2)
    CHECK a3, 0x0403, 32
    lwu  a3, 4(s2)
    CHECK a3, 0x08070605, 33

    /* ---- store followed by overlapping loads (store-to-load forwarding) ---- */
    li   a2, 0xfedcba9876543210
    sd   a2, 0(s2)
    lw   a3, 4(s2)
    CHECK a3, 0xfffffffffedcba98, 34
    li   a2, 0x7f
    sb   a2, 7(s2)
    ld   a3, 0(s2)
    CHECK a3, 0x7fdcba9876543210, 35

    /* ---- rd == base register ---- */
    la   a4, mem_src
    ld   a4, 8(a4)
    CHECK a4, 0x7f7e7d7c7b7a7978, 36
    la   a4, mem_src
    lbu  a4, 7(a4)
    CHECK a4, 0x80, 37

    /* ---- x0 as destination and as store data ---- */
    lw   x0, 0(s0)                  /* load into x0: no effect, no trap */
    ld   x0, 8(s0)
    CHECK x0, 0, 38
    li   a1, -1
    sd   a1, 0(s2)
    sw   x0, 0(s2)                  /* stores zero */
    ld   a3, 0(s2)
    CHECK a3, 0xffffffff00000000, 39
    sb   x0, 7(s2)
    ld   a3, 0(s2)
    CHECK a3, 0x00ffffff00000000, 40

    /* ---- mem_src itself was never written ---- */
    ld   a3, 0(s0)
    CHECK a3, 0x8081828384858687, 41

    PASS
TEST_END

    .data
    .balign 16
mem_src:
    .dword 0x8081828384858687
    .dword 0x7f7e7d7c7b7a7978
    .dword 0x6666666666666666       /* guard before mem_dst */
mem_dst:
    .dword 0
    .dword 0x5555555555555555       /* guard after mem_dst */

    .balign 64
big_buf:
    .dword 0x1122334455667788
    .skip 4096 - 16
    .dword 0xeeddccbbaa998877       /* byte at big_buf + 4095 is 0xee */
