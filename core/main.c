/*
 * loom: command line, machine setup, boot, and the I/O loop.
 */
#include "config.h"
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <inttypes.h>
#include <unistd.h>
#include "internal.h"
#include "icount.h"
#include "drive-setup.h"
#include "gdbstub.h"

#define DEFAULT_TB_SIZE (64u << 20)

/* -bios default: Debian's OpenSBI build for QEMU's virt board (package
   opensbi).  fw_jump starts the next stage at RAM + 2 MiB with a1 = the
   device tree, which is what machine_boot sets up.  Not the default
   without -bios: see docs/manual.md. */
#define LOOM_DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf"

/* -machine NAME[,dumpdtb=FILE]: false with *err set on an unknown option. */
static bool parse_machine_opts(const char *arg, char **name, MachineOptions *opt, char **err)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    bool ok = true;

    if (!parts[0] || !*parts[0]) {
        *err = g_strdup_printf("-machine '%s': no machine name: give one, e.g. -M virt "
                               "(-M help lists them)", arg);
        g_strfreev(parts);
        return false;
    }
    *name = g_strdup(parts[0]);
    for (int i = 1; ok && parts[i]; i++) {
        if (g_str_has_prefix(parts[i], "dumpdtb=") && parts[i][8]) {
            g_free((char *)opt->dumpdtb);
            opt->dumpdtb = g_strdup(parts[i] + 8);
        } else {
            *err = g_strdup_printf("-machine %s: unknown machine option '%s': the only one is "
                                   "dumpdtb=FILE", arg, parts[i]);
            ok = false;
        }
    }
    g_strfreev(parts);
    return ok;
}

/* Write the device tree to path (-machine dumpdtb=); false with *err set. */
static bool dump_dtb(const LoomMachine *m, const char *path, char **err)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(m->fdt, 1, m->fdt_size, f) == m->fdt_size;

    if (f && fclose(f) != 0) {
        ok = false;
    }
    if (!ok) {
        *err = g_strdup_printf("dumpdtb: cannot write %s: %s: give a writable path", path,
                               g_strerror(errno));
    }
    return ok;
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: loom [options]\n"
"\n"
"loom " PACKAGE_VERSION ", a multi-threaded dynamic-translation system emulator\n"
"\n"
"Machine:\n"
"  -M, -machine NAME|FILE[,dumpdtb=FILE]  machine to emulate (-M help lists them)\n"
"  -cpu MODEL[,PROP=VALUE...]  CPU model and properties, e.g. rv64,ztso=on or\n"
"                      rv64,lrsc=strict (ABA-free LR/SC, slower)\n"
"                      (-cpu help lists front-ends)\n"
"  -smp N[,cpus=N]     number of vCPUs (default 1)\n"
"  -m SIZE             guest RAM, e.g. 256M or 1G (default: the machine's)\n"
"  -device TYPE[,prop=value...]  add a device (-device help, -device TYPE,help)\n"
"  -drive file=IMG[,format=raw][,if=virtio|none][,id=ID][,readonly=on]\n"
"                      a raw disk image; if=virtio puts a virtio-blk in the next\n"
"                      free virtio-mmio slot\n"
"\n"
"Acceleration:\n"
"  -accel, --accel tcg[,thread=auto|multi|single][,tb-size=MiB][,backend=NAME][,opt=on|off]\n"
"                      [,atomics=host|exclusive][,mb-insert=on|off][,BACKEND-OPTION...]\n"
"                      thread=auto picks multi-threaded mode when the front-end\n"
"                      and back-end allow it (-d mttcg says why); -accel help\n"
"                      lists back-ends; opt=off turns the IR optimiser off\n"
"                      and atomics=exclusive runs every guest atomic alone,\n"
"                      all other vCPUs stopped (both for debugging);\n"
"                      mb-insert=off drops the barriers the core inserts for\n"
"                      a guest order the host lacks (testing only); the\n"
"                      interp back-end takes weak=on[,weak-seed=N], a\n"
"                      simulated weakly ordered host (docs/manual.md)\n"
"\n"
"  -icount [shift=]N[,sleep=off]  deterministic execution: one thread runs\n"
"                      the vCPUs in a fixed order and the guest clock counts\n"
"                      instructions, 2^N ns each (N = 0..10); idle time jumps\n"
"                      to the next timer; needs thread=single (the default then)\n"
"\n"
"Boot:\n"
"  -bios FILE|none|default  firmware, run in the most privileged mode at RAM\n"
"                      start with a0 = hart id, a1 = device tree; default =\n"
"                      the installed OpenSBI (" LOOM_DEFAULT_BIOS ");\n"
"                      without -bios: none (the kernel runs first)\n"
"  -kernel FILE        kernel or bare-metal program (ELF or raw); after\n"
"                      firmware, raw images go 2 MiB into RAM\n"
"  -initrd FILE        initial RAM disk, placed high in RAM (needs -kernel)\n"
"  -append STRING      kernel command line, /chosen bootargs (needs -kernel)\n"
"\n"
"Console:\n"
"  -nographic          no display: the serial port is on stdio (the default);\n"
"                      Ctrl-A h lists the console keys (Ctrl-A x quits,\n"
"                      Ctrl-A c opens the monitor)\n"
"  -serial stdio|none  where the first serial port goes\n"
"\n"
"Debugging:\n"
"  -d ITEM[,ITEM...]   log items (-d help lists them)\n"
"  -D FILE             write the log to FILE instead of stderr\n"
"  -dfilter RANGE[,RANGE...]\n"
"                      log per-TB items (in_asm, op, op_opt, out_asm, exec,\n"
"                      cpu) only for TBs starting in a range: START..END,\n"
"                      START+LEN or END-LEN\n"
"  -gdb tcp::PORT      wait for a GDB connection on 127.0.0.1:PORT\n"
"  -s                  the same as -gdb tcp::1234\n"
"  -S                  start with every vCPU stopped (until GDB continues, or\n"
"                      the monitor's cont)\n"
"  --plugin-path DIR   look for plugins in DIR first\n"
"\n"
"  -h, --help          this help\n"
"  --version           version and plugin ABI\n");
}

