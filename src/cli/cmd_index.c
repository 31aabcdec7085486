/* cmd_index.c: `exscope index [DIR]` and `exscope stats`, and what every repository
 * subcommand shares: option parsing (--dir, --stdlib, -j, --json, --all-dirs,
 * --min-complexity) and indexing the directory (there is no server yet: each command
 * populates the repository, then answers). Syntax errors of single files are printed
 * as `file:line:column: message` on stderr; the rest is indexed. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exscope.h"

static const char *options_help =
    "  --dir DIR          the project (default .)\n"
    "  --stdlib DIR       read-only stdlib layer, e.g. corpus/elixir-lang/lib\n"
    "  -j N               worker threads (default: one per core)\n"
    "  --deps             read-only deps layer: DIR/deps/<dep>/lib\n"
    "  --all-dirs         also walk _build, deps, .git, node_modules\n"
    "  --json             JSON output\n";

void cli_repo_usage(FILE *out, const char *synopsis) {
    fprintf(out, "usage: exscope %s [options]\n\noptions:\n%s", synopsis, options_help);
}

static bool parse_uint(const char *s, unsigned long *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-') return false;
    *out = v;
    return true;
}

int cli_repo_args(int argc, char **argv, cli_repo_opts *o, const char *synopsis) {
    memset(o, 0, sizeof(*o));
    o->dir = ".";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (strcmp(a, "--json") == 0) o->json = true;
        else if (strcmp(a, "--all-dirs") == 0) o->all_dirs = true;
        else if (strcmp(a, "--deps") == 0) o->deps = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cli_repo_usage(stdout, synopsis);
            return -1;
        } else if ((strcmp(a, "--dir") == 0 || strcmp(a, "--stdlib") == 0 ||
                    strcmp(a, "-j") == 0 || strcmp(a, "--min-complexity") == 0)) {
            if (!v) {
                fprintf(stderr, "exscope: %s needs a value\n", a);
                return 2;
            }
            i++;
            if (strcmp(a, "--dir") == 0) o->dir = v;
            else if (strcmp(a, "--stdlib") == 0) o->stdlib = v;
            else if (!parse_uint(v, &n) || n > 1024) {
                fprintf(stderr, "exscope: %s: bad number '%s'\n", a, v);
                return 2;
            } else if (a[1] == 'j') o->threads = (unsigned)n;
            else o->min_complexity = (uint32_t)n;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "exscope: unknown option '%s'\n", a);
            cli_repo_usage(stderr, synopsis);
            return 2;
        } else if (!o->arg) o->arg = a;
        else {
            fprintf(stderr, "exscope: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    return 0;
}

exs_repo *cli_repo_index(const cli_repo_opts *o, exs_index_report *rep) {
    exs_repo *repo = exs_repo_new();
    if (!repo) {
        fputs("exscope: out of memory\n", stderr);
        return NULL;
    }
    exs_index_options io = {.stdlib_dir = o->stdlib, .threads = o->threads,
                            .all_dirs = o->all_dirs, .deps = o->deps, .progress = true};
    exs_status st = exs_repo_index_dir(repo, o->dir, &io, rep);
    if (st != EXS_OK) {
        fprintf(stderr, "exscope: %s: %s\n", o->dir, exs_status_name(st));
        exs_repo_free(repo);
        return NULL;
    }
    for (uint32_t i = 0; i < rep->error_count; i++) {
        const exs_file_error *e = &rep->errors[i];
        if (e->line)
            fprintf(stderr, "%s:%u:%u: %s\n", e->path, e->line, e->column, e->message);
        else
            fprintf(stderr, "%s: %s\n", e->path, e->message);
    }
    return repo;
}

void cli_json_str(FILE *out, const char *s) {
    if (!s) {
        fputs("null", out);
        return;
    }
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else putc(*p, out);
    }
    putc('"', out);
}

int cmd_index(int argc, char **argv) {
    cli_repo_opts o;
    int rc = cli_repo_args(argc, argv, &o, "index [DIR]");
    if (rc) return rc < 0 ? 0 : rc;
    if (o.arg) o.dir = o.arg;
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) return 1;
    if (o.json) {
        printf("{\"dir\":");
        cli_json_str(stdout, o.dir);
        printf(",\"files\":%u,\"stdlib_files\":%u,\"modules\":%u,\"functions\":%u,"
               "\"calls\":%u,\"errors\":%u,\"seconds\":%.6f,\"memory\":%zu,"
               "\"deps_files\":%u}\n",
               rep.files, rep.stdlib_files, rep.modules, rep.functions, rep.calls,
               rep.error_count, rep.seconds, rep.memory, rep.deps_files);
    } else {
        printf("indexed %s: %u files, %u modules, %u functions, %u calls, %u errors\n", o.dir,
               rep.files, rep.modules, rep.functions, rep.calls, rep.error_count);
        if (rep.stdlib_files) printf("stdlib layer: %u files (%s)\n", rep.stdlib_files, o.stdlib);
        if (rep.deps_files) printf("deps layer: %u files\n", rep.deps_files);
        printf("time %.1f ms, memory %.2f MB\n", rep.seconds * 1e3,
               (double)rep.memory / (1024.0 * 1024.0));
    }
    exs_index_report_free(&rep);
    exs_repo_free(repo);
    return 0;
}

int cmd_stats(int argc, char **argv) {
    cli_repo_opts o;
    int rc = cli_repo_args(argc, argv, &o, "stats");
    if (rc) return rc < 0 ? 0 : rc;
    if (o.arg) o.dir = o.arg;
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) return 1;
    exs_snapshot *s = exs_repo_snapshot(repo);
    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    if (o.json) {
        printf("{\"generation\":%llu,\"tables\":{\"files\":{\"rows\":%u,\"bytes\":%zu},"
               "\"modules\":{\"rows\":%u,\"bytes\":%zu},\"functions\":{\"rows\":%u,"
               "\"bytes\":%zu},\"calls\":{\"rows\":%u,\"bytes\":%zu}},\"indexes_bytes\":%zu,"
               "\"total_bytes\":%zu,\"stdlib_files\":%u,\"deps_files\":%u,\"error_files\":%u}\n",
               (unsigned long long)st.generation, st.files, st.bytes_files, st.modules,
               st.bytes_modules, st.functions, st.bytes_functions, st.calls, st.bytes_calls,
               st.bytes_indexes, st.bytes_total, st.stdlib_files, st.deps_files,
               st.error_files);
    } else {
        printf("generation %llu (all layers; stdlib files %u, deps files %u, files with "
               "errors %u)\n",
               (unsigned long long)st.generation, st.stdlib_files, st.deps_files,
               st.error_files);
        printf("%-10s %10s %12s\n", "table", "rows", "bytes");
        printf("%-10s %10u %12zu\n", "files", st.files, st.bytes_files);
        printf("%-10s %10u %12zu\n", "modules", st.modules, st.bytes_modules);
        printf("%-10s %10u %12zu\n", "functions", st.functions, st.bytes_functions);
        printf("%-10s %10u %12zu\n", "calls", st.calls, st.bytes_calls);
        printf("%-10s %10s %12zu\n", "indexes", "", st.bytes_indexes);
        printf("%-10s %10s %12zu\n", "total", "", st.bytes_total);
    }
    exs_snapshot_release(s);
    exs_index_report_free(&rep);
    exs_repo_free(repo);
    return 0;
}
