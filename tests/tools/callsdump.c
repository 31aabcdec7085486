/* callsdump.c: prints the call sites of the given files, resolved against the exports of
 * all of them (src/analyze/calls.c).
 *
 *   callsdump [--all] [--defs] [--tsv] [--stdin] FILE|DIR...
 *
 * Directories are searched for *.ex / *.exs files (recursively, sorted). Every file is
 * parsed and its definitions extracted, `use`/@derive applied across all files
 * (expand_apply); an in-memory lookup of every public, non-dynamic definition answers
 * calls_resolve (`use M` adds the imports of M's __using__). Output, one line per site:
 *   CALLER_MFA -> TARGET_MFA FORM[+piped][+captured] RESOLUTION [macro] FILE:LINE:COL
 * CALLER_MFA is Mod.fun/arity, or Mod (module level), or - (outside modules); TARGET_MFA
 * is Mod.fun/arity, or ?Mod.fun/arity / ?fun/arity / ?.() when unresolved. Sites that
 * resolve to special forms are left out unless --all. --defs also prints
 * "def Mod.fun/arity KIND [generated]" for every definition. --tsv prints, tab-separated
 * (names may contain dots), for the oracle (tests/analyze/calls_oracle.sh):
 *   D  MOD  NAME/ARITY  KIND  written|generated          every definition
 *   E  CALLER_MOD  NAME/ARITY  TARGET_MOD  NAME/ARITY  RESOLUTION  function|macro
 *                                                       every resolved site in a function
 * Exit 1 if a file cannot be read or parsed (the others are still printed). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/calls.h"
#include "analyze/defs.h"
#include "analyze/expand.h"
#include "exscope.h"
#include "parse/parse.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *nb = realloc(buf, cap *= 2);
        if (!nb) free(buf);
        buf = nb;
    }
    fclose(f);
    *len = n;
    return buf;
}

typedef struct {
    char *path;
    exs_file *f;
    exs_arena *a;
    defs_result r;
    calls_result calls;
} loaded;

typedef struct {
    loaded *v;
    size_t n, cap;
} files;

static int load(const char *path, files *fs) {
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
        perror(path);
        return 1;
    }
    exs_error err;
    exs_parse_options o = {.columns = true};
    exs_file *f;
    exs_status st = exs_parse(src, len, path, &o, &f, &err);
    free(src);
    if (st != EXS_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.column, err.message);
        return 1;
    }
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 64;
        loaded *nv = realloc(fs->v, fs->cap * sizeof(loaded));
        if (!nv) return 1;
        fs->v = nv;
    }
    loaded *l = &fs->v[fs->n];
    memset(l, 0, sizeof(*l));
    l->f = f;
    l->a = arena_new(1 << 14);
    l->path = strdup(path);
    if (!l->a || !l->path ||
        defs_extract(parse_file_tree(f), parse_file_ids(f), l->a, &l->r) != EXS_OK) {
        fprintf(stderr, "%s: out of memory\n", path);
        arena_free(l->a);
        exs_file_free(f);
        free(l->path);
        return 1;
    }
    fs->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_ext(const char *p, const char *ext) {
    size_t n = strlen(p), e = strlen(ext);
    return n > e && strcmp(p + n - e, ext) == 0;
}

static int add_path(const char *path, files *fs) {
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) return load(path, fs);
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof(char *));
            if (!nn) break;
            names = nn;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) break;
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof(char *), cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat s2;
        if (stat(names[i], &s2) == 0 &&
            (S_ISDIR(s2.st_mode) || has_ext(names[i], ".ex") || has_ext(names[i], ".exs")))
            rc |= add_path(names[i], fs);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- the export lookup: a hash set of "Mod\0name\0arity" ---------------------------- */

typedef struct {
    const char *module, *name;
    uint32_t arity;
    uint8_t kind;
} export_ent;

typedef struct {
    export_ent *slots;
    size_t cap;
} export_set;

static uint64_t hkey(const char *m, const char *n, uint32_t a) {
    uint64_t h = 1469598103934665603ull;
    for (; *m; m++) h = (h ^ (uint8_t)*m) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (; *n; n++) h = (h ^ (uint8_t)*n) * 1099511628211ull;
    return (h ^ a) * 1099511628211ull;
}

