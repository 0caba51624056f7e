/*
 * Where loom finds its plugins and machines.
 *
 * Build tree: loom run from the directory it was built in uses that
 * tree's plugins and the source tree's machines, with no environment
 * variable.
 *
 * Installed: the configured $(pkglibdir) and $(pkgdatadir)/machines, found
 * relative to the executable.  make install keeps the layout below the
 * prefix, so from <root>/bin/loom the plugins are <root>/lib/loom whatever
 * <root> is: the configured prefix, a DESTDIR staging directory, or a
 * prefix moved elsewhere.  The relative path is the one from the configured
 * bindir to the configured directory; when that directory does not exist
 * next to the executable (a bindir reached through a symlink, say), the
 * configured absolute directory is used.
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

/* The relative path from directory `from` to `to` (both absolute):
   "../lib/loom" from "/usr/local/bin" to "/usr/local/lib/loom". */
static char *relative_path(const char *from, const char *to)
{
    char *f = g_canonicalize_filename(from, "/");
    char *t = g_canonicalize_filename(to, "/");
    gchar **fc = g_strsplit(f, "/", -1);
    gchar **tc = g_strsplit(t, "/", -1);
    GString *rel = g_string_new(NULL);
    guint i = 0;

    /* components after the leading "" of an absolute path; "/" itself
       splits into { "", "" } */
    while (fc[i] && tc[i] && !strcmp(fc[i], tc[i])) {
        i++;
    }
    for (guint j = i; fc[j]; j++) {
        if (*fc[j]) {
            g_string_append(rel, rel->len ? "/.." : "..");
        }
    }
    for (guint j = i; tc[j]; j++) {
        if (*tc[j]) {
            if (rel->len) {
                g_string_append_c(rel, '/');
            }
            g_string_append(rel, tc[j]);
        }
    }
    g_strfreev(fc);
    g_strfreev(tc);
    g_free(f);
    g_free(t);
    return g_string_free(rel, FALSE);
}

/* configured, found from the running executable's directory (see above). */
static char *installed_dir(const char *configured)
{
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *dir, *rel, *found;

    if (!exe || !g_path_is_absolute(LOOM_BINDIR) || !g_path_is_absolute(configured)) {
        g_free(exe);
        return g_strdup(configured);
    }
    dir = g_path_get_dirname(exe);
    rel = relative_path(LOOM_BINDIR, configured);
    found = g_canonicalize_filename(rel, dir);
    if (!g_file_test(found, G_FILE_TEST_IS_DIR)) {
        g_free(found);
        found = g_strdup(configured);
    }
    g_free(rel);
    g_free(dir);
    g_free(exe);
    return found;
}

const char *loom_installed_plugin_dir(void)
{
    static char *dir;   /* computed once, then read-only */

    if (g_once_init_enter(&dir)) {
        g_once_init_leave(&dir, installed_dir(LOOM_PLUGINDIR));
    }
    return dir;
}

const char *loom_installed_machine_dir(void)
{
    static char *dir;   /* computed once, then read-only */

    if (g_once_init_enter(&dir)) {
        g_once_init_leave(&dir, installed_dir(LOOM_MACHINEDIR));
    }
    return dir;
}
