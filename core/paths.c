/*
 * Build-tree detection: loom run from the directory it was built in uses
 * that tree's plugins and the source tree's machines, with no environment
 * variable; an installed loom uses the configured directories.
 */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdbool.h>
#include <glib.h>
#include "paths.h"

static bool in_build_tree(void)
{
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *dir, *real_build;
    bool yes;

    if (!exe) {
        return false;
    }
    dir = g_path_get_dirname(exe);
    real_build = realpath(LOOM_BUILDDIR, NULL);
    yes = real_build && !strcmp(dir, real_build);
    free(real_build);
    g_free(dir);
    g_free(exe);
    return yes;
}

char *loom_build_tree_dir(const char *sub)
{
    return in_build_tree() ? g_build_filename(LOOM_BUILDDIR, sub, NULL) : NULL;
}

char *loom_source_tree_dir(const char *sub)
{
    return in_build_tree() ? g_build_filename(LOOM_SRCDIR, sub, NULL) : NULL;
}
