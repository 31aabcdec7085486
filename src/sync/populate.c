/* populate.c: see populate.h for the pipeline. Parallel phases share nothing but
 * their own job struct (and, in phase 5, the read-only draft); the single writer
 * (the calling thread) does expansion, drafting, indexing and publishing. */
#define _DEFAULT_SOURCE
#include "populate.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../analyze/expand.h"
#include "../base/hashmap.h"
#include "../base/pool.h"
#include "../parse/parse.h"
#include "fswalk.h"

typedef struct job {
    repo_file *rf;
    uint32_t file_id;
    bool analyze;           /* project layer: calls and metrics */
    const calls_lookup *lookup;
    atomic_uint *done;
} job;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void set_error(repo_file *rf, uint32_t line, uint32_t col, const char *msg) {
    rf->has_error = true;
    rf->err_line = line;
    rf->err_column = col;
    rf->err_message = arena_strndup(rf->arena, msg, strlen(msg));
}

static char *slurp(const char *path, size_t *len, int *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 1 << 15;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                *err = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    *err = ferror(f) ? EIO : 0;
    fclose(f);
    if (*err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Phase 2: read, parse, extract definitions. */
static void parse_job(void *arg) {
    job *j = arg;
    repo_file *rf = j->rf;
    size_t len = 0;
    int err = 0;
    char *src = slurp(rf->path, &len, &err);
    if (!src) {
        set_error(rf, 0, 0, strerror(err));
        goto out;
    }
    exs_parse_options o = {.columns = true, .file_id = j->file_id};
    exs_error e;
    exs_status st = exs_parse(src, len, rf->path, &o, &rf->parsed, &e);
    free(src);
    if (st != EXS_OK) {
        rf->parsed = NULL;
        set_error(rf, e.line, e.column, e.message);
        goto out;
    }
    if (defs_extract(parse_file_tree(rf->parsed), parse_file_ids(rf->parsed), rf->arena,
                     &rf->defs) != EXS_OK) {
        memset(&rf->defs, 0, sizeof(rf->defs));
        set_error(rf, 0, 0, "out of memory");
    }
out:
    atomic_fetch_add(j->done, 1);
}

/* `use M` brings the imports of M's __using__ quote: which module names have them,
 * over every file of the draft (unchanged published files included: read only). */
typedef struct using_table {
    const char **names;
    const calls_import **imports;
    uint32_t count;
    hmap map;
} using_table;

/* The lookup handed to calls_resolve_using: the draft's, plus the using table. */
typedef struct resolver {
    calls_lookup inner;
    using_table *usings;
} resolver;

static bool rs_exports(void *ctx, const char *module, const char *name, uint32_t arity,
                       uint8_t *kind_out) {
    const resolver *r = ctx;
    return r->inner.exports(r->inner.ctx, module, name, arity, kind_out);
}

static uint32_t rs_exports_of(void *ctx, const char *module, const char **names_out,
                              uint32_t *arities_out, uint32_t cap) {
    const resolver *r = ctx;
    return r->inner.exports_of(r->inner.ctx, module, names_out, arities_out, cap);
}

static const calls_import *rs_using(void *ctx, const char *module) {
    const resolver *r = ctx;
    const using_table *u = r->usings;
    if (!module) return NULL;
    hmap_it it;
    for (uint32_t v = hmap_first(&u->map, hash_str(module), &it); v != HMAP_NONE;
         v = hmap_next(&u->map, &it))
        if (strcmp(u->names[v], module) == 0) return u->imports[v];
    return NULL;
}

static bool build_usings(using_table *u, const repo_gen *g) {
    uint32_t n = 0, files = repo_gen_file_count(g);
    for (uint32_t i = 0; i < files; i++) n += repo_gen_file(g, i)->calls.using_count;
    u->names = malloc(((size_t)n + 1) * sizeof(*u->names));
    u->imports = malloc(((size_t)n + 1) * sizeof(*u->imports));
    if (!u->names || !u->imports || !hmap_init(&u->map, n)) return false;
    for (uint32_t i = 0; i < files; i++) {
        const repo_file *f = repo_gen_file(g, i);
        for (uint32_t k = 0; k < f->calls.using_count; k++) {
            const calls_using *cu = &f->calls.usings[k];
            if (cu->module >= f->defs.module_count || !f->defs.modules[cu->module].name)
                continue;
            u->names[u->count] = f->defs.modules[cu->module].name;
            u->imports[u->count] = cu->imports;
            if (!hmap_put(&u->map, hash_str(u->names[u->count]), u->count)) return false;
            u->count++;
        }
    }
    return true;
}

static void free_usings(using_table *u) {
    free(u->names);
    free(u->imports);
    hmap_free(&u->map);
}

static bool has_using(const defs_result *d) {
    for (uint32_t k = 0; k < d->function_count; k++)
        if (d->functions[k].name && strcmp(d->functions[k].name, "__using__") == 0) return true;
    return false;
}

/* Phase 5a: call sites, metrics, columns; then the tree goes. Layer files (stdlib,
 * deps) only keep the imports of their __using__ quotes, for `use` in the project. */
static void extract_job(void *arg) {
    job *j = arg;
    repo_file *rf = j->rf;
    if (!rf->parsed) return;
    const exs_tree *t = parse_file_tree(rf->parsed);
    const uint64_t *ids = parse_file_ids(rf->parsed);
    const defs_result *d = &rf->defs;
    if (j->analyze || has_using(d)) {
        if (calls_extract(t, ids, d, rf->arena, &rf->calls) != EXS_OK)
            memset(&rf->calls, 0, sizeof(rf->calls));
        if (!j->analyze) rf->calls.site_count = 0;
    }
    uint32_t n = d->function_count;
    rf->metrics = j->analyze ? arena_alloc_zero(rf->arena, (size_t)n * sizeof(exs_metrics) + 1)
                             : NULL;
    rf->columns = arena_alloc_zero(rf->arena, (size_t)n * sizeof(uint32_t) + 1);
    for (uint32_t k = 0; rf->columns && k < n; k++) {
        const defs_function *f = &d->functions[k];
        /* generated functions' clauses may be another file's (use templates) */
        if (f->generated || f->in_using) continue;
        for (uint32_t c = 0; c < f->clause_count; c++) {
            exs_ref node = f->clauses[c].node;
            if (node == EXS_REF_NONE || node >= t->count) continue;
            exs_metrics m;
            if (rf->metrics && metrics_compute(t, node, &m) == EXS_OK)
                metrics_add(&rf->metrics[k], &m);
            if (c == 0) {
                int64_t col = tree_meta_int(t, node, EXS_META_COLUMN);
                rf->columns[k] = col > 0 ? (uint32_t)col : 0;
            }
        }
    }
    rf->mod_columns = arena_alloc_zero(rf->arena, (size_t)d->module_count * 4 + 1);
    for (uint32_t k = 0; rf->mod_columns && k < d->module_count; k++) {
        exs_ref node = d->modules[k].node;
        if (node == EXS_REF_NONE || node >= t->count) continue;
        int64_t col = tree_meta_int(t, node, EXS_META_COLUMN);
        rf->mod_columns[k] = col > 0 ? (uint32_t)col : 0;
    }
    exs_file_free(rf->parsed);
    rf->parsed = NULL;
}

/* Phase 5b: resolution against the draft's exports and the using table. */
static void resolve_job(void *arg) {
    job *j = arg;
    if (j->analyze && j->rf->calls.site_count)
        calls_resolve_using(&j->rf->calls, &j->rf->defs, j->lookup, rs_using);
}

static void progress(const atomic_uint *done, uint32_t total, bool show) {
    if (!show) return;
    unsigned k = atomic_load(done);
    int width = 30, fill = total ? (int)((uint64_t)k * width / total) : width;
    fprintf(stderr, "\rindexing [%.*s%*s] %u/%u files", fill,
            "##############################", width - fill, "", k, total);
    fflush(stderr);
}

static void run_phase(exs_pool *pool, job *jobs, uint32_t n, pool_fn fn, atomic_uint *done,
                      uint32_t total, bool show) {
    for (uint32_t i = 0; i < n; i++) pool_submit(pool, fn, &jobs[i]);
    if (show) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        while (atomic_load(done) < n) {
            progress(done, total, true);
            nanosleep(&ts, NULL);
        }
    }
    pool_wait(pool);
}

static exs_status fill_report(exs_index_report *rep, repo_file **files, uint32_t n,
                              repo_gen *g) {
    memset(rep, 0, sizeof(*rep));
    for (uint32_t i = 0; i < n; i++) {
        if (files[i]->layer == REPO_PROJECT) rep->files++;
        if (files[i]->layer == REPO_STDLIB) rep->stdlib_files++;
        if (files[i]->layer == REPO_DEPS) rep->deps_files++;
    }
    for (uint32_t i = 0; i < n; i++)
        if (files[i]->has_error) rep->error_count++;
    rep->errors = calloc(rep->error_count + 1, sizeof(exs_file_error));
    if (!rep->errors) return EXS_ERR_NOMEM;
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        const repo_file *f = files[i];
        if (!f->has_error) continue;
        exs_file_error *e = &rep->errors[at++];
        e->path = strdup(f->path);
        e->message = strdup(f->err_message ? f->err_message : "out of memory");
        e->line = f->err_line;
        e->column = f->err_column;
        if (!e->path || !e->message) return EXS_ERR_NOMEM;
    }
    exs_repo_stats st;
    exs_snapshot_stats((const exs_snapshot *)g, &st);
    rep->memory = st.bytes_total;
    uint32_t mods = exs_snapshot_modules((const exs_snapshot *)g, false, NULL, NULL);
    rep->modules = mods;
    for (uint32_t i = 0; i < n; i++) {
        if (files[i]->layer != REPO_PROJECT) continue;
        for (uint32_t k = 0; k < files[i]->defs.function_count; k++)
            if (!files[i]->defs.functions[k].in_using) rep->functions++;
        for (uint32_t k = 0; k < files[i]->calls.site_count; k++)
            rep->calls += files[i]->calls.sites[k].resolution != CALLS_TO_SPECIAL_FORM;
    }
    return EXS_OK;
}

