/* checks.c: the built-in checks over one function's CPG (checks.h, docs/cpg.md).
 *
 * Design: each check is a small reader of the joined graph.
 *   - unused-variable: the DFG's own finding (a definition no use reaches), reported
 *     where Elixir 1.14 warns; functions inside `quote` templates are skipped (their
 *     variables are hygienic).
 *   - branch-variable: per case/cond/receive clause list and per if/unless do/else
 *     pair, the names bound in a branch body and read by no use (DFG use counts); a
 *     name in that set for every branch (>= 2) is reported once, at the construct.
 *   - unreachable-clause: the CFG marks clauses no path reaches; one after a reachable
 *     clause of the same list (def clauses, case/cond/fn arrows) is behind a catch-all.
 *   - n-plus-one, string-to-atom, apply-from-parameter: one walk of the clause ASTs
 *     carrying the innermost loop (an Enum.* callback or a `for` body); `quote`
 *     bodies are not walked (not code of this function). apply/3's module/function
 *     argument is "from a parameter" when its DFG definition is a head pattern; without
 *     a DFG, when its name is bound in the clause head (syntactic approximation).
 * Invariant: findings are sorted by (line, column, check) when checks_run returns.
 * Called by the store's check runner (src/store/graphs.c) and the tests. */
#include "checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
#define X(name, str, doc) str,
    CHECK_KINDS(X)
#undef X
};
static const char *const docs[] = {
#define X(name, str, doc) doc,
    CHECK_KINDS(X)
#undef X
};

const char *check_name(check_kind k) { return k < CHECK__COUNT ? names[k] : "?"; }
const char *check_doc(check_kind k) { return k < CHECK__COUNT ? docs[k] : "?"; }

check_kind check_by_name(const char *name) {
    for (int k = 0; k < CHECK__COUNT; k++)
        if (strcmp(names[k], name) == 0) return (check_kind)k;
    return CHECK__COUNT;
}

void check_list_free(check_list *l) {
    free(l->items);
    memset(l, 0, sizeof(*l));
}

typedef struct ctx {
    const cpg_graph *g;
    const exs_tree *t;
    uint32_t mask;
    check_list *out;
    /* the walk */
    const char *loop; /* innermost loop: "an Enum.map/2 callback", "a for body" */
    char loop_buf[96];
    exs_ref clause; /* the def call of the clause being walked */
    const checks_env *env;
} ctx;

__attribute__((format(printf, 6, 7))) static void
report(ctx *c, check_kind k, uint32_t line, uint32_t column, uint64_t id, const char *fmt, ...) {
    check_list *l = c->out;
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        check_finding *p = realloc(l->items, (size_t)cap * sizeof(*p));
        if (!p) {
            l->failed = true;
            return;
        }
        l->items = p;
        l->cap = cap;
    }
    check_finding *f = &l->items[l->count++];
    f->check = (uint8_t)k;
    f->line = line;
    f->column = column;
    f->node_id = id;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof(f->message), fmt, ap);
    va_end(ap);
}

/* ---- AST helpers ------------------------------------------------------------------ */

static const exs_term *T(const ctx *c, exs_ref r) { return tree_get(c->t, r); }

static bool is_node(const ctx *c, exs_ref r) { return tree_is_call(c->t, r); }

static exs_ref kid(const ctx *c, exs_ref r, uint32_t i) { return T(c, r)->v.kids[i]; }

/* The argument list of an AST node, or NULL (a variable: atom context). */
static const exs_term *args_of(const ctx *c, exs_ref r) {
    const exs_term *a = T(c, kid(c, r, 2));
    return a->kind == EXS_TERM_LIST ? a : NULL;
}

static bool head_is(const ctx *c, exs_ref r, const char *atom) {
    return is_node(c, r) && tree_is_atom(c->t, kid(c, r, 0), atom);
}

static bool is_var(const ctx *c, exs_ref r) {
    return is_node(c, r) && T(c, kid(c, r, 0))->kind == EXS_TERM_ATOM &&
           T(c, kid(c, r, 2))->kind == EXS_TERM_ATOM;
}

static const char *var_name(const ctx *c, exs_ref r) { return T(c, kid(c, r, 0))->v.s; }

