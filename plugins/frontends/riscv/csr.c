/*
 * riscv64 front-end: control and status registers.
 *
 * One table describes every implemented CSR: its read and write functions,
 * the lowest privilege that may access it, an optional predicate saying
 * whether the hart has it (by misa), and what a write may change besides
 * the register (interrupt enablement, the TB key).  CSR instructions call
 * the three helpers at the end of the file; they raise an illegal
 * instruction exception (mtval = the instruction) for a CSR that does not
 * exist, too little privilege, or a write to a read-only CSR.
 *
 * Counters: translated code adds each TB's instruction count to
 * env->insn_count (an IR global) when it leaves the TB, and before a CSR
 * helper call it has added the instructions before the CSR instruction,
 * not the CSR instruction itself.  cycle and instret read that count plus
 * an offset; there is no separate cycle model (one instruction, one
 * cycle).
 */
#include "cpu.h"

typedef struct CSRInfo {
    uint16_t csrno;
    uint8_t min_priv;           /* PRV_*: lowest privilege allowed */
    uint8_t effect;             /* CSR_WRITE_*: what a write may change */
    const char *name;
    /* The hart has this CSR (NULL: always).  Fixed per hart. */
    bool (*present)(const RISCVEnv *env);
    /* Read.  False: access denied (illegal instruction). */
    bool (*read)(RISCVEnv *env, int csrno, uint64_t *val);
    /* Write the new value (WARL fields legalised here).  NULL: writes are
       ignored; CSRs whose number says read-only never get here. */
    void (*write)(RISCVEnv *env, int csrno, uint64_t val);
} CSRInfo;

/* ---- predicates ---- */

static bool has_s(const RISCVEnv *env)
{
    return riscv_has_ext(env, 'S');
}

static bool has_u(const RISCVEnv *env)
{
    return riscv_has_ext(env, 'U');
}

/* Interrupt bits software may see in mip/mie: the M ones, and the S ones
   once S-mode exists. */
static uint64_t irq_mask(const RISCVEnv *env)
{
    return MIP_M_ALL | (has_s(env) ? MIP_S_ALL : 0);
}

/* ---- plain registers: a field at a fixed offset ---- */

static uint64_t *csr_field(RISCVEnv *env, int csrno)
{
    switch (csrno) {
    case CSR_MSCRATCH: return &env->mscratch;
    case CSR_MCAUSE: return &env->mcause;
    case CSR_MTVAL: return &env->mtval;
    case CSR_MHARTID: return &env->mhartid;
    case CSR_MISA: return &env->misa;
    case CSR_MIE: return &env->mie;
    case CSR_SSCRATCH: return &env->sscratch;
    case CSR_SCAUSE: return &env->scause;
    case CSR_STVAL: return &env->stval;
    case CSR_MEDELEG: return &env->medeleg;
    case CSR_MIDELEG: return &env->mideleg;
    case CSR_MCOUNTEREN: return &env->mcounteren;
    case CSR_SCOUNTEREN: return &env->scounteren;
    case CSR_SENVCFG: return &env->senvcfg;
    case CSR_MENVCFG: return &env->menvcfg;
    case CSR_STIMECMP: return &env->stimecmp;
    default: return NULL;
    }
}

static bool read_field(RISCVEnv *env, int csrno, uint64_t *val)
{
    *val = *csr_field(env, csrno);
    return true;
}

static void write_field(RISCVEnv *env, int csrno, uint64_t val)
{
    *csr_field(env, csrno) = val;
}

static bool read_zero(RISCVEnv *env UNUSED, int csrno UNUSED, uint64_t *val)
{
    *val = 0;
    return true;
}

/* ---- mstatus, sstatus ---- */

/* The fields of mstatus that sstatus shows. */
#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | \
                      MSTATUS_VS | MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | \
                      MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

