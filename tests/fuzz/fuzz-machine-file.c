/*
 * Machine files with includes (core/machine-file.c): the input is up to
 * four files, separated by a line "%%"; file 0 is loaded and may include
 * the others as f1.machine, f2.machine, f3.machine (or a machine by
 * name, or itself: cycles).  Every group and key of the merged result is
 * then located (machine_file_where), as error messages do.
 */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "fuzz-common.h"

#define MAX_FILES 4

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_core_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = fuzz_tmp_dir();
    const uint8_t *p = data, *end = data + size;
    char *paths[MAX_FILES] = { NULL };
    char *err = NULL;
    MachineFile *mf;

    for (int i = 0; i < MAX_FILES; i++) {
        const uint8_t *sep = NULL;
        char name[32];
        FILE *f;

        for (const uint8_t *q = p; q + 3 <= end; q++) {
            if (!memcmp(q, "%%\n", 3) && (q == data || q[-1] == '\n')) {
                sep = q;
                break;
            }
        }
        snprintf(name, sizeof(name), "f%d.machine", i);
        paths[i] = g_build_filename(dir, name, NULL);
        /* not g_file_set_contents: it syncs the disk */
        f = fopen(paths[i], "wb");
        if (!f || fwrite(p, 1, (size_t)((sep ? sep : end) - p), f) != (size_t)((sep ? sep : end) - p) ||
            fclose(f) != 0) {
            g_error("fuzz: cannot write %s", paths[i]);
        }
        p = sep ? sep + 3 : end;
    }
    mf = machine_file_load(paths[0], &err);
    if (mf) {
        GKeyFile *kf = machine_file_keys(mf);
        gchar **groups = g_key_file_get_groups(kf, NULL);
        for (gchar **g = groups; *g; g++) {
            gchar **keys = g_key_file_get_keys(kf, *g, NULL, NULL);
            g_free(machine_file_where(mf, *g, NULL));
            for (gchar **k = keys; k && *k; k++) {
                g_free(machine_file_where(mf, *g, *k));
            }
            g_strfreev(keys);
        }
        g_strfreev(groups);
        machine_file_free(mf);
    } else if (!err || !*err) {
        __builtin_trap();
    }
    g_free(err);
    for (int i = 0; i < MAX_FILES; i++) {
        g_free(paths[i]);
    }
    return 0;
}
