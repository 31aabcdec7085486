/* repo.c: the repository: generations of tables and indexes over per-file records.
 *
 * Design (docs/repository.md):
 *   - A repo_file holds one source file's records in its own arena. Replacing or
 *     removing a file means building a generation without it: one step for readers.
 *   - A generation (struct repo_gen, the public exs_snapshot) is immutable once
 *     published. It holds a reference on each of its files and flat tables:
 *       mods  (gen module) -> file, defs module, interned name, its function range
 *       funs  (gen function) -> file, defs function, interned module/name, arity, cc
 *       calls (gen call) -> file, site, caller function, interned target MFA
 *     and indexes: names (interning), module by name, function by MFA, function by
 *     node ID, file by path (hash maps of src/base/hashmap.c storing table indices),
 *     callers by target MFA (calls sorted by target, a hash map over the runs),
 *     callees by caller function (CSR offsets), functions by complexity bucket (CSR,
 *     sorted by complexity, descending). Indexes are rebuilt for every generation:
 *     simple, and a few milliseconds for the whole Elixir stdlib.
 *   - Modules by file: a file's modules are contiguous in `mods` (file_mod_first).
 *   - Publication: the repository's `current` pointer is swapped atomically. A reader
 *     takes a reference inside a tiny "entering" window counted on the repository;
 *     after the swap the writer waits for that counter to drain (a few instructions
 *     per reader) before dropping the repository's reference to the old generation,
 *     so no reader can increment a freed generation. Readers never wait.
 *   - Names are interned per generation: each distinct string once, compared by id.
 *     The strings themselves live in the files' arenas (the generation keeps them). */
#define _POSIX_C_SOURCE 200809L
#include "repo.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "../base/hashmap.h"
#include "../parse/parse.h"

#define NONE UINT32_MAX

typedef struct rmod {
    uint32_t file, def, name, fun_first, fun_count;
} rmod;

typedef struct rfun {
    uint32_t file, def, module, name, arity, mod, cc;
} rfun;

typedef struct rcall {
    uint32_t file, site, caller, tmod, name, arity;
} rcall;

typedef struct run {
    uint32_t start, count;
} run;

struct repo_gen {
    atomic_uint refs;
    uint64_t seq;
    bool failed;
    repo_file **files;
    uint32_t file_count;
    uint32_t *file_mod_first; /* file_count + 1 offsets into mods */
    rmod *mods;
    uint32_t mod_count;
    rfun *funs;
    uint32_t fun_count, fun_cap;
    rcall *calls;
    uint32_t call_count;
    const char **names;
    uint32_t name_count, name_cap;
    hmap name_map, mod_by_name, fun_by_mfa, fun_by_node, file_by_path, callers_by_mfa;
    uint32_t *callers_order; /* call indices sorted by target */
    run *runs;
    uint32_t run_count;
    uint32_t *callee_off; /* fun_count + 1 */
    uint32_t *callee_idx;
    uint32_t bucket_off[METRICS_BUCKET_COUNT + 1];
    uint32_t *bucket_funs;
};

struct exs_repo {
    _Atomic(repo_gen *) current;
    atomic_uint entering;
    uint64_t seq;
};

/* ---- files ------------------------------------------------------------------ */

repo_file *repo_file_new(const char *path, repo_layer layer) {
    repo_file *f = calloc(1, sizeof(*f));
    if (!f) return NULL;
    atomic_init(&f->refs, 1);
    f->path = strdup(path);
    f->layer = (uint8_t)layer;
    f->arena = arena_new(1 << 14);
    if (!f->path || !f->arena) {
        free(f->path);
        arena_free(f->arena);
        free(f);
        return NULL;
    }
    return f;
}

void repo_file_ref(repo_file *f) { atomic_fetch_add(&f->refs, 1); }

void repo_file_unref(repo_file *f) {
    if (!f || atomic_fetch_sub(&f->refs, 1) != 1) return;
    exs_file_free(f->parsed);
    arena_free(f->arena);
    free(f->path);
    free(f);
}

/* ---- generations ------------------------------------------------------------ */

static void gen_free(repo_gen *g) {
    for (uint32_t i = 0; i < g->file_count; i++) repo_file_unref(g->files[i]);
    free(g->files);
    free(g->file_mod_first);
    free(g->mods);
    free(g->funs);
    free(g->calls);
    free(g->names);
    hmap_free(&g->name_map);
    hmap_free(&g->mod_by_name);
    hmap_free(&g->fun_by_mfa);
    hmap_free(&g->fun_by_node);
    hmap_free(&g->file_by_path);
    hmap_free(&g->callers_by_mfa);
    free(g->callers_order);
    free(g->runs);
    free(g->callee_off);
    free(g->callee_idx);
    free(g->bucket_funs);
    free(g);
}

void repo_gen_release(repo_gen *g) {
    if (g && atomic_fetch_sub(&g->refs, 1) == 1) gen_free(g);
}

