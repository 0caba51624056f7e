/*
 * What the fuzz harnesses share: see fuzz-common.h.
 */
#include "config.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz-common.h"
#include "drive-setup.h"

void fuzz_core_init(void)
{
    static bool done;
    char *err = NULL;

    if (done) {
        return;
    }
    done = true;
    /* harnesses live in tests/fuzz/, not where loom finds its build
       tree by itself: name its plugins and machines */
    plugin_path_init(LOOM_BUILDDIR "/plugins");
    clock_init();
    timers_init();
    chardev_init(false);
    if (!tb_cache_init(1u << 20, 1, &err)) {
        fprintf(stderr, "fuzz: %s\n", err);
        exit(1);
    }
}

LoomMachine *fuzz_machine_new(const char *name, unsigned smp, uint64_t ram_size,
                              const char *const *devices)
{
    char *path = g_strdup_printf("%s/machines/%s.machine", LOOM_SRCDIR, name);
    MachineOptions opt = { .machine = path, .smp = smp, .ram_size = ram_size,
                           .thread = THREAD_SINGLE, .backend = "interp",
                           .tb_size = 1u << 20 };
    LoomMachine *m;
    char *err = NULL;

    fuzz_core_init();
    opt.devices = g_ptr_array_new();
    for (const char *const *d = devices; d && *d; d++) {
        g_ptr_array_add(opt.devices, (gpointer)*d);
    }
    m = machine_create(&opt, &err);
    g_ptr_array_free(opt.devices, TRUE);
    g_free(path);
    if (!m) {
        fprintf(stderr, "fuzz: cannot build the machine: %s\n", err);
        exit(1);
    }
    cpus_init(m);
    if (!cpus_choose_mode(m, THREAD_SINGLE, &err)) {
        fprintf(stderr, "fuzz: %s\n", err);
        exit(1);
    }
    current_machine = m;
    return m;
}

void fuzz_machine_reset_devices(LoomMachine *m)
{
    for (guint i = 0; i < m->devices->len; i++) {
        LoomDevice *dev = m->devices->pdata[i];
        if (dev->ops->reset) {
            loom_bql_lock();
            dev->ops->reset(dev->state);
            loom_bql_unlock();
        }
    }
}

const char *fuzz_data_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];

    if (fd < 0) {
        fd = memfd_create("loom-fuzz", 0);
        if (fd < 0) {
            perror("fuzz: memfd_create");
            exit(1);
        }
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
        perror("fuzz: writing the data file");
        exit(1);
    }
    return path;
}

static char *tmp_dir;

static void tmp_dir_remove(void)
{
    char *cmd = g_strdup_printf("rm -rf '%s'", tmp_dir);

    if (system(cmd) != 0) {
        /* nothing to do: a leftover directory in /tmp */
    }
    g_free(cmd);
}

char *fuzz_virtio_disk_new(size_t size)
{
    char *path = g_build_filename(fuzz_tmp_dir(), "disk.img", NULL);
    char *zero = g_malloc0(size), *arg, *err = NULL;

    if (!g_file_set_contents(path, zero, (gssize)size, NULL)) {
        g_error("fuzz: cannot write %s", path);
    }
    g_free(zero);
    arg = g_strdup_printf("file=%s,if=virtio", path);
    if (!drive_add(arg, &err)) {
        g_error("fuzz: %s", err);
    }
    g_free(arg);
    return path;
}

const char *fuzz_tmp_dir(void)
{
    if (!tmp_dir) {
        GError *gerr = NULL;
        tmp_dir = g_dir_make_tmp("loom-fuzz-XXXXXX", &gerr);
        if (!tmp_dir) {
            fprintf(stderr, "fuzz: %s\n", gerr->message);
            exit(1);
        }
        atexit(tmp_dir_remove);
    }
    return tmp_dir;
}

void fuzz_quiet_stdout(void)
{
    int fd = open("/dev/null", O_WRONLY);

    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
        perror("fuzz: /dev/null");
        exit(1);
    }
    close(fd);
}
