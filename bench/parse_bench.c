/* parse_bench.c: parse throughput of exs_parse over a whole corpus (bench_parse_bench).
 *
 * Usage: bench_parse_bench [-r ROUNDS] [-w WARMUP] [-j THREADS] [--columns]
 *                          [--token-metadata] [--files-from LIST] [--list] PATH...
 *
 * Design: every file is read into memory first, so the timed part is parsing only (no
 * I/O). Then WARMUP untimed rounds and ROUNDS timed rounds each parse every file with
 * exs_parse and free the result at once (parse-and-drop, like a populate that only
 * keeps what it extracts). With -j N, N threads take files from one atomic counter;
 * a round's time is the wall clock from start to the last join, so MB/s is the
 * aggregate throughput. Each parse is also timed alone for the per-file latency
 * percentiles (pooled over all timed rounds). Finally one untimed pass keeps every
 * AST alive at once: the sum of exs_file_memory and the peak RSS then show what a
 * repository holding all ASTs would cost.
 *
 * Output: per-round lines, a summary (median MB/s, p95 or min/max, per-file p50/p95/
 * p99, AST terms, peak RSS, AST memory), and a last line `RESULT key=value ...` for
 * scripts (bench/run.sh); bench/elixir_parse.exs prints the same keys for Elixir.
 * --list prints the files a PATH set expands to and exits, so the Elixir baseline can
 * parse exactly the same files.
 *
 * Directories are walked like the exscope CLI does: sorted, .ex/.exs files, hidden
 * folders, _build, deps and node_modules skipped (below the given directory only).
 * Threads come from pthreads (glibc >= 2.34 needs no -pthread to link). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "exscope.h"

#define MAX_THREADS 64

typedef struct src_file {
    char *path;
    char *text;
    size_t len;
} src_file;

typedef struct file_list {
    src_file *items;
    size_t count, cap;
} file_list;

/* What one thread saw in one round. */
typedef struct worker {
    pthread_t thread;
    const file_list *files;
    const exs_parse_options *opts;
    atomic_size_t *next;
    double *lat; /* per-file seconds, indexed by file; owned by the caller */
    size_t errors, terms, tokens;
    int failed; /* a non-syntax failure (out of memory, limit) */
} worker;

static void die(const char *what) {
    fprintf(stderr, "parse_bench: %s\n", what);
    exit(2);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0; /* KiB on Linux */
}

/* ---- collecting and loading files ---------------------------------------------- */

static void push_path(file_list *l, const char *path) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->items = realloc(l->items, l->cap * sizeof(*l->items));
        if (!l->items) die("out of memory");
    }
    size_t n = strlen(path) + 1;
    char *p = xmalloc(n);
    memcpy(p, path, n);
    l->items[l->count++] = (src_file){.path = p};
}

static bool is_source(const char *name) {
    size_t n = strlen(name);
    return (n > 3 && strcmp(name + n - 3, ".ex") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".exs") == 0);
}

static bool skip_dir(const char *name) {
    return name[0] == '.' || strcmp(name, "_build") == 0 || strcmp(name, "deps") == 0 ||
           strcmp(name, "node_modules") == 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(file_list *l, const char *dir, int depth) {
    if (depth > 64) return; /* symlink loops */
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "parse_bench: %s: %s\n", dir, strerror(errno));
        exit(2);
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *full = xmalloc(n);
        snprintf(full, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        bool keep = stat(full, &st) == 0 &&
                    (S_ISDIR(st.st_mode) ? !skip_dir(e->d_name)
                                         : S_ISREG(st.st_mode) && is_source(e->d_name));
        if (!keep) {
            free(full);
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
            if (!names) die("out of memory");
        }
        names[count++] = full;
    }
    closedir(d);
    if (count) qsort(names, count, sizeof(*names), cmp_str);
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
            walk(l, names[i], depth + 1);
        else
            push_path(l, names[i]);
        free(names[i]);
    }
    free(names);
}

static void add_path(file_list *l, const char *path) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        walk(l, path, 0);
    else
        push_path(l, path);
}

static void add_list_file(file_list *l, const char *list) {
    FILE *fp = fopen(list, "r");
    if (!fp) {
        fprintf(stderr, "parse_bench: %s: %s\n", list, strerror(errno));
        exit(2);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0) push_path(l, line);
    }
    free(line);
    fclose(fp);
}

static void load(src_file *f) {
    FILE *fp = fopen(f->path, "rb");
    if (!fp) {
        fprintf(stderr, "parse_bench: %s: %s\n", f->path, strerror(errno));
        exit(2);
    }
    size_t cap = 1 << 14, len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) die("out of memory");
        }
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0) break;
    }
    if (ferror(fp)) {
        fprintf(stderr, "parse_bench: %s: read error\n", f->path);
        exit(2);
    }
    fclose(fp);
    buf[len] = '\0';
    f->text = buf;
    f->len = len;
}

/* ---- one round -------------------------------------------------------------------- */