static export_ent *slot(export_set *s, const char *m, const char *n, uint32_t a) {
    size_t i = hkey(m, n, a) & (s->cap - 1);
    while (s->slots[i].module && !(s->slots[i].arity == a && strcmp(s->slots[i].module, m) == 0 &&
                                   strcmp(s->slots[i].name, n) == 0))
        i = (i + 1) & (s->cap - 1);
    return &s->slots[i];
}

static bool lk_exports(void *ctx, const char *module, const char *name, uint32_t arity,
                       uint8_t *kind_out) {
    export_ent *e = slot(ctx, module, name, arity);
    if (!e->module) return false;
    if (kind_out) *kind_out = e->kind;
    return true;
}

static uint32_t lk_exports_of(void *ctx, const char *module, const char **names_out,
                              uint32_t *arities_out, uint32_t cap) {
    export_set *s = ctx;
    uint32_t k = 0;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].module || strcmp(s->slots[i].module, module) != 0) continue;
        if (names_out && k < cap) {
            names_out[k] = s->slots[i].name;
            arities_out[k] = s->slots[i].arity;
        }
        k++;
    }
    return names_out && k > cap ? cap : k;
}

/* `use M`: the usings entry of M in any file (linear: few modules have one). */
static const files *using_files;
static const calls_import *lk_using(void *ctx, const char *module) {
    (void)ctx;
    for (size_t i = 0; i < using_files->n; i++) {
        const loaded *l = &using_files->v[i];
        for (uint32_t k = 0; k < l->calls.using_count; k++) {
            const char *m = l->r.modules[l->calls.usings[k].module].name;
            if (m && strcmp(m, module) == 0) return l->calls.usings[k].imports;
        }
    }
    return NULL;
}

static const char *mfa_caller(const defs_result *r, const calls_site *x, char *buf, size_t n) {
    if (x->caller_module == DEFS_NONE) return "-";
    const char *m = r->modules[x->caller_module].name ? r->modules[x->caller_module].name : "?";
    if (x->caller_fun == DEFS_NONE) {
        snprintf(buf, n, "%s", m);
    } else {
        const defs_function *f = &r->functions[x->caller_fun];
        snprintf(buf, n, "%s.%s/%u", m, f->name ? f->name : "?", f->arity);
    }
    return buf;
}