/* `Mod.fun(...)`: the module term and function name, false otherwise. */
static bool remote(const ctx *c, exs_ref r, exs_ref *mod, const char **fun) {
    if (!is_node(c, r)) return false;
    exs_ref d = kid(c, r, 0);
    if (!head_is(c, d, ".")) return false;
    const exs_term *da = args_of(c, d);
    if (!da || da->len != 2 || T(c, da->v.kids[1])->kind != EXS_TERM_ATOM) return false;
    *mod = da->v.kids[0];
    *fun = T(c, da->v.kids[1])->v.s;
    return true;
}

/* The last segment of an alias `A.B.C` ("C"), or the name of an atom module; NULL. */
static const char *alias_last(const ctx *c, exs_ref mod, uint32_t *segs) {
    *segs = 0;
    if (T(c, mod)->kind == EXS_TERM_ATOM) return T(c, mod)->v.s;
    if (!head_is(c, mod, "__aliases__")) return NULL;
    const exs_term *a = args_of(c, mod);
    if (!a || !a->len || T(c, a->v.kids[a->len - 1])->kind != EXS_TERM_ATOM) return NULL;
    for (uint32_t i = 0; i < a->len; i++)
        if (T(c, a->v.kids[i])->kind != EXS_TERM_ATOM) return NULL;
    *segs = a->len;
    return T(c, a->v.kids[a->len - 1])->v.s;
}

/* An alias of exactly one segment `name` (or the atom Elixir.<name>). */
static bool alias_is(const ctx *c, exs_ref mod, const char *name) {
    uint32_t segs;
    const char *last = alias_last(c, mod, &segs);
    if (!last) return false;
    if (segs == 1) return strcmp(last, name) == 0;
    return segs == 0 && strncmp(last, "Elixir.", 7) == 0 && strcmp(last + 7, name) == 0;
}

static uint32_t meta_u(const ctx *c, exs_ref r, exs_meta_key k) {
    if (!is_node(c, r)) return 0;
    int64_t v = tree_meta_int(c->t, r, k);
    return v > 0 ? (uint32_t)v : 0;
}

/* Where a call starts: the module alias of a remote call, else the call. */
static void where(const ctx *c, exs_ref call, exs_ref mod, uint32_t *line, uint32_t *col) {
    *line = meta_u(c, call, EXS_META_LINE);
    *col = meta_u(c, call, EXS_META_COLUMN);
    if (mod != EXS_REF_NONE && meta_u(c, mod, EXS_META_LINE)) {
        *line = meta_u(c, mod, EXS_META_LINE);
        *col = meta_u(c, mod, EXS_META_COLUMN);
    }
}

static uint64_t id_of(const ctx *c, exs_ref r) { return c->g->ids[r]; }

/* The last argument when it is a keyword list with `do:` (do-blocks), else NONE. */
static exs_ref do_block(const ctx *c, exs_ref call) {
    const exs_term *a = args_of(c, call);
    if (!a || !a->len) return EXS_REF_NONE;
    exs_ref last = a->v.kids[a->len - 1];
    return tree_kw_get(c->t, last, "do") != EXS_REF_NONE ? last : EXS_REF_NONE;
}

/* ---- unused-variable --------------------------------------------------------------- */

static void check_unused(ctx *c) {
    const cpg_graph *g = c->g;
    if (!g->has_dfg || g->in_template) return;
    for (uint32_t i = 0; i < g->var_count; i++) {
        const cpg_var *v = &g->vars[i];
        if (!v->is_unused) continue;
        report(c, CHECK_UNUSED_VARIABLE, v->line, v->column, id_of(c, v->ref),
               "variable \"%s\" is unused", v->name);
    }
}

/* ---- branch-variable ---------------------------------------------------------------- */

#define MAX_NAMES 64

typedef struct nameset {
    const char *name[MAX_NAMES];
    bool read[MAX_NAMES];
    uint32_t count;
} nameset;

static void ns_add(nameset *s, const char *name, bool read) {
    for (uint32_t i = 0; i < s->count; i++)
        if (strcmp(s->name[i], name) == 0) {
            s->read[i] |= read;
            return;
        }
    if (s->count < MAX_NAMES) {
        s->name[s->count] = name;
        s->read[s->count++] = read;
    }
}

static bool ns_unread(const nameset *s, const char *name) {
    for (uint32_t i = 0; i < s->count; i++)
        if (strcmp(s->name[i], name) == 0) return !s->read[i];
    return false;
}

