/* metrics.c: complexity metrics of one function clause (cyclomatic, perceived,
 * cognitive, nesting, ABC, lines) computed by walking its quoted AST.
 *
 * Design: two read-only recursive walks over the clause.
 *  - The "Credo walk" covers the whole def node, head and guard included, exactly as
 *    Credo's CyclomaticComplexity/PerceivedComplexity prewalk the def term: it counts
 *    if/unless/for/try/and/or/&&/|| (+1 each), case/cond (+1, resp. +0.3 for case in
 *    the perceived metric, per do-block clause) and nested def/defp/defmacro (+1). It
 *    also collects the greatest line of any node (line, and end/closing/... metadata
 *    when the tree carries token metadata).
 *  - The "body walk" covers the guard and every block of the def (do/else/rescue/
 *    catch/after) and computes nesting (Credo Refactor.Nesting's constructs), cognitive
 *    complexity (SonarSource's rules adapted to Elixir) and ABC size.
 * docs/metrics.md holds the exact rules; the comments below name the rule applied.
 *
 * Invariants: nothing is allocated and the tree is never written; all counters are
 * uint32 and only grow (a clause would need 4G nodes to wrap). Recursion is one frame
 * per term level, bounded by the parser's max_depth. Perceived complexity is kept in
 * integer tenths so sums over clauses are exact; it is rounded half up only at the end
 * (Credo: `round/1` on the float sum).
 *
 * Called by the function analysis (one exs_metrics per clause, metrics_add per
 * name/arity) and by tests/tools/metricsdump. */
#include <math.h>
#include <string.h>

#include "metrics.h"

typedef struct walk {
    const exs_tree *t;
    uint32_t cc;
    uint32_t px10; /* perceived, tenths */
    uint32_t cog;
    uint32_t nest;
    uint32_t a, b, c;
    uint32_t last_line;
} walk;

enum { BOOL_NONE, BOOL_AND, BOOL_OR };

static const exs_term *node(const walk *w, exs_ref r) { return tree_get(w->t, r); }

static bool streq(const char *a, const char *b) { return strcmp(a, b) == 0; }

static bool in_set(const char *name, const char *const *set) {
    for (; *set; set++)
        if (streq(name, *set)) return true;
    return false;
}

/* The atom name of a call `{name, meta, args}` when name is an atom, else NULL. */
static const char *call_name(const walk *w, exs_ref r) {
    if (!tree_is_call(w->t, r)) return NULL;
    const exs_term *h = node(w, node(w, r)->v.kids[0]);
    return h->kind == EXS_TERM_ATOM ? h->v.s : NULL;
}

/* The argument list of a call, or NULL (variables have an atom there). */
static const exs_term *call_args(const walk *w, exs_ref r) {
    if (!tree_is_call(w->t, r)) return NULL;
    const exs_term *a = node(w, node(w, r)->v.kids[2]);
    return a->kind == EXS_TERM_LIST ? a : NULL;
}

static bool is_named_call(const walk *w, exs_ref r, const char *name) {
    const char *n = call_name(w, r);
    return n && call_args(w, r) && streq(n, name);
}

/* A keyword list: a list whose items are all {atom, value} 2-tuples. */
static bool is_keyword(const walk *w, exs_ref r) {
    const exs_term *l = node(w, r);
    if (l->kind != EXS_TERM_LIST || l->len == 0) return false;
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *p = node(w, l->v.kids[i]);
        if (p->kind != EXS_TERM_TUPLE || p->len != 2) return false;
        if (node(w, p->v.kids[0])->kind != EXS_TERM_ATOM) return false;
    }
    return true;
}

/* Credo.Code.Block.<key>_block_for!: the value of `key` in the first keyword-list
 * argument holding it (do/else/rescue/catch/after), or EXS_REF_NONE. */
static exs_ref block_for(const walk *w, exs_ref call, const char *key) {
    const exs_term *args = call_args(w, call);
    if (!args) return EXS_REF_NONE;
    for (uint32_t i = 0; i < args->len; i++) {
        if (!is_keyword(w, args->v.kids[i])) continue;
        const exs_term *l = node(w, args->v.kids[i]);
        for (uint32_t k = 0; k < l->len; k++) {
            const exs_term *p = node(w, l->v.kids[k]);
            if (streq(node(w, p->v.kids[0])->v.s, key)) return p->v.kids[1];
        }
    }
    return EXS_REF_NONE;
}

/* Credo: `block |> List.wrap |> Enum.count` (a list of `->` clauses, or one term). */
static uint32_t wrap_count(const walk *w, exs_ref block) {
    if (block == EXS_REF_NONE) return 0;
    const exs_term *b = node(w, block);
    if (b->kind == EXS_TERM_LIST) return b->len;
    if (b->kind == EXS_TERM_ATOM && streq(b->v.s, "nil")) return 0; /* List.wrap(nil) */
    return 1;
}