static repo_gen *gen_new(void) {
    repo_gen *g = calloc(1, sizeof(*g));
    if (!g) return NULL;
    atomic_init(&g->refs, 1);
    return g;
}

repo_gen *repo_acquire(exs_repo *r) {
    atomic_fetch_add(&r->entering, 1);
    repo_gen *g = atomic_load(&r->current);
    atomic_fetch_add(&g->refs, 1);
    atomic_fetch_sub(&r->entering, 1);
    return g;
}

void repo_publish(exs_repo *r, repo_gen *g) {
    g->seq = ++r->seq;
    repo_gen *old = atomic_exchange(&r->current, g);
    /* A reader that loaded `old` is inside its entering window: let it take its
       reference before ours goes. */
    while (atomic_load(&r->entering) != 0) sched_yield();
    repo_gen_release(old);
}

exs_repo *exs_repo_new(void) {
    exs_repo *r = calloc(1, sizeof(*r));
    repo_gen *g = gen_new();
    if (!r || !g) {
        free(r);
        free(g);
        return NULL;
    }
    atomic_init(&r->current, g);
    atomic_init(&r->entering, 0);
    return r;
}

void exs_repo_free(exs_repo *r) {
    if (!r) return;
    repo_gen_release(atomic_load(&r->current));
    free(r);
}

exs_snapshot *exs_repo_snapshot(exs_repo *r) { return (exs_snapshot *)repo_acquire(r); }
void exs_snapshot_release(exs_snapshot *s) { repo_gen_release((repo_gen *)s); }

/* ---- interning -------------------------------------------------------------- */

static uint32_t intern_find(const repo_gen *g, const char *s) {
    if (!s) return NONE;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->name_map, hash_str(s), &it); v != HMAP_NONE;
         v = hmap_next(&g->name_map, &it))
        if (strcmp(g->names[v], s) == 0) return v;
    return NONE;
}

static uint32_t intern(repo_gen *g, const char *s) {
    if (!s) return NONE;
    uint32_t h = hash_str(s);
    hmap_it it;
    for (uint32_t v = hmap_first(&g->name_map, h, &it); v != HMAP_NONE;
         v = hmap_next(&g->name_map, &it))
        if (strcmp(g->names[v], s) == 0) return v;
    if (g->name_count == g->name_cap) {
        uint32_t cap = g->name_cap ? g->name_cap * 2 : 1024;
        const char **nn = realloc(g->names, cap * sizeof(*nn));
        if (!nn) {
            g->failed = true;
            return NONE;
        }
        g->names = nn;
        g->name_cap = cap;
    }
    g->names[g->name_count] = s;
    if (!hmap_put(&g->name_map, h, g->name_count)) {
        g->failed = true;
        return NONE;
    }
    return g->name_count++;
}

static uint32_t mfa_hash(uint32_t m, uint32_t n, uint32_t a) {
    return hash_u64(((uint64_t)m << 32 | n) ^ ((uint64_t)a * 0x9E3779B97F4A7C15ULL));
}

/* ---- drafting ---------------------------------------------------------------- */

static bool listed(const char *path, const char *const *paths, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(path, paths[i]) == 0) return true;
    return false;
}

static bool replaced(const char *path, repo_file *const *add, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(path, add[i]->path) == 0) return true;
    return false;
}

static void *grow(void *p, uint32_t *cap, uint32_t need, size_t elem, bool *failed) {
    if (need <= *cap) return p;
    uint32_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *np = realloc(p, (size_t)c * elem);
    if (!np) {
        *failed = true;
        return p;
    }
    *cap = c;
    return np;
}

static void index_file(repo_gen *g, uint32_t fi) {
    repo_file *f = g->files[fi];
    const defs_result *d = &f->defs;
    uint32_t base = g->mod_count;
    g->file_mod_first[fi] = base;
    for (uint32_t k = 0; k < d->module_count && !g->failed; k++) {
        rmod *m = &g->mods[g->mod_count++];
        m->file = fi;
        m->def = k;
        m->name = intern(g, d->modules[k].name);
        m->fun_first = NONE;
        m->fun_count = 0;
        if (m->name != NONE && !hmap_put(&g->mod_by_name, hash_u64(m->name), base + k))
            g->failed = true;
    }
    for (uint32_t j = 0; j < d->function_count && !g->failed; j++) {
        const defs_function *df = &d->functions[j];
        /* templates of __using__ are not functions of the module */
        if (df->in_using || df->module >= d->module_count) continue;
        g->funs = grow(g->funs, &g->fun_cap, g->fun_count + 1, sizeof(rfun), &g->failed);
        if (g->failed) return;
        uint32_t idx = g->fun_count++;
        rfun *r = &g->funs[idx];
        rmod *m = &g->mods[base + df->module];
        r->file = fi;
        r->def = j;
        r->mod = base + df->module;
        r->module = m->name;
        r->name = intern(g, df->name);
        r->arity = df->arity;
        r->cc = f->metrics ? f->metrics[j].cc : 0;
        if (m->fun_first == NONE) m->fun_first = idx;
        m->fun_count = idx - m->fun_first + 1;
        if (r->module != NONE && r->name != NONE &&
            !hmap_put(&g->fun_by_mfa, mfa_hash(r->module, r->name, r->arity), idx))
            g->failed = true;
        for (uint32_t c = 0; c < df->clause_count; c++)
            if (df->clauses[c].node_id &&
                !hmap_put(&g->fun_by_node, hash_u64(df->clauses[c].node_id), idx))
                g->failed = true;
    }
}

