/* populate_bench.c: the repository benchmark of issue 3.
 *
 *   bench_populate_bench [DIR] [-j N] [-n RUNS] [--stdlib DIR] [--elixir]
 *
 * 1. Cold populate: a new repository, exs_repo_index_dir(DIR) with N threads (default
 *    DIR corpus/elixir-lang/lib, 2 threads), RUNS times (default 7, after 1 warm-up run
 *    that fills the page cache); median and min wall time.
 * 2. Lookup latency in-process over the last repository: every project function's MFA
 *    looked up once per round (exs_snapshot_find_function), and its callers walked
 *    (exs_snapshot_callers with a visitor that reads each site); p50/p99/max of single
 *    calls timed with CLOCK_MONOTONIC (the clock's own cost, ~20-30 ns, included).
 * 3. Memory: the repository's accounting (per table) per module, and the process RSS.
 * 4. --elixir: Elixir's parser alone (Code.string_to_quoted/2 with columns, -j N, via
 *    bench/elixir_parse.exs) over the same project files, in the same run. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "exscope.h"
#include "sync/fswalk.h"

/* Runs bench/elixir_parse.exs over the files of `dir`; the median wall ms, or -1. */
static double elixir_ms(const char *dir, unsigned threads, int runs) {
    fs_list l = {0};
    if (fswalk_project(dir, false, &l) != 0) return -1;
    char list[] = "/tmp/exs_bench_list_XXXXXX";
    int fd = mkstemp(list);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) return -1;
    for (uint32_t i = 0; i < l.count; i++) fprintf(f, "%s\n", l.items[i]);
    fclose(f);
    fs_list_free(&l);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "elixir bench/elixir_parse.exs -r %d -j %u --columns --files-from %s 2>/dev/null",
             runs, threads, list);
    FILE *p = popen(cmd, "r");
    double mbps = 0, bytes = 0;
    char line[4096];
    while (p && fgets(line, sizeof line, p)) {
        char *m = strstr(line, "parse_mbps_median="), *b = strstr(line, " bytes=");
        if (strncmp(line, "RESULT", 6) == 0 && m && b) {
            mbps = atof(m + 18);
            bytes = atof(b + 7);
        }
    }
    if (p) pclose(p);
    remove(list);
    return mbps > 0 ? bytes / 1e6 / mbps * 1e3 : -1;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p) {
    if (!n) return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

typedef struct mfa {
    char *module, *name;
    uint32_t arity;
} mfa;

typedef struct mfas {
    mfa *v;
    size_t n, cap;
} mfas;

static bool collect(void *ctx, const exs_function_info *f) {
    mfas *m = ctx;
    if (!f->module || !f->name) return true;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->v = realloc(m->v, m->cap * sizeof(mfa));
        if (!m->v) exit(1);
    }
    m->v[m->n++] = (mfa){strdup(f->module), strdup(f->name), f->arity};
    return true;
}

static volatile uint32_t sink;
static bool visit(void *ctx, const exs_call_info *c) {
    (void)ctx;
    sink += c->line + c->column;
    return true;
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
        fclose(f);
    }
    return res * 4;
}