static void max_line(walk *w, const exs_term *meta) {
    for (uint32_t i = 0; i < meta->len; i++) {
        const exs_meta_kv *kv = &meta->v.kv[i];
        if (!kv->is_term) {
            if (kv->key == EXS_META_LINE && kv->value > w->last_line) w->last_line = kv->value;
        } else if (node(w, kv->value)->kind == EXS_TERM_META) {
            /* end:, closing:, do:, end_of_expression: ... (token_metadata) */
            max_line(w, node(w, kv->value));
        }
    }
}

/* ---- the Credo walk: cyclomatic and perceived complexity, last line ------------- */

static const char *const CREDO_DEF_OPS[] = {"def", "defp", "defmacro", NULL};
static const char *const CREDO_DOUBLE_OPS[] = {"if",  "unless", "for", "try", "and",
                                               "or",  "&&",     "||",  NULL};

static void credo_walk(walk *w, exs_ref r, bool is_root) {
    const exs_term *n = node(w, r);
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !tree_is_call(w->t, r))) {
        for (uint32_t i = 0; i < n->len; i++) credo_walk(w, n->v.kids[i], false);
        return;
    }
    if (n->kind != EXS_TERM_TUPLE) return;
    max_line(w, node(w, n->v.kids[1]));
    const char *name = call_name(w, r);
    if (name && call_args(w, r)) {
        /* Credo matches `{op, meta, args} when is_list(args)` only. The clause being
         * measured gives the base 1 whatever its kind (metrics_compute). */
        if (!is_root && in_set(name, CREDO_DEF_OPS)) {
            w->cc += 1;
            w->px10 += 10;
        } else if (in_set(name, CREDO_DOUBLE_OPS)) {
            w->cc += 1;
            w->px10 += 10;
        } else if (streq(name, "case") || streq(name, "cond")) {
            uint32_t k = wrap_count(w, block_for(w, r, "do"));
            w->cc += k;
            w->px10 += k * (name[1] == 'a' ? 3 : 10); /* case: 0.3 per clause */
        }
    }
    if (node(w, n->v.kids[0])->kind != EXS_TERM_ATOM) credo_walk(w, n->v.kids[0], false);
    credo_walk(w, n->v.kids[2], false);
}

/* ---- the body walk: nesting, cognitive complexity, ABC -------------------------- */

/* Credo Refactor.Nesting's @nest_ops. */
static const char *const NEST_OPS[] = {"if", "unless", "case", "cond", "fn", NULL};
/* Names with an argument list that are not calls (ABC branches): special forms,
 * constructs counted as conditions, definitions. Operators and __x__ forms are
 * recognized by spelling (is_branch_name). */
static const char *const NON_CALLS[] = {
    "and",   "or",     "not",    "in",      "when",    "fn",      "if",
    "unless", "case",  "cond",   "for",     "try",     "with",    "receive",
    "quote", "unquote", "unquote_splicing", "def", "defp", "defmacro", "defmacrop",
    "defguard", "defguardp", NULL};
static const char *const COMPARISONS[] = {"==", "!=", "===", "!==", "<", ">",
                                          "<=", ">=", "=~", "in", NULL};

static bool is_branch_name(const char *name) {
    unsigned char c = (unsigned char)name[0];
    /* Operators and punctuation forms ({}, %{}, <<>>, ., @, &, ^, ::) start with a
     * non-identifier character; identifiers start with a letter, _ or non-ASCII. */
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80))
        return false;
    size_t len = strlen(name);
    if (len >= 4 && name[0] == '_' && name[1] == '_' && name[len - 1] == '_' &&
        name[len - 2] == '_')
        return false; /* __block__, __aliases__, __MODULE__, ... */
    return !in_set(name, NON_CALLS);
}

static bool has_meta(const walk *w, exs_ref call, exs_meta_key key) {
    const exs_term *m = node(w, node(w, call)->v.kids[1]);
    for (uint32_t i = 0; i < m->len; i++)
        if (m->v.kv[i].key == key) return true;
    return false;
}

/* A call whose head is a `.` node: `M.f(x)`, `mod.f`, `fun.(x)`, `map.field`.
 * Branch unless it is field access (`map.field`: no parens, no args, receiver not an
 * alias or atom) or the `Kernel.to_string` the parser wraps interpolations in. */
