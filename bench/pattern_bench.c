/* pattern_bench.c: the structural pattern search benchmark of issue 5 (goal: a
 * project-wide search over the whole stdlib in <= 50 ms on 2 threads).
 *
 *   bench_pattern_bench [DIR] [-j N] [-n RUNS]
 *
 * DIR (default corpus/elixir-lang/lib): every .ex/.exs file below it (sorted).
 * 0. Baseline, measured in the same run: load the files into a source set (read, parse
 *    with columns and token metadata, definitions) on N threads (default 2): median.
 * 1. Pre-parsed: exs_pattern_search over the loaded set, N threads, per pattern:
 *    median, p95, p99 over RUNS runs (default 21) after one warm-up; matches.
 * 2. Parse included: exs_pattern_search_files (load + search + free), N threads,
 *    first pattern: median over RUNS/3 runs; ratio to the baseline load.
 * 3. Single file (lib/elixir/lib/enum.ex when present, else the largest file): load it
 *    once, then exs_pattern_search with one thread: p50/p95/p99 of single calls. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "exscope.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char **files;
static size_t file_count, file_cap;
static size_t biggest_size;
static const char *biggest;

static int add(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 3) return 0;
    if (!(strcmp(path + n - 3, ".ex") == 0 || (n > 4 && strcmp(path + n - 4, ".exs") == 0)))
        return 0;
    if (file_count == file_cap) {
        file_cap = file_cap ? file_cap * 2 : 256;
        files = realloc(files, file_cap * sizeof *files);
        if (!files) exit(1);
    }
    files[file_count] = strdup(path);
    if ((size_t)sb->st_size > biggest_size) biggest_size = (size_t)sb->st_size, biggest = files[file_count];
    file_count++;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double pct(double *v, int n, double p) {
    qsort(v, (size_t)n, sizeof *v, cmp_dbl);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static exs_pattern *compile(const char *text) {
    exs_pattern *p = NULL;
    exs_error err;
    if (exs_pattern_compile(text, strlen(text), &p, &err) != EXS_OK) {
        fprintf(stderr, "pattern %s: %s\n", text, err.message);
        exit(1);
    }
    return p;
}

static const char *const patterns[] = {
    "Enum.map(_, _)",
    "{:ok, $x} = $y",
    "case $x do ... end",
    "$a |> Enum.map(...)",
    "Repo.get!(_, _)",
    "foo($a, $a)",
};

int main(int argc, char **argv) {
    const char *dir = "corpus/elixir-lang/lib";
    unsigned threads = 2;
    int runs = 21;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) threads = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else dir = argv[i];
    }
    if (runs < 3) runs = 3;
    if (nftw(dir, add, 32, FTW_PHYS) != 0 || file_count == 0) {
        fprintf(stderr, "pattern_bench: no .ex/.exs files under %s\n", dir);
        return 1;
    }
    qsort(files, file_count, sizeof *files, cmp_str);
    const char *const *paths = (const char *const *)files;
    uint32_t count = (uint32_t)file_count;
    double *t = malloc((size_t)runs * sizeof *t);
    if (!t) return 1;

    /* 0. baseline: load (read + parse + defs) */
    exs_source_set *set = NULL;
    int lruns = runs / 3 < 3 ? 3 : runs / 3;
    for (int r = 0; r < lruns; r++) {
        double t0 = now();
        if (exs_source_set_load(paths, count, threads, &set) != EXS_OK) return 1;
        t[r] = now() - t0;
        if (r + 1 < lruns) exs_source_set_free(set);
    }
    double load_med = pct(t, lruns, 0.5);
    printf("pattern search over %s: %u files, %u threads\n", dir, count, threads);
    printf("  baseline: load (read + parse + definitions): median %.1f ms\n", load_med * 1e3);

    /* 1. pre-parsed */
    printf("  pre-parsed project, per pattern (median / p95 / p99 over %d runs):\n", runs);
    for (size_t k = 0; k < sizeof patterns / sizeof *patterns; k++) {
        exs_pattern *p = compile(patterns[k]);
        exs_pattern_report rep;
        uint32_t matches = 0;
        for (int r = -1; r < runs; r++) {
            double t0 = now();
            if (exs_pattern_search(p, set, threads, &rep) != EXS_OK) return 1;
            double dt = now() - t0;
            matches = rep.count;
            exs_pattern_report_free(&rep);
            if (r >= 0) t[r] = dt;
        }
        double med = pct(t, runs, 0.5), p95 = pct(t, runs, 0.95), p99 = pct(t, runs, 0.99);
        printf("    %-22s %7.2f / %7.2f / %7.2f ms  %6u matches  (%.2fx of load)\n", patterns[k],
               med * 1e3, p95 * 1e3, p99 * 1e3, matches, med / load_med);
        exs_pattern_free(p);
    }

    /* 2. parse included */
    {
        exs_pattern *p = compile(patterns[0]);
        exs_pattern_report rep;
        for (int r = 0; r < lruns; r++) {
            double t0 = now();
            if (exs_pattern_search_files(p, paths, count, threads, &rep) != EXS_OK) return 1;
            t[r] = now() - t0;
            exs_pattern_report_free(&rep);
        }
        double med = pct(t, lruns, 0.5);
        printf("  parse included (%s): median %.1f ms over %d runs (%.2fx of load)\n",
               patterns[0], med * 1e3, lruns, med / load_med);
        exs_pattern_free(p);
    }
    exs_source_set_free(set);

    /* 3. single file */
    {
        const char *one = biggest;
        for (size_t i = 0; i < file_count; i++)
            if (strstr(files[i], "lib/elixir/lib/enum.ex") &&
                strlen(strstr(files[i], "lib/elixir/lib/enum.ex")) == strlen("lib/elixir/lib/enum.ex"))
                one = files[i];
        exs_source_set *s1 = NULL;
        if (exs_source_set_load(&one, 1, 1, &s1) != EXS_OK) return 1;
        int n1 = runs * 10;
        double *t1 = malloc((size_t)n1 * sizeof *t1);
        if (!t1) return 1;
        printf("  single file %s, 1 thread (p50 / p95 / p99 over %d calls):\n", one, n1);
        for (size_t k = 0; k < 3; k++) {
            exs_pattern *p = compile(patterns[k]);
            exs_pattern_report rep;
            uint32_t matches = 0;
            for (int r = -1; r < n1; r++) {
                double t0 = now();
                if (exs_pattern_search(p, s1, 1, &rep) != EXS_OK) return 1;
                double dt = now() - t0;
                matches = rep.count;
                exs_pattern_report_free(&rep);
                if (r >= 0) t1[r] = dt;
            }
            double a = pct(t1, n1, 0.5), b = pct(t1, n1, 0.95), c = pct(t1, n1, 0.99);
            printf("    %-22s %7.1f / %7.1f / %7.1f us  %5u matches\n", patterns[k], a * 1e6,
                   b * 1e6, c * 1e6, matches);
            exs_pattern_free(p);
        }
        free(t1);
        exs_source_set_free(s1);
    }
    free(t);
    for (size_t i = 0; i < file_count; i++) free(files[i]);
    free(files);
    return 0;
}
