/*
 * Machine files with includes: `include=BASE` in [machine] loads BASE
 * first (a machine name, as -M takes it, or a path relative to the
 * including file), then lays this file over it:
 *   - a key given again replaces BASE's value, group by group; so
 *     [device uart0] clock-frequency=... changes one property of BASE's
 *     uart0 and keeps the others;
 *   - a new [device NAME] adds a device after BASE's;
 *   - [device NAME] type=none removes BASE's device NAME.
 * Includes nest (at most MAX_DEPTH deep) and a cycle is an error.
 *
 * Every key remembers the file and line that gave its winning value, so
 * an error names the place to fix, however deep it came from.
 *
 * Setup-time only (one thread): nothing here is shared.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

#define MAX_DEPTH 8

typedef struct {
    char *file;                         /* path as given */
    char *text;                         /* its contents */
} Source;

struct MachineFile {
    GKeyFile *kf;                       /* the merged keys */
    GPtrArray *sources;                 /* Source *, base first */
    GHashTable *origin;                 /* "group\nkey" or "group\n" -> Source * */
    GHashTable *moved;                  /* "group\nkey" -> "file:line" (machine_file_override) */
    char *path;                         /* the top file */
};

static void source_free(gpointer p)
{
    Source *s = p;

    g_free(s->file);
    g_free(s->text);
    g_free(s);
}

void machine_file_free(MachineFile *mf)
{
    if (mf) {
        g_key_file_free(mf->kf);
        g_ptr_array_free(mf->sources, TRUE);
        g_hash_table_destroy(mf->origin);
        g_hash_table_destroy(mf->moved);
        g_free(mf->path);
        g_free(mf);
    }
}

/* "file:line" of `key` in `group` (of the group's header if key is NULL,
   or if the key is not found) in one file's text. */
static char *locate(const Source *s, const char *group, const char *key)
{
    gchar **lines = g_strsplit(s->text, "\n", -1);
    char *hdr = g_strdup_printf("[%s]", group);
    int gline = 0, kline = 0;
    char *res;

    for (int i = 0; lines[i] && !kline; i++) {
        char *l = g_strstrip(lines[i]);
        if (l[0] == '[') {
            if (gline && key) {
                break;          /* past the group without finding the key */
            }
            if (!strcmp(l, hdr)) {
                gline = i + 1;
            }
        } else if (gline && key && g_str_has_prefix(l, key)) {
            const char *rest = l + strlen(key);
            rest += strspn(rest, " \t");
            if (*rest == '=') {
                kline = i + 1;
            }
        }
    }
    res = g_strdup_printf("%s:%d", s->file, kline ? kline : gline);
    g_free(hdr);
    g_strfreev(lines);
    return res;
}

char *machine_file_where(const MachineFile *mf, const char *group, const char *key)
{
    char *k = g_strdup_printf("%s\n%s", group, key ? key : "");
    const Source *s = g_hash_table_lookup(mf->origin, k);
    const char *moved = g_hash_table_lookup(mf->moved, k);

    g_free(k);
    if (moved) {
        return g_strdup(moved);
    }
    if (!s && key) {
        return machine_file_where(mf, group, NULL);
    }
    return s ? locate(s, group, key) : g_strdup(mf->path);
}

/* The file an include names: a path (relative to the including file's
   directory) if it has a '/' or ends in .machine, else a machine name. */
static char *resolve_include(const char *from, const char *name, char **err)
{
    char *dir, *path;

    if (!strchr(name, '/') && !g_str_has_suffix(name, ".machine")) {
        return machine_find_file(name, err);
    }
    dir = g_path_get_dirname(from);
    path = g_path_is_absolute(name) ? g_strdup(name) : g_build_filename(dir, name, NULL);
    g_free(dir);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        *err = g_strdup_printf("machine file %s not found: check the include path", path);
        g_free(path);
        return NULL;
    }
    return path;
}

/* May a file that chain (the files including it, outermost first)
   leads to include path?  Not if that closes a cycle or nests too deep. */
static bool include_ok(const GPtrArray *chain, const char *path, char **err)
{
    char *canon = realpath(path, NULL);
    bool ok = true;

    for (guint i = 0; canon && i < chain->len; i++) {
        if (!strcmp(chain->pdata[i], canon)) {
            *err = g_strdup_printf("%s is already being included: remove the cycle", path);
            ok = false;
        }
    }
    if (ok && chain->len >= MAX_DEPTH) {
        *err = g_strdup_printf("includes nest deeper than %d files: flatten them", MAX_DEPTH);
        ok = false;
    }
    free(canon);
    return ok;
}

