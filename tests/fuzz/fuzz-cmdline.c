/*
 * The command-line parsers: the first byte picks the option, the rest
 * (up to a NUL) is its argument, as main would get it.  -machine,
 * -accel, -smp, -m (core/options.c), -icount, -d, -dfilter (log.c) and
 * -drive (drive.c) are parsed alone; -device and -cpu build a virt
 * machine with them, since the device's and the front-end's parsers
 * are the ones that read them (machine.c, the riscv64 front-end).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz-common.h"
#include "icount.h"
#include "drive-setup.h"

enum { OPT_MACHINE, OPT_ACCEL, OPT_SMP, OPT_M, OPT_ICOUNT, OPT_D, OPT_DFILTER, OPT_DRIVE,
       OPT_DEVICE, OPT_DEVICE_HELP, OPT_CPU, OPT_COUNT };

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_core_init();
    /* -drive file=NAME opens NAME for writing: only in a scratch directory */
    if (chdir(fuzz_tmp_dir()) < 0 || !g_file_set_contents("disk.img", "0123456789abcdef", 16, NULL)) {
        perror("fuzz: scratch directory");
        exit(1);
    }
    devnull = fopen("/dev/null", "w");
    return 0;
}

static void build_machine(const char *cpu, const char *device)
{
    MachineOptions opt = { .machine = LOOM_SRCDIR "/machines/virt.machine", .smp = 1, .ram_size = 1u << 20,
                           .thread = THREAD_SINGLE, .backend = "interp", .cpu_model = cpu };
    char *err = NULL;
    LoomMachine *m;

    opt.devices = g_ptr_array_new();
    if (device) {
        g_ptr_array_add(opt.devices, (gpointer)device);
    }
    m = machine_create(&opt, &err);
    if (!m && (!err || !*err)) {
        __builtin_trap();
    }
    machine_destroy(m);
    g_ptr_array_free(opt.devices, TRUE);
    g_free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MachineOptions opt = { 0 };
    char *arg, *err = NULL, *name = NULL;
    uint64_t v;
    unsigned n;
    uint32_t mask;
    int which;
    bool ok = true;

    if (size < 1) {
        return 0;
    }
    which = data[0] % OPT_COUNT;
    arg = g_strndup((const char *)data + 1, size - 1);
    switch (which) {
    case OPT_MACHINE:
        ok = options_parse_machine(arg, &name, &opt, &err);
        break;
    case OPT_ACCEL:
        ok = options_parse_accel(arg, &opt, &err);
        break;
    case OPT_SMP:
        ok = options_parse_smp(arg, &n, &err);
        break;
    case OPT_M:
        ok = options_parse_ram_size(arg, &v, &err);
        break;
    case OPT_ICOUNT:
        ok = icount_parse(arg, &err);
        break;
    case OPT_D:
        ok = log_parse_items(arg, &mask, &err);
        break;
    case OPT_DFILTER:
        ok = log_set_filter(arg, &err);
        break;
    case OPT_DRIVE:
        if (!strchr(arg, '/')) {
            ok = drive_add(arg, &err);
            drive_close_all();
        }
        break;
    case OPT_DEVICE:
        build_machine(NULL, arg);
        break;
    case OPT_DEVICE_HELP:
        ok = device_help(arg, devnull, &err);
        break;
    case OPT_CPU:
        build_machine(arg, NULL);
        break;
    }
    if (!ok && (!err || !*err)) {
        __builtin_trap();           /* a refusal always says why */
    }
    g_free(err);
    g_free(name);
    g_free((char *)opt.dumpdtb);
    g_free((char *)opt.backend);
    if (opt.backend_opts) {
        g_ptr_array_free(opt.backend_opts, TRUE);
    }
    if (opt.machine_opts) {
        g_ptr_array_free(opt.machine_opts, TRUE);
    }
    g_free(arg);
    return 0;
}