static bool is_remote_branch(const walk *w, exs_ref call) {
    exs_ref head = node(w, call)->v.kids[0];
    const char *hn = call_name(w, head);
    const exs_term *dargs = call_args(w, head);
    if (!hn || !dargs || !streq(hn, ".")) return false;
    if (dargs->len == 1) return true; /* fun.(x) */
    if (dargs->len != 2) return false;
    const exs_term *recv = node(w, dargs->v.kids[0]);
    const exs_term *fun = node(w, dargs->v.kids[1]);
    bool recv_is_module = recv->kind == EXS_TERM_ATOM ||
                          is_named_call(w, dargs->v.kids[0], "__aliases__") ||
                          (call_name(w, dargs->v.kids[0]) &&
                           streq(call_name(w, dargs->v.kids[0]), "__MODULE__"));
    const exs_term *args = call_args(w, call);
    if (!recv_is_module && args && args->len == 0 && has_meta(w, call, EXS_META_NO_PARENS))
        return false;
    if (recv->kind == EXS_TERM_ATOM && streq(recv->v.s, "Elixir.Kernel") &&
        fun->kind == EXS_TERM_ATOM && streq(fun->v.s, "to_string"))
        return false; /* "#{x}": the parser's wrapper, not a call the author wrote */
    return true;
}

static void body_walk(walk *w, exs_ref r, uint32_t nest, uint32_t cogn, int boolk);

static void walk_kids(walk *w, const exs_term *l, uint32_t nest, uint32_t cogn, int boolk) {
    for (uint32_t i = 0; i < l->len; i++) body_walk(w, l->v.kids[i], nest, cogn, boolk);
}

static bool is_generator(const walk *w, exs_ref r) {
    if (is_named_call(w, r, "<-")) return true;
    /* <<c <- bin>> */
    const exs_term *a = is_named_call(w, r, "<<>>") ? call_args(w, r) : NULL;
    return a && a->len == 1 && is_named_call(w, a->v.kids[0], "<-");
}

static void body_walk(walk *w, exs_ref r, uint32_t nest, uint32_t cogn, int boolk) {
    const exs_term *n = node(w, r);
    if (nest > w->nest) w->nest = nest; /* Credo: the depth at every leaf */
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !tree_is_call(w->t, r))) {
        walk_kids(w, n, nest, cogn, BOOL_NONE);
        return;
    }
    if (n->kind != EXS_TERM_TUPLE) return;
    const exs_term *args = call_args(w, r);
    if (!args) return; /* a variable `{name, meta, ctx}` */
    const char *name = call_name(w, r);
    if (!name) {
        /* remote or anonymous call: the head (`.` node) is walked for its receiver */
        if (is_remote_branch(w, r)) w->b++;
        body_walk(w, n->v.kids[0], nest, cogn, BOOL_NONE);
        walk_kids(w, args, nest, cogn, BOOL_NONE);
        return;
    }
    if (is_branch_name(name)) w->b++;

    uint32_t cnest = in_set(name, NEST_OPS) ? nest + 1 : nest;
    int cbool = BOOL_NONE;
    if (streq(name, "=") || streq(name, "<-")) {
        w->a++; /* a match binds; a generator or with clause binds too */
    } else if (in_set(name, COMPARISONS)) {
        w->c++;
    } else if (streq(name, "->")) {
        w->c++; /* a clause of case/cond/receive/fn/rescue/catch/with-else */
    } else if (streq(name, "and") || streq(name, "&&") || streq(name, "or") ||
               streq(name, "||")) {
        /* Sonar: +1 per sequence of like boolean operators: `a && b && c` is one,
         * `a && b || c` two. and/&& are one kind, or/|| the other. */
        cbool = (name[0] == 'a' || name[0] == '&') ? BOOL_AND : BOOL_OR;
        if (boolk != cbool) w->cog++;
        w->c++;
    } else if (streq(name, "if") || streq(name, "unless")) {
        bool has_else = block_for(w, r, "else") != EXS_REF_NONE;
        w->c += 1 + has_else;
        w->cog += 1 + cogn + has_else; /* Sonar: else is a hybrid increment */
        cogn++;
    } else if (streq(name, "case") || streq(name, "cond") || streq(name, "receive")) {
        w->cog += 1 + cogn; /* Sonar's switch: one increment for all clauses */
        cogn++;
    } else if (streq(name, "for")) {
        w->cog += 1 + cogn;
        cogn++;
        for (uint32_t i = 0; i < args->len; i++) {
            exs_ref x = args->v.kids[i];
            if (node(w, x)->kind != EXS_TERM_LIST && !is_generator(w, x)) w->c++; /* filter */
        }
    } else if (streq(name, "with")) {
        bool has_else = block_for(w, r, "else") != EXS_REF_NONE;
        w->cog += 1 + cogn + has_else;
        cogn++;
        w->c += has_else;
        for (uint32_t i = 0; i < args->len; i++)
            if (is_named_call(w, args->v.kids[i], "<-")) w->c++; /* may not match */
    } else if (streq(name, "try")) {
        /* Sonar: catch clauses (here rescue and catch blocks) increment, try does not */
        if (block_for(w, r, "rescue") != EXS_REF_NONE) w->cog += 1 + cogn;
        if (block_for(w, r, "catch") != EXS_REF_NONE) w->cog += 1 + cogn;
        if (block_for(w, r, "else") != EXS_REF_NONE) {
            w->cog += 1;
            w->c += 1;
        }
        cogn++;
    } else if (streq(name, "fn")) {
        cogn++; /* lambdas nest, without an increment of their own */
        if (args->len == 1 && is_named_call(w, args->v.kids[0], "->")) {
            /* a one-clause fn is no choice: its `->` is not a condition */
            const exs_term *clause = node(w, args->v.kids[0]);
            if (cnest > w->nest) w->nest = cnest;
            max_line(w, node(w, clause->v.kids[1]));
            walk_kids(w, node(w, clause->v.kids[2]), cnest, cogn, BOOL_NONE);
            return;
        }
    }
    walk_kids(w, args, cnest, cogn, cbool);
}