repo_gen *repo_draft(exs_repo *r, repo_file *const *add, uint32_t add_count,
                     const char *const *remove, uint32_t remove_count, bool keep_current) {
    repo_gen *g = gen_new();
    if (!g) return NULL;
    repo_gen *cur = keep_current ? repo_acquire(r) : NULL;
    uint32_t n = add_count + (cur ? cur->file_count : 0);
    g->files = malloc(((size_t)n + 1) * sizeof(*g->files));
    g->file_mod_first = malloc(((size_t)n + 1) * sizeof(uint32_t));
    if (!g->files || !g->file_mod_first) goto fail;
    if (cur)
        for (uint32_t i = 0; i < cur->file_count; i++) {
            repo_file *f = cur->files[i];
            if (listed(f->path, remove, remove_count) || replaced(f->path, add, add_count))
                continue;
            repo_file_ref(f);
            g->files[g->file_count++] = f;
        }
    for (uint32_t i = 0; i < add_count; i++) {
        repo_file_ref(add[i]);
        g->files[g->file_count++] = add[i];
    }
    repo_gen_release(cur);
    cur = NULL;
    uint32_t mods = 0, funs = 0;
    for (uint32_t i = 0; i < g->file_count; i++) {
        mods += g->files[i]->defs.module_count;
        funs += g->files[i]->defs.function_count;
    }
    g->mods = malloc(((size_t)mods + 1) * sizeof(rmod));
    if (!g->mods || !hmap_init(&g->name_map, funs + mods) ||
        !hmap_init(&g->mod_by_name, mods) || !hmap_init(&g->fun_by_mfa, funs) ||
        !hmap_init(&g->fun_by_node, funs * 2) || !hmap_init(&g->file_by_path, g->file_count))
        goto fail;
    for (uint32_t i = 0; i < g->file_count && !g->failed; i++) {
        if (!hmap_put(&g->file_by_path, hash_str(g->files[i]->path), i)) g->failed = true;
        index_file(g, i);
    }
    g->file_mod_first[g->file_count] = g->mod_count;
    if (g->failed) goto fail;
    return g;
fail:
    repo_gen_release(cur);
    repo_gen_release(g);
    return NULL;
}

/* ---- the lookup for calls_resolve --------------------------------------------- */

static bool lk_exports(void *ctx, const char *module, const char *name, uint32_t arity,
                       uint8_t *kind_out) {
    const repo_gen *g = ctx;
    uint32_t m = intern_find(g, module), n = intern_find(g, name);
    if (m == NONE || n == NONE) return false;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->fun_by_mfa, mfa_hash(m, n, arity), &it); v != HMAP_NONE;
         v = hmap_next(&g->fun_by_mfa, &it)) {
        const rfun *r = &g->funs[v];
        if (r->module != m || r->name != n || r->arity != arity) continue;
        const defs_function *df = &g->files[r->file]->defs.functions[r->def];
        if (!df->is_public) continue;
        if (kind_out) *kind_out = df->kind;
        return true;
    }
    return false;
}

static uint32_t lk_exports_of(void *ctx, const char *module, const char **names_out,
                              uint32_t *arities_out, uint32_t cap) {
    const repo_gen *g = ctx;
    uint32_t m = intern_find(g, module), total = 0;
    if (m == NONE) return 0;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->mod_by_name, hash_u64(m), &it); v != HMAP_NONE;
         v = hmap_next(&g->mod_by_name, &it)) {
        const rmod *md = &g->mods[v];
        if (md->name != m || md->fun_first == NONE) continue;
        for (uint32_t k = md->fun_first; k < md->fun_first + md->fun_count; k++) {
            const rfun *r = &g->funs[k];
            const defs_function *df = &g->files[r->file]->defs.functions[r->def];
            if (!df->is_public || df->dynamic || r->name == NONE) continue;
            if (names_out && total < cap) {
                names_out[total] = g->names[r->name];
                arities_out[total] = r->arity;
            }
            total++;
        }
    }
    return names_out && total > cap ? cap : total;
}

calls_lookup repo_lookup(repo_gen *g) {
    calls_lookup l = {lk_exports, lk_exports_of, g};
    return l;
}