static void *work(void *arg) {
    worker *w = arg;
    const file_list *l = w->files;
    for (;;) {
        size_t i = atomic_fetch_add_explicit(w->next, 1, memory_order_relaxed);
        if (i >= l->count) break;
        exs_parse_options o = *w->opts;
        o.file_id = (uint32_t)i;
        exs_file *f = NULL;
        exs_error err;
        double t0 = now();
        exs_status st =
            exs_parse(l->items[i].text, l->items[i].len, l->items[i].path, &o, &f, &err);
        if (st == EXS_OK) {
            w->terms += exs_file_node_count(f);
            w->tokens += exs_file_token_count(f);
            exs_file_free(f);
        } else if (st == EXS_ERR_SYNTAX) {
            w->errors++;
        } else {
            w->failed = (int)st;
        }
        w->lat[i] = now() - t0;
    }
    return NULL;
}

typedef struct round_result {
    double seconds;
    size_t errors, terms, tokens;
} round_result;

static round_result run_round(const file_list *l, const exs_parse_options *opts, int threads,
                              double *lat) {
    worker ws[MAX_THREADS];
    atomic_size_t next;
    atomic_init(&next, 0);
    for (int t = 0; t < threads; t++)
        ws[t] = (worker){.files = l, .opts = opts, .next = &next, .lat = lat};
    double t0 = now();
    if (threads == 1) {
        work(&ws[0]);
    } else {
        for (int t = 0; t < threads; t++)
            if (pthread_create(&ws[t].thread, NULL, work, &ws[t])) die("pthread_create failed");
        for (int t = 0; t < threads; t++)
            pthread_join(ws[t].thread, NULL);
    }
    round_result r = {.seconds = now() - t0};
    for (int t = 0; t < threads; t++) {
        if (ws[t].failed) {
            fprintf(stderr, "parse_bench: exs_parse failed: %s\n",
                    exs_status_name((exs_status)ws[t].failed));
            exit(1);
        }
        r.errors += ws[t].errors;
        r.terms += ws[t].terms;
        r.tokens += ws[t].tokens;
    }
    return r;
}