/* The variables a branch body binds (not inside nested fn/quote), read or not. */
static void branch_defs(const ctx *c, exs_ref r, nameset *s) {
    const exs_term *n = T(c, r);
    if (is_node(c, r)) {
        if (head_is(c, r, "fn") || head_is(c, r, "quote")) return;
        uint32_t v = cpg_find_ref(c->g, r);
        if (v != CPG_NONE && (c->g->nodes[v].flags & CPG_NF_VAR_DEF)) {
            const cpg_var *var = &c->g->vars[c->g->nodes[v].aux];
            if (var->name && var->name[0] != '_') ns_add(s, var->name, var->use_count > 0);
            return;
        }
    }
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE)
        for (uint32_t i = 0; i < n->len; i++)
            branch_defs(c, n->v.kids[i], s);
}

static void branches(ctx *c, exs_ref construct, const char *what, const exs_ref *bodies,
                     uint32_t count) {
    if (count < 2) return;
    nameset *sets = calloc(count, sizeof(nameset));
    if (!sets) {
        c->out->failed = true;
        return;
    }
    for (uint32_t i = 0; i < count; i++)
        branch_defs(c, bodies[i], &sets[i]);
    for (uint32_t k = 0; k < sets[0].count; k++) {
        if (sets[0].read[k]) continue;
        const char *name = sets[0].name[k];
        bool all = true;
        for (uint32_t i = 1; i < count && all; i++)
            all = ns_unread(&sets[i], name);
        if (!all) continue;
        report(c, CHECK_BRANCH_VARIABLE, meta_u(c, construct, EXS_META_LINE),
               meta_u(c, construct, EXS_META_COLUMN), id_of(c, construct),
               "variable \"%s\" is bound in every branch of %s but never read (bindings "
               "inside %s do not leak out: return the value instead)",
               name, what, what);
    }
    free(sets);
}

/* The bodies of a construct's branches, if it is one. */
static void branch_construct(ctx *c, exs_ref r) {
    static const char *const arrow_forms[] = {"case", "cond", "receive"};
    exs_ref blk = do_block(c, r);
    if (blk == EXS_REF_NONE) return;
    const char *what = T(c, kid(c, r, 0))->v.s;
    exs_ref bodies[256];
    uint32_t n = 0;
    for (size_t f = 0; f < 3; f++) {
        if (!head_is(c, r, arrow_forms[f])) continue;
        const exs_term *arrows = T(c, tree_kw_get(c->t, blk, "do"));
        if (arrows->kind != EXS_TERM_LIST) return;
        for (uint32_t i = 0; i < arrows->len && n < 256; i++) {
            exs_ref a = arrows->v.kids[i];
            if (!head_is(c, a, "->") || !args_of(c, a) || args_of(c, a)->len != 2) return;
            bodies[n++] = args_of(c, a)->v.kids[1];
        }
        branches(c, r, what, bodies, n);
        return;
    }
    if (head_is(c, r, "if") || head_is(c, r, "unless")) {
        exs_ref e = tree_kw_get(c->t, blk, "else");
        if (e == EXS_REF_NONE) return;
        bodies[0] = tree_kw_get(c->t, blk, "do");
        bodies[1] = e;
        branches(c, r, what, bodies, 2);
    }
}

/* ---- unreachable-clause ------------------------------------------------------------- */

static bool reachable_clause(const ctx *c, exs_ref r, bool *known) {
    uint32_t v = cpg_find_ref(c->g, r);
    *known = v != CPG_NONE && c->g->nodes[v].cfg != CPG_NONE;
    return *known && !(c->g->nodes[v].flags & CPG_NF_UNREACHABLE);
}

static void clause_list(ctx *c, const exs_ref *clauses, uint32_t count, const char *what) {
    uint32_t last_ok_line = 0;
    bool any_ok = false;
    for (uint32_t i = 0; i < count; i++) {
        bool known;
        bool ok = reachable_clause(c, clauses[i], &known);
        if (!known) continue;
        if (ok) {
            any_ok = true;
            last_ok_line = meta_u(c, clauses[i], EXS_META_LINE);
        } else if (any_ok) {
            report(c, CHECK_UNREACHABLE_CLAUSE, meta_u(c, clauses[i], EXS_META_LINE),
                   meta_u(c, clauses[i], EXS_META_COLUMN), id_of(c, clauses[i]),
                   "this %s clause cannot match because a previous clause at line %u always "
                   "matches",
                   what, last_ok_line);
        }
    }
}