/* ---- finishing: calls and buckets ---------------------------------------------- */

/* Sort keys carry their fields, so qsort needs no shared context (two repositories
 * may be written by two threads at once). */
typedef struct call_key {
    uint32_t tmod, name, arity, idx;
} call_key;

static int cmp_target(const void *a, const void *b) {
    const call_key *x = a, *y = b;
    if (x->tmod != y->tmod) return x->tmod < y->tmod ? -1 : 1;
    if (x->name != y->name) return x->name < y->name ? -1 : 1;
    if (x->arity != y->arity) return x->arity < y->arity ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

typedef struct cc_key {
    uint32_t cc, idx;
} cc_key;

static int cmp_cc(const void *a, const void *b) {
    const cc_key *x = a, *y = b;
    if (x->cc != y->cc) return x->cc > y->cc ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

exs_status repo_draft_finish(repo_gen *g) {
    uint32_t total = 0;
    for (uint32_t i = 0; i < g->file_count; i++) total += g->files[i]->calls.site_count;
    g->calls = malloc(((size_t)total + 1) * sizeof(rcall));
    g->callers_order = malloc(((size_t)total + 1) * sizeof(uint32_t));
    g->runs = malloc(((size_t)total + 1) * sizeof(run));
    g->callee_off = calloc((size_t)g->fun_count + 2, sizeof(uint32_t));
    g->callee_idx = malloc(((size_t)total + 1) * sizeof(uint32_t));
    g->bucket_funs = malloc(((size_t)g->fun_count + 1) * sizeof(uint32_t));
    if (!g->calls || !g->callers_order || !g->runs || !g->callee_off || !g->callee_idx ||
        !g->bucket_funs)
        return EXS_ERR_NOMEM;
    /* Function of (file, defs function index): the functions of one file are
       contiguous in `funs`, in defs order (in_using ones skipped). */
    uint32_t fun_at = 0, resolved = 0, map_cap = 0, *def_to_fun = NULL;
    for (uint32_t fi = 0; fi < g->file_count; fi++) {
        const repo_file *f = g->files[fi];
        uint32_t first = fun_at;
        while (fun_at < g->fun_count && g->funs[fun_at].file == fi) fun_at++;
        if (f->defs.function_count > map_cap) {
            free(def_to_fun);
            map_cap = f->defs.function_count;
            def_to_fun = malloc((size_t)map_cap * sizeof(uint32_t));
            if (!def_to_fun) return EXS_ERR_NOMEM;
        }
        for (uint32_t k = 0; k < f->defs.function_count; k++) def_to_fun[k] = NONE;
        for (uint32_t k = first; k < fun_at; k++) def_to_fun[g->funs[k].def] = k;
        for (uint32_t s = 0; s < f->calls.site_count; s++) {
            const calls_site *cs = &f->calls.sites[s];
            if (cs->resolution == CALLS_TO_SPECIAL_FORM) continue; /* syntax, not calls */
            rcall *c = &g->calls[g->call_count++];
            c->file = fi;
            c->site = s;
            c->caller = NONE;
            if (cs->caller_fun != DEFS_NONE && cs->caller_fun < f->defs.function_count)
                c->caller = def_to_fun[cs->caller_fun];
            c->tmod = cs->resolution != CALLS_UNRESOLVED ? intern(g, cs->target_module) : NONE;
            c->name = intern(g, cs->name);
            c->arity = cs->arity;
            if (c->tmod != NONE && c->name != NONE) g->callers_order[resolved++] = g->call_count - 1;
            if (c->caller != NONE) g->callee_off[c->caller + 1]++;
        }
    }
    free(def_to_fun);
    if (g->failed) return EXS_ERR_NOMEM;
    /* callers: sort resolved calls by target, one hash entry per run */
    call_key *keys = malloc(((size_t)resolved + 1) * sizeof(call_key));
    if (!keys) return EXS_ERR_NOMEM;
    for (uint32_t i = 0; i < resolved; i++) {
        const rcall *c = &g->calls[g->callers_order[i]];
        keys[i] = (call_key){c->tmod, c->name, c->arity, g->callers_order[i]};
    }
    qsort(keys, resolved, sizeof(call_key), cmp_target);
    for (uint32_t i = 0; i < resolved; i++) g->callers_order[i] = keys[i].idx;
    free(keys);
    if (!hmap_init(&g->callers_by_mfa, resolved / 2 + 1)) return EXS_ERR_NOMEM;
    for (uint32_t i = 0; i < resolved;) {
        const rcall *c = &g->calls[g->callers_order[i]];
        uint32_t j = i + 1;
        while (j < resolved) {
            const rcall *d = &g->calls[g->callers_order[j]];
            if (d->tmod != c->tmod || d->name != c->name || d->arity != c->arity) break;
            j++;
        }
        g->runs[g->run_count] = (run){i, j - i};
        if (!hmap_put(&g->callers_by_mfa, mfa_hash(c->tmod, c->name, c->arity), g->run_count++))
            return EXS_ERR_NOMEM;
        i = j;
    }
    /* callees: CSR by caller function, in call order (= file and source order) */
    for (uint32_t k = 0; k < g->fun_count; k++) g->callee_off[k + 1] += g->callee_off[k];
    uint32_t *fill = calloc((size_t)g->fun_count + 1, sizeof(uint32_t));
    if (!fill) return EXS_ERR_NOMEM;
    for (uint32_t i = 0; i < g->call_count; i++) {
        uint32_t k = g->calls[i].caller;
        if (k != NONE) g->callee_idx[g->callee_off[k] + fill[k]++] = i;
    }
    free(fill);
    /* complexity buckets (metrics were computed after the draft was made) */
    for (uint32_t k = 0; k < g->fun_count; k++) {
        const repo_file *f = g->files[g->funs[k].file];
        g->funs[k].cc = f->metrics ? f->metrics[g->funs[k].def].cc : 0;
    }
    uint32_t counts[METRICS_BUCKET_COUNT] = {0};
    for (uint32_t k = 0; k < g->fun_count; k++) counts[metrics_bucket(g->funs[k].cc)]++;
    g->bucket_off[0] = 0;
    for (unsigned b = 0; b < METRICS_BUCKET_COUNT; b++)
        g->bucket_off[b + 1] = g->bucket_off[b] + counts[b];
    uint32_t at[METRICS_BUCKET_COUNT];
    memcpy(at, g->bucket_off, sizeof(at));
    for (uint32_t k = 0; k < g->fun_count; k++)
        g->bucket_funs[at[metrics_bucket(g->funs[k].cc)]++] = k;
    cc_key *ck = malloc(((size_t)g->fun_count + 1) * sizeof(cc_key));
    if (!ck) return EXS_ERR_NOMEM;
    for (unsigned b = 0; b < METRICS_BUCKET_COUNT; b++) {
        uint32_t *part = g->bucket_funs + g->bucket_off[b];
        for (uint32_t i = 0; i < counts[b]; i++) ck[i] = (cc_key){g->funs[part[i]].cc, part[i]};
        qsort(ck, counts[b], sizeof(cc_key), cmp_cc);
        for (uint32_t i = 0; i < counts[b]; i++) part[i] = ck[i].idx;
    }
    free(ck);
    return g->failed ? EXS_ERR_NOMEM : EXS_OK;
}

/* ---- readers ---------------------------------------------------------------------- */

uint32_t repo_gen_file_count(const repo_gen *g) { return g->file_count; }
const repo_file *repo_gen_file(const repo_gen *g, uint32_t i) { return g->files[i]; }

static void fill_fun(const repo_gen *g, uint32_t idx, exs_function_info *out) {
    const rfun *r = &g->funs[idx];
    const repo_file *f = g->files[r->file];
    const defs_function *df = &f->defs.functions[r->def];
    memset(out, 0, sizeof(*out));
    out->module = f->defs.modules[df->module].name;
    out->name = df->name;
    out->arity = df->arity;
    out->kind = defs_fun_kind_name(df->kind);
    out->path = f->path;
    out->line = df->line;
    out->column = f->columns ? f->columns[r->def] : 0;
    out->clauses = df->clause_count;
    if (f->metrics) {
        const exs_metrics *m = &f->metrics[r->def];
        out->complexity = m->cc;
        out->cognitive = m->cognitive;
        out->nesting = m->nesting;
        out->lines = m->lines;
        out->last_line = m->last_line;
    }
    out->is_public = df->is_public;
    out->is_macro = df->is_macro;
    out->generated = df->generated;
    out->is_stdlib = f->layer == REPO_STDLIB;
    out->is_dep = f->layer == REPO_DEPS;
    out->node_id = df->clause_count ? df->clauses[0].node_id : 0;
}

/* Project first, then the stdlib layer. */
static uint32_t find_fun(const repo_gen *g, const char *module, const char *name,
                         uint32_t arity) {
    uint32_t m = intern_find(g, module), n = intern_find(g, name), best = NONE;
    if (m == NONE || n == NONE) return NONE;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->fun_by_mfa, mfa_hash(m, n, arity), &it); v != HMAP_NONE;
         v = hmap_next(&g->fun_by_mfa, &it)) {
        const rfun *r = &g->funs[v];
        if (r->module != m || r->name != n || r->arity != arity) continue;
        if (g->files[r->file]->layer == REPO_PROJECT) return v;
        if (best == NONE) best = v;
    }
    return best;
}