static bool read_mstatus(RISCVEnv *env, int csrno, uint64_t *val)
{
    uint64_t ms = env->mstatus & ~MSTATUS_SD;

    /* SD summarises FS/VS/XS == Dirty */
    if ((ms & MSTATUS_FS) == MSTATUS_FS || (ms & MSTATUS_VS) == MSTATUS_VS ||
        (ms & MSTATUS_XS) == MSTATUS_XS) {
        ms |= MSTATUS_SD;
    }
    *val = csrno == CSR_SSTATUS ? ms & SSTATUS_MASK : ms;
    return true;
}

static void write_mstatus(RISCVEnv *env, int csrno, uint64_t val)
{
    uint64_t mask = env->mstatus_wmask & (csrno == CSR_SSTATUS ? SSTATUS_MASK : ~0ull);
    uint64_t old = env->mstatus;
    uint64_t mpp = (val & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    uint64_t ms;

    /* MPP is WARL: a mode the hart lacks (or the reserved 2) keeps the
       old value */
    if (mpp == 2 || (mpp == PRV_S && !has_s(env)) || (mpp == PRV_U && !has_u(env))) {
        mask &= ~MSTATUS_MPP;
    }
    ms = (old & ~mask) | (val & mask);
    /* SD summarises FS/VS/XS dirty; all three are off for now */
    env->mstatus = ms;
}

/* ---- trap setup and handling ---- */

static bool read_mtvec(RISCVEnv *env, int csrno, uint64_t *val)
{
    *val = csrno == CSR_STVEC ? env->stvec : env->mtvec;
    return true;
}

static void write_mtvec(RISCVEnv *env, int csrno, uint64_t val)
{
    uint64_t *tvec = csrno == CSR_STVEC ? &env->stvec : &env->mtvec;
    uint64_t mode = val & 3;

    /* MODE is WARL: the reserved values 2 and 3 keep the old mode */
    if (mode >= 2) {
        mode = *tvec & 3;
    }
    *tvec = (val & ~3ull) | mode;
}

static bool read_mepc(RISCVEnv *env, int csrno, uint64_t *val)
{
    /* xepc[0] is always 0; xepc[1] reads as 0 while IALIGN is 32 */
    *val = (csrno == CSR_SEPC ? env->sepc : env->mepc) &
           (riscv_has_ext(env, 'C') ? ~1ull : ~3ull);
    return true;
}

static void write_mepc(RISCVEnv *env, int csrno, uint64_t val)
{
    *(csrno == CSR_SEPC ? &env->sepc : &env->mepc) = val & ~1ull;
}

/* medeleg: every exception but ecall from M (11) and the reserved 10
   and 14 can go to S; mideleg: the S interrupts. */
#define MEDELEG_MASK 0xb3ffull

static void write_medeleg(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    env->medeleg = val & MEDELEG_MASK;
}

static void write_mideleg(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    env->mideleg = val & MIP_S_ALL;
}

static void write_mie(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    env->mie = val & irq_mask(env);
}

/* sie/sip: views of mie/mip limited to the delegated interrupts. */
static bool read_sie(RISCVEnv *env, int csrno UNUSED, uint64_t *val)
{
    *val = env->mie & env->mideleg;
    return true;
}

static void write_sie(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    env->mie = (env->mie & ~env->mideleg) | (val & env->mideleg);
}

static bool read_sip(RISCVEnv *env, int csrno UNUSED, uint64_t *val)
{
    *val = riscv_mip(env) & env->mideleg;
    return true;
}

/* only SSIP is writable through sip (when delegated) */
static void write_sip(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    uint64_t wmask = MIP_SSIP & env->mideleg;

    __atomic_fetch_or(&env->mip, val & wmask, __ATOMIC_ACQ_REL);
    __atomic_fetch_and(&env->mip, ~(wmask & ~val), __ATOMIC_ACQ_REL);
}

static bool read_mip(RISCVEnv *env, int csrno UNUSED, uint64_t *val)
{
    *val = riscv_mip(env) & irq_mask(env);
    return true;
}

static void write_mip(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    /* MSIP/MTIP/MEIP come from devices and are read-only here; SSIP and
       STIP become writable with S-mode (STIP not while Sstc drives it).
       Only the writable bits change: the device-driven ones may be
       updated concurrently. */
    uint64_t wmask = has_s(env) ? (MIP_SSIP | MIP_STIP) : 0;

    if (env->menvcfg & MENVCFG_STCE) {
        wmask &= ~MIP_STIP;
    }

    __atomic_fetch_or(&env->mip, val & wmask, __ATOMIC_ACQ_REL);
    __atomic_fetch_and(&env->mip, ~(wmask & ~val), __ATOMIC_ACQ_REL);
}

static void write_ignore(RISCVEnv *env UNUSED, int csrno UNUSED,
                         uint64_t val UNUSED)
{
}

/* ---- supervisor: satp, counter enables, envcfg, stimecmp ---- */

/* MODE is WARL: a write with a mode other than Bare, Sv39 or Sv48 has no
   effect at all.  ASID: 16 bits.  Any write flushes the TLB (the TLB
   does not keep ASIDs). */
static bool read_satp(RISCVEnv *env, int csrno UNUSED, uint64_t *val)
{
    *val = env->satp;
    return true;
}

static void write_satp(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    unsigned mode = (unsigned)(val >> SATP_MODE_SHIFT);

    if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48) {
        return;
    }
    env->satp = mode == SATP_MODE_BARE ? 0 :
                val & ((0xfull << SATP_MODE_SHIFT) | SATP_ASID_MASK | SATP_PPN_MASK);
    loom_tlb_flush(loom_env_cpu(env));
}

