/*
 * riscv64 front-end: what the gdbstub needs (LoomFrontendOps.gdb_*).
 *
 * The target description is one document, target.xml, with GDB's RISC-V
 * features: org.gnu.gdb.riscv.cpu (x0..x31 by ABI name, pc),
 * org.gnu.gdb.riscv.fpu (f0..f31, fflags, frm, fcsr),
 * org.gnu.gdb.riscv.csr (every CSR of csr.c's table) and
 * org.gnu.gdb.riscv.virtual (priv, the privilege level).
 *
 * Register numbers (regnum, which the p/P packets use) follow GDB's own
 * RISC-V numbering: 0..31 the x registers, 32 pc, 33..64 f0..f31, then
 * 65 + the CSR number for every CSR (so fflags, frm and fcsr are 66, 67
 * and 68), and 65 + 4096 for priv.  The g packet holds 0..64.
 */
#include <string.h>
#include <glib.h>
#include "cpu.h"

#define REG_PC 32
#define REG_F0 33
#define REG_CSR0 65
#define REG_PRIV (REG_CSR0 + 4096)

static const char *const xnames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const fnames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Built by riscv_gdb_init (global_init, before any vCPU thread; again
   for each machine a process builds), read-only after; freed when the
   plugin is unloaded. */
static char *target_xml;

static void __attribute__((destructor)) riscv_gdb_fini(void)
{
    g_free(target_xml);
    target_xml = NULL;
}

static bool is_fp_csr(int csrno)
{
    return csrno == CSR_FFLAGS || csrno == CSR_FRM || csrno == CSR_FCSR;
}

void riscv_gdb_init(void)
{
    GString *s = g_string_new(
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n"
        "<architecture>riscv:rv64</architecture>\n"
        "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    int csrno;
    const char *name;

    for (int i = 0; i < 32; i++) {
        const char *type = i == 1 ? "code_ptr" : (i == 2 || i == 3 || i == 4) ? "data_ptr"
                                                                            : "int";
        g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n",
                               xnames[i], type, i);
    }
    g_string_append_printf(s, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" "
                              "regnum=\"%d\"/>\n</feature>\n", REG_PC);
    g_string_append(s, "<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
    for (int i = 0; i < 32; i++) {
        g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"64\" type=\"ieee_double\" "
                                  "regnum=\"%d\"/>\n", fnames[i], REG_F0 + i);
    }
    for (size_t i = 0; riscv_csr_entry(i, &csrno, &name); i++) {
        if (is_fp_csr(csrno)) {
            g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"32\" type=\"int\" "
                                      "regnum=\"%d\"/>\n", name, REG_CSR0 + csrno);
        }
    }
    g_string_append(s, "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (size_t i = 0; riscv_csr_entry(i, &csrno, &name); i++) {
        if (!is_fp_csr(csrno)) {
            g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"64\" type=\"int\" "
                                      "regnum=\"%d\"/>\n", name, REG_CSR0 + csrno);
        }
    }
    g_string_append_printf(s, "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
                              "<reg name=\"priv\" bitsize=\"64\" type=\"int\" regnum=\"%d\"/>\n"
                              "</feature>\n</target>\n", REG_PRIV);
    g_free(target_xml);
    target_xml = g_string_free(s, FALSE);
}

const char *riscv_gdb_xml(LoomCPU *cpu UNUSED, const char *annex)
{
    return strcmp(annex, "target.xml") ? NULL : target_xml;
}

static int put64(uint8_t *buf, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        buf[i] = (uint8_t)(v >> (8 * i));
    }
    return 8;
}

static uint64_t get64(const uint8_t *buf, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    return v;
}

/* Is n a CSR register of the description?  Sets *csrno. */
static bool csr_reg(int n, int *csrno)
{
    int no;
    const char *name;

    if (n < REG_CSR0 || n >= REG_PRIV) {
        return false;
    }
    for (size_t i = 0; riscv_csr_entry(i, &no, &name); i++) {
        if (no == n - REG_CSR0) {
            *csrno = no;
            return true;
        }
    }
    return false;
}

int riscv_gdb_read_reg(LoomCPU *cpu, int n, uint8_t *buf)
{
    RISCVEnv *env = riscv_env(cpu);
    int csrno;
    uint64_t v;

    if (n >= 0 && n < 32) {
        return put64(buf, env->x[n]);
    }
    if (n == REG_PC) {
        return put64(buf, env->pc);
    }
    if (n >= REG_F0 && n < REG_F0 + 32) {
        return put64(buf, env->fpr[n - REG_F0]);
    }
    if (n == REG_PRIV) {
        return put64(buf, env->priv);
    }
    if (csr_reg(n, &csrno)) {
        riscv_csr_debug_access(env, csrno, &v, false);
        put64(buf, v);
        return is_fp_csr(csrno) ? 4 : 8;
    }
    return 0;
}

int riscv_gdb_write_reg(LoomCPU *cpu, int n, const uint8_t *buf)
{
    RISCVEnv *env = riscv_env(cpu);
    int csrno;

    if (n >= 0 && n < 32) {
        if (n) {
            env->x[n] = get64(buf, 8);
        }
        return 8;
    }
    if (n == REG_PC) {
        /* pc is always IALIGN-aligned (RISC-V unprivileged spec: jumps to
           misaligned targets trap at the jump): the write drops bit 0,
           and bit 1 too without C, as the WARL mepc and sepc do */
        env->pc = get64(buf, 8) & (riscv_has_ext(env, 'C') ? ~1ull : ~3ull);
        return 8;
    }
    if (n >= REG_F0 && n < REG_F0 + 32) {
        env->fpr[n - REG_F0] = get64(buf, 8);
        return 8;
    }
    if (csr_reg(n, &csrno)) {
        int size = is_fp_csr(csrno) ? 4 : 8;
        uint64_t v = get64(buf, size);
        return riscv_csr_debug_access(env, csrno, &v, true) ? size : 0;
    }
    return 0;   /* priv is read-only here: a privilege change needs a trap or xret */
}