/* ---- statistics ------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double pct(const double *sorted, size_t n, double p) {
    if (!n) return 0;
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static double median(const double *sorted, size_t n) {
    if (!n) return 0;
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void fmt_time(char *buf, size_t cap, double s) {
    if (s < 1e-3)
        snprintf(buf, cap, "%.0f us", s * 1e6);
    else if (s < 1)
        snprintf(buf, cap, "%.2f ms", s * 1e3);
    else
        snprintf(buf, cap, "%.3f s", s);
}

static void usage(FILE *out) {
    fputs("usage: bench_parse_bench [options] PATH...\n"
          "\n"
          "Loads every .ex/.exs file of PATHs (files or directories) into memory, then\n"
          "times exs_parse over all of them for several rounds.\n"
          "\n"
          "  -r N               timed rounds (default 7)\n"
          "  -w N               untimed warm-up rounds first (default 1)\n"
          "  -j N               parse with N threads (default 1)\n"
          "  --columns          columns: true\n"
          "  --token-metadata   token_metadata: true\n"
          "  --files-from LIST  also the paths listed in LIST, one a line\n"
          "  --list             print the files PATHs expand to and exit\n",
          out);
}

static int parse_int(const char *s, int lo, int hi) {
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || end == s || *end || v < lo || v > hi) {
        usage(stderr);
        exit(2);
    }
    return (int)v;
}

int main(int argc, char **argv) {
    int rounds = 7, warmup = 1, threads = 1;
    bool list_only = false;
    exs_parse_options opts = {0};
    file_list files = {0};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-r") == 0)
            rounds = parse_int(argv[++i], 1, 100000);
        else if (strcmp(a, "-w") == 0)
            warmup = parse_int(argv[++i], 0, 1000);
        else if (strcmp(a, "-j") == 0)
            threads = parse_int(argv[++i], 1, MAX_THREADS);
        else if (strcmp(a, "--columns") == 0)
            opts.columns = true;
        else if (strcmp(a, "--token-metadata") == 0)
            opts.token_metadata = true;
        else if (strcmp(a, "--files-from") == 0 && i + 1 < argc)
            add_list_file(&files, argv[++i]);
        else if (strcmp(a, "--list") == 0)
            list_only = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            usage(stderr);
            return 2;
        } else
            add_path(&files, a);
    }
    if (!files.count) {
        usage(stderr);
        return 2;
    }
    if (list_only) {
        for (size_t i = 0; i < files.count; i++)
            puts(files.items[i].path);
        return 0;
    }

    size_t bytes = 0;
    for (size_t i = 0; i < files.count; i++) {
        load(&files.items[i]);
        bytes += files.items[i].len;
    }
    long rss_loaded = peak_rss_kb();
    double mb = (double)bytes / 1e6;
    printf("parse_bench: %zu files, %.2f MB (%zu bytes); columns=%d token_metadata=%d; "
           "%d thread%s; %d rounds (+%d warm-up)\n",
           files.count, mb, bytes, opts.columns, opts.token_metadata, threads,
           threads == 1 ? "" : "s", rounds, warmup);

    double *lat = xmalloc((size_t)rounds * files.count * sizeof(double));
    double *secs = xmalloc((size_t)rounds * sizeof(double));
    double *scratch = xmalloc(files.count * sizeof(double));
    round_result first = {0};
    for (int r = 0; r < warmup; r++)
        first = run_round(&files, &opts, threads, scratch);
    for (int r = 0; r < rounds; r++) {
        round_result rr = run_round(&files, &opts, threads, lat + (size_t)r * files.count);
        if (r == 0 && !warmup) first = rr;
        secs[r] = rr.seconds;
        char t[32];
        fmt_time(t, sizeof t, rr.seconds);
        printf("  round %2d  %10s  %8.1f MB/s\n", r + 1, t, mb / rr.seconds);
    }
    long rss_rounds = peak_rss_kb();
    qsort(secs, (size_t)rounds, sizeof(double), cmp_double);
    double t_med = median(secs, (size_t)rounds), t_p95 = pct(secs, (size_t)rounds, 95);
    double mbps_med = mb / t_med, mbps_min = mb / secs[rounds - 1], mbps_max = mb / secs[0];
    size_t nlat = (size_t)rounds * files.count;
    qsort(lat, nlat, sizeof(double), cmp_double);
    char l50[32], l95[32], l99[32], lmax[32];
    fmt_time(l50, sizeof l50, pct(lat, nlat, 50));
    fmt_time(l95, sizeof l95, pct(lat, nlat, 95));
    fmt_time(l99, sizeof l99, pct(lat, nlat, 99));
    fmt_time(lmax, sizeof lmax, lat[nlat - 1]);

    /* The keep-all pass: every AST alive at once. */
    exs_file **kept = xmalloc(files.count * sizeof(*kept));
    size_t ast_bytes = 0;
    for (size_t i = 0; i < files.count; i++) {
        exs_parse_options o = opts;
        o.file_id = (uint32_t)i;
        kept[i] = NULL;
        exs_status st = exs_parse(files.items[i].text, files.items[i].len, files.items[i].path, &o,
                                  &kept[i], NULL);
        if (st == EXS_OK)
            ast_bytes += exs_file_memory(kept[i]);
        else if (st != EXS_ERR_SYNTAX)
            die("exs_parse failed in the keep-all pass");
    }
    long rss_kept = peak_rss_kb();
    for (size_t i = 0; i < files.count; i++)
        exs_file_free(kept[i]);
    free(kept);

    printf("throughput  median %.1f MB/s", mbps_med);
    if (rounds >= 20) printf(", p95 round %.1f MB/s", mb / t_p95);
    printf(" (min %.1f, max %.1f over %d rounds)\n", mbps_min, mbps_max, rounds);
    printf("per file    p50 %s, p95 %s, p99 %s, max %s (%zu parses)\n", l50, l95, l99, lmax, nlat);
    printf("AST         %zu terms, %zu tokens, %zu of %zu files with syntax errors\n", first.terms,
           first.tokens, first.errors, files.count);
    printf("memory      peak RSS %.1f MB parsing (%.1f MB with sources loaded), %.1f MB "
           "with all ASTs kept;\n            AST memory %.2f MB in all, %.1f KB per file, "
           "%.1f bytes per source byte\n",
           (double)rss_rounds / 1024, (double)rss_loaded / 1024, (double)rss_kept / 1024,
           (double)ast_bytes / 1e6, (double)ast_bytes / 1024 / (double)files.count,
           (double)ast_bytes / (double)(bytes ? bytes : 1));
    printf("RESULT impl=c parse_mbps_median=%.2f parse_mbps_min=%.2f parse_mbps_max=%.2f", mbps_med,
           mbps_min, mbps_max);
    if (rounds >= 20) printf(" parse_mbps_p95=%.2f", mb / t_p95);
    printf(" file_us_p50=%.1f file_us_p95=%.1f file_us_p99=%.1f files=%zu bytes=%zu "
           "terms=%zu tokens=%zu errors=%zu threads=%d rounds=%d columns=%d "
           "token_metadata=%d peak_rss_kb=%ld kept_rss_kb=%ld ast_bytes=%zu\n",
           pct(lat, nlat, 50) * 1e6, pct(lat, nlat, 95) * 1e6, pct(lat, nlat, 99) * 1e6,
           files.count, bytes, first.terms, first.tokens, first.errors, threads, rounds,
           opts.columns, opts.token_metadata, rss_rounds, rss_kept, ast_bytes);

    for (size_t i = 0; i < files.count; i++) {
        free(files.items[i].path);
        free(files.items[i].text);
    }
    free(files.items);
    free(lat);
    free(secs);
    free(scratch);
    return 0;
}
