/*
 * aarch64 front-end: the debugger hooks (LoomFrontendOps.gdb_*): GDB's
 * "org.gnu.gdb.aarch64.core" feature, x0..x30, sp, pc and cpsr (NZCV,
 * DAIF, EL and SPSel as PSTATE shows them), in GDB's numbering 0..33.
 */
#include <string.h>
#include "cpu.h"

static const char target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target>\n"
    "  <architecture>aarch64</architecture>\n"
    "  <xi:include href=\"aarch64-core.xml\"/>\n"
    "</target>\n";

/* the core registers, generated at load time from the names below */
static char core_xml[4096];

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
}

const char *aarch64_gdb_xml(LoomCPU *cpu UNUSED, const char *annex)
{
    if (!strcmp(annex, "target.xml")) {
        return target_xml;
    }
    if (!strcmp(annex, "aarch64-core.xml")) {
        return core_xml;
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
    } else {
        return 0;
    }
    return 8;
}
