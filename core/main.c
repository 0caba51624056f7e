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
"  -M, -machine NAME|FILE[,dumpdtb=FILE][,OPTION=VALUE...]  machine to emulate\n"
"                      (-M help lists them, -M NAME,help a machine's options)\n"
"  -cpu MODEL[,PROP=VALUE...]  CPU model and properties (-cpu help lists the\n"
"                      front-ends; docs/manual.md has their models)\n"
"  -smp N[,cpus=N]     number of vCPUs (default 1)\n"
"  -m SIZE             guest RAM, e.g. 256M or 1G (default: the machine's)\n"
"  -device TYPE[,prop=value...]  add a device (-device help, -device TYPE,help)\n"
"  -drive file=IMG[,format=raw][,if=virtio|none][,id=ID][,readonly=on]\n"
"                      a raw disk image; if=virtio puts a virtio-blk in the next\n"
"                      free virtio-mmio slot\n"
"\n"
"Acceleration:\n"
"  -accel, --accel tcg[,thread=auto|multi|single][,tb-size=MiB][,backend=NAME][,opt=on|off]\n"
"                      [,atomics=host|exclusive][,mb-insert=on|off][,wx=on|off]\n"
"                      [,BACKEND-OPTION...]\n"
"                      thread=auto picks multi-threaded mode when the front-end\n"
"                      and back-end allow it (-d mttcg says why); -accel help\n"
"                      lists back-ends; opt=off turns the IR optimiser off\n"
"                      and atomics=exclusive runs every guest atomic alone,\n"
"                      all other vCPUs stopped (both for debugging);\n"
"                      mb-insert=off drops the barriers the core inserts for\n"
"                      a guest order the host lacks (testing only); the\n"
"                      interp back-end takes weak=on[,weak-seed=N], a\n"
"                      simulated weakly ordered host (docs/manual.md);\n"
"                      wx=on maps the code buffer twice, writable and\n"
"                      executable, never both\n"
"\n"
"  -icount [shift=]N[,sleep=off]  deterministic execution: one thread runs\n"
"                      the vCPUs in a fixed order and the guest clock counts\n"
"                      instructions, 2^N ns each (N = 0..10); idle time jumps\n"
"                      to the next timer; needs thread=single (the default then)\n"
"\n"
"Boot:\n"
"  -bios FILE|none|default  firmware, loaded at RAM start and entered as the\n"
"                      front-end's boot protocol says (docs/manual.md);\n"
"                      default = the machine's default firmware;\n"
"                      without -bios: none (the kernel runs first)\n"
"  -kernel FILE        kernel or bare-metal program (ELF or raw); after\n"
"                      firmware, raw images go to the machine's kernel\n"
"                      offset into RAM (2 MiB unless it says otherwise)\n"
"  -initrd FILE        initial RAM disk, placed by the boot protocol (needs\n"
"                      -kernel)\n"
"  -append STRING      kernel command line, /chosen bootargs (needs -kernel)\n"
"\n"
"Console:\n"
"  -nographic          no display: the serial port is on stdio (the default);\n"
"                      Ctrl-A h lists the console keys (Ctrl-A x quits,\n"
"                      Ctrl-A c opens the monitor)\n"
"  -serial stdio|none  where the first serial port goes\n"
"  -semihosting        serve the guest's semihosting calls (console output,\n"
"                      exit with a status), for bare-metal tests\n"
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
static const char *const flag_opts[] = { "nographic", "h", "help", "version", "s", "S",
                                        "semihosting", NULL };

/* -semihosting: written once while parsing options, before any vCPU
   exists; read-only afterwards */
static bool semihosting_on;

bool loom_semihosting_enabled(void)
{
    return semihosting_on;
}

static const char *norm(const char *opt)
{
    /* QEMU style: -opt and --opt are the same */
    if (opt[0] == '-' && opt[1] == '-') {
        return opt + 2;
    }
    return opt + 1;
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
            char *name = NULL;

            if (!options_parse_machine(arg, &name, &opt, &err)) {
                loom_fatal("%s", err);
            }
            if (name) {
                /* -machine OPTION=VALUE alone keeps the machine */
                g_free(machine_arg);
                machine_arg = name;
                opt.machine = machine_arg;
            }
            if (name && (!strcmp(name, "help") || !strcmp(name, "?"))) {
                want_machine_help = true;
            }
        } else if (!strcmp(o, "cpu")) {
            /* an empty model is refused by machine_create, which knows
               the front-end's default to suggest */
            if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
                want_cpu_help = true;
            }
            opt.cpu_model = arg;
        } else if (!strcmp(o, "smp")) {
            if (!options_parse_smp(arg, &opt.smp, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "m")) {
            if (!options_parse_ram_size(arg, &opt.ram_size, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "accel")) {
            if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
                want_accel_help = true;
            } else if (!options_parse_accel(arg, &opt, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "icount")) {
            if (!icount_parse(arg, &err)) {
                loom_fatal("%s", err);
            }
        } else if (!strcmp(o, "bios")) {
            opt.bios = arg;     /* "default": machine_create asks the machine */
        } else if (!strcmp(o, "initrd")) {
            opt.initrd = arg;
        } else if (!strcmp(o, "append")) {
            opt.append = arg;
        } else if (!strcmp(o, "kernel")) {
            opt.kernel = arg;
        } else if (!strcmp(o, "semihosting")) {
            semihosting_on = true;
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
        g_free(machine_arg);
        return 0;
    }
    if (opt.machine_help) {
        /* -M NAME,help: the machine file's options */
        bool ok = machine_options_help(opt.machine, stdout, &err);

        if (!ok) {
            loom_fatal("%s", err);
        }
        g_free(machine_arg);
        g_ptr_array_free(opt.devices, TRUE);
        if (opt.machine_opts) {
            g_ptr_array_free(opt.machine_opts, TRUE);
        }
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
        if (opt.machine_opts) {
            g_ptr_array_free(opt.machine_opts, TRUE);
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
    if (opt.machine_opts) {
        g_ptr_array_free(opt.machine_opts, TRUE);
    }
    g_free(machine_arg);
    g_free((char *)opt.dumpdtb);
    g_free((char *)opt.backend);
    log_close();
    return status;
}