exs_status metrics_compute(const exs_tree *t, exs_ref def_call, exs_metrics *out) {
    memset(out, 0, sizeof(*out));
    walk w;
    memset(&w, 0, sizeof(w));
    w.t = t;
    const exs_term *args = call_args(&w, def_call);
    if (!args) return EXS_ERR_ARG;

    /* Cyclomatic / perceived: base 1 for the clause, then Credo's prewalk. */
    w.cc = 1;
    w.px10 = 10;
    credo_walk(&w, def_call, true);

    /* Body walk: the guard, then every block of the def's keyword list. The head's
     * parameters are patterns, not code: not walked. */
    if (args->len >= 1) {
        exs_ref head = args->v.kids[0];
        const exs_term *wargs = is_named_call(&w, head, "when") ? call_args(&w, head) : NULL;
        if (wargs && wargs->len == 2) body_walk(&w, wargs->v.kids[1], 0, 0, BOOL_NONE);
    }
    for (uint32_t i = 1; i < args->len; i++) {
        exs_ref x = args->v.kids[i];
        if (is_keyword(&w, x)) {
            const exs_term *l = node(&w, x);
            for (uint32_t k = 0; k < l->len; k++)
                body_walk(&w, node(&w, l->v.kids[k])->v.kids[1], 0, 0, BOOL_NONE);
        } else {
            body_walk(&w, x, 0, 0, BOOL_NONE);
        }
    }

    out->cc = w.cc;
    out->perceived_x10 = w.px10;
    out->perceived = (w.px10 + 5) / 10;
    out->cognitive = w.cog;
    out->nesting = w.nest;
    out->abc_a = w.a;
    out->abc_b = w.b;
    out->abc_c = w.c;
    out->abc = sqrt((double)w.a * w.a + (double)w.b * w.b + (double)w.c * w.c);
    int64_t first = tree_meta_int(t, def_call, EXS_META_LINE);
    out->first_line = first > 0 ? (uint32_t)first : 0;
    out->last_line = w.last_line > out->first_line ? w.last_line : out->first_line;
    out->lines = out->first_line ? out->last_line - out->first_line + 1 : 0;
    out->clauses = 1;
    return EXS_OK;
}

void metrics_add(exs_metrics *acc, const exs_metrics *m) {
    acc->cc += m->cc;
    acc->perceived_x10 += m->perceived_x10;
    acc->perceived = (acc->perceived_x10 + 5) / 10;
    acc->cognitive += m->cognitive;
    if (m->nesting > acc->nesting) acc->nesting = m->nesting;
    acc->abc_a += m->abc_a;
    acc->abc_b += m->abc_b;
    acc->abc_c += m->abc_c;
    acc->abc = sqrt((double)acc->abc_a * acc->abc_a + (double)acc->abc_b * acc->abc_b +
                    (double)acc->abc_c * acc->abc_c);
    if (m->first_line && (!acc->first_line || m->first_line < acc->first_line))
        acc->first_line = m->first_line;
    if (m->last_line > acc->last_line) acc->last_line = m->last_line;
    acc->lines += m->lines;
    acc->clauses += m->clauses;
}

unsigned metrics_bucket(uint32_t cc) {
    if (cc <= 5) return 0;
    if (cc <= 10) return 1;
    if (cc <= 20) return 2;
    if (cc <= 50) return 3;
    return 4;
}

const char *metrics_bucket_name(unsigned bucket) {
    static const char *const names[METRICS_BUCKET_COUNT] = {"1-5", "6-10", "11-20", "21-50",
                                                            ">50"};
    return bucket < METRICS_BUCKET_COUNT ? names[bucket] : "?";
}
