/* files.c: reading source files and expanding directories into the .ex/.exs files a
 * project holds, for the CLI. Directory order is sorted so output is reproducible. */
#define _DEFAULT_SOURCE
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_read_file(const char *path, char **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) return errno;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (cap - len < 2) {
            char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0) {
            if (ferror(fp)) rc = errno ? errno : EIO;
            break;
        }
    }
    if (fp != stdin) fclose(fp);
    if (!buf) return ENOMEM;
    if (rc) {
        free(buf);
        return rc;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

static int push(cli_paths *p, const char *path) {
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **ni = realloc(p->items, cap * sizeof(*ni));
        if (!ni) return ENOMEM;
        p->items = ni;
        p->cap = cap;
    }
    char *s = strdup(path);
    if (!s) return ENOMEM;
    p->items[p->count++] = s;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_source(const char *name) {
    size_t n = strlen(name);
    return (n > 3 && strcmp(name + n - 3, ".ex") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".exs") == 0);
}

/* Folders that hold build output or fetched dependencies, not the project's code. */
static bool skip_dir(const char *name) {
    return name[0] == '.' || strcmp(name, "_build") == 0 || strcmp(name, "deps") == 0 ||
           strcmp(name, "node_modules") == 0;
}

static int walk(cli_paths *p, const char *dir, const char **out_bad, int depth) {
    if (depth > 64) return 0; /* symlink loops or absurd nesting */
    DIR *d = opendir(dir);
    if (!d) {
        *out_bad = dir;
        return errno;
    }
    cli_paths here = {0};
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *full = malloc(n);
        if (!full) {
            rc = ENOMEM;
            break;
        }
        snprintf(full, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        if (stat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode) ? !skip_dir(e->d_name) : (S_ISREG(st.st_mode) &&
                                                             is_source(e->d_name)))
                rc = push(&here, full);
        }
        free(full);
    }
    closedir(d);
    if (here.count) qsort(here.items, here.count, sizeof(char *), cmp_str);
    for (size_t i = 0; !rc && i < here.count; i++) {
        struct stat st;
        if (stat(here.items[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk(p, here.items[i], out_bad, depth + 1);
        else
            rc = push(p, here.items[i]);
    }
    cli_paths_free(&here);
    return rc;
}

int cli_paths_add(cli_paths *p, const char *path, const char **out_bad) {
    *out_bad = path;
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return walk(p, path, out_bad, 0);
    return push(p, path); /* missing files are reported when read */
}

void cli_paths_free(cli_paths *p) {
    for (size_t i = 0; i < p->count; i++) free(p->items[i]);
    free(p->items);
    memset(p, 0, sizeof(*p));
}