static void arrow_lists(ctx *c, exs_ref r) {
    const exs_term *list = NULL;
    const char *what = NULL;
    if (head_is(c, r, "fn")) {
        list = args_of(c, r);
        what = "fn";
    } else if (head_is(c, r, "case") || head_is(c, r, "cond")) {
        exs_ref blk = do_block(c, r);
        if (blk == EXS_REF_NONE) return;
        list = T(c, tree_kw_get(c->t, blk, "do"));
        what = T(c, kid(c, r, 0))->v.s;
    }
    if (!list || list->kind != EXS_TERM_LIST) return;
    clause_list(c, list->v.kids, list->len, what);
}

/* ---- the walk: n-plus-one, string-to-atom, apply-from-parameter -------------------- */

static bool is_literal_string(const ctx *c, exs_ref r) { return T(c, r)->kind == EXS_TERM_BINARY; }

/* Does the variable `name` occur in the pattern `r`? */
static bool binds(const ctx *c, exs_ref r, const char *name) {
    if (is_var(c, r)) return strcmp(var_name(c, r), name) == 0;
    if (head_is(c, r, "^")) return false;
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE) {
        for (uint32_t i = 0; i < n->len; i++)
            if (T(c, n->v.kids[i])->kind != EXS_TERM_META && binds(c, n->v.kids[i], name))
                return true;
    }
    return false;
}

/* Is variable node `r` a value from a parameter? DFG: its definition is a head
 * pattern. Without: its name is bound by the clause head. */
static bool from_param(const ctx *c, exs_ref r) {
    if (!is_var(c, r)) return false;
    const cpg_graph *g = c->g;
    if (g->has_dfg) {
        uint32_t v = cpg_find_ref(g, r);
        if (v == CPG_NONE) return false;
        for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++) {
            const cpg_edge *e = &g->edges[g->in_edges[i]];
            if (e->kind == CPG_EDGE_DFG && (g->nodes[e->from].flags & CPG_NF_PARAM)) return true;
        }
        return false;
    }
    if (c->clause == EXS_REF_NONE) return false;
    const exs_term *da = args_of(c, c->clause);
    if (!da || !da->len) return false;
    exs_ref head = da->v.kids[0];
    if (head_is(c, head, "when") && args_of(c, head) && args_of(c, head)->len)
        head = args_of(c, head)->v.kids[0];
    if (!is_node(c, head) || !args_of(c, head)) return false;
    const char *name = var_name(c, r);
    if (name[0] == '_') return false;
    const exs_term *params = args_of(c, head);
    for (uint32_t i = 0; i < params->len; i++)
        if (binds(c, params->v.kids[i], name)) return true;
    return false;
}

static void check_apply(ctx *c, exs_ref call, exs_ref mod_expr, exs_ref mod, exs_ref fun) {
    const char *role = NULL;
    exs_ref var = EXS_REF_NONE;
    if (from_param(c, mod))
        role = "module", var = mod;
    else if (fun != EXS_REF_NONE && from_param(c, fun))
        role = "function", var = fun;
    if (!role) return;
    uint32_t line, col;
    where(c, call, mod_expr, &line, &col);
    report(c, CHECK_APPLY_PARAM, line, col, id_of(c, call),
           "apply/3 with the %s from parameter \"%s\": the caller chooses what runs "
           "(check it against an allow-list)",
           role, var_name(c, var));
}

static void walk(ctx *c, exs_ref r, exs_ref pipe_lhs);

static void walk_kids(ctx *c, exs_ref r) {
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE)
        for (uint32_t i = 0; i < n->len; i++)
            walk(c, n->v.kids[i], EXS_REF_NONE);
}

static bool is_callback(const ctx *c, exs_ref r) {
    return head_is(c, r, "fn") || head_is(c, r, "&");
}

static void walk_in_loop(ctx *c, exs_ref r, const char *desc) {
    const char *saved = c->loop;
    char buf[96];
    memcpy(buf, c->loop_buf, sizeof(buf));
    snprintf(c->loop_buf, sizeof(c->loop_buf), "%s", desc);
    c->loop = c->loop_buf;
    walk(c, r, EXS_REF_NONE);
    memcpy(c->loop_buf, buf, sizeof(buf));
    c->loop = saved ? c->loop_buf : NULL;
}