exs_status populate_files(exs_repo *repo, const populate_input *inputs, uint32_t input_count,
                          const exs_index_options *opts, bool keep_current,
                          exs_index_report *report) {
    double t0 = now();
    exs_index_options dflt = {0};
    if (!opts) opts = &dflt;
    if (report) memset(report, 0, sizeof(*report));
    uint32_t n = 0;
    for (uint32_t k = 0; k < input_count; k++) n += inputs[k].count;
    bool show = opts->progress && isatty(2);
    exs_status rc = EXS_ERR_NOMEM;
    repo_gen *draft = NULL;
    using_table usings = {0};
    exs_pool *pool = pool_new(opts->threads);
    repo_file **files = calloc((size_t)n + 1, sizeof(*files));
    job *jobs = calloc((size_t)n + 1, sizeof(*jobs));
    defs_result **rs = calloc((size_t)n + 1, sizeof(*rs));
    exs_arena **as = calloc((size_t)n + 1, sizeof(*as));
    atomic_uint done;
    atomic_init(&done, 0);
    if (!pool || !files || !jobs || !rs || !as) goto out;
    for (uint32_t k = 0, i = 0; k < input_count; k++)
        for (uint32_t j = 0; j < inputs[k].count; j++, i++) {
            repo_layer layer = inputs[k].layer;
            files[i] = repo_file_new(inputs[k].paths[j], layer);
            if (!files[i]) goto out;
            jobs[i] = (job){.rf = files[i], .file_id = i + 1, .analyze = layer == REPO_PROJECT,
                            .done = &done};
        }
    run_phase(pool, jobs, n, parse_job, &done, n, show);
    double t1 = now();
    uint32_t ok = 0;
    for (uint32_t i = 0; i < n; i++)
        if (files[i]->parsed) {
            rs[ok] = &files[i]->defs;
            as[ok++] = files[i]->arena;
        }
    if (expand_apply(rs, as, ok) != EXS_OK) goto out;
    draft = repo_draft(repo, files, n, NULL, 0, keep_current);
    if (!draft) goto out;
    for (uint32_t i = 0; i < n; i++) pool_submit(pool, extract_job, &jobs[i]);
    pool_wait(pool);
    if (!build_usings(&usings, draft)) goto out;
    resolver res = {repo_lookup(draft), &usings};
    calls_lookup lookup = {rs_exports, rs_exports_of, &res};
    for (uint32_t i = 0; i < n; i++) jobs[i].lookup = &lookup;
    for (uint32_t i = 0; i < n; i++) pool_submit(pool, resolve_job, &jobs[i]);
    pool_wait(pool);
    if (show) fputs("\r\033[K", stderr);
    double t2 = now();
    if (repo_draft_finish(draft) != EXS_OK) goto out;
    repo_gen *pub = draft;
    if (report) {
        if (fill_report(report, files, n, pub) != EXS_OK) goto out;
    }
    draft = NULL;
    repo_publish(repo, pub);
    if (report) {
        report->seconds = now() - t0;
        report->parse_seconds = t1 - t0;
        report->analyze_seconds = t2 - t1;
        report->index_seconds = report->seconds - (t2 - t0);
    }
    rc = EXS_OK;
out:
    if (rc != EXS_OK && report) exs_index_report_free(report);
    repo_gen_release(draft);
    free_usings(&usings);
    pool_free(pool);
    if (files)
        for (uint32_t i = 0; i < n; i++) repo_file_unref(files[i]);
    free(files);
    free(jobs);
    free(rs);
    free(as);
    return rc;
}