bool exs_snapshot_find_function(const exs_snapshot *snap, const char *module,
                                const char *name, uint32_t arity, exs_function_info *out) {
    const repo_gen *g = (const repo_gen *)snap;
    uint32_t v = find_fun(g, module, name, arity);
    if (v == NONE) return false;
    if (out) fill_fun(g, v, out);
    return true;
}

uint32_t repo_find_by_node(const repo_gen *g, uint64_t node_id, exs_function_info *out) {
    hmap_it it;
    for (uint32_t v = hmap_first(&g->fun_by_node, hash_u64(node_id), &it); v != HMAP_NONE;
         v = hmap_next(&g->fun_by_node, &it)) {
        const rfun *r = &g->funs[v];
        const defs_function *df = &g->files[r->file]->defs.functions[r->def];
        for (uint32_t c = 0; c < df->clause_count; c++)
            if (df->clauses[c].node_id == node_id) {
                if (out) fill_fun(g, v, out);
                return v;
            }
    }
    return NONE;
}


static void fill_call(const repo_gen *g, uint32_t idx, exs_call_info *out) {
    const rcall *c = &g->calls[idx];
    const repo_file *f = g->files[c->file];
    const calls_site *s = &f->calls.sites[c->site];
    memset(out, 0, sizeof(*out));
    out->path = f->path;
    out->line = s->line;
    out->column = s->column;
    if (s->caller_module < f->defs.module_count) out->caller_module = f->defs.modules[s->caller_module].name;
    if (s->caller_fun < f->defs.function_count) {
        const defs_function *df = &f->defs.functions[s->caller_fun];
        out->caller_module = f->defs.modules[df->module].name;
        out->caller_name = df->name;
        out->caller_arity = df->arity;
    }
    out->target_module = s->resolution != CALLS_UNRESOLVED ? s->target_module : s->module;
    out->name = s->name;
    out->arity = s->arity;
    out->resolution = calls_resolution_name((calls_resolution)s->resolution);
    out->is_dynamic = s->form == CALLS_DYNAMIC;
    out->node_id = s->node_id;
}