static void walk_remote(ctx *c, exs_ref r, exs_ref pipe_lhs, exs_ref mod, const char *fun) {
    const exs_term *a = args_of(c, r);
    uint32_t argc = (a ? a->len : 0) + (pipe_lhs != EXS_REF_NONE);
    uint32_t segs;
    const char *last = alias_last(c, mod, &segs);
    if ((c->mask & (1u << CHECK_N_PLUS_ONE)) && c->loop && last &&
        ((segs >= 1 && strcmp(last, "Repo") == 0) ||
         (alias_is(c, mod, "GenServer") && strcmp(fun, "call") == 0))) {
        uint32_t line, col;
        where(c, r, mod, &line, &col);
        report(c, CHECK_N_PLUS_ONE, line, col, id_of(c, r),
               "%s.%s/%u inside %s: one round trip per element (N+1); batch it outside the "
               "loop",
               segs == 1 ? last : "Repo", fun, argc, c->loop);
    }
    if ((c->mask & (1u << CHECK_STRING_TO_ATOM)) && alias_is(c, mod, "String") &&
        strcmp(fun, "to_atom") == 0 && argc == 1) {
        exs_ref arg = pipe_lhs != EXS_REF_NONE ? pipe_lhs : a->v.kids[0];
        if (!is_literal_string(c, arg)) {
            uint32_t line, col;
            where(c, r, mod, &line, &col);
            report(c, CHECK_STRING_TO_ATOM, line, col, id_of(c, r),
                   "String.to_atom/1 on a non-literal: atoms are never garbage-collected; "
                   "use String.to_existing_atom/1");
        }
    }
    if ((c->mask & (1u << CHECK_APPLY_PARAM)) && strcmp(fun, "apply") == 0 && argc == 3 &&
        (alias_is(c, mod, "Kernel") || tree_is_atom(c->t, mod, "erlang"))) {
        if (pipe_lhs != EXS_REF_NONE)
            check_apply(c, r, mod, pipe_lhs, a->v.kids[0]);
        else
            check_apply(c, r, mod, a->v.kids[0], a->v.kids[1]);
    }
    walk(c, kid(c, r, 0), EXS_REF_NONE);
    if (!a) return;
    if (alias_is(c, mod, "Enum")) {
        char desc[96];
        snprintf(desc, sizeof(desc), "an Enum.%s/%u callback", fun, argc);
        for (uint32_t i = 0; i < a->len; i++) {
            if (is_callback(c, a->v.kids[i]))
                walk_in_loop(c, a->v.kids[i], desc);
            else
                walk(c, a->v.kids[i], EXS_REF_NONE);
        }
        return;
    }
    walk_kids(c, kid(c, r, 2));
}

/* Inside a loop, a call whose callee (a CALL edge of the CPG) reaches the database:
 * the round trip hides one call away (`Enum.map(ids, &load/1)`). */
static void indirect_db(ctx *c, exs_ref r) {
    const cpg_graph *g = c->g;
    uint32_t v = cpg_find_ref(g, r);
    if (v == CPG_NONE || !(g->nodes[v].flags & CPG_NF_CALL_SITE)) return;
    exs_ref m0;
    const char *f0;
    uint32_t segs;
    if (remote(c, r, &m0, &f0)) { /* a direct call is reported as such */
        const char *last = alias_last(c, m0, &segs);
        if (last && ((segs >= 1 && strcmp(last, "Repo") == 0) ||
                     (alias_is(c, m0, "GenServer") && strcmp(f0, "call") == 0)))
            return;
    }
    for (uint32_t e = g->out_start[v]; e < g->out_start[v + 1]; e++) {
        if (g->edges[e].kind != CPG_EDGE_CALL) continue;
        const cpg_callee *ce = &g->callees[g->nodes[g->edges[e].to].aux];
        if (!ce->module || !ce->name) continue;
        const char *via = c->env->db_call(c->env->ctx, ce->module, ce->name, ce->arity);
        if (!via) continue;
        uint32_t line, col;
        exs_ref mod = EXS_REF_NONE;
        const char *fun;
        if (!remote(c, r, &mod, &fun)) mod = EXS_REF_NONE;
        where(c, r, mod, &line, &col);
        report(c, CHECK_N_PLUS_ONE, line, col, id_of(c, r),
               "%s.%s/%u inside %s reaches %s: one round trip per element (N+1); batch it "
               "outside the loop",
               ce->module, ce->name, ce->arity, c->loop, via);
        return;
    }
}