int main(int argc, char **argv) {
    const char *dir = "corpus/elixir-lang/lib", *stdlib = NULL;
    unsigned threads = 2;
    int runs = 7;
    bool elixir = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) threads = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--stdlib") == 0 && i + 1 < argc) stdlib = argv[++i];
        else if (strcmp(argv[i], "--elixir") == 0) elixir = true;
        else dir = argv[i];
    }
    if (runs < 1) runs = 1;
    exs_index_options o = {.threads = threads, .stdlib_dir = stdlib};
    double *t = calloc((size_t)runs, sizeof(double));
    double *tp = calloc((size_t)runs, sizeof(double)), *ta = calloc((size_t)runs, sizeof(double));
    double *ti = calloc((size_t)runs, sizeof(double));
    exs_repo *repo = NULL;
    exs_index_report rep = {0};
    for (int r = -1; r < runs; r++) {
        exs_repo_free(repo);
        exs_index_report_free(&rep);
        repo = exs_repo_new();
        double t0 = now();
        if (!repo || exs_repo_index_dir(repo, dir, &o, &rep) != EXS_OK) {
            fprintf(stderr, "populate_bench: cannot index %s\n", dir);
            return 1;
        }
        if (r >= 0) {
            t[r] = now() - t0;
            tp[r] = rep.parse_seconds;
            ta[r] = rep.analyze_seconds;
            ti[r] = rep.index_seconds;
        }
    }
    qsort(t, (size_t)runs, sizeof(double), cmp_d);
    qsort(tp, (size_t)runs, sizeof(double), cmp_d);
    qsort(ta, (size_t)runs, sizeof(double), cmp_d);
    qsort(ti, (size_t)runs, sizeof(double), cmp_d);
    printf("exscope populate benchmark: %s, %u threads, %d runs (+1 warm-up)\n", dir, threads,
           runs);
    printf("files %u (+%u stdlib), modules %u, functions %u, calls %u, errors %u\n", rep.files,
           rep.stdlib_files, rep.modules, rep.functions, rep.calls, rep.error_count);
    printf("cold populate: median %.1f ms, min %.1f ms (goal <= 150 ms)\n",
           pct(t, (size_t)runs, 0.5) * 1e3, t[0] * 1e3);
    printf("  phases (medians): read+parse+definitions %.1f ms, expansion+calls+resolution+"
           "metrics %.1f ms, tables+indexes+publish %.1f ms; discovery %.1f ms\n",
           pct(tp, (size_t)runs, 0.5) * 1e3, pct(ta, (size_t)runs, 0.5) * 1e3,
           pct(ti, (size_t)runs, 0.5) * 1e3,
           (pct(t, (size_t)runs, 0.5) - pct(tp, (size_t)runs, 0.5) - pct(ta, (size_t)runs, 0.5) -
            pct(ti, (size_t)runs, 0.5)) * 1e3);
    if (elixir) {
        double ms = elixir_ms(dir, threads, runs);
        if (ms < 0) printf("Elixir's parser: not run (needs elixir and bench/elixir_parse.exs)\n");
        else
            printf("Elixir's parser alone (Code.string_to_quoted/2, columns, %u processes), "
                   "same files: median %.1f ms\n", threads, ms);
    }

    exs_snapshot *s = exs_repo_snapshot(repo);
    mfas m = {0};
    exs_snapshot_functions(s, 0, collect, &m);
    enum { ROUNDS = 5 };
    size_t n = m.n * ROUNDS;
    double *lat = malloc((n + 1) * sizeof(double)), *cl = malloc((n + 1) * sizeof(double));
    size_t found = 0;
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < m.n; i++) {
            exs_function_info fi;
            double a = now();
            bool ok = exs_snapshot_find_function(s, m.v[i].module, m.v[i].name, m.v[i].arity, &fi);
            double b = now();
            exs_snapshot_callers(s, m.v[i].module, m.v[i].name, m.v[i].arity, visit, NULL);
            double c = now();
            found += ok;
            lat[round * m.n + i] = (b - a) * 1e9;
            cl[round * m.n + i] = (c - b) * 1e9;
        }
    qsort(lat, n, sizeof(double), cmp_d);
    qsort(cl, n, sizeof(double), cmp_d);
    printf("MFA lookup (%zu lookups, %zu found): p50 %.0f ns, p99 %.0f ns, max %.0f ns "
           "(goal p50 <= 1 us)\n",
           n, found, pct(lat, n, 0.5), pct(lat, n, 0.99), n ? lat[n - 1] : 0);
    printf("callers (same MFAs, every site visited): p50 %.0f ns, p99 %.0f ns, max %.0f ns "
           "(goal <= 50 us)\n",
           pct(cl, n, 0.5), pct(cl, n, 0.99), n ? cl[n - 1] : 0);

    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    size_t meta = st.bytes_modules + st.bytes_functions + st.bytes_calls + st.bytes_indexes;
    double mods = st.modules ? (double)st.modules : 1;
    printf("memory: files (arenas: definitions, call sites, metrics) %.2f MB, modules %.1f KB, "
           "functions %.1f KB, calls %.2f MB, indexes %.2f MB, total %.2f MB\n",
           (double)st.bytes_files / 1048576.0, (double)st.bytes_modules / 1024.0,
           (double)st.bytes_functions / 1024.0, (double)st.bytes_calls / 1048576.0,
           (double)st.bytes_indexes / 1048576.0, (double)st.bytes_total / 1048576.0);
    printf("per module (%u modules): all records + indexes %.1f KB; tables + indexes only "
           "%.1f KB (goal <= 50 KB)\n",
           st.modules, (double)st.bytes_total / mods / 1024.0, (double)meta / mods / 1024.0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("RSS: now %.1f MB, peak %.1f MB\n", (double)rss_kb() / 1024.0,
           (double)ru.ru_maxrss / 1024.0);
    exs_snapshot_release(s);
    for (size_t i = 0; i < m.n; i++) {
        free(m.v[i].module);
        free(m.v[i].name);
    }
    free(m.v);
    free(lat);
    free(cl);
    free(t);
    free(tp);
    free(ta);
    free(ti);
    exs_index_report_free(&rep);
    exs_repo_free(repo);
    return 0;
}