int main(int argc, char **argv) {
    bool all = false, defs = false, from_stdin = false, tsv = false;
    int rc = 0;
    files fs = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0) all = true;
        else if (strcmp(argv[i], "--defs") == 0) defs = true;
        else if (strcmp(argv[i], "--tsv") == 0) tsv = true;
        else if (strcmp(argv[i], "--stdin") == 0) from_stdin = true;
        else rc |= add_path(argv[i], &fs);
    }
    if (from_stdin) {
        char line[4096];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = 0;
            if (line[0]) rc |= add_path(line, &fs);
        }
    }
    defs_result **rs = malloc((fs.n ? fs.n : 1) * sizeof(*rs));
    exs_arena **as = malloc((fs.n ? fs.n : 1) * sizeof(*as));
    if (!rs || !as) return 1;
    size_t nexp = 0;
    for (size_t i = 0; i < fs.n; i++) {
        rs[i] = &fs.v[i].r;
        as[i] = fs.v[i].a;
    }
    if (expand_apply(rs, as, fs.n) != EXS_OK) {
        fprintf(stderr, "callsdump: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < fs.n; i++) nexp += fs.v[i].r.function_count;
    export_set set = {0};
    set.cap = 64;
    while (set.cap < nexp * 2 + 2) set.cap *= 2;
    set.slots = calloc(set.cap, sizeof(export_ent));
    if (!set.slots) return 1;
    for (size_t i = 0; i < fs.n; i++) {
        const defs_result *r = &fs.v[i].r;
        for (uint32_t k = 0; k < r->function_count; k++) {
            const defs_function *f = &r->functions[k];
            const char *m = r->modules[f->module].name;
            if (!f->is_public || f->dynamic || f->in_using || !m || !f->name) continue;
            export_ent *e = slot(&set, m, f->name, f->arity);
            if (e->module) continue;
            *e = (export_ent){m, f->name, f->arity, f->kind};
        }
    }
    calls_lookup lk = {lk_exports, lk_exports_of, &set};
    /* all files are extracted first: `use M` resolves through M's file's usings */
    for (size_t i = 0; i < fs.n; i++) {
        loaded *l = &fs.v[i];
        const exs_tree *t = parse_file_tree(l->f);
        if (calls_extract(t, parse_file_ids(l->f), &l->r, l->a, &l->calls) != EXS_OK) {
            fprintf(stderr, "%s: out of memory\n", l->path);
            rc = 1;
        }
    }
    using_files = &fs;
    for (size_t i = 0; i < fs.n; i++) {
        loaded *l = &fs.v[i];
        calls_resolve_using(&l->calls, &l->r, &lk, lk_using);
        if (tsv) {
            const defs_result *r = &l->r;
            for (uint32_t k = 0; k < r->function_count; k++) {
                const defs_function *f = &r->functions[k];
                const char *m = r->modules[f->module].name;
                if (!m || !f->name || f->in_using) continue;
                printf("D\t%s\t%s/%u\t%s\t%s\n", m, f->name, f->arity, defs_fun_kind_name(f->kind),
                       f->generated ? "generated" : "written");
            }
            for (uint32_t k = 0; k < l->calls.site_count; k++) {
                const calls_site *x = &l->calls.sites[k];
                if (x->resolution == CALLS_UNRESOLVED || x->resolution == CALLS_TO_SPECIAL_FORM ||
                    x->caller_fun == DEFS_NONE || !r->modules[x->caller_module].name)
                    continue;
                const defs_function *f = &r->functions[x->caller_fun];
                if (!f->name) continue;
                printf("E\t%s\t%s/%u\t%s\t%s/%u\t%s\t%s\n", r->modules[x->caller_module].name,
                       f->name, f->arity, x->target_module, x->name, x->arity,
                       calls_resolution_name((calls_resolution)x->resolution),
                       x->target_is_macro ? "macro" : "function");
            }
            continue;
        }
        if (defs) {
            for (uint32_t k = 0; k < l->r.function_count; k++) {
                const defs_function *f = &l->r.functions[k];
                const char *m = l->r.modules[f->module].name;
                if (!m || !f->name || f->in_using) continue;
                printf("def %s.%s/%u %s%s\n", m, f->name, f->arity, defs_fun_kind_name(f->kind),
                       f->generated ? " generated" : "");
            }
        }
        for (uint32_t k = 0; k < l->calls.site_count; k++) {
            const calls_site *x = &l->calls.sites[k];
            if (x->resolution == CALLS_TO_SPECIAL_FORM && !all) continue;
            char cb[512], tb[512], ab[16];
            if (x->arity == CALLS_ARITY_UNKNOWN) snprintf(ab, sizeof ab, "?");
            else snprintf(ab, sizeof ab, "%u", x->arity);
            if (x->resolution != CALLS_UNRESOLVED)
                snprintf(tb, sizeof tb, "%s.%s/%s", x->target_module, x->name, ab);
            else if (x->module)
                snprintf(tb, sizeof tb, "?%s.%s/%s", x->module, x->name, ab);
            else if (x->name[0])
                snprintf(tb, sizeof tb, "?%s/%s", x->name, ab);
            else
                snprintf(tb, sizeof tb, "?.()/%s", ab);
            printf("%s -> %s %s%s%s %s%s %s:%u:%u\n", mfa_caller(&l->r, x, cb, sizeof cb), tb,
                   calls_form_name((calls_form)x->form), x->piped ? "+piped" : "",
                   x->captured ? "+captured" : "",
                   calls_resolution_name((calls_resolution)x->resolution),
                   x->target_is_macro ? " macro" : "", l->path, x->line, x->column);
        }
    }
    for (size_t i = 0; i < fs.n; i++) {
        arena_free(fs.v[i].a);
        exs_file_free(fs.v[i].f);
        free(fs.v[i].path);
    }
    free(set.slots);
    free(rs);
    free(as);
    free(fs.v);
    return rc;
}