static void walk(ctx *c, exs_ref r, exs_ref pipe_lhs) {
    if (!is_node(c, r)) {
        walk_kids(c, r);
        return;
    }
    if (head_is(c, r, "quote")) return; /* not code of this function */
    if (c->loop && c->env && c->env->db_call && (c->mask & (1u << CHECK_N_PLUS_ONE)))
        indirect_db(c, r);
    if (c->mask & (1u << CHECK_BRANCH_VARIABLE) && c->g->has_dfg) branch_construct(c, r);
    if (c->mask & (1u << CHECK_UNREACHABLE_CLAUSE)) arrow_lists(c, r);
    const exs_term *a = args_of(c, r);
    if (head_is(c, r, "|>") && a && a->len == 2) {
        walk(c, a->v.kids[0], EXS_REF_NONE);
        walk(c, a->v.kids[1], a->v.kids[0]);
        return;
    }
    exs_ref mod;
    const char *fun;
    if (remote(c, r, &mod, &fun)) {
        walk_remote(c, r, pipe_lhs, mod, fun);
        return;
    }
    if ((c->mask & (1u << CHECK_APPLY_PARAM)) && head_is(c, r, "apply") && a &&
        a->len + (pipe_lhs != EXS_REF_NONE) == 3) {
        if (pipe_lhs != EXS_REF_NONE)
            check_apply(c, r, EXS_REF_NONE, pipe_lhs, a->v.kids[0]);
        else
            check_apply(c, r, EXS_REF_NONE, a->v.kids[0], a->v.kids[1]);
    }
    if (head_is(c, r, "for") && a && a->len) {
        exs_ref blk = do_block(c, r);
        for (uint32_t i = 0; i < a->len; i++) {
            exs_ref x = a->v.kids[i];
            if (x != blk) {
                walk(c, x, EXS_REF_NONE);
                continue;
            }
            const exs_term *kw = T(c, x);
            for (uint32_t j = 0; j < kw->len; j++) {
                const exs_term *p = T(c, kw->v.kids[j]);
                if (p->kind != EXS_TERM_TUPLE || p->len != 2) continue;
                if (tree_is_atom(c->t, p->v.kids[0], "do"))
                    walk_in_loop(c, p->v.kids[1], "a for body");
                else
                    walk(c, p->v.kids[1], EXS_REF_NONE);
            }
        }
        return;
    }
    walk_kids(c, r);
}

/* ---- driver ------------------------------------------------------------------------- */

static int cmp_finding(const void *x, const void *y) {
    const check_finding *a = x, *b = y;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    return (int)a->check - (int)b->check;
}

void checks_run(const cpg_graph *g, uint32_t mask, const checks_env *env, check_list *out) {
    if (!g || !g->tree || !g->clause_count) return;
    ctx c = {.g = g, .t = g->tree, .mask = mask, .out = out, .clause = EXS_REF_NONE, .env = env};
    uint32_t first = out->count;
    if (mask & (1u << CHECK_UNUSED_VARIABLE)) check_unused(&c);
    if ((mask & (1u << CHECK_UNREACHABLE_CLAUSE)) && !g->conditional)
        clause_list(&c, g->clauses, g->clause_count, "function");
    if (mask &
        ((1u << CHECK_BRANCH_VARIABLE) | (1u << CHECK_UNREACHABLE_CLAUSE) |
         (1u << CHECK_N_PLUS_ONE) | (1u << CHECK_STRING_TO_ATOM) | (1u << CHECK_APPLY_PARAM)))
        for (uint32_t i = 0; i < g->clause_count; i++) {
            c.clause = g->clauses[i];
            c.loop = NULL;
            /* the def call itself: walk its head and body, not `def` */
            const exs_term *da = args_of(&c, c.clause);
            if (da) walk_kids(&c, kid(&c, c.clause, 2));
        }
    if (out->count > first)
        qsort(out->items + first, out->count - first, sizeof(check_finding), cmp_finding);
}