uint32_t exs_snapshot_callers(const exs_snapshot *snap, const char *module, const char *name,
                              uint32_t arity, exs_call_visit fn, void *ctx) {
    const repo_gen *g = (const repo_gen *)snap;
    uint32_t m = intern_find(g, module), n = intern_find(g, name), seen = 0;
    if (m == NONE || n == NONE) return 0;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->callers_by_mfa, mfa_hash(m, n, arity), &it);
         v != HMAP_NONE; v = hmap_next(&g->callers_by_mfa, &it)) {
        const run *rn = &g->runs[v];
        const rcall *c0 = &g->calls[g->callers_order[rn->start]];
        if (c0->tmod != m || c0->name != n || c0->arity != arity) continue;
        for (uint32_t i = 0; i < rn->count; i++) {
            uint32_t ci = g->callers_order[rn->start + i];
            if (g->files[g->calls[ci].file]->layer != REPO_PROJECT) continue;
            exs_call_info info;
            fill_call(g, ci, &info);
            seen++;
            if (fn && !fn(ctx, &info)) return seen;
        }
        break;
    }
    return seen;
}

uint32_t exs_snapshot_callees(const exs_snapshot *snap, const char *module, const char *name,
                              uint32_t arity, exs_call_visit fn, void *ctx) {
    const repo_gen *g = (const repo_gen *)snap;
    uint32_t k = find_fun(g, module, name, arity), seen = 0;
    if (k == NONE || !g->callee_off) return 0;
    for (uint32_t i = g->callee_off[k]; i < g->callee_off[k + 1]; i++) {
        exs_call_info info;
        fill_call(g, g->callee_idx[i], &info);
        seen++;
        if (fn && !fn(ctx, &info)) break;
    }
    return seen;
}

static void fill_mod(const repo_gen *g, uint32_t i, exs_module_info *out);

uint32_t exs_snapshot_modules(const exs_snapshot *snap, bool include_stdlib,
                              exs_module_visit fn, void *ctx) {
    const repo_gen *g = (const repo_gen *)snap;
    uint32_t seen = 0;
    for (uint32_t i = 0; i < g->mod_count; i++) {
        const rmod *m = &g->mods[i];
        const repo_file *f = g->files[m->file];
        if (f->layer != REPO_PROJECT && !include_stdlib) continue;
        exs_module_info info;
        fill_mod(g, i, &info);
        seen++;
        if (fn && !fn(ctx, &info)) break;
    }
    return seen;
}

static void fill_mod(const repo_gen *g, uint32_t i, exs_module_info *out) {
    const rmod *m = &g->mods[i];
    const repo_file *f = g->files[m->file];
    const defs_module *dm = &f->defs.modules[m->def];
    *out = (exs_module_info){
        .name = dm->name,
        .kind = defs_module_kind_name(dm->kind),
        .path = f->path,
        .line_first = dm->line_first,
        .line_last = dm->line_last,
        .column = f->mod_columns ? f->mod_columns[m->def] : 0,
        .function_count = m->fun_count,
        .is_stdlib = f->layer == REPO_STDLIB,
        .is_dep = f->layer == REPO_DEPS,
        .node_id = dm->node_id,
    };
}