/* CY, TM, IR: there are no hpmcounters */
static void write_counteren(RISCVEnv *env, int csrno, uint64_t val)
{
    *csr_field(env, csrno) = val & 7;
}

static void write_menvcfg(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    __atomic_store_n(&env->menvcfg, val & (ENVCFG_FIOM | MENVCFG_STCE), __ATOMIC_RELAXED);
    riscv_update_stip(env);
}

static void write_senvcfg(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    env->senvcfg = val & ENVCFG_FIOM;
}

static void write_stimecmp(RISCVEnv *env, int csrno UNUSED, uint64_t val)
{
    __atomic_store_n(&env->stimecmp, val, __ATOMIC_RELAXED);
    riscv_update_stip(env);
}

/* ---- PMP ---- */

static bool read_pmpcfg(RISCVEnv *env, int csrno, uint64_t *val)
{
    *val = riscv_pmp_read_cfg(env, csrno - CSR_PMPCFG0);
    return true;
}

static void write_pmpcfg(RISCVEnv *env, int csrno, uint64_t val)
{
    riscv_pmp_write_cfg(env, csrno - CSR_PMPCFG0, val);
}

static bool read_pmpaddr(RISCVEnv *env, int csrno, uint64_t *val)
{
    *val = env->pmpaddr[csrno - CSR_PMPADDR0];
    return true;
}

static void write_pmpaddr(RISCVEnv *env, int csrno, uint64_t val)
{
    riscv_pmp_write_addr(env, csrno - CSR_PMPADDR0, val);
}

/*
 * Access checks beyond min_priv, for reads and writes alike: satp (and
 * sfence.vma, helper.c) trap in S-mode when mstatus.TVM is set; stimecmp
 * below M needs mcounteren.TM and menvcfg.STCE.
 */
static bool csr_gate(const RISCVEnv *env, int csrno)
{
    switch (csrno) {
    case CSR_SATP:
        return !(env->priv == PRV_S && (env->mstatus & MSTATUS_TVM));
    case CSR_STIMECMP:
        return env->priv == PRV_M ||
               ((env->mcounteren & 2) && (env->menvcfg & MENVCFG_STCE));
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        return (env->mstatus & MSTATUS_FS) != 0;    /* FS = Off: illegal */
    default:
        return true;
    }
}

/* ---- F/D: fflags, frm, fcsr (access needs FS != Off, see csr_gate) ---- */

static bool has_f(const RISCVEnv *env)
{
    return riscv_has_ext(env, 'F');
}

static bool read_fcsr(RISCVEnv *env, int csrno, uint64_t *val)
{
    uint32_t fcsr = env->fcsr;

    *val = csrno == CSR_FFLAGS ? fcsr & 0x1f : csrno == CSR_FRM ? fcsr >> 5 : fcsr;
    return true;
}

