/* cmd_grep.c: `exscope grep 'PATTERN' [PATH...] [--json] [-j N]`: structural pattern
 * search (docs/patterns.md). PATHs are files or directories (every .ex/.exs below,
 * _build/deps/hidden skipped; default .). Prints one line per match,
 * `file:line:column: snippet  $x=..., $path=...`, or a JSON array with --json.
 * Exit status: 0 when something matched, 1 when nothing did, 2 on a bad pattern (the
 * message with a caret under the position) or a usage error. Files that do not parse
 * are reported on stderr and skipped. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exscope.h"

static const char synopsis[] = "usage: exscope grep 'PATTERN' [PATH...] [--json] [-j N]\n"
                               "  _ any subtree, $name binds (equal when repeated),\n"
                               "  f(...) any arguments; see docs/patterns.md\n";

/* The pattern's line `line` with a caret under `column`. */
static void show_caret(const char *pat, uint32_t line, uint32_t column) {
    const char *s = pat;
    for (uint32_t l = 1; l < line && s; l++) {
        s = strchr(s, '\n');
        if (s) s++;
    }
    if (!s) return;
    size_t n = strcspn(s, "\n");
    fprintf(stderr, "  %.*s\n  ", (int)n, s);
    for (uint32_t c = 1; c < column && c <= n + 1; c++) fputc(s[c - 1] == '\t' ? '\t' : ' ', stderr);
    fputs("^\n", stderr);
}

/* A bound value on one line: a line break and the indentation after it become a space. */
static void put_one_line(const char *s) {
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            while (s[1] == ' ' || s[1] == '\t' || s[1] == '\n' || s[1] == '\r') s++;
            putchar(' ');
        } else {
            putchar(*s);
        }
    }
}

int cmd_grep(int argc, char **argv) {
    const char *pattern = NULL;
    bool json = false;
    unsigned threads = 0;
    cli_paths paths = {0};
    const char **roots = calloc((size_t)argc + 1, sizeof *roots);
    size_t nroots = 0;
    if (!roots) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--threads") == 0) {
            if (i + 1 >= argc) {
                fputs("exscope: -j needs a value\n", stderr);
                free(roots);
                return 2;
            }
            threads = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9') {
            threads = (unsigned)strtoul(a + 2, NULL, 10);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(synopsis, stdout);
            free(roots);
            return 0;
        } else if (strcmp(a, "--") == 0 && !pattern && i + 1 < argc) {
            pattern = argv[++i];
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "exscope: unknown option '%s'\n%s", a, synopsis);
            free(roots);
            return 2;
        } else if (!pattern) {
            pattern = a;
        } else {
            roots[nroots++] = a;
        }
    }
    if (!pattern) {
        fputs(synopsis, stderr);
        free(roots);
        return 2;
    }
    exs_error err;
    memset(&err, 0, sizeof err);
    exs_pattern *p = NULL;
    exs_status st = exs_pattern_compile(pattern, strlen(pattern), &p, &err);
    if (st != EXS_OK) {
        fprintf(stderr, "exscope: bad pattern: %u:%u: %s\n", err.line, err.column, err.message);
        if (err.line) show_caret(pattern, err.line, err.column);
        free(roots);
        return 2;
    }
    if (nroots == 0) roots[nroots++] = ".";
    for (size_t i = 0; i < nroots; i++) {
        const char *bad = NULL;
        int e = access(roots[i], F_OK) ? errno : cli_paths_add(&paths, roots[i], &bad);
        if (e) {
            fprintf(stderr, "exscope: %s: %s\n", bad ? bad : roots[i], strerror(e));
            cli_paths_free(&paths);
            exs_pattern_free(p);
            free(roots);
            return 2;
        }
    }
    free(roots);
    exs_pattern_report rep;
    st = exs_pattern_search_files(p, (const char *const *)paths.items, (uint32_t)paths.count,
                                  threads, &rep);
    cli_paths_free(&paths);
    if (st != EXS_OK) {
        fprintf(stderr, "exscope: %s\n", exs_status_name(st));
        exs_pattern_free(p);
        return 2;
    }
    for (uint32_t i = 0; i < rep.error_count; i++)
        fprintf(stderr, "%s:%u:%u: skipped: %s\n", rep.errors[i].path, rep.errors[i].line,
                rep.errors[i].column, rep.errors[i].message);
    uint32_t nb = exs_pattern_binding_count(p);
    if (json) putchar('[');
    for (uint32_t i = 0; i < rep.count; i++) {
        const exs_pattern_match *m = &rep.matches[i];
        if (json) {
            fputs(i ? ",\n {\"path\": " : "\n {\"path\": ", stdout);
            cli_json_str(stdout, m->path);
            printf(", \"line\": %u, \"column\": %u, \"snippet\": ", m->line, m->column);
            cli_json_str(stdout, m->snippet);
            fputs(", \"bindings\": {", stdout);
            for (uint32_t k = 0; k < nb; k++) {
                if (k) fputs(", ", stdout);
                cli_json_str(stdout, exs_pattern_binding_name(p, k));
                fputs(": ", stdout);
                cli_json_str(stdout, m->values[k]);
            }
            fputs("}}", stdout);
            continue;
        }
        printf("%s:%u:%u: %s", m->path, m->line, m->column, m->snippet);
        for (uint32_t k = 0; k < nb; k++) {
            printf("%s$%s=", k ? ", " : "  ", exs_pattern_binding_name(p, k));
            put_one_line(m->values[k]);
        }
        putchar('\n');
    }
    if (json) fputs(rep.count ? "\n]\n" : "]\n", stdout);
    fprintf(stderr, "%u match%s in %u files (%.1f ms)\n", rep.count, rep.count == 1 ? "" : "es",
            rep.files, rep.seconds * 1e3);
    int rc = rep.count ? 0 : 1;
    exs_pattern_report_free(&rep);
    exs_pattern_free(p);
    return rc;
}
