/*
 * riscv64 front-end: the hart's device-tree node (fdt_cpu hook), as the
 * RISC-V CPU binding describes it:
 *
 *   cpu@N { device_type = "cpu"; reg = <N>; status = "okay";
 *           compatible = "riscv"; riscv,isa = "rv64imac_zicsr...";
 *           riscv,isa-base = "rv64i"; riscv,isa-extensions = "i", "m", ...;
 *           mmu-type = "riscv,sv48";
 *           interrupt-controller { #interrupt-cells = <1>;
 *               interrupt-controller; compatible = "riscv,cpu-intc";
 *               phandle = <first_phandle>; } }
 *
 * The hart reserves one phandle (fdt_cpu_phandles = 1), its interrupt
 * controller's, which the PLIC and ACLINT nodes wire to.
 *
 * The ISA strings come from misa (single letters) plus riscv_multi_exts
 * below: the one list of implemented multi-letter extensions.
 */
#include <string.h>
#include <glib.h>
#include <libfdt.h>
#include "cpu.h"

/* Single-letter extensions in the order ISA strings list them. */
static const char riscv_letter_order[] = "imafdqcbkjtpvh";

/* Sstc (stimecmp) exists only with S-mode. */
static bool has_s_mode(const RISCVEnv *env)
{
    return riscv_has_ext(env, 'S');
}

static bool has_ztso(const RISCVEnv *env)
{
    return env->ext_ztso != 0;
}

/*
 * Multi-letter extensions this front-end implements, in canonical order
 * (Z extensions by their category letter's place in riscv_letter_order,
 * then alphabetically; then S extensions).  When you implement one, add
 * a row; `present` says whether a given hart has it (NULL: every hart).
 */
static const struct {
    const char *name;
    bool (*present)(const RISCVEnv *env);
} riscv_multi_exts[] = {
    { "zicntr", NULL },         /* cycle, time, instret */
    { "zicond", NULL },
    { "zicsr", NULL },
    { "zifencei", NULL },
    { "zihintpause", NULL },
    { "zba", NULL },
    { "zbb", NULL },
    { "zbs", NULL },
    { "ztso", has_ztso },       /* -cpu ...,ztso=on */
    { "sstc", has_s_mode },
};

/* "riscv,none" without S-mode, else the largest satp mode (mmu.c). */
static const char *riscv_mmu_type(const RISCVEnv *env)
{
    if (!riscv_has_ext(env, 'S')) {
        return "riscv,none";
    }
#ifdef SATP_MODE_SV48
    return "riscv,sv48";
#else
    return "riscv,sv39";
#endif
}

/* riscv,isa and riscv,isa-extensions (a string list: NUL-separated). */
static void riscv_isa_strings(const RISCVEnv *env, GString *isa, GString *list)
{
    g_string_assign(isa, "rv64");
    g_string_truncate(list, 0);
    for (const char *c = riscv_letter_order; *c; c++) {
        if (riscv_has_ext(env, (char)g_ascii_toupper(*c))) {
            g_string_append_c(isa, *c);
            g_string_append_c(list, *c);
            g_string_append_c(list, '\0');
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(riscv_multi_exts); i++) {
        if (riscv_multi_exts[i].present && !riscv_multi_exts[i].present(env)) {
            continue;
        }
        g_string_append_printf(isa, "_%s", riscv_multi_exts[i].name);
        g_string_append(list, riscv_multi_exts[i].name);
        g_string_append_c(list, '\0');
    }
}

bool riscv_fdt_cpu(LoomCPU *cpu, void *blob, int cpus, uint32_t first_phandle,
                   uint32_t *intc_phandle, char **err)
{
    const RISCVEnv *env = riscv_env(cpu);
    char name[32];
    GString *isa = g_string_new(NULL), *list = g_string_new(NULL);
    int node, intc, rc;

    riscv_isa_strings(env, isa, list);
    snprintf(name, sizeof(name), "cpu@%u", cpu->cpu_index);
    node = fdt_add_subnode(blob, cpus, name);
    rc = node < 0 ? node : 0;
    rc = rc ? rc : fdt_setprop_string(blob, node, "device_type", "cpu");
    rc = rc ? rc : fdt_setprop_u32(blob, node, "reg", cpu->cpu_index);
    rc = rc ? rc : fdt_setprop_string(blob, node, "status", "okay");
    rc = rc ? rc : fdt_setprop_string(blob, node, "compatible", "riscv");
    rc = rc ? rc : fdt_setprop_string(blob, node, "riscv,isa", isa->str);
    rc = rc ? rc : fdt_setprop_string(blob, node, "riscv,isa-base", "rv64i");
    rc = rc ? rc : fdt_setprop(blob, node, "riscv,isa-extensions", list->str, (int)list->len);
    rc = rc ? rc : fdt_setprop_string(blob, node, "mmu-type", riscv_mmu_type(env));
    intc = rc ? rc : fdt_add_subnode(blob, node, "interrupt-controller");
    rc = intc < 0 ? intc : 0;
    rc = rc ? rc : fdt_setprop_u32(blob, intc, "#interrupt-cells", 1);
    /* no child addresses: keeps dtc's interrupt_provider check quiet */
    rc = rc ? rc : fdt_setprop_u32(blob, intc, "#address-cells", 0);
    rc = rc ? rc : fdt_setprop(blob, intc, "interrupt-controller", NULL, 0);
    rc = rc ? rc : fdt_setprop_string(blob, intc, "compatible", "riscv,cpu-intc");
    rc = rc ? rc : fdt_setprop_u32(blob, intc, "phandle", first_phandle);
    g_string_free(isa, TRUE);
    g_string_free(list, TRUE);
    *intc_phandle = first_phandle;
    if (rc) {
        *err = g_strdup_printf("hart %u's node: %s", cpu->cpu_index, fdt_strerror(rc));
        return false;
    }
    return true;
}
