/* cpg_bench.c: the code property graph benchmark of issue 4.
 *
 *   bench_cpg_bench [DIR] [-j N] [-n RUNS] [--stdlib DIR]
 *
 * 0. Index DIR (default corpus/elixir-lang/lib) into a repository (not timed).
 * 1. Full CPGs for every function of every project file, N threads (default 2) on the
 *    pool of src/base/pool.h, one job per file: re-read and re-parse the file (the
 *    repository keeps no trees), then per function CFG + DFG + CPG (call edges from the
 *    repository's call index), never a summary. Every graph stays alive until the run
 *    ends (what a cache holding everything would hold). RUNS runs (default 5) after one
 *    warm-up; median and min wall time; graph totals; bytes held; peak RSS.
 * 2. Single-function latency, one thread:
 *      build   graphs_fun_build of one function, its file already parsed (what a cache
 *              miss costs once the file is open);
 *      cold    exs_graphs_function on an empty cache (file read + parse + build), every
 *              4th function;
 *      cached  exs_graphs_function answered from the cache;
 *    p50/p99/max of single calls timed with CLOCK_MONOTONIC. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "exscope.h"
#include "base/pool.h"
#include "store/graphs.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * 4;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
    if (!n) return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

typedef struct job {
    const repo_file *rf;
    const exs_snapshot *snap;
    graphs_file gf;
    exs_arena *a;
    uint32_t functions, summaries, failed;
    uint64_t nodes, edges, by_kind[CPG_EDGE__COUNT];
    bool open;
} job;

static void run_job(void *arg) {
    job *j = arg;
    if (graphs_file_open(j->rf, &j->gf, NULL) != EXS_OK) return;
    j->open = true;
    j->a = arena_new(1 << 16);
    if (!j->a) return;
    for (uint32_t k = 0; k < j->gf.defs.function_count; k++) {
        if (!j->gf.defs.functions[k].clause_count) continue;
        graphs_fun f;
        exs_status st = graphs_fun_build(&j->gf, k, j->snap, UINT32_MAX, j->a, &f);
        if (st == EXS_ERR_ARG) continue; /* bodiless */
        if (st) {
            j->failed++;
            continue;
        }
        j->functions++;
        j->summaries += f.cpg.is_summary;
        j->nodes += f.cpg.node_count;
        j->edges += f.cpg.edge_count;
        for (int e = 0; e < CPG_EDGE__COUNT; e++)
            j->by_kind[e] += f.cpg.edge_counts[e];
    }
}

