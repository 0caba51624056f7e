/*
 * Translation statistics: what translation cost and how the translated
 * code ran, as one short block for -d jit (at exit) and for a monitor's
 * `info jit`.
 *
 * The block's shape is an interface: bench/run parses it and
 * tests/system/jit-stats.sh checks it line by line, and docs/manual.md
 * ("Translation statistics") describes each line.  Add lines at the end
 * of the global part; never rename or reorder one.
 *
 * Sources: tb_get_stats (the TB cache's counters, under tb_lock; the
 * code buffer's use from each region's owner-only pointer) and each
 * vCPU's owner-only priv->stats.  Both are exact only while no vCPU
 * runs, which is why callers stop the vCPUs or use safe work first.
 */
#include "config.h"
#include <inttypes.h>
#include "internal.h"

/* Label column of the global lines: wide enough for the longest label. */
#define LABEL_WIDTH 24

/* "a / b" with two decimals, or "-" when there is nothing to divide. */
static void append_ratio(GString *out, uint64_t a, uint64_t b)
{
    if (b) {
        g_string_append_printf(out, "%.2f\n", (double)a / (double)b);
    } else {
        g_string_append(out, "-\n");
    }
}

static void append_count(GString *out, const char *label, uint64_t v)
{
    g_string_append_printf(out, "  %-*s%" PRIu64 "\n", LABEL_WIDTH, label, v);
}

void stats_format_jit(LoomMachine *m, GString *out)
{
    TBStats st;
    uint64_t excl = 0;

    tb_get_stats(&st);
    g_string_append_printf(out, "JIT statistics: back-end %s, %s-threaded, %u vCPU%s\n",
                           m->backend_plugin->desc->name,
                           m->mode == THREAD_MULTI ? "multi" : "single",
                           m->nb_cpus, m->nb_cpus == 1 ? "" : "s");
    append_count(out, "TBs translated", st.translated);
    append_count(out, "TBs in the cache", st.nb_tbs);
    append_count(out, "full flushes", st.flushes);
    append_count(out, "guest insns translated", st.guest_insns);
    g_string_append_printf(out, "  %-*s", LABEL_WIDTH, "guest insns per TB");
    append_ratio(out, st.guest_insns, st.translated);
    append_count(out, "host code bytes", st.code_bytes);
    g_string_append_printf(out, "  %-*s", LABEL_WIDTH, "host bytes per insn");
    append_ratio(out, st.code_bytes, st.guest_insns);
    g_string_append_printf(out, "  %-*s%" PRIu64 " of %" PRIu64 " bytes used (%.2f%%), "
                           "%u region%s\n", LABEL_WIDTH, "code buffer",
                           st.buffer_used, st.buffer_size,
                           st.buffer_size ? 100.0 * (double)st.buffer_used / (double)st.buffer_size
                                          : 0.0,
                           st.nb_regions, st.nb_regions == 1 ? "" : "s");
    for (unsigned i = 0; i < m->nb_cpus; i++) {
        const LoomCPU *cpu = m->cpus[i];
        char label[16];

        g_snprintf(label, sizeof(label), "cpu%u", cpu->cpu_index);
        g_string_append_printf(out, "  %-*sTBs executed %" PRIu64 ", translations %" PRIu64
                               ", exits %" PRIu64 "\n", LABEL_WIDTH, label,
                               cpu->priv->stats.tbs_run, cpu->priv->stats.translations,
                               cpu->priv->stats.exits);
        excl += cpu->priv->stats.excl_sections;
    }
    if (excl) {
        /* LOOM_EXCP_ATOMIC sections (cpu-exec.c); only when there were
           any, so the usual report keeps its shape */
        g_string_append_printf(out, "  %-*s%" PRIu64 "\n", LABEL_WIDTH, "exclusive sections",
                               excl);
    }
}

void stats_log_jit(LoomMachine *m)
{
    GString *out = g_string_new(NULL);

    stats_format_jit(m, out);
    loom_log("%s", out->str);
    g_string_free(out, TRUE);
}
