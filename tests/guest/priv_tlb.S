/*
 * priv_tlb.S - sfence.vma by ASID and by an address inside a superpage
 * (Sv39, privileged spec 1.12).
 *
 * S code runs from an identity gigapage at RAM (global), the UART and the
 * finisher from identity mappings (a failing check in S reports itself).
 * VA 0x7d000 is a 4 KiB page of ASID 5, VA 0x7e000 a global 4 KiB page,
 * VA 0x200000 a global megapage (VAs whose TLB indexes no code or data
 * page of the test shares, so no entry is evicted by another).  The test
 * loads through each (filling the TLB), then points all three at other
 * memory and checks what each sfence.vma makes visible:
 *  - sfence.vma zero, asid 6 leaves ASID 5's page as it was, and
 *    sfence.vma zero, asid 5 drops it but keeps the global pages (the
 *    spec allows either for the pages it need not flush: loom's TLB tags
 *    entries with the ASID, so these codes are loom's behaviour;
 *    qemu-skip);
 *  - sfence.vma with an address inside the megapage, but another 4 KiB
 *    page of it than the one loaded, drops the whole megapage (spec);
 *  - sfence.vma 0x7e000, zero drops the global page (spec).
 * Single hart.
 */
#include "testmacros.h"
#include "priv.h"

#define PTE_G 0x20
#define VAL_A 0x1111111111111111
#define VAL_B 0x2222222222222222
#define VAL_M1 0x3333333333333333
#define VAL_M2 0x4444444444444444
#define SATP_ASID5 (5 << 44)

TEST_BEGIN 1
    PRIV_INIT
    li   a0, RAM_BASE
    PTE_SET root, 2, a0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G
    la   a0, l1
    PTE_SET root, 0, a0, PTE_V
    la   a0, l0
    PTE_SET l1, 0, a0, PTE_V
    la   a0, page_a
    PTE_SET l0, 0x7d, a0, PTE_V | PTE_R | PTE_A               /* ASID 5 */
    PTE_SET l0, 0x7e, a0, PTE_V | PTE_R | PTE_A | PTE_G       /* global */
    li   a0, 0x10000000                                       /* UART */
    PTE_SET l1, 0x80, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G
    li   a0, FINISHER_BASE                                    /* exit */
    PTE_SET l0+0x800, 0, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G
    la   a0, mega_a
    PTE_SET l1, 1, a0, PTE_V | PTE_R | PTE_A | PTE_G          /* megapage */
    la   t0, page_a
    li   t1, VAL_A
    sd   t1, 0(t0)
    la   t0, page_b
    li   t1, VAL_B
    sd   t1, 0(t0)
    la   t0, mega_a + 0xf0000
    li   t1, VAL_M1
    sd   t1, 0(t0)
    la   t0, mega_b + 0xf0000
    li   t1, VAL_M2
    sd   t1, 0(t0)
    la   t2, root
    srli t2, t2, 12
    li   t3, SATP_SV39 | SATP_ASID5
    or   t2, t2, t3
    csrw satp, t2
    sfence.vma

    M_CONT m_done
    MRET_TO 1, s_main
s_main:
    /* fill the TLB through all three */
    li   a1, 0x7d000
    ld   a2, 0(a1)
    li   t0, VAL_A
    CHECK_REG a2, t0, 1
    li   a1, 0x7e000
    ld   a2, 0(a1)
    CHECK_REG a2, t0, 2
    li   a1, 0x2f0000
    ld   a2, 0(a1)
    li   t0, VAL_M1
    CHECK_REG a2, t0, 3
    /* remap all three */
    la   a0, page_b
    PTE_SET l0, 0x7d, a0, PTE_V | PTE_R | PTE_A
    PTE_SET l0, 0x7e, a0, PTE_V | PTE_R | PTE_A | PTE_G
    la   a0, mega_b
    PTE_SET l1, 1, a0, PTE_V | PTE_R | PTE_A | PTE_G

    /* another ASID: nothing of ASID 5 goes */
    li   a3, 6
    sfence.vma zero, a3
    li   a1, 0x7d000
    ld   a2, 0(a1)
    li   t0, VAL_A
    CHECK_REG a2, t0, 4
    /* ASID 5: its page goes, the global ones stay */
    li   a3, 5
    sfence.vma zero, a3
    li   a1, 0x7d000
    ld   a2, 0(a1)
    li   t0, VAL_B
    CHECK_REG a2, t0, 5
    li   a1, 0x7e000
    ld   a2, 0(a1)
    li   t0, VAL_A
    CHECK_REG a2, t0, 6
    li   a1, 0x2f0000
    ld   a2, 0(a1)
    li   t0, VAL_M1
    CHECK_REG a2, t0, 7

    /* a 4 KiB page of the megapage the TLB never held: all of it goes */
    li   a1, 0x205000
    sfence.vma a1, zero
    li   a1, 0x2f0000
    ld   a2, 0(a1)
    li   t0, VAL_M2
    CHECK_REG a2, t0, 8
    /* the global page, by address */
    li   a1, 0x7e000
    sfence.vma a1, zero
    ld   a2, 0(a1)
    li   t0, VAL_B
    CHECK_REG a2, t0, 9
    ecall
m_done:
    la   t4, priv_rec
    ld   t4, PR_CAUSE(t4)
    CHECK t4, CAUSE_ECALL_S, 10
    csrw satp, zero
    PASS
TEST_END
    PRIV_HANDLERS

    .bss
    .balign 4096
root:   .space 4096
l1:     .space 4096
l0:     .space 4096
page_a: .space 4096
page_b: .space 4096
    .balign 0x200000
mega_a: .space 0x200000
mega_b: .space 0x200000