/* frm holds any 3-bit value (reserved ones make dynamic-rm insns
   illegal); writing any FP CSR makes FS Dirty. */
static void write_fcsr(RISCVEnv *env, int csrno, uint64_t val)
{
    uint32_t v = (uint32_t)val;

    switch (csrno) {
    case CSR_FFLAGS:
        env->fcsr = (env->fcsr & ~0x1fu) | (v & 0x1f);
        break;
    case CSR_FRM:
        env->fcsr = (env->fcsr & 0x1f) | (v & 7) << 5;
        break;
    default:
        env->fcsr = v & 0xff;
        break;
    }
    env->mstatus |= MSTATUS_FS;
}

/* ---- counters ---- */

/* U/S-mode access to cycle/time/instret is gated by m/scounteren. */
static bool counter_allowed(const RISCVEnv *env, int csrno)
{
    uint64_t bit = 1ull << (csrno & 31);

    if (env->priv < PRV_M && !(env->mcounteren & bit)) {
        return false;
    }
    if (env->priv < PRV_S && has_s(env) && !(env->scounteren & bit)) {
        return false;
    }
    return true;
}

static bool read_counter(RISCVEnv *env, int csrno, uint64_t *val)
{
    if ((csrno >> 8) == (CSR_CYCLE >> 8) && !counter_allowed(env, csrno)) {
        return false;
    }
    switch (csrno) {
    case CSR_CYCLE:
    case CSR_MCYCLE:
        *val = env->insn_count + env->mcycle_offset;
        break;
    case CSR_INSTRET:
    case CSR_MINSTRET:
        *val = env->insn_count + env->minstret_offset;
        break;
    default: /* CSR_TIME: the 10 MHz timebase of the virt machine */
        *val = (uint64_t)loom_clock_ns() / 100;
        break;
    }
    return true;
}

static void write_counter(RISCVEnv *env, int csrno, uint64_t val)
{
    /* The writing instruction is counted when its TB syncs the count;
       the next instruction must read val. */
    uint64_t next = env->insn_count + 1;

    if (csrno == CSR_MCYCLE) {
        env->mcycle_offset = val - next;
    } else {
        env->minstret_offset = val - next;
    }
}

/* ---- the table, sorted by CSR number (csr_lookup bisects it) ---- */

#define CSR(no, pv, eff, nm, pred, rd, wr) \
    { .csrno = (no), .min_priv = (pv), .effect = (eff), .name = (nm), \
      .present = (pred), .read = (rd), .write = (wr) }

/* No hardware performance counters: mhpmcounter3..31 and mhpmevent3..31
   read zero and ignore writes (the spec allows them hardwired). */