uint32_t exs_snapshot_file_modules(const exs_snapshot *snap, const char *path,
                                   exs_module_visit fn, void *ctx) {
    const repo_gen *g = (const repo_gen *)snap;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->file_by_path, hash_str(path), &it); v != HMAP_NONE;
         v = hmap_next(&g->file_by_path, &it)) {
        if (strcmp(g->files[v]->path, path) != 0) continue;
        uint32_t seen = 0;
        for (uint32_t i = g->file_mod_first[v]; i < g->file_mod_first[v + 1]; i++) {
            exs_module_info info;
            fill_mod(g, i, &info);
            seen++;
            if (fn && !fn(ctx, &info)) break;
        }
        return seen;
    }
    return 0;
}

bool exs_snapshot_function_at(const exs_snapshot *snap, exs_node_id id,
                              exs_function_info *out) {
    return repo_find_by_node((const repo_gen *)snap, id, out) != NONE;
}

uint32_t exs_snapshot_functions(const exs_snapshot *snap, uint32_t min_complexity,
                                exs_function_visit fn, void *ctx) {
    const repo_gen *g = (const repo_gen *)snap;
    uint32_t seen = 0;
    if (!g->bucket_funs) return 0;
    unsigned low = metrics_bucket(min_complexity);
    for (int b = METRICS_BUCKET_COUNT - 1; b >= (int)low; b--)
        for (uint32_t i = g->bucket_off[b]; i < g->bucket_off[b + 1]; i++) {
            uint32_t k = g->bucket_funs[i];
            if (g->funs[k].cc < min_complexity) break; /* sorted descending */
            if (g->files[g->funs[k].file]->layer != REPO_PROJECT) continue;
            exs_function_info info;
            fill_fun(g, k, &info);
            seen++;
            if (fn && !fn(ctx, &info)) return seen;
        }
    return seen;
}

void exs_snapshot_stats(const exs_snapshot *snap, exs_repo_stats *out) {
    const repo_gen *g = (const repo_gen *)snap;
    memset(out, 0, sizeof(*out));
    out->generation = g->seq;
    for (uint32_t i = 0; i < g->file_count; i++) {
        const repo_file *f = g->files[i];
        out->files++;
        if (f->layer == REPO_STDLIB) out->stdlib_files++;
        if (f->layer == REPO_DEPS) out->deps_files++;
        if (f->has_error) out->error_files++;
        out->bytes_files += arena_reserved(f->arena) + sizeof(*f) + strlen(f->path) + 1;
        if (f->parsed) out->bytes_files += exs_file_memory(f->parsed);
    }
    out->modules = g->mod_count;
    out->functions = g->fun_count;
    out->calls = g->call_count;
    out->bytes_modules = (size_t)g->mod_count * sizeof(rmod) +
                         ((size_t)g->file_count + 1) * sizeof(uint32_t);
    out->bytes_functions = (size_t)g->fun_cap * sizeof(rfun);
    out->bytes_calls = (size_t)g->call_count * sizeof(rcall);
    out->bytes_indexes = hmap_bytes(&g->name_map) + hmap_bytes(&g->mod_by_name) +
                         hmap_bytes(&g->fun_by_mfa) + hmap_bytes(&g->fun_by_node) +
                         hmap_bytes(&g->file_by_path) + hmap_bytes(&g->callers_by_mfa) +
                         (size_t)g->name_cap * sizeof(char *) +
                         (size_t)g->call_count * (sizeof(uint32_t) * 2 + sizeof(run)) +
                         ((size_t)g->fun_count + 2) * sizeof(uint32_t) * 2 +
                         (size_t)g->file_count * sizeof(repo_file *);
    out->bytes_total = out->bytes_files + out->bytes_modules + out->bytes_functions +
                       out->bytes_calls + out->bytes_indexes + sizeof(*g);
}

exs_status exs_repo_remove_file(exs_repo *r, const char *path) {
    repo_gen *cur = repo_acquire(r);
    bool found = false;
    hmap_it it;
    for (uint32_t v = hmap_first(&cur->file_by_path, hash_str(path), &it); v != HMAP_NONE;
         v = hmap_next(&cur->file_by_path, &it))
        if (strcmp(cur->files[v]->path, path) == 0) found = true;
    repo_gen_release(cur);
    if (!found) return EXS_ERR_ARG;
    repo_gen *g = repo_draft(r, NULL, 0, &path, 1, true);
    if (!g) return EXS_ERR_NOMEM;
    if (repo_draft_finish(g) != EXS_OK) {
        repo_gen_release(g);
        return EXS_ERR_NOMEM;
    }
    repo_publish(r, g);
    return EXS_OK;
}

/* ---- row access for the query executor (new accessors; nothing above uses them) ---- */