int main(int argc, char **argv) {
    const char *dir = "corpus/elixir-lang/lib", *stdlib = NULL;
    unsigned threads = 2;
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-j") == 0 && i + 1 < argc)
            threads = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--stdlib") == 0 && i + 1 < argc)
            stdlib = argv[++i];
        else if (argv[i][0] != '-')
            dir = argv[i];
        else {
            fprintf(stderr, "usage: bench_cpg_bench [DIR] [-j N] [-n RUNS] [--stdlib DIR]\n");
            return 2;
        }
    }
    if (runs < 1) runs = 1;
    exs_repo *repo = exs_repo_new();
    exs_index_options io = {.threads = threads, .stdlib_dir = stdlib};
    exs_index_report rep;
    if (!repo || exs_repo_index_dir(repo, dir, &io, &rep) != EXS_OK) {
        fprintf(stderr, "cpg_bench: cannot index %s\n", dir);
        return 1;
    }
    printf("cpg_bench: %s: %u files, %u modules, %u functions, %u calls indexed in %.0f ms "
           "(%u threads)\n",
           dir, rep.files, rep.modules, rep.functions, rep.calls, rep.seconds * 1e3, threads);
    uint32_t indexed_functions = rep.functions;
    exs_index_report_free(&rep);
    long rss_indexed = rss_kb();

    exs_snapshot *snap = exs_repo_snapshot(repo);
    const repo_gen *gen = (const repo_gen *)snap;
    uint32_t nfiles = repo_gen_file_count(gen);
    job *jobs = calloc(nfiles, sizeof(job));
    double *walls = calloc((size_t)runs, sizeof(double));
    if (!jobs || !walls) return 1;

    /* 1. every function's full CPG, `threads` threads */
    size_t held = 0, held_graphs = 0;
    long rss_peak_run = 0;
    job totals = {0};
    uint32_t files_open = 0;
    for (int r = -1; r < runs; r++) {
        exs_pool *pool = pool_new(threads);
        if (!pool) return 1;
        memset(jobs, 0, nfiles * sizeof(job));
        double t0 = now();
        for (uint32_t i = 0; i < nfiles; i++) {
            jobs[i].rf = repo_gen_file(gen, i);
            jobs[i].snap = snap;
            if (jobs[i].rf->layer == REPO_PROJECT) pool_submit(pool, run_job, &jobs[i]);
        }
        pool_wait(pool);
        double wall = now() - t0;
        pool_free(pool);
        long rss = rss_kb();
        if (rss > rss_peak_run) rss_peak_run = rss;
        memset(&totals, 0, sizeof(totals));
        held = held_graphs = 0;
        files_open = 0;
        for (uint32_t i = 0; i < nfiles; i++) {
            job *j = &jobs[i];
            totals.functions += j->functions;
            totals.summaries += j->summaries;
            totals.failed += j->failed;
            totals.nodes += j->nodes;
            totals.edges += j->edges;
            for (int e = 0; e < CPG_EDGE__COUNT; e++)
                totals.by_kind[e] += j->by_kind[e];
            if (j->open) {
                held += graphs_file_bytes(&j->gf) + (j->a ? arena_reserved(j->a) : 0);
                held_graphs += j->a ? arena_reserved(j->a) : 0;
                files_open++;
            }
            arena_free(j->a);
            if (j->open) graphs_file_close(&j->gf);
        }
        if (r >= 0) walls[r] = wall;
    }
    qsort(walls, (size_t)runs, sizeof(double), cmp_d);
    printf("full CPGs, every function, %u threads: median %.1f ms, min %.1f ms over %d runs "
           "(goal <= 1000 ms)\n",
           threads, pct(walls, (size_t)runs, 0.5) * 1e3, walls[0] * 1e3, runs);
    printf("  %u files, %u functions (%u summaries, %u failed), %llu nodes, %llu edges "
           "(ast %llu, cfg %llu, dfg %llu, call %llu)\n",
           files_open, totals.functions, totals.summaries, totals.failed,
           (unsigned long long)totals.nodes, (unsigned long long)totals.edges,
           (unsigned long long)totals.by_kind[CPG_EDGE_AST],
           (unsigned long long)totals.by_kind[CPG_EDGE_CFG],
           (unsigned long long)totals.by_kind[CPG_EDGE_DFG],
           (unsigned long long)totals.by_kind[CPG_EDGE_CALL]);
    printf("  memory held: %.1f MB = graphs %.1f MB (%.1f KB per function) + re-parsed trees "
           "and definitions %.1f MB\n",
           (double)held / 1048576.0, (double)held_graphs / 1048576.0,
           totals.functions ? (double)held_graphs / 1024.0 / totals.functions : 0.0,
           (double)(held - held_graphs) / 1048576.0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  RSS: after indexing %.1f MB, at the end of a run %.1f MB, peak %.1f MB\n",
           (double)rss_indexed / 1024.0, (double)rss_peak_run / 1024.0,
           (double)ru.ru_maxrss / 1024.0);

    /* 2. single-function latency */
    size_t cap = (size_t)indexed_functions + 16, nb = 0, nc = 0, nh = 0;
    double *build = malloc(cap * sizeof(double)), *cold = malloc(cap * sizeof(double)),
           *hit = malloc(cap * sizeof(double));
    if (!build || !cold || !hit) return 1;
    exs_graphs *cache = exs_graphs_new(repo, NULL);
    uint32_t seq = 0;
    for (uint32_t i = 0; i < nfiles; i++) {
        const repo_file *rf = repo_gen_file(gen, i);
        if (rf->layer != REPO_PROJECT) continue;
        graphs_file gf;
        if (graphs_file_open(rf, &gf, NULL) != EXS_OK) continue;
        exs_arena *a = arena_new(1 << 16);
        for (uint32_t k = 0; k < gf.defs.function_count && nb < cap; k++) {
            const defs_function *fn = &gf.defs.functions[k];
            if (!fn->clause_count || !fn->name) continue;
            graphs_fun f;
            double t0 = now();
            exs_status st = graphs_fun_build(&gf, k, snap, 0, a, &f);
            double t1 = now();
            arena_reset(a);
            if (st) continue;
            build[nb++] = t1 - t0;
            const char *mod = gf.defs.modules[fn->module].name;
            if (!mod) continue;
            exs_function_info fi;
            /* only functions the MFA index answers with this very definition */
            if (!exs_snapshot_find_function(snap, mod, fn->name, fn->arity, &fi) ||
                fi.node_id != fn->clauses[0].node_id)
                continue;
            if (seq++ % 4 == 0) {
                exs_graphs *empty = exs_graphs_new(repo, NULL);
                t0 = now();
                st = exs_graphs_function(empty, mod, fn->name, fn->arity, NULL, NULL);
                t1 = now();
                exs_graphs_free(empty);
                if (!st) cold[nc++] = t1 - t0;
            }
            if (exs_graphs_function(cache, mod, fn->name, fn->arity, NULL, NULL) == EXS_OK) {
                t0 = now();
                st = exs_graphs_function(cache, mod, fn->name, fn->arity, NULL, NULL);
                t1 = now();
                if (!st) hit[nh++] = t1 - t0;
            }
        }
        arena_free(a);
        graphs_file_close(&gf);
    }
    qsort(build, nb, sizeof(double), cmp_d);
    qsort(cold, nc, sizeof(double), cmp_d);
    qsort(hit, nh, sizeof(double), cmp_d);
    printf("single-function latency (1 thread):\n");
    printf("  build (file parsed)   n=%zu p50 %.1f us, p99 %.1f us, max %.2f ms\n", nb,
           pct(build, nb, 0.5) * 1e6, pct(build, nb, 0.99) * 1e6, nb ? build[nb - 1] * 1e3 : 0);
    printf("  cold (read + parse)   n=%zu p50 %.1f us, p99 %.1f us, max %.2f ms\n", nc,
           pct(cold, nc, 0.5) * 1e6, pct(cold, nc, 0.99) * 1e6, nc ? cold[nc - 1] * 1e3 : 0);
    printf("  cached                n=%zu p50 %.1f us, p99 %.1f us, max %.2f ms\n", nh,
           pct(hit, nh, 0.5) * 1e6, pct(hit, nh, 0.99) * 1e6, nh ? hit[nh - 1] * 1e3 : 0);
    exs_graphs_stats gs;
    exs_graphs_stats_get(cache, &gs);
    printf("  cache after: %u files, %u functions, %.1f MB\n", gs.files, gs.functions,
           (double)gs.bytes / 1048576.0);
    exs_graphs_free(cache);
    free(build);
    free(cold);
    free(hit);
    free(jobs);
    free(walls);
    exs_snapshot_release(snap);
    exs_repo_free(repo);
    return 0;
}
