/*
 * smc-xhart.S - one hart patches code that another hart then runs,
 * with no IPI: a flag handshake, then fence.i on the hart that runs it.
 * Run with -smp 2.
 *
 * Hart 1 (the patcher), round r = 1..200: wait until hart 0 acked
 * round r - 1, store "addi a0, zero, r" into xfunc, fence w,w, then
 * flag = r.  Hart 0 (the runner): while waiting for flag == r it keeps
 * calling xfunc (the old or the new code: both are allowed while the
 * store is in flight), which keeps xfunc translated and chained from the
 * wait loop on the same page; once it sees flag == r: fence r,r,
 * fence.i, call xfunc: a0 must be r exactly, then ack = r.
 *
 * On loom the patcher's store invalidates xfunc's TB and unlinks the
 * runner's chained jump into it while the runner may be executing it;
 * fence.i does not flush anything.  Failure exit code = check number
 * (254: a wait took more than 10 s of mtime).
 */
#include "testmacros.h"

#define ROUNDS 200
/* addi a0, zero, imm */
#define ADDI_A0(imm)    ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)

TEST_BEGIN 2
    mv   s0, a0
    la   s5, xfunc
    la   s6, flag
    la   s7, ack
    li   s1, 1                      /* round */
    li   s2, ROUNDS + 1
    bnez s0, patcher

    /* ---- hart 0: the runner ---- */
1:  SPIN_START s8
2:  lw   t0, 0(s6)
    beq  t0, s1, 3f
    call xfunc                      /* old or new: not checked */
    SPIN_CHECK s8
    j    2b
3:  fence r, r
    fence.i
    call xfunc
    CHECK_REG a0, s1, 1
    sw   s1, 0(s7)                  /* ack round s1 */
    addi s1, s1, 1
    bne  s1, s2, 1b
    PASS

    /* ---- hart 1: the patcher ---- */
patcher:
    li   s3, ADDI_A0(0)
4:  SPIN_START s8
    addi s4, s1, -1
5:  lw   t0, 0(s7)
    beq  t0, s4, 6f
    SPIN_CHECK s8
    j    5b
6:  slli t0, s1, 20
    or   t0, t0, s3
    sw   t0, 0(s5)
    fence w, w                      /* the code before the flag */
    sw   s1, 0(s6)
    addi s1, s1, 1
    bne  s1, s2, 4b
    j    park
TEST_END

    .balign 4
xfunc:
    addi a0, zero, 0                /* patched by hart 1 */
    ret

    .data
    .balign 64
flag:   .word 0
    .balign 64
ack:    .word 0