uint32_t repo_gen_fun_count(const repo_gen *g) { return g->fun_count; }
uint32_t repo_gen_mod_count(const repo_gen *g) { return g->mod_count; }
uint32_t repo_gen_call_count(const repo_gen *g) { return g->call_count; }
void repo_gen_fun_info(const repo_gen *g, uint32_t i, exs_function_info *out) {
    fill_fun(g, i, out);
}
void repo_gen_mod_info(const repo_gen *g, uint32_t i, exs_module_info *out) {
    fill_mod(g, i, out);
}
void repo_gen_call_info(const repo_gen *g, uint32_t i, exs_call_info *out) {
    fill_call(g, i, out);
}
uint32_t repo_gen_fun_file(const repo_gen *g, uint32_t i) { return g->funs[i].file; }
uint32_t repo_gen_mod_file(const repo_gen *g, uint32_t i) { return g->mods[i].file; }
uint32_t repo_gen_call_file(const repo_gen *g, uint32_t i) { return g->calls[i].file; }
uint32_t repo_gen_call_caller(const repo_gen *g, uint32_t i) { return g->calls[i].caller; }

uint32_t repo_gen_find_fun(const repo_gen *g, const char *module, const char *name,
                           uint32_t arity) {
    return find_fun(g, module, name, arity);
}

uint32_t repo_gen_find_funs(const repo_gen *g, const char *module, const char *name,
                            uint32_t arity, uint32_t *out, uint32_t cap) {
    uint32_t m = intern_find(g, module), n = intern_find(g, name), count = 0;
    if (m == NONE || n == NONE) return 0;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->fun_by_mfa, mfa_hash(m, n, arity), &it); v != HMAP_NONE;
         v = hmap_next(&g->fun_by_mfa, &it)) {
        const rfun *r = &g->funs[v];
        if (r->module != m || r->name != n || r->arity != arity) continue;
        if (count < cap) out[count] = v;
        count++;
    }
    return count;
}

uint32_t repo_gen_find_mods(const repo_gen *g, const char *name, uint32_t *out, uint32_t cap) {
    uint32_t m = intern_find(g, name), count = 0;
    if (m == NONE) return 0;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->mod_by_name, hash_u64(m), &it); v != HMAP_NONE;
         v = hmap_next(&g->mod_by_name, &it)) {
        if (g->mods[v].name != m) continue;
        if (count < cap) out[count] = v;
        count++;
    }
    return count;
}

uint32_t repo_gen_find_file(const repo_gen *g, const char *path) {
    hmap_it it;
    for (uint32_t v = hmap_first(&g->file_by_path, hash_str(path), &it); v != HMAP_NONE;
         v = hmap_next(&g->file_by_path, &it))
        if (strcmp(g->files[v]->path, path) == 0) return v;
    return NONE;
}

uint32_t repo_gen_file_mods(const repo_gen *g, uint32_t file, uint32_t *out_first) {
    *out_first = g->file_mod_first[file];
    return g->file_mod_first[file + 1] - g->file_mod_first[file];
}

uint32_t repo_gen_mod_funs(const repo_gen *g, uint32_t mod, uint32_t *out_first) {
    *out_first = g->mods[mod].fun_first;
    return g->mods[mod].fun_count;
}

uint32_t repo_gen_callers_of(const repo_gen *g, const char *module, const char *name,
                             uint32_t arity, const uint32_t **out_calls) {
    *out_calls = NULL;
    uint32_t m = intern_find(g, module), n = intern_find(g, name);
    if (m == NONE || n == NONE) return 0;
    hmap_it it;
    for (uint32_t v = hmap_first(&g->callers_by_mfa, mfa_hash(m, n, arity), &it);
         v != HMAP_NONE; v = hmap_next(&g->callers_by_mfa, &it)) {
        const run *rn = &g->runs[v];
        const rcall *c0 = &g->calls[g->callers_order[rn->start]];
        if (c0->tmod != m || c0->name != n || c0->arity != arity) continue;
        *out_calls = g->callers_order + rn->start;
        return rn->count;
    }
    return 0;
}

uint32_t repo_gen_callees_of(const repo_gen *g, uint32_t fun, const uint32_t **out_calls) {
    *out_calls = NULL;
    if (!g->callee_off || fun >= g->fun_count) return 0;
    *out_calls = g->callee_idx + g->callee_off[fun];
    return g->callee_off[fun + 1] - g->callee_off[fun];
}

uint32_t repo_gen_bucket_funs(const repo_gen *g, unsigned bucket, const uint32_t **out_funs) {
    *out_funs = NULL;
    if (!g->bucket_funs || bucket >= METRICS_BUCKET_COUNT) return 0;
    *out_funs = g->bucket_funs + g->bucket_off[bucket];
    return g->bucket_off[bucket + 1] - g->bucket_off[bucket];
}
