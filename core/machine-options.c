/*
 * Machine options: choices a machine file offers on the command line
 * (`-M arm-virt,gic-version=3`, or `-machine gic-version=3` after -M),
 * each selecting device groups of the file.
 *
 *   [option gic-version]           declares an option
 *   description=...                one line for `-M NAME,help`
 *   choices=2,3                    its valid values
 *   default=2                      the value without -machine NAME=VALUE
 *
 *   [device gic if gic-version=3]  used instead of [device gic], whole
 *   type=arm_gicv3                 (keys it does not repeat are not
 *   ...                            inherited), when the option is 3
 *
 *   [machine if gic-version=3]     keys laid over [machine] (key by key,
 *   max-cpus=123                   as an include's) when the option is 3
 *
 * A conditional group whose condition does not hold is ignored; one that
 * holds replaces the unconditional group of the same device in its place
 * (so device order, and with it the device tree's, stays the file's), or
 * adds the device where it stands if there is none.  Two conditional
 * groups of one device that hold together are an error.  Includes merge
 * these groups key by key like any other (machine-file.c).
 *
 * Setup-time only (one thread): nothing here is shared.
 */
#include "config.h"
#include <string.h>
#include "internal.h"

static const char *const option_keys[] = { "description", "choices", "default", NULL };

/* The file's [option NAME] groups, checked: name -> choices (a strv). */
static GHashTable *declared_options(const MachineFile *mf, char **err)
{
    GKeyFile *kf = machine_file_keys(mf);
    GHashTable *decl = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)g_strfreev);
    gchar **groups = g_key_file_get_groups(kf, NULL);
    bool ok = true;

    for (gchar **g = groups; ok && *g; g++) {
        const char *name = *g + strlen("option ");
        gchar **keys, **choices;
        char *text, *def, *loc;

        if (!g_str_has_prefix(*g, "option ")) {
            continue;
        }
        loc = machine_file_where(mf, *g, NULL);
        if (!*name || strpbrk(name, " =,")) {
            *err = g_strdup_printf("%s: [%s]: an option's name is one word without '=' or ','",
                                   loc, *g);
            g_free(loc);
            ok = false;
            break;
        }
        keys = g_key_file_get_keys(kf, *g, NULL, NULL);
        for (gchar **k = keys; ok && *k; k++) {
            if (!g_strv_contains(option_keys, *k)) {
                g_free(loc);
                loc = machine_file_where(mf, *g, *k);
                *err = g_strdup_printf("%s: [%s] has no key '%s': valid keys are description, "
                                       "choices, default", loc, *g, *k);
                ok = false;
            }
        }
        g_strfreev(keys);
        if (!ok) {
            g_free(loc);
            break;
        }
        text = g_key_file_get_string(kf, *g, "choices", NULL);
        choices = g_strsplit(text ? g_strstrip(text) : "", ",", -1);
        g_free(text);
        for (gchar **c = choices; *c; c++) {
            g_strstrip(*c);
            if (!**c || strpbrk(*c, " =")) {
                ok = false;
            }
        }
        def = g_key_file_get_string(kf, *g, "default", NULL);
        if (!ok || !choices[0]) {
            *err = g_strdup_printf("%s: [%s] needs choices=A,B,...: its values, separated by "
                                   "commas", loc, *g);
            ok = false;
        } else if (!def || !g_strv_contains((const char *const *)choices, g_strstrip(def))) {
            g_free(loc);
            loc = machine_file_where(mf, *g, "default");
            *err = g_strdup_printf("%s: [%s] needs default= one of its choices", loc, *g);
            ok = false;
        }
        g_free(def);
        g_free(loc);
        if (ok) {
            g_hash_table_replace(decl, g_strdup(name), choices);
        } else {
            g_strfreev(choices);
        }
    }
    g_strfreev(groups);
    if (!ok) {
        g_hash_table_destroy(decl);
        return NULL;
    }
    return decl;
}

/* "dumpdtb=FILE, gic-version=2|3": every option -machine takes. */
static char *valid_options(GHashTable *decl)
{
    GString *s = g_string_new("dumpdtb=FILE");
    GList *names = g_list_sort(g_hash_table_get_keys(decl), (GCompareFunc)strcmp);

    for (GList *l = names; l; l = l->next) {
        char *choices = g_strjoinv("|", g_hash_table_lookup(decl, l->data));

        g_string_append_printf(s, ", %s=%s", (char *)l->data, choices);
        g_free(choices);
    }
    g_list_free(names);
    return g_string_free(s, FALSE);
}