static bool load(MachineFile *mf, const char *path, GPtrArray *chain, char **err)
{
    GKeyFile *kf = g_key_file_new();
    GError *gerr = NULL;
    Source *src = g_new0(Source, 1);
    gchar **groups = NULL;
    char *inc = NULL, *canon = realpath(path, NULL);
    bool ok = false;

    src->file = g_strdup(path);
    g_ptr_array_add(mf->sources, src);      /* freed with mf */
    if (!g_file_get_contents(path, &src->text, NULL, &gerr) ||
        !g_key_file_load_from_data(kf, src->text, (gsize)-1, G_KEY_FILE_NONE, &gerr)) {
        *err = g_strdup_printf("%s: %s: fix the machine file's syntax", path, gerr->message);
        g_error_free(gerr);
        goto out;
    }
    if (!src->text) {
        src->text = g_strdup("");
    }
    inc = g_key_file_get_string(kf, "machine", "include", NULL);
    if (inc) {
        char *ierr = NULL, *ipath = resolve_include(path, g_strstrip(inc), &ierr);
        bool iok;
        if (!ipath) {
            char *loc = locate(src, "machine", "include");
            *err = g_strdup_printf("%s: include=%s: %s", loc, inc, ierr);
            g_free(loc);
            g_free(ierr);
            goto out;
        }
        g_ptr_array_add(chain, canon ? canon : g_strdup(path));
        canon = NULL;
        if (!include_ok(chain, ipath, &ierr)) {
            char *loc = locate(src, "machine", "include");
            *err = g_strdup_printf("%s: include=%s: %s", loc, inc, ierr);
            g_free(loc);
            g_free(ierr);
            g_free(g_ptr_array_steal_index(chain, chain->len - 1));
            g_free(ipath);
            goto out;
        }
        iok = load(mf, ipath, chain, err);
        g_free(g_ptr_array_steal_index(chain, chain->len - 1));
        g_free(ipath);
        if (!iok) {
            goto out;
        }
    }
    /* lay this file over what its includes gave */
    groups = g_key_file_get_groups(kf, NULL);
    for (gchar **g = groups; *g; g++) {
        gchar **keys = g_key_file_get_keys(kf, *g, NULL, NULL);
        g_hash_table_replace(mf->origin, g_strdup_printf("%s\n", *g), src);
        if (!keys[0] && !g_key_file_has_group(mf->kf, *g)) {
            /* the merged file cannot hold an empty group */
            char *loc = locate(src, *g, NULL);
            *err = g_strdup_printf("%s: [%s] is empty: give its keys (a device needs 'type')",
                                   loc, *g);
            g_free(loc);
            g_strfreev(keys);
            goto out;
        }
        /* set_value creates a new group after the existing ones: a
           file's new devices come after its includes' */
        for (gchar **k = keys; *k; k++) {
            char *v;
            if (!strcmp(*g, "machine") && !strcmp(*k, "include")) {
                continue;
            }
            v = g_key_file_get_value(kf, *g, *k, NULL);
            g_key_file_set_value(mf->kf, *g, *k, v);
            g_hash_table_replace(mf->origin, g_strdup_printf("%s\n%s", *g, *k), src);
            g_free(v);
        }
        g_strfreev(keys);
    }
    ok = true;
out:
    g_strfreev(groups);
    g_free(inc);
    free(canon);
    g_key_file_free(kf);
    return ok;
}

MachineFile *machine_file_load(const char *path, char **err)
{
    MachineFile *mf = g_new0(MachineFile, 1);
    GPtrArray *chain = g_ptr_array_new_with_free_func(g_free);
    bool ok;

    mf->kf = g_key_file_new();
    mf->sources = g_ptr_array_new_with_free_func(source_free);
    mf->origin = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    mf->moved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    mf->path = g_strdup(path);
    ok = load(mf, path, chain, err);
    g_ptr_array_free(chain, TRUE);
    if (!ok) {
        machine_file_free(mf);
        return NULL;
    }
    return mf;
}

GKeyFile *machine_file_keys(const MachineFile *mf)
{
    return mf->kf;
}

const char *machine_file_path(const MachineFile *mf)
{
    return mf->path;
}

void machine_file_override(MachineFile *mf, const char *group, const char *from)
{
    gchar **keys = g_key_file_get_keys(mf->kf, from, NULL, NULL);

    for (gchar **k = keys; keys && *k; k++) {
        char *v = g_key_file_get_value(mf->kf, from, *k, NULL);

        /* errors about the key name the line that gave it */
        g_hash_table_replace(mf->moved, g_strdup_printf("%s\n%s", group, *k),
                             machine_file_where(mf, from, *k));
        g_key_file_set_value(mf->kf, group, *k, v);
        g_free(v);
    }
    g_strfreev(keys);
}