#define MHPM(base, n, nm) \
    CSR((base) + (n) - 3, PRV_M, CSR_WRITE_PLAIN, nm #n, NULL, read_zero, write_ignore)
#define MHPM_ALL(base, nm) \
    MHPM(base, 3, nm), MHPM(base, 4, nm), MHPM(base, 5, nm), MHPM(base, 6, nm), \
    MHPM(base, 7, nm), MHPM(base, 8, nm), MHPM(base, 9, nm), MHPM(base, 10, nm), \
    MHPM(base, 11, nm), MHPM(base, 12, nm), MHPM(base, 13, nm), MHPM(base, 14, nm), \
    MHPM(base, 15, nm), MHPM(base, 16, nm), MHPM(base, 17, nm), MHPM(base, 18, nm), \
    MHPM(base, 19, nm), MHPM(base, 20, nm), MHPM(base, 21, nm), MHPM(base, 22, nm), \
    MHPM(base, 23, nm), MHPM(base, 24, nm), MHPM(base, 25, nm), MHPM(base, 26, nm), \
    MHPM(base, 27, nm), MHPM(base, 28, nm), MHPM(base, 29, nm), MHPM(base, 30, nm), \
    MHPM(base, 31, nm)

#define PMPADDR(n) \
    CSR(CSR_PMPADDR0 + (n), PRV_M, CSR_WRITE_TB_KEY, "pmpaddr" #n, NULL, read_pmpaddr, write_pmpaddr)

static const CSRInfo csr_table[] = {
    CSR(CSR_FFLAGS, PRV_U, CSR_WRITE_PLAIN, "fflags", has_f, read_fcsr, write_fcsr),
    CSR(CSR_FRM, PRV_U, CSR_WRITE_PLAIN, "frm", has_f, read_fcsr, write_fcsr),
    CSR(CSR_FCSR, PRV_U, CSR_WRITE_PLAIN, "fcsr", has_f, read_fcsr, write_fcsr),
    CSR(CSR_SSTATUS, PRV_S, CSR_WRITE_TB_KEY, "sstatus", has_s, read_mstatus, write_mstatus),
    CSR(CSR_SIE, PRV_S, CSR_WRITE_IRQ, "sie", has_s, read_sie, write_sie),
    CSR(CSR_STVEC, PRV_S, CSR_WRITE_PLAIN, "stvec", has_s, read_mtvec, write_mtvec),
    CSR(CSR_SCOUNTEREN, PRV_S, CSR_WRITE_PLAIN, "scounteren", has_s, read_field, write_counteren),
    CSR(CSR_SENVCFG, PRV_S, CSR_WRITE_PLAIN, "senvcfg", has_s, read_field, write_senvcfg),
    CSR(CSR_SSCRATCH, PRV_S, CSR_WRITE_PLAIN, "sscratch", has_s, read_field, write_field),
    CSR(CSR_SEPC, PRV_S, CSR_WRITE_PLAIN, "sepc", has_s, read_mepc, write_mepc),
    CSR(CSR_SCAUSE, PRV_S, CSR_WRITE_PLAIN, "scause", has_s, read_field, write_field),
    CSR(CSR_STVAL, PRV_S, CSR_WRITE_PLAIN, "stval", has_s, read_field, write_field),
    CSR(CSR_SIP, PRV_S, CSR_WRITE_IRQ, "sip", has_s, read_sip, write_sip),
    CSR(CSR_STIMECMP, PRV_S, CSR_WRITE_IRQ, "stimecmp", has_s, read_field, write_stimecmp),
    CSR(CSR_SATP, PRV_S, CSR_WRITE_TB_KEY, "satp", has_s, read_satp, write_satp),
    CSR(CSR_MSTATUS, PRV_M, CSR_WRITE_TB_KEY, "mstatus", NULL, read_mstatus, write_mstatus),
    /* misa is WARL and the extensions are fixed per model: writes are
       ignored (when they are not, a write changes the TB key) */
    CSR(CSR_MISA, PRV_M, CSR_WRITE_TB_KEY, "misa", NULL, read_field, write_ignore),
    CSR(CSR_MEDELEG, PRV_M, CSR_WRITE_PLAIN, "medeleg", has_s, read_field, write_medeleg),
    CSR(CSR_MIDELEG, PRV_M, CSR_WRITE_IRQ, "mideleg", has_s, read_field, write_mideleg),
    CSR(CSR_MIE, PRV_M, CSR_WRITE_IRQ, "mie", NULL, read_field, write_mie),
    CSR(CSR_MTVEC, PRV_M, CSR_WRITE_PLAIN, "mtvec", NULL, read_mtvec, write_mtvec),
    CSR(CSR_MCOUNTEREN, PRV_M, CSR_WRITE_PLAIN, "mcounteren", has_u, read_field, write_counteren),
    CSR(CSR_MENVCFG, PRV_M, CSR_WRITE_IRQ, "menvcfg", has_u, read_field, write_menvcfg),
    /* counters are never inhibited: mcountinhibit is a read-only-zero WARL
       (firmware probes it to learn the privileged-spec version) */
    CSR(CSR_MCOUNTINHIBIT, PRV_M, CSR_WRITE_PLAIN, "mcountinhibit", NULL, read_zero, write_ignore),
    MHPM_ALL(CSR_MHPMEVENT3, "mhpmevent"),
    CSR(CSR_MSCRATCH, PRV_M, CSR_WRITE_PLAIN, "mscratch", NULL, read_field, write_field),
    CSR(CSR_MEPC, PRV_M, CSR_WRITE_PLAIN, "mepc", NULL, read_mepc, write_mepc),
    CSR(CSR_MCAUSE, PRV_M, CSR_WRITE_PLAIN, "mcause", NULL, read_field, write_field),
    CSR(CSR_MTVAL, PRV_M, CSR_WRITE_PLAIN, "mtval", NULL, read_field, write_field),
    CSR(CSR_MIP, PRV_M, CSR_WRITE_IRQ, "mip", NULL, read_mip, write_mip),
    /* PMP changes flush the TLB: end the TB (its code page may change) */
    CSR(CSR_PMPCFG0, PRV_M, CSR_WRITE_TB_KEY, "pmpcfg0", NULL, read_pmpcfg, write_pmpcfg),
    CSR(CSR_PMPCFG2, PRV_M, CSR_WRITE_TB_KEY, "pmpcfg2", NULL, read_pmpcfg, write_pmpcfg),
    PMPADDR(0), PMPADDR(1), PMPADDR(2), PMPADDR(3),
    PMPADDR(4), PMPADDR(5), PMPADDR(6), PMPADDR(7),
    PMPADDR(8), PMPADDR(9), PMPADDR(10), PMPADDR(11),
    PMPADDR(12), PMPADDR(13), PMPADDR(14), PMPADDR(15),
    /* Sdtrig (debug.c): tdata1 may arm or disarm a trigger, which the TB
       flags follow; tdata2 is read at run time */
    CSR(CSR_TSELECT, PRV_M, CSR_WRITE_PLAIN, "tselect", NULL,
        riscv_trigger_csr_read, riscv_trigger_csr_write),
    CSR(CSR_TDATA1, PRV_M, CSR_WRITE_TB_KEY, "tdata1", NULL,
        riscv_trigger_csr_read, riscv_trigger_csr_write),
    CSR(CSR_TDATA2, PRV_M, CSR_WRITE_PLAIN, "tdata2", NULL,
        riscv_trigger_csr_read, riscv_trigger_csr_write),
    CSR(CSR_TDATA3, PRV_M, CSR_WRITE_PLAIN, "tdata3", NULL,
        riscv_trigger_csr_read, riscv_trigger_csr_write),
    CSR(CSR_TINFO, PRV_M, CSR_WRITE_PLAIN, "tinfo", NULL, riscv_trigger_csr_read, NULL),
    CSR(CSR_MCYCLE, PRV_M, CSR_WRITE_PLAIN, "mcycle", NULL, read_counter, write_counter),
    CSR(CSR_MINSTRET, PRV_M, CSR_WRITE_PLAIN, "minstret", NULL, read_counter, write_counter),
    MHPM_ALL(CSR_MHPMCOUNTER3, "mhpmcounter"),
    CSR(CSR_CYCLE, PRV_U, CSR_WRITE_PLAIN, "cycle", NULL, read_counter, NULL),
    CSR(CSR_TIME, PRV_U, CSR_WRITE_PLAIN, "time", NULL, read_counter, NULL),
    CSR(CSR_INSTRET, PRV_U, CSR_WRITE_PLAIN, "instret", NULL, read_counter, NULL),
    CSR(CSR_MVENDORID, PRV_M, CSR_WRITE_PLAIN, "mvendorid", NULL, read_zero, NULL),
    CSR(CSR_MARCHID, PRV_M, CSR_WRITE_PLAIN, "marchid", NULL, read_zero, NULL),
    CSR(CSR_MIMPID, PRV_M, CSR_WRITE_PLAIN, "mimpid", NULL, read_zero, NULL),
    CSR(CSR_MHARTID, PRV_M, CSR_WRITE_PLAIN, "mhartid", NULL, read_field, NULL),
};

#undef PMPADDR
#undef MHPM_ALL
#undef MHPM
#undef CSR

/* Does csrno name a CSR this hart has?  The table is small: bisect it. */
static const CSRInfo *csr_lookup(const RISCVEnv *env, int csrno)
{
    size_t lo = 0, hi = sizeof(csr_table) / sizeof(csr_table[0]);

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const CSRInfo *ci = &csr_table[mid];

        if (ci->csrno == csrno) {
            return (!ci->present || ci->present(env)) ? ci : NULL;
        }
        if (ci->csrno < csrno) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* For assert(): the table is sorted and each entry is complete. */
static bool csr_table_sanity(void)
{
    for (size_t i = 0; i < sizeof(csr_table) / sizeof(csr_table[0]); i++) {
        const CSRInfo *ci = &csr_table[i];

        if (!ci->read || !ci->name || ((ci->csrno >> 8) & 3) > ci->min_priv) {
            return false;
        }
        if (i > 0 && csr_table[i - 1].csrno >= ci->csrno) {
            return false;
        }
    }
    return true;
}

int riscv_csr_write_effect(int csrno)
{
    for (size_t i = 0; i < sizeof(csr_table) / sizeof(csr_table[0]); i++) {
        if (csr_table[i].csrno == csrno) {
            return csr_table[i].effect;
        }
    }
    return CSR_WRITE_PLAIN;     /* no such CSR: the access traps anyway */
}

static void csr_write(RISCVEnv *env, const CSRInfo *ci, uint64_t val);

/* The debugger's view (gdb.c): entry i of the table, by number. */
bool riscv_csr_entry(size_t i, int *csrno, const char **name)
{
    if (i >= sizeof(csr_table) / sizeof(csr_table[0])) {
        return false;
    }
    *csrno = csr_table[i].csrno;
    *name = csr_table[i].name;
    return true;
}

/* The debugger reads or writes a CSR: no privilege check, and a CSR the
   hart lacks reads 0 and ignores writes.  False only for a write to a
   read-only CSR.  On the hart's own thread. */
bool riscv_csr_debug_access(RISCVEnv *env, int csrno, uint64_t *val, bool write)
{
    const CSRInfo *ci = csr_lookup(env, csrno);

    if (!write) {
        *val = 0;
        if (ci) {
            ci->read(env, csrno, val);
        }
        return true;
    }
    if ((csrno >> 10) == 3) {
        return false;
    }
    if (ci) {
        csr_write(env, ci, *val);
    }
    return true;
}

/* Architectural reset of the CSRs; misa and mhartid are already set. */
void riscv_csr_reset(RISCVEnv *env)
{
    uint64_t fixed = 0;

    assert(csr_table_sanity());

    /* Fields software may write, by the modes the hart has. */
    env->mstatus_wmask = MSTATUS_MIE | MSTATUS_MPIE;
    if (has_u(env)) {
        env->mstatus_wmask |= MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TW;
        fixed |= 2ull << 32;                        /* UXL = 64 */
    } else {
        fixed |= (uint64_t)PRV_M << MSTATUS_MPP_SHIFT;  /* MPP reads 3 */
    }
    if (has_s(env)) {
        /* FS: writable with S-mode even without F (the F/D code uses it) */
        env->mstatus_wmask |= MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |
                              MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM |
                              MSTATUS_TSR | MSTATUS_FS;
        fixed |= 2ull << 34;                        /* SXL = 64 */
    }
    if (has_f(env)) {
        env->mstatus_wmask |= MSTATUS_FS;
    }
    /* MIE and MPRV reset to 0; MPP is M; FS is Off */
    env->mstatus = fixed | ((uint64_t)PRV_M << MSTATUS_MPP_SHIFT);
    env->fcsr = 0;
    env->mtvec = 0;
    env->mepc = 0;
    env->mcause = 0;
    env->mtval = 0;
    env->mscratch = 0;
    env->mie = 0;
    /* the device-driven bits mirror input lines: the devices own them */
    __atomic_fetch_and(&env->mip, ~(MIP_SSIP | MIP_STIP), __ATOMIC_ACQ_REL);
    env->medeleg = 0;
    env->mideleg = 0;
    env->mcounteren = 0;
    env->stvec = 0;
    env->sepc = 0;
    env->scause = 0;
    env->stval = 0;
    env->sscratch = 0;
    env->satp = 0;
    env->scounteren = 0;
    env->senvcfg = 0;
    env->menvcfg = 0;
    env->stimecmp = ~0ull;
    if (env->stimer) {
        riscv_update_stip(env);     /* STCE = 0: stops the timer */
    }
    for (int i = 0; i < PMP_ENTRIES; i++) {
        env->pmpcfg[i] = 0;
        env->pmpaddr[i] = 0;
    }
    riscv_trigger_reset(env);
    env->insn_count = 0;
    env->mcycle_offset = 0;
    env->minstret_offset = 0;
}

/* ---- CSR instruction helpers ---- */

/* Check an access to the CSR named by a CSR instruction; raise illegal
   instruction (mtval = the instruction) if it is not allowed. */
static const CSRInfo *csr_check(RISCVEnv *env, uint64_t insn, bool write,
                                uintptr_t ra)
{
    int csrno = (int)((insn >> 20) & 0xfff);
    const CSRInfo *ci = csr_lookup(env, csrno);

    if (!ci || env->priv < ci->min_priv || (write && (csrno >> 10) == 3) ||
        !csr_gate(env, csrno)) {
        if (loom_log_enabled(LOOM_LOG_GUEST_ERROR)) {
            loom_log("riscv: hart %" PRIu64 ": %s CSR 0x%03x: illegal instruction\n",
                     env->mhartid, !ci ? "no" : write ? "cannot write" : "cannot access",
                     csrno);
        }
        riscv_raise_restore(env, EXCP_ILLEGAL_INSN, (uint32_t)insn, ra);
    }
    return ci;
}

static uint64_t csr_read(RISCVEnv *env, const CSRInfo *ci, uint64_t insn, uintptr_t ra)
{
    uint64_t val = 0;

    if (!ci->read(env, ci->csrno, &val)) {
        riscv_raise_restore(env, EXCP_ILLEGAL_INSN, (uint32_t)insn, ra);
    }
    return val;
}

static void csr_write(RISCVEnv *env, const CSRInfo *ci, uint64_t val)
{
    if (ci->write) {
        ci->write(env, ci->csrno, val);
    }
    if (ci->effect != CSR_WRITE_PLAIN) {
        riscv_check_irqs(env);
    }
}

/* csrrs/csrrc with rs1 = x0 (and the uimm = 0 forms): read only. */
static uint64_t helper_csrr(void *e, uint64_t insn, uint64_t a1 UNUSED,
                            uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                            uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    const CSRInfo *ci = csr_check(env, insn, false, LOOM_GETPC());

    return csr_read(env, ci, insn, LOOM_GETPC());
}

/* csrrw/csrrwi with rd = x0: write only, no read side effects. */
static uint64_t helper_csrw(void *e, uint64_t insn, uint64_t val,
                            uint64_t a2 UNUSED, uint64_t a3 UNUSED,
                            uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    const CSRInfo *ci = csr_check(env, insn, true, LOOM_GETPC());

    csr_write(env, ci, val);
    return 0;
}

/* Read, then write (old & ~mask) | (val & mask); returns the old value.
   csrrw: val = src, mask = ~0; csrrs: val = ~0, mask = src;
   csrrc: val = 0, mask = src. */
static uint64_t helper_csrrw(void *e, uint64_t insn, uint64_t val, uint64_t mask,
                             uint64_t a3 UNUSED, uint64_t a4 UNUSED, uint64_t a5 UNUSED)
{
    RISCVEnv *env = e;
    const CSRInfo *ci = csr_check(env, insn, true, LOOM_GETPC());
    uint64_t old = csr_read(env, ci, insn, LOOM_GETPC());

    csr_write(env, ci, (old & ~mask) | (val & mask));
    return old;
}

/* They may raise (so guest globals must be in env) but never change a
   guest global behind translated code's back. */
const LoomIRHelper riscv_helper_csrr = {
    helper_csrr, "csrr", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper riscv_helper_csrw = {
    helper_csrw, "csrw", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
const LoomIRHelper riscv_helper_csrrw = {
    helper_csrrw, "csrrw", LOOM_IR_CALL_NO_WRITE_GLOBALS,
};