GHashTable *machine_options_resolve(const MachineFile *mf, const char *machine,
                                    const GPtrArray *given, char **err)
{
    GKeyFile *kf = machine_file_keys(mf);
    GHashTable *decl = declared_options(mf, err);
    GHashTable *vals;
    GHashTableIter it;
    gpointer name;

    if (!decl) {
        return NULL;
    }
    vals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_iter_init(&it, decl);
    while (g_hash_table_iter_next(&it, &name, NULL)) {
        char *group = g_strdup_printf("option %s", (char *)name);
        char *def = g_key_file_get_string(kf, group, "default", NULL);

        g_hash_table_replace(vals, g_strdup(name), g_strdup(g_strstrip(def)));
        g_free(def);
        g_free(group);
    }
    for (guint i = 0; given && i < given->len; i++) {
        const char *arg = given->pdata[i];
        const char *eq = strchr(arg, '=');
        char *key = g_strndup(arg, eq ? (gsize)(eq - arg) : strlen(arg));
        gchar **choices = g_hash_table_lookup(decl, key);

        if (!choices) {
            char *valid = valid_options(decl);

            *err = g_strdup_printf("-machine: machine %s has no option '%s': valid ones are %s",
                                   machine, key, valid);
            g_free(valid);
        } else if (!eq || !g_strv_contains((const char *const *)choices, eq + 1)) {
            char *list = g_strjoinv(" or ", choices);

            *err = g_strdup_printf("-machine: %s is not valid for machine %s: give %s=%s",
                                   arg, machine, key, list);
            g_free(list);
        } else {
            g_hash_table_replace(vals, key, g_strdup(eq + 1));
            continue;
        }
        g_free(key);
        g_hash_table_destroy(vals);
        g_hash_table_destroy(decl);
        return NULL;
    }
    g_hash_table_destroy(decl);
    return vals;
}

/* Split a device group's name: "device NAME" or "device NAME if OPT=VAL".
   *cond is NULL for an unconditional group.  False if it is neither. */
static bool split_device_group(const char *group, char **name, char **cond)
{
    const char *rest = group + strlen("device ");
    const char *sep;

    if (!g_str_has_prefix(group, "device ") || !*rest) {
        return false;
    }
    sep = strstr(rest, " if ");
    *name = sep ? g_strndup(rest, (gsize)(sep - rest)) : g_strdup(rest);
    *cond = sep ? g_strdup(sep + 4) : NULL;
    g_strstrip(*name);
    if (*cond) {
        g_strstrip(*cond);
    }
    return **name != 0;
}

/* Does cond ("OPT=VAL") hold?  1 yes, 0 no, -1 with *err set when OPT is
   not declared or VAL is not one of its choices. */
static int cond_holds(const MachineFile *mf, GHashTable *vals, const char *group,
                      const char *cond, char **err)
{
    const char *eq = strchr(cond, '=');
    char *opt = g_strndup(cond, eq ? (gsize)(eq - cond) : strlen(cond));
    const char *val = g_hash_table_lookup(vals, opt);
    char *ogroup = g_strdup_printf("option %s", opt);
    char *text = g_key_file_get_string(machine_file_keys(mf), ogroup, "choices", NULL);
    gchar **choices = g_strsplit(text ? text : "", ",", -1);
    int r;

    for (gchar **c = choices; *c; c++) {
        g_strstrip(*c);
    }
    if (!eq || !val || !g_strv_contains((const char *const *)choices, eq + 1)) {
        char *loc = machine_file_where(mf, group, NULL);

        *err = g_strdup_printf("%s: [%s]: the condition names %s: give 'if OPTION=VALUE' with "
                               "an [option OPTION] of this file and one of its choices",
                               loc, group, !val ? "no declared option" : "no valid choice");
        g_free(loc);
        r = -1;
    } else {
        r = !strcmp(val, eq + 1);
    }
    g_strfreev(choices);
    g_free(text);
    g_free(ogroup);
    g_free(opt);
    return r;
}

int machine_options_select(const MachineFile *mf, GHashTable *vals, const char *group,
                           char **name, char **use, char **err)
{
    GKeyFile *kf = machine_file_keys(mf);
    char *cond = NULL, *base = NULL;
    gchar **groups = NULL;
    int r = 1;

    *name = NULL;
    *use = NULL;
    if (!split_device_group(group, name, &cond)) {
        char *loc = machine_file_where(mf, group, NULL);

        *err = g_strdup_printf("%s: unknown group [%s]: groups are [machine], [option NAME], "
                               "[device NAME] and [machine|device NAME if OPTION=VALUE]", loc,
                               group);
        g_free(loc);
        r = -1;
        goto out;
    }
    if (cond) {
        /* where it holds, it stands in the unconditional group's place */
        r = cond_holds(mf, vals, group, cond, err);
        base = g_strdup_printf("device %s", *name);
        if (r > 0 && g_key_file_has_group(kf, base)) {
            r = 0;
        }
        if (r > 0) {
            *use = g_strdup(group);
        }
        goto out;
    }
    groups = g_key_file_get_groups(kf, NULL);
    for (gchar **g = groups; *g; g++) {
        char *n = NULL, *c = NULL;
        int h;

        if (!split_device_group(*g, &n, &c) || !c || strcmp(n, *name)) {
            g_free(n);
            g_free(c);
            continue;
        }
        g_free(n);
        h = cond_holds(mf, vals, *g, c, err);
        g_free(c);
        if (h < 0) {
            r = -1;
            goto out;
        }
        if (h && *use) {
            char *loc = machine_file_where(mf, *g, NULL);

            *err = g_strdup_printf("%s: [%s] and [%s] both apply: make their conditions "
                                   "exclusive", loc, *use, *g);
            g_free(loc);
            r = -1;
            goto out;
        }
        if (h) {
            *use = g_strdup(*g);
        }
    }
    if (!*use) {
        *use = g_strdup(group);
    }
out:
    if (r <= 0) {
        g_free(*name);
        g_free(*use);
        *name = *use = NULL;
    }
    g_strfreev(groups);
    g_free(cond);
    g_free(base);
    return r;
}

bool machine_options_apply_machine(MachineFile *mf, GHashTable *vals, char **err)
{
    gchar **groups = g_key_file_get_groups(machine_file_keys(mf), NULL);
    bool ok = true;

    for (gchar **g = groups; ok && *g; g++) {
        int h;

        if (!g_str_has_prefix(*g, "machine if ")) {
            continue;
        }
        h = cond_holds(mf, vals, *g, *g + strlen("machine if "), err);
        if (h < 0) {
            ok = false;
        } else if (h) {
            machine_file_override(mf, "machine", *g);
        }
    }
    g_strfreev(groups);
    return ok;
}

bool machine_options_help(const char *machine, FILE *f, char **err)
{
    char *path = machine_find_file(machine, err);
    MachineFile *mf = path ? machine_file_load(path, err) : NULL;
    GHashTable *decl = mf ? declared_options(mf, err) : NULL;
    GList *names;

    if (!decl) {
        machine_file_free(mf);
        g_free(path);
        return false;
    }
    fprintf(f, "Machine %s options (-M %s,NAME=VALUE or -machine NAME=VALUE):\n", machine,
            machine);
    fprintf(f, "  %-20s %s\n", "dumpdtb=FILE",
            "write the device tree the guest would get to FILE and exit");
    names = g_list_sort(g_hash_table_get_keys(decl), (GCompareFunc)strcmp);
    for (GList *l = names; l; l = l->next) {
        char *group = g_strdup_printf("option %s", (char *)l->data);
        char *choices = g_strjoinv("|", g_hash_table_lookup(decl, l->data));
        char *opt = g_strdup_printf("%s=%s", (char *)l->data, choices);
        char *desc = g_key_file_get_string(machine_file_keys(mf), group, "description", NULL);
        char *def = g_key_file_get_string(machine_file_keys(mf), group, "default", NULL);

        fprintf(f, "  %-20s %s (default: %s)\n", opt, desc ? g_strstrip(desc) : "",
                g_strstrip(def));
        g_free(def);
        g_free(desc);
        g_free(opt);
        g_free(choices);
        g_free(group);
    }
    g_list_free(names);
    g_hash_table_destroy(decl);
    machine_file_free(mf);
    g_free(path);
    return true;
}
