/*
 * aarch64 front-end: the device-tree nodes of a vCPU (LoomFrontendOps.
 * fdt_cpu): /cpus/cpu@N with the Arm CPU binding (compatible, reg = the
 * MPIDR affinity, enable-method "psci"), and, with vCPU 0, the /psci node
 * for loom's own PSCI firmware (psci.c) reached through HVC.
 */
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include "cpu.h"

/* /psci: PSCI 1.0, compatible with 0.2 */
static int fdt_psci(void *blob)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
    int node = fdt_add_subnode(blob, 0, "psci");
    int rc = node < 0 ? node : 0;

    rc = rc ? rc : fdt_setprop(blob, node, "compatible", compat, sizeof(compat));
    rc = rc ? rc : fdt_setprop_string(blob, node, "method", "hvc");
    return rc;
}

bool aarch64_fdt_cpu(LoomCPU *cpu, void *blob, int cpus, uint32_t first_phandle UNUSED,
                     uint32_t *intc_phandle UNUSED, char **err)
{
    static const char armv8[] = "arm,armv8";
    const ARMEnv *env = arm_env(cpu);
    char compat[96], name[32];
    size_t len = 0;
    int node, rc;

    /* the model's compatible first (NUL-separated list), then armv8 */
    if (env->model->compatible) {
        len = strlen(env->model->compatible) + 1;
        memcpy(compat, env->model->compatible, len);
    }
    memcpy(compat + len, armv8, sizeof(armv8));
    len += sizeof(armv8);
    snprintf(name, sizeof(name), "cpu@%" PRIx64, (uint64_t)(env->mpidr & 0xffffff));
    node = fdt_add_subnode(blob, cpus, name);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_string(blob, node, "device_type", "cpu");
    rc = rc ? rc : fdt_setprop(blob, node, "compatible", compat, (int)len);
    /* /cpus has one address cell: Aff2..Aff0 */
    rc = rc ? rc : fdt_setprop_u32(blob, node, "reg", (uint32_t)(env->mpidr & 0xffffff));
    rc = rc ? rc : fdt_setprop_string(blob, node, "enable-method", "psci");
    if (!rc && cpu->cpu_index == 0) {
        rc = fdt_psci(blob);
    }
    if (rc) {
        *err = g_strdup_printf("aarch64: could not add the device-tree node of cpu %u: %s",
                               cpu->cpu_index, fdt_strerror(rc));
        return false;
    }
    return true;
}