void exs_index_report_free(exs_index_report *report) {
    if (!report) return;
    for (uint32_t i = 0; report->errors && i < report->error_count; i++) {
        free(report->errors[i].path);
        free(report->errors[i].message);
    }
    free(report->errors);
    memset(report, 0, sizeof(*report));
}

static bool same_dir(const char *a, const char *b) {
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

exs_status exs_repo_index_dir(exs_repo *repo, const char *dir, const exs_index_options *opts,
                              exs_index_report *report) {
    if (report) memset(report, 0, sizeof(*report));
    if (!repo || !dir) return EXS_ERR_ARG;
    fs_list proj = {0}, std = {0}, deps = {0};
    int e = fswalk_project(dir, opts && opts->all_dirs, &proj);
    if (!e && opts && opts->stdlib_dir && !same_dir(opts->stdlib_dir, dir))
        e = fswalk_stdlib(opts->stdlib_dir, &std);
    if (!e && opts && opts->deps) {
        size_t n = strlen(dir);
        char *d = malloc(n + 6);
        if (!d) e = ENOMEM;
        else {
            snprintf(d, n + 6, "%s%sdeps", dir, n && dir[n - 1] == '/' ? "" : "/");
            struct stat st;
            if (stat(d, &st) == 0 && S_ISDIR(st.st_mode)) e = fswalk_stdlib(d, &deps);
            free(d);
        }
    }
    exs_status rc = e == ENOMEM ? EXS_ERR_NOMEM : e ? EXS_ERR_IO : EXS_OK;
    if (!rc) {
        populate_input in[3] = {
            {(const char *const *)proj.items, proj.count, REPO_PROJECT},
            {(const char *const *)deps.items, deps.count, REPO_DEPS},
            {(const char *const *)std.items, std.count, REPO_STDLIB},
        };
        rc = populate_files(repo, in, 3, opts, false, report);
    }
    fs_list_free(&proj);
    fs_list_free(&std);
    fs_list_free(&deps);
    return rc;
}

exs_status exs_repo_update_files(exs_repo *repo, const char *const *paths, uint32_t count,
                                 const exs_index_options *opts, exs_index_report *report) {
    if (report) memset(report, 0, sizeof(*report));
    if (!repo || (count && !paths)) return EXS_ERR_ARG;
    populate_input in = {paths, count, REPO_PROJECT};
    return populate_files(repo, &in, 1, opts, true, report);
}
