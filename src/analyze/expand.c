/* expand.c: definitions that macros of other files make: `use M` and `@derive P`.
 *
 * Design: `use M` expands M.__using__/1 at compile time; what it defines cannot be
 * known from the using file alone. defs_extract keeps, for each module defining
 * `defmacro __using__`, the definitions of the quote that macro returns (in_using
 * templates); here a module's `use` directives pick those templates up by module name
 * (as written, __MODULE__ resolved; aliases are not followed). Templates whose name
 * is dynamic are skipped; nested `use` inside a __using__ quote is not followed.
 * A derived impl (`@derive P` before defstruct; a generated impl module) gets the
 * protocol's functions (its def heads), found by the protocol's name.
 *
 * Invariant kept: a result's functions stay grouped by module, in module order, each
 * module's added functions after its own. The new function array is allocated in the
 * result's arena; the old one stays there unused until the arena is freed.
 *
 * Called by the populator after all files of a batch are extracted, and by
 * tests/tools/defsdump.c. */
#include "expand.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *module;
    const defs_function *funs; /* the provider module's functions (old array) */
    uint32_t count;
} provider;

typedef struct {
    uint32_t module;
    const defs_function *tmpl;
} added;

static bool defines(const defs_result *r, uint32_t module, const char *name, uint32_t arity,
                    const added *add, uint32_t nadd) {
    for (uint32_t i = 0; i < r->function_count; i++) {
        const defs_function *f = &r->functions[i];
        if (f->module == module && !f->in_using && f->name && f->arity == arity &&
            strcmp(f->name, name) == 0)
            return true;
    }
    for (uint32_t i = 0; i < nadd; i++)
        if (add[i].module == module && add[i].tmpl->arity == arity &&
            strcmp(add[i].tmpl->name, name) == 0)
            return true;
    return false;
}

static bool push(added **add, uint32_t *nadd, uint32_t *cap, uint32_t m, const defs_function *t) {
    if (*nadd == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        added *na = realloc(*add, *cap * sizeof(added));
        if (!na) return false;
        *add = na;
    }
    (*add)[(*nadd)++] = (added){m, t};
    return true;
}

static exs_status apply_one(defs_result *r, exs_arena *a, const provider *pv, uint32_t npv,
                            const provider *protos, uint32_t nprotos) {
    added *add = NULL;
    uint32_t nadd = 0, cap = 0;
    for (uint32_t m = 0; m < r->module_count; m++) {
        const defs_module *mod = &r->modules[m];
        if (mod->generated && mod->kind == DEFS_MOD_IMPL && mod->protocol) {
            for (uint32_t p = 0; p < nprotos; p++) {
                if (strcmp(protos[p].module, mod->protocol) != 0) continue;
                for (uint32_t k = 0; k < protos[p].count; k++) {
                    const defs_function *t = &protos[p].funs[k];
                    /* the protocol's own def heads, not __protocol__/impl_for */
                    if (t->clause_count == 0 || !t->name || t->in_using) continue;
                    if (defines(r, m, t->name, t->arity, add, nadd)) continue;
                    if (!push(&add, &nadd, &cap, m, t)) {
                        free(add);
                        return EXS_ERR_NOMEM;
                    }
                }
            }
        }
        for (uint32_t d = 0; d < mod->directive_count; d++) {
            const defs_directive *dir = &mod->directives[d];
            if (dir->kind != DEFS_USE || !dir->target) continue;
            for (uint32_t p = 0; p < npv; p++) {
                if (strcmp(pv[p].module, dir->target) != 0) continue;
                for (uint32_t k = 0; k < pv[p].count; k++) {
                    const defs_function *t = &pv[p].funs[k];
                    if (!t->in_using || !t->name || t->dynamic) continue;
                    if (defines(r, m, t->name, t->arity, add, nadd)) continue;
                    if (!push(&add, &nadd, &cap, m, t)) {
                        free(add);
                        return EXS_ERR_NOMEM;
                    }
                }
            }
        }
    }
    if (nadd == 0) return EXS_OK;
    uint32_t total = r->function_count + nadd;
    defs_function *out = arena_alloc(a, (size_t)total * sizeof(defs_function));
    if (!out) {
        free(add);
        return EXS_ERR_NOMEM;
    }
    uint32_t o = 0, i = 0;
    for (uint32_t m = 0; m < r->module_count; m++) {
        while (i < r->function_count && r->functions[i].module == m) out[o++] = r->functions[i++];
        for (uint32_t k = 0; k < nadd; k++) {
            if (add[k].module != m) continue;
            defs_function f = *add[k].tmpl;
            f.module = m;
            /* the provider's arena may be freed first */
            f.name = arena_strndup(a, f.name, strlen(f.name));
            f.impl = f.impl ? arena_strndup(a, f.impl, strlen(f.impl)) : NULL;
            if (!f.name) {
                free(add);
                return EXS_ERR_NOMEM;
            }
            f.generated = true;
            f.in_using = false;
            f.has_spec = false;
            f.clauses = NULL; /* the clauses are in the provider's file */
            f.clause_count = 0;
            f.line = r->modules[m].line_first;
            for (uint32_t d = 0; d < r->modules[m].directive_count; d++)
                if (r->modules[m].directives[d].kind == DEFS_USE) {
                    f.line = r->modules[m].directives[d].line;
                    break;
                }
            out[o++] = f;
        }
    }
    while (i < r->function_count) out[o++] = r->functions[i++];
    free(add);
    r->functions = out;
    r->function_count = o;
    return EXS_OK;
}

exs_status expand_apply(defs_result *const *results, exs_arena *const *arenas, size_t count) {
    provider *pv = NULL, *protos = NULL;
    uint32_t npv = 0, cap = 0, nproto = 0, pcap = 0;
    for (size_t i = 0; i < count; i++) {
        const defs_result *r = results[i];
        for (uint32_t f = 0; f < r->function_count;) {
            uint32_t m = r->functions[f].module, first = f;
            while (f < r->function_count && r->functions[f].module == m) f++;
            bool has = false;
            for (uint32_t k = first; k < f; k++) has |= r->functions[k].in_using;
            if (!r->modules[m].name) continue;
            if (r->modules[m].kind == DEFS_MOD_PROTOCOL) {
                if (nproto == pcap) {
                    pcap = pcap ? pcap * 2 : 16;
                    provider *np = realloc(protos, pcap * sizeof(provider));
                    if (!np) {
                        free(pv);
                        free(protos);
                        return EXS_ERR_NOMEM;
                    }
                    protos = np;
                }
                protos[nproto++] = (provider){r->modules[m].name, &r->functions[first], f - first};
            }
            if (!has) continue;
            if (npv == cap) {
                cap = cap ? cap * 2 : 16;
                provider *np = realloc(pv, cap * sizeof(provider));
                if (!np) {
                    free(pv);
                    free(protos);
                    return EXS_ERR_NOMEM;
                }
                pv = np;
            }
            pv[npv++] = (provider){r->modules[m].name, &r->functions[first], f - first};
        }
    }
    /* Providers point into the function arrays as they were: apply_one replaces a
     * result's array with a new one but the old stays allocated in its arena. */
    exs_status st = EXS_OK;
    for (size_t i = 0; i < count && st == EXS_OK; i++) st = apply_one(results[i], arenas[i], pv, npv, protos, nproto);
    free(pv);
    free(protos);
    return st;
}
