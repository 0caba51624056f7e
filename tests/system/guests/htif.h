/*
 * The riscv-tests convention for -M spike programs (htif.ld): hart 0 runs
 * the checks, the others park; TESTNUM (gp) is the check being run.
 *   HTIF_TOHOST_WORDS    defines tohost and fromhost in .tohost (8-byte
 *                        objects: QEMU refuses symbols of another size)
 *   HTIF_PASS            exit 0: tohost = 1, repeated until the host stops us
 *   HTIF_FAIL            exit TESTNUM: tohost = TESTNUM << 1 | 1
 *   HTIF_CHECK(n, reg, value)   fail with test n unless reg == value
 * htif_putc (a0 = byte; clobbers t0-t2) prints through device 1 command 1
 * and checks the answer in fromhost (test 90 fails if it is wrong).
 */
#define TESTNUM gp

#define HTIF_TOHOST_WORDS                   \
    .pushsection .tohost, "aw", @progbits;  \
    .balign 64;                             \
    .globl tohost;                          \
    .type tohost, @object;                  \
    .size tohost, 8;                        \
tohost: .dword 0;                           \
    .balign 64;                             \
    .globl fromhost;                        \
    .type fromhost, @object;                \
    .size fromhost, 8;                      \
fromhost: .dword 0;                         \
    .popsection

#define HTIF_PASS                           \
    fence;                                  \
    li   TESTNUM, 1;                        \
1:  la   t0, tohost;                        \
    sd   TESTNUM, 0(t0);                    \
    j    1b

#define HTIF_FAIL                           \
    fence;                                  \
    slli TESTNUM, TESTNUM, 1;               \
    ori  TESTNUM, TESTNUM, 1;               \
1:  la   t0, tohost;                        \
    sd   TESTNUM, 0(t0);                    \
    j    1b

#define HTIF_CHECK(n, reg, value)           \
    li   TESTNUM, n;                        \
    li   t6, value;                         \
    bne  reg, t6, fail

#define HTIF_PARK_OTHER_HARTS               \
    csrr t0, mhartid;                       \
    beqz t0, 2f;                            \
1:  wfi;                                    \
    j    1b;                                \
2:
