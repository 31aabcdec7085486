/* fswalk.c: see fswalk.h. One recursive walk with a set of visited directories
 * (device, inode) shared by the whole discovery, which is what stops symlink loops
 * (and keeps a directory reached twice, e.g. lib/ through a link, from being indexed
 * twice). */
#define _DEFAULT_SOURCE
#include "fswalk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct walk {
    fs_list *out;
    bool all_dirs;
    bool ex_only; /* stdlib: .ex only */
    dev_t *devs;
    ino_t *inos;
    uint32_t seen, seen_cap;
} walk;

static int push(fs_list *l, char *path) {
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 256;
        char **ni = realloc(l->items, cap * sizeof(*ni));
        if (!ni) return ENOMEM;
        l->items = ni;
        l->cap = cap;
    }
    l->items[l->count++] = path;
    return 0;
}

void fs_list_free(fs_list *l) {
    for (uint32_t i = 0; i < l->count; i++) free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static char *join(const char *dir, const char *name) {
    if (strcmp(dir, ".") == 0) return strdup(name);
    size_t n = strlen(dir), m = strlen(name);
    char *s = malloc(n + m + 2);
    if (!s) return NULL;
    memcpy(s, dir, n);
    size_t at = n;
    if (n && dir[n - 1] != '/') s[at++] = '/';
    memcpy(s + at, name, m + 1);
    return s;
}

static bool is_source(const char *name, bool ex_only) {
    size_t n = strlen(name);
    if (n > 3 && strcmp(name + n - 3, ".ex") == 0) return true;
    return !ex_only && n > 4 && strcmp(name + n - 4, ".exs") == 0;
}

static bool skip_dir(const walk *w, const char *name) {
    if (w->all_dirs) return false;
    return name[0] == '.' || strcmp(name, "_build") == 0 || strcmp(name, "deps") == 0 ||
           strcmp(name, "node_modules") == 0;
}

/* False if already visited (or on ENOMEM, which then stops descending). */
static bool first_visit(walk *w, const struct stat *st) {
    for (uint32_t i = 0; i < w->seen; i++)
        if (w->devs[i] == st->st_dev && w->inos[i] == st->st_ino) return false;
    if (w->seen == w->seen_cap) {
        uint32_t cap = w->seen_cap ? w->seen_cap * 2 : 64;
        dev_t *d = realloc(w->devs, cap * sizeof(*d));
        if (!d) return false;
        w->devs = d;
        ino_t *in = realloc(w->inos, cap * sizeof(*in));
        if (!in) return false;
        w->inos = in;
        w->seen_cap = cap;
    }
    w->devs[w->seen] = st->st_dev;
    w->inos[w->seen++] = st->st_ino;
    return true;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(walk *w, const char *dir, int depth) {
    struct stat st;
    if (depth > 100 || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    if (!first_visit(w, &st)) return 0;
    DIR *d = opendir(dir);
    if (!d) return 0; /* unreadable subdirectory: skipped */
    fs_list names = {0};
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *s = strdup(e->d_name);
        rc = s ? push(&names, s) : ENOMEM;
        if (rc) free(s);
    }
    closedir(d);
    if (names.count) qsort(names.items, names.count, sizeof(char *), cmp_str);
    for (uint32_t i = 0; !rc && i < names.count; i++) {
        char *full = join(dir, names.items[i]);
        if (!full) {
            rc = ENOMEM;
            break;
        }
        if (stat(full, &st) != 0) {
            free(full);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (!skip_dir(w, names.items[i])) rc = walk_dir(w, full, depth + 1);
            free(full);
        } else if (S_ISREG(st.st_mode) && is_source(names.items[i], w->ex_only)) {
            rc = push(w->out, full);
            if (rc) free(full);
        } else {
            free(full);
        }
    }
    fs_list_free(&names);
    return rc;
}

static bool exists(const char *path, bool dir) {
    struct stat st;
    return stat(path, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

static int walk_mix(walk *w, const char *dir, int depth) {
    char *mix = join(dir, "mix.exs");
    if (!mix) return ENOMEM;
    struct stat st;
    if (stat(dir, &st) == 0 && !first_visit(w, &st)) {
        free(mix);
        return 0;
    }
    int rc = push(w->out, mix);
    if (rc) {
        free(mix);
        return rc;
    }
    static const char *const parts[] = {"config", "lib", "test"};
    for (size_t i = 0; !rc && i < sizeof(parts) / sizeof(parts[0]); i++) {
        char *p = join(dir, parts[i]);
        if (!p) return ENOMEM;
        rc = walk_dir(w, p, depth + 1);
        free(p);
    }
    char *apps = join(dir, "apps");
    if (!apps) return ENOMEM;
    DIR *d = rc ? NULL : opendir(apps);
    if (d) {
        fs_list names = {0};
        struct dirent *e;
        while (!rc && (e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char *s = strdup(e->d_name);
            rc = s ? push(&names, s) : ENOMEM;
            if (rc) free(s);
        }
        closedir(d);
        if (names.count) qsort(names.items, names.count, sizeof(char *), cmp_str);
        for (uint32_t i = 0; !rc && i < names.count; i++) {
            char *app = join(apps, names.items[i]);
            char *appmix = app ? join(app, "mix.exs") : NULL;
            if (!appmix) rc = ENOMEM;
            else if (exists(appmix, false)) rc = walk_mix(w, app, depth + 1);
            else if (exists(app, true)) rc = walk_dir(w, app, depth + 1);
            free(appmix);
            free(app);
        }
        fs_list_free(&names);
    }
    free(apps);
    return rc;
}

int fswalk_project(const char *dir, bool all_dirs, fs_list *out) {
    if (!exists(dir, true)) return exists(dir, false) ? ENOTDIR : ENOENT;
    walk w = {.out = out, .all_dirs = all_dirs};
    char *mix = join(dir, "mix.exs");
    if (!mix) return ENOMEM;
    int rc = exists(mix, false) ? walk_mix(&w, dir, 0) : walk_dir(&w, dir, 0);
    free(mix);
    free(w.devs);
    free(w.inos);
    return rc;
}

int fswalk_stdlib(const char *dir, fs_list *out) {
    if (!exists(dir, true)) return exists(dir, false) ? ENOTDIR : ENOENT;
    walk w = {.out = out, .ex_only = true};
    DIR *d = opendir(dir);
    if (!d) return errno;
    fs_list names = {0};
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *s = strdup(e->d_name);
        rc = s ? push(&names, s) : ENOMEM;
        if (rc) free(s);
    }
    closedir(d);
    if (names.count) qsort(names.items, names.count, sizeof(char *), cmp_str);
    uint32_t apps = 0;
    for (uint32_t i = 0; !rc && i < names.count; i++) {
        char *app = join(dir, names.items[i]);
        char *lib = app ? join(app, "lib") : NULL;
        if (!lib) rc = ENOMEM;
        else if (exists(lib, true)) {
            apps++;
            rc = walk_dir(&w, lib, 1);
        }
        free(lib);
        free(app);
    }
    fs_list_free(&names);
    if (!rc && apps == 0) rc = walk_dir(&w, dir, 0);
    free(w.devs);
    free(w.inos);
    return rc;
}
