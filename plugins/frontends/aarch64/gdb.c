/*
 * aarch64 front-end: the debugger hooks (LoomFrontendOps.gdb_*): GDB's
 * "org.gnu.gdb.aarch64.core" feature, x0..x30, sp, pc and cpsr (NZCV,
 * DAIF, EL and SPSel as PSTATE shows them), in GDB's numbering 0..33,
 * and "org.gnu.gdb.aarch64.fpu": v0..v31 (34..65), fpsr (66), fpcr (67).
 */
#include <string.h>
#include "cpu.h"
#include "fpu.h"

static const char target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target>\n"
    "  <architecture>aarch64</architecture>\n"
    "  <xi:include href=\"aarch64-core.xml\"/>\n"
    "  <xi:include href=\"aarch64-fpu.xml\"/>\n"
    "</target>\n";

/* the core registers, generated at load time from the names below */
static char core_xml[4096];
/* the SIMD&FP registers: each V register a union of its lane views */
static char fpu_xml[8192];

enum { GDB_V0 = 34, GDB_FPSR = 66, GDB_FPCR = 67 };

void aarch64_gdb_init(void)
{
    size_t n = 0;

    n += (size_t)snprintf(core_xml + n, sizeof(core_xml) - n,
                          "<?xml version=\"1.0\"?>\n"
                          "<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
                          "<feature name=\"org.gnu.gdb.aarch64.core\">\n");
    for (int i = 0; i < 31; i++) {
        n += (size_t)snprintf(core_xml + n, sizeof(core_xml) - n,
                              "  <reg name=\"x%d\" bitsize=\"64\"/>\n", i);
    }
    snprintf(core_xml + n, sizeof(core_xml) - n,
             "  <reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
             "  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
             "  <reg name=\"cpsr\" bitsize=\"32\"/>\n"
             "</feature>\n");

    n = (size_t)snprintf(fpu_xml, sizeof(fpu_xml),
                         "<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE feature SYSTEM \"gdb-target.dtd\">\n"
                         "<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
                         "  <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
                         "  <vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
                         "  <vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n"
                         "  <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
                         "  <vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
                         "  <vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n"
                         "  <vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
                         "  <vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n"
                         "  <vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
                         "  <vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n"
                         "  <vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n"
                         "  <vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n"
                         "  <union id=\"vnd\"><field name=\"f\" type=\"v2d\"/>"
                         "<field name=\"u\" type=\"v2u\"/><field name=\"s\" type=\"v2i\"/></union>\n"
                         "  <union id=\"vns\"><field name=\"f\" type=\"v4f\"/>"
                         "<field name=\"u\" type=\"v4u\"/><field name=\"s\" type=\"v4i\"/></union>\n"
                         "  <union id=\"vnh\"><field name=\"u\" type=\"v8u\"/>"
                         "<field name=\"s\" type=\"v8i\"/></union>\n"
                         "  <union id=\"vnb\"><field name=\"u\" type=\"v16u\"/>"
                         "<field name=\"s\" type=\"v16i\"/></union>\n"
                         "  <union id=\"vnq\"><field name=\"u\" type=\"v1u\"/>"
                         "<field name=\"s\" type=\"v1i\"/></union>\n"
                         "  <union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/>"
                         "<field name=\"s\" type=\"vns\"/><field name=\"h\" type=\"vnh\"/>"
                         "<field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/></union>\n");
    for (int i = 0; i < 32; i++) {
        n += (size_t)snprintf(fpu_xml + n, sizeof(fpu_xml) - n,
                              "  <reg name=\"v%d\" bitsize=\"128\" type=\"aarch64v\" regnum=\"%d\"/>\n",
                              i, GDB_V0 + i);
    }
    snprintf(fpu_xml + n, sizeof(fpu_xml) - n,
             "  <reg name=\"fpsr\" bitsize=\"32\"/>\n"
             "  <reg name=\"fpcr\" bitsize=\"32\"/>\n"
             "</feature>\n");
}

const char *aarch64_gdb_xml(LoomCPU *cpu UNUSED, const char *annex)
{
    if (!strcmp(annex, "target.xml")) {
        return target_xml;
    }
    if (!strcmp(annex, "aarch64-core.xml")) {
        return core_xml;
    }
    if (!strcmp(annex, "aarch64-fpu.xml")) {
        return fpu_xml;
    }
    return NULL;
}

static void put64(uint8_t *buf, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        buf[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint64_t get(const uint8_t *buf, int bytes)
{
    uint64_t v = 0;

    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    return v;
}

int aarch64_gdb_read_reg(LoomCPU *cpu, int n, uint8_t *buf)
{
    ARMEnv *env = arm_env(cpu);

    if (n >= 0 && n < 31) {
        put64(buf, env->x[n]);
    } else if (n == 31) {
        put64(buf, env->sp);
    } else if (n == 32) {
        put64(buf, env->pc);
    } else if (n == 33) {
        uint32_t ps = aarch64_pstate(env);

        for (int i = 0; i < 4; i++) {
            buf[i] = (uint8_t)(ps >> (8 * i));
        }
        return 4;
    } else if (n >= GDB_V0 && n < GDB_V0 + 32) {
        put64(buf, env->vreg[n - GDB_V0][0]);
        put64(buf + 8, env->vreg[n - GDB_V0][1]);
        return 16;
    } else if (n == GDB_FPSR || n == GDB_FPCR) {
        uint64_t v = n == GDB_FPSR ? env->fpsr : env->fpcr;

        for (int i = 0; i < 4; i++) {
            buf[i] = (uint8_t)(v >> (8 * i));
        }
        return 4;
    } else {
        return 0;
    }
    return 8;
}

int aarch64_gdb_write_reg(LoomCPU *cpu, int n, const uint8_t *buf)
{
    ARMEnv *env = arm_env(cpu);

    if (n >= 0 && n < 31) {
        env->x[n] = get(buf, 8);
    } else if (n == 31) {
        env->sp = get(buf, 8);
    } else if (n == 32) {
        env->pc = get(buf, 8);
    } else if (n == 33) {
        /* the flags only: EL, SPSel and DAIF change through the guest */
        arm_set_nzcv(env, (uint32_t)get(buf, 4));
        return 4;
    } else if (n >= GDB_V0 && n < GDB_V0 + 32) {
        env->vreg[n - GDB_V0][0] = get(buf, 8);
        env->vreg[n - GDB_V0][1] = get(buf + 8, 8);
        return 16;
    } else if (n == GDB_FPSR) {
        env->fpsr = get(buf, 4) & FPSR_WRITABLE;
        return 4;
    } else if (n == GDB_FPCR) {
        env->fpcr = get(buf, 4) & FPCR_WRITABLE;
        return 4;
    } else {
        return 0;
    }
    return 8;
}
