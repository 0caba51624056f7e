/*
 * The image loader (core/loader.c): the input is a -kernel/-bios file,
 * ELF or raw, loaded into a 4 MiB-RAM virt machine at RAM start.  A
 * hostile image must give an error, never touch memory outside guest RAM.
 */
#include "config.h"
#include "fuzz-common.h"

static LoomMachine *m;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    m = fuzz_machine_new("virt", 1, 4u << 20, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_data_file(data, size);
    uint64_t entry, start, end;
    char *err = NULL;

    if (load_image(m, path, m->ram_base, &entry, &start, &end, &err)) {
        /* what machine_boot relies on: the image lies in RAM */
        if (start < m->ram_base || end > m->ram_base + m->ram_size || start > end) {
            __builtin_trap();
        }
    } else if (!err || !*err) {
        __builtin_trap();           /* a refusal always says why */
    }
    g_free(err);
    g_hash_table_remove_all(m->symbols);
    return 0;
}
