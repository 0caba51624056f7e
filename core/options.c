/*
 * The option parsers of the command line that need no machine: -machine,
 * -accel, -smp and -m.  Each returns false with *err set to the one-line
 * message loom prints, so main stays the only place that exits, and the
 * parsers can be driven directly (tests/fuzz/fuzz-cmdline.c).
 */
#include "config.h"
#include <string.h>
#include "internal.h"

/* -machine [NAME][,dumpdtb=FILE][,OPTION=VALUE...][,help]: false with
   *err set on a malformed option.  OPTION=VALUE pairs the core does not
   know are the machine file's (machine-options.c): machine_create checks
   them once the file is read. */
bool options_parse_machine(const char *arg, char **name, MachineOptions *opt, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    bool ok = true;
    int i = 0;

    *name = NULL;
    if (!parts[0] || !*parts[0]) {
        *err = g_strdup_printf("-machine '%s': no machine name: give one, e.g. -M virt "
                               "(-M help lists them)", arg);
        g_strfreev(parts);
        return false;
    }
    if (!strchr(parts[0], '=')) {
        *name = g_strdup(parts[i++]);
    }
    for (; ok && parts[i]; i++) {
        const char *eq = strchr(parts[i], '=');

        if (g_str_has_prefix(parts[i], "dumpdtb=") && parts[i][8]) {
            g_free((char *)opt->dumpdtb);
            opt->dumpdtb = g_strdup(parts[i] + 8);
        } else if (!strcmp(parts[i], "help")) {
            opt->machine_help = true;
        } else if (eq && eq != parts[i] && eq[1]) {
            if (!opt->machine_opts) {
                opt->machine_opts = g_ptr_array_new_with_free_func(g_free);
            }
            g_ptr_array_add(opt->machine_opts, g_strdup(parts[i]));
        } else {
            *err = g_strdup_printf("-machine %s: '%s' is not an option: give OPTION=VALUE "
                                   "(-M %s,help lists the machine's)", arg, parts[i],
                                   *name ? *name : "NAME");
            ok = false;
        }
    }
    g_strfreev(parts);
    if (!ok) {
        g_free(*name);
        *name = NULL;
    }
    return ok;
}

bool options_parse_accel(const char *arg, MachineOptions *opt, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    bool ok = true;

    if (!parts[0] || strcmp(parts[0], "tcg")) {
        *err = g_strdup_printf("-accel '%s': only the tcg accelerator exists: use -accel tcg[,...]",
                               parts[0] ? parts[0] : "");
        ok = false;
    }
    for (int i = 1; ok && parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        const char *v = eq ? eq + 1 : "";
        if (eq) {
            *eq = 0;
        }
        if (!strcmp(parts[i], "thread")) {
            if (!strcmp(v, "auto")) opt->thread = THREAD_AUTO;
            else if (!strcmp(v, "multi")) opt->thread = THREAD_MULTI;
            else if (!strcmp(v, "single")) opt->thread = THREAD_SINGLE;
            else {
                *err = g_strdup_printf("-accel: thread=%s is not valid: give auto, multi or single", v);
                ok = false;
            }
        } else if (!strcmp(parts[i], "tb-size")) {
            uint64_t mib;
            if (!parse_size(v, &mib) || mib < 1 || mib > 4096) {
                *err = g_strdup_printf("-accel: tb-size=%s is not valid: give 1..4096 (MiB)", v);
                ok = false;
            } else {
                opt->tb_size = mib << 20;
            }
        } else if (!strcmp(parts[i], "backend")) {
            if (!*v) {
                *err = g_strdup("-accel: backend= needs a name: try -accel help");
                ok = false;
            } else {
                /* the last backend= wins, as the last -accel does */
                g_free((char *)opt->backend);
                opt->backend = g_strdup(v);
            }
        } else if (!strcmp(parts[i], "atomics")) {
            /* debugging: every atomic runs alone (cpu-exec.c) */
            if (!strcmp(v, "host")) atomics_exclusive = false;
            else if (!strcmp(v, "exclusive")) atomics_exclusive = true;
            else {
                *err = g_strdup_printf("-accel: atomics=%s is not valid: give host or exclusive", v);
                ok = false;
            }
        } else if (!strcmp(parts[i], "opt")) {
            if (!strcmp(v, "on")) loom_ir_opt_enabled = true;
            else if (!strcmp(v, "off")) loom_ir_opt_enabled = false;
            else {
                *err = g_strdup_printf("-accel: opt=%s is not valid: give on or off", v);
                ok = false;
            }
        } else if (!strcmp(parts[i], "wx")) {
            /* W^X: two views of the code buffer (tb.c) */
            if (!strcmp(v, "on")) tb_wx_enabled = true;
            else if (!strcmp(v, "off")) tb_wx_enabled = false;
            else {
                *err = g_strdup_printf("-accel: wx=%s is not valid: give on or off", v);
                ok = false;
            }
        } else if (!strcmp(parts[i], "mb-insert")) {
            /* testing only: show what the inserted barriers are for */
            if (!strcmp(v, "on")) mb_insert_enabled = true;
            else if (!strcmp(v, "off")) mb_insert_enabled = false;
            else {
                *err = g_strdup_printf("-accel: mb-insert=%s is not valid: give on or off", v);
                ok = false;
            }
        } else {
            /* maybe the back-end's (not loaded yet): machine_create asks
               it, and reports the option if it is nobody's */
            if (!opt->backend_opts) {
                opt->backend_opts = g_ptr_array_new_with_free_func(g_free);
            }
            g_ptr_array_add(opt->backend_opts,
                            eq ? g_strdup_printf("%s=%s", parts[i], v) : g_strdup(parts[i]));
        }
    }
    g_strfreev(parts);
    return ok;
}

bool options_parse_smp(const char *arg, unsigned *n, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    uint64_t v = 0;
    bool ok = true, have = false;

    for (int i = 0; ok && parts[i]; i++) {
        const char *s = parts[i];
        if (g_str_has_prefix(s, "cpus=")) {
            s += 5;
        } else if (i > 0) {
            *err = g_strdup_printf("-smp: '%s' is not supported: give -smp N", parts[i]);
            ok = false;
            break;
        }
        ok = parse_size(s, &v) && v >= 1 && v <= 1024;
        have = true;
    }
    if (ok && have) {
        *n = (unsigned)v;
    } else if (!*err) {
        *err = g_strdup_printf("-smp %s: give a number of vCPUs from 1 to the machine's maximum", arg);
        ok = false;
    }
    g_strfreev(parts);
    return ok;
}

/* -m [size=]SIZE: a bare number means MiB, as in QEMU. */
bool options_parse_ram_size(const char *arg, uint64_t *out, char **err)
{
    const char *s = g_str_has_prefix(arg, "size=") ? arg + 5 : arg;
    uint64_t v;

    if (!parse_size(s, &v) || v == 0) {
        *err = g_strdup_printf("-m %s: give a RAM size such as 256M or 1G", arg);
        return false;
    }
    if (g_ascii_isdigit(s[strlen(s) - 1])) {
        if (v > UINT64_MAX >> 20) {
            *err = g_strdup_printf("-m %s: RAM size is out of range: give 1M to 1T", arg);
            return false;
        }
        v <<= 20;
    }
    *out = v;
    return true;
}