/* Options take an argument unless listed here. */
static const char *const flag_opts[] = { "nographic", "h", "help", "version", "s", "S", NULL };

static const char *norm(const char *opt)
{
    /* QEMU style: -opt and --opt are the same */
    if (opt[0] == '-' && opt[1] == '-') {
        return opt + 2;
    }
    return opt + 1;
}

static bool parse_accel(const char *arg, MachineOptions *opt, char **err)
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
            if (!strcmp(v, "on")) ir_opt_enabled = true;
            else if (!strcmp(v, "off")) ir_opt_enabled = false;
            else {
                *err = g_strdup_printf("-accel: opt=%s is not valid: give on or off", v);
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

static bool parse_smp(const char *arg, unsigned *n, char **err)
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

int main(int argc, char **argv)
{
    MachineOptions opt = { .machine = "virt", .smp = 1, .thread = THREAD_AUTO,
                           .tb_size = DEFAULT_TB_SIZE };
    const char *plugin_dir = NULL, *log_items = NULL, *log_path = NULL;
    bool want_cpu_help = false, want_accel_help = false, want_machine_help = false;
    const char *device_help_arg = NULL;
    const char *gdb_spec = NULL;        /* -gdb / -s */
    bool start_stopped = false;         /* -S */
    char *err = NULL, *machine_arg = NULL;
    LoomMachine *m;
    int status;

    opt.devices = g_ptr_array_new();
    for (int i = 1; i < argc; i++) {
        const char *o, *arg = NULL;

        if (argv[i][0] != '-' || !argv[i][1]) {
            loom_fatal("unexpected argument '%s': options start with '-' (see -h)", argv[i]);
        }
        o = norm(argv[i]);
        if (!g_strv_contains(flag_opts, o)) {
            if (i + 1 >= argc) {
                loom_fatal("option -%s needs an argument (see -h)", o);
            }
            arg = argv[++i];
        }
        if (!strcmp(o, "h") || !strcmp(o, "help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(o, "version")) {
            printf("loom %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, LOOM_ABI_MAJOR, LOOM_ABI_MINOR);
            return 0;
        } else if (!strcmp(o, "M") || !strcmp(o, "machine")) {
            g_free(machine_arg);
            if (!parse_machine_opts(arg, &machine_arg, &opt, &err)) {
                loom_fatal("%s", err);
            }
            opt.machine = machine_arg;
            if (!strcmp(machine_arg, "help") || !strcmp(machine_arg, "?")) {
                want_machine_help = true;
            }
        } else if (!strcmp(o, "cpu")) {
            if (!*arg || *arg == ',') {
                loom_fatal("-cpu '%s': no CPU model: give one, e.g. -cpu rv64 (-cpu help "
                           "lists the front-ends)", arg);
            }
            if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
                want_cpu_help = true;
            }
            opt.cpu_model = arg;
        } else if (!strcmp(o, "smp")) {
            if (!parse_smp(arg, &opt.smp, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "m")) {
            const char *s = g_str_has_prefix(arg, "size=") ? arg + 5 : arg;
            uint64_t v;
            /* a bare number means MiB, as in QEMU */
            if (!parse_size(s, &v) || v == 0) {
                loom_fatal("-m %s: give a RAM size such as 256M or 1G", arg);
            }
            if (g_ascii_isdigit(s[strlen(s) - 1])) {
                if (v > UINT64_MAX >> 20) {
                    loom_fatal("-m %s: RAM size is out of range: give 1M to 1T", arg);
                }
                v <<= 20;
            }
            opt.ram_size = v;
        } else if (!strcmp(o, "accel")) {
            if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
                want_accel_help = true;
            } else if (!parse_accel(arg, &opt, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "icount")) {
            if (!icount_parse(arg, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "bios")) {
            opt.bios = arg;
            if (!strcmp(arg, "default")) {
                if (!g_file_test(LOOM_DEFAULT_BIOS, G_FILE_TEST_IS_REGULAR)) {
                    loom_fatal("-bios default: %s is not installed: apt-get install opensbi, "
                               "or give -bios FILE or -bios none", LOOM_DEFAULT_BIOS);
                }
                opt.bios = LOOM_DEFAULT_BIOS;
            }
        } else if (!strcmp(o, "initrd")) {
            opt.initrd = arg;
        } else if (!strcmp(o, "append")) {
            opt.append = arg;
        } else if (!strcmp(o, "kernel")) {
            opt.kernel = arg;
        } else if (!strcmp(o, "nographic")) {
            /* there is no display: the serial port is always on stdio */
        } else if (!strcmp(o, "serial")) {
            if (!strcmp(arg, "none") || !strcmp(arg, "null")) {
                opt.serial_none = true;
            } else if (!strcmp(arg, "stdio") || !strcmp(arg, "mon:stdio")) {
                opt.serial_none = false;
            } else {
                loom_fatal("-serial %s: only stdio and none are supported", arg);
            }
        } else if (!strcmp(o, "drive")) {
            if (!drive_add(arg, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "device")) {
            if (!strcmp(arg, "help") || !strcmp(arg, "?") || g_str_has_suffix(arg, ",help")) {
                device_help_arg = arg;
            } else {
                g_ptr_array_add(opt.devices, (gpointer)arg);
            }
        } else if (!strcmp(o, "d")) {
            log_items = arg;
        } else if (!strcmp(o, "D")) {
            log_path = arg;
        } else if (!strcmp(o, "dfilter")) {
            if (!log_set_filter(arg, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "plugin-path")) {
            plugin_dir = arg;
        } else if (!strcmp(o, "gdb")) {
            gdb_spec = arg;
        } else if (!strcmp(o, "s")) {
            gdb_spec = "tcp::1234";
        } else if (!strcmp(o, "S")) {
            start_stopped = true;
        } else {
            loom_fatal("unknown option '%s': see loom -h", argv[i - (arg ? 1 : 0)]);
        }
    }

    if (log_items) {
        if (!strcmp(log_items, "help") || !strcmp(log_items, "?")) {
            log_print_help(stdout);
            return 0;
        }
        if (!log_parse_items(log_items, &loom_log_mask, &err)) {
            loom_fatal("%s", err);
        }
    }
    if (log_path && !log_set_file(log_path, &err)) {
        loom_fatal("%s", err);
    }
    plugin_path_init(plugin_dir);

    if (want_machine_help) {
        machine_list(stdout);
        return 0;
    }
    if (want_cpu_help) {
        printf("Front-ends (guest ISAs; -cpu takes their CPU models):\n");
        plugin_list(LOOM_PLUGIN_FRONTEND, stdout);
        return 0;
    }
    if (want_accel_help) {
        printf("Accelerators:\ntcg\n\nBack-ends (-accel tcg,backend=NAME; default %s):\n",
               plugin_default_backend());
        plugin_list(LOOM_PLUGIN_BACKEND, stdout);
        return 0;
    }
    if (device_help_arg) {
        /* "help" lists types; "TYPE[,...],help" describes one */
        char *what = g_str_has_suffix(device_help_arg, ",help")
                         ? g_strndup(device_help_arg, strlen(device_help_arg) - 5)
                         : g_strdup(device_help_arg);
        bool ok = device_help(what, stdout, &err);
        g_free(what);
        if (!ok) {
            loom_fatal("%s", err);
        }
        return 0;
    }

    if (opt.append && !opt.kernel) {
        loom_fatal("-append needs -kernel: the command line is for a kernel");
    }
    if (opt.initrd && !opt.kernel) {
        loom_fatal("-initrd needs -kernel: the RAM disk is for a kernel");
    }

    if (!opt.backend) {
        opt.backend = g_strdup(plugin_default_backend());
    }
    clock_init();
    timers_init();
    chardev_init(!opt.serial_none);
    m = machine_create(&opt, &err);
    if (!m) {
        loom_fatal("%s", err);
    }
    cpus_init(m);
    if (!cpus_choose_mode(m, opt.thread, &err)) {
        loom_fatal("%s", err);
    }
    if (!tb_cache_init(opt.tb_size, m->mode == THREAD_MULTI ? m->nb_cpus : 1, &err)) {
        loom_fatal("%s", err);
    }
    if (!tb_code_executable() && strcmp(m->backend_plugin->desc->name, "interp")) {
        loom_fatal("this host refuses writable and executable memory, which back-end %s needs: "
                   "use -accel tcg,backend=interp", m->backend_plugin->desc->name);
    }
    if (!opt.dumpdtb && !opt.kernel && !(opt.bios && strcmp(opt.bios, "none"))) {
        loom_fatal("nothing to run: give -kernel FILE or -bios FILE");
    }
    if (!machine_boot(m, &err)) {
        loom_fatal("%s", err);
    }
    if (opt.dumpdtb) {
        /* as QEMU: write the tree the guest would get, then exit */
        bool ok = dump_dtb(m, opt.dumpdtb, &err);
        cpus_destroy(m);
        tb_cache_destroy();
        machine_destroy(m);
        drive_close_all();
        plugin_unload_all();
        g_ptr_array_free(opt.devices, TRUE);
        if (opt.backend_opts) {
            g_ptr_array_free(opt.backend_opts, TRUE);
        }
        g_free(machine_arg);
        g_free((char *)opt.dumpdtb);
        g_free((char *)opt.backend);
        if (!ok) {
            loom_fatal("%s", err);
        }
        log_close();
        return 0;
    }
    if (start_stopped && !gdb_spec) {
        vm_start_stopped();     /* -S alone: the monitor's cont starts it */
        start_stopped = false;
    }
    if (!gdbstub_init(m, gdb_spec, start_stopped, &err)) {
        loom_fatal("%s", err);
    }
    main_loop_init(m);
    cpus_start(m);
    status = main_loop_run(m);
    gdbstub_exit(status);       /* GDB hears the exit status first */
    cpus_stop(m);
    if (loom_log_enabled(LOOM_LOG_JIT)) {
        stats_log_jit(m);       /* the vCPUs have stopped: counters are exact */
    }
    chardev_flush();
    cpus_destroy(m);
    tb_cache_destroy();
    machine_destroy(m);
    drive_close_all();
    plugin_unload_all();
    g_ptr_array_free(opt.devices, TRUE);
    if (opt.backend_opts) {
        g_ptr_array_free(opt.backend_opts, TRUE);
    }
    g_free(machine_arg);
    g_free((char *)opt.dumpdtb);
    g_free((char *)opt.backend);
    log_close();
    return status;
}
