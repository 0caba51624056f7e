/*
 * The harnesses' main in a normal build (no libFuzzer): run the target
 * once on each file named, or on each file of each directory named, as
 * `harness FILE...` does under libFuzzer.  tests/fuzz/replay.sh runs it
 * over the seed corpora and the regressions in make check.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>
#include "fuzz-common.h"

static gint by_name(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static void run_file(const char *path)
{
    gchar *data = NULL;
    gsize len = 0;
    GError *gerr = NULL;

    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        fprintf(stderr, "replay: %s\n", gerr->message);
        exit(2);
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, (size_t)len);
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    g_free(data);
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            GDir *d = g_dir_open(argv[i], 0, NULL);
            GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
            const char *n;
            while (d && (n = g_dir_read_name(d))) {
                char *p = g_build_filename(argv[i], n, NULL);
                if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
                    g_ptr_array_add(names, p);
                } else {
                    g_free(p);
                }
            }
            if (d) {
                g_dir_close(d);
            }
            g_ptr_array_sort(names, by_name);
            for (guint k = 0; k < names->len; k++) {
                run_file(names->pdata[k]);
            }
            g_ptr_array_free(names, TRUE);
        } else {
            run_file(argv[i]);
        }
    }
    return 0;
}
